#!/usr/bin/env bats
# PHP's Composer packages: `vercmp --type composer` against the corpus list and Composer's own
# Comparator (composer/semver from Debian's php-composer-semver, over VersionParser::normalize)
# on every pair; an image holding what `composer install` of local path packages made, listed
# as `composer show` lists it, with a Composer 1 installed.json beside it; OSV Packagist
# records written here matched against them.

load helpers
. "$BATS_TEST_DIRNAME/../images/lib.sh"

VC="$CORPUS/vulndata/version-compare/osv-scalibr"
SEMVER_AUTOLOAD=/usr/share/php/Composer/Semver/autoload.php

# compare_list FILE: "A op B" lines (comments and blanks skipped) -> the disagreements
compare_list() {
	grep -v '^//' "$1" | awk 'NF == 3' > "$BATS_TEST_TMPDIR/cases"
	awk '{print $1, $3}' "$BATS_TEST_TMPDIR/cases" | "$SHIPSHAPE" vercmp --type composer > "$BATS_TEST_TMPDIR/ours"
	paste -d' ' "$BATS_TEST_TMPDIR/cases" "$BATS_TEST_TMPDIR/ours" | awk '$2 != $4 {print $1, $2, $3}'
}

# composer_order < PAIRS: one <, = or > a pair as Composer orders the versions (each normalised
# as VersionParser does, or as written where it refuses), ? for two branches it never orders
composer_order() {
	php -r '
		require $argv[1];
		$p = new Composer\Semver\VersionParser();
		$norm = function ($v) use ($p) { try { return $p->normalize($v); } catch (Exception $e) { return $v; } };
		while (($l = fgets(STDIN)) !== false) {
			[$a, $b] = explode(" ", rtrim($l, "\n"));
			$a = $norm($a);
			$b = $norm($b);
			$lt = Composer\Semver\Comparator::compare($a, "<", $b);
			$eq = Composer\Semver\Comparator::compare($a, "==", $b);
			$gt = Composer\Semver\Comparator::compare($a, ">", $b);
			echo $lt + $eq + $gt == 1 ? ($lt ? "<" : ($eq ? "=" : ">")) : "?", "\n";
		}' "$SEMVER_AUTOLOAD"
}

# Composer's order departs from the list where the list follows PHP's bare version_compare
# ("1.0.0" > "1.0": Composer normalises both to 1.0.0.0) and where it has '#' stand for a
# number: PHP drops it ("1.2.3.#" is "1.2.3." with an empty last piece, before "1.2.3").
@test "composer vercmp: Composer's order equals the corpus list but for three cases" {
	[ -d "$VC" ] || skip "corpus not found"
	run compare_list "$VC/packagist-versions.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "1.0.0 > 1.0
1.2.3.# = 1.2.3
1.2.3.# = 1.2.3.1" ]
}

