#!/usr/bin/env bats
# shipshape sbom: package lists from the corpus fixtures and a real Debian root, npm and
# Python packages from an image built here, Go programs' modules against `go version -m`,
# Java archives' Maven artifacts against Python's zipfile, CycloneDX validated by the CycloneDX library's
# official 1.5 schema, SPDX by the spec's required shape.

load helpers
. "$BATS_TEST_DIRNAME/../images/lib.sh"
. "$BATS_TEST_DIRNAME/lang-image.bash"
. "$BATS_TEST_DIRNAME/go-program.bash"
. "$BATS_TEST_DIRNAME/java-archive.bash"

ALPINE311="$CORPUS/images/trivy/pkg_fanal_test_testdata_alpine-311.tar.gz"
SYFT_DEB="$CORPUS/pkgdb/syft/syft/pkg/cataloger/debian/testdata"
DEB_TAR="${SHIPSHAPE_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipshape-test}/debian-bookworm-minbase.tar"

# the validators come from make npm-tools (make test installs them); without them a test
# still checks everything else and says what it left out
have_validators() {
	[ -x "$NPM_DIR/node_modules/.bin/ajv" ] && [ -d "$NPM_DIR/node_modules/@cyclonedx/cyclonedx-library" ] && return
	echo "# $BATS_TEST_DESCRIPTION: schema validation left out (make npm-tools)" >&3
	false
}
cdx_valid() { ! have_validators || NPM_DIR="$NPM_DIR" node "$ROOT/tests/tools/validate-cdx.js" "$1"; }
spdx_valid() {
	have_validators || return 0
	"$NPM_DIR/node_modules/.bin/ajv" validate --spec=draft7 -c ajv-formats \
		-s "$ROOT/tests/schemas/spdx-2.3-subset.schema.json" -d "$1"
}
# a root directory holding one file at the given path
root_with() { # SRC DEST-PATH -> prints the root
	local r
	r=$(mktemp -d "$BATS_TEST_TMPDIR/root.XXXXXX")
	mkdir -p "$r/$(dirname "$2")"
	cp "$1" "$r/$2"
	echo "$r"
}

# sbom_json SRC PATH: runs sbom -f json on a root ($R) holding SRC at PATH; must succeed
sbom_json() {
	R=$(root_with "$1" "$2")
	run "$SHIPSHAPE" sbom -f json "$R"
	[ "$status" -eq 0 ]
}

@test "sbom: alpine-311 lists the 14 packages trivy's test expects (name, version, origin, arch)" {
	[ -f "$ALPINE311" ] || skip "corpus not found"
	run "$SHIPSHAPE" sbom -f json "$ALPINE311"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.os.id == "alpine" and .os.version_id == "3.11.5" and .summary.packages == 14'
	diff <(tail -n +2 "$CORPUS/images/trivy/alpine-311_expected_packages.tsv" | cut -f2,3,4,5,7 | sort) \
		<(echo "$output" | jq -r '.packages[] | [.name, .version, .source, .source_version, .arch] | @tsv' | sort)
	echo "$output" | jq -e '.packages[] | select(.name == "musl-utils") |
		.purl == "pkg:apk/alpine/musl-utils@1.1.24-r2?arch=x86_64&upstream=musl&distro=3.11.5" and .layer == 1 and .license == "MIT BSD GPL2+"'
}

@test "sbom: CycloneDX 1.5 validates with the official schema; SPDX 2.3 has the spec's shape" {
	[ -f "$ALPINE311" ] || skip "corpus not found"
	[ -x "$NPM_DIR/node_modules/.bin/ajv" ] || skip "validators not installed (make npm-tools)"
	"$SHIPSHAPE" sbom "$ALPINE311" > "$BATS_TEST_TMPDIR/a.cdx.json"
	run cdx_valid "$BATS_TEST_TMPDIR/a.cdx.json"
	[ "$output" = "VALID" ]
	jq -e '.specVersion == "1.5" and ([.components[] | select(.type == "library")] | length) == 14 and
		(.components[0] | .type == "operating-system" and .name == "alpine")' "$BATS_TEST_TMPDIR/a.cdx.json"
	"$SHIPSHAPE" sbom --format spdx -o "$BATS_TEST_TMPDIR/a.spdx.json" "$ALPINE311"
	run spdx_valid "$BATS_TEST_TMPDIR/a.spdx.json"
	[ "$status" -eq 0 ]
	jq -e '[.packages[] | select(.primaryPackagePurpose == "LIBRARY")] | length == 14' "$BATS_TEST_TMPDIR/a.spdx.json"
	jq -e '[.relationships[] | select(.relationshipType == "CONTAINS")] | length == 15' "$BATS_TEST_TMPDIR/a.spdx.json"
	# the same image gives the same document (serial number from content; time from SOURCE_DATE_EPOCH)
	SOURCE_DATE_EPOCH=0 "$SHIPSHAPE" sbom "$ALPINE311" > "$BATS_TEST_TMPDIR/1"
	SOURCE_DATE_EPOCH=0 "$SHIPSHAPE" sbom "$ALPINE311" > "$BATS_TEST_TMPDIR/2"
	cmp "$BATS_TEST_TMPDIR/1" "$BATS_TEST_TMPDIR/2"
	jq -e '.metadata.timestamp == "1970-01-01T00:00:00Z"' "$BATS_TEST_TMPDIR/1"
}

