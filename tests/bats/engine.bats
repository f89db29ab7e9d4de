#!/usr/bin/env bats
# docker-daemon:NAME: images read from a Docker-compatible engine's API on a unix socket, in
# one pass over the docker-save stream it makes of them. Podman's API service, started here on
# a store in a temp dir, is the real engine: its report must be the archive's. A fake engine
# (tests/tools/fake-engine.py) misbehaves: garbage, a stream cut or stalled, an error, no tar.

load helpers
load registry

# The test image (registry.bash's test_image: two layers, a deleted private key, a setuid
# file, a dpkg status, user 1000) as a docker-save archive written by skopeo.
setup_file() {
	command -v umoci >/dev/null && command -v skopeo >/dev/null || return 0
	local d="$BATS_FILE_TMPDIR"
	test_image "$d/oci" one
	skopeo copy -q oci:"$d/oci:one" docker-archive:"$d/docker.tar":test/engine:one
}

teardown_file() { harness_stop "$BATS_FILE_TMPDIR"; }
teardown() { harness_stop "$BATS_TEST_TMPDIR"; }

need() { command -v "$1" >/dev/null || skip "$1 not installed (make deps)"; }

# report ARGS...: what must be the same from every reader of one image: the layers' digests,
# sizes and entries, the findings, and the packages (sbom).
report() {
	report_image "$@"
	"$SHIPSHAPE" sbom -f json --no-cache "$@" | jq -S '{os, packages}'
}
report_image() {
	"$SHIPSHAPE" image -f json --fail-on none --no-cache "$@" |
		jq -S '{ref: .image.ref, user: .image.user, layers: [.image.layers[] | del(.cached)],
			efficiency, findings: [.findings[] | del(.location.file)]}'
}

# same_report A B...: A's report (an archive) and the engine's (the other arguments) agree.
same_report() {
	local want="$BATS_TEST_TMPDIR/want.json" got="$BATS_TEST_TMPDIR/got.json"
	report "$1" >"$want"
	shift
	report "$@" >"$got"
	diff "$want" "$got"
	# and it is not empty: a finding in each layer, and the package
	jq -se '.[0].findings | map(.rule_id) | index("SHP2011") and index("SHP2020")' "$want"
	jq -se '.[1].packages | map(.name) | index("base-files")' "$want"
}

# fake_engine MODE ARCHIVE: starts the fake engine on $BATS_TEST_TMPDIR/f.sock.
fake_engine() {
	local s="$BATS_TEST_TMPDIR/f.sock"
	rm -f "$s.pid" "$s.log"
	harness_spawn "$BATS_TEST_TMPDIR" fake python3 "$HARNESS_TOOLS/fake-engine.py" "$s" "$@"
	wait_file "$s.pid" "$(tail -1 "$BATS_TEST_TMPDIR/pids")"
}

# podman_service DIR: podman's API service on DIR/podman.sock over the store in DIR/root and
# DIR/runroot (made by tests/tools/podman-store.sh); sets PODMAN_SOCK.
podman_service() {
	local d=$1 args
	mapfile -t args < <("$HARNESS_TOOLS/podman-store.sh" args "$d/root" "$d/runroot" vfs)
	PODMAN_SOCK="$d/podman.sock"
	CONTAINERS_STORAGE_CONF="$d/runroot/storage.conf" harness_spawn "$d" podman \
		podman "${args[@]}" system service --time 0 "unix://$PODMAN_SOCK"
	local i
	for i in $(seq 100); do
		[ -S "$PODMAN_SOCK" ] && return 0
		kill -0 "$(tail -1 "$d/pids")" 2>/dev/null || break
		sleep 0.1
	done
	cat "$d/podman.log" >&2
	return 1
}

# podman_store DIR CMD ARGS...: tests/tools/podman-store.sh CMD on DIR's store, or skip.
podman_store() {
	local d=$1 cmd=$2 out rc=0
	shift 2
	out=$("$HARNESS_TOOLS/podman-store.sh" "$cmd" "$d/root" "$d/runroot" vfs "$@" 2>"$d/store.err") || rc=$?
	[ "$rc" -eq 77 ] && skip "$(cat "$d/store.err")"
	[ "$rc" -eq 0 ] || { cat "$d/store.err" >&2; return 1; }
	echo "$out"
}

