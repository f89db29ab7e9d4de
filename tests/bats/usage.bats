#!/usr/bin/env bats
# The command line's mistakes: a typo'd command, subcommand or option is exit 2 with the
# nearest name ("did you mean"), a missing value is said as such.

load helpers

@test "usage: a typo'd command or db subcommand suggests the nearest one, exit 2" {
	run "$SHIPSHAPE" imgae x.tar
	[ "$status" -eq 2 ]
	[ "$output" = 'shipshape: unknown command "imgae"; did you mean "image"?' ]
	run "$SHIPSHAPE" lnit Dockerfile
	[ "$status" -eq 2 ]
	[ "$output" = 'shipshape: unknown command "lnit"; did you mean "lint"?' ]
	run "$SHIPSHAPE" verison
	[ "$status" -eq 2 ]
	[ "$output" = 'shipshape: unknown command "verison"; did you mean "version"?' ]
	run "$SHIPSHAPE" db upate
	[ "$status" -eq 2 ]
	[ "$output" = 'shipshape: db: unknown subcommand "upate"; did you mean "update"?' ]
	# nothing near: no guess, the list instead
	run "$SHIPSHAPE" xyzzy
	[ "$status" -eq 2 ]
	[[ "$output" == 'shipshape: unknown command "xyzzy"'$'\n'* ]]
	[[ "$output" == *"usage: shipshape COMMAND"* && "$output" != *"did you mean"* ]]
	run "$SHIPSHAPE" db frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == *'unknown subcommand "frobnicate" (update, fetch, sources, import, info, push, pull)' ]]
}

@test "usage: a typo'd option suggests the nearest of the command's own, for every command" {
	local d="$BATS_TEST_TMPDIR"
	check() { # want, then the command line
		local want=$1
		shift
		run "$SHIPSHAPE" "$@"
		[ "$status" -eq 2 ] || { echo "$*: exit $status: $output"; return 1; }
		[ "$output" = "$want" ] || { echo "$*: $output"; return 1; }
	}
	check 'shipshape: image: unknown option "--formt"; did you mean "--format"?' image --formt json "$d/x.tar"
	check 'shipshape: image: unknown option "--formt=json"; did you mean "--format"?' image --formt=json "$d/x.tar"
	check 'shipshape: image: unknown option "--platfrom"; did you mean "--platform"?' image --platfrom linux/arm64 x
	check 'shipshape: lint: unknown option "--severty"; did you mean "--severity"?' lint --severty high Dockerfile
	check 'shipshape: host: unknown option "--rot"; did you mean "--root"?' host --rot /
	check 'shipshape: sbom: unknown option "--formt"; did you mean "--format"?' sbom --formt spdx x
	check 'shipshape: slim: unknown option "--tg"; did you mean "--tag"?' slim --tg a:b x
	check 'shipshape: db update: unknown option "--dbb"; did you mean "--db"?' db update --dbb x
	check 'shipshape: db: unknown option "--jbos"; did you mean "--jobs"?' db import --jbos 2 f
	check 'shipshape: db pull: unknown option "--forse"; did you mean "--force"?' db pull --forse r
	check 'shipshape: rules: unknown option "--fixabel"; did you mean "--fixable"?' rules --fixabel
	check 'shipshape: vercmp: unknown option "--tpye"; did you mean "--type"?' vercmp --tpye deb 1 2
	# no option near: no guess
	check 'shipshape: lint: unknown or incomplete option "--bogus"' lint --bogus Dockerfile
	# a known option without its value, or with one it does not take
	check 'shipshape: image: option "--format" needs a value' image x.tar --format
	check 'shipshape: image: option "-f" needs a value' image x.tar -f
	check 'shipshape: image: option "--no-cache" takes no value' image --no-cache=1 x.tar
	check 'shipshape: lint: unknown option "-Z"' lint -Z Dockerfile
}

@test "every command's --help names exactly the options it accepts (--list-options lists those)" {
	# prose that names another tool's or another subcommand's option
	local -A prose=([fix]="--no-install-recommends" [pin]="--from --mount"
		["db push"]="--db-repository" ["db pull"]="--db-repository")
	local s dbopts="" c o accepted helped bad=()
	for s in update fetch sources import info push pull; do # db import and info show the whole db help
		dbopts+=" $("$SHIPSHAPE" db $s --list-options | tr '\n' ' ')"
	done
	prose["db import"]=$dbopts
	prose["db info"]=$dbopts
	local cmds
	cmds=$("$SHIPSHAPE" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }' | grep -vx db)
	while read -r c; do
		accepted=$("$SHIPSHAPE" $c --list-options | sort -u)
		[ -n "$accepted" ] || bad+=("$c: --list-options listed nothing")
		helped=$("$SHIPSHAPE" $c --help 2>&1 | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
		for o in $accepted; do
			[ "$o" = --help ] || grep -qx -- "$o" <<< "$helped" || bad+=("$c: $o is accepted, its help does not name it")
		done
		for o in $helped; do
			grep -qx -- "$o" <<< "$accepted" || [[ " ${prose[$c]:-} " == *" $o "* ]] ||
				bad+=("$c: its help names $o, which it does not accept")
		done
	done < <(echo "$cmds"; printf 'db %s\n' update fetch sources import info push pull)
	[ ${#bad[@]} -eq 0 ] || { printf '%s\n' "${bad[@]}"; false; }
}
