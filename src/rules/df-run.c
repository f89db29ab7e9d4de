/* df-run.c - rules about the commands RUN executes: sudo, cd, pointless tools,
 * curl|sh, chmod 777, wget/curl, pipefail, replacing /bin/sh, archives. */
#include "rules/df-util.h"
#include "rules/families.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void check_pointless(struct shp_lint_ctx *ctx)
{
	static const char *const tools[] = {"ssh", "vim",  "shutdown", "service",  "ps", "free",
					    "top", "kill", "mount",    "ifconfig", NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c,
		     SHP_P(SSH) | SHP_P(VIM) | SHP_P(SHUTDOWN) | SHP_P(SERVICE) | SHP_P(PS) | SHP_P(FREE) | SHP_P(TOP) |
			     SHP_P(KILL) | SHP_P(MOUNT) | SHP_P(IFCONFIG))
	{
		if (cmd_prog_in(c, tools))
			shp_lint_report_cmd(ctx, in, c, c->argv[0], "\"%s\" makes no sense in an image build",
					    c->argv[0]);
	}
}

static void check_cd(struct shp_lint_ctx *ctx)
{
	static const char *const cd[] = {"cd", NULL};
	size_t reported = (size_t)-1;
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(CD))
	{
		if (cmd_prog_in(c, cd) && !c->nested && reported != i) {
			shp_lint_report_cmd(ctx, in, c, c->argc > 1 ? c->argv[1] : "cd",
					    "cd in RUN: use WORKDIR to change directory");
			reported = i; /* once per RUN */
		}
	}
}

static void check_sudo(struct shp_lint_ctx *ctx)
{
	static const char *const sudo[] = {"sudo", NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(SUDO))
	{
		if (cmd_prog_in(c, sudo))
			shp_lint_report_cmd(ctx, in, c, "sudo",
					    "sudo in RUN: the build already runs as the USER it needs");
	}
}

static void check_wget_progress(struct shp_lint_ctx *ctx)
{
	static const char *const wget[] = {"wget", NULL};
	static const char *const quiet[] = {"--progress",    "-q", "--quiet",	      "-nv", "--no-verbose", "-o",
					    "--output-file", "-a", "--append-output", NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(WGET))
	{
		if (!cmd_prog_in(c, wget))
			continue;
		int ok = 0;
		for (int q = 0; quiet[q]; q++)
			if (shp_sh_has_flag(c, quiet[q]))
				ok = 1;
		if (!ok) {
			shp_lint_report_cmd(ctx, in, c, "wget",
					    "wget without --progress fills the build log with progress bars");
			shp_lint_fix(ctx, SHP_FIX_AFTER_WORD, in, c, 0, "--progress=dot:giga");
		}
	}
}

static int uses(const struct shp_df_instr *in, const char *prog)
{
	if (!df_is_shell_run(in))
		return 0;
	for (size_t k = 0; k < in->sh.n; k++)
		if (!strcmp(shp_sh_prog(&in->sh.cmds[k]), prog))
			return 1;
	return 0;
}

static void check_wget_and_curl(struct shp_lint_ctx *ctx)
{
	const struct shp_dockerfile *df = ctx->df;
	int stage = -2, seen_wget = 0, seen_curl = 0;
	DF_FOREACH(df, i, in)
	{
		if (in->stage != stage) {
			stage = in->stage;
			seen_wget = seen_curl = 0;
		}
		int w = uses(in, "wget"), c = uses(in, "curl");
		if ((w && (seen_curl || c)) || (c && seen_wget))
			shp_lint_report(ctx, in, w ? "wget" : "curl",
					"both wget and curl are used in this stage; one tool is enough");
		seen_wget |= w;
		seen_curl |= c;
	}
}

static void check_replace_sh(struct shp_lint_ctx *ctx)
{
	static const char *const ln[] = {"ln", NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(LN))
	{
		if (cmd_prog_in(c, ln) && c->argc > 2 && !strcmp(c->argv[c->argc - 1], "/bin/sh"))
			shp_lint_report_cmd(ctx, in, c, "/bin/sh",
					    "RUN replaces /bin/sh: use the SHELL instruction instead");
	}
}

