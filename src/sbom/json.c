/* json.c - the packages in shipshape's own JSON, every field of each. */
#include "sbom/internal.h"
#include "util/cleanup.h"

#include <stdio.h>
#include <string.h>

void shp_sbom_json(struct shp_buf *b, const struct shp_image *img, const struct shp_image_pkgs *ip)
{
	shp_buf_printf(b, "{\"version\":\"%s\",\"command\":\"sbom\",\"image\":{\"input\":", SHIPSHAPE_VERSION);
	shp_buf_json_str(b, img->input);
	shp_buf_puts(b, ",\"kind\":");
	shp_buf_json_str(b, img->kind_name);
	shp_buf_puts(b, "},\"os\":");
	if (ip->os.id) {
		const char *f[][2] = {{"id", ip->os.id},
				      {"version_id", ip->os.version_id},
				      {"codename", ip->os.codename},
				      {"pretty_name", ip->os.pretty},
				      {"source", ip->os.source}};
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
		const char *f[][2] = {{"type", shp_pkg_type_name(p->type)},
				      {"name", p->name},
				      {"version", p->version},
				      {"source", p->source},
				      {"source_version", p->source_version},
				      {"arch", p->arch},
				      {"license", p->license},
				      {"purl", purl},
				      {"database", p->db},
				      {"owner", p->owner}};
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
