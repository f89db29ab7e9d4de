#!/usr/bin/env bats
# shipshape slim's traced run (src/slim/sandbox.c): the image's command run in namespaces of
# its own over Debian's minbase root (debootstrap, packed by umoci), what it touches kept, its
# probes, the slim image run again and compared; and entrypoints that fork without end, never
# exit, write everywhere or try to reach the host, which must be bounded, killed and kept in.
# The Debian applications served through it are in slim-debian.bats.

load helpers
load registry

setup_file() {
	[ "$(id -u)" = 0 ] && [ -s "$DEB_TAR" ] && command -v umoci >/dev/null || return 0
	debian_oci "$BATS_FILE_TMPDIR" /bin/true
	rm -rf "$BATS_FILE_TMPDIR/root"
}

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root: the image keeps its owners (umoci)"
	[ -s "$DEB_TAR" ] || skip "no Debian root cached (make test-data)"
	command -v umoci >/dev/null || skip "umoci not installed (make deps)"
	O=$BATS_TEST_TMPDIR
	OCI=$BATS_FILE_TMPDIR/oci
	# slim's own temporary files (and the sandbox's mount point) go here: it must be left empty
	mkdir -p "$O/tmp"
	export TMPDIR=$O/tmp
}

teardown() {
	harness_stop "$BATS_TEST_TMPDIR"
}

# image TAG CMD...: the minbase image as TAG, running CMD (its exec form)
image() {
	local tag=$1 a args=()
	shift
	for a in "$@"; do args+=(--config.cmd "$a"); done
	umoci --log error config --image "$OCI:bookworm" --tag "$tag" "${args[@]}"
}

# nothing_left MARKER: no process whose command line has MARKER, and slim's TMPDIR empty
nothing_left() {
	refute pgrep -f "$1"
	[ -z "$(ls -A "$O/tmp")" ]
}

@test "slim sandbox: a command that exits: what it ran and read is kept, its exit code verified" {
	image cli /bin/sh -c 'd=/usr/share; cat /etc/debian_version >/dev/null && ls $d/doc >/dev/null; exit 3'
	run "$SHIPSHAPE" slim "oci:$OCI:cli" -o "$O/slim.tar" --list
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n  traced      '*$' the command exited with 3\n'* ]]
	[[ "$output" == *"  verified    the slim image's run gave the same results (0 probe(s); the command exited with 3)"* ]]
	# run by the script: cat and ls (exec'd), the file cat read, the directory ls listed;
	# not what it never ran
	for p in /usr/bin/cat /usr/bin/ls /etc/debian_version /usr/share/doc; do
		printf '%s\n' "${lines[@]}" | grep -qx "$p"
	done
	refute grep -qx /usr/bin/grep <<<"$output"
	refute grep -q '^/usr/share/doc/.' <<<"$output"
	nothing_left 'debian_version'
}

@test "slim sandbox: --probe-cmd runs in the sandbox; the JSON report has the run, the probe and the paths" {
	image sleeper /bin/sleep 3601
	run "$SHIPSHAPE" slim "oci:$OCI:sleeper" -o "$O/slim.tar" --probe-cmd 'cat /etc/issue' -f json --report "$O/r.json"
	[ "$status" -eq 0 ]
	"$NPM_DIR/node_modules/.bin/ajv" validate -s "$ROOT/docs/json-schema.json" -d "$O/r.json" --strict=false
	jq -e --argjson n "$(tar -xOf "$DEB_TAR" ./etc/issue | wc -c)" '.slim.trace.run.probes == [{"kind": "command", "command": "cat /etc/issue", "ran": true, "exit_code": 0, "bytes": $n}]
		and (.slim.trace.touched | index("/etc/issue")) != null
		and .slim.trace.run.exited == false
		and .slim.trace.verification.same == true
		and .slim.trace.verification.run.probes[0].exit_code == 0' "$O/r.json"
	nothing_left 'sleep 3601'
}

