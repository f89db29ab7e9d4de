#!/usr/bin/env bats
# Counted once: a language package whose files belong to an OS package (dpkg's file lists,
# apk's installed database) is matched through the OS package's feed, not its upstream
# ecosystem's, and the SBOM names its owner; a vulnerability told by several feeds, under the
# source and the binary package's names, or under an alias, is one finding listing its aliases.
# Roots written here (no network), and Debian's own python3-urllib3 from debootstrap (make
# test-data caches it) when that is there.

load helpers
. "$BATS_TEST_DIRNAME/../images/lib.sh"

DB() { echo "$BATS_TEST_TMPDIR/vuln.db"; }
URLLIB3_TAR="${DEB_TAR%-minbase.tar}-urllib3.tar"
CVE=CVE-2023-43804
GHSA=GHSA-v845-jxx5-vc9f

# debian_root DIR: a Debian 12 root as dpkg leaves it with python3-urllib3 1.26.12-1+deb12u4
# (source python-urllib3) installed, its egg-info listed in info/python3-urllib3.list, and
# urllib3 1.26.5 installed by pip beside it (no OS package's file list names it).
debian_root() {
	local r=$1 egg=usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info
	local pip=usr/local/lib/python3.11/dist-packages/urllib3-1.26.5.dist-info
	mkdir -p "$r/etc" "$r/var/lib/dpkg/info" "$r/$egg" "$r/$pip"
	printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' \
		> "$r/etc/os-release"
	printf 'Package: python3-urllib3\nStatus: install ok installed\nSource: python-urllib3\nVersion: 1.26.12-1+deb12u4\nArchitecture: all\n\n' \
		> "$r/var/lib/dpkg/status"
	printf '/.\n/usr\n/usr/lib\n/usr/lib/python3/dist-packages\n/%s\n/%s/PKG-INFO\n/usr/lib/python3/dist-packages/urllib3/__init__.py\n' \
		"$egg" "$egg" > "$r/var/lib/dpkg/info/python3-urllib3.list"
	printf 'Metadata-Version: 2.1\nName: urllib3\nVersion: 1.26.12\n' > "$r/$egg/PKG-INFO"
	printf 'Metadata-Version: 2.1\nName: urllib3\nVersion: 1.26.5\n' > "$r/$pip/METADATA"
}

# osv FILE ID ECOSYSTEM PACKAGE FIXED [ALIASES_JSON [UPSTREAM_JSON]]: one OSV record
osv() {
	jq -n --arg id "$2" --arg eco "$3" --arg pkg "$4" --arg fixed "$5" --argjson aliases "${6:-[]}" \
		--argjson upstream "${7:-[]}" \
		'{id: $id, modified: "2023-10-10T00:00:00Z", summary: "\($pkg) issue", aliases: $aliases,
		  upstream: $upstream, database_specific: {severity: "HIGH"},
		  affected: [{package: {ecosystem: $eco, name: $pkg},
			ranges: [{type: "ECOSYSTEM", events: [{introduced: "0"}, {fixed: $fixed}]}]}]}' > "$1"
}

# feeds DIR DEBIAN_FIXED: Debian's record of the CVE for the source package fixed in
# DEBIAN_FIXED, and PyPI's (GitHub's advisory, the CVE as its alias) fixed in 1.26.17
feeds() {
	mkdir -p "$1"
	osv "$1/debian.json" "DEBIAN-$CVE" Debian:12 python-urllib3 "$2" '[]' "[\"$CVE\"]"
	osv "$1/pypi.json" "$GHSA" PyPI urllib3 1.26.17 "[\"$CVE\"]"
}

# one line per match: id package version type source
matches() { jq -r '.vulnerabilities[] | "\(.id) \(.package) \(.version) \(.type) \(.source)"' | sort; }

