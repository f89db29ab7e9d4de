#!/usr/bin/env bats
# shipshape host --root: roots built here with real unix sockets, modes, owners, groups and
# daemon.json variants; a fake engine API on a unix socket this test starts.

load helpers

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root: a host root's files belong to root, its sockets to given owners"
	command -v python3 >/dev/null || skip "python3 missing (make deps)"
	R="$BATS_TEST_TMPDIR/root"
	mkdir -p "$R"
	. "$ROOT/tests/host/lib.sh"
}

@test "host: a hardened Docker host gives no finding" {
	docker_installed
	daemon_json "$HARDENED_DAEMON"
	group 'docker:x:998:'
	sock /var/run/docker.sock 660 0:998
	file /lib/systemd/system/docker.service 644
	run "$SHIPSHAPE" host --root "$R" -f json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.findings == [] and .host.docker and .host.daemon_json'
	echo "$output" | jq -e '.host.engines == [{"engine": "docker", "socket": "/var/run/docker.sock", "rootless": false}]'
}

@test "host: a loose Docker host: socket, group, daemon.json and files, each at its place" {
	docker_installed
	daemon_json '{
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"],
  "insecure-registries": ["registry.lan:5000"],
  "log-level": "debug",
  "experimental": true,
  "tlskey": "/etc/docker/key.pem"
}'
	group 'staff:x:50:'
	group 'docker:x:998:alice,bob'
	sock /var/run/docker.sock 666
	sock /run/containerd/containerd.sock 660 0:50
	file /etc/docker/key.pem 644
	chmod 777 "$R/etc/docker"
	run "$SHIPSHAPE" host --root "$R" -f json
	[ "$status" -eq 1 ]
	echo "$output" | jq -r '.findings[] | "\(.rule_id) \(.location.file):\(.location.line // 0) \(.severity)"' | sort > "$BATS_TEST_TMPDIR/f"
	cat "$BATS_TEST_TMPDIR/f"
	for want in "SHP5001 /var/run/docker.sock:0 critical" "SHP5001 /run/containerd/containerd.sock:0 high" \
		"SHP5003 /etc/group:2 low" "SHP5004 /etc/docker/daemon.json:0 medium" "SHP5005 /etc/docker/daemon.json:0 medium" \
		"SHP5009 /etc/docker/daemon.json:2 critical" "SHP5010 /etc/docker/daemon.json:3 high" \
		"SHP5011 /etc/docker/daemon.json:4 low" "SHP5012 /etc/docker/daemon.json:5 low" \
		"SHP5014 /etc/docker:0 high" "SHP5014 /etc/docker/key.pem:0 medium"; do
		grep -qx "$want" "$BATS_TEST_TMPDIR/f" || { echo "missing: $want"; false; }
	done
	# a daemon.json setting is placed at its value: the tcp:// host is the second item of line 2
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP5009")][0].location == {file: "/etc/docker/daemon.json", line: 2, column: 44}'
	echo "$output" | jq -e '.findings[] | select(.rule_id == "SHP5003") | .message | contains("2 users in the docker group (alice,bob)")'
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP5001")][] | select(.location.file == "/run/containerd/containerd.sock") | .message | contains("group staff")'
}

@test "host: text places a file's own finding at \"file\", and the summary counts the files" {
	docker_installed
	daemon_json '{"hosts": ["tcp://0.0.0.0:2375"]}'
	group 'docker:x:998:alice'
	sock /var/run/docker.sock 666
	run "$SHIPSHAPE" host --root "$R" --no-color
	[ "$status" -eq 1 ]
	echo "$output"
	# the socket's mode is a finding about the file as a whole, not about an image
	[[ "$output" == *$'/var/run/docker.sock\n  file     critical SHP5001 '* ]]
	[[ "$output" != *"  image  "* ]]
	[[ "$output" == *" in 3 files; "* ]]
	run "$SHIPSHAPE" host --root "$R" -f json
	echo "$output" | jq -e '.summary.files == 3'
	run "$SHIPSHAPE" host --root "$R" -f junit
	[[ "$output" == *'SHP5001 engine-socket-permissions at file"'* ]]
}

@test "host: rootless engines are recognised; no engine at all says so" {
	sock /run/user/1000/docker.sock 600 1000:1000
	sock /run/user/1000/podman/podman.sock 600 1000:1000
	run "$SHIPSHAPE" host --root "$R" -f json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.findings == [] and .host.docker == false'
	echo "$output" | jq -e '[.host.engines[] | select(.rootless)] | length == 2'
	run "$SHIPSHAPE" host --root "$BATS_TEST_TMPDIR"
	[[ "$output" == *"no container engine found"* ]]
}

