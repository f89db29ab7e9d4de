/* http.c - one request, its body pulled through a bounded buffer (see http.h). */
#include "registry/http.h"
#include "registry/curl-api.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct handles {
	CURL *e;
	CURLM *m;
};

struct shp_http_pool {
	pthread_mutex_t mu;
	struct handles *v;
	size_t n, cap;
};

struct shp_http_pool *shp_http_pool_new(void)
{
	struct shp_http_pool *p = shp_xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->mu, NULL);
	return p;
}

void shp_http_pool_free(struct shp_http_pool *p)
{
	if (!p)
		return;
	const struct shp_curl *c = p->n ? shp_curl(NULL) : NULL;
	for (size_t i = 0; c && i < p->n; i++) {
		c->easy_cleanup(p->v[i].e);
		c->multi_cleanup(p->v[i].m);
	}
	free(p->v);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

struct http_priv {
	struct shp_http_pool *pool;
	const struct shp_curl *c;
	CURL *e;
	CURLM *m;
	struct curl_slist *headers;
	char *buf;
	size_t head, len; /* the bytes not yet read: buf[head, head+len) */
	int paused, done, headers_done;
	CURLcode result;
};

static void set_header(char **slot, const char *v, size_t n)
{
	while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	free(*slot);
	*slot = shp_xstrndup(v, n);
}

static void clear_headers(struct shp_http *h)
{
	char **v[] = {&h->content_type,	 &h->docker_digest, &h->www_authenticate, &h->retry_after,
		      &h->content_range, &h->api_version,   &h->location,	  &h->range,
		      &h->etag,		 &h->last_modified};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		free(*v[i]);
		*v[i] = NULL;
	}
	h->content_length = -1;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct shp_http *h = arg;
	size_t len = size * n;
	if (len >= 5 && !strncmp(p, "HTTP/", 5)) {
		/* a new response (after a 100 Continue, or the first) */
		clear_headers(h);
		const char *sp = memchr(p, ' ', len);
		h->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		return len;
	}
	if (len <= 2 && (p[0] == '\r' || p[0] == '\n')) {
		if (h->status >= 200)
			h->p->headers_done = 1;
		return len;
	}
	const char *colon = memchr(p, ':', len);
	if (!colon)
		return len;
	size_t k = (size_t)(colon - p);
	const char *v = colon + 1;
	size_t vn = len - k - 1;
	static const struct {
		const char *name;
		size_t off;
	} want[] = {
		{"content-type", offsetof(struct shp_http, content_type)},
		{"docker-content-digest", offsetof(struct shp_http, docker_digest)},
		{"www-authenticate", offsetof(struct shp_http, www_authenticate)},
		{"retry-after", offsetof(struct shp_http, retry_after)},
		{"content-range", offsetof(struct shp_http, content_range)},
		{"api-version", offsetof(struct shp_http, api_version)},
		{"location", offsetof(struct shp_http, location)},
		{"range", offsetof(struct shp_http, range)},
		{"etag", offsetof(struct shp_http, etag)},
		{"last-modified", offsetof(struct shp_http, last_modified)},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strlen(want[i].name) == k && !strncasecmp(p, want[i].name, k)) {
			char **slot = (char **)((char *)h + want[i].off);
			/* a registry may send several challenges: Bearer is the one to answer */
			if (i == 2 && *slot && !strncasecmp(*slot, "bearer", 6))
				return len;
			set_header(slot, v, vn);
			return len;
		}
	if (k == 14 && !strncasecmp(p, "content-length", 14)) {
		char tmp[32];
		size_t m = vn < sizeof tmp - 1 ? vn : sizeof tmp - 1;
		memcpy(tmp, v, m);
		tmp[m] = 0;
		char *end;
		long long x = strtoll(tmp, &end, 10);
		h->content_length = x >= 0 && end != tmp ? x : -1;
	}
	return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct shp_http *h = arg;
	struct http_priv *q = h->p;
	size_t len = size * n;
	q->headers_done = 1;
	if (q->head + q->len + len > SHP_HTTP_BUFFER) {
		memmove(q->buf, q->buf + q->head, q->len);
		q->head = 0;
	}
	if (q->len + len > SHP_HTTP_BUFFER) {
		/* curl hands the same bytes again after the pause */
		q->paused = 1;
		return CURL_WRITEFUNC_PAUSE;
	}
	memcpy(q->buf + q->head + q->len, p, len);
	q->len += len;
	return len;
}

