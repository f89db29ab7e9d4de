/* internal.h - what the SBOM writers (cyclonedx.c, spdx.c, json.c, text.c) share. */
#pragma once
#include "sbom/sbom.h"

/* A name-based UUID (version 5 layout over SHA-256) of the document's subject and packages,
 * so the same image gives the same serial number. */
void shp_sbom_uuid(const struct shp_image *img, const struct shp_image_pkgs *ip, char out[40]);
/* The name the image was given by (its reference, else the input as written). */
const char *shp_sbom_subject(const struct shp_image *img);
/* The OS package language package p came with (p->owner), or NULL (none, or not listed). */
const struct shp_pkg *shp_sbom_owner(const struct shp_image_pkgs *ip, const struct shp_pkg *p);
