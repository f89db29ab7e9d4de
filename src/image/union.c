/* union.c - stacking the layers (see union.h). Each layer is applied in two steps, as the
 * OCI spec orders it: its whiteouts and opaque markers hide what lower layers made, then
 * its entries add or replace. Dive's accounting runs before each layer is stacked, since
 * dive sizes a whiteout by what it deletes in the layers below. */
#include "image/union.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_name(uint32_t parent, const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull ^ parent;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static void rehash(struct shp_union *u)
{
	size_t cap = u->hcap ? u->hcap * 2 : 4096;
	free(u->hash);
	u->hash = shp_xcalloc(cap, sizeof *u->hash);
	u->hcap = cap;
	for (uint32_t i = 1; i < u->n; i++) {
		struct shp_unode *x = &u->nodes[i];
		size_t b = hash_name(x->parent, x->name, strlen(x->name)) & (cap - 1);
		x->hnext = u->hash[b];
		u->hash[b] = i;
	}
}

static uint32_t child(const struct shp_union *u, uint32_t parent, const char *s, size_t n)
{
	if (!u->hcap)
		return 0;
	for (uint32_t i = u->hash[hash_name(parent, s, n) & (u->hcap - 1)]; i; i = u->nodes[i].hnext) {
		const struct shp_unode *x = &u->nodes[i];
		if (x->parent == parent && !strncmp(x->name, s, n) && !x->name[n])
			return i;
	}
	return 0;
}

static uint32_t add_child(struct shp_union *u, uint32_t parent, const char *s, size_t n)
{
	if (u->n * 2 >= u->hcap)
		rehash(u);
	u->nodes = shp_xgrow(u->nodes, &u->cap, u->n + 1, sizeof *u->nodes);
	uint32_t i = (uint32_t)u->n++;
	struct shp_unode *x = &u->nodes[i];
	memset(x, 0, sizeof *x);
	x->name = shp_arena_strndup(&u->names, s, n);
	x->parent = parent;
	x->next_sibling = u->nodes[parent].first_child;
	u->nodes[parent].first_child = i;
	size_t b = hash_name(parent, s, n) & (u->hcap - 1);
	x->hnext = u->hash[b];
	u->hash[b] = i;
	return i;
}

/* The node of a normalised path, created with its parents if missing. */
static uint32_t ensure(struct shp_union *u, const char *path)
{
	uint32_t cur = 0;
	while (*path) {
		const char *end = strchrnul(path, '/');
		size_t n = (size_t)(end - path);
		uint32_t c = child(u, cur, path, n);
		cur = c ? c : add_child(u, cur, path, n);
		path = *end ? end + 1 : end;
	}
	return cur;
}

uint32_t shp_union_lookup(const struct shp_union *u, const char *path)
{
	uint32_t cur = 0;
	while (*path == '/')
		path++;
	while (*path) {
		const char *end = strchrnul(path, '/');
		size_t n = (size_t)(end - path);
		if (n && !(n == 1 && *path == '.')) {
			cur = child(u, cur, path, n);
			if (!cur)
				return 0;
		}
		path = *end ? end + 1 : end;
	}
	return cur;
}

static const struct shp_entry *entry_of(const struct shp_union *u, uint32_t ev)
{
	const struct shp_uevent *e = &u->ev[ev];
	const struct shp_layer_scan *s = &u->img->scans[u->img->layers[e->layer].scan];
	return &s->entries[e->entry];
}

/* What the runtime makes for a missing parent (containerd and moby: MkdirAll 0755, root). */
static const struct shp_entry implicit_dir = {.path = "", .mode = 0755, .type = SHP_FT_DIR};

const struct shp_entry *shp_union_visible(const struct shp_union *u, uint32_t node, int *layer)
{
	uint32_t v = node < u->n ? u->nodes[node].vis : 0;
	if (!v) {
		uint32_t imp = node < u->n ? u->nodes[node].implicit : 0;
		if (imp && layer)
			*layer = (int)imp - 1;
		return imp ? &implicit_dir : NULL;
	}
	if (layer)
		*layer = u->ev[v].layer;
	return entry_of(u, v);
}

