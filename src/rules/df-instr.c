/* df-instr.c - rules about the instructions themselves: WORKDIR, EXPOSE, ADD vs COPY,
 * COPY destinations, exec form, ONBUILD, ENV references, labels, HEALTHCHECK, CMD and
 * ENTRYPOINT counts, MAINTAINER, consecutive RUNs. */
#include "rules/df-util.h"
#include "rules/families.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_windows_abs(const char *p) { return isalpha((unsigned char)p[0]) && p[1] == ':'; }

static int is_abs(const char *p) { return p[0] == '/' || p[0] == '$' || is_windows_abs(p) || p[0] == '\\'; }

static void check_workdir(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind == SHP_DF_WORKDIR && in->argc && !is_abs(in->argv[0]))
			shp_lint_report(ctx, in, in->argv[0],
					"WORKDIR %s is relative: it depends on the previous WORKDIR", in->argv[0]);
	}
}

/* The kernel's and the boot loader's directories: a WORKDIR there writes where nothing of
 * the application belongs (and /proc, /sys, /dev are replaced at run time). */
static void check_workdir_system(struct shp_lint_ctx *ctx)
{
	static const char *const sys[] = {"/proc", "/sys", "/dev", "/boot", "/initrd", "/lost+found", NULL};
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_WORKDIR || !in->argc)
			continue;
		_cleanup_free_ char *w = df_expand_at(ctx->df, i, in->argv[0]);
		const char *p = w;
		while (p[0] == '/' && p[1] == '/')
			p++;
		for (int k = 0; sys[k]; k++) {
			size_t n = strlen(sys[k]);
			if (!strncmp(p, sys[k], n) && (p[n] == 0 || p[n] == '/')) {
				shp_lint_report(ctx, in, in->argv[0], "WORKDIR %s is in %s, a system directory", w,
						sys[k]);
				break;
			}
		}
	}
}

static int parse_port(const char *s, const char *e, long *out)
{
	if (s == e)
		return -1;
	long v = 0;
	for (const char *c = s; c < e; c++) {
		if (!isdigit((unsigned char)*c))
			return -1;
		v = v * 10 + (*c - '0');
		if (v > 10000000)
			break;
	}
	*out = v;
	return 0;
}

static void check_ports(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_EXPOSE)
			continue;
		for (size_t a = 0; a < in->argc; a++) {
			const char *p = in->argv[a];
			if (has_var(p))
				continue;
			const char *e = strchr(p, '/');
			if (!e)
				e = p + strlen(p);
			const char *dash = memchr(p, '-', (size_t)(e - p));
			long lo, hi;
			int bad = 0;
			if (dash)
				bad = parse_port(p, dash, &lo) || parse_port(dash + 1, e, &hi) || lo > 65535 ||
				      hi > 65535;
			else
				bad = parse_port(p, e, &lo) || lo > 65535;
			if (bad)
				shp_lint_report(ctx, in, p, "EXPOSE %s is not a port (0-65535)", p);
		}
	}
}

static void check_expose_ssh(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_EXPOSE)
			continue;
		for (size_t a = 0; a < in->argc; a++)
			if (!strcmp(in->argv[a], "22") || !strcmp(in->argv[a], "22/tcp"))
				shp_lint_report(
					ctx, in, in->argv[a],
					"EXPOSE 22: an SSH server in a container is a second, unmanaged way in");
	}
}

static int stage_count(const struct shp_dockerfile *df, enum shp_df_kind kind, const char *what,
		       struct shp_lint_ctx *ctx)
{
	int stage = -2, count = 0;
	for (size_t i = 0; i < df->n; i++) {
		const struct shp_df_instr *in = &df->ins[i]; /* not ONBUILD: a trigger is for another image */
		if (in->stage != stage) {
			stage = in->stage;
			count = 0;
		}
		if (in->kind == kind && ++count > 1)
			shp_lint_report(ctx, in, what, "more than one %s in this stage: only the last takes effect",
					what);
	}
	return 0;
}

static void check_multi_healthcheck(struct shp_lint_ctx *ctx)
{
	stage_count(ctx->df, SHP_DF_HEALTHCHECK, "HEALTHCHECK", ctx);
}
static void check_multi_cmd(struct shp_lint_ctx *ctx) { stage_count(ctx->df, SHP_DF_CMD, "CMD", ctx); }
static void check_multi_entrypoint(struct shp_lint_ctx *ctx)
{
	stage_count(ctx->df, SHP_DF_ENTRYPOINT, "ENTRYPOINT", ctx);
}

