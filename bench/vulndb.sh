#!/usr/bin/env bash
# bench/vulndb.sh: the vulnerability database at the scale of osv.dev.
#  1. a mirror of generated OSV feeds (bench/osv-feeds.py: $VULNDB_RECORDS records, default
#     1,000,000, one all.zip per ecosystem in osv.dev's layout) and the CycloneDX SBOM of a
#     2,000-package Debian 12 image, written once under build/bench and kept;
#  2. a full update from that mirror (db update --mirror, served by python3 -m http.server on
#     127.0.0.1; db import of the zips where this shipshape has no db update; best of
#     $UPDATE_RUNS, default 3): records/s and
#     the database size, beside the raw limits: unzip -p reading the same bytes, and sqlite3
#     inserting the same rows into the same schema (target <= 15 s);
#  3. the same update again, every source answering 304 (target < 1 s);
#  4. vuln of the SBOM against that database, beside sqlite3 doing the same lookups alone
#     (target < 0.2 s).
set -euo pipefail
SHIPSHAPE=${1:-build/shipshape}
OUT=${BENCH_DIR:-build/bench}
RUNS=${RUNS:-5}
RECORDS=${VULNDB_RECORDS:-1000000}
. "$(dirname "$0")/lib.sh"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SHIPSHAPE=$(cd "$(dirname "$SHIPSHAPE")" && pwd)/$(basename "$SHIPSHAPE")
HOST=osv-vulnerabilities.storage.googleapis.com
MIRROR="$OUT/osv-$RECORDS"
SBOM="$MIRROR/sbom-2000.json"
if [ ! -f "$SBOM" ]; then
	echo "bench: writing $RECORDS generated OSV records under $MIRROR (once; this takes a while)"
	rm -rf "$MIRROR"
	python3 "$(dirname "$0")/osv-feeds.py" "$MIRROR.tmp" --records "$RECORDS" --sbom "$MIRROR.tmp/sbom-2000.json" 2>/dev/null
	mv "$MIRROR.tmp" "$MIRROR"
