/* engine-api.h - the live container engine, asked at its API socket (Docker's, or Podman's
 * compatible one): its version and security options, for `shipshape host` to show. */
#pragma once
#include "util/buf.h"

/* What the live engine says at its API socket (GET /version and /info), as JSON members
 * ("engine_api": {...}); 0 if it answered, -1 if not (then nothing is appended). */
int shp_host_api(const char *socket_path, struct shp_buf *json, struct shp_buf *text);
