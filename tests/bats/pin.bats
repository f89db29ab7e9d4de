#!/usr/bin/env bats
# shipshape pin against Debian's docker-registry on a loopback port (tests/bats/registry.bash):
# Dockerfiles, compose files and manifests pinned in place to the digests skopeo reports, every
# other byte kept, and lint and audit reporting the same after (but for the rules pinning
# answers); --diff and --stdout; ARG defaults; pin --check before and after a tag moves; the
# index digest of a multi-platform tag; and a reference the registry does not have.

bats_require_minimum_version 1.5.0

load helpers
load registry

setup_file() {
	harness_missing >/dev/null && return 0
	local d=$BATS_FILE_TMPDIR
	test_image "$d/oci" v1
	test_image "$d/oci" v2
	multiarch_image "$d/oci" multi
	registry_start "$d/anon" anon
	export A=$REG_ADDR
	registry_push "oci:$d/oci:v1" test/img:v1
	registry_push "oci:$d/oci:v2" test/other:v1
	registry_push "oci:$d/oci:multi" test/multi:v1 --all
	export LAYOUT=$d/oci
}

teardown_file() {
	harness_stop "$BATS_FILE_TMPDIR"
}

setup() {
	# credentials of the user running the tests are no business of these (REGISTRY_AUTH_FILE
	# is left unset: docker-registry would read it as its own auth.file setting)
	unset REGISTRY_AUTH_FILE
	export DOCKER_CONFIG=$BATS_TEST_TMPDIR/no-docker-config XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/no-runtime-dir
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	harness_stop "$BATS_TEST_TMPDIR"
}

# digest_of REF [SKOPEO ARGS]: the digest of what REF names, as skopeo reads it (the manifest
# or index as the registry serves it, hashed).
digest_of() {
	echo "sha256:$(skopeo inspect --raw --tls-verify=false "${@:2}" "docker://$1" | sha256sum | cut -d' ' -f1)"
}

# findings CMD ARGS...: the findings of a lint or audit run as "RULE LINE COL" lines, without
# the rules pinning is meant to answer (no tag, latest, no digest).
findings() {
	"$SHIPSHAPE" "$@" -f json --fail-on none | jq -r '.findings[]
		| select(.rule_id | IN("SHP1001", "SHP1002", "SHP1003", "SHP4022", "SHP4031") | not)
		| "\(.rule_id) \(.location.line) \(.location.column)"' | sort
}

write_dockerfile() {
	cat >"$1" <<-EOF
		# syntax=docker/dockerfile:1
		ARG BASE=$A/test/img:v1
		FROM \$BASE AS build
		RUN --mount=type=bind,from=$A/test/other:v1,target=/mnt \\
		    cp /mnt/app/version /version
		FROM --platform=linux/amd64 $A/test/multi:v1 AS final
		COPY --from=build /version /a
		COPY --link --from=$A/test/img:v1 /etc/os-release /os-release
		COPY --from=0 /version /b
		USER 1000
		FROM scratch
		COPY --from=final /a /a
	EOF
}

@test "pin: a Dockerfile's references become NAME:TAG@DIGEST, every other byte kept" {
	harness_need
	local img other multi
	img=$(digest_of "$A/test/img:v1")
	other=$(digest_of "$A/test/other:v1")
	multi=$(digest_of "$A/test/multi:v1")
	write_dockerfile Dockerfile
	cp Dockerfile before
	run "$SHIPSHAPE" pin Dockerfile
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Dockerfile: pinned 4 references"* ]]
	# stages (build, final, 0) and scratch are not images; the ARG default takes FROM $BASE's
	sed -e "s|^ARG BASE=$A/test/img:v1\$|&@$img|" -e "s|from=$A/test/other:v1,|from=$A/test/other:v1@$other,|" \
		-e "s|$A/test/multi:v1 AS|$A/test/multi:v1@$multi AS|" \
		-e "s|--from=$A/test/img:v1 |--from=$A/test/img:v1@$img |" before >want
	diff want Dockerfile
	# it still parses, and lints the same but for the digests
	[ "$(findings lint before)" = "$(findings lint Dockerfile)" ]
	"$SHIPSHAPE" lint -f json --fail-on none Dockerfile | jq -e '[.findings[].rule_id] | index("SHP1003") == null'
	# pinned is a fixed point, and --check is content
	run "$SHIPSHAPE" pin --diff Dockerfile
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run "$SHIPSHAPE" pin --check Dockerfile
	[ "$status" -eq 0 ]
}

