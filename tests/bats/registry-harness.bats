#!/usr/bin/env bats
# The registry test harness itself (tests/bats/registry.bash), checked with skopeo and curl
# so that what the registry tests stand on is known to work: each auth mode, the multi-platform
# index, the token server's flows, and each fault of the proxy.

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
	registry_start "$d/token" token
	export TOKEN_ADDR=$REG_ADDR
	registry_push "oci:$d/oci:v1" test/img:v1
}

teardown_file() {
	harness_stop "$BATS_FILE_TMPDIR"
}

teardown() {
	harness_stop "$BATS_TEST_TMPDIR"
}

@test "harness: an anonymous registry serves what skopeo pushed to it" {
	harness_need
	run skopeo inspect --tls-verify=false "docker://$ANON_ADDR/test/img:v1"
	[ "$status" -eq 0 ]
	[ "$(jq -r .Architecture <<<"$output")" = amd64 ]
	[ "$(jq '.Layers | length' <<<"$output")" -eq 2 ]
	run curl -sf "http://$ANON_ADDR/v2/_catalog"
	[ "$output" = '{"repositories":["test/img"]}' ]
}

@test "harness: every process a test starts is gone after harness_stop" {
	harness_need
	registry_start "$BATS_TEST_TMPDIR/r" anon
	proxy_start "$BATS_TEST_TMPDIR/r/p" "$REG_ADDR"
	local pids
	pids=$(cat "$BATS_TEST_TMPDIR/r/pids" "$BATS_TEST_TMPDIR/r/p/pids")
	[ "$(wc -w <<<"$pids")" -eq 2 ]
	kill -0 $pids
	harness_stop "$BATS_TEST_TMPDIR/r"
	for p in $pids; do
		refute kill -0 "$p" 2>/dev/null
	done
	refute curl -s -o /dev/null "http://$REG_ADDR/v2/"
	refute curl -s -o /dev/null "http://$PROXY_ADDR/v2/"
}

@test "harness: the htpasswd registry wants bcrypt-checked Basic credentials" {
	harness_need
	run curl -s -o /dev/null -w '%{http_code}' "http://$BASIC_ADDR/v2/"
	[ "$output" = 401 ]
	run curl -s -o /dev/null -w '%{http_code}' -u "$REG_USER:wrong" "http://$BASIC_ADDR/v2/"
	[ "$output" = 401 ]
	grep -q '^shipshape:\$2y\$' "$BATS_FILE_TMPDIR/basic/htpasswd"
	run skopeo inspect --tls-verify=false "docker://$BASIC_ADDR/test/img:v1"
	[ "$status" -ne 0 ]
	run skopeo inspect --tls-verify=false --creds "$REG_USER:$REG_PASS" "docker://$BASIC_ADDR/test/img:v1"
	[ "$status" -eq 0 ]
	[ "$(jq '.Layers | length' <<<"$output")" -eq 2 ]
}

@test "harness: the token registry sends to the token server, whose JWTs it accepts" {
	harness_need
	run curl -s -D - -o /dev/null "http://$TOKEN_ADDR/v2/test/img/manifests/v1"
	[[ "$output" == *"Bearer realm=\"$TOKEN_REALM\",service=\"shipshape-test-registry\",scope=\"repository:test/img:pull\""* ]]
	# no credentials, wrong ones: no token
	run curl -s -o /dev/null -w '%{http_code}' "$TOKEN_REALM?service=shipshape-test-registry&scope=repository:test/img:pull"
	[ "$output" = 401 ]
	run curl -s -o /dev/null -w '%{http_code}' -u "$REG_USER:nope" "$TOKEN_REALM?service=shipshape-test-registry&scope=repository:test/img:pull"
	[ "$output" = 401 ]
	local tok
	tok=$(curl -sf -u "$REG_USER:$REG_PASS" "$TOKEN_REALM?service=shipshape-test-registry&scope=repository:test/img:pull" | jq -r .token)
	run curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" \
		-H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$TOKEN_ADDR/v2/test/img/manifests/v1"
	[ "$output" = 200 ]
	# a token for another repository opens nothing here
	tok=$(curl -sf -u "$REG_USER:$REG_PASS" "$TOKEN_REALM?service=shipshape-test-registry&scope=repository:other:pull" | jq -r .token)
	run curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "http://$TOKEN_ADDR/v2/test/img/manifests/v1"
	[ "$output" = 401 ]
	run skopeo inspect --tls-verify=false --creds "$REG_USER:$REG_PASS" "docker://$TOKEN_ADDR/test/img:v1"
	[ "$status" -eq 0 ]
	[ "$(jq '.Layers | length' <<<"$output")" -eq 2 ]
}

