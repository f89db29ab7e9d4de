#!/usr/bin/env bats
# Every rule has a Dockerfile that makes it fire and one that keeps it quiet:
# tests/rules/<ID>/fire.Dockerfile, quiet.Dockerfile (and config.yaml if the rule needs one).

load helpers

rule_ids() { "$SHIPSHAPE" rules | awk 'NR > 1 { print $1 }'; }

run_case() { # dir file -> prints the rule ids found
	local dir=$1 file=$2 cfg=()
	[ -f "$dir/config.yaml" ] && cfg=(--config "$dir/config.yaml")
	"$SHIPSHAPE" lint --format json --fail-on none "${cfg[@]}" "$dir/$file" | jq -r '.findings[].rule_id'
}

@test "every rule has a fire and a quiet case" {
	local missing=()
	for id in $(rule_ids); do
		[ -f "$CASES/$id/fire.Dockerfile" ] && [ -f "$CASES/$id/quiet.Dockerfile" ] || missing+=("$id")
	done
	[ ${#missing[@]} -eq 0 ] || { echo "rules without cases: ${missing[*]}"; false; }
	[ "$(rule_ids | wc -l)" -ge 60 ]
}

@test "each rule fires on its fire case" {
	local bad=()
	for id in $(rule_ids); do
		run_case "$CASES/$id" fire.Dockerfile | grep -qx "$id" || bad+=("$id")
	done
	[ ${#bad[@]} -eq 0 ] || { echo "did not fire: ${bad[*]}"; false; }
}

@test "each rule stays quiet on its quiet case" {
	local bad=()
	for id in $(rule_ids); do
		! run_case "$CASES/$id" quiet.Dockerfile | grep -qx "$id" || bad+=("$id")
	done
	[ ${#bad[@]} -eq 0 ] || { echo "fired on the quiet case: ${bad[*]}"; false; }
}