@test "pin: a multi-platform tag is pinned to its index's digest" {
	harness_need
	local index
	index=$(digest_of "$A/test/multi:v1")
	# the index, not the linux/amd64 manifest it lists
	[ "$index" != "$MULTI_AMD64" ]
	skopeo inspect --raw --tls-verify=false "docker://$A/test/multi:v1" | jq -e '.manifests | length == 3'
	echo "FROM $A/test/multi:v1" >Dockerfile
	"$SHIPSHAPE" pin Dockerfile
	[ "$(cat Dockerfile)" = "FROM $A/test/multi:v1@$index" ]
}

@test "pin: compose files and manifests, quotes, anchors and flow mappings kept; audit the same" {
	harness_need
	local img other
	img=$(digest_of "$A/test/img:v1")
	other=$(digest_of "$A/test/other:v1")
	cat >compose.yaml <<-EOF
		x-base: &base
		  image: "$A/test/img:v1"
		  read_only: true
		services:
		  web:
		    image: $A/test/other:v1   # the front
		    user: "1000"
		  worker:
		    <<: *base
		  cron: {image: '$A/test/img:v1', command: ["true"]}
		  built:
		    build: .
	EOF
	cat >k8s.yaml <<-EOF
		apiVersion: v1
		kind: Pod
		metadata: {name: p}
		spec:
		  initContainers:
		  - name: init
		    image: $A/test/img:v1
		  containers:
		  - name: app
		    image: "$A/test/other:v1"
		---
		apiVersion: v1
		kind: Service
		metadata: {name: s}
		spec: {ports: [{port: 80}]}
		---
		apiVersion: batch/v1
		kind: CronJob
		metadata: {name: cj}
		spec:
		  schedule: "* * * * *"
		  jobTemplate:
		    spec:
		      template:
		        spec:
		          containers: [{name: j, image: '$A/test/other:v1'}]
	EOF
	cp compose.yaml compose.before
	cp k8s.yaml k8s.before
	run "$SHIPSHAPE" pin compose.yaml k8s.yaml
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"compose.yaml: pinned 3 references"* ]]
	[[ "$output" == *"k8s.yaml: pinned 3 references"* ]]
	sed -e "s|$A/test/img:v1|&@$img|g" -e "s|$A/test/other:v1|&@$other|g" compose.before >want
	diff want compose.yaml
	sed -e "s|$A/test/img:v1|&@$img|g" -e "s|$A/test/other:v1|&@$other|g" k8s.before >want
	diff want k8s.yaml
	for f in compose k8s; do
		[ "$(findings audit "$f.before")" = "$(findings audit "$f.yaml")" ]
		"$SHIPSHAPE" audit -f json --fail-on none "$f.yaml" |
			jq -e '[.findings[] | select(.rule_id == "SHP4022")] | length == 0'
	done
	run "$SHIPSHAPE" pin --check compose.yaml k8s.yaml
	[ "$status" -eq 0 ]
}

@test "pin: a directory's Dockerfiles, compose files and manifests; other files untouched" {
	harness_need
	mkdir -p proj/svc proj/deploy proj/docs
	echo "FROM $A/test/img:v1" >proj/svc/Containerfile
	printf 'services:\n  a:\n    image: %s/test/other:v1\n' "$A" >proj/compose.yml
	printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: %s/test/img:v1}]\n' \
		"$A" >proj/deploy/pod.yaml
	printf 'settings:\n  image: %s/test/img:v1\n' "$A" >proj/docs/other.yaml
	echo "FROM $A/test/img:v1 is how it starts" >proj/docs/README.md
	cp proj/docs/other.yaml proj/docs/README.md .
	run "$SHIPSHAPE" pin proj
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q "@sha256:" proj/svc/Containerfile
	grep -q "@sha256:" proj/compose.yml
	grep -q "@sha256:" proj/deploy/pod.yaml
	cmp other.yaml proj/docs/other.yaml
	cmp README.md proj/docs/README.md
}

