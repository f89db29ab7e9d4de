/* checkstyle.c - Checkstyle XML, as hadolint writes it (--format checkstyle) and as Jenkins'
 * Warnings plugin, reviewdog and SonarQube's importers read it: one <file> per input, one
 * <error> per finding with line, column, severity (error, warning, info) and the rule id as
 * source. Findings without a line (an image, a host) are on line 1, as in SARIF. */
#include "report/report.h"

static void cs_begin(struct shp_buf *out, const struct shp_report_opts *o)
{
	(void)o;
	shp_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
}

static void cs_items(struct shp_buf *out, const struct shp_finding *v, size_t n, const struct shp_report_opts *o)
{
	static const char *const sev[] = {
		[SHP_LEVEL_NOTE] = "info", [SHP_LEVEL_WARNING] = "warning", [SHP_LEVEL_ERROR] = "error"};
	(void)o;
	if (!n)
		return;
	shp_buf_puts(out, "<file name=\"");
	shp_buf_xml_str(out, shp_report_relpath(v[0].file));
	shp_buf_puts(out, "\">\n");
	for (size_t i = 0; i < n; i++) {
		const struct shp_finding *x = &v[i];
		struct shp_buf msg = {0};
		shp_report_message(&msg, x);
		shp_buf_printf(out, "<error line=\"%d\" column=\"%d\" severity=\"%s\" message=\"",
			       x->line > 0 ? x->line : 1, x->col > 0 ? x->col : 1, sev[shp_report_level(x->severity)]);
		shp_buf_xml_str(out, msg.data);
		shp_buf_puts(out, "\" source=\"");
		shp_buf_xml_str(out, x->rule->id);
		shp_buf_puts(out, "\"/>\n");
		shp_buf_free(&msg);
	}
	shp_buf_puts(out, "</file>\n");
}

static void cs_end(struct shp_buf *out, const struct shp_report_summary *sum, const struct shp_report_opts *o)
{
	(void)sum;
	(void)o;
	shp_buf_puts(out, "</checkstyle>\n");
}

const struct shp_reporter shp_reporter_checkstyle = {cs_begin, cs_items, "", cs_end};
