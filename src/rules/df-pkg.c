/* df-pkg.c - package-manager hygiene in RUN: pinned versions, non-interactive flags,
 * no recommends, caches removed in the same layer (or a BuildKit cache mount), for
 * apt, apk, yum, dnf/microdnf, zypper, pip, npm, gem, go and yarn. */
#include "rules/df-util.h"
#include "rules/families.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAXOPS 256

/* Walks the shell commands of every POSIX RUN (and ONBUILD RUN). */
/* The pinning rules share one shape: for each "<prog> <install-subcommand> operands...",
 * report the first operand pinned() rejects, e.g. "apt-get install curl without a version
 * (curl=<version>)". */
struct pin_spec {
	uint64_t mask; /* SHP_P() bits of progs */
	const char *const *progs, *const *subs, *const *vflags;
	int (*pinned)(const char *operand);
	const char *what, *hint;       /* "apt-get install", "=<version>" */
	const char *const *skip_flags; /* a command with one of these is pinned as a whole (or installs nothing) */
	int (*skip)(const struct shp_sh_cmd *c); /* or one this says yes to */
};

static int has_any_flag(const struct shp_sh_cmd *c, const char *const *flags)
{
	for (size_t f = 0; flags[f]; f++)
		if (shp_sh_has_flag(c, flags[f]))
			return 1;
	return 0;
}

static void check_pins(struct shp_lint_ctx *ctx, const struct pin_spec *ps)
{
	FOR_EACH_CMD(ctx->df, i, in, k, c, ps->mask)
	{
		size_t s;
		if (!cmd_is(c, ps->progs, ps->subs, ps->vflags, &s))
			continue;
		if ((ps->skip_flags && has_any_flag(c, ps->skip_flags)) || (ps->skip && ps->skip(c)))
			continue;
		const char *ops[MAXOPS];
		size_t n = cmd_operands(c, s + 1, ps->vflags, ops, MAXOPS);
		for (size_t j = 0; j < n; j++)
			if (!has_var(ops[j]) && !ps->pinned(ops[j])) {
				shp_lint_report_cmd(ctx, in, c, ops[j], "%s %s without a version (%s%s)", ps->what,
						    ops[j], ops[j], ps->hint);
				break;
			}
	}
}

/* ---- apt ---------------------------------------------------------------------------- */

static const char *const apt_get[] = {"apt-get", NULL};
static const char *const apt_any[] = {"apt-get", "apt", "aptitude", NULL};
static const char *const apt_vflags[] = {
	"-o", "-c", "-t", "--option", "--config-file", "--target-release", "--default-release", NULL};
static const char *const sub_install[] = {"install", NULL};

/* apt-get's no-action flags: a simulated install asks nothing and installs nothing. */
static const char *const apt_simulate[] = {"-s",       "--simulate", "--just-print", "--dry-run", "--recon",
					   "--no-act", NULL};

/* Any of apt-get's no-action flags, in one pass over the words. */
static int apt_simulates(const struct shp_sh_cmd *c)
{
	for (size_t a = 1; a < c->argc; a++) {
		const char *w = c->argv[a];
		if (w[0] != '-')
			continue;
		if (w[1] == '-') {
			if (!w[2])
				break;
			if (str_in(w, apt_simulate))
				return 1;
		} else if (strchr(w, 's') && shp_sh_has_flag(c, "-s")) {
			return 1;
		}
	}
	return 0;
}

/* "apt-get install" that really installs. */
static int apt_get_install(const struct shp_sh_cmd *c)
{
	return cmd_is(c, apt_get, sub_install, apt_vflags, NULL) && !apt_simulates(c);
}

static int apt_pinned(const char *p) { return strchr(p, '=') || strchr(p, '/') || ends_with(p, ".deb"); }

static void check_apt_pin(struct shp_lint_ctx *ctx)
{
	static const struct pin_spec ps = {.mask = SHP_P(APT_GET),
					   .progs = apt_get,
					   .subs = sub_install,
					   .vflags = apt_vflags,
					   .pinned = apt_pinned,
					   .what = "apt-get install",
					   .hint = "=<version>",
					   .skip = apt_simulates};
	check_pins(ctx, &ps);
}

/* Whether command a of a RUN comes after command b (SIZE_MAX: none) in the RUN's text. The
 * commands inside $(...) and `...` follow all outer ones in in->sh.cmds, so the order of the
 * text is the order of the program words' offsets, not of the indices. */
static int later(const struct shp_df_instr *in, size_t a, size_t b)
{
	return b == SIZE_MAX || in->sh.cmds[a].off > in->sh.cmds[b].off;
}

static int rm_path(const struct shp_sh_cmd *c, const char *prefix)
{
	if (strcmp(shp_sh_prog(c), "rm"))
		return 0;
	for (size_t a = 1; a < c->argc; a++)
		if (starts_with(c->argv[a], prefix))
			return 1;
	return 0;
}

/* A RUN that installs with apt, and after which no RUN installs with apt without its own
 * update first: removing the lists at its end breaks no later install. */
static int apt_lists_removable(const struct shp_dockerfile *df, size_t idx, const struct shp_df_instr *run)
{
	static const char *const upd[] = {"update", NULL};
	int installs = 0;
	for (size_t k = 0; k < run->sh.n; k++)
		installs |= cmd_is(&run->sh.cmds[k], apt_any, sub_install, apt_vflags, NULL);
	if (!installs)
		return 0;
	for (size_t j = idx + 1; j < df->n; j++) {
		const struct shp_df_instr *in = shp_df_eff(&df->ins[j]);
		if (in->kind != SHP_DF_RUN || !(in->sh.pmask & (SHP_P(APT_GET) | SHP_P(APT) | SHP_P(APTITUDE))))
			continue;
		for (size_t k = 0; k < in->sh.n; k++) {
			const struct shp_sh_cmd *c = &in->sh.cmds[k];
			if (cmd_is(c, apt_any, upd, apt_vflags, NULL))
				break;
			if (cmd_is(c, apt_any, sub_install, apt_vflags, NULL)) {
				if (!shp_sh_has_flag(c, "--update")) /* apt 2.7's install --update updates first */
					return 0;
				break;
			}
		}
	}
	return 1;
}

