/* junit.c - JUnit XML, what GitLab (artifacts:reports:junit), Jenkins and most CI systems show
 * as test results, as Trivy's junit template writes it: a <testsuite> per input, a <testcase>
 * per finding named by rule and place. A finding at or above --fail-on is a <failure> (so the
 * report fails where the exit code does); one below it passes, its text kept in
 * <system-out>. */
#include "report/report.h"

static void ju_begin(struct shp_buf *out, const struct shp_report_opts *o)
{
	shp_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"shipshape");
	if (o->command) {
		shp_buf_putc(out, ' ');
		shp_buf_xml_str(out, o->command);
	}
	shp_buf_puts(out, "\">\n");
}

/* "3:1", "layer 2 /etc/shadow", "image" */
static void place(struct shp_buf *out, const struct shp_finding *x, const struct shp_report_opts *o)
{
	if (x->line > 0)
		shp_buf_printf(out, "%d:%d", x->line, x->col > 0 ? x->col : 1);
	else if (x->layer > 0)
		shp_buf_printf(out, "layer %d", x->layer);
	else
		shp_buf_puts(out, o->whole ? o->whole : "image");
	if (x->path) {
		shp_buf_putc(out, ' ');
		shp_buf_puts(out, x->path);
	}
}

static void ju_items(struct shp_buf *out, const struct shp_finding *v, size_t n, const struct shp_report_opts *o)
{
	if (!n)
		return;
	size_t nfail = 0;
	for (size_t i = 0; i < n; i++)
		nfail += (size_t)shp_severity_fails(v[i].severity, o->fail_on);
	const char *file = shp_report_relpath(v[0].file);
	shp_buf_puts(out, "<testsuite name=\"");
	shp_buf_xml_str(out, file);
	shp_buf_printf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", n, nfail);
	for (size_t i = 0; i < n; i++) {
		const struct shp_finding *x = &v[i];
		struct shp_buf name = {0}, body = {0}, msg = {0};
		shp_buf_printf(&name, "[%s] %s %s at ", shp_severity_name(x->severity), x->rule->id, x->rule->slug);
		place(&name, x, o);
		shp_report_message(&msg, x);
		shp_buf_printf(&body, "%s\n%s: ", msg.data, file);
		place(&body, x, o);
		shp_buf_printf(&body, "\nrule: %s %s (%s)", x->rule->id, x->rule->slug, x->rule->title);
		if (x->evidence)
			shp_buf_printf(&body, "\nevidence: %s", x->evidence);
		shp_buf_printf(&body, "\nfix: %s\n", x->rule->remediation);

		shp_buf_puts(out, "<testcase classname=\"");
		shp_buf_xml_str(out, file);
		shp_buf_puts(out, "\" name=\"");
		shp_buf_xml_str(out, name.data);
		shp_buf_puts(out, "\">\n");
		if (shp_severity_fails(x->severity, o->fail_on)) {
			shp_buf_puts(out, "<failure type=\"");
			shp_buf_puts(out, shp_severity_name(x->severity));
			shp_buf_puts(out, "\" message=\"");
			shp_buf_xml_str(out, msg.data);
			shp_buf_puts(out, "\">");
			shp_buf_xml_str(out, body.data);
			shp_buf_puts(out, "</failure>\n");
		} else {
			shp_buf_puts(out, "<system-out>");
			shp_buf_xml_str(out, body.data);
			shp_buf_puts(out, "</system-out>\n");
		}
		shp_buf_puts(out, "</testcase>\n");
		shp_buf_free(&name);
		shp_buf_free(&body);
		shp_buf_free(&msg);
	}
	shp_buf_puts(out, "</testsuite>\n");
}

static void ju_end(struct shp_buf *out, const struct shp_report_summary *sum, const struct shp_report_opts *o)
{
	(void)sum;
	(void)o;
	shp_buf_puts(out, "</testsuites>\n");
}

const struct shp_reporter shp_reporter_junit = {ju_begin, ju_items, "", ju_end};
