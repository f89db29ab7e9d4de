#!/usr/bin/env bats
# slim -o docker://: the slim image pushed to a registry (blobs skipped when there, mounted
# from the source's repository on the same registry, uploaded in one PUT or in PATCH chunks;
# the manifest put by tag), read back by skopeo and shipshape; credentials that do not allow
# pushing exit 3. The anonymous registry logs its requests (REG_ACCESSLOG) to count them.

load helpers
load registry

setup_file() {
	harness_missing >/dev/null && return 0
	local d=$BATS_FILE_TMPDIR
	test_image "$d/oci" v1
	REG_ACCESSLOG=1 registry_start "$d/anon" anon
	export ANON_ADDR=$REG_ADDR ANON_LOG=$d/anon/registry.log
	registry_push "oci:$d/oci:v1" a/src:one
	export LAYOUT=$d/oci
}

teardown_file() {
	harness_stop "$BATS_FILE_TMPDIR"
}

setup() {
	harness_need
	export HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME"
	unset XDG_RUNTIME_DIR REGISTRY_AUTH_FILE DOCKER_CONFIG
}

teardown() {
	harness_stop "$BATS_TEST_TMPDIR"
}

# report ARGS...: the image report as JSON, the input's name left out.
report() {
	local out
	out=$("$SHIPSHAPE" image --no-cache -f json --fail-on none "$@") || return
	jq -S --arg in "$(jq -r .image.input <<<"$out")" '
		del(.image.input, .image.kind, .image.ref) | walk(if type == "string" and . == $in then "IN" else . end)' <<<"$out"
}

# requests METHOD REGEX: how many requests the anonymous registry logged with that method and
# a path (with its query) matching REGEX.
requests() {
	grep -o '"[A-Z]* [^ ]* HTTP/[0-9.]*" [0-9]*' "$ANON_LOG" |
		awk -v m="\"$1" -v re="$2" '$1 == m && $2 ~ re { n++ } END { print n + 0 }'
}

@test "slim push: docker:// to docker://, read back by skopeo and shipshape as the tarball's image" {
	run "$SHIPSHAPE" slim "docker://$ANON_ADDR/a/src:one" -o "docker://$ANON_ADDR/a/slim:one"
	[ "$status" -eq 0 ]
	[[ "$output" == *"-> docker://$ANON_ADDR/a/slim:one"* ]]
	[[ "$output" == *"layer       uploaded"* ]]
	local pushed=$output
	# the same image as a tarball: the same manifest, layer and config digests
	run "$SHIPSHAPE" slim "oci:$LAYOUT:v1" -o "$BATS_TEST_TMPDIR/slim.tar"
	[ "$status" -eq 0 ]
	local img
	img=$(grep -o 'image       sha256:[0-9a-f]*' <<<"$output")
	[[ "$pushed" == *"$img"* ]]
	local layer cfg
	layer=$(jq -r '.manifests[0].digest' <(tar -xOf "$BATS_TEST_TMPDIR/slim.tar" index.json))
	run skopeo inspect --tls-verify=false "docker://$ANON_ADDR/a/slim:one"
	[ "$status" -eq 0 ]
	[ "$(jq -r .Digest <<<"$output")" = "$layer" ]
	[ "$(jq -r '.Layers | length' <<<"$output")" = 1 ]
	jq -e '.User == "1000:1000"' <<<"$(skopeo inspect --tls-verify=false --config "docker://$ANON_ADDR/a/slim:one" | jq .config)"
	# shipshape reads both the same: layers' diff_ids, entries, packages, findings
	local want got
	want=$(report "oci-archive:$BATS_TEST_TMPDIR/slim.tar")
	got=$(report "docker://$ANON_ADDR/a/slim:one")
	[ "$got" = "$want" ]
	jq -e '.image.layers | length == 1' <<<"$got"
	# the manifest was put once, by its tag; the source's repository has neither blob, so each
	# mount was answered 202 and the blob uploaded into the session it opened
	[ "$(requests PUT '^/v2/a/slim/manifests/one$')" = 1 ]
	[ "$(requests POST '^/v2/a/slim/blobs/uploads/\\?mount=sha256%3A[0-9a-f]*&from=a%2Fsrc$')" = 2 ]
	[ "$(requests PUT '^/v2/a/slim/blobs/uploads/[^?]*\\?_state=.*&digest=sha256:')" = 2 ]
}

