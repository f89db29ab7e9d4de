#!/usr/bin/env bats
# rpm-md errata (an rpm repository's updateinfo.xml) as Amazon Linux 2 and 2023, Rocky,
# AlmaLinux and Oracle Linux publish them: imported plain or compressed, the release told by
# the advisory ids or named with --distro, matched against Amazon Linux 2023 packages (an
# SBOM with rpm purls, and a root whose rpm database rpm itself wrote), and hostile XML.
# The fixtures under tests/data/rpmmd are written from the format's documentation.

load helpers

D="$ROOT/tests/data/rpmmd"
DB() { echo "$BATS_TEST_TMPDIR/vuln.db"; }
vulns() { jq -r '.vulnerabilities[] | "\(.id) \(.package) \(.version) \(.fixed_version // "-") \(.severity) \(.source)"' | sort; }

# an AL2023 SBOM whose rpm purls carry the distro as Syft and Trivy write it
al2023_sbom() {
	cat > "$1" <<'EOF'
{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
 {"type": "library", "name": "openssl-libs", "version": "1:3.0.8-1.amzn2023.0.1",
  "purl": "pkg:rpm/amazon/openssl-libs@3.0.8-1.amzn2023.0.1?arch=x86_64&epoch=1&distro=amzn-2023"},
 {"type": "library", "name": "libcurl", "version": "7.88.1-1.amzn2023.0.1",
  "purl": "pkg:rpm/amazon/libcurl@7.88.1-1.amzn2023.0.1?arch=x86_64&distro=amzn-2023"},
 {"type": "library", "name": "curl", "version": "8.0.1-1.amzn2023",
  "purl": "pkg:rpm/amazon/curl@8.0.1-1.amzn2023?arch=x86_64&distro=amzn-2023"},
 {"type": "library", "name": "kernel", "version": "6.1.25-37.47.amzn2023",
  "purl": "pkg:rpm/amazon/kernel@6.1.25-37.47.amzn2023?arch=x86_64&distro=amzn-2023"},
 {"type": "library", "name": "tzdata", "version": "2023a-1.amzn2023",
  "purl": "pkg:rpm/amazon/tzdata@2023a-1.amzn2023?arch=noarch&distro=amzn-2023"}
]}
EOF
}

@test "rpmmd: AL2023 errata import; an SBOM's older packages fire, the fixed and newer stay quiet" {
	run "$SHIPSHAPE" db import --db "$(DB)" "$D/al2023-updateinfo.xml"
	[ "$status" -eq 0 ]
	# four updates: three security ones, an enhancement skipped; one row per package name,
	# not per arch (openssl, openssl-libs, openssl-devel; curl, libcurl; kernel)
	[[ "$output" == *"al2023-updateinfo.xml: 1 file, 3 vulnerabilities, 6 affected packages; 1 record for"* ]]
	run "$SHIPSHAPE" db info --db "$(DB)" --format json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.sources[] | .name] == ["rpm-md:amzn:2023"]'
	al2023_sbom "$BATS_TEST_TMPDIR/al.cdx.json"
	SHIPSHAPE_DB="$(DB)" run "$SHIPSHAPE" vuln --format json "$BATS_TEST_TMPDIR/al.cdx.json"
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '.vulnerability_data.os == "amzn:2023" and .vulnerability_data.covered'
	# openssl-libs and libcurl are older than the fix; curl is the fixed build, kernel newer,
	# tzdata only in an enhancement. Each CVE an advisory fixes is a finding, the advisory its
	# alias (as Trivy reports them)
	diff <(echo "$output" | vulns) - <<'EOF'
