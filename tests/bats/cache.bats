#!/usr/bin/env bats
# The layer cache: a layer read once is only hashed the next time, and gives the same report;
# a record for a lighter scan, a broken record, or a blob that changed under the same digest
# is never trusted; --no-cache and an unwritable cache directory change nothing but speed.

load helpers
. "$BATS_TEST_DIRNAME/../images/lib.sh"

# Layer 1: an Alpine database, a setuid file and a private key; layer 2 deletes the key and
# adds a package; layer 3 is the same tar as layer 1 of the other image (a shared base).
case_script() {
	cat <<-'EOF'
	new_layer 'ADD rootfs /'
	mkdir -p "$L/lib/apk/db" "$L/etc" "$L/usr/bin" "$L/app"
	printf 'P:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\n\nP:busybox\nV:1.36.1-r5\nA:x86_64\nL:GPL-2.0-only\n\n' > "$L/lib/apk/db/installed"
	echo 3.18.4 > "$L/etc/alpine-release"
	printf '#!/bin/sh\n' > "$L/usr/bin/tool"; chmod 4755 "$L/usr/bin/tool"
	printf -- '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAwJ3cachetestcachetestcachetestcachetestcachetest0\n-----END RSA PRIVATE KEY-----\n' > "$L/app/id_rsa"
	new_layer 'RUN rm /app/id_rsa && apk add curl'
	whiteout app/id_rsa
	mkdir -p "$L/lib/apk/db"
	printf 'P:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\n\nP:busybox\nV:1.36.1-r5\nA:x86_64\nL:GPL-2.0-only\n\nP:curl\nV:8.4.0-r0\nA:x86_64\nL:curl\n\n' > "$L/lib/apk/db/installed"
	EOF
}

setup() {
	export SHIPSHAPE_CACHE="$BATS_TEST_TMPDIR/cache"
	IMG="$BATS_TEST_TMPDIR/img.tar"
	case_script > "$BATS_TEST_TMPDIR/case.sh"
	build_image "$BATS_TEST_TMPDIR/case.sh" "$IMG"
}

cached() { jq -c '[.image.layers[].cached]'; }
report() { jq -S 'del(.image.layers[].cached)'; }
sbom() { "$SHIPSHAPE" sbom -f json "$@" | jq -S 'del(.created, .metadata.timestamp, .serialNumber)'; }

@test "cache: the second scan hashes the layers instead of reading them, and reports the same" {
	run "$SHIPSHAPE" image -f json --fail-on none "$IMG"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cached)" = "[false,false]" ]
	echo "$output" | report > "$BATS_TEST_TMPDIR/first"
	# the findings the layers give: the deleted key, the setuid file, the package manager
	jq -e '[.findings[].rule_id] | contains(["SHP2011", "SHP2020"])' "$BATS_TEST_TMPDIR/first"
	[ "$(ls "$SHIPSHAPE_CACHE" | wc -l)" -eq 2 ]
	run "$SHIPSHAPE" image -f json --fail-on none "$IMG"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cached)" = "[true,true]" ]
	echo "$output" | report | diff "$BATS_TEST_TMPDIR/first" -
	# text and SARIF are the same too, and so is the exit code at the default threshold
	run "$SHIPSHAPE" image --no-cache "$IMG"
	[ "$status" -eq 1 ]
	echo "$output" > "$BATS_TEST_TMPDIR/t1"
	run "$SHIPSHAPE" image "$IMG"
	[ "$status" -eq 1 ]
	echo "$output" | diff "$BATS_TEST_TMPDIR/t1" -
	"$SHIPSHAPE" image --no-cache -f sarif --fail-on none "$IMG" | jq -S 'del(.. | .cached?)' > "$BATS_TEST_TMPDIR/s1"
	"$SHIPSHAPE" image -f sarif --fail-on none "$IMG" | jq -S 'del(.. | .cached?)' | diff "$BATS_TEST_TMPDIR/s1" -
}

