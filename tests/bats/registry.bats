#!/usr/bin/env bats
# docker:// against Debian's docker-registry on loopback ports (tests/bats/registry.bash): the
# same report as the OCI layout that was pushed, by tag and by digest, in each auth mode; an
# index chosen by --platform; a cached re-scan that downloads no layer; and the faults of the
# proxy in front (429, a dropped connection, a flipped byte, a redirect, a stall, bad manifests).

load helpers
load registry

setup_file() {
	harness_missing >/dev/null && return 0
	local d=$BATS_FILE_TMPDIR
	test_image "$d/oci" v1
	multiarch_image "$d/oci" multi
	registry_start "$d/anon" anon
	export ANON_ADDR=$REG_ADDR
	registry_push "oci:$d/oci:v1" test/img:v1
	registry_push "oci:$d/oci:multi" test/multi:v1 --all
	registry_start "$d/basic" htpasswd
	export BASIC_ADDR=$REG_ADDR
	registry_push "oci:$d/oci:v1" test/img:v1
	registry_start "$d/token" token
	export TOKEN_ADDR=$REG_ADDR
	registry_push "oci:$d/oci:v1" test/img:v1
	export LAYOUT=$d/oci
	export MULTI_AMD64 MULTI_ARM64 MULTI_INDEX
}

teardown_file() {
	harness_stop "$BATS_FILE_TMPDIR"
}

teardown() {
	harness_stop "$BATS_TEST_TMPDIR"
}

# report ARGS...: the image report as JSON, the input's name left out (it is the one thing
# that differs between a registry and a layout of the same image).
report() {
	local out
	out=$("$SHIPSHAPE" image --no-cache -f json --fail-on none "$@") || return
	jq -S --arg in "$(jq -r .image.input <<<"$out")" '
		del(.image.input, .image.kind, .image.ref) | walk(if type == "string" and . == $in then "IN" else . end)' <<<"$out"
}

@test "registry: docker:// by tag gives the report of the layout that was pushed" {
	harness_need
	local want got
	want=$(report "oci:$LAYOUT:v1")
	got=$(report "docker://$ANON_ADDR/test/img:v1")
	[ "$got" = "$want" ]
	# the same image, so the same digests; and findings were made (the setuid tool, user...)
	jq -e '.findings | length > 0' <<<"$got"
	jq -e '.image.manifest_digest | startswith("sha256:")' <<<"$got"
	run "$SHIPSHAPE" image -f json --no-cache --fail-on none "docker://$ANON_ADDR/test/img:v1"
	jq -e --arg a "$ANON_ADDR" '.image.kind == "registry" and .image.ref == ($a + "/test/img:v1")' <<<"$output"
}

@test "registry: sbom and vuln read docker:// as they read the layout" {
	harness_need
	local want got
	want=$("$SHIPSHAPE" sbom --no-cache -f cyclonedx "oci:$LAYOUT:v1" | jq -S '[.components[] | {name, version, purl}]')
	got=$("$SHIPSHAPE" sbom --no-cache -f cyclonedx "docker://$ANON_ADDR/test/img:v1" | jq -S '[.components[] | {name, version, purl}]')
	[ "$got" = "$want" ]
	jq -e 'map(select(.name == "base-files")) | length == 1' <<<"$got"
}

@test "registry: by digest, verified; an unknown digest or tag is the registry's 404" {
	harness_need
	local digest want got
	digest=$(report "oci:$LAYOUT:v1" | jq -r .image.manifest_digest)
	want=$(report "oci:$LAYOUT:v1")
	got=$(report "docker://$ANON_ADDR/test/img@$digest")
	[ "$got" = "$want" ]
	run "$SHIPSHAPE" image "docker://$ANON_ADDR/test/img@sha256:$(printf '0%.0s' {1..64})"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$ANON_ADDR/test/img@sha256:000"*"404"*"MANIFEST_UNKNOWN"* ]]
	run "$SHIPSHAPE" image "docker://$ANON_ADDR/test/img:nope"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$ANON_ADDR/test/img:nope"*"MANIFEST_UNKNOWN"* ]]
	run "$SHIPSHAPE" image "docker://$ANON_ADDR/no/such:v1"
	[ "$status" -eq 3 ]
	# distribution 2.8 says MANIFEST_UNKNOWN for an unknown repository too; others NAME_UNKNOWN
	[[ "$output" == *"$ANON_ADDR/no/such:v1"*"404"*"_UNKNOWN"* ]]
}

