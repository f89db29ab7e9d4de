#!/usr/bin/env bats
# containers-storage: podman's image store read from disk, no service: the same report as the
# docker-save archive of the same image (vfs and overlay drivers; images built by umoci and
# skopeo, and a real Debian root imported by podman), names found as podman finds them, the
# store's read locks taken, and a damaged store refused (exit 3, nothing written).

load helpers

PODMAN_STORE="$ROOT/tests/tools/podman-store.sh"

# A store made by tests/tools/podman-store.sh, or a skip saying why it could not be made.
store() {
	local out rc=0
	out=$("$PODMAN_STORE" "$@" 2>&1) || rc=$?
	if [ "$rc" = 77 ]; then
		skip "${out#podman-store: }"
	fi
	[ "$rc" = 0 ] || {
		echo "$out"
		return 1
	}
	printf '%s\n' "$out" | tail -1
}

# Two layers built by umoci (a private key, a setuid file, a symlink, a file deleted in the
# second layer), written by skopeo as a docker-save tar.
setup_file() {
	command -v umoci >/dev/null && command -v skopeo >/dev/null || return 0
	local d="$BATS_FILE_TMPDIR/img"
	mkdir -p "$d"
	umoci --log error init --layout "$d/oci"
	umoci --log error new --image "$d/oci:one"
	umoci --log error unpack --rootless --image "$d/oci:one" "$d/b"
	local r="$d/b/rootfs"
	mkdir -p "$r/app" "$r/usr/bin"
	{ echo '-----BEGIN OPENSSH PRIVATE KEY-----'; head -c 400 /dev/urandom | base64 -w 70; echo '-----END OPENSSH PRIVATE KEY-----'; } > "$r/app/deploy_key"
	printf 'tool\n' > "$r/usr/bin/tool"
	chmod 4755 "$r/usr/bin/tool"
	printf 'old\n' > "$r/app/old"
	head -c 200000 /dev/urandom > "$r/app/blob"
	ln -s /etc/passwd "$r/app/link"
	umoci --log error repack --image "$d/oci:one" "$d/b"
	rm -rf "$d/b"
	umoci --log error unpack --rootless --image "$d/oci:one" "$d/b"
	rm "$d/b/rootfs/app/old"
	printf 'new\n' > "$d/b/rootfs/app/new"
	umoci --log error repack --image "$d/oci:one" "$d/b"
	umoci --log error config --image "$d/oci:one" --config.user 1000:1000
	rm -rf "$d/b"
	skopeo copy -q oci:"$d/oci:one" docker-archive:"$d/docker.tar":test/cs:one
}

need_tools() {
	command -v umoci >/dev/null && command -v skopeo >/dev/null || skip "umoci and skopeo needed (make deps)"
	command -v jq >/dev/null || skip "jq not installed"
}

# The report without what names the input (and whether a layer came from the layer cache,
# which the archive and the store share: the same diffIDs): the rest must be the same.
norm() {
	jq -S 'del(.image.input, .image.kind, .image.manifest_digest, .image.config_digest, .image.ref)
		| if .image.layers then .image.layers |= map(del(.cached)) else . end
		| if .findings then .findings |= map(del(.location.file)) else . end'
}

report() { "$SHIPSHAPE" image -f json --fail-on none "$@"; }

# A vfs store holding the test image, made once per file and copied by tests that damage it.
vfs_store() {
	local s="$BATS_FILE_TMPDIR/vfs"
	if [ ! -d "$s/R" ]; then
		store load "$s/R" "$s/RR" vfs "$BATS_FILE_TMPDIR/img/docker.tar" >"$s.id" || return 1
	fi
	echo "$s"
}

@test "containers-storage: gives the docker-archive's report (vfs), by every kind of name" {
	need_tools
	local s id ref
	s=$(vfs_store)
	id=$(cat "$s.id")
	ref=$(report "docker-archive:$BATS_FILE_TMPDIR/img/docker.tar" | norm)
	[[ "$ref" == *SHP2010* && "$ref" == *SHP2020* ]]
	for name in "[vfs@$s/R+$s/RR]test/cs:one" "[vfs@$s/R]docker.io/test/cs:one" "[$s/R]cs:one" \
		"vfs@$s/R:test/cs:one" "$s/R+$s/RR:$id" "[vfs@$s/R]${id:0:12}" "[vfs@$s/R]sha256:$id"; do
		run report "containers-storage:$name"
		echo "$name: $status"
		[ "$status" -eq 0 ]
		diff <(echo "$ref") <(echo "$output" | norm)
		echo "$output" | jq -e '.image.kind == "containers-storage" and .image.ref == "docker.io/test/cs:one"'
		echo "$output" | jq -e --arg c "sha256:$id" '.image.config_digest == $c'
	done
	# the sbom too
	diff <("$SHIPSHAPE" sbom -f json "docker-archive:$BATS_FILE_TMPDIR/img/docker.tar" | norm) \
		<("$SHIPSHAPE" sbom -f json "containers-storage:[vfs@$s/R]test/cs:one" | norm)
	# the report's schema knows the kind
	local ajv="$NPM_DIR/node_modules/.bin/ajv"
	if [ -x "$ajv" ]; then
		report "containers-storage:[vfs@$s/R]test/cs:one" > "$BATS_TEST_TMPDIR/r.json"
		"$ajv" validate -s "$ROOT/docs/json-schema.json" -d "$BATS_TEST_TMPDIR/r.json" --strict=false --all-errors
	fi
}

