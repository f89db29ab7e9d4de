/* cmd-sbom.c - `shipshape sbom IMAGE|DIR`: the installed packages (dpkg, apk, rpm; npm,
 * Python, Maven artifacts in Java archives, the modules Go programs were built from) as a
 * CycloneDX 1.5 or SPDX 2.3 JSON document, or a table. The packages come from the image
 * engine's single pass over the layers; --all-layers adds those a later layer removed. */
#include "cli/cli.h"
#include "image/image.h"
#include "image/packages.h"
#include "image/union.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum sbom_format { F_CYCLONEDX, F_SPDX, F_JSON, F_TEXT };

static void usage(FILE *f)
{
	fputs("usage: shipshape sbom [options] IMAGE|DIR\n\n"
	      "Lists the packages installed in an image or root filesystem as an SBOM: the OS's (dpkg, apk,\n"
	      "rpm) and the languages' (npm, Python, Java archives' Maven artifacts, and the modules Go\n"
	      "programs were built from).\n\n"
	      "options:\n"
	      "  -f, --format FMT     cyclonedx (default, CycloneDX 1.5 JSON), spdx (SPDX 2.3 JSON),\n"
	      "                       json (shipshape's own) or text\n"
	      "  -o, --output FILE    write it to FILE\n"
	      "      --all-layers     also packages that a later layer removed (they still ship)\n"
	      SHP_IMAGE_HELP
	      "  -j, --jobs N         layers read in parallel (default: the number of cores)\n",
	      f);
}

/* A name-based UUID (version 5 layout over SHA-256) of the document's subject and packages,
 * so the same image gives the same serial number. */
static void doc_uuid(const struct shp_image *img, const struct shp_image_pkgs *ip, char out[40])
{
	struct shp_sha256 h;
	shp_sha256_init(&h);
	const char *subject = img->config_digest ? img->config_digest : img->input;
	shp_sha256_update(&h, subject, strlen(subject));
	for (size_t i = 0; i < ip->pkgs.n; i++) {
		shp_sha256_update(&h, ip->pkgs.v[i].name, strlen(ip->pkgs.v[i].name) + 1);
		shp_sha256_update(&h, ip->pkgs.v[i].version, strlen(ip->pkgs.v[i].version) + 1);
	}
	char hex[72];
	shp_sha256_final(&h, hex);
	const char *x = hex + 7; /* after "sha256:" */
	snprintf(out, 40, "%.8s-%.4s-5%.3s-%c%.3s-%.12s", x, x + 8, x + 13,
		 "89ab"[(x[16] >= 'a' ? x[16] - 'a' + 10 : x[16] - '0') & 3], x + 17, x + 20);
}

static const char *subject_name(const struct shp_image *img) { return img->ref ? img->ref : img->input; }

static void prop(struct shp_buf *b, int *first, const char *name, const char *value)
{
	if (!value)
		return;
	shp_buf_puts(b, *first ? "{\"name\":" : ",{\"name\":");
	shp_buf_json_str(b, name);
	shp_buf_puts(b, ",\"value\":");
	shp_buf_json_str(b, value);
	shp_buf_putc(b, '}');
	*first = 0;
}

