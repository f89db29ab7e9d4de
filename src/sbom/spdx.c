/* spdx.c - the packages as an SPDX 2.3 JSON document: the image as the described package,
 * which CONTAINS the OS and each package (with its purl as an external reference); an OS
 * package CONTAINS the language packages that came with it. */
#include "sbom/internal.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

void shp_sbom_spdx(struct shp_buf *b, const struct shp_image *img, const struct shp_image_pkgs *ip)
{
	char ts[32], uuid[40];
	shp_timestamp_now(ts);
	shp_sbom_uuid(img, ip, uuid);
	shp_buf_puts(
		b,
		"{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":");
	shp_buf_json_str(b, shp_sbom_subject(img));
	shp_buf_printf(b,
		       ",\"documentNamespace\":\"https://shipshape.invalid/spdx/%s\",\"creationInfo\":{\"created\":"
		       "\"%s\",\"creators\":[\"Tool: shipshape-%s\"]},\"packages\":[{\"SPDXID\":\"SPDXRef-Subject\","
		       "\"name\":",
		       uuid, ts, SHIPSHAPE_VERSION);
	shp_buf_json_str(b, shp_sbom_subject(img));
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
		shp_buf_puts(b,
			     ",\"downloadLocation\":\"NOASSERTION\",\"filesAnalyzed\":false,\"primaryPackagePurpose\":"
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
			_cleanup_free_ char *c =
				shp_asprintf("built from source package %s %s", p->source, p->source_version);
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
		shp_buf_printf(b,
			       ",{\"spdxElementId\":\"SPDXRef-Subject\",\"relationshipType\":\"CONTAINS\","
			       "\"relatedSpdxElement\":\"SPDXRef-Package-%zu\"}",
			       i + 1);
	for (size_t i = 0; i < ip->pkgs.n; i++) {
		const struct shp_pkg *o = shp_sbom_owner(ip, &ip->pkgs.v[i]);
		if (o)
			shp_buf_printf(b,
				       ",{\"spdxElementId\":\"SPDXRef-Package-%zu\",\"relationshipType\":\"CONTAINS\","
				       "\"relatedSpdxElement\":\"SPDXRef-Package-%zu\"}",
				       (size_t)(o - ip->pkgs.v) + 1, i + 1);
	}
	shp_buf_puts(b, "]}\n");
}
