#!/usr/bin/env bats
# db push and db pull: the vulnerability database as an OCI artifact in the local registry
# (one zstd layer, annotations), pulled into another path identical, pulled only when the
# artifact has newer data, refused when it is not a database, altered, too large once
# decompressed or of another schema (the local copy untouched each time); faults in transit
# and a pull killed midway; vuln --db-repository; a registry with htpasswd credentials.

load helpers
load registry

V="$CORPUS/vulndata"

setup_file() {
	harness_missing >/dev/null && return 0
	[ -d "$V/alpine-secdb-json" ] || return 0
	local d=$BATS_FILE_TMPDIR
	REG_ACCESSLOG=1 registry_start "$d/anon" anon
	export ANON_ADDR=$REG_ADDR ANON_LOG=$d/anon/registry.log ANON_DATA=$d/anon/data
	# a database of two Alpine branches, and one with a third besides
	mkdir -p "$d/feeds"
	cp "$V/alpine-secdb-json/v3.10-main.json" "$V/alpine-secdb-json/v3.10-community.json" "$d/feeds/"
	"$SHIPSHAPE" db import -q --db "$d/two.db" "$d/feeds"
	cp "$d/two.db" "$d/three.db"
	"$SHIPSHAPE" db import -q --db "$d/three.db" "$V/alpine-secdb-json/v3.11-main.json"
	export TWO=$d/two.db THREE=$d/three.db
	# a container image, which is not a database
	test_image "$d/oci" v1
	registry_push "oci:$d/oci:v1" img/app:v1
}

teardown_file() {
	harness_stop "$BATS_FILE_TMPDIR"
}

setup() {
	harness_need
	[ -d "$V/alpine-secdb-json" ] || skip "the vulnerability corpus is not there ($V)"
	export HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME"
	unset XDG_RUNTIME_DIR REGISTRY_AUTH_FILE DOCKER_CONFIG SHIPSHAPE_DB
}

teardown() {
	harness_stop "$BATS_TEST_TMPDIR"
}

# requests METHOD REGEX: how many requests the anonymous registry logged with that method and
# a path matching REGEX.
requests() {
	grep -o '"[A-Z]* [^ ]* HTTP/[0-9.]*" [0-9]*' "$ANON_LOG" |
		awk -v m="\"$1" -v re="$2" '$1 == m && $2 ~ re { n++ } END { print n + 0 }'
}

# manifest REPO TAG: the manifest as the registry holds it.
manifest() {
	curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$ANON_ADDR/v2/$1/manifests/$2"
}

# dump DB: the database's content as SQL text.
dump() {
	python3 -c 'import sqlite3, sys; print("\n".join(sqlite3.connect(sys.argv[1]).iterdump()))' "$1"
}

# an SBOM with one Alpine 3.10 package that has three fixed vulnerabilities in v3.10-main
sbom() {
	cat >"$BATS_TEST_TMPDIR/a.cdx.json" <<-'EOF'
		{"bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": {"component": {"type": "container", "name": "a"}},
		 "components": [{"type": "library", "name": "ansible", "version": "2.8.0-r0",
		   "purl": "pkg:apk/alpine/ansible@2.8.0-r0?arch=x86_64&distro=alpine-3.10.2"}]}
	EOF
	echo "$BATS_TEST_TMPDIR/a.cdx.json"
}

