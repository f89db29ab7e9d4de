/* update.c - db update's sources and how they are fetched (see update.h).
 *
 * A source is one download imported as one feed: osv.dev's dump of an ecosystem, a secdb
 * branch, the Debian tracker, or an rpm-md repository's errata (three requests: the mirror
 * list, repomd.xml, then updateinfo). The body goes to a file next to the database, hashed
 * as it comes, never held in memory; the feeds row keeps the validators (ETag,
 * Last-Modified) for the next run's conditional request. */
#include "vuln/update.h"
#include "pkg/ecosystem.h"
#include "registry/http.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "vuln/internal.h"
#include "vuln/rpmmd.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- the sources ---------------------------------------------------------------------- */

static const char *const kind_names[SHP_SRC_NKINDS] = {"osv", "alpine-secdb", "debian-tracker", "rpm-md"};

const char *shp_source_kind_name(enum shp_source_kind k) { return k < SHP_SRC_NKINDS ? kind_names[k] : "?"; }

int shp_source_kind_parse(const char *name)
{
	for (int k = 0; name && k < SHP_SRC_NKINDS; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -1;
}

#define OSV_DUMPS "https://osv-vulnerabilities.storage.googleapis.com/"

/* The distributions osv.dev has a dump of that the matcher reads (vuln/import.c's
 * shp_osv_ecosystem); the language ecosystems come from the ecosystem table. */
static const struct {
	const char *eco, *covers;
} osv_distros[] = {
	{"Debian", "Debian packages, every release"},
	{"Ubuntu", "Ubuntu packages, every release"},
	{"Alpine", "Alpine packages, every release"},
	{"Red Hat", "Red Hat Enterprise Linux packages"},
	{"Rocky Linux", "Rocky Linux packages"},
	{"AlmaLinux", "AlmaLinux packages"},
	{"SUSE", "SUSE Linux Enterprise packages"},
	{"openSUSE", "openSUSE Leap packages"},
	{"Wolfi", "Wolfi packages"},
	{"Chainguard", "Chainguard packages"},
	{"Photon OS", "Photon OS packages"},
	{"Mageia", "Mageia packages"},
};

/* Alpine's branches with security support (secdb keeps older ones: add them in the
 * configuration when images still run them). */
static const char *const alpine_branches[] = {"3.19", "3.20", "3.21", "3.22", "3.23"};

static const struct {
	const char *name, *url, *distro, *covers;
} rpm_repos[] = {
	{"amazon-linux-2023", "https://cdn.amazonlinux.com/al2023/core/mirrors/latest/x86_64/mirror.list", "amzn:2023",
	 "Amazon Linux 2023 errata (ALAS2023)"},
	{"amazon-linux-2", "https://cdn.amazonlinux.com/2/core/latest/x86_64/mirror.list", "amzn:2",
	 "Amazon Linux 2 errata (ALAS2)"},
};

/* A path segment escaped as RFC 3986 has it: unreserved characters stay. */
static void escape_segment(struct shp_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || strchr("-._~", *p))
			shp_buf_putc(b, (char)*p);
		else
			shp_buf_printf(b, "%%%02X", *p);
	}
}

static void add(struct shp_sources *s, const char *name, enum shp_source_kind kind, const char *url, int list,
		const char *distro, const char *covers)
{
	struct shp_source x = {.name = shp_xstrdup(name),
			       .kind = kind,
			       .url = shp_xstrdup(url),
			       .list = list,
			       .distro = distro ? shp_xstrdup(distro) : NULL,
			       .covers = shp_xstrdup(covers)};
	SHP_PUSH(s->v, s->n, s->cap, x);
}

/* "osv-" and the ecosystem in lower case, anything but letters and digits as '-' */
static void add_osv(struct shp_sources *s, const char *eco, const char *covers)
{
	struct shp_buf name = {0}, url = {0};
	shp_buf_puts(&name, "osv-");
	for (const char *p = eco; *p; p++)
		shp_buf_putc(&name, isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '-');
	shp_buf_puts(&url, OSV_DUMPS);
	escape_segment(&url, eco);
	shp_buf_puts(&url, "/all.zip");
	add(s, name.data, SHP_SRC_OSV, url.data, 0, NULL, covers);
	shp_buf_free(&name);
	shp_buf_free(&url);
}