static int is_url(const char *s)
{
	return starts_with(s, "http://") || starts_with(s, "https://") || starts_with(s, "git@") ||
	       starts_with(s, "git://") || starts_with(s, "ftp://");
}

static int auto_extracted(const char *p)
{
	static const char *const ext[] = {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz",
					  ".gz",  ".bz2",    ".xz",  ".tar.zst", ".zst",  ".lz",  ".lzma",   NULL};
	for (int k = 0; ext[k]; k++)
		if (ends_with(p, ext[k]))
			return 1;
	return 0;
}

/* An ADD that COPY does the same: every source a local file or directory (no URL, no
 * archive ADD would unpack, no variable that might be either), flags COPY has. */
static int copy_will_do(const struct shp_df_instr *in)
{
	static const char *const flags[] = {"chown", "chmod", "link", "exclude", NULL};
	if (in->nheredocs)
		return 0;
	for (size_t f = 0; f < in->nflags; f++)
		if (!str_in(in->flags[f].name, flags))
			return 0;
	for (size_t a = 0; a + 1 < in->argc; a++)
		if (is_url(in->argv[a]) || auto_extracted(in->argv[a]) || has_var(in->argv[a]) ||
		    strpbrk(in->argv[a], "*?["))
			return 0;
	return 1;
}

static void check_add(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_ADD || in->argc < 2)
			continue;
		for (size_t a = 0; a + 1 < in->argc; a++) {
			const char *src = in->argv[a];
			if (is_url(src) || auto_extracted(src) || starts_with(src, "<<") || has_var(src))
				continue;
			shp_lint_report(ctx, in, src, "ADD %s: use COPY for files and directories", src);
			if (copy_will_do(in))
				shp_lint_fix(ctx, SHP_FIX_KEYWORD, in, NULL, 0, "COPY");
			break;
		}
	}
}

static void check_add_url(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_ADD || shp_df_has_flag(in, "checksum"))
			continue;
		for (size_t a = 0; a + 1 < in->argc; a++)
			if (starts_with(in->argv[a], "http://") || starts_with(in->argv[a], "https://") ||
			    starts_with(in->argv[a], "ftp://")) {
				shp_lint_report(ctx, in, in->argv[a],
						"ADD fetches %s without --checksum: the download is not verified",
						in->argv[a]);
				break;
			}
	}
}

static void check_copy_dest(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_COPY && in->kind != SHP_DF_ADD)
			continue;
		if (in->argc <= 2)
			continue;
		const char *d = in->argv[in->argc - 1];
		size_t l = strlen(d);
		if (l && (d[l - 1] == '/' || d[l - 1] == '\\'))
			continue;
		if (!strcmp(d, ".") || !strcmp(d, ".."))
			continue;
		shp_lint_report(ctx, in, d, "%s with several sources needs a destination ending in /, not \"%s\"",
				in->keyword, d);
		if (!has_var(d))
			shp_lint_fix(ctx, SHP_FIX_END, in, NULL, 0, "/");
	}
}

/* The exec form of a shell-form CMD or ENTRYPOINT that needs no shell to split its words:
 * plain words and quoted strings without variables, escapes or command substitution (no
 * operators, redirections or globs outside quotes), as CMD ["prog", "arg"]. NULL if not. */
static char *exec_form(const struct shp_df_instr *in)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=,+@%-";
	struct shp_buf b = {0}, w = {0};
	shp_buf_puts(&b, in->keyword);
	shp_buf_puts(&b, " [");
	size_t nw = 0;
	int ok = 1;
	for (const char *p = in->args; ok;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		shp_buf_reset(&w);
		shp_buf_puts(&w, "");
		for (; *p && *p != ' ' && *p != '\t' && ok; p++) {
			if (*p == '"' || *p == '\'') {
				const char *e = strchr(p + 1, *p);
				size_t n = e ? (size_t)(e - p - 1) : 0;
				if (!e || (*p == '"' &&
					   (memchr(p + 1, '$', n) || memchr(p + 1, '`', n) || memchr(p + 1, '\\', n))))
					ok = 0;
				else
					shp_buf_add(&w, p + 1, n);
				p = e ? e : p;
			} else if (strchr(plain, *p)) {
				shp_buf_putc(&w, *p);
			} else {
				ok = 0;
			}
		}
		if (ok) {
			shp_buf_puts(&b, nw++ ? ", " : "");
			shp_buf_json_str(&b, w.data);
		}
	}
	shp_buf_putc(&b, ']');
	shp_buf_free(&w);
	if (!ok || !nw) {
		shp_buf_free(&b);
		return NULL;
	}
	return b.data;
}

