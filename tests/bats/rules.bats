#!/usr/bin/env bats
# Every rule has a fire and a quiet case (tests/rules/<ID>/, described in cases.bash).
# tests/run-bats.sh runs each case as a test of its own, "rules: ID fire" and "rules: ID quiet";
# this file checks that the cases are all there.

load helpers
load cases

rule_ids() { "$SHIPSHAPE" rules | awk 'NR > 1 { print $1 }'; }

@test "every rule has a fire and a quiet case" {
	local missing=()
	for id in $(rule_ids); do
		has_case "$CASES/$id" fire && has_case "$CASES/$id" quiet || missing+=("$id")
	done
	[ ${#missing[@]} -eq 0 ] || { echo "rules without cases: ${missing[*]}"; false; }
	[ "$(rule_ids | wc -l)" -ge 60 ]
}

@test "every rule case directory names a rule, plainly" {
	local bad=() ids dir
	ids=$(rule_ids)
	for dir in "$CASES"/*/; do
		local id
		id=$(basename "$dir")
		[[ "$id" =~ ^[A-Za-z0-9._-]+$ ]] || bad+=("$id: a name a test cannot carry")
		grep -qx "$id" <<< "$ids" || bad+=("$id: no such rule")
	done
	[ ${#bad[@]} -eq 0 ] || { printf '%s\n' "${bad[@]}"; false; }
}

# bats test_tags=aggregate
@test "rules: all cases (tests/run-bats.sh runs them one test each instead)" {
	# A plain `bats rules.bats` cannot see tests written at run time: run them nested here.
	run_case_tests rules
}
