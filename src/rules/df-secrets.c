/* df-secrets.c - secrets in the build: sensitive ENV/ARG names and literal values,
 * credentials on RUN lines, secret files copied in, secrets passed as build args.
 * Evidence is always redacted. */
#include "rules/df-util.h"
#include "rules/families.h"
#include "secrets/tokens.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *redacted_kv(const char *k, const char *v)
{
	_cleanup_free_ char *r = shp_redact(v);
	return shp_asprintf("%s=%s", k, r);
}

static void check_sensitive_name(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_ENV && in->kind != SHP_DF_ARG)
			continue;
		for (size_t k = 0; k < in->nkvs; k++)
			if (shp_secret_name(in->kvs[k].key) &&
			    !(in->kvs[k].value && shp_secret_path(in->kvs[k].value))) /* a path to one */
				shp_lint_report(
					ctx, in, in->kvs[k].key,
					"%s %s looks like it holds a secret; ARG and ENV values are kept in the "
					"image metadata",
					in->keyword, in->kvs[k].key);
	}
}

static void check_secret_literal(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind != SHP_DF_ENV && in->kind != SHP_DF_ARG && in->kind != SHP_DF_LABEL)
			continue;
		for (size_t k = 0; k < in->nkvs; k++) {
			const char *v = in->kvs[k].value;
			if (!v)
				continue;
			struct shp_token_match m;
			_cleanup_free_ char *ev = NULL;
			if (shp_token_find(v, &m)) {
				ev = redacted_kv(in->kvs[k].key, v + m.off);
				shp_lint_report(ctx, in, ev, "%s %s holds a %s", in->keyword, in->kvs[k].key, m.kind);
			} else if (in->kind != SHP_DF_LABEL && shp_secret_name(in->kvs[k].key) &&
				   shp_secret_literal(v)) {
				ev = redacted_kv(in->kvs[k].key, v);
				shp_lint_report(ctx, in, ev,
						"%s %s sets a literal secret: it stays in the image config and history",
						in->keyword, in->kvs[k].key);
			}
		}
	}
}

/* "user:password" with a literal password. */
static int literal_userpass(const char *v)
{
	const char *c = strchr(v, ':');
	return c && c > v && c[1] && shp_secret_literal(c + 1);
}

static void report_run(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const struct shp_sh_cmd *c,
		       const char *what, const char *secret)
{
	_cleanup_free_ char *r = shp_redact(secret);
	_cleanup_free_ char *ev = shp_asprintf("%s %s", what, r);
	shp_lint_report_cmd(ctx, in, c, ev,
			    "RUN passes a credential on the command line (%s): it stays in the layer history", what);
}

/* URL with user:password@ */
static int url_creds(const char *w, const char **pass)
{
	const char *s = strstr(w, "://");
	if (!s)
		return 0;
	s += 3;
	const char *at = strchr(s, '@');
	const char *slash = strchr(s, '/');
	if (!at || (slash && slash < at))
		return 0;
	const char *colon = memchr(s, ':', (size_t)(at - s));
	if (!colon || colon + 1 == at || colon[1] == '$')
		return 0;
	*pass = colon + 1;
	return 1;
}

/* NAME=literal where NAME says secret: reported, returns 1. */
static int secret_assignment(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const struct shp_sh_cmd *c,
			     const char *w)
{
	const char *eq = strchr(w, '=');
	char name[128];
	if (!eq || eq == w || (size_t)(eq - w) >= sizeof name || !shp_secret_literal(eq + 1))
		return 0;
	memcpy(name, w, (size_t)(eq - w));
	name[eq - w] = 0;
	if (!shp_secret_name(name))
		return 0;
	report_run(ctx, in, c, name, eq + 1);
	return 1;
}

/* "--password=x": is the part before '=' one of the flags? */
static int password_flag(const char *w, const char *const *flags)
{
	size_t n = (size_t)(strchr(w, '=') - w);
	for (int i = 0; flags[i]; i++)
		if (strlen(flags[i]) == n && !strncmp(w, flags[i], n))
			return 1;
	return 0;
}

