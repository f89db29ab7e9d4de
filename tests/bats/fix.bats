#!/usr/bin/env bats
# shipshape fix: every fixable rule's fire case fixes to tests/rules/<ID>/fixed.Dockerfile,
# after which the rule is quiet; quiet cases are left alone; fixing is idempotent; the
# --diff output applied with patch(1) gives what the in-place rewrite gives; and over the
# whole corpus the fixed Dockerfiles parse and the fixed rules' findings go away.

load helpers

fixable_ids() { "$SHIPSHAPE" rules --fixable | awk 'NR > 1 { print $1 }'; }

@test "exactly the fixable rules have a fixed case" {
	local ids bad=()
	ids=$(fixable_ids)
	[ "$(echo "$ids" | wc -l)" -ge 19 ]
	for id in $ids; do
		[ -f "$CASES/$id/fixed.Dockerfile" ] || bad+=("$id has no fixed.Dockerfile")
	done
	for f in "$CASES"/*/fixed.Dockerfile; do
		local id
		id=$(basename "$(dirname "$f")")
		echo "$ids" | grep -qx "$id" || bad+=("$id has a fixed case but is not marked fixable")
	done
	[ ${#bad[@]} -eq 0 ] || { printf '%s\n' "${bad[@]}"; false; }
}

@test "each fire case fixes to its fixed case, and the rule is quiet there" {
	local bad=()
	for id in $(fixable_ids); do
		local d="$CASES/$id"
		"$SHIPSHAPE" fix --unsafe --stdout "$d/fire.Dockerfile" > "$BATS_TEST_TMPDIR/out" 2>/dev/null || true
		cmp -s "$BATS_TEST_TMPDIR/out" "$d/fixed.Dockerfile" || { bad+=("$id: not its fixed.Dockerfile"); continue; }
		"$SHIPSHAPE" lint --format json --fail-on none "$d/fixed.Dockerfile" | jq -r '.findings[].rule_id' |
			grep -qx "$id" && bad+=("$id: still fires after the fix")
		# fixed is a fixed point: nothing more to do
		"$SHIPSHAPE" fix --unsafe --diff "$d/fixed.Dockerfile" > "$BATS_TEST_TMPDIR/diff" 2>/dev/null ||
			bad+=("$id: fixing the fixed case changes it again")
	done
	[ ${#bad[@]} -eq 0 ] || { printf '%s\n' "${bad[@]}"; false; }
}

@test "quiet cases get no fix from their rule" {
	local bad=()
	for id in $(fixable_ids); do
		local err
		err=$("$SHIPSHAPE" fix --unsafe --stdout "$CASES/$id/quiet.Dockerfile" 2>&1 >/dev/null) || true
		echo "$err" | grep -q "[(, ]$id/" && bad+=("$id: $err")
	done
	[ ${#bad[@]} -eq 0 ] || { printf '%s\n' "${bad[@]}"; false; }
}

@test "fix rewrites in place, keeps the mode, and reports what is left" {
	cp "$ROOT/tests/golden/fix-diff/Dockerfile" "$BATS_TEST_TMPDIR/Dockerfile"
	chmod 640 "$BATS_TEST_TMPDIR/Dockerfile"
	cd "$BATS_TEST_TMPDIR"
	"$SHIPSHAPE" fix --diff --unsafe Dockerfile > want.diff 2>/dev/null && false
	cp Dockerfile patched
	patch -s patched < want.diff
	run "$SHIPSHAPE" fix --unsafe --no-color --fail-on medium Dockerfile
	[ "$status" -eq 1 ] # no USER in the final stage is left, at medium
	[[ "$output" == *"made 13 fixes"* ]]
	[[ "$output" == *"SHP1021 no USER in the final stage"* ]]
	[[ "$output" != *"SHP1096 MAINTAINER"* ]]
	cmp Dockerfile patched
	[ "$(stat -c %a Dockerfile)" = 640 ]
	[ -z "$(ls -A | grep shpfix || true)" ]
	run "$SHIPSHAPE" fix --unsafe --diff Dockerfile
	[ "$status" -eq 0 ]
	[[ "$output" != *"---"* ]]
}

@test "without --unsafe the fixes that change the build are left and counted" {
	cp "$CASES/SHP1033/fire.Dockerfile" "$BATS_TEST_TMPDIR/Dockerfile"
	run "$SHIPSHAPE" fix --stdout "$BATS_TEST_TMPDIR/Dockerfile"
	[[ "$output" == *"1 more with --unsafe"* ]]
	[[ "$output" != *"--no-install-recommends"* ]]
	[[ "$output" == *"rm -rf /var/lib/apt/lists/*"* ]]
}

@test "pragmas and --ignore keep a fix from being made" {
	printf 'FROM alpine:3.20\n# hadolint ignore=DL3019\nRUN apk add curl=8.9.1-r0\nRUN wget x\n' > "$BATS_TEST_TMPDIR/Dockerfile"
	run "$SHIPSHAPE" fix --stdout --ignore DL3047 "$BATS_TEST_TMPDIR/Dockerfile"
	[[ "$output" == *"RUN apk add curl=8.9.1-r0"* ]]
	[[ "$output" == *"RUN wget x"* ]]
	run "$SHIPSHAPE" fix --stdout --disable-ignore-pragma "$BATS_TEST_TMPDIR/Dockerfile"
	[[ "$output" == *"RUN apk add --no-cache curl=8.9.1-r0"* ]]
	[[ "$output" == *"RUN wget --progress=dot:giga x"* ]]
}

@test "a Dockerfile that does not parse is left as it was, exit 3" {
	printf 'FROM alpine\nRUN <<EOF\napk add curl\n' > "$BATS_TEST_TMPDIR/Dockerfile"
	cp "$BATS_TEST_TMPDIR/Dockerfile" "$BATS_TEST_TMPDIR/orig"
	run "$SHIPSHAPE" fix "$BATS_TEST_TMPDIR/Dockerfile"
	[ "$status" -eq 3 ]
	[[ "$output" == *"Dockerfile:2:5: unterminated heredoc"* ]]
	cmp "$BATS_TEST_TMPDIR/Dockerfile" "$BATS_TEST_TMPDIR/orig"
	run "$SHIPSHAPE" fix "$BATS_TEST_TMPDIR/missing"
	[ "$status" -eq 3 ]
}

@test "CRLF line ends and a byte order mark are kept" {
	printf '\xef\xbb\xbfFROM debian:12\r\nRUN apt-get update && \\\r\n    apt-get install -y curl\r\n' > "$BATS_TEST_TMPDIR/Dockerfile"
	"$SHIPSHAPE" fix "$BATS_TEST_TMPDIR/Dockerfile" >/dev/null 2>&1 || true
	printf '\xef\xbb\xbfFROM debian:12\r\nRUN apt-get update && \\\r\n    apt-get install -y curl \\\r\n    && rm -rf /var/lib/apt/lists/*\r\n' > "$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/Dockerfile" "$BATS_TEST_TMPDIR/want"
}

@test "corpus: fixed Dockerfiles parse, fixing twice changes nothing, the diff patches to the same files" {
	[ -d "$CORPUS/dockerfiles" ] || skip "../shared/corpus is absent"
	local a="$BATS_TEST_TMPDIR/a" b="$BATS_TEST_TMPDIR/b"
	cp -r "$CORPUS/dockerfiles" "$a"
	cp -r "$CORPUS/dockerfiles" "$b"
	"$SHIPSHAPE" lint --format json --fail-on none "$a" | jq -r '.findings[].rule_id' | sort | uniq -c > "$BATS_TEST_TMPDIR/before"
	(cd "$a" && "$SHIPSHAPE" fix --unsafe --diff . > "$BATS_TEST_TMPDIR/corpus.diff" 2>/dev/null) && false
	(cd "$a" && "$SHIPSHAPE" fix --unsafe --fail-on none --format json . > "$BATS_TEST_TMPDIR/after.json" 2> "$BATS_TEST_TMPDIR/fix.err")
	(cd "$b" && patch -s -p0 < "$BATS_TEST_TMPDIR/corpus.diff")
	diff -r "$a" "$b"
	# every file still parses (exit 3 would say not) and a second pass finds nothing to do
	run "$SHIPSHAPE" fix --unsafe --diff "$a"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# the fixes made are many, and each fixed rule has fewer findings than before; only
	# apt-get's pinning rule (SHP1030) may gain, where apt became apt-get
	local made
	made=$(grep -o 'made [0-9]* fix' "$BATS_TEST_TMPDIR/fix.err" | awk '{ n += $2 } END { print n }')
	echo "fixes made: $made"
	[ "$made" -ge 250 ]
	jq -r '.findings[].rule_id' "$BATS_TEST_TMPDIR/after.json" | sort | uniq -c > "$BATS_TEST_TMPDIR/after"
	local fixable bad=()
	fixable=$(fixable_ids)
	while read -r n id; do
		local was
		was=$(awk -v id="$id" '$2 == id { print $1 }' "$BATS_TEST_TMPDIR/before")
		was=${was:-0}
		if [ "$id" != SHP1030 ] && [ "$n" -gt "$was" ]; then bad+=("$id: $was -> $n"); fi
		if echo "$fixable" | grep -qx "$id" && [ "$n" -ge "$was" ] && [ "$was" -gt 0 ]; then bad+=("$id: not fixed ($was -> $n)"); fi
	done < "$BATS_TEST_TMPDIR/after"
	[ ${#bad[@]} -eq 0 ] || { printf '%s\n' "${bad[@]}"; false; }
}

@test "--stdout and - take one Dockerfile, and not with --diff: exit 2" {
	run "$SHIPSHAPE" fix --stdout "$CASES/SHP1031"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--stdout takes one Dockerfile; 3 were found"* ]]
	run "$SHIPSHAPE" fix --diff --stdout "$CASES/SHP1031/fire.Dockerfile"
	[ "$status" -eq 2 ]
	run "$SHIPSHAPE" fix - "$CASES/SHP1031/fire.Dockerfile"
	[ "$status" -eq 2 ]
}
