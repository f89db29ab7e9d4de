/* slim.c - slimming. Steps over an image already scanned and stacked:
 *   1. one pass over the layers reads what the next steps need from the files that are
 *      visible at the end: ELF dynamic sections, scripts, ld.so.conf, modification times;
 *   2. the traced run (unless static_only): every visible file written as one layer, which the
 *      sandbox (slim/sandbox.c) unpacks and runs the image's command over, with its probes;
 *      the paths it touched are kept, and its writes and calls say whether it needs root;
 *   3. the closure: from the entrypoint, the healthcheck, --include and the files every
 *      program expects, each kept file brings what it needs (its loader and libraries, its
 *      interpreter, the programs its shell script names), through every symlink and
 *      directory on the way;
 *   4. a second pass copies the kept entries into one new layer (setuid/setgid bits and
 *      extended attributes dropped), and the layer, a new config and manifest are written
 *      as a docker-save tarball that is an OCI image layout as well (as Docker 25 saves);
 *   5. the slim layer run again in a new sandbox with the same probes, and compared.
 * The content is extracted only inside the sandbox's tmpfs; the output is made beside -o and
 * renamed onto it. */
#include "slim/slim.h"
#include "dockerfile/shell.h"
#include "image/store.h"
#include "rules/image.h"
#include "slim/elf.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/json.h"
#include "util/output.h"
#include "util/tarw.h"
#include "util/user.h"
#include "util/xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* What the first pass learnt about one visible file. */
struct rec {
	uint32_t node;
	int elf_ok;
	struct shp_elf elf;
	const char *text; /* a script or a loader configuration file (NUL-terminated), or NULL */
	size_t len;
	const char **paths; /* an ELF file's constants that name configuration, data or state */
	size_t npaths;
	int program;	      /* an ELF program, not a library */
	const char **imports; /* a Python module's imports: "a.b", ".c" (relative), "a.b:c" (from a.b
			       * import c); a JavaScript module's require()s and imports, as written;
			       * a package.json's entry point (main, or exports' "." or "require") */
	size_t nimports;
	int pkglist; /* text is a package file list: enum pkglist */
};

/* The records of one layer blob (each blob is read by one thread). */
struct blob_recs {
	struct shp_arena arena;
	struct rec *v;
	size_t n, cap;
};

struct slim {
	struct shp_image *img;
	const struct shp_union *u;
	const struct shp_slim_opts *o;
	struct shp_slim_result *res;
	char **names;		/* by scan: the blob's name in the store */
	uint32_t **want;	/* by scan: node + 1 for each entry visible at the end, else 0 */
	struct blob_recs *recs; /* by scan */
	const struct rec **rec; /* by node */
	int64_t *mtime;		/* by node */
	uint8_t *keep;		/* by node */
	uint32_t *work;		/* kept nodes whose needs are still to be followed */
	size_t nwork, cwork;
	const char **path; /* PATH's directories */
	size_t npath, cpath;
	const char *ld_library_path; /* the config's, or NULL */
	const char **libdirs;	     /* ld.so.conf's and the loaders' own directories */
	size_t nlib, clib;
	const char *workdir;
	struct shp_arena arena;
	int spool_fd;	  /* where a file's data waits while its holes are found */
	uint64_t max_out; /* bytes the image may have */
	int over;	  /* a write stopped at max_out */
};

/* Appends a formatted sentence to a list of the result, once. */
static void say(char ***v, size_t *n, size_t *cap, const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
static void say(char ***v, size_t *n, size_t *cap, const char *fmt, va_list ap)
{
	char *s = shp_vasprintf(fmt, ap);
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s)) {
			free(s);
			return;
		}
	SHP_PUSH(*v, *n, *cap, s);
}

static void note(struct shp_slim_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct shp_slim_result *res, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(&res->notes, &res->nnotes, &res->cnotes, fmt, ap);
	va_end(ap);
}

static const struct shp_entry *visible(const struct slim *s, uint32_t node)
{
	int layer;
	return node ? shp_union_visible(s->u, node, &layer) : NULL;
}

static const char *path_of(const struct slim *s, uint32_t node, char *buf, size_t size)
{
	return shp_union_path(s->u, node, buf, size);
}

/* ---- pass 1: what the visible files say ------------------------------------------------ */

#define DPKG_INFO "var/lib/dpkg/info/"
#define APK_INSTALLED "lib/apk/db/installed"

/* The package file lists read for the report. */
enum pkglist { PKGLIST_NONE, PKGLIST_DPKG, PKGLIST_APK };

/* var/lib/dpkg/info/NAME.list: the files of a Debian package, for the report */
static int dpkg_list(const char *path)
{
	size_t n = strlen(path), k = sizeof DPKG_INFO - 1;
	return n > k + 5 && !strncmp(path, DPKG_INFO, k) && !strchr(path + k, '/') && !strcmp(path + n - 5, ".list");
}

/* ld.so.conf, its drop-ins, and musl's ld-musl-ARCH.path: their directories are searched. */
static int loader_conf(const char *path)
{
	if (!strcmp(path, "etc/ld.so.conf"))
		return 1;
	if (!strncmp(path, "etc/ld.so.conf.d/", 17))
		return strlen(path) > 22 && !strcmp(path + strlen(path) - 5, ".conf");
	return !strncmp(path, "etc/ld-musl-", 12) && strlen(path) > 17 && !strcmp(path + strlen(path) - 5, ".path");
}

struct pass {
	struct slim *s;
	size_t scan;
	unsigned char *buf;
	size_t cap;
	struct shp_tarw tw;	    /* pass 2's layer */
	struct shp_tar_region *map; /* the data regions of the file being copied */
	size_t nmap, cmap;
	uint64_t spooled; /* and the bytes of them in s->spool_fd */
};

/* Reads up to limit bytes of the current entry into p->buf; returns the length, -1 on error. */
static ssize_t read_upto(struct pass *p, struct archive *a, size_t have, size_t limit)
{
	while (have < limit) {
		if (p->cap < limit + 1) {
			size_t want = limit + 1 < have * 2 + 65536 ? limit + 1 : have * 2 + 65536;
			if (want > p->cap) {
				p->buf = shp_xrealloc(p->buf, want);
				p->cap = want;
			}
		}
		size_t room = (p->cap - 1 < limit ? p->cap - 1 : limit) - have;
		la_ssize_t k = archive_read_data(a, p->buf + have, room);
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		have += (size_t)k;
	}
	p->buf[have] = 0;
	return (ssize_t)have;
}

/* A copy of the n strings of v in the arena (NULL when n is 0), for a record's lists. */
static const char **arena_list(struct shp_arena *arena, const char *const *v, size_t n)
{
	if (!n)
		return NULL;
	const char **l = shp_arena_alloc(arena, n * sizeof *l);
	memcpy(l, v, n * sizeof *v);
	return l;
}

/* Where a program keeps what it reads and writes by a name compiled in: nginx's
 * "/etc/nginx/nginx.conf", "/usr/share/nginx/", "/var/lib/nginx/body". */
static const char *const state_roots[] = {"/etc/", "/var/", "/usr/share/", "/srv/", "/opt/", "/run/", NULL};
#define PROGRAM_PATHS_MAX 64

/* The C strings of a program's bytes that are such paths (a string: after a NUL, printable,
 * ending in a NUL; no format directives or globs), in the arena. */
static void program_paths(struct rec *r, struct shp_arena *arena, const unsigned char *buf, size_t len)
{
	const char *got[PROGRAM_PATHS_MAX];
	size_t n = 0;
	for (const unsigned char *p = buf + 1; n < PROGRAM_PATHS_MAX && p < buf + len;) {
		p = memchr(p, '/', (size_t)(buf + len - p));
		if (!p)
			break;
		const unsigned char *q = p;
		while (q<buf + len && * q> 0x20 && *q < 0x7f && q - p < 256)
			q++;
		size_t l = (size_t)(q - p);
		int root = 0;
		for (int i = 0; state_roots[i] && !root; i++)
			root = !strncmp((const char *)p, state_roots[i], strlen(state_roots[i]));
		if (!p[-1] && q < buf + len && !*q && root && l > 6 && !memchr(p, '%', l) && !memchr(p, '*', l) &&
		    !memchr(p, '$', l) && !strstr((const char *)p, "/.."))
			got[n++] = shp_arena_strndup(arena, (const char *)p, l);
		p = q;
	}
	r->paths = arena_list(arena, got, n);
	r->npaths = n;
}

/* ---- Python modules --------------------------------------------------------------------- */

/* A Python module's source: "x.py", or a site directory's ".pth" file (its import lines). */
static int python_source(const char *path)
{
	size_t n = strlen(path);
	return (n > 3 && !strcmp(path + n - 3, ".py")) || (n > 4 && !strcmp(path + n - 4, ".pth"));
}

#define PY_IMPORTS_MAX 1024
#define PY_NAME_MAX 200

/* A dotted name at t (leading dots for a relative one): its length, 0 when there is none. */
static size_t py_name(const char *t, const char *end)
{
	size_t n = 0;
	while (t + n < end && (isalnum((unsigned char)t[n]) || t[n] == '_' || t[n] == '.'))
		n++;
	return n <= PY_NAME_MAX ? n : 0;
}

/* The import statements of a module's source, at the start of a line (inside a function too:
 * a lazy import is an import), as "a.b", ".c" and "a.b:c" for `from a.b import c`, whose c may
 * be a submodule. A statement in a string is taken too: a name that is no module is found
 * nowhere. */
static void py_imports(struct rec *r, struct shp_arena *arena, const char *text, size_t len)
{
	const char *got[PY_IMPORTS_MAX];
	size_t n = 0;
	const char *end = text + len;
	for (const char *line = text; line < end && n < PY_IMPORTS_MAX;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			eol = end;
		const char *t = line;
		while (t < eol && (*t == ' ' || *t == '\t'))
			t++;
		/* __import__('x'), importlib.import_module("x"): a literal name is an import too */
		for (const char *q = t; n < PY_IMPORTS_MAX && (q = memmem(q, (size_t)(eol - q), "import", 6)); q += 6) {
			const char *a = q + 6;
			if (q >= t + 2 && !strncmp(q - 2, "__", 2) && eol - a > 3 && !strncmp(a, "__(", 3))
				a += 3;
			else if (eol - a > 8 && !strncmp(a, "_module(", 8))
				a += 8;
			else
				continue;
			if (a < eol && (*a == '\'' || *a == '"')) {
				size_t k = py_name(a + 1, eol);
				if (k && a + 1 + k < eol && a[1 + k] == *a)
					got[n++] = shp_arena_strndup(arena, a + 1, k);
			}
		}
		int from = eol - t > 5 && !strncmp(t, "from ", 5), imp = eol - t > 7 && !strncmp(t, "import ", 7);
		if (from || imp) {
			t += from ? 5 : 7;
			while (t < eol && *t == ' ')
				t++;
			size_t m = py_name(t, eol);
			if (from && m) {
				const char *mod = t;
				t += m;
				while (t < eol && *t == ' ')
					t++;
				if (eol - t > 7 && !strncmp(t, "import ", 7)) {
					t += 7;
					got[n++] = shp_arena_strndup(arena, mod, m);
					/* the names imported, up to the statement's end (a parenthesised
					 * list goes on over lines) */
					int paren = 0;
					const char *stop = eol;
					for (const char *q = t; q < eol; q++)
						paren |= *q == '(';
					if (paren) {
						const char *close = memchr(t, ')', (size_t)(end - t));
						stop = close ? close : end;
					}
					while (t < stop && n < PY_IMPORTS_MAX) {
						while (t < stop && !isalpha((unsigned char)*t) && *t != '_')
							t++;
						size_t k = py_name(t, stop);
						if (!k)
							break;
						if (!(k == 2 && !strncmp(t, "as", 2))) {
							char both[2 * PY_NAME_MAX + 2];
							int w = snprintf(both, sizeof both, "%.*s:%.*s", (int)m, mod,
									 (int)k, t);
							got[n++] = shp_arena_strndup(arena, both, (size_t)w);
						}
						t += k;
					}
					eol = stop < end ? stop : end;
				}
			} else if (imp) {
				/* import a.b as c, d */
				while (t < eol && n < PY_IMPORTS_MAX && (m = py_name(t, eol))) {
					got[n++] = shp_arena_strndup(arena, t, m);
					t += m;
					const char *comma = memchr(t, ',', (size_t)(eol - t));
					if (!comma)
						break;
					t = comma + 1;
					while (t < eol && *t == ' ')
						t++;
				}
			}
		}
		line = eol < end ? eol + 1 : end;
	}
	r->imports = arena_list(arena, got, n);
	r->nimports = n;
}

/* ---- JavaScript modules ----------------------------------------------------------------- */

static int js_source(const char *path)
{
	size_t n = strlen(path);
	const char *b = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	return (n > 3 && !strcmp(path + n - 3, ".js")) || (n > 4 && !strcmp(path + n - 4, ".cjs")) ||
	       (n > 4 && !strcmp(path + n - 4, ".mjs")) || !strcmp(b, "package.json");
}

#define JS_SPEC_MAX 256

/* A package.json's entry point: "exports" (a string, or "."'s: a string or its "require",
 * "node" or "default"), else "main". */
static const char *js_entry(const cJSON *pkg)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(pkg, "exports");
	if (cJSON_IsObject(x) && cJSON_GetObjectItemCaseSensitive(x, "."))
		x = cJSON_GetObjectItemCaseSensitive(x, ".");
	for (int depth = 0; cJSON_IsObject(x) && depth < 4; depth++) {
		const cJSON *y = cJSON_GetObjectItemCaseSensitive(x, "require");
		if (!y)
			y = cJSON_GetObjectItemCaseSensitive(x, "node");
		if (!y)
			y = cJSON_GetObjectItemCaseSensitive(x, "default");
		x = y;
	}
	if (cJSON_IsString(x))
		return x->valuestring;
	return shp_json_str(pkg, "main");
}

/* A JavaScript file's module specifiers: require('x'), import ... from 'x', import('x'),
 * export ... from 'x' (a literal string each); a package.json's entry point. */