static void check_run_creds(struct shp_lint_ctx *ctx)
{
	static const char *const pw_flags[] = {
		"--password", "--http-password", "--ftp-password", "--proxy-password", "--passwd", "--pass", NULL};
	DF_FOREACH(ctx->df, i, in)
	{
		if (!df_is_shell_run(in))
			continue;
		for (size_t k = 0; k < in->sh.n; k++) {
			const struct shp_sh_cmd *c = &in->sh.cmds[k];
			int done = 0;
			int dl_tool = (c->pbit & (SHP_P(CURL) | SHP_P(WGET))) != 0;
			/* echo 'user:password' | chpasswd: the pair is in the history */
			const struct shp_sh_cmd *src = k ? &in->sh.cmds[k - 1] : NULL;
			if (c->pipe_in && src && src->pipe_out && !strcmp(shp_sh_prog(c), "chpasswd") &&
			    (!strcmp(shp_sh_prog(src), "echo") || !strcmp(shp_sh_prog(src), "printf")))
				for (size_t a = 1; a < src->argc && !done; a++)
					if (src->argv[a][0] != '-' && literal_userpass(src->argv[a])) {
						report_run(ctx, in, c, "chpasswd", strchr(src->argv[a], ':') + 1);
						done = 1;
					}
			for (size_t a = 1; a < c->argc && !done; a++) {
				const char *w = c->argv[a];
				/* Most words are package names and plain flags: a URL or header needs a
				 * ':', a token at least 15 bytes, a password flag a leading '-'. */
				size_t wl = strlen(w);
				int colon = memchr(w, ':', wl) != NULL, dash = w[0] == '-', longw = wl >= 15;
				int pwish = dash && w[1] == '-' && strstr(w + 2, "pass"); /* every password flag */
				if (!dash && !colon && !longw)
					continue;
				const char *next = a + 1 < c->argc ? c->argv[a + 1] : NULL;
				struct shp_token_match m;
				const char *pass;
				if (dash && dl_tool && (!strcmp(w, "-u") || !strcmp(w, "--user")) && next &&
				    literal_userpass(next)) {
					report_run(ctx, in, c, w, next);
					done = 1;
				} else if (dash && dl_tool && w[1] == 'u' && w[2] && literal_userpass(w + 2)) {
					report_run(ctx, in, c, "-u", w + 2);
					done = 1;
				} else if (pwish && str_in(w, pw_flags) && next && shp_secret_literal(next)) {
					report_run(ctx, in, c, w, next);
					done = 1;
				} else if (pwish && strchr(w, '=') && password_flag(w, pw_flags)) {
					const char *v = strchr(w, '=') + 1;
					if (shp_secret_literal(v)) {
						char f[32];
						snprintf(f, sizeof f, "%.*s", (int)(v - w - 1), w);
						report_run(ctx, in, c, f, v);
						done = 1;
					}
				} else if (colon && url_creds(w, &pass)) {
					report_run(ctx, in, c, "URL with user:password@", pass);
					done = 1;
				} else if (longw && shp_token_find(w, &m)) {
					report_run(ctx, in, c, m.kind, w + m.off);
					done = 1;
				} else if (colon && !strncasecmp(w, "Authorization:", 14)) {
					const char *t = w + 14;
					while (*t == ' ')
						t++;
					const char *sp = strchr(t, ' ');
					const char *tok = sp ? sp + 1 : t;
					if (shp_secret_literal(tok) && strlen(tok) >= 8) {
						report_run(ctx, in, c, "Authorization header", tok);
						done = 1;
					}
				}
			}
			/* export TOKEN=literal, TOKEN=literal cmd */
			const char *const *as = (const char *const *)c->assigns;
			size_t nas = c->nassigns;
			for (size_t a = 0; a < nas && !done; a++)
				done = secret_assignment(ctx, in, c, as[a]);
			if (!done && (c->pbit & SHP_P(EXPORT)))
				for (size_t a = 1; a < c->argc && !done; a++)
					done = secret_assignment(ctx, in, c, c->argv[a]);
		}
	}
}

/* Commands that store a credential under the home directory of the layer they run in, and
 * what takes it out again later in the same RUN: the undoing subcommand, or an rm of the
 * directory. */
