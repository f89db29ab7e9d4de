/* json.c - machine-readable findings; the schema is docs/json-schema.json. */
#include "report/report.h"

static void aliases(struct shp_buf *out, const struct shp_rule *r)
{
	shp_buf_putc(out, '[');
	for (int a = 0; a < SHP_MAX_ALIASES && r->aliases[a]; a++) {
		if (a)
			shp_buf_putc(out, ',');
		shp_buf_json_str(out, r->aliases[a]);
	}
	shp_buf_putc(out, ']');
}

static void json_begin(struct shp_buf *out, const struct shp_report_opts *o)
{
	shp_buf_puts(out, "{\"version\":\"" SHIPSHAPE_VERSION "\",\"command\":");
	shp_buf_json_str(out, o->command);
	shp_buf_puts(out, ",\"findings\":[\n");
}

static void json_items(struct shp_buf *out, const struct shp_finding *v, size_t n, const struct shp_report_opts *o)
{
	(void)o;
	for (size_t i = 0; i < n; i++) {
		const struct shp_finding *x = &v[i];
		if (i)
			shp_buf_puts(out, ",\n");
		shp_buf_puts(out, "{\"rule_id\":");
		shp_buf_json_str(out, x->rule->id);
		shp_buf_puts(out, ",\"slug\":");
		shp_buf_json_str(out, x->rule->slug);
		shp_buf_puts(out, ",\"severity\":");
		shp_buf_json_str(out, shp_severity_name(x->severity));
		shp_buf_puts(out, ",\"title\":");
		shp_buf_json_str(out, x->rule->title);
		shp_buf_puts(out, ",\"message\":");
		shp_buf_json_str(out, x->message);
		shp_buf_puts(out, ",\"location\":{\"file\":");
		shp_buf_json_str(out, x->file);
		shp_buf_printf(out, ",\"line\":%d,\"column\":%d}", x->line, x->col);
		shp_buf_puts(out, ",\"evidence\":");
		if (x->evidence)
			shp_buf_json_str(out, x->evidence);
		else
			shp_buf_puts(out, "null");
		shp_buf_puts(out, ",\"remediation\":");
		shp_buf_json_str(out, x->rule->remediation);
		shp_buf_puts(out, ",\"aliases\":");
		aliases(out, x->rule);
		shp_buf_putc(out, '}');
	}
}

static void json_end(struct shp_buf *out, const struct shp_report_summary *sum, const struct shp_report_opts *o)
{
	shp_buf_printf(out, "%s],\"summary\":{\"total\":%zu,\"by_severity\":{", sum->total ? "\n" : "", sum->total);
	for (int s = SHP_SEV_CRITICAL; s >= SHP_SEV_INFO; s--)
		shp_buf_printf(out, "\"%s\":%zu%s", shp_severity_name(s), sum->by_severity[s], s > SHP_SEV_INFO ? "," : "");
	shp_buf_printf(out, "},\"files\":%zu,\"fail_on\":\"%s\",\"failing\":%zu}}\n", o->files,
		       shp_severity_name(o->fail_on), sum->failing);
}

const struct shp_reporter shp_reporter_json = {json_begin, json_items, ",\n", json_end};