@test "host: the live engine's API, when it answers, gives its version and security options" {
	local s="$BATS_TEST_TMPDIR/api.sock"
	python3 - "$s" <<-'EOF' &
	import json, socket, sys
	srv = socket.socket(socket.AF_UNIX)
	srv.bind(sys.argv[1]); srv.listen(4)
	bodies = {"/version": {"Version": "28.2.2", "ApiVersion": "1.50"},
	          "/info": {"SecurityOptions": ["name=seccomp,profile=builtin", "name=rootless", "name=cgroupns"]}}
	for _ in range(2):
	    c, _ = srv.accept()
	    req = c.recv(4096).decode()
	    path = req.split(" ")[1]
	    body = json.dumps(bodies.get(path, {})).encode()
	    c.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body)
	    c.close()
	EOF
	for _ in $(seq 50); do [ -S "$s" ] && break; sleep 0.1; done
	run "$SHIPSHAPE" host --root "$R" --api-socket "$s" -f json
	wait
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.host.engine_api.version == "28.2.2" and .host.engine_api.api_version == "1.50"'
	echo "$output" | jq -e '.host.engine_api.security_options | index("name=rootless") != null'
	# a socket nobody answers on is no error
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$BATS_TEST_TMPDIR/dead.sock"
	run "$SHIPSHAPE" host --root "$R" --api-socket "$BATS_TEST_TMPDIR/dead.sock" -f json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.host.engine_api == null'
}

@test "host: a broken daemon.json is exit 3 with its place; a root that is not a directory too" {
	docker_installed
	daemon_json '{"icc": false,
  "hosts": [tcp://x]}'
	run "$SHIPSHAPE" host --root "$R"
	[ "$status" -eq 3 ]
	[[ "$output" == *"/etc/docker/daemon.json:"* ]]
	daemon_json '["not", "an", "object"]'
	run "$SHIPSHAPE" host --root "$R"
	[ "$status" -eq 3 ]
	[[ "$output" == *"daemon.json:1:1: expected a JSON object"* ]]
	run "$SHIPSHAPE" host --root "$BATS_TEST_TMPDIR/missing"
	[ "$status" -eq 3 ]
	run "$SHIPSHAPE" host extra-argument
	[ "$status" -eq 2 ]
}

@test "host: a FIFO or device at daemon.json or /etc/group is exit 3 naming it, never waited on" {
	docker_installed
	mkfifo "$R/etc/docker/daemon.json"
	run timeout 10 "$SHIPSHAPE" host --root "$R"
	echo "$status $output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$R/etc/docker/daemon.json: not a regular file"* ]]
	rm "$R/etc/docker/daemon.json"
	mknod "$R/etc/docker/daemon.json" c 1 5
	run timeout 10 "$SHIPSHAPE" host --root "$R"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$R/etc/docker/daemon.json: not a regular file"* ]]
	# /etc/group is only looked in for names: a FIFO there is not waited on either
	rm "$R/etc/docker/daemon.json"
	daemon_json "$HARDENED_DAEMON"
	mkdir -p "$R/etc" && mkfifo "$R/etc/group"
	sock /var/run/docker.sock 660 0:998
	run timeout 10 "$SHIPSHAPE" host --root "$R" -f json
	echo "$status $output"
	[ "$status" -ne 124 ]
	echo "$output" | jq -e '.host.engines | length == 1'
}

@test "host: links in the root resolve inside it, never to the scanning host's files" {
	local out="$BATS_TEST_TMPDIR/outside"
	mkdir -p "$out"
	printf '{"insecure-registries": ["MARKER-DAEMON.example:5000"]}\n' > "$out/daemon.json"
	printf 'docker:x:998:MARKERUSER\n' > "$out/group"
	docker_installed
	mkdir -p "$R/etc"
	ln -s "$out/daemon.json" "$R/etc/docker/daemon.json"
	ln -s "$out/group" "$R/etc/group"
	run timeout 10 "$SHIPSHAPE" host --root "$R" -f json
	echo "$status $output"
	refute grep -q MARKER <<< "$output"
	echo "$output" | jq -e '.host.daemon_json == false'
	# ../ climbs no higher than the root
	rm "$R/etc/docker/daemon.json" "$R/etc/group"
	ln -s "../../../../../../../../..$out/daemon.json" "$R/etc/docker/daemon.json"
	ln -s "../../../../../../../..$out/group" "$R/etc/group"
	run timeout 10 "$SHIPSHAPE" host --root "$R" -f json
	refute grep -q MARKER <<< "$output"
	echo "$output" | jq -e '.host.daemon_json == false'
	# an absolute link is the root's own: /var/run -> /run, daemon.json -> /srv/daemon.json
	mkdir -p "$R/srv" "$R/var"
	rm "$R/etc/docker/daemon.json"
	printf '{"icc": true}\n' > "$R/srv/daemon.json"
	ln -s /srv/daemon.json "$R/etc/docker/daemon.json"
	ln -s /run "$R/var/run"
	sock /run/docker.sock 666
	run timeout 10 "$SHIPSHAPE" host --root "$R" -f json
	echo "$output" | jq -e '.host.daemon_json and (.host.engines | map(.socket) == ["/var/run/docker.sock"])'
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP5001" and .severity == "critical")] | length == 1'
}
