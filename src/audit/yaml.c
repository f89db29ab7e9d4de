/* yaml.c - see yaml.h. */
#include "audit/yaml.h"
#include "util/xalloc.h"
#include "util/yaml-error.h"
#include "util/yaml-limits.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int shp_ystream_parse(struct shp_ystream *s, const char *path, const char *text, size_t len, struct shp_error **err)
{
	memset(s, 0, sizeof *s);
	s->path = path;
	if (len > SHP_Y_MAX_BYTES)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: larger than the %u MiB limit", path, SHP_Y_MAX_BYTES >> 20);
	if (shp_yaml_check(path, text, len, NULL, err) < 0)
		return -1;
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: cannot start the YAML parser", path);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	size_t cap = 0;
	int rc = 0;
	for (;;) {
		yaml_document_t d;
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

/* Merge keys nest: "<<: *a" where a itself merges b. Depth-limited against cycles. */
static ynode *get(yaml_document_t *d, ynode *map, const char *key, int depth)
{
	size_t n = shp_y_npairs(map);
	for (size_t i = 0; i < n; i++) {
		const char *k = shp_y_str(shp_y_key(d, map, i));
		if (k && !strcmp(k, key))
			return shp_y_val(d, map, i);
	}
	if (depth > 16)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *k = shp_y_str(shp_y_key(d, map, i));
		if (!k || strcmp(k, "<<"))
			continue;
		ynode *m = shp_y_val(d, map, i), *r = NULL;
		if (shp_y_is_map(m))
			r = get(d, m, key, depth + 1);
		for (size_t j = 0; !r && j < shp_y_len(m) && j < 64; j++)
			r = get(d, shp_y_item(d, m, j), key, depth + 1);
		if (r)
			return r;
	}
	return NULL;
}

ynode *shp_y_get(yaml_document_t *d, ynode *map, const char *key)
{
	return shp_y_is_map(map) ? get(d, map, key, 0) : NULL;
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
