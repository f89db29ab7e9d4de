/* text.c - the human report: findings grouped by file, one line each with the place,
 * severity, rule and message, then evidence and the fix; a summary line at the end. */
#include "report/report.h"

#include <stdio.h>
#include <string.h>

static const char *sev_color(enum shp_severity s)
{
	switch (s) {
	case SHP_SEV_CRITICAL: return "\033[1;35m";
	case SHP_SEV_HIGH: return "\033[1;31m";
	case SHP_SEV_MEDIUM: return "\033[33m";
	case SHP_SEV_LOW: return "\033[36m";
	default: return "\033[2m";
	}
}

static void text_begin(struct shp_buf *out, const struct shp_report_opts *o)
{
	if (o->extra_text)
		shp_buf_puts(out, o->extra_text);
}

static void text_items(struct shp_buf *out, const struct shp_finding *v, size_t n, const struct shp_report_opts *o)
{
	const char *bold = o->color ? "\033[1m" : "", *dim = o->color ? "\033[2m" : "",
		   *reset = o->color ? "\033[0m" : "";
	if (!n)
		return;
	shp_buf_puts(out, bold);
	shp_buf_term_str(out, v[0].file); /* names and messages may hold anything: escaped */
	shp_buf_printf(out, "%s\n", reset);
	for (size_t i = 0; i < n; i++) {
		const struct shp_finding *x = &v[i];
		char place[32];
		if (x->line > 0)
			snprintf(place, sizeof place, "%d:%d", x->line, x->col);
		else if (x->layer > 0)
			snprintf(place, sizeof place, "layer %d", x->layer);
		else
			snprintf(place, sizeof place, "%s", o->whole ? o->whole : "image");
		shp_buf_printf(out, "  %-8s %s%-8s%s %s%s%s ", place, o->color ? sev_color(x->severity) : "",
			       shp_severity_name(x->severity), reset, bold, x->rule->id, reset);
		shp_buf_term_str(out, x->message);
		shp_buf_putc(out, '\n');
		shp_buf_printf(out, "           %s%s", dim, x->rule->slug);
		for (int a = 0; a < SHP_MAX_ALIASES && x->rule->aliases[a]; a++)
			shp_buf_printf(out, "%s%s", a ? ", " : " (", x->rule->aliases[a]);
		shp_buf_printf(out, "%s%s\n", x->rule->aliases[0] ? ")" : "", reset);
		if (x->evidence) {
			shp_buf_puts(out, "           evidence: ");
			shp_buf_term_str(out, x->evidence);
			shp_buf_putc(out, '\n');
		}
		shp_buf_printf(out, "           fix: %s\n", x->rule->remediation);
	}
}

static void text_end(struct shp_buf *out, const struct shp_report_summary *sum, const struct shp_report_opts *o)
{
	const size_t *counts = sum->by_severity;
	if (sum->total)
		shp_buf_putc(out, '\n');
	shp_buf_printf(out, "%zu finding%s", sum->total, sum->total == 1 ? "" : "s");
	if (sum->total) {
		int first = 1;
		shp_buf_puts(out, " (");
		for (int s = SHP_SEV_CRITICAL; s >= SHP_SEV_INFO; s--)
			if (counts[s]) {
				shp_buf_printf(out, "%s%zu %s", first ? "" : ", ", counts[s], shp_severity_name(s));
				first = 0;
			}
		shp_buf_puts(out, ")");
	}
	shp_buf_printf(out, " in %zu file%s", o->files, o->files == 1 ? "" : "s");
	if (o->unscanned && *o->unscanned)
		shp_buf_printf(out, "; %zu file%s not fully scanned (see --format json)", *o->unscanned,
			       *o->unscanned == 1 ? "" : "s");
	if (o->nerrors)
		shp_buf_printf(out, "; %zu input%s could not be read", o->nerrors, o->nerrors == 1 ? "" : "s");
	if (o->fail_on != SHP_SEV_NONE)
		shp_buf_printf(out, "; %zu at or above %s\n", sum->failing, shp_severity_name(o->fail_on));
	else
		shp_buf_puts(out, "\n");
}

const struct shp_reporter shp_reporter_text = {text_begin, text_items, "\n", text_end};
