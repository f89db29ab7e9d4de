/* test-share.c - the database as an OCI artifact (vuln/share.h): the manifest db push writes
 * for a database is one db pull accepts, and what pull refuses before downloading anything:
 * an image, an index, another layer, another schema, annotations missing or broken. */
#include "unit.h"
#include "util/buf.h"
#include "util/digest.h"
#include "util/json.h"
#include "vuln/share.h"
#include "vuln/vulndb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"

static char dir[64];
static struct shp_buf pushed; /* the manifest push would write for a small database */

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test-share-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char path[128];
	snprintf(path, sizeof path, "%s/vuln.db", dir);
	static const char feed[] =
		"{\"id\":\"CVE-2024-0001\",\"modified\":\"2024-05-01T00:00:00Z\",\"affected\":[{\"package\":"
		"{\"ecosystem\":\"Debian:12\",\"name\":\"demo\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":"
		"[{\"introduced\":\"0\"},{\"fixed\":\"1.2-1\"}]}]}]}";
	struct shp_vulndb *db = NULL;
	struct shp_error *err = NULL;
	struct shp_import_stats st = {0};
	int rc = shp_vulndb_open(path, 1, &db, &err) < 0 ||
				 shp_vulndb_import_buffer(db, feed, strlen(feed), &st, &err) < 0 ||
				 shp_vulndb_commit(db, &err) < 0 ||
				 shp_vulndb_manifest(path, "sha256:" D64, 1234, &pushed, &err) < 0
			 ? -1
			 : 0;
	if (err)
		fprintf(stderr, "%s\n", err->msg);
	shp_error_free(err);
	shp_buf_free(&st.replaced);
	shp_vulndb_close(db);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	shp_buf_free(&pushed);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_pushed_manifest(void **state)
{
	(void)state;
	struct shp_error *err = NULL;
	cJSON *j = shp_json_parse("manifest", pushed.data, pushed.len, &err);
	assert_non_null(j);
	assert_string_equal(shp_json_str(j, "mediaType"), OCI_MANIFEST);
	assert_string_equal(shp_json_str(j, "artifactType"), SHP_VULNDB_ARTIFACT_TYPE);
	const cJSON *cfg = cJSON_GetObjectItem(j, "config");
	assert_string_equal(shp_json_str(cfg, "mediaType"), "application/vnd.oci.empty.v1+json");
	/* the empty config's digest is that of "{}" */
	char d[72];
	shp_sha256_buf("{}", 2, d);
	assert_string_equal(shp_json_str(cfg, "digest"), d);
	const cJSON *layers = cJSON_GetObjectItem(j, "layers");
	assert_int_equal(cJSON_GetArraySize(layers), 1);
	assert_string_equal(shp_json_str(cJSON_GetArrayItem(layers, 0), "mediaType"), SHP_VULNDB_LAYER_TYPE);
	assert_string_equal(shp_json_str(cJSON_GetArrayItem(layers, 0), "digest"), "sha256:" D64);
	const cJSON *ann = cJSON_GetObjectItem(j, "annotations");
	assert_string_equal(shp_json_str(ann, SHP_VULNDB_ANN_SCHEMA), SHP_VULNDB_SCHEMA);
	assert_string_equal(shp_json_str(ann, SHP_VULNDB_ANN_MODIFIED), "2024-05-01T00:00:00Z");
	assert_string_equal(shp_json_str(ann, "org.opencontainers.image.created"), "2024-05-01T00:00:00Z");
	assert_string_equal(shp_json_str(ann, SHP_VULNDB_ANN_SOURCES), "{\"osv:Debian\":1714521600}");
	cJSON_Delete(j);
	assert_int_equal(shp_vulndb_manifest_check("r", pushed.data, pushed.len, OCI_MANIFEST, &err), 0);
	assert_int_equal(shp_vulndb_manifest_check("r", pushed.data, pushed.len, NULL, &err), 0);
}

