/* text.c - the packages as a table for a terminal, and where they were found. */
#include "sbom/internal.h"

#include <stdio.h>
#include <string.h>

void shp_sbom_text(struct shp_buf *b, const struct shp_image *img, const struct shp_image_pkgs *ip)
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
		/* a language package that came with an OS package names it there */
		const char *src = strcmp(p->source, p->name) ? p->source : "";
		shp_buf_term_printf(b, "  %-*s %-*s %-6s %-8s %s%s%s", wn, p->name, wv, p->version,
				    shp_pkg_type_name(p->type), layer, src, p->owner ? (*src ? " from " : "from ") : "",
				    p->owner ? p->owner : "");
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
		shp_buf_printf(b, "%s %zu %s%s",
			       parts == 1      ? ""
			       : parts == left ? " and"
					       : ",",
			       from[i].n, from[i].what, from[i].n == 1 ? "" : "s");
	}
	shp_buf_putc(b, '\n');
}