static void check_apt_lists(struct shp_lint_ctx *ctx)
{
	static const char *const subs[] = {"update", "install", NULL};
	static const char *const dist_clean[] = {"dist-clean", NULL};
	DF_FOREACH(ctx->df, i, in)
	{
		if (!df_is_shell_run(in) || !(in->sh.pmask & (SHP_P(APT_GET) | SHP_P(APT) | SHP_P(APTITUDE))))
			continue;
		size_t first = SIZE_MAX, cleaned = SIZE_MAX;
		for (size_t k = 0; k < in->sh.n; k++) {
			const struct shp_sh_cmd *c = &in->sh.cmds[k];
			if (cmd_is(c, apt_any, subs, apt_vflags, NULL) && (first == SIZE_MAX || !later(in, k, first)))
				first = k;
			/* apt 2.7's dist-clean removes the lists too */
			if ((rm_path(c, "/var/lib/apt/lists") || cmd_is(c, apt_any, dist_clean, apt_vflags, NULL)) &&
			    later(in, k, cleaned))
				cleaned = k;
		}
		if (first == SIZE_MAX || (cleaned != SIZE_MAX && later(in, cleaned, first)))
			continue;
		if (run_has_cache_mount(in, "/var/lib/apt/lists", 0) ||
		    (run_has_cache_mount(in, "/var/lib/apt", 0) && run_has_cache_mount(in, "/var/cache/apt", 0)))
			continue;
		shp_lint_report_cmd(ctx, in, &in->sh.cmds[first], in->sh.cmds[first].argv[0],
				    "apt lists are left in the layer: add \"rm -rf /var/lib/apt/lists/*\" to this RUN");
		if (apt_lists_removable(ctx->df, i, in))
			shp_lint_fix(ctx, SHP_FIX_APPEND, in, NULL, 0, "rm -rf /var/lib/apt/lists/*");
	}
}

static void check_apt_yes(struct shp_lint_ctx *ctx)
{
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(APT_GET))
	{
		if (!apt_get_install(c))
			continue;
		if (shp_sh_has_flag(c, "-y") || shp_sh_has_flag(c, "--yes") || shp_sh_has_flag(c, "--assume-yes"))
			continue;
		/* Quiet level 2 (-qq, -q -q, -q=2, --quiet --quiet) implies --assume-yes, and so
		 * does the option itself (-o APT::Get::Assume-Yes=true). */
		int q = 0;
		for (size_t a = 1; a < c->argc; a++) {
			const char *w = c->argv[a], *o = strcasestr(w, "APT::Get::Assume-Yes=");
			if (o && strchr("tTyY1", o[21]))
				q += 2;
			else if (!strcmp(w, "-q=2") || !strcmp(w, "--quiet=2"))
				q += 2;
			else if (!strcmp(w, "--quiet"))
				q++;
			else if (w[0] == '-' && w[1] != '-')
				for (const char *x = w + 1; *x && *x != '='; x++)
					q += *x == 'q';
		}
		if (q < 2) {
			shp_lint_report_cmd(ctx, in, c, "apt-get install",
					    "apt-get install without -y waits for an answer");
			shp_lint_fix(ctx, SHP_FIX_AFTER_WORD, in, c, cmd_subcmd(c, 1, apt_vflags), "-y");
		}
	}
}

static void check_apt_recommends(struct shp_lint_ctx *ctx)
{
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(APT_GET))
	{
		if (!apt_get_install(c))
			continue;
		if (shp_sh_has_flag(c, "--no-install-recommends"))
			continue;
		int opt = 0;
		for (size_t a = 1; a < c->argc; a++)
			if (strcasestr(c->argv[a], "APT::Install-Recommends=false") ||
			    strcasestr(c->argv[a], "APT::Install-Recommends=0"))
				opt = 1;
		if (!opt) {
			shp_lint_report_cmd(ctx, in, c, "apt-get install",
					    "apt-get install without --no-install-recommends pulls in extra packages");
			shp_lint_fix(ctx, SHP_FIX_AFTER_WORD, in, c, cmd_subcmd(c, 1, apt_vflags),
				     "--no-install-recommends");
		}
	}
}

static void check_apt_cli(struct shp_lint_ctx *ctx)
{
	static const char *const apt[] = {"apt", NULL};
	/* what apt-get does the same way (not apt's list, search, show, edit-sources, full-upgrade) */
	static const char *const same[] = {"install",	 "remove",    "purge", "update",    "upgrade", "dist-upgrade",
					   "autoremove", "autopurge", "clean", "autoclean", "source",  "build-dep",
					   "download",	 "satisfy",   "check", NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(APT))
	{
		if (!cmd_prog_in(c, apt) || c->argc <= 1)
			continue;
		shp_lint_report_cmd(ctx, in, c, "apt", "apt is meant for terminals; its CLI is not stable for scripts");
		if (cmd_is(c, apt, same, apt_vflags, NULL)) {
			size_t dir = (size_t)(c->prog - c->argv[0]); /* prog is "apt", the tail of argv[0] */
			_cleanup_free_ char *w = shp_xmalloc(dir + sizeof "apt-get");
			memcpy(w, c->argv[0], dir);
			strcpy(w + dir, "apt-get");
			shp_lint_fix(ctx, SHP_FIX_WORD, in, c, 0, w);
		}
	}
}

/* ---- apk ------------------------------------------------------------------------------ */

static const char *const apk[] = {"apk", NULL};
static const char *const apk_vflags[] = {"-t",	   "--virtual",	  "-X",	    "--repository", "-p",
					 "--root", "--cache-dir", "--arch", "--keys-dir",   "--repositories-file",
					 NULL};
static const char *const sub_add[] = {"add", NULL};

static const char *const apk_simulate[] = {"-s", "--simulate", NULL};

static int apk_pinned(const char *p) { return strpbrk(p, "=~<>") || ends_with(p, ".apk"); }

static void check_apk_pin(struct shp_lint_ctx *ctx)
{
	static const struct pin_spec ps = {SHP_P(APK), apk,	  sub_add,	apk_vflags,
					   apk_pinned, "apk add", "=<version>", apk_simulate};
	check_pins(ctx, &ps);
}

