/* compose.c - docker-compose / Compose Specification files to workloads: each service, with
 * `extends` of a service in the same file, merge keys and anchors (yaml.c), and ${VAR},
 * ${VAR:-default}, ${VAR-default}, $VAR interpolated from the environment and the .env file
 * next to the compose file (the environment wins, as in compose). Profiles do not hide a
 * service: every service is audited. */
#include "audit/readers.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ctx {
	yaml_document_t *d;
	struct shp_workloads *w;
	const char *path;
	ynode *services;
	char **dotenv; /* KEY=VALUE strings */
	size_t ndotenv, cdotenv;
};

static const char *lookup(struct ctx *c, const char *name, size_t n)
{
	_cleanup_free_ char *k = shp_xstrndup(name, n);
	const char *e = getenv(k); /* the environment first, then .env */
	if (e)
		return e;
	for (size_t i = 0; i < c->ndotenv; i++)
		if (!strncmp(c->dotenv[i], name, n) && c->dotenv[i][n] == '=')
			return c->dotenv[i] + n + 1;
	return NULL;
}

/* A scalar with its variables substituted, in the workloads' arena (the document goes away
 * before the rules run); NULL if not a scalar. */
static const char *val(struct ctx *c, ynode *n)
{
	const char *s = shp_y_str(n);
	if (!s || !strchr(s, '$'))
		return shp_wl_dup(c->w, s);
	struct shp_buf b = {0};
	shp_buf_puts(&b, "");
	for (const char *p = s; *p;) {
		if (*p != '$') {
			shp_buf_putc(&b, *p++);
			continue;
		}
		if (p[1] == '$') { /* $$ is a literal $ */
			shp_buf_putc(&b, '$');
			p += 2;
			continue;
		}
		const char *name, *end, *dflt = NULL;
		size_t nl, dl = 0;
		int colon = 0;
		if (p[1] == '{') {
			name = p + 2;
			end = strchr(name, '}');
			if (!end) {
				shp_buf_puts(&b, p);
				break;
			}
			nl = strcspn(name, ":-?}");
			if (name + nl < end && (name[nl] == ':' || name[nl] == '-')) {
				colon = name[nl] == ':';
				dflt = name + nl + colon + 1;
				dl = (size_t)(end - dflt);
			}
			end++;
		} else {
			name = p + 1;
			nl = 0;
			while ((name[nl] >= 'A' && name[nl] <= 'Z') || (name[nl] >= 'a' && name[nl] <= 'z') ||
			       (name[nl] >= '0' && name[nl] <= '9') || name[nl] == '_')
				nl++;
			if (!nl) {
				shp_buf_putc(&b, *p++);
				continue;
			}
			end = name + nl;
		}
		const char *v = lookup(c, name, nl);
		if (dflt && (!v || (colon && !*v)))
			shp_buf_add(&b, dflt, dl);
		else if (v)
			shp_buf_puts(&b, v);
		p = end;
	}
	const char *r = shp_wl_dup(c->w, b.data);
	shp_buf_free(&b);
	return r;
}

static void read_dotenv(struct ctx *c)
{
	const char *slash = strrchr(c->path, '/');
	_cleanup_free_ char *p = slash ? shp_asprintf("%.*s/.env", (int)(slash - c->path), c->path) : shp_xstrdup(".env");
	_cleanup_free_ char *text = NULL;
	struct shp_error *err = NULL;
	if (shp_read_file(p, 1u << 20, &text, NULL, &err) < 0) {
		shp_error_free(err);
		return;
	}
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		while (*l == ' ' || *l == '\t')
			l++;
		if (*l == '#' || !strchr(l, '='))
			continue;
		if (!strncmp(l, "export ", 7))
			l += 7;
		char *eq = strchr(l, '='), *v = eq + 1;
		size_t vn = strlen(v);
		while (vn && (v[vn - 1] == '\r' || v[vn - 1] == ' '))
			v[--vn] = 0;
		if (vn >= 2 && (v[0] == '"' || v[0] == '\'') && v[vn - 1] == v[0]) {
			v[vn - 1] = 0;
			memmove(v, v + 1, vn - 1);
		}
		SHP_PUSH(c->dotenv, c->ndotenv, c->cdotenv, shp_xstrdup(l));
	}
}

