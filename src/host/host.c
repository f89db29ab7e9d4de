/* host.c - the inspection of a container host's root directory (see host.h): its files read
 * as a chroot would see them, the engine sockets found there, the names of its users and
 * groups, and daemon.json. The rules that judge what is found are in rules/host.c. */
#include "host/host.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *shp_host_path(const struct shp_host_ctx *ctx, const char *p)
{
	if (!strcmp(ctx->root, "/"))
		return shp_xstrdup(p);
	return shp_asprintf("%s%s", ctx->root, p);
}

/* The files of the host are opened inside its root, as a chroot would see them: an absolute
 * symlink (/var/run -> /run, or daemon.json -> /etc/shadow) and ".." resolve in the root,
 * never on the host running the scan (RESOLVE_IN_ROOT); and a FIFO or device where a file is
 * expected is refused, not waited on (SHP_OPEN_FOUND). errno is kept: ENOENT is absent. */
static int host_open(const struct shp_host_ctx *ctx, const char *p, unsigned how, struct shp_error **err)
{
	int rootfd = open(ctx->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return shp_error_errno(err, errno, "%s", ctx->root);
	_cleanup_free_ char *shown = shp_host_path(ctx, p);
	int fd = shp_open_at(rootfd, p, how | SHP_OPEN_IN_ROOT, shown, err);
	int e = errno;
	close(rootfd);
	errno = e;
	return fd;
}

int shp_host_read(const struct shp_host_ctx *ctx, const char *p, size_t limit, char **text, size_t *len,
		  struct shp_error **err)
{
	int rootfd = open(ctx->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return shp_error_errno(err, errno, "%s", ctx->root);
	_cleanup_free_ char *shown = shp_host_path(ctx, p);
	int rc = shp_read_file_at(rootfd, p, SHP_OPEN_FOUND | SHP_OPEN_IN_ROOT, shown, limit, text, len, err);
	int e = errno;
	close(rootfd);
	errno = e;
	return rc;
}

int shp_host_lstat(const struct shp_host_ctx *ctx, const char *p, struct stat *st)
{
	int fd = host_open(ctx, p, SHP_OPEN_LSTAT, NULL);
	if (fd < 0)
		return -1;
	int rc = fstat(fd, st);
	close(fd);
	return rc;
}

DIR *shp_host_opendir(const struct shp_host_ctx *ctx, const char *p)
{
	int fd = host_open(ctx, p, SHP_OPEN_FOUND | SHP_OPEN_DIR, NULL);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (fd >= 0 && !d)
		close(fd);
	return d;
}

/* ---- names of users and groups, from the root's own files --------------------------------- */

char *shp_host_name_of(const struct shp_host_ctx *ctx, const char *file, long id)
{
	_cleanup_free_ char *text = NULL;
	struct shp_error *err = NULL;
	if (shp_host_read(ctx, file, 4u << 20, &text, NULL, &err) < 0) {
		shp_error_free(err);
		return NULL;
	}
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *f1 = strchr(l, ':'), *f2 = f1 ? strchr(f1 + 1, ':') : NULL;
		if (f2 && strtol(f2 + 1, NULL, 10) == id && f2[1] >= '0' && f2[1] <= '9')
			return shp_xstrndup(l, (size_t)(f1 - l));
	}
	return NULL;
}

/* ---- loading ----------------------------------------------------------------------------- */

static void add_socket(struct shp_host_ctx *ctx, const char *path, const char *engine, long rootless, size_t *cap)
{
	struct stat st;
	if (shp_host_lstat(ctx, path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return;
	for (size_t i = 0; i < ctx->nsockets; i++)
		if (ctx->sockets[i].st.st_ino == st.st_ino && ctx->sockets[i].st.st_dev == st.st_dev)
			return; /* /run and /var/run are one directory */
	struct shp_host_socket s = {shp_xstrdup(path), engine, st, rootless};
	SHP_PUSH(ctx->sockets, ctx->nsockets, *cap, s);
}

int shp_host_load(struct shp_host_ctx *ctx, struct shp_error **err)
{
	static const struct {
		const char *path, *engine;
	} socks[] = {
		{"/var/run/docker.sock", "docker"},
		{"/run/docker.sock", "docker"},
		{"/run/containerd/containerd.sock", "containerd"},
		{"/var/run/containerd/containerd.sock", "containerd"},
		{"/run/crio/crio.sock", "cri-o"},
		{"/var/run/crio/crio.sock", "cri-o"},
		{"/run/podman/podman.sock", "podman"},
	};
	size_t cap = 0;
	for (size_t i = 0; i < sizeof socks / sizeof socks[0]; i++)
		add_socket(ctx, socks[i].path, socks[i].engine, -1, &cap);
	/* rootless engines: /run/user/UID/docker.sock, /run/user/UID/podman/podman.sock */
	DIR *d = shp_host_opendir(ctx, "/run/user");
	for (struct dirent *de; d && (de = readdir(d));) {
		char *end;
		long uid = strtol(de->d_name, &end, 10);
		if (*end || end == de->d_name)
			continue;
		char p[300];
		snprintf(p, sizeof p, "/run/user/%ld/docker.sock", uid);
		add_socket(ctx, p, "docker", uid, &cap);
		snprintf(p, sizeof p, "/run/user/%ld/podman/podman.sock", uid);
		add_socket(ctx, p, "podman", uid, &cap);
	}
	if (d)
		closedir(d);
	static const char *const docker_files[] = {"/etc/docker", "/usr/bin/dockerd", "/usr/sbin/dockerd",
						   "/lib/systemd/system/docker.service",
						   "/usr/lib/systemd/system/docker.service"};
	for (size_t i = 0; i < sizeof docker_files / sizeof docker_files[0] && !ctx->docker; i++) {
		struct stat st;
		ctx->docker = shp_host_lstat(ctx, docker_files[i], &st) == 0;
	}
	for (size_t i = 0; i < ctx->nsockets; i++)
		ctx->docker |= !strcmp(ctx->sockets[i].engine, "docker") && ctx->sockets[i].rootless_uid < 0;
	ctx->daemon_path = shp_host_path(ctx, "/etc/docker/daemon.json");
	_cleanup_free_ char *text = NULL;
	size_t len;
	struct shp_error *e2 = NULL;
	if (shp_host_read(ctx, "/etc/docker/daemon.json", 1u << 20, &text, &len, &e2) < 0) {
		int missing = errno == ENOENT; /* a link to a file not in the root is absent too */
		if (!missing) {
			*err = e2;
			return -1;
		}
		shp_error_free(e2);
		return 0;
	}
	return shp_host_load_daemon(ctx, text, len, err);
}

int shp_host_load_daemon(struct shp_host_ctx *ctx, const char *text, size_t len, struct shp_error **err)
{
	const char *dj = ctx->daemon_path;
	/* dockerd reads it as strict JSON, so must we (the YAML reader, which gives the lines,
	 * would take what dockerd refuses) */
	cJSON *strict = shp_json_parse(dj, text, len, err);
	if (!strict)
		return -1;
	cJSON_Delete(strict);
	if (shp_ystream_parse(&ctx->daemon, dj, text, len, err) < 0)
		return -1;
	if (ctx->daemon.n && !shp_y_is_map(shp_y_root(&ctx->daemon.docs[0]))) {
		shp_ystream_free(&ctx->daemon);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:1:1: expected a JSON object", dj);
	}
	return 0;
}

void shp_host_free(struct shp_host_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nsockets; i++)
		free(ctx->sockets[i].path);
	free(ctx->sockets);
	shp_ystream_free(&ctx->daemon);
	free((char *)ctx->daemon_path);
}
