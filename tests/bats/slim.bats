#!/usr/bin/env bats
# shipshape slim: images built here (tests/data/slim/make-image.sh: umoci and skopeo over a
# root holding the build host's loader and libraries), Debian's minbase root, and Alpine
# from the corpus. The slim images are read back by skopeo and by shipshape image, and the
# programs in them are run (chroot as root, else through the image's own loader). The cases
# of static analysis say --static; the traced run's own are in slim-sandbox.bats.

load helpers

setup_file() {
	[ -e /lib/x86_64-linux-gnu/libc.so.6 ] && command -v umoci >/dev/null && command -v skopeo >/dev/null &&
		command -v cc >/dev/null || return 0
	"$ROOT/tests/data/slim/make-image.sh" "$BATS_FILE_TMPDIR/s" >/dev/null
}

setup() {
	S="$BATS_FILE_TMPDIR/s"
	O="$BATS_TEST_TMPDIR"
	# the hostile inputs are built by each test with tar alone
	[[ "$BATS_TEST_DESCRIPTION" == "slim: hostile:"* ]] && return
	[ -f "$S/t.tar" ] || skip "needs x86-64 glibc, cc, umoci and skopeo (make deps)"
}

# layer_image DIR ENTRYPOINT-JSON: a docker-save tarball DIR/img.tar of the layer DIR/layer.tar
# (a tar, or a gzip of one)
layer_image() {
	local diff
	diff="sha256:$(zcat -f "$1/layer.tar" | sha256sum | cut -d' ' -f1)"
	jq -n --arg d "$diff" --argjson ep "$2" \
		'{architecture:"amd64",os:"linux",config:{Entrypoint:$ep},rootfs:{type:"layers",diff_ids:[$d]}}' \
		> "$1/config.json"
	jq -n '[{Config:"config.json",RepoTags:["h:1"],Layers:["layer.tar"]}]' > "$1/manifest.json"
	tar -C "$1" -cf "$1/img.tar" manifest.json config.json layer.tar
}

# unpack IMAGE.tar DIR: the single layer of a slim image, extracted
unpack() {
	mkdir -p "$2/x" "$2/r"
	tar -C "$2/x" -xf "$1"
	tar -C "$2/r" -xpf "$2/x/$(jq -r '.[0].Layers[0]' "$2/x/manifest.json")" # -p: modes as root keeps them
}

# run_in ROOT PROG ARGS...: runs a program of an unpacked root
run_in() {
	local r=$1
	shift
	if [ "$(id -u)" = 0 ]; then
		chroot --userspec=65534:65534 "$r" "$@"
	else
		"$r/usr/lib64/ld-linux-x86-64.so.2" --library-path "$r/usr/lib/x86_64-linux-gnu" "$r$1" "${@:2}"
	fi
}

@test "slim: the program, its loader and libraries through merged-/usr links, its argument file, and nothing else" {
	run "$SHIPSHAPE" slim --static "$S/t.tar" -o "$O/slim.tar" --list
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "  entrypoint  /usr/bin/hello" ]]
	[[ "${lines[2]}" == "  kept        8 of 29 files, "* ]]
	[[ "${lines[3]}" == "  user        65534:65534 (was root)" ]]
	printf '%s\n' "${lines[@]}" | grep -E '^/[^ ]*$' > "$O/kept"
	cat > "$O/want" <<'W'
/app
/app/config.yaml
/etc
/etc/group
/etc/os-release
/etc/passwd
/lib64
/tmp
/usr
/usr/bin
/usr/bin/hello
/usr/lib
/usr/lib/x86_64-linux-gnu
/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
/usr/lib/x86_64-linux-gnu/libc.so.6
/usr/lib/x86_64-linux-gnu/libm.so.6
/usr/lib64
/usr/lib64/ld-linux-x86-64.so.2
W
	diff "$O/want" "$O/kept"
	unpack "$O/slim.tar" "$O/u"
	run run_in "$O/u/r" /usr/bin/hello /app/config.yaml
	[ "$status" -eq 0 ]
	[ "$output" = "hello 4 /app/config.yaml" ]
	# the tmp directory keeps its sticky bit; links stay links
	[ "$(stat -c %a "$O/u/r/tmp")" = 1777 ]
	[ "$(readlink "$O/u/r/lib64")" = usr/lib64 ]
}