@test "slim push: a layer the registry has is mounted from the source's repository, not uploaded" {
	run "$SHIPSHAPE" slim "docker://$ANON_ADDR/a/src:one" -o "docker://$ANON_ADDR/a/m1:one"
	[ "$status" -eq 0 ]
	# slimming the slim image keeps its one layer as it is: that layer is in a/m1 already
	run "$SHIPSHAPE" slim "docker://$ANON_ADDR/a/m1:one" -o "docker://$ANON_ADDR/a/m2:one"
	[ "$status" -eq 0 ]
	[[ "$output" == *"layer       mounted from a/m1"* ]]
	local layer
	layer=$(grep -o '(layer sha256:[0-9a-f]*' <<<"$output" | cut -c8-)
	[ "$(requests POST "^/v2/a/m2/blobs/uploads/\\\\?mount=sha256%3A${layer#sha256:}&from=a%2Fm1$")" = 1 ]
	# one upload (the new config), none of the layer
	[ "$(requests PUT '^/v2/a/m2/blobs/uploads/')" = 1 ]
	[ "$(requests PATCH '^/v2/a/m2/blobs/uploads/')" = 0 ]
	# pushed again: every blob is there already (HEAD), nothing is uploaded or mounted
	run "$SHIPSHAPE" slim "docker://$ANON_ADDR/a/m1:one" -o "docker://$ANON_ADDR/a/m2:two"
	[ "$status" -eq 0 ]
	[[ "$output" == *"layer       already there"* ]]
	[[ "$output" == *"config      already there"* ]]
	[ "$(requests PUT '^/v2/a/m2/blobs/uploads/')" = 1 ]
	[ "$(requests POST '^/v2/a/m2/blobs/uploads/')" = 2 ]
	run skopeo inspect --tls-verify=false "docker://$ANON_ADDR/a/m2:two"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.Layers[0]' <<<"$output")" = "$layer" ]
}

@test "slim push: a blob over the threshold goes in PATCH chunks, each taken whole" {
	local want
	SHIPSHAPE_REGISTRY_CHUNK_BYTES=1000 run "$SHIPSHAPE" slim "docker://$ANON_ADDR/a/src:one" \
		-o "docker://$ANON_ADDR/a/chunked:one"
	[ "$status" -eq 0 ]
	[[ "$output" == *"layer       uploaded in chunks"* ]]
	[[ "$output" == *"config      uploaded"* ]]
	local size
	size=$(skopeo inspect --tls-verify=false --raw "docker://$ANON_ADDR/a/chunked:one" | jq '.layers[0].size')
	# ceil(size / 1000) PATCHes, then one PUT each for the layer and the config
	[ "$(requests PATCH '^/v2/a/chunked/blobs/uploads/')" = $(((size + 999) / 1000)) ]
	[ "$(requests PUT '^/v2/a/chunked/blobs/uploads/')" = 2 ]
	want=$(report "docker://$ANON_ADDR/a/slim:one" 2>/dev/null || report "docker://$ANON_ADDR/a/m1:one")
	[ "$(report "docker://$ANON_ADDR/a/chunked:one")" = "$want" ]
}

@test "slim push: htpasswd: --username/--password push; no credentials exit 3 naming the reference" {
	local d=$BATS_TEST_TMPDIR
	registry_start "$d/r" htpasswd
	registry_push "oci:$LAYOUT:v1" a/src:one
	run "$SHIPSHAPE" slim --username "$REG_USER" --password "$REG_PASS" "docker://$REG_ADDR/a/src:one" \
		-o "docker://$REG_ADDR/a/slim:one"
	[ "$status" -eq 0 ]
	run skopeo inspect --tls-verify=false --creds "$REG_USER:$REG_PASS" "docker://$REG_ADDR/a/slim:one"
	[ "$status" -eq 0 ]
	# read from the anonymous registry, pushed without credentials: refused
	run "$SHIPSHAPE" slim "docker://$ANON_ADDR/a/src:one" -o "docker://$REG_ADDR/a/other:one"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$REG_ADDR/a/other:one"* ]]
	[[ "$output" == *"401"* ]]
	[[ "$output" == *"no credentials"* ]]
	run skopeo inspect --tls-verify=false --creds "$REG_USER:$REG_PASS" "docker://$REG_ADDR/a/other:one"
	[ "$status" -ne 0 ]
}

@test "slim push: token: a pull-only token or no credentials exit 3; a push token pushes" {
	local d=$BATS_TEST_TMPDIR tok
	registry_start "$d/r" token
	registry_push "oci:$LAYOUT:v1" a/src:one
	run "$SHIPSHAPE" slim "docker://$ANON_ADDR/a/src:one" -o "docker://$REG_ADDR/a/slim:one"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$REG_ADDR/a/slim:one"* ]]
	[[ "$output" == *"credentials"* ]]
	tok=$(curl -sf -u "$REG_USER:$REG_PASS" \
		"$TOKEN_REALM?service=shipshape-test-registry&scope=repository:a/slim:pull" | jq -r .token)
	run "$SHIPSHAPE" slim --registry-token "$tok" "docker://$ANON_ADDR/a/src:one" -o "docker://$REG_ADDR/a/slim:one"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$REG_ADDR/a/slim:one"* ]]
	[[ "$output" == *"refused to let us push"* ]]
	run "$SHIPSHAPE" slim --username "$REG_USER" --password "$REG_PASS" "docker://$REG_ADDR/a/src:one" \
		-o "docker://$REG_ADDR/a/slim:one"
	[ "$status" -eq 0 ]
	# the source is on this registry: the token asked for covers the mount's source too
	grep -E 'repository:a/slim:(pull,push|push,pull)' "$d/r/token-grants.log" | grep -q 'repository:a/src:pull'
	run skopeo inspect --tls-verify=false --creds "$REG_USER:$REG_PASS" "docker://$REG_ADDR/a/slim:one"
	[ "$status" -eq 0 ]
}

@test "slim push: only docker:// pushes; a digest is refused; nothing is written locally" {
	cd "$BATS_TEST_TMPDIR"
	# a reference without the transport is a file name
	run "$SHIPSHAPE" slim "docker://$ANON_ADDR/a/src:one" -o "nginx:slim"
	[ "$status" -eq 0 ]
	[ -f "nginx:slim" ]
	run "$SHIPSHAPE" slim "docker://$ANON_ADDR/a/src:one" \
		-o "docker://$ANON_ADDR/a/x@sha256:0000000000000000000000000000000000000000000000000000000000000000"
	[ "$status" -eq 2 ]
	[[ "$output" == *"push by tag"* ]]
	run "$SHIPSHAPE" slim --help
	[[ "$output" == *"only docker:// pushes"* ]]
	# a push that fails leaves nothing in $TMPDIR
	mkdir tmp
	TMPDIR=$PWD/tmp run "$SHIPSHAPE" slim "docker://$ANON_ADDR/a/src:one" -o "docker://127.0.0.1:1/a/x:one"
	[ "$status" -eq 3 ]
	[ -z "$(ls -A tmp)" ]
}

@test "slim push: a registry that refuses writes: exit 3 naming the reference and the status, nothing written locally" {
	local d=$BATS_TEST_TMPDIR
	REG_READONLY=1 registry_start "$d/r" anon
	mkdir "$d/tmp"
	TMPDIR=$d/tmp run "$SHIPSHAPE" slim "docker://$ANON_ADDR/a/src:one" -o "docker://$REG_ADDR/a/slim:one"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$REG_ADDR/a/slim:one: blob sha256:"* ]]
	[[ "$output" == *"the registry answered 405"* ]]
	[ -z "$(ls -A "$d/tmp")" ]
}
