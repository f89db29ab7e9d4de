#!/usr/bin/env bats
# shipshape audit: compose files and Kubernetes manifests. Hardened workloads give nothing;
# compose's anchors, merge keys, extends (also from another file) and ${VAR:-default} (with .env); Kubernetes' pod and
# container securityContext merged, init and ephemeral containers, Lists, CronJobs, several
# documents; bad YAML, billion laughs, files that are neither.

load helpers

A="$ROOT/tests/audit"
findings() { jq -r '.findings[] | "\(.location.line) \(.rule_id) \(.message)"'; }

@test "audit: a hardened compose service and a hardened Deployment give no finding" {
	run "$SHIPSHAPE" audit -f json "$A/hardened-compose.yaml" "$A/hardened-k8s.yaml"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.findings == [] and .summary.files == 2 and .command == "audit"'
}

@test "audit DIR: compose files and manifests found recursively; other YAML and JSON passed over; templates named and skipped; a broken file that may be ours is exit 3" {
	local d="$BATS_TEST_TMPDIR/repo"
	mkdir -p "$d/deploy/prod" "$d/chart/templates" "$d/.github/workflows" "$d/node_modules/x" "$d/app"
	cp "$A/hardened-compose.yaml" "$d/docker-compose.yml"
	cp "$ROOT/tests/rules/SHP4011/fire.yaml" "$d/deploy/prod/app.YAML"
	cp "$A/inspect-privileged.json" "$d/deploy/inspect.json"
	cp "$ROOT/tests/rules/SHP4011/fire.yaml" "$d/node_modules/x/compose.yaml" # dependency trees are not searched
	cp "$ROOT/tests/rules/SHP4011/fire.yaml" "$d/app/compose.yaml.txt"         # nor other extensions
	printf 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n' > "$d/.github/workflows/ci.yml"
	echo '{"name": "app", "version": "1.0.0"}' > "$d/app/package.json"
	printf 'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - image: "{{ .Values.image }}"\n' > "$d/chart/templates/dep.yaml"
	# neither names a key of ours (services, kind, HostConfig): passed over without a word
	printf '{"Action":"run"}\n{"Action":"pass"}\n' > "$d/app/events.json"
	printf -- '- name: start\n  command: "run {{ item }}"\n' > "$d/app/tasks.yml"
	run "$SHIPSHAPE" audit -f json --fail-on none -o "$BATS_TEST_TMPDIR/r.json" "$d"
	[ "$status" -eq 0 ]
	local stderr=$output
	output=$(cat "$BATS_TEST_TMPDIR/r.json")
	[ "$(echo "$output" | jq -r '[.findings[].location.file] | unique | join(" ")')" = "$d/deploy/inspect.json $d/deploy/prod/app.YAML" ]
	echo "$output" | jq -e '.summary.files == 3'
	[[ "$stderr" == *"$d/chart/templates/dep.yaml: a template"*"(skipped)"* ]]
	[ "$(echo "$stderr" | wc -l)" -eq 1 ]
	# a broken file that may be ours is not passed over: the directory is not reported clean
	# unread (exit 3, the file and place named), as when it is named on the command line
	printf 'services: [a\n' > "$d/deploy/broken.yaml"
	run "$SHIPSHAPE" audit -f json --fail-on none -o "$BATS_TEST_TMPDIR/r2.json" "$d"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$d/deploy/broken.yaml:2:1: "* ]]
	[[ "$output" != *"(skipped)"*"(skipped)"* ]]
	run "$SHIPSHAPE" audit "$d/deploy/broken.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$d/deploy/broken.yaml:2:1: "* ]]
	rm "$d/deploy/broken.yaml"
	# nor is one that cannot be read (here: over the size limit, which would hide anything)
	truncate -s 65M "$d/deploy/huge.yaml"
	run timeout 120 "$SHIPSHAPE" audit "$d"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$d/deploy/huge.yaml"*"64 MiB"* ]]
	rm "$d/deploy/huge.yaml"
	# the findings gate the exit code as for files
	run "$SHIPSHAPE" audit "$d"
	[ "$status" -eq 1 ]
	mkdir -p "$BATS_TEST_TMPDIR/empty"
	run "$SHIPSHAPE" audit "$BATS_TEST_TMPDIR/empty"
	[ "$status" -eq 0 ]
	[[ "$output" == *"empty: no compose file, Kubernetes workload or docker inspect output found"* ]]
}

@test "audit: compose anchors, merge keys, extends and variables from .env" {
	local d="$BATS_TEST_TMPDIR/c"
	mkdir -p "$d"
	printf 'TAG=1.2\nSOCK=/var/run/docker.sock\n' > "$d/.env"
	cat > "$d/compose.yaml" <<-'EOF'
	x-base: &base
	  security_opt: ["seccomp:unconfined"]
	  cap_drop: [ALL]
	services:
	  web:
	    <<: *base
	    image: "nginx:${TAG:-latest}"
	    volumes: ["${SOCK}:/var/run/docker.sock"]
	    profiles: [debug]
	  worker:
	    extends: web
	    image: "worker:${MISSING:-latest}"
	    user: "0:0"
	EOF
	run "$SHIPSHAPE" audit -f json --fail-on none "$d/compose.yaml"
	[ "$status" -eq 0 ]
	echo "$output" | findings > "$BATS_TEST_TMPDIR/f"
	cat "$BATS_TEST_TMPDIR/f"
	# the merged security_opt and the interpolated socket, for both (worker extends web)
	grep -q '^2 SHP4018 service web' "$BATS_TEST_TMPDIR/f"
	grep -q '^2 SHP4018 service worker' "$BATS_TEST_TMPDIR/f"
	grep -q '^8 SHP4011 service web: mounts the container engine.s socket /var/run/docker.sock' "$BATS_TEST_TMPDIR/f"
	grep -q '^8 SHP4011 service worker' "$BATS_TEST_TMPDIR/f"
	# ${TAG:-latest} is 1.2 from .env; ${MISSING:-latest} falls back to latest
	refute grep -q 'SHP4022 service web' "$BATS_TEST_TMPDIR/f"
	grep -q '^12 SHP4022 service worker: image worker:latest' "$BATS_TEST_TMPDIR/f"
	grep -q '^13 SHP4004 service worker: runs as root' "$BATS_TEST_TMPDIR/f"
	# cap_drop came through the merge key: no SHP4003
	refute grep -q SHP4003 "$BATS_TEST_TMPDIR/f"
}

