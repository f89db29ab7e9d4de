#!/usr/bin/env bats
# shipshape db update, db fetch and db sources against a mirror tree served on 127.0.0.1 by
# tests/tools/feed-server.py: every default source imported, a second run all 304s, each
# failure mode (500, 429, a truncated body, an HTML page, a slow drip) leaving the database
# byte for byte as it was, --keep-going, --only, fetch --to then update --from without a
# server, SIGKILL at random moments, two updaters at once, a vuln during an update. Tiny feeds
# are written by tests/tools/feed-tree.py; the corpus's feeds are served too when ../shared
# is there.

load helpers
. "$BATS_TEST_DIRNAME/registry.bash"

TOOLS="$ROOT/tests/tools"

setup() {
	command -v python3 >/dev/null || skip "python3 not installed (make deps)"
	command -v sqlite3 >/dev/null || skip "sqlite3 not installed (make deps)"
	D=$BATS_TEST_TMPDIR
	DB=$D/vuln.db
	# a failure is given up after one retry
	export SHIPSHAPE_HTTP_ATTEMPTS=2
	cd "$D" # no .shipshape.yaml but the test's own
}

teardown() {
	harness_stop "$BATS_TEST_TMPDIR"
}

# tree TAG [NAME...]: tiny feeds for the sources (all, or those named) under $D/root
tree() {
	local tag=$1
	shift
	"$SHIPSHAPE" db sources --format json | python3 "$TOOLS/feed-tree.py" "$D/root" --tag "$tag" ${1:+--only "$@"}
}

# serve: feed-server.py over $D/root; sets MIRROR. Faults go in $D/faults, requests in $D/requests.log.
serve() {
	local pid
	rm -f "$D/port"
	harness_spawn "$D" feed python3 "$TOOLS/feed-server.py" --root "$D/root" --port-file "$D/port" \
		--log "$D/requests.log" --faults "$D/faults"
	pid=$(tail -n1 "$D/pids")
	wait_file "$D/port" "$pid" || { cat "$D/feed.log" >&2; return 1; }
	MIRROR=http://127.0.0.1:$(cat "$D/port")
}

update() { run "$SHIPSHAPE" db update --db "$DB" --mirror "$MIRROR" "$@"; }

nsources() { "$SHIPSHAPE" db sources --format json | jq '.sources | length'; }

# the requests of the feeds (an rpm-md source asks three things: mirror list, repomd.xml, errata)
nrequests() { "$SHIPSHAPE" db sources --format json | jq '[.sources[] | if .kind == "rpm-md" then 3 else 1 end] | add'; }

feed_sha() { sqlite3 "$1" "SELECT sha256 FROM feeds WHERE name = '$2'"; }

TRACKER=/security-tracker.debian.org/tracker/data/json

@test "db sources: the defaults, each with a URL and what it covers; json" {
	run "$SHIPSHAPE" db sources
	[ "$status" -eq 0 ]
	[[ "$output" == *"osv-debian"*"https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip"* ]]
	[[ "$output" == *"https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip"* ]]
	[[ "$output" == *"alpine-secdb-3.21-community"*"https://secdb.alpinelinux.org/v3.21/community.json"* ]]
	[[ "$output" == *"debian-tracker"*"https://security-tracker.debian.org/tracker/data/json"* ]]
	run "$SHIPSHAPE" db sources --format json
	[ "$status" -eq 0 ]
	# every ecosystem the matcher reads has its dump
	for eco in Debian Ubuntu Alpine "Red Hat" "Rocky Linux" AlmaLinux SUSE openSUSE Wolfi Chainguard \
		"Photon OS" npm PyPI Go Maven RubyGems Packagist NuGet crates.io; do
		echo "$output" | jq -e --arg e "$(jq -rn --arg e "$eco" '$e | @uri')" \
			'[.sources[] | select(.kind == "osv" and (.url | endswith("/" + $e + "/all.zip")))] | length == 1' >/dev/null
	done
	[ "$(echo "$output" | jq '[.sources[] | select(.kind == "alpine-secdb")] | length')" -ge 6 ]
	[ "$(echo "$output" | jq -r '.sources[] | select(.name == "amazon-linux-2023") | "\(.kind) \(.distro) \(.mirror_list)"')" = "rpm-md amzn:2023 true" ]
}

