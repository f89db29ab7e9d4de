#!/usr/bin/env bats
# shipshape image: the corpus images (from docker, kaniko, skopeo, go-containerregistry,
# containers/image and stereoscope), images built here by umoci and skopeo, and hostile ones.

load helpers
. "$BATS_TEST_DIRNAME/../images/lib.sh"

need() { command -v "$1" >/dev/null || skip "$1 not installed (make deps)"; }

# The umoci image: layer 1 plants a private key, a setuid file and a config dir;
# layer 2 deletes the key and replaces the dir (whiteouts). Then skopeo writes the same
# image as a docker-save tar, and as OCI layouts with zstd and uncompressed layers.
setup_file() {
	command -v umoci >/dev/null && command -v skopeo >/dev/null || return 0
	local d="$BATS_FILE_TMPDIR/u"
	mkdir -p "$d"
	umoci --log error init --layout "$d/oci"
	umoci --log error new --image "$d/oci:t"
	umoci --log error unpack --rootless --image "$d/oci:t" "$d/b"
	local r="$d/b/rootfs"
	mkdir -p "$r/app" "$r/usr/bin" "$r/etc/conf.d"
	{ echo '-----BEGIN OPENSSH PRIVATE KEY-----'; head -c 400 /dev/urandom | base64 -w 70; echo '-----END OPENSSH PRIVATE KEY-----'; } > "$r/app/deploy_key"
	sed -n 2p "$r/app/deploy_key" > "$d/keyline" # a line of the key's body, to check it is never printed
	printf 'tool\n' > "$r/usr/bin/tool"
	chmod 4755 "$r/usr/bin/tool"
	echo a > "$r/etc/conf.d/a"
	umoci --log error repack --image "$d/oci:t" "$d/b"
	rm -rf "$d/b"
	umoci --log error unpack --rootless --image "$d/oci:t" "$d/b"
	rm -f "$r/app/deploy_key"
	rm -rf "$r/etc/conf.d"
	mkdir -p "$r/etc/conf.d"
	echo b > "$r/etc/conf.d/b"
	umoci --log error repack --image "$d/oci:t" "$d/b"
	umoci --log error config --image "$d/oci:t" --config.user 1000:1000
	skopeo copy -q oci:"$d/oci:t" docker-archive:"$d/docker.tar":test/umoci:t
	skopeo copy -q --dest-compress --dest-compress-format zstd oci:"$d/oci:t" oci:"$d/zstd:t"
	skopeo copy -q --dest-decompress oci:"$d/oci:t" oci:"$d/plain:t" 2>/dev/null ||
		skopeo copy -q oci:"$d/docker.tar" oci:"$d/plain:t" 2>/dev/null || true
	(cd "$d" && tar -cf oci.tar -C oci .)
}

findings() { # image -> sorted "rule layer path" lines
	"$SHIPSHAPE" image --format json --fail-on none "$@" | jq -r '.findings[] | "\(.rule_id) \(.location.layer // 0) \(.location.path // "-")"' | sort
}

