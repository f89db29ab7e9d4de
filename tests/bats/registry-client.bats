#!/usr/bin/env bats
# The registry client beyond registry.bats's acceptance: the whole JSON report of docker://
# equals the pushed OCI layout's (digests included), bare references, reference syntax,
# -j, mirrors from .shipshape.yaml, and certs.d (a registry's CA and a client certificate).

load helpers
load registry

setup_file() {
	harness_missing >/dev/null && return 0
	local d=$BATS_FILE_TMPDIR
	test_image "$d/oci" v1
	registry_start "$d/anon" anon
	export ANON_ADDR=$REG_ADDR
	registry_push "oci:$d/oci:v1" test/img:v1
	registry_start "$d/basic" htpasswd
	export BASIC_ADDR=$REG_ADDR
	registry_push "oci:$d/oci:v1" test/img:v1
	export LAYOUT=$d/oci
}

teardown_file() {
	harness_stop "$BATS_FILE_TMPDIR"
}

setup() {
	# nobody's credentials but the test's
	export HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME"
	unset XDG_RUNTIME_DIR REGISTRY_AUTH_FILE DOCKER_CONFIG
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
	# the report's schema knows the kind
	local ajv="$NPM_DIR/node_modules/.bin/ajv"
	if [ -x "$ajv" ]; then
		printf '%s' "$output" >"$BATS_TEST_TMPDIR/r.json"
		"$ajv" validate -s "$ROOT/docs/json-schema.json" -d "$BATS_TEST_TMPDIR/r.json" --strict=false --all-errors
	fi
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

@test "registry: -j downloads layers in parallel and reports the same" {
	harness_need
	local want
	want=$(report -j 1 "docker://$ANON_ADDR/test/img:v1")
	[ "$(report -j 4 "docker://$ANON_ADDR/test/img:v1")" = "$want" ]
	# and through a proxy, one connection per blob
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR"
	[ "$(report -j 2 "docker://$PROXY_ADDR/test/img:v1")" = "$want" ]
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

@test "registry: mirrors from the configuration are asked first, the registry itself last" {
	harness_need
	local want dead
	want=$(report "oci:$LAYOUT:v1")
	dead=127.0.0.1:$(free_port)
	cd "$BATS_TEST_TMPDIR"
	# the registry named is down: its mirror serves the image
	printf 'registries:\n  mirrors:\n    "%s": ["%s"]\n' "$dead" "$ANON_ADDR" >.shipshape.yaml
	[ "$(report "docker://$dead/test/img:v1")" = "$want" ]
	# so do sbom and slim, and the user's configuration names mirrors as the project's does
	"$SHIPSHAPE" sbom --no-cache "docker://$dead/test/img:v1" | jq -e '[.components[].name] | index("base-files")'
	run "$SHIPSHAPE" slim --no-cache --dry-run "docker://$dead/test/img:v1"
	[ "$status" -eq 0 ]
	mkdir -p home/.config/shipshape
	mv .shipshape.yaml home/.config/shipshape/config.yaml
	[ "$(HOME=$PWD/home report "docker://$dead/test/img:v1")" = "$want" ]
	rm -r home
	# the first mirror is down, the second (a counting proxy) serves manifest and blobs
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR"
	printf 'registries:\n  mirrors:\n    "%s": ["%s", "%s"]\n' "$BASIC_ADDR" "$dead" "$PROXY_ADDR" >.shipshape.yaml
	[ "$(report "docker://$BASIC_ADDR/test/img:v1")" = "$want" ]
	[ "$(proxy_count GET '/blobs/')" -eq 3 ]
	# a mirror that refuses (no credentials for it) is passed over for the registry itself
	printf 'registries:\n  mirrors:\n    "%s": ["%s"]\n' "$PROXY_ADDR" "$BASIC_ADDR" >.shipshape.yaml
	[ "$(report "docker://$PROXY_ADDR/test/img:v1")" = "$want" ]
	[ "$(proxy_count GET '/blobs/')" -eq 6 ]
}
