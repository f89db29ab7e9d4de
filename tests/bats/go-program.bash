# go-program.bash - Go programs built here, offline, for sbom.bats and vuln.bats. A vendor
# directory (vendor/modules.txt and a file per package) stands in for the module cache, so
# `go build -mod=vendor` writes real build information without a network: the modules
# golang.org/x/text v0.3.7 and github.com/example/lib v1.2.0, which a replace directive
# swaps for github.com/example/fork v1.3.0.

# go_program OUT [go build flags...]: builds it (GOARCH and the like from the environment);
# fails when there is no Go toolchain.
go_program() {
	command -v go >/dev/null || return 1
	local out=$1 src="$BATS_TEST_TMPDIR/gosrc"
	shift
	if [ ! -d "$src" ]; then
		mkdir -p "$src/vendor/golang.org/x/text/language" "$src/vendor/github.com/example/lib"
		cat > "$src/go.mod" <<-'EOF'
		module example.com/shipshape/app

		go 1.18

		require (
			github.com/example/lib v1.2.0
			golang.org/x/text v0.3.7
		)

		replace github.com/example/lib => github.com/example/fork v1.3.0
		EOF
		cat > "$src/vendor/modules.txt" <<-'EOF'
		# github.com/example/lib v1.2.0 => github.com/example/fork v1.3.0
		## explicit
		github.com/example/lib
		# golang.org/x/text v0.3.7
		## explicit
		golang.org/x/text/language
		# github.com/example/lib => github.com/example/fork v1.3.0
		EOF
		printf 'package language\n\nconst Tag = "en"\n' > "$src/vendor/golang.org/x/text/language/language.go"
		printf 'package lib\n\nconst Name = "lib"\n' > "$src/vendor/github.com/example/lib/lib.go"
		cat > "$src/main.go" <<-'EOF'
		package main

		import (
			"fmt"

			lib "github.com/example/lib"
			"golang.org/x/text/language"
		)

		func main() { fmt.Println(language.Tag, lib.Name) }
		EOF
	fi
	(cd "$src" && HOME="$BATS_TEST_TMPDIR" GOPATH="$BATS_TEST_TMPDIR/gopath" GOCACHE="$BATS_TEST_TMPDIR/gocache" \
		GOFLAGS=-mod=vendor GOPROXY=off GOTOOLCHAIN=local GOWORK=off GO111MODULE=on go build -o "$out" "$@" .)
}

# go_modules PROGRAM: what `go version -m` says it holds, as shipshape lists it: "NAME VERSION"
# per module (a replacement's, none for a work tree's or a local replacement's "(devel)"),
# and the standard library at the toolchain's release.
go_modules() {
	go version -m "$1" | awk -F'\t' '
		NR == 1 { v = $0; sub(/^[^:]*: /, "", v); sub(/ .*/, "", v) }
		$2 == "mod" || $2 == "dep" { if (n != "" && ver != "") print n, ver; n = $3; ver = $4 }
		$2 == "=>" { n = $3; ver = $4 }
		{ if (ver == "(devel)") ver = "" }
		END {
			if (n != "" && ver != "") print n, ver
			if (v ~ /^go[0-9]+\.[0-9]+(\.[0-9]+)?$/) {
				sub(/^go/, "", v)
				if (split(v, p, ".") == 2) v = v ".0"
				print "stdlib", "v" v
			}
		}' | sort -u
}
