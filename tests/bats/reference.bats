#!/usr/bin/env bats
# Images named by reference, as skopeo writes them (docker-archive:FILE[:REF], oci:DIR[:REF],
# oci-archive:FILE[:REF], dir:DIR) and rootfs:DIR: the same report as the plain path, the REF
# choosing the image, unknown transports (exit 2), paths with ':' in them, and a reference
# whose path is not what its transport reads (exit 3).

load helpers

need() { command -v "$1" >/dev/null || skip "$1 not installed (make deps)"; }

# One image built by umoci (a private key, a setuid file), written by skopeo as a docker-save
# tar, an OCI layout holding it under two names, and an OCI archive.
setup_file() {
	command -v umoci >/dev/null && command -v skopeo >/dev/null || return 0
	local d="$BATS_FILE_TMPDIR/r"
	mkdir -p "$d"
	umoci --log error init --layout "$d/oci"
	umoci --log error new --image "$d/oci:one"
	umoci --log error unpack --rootless --image "$d/oci:one" "$d/b"
	local r="$d/b/rootfs"
	mkdir -p "$r/app" "$r/usr/bin"
	{ echo '-----BEGIN OPENSSH PRIVATE KEY-----'; head -c 400 /dev/urandom | base64 -w 70; echo '-----END OPENSSH PRIVATE KEY-----'; } > "$r/app/deploy_key"
	printf 'tool\n' > "$r/usr/bin/tool"
	chmod 4755 "$r/usr/bin/tool"
	umoci --log error repack --image "$d/oci:one" "$d/b"
	umoci --log error config --image "$d/oci:one" --config.user 1000:1000
	# a second image in the layout: the first one's config with root as its user
	umoci --log error config --image "$d/oci:one" --tag two --config.user root
	skopeo copy -q oci:"$d/oci:one" docker-archive:"$d/docker.tar":test/ref:one
	skopeo copy -q oci:"$d/oci:one" oci-archive:"$d/oci.tar":one
	skopeo copy -q oci:"$d/oci:one" dir:"$d/dir"
	rm -rf "$d/b"
}

findings() { # image -> sorted "rule layer path" lines
	"$SHIPSHAPE" image --format json --fail-on none "$@" | jq -r '.findings[] | "\(.rule_id) \(.location.layer // 0) \(.location.path // "-")"' | sort
}

@test "each transport form gives the report of the plain path" {
	need skopeo
	local d="$BATS_FILE_TMPDIR/r" ref
	ref=$(findings "$d/docker.tar")
	[[ "$ref" == *"SHP2010 1 /app/deploy_key"* ]]
	[[ "$ref" == *"SHP2020 1 /usr/bin/tool"* ]]
	for form in "docker-archive:$d/docker.tar" "docker-archive:$d/docker.tar:test/ref:one" \
		"oci:$d/oci:one" "oci-archive:$d/oci.tar" "oci-archive:$d/oci.tar:one" "dir:$d/dir" "$d/dir"; do
		run findings "$form"
		[ "$status" -eq 0 ]
		[ "$output" = "$ref" ] || { echo "$form differs:"; diff <(echo "$ref") <(echo "$output"); false; }
	done
	# the kind is the one the plain path gets
	[ "$("$SHIPSHAPE" image -f json "docker-archive:$d/docker.tar" | jq -r .image.kind)" = docker-archive ]
	[ "$("$SHIPSHAPE" image -f json "oci-archive:$d/oci.tar" | jq -r .image.kind)" = oci-layout ]
	[ "$("$SHIPSHAPE" image -f json "$d/dir" | jq -r .image.kind)" = dir ]
	# sbom, vuln and slim take references too
	"$SHIPSHAPE" sbom -f json "oci:$d/oci:one" 2>/dev/null | jq -e '.image.kind == "oci-layout"'
	run "$SHIPSHAPE" slim --dry-run --include-exe /usr/bin/tool "docker-archive:$d/docker.tar"
	[ "$status" -eq 0 ]
}

