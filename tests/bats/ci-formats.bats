#!/usr/bin/env bats
# The CI formats, checked by independent readers: Checkstyle and JUnit XML against
# tests/schemas/*.xsd with xmllint (libxml2), JSON decoded strictly as UTF-8 by Python, the
# GNU and GitHub line formats counted against the JSON report; and --severity.

load helpers
. "$BATS_TEST_DIRNAME/../images/lib.sh"

setup() {
	command -v xmllint >/dev/null || skip "xmllint not installed (make deps: libxml2-utils)"
}

xsd() { xmllint --noout --schema "$ROOT/tests/schemas/$1.xsd" "$2"; }
total() { jq '.summary.total' "$1"; }

# report_all NAME ARGS...: the command's report in every format, under $BATS_TEST_TMPDIR/NAME.*
report_all() {
	local name=$1
	shift
	for fmt in json checkstyle junit gnu github; do
		"$SHIPSHAPE" "$@" --fail-on none -f "$fmt" -o "$BATS_TEST_TMPDIR/$name.$fmt"
	done
}

# check NAME: the XML validates and says as much as the JSON; one GNU and one GitHub line
# per finding.
check() {
	local d=$BATS_TEST_TMPDIR/$1 n
	n=$(total "$d.json")
	[ "$n" -ge 1 ]
	run xsd checkstyle "$d.checkstyle"
	[ "$status" -eq 0 ] || { echo "$1 checkstyle: $output"; false; }
	run xsd junit "$d.junit"
	[ "$status" -eq 0 ] || { echo "$1 junit: $output"; false; }
	[ "$(xmllint --xpath 'count(//error)' "$d.checkstyle")" -eq "$n" ]
	[ "$(xmllint --xpath 'count(//testcase)' "$d.junit")" -eq "$n" ]
	[ "$(wc -l < "$d.gnu")" -eq "$n" ]
	[ "$(grep -c '^::\(error\|warning\|notice\) file=' "$d.github")" -eq "$n" ]
}

@test "lint: Checkstyle and JUnit validate, GNU and GitHub give a line per finding" {
	report_all lint lint "$ROOT/examples/Dockerfile" "$ROOT/examples/Dockerfile.hardened"
	check lint
	# the file with findings, and the rule as the checkstyle source
	[ "$(xmllint --xpath 'string(//file[1]/@name)' "$BATS_TEST_TMPDIR/lint.checkstyle")" = "$ROOT/examples/Dockerfile" ]
	[ "$(xmllint --xpath 'count(//file)' "$BATS_TEST_TMPDIR/lint.checkstyle")" -eq 1 ]
	xmllint --xpath '//error[@source="SHP1020"]' "$BATS_TEST_TMPDIR/lint.checkstyle" >/dev/null
}

@test "JUnit failures are the findings at or above --fail-on; the exit code agrees" {
	run "$SHIPSHAPE" lint -f junit --fail-on medium -o "$BATS_TEST_TMPDIR/j.xml" "$ROOT/examples/Dockerfile"
	[ "$status" -eq 1 ]
	"$SHIPSHAPE" lint -f json --fail-on medium -o "$BATS_TEST_TMPDIR/j.json" "$ROOT/examples/Dockerfile" || true
	[ "$(xmllint --xpath 'count(//failure)' "$BATS_TEST_TMPDIR/j.xml")" -eq "$(jq '.summary.failing' "$BATS_TEST_TMPDIR/j.json")" ]
	[ "$(xmllint --xpath 'count(//testcase[not(failure)]/system-out)' "$BATS_TEST_TMPDIR/j.xml")" -eq \
		"$(jq '.summary.total - .summary.failing' "$BATS_TEST_TMPDIR/j.json")" ]
	# nothing to report: an empty but valid document, exit 0
	run "$SHIPSHAPE" lint -f junit -o "$BATS_TEST_TMPDIR/clean.xml" "$ROOT/examples/Dockerfile.hardened"
	[ "$status" -eq 0 ]
	run xsd junit "$BATS_TEST_TMPDIR/clean.xml"
	[ "$status" -eq 0 ]
	[ "$(xmllint --xpath 'count(//testcase)' "$BATS_TEST_TMPDIR/clean.xml")" -eq 0 ]
}