@test "corpus: every image opens; plain tars and broken fixtures give exit 3 with a message" {
	[ -d "$CORPUS/images" ] || skip "../shared/corpus is absent"
	local bad=() n=0
	while IFS=$'\t' read -r path _ kind _; do
		[ "$path" = path ] && continue
		n=$((n + 1))
		local want=0 args=()
		case "$kind" in
		"plain fs tar"*) want=3 ;;
		"docker-save(null/empty manifest)") want=3 ;;
		"docker-save(2 images)") args=(--image test_image_1) ;;
		esac
		case "$path" in
		*test_link.tar) args=(--image bazel/v1/tarball:test_image_3) ;;
		*delete_image_two_identical_references/) args=(--image sha256:49d1584496c6) want=3 ;; # fake layers
		containers-image/oci/*) want=3 ;;           # fixtures whose layer blobs are not tars or missing
		*test_gc_image_unknown_mediatype/) want=3 ;; # the index lists no image manifest
		esac
		run "$SHIPSHAPE" image --format json --fail-on none "${args[@]}" "$CORPUS/images/$path"
		if [ "$status" -ne "$want" ]; then bad+=("$path:rc=$status"); continue; fi
		if [ "$want" -eq 3 ]; then
			[[ "$output" == *"shipshape: "*"$CORPUS/images/$path"*": "* ]] || bad+=("$path:no-message")
		else
			echo "$output" | jq -e '.image.layers | length >= 1' >/dev/null || bad+=("$path:no-layers")
		fi
	done < "$CORPUS/images/INDEX.tsv"
	[ ${#bad[@]} -eq 0 ] || { printf '%s\n' "${bad[@]}"; false; }
	[ "$n" -ge 40 ]
}

@test "corpus: efficiency of dive's test image equals dive's own figures" {
	[ -d "$CORPUS/images" ] || skip "../shared/corpus is absent"
	run "$SHIPSHAPE" image --format json --fail-on none "$CORPUS/images/dive/test-docker-image.tar"
	[ "$status" -eq 0 ]
	# dive/image/docker/image_archive_analysis_test.go: 0.9844212134184309, 1220598, 66237, 32025, 0.4834911001404049
	[ "$(echo "$output" | jq -c '.efficiency | [.score, .size_bytes, .user_size_bytes, .wasted_bytes, .wasted_user_percent]')" = \
	  '[0.9844212134184309,1220598,66237,32025,0.4834911001404049]' ]
	[ "$(echo "$output" | jq '.efficiency.reclaimable_bytes')" -eq 19215 ]
}

@test "corpus: dive's waste list of its test image: the paths dive names, adding up to its wasted bytes" {
	[ -d "$CORPUS/images" ] || skip "../shared/corpus is absent"
	local img="$CORPUS/images/dive/test-docker-image.tar"
	run "$SHIPSHAPE" image --format json --fail-on none "$img"
	[ "$status" -eq 0 ]
	# the total is dive's wasted_bytes (image_archive_analysis_test.go: 32025), path by path
	echo "$output" | jq -e '.waste.wasted_bytes == 32025 and ([.waste.paths[].size_bytes] | add) == 32025'
	echo "$output" | jq -e '([.waste.paths[].reclaimable_bytes] | add) == .efficiency.reclaimable_bytes'
	# the inefficient files dive's export test lists for this image (count, bytes, path), the
	# costliest first; Dockerfile.test-image makes them: somefile1.txt copied then chmod'ed,
	# saved.txt moved in then chmod'ed, somefile3.txt copied then moved away (a whiteout, 0 bytes)
	[ "$(echo "$output" | jq -c '[.waste.paths[] | [.count, .size_bytes, .path]]')" = \
	  '[[2,12810,"/root/example/somefile1.txt"],[2,12810,"/root/saved.txt"],[2,6405,"/root/example/somefile3.txt"]]' ]
	# each copy: its layer, its bytes, and the command that made it
	[ "$(echo "$output" | jq -c '.waste.paths[] | select(.path == "/root/example/somefile3.txt") | [.copies[] | [.layer, .size_bytes, .whiteout, .created_by]]')" = \
	  '[[7,6405,false,"/bin/sh -c cp /somefile.txt /root/example/somefile3.txt"],[8,0,true,"/bin/sh -c mv /root/example/somefile3.txt /root/saved.txt"]]' ]
	# the text list, with --waste only
	run "$SHIPSHAPE" image --waste --no-color --fail-on none "$img"
	[[ "$output" == *"wasted, as dive counts it: 32.0 kB in 3 paths stored by more than one layer"* ]]
	[[ "$output" == *$'     12.8 kB      2  /root/saved.txt\n                       6.4 kB layer 8 (/bin/sh -c mv /root/example/somefile3.txt /root/saved.txt)\n'* ]]
	[[ "$output" == *"0 B deleted in layer 8 (/bin/sh -c mv /root/example/somefile3.txt /root/saved.txt)"* ]]
	run "$SHIPSHAPE" image --no-color --fail-on none "$img"
	[[ "$output" != *"wasted, as dive counts it"* ]]
}

@test "corpus: --layers --files lists each layer's added, changed and removed paths; --layer N one layer's" {
	[ -d "$CORPUS/images" ] || skip "../shared/corpus is absent"
	local img="$CORPUS/images/dive/test-docker-image.tar" f
	# as many paths as the layer's counts, in every image of the corpus with whiteouts too
	for f in "$img" "$CORPUS/images/dive/test-kaniko-image.tar" \
		"$CORPUS/images/go-containerregistry/pkg/v1/mutate/testdata/whiteout_image.tar" \
		"$CORPUS/images/go-containerregistry/pkg/v1/mutate/testdata/whiteout_dir.tar" \
		"$CORPUS/images/go-containerregistry/pkg/v1/mutate/testdata/overwritten_file.tar"; do
		"$SHIPSHAPE" image --files --format json --fail-on none "$f" |
			jq -e '[.image.layers[] | [.added, .changed, .removed] == [(.files.added, .files.changed, .files.removed) | length]] | all'
	done
	# an opaque directory: what it hid is removed; a whiteout in it too
	cat > "$BATS_TEST_TMPDIR/opq.sh" <<-'CASE'
		new_layer 'RUN mkdir -p /etc/conf.d && touch /etc/conf.d/a /etc/conf.d/b /etc/keep'
		mkdir -p "$L/etc/conf.d"; echo a > "$L/etc/conf.d/a"; echo b > "$L/etc/conf.d/b"; echo k > "$L/etc/keep"
		new_layer 'RUN rm -rf /etc/conf.d /etc/keep && mkdir /etc/conf.d && touch /etc/conf.d/c'
		opaque etc/conf.d; echo c > "$L/etc/conf.d/c"; whiteout etc/keep
	CASE
	build_image "$BATS_TEST_TMPDIR/opq.sh" "$BATS_TEST_TMPDIR/opq.tar"
	run "$SHIPSHAPE" image --layer 2 --format json --fail-on none "$BATS_TEST_TMPDIR/opq.tar"
	echo "$output" | jq -c '.image.layers[1]'
	echo "$output" | jq -e '.image.layers[1] | [.added, .changed, .removed] == [(.files.added, .files.changed, .files.removed) | length]'
	echo "$output" | jq -e '.image.layers[1].files | .added == ["/etc/conf.d/c"] and (.removed | sort) == ["/etc/conf.d/a", "/etc/conf.d/b", "/etc/keep"]'
	# Dockerfile.test-image's RUN mv /root/example/somefile3.txt /root/saved.txt
	run "$SHIPSHAPE" image --layer 8 --format json --fail-on none "$img"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -c '[.image.layers[] | select(.files) | [.index, .files]]')" = \
	  '[[8,{"added":["/root/saved.txt"],"changed":["/root","/root/example"],"removed":["/root/example/somefile3.txt"]}]]' ]
	run "$SHIPSHAPE" image --layer 10 --no-color --fail-on none "$img"
	[[ "$output" == *$'     10        0 B       0       1       1  /bin/sh -c rm -rf /root/example/\n          ~ /root\n          - /root/example\n\n'* ]]
	[[ "$output" != *"      9 "* ]]
	run "$SHIPSHAPE" image --layers --files --no-color --fail-on none "$img"
	[[ "$output" == *$'      2     6.4 kB       1       0       0  ADD file:'*$'\n          + /somefile.txt\n      3 '* ]]
	# no files without --files; a layer the image does not have is a usage error
	run "$SHIPSHAPE" image --format json --fail-on none "$img"
	echo "$output" | jq -e '[.image.layers[] | select(.files)] == []'
	run "$SHIPSHAPE" image --layer 15 "$img"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--layer 15: $img has 14 layers"* ]]
	run "$SHIPSHAPE" image --layer 0 "$img"
	[ "$status" -eq 2 ]
}

@test "dive's CI rules: .dive-ci in the working directory sets SHP2040's limits, as dive --ci reads it" {
	local d="$BATS_TEST_TMPDIR/dive"
	mkdir -p "$d"
	build_image "$CASES/SHP2040/fire.sh" "$d/img.tar" # efficiency 0.5, 200000 bytes wasted
	shp2040() { (cd "$d" && "$SHIPSHAPE" image --format json --fail-on none img.tar) | jq -r '.findings[] | select(.rule_id == "SHP2040") | .evidence'; }
	# dive's defaults: efficiency 0.5 < 0.9 and the user layers' waste > 10%
	[[ "$(shp2040)" == "efficiency 0.5000 < 0.9; wasted "*"% of the user layers > 10%" ]]
	# limits the image meets (dive's legacy key names too): quiet
	printf 'rules:\n  lowestEfficiency: 0.4\n  highest-user-wasted-percent: disabled\n' > "$d/.dive-ci"
	[ -z "$(shp2040)" ]
	# only the bytes rule, in go-humanize's units
	printf 'rules:\n  lowest-efficiency: off\n  highest-wasted-bytes: 150KB\n  highest-user-wasted-percent: ""\n' > "$d/.dive-ci"
	[ "$(shp2040)" = "wasted 200000 bytes > 150000" ]
	printf 'rules:\n  lowest-efficiency: off\n  highest-wasted-bytes: 200KiB\n  highest-user-wasted-percent: off\n' > "$d/.dive-ci"
	[ -z "$(shp2040)" ]
	# .shipshape.yaml's efficiency: says the same, and comes first (.dive-ci is read after it)
	rm "$d/.dive-ci"
	printf 'efficiency:\n  lowest-efficiency: 0.6\n  highest-user-wasted-percent: off\n' > "$d/.shipshape.yaml"
	[ "$(shp2040)" = "efficiency 0.5000 < 0.6" ]
	rm "$d/.shipshape.yaml"
	# a value dive would refuse: exit 3 with the file and line
	printf 'rules:\n  lowest-efficiency: 0.9\n  highest-wasted-bytes: 12 parsecs\n' > "$d/.dive-ci"
	run bash -c "cd '$d' && '$SHIPSHAPE' image img.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *'.dive-ci:3: highest-wasted-bytes: "12 parsecs" is not a size such as 20MB'* ]]
}

@test "--skip-files and --skip-dirs (Trivy's flags) and the configuration's skip lists drop findings at those paths" {
	local d="$BATS_TEST_TMPDIR/skip"
	mkdir -p "$d"
	build_image "$CASES/SHP2011/fire.sh" "$d/img.tar" # two secrets in /app/.env, deleted by a later layer
	ids() { (cd "$d" && "$SHIPSHAPE" image --format json --fail-on none "$@" img.tar) | jq -r '[.findings[].rule_id] | join(" ")'; }
	[ "$(ids)" = "SHP2011 SHP2011 SHP2040" ]
	[ "$(ids --skip-files '**/.env')" = "SHP2040" ]
	[ "$(ids --skip-files 'x.pem,/app/.env')" = "SHP2040" ]
	[ "$(ids --skip-dirs app)" = "SHP2040" ]
	[ "$(ids --skip-dirs ap)" = "SHP2011 SHP2011 SHP2040" ] # a directory is a whole component
	[ "$(ids --skip-files '*.env')" = "SHP2011 SHP2011 SHP2040" ] # * stays within a component
	[ "$(ids --skip-files '*')" = "SHP2011 SHP2011 SHP2040" ] # nor names the image itself
	printf 'skip-dirs: [/app]\n' > "$d/.shipshape.yaml"
	[ "$(ids)" = "SHP2040" ]
	rm "$d/.shipshape.yaml"
	run "$SHIPSHAPE" image --skip-dirs 'a[b' "$d/img.tar"
	[ "$status" -eq 2 ]
	[[ "$output" == *'--skip-dirs: pattern "a[b": [ without ]'* ]]
}

@test "corpus: alpine 3.11 (gzip-compressed docker save) is read, its shell found" {
	[ -d "$CORPUS/images" ] || skip "../shared/corpus is absent"
	run findings "$CORPUS/images/trivy/pkg_fanal_test_testdata_alpine-311.tar.gz"
	[ "$status" -eq 0 ]
	[[ "$output" == *"SHP2030 1 -"* ]]
	[[ "$output" == *"SHP2001 0 -"* ]]
}

