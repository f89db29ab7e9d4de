#!/usr/bin/env bats
# make install and make uninstall into a DESTDIR: the binary, a man page per command (man -l
# renders each without a warning) and the completions, which complete commands, a command's
# options, formats and rule ids as the binary's --help lists them.

load helpers

@test "make install DESTDIR installs binary, man pages and completions; make uninstall removes them" {
	command -v man >/dev/null || skip "man (man-db) is not installed: make deps"
	local d="$BATS_TEST_TMPDIR/root" r="$BATS_TEST_TMPDIR/root/usr"
	run make -C "$ROOT" --no-print-directory install DESTDIR="$d" PREFIX=/usr
	[ "$status" -eq 0 ]
	"$r/bin/shipshape" --version
	# a page per command of the command table, and one for shipshape itself
	local cmds
	cmds=$("$r/bin/shipshape" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
	[ "$(wc -w <<< "$cmds")" -ge 10 ]
	for c in "" $cmds; do
		local page="$r/share/man/man1/shipshape${c:+-$c}.1"
		[ -f "$page" ]
		run man --warnings -l "$page"
		[ "$status" -eq 0 ]
		[[ "$output" == *"NAME"*"shipshape${c:+-$c}"*"DESCRIPTION"*"usage: shipshape"* ]]
		run bash -c "man --warnings -l '$page' 2>&1 >/dev/null"
		[ -z "$output" ]
	done
	# bash: shipshape im<TAB>, shipshape image --fo<TAB>, a format, a rule id
	complete_in() {
		bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _shipshape; echo "${COMPREPLY[*]}"' _ \
			"$r/share/bash-completion/completions/shipshape" "$@"
	}
	[ "$(complete_in shipshape im)" = image ]
	[ "$(complete_in shipshape image --fo)" = --format ]
	[ "$(complete_in shipshape audit --pss)" = "--pss --pss-version" ]
	[ "$(complete_in shipshape lint -f sa)" = sarif ]
	[[ " $(complete_in shipshape rules SHP10) " == *" SHP1001 "* ]]
	[ -f "$r/share/zsh/site-functions/_shipshape" ]
	[ -f "$r/share/fish/vendor_completions.d/shipshape.fish" ]
	run make -C "$ROOT" --no-print-directory uninstall DESTDIR="$d" PREFIX=/usr
	[ "$status" -eq 0 ]
	[ -z "$(find "$d" -type f)" ]
}
