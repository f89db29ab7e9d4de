/* engine-api.c - see engine-api.h. Two GETs through the engine client (engine/engine.h),
 * each bounded in time and size. */
#include "host/engine-api.h"
#include "audit/yaml.h"
#include "engine/engine.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Seconds one question to the engine may take: `host` only reports what it says. */
#define API_TIMEOUT 2

/* GET path over the unix socket, unversioned (any engine answers /version and /info); the
 * body (malloc'd) or NULL. */
static char *api_get(const char *sock, const char *path)
{
	struct shp_engine e = {.socket = (char *)sock, .timeout = API_TIMEOUT};
	struct shp_error *err = NULL;
	char *body = NULL;
	size_t len;
	if (shp_engine_get_all(&e, path, &body, &len, &err) < 0) {
		shp_error_free(err);
		return NULL;
	}
	return body;
}

int shp_host_api(const char *socket_path, struct shp_buf *json, struct shp_buf *text)
{
	_cleanup_free_ char *ver = api_get(socket_path, "/version");
	if (!ver)
		return -1;
	_cleanup_free_ char *info = api_get(socket_path, "/info");
	struct shp_ystream v = {0}, in = {0};
	struct shp_error *err = NULL;
	if (shp_ystream_parse(&v, "version", ver, strlen(ver), &err) < 0 || !v.n) {
		shp_error_free(err);
		shp_ystream_free(&v);
		return -1;
	}
	if (info && shp_ystream_parse(&in, "info", info, strlen(info), &err) < 0) {
		shp_error_free(err);
		err = NULL;
	}
	yaml_document_t *vd = &v.docs[0];
	const char *version = shp_y_str(shp_y_get(vd, shp_y_root(vd), "Version"));
	const char *api = shp_y_str(shp_y_get(vd, shp_y_root(vd), "ApiVersion"));
	shp_buf_puts(json, ",\"engine_api\":{\"socket\":");
	shp_buf_json_str(json, socket_path);
	shp_buf_puts(json, ",\"version\":");
	shp_buf_json_str(json, version ? version : "");
	shp_buf_puts(json, ",\"api_version\":");
	shp_buf_json_str(json, api ? api : "");
	shp_buf_puts(json, ",\"security_options\":[");
	shp_buf_puts(text, "engine at ");
	shp_buf_term_str(text, socket_path);
	shp_buf_puts(text, ": version ");
	shp_buf_term_str(text, version ? version : "?");
	if (in.n) {
		yaml_document_t *id = &in.docs[0];
		ynode *so = shp_y_get(id, shp_y_root(id), "SecurityOptions");
		for (size_t i = 0; i < shp_y_len(so); i++) {
			const char *s = shp_y_str(shp_y_item(id, so, i));
			if (!s)
				continue;
			if (i)
				shp_buf_putc(json, ',');
			shp_buf_json_str(json, s);
			shp_buf_puts(text, i ? ", " : "; security options: ");
			shp_buf_term_str(text, s);
		}
	}
	shp_buf_puts(json, "]}");
	shp_buf_putc(text, '\n');
	shp_ystream_free(&v);
	shp_ystream_free(&in);
	return 0;
}
