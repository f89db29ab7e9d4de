#!/usr/bin/env bash
# bench/registry.sh: the ~500 MB two-layer image of image.sh pushed to Debian's docker-registry
# on a free 127.0.0.1 port (tests/bats/registry.bash starts and stops it). Side by side with
# the download alone (skopeo copy docker://... oci:DIR, no analysis): shipshape image
# docker://... with an empty layer cache (target <= 1.0x); a re-scan with every layer cached
# (target <= 0.1 s); peak RSS (target < 100 MB); and the largest file a scan writes anywhere
# (target: none over 1 MB), from strace's record of every write to a file.
set -euo pipefail
SHIPSHAPE=$(realpath "${1:-build/shipshape}")
OUT=${BENCH_DIR:-build/bench}
RUNS=${RUNS:-3}
mkdir -p "$OUT"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
. "$ROOT/tests/bats/registry.bash"
if why=$(harness_missing); then
	echo "bench: registry figures skipped: $why"
	exit 0
fi
img=$(image_500m "$OUT")

W=$(mktemp -d "${TMPDIR:-/tmp}/shipshape-bench-registry.XXXXXX")
trap 'harness_stop "$W"; rm -rf "$W"' EXIT
registry_start "$W/registry" anon >/dev/null
REF="docker://$REG_ADDR/bench/system:500m"
# pushed as it is stored: the same gzip layers image.sh reads from the archive
skopeo copy -q --dest-tls-verify=false "docker-archive:$img" "$REF"
export SHIPSHAPE REF W
echo "bench: $img pushed to $REF (docker-registry on loopback), best of $RUNS runs"

# every scan with its own HOME, TMPDIR and cache key, so that it writes nowhere but $W
mkdir -p "$W/home" "$W/tmp"
export HOME="$W/home" TMPDIR="$W/tmp" SHIPSHAPE_CACHE_KEY="$W/cache.key"
scan() { # CACHE_DIR: shipshape image REF with that layer cache
	"$SHIPSHAPE" image -q --cache-dir "$1" -f json --fail-on none "$REF"
}
cold() { rm -rf "$W/cache" && scan "$W/cache"; }
download() { rm -rf "$W/oci" && skopeo copy -q --src-tls-verify=false "$REF" "oci:$W/oci:bench"; }
export -f scan cold download

# the shipshape column waits for a build that reads docker:// references
ok=1
if ! msg=$(cold 2>&1 >/dev/null); then
	ok=0
	echo "shipshape image docker://: not read by this build ($(echo "$msg" | head -n1))"
fi

if [ "$ok" = 1 ]; then
	read -r ours peer < <(best_pair cold download)
else
	peer=$(best download)
fi
printf '%-44s %8.3f s\n' "skopeo copy docker:// oci: (download only)" "$peer"
[ "$ok" = 1 ] || exit 0

scan "$W/cache" >/dev/null # every layer in the cache
warm=$(best scan "$W/cache")
rss=$( { /usr/bin/time -f '%M' bash -c 'cold' >/dev/null; } 2>&1 | tail -1)
wrss=$( { /usr/bin/time -f '%M' bash -c 'scan "$W/cache"' >/dev/null; } 2>&1 | tail -1)
printf '%-44s %8.3f s   (peak RSS %s KiB, target < 100 MB)\n' "shipshape image docker:// (cache empty)" "$ours" "$rss"
printf '%-44s %8.3f s   (peak RSS %s KiB, target <= 0.1 s)\n' "shipshape image docker://, layers cached" "$warm" "$wrss"
printf 'ratio vs skopeo copy: %.2fx (target <= 1.0x)\n' "$(echo "$ours / $peer" | bc -l)"
# what the analysis alone costs on this machine now: the same image from its archive
archive=$(best "$SHIPSHAPE" image -q --no-cache -f json --fail-on none "$img")
printf '%-44s %8.3f s   (%.2fx the download)\n' "shipshape image of its docker-save archive" "$archive" \
	"$(echo "$archive / $peer" | bc -l)"

# What a cold scan writes: every write, by path, from a trace of each process and thread
# (-ff: one file each, so no call is split across lines); sockets, pipes and devices are not
# files. ftruncate and fallocate count as the size they set.
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	rm -rf "$W/cache" "$W/trace" && mkdir "$W/trace"
	strace -ff -y -o "$W/trace/t" -e trace=write,pwrite64,writev,pwritev,pwritev2,ftruncate,fallocate,sendfile,copy_file_range,splice \
		"$SHIPSHAPE" image -q --cache-dir "$W/cache" -f json --fail-on none "$REF" >/dev/null
	cat "$W/trace"/t.* | awk '
		match($0, /^(write|pwrite64|writev|pwritev|pwritev2|sendfile|copy_file_range|splice)\([0-9]+<\/[^>]*>/) {
			call = substr($0, 1, RLENGTH); sub(/^[a-z0-9_]+\([0-9]+</, "", call); sub(/>$/, "", call)
			n = $NF; if (n ~ /^[0-9]+$/ && call !~ /^\/dev\//) bytes[call] += n
		}
		match($0, /^(ftruncate|fallocate)\([0-9]+<\/[^>]*>/) {
			call = substr($0, 1, RLENGTH); sub(/^[a-z]+\([0-9]+</, "", call); sub(/>$/, "", call)
			split($0, a, ", "); n = a[length(a)]; sub(/\).*/, "", n); if (n + 0 > bytes[call]) bytes[call] = n + 0
		}
		END { for (f in bytes) print bytes[f] "\t" f }' | sort -rn > "$W/written"
	big=$(head -n1 "$W/written")
	over=$(awk -F'\t' '$1 > 1048576' "$W/written" | wc -l)
	records=$(awk -F'\t' -v c="$W/cache/" '$1 > 1048576 && index($2, c) == 1' "$W/written" | wc -l)
	printf 'files written by a cold scan: %d, the largest %s bytes (%s)\n' "$(wc -l < "$W/written")" \
		"${big%%$'\t'*}" "${big#*$'\t'}"
	printf 'files over 1 MB written: %d (target: 0): layer cache records %d, other files %d\n' "$over" "$records" \
		"$((over - records))"
	# the same from the file system: nothing over 1 MB under the scan's HOME, TMPDIR and cache
	printf 'files over 1 MB under its HOME, TMPDIR and cache: %d\n' "$(find "$W/home" "$W/tmp" "$W/cache" -type f -size +1M | wc -l)"
else
	echo "files written by a scan: not measured (strace cannot trace here)"
fi
