#!/usr/bin/env bats
# shipshape slim of real Debian application images, with no flag but -o (debootstrap roots
# that make test-data caches): Debian 12's nginx behind an entrypoint script as the official
# image has it (runs /docker-entrypoint.d/*.sh, then exec "$@"), and a Flask app on Debian's
# python3-flask. The original root and the slim image's are each run by chroot, with the
# host's /dev and a /proc of their own, and must serve the same page; the slim images are
# small, with no package manager and no setuid file.

load helpers
load registry

NGINX_TAR="${DEB_TAR%-minbase.tar}-nginx.tar"
FLASK_TAR="${DEB_TAR%-minbase.tar}-secrets.tar" # python3-flask, gunicorn, cryptography, nodejs

teardown() {
	harness_stop "$BATS_TEST_TMPDIR"
	local m
	for m in $(awk -v t="$BATS_TEST_TMPDIR" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" || true
	done
}

# root_from TAR WHAT: $BATS_TEST_TMPDIR/root, unpacked from the cached Debian root TAR (which
# has WHAT), or the test skips saying what it lacks.
root_from() {
	[ "$(id -u)" = 0 ] || skip "needs root: the root keeps its owners, and chroot runs it"
	[ -s "$1" ] || skip "no Debian root with $2 cached (make test-data)"
	command -v umoci >/dev/null || skip "umoci not installed (make deps)"
	mkdir -p "$BATS_TEST_TMPDIR/root"
	tar -C "$BATS_TEST_TMPDIR/root" --numeric-owner -xpf "$1"
}

# oci_of ROOT TAG ARGS...: an OCI layout $BATS_TEST_TMPDIR/oci:TAG of ROOT, configured by umoci
# config's ARGS.
oci_of() {
	local r=$1 tag=$2 d=$BATS_TEST_TMPDIR
	shift 2
	[ -d "$d/oci" ] || umoci --log error init --layout "$d/oci"
	umoci --log error new --image "$d/oci:$tag"
	umoci --log error unpack --image "$d/oci:$tag" "$d/b"
	cp -a "$r/." "$d/b/rootfs/"
	umoci --log error repack --image "$d/oci:$tag" "$d/b"
	rm -rf "$d/b"
	umoci --log error config --image "$d/oci:$tag" "$@"
}

# unpack_slim TAR DIR: the slim image's root, as a runtime unpacks it
unpack_slim() {
	mkdir -p "$2.x" "$2"
	tar -C "$2.x" -xf "$1"
	tar -C "$2" --numeric-owner -xpf "$2.x/$(jq -r '.[0].Layers[0]' "$2.x/manifest.json")"
}

# serve ROOT NAME USERSPEC CMD...: runs CMD in ROOT by chroot (as USERSPEC, or root when it is
# empty), with the host's /dev, a /proc of its own and a free port in $PORT, as a runtime runs
# an image's command; prints the page it serves there, then the status code.
serve() {
	local r=$1 name=$2 user=$3 port pid
	shift 3
	mkdir -p "$r/dev" "$r/proc"
	mount --bind /dev "$r/dev"
	mount -t proc proc "$r/proc"
	port=$(free_port)
	# the environment as a runtime gives it (a slim image may have no env program)
	harness_spawn "$BATS_TEST_TMPDIR" "$name" env PORT="$port" chroot ${user:+--userspec="$user"} "$r" "$@"
	pid=$(tail -n1 "$BATS_TEST_TMPDIR/pids")
	wait_http "http://127.0.0.1:$port/" "$pid" || { cat "$BATS_TEST_TMPDIR/$name.log" >&2; return 1; }
	curl -s -w '\n%{http_code}\n' "http://127.0.0.1:$port/"
}

# same_page USER CMD...: the original root and the slim one each serve CMD (serve) as USER;
# the original answers 200, and the slim root's page (in $BATS_TEST_TMPDIR/got) is the same.
same_page() {
	local d=$BATS_TEST_TMPDIR
	serve "$d/root" original "$@" >"$d/want"
	serve "$d/slim" slim "$@" >"$d/got"
	[ "$(tail -n1 "$d/want")" = 200 ]
	diff "$d/want" "$d/got"
}

# at_most DIR BYTES: DIR holds no more than BYTES (its size is printed)
at_most() {
	local size
	size=$(du -sb "$1" | cut -f1)
	echo "$1: $size bytes"
	[ "$size" -le "$2" ]
}

@test "slim: Debian's nginx behind an official-style entrypoint script serves the same page, in 12 MiB" {
	root_from "$NGINX_TAR" nginx
	local d=$BATS_TEST_TMPDIR
	mkdir -p "$d/root/docker-entrypoint.d"
	cat >"$d/root/docker-entrypoint.sh" <<-'SH'
		#!/bin/sh
		set -e
		exec 3>&1
		if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
		    if /usr/bin/find "/docker-entrypoint.d/" -mindepth 1 -maxdepth 1 -type f -print -quit 2>/dev/null | read v; then
		        echo >&3 "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
		        find "/docker-entrypoint.d/" -follow -type f -print | sort -V | while read -r f; do
		            case "$f" in
		                *.sh) if [ -x "$f" ]; then echo >&3 "$0: Launching $f"; "$f"; fi ;;
		                *) echo >&3 "$0: Ignoring $f" ;;
		            esac
		        done
		    fi
		fi
		exec "$@"
	SH
	printf '#!/bin/sh\nset -e\nsed -i -e "s/listen 80 default_server;/listen %s default_server;/" -e "/listen \\[::\\]:80/d" %s\n' \
		'${PORT:-80}' /etc/nginx/sites-enabled/default >"$d/root/docker-entrypoint.d/10-listen.sh"
	chmod 755 "$d/root/docker-entrypoint.sh" "$d/root/docker-entrypoint.d/10-listen.sh"
	oci_of "$d/root" nginx --config.entrypoint /docker-entrypoint.sh --config.cmd nginx --config.cmd -g \
		--config.cmd 'daemon off;' --config.exposedports 80/tcp
	run "$SHIPSHAPE" slim "oci:$d/oci:nginx" -o "$d/slim.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "  entrypoint  /docker-entrypoint.sh" ]]
	[[ "${lines[3]}" == "  user        0:0 (was root)" ]]
	[[ "$output" == *"the user stays 0:0: /usr/sbin/nginx makes /run/nginx.pid, in /run"* ]]
	unpack_slim "$d/slim.tar" "$d/slim"
	at_most "$d/slim" $((12 * 1024 * 1024))
	[ -x "$d/slim/usr/sbin/nginx" ]
	for pm in usr/bin/apt usr/bin/apt-get usr/bin/dpkg; do [ ! -e "$d/slim/$pm" ]; done
	[ -z "$(find "$d/slim" -xdev -perm /6000 -type f)" ]
	same_page "" /docker-entrypoint.sh nginx -g 'daemon off;'
	grep -q 'Welcome to nginx' "$d/got"
}

