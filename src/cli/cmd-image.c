/* cmd-image.c - `shipshape image`: docker-save tarballs, OCI layouts (directory or tar) and
 * root filesystem directories; the layers are streamed once, the union view built, and the
 * image rules run. Text adds an image summary (and --layers a per-layer table, --files each
 * layer's paths, --waste dive's inefficient paths); JSON adds "image", "efficiency" and
 * "waste" members. */
#include "cli/cli.h"
#include "image/image.h"
#include "image/packages.h"
#include "image/union.h"
#include "rules/image.h"
#include "util/cleanup.h"
#include "util/size.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: shipshape image [options] IMAGE...\n\n"
	      "Analyzes images without a container engine: the user it runs as, secrets in any layer\n"
	      "(also files a later layer deleted), setuid files, shells and package managers, caches,\n"
	      "wasted bytes (dive's efficiency). IMAGE is a docker-save tar, an OCI layout (directory\n"
	      "or tar) or a root filesystem directory; the kind is told by content. Or a reference as\n"
	      "skopeo writes it: docker-archive:FILE[:REF], oci:DIR[:REF], oci-archive:FILE[:REF], and\n"
	      "rootfs:DIR for a root filesystem. A path that exists is that path, ':' or not (./a:b.tar);\n"
	      "after a transport the path ends at the first ':'. docker://[HOST/]NAME[:TAG|@DIGEST] (or a\n"
	      "bare NAME:TAG that is no file) reads a registry; docker-daemon:NAME an engine's API\n"
	      "(DOCKER_HOST, --engine-socket); containers-storage:[DRIVER@ROOT]NAME podman's and\n"
	      "buildah's image store on disk (no service needed); dir:DIR skopeo's directory format.\n"
	      "\noptions:\n" SHP_IMAGE_HELP "      --layers         print a table of the layers (text format)\n"
	      "      --files          with the table, each layer's added, changed and removed paths (also\n"
	      "                       in JSON: image.layers[].files)\n"
	      "      --layer N        only layer N's paths (implies --layers --files)\n"
	      "      --waste          list the paths more than one layer stores, the costliest first: the\n"
	      "                       wasted bytes as dive counts them, with the layers and commands that\n"
	      "                       stored each copy (JSON has them always: \"waste\")\n"
	      "      --max-layer-bytes N  decompressed bytes allowed per layer (default 32G; K, M, G)\n"
	      "  -j, --jobs N         layers read (and, with --vuln, packages matched) in parallel\n"
	      "                       (default: the number of cores)\n"
	      "      --vuln           also match the installed packages against the vulnerability database\n"
	      "      --db FILE        that database (implies --vuln; default ~/.cache/shipshape/vuln.db)\n"
	      "      --db-repository docker://REF  pull that database from a registry first when it has\n"
	      "                       newer data (implies --vuln; shipshape db push put it there)\n"
	      "      --ignore-unfixed with --vuln: only vulnerabilities with a fixed version\n" SHP_VULN_HELP
		      SHP_COMMON_HELP,
	      f);
}

static void json_opt_str(struct shp_buf *b, const char *key, const char *v)
{
	shp_buf_printf(b, ",\"%s\":", key);
	if (v)
		shp_buf_json_str(b, v);
	else
		shp_buf_puts(b, "null");
}

/* What the text and JSON show besides the summary. */
struct image_show {
	int layers; /* --layers: the table */
	int files;  /* --files: each layer's paths */
	int layer;  /* --layer N: only that layer's (1-based), else 0 */
	int waste;  /* --waste: the inefficient paths in text */
};

static const char *const change_names[] = {"added", "changed", "removed"};

/* "files":{"added":[...],"changed":[...],"removed":[...]} of layer L */
static void files_json(struct shp_buf *b, const struct shp_union *u, int L)
{
	_cleanup_free_ struct shp_layer_change *v = NULL;
	size_t n = shp_union_layer_changes(u, L, &v);
	char buf[SHP_IMG_MAX_PATH + 2];
	shp_buf_puts(b, ",\"files\":{");
	for (int how = 0; how < 3; how++) {
		shp_buf_printf(b, "%s\"%s\":[", how ? "," : "", change_names[how]);
		int first = 1;
		for (size_t i = 0; i < n; i++)
			if (v[i].how == how) {
				if (!first)
					shp_buf_putc(b, ',');
				first = 0;
				shp_buf_json_str(b, shp_union_path(u, v[i].node, buf, sizeof buf));
			}
		shp_buf_putc(b, ']');
	}
	shp_buf_putc(b, '}');
}

