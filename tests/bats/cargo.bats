#!/usr/bin/env bats
# Rust crates from programs built with cargo-auditable: `vercmp --type cargo` against the corpus
# semver list and node-semver on every pair; a C program given a .dep-v0 section as
# cargo-auditable's documentation describes it (zlib-compressed JSON), in an image (read as a
# stream) and in a root directory (read through its section headers), listed as Trivy lists
# it; OSV crates.io records written here matched against it; damaged sections list nothing.

load helpers
. "$BATS_TEST_DIRNAME/../images/lib.sh"

VC="$CORPUS/vulndata/version-compare/osv-scalibr"

@test "cargo vercmp: semver order equals the corpus list" {
	[ -d "$VC" ] || skip "corpus not found"
	grep -v '^//' "$VC/semver-versions.txt" | awk 'NF == 3' > "$BATS_TEST_TMPDIR/cases"
	awk '{print $1, $3}' "$BATS_TEST_TMPDIR/cases" | "$SHIPSHAPE" vercmp --type cargo > "$BATS_TEST_TMPDIR/ours"
	paste -d' ' "$BATS_TEST_TMPDIR/cases" "$BATS_TEST_TMPDIR/ours" | awk '$2 != $4' > "$BATS_TEST_TMPDIR/bad"
	cat "$BATS_TEST_TMPDIR/bad"
	[ ! -s "$BATS_TEST_TMPDIR/bad" ]
	[ "$(wc -l < "$BATS_TEST_TMPDIR/ours")" -gt 50 ]
}

@test "cargo vercmp: equals node-semver's compare on every pair of crate versions" {
	command -v node >/dev/null || skip "node not installed (make deps)"
	[ -f "$NPM_DIR/node_modules/semver/package.json" ] || skip "semver not installed (make npm-tools)"
	printf '%s\n' 0.0.0 0.0.1 0.1.0 0.1.10 0.1.9 1.0.0 1.0.1 1.0.188 1.0.83 1.1.0 1.10.0 1.2.0 2.0.0 10.0.0 \
		1.0.0-alpha 1.0.0-alpha.1 1.0.0-alpha.beta 1.0.0-beta 1.0.0-beta.2 1.0.0-beta.11 1.0.0-rc.1 \
		1.0.0-rc.1+build.1 1.0.0+20130313144700 1.0.0-0 1.0.0-1 1.0.0-a1 1.0.0-A 1.0.0-x.7.z.92 \
		0.4.0-pre.1 0.4.0-pre.10 0.4.0-pre.2 0.11.0-rc.3 1.35.1 1.36.0 0.3.30 0.3.31 0.2.150 0.2.99 \
		> "$BATS_TEST_TMPDIR/v"
	awk '{v[NR] = $0} END {for (i = 1; i <= NR; i++) for (j = 1; j <= NR; j++) print v[i], v[j]}' \
		"$BATS_TEST_TMPDIR/v" > "$BATS_TEST_TMPDIR/pairs"
	node -e '
		const semver = require(process.argv[1]);
		const lines = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n");
		for (const l of lines) { const [a, b] = l.split(" "); const c = semver.compare(a, b);
			console.log(c < 0 ? "<" : c > 0 ? ">" : "="); }' \
		"$NPM_DIR/node_modules/semver" "$BATS_TEST_TMPDIR/pairs" > "$BATS_TEST_TMPDIR/peer"
	"$SHIPSHAPE" vercmp --type cargo < "$BATS_TEST_TMPDIR/pairs" > "$BATS_TEST_TMPDIR/ours"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/ours")" -eq "$(wc -l < "$BATS_TEST_TMPDIR/pairs")" ]
	paste -d' ' "$BATS_TEST_TMPDIR/pairs" "$BATS_TEST_TMPDIR/peer" "$BATS_TEST_TMPDIR/ours" | awk '$3 != $4' \
		> "$BATS_TEST_TMPDIR/bad"
	cat "$BATS_TEST_TMPDIR/bad"
	[ ! -s "$BATS_TEST_TMPDIR/bad" ]
}

