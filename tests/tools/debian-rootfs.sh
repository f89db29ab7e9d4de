#!/usr/bin/env bash
# make test-data: a real Debian root filesystem, made once with debootstrap from Debian's own
# package mirror (the one apt uses here) and cached outside the clone, so the tests that read
# it stay offline. The tests skip, saying so, when the cache is absent (no root, no mirror).
#
#   tests/tools/debian-rootfs.sh [CACHE_DIR [NAME PACKAGE,...]]
#
# Leaves CACHE_DIR/debian-bookworm-minbase.tar: the root as a tar with numeric owners
# (setuid bits, symlinks and merged /usr as debootstrap made them). With NAME and packages,
# CACHE_DIR/debian-bookworm-NAME.tar: the same root with those packages installed too (an
# empty CACHE_DIR means the default).
set -euo pipefail
CACHE=${1:-${SHIPSHAPE_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipshape-test}}
SUITE=bookworm
NAME=${2:-minbase}
INCLUDE=${3:+--include=$3}
OUT=$CACHE/debian-$SUITE-$NAME.tar

if [ -s "$OUT" ]; then
	echo "test-data: $OUT (cached)"
	exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v debootstrap >/dev/null; then
	echo "test-data: skipped, debootstrap needs root and the debootstrap package; the Debian image tests will skip"
	exit 0
fi
# The mirror apt itself uses for Debian's main archive: from the index targets apt knows (both
# source formats, after make deps' apt-get update), else from the sources files directly.
mirror=$(apt-get indextargets --format '$(LABEL) $(REPO_URI)' 2>/dev/null | sed -n 's/^Debian \(http[^ ]*\)$/\1/p' | head -1)
[ -n "$mirror" ] || mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
	sed -n -e 's/^URIs: *\(http[^ ]*\/debian\/*\)$/\1/p' -e 's/^deb  *\(\[[^]]*\] *\)\{0,1\}\(http[^ ]*\/debian\/*\) .*/\2/p' | head -1)
if [ -z "$mirror" ]; then
	echo "test-data: skipped, apt's configuration names no Debian mirror; the Debian image tests will skip"
	exit 0
fi
mirror=${mirror%/}
mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/.debootstrap.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "test-data: debootstrap --variant=minbase $INCLUDE $SUITE from $mirror (once; about 30 s)"
if ! debootstrap --variant=minbase $INCLUDE "$SUITE" "$work/root" "$mirror" >"$work/log" 2>&1; then
	# Some packages do not configure inside debootstrap's second stage (python3-cryptography
	# in bookworm): the minbase root, then apt-get install in it, as a Dockerfile's RUN does.
	ok=
	if [ -n "$INCLUDE" ]; then
		echo "test-data: --include failed; minbase, then apt-get install ${3//,/ } in it (a few minutes)"
		rm -rf "$work/root"
		if debootstrap --variant=minbase "$SUITE" "$work/root" "$mirror" >"$work/log" 2>&1 &&
			chroot "$work/root" /bin/sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -q --no-install-recommends ${3//,/ }" >>"$work/log" 2>&1; then
			ok=1
		fi
	fi
	if [ -z "$ok" ]; then
		tail -5 "$work/log"
		echo "test-data: skipped, debootstrap failed (no mirror?); the Debian image tests will skip"
		exit 0
	fi
fi
# What an image build would drop: the downloaded lists, the .debs and apt's package caches
# (Debian's images keep none: docker-clean); the log is ours.
rm -rf "$work/root/var/lib/apt/lists/"* "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/cache/apt/"*.bin \
	"$work/root/debootstrap"
tar -C "$work/root" --numeric-owner --xattrs -cf "$work/root.tar" .
mv "$work/root.tar" "$OUT"
echo "test-data: $OUT ($(du -h "$OUT" | cut -f1))"