static const struct login {
	const char *prog, *sub, *sub2; /* "gcloud auth activate-service-account"; sub2 NULL: any */
	const char *where;	       /* what is stored, and where */
	const char *undo, *undo2;      /* "gcloud auth revoke"; NULL: only rm undoes */
	const char *dir;	       /* its directory below $HOME */
} logins[] = {
	{"gcloud", "auth", "activate-service-account", "the service account key in ~/.config/gcloud", "auth", "revoke",
	 ".config/gcloud"},
	{"gcloud", "auth", "login", "the credential in ~/.config/gcloud", "auth", "revoke", ".config/gcloud"},
	{"docker", "login", NULL, "the registry password in ~/.docker/config.json", "logout", NULL, ".docker"},
	{"helm", "registry", "login", "the registry password in ~/.config/helm/registry", "registry", "logout",
	 ".config/helm"},
	{"az", "login", NULL, "the account's tokens in ~/.azure", "logout", NULL, ".azure"},
	{"npm", "login", NULL, "the registry token in ~/.npmrc", "logout", NULL, ".npmrc"},
	{"npm", "adduser", NULL, "the registry token in ~/.npmrc", "logout", NULL, ".npmrc"},
	{"aws", "configure", "set", "the access key in ~/.aws/credentials", NULL, NULL, ".aws"},
};

/* Index of the word after the subcommand at s that is not an option, or argc. */
static size_t next_word(const struct shp_sh_cmd *c, size_t s) { return s < c->argc ? cmd_subcmd(c, s + 1, NULL) : s; }

static int login_is(const struct shp_sh_cmd *c, const char *prog, const char *sub, const char *sub2)
{
	if (!sub || strcmp(shp_sh_prog(c), prog))
		return 0;
	size_t s = cmd_subcmd(c, 1, NULL);
	if (s >= c->argc || strcmp(c->argv[s], sub))
		return 0;
	if (!sub2)
		return 1;
	size_t t = next_word(c, s);
	return t < c->argc && !strcmp(c->argv[t], sub2);
}

static const struct login *login_of(const struct shp_sh_cmd *c)
{
	char f = shp_sh_prog(c)[0]; /* the programs' first letters: most commands end here */
	if (f != 'a' && f != 'd' && f != 'g' && f != 'h' && f != 'n')
		return NULL;
	for (size_t i = 0; i < sizeof logins / sizeof logins[0]; i++) {
		const struct login *l = &logins[i];
		if (!login_is(c, l->prog, l->sub, l->sub2))
			continue;
		if (!strcmp(l->prog, "aws")) { /* aws configure set: only the keys, not the region */
			size_t t = next_word(c, next_word(c, cmd_subcmd(c, 1, NULL)));
			if (t >= c->argc ||
			    (!strstr(c->argv[t], "aws_secret_access_key") && !strstr(c->argv[t], "aws_session_token")))
				continue;
		}
		return l;
	}
	return NULL;
}

static int login_undone(const struct shp_sh_cmd *c, const struct login *l)
{
	if (login_is(c, l->prog, l->undo, l->undo2))
		return 1;
	if (strcmp(shp_sh_prog(c), "rm"))
		return 0;
	for (size_t a = 1; a < c->argc; a++)
		if (strstr(c->argv[a], l->dir))
			return 1;
	return 0;
}

static void check_login(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (!df_is_shell_run(in))
			continue;
		for (size_t k = 0; k < in->sh.n; k++) {
			const struct shp_sh_cmd *c = &in->sh.cmds[k];
			const struct login *l = login_of(c);
			if (!l)
				continue;
			int undone = 0;
			for (size_t j = 0; j < in->sh.n && !undone; j++)
				undone = in->sh.cmds[j].off > c->off && login_undone(&in->sh.cmds[j], l);
			if (!undone)
				shp_lint_report_cmd(ctx, in, c, l->prog,
						    "%s %s%s%s stores %s: it stays in this layer, readable by anyone "
						    "with the image",
						    l->prog, l->sub, l->sub2 ? " " : "", l->sub2 ? l->sub2 : "",
						    l->where);
		}
	}
}

