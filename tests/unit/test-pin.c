/* test-pin.c - pin's reference finding (every form, with its place and insertion point),
 * its rewriting against a table of digests, and its checks. */
#include "pin/pin.h"
#include "unit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DA "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define DB "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* One reference expected: the image (NULL: unresolved), the text at its place, its line and
 * column, and the text that ends where its digest goes (NULL: it cannot go in place). */
struct want {
	const char *image, *at, *before_ins;
	int line, col;
};

static void finds(const char *name, int named, const char *text, enum shp_pin_kind kind, const struct want *w, size_t n)
{
	struct shp_pin_refs r;
	struct shp_error *err = NULL;
	size_t len = strlen(text);
	int rc = shp_pin_find(name, text, len, named, &r, &err);
	if (rc != 0)
		fail_msg("%s: rc %d: %s", name, rc, err ? err->msg : "");
	assert_int_equal(r.kind, kind);
	if (r.n != n) {
		for (size_t i = 0; i < r.n; i++)
			print_message("found %s at %d:%d\n", r.v[i].image ? r.v[i].image : "(null)", r.v[i].line,
				      r.v[i].col);
		fail_msg("%s: %zu references, not %zu", name, r.n, n);
	}
	for (size_t i = 0; i < n; i++) {
		const struct shp_pin_ref *x = &r.v[i];
		if (w[i].image)
			assert_string_equal(x->image, w[i].image);
		else
			assert_null(x->image);
		assert_true(x->at + strlen(w[i].at) <= len);
		assert_memory_equal(text + x->at, w[i].at, strlen(w[i].at));
		assert_int_equal(x->line, w[i].line);
		assert_int_equal(x->col, w[i].col);
		if (!w[i].before_ins) {
			assert_true(x->ins == SIZE_MAX);
			assert_non_null(x->why);
			continue;
		}
		size_t bl = strlen(w[i].before_ins);
		if (x->ins == SIZE_MAX)
			fail_msg("%s: reference %zu not in place: %s", name, i, x->why);
		assert_true(x->ins >= bl && x->ins <= len);
		assert_memory_equal(text + x->ins - bl, w[i].before_ins, bl);
	}
	shp_pin_refs_free(&r);
}

static void test_dockerfile_forms(void **s)
{
	(void)s;
	const char *t = "# syntax=docker/dockerfile:1\n"
			"ARG BASE=debian:12\n"
			"ARG QUOTED=\"alpine:3.20\"\n"
			"ARG NODEF R=reg\n"
			"FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
			"COPY --from=build /a /b\n"
			"COPY --link --from=nginx:1.27 /etc/nginx /x\n"
			"RUN --mount=type=bind,from=busybox:1.36,target=/mnt \\\n"
			"    --mount=type=cache,target=/c true\n"
			"FROM $BASE\n"
			"FROM ${QUOTED} AS q\n"
			"FROM ${NODEF}\n"
			"FROM build\n"
			"COPY --from=0 /x /y\n"
			"COPY --from=q /x /y\n"
			"FROM scratch\n"
			"FROM ghcr.io/o/r@" DA "\n"
			"FROM localhost:5000/x \\\n"
			"  AS y\n"
			"FROM \"quay.io/q:1\"\n"
			"FROM ${R}/x:1\n";
	static const struct want w[] = {
		{"golang:1.22", "golang:1.22 AS", "golang:1.22", 5, 32},
		{"nginx:1.27", "nginx:1.27 /etc", "--from=nginx:1.27", 7, 20},
		{"busybox:1.36", "busybox:1.36,target", "from=busybox:1.36", 8, 28},
		{"debian:12", "$BASE", "ARG BASE=debian:12", 10, 6},
		{"alpine:3.20", "${QUOTED}", "ARG QUOTED=\"alpine:3.20", 11, 6},
		{NULL, "${NODEF}", NULL, 12, 6},
		{"ghcr.io/o/r@" DA, "ghcr.io/o/r@", "ghcr.io/o/r@" DA, 17, 6},
		{"localhost:5000/x", "localhost:5000/x \\", "FROM localhost:5000/x", 18, 6},
		{"quay.io/q:1", "quay.io/q:1\"", "\"quay.io/q:1", 20, 7},
		{"reg/x:1", "${R}/x:1", NULL, 21, 6},
	};
	finds("Dockerfile", 1, t, SHP_PIN_DOCKERFILE, w, sizeof w / sizeof w[0]);
}