@test "engine: through an engine's API, the report is the archive's" {
	need skopeo
	need python3
	fake_engine ok "$BATS_FILE_TMPDIR/docker.tar"
	same_report "docker-archive:$BATS_FILE_TMPDIR/docker.tar" \
		docker-daemon:test/engine:one --engine-socket "$BATS_TEST_TMPDIR/f.sock"
	# the name is escaped into the path, in the API version the engine and we both speak
	grep -qx 'GET /_ping HTTP/1.1' "$BATS_TEST_TMPDIR/f.sock.log"
	grep -qx 'GET /v1.41/images/test%2Fengine%3Aone/get HTTP/1.1' "$BATS_TEST_TMPDIR/f.sock.log"
	# found as DOCKER_HOST and CONTAINER_HOST say, as docker and podman find it
	DOCKER_HOST="unix://$BATS_TEST_TMPDIR/f.sock" "$SHIPSHAPE" image -f json --fail-on none docker-daemon:test/engine:one |
		jq -e '.image.ref == "docker.io/test/engine:one"'
	env -u DOCKER_HOST CONTAINER_HOST="unix://$BATS_TEST_TMPDIR/f.sock" \
		"$SHIPSHAPE" image -f json --fail-on none docker-daemon:test/engine:one | jq -e '.image.kind == "docker-archive"'
	# slim reads the layers again: small ones were kept from the first pass, a large one is
	# asked of the engine again
	run "$SHIPSHAPE" slim --dry-run --include-exe /usr/bin/tool docker-daemon:test/engine:one \
		--engine-socket "$BATS_TEST_TMPDIR/f.sock"
	[ "$status" -eq 0 ]
	harness_stop "$BATS_TEST_TMPDIR"
	local b="$BATS_TEST_TMPDIR/big" diff
	mkdir -p "$b/src/usr/bin"
	head -c 3000000 /dev/urandom >"$b/src/blob"
	printf '#!/bin/sh\necho hi\n' >"$b/src/usr/bin/tool"
	chmod 755 "$b/src/usr/bin/tool"
	tar -C "$b/src" -cf "$b/layer.tar" blob usr
	diff="sha256:$(sha256sum "$b/layer.tar" | cut -d' ' -f1)"
	jq -n --arg d "$diff" '{architecture:"amd64",os:"linux",config:{User:"1",Entrypoint:["/usr/bin/tool"]},
		rootfs:{type:"layers",diff_ids:[$d]}}' >"$b/config.json"
	jq -n '[{Config:"config.json",RepoTags:["big:1"],Layers:["layer.tar"]}]' >"$b/manifest.json"
	tar -C "$b" -cf "$b/big.tar" layer.tar config.json manifest.json
	fake_engine ok "$b/big.tar"
	# (--static: the traced run reads every layer once more, to unpack the image it runs)
	run "$SHIPSHAPE" slim --static --dry-run docker-daemon:big:1 --engine-socket "$BATS_TEST_TMPDIR/f.sock"
	[ "$status" -eq 0 ]
	[[ "$output" == *"kept        1 of 2 files"* ]]
	[ "$(grep -c /get "$BATS_TEST_TMPDIR/f.sock.log")" -eq 2 ]
}

# fake_engine_tcp MODE ARCHIVE: the fake engine on a 127.0.0.1 port; sets ENGINE_PORT.
fake_engine_tcp() {
	local p="$BATS_TEST_TMPDIR/t"
	rm -f "$p.pid" "$p.port" "$p.log"
	harness_spawn "$BATS_TEST_TMPDIR" fake-tcp python3 "$HARNESS_TOOLS/fake-engine.py" "tcp:$p" "$@"
	wait_file "$p.pid" "$(tail -1 "$BATS_TEST_TMPDIR/pids")"
	ENGINE_PORT=$(cat "$p.port")
}