@test "audit: compose extends from another file: sequences add up, mounts and variables override, reported at the extends" {
	local d="$BATS_TEST_TMPDIR/x"
	mkdir -p "$d/sub"
	cat > "$d/sub/common.yml" <<-'EOF'
	services:
	  base:
	    image: "app:1.0"
	    cap_add: [SYS_ADMIN]
	    volumes:
	      - /var/run/docker.sock:/var/run/docker.sock
	      - /etc:/host-etc
	    environment:
	      DB_PASSWORD: hunter2hunter2
	      API_TOKEN: ghp_abcdefghijklmnopqrstuvwxyz0123456789
	  mid:
	    extends: base
	    user: "0"
	EOF
	cat > "$d/compose.yaml" <<-'EOF'
	services:
	  web:
	    image: web:1.2
	    extends:
	      file: sub/common.yml
	      service: mid
	    cap_add: [NET_RAW]
	    volumes:
	      - ./data:/host-etc
	    environment:
	      - API_TOKEN
	EOF
	run "$SHIPSHAPE" audit -f json --fail-on none "$d/compose.yaml"
	[ "$status" -eq 0 ]
	echo "$output" | findings > "$BATS_TEST_TMPDIR/f"
	cat "$BATS_TEST_TMPDIR/f"
	# the base's socket mount and password come through, at the extends line (4)
	grep -q '^4 SHP4011 service web: mounts the container engine.s socket' "$BATS_TEST_TMPDIR/f"
	grep -q '^4 SHP4023 service web: DB_PASSWORD' "$BATS_TEST_TMPDIR/f"
	grep -q '^4 SHP4004 service web: runs as root' "$BATS_TEST_TMPDIR/f"
	# cap_add adds up: the base's SYS_ADMIN and the service's own NET_RAW (line 7)
	grep -q '^4 SHP4002 service web: adds capability SYS_ADMIN' "$BATS_TEST_TMPDIR/f"
	grep -q '^7 SHP4002 service web: adds capability NET_RAW' "$BATS_TEST_TMPDIR/f"
	# ./data replaces /etc on /host-etc; API_TOKEN is inherited, not a literal any more
	refute grep -q 'SHP4012' "$BATS_TEST_TMPDIR/f"
	refute grep -q 'API_TOKEN' "$BATS_TEST_TMPDIR/f"
	# the image is the service's own
	refute grep -q 'app:1.0' "$BATS_TEST_TMPDIR/f"
}

@test "audit: compose's !reset and !override tags drop or replace what extends brings" {
	local d="$BATS_TEST_TMPDIR/r"
	mkdir -p "$d"
	cat > "$d/compose.yaml" <<-'EOF'
	services:
	  base:
	    image: app:1.0
	    user: "0"
	    cap_add: [SYS_ADMIN]
	    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]
	    security_opt: ["seccomp:unconfined"]
	  web:
	    extends: base
	    user: !reset null
	    cap_add: !reset []
	    volumes: !override ["./data:/data"]
	    security_opt: ["no-new-privileges:true"]
	EOF
	run "$SHIPSHAPE" audit -f json --fail-on none "$d/compose.yaml"
	[ "$status" -eq 0 ]
	echo "$output" | findings | grep 'service web' > "$BATS_TEST_TMPDIR/f" || true
	cat "$BATS_TEST_TMPDIR/f"
	refute grep -q 'SHP4002' "$BATS_TEST_TMPDIR/f"
	refute grep -q 'SHP4011' "$BATS_TEST_TMPDIR/f"
	# user reset to the image's default: the rule says so at the service, not at line 4
	refute grep -q '^4 SHP4004' "$BATS_TEST_TMPDIR/f"
	# security_opt has no tag: the base's seccomp:unconfined still adds up
	grep -q '^7 SHP4018 service web' "$BATS_TEST_TMPDIR/f"
	# and the base itself keeps all of it
	echo "$output" | findings | grep -q '^6 SHP4011 service base'
}

@test "audit: compose extends that cannot be followed: a missing file or service, a cycle, a FIFO (exit 3, named)" {
	local d="$BATS_TEST_TMPDIR/y"
	mkdir -p "$d"
	printf 'services:\n  base:\n    image: a:1\n' > "$d/common.yml"
	printf 'services:\n  a:\n    extends: {file: nope.yml, service: x}\n' > "$d/nofile.yaml"
	run "$SHIPSHAPE" audit "$d/nofile.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"nofile.yaml:3: extends file "*"nope.yml: No such file or directory"* ]]
	printf 'services:\n  a:\n    extends: {file: common.yml, service: web}\n' > "$d/nosvc.yaml"
	run "$SHIPSHAPE" audit "$d/nosvc.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"nosvc.yaml:3: extends service web, which "*"common.yml does not define"* ]]
	printf 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n' > "$d/loop.yaml"
	run "$SHIPSHAPE" audit "$d/loop.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"loop.yaml:"*"extends more than 8 services deep (a cycle?)"* ]]
	# a FIFO is not waited on, as an extended file or as the .env
	mkfifo "$d/fifo.yml" "$d/.env"
	printf 'services:\n  a:\n    extends: {file: fifo.yml, service: x}\n' > "$d/fifo.yaml"
	run timeout 10 "$SHIPSHAPE" audit "$d/fifo.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"fifo.yaml:3: extends file "*"fifo.yml: not a regular file"* ]]
	printf 'services:\n  a:\n    extends: {file: bad.yml, service: x}\n' > "$d/badfile.yaml"
	printf 'services:\n  x: [unclosed\n' > "$d/bad.yml"
	run "$SHIPSHAPE" audit "$d/badfile.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"badfile.yaml:3: extends: "*"bad.yml:3:1: "* ]]
}

