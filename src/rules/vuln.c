/* vuln.c - the vulnerability rules. Their severity is the vulnerability's (the distro's
 * rating, else the record's, else CVSS v3; medium when no feed gives one), not the rule's. */
#include "rules/vuln.h"
#include "rules/families.h"
#include "pkg/sbom.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct shp_rule shp_rules_vuln[] = {
	{.id = "SHP3001", .slug = "vulnerable-package", .severity = SHP_SEV_HIGH, .scope = SHP_SCOPE_VULN,
	 .title = "Installed package has a known vulnerability with a fix",
	 .rationale = "A fixed version of this package has been published (by the distribution, or upstream "
		      "for an npm, PyPI, Go or Maven package); the image still ships the vulnerable one.",
	 .remediation = "OS packages: rebuild on a current base image, or upgrade the package (apt-get upgrade, "
			"apk upgrade, dnf upgrade) in the build. Language packages: require the fixed version "
			"(package.json and its lock file, requirements, go.mod, pom.xml) and rebuild.",
	 .aliases = {"CIS-4.4"}},
	{.id = "SHP3002", .slug = "vulnerable-package-unfixed", .severity = SHP_SEV_MEDIUM, .scope = SHP_SCOPE_VULN,
	 .title = "Installed package has a known vulnerability with no fix yet",
	 .rationale = "The vulnerability is open in this release of the distribution: no fixed package exists "
		      "yet. It is still exposure, and the fix will come with a package upgrade.",
	 .remediation = "Remove the package if the image does not need it; otherwise watch for the fix "
			"(--ignore-unfixed hides these)."},
	{.id = "SHP3003", .slug = "vulnerable-package-wont-fix", .severity = SHP_SEV_LOW, .scope = SHP_SCOPE_VULN,
	 .title = "Installed package has a known vulnerability the distribution will not fix",
	 .rationale = "The distribution's security team decided not to fix this issue in this release (minor "
		      "impact, or too invasive to backport).",
	 .remediation = "Remove the package if the image does not need it, or move to a newer release."},
	{.id = "SHP3010", .slug = "vulnerability-data-missing", .severity = SHP_SEV_MEDIUM, .scope = SHP_SCOPE_VULN,
	 .title = "The vulnerability database does not cover this OS or ecosystem",
	 .rationale = "No imported feed has data for this distribution and release (or for the npm, PyPI, Go "
		      "or Maven packages found), so no vulnerability could be matched there: the image is not "
		      "known to be clean.",
	 .remediation = "Import the distribution's feed (shipshape db import FEED), e.g. OSV's per-ecosystem zip "
			"for it, or OSV's npm, PyPI, Go or Maven dump."},
	{.id = "SHP3011", .slug = "os-unknown", .severity = SHP_SEV_MEDIUM, .scope = SHP_SCOPE_VULN,
	 .title = "The OS of the image is unknown",
	 .rationale = "No os-release or distribution release file says which distribution this is, so its "
		      "packages cannot be matched against any feed.",
	 .remediation = "Keep /etc/os-release (or /usr/lib/os-release) in the image."},
	{0},
};

static const char *state_word(enum shp_vuln_state s)
{
	return s == SHP_VS_FIXED ? "fixed" : s == SHP_VS_WONTFIX ? "will not fix" : "no fix yet";
}

/* A purl names the package: the same type, name and (when it gives one) version. */
static int purl_names(const char *purl, const struct shp_pkg *p)
{
	struct shp_arena a = {0};
	struct shp_pkg q = {0};
	int hit = shp_purl_parse(purl, &a, &q, NULL, NULL) == 0 && q.type == p->type && q.name && p->name &&
		  !strcmp(q.name, p->name) && (!q.version || !*q.version || (p->version && !strcmp(q.version, p->version)));
	shp_arena_free(&a);
	return hit;
}

/* Ignored by id (--ignore, .trivyignore), or by a .trivyignore.yaml entry for this id whose
 * paths hold the package's database and whose purls (if any) name the package. */
static int ignored_id(const struct shp_config *cfg, const struct shp_vuln_match *m)
{
	for (size_t i = 0; cfg && i < cfg->nignored; i++)
		if (shp_config_id_is(cfg->ignored[i], m->id, m->aliases))
			return 1;
	for (size_t i = 0; cfg && i < cfg->nscoped; i++) {
		const struct shp_scoped_ignore *e = &cfg->scoped[i];
		if (!shp_config_id_is(e->id, m->id, m->aliases) || !shp_config_scoped_path(e, m->pkg->db))
			continue;
		int named = !e->npurls;
		for (size_t k = 0; !named && k < e->npurls; k++)
			named = purl_names(e->purls[k], m->pkg);
		if (named)
			return 1;
	}
	return 0;
}

/* The rule a match is reported under, with its severity in *sev; NULL when it is not reported:
 * without a fix under --ignore-unfixed, ignored by rule or by id (.trivyignore), of a severity
 * --severity leaves out, or in a database under a skipped path. The findings and the JSON list
 * of vulnerabilities report the same matches. */
static const struct shp_rule *reported(const struct shp_vuln_match *x, int ignore_unfixed, const struct shp_config *cfg,
				       enum shp_severity *sev)
{
	const char *id = x->state == SHP_VS_FIXED ? "SHP3001" : x->state == SHP_VS_WONTFIX ? "SHP3003" : "SHP3002";
	const struct shp_rule *r = shp_rule_find(id);
	if ((ignore_unfixed && x->state != SHP_VS_FIXED) || (cfg && shp_config_is_ignored(cfg, r)) || ignored_id(cfg, x))
		return NULL;
	*sev = shp_config_graded_severity(cfg, r, x->severity);
	if (!shp_config_shows(cfg, *sev, !x->severity_known) || (x->pkg->db && shp_config_skips(cfg, x->pkg->db)))
		return NULL;
	return r;
}

