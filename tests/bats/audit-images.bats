#!/usr/bin/env bats
# shipshape audit --images against Debian's docker-registry on a loopback port
# (tests/bats/registry.bash): what a compose service or a Kubernetes container leaves unset
# (the user, the health check) is judged by its image's config, read from the registry, and
# the finding says so; an image the registry does not have is said on stderr, not guessed.

bats_require_minimum_version 1.5.0

load helpers
load registry

setup_file() {
	harness_missing >/dev/null && return 0
	local d=$BATS_FILE_TMPDIR
	test_image "$d/oci" user # runs as 1000:1000, no HEALTHCHECK
	umoci --log error new --image "$d/oci:root" # no user: root
	umoci --log error config --image "$d/oci:root" --config.cmd /bin/true
	registry_start "$d/anon" anon
	export A=$REG_ADDR
	registry_push "oci:$d/oci:user" test/user:1
	registry_push "oci:$d/oci:root" test/root:1
	# umoci cannot write a HEALTHCHECK: a docker-save archive made by hand, copied by skopeo
	local h="$d/checked"
	mkdir -p "$h/src"
	echo ok > "$h/src/ok"
	tar -C "$h/src" -cf "$h/layer.tar" ok
	jq -n --arg d "sha256:$(sha256sum "$h/layer.tar" | cut -d' ' -f1)" '{architecture: "amd64", os: "linux",
		config: {User: "10001", Healthcheck: {Test: ["CMD", "/ok"]}}, rootfs: {type: "layers", diff_ids: [$d]}}' > "$h/config.json"
	jq -n '[{Config: "config.json", RepoTags: ["test/checked:1"], Layers: ["layer.tar"]}]' > "$h/manifest.json"
	tar -C "$h" -cf "$d/checked.tar" manifest.json config.json layer.tar
	registry_push "docker-archive:$d/checked.tar" test/checked:1
}

teardown_file() {
	harness_stop "$BATS_FILE_TMPDIR"
}

setup() {
	harness_need
	unset REGISTRY_AUTH_FILE
	export DOCKER_CONFIG=$BATS_TEST_TMPDIR/no-docker-config XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/no-runtime-dir
	cd "$BATS_TEST_TMPDIR"
}

@test "audit --images: a service's user and health check come from its image, and the finding says so" {
	cat > compose.yaml <<-EOF
	services:
	  asuser:
	    image: $A/test/user:1
	  asroot:
	    image: $A/test/root:1
	    healthcheck:
	      test: ["CMD", "/bin/true"]
	  own:
	    image: $A/test/root:1
	    user: "10001"
	  checked:
	    image: $A/test/checked:1
	  missing:
	    image: $A/test/missing:1
	EOF
	# without --images the image decides, and nothing is known of it
	run "$SHIPSHAPE" audit -f json --fail-on none compose.yaml
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP4004" or .rule_id == "SHP4038")] == []'
	run "$SHIPSHAPE" audit --images -f json --fail-on none compose.yaml
	[ "$status" -eq 0 ]
	[[ "$output" == *"--images: docker://$A/test/missing:1: "*"the workloads that run it are judged without it"* ]]
	echo "$output" | sed '/^shipshape: /d' | jq -r '.findings[] | select(.rule_id == "SHP4004" or .rule_id == "SHP4038")
		| "\(.location.line) \(.rule_id) \(.severity) \(.message) [\(.evidence)]"' > got
	cat got
	diff -u - got <<-EOF
	3 SHP4038 info service asuser: has no health check: neither the service nor its image defines one (from the image) [$A/test/user:1]
	5 SHP4004 high service asroot: runs as root: it sets no user, and its image's is none, which is root (from the image) [image USER: (none)]
	9 SHP4038 info service own: has no health check: neither the service nor its image defines one (from the image) [$A/test/root:1]
	EOF
	# a health check turned off is known without --images
	printf 'services:\n  a:\n    image: n:1\n    healthcheck: {disable: true}\n' > off.yaml
	run "$SHIPSHAPE" audit -f json --fail-on none off.yaml
	echo "$output" | jq -e '[.findings[] | select(.rule_id == "SHP4038") | .location.line] == [4]'
}

@test "audit --images: a Kubernetes container without runAsUser is judged by its image's USER" {
	cat > pods.yaml <<-EOF
	apiVersion: v1
	kind: Pod
	metadata:
	  name: p
	spec:
	  containers:
	    - name: asuser
	      image: $A/test/user:1
	    - name: asroot
	      image: $A/test/root:1
	EOF
	run "$SHIPSHAPE" audit -f json --fail-on none pods.yaml
	[ "$(echo "$output" | jq -r '[.findings[] | select(.rule_id == "SHP4004") | "\(.severity) \(.message)"] | join("; ")')" = "medium Pod/p container asuser: may run as root: neither runAsNonRoot: true nor a non-zero runAsUser; medium Pod/p container asroot: may run as root: neither runAsNonRoot: true nor a non-zero runAsUser" ]
	run "$SHIPSHAPE" audit --images -f json --fail-on none pods.yaml
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '[.findings[] | select(.rule_id == "SHP4004") | "\(.severity) \(.message)"] | join("; ")')" = "high Pod/p container asroot: runs as root: it sets no user, and its image's is none, which is root (from the image)" ]
}
