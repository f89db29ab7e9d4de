#!/usr/bin/env bats
# docker://: images read from a registry (Debian's docker-registry on a loopback port, see
# registry.bash) give the report docker-archive: and oci: give, in each auth mode and with
# credentials from each place users keep them; a multi-platform index picks by --platform;
# the fault proxy's 429s, dropped connections and redirects are survived, and its flipped
# bytes, stalls and crafted manifests end in exit 3 naming the reference.

load helpers
load registry

setup_file() {
	harness_missing >/dev/null && return 0
	local d=$BATS_FILE_TMPDIR
	test_image "$d/oci" v1
	skopeo copy -q "oci:$d/oci:v1" "docker-archive:$d/img.tar:test/img:v1"
	multiarch_image "$d/multi" multi
	registry_start "$d/anon" anon
	export ANON_ADDR=$REG_ADDR
	registry_push "oci:$d/oci:v1" test/img:v1
	registry_push "oci:$d/multi:multi" test/multi:v1 --all
	registry_start "$d/basic" htpasswd
	export BASIC_ADDR=$REG_ADDR
	registry_push "oci:$d/oci:v1" test/img:v1
	registry_start "$d/token" token
	export TOKEN_ADDR=$REG_ADDR
	registry_push "oci:$d/oci:v1" test/img:v1
	# the tag's manifest digest, as the registry names it
	IMG_DIGEST=$(skopeo inspect --tls-verify=false "docker://$ANON_ADDR/test/img:v1" | jq -r .Digest)
	export IMG_DIGEST
}

teardown_file() {
	harness_stop "$BATS_FILE_TMPDIR"
}

setup() {
	harness_need
	# nobody's credentials but the test's: an empty HOME, no runtime dir, no auth file
	export HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME"
	unset XDG_RUNTIME_DIR REGISTRY_AUTH_FILE DOCKER_CONFIG
}

teardown() {
	harness_stop "$BATS_TEST_TMPDIR"
}

# report ARGS...: what must not depend on where the image came from: findings (rule,
# severity, layer, path, message), layers' diff IDs, user, sizes and waste, and packages.
report() {
	local json
	json=$("$SHIPSHAPE" image --no-cache --format json --fail-on none "$@") || return 1
	jq -S '{findings: [.findings[] | {rule_id, severity, message, layer: .location.layer,
		path: .location.path}] | sort_by(.rule_id, .path),
		diff_ids: [.image.layers[].diff_id], user: .image.user, efficiency,
		by_severity: .summary.by_severity}' <<<"$json" || return 1
	"$SHIPSHAPE" sbom --no-cache "$@" | jq -S '[.components[] | {name, version, purl}]'
}

# same_report ARGS...: the report of ARGS is the docker-archive's.
same_report() {
	report "docker-archive:$BATS_FILE_TMPDIR/img.tar" >"$BATS_TEST_TMPDIR/want"
	report "$@" >"$BATS_TEST_TMPDIR/got"
	[ "$(jq '.findings | length' <"$BATS_TEST_TMPDIR/want" 2>/dev/null | head -1)" -ge 3 ]
	diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
}

@test "docker://: the same report as docker-archive: and oci: from an anonymous registry" {
	report "docker-archive:$BATS_FILE_TMPDIR/img.tar" >"$BATS_TEST_TMPDIR/archive"
	report "oci:$BATS_FILE_TMPDIR/oci:v1" >"$BATS_TEST_TMPDIR/oci"
	diff -u "$BATS_TEST_TMPDIR/archive" "$BATS_TEST_TMPDIR/oci"
	same_report "docker://$ANON_ADDR/test/img:v1"
	run "$SHIPSHAPE" image --no-cache --format json --fail-on none "docker://$ANON_ADDR/test/img:v1"
	[ "$status" -eq 0 ]
	[ "$(jq -r .image.manifest_digest <<<"$output")" = "$IMG_DIGEST" ]
	[ "$(jq -r .image.kind <<<"$output")" = registry ]
}