void shp_sources_default(struct shp_sources *out)
{
	for (size_t i = 0; i < sizeof osv_distros / sizeof osv_distros[0]; i++)
		add_osv(out, osv_distros[i].eco, osv_distros[i].covers);
	for (int t = 0; t < SHP_PKG_NTYPES; t++)
		if (SHP_PKG_IS_LANG(t) && shp_eco(t)->osv)
			add_osv(out, shp_eco(t)->osv, shp_eco(t)->title);
	for (size_t i = 0; i < sizeof alpine_branches / sizeof alpine_branches[0]; i++) {
		static const char *const repos[] = {"main", "community"};
		for (int r = 0; r < 2; r++) {
			char name[64], url[128], covers[64];
			snprintf(name, sizeof name, "alpine-secdb-%s-%s", alpine_branches[i], repos[r]);
			snprintf(url, sizeof url, "https://secdb.alpinelinux.org/v%s/%s.json", alpine_branches[i],
				 repos[r]);
			snprintf(covers, sizeof covers, "Alpine %s, %s repository", alpine_branches[i], repos[r]);
			add(out, name, SHP_SRC_ALPINE_SECDB, url, 0, NULL, covers);
		}
	}
	add(out, "debian-tracker", SHP_SRC_DEBIAN_TRACKER, "https://security-tracker.debian.org/tracker/data/json", 0,
	    NULL, "Debian packages, every release the security tracker follows");
	for (size_t i = 0; i < sizeof rpm_repos / sizeof rpm_repos[0]; i++)
		add(out, rpm_repos[i].name, SHP_SRC_RPM_MD, rpm_repos[i].url, 1, rpm_repos[i].distro,
		    rpm_repos[i].covers);
}

static void source_free(struct shp_source *x)
{
	free(x->name);
	free(x->url);
	free(x->distro);
	free(x->covers);
	free(x->from);
}

void shp_sources_free(struct shp_sources *s)
{
	for (size_t i = 0; i < s->n; i++)
		source_free(&s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

const struct shp_source *shp_sources_find(const struct shp_sources *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i];
	return NULL;
}

static int http_url(const char *u) { return !strncmp(u, "https://", 8) || !strncmp(u, "http://", 7); }

static void set(char **slot, const char *v)
{
	if (!v)
		return;
	free(*slot);
	*slot = shp_xstrdup(v);
}

int shp_sources_configure(struct shp_sources *s, const struct shp_config *cfg, struct shp_error **err)
{
	for (size_t i = 0; cfg && i < cfg->ndb_sources; i++) {
		const struct shp_db_source_cfg *c = &cfg->db_sources[i];
		struct shp_source *x = (struct shp_source *)shp_sources_find(s, c->name);
		if (c->drop) {
			if (x) {
				source_free(x);
				memmove(x, x + 1, (size_t)(s->v + s->n - x - 1) * sizeof *x);
				s->n--;
			}
			continue; /* dropping one that is not there (twice) is no error */
		}
		int kind = c->kind ? shp_source_kind_parse(c->kind) : x ? (int)x->kind : -1;
		if (kind < 0)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     c->kind ? "%s: db: sources: %s: kind \"%s\": expected osv, alpine-secdb, "
						       "debian-tracker or rpm-md"
						     : "%s: db: sources: %s: a new source needs a kind (osv, "
						       "alpine-secdb, debian-tracker or rpm-md)%s",
					     c->at, c->name, c->kind ? c->kind : "");
		const char *url = c->url ? c->url : c->mirror_list;
		if (c->url && c->mirror_list)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: db: sources: %s: url or mirror-list, not both",
					     c->at, c->name);
		if (!x && !url)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: db: sources: %s: a new source needs a url",
					     c->at, c->name);
		if (url && !http_url(url))
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: db: sources: %s: \"%s\" is not an http(s) URL",
					     c->at, c->name, url);
		if (c->mirror_list && kind != SHP_SRC_RPM_MD)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: db: sources: %s: mirror-list is for rpm-md repositories", c->at,
					     c->name);
		if (!x) {
			add(s, c->name, (enum shp_source_kind)kind, url, 0, NULL, "");
			x = &s->v[s->n - 1];
		}
		x->kind = (enum shp_source_kind)kind;
		if (url) {
			set(&x->url, url);
			x->list = c->mirror_list != NULL;
		}
		set(&x->distro, c->distro);
		set(&x->covers, c->covers);
		set(&x->from, c->at);
		if (x->kind == SHP_SRC_RPM_MD && !x->distro)
			return shp_error_set(
				err, SHP_EXIT_INPUT,
				"%s: db: sources: %s: an rpm-md source needs the distro its errata are for "
				"(distro: \"rocky:9\", as shipshape names an image's OS)",
				c->at, c->name);
	}
	return 0;
}

