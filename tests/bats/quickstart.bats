#!/usr/bin/env bats
# The README's quickstart, word for word: its first sh block after "## Quickstart" runs line
# by line in one shell, as a newcomer would type it, from the top of the clone, with a HOME
# of its own and nothing of the suite's environment. Docker Hub and the vulnerability feeds
# are served on 127.0.0.1 (a registry holding Debian's bookworm minbase root as debian:12, and
# tests/tools/feed-server.py over a tree of small feeds for every source), named by the
# user's ~/.config/shipshape/config.yaml as the README says a firewalled user names mirrors.
# A line whose comment says "exit 1" must exit 1; any other must exit 0 or 1 (findings,
# which depend on the day's data), never 2 or 3.

load helpers
load registry

teardown() { harness_stop "$BATS_TEST_TMPDIR"; }

# out_of COMMAND: the file holding the output of the quickstart's line that begins with COMMAND
out_of() {
	local f
	f=$(grep -l -- "^$1" "$BATS_TEST_TMPDIR"/line.* | head -n 1)
	echo "$BATS_TEST_TMPDIR/out.${f##*.}"
}

@test "quickstart: the README's quickstart works word for word" {
	[ "${SHIPSHAPE_BUILD_KIND:-normal}" = normal ] || skip "the quickstart installs and runs the normal build"
	[ "$(id -u)" = 0 ] || skip "the debian:12 image keeps its owners: needs root"
	[ -s "$DEB_TAR" ] || skip "no Debian root cached (make test-data)"
	harness_need
	local d=$BATS_TEST_TMPDIR
	local home=$d/home
	mkdir -p "$home/.config/shipshape"
	# debian:12, as Docker Hub would serve it
	debian_oci "$d/img" bash
	REG_ACCESSLOG=1 registry_start "$d/reg" anon
	registry_push "oci:$d/img/oci:bookworm" library/debian:12
	# the feeds: a record of zlib (Debian's source of zlib1g) in each, modified today
	"$SHIPSHAPE" db sources --format json |
		python3 "$HARNESS_TOOLS/feed-tree.py" "$d/feeds" --modified "$(date -u +%Y-%m-%dT00:00:00Z)"
	harness_spawn "$d" feed python3 "$HARNESS_TOOLS/feed-server.py" --root "$d/feeds" --port-file "$d/feed-port" \
		--log "$d/feed-requests.log" --faults "$d/faults"
	wait_file "$d/feed-port" "$(tail -n1 "$d/pids")"
	printf 'registries:\n  mirrors: {docker.io: ["%s"]}\ndb:\n  mirror: http://127.0.0.1:%s\n' \
		"$REG_ADDR" "$(cat "$d/feed-port")" >"$home/.config/shipshape/config.yaml"
	# the block, each line run in turn, its output and exit status kept
	awk '/^## Quickstart/ { q = 1 } q && /^```sh$/ { on = 1; next } on && /^```$/ { exit } on' "$ROOT/README.md" >"$d/block"
	local n=0 line script="$d/quickstart.sh"
	: >"$script"
	while IFS= read -r line; do
		[[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
		n=$((n + 1))
		printf '%s\n' "$line" >"$d/line.$n"
		printf '{ %s\n} >%q 2>&1 </dev/null\necho $? >%q\n' "$line" "$d/out.$n" "$d/status.$n" >>"$script"
	done <"$d/block"
	[ "$n" -ge 12 ]
	cd "$ROOT"
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$home" LANG=C.UTF-8 \
		bash "$script"
	local i st failed=0
	for i in $(seq "$n"); do
		st=$(cat "$d/status.$i")
		echo "\$ $(cat "$d/line.$i")  => exit $st"
		sed 's/^/    /' "$d/out.$i" | head -n 15
		if [[ "$(cat "$d/line.$i")" == *"# exit 1"* ]]; then
			[ "$st" -eq 1 ] || failed=1
		else
			[ "$st" -le 1 ] || failed=1
		fi
	done
	[ "$failed" -eq 0 ]
	# what each step promised: installed where it said, with the man pages
	[ -x "$home/.local/bin/shipshape" ]
	[ -f "$home/.local/share/man/man1/shipshape-image.1" ]
	local try=$home/shipshape-try
	# the image came from the mirror, by the name Docker Hub gives it
	grep -Eq '"(GET|HEAD) /v2/library/debian/manifests/12 ' "$d/reg/registry.log"
	jq -e '[.components[].name] | index("zlib1g") and index("base-files")' "$try/debian-12.cdx.json"
	# the feeds were imported into the user's database, and the zlib records matched
	grep -q '/osv-vulnerabilities.storage.googleapis.com/Debian/all.zip' "$d/feed-requests.log"
	[ -s "$home/.cache/shipshape/vuln.db" ]
	grep -q 'SHP3001 TEST-Debian_12-1 in zlib1g' "$(out_of 'shipshape vuln debian:12')"
	# lint found the bundled Dockerfile's mistakes; fix changed it; audit found the compose file's
	grep -q 'SHP1002 base image "python:latest"' "$(out_of 'shipshape lint Dockerfile')"
	refute cmp -s "$ROOT/examples/Dockerfile" "$try/Dockerfile"
	grep -q 'SHP4001 service worker: runs privileged' "$(out_of 'shipshape audit compose.yaml')"
	grep -q 'SHP4011 service web: mounts' "$(out_of 'shipshape audit compose.yaml')"
	# the gate's report is JUnit
	xmllint --noout "$try/image.xml"
	grep -q '<testsuite' "$try/image.xml"
}
