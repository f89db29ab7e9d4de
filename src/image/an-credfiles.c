/* an-credfiles.c - the credential files analyzer: /etc/shadow, /etc/passwd, /etc/group and
 * the keystores (by their names), read whole up to SHP_CRED_FILE_MAX_BYTES and judged by
 * secrets/credfiles.c. Only these few files are read: the test of every other entry is one
 * look at its name. Its findings are struct shp_cred_hit. */
#include "image/analyzer.h"
#include "secrets/credfiles.h"
#include "util/xalloc.h"

#include <string.h>

enum { CF_NONE, CF_SHADOW, CF_PASSWD, CF_GROUP, CF_KEYSTORE };

static int file_kind(const char *path)
{
	if (!strncmp(path, "etc/", 4)) {
		const char *b = path + 4;
		if (!strcmp(b, "shadow"))
			return CF_SHADOW;
		if (!strcmp(b, "passwd"))
			return CF_PASSWD;
		if (!strcmp(b, "group"))
			return CF_GROUP;
	}
	return shp_keystore_name(path) ? CF_KEYSTORE : CF_NONE;
}

static int wants(void *run, struct shp_an_entry *x)
{
	(void)run;
	if (!x->e->size || file_kind(x->e->path) == CF_NONE)
		return 0;
	if (x->e->size > SHP_CRED_FILE_MAX_BYTES) {
		/* not read whole: that would keep the secrets analyzer from it as well */
		shp_layer_unscanned(x->scan, x->idx, SHP_UNSCANNED_CRED_FILE);
		return 0;
	}
	return SHP_AN_WHOLE;
}

struct add_ctx {
	struct shp_layer_scan *scan;
	size_t idx;
};

static void add(void *arg, const struct shp_cred_item *it)
{
	struct add_ctx *c = arg;
	struct shp_cred_hit *h = shp_layer_found_add(c->scan, SHP_ANALYZER_CRED_FILES);
	h->entry = (uint32_t)c->idx;
	h->line = it->line;
	h->what = (uint8_t)it->what;
	h->name = shp_arena_strndup(&c->scan->arena, it->name, strlen(it->name));
	h->detail = shp_arena_strndup(&c->scan->arena, it->detail, strlen(it->detail));
	memcpy(h->fp, it->fp, sizeof h->fp);
	h->fp[sizeof h->fp - 1] = 0;
}

static void whole(void *run, struct shp_an_entry *x, const char *data, size_t len)
{
	(void)run;
	struct add_ctx c = {x->scan, x->idx};
	switch (file_kind(x->e->path)) {
	case CF_SHADOW: shp_shadow_check(data, len, add, &c); break;
	case CF_PASSWD: shp_ids_check(data, len, 0, add, &c); break;
	case CF_GROUP: shp_ids_check(data, len, 1, add, &c); break;
	case CF_KEYSTORE: shp_keystore_check(x->e->path, data, len, add, &c); break;
	default: break;
	}
}

/* A sparse file whose data outgrew its header's size. */
static void too_large(void *run, struct shp_an_entry *x)
{
	(void)run;
	shp_layer_unscanned(x->scan, x->idx, SHP_UNSCANNED_CRED_FILE);
}

static void put(struct shp_rec_out *w, const void *rec)
{
	const struct shp_cred_hit *h = rec;
	shp_rec_put_u32(w, h->entry);
	shp_rec_put_u32(w, h->line);
	shp_rec_put_u8(w, h->what);
	shp_rec_put_str(w, h->name);
	shp_rec_put_str(w, h->detail);
	shp_rec_put_str(w, h->fp);
}

static void get(struct shp_rec_in *r, const struct shp_layer_scan *scan, void *rec)
{
	struct shp_cred_hit *h = rec;
	h->entry = shp_rec_get_u32(r);
	h->line = shp_rec_get_u32(r);
	h->what = shp_rec_get_u8(r);
	h->name = shp_rec_get_str(r);
	h->detail = shp_rec_get_str(r);
	const char *fp = shp_rec_get_str(r);
	if (h->entry >= scan->nentries || !h->what || h->what >= SHP_CRED_NWHAT || !h->name || !h->detail || !fp ||
	    strlen(fp) >= sizeof h->fp)
		shp_rec_bad(r);
	else
		memcpy(h->fp, fp, strlen(fp) + 1);
}

const struct shp_analyzer shp_an_cred_files = {
	.name = "cred-files",
	.version = 1,
	.rec_size = sizeof(struct shp_cred_hit),
	.rec_min = 4 + 4 + 1 + 4 + 4 + 4,
	.wants = wants,
	.whole = whole,
	.max_whole = SHP_CRED_FILE_MAX_BYTES,
	.too_large = too_large,
	.put = put,
	.get = get,
};
