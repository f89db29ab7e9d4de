#!/usr/bin/env bats
# Credentials that files of known formats give away (SHP2013-SHP2016, and the htpasswd secret
# rule): /etc/shadow accounts with a password hash or none, UIDs and GIDs given twice, and
# keystores that a well-known password opens. The inputs are made by the real tools (openssl
# passwd and pkcs12, keytool where installed, umoci for the layers); Debian's roots stay quiet.

load helpers

need() { command -v "$1" >/dev/null || skip "$1 not installed (make deps)"; }

# "rule severity layer path" of the credential rules' findings in image $1
creds() {
	"$SHIPSHAPE" image --format json --fail-on none --no-cache "$@" | jq -r '.findings[] |
		select(.rule_id | test("^SHP201[3-6]$")) |
		"\(.rule_id) \(.severity) \(.location.layer // 0) \(.location.path // "-")"' | sort
}

HASH_SALT=Qx3vB9aa
shadow_layer() {
	local h
	h=$(openssl passwd -6 -salt "$HASH_SALT" 'hunter2')
	mkdir -p "$1/etc"
	{
		echo 'root:*:19700:0:99999:7:::'
		echo 'daemon:*:19700:0:99999:7:::'
		echo "app:$h:19700:0:99999:7:::"
		echo 'guest::19700:0:99999:7:::'
		echo "locked:!$h:19700:0:99999:7:::"
		echo 'new:!!:19700:0:99999:7:::'
		echo 'svc:!*:19700:0:99999:7:::'
	} > "$1/etc/shadow"
	chmod 0640 "$1/etc/shadow"
	printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\ntoor:x:0:0::/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\n' \
		> "$1/etc/passwd"
	printf 'root:x:0:\nusers:x:100:\nstaff:x:100:\n' > "$1/etc/group"
}

@test "shadow: a hash and an empty password are found with their lines; locked accounts are quiet" {
	need umoci
	need jq
	small_image "$BATS_TEST_TMPDIR/s" shadow_layer
	run creds "$BATS_TEST_TMPDIR/s/oci"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "SHP2013 high 1 /etc/shadow
SHP2014 critical 1 /etc/shadow
SHP2015 high 1 /etc/passwd
SHP2015 medium 1 /etc/group
SHP2015 medium 1 /etc/passwd" ]
	run "$SHIPSHAPE" image --fail-on high --no-cache "$BATS_TEST_TMPDIR/s/oci"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"SHP2013 account app in /etc/shadow (line 3) has a sha512crypt (\$6\$) password hash"* ]]
	[[ "$output" == *"SHP2014 account guest in /etc/shadow (line 4) has an empty password field"* ]]
	[[ "$output" == *"image-empty-password (DKL-LI-0001)"* ]]
	[[ "$output" == *"SHP2015 account toor in /etc/passwd (line 3) has UID 0, as root (line 1)"* ]]
	[[ "$output" == *"SHP2015 account bob in /etc/passwd (line 4) has UID 1000, as app (line 2)"* ]]
	[[ "$output" == *"SHP2015 group staff in /etc/group (line 3) has GID 100, as users (line 2)"* ]]
	[[ "$output" == *"image-duplicate-id (DKL-LI-0002)"* ]]
	# locked accounts, and never the hash itself
	[[ "$output" != *"account root "* && "$output" != *"account locked "* && "$output" != *"account new "* ]]
	[[ "$output" != *"$HASH_SALT"* ]]
	# Dockle's ids name the rules
	run "$SHIPSHAPE" rules DKL-LI-0001
	[[ "$output" == *"SHP2014"* ]]
}

# layer 2 locks app (useradd/usermod rewrite the whole file): the hash is still in layer 1
lock_layer() { sed -i 's/^app:\$/app:!$/; s/^guest::/guest:*:/' "$1/etc/shadow"; }
# layer 2 adds an account: the file is copied with app's hash unchanged
add_layer() { echo 'www:*:19700:0:99999:7:::' >> "$1/etc/shadow"; }