@test "sbom: trivy's dpkg fixture gives the 90 installed packages trivy expects" {
	[ -f "$CORPUS/pkgdb/trivy/dpkg_valid_expected_ids.txt" ] || skip "corpus not found"
	sbom_json "$CORPUS/pkgdb/fanal/analyzer/pkg/dpkg/testdata/dpkg" var/lib/dpkg/status
	diff <(sort "$CORPUS/pkgdb/trivy/dpkg_valid_expected_ids.txt") \
		<(echo "$output" | jq -r '.packages[] | "\(.name)@\(.version)"' | sort)
	# Source: with its own version
	echo "$output" | jq -e '.packages[] | select(.name == "libgcc1") |
		.source == "gcc-8" and .source_version == "8-20180414-1ubuntu2" and .version == "1:8-20180414-1ubuntu2"'
	echo "$output" | jq -e '.packages[] | select(.name == "libgcc1") | .purl | test("@1%3A8-20180414-1ubuntu2\\?arch=amd64&upstream=gcc-8%408-20180414-1ubuntu2$")'
}

@test "sbom: distroless status.d files; deinstalled and version-less stanzas are not packages" {
	[ -d "$SYFT_DEB" ] || skip "corpus not found"
	run "$SHIPSHAPE" sbom -f json "$SYFT_DEB/image-distroless-deb"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.packages[] | "\(.name) \(.version) \(.source)"] == ["libsqlite3-0 3.34.1-3 sqlite3"]'
	echo "$output" | jq -e '.packages[0].database == "/var/lib/dpkg/status.d/libsqlite3-0"'
	local r
	r=$(root_with "$SYFT_DEB/var/lib/dpkg/status.d/deinstall" var/lib/dpkg/status.d/linux)
	run "$SHIPSHAPE" sbom -f json "$r"
	echo "$output" | jq -e '[.packages[].name] == ["linux-image-6.14.0-1012-aws"]'
	r=$(root_with "$SYFT_DEB/var/lib/dpkg/status.d/multiple" var/lib/dpkg/status.d/multiple)
	run "$SHIPSHAPE" sbom -f json "$r"
	echo "$output" | jq -e '[.packages[].name] == ["tzdata", "util-linux"]'
	# osv-scalibr's status field cases: only not-installed and config-files drop a package
	r=$(root_with "$CORPUS/pkgdb/osv-scalibr/extractor/filesystem/os/dpkg/testdata/dpkg/statusfield" var/lib/dpkg/status)
	run "$SHIPSHAPE" sbom -f json "$r"
	echo "$output" | jq -e '[.packages[].name] | index("wantdeinstall_configfiles") == null and index("wantdeinstall_installed") != null'
}

@test "sbom: malformed package databases give exit 3 with the file and line" {
	[ -d "$SYFT_DEB" ] || skip "corpus not found"
	run "$SHIPSHAPE" sbom "$SYFT_DEB"
	[ "$status" -eq 3 ]
	[[ "$output" == *"/var/lib/dpkg/status.d/corrupt:5: not a \"Field: value\" line"* ]]
	local r
	r=$(root_with "$CORPUS/pkgdb/osv-scalibr/extractor/filesystem/os/apk/testdata/invalid" lib/apk/db/installed)
	run "$SHIPSHAPE" sbom "$r"
	[ "$status" -eq 3 ]
	[[ "$output" == *"/lib/apk/db/installed:1: not an apk \"X:value\" line"* ]]
	printf 'Package: a\nVersion: 1\n\x00\x01binary\n' > "$BATS_TEST_TMPDIR/bin"
	r=$(root_with "$BATS_TEST_TMPDIR/bin" var/lib/dpkg/status)
	run "$SHIPSHAPE" sbom "$r"
	[ "$status" -eq 3 ]
	[[ "$output" == *"/var/lib/dpkg/status:3:"* ]]
}