static void cyclonedx(struct shp_buf *b, const struct shp_image *img, const struct shp_image_pkgs *ip)
{
	char ts[32], uuid[40];
	shp_timestamp_now(ts);
	doc_uuid(img, ip, uuid);
	shp_buf_printf(b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"serialNumber\":\"urn:uuid:%s\","
			  "\"version\":1,\"metadata\":{\"timestamp\":\"%s\",\"tools\":{\"components\":[{\"type\":"
			  "\"application\",\"name\":\"shipshape\",\"version\":\"%s\"}]},\"component\":{\"bom-ref\":"
			  "\"subject\",\"type\":\"container\",\"name\":",
		       uuid, ts, SHIPSHAPE_VERSION);
	shp_buf_json_str(b, subject_name(img));
	if (img->config_digest) {
		shp_buf_puts(b, ",\"version\":");
		shp_buf_json_str(b, img->config_digest);
	}
	shp_buf_puts(b, "}},\"components\":[");
	int first = 1;
	if (ip->os.id) {
		shp_buf_puts(b, "{\"bom-ref\":\"os\",\"type\":\"operating-system\",\"name\":");
		shp_buf_json_str(b, ip->os.id);
		if (ip->os.version_id) {
			shp_buf_puts(b, ",\"version\":");
			shp_buf_json_str(b, ip->os.version_id);
		}
		if (ip->os.pretty) {
			shp_buf_puts(b, ",\"description\":");
			shp_buf_json_str(b, ip->os.pretty);
		}
		shp_buf_putc(b, '}');
		first = 0;
	}
	for (size_t i = 0; i < ip->pkgs.n; i++) {
		const struct shp_pkg *p = &ip->pkgs.v[i];
		_cleanup_free_ char *purl = shp_pkg_purl(p, &ip->os);
		shp_buf_puts(b, first ? "{\"bom-ref\":" : ",{\"bom-ref\":");
		first = 0;
		shp_buf_json_str(b, purl);
		shp_buf_puts(b, ",\"type\":\"library\",\"name\":");
		shp_buf_json_str(b, p->name);
		shp_buf_puts(b, ",\"version\":");
		shp_buf_json_str(b, p->version);
		if (p->license) {
			shp_buf_puts(b, ",\"licenses\":[{\"license\":{\"name\":");
			shp_buf_json_str(b, p->license);
			shp_buf_puts(b, "}}]");
		}
		shp_buf_puts(b, ",\"purl\":");
		shp_buf_json_str(b, purl);
		shp_buf_puts(b, ",\"properties\":[");
		int pf = 1;
		char layer[16];
		snprintf(layer, sizeof layer, "%d", p->layer);
		prop(b, &pf, "shipshape:package:type", shp_pkg_type_name(p->type));
		prop(b, &pf, "shipshape:package:source", p->source);
		prop(b, &pf, "shipshape:package:source_version", p->source_version);
		prop(b, &pf, "shipshape:package:database", p->db);
		if (p->layer)
			prop(b, &pf, "shipshape:layer", layer);
		if (p->hidden)
			prop(b, &pf, "shipshape:removed_in_later_layer", "true");
		shp_buf_puts(b, "]}");
	}
	shp_buf_puts(b, "],\"dependencies\":[{\"ref\":\"subject\",\"dependsOn\":[");
	first = 1;
	if (ip->os.id) {
		shp_buf_puts(b, "\"os\"");
		first = 0;
	}
	for (size_t i = 0; i < ip->pkgs.n; i++) {
		_cleanup_free_ char *purl = shp_pkg_purl(&ip->pkgs.v[i], &ip->os);
		if (!first)
			shp_buf_putc(b, ',');
		first = 0;
		shp_buf_json_str(b, purl);
	}
	shp_buf_puts(b, "]}]}\n");
}

