/* report.h - output formats for findings: text (grouped by file, colour on a terminal),
 * JSON ({"findings": [...], "summary": {...}}, docs/json-schema.json) and SARIF 2.1.0. */
#pragma once
#include "rules/rule.h"
#include "util/buf.h"

enum shp_format { SHP_FMT_TEXT, SHP_FMT_JSON, SHP_FMT_SARIF };

struct shp_report_opts {
	int color;
	enum shp_severity fail_on;
	size_t files; /* inputs examined */
	const char *command; /* "lint" */
};

/* Each appends the whole document to out. */
void shp_report_text(struct shp_buf *out, const struct shp_findings *f, const struct shp_report_opts *o);
void shp_report_json(struct shp_buf *out, const struct shp_findings *f, const struct shp_report_opts *o);
void shp_report_sarif(struct shp_buf *out, const struct shp_findings *f, const struct shp_report_opts *o);

/* Counts findings at or above the threshold. */
size_t shp_report_failing(const struct shp_findings *f, enum shp_severity fail_on);
