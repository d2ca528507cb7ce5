#!/usr/bin/env bash
# `npm test`: build the packages (the e2e specs run the compiled plugin through the real nx CLI), then
# type-check beside the tests rather than before them: neither needs the other, and the type-check's
# 8 s of CPU fits in the first seconds of the tests, which wait on moto's start (half a minute on a
# fresh clone, where it first installs moto). Its errors are printed after the tests' summary, and
# either failing fails the command. Arguments go to vitest (`npm test -- --reporter=verbose`).
set -uo pipefail
cd "$(dirname "$0")/.."

node scripts/build-packages.mjs || exit

typecheck_log="$(mktemp)"
trap 'rm -f "$typecheck_log"' EXIT
npx tsc -p tsconfig.json --noEmit >"$typecheck_log" 2>&1 &
typecheck=$!

npx vitest run "$@"
tests=$?

wait "$typecheck"
typechecked=$?
if [[ $typechecked -ne 0 ]]; then
  echo
  echo "Type-check failed (tsc -p tsconfig.json --noEmit):"
  cat "$typecheck_log"
fi
[[ $tests -eq 0 && $typechecked -eq 0 ]]
