#!/usr/bin/env bash
# make bench: lint all corpus Dockerfiles in one shipshape run and, side by side, the same
# files with the peer dockerfilelint (npm, installed under build/npm); print both times,
# the ratio against the peer, and against the targets (>= 20x faster, < 0.2 s).
set -euo pipefail
SHIPSHAPE=${1:-build/shipshape}
NPM_DIR=${2:-build/npm}
CORPUS=${CORPUS:-../shared/corpus/dockerfiles}
RUNS=${RUNS:-20}

if [ ! -d "$CORPUS" ]; then
	echo "bench: $CORPUS not found (the shared corpus is needed for the Dockerfile benchmark)"
	exit 0
fi
if [ ! -x "$NPM_DIR/node_modules/.bin/dockerfilelint" ]; then
	make --no-print-directory npm-tools >/dev/null
fi
mapfile -t files < <(find "$CORPUS" -type f ! -name INDEX.tsv | sort)
echo "bench: ${#files[@]} Dockerfiles, $(cat "${files[@]}" | wc -c) bytes, best of $RUNS runs each, taken in turn"

. "$(dirname "$0")/lib.sh"

read -r ours peer < <(best_pair '"$SHIPSHAPE" lint --format json --fail-on none "${files[@]}"' \
	'"$NPM_DIR/node_modules/.bin/dockerfilelint" -j "${files[@]}"')
rss=$( { /usr/bin/time -f '%M' "$SHIPSHAPE" lint --format json --fail-on none "${files[@]}" >/dev/null; } 2>&1 | tail -1)
findings=$("$SHIPSHAPE" lint --format json --fail-on none "${files[@]}" | jq '.summary.total')

printf '%-34s %8.3f s   (%s findings, peak RSS %s KiB)\n' "shipshape lint (one run)" "$ours" "$findings" "$rss"
printf '%-34s %8.3f s\n' "dockerfilelint -j (one run)" "$peer"
printf 'ratio: shipshape is %.1fx faster than dockerfilelint (target >= 20x)\n' "$(echo "$peer / $ours" | bc -l)"
printf 'limit: %.3f s of the 0.2 s budget for the corpus (%.0f%%)\n' "$ours" "$(echo "100 * $ours / 0.2" | bc -l)"

baseline "lint, against the baseline" 'lint --format json --fail-on none "${files[@]}"'

# shipshape fix over the same files: every fix offered, as a diff (nothing is written), so the
# cost of the rounds of parse, lint, edit and the diff itself over the whole corpus
fix=$(best "$SHIPSHAPE" fix --unsafe --diff "${files[@]}")
"$SHIPSHAPE" fix --unsafe --diff "${files[@]}" > "${TMPDIR:-/tmp}/shipshape-bench-fix.diff" 2> "${TMPDIR:-/tmp}/shipshape-bench-fix.err" || true
fixes=$(grep -o 'make [0-9]* fix' "${TMPDIR:-/tmp}/shipshape-bench-fix.err" | awk '{ n += $2 } END { print n + 0 }')
fixed=$(grep -c '^--- ' "${TMPDIR:-/tmp}/shipshape-bench-fix.diff" || true)
rm -f "${TMPDIR:-/tmp}/shipshape-bench-fix.diff" "${TMPDIR:-/tmp}/shipshape-bench-fix.err"
printf '%-34s %8.3f s   (%s fixes in %s files; %.1fx the lint run)\n' "shipshape fix --unsafe --diff" "$fix" "$fixes" \
	"$fixed" "$(echo "$fix / $ours" | bc -l)"