@test "slim: the output is a docker-save tarball and an OCI layout that skopeo and shipshape read, non-root, no shell" {
	run "$SHIPSHAPE" slim "$S/t.tar" -o "$O/slim.tar" --tag test/hello:slim
	[ "$status" -eq 0 ]
	skopeo inspect --config docker-archive:"$O/slim.tar" | jq -e '.config.User == "65534:65534" and
		.config.Entrypoint == ["/usr/bin/hello"] and .config.Cmd == ["/app/config.yaml"] and
		.config.WorkingDir == "/app" and (.rootfs.diff_ids | length) == 1'
	skopeo inspect oci-archive:"$O/slim.tar" | jq -e '(.Layers | length) == 1'
	skopeo copy -q oci-archive:"$O/slim.tar" oci:"$O/copy:t"
	# the source image has a shell, a package manager and a setuid file; the slim one none
	run "$SHIPSHAPE" image --format json --fail-on none "$S/t.tar"
	echo "$output" | jq -e '[.findings[].rule_id] | index("SHP2030") and index("SHP2031") and index("SHP2020")'
	run "$SHIPSHAPE" image --format json --fail-on low "$O/slim.tar"
	echo "$output" | jq -e '.image.ref == "test/hello:slim" and ([.findings[].rule_id] == ["SHP2005"])'
	run "$SHIPSHAPE" image --format json "$O/copy"
	[ "$status" -eq 0 ]
}

@test "slim: the same image gives the same bytes; its OCI layout and docker-save copy the same layer" {
	"$SHIPSHAPE" slim "$S/t.tar" -o "$O/a.tar" >/dev/null
	"$SHIPSHAPE" slim "$S/t.tar" -o "$O/b.tar" >/dev/null
	cmp "$O/a.tar" "$O/b.tar"
	"$SHIPSHAPE" slim "$S/oci" --image t -o "$O/c.tar" >/dev/null
	[ "$(tar -xOf "$O/a.tar" manifest.json | jq -r '.[0].Layers[0]')" = "$(tar -xOf "$O/c.tar" manifest.json | jq -r '.[0].Layers[0]')" ]
	# a source config without a creation time: the epoch, not the time of the run
	local h="$O/h" cfg
	mkdir -p "$h/src/app"
	echo data >"$h/src/app/file"
	tar -C "$h/src" -cf "$h/layer.tar" app
	layer_image "$h" null
	"$SHIPSHAPE" slim --include /app "$h/img.tar" -o "$O/h1.tar" >/dev/null
	sleep 1.1
	"$SHIPSHAPE" slim --include /app "$h/img.tar" -o "$O/h2.tar" >/dev/null
	cmp "$O/h1.tar" "$O/h2.tar"
	cfg=$(tar -xOf "$O/h1.tar" manifest.json | jq -r '.[0].Config')
	tar -xOf "$O/h1.tar" "$cfg" | jq -e '.created == "1970-01-01T00:00:00Z" and .history[0].created == .created'
	# the source's config is named config.json, not by its digest: its digest (the image's
	# ID) is still reported, and named in the slim image's label
	local id
	id="sha256:$(sha256sum "$h/config.json" | cut -d' ' -f1)"
	[ "$("$SHIPSHAPE" image -f json --fail-on none "$h/img.tar" | jq -r .image.config_digest)" = "$id" ]
	tar -xOf "$O/h1.tar" "$cfg" | jq -e --arg id "$id" '.config.Labels["io.shipshape.slim.source"] == $id'
	# SOURCE_DATE_EPOCH says otherwise
	SOURCE_DATE_EPOCH=1700000000 "$SHIPSHAPE" slim --include /app "$h/img.tar" -o "$O/h3.tar" >/dev/null
	cfg=$(tar -xOf "$O/h3.tar" manifest.json | jq -r '.[0].Config')
	tar -xOf "$O/h3.tar" "$cfg" | jq -e '.created == "2023-11-14T22:13:20Z"'
}

