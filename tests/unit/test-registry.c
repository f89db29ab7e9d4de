/* test-registry.c - what the registry client parses (registry/registry.h): references and
 * Docker Hub's normalisation, WWW-Authenticate challenges, Retry-After, and registries'
 * JSON errors; and the platform choice the image sources share (image/manifest.h). */
#include "image/manifest.h"
#include "registry/registry.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ref_case {
	const char *in, *host, *repo, *tag, *digest, *full;
};

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_ref_normalised(void **state)
{
	(void)state;
	static const struct ref_case cases[] = {
		{"nginx", "docker.io", "library/nginx", "latest", NULL, "docker.io/library/nginx:latest"},
		{"nginx:1.27", "docker.io", "library/nginx", "1.27", NULL, "docker.io/library/nginx:1.27"},
		{"bitnami/redis:7", "docker.io", "bitnami/redis", "7", NULL, "docker.io/bitnami/redis:7"},
		{"docker.io/nginx", "docker.io", "library/nginx", "latest", NULL, NULL},
		{"index.docker.io/library/nginx", "docker.io", "library/nginx", "latest", NULL, NULL},
		{"ghcr.io/org/app/sub:v1.2-rc_3", "ghcr.io", "org/app/sub", "v1.2-rc_3", NULL, NULL},
		{"localhost/app", "localhost", "app", "latest", NULL, NULL},
		{"localhost:5000/app:x", "localhost:5000", "app", "x", NULL, NULL},
		{"127.0.0.1:5000/probe/test:v1", "127.0.0.1:5000", "probe/test", "v1", NULL, NULL},
		{"[::1]:5000/a", "[::1]:5000", "a", "latest", NULL, NULL},
		{"Registry.Example.COM/a", "Registry.Example.COM", "a", "latest", NULL, NULL},
		{"nginx@sha256:" D64, "docker.io", "library/nginx", NULL, "sha256:" D64,
		 "docker.io/library/nginx@sha256:" D64},
		{"nginx:1.27@sha256:" D64, "docker.io", "library/nginx", "1.27", "sha256:" D64, NULL},
		{"a__b/c-d--e/f.g_h", "docker.io", "a__b/c-d--e/f.g_h", "latest", NULL, NULL},
		/* a first part without '.' or ':' is a name, not a host */
		{"myhost/app", "docker.io", "myhost/app", "latest", NULL, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct ref_case *c = &cases[i];
		printf("ref: %s\n", c->in);
		struct shp_docker_ref r;
		struct shp_error *err = NULL;
		assert_int_equal(shp_docker_ref_parse(c->in, &r, &err), 0);
		assert_string_equal(r.host, c->host);
		assert_string_equal(r.repo, c->repo);
		if (c->tag)
			assert_string_equal(r.tag, c->tag);
		else
			assert_null(r.tag);
		if (c->digest)
			assert_string_equal(r.digest, c->digest);
		else
			assert_null(r.digest);
		if (c->full) {
			char *s = shp_docker_ref_string(&r);
			assert_string_equal(s, c->full);
			free(s);
		}
		shp_docker_ref_free(&r);
	}
}

static void test_ref_api_host(void **state)
{
	(void)state;
	struct shp_docker_ref r;
	struct shp_error *err = NULL;
	assert_int_equal(shp_docker_ref_parse("alpine", &r, &err), 0);
	assert_string_equal(shp_docker_ref_api_host(&r), "registry-1.docker.io");
	shp_docker_ref_free(&r);
	assert_int_equal(shp_docker_ref_parse("quay.io/a/b", &r, &err), 0);
	assert_string_equal(shp_docker_ref_api_host(&r), "quay.io");
	shp_docker_ref_free(&r);
}

static void test_ref_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"Nginx",
		"nginx:",
		"nginx:-x",
		"nginx:.x",
		"nginx:a b",
		"a//b",
		"/a",
		"a/",
		"-a",
		"a-",
		"a..b",
		"a___b",
		"nginx@sha256:abc",
		"nginx@md5:" D64,
		"nginx@",
		"host:99999999/a",
		"ho_st.io/a",
		"-host.io/a",
		"host.io:/a",
		"[zz]:5000/a",
		"a/B",
		":tag",
		"nginx:"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		printf("malformed: \"%s\"\n", bad[i]);
		struct shp_docker_ref r;
		struct shp_error *err = NULL;
		assert_int_equal(shp_docker_ref_parse(bad[i], &r, &err), -1);
		assert_non_null(err);
		assert_int_equal(err->code, SHP_EXIT_USAGE);
		assert_non_null(strstr(err->msg, "not an image reference"));
		shp_error_free(err);
	}
}

