/* cyclonedx.c - the packages as a CycloneDX 1.5 JSON document: the image as the subject
 * component, the OS and each package (its purl as bom-ref) depending from it; a language
 * package that came with an OS package names it (property shipshape:package:owner) and is
 * among its dependencies. */
#include "sbom/internal.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

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

void shp_sbom_cyclonedx(struct shp_buf *b, const struct shp_image *img, const struct shp_image_pkgs *ip)
{
	char ts[32], uuid[40];
	shp_timestamp_now(ts);
	shp_sbom_uuid(img, ip, uuid);
	shp_buf_printf(b,
		       "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"serialNumber\":\"urn:uuid:%s\","
		       "\"version\":1,\"metadata\":{\"timestamp\":\"%s\",\"tools\":{\"components\":[{\"type\":"
		       "\"application\",\"name\":\"shipshape\",\"version\":\"%s\"}]},\"component\":{\"bom-ref\":"
		       "\"subject\",\"type\":\"container\",\"name\":",
		       uuid, ts, SHIPSHAPE_VERSION);
	shp_buf_json_str(b, shp_sbom_subject(img));
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
		prop(b, &pf, "shipshape:package:owner", p->owner);
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
	shp_buf_puts(b, "]}");
	/* an OS package depends on the language packages that came with it: one entry per OS
	 * package, listing them all */
	_cleanup_free_ size_t *owner = shp_xcalloc(ip->pkgs.n + 1, sizeof *owner); /* 1-based, 0: none */
	for (size_t k = 0; k < ip->pkgs.n; k++) {
		const struct shp_pkg *o = shp_sbom_owner(ip, &ip->pkgs.v[k]);
		owner[k] = o ? (size_t)(o - ip->pkgs.v) + 1 : 0;
	}
	for (size_t i = 0; i < ip->pkgs.n; i++) {
		first = 1;
		for (size_t k = 0; k < ip->pkgs.n; k++) {
			if (owner[k] != i + 1)
				continue;
			if (first) {
				_cleanup_free_ char *opurl = shp_pkg_purl(&ip->pkgs.v[i], &ip->os);
				shp_buf_puts(b, ",{\"ref\":");
				shp_buf_json_str(b, opurl);
				shp_buf_puts(b, ",\"dependsOn\":[");
			}
			_cleanup_free_ char *purl = shp_pkg_purl(&ip->pkgs.v[k], &ip->os);
			if (!first)
				shp_buf_putc(b, ',');
			first = 0;
			shp_buf_json_str(b, purl);
		}
		if (!first)
			shp_buf_puts(b, "]}");
	}
	shp_buf_puts(b, "]}\n");
}