@test "slim: a shell script entrypoint keeps its shell and the programs it runs" {
	run "$SHIPSHAPE" slim "$S/script.tar" -o "$O/slim.tar" --list
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "  entrypoint  /app/start.sh" ]]
	for p in /app/start.sh /usr/bin/sh /usr/bin/dash /usr/bin/hello /usr/lib/x86_64-linux-gnu/libm.so.6; do
		printf '%s\n' "${lines[@]}" | grep -qx "$p"
	done
	refute grep -q 'apt\|/usr/bin/su$\|unused\|dpkg' <<<"$(printf '%s\n' "${lines[@]}" | grep '^/')"
	unpack "$O/slim.tar" "$O/u"
	[ "$(id -u)" = 0 ] || skip "needs root: running the script takes chroot"
	run chroot --userspec=65534:65534 "$O/u/r" /app/start.sh arg
	[ "$output" = "hello 4 arg" ]
}

@test "slim: an entrypoint script ending in exec \"\$@\" keeps its CMD's program and what it tests for" {
	# the official images' pattern: ENTRYPOINT ["/app/entry.sh"], CMD ["hello", "/app/config.yaml"]
	run "$SHIPSHAPE" slim "$S/entry.tar" -o "$O/slim.tar" --list
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "  entrypoint  /app/entry.sh" ]]
	for p in /app/entry.sh /usr/bin/dash /usr/bin/hello /usr/lib/x86_64-linux-gnu/libm.so.6 /app/config.yaml \
		/app/entry.d/10-say.sh; do
		printf '%s\n' "${lines[@]}" | grep -qx "$p"
	done
	refute grep -q 'apt\|/usr/bin/su$\|unused\|dpkg\|python3' <<<"$(printf '%s\n' "${lines[@]}" | grep '^/')"
	# what runs at run time is named: the sourced files are not followed
	[[ "$output" == *'note        /app/entry.sh runs commands named at run time ($f)'* ]]
	refute grep -q 'named at run time (\$@)' <<<"$output"
	unpack "$O/slim.tar" "$O/u"
	[ "$(id -u)" = 0 ] || skip "needs root: running the script takes chroot"
	run chroot --userspec=65534:65534 "$O/u/r" /app/entry.sh hello /app/config.yaml
	[ "$output" = "$(printf 'entry.d ran\nhello 4 /app/config.yaml')" ]
}

@test "slim: a command run by an interpreter (python3 app.py) keeps both, with a note on what it loads" {
	run "$SHIPSHAPE" slim --static "$S/py.tar" -o "$O/slim.tar" --list
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "  entrypoint  /usr/bin/python3" ]]
	printf '%s\n' "${lines[@]}" | grep -qx /app/app.py
	[[ "$output" == *"note        the entrypoint runs /app/app.py under python: the modules it imports were followed, but not those named at run time (importlib, plugins); keep them with --include"* ]]
	# a program that is no interpreter gets no such note
	run "$SHIPSHAPE" slim "$S/t.tar" -o "$O/t.tar"
	[ "$status" -eq 0 ]
	refute grep -q 'under ' <<<"$output"
}

@test "slim: a program's own paths: its configuration directory, what that names, and root kept for its pid file" {
	run "$SHIPSHAPE" slim --static "$S/daemon.tar" -o "$O/slim.tar" --list
	[ "$status" -eq 0 ]
	# "/etc/daemon/" is a constant of the program; its file names the document root
	for p in /usr/bin/daemon /etc/daemon/daemon.conf /srv/www/index.html; do
		printf '%s\n' "${lines[@]}" | grep -qx "$p"
	done
	# a path in a comment is not kept
	refute grep -q '^/srv/old' <<<"$output"
	# /run/daemon.pid is made at run time in root's /run: the user stays root, and the note says why
	[[ "${lines[3]}" == "  user        0:0 (was root)" ]]
	[[ "$output" == *"note        the user stays 0:0: /usr/bin/daemon makes /run/daemon.pid, in /run (owned by 0:0, mode 0755); chown that to a user and give it with --user"* ]]
	# --user decides; a program with no such path is switched as before
	run "$SHIPSHAPE" slim --static "$S/daemon.tar" -o "$O/u.tar" --user 1000:1000
	[ "$status" -eq 0 ]
	[[ "$output" == *"  user        1000:1000 (was root)"* ]]
	refute grep -q 'stays' <<<"$output"
	unpack "$O/slim.tar" "$O/u"
	[ "$(id -u)" = 0 ] || skip "needs root: running the program takes chroot"
	chroot "$O/u/r" /usr/bin/daemon
	[ -f "$O/u/r/run/daemon.pid" ]
}