@test "shadow: the final view counts; a hash only in a replaced layer is medium, one still visible is said once" {
	need umoci
	need jq
	small_image "$BATS_TEST_TMPDIR/l" shadow_layer lock_layer
	run creds "$BATS_TEST_TMPDIR/l/oci"
	echo "$output"
	[[ "$output" == *"SHP2013 medium 1 /etc/shadow"* ]]
	[[ "$output" != *"SHP2013 high"* && "$output" != *"SHP2014"* ]]
	run "$SHIPSHAPE" image --no-cache --fail-on none "$BATS_TEST_TMPDIR/l/oci"
	[[ "$output" == *"account app in /etc/shadow (line 3) has a sha512crypt (\$6\$) password hash"*"overwritten in layer 2"*"still in the image tarball"* ]]

	small_image "$BATS_TEST_TMPDIR/a" shadow_layer add_layer
	run creds "$BATS_TEST_TMPDIR/a/oci"
	echo "$output"
	[ "$(grep -c '^SHP2013' <<< "$output")" -eq 1 ]
	[[ "$output" == *"SHP2013 high 2 /etc/shadow"* ]]
	[[ "$output" == *"SHP2014 critical 2 /etc/shadow"* ]]
}

keystore_layer() {
	local t=$BATS_TEST_TMPDIR
	mkdir -p "$1/app/conf" "$1/usr/share/doc/demo"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/k.pem" -out "$t/c.pem" -subj /CN=app -days 2 2>/dev/null
	openssl pkcs12 -export -in "$t/c.pem" -inkey "$t/k.pem" -passout pass:changeit -out "$1/app/conf/server.p12"
	openssl pkcs12 -export -in "$t/c.pem" -inkey "$t/k.pem" -passout pass:'Vq8-kT2x-Lm9z' -out "$1/app/conf/strong.p12"
	openssl pkcs12 -export -in "$t/c.pem" -inkey "$t/k.pem" -passout pass:billing -out "$1/app/conf/billing.pfx"
	openssl pkcs12 -export -in "$t/c.pem" -inkey "$t/k.pem" -passout pass: -out "$1/app/conf/empty.p12"
	# certificates only: a trust store
	openssl pkcs12 -export -in "$t/c.pem" -nokeys -passout pass:changeit -out "$1/app/conf/trust.p12"
	# package documentation's sample
	cp "$1/app/conf/server.p12" "$1/usr/share/doc/demo/sample.p12"
	# a keystore over the 1 MiB limit: listed as not scanned
	head -c 1100000 /dev/zero > "$1/app/conf/huge.jks"
}

@test "keystores: PKCS#12 files that a well-known, empty or own-name password opens; trust stores are quiet" {
	need umoci
	need jq
	need openssl
	small_image "$BATS_TEST_TMPDIR/k" keystore_layer
	run creds "$BATS_TEST_TMPDIR/k/oci"
	echo "$output"
	[ "$output" = "SHP2016 high 1 /app/conf/billing.pfx
SHP2016 high 1 /app/conf/empty.p12
SHP2016 high 1 /app/conf/server.p12" ]
	run "$SHIPSHAPE" image --no-cache --fail-on none "$BATS_TEST_TMPDIR/k/oci"
	[[ "$output" == *"PKCS#12 keystore /app/conf/server.p12 holds a private or secret key and opens with the well-known password \"changeit\""* ]]
	[[ "$output" == *"/app/conf/billing.pfx holds a private or secret key and opens with the well-known password \"billing\""* ]]
	[[ "$output" == *"/app/conf/empty.p12 holds a private or secret key and opens with an empty password"* ]]
	run "$SHIPSHAPE" image -f json --no-cache --fail-on none "$BATS_TEST_TMPDIR/k/oci"
	echo "$output" | jq -e '.image.unscanned == [{"path": "/app/conf/huge.jks", "layer": 1,
		"reason": "credential-file-size", "limit": "SHP_CRED_FILE_MAX_BYTES"}]'
}

jks_layer() {
	mkdir -p "$1/opt/app"
	keytool -genkeypair -alias app -keyalg RSA -keysize 2048 -dname CN=app -storetype JKS \
		-keystore "$1/opt/app/app.jks" -storepass changeme -keypass changeme 2>/dev/null
	keytool -genkeypair -alias app -keyalg RSA -keysize 2048 -dname CN=app -storetype JKS \
		-keystore "$1/opt/app/strong.jks" -storepass 'Vq8-kT2x-Lm9z' -keypass 'Vq8-kT2x-Lm9z' 2>/dev/null
	keytool -genseckey -alias db -keyalg AES -keysize 128 -storetype JCEKS \
		-keystore "$1/opt/app/secrets.jceks" -storepass secret -keypass secret 2>/dev/null
	keytool -exportcert -alias app -keystore "$1/opt/app/app.jks" -storepass changeme -file "$BATS_TEST_TMPDIR/app.crt" 2>/dev/null
	keytool -importcert -noprompt -alias ca -file "$BATS_TEST_TMPDIR/app.crt" -storetype JKS \
		-keystore "$1/opt/app/trust.jks" -storepass changeit 2>/dev/null
	# a PKCS#12 store under a .keystore name, as keytool writes by default
	keytool -genkeypair -alias app -keyalg RSA -keysize 2048 -dname CN=app -storetype PKCS12 \
		-keystore "$1/opt/app/tomcat.keystore" -storepass changeit 2>/dev/null
}

