# registry.bash - registries for the tests: Debian's docker-registry (unpacked by make deps into
# the build directory) on a free 127.0.0.1 port, anonymous, with htpasswd (bcrypt) or with token
# auth from tests/tools/token-server.py; the fault-injecting proxy tests/tools/fault-proxy.py in
# front of one; and test images built by umoci and pushed by skopeo.
#
# Every process started here is recorded in DIR/pids and stopped by PID with harness_stop DIR
# (which looks below DIR too): servers a whole file shares live under $BATS_FILE_TMPDIR
# (setup_file / teardown_file), those of one test under $BATS_TEST_TMPDIR (teardown), so
# nothing is left running when a test fails.

REGISTRY_BIN="${REGISTRY_BIN:-$ROOT/build/docker-registry/usr/bin/docker-registry}"
HARNESS_TOOLS="${HARNESS_TOOLS:-$ROOT/tests/tools}"
# The user the htpasswd and token modes know, and an identity token the token server accepts.
REG_USER=shipshape
REG_PASS='s3cret-Pa55'
REG_IDTOKEN=idtoken-0123456789abcdef
export REGISTRY_BIN HARNESS_TOOLS REG_USER REG_PASS REG_IDTOKEN

# The tools the harness runs, or the reason a test must skip.
harness_missing() {
	local t
	[ -x "$REGISTRY_BIN" ] || { echo "docker-registry not unpacked (make deps)"; return 0; }
	for t in skopeo umoci htpasswd openssl python3 curl jq; do
		command -v "$t" >/dev/null || { echo "$t not installed (make deps)"; return 0; }
	done
	return 1
}
harness_need() {
	local why
	if why=$(harness_missing); then skip "$why"; fi
}

# harness_spawn DIR NAME CMD...: CMD in the background, its output in DIR/NAME.log, its PID
# appended to DIR/pids. fd 3 is closed: bats waits for whoever still holds it.
harness_spawn() {
	local dir=$1 name=$2
	shift 2
	mkdir -p "$dir"
	"$@" >"$dir/$name.log" 2>&1 3>&- </dev/null &
	echo $! >>"$dir/pids"
}

