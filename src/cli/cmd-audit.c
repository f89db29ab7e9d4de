/* cmd-audit.c - `shipshape audit FILE|DIR...`: docker-compose files and Kubernetes manifests
 * (told by content, every document of a stream; a directory's YAML and JSON files) checked
 * for how their containers would run: privileges, capabilities, host namespaces, the engine
 * socket and host paths, limits, seccomp and AppArmor, images and secrets in the environment. */
#include "audit/audit.h"
#include "audit/pss.h"
#include "audit/readers.h"
#include "cli/cli.h"
#include "image/image.h"
#include "rules/audit.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/note.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static void usage(FILE *f)
{
	fputs("usage: shipshape audit [options] FILE|DIR...\n"
	      "       shipshape audit --run \"docker run ...\"\n\n"
	      "Audits how containers would run, from docker-compose files and Kubernetes manifests\n"
	      "(Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, List; several\n"
	      "documents per file): privileged, capabilities, root, host namespaces, the engine\n"
	      "socket and sensitive host paths, limits, seccomp and AppArmor, images, secrets.\n"
	      "Also docker/podman inspect output (JSON) and files of docker run lines. A directory\n"
	      "is searched recursively for *.yaml, *.yml and *.json files of those kinds (others are\n"
	      "passed over, templates skipped; one of theirs that cannot be read is an error).\n\noptions:\n"
	      "      --run CMD        a docker run (or podman run) command line; repeatable\n"
	      "      --pss LEVEL      judge each Kubernetes pod by the Pod Security Standards at LEVEL\n"
	      "                       (baseline or restricted), as PodSecurity admission does, instead\n"
	      "                       of the usual rules (configuration: pss:)\n"
	      "      --pss-version V  the Kubernetes version whose checks apply: v1.N or latest (the\n"
	      "                       default; configuration: pss-version:)\n"
	      "      --images         read each image's config from its registry (manifest and config,\n"
	      "                       no layer) and judge what a workload leaves unset by it: its USER,\n"
	      "                       its HEALTHCHECK; the findings say the value came from the image\n"
	      "      --username U, --password P, --registry-token T, --insecure  for --images: as for\n"
	      "                       image (credentials; plain HTTP or unverified TLS)\n" SHP_COMMON_HELP,
	      f);
}

/* Whether a file that could not be read as one may have been meant as a compose file, a
 * manifest or inspect output: it names a key of theirs. */
static int may_be_ours(const char *text, size_t len)
{
	return memmem(text, len, "services", 8) || memmem(text, len, "kind", 4) || memmem(text, len, "HostConfig", 10);
}

/* A file found in a directory that is not YAML or JSON is not the user's input when it names
 * no key of ours: it is passed over (1). One that may have been meant as ours, or cannot be
 * read at all, is an error (-1): passing over it would report a directory clean unread. */
static int found_unreadable(const char *text, size_t len, struct shp_error **err)
{
	if (!text || may_be_ours(text, len))
		return -1;
	shp_error_free(*err);
	*err = NULL;
	return 1;
}

/* Reads one file into w; -1 with err if it is not readable or not YAML/JSON, 1 if nothing in
 * it is a compose file or a Kubernetes workload. found: the file was found in a directory. */
static int read_one(const char *path, int found, struct shp_workloads *w, struct shp_error **err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (shp_read_file_at(AT_FDCWD, path, found ? SHP_OPEN_FOUND : 0, NULL, SHP_Y_MAX_BYTES, &text, &len, err) < 0)
		return found ? found_unreadable(NULL, 0, err) : -1;
	if (found && memmem(text, len, "{{", 2)) {
		/* A Helm (or other) template: what runs is known only once it is rendered, and its
		 * placeholders taken as values would make findings about text that never runs. */
		if (may_be_ours(text, len))
			shp_note("%s: a template ({{ ... }}): render it (helm template) and audit that (skipped)",
				 path);
		return 1;
	}
	int rc = shp_audit_read(path, text, len, w, err);
	if (rc == -2) /* not YAML or JSON */
		return found ? found_unreadable(text, len, err) : -1;
	return rc;
}