static void test_challenge(void **state)
{
	(void)state;
	struct shp_challenge c;
	assert_int_equal(
		shp_challenge_parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
				    "scope=\"repository:library/nginx:pull\"",
				    &c),
		0);
	assert_string_equal(c.scheme, "Bearer");
	assert_string_equal(c.realm, "https://auth.docker.io/token");
	assert_string_equal(c.service, "registry.docker.io");
	assert_string_equal(c.scope, "repository:library/nginx:pull");
	shp_challenge_free(&c);
	/* spaces, unquoted values, escapes, unknown parameters, case of names */
	assert_int_equal(shp_challenge_parse("  bearer  Realm=http://127.0.0.1:1/t , error=\"insufficient_scope\", "
					     "SERVICE=\"a\\\"b\"",
					     &c),
			 0);
	assert_string_equal(c.scheme, "bearer");
	assert_string_equal(c.realm, "http://127.0.0.1:1/t");
	assert_string_equal(c.service, "a\"b");
	assert_null(c.scope);
	shp_challenge_free(&c);
	assert_int_equal(shp_challenge_parse("Basic realm=\"Registry Realm\"", &c), 0);
	assert_string_equal(c.scheme, "Basic");
	assert_string_equal(c.realm, "Registry Realm");
	shp_challenge_free(&c);
	assert_int_equal(shp_challenge_parse("Bearer realm=\"unterminated", &c), -1);
	assert_null(c.scheme);
	assert_int_equal(shp_challenge_parse("", &c), -1);
}

static void test_retry_after(void **state)
{
	(void)state;
	time_t now = 784111777; /* Sun, 06 Nov 1994 08:49:37 GMT */
	assert_int_equal(shp_retry_after_parse("120", now), 120);
	assert_int_equal(shp_retry_after_parse(" 0 ", now), 0);
	assert_int_equal(shp_retry_after_parse("Sun, 06 Nov 1994 08:49:47 GMT", now), 10);
	assert_int_equal(shp_retry_after_parse("Sun, 06 Nov 1994 08:00:00 GMT", now), 0);
	assert_int_equal(shp_retry_after_parse("-5", now), -1);
	assert_int_equal(shp_retry_after_parse("12s", now), -1);
	assert_int_equal(shp_retry_after_parse("tomorrow", now), -1);
	assert_int_equal(shp_retry_after_parse(NULL, now), -1);
}

static void test_errors(void **state)
{
	(void)state;
	const char *body = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\","
			   "\"detail\":{}},{\"code\":\"NAME_UNKNOWN\"}]}";
	char *s = shp_registry_errors(body, strlen(body));
	assert_string_equal(s, "MANIFEST_UNKNOWN: manifest unknown; NAME_UNKNOWN");
	free(s);
	/* a terminal escape in a registry's message is shown, not obeyed */
	const char *esc = "{\"errors\":[{\"code\":\"X\",\"message\":\"a\\u001b[2Jb\"}]}";
	s = shp_registry_errors(esc, strlen(esc));
	assert_string_equal(s, "X: a\\x1b[2Jb");
	free(s);
	assert_null(shp_registry_errors("<html>", 6));
	assert_null(shp_registry_errors("{}", 2));
}

