/* report.h - output formats for findings: text (grouped by file, colour on a terminal),
 * JSON ({"findings": [...], "summary": {...}}, docs/json-schema.json), SARIF 2.1.0, the
 * Code Climate issue list of GitLab's Code Quality reports, Checkstyle XML and JUnit XML
 * (what Jenkins and GitLab's test reports read), GNU "file:line:col: level: message" lines
 * for editors, and GitHub Actions workflow commands (annotations without code scanning).
 *
 * A format is three parts so that the findings of each input can be rendered where they
 * were found (on a worker thread, layer by layer) and joined in order afterwards:
 * begin, items (the findings of one file, joined to other files' by sep), end. */
#pragma once
#include "finding/finding.h"
#include "util/buf.h"

enum shp_format {
	SHP_FMT_TEXT,
	SHP_FMT_JSON,
	SHP_FMT_SARIF,
	SHP_FMT_CODECLIMATE,
	SHP_FMT_CHECKSTYLE,
	SHP_FMT_JUNIT,
	SHP_FMT_GNU,
	SHP_FMT_GITHUB,
};

/* An input that could not be read, or whose reading a limit stopped (exit 3). The message
 * names the input and the place; it went to stderr as it happened, and the machine formats
 * carry it too, so that a CI job reading only the report knows the report is incomplete. */
struct shp_report_error {
	char *input;
	char *message;
};

/* The format named s ("gitlab" is codeclimate), or -1. */
int shp_format_parse(const char *s);
/* The names, for messages: "text, json, ..." */
extern const char shp_format_names[];

struct shp_report_opts {
	int color;
	enum shp_severity fail_on;
	size_t files;	     /* inputs examined */
	const char *command; /* "lint" */
	/* what a finding with neither line nor layer is about, in the place column: "file" for
	   a host's files (the file is its heading); NULL: "image" */
	const char *whole;
	const char *extra_json; /* JSON members ("\"image\":{...}") added to the document, or NULL */
	/* more members, written by extra_fn(out, extra_ctx) after extra_json's, or NULL */
	void (*extra_fn)(struct shp_buf *out, const void *ctx);
	const void *extra_ctx;
	const char *extra_text;		       /* text printed before the findings, or NULL */
	const size_t *unscanned;	       /* files a limit kept from being read whole (commands that read
						  content), or NULL: the summary says how many */
	const char *pss_version;	       /* audit --pss: the version judged ("latest", "v1.30"), else NULL */
	const struct shp_report_error *errors; /* inputs not read (the report covers the rest) */
	size_t nerrors;
};

/* What the end of a document reports. */
struct shp_report_summary {
	size_t total;
	size_t by_severity[SHP_SEV_NONE + 1];
	size_t failing; /* at or above fail_on */
};

/* Adds n findings to s (failing is counted against fail_on). */
void shp_report_count(struct shp_report_summary *s, const struct shp_finding *v, size_t n, enum shp_severity fail_on);

struct shp_reporter {
	void (*begin)(struct shp_buf *out, const struct shp_report_opts *o);
	/* Appends the n findings of one file (sorted). */
	void (*items)(struct shp_buf *out, const struct shp_finding *v, size_t n, const struct shp_report_opts *o);
	const char *sep; /* between the items of two files */
	void (*end)(struct shp_buf *out, const struct shp_report_summary *s, const struct shp_report_opts *o);
};

const struct shp_reporter *shp_reporter_for(enum shp_format f);
/* begin and end of the line formats (gnu, github), which have neither head nor tail */
void shp_report_no_begin(struct shp_buf *out, const struct shp_report_opts *o);
void shp_report_no_end(struct shp_buf *out, const struct shp_report_summary *s, const struct shp_report_opts *o);

/* Appends ,"errors":[{"input":..,"message":..},...] when there are errors. */
void shp_report_errors_json(struct shp_buf *out, const struct shp_report_opts *o);

/* Appends extra_json's members and extra_fn's, after a comma when comma (a member is before
 * them). */
void shp_report_extra_json(struct shp_buf *out, const struct shp_report_opts *o, int comma);

/* The three levels of the formats that have three (SARIF, Checkstyle, GNU, GitHub): high and
 * critical are errors, low and medium warnings, info a note. */
enum shp_level { SHP_LEVEL_NOTE, SHP_LEVEL_WARNING, SHP_LEVEL_ERROR };
enum shp_level shp_report_level(enum shp_severity s);
/* The file as a relative reference: without a leading "./". */
const char *shp_report_relpath(const char *file);
/* Appends the message, and the path inside the image when the message does not name it. */
void shp_report_message(struct shp_buf *out, const struct shp_finding *x);

/* A whole document at once: sorts f, then begin, items per file, end. Returns the number of
 * findings at or above o->fail_on. */
size_t shp_report(struct shp_buf *out, enum shp_format fmt, struct shp_findings *f, const struct shp_report_opts *o);
