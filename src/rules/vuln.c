/* vuln.c - the vulnerability rules. Their severity is the vulnerability's (the distro's
 * rating, else the record's, else CVSS v3; medium when no feed gives one), not the rule's. */
#include "rules/vuln.h"
#include "pkg/sbom.h"
#include "policy/policy.h"
#include "rules/families.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct shp_rule shp_rules_vuln[] = {
	{.id = "SHP3001",
	 .slug = "vulnerable-package",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_VULN,
	 .title = "Installed package has a known vulnerability with a fix",
	 .rationale = "A fixed version of this package has been published (by the distribution, or upstream "
		      "for an npm, PyPI, Go or Maven package); the image still ships the vulnerable one.",
	 .remediation = "OS packages: rebuild on a current base image, or upgrade the package (apt-get upgrade, "
			"apk upgrade, dnf upgrade) in the build. Language packages: require the fixed version "
			"(package.json and its lock file, requirements, go.mod, pom.xml) and rebuild.",
	 .aliases = {"CIS-4.4"}},
	{.id = "SHP3002",
	 .slug = "vulnerable-package-unfixed",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_VULN,
	 .title = "Installed package has a known vulnerability with no fix yet",
	 .rationale = "The vulnerability is open in this release of the distribution: no fixed package exists "
		      "yet. It is still exposure, and the fix will come with a package upgrade.",
	 .remediation = "Remove the package if the image does not need it; otherwise watch for the fix "
			"(--ignore-unfixed hides these)."},
	{.id = "SHP3003",
	 .slug = "vulnerable-package-wont-fix",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_VULN,
	 .title = "Installed package has a known vulnerability the distribution will not fix",
	 .rationale = "The distribution's security team decided not to fix this issue in this release (minor "
		      "impact, or too invasive to backport).",
	 .remediation = "Remove the package if the image does not need it, or move to a newer release."},
	{.id = "SHP3010",
	 .slug = "vulnerability-data-missing",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_VULN,
	 .title = "The vulnerability database does not cover this OS or ecosystem",
	 .rationale = "No imported feed has data for this distribution and release (or for the npm, PyPI, Go "
		      "or Maven packages found), so no vulnerability could be matched there: the image is not "
		      "known to be clean.",
	 .remediation = "Import the distribution's feed (shipshape db import FEED), e.g. OSV's per-ecosystem zip "
			"for it, or OSV's npm, PyPI, Go or Maven dump."},
	{.id = "SHP3011",
	 .slug = "os-unknown",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_VULN,
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

static const struct shp_rule *rule_of(const struct shp_vuln_match *x)
{
	return shp_rule_find(x->state == SHP_VS_FIXED ? "SHP3001" : x->state == SHP_VS_WONTFIX ? "SHP3003" : "SHP3002");
}

/* What the policy stage matches a vulnerability by: its ids and its package. */
static struct shp_finding_vuln about(const struct shp_vuln_match *x)
{
	return (struct shp_finding_vuln){.id = x->id,
					 .aliases = x->aliases,
					 .pkg_type = (int)x->pkg->type,
					 .pkg_name = x->pkg->name,
					 .pkg_version = x->pkg->version};
}

/* A finding that some packages went unmatched (takes msg). */
static void not_matched(struct shp_findings *out, const char *file, const char *id, char *msg)
{
	const struct shp_rule *r = shp_rule_find(id);
	if (r)
		shp_findings_add(out, r, r->severity, file, NULL, msg);
	else
		free(msg);
}

void shp_vuln_findings(const struct shp_vuln_matches *m, const struct shp_os *os, const char *file, int ignore_unfixed,
		       struct shp_findings *out)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct shp_vuln_match *x = &m->v[i];
		if (ignore_unfixed && x->state != SHP_VS_FIXED)
			continue;
		const struct shp_pkg *p = x->pkg;
		/* a language package says where it is (the program, the package's directory) */
		int at = SHP_PKG_IS_LANG(p->type) && p->db;
		char ev[400];
		snprintf(ev, sizeof ev, "%s %s (%s%s%s)%s%s", p->name, p->version, shp_pkg_type_name(p->type),
			 at ? " in " : "", at ? p->db : "", x->fixed ? ", fixed in " : "", x->fixed ? x->fixed : "");
		/* one finding per vulnerability: the other names it goes by beside its id (the
		 * first few whole ones: the JSON lists them all) */
		char also[160] = "";
		if (x->aliases) {
			size_t n = strlen(x->aliases);
			int cut = n > sizeof also - 8;
			if (cut)
				for (n = sizeof also - 8; n && x->aliases[n] != ','; n--)
					;
			snprintf(also, sizeof also, " (%.*s%s)", (int)n, x->aliases, cut ? " ..." : "");
		}
		for (char *c = also; *c; c++)
			if (*c == ',')
				*c = ' ';
		char *msg = x->fixed ? shp_asprintf("%s%s in %s %s: fixed in %s%s%s", x->id, also, p->name, p->version,
						    x->fixed, x->summary ? ": " : "", x->summary ? x->summary : "")
				     : shp_asprintf("%s%s in %s %s: %s%s%s", x->id, also, p->name, p->version,
						    state_word(x->state), x->summary ? ": " : "",
						    x->summary ? x->summary : "");
		if (strlen(msg) > 300)
			strcpy(msg + 296, "...");
		struct shp_finding *f = shp_findings_add(out, rule_of(x), x->severity, file, ev, msg);
		f->layer = p->layer;
		f->path = p->db ? shp_xstrdup(p->db) : NULL;
		f->unrated = !x->severity_known;
		struct shp_finding_vuln v = about(x);
		shp_finding_set_vuln(out, f, &v);
	}
	/* What could not be matched, said so: the OS's packages (unless only language packages
	 * were found), and each language ecosystem the database lacks. */
	int os_pkgs = m->os_pkgs || !m->lang_seen;
	if (os_pkgs && (!os || !os->id))
		not_matched(
			out, file, "SHP3011",
			shp_xstrdup("no os-release or distribution release file: the OS packages were not matched"));
	else if (os_pkgs && !m->os_covered)
		not_matched(
			out, file, "SHP3010",
			shp_asprintf("the vulnerability database has no data for %s: nothing was matched, the image "
				     "is not known to be clean",
				     m->os_key ? m->os_key : os->id));
	for (int t = 0; t < SHP_PKG_NTYPES; t++)
		if (m->no_feed[t])
			not_matched(out, file, "SHP3010",
				    shp_asprintf("%zu %s packages not matched: no vulnerability feed for %s",
						 m->no_feed[t], shp_pkg_type_name((enum shp_pkg_type)t),
						 shp_eco((enum shp_pkg_type)t)->title));
		else if ((m->lang_seen & ~m->lang_covered) & (1u << t))
			not_matched(
				out, file, "SHP3010",
				shp_asprintf("the vulnerability database has no data for %s packages: they were not "
					     "matched (shipshape db import an OSV %s dump)",
					     shp_pkg_type_name((enum shp_pkg_type)t),
					     shp_osv_lang_ecosystem((enum shp_pkg_type)t)));
}