/* Also adds to *unscanned the files a limit kept from being read whole ("unscanned"). */
static void describe_json(struct shp_buf *b, const struct shp_image *img, const struct shp_union *u,
			  const struct image_show *show, size_t *unscanned)
{
	shp_buf_puts(b, "{\"input\":");
	shp_buf_json_str(b, img->input);
	json_opt_str(b, "kind", img->kind_name);
	json_opt_str(b, "ref", img->ref);
	json_opt_str(b, "platform", img->platform);
	json_opt_str(b, "manifest_digest", img->manifest_digest);
	json_opt_str(b, "config_digest", img->config_digest);
	json_opt_str(b, "user", img->config ? shp_image_user(img) : NULL);
	shp_buf_puts(b, ",\"layers\":[");
	for (size_t i = 0; i < img->nlayers; i++) {
		const struct shp_layer *l = &img->layers[i];
		const struct shp_layer_scan *s = &img->scans[l->scan];
		const struct shp_layer_stats *st = &u->layers[i];
		shp_buf_printf(b, "%s{\"index\":%zu", i ? "," : "", i + 1);
		json_opt_str(b, "digest", img->kind == SHP_IMG_ROOTFS ? NULL : s->sums.blob_digest);
		const char *diff_id = s->sums.diff_id[0] ? s->sums.diff_id : l->diff_id; /* not hashed: the config's */
		json_opt_str(b, "diff_id", img->kind == SHP_IMG_ROOTFS ? NULL : diff_id);
		json_opt_str(b, "compression", s->sums.compression);
		shp_buf_printf(b,
			       ",\"size_bytes\":%llu,\"blob_bytes\":%llu,\"tar_bytes\":%llu,\"entries\":%zu,"
			       "\"added\":%zu,\"changed\":%zu,\"removed\":%zu",
			       (unsigned long long)st->size, (unsigned long long)s->sums.blob_bytes,
			       (unsigned long long)s->sums.tar_bytes, s->nentries, st->added, st->changed, st->removed);
		json_opt_str(b, "created_by", l->history >= 0 ? img->history[l->history].created_by : NULL);
		shp_buf_printf(b, ",\"cached\":%s", s->cached ? "true" : "false");
		if (show->files && (!show->layer || (size_t)show->layer == i + 1))
			files_json(b, u, (int)i);
		shp_buf_putc(b, '}');
	}
	shp_buf_puts(b, "],\"unscanned\":");
	*unscanned += shp_cli_unscanned_json(b, img);
	shp_buf_putc(b, '}');
}

static void efficiency_json(struct shp_buf *b, const struct shp_efficiency *f)
{
	shp_buf_printf(b,
		       "{\"score\":%.17g,\"size_bytes\":%llu,\"user_size_bytes\":%llu,\"wasted_bytes\":%llu,"
		       "\"wasted_user_percent\":%.17g,\"reclaimable_bytes\":%llu}",
		       f->score, (unsigned long long)f->size_bytes, (unsigned long long)f->user_size_bytes,
		       (unsigned long long)f->wasted_bytes, f->wasted_user_percent,
		       (unsigned long long)f->reclaimable_bytes);
}

static const char *created_by(const struct shp_image *img, int L)
{
	int h = img->layers[L].history;
	return h >= 0 ? img->history[h].created_by : NULL;
}

/* "waste":{"wasted_bytes":..,"reclaimable_bytes":..,"paths":[{path, count, size_bytes,
 * reclaimable_bytes, copies:[{layer, size_bytes, whiteout, created_by}]}]}: every
 * inefficient path, so that the sizes add up to dive's wasted bytes */
