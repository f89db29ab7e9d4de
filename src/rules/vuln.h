/* vuln.h - vulnerability matches as findings (rules SHP3001-SHP3011). */
#pragma once
#include "config/config.h"
#include "rules/rule.h"
#include "vuln/vulndb.h"

/* Appends a finding per match (file: the image or root) and, when the database does not cover
 * the OS or the OS is unknown, one saying so. ignore_unfixed drops matches without a fix; what
 * is ignored is the policy stage's to decide (src/policy). */
void shp_vuln_findings(const struct shp_vuln_matches *m, const struct shp_os *os, const char *file, int ignore_unfixed,
		       struct shp_findings *out);
/* The matches whose findings the policy stage (cfg) keeps, as a JSON array (the
 * "vulnerabilities" member; severity there is the data's rating). */
void shp_vuln_json(struct shp_buf *b, const struct shp_vuln_matches *m, const char *file, int ignore_unfixed,
		   const struct shp_config *cfg);

/* How old the data matching used is: the oldest source among those with rows for the OS (when
 * its packages were matched) and for each language ecosystem found. */
struct shp_vuln_age {
	int stale;	    /* older than the max_age asked for (never when that is 0) */
	long long age;	    /* seconds, at now */
	long long modified; /* its date (unix time) */
	const char *source; /* which source, or NULL when no source has rows (in m) */
	const char *key;    /* for what ("debian:12", "pypi") */
};
void shp_vuln_data_age(const struct shp_vuln_matches *m, long long now, long long max_age, struct shp_vuln_age *out);
/* The "vulnerability_data" member's value: the OS, whether whole feeds cover it, the
 * packages read (packages), staleness against max_age (seconds, 0 never), and per OS and
 * language ecosystem the sources with rows for it and their age at now. */
void shp_vuln_data_json(struct shp_buf *b, const struct shp_vuln_matches *m, size_t packages, long long now,
			long long max_age);
/* The same for people, in one line ("vulnerability data: debian:12 from osv:Debian (2 days
 * old); ..."). */
void shp_vuln_data_text(struct shp_buf *b, const struct shp_vuln_matches *m, long long now, long long max_age);
/* A span of seconds for people, whole units rounded down: "40 minutes", "1 hour", "12 days". */
void shp_vuln_span_words(char *out, size_t size, long long secs);
