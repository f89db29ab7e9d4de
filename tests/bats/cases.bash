# cases.bash - the suites whose cases are data: one bats test per golden case (tests/golden/<case>/)
# and two per rule (tests/rules/<ID>/, its fire and its quiet case). Bats 1.8 reads a file's tests
# before it runs any, so tests/run-bats.sh has write_case_tests write them into a file of their own
# first; a new case directory is a new test without an edit here.

# case_names DIR: the case directories under DIR whose names can stand in a test name as they are
# (golden.bats and rules.bats fail on the others).
case_names() {
	local d
	for d in "$1"/*/; do
		d=${d%/}
		d=${d##*/}
		[[ "$d" =~ ^[A-Za-z0-9._-]+$ ]] && echo "$d"
	done
	return 0
}

# write_case_tests SUITE OUT: writes OUT, a .bats file with one test per case of SUITE (golden or
# rules). It stands in for tests/bats/SUITE.bats, so it loads what that file loads.
write_case_tests() {
	local suite=$1 out=$2 name
	{
		echo "# Written by tests/run-bats.sh from $ROOT/tests/$suite: one test per case."
		echo "BATS_TEST_DIRNAME='$ROOT/tests/bats'"
		echo 'load helpers'
		echo 'load cases'
		[ "$suite" = golden ] || echo '. "$BATS_TEST_DIRNAME/../images/lib.sh"'
		for name in $(case_names "$ROOT/tests/$suite"); do
			if [ "$suite" = golden ]; then
				echo "@test \"golden: $name\" { golden_case $name; }"
				continue
			fi
			has_case "$CASES/$name" fire && echo "@test \"rules: $name fire\" { rule_fires $name; }"
			has_case "$CASES/$name" quiet && echo "@test \"rules: $name quiet\" { rule_quiet $name; }"
		done
	} > "$out"
}

# run_case_tests SUITE: runs SUITE's case tests nested, for a plain `bats SUITE.bats`; the
# output shows only what did not pass.
run_case_tests() {
	write_case_tests "$1" "$BATS_TEST_TMPDIR/$1-cases.bats"
	run bats --formatter tap "$BATS_TEST_TMPDIR/$1-cases.bats"
	grep -v '^ok ' <<< "$output" || true
	[ "$status" -eq 0 ]
	[ "$(grep -c '^ok ' <<< "$output")" -ge "$(case_names "$ROOT/tests/$1" | wc -l)" ]
}

# Golden CLI cases: tests/golden/<case>/cmd holds the arguments, the other files are the inputs
# (stdin is fed from a file named "stdin"; symlinks, e.g. to examples/, are copied as the files
# they point to), and expected.stdout, expected.stderr, expected.rc the result. Each case runs in
# a scratch copy of its directory. UPDATE_GOLDEN=1 rewrites the expectations; review the diff.
golden_case() {
	local name=$1 dir="$ROOT/tests/golden/$1" work="$BATS_TEST_TMPDIR/$1" args rc=0 in=/dev/null
	mkdir -p "$work"
	(cd "$dir" && tar -h --exclude='expected.*' -cf - .) | (cd "$work" && tar -xf -)
	read -r -a args < "$dir/cmd" || true
	[ -f "$dir/stdin" ] && in="$dir/stdin"
	(cd "$work" && NO_COLOR=1 "$SHIPSHAPE" "${args[@]}" < "$in" > "$work/.stdout" 2> "$work/.stderr") || rc=$?
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$work/.stdout" "$dir/expected.stdout"
		cp "$work/.stderr" "$dir/expected.stderr"
		echo "$rc" > "$dir/expected.rc"
		return 0
	fi
	local bad=0
	diff -u "$dir/expected.stdout" "$work/.stdout" || bad=1
	diff -u "$dir/expected.stderr" "$work/.stderr" || bad=1
	[ "$rc" = "$(cat "$dir/expected.rc")" ] || { echo "golden case $name: exit $rc, expected $(cat "$dir/expected.rc")"; bad=1; }
	[ "$bad" = 0 ]
}

# Every rule has a case that makes it fire and one that keeps it quiet:
# tests/rules/<ID>/fire.Dockerfile, quiet.Dockerfile (and config.yaml if the rule needs one)
# for Dockerfile rules; fire.sh, quiet.sh for image rules (tests/images/lib.sh builds them
# into docker-save tarballs with tar and jq); vulnerability rules add feed.json, imported into
# a database of their own and matched with image --db; run-configuration rules have
# fire.yaml, quiet.yaml (compose files or Kubernetes manifests) for shipshape audit; host
# rules fire.host.sh, quiet.host.sh, scripts that build a root with tests/host/lib.sh; image
# reference rules fire.pin.sh, quiet.pin.sh, scripts that write files for pin --check (and
# start a registry with tests/bats/registry.bash when they need one).
# fire.expect lists where the rule fires, one finding a line (see rule_findings).
has_case() {
	[ -f "$1/$2.Dockerfile" ] || [ -f "$1/$2.sh" ] || [ -f "$1/$2.yaml" ] || [ -f "$1/$2.host.sh" ] ||
		[ -f "$1/$2.pin.sh" ]
}