# auditable OUT JSON [KIND]: a C program with JSON zlib-compressed in .dep-v0 (KIND "big":
# JSON padded past 8 MiB; "corrupt": compressed bytes damaged; "none": no section)
auditable() {
	local out=$1 json=$2 kind=${3:-}
	printf 'int main(void) { return 0; }\n' > "$BATS_TEST_TMPDIR/m.c"
	gcc -O0 -o "$out" "$BATS_TEST_TMPDIR/m.c"
	[ "$kind" = none ] && return 0
	python3 - "$json" "$kind" "$BATS_TEST_TMPDIR/dep.z" <<-'EOF'
	import sys, zlib
	j, kind, out = sys.argv[1].encode(), sys.argv[2], sys.argv[3]
	if kind == "big":
	    j = j[:-2] + b" " * (9 << 20) + j[-2:]
	z = bytearray(zlib.compress(j, 9))
	if kind == "corrupt":
	    for i in range(len(z) // 3, len(z) - 4):
	        z[i] ^= 0x5a
	open(out, "wb").write(z)
	EOF
	objcopy --add-section .dep-v0="$BATS_TEST_TMPDIR/dep.z" --set-section-flags .dep-v0=noload,readonly "$out"
}

DEP='{"packages":[{"name":"serde","version":"1.0.188","source":"crates.io","dependencies":[2]},{"name":"myapp","version":"0.1.0","source":"local","root":true,"dependencies":[0,2,3]},{"name":"smallvec","version":"1.11.0","source":"crates.io"},{"name":"time","version":"0.3.30","source":"crates.io","kind":"runtime"},{"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"}]}'

# cargo_image OUT: the program at usr/local/bin/app (755), and the damaged ones beside it
cargo_image() {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	auditable "$BATS_TEST_TMPDIR/bin/app" "$DEP"
	auditable "$BATS_TEST_TMPDIR/bin/big" "$DEP" big
	auditable "$BATS_TEST_TMPDIR/bin/corrupt" "$DEP" corrupt
	auditable "$BATS_TEST_TMPDIR/bin/plain" "$DEP" none
	cat > "$BATS_TEST_TMPDIR/case.sh" <<-EOF
	new_layer 'COPY app /usr/local/bin/app'
	mkdir -p "\$L/etc" "\$L/usr/local/bin" "\$L/opt"
	printf 'ID=debian\nVERSION_ID="12"\n' > "\$L/etc/os-release"
	cp "$BATS_TEST_TMPDIR/bin/app" "\$L/usr/local/bin/app"
	cp "$BATS_TEST_TMPDIR/bin/big" "$BATS_TEST_TMPDIR/bin/corrupt" "$BATS_TEST_TMPDIR/bin/plain" "\$L/opt/"
	chmod 755 "\$L/usr/local/bin/app" "\$L/opt/big" "\$L/opt/corrupt" "\$L/opt/plain"
	EOF
	build_image "$BATS_TEST_TMPDIR/case.sh" "$1"
}

WANT='myapp 0.1.0 pkg:cargo/myapp@0.1.0 /usr/local/bin/app
serde 1.0.188 pkg:cargo/serde@1.0.188 /usr/local/bin/app
smallvec 1.11.0 pkg:cargo/smallvec@1.11.0 /usr/local/bin/app
time 0.3.30 pkg:cargo/time@0.3.30 /usr/local/bin/app'

@test "cargo sbom: the runtime crates and the root of a cargo-auditable program, in an image and a directory" {
	command -v objcopy >/dev/null && command -v gcc >/dev/null || skip "binutils or gcc not installed"
	cargo_image "$BATS_TEST_TMPDIR/img.tar"
	readelf -S "$BATS_TEST_TMPDIR/bin/app" | grep -q '\.dep-v0'
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 0 ]
	echo "$output" > "$BATS_TEST_TMPDIR/sbom.json"
	jq -r '.packages[] | select(.type == "cargo") | "\(.name) \(.version) \(.purl) \(.database)"' \
		"$BATS_TEST_TMPDIR/sbom.json" > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	[ "$(cat "$BATS_TEST_TMPDIR/got")" = "$WANT" ]
	# the damaged sections list nothing and stop nothing
	jq -e '[.packages[] | select(.database | startswith("/opt/"))] == []' "$BATS_TEST_TMPDIR/sbom.json"
	"$SHIPSHAPE" sbom -f cyclonedx -o "$BATS_TEST_TMPDIR/c.cdx.json" "$BATS_TEST_TMPDIR/img.tar"
	jq -e '[.components[] | .purl // empty] | index("pkg:cargo/serde@1.0.188") != null' "$BATS_TEST_TMPDIR/c.cdx.json"
	# a root directory: read where the section headers say
	mkdir -p "$BATS_TEST_TMPDIR/r/usr/local/bin" "$BATS_TEST_TMPDIR/r/opt"
	cp -a "$BATS_TEST_TMPDIR/bin/app" "$BATS_TEST_TMPDIR/r/usr/local/bin/app"
	cp -a "$BATS_TEST_TMPDIR/bin/big" "$BATS_TEST_TMPDIR/bin/corrupt" "$BATS_TEST_TMPDIR/bin/plain" \
		"$BATS_TEST_TMPDIR/r/opt/"
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/r"
	[ "$status" -eq 0 ]
	echo "$output" | jq -r '.packages[] | select(.type == "cargo") | "\(.name) \(.version) \(.purl) \(.database)"' \
		> "$BATS_TEST_TMPDIR/got"
	[ "$(cat "$BATS_TEST_TMPDIR/got")" = "$WANT" ]
}

