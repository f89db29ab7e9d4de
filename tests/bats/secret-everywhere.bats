#!/usr/bin/env bats
# One scanner for every place a secret is written: a Dockerfile's ENV and RUN, a compose
# file's environment, an image config's Env and history, and a file in a layer are searched
# with the same rules (src/secrets/patterns.h). Before, the first four knew 20 token kinds of
# their own: a Databricks token was found in a file but not in a RUN line.

load helpers

HF=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
DAPI=dapi3f9c2a7e5b1d8f4a6c0e2b9d7f5a3c1e

@test "secret-everywhere: a Dockerfile's ENV and RUN" {
	local d="$BATS_TEST_TMPDIR"
	printf 'FROM debian:12\nENV HF=%s\nRUN curl -H "X-Key: %s" https://x.corp.internal/\n' "$HF" "$DAPI" > "$d/Dockerfile"
	run "$SHIPSHAPE" lint -f json "$d/Dockerfile"
	[ "$status" -eq 1 ]
	echo "$output" | jq -r '.findings[] | select(.rule_id | test("SHP110[12]")) |
		"\(.rule_id) \(.location.line):\(.location.column) \(.message)"' > "$d/got"
	cat > "$d/want" <<-'EOF'
	SHP1101 2:1 ENV HF holds a Hugging Face access token
	SHP1102 3:5 RUN passes a credential on the command line (Databricks API token): it stays in the layer history
	EOF
	diff "$d/want" "$d/got"
	# the secret itself is never printed
	! grep -qF "$HF" <<< "$output"
}

@test "secret-everywhere: a compose file's environment" {
	local d="$BATS_TEST_TMPDIR"
	printf 'services:\n  app:\n    image: app:1\n    environment:\n      KEY: %s\n' "$DAPI" > "$d/compose.yaml"
	run "$SHIPSHAPE" audit -f json --fail-on none "$d/compose.yaml"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP4023") |
		"\(.location.line):\(.location.column) \(.message)"] ==
		["5:12 service app: KEY is set to a literal Databricks API token in the file (use a secret)"]'
}

@test "secret-everywhere: an image config's Env and history, and a file in its layer" {
	local d="$BATS_TEST_TMPDIR/img" diff
	mkdir -p "$d/src/app"
	printf 'KEY = "%s"\n' "$HF" > "$d/src/app/settings.py"
	tar -C "$d/src" -cf "$d/layer.tar" app
	diff="sha256:$(sha256sum "$d/layer.tar" | cut -d' ' -f1)"
	jq -n --arg d "$diff" --arg env "DBX=$DAPI" --arg run "/bin/sh -c curl -H 'X-Key: $DAPI' https://x.corp.internal/" \
		'{architecture:"amd64",os:"linux",config:{User:"1",Env:[$env]},rootfs:{type:"layers",diff_ids:[$d]},
		  history:[{created_by:$run}]}' > "$d/config.json"
	jq -n '[{Config:"config.json",RepoTags:["h:1"],Layers:["layer.tar"]}]' > "$d/manifest.json"
	tar -C "$d" -cf "$BATS_TEST_TMPDIR/i.tar" manifest.json config.json layer.tar
	run "$SHIPSHAPE" image -f json --no-cache "$BATS_TEST_TMPDIR/i.tar"
	[ "$status" -eq 1 ]
	# Env's DBX says nothing of a secret: the token's form does
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP2002" or .rule_id == "SHP2003") | .message] == [
		"the config'"'"'s Env holds a secret (DBX): anyone who pulls the image can read it",
		"history step 1 holds a Databricks API token in its command: build arguments and RUN lines are kept in the image history"]'
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP2010") | .message | sub(" \\(/bin/sh.*"; "")] ==
		["Hugging Face access token in /app/settings.py (line 1), added in layer 1"]'
}