/* What a directory may hold for audit: YAML and JSON files (their kind is told by content). */
static int is_config_name(const char *b)
{
	const char *dot = strrchr(b, '.');
	return dot && (!strcasecmp(dot, ".yaml") || !strcasecmp(dot, ".yml") || !strcasecmp(dot, ".json"));
}

struct audit_inputs {
	struct shp_workloads *w;
	struct shp_cli_opts *o; /* the files audited are its inputs */
	size_t files;		/* files audited */
};

/* Reads one file into in->w, saying what is wrong with it; found as for read_one(). */
static void add_file(struct audit_inputs *in, const char *path, int found)
{
	_cleanup_error_ struct shp_error *err = NULL;
	int r = read_one(path, found, in->w, &err);
	if (r == 0 || !found)
		shp_cli_input(in->o, path, SHP_IN_FILE);
	if (r == 0) {
		in->files++;
	} else if (r < 0) {
		shp_cli_input_error(in->o, path, err->msg);
	} else if (!found) {
		_cleanup_free_ char *msg = shp_asprintf("%s: not a compose file (services:), a Kubernetes workload "
							"(kind:), docker inspect output or docker run lines",
							path);
		shp_cli_input_error(in->o, path, msg);
	}
}

static int audit_found(const char *path, void *arg)
{
	add_file(arg, path, 1);
	return 0;
}

/* --images: each image's config, read once (manifest and config from its registry, no
 * layer), gives the workloads that run it its User and whether it has a HEALTHCHECK. An
 * image that cannot be read is said on stderr, and its workloads are judged without it. */
/* Sanity limit: images --images reads in one run. */
#define SHP_AUDIT_MAX_IMAGES 256

static void read_images(struct shp_workloads *w, const struct shp_image_opts *io)
{
	size_t opened = 0;
	for (size_t i = 0; i < w->n; i++) {
		const char *ref = w->v[i].image.value;
		if (!ref || !*ref || strchr(ref, '$') || w->v[i].image_read)
			continue;
		if (opened++ == SHP_AUDIT_MAX_IMAGES) { /* each is a round trip to a registry */
			shp_note("--images: more than %d images; the rest are judged without their config "
				 "(SHP_AUDIT_MAX_IMAGES)",
				 SHP_AUDIT_MAX_IMAGES);
			return;
		}
		_cleanup_free_ char *t = shp_asprintf("docker://%s", ref);
		_cleanup_error_ struct shp_error *err = NULL;
		_cleanup_image_ struct shp_image *img = NULL;
		int got = shp_image_open(t, io, &img, &err) == 0 ? 1 : -1;
		const char *user = NULL;
		int hc = 0;
		if (got > 0) {
			cJSON *c = cJSON_GetObjectItemCaseSensitive(img->config, "config");
			user = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "User"));
			cJSON *test = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(c, "Healthcheck"), "Test");
			const char *first = cJSON_GetStringValue(cJSON_GetArrayItem(test, 0));
			hc = first && strcmp(first, "NONE");
		} else {
			shp_note("--images: %s: its config could not be read; the workloads that run it are judged "
				 "without it",
				 err->msg);
		}
		const char *u = shp_wl_dup(w, user ? user : "");
		for (size_t k = i; k < w->n; k++) /* every workload that runs it */
			if (w->v[k].image.value && !strcmp(w->v[k].image.value, ref)) {
				w->v[k].image_read = got;
				w->v[k].image_user = u;
				w->v[k].image_healthcheck = hc;
			}
	}
}

enum { OPT_RUN = 2001, OPT_PSS, OPT_PSS_VERSION, OPT_IMAGES };

struct run_args {
	const char **runs;
	size_t n, cap;
	int pss_level;		  /* --pss, -1 when not given */
	const char *pss_version;  /* --pss-version */
	int images;		  /* --images */
	struct shp_image_opts io; /* for --images: only the registry's */
};

