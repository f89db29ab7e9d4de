#!/usr/bin/env bats
# What the vulnerability data covers and how old it is: a whole feed covers a release or an
# ecosystem, single hand-made records only partly; data older than --max-db-age (or db:
# {max-age} in .shipshape.yaml) is stale: a warning, stale: true in the JSON, exit 1 only with
# --fail-on-stale-db. db info shows when each feed was fetched and how old its data is.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	unset SHIPSHAPE_MAX_DB_AGE # the suite's default turns staleness off; here it is checked
	W=$BATS_TEST_TMPDIR
	DB=$W/vuln.db
	cd "$W"
}

# an OSV record for Debian 12 or PyPI dated $2: osv_record ID DATE ECOSYSTEM PACKAGE FIXED
osv_record() {
	printf '{"id": "%s", "modified": "%s", "summary": "demo",
	 "affected": [{"package": {"ecosystem": "%s", "name": "%s"},
	   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "%s"}]}]}]}\n' "$@"
}

days_ago() { date -u -d "$1 days ago" +%Y-%m-%dT%H:%M:%SZ; }

# Alpine 3.11's main secdb from the corpus, its file dated AGE ('30 days ago'), imported; and an
# SBOM of one musl it lists: alpine_secdb AGE (skips without the corpus)
alpine_secdb() {
	[ -f "$CORPUS/vulndata/alpine-secdb-json/v3.11-main.json" ] || skip "corpus not found"
	cp "$CORPUS/vulndata/alpine-secdb-json/v3.11-main.json" "$W/main.json"
	touch -d "$1" "$W/main.json"
	"$SHIPSHAPE" db import --db "$DB" "$W/main.json" 2>/dev/null
	cat > "$W/a.cdx.json" <<-'EOF'
	{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
	  {"type": "library", "name": "musl", "version": "1.1.24-r2", "purl": "pkg:apk/alpine/musl@1.1.24-r2?arch=x86_64&distro=alpine-3.11.5"}]}
	EOF
}