@test "db sources: .shipshape.yaml drops, re-points and adds sources; a wrong entry names its line" {
	cat >.shipshape.yaml <<-'EOF'
		db:
		  sources:
		    osv-npm: false
		    debian-tracker: {url: "https://tracker.example/data.json"}
		    rocky-9-baseos:
		      kind: rpm-md
		      url: https://dl.example/rocky/9/BaseOS/x86_64/os/
		      distro: "rocky:9"
		      covers: Rocky 9 errata
	EOF
	run "$SHIPSHAPE" db sources --format json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq '[.sources[] | select(.name == "osv-npm")] | length')" -eq 0 ]
	[ "$(echo "$output" | jq -r '.sources[] | select(.name == "debian-tracker") | "\(.url) \(.configured)"')" = "https://tracker.example/data.json .shipshape.yaml:4" ]
	[ "$(echo "$output" | jq -r '.sources[-1] | "\(.name) \(.kind) \(.distro) \(.covers)"')" = "rocky-9-baseos rpm-md rocky:9 Rocky 9 errata" ]
	printf 'db:\n  sources:\n    mine: {kind: nope, url: "https://x.example/a.json"}\n' >.shipshape.yaml
	run "$SHIPSHAPE" db sources
	[ "$status" -eq 3 ]
	[[ "$output" == *".shipshape.yaml:3: db: sources: mine: kind \"nope\""* ]]
	printf 'db:\n  sources:\n    mine: {kind: osv}\n' >.shipshape.yaml
	run "$SHIPSHAPE" db sources
	[ "$status" -eq 3 ]
	[[ "$output" == *".shipshape.yaml:3: db: sources: mine: a new source needs a url"* ]]
	run "$SHIPSHAPE" db update --only nosuch
	[ "$status" -eq 3 ] # the configuration is read before anything else
	rm .shipshape.yaml
	run "$SHIPSHAPE" db update --db "$DB" --only nosuch
	[ "$status" -eq 2 ]
	[[ "$output" == *"--only nosuch: no such source"* ]]
	refute test -e "$DB"
}

@test "db update --mirror: every default source is imported; the second run is one 304 each, no import" {
	tree 1
	serve
	update
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"db update: $(nsources) imported, 0 unchanged"* ]]
	[ "$(grep -c ' 200$' requests.log)" -eq "$(nrequests)" ]
	run "$SHIPSHAPE" db info --db "$DB" --format json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.sources[].name] | index("osv:Debian") and index("alpine-secdb:v3.21/community") and index("debian-tracker:bookworm") and index("rpm-md:amzn:2023") and index("rpm-md:amzn:2")' >/dev/null
	[ "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM feeds')" -eq "$(nsources)" ]
	[ "$(sqlite3 "$DB" "SELECT url FROM feeds WHERE name = 'osv-red-hat'")" = "https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip" ]
	[ "$(sqlite3 "$DB" "SELECT length(sha256) FROM feeds WHERE name = 'osv-debian'")" -eq 64 ]
	imported=$(sqlite3 "$DB" 'SELECT group_concat(imported) FROM sources')
	fetched=$(sqlite3 "$DB" 'SELECT group_concat(fetched) FROM feeds')
	cp "$DB" before.db
	inode=$(stat -c %i "$DB")
	touch -d '2020-01-02 03:04:05 UTC' "$DB"
	: >requests.log
	update
	[ "$status" -eq 0 ]
	[[ "$output" == *"db update: 0 imported, $(nsources) unchanged"* ]]
	[[ "$output" == *"osv-debian: unchanged since the last download"* ]]
	# nothing copied or rewritten: the same file, byte for byte; the check is its mtime
	cmp "$DB" before.db
	[ "$(stat -c %i "$DB")" = "$inode" ]
	refute test -e "$DB.import"
	[ "$(stat -c %Y "$DB")" -gt "$(date -d '2020-01-03' +%s)" ]
	[ "$(sqlite3 "$DB" 'SELECT group_concat(fetched) FROM feeds')" = "$fetched" ]
	run "$SHIPSHAPE" db info --db "$DB" --format json
	[ "$status" -eq 0 ]
	[[ "$(echo "$output" | jq -r .checked)" != 2020-* ]]
	echo "$output" | jq -e '.checked | endswith("Z")' >/dev/null
	run "$SHIPSHAPE" db info --db "$DB"
	[[ "${lines[0]}" == "$DB (checked 20"*"Z)" ]]
	# one conditional request per feed, each a 304 (an rpm-md source's index files are asked again)
	[ "$(grep -c " $TRACKER 304$" requests.log)" -eq 1 ]
	[ "$(grep -c '/all.zip 304$' requests.log)" -eq "$("$SHIPSHAPE" db sources --format json | jq '[.sources[] | select(.kind == "osv")] | length')" ]
	[ "$(grep -vc ' 304$' requests.log || true)" -eq "$(($(nrequests) - $(nsources)))" ]
	[ "$(sqlite3 "$DB" 'SELECT group_concat(imported) FROM sources')" = "$imported" ]
}