/* ---- the mirror layout ---------------------------------------------------------------- */

/* The parts of an http(s) URL: authority (userinfo dropped) and path (from its '/'). */
static int split_url(const char *url, const char **host, size_t *hostlen, const char **path, struct shp_error **err)
{
	const char *p = !strncmp(url, "https://", 8) ? url + 8 : !strncmp(url, "http://", 7) ? url + 7 : NULL;
	if (!p)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: not an http(s) URL", url);
	size_t n = strcspn(p, "/?#");
	const char *at = memchr(p, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if (!n)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: a URL without a host", url);
	*host = p;
	*hostlen = n;
	*path = p + n;
	if (strpbrk(*path, "?#"))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: a URL with a query has no place in a mirror", url);
	return 0;
}

static int hexval(int c) { return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10; }

char *shp_mirror_path(const char *url, struct shp_error **err)
{
	const char *host, *path;
	size_t hn;
	if (split_url(url, &host, &hn, &path, err) < 0)
		return NULL;
	struct shp_buf b = {0};
	for (size_t i = 0; i < hn; i++) {
		int c = tolower((unsigned char)host[i]);
		if (!isalnum(c) && !strchr(".-:[]_", c)) {
			shp_buf_free(&b);
			shp_error_set(err, SHP_EXIT_INPUT, "%s: the host has characters a directory name should not",
				      url);
			return NULL;
		}
		shp_buf_putc(&b, (char)c);
	}
	/* segment by segment, decoded; none empty, "." or "..", none with '/' or NUL escaped */
	const char *p = path;
	while (*p == '/') {
		p++;
		size_t n = strcspn(p, "/"), start = b.len;
		shp_buf_putc(&b, '/');
		int bad = 0;
		for (size_t i = 0; i < n && !bad; i++) {
			unsigned char c = (unsigned char)p[i];
			if (c == '%' && i + 2 < n + 1 && isxdigit((unsigned char)p[i + 1]) &&
			    isxdigit((unsigned char)p[i + 2])) {
				c = (unsigned char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
				i += 2;
				bad = c == 0 || c == '/';
			}
			bad |= c < 0x20 || c == 0x7f;
			shp_buf_putc(&b, (char)c);
		}
		const char *seg = b.data + start + 1;
		if (bad || !*seg || !strcmp(seg, ".") || !strcmp(seg, "..")) {
			shp_buf_free(&b);
			shp_error_set(err, SHP_EXIT_INPUT,
				      "%s: a path a mirror cannot hold (an empty, \".\", \"..\" or "
				      "escaped '/' segment)",
				      url);
			return NULL;
		}
		p += n;
	}
	if (b.len == hn) {
		shp_buf_free(&b);
		shp_error_set(err, SHP_EXIT_INPUT, "%s: a URL without a path has no place in a mirror", url);
		return NULL;
	}
	return shp_buf_steal(&b);
}

char *shp_mirror_url(const char *mirror, const char *url, struct shp_error **err)
{
	_cleanup_free_ char *check = shp_mirror_path(url, err);
	if (!check)
		return NULL;
	const char *host, *path;
	size_t hn;
	split_url(url, &host, &hn, &path, NULL);
	size_t mn = strlen(mirror);
	while (mn && mirror[mn - 1] == '/')
		mn--;
	struct shp_buf b = {0};
	shp_buf_printf(&b, "%.*s/", (int)mn, mirror);
	for (size_t i = 0; i < hn; i++)
		shp_buf_putc(&b, (char)tolower((unsigned char)host[i]));
	shp_buf_puts(&b, path);
	return shp_buf_steal(&b);
}

/* ---- fetching ------------------------------------------------------------------------- */

struct prefetch;

struct shp_updater {
	struct shp_update_opts o;
	struct shp_http_pool *pool;
	struct shp_http_tls tls;
	uint64_t max_bytes;
	int attempts;
	struct prefetch *pre; /* the next source's feed, being fetched while one is imported */
	unsigned fetches;     /* downloads so far: they take turns between two files */
};

static uint64_t env_number(const char *name, uint64_t dflt)
{
	const char *e = getenv(name);
	char *end;
	unsigned long long v = e ? strtoull(e, &end, 10) : 0;
	return e && *e && !*end && v > 0 ? v : dflt;
}

struct shp_updater *shp_updater_new(const struct shp_update_opts *o)
{
	struct shp_updater *u = shp_xcalloc(1, sizeof *u);
	u->o = *o;
	shp_http_tls_system(&u->tls);
	/* both lowered by the tests, which try every failure without minutes of retries */
	u->max_bytes = env_number("SHIPSHAPE_FEED_MAX_BYTES", SHP_FEED_MAX_DOWNLOAD);
	u->attempts = (int)env_number("SHIPSHAPE_HTTP_ATTEMPTS", SHP_HTTP_MAX_ATTEMPTS);
	return u;
}

static void prefetch_drop(struct shp_updater *u);

void shp_updater_free(struct shp_updater *u)
{
	if (!u)
		return;
	prefetch_drop(u);
	shp_http_pool_free(u->pool);
	free(u);
}

void shp_update_result_free(struct shp_update_result *r)
{
	free(r->url);
	shp_buf_free(&r->st.replaced);
	memset(r, 0, sizeof *r);
}

/* What one URL gave. */
struct got {
	int unchanged;		    /* a 304, or the same bytes as the database holds */
	char *etag, *last_modified; /* the server's validators */
	char sha256[72];	    /* "sha256:HEX" of the body */
	uint64_t bytes;
	long long modified; /* Last-Modified, or the file's mtime; 0 unknown */
};

static void got_free(struct got *g)
{
	free(g->etag);
	free(g->last_modified);
	memset(g, 0, sizeof *g);
}

/* Sanity limit: redirects followed for one URL. */
#define FEED_MAX_REDIRECTS 10

static int redirect_status(long s) { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308; }

/* GETs url (through the mirror when there is one) into the file out, created or truncated,
 * hashing it as it comes; a 304 to the validators in cond leaves out alone. */
static int download(struct shp_updater *u, const char *name, const char *url, const char *etag, const char *since,
		    const char *out, struct got *g, unsigned *requests, struct shp_error **err)
{
	if (!u->pool)
		u->pool = shp_http_pool_new();
	_cleanup_free_ char *target = u->o.mirror ? shp_mirror_url(u->o.mirror, url, err) : shp_xstrdup(url);
	if (!target)
		return shp_error_wrap(err, "%s", name);
	_cleanup_free_ char *h1 = etag ? shp_asprintf("If-None-Match: %s", etag) : NULL;
	_cleanup_free_ char *h2 = since ? shp_asprintf("If-Modified-Since: %s", since) : NULL;
	const char *hdrs[3] = {0};
	size_t nh = 0;
	if (h1)
		hdrs[nh++] = h1;
	if (h2)
		hdrs[nh++] = h2;
	int redirects = 0;
	for (int attempt = 0;;) {
		struct shp_http_req req = {.url = target, .headers = hdrs, .tls = &u->tls, .pool = u->pool};
		struct shp_http *h = NULL;
		if (shp_http_open(&req, &h, err) < 0)
			return shp_error_wrap(err, "%s", name);
		(*requests)++;
		long st = h->status;
		int retry = 0;
		if (st == 0)
			retry = shp_http_transient(h->result);
		else if (st == 408 || st == 429 || st >= 500)
			retry = 1;
		if (retry && ++attempt < u->attempts) {
			long w = shp_http_backoff(attempt - 1, h->retry_after);
			shp_http_close(h);
			shp_http_sleep(w);
			continue;
		}
		if (st == 0) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: %s", name, target, h->errbuf);
			shp_http_close(h);
			return -1;
		}
		if (st == 304) {
			shp_http_close(h);
			g->unchanged = 1;
			return 0;
		}
		if (redirect_status(st) && h->redirect && ++redirects <= FEED_MAX_REDIRECTS) {
			free(target);
			target = shp_xstrdup(h->redirect);
			shp_http_close(h);
			continue;
		}
		if (st != 200) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: the server answered %ld%s", name, target, st,
				      retry ? " every time it was asked" : "");
			shp_http_close(h);
			return -1;
		}
		if (h->content_type && !strncasecmp(h->content_type, "text/html", 9)) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: the server sent an HTML page (%s), not the feed",
				      name, target, h->content_type);
			shp_http_close(h);
			return -1;
		}
		if (h->content_length > 0 && (uint64_t)h->content_length > u->max_bytes) {
			shp_error_set(err, SHP_EXIT_INPUT,
				      "%s: %s: %lld bytes, more than a feed may have (%llu, SHP_FEED_MAX_DOWNLOAD)",
				      name, target, (long long)h->content_length, (unsigned long long)u->max_bytes);
			shp_http_close(h);
			return -1;
		}
		_cleanup_close_ int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0) {
			shp_http_close(h);
			return shp_error_errno(err, errno, "%s: %s", name, out);
		}
		struct shp_sha256 sha;
		shp_sha256_init(&sha);
		uint64_t n = 0;
		char buf[1 << 16];
		char *why = NULL;
		ssize_t k;
		while ((k = shp_http_read(h, buf, sizeof buf, &why)) > 0) {
			n += (uint64_t)k;
			if (n > u->max_bytes) {
				why = shp_asprintf("more than a feed may have (%llu bytes, SHP_FEED_MAX_DOWNLOAD)",
						   (unsigned long long)u->max_bytes);
				k = -2;
				break;
			}
			shp_sha256_update(&sha, buf, (size_t)k);
			if (shp_write_all(fd, buf, (size_t)k) < 0) {
				int e = errno;
				shp_sha256_free(&sha);
				shp_http_close(h);
				return shp_error_errno(err, e, "%s: %s", name, out);
			}
		}
		if (k < 0) {
			shp_sha256_free(&sha);
			int transient = k == -1 && shp_http_transient(h->result);
			long w = shp_http_backoff(attempt, NULL);
			if (transient && ++attempt < u->attempts) {
				free(why);
				shp_http_close(h);
				shp_http_sleep(w);
				continue;
			}
			shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: the download broke after %llu bytes: %s", name,
				      target, (unsigned long long)n, why ? why : "?");
			free(why);
			shp_http_close(h);
			return -1;
		}
		shp_sha256_final(&sha, g->sha256);
		g->bytes = n;
		g->etag = h->etag ? shp_xstrdup(h->etag) : NULL;
		g->last_modified = h->last_modified ? shp_xstrdup(h->last_modified) : NULL;
		time_t lm = shp_http_date_parse(h->last_modified);
		g->modified = lm == (time_t)-1 ? 0 : (long long)lm;
		shp_http_close(h);
		return 0;
	}
}

