/* config.h - user configuration: .shipshape.yaml, and .hadolint.yaml honoured as is
 * (ignored, override, trustedRegistries, failure-threshold), and the ignore files. This is
 * data only: what it ignores or re-rates is decided by the policy stage (src/policy). */
#pragma once
#include "finding/finding.h"
#include "util/error.h"
#include <stdint.h>

struct shp_override {
	char *rule;
	enum shp_severity severity;
};

/* dive's CI rules (.dive-ci "rules:", or "efficiency:" in .shipshape.yaml), which SHP2040
 * judges an image by. A limit is in force when its bit is in set; unset limits take dive's
 * defaults (lowest efficiency 0.9, user wasted 10%, wasted bytes not checked), and a
 * "disabled" one is set with its bit in off. */
enum { SHP_WASTE_EFFICIENCY = 1, SHP_WASTE_BYTES = 2, SHP_WASTE_USER_PERCENT = 4 };
struct shp_waste_limits {
	double lowest_efficiency; /* 0-1 */
	uint64_t highest_wasted_bytes;
	double highest_user_wasted; /* 0-1 */
	unsigned set, off;
};

/* An ignore that holds only at some paths or for some packages (.trivyignore.yaml). */
struct shp_scoped_ignore {
	char *id;		 /* a rule's name, or a vulnerability id */
	struct shp_glob **paths; /* none: any path */
	size_t npaths, cpaths;
	char **purls; /* none: any package; else a vulnerability in one of these */
	size_t npurls, cpurls;
};

/* registries: {mirrors: {HOST: [MIRROR...]}}: registries asked first, in order, for images
 * of HOST ("docker.io" for Docker Hub), falling back to HOST itself. */
struct shp_mirror {
	char *host;
	char **to; /* HOST[:PORT] each */
	size_t nto, cto;
};

/* db: {sources: {NAME: ...}}: a vulnerability data source of db update dropped (NAME: false),
 * re-pointed (NAME: {url: URL}) or added (NAME: {kind, url, ...}); checked by vuln/update.c. */
struct shp_db_source_cfg {
	char *name;
	int drop;
	char *kind, *url, *mirror_list, *distro, *covers; /* as written, NULL when absent */
	char *at;					  /* "path:line" of the entry, for messages */
};

struct shp_config {
	char *secret_config; /* secret-config: custom secret rules (Trivy's or gitleaks' file) */
	char **ignored;	     /* rule ids, slugs or aliases */
	size_t nignored, cignored;
	struct shp_override *overrides;
	size_t noverrides, coverrides;
	char **trusted; /* registries; "*.example.com" and "*" patterns allowed */
	size_t ntrusted, ctrusted;
	enum shp_severity fail_on; /* SHP_SEV_NONE when the file did not set it */
	int disable_pragmas;
	struct shp_waste_limits waste;
	struct shp_glob **skip; /* skip-files, skip-dirs: findings at these paths are dropped */
	size_t nskip, cskip;
	unsigned shown;	 /* --severity: a bit per severity reported (and SHP_SHOW_UNRATED), 0 for all */
	char *format;	 /* format: as written (checked by the CLI), NULL if unset */
	char *format_at; /* "path:line" of that key, for the CLI's message */
	int no_fail;	 /* no-fail: true (hadolint's): exit 0 whatever is found */
	int no_color;	 /* no-color: true */
	int quiet;	 /* quiet: true (as -q): no progress or notes on stderr */
	struct shp_scoped_ignore *scoped; /* .trivyignore.yaml entries with paths: or purls: */
	size_t nscoped, cscoped;
	struct shp_mirror *mirrors; /* registries: mirrors: */
	size_t nmirrors, cmirrors;
	struct shp_db_source_cfg *db_sources; /* db: sources: */
	size_t ndb_sources, cdb_sources;
	long long db_max_age; /* db: {max-age}: seconds the vulnerability data may be old (0: never
			       * stale), when db_max_age_set */
	int db_max_age_set;
	char *db_mirror;    /* db: {mirror: URL}: as db update --mirror, NULL when unset */
	char *db_mirror_at; /* "path:line" of that key, for the CLI's message */
	int pss_level;	    /* pss: baseline|restricted (enum shp_pss_level; 0: the usual rules) */
	int pss_minor;	    /* pss-version: the Kubernetes minor version (0 until set: latest) */
	char *pss_version;  /* pss-version as written ("latest", "v1.30"), NULL for latest */
};

/* --severity UNKNOWN, as Trivy has it: vulnerabilities no feed rates (reported as medium). */
#define SHP_SHOW_UNRATED (1u << 8)

/* Merges the YAML file at path into cfg. Errors name path:line:col. */
int shp_config_load(struct shp_config *cfg, const char *path, struct shp_error **err);
/* Merges YAML text (named path in messages) into cfg. */
int shp_config_parse(struct shp_config *cfg, const char *path, const char *text, size_t len, struct shp_error **err);
/* Loads .shipshape.yaml, .hadolint.yaml, .dive-ci, .trivyignore (unless no_trivyignore:
 * --ignorefile names another), .trivyignore.yaml and .dockleignore from the working
 * directory when present. */
int shp_config_load_default(struct shp_config *cfg, int no_trivyignore, struct shp_error **err);
/* Loads the user's configuration, $XDG_CONFIG_HOME/shipshape/config.yaml (else
 * ~/.config/shipshape/config.yaml), when present: the settings of a machine (registry and
 * feed mirrors) that every project's own file then adds to or overrides. */
int shp_config_load_user(struct shp_config *cfg, struct shp_error **err);
/* Loads Trivy's ignore file at path (--ignorefile): YAML when it ends in .yaml or .yml,
 * else one id per line. */
int shp_config_load_ignorefile(struct shp_config *cfg, const char *path, struct shp_error **err);
/* Merges a .trivyignore.yaml: lists under vulnerabilities, misconfigurations, secrets and
 * licenses of {id, paths, purls, expired_at, statement}; an entry without paths or purls
 * ignores its id everywhere, as a .trivyignore line does. Past expired_at (today is
 * "YYYY-MM-DD") an entry no longer counts. Errors name path:line. */
int shp_config_parse_trivyignore_yaml(struct shp_config *cfg, const char *path, const char *text, size_t len,
				      const char *today, struct shp_error **err);
/* Merges a .trivyignore or .dockleignore (one id per line: CVE-..., GHSA-..., DS002 or AVD-DS-0002, # comments,
 * an "exp:YYYY-MM-DD" after which the line no longer counts; today is "YYYY-MM-DD" UTC) into
 * cfg's ignores. */
int shp_config_parse_trivyignore(struct shp_config *cfg, const char *text, size_t len, const char *today);
void shp_config_free(struct shp_config *cfg);
/* The limits in force, dive's defaults where the configuration set none: the returned limits
 * have set = the limits to check. */
struct shp_waste_limits shp_config_waste(const struct shp_config *cfg);

/* Adds a skip-files (as_dir 0) or skip-dirs (1) pattern; -1 and *err (exit 2) on a bad one. */
int shp_config_add_skip(struct shp_config *cfg, const char *pattern, int as_dir, struct shp_error **err);
/* True if the registry host (e.g. "docker.io") matches a trusted pattern. */
int shp_config_registry_trusted(const struct shp_config *cfg, const char *registry);
