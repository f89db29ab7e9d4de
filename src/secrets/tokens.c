/* tokens.c - see tokens.h. */
#include "secrets/tokens.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum cls { C_UPNUM, C_ALNUM, C_B64URL, C_ALNUM_DASH };

static const struct tok {
	const char *prefix;
	enum cls cls;
	size_t min, max; /* length of the part after the prefix */
	const char *kind;
} tokens[] = {
	{"AKIA", C_UPNUM, 16, 16, "AWS access key id"},
	{"ASIA", C_UPNUM, 16, 16, "AWS temporary access key id"},
	{"ghp_", C_ALNUM, 36, 36, "GitHub personal access token"},
	{"gho_", C_ALNUM, 36, 36, "GitHub OAuth token"},
	{"ghu_", C_ALNUM, 36, 36, "GitHub user token"},
	{"ghs_", C_ALNUM, 36, 36, "GitHub server token"},
	{"ghr_", C_ALNUM, 36, 36, "GitHub refresh token"},
	{"github_pat_", C_B64URL, 82, 82, "GitHub fine-grained token"},
	{"glpat-", C_B64URL, 20, 20, "GitLab personal access token"},
	{"xoxb-", C_ALNUM_DASH, 10, 200, "Slack bot token"},
	{"xoxp-", C_ALNUM_DASH, 10, 200, "Slack user token"},
	{"xoxa-", C_ALNUM_DASH, 10, 200, "Slack app token"},
	{"xoxs-", C_ALNUM_DASH, 10, 200, "Slack session token"},
	{"sk_live_", C_ALNUM, 24, 99, "Stripe secret key"},
	{"rk_live_", C_ALNUM, 24, 99, "Stripe restricted key"},
	{"npm_", C_ALNUM, 36, 36, "npm access token"},
	{"pypi-AgEIcHlwaS5vcmc", C_B64URL, 50, 300, "PyPI upload token"},
	{"AIza", C_B64URL, 35, 35, "Google API key"},
	{"sk-proj-", C_B64URL, 40, 300, "OpenAI API key"},
	{"dop_v1_", C_ALNUM, 64, 64, "DigitalOcean token"},
	{"hf_", C_ALNUM, 34, 34, "Hugging Face token"},
};

static int in_cls(enum cls c, char ch)
{
	unsigned char u = (unsigned char)ch;
	switch (c) {
	case C_UPNUM: return isupper(u) || isdigit(u);
	case C_ALNUM: return isalnum(u);
	case C_B64URL: return isalnum(u) || ch == '_' || ch == '-';
	case C_ALNUM_DASH: return isalnum(u) || ch == '-';
	}
	return 0;
}

