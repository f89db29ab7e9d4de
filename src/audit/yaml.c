/* yaml.c - see yaml.h. */
#include "audit/yaml.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"
#include "util/yaml-error.h"
#include "util/yaml-limits.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* JSON is read with the JSON parser, into the same nodes: libyaml refuses a key longer than
 * 1024 characters (YAML's bound on implicit keys), which JSON allows and docker inspect writes
 * for a long label. cJSON keeps no places, so a walk over the (valid) text beside its tree
 * finds each value's line and column, and the text of each number as written. */
struct jwalk {
	yaml_document_t *d;
	const char *p, *end;
	yaml_mark_t m; /* where p is; columns count characters, as libyaml's do */
};

static void jskip(struct jwalk *j, size_t n)
{
	for (; n && j->p < j->end; n--, j->p++) {
		if ((*j->p & 0xc0) != 0x80)
			j->m.index++; /* characters, as libyaml counts them (pin finds bytes from it) */
		if (*j->p == '\n') {
			j->m.line++;
			j->m.column = 0;
		} else if ((*j->p & 0xc0) != 0x80) {
			j->m.column++;
		}
	}
}

static void jspace(struct jwalk *j)
{
	while (j->p < j->end && strchr(" \t\r\n", *j->p) && *j->p)
		jskip(j, 1);
}

static void jstring(struct jwalk *j)
{
	jskip(j, 1);
	while (j->p < j->end && *j->p != '"')
		jskip(j, *j->p == '\\' ? 2 : 1);
	jskip(j, 1);
}

static int jscalar(struct jwalk *j, const char *s, int len, yaml_scalar_style_t style)
{
	return yaml_document_add_scalar(j->d, NULL, (const yaml_char_t *)s, len, style);
}

/* The node of v (consumed: its children are freed as they are copied, so the tree and the
 * document are not both whole at once), or 0 when libyaml refuses a value (not UTF-8). */
static int jnode(struct jwalk *j, cJSON *v)
{
	jspace(j);
	yaml_mark_t at = j->m;
	int idx;
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		int obj = cJSON_IsObject(v);
		idx = obj ? yaml_document_add_mapping(j->d, NULL, YAML_FLOW_MAPPING_STYLE)
			  : yaml_document_add_sequence(j->d, NULL, YAML_FLOW_SEQUENCE_STYLE);
		jskip(j, 1);
		if (!v->child) {
			jspace(j);
			jskip(j, 1); /* the closing bracket */
		}
		for (cJSON *c; idx && (c = v->child);) {
			int k = 0;
			if (obj) {
				jspace(j);
				yaml_mark_t kat = j->m;
				k = jscalar(j, c->string ? c->string : "", -1, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
				jstring(j);
				if (k)
					yaml_document_get_node(j->d, k)->start_mark = kat;
				jspace(j);
				jskip(j, 1); /* : */
			}
			int n = (!obj || k) ? jnode(j, c) : 0;
			if (!n || !(obj ? yaml_document_append_mapping_pair(j->d, idx, k, n)
					: yaml_document_append_sequence_item(j->d, idx, n)))
				idx = 0;
			cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
			jspace(j);
			jskip(j, 1); /* , or the closing bracket */
		}
	} else if (cJSON_IsString(v)) {
		idx = jscalar(j, v->valuestring, -1, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
		jstring(j);
	} else { /* a number, true, false or null: its text as written */
		size_t n = 0;
		while (j->p + n < j->end && !strchr(",]} \t\r\n", j->p[n]) && j->p[n])
			n++;
		idx = jscalar(j, j->p, (int)n, YAML_PLAIN_SCALAR_STYLE);
		jskip(j, n);
	}
	if (idx) {
		yaml_node_t *n = yaml_document_get_node(j->d, idx);
		n->start_mark = at;
		n->end_mark = j->m;
	}
	return idx;
}

/* Whether text is a JSON value within the sanity limits, with nothing but white space after
 * it; 1 with *d loaded, 0 if not (*bad: where the JSON parser stopped, when text starts as
 * JSON does but is not), -1 with err past a limit (shp_json_check, before the parser builds a
 * tree, with YAML's limits: it is read into the same nodes). */
static int json_load(yaml_document_t *d, const char *path, const char *text, size_t len, size_t *bad,
		     struct shp_error **err)
{
	*bad = SIZE_MAX;
	size_t i = 0;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && strchr(" \t\r\n", text[i]) && text[i])
		i++;
	if (i == len || (text[i] != '{' && text[i] != '['))
		return 0;
	static const struct shp_json_limits lim = {SHP_YAML_MAX_DEPTH, SHP_YAML_MAX_NODES, "SHP_YAML_MAX_NODES"};
	if (shp_json_check(path, text, len, &lim, err) < 0)
		return -1;
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (v)
		while (end < text + len && strchr(" \t\r\n", *end) && *end)
			end++;
	if (!v || end != text + len) {
		*bad = end && end >= text ? (size_t)(end - text) : 0;
		cJSON_Delete(v);
		return 0;
	}
	if (!yaml_document_initialize(d, NULL, NULL, NULL, 1, 1)) {
		cJSON_Delete(v);
		return 0;
	}
	/* libyaml counts no column for a byte order mark; nor does the walk */
	struct jwalk j = {d, text + (text[0] == '\xef' ? 3 : 0), text + len, {0, 0, 0}};
	int ok = jnode(&j, v) != 0;
	jspace(&j);
	ok = ok && j.p == j.end; /* the walk kept in step with the parser */
	cJSON_Delete(v);
	if (!ok)
		yaml_document_delete(d);
	return ok;
}

/* Merge keys are resolved once per mapping, when the document is loaded: a mapping's pairs
 * become its own (without "<<") followed by those of the mappings it merges that it does not
 * override, nearest first, as YAML's merge type says. A lookup then reads one mapping; looking
 * through the merges on every lookup cost time exponential in the chain of merges. Mappings
 * are resolved in the order of a depth-first walk over their merges (an explicit stack, as a
 * chain may be long), so each source is whole before it is copied; a cycle (an anchor merged
 * inside itself) adds nothing. */
enum { M_NONE, M_PENDING, M_ACTIVE, M_DONE };

static int is_merge_key(ynode *k)
{
	return k && k->type == YAML_SCALAR_NODE &&
	       ((k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		 !strcmp((const char *)k->data.scalar.value, "<<")) ||
		(k->tag && !strcmp((const char *)k->tag, "tag:yaml.org,2002:merge")));
}

/* The i-th mapping map merges, in order (a mapping, or the mappings of a sequence), or NULL
 * past the last; *pair and *item are the cursor, starting at 0. */
static ynode *next_source(yaml_document_t *d, ynode *map, size_t *pair, size_t *item)
{
	for (; *pair < shp_y_npairs(map); ++*pair, *item = 0) {
		if (!is_merge_key(shp_y_key(d, map, *pair)))
			continue;
		ynode *v = shp_y_val(d, map, *pair);
		if (shp_y_is_map(v) && *item == 0) {
			++*item;
			return v;
		}
		while (*item < shp_y_len(v)) {
			ynode *m = shp_y_item(d, v, (*item)++);
			if (shp_y_is_map(m))
				return m;
		}
	}
	return NULL;
}

static uint64_t key_hash(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Whether key is in the set (open addressing over mask+1 slots of node indices); adds it if
 * not. Keys that are not scalars are never the same. */
static int seen(yaml_document_t *d, int *set, size_t mask, int key)
{
	const char *s = shp_y_str(shp_y_node(d, key));
	if (!s)
		return 0;
	for (size_t h = key_hash(s) & mask;; h = (h + 1) & mask) {
		if (!set[h]) {
			set[h] = key;
			return 0;
		}
		if (!strcmp(shp_y_str(shp_y_node(d, set[h])), s))
			return 1;
	}
}

static int merge_one(yaml_document_t *d, ynode *map, const unsigned char *state, size_t *budget, const char *path,
		     struct shp_error **err)
{
	size_t own = shp_y_npairs(map), total = own, pair = 0, item = 0;
	for (ynode *src; (src = next_source(d, map, &pair, &item));)
		if (state[src - d->nodes.start] != M_ACTIVE)
			total += shp_y_npairs(src);
	if (total - own > *budget)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d:%d: merge keys (<<) copy more than %d pairs", path,
				     shp_y_line(map), shp_y_col(map), SHP_Y_MAX_MERGED_PAIRS);
	*budget -= total - own;
	size_t slots = 2;
	while (slots < 2 * total)
		slots <<= 1;
	size_t mask = slots - 1;
	_cleanup_free_ int *set = shp_xcalloc(slots, sizeof *set);
	yaml_node_pair_t *out = shp_xmalloc((total ? total : 1) * sizeof *out), *o = out;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
		if (!is_merge_key(shp_y_node(d, p->key))) {
			seen(d, set, mask, p->key);
			*o++ = *p;
		}
	pair = item = 0;
	for (ynode *src; (src = next_source(d, map, &pair, &item));) {
		if (state[src - d->nodes.start] == M_ACTIVE)
			continue;
		for (yaml_node_pair_t *p = src->data.mapping.pairs.start; p < src->data.mapping.pairs.top; p++)
			if (!seen(d, set, mask, p->key))
				*o++ = *p;
	}
	free(map->data.mapping.pairs.start); /* libyaml's, from malloc() */
	map->data.mapping.pairs.start = out;
	map->data.mapping.pairs.top = o;
	map->data.mapping.pairs.end = out + total;
	return 0;
}

static int resolve_merges(yaml_document_t *d, size_t *budget, const char *path, struct shp_error **err)
{
	size_t n = (size_t)(d->nodes.top - d->nodes.start), depth = 0, cap = 0;
	_cleanup_free_ unsigned char *state = shp_xcalloc(n ? n : 1, 1);
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		ynode *m = &d->nodes.start[i];
		for (size_t k = 0; k < shp_y_npairs(m) && state[i] == M_NONE; k++)
			if (is_merge_key(shp_y_key(d, m, k)))
				state[i] = M_PENDING;
		any |= state[i] == M_PENDING;
	}
	if (!any)
		return 0;
	struct frame {
		ynode *map;
		size_t pair, item;
	};
	_cleanup_free_ struct frame *stack = NULL;
	for (size_t i = 0; i < n; i++) {
		if (state[i] != M_PENDING)
			continue;
		state[i] = M_ACTIVE;
		SHP_PUSH(stack, depth, cap, ((struct frame){&d->nodes.start[i], 0, 0}));
		while (depth) {
			struct frame *f = &stack[depth - 1];
			ynode *src;
			while ((src = next_source(d, f->map, &f->pair, &f->item)) &&
			       state[src - d->nodes.start] != M_PENDING)
				;
			if (src) {
				state[src - d->nodes.start] = M_ACTIVE;
				SHP_PUSH(stack, depth, cap, ((struct frame){src, 0, 0}));
				continue;
			}
			if (merge_one(d, f->map, state, budget, path, err) < 0)
				return -1;
			state[f->map - d->nodes.start] = M_DONE;
			depth--;
		}
	}
	return 0;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcasecmp(s + n - k, suffix);
}