static void check_apk_cache(struct shp_lint_ctx *ctx)
{
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(APK))
	{
		/* --no-network fetches nothing, so nothing is cached (docker-library's images install
		 * their run deps so, from what an earlier apk add of the same RUN fetched) */
		if (!cmd_is(c, apk, sub_add, apk_vflags, NULL) || shp_sh_has_flag(c, "--no-cache") ||
		    shp_sh_has_flag(c, "--no-network") || has_any_flag(c, apk_simulate))
			continue;
		if (run_has_cache_mount(in, "/var/cache/apk", 0))
			continue;
		shp_lint_report_cmd(ctx, in, c, "apk add",
				    "apk add without --no-cache leaves the index in /var/cache/apk");
		shp_lint_fix(ctx, SHP_FIX_AFTER_WORD, in, c, cmd_subcmd(c, 1, apk_vflags), "--no-cache");
	}
}

/* ---- rpm family: yum, dnf, microdnf, zypper -------------------------------------------- */

static const char *const yum[] = {"yum", NULL};
static const char *const dnf[] = {"dnf", "dnf5", "microdnf", NULL};
static const char *const zypper[] = {"zypper", NULL};
static const char *const rpm_vflags[] = {
	"-c",		"--config",	  "--setopt",	 "--installroot", "--releasever",
	"--enablerepo", "--disablerepo",  "--repo",	 "--nodocs-x",	  "-x",
	"--exclude",	"--repofrompath", "--forcearch", "--color",	  NULL};
static const char *const yum_install[] = {"install", "groupinstall", "localinstall", "reinstall", "update", "upgrade",
					  NULL};
static const char *const dnf_install[] = {
	"install",   "in",  "upgrade",	    "up",	    "update",	   "up-min", "upgrade-minimal",
	"reinstall", "rei", "groupinstall", "localinstall", "distro-sync", "dsync",  NULL};
static const char *const zyp_vflags[] = {"-r",	   "--repo", "--root",	     "-R", "--from",	  "-t",
					 "--type", "-D",     "--reposd-dir", "-C", "--cache-dir", NULL};

/* "name-version" or "name-epoch:version": a dash followed by a digit. */
static int rpm_pinned(const char *p)
{
	if (ends_with(p, ".rpm") || strchr(p, '/') || has_var(p))
		return 1;
	for (const char *d = strchr(p, '-'); d; d = strchr(d + 1, '-'))
		if (isdigit((unsigned char)d[1]))
			return 1;
	return 0;
}

static void check_yum_yes(struct shp_lint_ctx *ctx)
{
	static const char *const subs[] = {"install", "groupinstall", "localinstall", "reinstall", "update",
					   "upgrade", "remove",	      "erase",	      "module",	   NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(YUM))
	{
		if (!cmd_is(c, yum, subs, rpm_vflags, NULL))
			continue;
		if (!shp_sh_has_flag(c, "-y") && !shp_sh_has_flag(c, "--assumeyes")) {
			shp_lint_report_cmd(ctx, in, c, "yum", "yum without -y waits for an answer");
			shp_lint_fix(ctx, SHP_FIX_AFTER_WORD, in, c, 0, "-y");
		}
	}
}

/* The cleanup rules: a package install in a RUN must be followed, later in that RUN, by
 * a cleanup command, unless a cache mount covers the cache directory. */
static void cleanup_rule(struct shp_lint_ctx *ctx, uint64_t mask, const char *const *progs, const char *const *subs,
			 int (*is_clean)(const struct shp_sh_cmd *, const char *), const char *const *mounts,
			 const char *msg, const char *clean)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (!df_is_shell_run(in) || !(in->sh.pmask & mask))
			continue;
		size_t last_install = SIZE_MAX, last_clean = SIZE_MAX;
		for (size_t k = 0; k < in->sh.n; k++)
			if (cmd_is(&in->sh.cmds[k], progs, subs, rpm_vflags, NULL) && later(in, k, last_install))
				last_install = k;
		if (last_install == SIZE_MAX)
			continue;
		const char *prog = shp_sh_prog(&in->sh.cmds[last_install]);
		for (size_t k = 0; k < in->sh.n; k++)
			if (is_clean(&in->sh.cmds[k], prog) && later(in, k, last_clean))
				last_clean = k;
		if (last_clean != SIZE_MAX && later(in, last_clean, last_install))
			continue;
		int mounted = 0;
		for (int m = 0; mounts[m]; m++)
			if (run_has_cache_mount(in, mounts[m], 1))
				mounted = 1;
		if (mounted)
			continue;
		shp_lint_report_cmd(ctx, in, &in->sh.cmds[last_install], in->sh.cmds[last_install].argv[0], "%s", msg);
		/* clean NULL: "<the installing program> clean all" */
		_cleanup_free_ char *fix = shp_xmalloc(strlen(clean ? clean : prog) + sizeof " clean all");
		strcpy(fix, clean ? clean : prog);
		if (!clean)
			strcat(fix, " clean all");
		shp_lint_fix(ctx, SHP_FIX_APPEND, in, NULL, 0, fix);
	}
}

/* "yum clean all" (or dnf's): "clean metadata", "clean expire-cache" or "clean dbcache" leave the
 * downloaded packages; "clean packages" leaves the metadata, often the larger part. A
 * variable may be "all". */
static int rpm_clean_all(const struct shp_sh_cmd *c, const char *const *progs)
{
	static const char *const subs[] = {"clean", NULL};
	size_t s;
	if (!cmd_is(c, progs, subs, rpm_vflags, &s))
		return 0;
	for (size_t a = s + 1; a < c->argc; a++)
		if (!strcmp(c->argv[a], "all") || has_var(c->argv[a]))
			return 1;
	return 0;
}

static int yum_clean(const struct shp_sh_cmd *c, const char *prog)
{
	(void)prog;
	return rpm_clean_all(c, yum) || rm_path(c, "/var/cache/yum");
}

static void check_yum_clean(struct shp_lint_ctx *ctx)
{
	static const char *const mounts[] = {"/var/cache/yum", NULL};
	cleanup_rule(ctx, SHP_P(YUM), yum, yum_install, yum_clean, mounts,
		     "yum cache left in the layer: end this RUN with \"yum clean all\"", "yum clean all");
}