@test "db push then pull: the same database; the manifest is an artifact with one zstd layer" {
	run "$SHIPSHAPE" db push "docker://$ANON_ADDR/vulndb/two:1" --db "$TWO"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$TWO: pushed"*"to docker://$ANON_ADDR/vulndb/two:1 as sha256:"*"2 sources"* ]]
	run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/vulndb/two:1" --db "$BATS_TEST_TMPDIR/sub/pulled.db"
	[ "$status" -eq 0 ]
	[[ "$output" == *"pulled sha256:"*"into $BATS_TEST_TMPDIR/sub/pulled.db"* ]]
	cmp "$TWO" "$BATS_TEST_TMPDIR/sub/pulled.db"
	[ "$(dump "$TWO")" = "$(dump "$BATS_TEST_TMPDIR/sub/pulled.db")" ]
	# the pulled copy is a database shipshape reads
	"$SHIPSHAPE" db info --db "$BATS_TEST_TMPDIR/sub/pulled.db" | grep -q 'alpine-secdb:v3.10/main'
	# the manifest: artifactType, the empty config, one zstd layer of the right digest
	local m layer
	m=$(manifest vulndb/two 1)
	jq -e '.mediaType == "application/vnd.oci.image.manifest.v1+json"
		and .artifactType == "application/vnd.shipshape.vulndb.v1"
		and .config.mediaType == "application/vnd.oci.empty.v1+json"
		and .config.digest == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
		and (.layers | length) == 1
		and .layers[0].mediaType == "application/vnd.shipshape.vulndb.layer.v1.sqlite+zstd"' <<<"$m"
	layer=$(jq -r '.layers[0].digest' <<<"$m")
	curl -sf "http://$ANON_ADDR/v2/vulndb/two/blobs/$layer" -o "$BATS_TEST_TMPDIR/layer.zst"
	[ "sha256:$(sha256sum <"$BATS_TEST_TMPDIR/layer.zst" | cut -c1-64)" = "$layer" ]
	[ "$(jq -r '.layers[0].size' <<<"$m")" = "$(stat -c %s "$BATS_TEST_TMPDIR/layer.zst")" ]
	if command -v zstd >/dev/null; then
		zstd -dqc "$BATS_TEST_TMPDIR/layer.zst" | cmp - "$TWO"
	fi
	# the annotations: schema, data date (created too), size, and the sources with their dates
	jq -e --arg size "$(stat -c %s "$TWO")" '.annotations
		| ."io.shipshape.vulndb.schema" == "6"
		and ."io.shipshape.vulndb.size" == $size
		and (."io.shipshape.vulndb.modified" | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"))
		and ."org.opencontainers.image.created" == ."io.shipshape.vulndb.modified"
		and (."io.shipshape.vulndb.sources" | fromjson | keys)
			== ["alpine-secdb:v3.10/community", "alpine-secdb:v3.10/main"]' <<<"$m"
	# skopeo reads the manifest as any other
	skopeo inspect --raw --tls-verify=false "docker://$ANON_ADDR/vulndb/two:1" |
		jq -e '.artifactType == "application/vnd.shipshape.vulndb.v1"'
	# a database reached through a symlink is pushed as the file, and pulled into it (the link
	# kept); the same bytes are the same layer
	ln -s "$BATS_TEST_TMPDIR/sub/pulled.db" "$BATS_TEST_TMPDIR/link.db"
	"$SHIPSHAPE" db push -q "docker://$ANON_ADDR/vulndb/two:link" --db "$BATS_TEST_TMPDIR/link.db"
	[ "$(manifest vulndb/two link | jq -r '.layers[0].digest')" = "$layer" ]
	"$SHIPSHAPE" db pull -q --force "docker://$ANON_ADDR/vulndb/two:link" --db "$BATS_TEST_TMPDIR/link.db"
	[ -L "$BATS_TEST_TMPDIR/link.db" ]
	cmp "$BATS_TEST_TMPDIR/sub/pulled.db" "$TWO"
}

@test "db pull: up to date makes no blob request; newer data is pulled; newer local data is kept" {
	"$SHIPSHAPE" db push -q "docker://$ANON_ADDR/vulndb/age:two" --db "$TWO"
	"$SHIPSHAPE" db push -q "docker://$ANON_ADDR/vulndb/age:three" --db "$THREE"
	local db=$BATS_TEST_TMPDIR/local.db
	"$SHIPSHAPE" db pull -q "docker://$ANON_ADDR/vulndb/age:two" --db "$db"
	cmp "$db" "$TWO"
	local before
	before=$(requests GET '^/v2/vulndb/age/blobs/')
	run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/vulndb/age:two" --db "$db"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$db: up to date with docker://$ANON_ADDR/vulndb/age:two"* ]]
	[ "$(requests GET '^/v2/vulndb/age/blobs/')" = "$before" ]
	# --force pulls all the same
	"$SHIPSHAPE" db pull -q --force "docker://$ANON_ADDR/vulndb/age:two" --db "$db"
	[ "$(requests GET '^/v2/vulndb/age/blobs/')" -gt "$before" ]
	# the artifact with a source the local copy lacks is pulled
	run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/vulndb/age:three" --db "$db"
	[ "$status" -eq 0 ]
	[[ "$output" == *"pulled sha256:"* ]]
	cmp "$db" "$THREE"
	# one whose sources are all older (or the same) is not
	run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/vulndb/age:two" --db "$db"
	[ "$status" -eq 0 ]
	cmp "$db" "$THREE"
	# newer data for a source the local copy has: its record's date moved forward
	cp "$TWO" "$BATS_TEST_TMPDIR/newer.db"
	python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE sources SET modified = modified + 86400 WHERE name = ?", ("alpine-secdb:v3.10/main",)); c.commit()' "$BATS_TEST_TMPDIR/newer.db"
	"$SHIPSHAPE" db push -q "docker://$ANON_ADDR/vulndb/age:newer" --db "$BATS_TEST_TMPDIR/newer.db"
	"$SHIPSHAPE" db pull -q "docker://$ANON_ADDR/vulndb/age:newer" --db "$db"
	cmp "$db" "$BATS_TEST_TMPDIR/newer.db"
	run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/vulndb/age:two" --db "$db"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$db: has newer data than docker://$ANON_ADDR/vulndb/age:two"*"kept"* ]]
	cmp "$db" "$BATS_TEST_TMPDIR/newer.db"
}

