#!/usr/bin/env bash
# make test-data: a gzip layer of 1,000,000 empty files (100 directories of 10,000), made
# once with touch and GNU tar and cached outside the clone (making it costs 25 s of file
# creation; reading it is what the test measures).
#
#   tests/tools/many-entries.sh [CACHE_DIR]   -> CACHE_DIR/million-entries.tar.gz
set -euo pipefail
CACHE=${1:-${SHIPSHAPE_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipshape-test}}
OUT=$CACHE/million-entries.tar.gz
if [ -s "$OUT" ]; then
	echo "test-data: $OUT (cached)"
	exit 0
fi
mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/.many.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "test-data: 1,000,000 empty files into a gzip layer (once; about 30 s)"
for i in $(seq 0 99); do
	mkdir -p "$work/src/d$i"
	(cd "$work/src/d$i" && seq 10000 | xargs touch)
done
tar -C "$work/src" --sort=name --mtime=@0 --numeric-owner -cf - . | gzip -1 > "$work/layer.tar.gz"
mv "$work/layer.tar.gz" "$OUT"
echo "test-data: $OUT ($(du -h "$OUT" | cut -f1))"
