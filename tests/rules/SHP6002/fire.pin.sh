# pinned to the digest of case/img:v1, then another image is pushed to the same tag
registry_start "$BATS_TEST_TMPDIR/reg" anon
test_image "$BATS_TEST_TMPDIR/oci" v1
test_image "$BATS_TEST_TMPDIR/oci" v2
registry_push "oci:$BATS_TEST_TMPDIR/oci:v1" case/img:v1
d=sha256:$(skopeo inspect --raw --tls-verify=false "docker://$REG_ADDR/case/img:v1" | sha256sum | cut -d' ' -f1)
printf 'FROM %s/case/img:v1@%s\n' "$REG_ADDR" "$d" > Dockerfile
registry_push "oci:$BATS_TEST_TMPDIR/oci:v2" case/img:v1