/* One round of the transfer: perform, collect the end, and wait for the socket when
 * nothing came. */
static int pump(struct shp_http *h)
{
	struct http_priv *q = h->p;
	int running = 0, left;
	if (q->paused) {
		q->paused = 0;
		q->c->easy_pause(q->e, CURLPAUSE_CONT);
	}
	if (q->c->multi_perform(q->m, &running) != CURLM_OK)
		return -1;
	CURLMsg *msg;
	while ((msg = q->c->multi_info_read(q->m, &left)))
		if (msg->msg == CURLMSG_DONE) {
			q->done = 1;
			q->result = msg->data.result;
			h->result = (int)q->result;
		}
	if (!q->done && !q->len && !q->paused && running)
		q->c->multi_poll(q->m, NULL, 0, 1000, NULL);
	return 0;
}

static long stall_seconds(void)
{
	const char *e = getenv("SHIPSHAPE_HTTP_STALL_SECONDS");
	long v = e ? strtol(e, NULL, 10) : 0;
	return v > 0 ? v : SHP_HTTP_STALL_SECONDS;
}

int shp_http_open(const struct shp_http_req *req, struct shp_http **out, struct shp_error **err)
{
	const struct shp_curl *c = shp_curl(err);
	if (!c)
		return -1;
	struct shp_http *h = shp_xcalloc(1, sizeof *h);
	struct http_priv *q = h->p = shp_xcalloc(1, sizeof *q);
	q->c = c;
	q->buf = shp_xmalloc(SHP_HTTP_BUFFER);
	h->content_length = -1;
	q->pool = req->pool;
	if (q->pool) {
		pthread_mutex_lock(&q->pool->mu);
		if (q->pool->n) {
			q->e = q->pool->v[q->pool->n - 1].e;
			q->m = q->pool->v[--q->pool->n].m;
		}
		pthread_mutex_unlock(&q->pool->mu);
	}
	if (!q->e) {
		q->e = c->easy_init();
		q->m = c->multi_init();
	}
	if (!q->e || !q->m) {
		shp_http_close(h);
		return shp_error_set(err, SHP_EXIT_INPUT, "libcurl: cannot make a handle");
	}
	CURL *e = q->e;
	c->easy_setopt(e, CURLOPT_URL, req->url);
	c->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	c->easy_setopt(e, CURLOPT_BUFFERSIZE, (long)SHP_HTTP_RECV);
	c->easy_setopt(e, CURLOPT_ERRORBUFFER, h->errbuf);
	c->easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	c->easy_setopt(e, CURLOPT_HEADERDATA, h);
	c->easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	c->easy_setopt(e, CURLOPT_WRITEDATA, h);
	c->easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	c->easy_setopt(e, CURLOPT_CONNECTTIMEOUT, (long)SHP_HTTP_CONNECT_SECONDS);
	c->easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, (long)SHP_HTTP_LOW_SPEED);
	c->easy_setopt(e, CURLOPT_LOW_SPEED_TIME, stall_seconds());
	c->easy_setopt(e, CURLOPT_USERAGENT, "shipshape/" SHIPSHAPE_VERSION);
	c->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	/* set either way: a pooled handle keeps what its last request set */
	c->easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, req->unix_socket);
	c->easy_setopt(e, CURLOPT_TIMEOUT, req->timeout > 0 ? req->timeout : 0L);
	if (req->method == SHP_HTTP_HEAD)
		c->easy_setopt(e, CURLOPT_NOBODY, 1L);
	if (req->method == SHP_HTTP_POST && !req->body_len)
		c->easy_setopt(e, CURLOPT_COPYPOSTFIELDS, req->body ? req->body : "");
	if (req->method == SHP_HTTP_PUT || req->method == SHP_HTTP_PATCH ||
	    (req->method == SHP_HTTP_POST && req->body_len)) {
		/* a blob's bytes as they are, not copied (a chunk is megabytes): the caller keeps
		 * them until shp_http_close */
		if (req->method != SHP_HTTP_POST)
			c->easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method == SHP_HTTP_PUT ? "PUT" : "PATCH");
		c->easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		c->easy_setopt(e, CURLOPT_POSTFIELDS, req->body_len ? req->body : "");
	}
	const struct shp_http_tls *tls = req->tls;
	if (tls && tls->insecure) {
		c->easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		c->easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (tls && tls->cainfo)
		c->easy_setopt(e, CURLOPT_CAINFO, tls->cainfo);
	if (tls && tls->capath)
		c->easy_setopt(e, CURLOPT_CAPATH, tls->capath);
	if (tls && tls->capath_only)
		c->easy_setopt(e, CURLOPT_CAINFO, (char *)NULL);
	if (tls && tls->ca_extra) {
		/* added to the CA file's, not instead of them (curl loads both) */
		struct curl_blob blob = {(void *)tls->ca_extra, tls->ca_extra_len, CURL_BLOB_COPY};
		c->easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob);
	}
	if (tls && tls->cert && tls->key) {
		c->easy_setopt(e, CURLOPT_SSLCERT, tls->cert);
		c->easy_setopt(e, CURLOPT_SSLKEY, tls->key);
	}
	for (size_t i = 0; req->headers && req->headers[i]; i++)
		q->headers = c->slist_append(q->headers, req->headers[i]);
	if (q->headers)
		c->easy_setopt(e, CURLOPT_HTTPHEADER, q->headers);
	c->multi_add_handle(q->m, e);
	while (!q->headers_done && !q->done)
		if (pump(h) < 0) {
			shp_http_close(h);
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: libcurl's multi interface failed", req->url);
		}
	if (q->done && q->result != CURLE_OK && !q->headers_done)
		h->status = 0;
	char *loc = NULL;
	if (h->status >= 300 && h->status < 400 && c->easy_getinfo(e, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc)
		h->redirect = shp_xstrdup(loc);
	if (!h->errbuf[0] && q->result != CURLE_OK)
		snprintf(h->errbuf, sizeof h->errbuf, "%s", c->easy_strerror(q->result));
	*out = h;
	return 0;
}

