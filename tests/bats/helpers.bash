# Shared setup for the bats suites.
ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
SHIPSHAPE="${SHIPSHAPE:-$ROOT/build/shipshape}"
NPM_DIR="${NPM_DIR:-$ROOT/build/npm}"
CASES="$ROOT/tests/rules"
CORPUS="$ROOT/../shared/corpus"
# One layer cache for the whole run, never the user's: images scanned by several tests are
# read once and then come from the cache, so every suite also checks that a cached scan
# reports what a full one does.
SHIPSHAPE_CACHE="${SHIPSHAPE_CACHE:-$BATS_RUN_TMPDIR/layer-cache}"
export SHIPSHAPE NPM_DIR CASES CORPUS ROOT SHIPSHAPE_CACHE

# flip_byte FILE OFFSET: changes the byte at OFFSET to a different value (writing a fixed
# byte would leave the file as it was whenever that byte already held it).
flip_byte() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf '%03o' $(((b + 1) % 256)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# refute CMD...: fails when CMD succeeds. A bare "! cmd" in a test asserts nothing (bats runs
# tests under set -e, which ignores a negated command), so negative checks go through here.
refute() { ! "$@"; }