@test "docker://: the same report through htpasswd (bcrypt) and token auth, with the flags" {
	same_report --username "$REG_USER" --password "$REG_PASS" "docker://$BASIC_ADDR/test/img:v1"
	same_report --username "$REG_USER" --password "$REG_PASS" "docker://$TOKEN_ADDR/test/img:v1"
	grep -q "^grant basic $REG_USER repository:test/img:pull" "$BATS_FILE_TMPDIR/token/token-grants.log"
}

@test "docker://: --registry-token is sent as the bearer token" {
	local tok
	tok=$(curl -sf -u "$REG_USER:$REG_PASS" "$TOKEN_REALM?service=shipshape-test-registry&scope=repository:test/img:pull" |
		jq -r .token)
	: >"$BATS_FILE_TMPDIR/token/token-grants.log"
	same_report --registry-token "$tok" "docker://$TOKEN_ADDR/test/img:v1"
	# the registry took it as it was: the token server was not asked again
	[ ! -s "$BATS_FILE_TMPDIR/token/token-grants.log" ]
	run "$SHIPSHAPE" image --no-cache --registry-token not-a-jwt "docker://$TOKEN_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TOKEN_ADDR/test/img:v1"* ]]
	[[ "$output" == *--registry-token* ]]
	[[ "$output" != *not-a-jwt* ]]
}

@test "docker://: a registry that wants credentials and has none, or wrong ones: exit 3" {
	local addr
	for addr in "$BASIC_ADDR" "$TOKEN_ADDR"; do
		run "$SHIPSHAPE" image --no-cache "docker://$addr/test/img:v1"
		[ "$status" -eq 3 ]
		[[ "$output" == *"$addr/test/img:v1"* ]]
		run "$SHIPSHAPE" image --no-cache --username "$REG_USER" --password wrong-one "docker://$addr/test/img:v1"
		[ "$status" -eq 3 ]
		[[ "$output" == *"$addr/test/img:v1"* ]]
		[[ "$output" == *"--username/--password"* ]]
		[[ "$output" != *wrong-one* ]]
	done
}

# docker_config DIR HOST: a config.json in DIR with the test user's credentials for HOST
docker_config() {
	mkdir -p "$1"
	jq -n --arg h "$2" --arg a "$(printf '%s:%s' "$REG_USER" "$REG_PASS" | base64 -w0)" \
		'{auths: {($h): {auth: $a}}}' >"$1/config.json"
}

@test "docker://: credentials from \$DOCKER_CONFIG/config.json and ~/.docker/config.json" {
	docker_config "$BATS_TEST_TMPDIR/dc" "$BASIC_ADDR"
	DOCKER_CONFIG=$BATS_TEST_TMPDIR/dc same_report "docker://$BASIC_ADDR/test/img:v1"
	docker_config "$HOME/.docker" "$TOKEN_ADDR"
	same_report "docker://$TOKEN_ADDR/test/img:v1"
	# a URL as the key, as docker login once wrote them
	docker_config "$HOME/.docker" "http://$BASIC_ADDR/v2/"
	same_report "docker://$BASIC_ADDR/test/img:v1"
	# refused credentials: the file is named, the password is not
	jq -n --arg h "$BASIC_ADDR" --arg a "$(printf '%s:%s' "$REG_USER" not-the-password | base64 -w0)" \
		'{auths: {($h): {auth: $a}}}' >"$HOME/.docker/config.json"
	run "$SHIPSHAPE" image --no-cache "docker://$BASIC_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$HOME/.docker/config.json"* ]]
	[[ "$output" != *not-the-password* ]]
}