@test "registry: a bare reference that is no file is read from the registry" {
	harness_need
	local want got
	want=$(report "oci:$LAYOUT:v1")
	cd "$BATS_TEST_TMPDIR"
	got=$(report "$ANON_ADDR/test/img:v1")
	[ "$got" = "$want" ]
	# neither a file nor an image: both are said
	run "$SHIPSHAPE" image "$ANON_ADDR/test/img:nope"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$ANON_ADDR/test/img:nope: No such file or directory, and as an image in a registry: "*"MANIFEST_UNKNOWN"* ]]
}

@test "registry: malformed references are exit 2; nothing listening is exit 3" {
	harness_need
	for ref in 'docker://Upper/Case:v1' 'docker://a/b:bad tag' 'docker://a/b@sha256:abc' 'docker://host:99999999/x'; do
		run "$SHIPSHAPE" image "$ref"
		echo "$ref: $status $output"
		[ "$status" -eq 2 ]
		[[ "$output" == *"not an image reference"* ]]
	done
	local port
	port=$(free_port)
	run "$SHIPSHAPE" image "docker://127.0.0.1:$port/x/y:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"127.0.0.1:$port/x/y:v1: cannot connect to 127.0.0.1:$port"* ]]
}

@test "registry: htpasswd registry with --username/--password; none or wrong ones are exit 3" {
	harness_need
	local want got
	want=$(report "oci:$LAYOUT:v1")
	got=$(report --username "$REG_USER" --password "$REG_PASS" "docker://$BASIC_ADDR/test/img:v1")
	[ "$got" = "$want" ]
	run "$SHIPSHAPE" image "docker://$BASIC_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$BASIC_ADDR/test/img:v1: 401 Unauthorized, and no credentials for $BASIC_ADDR"* ]]
	run "$SHIPSHAPE" image --username "$REG_USER" --password wrong-secret-123 "docker://$BASIC_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"401 Unauthorized with the credentials from --username/--password"* ]]
	[[ "$output" != *wrong-secret-123* ]]
}

@test "registry: token auth: a bearer token from the realm, with or without credentials" {
	harness_need
	local want got
	want=$(report "oci:$LAYOUT:v1")
	got=$(report --username "$REG_USER" --password "$REG_PASS" "docker://$TOKEN_ADDR/test/img:v1")
	[ "$got" = "$want" ]
	run "$SHIPSHAPE" image "docker://$TOKEN_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TOKEN_ADDR/test/img:v1"* ]]
	[[ "$output" == *"wants credentials, and there are none for $TOKEN_ADDR"* ]]
	run "$SHIPSHAPE" image --username "$REG_USER" --password wrong-secret-123 "docker://$TOKEN_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"--username/--password"* ]]
	[[ "$output" != *wrong-secret-123* ]]
}

@test "registry: an index is read for --platform (default linux/amd64), attestations skipped" {
	harness_need
	run "$SHIPSHAPE" sbom --no-cache -f json "docker://$ANON_ADDR/test/multi:v1"
	[ "$status" -eq 0 ]
	jq -e '.packages[] | select(.name == "base-files") | .arch == "amd64"' <<<"$output" ||
		jq -e '[.. | strings | select(test("amd64"))] | length > 0' <<<"$output"
	run "$SHIPSHAPE" image --no-cache -f json --fail-on none "docker://$ANON_ADDR/test/multi:v1"
	jq -e --arg d "$MULTI_AMD64" '.image.manifest_digest == $d and .image.platform == "linux/amd64"' <<<"$output"
	run "$SHIPSHAPE" image --no-cache -f json --fail-on none --platform linux/arm64 "docker://$ANON_ADDR/test/multi:v1"
	jq -e --arg d "$MULTI_ARM64" '.image.manifest_digest == $d and .image.platform == "linux/arm64/v8"' <<<"$output"
	# by the index's digest, verified
	run "$SHIPSHAPE" image --no-cache -f json --fail-on none --platform linux/arm64 "docker://$ANON_ADDR/test/multi@$MULTI_INDEX"
	jq -e --arg d "$MULTI_ARM64" '.image.manifest_digest == $d' <<<"$output"
	run "$SHIPSHAPE" image --platform linux/s390x "docker://$ANON_ADDR/test/multi:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no image for platform linux/s390x"*"linux/amd64, linux/arm64/v8 (choose one with --platform)"* ]]
	[[ "$output" != *unknown/unknown* ]]
}

