/* common.c - what every reporter shares: the format table and the one-shot document. */
#include "report/report.h"

#include <string.h>

extern const struct shp_reporter shp_reporter_text, shp_reporter_json, shp_reporter_sarif, shp_reporter_codeclimate,
	shp_reporter_checkstyle, shp_reporter_junit, shp_reporter_gnu, shp_reporter_github;

static const struct {
	const char *name;
	enum shp_format fmt;
	const struct shp_reporter *rep;
} formats[] = {
	{"text", SHP_FMT_TEXT, &shp_reporter_text},
	{"json", SHP_FMT_JSON, &shp_reporter_json},
	{"sarif", SHP_FMT_SARIF, &shp_reporter_sarif},
	{"codeclimate", SHP_FMT_CODECLIMATE, &shp_reporter_codeclimate},
	{"gitlab", SHP_FMT_CODECLIMATE, &shp_reporter_codeclimate},
	{"checkstyle", SHP_FMT_CHECKSTYLE, &shp_reporter_checkstyle},
	{"junit", SHP_FMT_JUNIT, &shp_reporter_junit},
	{"gnu", SHP_FMT_GNU, &shp_reporter_gnu},
	{"github", SHP_FMT_GITHUB, &shp_reporter_github},
	{"tty", SHP_FMT_TEXT, &shp_reporter_text},   /* hadolint's names */
	{"table", SHP_FMT_TEXT, &shp_reporter_text}, /* Trivy's */
	{"gitlab_codeclimate", SHP_FMT_CODECLIMATE, &shp_reporter_codeclimate},
};

const char shp_format_names[] =
	"text (tty, table), json, sarif, codeclimate (gitlab, gitlab_codeclimate), checkstyle, junit, gnu, github";

int shp_format_parse(const char *s)
{
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (!strcmp(s, formats[i].name))
			return (int)formats[i].fmt;
	return -1;
}

const struct shp_reporter *shp_reporter_for(enum shp_format f)
{
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (formats[i].fmt == f)
			return formats[i].rep;
	return &shp_reporter_text;
}

void shp_report_no_begin(struct shp_buf *out, const struct shp_report_opts *o)
{
	(void)out;
	(void)o;
}

void shp_report_no_end(struct shp_buf *out, const struct shp_report_summary *s, const struct shp_report_opts *o)
{
	(void)out;
	(void)s;
	(void)o;
}

enum shp_level shp_report_level(enum shp_severity s)
{
	return s >= SHP_SEV_HIGH && s != SHP_SEV_NONE ? SHP_LEVEL_ERROR
	       : s >= SHP_SEV_LOW		      ? SHP_LEVEL_WARNING
						      : SHP_LEVEL_NOTE;
}

const char *shp_report_relpath(const char *file) { return strncmp(file, "./", 2) ? file : file + 2; }

void shp_report_message(struct shp_buf *out, const struct shp_finding *x)
{
	shp_buf_puts(out, x->message);
	if (x->path && !strstr(x->message, x->path)) {
		shp_buf_puts(out, " (");
		shp_buf_puts(out, x->path);
		shp_buf_putc(out, ')');
	}
}

size_t shp_report(struct shp_buf *out, enum shp_format fmt, struct shp_findings *f, const struct shp_report_opts *o)
{
	const struct shp_reporter *r = shp_reporter_for(fmt);
	shp_findings_sort(f);
	r->begin(out, o);
	for (size_t i = 0; i < f->n;) {
		size_t j = i + 1;
		while (j < f->n && !strcmp(f->v[j].file, f->v[i].file))
			j++;
		if (i)
			shp_buf_puts(out, r->sep);
		r->items(out, f->v + i, j - i, o);
		i = j;
	}
	struct shp_report_summary sum = {0};
	shp_report_count(&sum, f->v, f->n, o->fail_on);
	r->end(out, &sum, o);
	return sum.failing;
}

void shp_report_extra_json(struct shp_buf *out, const struct shp_report_opts *o, int comma)
{
	if (o->extra_json) {
		if (comma)
			shp_buf_putc(out, ',');
		shp_buf_puts(out, o->extra_json);
		comma = 1;
	}
	if (o->extra_fn) {
		if (comma)
			shp_buf_putc(out, ',');
		o->extra_fn(out, o->extra_ctx);
	}
}

void shp_report_errors_json(struct shp_buf *out, const struct shp_report_opts *o)
{
	if (!o->nerrors)
		return;
	shp_buf_puts(out, ",\"errors\":[");
	for (size_t i = 0; i < o->nerrors; i++) {
		shp_buf_puts(out, i ? ",{\"input\":" : "{\"input\":");
		shp_buf_json_str(out, o->errors[i].input);
		shp_buf_puts(out, ",\"message\":");
		shp_buf_json_str(out, o->errors[i].message);
		shp_buf_putc(out, '}');
	}
	shp_buf_putc(out, ']');
}

void shp_report_count(struct shp_report_summary *s, const struct shp_finding *v, size_t n, enum shp_severity fail_on)
{
	for (size_t i = 0; i < n; i++) {
		s->by_severity[v[i].severity]++;
		s->failing += shp_severity_fails(v[i].severity, fail_on);
	}
	s->total += n;
}