@test "docker://: credentials from \$REGISTRY_AUTH_FILE and \$XDG_RUNTIME_DIR/containers/auth.json" {
	docker_config "$BATS_TEST_TMPDIR/a" "$BASIC_ADDR"
	REGISTRY_AUTH_FILE=$BATS_TEST_TMPDIR/a/config.json same_report "docker://$BASIC_ADDR/test/img:v1"
	docker_config "$BATS_TEST_TMPDIR/run/containers" "$TOKEN_ADDR"
	mv "$BATS_TEST_TMPDIR/run/containers/config.json" "$BATS_TEST_TMPDIR/run/containers/auth.json"
	XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/run same_report "docker://$TOKEN_ADDR/test/img:v1"
}

@test "docker://: credentials from a docker-credential helper named in config.json" {
	mkdir -p "$BATS_TEST_TMPDIR/bin" "$HOME/.docker"
	cat >"$BATS_TEST_TMPDIR/bin/docker-credential-shiptest" <<-EOF
		#!/bin/sh
		read -r server
		echo "\$1 \$server" >>"$BATS_TEST_TMPDIR/helper-asked"
		printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}\n' "\$server" "$REG_USER" "$REG_PASS"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/bin/docker-credential-shiptest"
	jq -n --arg h "$BASIC_ADDR" '{credHelpers: {($h): "shiptest"}}' >"$HOME/.docker/config.json"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH same_report "docker://$BASIC_ADDR/test/img:v1"
	grep -qx "get $BASIC_ADDR" "$BATS_TEST_TMPDIR/helper-asked"
	# the store for every registry
	jq -n '{credsStore: "shiptest"}' >"$HOME/.docker/config.json"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH same_report "docker://$TOKEN_ADDR/test/img:v1"
	grep -qx "get $TOKEN_ADDR" "$BATS_TEST_TMPDIR/helper-asked"
	# a helper that fails: exit 3, the helper named
	jq -n '{credsStore: "absent"}' >"$HOME/.docker/config.json"
	run "$SHIPSHAPE" image --no-cache "docker://$BASIC_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *docker-credential-absent* ]]
}

@test "docker://: an identity token in config.json is traded for an access token" {
	mkdir -p "$HOME/.docker"
	jq -n --arg h "$TOKEN_ADDR" --arg a "$(printf '%s:' "$REG_USER" | base64 -w0)" --arg t "$REG_IDTOKEN" \
		'{auths: {($h): {auth: $a, identitytoken: $t}}}' >"$HOME/.docker/config.json"
	: >"$BATS_FILE_TMPDIR/token/token-grants.log"
	same_report "docker://$TOKEN_ADDR/test/img:v1"
	grep -q "^grant refresh_token $REG_USER repository:test/img:pull" "$BATS_FILE_TMPDIR/token/token-grants.log"
}

@test "docker://: a multi-platform index: linux/amd64 by default, --platform picks, attestations skipped" {
	local ref="docker://$ANON_ADDR/test/multi:v1"
	run "$SHIPSHAPE" image --no-cache --format json --fail-on none "$ref"
	[ "$status" -eq 0 ]
	[ "$(jq -r .image.manifest_digest <<<"$output")" = "$MULTI_AMD64" ]
	[ "$(jq -r .image.platform <<<"$output")" = linux/amd64 ]
	run "$SHIPSHAPE" image --no-cache --format json --fail-on none --platform linux/arm64 "$ref"
	[ "$status" -eq 0 ]
	[ "$(jq -r .image.manifest_digest <<<"$output")" = "$MULTI_ARM64" ]
	run "$SHIPSHAPE" sbom --no-cache --platform linux/arm64 "$ref"
	[ "$(jq -r '.components[] | select(.name == "base-files") | .purl' <<<"$output")" = \
		"pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=arm64&distro=debian-12" ]
	# a platform not there: the ones that are, and not the attestation's unknown/unknown
	run "$SHIPSHAPE" image --no-cache --platform linux/s390x "$ref"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$ANON_ADDR/test/multi:v1"* ]]
	[[ "$output" == *linux/amd64* ]]
	[[ "$output" == *linux/arm64* ]]
	[[ "$output" != *unknown/unknown* ]]
}