@test "composer vercmp: equals Composer's Comparator on every pair of 120 versions" {
	command -v php >/dev/null || skip "php not installed (make deps installs php-cli)"
	[ -f "$SEMVER_AUTOLOAD" ] || skip "composer/semver not installed (make deps installs composer)"
	{
		[ -f "$VC/packagist-versions.txt" ] &&
			grep -v '^//' "$VC/packagist-versions.txt" | awk 'NF == 3 {print $1; print $3}'
		printf '%s\n' dev-main dev-master master dev-feature/x dev-Main 1.x-dev 2.x-dev 2.1.x-dev v2.1.x-dev \
			1.0.x-dev 2.0-dev 2.0.0-dev 2.0.0-alpha 2.0.0-alpha1 2.0.0-alpha.2 2.0.0-beta1 2.0.0-BETA2 \
			2.0.0-b3 2.0.0-RC1 2.0.0-rc2 2.0.0-RC1-dev 2.0.0-stable 2.0.0-patch1 2.0.0-p2 2.0.0-pl3 \
			2.0.0.1 2.0.0.0 2.0 2 v2.0.0 V2.0.1 2.0.0+build.5 2.0.0@dev 2.0.0@stable 1.2.3.4.5 \
			1.2.3.4-beta5.2 20100102 2010-01-02 2010.01.02.5 2010-01-02-beta1 201001021030 123456 99999 \
			100000 1.0.0- 1.0.0_dev 1.0-alpha-dev 1.0alpha1dev 5.4.0 v5.4.0 v5.4.10 5.4.9 6.0.0-BETA1 \
			6.0.0-beta.1 1.0.0-stable-dev 1.0.0-a 1.0.0-a.1 1.0.0-alpha.1.2 0.0.1 0.1 1.0.0-RC 1.0.0-rc.1 \
			1.0.0-dev 1.0.0-x 1.0.0-foo 1.0.0.foo foo 1..0 .1 _ 1.2.3. 1.2.3-. 1.2.3-beta.
	} | grep -v '^9999999999999999' | sort -u > "$BATS_TEST_TMPDIR/v"
	local n
	n=$(wc -l < "$BATS_TEST_TMPDIR/v")
	[ "$n" -ge 120 ] || [ ! -d "$VC" ]
	awk '{v[NR] = $0} END {for (i = 1; i <= NR; i++) for (j = 1; j <= NR; j++) print v[i], v[j]}' \
		"$BATS_TEST_TMPDIR/v" > "$BATS_TEST_TMPDIR/pairs"
	composer_order < "$BATS_TEST_TMPDIR/pairs" > "$BATS_TEST_TMPDIR/composer"
	"$SHIPSHAPE" vercmp --type composer < "$BATS_TEST_TMPDIR/pairs" > "$BATS_TEST_TMPDIR/ours"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/composer")" -eq $((n * n)) ]
	[ "$(wc -l < "$BATS_TEST_TMPDIR/ours")" -eq $((n * n)) ]
	# both orders and equality occur, so the check is not vacuous
	grep -q '<' "$BATS_TEST_TMPDIR/ours" && grep -q '>' "$BATS_TEST_TMPDIR/ours" && grep -q '=' "$BATS_TEST_TMPDIR/ours"
	# Composer orders no two different branches: we order them some way, never as equal
	paste -d' ' "$BATS_TEST_TMPDIR/pairs" "$BATS_TEST_TMPDIR/composer" "$BATS_TEST_TMPDIR/ours" |
		awk '$3 == "?" && ($4 == "=") != ($1 == $2)' > "$BATS_TEST_TMPDIR/bad"
	[ ! -s "$BATS_TEST_TMPDIR/bad" ]
	# the rest agree but where a version ends in an empty piece after a dot: PHP says x < x
	# there, and both a < b and b < a for two such; we say x = x and put the empty piece first
	paste -d' ' "$BATS_TEST_TMPDIR/pairs" "$BATS_TEST_TMPDIR/composer" "$BATS_TEST_TMPDIR/ours" |
		awk '$3 != "?" && $3 != $4' > "$BATS_TEST_TMPDIR/bad"
	cat "$BATS_TEST_TMPDIR/bad"
	# those pairs, less the ones whose versions only the corpus list brings (1.2.3.#...)
	printf '%s\n' "1.2.3-. 1.2.3-. < =
1.2.3-. 1.2.3.# < =
1.2.3-beta. 1.2.3-. < >
1.2.3-beta. 1.2.3-beta. < =
1.2.3-beta. 1.2.3.# < >
1.2.3.# 1.2.3-. < =
1.2.3.# 1.2.3.# < =
1.2.3.#.beta 1.2.3-. < >
1.2.3.#.beta 1.2.3.# < >" | awk 'NR == FNR { v[$0] = 1; next } ($1 in v) && ($2 in v)' \
		"$BATS_TEST_TMPDIR/v" - > "$BATS_TEST_TMPDIR/expected"
	diff "$BATS_TEST_TMPDIR/expected" "$BATS_TEST_TMPDIR/bad"
}

@test "composer vercmp: numbers by value at any length, where PHP's stop at 2^63" {
	run "$SHIPSHAPE" vercmp --type composer 999999999999999999999999999991 999999999999999999999999999999
	[ "$output" = "<" ]
	run "$SHIPSHAPE" vercmp --type composer v1.0.0 1.0
	[ "$output" = "=" ]
}

# composer_project DIR: a project requiring two path packages (one needing the other) and a
# dev one, installed by composer without the network into DIR/vendor
composer_project() {
	local d=$1
	mkdir -p "$d/pkgs/hello" "$d/pkgs/util" "$d/pkgs/devtool"
	echo '{"name": "acme/hello", "version": "1.2.3", "license": "MIT", "require": {"acme/util": "^2.0"}}' \
		> "$d/pkgs/hello/composer.json"
	echo '{"name": "acme/util", "version": "v2.0.1", "license": ["LGPL-2.1-only", "GPL-3.0-or-later"]}' \
		> "$d/pkgs/util/composer.json"
	echo '{"name": "acme/devtool", "version": "0.9.0-beta1", "license": "BSD-3-Clause"}' \
		> "$d/pkgs/devtool/composer.json"
	cat > "$d/composer.json" <<-'EOF'
	{"name": "acme/app",
	 "repositories": [{"type": "path", "url": "pkgs/*", "options": {"symlink": false}}, {"packagist.org": false}],
	 "require": {"acme/hello": "^1.2"}, "require-dev": {"acme/devtool": "*@beta"}}
	EOF
	(cd "$d" && composer_env composer install --no-interaction --no-progress >/dev/null 2>&1)
}