uint32_t shp_union_event(const struct shp_union *u, const char *path, int layer, uint32_t entry)
{
	uint32_t node = shp_union_lookup(u, path);
	for (uint32_t e = node ? u->nodes[node].ev_first : 0; e; e = u->ev[e].next)
		if (u->ev[e].layer == layer && u->ev[e].entry == entry)
			return e;
	return 0;
}

const char *shp_union_path(const struct shp_union *u, uint32_t node, char *buf, size_t size)
{
	size_t pos = size - 1;
	buf[pos] = 0;
	for (uint32_t i = node; i; i = u->nodes[i].parent) {
		size_t l = strlen(u->nodes[i].name);
		if (l + 1 > pos)
			break;
		pos -= l;
		memcpy(buf + pos, u->nodes[i].name, l);
		buf[--pos] = '/';
	}
	if (pos == size - 1)
		buf[--pos] = '/';
	return buf + pos;
}

static uint32_t add_event(struct shp_union *u, uint32_t node, int layer, size_t entry)
{
	u->ev = shp_xgrow(u->ev, &u->cev, u->nev + 1, sizeof *u->ev);
	uint32_t i = (uint32_t)u->nev++;
	u->ev[i] =
		(struct shp_uevent){.node = node, .entry = (uint32_t)entry, .layer = (uint16_t)layer, .end_layer = -1};
	struct shp_unode *x = &u->nodes[node];
	if (x->ev_last)
		u->ev[x->ev_last].next = i;
	else
		x->ev_first = i;
	x->ev_last = i;
	return i;
}

/* Ends the visible versions below node (and node itself when self) as hidden by layer. */
static size_t hide(struct shp_union *u, uint32_t node, int self, int layer, int how)
{
	size_t hidden = 0;
	uint32_t *stack = NULL;
	size_t n = 0, cap = 0;
	if (self)
		SHP_PUSH(stack, n, cap, node);
	else
		for (uint32_t c = u->nodes[node].first_child; c; c = u->nodes[c].next_sibling)
			SHP_PUSH(stack, n, cap, c);
	while (n) {
		uint32_t x = stack[--n];
		struct shp_unode *nx = &u->nodes[x];
		nx->implicit = 0;
		if (nx->vis) {
			u->ev[nx->vis].end_layer = (int16_t)layer;
			u->ev[nx->vis].end_how = (uint8_t)how;
			nx->vis = 0;
			hidden++;
		}
		for (uint32_t c = nx->first_child; c; c = u->nodes[c].next_sibling)
			SHP_PUSH(stack, n, cap, c);
	}
	free(stack);
	return hidden;
}

/* dive: the size a whiteout stands for - the deleted node and everything under it in the
 * stacked tree below, if it was a directory; 0 for a file (dive's efficiency.go). */
static uint64_t dive_subtree(const struct shp_union *u, uint32_t node)
{
	const struct shp_unode *x = &u->nodes[node];
	if (!x->dive_present || !x->dive_isdir)
		return 0;
	uint64_t sum = 0;
	uint32_t *stack = NULL;
	size_t n = 0, cap = 0;
	SHP_PUSH(stack, n, cap, node);
	while (n) {
		uint32_t i = stack[--n];
		sum += u->nodes[i].dive_size;
		for (uint32_t c = u->nodes[i].first_child; c; c = u->nodes[c].next_sibling)
			if (u->nodes[c].dive_present)
				SHP_PUSH(stack, n, cap, c);
	}
	free(stack);
	return sum;
}

static void dive_remove(struct shp_union *u, uint32_t node)
{
	uint32_t *stack = NULL;
	size_t n = 0, cap = 0;
	SHP_PUSH(stack, n, cap, node);
	while (n) {
		uint32_t i = stack[--n];
		u->nodes[i].dive_present = 0;
		for (uint32_t c = u->nodes[i].first_child; c; c = u->nodes[c].next_sibling)
			if (u->nodes[c].dive_present)
				SHP_PUSH(stack, n, cap, c);
	}
	free(stack);
}

/* Paths in tree order: '/' sorts before every other byte, so a directory's descendants
 * directly follow it. */