@test "audit, host and image reports in the CI formats" {
	report_all audit audit "$CASES/SHP4011/fire.yaml"
	check audit
	mkdir -p "$BATS_TEST_TMPDIR/root/etc/docker"
	printf '{"icc": true, "insecure-registries": ["10.0.0.1:5000"], "userland-proxy": true}\n' \
		> "$BATS_TEST_TMPDIR/root/etc/docker/daemon.json"
	report_all host host --root "$BATS_TEST_TMPDIR/root"
	check host
	grep -q 'daemon.json:[0-9]*:[0-9]*: ' "$BATS_TEST_TMPDIR/host.gnu"
	build_image "$CASES/SHP2011/fire.sh" "$BATS_TEST_TMPDIR/img.tar"
	report_all image image "$BATS_TEST_TMPDIR/img.tar"
	check image
	# an image finding has no line: the place is the layer and the path
	grep -q '^.*img\.tar: ' "$BATS_TEST_TMPDIR/image.gnu"
	grep -q 'at layer [0-9]' "$BATS_TEST_TMPDIR/image.junit"
}

@test "names that are not UTF-8 come out as U+FFFD: JSON and XML stay well-formed" {
	command -v python3 >/dev/null || skip "python3 not installed (make deps)"
	local d
	d="$BATS_TEST_TMPDIR/$(printf 'caf\xe9')"
	mkdir -p "$d"
	cp "$ROOT/examples/Dockerfile" "$d/Dockerfile"
	(cd "$BATS_TEST_TMPDIR"; report_all u8 lint "$(printf 'caf\xe9')") # not &&: report_all runs under set -e
	check u8
	python3 -c 'import json,sys; d=json.loads(open(sys.argv[1],"rb").read().decode("utf-8")); assert "caf\ufffd/Dockerfile" in d["findings"][0]["location"]["file"]' \
		"$BATS_TEST_TMPDIR/u8.json"
	"$SHIPSHAPE" lint -f sarif --fail-on none -o "$BATS_TEST_TMPDIR/u8.sarif" "$d"
	"$SHIPSHAPE" lint -f codeclimate --fail-on none -o "$BATS_TEST_TMPDIR/u8.cc" "$d"
	python3 -c 'import json,sys; [json.loads(open(f,"rb").read().decode("utf-8")) for f in sys.argv[1:]]' \
		"$BATS_TEST_TMPDIR/u8.sarif" "$BATS_TEST_TMPDIR/u8.cc"
	grep -q "$(printf 'caf\xef\xbf\xbd/Dockerfile')" "$BATS_TEST_TMPDIR/u8.checkstyle"
}

@test "--severity reports only the severities named, and --fail-on counts what is reported" {
	"$SHIPSHAPE" lint -f json --fail-on none -o "$BATS_TEST_TMPDIR/all.json" "$ROOT/examples/Dockerfile"
	run "$SHIPSHAPE" lint -f json --severity LOW,info --fail-on low -o "$BATS_TEST_TMPDIR/low.json" "$ROOT/examples/Dockerfile"
	[ "$status" -eq 1 ]
	jq -e '[.findings[].severity] | unique == ["info","low"]' "$BATS_TEST_TMPDIR/low.json"
	[ "$(total "$BATS_TEST_TMPDIR/low.json")" -eq "$(jq '[.findings[] | select(.severity == "low" or .severity == "info")] | length' "$BATS_TEST_TMPDIR/all.json")" ]
	# only info shown: nothing at or above high is left to fail on
	run "$SHIPSHAPE" lint --severity info "$ROOT/examples/Dockerfile"
	[ "$status" -eq 0 ]
	# Trivy's list, UNKNOWN included, is accepted
	run "$SHIPSHAPE" audit --severity UNKNOWN,HIGH,CRITICAL -f json "$CASES/SHP4011/fire.yaml"
	[ "$status" -eq 1 ]
	jq -e '[.findings[].severity] | all(. == "high" or . == "critical")' <<< "$output"
	# UNKNOWN alone: unrated vulnerabilities only, which lint has none of
	run "$SHIPSHAPE" lint --severity unknown -f json "$ROOT/examples/Dockerfile"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.findings == []'
	run "$SHIPSHAPE" lint --severity , "$ROOT/examples/Dockerfile"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no severity named"* ]]
}
