#!/usr/bin/env bats
# Golden CLI tests as data: tests/golden/<case>/cmd holds the arguments, the other files
# are the inputs (stdin is fed from a file named "stdin"; symlinks, e.g. to examples/, are
# copied as the files they point to), and expected.stdout,
# expected.stderr, expected.rc the result. Each case runs in a scratch copy of its
# directory. UPDATE_GOLDEN=1 rewrites the expectations; review the diff.

load helpers

@test "golden CLI cases" {
	local failed=() n=0
	for dir in "$ROOT"/tests/golden/*/; do
		local name work out err rc args
		name=$(basename "$dir")
		work="$BATS_TEST_TMPDIR/$name"
		mkdir -p "$work"
		(cd "$dir" && tar -h --exclude='expected.*' -cf - .) | (cd "$work" && tar -xf -)
		read -r -a args < "$dir/cmd" || true
		local in=/dev/null
		[ -f "$dir/stdin" ] && in="$dir/stdin"
		rc=0
		(cd "$work" && NO_COLOR=1 "$SHIPSHAPE" "${args[@]}" < "$in" > "$work/.stdout" 2> "$work/.stderr") || rc=$?
		n=$((n + 1))
		if [ -n "${UPDATE_GOLDEN:-}" ]; then
			cp "$work/.stdout" "$dir/expected.stdout"
			cp "$work/.stderr" "$dir/expected.stderr"
			echo "$rc" > "$dir/expected.rc"
			continue
		fi
		if [ "$rc" != "$(cat "$dir/expected.rc")" ] || ! diff -u "$dir/expected.stdout" "$work/.stdout" >&2 ||
			! diff -u "$dir/expected.stderr" "$work/.stderr" >&2; then
			echo "golden case $name: exit $rc, expected $(cat "$dir/expected.rc")" >&2
			failed+=("$name")
		fi
	done
	[ "$n" -ge 30 ]
	[ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}"; false; }
}
