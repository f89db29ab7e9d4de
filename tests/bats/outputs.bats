#!/usr/bin/env bats
# Where shipshape writes: -o and fix never replace a device, a FIFO or a link, never write
# over or into their own input, and fix keeps the file it fixes what it was (the file a link
# names, its hard links, owner, group and mode). lint and fix follow links inside a directory
# and say what they skip. Device nodes are made here (as root), never the real /dev ones.

load helpers

setup() {
	T="$BATS_TEST_TMPDIR"
	printf 'FROM debian:12\nRUN apt-get install curl\n' > "$T/Dockerfile"
}

need_root() { [ "$(id -u)" = 0 ] || skip "needs root: mknod and chown"; }

# measure CMD...: runs it under /usr/bin/time; $status, $output as run gives them, and
# fails when it took 5 s or more, or more memory than the suite allows
measure() {
	run timeout 120 /usr/bin/time -f '%M %e' -o "$T/time" "$@"
	local kb secs limit=$((200 * 1024))
	read -r kb secs < <(tail -n 1 "$T/time")
	echo "peak ${kb} KB, ${secs} s"
	[ "$kb" -lt "$limit" ]
	awk -v s="$secs" 'BEGIN { exit !(s < 5) }'
}

@test "outputs: fix, slim and a report refuse a device node or FIFO, which stays what it was" {
	need_root
	mknod "$T/null" c 1 3
	mknod "$T/blk" b 7 250
	mkfifo "$T/fifo"
	cp "$T/Dockerfile" "$T/in.tar"
	# slim checks its target before it reads the image
	measure "$SHIPSHAPE" slim "$T/in.tar" -o "$T/null"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$T/null: is a character device, not a regular file: refusing to replace it"* ]]
	[ "$(stat -c %F "$T/null")" = "character special file" ]
	# fix checks before it reads: a FIFO with no writer must not hang it
	measure timeout 5 "$SHIPSHAPE" fix "$T/fifo"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$T/fifo: is a FIFO, not a regular file: refusing to replace it"* ]]
	[ -p "$T/fifo" ]
	run "$SHIPSHAPE" fix "$T/null"
	[ "$status" -eq 3 ]
	[ "$(stat -c %F "$T/null")" = "character special file" ]
	run bash -c 'cat "$1" | "$SHIPSHAPE" fix /dev/stdin' _ "$T/Dockerfile"
	[ "$status" -eq 3 ]
	[[ "$output" == *"/dev/stdin: is a FIFO, not a regular file: refusing to replace it"* ]]
	[ -L /dev/stdin ]
	# -o /dev/stdout into a pipe: the link and the pipe stay (the image is never read)
	run bash -c '"$SHIPSHAPE" slim "$1" -o /dev/stdout | cat; exit "${PIPESTATUS[0]}"' _ "$T/in.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"/dev/stdout: is a FIFO, not a regular file: refusing to replace it"* ]]
	[ -L /dev/stdout ]
	# a report streams into a character device, never onto a block device
	run "$SHIPSHAPE" lint --fail-on none -o "$T/blk" "$T/Dockerfile"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$T/blk: is a block device, not a regular file: refusing to write to it"* ]]
	[ "$(stat -c %F "$T/blk")" = "block special file" ]
	run "$SHIPSHAPE" lint --fail-on none -o "$T/null" "$T/Dockerfile"
	[ "$status" -eq 0 ]
	[ "$(stat -c %F "$T/null")" = "character special file" ]
	# a link to nothing is not written through
	ln -s "$T/nowhere" "$T/dangling"
	run "$SHIPSHAPE" lint --fail-on none -o "$T/dangling" "$T/Dockerfile"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$T/dangling: a symbolic link to nothing"* ]]
	[ ! -e "$T/nowhere" ]
}

@test "outputs: -o - is stdout for every command's report" {
	run "$SHIPSHAPE" lint -f json --fail-on none -o - "$T/Dockerfile"
	[ "$status" -eq 0 ]
	[ ! -e ./- ] && [ ! -e "$T/-" ]
	echo "$output" | jq -e '.findings | length > 0'
	(cd "$T" && "$SHIPSHAPE" fix --diff -o - Dockerfile > diff.out) || [ $? -eq 1 ]
	grep -q '^+RUN apt-get install -y curl' "$T/diff.out"
	[ ! -e "$T/-" ]
	printf 'services:\n  a:\n    image: x:1\n    privileged: true\n' > "$T/c.yaml"
	(cd "$T" && "$SHIPSHAPE" audit -f json --fail-on none -o - c.yaml > a.json)
	jq -e '.findings | length > 0' "$T/a.json"
	[ ! -e "$T/-" ]
}