@test "pin: --diff and --stdout change nothing; the diff patches to what pin writes" {
	harness_need
	write_dockerfile Dockerfile
	cp Dockerfile before
	run --separate-stderr "$SHIPSHAPE" pin --diff Dockerfile
	[ "$status" -eq 1 ] # something to pin
	[[ "$output" == "--- Dockerfile"* ]]
	[[ "$stderr" == "Dockerfile: would pin 4 references" ]]
	printf '%s\n' "$output" >pin.diff
	cmp before Dockerfile
	run "$SHIPSHAPE" pin --stdout Dockerfile
	[ "$status" -eq 0 ]
	cmp before Dockerfile
	"$SHIPSHAPE" pin --stdout Dockerfile 2>/dev/null >stdout
	patch -s -o patched before <pin.diff
	"$SHIPSHAPE" pin Dockerfile 2>/dev/null
	cmp patched Dockerfile
	cmp stdout Dockerfile
	# - reads stdin and writes stdout
	"$SHIPSHAPE" pin - <before >from-stdin 2>/dev/null
	cmp from-stdin Dockerfile
	# usage: --stdout with two files, --check with --diff
	run "$SHIPSHAPE" pin --stdout before Dockerfile
	[ "$status" -eq 2 ]
	run "$SHIPSHAPE" pin --check --diff Dockerfile
	[ "$status" -eq 2 ]
	run "$SHIPSHAPE" pin
	[ "$status" -eq 2 ]
}

@test "pin: in place keeps the mode, the hard links, and writes through a symbolic link; -q" {
	harness_need
	echo "FROM $A/test/img:v1" >real
	chmod 640 real
	ln real hard
	ln -s real Dockerfile.link
	# -q: no note of what was pinned (the file is the output)
	run --separate-stderr "$SHIPSHAPE" pin -q Dockerfile.link
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ -L Dockerfile.link ]
	grep -q "@sha256:" real
	cmp real hard
	[ "$(stat -c %a real)" = 640 ]
}

@test "pin: FROM \$ARG takes the ARG's default; an ARG without one is reported, not guessed" {
	harness_need
	local img
	img=$(digest_of "$A/test/img:v1")
	cat >Dockerfile <<-EOF
		ARG BASE=$A/test/img:v1
		ARG FROM_CI
		FROM \${BASE}
		FROM \$FROM_CI
		FROM $A/test/other:v1
	EOF
	run --separate-stderr "$SHIPSHAPE" pin -f json Dockerfile
	echo "$output $stderr"
	[ "$status" -eq 1 ] # something is left unpinned
	grep -qx "ARG BASE=$A/test/img:v1@$img" Dockerfile
	grep -qx "FROM \$FROM_CI" Dockerfile
	grep -q "^FROM $A/test/other:v1@sha256:" Dockerfile
	jq -e '[.findings[].rule_id] == ["SHP6003"]' <<<"$output"
	run --separate-stderr "$SHIPSHAPE" pin --check -f json Dockerfile
	[ "$status" -eq 1 ]
	jq -e '[.findings[] | {rule_id, line: .location.line, column: .location.column}]
		== [{rule_id: "SHP6003", line: 4, column: 6}]' <<<"$output"
	[[ "$output" == *"FROM_CI has no default value"* ]]
}

