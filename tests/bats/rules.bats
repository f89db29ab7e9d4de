#!/usr/bin/env bats
# Every rule has a case that makes it fire and one that keeps it quiet:
# tests/rules/<ID>/fire.Dockerfile, quiet.Dockerfile (and config.yaml if the rule needs one)
# for Dockerfile rules; fire.sh, quiet.sh for image rules (tests/images/lib.sh builds them
# into docker-save tarballs with tar and jq); vulnerability rules add feed.json, imported into
# a database of their own and matched with image --db; run-configuration rules have
# fire.yaml, quiet.yaml (compose files or Kubernetes manifests) for shipshape audit; host
# rules fire.host.sh, quiet.host.sh, scripts that build a root with tests/host/lib.sh.

load helpers
. "$BATS_TEST_DIRNAME/../images/lib.sh"

rule_ids() { "$SHIPSHAPE" rules | awk 'NR > 1 { print $1 }'; }

run_case() { # dir kind(fire|quiet) -> prints the rule ids found
	local dir=$1 kind=$2 cfg=()
	[ -f "$dir/config.yaml" ] && cfg=(--config "$dir/config.yaml")
	if [ -f "$dir/$kind.sh" ]; then
		local img="$BATS_FILE_TMPDIR/$(basename "$dir")-$kind.tar"
		[ -f "$img" ] || build_image "$dir/$kind.sh" "$img" >&2
		if [ -f "$dir/feed.json" ]; then # vulnerability rules: the case's own feed
			local db="$BATS_FILE_TMPDIR/$(basename "$dir").db"
			[ -f "$db" ] || "$SHIPSHAPE" db import --db "$db" "$dir/feed.json" 2>/dev/null
			cfg+=(--db "$db")
		fi
		"$SHIPSHAPE" image --format json --fail-on none "${cfg[@]}" "$img" | jq -r '.findings[].rule_id'
	elif [ -f "$dir/$kind.host.sh" ]; then # host rules: a root built by the case's script
		[ "$(id -u)" = 0 ] || { echo "SKIP-ROOT"; return; }
		local R
		R=$(mktemp -d "$BATS_FILE_TMPDIR/root.XXXXXX")
		(. "$ROOT/tests/host/lib.sh" && . "$dir/$kind.host.sh") >&2
		"$SHIPSHAPE" host --root "$R" --format json --fail-on none "${cfg[@]}" | jq -r '.findings[].rule_id'
	elif [ -f "$dir/$kind.yaml" ]; then # run-configuration rules: a compose file or manifest
		"$SHIPSHAPE" audit --format json --fail-on none "${cfg[@]}" "$dir/$kind.yaml" | jq -r '.findings[].rule_id'
	else
		"$SHIPSHAPE" lint --format json --fail-on none "${cfg[@]}" "$dir/$kind.Dockerfile" | jq -r '.findings[].rule_id'
	fi
}

has_case() { [ -f "$1/$2.Dockerfile" ] || [ -f "$1/$2.sh" ] || [ -f "$1/$2.yaml" ] || [ -f "$1/$2.host.sh" ]; }

@test "every rule has a fire and a quiet case" {
	local missing=()
	for id in $(rule_ids); do
		has_case "$CASES/$id" fire && has_case "$CASES/$id" quiet || missing+=("$id")
	done
	[ ${#missing[@]} -eq 0 ] || { echo "rules without cases: ${missing[*]}"; false; }
	[ "$(rule_ids | wc -l)" -ge 60 ]
}

@test "each rule fires on its fire case" {
	local bad=()
	for id in $(rule_ids); do
		local got
		got=$(run_case "$CASES/$id" fire)
		[ "$got" != SKIP-ROOT ] || continue # host cases build sockets and owners: root only
		echo "$got" | grep -qx "$id" || bad+=("$id")
	done
	[ ${#bad[@]} -eq 0 ] || { echo "did not fire: ${bad[*]}"; false; }
}

@test "each rule stays quiet on its quiet case" {
	local bad=()
	for id in $(rule_ids); do
		! run_case "$CASES/$id" quiet | grep -qx "$id" || bad+=("$id")
	done
	[ ${#bad[@]} -eq 0 ] || { echo "fired on the quiet case: ${bad[*]}"; false; }
}