static void pin_rule(struct shp_lint_ctx *ctx, uint64_t mask, const char *const *progs, const char *what)
{
	static const char *const subs[] = {"install", "in", "module", NULL};
	DF_FOREACH(ctx->df, i, in)
	{
		if (!df_is_shell_run(in) || !(in->sh.pmask & mask))
			continue;
		for (size_t k = 0; k < in->sh.n; k++) {
			const struct shp_sh_cmd *c = &in->sh.cmds[k];
			size_t s;
			if (!cmd_is(c, progs, subs, rpm_vflags, &s))
				continue;
			int module = 0;
			if (!strcmp(c->argv[s], "module")) {
				size_t t = cmd_subcmd(c, s + 1, rpm_vflags);
				if (t >= c->argc || strcmp(c->argv[t], "install"))
					continue;
				s = t;
				module = 1;
			}
			const char *ops[MAXOPS];
			size_t n = cmd_operands(c, s + 1, rpm_vflags, ops, MAXOPS);
			for (size_t j = 0; j < n; j++) {
				_cleanup_free_ char *x = df_expand_at(ctx->df, i, ops[j]);
				int ok = module ? strchr(x, ':') != NULL : rpm_pinned(x);
				if (ops[j][0] == '@')
					ok = 1; /* a group */
				if (!ok) {
					shp_lint_report_cmd(ctx, in, c, ops[j], "%s install %s without a version (%s)",
							    what, ops[j], module ? "module:stream" : "name-version");
					break;
				}
			}
		}
	}
}

static void check_yum_pin(struct shp_lint_ctx *ctx) { pin_rule(ctx, SHP_P(YUM), yum, "yum"); }

static void check_dnf_yes(struct shp_lint_ctx *ctx)
{
	static const char *const subs[] = {"install", "in", "groupinstall", "localinstall", "reinstall", "rei",
					   "upgrade", "up", "update",	    "remove",	    "rm",	 "module",
					   "group",   NULL};
	/* not microdnf: it never asks ("-y: does nothing, we always assume yes") */
	static const char *const dnfs[] = {"dnf", "dnf5", NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(DNF) | SHP_P(DNF5))
	{
		if (!cmd_is(c, dnfs, subs, rpm_vflags, NULL))
			continue;
		if (!shp_sh_has_flag(c, "-y") && !shp_sh_has_flag(c, "--assumeyes")) {
			shp_lint_report_cmd(ctx, in, c, shp_sh_prog(c), "%s without -y waits for an answer",
					    shp_sh_prog(c));
			shp_lint_fix(ctx, SHP_FIX_AFTER_WORD, in, c, 0, "-y");
		}
	}
}

static int dnf_clean(const struct shp_sh_cmd *c, const char *prog)
{
	const char *same[] = {prog ? prog : "dnf", NULL};
	return rpm_clean_all(c, prog ? same : dnf) || rm_path(c, "/var/cache/yum") || rm_path(c, "/var/cache/dnf") ||
	       rm_path(c, "/var/cache/libdnf5");
}

static void check_dnf_clean(struct shp_lint_ctx *ctx)
{
	static const char *const mounts[] = {"/var/cache/libdnf5", "/var/cache/dnf", "/var/cache/yum", NULL};
	cleanup_rule(ctx, SHP_P(DNF) | SHP_P(DNF5) | SHP_P(MICRODNF), dnf, dnf_install, dnf_clean, mounts,
		     "dnf cache left in the layer: end this RUN with \"dnf clean all\"", NULL);
}

static void check_dnf_pin(struct shp_lint_ctx *ctx)
{
	pin_rule(ctx, SHP_P(DNF) | SHP_P(DNF5) | SHP_P(MICRODNF), dnf, "dnf");
}

static void check_zypper_yes(struct shp_lint_ctx *ctx)
{
	static const char *const subs[] = {"install",	   "in",  "remove",	    "rm", "update", "up", "patch",
					   "dist-upgrade", "dup", "source-install", "si", NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(ZYPPER))
	{
		if (!cmd_is(c, zypper, subs, zyp_vflags, NULL))
			continue;
		if (!shp_sh_has_flag(c, "-n") && !shp_sh_has_flag(c, "--non-interactive") &&
		    !shp_sh_has_flag(c, "-y") && !shp_sh_has_flag(c, "--no-confirm")) {
			shp_lint_report_cmd(ctx, in, c, "zypper",
					    "zypper without -n/--non-interactive waits for an answer");
			shp_lint_fix(ctx, SHP_FIX_AFTER_WORD, in, c, 0, "-n"); /* a global option: before the command */
		}
	}
}

static void check_zypper_dup(struct shp_lint_ctx *ctx)
{
	static const char *const subs[] = {"dist-upgrade", "dup", NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(ZYPPER))
	{
		if (cmd_is(c, zypper, subs, zyp_vflags, NULL))
			shp_lint_report_cmd(ctx, in, c, "zypper dist-upgrade",
					    "zypper dist-upgrade upgrades the whole distribution inside the build");
	}
}

static int zypper_clean(const struct shp_sh_cmd *c, const char *prog)
{
	(void)prog;
	static const char *const subs[] = {"clean", "cc", NULL};
	return cmd_is(c, zypper, subs, zyp_vflags, NULL) || rm_path(c, "/var/cache/zypp");
}

static void check_zypper_clean(struct shp_lint_ctx *ctx)
{
	static const char *const subs[] = {"install",	   "in",  "update",	    "up", "patch",
					   "dist-upgrade", "dup", "source-install", "si", NULL};
	static const char *const mounts[] = {"/var/cache/zypp", NULL};
	cleanup_rule(ctx, SHP_P(ZYPPER), zypper, subs, zypper_clean, mounts,
		     "zypper cache left in the layer: end this RUN with \"zypper clean\"", "zypper clean");
}

static int zypper_pinned(const char *p) { return strpbrk(p, "=<>") || rpm_pinned(p); }