@test "outputs: an output that is an input is refused before anything is written" {
	cp "$T/Dockerfile" "$T/orig"
	for cmd in "lint" "fix" "fix --diff"; do
		run "$SHIPSHAPE" $cmd "$T/Dockerfile" -o "$T/Dockerfile"
		[ "$status" -eq 3 ]
		[[ "$output" == *"$T/Dockerfile: the output is the input $T/Dockerfile: refusing to overwrite it"* ]]
		cmp "$T/Dockerfile" "$T/orig"
	done
	# the same file under another name (a hard link, a symbolic link)
	ln "$T/Dockerfile" "$T/hard"
	ln -s Dockerfile "$T/soft"
	run "$SHIPSHAPE" lint "$T/Dockerfile" -o "$T/hard"
	[ "$status" -eq 3 ]
	run "$SHIPSHAPE" fix "$T/soft" -o "$T/Dockerfile"
	[ "$status" -eq 3 ]
	[[ "$output" == *"the output is the input $T/soft"* ]]
	cmp "$T/Dockerfile" "$T/orig"
	printf 'services:\n  a:\n    image: x:1\n' > "$T/c.yaml"
	cp "$T/c.yaml" "$T/c.orig"
	run "$SHIPSHAPE" audit "$T/c.yaml" -o "$T/c.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"the output is the input $T/c.yaml"* ]]
	cmp "$T/c.yaml" "$T/c.orig"
	# images: checked before the image is read, so any file stands for one here
	cp "$T/orig" "$T/x.tar"
	for cmd in image sbom vuln slim; do
		run "$SHIPSHAPE" $cmd -o "$T/x.tar" "$T/x.tar"
		[ "$status" -eq 3 ]
		[[ "$output" == *"$T/x.tar: the output is the input $T/x.tar"* ]]
		cmp "$T/x.tar" "$T/orig"
	done
	# a directory read as one image: nothing may be written inside it
	mkdir -p "$T/oci/blobs/sha256"
	echo '{"imageLayoutVersion":"1.0.0"}' > "$T/oci/oci-layout"
	echo '{"schemaVersion":2,"manifests":[]}' > "$T/oci/index.json"
	cp "$T/oci/index.json" "$T/index.orig"
	for cmd in image sbom vuln slim; do
		run "$SHIPSHAPE" $cmd "$T/oci" -o "$T/oci/index.json"
		[ "$status" -eq 3 ]
		[[ "$output" == *"$T/oci/index.json: the output is inside the input $T/oci: refusing to write into it"* ]]
		cmp "$T/oci/index.json" "$T/index.orig"
		run "$SHIPSHAPE" $cmd "$T/oci/" -o "$T/oci/blobs/new"
		[ "$status" -eq 3 ]
		[ ! -e "$T/oci/blobs/new" ]
	done
	# the database is an input of vuln too
	echo db > "$T/v.db"
	run "$SHIPSHAPE" vuln --db "$T/v.db" -o "$T/v.db" "$T/x.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"the output is the input $T/v.db"* ]]
	[ "$(cat "$T/v.db")" = db ]
}

@test "outputs: a report beside the Dockerfiles of a searched directory is written (CI: lint -o lint.json .)" {
	mkdir "$T/repo"
	cp "$T/Dockerfile" "$T/repo/"
	for i in 1 2; do # twice: the first run's report is there the second time
		run "$SHIPSHAPE" lint -f json --fail-on none -o "$T/repo/lint.json" "$T/repo"
		[ "$status" -eq 0 ]
		jq -e '.findings | length > 0' "$T/repo/lint.json"
	done
}