@test "cache: an sbom's packages-only records do not serve a full scan; a full scan's serve the sbom" {
	sbom --no-cache "$IMG" > "$BATS_TEST_TMPDIR/want"
	jq -e '[.packages[].name] == ["busybox", "curl", "musl"]' "$BATS_TEST_TMPDIR/want"
	sbom "$IMG" | diff "$BATS_TEST_TMPDIR/want" -
	run "$SHIPSHAPE" image -f json --fail-on none "$IMG"
	[ "$(echo "$output" | cached)" = "[false,false]" ]
	echo "$output" | jq -e '[.findings[].rule_id] | contains(["SHP2011"])'
	local inodes
	inodes=$(stat -c %i "$SHIPSHAPE_CACHE"/*)
	sbom "$IMG" | diff "$BATS_TEST_TMPDIR/want" -
	# the sbom used the full records and did not write lighter ones over them
	[ "$(stat -c %i "$SHIPSHAPE_CACHE"/*)" = "$inodes" ]
	run "$SHIPSHAPE" image -f json --fail-on none "$IMG"
	[ "$(echo "$output" | cached)" = "[true,true]" ]
}

@test "cache: a truncated, corrupt or empty record is ignored and written again" {
	"$SHIPSHAPE" image -f json --fail-on none "$IMG" | report > "$BATS_TEST_TMPDIR/want"
	local recs=("$SHIPSHAPE_CACHE"/*) size
	size=$(stat -c %s "${recs[0]}")
	head -c 100 "${recs[0]}" > "$BATS_TEST_TMPDIR/r" && cat "$BATS_TEST_TMPDIR/r" > "${recs[0]}"
	flip_byte "${recs[1]}" 60
	run "$SHIPSHAPE" image -f json --fail-on none "$IMG"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cached)" = "[false,false]" ]
	echo "$output" | report | diff "$BATS_TEST_TMPDIR/want" -
	[ "$(stat -c %s "${recs[0]}")" -eq "$size" ]
	: > "${recs[0]}"
	run "$SHIPSHAPE" image -f json --fail-on none "$IMG"
	[ "$(echo "$output" | jq '[.image.layers[] | select(.cached)] | length')" -eq 1 ]
	echo "$output" | report | diff "$BATS_TEST_TMPDIR/want" -
}

@test "cache: a FIFO in place of a record is ignored, not waited on" {
	"$SHIPSHAPE" image -f json --fail-on none "$IMG" | report > "$BATS_TEST_TMPDIR/want"
	local r
	for r in "$SHIPSHAPE_CACHE"/sha256-*; do
		rm "$r" && mkfifo "$r"
	done
	run timeout 10 "$SHIPSHAPE" image -f json --fail-on none "$IMG"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cached)" = "[false,false]" ]
	echo "$output" | report | diff "$BATS_TEST_TMPDIR/want" -
}

@test "cache: a layer that changed under the digest its record is kept by is read again and fails its check" {
	"$SHIPSHAPE" image --fail-on none "$IMG" >/dev/null
	local d="$BATS_TEST_TMPDIR/x"
	mkdir -p "$d"
	tar -C "$d" -xf "$IMG"
	# same length, one byte changed in the first layer: the config's diffID still names the old one
	flip_byte "$d/layer1.tar" 600
	tar -C "$d" -cf "$BATS_TEST_TMPDIR/bad.tar" .
	run "$SHIPSHAPE" image "$BATS_TEST_TMPDIR/bad.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"layer 1 (layer1.tar): diffID mismatch"* ]]
}

@test "cache: --no-cache writes nothing; --cache-dir chooses; an unwritable cache changes nothing" {
	run "$SHIPSHAPE" image -f json --fail-on none --no-cache "$IMG"
	[ "$status" -eq 0 ]
	[ ! -e "$SHIPSHAPE_CACHE" ]
	echo "$output" | report > "$BATS_TEST_TMPDIR/want"
	"$SHIPSHAPE" image --fail-on none --cache-dir "$BATS_TEST_TMPDIR/other" "$IMG" >/dev/null
	[ "$(ls "$BATS_TEST_TMPDIR/other" | wc -l)" -eq 2 ]
	[ ! -e "$SHIPSHAPE_CACHE" ]
	: > "$BATS_TEST_TMPDIR/file"
	run "$SHIPSHAPE" image -f json --fail-on none --cache-dir "$BATS_TEST_TMPDIR/file/sub" "$IMG"
	[ "$status" -eq 0 ]
	echo "$output" | report | diff "$BATS_TEST_TMPDIR/want" -
	# the default lives under the user's cache directory
	unset SHIPSHAPE_CACHE
	XDG_CACHE_HOME="$BATS_TEST_TMPDIR/xdg" "$SHIPSHAPE" image --fail-on none "$IMG" >/dev/null
	[ "$(ls "$BATS_TEST_TMPDIR/xdg/shipshape/layers" | wc -l)" -eq 2 ]
}

@test "cache: --cache-max keeps the records used last; a killed run's old temporary file goes" {
	"$SHIPSHAPE" image --fail-on none "$IMG" >/dev/null
	# image B: one layer of many files (a big record); image C: one file (a small one)
	printf '%s\n' 'new_layer' 'for i in $(seq 200); do echo "$i" > "$L/file-$i"; done' > "$BATS_TEST_TMPDIR/b.sh"
	printf '%s\n' 'new_layer' 'echo c > "$L/only"' > "$BATS_TEST_TMPDIR/c.sh"
	build_image "$BATS_TEST_TMPDIR/b.sh" "$BATS_TEST_TMPDIR/b.tar"
	build_image "$BATS_TEST_TMPDIR/c.sh" "$BATS_TEST_TMPDIR/c.tar"
	local a_recs=("$SHIPSHAPE_CACHE"/*) a_size b_size
	a_size=$(cat "${a_recs[@]}" | wc -c)
	"$SHIPSHAPE" image --fail-on none "$BATS_TEST_TMPDIR/b.tar" >/dev/null
	b_size=$(( $(cat "$SHIPSHAPE_CACHE"/* | wc -c) - a_size ))
	[ "$(ls "$SHIPSHAPE_CACHE" | wc -l)" -eq 3 ]
	# A is used again (its records are touched), so B is now the one used longest ago
	sleep 0.05
	run "$SHIPSHAPE" image -f json --fail-on none "$IMG"
	[ "$(echo "$output" | cached)" = "[true,true]" ]
	touch -d '2 hours ago' "$SHIPSHAPE_CACHE/sha256-0.1.tmp"
	touch "$SHIPSHAPE_CACHE/sha256-0.2.tmp"
	# C's record does not fit beside all three: B goes, A stays
	run "$SHIPSHAPE" image -f json --fail-on none --cache-max $((a_size + b_size - 1)) "$BATS_TEST_TMPDIR/c.tar"
	[ "$status" -eq 0 ]
	for r in "${a_recs[@]}"; do [ -f "$r" ]; done
	[ "$(ls "$SHIPSHAPE_CACHE" | grep -vc '\.tmp$')" -eq 3 ]
	[ ! -e "$SHIPSHAPE_CACHE/sha256-0.1.tmp" ]
	[ -e "$SHIPSHAPE_CACHE/sha256-0.2.tmp" ]
	run "$SHIPSHAPE" image -f json --fail-on none "$BATS_TEST_TMPDIR/b.tar"
	[ "$(echo "$output" | cached)" = "[false]" ]
	run "$SHIPSHAPE" image -f json --fail-on none "$BATS_TEST_TMPDIR/c.tar"
	[ "$(echo "$output" | cached)" = "[true]" ]
	# sizes: units, and what is not one
	run "$SHIPSHAPE" image --cache-max 0 "$IMG"
	[ "$status" -eq 2 ]
	[[ "$output" == *'--cache-max "0": expected a size'* ]]
	run "$SHIPSHAPE" sbom --cache-max 99999999999T "$IMG"
	[ "$status" -eq 2 ]
	run "$SHIPSHAPE" image --fail-on none --cache-max 1G "$IMG"
	[ "$status" -eq 0 ]
}

# body RECORD: the record's body, decompressed (the zstd frame between the build ID and the tag).
body() {
	python3 - "$1" <<-'PY' | zstd -dc
	import struct, sys
	rec = open(sys.argv[1], 'rb').read()[:-32]
	sys.stdout.buffer.write(rec[12 + struct.unpack('<I', rec[8:12])[0]:])
	PY
}

# record_of PATH: the record of the layer that holds PATH.
record_of() {
	local r
	for r in "$SHIPSHAPE_CACHE"/*; do
		if body "$r" | grep -qa "$1"; then echo "$r"; fi
	done
}

# forge RECORD KEYFILE: the record with its setuid file made 0755, compressed again and
# re-signed (HMAC-SHA256) with the secret in KEYFILE, or uncompressed with a plain SHA-256 as
# version 1 records were when KEYFILE is "sha256": what a job that can write a shared cache
# would do to whitewash a base layer.
forge() {
	python3 - "$1" "$2" <<-'PY'
	import hashlib, hmac, struct, subprocess, sys
	path, keyfile = sys.argv[1], sys.argv[2]
	rec = open(path, 'rb').read()[:-32]
	at = 12 + struct.unpack('<I', rec[8:12])[0]
	body = bytearray(subprocess.run(['zstd', '-dc'], input=rec[at:], stdout=subprocess.PIPE, check=True).stdout)
	i = body.find(struct.pack('<I', 0o4755))
	assert i > 0, 'no setuid mode in the record'
	body[i:i + 4] = struct.pack('<I', 0o755)
	if keyfile == 'sha256':
	    rec = bytearray(b'SHPLAYR1' + rec[8:at] + body)
	    rec += b'sha256:' + hashlib.sha256(rec).hexdigest().encode() + b'\0'
	else:
	    rec = rec[:at] + subprocess.run(['zstd', '-q', '-c', '--stream-size=%d' % len(body)], input=bytes(body),
	                                    stdout=subprocess.PIPE, check=True).stdout
	    rec += hmac.new(open(keyfile, 'rb').read(), rec, hashlib.sha256).digest()
	open(path, 'wb').write(bytes(rec))
	PY
}

setuid_count() { jq '[.findings[] | select(.rule_id == "SHP2020")] | length'; }

@test "cache: a record forged without the user's secret is discarded and the layer read again" {
	export SHIPSHAPE_CACHE_KEY="$BATS_TEST_TMPDIR/key"
	run "$SHIPSHAPE" image -f json "$IMG"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | setuid_count)" -eq 1 ]
	local rec
	rec=$(record_of usr/bin/tool)
	cp "$rec" "$BATS_TEST_TMPDIR/good"
	# signed with another secret (the forger's own), and as a version 1 record
	head -c 32 /dev/urandom > "$BATS_TEST_TMPDIR/forger.key"
	for k in "$BATS_TEST_TMPDIR/forger.key" sha256; do
		cp "$BATS_TEST_TMPDIR/good" "$rec"
		forge "$rec" "$k"
		run timeout 120 /usr/bin/time -f '%e %M' -o "$BATS_TEST_TMPDIR/cost" "$SHIPSHAPE" image -f json "$IMG"
		[ "$status" -eq 1 ]
		# seconds and peak RSS (KiB) of the scan that met the forged record
		echo "cost: $(cat "$BATS_TEST_TMPDIR/cost")"
		awk 'END { exit !($1 < 5 && $2 < 200 * 1024) }' \
			"$BATS_TEST_TMPDIR/cost"
		[ "$(echo "$output" | cached)" = "[false,true]" ]
		[ "$(echo "$output" | setuid_count)" -eq 1 ]
		# read again and written again, authentic
		cmp "$rec" "$BATS_TEST_TMPDIR/good"
	done
	# the same forgery with the user's secret is taken: the secret is what stops it
	forge "$rec" "$SHIPSHAPE_CACHE_KEY"
	run "$SHIPSHAPE" image -f json --fail-on none "$IMG"
	[ "$(echo "$output" | cached)" = "[true,true]" ]
	[ "$(echo "$output" | setuid_count)" -eq 0 ]
}

# reframe RECORD KEYFILE SIZE: the record's body put back as a zstd frame made by hand (one
# raw block) that states SIZE as its decompressed size, signed with the secret in KEYFILE.
reframe() {
	python3 - "$1" "$2" "$3" <<-'PY'
	import hashlib, hmac, struct, subprocess, sys
	path, keyfile, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
	rec = open(path, 'rb').read()[:-32]
	at = 12 + struct.unpack('<I', rec[8:12])[0]
	body = subprocess.run(['zstd', '-dc'], input=rec[at:], stdout=subprocess.PIPE, check=True).stdout
	assert len(body) < 1 << 17, 'the body does not fit one block'
	frame = b'\x28\xb5\x2f\xfd\xe0' + struct.pack('<Q', size) + struct.pack('<I', len(body) << 3 | 1)[:3] + body
	rec = rec[:at] + frame
	rec += hmac.new(open(keyfile, 'rb').read(), rec, hashlib.sha256).digest()
	open(path, 'wb').write(rec)
	PY
}

@test "cache: a record whose compressed body changed, or that states a body over the limit, is read again" {
	export SHIPSHAPE_CACHE_KEY="$BATS_TEST_TMPDIR/key"
	run "$SHIPSHAPE" image -f json "$IMG"
	[ "$status" -eq 1 ]
	echo "$output" | report > "$BATS_TEST_TMPDIR/want"
	local rec size at
	rec=$(record_of usr/bin/tool)
	cp "$rec" "$BATS_TEST_TMPDIR/good"
	[ "$(head -c 8 "$rec")" = SHPLAYR4 ]
	# one byte of the compressed body changed: the tag fails before anything is decompressed
	size=$(stat -c %s "$rec")
	at=$((12 + $(od -An -tu4 -j8 -N4 "$rec" | tr -d ' ')))
	flip_byte "$rec" $(((at + size - 32) / 2))
	run "$SHIPSHAPE" image -f json "$IMG"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | cached)" = "[false,true]" ]
	echo "$output" | report | diff "$BATS_TEST_TMPDIR/want" -
	cmp "$rec" "$BATS_TEST_TMPDIR/good"
	# the body in a frame of our making, signed with the user's secret, is taken when the frame
	# states the body's size...
	reframe "$rec" "$SHIPSHAPE_CACHE_KEY" "$(body "$rec" | wc -c)"
	run "$SHIPSHAPE" image -f json "$IMG"
	[ "$(echo "$output" | cached)" = "[true,true]" ]
	echo "$output" | report | diff "$BATS_TEST_TMPDIR/want" -
	# ...and not when it states one byte over SHP_CACHE_MAX_BODY (1 GiB), or a size near 2^64:
	# nothing that size is allocated, and the layer is read again
	for size in $(((1 << 30) + 1)) 18446744073709551600; do
		cp "$BATS_TEST_TMPDIR/good" "$rec"
		reframe "$rec" "$SHIPSHAPE_CACHE_KEY" "$size"
		run timeout 120 /usr/bin/time -f '%e %M' -o "$BATS_TEST_TMPDIR/cost" "$SHIPSHAPE" image -f json "$IMG"
		[ "$status" -eq 1 ]
		echo "cost: $(cat "$BATS_TEST_TMPDIR/cost")"
		awk 'END { exit !($1 < 5 && $2 < 200 * 1024) }' \
			"$BATS_TEST_TMPDIR/cost"
		[ "$(echo "$output" | cached)" = "[false,true]" ]
		echo "$output" | report | diff "$BATS_TEST_TMPDIR/want" -
		cmp "$rec" "$BATS_TEST_TMPDIR/good"
	done
}

@test "cache: the secret is made once, 0600, outside the cache; the directory 0700, records 0600" {
	export SHIPSHAPE_CACHE_KEY="$BATS_TEST_TMPDIR/conf/shipshape/cache.key"
	run "$SHIPSHAPE" image --fail-on none "$IMG"
	[ "$status" -eq 0 ]
	[ "$(stat -c %a "$SHIPSHAPE_CACHE_KEY")" = 600 ]
	[ "$(stat -c %s "$SHIPSHAPE_CACHE_KEY")" -eq 32 ]
	[ "$(stat -c %a "$SHIPSHAPE_CACHE")" = 700 ]
	[ "$(stat -c %a "$SHIPSHAPE_CACHE"/* | sort -u)" = 600 ]
	[ "$(ls "$SHIPSHAPE_CACHE" | wc -l)" -eq 2 ]
	local sum
	sum=$(sha256sum < "$SHIPSHAPE_CACHE_KEY")
	# parallel runs on a new secret agree on one (it is linked into place whole)
	rm -rf "$SHIPSHAPE_CACHE" "$SHIPSHAPE_CACHE_KEY"
	for i in 1 2 3 4; do "$SHIPSHAPE" image --fail-on none "$IMG" >/dev/null & done
	wait
	[ "$(ls "$(dirname "$SHIPSHAPE_CACHE_KEY")")" = cache.key ]
	run "$SHIPSHAPE" image -f json --fail-on none "$IMG"
	[ "$(echo "$output" | cached)" = "[true,true]" ]
	[ "$(sha256sum < "$SHIPSHAPE_CACHE_KEY")" != "$sum" ]
	# by default the secret is in the user's configuration directory
	unset SHIPSHAPE_CACHE_KEY
	XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/xdg" "$SHIPSHAPE" image --fail-on none "$IMG" >/dev/null
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/xdg/shipshape/cache.key")" = 600 ]
}

@test "cache: a directory others may write, or a secret others may read, is not used (said once)" {
	export SHIPSHAPE_CACHE_KEY="$BATS_TEST_TMPDIR/key"
	"$SHIPSHAPE" image --fail-on none "$IMG" >/dev/null
	"$SHIPSHAPE" image --no-cache -f json --fail-on none "$IMG" 2>/dev/null | report > "$BATS_TEST_TMPDIR/want"
	chmod 0777 "$SHIPSHAPE_CACHE"
	"$SHIPSHAPE" image -f json --fail-on none "$IMG" 2>"$BATS_TEST_TMPDIR/err" > "$BATS_TEST_TMPDIR/out"
	[ "$(cached < "$BATS_TEST_TMPDIR/out")" = "[false,false]" ]
	report < "$BATS_TEST_TMPDIR/out" | diff "$BATS_TEST_TMPDIR/want" -
	[ "$(grep -c 'layer cache is not used' "$BATS_TEST_TMPDIR/err")" -eq 1 ]
	grep -q "$SHIPSHAPE_CACHE: owned by uid $(id -u) with mode 0777" "$BATS_TEST_TMPDIR/err"
	# the exit code is the scan's
	run "$SHIPSHAPE" image "$IMG"
	[ "$status" -eq 1 ]
	chmod 0700 "$SHIPSHAPE_CACHE"
	chmod 0644 "$SHIPSHAPE_CACHE_KEY"
	run "$SHIPSHAPE" image -f json --fail-on none "$IMG"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$SHIPSHAPE_CACHE_KEY: owned by uid $(id -u) with mode 0644 (expected this user's, 0600)"* ]]
	chmod 0600 "$SHIPSHAPE_CACHE_KEY"
	printf short > "$SHIPSHAPE_CACHE_KEY"
	run "$SHIPSHAPE" image --fail-on none "$IMG"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$SHIPSHAPE_CACHE_KEY: not a secret of 32 bytes"* ]]
	if [ "$(id -u)" -ne 0 ]; then
		skip "needs root: making another user's cache directory"
	fi
	rm "$SHIPSHAPE_CACHE_KEY"
	chown nobody "$SHIPSHAPE_CACHE"
	run "$SHIPSHAPE" image -f json --fail-on none "$IMG"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$SHIPSHAPE_CACHE: owned by uid $(id -u nobody)"* ]]
}
