/* fix.h - `shipshape fix`: the repairs the Dockerfile rules offer (see lint.h), made as
 * byte edits of the file so that everything else in it (comments, spacing, continuation
 * layout, the order of flags) stays as it was written. */
#pragma once
#include "config/config.h"
#include "rules/rule.h"
#include "util/error.h"

#include <stddef.h>

/* Sanity limit: rounds of lint-and-edit (a fix can bring another rule's into reach, as
 * apt -> apt-get brings apt-get's -y). */
#define SHP_FIX_ROUNDS 4

struct shp_fix_count {
	const struct shp_rule *rule;
	size_t n;
};

/* An offer not taken: the rule and the line it was about (in the fixed text). */
struct shp_fix_left {
	const struct shp_rule *rule;
	int line;
};

struct shp_fix_result {
	struct shp_fix_count *by_rule; /* edits made per rule, in rule id order */
	size_t nrules, cap;
	size_t applied;		       /* edits made */
	int rounds;		       /* rounds that made edits (SHP_FIX_ROUNDS: offers may be left to make) */
	struct shp_fix_left *declined; /* offers the file's text did not bear out, in file order */
	size_t ndeclined, cdeclined;
	size_t unsafe; /* offers left alone that change the build (no --unsafe) */
};

void shp_fix_result_free(struct shp_fix_result *r);

/* Fixes text (len bytes, NUL-terminated; the Dockerfile named path): rounds of parse, lint
 * with offers and edits until no offer is left or SHP_FIX_ROUNDS. *out gets the new text
 * (malloc'd, NUL-terminated, *outlen bytes), equal to text when nothing was fixed. -1 with
 * err when text does not parse (or, a defect of ours, an edit made it unparsable). */
int shp_fix_text(const char *path, const char *text, size_t len, const struct shp_config *cfg, int unsafe, char **out,
		 size_t *outlen, struct shp_fix_result *res, struct shp_error **err);