# harness_stop DIR: stops every process that DIR/pids, or a pids file below DIR, lists:
# TERM first, KILL after 5 s.
harness_stop() {
	local f pid i
	[ -d "$1" ] || return 0
	while read -r f; do
		while read -r pid; do
			kill "$pid" 2>/dev/null || continue
			for i in $(seq 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -KILL "$pid" 2>/dev/null || true
		done <"$f"
		rm -f "$f"
	done < <(find "$1" -name pids -type f)
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_file FILE PID: waits until FILE exists while PID lives (10 s at most).
wait_file() {
	local i
	for i in $(seq 100); do
		[ -s "$1" ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# wait_http URL PID: waits until URL answers anything over HTTP while PID lives.
wait_http() {
	local i
	for i in $(seq 100); do
		curl -sk -o /dev/null -m 2 "$1" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# token_server DIR: starts the token server with a fresh RSA key; sets TOKEN_REALM and
# TOKEN_CERT (the bundle the registry trusts).
token_server() {
	local dir=$1 pid
	mkdir -p "$dir"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/token-key.pem" -out "$dir/token-cert.pem" \
		-days 2 -subj /CN=shipshape-test-token 2>/dev/null
	printf '%s:%s\nrefresh:%s:%s\n' "$REG_USER" "$REG_PASS" "$REG_IDTOKEN" "$REG_USER" >"$dir/token-users"
	rm -f "$dir/token-port"
	harness_spawn "$dir" token-server python3 "$HARNESS_TOOLS/token-server.py" --key "$dir/token-key.pem" \
		--users "$dir/token-users" --port-file "$dir/token-port" --log "$dir/token-grants.log"
	pid=$(tail -n1 "$dir/pids")
	wait_file "$dir/token-port" "$pid" || { cat "$dir/token-server.log" >&2; return 1; }
	TOKEN_REALM="http://127.0.0.1:$(cat "$dir/token-port")/token"
	TOKEN_CERT="$dir/token-cert.pem"
	export TOKEN_REALM TOKEN_CERT
}

# registry_start DIR MODE [tls]: a registry in DIR (anon, htpasswd or token); sets REG_ADDR
# (127.0.0.1:PORT) and REG_MODE. With tls it serves HTTPS with a self-signed certificate for
# 127.0.0.1, DIR/tls-cert.pem (REG_CA), else plain HTTP. The port is found free first;
# another is tried if the registry loses it to someone else meanwhile. With REG_ACCESSLOG=1
# the registry logs every request (method, path and query, status) to DIR/registry.log; with
# REG_READONLY=1 it refuses every write (405).
registry_start() {
	local dir=$1 mode=$2 tls=${3:-} port pid try auth='' tlsconf='' scheme=http access=true ro=''
	mkdir -p "$dir/data"
	if [ "$tls" = tls ]; then
		openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/tls-key.pem" -out "$dir/tls-cert.pem" -days 2 \
			-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
		tlsconf=", tls: {certificate: $dir/tls-cert.pem, key: $dir/tls-key.pem}"
		scheme=https
		REG_CA=$dir/tls-cert.pem
		export REG_CA
	fi
	case "$mode" in
	anon) ;;
	htpasswd)
		htpasswd -Bbn "$REG_USER" "$REG_PASS" >"$dir/htpasswd"
		auth="auth: {htpasswd: {realm: shipshape-test, path: $dir/htpasswd}}"
		;;
	token)
		token_server "$dir" || return 1
		auth="auth: {token: {realm: \"$TOKEN_REALM\", service: shipshape-test-registry,"
		auth+=" issuer: shipshape-test-issuer, rootcertbundle: $TOKEN_CERT}}"
		;;
	*)
		echo "registry_start: unknown mode $mode" >&2
		return 1
		;;
	esac
	[ "${REG_ACCESSLOG:-}" = 1 ] && access=false
	[ "${REG_READONLY:-}" = 1 ] && ro=', maintenance: {readonly: {enabled: true}}'
	for try in 1 2 3; do
		port=$(free_port)
		cat >"$dir/config.yml" <<-EOF
			version: 0.1
			log: {level: warn, accesslog: {disabled: $access}}
			storage: {filesystem: {rootdirectory: $dir/data}, delete: {enabled: true}$ro}
			http: {addr: 127.0.0.1:$port, secret: shipshape-test-secret$tlsconf}
			$auth
		EOF
		harness_spawn "$dir" registry "$REGISTRY_BIN" serve "$dir/config.yml"
		pid=$(tail -n1 "$dir/pids")
		if wait_http "$scheme://127.0.0.1:$port/v2/" "$pid"; then
			REG_ADDR=127.0.0.1:$port
			REG_MODE=$mode
			export REG_ADDR REG_MODE
			return 0
		fi
	done
	cat "$dir/registry.log" >&2
	return 1
}

# reg_creds: skopeo's --dest-creds/--src-creds value for the current mode ("" when anonymous).
reg_creds() {
	[ "$REG_MODE" = anon ] || echo "$REG_USER:$REG_PASS"
}

# registry_push SRC NAME:TAG [SKOPEO ARGS...]: skopeo copy of SRC (a transport:reference)
# to the current registry.
registry_push() {
	local src=$1 dst=$2 creds
	shift 2
	creds=$(reg_creds)
	skopeo copy -q --dest-tls-verify=false ${creds:+--dest-creds "$creds"} "$@" "$src" "docker://$REG_ADDR/$dst"
}

# test_image DIR TAG [ARCH]: an OCI layout DIR holding TAG, two layers built by umoci: a
# setuid file, a private key deleted again in layer 2 (a whiteout), a dpkg status with one
# package, user 1000. ARCH (default amd64) sets the config's architecture and a file naming it.
test_image() {
	local d=$1 tag=$2 arch=${3:-amd64} b="$1/bundle-$2"
	[ -d "$d" ] || umoci --log error init --layout "$d"
	umoci --log error new --image "$d:$tag"
	umoci --log error unpack --rootless --image "$d:$tag" "$b"
	local r="$b/rootfs"
	mkdir -p "$r/app" "$r/usr/bin" "$r/etc" "$r/var/lib/dpkg"
	{ echo '-----BEGIN OPENSSH PRIVATE KEY-----'; printf 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n'; echo '-----END OPENSSH PRIVATE KEY-----'; } >"$r/app/deploy_key"
	printf '#!/bin/sh\necho %s\n' "$arch" >"$r/usr/bin/tool"
	chmod 4755 "$r/usr/bin/tool"
	printf 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' >"$r/etc/os-release"
	printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n' >"$r/etc/passwd"
	cat >"$r/var/lib/dpkg/status" <<-EOF
		Package: base-files
		Status: install ok installed
		Priority: required
		Architecture: $arch
		Version: 12.4+deb12u5

	EOF
	umoci --log error repack --image "$d:$tag" "$b"
	rm -rf "$b"
	umoci --log error unpack --rootless --image "$d:$tag" "$b"
	rm -f "$r/app/deploy_key"
	echo "$tag" >"$r/app/version"
	umoci --log error repack --image "$d:$tag" "$b"
	rm -rf "$b"
	umoci --log error config --image "$d:$tag" --config.user 1000:1000 --architecture "$arch" \
		--config.entrypoint /usr/bin/tool
}

# blob_put LAYOUT FILE: stores FILE as a blob of the OCI layout; prints "DIGEST SIZE".
blob_put() {
	local hex size
	hex=$(sha256sum "$2" | cut -d' ' -f1)
	size=$(stat -c %s "$2")
	cp "$2" "$1/blobs/sha256/$hex"
	echo "sha256:$hex $size"
}

# desc_of LAYOUT TAG: the descriptor index.json holds for TAG (JSON).
desc_of() {
	jq -c --arg t "$2" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t)' "$1/index.json"
}

# multiarch_image DIR TAG: DIR holds TAG, an image index of linux/amd64 and linux/arm64 images
# and an attestation manifest for the amd64 one (platform unknown/unknown, as BuildKit writes
# them), for skopeo copy --all. Sets MULTI_AMD64 and MULTI_ARM64 to the two manifest digests.
multiarch_image() {
	local d=$1 tag=$2 amd arm cfg layer att idx tmp
	test_image "$d" "$tag-amd64" amd64
	test_image "$d" "$tag-arm64" arm64
	amd=$(desc_of "$d" "$tag-amd64")
	arm=$(desc_of "$d" "$tag-arm64")
	MULTI_AMD64=$(jq -r .digest <<<"$amd")
	MULTI_ARM64=$(jq -r .digest <<<"$arm")
	tmp=$(mktemp -d)
	echo '{"architecture":"unknown","os":"unknown","config":{},"rootfs":{"type":"layers","diff_ids":[]}}' >"$tmp/cfg"
	printf '{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://spdx.dev/Document","subject":[],"predicate":{}}' >"$tmp/att"
	read -r cfg cfgsize < <(blob_put "$d" "$tmp/cfg")
	read -r layer layersize < <(blob_put "$d" "$tmp/att")
	jq -nc --arg c "$cfg" --argjson cs "$cfgsize" --arg l "$layer" --argjson ls "$layersize" '{
		schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
		layers: [{mediaType: "application/vnd.in-toto+json", digest: $l, size: $ls,
			annotations: {"in-toto.io/predicate-type": "https://spdx.dev/Document"}}]}' >"$tmp/attm"
	read -r att attsize < <(blob_put "$d" "$tmp/attm")
	jq -nc --argjson a "$amd" --argjson r "$arm" --arg t "$att" --argjson ts "$attsize" --arg ad "$MULTI_AMD64" '{
		schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
		manifests: [
			($a | del(.annotations) | .platform = {architecture: "amd64", os: "linux"}),
			($r | del(.annotations) | .platform = {architecture: "arm64", os: "linux", variant: "v8"}),
			{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $t, size: $ts,
				platform: {architecture: "unknown", os: "unknown"},
				annotations: {"vnd.docker.reference.digest": $ad,
					"vnd.docker.reference.type": "attestation-manifest"}}]}' >"$tmp/index"
	read -r idx idxsize < <(blob_put "$d" "$tmp/index")
	jq --arg t "$tag" --arg i "$idx" --argjson is "$idxsize" '.manifests += [{
		mediaType: "application/vnd.oci.image.index.v1+json", digest: $i, size: $is,
		annotations: {"org.opencontainers.image.ref.name": $t}}]' "$d/index.json" >"$tmp/layout-index"
	cp "$tmp/layout-index" "$d/index.json"
	rm -rf "$tmp"
	MULTI_INDEX=$idx
	export MULTI_AMD64 MULTI_ARM64 MULTI_INDEX
}