@test "db pull: a container image is not a database: exit 3, the local copy untouched" {
	local db=$BATS_TEST_TMPDIR/local.db
	cp "$TWO" "$db"
	run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/img/app:v1" --db "$db"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$ANON_ADDR/img/app:v1: not a shipshape vulnerability database"* ]]
	cmp "$db" "$TWO"
	refute ls "$BATS_TEST_TMPDIR"/local.db.pull
	# nor does a pull of it make a database where there was none
	run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/img/app:v1" --db "$BATS_TEST_TMPDIR/none.db"
	[ "$status" -eq 3 ]
	[ ! -e "$BATS_TEST_TMPDIR/none.db" ]
	# a tag that is not there names the reference
	run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/vulndb/missing:1" --db "$db"
	[ "$status" -eq 3 ]
	[[ "$output" == *"vulndb/missing:1"* ]]
	cmp "$db" "$TWO"
	# a file that is not a database is not pushed, nor replaced by a pull
	echo 'not a database' >"$BATS_TEST_TMPDIR/text"
	run "$SHIPSHAPE" db push "docker://$ANON_ADDR/vulndb/text:1" --db "$BATS_TEST_TMPDIR/text"
	[ "$status" -eq 3 ]
	[[ "$output" == *"text: not a shipshape vulnerability database"* ]]
	"$SHIPSHAPE" db push -q "docker://$ANON_ADDR/vulndb/refuse:1" --db "$TWO"
	run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/vulndb/refuse:1" --db "$BATS_TEST_TMPDIR/text"
	[ "$status" -eq 3 ]
	[ "$(cat "$BATS_TEST_TMPDIR/text")" = 'not a database' ]
	# usage
	run "$SHIPSHAPE" db pull
	[ "$status" -eq 2 ]
	run "$SHIPSHAPE" db push "oci://x/y" --db "$TWO"
	[ "$status" -eq 2 ]
}

