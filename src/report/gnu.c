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
	for (size_t i = 0; i < n; i++) {
		const struct shp_finding *x = &v[i];
		shp_buf_puts(out, x->file);
		if (x->line > 0)
			shp_buf_printf(out, ":%d:%d", x->line, x->col > 0 ? x->col : 1);
		shp_buf_printf(out, ": %s: ", lv[shp_report_level(x->severity)]);
		size_t at = out->len;
		shp_report_message(out, x);
		for (size_t k = at; k < out->len; k++)
			if (out->data[k] == '\n' || out->data[k] == '\r')
				out->data[k] = ' '; /* one finding, one line */
		shp_buf_printf(out, " [%s %s]\n", x->rule->id, shp_severity_name(x->severity));
	}
}

const struct shp_reporter shp_reporter_gnu = {shp_report_no_begin, gnu_items, "", shp_report_no_end};
