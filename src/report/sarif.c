/* sarif.c - SARIF 2.1.0 for code-scanning dashboards. rules[] comes from the registry;
 * severities map to SARIF levels and GitHub's security-severity property. */
#include "report/report.h"
#include "rules/rule.h"

#include <ctype.h>
#include <string.h>

/* SARIF wants a URI reference: percent-encode what RFC 3986 does not allow in a path. */
static void put_uri(struct shp_buf *out, const char *path)
{
	struct shp_buf u = {0};
	shp_buf_puts(&u, "");
	for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
		if (isalnum(*c) || strchr("-._~/!$&'()*+,;=:@", *c))
			shp_buf_putc(&u, (char)*c);
		else
			shp_buf_printf(&u, "%%%02X", *c);
	}
	shp_buf_json_str(out, u.data);
	shp_buf_free(&u);
}

static const char *level(enum shp_severity s)
{
	static const char *const names[] = {
		[SHP_LEVEL_NOTE] = "note", [SHP_LEVEL_WARNING] = "warning", [SHP_LEVEL_ERROR] = "error"};
	return names[shp_report_level(s)];
}

static const char *security_severity(enum shp_severity s)
{
	static const char *const v[] = {"1.0", "3.0", "5.5", "8.0", "9.5", "0.0"};
	return v[s];
}

static void sarif_begin(struct shp_buf *out, const struct shp_report_opts *o)
{
	(void)o;
	size_t n;
	const struct shp_rule *const *all = shp_rules_all(&n);
	shp_buf_puts(out,
		     "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
		     "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"shipshape\",\"version\":\"" SHIPSHAPE_VERSION "\","
		     "\"informationUri\":\"https://github.com/shipshape/shipshape\",\"rules\":[");
	for (size_t i = 0; i < n; i++) {
		const struct shp_rule *r = all[i];
		shp_buf_puts(out, i ? ",\n" : "\n");
		shp_buf_puts(out, "{\"id\":");
		shp_buf_json_str(out, r->id);
		shp_buf_puts(out, ",\"name\":");
		shp_buf_json_str(out, r->slug);
		shp_buf_puts(out, ",\"shortDescription\":{\"text\":");
		shp_buf_json_str(out, r->title);
		shp_buf_puts(out, "},\"fullDescription\":{\"text\":");
		shp_buf_json_str(out, r->rationale);
		shp_buf_puts(out, "},\"help\":{\"text\":");
		shp_buf_json_str(out, r->remediation);
		shp_buf_printf(
			out,
			"},\"defaultConfiguration\":{\"level\":\"%s\"},\"properties\":{\"security-severity\":\"%s\","
			"\"tags\":[\"security\"",
			level(r->severity), security_severity(r->severity));
		for (int a = 0; a < SHP_MAX_ALIASES && r->aliases[a]; a++) {
			shp_buf_putc(out, ',');
			shp_buf_json_str(out, r->aliases[a]);
		}
		shp_buf_puts(out, "]}}");
	}
	shp_buf_puts(out, "]}},\"results\":[\n");
}

static void sarif_items(struct shp_buf *out, const struct shp_finding *v, size_t count, const struct shp_report_opts *o)
{
	(void)o;
	size_t n;
	const struct shp_rule *const *all = shp_rules_all(&n);
	for (size_t i = 0; i < count; i++) {
		const struct shp_finding *x = &v[i];
		size_t idx = 0;
		for (size_t k = 0; k < n; k++)
			if (all[k] == x->rule)
				idx = k;
		if (i)
			shp_buf_puts(out, ",\n");
		shp_buf_puts(out, "{\"ruleId\":");
		shp_buf_json_str(out, x->rule->id);
		shp_buf_printf(out, ",\"ruleIndex\":%zu,\"level\":\"%s\",\"message\":{\"text\":", idx,
			       level(x->severity));
		shp_buf_json_str(out, x->message);
		shp_buf_puts(out, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
		put_uri(out, shp_report_relpath(x->file));
		shp_buf_printf(out, "},\"region\":{\"startLine\":%d,\"startColumn\":%d}}", x->line > 0 ? x->line : 1,
			       x->col > 0 ? x->col : 1);
		if (x->path) {
			shp_buf_puts(out, ",\"logicalLocations\":[{\"kind\":\"resource\",\"fullyQualifiedName\":");
			shp_buf_json_str(out, x->path);
			shp_buf_puts(out, "}]");
		}
		shp_buf_puts(out, "}]");
		shp_buf_printf(out, ",\"properties\":{\"severity\":\"%s\"", shp_severity_name(x->severity));
		if (x->layer > 0)
			shp_buf_printf(out, ",\"layer\":%d", x->layer);
		if (x->evidence) {
			shp_buf_puts(out, ",\"evidence\":");
			shp_buf_json_str(out, x->evidence);
		}
		shp_buf_puts(out, "}}");
	}
}

static void sarif_end(struct shp_buf *out, const struct shp_report_summary *sum, const struct shp_report_opts *o)
{
	(void)sum;
	shp_buf_puts(out, "\n]");
	if (o->nerrors) { /* the run did not read every input: say which, and why */
		shp_buf_puts(out, ",\"invocations\":[{\"executionSuccessful\":false,\"toolExecutionNotifications\":[");
		for (size_t i = 0; i < o->nerrors; i++) {
			shp_buf_puts(out, i ? ",{\"level\":\"error\",\"message\":{\"text\":"
					    : "{\"level\":\"error\",\"message\":{\"text\":");
			shp_buf_json_str(out, o->errors[i].message);
			shp_buf_puts(out, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
			put_uri(out, shp_report_relpath(o->errors[i].input));
			shp_buf_puts(out, "}}}]}");
		}
		shp_buf_puts(out, "]}]");
	}
	if (o->extra_json || o->extra_fn) {
		shp_buf_puts(out, ",\"properties\":{");
		shp_report_extra_json(out, o, 0);
		shp_buf_putc(out, '}');
	}
	shp_buf_puts(out, "}]}\n");
}

const struct shp_reporter shp_reporter_sarif = {sarif_begin, sarif_items, ",\n", sarif_end};