@test "harness: the token server trades an identity token for an access token" {
	harness_need
	run curl -s -o /dev/null -w '%{http_code}' -d grant_type=refresh_token -d refresh_token=wrong \
		-d service=shipshape-test-registry -d scope=repository:test/img:pull "$TOKEN_REALM"
	[ "$output" = 401 ]
	local tok
	tok=$(curl -sf -d grant_type=refresh_token -d "refresh_token=$REG_IDTOKEN" -d service=shipshape-test-registry \
		-d scope=repository:test/img:pull "$TOKEN_REALM" | jq -r .access_token)
	run curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" \
		-H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$TOKEN_ADDR/v2/test/img/manifests/v1"
	[ "$output" = 200 ]
	# and skopeo, given only the identity token in an auth.json (with the user name and no
	# password in auth, as docker login writes it), gets in the same way
	jq -n --arg h "$TOKEN_ADDR" --arg a "$(printf '%s:' "$REG_USER" | base64)" --arg t "$REG_IDTOKEN" \
		'{auths: {($h): {auth: $a, identitytoken: $t}}}' >"$BATS_TEST_TMPDIR/auth.json"
	run skopeo inspect --tls-verify=false --authfile "$BATS_TEST_TMPDIR/auth.json" "docker://$TOKEN_ADDR/test/img:v1"
	[ "$status" -eq 0 ]
	grep -q '^grant refresh_token shipshape repository:test/img:pull' "$BATS_FILE_TMPDIR/token/token-grants.log"
}

@test "harness: a multi-platform index with an attestation manifest goes up with skopeo --all" {
	harness_need
	local d=$BATS_TEST_TMPDIR
	multiarch_image "$d/multi" multi
	registry_start "$d/r" anon
	registry_push "oci:$d/multi:multi" test/multi:v1 --all
	run curl -sf -H "Accept: application/vnd.oci.image.index.v1+json" "http://$REG_ADDR/v2/test/multi/manifests/v1"
	[ "$status" -eq 0 ]
	[ "$(jq -r '[.manifests[].platform | "\(.os)/\(.architecture)"] | join(" ")' <<<"$output")" = "linux/amd64 linux/arm64 unknown/unknown" ]
	[ "$(jq -r '.manifests[2].annotations["vnd.docker.reference.type"]' <<<"$output")" = attestation-manifest ]
	# skopeo copied the index byte for byte
	curl -sf -H "Accept: application/vnd.oci.image.index.v1+json" -o "$d/index" "http://$REG_ADDR/v2/test/multi/manifests/v1"
	[ "sha256:$(sha256sum <"$d/index" | cut -d' ' -f1)" = "$MULTI_INDEX" ]
	run skopeo inspect --tls-verify=false --override-arch arm64 "docker://$REG_ADDR/test/multi:v1"
	[ "$(jq -r .Architecture <<<"$output")" = arm64 ]
	run skopeo inspect --tls-verify=false "docker://$REG_ADDR/test/multi@$MULTI_AMD64"
	[ "$(jq -r .Architecture <<<"$output")" = amd64 ]
}

# the first layer of test/img:v1 on the anonymous registry: digest and size
first_layer() {
	curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$ANON_ADDR/v2/test/img/manifests/v1" |
		jq -r '.layers[0] | "\(.digest) \(.size)"'
}