fi
zips=("$MIRROR/$HOST"/*/all.zip)
zbytes=$(cat "${zips[@]}" | wc -c)
jbytes=$(for z in "${zips[@]}"; do unzip -Zt "$z"; done | awk '{ n += $3 } END { print n }')
echo "bench: $RECORDS OSV records in ${#zips[@]} ecosystems, $zbytes bytes of zips, $jbytes bytes of JSON"

DB="$OUT/vulndb-$RECORDS.db"
server=
stop_server() { [ -z "$server" ] || kill "$server" 2>/dev/null || true; }
trap stop_server EXIT

# the update: db update --mirror from a local web server when there is db update, else db import
if "$SHIPSHAPE" db update --help >/dev/null 2>&1; then
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	python3 -m http.server --bind 127.0.0.1 --directory "$MIRROR" "$port" >/dev/null 2>&1 &
	server=$!
	for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
	# the sources whose feeds the mirror has (the generated ecosystems)
	only=()
	while read -r name url; do
		[ -f "$MIRROR/${url#https://}" ] && only+=(--only "$name")
	done < <("$SHIPSHAPE" db sources --format json | jq -r '.sources[] | "\(.name) \(.url)"')
	update=("$SHIPSHAPE" db update --db "$DB" --mirror "http://127.0.0.1:$port" "${only[@]}")
	what="db update --mirror ($((${#only[@]} / 2)) sources)"
else
	update=("$SHIPSHAPE" db import --db "$DB" "${zips[@]}")
	what="db import of the zips"
	echo "bench: this shipshape has no db update: the zips are imported with db import, and the 304 update is skipped"
fi
# the best of UPDATE_RUNS (default 3) full updates, each into an empty database: on a
# shared machine one run can take a third longer than the next
t= rss=
for _ in $(seq "${UPDATE_RUNS:-3}"); do
	rm -f "$DB"
	/usr/bin/time -o "$OUT/vulndb-update.time" -f '%e %M' "${update[@]}" >/dev/null 2>"$OUT/vulndb-update.err" ||
		{ cat "$OUT/vulndb-update.err"; exit 1; }
	read -r t1 rss1 < "$OUT/vulndb-update.time"
	if [ -z "$t" ] || [ "$(echo "$t1 < $t" | bc -l)" = 1 ]; then t=$t1 rss=$rss1; fi
done
size=$(stat -c %s "$DB")
rows=$(sqlite3 "$DB" 'SELECT (SELECT COUNT(*) FROM vulns) || " vulns rows, " || (SELECT COUNT(*) FROM names) || " names, " || (SELECT COUNT(*) FROM affected) || " affected, " || (SELECT COUNT(*) FROM packages) || " packages"')
printf '%-44s %8.3f s   (%.0f records/s, database %d MB: %s; peak RSS %s KiB)\n' "$what, $RECORDS records" "$t" \
	"$(echo "$RECORDS / $t" | bc -l)" "$((size / 1000000))" "$rows" "$rss"
printf 'target <= 15 s: %s\n' "$(echo "$t <= 15" | bc -l | sed 's/1/met/;s/0/NOT met/')"

# raw limits: reading the zips' bytes, and sqlite3 inserting the same rows in the same order
# into the same schema (WHERE 1: row by row, not SQLite's page copy)
traw=$(RUNS=1 best sh -c "for z in ${zips[*]}; do unzip -p \"\$z\"; done > /dev/null")
printf '%-44s %8.3f s   (%.0f MB/s of JSON)\n' "raw limit: unzip -p of the zips" "$traw" "$(echo "$jbytes / $traw / 1000000" | bc -l)"
raw="$OUT/vulndb-raw.db"
{
	echo "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF;"
	sqlite3 "$DB" .schema
	echo "ATTACH '$DB' AS o; BEGIN;"
	for tb in packages vulns names affected; do echo "INSERT INTO $tb SELECT * FROM o.$tb WHERE 1;"; done
	echo "COMMIT;"
} > "$OUT/vulndb-raw.sql"
tsql=$(RUNS=1 best sh -c "rm -f '$raw'; sqlite3 '$raw' < '$OUT/vulndb-raw.sql'")
rm -f "$raw"
printf '%-44s %8.3f s   (the same rows, no JSON)\n' "raw limit: sqlite3 inserting them" "$tsql"
printf 'ratio: the update takes %.2fx unzip -p + sqlite3\n' "$(echo "$t / ($traw + $tsql)" | bc -l)"

# every source unchanged: one conditional request each, answered 304, and no import
if [ -n "$server" ]; then
	t304=$(best "${update[@]}")
	printf '%-44s %8.3f s   (target < 1 s: %s)\n' "db update, every source answering 304" "$t304" \
		"$(echo "$t304 < 1" | bc -l | sed 's/1/met/;s/0/NOT met/')"
	stop_server
	server=
fi

# matching the image's 2,000 packages; beside it, sqlite3 running the lookups alone (each
# package's rows by distro and name). The generated records carry dates of their own, and how
# old they are is not what is measured: no staleness warning.
export SHIPSHAPE_MAX_DB_AGE=0
hits=$("$SHIPSHAPE" vuln --db "$DB" --fail-on none -f json "$SBOM" | jq '.vulnerabilities | length')
tv=$(best "$SHIPSHAPE" vuln --db "$DB" --fail-on none -f json "$SBOM")
lookups="$OUT/vulndb-lookups.sql"
jq -r '.components[] | select(.purl // "" | startswith("pkg:deb/")) |
	(.properties // [] | map(select(.name == "shipshape:package:source")) | .[0].value // .name) as $src |
	"SELECT COUNT(*) FROM packages p JOIN affected a ON a.package = p.id WHERE p.distro = '\''debian:12'\'' AND p.name = '\''\($src)'\'';"' "$SBOM" > "$lookups"
tl=$(best sh -c "sqlite3 '$DB' < '$lookups'")
printf '%-44s %8.3f s   (%s vulnerabilities; target < 0.2 s: %s)\n' "vuln: 2,000-package SBOM, $RECORDS records" "$tv" \
	"$hits" "$(echo "$tv < 0.2" | bc -l | sed 's/1/met/;s/0/NOT met/')"
printf '%-44s %8.3f s\n' "raw limit: sqlite3, the packages' rows alone" "$tl"
# a baseline of another database schema cannot read this one
if [ -n "${BASELINE:-}" ] && ! "$BASELINE" db info --db "$DB" >/dev/null 2>&1; then
	echo "bench: the baseline reads another database schema: no side-by-side match"
else
	baseline "vuln of the SBOM, against the baseline" 'vuln --db "$DB" --fail-on none -f json "$SBOM"'
fi
