/* analyzers.c - the table of layer analyzers and the one per-entry loop that serves them:
 * it asks each analyzer whether it wants an entry, then reads the entry's content once, from
 * a tar stream or a root directory alike, in the one form all those that want it can use. */
#include "image/analyzer.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define SHP_AN_ROW_(C, n) [SHP_ANALYZER_##C] = &shp_an_##n,
const struct shp_analyzer *const shp_analyzers[SHP_NANALYZERS] = {SHP_ANALYZERS(SHP_AN_ROW_)};
#undef SHP_AN_ROW_

void *shp_layer_found_add(struct shp_layer_scan *scan, enum shp_analyzer_id id)
{
	struct shp_layer_found *f = &scan->found[id];
	size_t size = shp_analyzers[id]->rec_size;
	if (f->n + 1 > f->cap)
		f->v = shp_xgrow(f->v, &f->cap, f->n + 1, size);
	void *rec = (char *)f->v + f->n++ * size;
	memset(rec, 0, size);
	return rec;
}

size_t shp_layer_npkgdbs(const struct shp_layer_scan *s)
{
	size_t n = 0;
	for (size_t k = 0; k < SHP_NANALYZERS; k++)
		if (shp_analyzers[k]->pkgdbs)
			n += s->found[k].n;
	return n;
}

const struct shp_layer_pkgdb *shp_layer_pkgdb_at(const struct shp_layer_scan *s, size_t i)
{
	for (size_t k = 0; k < SHP_NANALYZERS; k++) {
		if (!shp_analyzers[k]->pkgdbs)
			continue;
		if (i < s->found[k].n)
			return (const struct shp_layer_pkgdb *)s->found[k].v + i;
		i -= s->found[k].n;
	}
	return NULL;
}

void shp_analysis_begin(struct shp_analysis *an, struct shp_layer_scan *scan)
{
	*an = (struct shp_analysis){.scan = scan};
	for (size_t k = 0; k < SHP_NANALYZERS; k++) {
		const struct shp_analyzer *a = shp_analyzers[k];
		an->on[k] = !scan->packages_only || a->packages;
		if (an->on[k] && a->run_size)
			an->run[k] = shp_xcalloc(1, a->run_size);
	}
}

void shp_analysis_end(struct shp_analysis *an)
{
	for (size_t k = 0; k < SHP_NANALYZERS; k++) {
		if (an->on[k] && shp_analyzers[k]->finish)
			shp_analyzers[k]->finish(an->run[k]);
		free(an->run[k]);
	}
	free(an->buf);
	*an = (struct shp_analysis){0};
}

/* The analyzers that want an entry: who[i] wants it in mode how[i]. */
struct wanted {
	size_t n;
	unsigned char who[SHP_NANALYZERS], how[SHP_NANALYZERS];
	unsigned taken; /* the modes, together */
};

static void too_large(struct shp_analysis *an, struct shp_an_entry *x, const struct wanted *w)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->how[i] == SHP_AN_WHOLE)
			shp_analyzers[w->who[i]]->too_large(an->run[w->who[i]], x);
}

/* The content read whole, for those that want it so and the streaming ones alike. */
static int read_whole(struct shp_analysis *an, struct shp_an_entry *x, const struct wanted *w, uint64_t max,
		      struct shp_an_source *src)
{
	const void *p;
	size_t n, got = 0;
	uint64_t off;
	int r;
	if (!an->buf)
		an->buf = shp_xmalloc(an->cap = 4096);
	while ((r = src->read(src, &p, &n, &off)) > 0) {
		if (off + n > max) {
			too_large(an, x, w);
			return 0;
		}
		if ((size_t)off + n > an->cap) {
			an->cap = (size_t)off + n + 4096;
			an->buf = shp_xrealloc(an->buf, an->cap);
		}
		if ((size_t)off > got)
			memset(an->buf + got, 0, (size_t)off - got); /* sparse hole */
		memcpy(an->buf + off, p, n);
		got = (size_t)off + n;
	}
	if (r < 0)
		return -1;
	for (size_t i = 0; i < w->n; i++) {
		const struct shp_analyzer *a = shp_analyzers[w->who[i]];
		void *run = an->run[w->who[i]];
		if (a->whole)
			a->whole(run, x, an->buf, got);
		else {
			a->begin(run, x);
			if (got)
				a->feed(run, x, an->buf, got, 0);
			a->end(run, x, 1);
		}
	}
	return 0;
}

