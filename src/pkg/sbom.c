/* sbom.c - see sbom.h. */
#include "pkg/sbom.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- purl ------------------------------------------------------------------------------- */

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Percent-decoding of [s, e) into arena ("%zz" stays as written). */
static const char *dec(struct shp_arena *A, const char *s, const char *e)
{
	char *o = shp_arena_alloc(A, (size_t)(e - s) + 1), *w = o;
	for (; s < e; s++) {
		if (*s == '%' && e - s >= 3 && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*w++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else
			*w++ = *s;
	}
	*w = 0;
	return o;
}

/* The source a purl's upstream qualifier names: "openssl", "openssl@3.0.11-1" (Syft, deb and
 * apk) or "openssl-3.0.7-24.el9.src.rpm" (Syft, rpm). */
static void upstream(struct shp_arena *A, struct shp_pkg *p, const char *u)
{
	size_t n = strlen(u);
	if (!n)
		return;
	if (p->type == SHP_PKG_RPM && n > 7 && !strcmp(u + n - 7, "src.rpm")) { /* .src.rpm, .nosrc.rpm */
		const char *name, *ver;
		shp_rpm_split_srpm(A, u, n, &name, &ver);
		p->source = name;
		if (ver)
			p->source_version = ver;
		return;
	}
	const char *at = strchr(u, '@');
	p->source = at ? shp_arena_strndup(A, u, (size_t)(at - u)) : u;
	if (at && at[1])
		p->source_version = at + 1;
}

int shp_purl_parse(const char *purl, struct shp_arena *A, struct shp_pkg *p, const char **ns, const char **distro)
{
	if (strncasecmp(purl, "pkg:", 4))
		return -1;
	const char *t = purl + 4;
	while (*t == '/')
		t++; /* "pkg://deb/..." is tolerated by the spec */
	const char *slash = strchr(t, '/');
	if (!slash || slash == t || slash - t > 8)
		return -1;
	char type[9];
	for (size_t i = 0; i < (size_t)(slash - t); i++)
		type[i] = (char)tolower((unsigned char)t[i]);
	type[slash - t] = 0;
	int ty = shp_eco_by_purl_type(type);
	if (ty < 0)
		return -1;
	const char *end = slash + strcspn(slash, "?#"), *q = *end == '?' ? end + 1 : NULL;
	const char *qend = q ? q + strcspn(q, "#") : NULL;
	/* NAMESPACE/NAME@VERSION: the name is the last segment before the version (the last '@':
	 * an npm scope's may stand unencoded, "pkg:npm/@types/node@20.1.0") */
	const char *at = memrchr(slash, '@', (size_t)(end - slash));
	if (!at || at + 1 == end)
		return -1;
	const char *name = at;
	while (name > slash + 1 && name[-1] != '/')
		name--;
	if (name == at)
		return -1;
	*p = (struct shp_pkg){.type = (enum shp_pkg_type)ty};
	const char *space = name > slash + 1 ? dec(A, slash + 1, name - 1) : NULL;
	p->name = dec(A, name, at);
	char sep = shp_eco((enum shp_pkg_type)ty)->purl_ns_sep;
	if (space && sep) {
		/* the namespace is part of our name: an npm scope, a Go module's whole path, a Maven
		 * artifact's group ("GROUP:ARTIFACT", as OSV names it) */
		size_t n = strlen(space) + strlen(p->name) + 2;
		char *full = shp_arena_alloc(A, n);
		snprintf(full, n, "%s%c%s", space, sep, p->name);
		p->name = full;
		space = NULL;
	}
	if (ns)
		*ns = space;
	p->version = dec(A, at + 1, end);
	const char *epoch = NULL, *up = NULL;
	for (const char *k = q; k && k < qend;) {
		const char *amp = memchr(k, '&', (size_t)(qend - k)), *ke = amp ? amp : qend;
		const char *eq = memchr(k, '=', (size_t)(ke - k));
		if (eq && eq + 1 < ke) {
			size_t kl = (size_t)(eq - k);
			const char *v = dec(A, eq + 1, ke);
			if (kl == 4 && !strncasecmp(k, "arch", 4))
				p->arch = v;
			else if (kl == 5 && !strncasecmp(k, "epoch", 5))
				epoch = v;
			else if (kl == 8 && !strncasecmp(k, "upstream", 8))
				up = v;
			else if (kl == 6 && !strncasecmp(k, "distro", 6) && distro && !*distro)
				*distro = v;
		}
		k = amp ? amp + 1 : qend;
	}
	if (p->type == SHP_PKG_RPM) {
		const char *colon = strchr(p->version, ':');
		if (colon)
			p->epoch = (uint32_t)strtoul(p->version, NULL, 10);
		else if (epoch && strcmp(epoch, "0")) {
			/* the epoch is a qualifier in rpm purls; our versions carry it as rpm prints it */
			p->epoch = (uint32_t)strtoul(epoch, NULL, 10);
			size_t n = strlen(epoch) + strlen(p->version) + 2;
			char *evr = shp_arena_alloc(A, n);
			snprintf(evr, n, "%s:%s", epoch, p->version);
			p->version = evr;
		}
	}
	p->source = p->name;
	p->source_version = p->version;
	if (up)
		upstream(A, p, up);
	return 0;
}

/* ---- documents ------------------------------------------------------------------------------ */

struct reader {
	struct shp_pkgs *pkgs;
	struct shp_os *os;    /* its strings in pkgs' arena */
	struct shp_arena tmp; /* what is decoded on the way (shp_pkgs_add copies what it keeps) */
	const char *distro;   /* the first purl's distro qualifier */
	const char *ns;	      /* and its namespace (debian, ubuntu, alpine, ...) */
};

static const char *lower(struct shp_arena *A, const char *s)
{
	char *o = shp_arena_strndup(A, s, strlen(s));
	for (char *c = o; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return o;
}

static void set_os(struct reader *r, const char *name, const char *version)
{
	struct shp_arena *A = &r->pkgs->arena;
	if (r->os->id || !name || !*name)
		return;
	r->os->id = lower(A, name);
	r->os->version_id = version && *version ? shp_arena_strndup(A, version, strlen(version)) : NULL;
	r->os->source = "SBOM";
}

/* A CycloneDX component's property, or NULL. */
static const char *prop(const cJSON *c, const char *name)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(c, "properties"))
	{
		const char *n = shp_json_str(x, "name"), *v = shp_json_str(x, "value");
		if (n && v && !strcmp(n, name))
			return v;
	}
	return NULL;
}