@test "umoci image: the deleted key is reported with both layers, the setuid file is found" {
	need umoci
	run "$SHIPSHAPE" image --format json --fail-on none "$BATS_FILE_TMPDIR/u/oci"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.findings[] | select(.rule_id == "SHP2011" and .location.path == "/app/deploy_key" and .location.layer == 1)
		| select(.message | test("added in layer 1.*deleted in layer 2.*still in the image tarball"))'
	echo "$output" | jq -e '.findings[] | select(.rule_id == "SHP2020" and .location.path == "/usr/bin/tool")'
	refute jq -e '.findings[] | select(.rule_id == "SHP2001")' <<<"$output"
	[ "$(echo "$output" | jq '.image.layers[1].removed')" -ge 2 ]
	# the secret itself never appears
	[ -s "$BATS_FILE_TMPDIR/u/keyline" ]
	refute grep -qF "$(cat "$BATS_FILE_TMPDIR/u/keyline")" <<<"$output"
}

@test "umoci image: docker-save, OCI dir, OCI tar, zstd and uncompressed forms give the same findings" {
	need skopeo
	local d="$BATS_FILE_TMPDIR/u" ref
	ref=$(findings "$d/oci")
	[ -n "$ref" ]
	for form in "$d/docker.tar" "$d/oci.tar" "$d/zstd"; do
		run findings "$form"
		[ "$status" -eq 0 ]
		[ "$output" = "$ref" ] || { echo "$form differs:"; diff <(echo "$ref") <(echo "$output"); false; }
	done
	[ "$("$SHIPSHAPE" image -f json "$d/zstd" | jq -r '.image.layers[0].compression')" = zstd ]
	[ "$("$SHIPSHAPE" image -f json "$d/oci" | jq -r '.image.layers[0].compression')" = gzip ]
	[ "$("$SHIPSHAPE" image -f json "$d/docker.tar" | jq -r '.image.layers[0].compression')" = none ]
}

@test "docker-save archives: config and manifest digests are the ones skopeo reports for them" {
	need skopeo
	local tars=("$BATS_FILE_TMPDIR/u/docker.tar")
	if [ -d "$CORPUS/images" ]; then # docker's, and kaniko's with gzip layers
		tars+=("$CORPUS/images/dive/test-docker-image.tar" "$CORPUS/images/dive/test-kaniko-image.tar")
	else
		echo "# ../shared/corpus is absent: only the image built here" >&3
	fi
	for t in "${tars[@]}"; do
		run "$SHIPSHAPE" image -f json --fail-on none "$t"
		[ "$status" -eq 0 ]
		got=$(echo "$output" | jq -r '[.image.config_digest, .image.manifest_digest] | join(" ")')
		want="$(skopeo inspect --raw docker-archive:"$t" | jq -r .config.digest) $(skopeo inspect docker-archive:"$t" | jq -r .Digest)"
		[ "$got" = "$want" ] || { echo "$t: $got, skopeo: $want"; false; }
	done
	# the same again from the layer cache, which only hashes the layers
	local c="$BATS_TEST_TMPDIR/cache"
	"$SHIPSHAPE" image -f json --fail-on none --cache-dir "$c" "${tars[-1]}" >/dev/null
	run "$SHIPSHAPE" image -f json --fail-on none --cache-dir "$c" "${tars[-1]}"
	echo "$output" | jq -e '.image.layers[0].cached'
	[ "$(echo "$output" | jq -r .image.manifest_digest)" = "$(skopeo inspect docker-archive:"${tars[-1]}" | jq -r .Digest)" ]
}

@test "a root filesystem directory is scanned as one layer" {
	local r="$BATS_TEST_TMPDIR/root"
	mkdir -p "$r/bin" "$r/etc"
	printf 'sh\n' > "$r/bin/sh"
	printf 'machine example.com login deploy password Hunter2-Hunter2\n' > "$r/etc/.netrc"
	run findings "$r"
	[[ "$output" == *"SHP2010 1 /etc/.netrc"* ]]
	[[ "$output" == *"SHP2030 1 -"* ]]
}

@test "hostile: a root directory's links never lead out of it, its FIFOs are never waited on" {
	local r="$BATS_TEST_TMPDIR/root" out="$BATS_TEST_TMPDIR/outside"
	mkdir -p "$r/etc" "$r/var/lib/dpkg" "$r/app" "$out"
	echo 'AWS_SECRET_ACCESS_KEY=Zx9Lq2Wm8Rt5Vb7Nc3Yd6Hs1Jw4PaOUTSIDE' > "$out/.env"
	printf 'Package: outsidepkg\nStatus: install ok installed\nVersion: 1.0\n\n' > "$out/status"
	ln -s "$out/.env" "$r/app/.env"
	ln -s "$out" "$r/srv"
	ln -s "$out/status" "$r/var/lib/dpkg/status"
	mkfifo "$r/etc/.netrc" "$r/app/id_rsa"
	printf 'sh\n' > "$r/etc/os-release"
	run timeout 10 "$SHIPSHAPE" image -f json --fail-on none "$r"
	echo "$output" | head -c 600
	[ "$status" -eq 0 ]
	refute grep -q OUTSIDE <<< "$output"
	refute grep -q outsidepkg <<< "$output"
	echo "$output" | jq -e '.image.kind == "rootfs"'
}

@test "hostile: a 100 GiB sparse executable without section headers in a root directory is not read through" {
	local r="$BATS_TEST_TMPDIR/root"
	mkdir -p "$r/usr/bin"
	cp /bin/true "$r/usr/bin/big"
	# e_shoff (8 bytes at 40) and e_shnum (2 bytes at 60) zeroed: an ELF64 with no section headers
	printf '\0\0\0\0\0\0\0\0' | dd of="$r/usr/bin/big" bs=1 seek=40 conv=notrunc 2>/dev/null
	printf '\0\0' | dd of="$r/usr/bin/big" bs=1 seek=60 conv=notrunc 2>/dev/null
	truncate -s 100G "$r/usr/bin/big"
	SECONDS=0
	run timeout 10 /usr/bin/time -f '%M' -o "$BATS_TEST_TMPDIR/rss" "$SHIPSHAPE" sbom -f json -o "$BATS_TEST_TMPDIR/out" "$r"
	echo "status $status in ${SECONDS}s, peak RSS $(cat "$BATS_TEST_TMPDIR/rss") KiB"
	[ "$status" -eq 0 ]
	[ "$SECONDS" -lt 5 ]
	[ "$(cat "$BATS_TEST_TMPDIR/rss")" -lt $((200 * 1024)) ]
	jq -e '.image.kind == "rootfs" and .packages == [] and .summary.programs == 0' "$BATS_TEST_TMPDIR/out"
}

@test "options may follow the image, as in trivy; --input names it; -- ends them" {
	local r="$BATS_TEST_TMPDIR/root"
	mkdir -p "$r/bin"
	printf 'sh\n' > "$r/bin/sh"
	run "$SHIPSHAPE" image "$r" --format json --fail-on none
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.findings[] | select(.rule_id == "SHP2030") | .evidence')" = /bin/sh ]
	run "$SHIPSHAPE" image --fail-on none -- "$r" --format
	[ "$status" -eq 3 ]
	[[ "$output" == *"--format"* ]]
	# Trivy's --input names the image too (image, sbom, vuln); after -- it is a file name
	run "$SHIPSHAPE" image --input "$r" --format json --fail-on none
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.findings[] | select(.rule_id == "SHP2030") | .evidence')" = /bin/sh ]
	run "$SHIPSHAPE" sbom --format json --input="$r"
	[ "$status" -eq 0 ]
	run "$SHIPSHAPE" image --fail-on none -- --input
	[ "$status" -eq 3 ]
	[[ "$output" == *"--input"* ]]
}

