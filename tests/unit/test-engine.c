/* test-engine.c - where the engine's API socket is looked for: the flag, then DOCKER_HOST,
 * then CONTAINER_HOST (unix:// only, and used found or not), then the usual paths, the
 * message naming what was tried; sockets are made in a temp dir. */
#include "engine/engine.h"
#include "util/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
/* cmocka needs setjmp.h and the others before it */
#include <cmocka.h>

static char dir[64];

/* A unix socket at path (bound, not listening: found is all these tests ask). */
static void make_socket(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	assert_true(strlen(path) < sizeof a.sun_path);
	strcpy(a.sun_path, path);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	close(fd);
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test-engine-XXXXXX");
	assert_non_null(mkdtemp(dir));
	unsetenv("DOCKER_HOST");
	unsetenv("CONTAINER_HOST");
	setenv("XDG_RUNTIME_DIR", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* shp_engine_socket's answer, or its message prefixed with "error: ". */
static char *find(const char *flag)
{
	struct shp_error *err = NULL;
	char *s = shp_engine_socket(flag, &err);
	if (s)
		return s;
	assert_int_equal(err->code, SHP_EXIT_INPUT);
	char *m = shp_asprintf("error: %s", err->msg);
	shp_error_free(err);
	return m;
}

static void test_flag_and_environment(void **state)
{
	(void)state;
	char *a = shp_asprintf("%s/a.sock", dir), *b = shp_asprintf("%s/b.sock", dir);
	make_socket(a);
	make_socket(b);
	char *s = find(a);
	assert_string_equal(s, a);
	free(s);
	/* the flag wins over the environment */
	char *host = shp_asprintf("unix://%s", b);
	setenv("DOCKER_HOST", host, 1);
	s = find(a);
	assert_string_equal(s, a);
	free(s);
	s = find(NULL);
	assert_string_equal(s, b);
	free(s);
	/* DOCKER_HOST before CONTAINER_HOST; CONTAINER_HOST alone */
	char *host_a = shp_asprintf("unix://%s", a);
	setenv("CONTAINER_HOST", host_a, 1);
	s = find(NULL);
	assert_string_equal(s, b);
	free(s);
	unsetenv("DOCKER_HOST");
	s = find(NULL);
	assert_string_equal(s, a);
	free(s);
	unsetenv("CONTAINER_HOST");
	free(host);
	free(host_a);
	free(a);
	free(b);
}

static void test_refused(void **state)
{
	(void)state;
	static const struct {
		const char *flag, *docker_host, *want;
	} cases[] = {
		{NULL, "ssh://me@host", "an engine reached over ssh:// is not read"},
		{NULL, "unix://", "DOCKER_HOST=unix://: not a unix://PATH or tcp://HOST:PORT"},
		{NULL, "/var/run/docker.sock", "not a unix://PATH"},
		{NULL, "tcp://", "DOCKER_HOST=tcp://: not a unix://PATH or tcp://HOST:PORT"},
		{NULL, "tcp://docker:2375/x", "DOCKER_HOST=tcp://docker:2375/x: a path after tcp://HOST:PORT"},
		{"ssh://me@host", NULL, "--engine-socket=ssh://me@host: an engine reached over ssh:// is not read"},
		/* a socket named that is not there is not replaced by another */
		{NULL, "unix:///nonexistent/engine.sock", "no engine socket at /nonexistent/engine.sock (DOCKER_HOST)"},
		{"/nonexistent/engine.sock", NULL, "no engine socket at /nonexistent/engine.sock (--engine-socket)"},
		{"/", NULL, "(--engine-socket): Socket operation on non-socket"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].docker_host)
			setenv("DOCKER_HOST", cases[i].docker_host, 1);
		else
			unsetenv("DOCKER_HOST");
		char *s = find(cases[i].flag);
		if (!strstr(s, cases[i].want))
			fail_msg("case %zu: got \"%s\", want \"%s\" in it", i, s, cases[i].want);
		assert_true(!strncmp(s, "error: ", 7));
		free(s);
	}
	unsetenv("DOCKER_HOST");
}

/* tcp:// hosts as docker writes them, with docker's default ports */
static void test_tcp(void **state)
{
	(void)state;
	static const struct {
		const char *flag, *docker_host, *tls_verify, *want;
	} cases[] = {
		{NULL, "tcp://docker:2375", NULL, "tcp://docker:2375"},
		{NULL, "tcp://docker:2375/", NULL, "tcp://docker:2375"},
		{NULL, "tcp://docker", NULL, "tcp://docker:2375"},
		{NULL, "tcp://docker", "1", "tcp://docker:2376"},
		{NULL, "tcp://[::1]", NULL, "tcp://[::1]:2375"},
		{NULL, "tcp://[::1]:4243", NULL, "tcp://[::1]:4243"},
		{"tcp://10.0.0.2:2376", "unix:///nonexistent", NULL, "tcp://10.0.0.2:2376"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		setenv("DOCKER_HOST", cases[i].docker_host, 1);
		if (cases[i].tls_verify)
			setenv("DOCKER_TLS_VERIFY", cases[i].tls_verify, 1);
		else
			unsetenv("DOCKER_TLS_VERIFY");
		char *s = find(cases[i].flag);
		if (strcmp(s, cases[i].want))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, s, cases[i].want);
		free(s);
	}
	unsetenv("DOCKER_HOST");
	unsetenv("DOCKER_TLS_VERIFY");
}

static void test_usual_places(void **state)
{
	(void)state;
	struct stat st;
	if (stat("/var/run/docker.sock", &st) == 0) {
		skip(); /* the machine's own engine comes first */
		return;
	}
	char *s = find(NULL);
	if (stat("/run/podman/podman.sock", &st) < 0) {
		/* none: every place tried is named */
		char *xdg = shp_asprintf("%s/podman/podman.sock (No such file or directory)", dir);
		assert_non_null(strstr(s, "error: no engine socket found"));
		assert_non_null(strstr(s, "/var/run/docker.sock (No such file or directory)"));
		assert_non_null(strstr(s, xdg));
		assert_non_null(strstr(s, "/run/podman/podman.sock (No such file or directory)"));
		free(xdg);
	}
	free(s);
	/* a rootless podman's socket under XDG_RUNTIME_DIR */
	char *pd = shp_asprintf("%s/podman", dir), *p = shp_asprintf("%s/podman/podman.sock", dir);
	assert_int_equal(mkdir(pd, 0700), 0);
	make_socket(p);
	s = find(NULL);
	assert_string_equal(s, p);
	free(s);
	free(p);
	free(pd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flag_and_environment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usual_places, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
