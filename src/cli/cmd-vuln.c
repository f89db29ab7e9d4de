/* cmd-vuln.c - `shipshape vuln IMAGE|DIR|SBOM`: the installed OS packages (read through the
 * image engine, or from a CycloneDX SBOM's purls) matched against the local database. Each
 * vulnerability is a finding (SHP3001 fixed, SHP3002 no fix yet, SHP3003 will not fix) with
 * its own severity; JSON adds a "vulnerabilities" member. */
#include "cli/cli.h"
#include "image/image.h"
#include "image/packages.h"
#include "image/union.h"
#include "rules/vuln.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fputs("usage: shipshape vuln [options] IMAGE|DIR|SBOM\n\n"
	      "Matches the installed OS packages (dpkg, apk, rpm) against the local vulnerability\n"
	      "database (shipshape db import). SBOM is a CycloneDX JSON file with purls.\n\noptions:\n"
	      "      --db FILE        the database (default $SHIPSHAPE_DB, else ~/.cache/shipshape/vuln.db)\n"
	      "      --ignore-unfixed only vulnerabilities with a fixed version\n"
	      SHP_IMAGE_HELP SHP_COMMON_HELP,
	      f);
}

/* ---- packages from a CycloneDX SBOM -------------------------------------------------- */

/* Percent-decoding of a purl part [s, e). */
static char *purl_dec(const char *s, const char *e)
{
	char *o = shp_xmalloc((size_t)(e - s) + 1), *w = o;
	for (; s < e; s++) {
		unsigned v;
		if (*s == '%' && e - s >= 3 && sscanf(s + 1, "%2x", &v) == 1) {
			*w++ = (char)v;
			s += 2;
		} else
			*w++ = *s;
	}
	*w = 0;
	return o;
}

/* pkg:TYPE/NAMESPACE/NAME@VERSION?arch=..&epoch=..&distro=.. -> a package, and the distro. */
static int from_purl(const char *purl, struct shp_pkgs *out, char **distro)
{
	if (strncmp(purl, "pkg:", 4))
		return -1;
	const char *t = purl + 4, *slash = strchr(t, '/');
	if (!slash)
		return -1;
	_cleanup_free_ char *type = shp_xstrndup(t, (size_t)(slash - t));
	int ty = shp_pkg_type_from_name(type);
	if (ty < 0)
		return -1;
	const char *q = strchr(slash, '?'), *end = q ? q : slash + strlen(slash);
	const char *at = memchr(slash, '@', (size_t)(end - slash));
	if (!at)
		return -1;
	const char *name_start = at;
	while (name_start > slash && name_start[-1] != '/')
		name_start--;
	_cleanup_free_ char *name = purl_dec(name_start, at), *ver = purl_dec(at + 1, end);
	_cleanup_free_ char *arch = NULL, *epoch = NULL;
	for (const char *p = q ? q + 1 : NULL; p && *p;) {
		const char *amp = strchr(p, '&'), *pe = amp ? amp : p + strlen(p), *eq = memchr(p, '=', (size_t)(pe - p));
		if (eq) {
			char **slot = !strncmp(p, "arch=", 5) ? &arch : !strncmp(p, "epoch=", 6) ? &epoch
									: !strncmp(p, "distro=", 7) ? distro : NULL;
			if (slot && !*slot)
				*slot = purl_dec(eq + 1, pe);
		}
		p = amp ? amp + 1 : pe;
	}
	struct shp_pkg p = {.type = (enum shp_pkg_type)ty, .name = name, .arch = arch};
	_cleanup_free_ char *evr = epoch && ty == SHP_PKG_RPM && strcmp(epoch, "0") ? shp_asprintf("%s:%s", epoch, ver) : NULL;
	p.version = evr ? evr : ver;
	p.epoch = epoch ? (uint32_t)strtoul(epoch, NULL, 10) : 0;
	p.source = p.name;
	p.source_version = p.version;
	shp_pkgs_add(out, &p);
	return 0;
}

