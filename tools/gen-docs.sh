#!/usr/bin/env bash
# tools/gen-docs.sh SHIPSHAPE OUTDIR: the man pages and shell completions `make install`
# installs, generated from the binary's own --help (its command table and each command's
# help text), so they say what the binary accepts:
#   OUTDIR/man/shipshape.1, OUTDIR/man/shipshape-COMMAND.1 (each command's --help as written)
#   OUTDIR/completions/shipshape.bash, _shipshape (zsh), shipshape.fish: commands, each
#   command's options, the report formats and the rule ids.
set -euo pipefail
bin=$1 out=$2
mkdir -p "$out/man" "$out/completions"
version=$("$bin" --version | awk '{ print $2 }')

# The commands and their one-line summaries, from the top-level usage.
mapfile -t cmdlines < <("$bin" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print } on && /^$/ { exit }')
cmds=()
for l in "${cmdlines[@]}"; do cmds+=("$(awk '{ print $1 }' <<<"$l")"); done

# roff: a backslash is \e, and a line starting with . or ' is not a request.
roff_text() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

page() { # NAME SECTION-TITLE SUMMARY (the help text on stdin)
	local name=$1 title=$2 summary=$3
	{
		printf '.TH %s 1 "" "shipshape %s" "shipshape manual"\n' "$title" "$version"
		printf '.SH NAME\n%s \\- %s\n' "$name" "$(roff_text <<<"$summary")"
		printf '.SH DESCRIPTION\n.nf\n'
		roff_text
		printf '.fi\n.SH EXIT STATUS\n0 clean, 1 findings at or above \\-\\-fail\\-on, 2 usage, 3 bad input or I/O.\n'
		printf '.SH SEE ALSO\nshipshape(1)\n'
	} >"$out/man/$name.1"
}

"$bin" --help | page shipshape SHIPSHAPE "container security from Dockerfile to host, offline"
for l in "${cmdlines[@]}"; do
	c=$(awk '{ print $1 }' <<<"$l")
	summary=$(sed -e 's/^  [a-z]* *//' <<<"$l")
	"$bin" "$c" --help 2>&1 | page "shipshape-$c" "SHIPSHAPE-${c^^}" "$summary"
done

# Each command's long options, as its help names them.
opts_of() { "$bin" "$1" --help 2>&1 | { grep -o -- '--[a-z][a-z0-9-]*' || true; } | sort -u | tr '\n' ' '; }
# the report formats, as an unknown one's message lists them
formats=$("$bin" lint --format '?' /dev/null 2>&1 | sed -n 's/.*unknown format "?" (\(.*\))$/\1/p' | tr '(),' '   ' |
	tr -s ' ' | head -1 || true)
rules=$("$bin" rules 2>/dev/null | awk '/^SHP[0-9]/ { print $1 }' | tr '\n' ' ')

{
	echo "# bash completion for shipshape $version (generated from its --help)"
	echo "_shipshape() {"
	echo '	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd=${COMP_WORDS[1]}'
	echo "	if [ \"\$COMP_CWORD\" -eq 1 ]; then"
	echo "		COMPREPLY=(\$(compgen -W \"${cmds[*]} help version\" -- \"\$cur\"))"
	echo "		return"
	echo "	fi"
	echo "	case \$prev in"
	echo "	-f | --format) COMPREPLY=(\$(compgen -W \"$formats\" -- \"\$cur\")); return ;;"
	echo "	--ignore) COMPREPLY=(\$(compgen -W \"$rules\" -- \"\$cur\")); return ;;"
	echo "	esac"
	echo "	local opts"
	echo "	case \$cmd in"
	for c in "${cmds[@]}"; do echo "	$c) opts=\"$(opts_of "$c")\" ;;"; done
	echo "	*) opts= ;;"
	echo "	esac"
	echo "	if [ \"\$cmd\" = rules ] && [[ \$cur != -* ]]; then"
	echo "		COMPREPLY=(\$(compgen -W \"$rules\" -- \"\$cur\"))"
	echo "	elif [[ \$cur == -* ]]; then"
	echo "		COMPREPLY=(\$(compgen -W \"\$opts\" -- \"\$cur\"))"
	echo "	else"
	echo "		COMPREPLY=(\$(compgen -f -- \"\$cur\"))"
	echo "	fi"
	echo "}"
	echo "complete -o filenames -F _shipshape shipshape"
} >"$out/completions/shipshape.bash"

{
	echo "#compdef shipshape"
	echo "# zsh completion for shipshape $version (generated from its --help)"
	echo "_shipshape() {"
	echo "	local -a cmds"
	echo "	cmds=("
	for l in "${cmdlines[@]}"; do
		c=$(awk '{ print $1 }' <<<"$l")
		s=$(sed -e 's/^  [a-z]* *//' -e "s/'/'\\\\''/g" -e 's/:/\\:/g' <<<"$l")
		echo "		'$c:$s'"
	done
	echo "	)"
	echo "	if (( CURRENT == 2 )); then _describe command cmds; return; fi"
	echo "	case \$words[CURRENT-1] in"
	echo "	-f|--format) compadd -- $formats; return ;;"
	echo "	--ignore) compadd -- $rules; return ;;"
	echo "	esac"
	echo "	case \$words[2] in"
	for c in "${cmds[@]}"; do echo "	$c) compadd -- $(opts_of "$c") ;;"; done
	echo "	esac"
	echo "	_files"
	echo "}"
	echo '_shipshape "$@"'
} >"$out/completions/_shipshape"

{
	echo "# fish completion for shipshape $version (generated from its --help)"
	echo "complete -c shipshape -f"
	for l in "${cmdlines[@]}"; do
		c=$(awk '{ print $1 }' <<<"$l")
		s=$(sed -e 's/^  [a-z]* *//' -e "s/'/\\\\'/g" <<<"$l")
		echo "complete -c shipshape -n __fish_use_subcommand -a $c -d '$s'"
		for o in $(opts_of "$c"); do
			echo "complete -c shipshape -n '__fish_seen_subcommand_from $c' -l ${o#--}"
		done
	done
	echo "complete -c shipshape -s f -l format -x -a '$formats'"
	echo "complete -c shipshape -n '__fish_seen_subcommand_from rules' -a '$rules'"
	echo "complete -c shipshape -n 'not __fish_use_subcommand' -F"
} >"$out/completions/shipshape.fish"
