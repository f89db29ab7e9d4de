/* cmd-host.c - `shipshape host [--root DIR]`: the container host, offline from its files (the
 * live one by default, or a mounted or unpacked root): engine sockets and their owners and
 * modes, the docker group, daemon.json, the engine's files; rootless engines recognised. Where
 * the engine's API socket answers, its version and security options are read too. */
#include "cli/cli.h"
#include "host/engine-api.h"
#include "rules/host.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *f)
{
	fputs("usage: shipshape host [options]\n\n"
	      "Checks a container host from its files: engine sockets (docker, containerd, CRI-O, podman;\n"
	      "rootless ones under /run/user), the docker group, /etc/docker/daemon.json, ownership and\n"
	      "modes of the engine's files. Reads the live engine's API socket when it answers.\n\noptions:\n"
	      "      --root DIR       the host's root (a mounted or unpacked filesystem; default /)\n"
	      "      --api-socket P   the engine API socket to ask (default: the root's docker.sock when\n"
	      "                       --root is /)\n" SHP_COMMON_HELP,
	      f);
}

enum { OPT_ROOT = 2001, OPT_API };

struct host_args {
	const char *root, *api;
};

static int host_opt(void *ctx, int c, const char *arg)
{
	struct host_args *a = ctx;
	if (c == OPT_ROOT)
		a->root = arg;
	else if (c == OPT_API)
		a->api = arg;
	else
		return 0;
	return 1;
}

int shp_cmd_host(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"root", required_argument, 0, OPT_ROOT}, {"api-socket", required_argument, 0, OPT_API}, {0, 0, 0, 0}};
	struct host_args a = {.root = "/"};
	const struct shp_cli_spec spec = {
		.name = "host", .longopts = longopts, .shortopts = "", .opt = host_opt, .ctx = &a, .usage = usage};
	struct shp_cli_opts o;
	int first = shp_cli_parse(argc, argv, &spec, &o);
	if (first <= 0)
		return -first;
	if (first < argc) {
		usage(stderr);
		shp_config_free(&o.cfg);
		return SHP_EXIT_USAGE;
	}
	struct stat st;
	if (stat(a.root, &st) < 0 || !S_ISDIR(st.st_mode)) {
		shp_cli_error("%s: not a directory", a.root);
		shp_config_free(&o.cfg);
		return SHP_EXIT_INPUT;
	}
	/* "/srv/root/" and "/srv/root" are one root */
	char *root = shp_xstrdup(a.root);
	for (size_t n = strlen(root); n > 1 && root[n - 1] == '/'; n--)
		root[n - 1] = 0;
	struct shp_findings f = {0};
	struct shp_host_ctx ctx = {.root = root, .cfg = &o.cfg, .out = &f};
	_cleanup_error_ struct shp_error *err = NULL;
	int rc = SHP_EXIT_INPUT;
	if (shp_host_load(&ctx, &err) < 0) {
		shp_cli_error("%s", err->msg);
		goto out;
	}
	shp_host_check(&ctx);
	struct shp_buf json = {0}, text = {0};
	shp_buf_puts(&json, "\"host\":{\"root\":");
	shp_buf_json_str(&json, root);
	shp_buf_printf(&json, ",\"docker\":%s,\"daemon_json\":%s,\"engines\":[", ctx.docker ? "true" : "false",
		       ctx.daemon.n ? "true" : "false");
	shp_buf_term_str(&text, root); /* names from the root and the engine's answers: escaped */
	shp_buf_printf(&text, "  host%s\n", ctx.docker ? ", Docker installed" : "");
	for (size_t i = 0; i < ctx.nsockets; i++) {
		const struct shp_host_socket *s = &ctx.sockets[i];
		shp_buf_printf(&json, "%s{\"engine\":\"%s\",\"socket\":", i ? "," : "", s->engine);
		shp_buf_json_str(&json, s->path);
		shp_buf_printf(&json, ",\"rootless\":%s}", s->rootless_uid >= 0 ? "true" : "false");
		shp_buf_printf(&text, "  %s socket ", s->engine);
		shp_buf_term_str(&text, s->path);
		shp_buf_printf(&text, "%s\n", s->rootless_uid >= 0 ? " (rootless)" : "");
	}
	if (!ctx.nsockets && !ctx.docker)
		shp_buf_puts(&text, "  no container engine found\n");
	shp_buf_putc(&json, ']');
	const char *api = a.api;
	char *dflt = NULL;
	if (!api && !strcmp(root, "/"))
		for (size_t i = 0; i < ctx.nsockets && !api; i++)
			if (!strcmp(ctx.sockets[i].engine, "docker") || !strcmp(ctx.sockets[i].engine, "podman"))
				api = dflt = shp_xstrdup(ctx.sockets[i].path);
	if (api)
		shp_host_api(api, &json, &text); /* never required: silence when it does not answer */
	free(dflt);
	shp_buf_putc(&json, '}');
	shp_buf_putc(&text, '\n');
	/* the host is no one file: the summary counts the files its findings are in */
	size_t files = 0;
	for (size_t i = 0; i < f.n; i++) {
		size_t j = 0;
		while (j < i && strcmp(f.v[j].file, f.v[i].file))
			j++;
		files += j == i;
	}
	rc = shp_cli_report(&o, &f,
			    (struct shp_report_opts){.files = files,
						     .command = "host",
						     .whole = "file",
						     .extra_json = json.data,
						     .extra_text = text.data});
	shp_buf_free(&json);
	shp_buf_free(&text);
out:
	shp_host_free(&ctx);
	shp_findings_free(&f);
	free(root);
	shp_config_free(&o.cfg);
	return rc;
}