static int jwt_at(const char *s, size_t *len)
{
	/* header.payload.signature, both JSON parts starting "eyJ" ('{"' in base64url). */
	if (strncmp(s, "eyJ", 3))
		return 0;
	size_t i = 0;
	for (int part = 0; part < 3; part++) {
		size_t st = i;
		while (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-')
			i++;
		if (i - st < 10)
			return 0;
		if (part == 1 && strncmp(s + st, "eyJ", 3))
			return 0;
		if (part < 2) {
			if (s[i] != '.')
				return 0;
			i++;
		}
	}
	*len = i;
	return 1;
}

static uint32_t first_byte[256];
static pthread_once_t first_once = PTHREAD_ONCE_INIT;

static void build_first(void)
{
	_Static_assert(sizeof tokens / sizeof tokens[0] <= 32, "one bit per token kind");
	for (size_t t = 0; t < sizeof tokens / sizeof tokens[0]; t++)
		first_byte[(unsigned char)tokens[t].prefix[0]] |= (uint32_t)1 << t;
}

/* The shortest token we know ("xoxb-" and ten characters). */
#define MIN_TOKEN_LEN 15

int shp_token_find(const char *s, struct shp_token_match *m)
{
	size_t len = strlen(s);
	if (len < MIN_TOKEN_LEN)
		return 0; /* most words of a RUN line end here */
	const char *pk = memchr(s, '-', len) ? strstr(s, "-----BEGIN") : NULL;
	if (pk && strstr(pk, "PRIVATE KEY")) {
		m->kind = "private key";
		m->off = (size_t)(pk - s);
		m->len = strlen(pk);
		return 1;
	}
	/* Which token kinds start with each byte: every other position is skipped at once. */
	pthread_once(&first_once, build_first);
	for (const char *p = s; p + MIN_TOKEN_LEN <= s + len; p++) {
		uint32_t cand = first_byte[(unsigned char)*p];
		if (!cand && *p != 'e')
			continue;
		/* Tokens start at a word boundary. */
		if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		size_t jl;
		if (*p == 'e' && jwt_at(p, &jl)) {
			m->kind = "JSON web token";
			m->off = (size_t)(p - s);
			m->len = jl;
			return 1;
		}
		for (; cand; cand &= cand - 1) {
			const struct tok *k = &tokens[__builtin_ctz(cand)];
			size_t pl = strlen(k->prefix);
			if (strncmp(p, k->prefix, pl))
				continue;
			size_t n = 0;
			while (n <= k->max && in_cls(k->cls, p[pl + n]))
				n++;
			if (n < k->min || n > k->max)
				continue;
			if (k->min == k->max && (isalnum((unsigned char)p[pl + n]) || p[pl + n] == '_'))
				continue;
			m->kind = k->kind;
			m->off = (size_t)(p - s);
			m->len = pl + n;
			return 1;
		}
	}
	return 0;
}

int shp_secret_name(const char *name)
{
	static const char *const words[] = {"PASSWORD",	  "PASSWD",
					    "PASSPHRASE", "SECRET",
					    "TOKEN",	  "APIKEY",
					    "API_KEY",	  "ACCESS_KEY",
					    "ACCESSKEY",  "PRIVATE_KEY",
					    "PRIVATEKEY", "SECRET_KEY",
					    "CREDENTIAL", "AUTH_KEY",
					    "AUTHKEY",	  "CLIENT_SECRET",
					    "_PASS",	  "PASS_",
					    "_PWD",	  "_PSW",
					    "CONN_STR",	  "CONNECTION_STRING",
					    NULL};
	static const char *const not_secret[] = {"_FILE",   "_PATH",	"_DIR", "_LENGTH",   "_SHA",
						 "_SHA256", "_VERSION", "_URL", "_ENDPOINT", "_TYPE",
						 "_NAME",   "_HOST",	NULL};
	char up[256];
	size_t n = strlen(name);
	if (n == 0 || n >= sizeof up)
		return 0;
	for (size_t i = 0; i < n; i++)
		up[i] = (char)toupper((unsigned char)name[i]);
	up[n] = 0;
	for (int i = 0; not_secret[i]; i++) {
		size_t l = strlen(not_secret[i]);
		if (n > l && !strcmp(up + n - l, not_secret[i]))
			return 0;
	}
	if (!strcmp(up, "PASS") || !strcmp(up, "PWD_SECRET"))
		return 1;
	for (int i = 0; words[i]; i++) {
		const char *w = words[i];
		const char *hit = strstr(up, w);
		if (!hit)
			continue;
		/* "_PASS" must end the name or be followed by '_': DB_PASS, not DB_PASSTHROUGH. */
		if (!strcmp(w, "_PASS") && hit[5] && hit[5] != '_')
			continue;
		if (!strcmp(w, "PASS_") && hit != up)
			continue;
		/* "_PWD", and Jenkins' "_PSW" (credentials('id') binds NAME_USR and NAME_PSW) */
		if ((!strcmp(w, "_PWD") || !strcmp(w, "_PSW")) && hit[4] && hit[4] != '_')
			continue;
		return 1;
	}
	return 0;
}

int shp_secret_literal(const char *v)
{
	if (!v || !*v)
		return 0;
	if (v[0] == '$' || strstr(v, "{{"))
		return 0;
	return !shp_secret_path(v);
}

int shp_secret_path(const char *v)
{
	if (strchr(v, ' ') || strchr(v, '\t'))
		return 0;
	return v[0] == '/' || !strncmp(v, "./", 2) || !strncmp(v, "../", 3) || !strncmp(v, "~/", 2);
}

char *shp_redact(const char *secret)
{
	size_t n = strlen(secret);
	size_t keep = n >= 20 ? 4 : n >= 10 ? 2 : 0;
	char *r = shp_xmalloc(keep + 5);
	memcpy(r, secret, keep);
	memcpy(r + keep, "****", 5);
	return r;
}