@test "sbom: a root without package databases says so and lists nothing" {
	mkdir -p "$BATS_TEST_TMPDIR/empty/etc"
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/empty"
	[ "$status" -eq 0 ]
	[[ "$output" == *"no package database found"* ]]
	run "$SHIPSHAPE" sbom -f nope "$BATS_TEST_TMPDIR/empty"
	[ "$status" -eq 2 ]
}

# layer 1 installs a and b; layer 2 removes b (apk rewrites its database); layer 3 adds c
apk_db() { for p in "$@"; do printf 'P:%s\nV:1.0-r0\nA:x86_64\nL:MIT\n\n' "$p"; done; }
case_removed() {
	new_layer 'RUN apk add a b'
	mkdir -p "$L/lib/apk/db" "$L/etc"
	apk_db a b > "$L/lib/apk/db/installed"
	echo 3.18.4 > "$L/etc/alpine-release"
	new_layer 'RUN apk del b'
	mkdir -p "$L/lib/apk/db"
	apk_db a > "$L/lib/apk/db/installed"
	new_layer 'RUN apk add c'
	mkdir -p "$L/lib/apk/db"
	apk_db a c > "$L/lib/apk/db/installed"
}

@test "sbom: packages come with the layer that added them; --all-layers adds removed ones" {
	declare -f apk_db > "$BATS_TEST_TMPDIR/case.sh"
	declare -f case_removed | sed '1,2d;$d' >> "$BATS_TEST_TMPDIR/case.sh"
	build_image "$BATS_TEST_TMPDIR/case.sh" "$BATS_TEST_TMPDIR/img.tar"
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.packages[] | "\(.name) \(.layer) \(.removed)"] == ["a 1 false", "c 3 false"]'
	echo "$output" | jq -e '.os.id == "alpine" and .os.version_id == "3.18.4"'
	run "$SHIPSHAPE" sbom -f json --all-layers "$BATS_TEST_TMPDIR/img.tar"
	echo "$output" | jq -e '[.packages[] | "\(.name) \(.layer) \(.removed)"] == ["a 1 false", "b 1 true", "c 3 false"]'
	run "$SHIPSHAPE" sbom -f text "$BATS_TEST_TMPDIR/img.tar"
	[[ "$output" == *"2 packages from 1 database"* ]]
}

@test "sbom: npm and Python packages: node_modules manifests (scoped and nested too), dist-info and egg-info metadata" {
	declare -f case_lang | sed '1,2d;$d' > "$BATS_TEST_TMPDIR/case.sh"
	build_image "$BATS_TEST_TMPDIR/case.sh" "$BATS_TEST_TMPDIR/img.tar"
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 0 ]
	# not the app's own package.json, a test fixture's, a broken one, or lodash (removed by layer 2)
	echo "$output" | jq -e '[.packages[] | "\(.type) \(.name) \(.version) \(.layer)"] ==
		["npm @types/node 20.1.0 1", "npm express 4.18.2 2", "pypi PyYAML 5.3.1 1", "pypi requests 2.19.0 1"]'
	echo "$output" | jq -e '[.packages[] | .purl] == ["pkg:npm/%40types/node@20.1.0", "pkg:npm/express@4.18.2",
		"pkg:pypi/pyyaml@5.3.1", "pkg:pypi/requests@2.19.0"]'
	echo "$output" | jq -e '[.packages[] | .license] == ["MIT", "MIT", "MIT", "Apache 2.0"]'
	# the broken manifest was read too (and skipped); no OS package database
	echo "$output" | jq -e '.summary == {packages: 4, databases: 0, manifests: 5, programs: 0, archives: 0}'
	run "$SHIPSHAPE" sbom -f text "$BATS_TEST_TMPDIR/img.tar"
	[[ "$output" == *"4 packages from 0 databases and 5 package manifests"* ]]
	run "$SHIPSHAPE" sbom -f json --all-layers "$BATS_TEST_TMPDIR/img.tar"
	echo "$output" | jq -e '[.packages[] | select(.removed) | "\(.name) \(.version)"] == ["lodash 4.17.20", "ms 2.1.2"]'
	# the standard formats carry them too, and CycloneDX still validates
	"$SHIPSHAPE" sbom -f cyclonedx -o "$BATS_TEST_TMPDIR/l.cdx.json" "$BATS_TEST_TMPDIR/img.tar"
	jq -e '[.components[] | .purl // empty] | index("pkg:npm/%40types/node@20.1.0") != null' "$BATS_TEST_TMPDIR/l.cdx.json"
	cdx_valid "$BATS_TEST_TMPDIR/l.cdx.json"
	"$SHIPSHAPE" sbom -f spdx -o "$BATS_TEST_TMPDIR/l.spdx.json" "$BATS_TEST_TMPDIR/img.tar"
	jq -e '[.packages[].externalRefs[]? | .referenceLocator] | index("pkg:pypi/pyyaml@5.3.1") != null' "$BATS_TEST_TMPDIR/l.spdx.json"
}

