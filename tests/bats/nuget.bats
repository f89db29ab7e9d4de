#!/usr/bin/env bats
# .NET's NuGet packages: `vercmp --type nuget` against the corpus list (NuGet is not in Debian,
# so the list is the reference); an image holding a published application's MyApp.deps.json,
# written as the .NET runtime's documentation describes the file (dotnet publish is not at
# hand), listed as Trivy's dotnet-deps analyzer lists it; OSV NuGet records written here
# matched against it.

load helpers
. "$BATS_TEST_DIRNAME/../images/lib.sh"

VC="$CORPUS/vulndata/version-compare/osv-scalibr"

# compare_list FILE: "A op B" lines (comments and blanks skipped) -> the disagreements
compare_list() {
	grep -v '^//' "$1" | awk 'NF == 3' > "$BATS_TEST_TMPDIR/cases"
	awk '{print $1, $3}' "$BATS_TEST_TMPDIR/cases" | "$SHIPSHAPE" vercmp --type nuget > "$BATS_TEST_TMPDIR/ours"
	paste -d' ' "$BATS_TEST_TMPDIR/cases" "$BATS_TEST_TMPDIR/ours" | awk '$2 != $4 {print $1, $2, $3}'
}

@test "nuget vercmp: NuGet's order equals the corpus list" {
	[ -d "$VC" ] || skip "corpus not found"
	run compare_list "$VC/nuget-versions.txt"
	[ "$status" -eq 0 ]
	[ "$(grep -v '^//' "$VC/nuget-versions.txt" | awk 'NF == 3' | wc -l)" -ge 30 ]
	[ "$output" = "" ]
}

@test "nuget vercmp: four parts, prereleases, labels in any case, metadata ignored" {
	run "$SHIPSHAPE" vercmp --type nuget 1.0 1.0.0.0
	[ "$output" = "=" ]
	run "$SHIPSHAPE" vercmp --type nuget 1.0.0-RC.1+abc 1.0.0-rc.1
	[ "$output" = "=" ]
	run "$SHIPSHAPE" vercmp --type nuget 1.0.0-rc.2 1.0.0-rc.10
	[ "$output" = "<" ]
	run "$SHIPSHAPE" vercmp --type nuget 1.0.0-rc.10 1.0.0
	[ "$output" = "<" ]
	run "$SHIPSHAPE" vercmp --type nuget v13.0.2 13.0.1
	[ "$output" = ">" ]
}