@test "audit: Kubernetes pod and container securityContext merge; every container kind; Lists and CronJobs" {
	local f="$BATS_TEST_TMPDIR/k.yaml"
	cat > "$f" <<-'EOF'
	apiVersion: v1
	kind: List
	items:
	  - apiVersion: v1
	    kind: Pod
	    metadata:
	      name: debug
	      annotations:
	        container.apparmor.security.beta.kubernetes.io/shell: unconfined
	    spec:
	      hostPID: true
	      securityContext:
	        runAsUser: 0
	      initContainers:
	        - name: init
	          image: busybox:1.36
	          securityContext:
	            runAsUser: 1000
	            privileged: true
	      containers:
	        - name: shell
	          image: ubuntu
	          volumeMounts:
	            - {name: host, mountPath: /host, mountPropagation: Bidirectional}
	            - {name: sock, mountPath: /run/containerd/containerd.sock}
	      ephemeralContainers:
	        - name: dbg
	          image: busybox:1.36
	          securityContext:
	            capabilities: {add: [SYS_PTRACE]}
	      volumes:
	        - name: host
	          hostPath: {path: /, type: Directory}
	        - name: sock
	          hostPath: {path: /run/containerd/containerd.sock, type: Socket}
	---
	apiVersion: batch/v1
	kind: CronJob
	metadata: {name: nightly}
	spec:
	  schedule: "0 3 * * *"
	  jobTemplate:
	    spec:
	      template:
	        spec:
	          hostNetwork: true
	          containers:
	            - name: job
	              image: registry.example.com/job:2.0
	              ports: [{containerPort: 80, hostPort: 80}]
	              env:
	                - {name: AWS_SECRET_ACCESS_KEY, value: "Zx9Lq2Wm8Rt5Vb7Nc3Yd6Hs1Jw4Pa0Ue2GkT8fQ3"}
	EOF
	run "$SHIPSHAPE" audit -f json --fail-on none "$f"
	[ "$status" -eq 0 ]
	echo "$output" | findings > "$BATS_TEST_TMPDIR/f"
	cat "$BATS_TEST_TMPDIR/f"
	# the pod's runAsUser 0 applies to shell and dbg; init's own 1000 wins for init
	grep -q '^13 SHP4004 Pod/debug container shell: runs as root' "$BATS_TEST_TMPDIR/f"
	grep -q 'SHP4004 Pod/debug container dbg' "$BATS_TEST_TMPDIR/f"
	refute grep -q 'SHP4004 Pod/debug container init' "$BATS_TEST_TMPDIR/f"
	grep -q '^19 SHP4001 Pod/debug container init' "$BATS_TEST_TMPDIR/f"
	grep -q 'SHP4006 Pod/debug container shell: shares the host.s PID namespace' "$BATS_TEST_TMPDIR/f"
	grep -q '^9 SHP4019 Pod/debug container shell' "$BATS_TEST_TMPDIR/f"
	grep -q "SHP4012 Pod/debug container shell: mounts the host's / writable" "$BATS_TEST_TMPDIR/f"
	grep -q 'SHP4020 Pod/debug container shell' "$BATS_TEST_TMPDIR/f"
	grep -q 'SHP4011 Pod/debug container shell: mounts the container engine.s socket /run/containerd/containerd.sock' "$BATS_TEST_TMPDIR/f"
	grep -q 'SHP4002 Pod/debug container dbg: adds capability SYS_PTRACE' "$BATS_TEST_TMPDIR/f"
	grep -q 'SHP4022 Pod/debug container shell: image ubuntu has no tag' "$BATS_TEST_TMPDIR/f"
	grep -q 'SHP4008 CronJob/nightly container job' "$BATS_TEST_TMPDIR/f"
	grep -q 'SHP4021 CronJob/nightly container job: publishes privileged host port 80' "$BATS_TEST_TMPDIR/f"
	grep -q 'SHP4023 CronJob/nightly container job: AWS_SECRET_ACCESS_KEY' "$BATS_TEST_TMPDIR/f"
	# evidence is redacted
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP4023") | .evidence] == ["AWS_SECRET_ACCESS_KEY=Zx9L****"]'
}

@test "audit: JSON manifests (kubectl get -o json) are read too" {
	"$SHIPSHAPE" audit -f json "$A/hardened-k8s.yaml" >/dev/null
	cat > "$BATS_TEST_TMPDIR/p.json" <<-'EOF'
	{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
	 "spec": {"containers": [{"name": "c", "image": "x:1", "securityContext": {"privileged": true}}]}}
	EOF
	run "$SHIPSHAPE" audit -f json --fail-on none "$BATS_TEST_TMPDIR/p.json"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP4001") | .location.line] == [2]'
}