int shp_ystream_parse(struct shp_ystream *s, const char *path, const char *text, size_t len, struct shp_error **err)
{
	memset(s, 0, sizeof *s);
	s->path = path;
	if (len > SHP_Y_MAX_BYTES)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: larger than the %u MiB limit", path,
				     SHP_Y_MAX_BYTES >> 20);
	yaml_document_t d;
	size_t bad;
	int json = json_load(&d, path, text, len, &bad, err);
	if (json < 0)
		return -1;
	if (json > 0) {
		s->docs = shp_xmalloc(sizeof *s->docs);
		s->docs[s->n++] = d;
		return 0;
	}
	if (shp_yaml_check(path, text, len, NULL, err) < 0) {
		if (bad != SIZE_MAX && has_suffix(path, ".json")) {
			/* meant as JSON (and not YAML either): the JSON parser's place, not libyaml's */
			size_t line, col;
			shp_text_place(text, len, bad, &line, &col);
			shp_error_free(*err);
			*err = NULL;
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%zu:%zu: not valid JSON", path, line, col);
		}
		return -1;
	}
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: cannot start the YAML parser", path);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	size_t cap = 0, budget = SHP_Y_MAX_MERGED_PAIRS;
	int rc = 0;
	for (;;) {
		if (!yaml_parser_load(&p, &d)) {
			rc = shp_yaml_error(err, path, &p, text, len, NULL);
			break;
		}
		if (!yaml_document_get_root_node(&d)) { /* the end of the stream */
			yaml_document_delete(&d);
			break;
		}
		if (s->n >= SHP_Y_MAX_DOCS) {
			yaml_document_delete(&d);
			rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: more than %d documents", path, SHP_Y_MAX_DOCS);
			break;
		}
		SHP_PUSH(s->docs, s->n, cap, d);
		if ((rc = resolve_merges(&s->docs[s->n - 1], &budget, path, err)) < 0)
			break;
	}
	yaml_parser_delete(&p);
	if (rc < 0)
		shp_ystream_free(s);
	return rc;
}

