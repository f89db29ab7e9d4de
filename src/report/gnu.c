/* gnu.c - one line per finding in the GNU error format that compilers use and editors jump
 * from (Emacs compilation-mode, Vim's quickfix): "FILE:LINE:COL: LEVEL: MESSAGE [ID SEVERITY]";
 * "FILE: LEVEL: ..." when the finding has no line (an image or host finding, whose path inside
 * the image follows the message). */
#include "report/report.h"

static void gnu_items(struct shp_buf *out, const struct shp_finding *v, size_t n, const struct shp_report_opts *o)
{
	static const char *const lv[] = {
		[SHP_LEVEL_NOTE] = "note", [SHP_LEVEL_WARNING] = "warning", [SHP_LEVEL_ERROR] = "error"};
	(void)o;
	_cleanup_buf_ struct shp_buf msg = {0};
	for (size_t i = 0; i < n; i++) {
		const struct shp_finding *x = &v[i];
		shp_buf_term_str(out, x->file); /* one finding, one line: line breaks in data escaped */
		if (x->line > 0)
			shp_buf_printf(out, ":%d:%d", x->line, x->col > 0 ? x->col : 1);
		shp_buf_printf(out, ": %s: ", lv[shp_report_level(x->severity)]);
		shp_buf_reset(&msg);
		shp_report_message(&msg, x);
		shp_buf_term_str(out, msg.data);
		shp_buf_printf(out, " [%s %s]\n", x->rule->id, shp_severity_name(x->severity));
	}
}

const struct shp_reporter shp_reporter_gnu = {shp_report_no_begin, gnu_items, "", shp_report_no_end};