/* The sha256, size and mtime of a file of the mirror layout. */
static int hash_file(struct shp_updater *u, const char *name, const char *path, struct got *g, struct shp_error **err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0)
		return shp_error_errno(err, errno, "%s: %s", name, path);
	if (!S_ISREG(sb.st_mode))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: not a regular file", name, path);
	if ((uint64_t)sb.st_size > u->max_bytes)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: %s: %lld bytes, more than a feed may have (%llu, SHP_FEED_MAX_DOWNLOAD)",
				     name, path, (long long)sb.st_size, (unsigned long long)u->max_bytes);
	struct shp_sha256 sha;
	shp_sha256_init(&sha);
	char buf[1 << 16];
	ssize_t k;
	while ((k = read(fd, buf, sizeof buf)) > 0)
		shp_sha256_update(&sha, buf, (size_t)k);
	if (k < 0) {
		int e = errno;
		shp_sha256_free(&sha);
		return shp_error_errno(err, e, "%s: %s", name, path);
	}
	shp_sha256_final(&sha, g->sha256);
	g->bytes = (uint64_t)sb.st_size;
	g->modified = (long long)sb.st_mtime;
	return 0;
}

/* Brings url's body to a local file, as the mode says, and sets *path to it (caller frees):
 * --from: the file of the layout; --to: downloaded into the layout (If-Modified-Since the
 * copy there); else downloaded to tmp, conditionally on cond's validators when cond is
 * the same URL's. g->unchanged when nothing new came. */
