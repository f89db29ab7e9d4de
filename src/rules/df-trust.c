/* df-trust.c - rules about what a build trusts without checking: downloads with TLS
 * verification turned off, and packages installed without their signatures checked. */
#include "rules/df-util.h"
#include "rules/families.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* "0", "false", "no", "off" (any case): a setting turned off. */
static int is_off(const char *v)
{
	return v && (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off"));
}

/* curl's short options that take a value: in a cluster such as -fsSLo, what follows one of
 * them is its value, not more options. */
static const char curl_valued[] = "AbcCdDeEFHKmoPQrtTuUwxXyYz";

/* Where k sits in a curl cluster of short options ("-fsSLk"), or NULL. */
static const char *curl_k(const char *w)
{
	if (w[0] != '-' || w[1] == '-' || !w[1])
		return NULL;
	for (const char *p = w + 1; *p; p++) {
		if (*p == 'k')
			return p;
		if (strchr(curl_valued, *p))
			return NULL;
	}
	return NULL;
}

/* "--setopt=sslverify=0", "--setopt=*.sslverify=false": the option named key turned off. */
static int setopt_off(const struct shp_sh_cmd *c, size_t a, const char *key)
{
	const char *w = c->argv[a], *v = NULL;
	if (!strncmp(w, "--setopt=", 9))
		v = w + 9;
	else if (!strcmp(w, "--setopt") && a + 1 < c->argc)
		v = c->argv[a + 1];
	if (!v)
		return 0;
	const char *eq = strchr(v, '=');
	if (!eq)
		return 0;
	size_t kl = strlen(key), nl = (size_t)(eq - v);
	int named = nl >= kl && !strncasecmp(eq - kl, key, kl) && (nl == kl || eq[-(long)kl - 1] == '.');
	return named && is_off(eq + 1);
}

/* The environment variables that turn verification off, and the value that does it (NULL:
 * any value, as git reads GIT_SSL_NO_VERIFY). */
static const struct {
	const char *name;
	int (*off)(const char *v);
} tls_env[] = {
	{"PYTHONHTTPSVERIFY", is_off},	   {"NODE_TLS_REJECT_UNAUTHORIZED", is_off},
	{"NPM_CONFIG_STRICT_SSL", is_off}, {"YARN_STRICT_SSL", is_off},
	{"GIT_SSL_NO_VERIFY", NULL},	   {"PIP_TRUSTED_HOST", NULL},
};

static int tls_env_off(const char *name, const char *v)
{
	char f = name[0]; /* the variables' first letters: most names end here */
	if (f != 'P' && f != 'N' && f != 'Y' && f != 'G')
		return 0;
	for (size_t i = 0; i < sizeof tls_env / sizeof tls_env[0]; i++)
		if (!strcmp(name, tls_env[i].name))
			return v && *v && (!tls_env[i].off || tls_env[i].off(v));
	return 0;
}

/* A NAME=value word (an assignment before a command, or export's operand). */
static int tls_assign_off(const char *w)
{
	const char *eq = strchr(w, '=');
	if (!eq || eq == w || eq - w > 64)
		return 0;
	char name[65];
	memcpy(name, w, (size_t)(eq - w));
	name[eq - w] = 0;
	return tls_env_off(name, eq + 1);
}

static void tls_report(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const struct shp_sh_cmd *c,
		       const char *ev, const char *what)
{
	shp_lint_report_cmd(ctx, in, c, ev, "%s: whoever is on the network path can swap what is downloaded", what);
}

/* The same with the words of the message made here. */
static void tls_reportf(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const struct shp_sh_cmd *c,
			const char *ev, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void tls_reportf(struct shp_lint_ctx *ctx, const struct shp_df_instr *in, const struct shp_sh_cmd *c,
			const char *ev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *what = shp_vasprintf(fmt, ap);
	va_end(ap);
	tls_report(ctx, in, c, ev, what);
}

static void check_tls_run(struct shp_lint_ctx *ctx, const struct shp_df_instr *in)
{
	static const char *const pip_subs[] = {"install", "download", "wheel", NULL};
	static const char *const config_set[] = {"config", "set", NULL};
	for (size_t k = 0; k < in->sh.n; k++) {
		const struct shp_sh_cmd *c = &in->sh.cmds[k];
		const char *prog = shp_sh_prog(c);
		for (size_t a = 0; a < c->nassigns; a++)
			if (tls_assign_off(c->assigns[a]))
				tls_reportf(ctx, in, c, c->assigns[a], "%s runs %s with TLS verification off",
					    c->assigns[a], prog);
		if (c->pbit & SHP_P(EXPORT))
			for (size_t a = 1; a < c->argc; a++)
				if (tls_assign_off(c->argv[a]))
					tls_reportf(ctx, in, c, c->argv[a],
						    "export %s turns TLS verification off for the rest of the RUN",
						    c->argv[a]);
		if (c->pbit & SHP_P(CURL)) {
			for (size_t a = 1; a < c->argc; a++) {
				const char *w = c->argv[a], *kp = curl_k(w);
				if (strcmp(w, "--insecure") && !kp)
					continue;
				tls_report(ctx, in, c, w,
					   "curl with -k (--insecure) does not check the server's certificate");
				if (!kp || (kp == w + 1 && !w[2])) {
					shp_lint_fix(ctx, SHP_FIX_DROP_WORD, in, c, a, "");
				} else { /* -fsSLk -> -fsSL */
					char drop[64];
					size_t n = strlen(w);
					if (n < sizeof drop) {
						memcpy(drop, w, (size_t)(kp - w));
						strcpy(drop + (kp - w), kp + 1);
						shp_lint_fix(ctx, SHP_FIX_WORD, in, c, a, drop);
					}
				}
				break;
			}
		} else if (c->pbit & SHP_P(WGET)) {
			for (size_t a = 1; a < c->argc; a++)
				if (!strcmp(c->argv[a], "--no-check-certificate")) {
					tls_report(ctx, in, c, c->argv[a],
						   "wget with --no-check-certificate does not check the server's "
						   "certificate");
					shp_lint_fix(ctx, SHP_FIX_DROP_WORD, in, c, a, "");
					break;
				}
		} else if ((c->pbit & SHP_P(PIP)) || (c->pbit & SHP_P(PYTHON))) {
			size_t s = cmd_subcmd(c, 1, NULL);
			if (c->pbit & SHP_P(PYTHON)) /* python -m pip install */
				for (size_t a = 1; a + 1 < c->argc; a++)
					if (!strcmp(c->argv[a], "-m") && !strcmp(c->argv[a + 1], "pip"))
						s = cmd_subcmd(c, a + 2, NULL);
			if (s >= c->argc || !str_in(c->argv[s], pip_subs))
				continue;
			for (size_t a = s + 1; a < c->argc; a++)
				if (!strncmp(c->argv[a], "--trusted-host", 14)) {
					tls_report(ctx, in, c, c->argv[a],
						   "pip --trusted-host accepts that host without a valid certificate");
					break;
				}
		} else if ((c->pbit & (SHP_P(NPM) | SHP_P(YARN))) || (prog[0] == 'p' && !strcmp(prog, "pnpm"))) {
			/* npm config set strict-ssl false; npm set strict-ssl false; --strict-ssl=false */
			size_t s = cmd_subcmd(c, 1, NULL);
			if (s < c->argc && str_in(c->argv[s], config_set)) {
				size_t t = !strcmp(c->argv[s], "config") ? cmd_subcmd(c, s + 1, NULL) : s;
				size_t key = t < c->argc ? cmd_subcmd(c, t + 1, NULL) : c->argc;
				if (key < c->argc && !strcmp(c->argv[t], "set")) {
					const char *kw = c->argv[key],
						   *val = key + 1 < c->argc ? c->argv[key + 1] : NULL;
					const char *eq = strchr(kw, '=');
					if (eq) /* npm config set strict-ssl=false */
						val = eq + 1;
					if (!strncmp(kw, "strict-ssl", 10) && (kw[10] == 0 || kw[10] == '=') &&
					    is_off(val))
						tls_report(ctx, in, c, kw,
							   "strict-ssl false turns the registry's TLS checks off");
				}
			}
			for (size_t a = 1; a < c->argc; a++)
				if (!strncmp(c->argv[a], "--strict-ssl=", 13) && is_off(c->argv[a] + 13))
					tls_report(ctx, in, c, c->argv[a],
						   "--strict-ssl=false turns the registry's TLS checks off");
		} else if (prog[0] == 'g' && !strcmp(prog, "git")) {
			for (size_t a = 1; a < c->argc; a++) {
				const char *w = c->argv[a];
				const char *kv = !strcmp(w, "-c") && a + 1 < c->argc ? c->argv[a + 1] : NULL;
				if (kv && !strncasecmp(kv, "http.sslVerify=", 15) && is_off(kv + 15)) {
					tls_report(ctx, in, c, kv,
						   "git -c http.sslVerify=false does not check the server");
					break;
				}
				if (!strcasecmp(w, "http.sslVerify") && a + 1 < c->argc && is_off(c->argv[a + 1])) {
					tls_report(ctx, in, c, w,
						   "git config http.sslVerify false turns TLS checks off");
					break;
				}
			}
		} else if (c->pbit & (SHP_P(YUM) | SHP_P(DNF) | SHP_P(DNF5) | SHP_P(MICRODNF))) {
			for (size_t a = 1; a < c->argc; a++)
				if (setopt_off(c, a, "sslverify")) {
					tls_report(ctx, in, c, c->argv[a],
						   "sslverify off: the repositories' TLS is not checked");
					break;
				}
		}
	}
}

static void check_tls(struct shp_lint_ctx *ctx)
{
	DF_FOREACH(ctx->df, i, in)
	{
		if (in->kind == SHP_DF_ENV || in->kind == SHP_DF_ARG) {
			for (size_t k = 0; k < in->nkvs; k++)
				if (tls_env_off(in->kvs[k].key, in->kvs[k].value))
					shp_lint_report(
						ctx, in, in->kvs[k].key, "%s %s=%s turns TLS verification off%s",
						in->keyword, in->kvs[k].key, in->kvs[k].value,
						in->kind == SHP_DF_ENV ? ", for the build and for the running container"
								       : " for the build");
		} else if (df_is_shell_run(in)) {
			check_tls_run(ctx, in);
		}
	}
}

/* The options that install packages whose signature is not checked, per program; fixed by
 * dropping the option when it is a word of its own. */
static void check_unsigned(struct shp_lint_ctx *ctx)
{
	static const char *const apt_any[] = {"apt-get", "apt", "aptitude", NULL};
	static const char *const rpm_tools[] = {"yum", "dnf", "dnf5", "microdnf", NULL};
	const uint64_t pkg_tools = SHP_P(APK) | SHP_P(APT_GET) | SHP_P(APT) | SHP_P(APTITUDE) | SHP_P(YUM) |
				   SHP_P(DNF) | SHP_P(DNF5) | SHP_P(MICRODNF) | SHP_P(ZYPPER);
	DF_FOREACH(ctx->df, i, in)
	{
		if (!df_is_shell_run(in))
			continue;
		for (size_t k = 0; k < in->sh.n; k++) {
			const struct shp_sh_cmd *c = &in->sh.cmds[k];
			const char *prog = shp_sh_prog(c);
			if (!(c->pbit & pkg_tools) && (prog[0] != 'r' || strcmp(prog, "rpm"))) /* most commands */
				continue;
			for (size_t a = 1; a < c->argc; a++) {
				const char *w = c->argv[a], *why = NULL;
				int drop = 1;
				if (c->pbit & SHP_P(APK)) {
					if (!strcmp(w, "--allow-untrusted"))
						why = "installs packages whose signature is not checked";
				} else if (cmd_prog_in(c, apt_any)) {
					if (!strcmp(w, "--allow-unauthenticated") || !strcmp(w, "--force-yes"))
						why = "installs packages apt cannot authenticate";
					else if (!strcmp(w, "--allow-insecure-repositories"))
						why = "reads repositories that are not signed";
					else if (a + 1 < c->argc && !strcmp(w, "-o") &&
						 (!strncasecmp(c->argv[a + 1], "APT::Get::AllowUnauthenticated=", 31) ||
						  !strncasecmp(c->argv[a + 1],
							       "Acquire::AllowInsecureRepositories=", 35)) &&
						 !is_off(strchr(c->argv[a + 1], '=') + 1)) {
						why = "installs packages apt cannot authenticate";
						drop = 0;
					}
				} else if (cmd_prog_in(c, rpm_tools)) {
					if (!strcmp(w, "--nogpgcheck"))
						why = "installs packages whose signature is not checked";
					else if (setopt_off(c, a, "gpgcheck")) {
						why = "installs packages whose signature is not checked";
						drop = 0;
					}
				} else if (!strcmp(prog, "rpm")) {
					if (!strcmp(w, "--nosignature"))
						why = "installs a package whose signature is not checked";
				} else if (!strcmp(prog, "zypper")) {
					if (!strcmp(w, "--no-gpg-checks"))
						why = "installs packages whose signature is not checked";
				}
				if (!why)
					continue;
				shp_lint_report_cmd(ctx, in, c, w, "%s %s %s", prog, w, why);
				if (drop)
					shp_lint_fix(ctx, SHP_FIX_DROP_WORD, in, c, a, "");
				break;
			}
		}
	}
}

const struct shp_rule shp_rules_df_trust[] = {
	{.id = "SHP1110",
	 .slug = "tls-verification-off",
	 .severity = SHP_SEV_HIGH,
	 .title = "TLS verification turned off",
	 .rationale = "curl -k, wget --no-check-certificate, pip --trusted-host, npm's strict-ssl false, git's "
		      "http.sslVerify false, yum's sslverify=0 and variables such as NODE_TLS_REJECT_UNAUTHORIZED=0 "
		      "or PYTHONHTTPSVERIFY=0 accept any certificate: whoever sits on the network path serves the "
		      "build (or, from ENV, the running container) what they like.",
	 .remediation = "Drop the option; install the CA the server needs (COPY it to "
			"/usr/local/share/ca-certificates and run update-ca-certificates) instead.",
	 .fixable = SHP_FIX_CHANGES_BUILD,
	 .aliases = {},
	 .check_dockerfile = check_tls},
	{.id = "SHP1111",
	 .slug = "unsigned-packages",
	 .severity = SHP_SEV_HIGH,
	 .title = "Packages installed without checking their signatures",
	 .rationale = "apk --allow-untrusted, apt's --allow-unauthenticated and --force-yes, --nogpgcheck or "
		      "gpgcheck=0 for yum and dnf, rpm --nosignature and zypper --no-gpg-checks install whatever "
		      "a mirror or a man in the middle serves.",
	 .remediation = "Drop the option and import the repository's signing key (apt: signed-by=, rpm --import, "
			"apk: /etc/apk/keys).",
	 .fixable = SHP_FIX_CHANGES_BUILD,
	 .aliases = {},
	 .check_dockerfile = check_unsigned},
	{0},
};