@test "audit: bad input: broken YAML with its place, billion laughs, neither kind, SARIF" {
	printf 'services:\n  web:\n    image: [unclosed\n' > "$BATS_TEST_TMPDIR/bad.yaml"
	run "$SHIPSHAPE" audit "$BATS_TEST_TMPDIR/bad.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"bad.yaml:4:1: "* ]]
	# nine levels of ten aliases: a billion strings if expanded; aliases are not expanded
	{
		echo 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'
		for i in 1 2 3 4 5 6 7 8 9; do
			echo "a$i: &a$i [*a$((i - 1)), *a$((i - 1)), *a$((i - 1)), *a$((i - 1)), *a$((i - 1)), *a$((i - 1)), *a$((i - 1)), *a$((i - 1)), *a$((i - 1)), *a$((i - 1))]"
		done
		echo 'services:'
		echo '  lol:'
		echo '    image: x:1'
		echo '    environment: *a9'
		echo '    volumes: *a9'
		echo '    <<: {cap_add: *a9}'
	} > "$BATS_TEST_TMPDIR/lol.yaml"
	timeout 120 /usr/bin/time -f '%M %e' -o "$BATS_TEST_TMPDIR/t" "$SHIPSHAPE" audit --fail-on none "$BATS_TEST_TMPDIR/lol.yaml" >/dev/null
	cat "$BATS_TEST_TMPDIR/t"
	[ "$(cut -d' ' -f1 "$BATS_TEST_TMPDIR/t")" -lt 204800 ]
	# one docker run of 300,000 continued lines: linear time, memory a small multiple of its size
	{ echo 'docker run \\'; seq 300000 | sed 's/.*/-e A&=1 \\/'; echo 'nginx:1'; } > "$BATS_TEST_TMPDIR/long.sh"
	timeout 120 /usr/bin/time -f '%M %e' -o "$BATS_TEST_TMPDIR/t" "$SHIPSHAPE" audit -f json --fail-on none "$BATS_TEST_TMPDIR/long.sh" > "$BATS_TEST_TMPDIR/long.json"
	cat "$BATS_TEST_TMPDIR/t"
	jq -e '[.findings[] | select(.rule_id == "SHP4015")][0].location == {file: "'"$BATS_TEST_TMPDIR/long.sh"'", line: 1, column: 1}' "$BATS_TEST_TMPDIR/long.json"
	local limit=$((100 * 1024))
	[ "${SHIPSHAPE_BUILD_KIND:-normal}" != asan ] || limit=$((200 * 1024))
	[ "$(cut -d' ' -f1 "$BATS_TEST_TMPDIR/t")" -lt "$limit" ]
	# more documents than the limit, and a file over the size limit: exit 3, named
	yes -- '--- {}' | head -n 10001 > "$BATS_TEST_TMPDIR/many.yaml"
	run timeout 120 "$SHIPSHAPE" audit "$BATS_TEST_TMPDIR/many.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"many.yaml: more than 10000 documents"* ]]
	truncate -s 65M "$BATS_TEST_TMPDIR/huge.yaml"
	run timeout 120 "$SHIPSHAPE" audit "$BATS_TEST_TMPDIR/huge.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"huge.yaml: larger than the 64 MiB limit"* ]]
	# empty volume entries (found by fuzzing: a null dereference)
	printf 'services:\n  a:\n    image: a:1\n    volumes:\n      - ""\n      - ":"\n      -\n' > "$BATS_TEST_TMPDIR/empty.yaml"
	run "$SHIPSHAPE" audit --fail-on high "$BATS_TEST_TMPDIR/empty.yaml"
	[ "$status" -eq 0 ]
	echo 'just: a map' > "$BATS_TEST_TMPDIR/other.yaml"
	run "$SHIPSHAPE" audit "$BATS_TEST_TMPDIR/other.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"other.yaml: not a compose file (services:), a Kubernetes workload (kind:), docker inspect output or docker run lines"* ]]
	run "$SHIPSHAPE" audit "$BATS_TEST_TMPDIR/missing.yaml"
	[ "$status" -eq 3 ]
	run "$SHIPSHAPE" audit
	[ "$status" -eq 2 ]
	"$SHIPSHAPE" audit -f sarif --fail-on none "$ROOT/tests/rules/SHP4011/fire.yaml" > "$BATS_TEST_TMPDIR/a.sarif.json"
	jq -e '.runs[0].results[0].ruleId == "SHP4011" and .runs[0].results[0].locations[0].physicalLocation.region == {startLine: 16, startColumn: 9}' \
		"$BATS_TEST_TMPDIR/a.sarif.json"
}

@test "audit: docker inspect output: each setting found at its line; a hardened container gives nothing" {
	run "$SHIPSHAPE" audit -f json --fail-on none "$A/inspect-privileged.json"
	[ "$status" -eq 0 ]
	echo "$output" | findings | cut -d' ' -f1,2 > "$BATS_TEST_TMPDIR/f"
	for want in "10 SHP4019" "13 SHP4008" "14 SHP4021" "15 SHP4002" "18 SHP4006" "21 SHP4018" "28 SHP4013" \
		"31 SHP4011" "32 SHP4012" "37 SHP4023" "38 SHP4022" "24 SHP4015" "27 SHP4017"; do
		grep -qx "$want" "$BATS_TEST_TMPDIR/f" || { echo "missing: $want"; cat "$BATS_TEST_TMPDIR/f"; false; }
	done
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP4023")][0].evidence == "STRIPE_KEY=sk_l****"'
	run "$SHIPSHAPE" audit -f json "$A/inspect-hardened.json" "$A/hardened-compose.yaml"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.findings == []'
}

@test "audit: docker inspect JSON is read as JSON: a label key over YAML's 1024 characters hides nothing; broken JSON is exit 3 at its place" {
	local key
	key=$(printf 'L%.0s' $(seq 2000))
	mkdir -p "$BATS_TEST_TMPDIR/dir"
	# a privileged container with / mounted, and a label whose key libyaml cannot read
	printf '[{"Name": "/evil", "Config": {"Image": "alpine:3", "Env": [], "Labels": {"%s": "x"}},\n  "HostConfig": {"Binds": null, "CapAdd": [], "Privileged": true},\n  "Mounts": [{"Type": "bind", "Source": "/", "Destination": "/host", "RW": true}]}]\n' \
		"$key" > "$BATS_TEST_TMPDIR/dir/inspect.json"
	for input in "$BATS_TEST_TMPDIR/dir/inspect.json" "$BATS_TEST_TMPDIR/dir"; do
		run "$SHIPSHAPE" audit -f json "$input"
		[ "$status" -eq 1 ]
		echo "$output" | findings | cut -d' ' -f1,2 > "$BATS_TEST_TMPDIR/f"
		grep -qx '2 SHP4001' "$BATS_TEST_TMPDIR/f"
		grep -qx '3 SHP4012' "$BATS_TEST_TMPDIR/f"
		echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP4001")][0].location.column == 61'
	done
	# JSON that is neither valid JSON nor YAML: the JSON parser's place, on the command line and
	# found in a directory (not passed over)
	printf '{"HostConfig": {"Privileged": true,\n "Binds": [,]}, "Config": {}}\n' > "$BATS_TEST_TMPDIR/dir/inspect.json"
	for input in "$BATS_TEST_TMPDIR/dir/inspect.json" "$BATS_TEST_TMPDIR/dir"; do
		run "$SHIPSHAPE" audit "$input"
		[ "$status" -eq 3 ]
		[[ "$output" == *"dir/inspect.json:2:12: not valid JSON"* ]]
	done
}