static void check_zypper_pin(struct shp_lint_ctx *ctx)
{
	static const char *const subs[] = {"install", "in", NULL};
	static const struct pin_spec ps = {SHP_P(ZYPPER), zypper,	    subs,	 zyp_vflags,
					   zypper_pinned, "zypper install", "=<version>"};
	check_pins(ctx, &ps);
}

/* ---- pip -------------------------------------------------------------------------------- */

static const char *const pip_vflags[] = {"-r",
					 "--requirement",
					 "-c",
					 "--constraint",
					 "-e",
					 "--editable",
					 "-i",
					 "--index-url",
					 "--extra-index-url",
					 "-f",
					 "--find-links",
					 "--trusted-host",
					 "-t",
					 "--target",
					 "--prefix",
					 "--root",
					 "--build",
					 "--src",
					 "--python",
					 "--root-user-action",
					 "--platform",
					 "--python-version",
					 "--implementation",
					 "--abi",
					 "--upgrade-strategy",
					 "--progress-bar",
					 "--log",
					 "--cache-dir",
					 "--proxy",
					 "--retries",
					 "--timeout",
					 "--global-option",
					 "--install-option",
					 "--config-settings",
					 "-C",
					 "--only-binary",
					 "--no-binary",
					 "--pip-args",
					 "--suffix",
					 "--spec",
					 NULL};

/* Returns the index of "install" for pip, pip3, pip3.11, pipx, python -m pip. */
static int pip_install(const struct shp_sh_cmd *c, size_t *s, int *is_pipx)
{
	const char *p = shp_sh_prog(c);
	size_t from = 1;
	*is_pipx = 0;
	if (!strncmp(p, "python", 6)) {
		size_t m = 1;
		while (m < c->argc && c->argv[m][0] == '-' && strcmp(c->argv[m], "-m"))
			m++;
		if (m + 1 >= c->argc || strcmp(c->argv[m], "-m") || strncmp(c->argv[m + 1], "pip", 3) ||
		    (c->argv[m + 1][3] && !isdigit((unsigned char)c->argv[m + 1][3])))
			return 0;
		from = m + 2;
	} else if (!strcmp(p, "pipx"))
		*is_pipx = 1;
	else if (strncmp(p, "pip", 3) || (p[3] && !isdigit((unsigned char)p[3])))
		return 0;
	size_t i = cmd_subcmd(c, from, pip_vflags);
	if (i >= c->argc || strcmp(c->argv[i], "install"))
		return 0;
	*s = i;
	return 1;
}

static int pip_pinned(const char *p)
{
	if (strstr(p, "==") || strpbrk(p, "<>!~") || has_var(p))
		return 1;
	if (starts_with(p, "git+") || starts_with(p, "hg+") || starts_with(p, "svn+") || starts_with(p, "bzr+"))
		return strchr(path_base(p), '@') != NULL;
	if (strstr(p, "://") || strchr(p, '/') || p[0] == '.' || ends_with(p, ".whl") || ends_with(p, ".tar.gz") ||
	    ends_with(p, ".zip") || ends_with(p, ".tgz"))
		return 1;
	if (strchr(p, '@'))
		return 1; /* PEP 508 direct reference */
	return 0;
}

static void check_pip_pin(struct shp_lint_ctx *ctx)
{
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(PIP) | SHP_P(PIPX) | SHP_P(PYTHON))
	{
		size_t s;
		int pipx;
		if (!pip_install(c, &s, &pipx) || shp_sh_has_flag(c, "-c") || shp_sh_has_flag(c, "--constraint"))
			continue;
		const char *ops[MAXOPS];
		size_t n = cmd_operands(c, s + 1, pip_vflags, ops, MAXOPS);
		for (size_t j = 0; j < n; j++) {
			if (pip_pinned(ops[j]))
				continue;
			shp_lint_report_cmd(ctx, in, c, ops[j], "pip install %s without a version (%s==<version>)",
					    ops[j], ops[j]);
			break;
		}
	}
}

static int truthy(const char *v)
{
	return v && (!strcasecmp(v, "1") || !strcasecmp(v, "on") || !strcasecmp(v, "yes") || !strcasecmp(v, "true"));
}

static void check_pip_cache(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (!df_is_shell_run(in) || !(in->sh.pmask & (SHP_P(PIP) | SHP_P(PYTHON))))
			continue;
		const char *env = shp_df_var(ctx->df, i, "PIP_NO_CACHE_DIR");
		int off = env && truthy(env);
		for (size_t k = 0; k < in->sh.n; k++) {
			const struct shp_sh_cmd *c = &in->sh.cmds[k];
			if (!strcmp(shp_sh_prog(c), "export"))
				for (size_t a = 1; a < c->argc; a++)
					if (starts_with(c->argv[a], "PIP_NO_CACHE_DIR="))
						off = truthy(c->argv[a] + 17);
			size_t s;
			int pipx;
			if (!pip_install(c, &s, &pipx) || pipx)
				continue;
			int here = off;
			for (size_t a = 0; a < c->nassigns; a++)
				if (starts_with(c->assigns[a], "PIP_NO_CACHE_DIR="))
					here = truthy(c->assigns[a] + 17);
			if (here || shp_sh_has_flag(c, "--no-cache-dir") ||
			    run_has_cache_mount(in, "/root/.cache/pip", 0))
				continue;
			shp_lint_report_cmd(ctx, in, c, "pip install",
					    "pip install without --no-cache-dir keeps the download cache in the layer");
			shp_lint_fix(ctx, SHP_FIX_AFTER_WORD, in, c, s, "--no-cache-dir");
		}
	}
}

/* ---- npm, gem, go, yarn ------------------------------------------------------------------ */

static int npm_pinned(const char *p)
{
	if (starts_with(p, "git") || strstr(p, "://"))
		return strchr(p, '#') != NULL; /* a commit or tag after # */
	if (p[0] == '.' || p[0] == '/' || p[0] == '~' || ends_with(p, ".tgz") || ends_with(p, ".tar.gz") ||
	    ends_with(p, ".tar"))
		return 1;
	return strchr(p + 1, '@') != NULL; /* name@version, @scope/name@version */
}