static void waste_json(struct shp_buf *b, const struct shp_image *img, const struct shp_union *u,
		       const struct shp_waste *w, size_t n)
{
	shp_buf_printf(b, "{\"wasted_bytes\":%llu,\"reclaimable_bytes\":%llu,\"paths\":[",
		       (unsigned long long)u->eff.wasted_bytes, (unsigned long long)u->eff.reclaimable_bytes);
	for (size_t i = 0; i < n; i++) {
		shp_buf_puts(b, i ? ",{\"path\":" : "{\"path\":");
		shp_buf_json_str(b, w[i].path);
		shp_buf_printf(b, ",\"count\":%u,\"size_bytes\":%llu,\"reclaimable_bytes\":%llu,\"copies\":[",
			       w[i].count, (unsigned long long)w[i].size, (unsigned long long)w[i].reclaimable);
		for (uint32_t k = 0; k < w[i].count; k++) {
			const struct shp_ucopy *c = &w[i].copies[k];
			shp_buf_printf(b, "%s{\"layer\":%d,\"size_bytes\":%llu,\"whiteout\":%s", k ? "," : "",
				       c->layer + 1, (unsigned long long)c->size, c->whiteout ? "true" : "false");
			json_opt_str(b, "created_by", created_by(img, c->layer));
			shp_buf_putc(b, '}');
		}
		shp_buf_puts(b, "]}");
	}
	shp_buf_puts(b, "]}");
}

/* The text list shows this many paths; the JSON report all of them. */
#define WASTE_TEXT_MAX 20

static void waste_text(struct shp_buf *b, const struct shp_image *img, const struct shp_union *u,
		       const struct shp_waste *w, size_t n)
{
	char total[32], recl[32];
	shp_size_human(total, sizeof total, u->eff.wasted_bytes);
	shp_size_human(recl, sizeof recl, u->eff.reclaimable_bytes);
	if (!n) {
		shp_buf_puts(b, "\n  no path is stored by more than one layer: nothing wasted\n");
		return;
	}
	shp_buf_printf(b,
		       "\n  wasted, as dive counts it: %s in %zu path%s stored by more than one layer (every "
		       "copy counts; %s reclaimable)\n  %10s %6s  %s\n",
		       total, n, n == 1 ? "" : "s", recl, "size", "copies", "path, then each copy's layer");
	for (size_t i = 0; i < n && i < WASTE_TEXT_MAX; i++) {
		char sz[32];
		shp_size_human(sz, sizeof sz, w[i].size);
		shp_buf_printf(b, "  %10s %6u  ", sz, w[i].count);
		shp_buf_term_str(b, w[i].path);
		shp_buf_putc(b, '\n');
		for (uint32_t k = 0; k < w[i].count; k++) {
			const struct shp_ucopy *c = &w[i].copies[k];
			shp_size_human(sz, sizeof sz, c->size);
			_cleanup_free_ char *d = shp_image_layer_desc(img, c->layer);
			shp_buf_printf(b, "  %10s %6s    %s%s ", "", "", sz, c->whiteout ? " deleted in" : "");
			shp_buf_term_str(b, d);
			shp_buf_putc(b, '\n');
		}
	}
	if (n > WASTE_TEXT_MAX) {
		uint64_t rest = 0;
		for (size_t i = WASTE_TEXT_MAX; i < n; i++)
			rest += w[i].size;
		char sz[32];
		shp_size_human(sz, sizeof sz, rest);
		shp_buf_printf(b, "  and %zu more path%s, %s (all of them: --format json, \"waste\")\n",
			       n - WASTE_TEXT_MAX, n - WASTE_TEXT_MAX == 1 ? "" : "s", sz);
	}
}

/* Layer L's paths, under its row of the table. */
static void files_text(struct shp_buf *b, const struct shp_union *u, int L)
{
	_cleanup_free_ struct shp_layer_change *v = NULL;
	size_t n = shp_union_layer_changes(u, L, &v);
	static const char mark[] = {'+', '~', '-'};
	char buf[SHP_IMG_MAX_PATH + 2];
	for (int how = 0; how < 3; how++)
		for (size_t i = 0; i < n; i++)
			if (v[i].how == how) {
				shp_buf_printf(b, "          %c ", mark[how]);
				shp_buf_term_str(b, shp_union_path(u, v[i].node, buf, sizeof buf));
				shp_buf_putc(b, '\n');
			}
}