@test "counted-once: an OS package's urllib3 is not matched through PyPI; pip's own still is" {
	debian_root "$BATS_TEST_TMPDIR/root"
	feeds "$BATS_TEST_TMPDIR/feeds" 1.26.12-1+deb12u1
	"$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/feeds"
	run "$SHIPSHAPE" vuln --db "$(DB)" --format json "$BATS_TEST_TMPDIR/root"
	[ "$status" -eq 1 ]
	# Debian fixed it in deb12u1 (installed: deb12u4); the pip-installed 1.26.5 is PyPI's
	[ "$(echo "$output" | matches)" = "$CVE urllib3 1.26.5 pypi osv:PyPI" ]
	echo "$output" | jq -e --arg g "$GHSA" '.vulnerabilities[0].aliases == $g'
	# without the pip-installed one, nothing at all
	rm -r "$BATS_TEST_TMPDIR/root/usr/local"
	run "$SHIPSHAPE" vuln --db "$(DB)" --format json "$BATS_TEST_TMPDIR/root"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.vulnerabilities == []'
}

@test "counted-once: a Debian fix not yet installed fires once, through Debian's record" {
	debian_root "$BATS_TEST_TMPDIR/root"
	rm -r "$BATS_TEST_TMPDIR/root/usr/local"
	feeds "$BATS_TEST_TMPDIR/feeds" 1.26.12-1+deb12u5
	"$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/feeds"
	run "$SHIPSHAPE" vuln --db "$(DB)" --format json "$BATS_TEST_TMPDIR/root"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | matches)" = "$CVE python3-urllib3 1.26.12-1+deb12u4 deb osv:Debian" ]
	echo "$output" | jq -e --arg a "DEBIAN-$CVE" '.vulnerabilities[0] | .aliases == $a and
		.matched_as == "python-urllib3" and .fixed_version == "1.26.12-1+deb12u5"'
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP3001")] | length == 1'
	# the text report names the aliases beside the id
	run "$SHIPSHAPE" vuln --db "$(DB)" "$BATS_TEST_TMPDIR/root"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$CVE (DEBIAN-$CVE) in python3-urllib3 1.26.12-1+deb12u4: fixed in 1.26.12-1+deb12u5"* ]]
}

@test "counted-once: two feeds, the source and the binary name, a DSA and its CVE: one finding each" {
	debian_root "$BATS_TEST_TMPDIR/root"
	rm -r "$BATS_TEST_TMPDIR/root/usr/local"
	local f=$BATS_TEST_TMPDIR/feeds
	feeds "$f" 1.26.12-1+deb12u5
	# the same CVE under the binary package's name, and a DSA fixing it and another CVE
	osv "$f/binary.json" "$CVE" Debian:12 python3-urllib3 1.26.12-1+deb12u5
	osv "$f/dsa.json" DSA-5999-1 Debian:12 python-urllib3 1.26.12-1+deb12u6 "[\"$CVE\", \"CVE-2023-45803\"]"
	# and the Debian tracker's JSON for bookworm saying the same
	jq -n --arg cve "$CVE" '{"python-urllib3": {($cve): {description: "tracker",
		releases: {bookworm: {status: "resolved", fixed_version: "1.26.12-1+deb12u5", urgency: "medium"}}}}}' \
		> "$f/tracker.json"
	"$SHIPSHAPE" db import --db "$(DB)" "$f"
	"$SHIPSHAPE" db info --db "$(DB)" | grep -q debian-tracker:bookworm
	run "$SHIPSHAPE" vuln --db "$(DB)" --format json "$BATS_TEST_TMPDIR/root"
	[ "$status" -eq 1 ]
	# the CVE once (the DSA's later fix is the one that fixes all), the DSA's other CVE once
	[ "$(echo "$output" | jq -r '.vulnerabilities[] | "\(.id) \(.fixed_version)"' | sort)" = \
		"CVE-2023-43804 1.26.12-1+deb12u6
CVE-2023-45803 1.26.12-1+deb12u6" ]
	echo "$output" | jq -e --arg cve "$CVE" '.vulnerabilities[] | select(.id == $cve) |
		(.aliases | split(",") | sort) == (["DEBIAN-\($cve)", "DSA-5999-1"] | sort) and
		(.sources | split(",") | sort) == ["debian-tracker:bookworm", "osv:Debian"]'
	# the DSA's other CVE does not become an alias of the first
	echo "$output" | jq -e '.vulnerabilities[] | select(.id == "CVE-2023-45803") | .aliases == "DSA-5999-1"'
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP3001")] | length == 2'
	# an ignore by any of its names drops the one finding
	run "$SHIPSHAPE" vuln --db "$(DB)" --format json --ignore "DEBIAN-$CVE" --ignore CVE-2023-45803 \
		"$BATS_TEST_TMPDIR/root"
	[ "$status" -eq 0 ]
}

