/* df-user.c - rules about the user the container runs as. They judge the final stage
 * (and the stages it is built FROM), since only that user runs in production. */
#include "rules/df-util.h"
#include "rules/families.h"
#include "util/cleanup.h"
#include "util/user.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct last_user {
	const struct shp_df_instr *in;
};

static int find_user(const struct shp_dockerfile *df, int s, void *arg)
{
	struct last_user *lu = arg;
	size_t end = (size_t)s + 1 < df->nstages ? df->stages[s + 1].from : df->n;
	for (size_t i = end; i-- > df->stages[s].from;) {
		const struct shp_df_instr *in = &df->ins[i];
		if (in->kind == SHP_DF_USER && in->argc) {
			lu->in = in;
			return 1;
		}
	}
	return 0;
}

/* The USER instruction in effect for the final image, or NULL. */
static const struct shp_df_instr *final_user(const struct shp_dockerfile *df)
{
	struct last_user lu = {0};
	int s = df_final_stage(df);
	if (s >= 0)
		df_stage_chain(df, s, find_user, &lu);
	return lu.in;
}

static void check_last_user_root(struct shp_lint_ctx *ctx)
{
	const struct shp_df_instr *u = final_user(ctx->df);
	if (u && shp_user_is_root(u->argv[0], SHP_USER_UNSET_UNKNOWN))
		shp_lint_report(ctx, u, u->argv[0], "the final image runs as %s", u->argv[0]);
}

static void check_no_user(struct shp_lint_ctx *ctx)
{
	const struct shp_dockerfile *df = ctx->df;
	int s = df_final_stage(df);
	if (s < 0 || final_user(df))
		return;
	/* A base image we cannot see may set a user; say what we know. */
	const struct shp_df_stage *st = &df->stages[s];
	while (st->parent >= 0)
		st = &df->stages[st->parent];
	shp_lint_report(ctx, &df->ins[df->stages[s].from], NULL,
			"no USER in the final stage: the container runs as root unless base image \"%s\" sets a user",
			st->resolved ? st->resolved : st->image);
}

/* The value of an account tool's option (-u 1000, -u1000, --uid 1000, --uid=1000) at argv[*a],
 * stepping *a over it; NULL when argv[*a] is not one of short or long. */
static const char *opt_value(const struct shp_sh_cmd *c, size_t *a, char short_opt, const char *long_opt)
{
	const char *w = c->argv[*a];
	size_t ll = strlen(long_opt);
	if (w[0] == '-' && w[1] == short_opt)
		return w[2] ? w + 2 : *a + 1 < c->argc ? c->argv[++*a] : NULL;
	if (!strncmp(w, "--", 2) && !strncmp(w + 2, long_opt, ll) && w[2 + ll] == '=')
		return w + 3 + ll;
	if (!strncmp(w, "--", 2) && !strcmp(w + 2, long_opt))
		return *a + 1 < c->argc ? c->argv[++*a] : NULL;
	return NULL;
}

/* The options of useradd, adduser (Debian's and BusyBox's), groupadd and addgroup that take
 * a value, which is not the account's name. */
static int takes_value(const char *w)
{
	static const char *const lng[] = {"uid",	"gid",	    "home",	"home-dir", "shell",	    "ingroup",
					  "gecos",	"comment",  "groups",	"skel",	    "key",	    "password",
					  "expiredate", "inactive", "base-dir", "root",	    "prefix",	    "firstuid",
					  "lastuid",	"firstgid", "lastgid",	"conf",	    "selinux-user", NULL};
	if (!strncmp(w, "--", 2))
		return !strchr(w, '=') && str_in(w + 2, lng);
	return w[0] == '-' && w[1] && !w[2] && strchr("bcdefgGhkKpPRsuZ", w[1]);
}

/* What an account tool's command says: its name (the first operand), and the number given by
 * -u/--uid (users) or -g/--gid (groups, or a user's primary group: a number or a name). */
struct account {
	const char *name, *id, *group;
};

static struct account account_of(const struct shp_sh_cmd *c, int user)
{
	struct account ac = {0};
	for (size_t a = 1; a < c->argc; a++) {
		const char *v;
		if (user && (v = opt_value(c, &a, 'u', "uid")))
			ac.id = v;
		else if ((v = opt_value(c, &a, 'g', "gid")))
			*(user ? &ac.group : &ac.id) = v;
		else if (user && !strcmp(c->argv[a], "--ingroup") && a + 1 < c->argc)
			ac.group = c->argv[++a];
		else if (c->argv[a][0] == '-')
			a += takes_value(c->argv[a]) && a + 1 < c->argc;
		else if (!ac.name)
			ac.name = c->argv[a];
	}
	return ac;
}

static int all_digits(const char *s) { return s && *s && strspn(s, "0123456789") == strlen(s); }

/* The numeric USER for account name (created by a RUN before instruction upto): "1000:1000"
 * when the Dockerfile gave the user a UID and its group a GID, "1000" with the UID only, NULL
 * when it gave no UID. */