@test "JSON and SARIF of an image validate against their schemas" {
	[ -x "$NPM_DIR/node_modules/.bin/ajv" ] || skip "validators not installed (make npm-tools)"
	local img="$BATS_TEST_TMPDIR/i.tar"
	build_image "$CASES/SHP2011/fire.sh" "$img"
	"$SHIPSHAPE" image -f json --fail-on none "$img" > "$BATS_TEST_TMPDIR/r.json"
	"$NPM_DIR/node_modules/.bin/ajv" validate -s "$ROOT/docs/json-schema.json" -d "$BATS_TEST_TMPDIR/r.json" --strict=false
	# the waste list and each layer's paths; of two images
	if [ -d "$CORPUS/images" ]; then
		"$SHIPSHAPE" image -f json --files --fail-on none "$CORPUS/images/dive/test-docker-image.tar" > "$BATS_TEST_TMPDIR/w.json"
		jq -e '(.waste.paths | length) == 3 and (.image.layers[0].files.added | length) > 0' "$BATS_TEST_TMPDIR/w.json"
		"$NPM_DIR/node_modules/.bin/ajv" validate -s "$ROOT/docs/json-schema.json" -d "$BATS_TEST_TMPDIR/w.json" --strict=false
	fi
	"$SHIPSHAPE" image -f json --layer 1 --fail-on none "$img" "$img" > "$BATS_TEST_TMPDIR/m.json"
	jq -e '(.images | length) == 2 and (.images[0].waste.paths | type) == "array"' "$BATS_TEST_TMPDIR/m.json"
	"$NPM_DIR/node_modules/.bin/ajv" validate -s "$ROOT/docs/json-schema.json" -d "$BATS_TEST_TMPDIR/m.json" --strict=false
	"$SHIPSHAPE" image -f sarif --fail-on none "$img" > "$BATS_TEST_TMPDIR/r.sarif.json"
	"$NPM_DIR/node_modules/.bin/ajv" validate --spec=draft2020 -s "$NPM_DIR/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json" -d "$BATS_TEST_TMPDIR/r.sarif.json" -c ajv-formats --strict=false
}

# ---- hostile images: exit 3 or a finding, never a crash ----

docker_tar() { # dir-with-layer.tar out.tar: wraps a prepared layer into a docker-save tarball
	local d=$1 out=$2 diff
	diff="sha256:$(sha256sum "$d/layer.tar" | cut -d' ' -f1)"
	jq -n --arg d "$diff" '{architecture:"amd64",os:"linux",config:{User:"1"},rootfs:{type:"layers",diff_ids:[$d]}}' > "$d/config.json"
	jq -n '[{Config:"config.json",RepoTags:["h:1"],Layers:["layer.tar"]}]' > "$d/manifest.json"
	tar -C "$d" -cf "$out" manifest.json config.json layer.tar
}

@test "hostile: ../ and absolute names, a hardlink out of the root" {
	local d="$BATS_TEST_TMPDIR/h" src="$BATS_TEST_TMPDIR/src"
	mkdir -p "$d" "$src/etc"
	echo x > "$src/etc/passwd"
	ln "$src/etc/passwd" "$src/etc/link"
	tar -P -C "$src" --transform 's,^etc/passwd,../../../etc/passwd,;s,^etc/link,/abs/link,' -cf "$d/layer.tar" etc/passwd etc/link
	docker_tar "$d" "$BATS_TEST_TMPDIR/h.tar"
	run findings "$BATS_TEST_TMPDIR/h.tar"
	[ "$status" -eq 0 ]
	[[ "$output" == *"SHP2050 1 /etc/passwd"* ]]
}

@test "hostile: a gzip bomb stops at --max-layer-bytes with exit 3" {
	local d="$BATS_TEST_TMPDIR/b"
	mkdir -p "$d/src"
	head -c 300000000 /dev/zero > "$d/src/zeros"
	tar -C "$d/src" -cf - zeros | gzip -1 > "$d/layer.tar"
	rm -rf "$d/src"
	docker_tar "$d" "$BATS_TEST_TMPDIR/bomb.tar"
	run timeout 120 "$SHIPSHAPE" image --max-layer-bytes 64M "$BATS_TEST_TMPDIR/bomb.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"layer.tar: more than 67108864 bytes after decompression"* ]]
}

@test "hostile: truncated gzip and zstd layers, a wrong digest, a manifest pointing outside" {
	need zstd
	local d="$BATS_TEST_TMPDIR/t"
	mkdir -p "$d/src"
	head -c 200000 /dev/urandom > "$d/src/data"
	tar -C "$d/src" -cf "$d/plain.tar" data
	for c in gzip zstd; do
		$c -c "$d/plain.tar" | head -c 50000 > "$d/layer.tar"
		docker_tar "$d" "$d/$c.tar"
		run "$SHIPSHAPE" image "$d/$c.tar"
		[ "$status" -eq 3 ]
		[[ "$output" == *"truncated $c stream"* || "$output" == *"invalid $c data"* ]]
	done
	# the config's diffID no longer matches the layer
	cp "$d/plain.tar" "$d/layer.tar"
	docker_tar "$d" "$d/ok.tar"
	flip_byte "$d/layer.tar" 1000
	tar -C "$d" -cf "$d/bad.tar" manifest.json config.json layer.tar
	run "$SHIPSHAPE" image "$d/bad.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"diffID mismatch"* ]]
	# a layer name that leaves the archive
	jq -n '[{Config:"config.json",RepoTags:["h:1"],Layers:["../../etc/passwd"]}]' > "$d/manifest.json"
	tar -C "$d" -cf "$d/out.tar" manifest.json config.json
	run "$SHIPSHAPE" image "$d/out.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"is not in the archive"* ]]
}

@test "bad input: a truncated image archive is said to be one, naming the entry where it ends" {
	local d="$BATS_TEST_TMPDIR/cut" size
	mkdir -p "$d/src"
	head -c 200000 /dev/urandom > "$d/src/data"
	tar -C "$d/src" -cf "$d/layer.tar" data
	docker_tar "$d" "$d/whole.tar"
	tar -C "$d" -cf "$d/img.tar" layer.tar config.json manifest.json # the manifest last, as docker save streams it
	size=$(stat -c %s "$d/layer.tar")
	"$SHIPSHAPE" image --fail-on none "$d/img.tar" >/dev/null
	# in the layer's data
	head -c 70000 "$d/img.tar" > "$d/t1.tar"
	run "$SHIPSHAPE" image "$d/t1.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"shipshape: $d/t1.tar: a truncated image archive: it ends inside entry 1 (layer.tar, $size bytes), at byte 70000"* ]]
	# in the header after it
	head -c $((512 + size + 100)) "$d/img.tar" > "$d/t2.tar"
	run "$SHIPSHAPE" image "$d/t2.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"shipshape: $d/t2.tar: a truncated image archive: it ends in the header after entry 1 (layer.tar), at byte $((512 + size + 100))"* ]]
	# exactly at the entry's end: a tar without its end-of-archive blocks
	head -c $((512 + size)) "$d/img.tar" > "$d/t3.tar"
	run "$SHIPSHAPE" image "$d/t3.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"shipshape: $d/t3.tar: a truncated archive: it ends after entry 1 (layer.tar) without the end-of-archive blocks"* ]]
	# a pipe, and a compressed archive, whose length is not known
	run "$SHIPSHAPE" image <(head -c 70000 "$d/img.tar")
	[ "$status" -eq 3 ]
	[[ "$output" == *": a truncated image archive: it ends inside entry 1 (layer.tar, $size bytes)"* ]]
	gzip -c "$d/img.tar" | head -c 150000 > "$d/t4.tar.gz"
	run "$SHIPSHAPE" image "$d/t4.tar.gz"
	[ "$status" -eq 3 ]
	[[ "$output" == *"t4.tar.gz: a truncated image archive: it ends inside entry 1 (layer.tar, $size bytes)"* ]]
	# cut before the decompressor could give a first entry
	gzip -c "$d/img.tar" | head -c 3000 > "$d/t5.tar.gz"
	run "$SHIPSHAPE" image "$d/t5.tar.gz"
	[ "$status" -eq 3 ]
	[[ "$output" == *"shipshape: $d/t5.tar.gz: a truncated archive: it ends before its first entry could be read (truncated gzip input)"* ]]
	# a plain filesystem tar, whole, is still not an image
	run "$SHIPSHAPE" image "$d/layer.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"layer.tar: not an image: "* ]]
}

@test "hostile: a wrong blob digest in an OCI layout names the blob" {
	need umoci
	local d="$BATS_TEST_TMPDIR/w"
	cp -r "$BATS_FILE_TMPDIR/u/oci" "$d"
	local blob
	blob=$(jq -r '.manifests[0].digest' "$d/index.json" | sed 's,sha256:,,')
	blob=$(jq -r '.layers[0].digest' "$d/blobs/sha256/$blob" | sed 's,sha256:,,')
	chmod u+w "$d/blobs/sha256/$blob"
	cp "$d/blobs/sha256/$blob" "$d/tmp" && { cat "$d/tmp"; printf '\0\0\0\0'; } > "$d/blobs/sha256/$blob"
	run "$SHIPSHAPE" image "$d"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$blob"* ]]
}

