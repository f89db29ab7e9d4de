/* an-programs.c - the programs analyzer: what an executable carries about the packages it
 * was built from, read by every ecosystem's reader of programs (pkg/ecosystem.h): in a
 * stream, an ELF file's bytes fed to each as they pass (never held whole); in a root
 * directory, each reads the file where its ELF headers say. Its findings are struct
 * shp_layer_pkgdb, one per blob a reader found, parsed as that reader's kind. */
#include "image/analyzer.h"
#include "pkg/ecosystem.h"
#include "pkg/pkg.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct run {
	size_t n; /* the readers, found at the layer's first program */
	const struct shp_prog_reader **rd;
	enum shp_pkgdb_kind *kind;
	void **state;
	unsigned char *live;
	size_t nlive;
	int seen; /* 0 before the file's first block, 1 not an ELF file, 2 one */
};

static void readers(struct run *r)
{
	if (r->rd)
		return;
	enum shp_pkgdb_kind kind;
	while (shp_pkg_program(r->n, &kind))
		r->n++;
	r->rd = shp_xcalloc(r->n + 1, sizeof *r->rd);
	r->kind = shp_xcalloc(r->n + 1, sizeof *r->kind);
	r->state = shp_xcalloc(r->n + 1, sizeof *r->state);
	r->live = shp_xcalloc(r->n + 1, 1);
	for (size_t i = 0; i < r->n; i++) {
		r->rd[i] = shp_pkg_program(i, &r->kind[i]);
		r->state[i] = shp_xcalloc(1, r->rd[i]->state_size);
	}
}

/* A regular file with an execute bit, not a package file, large enough for an ELF header. */
static int wants(void *run, struct shp_an_entry *x)
{
	(void)run;
	return (x->e->mode & 0111) && x->e->size >= 64 && shp_an_pkgdb_kind(x) == SHP_DB_NONE ? SHP_AN_STREAM : 0;
}

static void begin(void *run, struct shp_an_entry *x)
{
	(void)x;
	struct run *r = run;
	readers(r);
	r->seen = 0;
}

static int feed(void *run, struct shp_an_entry *x, const void *p, size_t n, uint64_t off)
{
	(void)x;
	struct run *r = run;
	if (!r->seen) {
		r->seen = off == 0 && n >= 4 && !memcmp(p, "\177ELF", 4) ? 2 : 1;
		if (r->seen == 1)
			return 0;
		for (size_t i = 0; i < r->n; i++) {
			r->rd[i]->init(r->state[i]);
			r->live[i] = 1;
		}
		r->nlive = r->n;
	}
	for (size_t i = 0; i < r->n; i++)
		if (r->live[i] && r->rd[i]->feed(r->state[i], p, n)) {
			r->live[i] = 0;
			r->nlive--;
		}
	return r->nlive > 0;
}

static void end(void *run, struct shp_an_entry *x, int complete)
{
	(void)complete;
	struct run *r = run;
	if (r->seen != 2)
		return;
	for (size_t i = 0; i < r->n; i++) {
		size_t len;
		const char *blob = r->rd[i]->blob(r->state[i], &len);
		if (blob)
			shp_an_pkgdb_add(x->scan, SHP_ANALYZER_PROGRAMS, x->idx, r->kind[i], blob, len);
		r->rd[i]->free(r->state[i]);
	}
}

static void read_fd(void *run, struct shp_an_entry *x, int fd)
{
	struct run *r = run;
	readers(r);
	for (size_t i = 0; i < r->n; i++) {
		size_t len;
		char *blob = r->rd[i]->read_fd(fd, x->e->size, &len);
		if (blob)
			shp_an_pkgdb_add(x->scan, SHP_ANALYZER_PROGRAMS, x->idx, r->kind[i], blob, len);
		free(blob);
	}
}

static void finish(void *run)
{
	struct run *r = run;
	for (size_t i = 0; i < r->n; i++)
		free(r->state[i]);
	free(r->rd);
	free(r->kind);
	free(r->state);
	free(r->live);
}

const struct shp_analyzer shp_an_programs = {
	.name = "programs",
	.version = 2, /* 2: records hold the files' digests (none for a program) */
	.packages = 1,
	.quiet = 1,
	.run_size = sizeof(struct run),
	.rec_size = sizeof(struct shp_layer_pkgdb),
	.rec_min = SHP_AN_PKGDB_MIN,
	.pkgdbs = 1,
	.wants = wants,
	.begin = begin,
	.feed = feed,
	.end = end,
	.read_fd = read_fd,
	.finish = finish,
	.put = shp_an_pkgdb_put,
	.get = shp_an_pkgdb_get,
	.free = shp_an_pkgdb_free,
};
