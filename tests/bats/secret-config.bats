#!/usr/bin/env bats
# Custom secret rules in the peers' formats: Trivy's trivy-secret.yaml and gitleaks'
# .gitleaks.toml, found in the working directory or named with --secret-config. Each with a
# new rule that fires (at its line), an allowlist that silences, a disabled built-in that no
# longer fires, and a bad file that is exit 3 naming its place. The image is a docker-save
# tarball whose layer tar wrote.

load helpers

AWS_ID="AKIA""ZXCVBNMASDFGHJKL"

setup() {
	W="$BATS_TEST_TMPDIR"
	mkdir -p "$W/root/app" "$W/root/docs" "$W/cwd"
	printf 'name = "demo"\napi = "tok_0123456789abcdef0123456789abcdef"\n' > "$W/root/app/settings.ini"
	printf 'see tok_fedcba9876543210fedcba9876543210 in the docs\n' > "$W/root/docs/guide.txt"
	printf 'aws_access_key_id = %s\n' "$AWS_ID" > "$W/root/app/aws.txt"
	tar -C "$W/root" --owner=0 --group=0 -cf "$W/layer.tar" app docs
	local diff
	diff="sha256:$(sha256sum "$W/layer.tar" | cut -d' ' -f1)"
	jq -n --arg d "$diff" '{architecture:"amd64",os:"linux",config:{User:"1"},rootfs:{type:"layers",diff_ids:[$d]}}' > "$W/config.json"
	jq -n '[{Config:"config.json",RepoTags:["c:1"],Layers:["layer.tar"]}]' > "$W/manifest.json"
	tar -C "$W" -cf "$W/image.tar" manifest.json config.json layer.tar
}

# secrets IMAGE [ARGS...]: "severity message" of the image's secret findings, sorted
secrets() {
	(cd "$W/cwd" && "$SHIPSHAPE" image -f json --fail-on none --no-cache "$@" "$W/image.tar") |
		jq -r '.findings[] | select(.rule_id == "SHP2010") | "\(.severity) \(.message)"' | sort
}

@test "secret-config: without a file, the built-in rules alone" {
	run secrets
	[ "$status" -eq 0 ]
	[ "$output" = "critical AWS access key ID in /app/aws.txt (line 1), added in layer 1" ]
}