ssize_t shp_http_read(struct shp_http *h, void *buf, size_t n, char **error)
{
	struct http_priv *q = h->p;
	while (!q->len && !q->done)
		if (pump(h) < 0) {
			*error = shp_xstrdup("libcurl's multi interface failed");
			return -1;
		}
	if (!q->len) {
		if (q->result == CURLE_OK)
			return 0;
		if (!h->errbuf[0])
			snprintf(h->errbuf, sizeof h->errbuf, "%s", q->c->easy_strerror(q->result));
		*error = shp_xstrdup(h->errbuf);
		return -1;
	}
	size_t k = n < q->len ? n : q->len;
	memcpy(buf, q->buf + q->head, k);
	q->head += k;
	q->len -= k;
	if (!q->len)
		q->head = 0;
	return (ssize_t)k;
}

int shp_http_read_all(struct shp_http *h, size_t limit, char **data, size_t *len, char **error)
{
	if (h->content_length > 0 && (uint64_t)h->content_length > limit)
		return -2;
	size_t cap = 4096, n = 0;
	char *b = shp_xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > limit) {
				free(b);
				return -2;
			}
			cap *= 2;
			b = shp_xrealloc(b, cap + 1);
		}
		ssize_t k = shp_http_read(h, b + n, cap - n, error);
		if (k < 0) {
			free(b);
			return -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	if (n > limit) {
		free(b);
		return -2;
	}
	b[n] = 0;
	*data = b;
	*len = n;
	return 0;
}

