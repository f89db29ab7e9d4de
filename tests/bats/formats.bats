#!/usr/bin/env bats
# Output formats checked by independent validators: SARIF against the official SARIF
# 2.1.0 schema (shipped in @microsoft/sarif-multitool-linux) and JSON against
# docs/json-schema.json, both with ajv-cli (installed offline under build/npm).

load helpers

setup() {
	AJV="$NPM_DIR/node_modules/.bin/ajv"
	SARIF_SCHEMA="$NPM_DIR/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json"
	[ -x "$AJV" ] && [ -f "$SARIF_SCHEMA" ] || skip "validators not installed (make npm-tools)"
}

sarif_valid() { "$AJV" validate --spec=draft2020 -s "$SARIF_SCHEMA" -d "$1" -c ajv-formats --strict=false --all-errors; }
json_valid() { "$AJV" validate -s "$ROOT/docs/json-schema.json" -d "$1" --strict=false --all-errors; }

# lint_sarif INPUT OUT EXIT: lints INPUT to SARIF in OUT, expects EXIT, validates OUT.
lint_sarif() {
	run "$SHIPSHAPE" lint --format sarif -o "$2" "$1"
	[ "$status" -eq "$3" ]
	run sarif_valid "$2"
	[ "$status" -eq 0 ]
}

@test "SARIF of the example validates against the SARIF 2.1.0 schema" {
	lint_sarif "$ROOT/examples/Dockerfile" "$BATS_TEST_TMPDIR/ex.sarif.json" 1
	[ "$(jq '.runs[0].results | length' "$BATS_TEST_TMPDIR/ex.sarif.json")" -ge 20 ]
	[ "$(jq '.runs[0].tool.driver.rules | length' "$BATS_TEST_TMPDIR/ex.sarif.json")" -ge 60 ]
}

@test "SARIF with no findings validates" {
	lint_sarif "$ROOT/examples/Dockerfile.hardened" "$BATS_TEST_TMPDIR/clean.sarif.json" 0
	[ "$(jq '.runs[0].results | length' "$BATS_TEST_TMPDIR/clean.sarif.json")" -eq 0 ]
}

@test "SARIF over the whole Dockerfile corpus validates" {
	[ -d "$CORPUS/dockerfiles" ] || skip "../shared/corpus is absent"
	run "$SHIPSHAPE" lint --format sarif --fail-on none -o "$BATS_TEST_TMPDIR/corpus.sarif.json" "$CORPUS/dockerfiles"
	[ "$status" -eq 0 ]
	run sarif_valid "$BATS_TEST_TMPDIR/corpus.sarif.json"
	[ "$status" -eq 0 ]
}

@test "JSON reports validate against docs/json-schema.json" {
	"$SHIPSHAPE" lint --format json -o "$BATS_TEST_TMPDIR/ex.json" "$ROOT/examples/Dockerfile" || true
	run json_valid "$BATS_TEST_TMPDIR/ex.json"
	[ "$status" -eq 0 ]
	[ "$(jq '.summary.total' "$BATS_TEST_TMPDIR/ex.json")" -eq "$(jq '.findings | length' "$BATS_TEST_TMPDIR/ex.json")" ]
	"$SHIPSHAPE" lint --format json -o "$BATS_TEST_TMPDIR/clean.json" "$ROOT/examples/Dockerfile.hardened"
	run json_valid "$BATS_TEST_TMPDIR/clean.json"
	[ "$status" -eq 0 ]
	# the other commands' reports: audit, host, vuln (with its own members)
	"$SHIPSHAPE" audit --format json --fail-on none -o "$BATS_TEST_TMPDIR/audit.json" "$ROOT/tests/rules/SHP4011/fire.yaml"
	"$SHIPSHAPE" host --root "$ROOT/tests" --format json --fail-on none -o "$BATS_TEST_TMPDIR/host.json"
	"$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/v.db" "$ROOT/tests/rules/SHP3001/feed.json" 2>/dev/null
	mkdir -p "$BATS_TEST_TMPDIR/r/etc" "$BATS_TEST_TMPDIR/r/var/lib/dpkg"
	printf 'ID=debian\nVERSION_ID=12\n' > "$BATS_TEST_TMPDIR/r/etc/os-release"
	printf 'Package: demo\nVersion: 1.0-1\n' > "$BATS_TEST_TMPDIR/r/var/lib/dpkg/status"
	"$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/v.db" --format json --fail-on none -o "$BATS_TEST_TMPDIR/vuln.json" "$BATS_TEST_TMPDIR/r"
	jq -e '.vulnerabilities | length == 1' "$BATS_TEST_TMPDIR/vuln.json"
	for f in audit host vuln; do
		run json_valid "$BATS_TEST_TMPDIR/$f.json"
		[ "$status" -eq 0 ] || { echo "$f: $output"; false; }
	done
}

