/* compose.c - docker-compose / Compose Specification files to workloads: each service, with
 * `extends` (of a service in the same file or, with `file:`, in another compose file, as
 * compose merges them: the nearer service's scalars and keys win, sequences add up, mounts
 * and environment variables override by target and name, !reset and !override tags drop or
 * replace what the bases set), merge keys and anchors (yaml.c),
 * and ${VAR}, ${VAR:-default}, ${VAR-default}, $VAR interpolated from the environment and the
 * .env file next to the compose file (the environment wins, as in compose). A setting that
 * comes from another file is reported at the `extends:` that brought it in. Profiles do not
 * hide a service: every service is audited. */
#include "audit/readers.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Sanity limits: services in one extends chain, other files one compose file extends. */
#define MAX_EXTENDS 8
#define MAX_EXT_FILES 16

struct ext_file {
	char *path;
	dev_t dev;
	ino_t ino;
	struct shp_ystream s;
};

/* One service of an extends chain, and the file it is in. */
struct level {
	yaml_document_t *d;
	ynode *svc;
	const char *path;
};

struct ctx {
	yaml_document_t *d; /* the compose file's own document */
	struct shp_workloads *w;
	const char *path;
	struct stat own; /* the compose file's own identity (zero when it cannot be stat'ed) */
	char **dotenv;	 /* KEY=VALUE strings */
	size_t ndotenv, cdotenv;
	struct ext_file files[MAX_EXT_FILES];
	size_t nfiles;
	struct level lv[MAX_EXTENDS]; /* the service being read, then what it extends, nearest first */
	size_t nlv;
	shp_pos ext_at; /* the extends that left this file: the place of what came from elsewhere */
};

static int in_doc(yaml_document_t *d, ynode *n) { return n >= d->nodes.start && n < d->nodes.top; }

/* The document a node belongs to (nodes of several files meet in one chain). */
static yaml_document_t *docof(struct ctx *c, ynode *n)
{
	if (!n || in_doc(c->d, n))
		return c->d;
	for (size_t i = 0; i < c->nfiles; i++)
		for (size_t j = 0; j < c->files[i].s.n; j++)
			if (in_doc(&c->files[i].s.docs[j], n))
				return &c->files[i].s.docs[j];
	return c->d;
}

static ynode *get(struct ctx *c, ynode *map, const char *key) { return shp_y_get(docof(c, map), map, key); }
static ynode *item(struct ctx *c, ynode *seq, size_t i) { return shp_y_item(docof(c, seq), seq, i); }

/* Where a node is reported: its own place in this file, else the extends that brought it. */
static shp_pos ln(struct ctx *c, ynode *n)
{
	if (!n)
		return 0;
	return in_doc(c->d, n) ? shp_y_pos(n) : c->ext_at;
}

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
	_cleanup_free_ char *p =
		slash ? shp_asprintf("%.*s/.env", (int)(slash - c->path), c->path) : shp_xstrdup(".env");
	_cleanup_free_ char *text = NULL;
	struct shp_error *err = NULL;
	struct stat st;
	if (stat(p, &st) < 0 || !S_ISREG(st.st_mode))
		return; /* none, or a FIFO not to wait on */
	if (shp_read_file_at(AT_FDCWD, p, SHP_OPEN_FOUND, NULL, 1u << 20, &text, NULL, &err) < 0) {
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

/* A file named by `extends: {file: ...}`, relative to the file that names it; read once
 * (files are told apart by device and inode, so links and ../ spellings meet). */
static int load(struct ctx *c, const char *from, const char *file, int line, struct level *out, struct shp_error **err)
{
	const char *slash = strrchr(from, '/');
	_cleanup_free_ char *p =
		file[0] == '/' || !slash ? shp_xstrdup(file) : shp_asprintf("%.*s/%s", (int)(slash - from), from, file);
	struct stat st;
	if (stat(p, &st) < 0)
		return shp_error_errno(err, errno, "%s:%d: extends file %s", from, line, p);
	if (!S_ISREG(st.st_mode)) /* not a FIFO or a terminal to wait on */
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: extends file %s: not a regular file", from, line, p);
	if (st.st_dev == c->own.st_dev && st.st_ino == c->own.st_ino) {
		*out = (struct level){c->d, NULL, c->path};
		return 0;
	}
	for (size_t i = 0; i < c->nfiles; i++)
		if (st.st_dev == c->files[i].dev && st.st_ino == c->files[i].ino) {
			*out = (struct level){&c->files[i].s.docs[0], NULL, c->files[i].path};
			return 0;
		}
	if (c->nfiles == MAX_EXT_FILES)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: extends more than %d other files", from, line,
				     MAX_EXT_FILES);
	_cleanup_free_ char *text = NULL;
	size_t len;
	struct ext_file *f = &c->files[c->nfiles];
	if (shp_read_file_at(AT_FDCWD, p, SHP_OPEN_FOUND, NULL, SHP_Y_MAX_BYTES, &text, &len, err) < 0 ||
	    shp_ystream_parse(&f->s, p, text, len, err) < 0)
		return shp_error_wrap(err, "%s:%d: extends", from, line);
	if (!f->s.n)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: extends %s, which is empty", from, line, p);
	f->path = steal_pointer(&p);
	f->s.path = f->path;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	c->nfiles++;
	*out = (struct level){&f->s.docs[0], NULL, f->path};
	return 0;
}

