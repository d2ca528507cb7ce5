#!/usr/bin/env bash
# The tests on every Node.js version we support, each pinned exactly (README "Compatibility").
# Run by .ci/run after `npm ci`; needs nothing installed by hand: Node versions other than the machine's
# are fetched from the npm registry by scripts/node-version.sh into .ci-cache/ (git-ignored).
#
# What runs where: the whole suite (`npm test`: build, type-check, every test) runs once, on Node 22,
# the version Nx 23 and the AWS SDK's 2027 releases require and most teams run. Node 20 (the build
# machines') and 24 run what differs between Node versions: the unit tests (zip writing, file walks,
# the generators, the graph plugin) and, through the real `nx` CLI, a first deploy of the sample app
# and its no-op rerun (the cascade spec's tests tagged node-matrix). That loads the compiled plugin and
# engine, forks Nx's tasks, zips, and talks to moto over HTTP with the AWS SDK, all on that Node. The
# other e2e specs and the engine's tests against moto repeat those same Node APIs through more runs;
# on all three versions they would triple the slowest part of CI for no new coverage.
# The compiled packages (dist/) are the same for every version: built once, by `npm ci` and `npm test`.
set -uo pipefail
cd "$(dirname "$0")/.."

MACHINE_NODE=20.20.2
NODE_22=22.23.5
NODE_24=24.22.3
# The unit tests, and the e2e tests tagged node-matrix (vitest.config.mts tags).
SMOKE=(packages/*/src tools/*/src tests/docs tests/node-version.spec.ts tests/e2e/cascade.e2e.spec.ts --tags-filter='!e2e || node-matrix')

# The hang guard around each part (vitest.config.mts has no per-test timeout; each nx run has its own
# bound): the whole suite takes about 3.5-4 minutes on 2 idle cores (591 tests, 19 e2e specs) and 2-3x that
# on a loaded machine, so a part still running after 60 minutes has stopped making progress. It ends
# CI instead of leaving it to hang until the CI service's own limit.
HANG_GUARD=60m

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
recap=()
failed=0

# run_on <version> <what it runs> <command...>: the command with that Node first on PATH; its output
# goes to CI as it comes, and its vitest summary lines into the recap printed at the end.
run_on() {
  local version="$1" what="$2" bin status started log
  shift 2
  if ! bin="$(scripts/node-version.sh "$version")"; then
    recap+=("Node $version  $what: FAILED (could not get Node $version)")
    failed=1
    return
  fi
  log="$logs/node-$version.log"
  echo
  echo "==> Node $version ($bin/node): $what"
  started=$SECONDS
  # VECTORA_EXPECTED_NODE: tests/node-version.spec.ts checks that vitest and the nx CLI really run on it.
  PATH="$bin:$PATH" VECTORA_EXPECTED_NODE="v$version" timeout --kill-after=30s "$HANG_GUARD" "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  [[ $status -eq 124 || $status -eq 137 ]] && echo "Node $version: $what stopped by the hang guard after $HANG_GUARD" | tee -a "$log"
  local took=$((SECONDS - started))
  local summary
  summary="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +(Test Files|Tests) ' | sed -E 's/^ +//; s/ +/ /g' | paste -sd ';' -)"
  if [[ $status -eq 0 ]]; then
    recap+=("Node $version  $what: passed in ${took}s (${summary:-no test summary})")
  else
    recap+=("Node $version  $what: FAILED, exit $status after ${took}s (${summary:-no test summary})")
    failed=1
  fi
}

run_on "$NODE_22" "the whole suite (npm test)" npm test
run_on "$MACHINE_NODE" "unit tests, a deploy and its no-op rerun through nx" npx vitest run "${SMOKE[@]}"
run_on "$NODE_24" "unit tests, a deploy and its no-op rerun through nx" npx vitest run "${SMOKE[@]}"

echo
echo "==> Node matrix"
printf '  %s\n' "${recap[@]}"
exit $failed