static char *created_ids(const struct shp_dockerfile *df, size_t upto, const char *name)
{
	static const char *const users[] = {"useradd", "adduser", NULL}, *const groups[] = {"groupadd", "addgroup",
											    NULL};
	const char *uid = NULL, *group = NULL, *gid = NULL;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < upto; i++) {
			const struct shp_df_instr *in = &df->ins[i];
			if (!df_is_shell_run(in))
				continue;
			for (size_t k = 0; k < in->sh.n; k++) {
				const struct shp_sh_cmd *c = &in->sh.cmds[k];
				const char *prog = shp_sh_prog(c);
				if (prog[0] != 'u' && prog[0] != 'a' && prog[0] != 'g') /* most commands */
					continue;
				int user = cmd_prog_in(c, users);
				if (!user && !cmd_prog_in(c, groups))
					continue;
				struct account ac = account_of(c, user);
				if (!ac.name)
					continue;
				if (pass == 0 && user && !strcmp(ac.name, name) && all_digits(ac.id)) {
					uid = ac.id;
					group = ac.group;
				} else if (pass == 1 && !user && !strcmp(ac.name, group ? group : name) &&
					   all_digits(ac.id))
					gid = ac.id; /* the user's group, or its own of the same name */
			}
		}
	if (!uid)
		return NULL;
	if (all_digits(group))
		gid = group;
	return gid ? shp_asprintf("%s:%s", uid, gid) : shp_xstrdup(uid);
}

static void check_numeric_user(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_USER || !in->argc || has_var(in->argv[0]))
			continue;
		const char *u = in->argv[0];
		size_t n = strcspn(u, ":");
		int numeric = n > 0 && strspn(u, "0123456789") == n;
		if (u[n] == ':' && numeric)
			numeric = strspn(u + n + 1, "0123456789") == strlen(u + n + 1);
		/* Windows users (ContainerAdministrator, ContainerUser) are names by design. */
		if (!numeric && !in->posix_shell)
			continue;
		if (numeric || shp_user_is_root(u, SHP_USER_UNSET_UNKNOWN))
			continue;
		_cleanup_free_ char *name = shp_xstrndup(u, n);
		_cleanup_free_ char *ids = created_ids(ctx->df, i, name);
		if (ids)
			shp_lint_report(ctx, in, u,
					"USER %s is a name: Kubernetes runAsNonRoot and the host cannot resolve it, "
					"use the ids this Dockerfile gave it: USER %s",
					u, ids);
		else
			shp_lint_report(ctx, in, u,
					"USER %s is a name: Kubernetes runAsNonRoot and the host cannot resolve it, "
					"use a numeric UID[:GID]",
					u);
	}
}

static void check_useradd_uid(struct shp_lint_ctx *ctx)
{
	static const char *const prog[] = {"useradd", NULL};
	DF_FOREACH(ctx->df, i, in)
	{
		if (!df_is_shell_run(in) || !(in->sh.pmask & SHP_P(USERADD)))
			continue;
		for (size_t k = 0; k < in->sh.n; k++) {
			const struct shp_sh_cmd *c = &in->sh.cmds[k];
			if (!cmd_prog_in(c, prog) || shp_sh_has_flag(c, "-l") || shp_sh_has_flag(c, "--no-log-init"))
				continue;
			for (size_t a = 1; a + 1 < c->argc + 1 && a < c->argc; a++) {
				const char *uid = NULL;
				if ((!strcmp(c->argv[a], "-u") || !strcmp(c->argv[a], "--uid")) && a + 1 < c->argc)
					uid = c->argv[a + 1];
				else if (starts_with(c->argv[a], "--uid="))
					uid = c->argv[a] + 6;
				if (uid && strspn(uid, "0123456789") == strlen(uid) && strlen(uid) > 5) {
					shp_lint_report_cmd(
						ctx, in, c, uid,
						"useradd with the high UID %s and no -l writes a huge sparse "
						"/var/log/lastlog",
						uid);
					shp_lint_fix(ctx, SHP_FIX_AFTER_WORD, in, c, 0, "-l");
				}
			}
		}
	}
}

const struct shp_rule shp_rules_df_user[] = {
	{.id = "SHP1020",
	 .slug = "last-user-root",
	 .severity = SHP_SEV_HIGH,
	 .title = "Final image runs as root",
	 .rationale = "A process running as root in the container is root on the host's kernel; any escape or "
		      "mounted path gives away the host.",
	 .remediation = "Create an unprivileged user and end the final stage with USER <uid>:<gid>.",
	 .aliases = {"DL3002", "DS002", "CIS-DI-0001", "CIS-4.1"},
	 .check_dockerfile = check_last_user_root},
	{.id = "SHP1021",
	 .slug = "no-user",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "No USER in the final stage",
	 .rationale = "Without USER the container runs as the base image's user, which is root for almost every "
		      "base image.",
	 .remediation = "Add USER <uid>:<gid> (a non-root, numeric user) at the end of the final stage.",
	 .aliases = {"DS002", "CIS-DI-0001", "CIS-4.1"},
	 .check_dockerfile = check_no_user},
	{.id = "SHP1022",
	 .slug = "user-not-numeric",
	 .severity = SHP_SEV_INFO,
	 .title = "USER is a name, not a numeric id",
	 .rationale = "Kubernetes' runAsNonRoot can only verify numeric users, and the host cannot map names "
		      "from the image.",
	 .remediation = "Use the numeric ids of the user you created (useradd -u, groupadd -g): USER <uid>:<gid>, "
			"e.g. USER 10001:10001.",
	 .aliases = {"DL3066"},
	 .check_dockerfile = check_numeric_user},
	{.id = "SHP1023",
	 .slug = "useradd-high-uid",
	 .severity = SHP_SEV_LOW,
	 .title = "useradd with a high UID and without -l",
	 .rationale = "useradd records the UID in the sparse /var/log/lastlog and faillog; with a high UID the "
		      "layer grows by gigabytes.",
	 .remediation = "Pass -l (--no-log-init) to useradd.",
	 .aliases = {"DL3046"},
	 .fixable = SHP_FIX_SAFE,
	 .check_dockerfile = check_useradd_uid},
	{0},
};