static void js_requires(struct rec *r, struct shp_arena *arena, const char *path, const char *text, size_t len)
{
	const char *b = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (!strcmp(b, "package.json")) {
		_cleanup_(shp_json_freep) cJSON *pkg = shp_json_parse(path, text, len, NULL);
		const char *main = pkg ? js_entry(pkg) : NULL;
		if (main && strlen(main) < JS_SPEC_MAX) {
			main = shp_arena_strndup(arena, main, strlen(main));
			r->imports = arena_list(arena, &main, 1);
			r->nimports = 1;
		}
		return;
	}
	const char *got[PY_IMPORTS_MAX];
	size_t n = 0;
	const char *end = text + len;
	static const char *const words[] = {"require(", "import(", "from ", "import ", NULL};
	for (int w = 0; words[w]; w++) {
		size_t wl = strlen(words[w]);
		for (const char *q = text; n < PY_IMPORTS_MAX && (q = memmem(q, (size_t)(end - q), words[w], wl));
		     q += wl) {
			if (q > text && (isalnum((unsigned char)q[-1]) || q[-1] == '_' || q[-1] == '.' || q[-1] == '$'))
				continue; /* foo.require(, myrequire( */
			const char *a = q + wl;
			while (a < end && (*a == ' ' || *a == '\t'))
				a++;
			if (a >= end || (*a != '\'' && *a != '"' && *a != '`'))
				continue;
			const char *close = a + 1;
			while (close < end && *close != *a && *close != '\n' && close - a <= JS_SPEC_MAX)
				close++;
			if (close >= end || *close != *a || close == a + 1 ||
			    memchr(a + 1, '$', (size_t)(close - a - 1)))
				continue;
			got[n++] = shp_arena_strndup(arena, a + 1, (size_t)(close - a - 1));
		}
	}
	r->imports = arena_list(arena, got, n);
	r->nimports = n;
}

static int learn_entry(void *arg, struct archive *a, struct archive_entry *ae, const struct shp_entry *e, size_t n,
		       struct shp_error **err)
{
	(void)err;
	struct pass *p = arg;
	struct slim *s = p->s;
	const struct shp_layer_scan *sc = &s->img->scans[p->scan];
	uint32_t node = n < sc->nentries ? s->want[p->scan][n] : 0;
	if (!node--)
		return 0;
	s->mtime[node] = (int64_t)archive_entry_mtime(ae);
	if (e->type != SHP_FT_FILE || !e->size)
		return 0;
	ssize_t k = read_upto(p, a, 0, 4096);
	if (k < 0)
		return -1;
	struct blob_recs *br = &s->recs[p->scan];
	struct rec r = {.node = node};
	if (shp_elf_magic(p->buf, (size_t)k)) {
		size_t limit = e->size < SHP_SLIM_ELF_PREFIX ? (size_t)e->size : SHP_SLIM_ELF_PREFIX;
		if ((k = read_upto(p, a, (size_t)k, limit)) < 0)
			return -1;
		r.elf_ok = shp_elf_parse(p->buf, (size_t)k, &br->arena, &r.elf) == 0;
		/* a program, not a library (glibc's libc.so.6 has a loader too: it runs); a
		 * library's paths count too (Debian's libnode names the builtins it loads) */
		const char *base = strrchr(e->path, '/') ? strrchr(e->path, '/') + 1 : e->path;
		r.program = r.elf_ok && (r.elf.interp || !r.elf.dynamic) && !strstr(base, ".so");
		if (r.elf_ok)
			program_paths(&r, &br->arena, p->buf, (size_t)k);
	} else if (js_source(e->path) && e->size <= SHP_SLIM_SCRIPT_MAX) {
		if ((k = read_upto(p, a, (size_t)k, SHP_SLIM_SCRIPT_MAX)) < 0)
			return -1;
		js_requires(&r, &br->arena, e->path, (const char *)p->buf, (size_t)k);
		if (!r.nimports)
			return 0;
	} else if (python_source(e->path) && e->size <= SHP_SLIM_SCRIPT_MAX) {
		if ((k = read_upto(p, a, (size_t)k, SHP_SLIM_SCRIPT_MAX)) < 0)
			return -1;
		py_imports(&r, &br->arena, (const char *)p->buf, (size_t)k);
		if (!r.nimports)
			return 0;
	} else if ((k >= 2 && p->buf[0] == '#' && p->buf[1] == '!') || loader_conf(e->path) ||
		   (!strncmp(e->path, "etc/", 4) && e->size <= SHP_SLIM_CONFIG_MAX)) {
		if ((k = read_upto(p, a, (size_t)k, SHP_SLIM_SCRIPT_MAX)) < 0)
			return -1;
		if (memchr(p->buf, 0, (size_t)k))
			return 0; /* binary */
		r.text = shp_arena_strndup(&br->arena, (const char *)p->buf, (size_t)k);
		r.len = (size_t)k;
	} else if ((dpkg_list(e->path) || !strcmp(e->path, APK_INSTALLED)) && e->size <= SHP_SLIM_PKGLIST_MAX) {
		if ((k = read_upto(p, a, (size_t)k, SHP_SLIM_PKGLIST_MAX)) < 0)
			return -1;
		r.text = shp_arena_strndup(&br->arena, (const char *)p->buf, (size_t)k);
		r.len = (size_t)k;
		r.pkglist = e->path[0] == 'l' ? PKGLIST_APK : PKGLIST_DPKG;
	} else
		return 0;
	SHP_PUSH(br->v, br->n, br->cap, r);
	return 0;
}

/* Walks blob idx with fn; it must still be the blob the scan read. */
static int walk_blob(struct pass *p, struct shp_src *src, shp_layer_entry_fn fn, struct shp_error **err)
{
	struct slim *s = p->s;
	struct shp_layer_sums sums = {0};
	/* the scan held the image to its budget, and this walk must find the bytes it found */
	struct shp_layer_budget b;
	shp_layer_budget_init(&b, s->o->max_layer_bytes, UINT64_MAX);
	b.diff_ids = 0; /* the blob's digest says it is the same */
	if (shp_layer_walk(src, s->names[p->scan], &b, fn, p, &sums, err) < 0)
		return -1;
	if (strcmp(sums.blob_digest, s->img->scans[p->scan].sums.blob_digest))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s changed while it was read", s->img->input,
				     s->names[p->scan]);
	return 0;
}

static int learn_blob(void *arg, size_t idx, struct shp_src *src, struct shp_error **err)
{
	struct pass p = {.s = arg, .scan = idx};
	int rc = walk_blob(&p, src, learn_entry, err);
	free(p.buf);
	free(p.map);
	return rc;
}

/* ---- pass 2's preparation: the closure ------------------------------------------------- */

static void keep_node(void *arg, uint32_t node)
{
	struct slim *s = arg;
	if (!node || s->keep[node])
		return;
	s->keep[node] = 1;
	SHP_PUSH(s->work, s->nwork, s->cwork, node);
}

/* The node path leads to (symlinks followed), kept with everything on the way when keep;
 * 0 if there is none. */
static uint32_t reach(struct slim *s, const char *path, int keep)
{
	int loop;
	uint32_t n = shp_union_walk(s->u, path, 1, NULL, NULL, &loop);
	return n && keep ? shp_union_walk(s->u, path, 1, keep_node, s, &loop)
			 : n; /* nothing kept on a way to nowhere */
}

/* Keeps path and, if it is a directory, everything below it. */
static int keep_tree(struct slim *s, const char *path)
{
	uint32_t top = reach(s, path, 1);
	if (!top)
		return 0;
	_cleanup_free_ uint32_t *stack = NULL;
	size_t n = 0, cap = 0;
	SHP_PUSH(stack, n, cap, top);
	while (n) {
		uint32_t d = stack[--n];
		keep_node(s, d);
		for (uint32_t c = s->u->nodes[d].first_child; c; c = s->u->nodes[c].next_sibling)
			if (visible(s, c))
				SHP_PUSH(stack, n, cap, c);
	}
	return 1;
}

static int is_file(const struct slim *s, uint32_t node)
{
	const struct shp_entry *e = visible(s, node);
	return e && (e->type == SHP_FT_FILE || e->type == SHP_FT_HARDLINK);
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	while (n && dir[n - 1] == '/')
		n--;
	return shp_asprintf("/%.*s/%s", (int)n, dir + (*dir == '/'), name);
}

/* The path of a program as execvp would find it in the image (a name with a slash is taken
 * from the working directory), or NULL. */
static char *find_program(struct slim *s, const char *name)
{
	if (!*name)
		return NULL;
	if (strchr(name, '/')) {
		char *p = name[0] == '/' ? shp_xstrdup(name) : join(s->workdir, name);
		if (is_file(s, reach(s, p, 0)))
			return p;
		free(p);
		return NULL;
	}
	for (size_t i = 0; i < s->npath; i++) {
		char *p = join(s->path[i], name);
		if (is_file(s, reach(s, p, 0)))
			return p;
		free(p);
	}
	return NULL;
}

/* Finds a program as execvp would, keeps it, and returns its node, or 0. */
static uint32_t keep_program(struct slim *s, const char *name)
{
	_cleanup_free_ char *p = find_program(s, name);
	return p ? reach(s, p, 1) : 0;
}

static int is_shell(const char *prog)
{
	static const char *const shells[] = {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox", NULL};
	const char *b = strrchr(prog, '/');
	b = b ? b + 1 : prog;
	for (int i = 0; shells[i]; i++)
		if (!strcmp(b, shells[i]))
			return 1;
	return 0;
}

/* The POSIX shell's builtins (and the common ones of bash and dash): no file to keep. */
static int builtin(const char *w)
{
	static const char *const b[] = {
		".",	":",	    "[",      "[[",	 "alias", "break",   "cd",   "command", "continue", "echo",
		"eval", "exec",	    "exit",   "export",	 "false", "getopts", "hash", "local",	"printf",   "pwd",
		"read", "readonly", "return", "set",	 "shift", "source",  "test", "times",	"trap",	    "true",
		"type", "ulimit",   "umask",  "unalias", "unset", "wait",    NULL};
	for (int i = 0; b[i]; i++)
		if (!strcmp(w, b[i]))
			return 1;
	return 0;
}

/* A word that is plainly a path (no expansion, no glob). */
static int literal(const char *w) { return *w && !strpbrk(w, "$`*?[~"); }

/* A directory too wide to keep whole for being named: "/", a top-level directory of the
 * filesystem hierarchy (/usr, /etc, /var), or one of /usr, /var or /lib's (/usr/lib,
 * /var/lib), which `find /usr -name x` in a script does not ask for whole. */
static int system_dir(const char *path)
{
	static const char *const top[] = {"bin",    "boot",  "dev", "etc", "home", "lib",  "lib32", "lib64",
					  "libx32", "media", "mnt", "opt", "proc", "root", "run",   "sbin",
					  "srv",    "sys",   "tmp", "usr", "var",  NULL};
	const char *c1 = path + strspn(path, "/");
	size_t n1 = strcspn(c1, "/");
	const char *c2 = c1 + n1 + strspn(c1 + n1, "/");
	size_t n2 = strcspn(c2, "/");
	if (!n1)
		return 1;
	if (n2 && c2[n2 + strspn(c2 + n2, "/")])
		return 0; /* three levels or more */
	int known = 0;
	for (int i = 0; top[i] && !known; i++)
		known = strlen(top[i]) == n1 && !strncmp(c1, top[i], n1);
	if (!n2)
		return known;
	return known && (!strncmp(c1, "usr/", 4) || !strncmp(c1, "var/", 4) || !strncmp(c1, "lib", 3));
}

/* A literal path an entrypoint's command or script names, kept (a whole directory, unless it
 * is a system one). */
static void keep_named(struct slim *s, const char *w)
{
	if (!literal(w) || system_dir(w))
		return;
	_cleanup_free_ char *p = w[0] == '/' ? shp_xstrdup(w) : join(s->workdir, w);
	if (!system_dir(p) && reach(s, p, 0))
		keep_tree(s, p);
}

/* A path a kept program names as a constant: a directory it names with a slash at the end
 * (its prefix, "/etc/nginx/") whole unless it is a system one; a file, or a directory named
 * alone, itself; a path not there yet (a log, a pid file) the directory it would be made in. */
static void keep_constant(struct slim *s, const char *path)
{
	size_t n = strlen(path);
	if (path[n - 1] == '/') {
		_cleanup_free_ char *dir = shp_xstrndup(path, n - 1);
		keep_named(s, dir);
		return;
	}
	if (reach(s, path, 1))
		return;
	_cleanup_free_ char *up = shp_xstrdup(path);
	for (char *slash = strrchr(up, '/'); slash && slash > up; slash = strrchr(up, '/')) {
		*slash = 0;
		if (reach(s, up, 0)) {
			reach(s, up, 1);
			return;
		}
	}
}

/* The absolute paths a kept configuration file names outside its comments (nginx's "root
 * /var/www/html;", an include of /etc/nginx/modules-enabled): each that the image has, a
 * directory whole unless it is a system one; for a glob, the directory it is in. */
static void keep_config_paths(struct slim *s, const char *text)
{
	for (const char *line = text; *line;) {
		const char *eol = strchrnul(line, '\n');
		const char *t = line + strspn(line, " \t");
		for (const char *p = t; *t != '#' && *t != ';' && p < eol; p++) {
			if (*p == '#' && (p == t || strchr(" \t", p[-1])))
				break; /* a comment to the end of the line */
			if (*p != '/' || !isalpha((unsigned char)p[1]) || (p > t && !strchr(" \t\"'=(:,", p[-1])))
				continue;
			size_t n = strcspn(p, " \t\r\n\"';,)");
			if (n > 255)
				continue;
			_cleanup_free_ char *path = shp_xstrndup(p, n);
			char *glob = strpbrk(path, "*?[");
			if (glob) { /* the directory the pattern is in */
				*glob = 0;
				char *slash = strrchr(path, '/');
				if (!slash || slash == path)
					continue;
				*slash = 0;
			}
			keep_named(s, path);
			p += n - 1;
		}
		line = *eol ? eol + 1 : eol;
	}
}

/* A word that stands for a script's arguments ("$@" once its quotes are removed). */
static int all_args(const char *w)
{
	return !strcmp(w, "$@") || !strcmp(w, "${@}") || !strcmp(w, "$*") || !strcmp(w, "${*}");
}

/* Whether a shell script runs its arguments as a command: `exec "$@"`, `exec gosu app "$@"`
 * (the official images' entrypoint scripts hand over to their CMD so). */
static int runs_its_arguments(const char *text, size_t len)
{
	struct shp_sh_script sh = {0};
	shp_sh_parse(&sh, text, len);
	int yes = 0;
	for (size_t i = 0; i < sh.n && !yes; i++)
		yes = sh.cmds[i].argc && all_args(sh.cmds[i].argv[0]);
	shp_sh_free(&sh);
	return yes;
}

/* The programs a shell script runs (a `set -- PROG "$@"` names one too), the files it
 * sources, and the paths its commands name. */
static void keep_script_commands(struct slim *s, const char *text, size_t len, const char *what)
{
	struct shp_sh_script sh = {0};
	shp_sh_parse(&sh, text, len);
	const char *dynamic = NULL;
	for (size_t i = 0; i < sh.n; i++) {
		const struct shp_sh_cmd *c = &sh.cmds[i];
		if (!c->argc)
			continue;
		const char *prog = c->argv[0];
		if (all_args(prog)) {
			continue; /* the caller's arguments: keep_command() keeps them */
		} else if (!strcmp(prog, "set") && c->argc > 2 && !strcmp(c->argv[1], "--")) {
			if (literal(c->argv[2]) && c->argv[2][0] != '-')
				keep_program(s, c->argv[2]);
		} else if ((!strcmp(prog, ".") || !strcmp(prog, "source")) && c->argc > 1) {
			if (literal(c->argv[1])) {
				_cleanup_free_ char *p =
					c->argv[1][0] == '/' ? shp_xstrdup(c->argv[1]) : join(s->workdir, c->argv[1]);
				keep_tree(s, p);
			} else if (!dynamic)
				dynamic = shp_arena_strndup(&s->arena, c->argv[1], strlen(c->argv[1]));
		} else if (builtin(prog)) {
			/* [ -d /docker-entrypoint.d ]: what it tests for is what it uses */
			for (size_t k = 1; k < c->argc; k++)
				if (c->argv[k][0] == '/')
					keep_named(s, c->argv[k]);
		} else if (!literal(prog)) {
			if (!dynamic)
				dynamic = shp_arena_strndup(&s->arena, prog, strlen(prog));
		} else {
			keep_program(s, prog); /* builtins and functions are not found: nothing to keep */
			/* find /docker-entrypoint.d/ -type f: the absolute paths it names */
			for (size_t k = 1; k < c->argc; k++)
				if (c->argv[k][0] == '/')
					keep_named(s, c->argv[k]);
		}
	}
	shp_sh_free(&sh);
	if (dynamic)
		note(s->res,
		     "%s runs commands named at run time (%s): those are not followed; keep them with "
		     "--include-exe",
		     what, dynamic);
}

/* The kept node's script text, when it is a shell script ("#!/bin/sh", "#!/usr/bin/env
 * bash"): its text, else NULL. */
static const struct rec *shell_script(const struct slim *s, uint32_t node)
{
	const struct rec *r = s->rec[node];
	if (!r || !r->text || r->len < 3 || r->text[0] != '#' || r->text[1] != '!')
		return NULL;
	const char *l = r->text + 2, *eol = strchrnul(l, '\n');
	_cleanup_free_ char *line = shp_xstrndup(l, (size_t)(eol - l));
	char *save = NULL, *w = strtok_r(line, " \t\r", &save);
	if (w && !strcmp(strrchr(w, '/') ? strrchr(w, '/') + 1 : w, "env"))
		while ((w = strtok_r(NULL, " \t\r", &save)) && (w[0] == '-' || strchr(w, '=')))
			;
	return w && is_shell(w) ? r : NULL;
}

/* Interpreters whose programs load modules at run time, which no static reading follows. */
static const char *interpreter(const char *prog)
{
	static const char *const names[] = {"python", "node", "nodejs", "java",	  "ruby", "perl",
					    "php",    "deno", "bun",	"dotnet", NULL};
	const char *b = strrchr(prog, '/');
	b = b ? b + 1 : prog;
	for (int i = 0; names[i]; i++) {
		size_t n = strlen(names[i]);
		/* python3, python3.11, php8.2, but not nodemon */
		if (!strncmp(b, names[i], n) && (!b[n] || isdigit((unsigned char)b[n])))
			return names[i];
	}
	return NULL;
}

static const char *env_value(const cJSON *cfg, const char *name)
{
	const cJSON *it;
	size_t n = strlen(name);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(
				       cfg, "Env")) if (cJSON_IsString(it) && !strncmp(it->valuestring, name, n) &&
							it->valuestring[n] == '=') return it->valuestring +
		n + 1;
	return NULL;
}