/* vuln: the line that says what the vulnerability data covers, or NULL */
static void describe_text(struct shp_buf *b, const struct shp_image *img, const struct shp_union *u,
			  const struct image_show *show, const struct shp_waste *w, size_t nw, int color,
			  const char *vuln)
{
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	const struct shp_efficiency *f = &u->eff;
	char size[32], wasted[32], recl[32];
	shp_size_human(size, sizeof size, f->size_bytes);
	shp_size_human(wasted, sizeof wasted, f->wasted_bytes);
	shp_size_human(recl, sizeof recl, f->reclaimable_bytes);
	/* the name, platform and layer commands come from the image: escaped (shp_buf_term_str) */
	shp_buf_puts(b, bold);
	shp_buf_term_str(b, img->input);
	shp_buf_printf(b, "%s  %s", reset, img->kind_name);
	if (img->ref) {
		shp_buf_puts(b, ", ");
		shp_buf_term_str(b, img->ref);
	}
	if (img->platform) {
		shp_buf_puts(b, ", ");
		shp_buf_term_str(b, img->platform);
	}
	shp_buf_putc(b, '\n');
	if (img->config_digest) {
		shp_buf_puts(b, "  config ");
		shp_buf_term_str(b, img->config_digest);
		shp_buf_putc(b, '\n');
	}
	size_t entries = 0;
	for (size_t i = 0; i < img->nscans; i++)
		entries += img->scans[i].nentries;
	shp_buf_printf(b,
		       "  %zu layer%s, %zu entries, %s; efficiency %.2f%%, wasted %s (%.1f%% of the user layers), "
		       "reclaimable %s\n",
		       img->nlayers, img->nlayers == 1 ? "" : "s", entries, size, 100 * f->score, wasted,
		       100 * f->wasted_user_percent, recl);
	if (vuln && *vuln)
		shp_buf_printf(b, "  %s", vuln); /* escaped when it was written */
	if (show->layers) {
		shp_buf_printf(b, "\n  %5s %10s %7s %7s %7s  %s\n", "layer", "size", "added", "changed", "removed",
			       show->files ? "command; then + added, ~ changed, - removed" : "command");
		for (size_t i = 0; i < img->nlayers; i++) {
			if (show->layer && (size_t)show->layer != i + 1)
				continue;
			const struct shp_layer_stats *st = &u->layers[i];
			char sz[32];
			shp_size_human(sz, sizeof sz, st->size);
			_cleanup_free_ char *d = shp_image_layer_desc(img, (int)i);
			char *cmd = strchr(d, '(');
			if (cmd)
				cmd[strlen(cmd) - 1] = 0; /* the command inside "(...)" */
			shp_buf_printf(b, "  %5zu %10s %7zu %7zu %7zu  ", i + 1, sz, st->added, st->changed,
				       st->removed);
			shp_buf_term_str(b, cmd ? cmd + 1 : "-");
			shp_buf_putc(b, '\n');
			if (show->files)
				files_text(b, u, (int)i);
		}
	}
	if (show->waste)
		waste_text(b, img, u, w, nw);
	shp_buf_putc(b, '\n');
}

struct image_result {
	struct shp_findings f;
	struct shp_buf json, text;
	size_t unscanned; /* files not read whole, in all images */
	int stale;	  /* the vulnerability data was stale for one of them */
	int fail;	  /* the exit code of the images that failed: 3 if any input was bad, else 2 */
};

/* --vuln: the database to match packages against */
struct vuln_opts {
	int on;
	struct shp_cli_vuln_opts o;
};

/* shp_findings_filter: the findings before ctx, those of the images read before */
static int made_before(struct shp_finding *x, const void *ctx) { return x < (const struct shp_finding *)ctx; }

