#!/usr/bin/env bash
# The Debian application images of issue 25, for tests/bats/slim-debian.bats and make bench
# (bench/slim.sh): an application added to an unpacked Debian root (debian-rootfs.sh's cached
# tars), then packed by umoci as an OCI layout with the image's configuration.
#
#   tests/tools/slim-apps.sh APP ROOT OCI
#
# APP is nginx (Debian's nginx behind an official-style entrypoint script that runs
# /docker-entrypoint.d/*.sh, then exec "$@"; its port from $PORT), flask (a Flask app on
# Debian's python3-flask) or node (a Node app on Debian's nodejs requiring packages of its own
# and one of Debian's). ROOT is changed in place and is left as the image has it; the image is
# OCI:APP. Needs root (the root keeps its owners) and umoci.
set -euo pipefail
app=$1 r=$2 oci=$3

case $app in
nginx)
	mkdir -p "$r/docker-entrypoint.d"
	cat >"$r/docker-entrypoint.sh" <<-'SH'
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
	# shellcheck disable=SC2016 # ${PORT:-80} is the script's, expanded when it runs
	printf '#!/bin/sh\nset -e\nsed -i -e "s/listen 80 default_server;/listen %s default_server;/" -e "/listen \\[::\\]:80/d" %s\n' \
		'${PORT:-80}' /etc/nginx/sites-enabled/default >"$r/docker-entrypoint.d/10-listen.sh"
	chmod 755 "$r/docker-entrypoint.sh" "$r/docker-entrypoint.d/10-listen.sh"
	config=(--config.entrypoint /docker-entrypoint.sh --config.cmd nginx --config.cmd -g
		--config.cmd 'daemon off;' --config.exposedports 80/tcp)
	;;
flask)
	mkdir -p "$r/app"
	cat >"$r/app/app.py" <<-'PY'
		import os

		from flask import Flask, jsonify

		app = Flask(__name__)


		@app.route("/")
		def hello():
		    return jsonify(greeting="hello from flask", python=os.sys.version.split()[0])


		if __name__ == "__main__":
		    app.run(host="127.0.0.1", port=int(os.environ["PORT"]))
	PY
	config=(--config.cmd python3 --config.cmd /app/app.py --config.workingdir /app)
	;;
node)
	m=$r/app/node_modules
	mkdir -p "$m/greet/lib" "$m/@acme/util" "$m/unused"
	# a package by its main, which requires a file and a JSON file; a scoped package's subpath
	# by its exports; a package of Debian's (/usr/share/nodejs/acorn); one nothing requires
	cat >"$r/app/server.js" <<-'JS'
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
	config=(--config.cmd node --config.cmd /app/server.js --config.workingdir /app)
	;;
*)
	echo "slim-apps.sh: APP is nginx, flask or node" >&2
	exit 2
	;;
esac

b=$(mktemp -d "${TMPDIR:-/tmp}/slim-apps.XXXXXX")
trap 'rm -rf "$b"' EXIT
[ -d "$oci" ] || umoci --log error init --layout "$oci"
umoci --log error new --image "$oci:$app"
umoci --log error unpack --image "$oci:$app" "$b/b"
cp -a "$r/." "$b/b/rootfs/"
umoci --log error repack --image "$oci:$app" "$b/b"
umoci --log error config --image "$oci:$app" "${config[@]}"