/* What a Python program imports: from its script (or -m module) and the interpreter's start
 * (site, encodings, the site directories' .pth files), each module's imports in turn, found
 * on sys.path as Python finds them (a.py, a/__init__.py, a namespace directory, an extension
 * a.*.so): every match is kept. Imports named at run time (importlib, __import__) are not
 * seen. */
struct py {
	struct slim *s;
	const char **dirs; /* sys.path */
	size_t ndirs, cdirs;
	const char **slot; /* the names looked for: an open-addressing set */
	size_t nslot, used;
	const char **queue;
	size_t nq, cq;
};

static size_t str_hash(const char *p)
{
	size_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

/* Adds name to the set; 1 if it was there. */
static int py_seen(struct py *py, const char *name)
{
	if (2 * (py->used + 1) > py->nslot) {
		size_t cap = py->nslot ? 2 * py->nslot : 1024;
		const char **v = shp_xcalloc(cap, sizeof *v);
		for (size_t i = 0; i < py->nslot; i++) {
			if (!py->slot[i])
				continue;
			size_t j = str_hash(py->slot[i]) & (cap - 1);
			while (v[j])
				j = (j + 1) & (cap - 1);
			v[j] = py->slot[i];
		}
		free(py->slot);
		py->slot = v;
		py->nslot = cap;
	}
	size_t j = str_hash(name) & (py->nslot - 1);
	for (; py->slot[j]; j = (j + 1) & (py->nslot - 1))
		if (!strcmp(py->slot[j], name))
			return 1;
	py->slot[j] = name;
	py->used++;
	return 0;
}

static void py_want(struct py *py, const char *name, size_t n)
{
	if (!n || n > PY_NAME_MAX || name[0] == '.' || name[n - 1] == '.')
		return;
	const char *copy = shp_arena_strndup(&py->s->arena, name, n);
	if (!py_seen(py, copy))
		SHP_PUSH(py->queue, py->nq, py->cq, copy);
}

/* An import as recorded ("a.b", or "a:b" for from a import b: a, and a.b if b is a
 * module), absolute; full is changed. */
static void py_want_import(struct py *py, char *full)
{
	char *c = strchr(full, ':');
	if (c) {
		py_want(py, full, (size_t)(c - full));
		*c = '.';
	}
	py_want(py, full, strlen(full));
}

/* Module name's file kept in dir, or 0: its source, its package's __init__.py, its
 * extension, or (a namespace package) its directory. */
static uint32_t py_find_in(struct py *py, const char *dir, const char *name, int *package)
{
	struct slim *s = py->s;
	_cleanup_free_ char *rel = shp_xstrdup(name);
	for (char *c = rel; *c; c++)
		if (*c == '.')
			*c = '/';
	_cleanup_free_ char *base = join(dir, rel);
	_cleanup_free_ char *src = shp_asprintf("%s.py", base);
	uint32_t node;
	*package = 0;
	if (is_file(s, reach(s, src, 0)))
		return reach(s, src, 1);
	_cleanup_free_ char *init = shp_asprintf("%s/__init__.py", base);
	if (is_file(s, reach(s, init, 0))) {
		*package = 1;
		return reach(s, init, 1);
	}
	/* an extension: name.cpython-311-x86_64-linux-gnu.so, name.abi3.so, name.so */
	char *slash = strrchr(base, '/');
	const char *leaf = slash + 1;
	*slash = 0;
	uint32_t d = reach(s, base, 0), found = 0;
	size_t ln = strlen(leaf);
	for (uint32_t c = d ? s->u->nodes[d].first_child : 0; c; c = s->u->nodes[c].next_sibling) {
		const char *nm = s->u->nodes[c].name;
		size_t k = strlen(nm);
		if (k > ln + 3 && !strncmp(nm, leaf, ln) && nm[ln] == '.' && !strcmp(nm + k - 3, ".so") &&
		    visible(s, c)) {
			keep_node(s, c);
			found = c;
		}
	}
	*slash = '/';
	if (found)
		return found;
	node = reach(s, base, 0); /* a namespace package */
	const struct shp_entry *e = node ? visible(s, node) : NULL;
	if (e && e->type == SHP_FT_DIR) {
		*package = 1;
		return reach(s, base, 1);
	}
	return 0;
}

/* Looks for module name on sys.path, and wants what each match imports. */
static void py_find(struct py *py, const char *name)
{
	/* importing a.b.c runs a and a.b first */
	for (const char *dot = strchr(name, '.'); dot; dot = strchr(dot + 1, '.'))
		py_want(py, name, (size_t)(dot - name));
	for (size_t i = 0; i < py->ndirs; i++) {
		int package;
		uint32_t node = py_find_in(py, py->dirs[i], name, &package);
		const struct rec *r = node ? py->s->rec[node] : NULL;
		for (size_t k = 0; r && k < r->nimports; k++) {
			const char *im = r->imports[k];
			size_t dots = strspn(im, ".");
			char full[2 * PY_NAME_MAX + 2];
			int n;
			if (dots) { /* relative to the module's package */
				size_t keep = strlen(name);
				if (!package) /* a module's package is its parent */
					keep = strrchr(name, '.') ? (size_t)(strrchr(name, '.') - name) : 0;
				for (size_t up = 1; up < dots && keep; up++)
					while (keep && name[--keep] != '.')
						;
				if (!keep)
					continue;
				n = snprintf(full, sizeof full, "%.*s.%s", (int)keep, name, im + dots);
				if (im[dots] == ':' || !im[dots])
					n = snprintf(full, sizeof full, "%.*s%s", (int)keep, name, im + dots);
			} else
				n = snprintf(full, sizeof full, "%s", im);
			if (n <= 0 || (size_t)n >= sizeof full)
				continue;
			py_want_import(py, full);
		}
	}
}

static void py_dir(struct py *py, const char *dir)
{
	if (dir && dir[0] == '/' && reach(py->s, dir, 0))
		SHP_PUSH(py->dirs, py->ndirs, py->cdirs, shp_arena_strndup(&py->s->arena, dir, strlen(dir)));
}

/* script: the program's file (its directory is the first on sys.path), or NULL; module: -m's. */
static void python_closure(struct slim *s, const char *script, const char *module)
{
	struct py py = {.s = s};
	char buf[8192];
	if (script) {
		_cleanup_free_ char *d = script[0] == '/' ? shp_xstrdup(script) : join(s->workdir, script);
		char *slash = strrchr(d, '/');
		if (slash == d)
			d[1] = 0;
		else if (slash)
			*slash = 0;
		py_dir(&py, d);
	} else
		py_dir(&py, s->workdir);
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(s->img->config, "config");
	const char *pp = env_value(cfg, "PYTHONPATH");
	if (pp) {
		_cleanup_free_ char *copy = shp_xstrdup(pp);
		char *save = NULL;
		for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
			py_dir(&py, d);
	}
	/* the versions the image has: /usr/lib/python3.11, /usr/local/lib/python3.12 */
	static const char *const libs[] = {"/usr/lib", "/usr/local/lib"};
	for (int l = 0; l < 2; l++) {
		uint32_t d = reach(s, libs[l], 0);
		for (uint32_t c = d ? s->u->nodes[d].first_child : 0; c; c = s->u->nodes[c].next_sibling) {
			const char *nm = s->u->nodes[c].name;
			if (strncmp(nm, "python3", 7) || !visible(s, c))
				continue;
			const char *lib = path_of(s, c, buf, sizeof buf);
			_cleanup_free_ char *a = shp_asprintf("%s/lib-dynload", lib),
					    *b = shp_asprintf("%s/dist-packages", lib),
					    *c2 = shp_asprintf("%s/site-packages", lib);
			_cleanup_free_ char *libcopy = shp_xstrdup(lib), *enc = shp_asprintf("%s/encodings", lib);
			py_dir(&py, libcopy);
			/* the codecs, looked up by name at run time (ascii for the C locale, idna) */
			uint32_t e = reach(s, enc, 0);
			for (uint32_t m = e ? s->u->nodes[e].first_child : 0; m; m = s->u->nodes[m].next_sibling) {
				const char *mn = s->u->nodes[m].name;
				size_t ml = strlen(mn);
				if (ml > 3 && ml < 64 && !strcmp(mn + ml - 3, ".py")) {
					char mod[80];
					int w = snprintf(mod, sizeof mod, "encodings.%.*s", (int)(ml - 3), mn);
					py_want(&py, mod, (size_t)w);
				}
			}
			py_dir(&py, a);
			py_dir(&py, b);
			py_dir(&py, c2);
		}
	}
	/* the interpreter's start, and what the site directories' .pth files import */
	static const char *const start[] = {"site",
					    "sitecustomize",
					    "usercustomize",
					    "encodings",
					    "encodings.utf_8",
					    "encodings.aliases",
					    "encodings.latin_1",
					    "codecs",
					    "io",
					    "abc",
					    "os",
					    "stat",
					    "posixpath",
					    "genericpath",
					    "_collections_abc",
					    "_sitebuiltins",
					    NULL};
	for (int i = 0; start[i]; i++)
		py_want(&py, start[i], strlen(start[i]));
	for (size_t i = 0; i < py.ndirs; i++) {
		uint32_t d = reach(s, py.dirs[i], 0);
		for (uint32_t c = d ? s->u->nodes[d].first_child : 0; c; c = s->u->nodes[c].next_sibling) {
			const char *nm = s->u->nodes[c].name;
			size_t k = strlen(nm);
			if (k < 5 || strcmp(nm + k - 4, ".pth") || !visible(s, c))
				continue;
			keep_node(s, c);
			const struct rec *r = s->rec[c];
			for (size_t j = 0; r && j < r->nimports; j++)
				if (!strchr(r->imports[j], ':') && r->imports[j][0] != '.')
					py_want(&py, r->imports[j], strlen(r->imports[j]));
		}
	}
	if (module)
		py_want(&py, module, strlen(module));
	if (script) {
		uint32_t node = reach(s, script, 0);
		const struct rec *r = node ? s->rec[node] : NULL;
		for (size_t j = 0; r && j < r->nimports; j++) {
			char full[2 * PY_NAME_MAX + 2];
			snprintf(full, sizeof full, "%s", r->imports[j]);
			if (full[0] != '.') /* a script is no package: no relative import */
				py_want_import(&py, full);
		}
	}
	for (size_t i = 0; i < py.nq; i++)
		py_find(&py, py.queue[i]);
	free(py.dirs);
	free(py.slot);
	free(py.queue);
}

/* What a Node program requires, from its script, as Node's CommonJS resolution finds it:
 * a relative specifier as a file (x, x.js, x.json, x.node, x.cjs, x.mjs) or a directory (its
 * package.json's entry point, else index.js); a bare one in node_modules up the directories,
 * then NODE_PATH and Debian's global directories; each found file's requires in turn. A
 * specifier found nowhere is one of Node's builtins (or missing: Node says so). */
struct js {
	struct slim *s;
	uint8_t *done; /* by node */
	uint32_t *queue;
	size_t nq, cq;
	const char **globals;
	size_t nglobals, cglobals;
};

/* The node of the file at path (a normalised absolute path), kept and queued; 0 if none. */
static uint32_t js_take(struct js *js, const char *path)
{
	uint32_t n = reach(js->s, path, 0);
	if (!n || !is_file(js->s, n))
		return 0;
	n = reach(js->s, path, 1);
	if (!js->done[n]) {
		js->done[n] = 1;
		SHP_PUSH(js->queue, js->nq, js->cq, n);
	}
	return n;
}

static uint32_t js_as_file(struct js *js, const char *base)
{
	static const char *const ext[] = {"", ".js", ".json", ".node", ".cjs", ".mjs", NULL};
	for (int i = 0; ext[i]; i++) {
		_cleanup_free_ char *p = shp_asprintf("%s%s", base, ext[i]);
		uint32_t n = js_take(js, p);
		if (n)
			return n;
	}
	return 0;
}

static uint32_t js_as_dir(struct js *js, const char *dir)
{
	_cleanup_free_ char *pj = shp_asprintf("%s/package.json", dir);
	uint32_t pn = js_take(js, pj);
	const struct rec *r = pn ? js->s->rec[pn] : NULL;
	if (r && r->nimports) {
		_cleanup_free_ char *m = shp_asprintf("%s/%s", dir, r->imports[0]);
		int climbed;
		shp_path_normalize(m, &climbed);
		_cleanup_free_ char *abs = shp_asprintf("/%s", m);
		uint32_t n = js_as_file(js, abs);
		if (!n) {
			_cleanup_free_ char *idx = shp_asprintf("%s/index", abs);
			n = js_as_file(js, idx);
		}
		if (n)
			return n;
	}
	_cleanup_free_ char *idx = shp_asprintf("%s/index", dir);
	return js_as_file(js, idx);
}

/* spec, required by a file in from (a directory). */
static void js_resolve(struct js *js, const char *from, const char *spec)
{
	if (!strncmp(spec, "node:", 5) || strlen(spec) >= JS_SPEC_MAX)
		return;
	if (spec[0] == '/' || !strncmp(spec, "./", 2) || !strncmp(spec, "../", 3) || !strcmp(spec, ".") ||
	    !strcmp(spec, "..")) {
		_cleanup_free_ char *p = spec[0] == '/' ? shp_xstrdup(spec) : shp_asprintf("%s/%s", from, spec);
		int climbed;
		shp_path_normalize(p, &climbed);
		_cleanup_free_ char *abs = shp_asprintf("/%s", p);
		if (!js_as_file(js, abs))
			js_as_dir(js, abs);
		return;
	}
	/* a package: "name" or "@scope/name", then a path within it */
	const char *slash = strchr(spec, '/');
	if (spec[0] == '@' && slash)
		slash = strchr(slash + 1, '/');
	size_t pl = slash ? (size_t)(slash - spec) : strlen(spec);
	_cleanup_free_ char *dir = shp_xstrdup(from);
	for (;;) {
		size_t dl = strlen(dir);
		if (dl < 13 || strcmp(dir + dl - 13, "/node_modules")) {
			_cleanup_free_ char *pkg =
				shp_asprintf("%s/node_modules/%.*s", strcmp(dir, "/") ? dir : "", (int)pl, spec);
			if (reach(js->s, pkg, 0)) {
				_cleanup_free_ char *sub = slash ? shp_asprintf("%s%s", pkg, slash) : NULL;
				if (sub ? (js_as_file(js, sub) || js_as_dir(js, sub)) : js_as_dir(js, pkg))
					return;
			}
		}
		char *up = strrchr(dir, '/');
		if (!up || !strcmp(dir, "/"))
			break;
		if (up == dir)
			dir[1] = 0;
		else
			*up = 0;
	}
	for (size_t i = 0; i < js->nglobals; i++) {
		_cleanup_free_ char *pkg = shp_asprintf("%s/%.*s", js->globals[i], (int)pl, spec);
		if (!reach(js->s, pkg, 0))
			continue;
		_cleanup_free_ char *sub = slash ? shp_asprintf("%s%s", pkg, slash) : NULL;
		if (sub ? (js_as_file(js, sub) || js_as_dir(js, sub)) : js_as_dir(js, pkg))
			return;
	}
}

static void node_closure(struct slim *s, const char *script)
{
	struct js js = {.s = s, .done = shp_xcalloc(s->u->n + 1, 1)};
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(s->img->config, "config");
	const char *np = env_value(cfg, "NODE_PATH");
	_cleanup_free_ char *npcopy = np ? shp_xstrdup(np) : NULL;
	char *save = NULL;
	for (char *d = npcopy ? strtok_r(npcopy, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save))
		if (d[0] == '/')
			SHP_PUSH(js.globals, js.nglobals, js.cglobals, d);
	static const char *const global[] = {"/usr/lib/x86_64-linux-gnu/nodejs",
					     "/usr/lib/aarch64-linux-gnu/nodejs",
					     "/usr/share/nodejs",
					     "/usr/lib/nodejs",
					     "/usr/local/lib/node_modules",
					     NULL};
	for (int i = 0; global[i]; i++)
		SHP_PUSH(js.globals, js.nglobals, js.cglobals, global[i]);
	_cleanup_free_ char *p = script[0] == '/' ? shp_xstrdup(script) : join(s->workdir, script);
	if (!js_as_file(&js, p))
		js_as_dir(&js, p);
	char buf[8192];
	for (size_t i = 0; i < js.nq; i++) {
		const struct rec *r = s->rec[js.queue[i]];
		const char *at = path_of(s, js.queue[i], buf, sizeof buf);
		size_t al = strlen(at);
		const char *b = al >= 13 ? at + al - 13 : at;
		if (!r || !strcmp(b, "/package.json"))
			continue; /* a package.json's entry point is taken by js_as_dir */
		_cleanup_free_ char *from = shp_xstrdup(at);
		char *slash = strrchr(from, '/');
		if (slash == from)
			from[1] = 0;
		else if (slash)
			*slash = 0;
		for (size_t k = 0; k < r->nimports; k++)
			js_resolve(&js, from, r->imports[k]);
	}
	free(js.done);
	free(js.queue);
	free(js.globals);
}

/* The command line argv[0..argc) of the entrypoint or healthcheck: its program, the shell
 * script it hands to sh -c, and the files its arguments name. Returns the program's node. */
static uint32_t keep_command(struct slim *s, const char *const *argv, size_t argc, const char *what)
{
	uint32_t prog = argc ? keep_program(s, argv[0]) : 0;
	if (!prog) {
		if (argc)
			note(s->res, "%s: the program \"%s\" is not in the image", what, argv[0]);
		return 0;
	}
	if (is_shell(argv[0]) && argc > 2 && !strcmp(argv[1], "-c")) {
		keep_script_commands(s, argv[2], strlen(argv[2]), what);
		/* sh -c 'SCRIPT' NAME ARGS...: "$@" of the script is ARGS */
		if (argc > 4 && runs_its_arguments(argv[2], strlen(argv[2])))
			keep_command(s, argv + 4, argc - 4, "the command that the entrypoint's script runs (\"$@\")");
		return prog;
	}
	/* ENTRYPOINT ["/docker-entrypoint.sh"] + CMD ["nginx", ...]: CMD is what it runs (the
	 * script itself is followed as any kept file is) */
	const struct rec *script = argc > 1 ? shell_script(s, prog) : NULL;
	if (script && runs_its_arguments(script->text, script->len)) {
		keep_command(s, argv + 1, argc - 1, "the command that the entrypoint's script runs (\"$@\")");
		return prog;
	}
	const char *lang = interpreter(argv[0]);
	if (lang && s->res->traced)
		note(s->res,
		     "%s runs under %s: what it loaded in the traced run is kept; a module it loads only for "
		     "what the probes did not ask is not: probe it (--probe-http, --probe-cmd) or keep it with "
		     "--include",
		     what, lang);
	else if (lang) {
		size_t i = 1;
		while (i < argc - 1 && argv[i][0] == '-' && strcmp(argv[i], "-m") && strcmp(argv[i], "-jar"))
			i++;
		int dash_m = i < argc - 1 && !strcmp(argv[i], "-m");
		i += i < argc - 1 && (dash_m || !strcmp(argv[i], "-jar"));
		const char *runs = i < argc ? argv[i] : argv[0];
		if (!strcmp(lang, "python")) {
			python_closure(s, dash_m || i >= argc ? NULL : runs, dash_m ? runs : NULL);
			note(s->res,
			     "%s runs %s under python: the modules it imports were followed, but not those named at "
			     "run time (importlib, plugins); keep them with --include",
			     what, runs);
		} else if (!strncmp(lang, "node", 4) && i < argc && argv[i][0] != '-') {
			node_closure(s, runs);
			note(s->res,
			     "%s runs %s under node: the modules it requires were followed, but not those named at "
			     "run time (a variable's require); keep them with --include",
			     what, runs);
		} else
			note(s->res,
			     "%s runs %s under %s: the modules it loads at run time are not followed; keep them with "
			     "--include",
			     what, runs, lang);
	}
	for (size_t i = 1; i < argc; i++) {
		const char *w = argv[i], *eq = w[0] == '-' ? strchr(w, '=') : NULL;
		if (eq)
			w = eq + 1;
		else if (w[0] == '-')
			continue;
		keep_named(s, w);
	}
	return prog;
}

static const char *const *json_argv(const cJSON *arr, size_t *n, struct shp_arena *a)
{
	*n = 0;
	int k = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
	const char **v = shp_arena_alloc(a, ((size_t)k + 1) * sizeof *v);
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) if (cJSON_IsString(it)) v[(*n)++] = it->valuestring;
	return v;
}