@test "hostile: a FIFO, device or link where an OCI layout or docker-save directory has a file is exit 3, never waited on" {
	local d="$BATS_TEST_TMPDIR/f"
	for name in manifest.json index.json repositories; do
		rm -rf "$d" && mkdir -p "$d"
		mkfifo "$d/$name"
		run timeout 10 "$SHIPSHAPE" image "$d"
		echo "$name: $status $output"
		[ "$status" -eq 3 ]
		[[ "$output" == *"$d/$name: not a regular file"* ]]
	done
	rm -rf "$d" && mkdir -p "$d"
	ln -s /etc/passwd "$d/manifest.json"
	run timeout 10 "$SHIPSHAPE" image "$d"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$d/manifest.json: "* ]]
	# a layer blob of an OCI layout
	need umoci
	rm -rf "$d" && cp -r "$BATS_FILE_TMPDIR/u/oci" "$d"
	local blob
	blob=$(jq -r '.manifests[0].digest' "$d/index.json" | sed 's,sha256:,,')
	blob=$(jq -r '.layers[0].digest' "$d/blobs/sha256/$blob" | sed 's,sha256:,,')
	rm -f "$d/blobs/sha256/$blob"
	mkfifo "$d/blobs/sha256/$blob"
	run timeout 10 "$SHIPSHAPE" image "$d"
	echo "blob: $status $output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$d/blobs/sha256/$blob: not a regular file"* ]]
	# and its manifest, read whole
	rm -rf "$d" && cp -r "$BATS_FILE_TMPDIR/u/oci" "$d"
	blob=$(jq -r '.manifests[0].digest' "$d/index.json" | sed 's,sha256:,,')
	rm -f "$d/blobs/sha256/$blob"
	mknod "$d/blobs/sha256/$blob" c 1 5 2>/dev/null || mkfifo "$d/blobs/sha256/$blob"
	run timeout 10 "$SHIPSHAPE" image "$d"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$d/blobs/sha256/$blob: not a regular file"* ]]
}

@test "an image archive the user names as a pipe is read: <(cat image.tar)" {
	need umoci
	findings "$BATS_FILE_TMPDIR/u/docker.tar" > "$BATS_TEST_TMPDIR/want"
	[ -s "$BATS_TEST_TMPDIR/want" ]
	timeout 10 "$SHIPSHAPE" image --format json --fail-on none <(cat "$BATS_FILE_TMPDIR/u/docker.tar") |
		jq -r '.findings[] | "\(.rule_id) \(.location.layer // 0) \(.location.path // "-")"' | sort > "$BATS_TEST_TMPDIR/got"
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
}

@test "a named FIFO or <(cmd) with a layer too large to keep is scanned as it passes" {
	local d="$BATS_TEST_TMPDIR/big"
	mkdir -p "$d/src/etc"
	head -c 3000000 /dev/urandom > "$d/src/blob"
	echo 'AWS_SECRET_ACCESS_KEY=Zx9Lq2Wm8Rt5Vb7Nc3Yd6Hs1Jw4Pa0Ue2GkT8fQ3' > "$d/src/etc/.env"
	tar -C "$d/src" -cf "$d/layer.tar" blob etc
	docker_tar "$d" "$BATS_TEST_TMPDIR/big.tar"
	# as docker save writes it: the layer first, manifest.json last
	tar -C "$d" -cf "$BATS_TEST_TMPDIR/big.tar" layer.tar config.json manifest.json
	findings "$BATS_TEST_TMPDIR/big.tar" > "$BATS_TEST_TMPDIR/want"
	grep -q '^SHP2010 1 /etc/.env$' "$BATS_TEST_TMPDIR/want"
	# the layer is scanned as it passes, and the report is the file's
	mkfifo "$BATS_TEST_TMPDIR/pipe"
	cat "$BATS_TEST_TMPDIR/big.tar" > "$BATS_TEST_TMPDIR/pipe" &
	timeout 10 "$SHIPSHAPE" image --format json --fail-on none --no-cache "$BATS_TEST_TMPDIR/pipe" |
		jq -r '.findings[] | "\(.rule_id) \(.location.layer // 0) \(.location.path // "-")"' | sort > "$BATS_TEST_TMPDIR/got"
	wait
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	timeout 10 "$SHIPSHAPE" image --format json --fail-on none --no-cache <(cat "$BATS_TEST_TMPDIR/big.tar") |
		jq -r '.findings[] | "\(.rule_id) \(.location.layer // 0) \(.location.path // "-")"' | sort > "$BATS_TEST_TMPDIR/got"
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	# slim reads the layers again: a pipe cannot give them twice, and says so (no hang)
	run timeout 10 "$SHIPSHAPE" slim --dry-run <(cat "$BATS_TEST_TMPDIR/big.tar")
	[ "$status" -eq 3 ]
	[[ "$output" == *"layer.tar: a pipe is read once"* ]]
	# a layer that is not a tar fails when the manifest names it, not before
	printf 'not a tar at all%.0s' $(seq 100000) > "$d/layer.tar"
	docker_tar "$d" "$BATS_TEST_TMPDIR/bad.tar"
	run timeout 10 "$SHIPSHAPE" image --fail-on none <(cat "$BATS_TEST_TMPDIR/bad.tar")
	[ "$status" -eq 3 ]
	[[ "$output" == *"layer: layer.tar: not a tar layer"* ]]
}

@test "hostile: 4 KiB path names" {
	local d="$BATS_TEST_TMPDIR/p" long=""
	mkdir -p "$d/src"
	for _ in $(seq 16); do long="$long/$(printf 'a%.0s' $(seq 250))"; done
	mkdir -p "$d/src$long"
	echo 'AWS_SECRET_ACCESS_KEY=Zx9Lq2Wm8Rt5Vb7Nc3Yd6Hs1Jw4Pa0Ue2GkT8fQ3' > "$d/src$long/.env"
	tar -C "$d/src" --format=pax -cf "$d/layer.tar" .
	rm -rf "$d/src"
	docker_tar "$d" "$BATS_TEST_TMPDIR/p.tar"
	run "$SHIPSHAPE" image -f json --fail-on none "$BATS_TEST_TMPDIR/p.tar"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.findings[] | select(.rule_id == "SHP2010") | select(.location.path | length > 4000)'
}

@test "hostile: a million tiny entries in one layer, in bounded memory" {
	local many="${SHIPSHAPE_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipshape-test}/million-entries.tar.gz"
	[ -s "$many" ] || skip "no million-entry layer cached: make test-data makes it"
	local d="$BATS_TEST_TMPDIR/m"
	mkdir -p "$d"
	ln -s "$many" "$d/layer.tar"
	local diff="sha256:$(gzip -dc "$many" | sha256sum | cut -d' ' -f1)"
	jq -n --arg d "$diff" '{architecture:"amd64",os:"linux",config:{User:"1"},rootfs:{type:"layers",diff_ids:[$d]}}' > "$d/config.json"
	jq -n '[{Config:"config.json",RepoTags:["m:1"],Layers:["layer.tar"]}]' > "$d/manifest.json"
	tar -C "$d" -hcf "$BATS_TEST_TMPDIR/m.tar" manifest.json config.json layer.tar
	timeout 300 /usr/bin/time -f '%M' -o "$BATS_TEST_TMPDIR/rss" "$SHIPSHAPE" image -f json --fail-on none "$BATS_TEST_TMPDIR/m.tar" > "$BATS_TEST_TMPDIR/out"
	jq -e '.image.layers[0].entries == 1000101 and .efficiency.size_bytes == 0' "$BATS_TEST_TMPDIR/out"
	# about 180 bytes per entry (the union's node and the layer's entry)
	echo "peak RSS $(cat "$BATS_TEST_TMPDIR/rss") KiB"
	[ "$(cat "$BATS_TEST_TMPDIR/rss")" -lt $((300 * 1024)) ]
}

