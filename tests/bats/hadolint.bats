#!/usr/bin/env bats
# A hadolint setup carried over as it is: its environment variables, and the ids of checks
# shipshape does not have (ShellCheck's, hadolint's label-schema family) in flags and pragmas.

load helpers

setup() {
	D="$BATS_TEST_TMPDIR"
	printf 'FROM alpine:3.20\n# hadolint ignore=DL3018,DL3049\nRUN apk add curl\nUSER 1\n' > "$D/Dockerfile"
	ids() { jq -r '[.findings[].rule_id] | join(" ")'; }
}

@test "hadolint: its ids we have no rule for (SC2086, DL3049) are accepted and ignore nothing; typos stay errors" {
	run "$SHIPSHAPE" lint -f json --ignore SC2086 --ignore DL3049 --error SC1000 --warning DL3050 "$D/Dockerfile"
	[ "$status" -eq 0 ]
	# the pragma's DL3049 does not void its DL3018 (SHP1035, apk add without a version)
	[ "$(echo "$output" | ids)" = "SHP1003 SHP1093 SHP1036" ]
	run "$SHIPSHAPE" lint --ignore DL9999 "$D/Dockerfile"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--ignore DL9999: no such rule"* ]]
	run "$SHIPSHAPE" lint --error DL9999 "$D/Dockerfile"
	[ "$status" -eq 2 ]
	# a pragma naming a typo is void as a whole, as before
	printf 'FROM alpine:3.20\n# hadolint ignore=DL3018,DL9999\nRUN apk add curl\nUSER 1\n' > "$D/typo.Dockerfile"
	run "$SHIPSHAPE" lint -f json "$D/typo.Dockerfile"
	[[ "$(echo "$output" | ids)" == *SHP1035* ]]
}

@test "hadolint: HADOLINT_* environment variables are its flags; the command line wins, the configuration loses" {
	cd "$D"
	printf 'failure-threshold: error\n' > .hadolint.yaml
	run "$SHIPSHAPE" lint Dockerfile
	[ "$status" -eq 0 ]
	# over the configuration file
	HADOLINT_FAILURE_THRESHOLD=style run "$SHIPSHAPE" lint Dockerfile
	[ "$status" -eq 1 ]
	# under the command line
	HADOLINT_FAILURE_THRESHOLD=style run "$SHIPSHAPE" lint --failure-threshold error Dockerfile
	[ "$status" -eq 0 ]
	HADOLINT_FORMAT=json run "$SHIPSHAPE" lint -f gnu Dockerfile
	[[ "$output" == "Dockerfile:1:1: warning: "* ]]
	# lists, with commas and blanks; booleans as hadolint reads them
	HADOLINT_FORMAT=json HADOLINT_IGNORE="DL3019, SHP1003,SC2086" HADOLINT_OVERRIDE_ERROR=DL3057 \
		HADOLINT_FAILURE_THRESHOLD=error run "$SHIPSHAPE" lint Dockerfile
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | jq -r '[.findings[] | "\(.rule_id)=\(.severity)"] | join(" ")')" = "SHP1093=medium" ]
	HADOLINT_NOFAIL=yes HADOLINT_FAILURE_THRESHOLD=style run "$SHIPSHAPE" lint Dockerfile
	[ "$status" -eq 0 ]
	HADOLINT_NOFAIL=false HADOLINT_FAILURE_THRESHOLD=style run "$SHIPSHAPE" lint Dockerfile
	[ "$status" -eq 1 ]
	HADOLINT_DISABLE_IGNORE_PRAGMA=1 HADOLINT_FORMAT=json run "$SHIPSHAPE" lint Dockerfile
	[[ "$(echo "$output" | ids)" == *SHP1035* ]]
	HADOLINT_OUTPUT_FILE=out.txt HADOLINT_NOCOLOR=1 run "$SHIPSHAPE" lint Dockerfile
	grep -q SHP1036 out.txt
	HADOLINT_TRUSTED_REGISTRIES="docker.io,quay.io" HADOLINT_FORMAT=json run "$SHIPSHAPE" lint Dockerfile
	[[ "$(echo "$output" | ids)" != *SHP1004* ]]
	HADOLINT_TRUSTED_REGISTRIES="quay.io" HADOLINT_FORMAT=json run "$SHIPSHAPE" lint Dockerfile
	[[ "$(echo "$output" | ids)" == *SHP1004* ]]
	# a bad value is a usage error, as the flag's would be
	HADOLINT_FORMAT=bogus run "$SHIPSHAPE" lint Dockerfile
	[ "$status" -eq 2 ]
}

