/* workload.c - see workload.h. */
#include "audit/workload.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *shp_wl_dup(struct shp_workloads *w, const char *s)
{
	return s ? shp_arena_strndup(&w->arena, s, strlen(s)) : NULL;
}

struct shp_workload *shp_wl_new(struct shp_workloads *w, const char *file, const char *kind, const char *name, int line)
{
	struct shp_workload x = {.file = shp_wl_dup(w, file), .kind = shp_wl_dup(w, kind), .name = shp_wl_dup(w, name),
				 .line = line};
	SHP_PUSH(w->v, w->n, w->cap, x);
	return &w->v[w->n - 1];
}

void shp_wl_cap(struct shp_workloads *w, struct shp_workload *x, int add, const char *cap, int line)
{
	/* CAP_SYS_ADMIN, sys_admin and SYS_ADMIN are the same capability */
	if (!strncasecmp(cap, "CAP_", 4))
		cap += 4;
	char *c = shp_arena_strndup(&w->arena, cap, strlen(cap));
	for (char *p = c; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	if (add) {
		SHP_PUSH(x->cap_add, x->ncap_add, x->cap_add_cap, c);
		x->cap_add_line = shp_xrealloc(x->cap_add_line, x->cap_add_cap * sizeof *x->cap_add_line);
		x->cap_add_line[x->ncap_add - 1] = line;
	} else {
		SHP_PUSH(x->cap_drop, x->ncap_drop, x->cap_drop_cap, c);
		if (!x->cap_drop_line)
			x->cap_drop_line = line;
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

void shp_wl_device(struct shp_workloads *w, struct shp_workload *x, const char *dev, int line)
{
	SHP_PUSH(x->devices, x->ndevices, x->devices_cap, shp_wl_dup(w, dev));
	x->device_line = shp_xrealloc(x->device_line, x->devices_cap * sizeof *x->device_line);
	x->device_line[x->ndevices - 1] = line;
}

void shp_wl_env(struct shp_workloads *w, struct shp_workload *x, const char *name, const char *value, int line)
{
	struct shp_wl_env e = {shp_wl_dup(w, name), shp_wl_dup(w, value), line};
	SHP_PUSH(x->env, x->nenv, x->env_cap, e);
}

void shp_wl_port(struct shp_workloads *w, struct shp_workload *x, long host, int line)
{
	(void)w;
	struct shp_wl_port p = {host, line};
	SHP_PUSH(x->ports, x->nports, x->ports_cap, p);
}

void shp_workloads_free(struct shp_workloads *w)
{
	for (size_t i = 0; i < w->n; i++) {
		struct shp_workload *x = &w->v[i];
		free(x->cap_add), free(x->cap_add_line), free(x->cap_drop), free(x->mounts);
		free(x->devices), free(x->device_line), free(x->env), free(x->ports);
	}
	free(w->v);
	shp_arena_free(&w->arena);
	memset(w, 0, sizeof *w);
}

void shp_wl_security_opt(struct shp_workloads *w, struct shp_workload *x, const char *s, int line)
{
	size_t k = strcspn(s, ":=");
	const char *v = s[k] ? s + k + 1 : "";
	if (k == 17 && !strncmp(s, "no-new-privileges", 17))
		x->no_new_privileges = (struct shp_wl_bool){1, !*v || !strcmp(v, "true"), line};
	else if (k == 7 && !strncmp(s, "seccomp", 7))
		x->seccomp = (struct shp_wl_str){shp_wl_dup(w, v), line};
	else if (k == 8 && !strncmp(s, "apparmor", 8))
		x->apparmor = (struct shp_wl_str){shp_wl_dup(w, v), line};
}

void shp_wl_volume_spec(struct shp_workloads *w, struct shp_workload *x, const char *s, int line)
{
	struct shp_wl_mount m = {.line = line, .type = "volume"};
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

void shp_wl_port_spec(struct shp_workloads *w, struct shp_workload *x, const char *s, int line)
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
	shp_wl_port(w, x, host, line);
}

void shp_wl_env_kv(struct shp_workloads *w, struct shp_workload *x, const char *s, int line)
{
	const char *eq = strchr(s, '=');
	if (!eq) { /* inherited from the engine's environment: a name with no value */
		shp_wl_env(w, x, s, NULL, line);
		return;
	}
	char *k = shp_xstrndup(s, (size_t)(eq - s));
	shp_wl_env(w, x, k, eq + 1, line);
	free(k);
}
