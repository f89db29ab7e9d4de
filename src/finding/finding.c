/* finding.c - severities, matching a rule by name, finding lists. */
#include "finding/finding.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const sev_names[] = {"info", "low", "medium", "high", "critical", "none"};

const char *shp_severity_name(enum shp_severity s) { return s <= SHP_SEV_NONE ? sev_names[s] : "?"; }

enum shp_severity shp_severity_parse(const char *s)
{
	for (int i = 0; i <= SHP_SEV_NONE; i++)
		if (!strcasecmp(s, sev_names[i]))
			return (enum shp_severity)i;
	/* hadolint's level names, so a .hadolint.yaml threshold means something here too */
	if (!strcasecmp(s, "error"))
		return SHP_SEV_MEDIUM;
	if (!strcasecmp(s, "warning"))
		return SHP_SEV_LOW;
	if (!strcasecmp(s, "style"))
		return SHP_SEV_INFO;
	return SHP_SEV_NONE;
}

/* Trivy writes one check three ways: DS002, DS-0002 and AVD-DS-0002 (KSV017, KSV-0017,
 * AVD-KSV-0017). Our aliases hold the first; the others are put in that form in out. */
static const char *trivy_short_id(const char *name, char out[16])
{
	const char *p = !strncasecmp(name, "AVD-", 4) ? name + 4 : name;
	size_t pre = !strncasecmp(p, "DS", 2) ? 2 : !strncasecmp(p, "KSV", 3) ? 3 : 0;
	if (!pre)
		return name;
	const char *d = p + pre + (p[pre] == '-');
	size_t nd = strspn(d, "0123456789");
	if (nd == 0 || nd > 6 || d[nd])
		return name;
	long v = strtol(d, NULL, 10);
	snprintf(out, 16, "%s%03ld", pre == 2 ? "DS" : "KSV", v);
	return out;
}

int shp_rule_matches(const struct shp_rule *r, const char *name)
{
	if (!strcasecmp(r->id, name) || !strcasecmp(r->slug, name))
		return 1;
	char buf[16];
	name = trivy_short_id(name, buf);
	for (int i = 0; i < SHP_MAX_ALIASES && r->aliases[i]; i++)
		if (!strcasecmp(r->aliases[i], name))
			return 1;
	return 0;
}

static void finding_free(struct shp_finding *x)
{
	free(x->message);
	free(x->path);
}

void shp_findings_free(struct shp_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		finding_free(&f->v[i]);
	free(f->v);
	shp_arena_free(&f->text);
	memset(f, 0, sizeof *f);
}

struct shp_finding *shp_findings_add(struct shp_findings *out, const struct shp_rule *r, enum shp_severity sev,
				     const char *file, const char *evidence, char *message)
{
	/* Most findings of a list are in the same file: its name is stored once. */
	const char *prev = out->n ? out->v[out->n - 1].file : NULL;
	struct shp_finding f = {
		.rule = r,
		.severity = sev,
		.message = message,
		.file = prev && !strcmp(prev, file) ? prev : shp_arena_strndup(&out->text, file, strlen(file))};
	if (evidence) {
		size_t n = strcspn(evidence, "\n");
		if (n > 160) {
			char *e = shp_arena_alloc(&out->text, 161);
			memcpy(e, evidence, 157);
			memcpy(e + 157, "...", 4);
			f.evidence = e;
		} else
			f.evidence = shp_arena_strndup(&out->text, evidence, n);
	}
	SHP_PUSH(out->v, out->n, out->cap, f);
	return &out->v[out->n - 1];
}

struct shp_finding *shp_findings_addv(struct shp_findings *out, const struct shp_rule *r, enum shp_severity sev,
				      const char *file, const char *evidence, const char *fmt, va_list ap)
{
	return shp_findings_add(out, r, sev, file, evidence, shp_vasprintf(fmt, ap));
}

void shp_finding_set_pragmas(struct shp_findings *out, struct shp_finding *x, const struct shp_finding_pragmas *p)
{
	if (!p->nlists[0] && !p->nlists[1] && !p->nlists[2] && !p->nyaml[0] && !p->nyaml[1] && !p->exempt)
		return; /* the common case: nothing to carry */
	struct shp_finding_pragmas *c = shp_arena_alloc(&out->text, sizeof *c);
	*c = *p;
	x->pragmas = c;
}

static const char *arena_str(struct shp_arena *a, const char *s)
{
	return s ? shp_arena_strndup(a, s, strlen(s)) : NULL;
}

void shp_finding_set_vuln(struct shp_findings *out, struct shp_finding *x, const struct shp_finding_vuln *v)
{
	struct shp_finding_vuln *c = shp_arena_alloc(&out->text, sizeof *c);
	*c = (struct shp_finding_vuln){.id = arena_str(&out->text, v->id),
				       .aliases = arena_str(&out->text, v->aliases),
				       .pkg_type = v->pkg_type,
				       .pkg_name = arena_str(&out->text, v->pkg_name),
				       .pkg_version = arena_str(&out->text, v->pkg_version)};
	x->vuln = c;
}

static int cmp_finding(const void *a, const void *b)
{
	const struct shp_finding *x = a, *y = b;
	int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	c = strcmp(x->rule->id, y->rule->id);
	if (c)
		return c;
	c = strcmp(x->path ? x->path : "", y->path ? y->path : "");
	if (c)
		return c;
	if (x->layer != y->layer)
		return x->layer < y->layer ? -1 : 1;
	return strcmp(x->message, y->message);
}

void shp_findings_filter(struct shp_findings *f, int (*keep)(struct shp_finding *x, const void *ctx), const void *ctx)
{
	size_t k = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (keep(&f->v[i], ctx))
			f->v[k++] = f->v[i];
		else
			finding_free(&f->v[i]);
	}
	f->n = k;
}

void shp_findings_sort(struct shp_findings *f)
{
	if (f->n > 1)
		qsort(f->v, f->n, sizeof *f->v, cmp_finding);
}