static void spdx(struct shp_buf *b, const struct shp_image *img, const struct shp_image_pkgs *ip)
{
	char ts[32], uuid[40];
	shp_timestamp_now(ts);
	doc_uuid(img, ip, uuid);
	shp_buf_puts(b, "{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":");
	shp_buf_json_str(b, subject_name(img));
	shp_buf_printf(b, ",\"documentNamespace\":\"https://shipshape.invalid/spdx/%s\",\"creationInfo\":{\"created\":"
			  "\"%s\",\"creators\":[\"Tool: shipshape-%s\"]},\"packages\":[{\"SPDXID\":\"SPDXRef-Subject\","
			  "\"name\":",
		       uuid, ts, SHIPSHAPE_VERSION);
	shp_buf_json_str(b, subject_name(img));
	if (img->config_digest) {
		shp_buf_puts(b, ",\"versionInfo\":");
		shp_buf_json_str(b, img->config_digest);
	}
	shp_buf_puts(b, ",\"downloadLocation\":\"NOASSERTION\",\"filesAnalyzed\":false,\"primaryPackagePurpose\":"
			"\"CONTAINER\"}");
	if (ip->os.id) {
		shp_buf_puts(b, ",{\"SPDXID\":\"SPDXRef-OS\",\"name\":");
		shp_buf_json_str(b, ip->os.id);
		if (ip->os.version_id) {
			shp_buf_puts(b, ",\"versionInfo\":");
			shp_buf_json_str(b, ip->os.version_id);
		}
		shp_buf_puts(b, ",\"downloadLocation\":\"NOASSERTION\",\"filesAnalyzed\":false,\"primaryPackagePurpose\":"
				"\"OPERATING-SYSTEM\"}");
	}
	for (size_t i = 0; i < ip->pkgs.n; i++) {
		const struct shp_pkg *p = &ip->pkgs.v[i];
		_cleanup_free_ char *purl = shp_pkg_purl(p, &ip->os);
		shp_buf_printf(b, ",{\"SPDXID\":\"SPDXRef-Package-%zu\",\"name\":", i + 1);
		shp_buf_json_str(b, p->name);
		shp_buf_puts(b, ",\"versionInfo\":");
		shp_buf_json_str(b, p->version);
		shp_buf_puts(b, ",\"downloadLocation\":\"NOASSERTION\",\"filesAnalyzed\":false,"
				"\"licenseConcluded\":\"NOASSERTION\",\"licenseDeclared\":\"NOASSERTION\"");
		if (p->license) {
			/* the database's own words, which need not be an SPDX expression */
			shp_buf_puts(b, ",\"licenseComments\":");
			_cleanup_free_ char *c = shp_asprintf("%s says: %s", shp_pkg_type_name(p->type), p->license);
			shp_buf_json_str(b, c);
		}
		if (p->source && strcmp(p->source, p->name)) {
			shp_buf_puts(b, ",\"sourceInfo\":");
			_cleanup_free_ char *c = shp_asprintf("built from source package %s %s", p->source, p->source_version);
			shp_buf_json_str(b, c);
		}
		shp_buf_puts(b, ",\"primaryPackagePurpose\":\"LIBRARY\",\"externalRefs\":[{\"referenceCategory\":"
				"\"PACKAGE-MANAGER\",\"referenceType\":\"purl\",\"referenceLocator\":");
		shp_buf_json_str(b, purl);
		shp_buf_puts(b, "}]}");
	}
	shp_buf_puts(b, "],\"relationships\":[{\"spdxElementId\":\"SPDXRef-DOCUMENT\",\"relationshipType\":"
			"\"DESCRIBES\",\"relatedSpdxElement\":\"SPDXRef-Subject\"}");
	if (ip->os.id)
		shp_buf_puts(b, ",{\"spdxElementId\":\"SPDXRef-Subject\",\"relationshipType\":\"CONTAINS\","
				"\"relatedSpdxElement\":\"SPDXRef-OS\"}");
	for (size_t i = 0; i < ip->pkgs.n; i++)
		shp_buf_printf(b, ",{\"spdxElementId\":\"SPDXRef-Subject\",\"relationshipType\":\"CONTAINS\","
				  "\"relatedSpdxElement\":\"SPDXRef-Package-%zu\"}",
			       i + 1);
	shp_buf_puts(b, "]}\n");
}

/* shipshape's own JSON: the image, the OS and the packages with every field. */
static void own_json(struct shp_buf *b, const struct shp_image *img, const struct shp_image_pkgs *ip)
{
	shp_buf_printf(b, "{\"version\":\"%s\",\"command\":\"sbom\",\"image\":{\"input\":", SHIPSHAPE_VERSION);
	shp_buf_json_str(b, img->input);
	shp_buf_puts(b, ",\"kind\":");
	shp_buf_json_str(b, img->kind_name);
	shp_buf_puts(b, "},\"os\":");
	if (ip->os.id) {
		const char *f[][2] = {{"id", ip->os.id}, {"version_id", ip->os.version_id}, {"codename", ip->os.codename},
				      {"pretty_name", ip->os.pretty}, {"source", ip->os.source}};
		for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
			shp_buf_printf(b, "%c\"%s\":", i ? ',' : '{', f[i][0]);
			if (f[i][1])
				shp_buf_json_str(b, f[i][1]);
			else
				shp_buf_puts(b, "null");
		}
		shp_buf_putc(b, '}');
	} else
		shp_buf_puts(b, "null");
	shp_buf_puts(b, ",\"packages\":[");
	for (size_t i = 0; i < ip->pkgs.n; i++) {
		const struct shp_pkg *p = &ip->pkgs.v[i];
		_cleanup_free_ char *purl = shp_pkg_purl(p, &ip->os);
		const char *f[][2] = {{"type", shp_pkg_type_name(p->type)}, {"name", p->name}, {"version", p->version},
				      {"source", p->source}, {"source_version", p->source_version}, {"arch", p->arch},
				      {"license", p->license}, {"purl", purl}, {"database", p->db}};
		for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
			shp_buf_printf(b, "%s\"%s\":", k ? "," : i ? ",{" : "{", f[k][0]);
			if (f[k][1])
				shp_buf_json_str(b, f[k][1]);
			else
				shp_buf_puts(b, "null");
		}
		shp_buf_printf(b, ",\"layer\":%d,\"removed\":%s}", p->layer, p->hidden ? "true" : "false");
	}
	shp_buf_printf(b,
		       "],\"summary\":{\"packages\":%zu,\"databases\":%zu,\"manifests\":%zu,\"programs\":%zu,"
		       "\"archives\":%zu}}\n",
		       ip->pkgs.n, ip->ndbs, ip->nmanifests, ip->nprograms, ip->narchives);
}