@test "bad input: not an image, an empty file, a JSON file, a missing path" {
	printf '' > "$BATS_TEST_TMPDIR/empty"
	echo '{}' > "$BATS_TEST_TMPDIR/x.json"
	for f in "$BATS_TEST_TMPDIR/empty" "$BATS_TEST_TMPDIR/x.json" "$BATS_TEST_TMPDIR/missing"; do
		run "$SHIPSHAPE" image "$f"
		[ "$status" -eq 3 ]
		[[ "$output" == "shipshape: $f"* ]]
	done
	run "$SHIPSHAPE" image
	[ "$status" -eq 2 ]
	run "$SHIPSHAPE" image --max-layer-bytes lots x
	[ "$status" -eq 2 ]
}

@test "hostile: a nested Java archive that inflates to 40 GiB stops at its budget and is listed as unscanned" {
	local d="$BATS_TEST_TMPDIR/j"
	mkdir -p "$d/src/app"
	# a 1 KB jar: a bzip2 inner jar whose 40 entries are 1 GiB of zeros each, their lengths at
	# their ends (as a streaming writer leaves them), so passing over one means inflating it
	python3 - "$d/src/app/bomb.jar" <<'PY'
import struct, sys, zlib, zipfile
MiB = 1 << 20
c = zlib.compressobj(9, zlib.DEFLATED, -15)
piece = c.compress(b"\0" * MiB) + c.flush(zlib.Z_FULL_FLUSH)
body = piece * 1024 + b"\x03\x00"
crc = 0
for _ in range(1024):
    crc = zlib.crc32(b"\0" * MiB, crc)
local, central = bytearray(), bytearray()
for i in range(40):
    name = b"zeros%02d.bin" % i
    off = len(local)
    local += struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 8, 8, 0, 0, 0, 0, 0, len(name), 0) + name
    local += body + struct.pack("<IIII", 0x08074b50, crc, len(body), 1 << 30)
    central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 8, 8, 0, 0, crc, len(body), 1 << 30,
                           len(name), 0, 0, 0, 0, 0, off) + name
end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 40, 40, len(central), len(local), 0)
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("lib/inner.jar", bytes(local + central + end), compress_type=zipfile.ZIP_BZIP2)
PY
	[ "$(stat -c %s "$d/src/app/bomb.jar")" -lt 2048 ]
	tar -C "$d/src" -cf "$d/layer.tar" app
	docker_tar "$d" "$BATS_TEST_TMPDIR/jar.tar"
	# CPU seconds (user and system) and peak RSS: a loaded machine stretches the wall clock
	timeout 120 /usr/bin/time -f '%U %S %M' -o "$d/cost" "$SHIPSHAPE" image -f json --fail-on none --no-cache "$BATS_TEST_TMPDIR/jar.tar" > "$d/out"
	echo "CPU s, CPU s, peak RSS KiB: $(cat "$d/cost")"
	awk '{ exit !($1 + $2 < 5 && $3 < 200 * 1024) }' "$d/cost"
	jq -e '.summary.unscanned == 1 and .image.unscanned == [{"path": "/app/bomb.jar", "layer": 1,
		"reason": "java-archive-inflate", "limit": "SHP_JAVA_MAX_INFLATE"}]' "$d/out"
	run timeout 120 "$SHIPSHAPE" image --fail-on none --no-cache "$BATS_TEST_TMPDIR/jar.tar"
	[[ "$output" == *"; 1 file not fully scanned (see --format json)"* ]]
	# vuln and sbom read the same packages: the archive's may be missing, and they say so
	"$SHIPSHAPE" db import -q --db "$d/v.db" "$ROOT/tests/rules/SHP3001/feed.json"
	timeout 120 "$SHIPSHAPE" vuln -f json --fail-on none --no-cache --db "$d/v.db" "$BATS_TEST_TMPDIR/jar.tar" > "$d/vuln"
	jq -e '.summary.unscanned == 1 and .unscanned == [{"path": "/app/bomb.jar", "layer": 1,
		"reason": "java-archive-inflate", "limit": "SHP_JAVA_MAX_INFLATE"}]' "$d/vuln"
	mv "$d/vuln" "$d/vuln.json"
	"$NPM_DIR/node_modules/.bin/ajv" validate -s "$ROOT/docs/json-schema.json" -d "$d/vuln.json" --strict=false
	run timeout 120 "$SHIPSHAPE" vuln --fail-on none --no-cache --db "$d/v.db" "$BATS_TEST_TMPDIR/jar.tar"
	[[ "$output" == *"; 1 file not fully scanned (see --format json)"* ]]
	run timeout 120 "$SHIPSHAPE" sbom --no-cache "$BATS_TEST_TMPDIR/jar.tar"
	[ "$status" -eq 0 ]
	[[ "$output" == *"jar.tar: 1 file not fully read, a limit stopped it (/app/bomb.jar: java-archive-inflate): their packages may be missing from the SBOM"* ]]
}

@test "hostile: a package database over its limit is listed as unscanned by image, and is exit 3 for sbom" {
	local r="$BATS_TEST_TMPDIR/root"
	mkdir -p "$r/var/lib/dpkg" "$r/etc"
	printf 'ID=debian\nVERSION_ID="12"\n' > "$r/etc/os-release"
	# one MiB over SHP_PKGDB_MAX_BYTES (512 MiB), sparse: nothing to write, and it is not read
	truncate -s 513M "$r/var/lib/dpkg/status"
	run "$SHIPSHAPE" image -f json --fail-on none --no-cache "$r"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.summary.unscanned == 1 and .image.unscanned == [{"path": "/var/lib/dpkg/status",
		"layer": 1, "reason": "package-database-size", "limit": "SHP_PKGDB_MAX_BYTES"}]'
	run "$SHIPSHAPE" image --fail-on none --no-cache "$r"
	[[ "$output" == *"; 1 file not fully scanned (see --format json)"* ]]
	# a package list without the database's packages would be a wrong answer: sbom refuses
	run "$SHIPSHAPE" sbom "$r"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$r: /var/lib/dpkg/status: larger than the 512 MiB limit for a package database"* ]]
}

@test "a secret whose name a later layer deletes but a hard link keeps is reported present at the link" {
	local d="$BATS_TEST_TMPDIR/hl" l
	mkdir -p "$d/one/app" "$d/two/app"
	echo "token=ghp_Zq3xW8rT5yU1iO7pA2sD4fG6hJ9kL0mN3bV5" > "$d/one/app/secret"
	ln "$d/one/app/secret" "$d/one/app/copy"
	touch "$d/two/app/.wh.secret"
	tar -C "$d/one" -cf "$d/l1.tar" app/secret app/copy
	tar -C "$d/two" -cf "$d/l2.tar" app/.wh.secret
	for l in l1 l2; do echo "sha256:$(sha256sum "$d/$l.tar" | cut -d' ' -f1)"; done > "$d/diffs"
	jq -n --rawfile d "$d/diffs" '{architecture:"amd64",os:"linux",config:{User:"1"},
		rootfs:{type:"layers",diff_ids:($d | split("\n") | map(select(. != "")))}}' > "$d/config.json"
	jq -n '[{Config:"config.json",RepoTags:["hl:1"],Layers:["l1.tar","l2.tar"]}]' > "$d/manifest.json"
	tar -C "$d" -cf "$BATS_TEST_TMPDIR/hl.tar" manifest.json config.json l1.tar l2.tar
	run findings "$BATS_TEST_TMPDIR/hl.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"SHP2010 1 /app/copy"* ]]
	[[ "$output" != *"SHP2011"* ]]
}