@test "slim sandbox: the HEALTHCHECK is a probe: run in the sandbox, what it reads kept, verified" {
	# a docker-save tarball of the minbase root whose config has a HEALTHCHECK (umoci writes none)
	local i=$O/img diff cfg
	mkdir -p "$i"
	cp "$DEB_TAR" "$i/layer.tar"
	diff=sha256:$(sha256sum "$i/layer.tar" | cut -d' ' -f1)
	jq -n --arg d "$diff" '{architecture: "amd64", os: "linux",
		config: {Cmd: ["/bin/sleep", "3608"],
			Healthcheck: {Test: ["CMD-SHELL", "test -r /etc/debian_version && cat /etc/issue.net"]}},
		rootfs: {type: "layers", diff_ids: [$d]}}' >"$i/config.json"
	cfg=$(sha256sum "$i/config.json" | cut -d' ' -f1).json
	mv "$i/config.json" "$i/$cfg"
	jq -n --arg c "$cfg" '[{Config: $c, RepoTags: ["health:1"], Layers: ["layer.tar"]}]' >"$i/manifest.json"
	tar -C "$i" -cf "$O/health.tar" manifest.json "$cfg" layer.tar
	run "$SHIPSHAPE" slim "$O/health.tar" -o "$O/slim.tar" -f json --report "$O/r.json" --probe-time 8s
	[ "$status" -eq 0 ]
	jq -e --argjson n "$(tar -xOf "$DEB_TAR" ./etc/issue.net | wc -c)" '
		.slim.trace.run.probes[-1] == {"kind": "command", "ran": true, "exit_code": 0, "bytes": $n,
			"command": "test -r /etc/debian_version && cat /etc/issue.net"}
		and (.slim.trace.touched | index("/etc/issue.net")) != null
		and .slim.trace.verification.same' "$O/r.json"
	nothing_left 'sleep 3608'
}

@test "slim sandbox: a user that breaks the command is caught by the verification: exit 1, what differed" {
	# the command writes where root may only; --user forces another user
	image writer /bin/sh -c 'echo x >/var/lib/state && exec sleep 3602'
	run "$SHIPSHAPE" slim "oci:$OCI:writer" -o "$O/slim.tar" --user 1000:1000 --probe-time 3s
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"  DIFFERS     the command ran until the end in the image's run and exited with 2 in the slim image's"* ]] ||
		[[ "$output" == *"  DIFFERS     the command was still running in the image's run and exited with 2 in the slim image's"* ]]
	[[ "$output" == *"slim: $O/slim.tar: the slim image does not behave as the image did"* ]]
	# without --user, the traced run finds the write, and the user stays root
	run "$SHIPSHAPE" slim "oci:$OCI:writer" -o "$O/slim.tar" --probe-time 3s
	[ "$status" -eq 0 ]
	[[ "$output" == *"note        the user stays 0:0: the command writes /var/lib/state, where /var/lib is owned by 0:0 with mode 0755 (in the traced run)"* ]]
	nothing_left 'sleep 3602'
}

@test "slim sandbox: a switch of user that breaks the command is undone: the image keeps root" {
	# reading /etc/shadow (0640 root:shadow) is no write the trace would see as root's
	image shadow /bin/sh -c 'cat /etc/shadow >/dev/null && exec sleep 3606'
	run "$SHIPSHAPE" slim "oci:$OCI:shadow" -o "$O/slim.tar" --probe-time 3s
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"  user        0:0 (was root)"* ]]
	[[ "$output" == *"note        the user stays 0:0: as 65534:65534, the command was still running in the image's run and exited with 1 in the slim image's"* ]]
	[[ "$output" == *"  verified    the slim image's run gave the same results"* ]]
	# the image written is the one that runs as root
	mkdir -p "$O/x"
	tar -C "$O/x" -xf "$O/slim.tar"
	[ "$(jq -r .config.User "$O/x/blobs/sha256/$(jq -r '.[0].Config' "$O/x/manifest.json" | sed 's|.*/||')")" = 0:0 ]
	nothing_left 'sleep 3606'
}

@test "slim sandbox: hostile: a command that forks without end is stopped at the process limit, all killed" {
	image forker /bin/sh -c 'while :; do /bin/sleep 3603 & done'
	run timeout 120 "$SHIPSHAPE" slim "oci:$OCI:forker" -o "$O/slim.tar" --no-probe --no-verify
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"the command made more than 256 processes and was killed"* ]]
	nothing_left 'sleep 3603'
}

