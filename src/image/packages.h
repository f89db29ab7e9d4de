/* packages.h - an image's installed packages and OS, through the union view. */
#pragma once
#include "image/image.h"
#include "image/union.h"
#include "pkg/pkg.h"

struct shp_image_pkgs {
	struct shp_pkgs pkgs; /* sorted; strings in pkgs.arena (the OS's too) */
	struct shp_os os;     /* id NULL when no release file says */
	size_t ndbs;	      /* visible package databases read */
	size_t nmanifests;    /* visible language package manifests read (package.json, METADATA) */
	size_t nprograms;     /* visible programs whose build information lists packages (Go) */
	size_t narchives;     /* visible Java archives read */
};

/* Fills out from the databases the layers' scans read. A database that could not be read
 * (malformed, too large) is an error (exit 3) if it is visible, or with all_layers. */
int shp_image_packages(const struct shp_image *img, const struct shp_union *u, int all_layers,
		       struct shp_image_pkgs *out, struct shp_error **err);
void shp_image_pkgs_free(struct shp_image_pkgs *p);
