#!/usr/bin/env bats
# One image, every way shipshape reads it: skopeo's docker-archive and OCI archive, the OCI
# layout umoci built, a registry (docker://), podman's API service (docker-daemon:) and
# podman's store on disk (containers-storage:). What the image is must not depend on where it
# was read: the same diffIDs, entries, findings and packages from each. Blob digests differ
# by nature between a docker-save archive (uncompressed layers) and a registry (the gzip
# blobs umoci wrote); within each family they are compared too.

load helpers
load registry

setup_file() {
	command -v umoci >/dev/null && command -v skopeo >/dev/null || return 0
	local d="$BATS_FILE_TMPDIR"
	test_image "$d/oci" one
	skopeo copy -q "oci:$d/oci:one" "docker-archive:$d/docker.tar:test/same:one"
	skopeo copy -q "oci:$d/oci:one" "oci-archive:$d/oci.tar:one"
}

teardown() { harness_stop "$BATS_TEST_TMPDIR"; }

# what an image is, wherever it was read: the layers by diffID with their entries, the
# findings and the packages
what() {
	"$SHIPSHAPE" image -f json --fail-on none --no-cache "$@" |
		jq -S '{user: .image.user, layers: [.image.layers[] | {diff_id, entries, tar_bytes, size_bytes, added, changed, removed, created_by}], efficiency,
			findings: [.findings[] | del(.location.file)]}'
	"$SHIPSHAPE" sbom -f json --no-cache "$@" | jq -S '{os, packages}'
}
# the blob digests besides
blobs() {
	"$SHIPSHAPE" image -f json --fail-on none --no-cache "$@" | jq -c '[.image.layers[].digest]'
}

@test "same image: archive, OCI layout, registry, engine and podman's store give one report" {
	harness_need
	local d="$BATS_FILE_TMPDIR" t="$BATS_TEST_TMPDIR" args
	what "docker-archive:$d/docker.tar" >"$t/want"
	# not an empty comparison: a finding in each layer and the package
	jq -se '.[0].findings | map(.rule_id) | index("SHP2011") and index("SHP2020")' "$t/want"
	jq -se '.[1].packages | map(.name) | index("base-files")' "$t/want"
	what "oci:$d/oci:one" >"$t/oci"
	diff "$t/want" "$t/oci"
	what "oci-archive:$d/oci.tar:one" >"$t/oci-archive"
	diff "$t/want" "$t/oci-archive"

	registry_start "$t/reg" anon
	registry_push "oci:$d/oci:one" test/same:one
	what "docker://$REG_ADDR/test/same:one" >"$t/registry"
	diff "$t/want" "$t/registry"
	[ "$(blobs "docker://$REG_ADDR/test/same:one")" = "$(blobs "oci:$d/oci:one")" ]

	# podman: its store on disk, and its API service over the same store
	local p="$t/podman" rc=0
	"$HARNESS_TOOLS/podman-store.sh" load "$p/root" "$p/runroot" vfs "$d/docker.tar" >/dev/null 2>"$t/store.err" ||
		rc=$?
	[ "$rc" -eq 77 ] && skip "$(cat "$t/store.err")"
	[ "$rc" -eq 0 ]
	what "containers-storage:[vfs@$p/root+$p/runroot]docker.io/test/same:one" >"$t/cstorage"
	diff "$t/want" "$t/cstorage"
	mapfile -t args < <("$HARNESS_TOOLS/podman-store.sh" args "$p/root" "$p/runroot" vfs)
	CONTAINERS_STORAGE_CONF="$p/runroot/storage.conf" harness_spawn "$t" podman \
		podman "${args[@]}" system service --time 0 "unix://$t/podman.sock"
	local i
	for i in $(seq 100); do
		[ -S "$t/podman.sock" ] && break
		sleep 0.1
	done
	what docker-daemon:docker.io/test/same:one --engine-socket "$t/podman.sock" >"$t/engine"
	diff "$t/want" "$t/engine"
	[ "$(blobs docker-daemon:docker.io/test/same:one --engine-socket "$t/podman.sock")" = \
		"$(blobs "docker-archive:$d/docker.tar")" ]
}