/* A service's setting, from the service or what it extends (same file, depth-limited). */
static ynode *sget(struct ctx *c, ynode *svc, const char *key)
{
	for (int depth = 0; svc && depth < 8; depth++) {
		ynode *v = shp_y_get(c->d, svc, key);
		if (v)
			return v;
		ynode *ext = shp_y_get(c->d, svc, "extends");
		const char *base = shp_y_is_map(ext) ? val(c, shp_y_get(c->d, ext, "service")) : val(c, ext);
		if (!base || (shp_y_is_map(ext) && shp_y_get(c->d, ext, "file")))
			return NULL; /* another file: not followed */
		svc = shp_y_get(c->d, c->services, base);
	}
	return NULL;
}

static void set_bool(struct ctx *c, struct shp_wl_bool *b, ynode *n, int invert)
{
	int v = shp_y_bool(n);
	if (v < 0) {
		const char *s = val(c, n);
		v = s ? (!strcasecmp(s, "true") ? 1 : !strcasecmp(s, "false") ? 0 : -1) : -1;
	}
	if (v >= 0)
		*b = (struct shp_wl_bool){1, invert ? !v : v, shp_y_line(n)};
}

static void volumes(struct ctx *c, struct shp_workload *x, ynode *vols)
{
	for (size_t i = 0; i < shp_y_len(vols); i++) {
		ynode *v = shp_y_item(c->d, vols, i);
		const char *s = val(c, v);
		if (s) {
			shp_wl_volume_spec(c->w, x, s, shp_y_line(v));
			continue;
		}
		if (!shp_y_is_map(v))
			continue;
		struct shp_wl_mount m = {.line = shp_y_line(v)};
		m.type = val(c, shp_y_get(c->d, v, "type"));
		m.source = val(c, shp_y_get(c->d, v, "source"));
		m.target = val(c, shp_y_get(c->d, v, "target"));
		m.read_only = shp_y_bool(shp_y_get(c->d, v, "read_only")) == 1;
		const char *prop = val(c, shp_y_path(c->d, v, "bind", "propagation", NULL));
		m.propagation_shared = prop && (!strcmp(prop, "shared") || !strcmp(prop, "rshared"));
		if (!m.type)
			m.type = "volume";
		if (strcmp(m.type, "bind"))
			m.source = NULL;
		if (m.target)
			shp_wl_mount(c->w, x, &m);
	}
}

/* "8080:80", "127.0.0.1:80:80/tcp", "80", "8000-8005:80-85", {published: 80, target: 80} */
static void ports(struct ctx *c, struct shp_workload *x, ynode *ps)
{
	for (size_t i = 0; i < shp_y_len(ps); i++) {
		ynode *p = shp_y_item(c->d, ps, i);
		const char *s = val(c, p);
		if (s)
			shp_wl_port_spec(c->w, x, s, shp_y_line(p));
		else if (shp_y_is_map(p)) {
			const char *pub = val(c, shp_y_get(c->d, p, "published"));
			shp_wl_port(c->w, x, pub ? strtol(pub, NULL, 10) : 0, shp_y_line(p));
		}
	}
}

static void environment(struct ctx *c, struct shp_workload *x, ynode *env)
{
	for (size_t i = 0; i < shp_y_npairs(env); i++)
		shp_wl_env(c->w, x, val(c, shp_y_key(c->d, env, i)), val(c, shp_y_val(c->d, env, i)),
			   shp_y_line(shp_y_val(c->d, env, i)));
	for (size_t i = 0; i < shp_y_len(env); i++) {
		ynode *e = shp_y_item(c->d, env, i);
		if (val(c, e))
			shp_wl_env_kv(c->w, x, val(c, e), shp_y_line(e));
	}
}

static void security_opts(struct ctx *c, struct shp_workload *x, ynode *opts)
{
	for (size_t i = 0; i < shp_y_len(opts); i++) {
		ynode *o = shp_y_item(c->d, opts, i);
		const char *s = val(c, o);
		if (!s)
			continue;
		shp_wl_security_opt(c->w, x, s, shp_y_line(o));
	}
}

