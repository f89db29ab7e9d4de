/* registry.c - the OCI distribution protocol's read side: manifests by tag or digest and
 * blobs streamed, with the habits skopeo has (retries with backoff honouring Retry-After,
 * resumed blobs, redirects followed without credentials to another host, Basic and Bearer
 * challenges), and its write side for `slim -o docker://`: blobs uploaded (monolithic or
 * chunked) or mounted from another repository, and a manifest put by tag. */
#include "registry/registry.h"
#include "config/config.h"
#include "image/manifest.h"
#include "registry/creds.h"
#include "registry/http.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define ACCEPT "Accept: " SHP_MT_OCI_MANIFEST ", " SHP_MT_DOCKER_MANIFEST ", " SHP_MT_OCI_INDEX ", " SHP_MT_DOCKER_LIST

struct token {
	char *scope;
	char *header; /* "Authorization: Bearer ..." */
};

struct shp_registry {
	struct shp_docker_ref ref;
	char *name;   /* the reference, normalised, for messages */
	char *origin; /* scheme://api-host, once chosen */
	int local;    /* localhost, 127.0.0.0/8, ::1: plain HTTP allowed */
	int insecure;
	char *username, *password, *registry_token;
	struct shp_http_tls tls;
	char *cert, *key;  /* from certs.d */
	struct shp_buf ca; /* the CAs from certs.d */
	struct shp_http_pool *pool;
	pthread_mutex_t mu;
	int creds_state; /* 0 not looked up, 1 found, -1 none */
	struct shp_creds creds;
	char *basic; /* "Authorization: Basic ..." once a Basic challenge was met */
	struct token *tokens;
	size_t ntokens, ctokens;
	/* mirrors of this registry (clients of their own), and the one the manifest came from */
	struct shp_registry **mirrors;
	size_t nmirrors;
	struct shp_registry *serving;
};

/* ---- what registries say ---- */

static char *token_value(const char **p)
{
	const char *s = *p;
	struct shp_buf b = {0};
	if (*s == '"') {
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\' && s[1])
				s++;
			shp_buf_putc(&b, *s);
		}
		if (*s != '"') {
			shp_buf_reset(&b);
			free(b.data);
			return NULL;
		}
		s++;
	} else {
		while (*s && *s != ',' && *s != ' ' && *s != '\t')
			shp_buf_putc(&b, *s++);
	}
	*p = s;
	shp_buf_putc(&b, 0);
	return shp_buf_steal(&b);
}

int shp_challenge_parse(const char *header, struct shp_challenge *out)
{
	*out = (struct shp_challenge){0};
	const char *p = header;
	while (*p == ' ' || *p == '\t')
		p++;
	const char *sp = p;
	while (*sp && *sp != ' ' && *sp != '\t')
		sp++;
	if (sp == p)
		return -1;
	out->scheme = shp_xstrndup(p, (size_t)(sp - p));
	p = sp;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		const char *eq = p;
		while (*eq && *eq != '=' && *eq != ',' && *eq != ' ')
			eq++;
		if (*eq != '=') {
			/* another challenge ("Basic realm=..., Bearer ..."): the first one is answered */
			break;
		}
		size_t kn = (size_t)(eq - p);
		const char *v = eq + 1;
		char *val = token_value(&v);
		if (!val) {
			shp_challenge_free(out);
			return -1;
		}
		char **slot = kn == 5 && !strncasecmp(p, "realm", 5)	 ? &out->realm
			      : kn == 7 && !strncasecmp(p, "service", 7) ? &out->service
			      : kn == 5 && !strncasecmp(p, "scope", 5)	 ? &out->scope
									 : NULL;
		if (slot) {
			free(*slot);
			*slot = val;
		} else
			free(val);
		p = v;
	}
	return 0;
}

void shp_challenge_free(struct shp_challenge *c)
{
	free(c->scheme);
	free(c->realm);
	free(c->service);
	free(c->scope);
	*c = (struct shp_challenge){0};
}

char *shp_registry_errors(const char *body, size_t len)
{
	if (!body || !len)
		return NULL;
	cJSON *j = cJSON_ParseWithLength(body, len);
	if (!j)
		return NULL;
	struct shp_buf b = {0};
	const cJSON *e, *errs = cJSON_GetObjectItemCaseSensitive(j, "errors");
	cJSON_ArrayForEach(e, errs)
	{
		const char *code = shp_json_str(e, "code"), *msg = shp_json_str(e, "message");
		if (!code && !msg)
			continue;
		shp_buf_term_printf(&b, "%s%s%s%s", b.len ? "; " : "", code ? code : "", code && msg ? ": " : "",
				    msg ? msg : "");
		if (b.len > 1024)
			break;
	}
	cJSON_Delete(j);
	if (b.len)
		return shp_buf_steal(&b);
	free(b.data);
	return NULL;
}

/* ---- the client ---- */

