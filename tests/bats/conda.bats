#!/usr/bin/env bats
# conda: the conda-meta records of an image's environments (the base one and a named one)
# in the SBOM with purl-spec's conda purls; no vulnerability feed covers conda, and `vuln`
# says its packages were not matched. conda is not in Debian: the records are written here
# as conda writes them (conda-meta/NAME-VERSION-BUILD.json, one per installed package).

load helpers
. "$BATS_TEST_DIRNAME/../images/lib.sh"

# conda_rec DIR NAME VERSION BUILD SUBDIR CHANNEL LICENSE: one installed package's record
conda_rec() {
	jq -n --arg n "$2" --arg v "$3" --arg b "$4" --arg s "$5" --arg c "$6" --arg l "$7" \
		'{name: $n, version: $v, build: $b, build_number: 0, channel: $c, subdir: $s, license: $l,
		  fn: "\($n)-\($v)-\($b).conda", depends: ["python >=3.11"], files: ["lib/x.py"],
		  paths_data: {paths: [], paths_version: 1}}' > "$1/$2-$3-$4.json"
}

case_conda() {
	new_layer 'RUN install miniforge'
	mkdir -p "$L/etc" "$L/opt/conda/conda-meta"
	printf 'ID=debian\nVERSION_ID=12\n' > "$L/etc/os-release"
	conda_rec "$L/opt/conda/conda-meta" python 3.11.8 hab00c5b_0_cpython linux-64 \
		https://conda.anaconda.org/conda-forge/linux-64 "Python-2.0"
	conda_rec "$L/opt/conda/conda-meta" numpy 1.26.4 py311h64a7726_0 linux-64 \
		https://conda.anaconda.org/conda-forge/linux-64 BSD-3-Clause
	echo '==> 2024-03-01 10:00:00 <==' > "$L/opt/conda/conda-meta/history"
	echo '{"name": "broken",' > "$L/opt/conda/conda-meta/broken-1-0.json"
	new_layer 'RUN conda create -n web flask'
	mkdir -p "$L/opt/conda/envs/web/conda-meta"
	conda_rec "$L/opt/conda/envs/web/conda-meta" flask 3.0.0 pyhd8ed1ab_0 noarch \
		https://conda.anaconda.org/conda-forge/noarch BSD-3-Clause
}

setup() {
	declare -f conda_rec > "$BATS_TEST_TMPDIR/case.sh"
	declare -f case_conda | sed '1,2d;$d' >> "$BATS_TEST_TMPDIR/case.sh"
	build_image "$BATS_TEST_TMPDIR/case.sh" "$BATS_TEST_TMPDIR/img.tar"
}

@test "conda: sbom lists the conda-meta records of every environment with conda purls" {
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.packages[] | "\(.type) \(.name) \(.version) \(.layer) \(.license)"] ==
		["conda flask 3.0.0 2 BSD-3-Clause", "conda numpy 1.26.4 1 BSD-3-Clause", "conda python 3.11.8 1 Python-2.0"]'
	echo "$output" | jq -e '[.packages[] | .purl] == ["pkg:conda/flask@3.0.0?build=pyhd8ed1ab_0&subdir=noarch",
		"pkg:conda/numpy@1.26.4?build=py311h64a7726_0&subdir=linux-64",
		"pkg:conda/python@3.11.8?build=hab00c5b_0_cpython&subdir=linux-64"]'
	echo "$output" | jq -e '[.packages[] | .database] == ["/opt/conda/envs/web/conda-meta/flask-3.0.0-pyhd8ed1ab_0.json",
		"/opt/conda/conda-meta/numpy-1.26.4-py311h64a7726_0.json", "/opt/conda/conda-meta/python-3.11.8-hab00c5b_0_cpython.json"]'
	# the broken record was read (and skipped); the history file is no record
	echo "$output" | jq -e '.summary.manifests == 4 and .summary.packages == 3'
	"$SHIPSHAPE" sbom -f cyclonedx -o "$BATS_TEST_TMPDIR/c.cdx.json" "$BATS_TEST_TMPDIR/img.tar"
	jq -e '[.components[] | .purl // empty] | index("pkg:conda/flask@3.0.0?build=pyhd8ed1ab_0&subdir=noarch") != null' \
		"$BATS_TEST_TMPDIR/c.cdx.json"
}

@test "conda: vuln says the conda packages were not matched: no feed has them" {
	mkdir -p "$BATS_TEST_TMPDIR/osv"
	cat > "$BATS_TEST_TMPDIR/osv/pypi.json" <<-'EOF'
	[{"id": "PYSEC-numpy", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "PyPI", "name": "numpy"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}]
	EOF
	"$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/v.db" "$BATS_TEST_TMPDIR/osv" 2>/dev/null
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/v.db" -f json --fail-on none "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 0 ]
	# a PyPI record of the same name is no match for a conda package
	echo "$output" | jq -e '.vulnerabilities == []'
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP3010") | .message] ==
		["3 conda packages not matched: no vulnerability feed for conda packages"]'
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/v.db" --fail-on none "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 0 ]
	[[ "$output" == *"3 conda packages not matched: no vulnerability feed for conda packages"* ]]
	# vercmp knows conda's order all the same
	run "$SHIPSHAPE" vercmp --type conda 1.1.0dev1 1.1.a1
	[ "$output" = "<" ]
}
