/* workload.c - see workload.h. */
#include "audit/workload.h"
#include "util/trivy.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *shp_wl_dup(struct shp_workloads *w, const char *s)
{
	return s ? shp_arena_strndup(&w->arena, s, strlen(s)) : NULL;
}

struct shp_workload *shp_wl_new(struct shp_workloads *w, const char *file, const char *kind, const char *name,
				shp_pos at)
{
	struct shp_workload x = {
		.file = shp_wl_dup(w, file), .kind = shp_wl_dup(w, kind), .name = shp_wl_dup(w, name), .at = at};
	SHP_PUSH(w->v, w->n, w->cap, x);
	return &w->v[w->n - 1];
}

void shp_wl_cap(struct shp_workloads *w, struct shp_workload *x, int add, const char *cap, shp_pos at)
{
	/* CAP_SYS_ADMIN, sys_admin and SYS_ADMIN are the same capability */
	if (!strncasecmp(cap, "CAP_", 4))
		cap += 4;
	char *c = shp_arena_strndup(&w->arena, cap, strlen(cap));
	for (char *p = c; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	if (add) {
		SHP_PUSH(x->cap_add, x->ncap_add, x->cap_add_cap, c);
		x->cap_add_at = shp_xrealloc(x->cap_add_at, x->cap_add_cap * sizeof *x->cap_add_at);
		x->cap_add_at[x->ncap_add - 1] = at;
	} else {
		SHP_PUSH(x->cap_drop, x->ncap_drop, x->cap_drop_cap, c);
		if (!x->cap_drop_at)
			x->cap_drop_at = at;
	}
}

void shp_wl_mount(struct shp_workloads *w, struct shp_workload *x, const struct shp_wl_mount *m)
{
	struct shp_wl_mount c = *m;
	c.source = shp_wl_dup(w, m->source);
	c.target = shp_wl_dup(w, m->target);
	c.type = shp_wl_dup(w, m->type);
	SHP_PUSH(x->mounts, x->nmounts, x->mounts_cap, c);
}

void shp_wl_device(struct shp_workloads *w, struct shp_workload *x, const char *dev, shp_pos at)
{
	SHP_PUSH(x->devices, x->ndevices, x->devices_cap, shp_wl_dup(w, dev));
	x->device_at = shp_xrealloc(x->device_at, x->devices_cap * sizeof *x->device_at);
	x->device_at[x->ndevices - 1] = at;
}

void shp_wl_env(struct shp_workloads *w, struct shp_workload *x, const char *name, const char *value, shp_pos at)
{
	struct shp_wl_env e = {shp_wl_dup(w, name), shp_wl_dup(w, value), at};
	SHP_PUSH(x->env, x->nenv, x->env_cap, e);
}

void shp_wl_port(struct shp_workloads *w, struct shp_workload *x, long host, shp_pos at)
{
	(void)w;
	struct shp_wl_port p = {host, at};
	SHP_PUSH(x->ports, x->nports, x->ports_cap, p);
}

void shp_workloads_free(struct shp_workloads *w)
{
	for (size_t i = 0; i < w->n; i++) {
		struct shp_workload *x = &w->v[i];
		free(x->cap_add);
		free(x->cap_add_at);
		free(x->cap_drop);
		free(x->mounts);
		free(x->devices);
		free(x->device_at);
		free(x->env);
		free(x->ports);
		free(x->pss);
		free(x->unmounted);
	}
	free(w->v);
	free(w->pragmas);
	shp_arena_free(&w->arena);
	memset(w, 0, sizeof *w);
}

/* Sanity limit: inline ignores in one run. */
#define MAX_PRAGMAS 100000

/* The ids of a "shipshape ignore=..." or "trivy:ignore:ID" comment (c at the '#'), or NULL. */
static const char *pragma_ids(const char *c, const char *end, size_t *n)
{
	c++;
	while (c < end && (*c == ' ' || *c == '\t'))
		c++;
	const char *v = shp_trivy_ignore(c, end, n);
	if (v || end - c <= 17 || strncasecmp(c, "shipshape ignore=", 17))
		return v;
	v = c + 17;
	const char *e = v;
	while (e < end && !isspace((unsigned char)*e) && *e != '#')
		e++;
	*n = (size_t)(e - v);
	return *n ? v : NULL;
}

void shp_wl_scan_pragmas(struct shp_workloads *w, const char *file, const char *text, size_t len)
{
	const char *end = text + len;
	size_t first_pending = w->npragmas; /* comment-only pragmas waiting for their line */
	int line = 1;
	for (const char *p = text; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		/* a comment starts at '#' at the line's start or after a blank, outside a quoted
		 * scalar (one that starts after a blank or an indicator: don't is plain) */
		const char *hash = NULL, *q = p;
		char quote = 0;
		int content = 0;
		for (; q < le; q++) {
			if (quote) {
				if (*q == quote)
					quote = 0;
			} else if ((*q == '"' || *q == '\'') && (q == p || strchr(" \t[{,:-", q[-1]))) {
				quote = *q;
				content = 1;
			} else if (*q == '#' && (q == p || q[-1] == ' ' || q[-1] == '\t')) {
				hash = q;
				break;
			} else if (!isspace((unsigned char)*q)) {
				content = 1;
			}
		}
		if (content) /* the pending pragmas cover this line */
			for (; first_pending < w->npragmas; first_pending++)
				w->pragmas[first_pending].line = line;
		size_t n;
		const char *ids = hash ? pragma_ids(hash, le, &n) : NULL;
		if (ids && w->npragmas < MAX_PRAGMAS) {
			struct shp_wl_pragma x = {file, content ? line : 0, shp_arena_strndup(&w->arena, ids, n)};
			SHP_PUSH(w->pragmas, w->npragmas, w->cpragmas, x);
			if (content)
				first_pending = w->npragmas;
		}
		p = nl ? nl + 1 : end;
	}
}

void shp_wl_security_opt(struct shp_workloads *w, struct shp_workload *x, const char *s, shp_pos at)
{
	size_t k = strcspn(s, ":=");
	const char *v = s[k] ? s + k + 1 : "";
	if (k == 17 && !strncmp(s, "no-new-privileges", 17))
		x->no_new_privileges = (struct shp_wl_bool){1, !*v || !strcmp(v, "true"), at};
	else if (k == 7 && !strncmp(s, "seccomp", 7))
		x->seccomp = (struct shp_wl_str){shp_wl_dup(w, v), at};
	else if (k == 8 && !strncmp(s, "apparmor", 8))
		x->apparmor = (struct shp_wl_str){shp_wl_dup(w, v), at};
}

void shp_wl_volume_spec(struct shp_workloads *w, struct shp_workload *x, const char *s, shp_pos at)
{
	struct shp_wl_mount m = {.at = at, .type = "volume"};
	char *copy = shp_xstrdup(s);
	char *parts[3] = {0};
	int n = 0;
	for (char *save = NULL, *t = strtok_r(copy, ":", &save); t && n < 3; t = strtok_r(NULL, ":", &save))
		parts[n++] = t;
	if (n == 1)
		m.target = parts[0];
	else if (n > 1) {
		m.target = parts[1];
		if (parts[0][0] == '/' || parts[0][0] == '.' || parts[0][0] == '~') {
			m.source = parts[0];
			m.type = "bind";
		} /* else a named volume */
		if (n == 3) {
			m.read_only = strstr(parts[2], "ro") && !strstr(parts[2], "rw");
			m.propagation_shared = strstr(parts[2], "shared") && !strstr(parts[2], "slave");
		}
	}
	if (m.target) /* "" and ":" name nothing */
		shp_wl_mount(w, x, &m);
	free(copy);
}

void shp_wl_port_spec(struct shp_workloads *w, struct shp_workload *x, const char *s, shp_pos at)
{
	char *c = shp_xstrndup(s, strcspn(s, "/"));
	char *last = strrchr(c, ':');
	long host = 0;
	if (last) {
		*last = 0;
		char *hp = strrchr(c, ':');
		host = strtol(hp ? hp + 1 : c, NULL, 10);
	}
	free(c);
	shp_wl_port(w, x, host, at);
}

void shp_wl_env_kv(struct shp_workloads *w, struct shp_workload *x, const char *s, shp_pos at)
{
	const char *eq = strchr(s, '=');
	if (!eq) { /* inherited from the engine's environment: a name with no value */
		shp_wl_env(w, x, s, NULL, at);
		return;
	}
	char *k = shp_xstrndup(s, (size_t)(eq - s));
	shp_wl_env(w, x, k, eq + 1, at);
	free(k);
}
