/* common.c - what every reporter shares: the format table and the one-shot document. */
#include "report/report.h"

#include <string.h>

extern const struct shp_reporter shp_reporter_text, shp_reporter_json, shp_reporter_sarif, shp_reporter_codeclimate;

const struct shp_reporter *shp_reporter_for(enum shp_format f)
{
	switch (f) {
	case SHP_FMT_JSON: return &shp_reporter_json;
	case SHP_FMT_SARIF: return &shp_reporter_sarif;
	case SHP_FMT_CODECLIMATE: return &shp_reporter_codeclimate;
	default: return &shp_reporter_text;
	}
}

void shp_report(struct shp_buf *out, enum shp_format fmt, struct shp_findings *f, const struct shp_report_opts *o)
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
}

void shp_report_count(struct shp_report_summary *s, const struct shp_finding *v, size_t n, enum shp_severity fail_on)
{
	for (size_t i = 0; i < n; i++) {
		s->by_severity[v[i].severity]++;
		if (fail_on != SHP_SEV_NONE && v[i].severity >= fail_on)
			s->failing++;
	}
	s->total += n;
}