@test "sbom: Go programs: the modules and standard library go version -m lists, from a directory and from layers" {
	mkdir -p "$BATS_TEST_TMPDIR/r/bin"
	go_program "$BATS_TEST_TMPDIR/r/bin/app" || skip "no Go toolchain (make deps installs golang-go)"
	# stripped and 32-bit: the same build information; a copy without an execute bit is not
	# a program (as trivy has it), nor is an executable script
	GOARCH=386 go_program "$BATS_TEST_TMPDIR/r/bin/app386" -ldflags="-s -w"
	install -m 644 "$BATS_TEST_TMPDIR/r/bin/app" "$BATS_TEST_TMPDIR/r/bin/copy"
	printf '#!/bin/sh\necho "\377 Go buildinf:"\n' > "$BATS_TEST_TMPDIR/r/bin/script" && chmod 755 "$BATS_TEST_TMPDIR/r/bin/script"
	go_modules "$BATS_TEST_TMPDIR/r/bin/app" > "$BATS_TEST_TMPDIR/want"
	go_modules "$BATS_TEST_TMPDIR/r/bin/app386" | diff "$BATS_TEST_TMPDIR/want" -
	grep -qx 'github.com/example/fork v1.3.0' "$BATS_TEST_TMPDIR/want" # the replacement
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/r"
	[ "$status" -eq 0 ]
	echo "$output" | jq -r '.packages[] | "\(.name) \(.version)"' | diff "$BATS_TEST_TMPDIR/want" -
	echo "$output" | jq -e '.summary == {packages: 3, databases: 0, manifests: 0, programs: 2, archives: 0}'
	echo "$output" | jq -e '[.packages[] | .purl] == ["pkg:golang/github.com/example/fork@v1.3.0",
		"pkg:golang/golang.org/x/text@v0.3.7", "pkg:golang/stdlib@\(.packages[2].version)"] and
		([.packages[] | .type] | unique) == ["golang"]'
	# the same from an image's layers; a later layer's deletion leaves them only in --all-layers
	cat > "$BATS_TEST_TMPDIR/case.sh" <<-EOF
	new_layer 'COPY bin /usr/local/bin'
	cp -a "$BATS_TEST_TMPDIR/r/bin" "\$L/bin"
	new_layer 'RUN rm /bin/app /bin/app386'
	whiteout bin/app
	whiteout bin/app386
	EOF
	build_image "$BATS_TEST_TMPDIR/case.sh" "$BATS_TEST_TMPDIR/img.tar"
	"$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/img.tar" 2>/dev/null |
		jq -e '.summary == {packages: 0, databases: 0, manifests: 0, programs: 0, archives: 0}'
	"$SHIPSHAPE" sbom -f json --all-layers "$BATS_TEST_TMPDIR/img.tar" 2>/dev/null |
		jq -r '.packages[] | select(.removed and .layer == 1) | "\(.name) \(.version)"' | diff "$BATS_TEST_TMPDIR/want" -
	head -n 1 "$BATS_TEST_TMPDIR/case.sh" > "$BATS_TEST_TMPDIR/one.sh"
	sed -n 2p "$BATS_TEST_TMPDIR/case.sh" >> "$BATS_TEST_TMPDIR/one.sh"
	build_image "$BATS_TEST_TMPDIR/one.sh" "$BATS_TEST_TMPDIR/one.tar"
	run "$SHIPSHAPE" sbom -f text "$BATS_TEST_TMPDIR/one.tar"
	[[ "$output" == *"3 packages from 0 databases and 2 Go programs"* ]]
	[[ "$output" == *"golang.org/x/text"*"v0.3.7"*"golang 1"* ]]
	"$SHIPSHAPE" sbom -o "$BATS_TEST_TMPDIR/g.cdx.json" "$BATS_TEST_TMPDIR/one.tar"
	jq -e '[.components[] | .purl // empty] | index("pkg:golang/golang.org/x/text@v0.3.7") != null' "$BATS_TEST_TMPDIR/g.cdx.json"
	[ ! -x "$NPM_DIR/node_modules/.bin/ajv" ] || [ "$(cdx_valid "$BATS_TEST_TMPDIR/g.cdx.json")" = "VALID" ]
}