# broken MODE WORDS: the tracker's feed answers with fault MODE after a first good update and
# new feeds everywhere: the update fails naming the source, the URL and WORDS, and the
# database is byte for byte the one before.
broken() {
	tree 1
	serve
	update
	[ "$status" -eq 0 ]
	tree 2
	cp "$DB" before.db
	echo "$TRACKER $1" >faults
	update
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"debian-tracker: "*"$TRACKER"*"$2"* ]]
	[[ "$output" == *"nothing was committed"* ]]
	cmp "$DB" before.db
	sqlite3 "$DB" 'PRAGMA integrity_check' | grep -qx ok
	refute test -e "$DB.import"
	refute test -e "$DB.fetch"
}

@test "db update: a database of another schema is made again in its place, every source fetched" {
	tree t1 osv-npm alpine-secdb-3.21-main
	serve
	# what an older shipshape left: its own tables, its schema version, the user's mode
	sqlite3 "$DB" "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES('schema', '4');
		CREATE TABLE feeds(name TEXT PRIMARY KEY, url TEXT, etag TEXT); INSERT INTO feeds VALUES('osv-npm', '$MIRROR', 'x')"
	chmod 640 "$DB"
	run "$SHIPSHAPE" db info --db "$DB"
	[ "$status" -eq 3 ]
	[[ "$output" == *"vuln.db: schema version 4, this shipshape reads 6 (db update makes a new one in its place"* ]]
	update --only osv-npm,alpine-secdb-3.21-main
	[ "$status" -eq 0 ]
	[[ "$output" == *"vuln.db: a database of another shipshape's schema: db update makes one of schema 6 in its place, fetching every source"* ]]
	[[ "$output" == *"db update: 2 imported, 0 unchanged"* ]]
	[ "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'schema'")" = 6 ]
	[ "$(stat -c %a "$DB")" = 640 ]
	run "$SHIPSHAPE" db info --db "$DB" --format json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.sources[].name] == ["alpine-secdb:v3.21/main", "osv:npm"]'
	# and it is an ordinary database now: the next update is all 304s
	update --only osv-npm,alpine-secdb-3.21-main
	[ "$status" -eq 0 ]
	[[ "$output" == *"db update: 0 imported, 2 unchanged"* ]]
}

@test "db update: a 500 every time fails the update; the database is as it was" {
	broken 500 "the server answered 500 every time it was asked"
	[ "$(grep -c " $TRACKER 500$" requests.log)" -eq 2 ] # tried, and tried again once
}

@test "db update: a truncated body fails the update; the database is as it was" {
	broken truncate "the download broke after"
}

@test "db update: an HTML page instead of the feed fails the update; the database is as it was" {
	broken html "an HTML page (text/html"
}

@test "db update: an HTML page sent as JSON fails the update; the database is as it was" {
	broken html-body "an HTML page, not the Debian security tracker's JSON"
}

@test "db update: a slow drip is given up after the stall bound; the database is as it was" {
	export SHIPSHAPE_HTTP_STALL_SECONDS=1 # a stalled transfer is given up after a second
	broken drip "the download broke after"
}

@test "db update: a body over the size limit fails, saying the limit" {
	tree 1
	serve
	SHIPSHAPE_FEED_MAX_BYTES=100 run "$SHIPSHAPE" db update --db "$DB" --mirror "$MIRROR" --only osv-debian
	[ "$status" -eq 3 ]
	[[ "$output" == *"osv-debian: "*"/Debian/all.zip: "*"more than a feed may have (100"*"SHP_FEED_MAX_DOWNLOAD"* ]]
	refute test -e "$DB"
}

