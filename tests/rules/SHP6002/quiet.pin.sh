# pinned to the digest its tag still names
registry_start "$BATS_TEST_TMPDIR/reg" anon
test_image "$BATS_TEST_TMPDIR/oci" v1
registry_push "oci:$BATS_TEST_TMPDIR/oci:v1" case/img:v1
d=sha256:$(skopeo inspect --raw --tls-verify=false "docker://$REG_ADDR/case/img:v1" | sha256sum | cut -d' ' -f1)
printf 'services:\n  a:\n    image: %s/case/img:v1@%s\n' "$REG_ADDR" "$d" > compose.yaml
