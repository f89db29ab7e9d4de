/* tokens.c - see tokens.h. */
#include "secrets/tokens.h"
#include "secrets/scan.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The shortest token the callers look for in a word ("xoxb-" and ten characters): most words
 * of a RUN line are shorter and not scanned. */
#define MIN_TOKEN_LEN 15

struct first {
	int kind;
	size_t start, end;
};

static void on_first(void *arg, int kind, size_t start, size_t end)
{
	struct first *f = arg;
	if (f->kind < 0 || start < f->start)
		*f = (struct first){kind, start, end};
}

int shp_token_find(const char *s, struct shp_token_match *m)
{
	size_t len = strlen(s);
	if (len < MIN_TOKEN_LEN)
		return 0;
	/* the content scanner's rules, as a file's text is searched: not a file, so the patterns
	 * of one file format (KEY=value files, .npmrc) do not run */
	struct first f = {.kind = -1};
	if (!shp_secrets_scan(s, len, NULL, on_first, &f))
		return 0;
	size_t n;
	m->kind = shp_secret_kinds(&n)[f.kind].title;
	m->off = f.start;
	m->len = f.end - f.start;
	return 1;
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