static int get(struct shp_updater *u, const char *name, const char *url, const struct shp_feed_row *cond,
	       const char *tmp, char **path, struct got *g, unsigned *requests, struct shp_error **err)
{
	*path = NULL;
	if (u->o.from || u->o.to) {
		_cleanup_free_ char *rel = shp_mirror_path(url, err);
		if (!rel)
			return shp_error_wrap(err, "%s", name);
		_cleanup_free_ char *file = shp_asprintf("%s/%s", u->o.from ? u->o.from : u->o.to, rel);
		if (u->o.from) {
			if (hash_file(u, name, file, g, err) < 0)
				return -1;
			g->unchanged = cond && cond->sha256 && !strcmp(cond->sha256, g->sha256 + 7);
			*path = steal_pointer(&file);
			return 0;
		}
		if (shp_mkdirs(file) < 0)
			return shp_error_errno(err, errno, "%s: %s", name, file);
		/* the copy there is asked about by its date, which is the server's Last-Modified */
		struct stat sb;
		char since[64] = "";
		if (stat(file, &sb) == 0 && S_ISREG(sb.st_mode)) {
			struct tm tm;
			time_t t = sb.st_mtime;
			strftime(since, sizeof since, "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&t, &tm));
		}
		_cleanup_free_ char *part = shp_asprintf("%s.part", file);
		if (download(u, name, url, NULL, *since ? since : NULL, part, g, requests, err) < 0) {
			(void)unlink(part);
			return -1;
		}
		if (!g->unchanged) {
			if (g->modified) {
				struct timespec ts[2] = {{g->modified, 0}, {g->modified, 0}};
				(void)utimensat(AT_FDCWD, part, ts, 0);
			}
			if (rename(part, file) < 0)
				return shp_error_errno(err, errno, "%s: %s", name, file);
		}
		*path = steal_pointer(&file);
		return 0;
	}
	int same = cond && cond->url && !strcmp(cond->url, url);
	if (download(u, name, url, same ? cond->etag : NULL, same ? cond->last_modified : NULL, tmp, g, requests, err) <
	    0)
		return -1;
	*path = shp_xstrdup(tmp);
	return 0;
}

/* A small file (a mirror list, repomd.xml) of url, read whole. */
static int get_small(struct shp_updater *u, const char *name, const char *url, const char *tmp, char **data,
		     size_t *len, unsigned *requests, struct shp_error **err)
{
	struct got g = {0};
	_cleanup_free_ char *path = NULL;
	int rc = get(u, name, url, NULL, tmp, &path, &g, requests, err);
	got_free(&g);
	if (rc < 0)
		return -1;
	if (shp_read_file(path, SHP_FEED_MAX_INDEX, data, len, err) < 0)
		return shp_error_wrap(err, "%s", name);
	return 0;
}

/* ---- formats -------------------------------------------------------------------------- */

static int starts_ci(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(end - p) >= n && !strncasecmp(p, word, n);
}

/* gzip, xz, zstd or bzip2 */
static int compressed(const char *h, size_t n)
{
	return (n >= 2 && !memcmp(h, "\x1f\x8b", 2)) ||
	       (n >= 6 && !memcmp(h,
				  "\xfd"
				  "7zXZ\0",
				  6)) ||
	       (n >= 4 && !memcmp(h, "\x28\xb5\x2f\xfd", 4)) || (n >= 3 && !memcmp(h, "BZh", 3));
}

/* Whether the file's first bytes are what a feed of kind begins with; NULL if so, else
 * words for what they are. */
static const char *wrong_format(enum shp_source_kind kind, const char *path)
{
	char head[512];
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, head, sizeof head);
	if (n <= 0)
		return "an empty file";
	const char *p = head, *end = head + n;
	if (end - p >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (starts_ci(p, end, "<!doctype html") || starts_ci(p, end, "<html") ||
	    (kind != SHP_SRC_RPM_MD && *p == '<' && memmem(p, (size_t)(end - p), "<html", 5)))
		return "an HTML page";
	switch (kind) {
	case SHP_SRC_OSV:
		return n >= 4 && !memcmp(head, "PK\3\4", 4)  ? NULL
		       : p < end && (*p == '{' || *p == '[') ? NULL
							     : "neither a zip of OSV records nor OSV JSON";
	case SHP_SRC_ALPINE_SECDB:
	case SHP_SRC_DEBIAN_TRACKER: return p < end && *p == '{' ? NULL : "not a JSON object";
	case SHP_SRC_RPM_MD: return *p == '<' || compressed(head, (size_t)n) ? NULL : "neither XML nor compressed XML";
	default: return NULL;
	}
}

/* ---- one source ----------------------------------------------------------------------- */

/* An rpm-md source's errata URL: through the mirror list (its first line is the base URL)
 * and repomd.xml. */
static char *updateinfo_url(struct shp_updater *u, const struct shp_source *src, const char *tmp, unsigned *requests,
			    struct shp_error **err)
{
	_cleanup_free_ char *base = NULL, *repomd = NULL, *href = NULL, *rurl = NULL;
	size_t len;
	if (src->list) {
		_cleanup_free_ char *list = NULL;
		if (get_small(u, src->name, src->url, tmp, &list, &len, requests, err) < 0)
			return NULL;
		size_t n = strcspn(list, "\r\n");
		while (n && isspace((unsigned char)list[n - 1]))
			n--;
		base = shp_xstrndup(list, n);
		if (!http_url(base)) {
			shp_error_set(err, SHP_EXIT_INPUT,
				      "%s: %s: the mirror list's first line is not an http(s) URL of a repository",
				      src->name, src->url);
			return NULL;
		}
	} else
		base = shp_xstrdup(src->url);
	const char *slash = base[strlen(base) - 1] == '/' ? "" : "/";
	rurl = shp_asprintf("%s%srepodata/repomd.xml", base, slash);
	if (get_small(u, src->name, rurl, tmp, &repomd, &len, requests, err) < 0)
		return NULL;
	int r = shp_rpmmd_updateinfo_href(repomd, len, &href, err);
	if (r < 0) {
		shp_error_wrap(err, "%s: %s", src->name, rurl);
		return NULL;
	}
	if (r == 0) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: the repository has no errata (no updateinfo)", src->name,
			      rurl);
		return NULL;
	}
	return shp_asprintf("%s%s%s", base, slash, href);
}