/* The key node of map's key (where `extends:` is written, not where its mapping starts); the
 * value when the key comes through a merge. */
static ynode *key_node(yaml_document_t *d, ynode *map, const char *key)
{
	for (size_t i = 0; i < shp_y_npairs(map); i++) {
		ynode *k = shp_y_key(d, map, i);
		if (shp_y_str(k) && !strcmp(shp_y_str(k), key))
			return k;
	}
	return shp_y_get(d, map, key);
}

/* The chain of services svc extends, nearest first, into c->lv. Compose refuses a service it
 * cannot find, a cycle, or a file it cannot read; so does this. */
static int chain(struct ctx *c, ynode *svc, struct shp_error **err)
{
	struct level cur = {c->d, svc, c->path};
	c->nlv = 0;
	c->ext_at = 0;
	for (;;) {
		if (c->nlv == MAX_EXTENDS)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s:%d: extends more than %d services deep (a cycle?)", cur.path,
					     shp_y_line(cur.svc), MAX_EXTENDS);
		c->lv[c->nlv++] = cur;
		ynode *ext = shp_y_get(cur.d, cur.svc, "extends");
		if (!ext)
			return 0;
		ynode *kn = key_node(cur.d, cur.svc, "extends");
		int at = shp_y_line(kn);
		const char *base = shp_y_str(shp_y_is_map(ext) ? shp_y_get(cur.d, ext, "service") : ext);
		const char *file = shp_y_is_map(ext) ? shp_y_str(shp_y_get(cur.d, ext, "file")) : NULL;
		if (!base)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: extends names no service", cur.path, at);
		struct level next = {cur.d, NULL, cur.path};
		if (file && load(c, cur.path, file, at, &next, err) < 0)
			return -1;
		if (cur.d == c->d && next.d != c->d && !c->ext_at)
			c->ext_at = shp_y_pos(kn);
		next.svc = shp_y_path(next.d, shp_y_root(next.d), "services", base, NULL);
		if (!shp_y_is_map(next.svc))
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: extends service %s, which %s does not define",
					     cur.path, at, base, next.path);
		cur = next;
	}
}

/* A scalar or mapping setting: the nearest service in the chain that sets it wins (compose's
 * !reset tag unsets it). */
static int tagged(ynode *n, const char *tag) { return n && n->tag && !strcmp((const char *)n->tag, tag); }

static ynode *sget(struct ctx *c, const char *key)
{
	for (size_t i = 0; i < c->nlv; i++) {
		ynode *v = shp_y_get(c->lv[i].d, c->lv[i].svc, key);
		if (v)
			return tagged(v, "!reset") ? NULL : v;
	}
	return NULL;
}