@test "audit: merge keys are resolved once per mapping: chains of merges cost their size, with the right findings" {
	local limit=$((200 * 1024)) lv
	# ten levels, each merging the level below eight times (8^10 paths when looked through on
	# every lookup); a compose service and a Kubernetes pod merging the top four times
	{
		echo 'x-l0: &l0 {privileged: true, cap_add: [SYS_ADMIN], pids_limit: 100}'
		for i in $(seq 10); do
			lv="*l$((i - 1))"
			echo "x-l$i: &l$i {<<: [$lv, $lv, $lv, $lv, $lv, $lv, $lv, $lv], k$i: v}"
		done
	} > "$BATS_TEST_TMPDIR/levels.yaml"
	{
		cat "$BATS_TEST_TMPDIR/levels.yaml"
		printf 'services:\n  web:\n    image: nginx:1.25\n    <<: [*l10, *l10, *l10, *l10]\n    pids_limit: 0\n'
	} > "$BATS_TEST_TMPDIR/compose.yaml"
	{
		sed 's/privileged: true, cap_add: \[SYS_ADMIN\], pids_limit: 100/privileged: true, runAsUser: 0/' "$BATS_TEST_TMPDIR/levels.yaml"
		printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n'
		printf '    securityContext: {<<: [*l10, *l10, *l10, *l10]}\n'
	} > "$BATS_TEST_TMPDIR/pod.yaml"
	for f in compose pod; do
		timeout 120 /usr/bin/time -f '%M %e %U %S' -o "$BATS_TEST_TMPDIR/t" "$SHIPSHAPE" audit -f json --fail-on none \
			"$BATS_TEST_TMPDIR/$f.yaml" > "$BATS_TEST_TMPDIR/$f.json"
		cat "$BATS_TEST_TMPDIR/t"
		tail -n1 "$BATS_TEST_TMPDIR/t" | awk '{ exit !($1 < '"$limit"' && $3 + $4 < 5) }'
		findings < "$BATS_TEST_TMPDIR/$f.json" | cut -d' ' -f1,2 > "$BATS_TEST_TMPDIR/f"
		cat "$BATS_TEST_TMPDIR/f"
		grep -qx '1 SHP4001' "$BATS_TEST_TMPDIR/f"
	done
	# the service's own pids_limit overrides the merged one; the merged capability is there
	grep -qx '1 SHP4002' <(findings < "$BATS_TEST_TMPDIR/compose.json" | cut -d' ' -f1,2)
	grep -qx '16 SHP4017' <(findings < "$BATS_TEST_TMPDIR/compose.json" | cut -d' ' -f1,2)
	grep -qx '1 SHP4004' <(findings < "$BATS_TEST_TMPDIR/pod.json" | cut -d' ' -f1,2)
	# a mapping merged into itself adds nothing more (a cycle), and the pairs merges copy are
	# bounded: one mapping of 2000 keys merged into 600 others is exit 3, named
	printf 'x: &a {privileged: true, <<: *a}\nservices:\n  w: {<<: *a, image: n:1}\n' > "$BATS_TEST_TMPDIR/cycle.yaml"
	run timeout 120 "$SHIPSHAPE" audit -f json --fail-on none "$BATS_TEST_TMPDIR/cycle.yaml"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP4001")] | length == 1'
	{
		printf 'x-big: &big {'
		seq -f 'k%g: v,' 2000 | tr '\n' ' '
		printf '}\nx-m:\n'
		seq -f '  m%g: {<<: *big}' 600
		printf 'services:\n  w: {image: n:1}\n'
	} > "$BATS_TEST_TMPDIR/budget.yaml"
	run timeout 120 "$SHIPSHAPE" audit "$BATS_TEST_TMPDIR/budget.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"budget.yaml:503:9: merge keys (<<) copy more than 1000000 pairs"* ]]
}

@test "audit: nesting and nodes are bounded before libyaml reads them: deep JSON and YAML, too many nodes (exit 3, named, fast)" {
	local limit=$((200 * 1024))
	# a JSON array a million deep, a YAML flow sequence and a block sequence 100,000 deep
	{ head -c 1000000 /dev/zero | tr '\0' '['; head -c 1000000 /dev/zero | tr '\0' ']'; } > "$BATS_TEST_TMPDIR/deep.json"
	{ printf 'services: '; head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; } > "$BATS_TEST_TMPDIR/deep.yaml"
	{ printf 'services:\n  '; head -c 200000 /dev/zero | sed 's/\x0\x0/- /g'; echo x; } > "$BATS_TEST_TMPDIR/block.yaml"
	for f in deep.json:1:129 deep.yaml:1:138 block.yaml:2:257; do
		timeout 120 /usr/bin/time -f '%M %e %U %S' -o "$BATS_TEST_TMPDIR/t" "$SHIPSHAPE" audit "$BATS_TEST_TMPDIR/${f%%:*}" 2> "$BATS_TEST_TMPDIR/err" &&
			false || [ $? -eq 3 ]
		cat "$BATS_TEST_TMPDIR/t" "$BATS_TEST_TMPDIR/err"
		grep -q "$f: nesting deeper than 128" "$BATS_TEST_TMPDIR/err"
		tail -n1 "$BATS_TEST_TMPDIR/t" | awk '{ exit !($1 < '"$limit"' && $3 + $4 < 5) }'
	done
	# 128 deep is read
	{ printf '{"services": {"a": {"image": "n:1", "x": '; head -c 125 /dev/zero | tr '\0' '['; head -c 125 /dev/zero | tr '\0' ']'; echo '}}}'; } > "$BATS_TEST_TMPDIR/ok.json"
	run "$SHIPSHAPE" audit --fail-on none "$BATS_TEST_TMPDIR/ok.json"
	[ "$status" -eq 0 ]
	# a million and one nodes, in YAML and in JSON
	{ printf 'services: [a'; head -c 1000000 /dev/zero | sed 's/\x0/,a/g'; echo ']'; } > "$BATS_TEST_TMPDIR/many.yaml"
	{ printf '{"services": [0'; head -c 1000000 /dev/zero | sed 's/\x0/,0/g'; echo ']}'; } > "$BATS_TEST_TMPDIR/many.json"
	for f in many.yaml:1:2000 many.json:1:2000; do
		timeout 120 /usr/bin/time -f '%M %e %U %S' -o "$BATS_TEST_TMPDIR/t" "$SHIPSHAPE" audit "$BATS_TEST_TMPDIR/${f%%:*}" 2> "$BATS_TEST_TMPDIR/err" &&
			false || [ $? -eq 3 ]
		cat "$BATS_TEST_TMPDIR/t" "$BATS_TEST_TMPDIR/err"
		grep -q "$f[0-9]*: more than 1000000 nodes" "$BATS_TEST_TMPDIR/err"
		tail -n1 "$BATS_TEST_TMPDIR/t" | awk '{ exit !($1 < '"$limit"' && $3 + $4 < 5) }'
	done
}