static int cmp_tree(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x == y) {
			if (!x)
				return 0;
			continue;
		}
		if (!x || !y)
			return x ? 1 : -1;
		if (x == '/')
			return -1;
		if (y == '/')
			return 1;
		return x < y ? -1 : 1;
	}
}

static int cmp_idx(const void *a, const void *b, void *entries)
{
	const struct shp_entry *v = entries;
	const struct shp_entry *x = &v[*(const uint32_t *)a], *y = &v[*(const uint32_t *)b];
	int c = cmp_tree(x->path, y->path);
	return c ? c : (*(const uint32_t *)a > *(const uint32_t *)b) - (*(const uint32_t *)a < *(const uint32_t *)b);
}

static int is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 0)
		return *path != 0;
	return !strncmp(path, dir, n) && path[n] == '/';
}

/* Makes node and its missing parents implicit directories of layer L: the runtime creates
 * them before it writes an entry below them. */
static void implicit_parents(struct shp_union *u, uint32_t node, int L)
{
	for (uint32_t p = node; p && !u->nodes[p].vis && !u->nodes[p].implicit; p = u->nodes[p].parent)
		u->nodes[p].implicit = (uint32_t)L + 1;
}

/* Whether the first copy dive counted of node (in its first_layer) was a whiteout: told from
 * that layer's event there, when a second copy comes. */
static uint8_t first_is_whiteout(const struct shp_union *u, uint32_t node)
{
	for (uint32_t e = u->nodes[node].ev_first; e; e = u->ev[e].next)
		if (u->ev[e].layer == u->nodes[node].first_layer && entry_of(u, e)->type == SHP_FT_WHITEOUT)
			return 1;
	return 0;
}