static int pipefail_shell(const struct shp_df_instr *in)
{
	if (!in->json || !in->argc)
		return 0;
	const char *sh = path_base(in->argv[0]);
	int capable = !strcmp(sh, "bash") || !strcmp(sh, "zsh") || !strcmp(sh, "ash") || !strcmp(sh, "ksh") ||
		      !strcmp(sh, "mksh");
	for (size_t a = 1; capable && a < in->argc; a++)
		if (strstr(in->argv[a], "pipefail"))
			return 1;
	return 0;
}

/* Is the SHELL in effect at instruction idx a shell with pipefail on? The parser knows
 * the SHELL of each instruction's stage; a stage without one inherits its parent's. */
static int shell_pipefail(const struct shp_dockerfile *df, size_t idx)
{
	size_t sh = df->ins[idx].shell;
	int s = df->ins[idx].stage;
	for (int hop = 0; sh == SHP_DF_NONE && s >= 0 && hop < SHP_DF_MAX_STAGE_CHAIN; hop++) {
		s = df->stages[s].parent;
		if (s >= 0)
			sh = df->stages[s].last_shell;
	}
	return sh != SHP_DF_NONE && pipefail_shell(shp_df_eff(&df->ins[sh]));
}

static void check_pipefail(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (!df_is_shell_run(in) || !in->sh.has_pipe || in->json)
			continue;
		int set_pf = 0;
		const struct shp_sh_cmd *piped = NULL;
		for (size_t k = 0; k < in->sh.n && !piped; k++) {
			const struct shp_sh_cmd *c = &in->sh.cmds[k];
			if (!strcmp(shp_sh_prog(c), "set"))
				for (size_t a = 1; a < c->argc; a++)
					if (!strcmp(c->argv[a], "pipefail"))
						set_pf = 1;
			if (c->pipe_out && !set_pf)
				piped = c;
		}
		if (piped && !shell_pipefail(ctx->df, i))
			shp_lint_report_cmd(ctx, in, piped, "|",
					    "a pipe in RUN hides failures of all but the last command; set SHELL "
					    "[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]");
	}
}

static int is_interpreter(const char *p)
{
	static const char *const sh[] = {"sh",	    "bash", "ash",  "dash", "zsh", "ksh", "python",
					 "python3", "perl", "ruby", "node", "php", NULL};
	return str_in(p, sh);
}

static void check_pipe_to_shell(struct shp_lint_ctx *ctx)
{
	static const char *const dl[] = {"curl", "wget", NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(CURL) | SHP_P(WGET) | SHELLS)
	{
		if (cmd_prog_in(c, dl) && c->pipe_out && k + 1 < in->sh.n) {
			const struct shp_sh_cmd *n = &in->sh.cmds[k + 1];
			const char *p = shp_sh_prog(n);
			if (!strcmp(p, "sudo") && n->argc > 1)
				p = path_base(n->argv[1]);
			if (n->pipe_in && is_interpreter(p)) {
				shp_lint_report_cmd(ctx, in, c, c->argv[0],
						    "%s output is piped into %s: code from the network runs unchecked",
						    c->argv[0], p);
				continue;
			}
		}
		/* sh -c "$(curl ...)" */
		if (is_interpreter(shp_sh_prog(c)))
			for (size_t a = 1; a < c->argc; a++)
				if (strstr(c->argv[a], "$(curl") || strstr(c->argv[a], "$(wget") ||
				    strstr(c->argv[a], "`curl") || strstr(c->argv[a], "`wget")) {
					shp_lint_report_cmd(ctx, in, c, c->argv[0],
							    "%s runs a script downloaded in the same command",
							    c->argv[0]);
					break;
				}
	}
}

/* Does a chmod mode grant write to others (without the sticky bit)? */
static int world_writable(const char *m)
{
	size_t n = strlen(m);
	if (n >= 3 && n <= 4 && strspn(m, "01234567") == n) {
		int other = m[n - 1] - '0';
		int sticky = n == 4 && ((m[0] - '0') & 1);
		return (other & 2) && !sticky;
	}
	/* Symbolic: clauses like o+w, a+rwx, ugo=rwx. */
	for (const char *cl = m; cl && *cl;) {
		const char *e = strchr(cl, ',');
		size_t len = e ? (size_t)(e - cl) : strlen(cl);
		size_t who = strspn(cl, "ugoa");
		int others = 0;
		for (size_t k = 0; k < who; k++)
			if (cl[k] == 'o' || cl[k] == 'a')
				others = 1;
		if (others && who < len && (cl[who] == '+' || cl[who] == '=') && memchr(cl + who, 'w', len - who))
			return 1;
		cl = e ? e + 1 : NULL;
	}
	return 0;
}