static void check_npm_pin(struct shp_lint_ctx *ctx)
{
	static const char *const npm[] = {"npm", NULL};
	static const char *const subs[] = {"install", "i", "add", "isntall", NULL};
	static const char *const vflags[] = {"--registry",   "--loglevel", "--prefix", "--cache",   "--tag", "-C",
					     "--userconfig", "--only",	   "--omit",   "--include", NULL};
	static const struct pin_spec ps = {SHP_P(NPM), npm, subs, vflags, npm_pinned, "npm install", "@<version>"};
	check_pins(ctx, &ps);
}

static int gem_pinned(const char *p)
{
	/* "true"/"false" are values of build flags such as --use-system-libraries true */
	return strchr(p, ':') || !strcmp(p, "true") || !strcmp(p, "false") || ends_with(p, ".gem");
}

static void check_gem_pin(struct shp_lint_ctx *ctx)
{
	static const char *const gem[] = {"gem", NULL};
	static const char *const subs[] = {"install", "i", NULL};
	static const char *const vflags[] = {
		"-v", "--version", "-i", "--install-dir", "-n", "--bindir", "--source", "-s", "--platform", "-N", NULL};
	static const char *const versioned[] = {"-v", "--version", NULL};
	static const struct pin_spec ps = {SHP_P(GEM), gem,	      subs,	    vflags,
					   gem_pinned, "gem install", ":<version>", versioned};
	check_pins(ctx, &ps);
}

static void check_go_pin(struct shp_lint_ctx *ctx)
{
	static const char *const go[] = {"go", NULL};
	static const char *const subs[] = {"install", "get", "run", NULL};
	static const char *const vflags[] = {"-ldflags", "-gcflags", "-tags",	  "-o",	   "-C", "-mod",
					     "-modfile", "-pkgdir",  "-toolexec", "-exec", NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(GO))
	{
		size_t s;
		if (!cmd_is(c, go, subs, vflags, &s))
			continue;
		int run = !strcmp(c->argv[s], "run");
		const char *ops[MAXOPS];
		size_t n = cmd_operands(c, s + 1, vflags, ops, MAXOPS);
		if (run && n > 1)
			n = 1; /* after the package come the program's own arguments */
		for (size_t j = 0; j < n; j++) {
			const char *p = ops[j];
			if (p[0] == '.' || p[0] == '/' || has_var(p) || ends_with(p, ".go"))
				continue;
			const char *at = strchr(p, '@');
			if (at && strcmp(at + 1, "latest"))
				continue;
			shp_lint_report_cmd(ctx, in, c, p, "go %s %s without a fixed version (%s@vX.Y.Z)", c->argv[s],
					    p, at ? "not @latest" : "pkg");
			break;
		}
	}
}

static void check_yarn_cache(struct shp_lint_ctx *ctx)
{
	static const char *const yarn[] = {"yarn", NULL};
	static const char *const inst[] = {"install", NULL};
	static const char *const clean[] = {"cache", NULL};
	DF_FOREACH(ctx->df, i, in)
	{
		if (!df_is_shell_run(in) || !(in->sh.pmask & SHP_P(YARN)))
			continue;
		size_t last_install = SIZE_MAX, last_clean = SIZE_MAX;
		for (size_t k = 0; k < in->sh.n; k++) {
			const struct shp_sh_cmd *c = &in->sh.cmds[k];
			size_t s;
			if (cmd_is(c, yarn, inst, NULL, NULL)) {
				if (later(in, k, last_install))
					last_install = k;
			} else if (cmd_is(c, yarn, clean, NULL, &s) && s + 1 < c->argc &&
				   !strcmp(c->argv[s + 1], "clean") && later(in, k, last_clean))
				last_clean = k;
		}
		if (last_install == SIZE_MAX || (last_clean != SIZE_MAX && later(in, last_clean, last_install)))
			continue;
		if (run_has_cache_mount(in, "/root/.cache/yarn", 1) ||
		    run_has_cache_mount(in, "/usr/local/share/.cache/yarn", 1))
			continue;
		shp_lint_report_cmd(ctx, in, &in->sh.cmds[last_install], "yarn install",
				    "yarn cache left in the layer: add \"yarn cache clean\"");
		shp_lint_fix(ctx, SHP_FIX_APPEND, in, NULL, 0, "yarn cache clean");
	}
}

/* ---- index refreshes and distribution upgrades ---------------------------------------- */

/* One package manager's index refresh and the commands that use the fresh index. */
struct refresh_family {
	uint64_t mask; /* SHP_P() of progs */
	const char *const *progs, *const *refresh, *const *use, *const *vflags;
};

static const char *const apt_refresh[] = {"update", NULL};
static const char *const apt_use[] = {
	"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source", "reinstall", "download", NULL};
static const char *const apk_refresh[] = {"update", NULL};
static const char *const apk_use[] = {"add", "upgrade", "fix", "fetch", NULL};
static const char *const rpm_refresh[] = {"makecache", "mc", NULL};
static const char *const rpm_use[] = {
	"install",	"in",	       "upgrade", "up",	      "update",	  "reinstall", "groupinstall",
	"localinstall", "distro-sync", "dsync",	  "download", "builddep", NULL};
static const char *const zyp_refresh[] = {"refresh", "ref", NULL};
static const char *const zyp_use[] = {"install", "in",	  "update",	    "up", "dist-upgrade",
				      "dup",	 "patch", "source-install", "si", NULL};

/* The first command of the RUN that runs family f's program with one of subs, or NULL
 * (the shell splitter unwraps sudo, env, xargs and the like). */
static const struct shp_sh_cmd *family_cmd(const struct shp_df_instr *in, const struct refresh_family *f,
					   const char *const *subs)
{
	for (size_t k = 0; k < in->sh.n; k++) {
		const struct shp_sh_cmd *c = &in->sh.cmds[k];
		if ((c->pbit & f->mask) && cmd_is(c, f->progs, subs, f->vflags, NULL))
			return c;
	}
	return NULL;
}

