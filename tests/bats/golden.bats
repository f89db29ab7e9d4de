#!/usr/bin/env bats
# Golden CLI tests as data (tests/golden/<case>/, described in cases.bash). tests/run-bats.sh runs
# each case as a test of its own, "golden: CASE"; this file checks that the cases are whole.

load helpers
load cases

@test "golden: every case has a command and an expected result, and a plain name" {
	local bad=() dir
	for dir in "$ROOT"/tests/golden/*/; do
		local name
		name=$(basename "$dir")
		[[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || bad+=("$name: a name a test cannot carry")
		for f in cmd expected.stdout expected.stderr expected.rc; do
			[ -f "$dir/$f" ] || bad+=("$name: no $f")
		done
	done
	[ "$(case_names "$ROOT/tests/golden" | wc -l)" -ge 30 ]
	[ ${#bad[@]} -eq 0 ] || { printf '%s\n' "${bad[@]}"; false; }
}

# bats test_tags=aggregate
@test "golden: all cases (tests/run-bats.sh runs them one test each instead)" {
	# A plain `bats golden.bats` cannot see tests written at run time: run them nested here.
	run_case_tests golden
}