/* Is every operand from argv[from] on removed by an rm after command k of the same RUN?
 * (tempDir="$(mktemp -d)" && chmod 777 "$tempDir" ... && rm -rf "$tempDir": nothing
 * world-writable is left in the layer.) */
static int removed_later(const struct shp_df_instr *in, size_t k, const struct shp_sh_cmd *c, size_t from)
{
	size_t ops = 0;
	for (size_t a = from; a < c->argc; a++) {
		if (c->argv[a][0] == '-')
			continue;
		int gone = 0;
		for (size_t r = k + 1; r < in->sh.n && !gone; r++) {
			const struct shp_sh_cmd *rm = &in->sh.cmds[r];
			if (strcmp(shp_sh_prog(rm), "rm"))
				continue;
			for (size_t b = 1; b < rm->argc && !gone; b++)
				gone = !strcmp(rm->argv[b], c->argv[a]);
		}
		if (!gone)
			return 0;
		ops++;
	}
	return ops > 0;
}

static void check_chmod(struct shp_lint_ctx *ctx)
{
	static const char *const chmod[] = {"chmod", NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(CHMOD))
	{
		if (!cmd_prog_in(c, chmod))
			continue;
		for (size_t a = 1; a < c->argc; a++) {
			if (c->argv[a][0] == '-' && !strchr(c->argv[a], 'w'))
				continue;
			if (world_writable(c->argv[a])) {
				if (removed_later(in, k, c, a + 1))
					break;
				shp_lint_report_cmd(ctx, in, c, c->argv[a],
						    "chmod %s makes files writable by every user", c->argv[a]);
				break;
			}
			if (c->argv[a][0] != '-')
				break; /* the mode is the first operand */
		}
	}
}

static int is_archive(const char *p)
{
	static const char *const ext[] = {".tar",    ".tar.gz", ".tgz",	    ".tar.bz2", ".tbz2", ".tbz",
					  ".tar.xz", ".txz",	".tar.zst", ".tar.lz",	NULL};
	for (int k = 0; ext[k]; k++)
		if (ends_with(p, ext[k]))
			return 1;
	return 0;
}

static void check_copy_then_extract(struct shp_lint_ctx *ctx)
{
	const struct shp_dockerfile *df = ctx->df;
	const char *archives[64];
	size_t na = 0;
	int stage = -2;
	DF_FOREACH(df, i, in)
	{
		if (in->stage != stage) {
			stage = in->stage;
			na = 0;
		}
		if (in->kind == SHP_DF_COPY && !shp_df_has_flag(in, "from") && in->argc >= 2) {
			for (size_t a = 0; a + 1 < in->argc && na < 64; a++)
				if (is_archive(in->argv[a]))
					archives[na++] = path_base(in->argv[a]);
			continue;
		}
		if (!na || !df_is_shell_run(in))
			continue;
		for (size_t k = 0; k < in->sh.n; k++) {
			const struct shp_sh_cmd *c = &in->sh.cmds[k];
			if (strcmp(shp_sh_prog(c), "tar"))
				continue;
			int extract = 0;
			for (size_t a = 1; a < c->argc; a++) {
				const char *w = c->argv[a];
				if (!strcmp(w, "--extract") || !strcmp(w, "--get") ||
				    (w[0] == '-' && w[1] != '-' && strchr(w, 'x')) ||
				    (a == 1 && w[0] != '-' && strchr(w, 'x')))
					extract = 1;
			}
			if (!extract)
				continue;
			for (size_t a = 1; a < c->argc; a++)
				for (size_t j = 0; j < na; j++)
					if (!strcmp(path_base(c->argv[a]), archives[j])) {
						shp_lint_report_cmd(
							ctx, in, c, archives[j],
							"%s is copied and then extracted: ADD extracts local "
							"archives in one layer",
							archives[j]);
						goto next;
					}
		}
	next:;
	}
}