composer_env() {
	COMPOSER_HOME="$BATS_TEST_TMPDIR/composer-home" COMPOSER_CACHE_DIR="$BATS_TEST_TMPDIR/composer-cache" \
		COMPOSER_DISABLE_NETWORK=1 COMPOSER_NO_AUDIT=1 COMPOSER_ALLOW_SUPERUSER=1 "$@"
}

# composer_image DIR OUT: DIR's vendor directory at var/www/app, and a hand-written Composer 1
# installed.json (a bare array) at srv/legacy, a broken one at opt/broken
composer_image() {
	cat > "$BATS_TEST_TMPDIR/case.sh" <<-EOF
	new_layer 'COPY app /var/www/app'
	mkdir -p "\$L/etc" "\$L/var/www/app" "\$L/srv/legacy/vendor/composer" "\$L/opt/broken/vendor/composer"
	printf 'ID=debian\nVERSION_ID="12"\n' > "\$L/etc/os-release"
	cp -a "$1/vendor" "\$L/var/www/app/"
	cat > "\$L/srv/legacy/vendor/composer/installed.json" <<-'JSON'
	[{"name": "legacy/lib", "version": "1.0.0", "version_normalized": "1.0.0.0", "license": ["MIT"],
	  "type": "library"},
	 {"name": "Legacy/Other", "version": "v3.1", "version_normalized": "3.1.0.0"}]
	JSON
	echo '{"packages": [{"name": "broken/pkg", "version": "1.0.0"' > "\$L/opt/broken/vendor/composer/installed.json"
	EOF
	build_image "$BATS_TEST_TMPDIR/case.sh" "$2"
}

@test "composer sbom: composer install's vendor directory, as composer show lists it, and a Composer 1 file" {
	command -v composer >/dev/null || skip "composer not installed (make deps)"
	composer_project "$BATS_TEST_TMPDIR/app"
	[ -f "$BATS_TEST_TMPDIR/app/vendor/composer/installed.json" ]
	jq -e '.packages | length == 3' "$BATS_TEST_TMPDIR/app/vendor/composer/installed.json"
	(cd "$BATS_TEST_TMPDIR/app" && composer_env composer show --format=json) |
		jq -r '.installed[] | "\(.name) \(.version)"' | sort > "$BATS_TEST_TMPDIR/want"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/want")" -eq 3 ]
	composer_image "$BATS_TEST_TMPDIR/app" "$BATS_TEST_TMPDIR/img.tar"
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 0 ]
	echo "$output" > "$BATS_TEST_TMPDIR/sbom.json"
	jq -r '.packages[] | select(.database == "/var/www/app/vendor/composer/installed.json") |
		"\(.name) \(.version)"' "$BATS_TEST_TMPDIR/sbom.json" | sort | diff "$BATS_TEST_TMPDIR/want" -
	# the dev package is listed: it is installed. Names keep their case (sorted byte-wise), the
	# purl's is lower, as Composer and Packagist have it
	jq -e '[.packages[] | select(.type == "composer") | "\(.name) \(.version) \(.purl)"] ==
		["Legacy/Other v3.1 pkg:composer/legacy/other@v3.1",
		 "acme/devtool 0.9.0-beta1 pkg:composer/acme/devtool@0.9.0-beta1",
		 "acme/hello 1.2.3 pkg:composer/acme/hello@1.2.3",
		 "acme/util v2.0.1 pkg:composer/acme/util@v2.0.1",
		 "legacy/lib 1.0.0 pkg:composer/legacy/lib@1.0.0"]' "$BATS_TEST_TMPDIR/sbom.json"
	jq -e '[.packages[] | .license] == [null, "BSD-3-Clause", "MIT", "LGPL-2.1-only OR GPL-3.0-or-later", "MIT"]' \
		"$BATS_TEST_TMPDIR/sbom.json"
	# three files read as manifests, the broken one too (and skipped)
	jq -e '.summary.packages == 5 and .summary.manifests == 3' "$BATS_TEST_TMPDIR/sbom.json"
	# the standard formats carry them too
	"$SHIPSHAPE" sbom -f cyclonedx -o "$BATS_TEST_TMPDIR/c.cdx.json" "$BATS_TEST_TMPDIR/img.tar"
	jq -e '[.components[] | .purl // empty] | index("pkg:composer/acme/util@v2.0.1") != null' "$BATS_TEST_TMPDIR/c.cdx.json"
	"$SHIPSHAPE" sbom -f spdx -o "$BATS_TEST_TMPDIR/c.spdx.json" "$BATS_TEST_TMPDIR/img.tar"
	jq -e '[.packages[].externalRefs[]? | .referenceLocator] | index("pkg:composer/acme/hello@1.2.3") != null' \
		"$BATS_TEST_TMPDIR/c.spdx.json"
	# and a root directory gives the same
	mkdir -p "$BATS_TEST_TMPDIR/r/var/www/app"
	cp -a "$BATS_TEST_TMPDIR/app/vendor" "$BATS_TEST_TMPDIR/r/var/www/app/"
	run "$SHIPSHAPE" sbom -f json "$BATS_TEST_TMPDIR/r"
	[ "$status" -eq 0 ]
	echo "$output" | jq -r '.packages[] | "\(.name) \(.version)"' | sort | diff "$BATS_TEST_TMPDIR/want" -
}

