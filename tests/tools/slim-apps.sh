#!/usr/bin/env bash
# The Debian application images of issue 25, for tests/bats/slim-debian.bats and make bench
# (bench/slim.sh): an application added to an unpacked Debian root (debian-rootfs.sh's cached
# tars), then packed by umoci as an OCI layout with the image's configuration.
#
#   tests/tools/slim-apps.sh APP ROOT OCI
#
# APP is one of four, each on its own root (make test-data's cached tars):
#   nginx             Debian's nginx as it is (debian-bookworm-nginx.tar): CMD nginx -g
#                     'daemon off;', port 80;
#   nginx-entrypoint  the same nginx behind an official-style entrypoint script that runs
#                     /docker-entrypoint.d/*.sh, then exec "$@"; its port from $PORT;
#   flask             a Flask app on Debian's python3-flask using requests, psycopg2 and
#                     cryptography (debian-bookworm-flask.tar); ENV PORT=8080, EXPOSE 8080;
#   node              a Node app on Debian's nodejs requiring packages of its own and one of
#                     Debian's, acorn (debian-bookworm-node.tar); ENV PORT=3000, EXPOSE 3000.
# The apps read their port from $PORT, as the image's ENV sets it and a runtime may override
# it. ROOT is changed in place and is left as the image has it; the image is OCI:APP. Needs
# root (the root keeps its owners) and umoci.
set -euo pipefail
app=$1 r=$2 oci=$3

case $app in
nginx)
	config=(--config.cmd nginx --config.cmd -g --config.cmd 'daemon off;' --config.exposedports 80/tcp)
	;;
nginx-entrypoint)
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
		import sys

		import psycopg2.extensions
		import requests
		from cryptography.hazmat.primitives import hashes
		from flask import Flask, jsonify

		app = Flask(__name__)


		def sha256(data):
		    h = hashes.Hash(hashes.SHA256())
		    h.update(data)
		    return h.finalize().hex()


		@app.route("/")
		def hello():
		    # no network and no database: a request prepared, not sent; a DSN parsed and a
		    # value quoted as libpq would, with no connection
		    req = requests.Request("GET", "http://db.internal/items", params={"q": "slim app"}).prepare()
		    dsn = psycopg2.extensions.parse_dsn("host=db.internal port=5432 dbname=app user=web")
		    return jsonify(greeting="hello from flask", python=sys.version.split()[0],
		                   request={"method": req.method, "url": req.url},
		                   requests=requests.__version__, dsn=dsn,
		                   quoted=psycopg2.extensions.adapt("O'Reilly").getquoted().decode(),
		                   sha256=sha256(b"hello from flask"))


		if __name__ == "__main__":
		    app.run(host="127.0.0.1", port=int(os.environ["PORT"]))
	PY
	config=(--config.cmd python3 --config.cmd /app/app.py --config.workingdir /app
		--config.env PORT=8080 --config.exposedports 8080/tcp)
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
	config=(--config.cmd node --config.cmd /app/server.js --config.workingdir /app
		--config.env PORT=3000 --config.exposedports 3000/tcp)
	;;
*)
	echo "slim-apps.sh: APP is nginx, nginx-entrypoint, flask or node" >&2
	exit 2
	;;
esac

# what FROM debian:bookworm gives every image
config+=(--config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)

b=$(mktemp -d "${TMPDIR:-/tmp}/slim-apps.XXXXXX")
trap 'rm -rf "$b"' EXIT
[ -d "$oci" ] || umoci --log error init --layout "$oci"
umoci --log error new --image "$oci:$app"
umoci --log error unpack --image "$oci:$app" "$b/b"
cp -a "$r/." "$b/b/rootfs/"
umoci --log error repack --image "$oci:$app" "$b/b"
umoci --log error config --image "$oci:$app" "${config[@]}"