static int scan_one(const char *path, const struct shp_image_opts *io, struct shp_cli_opts *o,
		    const struct image_show *show, const struct vuln_opts *vo, struct image_result *res)
{
	_cleanup_error_ struct shp_error *err = NULL;
	_cleanup_image_ struct shp_image *img = NULL;
	if (shp_image_open(path, io, &img, &err) < 0 || shp_image_scan(img, io, &err) < 0) {
		shp_cli_input_error(o, path, err->msg);
		if (res->fail != SHP_EXIT_INPUT)
			res->fail = shp_cli_image_exit(err);
		return -1;
	}
	if (show->layer && (size_t)show->layer > img->nlayers) { /* listed with the inputs not read */
		_cleanup_free_ char *msg = shp_asprintf("image: --layer %d: %s has %zu layer%s", show->layer,
							img->input, img->nlayers, img->nlayers == 1 ? "" : "s");
		shp_cli_input_error(o, path, msg);
		if (res->fail != SHP_EXIT_INPUT)
			res->fail = SHP_EXIT_USAGE;
		return -1;
	}
	struct shp_union u;
	shp_union_build(&u, img);
	size_t nf = res->f.n, njson = res->json.len;
	shp_image_check(img, &u, &o->cfg, &res->f);
	struct shp_waste *w = NULL;
	size_t nw = shp_union_waste(&u, &w);
	if (res->json.len)
		shp_buf_putc(&res->json, ',');
	shp_buf_puts(&res->json, "{\"image\":");
	describe_json(&res->json, img, &u, show, &res->unscanned);
	shp_buf_puts(&res->json, ",\"efficiency\":");
	efficiency_json(&res->json, &u.eff);
	shp_buf_puts(&res->json, ",\"waste\":");
	waste_json(&res->json, img, &u, w, nw);
	_cleanup_buf_ struct shp_buf vuln = {0};
	if (vo->on) {
		struct shp_image_pkgs ip = {0};
		shp_buf_putc(&res->json, ',');
		int r = shp_image_packages(img, &u, 0, &ip, &err);
		if (r == 0)
			r = shp_cli_vulns(&vo->o, &ip, img->input, &o->cfg, &res->f, &res->json, &vuln, &res->stale,
					  &err);
		shp_image_pkgs_free(&ip);
		if (r < 0) { /* the image is not reported, only why */
			shp_union_waste_free(w, nw);
			shp_union_free(&u);
			shp_findings_filter(&res->f, made_before, res->f.v + nf);
			shp_buf_truncate(&res->json, njson);
			shp_cli_input_error(o, path, err->msg);
			res->fail = SHP_EXIT_INPUT;
			return -1;
		}
	}
	shp_buf_putc(&res->json, '}');
	describe_text(&res->text, img, &u, show, w, nw, o->color, vuln.data);
	shp_union_waste_free(w, nw);
	shp_union_free(&u);
	return 0;
}

enum { OPT_LAYERS = 2001, OPT_MAX, OPT_VULN, OPT_DB, OPT_UNFIXED, OPT_DB_REPO, OPT_FILES, OPT_LAYER, OPT_WASTE };

struct image_args {
	struct shp_image_opts io;
	struct vuln_opts vo;
	struct image_show show;
};

static int image_opt(void *ctx, int c, const char *arg)
{
	struct image_args *a = ctx;
	switch (c) {
	case OPT_LAYERS: a->show.layers = 1; return 1;
	case OPT_FILES: a->show.files = 1; return 1;
	case OPT_WASTE: a->show.waste = 1; return 1;
	case OPT_LAYER: {
		char *end;
		long n = strtol(arg, &end, 10);
		if (!*arg || *end || n < 1 || n > SHP_IMG_MAX_LAYERS) {
			shp_cli_error("image: --layer \"%s\": expected a layer number from 1", arg);
			return -1;
		}
		a->show.layer = (int)n;
		return 1;
	}
	case OPT_VULN: a->vo.on = 1; return 1;
	case OPT_DB:
		a->vo.o.db = arg;
		a->vo.on = 1;
		return 1;
	case OPT_UNFIXED: a->vo.o.ignore_unfixed = 1; return 1;
	case OPT_DB_REPO:
		a->vo.o.db_repo = arg;
		a->vo.on = 1;
		return 1;
	case OPT_MAX:
		if (shp_parse_size(arg, SHP_SIZE_BINARY, &a->io.max_layer_bytes) < 0) {
			shp_cli_error("image: --max-layer-bytes \"%s\": expected a size such as 512M or 4G", arg);
			return -1;
		}
		return 1;
	default: return shp_cli_vuln_opt(&a->vo.o, c, arg);
	}
}