int shp_http_transient(int result)
{
	switch (result) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR: return 1;
	default: return 0;
	}
}

const char *shp_http_strerror(int result)
{
	const struct shp_curl *c = shp_curl(NULL);
	return c ? c->easy_strerror((CURLcode)result) : "libcurl not loaded";
}

char *shp_http_escape(const char *value)
{
	const struct shp_curl *c = shp_curl(NULL);
	char *e = c ? c->easy_escape(NULL, value, 0) : NULL;
	if (!e)
		return shp_xstrdup("");
	char *r = shp_xstrdup(e);
	c->free(e);
	return r;
}

void shp_http_close(struct shp_http *h)
{
	if (!h)
		return;
	struct http_priv *q = h->p;
	if (q->m && q->e)
		q->c->multi_remove_handle(q->m, q->e);
	if (q->pool && q->e && q->m) {
		/* the multi handle keeps the connections and the CA store for the next request */
		q->c->easy_reset(q->e);
		struct handles x = {q->e, q->m};
		pthread_mutex_lock(&q->pool->mu);
		SHP_PUSH(q->pool->v, q->pool->n, q->pool->cap, x);
		pthread_mutex_unlock(&q->pool->mu);
		q->e = NULL;
		q->m = NULL;
	}
	if (q->e)
		q->c->easy_cleanup(q->e);
	if (q->m)
		q->c->multi_cleanup(q->m);
	q->c->slist_free_all(q->headers);
	free(q->buf);
	free(q);
	clear_headers(h);
	free(h->redirect);
	free(h);
}

time_t shp_http_date_parse(const char *value)
{
	struct tm tm = {0};
	const char *end = value ? strptime(value, "%a, %d %b %Y %H:%M:%S GMT", &tm) : NULL;
	return end && !*end ? timegm(&tm) : (time_t)-1;
}

long shp_retry_after_parse(const char *value, time_t now)
{
	if (!value)
		return -1;
	while (*value == ' ')
		value++;
	if (*value >= '0' && *value <= '9') {
		char *end;
		long v = strtol(value, &end, 10);
		while (*end == ' ')
			end++;
		return *end || v < 0 ? -1 : v;
	}
	time_t t = shp_http_date_parse(value);
	if (t == (time_t)-1)
		return -1;
	return t <= now ? 0 : (long)(t - now);
}

long shp_http_backoff(int attempt, const char *retry_after)
{
	long w = shp_retry_after_parse(retry_after, time(NULL));
	if (w < 0)
		w = 1L << (attempt < 6 ? attempt : 6);
	return w > SHP_HTTP_MAX_WAIT_SECONDS ? SHP_HTTP_MAX_WAIT_SECONDS : w;
}

void shp_http_sleep(long s)
{
	struct timespec ts = {s, 0};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The system's CAs as a directory of hashed names (update-ca-certificates, c_rehash), or
 * NULL. OpenSSL reads such a directory a CA at a time, as a chain needs one; parsing the
 * whole bundle instead took 30 ms of every scan from a registry. */
static const char *hashed_ca_dir(void)
{
	static const char path[] = "/etc/ssl/certs";
	DIR *d = opendir(path);
	if (!d)
		return NULL;
	struct dirent *e;
	int hashed = 0;
	while (!hashed && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		hashed = n == 10 && !strcmp(e->d_name + 8, ".0") && strspn(e->d_name, "0123456789abcdef") == 8;
	}
	closedir(d);
	return hashed ? path : NULL;
}

void shp_http_tls_system(struct shp_http_tls *tls)
{
	tls->cainfo = getenv("SSL_CERT_FILE");
	tls->capath = getenv("SSL_CERT_DIR");
	if (!tls->cainfo && !tls->capath && (tls->capath = hashed_ca_dir()))
		tls->capath_only = 1;
}
