/* fuzz-pkgdb.c - libFuzzer target: the package databases and release files. A first line
 * naming a reader picks it ("gemspec", "dpkg-status": the ids of the ecosystem table's
 * readers, or "os-release", "alpine-release", "debian_version", "redhat-release"), so that
 * the seeds keep their reader as rows are added; otherwise the first byte picks one by its
 * place. The rest is the file. A reader of programs also gets the file as a stream, in
 * blocks of a size the file's first byte picks, and what it finds is parsed too. Every
 * package found is also turned into a purl. */
#include "pkg/pkg.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		const char *name;
		enum shp_pkgdb_kind kind;
	} releases[] = {{"os-release", SHP_DB_OS_RELEASE},
			{"alpine-release", SHP_DB_ALPINE_RELEASE},
			{"debian_version", SHP_DB_DEBIAN_VERSION},
			{"redhat-release", SHP_DB_REDHAT_RELEASE}};
	const size_t nrel = sizeof releases / sizeof releases[0];
	if (size < 1)
		return 0;
	size_t nreaders = 0;
	for (int t = 0; t < SHP_PKG_NTYPES; t++)
		nreaders += shp_eco((enum shp_pkg_type)t)->nreaders;
	size_t pick = data[0] % (nrel + nreaders);
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	const char *nl = memchr(data, '\n', size < 64 ? size : 64);
	if (nl) { /* a reader by name */
		size_t n = (size_t)(nl - (const char *)data), k = 0;
		for (size_t i = 0; i < nrel; i++)
			if (strlen(releases[i].name) == n && !memcmp(data, releases[i].name, n))
				pick = i;
		for (int t = 0; t < SHP_PKG_NTYPES; t++)
			for (size_t i = 0; i < shp_eco((enum shp_pkg_type)t)->nreaders; i++, k++) {
				const char *id = shp_eco((enum shp_pkg_type)t)->readers[i].id;
				if (strlen(id) == n && !memcmp(data, id, n)) {
					pick = nrel + k;
					text = nl + 1;
					len = size - n - 1;
				}
			}
		if (pick < nrel && strlen(releases[pick].name) == n && !memcmp(data, releases[pick].name, n)) {
			text = nl + 1;
			len = size - n - 1;
		}
	}
	struct shp_pkgs pkgs = {0};
	struct shp_os os = {0};
	if (pick < nrel) {
		if (shp_os_parse(releases[pick].kind, "/etc/release", text, len, &pkgs.arena, &os))
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
		size_t step = (size_t)(len ? (unsigned char)text[0] >> 4 : 0) * 7 + 1, blen;
		for (size_t o = 0; o < len && !p->feed(st, text + o, o + step > len ? len - o : step); o += step)
			;
		const char *blob = p->blob(st, &blen);
		if (blob && r->parse("/bin/found", blob, blen, &pkgs, &err) < 0)
			shp_error_free(err);
		p->free(st);
		free(st);
	}
	err = NULL;
	/* a file list is told by its name: an md5sums one keeps the files' digests */
	const char *path = !strcmp(r->id, "dpkg-files") ? "/var/lib/dpkg/info/x:amd64.md5sums" : "/var/lib/db";
	if (r->parse(path, text, len, &pkgs, &err) < 0)
		shp_error_free(err);
	shp_pkgs_sort(&pkgs);
	for (size_t i = 0; i < pkgs.n; i++)
		free(shp_pkg_purl(&pkgs.v[i], NULL));
	shp_pkgs_free(&pkgs);
	return 0;
}