/* Fetches src's feed into tmp (given the validators of its feed row, or NULL): *url, *path
 * (tmp, or the file of --from and --to) and g. Touches no database. */
static int fetch_source(struct shp_updater *u, const struct shp_source *src, const struct shp_feed_row *row,
			const char *tmp, char **url, char **path, struct got *g, unsigned *requests,
			struct shp_error **err)
{
	*url = src->kind == SHP_SRC_RPM_MD ? updateinfo_url(u, src, tmp, requests, err) : shp_xstrdup(src->url);
	return *url ? get(u, src->name, *url, row, tmp, path, g, requests, err) : -1;
}

/* Downloads go next to the database (the same filesystem, and its lock is held), to two
 * files in turn: one is imported while the next is written. A kill leaves them, and the
 * next run writes over them. */
static char *fetch_file(struct shp_updater *u, const struct shp_vulndb *db)
{
	return db ? shp_asprintf("%s.fetch%s", db->path, u->fetches++ % 2 ? "2" : "") : NULL;
}

struct prefetch {
	pthread_t t;
	struct shp_updater *u;
	const struct shp_source *src;
	struct shp_feed_row row;
	int have; /* row was found */
	char *tmp, *url, *path;
	struct got g;
	unsigned requests;
	int rc;
	struct shp_error *err;
};