@test "engine: DOCKER_HOST=tcp://HOST:PORT, as a CI's docker:dind service is reached" {
	need skopeo
	need python3
	fake_engine_tcp ok "$BATS_FILE_TMPDIR/docker.tar"
	same_report "docker-archive:$BATS_FILE_TMPDIR/docker.tar" docker-daemon:test/engine:one \
		--engine-socket "tcp://127.0.0.1:$ENGINE_PORT"
	env -u DOCKER_TLS_VERIFY -u DOCKER_TLS DOCKER_HOST="tcp://127.0.0.1:$ENGINE_PORT" \
		"$SHIPSHAPE" image -f json --fail-on none docker-daemon:test/engine:one | jq -e '.image.kind == "docker-archive"'
	grep -qx 'GET /v1.41/images/test%2Fengine%3Aone/get HTTP/1.1' "$BATS_TEST_TMPDIR/t.log"
	# nothing listening there: said with the address
	harness_stop "$BATS_TEST_TMPDIR"
	DOCKER_HOST="tcp://127.0.0.1:$ENGINE_PORT" run "$SHIPSHAPE" image docker-daemon:test/engine:one
	[ "$status" -eq 3 ]
	[[ "$output" == *"the engine at tcp://127.0.0.1:$ENGINE_PORT: no answer"* ]]
}

@test "engine: tcp:// with DOCKER_TLS_VERIFY: the engine's CA and the client's certificate from DOCKER_CERT_PATH" {
	need skopeo
	need python3
	need openssl
	local c="$BATS_TEST_TMPDIR/certs"
	mkdir -p "$c/client"
	# as dockerd --tlsverify is set up: a CA, the engine's certificate and the client's
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$c/ca-key.pem" -out "$c/ca.pem" -days 2 -subj /CN=test-ca 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -keyout "$c/server-key.pem" -out "$c/server.csr" -subj /CN=127.0.0.1 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1\n' >"$c/ext"
	openssl x509 -req -in "$c/server.csr" -CA "$c/ca.pem" -CAkey "$c/ca-key.pem" -CAcreateserial -days 2 \
		-extfile "$c/ext" -out "$c/server-cert.pem" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -keyout "$c/client/key.pem" -out "$c/client.csr" -subj /CN=client 2>/dev/null
	openssl x509 -req -in "$c/client.csr" -CA "$c/ca.pem" -CAkey "$c/ca-key.pem" -CAcreateserial -days 2 \
		-out "$c/client/cert.pem" 2>/dev/null
	cp "$c/ca.pem" "$c/client/ca.pem"
	FAKE_ENGINE_TLS=$c fake_engine_tcp ok "$BATS_FILE_TMPDIR/docker.tar"
	local host="tcp://127.0.0.1:$ENGINE_PORT"
	DOCKER_HOST=$host DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$c/client" \
		"$SHIPSHAPE" image -f json --fail-on none docker-daemon:test/engine:one | jq -e '.image.kind == "docker-archive"'
	# without TLS, or without the client's certificate, the engine is not reached: exit 3
	DOCKER_HOST=$host run env -u DOCKER_TLS_VERIFY -u DOCKER_TLS "$SHIPSHAPE" image docker-daemon:test/engine:one
	[ "$status" -eq 3 ]
	[[ "$output" == *"the engine at $host"* ]]
	mkdir -p "$c/only-ca"
	cp "$c/ca.pem" "$c/only-ca/"
	DOCKER_HOST=$host DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$c/only-ca" run "$SHIPSHAPE" image docker-daemon:test/engine:one
	[ "$status" -eq 3 ]
	[[ "$output" == *"the engine at $host"* ]]
	# an engine whose certificate another CA signed: refused with DOCKER_TLS_VERIFY, not with DOCKER_TLS
	mkdir -p "$c/other"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$c/other/x.pem" -out "$c/other/ca.pem" -days 2 -subj /CN=other 2>/dev/null
	cp "$c/client/cert.pem" "$c/client/key.pem" "$c/other/"
	DOCKER_HOST=$host DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$c/other" run "$SHIPSHAPE" image docker-daemon:test/engine:one
	[ "$status" -eq 3 ]
	DOCKER_HOST=$host DOCKER_TLS=1 DOCKER_CERT_PATH="$c/other" run env -u DOCKER_TLS_VERIFY \
		"$SHIPSHAPE" image -f json --fail-on none docker-daemon:test/engine:one
	[ "$status" -eq 0 ]
}