@test "secret-config: Trivy's trivy-secret.yaml in the working directory: a new rule, allow rules, a disabled built-in" {
	cat > "$W/cwd/trivy-secret.yaml" <<-'YAML'
	rules:
	  - id: my-token
	    category: general
	    title: My token
	    severity: MEDIUM
	    regex: (?P<key>tok_)(?P<secret>[0-9a-f]{32})
	    secret-group-name: secret
	    keywords: [tok_]
	allow-rules:
	  - id: docs
	    description: documentation
	    path: ^docs/
	disable-rules:
	  - aws-access-key-id
	YAML
	run secrets
	[ "$status" -eq 0 ]
	[ "$output" = "medium My token (my-token) in /app/settings.ini (line 2), added in layer 1" ]
	# the allow rule's regex on the secret silences it; without the allow rule docs/ is reported
	cat > "$W/cwd/trivy-secret.yaml" <<-'YAML'
	rules:
	  - id: my-token
	    title: My token
	    severity: low
	    regex: tok_(?P<secret>[0-9a-f]{32})
	    secret-group-name: secret
	    allow-rules:
	      - id: zero-one
	        regex: 0123456789
	YAML
	run secrets
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "critical AWS access key ID in /app/aws.txt (line 1), added in layer 1" ]
	[ "${lines[1]}" = "low My token (my-token) in /docs/guide.txt (line 1), added in layer 1" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "secret-config: Trivy's enable-builtin-rules runs those built-in rules alone, by Trivy's ids" {
	printf 'enable-builtin-rules:\n  - github-pat\n' > "$W/cwd/trivy-secret.yaml"
	run secrets
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# Trivy's own id of the same rule
	printf 'enable-builtin-rules: [aws-access-key-id]\n' > "$W/cwd/trivy-secret.yaml"
	run secrets
	[ "$output" = "critical AWS access key ID in /app/aws.txt (line 1), added in layer 1" ]
}

@test "secret-config: gitleaks' .gitleaks.toml extends the default rules, with allowlists and disabledRules" {
	cat > "$W/cwd/.gitleaks.toml" <<-'TOML'
	title = "custom"
	[extend]
	useDefault = true
	disabledRules = ["aws-access-key-id"]
	[[rules]]
	id = "my-token"
	description = "My token"
	regex = '''tok_([0-9a-f]{32})'''
	keywords = ["tok_"]
	entropy = 3.0
	[[rules.allowlists]]
	paths = ['''^docs/''']
	TOML
	run secrets
	[ "$status" -eq 0 ]
	[ "$output" = "critical My token (my-token) in /app/settings.ini (line 2), added in layer 1" ]
}

@test "secret-config: gitleaks' .gitleaks.toml without useDefault replaces the default rules" {
	cat > "$W/cwd/.gitleaks.toml" <<-'TOML'
	[[rules]]
	id = "my-token"
	description = "My token"
	regex = '''tok_([0-9a-f]{32})'''
	[[allowlists]]
	description = "the secret's own stopword"
	stopwords = ["fedcba"]
	TOML
	run secrets
	[ "$status" -eq 0 ]
	[ "$output" = "critical My token (my-token) in /app/settings.ini (line 2), added in layer 1" ]
}

@test "secret-config: --secret-config names the file (gitleaks' by its .toml name) over the working directory's" {
	printf 'disable-rules: [my-token]\n' > "$W/cwd/trivy-secret.yaml"
	printf '[[rules]]\nid = "my-token"\nregex = %s\n[allowlist]\npaths = ["^app/"]\n' "'''tok_([0-9a-f]{32})'''" > "$W/mine.toml"
	run secrets --secret-config "$W/mine.toml"
	[ "$status" -eq 0 ]
	[ "$output" = "critical my-token in /docs/guide.txt (line 1), added in layer 1" ]
	# and secret-config: in .shipshape.yaml
	printf 'secret-config: %s\n' "$W/mine.toml" > "$W/cwd/.shipshape.yaml"
	run secrets
	[ "$output" = "critical my-token in /docs/guide.txt (line 1), added in layer 1" ]
}

@test "secret-config: a custom rule's finding from the layer cache is the scan's, and another file's is not reused" {
	local c="$W/cache"
	cat > "$W/cwd/trivy-secret.yaml" <<-'YAML'
	rules:
	  - id: my-token
	    regex: tok_[0-9a-f]{32}
	disable-allow-rules: [examples]
	YAML
	(cd "$W/cwd" && "$SHIPSHAPE" image -f json --fail-on none --cache-dir "$c" "$W/image.tar" >/dev/null)
	run bash -c "cd '$W/cwd' && '$SHIPSHAPE' image -f json --fail-on none --cache-dir '$c' '$W/image.tar'"
	echo "$output" | jq -e '.image.layers[0].cached'
	[ "$(echo "$output" | jq '[.findings[] | select(.message | startswith("my-token"))] | length')" -eq 2 ]
	# no configuration: the record of the configured scan is not the one read
	rm "$W/cwd/trivy-secret.yaml"
	run bash -c "cd '$W/cwd' && '$SHIPSHAPE' image -f json --fail-on none --cache-dir '$c' '$W/image.tar'"
	[ "$(echo "$output" | jq '[.findings[] | select(.message | startswith("my-token"))] | length')" -eq 0 ]
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP2010")] | length == 1'
}

# refused: image in the working directory that holds the configuration files, refused (exit 3)
refused() {
	run bash -c "cd '$W/cwd' && '$SHIPSHAPE' image --no-cache '$W/image.tar'"
	[ "$status" -eq 3 ]
}

@test "secret-config: a bad file is exit 3 naming the file and the place" {
	printf 'rules:\n  - id: r\n    regex: tok_(\n' > "$W/cwd/trivy-secret.yaml"
	refused
	[[ "$output" == *"trivy-secret.yaml:3:12: rules[0]: regex: invalid regex at offset 5: missing closing parenthesis"* ]]
	printf 'rules:\n  - id: r\n    regex: x\n    keywords: 3\n' > "$W/cwd/trivy-secret.yaml"
	refused
	[[ "$output" == *"trivy-secret.yaml:4:15: keywords: expected a list of strings"* ]]
	rm "$W/cwd/trivy-secret.yaml"
	printf '[[rules]]\nid = "r"\nregex = "a"\nentropy = "high"\n' > "$W/cwd/.gitleaks.toml"
	refused
	[[ "$output" == *".gitleaks.toml: rules[0] (r).entropy: expected a number of bits"* ]]
	printf '[[rules]\n' > "$W/cwd/.gitleaks.toml"
	refused
	[[ "$output" == *".gitleaks.toml:1:"* ]]
	# too big, and absent
	head -c 1100000 /dev/zero | tr '\0' '#' > "$W/big.yaml"
	run "$SHIPSHAPE" image --no-cache --secret-config "$W/big.yaml" "$W/image.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"big.yaml"* ]]
	run "$SHIPSHAPE" image --no-cache --secret-config "$W/none.yaml" "$W/image.tar"
	[ "$status" -eq 3 ]
	[[ "$output" == *"none.yaml"* ]]
}

@test "secret-config: a regex that backtracks without end does not hang the scan" {
	head -c 300000 /dev/zero | tr '\0' 'a' > "$W/root/app/many-a.txt"
	printf '!\n' >> "$W/root/app/many-a.txt"
	tar -C "$W/root" --owner=0 --group=0 -cf "$W/layer.tar" app
	local diff
	diff="sha256:$(sha256sum "$W/layer.tar" | cut -d' ' -f1)"
	jq -n --arg d "$diff" '{architecture:"amd64",os:"linux",rootfs:{type:"layers",diff_ids:[$d]}}' > "$W/config.json"
	tar -C "$W" -cf "$W/image.tar" manifest.json config.json layer.tar
	printf 'rules:\n  - id: redos\n    regex: (a|aa)+$\n  - id: redos2\n    regex: (a+)+!b\n' > "$W/cwd/trivy-secret.yaml"
	run secrets
	[ "$status" -eq 0 ]
	[ "$output" = "critical AWS access key ID in /app/aws.txt (line 1), added in layer 1" ]
}