@test ":REF chooses the image in a layout, as --image does; both at once must agree" {
	need skopeo
	local d="$BATS_FILE_TMPDIR/r"
	# two names in the layout: without one, the user has to say which
	run "$SHIPSHAPE" image --fail-on none "oci:$d/oci"
	[ "$status" -eq 3 ]
	[[ "$output" == *"2 images in the layout; choose one with --image"* ]]
	[ "$("$SHIPSHAPE" image -f json "oci:$d/oci:two" | jq -r .image.ref)" = two ]
	[ "$("$SHIPSHAPE" image -f json --image two "oci:$d/oci:two" | jq -r .image.ref)" = two ]
	findings "oci:$d/oci:two" | grep -q '^SHP2001 '
	refute grep -q '^SHP2001 ' <(findings "oci:$d/oci:one")
	run "$SHIPSHAPE" image --image one "oci:$d/oci:two"
	[ "$status" -eq 2 ]
	[[ "$output" == "shipshape: oci:$d/oci:two: names the image two, and --image names one" ]]
	run "$SHIPSHAPE" image "oci:$d/oci:three"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no image named three"* ]]
	run "$SHIPSHAPE" image "docker-archive:$d/docker.tar:test/ref:other"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no image tagged test/ref:other"* ]]
	# skopeo's docker-archive:FILE:@N, the N-th image of the archive from 0
	local x="$BATS_TEST_TMPDIR/x"
	mkdir -p "$x"
	tar -C "$x" -xf "$d/docker.tar"
	jq '. + [.[0] | .RepoTags = ["test/ref:two"]]' "$x/manifest.json" > "$x/m" && mv "$x/m" "$x/manifest.json"
	tar -C "$x" -cf "$BATS_TEST_TMPDIR/two.tar" .
	[ "$("$SHIPSHAPE" image -f json "docker-archive:$BATS_TEST_TMPDIR/two.tar:@1" | jq -r .image.ref)" = test/ref:two ]
	[ "$("$SHIPSHAPE" image -f json "docker-archive:$BATS_TEST_TMPDIR/two.tar:@0" | jq -r .image.ref)" = docker.io/test/ref:one ]
	[ "$("$SHIPSHAPE" image -f json "docker-archive:$BATS_TEST_TMPDIR/two.tar:test/ref:two" | jq -r .image.ref)" = test/ref:two ]
	run "$SHIPSHAPE" image "docker-archive:$BATS_TEST_TMPDIR/two.tar:@2"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no image tagged @2; the archive holds:"* ]]
}

@test "rootfs: scans a directory as a root filesystem even when it holds an index.json" {
	local r="$BATS_TEST_TMPDIR/root"
	mkdir -p "$r/bin"
	printf 'sh\n' > "$r/bin/sh"
	echo '{}' > "$r/index.json"
	run "$SHIPSHAPE" image -f json --fail-on none "$r"
	[ "$status" -eq 3 ]
	run "$SHIPSHAPE" image -f json --fail-on none "rootfs:$r"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.image.kind == "rootfs"'
	echo "$output" | jq -e '.findings[] | select(.rule_id == "SHP2030" and .evidence == "/bin/sh")'
}

@test "unknown transports: exit 2, naming them and the ones there are, for every image command" {
	local cmd
	for cmd in image sbom vuln "slim --dry-run"; do
		run "$SHIPSHAPE" $cmd podman://nginx
		[ "$status" -eq 2 ]
		[[ "$output" == *'podman://nginx: unknown transport "podman": an image is a path or one of docker-archive:, oci:,'*', dir:'* ]]
	done
	run "$SHIPSHAPE" image docker:nginx
	[ "$status" -eq 2 ]
	[[ "$output" == *"written docker://NAME"* ]]
	run "$SHIPSHAPE" image oci:
	[ "$status" -eq 2 ]
	# one such reference among good images: the others are still reported, and exit 2
	local r="$BATS_TEST_TMPDIR/root"
	mkdir -p "$r/bin"
	run "$SHIPSHAPE" image --fail-on none "$r" podman://x
	[ "$status" -eq 2 ]
}