static void test_dockerfile_layout(void **s)
{
	(void)s;
	/* a reference continued over lines, with a comment between: the digest goes after its
	 * last piece; CRLF and a byte order mark; the backquote escape */
	const char *t = "FROM debi\\\n# c\nan:12\n";
	static const struct want w1[] = {{"debian:12", "debi\\", "\nan:12", 1, 6}};
	finds("Dockerfile", 1, t, SHP_PIN_DOCKERFILE, w1, 1);
	t = "\xef\xbb\xbf"
	    "FROM a:1 AS x\r\nCOPY --from=b:2 / /\r\n";
	static const struct want w2[] = {{"a:1", "a:1 AS", "FROM a:1", 1, 6}, {"b:2", "b:2 /", "--from=b:2", 2, 13}};
	finds("Dockerfile", 1, t, SHP_PIN_DOCKERFILE, w2, 2);
	t = "# escape=`\nFROM a:1 `\n  AS x\nRUN --mount=from=c:3 `\n  echo\n";
	static const struct want w3[] = {{"a:1", "a:1 `", "FROM a:1", 2, 6}, {"c:3", "c:3 `", "from=c:3", 4, 18}};
	finds("Dockerfile", 1, t, SHP_PIN_DOCKERFILE, w3, 2);
	/* a variable in --from: resolved from the stage's ARG, reported but not edited there */
	t = "FROM a:1\nARG IMG=b:2\nCOPY --from=$IMG / /\n";
	static const struct want w4[] = {{"a:1", "a:1", "FROM a:1", 1, 6}, {"b:2", "$IMG", NULL, 3, 13}};
	finds("Dockerfile", 1, t, SHP_PIN_DOCKERFILE, w4, 2);
	/* template placeholders: unresolved, not asked of a registry */
	t = "FROM {{ .Base }}\nCOPY --from={{ .Img }} / /\n";
	static const struct want w7[] = {{NULL, "{{ .Base }}", NULL, 1, 6}, {NULL, "{{", NULL, 2, 13}};
	finds("Dockerfile", 1, t, SHP_PIN_DOCKERFILE, w7, 2);
	/* the same ARG for two FROMs: one place to insert */
	t = "ARG B=x:1\nFROM $B\nFROM ${B}\n";
	static const struct want w5[] = {{"x:1", "$B", "ARG B=x:1", 2, 6}, {"x:1", "${B}", "ARG B=x:1", 3, 6}};
	finds("Dockerfile", 1, t, SHP_PIN_DOCKERFILE, w5, 2);
	/* ... but not when another reference is made with it: a digest in it would break that one */
	t = "ARG B=x:1\nFROM $B\nFROM ${B}-slim\nFROM a:1\nCOPY --from=${B} / /\n";
	static const struct want w6[] = {{"x:1", "$B", NULL, 2, 6},
					 {"x:1-slim", "${B}-slim", NULL, 3, 6},
					 {"a:1", "a:1", "FROM a:1", 4, 6},
					 {NULL, "${B}", NULL, 5, 13}}; /* not declared in that stage */
	finds("Dockerfile", 1, t, SHP_PIN_DOCKERFILE, w6, 4);
}