static int is_local(const char *host)
{
	_cleanup_free_ char *h = NULL;
	if (host[0] == '[') {
		const char *close = strchr(host, ']');
		h = shp_xstrndup(host + 1, close ? (size_t)(close - host - 1) : 0);
	} else {
		const char *colon = strchr(host, ':');
		h = colon ? shp_xstrndup(host, (size_t)(colon - host)) : shp_xstrdup(host);
	}
	if (!strcmp(h, "localhost"))
		return 1;
	struct in_addr a4;
	struct in6_addr a6;
	if (inet_pton(AF_INET, h, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, h, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

static char *dup_or_null(const char *s) { return s ? shp_xstrdup(s) : NULL; }

/* Docker's and containers' per-registry certificates: CAs (*.crt) added to the system's,
 * a client certificate (*.cert with its *.key). SHIPSHAPE_CERTS_DIRS (roots separated by
 * ':') stands for the two roots, as skopeo's --cert-dir does. */
static void certs_d(struct shp_registry *r, struct shp_buf *extra_ca)
{
	const char *env = getenv("SHIPSHAPE_CERTS_DIRS");
	_cleanup_free_ char *roots = shp_xstrdup(env ? env : "/etc/docker/certs.d:/etc/containers/certs.d");
	char *save = NULL;
	for (char *root = strtok_r(roots, ":", &save); root; root = strtok_r(NULL, ":", &save)) {
		_cleanup_free_ char *dir = shp_asprintf("%s/%s", root, r->ref.host);
		DIR *d = opendir(dir);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d))) {
			size_t n = strlen(de->d_name);
			_cleanup_free_ char *path = shp_asprintf("%s/%s", dir, de->d_name);
			if (n > 4 && !strcmp(de->d_name + n - 4, ".crt")) {
				char *data = NULL;
				size_t len;
				if (shp_read_file(path, 1u << 20, &data, &len, NULL) == 0) {
					shp_buf_add(extra_ca, data, len);
					shp_buf_putc(extra_ca, '\n');
				}
				free(data);
			} else if (n > 5 && !strcmp(de->d_name + n - 5, ".cert") && !r->cert) {
				char *key = shp_asprintf("%s/%.*s.key", dir, (int)(n - 5), de->d_name);
				if (access(key, R_OK) == 0) {
					r->cert = steal_pointer(&path);
					r->key = key;
				} else
					free(key);
			}
		}
		closedir(d);
	}
}

static struct shp_registry *client_new(const struct shp_docker_ref *ref, const struct shp_registry_opts *o);

struct shp_registry *shp_registry_new(const struct shp_docker_ref *ref, const struct shp_registry_opts *o)
{
	struct shp_registry *r = client_new(ref, o);
	for (size_t i = 0; o && i < o->nmirrors; i++) {
		const struct shp_mirror *m = &o->mirrors[i];
		if (strcmp(m->host, ref->host))
			continue;
		for (size_t j = 0; j < m->nto; j++) {
			struct shp_docker_ref mref = *ref;
			mref.host = m->to[j];
			r->mirrors = shp_xrealloc(r->mirrors, (r->nmirrors + 1) * sizeof *r->mirrors);
			r->mirrors[r->nmirrors++] = client_new(&mref, o);
		}
	}
	return r;
}

static struct shp_registry *client_new(const struct shp_docker_ref *ref, const struct shp_registry_opts *o)
{
	struct shp_registry *r = shp_xcalloc(1, sizeof *r);
	r->ref.host = shp_xstrdup(ref->host);
	r->ref.repo = shp_xstrdup(ref->repo);
	r->ref.tag = dup_or_null(ref->tag);
	r->ref.digest = dup_or_null(ref->digest);
	r->name = shp_docker_ref_string(ref);
	r->local = is_local(ref->host);
	r->insecure = o && o->insecure;
	r->username = dup_or_null(o ? o->username : NULL);
	r->password = dup_or_null(o ? o->password : NULL);
	r->registry_token = dup_or_null(o ? o->registry_token : NULL);
	pthread_mutex_init(&r->mu, NULL);
	r->pool = shp_http_pool_new();
	r->tls.insecure = r->insecure;
	shp_http_tls_system(&r->tls);
	certs_d(r, &r->ca);
	r->tls.ca_extra = r->ca.data;
	r->tls.ca_extra_len = r->ca.len;
	r->tls.cert = r->cert;
	r->tls.key = r->key;
	return r;
}

void shp_registry_free(struct shp_registry *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nmirrors; i++)
		shp_registry_free(r->mirrors[i]);
	free(r->mirrors);
	shp_docker_ref_free(&r->ref);
	free(r->name);
	free(r->origin);
	free(r->username);
	free(r->password);
	free(r->registry_token);
	free(r->cert);
	free(r->key);
	free(r->ca.data);
	if (r->creds_state > 0)
		shp_creds_free(&r->creds);
	free(r->basic);
	for (size_t i = 0; i < r->ntokens; i++) {
		free(r->tokens[i].scope);
		free(r->tokens[i].header);
	}
	free(r->tokens);
	shp_http_pool_free(r->pool);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

const char *shp_registry_name(const struct shp_registry *r) { return r->name; }

static char *base64(const char *s)
{
	size_t n = strlen(s);
	char *out = shp_xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s, (int)n);
	return out;
}

/* The origin ("scheme://host:port") of an absolute URL; caller frees. */
static char *origin_of(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return shp_xstrdup("");
	p += 3;
	size_t n = strcspn(p, "/?#");
	return shp_xstrndup(url, (size_t)(p - url) + n);
}

/* Credentials, looked up once (mu held). */
static int creds(struct shp_registry *r, struct shp_error **err)
{
	if (r->creds_state)
		return r->creds_state > 0;
	struct shp_creds_flags f = {r->username, r->password, r->registry_token};
	int rc = shp_creds_lookup(r->ref.host, &f, &r->creds, err);
	if (rc < 0)
		return shp_error_wrap(err, "%s", r->name);
	r->creds_state = rc > 0 ? 1 : -1;
	return rc > 0;
}

static const char *creds_source(struct shp_registry *r)
{
	return r->creds_state > 0 && r->creds.source ? r->creds.source : NULL;
}

/* The Authorization line for a request to the registry (mu held), or NULL. */
static const char *authz(struct shp_registry *r)
{
	if (r->ntokens)
		return r->tokens[r->ntokens - 1].header;
	return r->basic;
}

/* Why a transfer got no response, in words. */
static int transport_error(struct shp_registry *r, const char *url, struct shp_http *h, struct shp_error **err)
{
	switch (h->result) {
	case 6: /* CURLE_COULDNT_RESOLVE_HOST */
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: no such host (%s)", r->name, h->errbuf);
	case 7: /* CURLE_COULDNT_CONNECT */
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: cannot connect to %s: %s", r->name, r->ref.host,
				     h->errbuf);
	case 28: /* CURLE_OPERATION_TIMEDOUT */
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: timed out (%s)", r->name, url, h->errbuf);
	default: return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: %s", r->name, url, h->errbuf);
	}
}

