#!/usr/bin/env bats
# shipshape db and vuln: importing the corpus feeds (Alpine secdb, OSV, the Debian tracker's
# JSON), transactional imports, matching by distro and release (cross-release cases that must
# and must not match), OSV records written here, trivy's detector fixtures, SBOM input.

load helpers
. "$BATS_TEST_DIRNAME/../images/lib.sh"
. "$BATS_TEST_DIRNAME/lang-image.bash"
. "$BATS_TEST_DIRNAME/go-program.bash"
. "$BATS_TEST_DIRNAME/java-archive.bash"

V="$CORPUS/vulndata"
DB() { echo "$BATS_TEST_TMPDIR/vuln.db"; }

# an image with an apk database on the given Alpine release: alpine_img RELEASE OUT PKG=VER[:ORIGIN]...
alpine_img() {
	local rel=$1 out=$2
	shift 2
	{
		echo "new_layer 'ADD rootfs /'"
		echo "mkdir -p \"\$L/etc\" \"\$L/lib/apk/db\""
		echo "echo $rel > \"\$L/etc/alpine-release\""
		for p in "$@"; do
			local nv=${p%%:*} origin=${p#*:}
			[ "$origin" = "$p" ] && origin=${nv%%=*}
			echo "printf 'P:%s\nV:%s\nA:x86_64\no:%s\n\n' '${nv%%=*}' '${nv#*=}' '$origin' >> \"\$L/lib/apk/db/installed\""
		done
	} > "$BATS_TEST_TMPDIR/case.sh"
	build_image "$BATS_TEST_TMPDIR/case.sh" "$out"
}

# a Debian image: deb_img VERSION_ID OUT NAME=VER[:SOURCE]...
deb_img() {
	local rel=$1 out=$2
	shift 2
	{
		echo "new_layer 'ADD rootfs /'"
		echo "mkdir -p \"\$L/etc\" \"\$L/var/lib/dpkg\""
		echo "printf 'ID=debian\nVERSION_ID=\"$rel\"\n' > \"\$L/etc/os-release\""
		for p in "$@"; do
			local nv=${p%%:*} src=${p#*:}
			[ "$src" = "$p" ] && src=${nv%%=*}
			echo "printf 'Package: %s\nStatus: install ok installed\nSource: %s\nVersion: %s\nArchitecture: amd64\n\n' '${nv%%=*}' '$src' '${nv#*=}' >> \"\$L/var/lib/dpkg/status\""
		done
	} > "$BATS_TEST_TMPDIR/case.sh"
	build_image "$BATS_TEST_TMPDIR/case.sh" "$out"
}

# osv.dev's dump form (a zip: a whole feed, which covers what it is about) of a directory or
# file of OSV records: dump PATH, prints the zip's path
dump() {
	local d=$1
	[ -d "$d" ] || d=$(dirname "$1")
	(cd "$d" && zip -q -r "$1.zip" "$([ -d "$1" ] && echo . || basename "$1")") && echo "$1.zip"
}

vulns() { jq -r '.vulnerabilities[] | "\(.id) \(.package) \(.state) \(.fixed_version // "-") \(.severity)"' | sort; }

@test "db: imports the corpus feeds; info lists each source; importing again replaces" {
	[ -d "$V" ] || skip "corpus not found"
	run "$SHIPSHAPE" db import --db "$(DB)" "$V/alpine-secdb-json" "$V/osv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"alpine-secdb-json: 18 files, 2577 vulnerabilities, 12850 affected packages"* ]]
	[[ "$output" != *"replaces"* ]]
	run "$SHIPSHAPE" db info --db "$(DB)" --format json
	[ "$status" -eq 0 ]
	# a source per release and repository of the secdb, per ecosystem of OSV (its releases
	# one source, as osv.dev dumps them), per release of the Debian tracker
	echo "$output" | jq -e '.totals.sources == 27 and (.sources[] | select(.name == "alpine-secdb:v3.11/main") |
		.kind == "alpine-secdb" and .vulns == 1222 and .distros == "alpine:3.11" and .age_days < 1)'
	echo "$output" | jq -e '[.sources[].name | select(startswith("osv:Alpine"))] == ["osv:Alpine"]'
	echo "$output" | jq -e '.sources[] | select(.name == "osv:Alpine") | .distros == "alpine:3.3,alpine:3.4,alpine:3.5,alpine:3.6,alpine:3.7,alpine:3.8"'
	echo "$output" | jq -e '.sources[] | select(.name == "debian-tracker:bookworm") | .distros == "debian:12"'
	local before=$output
	run "$SHIPSHAPE" db import --db "$(DB)" "$V/alpine-secdb-json"
	[[ "$output" == *"alpine-secdb-json: replaces what an earlier import gave for alpine-secdb:v3.10/community,"*" and 9 more"* ]]
	run "$SHIPSHAPE" db info --db "$(DB)" --format json
	[ "$(echo "$output" | jq -c '.totals')" = "$(echo "$before" | jq -c '.totals')" ]
	run "$SHIPSHAPE" db info --db "$(DB)"
	[[ "$output" == *"27 sources,"* ]]
	[[ "$output" == *"  alpine-secdb:v3.11/main      alpine-secdb"* ]]
}

@test "db: a broken feed is refused whole, with the file and place; the database stays as it was" {
	mkdir -p "$BATS_TEST_TMPDIR/feeds"
	cp "$ROOT/tests/rules/SHP3001/feed.json" "$BATS_TEST_TMPDIR/feeds/a.json"
	"$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/feeds" 2>/dev/null
	run "$SHIPSHAPE" db info --db "$(DB)" --format json
	local before=$output
	printf '{"id": "X-1",\n "affected": [\n  {"package": }]}\n' > "$BATS_TEST_TMPDIR/feeds/b.json"
	sed 's/DSA-9999-1/DSA-9999-2/' "$ROOT/tests/rules/SHP3001/feed.json" > "$BATS_TEST_TMPDIR/feeds/0.json"
	run "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/feeds"
	[ "$status" -eq 3 ]
	[[ "$output" == *"feeds/b.json:3:15: not valid JSON (nothing of it imported)"* ]]
	run "$SHIPSHAPE" db info --db "$(DB)" --format json
	[ "$output" = "$before" ]
	# a file that is not a feed, named on the command line, is an error too
	echo '{"hello": "world"}' > "$BATS_TEST_TMPDIR/x.json"
	run "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/x.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"x.json: not a feed shipshape reads"* ]]
	# no database, or a file that is not one
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/none.db" "$BATS_TEST_TMPDIR"
	[ "$status" -eq 3 ]
	[[ "$output" == *"none.db: no vulnerability database (shipshape db update makes one)"* ]]
	run "$SHIPSHAPE" db info --db "$BATS_TEST_TMPDIR/x.json"
	[ "$status" -eq 3 ]
	run "$SHIPSHAPE" db frobnicate
	[ "$status" -eq 2 ]
}

@test "vuln: Alpine secdb matches by release and origin; cross-release cases do and do not match" {
	[ -d "$V" ] || skip "corpus not found"
	"$SHIPSHAPE" db import --db "$(DB)" "$V/alpine-secdb-json" 2>/dev/null
	# 3.11 fixes openssl in 1.1.1d-r1 (CVE-2019-1547, -1549, -1563) and 1.1.1d-r3 (CVE-2019-1551)
	alpine_img 3.11.2 "$BATS_TEST_TMPDIR/a311.tar" libssl1.1=1.1.1d-r1:openssl musl=1.1.24-r0
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/a311.tar"
	[ "$status" -eq 0 ] # the secdb rates nothing: medium, under --fail-on high
	[ "$(echo "$output" | vulns)" = "CVE-2019-1551 libssl1.1 fixed 1.1.1d-r3 medium" ]
	echo "$output" | jq -e '.vulnerability_data | {os, covered, partial, packages} ==
		{"os": "alpine:3.11", "covered": true, "partial": false, "packages": 2}'
	echo "$output" | jq -e '.findings[0] | .rule_id == "SHP3001" and .location.layer == 1 and
		.location.path == "/lib/apk/db/installed" and (.message | startswith("CVE-2019-1551 in libssl1.1 1.1.1d-r1: fixed in 1.1.1d-r3"))'
	run "$SHIPSHAPE" vuln --db "$(DB)" --fail-on medium "$BATS_TEST_TMPDIR/a311.tar"
	[ "$status" -eq 1 ]
	# the same package on 3.10: its secdb has no 1.1.1d-r3 fix, so CVE-2019-1551 must not match
	alpine_img 3.10.4 "$BATS_TEST_TMPDIR/a310.tar" libssl1.1=1.1.1d-r1:openssl
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/a310.tar"
	[ "$(echo "$output" | vulns)" = "" ]
	echo "$output" | jq -e '.vulnerability_data.covered == true'
	# an older openssl on 3.10 does match 3.10's own fixes, and only those
	alpine_img 3.10.4 "$BATS_TEST_TMPDIR/a310b.tar" libssl1.1=1.1.1c-r0:openssl
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/a310b.tar"
	[ "$(echo "$output" | vulns | cut -d' ' -f1 | tr '\n' ' ')" = "CVE-2019-1547 CVE-2019-1549 CVE-2019-1563 " ]
	# 3.12 is not in the corpus secdb: not covered, said so, and no match from 3.11's data
	alpine_img 3.12.0 "$BATS_TEST_TMPDIR/a312.tar" libssl1.1=1.1.1d-r1:openssl
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/a312.tar"
	echo "$output" | jq -e '.vulnerability_data.covered == false and (.vulnerabilities | length) == 0'
	echo "$output" | jq -e '[.findings[].rule_id] == ["SHP3010"]'
	# the corpus images themselves: their openssl, musl and busybox are at or past every fix in
	# the secdb snapshot of their release, so nothing may match (no false positives)
	for v in 310 311; do
		run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$CORPUS/images/trivy/pkg_fanal_test_testdata_alpine-$v.tar.gz"
		[ "$status" -eq 0 ]
		echo "$output" | jq -e '.vulnerability_data.covered and .vulnerability_data.packages == 14 and .vulnerabilities == []'
	done
}

@test "vuln: OSV records written here: ranges, last_affected, no fix, source packages, CVSS and aliases" {
	mkdir -p "$BATS_TEST_TMPDIR/osv"
	cat > "$BATS_TEST_TMPDIR/osv/DSA-1.json" <<-'EOF'
	{"id": "DSA-1", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2026-1000"], "summary": "openssl update",
	 "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
	   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u1"}]}]}]}
	EOF
	# the same CVE from another source carries the rating
	cat > "$BATS_TEST_TMPDIR/osv/CVE-2026-1000.json" <<-'EOF'
	{"id": "CVE-2026-1000", "modified": "2026-01-01T00:00:00Z",
	 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}], "affected": []}
	EOF
	cat > "$BATS_TEST_TMPDIR/osv/multi.json" <<-'EOF'
	[{"id": "CVE-2026-2000", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "Debian:12", "name": "curl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "7.80.0-1"}, {"last_affected": "7.88.1-10"}]}]}]},
	 {"id": "CVE-2026-2001", "modified": "2026-01-01T00:00:00Z",
	  "database_specific": {"severity": "LOW"},
	  "affected": [{"package": {"ecosystem": "Debian:12", "name": "curl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]},
	 {"id": "CVE-2026-2002", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "Debian:11", "name": "curl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "9.9-1"}]}]},
	   {"package": {"ecosystem": "PyPI", "name": "requests"}}]}]
	EOF
	"$SHIPSHAPE" db import --db "$(DB)" "$(dump "$BATS_TEST_TMPDIR/osv")"
	deb_img 12 "$BATS_TEST_TMPDIR/d.tar" libssl3=3.0.9-1:openssl curl=7.88.1-10 libcurl4=7.88.1-10:curl
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/d.tar"
	[ "$status" -eq 1 ] # CVSS 9.8: critical
	# DSA-1 is reported as the CVE it fixes, with the advisory as its alias (as Trivy does)
	[ "$(echo "$output" | vulns)" = "CVE-2026-1000 libssl3 fixed 3.0.11-1~deb12u1 critical
CVE-2026-2000 curl no fix yet - medium
CVE-2026-2000 libcurl4 no fix yet - medium
CVE-2026-2001 curl no fix yet - low
CVE-2026-2001 libcurl4 no fix yet - low" ]
	echo "$output" | jq -e '.vulnerabilities[] | select(.id == "CVE-2026-1000") | .matched_as == "openssl" and .cvss == 9.8 and .aliases == "DSA-1"'
	# --ignore-unfixed keeps what can be fixed; --ignore takes a CVE id (or an alias)
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json --ignore-unfixed "$BATS_TEST_TMPDIR/d.tar"
	[ "$(echo "$output" | vulns | cut -d' ' -f1)" = "CVE-2026-1000" ]
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json --ignore DSA-1 --ignore-unfixed "$BATS_TEST_TMPDIR/d.tar"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.findings == []'
	# a .trivyignore in the working directory is honoured as Trivy honours it (expired lines not)
	mkdir -p "$BATS_TEST_TMPDIR/wd"
	printf '# accepted\nCVE-2026-1000 exp:2999-12-31\nCVE-2026-2001 exp:2001-01-01\n' > "$BATS_TEST_TMPDIR/wd/.trivyignore"
	(cd "$BATS_TEST_TMPDIR/wd" && "$SHIPSHAPE" vuln --db "$(DB)" -f json --fail-on none "$BATS_TEST_TMPDIR/d.tar") |
		jq -r '.findings[].message' > "$BATS_TEST_TMPDIR/left"
	cat "$BATS_TEST_TMPDIR/left"
	[ "$(grep -c 'DSA-1\|CVE-2026-1000' "$BATS_TEST_TMPDIR/left")" -eq 0 ]
	grep -q 'CVE-2026-2001' "$BATS_TEST_TMPDIR/left"
	(cd "$BATS_TEST_TMPDIR/wd" && "$SHIPSHAPE" vuln --db "$(DB)" -f json --fail-on none "$BATS_TEST_TMPDIR/d.tar") |
		jq -e '([.vulnerabilities[].id] | index("CVE-2026-1000") == null) and (.vulnerabilities | length) == (.findings | length)'
	# .trivyignore.yaml (or --ignorefile): an entry scoped by purl ignores the CVE in that
	# package only; one scoped to other paths ignores nothing here
	cat > "$BATS_TEST_TMPDIR/ti.yaml" <<-'EOF'
	vulnerabilities:
	  - id: CVE-2026-2000
	    purls: ["pkg:deb/debian/libcurl4@7.88.1-10?arch=amd64"]
	  - id: CVE-2026-2001
	    paths: ["usr/lib/python3/**"]
	EOF
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json --fail-on none --ignorefile "$BATS_TEST_TMPDIR/ti.yaml" "$BATS_TEST_TMPDIR/d.tar"
	[ "$(echo "$output" | vulns)" = "CVE-2026-1000 libssl3 fixed 3.0.11-1~deb12u1 critical
CVE-2026-2000 curl no fix yet - medium
CVE-2026-2001 curl no fix yet - low
CVE-2026-2001 libcurl4 no fix yet - low" ]
	echo "$output" | jq -e '(.findings | length) == 4'
	# an entry naming a rule (SHP3002, no fix yet) at the package database's path: the findings
	# and the vulnerabilities list both leave those matches out; at another path nothing is
	printf 'misconfigurations:\n  - id: SHP3002\n    paths: ["var/lib/dpkg/**"]\n' > "$BATS_TEST_TMPDIR/rule.yaml"
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json --fail-on none --ignorefile "$BATS_TEST_TMPDIR/rule.yaml" "$BATS_TEST_TMPDIR/d.tar"
	[ "$(echo "$output" | vulns)" = "CVE-2026-1000 libssl3 fixed 3.0.11-1~deb12u1 critical" ]
	echo "$output" | jq -e '(.findings | length) == 1'
	printf 'misconfigurations:\n  - id: SHP3002\n    paths: ["usr/lib/**"]\n' > "$BATS_TEST_TMPDIR/rule.yaml"
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json --fail-on none --ignorefile "$BATS_TEST_TMPDIR/rule.yaml" "$BATS_TEST_TMPDIR/d.tar"
	echo "$output" | jq -e '(.findings | length) == 5 and (.vulnerabilities | length) == 5'
	# the vulnerabilities list reports what the findings report: --severity (Trivy's), --skip-dirs
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json --severity LOW "$BATS_TEST_TMPDIR/d.tar"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | vulns)" = "CVE-2026-2001 curl no fix yet - low
CVE-2026-2001 libcurl4 no fix yet - low" ]
	echo "$output" | jq -e '(.findings | length) == 2'
	# UNKNOWN, as in Trivy: what no feed rates (CVE-2026-2000, reported as medium)
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json --severity UNKNOWN,critical "$BATS_TEST_TMPDIR/d.tar"
	[ "$(echo "$output" | vulns)" = "CVE-2026-1000 libssl3 fixed 3.0.11-1~deb12u1 critical
CVE-2026-2000 curl no fix yet - medium
CVE-2026-2000 libcurl4 no fix yet - medium" ]
	echo "$output" | jq -e '(.findings | length) == 3'
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json --skip-dirs var/lib/dpkg "$BATS_TEST_TMPDIR/d.tar"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.vulnerabilities == [] and .findings == []'
	# past last_affected and at the fixed version: clean
	deb_img 12 "$BATS_TEST_TMPDIR/d2.tar" libssl3=3.0.11-1~deb12u1:openssl curl=7.88.1-10+deb12u1
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/d2.tar"
	[ "$(echo "$output" | vulns)" = "CVE-2026-2001 curl no fix yet - low" ]
	# SARIF carries the findings for code scanning
	"$SHIPSHAPE" vuln --db "$(DB)" -f sarif --fail-on none "$BATS_TEST_TMPDIR/d.tar" > "$BATS_TEST_TMPDIR/v.sarif.json"
	jq -e '.runs[0].results | length == 5' "$BATS_TEST_TMPDIR/v.sarif.json"
}

@test "vuln: the Debian tracker's JSON: fixed, open, ignored (will not fix) and never-affected releases" {
	[ -d "$V" ] || skip "corpus not found"
	"$SHIPSHAPE" db import --db "$(DB)" "$V/osv/osv.dev/vulnfeeds/test_data/debian/debian_security_tracker_mock.json" "$ROOT/tests/rules/SHP3003/feed.json"
	deb_img 12 "$BATS_TEST_TMPDIR/d.tar" apparmor=3.0.8-3 demo=1.0-1
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/d.tar"
	# apparmor's CVE-2014-1424 is resolved with fixed_version 0 in bookworm: never affected
	echo "$output" | jq -e '[.vulnerabilities[] | select(.package == "apparmor" and .id == "CVE-2014-1424")] == []'
	echo "$output" | jq -e '.vulnerabilities[] | select(.id == "CVE-2026-0003") | .state == "will not fix" and .severity == "low"'
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP3003")] | length == 1'
	diff <(jq -r '.apparmor | to_entries[] | select(.value.releases.bookworm.status == "open") | .key' \
		"$V/osv/osv.dev/vulnfeeds/test_data/debian/debian_security_tracker_mock.json" | sort) \
		<(echo "$output" | jq -r '.vulnerabilities[] | select(.package == "apparmor") | .id' | sort)
}

@test "vuln: trivy's detector fixtures (alpine, debian, ubuntu), converted to OSV" {
	local F="$V/trivy-detector/pkg/detector/ospkg"
	[ -d "$F" ] || skip "corpus not found"
	python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed (make deps)"
	python3 "$ROOT/tests/tools/trivy-fixture-to-osv.py" "$BATS_TEST_TMPDIR/osv" \
		"$F/alpine/testdata/fixtures/alpine.yaml" "$F/debian/testdata/fixtures/debian.yaml" \
		"$F/ubuntu/testdata/fixtures/ubuntu.yaml"
	"$SHIPSHAPE" db import --db "$(DB)" "$(dump "$BATS_TEST_TMPDIR/osv")"
	# alpine 3.10: ansible 2.6.4 is past CVE-2018-10875's fix, before CVE-2019-10217's; CVE-2020-1740
	# and CVE-2021-20191 have no fix; "invalid" never matches cleanly so it must not crash anything
	alpine_img 3.10.2 "$BATS_TEST_TMPDIR/a.tar" ansible=2.6.4-r0 jq=1.6_rc1-r0
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/a.tar"
	[ "$status" -eq 0 ]
	echo "$output" | vulns | cut -d' ' -f1,2,3 > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	grep -qx 'CVE-2019-10217 ansible fixed' "$BATS_TEST_TMPDIR/got"
	grep -qx 'CVE-2021-20191 ansible no' "$BATS_TEST_TMPDIR/got"
	refute grep -q 'CVE-2018-10875' "$BATS_TEST_TMPDIR/got"
	# jq 1.6_rc1-r0: fixed in 1.6_rc1-r0 (not vulnerable), 1.6_rc2 and 1.6-r1 (vulnerable)
	grep -qx 'CVE-2019-9999 jq fixed' "$BATS_TEST_TMPDIR/got"
	grep -qx 'CVE-2020-1234 jq fixed' "$BATS_TEST_TMPDIR/got"
	refute grep -q 'CVE-2016-4074' "$BATS_TEST_TMPDIR/got"
	# debian 9: apache2 2.4.25-3 is past CVE-2020-11985's 2.4.25-1 and CVE-2012-3499's 2.2.22-13
	deb_img 9 "$BATS_TEST_TMPDIR/d.tar" apache2=2.4.25-3
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/d.tar"
	echo "$output" | vulns | cut -d' ' -f1,2,3 > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	grep -qx 'CVE-2021-31618 apache2 no' "$BATS_TEST_TMPDIR/got"
	refute grep -q 'CVE-2020-11985\|CVE-2012-3499' "$BATS_TEST_TMPDIR/got"
}

@test "vuln: an SBOM (ours in CycloneDX or SPDX, or Syft-style) gives what the image gives" {
	"$SHIPSHAPE" db import --db "$(DB)" "$ROOT/tests/rules/SHP3001/feed.json" 2>/dev/null
	deb_img 12 "$BATS_TEST_TMPDIR/d.tar" demo=1.0-1 other=2.0-1:demo
	"$SHIPSHAPE" sbom -o "$BATS_TEST_TMPDIR/d.cdx.json" "$BATS_TEST_TMPDIR/d.tar"
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/d.cdx.json"
	[ "$status" -eq 1 ]
	echo "$output" | vulns > "$BATS_TEST_TMPDIR/from-sbom"
	"$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/d.tar" | vulns > "$BATS_TEST_TMPDIR/from-image"
	diff "$BATS_TEST_TMPDIR/from-image" "$BATS_TEST_TMPDIR/from-sbom"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/from-sbom")" -eq 1 ]
	# image --vuln adds the same to the image report
	run "$SHIPSHAPE" image --db "$(DB)" -f json --fail-on none "$BATS_TEST_TMPDIR/d.tar"
	echo "$output" | vulns | diff "$BATS_TEST_TMPDIR/from-image" -
	echo "$output" | jq -e '.efficiency and ([.findings[] | select(.rule_id == "SHP3001")] | length == 1)'
	# the same as SPDX
	"$SHIPSHAPE" sbom -f spdx -o "$BATS_TEST_TMPDIR/d.spdx.json" "$BATS_TEST_TMPDIR/d.tar"
	"$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/d.spdx.json" | vulns | diff "$BATS_TEST_TMPDIR/from-image" -
	# as Syft writes one: no OS component, the source package in the purl's upstream qualifier
	cat > "$BATS_TEST_TMPDIR/syft.cdx.json" <<-'EOF'
	{"bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": {"component": {"type": "container", "name": "d"}},
	 "components": [
	  {"type": "library", "name": "libdemo1", "version": "1.0-1",
	   "purl": "pkg:deb/debian/libdemo1@1.0-1?arch=amd64&upstream=demo&distro=debian-12"},
	  {"type": "library", "name": "lodash", "version": "4.17.20", "purl": "pkg:npm/lodash@4.17.20"}]}
	EOF
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/syft.cdx.json"
	[ "$status" -eq 1 ]
	# one hand-made record: partial data, not coverage
	echo "$output" | jq -e '.vulnerability_data | {os, covered, partial, packages} ==
		{os: "debian:12", covered: false, partial: true, packages: 2}'
	echo "$output" | jq -e '[.vulnerabilities[] | .package] == ["libdemo1"]'
	# a broken SBOM is exit 3, with its place
	printf '{"bomFormat": "CycloneDX",\n "components": [' > "$BATS_TEST_TMPDIR/bad.cdx.json"
	run "$SHIPSHAPE" vuln --db "$(DB)" "$BATS_TEST_TMPDIR/bad.cdx.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"bad.cdx.json:2:"*"not valid JSON"* ]]
}

@test "vuln: npm and PyPI packages match OSV records by ecosystem on any distro; a database without one says so" {
	mkdir -p "$BATS_TEST_TMPDIR/osv"
	cat > "$BATS_TEST_TMPDIR/osv/npm.json" <<-'EOF'
	[{"id": "GHSA-35jh-r3h4-6jhm", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2021-23337"],
	  "summary": "Command Injection in lodash", "database_specific": {"severity": "HIGH"},
	  "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]},
	 {"id": "GHSA-npm-pre", "modified": "2026-01-01T00:00:00Z", "database_specific": {"severity": "LOW"},
	  "affected": [{"package": {"ecosystem": "npm", "name": "@types/node"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "20.0.0-rc.1"}, {"fixed": "20.0.0"}]}]}]},
	 {"id": "GHSA-git-only", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "npm", "name": "express"},
	    "ranges": [{"type": "GIT", "repo": "https://example.invalid/x", "events": [{"introduced": "0"}]}]}]}]
	EOF
	cat > "$BATS_TEST_TMPDIR/osv/pypi.json" <<-'EOF'
	[{"id": "PYSEC-2021-142", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2020-14343"],
	  "details": "Arbitrary code execution in full_load", "database_specific": {"severity": "CRITICAL"},
	  "affected": [{"package": {"ecosystem": "PyPI", "name": "pyyaml"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.4"}]}]}]},
	 {"id": "PYSEC-fixed-before", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "PyPI", "name": "Requests"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.19.0rc1"}]}]}]},
	 {"id": "PYSEC-post", "modified": "2026-01-01T00:00:00Z", "database_specific": {"severity": "MODERATE"},
	  "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.19.0"}, {"fixed": "2.19.0.post1"}]}]}]}]
	EOF
	"$SHIPSHAPE" db import --db "$(DB)" "$(dump "$BATS_TEST_TMPDIR/osv")" 2>/dev/null
	declare -f case_lang | sed '1,2d;$d' > "$BATS_TEST_TMPDIR/case.sh"
	cat >> "$BATS_TEST_TMPDIR/case.sh" <<-'EOF'
	new_layer 'RUN npm install lodash@4.17.20'
	mkdir -p "$L/app/node_modules/lodash"
	echo '{"name": "lodash", "version": "4.17.20"}' > "$L/app/node_modules/lodash/package.json"
	EOF
	build_image "$BATS_TEST_TMPDIR/case.sh" "$BATS_TEST_TMPDIR/l.tar"
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/l.tar"
	[ "$status" -eq 1 ]
	echo "$output" | vulns > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	# @types/node 20.1.0 is past its range, requests 2.19.0 past a fix in 2.19.0rc1 and
	# inside 2.19.0 .. 2.19.0.post1; a GIT range is not a version range
	# a record with a CVE alias is reported as the CVE (as Trivy does)
	printf '%s\n' "CVE-2020-14343 PyYAML fixed 5.4 critical" "CVE-2021-23337 lodash fixed 4.17.21 high" \
		"PYSEC-post requests fixed 2.19.0.post1 medium" | diff - "$BATS_TEST_TMPDIR/got"
	# the OS is Alpine, which the database lacks, but the image has no OS packages: nothing to say
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP3010" or .rule_id == "SHP3011")] == []'
	# a database without PyPI records says its packages went unmatched
	"$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/npm-only.db" "$(dump "$BATS_TEST_TMPDIR/osv/npm.json")" 2>/dev/null
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/npm-only.db" -f json --fail-on none "$BATS_TEST_TMPDIR/l.tar"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP3010") | .message] ==
		["the vulnerability database has no data for pypi packages: they were not matched (shipshape db import an OSV PyPI dump)"]'
	echo "$output" | jq -e '[.vulnerabilities[] | "\(.id) \(.aliases)"] == ["CVE-2021-23337 GHSA-35jh-r3h4-6jhm"]'
	# our CycloneDX SBOM of the image gives the same
	"$SHIPSHAPE" sbom -o "$BATS_TEST_TMPDIR/l.cdx.json" "$BATS_TEST_TMPDIR/l.tar"
	"$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/l.cdx.json" | vulns | diff "$BATS_TEST_TMPDIR/got" -
}

