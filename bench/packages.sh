#!/usr/bin/env bash
# bench/packages.sh: the package and vulnerability side.
#  1. import the corpus feeds (Alpine secdb JSON, the OSV records, the Debian tracker sample);
#  2. match a 500-package Debian root against a 100,000-record database (target < 100 ms);
#  3. SBOM of the corpus alpine-311 image, side by side with cdxgen (npm, installed under
#     build/npm-cdxgen by this script) on the same tarball, and the two package lists compared.
set -euo pipefail
SHIPSHAPE=${1:-build/shipshape}
OUT=${BENCH_DIR:-build/bench}
RUNS=${RUNS:-5}
CORPUS=${CORPUS:-../shared/corpus}
. "$(dirname "$0")/lib.sh"
mkdir -p "$OUT"

if [ -d "$CORPUS/vulndata" ]; then
	V=$CORPUS/vulndata
	feeds=("$V/alpine-secdb-json" "$V/osv" "$V/osv/osv.dev/vulnfeeds/test_data/debian/debian_security_tracker_mock.json")
	rm -f "$OUT/corpus.db"
	t=$(best bash -c "rm -f '$OUT/corpus.db'; '$SHIPSHAPE' db import --db '$OUT/corpus.db' ${feeds[*]}")
	"$SHIPSHAPE" db import --db "$OUT/corpus.db" "${feeds[@]}" 2>/dev/null
	printf '%-44s %8.3f s   (%s)\n' "db import of the corpus feeds" "$t" \
		"$("$SHIPSHAPE" db info --db "$OUT/corpus.db" | tail -1)"
else
	echo "bench: $CORPUS/vulndata not found; the corpus import is skipped"
fi

# 100,000 OSV records over 5,000 Debian 12 source packages (20 each, half fixed above and half
# below the installed version), and a root with 500 of those packages installed.
big="$OUT/osv-100k.json"
if [ ! -f "$big" ]; then
	awk 'BEGIN {
		printf "["
		for (i = 0; i < 100000; i++) {
			p = i % 5000; k = int(i / 5000)
			fixed = (k % 2) ? sprintf("1.%d-1", k) : sprintf("0.%d-1", k)
			printf "%s{\"id\":\"CVE-2099-%06d\",\"modified\":\"2026-01-01T00:00:00Z\",", (i ? "," : ""), i
			printf "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\"}],"
			printf "\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"pkg%d\"},", p
			printf "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"%s\"}]}]}]}", fixed
		}
		printf "]\n"
	}' > "$big"
fi
rm -f "$OUT/big.db"
timp=$(best bash -c "rm -f '$OUT/big.db'; '$SHIPSHAPE' db import --db '$OUT/big.db' '$big'")
"$SHIPSHAPE" db import --db "$OUT/big.db" "$big" 2>/dev/null
root="$OUT/root-500"
rm -rf "$root" && mkdir -p "$root/etc" "$root/var/lib/dpkg"
printf 'ID=debian\nVERSION_ID="12"\n' > "$root/etc/os-release"
for i in $(seq 0 10 4990); do
	printf 'Package: pkg%d\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\n' "$i"
done > "$root/var/lib/dpkg/status"
tv=$(best "$SHIPSHAPE" vuln --db "$OUT/big.db" --fail-on none -f json "$root")
hits=$("$SHIPSHAPE" vuln --db "$OUT/big.db" --fail-on none -f json "$root" | jq '.vulnerabilities | length')
printf '%-44s %8.3f s\n' "db import of 100,000 OSV records" "$timp"
printf '%-44s %8.3f s   (%s vulnerabilities; target < 0.100 s: %s)\n' "vuln: 500 packages x 100,000 records" "$tv" \
	"$hits" "$(echo "$tv < 0.1" | bc -l | sed 's/1/met/;s/0/NOT met/')"

# SBOM against cdxgen on the same image
img="$CORPUS/images/trivy/pkg_fanal_test_testdata_alpine-311.tar.gz"
if [ ! -f "$img" ]; then
	echo "bench: $img not found; the SBOM comparison is skipped"
	exit 0
fi
ts=$(best "$SHIPSHAPE" sbom --no-cache "$img")
printf '%-44s %8.3f s\n' "shipshape sbom alpine-311" "$ts"
CDX=build/npm-cdxgen
if [ ! -x "$CDX/node_modules/.bin/cdxgen" ]; then
	mkdir -p "$CDX"
	(cd "$CDX" && npm install --no-audit --no-fund --loglevel=error @cyclonedx/cdxgen@12.8.4 >/dev/null 2>&1) ||
		{ echo "bench: cdxgen could not be installed from npm; the peer is skipped"; exit 0; }
fi
gunzip -c "$img" > "$OUT/alpine-311.tar"
tc=$(RUNS=1 best "$CDX/node_modules/.bin/cdxgen" -t docker "$OUT/alpine-311.tar" -o "$OUT/cdxgen.json")
rm -rf /tmp/docker-images-* 2>/dev/null || true # cdxgen leaves its extraction behind
printf '%-44s %8.3f s   (ratio: shipshape %.0fx faster)\n' "cdxgen -t docker alpine-311 (one run)" "$tc" \
	"$(echo "$tc / $ts" | bc -l)"
ours=$("$SHIPSHAPE" sbom "$img" | jq -r '.components[] | select(.type == "library") | "\(.name)@\(.version)"' | sort)
theirs=$(jq -r '.components[] | select(any(.properties[]?; .name == "aquasecurity:trivy:PkgID")) | "\(.name)@\(.version)"' \
	"$OUT/cdxgen.json" | sort)
if [ "$ours" = "$theirs" ]; then
	echo "package lists: equal ($(echo "$ours" | wc -l) apk packages)"
else
	echo "package lists differ:"
	diff <(echo "$ours") <(echo "$theirs") || true
fi
