#!/usr/bin/env bash
# bench/image.sh: a ~500 MB two-layer image of system files (gzip layers, docker-save form),
# built once under build/bench; shipshape image timed side by side with the raw limit
# (igzip -dc of the same layers) and the usual pipeline (gzip -dc | tar -t); peak RSS. These
# are cold scans (--no-cache); a warm one, its layers from the layer cache, is timed after.
set -euo pipefail
SHIPSHAPE=${1:-build/shipshape}
OUT=${BENCH_DIR:-build/bench}
RUNS=${RUNS:-3}
mkdir -p "$OUT"
. "$(dirname "$0")/lib.sh"
img=$(image_500m "$OUT")
L="$OUT/layers"
tarbytes=$("$SHIPSHAPE" image --no-cache -f json --fail-on none "$img" | jq '[.image.layers[].tar_bytes] | add')
echo "bench: $img, $(stat -L -c %s "$img") bytes stored, $tarbytes bytes of tar, best of $RUNS runs"
ours=$(best "$SHIPSHAPE" image --no-cache -f json --fail-on none "$img")
ours1=$(best "$SHIPSHAPE" image --no-cache -f json --fail-on none -j 1 "$img")
cache="$OUT/layer-cache"
rm -rf "$cache"
"$SHIPSHAPE" image --cache-dir "$cache" -f json --fail-on none "$img" >/dev/null
warm=$(best "$SHIPSHAPE" image --cache-dir "$cache" -f json --fail-on none "$img")
raw=$(best sh -c "igzip -dc '$L/l1.tar.gz' '$L/l2.tar.gz'")
pipe=$(best sh -c "gzip -dc '$L/l1.tar.gz' | tar -t; gzip -dc '$L/l2.tar.gz' | tar -t")
rss=$( { /usr/bin/time -f '%M' "$SHIPSHAPE" image --no-cache -f json --fail-on none "$img" >/dev/null; } 2>&1 | tail -1)
wrss=$( { /usr/bin/time -f '%M' "$SHIPSHAPE" image --cache-dir "$cache" -f json --fail-on none "$img" >/dev/null; } 2>&1 | tail -1)
printf '%-40s %8.3f s   (peak RSS %s KiB, limit 100 MiB)\n' "shipshape image (layers in parallel)" "$ours" "$rss"
printf '%-40s %8.3f s\n' "shipshape image -j 1" "$ours1"
printf '%-40s %8.3f s   (peak RSS %s KiB; the blobs only hashed)\n' "shipshape image, layers from the cache" "$warm" "$wrss"
printf '%-40s %8.3f s\n' "igzip -dc of the layers" "$raw"
printf '%-40s %8.3f s\n' "gzip -dc | tar -t of the layers" "$pipe"
printf 'ratio vs igzip -dc: %.2fx (target <= 1.5x); -j 1: %.2fx\n' "$(echo "$ours / $raw" | bc -l)" "$(echo "$ours1 / $raw" | bc -l)"
printf 'ratio vs gzip -dc | tar -t: %.2fx (target <= 0.5x)\n' "$(echo "$ours / $pipe" | bc -l)"
printf 'layer cache: a warm scan takes %.2fx the time of a cold one\n' "$(echo "$warm / $ours" | bc -l)"
baseline "image, against the baseline" 'image --no-cache -f json --fail-on none "$img"'
baseline "image -j 1, against the baseline" 'image --no-cache -f json --fail-on none -j 1 "$img"'