static void *prefetch_run(void *arg)
{
	struct prefetch *p = arg;
	p->rc = fetch_source(p->u, p->src, p->have ? &p->row : NULL, p->tmp, &p->url, &p->path, &p->g, &p->requests,
			     &p->err);
	return NULL;
}

static void prefetch_free(struct prefetch *p)
{
	shp_feed_row_free(&p->row);
	free(p->tmp);
	free(p->url);
	free(p->path);
	got_free(&p->g);
	shp_error_free(p->err);
	free(p);
}

/* A fetch of src, ready to run: its feed row read (on the thread that holds db) and the
 * download file chosen. NULL with err when the row cannot be read. */
static struct prefetch *prefetch_new(struct shp_updater *u, struct shp_vulndb *db, const struct shp_source *src,
				     struct shp_error **err)
{
	struct prefetch *p = shp_xcalloc(1, sizeof *p);
	p->u = u;
	p->src = src;
	if ((p->have = db && !u->o.to ? shp_vulndb_feed(db, src->name, &p->row, err) : 0) < 0) {
		free(p);
		return NULL;
	}
	p->tmp = fetch_file(u, db);
	return p;
}

/* Starts fetching next while the caller imports: the import keeps one core busy and the
 * download waits on the network, so the two overlap. Nothing is started when the feed row
 * cannot be read or no thread can be made: the source is then fetched when its turn comes. */