@test "db update: a feed over the records limit fails, naming it and the limit; nothing is committed" {
	tree 1
	# two records
	cat >"$D/root/$TRACKER" <<-'EOF'
		{"zlib": {"CVE-2022-37434": {"description": "a", "releases": {"bookworm": {"status": "open", "urgency": "high"}}},
		          "CVE-2023-45853": {"description": "b", "releases": {"bookworm": {"status": "open", "urgency": "low"}}}}}
	EOF
	serve
	update --only osv-debian
	[ "$status" -eq 0 ]
	cp "$DB" before.db
	SHIPSHAPE_FEED_MAX_RECORDS=1 run "$SHIPSHAPE" db update --db "$DB" --mirror "$MIRROR" --only debian-tracker
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"debian-tracker: "*"$TRACKER"*"more than 1 vulnerability records, more than a feed may have (SHP_FEED_MAX_RECORDS)"* ]]
	cmp "$DB" before.db
	refute test -e "$DB.import"
	# the variable only lowers the limit
	SHIPSHAPE_FEED_MAX_RECORDS=99999999999 run "$SHIPSHAPE" db update --db "$DB" --mirror "$MIRROR" --only debian-tracker
	[ "$status" -eq 0 ]
	[[ "$output" == *"db update: 1 imported"* ]]
}

@test "db update: 429 with Retry-After is waited out, then the feed is imported" {
	tree 1
	serve
	echo "$TRACKER 429:1" >faults
	update --only debian-tracker
	[ "$status" -eq 0 ]
	[ "$(grep " $TRACKER " requests.log | awk '{print $3}' | paste -sd,)" = "429,200" ]
	[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM sources WHERE name = 'debian-tracker:bookworm'")" -eq 1 ]
}

@test "db update --keep-going: the failing source keeps its data, the others are committed (exit 0)" {
	tree 1
	serve
	update
	[ "$status" -eq 0 ]
	cp "$DB" before.db
	tree 2
	echo "$TRACKER 500" >faults
	update --keep-going
	[ "$status" -eq 0 ]
	[[ "$output" == *"debian-tracker: "*"$TRACKER"*"500"* ]]
	[[ "$output" == *"warning: db update: debian-tracker failed and kept its previous data"* ]]
	[ "$(feed_sha "$DB" debian-tracker)" = "$(feed_sha before.db debian-tracker)" ]
	[ "$(feed_sha "$DB" osv-debian)" != "$(feed_sha before.db osv-debian)" ]
	[ "$(sqlite3 "$DB" "SELECT fixed FROM affected_packages WHERE package = 'zlib' AND distro = 'debian:12' AND fixed LIKE '1:%'")" = "1:1.2.13.dfsg-1" ]
	[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM vulns WHERE id = 'TEST-Debian_12-2'")" -eq 1 ]
}

@test "db update: requests go through the proxy the environment names" {
	mkdir -p root/feeds.example/v3.21
	printf '{"distroversion": "v3.21", "reponame": "main", "packages": [{"pkg": {"name": "zlib", "secfixes": {"1.3-r1": ["CVE-2022-37434"]}}}]}' \
		>root/feeds.example/v3.21/main.json
	printf 'db:\n  sources:\n    proxied: {kind: alpine-secdb, url: "http://feeds.example/v3.21/main.json"}\n' >.shipshape.yaml
	serve
	http_proxy=$MIRROR no_proxy= NO_PROXY= run "$SHIPSHAPE" db update --db "$DB" --only proxied
	[ "$status" -eq 0 ]
	grep -qx 'GET http://feeds.example/v3.21/main.json 200' requests.log
	[ "$(sqlite3 "$DB" "SELECT feed FROM sources WHERE name = 'alpine-secdb:v3.21/main'")" = proxied ]
}

@test "db update --only: those sources only, patterns too; other sources' data stays" {
	tree 1
	serve
	update --only debian-tracker
	[ "$status" -eq 0 ]
	[ "$(wc -l <requests.log)" -eq 1 ]
	grep -q " $TRACKER 200$" requests.log
	: >requests.log
	update --only 'alpine-secdb-*-main,osv-debian'
	[ "$status" -eq 0 ]
	[ "$(wc -l <requests.log)" -eq "$("$SHIPSHAPE" db sources --format json | jq '[.sources[] | select(.name | test("^alpine-secdb-.*-main$"))] | length + 1')" ]
	[ "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM feeds')" -eq "$(($(wc -l <requests.log) + 1))" ]
}

