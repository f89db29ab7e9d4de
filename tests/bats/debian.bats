#!/usr/bin/env bats
# A real Debian image: the bookworm minbase root that debootstrap made (make test-data caches
# it), packed by umoci as an OCI layout, copied by skopeo into a docker-save tar, and also read
# as an unpacked root directory.

load helpers

setup_file() {
	[ -s "$DEB_TAR" ] && [ "$(id -u)" = 0 ] && command -v umoci >/dev/null && command -v skopeo >/dev/null ||
		return 0
	local d="$BATS_FILE_TMPDIR/deb"
	debian_oci "$d" bash
	skopeo copy -q oci:"$d/oci:bookworm" docker-archive:"$d/docker.tar":test/debian:bookworm
}

setup() {
	[ -s "$DEB_TAR" ] || skip "no Debian root cached: make test-data (root and Debian's mirror) makes it"
	[ "$(id -u)" = 0 ] || skip "needs root: unpacking the Debian root keeps its owners and setuid bits"
	D="$BATS_FILE_TMPDIR/deb"
	[ -f "$D/docker.tar" ] || skip "umoci or skopeo missing (make deps)"
}

# rule id and path of every filesystem finding, sorted
fs_findings() { jq -r '.findings[] | select(.location.path) | "\(.rule_id) /\(.location.path | ltrimstr("/"))"' | sort -u; }

@test "debian: the OCI layout and its docker-save copy open and give the same findings" {
	run "$SHIPSHAPE" image --format json "$D/oci"
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '.image.kind == "oci-layout" and (.image.layers | length) == 1'
	echo "$output" | fs_findings > "$BATS_TEST_TMPDIR/oci"
	run "$SHIPSHAPE" image --format json "$D/docker.tar"
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '.image.kind == "docker-archive"'
	echo "$output" | fs_findings > "$BATS_TEST_TMPDIR/docker"
	diff "$BATS_TEST_TMPDIR/oci" "$BATS_TEST_TMPDIR/docker"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/oci")" -gt 10 ]
}

@test "debian: setuid and setgid programs, shells and package managers are found where they are" {
	run "$SHIPSHAPE" image --format json --fail-on none "$D/docker.tar"
	[ "$status" -eq 0 ]
	echo "$output" | fs_findings > "$BATS_TEST_TMPDIR/f"
	# what debootstrap's minbase leaves setuid/setgid (dependency-probe.md lists the same)
	for p in usr/bin/su usr/bin/mount usr/bin/umount usr/bin/passwd usr/bin/chsh usr/bin/chfn \
		usr/bin/gpasswd usr/bin/newgrp usr/sbin/unix_chkpwd usr/bin/chage usr/bin/expiry; do
		grep -qx "SHP2020 /$p" "$BATS_TEST_TMPDIR/f" || { echo "no SHP2020 for /$p"; false; }
	done
	# exactly the setuid/setgid files find(1) sees in the root
	(cd "$D/root" && find . -type f -perm /6000 | sed 's|^\.|SHP2020 |' | sort) > "$BATS_TEST_TMPDIR/want"
	grep '^SHP2020 ' "$BATS_TEST_TMPDIR/f" | diff "$BATS_TEST_TMPDIR/want" -
	echo "$output" | jq -e '.findings[] | select(.rule_id == "SHP2030") |
		.evidence == "/usr/bin/sh, /usr/bin/bash, /usr/bin/dash"'
	echo "$output" | jq -e '.findings[] | select(.rule_id == "SHP2031") |
		.evidence == "/usr/bin/apt, /usr/bin/apt-get, /usr/bin/dpkg"'
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP2001")] | length == 1'
}

@test "debian: a stock Debian root has no secret findings (no false positives in 6,000 files)" {
	run "$SHIPSHAPE" image --format json --fail-on none "$D/docker.tar"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.findings[] | select(.rule_id | test("^SHP201"))] | length == 0'
	echo "$output" | jq -e '.efficiency.wasted_bytes == 0 and .efficiency.size_bytes > 100000000'
}

@test "debian: the unpacked root gives the image's filesystem findings" {
	run "$SHIPSHAPE" image --format json --fail-on none "$D/root"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.image.kind == "rootfs"'
	echo "$output" | fs_findings > "$BATS_TEST_TMPDIR/dir"
	"$SHIPSHAPE" image --format json --fail-on none "$D/docker.tar" | fs_findings > "$BATS_TEST_TMPDIR/img"
	diff "$BATS_TEST_TMPDIR/img" "$BATS_TEST_TMPDIR/dir"
}

@test "debian: the image's packages (sbom of the docker-save tar) equal dpkg-query's on the root" {
	run "$SHIPSHAPE" sbom -f json "$D/docker.tar"
	[ "$status" -eq 0 ]
	diff <(dpkg-query --admindir="$D/root/var/lib/dpkg" -W -f='${Package} ${Version} ${Architecture}\n' | sort) \
		<(echo "$output" | jq -r '.packages[] | "\(.name) \(.version) \(.arch)"' | sort)
	echo "$output" | jq -e '[.packages[].layer] | unique == [1]'
}

@test "debian: a layer that chmods /usr/bin copies every program: the waste list names each, the costliest first" {
	local d="$BATS_TEST_TMPDIR/w"
	mkdir -p "$d"
	cp -a "$D/oci" "$d/oci"
	umoci --log error unpack --image "$d/oci:bookworm" "$d/b"
	chmod o-r "$d/b/rootfs/usr/bin/"*
	umoci --log error repack --history.created_by "RUN chmod o-r /usr/bin/*" --image "$d/oci:bookworm" "$d/b"
	rm -rf "$d/b"
	skopeo copy -q oci:"$d/oci:bookworm" docker-archive:"$d/w.tar":test/debian:w
	run "$SHIPSHAPE" image --format json --fail-on none "$d/w.tar"
	[ "$status" -eq 0 ]
	echo "$output" > "$d/r.json"
	# every regular file chmod changed is stored again, and nothing else
	diff <(cd "$D/root" && find usr/bin -type f -perm -o=r | sed 's|^|/|' | sort) <(jq -r '.waste.paths[].path' "$d/r.json" | sort)
	jq -e '([.waste.paths[].size_bytes] | add) == .efficiency.wasted_bytes and .efficiency.wasted_bytes > 10000000' "$d/r.json"
	jq -e '[.waste.paths[] | .count == 2 and ([.copies[].layer] == [1, 2])] | all' "$d/r.json"
	jq -e '.waste.paths[0].copies[1].created_by == "RUN chmod o-r /usr/bin/*"' "$d/r.json"
	# the costliest first: the largest program of /usr/bin (perl; its hard link is stored as a
	# link, 0 bytes in the headers dive sums), twice
	local big top
	big=$(cd "$D/root" && find usr/bin -type f -perm -o=r -printf '%s\n' | sort -rn | head -1)
	top=$(jq -r '.waste.paths[0].path' "$d/r.json")
	[ "$(stat -c %s "$D/root$top")" -eq "$big" ]
	jq -e --argjson s "$big" '.waste.paths[0] | .size_bytes == 2 * $s and .reclaimable_bytes == $s' "$d/r.json"
	run "$SHIPSHAPE" image --waste --no-color --fail-on none "$d/w.tar"
	[[ "$output" == *"and $(($(jq '.waste.paths | length' "$d/r.json") - 20)) more paths"* ]]
}