/* Adds the package of purl, with the source the document states (src, src_version: NULL when
 * it says nothing); returns it, or NULL when purl is no package we match. name is the
 * document's own name for it: a PyPI purl has the name in lower case, the document as the
 * project writes it ("PyYAML"). */
static struct shp_pkg *add(struct reader *r, const char *purl, const char *name, const char *src,
			   const char *src_version)
{
	struct shp_arena *A = &r->tmp;
	struct shp_pkg p;
	const char *ns, *distro = NULL;
	if (!purl || shp_purl_parse(purl, A, &p, &ns, &distro) < 0)
		return NULL;
	char *(*normalize)(const char *) = shp_eco(p.type)->normalize;
	if (normalize && name) {
		_cleanup_free_ char *a = normalize(name), *b = normalize(p.name);
		if (!strcmp(a, b))
			p.name = p.source = name;
	}
	if (!r->distro && distro) {
		r->distro = distro;
		r->ns = ns;
	}
	if (src && *src) {
		p.source = src;
		p.source_version = src_version && *src_version ? src_version : p.version;
	}
	shp_pkgs_add(r->pkgs, &p);
	return &r->pkgs->v[r->pkgs->n - 1];
}

/* Trivy's source properties: SrcName, SrcVersion, SrcRelease, SrcEpoch -> [E:]V[-R]. */
static const char *trivy_src_version(struct shp_arena *A, const cJSON *c)
{
	const char *v = prop(c, "aquasecurity:trivy:SrcVersion"), *rel = prop(c, "aquasecurity:trivy:SrcRelease");
	const char *ep = prop(c, "aquasecurity:trivy:SrcEpoch");
	if (!v)
		return NULL;
	int has_ep = ep && strcmp(ep, "0") && *ep;
	size_t n = strlen(v) + (rel ? strlen(rel) : 0) + (has_ep ? strlen(ep) : 0) + 3;
	char *o = shp_arena_alloc(A, n);
	snprintf(o, n, "%s%s%s%s%s", has_ep ? ep : "", has_ep ? ":" : "", v, rel && *rel ? "-" : "", rel ? rel : "");
	return o;
}

static void cdx_components(struct reader *r, const cJSON *list, int depth)
{
	const cJSON *c;
	if (depth > SHP_SBOM_MAX_DEPTH)
		return;
	cJSON_ArrayForEach(c, list)
	{
		const char *type = shp_json_str(c, "type");
		if (type && !strcmp(type, "operating-system"))
			set_os(r, shp_json_str(c, "name"), shp_json_str(c, "version"));
		else {
			const char *src = prop(c, "shipshape:package:source"),
				   *sv = prop(c, "shipshape:package:source_version");
			if (!src && (src = prop(c, "aquasecurity:trivy:SrcName")))
				sv = trivy_src_version(&r->tmp, c);
			struct shp_pkg *p = add(r, shp_json_str(c, "purl"), shp_json_str(c, "name"), src, sv);
			const char *layer = prop(c, "shipshape:layer"), *owner = prop(c, "shipshape:package:owner");
			if (p && layer)
				p->layer = atoi(layer);
			/* a language package that came with an OS package is matched through it */
			if (p && owner && SHP_PKG_IS_LANG(p->type))
				p->owner = shp_arena_strndup(&r->pkgs->arena, owner, strlen(owner));
		}
		cdx_components(r, cJSON_GetObjectItemCaseSensitive(c, "components"), depth + 1);
	}
}

