#!/usr/bin/env bash
# bench/slim.sh: issue 25's sizes. The Debian application images the slim tests build
# (tests/tools/slim-apps.sh, each over its own cached Debian root of make test-data: plain
# nginx, nginx behind an entrypoint script, a Flask app, a Node app) are made once under
# build/bench/slim (again when slim-apps.sh or the root changes), and shipshape slim, with no
# flag but -o, makes each smaller: the files' bytes before and after (its report's figures),
# the slim layer's tar bytes, the issue's target for each, and whether slim's verification (the
# slim image run again with the same probes) gave the same results.
set -euo pipefail
SHIPSHAPE=${1:-build/shipshape}
OUT=${BENCH_DIR:-build/bench}/slim
CACHE=${SHIPSHAPE_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipshape-test}
APPS="$(cd "$(dirname "$0")/.." && pwd)/tests/tools/slim-apps.sh"

if [ "$(id -u)" != 0 ] || ! command -v umoci >/dev/null; then
	echo "bench slim: skipped, building the Debian images needs root and umoci (make deps)"
	exit 0
fi
mkdir -p "$OUT"
printf '%-36s %10s %10s %10s %8s %10s       %s\n' "slim, Debian images" "before" "after" "layer" "ratio" "target" "verified"
# app, the cached root with its packages, the issue's target in MB
for row in "nginx debian-bookworm-nginx 12" "nginx-entrypoint debian-bookworm-nginx 12" \
	"flask debian-bookworm-flask 30" "node debian-bookworm-node 100"; do
	read -r app root target <<<"$row"
	if [ ! -s "$CACHE/$root.tar" ]; then
		printf '%-36s skipped: no %s (make test-data)\n' "$app" "$CACHE/$root.tar"
		continue
	fi
	# the image is made again when what it is made of changed: the app's script, the root
	stamp="$(sha256sum <"$APPS" | cut -c1-16) $root $(stat -c '%s %Y' "$CACHE/$root.tar")"
	if [ "$(cat "$OUT/$app.stamp" 2>/dev/null)" != "$stamp" ]; then
		rm -f "$OUT/$app.stamp"
		[ ! -f "$OUT/oci/index.json" ] || umoci --log error rm --image "$OUT/oci:$app" 2>/dev/null || true
		rm -rf "$OUT/root"
		mkdir -p "$OUT/root"
		tar -C "$OUT/root" --numeric-owner -xpf "$CACHE/$root.tar"
		"$APPS" "$app" "$OUT/root" "$OUT/oci"
		rm -rf "$OUT/root"
		umoci --log error gc --layout "$OUT/oci"
		echo "$stamp" >"$OUT/$app.stamp"
	fi
	"$SHIPSHAPE" slim -q "oci:$OUT/oci:$app" -o "$OUT/$app-slim.tar" -f json --report "$OUT/$app.json" || true
	read -r before after layer verified <<<"$(jq -r '.slim | "\(.bytes.before) \(.bytes.after) \(.image.layer_bytes) \(
		if .trace == null then "not-traced" elif .trace.verification == null then "no" elif .trace.verification.same then "yes" else "DIFFERS" end)"' "$OUT/$app.json")"
	mb() { echo "scale=1; $1 / 1000000" | bc -l; }
	verdict=$([ "$after" -le $((target * 1000000)) ] && echo met || echo missed)
	printf '%-36s %7s MB %7s MB %7s MB %7.1fx %4s MB %-6s %s\n' "shipshape slim $app" "$(mb "$before")" "$(mb "$after")" \
		"$(mb "$layer")" "$(echo "$before / $after" | bc -l)" "$target" "$verdict" "$verified"
done