/* lib in dir, if the loader would take it for an object with ELF facts e: a file of the
 * same class and machine (a library it cannot read is skipped, as ld.so does). */
static uint32_t library_in(struct slim *s, const char *dir, const char *lib, const struct shp_elf *e)
{
	_cleanup_free_ char *p = join(dir, lib);
	uint32_t n = reach(s, p, 0);
	const struct rec *r = n ? s->rec[n] : NULL;
	if (!is_file(s, n) || (r && r->elf_ok && (r->elf.bits != e->bits || r->elf.machine != e->machine)))
		return 0;
	return reach(s, p, 1);
}

/* lib in a search list (DT_RPATH, LD_LIBRARY_PATH, DT_RUNPATH: ':'-separated, $ORIGIN being
 * the directory of the object at self). */
static uint32_t library_in_list(struct slim *s, const char *list, const char *self, const char *lib,
				const struct shp_elf *e)
{
	const char *slash = strrchr(self, '/');
	int olen = slash && slash > self ? (int)(slash - self) : 1;
	for (const char *d = list; d && *d;) {
		const char *end = strchrnul(d, ':');
		_cleanup_free_ char *dir = shp_xstrndup(d, (size_t)(end - d));
		d = *end ? end + 1 : end;
		char *o = strstr(dir, "${ORIGIN}"), *o2 = o ? NULL : strstr(dir, "$ORIGIN");
		_cleanup_free_ char *x = o    ? shp_asprintf("%.*s%.*s%s", (int)(o - dir), dir, olen, self, o + 9)
					 : o2 ? shp_asprintf("%.*s%.*s%s", (int)(o2 - dir), dir, olen, self, o2 + 7)
					      : NULL;
		const char *use = x ? x : dir;
		uint32_t n = use[0] == '/' && !strchr(use, '$') ? library_in(s, use, lib, e) : 0;
		if (n)
			return n;
	}
	return 0;
}

/* A library the loader would find for the object at node, in glibc's order: DT_RPATH (when
 * there is no DT_RUNPATH), LD_LIBRARY_PATH, DT_RUNPATH, then the system's directories. */
static uint32_t find_library(struct slim *s, uint32_t node, const struct shp_elf *e, const char *lib)
{
	char buf[8192];
	const char *self = path_of(s, node, buf, sizeof buf);
	uint32_t n;
	if ((n = library_in_list(s, e->runpath ? NULL : e->rpath, self, lib, e)) ||
	    (n = library_in_list(s, s->ld_library_path, self, lib, e)) ||
	    (n = library_in_list(s, e->runpath, self, lib, e)))
		return n;
	for (size_t i = 0; i < s->nlib; i++)
		if ((n = library_in(s, s->libdirs[i], lib, e)))
			return n;
	return 0;
}

/* What a kept file needs: a symlink's or hardlink's target, an ELF file's loader and
 * libraries, a script's interpreter and the programs a shell script runs. */
