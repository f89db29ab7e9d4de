#!/usr/bin/env bats
# Trivy's habits on stderr: a scan that takes more than a second shows its progress on a
# terminal (layers, bytes), redrawn in place and cleared at the end; nothing when stderr is
# not a terminal, or with -q, which also silences every note and warning but not the errors.
# The scans are slowed by strace, which delays every pread (the blobs of an OCI layout are
# read with it), and run on a pseudo-terminal by script(1).

load helpers
load registry
. "$BATS_TEST_DIRNAME/../images/lib.sh"

setup() {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	cat > "$BATS_TEST_TMPDIR/case.sh" <<-'EOF'
	new_layer 'ADD etc /'
	mkdir -p "$L/etc"
	echo progress > "$L/etc/hostname"
	new_layer 'ADD data /'
	mkdir -p "$L/data"
	head -c 4000000 /dev/urandom > "$L/data/blob"
	EOF
	build_image "$BATS_TEST_TMPDIR/case.sh" "$BATS_TEST_TMPDIR/img.tar"
	OCI="$BATS_TEST_TMPDIR/oci"
	skopeo copy -q "docker-archive:$BATS_TEST_TMPDIR/img.tar" "oci:$OCI:t"
}

# whatever a test started (a registry) is stopped, even when it failed
teardown() { harness_stop "$BATS_TEST_TMPDIR"; }

# traced STRACE-ARGS... CMD...: under strace, quietly. LeakSanitizer cannot stop the threads
# of a traced process (an ASan build's leaks are checked by the untraced runs)
traced() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -o /dev/null "$@"
}
# slowed CMD...: CMD with every pread delayed by 0.1 s (the 4 MB layer takes 16 of them)
slowed() { traced -e trace=pread64 -e inject=pread64:delay_enter=100000 "$@"; }
# slowed_recv CMD...: every receive from a socket delayed by 0.1 s (curl receives at most
# 128 KiB at once: the 4 MB layer takes at least 32 of them)
slowed_recv() { traced -e trace=recvfrom -e inject=recvfrom:delay_enter=100000 "$@"; }

need_strace() {
	strace -o /dev/null true 2>/dev/null || skip "strace cannot trace here (no ptrace)"
}

# on_tty CMD: runs the shell command CMD with stdin, stdout and stderr on a pseudo-terminal;
# what the terminal received is the output. script(1) runs CMD with $SHELL -c, and the helpers
# are bash functions exported to it: a CI whose SHELL is /bin/sh would not see them
on_tty() { SHELL="$BASH" script -qfec "$1" /dev/null; }

