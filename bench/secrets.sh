#!/usr/bin/env bash
# bench/secrets.sh: the content scanner alone (build/secrets-bench, bench/secrets-bench.c) over
# about 200 MB of this machine's files, text and programs as an image holds them, in MB/s.
# BASELINE_SRC=DIR (a checkout of an older revision, built with `make` there) builds the same
# bench against DIR's scanner and times the two in turn: the rule set's cost, side by side.
set -euo pipefail
SHIPSHAPE=${1:-build/shipshape}
OUT=${BENCH_DIR:-build/bench}
RUNS=${RUNS:-3}
mkdir -p "$OUT"
tool=$(dirname "$SHIPSHAPE")/secrets-bench
list="$OUT/secrets-files.txt"
if [ ! -s "$list" ]; then
	# text: documentation, Python sources, headers, configuration (no NUL in the first 8 KiB, as
	# the scanner decides); programs: executables, not shared libraries or compressed files
	# (whose bytes `image` does not search); each in path order until its size is reached
	python3 - > "$list.new" <<'PY'
import os
def pick(cap, binary, *tops):
    total = 0
    for top in tops:
        for d, dirs, files in os.walk(top):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(d, f)
                if not os.path.isfile(p) or os.path.islink(p) or f.endswith((".gz", ".xz", ".bz2", ".zst", ".png", ".jpg")):
                    continue
                if ".so" in f and (f.endswith(".so") or ".so." in f):
                    continue
                size = os.path.getsize(p)
                if size >= 8 << 20:
                    continue
                try:
                    with open(p, "rb") as h:
                        head = h.read(8192)
                except OSError:
                    continue
                if (b"\0" in head) != binary:
                    continue
                print(p)
                total += size
                if total > cap:
                    return
pick(140_000_000, False, "/etc", "/usr/share", "/usr/include", "/usr/lib/python3")
pick(60_000_000, True, "/usr/bin", "/usr/sbin", "/usr/libexec", "/usr/lib/gcc")
PY
	mv "$list.new" "$list"
fi
echo "bench: the secret scanner over $(wc -l < "$list") files of this machine ($list), best of $RUNS runs"
if [ -z "${BASELINE_SRC:-}" ]; then
	printf '%-34s %s\n' "scanner, this build:" "$("$tool" "$list" "$RUNS")"
	exit 0
fi
old="$OUT/secrets-bench-baseline"
core=$(find "$BASELINE_SRC/build" -maxdepth 1 -name 'libshipshape-core.a' | head -1)
[ -n "$core" ] || { echo "bench: $BASELINE_SRC/build/libshipshape-core.a not found: run make there"; exit 0; }
# the libraries the core links, as meson links them (static where the build found them)
libs=$(pkg-config --libs yaml-0.1 libcjson libisal libzstd libpcre2-8 libarchive libhs libcrypto sqlite3 expat zlib)
cc -O2 -D_GNU_SOURCE -I"$BASELINE_SRC/src" bench/secrets-bench.c "$core" -ldeflate $libs -lstdc++ -lm -lpthread -o "$old" 2>/dev/null ||
	cc -O2 -D_GNU_SOURCE -I"$BASELINE_SRC/src" bench/secrets-bench.c "$core" $libs -lstdc++ -lm -lpthread -o "$old"
a=$("$tool" "$list" "$RUNS")
b=$("$old" "$list" "$RUNS")
printf '%-34s %s\n' "scanner, this build:" "$a" "scanner, $BASELINE_SRC:" "$b"
ra=$(echo "$a" | sed -E 's/.* ([0-9]+) MB\/s.*/\1/')
rb=$(echo "$b" | sed -E 's/.* ([0-9]+) MB\/s.*/\1/')
printf 'this build scans at %.3fx the speed of the baseline (target >= 0.90x)\n' "$(echo "$ra / $rb" | bc -l)"