@test "secrets past 8 MiB and across the scan's windows are found; in a binary file, the unmistakable kinds" {
	local d="$BATS_TEST_TMPDIR/big"
	mkdir -p "$d/src/app"
	# the windows are 8 MiB and overlap by 32 KiB (SHP_IMG_SCAN_WINDOW, SHP_SECRET_MAX_MATCH)
	python3 - "$d/src/app" <<'PY'
import sys
W, M = 8 << 20, 32 << 10
key = b"token ghp_Zq3xW8rT5yU1iO7pA2sD4fG6hJ9kL0mN3bV5"
line = b"lorem ipsum dolor sit amet, consectetur adipiscing elit\n"
def filler(n):  # n bytes of 56-byte lines, the last one cut to end in a newline
    return (line * (n // len(line) + 1))[:n - 1] + b"\n"
def put(name, data):
    open(sys.argv[1] + "/" + name, "wb").write(data)
put("end.txt", filler(9 << 20) + key + b"\n")                        # after 9 MiB
put("own.txt", filler(W - M - 20) + key + b"\n" + filler(2 << 20))   # across where a window's own part ends
put("seam.txt", filler(W - 20) + key + b"\n" + filler(1 << 20))       # across a window's end
put("prog.bin", b"\x7fELF\x02\x01\x01" + b"\0" * 4096 + b"cfg AKIAZ3MQW7XH2PL5RTQY x password=Sup3rS3cr3tValue\n")
PY
	tar -C "$d/src" -cf "$d/layer.tar" app
	docker_tar "$d" "$BATS_TEST_TMPDIR/big.tar"
	timeout 120 /usr/bin/time -f '%M' -o "$d/rss" "$SHIPSHAPE" image -f json --fail-on none --no-cache "$BATS_TEST_TMPDIR/big.tar" > "$d/out"
	echo "peak RSS $(cat "$d/rss") KiB"
	[ "$(cat "$d/rss")" -lt $((200 * 1024)) ]
	# (the token is made up: its checksum does not hold, which the message says at its end)
	jq -r '.findings[] | select(.rule_id == "SHP2010") | .message | sub(": its checksum does not hold.*"; "")' "$d/out" |
		sort > "$d/got"
	cat "$d/got"
	# each once, on its line (end.txt: 9 MiB of 56-byte lines; the others: the line after the filler)
	diff -u - "$d/got" <<-'EOF'
	AWS access key ID in /app/prog.bin (line 1), added in layer 1
	GitHub token in /app/end.txt (line 168523), added in layer 1
	GitHub token in /app/own.txt (line 149213), added in layer 1
	GitHub token in /app/seam.txt (line 149798), added in layer 1
	EOF
	jq -e '.summary.unscanned == 0 and .image.unscanned == []' "$d/out"
	# the same files as a root filesystem directory, read block by block
	"$SHIPSHAPE" image -f json --fail-on none --no-cache "$d/src" |
		jq -r '.findings[] | select(.rule_id == "SHP2010") | .message | sub(": its checksum does not hold.*"; "")' |
		sort | diff -u "$d/got" -
}

# many_layers DIR OUT N [distinct]: a docker-save tarball whose manifest names DIR/layer.tar
# N times, as 1/layer.tar ... N/layer.tar (copies), with one diffID for all, or with
# "distinct" N different (made-up) ones.
many_layers() {
	local d=$1 out=$2 n=$3 diff ids=()
	diff="sha256:$(zstd -dc "$d/layer.tar" 2>/dev/null | sha256sum | cut -d' ' -f1)"
	for i in $(seq "$n"); do
		mkdir -p "$d/$i"
		cp "$d/layer.tar" "$d/$i/layer.tar"
		if [ "${4:-}" = distinct ]; then ids+=("sha256:$(printf '%064x' "$i")"); else ids+=("$diff"); fi
	done
	printf '%s\n' "${ids[@]}" | jq -R . | jq -s '{architecture:"amd64",os:"linux",config:{User:"1"},rootfs:{type:"layers",diff_ids:.}}' > "$d/config.json"
	seq "$n" | jq -R '. + "/layer.tar"' | jq -s '[{Config:"config.json",RepoTags:["h:1"],Layers:.}]' > "$d/manifest.json"
	(cd "$d" && tar -cf "$out" manifest.json config.json $(seq -f '%g/layer.tar' "$n"))
}

# raw_tar OUT N LEN: a tar of N empty files named with LEN bytes each (GNU long names
# past 100), written directly: faster than tar or Python's tarfile for 100k members.
raw_tar() {
	python3 - "$@" <<'PY'
import sys
def header(name, size, typ):
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b"0000644\0"; h[108:116] = b"0000000\0"; h[116:124] = b"0000000\0"
    h[124:136] = b"%011o\0" % size; h[136:148] = b"00000000000\0"
    h[156:157] = typ; h[257:265] = b"ustar  \0"
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)
out, n, namelen = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(out, "wb") as f:
    for i in range(n):
        name = (b"%07d/" % i) + b"n" * (namelen - 8)
        if len(name) > 100:
            f.write(header(b"././@LongLink", len(name) + 1, b"L"))
            data = name + b"\0"
            f.write(data + bytes(-len(data) % 512))
        f.write(header(name[:100], 0, b"0"))
    f.write(bytes(1024))
PY
}

# measured NAME CMD...: runs CMD under /usr/bin/time into $BATS_TEST_TMPDIR/NAME.t; sets
# status, output, rss (KiB), secs and user (CPU seconds).
measured() {
	local t="$BATS_TEST_TMPDIR/$1.t"
	shift
	run timeout 120 /usr/bin/time -f '%M %e %U' -o "$t" "$@"
	read -r rss secs user < <(tail -n 1 "$t")
	echo "${output:0:2000}"
	echo "peak RSS $rss KiB, $secs s, $user s of CPU"
}

@test "hostile: 16 names of one layer are read once; 16 different layers stop at --max-image-bytes" {
	need zstd
	local d="$BATS_TEST_TMPDIR/same"
	mkdir -p "$d/src"
	head -c 67108864 /dev/zero > "$d/src/zeros"
	tar -C "$d/src" -cf - zeros | zstd -q -o "$d/layer.tar"
	many_layers "$d" "$BATS_TEST_TMPDIR/same.tar" 16
	# 16 x 64 MiB named, 64 MiB read: within a 256 MiB budget
	measured same "$SHIPSHAPE" image --no-cache --max-image-bytes 256M -f json --fail-on none "$BATS_TEST_TMPDIR/same.tar"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.image.layers | length == 16'
	# 16 names of 512 MiB under 16 diffIDs: the first layer read is checked at once and the
	# rest are not read (16 reads took 3 s of CPU, one takes 0.2 s)
	local e="$BATS_TEST_TMPDIR/ids"
	mkdir -p "$e"
	truncate -s 512M "$e/zeros"
	tar -C "$e" -cf - zeros | zstd -q -o "$e/layer.tar"
	rm "$e/zeros"
	many_layers "$e" "$BATS_TEST_TMPDIR/ids.tar" 16 distinct
	measured ids "$SHIPSHAPE" image --no-cache "$BATS_TEST_TMPDIR/ids.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"ids.tar: layer 1 (1/layer.tar): diffID mismatch: the config says sha256:0000"* ]]
	[ "${user%.*}" -lt 2 ]
	# 16 different layers of 64 MiB: the image's budget stops them
	e="$BATS_TEST_TMPDIR/distinct"
	mkdir -p "$e"
	local diffs=() i
	for i in $(seq 16); do
		mkdir -p "$e/$i"
		tar -C "$d/src" --transform "s/zeros/z$i/" -cf - zeros | zstd -q -o "$e/$i/layer.tar"
		diffs+=("sha256:$(zstd -dc "$e/$i/layer.tar" | sha256sum | cut -d' ' -f1)")
	done
	printf '%s\n' "${diffs[@]}" | jq -R . | jq -s '{architecture:"amd64",os:"linux",config:{User:"1"},rootfs:{type:"layers",diff_ids:.}}' > "$e/config.json"
	seq 16 | jq -R '. + "/layer.tar"' | jq -s '[{Config:"config.json",RepoTags:["h:1"],Layers:.}]' > "$e/manifest.json"
	(cd "$e" && tar -cf "$BATS_TEST_TMPDIR/distinct.tar" manifest.json config.json $(seq -f '%g/layer.tar' 16))
	measured distinct "$SHIPSHAPE" image --no-cache --max-image-bytes 256M "$BATS_TEST_TMPDIR/distinct.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"distinct.tar: layer: "*"/layer.tar: the layers hold more than 268435456 bytes after decompression together; raise --max-image-bytes"* ]]
	[ "${secs%.*}" -lt 5 ]
	# the same for sbom, vuln and slim
	for cmd in sbom vuln "slim --dry-run"; do
		run timeout 120 "$SHIPSHAPE" $cmd --no-cache --max-image-bytes 256M "$BATS_TEST_TMPDIR/distinct.tar"
		[ "$status" -eq 3 ]
		[[ "$output" == *"raise --max-image-bytes"* ]]
	done
	run "$SHIPSHAPE" image --max-image-bytes 0 "$BATS_TEST_TMPDIR/distinct.tar"
	[ "$status" -eq 2 ]
}

@test "a limit that stops one image's scan is in the report, which still covers the others" {
	local d="$BATS_TEST_TMPDIR/big" g="$BATS_TEST_TMPDIR/good"
	mkdir -p "$d/src" "$g/src/app"
	head -c 2097152 /dev/zero > "$d/src/zeros"
	tar -C "$d/src" -cf "$d/layer.tar" zeros
	docker_tar "$d" "$BATS_TEST_TMPDIR/big.tar"
	printf 'aws_key = AKIAZ3MQW7XH2PL5RTQY\n' > "$g/src/app/env"
	tar -C "$g/src" -cf "$g/layer.tar" app
	docker_tar "$g" "$BATS_TEST_TMPDIR/good.tar"
	local big="$BATS_TEST_TMPDIR/big.tar" good="$BATS_TEST_TMPDIR/good.tar" r="$BATS_TEST_TMPDIR/r.json"
	run "$SHIPSHAPE" image --no-cache --max-image-bytes 1M -f json -o "$r" "$big" "$good"
	[ "$status" -eq 3 ]
	[[ "$output" == *"big.tar: more than 1048576 bytes after decompression"*"raise --max-image-bytes"* ]]
	jq -e --arg big "$big" --arg good "$good" '(.errors | length) == 1 and .errors[0].input == $big
		and (.errors[0].message | test("raise --max-image-bytes"))
		and ([.images[].image.input] == [$good]) and .summary.errors == 1 and .summary.files == 1
		and ([.findings[] | select(.rule_id == "SHP2010")] | length) == 1' "$r"
	"$NPM_DIR/node_modules/.bin/ajv" validate -s "$ROOT/docs/json-schema.json" -d "$r" --strict=false
	# SARIF: the run says it did not read every input, and which
	run "$SHIPSHAPE" image --no-cache --max-image-bytes 1M -f sarif "$big" "$good"
	[ "$status" -eq 3 ]
	echo "$output" | sed '/^shipshape: /d' | jq -e --arg big "$big" '.runs[0].invocations[0].executionSuccessful == false
		and (.runs[0].invocations[0].toolExecutionNotifications[0].message.text | test("raise --max-image-bytes"))
		and .runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri == $big'
	# text: the summary counts it; an image read whole has no "errors"
	run "$SHIPSHAPE" image --no-cache --max-image-bytes 1M --fail-on none "$big" "$good"
	[ "$status" -eq 3 ]
	[[ "$output" == *"in 1 file; 1 input could not be read"* ]]
	"$SHIPSHAPE" image --no-cache --fail-on none -f json "$good" | jq -e 'has("errors") | not'
	# vuln of an image a limit stopped: a report that says why it is empty
	run "$SHIPSHAPE" vuln --no-cache --max-image-bytes 1M -f json -o "$r" "$big"
	[ "$status" -eq 3 ]
	jq -e '.command == "vuln" and .findings == [] and (.errors[0].message | test("raise --max-image-bytes"))' "$r"
}

@test "hostile: an image archive compressed twice is refused, not peeled" {
	need zstd
	local d="$BATS_TEST_TMPDIR/z"
	mkdir -p "$d/src"
	echo hi > "$d/src/hi"
	tar -C "$d/src" -cf "$d/layer.tar" hi
	docker_tar "$d" "$d/img.tar"
	zstd -q -c "$d/img.tar" > "$BATS_TEST_TMPDIR/once.tar.zst"
	zstd -q -c "$BATS_TEST_TMPDIR/once.tar.zst" > "$BATS_TEST_TMPDIR/twice.tar.zst"
	run "$SHIPSHAPE" image --no-cache --fail-on none "$BATS_TEST_TMPDIR/once.tar.zst"
	[ "$status" -eq 0 ]
	run "$SHIPSHAPE" image --no-cache "$BATS_TEST_TMPDIR/twice.tar.zst"
	[ "$status" -eq 3 ]
	[[ "$output" == *"twice.tar.zst: not an image"*"compressed twice (zstd inside zstd)"* ]]
}

@test "hostile: an image archive's decompressed bytes, entries and names are budgeted" {
	need zstd
	# a compressed archive declaring a 300 MiB member is refused before it is decompressed
	local d="$BATS_TEST_TMPDIR/big"
	mkdir -p "$d"
	echo '[]' > "$d/manifest.json"
	truncate -s 300M "$d/blob"
	tar -C "$d" -cf - manifest.json blob | zstd -q -1 -o "$BATS_TEST_TMPDIR/big.tar.zst"
	rm -rf "$d"
	measured big "$SHIPSHAPE" image --max-image-bytes 256M "$BATS_TEST_TMPDIR/big.tar.zst"
	[ "$status" -eq 3 ]
	[[ "$output" == *"big.tar.zst: more than 268435456 bytes after decompression (a decompression bomb?); raise --max-image-bytes"* ]]
	[ "${secs%.*}" -lt 2 ]
	# 100k members (3 GB of index before, with long names): the entry limit stops them
	raw_tar "$BATS_TEST_TMPDIR/many.tar" 100000 50
	zstd -q --rm "$BATS_TEST_TMPDIR/many.tar"
	measured many "$SHIPSHAPE" image "$BATS_TEST_TMPDIR/many.tar.zst"
	[ "$status" -eq 3 ]
	[[ "$output" == *"many.tar.zst: more than 65536 entries (SHP_STORE_MAX_ENTRIES)"* ]]
	[ "$rss" -lt $((200 * 1024)) ]
	# fewer members, each named with 16 KB: the name bytes limit
	raw_tar "$BATS_TEST_TMPDIR/names.tar" 1100 16000
	zstd -q --rm "$BATS_TEST_TMPDIR/names.tar"
	measured names "$SHIPSHAPE" image "$BATS_TEST_TMPDIR/names.tar.zst"
	[ "$status" -eq 3 ]
	[[ "$output" == *"names.tar.zst: more than 16777216 bytes of entry names (SHP_STORE_MAX_NAME_BYTES)"* ]]
	[ "$rss" -lt $((200 * 1024)) ]
}

@test "hostile: a layer of many 16 KB names stops at the image's name budget, in bounded memory" {
	need zstd
	local d="$BATS_TEST_TMPDIR/n"
	mkdir -p "$d"
	# 9,000 entries of 16,000 bytes: 144 MB of names from a small layer
	raw_tar "$d/plain.tar" 9000 16000
	zstd -q --rm "$d/plain.tar" -o "$d/layer.tar"
	many_layers "$d" "$BATS_TEST_TMPDIR/n.tar" 1
	measured n "$SHIPSHAPE" image --no-cache "$BATS_TEST_TMPDIR/n.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"n.tar: layer: 1/layer.tar: more than 134217728 bytes of entry names in all layers (SHP_IMG_MAX_NAME_BYTES)"* ]]
	[ "$rss" -lt $((200 * 1024)) ]
}

@test "a key in a compiled program's constants is found; its machine code is not searched" {
	command -v gcc >/dev/null || skip "gcc not installed"
	local d="$BATS_TEST_TMPDIR/prog"
	mkdir -p "$d/src/app"
	printf '#include <stdio.h>\nstatic const char k[] = "aws_key = AKIAZ3MQW7XH2PL5RTQY";\nint main(void) { return puts(k) < 0; }\n' > "$d/k.c"
	gcc -O2 -o "$d/src/app/prog" "$d/k.c"
	# a program as ld lays it out by default: code in its own segment, strings in a read-only one
	readelf -lW "$d/src/app/prog" | grep -q 'LOAD .* R E '
	tar -C "$d/src" -cf "$d/layer.tar" app
	docker_tar "$d" "$BATS_TEST_TMPDIR/prog.tar"
	for input in "$BATS_TEST_TMPDIR/prog.tar" "$d/src"; do
		"$SHIPSHAPE" image -f json --fail-on none --no-cache "$input" |
			jq -e '[.findings[] | select(.rule_id == "SHP2010") | .message] ==
				["AWS access key ID in /app/prog (line 1), added in layer 1"]'
	done
}