@test "containers-storage: overlay driver, the same report" {
	need_tools
	local s="$BATS_TEST_TMPDIR/ov"
	store load "$s/R" "$s/RR" overlay "$BATS_FILE_TMPDIR/img/docker.tar" other/name:2 >/dev/null
	[ -d "$s/R/overlay-images" ]
	run report "containers-storage:[overlay@$s/R+$s/RR]other/name:2"
	[ "$status" -eq 0 ]
	diff <(report "$BATS_FILE_TMPDIR/img/docker.tar" | norm) <(echo "$output" | norm)
	echo "$output" | jq -e '.image.ref == "localhost/other/name:2"'
	# the driver is found when only one has images in the root
	run report "containers-storage:[$s/R]other/name:2"
	[ "$status" -eq 0 ]
	refute grep -qF "$s" /proc/mounts # nothing of the store left mounted
}

@test "containers-storage: a real Debian root imported by podman, as skopeo saves it" {
	[ -s "$DEB_TAR" ] || skip "no Debian root cached (make test-data)"
	need_tools
	local s="$BATS_TEST_TMPDIR/deb"
	store import "$s/R" "$s/RR" vfs "$DEB_TAR" localhost/deb:imp >/dev/null
	# skopeo rebuilds the tar through containers/storage itself: an independent writer
	skopeo copy -q "containers-storage:[vfs@$s/R+$s/RR]localhost/deb:imp" "docker-archive:$s/deb.tar:deb:imp"
	run report "containers-storage:[vfs@$s/R]deb:imp"
	[ "$status" -eq 0 ]
	diff <(report "$s/deb.tar" | norm) <(echo "$output" | norm)
	echo "$output" | jq -e '.image.layers[0].entries > 5000'
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP2020")] | length > 3' # su, passwd, mount...
	diff <("$SHIPSHAPE" sbom -f json "$s/deb.tar" | norm) <("$SHIPSHAPE" sbom -f json "containers-storage:[vfs@$s/R]deb:imp" | norm)
	"$SHIPSHAPE" sbom -f json "containers-storage:[vfs@$s/R]deb:imp" | jq -e '.summary.packages > 80'
}

@test "containers-storage: names as podman finds them; unknown and ambiguous ones say so" {
	need_tools
	local s id args
	s=$(vfs_store)
	id=$(cat "$s.id")
	run "$SHIPSHAPE" image "containers-storage:[vfs@$s/R]nosuch:1"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no image named nosuch:1 in vfs@$s/R; it holds:"*"${id:0:12} docker.io/test/cs:one"* ]]
	# two images whose repositories end in /cs: a short name must say which
	local c="$BATS_TEST_TMPDIR/c"
	store load "$c/R" "$c/RR" vfs "$BATS_FILE_TMPDIR/img/docker.tar" >/dev/null
	mkdir "$c/root"
	echo hi > "$c/root/file"
	tar -C "$c/root" -cf "$c/root.tar" .
	store import "$c/R" "$c/RR" vfs "$c/root.tar" other/cs:one >/dev/null
	run "$SHIPSHAPE" image "containers-storage:[vfs@$c/R]cs:one"
	[ "$status" -eq 3 ]
	[[ "$output" == *"cs:one names several images; name one fully or by ID:"*"docker.io/test/cs:one"*"localhost/other/cs:one"* ]]
	run report "containers-storage:[vfs@$c/R]test/cs:one"
	[ "$status" -eq 0 ]
	# the store storage.conf names, its driver too
	CONTAINERS_STORAGE_CONF="$s/RR/storage.conf" run report "containers-storage:test/cs:one"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.image.ref == "docker.io/test/cs:one"'
	# an ID prefix, and a malformed digest
	run report "containers-storage:[vfs@$s/R]${id:0:3}"
	[ "$status" -eq 0 ]
	run "$SHIPSHAPE" image "containers-storage:[vfs@$s/R]sha256:abc"
	[ "$status" -eq 3 ]
	[[ "$output" == *"sha256:abc is not a whole sha256 digest"* ]]
	# a store that is not one, and references that do not parse (exit 2)
	run "$SHIPSHAPE" image "containers-storage:[vfs@$BATS_TEST_TMPDIR]x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no vfs image store"* ]]
	run "$SHIPSHAPE" image "containers-storage:[vfs@relative]x"
	[ "$status" -eq 2 ]
	run "$SHIPSHAPE" image "containers-storage:[vfs@$s/R"
	[ "$status" -eq 2 ]
	run "$SHIPSHAPE" image "containers-storage:[vfs@$BATS_TEST_TMPDIR/none]x"
	[ "$status" -eq 3 ]
	[[ "$output" == "shipshape: containers-storage:[vfs@$BATS_TEST_TMPDIR/none]x: no containers-storage at $BATS_TEST_TMPDIR/none: No such file or directory" ]]
	run "$SHIPSHAPE" image "containers-storage:[zfs@$s/R]x"
	[ "$status" -eq 3 ]
	[[ "$output" == *"the zfs driver's layers are not read"* ]]
}