@test "sbom: the Go programs installed on this machine list what go version -m lists" {
	command -v go >/dev/null || skip "no Go toolchain (make deps installs golang-go)"
	local d f n=0 tools
	tools=$(go env GOTOOLDIR)
	for d in /usr/bin /usr/sbin /usr/local/bin /usr/lib/google-cloud-sdk/bin "$tools"; do
		[ -d "$d" ] || continue
		: > "$BATS_TEST_TMPDIR/want"
		local progs=0
		while read -r f; do
			# Go 1.18 and later write their build information inline; older ones are not read
			[[ "$(go version "$f" 2>/dev/null)" =~ :\ go1\.(1[89]|[2-9][0-9]) ]] || continue
			go_modules "$f" >> "$BATS_TEST_TMPDIR/want"
			progs=$((progs + 1))
		done < <(find "$d" -xdev -type f -perm /111)
		[ "$progs" -gt 0 ] || continue
		n=$((n + progs))
		run "$SHIPSHAPE" sbom -f json "$d"
		[ "$status" -eq 0 ]
		echo "$output" | jq -r '.packages[] | select(.type == "golang") | "\(.name) \(.version)"' | sort |
			diff <(sort -u "$BATS_TEST_TMPDIR/want") -
		[ "$(echo "$output" | jq .summary.programs)" -eq "$progs" ]
	done
	echo "# $n Go programs compared" >&3
	[ "$n" -gt 0 ]
	# the toolchain's own programs again, streamed from a layer
	cat > "$BATS_TEST_TMPDIR/case.sh" <<-EOF
	new_layer 'COPY tools /tools'
	cp -a "$tools" "\$L/tools"
	EOF
	build_image "$BATS_TEST_TMPDIR/case.sh" "$BATS_TEST_TMPDIR/img.tar"
	diff <("$SHIPSHAPE" sbom -f json "$tools" | jq -c '[.summary, [.packages[] | .purl]]') \
		<("$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/img.tar" | jq -c '[.summary, [.packages[] | .purl]]')
}

@test "sbom: Java archives: the Maven artifacts their pom.properties name, nested archives too, from a directory and from layers" {
	mkdir -p "$BATS_TEST_TMPDIR/r/opt/app"
	java_archives "$BATS_TEST_TMPDIR/r/opt/app"
	[ "$(python3 "$ROOT/tests/tools/jar-artifacts.py" "$BATS_TEST_TMPDIR"/r/opt/app/*)" = "$JAVA_ARCHIVES_HOLD" ]
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/r"
	[ "$status" -eq 0 ]
	# not the artifact four archives deep, nor one without a version; the archive that is no
	# zip and the one with empty properties are read and give nothing
	[ "$(echo "$output" | jq -r '.packages[] | "\(.name) \(.version)"')" = "$JAVA_ARCHIVES_HOLD" ]
	echo "$output" | jq -e '.summary == {packages: 6, databases: 0, manifests: 0, programs: 0, archives: 5}'
	echo "$output" | jq -e '.packages[] | select(.name == "org.apache.logging.log4j:log4j-core") |
		.purl == "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" and .type == "maven" and
		.database == "/opt/app/log4j-core-2.14.1.jar"'
	echo "$output" | jq -e '.packages[] | select(.name == "com.example:level3") | .database == "/opt/app/app.jar"'
	# the same from an image's layer, streamed through
	cat > "$BATS_TEST_TMPDIR/case.sh" <<-EOF
	new_layer 'COPY app /opt/app'
	cp -a "$BATS_TEST_TMPDIR/r/opt" "\$L/opt"
	EOF
	build_image "$BATS_TEST_TMPDIR/case.sh" "$BATS_TEST_TMPDIR/img.tar"
	diff <(echo "$output" | jq -c '[.summary, [.packages[] | .purl]]') \
		<("$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/img.tar" | jq -c '[.summary, [.packages[] | .purl]]')
	"$SHIPSHAPE" sbom -o "$BATS_TEST_TMPDIR/j.cdx.json" "$BATS_TEST_TMPDIR/img.tar"
	[ ! -x "$NPM_DIR/node_modules/.bin/ajv" ] || [ "$(cdx_valid "$BATS_TEST_TMPDIR/j.cdx.json")" = "VALID" ]
	run "$SHIPSHAPE" sbom -f text "$BATS_TEST_TMPDIR/img.tar"
	[[ "$output" == *"6 packages from 0 databases and 5 Java archives"* ]]
	# a truncated archive gives what came before the cut, never an error
	head -c 1500 "$BATS_TEST_TMPDIR/r/opt/app/app.jar" > "$BATS_TEST_TMPDIR/cut.jar"
	r=$(root_with "$BATS_TEST_TMPDIR/cut.jar" srv/cut.jar)
	run "$SHIPSHAPE" sbom -f json "$r"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.summary.archives == 1'
}