@test "keystores: JKS and JCEKS stores written by keytool, checked by their digest" {
	need umoci
	need jq
	need keytool
	small_image "$BATS_TEST_TMPDIR/j" jks_layer
	run creds "$BATS_TEST_TMPDIR/j/oci"
	echo "$output"
	[ "$output" = "SHP2016 high 1 /opt/app/app.jks
SHP2016 high 1 /opt/app/secrets.jceks
SHP2016 high 1 /opt/app/tomcat.keystore" ]
	run "$SHIPSHAPE" image --no-cache --fail-on none "$BATS_TEST_TMPDIR/j/oci"
	[[ "$output" == *"JKS keystore /opt/app/app.jks holds a private or secret key and opens with the well-known password \"changeme\""* ]]
	[[ "$output" == *"JCEKS keystore /opt/app/secrets.jceks"*"\"secret\""* ]]
	[[ "$output" == *"PKCS#12 keystore /opt/app/tomcat.keystore"*"\"changeit\""* ]]
}

rm_keystore_layer() { rm "$1/app/conf/server.p12"; }

@test "keystores: one a later layer deleted is still shipped, at medium" {
	need umoci
	need jq
	need openssl
	small_image "$BATS_TEST_TMPDIR/d" keystore_layer rm_keystore_layer
	run creds "$BATS_TEST_TMPDIR/d/oci"
	echo "$output"
	[[ "$output" == *"SHP2016 medium 1 /app/conf/server.p12"* ]]
	run "$SHIPSHAPE" image --no-cache --fail-on none "$BATS_TEST_TMPDIR/d/oci"
	[[ "$output" == *"/app/conf/server.p12 holds a private or secret key"*"deleted in layer 2"*"hidden from the container but still in the image tarball"* ]]
}

htpasswd_layer() {
	mkdir -p "$1/etc/nginx" "$1/app"
	{
		echo '# admins'
		echo "admin:$(openssl passwd -apr1 -salt Zq0wE5rT 'hunter2')"
		echo "ops:{SHA}$(printf 'hunter2' | openssl dgst -sha1 -binary | base64)"
	} > "$1/etc/nginx/.htpasswd"
	# the same lines in a file of another name
	cp "$1/etc/nginx/.htpasswd" "$1/app/users.txt"
}

@test "htpasswd: user:hash lines are found in htpasswd files only" {
	need umoci
	need jq
	need openssl
	small_image "$BATS_TEST_TMPDIR/h" htpasswd_layer
	run "$SHIPSHAPE" image --format json --fail-on none --no-cache "$BATS_TEST_TMPDIR/h/oci"
	echo "$output" | jq -r '.findings[] | "\(.rule_id) \(.location.path) \(.message)"'
	[ "$(echo "$output" | jq '[.findings[] | select(.message | test("password hash in an htpasswd file in /etc/nginx/.htpasswd \\(line [23]\\)"))] | length')" -eq 2 ]
	[ "$(echo "$output" | jq '[.findings[] | select(.location.path == "/app/users.txt")] | length')" -eq 0 ]
	[[ "$output" != *"Zq0wE5rT"* ]]
}

@test "Debian: bookworm's minbase root and its root with python, node and openssl have no credential finding" {
	need jq
	[ -s "$DEB_TAR" ] || skip "no cached Debian root (make test-data)"
	local r="$BATS_TEST_TMPDIR/deb" t
	for t in "$DEB_TAR" "${DEB_TAR%-minbase.tar}-secrets.tar"; do
		[ -s "$t" ] || continue
		rm -rf "$r" && mkdir -p "$r"
		tar -C "$r" --numeric-owner -xpf "$t" 2>/dev/null || tar -C "$r" -xf "$t"
		# the root's own shadow: root locked with *, no hashes
		grep -q '^root:\*:' "$r/etc/shadow"
		run creds "$r"
		echo "$t: $output"
		[ "$status" -eq 0 ]
		[ -z "$output" ]
	done
}