/* The content block by block, to each until it wants no more. */
static int read_stream(struct shp_analysis *an, struct shp_an_entry *x, const struct wanted *w,
		       struct shp_an_source *src)
{
	unsigned char live[SHP_NANALYZERS];
	size_t nlive = w->n;
	for (size_t i = 0; i < w->n; i++) {
		shp_analyzers[w->who[i]]->begin(an->run[w->who[i]], x);
		live[i] = 1;
	}
	const void *p;
	size_t n;
	uint64_t off;
	int r = 0;
	/* once none wants more, the rest is left (a stream skips it at the next header) */
	while (nlive && (r = src->read(src, &p, &n, &off)) > 0)
		for (size_t i = 0; i < w->n; i++)
			if (live[i] && !shp_analyzers[w->who[i]]->feed(an->run[w->who[i]], x, p, n, off)) {
				live[i] = 0;
				nlive--;
			}
	int complete = !nlive || r >= 0;
	for (size_t i = 0; i < w->n; i++)
		shp_analyzers[w->who[i]]->end(an->run[w->who[i]], x, complete);
	return complete ? 0 : -1;
}

int shp_analysis_entry(struct shp_analysis *an, size_t idx, struct shp_an_source *src)
{
	struct shp_layer_scan *scan = an->scan;
	const struct shp_entry *e = &scan->entries[idx];
	if (e->type != SHP_FT_FILE)
		return 0; /* only a regular file has content (a hardlink's is its target's) */
	struct shp_an_entry x = {scan, idx, e, -1};
	struct wanted w = {0};
	for (size_t k = 0; k < SHP_NANALYZERS; k++) {
		if (!an->on[k])
			continue;
		int m = shp_analyzers[k]->wants(an->run[k], &x);
		if (!m)
			continue;
		if (m == SHP_AN_THROUGH)
			w.n = w.taken = 0; /* it reads the content alone */
		w.who[w.n] = (unsigned char)k;
		w.how[w.n++] = (unsigned char)m;
		w.taken |= (unsigned)m;
		if (m == SHP_AN_THROUGH)
			break;
	}
	if (!w.n)
		return 0;
	uint64_t max = UINT64_MAX;
	for (size_t i = 0; i < w.n; i++)
		if (w.how[i] == SHP_AN_WHOLE && shp_analyzers[w.who[i]]->max_whole < max)
			max = shp_analyzers[w.who[i]]->max_whole;
	if (src->sized && e->size > max) {
		too_large(an, &x, &w);
		return 0;
	}
	if (src->open && src->open(src, e) < 0) {
		for (size_t i = 0; i < w.n; i++)
			if (!shp_analyzers[w.who[i]]->quiet) {
				shp_layer_unscanned(scan, idx, SHP_UNSCANNED_UNREADABLE);
				break;
			}
		return 0;
	}
	int rc = 0;
	if (w.taken == SHP_AN_THROUGH) {
		shp_analyzers[w.who[0]]->through(an->run[w.who[0]], &x, src->archive, src->fd);
		goto out;
	}
	/* those that read a file at any offset do so, and leave the stream to the others */
	if (src->fd >= 0) {
		size_t k = 0;
		w.taken = 0;
		for (size_t i = 0; i < w.n; i++) {
			const struct shp_analyzer *a = shp_analyzers[w.who[i]];
			if (w.how[i] == SHP_AN_STREAM && a->read_fd) {
				a->read_fd(an->run[w.who[i]], &x, src->fd);
				continue;
			}
			w.who[k] = w.who[i];
			w.how[k++] = w.how[i];
			w.taken |= w.how[i];
		}
		w.n = k;
	}
	if (w.taken & SHP_AN_WHOLE)
		rc = read_whole(an, &x, &w, max, src);
	else if (w.n)
		rc = read_stream(an, &x, &w, src);
out:
	if (src->close)
		src->close(src);
	return rc;
}
