/* vuln.c - the vulnerability rules. Their severity is the vulnerability's (the distro's
 * rating, else the record's, else CVSS v3; medium when no feed gives one), not the rule's. */
#include "rules/vuln.h"
#include "pkg/sbom.h"
#include "policy/policy.h"
#include "rules/families.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
		      "or Maven packages found), or only records from single files rather than a whole feed "
		      "(partial data), so vulnerabilities could not all be matched there: the image is not "
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
	/* found once: a report of many thousand matches asks for each twice, and a search by
	 * name compares it with every rule's names and aliases */
	static const struct shp_rule *fixed, *wontfix, *nofix;
	if (!fixed) {
		fixed = shp_rule_find("SHP3001");
		nofix = shp_rule_find("SHP3002");
		wontfix = shp_rule_find("SHP3003");
	}
	return x->state == SHP_VS_FIXED ? fixed : x->state == SHP_VS_WONTFIX ? wontfix : nofix;
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

/* ---- what the data covers, and how old it is ------------------------------------------- */

struct words {
	char data[200];
};

/* "1 record from single files (osv:PyPI)": what a partial coverage has */
static struct words partial_words(const struct shp_vuln_coverage *c)
{
	struct words w;
	long long records = 0;
	for (size_t i = 0; i < c->n; i++)
		records += c->src[i].vulns;
	snprintf(w.data, sizeof w.data, "%lld record%s from single files", records, records == 1 ? "" : "s");
	return w;
}

void shp_vuln_span_words(char *out, size_t size, long long secs)
{
	long long n = secs < 3600 ? secs / 60 : secs < 86400 ? secs / 3600 : secs / 86400;
	const char *unit = secs < 3600 ? "minute" : secs < 86400 ? "hour" : "day";
	if (secs < 0)
		n = 0;
	snprintf(out, size, "%lld %s%s", n, unit, n == 1 ? "" : "s");
}

static struct words age_words(long long secs)
{
	struct words w;
	shp_vuln_span_words(w.data, sizeof w.data, secs);
	return w;
}

/* Whether coverage i counts for the report: a language ecosystem found, or the OS when its
 * packages were matched (an image of only npm packages on Alpine needs no Alpine data). */
static int counts(const struct shp_vuln_matches *m, size_t i)
{
	return !(m->os_key && i == 0) || m->os_pkgs || !m->lang_seen;
}

void shp_vuln_data_age(const struct shp_vuln_matches *m, long long now, long long max_age, struct shp_vuln_age *out)
{
	*out = (struct shp_vuln_age){0};
	for (size_t i = 0; i < m->ncov; i++) {
		const struct shp_vuln_coverage *c = &m->cov[i];
		if (counts(m, i) && c->oldest && (!out->source || c->modified < out->modified)) {
			out->modified = c->modified;
			out->source = c->oldest;
			out->key = c->key;
		}
	}
	out->age = out->source ? now - out->modified : 0;
	out->stale = out->source && max_age > 0 && out->age > max_age;
}

void shp_vuln_data_json(struct shp_buf *b, const struct shp_vuln_matches *m, size_t packages, long long now,
			long long max_age)
{
	const struct shp_vuln_coverage *os = m->os_key ? shp_vuln_matches_coverage(m, m->os_key) : NULL;
	struct shp_vuln_age age;
	shp_vuln_data_age(m, now, max_age, &age);
	shp_buf_puts(b, "{\"os\":");
	if (m->os_key)
		shp_buf_json_str(b, m->os_key);
	else
		shp_buf_puts(b, "null");
	shp_buf_printf(b, ",\"covered\":%s,\"partial\":%s,\"packages\":%zu,\"stale\":%s,\"max_age_days\":",
		       m->os_covered ? "true" : "false", os && os->partial ? "true" : "false", packages,
		       age.stale ? "true" : "false");
	if (max_age > 0)
		shp_buf_printf(b, "%.2f", max_age / 86400.0);
	else
		shp_buf_puts(b, "null"); /* never stale */
	shp_buf_puts(b, ",\"oldest\":");
	if (age.source) {
		char date[32];
		shp_timestamp(date, age.modified);
		shp_buf_puts(b, "{\"source\":");
		shp_buf_json_str(b, age.source);
		shp_buf_puts(b, ",\"for\":");
		shp_buf_json_str(b, age.key);
		shp_buf_printf(b, ",\"age_days\":%.2f,\"date\":\"%s\"}", age.age / 86400.0, date);
	} else
		shp_buf_puts(b, "null");
	shp_buf_puts(b, ",\"coverage\":[");
	int first = 1;
	for (size_t i = 0; i < m->ncov; i++) {
		const struct shp_vuln_coverage *c = &m->cov[i];
		if (!counts(m, i))
			continue;
		shp_buf_puts(b, first ? "{\"name\":" : ",{\"name\":");
		first = 0;
		shp_buf_json_str(b, c->key);
		shp_buf_printf(b, ",\"kind\":\"%s\",\"covered\":%s,\"partial\":%s,\"sources\":[",
			       m->os_key && i == 0 ? "os" : "ecosystem", c->covered ? "true" : "false",
			       c->partial ? "true" : "false");
		for (size_t k = 0; k < c->n; k++) {
			if (k)
				shp_buf_putc(b, ',');
			shp_buf_json_str(b, c->src[k].name);
		}
		shp_buf_putc(b, ']');
		if (c->oldest) {
			char date[32];
			shp_timestamp(date, c->modified);
			shp_buf_printf(b, ",\"age_days\":%.2f,\"date\":\"%s\"}", (now - c->modified) / 86400.0, date);
		} else
			shp_buf_puts(b, ",\"age_days\":null,\"date\":null}");
	}
	shp_buf_puts(b, "]}");
}