@test "sbom: the Java archives installed on this machine list what Python's zipfile finds in them" {
	local d n=0
	for d in /usr/share/java /usr/share/maven-repo /usr/share/maven/lib /usr/lib/google-cloud-sdk; do
		[ -d "$d" ] || continue
		find "$d" -xdev -type f \( -iname '*.jar' -o -iname '*.war' -o -iname '*.ear' -o -iname '*.par' \) > "$BATS_TEST_TMPDIR/list"
		[ -s "$BATS_TEST_TMPDIR/list" ] || continue
		n=$((n + $(wc -l < "$BATS_TEST_TMPDIR/list")))
		run "$SHIPSHAPE" sbom -f json "$d"
		[ "$status" -eq 0 ]
		echo "$output" | jq -r '.packages[] | select(.type == "maven") | "\(.name) \(.version)"' | sort |
			diff <(xargs -d '\n' python3 "$ROOT/tests/tools/jar-artifacts.py" < "$BATS_TEST_TMPDIR/list" | sort) -
		[ "$(echo "$output" | jq .summary.archives)" -eq "$(wc -l < "$BATS_TEST_TMPDIR/list")" ]
	done
	[ "$n" -gt 0 ] || skip "no Java archives on this machine (make deps installs maven)"
	echo "# $n Java archives compared" >&3
}

@test "sbom: the Debian root's packages equal dpkg-query's on the same root" {
	[ -s "$DEB_TAR" ] || skip "no Debian root cached: make test-data makes it"
	mkdir -p "$BATS_TEST_TMPDIR/deb"
	tar -C "$BATS_TEST_TMPDIR/deb" -xf "$DEB_TAR" ./var/lib/dpkg ./etc/os-release ./usr/lib/os-release 2>/dev/null ||
		tar -C "$BATS_TEST_TMPDIR/deb" -xf "$DEB_TAR"
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/deb"
	[ "$status" -eq 0 ]
	diff <(dpkg-query --admindir="$BATS_TEST_TMPDIR/deb/var/lib/dpkg" -W -f='${Package} ${Version} ${Architecture}\n' | sort) \
		<(echo "$output" | jq -r '.packages[] | "\(.name) \(.version) \(.arch)"' | sort)
	echo "$output" | jq -e '.summary.packages > 80 and .os.id == "debian" and .os.version_id == "12" and .os.codename == "bookworm"'
	"$SHIPSHAPE" sbom "$BATS_TEST_TMPDIR/deb" > "$BATS_TEST_TMPDIR/d.cdx.json"
	[ ! -x "$NPM_DIR/node_modules/.bin/ajv" ] || [ "$(cdx_valid "$BATS_TEST_TMPDIR/d.cdx.json")" = "VALID" ]
}

RPMDB="$CORPUS/pkgdb/go-rpmdb/pkg/testdata"
RPM_QF='%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH} %{SOURCERPM} %{LICENSE}\n'
# name version arch source.rpm licence, as rpm -qa --qf "$RPM_QF" prints them
ours_rpm() { jq -r '.packages[] | "\(.name) \(.version) \(.arch) \(.source)-\(.source_version | sub("^[0-9]+:"; "")).src.rpm \(.license)"' | sort; }

@test "sbom: rpm SQLite (CBL-Mariner 2.0): the 129 packages librpm lists, curl 7.76.0-6.cm2 among them" {
	[ -d "$RPMDB" ] || skip "corpus not found"
	sbom_json "$RPMDB/cbl-mariner-2.0/rpmdb.sqlite" var/lib/rpm/rpmdb.sqlite
	echo "$output" | jq -e '.summary.packages == 129'
	echo "$output" | jq -e '.packages[] | select(.name == "curl") | .version == "7.76.0-6.cm2" and .purl == "pkg:rpm/curl@7.76.0-6.cm2?arch=x86_64"'
	echo "$output" | jq -e '.packages[] | select(.name == "ca-certificates-base") | .version == "1:2.0.0-1.cm2" and (.purl | endswith("?arch=noarch&epoch=1&upstream=ca-certificates-2.0.0-1.cm2.src.rpm"))'
	if command -v rpm >/dev/null; then
		cp -r "$R/var/lib/rpm" "$BATS_TEST_TMPDIR/rpmdb"
		diff <(rpm --dbpath "$BATS_TEST_TMPDIR/rpmdb" -qa --qf "$RPM_QF" | sort) <(echo "$output" | ours_rpm)
	fi
}