static void check_exec_form(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		int cmd = in->kind == SHP_DF_CMD || in->kind == SHP_DF_ENTRYPOINT;
		int hc = in->kind == SHP_DF_HEALTHCHECK && !strncasecmp(in->args, "CMD", 3);
		if (hc && !in->json && !in->json_invalid)
			/* hadolint's DL3025 takes it too (its spec: "warn on HEALTHCHECK CMD shell
			 * notation"), for another reason than signals */
			shp_lint_report(
				ctx, in, in->keyword,
				"HEALTHCHECK CMD in shell form: the check runs under /bin/sh -c, which the image "
				"must have; use HEALTHCHECK CMD [\"prog\", \"arg\"]");
		else if (cmd && !in->json && !in->json_invalid) {
			shp_lint_report(
				ctx, in, in->keyword,
				"%s in shell form: signals go to /bin/sh, not to the program; use [\"prog\", \"arg\"]",
				in->keyword);
			_cleanup_free_ char *exec = cmd ? exec_form(in) : NULL;
			if (exec)
				shp_lint_fix(ctx, SHP_FIX_INSTR, in, NULL, 0, exec);
		}
	}
}

static void check_invalid_json(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->json_invalid)
			shp_lint_report(ctx, in, in->args,
					"%s looks like exec form but is not valid JSON (double quotes, commas): Docker "
					"runs it as a shell command",
					in->keyword);
	}
}

static void check_onbuild(struct shp_lint_ctx *ctx)
{
	for (size_t i = 0; i < ctx->df->n; i++) {
		const struct shp_df_instr *in = &ctx->df->ins[i];
		if (in->kind != SHP_DF_ONBUILD || !in->sub)
			continue;
		enum shp_df_kind k = in->sub->kind;
		if (k == SHP_DF_ONBUILD || k == SHP_DF_FROM || k == SHP_DF_MAINTAINER)
			shp_lint_report(ctx, in, in->sub->keyword, "ONBUILD %s is not allowed", in->sub->keyword);
	}
}

/* Does value reference $name / ${name...}? */
static int refs(const char *v, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strchr(v, '$'); p; p = strchr(p + 1, '$')) {
		const char *q = p + 1;
		if (*q == '{')
			q++;
		if (!strncmp(q, name, n) && !(isalnum((unsigned char)q[n]) || q[n] == '_'))
			return 1;
	}
	return 0;
}

static void check_env_self_ref(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_ENV)
			continue;
		for (size_t k = 1; k < in->nkvs; k++) {
			if (!in->kvs[k].value)
				continue;
			for (size_t j = 0; j < k; j++) {
				const char *name = in->kvs[j].key;
				if (!refs(in->kvs[k].value, name) || shp_df_var(ctx->df, i, name))
					continue;
				shp_lint_report(
					ctx, in, name,
					"%s refers to $%s set in the same ENV: it still has its old value there",
					in->kvs[k].key, name);
				goto next;
			}
		}
	next:;
	}
}

static void check_copy_relative(struct shp_lint_ctx *ctx)
{
	const struct shp_dockerfile *df = ctx->df;
	DF_FOREACH(df, i, in)
	{
		if (in->kind != SHP_DF_COPY || in->argc < 2)
			continue;
		const char *d = in->argv[in->argc - 1];
		if (is_abs(d))
			continue;
		/* Any WORKDIR before it in this stage, or anywhere in the stages it builds on. */
		int s = in->stage, have = s < 0 ? 0 : df->stages[s].first_workdir < i;
		for (int hop = 0; !have && s >= 0 && hop < SHP_DF_MAX_STAGE_CHAIN; hop++) {
			s = df->stages[s].parent;
			have = s >= 0 && df->stages[s].first_workdir != SHP_DF_NONE;
		}
		if (s < 0 && in->stage < 0)
			for (size_t j = 0; j < i && !have; j++) /* no FROM at all: the instructions above */
				have = shp_df_eff(&df->ins[j])->kind == SHP_DF_WORKDIR;
		if (!have)
			shp_lint_report(ctx, in, d, "COPY to the relative path %s with no WORKDIR set", d);
	}
}