@test "db fetch --to DIR, then db update --from DIR with no server: the same database" {
	tree 1
	serve
	run "$SHIPSHAPE" db fetch --to "$D/carry" --mirror "$MIRROR"
	[ "$status" -eq 0 ]
	[ -s "$D/carry/osv-vulnerabilities.storage.googleapis.com/Red Hat/all.zip" ]
	[ -s "$D/carry/security-tracker.debian.org/tracker/data/json" ]
	cmp "$D/carry/secdb.alpinelinux.org/v3.21/main.json" "$D/root/secdb.alpinelinux.org/v3.21/main.json"
	refute test -e "$DB"
	# again: If-Modified-Since the copy's date, nothing written
	: >requests.log
	run "$SHIPSHAPE" db fetch --to "$D/carry" --mirror "$MIRROR"
	[ "$status" -eq 0 ]
	[ "$(grep -c ' 304$' requests.log)" -eq "$(nrequests)" ]
	update --db "$D/online.db"
	[ "$status" -eq 0 ]
	harness_stop "$D"
	run "$SHIPSHAPE" db update --db "$DB" --from "$D/carry"
	[ "$status" -eq 0 ]
	[[ "$output" == *"db update: $(nsources) imported, 0 unchanged"* ]]
	q='SELECT name, vulns, (SELECT SUM(affected) FROM source_distros WHERE source = sources.id), feed, complete FROM sources ORDER BY name'
	[ "$(sqlite3 "$DB" "$q")" = "$(sqlite3 "$D/online.db" "$q")" ]
	q='SELECT name, url, sha256, bytes FROM feeds ORDER BY name'
	[ "$(sqlite3 "$DB" "$q")" = "$(sqlite3 "$D/online.db" "$q")" ]
	# the same files again: told by their sha256, nothing imported, the file not replaced
	inode=$(stat -c %i "$DB")
	cp "$DB" before.db
	run "$SHIPSHAPE" db update --db "$DB" --from "$D/carry"
	[ "$status" -eq 0 ]
	[[ "$output" == *"db update: 0 imported, $(nsources) unchanged"* ]]
	cmp "$DB" before.db
	[ "$(stat -c %i "$DB")" = "$inode" ]
	run "$SHIPSHAPE" db update --db "$DB" --from "$D/nowhere" --only osv-go
	[ "$status" -eq 3 ]
	[[ "$output" == *"osv-go: $D/nowhere/osv-vulnerabilities.storage.googleapis.com/Go/all.zip: No such file"* ]]
}

@test "db update: SIGKILL at random moments, 10 times, never leaves a broken or missing database" {
	tree 1
	serve
	update
	[ "$status" -eq 0 ]
	# some answers come late, so that kills land in downloads as well as imports and commits
	printf '%s slow:0.3\n' "/osv-vulnerabilities.storage.googleapis.com/Debian/all.zip" "$TRACKER" >faults
	for i in $(seq 10); do
		tree "k$i"
		"$SHIPSHAPE" db update --db "$DB" --mirror "$MIRROR" -q 3>&- &
		pid=$!
		sleep "$(python3 -c 'import random; print(round(random.uniform(0, 1.5), 2))')"
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" || true
		[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ]
		"$SHIPSHAPE" db info --db "$DB" >/dev/null
	done
	: >faults
	update
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM vulns WHERE id = 'TEST-Debian_12-k10'")" -eq 1 ]
	refute test -e "$DB.import"
	refute test -e "$DB.fetch"
}

@test "db update: two updaters at once take turns; the second finds everything current" {
	tree 1
	serve
	echo "/osv-vulnerabilities.storage.googleapis.com/Debian/all.zip slow:1" >faults
	"$SHIPSHAPE" db update --db "$DB" --mirror "$MIRROR" >a.out 2>&1 3>&- &
	a=$!
	"$SHIPSHAPE" db update --db "$DB" --mirror "$MIRROR" >b.out 2>&1 3>&- &
	b=$!
	ra=0 rb=0
	wait "$a" || ra=$?
	wait "$b" || rb=$?
	cat a.out b.out
	[ "$ra" -eq 0 ] && [ "$rb" -eq 0 ]
	[ "$(cat a.out b.out | grep -c "db update: $(nsources) imported, 0 unchanged")" -eq 1 ]
	[ "$(cat a.out b.out | grep -c "db update: 0 imported, $(nsources) unchanged")" -eq 1 ]
	[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ]
}