@test "engine: podman's API service: the same report as the archive it was loaded from" {
	need skopeo
	local d="$BATS_TEST_TMPDIR/p"
	mkdir -p "$d"
	podman_store "$d" load "$BATS_FILE_TMPDIR/docker.tar" >/dev/null
	podman_service "$d"
	same_report "docker-archive:$BATS_FILE_TMPDIR/docker.tar" docker-daemon:docker.io/test/engine:one \
		--engine-socket "$PODMAN_SOCK"
	# vuln reads it too
	run "$SHIPSHAPE" vuln --fail-on none docker-daemon:docker.io/test/engine:one --engine-socket "$PODMAN_SOCK"
	[[ "$status" -eq 0 || "$output" == *"no vulnerability database"* ]]
	# an image the engine does not have: its 404, said with the name and the socket
	run "$SHIPSHAPE" image docker-daemon:localhost/absent:1 --engine-socket "$PODMAN_SOCK"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no such image localhost/absent:1 in the engine at $PODMAN_SOCK"* ]]
}

@test "engine: Debian bookworm imported into podman: the report of podman save's archive, and of a pipe" {
	[ -f "$DEB_TAR" ] || skip "no Debian root at $DEB_TAR (make test-data)"
	local d="$BATS_TEST_TMPDIR/p" args
	mkdir -p "$d"
	podman_store "$d" import "$DEB_TAR" localhost/bookworm:minbase >/dev/null
	mapfile -t args < <("$HARNESS_TOOLS/podman-store.sh" args "$d/root" "$d/runroot" vfs)
	CONTAINERS_STORAGE_CONF="$d/runroot/storage.conf" podman "${args[@]}" save -q --format docker-archive \
		-o "$d/saved.tar" localhost/bookworm:minbase
	podman_service "$d"
	report "docker-archive:$d/saved.tar" >"$d/want.json"
	report docker-daemon:localhost/bookworm:minbase --engine-socket "$PODMAN_SOCK" >"$d/got.json"
	diff "$d/want.json" "$d/got.json"
	jq -se '.[1].packages | length > 80' "$d/want.json"
	jq -se '.[1].packages | map(.name) | index("dpkg")' "$d/want.json"
	# the stream docker save writes, on a pipe, in one pass too
	report_image "docker-archive:$d/saved.tar" >"$d/want.json"
	cat "$d/saved.tar" | report_image /dev/stdin >"$d/pipe.json"
	diff "$d/want.json" "$d/pipe.json"
}

# bad_engine MODE ARCHIVE: runs image against the fake engine in MODE; must be exit 3, within
# the stall bound, naming the image and the socket.
bad_engine() {
	fake_engine "$1" "$2"
	local s="$BATS_TEST_TMPDIR/f.sock"
	SHIPSHAPE_HTTP_STALL_SECONDS=2 run timeout 60 "$SHIPSHAPE" image --no-cache docker-daemon:test/engine:one \
		--engine-socket "$s"
	echo "$1: $status $output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"docker-daemon:test/engine:one"* ]]
	[[ "$output" == *"the engine at $s"* ]]
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	harness_stop "$BATS_TEST_TMPDIR"
}