static const char *prop(const cJSON *comp, const char *name)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(comp, "properties"))
	{
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(x, "name"), *v = cJSON_GetObjectItemCaseSensitive(x, "value");
		if (cJSON_IsString(n) && cJSON_IsString(v) && !strcmp(n->valuestring, name))
			return v->valuestring;
	}
	return NULL;
}

/* Returns 1 if path is a CycloneDX SBOM (and fills pkgs and os), 0 if it is not one, -1 on
 * a broken one. */
static int sbom_packages(const char *path, struct shp_image_pkgs *ip, struct shp_error **err)
{
	/* A JSON document starts with '{' (after blanks); an image (a tar, a directory) does not.
	 * Only that is read whole: an image tarball is left to the image engine's one pass. */
	char head[512];
	ssize_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		got = read(fd, head, sizeof head);
		close(fd);
	}
	size_t lead = 0;
	while (got > 0 && lead < (size_t)got && strchr(" \t\r\n", head[lead]))
		lead++;
	if (got <= 0 || lead >= (size_t)got || head[lead] != '{')
		return 0; /* a directory, not readable, or not JSON: the image engine says what it is */
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (shp_read_file(path, 256u << 20, &text, &len, err) < 0)
		return -1;
	if (!strstr(text, "\"bomFormat\""))
		return 0;
	const char *end = NULL;
	cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(doc, "bomFormat");
	if (!doc || !cJSON_IsString(fmt) || strcmp(fmt->valuestring, "CycloneDX")) {
		cJSON_Delete(doc);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: not a CycloneDX JSON document", path);
	}
	_cleanup_free_ char *distro = NULL;
	const cJSON *c;
	struct shp_arena *A = &ip->pkgs.arena;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "components"))
	{
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(c, "type");
		const cJSON *purl = cJSON_GetObjectItemCaseSensitive(c, "purl");
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(c, "name");
		const cJSON *ver = cJSON_GetObjectItemCaseSensitive(c, "version");
		if (cJSON_IsString(type) && !strcmp(type->valuestring, "operating-system") && cJSON_IsString(name)) {
			ip->os.id = shp_arena_strndup(A, name->valuestring, strlen(name->valuestring));
			if (cJSON_IsString(ver))
				ip->os.version_id = shp_arena_strndup(A, ver->valuestring, strlen(ver->valuestring));
			continue;
		}
		if (!cJSON_IsString(purl) || from_purl(purl->valuestring, &ip->pkgs, &distro) < 0)
			continue;
		/* shipshape's own properties keep the source package and layer */
		struct shp_pkg *p = &ip->pkgs.v[ip->pkgs.n - 1];
		const char *src = prop(c, "shipshape:package:source"), *sv = prop(c, "shipshape:package:source_version");
		const char *layer = prop(c, "shipshape:layer");
		if (src)
			p->source = shp_arena_strndup(A, src, strlen(src));
		if (sv)
			p->source_version = shp_arena_strndup(A, sv, strlen(sv));
		if (layer)
			p->layer = atoi(layer);
		ip->ndbs = 1;
	}
	/* no OS component: the purls' distro qualifier ("debian-12", or "3.18.4" for apk) */
	if (!ip->os.id && distro && ip->pkgs.n) {
		const char *dash = strrchr(distro, '-');
		if (ip->pkgs.v[0].type == SHP_PKG_APK)
			ip->os.id = "alpine", ip->os.version_id = shp_arena_strndup(A, distro, strlen(distro));
		else if (dash) {
			ip->os.id = shp_arena_strndup(A, distro, (size_t)(dash - distro));
			ip->os.version_id = shp_arena_strndup(A, dash + 1, strlen(dash + 1));
		}
	}
	cJSON_Delete(doc);
	shp_pkgs_sort(&ip->pkgs);
	return 1;
}

/* ---- shared with `image --vuln` ------------------------------------------------------- */