const struct shp_rule shp_rules_df_run[] = {
	{.id = "SHP1060",
	 .slug = "pointless-command",
	 .severity = SHP_SEV_INFO,
	 .title = "Command that makes no sense in a build",
	 .rationale = "ssh, vim, shutdown, service, ps, top, kill, mount and ifconfig do nothing useful while an "
		      "image is built, and often hint at a VM mindset.",
	 .remediation = "Remove the command; configure services through the entrypoint.",
	 .aliases = {"DL3001"},
	 .check_dockerfile = check_pointless},
	{.id = "SHP1061",
	 .slug = "run-cd",
	 .severity = SHP_SEV_LOW,
	 .title = "cd in RUN instead of WORKDIR",
	 .rationale = "cd only lasts for one RUN; WORKDIR states the directory for every later instruction.",
	 .remediation = "Use WORKDIR /path.",
	 .aliases = {"DL3003", "DS013"},
	 .check_dockerfile = check_cd},
	{.id = "SHP1062",
	 .slug = "run-sudo",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "sudo in RUN",
	 .rationale = "sudo in an image means a TTY-less, unpredictable privilege change and a setuid binary left "
		      "in the image.",
	 .remediation = "Run the step as root (USER root) and switch back, or use gosu/su-exec in the entrypoint.",
	 .aliases = {"DL3004", "DS010", "DKL-DI-0001"},
	 .check_dockerfile = check_sudo},
	{.id = "SHP1063",
	 .slug = "wget-progress",
	 .severity = SHP_SEV_INFO,
	 .title = "wget without --progress",
	 .rationale = "wget's default progress bar floods CI logs.",
	 .remediation = "Use wget --progress=dot:giga, -q or -nv.",
	 .aliases = {"DL3047"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_wget_progress},
	{.id = "SHP1064",
	 .slug = "wget-and-curl",
	 .severity = SHP_SEV_LOW,
	 .title = "Both wget and curl used",
	 .rationale = "Two download tools in one stage means two tools installed, two attack surfaces.",
	 .remediation = "Use one of them throughout the stage.",
	 .aliases = {"DL4001", "DS014"},
	 .check_dockerfile = check_wget_and_curl},
	{.id = "SHP1065",
	 .slug = "replace-bin-sh",
	 .severity = SHP_SEV_LOW,
	 .title = "RUN replaces /bin/sh",
	 .rationale = "Relinking /bin/sh changes the shell of every later script in the image silently.",
	 .remediation = "Use the SHELL instruction.",
	 .aliases = {"DL4005"},
	 .check_dockerfile = check_replace_sh},
	{.id = "SHP1066",
	 .slug = "pipefail",
	 .severity = SHP_SEV_LOW,
	 .title = "Pipe in RUN without pipefail",
	 .rationale = "/bin/sh reports only the last command of a pipeline: a failed download piped into tar "
		      "or sha256sum passes silently.",
	 .remediation = "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] before the RUN.",
	 .aliases = {"DL4006"},
	 .check_dockerfile = check_pipefail},
	{.id = "SHP1067",
	 .slug = "curl-pipe-shell",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "Downloaded script piped into a shell",
	 .rationale = "curl | sh runs whatever the server sends, unreviewed and unverified, as the build user.",
	 .remediation = "Download to a file, verify its checksum or signature, then run it.",
	 .aliases = {},
	 .check_dockerfile = check_pipe_to_shell},
	{.id = "SHP1068",
	 .slug = "chmod-world-writable",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "chmod makes files world-writable",
	 .rationale = "chmod 777 / o+w lets any user in the container replace binaries, scripts or config.",
	 .remediation = "Grant only what is needed (e.g. 755 or 750) and set the owner with chown.",
	 .aliases = {},
	 .check_dockerfile = check_chmod},
	{.id = "SHP1069",
	 .slug = "copy-then-extract",
	 .severity = SHP_SEV_INFO,
	 .title = "Archive copied, then extracted",
	 .rationale = "COPY + tar -x keeps the archive in one layer and its contents in another.",
	 .remediation = "ADD the local archive (it is extracted in one step), or extract in a build stage.",
	 .aliases = {"DL3010"},
	 .check_dockerfile = check_copy_then_extract},
	{0},
};