static void test_platform(void **state)
{
	(void)state;
	assert_true(shp_platform_matches("linux/amd64", NULL));
	assert_true(shp_platform_matches("linux/arm64/v8", "linux/arm64"));
	assert_true(shp_platform_matches("linux/arm64/v8", "linux/arm64/v8"));
	assert_false(shp_platform_matches("linux/arm64", "linux/arm64/v8"));
	assert_false(shp_platform_matches("linux/amd64v2", "linux/amd64"));
	assert_false(shp_platform_matches(NULL, "linux/amd64"));
	cJSON *att = cJSON_Parse("{\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"}}");
	cJSON *att2 = cJSON_Parse("{\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"},"
				  "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}");
	cJSON *img = cJSON_Parse("{\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}}");
	assert_true(shp_desc_is_attestation(att));
	assert_true(shp_desc_is_attestation(att2));
	assert_false(shp_desc_is_attestation(img));
	char *p = shp_platform_of(img);
	assert_string_equal(p, "linux/arm/v7");
	free(p);
	cJSON_Delete(att);
	cJSON_Delete(att2);
	cJSON_Delete(img);
}

/* An upload session's Location: absolute, or a path on the registry; digest= goes after
 * the session's own parameters. */
static void test_upload_url(void **state)
{
	(void)state;
	static const struct {
		const char *origin, *location, *query, *want;
	} c[] = {
		{"http://r:5000", "/v2/a/blobs/uploads/u1?_state=xy%3D", "digest=sha256:ab",
		 "http://r:5000/v2/a/blobs/uploads/u1?_state=xy%3D&digest=sha256:ab"},
		{"http://r:5000", "/v2/a/blobs/uploads/u1", "digest=sha256:ab",
		 "http://r:5000/v2/a/blobs/uploads/u1?digest=sha256:ab"},
		{"https://r", "https://cdn.example/up/u1?sig=1", "digest=d",
		 "https://cdn.example/up/u1?sig=1&digest=d"},
		{"https://r", "https://cdn.example/up/u1?", "digest=d", "https://cdn.example/up/u1?digest=d"},
		{"https://r", "v2/a/blobs/uploads/u1#frag", "digest=d", "https://r/v2/a/blobs/uploads/u1?digest=d"},
		{"https://r", "/v2/a/blobs/uploads/u1?x=1", NULL, "https://r/v2/a/blobs/uploads/u1?x=1"},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		char *u = shp_upload_url(c[i].origin, c[i].location, c[i].query);
		assert_string_equal(u, c[i].want);
		free(u);
	}
}

/* The bytes an upload session holds, as Range says them (distribution writes no unit). */
static void test_upload_range(void **state)
{
	(void)state;
	uint64_t next = 0;
	assert_int_equal(shp_upload_range_parse("0-1023", &next), 0);
	assert_int_equal(next, 1024);
	assert_int_equal(shp_upload_range_parse("bytes=0-4095", &next), 0);
	assert_int_equal(next, 4096);
	assert_int_equal(shp_upload_range_parse(" 0-0", &next), 0);
	assert_int_equal(next, 1);
	assert_int_equal(shp_upload_range_parse("0-18446744073709551614", &next), 0);
	assert_true(next == UINT64_MAX);
	const char *bad[] = {
		"", "-5", "0-", "5-10", "0-x", "0-10 junk", "bytes 0-10", "0--1", "0-18446744073709551615"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(shp_upload_range_parse(bad[i], &next), -1);
	assert_int_equal(shp_upload_range_parse(NULL, &next), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_normalised), cmocka_unit_test(test_ref_api_host),
		cmocka_unit_test(test_ref_malformed),  cmocka_unit_test(test_challenge),
		cmocka_unit_test(test_retry_after),    cmocka_unit_test(test_errors),
		cmocka_unit_test(test_platform),       cmocka_unit_test(test_upload_url),
		cmocka_unit_test(test_upload_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