static void test_compose_forms(void **s)
{
	(void)s;
	const char *t = "x-base: &base\n"
			"  image: \"redis:7\"\n"
			"services:\n"
			"  web:\n"
			"    image: nginx:1.27   # the front\n"
			"  db:\n"
			"    image: 'postgres:16'\n"
			"  cache:\n"
			"    <<: *base\n"
			"  cache2:\n"
			"    <<: *base\n"
			"  built:\n"
			"    build: .\n"
			"  env:\n"
			"    image: ${REG:-docker.io}/app:1\n"
			"  flow: {image: busybox:1.36, command: [\"true\"]}\n"
			"  folded:\n"
			"    image: >\n"
			"      alpine:3.20\n"
			"  tagged:\n"
			"    image: !!str &a quay.io/x:1\n"
			"  tpl:\n"
			"    image: \"{{ .Values.image }}\"\n";
	static const struct want w[] = {
		{"nginx:1.27", "nginx:1.27 ", "image: nginx:1.27", 5, 12},
		{"postgres:16", "postgres:16'", "'postgres:16", 7, 13},
		{"redis:7", "redis:7\"", "\"redis:7", 2, 11},
		{NULL, "${REG", NULL, 15, 12},
		{"busybox:1.36", "busybox:1.36,", "{image: busybox:1.36", 16, 17},
		{"alpine:3.20\n", ">", NULL, 18, 12},
		{"quay.io/x:1", "quay.io/x:1\n", "&a quay.io/x:1", 21, 21},
		{NULL, "\"{{", NULL, 23, 12},
	};
	finds("compose.yaml", 0, t, SHP_PIN_COMPOSE, w, sizeof w / sizeof w[0]);
}

static void test_k8s_forms(void **s)
{
	(void)s;
	const char *t = "apiVersion: v1\n"
			"kind: Pod\n"
			"metadata: {name: p\xc3\xa9}\n"
			"spec:\n"
			"  initContainers:\n"
			"  - name: init\n"
			"    image: busybox:1.36\n"
			"  containers:\n"
			"  - name: app\n"
			"    image: &img \"nginx:1.27\"\n"
			"  - name: side\n"
			"    image: *img\n"
			"---\n"
			"apiVersion: v1\n"
			"kind: Service\n"
			"metadata: {name: s}\n"
			"---\n"
			"apiVersion: batch/v1\n"
			"kind: CronJob\n"
			"metadata: {name: cj}\n"
			"spec:\n"
			"  jobTemplate:\n"
			"    spec:\n"
			"      template:\n"
			"        spec:\n"
			"          containers:\n"
			"          - {name: j, image: \"r.local:5000/job\"}\n"
			"          ephemeralContainers:\n"
			"          - name: dbg\r\n"
			"            image: x:1\r\n"
			"---\n"
			"apiVersion: v1\n"
			"kind: List\n"
			"items:\n"
			"- apiVersion: apps/v1\n"
			"  kind: Deployment\n"
			"  spec: {template: {spec: {containers: [{name: a, image: 'alpine:3.20'}]}}}\n"
			"- apiVersion: v1\n"
			"  kind: PodTemplate\n"
			"  template: {spec: {containers: [{name: b, image: b:1}]}}\n";
	static const struct want w[] = {
		{"busybox:1.36", "busybox:1.36\n", "image: busybox:1.36", 7, 12},
		{"nginx:1.27", "nginx:1.27\"", "&img \"nginx:1.27", 10, 18},
		{"r.local:5000/job", "r.local", "\"r.local:5000/job", 27, 31},
		{"x:1", "x:1\r", "image: x:1", 30, 20},
		{"alpine:3.20", "alpine:3.20'", "'alpine:3.20", 37, 59},
		{"b:1", "b:1}", "image: b:1", 40, 51},
	};
	finds("k8s.yaml", 0, t, SHP_PIN_K8S, w, sizeof w / sizeof w[0]);
	/* JSON, with a name of two-byte characters before the image, and a byte order mark */
	t = "\xef\xbb\xbf{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"\xc3\xa9\xc3\xa9\"},"
	    "\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"nginx:1.27\"}]}}";
	static const struct want wj[] = {{"nginx:1.27", "nginx:1.27\"", "\"nginx:1.27", 1, 101}};
	finds("pod.json", 0, t, SHP_PIN_K8S, wj, 1);
}