static void apply_layer(struct shp_union *u, int L)
{
	const struct shp_layer_scan *s = &u->img->scans[u->img->layers[L].scan];
	struct shp_layer_stats *st = &u->layers[L];
	size_t n = s->nentries;
	uint32_t *ord = shp_xmalloc((n ? n : 1) * sizeof *ord);
	uint32_t *node = shp_xmalloc((n ? n : 1) * sizeof *node);
	for (size_t i = 0; i < n; i++) {
		ord[i] = (uint32_t)i;
		st->size += s->entries[i].size;
	}
	qsort_r(ord, n, sizeof *ord, cmp_idx, s->entries);
	for (size_t k = 0; k < n; k++)
		node[k] = ensure(u, s->entries[ord[k]].path);

	/* 1. dive's accounting against the stacked tree of the layers below */
	for (size_t k = 0; k < n; k++) {
		const struct shp_entry *e = &s->entries[ord[k]];
		int leaf = !(k + 1 < n && is_under(s->entries[ord[k + 1]].path, e->path));
		if (e->type == SHP_FT_OPAQUE) {
			/* dive never adds the marker; its directory is a leaf only if nothing else is in it
			 * and the layer has no entry of its own for it */
			int own = (k > 0 && !strcmp(s->entries[ord[k - 1]].path, e->path)) ||
				  (k + 1 < n && !strcmp(s->entries[ord[k + 1]].path, e->path));
			if (!leaf || own || !*e->path)
				continue;
		} else if (!leaf || !*e->path)
			continue;
		uint64_t size = e->type == SHP_FT_WHITEOUT ? dive_subtree(u, node[k])
				: e->type == SHP_FT_OPAQUE ? 0
							   : e->size;
		struct shp_unode *x = &u->nodes[node[k]];
		/* the copies of a path counted again are kept for the waste list: the first one
		 * when the second comes (its size is cum then) */
		if (x->count == 1)
			SHP_PUSH(u->copies, u->ncopies, u->ccopies,
				 ((struct shp_ucopy){x->cum, node[k], x->first_layer, first_is_whiteout(u, node[k])}));
		if (x->count >= 1)
			SHP_PUSH(u->copies, u->ncopies, u->ccopies,
				 ((struct shp_ucopy){size, node[k], (uint16_t)L, e->type == SHP_FT_WHITEOUT}));
		else
			x->first_layer = (uint16_t)L;
		x->cum += size;
		if (!x->count || size < x->min)
			x->min = size;
		x->count++;
	}
	/* 2. dive's stacking: whiteouts remove, every other node of the layer tree (implicit
	 * parents too, with an empty payload) replaces the payload */
	for (size_t k = 0; k < n; k++) {
		const struct shp_entry *e = &s->entries[ord[k]];
		for (uint32_t p = u->nodes[node[k]].parent; p; p = u->nodes[p].parent) {
			/* implicit parents: those without an entry of their own earlier in this order */
			if (u->nodes[p].dive_present == 2)
				break;
			u->nodes[p].dive_present = 2;
			u->nodes[p].dive_isdir = 0;
			u->nodes[p].dive_size = 0;
		}
		if (e->type == SHP_FT_WHITEOUT) {
			dive_remove(u, node[k]);
			continue;
		}
		struct shp_unode *x = &u->nodes[node[k]];
		if (e->type != SHP_FT_OPAQUE) {
			x->dive_isdir = e->type == SHP_FT_DIR;
			x->dive_size = e->size;
		} else if (x->dive_present != 2) { /* the marker's directory, implicit unless listed */
			x->dive_isdir = 0;
			x->dive_size = 0;
		}
		x->dive_present = 2;
	}
	/* 3. the runtime's view: first what this layer deletes ... */
	for (size_t k = 0; k < n; k++) {
		const struct shp_entry *e = &s->entries[ord[k]];
		if (e->type == SHP_FT_WHITEOUT) {
			add_event(u, node[k], L, ord[k]);
			hide(u, node[k], 1, L, SHP_END_DELETED);
			st->removed++;
		} else if (e->type == SHP_FT_OPAQUE) {
			add_event(u, node[k], L, ord[k]);
			st->removed += hide(u, node[k], 0, L, SHP_END_DELETED);
		}
	}
	/* ... then what it adds or replaces */
	for (size_t k = 0; k < n; k++) {
		const struct shp_entry *e = &s->entries[ord[k]];
		struct shp_unode *x = &u->nodes[node[k]];
		x->dive_present = x->dive_present ? 1 : 0;
		for (uint32_t p = x->parent; p && u->nodes[p].dive_present == 2; p = u->nodes[p].parent)
			u->nodes[p].dive_present = 1;
		if (e->type == SHP_FT_WHITEOUT)
			continue;
		if (e->type == SHP_FT_OPAQUE) {
			implicit_parents(u, node[k], L); /* the marker's directory is in the layer */
			continue;
		}
		implicit_parents(u, x->parent, L);
		if (x->implicit) {
			/* an entry for what was an implicit directory: the entry is what is there */
			if (e->type != SHP_FT_DIR)
				hide(u, node[k], 0, L, SHP_END_REPLACED);
			x->implicit = 0;
			st->added++;
		} else if (x->vis) {
			const struct shp_entry *old = entry_of(u, x->vis);
			if (old->type == SHP_FT_DIR && e->type != SHP_FT_DIR)
				hide(u, node[k], 0, L, SHP_END_REPLACED);
			u->ev[x->vis].end_layer = (int16_t)L;
			u->ev[x->vis].end_how = SHP_END_OVERWRITTEN;
			st->changed++;
		} else
			st->added++;
		x->vis = add_event(u, node[k], L, ord[k]);
	}
	free(ord);
	free(node);
}

void shp_union_build(struct shp_union *u, const struct shp_image *img)
{
	memset(u, 0, sizeof *u);
	u->img = img;
	u->nodes = shp_xgrow(NULL, &u->cap, 1, sizeof *u->nodes);
	memset(u->nodes, 0, sizeof *u->nodes);
	u->nodes[0].name = "";
	u->nodes[0].dive_present = 1;
	u->nodes[0].dive_isdir = 1;
	u->n = 1;
	u->ev = shp_xgrow(NULL, &u->cev, 1, sizeof *u->ev);
	u->nev = 1;
	rehash(u);
	u->layers = shp_xcalloc(img->nlayers + 1, sizeof *u->layers);
	for (size_t L = 0; L < img->nlayers; L++)
		apply_layer(u, (int)L);

	struct shp_efficiency *f = &u->eff;
	for (size_t L = 0; L < img->nlayers; L++) {
		f->size_bytes += u->layers[L].size;
		if (L)
			f->user_size_bytes += u->layers[L].size;
	}
	uint64_t min_sum = 0, cum_sum = 0;
	for (size_t i = 1; i < u->n; i++) {
		const struct shp_unode *x = &u->nodes[i];
		if (!x->count)
			continue;
		min_sum += x->min;
		cum_sum += x->cum;
		if (x->count >= 2) {
			f->wasted_bytes += x->cum;
			f->reclaimable_bytes += x->cum - x->min;
			f->inefficient_paths++;
		}
	}
	f->score = cum_sum ? (double)min_sum / (double)cum_sum : 1.0;
	f->wasted_user_percent = f->user_size_bytes ? (double)f->wasted_bytes / (double)f->user_size_bytes : 0.0;
}

