#!/usr/bin/env bash
# Runs the bats suites with TAP output and ends with a one-line summary, so a CI log's
# last lines say what passed (bats prints no summary in TAP mode).
#   tests/run-bats.sh LABEL [BATS ARGS...] PATH...
# Golden and rule cases are data; bats 1.8 knows only the tests written in a file, so for
# tests/bats (or its golden.bats, rules.bats) this writes a file with one test per case
# first ("golden: CASE", "rules: ID fire", "rules: ID quiet"), and leaves out the tests
# tagged aggregate that run all cases as one for a plain bats. One case, or its rewrite:
#   tests/run-bats.sh normal tests/bats/golden.bats -f 'golden: lint-json$'
#   UPDATE_GOLDEN=1 tests/run-bats.sh normal tests/bats/rules.bats -f 'rules: SHP1001 fire$'
set -uo pipefail
label=$1
shift
export SHIPSHAPE_BUILD_KIND=$label # normal or asan
# ASan keeps up to 256 MB of freed memory by default, to catch a use after free; with that in
# every peak the hostile-input tests could not check the program's own memory bounds. A
# 16 MB quarantine still holds the most recent frees.
[ "$label" != asan ] || export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CASES=$ROOT/tests/rules
. "$ROOT/tests/bats/cases.bash"
gen=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$gen" "$log"' EXIT # an interrupted run leaves nothing behind either
args=()
for a in "$@"; do
	args+=("$a")
	[ -e "$a" ] || continue
	case "$(realpath "$a")" in
	"$ROOT/tests/bats") suites=(golden rules) ;;
	"$ROOT/tests/bats/golden.bats") suites=(golden) ;;
	"$ROOT/tests/bats/rules.bats") suites=(rules) ;;
	*) suites=() ;;
	esac
	for s in "${suites[@]}"; do
		write_case_tests "$s" "$gen/$s-cases.bats"
		args+=("$gen/$s-cases.bats")
	done
done
bats --formatter tap --filter-tags '!aggregate' "${args[@]}" | tee "$log"
rc=${PIPESTATUS[0]}
total=$(grep -cE '^(ok|not ok) ' "$log")
failed=$(grep -cE '^not ok ' "$log")
skipped=$(grep -cE '^ok .*# skip' "$log")
echo "bats ($label): $total tests, $failed failures, $skipped skipped"
exit "$rc"