void shp_ystream_free(struct shp_ystream *s)
{
	for (size_t i = 0; i < s->n; i++)
		yaml_document_delete(&s->docs[i]);
	free(s->docs);
	s->docs = NULL;
	s->n = 0;
}

ynode *shp_y_root(yaml_document_t *d) { return yaml_document_get_root_node(d); }
ynode *shp_y_node(yaml_document_t *d, int index) { return yaml_document_get_node(d, index); }

const char *shp_y_str(ynode *n) { return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL; }
int shp_y_line(ynode *n) { return n ? (int)n->start_mark.line + 1 : 0; }
int shp_y_col(ynode *n) { return n ? (int)n->start_mark.column + 1 : 0; }
int shp_y_is_map(ynode *n) { return n && n->type == YAML_MAPPING_NODE; }
int shp_y_is_seq(ynode *n) { return n && n->type == YAML_SEQUENCE_NODE; }

int shp_y_bool(ynode *n)
{
	const char *s = shp_y_str(n);
	if (!s)
		return -1;
	static const char *const yes[] = {"true", "yes", "on", "y"}, *const no[] = {"false", "no", "off", "n"};
	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i]))
			return 1;
		if (!strcasecmp(s, no[i]))
			return 0;
	}
	return -1;
}

size_t shp_y_len(ynode *seq)
{
	return shp_y_is_seq(seq) ? (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start) : 0;
}