@test "sbom: rpm NDB (SLE 15 BCI): the 35 packages go-rpmdb's test expects" {
	[ -d "$RPMDB" ] || skip "corpus not found"
	sbom_json "$RPMDB/sle15-bci/Packages.db" usr/lib/sysimage/rpm/Packages.db
	diff <(tail -n +2 "$CORPUS/pkgdb/go-rpmdb/sle15-bci_expected_packages.tsv" |
		awk -F'\t' '{print $2, ($1 != "" ? $1 ":" : "") $3 "-" $4, $5, $6, $8}' | sort) <(echo "$output" | ours_rpm)
}

@test "sbom: rpm Berkeley DB (libuuid): what librpm lists" {
	[ -d "$RPMDB" ] || skip "corpus not found"
	sbom_json "$RPMDB/libuuid/Packages" var/lib/rpm/Packages
	echo "$output" | jq -e '[.packages[] | "\(.name) \(.version) \(.source)"] == ["libuuid 2.32.1-42.el8_8 util-linux"]'
	if command -v rpm >/dev/null; then
		cp -r "$R/var/lib/rpm" "$BATS_TEST_TMPDIR/rpmdb"
		diff <(rpm --define '_db_backend bdb_ro' --dbpath "$BATS_TEST_TMPDIR/rpmdb" -qa --qf "$RPM_QF" 2>/dev/null | sort) \
			<(echo "$output" | ours_rpm)
	fi
}

@test "sbom: broken rpm databases give exit 3 naming the database" {
	[ -d "$RPMDB" ] || skip "corpus not found"
	local r
	for db in var/lib/rpm/rpmdb.sqlite var/lib/rpm/Packages.db var/lib/rpm/Packages; do
		r=$(root_with "$CORPUS/pkgdb/osv-scalibr/extractor/filesystem/os/rpm/testdata/invalid" "$db")
		run "$SHIPSHAPE" sbom "$r"
		[ "$status" -eq 3 ]
		[[ "$output" == *"/$db: "* ]]
	done
	# a truncated copy of each real one
	head -c 200000 "$RPMDB/sle15-bci/Packages.db" > "$BATS_TEST_TMPDIR/t.db"
	r=$(root_with "$BATS_TEST_TMPDIR/t.db" var/lib/rpm/Packages.db)
	run "$SHIPSHAPE" sbom "$r"
	[ "$status" -eq 3 ]
	head -c 40000 "$RPMDB/libuuid/Packages" > "$BATS_TEST_TMPDIR/t.bdb"
	r=$(root_with "$BATS_TEST_TMPDIR/t.bdb" var/lib/rpm/Packages)
	run "$SHIPSHAPE" sbom "$r"
	[ "$status" -eq 3 ]
	head -c 1000000 "$RPMDB/cbl-mariner-2.0/rpmdb.sqlite" > "$BATS_TEST_TMPDIR/t.sqlite"
	r=$(root_with "$BATS_TEST_TMPDIR/t.sqlite" var/lib/rpm/rpmdb.sqlite)
	run "$SHIPSHAPE" sbom "$r"
	[ "$status" -eq 3 ]
	[[ "$output" == *"/var/lib/rpm/rpmdb.sqlite: "* ]]
}

# dpkg's rule, counted independently: stanzas with Package and Version whose Status (if any)
# is not config-files or not-installed
dpkg_oracle() {
	awk 'BEGIN {RS = ""; FS = "\n"} {p = v = bad = 0; for (i = 1; i <= NF; i++) {
		if ($i ~ /^Package:[ \t]*[^ \t]/) p = 1; if ($i ~ /^Version:[ \t]*[^ \t]/) v = 1
		if ($i ~ /^Status:.*(config-files|not-installed)[ \t]*$/) bad = 1 } if (p && v && !bad) c++} END {print c + 0}' "$1"
}