@test "vuln: Go programs match OSV's Go ecosystem: modules by path (a replacement's), the standard library by toolchain" {
	mkdir -p "$BATS_TEST_TMPDIR/r/usr/local/bin" "$BATS_TEST_TMPDIR/osv"
	go_program "$BATS_TEST_TMPDIR/r/usr/local/bin/app" || skip "no Go toolchain (make deps installs golang-go)"
	# the standard library's record is fixed in the release after the toolchain's
	local std fix
	std=$(go_modules "$BATS_TEST_TMPDIR/r/usr/local/bin/app" | awk '$1 == "stdlib" { print substr($2, 2) }')
	fix=$(echo "$std" | awk -F. '{ print $1 "." $2 "." $3 + 1 }')
	cat > "$BATS_TEST_TMPDIR/osv/go.json" <<-EOF
	[{"id": "GO-2022-1059", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2022-32149"],
	  "summary": "Denial of service via crafted Accept-Language header in golang.org/x/text/language",
	  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
	  "affected": [{"package": {"ecosystem": "Go", "name": "golang.org/x/text"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.3.8"}]}]}]},
	 {"id": "GO-std", "modified": "2026-01-01T00:00:00Z", "summary": "a flaw in net/http",
	  "affected": [{"package": {"ecosystem": "Go", "name": "stdlib"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "$fix"}]}]}]},
	 {"id": "GO-std-later", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "Go", "name": "stdlib"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "$fix"}, {"fixed": "99.0.0"}]}]}]},
	 {"id": "GO-replaced", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "Go", "name": "github.com/example/lib"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "9.0.0"}]}]}]},
	 {"id": "GO-fork", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "Go", "name": "github.com/example/fork"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.3.0"}, {"last_affected": "1.3.0"}]}]}]},
	 {"id": "GO-git", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "Go", "name": "golang.org/x/text"},
	    "ranges": [{"type": "GIT", "repo": "https://go.googlesource.com/text",
	      "events": [{"introduced": "0"}, {"fixed": "434eadcdbc3b0256971992e8c70027278364c72c"}]}]}]}]
	EOF
	"$SHIPSHAPE" db import --db "$(DB)" "$(dump "$BATS_TEST_TMPDIR/osv")" 2>/dev/null
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/r"
	[ "$status" -eq 1 ]
	echo "$output" | vulns > "$BATS_TEST_TMPDIR/got"
	# the module a replace directive swapped out is not in the program; a GIT range names commits
	printf '%s\n' "CVE-2022-32149 golang.org/x/text fixed 0.3.8 high" "GO-fork github.com/example/fork no fix yet - medium" \
		"GO-std stdlib fixed $fix medium" | diff - "$BATS_TEST_TMPDIR/got"
	echo "$output" | jq -e '.findings[] | select(.rule_id == "SHP3001" and (.message | contains("golang.org/x/text"))) |
		.location.path == "/usr/local/bin/app"'
	# a database without Go records says the program's modules went unmatched
	"$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/none.db" "$ROOT/tests/rules/SHP3001/feed.json" 2>/dev/null
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/none.db" -f json --fail-on none "$BATS_TEST_TMPDIR/r"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP3010") | .message] ==
		["the vulnerability database has no data for golang packages: they were not matched (shipshape db import an OSV Go dump)"]'
	# our SBOM of it gives the same
	"$SHIPSHAPE" sbom -o "$BATS_TEST_TMPDIR/g.cdx.json" "$BATS_TEST_TMPDIR/r"
	"$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/g.cdx.json" | vulns | diff "$BATS_TEST_TMPDIR/got" -
}