/* A token from the realm for scope (mu held): --registry-token as is, an identity token
 * exchanged by POST, else a GET with Basic credentials when there are some. */
static int fetch_token(struct shp_registry *r, const struct shp_challenge *c, const char *scope, char **out,
		       struct shp_error **err);

/* Answers a 401's challenge (mu held). sent: the Authorization line the 401 answered. */
static int authenticate(struct shp_registry *r, const char *challenge, const char *sent, struct shp_error **err)
{
	struct shp_challenge c;
	if (!challenge || shp_challenge_parse(challenge, &c) < 0)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: 401 Unauthorized without a challenge we understand",
				     r->name);
	int rc = -1;
	_cleanup_free_ char *scope = c.scope ? shp_xstrdup(c.scope) : shp_asprintf("repository:%s:pull", r->ref.repo);
	if (!strcasecmp(c.scheme, "basic")) {
		int have = creds(r, err);
		if (have < 0)
			goto out;
		if (!have || !r->creds.username || !r->creds.password) {
			rc = shp_error_set(err, SHP_EXIT_INPUT,
					   "%s: 401 Unauthorized, and no credentials for %s (docker login, podman "
					   "login, or --username/--password)",
					   r->name, r->ref.host);
			goto out;
		}
		if (r->basic && sent && !strcmp(r->basic, sent)) {
			rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: 401 Unauthorized with the credentials from %s",
					   r->name, creds_source(r));
			goto out;
		}
		_cleanup_free_ char *up = shp_asprintf("%s:%s", r->creds.username, r->creds.password);
		_cleanup_free_ char *b = base64(up);
		free(r->basic);
		r->basic = shp_asprintf("Authorization: Basic %s", b);
		rc = 0;
	} else if (!strcasecmp(c.scheme, "bearer") && c.realm) {
		/* a token another thread fetched meanwhile is tried first */
		for (size_t i = 0; i < r->ntokens; i++)
			if (!strcmp(r->tokens[i].scope, scope) && (!sent || strcmp(r->tokens[i].header, sent))) {
				rc = 0;
				goto out;
			}
		char *tok = NULL;
		if (fetch_token(r, &c, scope, &tok, err) < 0)
			goto out;
		size_t i = 0;
		while (i < r->ntokens && strcmp(r->tokens[i].scope, scope))
			i++;
		if (i == r->ntokens) {
			struct token t = {shp_xstrdup(scope), NULL};
			SHP_PUSH(r->tokens, r->ntokens, r->ctokens, t);
		}
		free(r->tokens[i].header);
		r->tokens[i].header = shp_asprintf("Authorization: Bearer %s", tok);
		free(tok);
		/* the last one is the one sent (one scope per run: the repository's pull) */
		struct token t = r->tokens[i];
		r->tokens[i] = r->tokens[r->ntokens - 1];
		r->tokens[r->ntokens - 1] = t;
		rc = 0;
	} else
		rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: 401 Unauthorized with a %s challenge, which is not read",
				   r->name, c.scheme);
out:
	shp_challenge_free(&c);
	return rc;
}

/* One request: retried, redirected, authenticated. path is the registry's ("/v2/..."),
 * extra the request's own headers. Returns the response (2xx, or another status for the
 * caller to report) in *out. */
static int request_body(struct shp_registry *r, enum shp_http_method method, const char *path, const char *const *extra,
			const char *body, size_t body_len, struct shp_http **out, struct shp_error **err);

static int request(struct shp_registry *r, enum shp_http_method method, const char *path, const char *extra,
		   struct shp_http **out, struct shp_error **err)
{
	const char *hdrs[] = {extra, NULL};
	return request_body(r, method, path, hdrs, NULL, 0, out, err);
}

/* The scheme of a registry's first request. Docker's rule: HTTPS first, plain HTTP for a
 * local registry when HTTPS fails. Whether a local one speaks TLS is asked by a handshake
 * that verifies nothing and carries nothing secret (HEAD /v2/, no credentials), so that one
 * on plain HTTP costs no CA bundle (30 ms); one that answers is then talked to over HTTPS,
 * verified. Anything else is left to the fallback in request_body. */
static const char *first_scheme(struct shp_registry *r)
{
	if (!r->local || r->insecure)
		return "https";
	struct shp_http_tls tls = r->tls;
	tls.insecure = 1;
	_cleanup_free_ char *url = shp_asprintf("https://%s/v2/", shp_docker_ref_api_host(&r->ref));
	struct shp_http_req req = {.url = url, .method = SHP_HTTP_HEAD, .tls = &tls, .pool = r->pool};
	struct shp_http *h = NULL;
	_cleanup_(shp_error_freep) struct shp_error *e = NULL;
	int plain = shp_http_open(&req, &h, &e) == 0 && h->status == 0 &&
		    (h->result == 35 /* SSL_CONNECT_ERROR */ || h->result == 56 /* RECV_ERROR */);
	shp_http_close(h);
	return plain ? "http" : "https";
}

/* request with headers of its own (NULL-terminated) and a body; path may be an absolute
 * URL (an upload session's Location). */