/* A deploy.resources.limits entry, from the nearest service that sets it. */
static ynode *slimit(struct ctx *c, const char *key)
{
	for (size_t i = 0; i < c->nlv; i++) {
		ynode *v = shp_y_path(c->lv[i].d, c->lv[i].svc, "deploy", "resources", "limits", key, NULL);
		if (v)
			return v;
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
		*b = (struct shp_wl_bool){1, invert ? !v : v, ln(c, n)};
}

static void volumes(struct ctx *c, struct shp_workload *x, ynode *vols)
{
	for (size_t i = 0; i < shp_y_len(vols); i++) {
		ynode *v = item(c, vols, i);
		const char *s = val(c, v);
		if (s) {
			shp_wl_volume_spec(c->w, x, s, ln(c, v));
			continue;
		}
		if (!shp_y_is_map(v))
			continue;
		struct shp_wl_mount m = {.at = ln(c, v)};
		m.type = val(c, get(c, v, "type"));
		m.source = val(c, get(c, v, "source"));
		m.target = val(c, get(c, v, "target"));
		m.read_only = shp_y_bool(get(c, v, "read_only")) == 1;
		ynode *bind = get(c, v, "bind");
		const char *prop = val(c, get(c, bind, "propagation"));
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
		ynode *p = item(c, ps, i);
		const char *s = val(c, p);
		if (s)
			shp_wl_port_spec(c->w, x, s, ln(c, p));
		else if (shp_y_is_map(p)) {
			const char *pub = val(c, get(c, p, "published"));
			shp_wl_port(c->w, x, pub ? strtol(pub, NULL, 10) : 0, ln(c, p));
		}
	}
}

static void environment(struct ctx *c, struct shp_workload *x, ynode *env)
{
	yaml_document_t *d = docof(c, env);
	for (size_t i = 0; i < shp_y_npairs(env); i++)
		shp_wl_env(c->w, x, val(c, shp_y_key(d, env, i)), val(c, shp_y_val(d, env, i)),
			   ln(c, shp_y_val(d, env, i)));
	for (size_t i = 0; i < shp_y_len(env); i++) {
		ynode *e = item(c, env, i);
		if (val(c, e))
			shp_wl_env_kv(c->w, x, val(c, e), ln(c, e));
	}
}

static void security_opts(struct ctx *c, struct shp_workload *x, ynode *opts)
{
	for (size_t i = 0; i < shp_y_len(opts); i++) {
		ynode *o = item(c, opts, i);
		const char *s = val(c, o);
		if (s)
			shp_wl_security_opt(c->w, x, s, ln(c, o));
	}
}

static void devices(struct ctx *c, struct shp_workload *x, ynode *devs)
{
	for (size_t i = 0; i < shp_y_len(devs); i++) {
		ynode *e = item(c, devs, i);
		const char *s = val(c, e);
		if (!s && shp_y_is_map(e))
			s = val(c, get(c, e, "source"));
		if (s)
			shp_wl_device(c->w, x, s, ln(c, e));
	}
}

static void caps(struct ctx *c, struct shp_workload *x, int add, ynode *list)
{
	for (size_t i = 0; i < shp_y_len(list); i++) {
		ynode *e = item(c, list, i);
		if (val(c, e))
			shp_wl_cap(c->w, x, add, val(c, e), ln(c, e));
	}
}

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }

/* A base service's items [from, *n) give way to a nearer one's [0, from) with the same key
 * (a mount's target, a variable's name): items of size bytes, the key a string at offset key. */
static void override(void *items, size_t *n, size_t size, size_t key, size_t from)
{
	char *a = items;
	size_t o = from;
	for (size_t j = from; j < *n; j++) {
		const char *kj = *(const char **)(a + j * size + key);
		int dup = 0;
		for (size_t k = 0; k < from && !dup; k++)
			dup = same(*(const char **)(a + k * size + key), kj);
		if (!dup)
			memmove(a + o++ * size, a + j * size, size);
	}
	*n = o;
}

static void cap_add(struct ctx *c, struct shp_workload *x, ynode *list) { caps(c, x, 1, list); }
static void cap_drop(struct ctx *c, struct shp_workload *x, ynode *list) { caps(c, x, 0, list); }