@test "composer vuln: Packagist OSV records match Composer packages in Composer's order" {
	command -v composer >/dev/null || skip "composer not installed (make deps)"
	mkdir -p "$BATS_TEST_TMPDIR/osv"
	# util v2.0.1 is before 2.0.2 ('v' dropped), devtool's beta1 between alpha1 and the release,
	# hello 1.2.3 is the fix itself, legacy/lib below its fix; the names in any case
	cat > "$BATS_TEST_TMPDIR/osv/packagist.json" <<-'EOF'
	[{"id": "GHSA-util-0001", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2026-4001"],
	  "summary": "Unserialize of untrusted data in acme/util", "database_specific": {"severity": "HIGH"},
	  "affected": [{"package": {"ecosystem": "Packagist", "name": "acme/util"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0.2"}]}]}]},
	 {"id": "GHSA-devtool-0002", "modified": "2026-01-01T00:00:00Z", "database_specific": {"severity": "LOW"},
	  "affected": [{"package": {"ecosystem": "Packagist", "name": "Acme/DevTool"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0.9.0-alpha1"}, {"fixed": "0.9.0"}]}]}]},
	 {"id": "GHSA-hello-0003", "modified": "2026-01-01T00:00:00Z", "database_specific": {"severity": "CRITICAL"},
	  "affected": [{"package": {"ecosystem": "Packagist", "name": "acme/hello"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0.0"}, {"fixed": "1.2.3"}]}]}]},
	 {"id": "PKSA-legacy-0004", "modified": "2026-01-01T00:00:00Z", "database_specific": {"severity": "MODERATE"},
	  "affected": [{"package": {"ecosystem": "Packagist", "name": "legacy/lib"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0.1"}]}]}]},
	 {"id": "GHSA-other-npm", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "npm", "name": "acme/util"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}]
	EOF
	"$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/vuln.db" "$BATS_TEST_TMPDIR/osv" 2>/dev/null
	composer_project "$BATS_TEST_TMPDIR/app"
	composer_image "$BATS_TEST_TMPDIR/app" "$BATS_TEST_TMPDIR/img.tar"
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/vuln.db" -f json "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 1 ]
	echo "$output" | jq -r '.vulnerabilities[] | "\(.id) \(.package) \(.version) \(.fixed_version // "-") \(.severity)"' |
		sort > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	printf '%s\n' "CVE-2026-4001 acme/util v2.0.1 2.0.2 high" "GHSA-devtool-0002 acme/devtool 0.9.0-beta1 0.9.0 low" \
		"PKSA-legacy-0004 legacy/lib 1.0.0 1.0.1 medium" | diff - "$BATS_TEST_TMPDIR/got"
	# image --db says the same
	run "$SHIPSHAPE" image --db "$BATS_TEST_TMPDIR/vuln.db" -f json --fail-on none "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 0 ]
	echo "$output" | jq -r '.vulnerabilities[] | .id' | sort | diff <(cut -d' ' -f1 "$BATS_TEST_TMPDIR/got") -
	# our CycloneDX SBOM of the image gives the same
	"$SHIPSHAPE" sbom -o "$BATS_TEST_TMPDIR/c.cdx.json" "$BATS_TEST_TMPDIR/img.tar"
	"$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/vuln.db" -f json "$BATS_TEST_TMPDIR/c.cdx.json" |
		jq -r '.vulnerabilities[] | "\(.id) \(.package) \(.version) \(.fixed_version // "-") \(.severity)"' | sort |
		diff "$BATS_TEST_TMPDIR/got" -
}