@test "slim: --include, --include-exe (setuid bits cleared), --user, --dry-run writes nothing" {
	run "$SHIPSHAPE" slim "$S/t.tar" --dry-run --list --include /app/unused.bin --include-exe su --user 1000:1000
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"-> (dry run)" ]]
	[[ "${lines[3]}" == "  user        1000:1000 (was root)" ]]
	printf '%s\n' "${lines[@]}" | grep -qx /app/unused.bin
	printf '%s\n' "${lines[@]}" | grep -qx /usr/bin/su
	[ -z "$(ls -A "$O")" ]
	run "$SHIPSHAPE" slim "$S/t.tar" -o "$O/slim.tar" --include-exe su
	[[ "$output" == *"cleared     1 setuid/setgid bit(s)"* ]]
	unpack "$O/slim.tar" "$O/u"
	[ "$(stat -c %a "$O/u/r/usr/bin/su")" = 755 ]
}

# files_bytes DIR: "FILES BYTES", the regular files under DIR and their bytes
files_bytes() {
	find "$1" -type f -printf '%s\n' | awk '{ n++; b += $1 } END { printf "%d %d\n", n, b }'
}

# findings IMAGE: the image rules' findings on IMAGE, as `shipshape image` counts them
findings() {
	"$SHIPSHAPE" image -f json --fail-on none "$1" | jq .summary.total
}

@test "slim: the report: files and bytes before and after, packages, shells, package managers, setuid files, findings" {
	run "$SHIPSHAPE" slim "$S/t.tar" -o "$O/slim.tar"
	[ "$status" -eq 0 ]
	unpack "$O/slim.tar" "$O/u"
	read -r fin bin <<<"$(files_bytes "$S/root")"
	read -r fout bout <<<"$(files_bytes "$O/u/r")"
	[ "$fin" -eq 29 ] && [ "$fout" -eq 8 ]
	[[ "${lines[2]}" == "  kept        $fout of $fin files, "* ]]
	[[ "$output" == *$'\n  packages    2 removed, 1 partly kept, 1 kept whole (of 4)\n  removed     apt, dash\n  partly kept tools (1 of 2 files)\n'* ]]
	[[ "$output" == *$'\n  shells      /usr/bin/sh removed, /usr/bin/dash removed\n'* ]]
	[[ "$output" == *$'\n  pkg mgrs    /usr/bin/apt removed\n'* ]]
	[[ "$output" == *$'\n  setuid      /usr/bin/su removed\n'* ]]
	# the counts are those of `shipshape image` on each image
	before=$(findings "$S/t.tar")
	after=$(findings "$O/slim.tar")
	[ "$before" -gt "$after" ]
	grep -E '^  findings    before .*; after .* \(the image rules\)$' <<<"$output"
	# the same as JSON, to stdout or --report's file: what the schema says, the same figures
	run "$SHIPSHAPE" slim "$S/t.tar" -o "$O/slim2.tar" -f json --report "$O/r.json"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	"$NPM_DIR/node_modules/.bin/ajv" validate -s "$ROOT/docs/json-schema.json" -d "$O/r.json" --strict=false
	jq -e --argjson fin "$fin" --argjson bin "$bin" --argjson fout "$fout" --argjson bout "$bout" \
		'.command == "slim" and .slim.files == {before: $fin, after: $fout} and
		 .slim.bytes == {before: $bin, after: $bout}' "$O/r.json"
	jq -e '[.slim.packages[] | [.name, .status, .files, .files_kept]] ==
		[["apt", "removed", 1, 0], ["dash", "removed", 1, 0], ["libc6:amd64", "kept", 1, 1],
		 ["tools", "partly-kept", 2, 1]]' "$O/r.json"
	jq -e '.slim.setid == [{path: "/usr/bin/su", mode: "4755", kept: false}] and
		[.slim.shells[] | select(.kept)] == [] and .slim.package_managers[0].path == "/usr/bin/apt"' "$O/r.json"
	jq -e --argjson b "$before" --argjson a "$after" \
		'.slim.image_findings.before.total == $b and .slim.image_findings.after.total == $a and
		 .slim.image_findings.before.medium == 1 and .slim.image_findings.after.medium == 0 and
		 .summary.total == $a and (.findings | length) == $a' "$O/r.json"
	cmp "$O/slim.tar" "$O/slim2.tar"
}