void shp_vuln_json(struct shp_buf *b, const struct shp_vuln_matches *m, const char *file, int ignore_unfixed,
		   const struct shp_config *cfg)
{
	static const char *const sev[] = {"info", "low", "medium", "high", "critical"};
	shp_buf_putc(b, '[');
	int first = 1;
	for (size_t i = 0; i < m->n; i++) {
		const struct shp_vuln_match *x = &m->v[i];
		if (ignore_unfixed && x->state != SHP_VS_FIXED)
			continue;
		/* the policy's answer for the finding this match becomes: the list and the findings
		 * report the same matches */
		struct shp_finding_vuln v = about(x);
		struct shp_finding as = {.rule = rule_of(x),
					 .severity = x->severity,
					 .file = file,
					 .path = (char *)x->pkg->db, /* on the stack: never freed */
					 .unrated = !x->severity_known,
					 .vuln = &v};
		if (!shp_policy_keep(cfg, &as, SHP_POLICY_ALL))
			continue;
		shp_buf_puts(b, first ? "{\"id\":" : ",{\"id\":");
		first = 0;
		shp_buf_json_str(b, x->id);
		const char *f[][2] = {{"package", x->pkg->name},
				      {"version", x->pkg->version},
				      {"type", shp_pkg_type_name(x->pkg->type)},
				      {"matched_as", x->matched},
				      {"fixed_version", x->fixed},
				      {"state", state_word(x->state)},
				      {"severity", sev[x->severity]},
				      {"aliases", x->aliases},
				      {"summary", x->summary},
				      {"source", x->source},
				      {"sources", x->sources}};
		for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
			shp_buf_printf(b, ",\"%s\":", f[k][0]);
			if (f[k][1])
				shp_buf_json_str(b, f[k][1]);
			else
				shp_buf_puts(b, "null");
		}
		shp_buf_printf(b, ",\"severity_known\":%s,\"cvss\":%.1f,\"layer\":%d}",
			       x->severity_known ? "true" : "false", x->cvss, x->pkg->layer);
	}
	shp_buf_putc(b, ']');
}