static const char *secret_file_kind(const char *src)
{
	static const struct {
		const char *name;
		const char *kind;
	} names[] = {
		{"id_rsa", "SSH private key"},
		{"id_dsa", "SSH private key"},
		{"id_ecdsa", "SSH private key"},
		{"id_ed25519", "SSH private key"},
		{".env", "dotenv file"},
		{"credentials.json", "credentials file"},
		{"credentials", "credentials file"},
		{".npmrc", "npm credentials"},
		{".pypirc", "PyPI credentials"},
		{".netrc", "netrc credentials"},
		{".git-credentials", "git credentials"},
		{".dockercfg", "Docker credentials"},
		{"secrets.yml", "secrets file"},
		{"secrets.yaml", "secrets file"},
		{".htpasswd", "password file"},
		{"master.key", "Rails master key"},
	};
	static const struct {
		const char *ext;
		const char *kind;
	} exts[] = {
		{".pem", "PEM key or certificate"}, {".key", "private key"},   {".p12", "PKCS#12 keystore"},
		{".pfx", "PKCS#12 keystore"},	    {".jks", "Java keystore"}, {".keystore", "keystore"},
		{".ppk", "PuTTY private key"},	    {".ovpn", "VPN profile"},
	};
	if (strstr(src, ".aws/") || ends_with(src, ".aws"))
		return "AWS credentials directory";
	if (strstr(src, ".ssh/") || ends_with(src, ".ssh"))
		return "SSH directory";
	if (strstr(src, ".docker/config.json"))
		return "Docker registry credentials";
	if (strstr(src, ".kube/config"))
		return "Kubernetes credentials";
	const char *b = path_base(src);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(b, names[i].name))
			return names[i].kind;
	if (starts_with(b, ".env.") && !ends_with(b, ".example") && !ends_with(b, ".sample") &&
	    !ends_with(b, ".template") && !ends_with(b, ".dist"))
		return "dotenv file";
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (ends_with(b, exts[i].ext))
			return exts[i].kind;
	return NULL;
}

static void check_secret_files(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if ((in->kind != SHP_DF_COPY && in->kind != SHP_DF_ADD) || shp_df_has_flag(in, "from") || in->argc < 2)
			continue;
		for (size_t a = 0; a + 1 < in->argc; a++) {
			const char *kind = secret_file_kind(in->argv[a]);
			if (kind && !has_var(in->argv[a]) && !starts_with(in->argv[a], "http")) {
				shp_lint_report(ctx, in, in->argv[a],
						"%s copies %s (%s) into the image; anyone with the image can read it",
						in->keyword, in->argv[a], kind);
				break;
			}
		}
	}
}

static int has_secret_mount(const struct shp_df_instr *in)
{
	for (size_t f = 0; f < in->nflags; f++) {
		if (strcmp(in->flags[f].name, "mount") || !in->flags[f].value)
			continue;
		_cleanup_free_ char *type = shp_df_mount_opt(in->flags[f].value, "type");
		if (type && !strcmp(type, "secret"))
			return 1;
	}
	return 0;
}

struct secret_arg {
	const char *name;
	size_t idx; /* the ARG instruction */
	int reported;
};

