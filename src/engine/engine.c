/* engine.c - the engine's API found as docker and podman find it (a unix socket, or a TCP
 * address with docker's TLS settings), its API version negotiated, and GETs (see engine.h). */
#include "engine/engine.h"
#include "registry/http.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 when DOCKER_TLS_VERIFY or DOCKER_TLS is set, as docker's client reads them. */
static int tls_wanted(int *verify)
{
	const char *v = getenv("DOCKER_TLS_VERIFY"), *t = getenv("DOCKER_TLS");
	*verify = v && *v;
	return *verify || (t && *t);
}

/* The address of a host as docker writes it: the path of unix://PATH, or tcp://HOST:PORT
 * (the port docker's default, 2376 with TLS, else 2375); NULL with err for another scheme
 * (ssh://, npipe://) or none. */
static char *host_address(const char *var, const char *value, struct shp_error **err)
{
	if (!strncmp(value, "unix://", 7) && value[7])
		return shp_xstrdup(value + 7);
	if (!strncmp(value, "tcp://", 6) && value[6] && value[6] != '/') {
		const char *host = value + 6;
		size_t n = strcspn(host, "/");
		if (host[n] && strcmp(host + n, "/")) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s=%s: a path after tcp://HOST:PORT", var, value);
			return NULL;
		}
		const char *colon = memrchr(host, ':', n), *bracket = memrchr(host, ']', n);
		if (colon && (!bracket || colon > bracket))
			return shp_asprintf("tcp://%.*s", (int)n, host);
		int verify;
		return shp_asprintf("tcp://%.*s:%d", (int)n, host, tls_wanted(&verify) ? 2376 : 2375);
	}
	const char *sep = strstr(value, "://");
	if (sep && strncmp(value, "unix://", 7) && strncmp(value, "tcp://", 6))
		shp_error_set(err, SHP_EXIT_INPUT,
			      "%s=%s: an engine reached over %.*s:// is not read; reach it on a unix socket "
			      "(DOCKER_HOST=unix://PATH, or --engine-socket PATH) or over tcp://",
			      var, value, (int)(sep - value), value);
	else
		shp_error_set(err, SHP_EXIT_INPUT, "%s=%s: not a unix://PATH or tcp://HOST:PORT", var, value);
	return NULL;
}

static int is_tcp(const char *address) { return !strncmp(address, "tcp://", 6); }

static int is_socket(const char *path, int *why)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		*why = errno;
		return 0;
	}
	*why = ENOTSOCK;
	return S_ISSOCK(st.st_mode);
}

/* A socket named by the user (the flag, an environment variable): used as it is, or an
 * error saying what is there. A TCP address is tried when it is asked. */
static char *named(const char *how, char *path, struct shp_error **err)
{
	int why;
	if (is_tcp(path) || is_socket(path, &why))
		return path;
	shp_error_set(err, SHP_EXIT_INPUT, "no engine socket at %s (%s): %s", path, how, strerror(why));
	free(path);
	return NULL;
}

char *shp_engine_socket(const char *flag, struct shp_error **err)
{
	if (flag) {
		if (!strstr(flag, "://"))
			return named("--engine-socket", shp_xstrdup(flag), err);
		char *a = host_address("--engine-socket", flag, err);
		return a ? named("--engine-socket", a, err) : NULL;
	}
	static const char *const vars[] = {"DOCKER_HOST", "CONTAINER_HOST"};
	for (size_t i = 0; i < SHP_ARRAY_LEN(vars); i++) {
		const char *v = getenv(vars[i]);
		if (!v || !*v)
			continue;
		char *p = host_address(vars[i], v, err);
		if (!p)
			return NULL;
		_cleanup_free_ char *how = shp_asprintf("%s", vars[i]);
		return named(how, p, err);
	}
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char *paths[3] = {
		shp_xstrdup("/var/run/docker.sock"),
		xdg && *xdg ? shp_asprintf("%s/podman/podman.sock", xdg) : NULL,
		shp_xstrdup("/run/podman/podman.sock"),
	};
	char *found = NULL;
	struct shp_buf tried = {0};
	for (size_t i = 0; i < SHP_ARRAY_LEN(paths); i++) {
		int why = 0;
		if (!paths[i])
			continue;
		if (!found && is_socket(paths[i], &why))
			found = steal_pointer(&paths[i]);
		else if (!found)
			shp_buf_printf(&tried, "%s%s (%s)", tried.len ? ", " : "", paths[i], strerror(why));
		free(paths[i]);
	}
	if (!found)
		shp_error_set(err, SHP_EXIT_INPUT,
			      "no engine socket found: DOCKER_HOST and CONTAINER_HOST are not set, "
			      "--engine-socket not given, and none of these is a socket: %s",
			      tried.data ? tried.data : "");
	shp_buf_free(&tried);
	return found;
}

/* "1.41" as 1041; -1 when it is not MAJOR.MINOR. */
static long api_number(const char *v)
{
	char *end;
	long major = strtol(v, &end, 10);
	if (end == v || *end != '.' || major < 0 || major > 99)
		return -1;
	const char *m = end + 1;
	long minor = strtol(m, &end, 10);
	if (end == m || *end || minor < 0 || minor > 999)
		return -1;
	return major * 1000 + minor;
}