@test "audit: a file a limit stopped is listed in the report's errors; the other files are still audited" {
	{ printf 'services: '; head -c 1000 /dev/zero | tr '\0' '['; head -c 1000 /dev/zero | tr '\0' ']'; } > "$BATS_TEST_TMPDIR/deep.yaml"
	local r="$BATS_TEST_TMPDIR/r.json"
	run "$SHIPSHAPE" audit -f json -o "$r" "$A/inspect-privileged.json" "$BATS_TEST_TMPDIR/deep.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"deep.yaml:1:138: nesting deeper than 128"* ]]
	jq -e --arg deep "$BATS_TEST_TMPDIR/deep.yaml" '.summary.files == 1 and .summary.errors == 1
		and .errors[0].input == $deep and (.errors[0].message | test(":1:138: nesting deeper than 128"))
		and ([.findings[].location.file] | unique) == ["'"$A"'/inspect-privileged.json"]' "$r"
	"$NPM_DIR/node_modules/.bin/ajv" validate -s "$ROOT/docs/json-schema.json" -d "$r" --strict=false
	# GitHub Actions: an error annotation on the file not read
	run "$SHIPSHAPE" audit -f github "$A/inspect-privileged.json" "$BATS_TEST_TMPDIR/deep.yaml"
	[ "$status" -eq 3 ]
	[[ "$output" == *"::error file=$BATS_TEST_TMPDIR/deep.yaml,title=input not read::$BATS_TEST_TMPDIR/deep.yaml:1:138: nesting deeper than 128"* ]]
}

@test "audit: Kubernetes seccomp: none anywhere is the kubelet's Unconfined; the legacy annotations are read; /var/run/docker is the engine" {
	cat > "$BATS_TEST_TMPDIR/pods.yaml" <<-'EOF'
	apiVersion: v1
	kind: Pod
	metadata:
	  name: legacy
	  annotations:
	    seccomp.security.alpha.kubernetes.io/pod: runtime/default
	    container.seccomp.security.alpha.kubernetes.io/b: unconfined
	spec:
	  containers:
	    - name: a
	      image: n:1
	    - name: b
	      image: n:1
	    - name: c
	      image: n:1
	      securityContext:
	        seccompProfile:
	          type: RuntimeDefault
	---
	apiVersion: v1
	kind: Pod
	metadata:
	  name: bare
	spec:
	  containers:
	    - name: x
	      image: n:1
	      volumeMounts:
	        - name: d
	          mountPath: /d
	  volumes:
	    - name: d
	      hostPath:
	        path: /var/run/docker
	EOF
	run "$SHIPSHAPE" audit -f json --fail-on none "$BATS_TEST_TMPDIR/pods.yaml"
	[ "$status" -eq 0 ]
	echo "$output" | jq -r '.findings[] | select(.rule_id == "SHP4018" or .rule_id == "SHP4011" or .rule_id == "SHP4012")
		| "\(.location.line):\(.location.column) \(.rule_id) \(.severity) \(.message)"' > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	diff -u - "$BATS_TEST_TMPDIR/got" <<-'EOF'
	7:55 SHP4018 high Pod/legacy container b: runs without a seccomp profile: every system call is open
	26:7 SHP4018 medium Pod/bare container x: sets no seccomp profile, and the kubelet's default is Unconfined: every system call is open unless the node runs with --seccomp-default
	29:11 SHP4011 critical Pod/bare container x: mounts the directory holding the container engine's socket, /var/run/docker: whoever is in the container controls the host
	EOF
}

@test "audit: a hostPath volume no container mounts is the pod's finding (low), not a container's" {
	cat > "$BATS_TEST_TMPDIR/p.yaml" <<-'EOF'
	apiVersion: v1
	kind: Pod
	metadata:
	  name: p
	spec:
	  containers:
	    - name: a
	      image: n:1
	      volumeMounts: [{name: used, mountPath: /u, readOnly: true}]
	  volumes:
	    - name: used
	      hostPath: {path: /srv/data}
	    - name: spare
	      hostPath: {path: /var/lib/spare, type: DirectoryOrCreate}
	EOF
	run "$SHIPSHAPE" audit -f json --fail-on none "$BATS_TEST_TMPDIR/p.yaml"
	[ "$status" -eq 0 ]
	echo "$output" | jq -r '.findings[] | select(.rule_id == "SHP4025") | "\(.location.line):\(.location.column) \(.severity) \(.message)"' > "$BATS_TEST_TMPDIR/got"
	diff -u - "$BATS_TEST_TMPDIR/got" <<-'EOF'
	9:22 low Pod/p container a: mounts host path /srv/data read-only
	14:17 low Pod/p: hostPath volume "spare" (/var/lib/spare, type DirectoryOrCreate) is mounted by no container, but the kubelet still sets it up on the node
	EOF
}