@test "registry: a cached re-scan downloads the manifest and config only" {
	harness_need
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR"
	local cache=$BATS_TEST_TMPDIR/cache first second
	first=$("$SHIPSHAPE" image --cache-dir "$cache" -f json --fail-on none "docker://$PROXY_ADDR/test/img:v1")
	[ "$(proxy_count GET '/blobs/')" -eq 3 ] # the config and two layers
	second=$("$SHIPSHAPE" image --cache-dir "$cache" -f json --fail-on none "docker://$PROXY_ADDR/test/img:v1")
	[ "$(proxy_count GET '/blobs/')" -eq 4 ] # the config again, no layer
	jq -e '[.image.layers[] | .cached] == [true, true]' <<<"$second"
	[ "$(jq -S 'del(.image.layers[].cached)' <<<"$first")" = "$(jq -S 'del(.image.layers[].cached)' <<<"$second")" ]
}

@test "registry: -j downloads layers in parallel and reports the same" {
	harness_need
	local want
	want=$(report -j 1 "docker://$ANON_ADDR/test/img:v1")
	[ "$(report -j 4 "docker://$ANON_ADDR/test/img:v1")" = "$want" ]
	# and through a proxy, one connection per blob
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR"
	[ "$(report -j 2 "docker://$PROXY_ADDR/test/img:v1")" = "$want" ]
}

@test "registry: 429 with Retry-After and 503 are retried; a dropped blob resumes with Range" {
	harness_need
	local want
	want=$(report "docker://$ANON_ADDR/test/img:v1")
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" --status 429:2
	[ "$(report "docker://$PROXY_ADDR/test/img:v1")" = "$want" ]
	[ "$(awk '$3 == 429' "$PROXY_DIR/proxy-requests.log" | wc -l)" -ge 2 ]
	harness_stop "$BATS_TEST_TMPDIR/p"
	proxy_start "$BATS_TEST_TMPDIR/q" "$ANON_ADDR" --status 503:1
	[ "$(report "docker://$PROXY_ADDR/test/img:v1")" = "$want" ]
	harness_stop "$BATS_TEST_TMPDIR/q"
	proxy_start "$BATS_TEST_TMPDIR/r" "$ANON_ADDR" --drop 100
	[ "$(report "docker://$PROXY_ADDR/test/img:v1")" = "$want" ]
	grep -q ' 206$' "$PROXY_DIR/proxy-requests.log"
}

@test "registry: a flipped byte or a wrong size is exit 3 naming the blob and the reference" {
	harness_need
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" --flip --match '/blobs/'
	run "$SHIPSHAPE" image --no-cache "docker://$PROXY_ADDR/test/img:v1"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$PROXY_ADDR/test/img:v1"*"sha256:"* ]]
	harness_stop "$BATS_TEST_TMPDIR/p"
	proxy_start "$BATS_TEST_TMPDIR/q" "$ANON_ADDR" --blob-size 7
	run "$SHIPSHAPE" image --no-cache "docker://$PROXY_ADDR/test/img:v1"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$PROXY_ADDR/test/img:v1"*"blob sha256:"* ]]
}

@test "registry: a redirect to another port is followed without Authorization" {
	harness_need
	local want
	want=$(report "oci:$LAYOUT:v1")
	proxy_start "$BATS_TEST_TMPDIR/p" "$BASIC_ADDR" --redirect --backend-auth "$REG_USER:$REG_PASS"
	[ "$(report --username "$REG_USER" --password "$REG_PASS" "docker://$PROXY_ADDR/test/img:v1")" = "$want" ]
	grep -q 'auth=no' "$PROXY_DIR/redirect-requests.log"
	refute grep -q 'auth=yes' "$PROXY_DIR/redirect-requests.log"
}

@test "registry: a stalled download times out (exit 3)" {
	harness_need
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" --drip 60
	SHIPSHAPE_HTTP_STALL_SECONDS=2 run "$SHIPSHAPE" image --no-cache "docker://$PROXY_ADDR/test/img:v1"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$PROXY_ADDR/test/img:v1"* ]]
}

@test "registry: a manifest that is not JSON, one over 4 MiB, an index of itself: exit 3" {
	harness_need
	proxy_start "$BATS_TEST_TMPDIR/a" "$ANON_ADDR" --manifest-garbage
	run "$SHIPSHAPE" image "docker://$PROXY_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$PROXY_ADDR/test/img:v1"* ]]
	harness_stop "$BATS_TEST_TMPDIR/a"
	proxy_start "$BATS_TEST_TMPDIR/b" "$ANON_ADDR" --manifest-huge 5000000
	run "$SHIPSHAPE" image "docker://$PROXY_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$PROXY_ADDR/test/img:v1"*"more than 4194304 bytes"* ]]
	harness_stop "$BATS_TEST_TMPDIR/b"
	proxy_start "$BATS_TEST_TMPDIR/c" "$ANON_ADDR" --index-self
	run "$SHIPSHAPE" image "docker://$PROXY_ADDR/test/img:v1"
	echo "$output"
	[ "$status" -eq 3 ]
	# the crafted index is never followed for ever: its digest or its depth stops it
	[[ "$output" == *"$PROXY_ADDR/test/img:v1"*"digest mismatch"* || "$output" == *"nested deeper"* ]]
}

# tls_registry DIR [CLIENTCA]: an anonymous registry over HTTPS with a certificate from the
# CA DIR/ca.pem for 127.0.0.1 (and client certificates from CLIENTCA required); sets REG_ADDR.
tls_registry() {
	local d=$1 clientca=${2:-} port pid
	mkdir -p "$d/data"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 2 \
		-subj /CN=shipshape-test-ca 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -keyout "$d/server.key" -out "$d/server.csr" -subj /CN=127.0.0.1 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1\n' >"$d/ext"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
		-extfile "$d/ext" -out "$d/server.pem" 2>/dev/null
	port=$(free_port)
	cat >"$d/config.yml" <<-EOC
		version: 0.1
		log: {level: warn, accesslog: {disabled: true}}
		storage: {filesystem: {rootdirectory: $d/data}}
		http: {addr: 127.0.0.1:$port, secret: s, tls: {certificate: $d/server.pem, key: $d/server.key${clientca:+, clientcas: [$clientca]}}}
	EOC
	harness_spawn "$d" registry "$REGISTRY_BIN" serve "$d/config.yml"
	pid=$(tail -n1 "$d/pids")
	for _ in $(seq 100); do
		curl -sk -o /dev/null -m 2 "https://127.0.0.1:$port/v2/" && break
		kill -0 "$pid" || return 1
		sleep 0.1
	done
	REG_ADDR=127.0.0.1:$port
}

@test "registry: HTTPS verified against SSL_CERT_FILE, or a CA and client certificate in certs.d" {
	harness_need
	local d=$BATS_TEST_TMPDIR want
	want=$(report "oci:$LAYOUT:v1")
	tls_registry "$d/tls"
	skopeo copy -q --dest-tls-verify=false "oci:$LAYOUT:v1" "docker://$REG_ADDR/test/img:v1"
	# an unknown CA is refused, not fallen back to plain HTTP
	run "$SHIPSHAPE" image "docker://$REG_ADDR/test/img:v1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$REG_ADDR/test/img:v1"*"certificate"* ]]
	[ "$(SSL_CERT_FILE=$d/tls/ca.pem report "docker://$REG_ADDR/test/img:v1")" = "$want" ]
	[ "$(report --insecure "docker://$REG_ADDR/test/img:v1")" = "$want" ]
	# certs.d: the registry's CA besides the system's, and a client certificate it requires
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/client.key" -out "$d/client.pem" -days 2 \
		-subj /CN=shipshape-client 2>/dev/null
	tls_registry "$d/mtls" "$d/client.pem"
	local certs=$d/certs.d/$REG_ADDR
	mkdir -p "$certs"
	cp "$d/mtls/ca.pem" "$certs/ca.crt"
	run env SHIPSHAPE_CERTS_DIRS="$d/certs.d" "$SHIPSHAPE" image "docker://$REG_ADDR/test/img:v1"
	[ "$status" -eq 3 ] # no client certificate yet
	cp "$d/client.pem" "$certs/client.cert"
	cp "$d/client.key" "$certs/client.key"
	skopeo copy -q --dest-cert-dir "$certs" "oci:$LAYOUT:v1" "docker://$REG_ADDR/test/img:v1"
	[ "$(SHIPSHAPE_CERTS_DIRS=/nonexistent:$d/certs.d report "docker://$REG_ADDR/test/img:v1")" = "$want" ]
}
