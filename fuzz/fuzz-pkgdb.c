/* fuzz-pkgdb.c - libFuzzer target: the package databases and release files. The first
 * byte picks the reader (dpkg status, status.d, apk installed, os-release, alpine-release,
 * debian_version, redhat-release, rpm NDB, Berkeley DB, SQLite, npm's package.json, Python
 * core metadata, a Go program: its build information blob read as given and found by the
 * streaming finder in blocks of a size the first byte also picks; a Java archive); the rest
 * is the file.
 * Every package found is also turned into a purl. */
#include "pkg/pkg.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum shp_pkgdb_kind kinds[] = {SHP_DB_DPKG_STATUS, SHP_DB_DPKG_STATUS_D, SHP_DB_APK,
						    SHP_DB_OS_RELEASE, SHP_DB_ALPINE_RELEASE, SHP_DB_DEBIAN_VERSION,
						    SHP_DB_REDHAT_RELEASE, SHP_DB_RPM_NDB, SHP_DB_RPM_BDB,
						    SHP_DB_RPM_SQLITE, SHP_DB_NPM_PACKAGE, SHP_DB_PYTHON_METADATA,
						    SHP_DB_GO_BINARY, SHP_DB_JAVA_ARCHIVE};
	if (size < 1)
		return 0;
	enum shp_pkgdb_kind k = kinds[data[0] % (sizeof kinds / sizeof kinds[0])];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	struct shp_pkgs pkgs = {0};
	struct shp_os os = {0};
	if (k >= SHP_DB_OS_RELEASE) {
		if (shp_os_parse(k, "/etc/release", text, len, &pkgs.arena, &os))
			(void)shp_os_key(&os, &pkgs.arena);
	} else {
		if (k == SHP_DB_GO_BINARY) {
			struct shp_gobin g;
			shp_gobin_init(&g);
			size_t step = (size_t)(data[0] >> 4) * 7 + 1, blen;
			for (size_t o = 0; o < len && !shp_gobin_feed(&g, text + o, o + step > len ? len - o : step); o += step)
				;
			const char *blob = shp_gobin_blob(&g, &blen);
			if (blob)
				shp_pkg_parse_gobin("/bin/found", blob, blen, &pkgs);
			shp_gobin_free(&g);
		}
		if (k == SHP_DB_JAVA_ARCHIVE)
			shp_java_archive_read_memory(text, len, "/app.jar", &pkgs);
		struct shp_error *err = NULL;
		if (shp_pkgdb_parse(k, "/var/lib/db", text, len, &pkgs, &err) < 0)
			shp_error_free(err);
		shp_pkgs_sort(&pkgs);
		for (size_t i = 0; i < pkgs.n; i++)
			free(shp_pkg_purl(&pkgs.v[i], NULL));
	}
	shp_pkgs_free(&pkgs);
	return 0;
}