static void prefetch_start(struct shp_updater *u, struct shp_vulndb *db, const struct shp_source *next)
{
	struct shp_error *e = NULL;
	struct prefetch *p = prefetch_new(u, db, next, &e);
	if (!p) {
		shp_error_free(e);
		return;
	}
	if (pthread_create(&p->t, NULL, prefetch_run, p) != 0) {
		u->fetches--;
		prefetch_free(p);
		return;
	}
	u->pre = p;
}

/* Waits for the fetch started for src; NULL when none was. */
static struct prefetch *prefetch_take(struct shp_updater *u, const struct shp_source *src)
{
	struct prefetch *p = u->pre;
	if (!p || p->src != src)
		return NULL;
	pthread_join(p->t, NULL);
	u->pre = NULL;
	return p;
}

/* A fetch nobody will import (the update stopped): waited for, its file removed. */
static void prefetch_drop(struct shp_updater *u)
{
	struct prefetch *p = u->pre;
	if (!p)
		return;
	pthread_join(p->t, NULL);
	(void)unlink(p->tmp);
	u->pre = NULL;
	prefetch_free(p);
}

int shp_update_source(struct shp_updater *u, struct shp_vulndb *db, const struct shp_source *src,
		      const struct shp_source *next, struct shp_update_result *res, struct shp_error **err)
{
	memset(res, 0, sizeof *res);
	int rc = -1;
	/* fetched while the one before was imported, else now */
	struct prefetch *p = prefetch_take(u, src);
	if (!p) {
		prefetch_drop(u);
		if (!(p = prefetch_new(u, db, src, err)))
			return -1;
		prefetch_run(p);
	}
	res->url = steal_pointer(&p->url);
	res->requests = p->requests;
	if (p->rc < 0) {
		*err = steal_pointer(&p->err);
		goto out;
	}
	const struct got *g = &p->g;
	const char *path = p->path;
	res->bytes = g->bytes;
	if (g->unchanged) {
		/* nothing written: the feed's "fetched" stays when its data was downloaded, and the
		 * caller records the check without copying the database when every feed is so */
		res->state = SHP_UPD_UNCHANGED;
		rc = 0;
		goto out;
	}
	const char *wrong = wrong_format(src->kind, path);
	if (wrong) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: %s, not %s", src->name, res->url, wrong,
			      src->kind == SHP_SRC_OSV		    ? "osv.dev's zip of OSV records"
			      : src->kind == SHP_SRC_ALPINE_SECDB   ? "Alpine secdb JSON"
			      : src->kind == SHP_SRC_DEBIAN_TRACKER ? "the Debian security tracker's JSON"
								    : "rpm-md errata (updateinfo.xml)");
		goto out;
	}
	if (u->o.to) {
		res->state = SHP_UPD_FETCHED;
		rc = 0;
		goto out;
	}
	struct shp_feed_origin o = {.feed = src->name,
				    .url = res->url,
				    .etag = g->etag,
				    .last_modified = g->last_modified,
				    .sha256 = g->sha256 + 7,
				    .modified = g->modified,
				    .bytes = (long long)g->bytes,
				    .distro = src->distro,
				    .complete = 1};
	if (next)
		prefetch_start(u, db, next);
	/* the first new feed makes the import's copy; the validators asked with were read under
	 * the same lock, so they are the copy's too */
	if (shp_vulndb_writable(db, err) < 0 || shp_vulndb_import_from(db, path, &o, &res->st, err) < 0) {
		shp_error_wrap(err, "%s: %s", src->name, res->url);
		goto out;
	}
	res->state = SHP_UPD_IMPORTED;
	rc = 0;
out:
	if (p->tmp)
		(void)unlink(p->tmp);
	prefetch_free(p);
	return rc;
}