/* SPDX sourceInfo as Trivy writes it: "built package from: NAME VERSION". */
static void spdx_source(struct shp_arena *A, const char *info, const char **src, const char **sv)
{
	static const char lead[] = "built package from: ";
	if (!info || strncmp(info, lead, sizeof lead - 1))
		return;
	const char *n = info + sizeof lead - 1, *sp = strchr(n, ' ');
	if (!sp || sp == n || !sp[1])
		return;
	*src = shp_arena_strndup(A, n, (size_t)(sp - n));
	*sv = sp + 1;
}

static void spdx_packages(struct reader *r, const cJSON *list)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, list)
	{
		const char *purpose = shp_json_str(p, "primaryPackagePurpose");
		if (purpose && !strcmp(purpose, "OPERATING-SYSTEM")) {
			set_os(r, shp_json_str(p, "name"), shp_json_str(p, "versionInfo"));
			continue;
		}
		const char *src = NULL, *sv = NULL;
		spdx_source(&r->tmp, shp_json_str(p, "sourceInfo"), &src, &sv);
		const cJSON *ref;
		cJSON_ArrayForEach(ref, cJSON_GetObjectItemCaseSensitive(p, "externalRefs"))
		{
			const char *rt = shp_json_str(ref, "referenceType");
			if (rt && !strcmp(rt, "purl") &&
			    add(r, shp_json_str(ref, "referenceLocator"), shp_json_str(p, "name"), src, sv))
				break;
		}
	}
}

/* No OS component: the purls' distro qualifier says it ("debian-12", "alpine-3.19.1",
 * "opensuse-leap-15.5"; Trivy writes apk's as the bare "3.19.1"). */
static void os_from_distro(struct reader *r)
{
	struct shp_arena *A = &r->pkgs->arena;
	if (r->os->id || !r->distro || !r->pkgs->n)
		return;
	const char *d = r->distro, *dash = strrchr(d, '-');
	if (dash && dash > d && isdigit((unsigned char)dash[1])) {
		r->os->id = lower(A, shp_arena_strndup(&r->tmp, d, (size_t)(dash - d)));
		r->os->version_id = shp_arena_strndup(A, dash + 1, strlen(dash + 1));
	} else if (isdigit((unsigned char)*d)) {
		r->os->id = r->ns ? lower(A, r->ns) : r->pkgs->v[0].type == SHP_PKG_APK ? "alpine" : NULL;
		r->os->version_id = shp_arena_strndup(A, d, strlen(d));
	} else {
		r->os->id = r->ns ? lower(A, r->ns) : NULL; /* a codename: "distro=bookworm" */
		r->os->codename = shp_arena_strndup(A, d, strlen(d));
	}
	r->os->source = "SBOM";
}

int shp_sbom_json_start(const char *head, size_t n)
{
	size_t i = n >= 3 && !memcmp(head, "\xef\xbb\xbf", 3) ? 3 : 0; /* a UTF-8 byte order mark */
	while (i < n && head[i] && strchr(" \t\r\n", head[i]))
		i++;
	return i < n && head[i] == '{';
}

int shp_sbom_detect(const char *text, size_t len)
{
	return shp_sbom_json_start(text, len) &&
	       (memmem(text, len, "\"bomFormat\"", 11) || memmem(text, len, "\"spdxVersion\"", 13));
}

/* line:column of byte off in text. */
int shp_sbom_read(const char *path, const char *text, size_t len, struct shp_pkgs *pkgs, struct shp_os *os,
		  struct shp_error **err)
{
	cJSON *doc = shp_json_parse(path, text, len, err);
	if (!doc)
		return -1;
	struct reader r = {.pkgs = pkgs, .os = os};
	const char *fmt = shp_json_str(doc, "bomFormat"), *spdx = shp_json_str(doc, "spdxVersion");
	int rc = 0;
	if (fmt && !strcmp(fmt, "CycloneDX")) {
		cdx_components(&r, cJSON_GetObjectItemCaseSensitive(doc, "components"), 0);
	} else if (spdx && !strncmp(spdx, "SPDX-2.", 7))
		spdx_packages(&r, cJSON_GetObjectItemCaseSensitive(doc, "packages"));
	else
		rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: not a CycloneDX or SPDX 2 JSON document%s", path,
				   spdx ? " (this SPDX version is not read)" : "");
	cJSON_Delete(doc);
	if (rc < 0) {
		shp_arena_free(&r.tmp);
		return -1;
	}
	os_from_distro(&r);
	shp_arena_free(&r.tmp);
	shp_pkgs_sort(pkgs);
	return 0;
}