@test "docker://: pulled by digest, the manifest is verified against it" {
	same_report "docker://$ANON_ADDR/test/img@$IMG_DIGEST"
	run "$SHIPSHAPE" image --no-cache --format json --fail-on none "docker://$ANON_ADDR/test/multi@$MULTI_ARM64"
	[ "$status" -eq 0 ]
	[ "$(jq -r .image.manifest_digest <<<"$output")" = "$MULTI_ARM64" ]
	# a manifest changed on the way no longer has that digest
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" --match '/manifests/sha256:' --flip
	run "$SHIPSHAPE" image --no-cache "docker://$PROXY_ADDR/test/img@$IMG_DIGEST"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$PROXY_ADDR/test/img@$IMG_DIGEST"* ]]
	[[ "$output" == *digest* ]]
	# a digest the repository does not have
	run "$SHIPSHAPE" image --no-cache "docker://$ANON_ADDR/test/img@sha256:$(printf '%064d' 0)"
	[ "$status" -eq 3 ]
	[[ "$output" == *MANIFEST_UNKNOWN* || "$output" == *"manifest unknown"* ]]
}

@test "docker://: 429 with Retry-After is waited out, the blobs then come" {
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" --status 429:1
	same_report "docker://$PROXY_ADDR/test/img:v1"
	grep -q ' 429$' "$PROXY_DIR/proxy-requests.log"
	[ "$(grep -c ' 200$' "$PROXY_DIR/proxy-requests.log")" -ge 3 ] # config and layers
}

@test "docker://: a connection dropped in a blob resumes with Range" {
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" --drop 100
	same_report "docker://$PROXY_ADDR/test/img:v1"
	grep -q ' cut-at-100$' "$PROXY_DIR/proxy-requests.log"
	grep -q '/blobs/sha256:.* 206$' "$PROXY_DIR/proxy-requests.log"
}

@test "docker://: a flipped byte in a blob: exit 3 naming the blob" {
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" --flip
	run "$SHIPSHAPE" image --no-cache "docker://$PROXY_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$PROXY_ADDR/test/img:v1"* ]]
	[[ "$output" =~ blob\ sha256:[0-9a-f]{64} ]]
	[[ "$output" == *mismatch* ]]
}

@test "docker://: blobs redirected to another port are fetched there without Authorization" {
	proxy_start "$BATS_TEST_TMPDIR/p" "$BASIC_ADDR" --redirect --backend-auth "$REG_USER:$REG_PASS"
	same_report --username "$REG_USER" --password "$REG_PASS" "docker://$PROXY_ADDR/test/img:v1"
	[ "$(grep -c ' auth=no$' "$PROXY_DIR/redirect-requests.log")" -ge 3 ]
	refute grep -q 'auth=yes' "$PROXY_DIR/redirect-requests.log"
}

@test "docker://: a stalled download times out: exit 3" {
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" --drip 120
	SHIPSHAPE_HTTP_STALL_SECONDS=2 run "$SHIPSHAPE" image --no-cache "docker://$PROXY_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$PROXY_ADDR/test/img:v1"* ]]
}