@test "slim sandbox: hostile: a command that never exits is killed when --probe-time passes" {
	image forever /bin/sh -c 'trap "" TERM INT HUP; while :; do sleep 3604; done'
	run timeout 120 "$SHIPSHAPE" slim "oci:$OCI:forever" -o "$O/slim.tar" --no-probe --probe-time 2s --no-verify
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"the command ran until the end of the probe time"* ]]
	nothing_left 'sleep 3604'
}

@test "slim sandbox: hostile: a command that takes memory without end is stopped at its data limit" {
	# tail buffers a line that never ends; the limit is lowered for the test
	image hog /bin/sh -c 'tail /dev/zero; echo "tail ended: $?"; exit 9'
	SHIPSHAPE_SANDBOX_DATA_BYTES=$((64 << 20)) run timeout 120 "$SHIPSHAPE" slim "oci:$OCI:hog" -o "$O/slim.tar" \
		--no-probe --no-verify -f json --report "$O/r.json"
	[ "$status" -eq 0 ]
	jq -e '.slim.trace.run.exit_code == 9 and (.slim.trace.run.output | test("tail ended: 1"))' "$O/r.json"
	nothing_left 'tail /dev/zero'
}

@test "slim sandbox: hostile: a command that names paths without end is stopped at the path limit" {
	# every name is new (the limit is lowered for the test: 262,144 by default)
	image namer /bin/sh -c 'i=0; while :; do test -e /nothing/$i; i=$((i + 1)); done'
	SHIPSHAPE_SANDBOX_MAX_PATHS=2000 run timeout 120 "$SHIPSHAPE" slim "oci:$OCI:namer" -o "$O/slim.tar" \
		--no-probe --no-verify -f json --report "$O/r.json"
	[ "$status" -eq 0 ]
	jq -e '.slim.trace.run.path_limit == true and .slim.trace.run.timed_out == false
		and (.slim.trace.touched | length) <= 2000' "$O/r.json"
	SHIPSHAPE_SANDBOX_MAX_PATHS=2000 run timeout 120 "$SHIPSHAPE" slim "oci:$OCI:namer" -o "$O/slim.tar" \
		--no-probe --no-verify
	[[ "$output" == *"the command named more paths than the sandbox records and was killed"* ]]
	nothing_left 'nothing/'
}

@test "slim sandbox: hostile: a command that writes everywhere fills only its own tmpfs; the host is untouched" {
	local host=$O/escape
	# fill the disk, write over the root's files, write to the host's paths, the host's
	# hostname, and devices
	image writes /bin/bash -c "dd if=/dev/zero of=/fill bs=1M count=100000 2>/dev/null; \
		for d in / /etc /usr/bin /root /tmp; do echo x >\$d/shp-wrote; done; echo pwned >/etc/passwd; \
		echo pwned >$host; echo pwned >/proc/sys/kernel/hostname; hostname pwned; \
		echo pwned >/dev/null; mount -t tmpfs t /mnt; echo pwned >/proc/sysrq-trigger; exit 0"
	local hostname_before
	hostname_before=$(hostname)
	run timeout 120 "$SHIPSHAPE" slim "oci:$OCI:writes" -o "$O/slim.tar" --no-probe --no-verify
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"the command exited with 0"* ]]
	[ ! -e "$host" ]
	for d in / /etc /usr/bin /root /tmp; do [ ! -e "$d/shp-wrote" ]; done
	[ "$(hostname)" = "$hostname_before" ]
	refute grep -q pwned /etc/passwd
	# the image written is the image's files, not what the command wrote
	mkdir -p "$O/x" "$O/r"
	tar -C "$O/x" -xf "$O/slim.tar"
	tar -tf "$O/x/$(jq -r '.[0].Layers[0]' "$O/x/manifest.json")" >"$O/list"
	refute grep -q 'shp-wrote\|^fill$' "$O/list"
	nothing_left 'dev/zero'
}