# nuget_image OUT: a published application at /app (its deps.json: the project, packages with
# runtime, native and per-RID assets, a meta-package with none, a reference assembly), a
# second application at /srv/tool with no targets section, and a broken deps.json at /opt
nuget_image() {
	cat > "$BATS_TEST_TMPDIR/case.sh" <<-'EOF'
	new_layer 'COPY app /app'
	mkdir -p "$L/etc" "$L/app" "$L/srv/tool" "$L/opt/broken"
	printf 'ID=debian\nVERSION_ID="12"\n' > "$L/etc/os-release"
	cat > "$L/app/MyApp.deps.json" <<-'JSON'
	{
	  "runtimeTarget": {"name": ".NETCoreApp,Version=v6.0/linux-x64", "signature": ""},
	  "compilationOptions": {},
	  "targets": {
	    ".NETCoreApp,Version=v6.0": {},
	    ".NETCoreApp,Version=v6.0/linux-x64": {
	      "MyApp/1.0.0": {
	        "dependencies": {"Newtonsoft.Json": "13.0.1", "System.Text.Encodings.Web": "4.7.1",
	                         "SQLitePCLRaw.lib.e_sqlite3": "2.1.2", "NETStandard.Library": "2.0.3"},
	        "runtime": {"MyApp.dll": {}}
	      },
	      "Newtonsoft.Json/13.0.1": {
	        "runtime": {"lib/netstandard2.0/Newtonsoft.Json.dll": {"assemblyVersion": "13.0.0.0", "fileVersion": "13.0.1.25517"}}
	      },
	      "System.Text.Encodings.Web/4.7.1": {
	        "runtime": {"lib/netstandard2.1/System.Text.Encodings.Web.dll": {"assemblyVersion": "4.0.5.0", "fileVersion": "4.700.20.21406"}}
	      },
	      "SQLitePCLRaw.lib.e_sqlite3/2.1.2": {
	        "native": {"runtimes/linux-x64/native/libe_sqlite3.so": {"fileVersion": "0.0.0.0"}}
	      },
	      "System.Runtime.Experimental/6.0.0-preview.7.21377.19": {
	        "runtimeTargets": {"runtimes/unix/lib/net6.0/System.Runtime.Experimental.dll": {"rid": "unix", "assetType": "runtime"}}
	      },
	      "NETStandard.Library/2.0.3": {"dependencies": {"Microsoft.NETCore.Platforms": "1.1.0"}},
	      "Microsoft.NETCore.Platforms/1.1.0": {},
	      "Legacy.Interop/1.0.0.0": {"runtime": {"Legacy.Interop.dll": {}}}
	    }
	  },
	  "libraries": {
	    "MyApp/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
	    "Newtonsoft.Json/13.0.1": {"type": "package", "serviceable": true,
	      "sha512": "sha512-ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==",
	      "path": "newtonsoft.json/13.0.1", "hashPath": "newtonsoft.json.13.0.1.nupkg.sha512"},
	    "System.Text.Encodings.Web/4.7.1": {"type": "package", "serviceable": true, "sha512": "sha512-AA==",
	      "path": "system.text.encodings.web/4.7.1", "hashPath": "system.text.encodings.web.4.7.1.nupkg.sha512"},
	    "SQLitePCLRaw.lib.e_sqlite3/2.1.2": {"type": "package", "serviceable": true, "sha512": "sha512-AA==",
	      "path": "sqlitepclraw.lib.e_sqlite3/2.1.2", "hashPath": "sqlitepclraw.lib.e_sqlite3.2.1.2.nupkg.sha512"},
	    "System.Runtime.Experimental/6.0.0-preview.7.21377.19": {"type": "package", "serviceable": true, "sha512": "sha512-AA==",
	      "path": "system.runtime.experimental/6.0.0-preview.7.21377.19"},
	    "NETStandard.Library/2.0.3": {"type": "package", "serviceable": true, "sha512": "sha512-AA==",
	      "path": "netstandard.library/2.0.3"},
	    "Microsoft.NETCore.Platforms/1.1.0": {"type": "package", "serviceable": true, "sha512": "sha512-AA==",
	      "path": "microsoft.netcore.platforms/1.1.0"},
	    "Legacy.Interop/1.0.0.0": {"type": "reference", "serviceable": false, "sha512": ""}
	  }
	}
	JSON
	cat > "$L/srv/tool/Tool.deps.json" <<-'JSON'
	{"libraries": {"Tool/2.0.0": {"type": "project"},
	  "log4net/2.0.10": {"type": "package", "serviceable": true, "sha512": "sha512-AA==", "path": "log4net/2.0.10"}}}
	JSON
	echo '{"libraries": {"Broken.Pkg/1.0.0": {"type": "package"' > "$L/opt/broken/Broken.deps.json"
	EOF
	build_image "$BATS_TEST_TMPDIR/case.sh" "$1"
}

@test "nuget sbom: a deps.json's runtime packages with their purls, not the project" {
	nuget_image "$BATS_TEST_TMPDIR/img.tar"
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 0 ]
	echo "$output" > "$BATS_TEST_TMPDIR/sbom.json"
	jq -r '[.packages[] | select(.type == "nuget") | "\(.name) \(.version) \(.purl) \(.database)"] | .[]' \
		"$BATS_TEST_TMPDIR/sbom.json" > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	# the names as written, also in the purl (purl-spec keeps NuGet's case); the meta-package,
	# Microsoft.NETCore.Platforms (no assets), the project and the reference are left out
	cat > "$BATS_TEST_TMPDIR/want" <<-'WANT'
	Newtonsoft.Json 13.0.1 pkg:nuget/Newtonsoft.Json@13.0.1 /app/MyApp.deps.json
	SQLitePCLRaw.lib.e_sqlite3 2.1.2 pkg:nuget/SQLitePCLRaw.lib.e_sqlite3@2.1.2 /app/MyApp.deps.json
	System.Runtime.Experimental 6.0.0-preview.7.21377.19 pkg:nuget/System.Runtime.Experimental@6.0.0-preview.7.21377.19 /app/MyApp.deps.json
	System.Text.Encodings.Web 4.7.1 pkg:nuget/System.Text.Encodings.Web@4.7.1 /app/MyApp.deps.json
	log4net 2.0.10 pkg:nuget/log4net@2.0.10 /srv/tool/Tool.deps.json
	WANT
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	# three files read as manifests, the broken one too (and skipped)
	jq -e '.summary.packages == 5 and .summary.manifests == 3' "$BATS_TEST_TMPDIR/sbom.json"
	# the standard formats carry them too, and read back the same
	"$SHIPSHAPE" sbom -f cyclonedx -o "$BATS_TEST_TMPDIR/c.cdx.json" "$BATS_TEST_TMPDIR/img.tar"
	jq -e '[.components[] | .purl // empty] | index("pkg:nuget/Newtonsoft.Json@13.0.1") != null' "$BATS_TEST_TMPDIR/c.cdx.json"
	"$SHIPSHAPE" sbom -f spdx -o "$BATS_TEST_TMPDIR/c.spdx.json" "$BATS_TEST_TMPDIR/img.tar"
	jq -e '[.packages[].externalRefs[]? | .referenceLocator] | index("pkg:nuget/log4net@2.0.10") != null' \
		"$BATS_TEST_TMPDIR/c.spdx.json"
	# and a root directory gives the same
	(new_layer() { L=$BATS_TEST_TMPDIR/r; mkdir -p "$L"; } && . "$BATS_TEST_TMPDIR/case.sh")
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/r"
	[ "$status" -eq 0 ]
	echo "$output" | jq -r '.packages[] | select(.type == "nuget") | "\(.name) \(.version) \(.purl) \(.database)"' |
		diff "$BATS_TEST_TMPDIR/want" -
}