static void follow(struct slim *s, uint32_t node)
{
	char buf[8192];
	const struct shp_entry *e = visible(s, node);
	if (!e)
		return;
	const char *path = path_of(s, node, buf, sizeof buf);
	if (e->type == SHP_FT_SYMLINK) {
		reach(s, path, 1);
		return;
	}
	if (e->type == SHP_FT_HARDLINK && e->link) {
		_cleanup_free_ char *p = shp_asprintf("/%s", e->link);
		reach(s, p, 1);
		return;
	}
	const struct rec *r = s->rec[node];
	if (!r)
		return;
	if (r->elf_ok) {
		/* a library's, only the data files it names under /usr/share (libnode's
		 * builtins): not the trees it may look in (ICU's /usr/share/zoneinfo/), nor the
		 * system's files libc can open (/etc/shadow, /etc/shells) */
		for (size_t i = 0; i < r->npaths; i++)
			if (r->program)
				keep_constant(s, r->paths[i]);
			else if (!strncmp(r->paths[i], "/usr/share/", 11) && is_file(s, reach(s, r->paths[i], 0)))
				reach(s, r->paths[i], 1);
		if (r->elf.interp && !reach(s, r->elf.interp, 1))
			note(s->res, "%s: its loader %s is not in the image", path, r->elf.interp);
		for (size_t i = 0; i < r->elf.nneeded; i++) {
			const char *lib = r->elf.needed[i];
			uint32_t got = strchr(lib, '/') ? reach(s, lib, 1) : find_library(s, node, &r->elf, lib);
			if (!got)
				note(s->res, "%s needs %s, which is not in the image", path, lib);
			else if (!strncmp(lib, "libc.so.", 8)) {
				/* glibc loads its name-service modules at run time */
				static const char *const nss[] = {"libnss_files.so.2", "libnss_dns.so.2", NULL};
				for (int k = 0; nss[k]; k++)
					find_library(s, node, &r->elf, nss[k]);
			}
		}
		return;
	}
	if (r->text && !strncmp(path, "/etc/", 5) && (r->len < 2 || r->text[0] != '#' || r->text[1] != '!')) {
		keep_config_paths(s, r->text);
		return;
	}
	if (!r->text || r->len < 2 || r->text[0] != '#' || r->text[1] != '!')
		return;
	/* "#!/usr/bin/env -S python3 -u": the interpreter, and env's program */
	const char *l = r->text + 2, *eol = strchrnul(l, '\n');
	_cleanup_free_ char *line = shp_xstrndup(l, (size_t)(eol - l));
	char *save = NULL, *interp = strtok_r(line, " \t\r", &save);
	if (!interp)
		return;
	if (!keep_program(s, interp)) {
		note(s->res, "%s: its interpreter %s is not in the image", path, interp);
		return;
	}
	const char *prog = interp;
	if (!strcmp(strrchr(interp, '/') ? strrchr(interp, '/') + 1 : interp, "env")) {
		char *w;
		while ((w = strtok_r(NULL, " \t\r", &save)) && (w[0] == '-' || strchr(w, '=')))
			;
		if (!w)
			return;
		if (!keep_program(s, w)) {
			note(s->res, "%s: its interpreter %s is not on PATH", path, w);
			return;
		}
		prog = w;
	}
	if (is_shell(prog))
		keep_script_commands(s, r->text, r->len, path);
	else
		note(s->res, "%s runs under %s: the modules it loads are not followed; keep them with --include", path,
		     prog);
}

static void add_dirs(struct slim *s, const char *list, const char *seps)
{
	_cleanup_free_ char *copy = shp_xstrdup(list);
	char *save = NULL;
	for (char *d = strtok_r(copy, seps, &save); d; d = strtok_r(NULL, seps, &save))
		if (d[0] == '/') {
			const char *x = shp_arena_strndup(&s->arena, d, strlen(d));
			SHP_PUSH(s->libdirs, s->nlib, s->clib, x);
		}
}

/* The system directories the loaders search: ld.so.conf (and its includes, all of
 * ld.so.conf.d), musl's path file, and the built-in ones of glibc and musl. */
static void library_dirs(struct slim *s)
{
	for (size_t k = 0; k < s->img->nscans; k++)
		for (size_t i = 0; i < s->recs[k].n; i++) {
			const struct rec *r = &s->recs[k].v[i];
			char buf[8192];
			const char *p = path_of(s, r->node, buf, sizeof buf);
			if (!r->text || !loader_conf(p + 1))
				continue;
			_cleanup_free_ char *copy = shp_xstrdup(r->text);
			char *save = NULL;
			for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
				char *hash = strchr(line, '#');
				if (hash)
					*hash = 0;
				if (!strncmp(line, "include", 7) || !strncmp(line, "hwcap", 5))
					continue;
				add_dirs(s, line, " \t\r:,");
			}
		}
	static const char *const builtin[] = {"/lib/x86_64-linux-gnu",
					      "/usr/lib/x86_64-linux-gnu",
					      "/lib/aarch64-linux-gnu",
					      "/usr/lib/aarch64-linux-gnu",
					      "/lib/arm-linux-gnueabihf",
					      "/usr/lib/arm-linux-gnueabihf",
					      "/lib/i386-linux-gnu",
					      "/usr/lib/i386-linux-gnu",
					      "/lib/powerpc64le-linux-gnu",
					      "/usr/lib/powerpc64le-linux-gnu",
					      "/lib/s390x-linux-gnu",
					      "/usr/lib/s390x-linux-gnu",
					      "/lib64",
					      "/usr/lib64",
					      "/lib",
					      "/usr/local/lib",
					      "/usr/lib",
					      NULL};
	for (int i = 0; builtin[i]; i++)
		SHP_PUSH(s->libdirs, s->nlib, s->clib, builtin[i]);
}

/* Everything the image needs, from its config and the options. */
/* The config's working directory, PATH and the loader's directories, which the traced run
 * and the closure look programs and libraries up in. */
static void lookup_dirs(struct slim *s)
{
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(s->img->config, "config");
	const char *pathenv = env_value(cfg, "PATH");
	const cJSON *wd = cJSON_GetObjectItemCaseSensitive(cfg, "WorkingDir");
	s->workdir = cJSON_IsString(wd) && wd->valuestring[0] == '/' ? wd->valuestring : "/";
	_cleanup_free_ char *pcopy =
		shp_xstrdup(pathenv ? pathenv : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	char *save = NULL;
	for (char *d = strtok_r(pcopy, ":", &save); d; d = strtok_r(NULL, ":", &save))
		if (d[0] == '/') {
			const char *x = shp_arena_strndup(&s->arena, d, strlen(d));
			SHP_PUSH(s->path, s->npath, s->cpath, x);
		}
	s->ld_library_path = env_value(cfg, "LD_LIBRARY_PATH");
	library_dirs(s);
}

static int closure(struct slim *s, struct shp_error **err)
{
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(s->img->config, "config");
	size_t ne, nc;
	const char *const *ep = json_argv(cJSON_GetObjectItemCaseSensitive(cfg, "Entrypoint"), &ne, &s->arena);
	const char *const *cmd = json_argv(cJSON_GetObjectItemCaseSensitive(cfg, "Cmd"), &nc, &s->arena);
	const char **argv = shp_arena_alloc(&s->arena, (ne + nc + 1) * sizeof *argv);
	memcpy(argv, ep, ne * sizeof *argv);
	memcpy(argv + ne, cmd, nc * sizeof *argv);
	if (!(ne + nc) && !s->o->ninclude && !s->o->ninclude_exe)
		return shp_error_set(
			err, SHP_EXIT_INPUT,
			"%s: the image has no entrypoint or command: say what to keep with --include-exe or "
			"--include",
			s->img->input);
	uint32_t prog = keep_command(s, argv, ne + nc, "the entrypoint");
	char buf[8192];
	s->res->entrypoint = prog ? shp_xstrdup(path_of(s, prog, buf, sizeof buf)) : NULL;
	const cJSON *hc =
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cfg, "Healthcheck"), "Test");
	size_t nh;
	const char *const *h = json_argv(hc, &nh, &s->arena);
	if (nh >= 2 && !strcmp(h[0], "CMD"))
		keep_command(s, h + 1, nh - 1, "the healthcheck");
	else if (nh >= 2 && !strcmp(h[0], "CMD-SHELL")) {
		const char *sh[] = {"/bin/sh", "-c", h[1]};
		keep_command(s, sh, 3, "the healthcheck");
	}
	for (size_t i = 0; i < s->o->ninclude; i++)
		if (!keep_tree(s, s->o->include[i]))
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: --include %s: no such path in the image",
					     s->img->input, s->o->include[i]);
	for (size_t i = 0; i < s->o->ninclude_exe; i++)
		if (!keep_program(s, s->o->include_exe[i]))
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: --include-exe %s: no such program in the image",
					     s->img->input, s->o->include_exe[i]);
	/* what programs expect to find, where the image has it */
	static const char *const expected[] = {"/etc/passwd",
					       "/etc/group",
					       "/etc/nsswitch.conf",
					       "/etc/os-release",
					       "/etc/ld.so.cache",
					       "/etc/ssl/certs/ca-certificates.crt",
					       "/etc/ssl/cert.pem",
					       "/etc/pki/tls/certs/ca-bundle.crt",
					       "/etc/localtime",
					       "/etc/timezone",
					       NULL};
	for (int i = 0; expected[i]; i++)
		reach(s, expected[i], 1);
	static const char *const dirs[] = {"/tmp", "/var/tmp", NULL};
	for (int i = 0; dirs[i]; i++)
		reach(s, dirs[i], 1);
	reach(s, s->workdir, 1);
	const cJSON *vol;
	cJSON_ArrayForEach(vol, cJSON_GetObjectItemCaseSensitive(cfg, "Volumes")) reach(s, vol->string, 1);
	/* and what each kept file needs in turn */
	while (s->nwork)
		follow(s, s->work[--s->nwork]);
	return 0;
}

/* ---- pass 2: the new layer -------------------------------------------------------------- */

/* Where tar bytes go: a file, through SHA-256 when h is set, up to s->max_out bytes. */
struct sink {
	int fd;
	struct shp_sha256 *h;
	uint64_t bytes;
	struct slim *s;
};

static int sink_write(void *arg, const void *p, size_t n)
{
	struct sink *k = arg;
	if (n > k->s->max_out - k->bytes) {
		k->s->over = 1;
		errno = EFBIG;
		return -1;
	}
	if (shp_write_all(k->fd, p, n) < 0)
		return -1;
	if (k->h)
		shp_sha256_update(k->h, p, n);
	k->bytes += n;
	return 0;
}

static int write_failed(struct slim *s, struct shp_error **err)
{
	if (s->over)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: the image would be larger than %llu bytes, the output limit "
				     "(--max-output-bytes)",
				     s->o->output, (unsigned long long)s->max_out);
	return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", s->o->output, strerror(errno ? errno : EIO));
}

/* What every written entry loses: setuid and setgid bits; extended attributes (file
 * capabilities among them), ACLs and flags are never written. */
static void sanitize(struct slim *s, struct shp_tar_hdr *h, const struct shp_entry *e)
{
	if (h->mode & 06000) {
		s->res->setid_cleared++;
		h->mode &= ~06000u;
	}
	if (e->flags & SHP_EF_CAPS)
		s->res->caps_dropped++;
}

static char tar_type(const struct shp_entry *e)
{
	switch (e->type) {
	case SHP_FT_HARDLINK: return '1';
	case SHP_FT_SYMLINK: return '2';
	case SHP_FT_CHAR: return '3';
	case SHP_FT_BLOCK: return '4';
	case SHP_FT_DIR: return '5';
	case SHP_FT_FIFO: return '6';
	default: return '0';
	}
}

/* Appends the data at off (n bytes) to the file's regions, and to the spool. A region that
 * another follows is made a whole number of 512-byte blocks long (zeros from the hole after
 * it): GNU tar reads each region of a PAX 1.0 sparse file in whole blocks, so a region that
 * ended inside a block shifted every byte after it (a read of the layer can stop anywhere). */
static int spool_data(struct pass *p, uint64_t off, const unsigned char *d, size_t n, struct shp_error **err)
{
	struct slim *s = p->s;
	struct shp_tar_region *last = p->nmap ? &p->map[p->nmap - 1] : NULL;
	if (last && last->offset + last->length < off && last->length % 512) {
		static const unsigned char z[512];
		uint64_t gap = off - (last->offset + last->length), pad = 512 - last->length % 512;
		if (spool_data(p, last->offset + last->length, z, (size_t)(pad < gap ? pad : gap), err) < 0)
			return -1;
		last = &p->map[p->nmap - 1];
	}
	if (last && last->offset + last->length < off && p->nmap >= SHP_SLIM_MAX_SPARSE_REGIONS) {
		/* no more regions: the hole before this data is written as zeros */
		static const unsigned char z[SHP_SLIM_HOLE_BLOCK];
		uint64_t gap = off - (last->offset + last->length);
		while (gap) {
			size_t k = gap < sizeof z ? (size_t)gap : sizeof z;
			if (spool_data(p, off - gap, z, k, err) < 0)
				return -1;
			gap -= k;
		}
		last = &p->map[p->nmap - 1];
	}
	const struct sink *layer = p->tw.arg;
	if (n > s->max_out - layer->bytes || p->spooled + n > s->max_out - layer->bytes) {
		s->over = 1;
		return write_failed(s, err);
	}
	if (shp_write_all(s->spool_fd, d, n) < 0)
		return write_failed(s, err);
	p->spooled += n;
	if (last && last->offset + last->length == off)
		last->length += n;
	else
		SHP_PUSH(p->map, p->nmap, p->cmap, ((struct shp_tar_region){.offset = off, .length = n}));
	return 0;
}

/* A regular file that may have holes: the layer's own (a sparse tar entry) and runs of zeros
 * a hole block long are left out; its data waits in the spool until the map is known, and
 * goes out as a sparse entry if there is a hole, else as it is. */
static int copy_sparse(struct pass *p, struct archive *a, struct shp_tar_hdr *h, struct shp_error **err)
{
	static const unsigned char zero[SHP_SLIM_HOLE_BLOCK];
	struct slim *s = p->s;
	p->nmap = 0;
	p->spooled = 0;
	if (ftruncate(s->spool_fd, 0) < 0 || lseek(s->spool_fd, 0, SEEK_SET) < 0)
		return write_failed(s, err);
	uint64_t pos = 0;
	for (;;) {
		const void *blk;
		size_t n;
		la_int64_t off;
		int r = archive_read_data_block(a, &blk, &n, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN)
			return -1; /* the archive's error */
		if (off < 0 || (uint64_t)off < pos || n > h->size || (uint64_t)off > h->size - n)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: a sparse entry whose data overlaps or runs past its size", h->path);
		/* the data in pieces that end on hole blocks of the file; a piece of zeros is a hole */
		const unsigned char *d = blk;
		for (uint64_t at = (uint64_t)off, end = (uint64_t)off + n; at < end;) {
			uint64_t stop = (at / SHP_SLIM_HOLE_BLOCK + 1) * SHP_SLIM_HOLE_BLOCK;
			size_t k = (size_t)((stop < end ? stop : end) - at);
			if (memcmp(d, zero, k) && spool_data(p, at, d, k, err) < 0)
				return -1;
			d += k;
			at += k;
		}
		pos = (uint64_t)off + n;
	}
	struct shp_tar_region *last = p->nmap ? &p->map[p->nmap - 1] : NULL;
	int holes = !(p->nmap == 1 && last->offset == 0 && last->length == h->size) && h->size;
	if (holes && (!last || last->offset + last->length < h->size)) /* GNU tar ends on the size */
		SHP_PUSH(p->map, p->nmap, p->cmap, ((struct shp_tar_region){.offset = h->size, .length = 0}));
	if ((holes ? shp_tarw_sparse_header(&p->tw, h, p->map, p->nmap) : shp_tarw_header(&p->tw, h)) < 0 ||
	    lseek(s->spool_fd, 0, SEEK_SET) < 0)
		return write_failed(s, err);
	if (!p->buf)
		p->buf = shp_xmalloc(p->cap = 1u << 18);
	for (uint64_t left = p->spooled; left;) {
		ssize_t k = read(s->spool_fd, p->buf, left < p->cap ? (size_t)left : p->cap);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0 || shp_tarw_data(&p->tw, p->buf, (size_t)k) < 0)
			return write_failed(s, err);
		left -= (uint64_t)k;
	}
	return 0;
}