ynode *shp_y_item(yaml_document_t *d, ynode *seq, size_t i)
{
	return i < shp_y_len(seq) ? shp_y_node(d, seq->data.sequence.items.start[i]) : NULL;
}

size_t shp_y_npairs(ynode *map)
{
	return shp_y_is_map(map) ? (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start) : 0;
}

ynode *shp_y_key(yaml_document_t *d, ynode *map, size_t i)
{
	return i < shp_y_npairs(map) ? shp_y_node(d, map->data.mapping.pairs.start[i].key) : NULL;
}

ynode *shp_y_val(yaml_document_t *d, ynode *map, size_t i)
{
	return i < shp_y_npairs(map) ? shp_y_node(d, map->data.mapping.pairs.start[i].value) : NULL;
}

ynode *shp_y_get(yaml_document_t *d, ynode *map, const char *key)
{
	size_t n = shp_y_npairs(map);
	for (size_t i = 0; i < n; i++) {
		const char *k = shp_y_str(shp_y_key(d, map, i));
		if (k && !strcmp(k, key))
			return shp_y_val(d, map, i);
	}
	return NULL;
}

ynode *shp_y_path(yaml_document_t *d, ynode *n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (const char *k; n && (k = va_arg(ap, const char *));)
		n = shp_y_get(d, n, k);
	va_end(ap);
	return n;
}