@test "db pull: a blob altered in the registry fails its digest check; the local copy untouched" {
	"$SHIPSHAPE" db push -q "docker://$ANON_ADDR/vulndb/tamper:1" --db "$THREE"
	local layer hex data db=$BATS_TEST_TMPDIR/local.db
	layer=$(manifest vulndb/tamper 1 | jq -r '.layers[0].digest')
	hex=${layer#sha256:}
	data=$ANON_DATA/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data
	[ -f "$data" ]
	cp "$data" "$BATS_TEST_TMPDIR/saved"
	flip_byte "$data" 1000
	cp "$TWO" "$db"
	run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/vulndb/tamper:1" --db "$db"
	cp "$BATS_TEST_TMPDIR/saved" "$data"
	[ "$status" -eq 3 ]
	[[ "$output" == *"vulndb/tamper:1: layer $layer: digest mismatch"* ]]
	cmp "$db" "$TWO"
	refute ls "$BATS_TEST_TMPDIR"/local.db.pull
}

@test "db pull through a faulty proxy: flipped in transit, dropped and resumed, killed midway" {
	"$SHIPSHAPE" db push -q "docker://$ANON_ADDR/vulndb/proxy:1" --db "$THREE"
	local db=$BATS_TEST_TMPDIR/local.db pid i
	cp "$TWO" "$db"
	# a byte changed on the way: the digest check fails, the database stays
	proxy_start "$BATS_TEST_TMPDIR/flip" "$ANON_ADDR" --flip
	run "$SHIPSHAPE" db pull "docker://$PROXY_ADDR/vulndb/proxy:1" --db "$db"
	[ "$status" -eq 3 ]
	[[ "$output" == *"digest mismatch"* ]]
	cmp "$db" "$TWO"
	# a connection dropped after 1000 bytes: resumed with a Range request, then installed
	proxy_start "$BATS_TEST_TMPDIR/drop" "$ANON_ADDR" --drop 1000
	"$SHIPSHAPE" db pull -q "docker://$PROXY_ADDR/vulndb/proxy:1" --db "$db"
	cmp "$db" "$THREE"
	[ "$(proxy_count GET '/v2/vulndb/proxy/blobs/sha256:')" = 2 ]
	# a pull killed while the download stalls leaves the database as it was, and the next pull
	# (which clears what the killed one left) installs it
	cp "$TWO" "$db"
	proxy_start "$BATS_TEST_TMPDIR/drip" "$ANON_ADDR" --drip 60
	"$SHIPSHAPE" db pull -q "docker://$PROXY_ADDR/vulndb/proxy:1" --db "$db" 3>&- &
	pid=$!
	for i in $(seq 100); do
		[ -e "$db.pull" ] && break
		sleep 0.1
	done
	[ -e "$db.pull" ]
	kill -KILL "$pid"
	wait "$pid" || true
	cmp "$db" "$TWO"
	"$SHIPSHAPE" vuln --db "$db" -f json "$(sbom)" | jq -e '.vulnerabilities | length == 3'
	"$SHIPSHAPE" db pull -q "docker://$ANON_ADDR/vulndb/proxy:1" --db "$db"
	cmp "$db" "$THREE"
	[ ! -e "$db.pull" ]
}

@test "db pull: a zstd bomb (past the size limit) and another schema are refused" {
	"$SHIPSHAPE" db push -q "docker://$ANON_ADDR/vulndb/big:1" --db "$THREE"
	local db=$BATS_TEST_TMPDIR/local.db
	cp "$TWO" "$db"
	SHIPSHAPE_DB_MAX_BYTES=100000 run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/vulndb/big:1" --db "$db"
	[ "$status" -eq 3 ]
	[[ "$output" == *"decompresses to more than 100000 bytes"* ]]
	cmp "$db" "$TWO"
	# the same artifact said to be of another schema, its manifest written with curl
	manifest vulndb/big 1 | jq -c '.annotations."io.shipshape.vulndb.schema" = "99"' >"$BATS_TEST_TMPDIR/m.json"
	curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
		--data-binary @"$BATS_TEST_TMPDIR/m.json" "http://$ANON_ADDR/v2/vulndb/big/manifests/s99"
	run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/vulndb/big:s99" --db "$db"
	[ "$status" -eq 3 ]
	[[ "$output" == *"vulndb/big:s99: a database of schema version 99, this shipshape reads 6"* ]]
	cmp "$db" "$TWO"
	# and a manifest with a layer that is not the database's
	manifest vulndb/big 1 | jq -c '.layers[0].mediaType = "application/vnd.oci.image.layer.v1.tar+gzip"' \
		>"$BATS_TEST_TMPDIR/m.json"
	curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
		--data-binary @"$BATS_TEST_TMPDIR/m.json" "http://$ANON_ADDR/v2/vulndb/big/manifests/tar"
	run "$SHIPSHAPE" db pull "docker://$ANON_ADDR/vulndb/big:tar" --db "$db"
	[ "$status" -eq 3 ]
	[[ "$output" == *"not a shipshape vulnerability database (expected one layer of"* ]]
	cmp "$db" "$TWO"
}

@test "db pull: a vuln running meanwhile reads the old database or the new one" {
	"$SHIPSHAPE" db push -q "docker://$ANON_ADDR/vulndb/swap:two" --db "$TWO"
	"$SHIPSHAPE" db push -q "docker://$ANON_ADDR/vulndb/swap:three" --db "$THREE"
	local db=$BATS_TEST_TMPDIR/swap.db sb i pid
	sb=$(sbom)
	"$SHIPSHAPE" db pull -q "docker://$ANON_ADDR/vulndb/swap:two" --db "$db"
	# forced pulls, one artifact then the other, while vuln reads
	(
		for i in $(seq 8); do
			"$SHIPSHAPE" db pull -q --force "docker://$ANON_ADDR/vulndb/swap:three" --db "$db" || exit 1
			"$SHIPSHAPE" db pull -q --force "docker://$ANON_ADDR/vulndb/swap:two" --db "$db" || exit 1
		done
	) 3>&- &
	pid=$!
	for i in $(seq 20); do
		"$SHIPSHAPE" vuln --db "$db" -f json "$sb" >"$BATS_TEST_TMPDIR/out.json"
		jq -e '.vulnerabilities | length == 3' "$BATS_TEST_TMPDIR/out.json" >/dev/null
	done
	wait "$pid"
	cmp "$db" "$TWO"
	refute ls "$BATS_TEST_TMPDIR"/swap.db.pull
}

@test "vuln --db-repository: pulls when the artifact is newer, then matches" {
	"$SHIPSHAPE" db push -q "docker://$ANON_ADDR/vulndb/ci:latest" --db "$TWO"
	local db=$BATS_TEST_TMPDIR/ci.db sb
	sb=$(sbom)
	"$SHIPSHAPE" vuln --db "$db" --db-repository "docker://$ANON_ADDR/vulndb/ci" -f json "$sb" \
		>"$BATS_TEST_TMPDIR/out.json" 2>"$BATS_TEST_TMPDIR/err"
	grep -q "vulndb/ci: pulled sha256:.* into $db" "$BATS_TEST_TMPDIR/err"
	jq -e '.vulnerability_data.covered
		and ([.vulnerabilities[].id] | sort) == ["CVE-2019-10156", "CVE-2019-10206", "CVE-2019-10217"]' \
		"$BATS_TEST_TMPDIR/out.json"
	cmp "$db" "$TWO"
	# up to date: no blob fetched again
	local before
	before=$(requests GET '^/v2/vulndb/ci/blobs/')
	"$SHIPSHAPE" vuln --db "$db" --db-repository "docker://$ANON_ADDR/vulndb/ci" -f json "$sb" >"$BATS_TEST_TMPDIR/out.json"
	jq -e '.vulnerabilities | length == 3' "$BATS_TEST_TMPDIR/out.json"
	[ "$(requests GET '^/v2/vulndb/ci/blobs/')" = "$before" ]
	# the default database path ($SHIPSHAPE_DB) is pulled into as well
	SHIPSHAPE_DB=$BATS_TEST_TMPDIR/default.db "$SHIPSHAPE" vuln -q --db-repository "$ANON_ADDR/vulndb/ci" -f json "$sb" >/dev/null
	cmp "$BATS_TEST_TMPDIR/default.db" "$TWO"
	# image --vuln takes it too
	run "$SHIPSHAPE" image --no-cache --db "$BATS_TEST_TMPDIR/img.db" --db-repository "docker://$ANON_ADDR/vulndb/ci" \
		-f json --fail-on none "docker://$ANON_ADDR/img/app:v1"
	[ "$status" -eq 0 ]
	cmp "$BATS_TEST_TMPDIR/img.db" "$TWO"
	# a registry out of reach: a warning, and the local copy is used
	local dead
	dead=$(free_port)
	run "$SHIPSHAPE" vuln --db "$db" --db-repository "docker://127.0.0.1:$dead/vulndb/ci" -f json "$sb"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: "*"127.0.0.1:$dead"*"(matching with the local copy, $db)"* ]]
	# without a local copy it is an error
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/none.db" --db-repository "docker://127.0.0.1:$dead/vulndb/ci" "$sb"
	[ "$status" -eq 3 ]
	# not a database: the same warning, never a database replaced by an image
	run "$SHIPSHAPE" vuln --db "$db" --db-repository "docker://$ANON_ADDR/img/app:v1" -f json "$sb"
	[ "$status" -eq 0 ]
	[[ "$output" == *"not a shipshape vulnerability database"* ]]
	cmp "$db" "$TWO"
}

@test "db push and pull with htpasswd credentials" {
	registry_start "$BATS_TEST_TMPDIR/auth" htpasswd
	run "$SHIPSHAPE" db push "docker://$REG_ADDR/vulndb/auth:1" --db "$TWO"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$REG_ADDR/vulndb/auth:1"* ]]
	"$SHIPSHAPE" db push -q "docker://$REG_ADDR/vulndb/auth:1" --db "$TWO" --username "$REG_USER" --password "$REG_PASS"
	run "$SHIPSHAPE" db pull "docker://$REG_ADDR/vulndb/auth:1" --db "$BATS_TEST_TMPDIR/p.db"
	[ "$status" -eq 3 ]
	[ ! -e "$BATS_TEST_TMPDIR/p.db" ]
	"$SHIPSHAPE" db pull -q "docker://$REG_ADDR/vulndb/auth:1" --db "$BATS_TEST_TMPDIR/p.db" --username "$REG_USER" --password "$REG_PASS"
	cmp "$BATS_TEST_TMPDIR/p.db" "$TWO"
	# docker's config.json gives them too
	mkdir -p "$HOME/.docker"
	printf '{"auths":{"%s":{"auth":"%s"}}}' "$REG_ADDR" "$(printf '%s:%s' "$REG_USER" "$REG_PASS" | base64 -w0)" \
		>"$HOME/.docker/config.json"
	"$SHIPSHAPE" db pull -q --force "docker://$REG_ADDR/vulndb/auth:1" --db "$BATS_TEST_TMPDIR/q.db"
	cmp "$BATS_TEST_TMPDIR/q.db" "$TWO"
}

@test "db push and pull over HTTPS with token auth: the CA from SSL_CERT_FILE, or --insecure" {
	registry_start "$BATS_TEST_TMPDIR/tok" token tls
	local creds=(--username "$REG_USER" --password "$REG_PASS")
	# the registry's certificate is not trusted: exit 3 naming the reference
	run "$SHIPSHAPE" db push "docker://$REG_ADDR/vulndb/tls:1" --db "$TWO" "${creds[@]}"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$REG_ADDR/vulndb/tls:1"* ]]
	SSL_CERT_FILE=$REG_CA "$SHIPSHAPE" db push -q "docker://$REG_ADDR/vulndb/tls:1" --db "$TWO" "${creds[@]}"
	SSL_CERT_FILE=$REG_CA "$SHIPSHAPE" db pull -q "docker://$REG_ADDR/vulndb/tls:1" --db "$BATS_TEST_TMPDIR/a.db" "${creds[@]}"
	cmp "$BATS_TEST_TMPDIR/a.db" "$TWO"
	"$SHIPSHAPE" db pull -q --insecure "docker://$REG_ADDR/vulndb/tls:1" --db "$BATS_TEST_TMPDIR/b.db" "${creds[@]}"
	cmp "$BATS_TEST_TMPDIR/b.db" "$TWO"
	# the token server granted pushing and pulling to that repository
	grep -q "^grant basic $REG_USER repository:vulndb/tls:.*push" "$BATS_TEST_TMPDIR/tok/token-grants.log"
	grep -q "^grant basic $REG_USER repository:vulndb/tls:pull" "$BATS_TEST_TMPDIR/tok/token-grants.log"
}