/* A finding that some packages went unmatched (takes msg). */
static void not_matched(const struct shp_config *cfg, struct shp_findings *out, const char *file, const char *id,
			char *msg)
{
	const struct shp_rule *r = shp_rule_find(id);
	if (r && !(cfg && shp_config_is_ignored(cfg, r)))
		shp_findings_add(out, r, shp_config_severity(cfg, r), file, NULL, msg);
	else
		free(msg);
}

void shp_vuln_findings(const struct shp_vuln_matches *m, const struct shp_os *os, const char *file,
		       int ignore_unfixed, const struct shp_config *cfg, struct shp_findings *out)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct shp_vuln_match *x = &m->v[i];
		enum shp_severity sev;
		const struct shp_rule *r = reported(x, ignore_unfixed, cfg, &sev);
		if (!r)
			continue;
		const struct shp_pkg *p = x->pkg;
		/* a language package says where it is (the program, the package's directory) */
		int at = SHP_PKG_IS_LANG(p->type) && p->db;
		char ev[400];
		snprintf(ev, sizeof ev, "%s %s (%s%s%s)%s%s", p->name, p->version, shp_pkg_type_name(p->type),
			 at ? " in " : "", at ? p->db : "", x->fixed ? ", fixed in " : "", x->fixed ? x->fixed : "");
		char *msg = x->fixed ? shp_asprintf("%s in %s %s: fixed in %s%s%s", x->id, p->name, p->version, x->fixed,
						    x->summary ? ": " : "", x->summary ? x->summary : "")
				     : shp_asprintf("%s in %s %s: %s%s%s", x->id, p->name, p->version,
						    state_word(x->state), x->summary ? ": " : "", x->summary ? x->summary : "");
		if (strlen(msg) > 300)
			strcpy(msg + 296, "...");
		struct shp_finding *f = shp_findings_add(out, r, sev, file, ev, msg);
		f->layer = p->layer;
		f->path = p->db ? shp_xstrdup(p->db) : NULL;
		f->unrated = !x->severity_known;
	}
	/* What could not be matched, said so: the OS's packages (unless only language packages
	 * were found), and each language ecosystem the database lacks. */
	int os_pkgs = m->os_pkgs || !m->lang_seen;
	if (os_pkgs && (!os || !os->id))
		not_matched(cfg, out, file, "SHP3011",
			    shp_xstrdup("no os-release or distribution release file: the OS packages were not matched"));
	else if (os_pkgs && !m->os_covered)
		not_matched(cfg, out, file, "SHP3010",
			    shp_asprintf("the vulnerability database has no data for %s: nothing was matched, the image "
					 "is not known to be clean",
					 m->os_key ? m->os_key : os->id));
	for (int t = 0; t < SHP_PKG_NTYPES; t++)
		if (m->no_feed[t])
			not_matched(cfg, out, file, "SHP3010",
				    shp_asprintf("%zu %s packages not matched: no vulnerability feed for %s", m->no_feed[t],
						 shp_pkg_type_name((enum shp_pkg_type)t),
						 shp_eco((enum shp_pkg_type)t)->title));
		else if ((m->lang_seen & ~m->lang_covered) & (1u << t))
			not_matched(cfg, out, file, "SHP3010",
				    shp_asprintf("the vulnerability database has no data for %s packages: they were not "
						 "matched (shipshape db import an OSV %s dump)",
						 shp_pkg_type_name((enum shp_pkg_type)t),
						 shp_osv_lang_ecosystem((enum shp_pkg_type)t)));
}

void shp_vuln_json(struct shp_buf *b, const struct shp_vuln_matches *m, int ignore_unfixed, const struct shp_config *cfg)
{
	static const char *const sev[] = {"info", "low", "medium", "high", "critical"};
	shp_buf_putc(b, '[');
	int first = 1;
	for (size_t i = 0; i < m->n; i++) {
		const struct shp_vuln_match *x = &m->v[i];
		enum shp_severity graded;
		if (!reported(x, ignore_unfixed, cfg, &graded))
			continue;
		shp_buf_puts(b, first ? "{\"id\":" : ",{\"id\":");
		first = 0;
		shp_buf_json_str(b, x->id);
		const char *f[][2] = {{"package", x->pkg->name}, {"version", x->pkg->version},
				      {"type", shp_pkg_type_name(x->pkg->type)}, {"matched_as", x->matched},
				      {"fixed_version", x->fixed}, {"state", state_word(x->state)},
				      {"severity", sev[x->severity]}, {"aliases", x->aliases},
				      {"summary", x->summary}, {"source", x->source}};
		for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
			shp_buf_printf(b, ",\"%s\":", f[k][0]);
			if (f[k][1])
				shp_buf_json_str(b, f[k][1]);
			else
				shp_buf_puts(b, "null");
		}
		shp_buf_printf(b, ",\"severity_known\":%s,\"cvss\":%.1f,\"layer\":%d}", x->severity_known ? "true" : "false",
			       x->cvss, x->pkg->layer);
	}
	shp_buf_putc(b, ']');
}