@test "slim sandbox: hostile: a command that tries to reach the host's loopback, network or its tracer reaches nothing" {
	local port
	port=$(free_port)
	# a listener on the host's 127.0.0.1 that notes each connection
	harness_spawn "$O" listener python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $port)); s.listen(5); open('$O/ready', 'w').write('1')
while True:
    c, _ = s.accept(); open('$O/connected', 'a').write('x'); c.close()"
	wait_file "$O/ready" "$(tail -n1 "$O/pids")"
	# and the sandbox's init, which holds the tracer: its memory, root, descriptors, a signal
	image reach /bin/bash -c "echo hi >/dev/tcp/127.0.0.1/$port && echo reached-loopback; \
		echo hi >/dev/tcp/192.0.2.1/80 && echo reached-network; \
		cat /proc/1/environ >/dev/null && echo reached-init; ls /proc/1/root/ && echo reached-init-root; \
		ls /proc/1/fd/ && echo reached-init-fd; kill -9 1; sleep 0.2; exit 7"
	run timeout 120 "$SHIPSHAPE" slim "oci:$OCI:reach" -o "$O/slim.tar" --no-probe --no-verify -f json --report "$O/r.json"
	[ "$status" -eq 0 ]
	jq -e '.slim.trace.run.exit_code == 7' "$O/r.json"
	refute jq -e '.slim.trace.run.output | test("reached")' "$O/r.json"
	[ ! -e "$O/connected" ]
}

@test "slim sandbox: unprivileged: a user that is not root gets the traced run, with one user ID" {
	command -v setpriv >/dev/null || skip "setpriv not installed (util-linux)"
	local u=65534
	if ! setpriv --reuid $u --regid $u --clear-groups unshare --user --map-root-user true 2>/dev/null; then
		skip "this machine does not let a user that is not root make user namespaces (unshare --user failed)"
	fi
	image cli2 /bin/sh -c 'cat /etc/debian_version >/dev/null; exit 4'
	# the user must run shipshape (a clone's build directory may be in a directory it cannot
	# reach), read the image and write its output, cache and temporary files
	local d
	d=$(mktemp -d /tmp/shp-unpriv.XXXXXX)
	cp -a "$OCI" "$d/oci"
	cp "$SHIPSHAPE" "$d/shipshape"
	mkdir "$d/tmp"
	chown -R $u:$u "$d"
	chmod 755 "$d"
	run setpriv --reuid $u --regid $u --clear-groups env HOME="$d" TMPDIR="$d/tmp" \
		"$d/shipshape" slim "oci:$d/oci:cli2" -o "$d/slim.tar" -f json --report "$d/r.json"
	echo "$output"
	local rc=$status
	cp "$d/r.json" "$O/r.json" || true
	rm -rf "$d"
	[ "$rc" -eq 0 ]
	jq -e '.slim.trace.one_user_id == true and .slim.trace.run.exit_code == 4
		and .slim.trace.verification.same == true
		and (.slim.trace.touched | index("/etc/debian_version")) != null' "$O/r.json"
}

@test "slim sandbox: --static runs nothing; the probe options need the traced run" {
	image cli3 /bin/sh -c 'exit 0'
	run "$SHIPSHAPE" slim "oci:$OCI:cli3" -o "$O/slim.tar" --static -f json --report "$O/r.json"
	[ "$status" -eq 0 ]
	jq -e '.slim.trace == null' "$O/r.json"
	run "$SHIPSHAPE" slim "oci:$OCI:cli3" -o "$O/slim.tar" --static --probe-http 80
	[ "$status" -eq 2 ]
	[[ "$output" == *"--static runs nothing"* ]]
	run "$SHIPSHAPE" slim "oci:$OCI:cli3" -o "$O/slim.tar" --no-probe --probe-cmd true
	[ "$status" -eq 2 ]
	run "$SHIPSHAPE" slim "oci:$OCI:cli3" -o "$O/slim.tar" --probe-http 0
	[ "$status" -eq 2 ]
	run "$SHIPSHAPE" slim "oci:$OCI:cli3" -o "$O/slim.tar" --probe-time soon
	[ "$status" -eq 2 ]
}
