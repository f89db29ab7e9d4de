/* common.c - what the SBOM writers share: the document's subject, its serial number, and the
 * OS package a language package came with. */
#include "sbom/internal.h"
#include "util/digest.h"

#include <stdio.h>
#include <string.h>

void shp_sbom_uuid(const struct shp_image *img, const struct shp_image_pkgs *ip, char out[40])
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

const char *shp_sbom_subject(const struct shp_image *img) { return img->ref ? img->ref : img->input; }

const struct shp_pkg *shp_sbom_owner(const struct shp_image_pkgs *ip, const struct shp_pkg *p)
{
	if (!p->owner || !SHP_PKG_IS_LANG(p->type))
		return NULL;
	for (size_t i = 0; i < ip->pkgs.n; i++) {
		const struct shp_pkg *o = &ip->pkgs.v[i];
		if (!SHP_PKG_IS_LANG(o->type) && !strcmp(o->name, p->owner))
			return o;
	}
	return NULL;
}
