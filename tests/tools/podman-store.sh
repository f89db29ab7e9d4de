#!/usr/bin/env bash
# podman-store.sh - puts an image in a containers-storage store (podman's and buildah's image
# storage) kept in directories of the caller's, for the tests that read such a store from
# disk (containers-storage:) or through podman's API service started on it. Nothing goes to
# the machine's own store, and podman is only run for the load: no service is left running.
#
#   tests/tools/podman-store.sh load   ROOT RUNROOT DRIVER ARCHIVE [NAME]
#       a docker-save or OCI archive (podman load), tagged NAME as well when given
#   tests/tools/podman-store.sh import ROOT RUNROOT DRIVER ROOTFS.tar NAME
#       a plain root filesystem tar as a one-layer image (podman import)
#   tests/tools/podman-store.sh args   ROOT RUNROOT DRIVER
#       prints the podman options that use that store (one per line), for other commands
#
# DRIVER is vfs or overlay (overlay: the kernel's, else fuse-overlayfs when installed).
# Prints the image's ID on stdout. Exits 77, saying why on stderr, where podman cannot make
# a store here (not root, podman missing, the driver unusable): callers skip then.
set -euo pipefail
die77() {
	echo "podman-store: $*" >&2
	exit 77
}
[ $# -ge 4 ] || {
	echo "usage: $0 load|import|args ROOT RUNROOT DRIVER [ARCHIVE [NAME]]" >&2
	exit 2
}
cmd=$1 root=$2 runroot=$3 driver=$4
command -v podman >/dev/null || die77 "needs podman (make deps)"
[ "$(id -u)" = 0 ] || die77 "needs root: podman's rootless storage needs subordinate ids and a user namespace"
mkdir -p "$root" "$runroot"
# everything podman writes stays under ROOT and RUNROOT: its temporary and state files, and no
# events log elsewhere; the machine's storage.conf is not read (the options below say it all)
args=(--root "$root" --runroot "$runroot" --storage-driver "$driver" --tmpdir "$runroot/libpod-tmp"
	--events-backend none --cgroup-manager cgroupfs)
if [ "$driver" = overlay ] && [ -z "${PODMAN_STORE_NATIVE_OVERLAY:-}" ]; then
	# the kernel's overlay when it mounts here, else fuse-overlayfs; loading needs neither
	# mounted, but podman checks the driver works before it stores a layer
	probe=$(mktemp -d)
	mkdir -p "$probe/l" "$probe/u" "$probe/w" "$probe/m"
	if ! mount -t overlay overlay -o "lowerdir=$probe/l,upperdir=$probe/u,workdir=$probe/w" "$probe/m" 2>/dev/null; then
		command -v fuse-overlayfs >/dev/null || die77 "overlay: the kernel's does not mount here and fuse-overlayfs is not installed"
		args+=(--storage-opt "overlay.mount_program=$(command -v fuse-overlayfs)")
	else
		umount "$probe/m"
	fi
	rm -rf "$probe"
fi
conf="$runroot/storage.conf"
printf '[storage]\ndriver = "%s"\ngraphroot = "%s"\nrunroot = "%s"\n' "$driver" "$root" "$runroot" >"$conf"
export CONTAINERS_STORAGE_CONF="$conf"
case $cmd in
args)
	printf '%s\n' "${args[@]}"
	exit 0
	;;
load)
	out=$(podman "${args[@]}" load -q -i "$5" 2>&1) || die77 "podman load: $out"
	# "Loaded image: NAME" or "Loaded image(s): ID"
	ref=$(printf '%s\n' "$out" | sed -n 's/^Loaded image[^:]*: *//p' | tail -1)
	[ -n "$ref" ] || die77 "podman load said: $out"
	if [ $# -ge 6 ]; then
		podman "${args[@]}" tag "$ref" "$6" >/dev/null
		ref=$6
	fi
	;;
import)
	[ $# -ge 6 ] || {
		echo "usage: $0 import ROOT RUNROOT DRIVER ROOTFS.tar NAME" >&2
		exit 2
	}
	podman "${args[@]}" import -q "$5" "$6" >/dev/null
	ref=$6
	;;
*)
	echo "$0: unknown command $cmd" >&2
	exit 2
	;;
esac
podman "${args[@]}" image inspect --format '{{.Id}}' "$ref"
