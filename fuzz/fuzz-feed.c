/* fuzz-feed.c - libFuzzer target: a vulnerability feed document (OSV, Alpine secdb, Debian
 * tracker JSON) imported into an in-memory database, then matched against a package. */
#include "vuln/vulndb.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct shp_vulndb *db;
	struct shp_error *err = NULL;
	if (!db && shp_vulndb_open(":memory:", 1, &db, &err) < 0) {
		shp_error_free(err);
		return 0;
	}
	struct shp_import_stats st = {0};
	int rc = shp_vulndb_import_buffer(db, (const char *)data, size, &st, &err);
	shp_buf_free(&st.replaced);
	if (rc < 0) {
		shp_error_free(err);
		return 0;
	}
	static const char *const oses[][2] = {{"debian", "12"}, {"alpine", "3.18.4"}, {"ubuntu", "22.04"}};
	for (size_t i = 0; i < sizeof oses / sizeof oses[0]; i++) {
		struct shp_os os = {.id = oses[i][0], .version_id = oses[i][1]};
		struct shp_pkgs pkgs = {0};
		struct shp_pkg p = {.type = i == 1 ? SHP_PKG_APK : SHP_PKG_DEB,
				    .name = "openssl",
				    .version = "1.0-1",
				    .source = "openssl",
				    .source_version = "1.0-1"};
		shp_pkgs_add(&pkgs, &p);
		struct shp_vuln_matches m = {0};
		if (shp_vulndb_match(db, &os, &pkgs, 1, &m, &err) < 0) {
			shp_error_free(err);
			err = NULL;
		}
		shp_vuln_matches_free(&m);
		shp_pkgs_free(&pkgs);
	}
	return 0;
}