static void check_update_alone(struct shp_lint_ctx *ctx)
{
	static const char *const yum_dnf[] = {"yum", "dnf", "dnf5", "microdnf", NULL};
	const struct refresh_family fam[] = {
		{SHP_P(APT_GET) | SHP_P(APT) | SHP_P(APTITUDE), apt_any, apt_refresh, apt_use, apt_vflags},
		{SHP_P(APK), apk, apk_refresh, apk_use, apk_vflags},
		{SHP_P(YUM) | SHP_P(DNF) | SHP_P(DNF5) | SHP_P(MICRODNF), yum_dnf, rpm_refresh, rpm_use, rpm_vflags},
		{SHP_P(ZYPPER), zypper, zyp_refresh, zyp_use, zyp_vflags}};
	DF_FOREACH(ctx->df, i, in)
	{
		for (size_t f = 0; f < sizeof fam / sizeof fam[0]; f++) {
			if (!df_is_shell_run(in) || !(in->sh.pmask & fam[f].mask))
				continue;
			/* an install anywhere in the RUN will do: the order of && chains is not judged here */
			const struct shp_sh_cmd *refresh = family_cmd(in, &fam[f], fam[f].refresh);
			if (refresh && !family_cmd(in, &fam[f], fam[f].use)) {
				shp_lint_report_cmd(
					ctx, in, refresh, refresh->argv[0],
					"%s %s alone: the layer caches the index, and a later RUN installs from it "
					"when it is stale",
					refresh->argv[0], refresh->argv[cmd_subcmd(refresh, 1, fam[f].vflags)]);
				break;
			}
		}
	}
}

static void check_apt_dist_upgrade(struct shp_lint_ctx *ctx)
{
	static const char *const subs[] = {"dist-upgrade", "full-upgrade", NULL};
	FOR_EACH_CMD(ctx->df, i, in, k, c, SHP_P(APT_GET) | SHP_P(APT) | SHP_P(APTITUDE))
	{
		if (cmd_is(c, apt_any, subs, apt_vflags, NULL) && !apt_simulates(c))
			shp_lint_report_cmd(ctx, in, c, c->argv[0],
					    "%s %s upgrades the whole distribution inside the build", c->argv[0],
					    c->argv[cmd_subcmd(c, 1, apt_vflags)]);
	}
}