@test "dir: skopeo's directory format, one image or --multi-arch all, each blob checked" {
	need skopeo
	local d="$BATS_FILE_TMPDIR/r" m="$BATS_TEST_TMPDIR/multi" man
	# the manifest as the registry sent it: its digest is the image's
	man=$(sha256sum "$d/dir/manifest.json" | cut -d' ' -f1)
	[ "$("$SHIPSHAPE" image -f json "dir:$d/dir" | jq -r .image.manifest_digest)" = "sha256:$man" ]
	# an index (skopeo copy --multi-arch all): manifest.json lists the images, each in HEX.manifest.json
	local o="$BATS_TEST_TMPDIR/oci"
	cp -a "$d/oci" "$o"
	umoci --log error config --image "$o:one" --tag arm --architecture arm64
	local amd arm
	amd=$(jq -c '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "one")' "$o/index.json")
	arm=$(jq -c '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "arm")' "$o/index.json")
	jq -n --argjson a "$amd" --argjson r "$arm" '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
		manifests: [($a | del(.annotations) | .platform = {os: "linux", architecture: "amd64"}),
			($r | del(.annotations) | .platform = {os: "linux", architecture: "arm64"})]}' >"$BATS_TEST_TMPDIR/index"
	local idx
	idx=$(sha256sum "$BATS_TEST_TMPDIR/index" | cut -d' ' -f1)
	cp "$BATS_TEST_TMPDIR/index" "$o/blobs/sha256/$idx"
	jq --arg i "sha256:$idx" --argjson s "$(stat -c %s "$BATS_TEST_TMPDIR/index")" '.manifests += [{mediaType:
		"application/vnd.oci.image.index.v1+json", digest: $i, size: $s,
		annotations: {"org.opencontainers.image.ref.name": "multi"}}]' "$o/index.json" >"$BATS_TEST_TMPDIR/i"
	cp "$BATS_TEST_TMPDIR/i" "$o/index.json"
	skopeo copy -q --multi-arch all "oci:$o:multi" "dir:$m"
	jq -e '.manifests | length == 2' "$m/manifest.json"
	run "$SHIPSHAPE" image -f json --fail-on none "dir:$m"
	[ "$status" -eq 0 ]
	[ "$(jq -r .image.platform <<<"$output")" = linux/amd64 ]
	[ "$(jq -r .image.manifest_digest <<<"$output")" = "$(jq -r .digest <<<"$amd")" ]
	run "$SHIPSHAPE" image -f json --fail-on none --platform linux/arm64 "dir:$m"
	[ "$status" -eq 0 ]
	[ "$(jq -r .image.manifest_digest <<<"$output")" = "$(jq -r .digest <<<"$arm")" ]
	run "$SHIPSHAPE" image --platform linux/s390x "dir:$m"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no image for platform linux/s390x in index manifest.json; it has linux/amd64, linux/arm64"* ]]
	# a blob changed on disk: exit 3 naming it; a version that is not skopeo's: exit 3
	local b="$BATS_TEST_TMPDIR/bad" layer
	cp -a "$d/dir" "$b"
	layer=$(jq -r '.layers[0].digest' "$b/manifest.json")
	chmod u+w "$b/${layer#sha256:}"
	printf 'x' >>"$b/${layer#sha256:}"
	run "$SHIPSHAPE" image --no-cache "dir:$b"
	[ "$status" -eq 3 ]
	[[ "$output" == *"${layer#sha256:}"* ]]
	cp -a "$d/dir" "$b.v"
	echo "Directory Transport Version: 9.0" >"$b.v/version"
	run "$SHIPSHAPE" image "dir:$b.v"
	[ "$status" -eq 3 ]
	[[ "$output" == *"version: not \"Directory Transport Version: 1....\" (skopeo's directory format)"* ]]
}

