/* json.c - machine-readable findings; the schema is docs/json-schema.json. */
#include "report/report.h"
#include "rules/rule.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

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
	shp_report_extra_json(out, o, 1);
	shp_report_errors_json(out, o);
	shp_buf_puts(out, ",\"findings\":[\n");
}

/* The parts of a finding that depend only on its rule, escaped once per process:
 * head = {"rule_id":..,"slug":..,"severity": and tail = ,"remediation":..,"aliases":[..]} */
struct rule_json {
	char *head, *title, *tail;
};

static struct rule_json *rule_parts;
static pthread_once_t rule_parts_once = PTHREAD_ONCE_INIT;

static void build_rule_parts(void)
{
	size_t n;
	const struct shp_rule *const *all = shp_rules_all(&n);
	rule_parts = shp_xcalloc(n, sizeof *rule_parts);
	for (size_t i = 0; i < n; i++) {
		struct shp_buf b = {0};
		shp_buf_puts(&b, "{\"rule_id\":");
		shp_buf_json_str(&b, all[i]->id);
		shp_buf_puts(&b, ",\"slug\":");
		shp_buf_json_str(&b, all[i]->slug);
		shp_buf_puts(&b, ",\"severity\":");
		rule_parts[i].head = shp_buf_steal(&b);
		shp_buf_puts(&b, ",\"title\":");
		shp_buf_json_str(&b, all[i]->title);
		rule_parts[i].title = shp_buf_steal(&b);
		shp_buf_puts(&b, ",\"remediation\":");
		shp_buf_json_str(&b, all[i]->remediation);
		shp_buf_puts(&b, ",\"aliases\":");
		aliases(&b, all[i]);
		shp_buf_putc(&b, '}');
		rule_parts[i].tail = shp_buf_steal(&b);
	}
}

static const struct rule_json *parts_of(const struct shp_rule *r)
{
	pthread_once(&rule_parts_once, build_rule_parts);
	size_t n;
	const struct shp_rule *const *all = shp_rules_all(&n);
	size_t lo = 0, hi = n; /* the registry is sorted by id */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(all[mid]->id, r->id);
		if (c == 0)
			return &rule_parts[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void json_items(struct shp_buf *out, const struct shp_finding *v, size_t n, const struct shp_report_opts *o)
{
	for (size_t i = 0; i < n; i++) {
		const struct shp_finding *x = &v[i];
		const struct rule_json *rp = parts_of(x->rule);
		if (i)
			shp_buf_puts(out, ",\n");
		shp_buf_puts(out, rp->head);
		shp_buf_json_str(out, shp_severity_name(x->severity));
		shp_buf_puts(out, rp->title);
		shp_buf_puts(out, ",\"message\":");
		shp_buf_json_str(out, x->message);
		shp_buf_puts(out, ",\"location\":{\"file\":");
		shp_buf_json_str(out, x->file);
		if (x->line > 0) {
			shp_buf_puts(out, ",\"line\":");
			shp_buf_long(out, x->line);
			shp_buf_puts(out, ",\"column\":");
			shp_buf_long(out, x->col > 0 ? x->col : 1);
		}
		if (x->layer > 0) {
			shp_buf_puts(out, ",\"layer\":");
			shp_buf_long(out, x->layer);
		}
		if (x->path) {
			shp_buf_puts(out, ",\"path\":");
			shp_buf_json_str(out, x->path);
		}
		shp_buf_putc(out, '}');
		shp_buf_puts(out, ",\"evidence\":");
		if (x->evidence)
			shp_buf_json_str(out, x->evidence);
		else
			shp_buf_puts(out, "null");
		if (x->rule->pss_control) { /* the Pod Security Standards control it breaks */
			shp_buf_printf(out, ",\"pss\":{\"level\":\"%s\",\"version\":", x->rule->pss_level);
			shp_buf_json_str(out, o->pss_version ? o->pss_version : "latest");
			shp_buf_puts(out, ",\"control\":");
			shp_buf_json_str(out, x->rule->pss_control);
			shp_buf_putc(out, '}');
		}
		shp_buf_puts(out, rp->tail);
	}
}

static void json_end(struct shp_buf *out, const struct shp_report_summary *sum, const struct shp_report_opts *o)
{
	shp_buf_printf(out, "%s],\"summary\":{\"total\":%zu,\"by_severity\":{", sum->total ? "\n" : "", sum->total);
	for (int s = SHP_SEV_CRITICAL; s >= SHP_SEV_INFO; s--)
		shp_buf_printf(out, "\"%s\":%zu%s", shp_severity_name(s), sum->by_severity[s],
			       s > SHP_SEV_INFO ? "," : "");
	shp_buf_printf(out, "},\"files\":%zu,", o->files);
	if (o->unscanned)
		shp_buf_printf(out, "\"unscanned\":%zu,", *o->unscanned);
	if (o->nerrors)
		shp_buf_printf(out, "\"errors\":%zu,", o->nerrors);
	shp_buf_printf(out, "\"fail_on\":\"%s\",\"failing\":%zu}}\n", shp_severity_name(o->fail_on), sum->failing);
}

const struct shp_reporter shp_reporter_json = {json_begin, json_items, ",\n", json_end};