@test "db update: a vuln during an update reads the database before it, undisturbed" {
	tree 1
	serve
	update
	[ "$status" -eq 0 ]
	mkdir -p rootfs/etc rootfs/var/lib/dpkg
	printf 'ID=debian\nVERSION_ID="12"\n' >rootfs/etc/os-release
	printf 'Package: zlib1g\nStatus: install ok installed\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\n\n' >rootfs/var/lib/dpkg/status
	tree 2
	echo "/osv-vulnerabilities.storage.googleapis.com/Debian/all.zip slow:3" >faults
	"$SHIPSHAPE" db update --db "$DB" --mirror "$MIRROR" >upd.out 2>&1 3>&- &
	pid=$!
	sleep 1
	run "$SHIPSHAPE" vuln --db "$DB" --fail-on medium --format json rootfs
	echo "$output"
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '[.vulnerabilities[].id] | index("TEST-Debian_12-1")' >/dev/null
	kill -0 "$pid" # the update was still running
	wait "$pid"
	run "$SHIPSHAPE" vuln --db "$DB" --fail-on medium --format json rootfs
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '[.vulnerabilities[].id] | index("TEST-Debian_12-2") and (index("TEST-Debian_12-1") | not)' >/dev/null
}

@test "db update: the corpus's feeds from a mirror give what db import gives of the same files" {
	V="$CORPUS/vulndata"
	[ -d "$V" ] || skip "corpus not found (../shared)"
	command -v zip >/dev/null || skip "zip not installed (make deps)"
	O=$V/osv/osv.dev
	mkdir -p root/osv-vulnerabilities.storage.googleapis.com/{Debian,Ubuntu} root/secdb.alpinelinux.org/v3.11 \
		root/security-tracker.debian.org/tracker/data
	# osv.dev zips its dumps: a zip of the records, per ecosystem
	zip -qj root/osv-vulnerabilities.storage.googleapis.com/Debian/all.zip "$O"/gcp/workers/oss_fuzz_worker/testdata/DSA-*.json
	zip -qj root/osv-vulnerabilities.storage.googleapis.com/Ubuntu/all.zip "$O"/gcp/website/testdata/osv/UBUNTU-*.json
	cp "$V/alpine-secdb-json/v3.11-main.json" root/secdb.alpinelinux.org/v3.11/main.json
	cp "$O/vulnfeeds/test_data/debian/debian_security_tracker_mock.json" root/security-tracker.debian.org/tracker/data/json
	printf 'db:\n  sources:\n    alpine-secdb-3.11-main: {kind: alpine-secdb, url: "https://secdb.alpinelinux.org/v3.11/main.json"}\n' >.shipshape.yaml
	serve
	update --only osv-debian,osv-ubuntu,alpine-secdb-3.11-main,debian-tracker
	echo "$output"
	[ "$status" -eq 0 ]
	run "$SHIPSHAPE" db import --db "$D/imported.db" root/osv-vulnerabilities.storage.googleapis.com/Debian/all.zip \
		root/osv-vulnerabilities.storage.googleapis.com/Ubuntu/all.zip root/secdb.alpinelinux.org/v3.11/main.json \
		root/security-tracker.debian.org/tracker/data/json
	[ "$status" -eq 0 ]
	q='SELECT name, vulns, (SELECT SUM(affected) FROM source_distros WHERE source = sources.id), complete FROM sources ORDER BY name'
	[ "$(sqlite3 "$DB" "$q")" = "$(sqlite3 "$D/imported.db" "$q")" ]
	[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM sources WHERE name = 'alpine-secdb:v3.11/main' AND feed = 'alpine-secdb-3.11-main' AND complete = 1")" -eq 1 ]
	[ "$(sqlite3 "$DB" 'SELECT SUM(vulns) FROM sources')" -gt 1000 ]
}
