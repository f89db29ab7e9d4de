/* df-util.c - see df-util.h. */
#include "rules/df-util.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int starts_with(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

int str_in(const char *s, const char *const *list)
{
	/* Hot: every rule asks it about every command; the first byte rejects most. */
	for (; list && *list; list++)
		if (s[0] == (*list)[0] && !strcmp(s, *list))
			return 1;
	return 0;
}

const char *path_base(const char *p)
{
	const char *b = p;
	for (const char *c = p; *c; c++)
		if ((*c == '/' || *c == '\\') && c[1])
			b = c + 1;
	return b;
}

int has_var(const char *s) { return strchr(s, '$') != NULL || strstr(s, "{{") != NULL; }

struct exp_arg {
	const struct shp_dockerfile *df;
	size_t idx;
};

static const char *exp_lookup(const char *name, void *arg)
{
	struct exp_arg *a = arg;
	return shp_df_var(a->df, a->idx, name);
}

char *df_expand_at(const struct shp_dockerfile *df, size_t idx, const char *s)
{
	struct exp_arg a = {df, idx};
	return shp_df_expand(s, exp_lookup, &a, NULL);
}

int df_final_stage(const struct shp_dockerfile *df) { return df->nstages ? (int)df->nstages - 1 : -1; }

int df_stage_chain(const struct shp_dockerfile *df, int s, int (*fn)(const struct shp_dockerfile *, int, void *),
		   void *arg)
{
	/* Parents always come earlier; hostile chains are cut at a named limit. */
	for (int hop = 0; s >= 0 && hop < SHP_DF_MAX_STAGE_CHAIN; hop++) {
		if (fn(df, s, arg))
			return 1;
		int p = df->stages[s].parent;
		if (p >= s)
			break;
		s = p;
	}
	return 0;
}

int cmd_prog_in(const struct shp_sh_cmd *c, const char *const *names) { return str_in(shp_sh_prog(c), names); }

static int takes_value(const char *w, const char *const *vflags)
{
	/* "--opt=value" and "-ovalue" carry their value. */
	if (strchr(w, '='))
		return 0;
	return str_in(w, vflags);
}

size_t cmd_subcmd(const struct shp_sh_cmd *c, size_t from, const char *const *vflags)
{
	for (size_t i = from; i < c->argc; i++) {
		const char *w = c->argv[i];
		if (w[0] == '-' && w[1]) {
			if (takes_value(w, vflags))
				i++;
			continue;
		}
		return i;
	}
	return c->argc;
}

int cmd_is(const struct shp_sh_cmd *c, const char *const *progs, const char *const *subs, const char *const *vflags,
	   size_t *sub_idx)
{
	if (!cmd_prog_in(c, progs))
		return 0;
	size_t s = cmd_subcmd(c, 1, vflags);
	if (s >= c->argc || !str_in(c->argv[s], subs))
		return 0;
	if (sub_idx)
		*sub_idx = s;
	return 1;
}

size_t cmd_operands(const struct shp_sh_cmd *c, size_t from, const char *const *vflags, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = from; i < c->argc && n < max; i++) {
		const char *w = c->argv[i];
		if (!strcmp(w, "--"))
			break;
		if (w[0] == '-' && w[1]) {
			if (takes_value(w, vflags))
				i++;
			continue;
		}
		out[n++] = w;
	}
	return n;
}

int run_has_cache_mount(const struct shp_df_instr *in, const char *path, int prefix)
{
	for (size_t i = 0; i < in->nflags; i++) {
		if (strcmp(in->flags[i].name, "mount") || !in->flags[i].value)
			continue;
		char *type = shp_df_mount_opt(in->flags[i].value, "type");
		char *t = shp_df_mount_opt(in->flags[i].value, "target");
		if (!t)
			t = shp_df_mount_opt(in->flags[i].value, "dst");
		if (!t)
			t = shp_df_mount_opt(in->flags[i].value, "destination");
		int ok = type && (!strcmp(type, "cache") || !strcmp(type, "tmpfs")) && t;
		if (ok) {
			size_t tl = strlen(t);
			while (tl > 1 && t[tl - 1] == '/')
				t[--tl] = 0;
			ok = prefix ? starts_with(t, path) : !strcmp(t, path);
		}
		free(type);
		free(t);
		if (ok)
			return 1;
	}
	return 0;
}

/* The length of ref's registry host (its first component when that has a dot or a port, or
 * is localhost), 0 for a Docker Hub name. */
static size_t host_len(const char *ref)
{
	const char *slash = strchr(ref, '/');
	if (!slash)
		return 0;
	size_t n = (size_t)(slash - ref);
	return memchr(ref, '.', n) || memchr(ref, ':', n) || (n == 9 && !memcmp(ref, "localhost", 9)) ? n : 0;
}

char *image_registry(const char *ref)
{
	size_t n = host_len(ref);
	if (!n || (n == 15 && !memcmp(ref, "index.docker.io", 15)) ||
	    (n == 20 && !memcmp(ref, "registry-1.docker.io", 20)))
		return shp_xstrdup("docker.io");
	return shp_xstrndup(ref, n);
}

const char *image_path(const char *ref)
{
	size_t n = host_len(ref);
	return n ? ref + n + 1 : ref;
}

void image_parts(const char *ref, const char **tag, size_t *taglen, const char **digest)
{
	*tag = NULL;
	*taglen = 0;
	*digest = NULL;
	const char *at = strchr(ref, '@');
	if (at)
		*digest = at + 1;
	const char *end = at ? at : ref + strlen(ref);
	const char *slash = NULL;
	for (const char *c = ref; c < end; c++)
		if (*c == '/')
			slash = c;
	const char *colon = NULL;
	for (const char *c = slash ? slash : ref; c < end; c++)
		if (*c == ':')
			colon = c;
	if (colon && end > colon + 1) { /* "name:" (an empty ${TAG}) has no tag */
		*tag = colon + 1;
		*taglen = (size_t)(end - colon - 1);
	}
}