@test "audit --pss: every control's fail case at both levels, and the pass case quiet at both" {
	local id level got
	for level in baseline restricted; do
		run "$SHIPSHAPE" audit --pss "$level" -f json --fail-on none "$ROOT/tests/rules/SHP4101/quiet.yaml"
		[ "$status" -eq 0 ]
		echo "$output" | jq -e '.findings == []'
	done
	for d in "$ROOT"/tests/rules/SHP41??; do
		id=$(basename "$d")
		for level in baseline restricted; do
			got=$("$SHIPSHAPE" audit --pss "$level" -f json --fail-on none "$d/fire.yaml" | jq -r '[.findings[].rule_id] | unique | join(" ")')
			echo "$id at $level: $got"
			case "$id:$level" in
			SHP412?:baseline) [[ " $got " != *" $id "* ]] ;; # restricted controls: not at baseline
			SHP4104:restricted) [[ " $got " == *" SHP4126 "* && " $got " != *" SHP4104 "* ]] ;; # replaced
			SHP4110:restricted) [[ " $got " == *" SHP4125 "* && " $got " != *" SHP4110 "* ]] ;;
			*) [[ " $got " == *" $id "* ]] ;;
			esac
		done
	done
}

@test "audit --pss: each control once per pod, at its level and version; restricted replaces baseline's seccomp and capabilities" {
	cp "$ROOT/tests/rules/SHP4105/quiet.yaml" "$BATS_TEST_TMPDIR/ok.yaml"
	# a Deployment breaking baseline's Host Namespaces twice and restricted's Privilege Escalation in two containers
	cat > "$BATS_TEST_TMPDIR/web.yaml" <<-'EOF'
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: web
	spec:
	  template:
	    spec:
	      hostNetwork: true
	      hostPID: true
	      securityContext: {runAsNonRoot: true, runAsUser: 0, seccompProfile: {type: RuntimeDefault}}
	      containers:
	        - name: a
	          image: n:1
	          securityContext: {capabilities: {drop: [ALL], add: [CHOWN]}}
	        - name: b
	          image: n:1
	          securityContext: {capabilities: {drop: [ALL]}}
	EOF
	run "$SHIPSHAPE" audit --pss baseline -f json --fail-on none "$BATS_TEST_TMPDIR/ok.yaml" "$BATS_TEST_TMPDIR/web.yaml"
	[ "$status" -eq 0 ]
	echo "$output" | jq -r '.findings[] | "\(.location.line) \(.rule_id) \(.pss.level) \(.pss.control) \(.message)"' > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	# baseline allows CHOWN, runAsUser 0 and privilege escalation: one finding, both namespaces in it
	diff -u - "$BATS_TEST_TMPDIR/got" <<-'EOF'
	8 SHP4102 baseline Host Namespaces Deployment/web: Pod Security Standards, baseline: Host Namespaces: hostNetwork=true; hostPID=true
	EOF
	run "$SHIPSHAPE" audit --pss restricted -f json --fail-on none "$BATS_TEST_TMPDIR/ok.yaml" "$BATS_TEST_TMPDIR/web.yaml"
	echo "$output" | jq -r '.findings[] | "\(.location.line) \(.rule_id) \(.pss.version) \(.message)"' > "$BATS_TEST_TMPDIR/got"
	cat "$BATS_TEST_TMPDIR/got"
	diff -u - "$BATS_TEST_TMPDIR/got" <<-'EOF'
	8 SHP4102 latest Deployment/web: Pod Security Standards, baseline: Host Namespaces: hostNetwork=true; hostPID=true
	10 SHP4124 latest Deployment/web: Pod Security Standards, restricted: Running as Non-root user: pod must not set runAsUser=0
	12 SHP4122 latest Deployment/web: Pod Security Standards, restricted: Privilege Escalation: container "a" must set securityContext.allowPrivilegeEscalation=false; container "b" must set securityContext.allowPrivilegeEscalation=false
	14 SHP4126 latest Deployment/web: Pod Security Standards, restricted: Capabilities: container "a" must not include "CHOWN" in securityContext.capabilities.add
	EOF
	echo "$output" > "$BATS_TEST_TMPDIR/r.json"
	"$NPM_DIR/node_modules/.bin/ajv" validate -s "$ROOT/docs/json-schema.json" -d "$BATS_TEST_TMPDIR/r.json" --strict=false
	# before 1.23 runAsUser was not checked, before 1.22 capabilities only as baseline does
	run "$SHIPSHAPE" audit --pss restricted --pss-version v1.21 -f json --fail-on none "$BATS_TEST_TMPDIR/web.yaml"
	[ "$(echo "$output" | jq -r '[.findings[].rule_id] | join(" ")')" = "SHP4102 SHP4122" ]
	echo "$output" | jq -e 'all(.findings[]; .pss.version == "v1.21")'
	# a Windows pod passes the Linux-only restricted checks since 1.25
	sed 's/^\(      hostNetwork: true\)$/      os: {name: windows}/; /hostPID/d' "$BATS_TEST_TMPDIR/web.yaml" > "$BATS_TEST_TMPDIR/win.yaml"
	run "$SHIPSHAPE" audit --pss restricted -f json --fail-on none "$BATS_TEST_TMPDIR/win.yaml"
	[ "$(echo "$output" | jq -r '[.findings[].rule_id] | join(" ")')" = "SHP4124" ]
	# the configuration sets it too; compose services are not pods, and it says so
	printf 'pss: restricted\npss-version: v1.30\n' > "$BATS_TEST_TMPDIR/c.yaml"
	printf 'services:\n  a:\n    image: n:1\n    privileged: true\n' > "$BATS_TEST_TMPDIR/compose.yaml"
	run "$SHIPSHAPE" audit -c "$BATS_TEST_TMPDIR/c.yaml" -f json --fail-on none "$BATS_TEST_TMPDIR/compose.yaml" "$BATS_TEST_TMPDIR/web.yaml"
	[ "$status" -eq 0 ]
	[[ "$output" == *"--pss judges Kubernetes pods only: 1 compose service, container or run line not judged"* ]]
	echo "$output" | sed '/^shipshape: /d' | jq -e '[.findings[].rule_id] == ["SHP4102", "SHP4124", "SHP4122", "SHP4126"] and all(.findings[]; .pss.version == "v1.30")'
	# bad values are usage errors
	run "$SHIPSHAPE" audit --pss strict "$BATS_TEST_TMPDIR/web.yaml"
	[ "$status" -eq 2 ]
	[[ "$output" == *'--pss "strict": expected baseline, restricted or privileged'* ]]
	run "$SHIPSHAPE" audit --pss baseline --pss-version 2.0 "$BATS_TEST_TMPDIR/web.yaml"
	[ "$status" -eq 2 ]
}