int shp_cmd_image(int argc, char **argv)
{
	static const struct option longopts[] = {{"layers", no_argument, 0, OPT_LAYERS},
						 {"files", no_argument, 0, OPT_FILES},
						 {"layer", required_argument, 0, OPT_LAYER},
						 {"waste", no_argument, 0, OPT_WASTE},
						 {"max-layer-bytes", required_argument, 0, OPT_MAX},
						 {"jobs", required_argument, 0, 'j'},
						 {"vuln", no_argument, 0, OPT_VULN},
						 {"db", required_argument, 0, OPT_DB},
						 {"db-repository", required_argument, 0, OPT_DB_REPO},
						 {"ignore-unfixed", no_argument, 0, OPT_UNFIXED},
						 SHP_VULN_LONGOPTS,
						 {0, 0, 0, 0}};
	struct image_args a = {0};
	const struct shp_cli_spec spec = {.name = "image",
					  .longopts = longopts,
					  .shortopts = "j:",
					  .opt = image_opt,
					  .ctx = &a,
					  .usage = usage,
					  .io = &a.io,
					  .min_args = 1};
	struct shp_cli_opts o;
	int optind0 = shp_cli_parse(argc, argv, &spec, &o);
	if (optind0 <= 0)
		return -optind0;
	optind = optind0;
	struct shp_image_opts io = a.io;
	struct vuln_opts vo = a.vo;
	vo.o.jobs = io.jobs;
	struct image_show show = a.show;
	/* --layer N is a layer's paths, --files the paths under the table */
	show.files |= show.layer > 0;
	show.layers |= show.files;
	if (vo.on && shp_cli_vuln_max_age(&vo.o, &o.cfg) < 0) {
		shp_cli_opts_free(&o);
		return SHP_EXIT_USAGE;
	}
	struct image_result res = {0};
	int bad = 0, nimages = argc - optind;
	/* the report goes neither over an image nor into an OCI layout or root filesystem */
	for (int i = optind; i < argc; i++)
		shp_cli_image_input(&o, argv[i]);
	if (vo.o.db)
		shp_cli_input(&o, vo.o.db, SHP_IN_FILE);
	if (shp_cli_check_output(&o) < 0) {
		shp_cli_opts_free(&o);
		return SHP_EXIT_INPUT;
	}
	if (vo.o.db_repo) {
		_cleanup_error_ struct shp_error *err = NULL;
		if (shp_cli_db_refresh(vo.o.db, vo.o.db_repo, &io, &err) < 0) {
			shp_cli_error("%s", err->msg);
			shp_cli_opts_free(&o);
			return err->code == SHP_EXIT_USAGE ? SHP_EXIT_USAGE : SHP_EXIT_INPUT;
		}
	}
	for (int i = optind; i < argc; i++)
		if (scan_one(argv[i], &io, &o, &show, &vo, &res) < 0)
			bad = 1;
	/* the images read are reported even when another was not (the report lists it in
	 * "errors"), so that a CI job keeps what was found */
	struct shp_buf extra = {0};
	if (nimages == 1) {
		/* {"image":...,"efficiency":...} -> the two members */
		if (res.json.len >= 2)
			shp_buf_add(&extra, res.json.data + 1, res.json.len - 2);
	} else {
		shp_buf_puts(&extra, "\"images\":[");
		shp_buf_add(&extra, res.json.data, res.json.len);
		shp_buf_putc(&extra, ']');
	}
	int rc = shp_cli_report(&o, &res.f,
				(struct shp_report_opts){.files = (size_t)(nimages - o.nerrors),
							 .command = "image",
							 .extra_json = extra.data,
							 .extra_text = res.text.data,
							 .unscanned = &res.unscanned});
	if (res.stale && vo.o.fail_on_stale && rc == SHP_EXIT_OK)
		rc = SHP_EXIT_FINDINGS;
	if (bad && res.fail)
		rc = res.fail;
	shp_buf_free(&extra);
	shp_findings_free(&res.f);
	shp_buf_free(&res.json);
	shp_buf_free(&res.text);
	shp_cli_opts_free(&o);
	return rc;
}