@test "outputs: fix writes the file a link names and keeps hard links, owner, group and mode" {
	need_root
	mkdir "$T/d"
	cp "$T/Dockerfile" "$T/d/real.Dockerfile"
	ln -s real.Dockerfile "$T/d/Dockerfile"
	chown 1234:1234 "$T/d/real.Dockerfile"
	chmod 0640 "$T/d/real.Dockerfile"
	run "$SHIPSHAPE" fix --fail-on none "$T/d/Dockerfile"
	[ "$status" -eq 0 ]
	[[ "$output" == *"made 2 fixes"* ]]
	[ -L "$T/d/Dockerfile" ]
	[ "$(readlink "$T/d/Dockerfile")" = real.Dockerfile ]
	grep -q 'apt-get install -y curl' "$T/d/real.Dockerfile"
	[ "$(stat -c '%u:%g %a %h' "$T/d/real.Dockerfile")" = "1234:1234 640 1" ]
	# hard links: every name sees the fix (the same inode)
	cp "$T/Dockerfile" "$T/h1"
	ln "$T/h1" "$T/h2"
	chown 1234:1234 "$T/h1"
	local ino
	ino=$(stat -c %i "$T/h1")
	run "$SHIPSHAPE" fix --fail-on none "$T/h1"
	[ "$status" -eq 0 ]
	[ "$(stat -c '%i %h %u:%g' "$T/h1")" = "$ino 2 1234:1234" ]
	grep -q 'apt-get install -y curl' "$T/h2"
	# nothing left beside them
	[ "$(ls "$T/d" | wc -l)" -eq 2 ]
	[ -z "$(ls "$T" | grep shipshape- || true)" ]
	# a user fixing another's writable file cannot give the new file its owner: written in place
	local u
	u=$(mktemp -d /tmp/shp-owner-XXXXXX)
	chmod 0777 "$u"
	cp "$T/Dockerfile" "$u/Dockerfile"
	chown 4321:4321 "$u/Dockerfile"
	chmod 0666 "$u/Dockerfile"
	run setpriv --reuid 1234 --regid 1234 --clear-groups "$SHIPSHAPE" fix --fail-on none "$u/Dockerfile"
	local owner
	owner=$(stat -c '%u:%g %a' "$u/Dockerfile")
	grep -q 'apt-get install -y curl' "$u/Dockerfile" || { rm -rf "$u"; false; }
	rm -rf "$u"
	[ "$status" -eq 0 ]
	[ "$owner" = "4321:4321 666" ]
}

@test "outputs: lint DIR and fix DIR follow links inside the tree once, and say what they skip" {
	local t="$T/tree"
	mkdir -p "$t/real" "$t/only" "$t/sub" "$T/out"
	cp "$T/Dockerfile" "$t/real/Dockerfile"
	cp "$T/Dockerfile" "$T/out/Dockerfile"
	printf 'FROM alpine:3.19\n' > "$t/only.txt"
	ln -s ../only.txt "$t/only/Dockerfile"    # a Dockerfile that is only a link
	ln -s ../real/Dockerfile "$t/sub/Dockerfile" # a second name: linted once
	ln -s .. "$t/sub/up"                         # a loop
	ln -s ../out "$t/outside"                    # out of the tree
	ln -s ../out/Dockerfile "$t/Dockerfile.out"
	ln -s nowhere "$t/Dockerfile.none"
	measure "$SHIPSHAPE" lint -f json --fail-on none -o "$T/l.json" "$t"
	[ "$status" -eq 0 ]
	jq -e '[.findings[].location.file] | unique == ["'"$t"'/only/Dockerfile", "'"$t"'/real/Dockerfile"]' "$T/l.json"
	[[ "$output" == *"$t/sub/up: skipped: a symbolic link loop, to $t"* ]]
	[[ "$output" == *"$t/outside: skipped: a symbolic link out of $t, to $T/out"* ]]
	[[ "$output" == *"$t/Dockerfile.out: skipped: a symbolic link out of $t, to $T/out/Dockerfile"* ]]
	[[ "$output" == *"$t/Dockerfile.none: skipped: a symbolic link to nothing"* ]]
	# fix: the file inside is fixed through its link, the one outside is left alone
	run "$SHIPSHAPE" fix --fail-on none "$t"
	[ "$status" -eq 0 ]
	grep -q 'apt-get install -y curl' "$t/real/Dockerfile"
	cmp "$T/out/Dockerfile" "$T/Dockerfile"
	[ -L "$t/sub/Dockerfile" ]
}