void shp_union_free(struct shp_union *u)
{
	shp_arena_free(&u->names);
	free(u->nodes);
	free(u->ev);
	free(u->hash);
	free(u->layers);
	free(u->copies);
	memset(u, 0, sizeof *u);
}

static int cmp_copy(const void *a, const void *b)
{
	const struct shp_ucopy *x = a, *y = b;
	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->layer != y->layer)
		return x->layer < y->layer ? -1 : 1;
	if (x->whiteout != y->whiteout)
		return x->whiteout < y->whiteout ? -1 : 1;
	return (x->size > y->size) - (x->size < y->size);
}

static int cmp_waste(const void *a, const void *b)
{
	const struct shp_waste *x = a, *y = b;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return cmp_tree(x->path, y->path);
}

size_t shp_union_waste(struct shp_union *u, struct shp_waste **out)
{
	if (u->ncopies > 1) /* none: copies is NULL, which qsort may not be given */
		qsort(u->copies, u->ncopies, sizeof *u->copies, cmp_copy);
	struct shp_waste *w = NULL;
	size_t n = 0, cap = 0;
	char buf[SHP_IMG_MAX_PATH + 2];
	for (size_t i = 0, j; i < u->ncopies; i = j) {
		uint64_t size = 0, min = UINT64_MAX;
		for (j = i; j < u->ncopies && u->copies[j].node == u->copies[i].node; j++) {
			size += u->copies[j].size;
			if (u->copies[j].size < min)
				min = u->copies[j].size;
		}
		struct shp_waste x = {.path = shp_xstrdup(shp_union_path(u, u->copies[i].node, buf, sizeof buf)),
				      .node = u->copies[i].node,
				      .count = (uint32_t)(j - i),
				      .size = size,
				      .reclaimable = size - min,
				      .copies = &u->copies[i]};
		SHP_PUSH(w, n, cap, x);
	}
	if (n > 1)
		qsort(w, n, sizeof *w, cmp_waste);
	*out = w;
	return n;
}

void shp_union_waste_free(struct shp_waste *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i].path);
	free(w);
}

struct mark {
	uint32_t node;
	uint8_t how; /* 1: a whiteout of the layer, 2: an opaque directory's marker */
};

static int cmp_mark(const void *a, const void *b)
{
	uint32_t x = ((const struct mark *)a)->node, y = ((const struct mark *)b)->node;
	return (x > y) - (x < y);
}

static uint8_t marked(const struct mark *m, size_t n, uint32_t node)
{
	const struct mark key = {node, 0}, *f = n ? bsearch(&key, m, n, sizeof *m, cmp_mark) : NULL;
	return f ? f->how : 0;
}

/* The mark of the shallowest of node's parents that has one, or 0. */
static uint8_t marked_above(const struct shp_union *u, const struct mark *m, size_t n, uint32_t node)
{
	uint8_t how = 0;
	for (uint32_t p = u->nodes[node].parent; p; p = u->nodes[p].parent) {
		uint8_t h = marked(m, n, p);
		how = h ? h : how;
	}
	return how;
}

