/* fuzz-pkgdb.c - libFuzzer target: the package databases and release files. The first
 * byte picks the reader: one of the release files (os-release, alpine-release,
 * debian_version, redhat-release) or any reader of any ecosystem in the table (dpkg status,
 * rpm's databases, npm's package.json, Java archives ...); the rest is the file. A reader of
 * programs also gets the file as a stream, in blocks of a size the first byte also picks,
 * and what it finds is parsed too. Every package found is also turned into a purl. */
#include "pkg/pkg.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum shp_pkgdb_kind releases[] = {SHP_DB_OS_RELEASE, SHP_DB_ALPINE_RELEASE, SHP_DB_DEBIAN_VERSION,
						       SHP_DB_REDHAT_RELEASE};
	const size_t nrel = sizeof releases / sizeof releases[0];
	if (size < 1)
		return 0;
	size_t nreaders = 0;
	for (int t = 0; t < SHP_PKG_NTYPES; t++)
		nreaders += shp_eco((enum shp_pkg_type)t)->nreaders;
	size_t pick = data[0] % (nrel + nreaders);
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	struct shp_pkgs pkgs = {0};
	struct shp_os os = {0};
	if (pick < nrel) {
		if (shp_os_parse(releases[pick], "/etc/release", text, len, &pkgs.arena, &os))
			(void)shp_os_key(&os, &pkgs.arena);
		shp_pkgs_free(&pkgs);
		return 0;
	}
	const struct shp_pkg_reader *r = NULL;
	for (int t = 0, i = (int)(pick - nrel); !r; t++) {
		const struct shp_ecosystem *e = shp_eco((enum shp_pkg_type)t);
		if ((size_t)i < e->nreaders)
			r = &e->readers[i];
		else
			i -= (int)e->nreaders;
	}
	struct shp_error *err = NULL;
	if (r->program) {
		const struct shp_prog_reader *p = r->program;
		void *st = malloc(p->state_size);
		p->init(st);
		size_t step = (size_t)(data[0] >> 4) * 7 + 1, blen;
		for (size_t o = 0; o < len && !p->feed(st, text + o, o + step > len ? len - o : step); o += step)
			;
		const char *blob = p->blob(st, &blen);
		if (blob && r->parse("/bin/found", blob, blen, &pkgs, &err) < 0)
			shp_error_free(err);
		p->free(st);
		free(st);
	}
	err = NULL;
	if (r->parse("/var/lib/db", text, len, &pkgs, &err) < 0)
		shp_error_free(err);
	shp_pkgs_sort(&pkgs);
	for (size_t i = 0; i < pkgs.n; i++)
		free(shp_pkg_purl(&pkgs.v[i], NULL));
	shp_pkgs_free(&pkgs);
	return 0;
}