# osv.dev's dump form of Debian 12's records, dated DAYS back: debian_zip DAYS OUT
debian_zip() {
	local d
	d=$(mktemp -d "$W/zip.XXXXXX")
	osv_record DSA-1000-1 "$(days_ago "$1")" Debian:12 demo 1.0-1 > "$d/DSA-1000-1.json"
	osv_record DSA-1001-1 "$(days_ago $(($1 + 3)))" Debian:12 other 2.0-1 > "$d/DSA-1001-1.json"
	(cd "$d" && zip -q "$2" ./*.json)
}

# an SBOM of a Debian 12 image with demo 1.0-2 (past every fix) and, with "pypi", requests
sbom() {
	local extra=""
	[ "${1:-}" = pypi ] &&
		extra=', {"type": "library", "name": "requests", "version": "2.31.0", "purl": "pkg:pypi/requests@2.31.0"}'
	cat > "$W/d.cdx.json" <<-EOF
	{"bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": {"component": {"type": "container", "name": "d"}},
	 "components": [
	  {"type": "library", "name": "demo", "version": "1.0-2", "purl": "pkg:deb/debian/demo@1.0-2?arch=amd64&distro=debian-12"}$extra]}
	EOF
}

@test "coverage: a whole feed (an OSV zip dump) covers the release: covered, not partial, said in one line" {
	debian_zip 2 "$W/debian.zip"
	"$SHIPSHAPE" db import --db "$DB" "$W/debian.zip" 2>/dev/null
	sbom
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" -f json "$W/d.cdx.json"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	echo "$output" | jq -e '.vulnerability_data | .os == "debian:12" and .covered and (.partial | not) and
		(.stale | not) and .max_age_days == 7 and .oldest.source == "osv:Debian"'
	echo "$output" | jq -e '.vulnerability_data.coverage == [.vulnerability_data.coverage[0]] and
		(.vulnerability_data.coverage[0] | .name == "debian:12" and .kind == "os" and .covered and
		(.partial | not) and .sources == ["osv:Debian"] and .age_days > 1.9 and .age_days < 2.1 and
		(.date | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")))'
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP3010")] == []'
	run "$SHIPSHAPE" vuln --db "$DB" "$W/d.cdx.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"vulnerability data: debian:12 from osv:Debian (2 days old)"* ]]
	[[ "$output" != *partial* ]]
}

@test "coverage: an Alpine secdb JSON is a whole feed for its release" {
	alpine_secdb '1 day ago'
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" -f json "$W/a.cdx.json"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.vulnerability_data | .os == "alpine:3.11" and .covered and (.partial | not) and
		(.stale | not) and .coverage[0].sources == ["alpine-secdb:v3.11/main"] and .coverage[0].age_days < 1.1'
}

@test "coverage: a single hand-made OSV record is partial, not covered; the line and SHP3010 say so" {
	osv_record DSA-2000-1 "$(days_ago 1)" Debian:12 demo 1.0-1 > "$W/one.json"
	osv_record PYSEC-1 "$(days_ago 1)" PyPI requests 2.0.0 > "$W/pypi.json"
	"$SHIPSHAPE" db import --db "$DB" "$W/one.json" "$W/pypi.json" 2>/dev/null
	sbom pypi
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" -f json "$W/d.cdx.json"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.vulnerability_data | .covered == false and .partial and
		([.coverage[] | {name, covered, partial, sources}] == [
		 {name: "debian:12", covered: false, partial: true, sources: ["osv:Debian"]},
		 {name: "pypi", covered: false, partial: true, sources: ["osv:PyPI"]}])'
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP3010") | .message] | sort == [
		"the vulnerability database has only partial data for debian:12 (1 record from single files, not a whole feed): the image is not known to be clean",
		"the vulnerability database has only partial data for pypi packages (1 record from single files, not a whole feed): they are not known to be clean (shipshape db import an OSV PyPI dump)"]'
	run "$SHIPSHAPE" vuln --db "$DB" "$W/d.cdx.json"
	[[ "$output" == *"vulnerability data: debian:12 from osv:Debian (partial: 1 record from single files, 1 day old); pypi from osv:PyPI (partial: 1 record from single files, 1 day old)"* ]]
	# a whole feed for Debian 12 imported after: covered, while PyPI stays partial
	debian_zip 0 "$W/debian.zip"
	"$SHIPSHAPE" db import --db "$DB" "$W/debian.zip" 2>/dev/null
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" -f json "$W/d.cdx.json"
	echo "$output" | jq -e '.vulnerability_data | .covered and (.partial | not) and
		[.coverage[] | .covered] == [true, false]'
}

@test "staleness: OSV records 30 days old warn and say stale: true, exit 0; --fail-on-stale-db exits 1" {
	debian_zip 30 "$W/debian.zip"
	"$SHIPSHAPE" db import --db "$DB" "$W/debian.zip" 2>/dev/null
	sbom
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" -f json "$W/d.cdx.json"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"warning: the vulnerability data is stale: osv:Debian (for debian:12) is 30 days old, more than --max-db-age allows (7 days)"* ]]
	echo "$output" | jq -e '.vulnerability_data | .stale and .max_age_days == 7 and .covered and
		.oldest.source == "osv:Debian" and .oldest.age_days > 29.9 and .oldest.age_days < 30.1'
	run "$SHIPSHAPE" vuln --db "$DB" "$W/d.cdx.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"vulnerability data: debian:12 from osv:Debian (30 days old); stale: older than 7 days"* ]]
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" --fail-on-stale-db -f json "$W/d.cdx.json"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"--fail-on-stale-db makes that a failure"* ]]
	echo "$output" | jq -e '.vulnerability_data.stale and .findings == []'
	# a longer limit: not stale, nothing said
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" --max-db-age 60d --fail-on-stale-db -f json "$W/d.cdx.json"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	echo "$output" | jq -e '.vulnerability_data | (.stale | not) and .max_age_days == 60'
	# 0: never stale
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" --max-db-age 0 --fail-on-stale-db -f json "$W/d.cdx.json"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.vulnerability_data | (.stale | not) and .max_age_days == null'
	# hours count too
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" --max-db-age 700h -f json "$W/d.cdx.json"
	echo "$output" | jq -e '.vulnerability_data.stale'
	# -q silences the warning, not the report
	run --separate-stderr "$SHIPSHAPE" vuln -q --db "$DB" -f json "$W/d.cdx.json"
	[ -z "$stderr" ]
	echo "$output" | jq -e '.vulnerability_data.stale'
	# a span that is none
	for bad in 7 7x -1d d ''; do
		run "$SHIPSHAPE" vuln --db "$DB" --max-db-age "$bad" "$W/d.cdx.json"
		[ "$status" -eq 2 ]
		[[ "$output" == *"--max-db-age \"$bad\": expected a span of time such as 7d or 36h"* ]]
	done
}

@test "staleness: an Alpine secdb file 30 days old (its mtime) is stale; image --vuln says it too" {
	alpine_secdb '30 days ago'
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" -f json "$W/a.cdx.json"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"stale: alpine-secdb:v3.11/main (for alpine:3.11) is 30 days old"* ]]
	echo "$output" | jq -e '.vulnerability_data | .stale and .covered and .oldest.age_days > 29.9'
	run "$SHIPSHAPE" vuln --db "$DB" --fail-on-stale-db "$W/a.cdx.json"
	[ "$status" -eq 1 ]
	# image --vuln: an image of that release, the same options
	mkdir -p "$W/root/etc" "$W/root/lib/apk/db"
	echo 3.11.5 > "$W/root/etc/alpine-release"
	printf 'P:musl\nV:1.1.24-r2\nA:x86_64\no:musl\n\n' > "$W/root/lib/apk/db/installed"
	run --separate-stderr "$SHIPSHAPE" image --db "$DB" --fail-on none -f json "$W/root"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"stale: alpine-secdb:v3.11/main"* ]]
	echo "$output" | jq -e '.vulnerability_data | .stale and .covered'
	run "$SHIPSHAPE" image --db "$DB" --fail-on none --fail-on-stale-db "$W/root"
	[ "$status" -eq 1 ]
	[[ "$output" == *"  vulnerability data: alpine:3.11 from alpine-secdb:v3.11/main (30 days old); stale: older than 7 days"* ]]
	run "$SHIPSHAPE" image --db "$DB" --fail-on none --max-db-age 60d --fail-on-stale-db "$W/root"
	[ "$status" -eq 0 ]
}

@test "staleness: db: {max-age} in .shipshape.yaml, under --max-db-age and \$SHIPSHAPE_MAX_DB_AGE" {
	debian_zip 30 "$W/debian.zip"
	"$SHIPSHAPE" db import --db "$DB" "$W/debian.zip" 2>/dev/null
	sbom
	printf 'db:\n  max-age: 60d\n' > .shipshape.yaml
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" --fail-on-stale-db -f json "$W/d.cdx.json"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.vulnerability_data | (.stale | not) and .max_age_days == 60'
	printf 'db:\n  max-age: 10d\n' > "$W/c.yaml"
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" --config "$W/c.yaml" --fail-on-stale-db -f json "$W/d.cdx.json"
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '.vulnerability_data | .stale and .max_age_days == 10'
	# the flag wins over the file, the environment too
	run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" --config "$W/c.yaml" --max-db-age 0 --fail-on-stale-db "$W/d.cdx.json"
	[ "$status" -eq 0 ]
	SHIPSHAPE_MAX_DB_AGE=90d run --separate-stderr "$SHIPSHAPE" vuln --db "$DB" --config "$W/c.yaml" --fail-on-stale-db "$W/d.cdx.json"
	[ "$status" -eq 0 ]
	# a bad value is named with its place
	printf 'db:\n  max-age: soon\n' > "$W/bad.yaml"
	run "$SHIPSHAPE" vuln --db "$DB" --config "$W/bad.yaml" "$W/d.cdx.json"
	[ "$status" -ne 0 ]
	[[ "$output" == *"bad.yaml:2: db: max-age: expected a span of time such as 7d or 36h"* ]]
	printf 'db: 7d\n' > "$W/bad.yaml"
	run "$SHIPSHAPE" vuln --db "$DB" --config "$W/bad.yaml" "$W/d.cdx.json"
	[[ "$output" == *"bad.yaml:1: db: expected a mapping"* ]]
	# beside the sources db update reads
	printf 'db:\n  max-age: 60d\n  sources: {osv-npm: false}\n' > "$W/more.yaml"
	run "$SHIPSHAPE" vuln --db "$DB" --config "$W/more.yaml" --fail-on-stale-db "$W/d.cdx.json"
	[ "$status" -eq 0 ]
}

@test "db info: the fetch time and the data's age apart, whole or partial, and each feed" {
	debian_zip 30 "$W/debian.zip"
	osv_record PYSEC-1 "$(days_ago 3)" PyPI requests 2.0.0 > "$W/pypi.json"
	"$SHIPSHAPE" db import --db "$DB" "$W/debian.zip" "$W/pypi.json" 2>/dev/null
	run "$SHIPSHAPE" db info --db "$DB" --format json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e --arg zip "$W/debian.zip" '.sources[] | select(.name == "osv:Debian") |
		.feed == $zip and .complete and .fetched_age_days < 0.1 and .age_days > 29.9 and .age_days < 30.1 and
		.vulns == 2 and .affected == 2 and .distros == "debian:12" and (.data_date | endswith("Z")) and
		(.fetched | endswith("Z"))'
	echo "$output" | jq -e '.sources[] | select(.name == "osv:PyPI") | (.complete | not) and .age_days > 2.9'
	echo "$output" | jq -e --arg zip "$W/debian.zip" '.feeds[] | select(.name == $zip) |
		.sources == ["osv:Debian"] and (.sha256 == null) and .url == null and (.fetched | endswith("Z"))'
	echo "$output" | jq -e '.totals == {sources: 2, vulns: 3, affected: 3}'
	run "$SHIPSHAPE" db info --db "$DB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"  source                       kind             vulns  affected  fetched   data age  data      feed distros"* ]]
	[[ "$output" == *"  osv:Debian                   osv                  2         2  0 min ago 30 d      complete  1    debian:12"* ]]
	[[ "$output" == *"  osv:PyPI                     osv                  1         1  0 min ago 3 d       partial   2    pypi"* ]]
	[[ "$output" == *"  1    $W/debian.zip"* ]]
	[[ "$output" == *"       fetched 20"*"Z"* ]]
	[[ "$output" == *"2 sources, 3 vulnerabilities, 3 affected-package rows"* ]]
}