const struct shp_rule shp_rules_df_pkg[] = {
	{.id = "SHP1030",
	 .slug = "apt-unpinned",
	 .severity = SHP_SEV_LOW,
	 .title = "apt-get install without versions",
	 .rationale = "Unpinned packages make builds non-reproducible and can pull in unreviewed upgrades.",
	 .remediation = "Pin versions: apt-get install -y package=1.2.3-1.",
	 .aliases = {"DL3008"},
	 .check_dockerfile = check_apt_pin},
	{.id = "SHP1031",
	 .slug = "apt-lists-left",
	 .severity = SHP_SEV_LOW,
	 .title = "apt lists not removed in the same RUN",
	 .rationale = "The package lists under /var/lib/apt/lists add tens of megabytes to the layer and go stale.",
	 .remediation = "End the RUN with rm -rf /var/lib/apt/lists/*, or use a BuildKit cache mount.",
	 .aliases = {"DL3009", "DKL-DI-0005"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_apt_lists},
	{.id = "SHP1032",
	 .slug = "apt-no-yes",
	 .severity = SHP_SEV_LOW,
	 .title = "apt-get install without -y",
	 .rationale = "Without -y apt-get asks for confirmation, and the build fails or hangs.",
	 .remediation = "Use apt-get install -y.",
	 .aliases = {"DL3014", "DS021"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_apt_yes},
	{.id = "SHP1033",
	 .slug = "apt-recommends",
	 .severity = SHP_SEV_INFO,
	 .title = "apt-get install without --no-install-recommends",
	 .rationale = "Recommended packages are not needed to run the software and enlarge the attack surface.",
	 .remediation = "Use apt-get install -y --no-install-recommends.",
	 .aliases = {"DL3015", "DS029"},
	 .fixable = SHP_FIX_CHANGES_BUILD,
	 .check_dockerfile = check_apt_recommends},
	{.id = "SHP1034",
	 .slug = "apt-cli",
	 .severity = SHP_SEV_LOW,
	 .title = "apt used in a script",
	 .rationale = "apt's output and options are for interactive use and may change; apt-get is the stable CLI.",
	 .remediation = "Use apt-get or apt-cache.",
	 .aliases = {"DL3027"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_apt_cli},
	{.id = "SHP1035",
	 .slug = "apk-unpinned",
	 .severity = SHP_SEV_LOW,
	 .title = "apk add without versions",
	 .rationale = "Unpinned packages make builds non-reproducible.",
	 .remediation = "Pin versions: apk add package=1.2.3-r0.",
	 .aliases = {"DL3018"},
	 .check_dockerfile = check_apk_pin},
	{.id = "SHP1036",
	 .slug = "apk-cache",
	 .severity = SHP_SEV_LOW,
	 .title = "apk add without --no-cache",
	 .rationale = "The apk index stays in /var/cache/apk and bloats the layer.",
	 .remediation = "Use apk add --no-cache.",
	 .aliases = {"DL3019", "DKL-DI-0004", "DS025"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_apk_cache},
	{.id = "SHP1037",
	 .slug = "yum-no-yes",
	 .severity = SHP_SEV_LOW,
	 .title = "yum without -y",
	 .rationale = "Without -y yum asks for confirmation and the build fails.",
	 .remediation = "Use yum install -y.",
	 .aliases = {"DL3030"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_yum_yes},
	{.id = "SHP1038",
	 .slug = "yum-cache",
	 .severity = SHP_SEV_LOW,
	 .title = "yum clean all missing",
	 .rationale = "yum's metadata and package cache stay in the layer.",
	 .remediation = "End the RUN with yum clean all && rm -rf /var/cache/yum.",
	 .aliases = {"DL3032", "DS015"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_yum_clean},
	{.id = "SHP1039",
	 .slug = "yum-unpinned",
	 .severity = SHP_SEV_LOW,
	 .title = "yum install without versions",
	 .rationale = "Unpinned packages make builds non-reproducible.",
	 .remediation = "Pin versions: yum install -y package-1.2.3.",
	 .aliases = {"DL3033"},
	 .check_dockerfile = check_yum_pin},
	{.id = "SHP1040",
	 .slug = "dnf-no-yes",
	 .severity = SHP_SEV_LOW,
	 .title = "dnf without -y",
	 .rationale = "Without -y dnf asks for confirmation and the build fails. microdnf is not reported: it never "
		      "asks (its -y does nothing).",
	 .remediation = "Use dnf install -y.",
	 .aliases = {"DL3038"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_dnf_yes},
	{.id = "SHP1041",
	 .slug = "dnf-cache",
	 .severity = SHP_SEV_LOW,
	 .title = "dnf clean all missing",
	 .rationale = "dnf's metadata and package cache stay in the layer.",
	 .remediation = "End the RUN with dnf clean all, or use a cache mount on /var/cache/libdnf5.",
	 .aliases = {"DL3040", "DS019", "DS027"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_dnf_clean},
	{.id = "SHP1042",
	 .slug = "dnf-unpinned",
	 .severity = SHP_SEV_LOW,
	 .title = "dnf install without versions",
	 .rationale = "Unpinned packages make builds non-reproducible.",
	 .remediation = "Pin versions: dnf install -y package-1.2.3.",
	 .aliases = {"DL3041"},
	 .check_dockerfile = check_dnf_pin},
	{.id = "SHP1043",
	 .slug = "zypper-no-yes",
	 .severity = SHP_SEV_LOW,
	 .title = "zypper without --non-interactive",
	 .rationale = "zypper asks for confirmation and the build fails.",
	 .remediation = "Use zypper --non-interactive install (or -n / -y).",
	 .aliases = {"DL3034"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_zypper_yes},
	{.id = "SHP1044",
	 .slug = "zypper-dist-upgrade",
	 .severity = SHP_SEV_LOW,
	 .title = "zypper dist-upgrade in a build",
	 .rationale = "A distribution upgrade belongs in the base image, not in each application build.",
	 .remediation = "Use a newer base image instead.",
	 .aliases = {"DL3035", "DKL-DI-0003"},
	 .check_dockerfile = check_zypper_dup},
	{.id = "SHP1045",
	 .slug = "zypper-cache",
	 .severity = SHP_SEV_LOW,
	 .title = "zypper clean missing",
	 .rationale = "zypper's cache stays in the layer.",
	 .remediation = "End the RUN with zypper clean.",
	 .aliases = {"DL3036", "DS020"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_zypper_clean},
	{.id = "SHP1046",
	 .slug = "zypper-unpinned",
	 .severity = SHP_SEV_LOW,
	 .title = "zypper install without versions",
	 .rationale = "Unpinned packages make builds non-reproducible.",
	 .remediation = "Pin versions: zypper install -y package=1.2.3.",
	 .aliases = {"DL3037"},
	 .check_dockerfile = check_zypper_pin},
	{.id = "SHP1047",
	 .slug = "pip-unpinned",
	 .severity = SHP_SEV_LOW,
	 .title = "pip install without versions",
	 .rationale = "Unpinned Python packages make builds non-reproducible and invite dependency confusion.",
	 .remediation = "Pin versions (package==1.2.3) or install from a locked requirements file.",
	 .aliases = {"DL3013"},
	 .check_dockerfile = check_pip_pin},
	{.id = "SHP1048",
	 .slug = "pip-cache",
	 .severity = SHP_SEV_LOW,
	 .title = "pip install without --no-cache-dir",
	 .rationale = "pip's download cache stays in the layer.",
	 .remediation = "Use pip install --no-cache-dir, set PIP_NO_CACHE_DIR=1, or a cache mount.",
	 .aliases = {"DL3042"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_pip_cache},
	{.id = "SHP1049",
	 .slug = "npm-unpinned",
	 .severity = SHP_SEV_LOW,
	 .title = "npm install without versions",
	 .rationale = "Unpinned npm packages make builds non-reproducible.",
	 .remediation = "Pin versions (package@1.2.3), or use npm ci with a lockfile.",
	 .aliases = {"DL3016"},
	 .check_dockerfile = check_npm_pin},
	{.id = "SHP1050",
	 .slug = "gem-unpinned",
	 .severity = SHP_SEV_LOW,
	 .title = "gem install without versions",
	 .rationale = "Unpinned gems make builds non-reproducible.",
	 .remediation = "Pin versions: gem install name:1.2.3 (or -v 1.2.3).",
	 .aliases = {"DL3028"},
	 .check_dockerfile = check_gem_pin},
	{.id = "SHP1051",
	 .slug = "go-unpinned",
	 .severity = SHP_SEV_LOW,
	 .title = "go install without a fixed version",
	 .rationale = "Without @version (or with @latest) go install fetches whatever is newest.",
	 .remediation = "Use go install example.com/cmd@v1.2.3.",
	 .aliases = {"DL3062"},
	 .check_dockerfile = check_go_pin},
	{.id = "SHP1052",
	 .slug = "yarn-cache",
	 .severity = SHP_SEV_INFO,
	 .title = "yarn cache clean missing",
	 .rationale = "yarn's cache stays in the layer.",
	 .remediation = "Add yarn cache clean to the RUN, or use a cache mount.",
	 .aliases = {"DL3060"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_yarn_cache},
	{.id = "SHP1053",
	 .slug = "pkg-update-alone",
	 .severity = SHP_SEV_LOW,
	 .title = "Package index refreshed without an install in the same RUN",
	 .rationale = "A RUN that only refreshes the index (apt-get update, apk update, dnf makecache, zypper refresh) "
		      "is cached as a layer of its own: later builds reuse the old index, and the install in a later "
		      "RUN fetches versions that no longer exist or misses security updates.",
	 .remediation = "Refresh and install in one RUN: apt-get update && apt-get install -y ... && rm -rf "
			"/var/lib/apt/lists/*.",
	 .aliases = {"DS017"},
	 .check_dockerfile = check_update_alone},
	{.id = "SHP1054",
	 .slug = "apt-dist-upgrade",
	 .severity = SHP_SEV_LOW,
	 .title = "apt-get dist-upgrade in a build",
	 .rationale = "A distribution upgrade belongs in the base image, not in each application build: it can move "
		      "the image to packages nobody tested with the application.",
	 .remediation = "Use a newer base image, or apt-get upgrade for security updates within the release.",
	 .aliases = {"DS024"},
	 .check_dockerfile = check_apt_dist_upgrade},
	{0},
};