static int copy_entry(void *arg, struct archive *a, struct archive_entry *ae, const struct shp_entry *e, size_t n,
		      struct shp_error **err)
{
	struct pass *p = arg;
	struct slim *s = p->s;
	const struct shp_layer_scan *sc = &s->img->scans[p->scan];
	uint32_t node = n < sc->nentries ? s->want[p->scan][n] : 0;
	if (!node-- || !s->keep[node] || e->type == SHP_FT_DIR || e->type == SHP_FT_SOCKET)
		return 0;
	if (e->type == SHP_FT_HARDLINK) {
		/* a hard link needs its target written before it, from this layer */
		uint32_t t = e->link ? shp_union_lookup(s->u, e->link) : 0;
		int layer = -1;
		const struct shp_entry *te = t ? shp_union_visible(s->u, t, &layer) : NULL;
		if (!te || te->type != SHP_FT_FILE || s->img->layers[layer].scan != p->scan || !s->keep[t]) {
			char buf[8192];
			note(s->res, "%s: a hard link whose target is not this layer's file: left out",
			     path_of(s, node, buf, sizeof buf));
			return 0;
		}
	}
	struct shp_tar_hdr h = {.path = e->path,
				.link = e->link,
				.type = tar_type(e),
				.mode = e->mode,
				.uid = e->uid,
				.gid = e->gid,
				.size = e->type == SHP_FT_FILE ? e->size : 0,
				.mtime = (int64_t)archive_entry_mtime(ae),
				.devmajor = (uint32_t)archive_entry_rdevmajor(ae),
				.devminor = (uint32_t)archive_entry_rdevminor(ae),
				.uname = archive_entry_uname(ae),
				.gname = archive_entry_gname(ae)};
	sanitize(s, &h, e);
	if (e->type != SHP_FT_FILE)
		return shp_tarw_header(&p->tw, &h) < 0 ? write_failed(s, err) : 0;
	if (h.size >= SHP_SLIM_SPARSE_MIN || archive_entry_sparse_count(ae) > 0)
		return copy_sparse(p, a, &h, err);
	if (shp_tarw_header(&p->tw, &h) < 0)
		return write_failed(s, err);
	if (!p->buf)
		p->buf = shp_xmalloc(p->cap = 1u << 18);
	uint64_t left = h.size;
	la_ssize_t k;
	while (left && (k = archive_read_data(a, p->buf, left < p->cap ? (size_t)left : p->cap)) > 0) {
		if (shp_tarw_data(&p->tw, p->buf, (size_t)k) < 0)
			return write_failed(s, err);
		left -= (uint64_t)k;
	}
	if (left)
		return -1; /* the archive's error: the entry ended early */
	return 0;
}

static int copy_blob(void *arg, size_t idx, struct shp_src *src, struct shp_error **err)
{
	struct pass *p = arg;
	p->scan = idx;
	return walk_blob(p, src, copy_entry, err);
}

/* The kept directories first, parents before children, as the image had them. */
static int write_dirs(struct slim *s, struct shp_tarw *tw, struct shp_error **err)
{
	_cleanup_free_ uint32_t *stack = NULL;
	size_t n = 0, cap = 0;
	for (uint32_t c = s->u->nodes[0].first_child; c; c = s->u->nodes[c].next_sibling)
		SHP_PUSH(stack, n, cap, c);
	while (n) {
		uint32_t d = stack[--n];
		const struct shp_entry *e = visible(s, d);
		if (!s->keep[d] || !e || e->type != SHP_FT_DIR)
			continue;
		char buf[8192];
		_cleanup_free_ char *path = shp_asprintf("%s/", path_of(s, d, buf, sizeof buf) + 1);
		struct shp_tar_hdr h = {
			.path = path, .type = '5', .mode = e->mode, .uid = e->uid, .gid = e->gid, .mtime = s->mtime[d]};
		sanitize(s, &h, e);
		if (shp_tarw_header(tw, &h) < 0)
			return write_failed(s, err);
		for (uint32_t c = s->u->nodes[d].first_child; c; c = s->u->nodes[c].next_sibling)
			SHP_PUSH(stack, n, cap, c);
	}
	return 0;
}

/* ---- the image around it ---------------------------------------------------------------- */

/* The source's creation time (the same input gives the same output), unless
 * SOURCE_DATE_EPOCH says otherwise; for a source that says none, the epoch, as reproducible
 * builders write it (the time of the run would make each output differ). */
static void timestamp(const struct slim *s, char out[32])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(s->img->config, "created");
	if (sde && *sde)
		shp_timestamp_now(out);
	else if (cJSON_IsString(c) && strlen(c->valuestring) < 32)
		strcpy(out, c->valuestring);
	else
		strcpy(out, "1970-01-01T00:00:00Z");
}

static void set_item(cJSON *obj, const char *name, cJSON *v)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, name))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, name, v);
	else
		cJSON_AddItemToObject(obj, name, v);
}

/* The new config: the source's, with one layer, one history entry, the user chosen. */
static char *new_config(struct slim *s, const char *diff_id)
{
	cJSON *c = cJSON_Duplicate(s->img->config, 1);
	cJSON *cfg = cJSON_GetObjectItemCaseSensitive(c, "config");
	if (!cJSON_IsObject(cfg)) {
		cfg = cJSON_CreateObject();
		set_item(c, "config", cfg);
	}
	set_item(cfg, "User", cJSON_CreateString(s->res->user));
	cJSON *labels = cJSON_GetObjectItemCaseSensitive(cfg, "Labels");
	if (!cJSON_IsObject(labels)) {
		labels = cJSON_CreateObject();
		set_item(cfg, "Labels", labels);
	}
	if (s->img->config_digest)
		set_item(labels, "io.shipshape.slim.source", cJSON_CreateString(s->img->config_digest));
	cJSON *rootfs = cJSON_CreateObject();
	cJSON_AddStringToObject(rootfs, "type", "layers");
	cJSON *ids = cJSON_AddArrayToObject(rootfs, "diff_ids");
	cJSON_AddItemToArray(ids, cJSON_CreateString(diff_id));
	set_item(c, "rootfs", rootfs);
	char ts[32];
	timestamp(s, ts);
	set_item(c, "created", cJSON_CreateString(ts));
	cJSON *hist = cJSON_CreateArray(), *h = cJSON_CreateObject();
	cJSON_AddStringToObject(h, "created", ts);
	char by[160];
	snprintf(by, sizeof by, "shipshape slim: %zu of %zu files kept", s->res->files_kept, s->res->files_in);
	cJSON_AddStringToObject(h, "created_by", by);
	cJSON_AddItemToArray(hist, h);
	set_item(c, "history", hist);
	char *out = cJSON_PrintUnformatted(c);
	cJSON_Delete(c);
	return out;
}

/* A member of the tarball: a directory (name ending in '/'), n bytes of data, or the file
 * at fd (fsize bytes). */
static int add_member(struct slim *s, struct shp_tarw *tw, const char *name, const void *data, size_t n, int fd,
		      uint64_t fsize, struct shp_error **err)
{
	int dir = name[strlen(name) - 1] == '/';
	int64_t mtime = 0;
	struct shp_tar_hdr h = {.path = name,
				.type = dir ? '5' : '0',
				.mode = dir ? 0755 : 0644,
				.size = dir	  ? 0
					: fd >= 0 ? fsize
						  : n,
				.mtime = mtime};
	if (shp_tarw_header(tw, &h) < 0 || (data && shp_tarw_data(tw, data, n) < 0))
		return write_failed(s, err);
	if (fd < 0)
		return 0;
	_cleanup_free_ char *buf = shp_xmalloc(1u << 18);
	if (lseek(fd, 0, SEEK_SET) < 0)
		return write_failed(s, err);
	uint64_t left = fsize;
	while (left) {
		ssize_t k = read(fd, buf, left < (1u << 18) ? (size_t)left : (1u << 18));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0 || shp_tarw_data(tw, buf, (size_t)k) < 0)
			return write_failed(s, err);
		left -= (uint64_t)k;
	}
	return 0;
}

/* The tarball: an OCI layout (oci-layout, index.json, blobs/sha256/...) with Docker's
 * manifest.json beside it, so docker load, podman load and skopeo all read it. */
static int write_image(struct slim *s, int out_fd, int layer_fd, struct shp_error **err)
{
	struct shp_slim_result *res = s->res;
	_cleanup_free_ char *config = new_config(s, res->layer_digest);
	shp_sha256_buf(config, strlen(config), res->config_digest);
	_cleanup_free_ char *manifest = shp_asprintf(
		"{\"schemaVersion\":2,\"mediaType\":\"application/"
		"vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
		"\"application/"
		"vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":%zu},\"layers\":[{\"mediaType\":"
		"\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"%s\",\"size\":%llu}]}",
		res->config_digest, strlen(config), res->layer_digest, (unsigned long long)res->layer_bytes);
	shp_sha256_buf(manifest, strlen(manifest), res->manifest_digest);
	if (s->o->publish) {
		struct shp_slim_image im = {.layer_fd = layer_fd,
					    .layer_digest = res->layer_digest,
					    .layer_media_type = "application/vnd.oci.image.layer.v1.tar",
					    .layer_bytes = res->layer_bytes,
					    .config = config,
					    .config_digest = res->config_digest,
					    .config_len = strlen(config),
					    .manifest = manifest,
					    .manifest_digest = res->manifest_digest,
					    .manifest_media_type = "application/vnd.oci.image.manifest.v1+json",
					    .manifest_len = strlen(manifest)};
		return s->o->publish(s->o->publish_arg, &im, err);
	}
	struct shp_buf index = {0}, docker = {0};
	shp_buf_printf(&index,
		       "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
		       "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":%zu",
		       res->manifest_digest, strlen(manifest));
	shp_buf_printf(&docker, "[{\"Config\":\"blobs/sha256/%s\",\"RepoTags\":", res->config_digest + 7);
	if (s->o->tag) {
		const char *colon = strrchr(s->o->tag, ':');
		const char *tag = colon && !strchr(colon, '/') ? colon + 1 : "latest";
		shp_buf_puts(&index, ",\"annotations\":{\"io.containerd.image.name\":");
		shp_buf_json_str(&index, s->o->tag);
		shp_buf_puts(&index, ",\"org.opencontainers.image.ref.name\":");
		shp_buf_json_str(&index, tag);
		shp_buf_putc(&index, '}');
		shp_buf_putc(&docker, '[');
		shp_buf_json_str(&docker, s->o->tag);
		shp_buf_putc(&docker, ']');
	} else
		shp_buf_puts(&docker, "null");
	shp_buf_puts(&index, "}]}");
	shp_buf_printf(&docker, ",\"Layers\":[\"blobs/sha256/%s\"]}]", res->layer_digest + 7);

	char lname[96], cname[96], mname[96];
	snprintf(lname, sizeof lname, "blobs/sha256/%s", res->layer_digest + 7);
	snprintf(cname, sizeof cname, "blobs/sha256/%s", res->config_digest + 7);
	snprintf(mname, sizeof mname, "blobs/sha256/%s", res->manifest_digest + 7);
	static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
	struct sink k = {.fd = out_fd, .s = s};
	struct shp_tarw tw = {.write = sink_write, .arg = &k};
	int rc = 0;
	if (add_member(s, &tw, "blobs/", NULL, 0, -1, 0, err) < 0 ||
	    add_member(s, &tw, "blobs/sha256/", NULL, 0, -1, 0, err) < 0 ||
	    add_member(s, &tw, lname, NULL, 0, layer_fd, res->layer_bytes, err) < 0 ||
	    add_member(s, &tw, cname, config, strlen(config), -1, 0, err) < 0 ||
	    add_member(s, &tw, mname, manifest, strlen(manifest), -1, 0, err) < 0 ||
	    add_member(s, &tw, "index.json", index.data, index.len, -1, 0, err) < 0 ||
	    add_member(s, &tw, "manifest.json", docker.data, docker.len, -1, 0, err) < 0 ||
	    add_member(s, &tw, "oci-layout", layout, sizeof layout - 1, -1, 0, err) < 0)
		rc = -1;
	else if (shp_tarw_finish(&tw) < 0)
		rc = write_failed(s, err);
	shp_buf_free(&index);
	shp_buf_free(&docker);
	return rc;
}

/* Streams the kept entries into layer_fd as a layer tarball: its bytes in *bytes, its
 * digest in digest when that is set. */
static int write_layer(struct slim *s, int layer_fd, uint64_t *bytes, char digest[72], struct shp_error **err)
{
	struct shp_sha256 h;
	shp_sha256_init(&h);
	struct sink k = {.fd = layer_fd, .h = digest ? &h : NULL, .s = s};
	struct pass p = {.s = s, .tw = {.write = sink_write, .arg = &k}};
	int rc = -1;
	if (write_dirs(s, &p.tw, err) < 0 ||
	    shp_store_stream(s->img->store, (const char *const *)s->names, s->img->nscans, 1, copy_blob, &p, err) < 0)
		goto out;
	if (shp_tarw_finish(&p.tw) < 0) {
		write_failed(s, err);
		goto out;
	}
	if (digest)
		shp_sha256_final(&h, digest);
	*bytes = k.bytes;
	rc = 0;
out:
	shp_sha256_free(&h);
	free(p.buf);
	free(p.map);
	return rc;
}

/* Streams the kept entries into the layer file, then writes the tarball at out_fd. */
static int write_all(struct slim *s, int out_fd, int layer_fd, struct shp_error **err)
{
	if (write_layer(s, layer_fd, &s->res->layer_bytes, s->res->layer_digest, err) < 0)
		return -1;
	return write_image(s, out_fd, layer_fd, err);
}

/* ---- what the report says was removed --------------------------------------------------- */

static int cmp_pkg(const void *a, const void *b)
{
	return strcmp(((const struct shp_slim_pkg *)a)->name, ((const struct shp_slim_pkg *)b)->name);
}

/* Counts path (n bytes, from the root, with or without its leading '/') for pkg when it is a
 * regular file of the final filesystem (a path through a symlinked directory such as /bin
 * counted where it lands). */