@test "docker://: a proxy from the environment carries the requests; no_proxy is honoured" {
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR"
	# the fault proxy without faults is a forward proxy too: it is asked for absolute URLs
	http_proxy="http://$PROXY_ADDR" run "$SHIPSHAPE" image --no-cache -f json --fail-on none "docker://$ANON_ADDR/test/img:v1"
	[ "$status" -eq 0 ]
	[ "$(proxy_count GET "^http://$ANON_ADDR/v2/test/img/blobs/")" -eq 3 ]
	http_proxy="http://$PROXY_ADDR" no_proxy=127.0.0.1 run "$SHIPSHAPE" image --no-cache -f json --fail-on none \
		"docker://$ANON_ADDR/test/img:v1"
	[ "$status" -eq 0 ]
	[ "$(proxy_count GET "^http://$ANON_ADDR/v2/test/img/blobs/")" -eq 3 ]
}

@test "docker://: a re-scan of an unchanged image downloads no layer" {
	local cache=$BATS_TEST_TMPDIR/cache
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR"
	"$SHIPSHAPE" image --cache-dir "$cache" --format json --fail-on none "docker://$PROXY_ADDR/test/img:v1" >"$BATS_TEST_TMPDIR/first"
	local layers l
	layers=$(jq -r '.image.layers[].digest' "$BATS_TEST_TMPDIR/first")
	[ "$(wc -l <<<"$layers")" -eq 2 ]
	for l in $layers; do
		[ "$(proxy_count GET "/blobs/$l\$")" -eq 1 ]
	done
	"$SHIPSHAPE" image --cache-dir "$cache" --format json --fail-on none "docker://$PROXY_ADDR/test/img:v1" >"$BATS_TEST_TMPDIR/again"
	for l in $layers; do
		[ "$(proxy_count GET "/blobs/$l\$")" -eq 1 ] # not again
	done
	[ "$(jq '[.image.layers[].cached] | all' "$BATS_TEST_TMPDIR/again")" = true ]
	diff <(jq '.findings' "$BATS_TEST_TMPDIR/first") <(jq '.findings' "$BATS_TEST_TMPDIR/again")
}

@test "docker://: blobs are verified by digest; the config's diffIDs are not hashed again" {
	# a layout whose config names another diffID for layer 1: the blobs are the image's own
	local d=$BATS_TEST_TMPDIR/lie cache=$BATS_TEST_TMPDIR/cache man cfg size mdesc lie
	cp -a "$BATS_FILE_TMPDIR/oci" "$d"
	lie=sha256:$(printf '0%.0s' {1..64})
	mdesc=$(desc_of "$d" v1)
	man=$(jq -r .digest <<<"$mdesc")
	cfg=$(jq -r .config.digest "$d/blobs/sha256/${man#sha256:}")
	jq -c --arg l "$lie" '.rootfs.diff_ids[0] = $l' "$d/blobs/sha256/${cfg#sha256:}" >"$BATS_TEST_TMPDIR/cfg"
	read -r cfg size < <(blob_put "$d" "$BATS_TEST_TMPDIR/cfg")
	jq -c --arg c "$cfg" --argjson s "$size" '.config.digest = $c | .config.size = $s' \
		"$d/blobs/sha256/${man#sha256:}" >"$BATS_TEST_TMPDIR/man"
	read -r man size < <(blob_put "$d" "$BATS_TEST_TMPDIR/man")
	jq --arg m "$man" --argjson s "$size" '.manifests |= map(.digest = $m | .size = $s)' "$d/index.json" >"$BATS_TEST_TMPDIR/index"
	cp "$BATS_TEST_TMPDIR/index" "$d/index.json"
	REG_ADDR=$ANON_ADDR registry_push "oci:$d:v1" test/lie:v1
	# from the registry, as skopeo, containerd's fetcher and Trivy read it: the layers are the
	# manifest's, and the diffID reported is the config's (a runtime checks it on unpacking)
	run "$SHIPSHAPE" image --cache-dir "$cache" --format json --fail-on none "docker://$ANON_ADDR/test/lie:v1"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.image.layers[0].diff_id' <<<"$output")" = "$lie" ]
	# the record that scan left vouches for no diffID: the same layer read from a layout with
	# that cache is hashed and the lie found
	run "$SHIPSHAPE" image --cache-dir "$cache" --format json --fail-on none "oci:$d:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"layer 1 (blobs/sha256/"*"): diffID mismatch: the config says $lie, the content is sha256:"* ]]
	run "$SHIPSHAPE" image --no-cache --format json --fail-on none "oci:$d:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"diffID mismatch"* ]]
	# the honest image with the same cache: every layer from it, digests as the archive's
	run "$SHIPSHAPE" image --cache-dir "$cache" --format json --fail-on none "oci:$BATS_FILE_TMPDIR/oci:v1"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.image.layers[0].diff_id' <<<"$output")" != "$lie" ]
}

@test "docker:// bad input: one blob for two layers whose diffIDs the config gives differently" {
	local d=$BATS_TEST_TMPDIR/twice man cfg size
	cp -a "$BATS_FILE_TMPDIR/oci" "$d"
	man=$(jq -r .digest <<<"$(desc_of "$d" v1)")
	# the manifest names layer 1's blob twice; the config keeps the two diffIDs it had
	jq -c '.layers[1] = .layers[0]' "$d/blobs/sha256/${man#sha256:}" >"$BATS_TEST_TMPDIR/man"
	read -r man size < <(blob_put "$d" "$BATS_TEST_TMPDIR/man")
	jq --arg m "$man" --argjson s "$size" '.manifests |= map(.digest = $m | .size = $s)' "$d/index.json" >"$BATS_TEST_TMPDIR/index"
	cp "$BATS_TEST_TMPDIR/index" "$d/index.json"
	REG_ADDR=$ANON_ADDR registry_push "oci:$d:v1" test/twice:v1
	run "$SHIPSHAPE" image --no-cache "docker://$ANON_ADDR/test/twice:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"docker://$ANON_ADDR/test/twice:v1: layers 1 and 2 have the same blob (sha256:"*") but the config gives them different diffIDs"* ]]
}

# bad_input FAULT...: through a proxy with FAULT, exit 3 naming the reference, the working
# directory and HOME left empty, nothing of the scan still running. Sets output.
bad_input() {
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" "$@"
	local ref="$PROXY_ADDR/test/img:v1" work=$BATS_TEST_TMPDIR/work
	mkdir -p "$work"
	run bash -c 'cd "$1" && exec "$2" image --no-cache "docker://$3"' _ "$work" "$SHIPSHAPE" "$ref"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$ref"* ]]
	[ -z "$(ls -A "$work")" ]
	[ -z "$(ls -A "$HOME")" ]
	refute pgrep -f "docker://$ref"
}

@test "docker:// bad input: a manifest that is not JSON" {
	bad_input --manifest-garbage
}

@test "docker:// bad input: a manifest over the size limit" {
	bad_input --manifest-huge 5000000
	[[ "$output" == *SHP_REG_MAX_MANIFEST* ]]
}

@test "docker:// bad input: an index that names an index, again and again" {
	bad_input --index-self
}

@test "docker:// bad input: a blob whose size is not its descriptor's" {
	bad_input --blob-size 7
	bad_input --blob-size -7
}

@test "docker:// bad input: a name the registry does not have: exit 3 with its answer" {
	run "$SHIPSHAPE" image --no-cache "docker://$ANON_ADDR/test/nothing:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$ANON_ADDR/test/nothing:v1"* ]]
	[[ "$output" == *NAME_UNKNOWN* || "$output" == *"name unknown"* || "$output" == *MANIFEST_UNKNOWN* ]]
	run "$SHIPSHAPE" image --no-cache "docker://$ANON_ADDR/test/img:nosuchtag"
	[ "$status" -eq 3 ]
	[[ "$output" == *MANIFEST_UNKNOWN* || "$output" == *"manifest unknown"* ]]
}

@test "docker://: HTTPS with the registry's CA from SSL_CERT_FILE, or --insecure; else exit 3" {
	registry_start "$BATS_TEST_TMPDIR/r" anon tls
	registry_push "oci:$BATS_FILE_TMPDIR/oci:v1" test/img:v1
	run "$SHIPSHAPE" image --no-cache "docker://$REG_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$REG_ADDR/test/img:v1"* ]]
	[[ "$output" == *certificate* || "$output" == *SSL* || "$output" == *TLS* ]]
	SSL_CERT_FILE=$REG_CA same_report "docker://$REG_ADDR/test/img:v1"
	same_report --insecure "docker://$REG_ADDR/test/img:v1"
}
