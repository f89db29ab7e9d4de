/* yaml-limits.c - see yaml-limits.h. */
#include "util/yaml-limits.h"
#include "util/yaml-error.h"

#include <yaml.h>

int shp_yaml_check(const char *path, const char *text, size_t len, const char *what, struct shp_error **err)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: cannot start the YAML parser", path);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	size_t depth = 0, nodes = 0;
	int rc = 0;
	for (int done = 0; !done && rc == 0;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e)) {
			rc = shp_yaml_error(err, path, &p, text, len, what);
			break;
		}
		size_t line = e.start_mark.line + 1, col = e.start_mark.column + 1;
		switch (e.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > SHP_YAML_MAX_DEPTH)
				rc = shp_error_set(err, SHP_EXIT_INPUT, "%s:%zu:%zu: nesting deeper than %d", path,
						   line, col, SHP_YAML_MAX_DEPTH);
			__attribute__((fallthrough));
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			if (rc == 0 && ++nodes > SHP_YAML_MAX_NODES)
				rc = shp_error_set(err, SHP_EXIT_INPUT, "%s:%zu:%zu: more than %d nodes", path, line,
						   col, SHP_YAML_MAX_NODES);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: depth--; break;
		case YAML_STREAM_END_EVENT: done = 1; break;
		default: break;
		}
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	return rc;
}