static const char *label_key_problem(const char *k)
{
	static const char *const reserved[] = {"com.docker.", "io.docker.", "org.dockerproject.", NULL};
	for (int r = 0; reserved[r]; r++)
		if (starts_with(k, reserved[r]))
			return "uses a namespace reserved by Docker";
	size_t n = strlen(k);
	if (!n || !islower((unsigned char)k[0]) ||
	    !(islower((unsigned char)k[n - 1]) || isdigit((unsigned char)k[n - 1])))
		return "must start with a lowercase letter and end with a letter or digit";
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!(islower((unsigned char)c) || isdigit((unsigned char)c) || c == '.' || c == '-'))
			return "may only hold lowercase letters, digits, '.' and '-'";
		if ((c == '.' || c == '-') && (k[i + 1] == '.' || k[i + 1] == '-'))
			return "has consecutive separators";
	}
	return NULL;
}

static void check_label_keys(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_LABEL)
			continue;
		for (size_t k = 0; k < in->nkvs; k++) {
			const char *why = label_key_problem(in->kvs[k].key);
			if (why)
				shp_lint_report(ctx, in, in->kvs[k].key, "label key \"%s\" %s", in->kvs[k].key, why);
		}
	}
}

static int has_healthcheck(const struct shp_dockerfile *df, int s, void *arg)
{
	(void)arg;
	size_t end = (size_t)s + 1 < df->nstages ? df->stages[s + 1].from : df->n;
	for (size_t i = df->stages[s].from; i < end; i++)
		if (df->ins[i].kind == SHP_DF_HEALTHCHECK)
			return 1;
	return 0;
}

static void check_no_healthcheck(struct shp_lint_ctx *ctx)
{
	int s = df_final_stage(ctx->df);
	if (s < 0 || df_stage_chain(ctx->df, s, has_healthcheck, NULL))
		return;
	shp_lint_report(ctx, &ctx->df->ins[ctx->df->stages[s].from], NULL,
			"no HEALTHCHECK: the engine cannot tell a hung container from a healthy one");
}

static int same_flags(const struct shp_df_instr *a, const struct shp_df_instr *b)
{
	if (a->nflags != b->nflags)
		return 0;
	for (size_t i = 0; i < a->nflags; i++) {
		const char *va = a->flags[i].value ? a->flags[i].value : "";
		const char *vb = b->flags[i].value ? b->flags[i].value : "";
		if (strcmp(a->flags[i].name, b->flags[i].name) || strcmp(va, vb))
			return 0;
	}
	return 1;
}

static int simple_run(const struct shp_df_instr *in)
{
	return in->kind == SHP_DF_RUN && !in->nheredocs && in->sh.n == 1 && !in->sh.has_pipe;
}

static void check_consecutive_run(struct shp_lint_ctx *ctx)
{
	const struct shp_dockerfile *df = ctx->df;
	for (size_t i = 1; i < df->n; i++) {
		const struct shp_df_instr *a = &df->ins[i - 1], *b = &df->ins[i];
		if (simple_run(a) && simple_run(b) && same_flags(a, b) && a->posix_shell)
			shp_lint_report(ctx, b, "RUN",
					"RUN right after RUN (line %d): each makes a layer; join them with &&",
					a->line);
	}
}

static void check_copy_rootfs(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_COPY || !shp_df_has_flag(in, "from") || in->argc < 2)
			continue;
		if (!strcmp(in->argv[in->argc - 1], "/"))
			for (size_t a = 0; a + 1 < in->argc; a++)
				if (!strcmp(in->argv[a], "/")) {
					shp_lint_report(ctx, in, "/", "COPY --from=%s / / copies a whole filesystem",
							shp_df_flag(in, "from"));
					break;
				}
	}
}

static void check_maintainer(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_MAINTAINER || ctx->df->ins[i].kind == SHP_DF_ONBUILD)
			continue;
		shp_lint_report(ctx, in, "MAINTAINER", "MAINTAINER is deprecated: use LABEL maintainer=\"...\"");
		/* LABEL substitutes variables and reads escapes: \ " $ are escaped (only with the
		 * default escape character: with ` the value is left for a person to write) */
		if (ctx->df->escape != '\\' && strpbrk(in->args, "\\\"$`"))
			continue;
		struct shp_buf b = {0};
		shp_buf_puts(&b, "LABEL maintainer=\"");
		for (const char *p = in->args; *p; p++) {
			if (strchr("\\\"$", *p))
				shp_buf_putc(&b, '\\');
			shp_buf_putc(&b, *p);
		}
		shp_buf_putc(&b, '"');
		shp_lint_fix(ctx, SHP_FIX_INSTR, in, NULL, 0, b.data);
		shp_buf_free(&b);
	}
}