@test "slim: the report of a shell script entrypoint says its shell is kept; a dry run counts no findings after" {
	run "$SHIPSHAPE" slim "$S/script.tar" -o "$O/slim.tar"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n  shells      /usr/bin/sh kept, /usr/bin/dash kept\n'* ]]
	[[ "$output" == *$'\n  removed     apt\n'* ]]
	run "$SHIPSHAPE" slim "$S/script.tar" --dry-run -f json
	[ "$status" -eq 0 ]
	echo "$output" > "$O/r.json"
	"$NPM_DIR/node_modules/.bin/ajv" validate -s "$ROOT/docs/json-schema.json" -d "$O/r.json" --strict=false
	jq -e '.slim.dry_run and .slim.image == null and .slim.output == null and
		.slim.image_findings.after == null and .slim.image_findings.after_unknown_because == "a dry run writes no image" and
		.slim.image_findings.before.total > 0 and ([.slim.shells[] | select(.kept | not)] == []) and
		([.slim.packages[] | select(.name == "dash")][0].status == "kept")' "$O/r.json"
	[ -z "$(ls -A "$O" | grep -v '^r.json$\|^slim.tar$')" ]
	# with -o -, stdout is the image: the report goes to stderr
	"$SHIPSHAPE" slim "$S/script.tar" -o - -f json 2>"$O/err.json" | tar -t >/dev/null
	jq -e '.slim.image_findings.after_unknown_because == "the image went to stdout"' "$O/err.json"
}

@test "slim: --report: a bad format, the image's own path or the input is refused" {
	run "$SHIPSHAPE" slim "$S/t.tar" -o "$O/slim.tar" -f sarif
	[ "$status" -eq 2 ]
	[[ "$output" == *'--format "sarif": the report is text or json'* ]]
	run "$SHIPSHAPE" slim "$S/t.tar" -o "$O/slim.tar" --report "$O/slim.tar"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--report $O/slim.tar: that is where the image goes"* ]]
	# another name of it, known once the image is there: the image stays, no report
	run "$SHIPSHAPE" slim "$S/t.tar" -o "$O/slim.tar" --report "$O/./slim.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"--report $O/./slim.tar: the output is the input"* ]]
	tar -tf "$O/slim.tar" manifest.json
	rm "$O/slim.tar"
	cp "$S/t.tar" "$O/in.tar"
	run "$SHIPSHAPE" slim "$O/in.tar" -o "$O/slim.tar" --report "$O/in.tar"
	[ "$status" -eq 3 ]
	[ ! -e "$O/slim.tar" ]
	cmp "$S/t.tar" "$O/in.tar"
}

@test "slim: usage and bad input: exit 2 or 3, nothing left behind" {
	run "$SHIPSHAPE" slim "$S/t.tar"
	[ "$status" -eq 2 ]
	[[ "$output" == *"-o OUT.tar"* ]]
	cp "$S/t.tar" "$O/in.tar"
	run "$SHIPSHAPE" slim "$O/in.tar" -o "$O/in.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"in.tar: the output is the input $O/in.tar"* ]]
	run "$SHIPSHAPE" slim "$S/t.tar" -o "$O/x.tar" --include /no/such
	[ "$status" -eq 3 ]
	[[ "$output" == *"--include /no/such: no such path in the image"* ]]
	run "$SHIPSHAPE" slim "$S/t.tar" -o "$O/x.tar" --include-exe nosuch
	[ "$status" -eq 3 ]
	head -c 2000000 "$S/t.tar" > "$O/cut.tar"
	run "$SHIPSHAPE" slim "$O/cut.tar" --no-cache -o "$O/x.tar"
	[ "$status" -eq 3 ]
	run "$SHIPSHAPE" slim "$S/root" -o "$O/x.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"a root filesystem has no config"* ]]
	run "$SHIPSHAPE" slim "$S/t.tar" -o /nonexistent/dir/x.tar
	[ "$status" -eq 3 ]
	[ "$(ls -A "$O" | tr '\n' ' ')" = "cut.tar in.tar " ] # no output, no temporary file
}