@test "containers-storage: the store's read locks are taken, and a writer is waited for" {
	need_tools
	command -v python3 >/dev/null || skip "python3 not installed"
	local s
	s=$(vfs_store)
	# a writer holds layers.lock exclusively (fcntl, as containers/storage does); the scan waits
	# for it (its read lock shows as blocked in /proc/locks) and finishes once it is released
	run python3 - "$SHIPSHAPE" "containers-storage:[vfs@$s/R]test/cs:one" "$s/R/vfs-layers/layers.lock" <<'PY'
import fcntl, os, subprocess, sys, time
shipshape, ref, lock = sys.argv[1:4]
f = open(lock, "r+")
fcntl.lockf(f, fcntl.LOCK_EX)
p = subprocess.Popen([shipshape, "image", "--fail-on", "none", "-f", "json", ref], stdout=subprocess.PIPE)
try:
    waiting = False
    for _ in range(600):
        with open("/proc/locks") as l:
            if any("->" in x and " READ " in x and " %d " % p.pid in x for x in l):
                waiting = True
                break
        if p.poll() is not None:
            break
        time.sleep(0.05)
    print("waiting" if waiting else "not waiting", "running" if p.poll() is None else "exited")
    fcntl.lockf(f, fcntl.LOCK_UN)
    out, _ = p.communicate(timeout=120)
    print("exit", p.returncode, len(out) > 0)
finally:
    if p.poll() is None:
        p.kill()
PY
	echo "$output"
	[ "${lines[0]}" = "waiting running" ]
	[ "${lines[1]}" = "exit 0 True" ]
	# and released: a writer gets its lock once the scan is done
	python3 -c 'import fcntl,sys; fcntl.lockf(open(sys.argv[1],"r+"), fcntl.LOCK_EX | fcntl.LOCK_NB)' "$s/R/vfs-images/images.lock"
}

# bad DAMAGE: a copy of the store, damaged by the shell code DAMAGE (run in the copy, with
# $top and $bottom the layers' IDs, left set for the test), scanned with -o: exit 3, a message naming the reference
# and the place, and no output file.
bad() {
	local s c
	s=$(vfs_store)
	c="$BATS_TEST_TMPDIR/c"
	rm -rf "$c"
	cp -a "$s" "$c"
	top=$(jq -r '.[0].layer' "$c/R/vfs-images/images.json")
	bottom=$(jq -r --arg t "$top" '.[] | select(.id == $t) | .parent' "$c/R/vfs-layers/layers.json")
	(cd "$c/R" && top=$top bottom=$bottom eval "$1")
	run "$SHIPSHAPE" image --no-cache -o "$BATS_TEST_TMPDIR/out.json" "containers-storage:[vfs@$c/R]test/cs:one"
	echo "$output"
	[ "$status" -eq 3 ]
	[ ! -e "$BATS_TEST_TMPDIR/out.json" ]
	[[ "$output" == "shipshape: containers-storage:[vfs@$c/R]test/cs:one: "* ]]
}

@test "containers-storage: a layers.json that is not JSON" {
	need_tools
	bad 'printf "[{\"id\": " > vfs-layers/layers.json'
	[[ "$output" == *": $BATS_TEST_TMPDIR/c/R/vfs-layers/layers.json:1:"*": not valid JSON" ]]
}

@test "containers-storage: a file of the layer whose size is not the tar-split's" {
	need_tools
	bad 'printf x >> vfs/dir/$bottom/app/blob'
	[[ "$output" == *"$bottom"*"app/blob: the tar-split says 200000 bytes, the layer's file has 200001"* ]]
}