@test "pin --check reports validate as JSON and SARIF (no registry needed for these rules)" {
	printf 'ARG BASE\nFROM ${BASE} AS b\nFROM debian:12\nCOPY --from=b / /\n' > "$BATS_TEST_TMPDIR/Dockerfile"
	run "$SHIPSHAPE" pin --check --format json -o "$BATS_TEST_TMPDIR/pin.json" "$BATS_TEST_TMPDIR/Dockerfile"
	[ "$status" -eq 1 ]
	jq -e '[.findings[].rule_id] == ["SHP6003", "SHP6001"] and .command == "pin"' "$BATS_TEST_TMPDIR/pin.json"
	run json_valid "$BATS_TEST_TMPDIR/pin.json"
	[ "$status" -eq 0 ]
	run "$SHIPSHAPE" pin --check --format sarif -o "$BATS_TEST_TMPDIR/pin.sarif.json" "$BATS_TEST_TMPDIR/Dockerfile"
	[ "$status" -eq 1 ]
	run sarif_valid "$BATS_TEST_TMPDIR/pin.sarif.json"
	[ "$status" -eq 0 ]
	jq -e '.runs[0].results | map(.locations[0].physicalLocation.region | [.startLine, .startColumn]) == [[2, 6], [3, 6]]' \
		"$BATS_TEST_TMPDIR/pin.sarif.json"
}

@test "GitLab Code Quality (codeclimate) reports validate; fingerprints are distinct and stable" {
	cc_valid() { "$AJV" validate -s "$ROOT/tests/schemas/codeclimate.schema.json" -d "$1" --strict=false --all-errors; }
	run "$SHIPSHAPE" lint -f codeclimate -o "$BATS_TEST_TMPDIR/l.json" "$ROOT/examples/Dockerfile" "$ROOT/examples/Dockerfile.hardened"
	[ "$status" -eq 1 ]
	cc_valid "$BATS_TEST_TMPDIR/l.json"
	jq -e 'length > 10 and ([.[].fingerprint] | unique | length) == length' "$BATS_TEST_TMPDIR/l.json"
	jq -e '.[] | select(.check_name == "SHP1002") | .severity == "major" and .location == {path: "'"$ROOT"'/examples/Dockerfile", lines: {begin: 2}}' "$BATS_TEST_TMPDIR/l.json"
	"$SHIPSHAPE" lint -f gitlab "$ROOT/examples/Dockerfile" | diff "$BATS_TEST_TMPDIR/l.json" -
	"$SHIPSHAPE" lint -f codeclimate "$ROOT/examples/Dockerfile.hardened" > "$BATS_TEST_TMPDIR/empty.json"
	jq -e '. == []' "$BATS_TEST_TMPDIR/empty.json"
	"$SHIPSHAPE" audit -f codeclimate --fail-on none "$ROOT/tests/rules/SHP4011/fire.yaml" > "$BATS_TEST_TMPDIR/a.json"
	cc_valid "$BATS_TEST_TMPDIR/a.json"
	jq -e '[.[] | select(.check_name == "SHP4011")][0] | .severity == "blocker" and .location.lines.begin == 16' "$BATS_TEST_TMPDIR/a.json"
	if [ -d "$CORPUS/images" ]; then
		"$SHIPSHAPE" image -f codeclimate --fail-on none "$CORPUS/images/dockle/pkg/deckoder/extractor/docker/testdata/symbolic.tar" > "$BATS_TEST_TMPDIR/i.json"
		cc_valid "$BATS_TEST_TMPDIR/i.json"
		jq -e '[.[] | select(.check_name == "SHP2020")] | length == 2 and ([.[].fingerprint] | unique | length) == 2' "$BATS_TEST_TMPDIR/i.json"
	fi
}

@test "secrets never appear whole in any format" {
	for fmt in text json sarif codeclimate checkstyle junit gnu github; do
		run "$SHIPSHAPE" lint --format "$fmt" --no-color "$ROOT/tests/rules/SHP1101/fire.Dockerfile"
		[ "$status" -eq 1 ]
		[[ "$output" != *AKIAIOSFODNN7EXAMPLE* ]]
		# the formats that carry evidence carry it redacted (checkstyle and gnu have none)
		[[ "$fmt" == checkstyle || "$fmt" == gnu || "$output" == *"AKIA****"* ]]
	done
}

@test "docs/rules.md is generated from the registry and up to date" {
	run diff -u "$ROOT/docs/rules.md" <("$SHIPSHAPE" rules --markdown)
	[ "$status" -eq 0 ]
}

@test "SARIF locations are valid URIs for paths with spaces and non-ASCII" {
	mkdir -p "$BATS_TEST_TMPDIR/my app/ünï"
	cp "$ROOT/examples/Dockerfile" "$BATS_TEST_TMPDIR/my app/ünï/Dockerfile"
	(cd "$BATS_TEST_TMPDIR" && "$SHIPSHAPE" lint --format sarif -o out.sarif.json "my app/ünï/Dockerfile") || true
	run sarif_valid "$BATS_TEST_TMPDIR/out.sarif.json"
	[ "$status" -eq 0 ]
	grep -q '"uri":"my%20app/%C3%BCn%C3%AF/Dockerfile"' "$BATS_TEST_TMPDIR/out.sarif.json"
}