@test "slim: Alpine (corpus): busybox and musl's loader, which is its libc too" {
	local a="$CORPUS/images/dockle/pkg/deckoder/extractor/image/testdata/alpine-310.tar.gz"
	[ -f "$a" ] || skip "corpus not present"
	run "$SHIPSHAPE" slim "$a" -o "$O/slim.tar" --list
	[ "$status" -eq 0 ]
	for p in /bin/sh /bin/busybox /lib/ld-musl-x86_64.so.1 /lib/libc.musl-x86_64.so.1; do
		printf '%s\n' "${lines[@]}" | grep -qx "$p"
	done
	refute grep -qx /sbin/apk <<<"$output"
	# the report reads apk's database: apk-tools removed, musl kept, busybox's shells kept
	[[ "$output" == *$'\n  shells      /bin/sh kept, /bin/ash kept, /bin/busybox kept\n'* ]]
	[[ "$output" == *$'\n  pkg mgrs    /sbin/apk removed\n'* ]]
	"$SHIPSHAPE" slim "$a" -o "$O/s2.tar" -f json >"$O/r.json"
	"$NPM_DIR/node_modules/.bin/ajv" validate -s "$ROOT/docs/json-schema.json" -d "$O/r.json" --strict=false
	jq -e '[.slim.packages[] | select(.name == "apk-tools" or .name == "musl") | [.type, .status]] ==
		[["apk", "removed"], ["apk", "kept"]]' "$O/r.json"
	unpack "$O/slim.tar" "$O/u"
	[ "$(id -u)" = 0 ] || skip "needs root: running busybox takes chroot"
	run chroot --userspec=65534:65534 "$O/u/r" /bin/sh -c 'echo ok'
	[ "$output" = ok ]
}

@test "slim: Debian minbase with bash: 16 of its 5,235 files, and bash runs" {
	[ -s "$DEB_TAR" ] || skip "no Debian root cached: make test-data"
	[ "$(id -u)" = 0 ] || skip "needs root: unpacking the Debian root keeps its owners"
	debian_oci "$O" bash
	run "$SHIPSHAPE" slim "$O/oci" -o "$O/slim.tar" --list
	[ "$status" -eq 0 ]
	[[ "${lines[2]}" == "  kept        16 of 5235 files, "* ]]
	[[ "${lines[3]}" == "  user        65534:65534 (was root)" ]]
	# what bash reads by its compiled-in names
	for p in /etc/profile /etc/bash.bashrc /etc/profile.d; do
		printf '%s\n' "${lines[@]}" | grep -qx "$p"
	done
	for p in /usr/bin/bash /usr/lib/x86_64-linux-gnu/libtinfo.so.6 /usr/lib/x86_64-linux-gnu/libnss_files.so.2 \
		/etc/ld.so.cache /usr/share/zoneinfo/Etc/UTC; do
		printf '%s\n' "${lines[@]}" | grep -qx "$p"
	done
	unpack "$O/slim.tar" "$O/u"
	run chroot --userspec=65534:65534 "$O/u/r" /usr/bin/bash -c 'echo ok'
	[ "$output" = ok ]
}

@test "slim: hostile: files whose directories have no tar entry are found and kept, with their directories" {
	mkdir -p "$O/src/app/bin" "$O/src/bin"
	cp /bin/true "$O/src/app/bin/prog"
	cp /bin/true "$O/src/bin/sh"
	echo data > "$O/src/app/data"
	tar -C "$O/src" -cf "$O/layer.tar" app/bin/prog app/data bin/sh # no entry for app, app/bin, bin
	[ "$(tar -tf "$O/layer.tar" | wc -l)" -eq 3 ]
	layer_image "$O" '["/app/bin/prog", "/app/data"]'
	run "$SHIPSHAPE" slim "$O/img.tar" -o "$O/slim.tar" --list
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "  entrypoint  /app/bin/prog" ]]
	[[ "${lines[2]}" == "  kept        2 of 3 files, "* ]]
	unpack "$O/slim.tar" "$O/u"
	tar -tvf "$O/u/x/$(jq -r '.[0].Layers[0]' "$O/u/x/manifest.json")" > "$O/listing"
	grep -q '^drwxr-xr-x 0/0 .* app/$' "$O/listing"
	grep -q '^drwxr-xr-x 0/0 .* app/bin/$' "$O/listing"
	cmp /bin/true "$O/u/r/app/bin/prog"
	[ "$(cat "$O/u/r/app/data")" = data ]
	refute test -e "$O/u/r/bin"
	# the image rules see the shell under an implicit /bin too
	run "$SHIPSHAPE" image -f json --fail-on none "$O/img.tar"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.findings[].rule_id] | index("SHP2030")'
}