/* GET path (from "/") of the engine at e->socket. */
static int request(const struct shp_engine *e, const char *path, struct shp_http **out, struct shp_error **err)
{
	const char *socket = e->socket;
	int tcp = is_tcp(socket);
	/* over a unix socket, the host is a name curl sends and the engine ignores */
	_cleanup_free_ char *url = tcp ? shp_asprintf("%s://%s%s", e->tls ? "https" : "http", socket + 6, path)
				       : shp_asprintf("http://engine%s", path);
	struct shp_http_req req = {.url = url,
				   .method = SHP_HTTP_GET,
				   .unix_socket = tcp ? NULL : socket,
				   .tls = e->tls,
				   .timeout = e->timeout};
	if (shp_http_open(&req, out, err) < 0)
		return shp_error_wrap(err, "the engine at %s", socket);
	if ((*out)->status == 0) {
		shp_error_set(err, SHP_EXIT_INPUT, "the engine at %s: no answer: %s", socket,
			      (*out)->errbuf[0] ? (*out)->errbuf : "no response");
		shp_http_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

char *shp_engine_message(struct shp_http *h)
{
	char *body = NULL, *error = NULL;
	size_t len;
	char *msg = NULL;
	if (shp_http_read_all(h, SHP_ENGINE_MAX_JSON, &body, &len, &error) == 0) {
		cJSON *j = shp_json_parse("", body, len, NULL);
		const char *m = shp_json_str(j, "message");
		if (m && *m)
			msg = shp_asprintf("%s (HTTP %ld)", m, h->status);
		cJSON_Delete(j);
	}
	free(body);
	free(error);
	return msg ? msg : shp_asprintf("HTTP %ld", h->status);
}

/* The body of a 200 answer, whole. */
static int read_all(const char *socket, const char *what, struct shp_http *h, char **body, size_t *len,
		    struct shp_error **err)
{
	if (h->status != 200) {
		_cleanup_free_ char *m = shp_engine_message(h);
		return shp_error_set(err, SHP_EXIT_INPUT, "the engine at %s: %s: %s", socket, what, m);
	}
	_cleanup_free_ char *error = NULL;
	int r = shp_http_read_all(h, SHP_ENGINE_MAX_JSON, body, len, &error);
	if (r == -2)
		return shp_error_set(err, SHP_EXIT_INPUT, "the engine at %s: %s: more than %u bytes", socket, what,
				     SHP_ENGINE_MAX_JSON);
	if (r < 0)
		return shp_error_set(err, SHP_EXIT_INPUT, "the engine at %s: %s: %s", socket, what, error);
	return 0;
}

/* Docker's TLS for a TCP engine: DOCKER_CERT_PATH (else ~/.docker) holds ca.pem, cert.pem
 * and key.pem; without DOCKER_TLS_VERIFY the engine's certificate is not checked. */
static struct shp_http_tls *engine_tls(struct shp_engine *e)
{
	int verify;
	if (!tls_wanted(&verify))
		return NULL;
	const char *dir = getenv("DOCKER_CERT_PATH"), *home = getenv("HOME");
	e->cert_dir = dir && *dir ? shp_xstrdup(dir) : shp_asprintf("%s/.docker", home ? home : "");
	char **files[] = {&e->ca_file, &e->cert_file, &e->key_file};
	static const char *const names[] = {"ca.pem", "cert.pem", "key.pem"};
	for (size_t i = 0; i < SHP_ARRAY_LEN(names); i++) {
		char *f = shp_asprintf("%s/%s", e->cert_dir, names[i]);
		if (access(f, R_OK) == 0)
			*files[i] = f;
		else
			free(f);
	}
	struct shp_http_tls *t = shp_xcalloc(1, sizeof *t);
	t->insecure = !verify;
	t->cainfo = e->ca_file;
	t->cert = e->cert_file;
	t->key = e->key_file;
	return t;
}

int shp_engine_open(const char *socket, struct shp_engine **out, struct shp_error **err)
{
	_cleanup_(shp_engine_freep) struct shp_engine *e = shp_xcalloc(1, sizeof *e);
	e->socket = shp_xstrdup(socket);
	if (is_tcp(socket))
		e->tls = engine_tls(e);
	_cleanup_(shp_http_closep) struct shp_http *h = NULL;
	/* unversioned, and cheap (Podman takes seconds over /version): any engine answers it
	 * and says in Api-Version the newest version it speaks, as docker's client asks */
	if (request(e, "/_ping", &h, err) < 0)
		return -1;
	if (h->status != 200) {
		_cleanup_free_ char *m = shp_engine_message(h);
		return shp_error_set(err, SHP_EXIT_INPUT, "the engine at %s: GET /_ping: %s", socket, m);
	}
	const char *api = h->api_version;
	long n = api ? api_number(api) : -1;
	if (n < 0)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "the engine at %s: GET /_ping: no API version in the answer (not a "
				     "Docker-compatible engine?)",
				     socket);
	e->api = shp_xstrdup(n < api_number(SHP_ENGINE_API_MAX) ? api : SHP_ENGINE_API_MAX);
	*out = steal_pointer(&e);
	return 0;
}

void shp_engine_free(struct shp_engine *e)
{
	if (!e)
		return;
	free(e->socket);
	free(e->api);
	free(e->tls);
	free(e->cert_dir);
	free(e->ca_file);
	free(e->cert_file);
	free(e->key_file);
	free(e);
}

int shp_engine_get(const struct shp_engine *e, const char *path, struct shp_http **out, struct shp_error **err)
{
	_cleanup_free_ char *versioned = e->api ? shp_asprintf("/v%s%s", e->api, path) : NULL;
	return request(e, versioned ? versioned : path, out, err);
}

int shp_engine_get_all(const struct shp_engine *e, const char *path, char **body, size_t *len, struct shp_error **err)
{
	_cleanup_(shp_http_closep) struct shp_http *h = NULL;
	if (shp_engine_get(e, path, &h, err) < 0)
		return -1;
	_cleanup_free_ char *what = shp_asprintf("GET %s", path);
	return read_all(e->socket, what, h, body, len, err);
}