@test "hadolint DL3025: a shell-form HEALTHCHECK CMD is its, as hadolint's spec says, told apart from CMD's" {
	# hadolint's DL3025Spec: "warn on HEALTHCHECK CMD shell notation", "don't warn on HEALTHCHECK CMD json notation"
	printf 'FROM alpine:3.20\nUSER 1\nHEALTHCHECK --interval=5s CMD wget -q -O- http://localhost/ || exit 1\nCMD ["app"]\n' > "$D/hc"
	run "$SHIPSHAPE" lint -f json --fail-on none "$D/hc"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP1087")] | length == 1'
	echo "$output" | jq -e '.findings[] | select(.rule_id == "SHP1087") | .aliases == ["DL3025"] and .location.line == 3
		and (.message | startswith("HEALTHCHECK CMD in shell form: the check runs under /bin/sh -c"))
		and (.message | contains("signals") | not)'
	# --ignore DL3025 drops it, as hadolint's would
	run "$SHIPSHAPE" lint -f json --fail-on none --ignore DL3025 "$D/hc"
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP1087")] == []'
	# the exec form is quiet; fix leaves a HEALTHCHECK as written
	printf 'FROM alpine:3.20\nUSER 1\nHEALTHCHECK CMD [ "wget", "-q", "http://localhost/" ]\nCMD ["app"]\n' > "$D/hc2"
	run "$SHIPSHAPE" lint -f json --fail-on none "$D/hc2"
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP1087")] == []'
	run "$SHIPSHAPE" fix --stdout --fail-on none "$D/hc"
	[[ "$output" == *"HEALTHCHECK --interval=5s CMD wget -q -O- http://localhost/ || exit 1"* ]]
}

@test "hadolint DL3066: USER by name suggests the ids the Dockerfile created the user with" {
	want() { # Dockerfile text, the USER line's message
		printf "$1" > "$D/u"
		run "$SHIPSHAPE" lint -f json --fail-on none "$D/u"
		[ "$(echo "$output" | jq -r '.findings[] | select(.rule_id == "SHP1022") | .message')" = "$2" ]
	}
	local m='is a name: Kubernetes runAsNonRoot and the host cannot resolve it'
	want 'FROM debian:12\nRUN groupadd -g 1000 app && useradd -u 1000 -g app -m app\nUSER app\n' "USER app $m, use the ids this Dockerfile gave it: USER 1000:1000"
	want 'FROM alpine:3.20\nRUN addgroup -g 2000 -S web && adduser -S -D -u 2001 -G web web\nUSER web:web\n' "USER web:web $m, use the ids this Dockerfile gave it: USER 2001:2000"
	want 'FROM debian:12\nRUN useradd --uid=1234 -m -s /bin/bash bob\nUSER bob\n' "USER bob $m, use the ids this Dockerfile gave it: USER 1234"
	want 'FROM debian:12\nRUN adduser --system --uid 999 --gid 998 svc\nUSER svc\n' "USER svc $m, use the ids this Dockerfile gave it: USER 999:998"
	# no UID given, or given to another user, or after the USER: no ids to suggest
	want 'FROM debian:12\nRUN useradd -m app\nUSER app\n' "USER app $m, use a numeric UID[:GID]"
	want 'FROM debian:12\nRUN useradd -u 1000 other\nUSER app\n' "USER app $m, use a numeric UID[:GID]"
	want 'FROM debian:12\nUSER app\nRUN useradd -u 1000 app\n' "USER app $m, use a numeric UID[:GID]"
	run "$SHIPSHAPE" rules DL3066
	[[ "$output" != *"USER 10001:10001 (the ids of the user you created)"* ]]
}
