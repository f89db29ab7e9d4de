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
	harness_stop "$BATS_FILE_TMPDIR/anon"
	harness_stop "$BATS_FILE_TMPDIR/basic"
	harness_stop "$BATS_FILE_TMPDIR/token"
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
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/r/pids")
	kill -0 "$pid"
	harness_stop "$BATS_TEST_TMPDIR/r"
	refute kill -0 "$pid" 2>/dev/null
	refute curl -s -o /dev/null "http://$REG_ADDR/v2/"
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
