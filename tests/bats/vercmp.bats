#!/usr/bin/env bats
# shipshape vercmp: deb against dpkg --compare-versions on real versions from this machine's
# package lists, rpm against librpm (rpm.vercmp in rpm's Lua), all three against the order
# lists in the corpus; npm against node-semver and PyPI against Python's packaging, the
# libraries npm and pip order with; Maven against Maven's own ComparableVersion (3.9's order).

load helpers

VC="$CORPUS/vulndata/version-compare/osv-scalibr"

# compare_list TYPE FILE: "A op B" lines (# and // comments and blanks skipped) -> the disagreements
compare_list() {
	grep -v -e '^#' -e '^//' "$2" | awk 'NF == 3' > "$BATS_TEST_TMPDIR/cases"
	awk '{print $1, $3}' "$BATS_TEST_TMPDIR/cases" | "$SHIPSHAPE" vercmp --type "$1" > "$BATS_TEST_TMPDIR/ours"
	paste -d' ' "$BATS_TEST_TMPDIR/cases" "$BATS_TEST_TMPDIR/ours" | awk '$2 != $4 {print $1, $2, $3}'
}

# all_pairs FILE: every ordered pair of its lines
all_pairs() {
	awk '{v[NR] = $0} END {for (i = 1; i <= NR; i++) for (j = 1; j <= NR; j++) print v[i], v[j]}' "$1"
}

# agrees_with TYPE PEER: our answers (in $BATS_TEST_TMPDIR/ours) for the pairs in
# $BATS_TEST_TMPDIR/pairs, one per pair, equal the peer's (one <, = or > a line in PEER)
agrees_with() {
	local d=$BATS_TEST_TMPDIR
	"$SHIPSHAPE" vercmp --type "$1" < "$d/pairs" > "$d/ours"
	[ "$(wc -l < "$2")" -eq "$(wc -l < "$d/pairs")" ]
	[ "$(wc -l < "$d/ours")" -eq "$(wc -l < "$d/pairs")" ]
	paste -d' ' "$d/pairs" "$2" "$d/ours" | awk '$3 != $4' > "$d/bad"
	head -20 "$d/bad"
	[ ! -s "$d/bad" ]
}

