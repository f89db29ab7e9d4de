/* cmd-slim.c - `shipshape slim IMAGE -o OUT`: a new image with only what the entrypoint
 * needs (slim/slim.h), and a summary of what was kept, cleared and could not be seen. OUT
 * is a tarball, or docker://REF: the image pushed to a registry. */
#include "cli/cli.h"
#include "image/image.h"
#include "image/reference.h"
#include "image/union.h"
#include "registry/registry.h"
#include "slim/slim.h"
#include "util/cleanup.h"
#include "util/note.h"
#include "util/size.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fputs("usage: shipshape slim [options] IMAGE -o OUT.tar|docker://REF\n\n"
	      "Makes a smaller, safer image without running it: only what the entrypoint and the\n"
	      "healthcheck reach is kept (their programs, the ELF loader and libraries those load, a\n"
	      "script's interpreter and the programs a shell script runs, the command an entrypoint\n"
	      "script hands over to with exec \"$@\", the files named on the command line, the paths a\n"
	      "program has compiled in and its configuration files name, and passwd, group, CA\n"
	      "certificates, time zone), in one layer with no setuid or setgid bits and no file\n"
	      "capabilities, run as a non-root user unless a kept program makes files where only root\n"
	      "may write. OUT is a docker-save tarball that is an OCI image layout too (docker load,\n"
	      "podman load, skopeo).\n\n"
	      "options:\n"
	      "  -o, --output FILE    the image to write (a new file, or a regular file replaced;\n"
	      "                       -: stdout, as in shipshape slim IMG -o - | docker load)\n"
	      "  -o docker://[HOST[:PORT]/]NAME[:TAG]  push it to a registry instead (blobs the\n"
	      "                       repository has are skipped, those of a source image from the\n"
	      "                       same registry mounted); only docker:// pushes: any other OUT,\n"
	      "                       even one that looks like a reference, is a file\n"
	      "  -t, --tag NAME:TAG   its name in the tarball\n"
	      "      --include PATH   also keep PATH, everything below it and what that needs\n"
	      "                       (modules of interpreted programs, data files); repeatable\n"
	      "      --include-exe PROG  also keep a program (looked up on PATH) and what it loads;\n"
	      "                       repeatable\n"
	      "      --user USER      run as USER (default: the image's, or 65534:65534 if it ran as root\n"
	      "                       and nothing kept needs root)\n"
	      "      --dry-run        only say what would be kept\n"
	      "      --list           print the paths kept\n" SHP_IMAGE_HELP
	      "      --max-layer-bytes N  decompressed bytes allowed per layer (default 32G; K, M, G)\n"
	      "      --max-output-bytes N  bytes the image written may have (default 32G; K, M, G)\n"
	      "  -j, --jobs N         layers read in parallel (default: the number of cores)\n" SHP_QUIET_HELP,
	      f);
}

/* Where -o docker:// pushes, and what became of each blob (for the summary). */
struct push {
	struct shp_docker_ref to;
	char *from_repo; /* the source image's repository when it is on the same registry */
	struct shp_registry_opts ro;
	enum shp_push_how layer_how, config_how;
};

static int publish(void *arg, const struct shp_slim_image *im, struct shp_error **err)
{
	struct push *p = arg;
	struct shp_registry *r = shp_registry_new(&p->to, &p->ro);
	struct shp_push_blob layer = {.digest = im->layer_digest, .size = im->layer_bytes, .fd = im->layer_fd};
	struct shp_push_blob config = {
		.digest = im->config_digest, .size = im->config_len, .data = im->config, .fd = -1};
	int rc = -1;
	if (shp_registry_blob_push(r, &layer, p->from_repo, &p->layer_how, err) < 0 ||
	    shp_registry_blob_push(r, &config, p->from_repo, &p->config_how, err) < 0 ||
	    shp_registry_manifest_put(r, p->to.tag, im->manifest_media_type, im->manifest, im->manifest_len, err) < 0)
		goto out;
	rc = 0;
out:
	shp_registry_free(r);
	return rc;
}

/* The source's repository when the source is docker:// on the registry pushed to: its
 * blobs can be mounted rather than uploaded. */
static char *same_registry_repo(const char *input, const struct shp_docker_ref *to)
{
	if (strncmp(input, "docker://", 9))
		return NULL;
	struct shp_docker_ref from;
	struct shp_error *e = NULL;
	if (shp_docker_ref_parse(input + 9, &from, &e) < 0) {
		shp_error_free(e);
		return NULL;
	}
	char *repo = !strcmp(from.host, to->host) ? shp_xstrdup(from.repo) : NULL;
	shp_docker_ref_free(&from);
	return repo;
}

