#!/usr/bin/env bats
# Hostile and broken input: a clear message with file:line:col, exit 3, no crash, bounded
# time and memory. (The fixed cases live in tests/golden/bad-*; these are generated.)

load helpers

@test "a 10 MB single-line RUN parses and lints" {
	{ printf 'FROM debian:12\nUSER 10001\nRUN echo '; head -c 10485760 /dev/zero | tr '\0' 'a'; printf '\n'; } > "$BATS_TEST_TMPDIR/Dockerfile"
	run "$SHIPSHAPE" lint --format json --fail-on none "$BATS_TEST_TMPDIR/Dockerfile"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq '.summary.files')" -eq 1 ]
}

@test "a 10 MB line of junk is an unknown instruction at 1:1" {
	head -c 10485760 /dev/zero | tr '\0' 'x' > "$BATS_TEST_TMPDIR/Dockerfile"
	run "$SHIPSHAPE" lint "$BATS_TEST_TMPDIR/Dockerfile"
	[ "$status" -eq 3 ]
	[[ "$output" == *"Dockerfile:1:1: unknown instruction"* ]]
	[ "${#output}" -lt 300 ]
}

@test "random binary junk gives exit 3 with a position" {
	head -c 65536 /dev/urandom > "$BATS_TEST_TMPDIR/junk"
	run "$SHIPSHAPE" lint "$BATS_TEST_TMPDIR/junk"
	[ "$status" -eq 3 ]
	[[ "$output" =~ junk:[0-9]+:[0-9]+: ]]
}

@test "a file over the 64 MiB limit is refused, not read whole" {
	truncate -s 70M "$BATS_TEST_TMPDIR/huge"
	run timeout 120 "$SHIPSHAPE" lint "$BATS_TEST_TMPDIR/huge"
	[ "$status" -eq 3 ]
	[[ "$output" == *"larger than the 64 MiB limit"* ]]
}

@test "deeply nested command substitutions and many heredocs stay bounded" {
	{
		printf 'FROM debian:12\nRUN echo '
		for i in $(seq 1 2000); do printf '$('; done
		printf 'true'
		for i in $(seq 1 2000); do printf ')'; done
		printf '\nRUN cat'
		for i in $(seq 1 64); do printf ' <<E%d' "$i"; done
		printf '\n'
		for i in $(seq 1 64); do printf 'body\nE%d\n' "$i"; done
	} > "$BATS_TEST_TMPDIR/Dockerfile"
	run timeout 120 "$SHIPSHAPE" lint --fail-on none "$BATS_TEST_TMPDIR/Dockerfile"
	[ "$status" -eq 0 ]
}

@test "more heredocs than the limit is an error naming the place" {
	{ printf 'FROM debian:12\nRUN cat'; for i in $(seq 1 70); do printf ' <<E%d' "$i"; done; printf '\n'; } > "$BATS_TEST_TMPDIR/Dockerfile"
	run "$SHIPSHAPE" lint "$BATS_TEST_TMPDIR/Dockerfile"
	[ "$status" -eq 3 ]
	[[ "$output" == *"Dockerfile:2:"*"heredocs"* ]]
}

@test "a directory without Dockerfiles says so" {
	mkdir -p "$BATS_TEST_TMPDIR/empty"
	run "$SHIPSHAPE" lint "$BATS_TEST_TMPDIR/empty"
	[[ "$output" == *"no Dockerfile found"* ]]
	[ "$status" -eq 0 ]
}

@test "the whole corpus parses with zero errors (all 556 files)" {
	[ -d "$CORPUS/dockerfiles" ] || skip "../shared/corpus is absent"
	run "$SHIPSHAPE" lint --format json --fail-on none "$CORPUS/dockerfiles"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq '.summary.files')" -eq 556 ]
}

# Hang guards, not speed tests (speed is make bench's job): inputs built to make a naive
# linter quadratic must finish; the generous timeout only turns a hang into a failure.
@test "many stages, aliases, ENV references, RUNs and pragmas stay linear" {
	{
		echo "FROM debian:12 AS s0"
		for i in $(seq 1 20000); do
			echo "FROM s$((i - 1)) AS s$i"
			echo "ENV A$i=x B$i=\$A$i"
			echo "# hadolint ignore=DL3008,DL3015,DL4006"
			echo "RUN pip install x==1 | cat && yum install -y p-\$A$i"
			echo "COPY --from=s$((i - 1)) a b"
		done
	} > "$BATS_TEST_TMPDIR/Dockerfile"
	run timeout 120 "$SHIPSHAPE" lint --format json --fail-on none "$BATS_TEST_TMPDIR/Dockerfile"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq '.summary.files')" -eq 1 ]
}