@test "vercmp: deb order equals the corpus list" {
	[ -d "$VC" ] || skip "corpus not found"
	run compare_list deb "$VC/debian-versions.txt"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "vercmp: rpm order equals the corpus list" {
	[ -d "$VC" ] || skip "corpus not found"
	run compare_list rpm "$VC/redhat-versions.txt"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

# apk: we follow apk-tools 2.x, which every Alpine 3.x release ships. The list follows a newer
# apk where it judges invalid versions (upper-case letters, "-r" without a number, a letter
# after '.'); the eight cases are all such, and the list itself notes most of them.
@test "vercmp: apk order equals the corpus list but for eight invalid versions (apk 2.x order)" {
	[ -d "$VC" ] || skip "corpus not found"
	run compare_list apk "$VC/alpine-versions.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "1-r-0 < 1-r0
1-r-1 < 1-r0
0.r1 < 0r2
0.8.21.r2 < 0.8.21r2
1.2.0A < 1.2.0d
1.2.0D < 1.2.0d
1 > 1-ruff
1-ruff2 = 1--ruff1" ]
}

@test "vercmp: deb order equals dpkg --compare-versions on 3100 pairs of real Debian versions" {
	command -v dpkg >/dev/null || skip "dpkg not installed"
	{
		for f in /var/lib/apt/lists/*_Packages*; do
			[ -e "$f" ] && /usr/lib/apt/apt-helper cat-file "$f" 2>/dev/null | sed -n 's/^Version: //p'
		done
		dpkg-query -W -f='${Version}\n'
	} | sort -u > "$BATS_TEST_TMPDIR/v"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/v")" -gt 300 ]
	# neighbours in sorted order (near-equal versions) and far pairs, 1500 of each
	local n
	n=$(wc -l < "$BATS_TEST_TMPDIR/v")
	awk -v n="$n" 'BEGIN {srand(7)} {v[NR] = $0} END {
		step = n / 1500; if (step < 1) step = 1
		for (i = 1; i + 1 <= n && c < 1500; i += step) { print v[int(i)], v[int(i) + 1]; c++ }
		for (k = 0; k < 1500; k++) print v[int(rand() * n) + 1], v[int(rand() * n) + 1]
		for (k = 0; k < 100; k++) { x = v[int(rand() * n) + 1]; if (x !~ /:/) print x, "0:" x; else print x, x }
	}' "$BATS_TEST_TMPDIR/v" > "$BATS_TEST_TMPDIR/pairs"
	while read -r a b; do
		if dpkg --compare-versions "$a" lt "$b"; then echo '<'
		elif dpkg --compare-versions "$a" eq "$b"; then echo '='
		else echo '>'; fi
	done < "$BATS_TEST_TMPDIR/pairs" > "$BATS_TEST_TMPDIR/dpkg"
	agrees_with deb "$BATS_TEST_TMPDIR/dpkg"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/ours")" -eq 3100 ]
	# both orders occur, so the check is not vacuous
	grep -q '<' "$BATS_TEST_TMPDIR/ours" && grep -q '>' "$BATS_TEST_TMPDIR/ours" && grep -q '=' "$BATS_TEST_TMPDIR/ours"
}

@test "vercmp: rpm order equals librpm's rpm.vercmp on every pair of 120 versions" {
	command -v rpm >/dev/null || skip "rpm not installed (make deps)"
	# real EVRs from the corpus rpm databases' expected lists, and the hard cases
	{
		[ -f "$CORPUS/pkgdb/go-rpmdb/sle15-bci_expected_packages.tsv" ] &&
			awk -F'\t' 'NR > 1 && NF >= 4 {print $3 "-" $4}' "$CORPUS/pkgdb/go-rpmdb/sle15-bci_expected_packages.tsv" | head -60
		printf '%s\n' 1.0 1.0-1 1.0-1.el8 1:1.0-1 0:1.0-1 2:0.1 1.0~rc1 1.0~rc1-1 1.0^ 1.0^git1 1.0^git1~1 \
			1.0.1 1.0a 1.0A 1.0.a 1a.0 10 9 010 1.00 1..0 1_0 1+0 '1-' '1-0' 1-1-1 1.0-1.1 1.0-1.a \
			5.5p1 5.5p10 6.0.rc1 20240101 2024.01.01 1.0-0.rc1 1.0-1~rc1 4.18.0-11.fc38 4.18.0-1.fc38 \
			1:4.18.0-1 0.9.8zh 0.9.8zg 3.0.7-1.cm2 7.76.0-6.cm2 7.76.0-16.cm2 7.76.0-6 a b ab ~ ^ x~y x^y
	} | sort -u | head -120 > "$BATS_TEST_TMPDIR/v"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/v")" -gt 50 ]
	all_pairs "$BATS_TEST_TMPDIR/v" > "$BATS_TEST_TMPDIR/pairs"
	# (rpm's Lua print() joins its output without newlines: one string, then split)
	rpm --eval "%{lua: local t = {} for l in io.lines('$BATS_TEST_TMPDIR/pairs') do
		local a, b = l:match('^(%S+) (%S+)$'); local c = rpm.vercmp(a, b)
		t[#t + 1] = c < 0 and '<' or c > 0 and '>' or '=' end print(table.concat(t, ' '))}" |
		tr ' ' '\n' > "$BATS_TEST_TMPDIR/rpm"
	# rpm --eval adds a trailing empty line
	sed -i '/^$/d' "$BATS_TEST_TMPDIR/rpm"
	agrees_with rpm "$BATS_TEST_TMPDIR/rpm"
}

@test "vercmp: npm order equals node-semver's compare on every pair of 45 versions" {
	command -v node >/dev/null || skip "node not installed (make deps)"
	[ -f "$NPM_DIR/node_modules/semver/package.json" ] || skip "semver not installed (make npm-tools)"
	printf '%s\n' 0.0.0 0.0.1 0.1.0 1.0.0 1.0.1 1.1.0 1.10.0 1.2.0 1.2.10 1.2.9 2.0.0 10.0.0 \
		1.0.0-alpha 1.0.0-alpha.1 1.0.0-alpha.beta 1.0.0-beta 1.0.0-beta.2 1.0.0-beta.11 1.0.0-rc.1 \
		1.0.0-rc.1+build.1 1.0.0+20130313144700 1.0.0-0 1.0.0-1 1.0.0-01a 1.0.0-a1 1.0.0-A 1.0.0-x.7.z.92 \
		1.0.0-x-y-z.-- 1.0.0-alpha.0valid 1.0.0-0A.is.legal 2.0.0-rc.1 2.0.0-rc.10 2.0.0-rc.2 \
		3.0.0-beta.1 3.0.0-beta 9007199254740991.0.0 4.17.21 4.17.20 4.17.4 0.20.0 0.3.0 \
		1.2.3-alpha.10.beta 1.2.3-alpha.9.beta 1.2.3-alpha.10 1.2.3-alpha.9 > "$BATS_TEST_TMPDIR/v"
	all_pairs "$BATS_TEST_TMPDIR/v" > "$BATS_TEST_TMPDIR/pairs"
	node -e '
		const semver = require(process.argv[1]);
		const lines = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n");
		for (const l of lines) { const [a, b] = l.split(" "); const c = semver.compare(a, b);
			console.log(c < 0 ? "<" : c > 0 ? ">" : "="); }' \
		"$NPM_DIR/node_modules/semver" "$BATS_TEST_TMPDIR/pairs" > "$BATS_TEST_TMPDIR/peer"
	agrees_with npm "$BATS_TEST_TMPDIR/peer"
}

@test "vercmp: pypi order equals packaging's Version on every pair of 64 PEP 440 versions" {
	py=
	for p in /usr/bin/python3 python3; do
		"$p" -c 'import packaging.version' 2>/dev/null && { py=$p; break; }
	done
	[ -n "$py" ] || skip "python3-packaging not installed (make deps)"
	printf '%s\n' 0 0.1 1 1.0 1.0.0 1.0.0.0 1.0.1 1.1 1.10 1.2 1.9.9 2 2.0 10.0 1!0.1 1!1.0 0!3.0 \
		1.0a1 1.0a2 1.0a10 1.0alpha3 1.0A4 1.0b1 1.0beta2 1.0rc1 1.0c2 1.0pre3 1.0preview4 1.0RC5 \
		1.0.dev0 1.0.dev1 1.0dev2 1.0-dev3 1.0a1.dev1 1.0rc1.dev2 1.0.post1 1.0.post2 1.0post3 1.0-1 \
		1.0-2 1.0.rev4 1.0r5 1.0.post1.dev1 1.0.post1.dev2 1.0-a1 1.0_b2 1.0.rc3 v1.0 V2.0 1.0+local \
		1.0+local.1 1.0+local.2 1.0+1 1.0+2 1.0+abc.5 1.0+ABC.5 1.0+abc-6 1.0+abc_7 1.0a1+local \
		2.0.post1+x 2.0.0.post1 1.0.0a 1.0.0b 1.0.0rc > "$BATS_TEST_TMPDIR/v"
	all_pairs "$BATS_TEST_TMPDIR/v" > "$BATS_TEST_TMPDIR/pairs"
	"$py" -c '
import sys
from packaging.version import Version
for l in open(sys.argv[1]):
    a, b = l.split()
    x, y = Version(a), Version(b)
    print("<" if x < y else ">" if x > y else "=")' "$BATS_TEST_TMPDIR/pairs" > "$BATS_TEST_TMPDIR/peer"
	agrees_with pypi "$BATS_TEST_TMPDIR/peer"
}

# OSV's list follows the POM reference's example "1-ga-1" = "1-1"; Maven itself (3.6.3, 3.8.7
# and 3.9.9 alike) drops the "ga" and leaves 1-[[1]], which sorts before 1-[1]: we follow Maven.
@test "vercmp: maven order equals the corpus list but for 1-ga-1, which Maven puts before 1-1" {
	[ -d "$VC" ] || skip "corpus not found"
	run compare_list maven "$VC/maven-versions.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "1-1 = 1-ga-1" ]
	run "$SHIPSHAPE" vercmp --type maven 1-1 1-ga-1
	[ "$output" = ">" ]
}

# The order OSV computes Maven ranges with is Maven 3.9's ComparableVersion. Debian 12's Maven
# 3.8.7 runs the same class (3.9.9's differs only in its constant pool); MAVEN_ARTIFACT_JAR
# may name another maven-artifact jar to compare with, a 3.9 one for instance.
@test "vercmp: maven order equals Maven 3.9's ComparableVersion on every pair of 65 versions and the local repository's" {
	local mva=${MAVEN_ARTIFACT_JAR:-/usr/share/maven/lib/maven-artifact-3.x.jar}
	[ -f "$mva" ] && command -v java >/dev/null || skip "maven not installed (make deps installs it)"
	local cv=org.apache.maven.artifact.versioning.ComparableVersion
	# a class from before MNG-7644 (Maven 3.6.3's, say) puts "1.0.0.RC1" after "1.0.0-RC2"
	java -cp "$mva" $cv 1.0.0.RC1 1.0.0-RC2 2>/dev/null | grep -qF '1.0.0.RC1 < 1.0.0-RC2' ||
		skip "$mva orders as Maven did before MNG-7644, not as 3.9 does"
	# qualifiers, aliases, one-letter ones, separators, leading zeros, numbers past 64 bits,
	# the issue's pairs and those 3.9 orders otherwise than Maven 3.6, and the versions of the
	# machine's Maven repository
	printf '%s\n' 1 1.0 1.0.0 1-0 1-1 1.0-1 1.1 1-sp 1-sp1 1-ga 1-final 1.0.RELEASE 1-cr1 1-rc1 1-RC2 \
		1.0-rc-1 1-a1 1-alpha-1 1-b1 1-beta2 1-m1 1-milestone3 1-SNAPSHOT 1-foo 1-foo1 1-bar 1.0a1 1a \
		1.a 1-a 1x 2.15.0-rc1 2.15.0.Final 2.0.0.M1 1.0.0.Alpha2 1.0.0.CR3 1.2.3.4.5 01.002 1.10 1.9 \
		9999999999 99999999999999999999 100000000000000000000 1--1 1..1 1-.1 1.-1 0 0.0 -1 \
		2.0.0-beta+exp.sha.5114f85 1.0-20190101.120000-1 0.x \
		1.0.0-RC16 1.0.0.RC8-beta 1.1.31.sec10 1.1.31_noneautotype 1.0.0.RC1 1.0.0-RC2 2.0.x \
		1-0.1 1-0.alpha 1-ga-1 1-sp-1 1.x1 > "$BATS_TEST_TMPDIR/v"
	find /usr/share/maven-repo -name '*.pom' 2>/dev/null | awk -F/ '{print $(NF-1)}' | sort -u | head -48 >> "$BATS_TEST_TMPDIR/v"
	all_pairs "$BATS_TEST_TMPDIR/v" > "$BATS_TEST_TMPDIR/pairs"
	# ComparableVersion's main compares each argument with the one before: the pairs' own
	# comparisons are every other one ("A == B" when equal), counted from each run's header
	# (xargs gives each run an even number of arguments, whole pairs)
	tr ' ' '\n' < "$BATS_TEST_TMPDIR/pairs" | xargs -d '\n' -n 4000 -s 1000000 java -cp "$mva" $cv 2>/dev/null |
		awk '/^Display/ {n = 0} /^   [^ ]+ (<|>|==) [^ ]+$/ && n++ % 2 == 0 {print $2 == "==" ? "=" : $2}' > "$BATS_TEST_TMPDIR/peer"
	agrees_with maven "$BATS_TEST_TMPDIR/peer"
	# the issue's cases, as 3.9 has them
	run "$SHIPSHAPE" vercmp --type maven 1.0.0-RC16 1.0.0.RC8-beta
	[ "$output" = ">" ]
	run "$SHIPSHAPE" vercmp --type maven 1.1.31.sec10 1.1.31_noneautotype
	[ "$output" = ">" ]
}

@test "vercmp: arguments, usage and bad lines" {
	run "$SHIPSHAPE" vercmp --type deb 1.0-1 1.0-1~bpo1
	[ "$status" -eq 0 ]
	[ "$output" = ">" ]
	run "$SHIPSHAPE" vercmp --type apk 1.2.3_rc1-r0 1.2.3-r0
	[ "$output" = "<" ]
	run "$SHIPSHAPE" vercmp --type rpm 1:1.0-1 2.0-1
	[ "$output" = ">" ]
	run "$SHIPSHAPE" vercmp --type pip 1 2
	[ "$status" -eq 2 ]
	run "$SHIPSHAPE" vercmp 1 2
	[ "$status" -eq 2 ]
	run bash -c "printf '1 2\n\nonly-one\n' | '$SHIPSHAPE' vercmp --type deb"
	[ "$status" -eq 3 ]
	[[ "$output" == *"<stdin>:3: expected two versions"* ]]
}