@test "pin --check: no digest, then pinned, then the tag moves: the stale digest, exit 1" {
	harness_need
	registry_push "oci:$LAYOUT:v1" test/moving:v1
	printf 'FROM %s/test/moving:v1 AS a\nUSER 1000\n' "$A" >Dockerfile
	printf 'services:\n  a:\n    image: "%s/test/moving:v1"\n' "$A" >compose.yaml
	run --separate-stderr "$SHIPSHAPE" pin --check -f json Dockerfile compose.yaml
	[ "$status" -eq 1 ]
	jq -e '[.findings[] | "\(.rule_id) \(.location.file):\(.location.line):\(.location.column)"]
		== ["SHP6001 Dockerfile:1:6", "SHP6001 compose.yaml:3:13"]' <<<"$output"
	"$SHIPSHAPE" pin Dockerfile compose.yaml
	local old new
	old=$(digest_of "$A/test/moving:v1")
	run "$SHIPSHAPE" pin --check Dockerfile compose.yaml
	[ "$status" -eq 0 ]
	# another image pushed to the same tag
	registry_push "oci:$LAYOUT:v2" test/moving:v1
	new=$(digest_of "$A/test/moving:v1")
	[ "$old" != "$new" ]
	run --separate-stderr "$SHIPSHAPE" pin --check -f json Dockerfile compose.yaml
	echo "$output"
	[ "$status" -eq 1 ]
	jq -e '[.findings[] | "\(.rule_id) \(.location.file):\(.location.line):\(.location.column)"]
		== ["SHP6002 Dockerfile:1:6", "SHP6002 compose.yaml:3:13"]' <<<"$output"
	jq -e --arg n "$new" 'all(.findings[]; .message | contains("now names " + $n))' <<<"$output"
	# SARIF for code scanning: the rule and the place
	run --separate-stderr "$SHIPSHAPE" pin --check -f sarif Dockerfile
	[ "$status" -eq 1 ]
	jq -e '.runs[0].results[0] | .ruleId == "SHP6002" and .locations[0].physicalLocation.region.startLine == 1' <<<"$output"
	jq -e '.runs[0].tool.driver.rules | map(.id) | index("SHP6002") != null' <<<"$output"
	# pin leaves a digest alone: --fail-on none makes --check pass
	run "$SHIPSHAPE" pin --diff Dockerfile
	[ "$status" -eq 0 ]
	run "$SHIPSHAPE" pin --check --fail-on none Dockerfile
	[ "$status" -eq 0 ]
}

@test "pin: a reference the registry does not have is said with its place, exit 3; the others pinned" {
	harness_need
	cat >Dockerfile <<-EOF
		FROM $A/test/img:v1
		COPY --from=$A/test/nope:v1 /a /b
		FROM $A/test/other:v1
	EOF
	run "$SHIPSHAPE" pin -q Dockerfile
	echo "$output"
	[ "$status" -eq 3 ]
	# an error, said even with -q
	[[ "$output" == *"Dockerfile:2:13: $A/test/nope:v1"*"404"* ]]
	grep -q "^FROM $A/test/img:v1@sha256:" Dockerfile
	grep -q "^FROM $A/test/other:v1@sha256:" Dockerfile
	grep -qx "COPY --from=$A/test/nope:v1 /a /b" Dockerfile
	# --check: a digest the registry does not have is an error too (exit 3), and the
	# findings of the others are still reported
	printf 'FROM %s/test/img@sha256:%s\nFROM %s/test/other:v1\n' "$A" "$(printf '0%.0s' {1..64})" "$A" >Dockerfile
	run "$SHIPSHAPE" pin --check -f gnu Dockerfile
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"Dockerfile:1:6: $A/test/img@sha256:000"*"404"* ]]
	[[ "$output" == *"Dockerfile:2:6: warning: FROM $A/test/other:v1 is not pinned to a digest [SHP6001 medium]"* ]]
}

@test "pin: a registry that wants credentials: --username/--password, or exit 3 naming it" {
	harness_need
	registry_start "$BATS_TEST_TMPDIR/basic" htpasswd
	registry_push "oci:$LAYOUT:v1" test/img:v1
	echo "FROM $REG_ADDR/test/img:v1" >Dockerfile
	run "$SHIPSHAPE" pin Dockerfile
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"Dockerfile:1:6: $REG_ADDR/test/img:v1"*"401"* ]]
	grep -qx "FROM $REG_ADDR/test/img:v1" Dockerfile
	run "$SHIPSHAPE" pin --username "$REG_USER" --password "$REG_PASS" Dockerfile
	[ "$status" -eq 0 ]
	[ "$(cat Dockerfile)" = "FROM $REG_ADDR/test/img:v1@$(digest_of "$REG_ADDR/test/img:v1" --creds "$REG_USER:$REG_PASS")" ]
}

@test "pin: a file of no kind pin reads, or one that does not parse, is exit 3 and left as it was" {
	harness_need
	echo "just text" >notes.txt
	run "$SHIPSHAPE" pin notes.txt
	[ "$status" -eq 3 ]
	[[ "$output" == *"notes.txt: not a Dockerfile, a compose file"* ]]
	printf 'FROM %s/test/img:v1\nNOPE x\n' "$A" >Dockerfile
	cp Dockerfile before
	run "$SHIPSHAPE" pin Dockerfile
	[ "$status" -eq 3 ]
	[[ "$output" == *"Dockerfile:2:1: unknown instruction"* ]]
	cmp before Dockerfile
}
