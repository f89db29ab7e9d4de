#!/usr/bin/env bash
# Runs the bats suites with TAP output and ends with a one-line summary, so a CI log's
# last lines say what passed (bats prints no summary in TAP mode).
set -uo pipefail
label=$1
shift
export SHIPSHAPE_BUILD_KIND=$label # normal or asan: memory bounds differ
log=$(mktemp)
bats --formatter tap "$@" | tee "$log"
rc=${PIPESTATUS[0]}
total=$(grep -cE '^(ok|not ok) ' "$log")
failed=$(grep -cE '^not ok ' "$log")
skipped=$(grep -cE '^ok .*# skip' "$log")
rm -f "$log"
echo "bats ($label): $total tests, $failed failures, $skipped skipped"
exit "$rc"