/* The sequences and per-key settings of every service in the chain, merged as compose does:
 * nearest first; a setting tagged !reset drops what the bases set, !override replaces it. */
static void merged(struct ctx *c, struct shp_workload *x)
{
	static const struct {
		const char *key;
		void (*add)(struct ctx *, struct shp_workload *, ynode *);
	} keys[] = {
		{"cap_add", cap_add}, {"cap_drop", cap_drop}, {"security_opt", security_opts}, {"devices", devices},
		{"ports", ports},     {"volumes", volumes},   {"environment", environment},
	};
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		for (size_t i = 0; i < c->nlv; i++) {
			ynode *v = shp_y_get(c->lv[i].d, c->lv[i].svc, keys[k].key);
			if (!v)
				continue;
			if (tagged(v, "!reset"))
				break;
			size_t nm = x->nmounts, ne = x->nenv;
			keys[k].add(c, x, v);
			override(x->mounts, &x->nmounts, sizeof *x->mounts, offsetof(struct shp_wl_mount, target), nm);
			override(x->env, &x->nenv, sizeof *x->env, offsetof(struct shp_wl_env, name), ne);
			if (tagged(v, "!override"))
				break;
		}
}

static void service(struct ctx *c, const char *name, shp_pos at)
{
	struct shp_workload *x = shp_wl_new(c->w, c->path, "service", name, at);
	ynode *n;
	if ((n = sget(c, "image")))
		x->image = (struct shp_wl_str){val(c, n), ln(c, n)};
	if ((n = sget(c, "user")))
		x->user = (struct shp_wl_str){val(c, n), ln(c, n)};
	set_bool(c, &x->privileged, sget(c, "privileged"), 0);
	set_bool(c, &x->read_only_rootfs, sget(c, "read_only"), 0);
	if ((n = sget(c, "healthcheck")))
		x->healthcheck = (struct shp_wl_bool){1, shp_y_bool(get(c, n, "disable")) != 1, ln(c, n)};
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
		n = sget(c, host_modes[i].key);
		const char *s = val(c, n);
		if (s)
			*(struct shp_wl_bool *)((char *)x + host_modes[i].off) =
				(struct shp_wl_bool){1, !strcmp(s, "host"), ln(c, n)};
	}
	merged(c, x);
	struct {
		struct shp_wl_bool *b;
		const char *a, *b2, *deploy;
	} lim[] = {
		{&x->memory_limit, "mem_limit", "memory", "memory"},
		{&x->cpu_limit, "cpus", "cpu_quota", "cpus"},
		{&x->pids_limit, "pids_limit", NULL, "pids"},
	};
	for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
		n = sget(c, lim[i].a);
		if (!n && lim[i].b2)
			n = sget(c, lim[i].b2);
		if (!n)
			n = slimit(c, lim[i].deploy);
		const char *s = val(c, n);
		if (s)
			*lim[i].b = (struct shp_wl_bool){1, strcmp(s, "0") && strcmp(s, "-1") && *s, ln(c, n)};
	}
}

int shp_audit_compose(yaml_document_t *d, const char *path, struct shp_workloads *w, struct shp_error **err)
{
	ynode *services = shp_y_get(d, shp_y_root(d), "services");
	if (!shp_y_is_map(services))
		return 0;
	struct ctx c = {.d = d, .w = w, .path = path};
	if (stat(path, &c.own) < 0)
		memset(&c.own, 0, sizeof c.own);
	read_dotenv(&c);
	int rc = 1;
	for (size_t i = 0; i < shp_y_npairs(services) && rc > 0; i++) {
		ynode *k = shp_y_key(d, services, i), *v = shp_y_val(d, services, i);
		if (!shp_y_str(k) || !shp_y_is_map(v))
			continue;
		if (chain(&c, v, err) < 0)
			rc = -1;
		else
			service(&c, shp_y_str(k), shp_y_pos(k));
	}
	for (size_t i = 0; i < c.ndotenv; i++)
		free(c.dotenv[i]);
	free(c.dotenv);
	for (size_t i = 0; i < c.nfiles; i++) {
		shp_ystream_free(&c.files[i].s);
		free(c.files[i].path);
	}
	return rc;
}
