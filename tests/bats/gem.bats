#!/usr/bin/env bats
# RubyGems: `vercmp --type gem` against the corpus list and Ruby's own Gem::Version; an image
# whose gems RubyGems itself installed (gems built here, Debian's packaged and default gems),
# listed by `shipshape sbom` as `gem list --local` lists them, and matched by `vuln` against
# OSV RubyGems records written here.

load helpers
. "$BATS_TEST_DIRNAME/../images/lib.sh"

VC="$CORPUS/vulndata/version-compare/osv-scalibr"

have_ruby() { command -v ruby >/dev/null && command -v gem >/dev/null; }

@test "gem: vercmp order equals the corpus list" {
	[ -f "$VC/rubygems-versions.txt" ] || skip "corpus not found"
	grep -v '^#' "$VC/rubygems-versions.txt" | awk 'NF == 3' > "$BATS_TEST_TMPDIR/cases"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/cases")" -gt 20 ]
	awk '{print $1, $3}' "$BATS_TEST_TMPDIR/cases" | "$SHIPSHAPE" vercmp --type gem > "$BATS_TEST_TMPDIR/ours"
	run bash -c "paste -d' ' '$BATS_TEST_TMPDIR/cases' '$BATS_TEST_TMPDIR/ours' | awk '\$2 != \$4'"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "gem: vercmp order equals Ruby's Gem::Version <=> on every pair of 80 versions" {
	have_ruby || skip "ruby not installed (make deps)"
	# prereleases, "-" (read as ".pre."), trailing zeros, leading zeros, case, numbers past
	# 64 bits, the corpus list's versions and those of the machine's own gems
	{
		printf '%s\n' 0 0.0 0.1 1 1.0 1.0.0 1.0.0.0 1.0.1 1.1 1.01 01 1.9 1.10 2 2.0 10 3.2 3.10 \
			1.0.a 1.0.a.0 1.a 1.0.a2 1.0.a.2 1.0.a9 1.0.a10 1.0.a.9 1.0.a.10 1.0.b1 1.0.b.9 \
			1.0.0.pre 1.0.0.beta2 1.0.0.rc1 1.0.0.RC1 1.0.0.rc10 1.0-1 1.0.pre.1 1.0.pre.2 1.0-pre \
			1.0.pre.pre 1.a.b 1.a.0.b 1.a.1 2.a 1.0-beta 1.0.0-rc.1 1.0.0-rc.1.1 7.1.0.beta1 7.1.0 \
			18446744073709551615 18446744073709551616 1.0.0.a.0.0 1.0.0.a.0.1 1.0.A 1.0.Z 1.0.aa \
			1.0.ab 1.0.b 1.2.3.4.5.6 1.2.3.4.5.0 00.00 1.0.x.y.z 1.0-a-b 1.0-0
		[ -f "$VC/rubygems-versions.txt" ] && awk 'NF == 3 && $1 !~ /^#/ {print $1; print $3}' "$VC/rubygems-versions.txt"
		gem list --local 2>/dev/null | sed -n 's/^[^ ]* (\(default: \)\{0,1\}\([^ ,)]*\).*/\2/p' | head -20
	} | sort -u > "$BATS_TEST_TMPDIR/all"
	# Gem::Version refuses malformed ones ("1beta"): those are compared with the list only
	ruby -e 'STDIN.each_line { |l| v = l.chomp; puts v if Gem::Version.correct?(v) }' \
		< "$BATS_TEST_TMPDIR/all" | head -80 > "$BATS_TEST_TMPDIR/v"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/v")" -ge 70 ]
	awk '{v[NR] = $0} END {for (i = 1; i <= NR; i++) for (j = 1; j <= NR; j++) print v[i], v[j]}' \
		"$BATS_TEST_TMPDIR/v" > "$BATS_TEST_TMPDIR/pairs"
	ruby -e 'STDIN.each_line { |l| a, b = l.split; c = Gem::Version.new(a) <=> Gem::Version.new(b)
		puts c < 0 ? "<" : c > 0 ? ">" : "=" }' < "$BATS_TEST_TMPDIR/pairs" > "$BATS_TEST_TMPDIR/ruby"
	"$SHIPSHAPE" vercmp --type gem < "$BATS_TEST_TMPDIR/pairs" > "$BATS_TEST_TMPDIR/ours"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/ruby")" -eq "$(wc -l < "$BATS_TEST_TMPDIR/pairs")" ]
	[ "$(wc -l < "$BATS_TEST_TMPDIR/ours")" -eq "$(wc -l < "$BATS_TEST_TMPDIR/pairs")" ]
	paste -d' ' "$BATS_TEST_TMPDIR/pairs" "$BATS_TEST_TMPDIR/ruby" "$BATS_TEST_TMPDIR/ours" | awk '$3 != $4' \
		> "$BATS_TEST_TMPDIR/bad"
	head -20 "$BATS_TEST_TMPDIR/bad"
	[ ! -s "$BATS_TEST_TMPDIR/bad" ]
	# all three answers occur, so the check is not vacuous
	grep -q '<' "$BATS_TEST_TMPDIR/ours" && grep -q '>' "$BATS_TEST_TMPDIR/ours" && grep -q '=' "$BATS_TEST_TMPDIR/ours"
}