size_t shp_union_layer_changes(const struct shp_union *u, int L, struct shp_layer_change **out)
{
	struct shp_layer_change *v = NULL;
	size_t n = 0, cap = 0, nm = 0, cm = 0;
	struct mark *m = NULL;
	/* the layers' events follow each other in layer order: L's are one run */
	size_t lo = 1, hi = u->nev;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (u->ev[mid].layer < L)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < u->nev && u->ev[end].layer == L)
		end++;
	for (size_t e = lo; e < end; e++) {
		const struct shp_uevent *ev = &u->ev[e];
		uint8_t t = entry_of(u, (uint32_t)e)->type;
		if (t == SHP_FT_WHITEOUT) {
			SHP_PUSH(m, nm, cm, ((struct mark){ev->node, 1}));
			SHP_PUSH(v, n, cap, ((struct shp_layer_change){ev->node, SHP_CHANGE_REMOVED}));
		} else if (t == SHP_FT_OPAQUE) {
			SHP_PUSH(m, nm, cm, ((struct mark){ev->node, 2}));
		} else {
			/* changed when the version before it ended here, overwritten */
			int changed = 0;
			for (uint32_t p = u->nodes[ev->node].ev_first; p && p != e && !changed; p = u->ev[p].next)
				changed = u->ev[p].end_layer == L && u->ev[p].end_how == SHP_END_OVERWRITTEN;
			SHP_PUSH(
				v, n, cap,
				((struct shp_layer_change){ev->node, changed ? SHP_CHANGE_CHANGED : SHP_CHANGE_ADDED}));
		}
	}
	if (nm > 1)
		qsort(m, nm, sizeof *m, cmp_mark);
	/* what an opaque directory hid below it, unless a whiteout above it hid it first (a
	 * whiteout below it still counts on its own, as the layer's count has it): the subtree
	 * of each opaque directory no mark is above */
	uint32_t *stack = NULL;
	size_t ns = 0, cs = 0;
	for (size_t k = 0; k < nm; k++) {
		if (m[k].how != 2 || marked_above(u, m, nm, m[k].node))
			continue;
		for (uint32_t c = u->nodes[m[k].node].first_child; c; c = u->nodes[c].next_sibling)
			SHP_PUSH(stack, ns, cs, c);
		while (ns) {
			uint32_t x = stack[--ns];
			for (uint32_t e = u->nodes[x].ev_first; e; e = u->ev[e].next)
				if (u->ev[e].layer < L && u->ev[e].end_layer == L &&
				    u->ev[e].end_how == SHP_END_DELETED && marked_above(u, m, nm, x) == 2)
					SHP_PUSH(v, n, cap, ((struct shp_layer_change){x, SHP_CHANGE_REMOVED}));
			for (uint32_t c = u->nodes[x].first_child; c; c = u->nodes[c].next_sibling)
				SHP_PUSH(stack, ns, cs, c);
		}
	}
	free(stack);
	free(m);
	*out = v;
	return n;
}

uint32_t shp_union_walk(const struct shp_union *u, const char *path, int follow_last, shp_union_visit_fn visit,
			void *arg, int *loop)
{
	char buf[8192];
	int hops = 0;
	*loop = 0;
	if (strlen(path) >= sizeof buf)
		return 0;
	strcpy(buf, path);
	uint32_t cur = 0;
	char *p = buf;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			return cur;
		char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);
		int last = !*end;
		if (n == 1 && *p == '.') {
			p = end;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			cur = u->nodes[cur].parent;
			p = end;
			continue;
		}
		uint32_t c = child(u, cur, p, n);
		const struct shp_entry *e = c ? shp_union_visible(u, c, NULL) : NULL;
		if (!e)
			return 0;
		if (visit)
			visit(arg, c);
		if (e->type == SHP_FT_SYMLINK && e->link && (!last || follow_last)) {
			if (++hops > SHP_IMG_MAX_LINK_DEPTH) {
				*loop = 1;
				return 0;
			}
			char rest[8192];
			int k = snprintf(rest, sizeof rest, "%s%s%s", e->link, last ? "" : "/", last ? "" : end + 1);
			if (k < 0 || (size_t)k >= sizeof rest)
				return 0;
			strcpy(buf, rest);
			p = buf;
			if (*p != '/') {
				/* relative to the link's directory: cur stays */
			} else
				cur = 0;
			continue;
		}
		cur = c;
		p = end;
	}
}

uint32_t shp_union_resolve(const struct shp_union *u, const char *path, int *loop)
{
	return shp_union_walk(u, path, 1, NULL, NULL, loop);
}