/* The pushed manifest with one substitution, checked: the error's message, or NULL. */
static char *check_edited(const char *from, const char *to, const char *media_type)
{
	struct shp_buf b = {0};
	const char *at = strstr(pushed.data, from);
	assert_non_null(at);
	shp_buf_add(&b, pushed.data, (size_t)(at - pushed.data));
	shp_buf_puts(&b, to);
	shp_buf_puts(&b, at + strlen(from));
	struct shp_error *err = NULL;
	int rc = shp_vulndb_manifest_check("reg/db:1", b.data, b.len, media_type, &err);
	shp_buf_free(&b);
	char *msg = rc < 0 ? strdup(err->msg) : NULL;
	assert_true(rc == 0 || err->code == SHP_EXIT_INPUT);
	shp_error_free(err);
	return msg;
}

static void expect(const char *from, const char *to, const char *media_type, const char *said)
{
	char *msg = check_edited(from, to, media_type);
	assert_non_null(msg);
	if (!strstr(msg, said))
		fail_msg("\"%s\" does not say \"%s\"", msg, said);
	free(msg);
}

static void test_refused(void **state)
{
	(void)state;
	/* an image: its config is an image config, and there is no artifactType */
	expect("\"artifactType\":\"" SHP_VULNDB_ARTIFACT_TYPE "\",", "", OCI_MANIFEST,
	       "reg/db:1: not a shipshape vulnerability database (config media type "
	       "application/vnd.oci.empty.v1+json)");
	expect(SHP_VULNDB_ARTIFACT_TYPE, "application/vnd.example.sbom", OCI_MANIFEST,
	       "not a shipshape vulnerability database (artifactType application/vnd.example.sbom)");
	expect("{", "{", "application/vnd.oci.image.index.v1+json",
	       "not a shipshape vulnerability database (a multi-platform index)");
	expect("{", "{", "application/vnd.docker.distribution.manifest.v2+json",
	       "not a shipshape vulnerability database (a container image)");
	expect(SHP_VULNDB_LAYER_TYPE, "application/vnd.oci.image.layer.v1.tar+gzip", OCI_MANIFEST,
	       "expected one layer of " SHP_VULNDB_LAYER_TYPE);
	expect("\"size\":1234", "\"size\":-1", OCI_MANIFEST, "expected one layer");
	expect("\"digest\":\"sha256:" D64, "\"digest\":\"sha256:0", OCI_MANIFEST, "expected one layer");
	expect("\"size\":1234", "\"size\":1e12", OCI_MANIFEST, "compressed bytes (at most");
	expect("\"" SHP_VULNDB_ANN_SCHEMA "\":\"" SHP_VULNDB_SCHEMA "\"", "\"" SHP_VULNDB_ANN_SCHEMA "\":\"3\"",
	       OCI_MANIFEST, "reg/db:1: a database of schema version 3, this shipshape reads " SHP_VULNDB_SCHEMA);
	expect("\"" SHP_VULNDB_ANN_SCHEMA "\":", "\"x\":", OCI_MANIFEST, "no " SHP_VULNDB_ANN_SCHEMA " annotation");
	expect("\"" SHP_VULNDB_ANN_SOURCES "\":\"{", "\"" SHP_VULNDB_ANN_SOURCES "\":\"[", OCI_MANIFEST,
	       "its " SHP_VULNDB_ANN_SOURCES " annotation is not a JSON object");
	expect("{\"schemaVersion\"", "{,\"schemaVersion\"", OCI_MANIFEST, "reg/db:1:1:");
	/* a config of the artifact's type, as older tools write artifacts, is one */
	char *msg = check_edited("\"artifactType\":\"" SHP_VULNDB_ARTIFACT_TYPE
				 "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\"",
				 "\"config\":{\"mediaType\":\"" SHP_VULNDB_ARTIFACT_TYPE "\"", OCI_MANIFEST);
	assert_null(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pushed_manifest),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