@test "counted-once: advisories without a CVE that alias each other are one, under GitHub's id" {
	local r=$BATS_TEST_TMPDIR/root f=$BATS_TEST_TMPDIR/feeds
	mkdir -p "$r/app/node_modules/left-pad" "$f"
	echo '{"name": "left-pad", "version": "1.0.0"}' > "$r/app/node_modules/left-pad/package.json"
	osv "$f/a.json" GHSA-aaaa-bbbb-cccc npm left-pad 1.1.0
	osv "$f/b.json" MAL-2024-1 npm left-pad 1.2.0 '["GHSA-aaaa-bbbb-cccc"]'
	osv "$f/c.json" GHSA-dddd-eeee-ffff npm left-pad 1.3.0
	"$SHIPSHAPE" db import --db "$(DB)" "$f"
	run "$SHIPSHAPE" vuln --db "$(DB)" --format json "$r"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | jq -r '.vulnerabilities[] | "\(.id) \(.aliases) \(.fixed_version)"' | sort)" = \
		"GHSA-aaaa-bbbb-cccc MAL-2024-1 1.2.0
GHSA-dddd-eeee-ffff null 1.3.0" ]
}

@test "counted-once: the SBOM names the owner: a CycloneDX property and edge, an SPDX relationship" {
	debian_root "$BATS_TEST_TMPDIR/root"
	local deb='pkg:deb/debian/python3-urllib3@1.26.12-1%2Bdeb12u4?arch=all&upstream=python-urllib3&distro=debian-12'
	run "$SHIPSHAPE" sbom --format cyclonedx "$BATS_TEST_TMPDIR/root"
	[ "$status" -eq 0 ]
	echo "$output" > "$BATS_TEST_TMPDIR/cdx.json"
	echo "$output" | jq -e '[.components[] | select(.properties // [] | any(.name == "shipshape:package:owner")) |
		"\(.purl) \(.properties[] | select(.name == "shipshape:package:owner") | .value)"] ==
		["pkg:pypi/urllib3@1.26.12 python3-urllib3"]'
	echo "$output" | jq -e --arg deb "$deb" '[.dependencies[] | select(.ref == $deb)] ==
		[{ref: $deb, dependsOn: ["pkg:pypi/urllib3@1.26.12"]}]'
	# every reference of the edges is a component's
	echo "$output" | jq -e '[.components[]."bom-ref"] as $refs |
		all(.dependencies[]; (.ref == "subject" or (.ref | IN($refs[]))) and all(.dependsOn[]; IN($refs[])))'
	run "$SHIPSHAPE" sbom --format spdx "$BATS_TEST_TMPDIR/root"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '(.packages | map({key: .SPDXID, value: "\(.name)@\(.versionInfo)"}) | from_entries) as $p |
		[.relationships[] | select(.spdxElementId != "SPDXRef-Subject" and .spdxElementId != "SPDXRef-DOCUMENT") |
		"\($p[.spdxElementId]) \(.relationshipType) \($p[.relatedSpdxElement])"] ==
		["python3-urllib3@1.26.12-1+deb12u4 CONTAINS urllib3@1.26.12"]'
	run "$SHIPSHAPE" sbom --format json "$BATS_TEST_TMPDIR/root"
	echo "$output" | jq -e '[.packages[] | select(.owner) | "\(.name) \(.version) \(.owner)"] ==
		["urllib3 1.26.12 python3-urllib3"]'
	# matching the SBOM is matching the root: the owned package through its OS package
	feeds "$BATS_TEST_TMPDIR/feeds" 1.26.12-1+deb12u1
	"$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/feeds"
	run "$SHIPSHAPE" vuln --db "$(DB)" --format json "$BATS_TEST_TMPDIR/cdx.json"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | matches)" = "$CVE urllib3 1.26.5 pypi osv:PyPI" ]
}