@test "progress: a slow scan on a terminal shows layers and bytes in place, then clears them" {
	need_strace
	export -f traced slowed
	run on_tty "slowed '$SHIPSHAPE' image --no-cache -f json --fail-on none 'oci:$OCI:t' >/dev/null"
	[ "$status" -eq 0 ]
	# drawn with \r and erased to the end of the line, at least once ...
	[[ "$output" =~ $'\r'"layers "[0-2]"/2  "[0-9.]+" "k?M?B" read"$'\e[K' ]]
	# ... at most ten times a second (the slowed scan takes a few seconds)
	[ "$(grep -o $'\r'layers <<<"$output" | wc -l)" -le 60 ]
	# and the last thing on the terminal clears the line: the report starts on a clean one
	[[ "$output" == *$'\r\e[K' ]]
	# the same scan from the layer cache is quick: nothing is drawn
	"$SHIPSHAPE" image -f json --fail-on none "oci:$OCI:t" >/dev/null
	run on_tty "'$SHIPSHAPE' image -f json --fail-on none 'oci:$OCI:t' >/dev/null"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "progress: a slow download from a registry counts the bytes downloaded" {
	need_strace
	harness_need
	export -f traced slowed_recv
	registry_start "$BATS_TEST_TMPDIR/reg" anon
	registry_push "oci:$OCI:t" progress:t
	# each receive from the socket delayed: the 4 MB layer takes a few seconds
	run on_tty "slowed_recv '$SHIPSHAPE' image --no-cache -f json --fail-on none 'docker://$REG_ADDR/progress:t' >/dev/null"
	[ "$status" -eq 0 ]
	[[ "$output" =~ $'\r'"layers "[0-2]"/2  "[0-9.]+" "k?M?B" downloaded"$'\e[K' ]]
	[[ "$output" == *$'\r\e[K' ]]
	# with -q, nothing
	run on_tty "slowed_recv '$SHIPSHAPE' image -q --no-cache -f json --fail-on none 'docker://$REG_ADDR/progress:t' >/dev/null"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "progress: an engine's stream, read in one pass, counts layers and bytes as they come" {
	need_strace
	command -v python3 >/dev/null || skip "python3 not installed (make deps)"
	export -f traced slowed_recv
	local sock="$BATS_TEST_TMPDIR/f.sock"
	harness_spawn "$BATS_TEST_TMPDIR" fake python3 "$HARNESS_TOOLS/fake-engine.py" "$sock" ok "$BATS_TEST_TMPDIR/img.tar"
	wait_file "$sock.pid" "$(tail -1 "$BATS_TEST_TMPDIR/pids")"
	# how many layers there are is said only at the end of the stream: counted as they pass
	run on_tty "slowed_recv '$SHIPSHAPE' image --no-cache -f json --fail-on none docker-daemon:x:1 --engine-socket '$sock' >/dev/null"
	[ "$status" -eq 0 ]
	[[ "$output" =~ $'\r'"layers "[0-2]"  "[0-9.]+" "k?M?B" downloaded"$'\e[K' ]]
	[[ "$output" == *$'\r\e[K' ]]
}

@test "progress: nothing when stderr is not a terminal, or with -q on one" {
	need_strace
	export -f traced slowed
	slowed "$SHIPSHAPE" image --no-cache -f json --fail-on none "oci:$OCI:t" 2>"$BATS_TEST_TMPDIR/err" >/dev/null
	[ ! -s "$BATS_TEST_TMPDIR/err" ]
	run on_tty "slowed '$SHIPSHAPE' image -q --no-cache -f json --fail-on none 'oci:$OCI:t' >/dev/null"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# quiet: true in the configuration says the same
	printf 'quiet: true\n' > "$BATS_TEST_TMPDIR/quiet.yaml"
	run on_tty "slowed '$SHIPSHAPE' image -c '$BATS_TEST_TMPDIR/quiet.yaml' --no-cache -f json --fail-on none 'oci:$OCI:t' >/dev/null"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "quiet: -q silences the notes and warnings of the commands, not their errors" {
	cd "$BATS_TEST_TMPDIR"
	mkdir empty
	e="$BATS_TEST_TMPDIR/err"
	# lint and fix: a directory with no Dockerfile
	"$SHIPSHAPE" lint empty 2>"$e" >/dev/null
	grep -q 'empty: no Dockerfile found' "$e"
	"$SHIPSHAPE" lint -q empty 2>"$e" >/dev/null
	[ ! -s "$e" ]
	# fix: what it fixed
	printf 'FROM debian:12\nRUN apt-get install -y curl\n' > Dockerfile
	# (--diff exits 1 when there is a difference, as diff does)
	rc=0
	"$SHIPSHAPE" fix --diff --fail-on none Dockerfile 2>"$e" >/dev/null || rc=$?
	[ "$rc" -eq 1 ]
	grep -q 'Dockerfile: would make' "$e"
	rc=0
	"$SHIPSHAPE" fix --quiet --diff --fail-on none Dockerfile 2>"$e" >diff || rc=$?
	[ "$rc" -eq 1 ]
	grep -q '^+++ ' diff
	[ ! -s "$e" ]
	# sbom: an image with no package database
	"$SHIPSHAPE" sbom "oci:$OCI:t" 2>"$e" >/dev/null
	grep -q 'no package database found' "$e"
	"$SHIPSHAPE" sbom -q "oci:$OCI:t" 2>"$e" >/dev/null
	[ ! -s "$e" ]
	# image: a layer cache it will not use (others may write to it)
	mkdir -m 0777 open-cache
	"$SHIPSHAPE" image --cache-dir open-cache --fail-on none "oci:$OCI:t" 2>"$e" >/dev/null
	grep -q 'warning: the layer cache is not used' "$e"
	"$SHIPSHAPE" image -q --cache-dir open-cache --fail-on none "oci:$OCI:t" 2>"$e" >/dev/null
	[ ! -s "$e" ]
	printf 'quiet: true\n' > .shipshape.yaml
	"$SHIPSHAPE" image --cache-dir open-cache --fail-on none "oci:$OCI:t" 2>"$e" >/dev/null
	[ ! -s "$e" ]
	rm .shipshape.yaml
	# an error that explains the exit code is still said
	run "$SHIPSHAPE" image -q "$BATS_TEST_TMPDIR/missing.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"missing.tar"* ]]
	run "$SHIPSHAPE" lint -q --format nosuch Dockerfile
	[ "$status" -eq 2 ]
	[[ "$output" == *'unknown format "nosuch"'* ]]
}

@test "quiet: every command takes -q and --quiet" {
	for cmd in lint fix image slim sbom audit host vuln vercmp rules "db info"; do
		for q in -q --quiet; do
			run "$SHIPSHAPE" $cmd "$q" --help
			[ "$status" -eq 0 ] || { echo "$cmd $q: $status $output"; false; }
			[[ "$output" == *"usage"* ]]
		done
	done
	# and it is not taken for something else: vercmp still compares
	run "$SHIPSHAPE" vercmp -q --type deb 1.0 1.0-1
	[ "$status" -eq 0 ]
	[ "$output" = "<" ]
}