static int request_body(struct shp_registry *r, enum shp_http_method method, const char *path, const char *const *extra,
			const char *body, size_t body_len, struct shp_http **out, struct shp_error **err)
{
	_cleanup_free_ char *url = NULL;
	int attempt = 0, redirects = 0, auths = 0;
	for (;;) {
		pthread_mutex_lock(&r->mu);
		if (!r->origin)
			r->origin = shp_asprintf("%s://%s", first_scheme(r), shp_docker_ref_api_host(&r->ref));
		if (!url)
			url = strstr(path, "://") ? shp_xstrdup(path) : shp_asprintf("%s%s", r->origin, path);
		_cleanup_free_ char *origin = origin_of(url);
		int ours = !strcmp(origin, r->origin);
		/* Authorization only to the registry itself, never where it redirects to */
		_cleanup_free_ char *auth = ours && authz(r) ? shp_xstrdup(authz(r)) : NULL;
		pthread_mutex_unlock(&r->mu);
		const char *hdrs[8];
		size_t nh = 0;
		for (size_t i = 0; extra && extra[i] && nh < 6; i++)
			hdrs[nh++] = extra[i];
		if (auth)
			hdrs[nh++] = auth;
		hdrs[nh] = NULL;
		struct shp_http_req req = {.url = url,
					   .method = method,
					   .headers = hdrs,
					   .body = body,
					   .body_len = body_len,
					   .tls = &r->tls,
					   .pool = r->pool};
		struct shp_http *h = NULL;
		if (shp_http_open(&req, &h, err) < 0)
			return -1;
		if (h->status == 0) {
			/* Docker's rule: HTTPS first; plain HTTP for a local registry or with --insecure */
			pthread_mutex_lock(&r->mu);
			int fallback = ours && !strstr(path, "://") && (r->local || r->insecure) &&
				       !strncmp(r->origin, "https:", 6) &&
				       (h->result == 35 /* SSL_CONNECT_ERROR */ || h->result == 7 ||
					h->result == 56 /* RECV_ERROR */);
			if (fallback) {
				free(r->origin);
				r->origin = shp_asprintf("http://%s", shp_docker_ref_api_host(&r->ref));
				free(url);
				url = shp_asprintf("%s%s", r->origin, path);
			}
			pthread_mutex_unlock(&r->mu);
			if (fallback) {
				shp_http_close(h);
				continue;
			}
			if (shp_http_transient(h->result) && ++attempt < SHP_REG_MAX_ATTEMPTS) {
				shp_http_close(h);
				shp_http_sleep(shp_http_backoff(attempt - 1, NULL));
				continue;
			}
			int rc = transport_error(r, url, h, err);
			shp_http_close(h);
			return rc;
		}
		if (h->status >= 300 && h->status < 400 && h->redirect) {
			if (++redirects > SHP_REG_MAX_REDIRECTS) {
				shp_http_close(h);
				return shp_error_set(err, SHP_EXIT_INPUT, "%s: more than %d redirects from %s", r->name,
						     SHP_REG_MAX_REDIRECTS, path);
			}
			free(url);
			url = shp_xstrdup(h->redirect);
			shp_http_close(h);
			continue;
		}
		if (h->status == 401 && ours && auths++ < 2) {
			pthread_mutex_lock(&r->mu);
			int rc = authenticate(r, h->www_authenticate, auth, err);
			pthread_mutex_unlock(&r->mu);
			shp_http_close(h);
			if (rc < 0)
				return -1;
			continue;
		}
		if ((h->status == 408 || h->status == 429 || h->status >= 500) && ++attempt < SHP_REG_MAX_ATTEMPTS) {
			long w = shp_http_backoff(attempt - 1, h->retry_after);
			shp_http_close(h);
			shp_http_sleep(w);
			continue;
		}
		*out = h;
		return 0;
	}
}

static int fetch_token(struct shp_registry *r, const struct shp_challenge *c, const char *scope, char **out,
		       struct shp_error **err)
{
	int have = creds(r, err);
	if (have < 0)
		return -1;
	if (have && r->creds.bearer) {
		*out = shp_xstrdup(r->creds.bearer);
		return 0;
	}
	_cleanup_free_ char *svc = shp_http_escape(c->service ? c->service : "");
	_cleanup_free_ char *sc = shp_http_escape(scope);
	_cleanup_free_ char *url = NULL, *body = NULL, *basic = NULL;
	enum shp_http_method m = SHP_HTTP_GET;
	if (have && r->creds.identity_token) {
		_cleanup_free_ char *rt = shp_http_escape(r->creds.identity_token);
		url = shp_xstrdup(c->realm);
		body = shp_asprintf("grant_type=refresh_token&service=%s&scope=%s&client_id=shipshape&refresh_token=%s",
				    svc, sc, rt);
		m = SHP_HTTP_POST;
	} else {
		/* one scope parameter per scope, as docker sends them: a push that mounts asks for
		 * two repositories ("repository:A:pull,push repository:B:pull") */
		struct shp_buf q = {0};
		shp_buf_term_printf(&q, "%s%sservice=%s", c->realm, strchr(c->realm, '?') ? "&" : "?", svc);
		_cleanup_free_ char *scopes = shp_xstrdup(scope);
		char *save = NULL;
		for (char *one = strtok_r(scopes, " ", &save); one; one = strtok_r(NULL, " ", &save)) {
			_cleanup_free_ char *e = shp_http_escape(one);
			shp_buf_term_printf(&q, "&scope=%s", e);
		}
		url = shp_buf_steal(&q);
		if (have && r->creds.username && r->creds.password) {
			_cleanup_free_ char *up = shp_asprintf("%s:%s", r->creds.username, r->creds.password);
			_cleanup_free_ char *b = base64(up);
			basic = shp_asprintf("Authorization: Basic %s", b);
		}
	}
	const char *hdrs[] = {basic, NULL};
	struct shp_http_req req = {
		.url = url, .method = m, .headers = hdrs, .body = body, .tls = &r->tls, .pool = r->pool};
	_cleanup_free_ char *realm = origin_of(c->realm);
	for (int attempt = 0;; attempt++) {
		struct shp_http *h = NULL;
		if (shp_http_open(&req, &h, err) < 0)
			return -1;
		if (h->status == 0 || ((h->status == 429 || h->status >= 500) && attempt + 1 < SHP_REG_MAX_ATTEMPTS)) {
			if (h->status == 0 && !shp_http_transient(h->result)) {
				shp_error_set(err, SHP_EXIT_INPUT, "%s: token server %s: %s", r->name, realm,
					      h->errbuf);
				shp_http_close(h);
				return -1;
			}
			long w = shp_http_backoff(attempt, h->retry_after);
			shp_http_close(h);
			if (attempt + 1 >= SHP_REG_MAX_ATTEMPTS)
				return shp_error_set(err, SHP_EXIT_INPUT, "%s: token server %s does not answer",
						     r->name, realm);
			shp_http_sleep(w);
			continue;
		}
		_cleanup_free_ char *data = NULL, *why = NULL;
		size_t len = 0;
		int rr = shp_http_read_all(h, SHP_REG_MAX_TOKEN, &data, &len, &why);
		long status = h->status;
		shp_http_close(h);
		if (rr < 0)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: token server %s: %s", r->name, realm,
					     rr == -2 ? "an answer over 1 MiB" : why);
		if (status == 401 || status == 403) {
			const char *src = creds_source(r);
			return src ? shp_error_set(err, SHP_EXIT_INPUT,
						   "%s: the token server %s refused the credentials from %s (%ld)",
						   r->name, realm, src, status)
				   : shp_error_set(err, SHP_EXIT_INPUT,
						   "%s: the token server %s wants credentials, and there are none for "
						   "%s (docker login, podman login, or --username/--password)",
						   r->name, realm, r->ref.host);
		}
		if (status != 200)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: token server %s answered %ld", r->name, realm,
					     status);
		cJSON *j = cJSON_ParseWithLength(data, len);
		const char *t = shp_json_str(j, "token");
		if (!t || !*t)
			t = shp_json_str(j, "access_token");
		if (!t || !*t) {
			cJSON_Delete(j);
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: token server %s gave no token", r->name, realm);
		}
		/* a token goes into a header line: nothing that could end it */
		if (strpbrk(t, "\r\n")) {
			cJSON_Delete(j);
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: token server %s gave a malformed token", r->name,
					     realm);
		}
		*out = shp_xstrdup(t);
		cJSON_Delete(j);
		return 0;
	}
}