void shp_vuln_data_text(struct shp_buf *b, const struct shp_vuln_matches *m, long long now, long long max_age)
{
	shp_buf_puts(b, "vulnerability data:");
	int first = 1;
	for (size_t i = 0; i < m->ncov; i++) {
		const struct shp_vuln_coverage *c = &m->cov[i];
		if (!counts(m, i))
			continue;
		shp_buf_puts(b, first ? " " : "; ");
		first = 0;
		shp_buf_term_str(b, c->key);
		if (!c->n) {
			shp_buf_puts(b, ": no data");
			continue;
		}
		shp_buf_puts(b, " from ");
		for (size_t k = 0; k < c->n; k++) {
			if (k)
				shp_buf_puts(b, ", ");
			shp_buf_term_str(b, c->src[k].name);
		}
		shp_buf_puts(b, " (");
		if (c->partial)
			shp_buf_printf(b, "partial: %s, ", partial_words(c).data);
		shp_buf_printf(b, "%s old)", age_words(now - c->modified).data);
	}
	if (first)
		shp_buf_puts(b, " nothing to match");
	struct shp_vuln_age age;
	shp_vuln_data_age(m, now, max_age, &age);
	if (age.stale)
		shp_buf_printf(b, "; stale: older than %s", age_words(max_age).data);
	shp_buf_putc(b, '\n');
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
	else if (os_pkgs && !m->os_covered) {
		const struct shp_vuln_coverage *c = shp_vuln_matches_coverage(m, m->os_key);
		const char *what = m->os_key ? m->os_key : os->id;
		if (c && c->partial)
			not_matched(out, file, "SHP3010",
				    shp_asprintf("the vulnerability database has only partial data for %s (%s, not a "
						 "whole feed): the image is not known to be clean",
						 what, partial_words(c).data));
		else
			not_matched(out, file, "SHP3010",
				    shp_asprintf("the vulnerability database has no data for %s: nothing was matched, "
						 "the image is not known to be clean",
						 what));
	}
	for (int t = 0; t < SHP_PKG_NTYPES; t++) {
		const char *name = shp_pkg_type_name((enum shp_pkg_type)t);
		const struct shp_vuln_coverage *c = shp_vuln_matches_coverage(m, name);
		if (m->no_feed[t])
			not_matched(out, file, "SHP3010",
				    shp_asprintf("%zu %s packages not matched: no vulnerability feed for %s",
						 m->no_feed[t], name, shp_eco((enum shp_pkg_type)t)->title));
		else if (!((m->lang_seen & ~m->lang_covered) & (1u << t)))
			continue;
		else if (c && c->partial)
			not_matched(out, file, "SHP3010",
				    shp_asprintf("the vulnerability database has only partial data for %s packages "
						 "(%s, not a whole feed): they are not known to be clean (shipshape db "
						 "import an OSV %s dump)",
						 name, partial_words(c).data,
						 shp_osv_lang_ecosystem((enum shp_pkg_type)t)));
		else
			not_matched(out, file, "SHP3010",
				    shp_asprintf("the vulnerability database has no data for %s packages: they were "
						 "not matched (shipshape db import an OSV %s dump)",
						 name, shp_osv_lang_ecosystem((enum shp_pkg_type)t)));
	}
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