static void text(struct shp_buf *b, const struct shp_image *img, const struct shp_image_pkgs *ip)
{
	/* names and versions come from the image: escaped */
	const char *os = ip->os.pretty ? ip->os.pretty : ip->os.id;
	shp_buf_term_printf(b, "%s  %s, %s", img->input, img->kind_name, os ? os : "OS unknown");
	shp_buf_putc(b, '\n');
	/* columns as wide as their longest value (Go module paths run long), within reason */
	int wn = 7, wv = 7;
	for (size_t i = 0; i < ip->pkgs.n; i++) {
		int n = (int)strlen(ip->pkgs.v[i].name), v = (int)strlen(ip->pkgs.v[i].version);
		wn = n > wn ? (n < 60 ? n : 60) : wn;
		wv = v > wv ? (v < 48 ? v : 48) : wv;
	}
	shp_buf_printf(b, "  %-*s %-*s %-6s %-8s %s\n", wn, "package", wv, "version", "type", "layer", "source");
	for (size_t i = 0; i < ip->pkgs.n; i++) {
		const struct shp_pkg *p = &ip->pkgs.v[i];
		char layer[24];
		if (p->layer)
			snprintf(layer, sizeof layer, "%d%s", p->layer, p->hidden ? " (gone)" : "");
		else
			snprintf(layer, sizeof layer, "-");
		shp_buf_term_printf(b, "  %-*s %-*s %-6s %-8s %s", wn, p->name, wv, p->version,
				    shp_pkg_type_name(p->type), layer, strcmp(p->source, p->name) ? p->source : "");
		shp_buf_putc(b, '\n');
	}
	/* "from 1 database, 4 package manifests and 2 Go programs" */
	const struct {
		size_t n;
		const char *what;
	} from[] = {{ip->ndbs, "database"},
		    {ip->nmanifests, "package manifest"},
		    {ip->nprograms, "Go program"},
		    {ip->narchives, "Java archive"}};
	size_t parts = 0, left = 0, nfrom = sizeof from / sizeof from[0];
	for (size_t i = 0; i < nfrom; i++)
		left += i == 0 || from[i].n;
	shp_buf_printf(b, "%zu package%s from", ip->pkgs.n, ip->pkgs.n == 1 ? "" : "s");
	for (size_t i = 0; i < nfrom; i++) {
		if (i && !from[i].n)
			continue;
		parts++;
		shp_buf_printf(b, "%s %zu %s%s", parts == 1 ? "" : parts == left ? " and" : ",", from[i].n, from[i].what,
			       from[i].n == 1 ? "" : "s");
	}
	shp_buf_putc(b, '\n');
}

