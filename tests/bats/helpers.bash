# Shared setup for the bats suites.
ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
SHIPSHAPE="${SHIPSHAPE:-$ROOT/build/shipshape}"
NPM_DIR="${NPM_DIR:-$ROOT/build/npm}"
CASES="$ROOT/tests/rules"
CORPUS="$ROOT/../shared/corpus"
export SHIPSHAPE NPM_DIR CASES CORPUS ROOT
