/* http.h - one HTTP request over libcurl whose response body is pulled by the reader (a
 * multi handle per request, driven until the bounded buffer has bytes; curl is paused
 * while it is full), so a layer streams from the socket into the layer reader with no copy
 * on disk. Redirects are not followed here: the registry client follows them itself, to
 * drop credentials on the way to another host. For registry/, engine/ (an engine's API is
 * HTTP over a unix socket) and vuln/update.c (feeds); they share the retry policy below. */
#pragma once
#include "util/error.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* Stall bounds: a connection that takes longer than this to open, or a transfer slower
 * than SHP_HTTP_LOW_SPEED bytes/s for SHP_HTTP_STALL_SECONDS (SHIPSHAPE_HTTP_STALL_SECONDS
 * overrides it, for tests), is given up (and retried by the client). */
#define SHP_HTTP_CONNECT_SECONDS 30
#define SHP_HTTP_LOW_SPEED 1024
#define SHP_HTTP_STALL_SECONDS 30
/* Retries: how often one request is tried (408, 429, 5xx, a dropped connection), and the
 * longest wait between two attempts, whatever Retry-After asks. */
#define SHP_HTTP_MAX_ATTEMPTS 5
#define SHP_HTTP_MAX_WAIT_SECONDS 60
/* The response buffer: curl is paused when it is full. */
#define SHP_HTTP_BUFFER (512u << 10)
/* What curl receives at once (its default, 16 KiB, took 13,900 recv and 13,500 poll calls
 * for a 212 MB image; 128 KiB, 1,700 and 1,300). */
#define SHP_HTTP_RECV (128u << 10)

enum shp_http_method { SHP_HTTP_GET, SHP_HTTP_HEAD, SHP_HTTP_POST, SHP_HTTP_PUT, SHP_HTTP_PATCH };

struct shp_http_tls {
	int insecure;	      /* no verification */
	const char *cainfo;   /* a CA bundle, or NULL */
	const char *capath;   /* a directory of hashed CAs, or NULL */
	int capath_only;      /* trust capath's CAs alone, no bundle: it is read a CA at a time */
	const char *ca_extra; /* PEM CAs trusted besides those (certs.d), or NULL */
	size_t ca_extra_len;
	const char *cert, *key; /* a client certificate and its key, or NULL */
};

/* Handles kept between requests, so that connections are reused (keep-alive, one TLS
 * handshake) and the CA bundle is parsed once, not per request. Thread-safe. */
struct shp_http_pool;
struct shp_http_pool *shp_http_pool_new(void);
void shp_http_pool_free(struct shp_http_pool *p);

struct shp_http_req {
	const char *url;
	enum shp_http_method method;
	const char *const *headers; /* "Name: value", NULL-terminated, or NULL */
	const char *body;	    /* for POST (form-encoded), PUT and PATCH */
	size_t body_len;	    /* its bytes, kept by the caller until shp_http_close; 0: a
				     * form of strlen(body) bytes (copied), or none */
	const struct shp_http_tls *tls;
	struct shp_http_pool *pool; /* or NULL: handles of its own */
	const char *unix_socket;    /* connect to this unix socket instead of the URL's host, or NULL */
	long timeout;		    /* seconds the whole request may take (0: the stall bounds only) */
};

/* What came back. Header values are the last of their name, or NULL. */
struct shp_http {
	long status; /* 0 when no response came (see result) */
	int result;  /* CURLcode of the transfer when it ended, 0 while it runs */
	char *content_type, *docker_digest, *www_authenticate, *retry_after, *content_range;
	char *api_version;	    /* an engine's Api-Version (GET /_ping) */
	char *location;		    /* Location as sent (an upload session's URL, maybe relative) */
	char *range;		    /* Range of an upload session: the bytes it holds ("0-1023") */
	char *etag, *last_modified; /* validators, for a later conditional request */
	int64_t content_length;	    /* -1 when not given */
	char *redirect;		    /* an absolute URL from Location, for 3xx */
	char errbuf[256];	    /* curl's words for a failed transfer */
	struct http_priv *p;
};

/* Sends the request and waits for the response's headers. Returns 0 with *out (also when
 * the transfer failed before any response: status 0, result and errbuf say why), -1 with
 * err when curl cannot be set up. Caller frees with shp_http_close. */
int shp_http_open(const struct shp_http_req *req, struct shp_http **out, struct shp_error **err);
/* Reads up to n bytes of the body; 0 at its end; -1 with *error (allocated) when the
 * transfer broke (h->result says how). */
ssize_t shp_http_read(struct shp_http *h, void *buf, size_t n, char **error);
/* Reads the whole body of at most limit bytes (NUL-terminated; caller frees); -1 with
 * *error as above, or -2 when it is over limit. */
int shp_http_read_all(struct shp_http *h, size_t limit, char **data, size_t *len, char **error);
/* A transfer error the client may retry (timeouts, a dropped connection). */
int shp_http_transient(int result);
/* curl's name for a result. */
const char *shp_http_strerror(int result);
/* value URL-escaped (caller frees), for query strings and forms. */
char *shp_http_escape(const char *value);
void shp_http_close(struct shp_http *h);

/* An HTTP date ("Sun, 06 Nov 1994 08:49:47 GMT") as unix time; -1 when it does not parse. */
time_t shp_http_date_parse(const char *value);
/* Retry-After, in seconds from now: delta-seconds or an HTTP date; -1 when it does not
 * parse. A date in the past is 0. */
long shp_retry_after_parse(const char *value, time_t now);
/* The wait before the next attempt after attempt (0, 1, ...) failed: Retry-After when it
 * says, else 1, 2, 4... s; at most SHP_HTTP_MAX_WAIT_SECONDS. */
long shp_http_backoff(int attempt, const char *retry_after);
void shp_http_sleep(long seconds);
/* The system's CAs as the registry client and the feed fetcher trust them: $SSL_CERT_FILE or
 * $SSL_CERT_DIR (libcurl with OpenSSL reads neither itself), else the hashed directory
 * /etc/ssl/certs when there is one. Sets tls's cainfo, capath and capath_only. */
void shp_http_tls_system(struct shp_http_tls *tls);
static inline void shp_http_closep(struct shp_http **h) { shp_http_close(*h); }
