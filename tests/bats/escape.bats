#!/usr/bin/env bats
# Terminal escape injection: file names in an image, a Dockerfile's name and text, and compose
# values that hold terminal controls (set the title, clear the screen, a line break that starts
# a fake "0 findings" line, DEL, U+009B CSI) and bytes that are not UTF-8 come out escaped in
# every line-oriented output and on stderr, and exact (by their own rules) in JSON and SARIF.

load helpers

# The hostile part of every name: OSC title, clear screen, a line break and a fake summary,
# DEL, U+009B (CSI as UTF-8), a raw C1 byte and two bytes that are not UTF-8.
HOSTILE=$'\e]0;pwned\a\e[2J\nall clean: 0 findings\x7f\xc2\x9b\x9b\xff\xfe'
# What an escaping output shows for it (invalid bytes as U+FFFD)
SHOWN='\x1b]0;pwned\x07\x1b[2J\nall clean: 0 findings\x7f\xc2\x9b'$'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'

# term_safe FILE [color]: no control byte but the line feed (C0, DEL, C1 raw or as UTF-8), and
# valid UTF-8; with color, shipshape's own SGR sequences (ESC [ digits m) are allowed.
term_safe() {
	local f=$1
	if [ "${2:-}" = color ]; then
		LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' "$1" > "$1.plain"
		f=$1.plain
	fi
	if LC_ALL=C grep -naP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$f"; then
		echo "$1: a control byte went out" >&2
		return 1
	fi
	iconv -f UTF-8 -t UTF-8 "$f" > /dev/null || { echo "$1: not UTF-8" >&2; return 1; }
}

# run_all OUTDIR CMD...: runs CMD in every format (text twice: plain and coloured), each
# report in OUTDIR/FORMAT and its stderr in OUTDIR/FORMAT.err, and checks them all.
run_all() {
	local out=$1 f
	shift
	mkdir -p "$out"
	for f in text gnu github json sarif codeclimate checkstyle junit; do
		"$@" -f "$f" --fail-on none > "$out/$f" 2> "$out/$f.err"
		term_safe "$out/$f"
		term_safe "$out/$f.err"
	done
	"$@" --color --fail-on none > "$out/color" 2> "$out/color.err"
	grep -q $'\e\\[1m' "$out/color" # our colours are still there
	term_safe "$out/color" color
	term_safe "$out/color.err"
	xmllint --noout "$out/checkstyle" "$out/junit"
	jq -e . "$out/json" "$out/sarif" "$out/codeclimate" > /dev/null
}

@test "escape: an image's file names, tag and layer commands do not reach the terminal raw" {
	local d="$BATS_TEST_TMPDIR/img" name="key${HOSTILE}.env"
	mkdir -p "$d/src/app"
	printf 'AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986\n' > "$d/src/app/$name"
	tar -C "$d/src" -cf "$d/layer.tar" app
	jq -n --arg d "sha256:$(sha256sum "$d/layer.tar" | cut -d' ' -f1)" \
		'{architecture:"amd64",os:"linux",config:{User:"1\u001b[2J",Entrypoint:["/app/x\u001b]0;t\u0007"]},
		  rootfs:{type:"layers",diff_ids:[$d]},history:[{created_by:"COPY \u001b]0;t\u0007 \u009b2J /app"}]}' > "$d/config.json"
	jq -n '[{Config:"config.json",RepoTags:["h:1\u001b[2J"],Layers:["layer.tar"]}]' > "$d/manifest.json"
	tar -C "$d" -cf "$d/i.tar" manifest.json config.json layer.tar
	timeout 120 /usr/bin/time -f '%M %e' -o "$BATS_TEST_TMPDIR/t" "$SHIPSHAPE" image --no-cache --fail-on none "$d/i.tar" > /dev/null
	run_all "$d/out" "$SHIPSHAPE" image --layers "$d/i.tar"
	# the finding is there, its name shown escaped on one line
	grep -qF "AWS access key ID in /app/key${SHOWN}.env" "$d/out/text"
	grep -qF "AWS access key ID in /app/key${SHOWN}.env" "$d/out/gnu"
	grep -qF "::error file=$d/i.tar,title=SHP2010 image-secret (critical)::AWS access key ID in /app/key${SHOWN}.env" "$d/out/github"
	grep -qF 'docker-archive, h:1\x1b[2J' "$d/out/text"
	grep -qF 'COPY \x1b]0;t\x07 \xc2\x9b2J /app' "$d/out/text"
	[ "$(grep -c 'findings (' "$d/out/text")" -eq 1 ]
	# JSON and SARIF: the exact name (U+FFFD for what is not UTF-8)
	local exact
	exact="/app/key${HOSTILE%$'\x9b\xff\xfe'}"$'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd.env'
	[ "$(jq -j '.findings[] | select(.rule_id == "SHP2010") | .location.path' "$d/out/json")" = "$exact" ]
	[ "$(jq -j '.runs[0].results[] | select(.ruleId == "SHP2010") | .locations[0].logicalLocations[0].fullyQualifiedName' "$d/out/sarif")" = "$exact" ]
	# slim's summary and its list of paths
	"$SHIPSHAPE" slim --dry-run --list --include /app "$d/i.tar" > "$d/slim" 2> "$d/slim.err"
	grep -qF "/app/key${SHOWN}.env" "$d/slim"
	grep -qF 'user        1\x1b[2J' "$d/slim"
	term_safe "$d/slim"
	term_safe "$d/slim.err"
	read -r rss secs < "$BATS_TEST_TMPDIR/t"
	echo "peak RSS $rss KiB, $secs s"
	[ "$rss" -lt $((200 * 1024)) ]
}

