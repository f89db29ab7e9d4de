/* github.c - GitHub Actions workflow commands: "::error file=F,line=L,col=C,title=T::MESSAGE"
 * per finding, which the runner turns into annotations on the pull request's diff, with no
 * code-scanning upload (and so no Advanced Security licence) needed. Levels: error (high,
 * critical), warning (low, medium), notice (info). Values are escaped as the runner expects
 * (%, CR, LF; and : , in properties), after the data's control characters were made visible
 * as in every line format (the log is shown on terminals too). */
#include "report/report.h"

static void escape(struct shp_buf *out, const char *s, int property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': shp_buf_puts(out, "%25"); break;
		case '\r': shp_buf_puts(out, "%0D"); break;
		case '\n': shp_buf_puts(out, "%0A"); break;
		case ':':
		case ',':
			if (property) {
				shp_buf_puts(out, *s == ':' ? "%3A" : "%2C");
				break;
			}
			__attribute__((fallthrough));
		default: shp_buf_putc(out, *s);
		}
	}
}

static void gh_items(struct shp_buf *out, const struct shp_finding *v, size_t n, const struct shp_report_opts *o)
{
	static const char *const lv[] = {
		[SHP_LEVEL_NOTE] = "notice", [SHP_LEVEL_WARNING] = "warning", [SHP_LEVEL_ERROR] = "error"};
	(void)o;
	for (size_t i = 0; i < n; i++) {
		const struct shp_finding *x = &v[i];
		struct shp_buf t = {0}, m = {0}, d = {0};
		shp_buf_printf(out, "::%s file=", lv[shp_report_level(x->severity)]);
		shp_buf_term_str(&t, shp_report_relpath(x->file)); /* first the terminal's escapes, then the runner's */
		escape(out, t.data, 1);
		shp_buf_reset(&t);
		if (x->line > 0)
			shp_buf_printf(out, ",line=%d,col=%d", x->line, x->col > 0 ? x->col : 1);
		shp_buf_printf(&t, "%s %s (%s)", x->rule->id, x->rule->slug, shp_severity_name(x->severity));
		shp_buf_puts(out, ",title=");
		escape(out, t.data, 1);
		shp_buf_puts(out, "::");
		shp_report_message(&d, x);
		shp_buf_term_str(&m, d.data);
		if (x->evidence) {
			shp_buf_puts(&m, "\nevidence: "); /* our line breaks, which the runner shows */
			shp_buf_term_str(&m, x->evidence);
		}
		shp_buf_printf(&m, "\nfix: %s", x->rule->remediation);
		escape(out, m.data, 0);
		shp_buf_putc(out, '\n');
		shp_buf_free(&t);
		shp_buf_free(&m);
		shp_buf_free(&d);
	}
}

/* An input not read is an error annotation on it: the job's summary shows why the report is
 * short of it. */
static void gh_end(struct shp_buf *out, const struct shp_report_summary *s, const struct shp_report_opts *o)
{
	(void)s;
	struct shp_buf t = {0};
	for (size_t i = 0; i < o->nerrors; i++) {
		shp_buf_puts(out, "::error file=");
		shp_buf_term_str(&t, shp_report_relpath(o->errors[i].input));
		escape(out, t.data, 1);
		shp_buf_puts(out, ",title=input not read::");
		shp_buf_reset(&t);
		shp_buf_term_str(&t, o->errors[i].message);
		escape(out, t.data, 0);
		shp_buf_reset(&t);
		shp_buf_putc(out, '\n');
	}
	shp_buf_free(&t);
}

const struct shp_reporter shp_reporter_github = {shp_report_no_begin, gh_items, "", gh_end};