/* The errors a response's body lists (its first 64 KiB), in words, or NULL. */
static char *body_errors(struct shp_http *h)
{
	char *data = NULL, *why = NULL;
	size_t len = 0;
	if (shp_http_read_all(h, 64u << 10, &data, &len, &why) < 0)
		len = 0;
	char *msg = shp_registry_errors(data, len);
	free(data);
	free(why);
	return msg;
}

/* A response that is not the one wanted, in words: the registry's errors when it sent some. */
static int status_error(struct shp_registry *r, struct shp_http *h, const char *what, struct shp_error **err)
{
	_cleanup_free_ char *msg = body_errors(h);
	if (h->status == 401) {
		const char *src = creds_source(r);
		/* Docker Hub answers 401, not 404, for a repository that does not exist */
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: %s: 401 Unauthorized%s%s%s%s (the repository does not exist, or needs "
				     "credentials that allow pulling it)",
				     r->name, what, msg ? " " : "", msg ? msg : "",
				     src ? ", with the credentials from " : ", no credentials", src ? src : "");
	}
	return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: the registry answered %ld%s%s", r->name, what, h->status,
			     msg ? " " : "", msg ? msg : "");
}

static int manifest_from(struct shp_registry *r, const char *tag_or_digest, char **body, size_t *len, char **media_type,
			 char **digest, struct shp_error **err);

/* The mirrors first, in order; what the registry itself says when none has it. */
int shp_registry_manifest(struct shp_registry *r, const char *tag_or_digest, char **body, size_t *len,
			  char **media_type, char **digest, struct shp_error **err)
{
	for (size_t i = 0; i < r->nmirrors; i++) {
		struct shp_error *e = NULL;
		if (manifest_from(r->mirrors[i], tag_or_digest, body, len, media_type, digest, &e) == 0) {
			r->serving = r->mirrors[i];
			return 0;
		}
		shp_error_free(e);
	}
	r->serving = r;
	return manifest_from(r, tag_or_digest, body, len, media_type, digest, err);
}

static int manifest_from(struct shp_registry *r, const char *tag_or_digest, char **body, size_t *len, char **media_type,
			 char **digest, struct shp_error **err)
{
	_cleanup_free_ char *want = NULL;
	if (!strncmp(tag_or_digest, "sha256:", 7))
		want = shp_xstrdup(tag_or_digest);
	else {
		_cleanup_free_ char *path = shp_asprintf("/v2/%s/manifests/%s", r->ref.repo, tag_or_digest);
		struct shp_http *h = NULL;
		if (request(r, SHP_HTTP_HEAD, path, ACCEPT, &h, err) < 0)
			return -1;
		if (h->status == 200 && h->docker_digest && shp_digest_valid(h->docker_digest))
			want = shp_xstrdup(h->docker_digest);
		else if (h->status == 404 || h->status == 401) {
			/* a HEAD has no body to say why: the GET below says it */
		}
		shp_http_close(h);
	}
	_cleanup_free_ char *path = shp_asprintf("/v2/%s/manifests/%s", r->ref.repo, want ? want : tag_or_digest);
	_cleanup_(shp_http_closep) struct shp_http *h = NULL;
	if (request(r, SHP_HTTP_GET, path, ACCEPT, &h, err) < 0)
		return -1;
	_cleanup_free_ char *what = shp_asprintf("manifest %s", want ? want : tag_or_digest);
	if (h->status != 200)
		return status_error(r, h, what, err);
	_cleanup_free_ char *data = NULL, *why = NULL;
	int rc = shp_http_read_all(h, SHP_REG_MAX_MANIFEST, &data, len, &why);
	if (rc == -2)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: more than %u bytes (SHP_REG_MAX_MANIFEST)", r->name,
				     what, SHP_REG_MAX_MANIFEST);
	if (rc < 0)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: %s", r->name, what, why);
	char got[72];
	shp_sha256_buf(data, *len, got);
	if (want && strcmp(got, want))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: digest mismatch: the content is %s", r->name, what,
				     got);
	/* the content's own mediaType wins over the header (some servers say application/json) */
	cJSON *j = cJSON_ParseWithLength(data, *len);
	const char *mt = shp_json_str(j, "mediaType");
	*media_type = mt		? shp_xstrdup(mt)
		      : h->content_type ? shp_xstrndup(h->content_type, strcspn(h->content_type, "; "))
					: NULL;
	cJSON_Delete(j);
	*body = steal_pointer(&data);
	*digest = shp_xstrdup(got);
	return 0;
}