static void service(struct ctx *c, const char *name, ynode *svc, int line)
{
	struct shp_workload *x = shp_wl_new(c->w, c->path, "service", name, line);
	ynode *n;
	if ((n = sget(c, svc, "image")))
		x->image = (struct shp_wl_str){val(c, n), shp_y_line(n)};
	if ((n = sget(c, svc, "user")))
		x->user = (struct shp_wl_str){val(c, n), shp_y_line(n)};
	set_bool(c, &x->privileged, sget(c, svc, "privileged"), 0);
	set_bool(c, &x->read_only_rootfs, sget(c, svc, "read_only"), 0);
	ynode *caps[2] = {sget(c, svc, "cap_add"), sget(c, svc, "cap_drop")};
	for (int a = 0; a < 2; a++)
		for (size_t i = 0; i < shp_y_len(caps[a]); i++) {
			ynode *e = shp_y_item(c->d, caps[a], i);
			if (val(c, e))
				shp_wl_cap(c->w, x, a == 0, val(c, e), shp_y_line(e));
		}
	security_opts(c, x, sget(c, svc, "security_opt"));
	static const struct {
		const char *key;
		size_t off;
	} host_modes[] = {
		{"pid", offsetof(struct shp_workload, host_pid)},
		{"ipc", offsetof(struct shp_workload, host_ipc)},
		{"network_mode", offsetof(struct shp_workload, host_network)},
		{"uts", offsetof(struct shp_workload, host_uts)},
		{"userns_mode", offsetof(struct shp_workload, host_userns)},
	};
	for (size_t i = 0; i < sizeof host_modes / sizeof host_modes[0]; i++) {
		n = sget(c, svc, host_modes[i].key);
		const char *s = val(c, n);
		if (s)
			*(struct shp_wl_bool *)((char *)x + host_modes[i].off) = (struct shp_wl_bool){1, !strcmp(s, "host"),
												     shp_y_line(n)};
	}
	for (size_t i = 0; i < shp_y_len(n = sget(c, svc, "devices")); i++) {
		ynode *e = shp_y_item(c->d, n, i);
		const char *s = val(c, e);
		if (!s && shp_y_is_map(e))
			s = val(c, shp_y_get(c->d, e, "source"));
		if (s)
			shp_wl_device(c->w, x, s, shp_y_line(e));
	}
	volumes(c, x, sget(c, svc, "volumes"));
	ports(c, x, sget(c, svc, "ports"));
	environment(c, x, sget(c, svc, "environment"));
	ynode *limits = shp_y_path(c->d, sget(c, svc, "deploy"), "resources", "limits", NULL);
	struct {
		struct shp_wl_bool *b;
		const char *a, *b2, *deploy;
	} lim[] = {
		{&x->memory_limit, "mem_limit", "memory", "memory"},
		{&x->cpu_limit, "cpus", "cpu_quota", "cpus"},
		{&x->pids_limit, "pids_limit", NULL, "pids"},
	};
	for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
		n = sget(c, svc, lim[i].a);
		if (!n && lim[i].b2)
			n = sget(c, svc, lim[i].b2);
		if (!n)
			n = shp_y_get(c->d, limits, lim[i].deploy);
		const char *s = val(c, n);
		if (s)
			*lim[i].b = (struct shp_wl_bool){1, strcmp(s, "0") && strcmp(s, "-1") && *s, shp_y_line(n)};
	}
}

int shp_audit_compose(yaml_document_t *d, const char *path, struct shp_workloads *w)
{
	ynode *services = shp_y_get(d, shp_y_root(d), "services");
	if (!shp_y_is_map(services))
		return 0;
	struct ctx c = {.d = d, .w = w, .path = path, .services = services};
	read_dotenv(&c);
	for (size_t i = 0; i < shp_y_npairs(services); i++) {
		ynode *k = shp_y_key(d, services, i), *v = shp_y_val(d, services, i);
		if (shp_y_str(k) && shp_y_is_map(v))
			service(&c, shp_y_str(k), v, shp_y_line(k));
	}
	for (size_t i = 0; i < c.ndotenv; i++)
		free(c.dotenv[i]);
	free(c.dotenv);
	return 1;
}
