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
# and the secret its records are signed with, never the user's either
SHIPSHAPE_CACHE_KEY="${SHIPSHAPE_CACHE_KEY:-$BATS_RUN_TMPDIR/cache.key}"
# Feeds written by the tests carry fixed dates: their data is not stale (db-coverage.bats,
# which checks staleness, unsets it)
SHIPSHAPE_MAX_DB_AGE="${SHIPSHAPE_MAX_DB_AGE:-0}"
export SHIPSHAPE NPM_DIR CASES CORPUS ROOT SHIPSHAPE_CACHE SHIPSHAPE_CACHE_KEY SHIPSHAPE_MAX_DB_AGE

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

# Debian's bookworm minbase root that make test-data caches (or nothing if it is not there).
DEB_TAR="${SHIPSHAPE_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipshape-test}/debian-bookworm-minbase.tar"

# debian_oci DIR CMD: an OCI layout DIR/oci:bookworm holding that root as one layer (umoci,
# as root: the root's owners and setuid bits are kept), its command CMD.
debian_oci() {
	mkdir -p "$1/root"
	tar -C "$1/root" --numeric-owner -xpf "$DEB_TAR"
	umoci --log error init --layout "$1/oci"
	umoci --log error new --image "$1/oci:bookworm"
	umoci --log error unpack --image "$1/oci:bookworm" "$1/b"
	cp -a "$1/root/." "$1/b/rootfs/"
	umoci --log error repack --image "$1/oci:bookworm" "$1/b"
	umoci --log error config --image "$1/oci:bookworm" --config.cmd "$2"
	rm -rf "$1/b"
}

# small_image DIR F...: an OCI layout DIR/oci:t whose layers the functions F write, in order,
# each into the root it is given ($1), unpacked rootless; umoci packs them
small_image() {
	local d=$1 f
	shift
	umoci --log error init --layout "$d/oci"
	umoci --log error new --image "$d/oci:t"
	for f in "$@"; do
		umoci --log error unpack --rootless --image "$d/oci:t" "$d/b"
		"$f" "$d/b/rootfs"
		umoci --log error repack --image "$d/oci:t" "$d/b"
		rm -rf "$d/b"
	done
}