static void test_kinds(void **s)
{
	(void)s;
	struct shp_pin_refs r;
	struct shp_error *err = NULL;
	/* a Dockerfile by content under another name */
	const char *t = "FROM a:1\nRUN x: y\n";
	assert_int_equal(shp_pin_find("build/base.df", t, strlen(t), 0, &r, &err), 0);
	assert_int_equal(r.kind, SHP_PIN_DOCKERFILE);
	assert_int_equal(r.n, 1);
	shp_pin_refs_free(&r);
	/* YAML of another kind, and text of no kind: not ours */
	t = "a: 1\nb: [2]\n";
	assert_int_equal(shp_pin_find("x.yaml", t, strlen(t), 0, &r, &err), 1);
	assert_int_equal(r.kind, SHP_PIN_NONE);
	assert_int_equal(shp_pin_find("README", "hello\n", 6, 0, &r, &err), 1);
	/* YAML meant as a manifest that does not parse: the YAML error */
	t = "apiVersion: v1\nkind: Pod\nspec: [\n";
	assert_int_equal(shp_pin_find("bad.yaml", t, strlen(t), 0, &r, &err), -1);
	assert_non_null(strstr(err->msg, "bad.yaml:"));
	shp_error_free(err);
	err = NULL;
	/* a Dockerfile by name that does not parse */
	t = "FROM a\nBOGUS x\n";
	assert_int_equal(shp_pin_find("Dockerfile", t, strlen(t), 1, &r, &err), -1);
	assert_non_null(strstr(err->msg, "Dockerfile:2:"));
	shp_error_free(err);
	err = NULL;
	/* the sanity limit on references */
	char *big = malloc((SHP_PIN_MAX_REFS + 1) * 9 + 1), *p = big;
	for (int i = 0; i <= SHP_PIN_MAX_REFS; i++)
		p += sprintf(p, "FROM a:%d\n", i % 10);
	assert_int_equal(shp_pin_find("Dockerfile", big, strlen(big), 1, &r, &err), -1);
	assert_non_null(strstr(err->msg, "image references"));
	shp_error_free(err);
	free(big);
}