# proxy_start DIR BACKEND FAULT...: tests/tools/fault-proxy.py in front of BACKEND (HOST:PORT)
# with the faults named (see that file); sets PROXY_ADDR, and REDIRECT_ADDR for its second
# listener. Requests are logged to DIR/proxy-requests.log, one "METHOD PATH STATUS" a line.
proxy_start() {
	local dir=$1 backend=$2 pid
	shift 2
	mkdir -p "$dir"
	rm -f "$dir/proxy-ports"
	harness_spawn "$dir" proxy python3 "$HARNESS_TOOLS/fault-proxy.py" --backend "$backend" \
		--port-file "$dir/proxy-ports" --log "$dir/proxy-requests.log" \
		--redirect-log "$dir/redirect-requests.log" "$@"
	pid=$(tail -n1 "$dir/pids")
	wait_file "$dir/proxy-ports" "$pid" || { cat "$dir/proxy.log" >&2; return 1; }
	read -r p r <"$dir/proxy-ports"
	PROXY_ADDR=127.0.0.1:$p
	REDIRECT_ADDR=127.0.0.1:$r
	PROXY_DIR=$dir
	export PROXY_ADDR REDIRECT_ADDR PROXY_DIR
}

# proxy_count METHOD REGEX: how many requests the proxy logged with that method and a path
# matching REGEX.
proxy_count() {
	[ -f "$PROXY_DIR/proxy-requests.log" ] || { echo 0; return; }
	awk -v m="$1" -v re="$2" '$1 == m && $2 ~ re { n++ } END { print n + 0 }' "$PROXY_DIR/proxy-requests.log"
}