CVE-2023-0215 openssl-libs 1:3.0.8-1.amzn2023.0.1 1:3.0.8-1.amzn2023.0.3 high rpm-md:amzn:2023
CVE-2023-0286 openssl-libs 1:3.0.8-1.amzn2023.0.1 1:3.0.8-1.amzn2023.0.3 high rpm-md:amzn:2023
CVE-2023-27533 libcurl 7.88.1-1.amzn2023.0.1 8.0.1-1.amzn2023 medium rpm-md:amzn:2023
CVE-2023-27534 libcurl 7.88.1-1.amzn2023.0.1 8.0.1-1.amzn2023 medium rpm-md:amzn:2023
EOF
	echo "$output" | jq -e '.vulnerabilities[] | select(.id == "CVE-2023-0286") |
		.aliases == "ALAS2023-2023-001" and .state == "fixed" and
		(.summary | startswith("Amazon Linux 2023 - ALAS2023-2023-001: Important"))'
	# the record's date is the later of issued and updated
	[ "$(sqlite3 "$(DB)" "SELECT modified FROM vulns WHERE id = 'ALAS2023-2023-001'")" = "2023-03-21T18:38:00Z" ]
	[ "$(sqlite3 "$(DB)" "SELECT modified FROM vulns WHERE id = 'ALAS2023-2023-003'")" = "2023-03-31T22:00:00Z" ]
	[ "$(sqlite3 "$(DB)" "SELECT datetime(modified, 'unixepoch') FROM sources")" = "2023-03-31 22:00:00" ]
	# the package without the epoch the fix has is older (an absent epoch is 0)
	sed 's/&epoch=1//' "$BATS_TEST_TMPDIR/al.cdx.json" > "$BATS_TEST_TMPDIR/noepoch.cdx.json"
	SHIPSHAPE_DB="$(DB)" run "$SHIPSHAPE" vuln --format json "$BATS_TEST_TMPDIR/noepoch.cdx.json"
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '[.vulnerabilities[] | .aliases] | index("ALAS2023-2023-001") != null'
	# the same packages on Amazon Linux 2 are not matched against AL2023's errata
	sed 's/amzn-2023/amzn-2/' "$BATS_TEST_TMPDIR/al.cdx.json" > "$BATS_TEST_TMPDIR/al2.cdx.json"
	SHIPSHAPE_DB="$(DB)" run "$SHIPSHAPE" vuln --format json "$BATS_TEST_TMPDIR/al2.cdx.json"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '(.vulnerabilities | length) == 0 and .vulnerability_data.os == "amzn:2"'
}