@test "sbom: every syft and osv-scalibr dpkg/apk/rpm fixture: the count an independent reading gives, or exit 3" {
	local P="$CORPUS/pkgdb" f n want
	[ -d "$P" ] || skip "corpus not found"
	local S="$P/osv-scalibr/extractor/filesystem/os" Y="$P/syft/syft/pkg/cataloger"
	for f in "$S"/dpkg/testdata/dpkg/{valid,transitional,transitional_empty,transitional_dummy,empty,single,nopackage,noversion,trailingnewlines,statusfield} \
		"$S"/dpkg/testdata/opkg/{valid,single,statusfield} "$Y/debian/testdata/image-dpkg/var/lib/dpkg/status" \
		"$Y/debian/testdata/var/lib/opkg/status"; do
		sbom_json "$f" var/lib/dpkg/status
		n=$(echo "$output" | jq '.summary.packages')
		want=$(dpkg_oracle "$f")
		[ "$n" = "$want" ] || { echo "$f: $n packages, expected $want"; false; }
	done
	for f in "$Y"/alpine/testdata/{single,base,empty-deps-and-provides,extra-file-attributes} \
		"$Y"/alpine/testdata/multiple-{1,2}/lib/apk/db/installed "$S"/apk/testdata/{installed,single,no-origin,different-arch,empty} \
		"$P"/from-images/*installed; do
		sbom_json "$f" lib/apk/db/installed
		n=$(echo "$output" | jq '.summary.packages')
		want=$(grep -c '^P:' "$f" || true)
		[ "$n" = "$want" ] || { echo "$f: $n packages, expected $want"; false; }
	done
	sbom_json "$Y/redhat/testdata/Packages" var/lib/rpm/Packages
	echo "$output" | jq -e '[.packages[] | "\(.name) \(.version)"] == ["dive 0.9.2-1"]'
	sbom_json "$S/rpm/testdata/Packages_epoch" var/lib/rpm/Packages
	echo "$output" | jq -e '[.packages[] | "\(.name) \(.version) \(.epoch // "")"] | .[0] | startswith("hello 1:0.0.1-rls")'
	echo "$output" | jq -e '.packages[0].purl == "pkg:rpm/hello@0.0.1-rls?arch=x86_64&epoch=1"'
	sbom_json "$S/rpm/testdata/empty.sqlite" var/lib/rpm/rpmdb.sqlite
	echo "$output" | jq -e '.summary.packages == 0'
	# syft's glob fixtures hold empty and 5-byte stand-ins: empty is no packages, junk is exit 3
	sbom_json "$Y/redhat/testdata/glob-paths/usr/lib/sysimage/rpm/Packages.db" var/lib/rpm/Packages.db
	for f in "$S/dpkg/testdata/dpkg/invalid" "$Y/alpine/testdata/corrupt/lib/apk/db/installed" \
		"$Y/redhat/testdata/glob-paths/var/lib/rpm/Packages"; do
		case $f in
		*apk*) R=$(root_with "$f" lib/apk/db/installed) ;;
		*rpm*) R=$(root_with "$f" var/lib/rpm/Packages) ;;
		*) R=$(root_with "$f" var/lib/dpkg/status) ;;
		esac
		run "$SHIPSHAPE" sbom "$R"
		[ "$status" -eq 3 ] || { echo "$f: status $status"; false; }
	done
}

@test "sbom: npm and Python packages of real installs equal what npm ls and importlib.metadata list" {
	# npm: the test tools this suite installed under build/npm
	[ -d "$NPM_DIR/node_modules" ] || skip "no npm tools installed (make npm-tools)"
	command -v npm >/dev/null || skip "npm not installed (make deps)"
	"$SHIPSHAPE" sbom -f json "$NPM_DIR" | jq -r '.packages[] | "\(.name)@\(.version)"' | sort -u > "$BATS_TEST_TMPDIR/ours"
	(cd "$NPM_DIR" && npm ls --all --parseable 2>/dev/null) | tail -n +2 | while read -r d; do
		jq -r '"\(.name)@\(.version)"' "$d/package.json"
	done | sort -u > "$BATS_TEST_TMPDIR/npm"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/npm")" -gt 50 ]
	diff "$BATS_TEST_TMPDIR/npm" "$BATS_TEST_TMPDIR/ours"
	# Python: this machine's Debian-packaged distributions, read by the standard library
	[ -d /usr/lib/python3/dist-packages ] && [ -x /usr/bin/python3 ] || skip "no Debian python3"
	"$SHIPSHAPE" sbom -f json /usr/lib/python3/dist-packages | jq -r '.packages[] | "\(.name)==\(.version)"' |
		sort -u > "$BATS_TEST_TMPDIR/ours"
	/usr/bin/python3 -c '
import importlib.metadata as m, sys
for d in m.distributions(path=[sys.argv[1]]):
    print(d.metadata["Name"] + "==" + d.version)' /usr/lib/python3/dist-packages | sort -u > "$BATS_TEST_TMPDIR/py"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/py")" -gt 3 ]
	diff "$BATS_TEST_TMPDIR/py" "$BATS_TEST_TMPDIR/ours"
}