# make_gem DIR NAME VERSION [GEMSPEC-LINE...]: builds NAME-VERSION.gem in DIR with `gem build`
make_gem() {
	local dir=$1 name=$2 ver=$3
	shift 3
	mkdir -p "$dir/$name/lib"
	echo "module ShipshapeTest; end" > "$dir/$name/lib/$name.rb"
	{
		echo 'Gem::Specification.new do |s|'
		echo "  s.name = \"$name\""
		echo "  s.version = \"$ver\""
		echo '  s.summary = "a gem built by the tests"'
		echo '  s.authors = ["shipshape tests"]'
		echo "  s.files = [\"lib/$name.rb\"]"
		printf '  %s\n' "$@"
		echo 'end'
	} > "$dir/$name/$name.gemspec"
	(cd "$dir/$name" && gem build "$name.gemspec" >/dev/null 2>&1 && mv "$name-$ver"*.gem "$dir/")
}

# gem_root R: RubyGems installs three gems built here into R/usr/local/bundle (layer 1 of the
# image the case script $BATS_TEST_TMPDIR/case.sh makes), Debian's packaged and default gems'
# specifications are copied in (layer 2), then RubyGems uninstalls one (layer 3: its files
# deleted). R is left as the image's last state; GEMS holds the gem path to list it with.
gem_root() {
	local r=$1 src=$BATS_TEST_TMPDIR/src d
	mkdir -p "$src" "$r"
	make_gem "$src" shipshape-alpha 1.2.0 's.licenses = ["MIT"]'
	make_gem "$src" shipshape-beta 2.0.0.rc1
	make_gem "$src" Shipshape_Gamma 0.9 's.licenses = ["Ruby", "BSD-2-Clause"]' \
		's.add_runtime_dependency "shipshape-alpha", ">= 1.0"'
	# built for this machine's platform, as gems with native code are (nokogiri-1.15.4-x86_64-linux)
	make_gem "$src" shipshape-native 3.0 's.platform = Gem::Platform.local'
	(cd "$src" && gem install --local --no-document --install-dir "$r/usr/local/bundle" \
		shipshape-alpha-1.2.0.gem shipshape-beta-2.0.0.rc1.gem Shipshape_Gamma-0.9.gem shipshape-native-3.0-*.gem) >/dev/null
	cp -a "$r" "$BATS_TEST_TMPDIR/layer1"
	GEMS=$r/usr/local/bundle
	# the machine's gem directories (Debian's: /usr/lib/ruby/gems/3.1.0, whose specifications/
	# default/ holds the default gems; /usr/share/rubygems-integration/all ...), specifications only
	mkdir -p "$BATS_TEST_TMPDIR/layer2"
	for d in $(ruby -e 'puts Gem.path'); do
		[[ -d $d/specifications && $d != "$HOME"/* ]] || continue
		mkdir -p "$r$d" "$BATS_TEST_TMPDIR/layer2$d"
		cp -a "$d/specifications" "$r$d/"
		cp -a "$d/specifications" "$BATS_TEST_TMPDIR/layer2$d/"
		GEMS=$GEMS:$r$d
	done
	GEM_HOME=$r/usr/local/bundle GEM_PATH=$GEMS gem uninstall --install-dir "$r/usr/local/bundle" -x \
		shipshape-beta >/dev/null
	{
		echo "new_layer 'RUN gem install shipshape-alpha shipshape-beta Shipshape_Gamma shipshape-native'"
		echo "cp -a '$BATS_TEST_TMPDIR/layer1/.' \"\$L/\""
		echo "new_layer 'COPY --from=debian /usr/lib/ruby /usr/share/rubygems-integration /'"
		echo "cp -a '$BATS_TEST_TMPDIR/layer2/.' \"\$L/\""
		echo "new_layer 'RUN gem uninstall shipshape-beta'"
		(cd "$BATS_TEST_TMPDIR/layer1" && find . -type f -o -type l) | sed 's|^\./||' | while read -r f; do
			[ -e "$r/$f" ] || [ -L "$r/$f" ] || echo "whiteout '$f'"
		done
	} > "$BATS_TEST_TMPDIR/case.sh"
	[ -f "$r/usr/local/bundle/specifications/shipshape-alpha-1.2.0.gemspec" ]
	[ ! -e "$r/usr/local/bundle/specifications/shipshape-beta-2.0.0.rc1.gemspec" ]
}

# gem_list: "NAME VERSION" lines of what `gem list --local` lists with the root's gem path
# ("json (2.7.0, default: 2.6.1)", "nokogiri (1.15.4 x86_64-linux)")
gem_list() {
	GEM_HOME=$1/usr/local/bundle GEM_PATH=$GEMS HOME=$BATS_TEST_TMPDIR gem list --local |
		sed -n 's/^\([^ ]*\) (\(.*\))$/\1 \2/p' | sed 's/default: //g' |
		awk '{n = split(substr($0, length($1) + 2), v, ", "); for (i = 1; i <= n; i++) { split(v[i], w, " ")
			print $1, w[1] } }' | sort -u
}

@test "gem: sbom lists the gems of an image as gem list --local does (built, Debian's, default ones), purls pkg:gem" {
	have_ruby || skip "ruby not installed (make deps)"
	gem_root "$BATS_TEST_TMPDIR/r"
	build_image "$BATS_TEST_TMPDIR/case.sh" "$BATS_TEST_TMPDIR/img.tar"
	gem_list "$BATS_TEST_TMPDIR/r" > "$BATS_TEST_TMPDIR/want"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/want")" -gt 10 ]
	grep -qx 'shipshape-alpha 1.2.0' "$BATS_TEST_TMPDIR/want"
	grep -qx 'Shipshape_Gamma 0.9' "$BATS_TEST_TMPDIR/want"
	grep -qx 'shipshape-native 3.0' "$BATS_TEST_TMPDIR/want"
	refute grep -q 'shipshape-beta' "$BATS_TEST_TMPDIR/want"
	for src in "$BATS_TEST_TMPDIR/img.tar" "$BATS_TEST_TMPDIR/r"; do
		run "$SHIPSHAPE" sbom -f json "$src"
		[ "$status" -eq 0 ]
		echo "$output" > "$BATS_TEST_TMPDIR/sbom.json"
		jq -r '.packages[] | "\(.name) \(.version)"' "$BATS_TEST_TMPDIR/sbom.json" | sort -u |
			diff "$BATS_TEST_TMPDIR/want" -
		jq -e '[.packages[] | select(.type != "gem" or
			.purl != "pkg:gem/\(.name)@\(.version)" + (if .arch then "?platform=\(.arch)" else "" end))] == []' \
			"$BATS_TEST_TMPDIR/sbom.json"
		jq -e --arg p "$(ruby -e 'print Gem::Platform.local')" '[.packages[] | select(.name | startswith("shipshape") or startswith("Shipshape")) |
			"\(.purl) \(.license) \(.database)"] == [
			"pkg:gem/Shipshape_Gamma@0.9 Ruby, BSD-2-Clause /usr/local/bundle/specifications/Shipshape_Gamma-0.9.gemspec",
			"pkg:gem/shipshape-alpha@1.2.0 MIT /usr/local/bundle/specifications/shipshape-alpha-1.2.0.gemspec",
			"pkg:gem/shipshape-native@3.0?platform=\($p) null /usr/local/bundle/specifications/shipshape-native-3.0-\($p).gemspec"]' \
			"$BATS_TEST_TMPDIR/sbom.json"
	done
	# the image's layers: what RubyGems installed first, the one it uninstalled gone in layer 3
	run "$SHIPSHAPE" sbom -f json --all-layers "$BATS_TEST_TMPDIR/img.tar"
	echo "$output" | jq -e '[.packages[] | select(.name | ascii_downcase | startswith("shipshape")) |
		"\(.name) \(.version) \(.layer) \(.removed)"] ==
		["Shipshape_Gamma 0.9 1 false", "shipshape-alpha 1.2.0 1 false", "shipshape-beta 2.0.0.rc1 1 true",
		 "shipshape-native 3.0 1 false"]'
	# the standard formats carry the purls
	"$SHIPSHAPE" sbom -f cyclonedx -o "$BATS_TEST_TMPDIR/g.cdx.json" "$BATS_TEST_TMPDIR/img.tar"
	jq -e '[.components[] | .purl // empty] | index("pkg:gem/shipshape-alpha@1.2.0") != null' "$BATS_TEST_TMPDIR/g.cdx.json"
	"$SHIPSHAPE" sbom -f spdx -o "$BATS_TEST_TMPDIR/g.spdx.json" "$BATS_TEST_TMPDIR/img.tar"
	jq -e '[.packages[].externalRefs[]? | .referenceLocator] | index("pkg:gem/Shipshape_Gamma@0.9") != null' \
		"$BATS_TEST_TMPDIR/g.spdx.json"
}

@test "gem: vuln matches gems against OSV RubyGems records in Gem::Version order" {
	have_ruby || skip "ruby not installed (make deps)"
	gem_root "$BATS_TEST_TMPDIR/r"
	build_image "$BATS_TEST_TMPDIR/case.sh" "$BATS_TEST_TMPDIR/img.tar"
	local rake
	rake=$(gem_list "$BATS_TEST_TMPDIR/r" | awk '$1 == "rake" {print $2; exit}')
	[ -n "$rake" ] || skip "no rake among the machine's gems"
	mkdir -p "$BATS_TEST_TMPDIR/osv"
	cat > "$BATS_TEST_TMPDIR/osv/rubygems.json" <<-EOF
	[{"id": "GHSA-gem-alpha", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2099-0001"],
	  "summary": "a flaw in shipshape-alpha", "database_specific": {"severity": "HIGH"},
	  "affected": [{"package": {"ecosystem": "RubyGems", "name": "shipshape-alpha"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.0.1"}]}]}]},
	 {"id": "GHSA-gem-alpha-pre", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "RubyGems", "name": "shipshape-alpha"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.0.rc1"}]}]}]},
	 {"id": "GHSA-gem-gamma", "modified": "2026-01-01T00:00:00Z", "database_specific": {"severity": "LOW"},
	  "affected": [{"package": {"ecosystem": "RubyGems", "name": "Shipshape_Gamma"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0.9.a"}, {"last_affected": "0.9.0"}]}]}]},
	 {"id": "GHSA-gem-beta", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "RubyGems", "name": "shipshape-beta"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]},
	 {"id": "GHSA-gem-rake", "modified": "2026-01-01T00:00:00Z", "database_specific": {"severity": "MODERATE"},
	  "affected": [{"package": {"ecosystem": "RubyGems", "name": "rake"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "$rake-1"}]}]}]},
	 {"id": "GHSA-npm-alpha", "modified": "2026-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "npm", "name": "shipshape-alpha"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}]
	EOF
	"$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/v.db" "$BATS_TEST_TMPDIR/osv" 2>/dev/null
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/v.db" -f json "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 1 ]
	echo "$output" | jq -r '.vulnerabilities[] | "\(.id) \(.package) \(.state) \(.fixed_version // "-") \(.severity)"' |
		sort > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	# 1.2.0 is below 1.2.0.1 but past 1.2.0.rc1; 0.9 == 0.9.0 is the last affected; "X-1" is
	# X.pre.1, a prerelease of X, so rake X is past its fix; shipshape-beta was uninstalled;
	# an npm package of the same name is not a gem
	printf '%s\n' "CVE-2099-0001 shipshape-alpha fixed 1.2.0.1 high" \
		"GHSA-gem-gamma Shipshape_Gamma no fix yet - low" | diff - "$BATS_TEST_TMPDIR/got"
	echo "$output" | jq -e '.findings[] | select(.rule_id == "SHP3001" and (.message | contains("shipshape-alpha"))) |
		.location.path == "/usr/local/bundle/specifications/shipshape-alpha-1.2.0.gemspec"'
	# image --db says the same; so does vuln of our CycloneDX SBOM of the image
	run "$SHIPSHAPE" image --db "$BATS_TEST_TMPDIR/v.db" -f json "$BATS_TEST_TMPDIR/img.tar"
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP3001" or .rule_id == "SHP3002") |
		"\(.rule_id) \(.message | split(":")[0])"] ==
		["SHP3001 CVE-2099-0001 (GHSA-gem-alpha) in shipshape-alpha 1.2.0", "SHP3002 GHSA-gem-gamma in Shipshape_Gamma 0.9"]'
	"$SHIPSHAPE" sbom -o "$BATS_TEST_TMPDIR/g.cdx.json" "$BATS_TEST_TMPDIR/img.tar"
	"$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/v.db" -f json "$BATS_TEST_TMPDIR/g.cdx.json" |
		jq -r '.vulnerabilities[] | "\(.id) \(.package) \(.state) \(.fixed_version // "-") \(.severity)"' | sort |
		diff "$BATS_TEST_TMPDIR/got" -
	# a database without RubyGems records says the gems went unmatched
	"$SHIPSHAPE" db import --db "$BATS_TEST_TMPDIR/none.db" "$ROOT/tests/rules/SHP3001/feed.json" 2>/dev/null
	run "$SHIPSHAPE" vuln --db "$BATS_TEST_TMPDIR/none.db" -f json --fail-on none "$BATS_TEST_TMPDIR/img.tar"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP3010") | .message] | length == 1 and
		(.[0] | contains("gem packages"))'
}