@test "more instructions than the limit is an error with a position" {
	{ echo "FROM debian:12"; for i in $(seq 1 100001); do echo "USER 1"; done; } > "$BATS_TEST_TMPDIR/Dockerfile"
	run timeout 120 "$SHIPSHAPE" lint "$BATS_TEST_TMPDIR/Dockerfile"
	[ "$status" -eq 3 ]
	[[ "$output" == *"Dockerfile:100001:1: more than 100000 instructions"* ]]
}

@test "a configuration in the working directory nested past the limit is exit 3 at once, for every command" {
	local limit=$((200 * 1024)) name cmd
	mkdir -p "$BATS_TEST_TMPDIR/repo"
	cd "$BATS_TEST_TMPDIR/repo"
	printf 'FROM alpine:3.19\n' > Dockerfile
	# 50,000 deep (libyaml's time grows with the square of the depth: seconds on every run)
	for name in .shipshape.yaml .hadolint.yaml .dive-ci; do
		{ printf 'ignored: '; head -c 50000 /dev/zero | tr '\0' '['; head -c 50000 /dev/zero | tr '\0' ']'; echo; } > "$name"
		for cmd in lint image vuln; do
			timeout 120 /usr/bin/time -f '%M %e %U %S' -o "$BATS_TEST_TMPDIR/t" "$SHIPSHAPE" "$cmd" Dockerfile 2> "$BATS_TEST_TMPDIR/err" &&
				false || [ $? -eq 3 ]
			cat "$BATS_TEST_TMPDIR/t" "$BATS_TEST_TMPDIR/err"
			grep -q "^shipshape: $name:1:137: nesting deeper than 128$" "$BATS_TEST_TMPDIR/err"
			tail -n1 "$BATS_TEST_TMPDIR/t" | awk '{ exit !($1 < '"$limit"' && $3 + $4 < 5) }'
		done
		rm "$name"
	done
	# 128 deep is read (and judged by what it says)
	{ printf 'ignored:\n  '; head -c 254 /dev/zero | sed 's/\x0\x0/- /g'; echo DL3006; } > .hadolint.yaml
	run "$SHIPSHAPE" lint Dockerfile
	[ "$status" -eq 3 ]
	[[ "$output" == *".hadolint.yaml:2: ignored: expected a string"* ]]
	{ printf 'ignored:\n  '; head -c 256 /dev/zero | sed 's/\x0\x0/- /g'; echo DL3006; } > .hadolint.yaml
	run "$SHIPSHAPE" lint Dockerfile
	[ "$status" -eq 3 ]
	[[ "$output" == *".hadolint.yaml:2:257: nesting deeper than 128"* ]]
}

@test "a pipe the user names is read as given: -, /dev/stdin, <(cmd), a FIFO with a writer" {
	local d="$BATS_TEST_TMPDIR"
	printf 'FROM debian:12\nUSER 10001\nRUN apt-get install curl\n' > "$d/Dockerfile"
	"$SHIPSHAPE" lint --format json --fail-on none "$d/Dockerfile" | jq -c '[.findings[].rule_id]' > "$d/want"
	[ "$(cat "$d/want")" != "[]" ]
	for how in dash stdin subst fifo; do
		case $how in
		dash) timeout 10 "$SHIPSHAPE" lint --format json --fail-on none - < "$d/Dockerfile" > "$d/out" ;;
		stdin) timeout 10 "$SHIPSHAPE" lint --format json --fail-on none /dev/stdin < "$d/Dockerfile" > "$d/out" ;;
		subst) timeout 10 "$SHIPSHAPE" lint --format json --fail-on none <(cat "$d/Dockerfile") > "$d/out" ;;
		fifo)
			mkfifo "$d/pipe"
			cat "$d/Dockerfile" > "$d/pipe" &
			timeout 10 "$SHIPSHAPE" lint --format json --fail-on none "$d/pipe" > "$d/out"
			wait
			;;
		esac
		echo "$how: $(jq -c '[.findings[].rule_id]' "$d/out")"
		[ "$(jq -c '[.findings[].rule_id]' "$d/out")" = "$(cat "$d/want")" ]
	done
}