@test "counted-once: owners through image layers, a file list in one and the package in another" {
	debian_root "$BATS_TEST_TMPDIR/root"
	cat > "$BATS_TEST_TMPDIR/case.sh" <<-EOF
		new_layer 'ADD rootfs /'
		cp -a "$BATS_TEST_TMPDIR/root/etc" "$BATS_TEST_TMPDIR/root/var" "\$L/"
		new_layer 'RUN apt-get install python3-urllib3 && pip install urllib3==1.26.5'
		cp -a "$BATS_TEST_TMPDIR/root/usr" "\$L/"
	EOF
	build_image "$BATS_TEST_TMPDIR/case.sh" "$BATS_TEST_TMPDIR/img.tar"
	feeds "$BATS_TEST_TMPDIR/feeds" 1.26.12-1+deb12u1
	"$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/feeds"
	# twice: the second scan's layers come from the cache, and say the same
	for i in 1 2; do
		run "$SHIPSHAPE" vuln --db "$(DB)" --format json "$BATS_TEST_TMPDIR/img.tar"
		[ "$status" -eq 1 ]
		[ "$(echo "$output" | matches)" = "$CVE urllib3 1.26.5 pypi osv:PyPI" ]
	done
	# a later layer that deletes the file list leaves the package nobody's
	cat >> "$BATS_TEST_TMPDIR/case.sh" <<-EOF
		new_layer 'RUN rm /var/lib/dpkg/info/python3-urllib3.list'
		whiteout var/lib/dpkg/info/python3-urllib3.list
	EOF
	build_image "$BATS_TEST_TMPDIR/case.sh" "$BATS_TEST_TMPDIR/img2.tar"
	run "$SHIPSHAPE" vuln --db "$(DB)" --format json "$BATS_TEST_TMPDIR/img2.tar"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | matches)" = "$CVE urllib3 1.26.12 pypi osv:PyPI
$CVE urllib3 1.26.5 pypi osv:PyPI" ]
}