@test "audit --images: an image that cannot be read is said, and more than 256 are not tried" {
	{
		echo "services:"
		for i in $(seq 257); do printf '  s%d:\n    image: 127.0.0.1:1/none/i%d:1\n' "$i" "$i"; done
	} > "$BATS_TEST_TMPDIR/many.yaml"
	run "$SHIPSHAPE" audit --images -f json --fail-on none "$BATS_TEST_TMPDIR/many.yaml"
	[ "$status" -eq 0 ]
	[[ "$output" == *"--images: docker://127.0.0.1:1/none/i1:1: cannot connect to 127.0.0.1:1"*"judged without it"* ]]
	[ "$(grep -c 'its config could not be read' <<< "$output")" -eq 256 ]
	[[ "$output" == *"--images: more than 256 images; the rest are judged without their config (SHP_AUDIT_MAX_IMAGES)"* ]]
}

@test "audit: docker run lines, from a file (continuations, sudo, comments) and from --run" {
	run "$SHIPSHAPE" audit -f json --fail-on none "$A/run-lines.sh"
	[ "$status" -eq 0 ]
	# the first command (redis) is hardened; the second (agent) starts at line 5, and each
	# finding points at its option, on the continued line where it is written
	echo "$output" | jq -e '[.findings[] | select(.message | startswith("docker run cache"))] == []'
	echo "$output" | jq -r '.findings[] | "\(.location.line):\(.location.column) \(.rule_id)"' | sort -u > "$BATS_TEST_TMPDIR/f"
	for want in "5:1 SHP4017" "5:28 SHP4006" "5:39 SHP4008" "6:3 SHP4012" "6:3 SHP4020" "7:3 SHP4012"; do
		grep -qx "$want" "$BATS_TEST_TMPDIR/f" || { echo "missing: $want"; cat "$BATS_TEST_TMPDIR/f"; false; }
	done
	run "$SHIPSHAPE" audit -f json --fail-on high --run "docker run --privileged -p 8080:80 -e API_KEY=AKIAIOSFODNN7EXAMPLE nginx:1.25"
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '[.findings[].rule_id] | index("SHP4001") != null and index("SHP4021") == null'
	run "$SHIPSHAPE" audit --run "ls -l"
	[ "$status" -eq 3 ]
	[[ "$output" == *"not a docker run or podman run command"* ]]
}

@test "audit: compose files and manifests that Debian packages ship parse and are audited (exit 0 or 1)" {
	mapfile -t files < <(find /usr/share/doc -type f \( -name 'docker-compose*.y*ml' -o -name 'compose.y*ml' \
		-o -name '*.yaml' -o -name '*.yml' \) 2>/dev/null | xargs -r grep -l -E '^(services:|kind: (Pod|Deployment|DaemonSet|StatefulSet|Job|CronJob))' 2>/dev/null)
	[ "${#files[@]}" -gt 0 ] || skip "no compose or Kubernetes samples under /usr/share/doc (make deps installs podman-compose's)"
	for f in "${files[@]}"; do
		run "$SHIPSHAPE" audit --format json "$f"
		[ "$status" -le 1 ] || { echo "$f: $output"; false; }
		echo "$output" | jq -e '.summary.files == 1' >/dev/null
	done
	echo "${#files[@]} files"
}

@test "audit: inline ignores (# shipshape ignore=, # trivy:ignore:) and Polaris' exemption annotations" {
	# compose: a trailing comment covers its line, comments alone cover the next line (above a
	# service: what is reported at the service); an expired trivy:ignore counts no more
	run "$SHIPSHAPE" audit -f json --fail-on none "$A/ignores-compose.yaml"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '[.findings[].rule_id] | join(" ")')" = "SHP4014 SHP4012" ]
	# the same file without its comments reports them all
	sed -e 's/ *# shipshape.*//' -e '/^ *#/d' "$A/ignores-compose.yaml" > "$BATS_TEST_TMPDIR/bare.yaml"
	run "$SHIPSHAPE" audit -f json --fail-on none "$BATS_TEST_TMPDIR/bare.yaml"
	[ "$(echo "$output" | jq -r '[.findings[].rule_id] | sort | join(" ")')" = "SHP4001 SHP4011 SHP4012 SHP4014 SHP4015 SHP4016 SHP4017" ]
	# --disable-ignore-pragma's setting in the configuration turns the comments off
	printf 'disable-ignore-pragma: true\n' > "$BATS_TEST_TMPDIR/c.yaml"
	run "$SHIPSHAPE" audit -f json --fail-on none -c "$BATS_TEST_TMPDIR/c.yaml" "$A/ignores-compose.yaml"
	[ "$(echo "$output" | jq '.findings | length')" -eq 7 ]
	# Kubernetes: Polaris' <check>-exempt annotations on the workload, KSV ids in comments
	run "$SHIPSHAPE" audit -f json --fail-on none "$A/ignores-k8s.yaml"
	echo "$output" | jq -e '.findings == []'
	sed -e '/polaris/d' -e '/ignore/d' "$A/ignores-k8s.yaml" > "$BATS_TEST_TMPDIR/bare-k8s.yaml"
	run "$SHIPSHAPE" audit -f json --fail-on none "$BATS_TEST_TMPDIR/bare-k8s.yaml"
	[ "$(echo "$output" | jq -r '[.findings[].rule_id] | sort | join(" ")')" = "SHP4015 SHP4016 SHP4024 SHP4025" ]
}
