/* finding.h - the finding model below every command: severities, the rule descriptor a finding
 * names, and lists of findings. The configuration, the rules, the policy stage and the reports
 * all build on it; it depends on nothing of theirs. */
#pragma once
#include "util/arena.h"
#include <stdarg.h>
#include <stddef.h>

enum shp_severity { SHP_SEV_INFO, SHP_SEV_LOW, SHP_SEV_MEDIUM, SHP_SEV_HIGH, SHP_SEV_CRITICAL, SHP_SEV_NONE };

const char *shp_severity_name(enum shp_severity s);
/* Parses "info".."critical" (case-insensitive); returns SHP_SEV_NONE if unknown. */
enum shp_severity shp_severity_parse(const char *s);
/* 1 if a finding of severity s fails a run with threshold fail_on (SHP_SEV_NONE: never). */
static inline int shp_severity_fails(enum shp_severity s, enum shp_severity fail_on)
{
	return fail_on != SHP_SEV_NONE && s >= fail_on;
}

/* Dockerfile, image and run-configuration rules run their check; vulnerability rules are
 * reported by the matcher (src/rules/vuln.c) from what the database says, and image
 * reference rules by `pin` (src/pin/) from what the registry says. */
enum shp_rule_scope {
	SHP_SCOPE_DOCKERFILE,
	SHP_SCOPE_IMAGE,
	SHP_SCOPE_VULN,
	SHP_SCOPE_AUDIT,
	SHP_SCOPE_HOST,
	SHP_SCOPE_PIN
};

struct shp_lint_ctx;
struct shp_image_ctx;
struct shp_audit_ctx;
struct shp_host_ctx;

#define SHP_MAX_ALIASES 8

/* Whether `shipshape fix` repairs what a Dockerfile rule finds: safely (the build does what
 * it did), or only with --unsafe (the build changes as the rule asks). */
enum shp_fixable { SHP_FIX_NONE, SHP_FIX_SAFE, SHP_FIX_CHANGES_BUILD };

/* A rule is a static descriptor (id, slug, severity, aliases, texts, check function); the
 * registry of them is src/rules/. */
struct shp_rule {
	const char *id;	  /* stable: "SHP1001" */
	const char *slug; /* "last-user-root" */
	enum shp_severity severity;
	const char *title;
	const char *rationale;
	const char *remediation;
	const char *aliases[SHP_MAX_ALIASES]; /* DLxxxx, DSxxx, CIS-DI-xxxx, "CIS 4.1"; NULL-terminated */
	enum shp_rule_scope scope;
	enum shp_fixable fixable;
	/* Pod Security Standards rules: the level ("baseline", "restricted") and the control's
	 * own name, for the report; NULL for the others */
	const char *pss_level, *pss_control;
	void (*check_dockerfile)(struct shp_lint_ctx *ctx);
	void (*check_image)(struct shp_image_ctx *ctx);
	void (*check_workload)(struct shp_audit_ctx *ctx);
	void (*check_host)(struct shp_host_ctx *ctx);
};

/* True if name is the rule's id, slug or one of its aliases (case-insensitive; Trivy's
 * DS-0002 and AVD-DS-0002 forms of an alias DS002 too). */
int shp_rule_matches(const struct shp_rule *r, const char *name);

struct shp_wl_pragma;

/* The inline ignores a finding is subject to, as its document's parser recorded them. They
 * point into the parsed document: the policy stage (src/policy) reads them and clears them,
 * so it runs before the document is freed. */
struct shp_finding_pragmas {
	/* Dockerfile: "# hadolint ignore=" lists (the file's global one, the stage's, the
	 * instruction's), each void as a whole when it names a rule nobody has */
	char *const *lists[3];
	size_t nlists[3];
	/* YAML comments (audit): the "# shipshape ignore=" pragmas at the finding's line and at
	 * its workload's, each a run of a sorted array */
	const struct shp_wl_pragma *yaml[2];
	size_t nyaml[2];
	const char *exempt; /* the workload's exemption annotations (Polaris'), comma-separated */
};

/* What a vulnerability finding is about, for ignores by id and by purl. */
struct shp_finding_vuln {
	const char *id;	     /* CVE-..., GHSA-... */
	const char *aliases; /* its other ids, comma-separated, or NULL */
	int pkg_type;	     /* enum shp_pkg_type */
	const char *pkg_name, *pkg_version;
};

struct shp_finding {
	const struct shp_rule *rule;
	enum shp_severity severity; /* the rule's, or the config's override */
	char *message;
	const char *file;     /* in the list's arena */
	int line, col;	      /* 0 when not applicable */
	const char *evidence; /* the offending text, secrets redacted; may be NULL; in the list's arena */
	int layer;	      /* image findings: 1-based layer, 0 for the image as a whole */
	int unrated;	      /* a vulnerability no feed rates (its severity is a default) */
	char *path;	      /* image findings: the path inside the image, or NULL */
	const struct shp_finding_pragmas *pragmas; /* NULL when none apply; in the list's arena */
	const struct shp_finding_vuln *vuln;	   /* vulnerability findings; in the list's arena */
};

struct shp_findings {
	struct shp_finding *v;
	size_t n, cap;
	struct shp_arena text; /* the findings' file names and evidence */
};

void shp_findings_free(struct shp_findings *f);
/* Appends a finding of rule r (severity sev) in file, taking ownership of message; evidence
 * (may be NULL, already redacted) is cut to its first line and 160 bytes. Returns the new
 * finding so the caller can place it (line, column, layer, path). */
struct shp_finding *shp_findings_add(struct shp_findings *out, const struct shp_rule *r, enum shp_severity sev,
				     const char *file, const char *evidence, char *message);
/* The same with the message formatted from fmt and ap: what every command's report helper
 * (lint, image, host, audit) calls. */
struct shp_finding *shp_findings_addv(struct shp_findings *out, const struct shp_rule *r, enum shp_severity sev,
				      const char *file, const char *evidence, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));
/* Attaches a copy of p (into the list's arena) to finding x of out, unless p holds nothing. */
void shp_finding_set_pragmas(struct shp_findings *out, struct shp_finding *x, const struct shp_finding_pragmas *p);
/* Attaches a copy of v, its strings too, to finding x of out. */
void shp_finding_set_vuln(struct shp_findings *out, struct shp_finding *x, const struct shp_finding_vuln *v);
/* Keeps the findings keep() says yes to, in order; frees the others. keep() may change the
 * finding it is given (the policy stage re-rates). */
void shp_findings_filter(struct shp_findings *f, int (*keep)(struct shp_finding *x, const void *ctx), const void *ctx);
/* Sorts by file, line, column, rule id, path, layer. */
void shp_findings_sort(struct shp_findings *f);