@test "engine: garbage, a cut or stalled stream, an error, no tar: exit 3 naming the image and the socket" {
	need skopeo
	need python3
	local a="$BATS_FILE_TMPDIR/docker.tar"
	# a socket that answers bytes that are not HTTP
	bad_engine garbage "$a"
	[[ "$output" == *"no answer"* ]]
	# a stream that ends in the middle, and one that stops coming
	bad_engine cut "$a"
	[[ "$output" == *"the stream broke after"* ]]
	bad_engine stall "$a"
	[[ "$output" == *"the stream broke after"* ]]
	# the engine's own error, and its message
	bad_engine error "$a"
	[[ "$output" == *"did not give the image: the storage is on fire (HTTP 500)"* ]]
	bad_engine missing "$a"
	[[ "$output" == *"no such image test/engine:one in the engine at"* ]]
	# a body that is no tar
	bad_engine notar "$a"
	[[ "$output" == *"Unrecognized archive format"* ]]
	# nothing of ours is left running, and nothing was written where we ran
	refute pgrep -f "shipshape image --no-cache docker-daemon:test/engine:one"
}

@test "engine: no socket found lists what was tried; ssh:// hosts are refused" {
	for s in /var/run/docker.sock /run/podman/podman.sock; do
		[ -e "$s" ] && skip "$s exists on this machine"
	done
	run env -u DOCKER_HOST -u CONTAINER_HOST XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/xdg" \
		"$SHIPSHAPE" image docker-daemon:alpine:3
	[ "$status" -eq 3 ]
	[[ "$output" == *"docker-daemon:alpine:3: no engine socket found"* ]]
	[[ "$output" == *"/var/run/docker.sock (No such file or directory)"* ]]
	[[ "$output" == *"$BATS_TEST_TMPDIR/xdg/podman/podman.sock (No such file or directory)"* ]]
	[[ "$output" == *"/run/podman/podman.sock (No such file or directory)"* ]]
	for h in ssh://user@host npipe:////./pipe/docker_engine; do
		DOCKER_HOST=$h run "$SHIPSHAPE" image docker-daemon:alpine:3
		[ "$status" -eq 3 ]
		[[ "$output" == *"DOCKER_HOST=$h: an engine reached over ${h%%:*}:// is not read"* ]]
	done
	DOCKER_HOST=tcp://127.0.0.1:2375/v1.41 run "$SHIPSHAPE" image docker-daemon:alpine:3
	[ "$status" -eq 3 ]
	[[ "$output" == *"DOCKER_HOST=tcp://127.0.0.1:2375/v1.41: a path after tcp://HOST:PORT"* ]]
	# a socket named that is not there is not replaced by another
	DOCKER_HOST="unix://$BATS_TEST_TMPDIR/none.sock" run "$SHIPSHAPE" image docker-daemon:alpine:3
	[ "$status" -eq 3 ]
	[[ "$output" == *"no engine socket at $BATS_TEST_TMPDIR/none.sock (DOCKER_HOST)"* ]]
	run "$SHIPSHAPE" image docker-daemon:alpine:3 --engine-socket "$BATS_TEST_TMPDIR"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no engine socket at $BATS_TEST_TMPDIR (--engine-socket)"* ]]
}

@test "engine: every archive of the corpus on a pipe, read in one pass, gives the file's report" {
	[ -d "$CORPUS/images" ] || skip "../shared/corpus is absent"
	local f n=0 bad=() t="$BATS_TEST_TMPDIR" ws gs
	norm() { jq -cS 'del(.image.input) | walk(if type == "object" then del(.file) | del(.cached) else . end)'; }
	while IFS= read -r f; do
		n=$((n + 1))
		# the same exit status, and the same report
		ws=0
		gs=0
		"$SHIPSHAPE" image -f json --fail-on none --no-cache "$f" >"$t/want" 2>/dev/null || ws=$?
		cat "$f" | "$SHIPSHAPE" image -f json --fail-on none --no-cache /dev/stdin >"$t/got" 2>/dev/null || gs=$?
		if [ "$ws" != "$gs" ]; then
			bad+=("$f: exit $ws, on a pipe $gs")
		elif [ "$ws" = 0 ] && [ "$(norm <"$t/want")" != "$(norm <"$t/got")" ]; then
			bad+=("$f: another report")
		fi
	done < <(find "$CORPUS/images" -type f \( -name '*.tar' -o -name '*.tar.gz' \) | sort)
	printf '%s\n' "${bad[@]}"
	[ "$n" -gt 20 ]
	[ "${#bad[@]}" -eq 0 ]
}