int shp_cmd_sbom(int argc, char **argv)
{
	enum { OPT_ALL = 2001 };
	static const struct option longopts[] = {{"format", required_argument, 0, 'f'},
						 {"output", required_argument, 0, 'o'},
						 {"all-layers", no_argument, 0, OPT_ALL},
						 SHP_IMAGE_LONGOPTS,
						 {"jobs", required_argument, 0, 'j'},
						 {"help", no_argument, 0, 'h'},
						 {0, 0, 0, 0}};
	struct shp_cli_opts o = {0};
	struct shp_image_opts io = {.packages_only = 1};
	enum sbom_format fmt = F_CYCLONEDX;
	int all_layers = 0, c;
	optind = 0; /* afresh; options may follow the operands */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:o:j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return SHP_EXIT_OK;
		case 'o':
			shp_cli_common_opt(&o, c, optarg);
			break;
		case OPT_ALL: all_layers = 1; break;
		case 'f':
			if (!strcmp(optarg, "cyclonedx") || !strcmp(optarg, "cdx"))
				fmt = F_CYCLONEDX;
			else if (!strcmp(optarg, "spdx"))
				fmt = F_SPDX;
			else if (!strcmp(optarg, "json"))
				fmt = F_JSON;
			else if (!strcmp(optarg, "text"))
				fmt = F_TEXT;
			else {
				shp_cli_error("sbom: --format \"%s\": expected cyclonedx, spdx, json or text", optarg);
				return SHP_EXIT_USAGE;
			}
			break;
		default:
			if (shp_cli_image_opt_or_usage(&io, "sbom", c, optarg, argv[optind - 1]) < 0)
				return SHP_EXIT_USAGE;
			break;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return SHP_EXIT_USAGE;
	}
	shp_cli_image_input(&o, argv[optind]);
	if (shp_cli_check_output(&o) < 0) {
		shp_cli_opts_free(&o);
		return SHP_EXIT_INPUT;
	}
	_cleanup_error_ struct shp_error *err = NULL;
	_cleanup_image_ struct shp_image *img = NULL;
	if (shp_image_open(argv[optind], &io, &img, &err) < 0 || shp_image_scan(img, &io, &err) < 0) {
		shp_cli_error("%s", err->msg);
		shp_cli_opts_free(&o);
		return shp_cli_image_exit(err);
	}
	struct shp_union u;
	shp_union_build(&u, img);
	struct shp_image_pkgs ip = {0};
	int rc = shp_image_packages(img, &u, all_layers, &ip, &err);
	shp_union_free(&u);
	if (rc < 0) {
		shp_cli_error("%s", err->msg);
		shp_image_pkgs_free(&ip);
		shp_cli_opts_free(&o);
		return SHP_EXIT_INPUT;
	}
	if (!ip.ndbs && !ip.nmanifests && !ip.nprograms && !ip.narchives)
		shp_cli_error("%s: no package database found (dpkg, apk, rpm, npm, Python, Go, Java): the SBOM lists no "
			      "packages",
			      img->input);
	struct shp_buf doc = {0};
	switch (fmt) {
	case F_CYCLONEDX: cyclonedx(&doc, img, &ip); break;
	case F_SPDX: spdx(&doc, img, &ip); break;
	case F_JSON: own_json(&doc, img, &ip); break;
	case F_TEXT: text(&doc, img, &ip); break;
	}
	shp_image_pkgs_free(&ip);
	return shp_cli_write(&o, &doc, 0);
}