# rule_findings ID KIND: runs the KIND (fire or quiet) case of rule ID and writes each finding to
# $BATS_TEST_TMPDIR/KIND.found as "RULE [FILE] [LINE:COLUMN] [layer N] [PATH]": the parts of its
# JSON location it has, but the file when it is the input itself (a temporary image's name says
# nothing). Fails when shipshape does not finish with exit 0 (--fail-on none).
rule_findings() {
	local id=$1 kind=$2 dir="$CASES/$1" cfg=() input
	[ -f "$dir/config.yaml" ] && cfg=(--config "$dir/config.yaml")
	local json="$BATS_TEST_TMPDIR/$kind.json"
	if [ -f "$dir/$kind.sh" ]; then
		input="$BATS_TEST_TMPDIR/$id-$kind.tar"
		build_image "$dir/$kind.sh" "$input" >&2
		if [ -f "$dir/feed.json" ]; then # vulnerability rules: the case's own feed
			"$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/feed.db" "$dir/feed.json" 2>/dev/null
			cfg+=(--db "$BATS_TEST_TMPDIR/feed.db")
		fi
		"$SHIPSHAPE" image --format json --fail-on none "${cfg[@]}" "$input" > "$json"
	elif [ -f "$dir/$kind.host.sh" ]; then # host rules: a root built by the case's script
		local R="$BATS_TEST_TMPDIR/root"
		mkdir "$R"
		(. "$ROOT/tests/host/lib.sh" && . "$dir/$kind.host.sh") >&2
		input=$R
		"$SHIPSHAPE" host --root "$R" --format json --fail-on none "${cfg[@]}" > "$json"
	elif [ -f "$dir/$kind.pin.sh" ]; then # image reference rules: the files the case's script writes
		local W="$BATS_TEST_TMPDIR/files" rc=0
		. "$ROOT/tests/bats/registry.bash"
		! grep -q registry_start "$dir/$kind.pin.sh" || harness_need
		mkdir "$W"
		(cd "$W" && . "$dir/$kind.pin.sh") >&2 || rc=$?
		input=$W
		[ "$rc" != 0 ] || (cd "$W" && "$SHIPSHAPE" pin --check --format json --fail-on none "${cfg[@]}" .) > "$json" ||
			rc=$?
		harness_stop "$BATS_TEST_TMPDIR" # the case's registry, whatever happened
		[ "$rc" = 0 ]
	elif [ -f "$dir/$kind.yaml" ]; then # run-configuration rules: a compose file or manifest
		input="$dir/$kind.yaml"
		"$SHIPSHAPE" audit --format json --fail-on none "${cfg[@]}" "$input" > "$json"
	else
		input="$dir/$kind.Dockerfile"
		"$SHIPSHAPE" lint --format json --fail-on none "${cfg[@]}" "$input" > "$json"
	fi
	jq -r --arg input "$input" '.findings[] | .location as $l | [.rule_id,
		(if $l.file != null and $l.file != $input then $l.file else empty end),
		(if $l.line != null then "\($l.line)" + (if $l.column != null then ":\($l.column)" else "" end) else empty end),
		(if $l.layer != null then "layer \($l.layer)" else empty end),
		($l.path // empty)] | join(" ")' "$json" > "$BATS_TEST_TMPDIR/$kind.found"
}

# needs_root ID KIND: host cases make sockets and give files owners, which takes root
needs_root() {
	[ ! -f "$CASES/$1/$2.host.sh" ] || [ "$(id -u)" = 0 ] ||
		skip "needs root: a host case's files belong to root, its sockets to given owners"
}

# rule_fires ID: the rule fires on its fire case exactly where fire.expect says (UPDATE_GOLDEN=1
# rewrites fire.expect; review it: a Dockerfile rule's line is the instruction it fires on).
rule_fires() {
	local id=$1 expect="$CASES/$1/fire.expect"
	needs_root "$id" fire
	rule_findings "$id" fire
	awk -v id="$id" '$1 == id' "$BATS_TEST_TMPDIR/fire.found" > "$BATS_TEST_TMPDIR/got"
	[ -z "${UPDATE_GOLDEN:-}" ] || cp "$BATS_TEST_TMPDIR/got" "$expect"
	[ -s "$BATS_TEST_TMPDIR/got" ] || { echo "$id did not fire on its fire case"; false; }
	[ -f "$expect" ] || { echo "no $expect: write it with UPDATE_GOLDEN=1 and review it"; false; }
	diff -u "$expect" "$BATS_TEST_TMPDIR/got"
}

# rule_quiet ID: the quiet case runs and gives no finding of the rule
rule_quiet() {
	local id=$1
	needs_root "$id" quiet
	rule_findings "$id" quiet
	local hits
	hits=$(awk -v id="$id" '$1 == id' "$BATS_TEST_TMPDIR/quiet.found")
	[ -z "$hits" ] || { printf '%s fired on its quiet case:\n%s\n' "$id" "$hits"; false; }
}