# slim_layer OUT.tar DIR: the layer of a slim image, as DIR/layer.tar
slim_layer() {
	mkdir -p "$2"
	tar -xOf "$1" "$(tar -xOf "$1" manifest.json | jq -r '.[0].Layers[0]')" > "$2/layer.tar"
}

@test "slim: hostile: data that a read of the layer cut off the 512-byte grid before a hole: GNU tar restores it" {
	# 600 runs of incompressible bytes, each followed by zeros: gzip's output reaches the
	# reader in pieces that end anywhere, some just after a run's last byte
	mkdir -p "$O/src/app"
	cp /bin/true "$O/src/app/prog"
	python3 - "$O/src/app/big" <<-'PY'
		import random, sys
		r = random.Random(7)
		out = bytearray()
		for _ in range(600):
		    out += r.randbytes(3000 + r.randrange(5000))
		    out += bytes(9000 + r.randrange(7000))
		open(sys.argv[1], "wb").write(out)
	PY
	tar -C "$O/src" -cf - app | gzip -1 > "$O/layer.tar"
	layer_image "$O" '["/app/prog", "/app/big"]'
	run "$SHIPSHAPE" slim "$O/img.tar" -o "$O/slim.tar"
	[ "$status" -eq 0 ]
	slim_layer "$O/slim.tar" "$O/l"
	mkdir "$O/x"
	tar --sparse -C "$O/x" -xf "$O/l/layer.tar"
	cmp "$O/src/app/big" "$O/x/app/big"
	[ "$(du -k "$O/x/app/big" | cut -f1)" -lt "$(du -k "$O/src/app/big" | cut -f1)" ]
}

@test "slim: hostile: a 1 GiB sparse file stays sparse, and holes stay holes when extracted" {
	mkdir -p "$O/src/app" "$O/out"
	cp /bin/true "$O/src/app/prog"
	truncate -s 1G "$O/src/app/big"
	printf hello | dd of="$O/src/app/big" bs=1 seek=100000 conv=notrunc 2>/dev/null
	printf end | dd of="$O/src/app/big" bs=1 seek=536870912 conv=notrunc 2>/dev/null
	tar --sparse -C "$O/src" -cf "$O/layer.tar" app
	[ "$(stat -c %s "$O/layer.tar")" -lt 100000 ]
	layer_image "$O" '["/app/prog", "/app/big"]'
	run timeout 120 /usr/bin/time -f '%M' "$SHIPSHAPE" slim "$O/img.tar" -o "$O/out/slim.tar"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" -lt 200000 ] # KB
	# output and temporary files stay small: the output is all there is
	[ "$(ls -A "$O/out")" = slim.tar ]
	[ "$(stat -c %s "$O/out/slim.tar")" -lt 200000 ]
	slim_layer "$O/out/slim.tar" "$O/l"
	tar -tvf "$O/l/layer.tar" | grep -q ' 1073741824 .* app/big$'
	mkdir "$O/x"
	tar --sparse -C "$O/x" -xf "$O/l/layer.tar"
	[ "$(stat -c %s "$O/x/app/big")" -eq 1073741824 ]
	[ "$(du -k "$O/x/app/big" | cut -f1)" -lt 1024 ]
	[ "$(dd if="$O/x/app/big" bs=1 skip=100000 count=5 2>/dev/null)" = hello ]
	[ "$(dd if="$O/x/app/big" bs=1 skip=536870912 count=3 2>/dev/null)" = end ]
	[ "$(dd if="$O/x/app/big" bs=1 skip=99999 count=1 2>/dev/null | od -An -tx1 | tr -d ' ')" = 00 ]
	cmp /bin/true "$O/x/app/prog"
	# and shipshape reads its own output
	run "$SHIPSHAPE" image --fail-on none "$O/out/slim.tar"
	[ "$status" -eq 0 ]
}