static int cmp_secret_arg(const void *a, const void *b)
{
	const struct secret_arg *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* For each $NAME / ${NAME} in text that names a secret ARG declared before RUN j: report. */
static void scan_refs(struct shp_lint_ctx *ctx, const char *text, struct secret_arg *args, size_t n, size_t j,
		      const struct shp_df_instr *run)
{
	for (const char *p = strchr(text, '$'); p; p = strchr(p + 1, '$')) {
		const char *q = p[1] == '{' ? p + 2 : p + 1;
		size_t l = 0;
		while (isalnum((unsigned char)q[l]) || q[l] == '_')
			l++;
		if (!l || l >= 128)
			continue;
		char name[128];
		memcpy(name, q, l);
		name[l] = 0;
		/* The first ARG of that name (any one declared before the RUN will do). */
		struct secret_arg key = {name, 0, 0};
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (cmp_secret_arg(&args[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && !strcmp(args[lo].name, name) && args[lo].idx < j && !args[lo].reported) {
			args[lo].reported = 1;
			shp_lint_report(ctx, &ctx->df->ins[args[lo].idx], name,
					"build arg %s is used by RUN on line %d: build args are recorded in the image "
					"history; use RUN --mount=type=secret",
					name, run->line);
		}
	}
}

static void check_secret_build_arg(struct shp_lint_ctx *ctx)
{
	const struct shp_dockerfile *df = ctx->df;
	struct secret_arg *args = NULL;
	size_t n = 0, cap = 0;
	DF_FOREACH(df, i, in)
	{
		if (in->kind == SHP_DF_ARG)
			for (size_t k = 0; k < in->nkvs; k++)
				if (shp_secret_name(in->kvs[k].key)) {
					struct secret_arg a = {in->kvs[k].key, i, 0};
					SHP_PUSH(args, n, cap, a);
				}
	}
	if (n > 1)
		qsort(args, n, sizeof *args, cmp_secret_arg);
	for (size_t j = 0; n && j < df->n; j++) {
		const struct shp_df_instr *r = shp_df_eff(&df->ins[j]);
		if (r->kind != SHP_DF_RUN || has_secret_mount(r))
			continue;
		scan_refs(ctx, r->args, args, n, j, r);
		for (size_t h = 0; h < r->nheredocs; h++)
			scan_refs(ctx, r->heredocs[h].body, args, n, j, r);
	}
	free(args);
}

const struct shp_rule shp_rules_df_secrets[] = {
	{.id = "SHP1100",
	 .slug = "sensitive-arg-env",
	 .severity = SHP_SEV_LOW,
	 .title = "ARG or ENV named like a secret",
	 .rationale = "ARG and ENV values end up in the image config or its history, where anyone who can pull "
		      "the image reads them.",
	 .remediation = "Pass secrets with RUN --mount=type=secret, and at run time via the orchestrator's "
			"secrets.",
	 .aliases = {"DL3064"},
	 .check_dockerfile = check_sensitive_name},
	{.id = "SHP1101",
	 .slug = "secret-in-env",
	 .severity = SHP_SEV_CRITICAL,
	 .title = "Secret value in ENV, ARG or LABEL",
	 .rationale = "A literal password, key or token in the Dockerfile is in every copy of the image and in "
		      "the repository.",
	 .remediation = "Remove the value, rotate the secret, and inject it at run time (or with "
			"--mount=type=secret at build time).",
	 .aliases = {"CIS-DI-0010", "CIS-4.10", "DS031"},
	 .check_dockerfile = check_secret_literal},
	{.id = "SHP1102",
	 .slug = "secret-in-run",
	 .severity = SHP_SEV_HIGH,
	 .title = "Credential on a RUN command line",
	 .rationale = "RUN command lines are stored verbatim in the image history (docker history).",
	 .remediation = "Use RUN --mount=type=secret,id=... and read the secret from /run/secrets; rotate the "
			"exposed one.",
	 .aliases = {"CIS-4.10"},
	 .check_dockerfile = check_run_creds},
	{.id = "SHP1103",
	 .slug = "secret-file-copied",
	 .severity = SHP_SEV_HIGH,
	 .title = "Secret file copied into the image",
	 .rationale = "Keys, .env files and credential files copied into a layer stay there, even if a later "
		      "layer deletes them.",
	 .remediation = "Exclude them with .dockerignore; mount them at build time with --mount=type=secret or "
			"at run time.",
	 .aliases = {"CIS-DI-0010"},
	 .check_dockerfile = check_secret_files},
	{.id = "SHP1104",
	 .slug = "secret-build-arg",
	 .severity = SHP_SEV_MEDIUM,
	 .title = "Secret passed as a build argument",
	 .rationale = "Build args used by RUN are recorded in the image history with their values.",
	 .remediation = "Use RUN --mount=type=secret,id=name and docker build --secret id=name,...",
	 .aliases = {},
	 .check_dockerfile = check_secret_build_arg},
	{.id = "SHP1105",
	 .slug = "credential-stored-by-login",
	 .severity = SHP_SEV_HIGH,
	 .title = "RUN logs in and leaves the credential in the layer",
	 .rationale = "gcloud auth activate-service-account, docker login, az login, npm login, helm registry "
		      "login and aws configure set write the key or token under the home directory, and the "
		      "layer keeps it for anyone who pulls the image, even when the secret came from a secret mount.",
	 .remediation = "Use the credential in the same RUN from --mount=type=secret and remove it before the RUN "
			"ends (gcloud auth revoke, docker logout, rm -rf the directory), or point the tool's config "
			"directory at a tmpfs or secret mount.",
	 .aliases = {},
	 .check_dockerfile = check_login},
	{0},
};