static void summary(FILE *out, const char *input, const struct shp_slim_opts *so, const struct shp_slim_result *r,
		    const struct push *push)
{
	char in[32], kept[32];
	shp_size_human(in, sizeof in, r->bytes_in);
	shp_size_human(kept, sizeof kept, r->bytes_kept);
	shp_cli_line(out, "%s -> %s", input,
		     so->dry_run			? "(dry run)"
		     : shp_output_is_stdout(so->output) ? "<stdout>"
							: so->output);
	shp_cli_line(out, "  entrypoint  %s", r->entrypoint ? r->entrypoint : "(none)");
	shp_cli_line(out, "  kept        %zu of %zu files, %s of %s (%.1f%%)", r->files_kept, r->files_in, kept, in,
		     r->bytes_in ? 100.0 * (double)r->bytes_kept / (double)r->bytes_in : 0.0);
	if (strcmp(r->user, r->was_user))
		shp_cli_line(out, "  user        %s (was %s)", r->user, r->was_user[0] ? r->was_user : "root");
	else
		shp_cli_line(out, "  user        %s", r->user);
	if (!so->dry_run) {
		if (r->setid_cleared || r->caps_dropped)
			shp_cli_line(out, "  cleared     %zu setuid/setgid bit(s), %zu file capability set(s)",
				     r->setid_cleared, r->caps_dropped);
		shp_cli_line(out, "  image       %s (layer %s)", r->manifest_digest, r->layer_digest);
	}
	if (push && !so->dry_run) {
		shp_cli_line(out, "  layer       %s%s%s", shp_push_how_name(push->layer_how),
			     push->layer_how == SHP_PUSH_MOUNTED ? " from " : "",
			     push->layer_how == SHP_PUSH_MOUNTED ? push->from_repo : "");
		shp_cli_line(out, "  config      %s%s%s", shp_push_how_name(push->config_how),
			     push->config_how == SHP_PUSH_MOUNTED ? " from " : "",
			     push->config_how == SHP_PUSH_MOUNTED ? push->from_repo : "");
	}
	for (size_t i = 0; i < r->nnotes; i++)
		shp_cli_line(out, "  note        %s", r->notes[i]);
}

static int run(const char *input, struct shp_slim_opts *o, struct shp_image_opts *iop, int list, struct push *pushing);

int shp_cmd_slim(int argc, char **argv)
{
	enum { OPT_INCLUDE = 2001, OPT_INCLUDE_EXE, OPT_USER, OPT_DRY, OPT_LIST, OPT_MAXB, OPT_MAXOUT };
	static const struct option longopts[] = {{"output", required_argument, 0, 'o'},
						 {"tag", required_argument, 0, 't'},
						 {"include", required_argument, 0, OPT_INCLUDE},
						 {"include-exe", required_argument, 0, OPT_INCLUDE_EXE},
						 {"user", required_argument, 0, OPT_USER},
						 {"dry-run", no_argument, 0, OPT_DRY},
						 {"list", no_argument, 0, OPT_LIST},
						 {"max-layer-bytes", required_argument, 0, OPT_MAXB},
						 {"max-output-bytes", required_argument, 0, OPT_MAXOUT},
						 SHP_IMAGE_LONGOPTS,
						 {"jobs", required_argument, 0, 'j'},
						 {"help", no_argument, 0, 'h'},
						 SHP_QUIET_LONGOPT,
						 {0, 0, 0, 0}};
	struct shp_image_opts io = {.packages_only = 1};
	struct shp_slim_opts so = {0};
	_cleanup_free_ const char **inc = shp_xcalloc((size_t)argc + 1, sizeof *inc);
	_cleanup_free_ const char **exe = shp_xcalloc((size_t)argc + 1, sizeof *exe);
	so.include = inc;
	so.include_exe = exe;
	int list = 0, c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:t:j:hq", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return SHP_EXIT_OK;
		case 'q': shp_set_quiet(1); break;
		case 'o': so.output = optarg; break;
		case 't': so.tag = optarg; break;
		case OPT_INCLUDE: inc[so.ninclude++] = optarg; break;
		case OPT_INCLUDE_EXE: exe[so.ninclude_exe++] = optarg; break;
		case OPT_USER:
			if (!*optarg || strlen(optarg) > 60) {
				shp_cli_error("slim: --user \"%s\": expected a user name or UID[:GID]", optarg);
				return SHP_EXIT_USAGE;
			}
			so.user = optarg;
			break;
		case OPT_DRY: so.dry_run = 1; break;
		case OPT_LIST: list = 1; break;
		case OPT_MAXB:
			if (shp_parse_size(optarg, SHP_SIZE_BINARY, &io.max_layer_bytes) < 0) {
				shp_cli_error("slim: --max-layer-bytes \"%s\": expected a size such as 4G", optarg);
				return SHP_EXIT_USAGE;
			}
			break;
		case OPT_MAXOUT:
			if (shp_parse_size(optarg, SHP_SIZE_BINARY, &so.max_output_bytes) < 0 || !so.max_output_bytes) {
				shp_cli_error("slim: --max-output-bytes \"%s\": expected a size such as 4G", optarg);
				return SHP_EXIT_USAGE;
			}
			break;
		default:
			if (shp_cli_image_opt_or_usage(&io, "slim", c, optarg, argv[optind - 1], longopts, "o:t:j:hq") <
			    0)
				return SHP_EXIT_USAGE;
			break;
		}
	}
	if (argc - optind != 1 || (!so.output && !so.dry_run)) {
		if (argc - optind == 1)
			shp_cli_error("slim: say where the image goes with -o OUT.tar (or --dry-run)");
		usage(stderr);
		return SHP_EXIT_USAGE;
	}
	const char *input = argv[optind];
	/* the configuration files: the registry mirrors the image is read through */
	struct shp_cli_opts co;
	shp_cli_opts_init(&co);
	if (shp_cli_finish_opts(&co) < 0) {
		shp_cli_opts_free(&co);
		return SHP_EXIT_INPUT;
	}
	shp_cli_image_config(&io, &co);
	_cleanup_error_ struct shp_error *err = NULL;
	struct push push = {0}, *pushing = NULL;
	if (so.output && !strncmp(so.output, "docker://", 9)) {
		if (shp_docker_ref_parse(so.output + 9, &push.to, &err) < 0) {
			shp_cli_error("slim: -o %s: %s", so.output, err->msg);
			shp_cli_opts_free(&co);
			return SHP_EXIT_USAGE;
		}
		pushing = &push;
		if (push.to.digest || !push.to.tag) {
			shp_cli_error("slim: -o %s: push by tag (the image's digest is known once it is made)",
				      so.output);
			shp_docker_ref_free(&push.to);
			shp_cli_opts_free(&co);
			return SHP_EXIT_USAGE;
		}
		push.from_repo = same_registry_repo(input, &push.to);
		push.ro = (struct shp_registry_opts){.username = io.username,
						     .password = io.password,
						     .registry_token = io.registry_token,
						     .insecure = io.insecure};
		so.publish = publish;
		so.publish_arg = &push;
	}
	int rc = run(input, &so, &io, list, pushing);
	if (pushing) {
		shp_docker_ref_free(&push.to);
		free(push.from_repo);
	}
	shp_cli_opts_free(&co);
	return rc;
}

