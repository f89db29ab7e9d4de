/* creds.h - registry credentials where docker, podman and Trivy users keep them: the flags,
 * containers' auth.json ($REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json), docker's
 * config.json ($DOCKER_CONFIG/config.json, ~/.docker/config.json), and the credHelpers and
 * credsStore they name (docker-credential-NAME get, the helper protocol). */
#pragma once
#include "util/error.h"

/* Sanity limits. A config file is read whole (docker's with many registries and plugins'
 * settings stays far below); a helper's answer is one JSON object with a token in it (cloud
 * registries' tokens are a few KiB); a helper that waits on a locked keyring must not hang
 * a scan: it is killed after the time given. */
#define SHP_CREDS_MAX_FILE (4u << 20)
#define SHP_CREDS_HELPER_MAX_OUTPUT (256u << 10)
#define SHP_CREDS_HELPER_SECONDS 30
/* The helper's time in milliseconds (SHP_CREDS_HELPER_SECONDS; tests shorten it). */
extern unsigned shp_creds_helper_timeout_ms;

struct shp_creds {
	char *username, *password;
	char *identity_token; /* an OAuth2 refresh token (config.json's identitytoken) */
	char *bearer;	      /* a registry token given as is (--registry-token) */
	/* where they came from, for messages (never the secret): "--username/--password",
	 * "/root/.docker/config.json", "credential helper docker-credential-pass" */
	char *source;
};

struct shp_creds_flags {
	const char *username, *password, *registry_token;
};

/* The credentials for a registry host ("docker.io" is also found under Docker Hub's
 * historical keys, https://index.docker.io/v1/). 1 with out filled, 0 when there are none,
 * -1 with err (a config file that does not parse, a helper that fails) naming the file or
 * helper. The flags win when any is given; otherwise the first file that has credentials
 * for host: $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json,
 * ~/.config/containers/auth.json, then $DOCKER_CONFIG/config.json (~/.docker/config.json
 * without it). In a file, credHelpers[host] first, then auths (a key is the host, host:port,
 * or a URL of it such as https://host/v1/; the key that is the host exactly wins), then the
 * credsStore. A helper is docker-credential-NAME on PATH, run without a shell and asked with
 * the host (Docker Hub: https://index.docker.io/v1/) on its standard input; its "credentials
 * not found" is 0, not an error. out is freed with shp_creds_free (the secrets cleared). */
int shp_creds_lookup(const char *host, const struct shp_creds_flags *flags, struct shp_creds *out,
		     struct shp_error **err);
void shp_creds_free(struct shp_creds *c);