/* ---- blobs ---- */

struct shp_registry_blob {
	struct shp_registry *r;
	char *digest, *path;
	uint64_t size, got, skip; /* skip: bytes to drop after a restart from 0 */
	int resumes;
	struct shp_http *h;
};

static int blob_request(struct shp_registry_blob *b, struct shp_error **err)
{
	_cleanup_free_ char *range = b->got ? shp_asprintf("Range: bytes=%llu-", (unsigned long long)b->got) : NULL;
	struct shp_http *h = NULL;
	if (request(b->r, SHP_HTTP_GET, b->path, range, &h, err) < 0)
		return shp_error_wrap(err, "blob %s", b->digest);
	_cleanup_free_ char *what = shp_asprintf("blob %s", b->digest);
	if (b->got && h->status == 206) {
		/* the part asked for, of the blob we know: "bytes GOT-LAST/SIZE" */
		unsigned long long from, to, total;
		if (!h->content_range || sscanf(h->content_range, "bytes %llu-%llu/%llu", &from, &to, &total) != 3 ||
		    from != b->got || total != b->size || to + 1 != b->size) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: resumed at %llu, the registry sent %s", b->r->name,
				      what, (unsigned long long)b->got,
				      h->content_range ? h->content_range : "no range");
			shp_http_close(h);
			return -1;
		}
	} else if (h->status == 200) {
		b->skip = b->got; /* the whole blob again: what was read is dropped */
		b->got = 0;
	} else {
		int rc = status_error(b->r, h, what, err);
		shp_http_close(h);
		return rc;
	}
	b->h = h;
	return 0;
}

static int blob_open(struct shp_registry *r, const char *digest, uint64_t size, struct shp_registry_blob **out,
		     struct shp_error **err);

/* From where the manifest came (a mirror), else from the registry itself. */
int shp_registry_blob_open(struct shp_registry *r, const char *digest, uint64_t size, struct shp_registry_blob **out,
			   struct shp_error **err)
{
	struct shp_registry *s = r->serving;
	if (s && s != r) {
		struct shp_error *e = NULL;
		if (blob_open(s, digest, size, out, &e) == 0)
			return 0;
		shp_error_free(e);
	}
	return blob_open(r, digest, size, out, err);
}

static int blob_open(struct shp_registry *r, const char *digest, uint64_t size, struct shp_registry_blob **out,
		     struct shp_error **err)
{
	if (!shp_digest_valid(digest))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: unsupported or malformed blob digest \"%s\"", r->name,
				     digest);
	struct shp_registry_blob *b = shp_xcalloc(1, sizeof *b);
	b->r = r;
	b->digest = shp_xstrdup(digest);
	b->path = shp_asprintf("/v2/%s/blobs/%s", r->ref.repo, digest);
	b->size = size;
	if (blob_request(b, err) < 0) {
		shp_registry_blob_close(b);
		return -1;
	}
	*out = b;
	return 0;
}

ssize_t shp_registry_blob_read(struct shp_registry_blob *b, void *buf, size_t n, char **error)
{
	for (;;) {
		char *why = NULL;
		ssize_t k = shp_http_read(b->h, buf, n, &why);
		if (k > 0 && b->skip) {
			uint64_t drop = (uint64_t)k < b->skip ? (uint64_t)k : b->skip;
			b->skip -= drop;
			b->got += drop;
			if ((uint64_t)k == drop)
				continue;
			memmove(buf, (char *)buf + drop, (size_t)((uint64_t)k - drop));
			k -= (ssize_t)drop;
		}
		if (k > 0) {
			b->got += (uint64_t)k;
			if (b->got > b->size) {
				*error = shp_asprintf("%s: blob %s: more than the %llu bytes its descriptor says",
						      b->r->name, b->digest, (unsigned long long)b->size);
				return -1;
			}
			return k;
		}
		if (k == 0) {
			if (b->got != b->size) {
				*error = shp_asprintf("%s: blob %s: %llu bytes, and its descriptor says %llu",
						      b->r->name, b->digest, (unsigned long long)b->got,
						      (unsigned long long)b->size);
				return -1;
			}
			return 0;
		}
		/* a dropped connection: the rest is asked for with Range */
		int result = b->h->result;
		if (!shp_http_transient(result) || b->resumes >= SHP_REG_MAX_RESUMES) {
			*error = shp_asprintf("%s: blob %s: %s (after %llu bytes)", b->r->name, b->digest, why,
					      (unsigned long long)b->got);
			free(why);
			return -1;
		}
		free(why);
		b->resumes++;
		shp_http_close(b->h);
		b->h = NULL;
		struct shp_error *err = NULL;
		if (blob_request(b, &err) < 0) {
			*error = shp_xstrdup(err->msg);
			shp_error_free(err);
			return -1;
		}
	}
}

void shp_registry_blob_close(struct shp_registry_blob *b)
{
	if (!b)
		return;
	shp_http_close(b->h);
	free(b->digest);
	free(b->path);
	free(b);
}

