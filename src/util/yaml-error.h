/* yaml-error.h - libyaml's parse error as "path:line:column: [what: ]problem context" (exit 3),
 * for every reader that loads YAML (or JSON) with libyaml. */
#pragma once
#include "util/error.h"
#include "util/file.h"

#include <yaml.h>

/* libyaml puts the end of the input on a line after the last one; such a place is the end. */
static inline int shp_yaml_error(struct shp_error **err, const char *path, const yaml_parser_t *p, const char *text,
				 size_t len, const char *what)
{
	size_t line, col;
	shp_text_place(text, len, len, &line, &col);
	if (p->problem_mark.line + 1 < line ||
	    (p->problem_mark.line + 1 == line && p->problem_mark.column + 1 <= col)) {
		line = p->problem_mark.line + 1;
		col = p->problem_mark.column + 1;
	}
	return shp_error_set(err, SHP_EXIT_INPUT, "%s:%zu:%zu: %s%s%s%s%s", path, line, col, what ? what : "",
			     what ? ": " : "", p->problem ? p->problem : "syntax error", p->context ? " " : "",
			     p->context ? p->context : "");
}