@test "nuget vuln: NuGet OSV records match NuGet packages in NuGet's order, names in any case" {
	mkdir -p "$BATS_TEST_TMPDIR/osv"
	# Newtonsoft.Json 13.0.1 is the fix itself; the record of System.Text.Encodings.Web names it
	# lower-cased; the preview is before its fix 6.0.0 (a prerelease before the release) and
	# its labels compare by number; log4net below its fix; SQLitePCLRaw's fix is 2.1.2.0 (= 2.1.2);
	# the meta-package's record does not match (it is not listed)
	cat > "$BATS_TEST_TMPDIR/osv/nuget.json" <<-'EOF'
	[{"id": "GHSA-5crp-9r3c-p9vr", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2024-21907"],
	  "summary": "Improper handling of exceptional conditions in Newtonsoft.Json", "database_specific": {"severity": "HIGH"},
	  "affected": [{"package": {"ecosystem": "NuGet", "name": "Newtonsoft.Json"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "13.0.1"}]}]}]},
	 {"id": "GHSA-ghhp-997w-qr28", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2021-26701"],
	  "database_specific": {"severity": "CRITICAL"},
	  "affected": [{"package": {"ecosystem": "NuGet", "name": "system.text.encodings.web"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "4.0.0"}, {"fixed": "4.7.2"}]}]}]},
	 {"id": "GHSA-prev-0003", "modified": "2026-01-01T00:00:00Z", "database_specific": {"severity": "LOW"},
	  "affected": [{"package": {"ecosystem": "NuGet", "name": "System.Runtime.Experimental"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "6.0.0-preview.7.21377.2"}, {"fixed": "6.0.0"}]}]}]},
	 {"id": "GHSA-2cwj-8chv-9pp9", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2018-1285"],
	  "database_specific": {"severity": "MODERATE"},
	  "affected": [{"package": {"ecosystem": "NuGet", "name": "LOG4NET"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0.10.1"}]}]}]},
	 {"id": "GHSA-sqlite-0005", "modified": "2026-01-01T00:00:00Z", "database_specific": {"severity": "HIGH"},
	  "affected": [{"package": {"ecosystem": "NuGet", "name": "SQLitePCLRaw.lib.e_sqlite3"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.1.2.0"}]}]}]},
	 {"id": "GHSA-meta-0006", "modified": "2026-01-01T00:00:00Z", "database_specific": {"severity": "HIGH"},
	  "affected": [{"package": {"ecosystem": "NuGet", "name": "NETStandard.Library"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]},
	 {"id": "GHSA-other-npm", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "npm", "name": "newtonsoft.json"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}]
	EOF
	"$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/vuln.db" "$BATS_TEST_TMPDIR/osv" 2>/dev/null
	nuget_image "$BATS_TEST_TMPDIR/img.tar"
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/vuln.db" -f json "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 1 ]
	echo "$output" | jq -r '.vulnerabilities[] | "\(.id) \(.package) \(.version) \(.fixed_version // "-") \(.severity)"' |
		sort > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	printf '%s\n' "CVE-2018-1285 log4net 2.0.10 2.0.10.1 medium" \
		"CVE-2021-26701 System.Text.Encodings.Web 4.7.1 4.7.2 critical" \
		"GHSA-prev-0003 System.Runtime.Experimental 6.0.0-preview.7.21377.19 6.0.0 low" | diff - "$BATS_TEST_TMPDIR/got"
	# image --db says the same
	run "$SHIPSHAPE" image --db "$BATS_TEST_TMPDIR/vuln.db" -f json --fail-on none "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 0 ]
	echo "$output" | jq -r '.vulnerabilities[] | .id' | sort | diff <(cut -d' ' -f1 "$BATS_TEST_TMPDIR/got") -
	# our CycloneDX SBOM of the image gives the same
	"$SHIPSHAPE" sbom -o "$BATS_TEST_TMPDIR/c.cdx.json" "$BATS_TEST_TMPDIR/img.tar"
	"$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/vuln.db" -f json "$BATS_TEST_TMPDIR/c.cdx.json" |
		jq -r '.vulnerabilities[] | "\(.id) \(.package) \(.version) \(.fixed_version // "-") \(.severity)"' | sort |
		diff "$BATS_TEST_TMPDIR/got" -
}
