/* sbom.h - the SBOM writers: an image's packages (image/packages.h) as a CycloneDX 1.5 or
 * SPDX 2.3 JSON document, shipshape's own JSON, or a table. Each appends the whole document
 * to b. Reading SBOMs others wrote, for `vuln`, is pkg/sbom.h. */
#pragma once
#include "image/image.h"
#include "image/packages.h"
#include "util/buf.h"

void shp_sbom_cyclonedx(struct shp_buf *b, const struct shp_image *img, const struct shp_image_pkgs *ip);
void shp_sbom_spdx(struct shp_buf *b, const struct shp_image *img, const struct shp_image_pkgs *ip);
void shp_sbom_json(struct shp_buf *b, const struct shp_image *img, const struct shp_image_pkgs *ip);
void shp_sbom_text(struct shp_buf *b, const struct shp_image *img, const struct shp_image_pkgs *ip);