@test "rpmmd: a root whose rpm database rpm wrote (Amazon Linux 2023's os-release) is matched" {
	command -v rpmbuild >/dev/null && command -v rpm >/dev/null || skip "rpmbuild and rpm not installed"
	local t="$BATS_TEST_TMPDIR"
	cat > "$t/p.spec" <<'EOF'
Name: %{pname}
Version: %{pver}
Release: %{prel}
Epoch: %{pepoch}
Summary: a package of the test
License: MIT
BuildArch: noarch
%description
A package of the test.
%files
EOF
	# older than the fix (fires), the fixed build and a newer kernel (quiet)
	for p in "openssl-libs 3.0.8 1.amzn2023.0.1 1" "curl 8.0.1 1.amzn2023 0" "kernel 6.1.25 37.47.amzn2023 0"; do
		set -- $p
		rpmbuild --quiet -bb --define "_topdir $t/top" --define "pname $1" --define "pver $2" \
			--define "prel $3" --define "pepoch $4" "$t/p.spec"
	done
	mkdir -p "$t/root/etc" "$t/root/var/lib/rpm"
	rpm --root "$t/root" --dbpath /var/lib/rpm --justdb --nodeps --noscripts -i "$t"/top/RPMS/noarch/*.rpm 2>/dev/null
	printf 'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nID_LIKE="fedora"\nVERSION_ID="2023"\n' > "$t/root/etc/os-release"
	"$SHIPSHAPE" db import -q --db "$(DB)" "$D/al2023-updateinfo.xml"
	SHIPSHAPE_DB="$(DB)" run "$SHIPSHAPE" vuln --format json "$t/root"
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '.vulnerability_data.os == "amzn:2023" and .vulnerability_data.packages == 3'
	[ "$(echo "$output" | vulns)" = "CVE-2023-0215 openssl-libs 1:3.0.8-1.amzn2023.0.1 1:3.0.8-1.amzn2023.0.3 high rpm-md:amzn:2023
CVE-2023-0286 openssl-libs 1:3.0.8-1.amzn2023.0.1 1:3.0.8-1.amzn2023.0.3 high rpm-md:amzn:2023" ]
}

@test "rpmmd: AL2 errata read the same gzip, xz, zstd or bzip2 compressed, told by content" {
	local c
	for c in gzip xz zstd bzip2; do
		command -v $c >/dev/null || skip "$c not installed"
		# a name that says nothing: compression is told from the bytes
		$c -c "$D/al2-updateinfo.xml" > "$BATS_TEST_TMPDIR/errata-$c"
		rm -f "$(DB)"
		run "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/errata-$c"
		[ "$status" -eq 0 ]
		[[ "$output" == *"errata-$c: 1 file, 3 vulnerabilities, 4 affected packages"* ]]
		[ "$(sqlite3 "$(DB)" "SELECT group_concat(name) FROM sources")" = "rpm-md:amzn:2" ]
	done
	# ALAS2KERNEL-5.10- (a topic of the extras) is Amazon Linux 2's too; lower-case severities
	diff <(sqlite3 "$(DB)" "SELECT vuln, package, fixed, severity FROM affected_packages ORDER BY vuln, package") - <<'EOF'
ALAS2-2023-1958|openssl|1:1.0.2k-24.amzn2.0.6|3
ALAS2-2023-1958|openssl-libs|1:1.0.2k-24.amzn2.0.6|3
ALAS2-2023-2001|sudo|1.8.23-1.amzn2.0.1|2
ALAS2KERNEL-5.10-2023-027|kernel|5.10.167-147.601.amzn2|1
EOF
	cat > "$BATS_TEST_TMPDIR/al2.cdx.json" <<'EOF'
{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
 {"type": "library", "name": "sudo", "purl": "pkg:rpm/amazon/sudo@1.8.23-10.amzn2.3.2?arch=x86_64&distro=amzn-2"},
 {"type": "library", "name": "openssl-libs", "purl": "pkg:rpm/amazon/openssl-libs@1.0.2k-24.amzn2.0.4?arch=x86_64&epoch=1&distro=amzn-2"}
]}
EOF
	SHIPSHAPE_DB="$(DB)" run "$SHIPSHAPE" vuln --format json "$BATS_TEST_TMPDIR/al2.cdx.json"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | vulns)" = "CVE-2023-0286 openssl-libs 1:1.0.2k-24.amzn2.0.4 1:1.0.2k-24.amzn2.0.6 high rpm-md:amzn:2" ]
}

@test "rpmmd: errata whose ids name no release need --distro; a repodata directory is walked" {
	run "$SHIPSHAPE" db import --db "$(DB)" "$D/rocky9-updateinfo.xml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"rocky9-updateinfo.xml: line 5: rpm-md errata do not say which release they are for"*"--distro"* ]]
	[ ! -e "$(DB)" ]
	run "$SHIPSHAPE" db import --db "$(DB)" --distro rocky:9 "$D/rocky9-updateinfo.xml"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$(DB)" "SELECT name || ' ' || complete FROM sources")" = "rpm-md:rocky:9 1" ]
	[ "$(sqlite3 "$(DB)" "SELECT distro, package, fixed FROM affected_packages")" = "rocky:9|openssl-libs|1:3.0.1-47.el9_1" ]
	# --distro also wins over what Amazon Linux's ids say
	run "$SHIPSHAPE" db import --db "$(DB)" --distro amzn:2023 "$D/al2-updateinfo.xml"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$(DB)" "SELECT COUNT(*) FROM affected_packages WHERE distro = 'amzn:2023'")" -eq 4 ]
	run "$SHIPSHAPE" db import --db "$(DB)" --distro rocky "$D/rocky9-updateinfo.xml"
	[ "$status" -eq 2 ]
	[[ "$output" == *'--distro "rocky": expected ID:VERSION'* ]]
	run "$SHIPSHAPE" db info --db "$(DB)" --distro rocky:9
	[ "$status" -eq 2 ]
	# a mirrored repository: the errata are found by name below it (HASH-updateinfo.xml.gz),
	# repomd.xml beside them is not a feed
	mkdir -p "$BATS_TEST_TMPDIR/repo/repodata"
	gzip -c "$D/al2023-updateinfo.xml" > "$BATS_TEST_TMPDIR/repo/repodata/0123abcd-updateinfo.xml.gz"
	cp "$D/repomd.xml" "$BATS_TEST_TMPDIR/repo/repodata/"
	run "$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/repo"
	[ "$status" -eq 0 ]
	[[ "$output" == *"repo: 1 file, 3 vulnerabilities, 6 affected packages"* ]]
}

@test "rpmmd: hostile errata: exit 3 naming the file and line, nothing imported, memory bounded" {
	"$SHIPSHAPE" db import -q --db "$(DB)" "$D/al2-updateinfo.xml"
	local before t="$BATS_TEST_TMPDIR"
	before=$(sqlite3 "$(DB)" .dump | sha256sum)
	# truncated, plain and compressed
	head -c 3000 "$D/al2023-updateinfo.xml" > "$t/trunc.xml"
	gzip -c "$D/al2023-updateinfo.xml" | head -c 700 > "$t/trunc.xml.gz"
	# billion laughs: entities are declared in a DTD, which is refused before it is read
	cat > "$t/laughs.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE updates [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<updates><update type="security"><id>ALAS2-&e;</id></update></updates>
EOF
	# an external entity: nothing is fetched
	printf '<?xml version="1.0"?>\n<!DOCTYPE updates SYSTEM "http://127.0.0.1:9/x.dtd">\n<updates><update><id>&x;</id></update></updates>\n' > "$t/external.xml"
	# nested a hundred thousand deep
	{
		printf '<updates>'
		yes '<a>' | head -n 100000 | tr -d '\n'
	} > "$t/deep.xml"
	# one attribute of 40 MiB, as one line
	{
		printf '<updates><update type="security"><id n="'
		head -c $((40 << 20)) /dev/zero | tr '\0' A
		printf '">ALAS2-1</id></update></updates>'
	} > "$t/huge.xml"
	local c f want
	for c in "trunc.xml|line 48, column 27: no element found (the document ends early: truncated?)" "trunc.xml.gz|truncated gzip input" \
		"laughs.xml|line 2: a document type declaration" "external.xml|line 2: a document type declaration" \
		"deep.xml|line 1: elements nested deeper than 32" \
		"huge.xml|line 1: a tag, attribute or comment longer than 8 MiB"; do
		f=${c%%|*}
		want=${c#*|}
		/usr/bin/time -f '%M' -o "$t/rss" "$SHIPSHAPE" db import --db "$(DB)" "$t/$f" 2> "$t/err" && false
		grep -q "Command exited with non-zero status 3" "$t/rss"
		[ "$(tail -1 "$t/rss")" -lt 200000 ] # KiB: the file is never held whole
		[[ "$(cat "$t/err")" == *"$t/$f: "$want*" (nothing of it imported)" ]]
		[ "$(sqlite3 "$(DB)" .dump | sha256sum)" = "$before" ]
	done
	# an HTML error page or other XML where errata were expected is not a feed
	printf '<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n' > "$t/error.html"
	run "$SHIPSHAPE" db import --db "$(DB)" "$t/error.html"
	[ "$status" -eq 3 ]
	[[ "$output" == *"error.html: not a feed shipshape reads"*"rpm-md updateinfo.xml"* ]]
	run "$SHIPSHAPE" db import --db "$(DB)" "$D/repomd.xml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"repomd.xml: not a feed shipshape reads"* ]]
}