int shp_cli_vulns(const char *db_path, const struct shp_image_pkgs *ip, const char *file, int ignore_unfixed,
		  const struct shp_config *cfg, struct shp_findings *f, struct shp_buf *json, struct shp_error **err)
{
	_cleanup_free_ char *dflt = db_path ? NULL : shp_vulndb_default_path();
	struct shp_vulndb *db = NULL;
	if (shp_vulndb_open(db_path ? db_path : dflt, 0, &db, err) < 0)
		return -1;
	struct shp_vuln_matches m = {0};
	int rc = shp_vulndb_match(db, &ip->os, &ip->pkgs, &m, err);
	shp_vulndb_close(db);
	if (rc == 0) {
		shp_vuln_findings(&m, &ip->os, file, ignore_unfixed, cfg, f);
		shp_buf_puts(json, "\"vulnerabilities\":");
		shp_vuln_json(json, &m, ignore_unfixed);
		shp_buf_printf(json, ",\"vulnerability_data\":{\"os\":");
		if (m.os_key)
			shp_buf_json_str(json, m.os_key);
		else
			shp_buf_puts(json, "null");
		shp_buf_printf(json, ",\"covered\":%s,\"packages\":%zu}", m.os_covered ? "true" : "false", ip->pkgs.n);
	}
	shp_vuln_matches_free(&m);
	return rc;
}

enum { OPT_DB = 2001, OPT_UNFIXED };

struct vuln_args {
	struct shp_image_opts io;
	const char *db;
	int ignore_unfixed;
};

static int vuln_opt(void *ctx, int c, const char *arg)
{
	struct vuln_args *a = ctx;
	if (c == OPT_DB)
		a->db = arg;
	else if (c == OPT_UNFIXED)
		a->ignore_unfixed = 1;
	else
		return 0;
	return 1;
}

int shp_cmd_vuln(int argc, char **argv)
{
	static const struct option longopts[] = {{"db", required_argument, 0, OPT_DB},
						 {"ignore-unfixed", no_argument, 0, OPT_UNFIXED},
						 {0, 0, 0, 0}};
	struct vuln_args a = {0};
	const struct shp_cli_spec spec = {.name = "vuln", .longopts = longopts, .shortopts = "", .opt = vuln_opt,
					  .ctx = &a, .usage = usage, .io = &a.io, .min_args = 1};
	struct shp_cli_opts o;
	int first = shp_cli_parse(argc, argv, &spec, &o);
	if (first <= 0)
		return -first;
	if (argc - first != 1) {
		usage(stderr);
		shp_config_free(&o.cfg);
		return SHP_EXIT_USAGE;
	}
	optind = first;
	struct shp_image_opts io = a.io;
	io.packages_only = 1;
	const char *db_path = a.db;
	int ignore_unfixed = a.ignore_unfixed;
	const char *input = argv[optind];
	_cleanup_error_ struct shp_error *err = NULL;
	struct shp_image_pkgs ip = {0};
	struct shp_findings f = {0};
	struct shp_buf extra = {0};
	int rc = SHP_EXIT_INPUT;
	int is_sbom = sbom_packages(input, &ip, &err);
	if (is_sbom < 0)
		goto fail;
	if (!is_sbom) {
		_cleanup_image_ struct shp_image *img = NULL;
		if (shp_image_open(input, &io, &img, &err) < 0 || shp_image_scan(img, &io, &err) < 0)
			goto fail;
		struct shp_union u;
		shp_union_build(&u, img);
		int r = shp_image_packages(img, &u, 0, &ip, &err);
		shp_union_free(&u);
		if (r < 0)
			goto fail;
	}
	if (shp_cli_vulns(db_path, &ip, input, ignore_unfixed, &o.cfg, &f, &extra, &err) < 0)
		goto fail;
	shp_findings_sort(&f);
	struct shp_report_opts ro = {.color = o.color, .fail_on = o.fail_on, .files = 1, .command = "vuln",
				     .extra_json = extra.data};
	struct shp_buf doc = {0};
	shp_report(&doc, o.format, &f, &ro);
	struct shp_report_summary sum = {0};
	shp_report_count(&sum, f.v, f.n, o.fail_on);
	rc = shp_cli_write(&o, &doc, sum.failing);
	goto out;
fail:
	shp_cli_error("%s", err->msg);
out:
	shp_findings_free(&f);
	shp_buf_free(&extra);
	shp_image_pkgs_free(&ip);
	shp_config_free(&o.cfg);
	return rc;
}
