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