int shp_registry_blob_get(struct shp_registry *r, const char *digest, uint64_t size, size_t limit, char **data,
			  size_t *len, struct shp_error **err)
{
	if (size > limit)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: blob %s: %llu bytes, more than the %zu allowed", r->name,
				     digest, (unsigned long long)size, limit);
	struct shp_registry_blob *b = NULL;
	if (shp_registry_blob_open(r, digest, size, &b, err) < 0)
		return -1;
	char *buf = shp_xmalloc((size_t)size + 1);
	size_t n = 0;
	char *why = NULL;
	ssize_t k = 0;
	while ((k = shp_registry_blob_read(b, buf + n, (size_t)size + 1 - n, &why)) > 0)
		n += (size_t)k;
	shp_registry_blob_close(b);
	if (k < 0) {
		free(buf);
		shp_error_set(err, SHP_EXIT_INPUT, "%s", why);
		free(why);
		return -1;
	}
	char got[72];
	shp_sha256_buf(buf, n, got);
	if (strcmp(got, digest)) {
		free(buf);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: blob %s: digest mismatch: the content is %s", r->name,
				     digest, got);
	}
	buf[n] = 0;
	*data = buf;
	*len = n;
	return 0;
}

int shp_registry_resolve(const struct shp_docker_ref *ref, const struct shp_registry_opts *o, char **digest,
			 char **media_type, struct shp_error **err)
{
	struct shp_registry *r = shp_registry_new(ref, o);
	char *body = NULL;
	size_t len;
	int rc = shp_registry_manifest(r, ref->digest ? ref->digest : ref->tag, &body, &len, media_type, digest, err);
	free(body);
	shp_registry_free(r);
	return rc;
}

/* ---- pushing ---- */

const char *shp_push_how_name(enum shp_push_how how)
{
	switch (how) {
	case SHP_PUSH_PRESENT: return "already there";
	case SHP_PUSH_MOUNTED: return "mounted";
	case SHP_PUSH_MONOLITHIC: return "uploaded";
	case SHP_PUSH_CHUNKED: return "uploaded in chunks";
	}
	return "?";
}

char *shp_upload_url(const char *origin, const char *location, const char *query)
{
	_cleanup_free_ char *base = NULL;
	if (strstr(location, "://"))
		base = shp_xstrdup(location);
	else
		base = shp_asprintf("%s%s%s", origin, location[0] == '/' ? "" : "/", location);
	if (!query || !*query)
		return steal_pointer(&base);
	/* the session's own parameters (_state, a signed URL's) stay; a fragment is dropped */
	base[strcspn(base, "#")] = 0;
	size_t n = strlen(base);
	const char *sep = !strchr(base, '?') ? "?" : base[n - 1] == '?' || base[n - 1] == '&' ? "" : "&";
	return shp_asprintf("%s%s%s", base, sep, query);
}

int shp_upload_range_parse(const char *range, uint64_t *next)
{
	if (!range)
		return -1;
	while (*range == ' ')
		range++;
	if (!strncmp(range, "bytes=", 6))
		range += 6;
	char *end;
	if (*range < '0' || *range > '9')
		return -1;
	unsigned long long from = strtoull(range, &end, 10);
	if (*end != '-' || end[1] < '0' || end[1] > '9')
		return -1;
	unsigned long long to = strtoull(end + 1, &end, 10);
	while (*end == ' ')
		end++;
	if (*end || from != 0 || to == ULLONG_MAX)
		return -1;
	*next = to + 1;
	return 0;
}

static uint64_t chunk_bytes(void)
{
	const char *e = getenv("SHIPSHAPE_REGISTRY_CHUNK_BYTES");
	long long v = e ? strtoll(e, NULL, 10) : 0;
	return v > 0 ? (uint64_t)v : SHP_REG_CHUNK;
}

/* A push refused or gone wrong, in words: what the registry said, and for 401/403 the
 * credentials that were (not) used. */
static int push_error(struct shp_registry *r, struct shp_http *h, const char *what, struct shp_error **err)
{
	if (h->status != 401 && h->status != 403)
		return status_error(r, h, what, err);
	_cleanup_free_ char *msg = body_errors(h);
	const char *src = creds_source(r);
	return shp_error_set(err, SHP_EXIT_INPUT,
			     "%s: %s: the registry refused to let us push (%ld%s%s), %s%s (docker login, podman "
			     "login, or --username/--password with a user allowed to push)",
			     r->name, what, h->status, msg ? " " : "", msg ? msg : "",
			     src ? "with the credentials from " : "no credentials", src ? src : "");
}

static int read_at(const struct shp_push_blob *b, uint64_t off, char *buf, size_t n)
{
	if (b->data) {
		memcpy(buf, b->data + off, n);
		return 0;
	}
	return shp_pread_all(b->fd, buf, n, off);
}

/* The session's next URL from a 202's Location (mu held for the origin). */
static char *session_url(struct shp_registry *r, struct shp_http *h, const char *query)
{
	pthread_mutex_lock(&r->mu);
	char *u = shp_upload_url(r->origin, h->location, query);
	pthread_mutex_unlock(&r->mu);
	return u;
}

/* Uploads b into the session at *url (202 Location): one PUT with the bytes, or PATCH
 * chunks, each checked against the session's Range, and an empty PUT. */