const struct shp_rule shp_rules_df_instr[] = {
	{.id = "SHP1080",
	 .slug = "workdir-relative",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "WORKDIR is a relative path",
	 .rationale = "A relative WORKDIR depends on every WORKDIR before it, including the base image's.",
	 .remediation = "Use an absolute path.",
	 .aliases = {"DL3000", "DS009"},
	 .check_dockerfile = check_workdir},
	{.id = "SHP1081",
	 .slug = "expose-invalid-port",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "EXPOSE of an invalid port",
	 .rationale = "Ports range from 0 to 65535; anything else is a typo.",
	 .remediation = "Fix the port number.",
	 .aliases = {"DL3011", "DS008"},
	 .check_dockerfile = check_ports},
	{.id = "SHP1082",
	 .slug = "expose-ssh",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "Port 22 exposed",
	 .rationale = "An SSH daemon in a container is a second, unaudited entry point with its own keys.",
	 .remediation = "Remove sshd and EXPOSE 22; use docker exec / kubectl exec for debugging.",
	 .aliases = {"DS004", "CIS-5.7"},
	 .check_dockerfile = check_expose_ssh},
	{.id = "SHP1083",
	 .slug = "multiple-healthcheck",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "Several HEALTHCHECK instructions in a stage",
	 .rationale = "Only the last HEALTHCHECK takes effect; the others mislead readers.",
	 .remediation = "Keep one HEALTHCHECK per stage.",
	 .aliases = {"DL3012", "DS023"},
	 .check_dockerfile = check_multi_healthcheck},
	{.id = "SHP1084",
	 .slug = "add-instead-of-copy",
	 .severity = SHP_SEV_LOW,
	 .title = "ADD used for plain files",
	 .rationale = "ADD has implicit behaviours (URLs, archive extraction); COPY does only what it says.",
	 .remediation = "Use COPY for local files and directories.",
	 .aliases = {"DL3020", "DS005", "CIS-DI-0009", "CIS-4.9"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_add},
	{.id = "SHP1085",
	 .slug = "add-remote-url",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "ADD of a remote URL without a checksum",
	 .rationale = "ADD downloads at build time without verifying what it got.",
	 .remediation = "Use ADD --checksum=sha256:..., or curl with a checksum check in RUN.",
	 .aliases = {},
	 .check_dockerfile = check_add_url},
	{.id = "SHP1086",
	 .slug = "copy-dest-not-dir",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "COPY with several sources to a destination without /",
	 .rationale = "With more than one source, the destination must be a directory ending in /.",
	 .remediation = "End the destination with /.",
	 .aliases = {"DL3021", "DS011"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_copy_dest},
	{.id = "SHP1087",
	 .slug = "shell-form-cmd",
	 .severity = SHP_SEV_LOW,
	 .title = "CMD, ENTRYPOINT or HEALTHCHECK CMD in shell form",
	 .rationale = "In shell form the program runs under /bin/sh -c and does not receive SIGTERM, so "
		      "containers are killed instead of stopped; a shell-form HEALTHCHECK fails in an image "
		      "without /bin/sh.",
	 .remediation = "Use exec form: CMD [\"prog\", \"arg\"] (HEALTHCHECK CMD [\"prog\", \"arg\"]).",
	 .aliases = {"DL3025"},
	 .fixable = SHP_FIX_CHANGES_BUILD,
	 .check_dockerfile = check_exec_form},
	{.id = "SHP1088",
	 .slug = "invalid-exec-form",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "Malformed JSON exec form",
	 .rationale = "A bracketed argument list that is not valid JSON (single quotes, missing commas) is run "
		      "by /bin/sh as text, which is never what was meant.",
	 .remediation = "Use double quotes and commas: [\"prog\", \"arg\"].",
	 .aliases = {},
	 .check_dockerfile = check_invalid_json},
	{.id = "SHP1089",
	 .slug = "onbuild-forbidden",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "ONBUILD of ONBUILD, FROM or MAINTAINER",
	 .rationale = "These instructions are not allowed as ONBUILD triggers; the child build fails.",
	 .remediation = "Remove the trigger.",
	 .aliases = {"DL3043"},
	 .check_dockerfile = check_onbuild},
	{.id = "SHP1090",
	 .slug = "env-self-reference",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "ENV refers to a variable set in the same ENV",
	 .rationale = "All values of one ENV are expanded before any is set, so the reference gets the old value.",
	 .remediation = "Split into two ENV instructions.",
	 .aliases = {"DL3044"},
	 .check_dockerfile = check_env_self_ref},
	{.id = "SHP1091",
	 .slug = "copy-relative-no-workdir",
	 .severity = SHP_SEV_LOW,
	 .title = "COPY to a relative path without WORKDIR",
	 .rationale = "The destination depends on the base image's working directory.",
	 .remediation = "Set WORKDIR first, or use an absolute destination.",
	 .aliases = {"DL3045"},
	 .check_dockerfile = check_copy_relative},
	{.id = "SHP1092",
	 .slug = "label-key-invalid",
	 .severity = SHP_SEV_INFO,
	 .title = "Invalid label key",
	 .rationale = "Label keys should be lowercase reverse-DNS names; com.docker.*, io.docker.* and "
		      "org.dockerproject.* are reserved.",
	 .remediation = "Use keys like org.opencontainers.image.source.",
	 .aliases = {"DL3048"},
	 .check_dockerfile = check_label_keys},
	{.id = "SHP1093",
	 .slug = "no-healthcheck",
	 .severity = SHP_SEV_INFO,
	 .title = "No HEALTHCHECK in the final image",
	 .rationale = "Without a health check the engine cannot see a hung service.",
	 .remediation = "Add HEALTHCHECK CMD [...], or HEALTHCHECK NONE where the orchestrator probes instead.",
	 .aliases = {"DL3057", "DS026", "CIS-DI-0006", "CIS-4.6"},
	 .check_dockerfile = check_no_healthcheck},
	{.id = "SHP1094",
	 .slug = "consecutive-run",
	 .severity = SHP_SEV_INFO,
	 .title = "Consecutive RUN instructions",
	 .rationale = "Each RUN makes a layer; consecutive single commands can share one.",
	 .remediation = "Join them with &&.",
	 .aliases = {"DL3059"},
	 .check_dockerfile = check_consecutive_run},
	{.id = "SHP1095",
	 .slug = "copy-whole-filesystem",
	 .severity = SHP_SEV_LOW,
	 .title = "COPY --from of a whole filesystem",
	 .rationale = "Copying / from another stage drags its package manager, shells and caches along.",
	 .remediation = "Copy only the files the application needs.",
	 .aliases = {"DL3067"},
	 .check_dockerfile = check_copy_rootfs},
	{.id = "SHP1096",
	 .slug = "maintainer-deprecated",
	 .severity = SHP_SEV_INFO,
	 .title = "MAINTAINER is deprecated",
	 .rationale = "MAINTAINER was replaced by labels.",
	 .remediation = "Use LABEL maintainer=\"name <email>\".",
	 .aliases = {"DL4000", "DS022"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_maintainer},
	{.id = "SHP1097",
	 .slug = "multiple-cmd",
	 .severity = SHP_SEV_LOW,
	 .title = "Several CMD instructions in a stage",
	 .rationale = "Only the last CMD takes effect.",
	 .remediation = "Keep one CMD per stage.",
	 .aliases = {"DL4003", "DS016"},
	 .check_dockerfile = check_multi_cmd},
	{.id = "SHP1098",
	 .slug = "multiple-entrypoint",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "Several ENTRYPOINT instructions in a stage",
	 .rationale = "Only the last ENTRYPOINT takes effect.",
	 .remediation = "Keep one ENTRYPOINT per stage.",
	 .aliases = {"DL4004", "DS007"},
	 .check_dockerfile = check_multi_entrypoint},
	{.id = "SHP1099",
	 .slug = "workdir-system-dir",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "WORKDIR in a system directory",
	 .rationale = "/proc, /sys and /dev are the kernel's and are mounted over at run time; /boot, /initrd and "
		      "/lost+found are the host's. Files written there are lost or land where they do not belong.",
	 .remediation = "Work in a directory of the application's own, such as /app or /srv/app.",
	 .aliases = {"DS030"},
	 .check_dockerfile = check_workdir_system},
	{0},
};
