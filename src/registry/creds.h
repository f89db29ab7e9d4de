/* creds.h - registry credentials where docker, podman and Trivy users keep them: the flags,
 * containers' auth.json ($REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json), docker's
 * config.json ($DOCKER_CONFIG/config.json, ~/.docker/config.json), and the credHelpers and
 * credsStore they name (docker-credential-NAME get, the helper protocol). */
#pragma once
#include "util/error.h"

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
 * helper. */
int shp_creds_lookup(const char *host, const struct shp_creds_flags *flags, struct shp_creds *out,
		     struct shp_error **err);
void shp_creds_free(struct shp_creds *c);
