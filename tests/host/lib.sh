# lib.sh - builds host roots for `shipshape host --root` tests: a case script populates $R
# with these helpers (real unix sockets, modes and owners; chown needs root).
#   docker_installed             /usr/bin/dockerd and /etc/docker, as a package leaves them
#   sock PATH MODE [UID:GID]     a unix socket bound at $R/PATH
#   daemon_json 'JSON'           /etc/docker/daemon.json (mode 644, root)
#   group 'docker:x:998:alice'   a line of /etc/group
#   file PATH MODE               an empty file

docker_installed() { mkdir -p "$R/usr/bin" "$R/etc/docker"; : > "$R/usr/bin/dockerd"; chmod 755 "$R/etc/docker"; }
sock() {
	mkdir -p "$R/$(dirname "$1")"
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$R/$1"
	chmod "$2" "$R/$1"
	[ -z "${3:-}" ] || chown "$3" "$R/$1"
}
daemon_json() { mkdir -p "$R/etc/docker"; printf '%s\n' "$1" > "$R/etc/docker/daemon.json"; chmod 644 "$R/etc/docker/daemon.json"; }
group() { mkdir -p "$R/etc"; printf '%s\n' "$1" >> "$R/etc/group"; }
file() { mkdir -p "$R/$(dirname "$1")"; : > "$R/$1"; chmod "$2" "$R/$1"; }
# a daemon.json with every recommended setting
HARDENED_DAEMON='{"userns-remap": "default", "icc": false, "live-restore": true, "no-new-privileges": true,
 "userland-proxy": false, "log-level": "info"}'