@test "harness: the proxy passes requests through and counts them" {
	harness_need
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR"
	run skopeo inspect --tls-verify=false "docker://$PROXY_ADDR/test/img:v1"
	[ "$status" -eq 0 ]
	[ "$(jq '.Layers | length' <<<"$output")" -eq 2 ]
	[ "$(proxy_count GET '/manifests/v1$')" -ge 1 ]
	[ "$(proxy_count GET '/blobs/')" -eq 1 ] # the config only
	local dir=$BATS_TEST_TMPDIR/copy
	skopeo copy -q --src-tls-verify=false "docker://$PROXY_ADDR/test/img:v1" "oci:$dir:v1"
	[ "$(proxy_count GET '/blobs/')" -eq 4 ]
}

@test "harness: proxy --status 429:2 answers 429 with Retry-After twice, then the blob" {
	harness_need
	local digest size
	read -r digest size < <(first_layer)
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" --status 429:2
	run curl -s -D - -o /dev/null "http://$PROXY_ADDR/v2/test/img/blobs/$digest"
	[[ "$output" == "HTTP/1.1 429"* ]]
	[[ "$output" == *"Retry-After: 1"* ]]
	curl -sf --retry 2 -o "$BATS_TEST_TMPDIR/blob" "http://$PROXY_ADDR/v2/test/img/blobs/$digest"
	[ "sha256:$(sha256sum <"$BATS_TEST_TMPDIR/blob" | cut -d' ' -f1)" = "$digest" ]
	[ "$(proxy_count GET "/blobs/$digest")" -eq 3 ]
}

@test "harness: proxy --drop cuts the first download, a Range request gets the rest" {
	harness_need
	local digest size
	read -r digest size < <(first_layer)
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" --drop 100
	run curl -s -o "$BATS_TEST_TMPDIR/blob" "http://$PROXY_ADDR/v2/test/img/blobs/$digest"
	[ "$status" -eq 18 ] # partial file
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/blob")" -eq 100 ]
	run curl -s -D "$BATS_TEST_TMPDIR/h" -H 'Range: bytes=100-' -o "$BATS_TEST_TMPDIR/rest" "http://$PROXY_ADDR/v2/test/img/blobs/$digest"
	[ "$status" -eq 0 ]
	grep -q '^HTTP/1.1 206' "$BATS_TEST_TMPDIR/h"
	cat "$BATS_TEST_TMPDIR/rest" >>"$BATS_TEST_TMPDIR/blob"
	[ "sha256:$(sha256sum <"$BATS_TEST_TMPDIR/blob" | cut -d' ' -f1)" = "$digest" ]
}

@test "harness: proxy --flip and --blob-size change blobs, not their digest headers" {
	harness_need
	local digest size
	read -r digest size < <(first_layer)
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" --flip
	curl -sf -o "$BATS_TEST_TMPDIR/blob" "http://$PROXY_ADDR/v2/test/img/blobs/$digest"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/blob")" -eq "$size" ]
	[ "sha256:$(sha256sum <"$BATS_TEST_TMPDIR/blob" | cut -d' ' -f1)" != "$digest" ]
	harness_stop "$BATS_TEST_TMPDIR/p"
	proxy_start "$BATS_TEST_TMPDIR/q" "$ANON_ADDR" --blob-size 7
	curl -sf -o "$BATS_TEST_TMPDIR/blob" "http://$PROXY_ADDR/v2/test/img/blobs/$digest"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/blob")" -eq $((size + 7)) ]
}