static void pkg_file(struct slim *s, struct shp_slim_pkg *pkg, const char *path, size_t n)
{
	char buf[8192];
	for (; n && *path == '/'; n--)
		path++;
	if (!n || n >= sizeof buf)
		return;
	memcpy(buf, path, n);
	buf[n] = 0;
	int loop;
	uint32_t node = shp_union_walk(s->u, buf, 0, NULL, NULL, &loop);
	const struct shp_entry *e = visible(s, node);
	if (!e || e->type != SHP_FT_FILE)
		return;
	pkg->files++;
	pkg->bytes += e->size;
	if (s->keep[node]) {
		pkg->kept++;
		pkg->bytes_kept += e->size;
	}
}

struct pkgs {
	struct shp_slim_pkg *v;
	size_t n, cap;
};

/* Adds pkg when it has a file in the image; frees its name otherwise. */
static void pkg_done(struct pkgs *out, struct shp_slim_pkg *pkg)
{
	if (pkg->name && pkg->files)
		SHP_PUSH(out->v, out->n, out->cap, *pkg);
	else
		free(pkg->name);
	*pkg = (struct shp_slim_pkg){0};
}

/* apk's installed database: a stanza per package, its name on P:, each directory on F:
 * and the files in it on R: lines. */
static void apk_packages(struct slim *s, const char *text, struct pkgs *out)
{
	struct shp_slim_pkg pkg = {0};
	const char *dir = "";
	size_t dirn = 0;
	for (const char *line = text; *line;) {
		const char *eol = strchrnul(line, '\n');
		size_t len = (size_t)(eol - line);
		if (!len)
			pkg_done(out, &pkg);
		else if (len > 2 && line[1] == ':') {
			if (line[0] == 'P') {
				pkg_done(out, &pkg);
				pkg = (struct shp_slim_pkg){.name = shp_xstrndup(line + 2, len - 2), .type = "apk"};
				dir = "";
				dirn = 0;
			} else if (line[0] == 'F') {
				dir = line + 2;
				dirn = len - 2;
			} else if (line[0] == 'R' && pkg.name) {
				_cleanup_free_ char *p =
					shp_asprintf("%.*s/%.*s", (int)dirn, dir, (int)(len - 2), line + 2);
				pkg_file(s, &pkg, p, strlen(p));
			}
		}
		line = *eol ? eol + 1 : eol;
	}
	pkg_done(out, &pkg);
}

/* Each package's regular files, by its file list (dpkg's info/NAME.list, apk's installed
 * database), and those kept. */
static void packages(struct slim *s)
{
	struct shp_slim_result *res = s->res;
	struct pkgs out = {0};
	char buf[8192];
	for (uint32_t n = 1; n < s->u->n; n++) {
		const struct rec *r = s->rec[n];
		if (!r || !r->pkglist)
			continue;
		if (r->pkglist == PKGLIST_APK) {
			apk_packages(s, r->text, &out);
			continue;
		}
		const char *base = strrchr(path_of(s, n, buf, sizeof buf), '/') + 1;
		struct shp_slim_pkg pkg = {.name = shp_xstrndup(base, strlen(base) - 5), .type = "deb"};
		for (const char *line = r->text; *line;) {
			const char *eol = strchrnul(line, '\n');
			if (*line == '/')
				pkg_file(s, &pkg, line, (size_t)(eol - line));
			line = *eol ? eol + 1 : eol;
		}
		pkg_done(&out, &pkg);
	}
	if (out.n)
		qsort(out.v, out.n, sizeof *out.v, cmp_pkg);
	res->pkgs = out.v;
	res->npkgs = out.n;
}

struct found {
	struct slim *s;
	struct shp_slim_found *v;
	size_t n, cap;
};

static void found_program(void *arg, const char *path, uint32_t node, uint32_t target, int layer)
{
	(void)layer;
	struct found *f = arg;
	struct shp_slim_found x = {.path = shp_asprintf("/%s", path),
				   .mode = visible(f->s, target) ? visible(f->s, target)->mode : 0,
				   .kept = f->s->keep[node] && f->s->keep[target]};
	SHP_PUSH(f->v, f->n, f->cap, x);
}

/* The shells, package managers and setuid or setgid files the image rules would report on
 * the image, and which are kept. */
static void removed(struct slim *s)
{
	struct shp_slim_result *res = s->res;
	struct found f = {.s = s};
	shp_image_programs(s->u, SHP_PROG_SHELL, found_program, &f);
	res->shells = f.v;
	res->nshells = f.n;
	f = (struct found){.s = s};
	shp_image_programs(s->u, SHP_PROG_PACKAGE_MANAGER, found_program, &f);
	res->package_managers = f.v;
	res->npackage_managers = f.n;
	f = (struct found){.s = s};
	char buf[8192];
	for (uint32_t n = 1; n < s->u->n; n++) {
		const struct shp_entry *e = visible(s, n);
		if (!e || !shp_image_setid(e))
			continue;
		struct shp_slim_found x = {
			.path = shp_xstrdup(path_of(s, n, buf, sizeof buf)), .mode = e->mode, .kept = s->keep[n]};
		SHP_PUSH(f.v, f.n, f.cap, x);
	}
	res->setid = f.v;
	res->nsetid = f.n;
}

/* ---- the driver ------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Where a kept program makes a file by a compiled-in name (under /var or /run; a name the
 * image does not have, such as nginx's /run/nginx.pid, is one made at run time) in a
 * directory only root may write: the first, as "PROGRAM writes PATH (...)", or 0. */
static int needs_root(struct slim *s, char *why, size_t size)
{
	char buf[8192];
	for (uint32_t n = 1; n < s->u->n; n++) {
		const struct rec *r = s->keep[n] && s->rec[n] && s->rec[n]->program ? s->rec[n] : NULL;
		for (size_t i = 0; r && i < r->npaths; i++) {
			const char *p = r->paths[i];
			if ((strncmp(p, "/var/", 5) && strncmp(p, "/run/", 5)) || reach(s, p, 0))
				continue;
			/* the directory it would be made in */
			_cleanup_free_ char *at = shp_xstrdup(p);
			const struct shp_entry *e = NULL;
			for (char *slash; !e && (slash = strrchr(at, '/')) && slash > at;) {
				*slash = 0;
				uint32_t node = reach(s, at, 0);
				e = node ? visible(s, node) : NULL;
			}
			if (!e || e->uid != 0 || (e->mode & 0002))
				continue;
			snprintf(why, size, "%s makes %s, in /%s (owned by %u:%u, mode %04o)",
				 path_of(s, n, buf, sizeof buf), p, e->path, e->uid, e->gid, e->mode);
			return 1;
		}
	}
	return 0;
}

/* 1 when user uid:gid may write to e (root may anywhere). */
static int may_write(const struct shp_entry *e, unsigned uid, unsigned gid)
{
	if (!uid)
		return 1;
	if (e->uid == uid)
		return (e->mode & 0200) != 0;
	if (e->gid == gid)
		return (e->mode & 0020) != 0;
	return (e->mode & 0002) != 0;
}

/* Where the traced run did what uid:gid could not: the command's own call that takes root
 * (a port below 1024, setuid), or a path written where that user may not write. 1 with why,
 * or 0. What Python writes if it may (its byte-code caches) is no need. */
static int traced_needs_root(struct slim *s, unsigned uid, unsigned gid, char *why, size_t size)
{
	const struct shp_sandbox_result *r = &s->res->run;
	if (r->root_why) {
		snprintf(why, size, "the command %s, which takes root", r->root_why);
		return 1;
	}
	for (size_t i = 0; i < r->nwrote; i++) {
		const char *w = r->wrote[i];
		size_t n = strlen(w);
		if (strstr(w, "/__pycache__") || (n > 4 && !strcmp(w + n - 4, ".pyc")))
			continue;
		_cleanup_free_ char *at = shp_xstrdup(w);
		uint32_t node = reach(s, at, 0);
		/* a name made at run time: the directory it is made in */
		for (char *slash; !node && (slash = strrchr(at, '/')) && slash > at;) {
			*slash = 0;
			node = reach(s, at, 0);
		}
		const struct shp_entry *e = visible(s, node);
		if (e && !may_write(e, uid, gid)) {
			snprintf(why, size, "the command writes %s, where /%s is owned by %u:%u with mode %04o", w,
				 e->path, e->uid, e->gid, e->mode & 07777);
			return 1;
		}
	}
	return 0;
}

static void choose_user(struct slim *s)
{
	const char *was = shp_image_user(s->img);
	snprintf(s->res->was_user, sizeof s->res->was_user, "%s", was ? was : "");
	int root = was && shp_user_is_root(was, SHP_USER_UNSET_ROOT);
	const char *u = s->o->user ? s->o->user : was && !root ? was : SHP_SLIM_DEFAULT_USER;
	/* a root image stays root when what it runs needs root (the traced run says so, or
	 * static analysis finds a kept program making files where only root may): the switch
	 * must not break it */
	char why[1024];
	if (!s->o->user && (!was || root)) {
		unsigned uid = 0, gid = 0;
		sscanf(SHP_SLIM_DEFAULT_USER, "%u:%u", &uid, &gid);
		const char *stays = was && *was ? was : "0:0";
		if (s->res->traced && s->res->run.started) {
			if (traced_needs_root(s, uid, gid, why, sizeof why)) {
				u = stays;
				note(s->res, "the user stays %s: %s (in the traced run)", u, why);
			}
		} else if (needs_root(s, why, sizeof why)) {
			u = stays;
			note(s->res, "the user stays %s: %s; chown that to a user and give it with --user", u, why);
		}
	}
	snprintf(s->res->user, sizeof s->res->user, "%s", u);
}

/* ---- the traced run ----------------------------------------------------------------------- */

/* The image's command, environment, working directory and user, as a runtime takes them,
 * and the probes: those asked for, or each EXPOSEd TCP port's GET / and the HEALTHCHECK. */
struct runspec {
	struct shp_sandbox_opts so;
	const char **argv, **env;
	char *health; /* the healthcheck, as a command probe's line */
	struct shp_probe *probes;
	size_t nprobes, cprobes;
};

static void runspec_free(struct runspec *rs)
{
	free(rs->health);
	free(rs->argv);
	free(rs->env);
	for (size_t i = 0; i < rs->nprobes; i++)
		free(rs->probes[i].path);
	free(rs->probes);
}

static void runspec(struct slim *s, struct runspec *rs)
{
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(s->img->config, "config");
	size_t ne, nc, nv = 0;
	const char *const *ep = json_argv(cJSON_GetObjectItemCaseSensitive(cfg, "Entrypoint"), &ne, &s->arena);
	const char *const *cmd = json_argv(cJSON_GetObjectItemCaseSensitive(cfg, "Cmd"), &nc, &s->arena);
	const cJSON *env = cJSON_GetObjectItemCaseSensitive(cfg, "Env"), *it;
	*rs = (struct runspec){0};
	rs->argv = shp_xcalloc(ne + nc + 1, sizeof *rs->argv);
	memcpy(rs->argv, ep, ne * sizeof *ep);
	memcpy(rs->argv + ne, cmd, nc * sizeof *cmd);
	rs->env = shp_xcalloc((size_t)cJSON_GetArraySize(env) + 2, sizeof *rs->env);
	int has_path = 0;
	cJSON_ArrayForEach(it, env) if (cJSON_IsString(it) && strchr(it->valuestring, '='))
	{
		rs->env[nv++] = it->valuestring;
		has_path |= !strncmp(it->valuestring, "PATH=", 5);
	}
	if (!has_path) /* as the engines give it */
		rs->env[nv++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	const cJSON *wd = cJSON_GetObjectItemCaseSensitive(cfg, "WorkingDir");
	for (size_t i = 0; i < s->o->nprobes; i++) {
		struct shp_probe p = s->o->probes[i];
		p.path = p.cmd ? NULL : shp_xstrdup(p.path ? p.path : "/");
		SHP_PUSH(rs->probes, rs->nprobes, rs->cprobes, p);
	}
	/* the HEALTHCHECK, as the engine runs it, is a command probe of its own */
	const cJSON *hc =
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cfg, "Healthcheck"), "Test");
	size_t nh;
	const char *const *h = json_argv(hc, &nh, &s->arena);
	if (!s->o->nprobes && !s->o->no_probe && nh >= 2 && (!strcmp(h[0], "CMD") || !strcmp(h[0], "CMD-SHELL"))) {
		struct shp_buf b = {0};
		if (!strcmp(h[0], "CMD-SHELL"))
			shp_buf_puts(&b, h[1]);
		for (size_t i = 1; !strcmp(h[0], "CMD") && i < nh; i++) {
			shp_buf_puts(&b, i > 1 ? " " : "");
			if (!h[i][0] || strpbrk(h[i], " \t\n'\"\\$`*?[]{}()<>|&;#~!")) {
				/* 'it'\''s' */
				shp_buf_putc(&b, '\'');
				for (const char *c = h[i]; *c; c++)
					if (*c == '\'')
						shp_buf_puts(&b, "'\\''");
					else
						shp_buf_putc(&b, *c);
				shp_buf_putc(&b, '\'');
			} else
				shp_buf_puts(&b, h[i]);
		}
		rs->health = shp_buf_steal(&b);
	}
	const cJSON *port;
	if (!s->o->nprobes && !s->o->no_probe)
		cJSON_ArrayForEach(port, cJSON_GetObjectItemCaseSensitive(cfg, "ExposedPorts"))
		{
			char *end;
			unsigned long n = strtoul(port->string, &end, 10);
			if (n && n < 65536 && (!*end || !strcmp(end, "/tcp"))) {
				struct shp_probe p = {.port = (unsigned)n, .path = shp_xstrdup("/")};
				SHP_PUSH(rs->probes, rs->nprobes, rs->cprobes, p);
			}
		}
	if (rs->health) {
		struct shp_probe p = {.cmd = rs->health};
		SHP_PUSH(rs->probes, rs->nprobes, rs->cprobes, p);
	}
	rs->so = (struct shp_sandbox_opts){.layer_fd = -1,
					   .root_bytes = s->res->bytes_in,
					   .argv = rs->argv,
					   .argc = ne + nc,
					   .env = rs->env,
					   .nenv = nv,
					   .workdir = cJSON_IsString(wd) ? wd->valuestring : NULL,
					   .user = shp_image_user(s->img),
					   .probes = rs->probes,
					   .nprobes = rs->nprobes,
					   .probe_listening = !s->o->nprobes && !s->o->no_probe,
					   .time_ms = s->o->probe_ms};
}

