/* common.c - option handling and report output shared by the commands. */
#include "cli/cli.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void shp_cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("shipshape: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int shp_cli_common_opt(struct shp_cli_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'f':
		if (!strcmp(arg, "text"))
			o->format = SHP_FMT_TEXT;
		else if (!strcmp(arg, "json"))
			o->format = SHP_FMT_JSON;
		else if (!strcmp(arg, "sarif"))
			o->format = SHP_FMT_SARIF;
		else {
			shp_cli_error("unknown format \"%s\" (text, json, sarif)", arg);
			return -1;
		}
		return 1;
	case 'o':
		o->output = arg;
		return 1;
	case 1001: {
		enum shp_severity s = shp_severity_parse(arg);
		if (s == SHP_SEV_NONE && strcmp(arg, "none")) {
			shp_cli_error("unknown severity \"%s\" (info, low, medium, high, critical, none)", arg);
			return -1;
		}
		o->fail_on = s;
		o->fail_on_set = 1;
		return 1;
	}
	case 1002:
		if (!shp_rule_find(arg)) {
			shp_cli_error("--ignore %s: no such rule (see shipshape rules)", arg);
			return -1;
		}
		SHP_PUSH(o->cfg.ignored, o->cfg.nignored, o->cfg.cignored, shp_xstrdup(arg));
		return 1;
	case 'c':
		o->config_path = arg;
		return 1;
	case 1003:
		o->color = 0;
		return 1;
	case 1004:
		o->color = 1;
		return 1;
	}
	return 0;
}

int shp_cli_finish_opts(struct shp_cli_opts *o)
{
	_cleanup_error_ struct shp_error *err = NULL;
	int rc = o->config_path ? shp_config_load(&o->cfg, o->config_path, &err) : shp_config_load_default(&o->cfg, &err);
	if (rc < 0) {
		shp_cli_error("%s", err->msg);
		return -1;
	}
	if (!o->fail_on_set && o->cfg.fail_on != SHP_SEV_NONE)
		o->fail_on = o->cfg.fail_on;
	if (o->color < 0)
		o->color = !o->output && isatty(1) && !getenv("NO_COLOR");
	return 0;
}

int shp_cli_write_parts(struct shp_cli_opts *o, struct shp_buf *parts, size_t n, size_t failing)
{
	FILE *out = stdout;
	int werr = 0;
	if (o->output) {
		out = fopen(o->output, "we");
		if (!out) {
			shp_cli_error("%s: %s", o->output, strerror(errno));
			werr = -1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (out && !werr && parts[i].len)
			werr = fwrite(parts[i].data, 1, parts[i].len, out) != parts[i].len;
		shp_buf_free(&parts[i]);
	}
	if (!out)
		return SHP_EXIT_INPUT;
	werr |= out != stdout ? fclose(out) != 0 : fflush(out) != 0;
	if (werr) {
		shp_cli_error("%s: write failed", o->output ? o->output : "<stdout>");
		return SHP_EXIT_INPUT;
	}
	return failing ? SHP_EXIT_FINDINGS : SHP_EXIT_OK;
}

int shp_cli_write(struct shp_cli_opts *o, struct shp_buf *doc, size_t failing)
{
	return shp_cli_write_parts(o, doc, 1, failing);
}
