/* engine-api.c - see engine-api.h. A minimal HTTP/1.0 client over the engine's unix socket:
 * two GETs, each bounded in time and size, and nothing sent but the request line. */
#include "host/engine-api.h"
#include "audit/yaml.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/* GET path over the unix socket; the body (malloc'd) or NULL. One second per step at most. */
static char *api_get(const char *sock, const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(sock) >= sizeof a.sun_path) {
		close(fd);
		return NULL;
	}
	strcpy(a.sun_path, sock);
	struct timeval tv = {1, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return NULL;
	}
	char req[256];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: docker\r\n\r\n", path);
	if (write(fd, req, (size_t)n) != n) {
		close(fd);
		return NULL;
	}
	struct shp_buf b = {0};
	char buf[8192];
	ssize_t r;
	while (b.len < (1u << 20) && (r = read(fd, buf, sizeof buf)) > 0)
		shp_buf_add(&b, buf, (size_t)r);
	close(fd);
	char *body = b.data ? strstr(b.data, "\r\n\r\n") : NULL;
	if (!body || strncmp(b.data, "HTTP/1.", 7) || strncmp(b.data + 9, "200", 3)) {
		shp_buf_free(&b);
		return NULL;
	}
	char *out = shp_xstrdup(body + 4);
	shp_buf_free(&b);
	return out;
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