@test "cargo vuln: crates.io OSV records match the crates of a program" {
	command -v objcopy >/dev/null && command -v gcc >/dev/null || skip "binutils or gcc not installed"
	mkdir -p "$BATS_TEST_TMPDIR/osv"
	# serde below its fix, time's fix is 0.3.30 itself, smallvec in a pre-release range it is
	# past, cc only a build dependency (not in the program), an npm serde another ecosystem's
	cat > "$BATS_TEST_TMPDIR/osv/crates.json" <<-'EOF'
	[{"id": "RUSTSEC-2026-0001", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2026-5001"],
	  "summary": "Stack overflow in serde", "database_specific": {"severity": "HIGH"},
	  "affected": [{"package": {"ecosystem": "crates.io", "name": "serde"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"fixed": "1.0.189"}]}]}]},
	 {"id": "RUSTSEC-2026-0002", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "crates.io", "name": "time"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.3.0"}, {"fixed": "0.3.30"}]}]}]},
	 {"id": "RUSTSEC-2026-0003", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "crates.io", "name": "smallvec"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.11.0-alpha.1"}, {"fixed": "1.11.0"}]}]}]},
	 {"id": "RUSTSEC-2026-0004", "modified": "2026-01-01T00:00:00Z", "database_specific": {"severity": "LOW"},
	  "affected": [{"package": {"ecosystem": "crates.io", "name": "cc"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]},
	 {"id": "GHSA-npm-serde", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "npm", "name": "serde"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}]
	EOF
	"$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/vuln.db" "$BATS_TEST_TMPDIR/osv" 2>/dev/null
	cargo_image "$BATS_TEST_TMPDIR/img.tar"
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/vuln.db" -f json "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 1 ]
	echo "$output" | jq -r '.vulnerabilities[] | "\(.id) \(.package) \(.version) \(.fixed_version // "-")"' |
		sort > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	# reported under its CVE, the advisory its alias (as Trivy does)
	[ "$(cat "$BATS_TEST_TMPDIR/got")" = "CVE-2026-5001 serde 1.0.188 1.0.189" ]
	run "$SHIPSHAPE" image --db "$BATS_TEST_TMPDIR/vuln.db" -f json --fail-on none "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '[.vulnerabilities[] | "\(.id) \(.aliases)"] | join(" ")')" = "CVE-2026-5001 RUSTSEC-2026-0001" ]
}
