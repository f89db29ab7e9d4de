/* engine.h - a Docker-compatible engine's API on its unix socket or over TCP (Docker, Podman,
 * Docker Desktop, Colima, a CI's docker:dind): where it is, the API version both sides speak, and requests
 * whose bodies are pulled as they come (an image's docker-save stream), over the HTTP layer
 * the registry client uses (registry/http.h). */
#pragma once
#include "util/error.h"

#include <stddef.h>

/* The newest API version asked for (Docker 20.10's, Podman 4's): an engine that speaks a
 * newer one is asked in this one, an older one in its own, as docker's client does. */
#define SHP_ENGINE_API_MAX "1.41"
/* Sanity limit: bytes of a JSON answer read whole (/version, /info, an error's message). */
#define SHP_ENGINE_MAX_JSON (1u << 20)

struct shp_http;
struct shp_http_tls;

struct shp_engine {
	char *socket;		  /* its address: a unix socket's path, or tcp://HOST:PORT */
	char *api;		  /* the API version used in paths: "1.41"; NULL: unversioned paths */
	long timeout;		  /* seconds a request may take (0: only the stall bounds of registry/http.h) */
	struct shp_http_tls *tls; /* over TCP with DOCKER_TLS_VERIFY or DOCKER_TLS, else NULL */
	char *cert_dir, *ca_file, *cert_file, *key_file; /* what tls points into */
};

/* Where the engine is: flag (--engine-socket: a path, or a host as DOCKER_HOST writes it)
 * when given, else DOCKER_HOST, else CONTAINER_HOST (unix://PATH or tcp://HOST[:PORT]; as
 * docker, a host set there is the engine, found or not), else the first of
 * /var/run/docker.sock, $XDG_RUNTIME_DIR/podman/podman.sock and /run/podman/podman.sock
 * that is a socket. Returns a socket's path or tcp://HOST:PORT (docker's default port: 2376
 * with TLS, else 2375); caller frees. NULL with err (exit 3): a socket named that is
 * missing, an ssh:// host (not spoken), none found (the message lists the places tried). */
char *shp_engine_socket(const char *flag, struct shp_error **err);

/* Asks the engine at socket (as shp_engine_socket gives it) the API versions it speaks (GET
 * /_ping) and settles on the one to use. Over TCP, docker's TLS settings: DOCKER_TLS_VERIFY
 * (HTTPS, verified against ca.pem) or DOCKER_TLS (HTTPS, not verified), the client's cert.pem
 * and key.pem, all from DOCKER_CERT_PATH, else ~/.docker. -1 with err (exit 3) naming the
 * socket when nothing answers there or the answer is not an engine's. Caller frees *out
 * with shp_engine_free. */
int shp_engine_open(const char *socket, struct shp_engine **out, struct shp_error **err);
void shp_engine_free(struct shp_engine *e);
static inline void shp_engine_freep(struct shp_engine **e) { shp_engine_free(*e); }

/* GET /vAPI/path (path escaped by the caller; /path when e->api is NULL): 0 with the response's status and headers in
 * *out, its body read with shp_http_read (registry/http.h); -1 with err (exit 3, naming the
 * socket) when no response came. Caller closes *out with shp_http_close. */
int shp_engine_get(const struct shp_engine *e, const char *path, struct shp_http **out, struct shp_error **err);
/* The same, the body read whole (at most SHP_ENGINE_MAX_JSON bytes, NUL-terminated; caller
 * frees) when the status is 200: -1 with err (exit 3) for another status (the engine's
 * message in it) or a body that breaks off or is too large. */
int shp_engine_get_all(const struct shp_engine *e, const char *path, char **body, size_t *len, struct shp_error **err);
/* The engine's words about a failed request: the "message" of a JSON body of at most
 * SHP_ENGINE_MAX_JSON bytes, else "HTTP STATUS". Caller frees. */
char *shp_engine_message(struct shp_http *h);