@test "slim: a Flask app on Debian's python3-flask: its imports followed, it serves the same page" {
	root_from "$FLASK_TAR" python3-flask
	local d=$BATS_TEST_TMPDIR
	mkdir -p "$d/root/app"
	cat >"$d/root/app/app.py" <<-'PY'
		import os

		from flask import Flask, jsonify

		app = Flask(__name__)


		@app.route("/")
		def hello():
		    return jsonify(greeting="hello from flask", python=os.sys.version.split()[0])


		if __name__ == "__main__":
		    app.run(host="127.0.0.1", port=int(os.environ["PORT"]))
	PY
	oci_of "$d/root" flask --config.cmd python3 --config.cmd /app/app.py --config.workingdir /app
	run "$SHIPSHAPE" slim "oci:$d/oci:flask" -o "$d/slim.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[3]}" == "  user        65534:65534 (was root)" ]]
	unpack_slim "$d/slim.tar" "$d/slim"
	at_most "$d/slim" $((40 * 1024 * 1024))
	[ ! -e "$d/slim/usr/bin/sh" ] && [ ! -e "$d/slim/usr/bin/pip3" ] && [ ! -e "$d/slim/usr/bin/dpkg" ]
	same_page 65534:65534 /usr/bin/python3 /app/app.py
	grep -q 'hello from flask' "$d/got"
}

@test "slim: a Node app on Debian's nodejs: its requires followed, libnode's builtins kept, the same page" {
	root_from "$FLASK_TAR" nodejs
	local d=$BATS_TEST_TMPDIR
	local m=$d/root/app/node_modules
	mkdir -p "$m/greet/lib" "$m/@acme/util" "$m/unused"
	# a package by its main, which requires a file and a JSON file; a scoped package's subpath
	# by its exports; a package of Debian's (/usr/share/nodejs/acorn); one nothing requires
	cat >"$d/root/app/server.js" <<-'JS'
		const http = require('http');
		const os = require('os');
		const greet = require('greet');
		const { shout } = require('@acme/util/shout');
		const acorn = require('acorn');
		http.createServer((req, res) => {
		  res.writeHead(200, {'Content-Type': 'application/json'});
		  res.end(JSON.stringify({greeting: shout(greet('node')), node: process.version, platform: os.platform(),
		    parsed: acorn.parse('1 + 1', {ecmaVersion: 2020}).body.length}) + '\n');
		}).listen(parseInt(process.env.PORT, 10), '127.0.0.1');
	JS
	printf '{"name": "greet", "main": "lib/greet"}\n' >"$m/greet/package.json"
	printf "const fmt = require('./fmt.json');\nmodule.exports = (w) => fmt.prefix + w;\n" >"$m/greet/lib/greet.js"
	printf '{"prefix": "hello from "}\n' >"$m/greet/lib/fmt.json"
	printf '{"name": "@acme/util", "exports": {".": "./index.js", "./shout": "./shout.js"}}\n' >"$m/@acme/util/package.json"
	printf 'exports.shout = (s) => s.toUpperCase();\n' >"$m/@acme/util/shout.js"
	printf 'module.exports = 1;\n' >"$m/unused/index.js"
	oci_of "$d/root" node --config.cmd node --config.cmd /app/server.js --config.workingdir /app
	run "$SHIPSHAPE" slim "oci:$d/oci:node" -o "$d/slim.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	unpack_slim "$d/slim.tar" "$d/slim"
	# Debian's libnode loads five of its builtins from /usr/share/nodejs, by names compiled in
	[ -f "$d/slim/usr/share/nodejs/cjs-module-lexer/lexer.js" ]
	# what the app requires, and not what it does not
	for f in app/node_modules/greet/lib/greet.js app/node_modules/greet/lib/fmt.json \
		app/node_modules/@acme/util/shout.js usr/share/nodejs/acorn/dist/acorn.js; do
		[ -f "$d/slim/$f" ]
	done
	[ ! -e "$d/slim/app/node_modules/unused" ]
	at_most "$d/slim" 100000000
	[ ! -e "$d/slim/usr/bin/sh" ] && [ ! -e "$d/slim/usr/bin/npm" ] && [ ! -e "$d/slim/usr/bin/dpkg" ]
	same_page 65534:65534 /usr/bin/node /app/server.js
	grep -q 'HELLO FROM NODE' "$d/got"
}