/* The image's command run in the sandbox over the whole image: what it touched in
 * s->res->run. 0 when it ran (res->traced), or when the sandbox could not be made here (a
 * note says why, and static analysis alone decides); -1 with err on an I/O error. */
static int trace_image(struct slim *s, struct runspec *rs, struct shp_error **err)
{
	_cleanup_free_ char *prog = rs->so.argc ? find_program(s, rs->argv[0]) : NULL;
	if (!prog)
		return 0; /* nothing to run: the closure says so */
	/* the root: every visible entry, as the slim layer is written */
	for (uint32_t n = 1; n < s->u->n; n++)
		s->keep[n] = visible(s, n) != NULL;
	_cleanup_close_ int fd = shp_temp_fd(NULL, err);
	uint64_t bytes;
	if (fd < 0 || (s->spool_fd < 0 && (s->spool_fd = shp_temp_fd(NULL, err)) < 0) ||
	    write_layer(s, fd, &bytes, NULL, err) < 0)
		return -1;
	memset(s->keep, 0, s->u->n + 1);
	s->res->setid_cleared = s->res->caps_dropped = 0;
	rs->so.layer_fd = fd;
	_cleanup_error_ struct shp_error *why = NULL;
	if (shp_sandbox_run(&rs->so, &s->res->run, &why) < 0) {
		note(s->res, "not traced: %s; what is kept is what static analysis finds (--static)", why->msg);
		shp_sandbox_result_free(&s->res->run);
		return 0;
	}
	s->res->traced = 1;
	return 0;
}

/* What the traced run touched, kept with what it needs; for a name made at run time, the
 * directory it was made in. */
static void keep_traced(struct slim *s)
{
	const struct shp_sandbox_result *r = &s->res->run;
	for (size_t i = 0; i < r->npaths; i++) {
		if (reach(s, r->paths[i], 1))
			continue;
		_cleanup_free_ char *at = shp_xstrdup(r->paths[i]);
		for (char *slash; (slash = strrchr(at, '/'));) {
			slash[slash == at] = 0;
			if (reach(s, at, 1) || slash == at)
				break;
		}
	}
	while (s->nwork)
		follow(s, s->work[--s->nwork]);
}

static void differ(struct shp_slim_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void differ(struct shp_slim_result *res, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(&res->differ, &res->ndiffer, &res->cdiffer, fmt, ap);
	va_end(ap);
}

/* "exited with 3", "was still running" */
static const char *run_end(const struct shp_sandbox_result *r, char *buf, size_t size)
{
	if (!r->started)
		snprintf(buf, size, "did not start");
	else if (r->exited)
		snprintf(buf, size, "exited with %d", r->exit_code);
	else
		snprintf(buf, size, "was still running");
	return buf;
}

/* The slim image (layer_fd) run again with the same probes (those the image's run asked,
 * and the ports it found), as the user chosen: res->verified, with what differed and the
 * paths it looked for in vain that the image has. */
static int verify(struct slim *s, struct runspec *rs, int layer_fd, struct shp_error **err)
{
	struct shp_slim_result *res = s->res;
	const struct shp_sandbox_result *a = &res->run;
	struct shp_sandbox_opts so = rs->so;
	so.layer_fd = layer_fd;
	so.root_bytes = res->bytes_kept;
	so.user = res->user;
	so.probes = a->probes;
	so.nprobes = a->nprobes;
	so.probe_listening = 0;
	_cleanup_error_ struct shp_error *why = NULL;
	if (shp_sandbox_run(&so, &res->check, &why) < 0)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: the slim image could not be run again: %s",
				     s->img->input, why->msg);
	const struct shp_sandbox_result *b = &res->check;
	char x[64], y[64];
	if (a->started != b->started || a->exited != b->exited || (a->exited && a->exit_code != b->exit_code))
		differ(res, "the command %s in the image's run and %s in the slim image's", run_end(a, x, sizeof x),
		       run_end(b, y, sizeof y));
	for (size_t i = 0; i < a->nprobes && i < b->nprobes; i++) {
		const struct shp_probe *p = &a->probes[i], *q = &b->probes[i];
		if (p->ran == q->ran && p->status == q->status)
			continue;
		if (p->cmd) {
			snprintf(y, sizeof y, q->ran ? "exited with %d" : "did not run", q->status);
			differ(res,
			       "the probe command \"%s\" exited with %d in the image's run and %s in the slim image's",
			       p->cmd, p->status, y);
		} else if (p->ran != q->ran)
			differ(res, "port %u was listened on in the %s run only", p->port,
			       p->ran ? "image's" : "slim image's");
		else
			differ(res, "GET %s on port %u answered %d in the image's run and %d in the slim image's",
			       p->path ? p->path : "/", p->port, p->status, q->status);
	}
	for (size_t i = 0; i < b->npaths; i++) {
		uint32_t n = reach(s, b->paths[i], 0);
		if (n && !s->keep[n])
			SHP_PUSH(res->missed, res->nmissed, res->cmissed, shp_xstrdup(b->paths[i]));
	}
	res->verified = !res->ndiffer;
	return 0;
}

/* A verification's results, moved out of a result while another is tried. */
struct check {
	struct shp_sandbox_result run;
	char **differ, **missed;
	size_t ndiffer, cdiffer, nmissed, cmissed;
	int verified;
};

/* Exchanges res's verification with c's. */
static void swap_check(struct shp_slim_result *res, struct check *c)
{
	struct check t = {res->check,	res->differ,  res->missed,  res->ndiffer,
			  res->cdiffer, res->nmissed, res->cmissed, res->verified};
	res->check = c->run;
	res->differ = c->differ;
	res->missed = c->missed;
	res->ndiffer = c->ndiffer;
	res->cdiffer = c->cdiffer;
	res->nmissed = c->nmissed;
	res->cmissed = c->cmissed;
	res->verified = c->verified;
	*c = t;
}

static void free_check(struct check *c)
{
	shp_sandbox_result_free(&c->run);
	for (size_t i = 0; i < c->ndiffer; i++)
		free(c->differ[i]);
	for (size_t i = 0; i < c->nmissed; i++)
		free(c->missed[i]);
	free(c->differ);
	free(c->missed);
}

/* The slim image run again (verify); when it differs and slim itself switched the user, run
 * as the image's user too: if that gives the same results, the image keeps its user (the
 * switch must not break it) and is written again at out_fd (the layer is the same); if not,
 * the switched user's results stand (its run is not made again). */
static int verify_user(struct slim *s, struct runspec *rs, int out_fd, int layer_fd, struct shp_error **err)
{
	struct shp_slim_result *res = s->res;
	if (verify(s, rs, layer_fd, err) < 0)
		return -1;
	const char *was = shp_image_user(s->img);
	const char *stays = was && *was ? was : "0:0";
	if (res->check.one_id && strcmp(res->user, stays))
		note(res,
		     "the sandbox had one user ID (slim ran as a user that is not root): its runs were all as that "
		     "user, so the verification did not try the image as %s",
		     res->user);
	if (res->verified || s->o->user || out_fd < 0 || !strcmp(res->user, stays) || res->check.one_id)
		return 0;
	char user[sizeof res->user];
	snprintf(user, sizeof user, "%s", res->user);
	struct check other = {.verified = -1};
	swap_check(res, &other); /* other: as the switched user; res: empty */
	snprintf(res->user, sizeof res->user, "%s", stays);
	int rc = verify(s, rs, layer_fd, err);
	if (rc == 0 && !res->verified) {
		/* the image's user does no better: the switch is not what broke it */
		swap_check(res, &other);
		snprintf(res->user, sizeof res->user, "%s", user);
	} else if (rc == 0)
		note(res, "the user stays %s: as %s, %s", stays, user, other.differ[0]);
	free_check(&other);
	if (rc < 0 || !res->verified)
		return rc;
	if (ftruncate(out_fd, 0) < 0 || lseek(out_fd, 0, SEEK_SET) < 0)
		return shp_error_errno(err, errno, "%s", s->o->output);
	return write_image(s, out_fd, layer_fd, err);
}

static void free_slim(struct slim *s)
{
	for (size_t i = 0; s->names && i < s->img->nscans; i++) {
		free(s->names[i]);
		free(s->want[i]);
		free(s->recs[i].v);
		shp_arena_free(&s->recs[i].arena);
	}
	free(s->names);
	free(s->want);
	free(s->recs);
	free(s->rec);
	free(s->mtime);
	free(s->keep);
	free(s->work);
	free(s->path);
	free(s->libdirs);
	shp_arena_free(&s->arena);
}

int shp_slim(struct shp_image *img, const struct shp_union *u, const struct shp_slim_opts *o,
	     struct shp_slim_result *res, struct shp_error **err)
{
	*res = (struct shp_slim_result){0};
	if (img->kind == SHP_IMG_ROOTFS || !img->config)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: a root filesystem has no config (entrypoint, user): slim reads a docker-save "
				     "tarball or an OCI layout",
				     img->input);
	struct slim s = {.img = img,
			 .u = u,
			 .o = o,
			 .res = res,
			 .spool_fd = -1,
			 .max_out = o->max_output_bytes ? o->max_output_bytes : SHP_SLIM_DEFAULT_MAX_OUTPUT_BYTES};
	s.names = shp_xcalloc(img->nscans + 1, sizeof *s.names);
	s.want = shp_xcalloc(img->nscans + 1, sizeof *s.want);
	s.recs = shp_xcalloc(img->nscans + 1, sizeof *s.recs);
	s.rec = shp_xcalloc(u->n + 1, sizeof *s.rec);
	s.mtime = shp_xcalloc(u->n + 1, sizeof *s.mtime);
	s.keep = shp_xcalloc(u->n + 1, 1);
	for (size_t k = 0; k < img->nscans; k++)
		s.want[k] = shp_xcalloc(img->scans[k].nentries + 1, sizeof **s.want);
	for (size_t i = 0; i < img->nlayers; i++)
		if (!s.names[img->layers[i].scan])
			s.names[img->layers[i].scan] = shp_store_canonical(img->store, img->layers[i].blob);
	for (uint32_t n = 1; n < u->n; n++) {
		uint32_t ev = u->nodes[n].vis;
		if (!ev)
			continue;
		const struct shp_uevent *e = &u->ev[ev];
		s.want[img->layers[e->layer].scan][e->entry] = n + 1;
		const struct shp_entry *en = visible(&s, n);
		if (en && en->type == SHP_FT_FILE) {
			res->files_in++;
			res->bytes_in += en->size;
		}
	}
	int jobs = o->jobs > 0 ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
	int rc = -1;
	_cleanup_close_ int layer_fd = -1;
	struct shp_outfile out = {.fd = -1};
	struct runspec rs = {0};
	if (shp_store_stream(img->store, (const char *const *)s.names, img->nscans, jobs, learn_blob, &s, err) < 0)
		goto out;
	for (size_t k = 0; k < img->nscans; k++)
		for (size_t i = 0; i < s.recs[k].n; i++)
			s.rec[s.recs[k].v[i].node] = &s.recs[k].v[i];
	res->verified = -1;
	lookup_dirs(&s);
	if (!o->static_only) {
		runspec(&s, &rs);
		if (trace_image(&s, &rs, err) < 0)
			goto out;
	}
	if (closure(&s, err) < 0)
		goto out;
	if (res->traced)
		keep_traced(&s);
	choose_user(&s);
	char buf[8192];
	size_t cap = 0;
	for (uint32_t n = 1; n < u->n; n++) {
		if (!s.keep[n])
			continue;
		char *p = shp_xstrdup(path_of(&s, n, buf, sizeof buf));
		SHP_PUSH(res->kept, res->nkept, cap, p);
		const struct shp_entry *e = visible(&s, n);
		if (e && e->type == SHP_FT_FILE) {
			res->files_kept++;
			res->bytes_kept += e->size;
		}
	}
	if (res->nkept)
		qsort(res->kept, res->nkept, sizeof *res->kept, cmp_str);
	packages(&s);
	removed(&s);
	if (o->dry_run) {
		rc = 0;
		goto out;
	}
	/* a registry takes the layer from a file of $TMPDIR: its digest and size must be known
	 * before its upload ends, and a chunk sent again after a failure is read back from it */
	if (o->publish) {
		if ((layer_fd = shp_temp_fd(NULL, err)) < 0 ||
		    (s.spool_fd < 0 && (s.spool_fd = shp_temp_fd(NULL, err)) < 0) ||
		    write_all(&s, -1, layer_fd, err) < 0)
			goto out;
		if (res->traced && !o->no_verify && res->run.started && verify(&s, &rs, layer_fd, err) < 0)
			goto out;
		rc = 0;
		goto out;
	}
	/* the image is made beside its target and put in place (util/output.h), or streamed to
	 * stdout for -o -; the layer is made first, beside the target or in $TMPDIR */
	if (shp_outfile_open(&out, o->output, err) < 0 ||
	    (layer_fd = shp_temp_fd(out.to_stdout ? NULL : out.target, err)) < 0 ||
	    (s.spool_fd < 0 && (s.spool_fd = shp_temp_fd(out.to_stdout ? NULL : out.target, err)) < 0) ||
	    write_all(&s, out.fd, layer_fd, err) < 0)
		goto out;
	/* the slim image is run again before it is put in place */
	if (res->traced && !o->no_verify && res->run.started &&
	    verify_user(&s, &rs, out.to_stdout ? -1 : out.fd, layer_fd, err) < 0)
		goto out;
	if (shp_outfile_commit(&out, err) < 0)
		goto out;
	rc = 0;
out:
	shp_outfile_abort(&out);
	if (s.spool_fd >= 0)
		close(s.spool_fd);
	runspec_free(&rs);
	free_slim(&s);
	return rc;
}

void shp_slim_result_free(struct shp_slim_result *res)
{
	for (size_t i = 0; i < res->nkept; i++)
		free(res->kept[i]);
	for (size_t i = 0; i < res->nnotes; i++)
		free(res->notes[i]);
	free(res->kept);
	free(res->notes);
	for (size_t i = 0; i < res->npkgs; i++)
		free(res->pkgs[i].name);
	free(res->pkgs);
	struct shp_slim_found *lists[] = {res->shells, res->package_managers, res->setid};
	size_t counts[] = {res->nshells, res->npackage_managers, res->nsetid};
	for (size_t k = 0; k < 3; k++) {
		for (size_t i = 0; i < counts[k]; i++)
			free(lists[k][i].path);
		free(lists[k]);
	}
	free(res->entrypoint);
	shp_sandbox_result_free(&res->run);
	struct check c = {.verified = -1};
	swap_check(res, &c);
	free_check(&c);
	*res = (struct shp_slim_result){0};
}