@test "harness: proxy --redirect sends blobs to another port, which logs any Authorization" {
	harness_need
	local digest size
	read -r digest size < <(first_layer)
	proxy_start "$BATS_TEST_TMPDIR/p" "$BASIC_ADDR" --redirect --backend-auth "$REG_USER:$REG_PASS"
	run curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -u "$REG_USER:$REG_PASS" "http://$PROXY_ADDR/v2/test/img/blobs/$digest"
	[ "$output" = "307 http://$REDIRECT_ADDR/v2/test/img/blobs/$digest" ]
	# curl keeps credentials from another port, as a client must
	curl -sfL -u "$REG_USER:$REG_PASS" -o "$BATS_TEST_TMPDIR/blob" "http://$PROXY_ADDR/v2/test/img/blobs/$digest"
	[ "sha256:$(sha256sum <"$BATS_TEST_TMPDIR/blob" | cut -d' ' -f1)" = "$digest" ]
	grep -qx "GET /v2/test/img/blobs/$digest auth=no" "$BATS_TEST_TMPDIR/p/redirect-requests.log"
	# and one that sends them is seen doing so
	curl -sfL --location-trusted -u "$REG_USER:$REG_PASS" -o /dev/null "http://$PROXY_ADDR/v2/test/img/blobs/$digest"
	grep -qx "GET /v2/test/img/blobs/$digest auth=yes" "$BATS_TEST_TMPDIR/p/redirect-requests.log"
}

@test "harness: proxy --drip stalls a download until the client gives up" {
	harness_need
	local digest size
	read -r digest size < <(first_layer)
	proxy_start "$BATS_TEST_TMPDIR/p" "$ANON_ADDR" --drip 60
	run curl -s -o /dev/null --speed-limit 1 --speed-time 2 "http://$PROXY_ADDR/v2/test/img/blobs/$digest"
	[ "$status" -eq 28 ] # operation timed out
}

@test "harness: proxy --manifest-garbage, --manifest-huge and --index-self craft manifests" {
	harness_need
	proxy_start "$BATS_TEST_TMPDIR/a" "$ANON_ADDR" --manifest-garbage
	run curl -sf "http://$PROXY_ADDR/v2/test/img/manifests/v1"
	[ "$status" -eq 0 ]
	refute jq -e . <<<"$output" >/dev/null 2>&1
	harness_stop "$BATS_TEST_TMPDIR/a"
	proxy_start "$BATS_TEST_TMPDIR/b" "$ANON_ADDR" --manifest-huge 5000000
	curl -sf -o "$BATS_TEST_TMPDIR/m" "http://$PROXY_ADDR/v2/test/img/manifests/v1"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/m")" -eq 5000000 ]
	jq -e '.schemaVersion == 2' "$BATS_TEST_TMPDIR/m"
	harness_stop "$BATS_TEST_TMPDIR/b"
	proxy_start "$BATS_TEST_TMPDIR/c" "$ANON_ADDR" --index-self
	run curl -sf "http://$PROXY_ADDR/v2/test/img/manifests/v1"
	local child
	child=$(jq -r '.manifests[0].digest' <<<"$output")
	[ "$(jq -r '.manifests[0].mediaType' <<<"$output")" = application/vnd.oci.image.index.v1+json ]
	run curl -sf "http://$PROXY_ADDR/v2/test/img/manifests/$child"
	[ "$(jq -r '.manifests[0].digest' <<<"$output")" = "$child" ]
}

@test "harness: a registry can serve HTTPS with its own certificate" {
	harness_need
	registry_start "$BATS_TEST_TMPDIR/r" anon tls
	registry_push "oci:$BATS_FILE_TMPDIR/oci:v1" test/img:v1
	run curl -s -o /dev/null -w '%{http_code}' --cacert "$REG_CA" "https://$REG_ADDR/v2/"
	[ "$output" = 200 ]
	refute curl -s -o /dev/null "https://$REG_ADDR/v2/" # no CA: untrusted
	run skopeo inspect --cert-dir "$BATS_TEST_TMPDIR/nocerts" "docker://$REG_ADDR/test/img:v1"
	[ "$status" -ne 0 ]
	mkdir -p "$BATS_TEST_TMPDIR/certs"
	cp "$REG_CA" "$BATS_TEST_TMPDIR/certs/ca.crt"
	run skopeo inspect --cert-dir "$BATS_TEST_TMPDIR/certs" "docker://$REG_ADDR/test/img:v1"
	[ "$status" -eq 0 ]
}