static int run(const char *input, struct shp_slim_opts *o, struct shp_image_opts *iop, int list, struct push *pushing)
{
	struct shp_slim_opts so = *o;
	struct shp_image_opts io = *iop;
	_cleanup_error_ struct shp_error *err = NULL;
	int to_stdout = so.output && shp_output_is_stdout(so.output);
	if (to_stdout && !so.dry_run && isatty(STDOUT_FILENO)) {
		shp_cli_error("slim: -o -: refusing to write an image to a terminal (| docker load)");
		return SHP_EXIT_USAGE;
	}
	if (so.output && !so.dry_run && !pushing) {
		struct shp_inputs in = {0};
		_cleanup_free_ char *in_path = shp_image_ref_path(input); /* oci:DIR:REF reads DIR */
		if (in_path)
			shp_inputs_add(&in, in_path, SHP_IN_TREE);
		int r = shp_output_check(so.output, SHP_OUT_REPLACE, &in, &err);
		shp_inputs_free(&in);
		if (r < 0) {
			shp_cli_error("slim: %s", err->msg);
			return SHP_EXIT_INPUT;
		}
	}
	so.max_layer_bytes = io.max_layer_bytes;
	so.jobs = io.jobs;
	_cleanup_image_ struct shp_image *img = NULL;
	if (shp_image_open(input, &io, &img, &err) < 0 || shp_image_scan(img, &io, &err) < 0) {
		shp_cli_error("%s", err->msg);
		return shp_cli_image_exit(err);
	}
	struct shp_union u;
	shp_union_build(&u, img);
	struct shp_slim_result res;
	int rc = shp_slim(img, &u, &so, &res, &err);
	shp_union_free(&u);
	if (rc < 0) {
		shp_slim_result_free(&res);
		shp_cli_error("%s", err->msg);
		return SHP_EXIT_INPUT;
	}
	/* with -o -, stdout holds the image: what was done goes to stderr */
	FILE *say = to_stdout && !so.dry_run ? stderr : stdout;
	if (say != stderr || !shp_quiet())
		summary(say, input, &so, &res, pushing);
	if (list)
		for (size_t i = 0; i < res.nkept; i++)
			shp_cli_line(say, "%s", res.kept[i]);
	shp_slim_result_free(&res);
	return fflush(stdout) == 0 ? SHP_EXIT_OK : SHP_EXIT_INPUT;
}