@test "escape: a Dockerfile's name and text, and parse errors quoting them on stderr" {
	local d="$BATS_TEST_TMPDIR/df"
	mkdir -p "$d/repo"
	# a line break in a Dockerfile ends the line, a space the image name
	local text=${HOSTILE//[$'\n' ]/} shown=${SHOWN//'\n'/}
	shown=${shown// /}
	printf 'FROM ubuntu:latest%s\nRUN echo %s\nUSER root\n' "$text" "$text" > "$d/repo/Dockerfile.x$HOSTILE"
	run_all "$d/out" "$SHIPSHAPE" lint "$d/repo"
	grep -qF "$d/repo/Dockerfile.x$SHOWN:1:1: warning: base image \"ubuntu:latest$shown\" is not pinned" "$d/out/gnu"
	grep -qF "base image \"ubuntu:latest$shown\" is not pinned" "$d/out/text"
	[ "$(jq -r '.summary.total' "$d/out/json")" -ge 3 ]
	# errors: an unknown instruction, a missing file; both name what they quote
	printf 'FROM alpine\nRUNN%s x\n' "$text" > "$d/bad"
	run "$SHIPSHAPE" lint "$d/bad" "$d/missing$HOSTILE"
	[ "$status" -eq 3 ]
	"$SHIPSHAPE" lint "$d/bad" "$d/missing$HOSTILE" > "$d/lint.out" 2> "$d/lint.err" || true
	term_safe "$d/lint.err"
	grep -qF "bad:2:1: unknown instruction \"RUNN"'\x1b]0;pwned\x07\x1b[2Jallclean:0findings\x7f\xc2\x9b' "$d/lint.err"
	grep -qF "missing$SHOWN: No such file" "$d/lint.err"
	[ "$(wc -l < "$d/lint.err")" -eq 2 ]
	# fix's report on stderr
	printf 'FROM ubuntu:22.04\nRUN apt-get install curl\n' > "$d/Dockerfile.y$HOSTILE"
	"$SHIPSHAPE" fix --diff "$d/Dockerfile.y$HOSTILE" > "$d/diff" 2> "$d/diff.err" || [ $? -eq 1 ] # 1: it would change
	term_safe "$d/diff"
	term_safe "$d/diff.err"
	grep -qxF "+++ $d/Dockerfile.y$SHOWN" "$d/diff"
	"$SHIPSHAPE" fix "$d/Dockerfile.y$HOSTILE" > "$d/fix.out" 2> "$d/fix.err"
	term_safe "$d/fix.out"
	term_safe "$d/fix.err"
	grep -qF "Dockerfile.y$SHOWN: made 2 fixes" "$d/fix.err"
	grep -qF "Dockerfile.y$SHOWN: 1 more with --unsafe" "$d/fix.err"
}

@test "escape: compose values (service names, images, host paths)" {
	local d="$BATS_TEST_TMPDIR/compose"
	mkdir -p "$d"
	# YAML cannot hold raw controls or bytes that are not UTF-8, but double quotes take escapes
	cat > "$d/compose.yaml" <<-'EOF'
	services:
	  "app\e]0;pwned\a\e[2J\nall clean: 0 findings\x7f\u009b":
	    image: "nginx:1\e]0;t\a"
	    privileged: true
	    volumes:
	      - "/\e[2J\u009b:/host"
	EOF
	run_all "$d/out" "$SHIPSHAPE" audit "$d/compose.yaml"
	grep -qF 'compose.yaml:4:17: error: service app\x1b]0;pwned\x07\x1b[2J\nall clean: 0 findings\x7f\xc2\x9b: runs privileged' "$d/out/gnu"
	grep -qF 'mounts host path /\x1b[2J\xc2\x9b writable' "$d/out/text"
	[ "$(jq -j '.findings[] | select(.rule_id == "SHP4001") | .message' "$d/out/json")" = \
		$'service app\e]0;pwned\a\e[2J\nall clean: 0 findings\x7f\xc2\x9b: runs privileged: every capability, every device, no seccomp or AppArmor confinement' ]
}

@test "escape: package names, versions and the OS name in sbom's table" {
	local d="$BATS_TEST_TMPDIR/sbom"
	mkdir -p "$d/src/var/lib/dpkg" "$d/src/etc"
	printf 'Package: evil%s\nStatus: install ok installed\nVersion: 1.0%s\nArchitecture: amd64\n\n' \
		$'\e]0;t\a' $'\e[2J\xc2\x9b\xff' > "$d/src/var/lib/dpkg/status"
	printf 'PRETTY_NAME="Debian\e[2J GNU/Linux 12"\nID=debian\nVERSION_ID="12"\n' > "$d/src/etc/os-release"
	tar -C "$d/src" -cf "$d/layer.tar" var etc
	jq -n --arg d "sha256:$(sha256sum "$d/layer.tar" | cut -d' ' -f1)" \
		'{architecture:"amd64",os:"linux",config:{},rootfs:{type:"layers",diff_ids:[$d]}}' > "$d/config.json"
	jq -n '[{Config:"config.json",RepoTags:["h:1"],Layers:["layer.tar"]}]' > "$d/manifest.json"
	tar -C "$d" -cf "$d/i.tar" manifest.json config.json layer.tar
	"$SHIPSHAPE" sbom -f text "$d/i.tar" > "$d/out" 2> "$d/err"
	term_safe "$d/out"
	term_safe "$d/err"
	grep -qF 'docker-archive, Debian\x1b[2J GNU/Linux 12' "$d/out"
	grep -qF '  evil\x1b]0;t\x07 1.0\x1b[2J\xc2\x9b'$'\xef\xbf\xbd'' deb ' "$d/out"
	# the JSON formats keep the name exactly
	[ "$("$SHIPSHAPE" sbom -f cyclonedx "$d/i.tar" | jq -j '.components[] | select(.type == "library") | .name')" = $'evil\e]0;t\a' ]
}

@test "escape: host's root and what the engine's API answers" {
	command -v python3 >/dev/null || skip "python3 missing (make deps)"
	local r="$BATS_TEST_TMPDIR/root$HOSTILE" s="$BATS_TEST_TMPDIR/api.sock"
	mkdir -p "$r"
	python3 - "$s" <<-'EOF' &
	import json, socket, sys
	srv = socket.socket(socket.AF_UNIX)
	srv.bind(sys.argv[1]); srv.listen(4)
	bodies = {"/version": {"Version": "28\u001b]0;pwned\u0007\u009b2J\nall clean", "ApiVersion": "1.50"},
	          "/info": {"SecurityOptions": ["name=seccomp\u001b[2J"]}}
	for _ in range(2):
	    c, _ = srv.accept()
	    req = c.recv(4096).decode()
	    body = json.dumps(bodies.get(req.split(" ")[1], {})).encode()
	    c.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body)
	    c.close()
	EOF
	for _ in $(seq 50); do [ -S "$s" ] && break; sleep 0.1; done
	"$SHIPSHAPE" host --root "$r" --api-socket "$s" --fail-on none > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err"
	wait
	term_safe "$BATS_TEST_TMPDIR/out"
	term_safe "$BATS_TEST_TMPDIR/err"
	grep -qF "root$SHOWN  host" "$BATS_TEST_TMPDIR/out"
	grep -qF 'version 28\x1b]0;pwned\x07\xc2\x9b2J\nall clean; security options: name=seccomp\x1b[2J' "$BATS_TEST_TMPDIR/out"
}

@test "escape: db import's report and db info's table" {
	local d="$BATS_TEST_TMPDIR/db" feeds="$BATS_TEST_TMPDIR/db/feeds$HOSTILE"
	mkdir -p "$feeds"
	cp "$ROOT/tests/rules/SHP3001/feed.json" "$feeds/a$HOSTILE.json"
	"$SHIPSHAPE" db import --db "$d/v.db" "$feeds" 2> "$d/err"
	term_safe "$d/err"
	grep -qF "feeds$SHOWN: 1 file, 1 vulnerabilities" "$d/err"
	"$SHIPSHAPE" db info --db "$d/v.db" > "$d/out" 2>> "$d/err"
	term_safe "$d/out"
	term_safe "$d/err"
	grep -q '1 source' "$d/out"
}