static int audit_opt(void *ctx, int c, const char *arg)
{
	struct run_args *a = ctx;
	switch (c) {
	case OPT_RUN: SHP_PUSH(a->runs, a->n, a->cap, arg); return 1;
	case OPT_IMAGES: a->images = 1; return 1;
	case OPT_PSS:
		if ((a->pss_level = shp_pss_parse_level(arg)) < 0) {
			shp_cli_error("audit: --pss \"%s\": expected baseline, restricted or privileged", arg);
			return -1;
		}
		return 1;
	case OPT_PSS_VERSION:
		if (shp_pss_parse_version(arg) < 0) {
			shp_cli_error("audit: --pss-version \"%s\": expected latest or a version such as v1.30", arg);
			return -1;
		}
		a->pss_version = arg;
		return 1;
	default: return shp_cli_registry_opt(&a->io, c, arg);
	}
}

int shp_cmd_audit(int argc, char **argv)
{
	static const struct option longopts[] = {{"run", required_argument, 0, OPT_RUN},
						 {"pss", required_argument, 0, OPT_PSS},
						 {"pss-version", required_argument, 0, OPT_PSS_VERSION},
						 {"images", no_argument, 0, OPT_IMAGES},
						 SHP_REGISTRY_LONGOPTS,
						 {0, 0, 0, 0}};
	struct run_args a = {.pss_level = -1};
	const struct shp_cli_spec spec = {
		.name = "audit", .longopts = longopts, .shortopts = "", .opt = audit_opt, .ctx = &a, .usage = usage};
	struct shp_cli_opts o;
	int first = shp_cli_parse(argc, argv, &spec, &o);
	if (first <= 0) {
		free(a.runs);
		return -first;
	}
	if (first >= argc && !a.n) {
		usage(stderr);
		shp_config_free(&o.cfg);
		return SHP_EXIT_USAGE;
	}
	if (a.pss_level >= 0)
		o.cfg.pss_level = a.pss_level;
	if (a.pss_version) {
		o.cfg.pss_minor = shp_pss_parse_version(a.pss_version);
		free(o.cfg.pss_version);
		o.cfg.pss_version = shp_xstrdup(a.pss_version);
	}
	struct shp_workloads w = {.pss_level = o.cfg.pss_level,
				  .pss_minor = o.cfg.pss_version ? o.cfg.pss_minor : SHP_PSS_LATEST};
	struct shp_findings f = {0};
	struct audit_inputs in = {.w = &w, .o = &o};
	for (size_t i = 0; i < a.n; i++)
		if (!shp_audit_runlines(a.runs[i], strlen(a.runs[i]), "<--run>", &w)) {
			_cleanup_free_ char *msg =
				shp_asprintf("--run \"%s\": not a docker run or podman run command", a.runs[i]);
			shp_cli_input_error(&o, "<--run>", msg);
		}
	free(a.runs);
	for (int i = first; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0 || !S_ISDIR(st.st_mode)) {
			add_file(&in, argv[i], 0);
			continue;
		}
		_cleanup_error_ struct shp_error *err = NULL;
		size_t before = in.files;
		if (shp_walk_dir(argv[i], is_config_name, audit_found, &in, &err) < 0)
			shp_cli_input_error(&o, argv[i], err->msg);
		else if (in.files == before)
			shp_cli_error("%s: no compose file, Kubernetes workload or docker inspect output found",
				      argv[i]);
	}
	/* the inputs read are reported even when another was not (the report lists it) */
	if (a.images) {
		shp_cli_image_config(&a.io, &o);
		read_images(&w, &a.io);
	}
	if (o.cfg.pss_level) { /* the standard judges pods: say what it did not judge */
		size_t other = 0;
		for (size_t i = 0; i < w.n; i++)
			other += !w.v[i].is_k8s;
		if (other)
			shp_note("--pss judges Kubernetes pods only: %zu compose service%s, container%s or run line%s "
				 "not judged",
				 other, other == 1 ? "" : "s", other == 1 ? "" : "s", other == 1 ? "" : "s");
	}
	shp_audit_check(&w, &o.cfg, &f);
	int rc = shp_cli_report(
		&o, &f,
		(struct shp_report_opts){.files = in.files + (a.n > 0),
					 .command = "audit",
					 .pss_version = o.cfg.pss_level ? (o.cfg.pss_version ?: "latest") : NULL});
	shp_findings_free(&f);
	shp_workloads_free(&w);
	shp_cli_opts_free(&o);
	return rc;
}