@test "a path with ':' in it is that path when it is there; else skopeo's rule splits at the first ':'" {
	need skopeo
	local d="$BATS_FILE_TMPDIR/r" ref
	ref=$(findings "$d/docker.tar")
	cd "$BATS_TEST_TMPDIR"
	cp "$d/docker.tar" ./a:b.tar
	cp "$d/docker.tar" ./oci-archive:c.tar
	run findings ./a:b.tar
	[ "$output" = "$ref" ]
	run findings a:b.tar
	[ "$output" = "$ref" ]
	# a file whose name reads as a reference is still the file
	run findings oci-archive:c.tar
	[ "$output" = "$ref" ]
	# after a transport, the first ':' ends the path (skopeo's docker-archive:PATH:REF)
	run "$SHIPSHAPE" image "docker-archive:./a:b.tar"
	[ "$status" -eq 3 ]
	[ "$output" = "shipshape: ./a: No such file or directory" ]
	# not there: said as any missing path, byte for byte
	run "$SHIPSHAPE" image ./x:y.tar
	[ "$status" -eq 3 ]
	[ "$output" = "shipshape: ./x:y.tar: No such file or directory" ]
	# a name that reads as an image reference is also tried in its registry (here a port
	# nothing listens on), and both answers are said
	local port
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	run "$SHIPSHAPE" image "127.0.0.1:$port/nginx:1.27"
	[ "$status" -eq 3 ]
	[[ "$output" == "shipshape: 127.0.0.1:$port/nginx:1.27: No such file or directory, and as an image in a registry: "*"cannot connect"* ]]
}

@test "a reference whose path is not what its transport reads: exit 3 with the right name" {
	need skopeo
	local d="$BATS_FILE_TMPDIR/r"
	run "$SHIPSHAPE" image "oci:$d/oci.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$d/oci.tar is not a directory, and oci: reads an OCI layout directory (name it as oci-archive:$d/oci.tar)" ]]
	run "$SHIPSHAPE" image "oci-archive:$d/oci"
	[ "$status" -eq 3 ]
	[[ "$output" == *"(name it as oci:$d/oci)" ]]
	run "$SHIPSHAPE" image "docker-archive:$d/oci.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"is not a docker-save tar: no manifest.json or repositories in it (the content says oci-layout: name it as oci-archive:$d/oci.tar)" ]]
	run "$SHIPSHAPE" image "oci-archive:$d/docker.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no index.json in it (the content says docker-archive: name it as docker-archive:$d/docker.tar)" ]]
	run "$SHIPSHAPE" image "rootfs:$d/docker.tar"
	[ "$status" -eq 3 ]
	run "$SHIPSHAPE" image "docker-archive:$BATS_TEST_TMPDIR/missing.tar"
	[ "$status" -eq 3 ]
	[ "$output" = "shipshape: $BATS_TEST_TMPDIR/missing.tar: No such file or directory" ]
	# bad content through a transport: exit 3 naming the input, as for the plain path
	printf '' > "$BATS_TEST_TMPDIR/empty.tar"
	run "$SHIPSHAPE" image "docker-archive:$BATS_TEST_TMPDIR/empty.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$BATS_TEST_TMPDIR/empty.tar"* ]]
}

@test "-o never overwrites the file a reference reads" {
	need skopeo
	local d="$BATS_TEST_TMPDIR/o"
	mkdir -p "$d"
	cp "$BATS_FILE_TMPDIR/r/docker.tar" "$d/i.tar"
	local sum
	sum=$(sha256sum < "$d/i.tar")
	run "$SHIPSHAPE" sbom -o "$d/i.tar" "docker-archive:$d/i.tar:test/ref:one"
	[ "$status" -eq 3 ]
	[[ "$output" == *"refusing to overwrite it"* ]]
	run "$SHIPSHAPE" image -o "$d/i.tar" "docker-archive:$d/i.tar"
	[ "$status" -eq 3 ]
	run "$SHIPSHAPE" slim -o "$d/i.tar" "docker-archive:$d/i.tar"
	[ "$status" -eq 3 ]
	[ "$(sha256sum < "$d/i.tar")" = "$sum" ]
}