static int upload(struct shp_registry *r, const struct shp_push_blob *b, char **url, enum shp_push_how *how,
		  struct shp_error **err)
{
	_cleanup_free_ char *what = shp_asprintf("blob %s", b->digest);
	_cleanup_free_ char *dq = shp_asprintf("digest=%s", b->digest);
	uint64_t chunk = chunk_bytes();
	const char *octets = "Content-Type: application/octet-stream", *no_expect = "Expect:";
	_cleanup_free_ char *buf = shp_xmalloc((size_t)(b->size < chunk ? b->size : chunk) + 1);
	uint64_t off = 0;
	*how = b->size <= chunk ? SHP_PUSH_MONOLITHIC : SHP_PUSH_CHUNKED;
	while (*how == SHP_PUSH_CHUNKED && off < b->size) {
		size_t n = (size_t)(b->size - off < chunk ? b->size - off : chunk);
		if (read_at(b, off, buf, n) < 0)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: cannot read it back: %s", r->name, what,
					     strerror(errno ? errno : EIO));
		_cleanup_free_ char *cr = shp_asprintf("Content-Range: %llu-%llu", (unsigned long long)off,
						       (unsigned long long)(off + n - 1));
		const char *hdrs[] = {octets, no_expect, cr, NULL};
		_cleanup_(shp_http_closep) struct shp_http *h = NULL;
		if (request_body(r, SHP_HTTP_PATCH, *url, hdrs, buf, n, &h, err) < 0)
			return shp_error_wrap(err, "%s", what);
		if (h->status != 202)
			return push_error(r, h, what, err);
		uint64_t next = 0;
		if (shp_upload_range_parse(h->range, &next) < 0 || next != off + n || !h->location)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: %s: after bytes %llu-%llu the upload session says %s%s", r->name,
					     what, (unsigned long long)off, (unsigned long long)(off + n - 1),
					     h->range ? "Range: " : "no Range", h->range ? h->range : "");
		off += n;
		free(*url);
		*url = session_url(r, h, NULL);
	}
	size_t n = *how == SHP_PUSH_MONOLITHIC ? (size_t)b->size : 0;
	if (n && read_at(b, 0, buf, n) < 0)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: cannot read it back: %s", r->name, what,
				     strerror(errno ? errno : EIO));
	_cleanup_free_ char *put = shp_upload_url("", *url, dq);
	const char *hdrs[] = {octets, no_expect, NULL};
	_cleanup_(shp_http_closep) struct shp_http *h = NULL;
	if (request_body(r, SHP_HTTP_PUT, put, hdrs, buf, n, &h, err) < 0)
		return shp_error_wrap(err, "%s", what);
	if (h->status != 201)
		return push_error(r, h, what, err);
	return 0;
}

int shp_registry_blob_push(struct shp_registry *r, const struct shp_push_blob *b, const char *from_repo,
			   enum shp_push_how *how, struct shp_error **err)
{
	if (!shp_digest_valid(b->digest))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: malformed blob digest \"%s\"", r->name, b->digest);
	_cleanup_free_ char *what = shp_asprintf("blob %s", b->digest);
	{
		_cleanup_free_ char *path = shp_asprintf("/v2/%s/blobs/%s", r->ref.repo, b->digest);
		_cleanup_(shp_http_closep) struct shp_http *h = NULL;
		if (request(r, SHP_HTTP_HEAD, path, NULL, &h, err) < 0)
			return shp_error_wrap(err, "%s", what);
		if (h->status == 200) {
			*how = SHP_PUSH_PRESENT;
			return 0;
		}
		if (h->status != 404)
			return push_error(r, h, what, err);
	}
	/* one POST both asks for the mount and, when the registry cannot, opens the session */
	_cleanup_free_ char *path = NULL;
	if (from_repo && strcmp(from_repo, r->ref.repo)) {
		_cleanup_free_ char *d = shp_http_escape(b->digest), *f = shp_http_escape(from_repo);
		path = shp_asprintf("/v2/%s/blobs/uploads/?mount=%s&from=%s", r->ref.repo, d, f);
	} else
		path = shp_asprintf("/v2/%s/blobs/uploads/", r->ref.repo);
	const char *hdrs[] = {"Content-Type: application/octet-stream", NULL};
	_cleanup_(shp_http_closep) struct shp_http *h = NULL;
	if (request_body(r, SHP_HTTP_POST, path, hdrs, "", 0, &h, err) < 0)
		return shp_error_wrap(err, "%s", what);
	if ((h->status == 401 || h->status == 403) && strstr(path, "?mount=")) {
		/* credentials that may push here but not pull from the source: upload instead */
		shp_http_close(h);
		h = NULL;
		free(path);
		path = shp_asprintf("/v2/%s/blobs/uploads/", r->ref.repo);
		if (request_body(r, SHP_HTTP_POST, path, hdrs, "", 0, &h, err) < 0)
			return shp_error_wrap(err, "%s", what);
	}
	if (h->status == 201 && strstr(path, "?mount=")) {
		*how = SHP_PUSH_MOUNTED;
		return 0;
	}
	if (h->status != 202)
		return push_error(r, h, what, err);
	if (!h->location)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: the registry opened an upload without a Location",
				     r->name, what);
	_cleanup_free_ char *url = session_url(r, h, NULL);
	return upload(r, b, &url, how, err);
}

int shp_registry_manifest_put(struct shp_registry *r, const char *tag, const char *media_type, const char *body,
			      size_t len, struct shp_error **err)
{
	char want[72];
	shp_sha256_buf(body, len, want);
	_cleanup_free_ char *path = shp_asprintf("/v2/%s/manifests/%s", r->ref.repo, tag);
	_cleanup_free_ char *ct = shp_asprintf("Content-Type: %s", media_type);
	_cleanup_free_ char *what = shp_asprintf("manifest %s", want);
	const char *hdrs[] = {ct, "Expect:", NULL};
	_cleanup_(shp_http_closep) struct shp_http *h = NULL;
	if (request_body(r, SHP_HTTP_PUT, path, hdrs, body, len, &h, err) < 0)
		return shp_error_wrap(err, "%s", what);
	if (h->status != 201 && h->status != 200)
		return push_error(r, h, what, err);
	if (h->docker_digest && strcmp(h->docker_digest, want))
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: %s: the registry stored it as %s (Docker-Content-Digest), not as its "
				     "digest",
				     r->name, what, h->docker_digest);
	return 0;
}