@test "containers-storage: a file of the layer changed in place (CRC-64), or a header (diffID)" {
	need_tools
	bad 'printf x | dd of=vfs/dir/$bottom/app/blob bs=1 seek=100 conv=notrunc 2>/dev/null'
	[[ "$output" == *"$bottom"*"app/blob: the content differs from what the layer stored"* ]]
	# a tar header in the tar-split changed (the owner's name, the checksum made right): the
	# rebuilt tar is another
	bad 'zcat vfs-layers/$top.tar-split.gz | python3 -c "
import base64, json, sys
for l in sys.stdin:
    e = json.loads(l)
    b = bytearray(base64.b64decode(e.get(\"payload\") or \"\"))
    if e[\"type\"] == 2 and len(b) >= 512 and b[257:262] == b\"ustar\":
        b[265] ^= 1
        b[148:156] = b\"        \"
        b[148:156] = b\"%06o\\0 \" % sum(b[:512])
        e[\"payload\"] = base64.b64encode(bytes(b)).decode()
    print(json.dumps(e))
" | gzip > x.gz && mv x.gz vfs-layers/$top.tar-split.gz'
	[[ "$output" == *"layer 2 (layer/$top): diffID mismatch: the config says sha256:"* ]]
}

@test "containers-storage: a link in the layer's directory is never followed" {
	need_tools
	bad 'rm vfs/dir/$bottom/app/blob && ln -s /etc/passwd vfs/dir/$bottom/app/blob'
	[[ "$output" == *"vfs/dir/$bottom/app/blob"* ]]
	[[ "$output" != *root:x:* ]]
	# nor a name in the tar-split that climbs out of the layer's directory
	bad 'zcat vfs-layers/$bottom.tar-split.gz | sed "s|\"name\":\"app/blob\"|\"name\":\"../../../../../../etc/passwd\"|" |
		gzip > x.gz && mv x.gz vfs-layers/$bottom.tar-split.gz'
	[[ "$output" == *"../../../../../../etc/passwd: the name leaves the layer's directory"* ]]
}

@test "containers-storage: a missing layer, tar-split or directory" {
	need_tools
	bad 'rm vfs-layers/$bottom.tar-split.gz'
	[[ "$output" == *"layer $bottom: its tar cannot be rebuilt without its tar-split"* ]]
	bad 'rm -rf vfs/dir/$top'
	[[ "$output" == *"layer $top: $BATS_TEST_TMPDIR/c/R/vfs/dir/$top: No such file"* ]]
	bad 'jq --arg b "$bottom" "map(select(.id != \$b))" vfs-layers/layers.json > x && mv x vfs-layers/layers.json'
	[[ "$output" == *"layer $bottom is missing from layers.json"* ]]
}

@test "containers-storage: a user's own store, where containers/storage finds it without root" {
	need_tools
	command -v setpriv >/dev/null || skip "setpriv not installed"
	[ "$(id -u)" = 0 ] || skip "needs root: to run the scan as another user"
	local s c d
	s=$(vfs_store)
	c="$BATS_TEST_TMPDIR/home"
	mkdir -p "$c/.local/share/containers"
	cp -a "$s/R" "$c/.local/share/containers/storage"
	chown -R 65534:65534 "$c"
	# the way to the home, for that user (the run's own temporary directories)
	for d in "$BATS_TEST_TMPDIR" "$(dirname "$BATS_TEST_TMPDIR")" "$BATS_RUN_TMPDIR"; do chmod o+x "$d"; done
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env -i HOME="$c" PATH=/usr/bin:/bin "$@"; }
	# the build may sit where that user cannot go (a clone in a private temporary directory):
	# a copy of the program beside the home
	local prog="$BATS_TEST_TMPDIR/shipshape"
	cp "$SHIPSHAPE" "$prog"
	chmod 755 "$prog"
	run as_nobody "$prog" image --no-cache -f json --fail-on none containers-storage:test/cs:one
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.image.ref == "docker.io/test/cs:one"'
	# the user's storage.conf names another graph root, and the driver
	mkdir -p "$c/.config/containers"
	mv "$c/.local/share/containers/storage" "$c/other"
	printf '[storage]\ndriver = "vfs"\ngraphroot = "%s"\n' "$c/other" > "$c/.config/containers/storage.conf"
	chown -R 65534:65534 "$c"
	run as_nobody "$prog" image --no-cache -f json --fail-on none containers-storage:test/cs:one
	[ "$status" -eq 0 ]
	# and a store the user may not read is said so
	chown -R 0:0 "$c/other"
	chmod 700 "$c/other"
	run as_nobody "$prog" image --no-cache containers-storage:test/cs:one
	[ "$status" -eq 3 ]
	[[ "$output" == *"the containers-storage at $c/other: Permission denied"* ]]
}