static void test_split(void **s)
{
	(void)s;
	struct shp_pin_parts p;
	shp_pin_split("localhost:5000/a/b:1.2@" DA, &p);
	assert_int_equal(p.name_len, strlen("localhost:5000/a/b"));
	assert_memory_equal(p.tag, "1.2", p.tag_len);
	assert_string_equal(p.digest, DA);
	shp_pin_split("localhost:5000/a", &p);
	assert_null(p.tag);
	assert_null(p.digest);
	assert_int_equal(p.name_len, 16);
	shp_pin_split("nginx@" DA, &p);
	assert_null(p.tag);
	assert_int_equal(p.name_len, 5);
	assert_true(shp_pin_digest_ok(DA));
	assert_false(shp_pin_digest_ok("sha256:abc"));
	assert_false(shp_pin_digest_ok(DA "\n"));
	assert_false(shp_pin_digest_ok("md5:d41d8cd98f00b204e9800998ecf8427e"));
	assert_false(shp_pin_digest_ok("sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
}

/* The fake registry: ref=digest pairs; a reference it does not hold is a 404. */
struct table {
	const char *const *pairs;
	int asked;
};

static int fake_resolve(void *ctx, const char *ref, char **digest, struct shp_error **err)
{
	struct table *t = ctx;
	t->asked++;
	for (size_t i = 0; t->pairs[i]; i += 2)
		if (!strcmp(t->pairs[i], ref)) {
			*digest = strdup(t->pairs[i + 1]);
			return 0;
		}
	return shp_error_set(err, SHP_EXIT_INPUT, "%s: 404 MANIFEST_UNKNOWN", ref);
}

/* Pins (or checks) text with the table: the new text, the findings' rule ids and lines
 * ("SHP6001@3 SHP6003@5"), and the notes. */
static void pins(const char *name, const char *text, int check, const char *const *pairs, const char *want,
		 const char *want_findings, size_t want_errors, int want_asked)
{
	struct table t = {pairs, 0};
	struct shp_pin_resolver rs = {fake_resolve, &t};
	struct shp_pin_run run = {.rs = &rs, .check = check};
	struct shp_findings f = {0};
	struct shp_error *err = NULL;
	char *out = NULL;
	size_t n = 0, pinned = 0;
	int named = !strcmp(name, "Dockerfile");
	if (shp_pin_file(&run, name, text, strlen(text), named, &out, &n, &pinned, &f, &err) != 0)
		fail_msg("%s", err ? err->msg : "not ours");
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
	char got[512] = "";
	for (size_t i = 0; i < f.n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s@%d", i ? " " : "", f.v[i].rule->id,
			 f.v[i].line);
	assert_string_equal(got, want_findings);
	assert_int_equal(run.errors, want_errors);
	if (want_errors)
		assert_non_null(strstr(run.notes.data, "404 MANIFEST_UNKNOWN"));
	if (want_asked >= 0)
		assert_int_equal(t.asked, want_asked);
	free(out);
	shp_findings_free(&f);
	shp_pin_run_free(&run);
}

static void test_pin_dockerfile(void **s)
{
	(void)s;
	static const char *const reg[] = {"debian:12", DA, "golang:1.22", DB, "nginx", DA, "busybox:1.36", DB, NULL};
	pins("Dockerfile",
	     "ARG BASE=debian:12\nARG NODEF\nFROM golang:1.22 AS build\nFROM $BASE\nFROM ${BASE}\n"
	     "COPY --from=build /a /b\nCOPY --from=nginx /a /b\nFROM ${NODEF}\nFROM scratch\n"
	     "RUN --mount=from=busybox:1.36,target=/m true\nFROM quay.io/x:1@" DB "\n",
	     0, reg,
	     "ARG BASE=debian:12@" DA "\nARG NODEF\nFROM golang:1.22@" DB " AS build\nFROM $BASE\nFROM ${BASE}\n"
	     "COPY --from=build /a /b\nCOPY --from=nginx:latest@" DA " /a /b\nFROM ${NODEF}\nFROM scratch\n"
	     "RUN --mount=from=busybox:1.36@" DB ",target=/m true\nFROM quay.io/x:1@" DB "\n",
	     "SHP6003@8", 0, 4);
	/* pinned is a fixed point */
	pins("Dockerfile", "FROM debian:12@" DA "\n", 0, reg, "FROM debian:12@" DA "\n", "", 0, 0);
	/* one reference the registry does not have: said, the others still pinned */
	pins("Dockerfile", "FROM nope:1\nFROM debian:12\n", 0, reg, "FROM nope:1\nFROM debian:12@" DA "\n", "SHP6001@1",
	     1, 2);
	/* not in place: reported, the file as it was */
	pins("Dockerfile", "ARG B=debian\nFROM reg/$B:12\n", 0, reg, "ARG B=debian\nFROM reg/$B:12\n", "SHP6001@2", 0,
	     0);
}

static void test_pin_yaml(void **s)
{
	(void)s;
	static const char *const reg[] = {"redis:7", DA, "nginx:1.27", DB, NULL};
	pins("compose.yaml",
	     "x: &b\n  image: \"redis:7\"\nservices:\n  a: {<<: *b}\n  c:\n    <<: *b\n  w:\n    image: nginx:1.27 # "
	     "x\n"
	     "  e:\n    image: ${X}\n",
	     0, reg,
	     "x: &b\n  image: \"redis:7@" DA
	     "\"\nservices:\n  a: {<<: *b}\n  c:\n    <<: *b\n  w:\n    image: nginx:1.27@" DB
	     " # x\n  e:\n    image: ${X}\n",
	     "SHP6003@10", 0, 2);
	/* a block scalar: reported, left */
	pins("compose.yaml", "services:\n  w:\n    image: |\n      nginx:1.27\n", 0, reg,
	     "services:\n  w:\n    image: |\n      nginx:1.27\n", "SHP6001@3", 0, 0);
}

static void test_check(void **s)
{
	(void)s;
	static const char *const reg[] = {"debian:12", DA, "nginx:1.27", DB, "nginx@" DB, DB, NULL};
	const char *t = "FROM debian:12@" DA "\nFROM nginx:1.27@" DA "\nFROM alpine:3\nFROM nginx@" DB "\nFROM gone@" DA
			"\nARG X\nFROM $X\n";
	/* the same digest current, a stale one, one missing, one by digest alone, one the
	 * registry does not have, one unresolved; nothing rewritten */
	pins("Dockerfile", t, 1, reg, t, "SHP6002@2 SHP6001@3 SHP6003@7", 1, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dockerfile_forms),
		cmocka_unit_test(test_dockerfile_layout),
		cmocka_unit_test(test_compose_forms),
		cmocka_unit_test(test_k8s_forms),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_pin_dockerfile),
		cmocka_unit_test(test_pin_yaml),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