@test "counted-once: apk's installed database and distroless's md5sums name owners too" {
	local r=$BATS_TEST_TMPDIR/apk m=usr/lib/python3.11/site-packages/urllib3-1.26.12.dist-info
	mkdir -p "$r/etc" "$r/lib/apk/db" "$r/$m"
	echo 3.18.4 > "$r/etc/alpine-release"
	printf 'P:py3-urllib3\nV:1.26.12-r0\nA:noarch\no:py3-urllib3\nF:%s\nR:METADATA\nR:RECORD\n\n' "$m" \
		> "$r/lib/apk/db/installed"
	printf 'Metadata-Version: 2.1\nName: urllib3\nVersion: 1.26.12\n' > "$r/$m/METADATA"
	run "$SHIPSHAPE" sbom --format json "$r"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.packages[] | select(.owner) | "\(.name) \(.owner)"] == ["urllib3 py3-urllib3"]'
	# distroless: status.d/NAME and NAME.md5sums, paths without their leading slash
	local d=$BATS_TEST_TMPDIR/distroless e=usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info
	mkdir -p "$d/etc" "$d/var/lib/dpkg/status.d" "$d/$e"
	printf 'ID=debian\nVERSION_ID="12"\n' > "$d/etc/os-release"
	printf 'Package: python3-urllib3\nSource: python-urllib3\nVersion: 1.26.12-1+deb12u4\nArchitecture: all\n' \
		> "$d/var/lib/dpkg/status.d/python3-urllib3"
	printf '0123456789abcdef0123456789abcdef  %s/PKG-INFO\n' "$e" > "$d/var/lib/dpkg/status.d/python3-urllib3.md5sums"
	printf 'Metadata-Version: 2.1\nName: urllib3\nVersion: 1.26.12\n' > "$d/$e/PKG-INFO"
	feeds "$BATS_TEST_TMPDIR/feeds" 1.26.12-1+deb12u1
	"$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/feeds"
	run "$SHIPSHAPE" vuln --db "$(DB)" --format json "$d"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.vulnerabilities == []'
	run "$SHIPSHAPE" sbom --format json "$d"
	echo "$output" | jq -e '[.packages[] | select(.owner) | "\(.name) \(.owner)"] == ["urllib3 python3-urllib3"]'
	# the summary counts the status.d control file as the one database, not the file list
	echo "$output" | jq -e '.summary.databases == 1'
}

@test "counted-once: Debian's python3-urllib3 from debootstrap is matched through Debian's record" {
	[ -s "$URLLIB3_TAR" ] ||
		skip "no Debian root with python3-urllib3 cached: make test-data (root, debootstrap and apt's mirror) makes it"
	local r=$BATS_TEST_TMPDIR/deb
	mkdir -p "$r"
	tar -C "$r" -xf "$URLLIB3_TAR" --exclude './dev/*'
	local ver
	ver=$(sed -n '/^Package: python3-urllib3$/,/^$/s/^Version: //p' "$r/var/lib/dpkg/status")
	[ -n "$ver" ]
	run "$SHIPSHAPE" sbom --format json "$r"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.packages[] | select(.type == "pypi" and .name == "urllib3") | .owner] == ["python3-urllib3"]'
	# Debian's fix is installed (deb12u1 or later): neither Debian's record nor PyPI's fires
	feeds "$BATS_TEST_TMPDIR/feeds" 1.26.12-1+deb12u1
	"$SHIPSHAPE" db import --db "$(DB)" "$BATS_TEST_TMPDIR/feeds"
	run "$SHIPSHAPE" vuln --db "$(DB)" --format json "$r"
	echo "$output" | jq -e '[.vulnerabilities[] | select(.package | test("urllib3"))] == []'
	# a Debian fix after the installed version: once, through Debian's record
	feeds "$BATS_TEST_TMPDIR/feeds2" "$ver+1"
	"$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/vuln2.db" "$BATS_TEST_TMPDIR/feeds2"
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/vuln2.db" --format json "$r"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | matches | grep urllib3)" = "$CVE python3-urllib3 $ver deb osv:Debian" ]
	# the same root as an image's one layer (a docker-save tar), read as a stream
	local img=$BATS_TEST_TMPDIR/img d
	mkdir -p "$img"
	cp "$URLLIB3_TAR" "$img/layer.tar"
	d=$(sha256sum "$img/layer.tar" | cut -d' ' -f1)
	jq -n --arg d "sha256:$d" '{architecture: "amd64", os: "linux", config: {}, rootfs: {type: "layers", diff_ids: [$d]}}' \
		> "$img/config.json"
	jq -n '[{Config: "config.json", RepoTags: ["test/urllib3:1"], Layers: ["layer.tar"]}]' > "$img/manifest.json"
	tar -C "$img" -cf "$BATS_TEST_TMPDIR/deb.tar" manifest.json config.json layer.tar
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/vuln2.db" --format json "$BATS_TEST_TMPDIR/deb.tar"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | matches | grep urllib3)" = "$CVE python3-urllib3 $ver deb osv:Debian" ]
}