@test "slim: hostile: runs of zeros in a gzip layer become holes; umoci unpacks the same bytes" {
	mkdir -p "$O/src/app"
	cp /bin/true "$O/src/app/prog"
	head -c 16M /dev/zero > "$O/src/app/big"
	printf data | dd of="$O/src/app/big" bs=1 seek=5000000 conv=notrunc 2>/dev/null
	head -c 4096 /dev/zero > "$O/src/app/zeros" # all hole
	tar -C "$O/src" -cf - app | gzip -1 > "$O/layer.tar"
	layer_image "$O" '["/app/prog", "/app/big", "/app/zeros"]'
	run timeout 120 "$SHIPSHAPE" slim "$O/img.tar" -o "$O/slim.tar" --tag h:slim
	[ "$status" -eq 0 ]
	[ "$(stat -c %s "$O/slim.tar")" -lt 200000 ]
	slim_layer "$O/slim.tar" "$O/l"
	mkdir "$O/x"
	tar --sparse -C "$O/x" -xf "$O/l/layer.tar"
	cmp "$O/src/app/big" "$O/x/app/big"
	cmp "$O/src/app/zeros" "$O/x/app/zeros"
	[ "$(du -k "$O/x/app/big" | cut -f1)" -lt 1024 ]
	command -v umoci >/dev/null && command -v skopeo >/dev/null || skip "umoci and skopeo not installed"
	skopeo copy -q oci-archive:"$O/slim.tar" oci:"$O/oci:t"
	local rootless=() # umoci needs it to unpack as another user than root
	[ "$(id -u)" = 0 ] || rootless=(--rootless)
	umoci --log error unpack "${rootless[@]}" --image "$O/oci:t" "$O/u"
	cmp "$O/src/app/big" "$O/u/rootfs/app/big"
	cmp "$O/src/app/zeros" "$O/u/rootfs/app/zeros"
}

@test "slim: hostile: --max-output-bytes stops a large image with exit 3, nothing left behind" {
	mkdir -p "$O/src/app" "$O/out"
	cp /bin/true "$O/src/app/prog"
	head -c 3000000 /dev/urandom > "$O/src/app/big"
	tar -C "$O/src" -cf "$O/layer.tar" app
	layer_image "$O" '["/app/prog", "/app/big"]'
	"$SHIPSHAPE" slim "$O/img.tar" -o "$O/full.tar" >/dev/null
	slim_layer "$O/full.tar" "$O/l"
	local total layer
	total=$(stat -c %s "$O/full.tar")
	layer=$(stat -c %s "$O/l/layer.tar")
	# stopped in the file's data, at the layer's end, in the tarball around it
	for max in 1M $((layer - 1)) $((total - 1)); do
		run timeout 120 "$SHIPSHAPE" slim "$O/img.tar" -o "$O/out/slim.tar" --max-output-bytes "$max"
		[ "$status" -eq 3 ]
		[[ "$output" == *"slim.tar: the image would be larger than "*" bytes, the output limit (--max-output-bytes)"* ]]
		[ -z "$(ls -A "$O/out")" ]
	done
	run "$SHIPSHAPE" slim "$O/img.tar" -o "$O/out/slim.tar" --max-output-bytes 0
	[ "$status" -eq 2 ]
	run "$SHIPSHAPE" slim "$O/img.tar" -o "$O/out/slim.tar" --max-output-bytes "$total"
	[ "$status" -eq 0 ]
	[ "$(stat -c %s "$O/out/slim.tar")" -eq "$total" ]
}

@test "slim: -o - streams the image to stdout (the summary to stderr); a link target is followed" {
	"$SHIPSHAPE" slim "$S/t.tar" -o "$O/file.tar" >/dev/null
	run bash -c '"$SHIPSHAPE" slim "$1" -o - 2>"$2/say" >"$2/stream.tar"' _ "$S/t.tar" "$O"
	[ "$status" -eq 0 ]
	cmp "$O/stream.tar" "$O/file.tar"
	grep -q -- "-> <stdout>" "$O/say"
	tar -tf "$O/stream.tar" | grep -qx manifest.json
	[ ! -e ./- ] && [ ! -e "$O/-" ]
	# a link: the file it names is replaced, the link stays
	echo old > "$O/real.tar"
	ln -s real.tar "$O/link.tar"
	"$SHIPSHAPE" slim "$S/t.tar" -o "$O/link.tar" >/dev/null
	[ -L "$O/link.tar" ]
	cmp "$O/real.tar" "$O/file.tar"
	[ -z "$(ls "$O" | grep shipshape- || true)" ]
}

@test "slim: -o naming a device is refused and the device left as it was" {
	[ "$(id -u)" = 0 ] || skip "needs root: mknod"
	mknod "$O/null" c 1 3
	run "$SHIPSHAPE" slim "$S/t.tar" -o "$O/null"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$O/null: is a character device, not a regular file: refusing to replace it"* ]]
	[ "$(stat -c %F "$O/null")" = "character special file" ]
}
