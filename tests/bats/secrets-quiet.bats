#!/usr/bin/env bats
# Secrets in a real Debian image: debootstrap's bookworm root with python3-flask, gunicorn,
# python3-cryptography, python3-pip, nodejs, openssl and ca-certificates installed (make
# test-data caches it), packed by umoci as an OCI layout with two more layers: the first
# plants secrets in files of the image's own, the second deletes some of them and changes a
# file a package installed. Every planted secret is found in its layer; nothing at medium or
# above in the files dpkg installed and that are unchanged (they are the distro's).

load helpers

DEB_SECRETS_TAR="${DEB_TAR%-minbase.tar}-secrets.tar"

# A fake package "demo" whose md5sums record two files, as dpkg writes them; layer 2 leaves
# one as it was copied again (a chmod in a Dockerfile), changes the other, and deletes a third.
KEY_LINE='-----BEGIN OPENSSH PRIVATE KEY-----'
pkg_layer1() {
	mkdir -p "$1/usr/share/demo" "$1/var/lib/dpkg/info"
	{ echo "$KEY_LINE"; echo "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"; echo '-----END OPENSSH PRIVATE KEY-----'; } \
		> "$1/usr/share/demo/test-key"
	cp "$1/usr/share/demo/test-key" "$1/usr/share/demo/changed-key"
	cp "$1/usr/share/demo/test-key" "$1/usr/share/demo/deleted-key"
	(cd "$1" && md5sum usr/share/demo/*) > "$1/var/lib/dpkg/info/demo.md5sums"
	# a file of the image's own with the same content as the package's, elsewhere
	mkdir -p "$1/app" && cp "$1/usr/share/demo/test-key" "$1/app/key"
}
pkg_layer2() {
	chmod 0640 "$1/usr/share/demo/test-key"
	echo "# changed" >> "$1/usr/share/demo/changed-key"
	rm "$1/usr/share/demo/deleted-key"
}

# The same key in an Alpine root: apk's database records the file's SHA-1 (Z:Q1 and base64).
apk_layer() {
	pkg_layer1 "$1"
	rm -rf "$1/var/lib/dpkg" "$1/usr/share/demo/changed-key" "$1/usr/share/demo/deleted-key"
	mkdir -p "$1/lib/apk/db"
	printf 'P:demo\nV:1.0-r0\nA:x86_64\nF:usr/share/demo\nR:test-key\nZ:Q1%s\n\n' \
		"$(openssl dgst -sha1 -binary "$1/usr/share/demo/test-key" | base64)" > "$1/lib/apk/db/installed"
}

# Files of one format each, with their credentials, and the same words in other files.
formats_layer() {
	mkdir -p "$1/root/.docker" "$1/app/docs"
	printf 'registry=https://npm.corp.internal/\n_auth=ZGVwbG95OnMzY3IzdFBhc3M=\n' > "$1/root/.npmrc"
	printf 'machine git.corp.internal login deploy password Zx9vQ2mLp7Rt\n' > "$1/root/.netrc"
	printf '{\n  "auths": {\n    "r.corp.internal": {\n      "auth": "ZGVwbG95OnMzY3IzdFBhc3M="\n    }\n  }\n}\n' \
		> "$1/root/.docker/config.json"
	printf 'import base64\n\n        proxy_auth = base64.b64encode(user_pass).decode()\n' > "$1/app/request.py"
	printf '# a .netrc reads:\n#   machine host login user password secretpw\n' > "$1/app/zipfile.py"
	cp "$1/root/.docker/config.json" "$1/app/docs/registry-example.json"
}

# An .env of placeholders and references, and one password (line 9); URLs in a script.
refs_layer() {
	mkdir -p "$1/app"
	cat > "$1/app/.env" <<-'EOF'
	DB_PASSWORD=${DB_PASSWORD}
	REDIS_PASSWORD=$(cat /run/secrets/redis)
	GOOGLE_APPLICATION_CREDENTIALS=/creds/x.json
	API_TOKEN=vault:secret/data/api#token
	STRIPE_SECRET=arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe-AbCdEf
	SMTP_PASSWORD=changeme
	AUTH_TOKEN=<your-token>
	SECRET_KEY=settings.SECRET_KEY
	ADMIN_PASSWORD=Tr0ub4dor-and-3x
	EOF
	printf 'curl https://abc:xyz12345@example.com/x\ngit clone https://ci:Gh0stR1der9@git.corp.internal/a.git\n' > "$1/app/run.sh"
}

# A GitHub token whose checksum holds (CRC32 of its 30 random characters, base62, 6 digits).
gh_token() {
	python3 -c '
import random, zlib
a = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
g = random.Random(7)
r = "".join(g.choice(a) for _ in range(30))
n, s = zlib.crc32(r.encode()), ""
while n:
    n, d = divmod(n, 62)
    s = a[d] + s
print("ghp_" + r + s.rjust(6, "0"))'
}

# A token whose checksum holds (line 1), and one whose checksum does not (line 2: a test's).
tokens_layer() {
	mkdir -p "$1/app"
	printf 'GITHUB = "%s"\nFAKE = "ghp_Zq8LmX2vN5bR7tY1cK4wH9sD3fG6jA0pE2uI"\n' "$(gh_token)" > "$1/app/tokens.py"
}

# Secrets in files of the image's own, for the Debian and Alpine roots: a password in a .env,
# an AWS key in source (line 3), a .netrc and an SSH key (the layer after deletes those two).
plant_secrets() {
	local r=$1
	mkdir -p "$r/app" "$r/root/.ssh"
	printf 'DEBUG=0\nDB_PASSWORD=Tr0ub4dor-and-3x\n' > "$r/app/.env"
	printf 'import os\n\nAWS_ACCESS_KEY_ID = "AKIA2OGYBAH6STMMNXNQ"\n' > "$r/app/settings.py"
	printf 'machine git.corp.internal login deploy password Zx9vQ2mLp7Rt\n' > "$r/root/.netrc"
	{ echo '-----BEGIN OPENSSH PRIVATE KEY-----'; head -c 400 /dev/urandom | base64 -w 70; echo '-----END OPENSSH PRIVATE KEY-----'; } \
		> "$r/root/.ssh/id_rsa"
}

# next_layer D: the bundle D/b becomes a layer of D/oci:app, and is unpacked again for the next
# (a bundle repacks onto the image it was unpacked from)
next_layer() {
	umoci --log error repack --image "$1/oci:app" "$1/b"
	rm -rf "$1/b"
	umoci --log error unpack --image "$1/oci:app" "$1/b"
}

ALPINE_TAR="$CORPUS/images/trivy/pkg_fanal_test_testdata_alpine-311.tar.gz"

# The corpus's Alpine 3.11 image (apk), converted by skopeo to an OCI layout, with two layers
# as the Debian one has: secrets planted in files of the image's own, then two deleted. The
# files apk installed are listed in $BATS_FILE_TMPDIR/alpine/apk-files.
alpine_image() {
	[ -s "$ALPINE_TAR" ] && [ "$(id -u)" = 0 ] && command -v umoci >/dev/null && command -v skopeo >/dev/null || return 0
	local d="$BATS_FILE_TMPDIR/alpine" r
	mkdir -p "$d"
	gunzip -c "$ALPINE_TAR" > "$d/a.tar"
	skopeo copy -q "docker-archive:$d/a.tar" "oci:$d/oci:app"
	umoci --log error unpack --image "$d/oci:app" "$d/b"
	r="$d/b/rootfs"
	plant_secrets "$r"
	next_layer "$d"
	rm -f "$r/root/.ssh/id_rsa" "$r/root/.netrc"
	umoci --log error repack --image "$d/oci:app" "$d/b"
	# the files apk installed: each F: (directory) line's R: (file) lines
	awk -F: '/^F:/ { dir = $2 } /^R:/ { print dir "/" $2 }' "$r/lib/apk/db/installed" | sort -u > "$d/apk-files"
	rm -rf "$d/b" "$d/a.tar"
}

setup_file() {
	if command -v umoci >/dev/null; then
		small_image "$BATS_FILE_TMPDIR/pkg" pkg_layer1 pkg_layer2
		small_image "$BATS_FILE_TMPDIR/apk" apk_layer
		small_image "$BATS_FILE_TMPDIR/formats" formats_layer
		small_image "$BATS_FILE_TMPDIR/refs" refs_layer
		small_image "$BATS_FILE_TMPDIR/tokens" tokens_layer
	fi
	alpine_image
	[ -s "$DEB_SECRETS_TAR" ] && [ "$(id -u)" = 0 ] && command -v umoci >/dev/null || return 0
	local d="$BATS_FILE_TMPDIR/deb" r
	mkdir -p "$d"
	umoci --log error init --layout "$d/oci"
	umoci --log error new --image "$d/oci:app"
	umoci --log error unpack --image "$d/oci:app" "$d/b"
	tar -C "$d/b/rootfs" --numeric-owner -xpf "$DEB_SECRETS_TAR"
	next_layer "$d"
	# layer 2: the application's files, with secrets
	r="$d/b/rootfs"
	plant_secrets "$r"
	mkdir -p "$r/root/.docker"
	printf '#!/bin/sh\ngit clone https://deploy:Sup3rS3cretPw@git.corp.internal/app.git\n' > "$r/app/deploy.sh"
	printf 'registry=https://npm.corp.internal/\n_auth=ZGVwbG95OnMzY3IzdFBhc3M=\n' > "$r/root/.npmrc"
	printf '{\n  "auths": {\n    "registry.corp.internal": {\n      "auth": "ZGVwbG95OnMzY3IzdFBhc3M="\n    }\n  }\n}\n' \
		> "$r/root/.docker/config.json"
	next_layer "$d"
	# layer 3: two of them deleted (still in layer 2), and a file dpkg installed changed
	rm -f "$r/root/.ssh/id_rsa" "$r/root/.netrc"
	printf '\nGITHUB_TOKEN = "%s"\n' "$(gh_token)" >> "$r/usr/lib/python3/dist-packages/flask/config.py"
	umoci --log error repack --image "$d/oci:app" "$d/b"
	# the files dpkg installed, as their lists name them
	cat "$r"/var/lib/dpkg/info/*.list | sed 's|^/||' | sort -u > "$d/dpkg-files"
	rm -rf "$d/b"
}

@test "secrets-quiet: a package's file is judged by its digest, layer by layer" {
	command -v umoci >/dev/null || skip "umoci not installed (make deps)"
	run "$SHIPSHAPE" image --format json "$BATS_FILE_TMPDIR/pkg/oci"
	[ "$status" -eq 1 ]
	echo "$output" | jq -r '.findings[] | select(.rule_id == "SHP2010" or .rule_id == "SHP2011") |
		"\(.rule_id) \(.location.layer) \(.severity) \(.location.path)"' | sort > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	cat > "$BATS_TEST_TMPDIR/want" <<-'EOF'
	SHP2010 1 critical /app/key
	SHP2010 2 critical /usr/share/demo/changed-key
	SHP2010 2 info /usr/share/demo/test-key
	SHP2011 1 info /usr/share/demo/changed-key
	SHP2011 1 info /usr/share/demo/deleted-key
	SHP2011 1 info /usr/share/demo/test-key
	EOF
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	echo "$output" | jq -e '[.findings[] | select(.location.path == "/usr/share/demo/deleted-key")][0].message |
		test("deleted in layer 2.*: shipped unchanged by package demo \\(")'
	# the layer cache keeps the digests: a scan from it says the same
	local c="$BATS_TEST_TMPDIR/cache"
	"$SHIPSHAPE" image --format json --fail-on none --cache-dir "$c" "$BATS_FILE_TMPDIR/pkg/oci" | jq -S .findings > "$BATS_TEST_TMPDIR/cold"
	"$SHIPSHAPE" image --format json --fail-on none --cache-dir "$c" "$BATS_FILE_TMPDIR/pkg/oci" | jq -S .findings > "$BATS_TEST_TMPDIR/warm"
	diff "$BATS_TEST_TMPDIR/cold" "$BATS_TEST_TMPDIR/warm"
	jq -e '[.[] | select(.severity == "info")] | length == 4' "$BATS_TEST_TMPDIR/warm"
}

@test "secrets-quiet: a package's file apk's database records is judged by its SHA-1" {
	command -v umoci >/dev/null || skip "umoci not installed (make deps)"
	run "$SHIPSHAPE" image --format json "$BATS_FILE_TMPDIR/apk/oci"
	[ "$status" -eq 1 ]
	echo "$output" | jq -r '.findings[] | select(.rule_id == "SHP2010") | "\(.severity) \(.location.path)"' |
		sort > "$BATS_TEST_TMPDIR/got"
	printf 'critical /app/key\ninfo /usr/share/demo/test-key\n' | diff - "$BATS_TEST_TMPDIR/got"
}

@test "secrets-quiet: a package's file that is not the one its database records is reported" {
	command -v umoci >/dev/null || skip "umoci not installed (make deps)"
	local d="$BATS_TEST_TMPDIR/x"
	mkdir -p "$d"
	# the database records another content: the file is not the package's as shipped
	bad_sums() { pkg_layer1 "$1"; sed -i 's/^./0/' "$1/var/lib/dpkg/info/demo.md5sums"; }
	small_image "$d" bad_sums
	run "$SHIPSHAPE" image --format json "$d/oci"
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP2010" and .severity == "critical")] | length == 4'
	echo "$output" | jq -e '[.findings[] | select(.message | test("shipped unchanged"))] | length == 0'
}

@test "secrets-quiet: .npmrc, .netrc and docker config patterns run on their own files only" {
	command -v umoci >/dev/null || skip "umoci not installed (make deps)"
	run "$SHIPSHAPE" image --format json "$BATS_FILE_TMPDIR/formats/oci"
	[ "$status" -eq 1 ]
	echo "$output" | jq -r '.findings[] | select(.rule_id == "SHP2010") | .message | sub(", added in.*"; "")' |
		sort > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	cat > "$BATS_TEST_TMPDIR/want" <<-'EOF'
	npm registry credential in /root/.npmrc (line 2)
	password in a .netrc in /root/.netrc (line 1)
	registry credential in a Docker config in /root/.docker/config.json (line 4)
	EOF
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
}

@test "secrets-quiet: placeholders and references are not secrets" {
	command -v umoci >/dev/null || skip "umoci not installed (make deps)"
	run "$SHIPSHAPE" image --format json "$BATS_FILE_TMPDIR/refs/oci"
	[ "$status" -eq 1 ]
	echo "$output" | jq -r '.findings[] | select(.rule_id == "SHP2010") | .message | sub(", added in.*"; "")' |
		sort > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	cat > "$BATS_TEST_TMPDIR/want" <<-'EOF'
	password in a URL in /app/run.sh (line 2)
	password or key in a KEY=value file in /app/.env (line 9)
	EOF
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
}

@test "secrets-quiet: a GitHub token whose checksum does not hold is reported at medium" {
	command -v umoci >/dev/null || skip "umoci not installed (make deps)"
	run "$SHIPSHAPE" image --format json "$BATS_FILE_TMPDIR/tokens/oci"
	[ "$status" -eq 1 ]
	echo "$output" | jq -r '.findings[] | select(.rule_id == "SHP2010") | "\(.severity) \(.message | sub(", added in layer 1 \\([^)]*\\)"; ""))"' |
		sort > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	cat > "$BATS_TEST_TMPDIR/want" <<-'EOF'
	critical GitHub token in /app/tokens.py (line 1)
	medium GitHub token in /app/tokens.py (line 2): its checksum does not hold (a made-up or mistyped token rather than an issued one, reported at medium)
	EOF
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	# and so does a scan from the layer cache
	local c="$BATS_TEST_TMPDIR/cache"
	"$SHIPSHAPE" image --format json --fail-on none --cache-dir "$c" "$BATS_FILE_TMPDIR/tokens/oci" >/dev/null
	"$SHIPSHAPE" image --format json --fail-on none --cache-dir "$c" "$BATS_FILE_TMPDIR/tokens/oci" |
		jq -e '[.findings[] | select(.rule_id == "SHP2010") | .severity] | sort == ["critical", "medium"]'
}

setup() {
	[[ "$BATS_TEST_DESCRIPTION" != *"Debian"* ]] && return 0
	[ -s "$DEB_SECRETS_TAR" ] || skip "no Debian root with python3-flask, nodejs ... cached: make test-data (root and Debian's mirror) makes it"
	[ "$(id -u)" = 0 ] || skip "needs root: unpacking the Debian root keeps its owners"
	D="$BATS_FILE_TMPDIR/deb"
	[ -d "$D/oci" ] || skip "umoci missing (make deps)"
}

# "rule layer severity /path" of every secret finding
secret_findings() {
	jq -r '.findings[] | select(.rule_id == "SHP2010" or .rule_id == "SHP2011") |
		"\(.rule_id) \(.location.layer) \(.severity) /\(.location.path | ltrimstr("/"))"' | sort -u
}

@test "secrets-quiet: Debian: every planted secret is found, in its layer, deleted ones too" {
	run "$SHIPSHAPE" image --format json "$D/oci"
	[ "$status" -eq 1 ]
	echo "$output" | secret_findings > "$BATS_TEST_TMPDIR/found"
	cat "$BATS_TEST_TMPDIR/found"
	grep -qx 'SHP2010 2 high /app/.env' "$BATS_TEST_TMPDIR/found"
	grep -qx 'SHP2010 2 critical /app/settings.py' "$BATS_TEST_TMPDIR/found"
	grep -qx 'SHP2010 2 high /app/deploy.sh' "$BATS_TEST_TMPDIR/found"
	grep -qx 'SHP2010 2 high /root/.npmrc' "$BATS_TEST_TMPDIR/found"
	grep -qx 'SHP2010 2 critical /root/.docker/config.json' "$BATS_TEST_TMPDIR/found"
	grep -qx 'SHP2011 2 critical /root/.netrc' "$BATS_TEST_TMPDIR/found"
	grep -qx 'SHP2011 2 critical /root/.ssh/id_rsa' "$BATS_TEST_TMPDIR/found"
	# the package's file a later layer changed is any other file: reported
	grep -qx 'SHP2010 3 critical /usr/lib/python3/dist-packages/flask/config.py' "$BATS_TEST_TMPDIR/found"
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP2011" and (.location.path | endswith(".netrc")))][0].message |
		test("line 1\\), added in layer 2.* and deleted in layer 3")'
}

@test "secrets-quiet: Debian: nothing at medium or above in the files dpkg installed unchanged" {
	run "$SHIPSHAPE" image --format json --fail-on none "$D/oci"
	[ "$status" -eq 0 ]
	echo "$output" | jq -r '.findings[] | select(.rule_id == "SHP2010" or .rule_id == "SHP2011") |
		select(.severity != "info" and .severity != "low") | .location.path | ltrimstr("/")' | sort -u |
		grep -vx 'usr/lib/python3/dist-packages/flask/config.py' > "$BATS_TEST_TMPDIR/loud" || true
	comm -12 "$BATS_TEST_TMPDIR/loud" "$D/dpkg-files" > "$BATS_TEST_TMPDIR/false"
	cat "$BATS_TEST_TMPDIR/false"
	[ ! -s "$BATS_TEST_TMPDIR/false" ]
	# what packages ship is still said, at info, with the package's name
	echo "$output" | jq -e '[.findings[] | select(.severity == "info" and (.message | test("shipped unchanged by package [a-z0-9.+-]+ ")))] | length > 0'
}

@test "secrets-quiet: Alpine: every planted secret is found in its layer; nothing loud in apk's files" {
	[ -s "$ALPINE_TAR" ] || skip "corpus image $ALPINE_TAR not found"
	[ "$(id -u)" = 0 ] || skip "needs root: unpacking the Alpine root keeps its owners"
	[ -d "$BATS_FILE_TMPDIR/alpine/oci" ] || skip "umoci or skopeo missing (make deps)"
	local a="$BATS_FILE_TMPDIR/alpine"
	run "$SHIPSHAPE" image --format json "$a/oci"
	[ "$status" -eq 1 ]
	echo "$output" | secret_findings > "$BATS_TEST_TMPDIR/found"
	cat "$BATS_TEST_TMPDIR/found"
	cat > "$BATS_TEST_TMPDIR/want" <<-'EOF'
	SHP2010 2 critical /app/settings.py
	SHP2010 2 high /app/.env
	SHP2011 2 critical /root/.netrc
	SHP2011 2 critical /root/.ssh/id_rsa
	EOF
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/found"
	# the files of the 14 packages apk installed: none reported at all
	[ "$(wc -l < "$a/apk-files")" -gt 50 ]
	echo "$output" | jq -r '.findings[] | .location.path // empty | ltrimstr("/")' | sort -u |
		comm -12 - "$a/apk-files" > "$BATS_TEST_TMPDIR/loud"
	cat "$BATS_TEST_TMPDIR/loud"
	[ ! -s "$BATS_TEST_TMPDIR/loud" ]
}