@test "vuln: Java archives match OSV's Maven ecosystem in Maven's version order" {
	mkdir -p "$BATS_TEST_TMPDIR/r/opt/app" "$BATS_TEST_TMPDIR/osv"
	java_archives "$BATS_TEST_TMPDIR/r/opt/app"
	# Log4Shell's ranges as OSV gives them; a record fixed by a qualifier Maven orders first
	cat > "$BATS_TEST_TMPDIR/osv/maven.json" <<-'EOF'
	[{"id": "GHSA-jfh8-c2jp-5v3q", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2021-44228"],
	  "summary": "Remote code injection in Log4j", "database_specific": {"severity": "CRITICAL"},
	  "affected": [{"package": {"ecosystem": "Maven", "name": "org.apache.logging.log4j:log4j-core"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0-beta9"}, {"fixed": "2.3.1"},
	      {"introduced": "2.4"}, {"fixed": "2.12.2"}, {"introduced": "2.13.0"}, {"fixed": "2.15.0"}]}]}]},
	 {"id": "GHSA-api-rc", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "Maven", "name": "org.apache.logging.log4j:log4j-api"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.14.1-rc1"}]}]}]},
	 {"id": "GHSA-snapshot", "modified": "2026-01-01T00:00:00Z", "database_specific": {"severity": "LOW"},
	  "affected": [{"package": {"ecosystem": "Maven", "name": "com.example:app"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}]}]},
	 {"id": "GHSA-text4shell", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2022-42889"],
	  "database_specific": {"severity": "CRITICAL"},
	  "affected": [{"package": {"ecosystem": "Maven", "name": "org.apache.commons:commons-text"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.5"}, {"fixed": "1.10.0"}]}]}]}]
	EOF
	"$SHIPSHAPE" db import --db "$(DB)" "$(dump "$BATS_TEST_TMPDIR/osv")" 2>/dev/null
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/r"
	[ "$status" -eq 1 ]
	echo "$output" | vulns > "$BATS_TEST_TMPDIR/got"
	# 2.14.1 is past 2.14.1-rc1; 1.0.0-SNAPSHOT comes before 1.0.0; 1.9 is before 1.10.0
	printf '%s\n' "CVE-2021-44228 org.apache.logging.log4j:log4j-core fixed 2.15.0 critical" \
		"CVE-2022-42889 org.apache.commons:commons-text fixed 1.10.0 critical" \
		"GHSA-snapshot com.example:app fixed 1.0.0 low" | diff - "$BATS_TEST_TMPDIR/got"
	echo "$output" | jq -e '.findings[] | select(.rule_id == "SHP3001" and (.message | startswith("CVE-2021-44228 (GHSA-jfh8"))) |
		.evidence == "org.apache.logging.log4j:log4j-core 2.14.1 (maven in /opt/app/log4j-core-2.14.1.jar), fixed in 2.15.0"'
	# our SBOM of it gives the same
	"$SHIPSHAPE" sbom -o "$BATS_TEST_TMPDIR/j.cdx.json" "$BATS_TEST_TMPDIR/r"
	"$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/j.cdx.json" | vulns | diff "$BATS_TEST_TMPDIR/got" -
}

@test "db: osv.dev's per-ecosystem zip dump form (a zip of OSV JSON records) imports" {
	mkdir -p "$BATS_TEST_TMPDIR/z"
	cp "$ROOT/tests/rules/SHP3001/feed.json" "$BATS_TEST_TMPDIR/z/DSA-9999-1.json"
	sed 's/DSA-9999-1/DSA-9999-2/; s/1.0-2/1.0-3/' "$ROOT/tests/rules/SHP3001/feed.json" > "$BATS_TEST_TMPDIR/z/DSA-9999-2.json"
	(cd "$BATS_TEST_TMPDIR/z" && python3 -m zipfile -c ../all.zip DSA-9999-1.json DSA-9999-2.json)
	run "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/all.zip"
	[ "$status" -eq 0 ]
	[[ "$output" == *"all.zip: 2 files, 2 vulnerabilities, 2 affected packages"* ]]
	deb_img 12 "$BATS_TEST_TMPDIR/d.tar" demo=1.0-2
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/d.tar"
	# both advisories name CVE-2026-0001: one finding, the one that still applies its alias
	[ "$(echo "$output" | jq -r '.vulnerabilities[] | "\(.id) \(.aliases) \(.fixed_version)"')" = "CVE-2026-0001 DSA-9999-2 1.0-3" ]
	# a truncated zip is refused whole
	head -c 200 "$BATS_TEST_TMPDIR/all.zip" > "$BATS_TEST_TMPDIR/cut.zip"
	run "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/cut.zip"
	[ "$status" -eq 3 ]
	[[ "$output" == *"cut.zip"* ]]
}

# big_feed N OUT: an OSV array of N Debian 12 records (a few MB), an import long enough to kill.
big_feed() {
	awk -v n="$1" 'BEGIN {
		printf "["
		for (i = 0; i < n; i++)
			printf "%s{\"id\": \"OSV-%d\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"pkg%d\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1.%d\"}]}]}]}", i ? "," : "", i, i, i
		print "]"
	}' > "$2"
}

@test "db: an import killed with SIGKILL leaves the database as it was, readable; the next one works" {
	"$SHIPSHAPE" db import --db "$(DB)" "$ROOT/tests/rules/SHP3001/feed.json" 2>/dev/null
	"$SHIPSHAPE" db info --db "$(DB)" --format json | jq 'del(.sources[].age_days)' > "$BATS_TEST_TMPDIR/before"
	deb_img 12 "$BATS_TEST_TMPDIR/d.tar" demo=1.0-1
	"$SHIPSHAPE" vuln --db "$(DB)" -f json --fail-on none "$BATS_TEST_TMPDIR/d.tar" | vulns > "$BATS_TEST_TMPDIR/want"
	[ "$(cut -d' ' -f1 "$BATS_TEST_TMPDIR/want")" = CVE-2026-0001 ]
	big_feed 40000 "$BATS_TEST_TMPDIR/big.json"
	# five feeds, each a transaction in the one copy renamed into place at the end: killed
	# while it writes rows into its copy (once the first feed's journal is there; the copy is
	# still there after, so it was not done). SQLite keeps the rows in its page cache until a
	# transaction commits, so the copy's size says nothing until then.
	"$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/big.json" "$BATS_TEST_TMPDIR/big.json" \
		"$BATS_TEST_TMPDIR/big.json" "$BATS_TEST_TMPDIR/big.json" "$BATS_TEST_TMPDIR/big.json" 2>/dev/null &
	local pid=$! i
	for i in $(seq 3000); do
		[ -e "$(DB).import-journal" ] && break
		sleep 0.01
	done
	kill -KILL "$pid"
	wait "$pid" || true
	[ -e "$(DB).import" ]
	run timeout 120 /usr/bin/time -f '%e %M' -o "$BATS_TEST_TMPDIR/cost" "$SHIPSHAPE" db info --db "$(DB)" --format json
	[ "$status" -eq 0 ]
	# seconds and peak RSS (KiB) of the reader after the kill
	echo "cost: $(cat "$BATS_TEST_TMPDIR/cost")"
	awk 'END { exit !($1 < 5 && $2 < 200 * 1024) }' \
		"$BATS_TEST_TMPDIR/cost"
	echo "$output" | jq 'del(.sources[].age_days)' | diff "$BATS_TEST_TMPDIR/before" -
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json --fail-on none "$BATS_TEST_TMPDIR/d.tar"
	[ "$status" -eq 0 ]
	echo "$output" | vulns | diff "$BATS_TEST_TMPDIR/want" -
	# the next import throws the killed one's copy away and goes through
	sed 's/DSA-9999-1/DSA-9999-2/' "$ROOT/tests/rules/SHP3001/feed.json" > "$BATS_TEST_TMPDIR/feed2.json"
	run "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/feed2.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"feed2.json: replaces what an earlier import gave for osv:Debian"* ]]
	[ ! -e "$(DB).import" ]
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json --fail-on none "$BATS_TEST_TMPDIR/d.tar"
	[ "$(echo "$output" | jq -r '.vulnerabilities[].aliases')" = DSA-9999-2 ]
}

@test "db: a file that is not our database is said to be that, and an import never replaces it" {
	echo '{"hello": "world"}' > "$BATS_TEST_TMPDIR/x.json"
	cp "$BATS_TEST_TMPDIR/x.json" "$BATS_TEST_TMPDIR/x.orig"
	run "$SHIPSHAPE" db info --db "$BATS_TEST_TMPDIR/x.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"x.json: not a shipshape vulnerability database (not an SQLite file)"* ]]
	run "$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/x.json" "$ROOT/tests/rules/SHP3001/feed.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"x.json: not a shipshape vulnerability database (not an SQLite file)"* ]]
	cmp "$BATS_TEST_TMPDIR/x.json" "$BATS_TEST_TMPDIR/x.orig"
	# another program's SQLite database
	python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE t(x)"); c.commit()' \
		"$BATS_TEST_TMPDIR/other.db"
	cp "$BATS_TEST_TMPDIR/other.db" "$BATS_TEST_TMPDIR/other.orig"
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/other.db" "$BATS_TEST_TMPDIR"
	[ "$status" -eq 3 ]
	[[ "$output" == *"other.db: not a shipshape vulnerability database (an SQLite database without its tables)"* ]]
	run "$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/other.db" "$ROOT/tests/rules/SHP3001/feed.json"
	[ "$status" -eq 3 ]
	cmp "$BATS_TEST_TMPDIR/other.db" "$BATS_TEST_TMPDIR/other.orig"
	# a directory or a device is not written over
	run "$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR" "$ROOT/tests/rules/SHP3001/feed.json"
	[ "$status" -eq 3 ]
	[[ "$output" == *"not a regular file"* ]]
	# a database a writer in place was killed in (its pages spilled, a hot journal): readers
	# say what it is, and an import rolls it back
	"$SHIPSHAPE" db import --db "$(DB)" "$ROOT/tests/rules/SHP3001/feed.json" 2>/dev/null
	python3 -c 'import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA cache_size = 2"); c.execute("BEGIN"); c.execute("DELETE FROM affected")
c.executemany("INSERT INTO names VALUES(?, ?, 0)", (("N-%d" % i, "x") for i in range(20000)))
os.kill(os.getpid(), 9)' "$(DB)" 2>/dev/null || true
	[ -s "$(DB)-journal" ]
	run "$SHIPSHAPE" db info --db "$(DB)"
	[ "$status" -eq 3 ]
	[[ "$output" == *"vuln.db: an interrupted write left its journal"*"run shipshape db import again"* ]]
	run "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/none.json"
	[ "$status" -eq 3 ]
	run "$SHIPSHAPE" db import --db "$(DB)" "$ROOT/tests/rules/SHP3001/feed.json"
	[ "$status" -eq 0 ]
	run "$SHIPSHAPE" db info --db "$(DB)" --format json
	echo "$output" | jq -e '.totals.vulns == 1'
	# a database reached through a symlink is replaced where it is, and the link stays
	ln -s vuln.db "$BATS_TEST_TMPDIR/link.db"
	sed 's/DSA-9999-1/DSA-9999-2/' "$ROOT/tests/rules/SHP3001/feed.json" > "$BATS_TEST_TMPDIR/other-id.json"
	run "$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/link.db" "$BATS_TEST_TMPDIR/other-id.json"
	[ "$status" -eq 0 ]
	[ -L "$BATS_TEST_TMPDIR/link.db" ]
	"$SHIPSHAPE" db info --db "$(DB)" --format json | jq -e '.totals.vulns == 1'
	sqlite_has() { python3 -c 'import sqlite3, sys; sys.exit(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM vulns WHERE id = ?", (sys.argv[2],)).fetchone()[0] != 1)' "$@"; }
	sqlite_has "$(DB)" DSA-9999-2
}

@test "db: osv.dev's dumps, all named all.zip, are sources by ecosystem: one does not drop another" {
	# Alpine's dump (a critical CVE in busybox on 3.18 and one on 3.19) and npm's
	mkdir -p "$BATS_TEST_TMPDIR/alpine" "$BATS_TEST_TMPDIR/npm"
	cat > "$BATS_TEST_TMPDIR/alpine/ALPINE-CVE-2026-7000.json" <<-'EOF'
	{"id": "ALPINE-CVE-2026-7000", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2026-7000"],
	 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
	 "affected": [{"package": {"ecosystem": "Alpine:v3.18", "name": "busybox"},
	   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.36.1-r6"}]}]},
	  {"package": {"ecosystem": "Alpine:v3.19", "name": "busybox"},
	   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.36.1-r16"}]}]}]}
	EOF
	cat > "$BATS_TEST_TMPDIR/npm/GHSA-aaaa-bbbb-cccc.json" <<-'EOF'
	{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2026-01-01T00:00:00Z",
	 "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
	   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.1"}]}]}]}
	EOF
	mkdir -p "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/n"
	(cd "$BATS_TEST_TMPDIR/alpine" && python3 -m zipfile -c ../a/all.zip ALPINE-CVE-2026-7000.json)
	(cd "$BATS_TEST_TMPDIR/npm" && python3 -m zipfile -c ../n/all.zip GHSA-aaaa-bbbb-cccc.json)
	run "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/a/all.zip"
	[ "$status" -eq 0 ]
	run "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/n/all.zip"
	[ "$status" -eq 0 ]
	[[ "$output" != *"replaces"* ]]
	run "$SHIPSHAPE" db info --db "$(DB)" --format json
	[ "$(echo "$output" | jq -c '[.sources[] | [.name, .kind, .distros]]')" = \
		'[["osv:Alpine","osv","alpine:3.18,alpine:3.19"],["osv:npm","osv","npm"]]' ]
	alpine_img 3.18.4 "$BATS_TEST_TMPDIR/a318.tar" busybox=1.36.1-r5
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/a318.tar"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | vulns)" = "CVE-2026-7000 busybox fixed 1.36.1-r6 critical" ]
	echo "$output" | jq -e '[.vulnerabilities[].source] == ["osv:Alpine"]'
	# a newer Alpine dump replaces the older one's sources, and says so; npm's stays
	sed -i 's/1.36.1-r6/1.36.1-r7/' "$BATS_TEST_TMPDIR/alpine/ALPINE-CVE-2026-7000.json"
	rm "$BATS_TEST_TMPDIR/a/all.zip"
	(cd "$BATS_TEST_TMPDIR/alpine" && python3 -m zipfile -c ../a/all.zip ALPINE-CVE-2026-7000.json)
	run "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/a/all.zip"
	[ "$status" -eq 0 ]
	[[ "$output" == *"a/all.zip: replaces what an earlier import gave for osv:Alpine" ]]
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/a318.tar"
	[ "$(echo "$output" | vulns)" = "CVE-2026-7000 busybox fixed 1.36.1-r7 critical" ]
	run "$SHIPSHAPE" db info --db "$(DB)" --format json
	echo "$output" | jq -e '.totals == {"sources": 2, "vulns": 2, "affected": 3}'
	# two feeds about one source in one run of db import add up (the second does not replace
	# the first)
	mkdir -p "$BATS_TEST_TMPDIR/more"
	sed 's/7000/7001/g' "$BATS_TEST_TMPDIR/alpine/ALPINE-CVE-2026-7000.json" > "$BATS_TEST_TMPDIR/more/ALPINE-CVE-2026-7001.json"
	run "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/a/all.zip" "$BATS_TEST_TMPDIR/more"
	[ "$status" -eq 0 ]
	[[ "$output" != *"more: replaces"* ]]
	run "$SHIPSHAPE" db info --db "$(DB)" --format json
	echo "$output" | jq -e '.totals == {"sources": 2, "vulns": 3, "affected": 5}'
	run "$SHIPSHAPE" vuln --db "$(DB)" -f json "$BATS_TEST_TMPDIR/a318.tar"
	[ "$(echo "$output" | vulns | cut -d' ' -f1 | tr '\n' ' ')" = "CVE-2026-7000 CVE-2026-7001 " ]
}

@test "db: a dump's records are stored in its order: the first broken one is named, a later copy wins" {
	# 3,000 records, read on three threads (-j 3, whatever the cores): the error named is the
	# first in the zip's order (not whichever a thread met first), and a record given twice
	# keeps the text of the zip's last copy (the ranges of both count)
	python3 - "$BATS_TEST_TMPDIR/d/all.zip" "$BATS_TEST_TMPDIR/bad/all.zip" <<'PY'
import json, os, sys, zipfile
def rec(i, fixed, summary="first"):
    return json.dumps({"id": "TEST-%04d" % i, "modified": "2026-01-01T00:00:00Z", "summary": summary,
        "affected": [{"package": {"ecosystem": "npm", "name": "p%d" % (i % 50)},
        "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]})
for path, broken in ((sys.argv[1], ()), (sys.argv[2], (1700, 2900))):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(3000):
            z.writestr("TEST-%04d.json" % i, '{"id": ' if i in broken else rec(i, "1.0.%d" % i))
        z.writestr("TEST-0005-again.json", rec(5, "9.9.9", "last"))
PY
	run "$SHIPSHAPE" db import -j 3 --db "$(DB)" "$BATS_TEST_TMPDIR/d/all.zip"
	[ "$status" -eq 0 ]
	[[ "$output" == *"all.zip: 3001 files, 3000 vulnerabilities, 3001 affected packages"* ]]
	# one reader thread gives the same database
	"$SHIPSHAPE" db import -j 1 --db "$BATS_TEST_TMPDIR/one.db" "$BATS_TEST_TMPDIR/d/all.zip"
	for t in vulns names affected_packages; do
		[ "$(sqlite3 "$(DB)" "SELECT * FROM $t")" = "$(sqlite3 "$BATS_TEST_TMPDIR/one.db" "SELECT * FROM $t")" ]
	done
	[ "$(sqlite3 "$(DB)" "SELECT summary FROM vulns WHERE id = 'TEST-0005'")" = last ]
	[ "$(sqlite3 "$(DB)" "SELECT group_concat(fixed) FROM affected_packages WHERE vuln = 'TEST-0005'")" = 1.0.5,9.9.9 ]
	[ "$(sqlite3 "$(DB)" "SELECT fixed FROM affected_packages WHERE vuln = 'TEST-2999'")" = 1.0.2999 ]
	cp "$(DB)" "$BATS_TEST_TMPDIR/before.db"
	run "$SHIPSHAPE" db import -j 3 --db "$(DB)" "$BATS_TEST_TMPDIR/bad/all.zip"
	[ "$status" -eq 3 ]
	[[ "$output" == *"bad/all.zip:TEST-1700.json:1:"* ]]
	[[ "$output" != *"TEST-2900"* ]]
	cmp "$(DB)" "$BATS_TEST_TMPDIR/before.db"
}

@test "db: a zip whose 100 MB entry is [0,0,...] is refused by the JSON value budget, in bounded memory" {
	# 102 KB of zip, 50 million values: cJSON would spend about 4 GB on them
	python3 - "$BATS_TEST_TMPDIR/zeros.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z, z.open("all.json", "w") as f:
    f.write(b"[")
    block = b"0," * (1 << 20)
    for _ in range(50):
        f.write(block)
    f.write(b"0]")
PY
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/zeros.zip")" -lt 200000 ]
	run timeout 120 /usr/bin/time -f '%M %e' -o "$BATS_TEST_TMPDIR/t" "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/zeros.zip"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"zeros.zip"*"all.json:1:"*": more than 16777216 nodes (SHP_JSON_MAX_NODES)"* ]]
	read -r rss secs < <(tail -n 1 "$BATS_TEST_TMPDIR/t")
	echo "peak RSS $rss KiB, $secs s"
	[ "$rss" -lt $((200 * 1024)) ]
}

@test "vuln: packages matched on several threads give what one thread gives, in the same order" {
	# generated dumps (the benchmark's generator, small) and a 300-package SBOM: ten chunks
	# of packages, taken by the threads in turn
	python3 "$ROOT/bench/osv-feeds.py" "$BATS_TEST_TMPDIR/m" --records 20000 --packages 300 \
		--sbom "$BATS_TEST_TMPDIR/sbom.json" >/dev/null
	local h="$BATS_TEST_TMPDIR/m/osv-vulnerabilities.storage.googleapis.com"
	run "$SHIPSHAPE" db import --db "$(DB)" "$h/Debian/all.zip" "$h/npm/all.zip" "$h/PyPI/all.zip" "$h/Maven/all.zip"
	[ "$status" -eq 0 ]
	# the findings and matches (the data's age is of the moment)
	for j in 1 2 4; do
		"$SHIPSHAPE" vuln -j $j --db "$(DB)" --max-db-age 0 --fail-on none -f json "$BATS_TEST_TMPDIR/sbom.json" \
			| jq -c '.vulnerabilities, .findings' > "$BATS_TEST_TMPDIR/j$j.json"
	done
	[ "$(head -1 "$BATS_TEST_TMPDIR/j1.json" | jq length)" -gt 40 ]
	[ "$(head -1 "$BATS_TEST_TMPDIR/j1.json" | jq -r '[.[].type] | unique | join(" ")')" = "deb maven npm pypi" ]
	cmp "$BATS_TEST_TMPDIR/j1.json" "$BATS_TEST_TMPDIR/j2.json"
	cmp "$BATS_TEST_TMPDIR/j1.json" "$BATS_TEST_TMPDIR/j4.json"
	run "$SHIPSHAPE" vuln -j 0 --db "$(DB)" "$BATS_TEST_TMPDIR/sbom.json"
	[ "$status" -eq 2 ]
}
