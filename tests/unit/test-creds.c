/* test-creds.c - registry credentials: the flags, auth.json and config.json in their order,
 * the keys docker writes (host, host:port, URLs, Docker Hub's), identity tokens, and
 * credential helpers (scripts written here, put first on PATH), with a temporary HOME. */
#include "registry/creds.h"
#include "util/xalloc.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

static char dir[64];
static char *old_path;

static void write_file(const char *rel, const char *text, int mode)
{
	char *path = shp_asprintf("%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, (mode_t)mode);
	free(path);
}

static char *in_dir(const char *rel) { return shp_asprintf("%s/%s", dir, rel); }

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **s)
{
	(void)s;
	strcpy(dir, "/tmp/shp-creds-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char *home = in_dir("home");
	mkdir(home, 0700);
	setenv("HOME", home, 1);
	free(home);
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("REGISTRY_AUTH_FILE");
	unsetenv("DOCKER_CONFIG");
	old_path = shp_xstrdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	char *path = shp_asprintf("%s/bin:%s", dir, old_path);
	setenv("PATH", path, 1);
	free(path);
	shp_creds_helper_timeout_ms = SHP_CREDS_HELPER_SECONDS * 1000;
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	setenv("PATH", old_path, 1);
	free(old_path);
	return 0;
}

/* lookup for host: its return code, out filled, the message (or NULL) in *msg (freed by
 * the caller). */
static int lookup(const char *host, const struct shp_creds_flags *flags, struct shp_creds *out, char **msg)
{
	struct shp_error *err = NULL;
	int rc = shp_creds_lookup(host, flags, out, &err);
	*msg = err ? shp_xstrdup(err->msg) : NULL;
	if (err)
		assert_int_equal(err->code, SHP_EXIT_INPUT);
	shp_error_free(err);
	if (rc < 0)
		assert_non_null(*msg);
	return rc;
}

static void test_flags_first(void **s)
{
	(void)s;
	/* a config that would answer otherwise */
	write_file("home/.docker/config.json", "{\"auths\":{\"r.example\":{\"auth\":\"dTpw\"}}}", 0600);
	struct shp_creds c;
	char *msg;
	struct shp_creds_flags f = {.username = "alice", .password = "pw"};
	assert_int_equal(lookup("r.example", &f, &c, &msg), 1);
	assert_string_equal(c.username, "alice");
	assert_string_equal(c.password, "pw");
	assert_null(c.bearer);
	assert_string_equal(c.source, "--username/--password");
	shp_creds_free(&c);
	struct shp_creds_flags t = {.registry_token = "tok"};
	assert_int_equal(lookup("r.example", &t, &c, &msg), 1);
	assert_string_equal(c.bearer, "tok");
	assert_null(c.username);
	assert_string_equal(c.source, "--registry-token");
	shp_creds_free(&c);
	/* no flags: the file */
	struct shp_creds_flags none = {0};
	assert_int_equal(lookup("r.example", &none, &c, &msg), 1);
	assert_string_equal(c.username, "u");
	assert_string_equal(c.password, "p");
	shp_creds_free(&c);
}

static void test_nothing(void **s)
{
	(void)s;
	struct shp_creds c;
	char *msg;
	assert_int_equal(lookup("r.example", NULL, &c, &msg), 0);
	assert_null(msg);
	assert_null(c.username);
	assert_null(c.source);
	/* a file for other registries only */
	write_file("home/.docker/config.json", "{\"auths\":{\"other.example\":{\"auth\":\"dTpw\"}}}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), 0);
	/* not a prefix match: r.example.evil is another host */
	write_file("home/.docker/config.json", "{\"auths\":{\"r.example.evil\":{\"auth\":\"dTpw\"}}}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), 0);
}

static void test_config_keys(void **s)
{
	(void)s;
	/* base64("bob:pa:ss") - the password may hold ':' */
	write_file("home/.docker/config.json",
		   "{\"auths\":{"
		   "\"127.0.0.1:5000\":{\"auth\":\"Ym9iOnBhOnNz\"},"
		   "\"https://ghcr.io/v2/\":{\"auth\":\"dXJsOnVybA==\"},"
		   "\"ghcr.io\":{\"auth\":\"ZXhhY3Q6ZXhhY3Q=\"},"
		   "\"http://quay.example\":{\"username\":\"old\",\"password\":\"style\"},"
		   "\"https://index.docker.io/v1/\":{\"auth\":\"aHViOmh1Yg\"}}}",
		   0600);
	struct shp_creds c;
	char *msg;
	assert_int_equal(lookup("127.0.0.1:5000", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "bob");
	assert_string_equal(c.password, "pa:ss");
	char *want = in_dir("home/.docker/config.json");
	assert_string_equal(c.source, want);
	free(want);
	shp_creds_free(&c);
	assert_int_equal(lookup("127.0.0.1:5001", NULL, &c, &msg), 0);
	/* the exact key wins over a URL of the same host */
	assert_int_equal(lookup("ghcr.io", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "exact");
	shp_creds_free(&c);
	assert_int_equal(lookup("quay.example", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "old");
	assert_string_equal(c.password, "style");
	shp_creds_free(&c);
	/* Docker Hub under its historical key, padding left out */
	assert_int_equal(lookup("docker.io", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "hub");
	assert_string_equal(c.password, "hub");
	shp_creds_free(&c);
}

static void test_identity_token(void **s)
{
	(void)s;
	write_file("home/.docker/config.json",
		   "{\"auths\":{\"r.example\":{\"auth\":\"dXNlcjo=\",\"identitytoken\":\"id-123\"},"
		   "\"s.example\":{\"identitytoken\":\"id-456\"}}}",
		   0600);
	struct shp_creds c;
	char *msg;
	assert_int_equal(lookup("r.example", NULL, &c, &msg), 1);
	assert_string_equal(c.identity_token, "id-123");
	assert_string_equal(c.username, "user");
	assert_string_equal(c.password, "");
	shp_creds_free(&c);
	assert_int_equal(lookup("s.example", NULL, &c, &msg), 1);
	assert_string_equal(c.identity_token, "id-456");
	assert_null(c.password);
	shp_creds_free(&c);
}

static void test_file_order(void **s)
{
	(void)s;
	write_file("cfg/config.json",
		   "{\"auths\":{\"a.example\":{\"auth\":\"ZDpk\"},\"b.example\":{\"auth\":\"ZDpk\"}}}", 0600);
	write_file("home/.docker/config.json", "{\"auths\":{\"a.example\":{\"auth\":\"aDpo\"}}}", 0600);
	write_file("run/containers/auth.json", "{\"auths\":{\"a.example\":{\"auth\":\"eDp4\"}}}", 0600);
	write_file("home/.config/containers/auth.json", "{\"auths\":{\"c.example\":{\"auth\":\"Yzpj\"}}}", 0600);
	write_file("auth.json", "{\"auths\":{\"a.example\":{\"auth\":\"cjpy\"}}}", 0600);
	struct shp_creds c;
	char *msg;
	/* ~/.docker/config.json alone */
	assert_int_equal(lookup("a.example", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "h");
	shp_creds_free(&c);
	/* $DOCKER_CONFIG replaces ~/.docker */
	char *cfg = in_dir("cfg");
	setenv("DOCKER_CONFIG", cfg, 1);
	free(cfg);
	assert_int_equal(lookup("a.example", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "d");
	shp_creds_free(&c);
	/* containers' auth.json comes before docker's */
	char *run = in_dir("run");
	setenv("XDG_RUNTIME_DIR", run, 1);
	free(run);
	assert_int_equal(lookup("a.example", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "x");
	char *want = in_dir("run/containers/auth.json");
	assert_string_equal(c.source, want);
	free(want);
	shp_creds_free(&c);
	char *af = in_dir("auth.json");
	setenv("REGISTRY_AUTH_FILE", af, 1);
	assert_int_equal(lookup("a.example", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "r");
	assert_string_equal(c.source, af);
	free(af);
	shp_creds_free(&c);
	/* a host only a later file knows is found there */
	assert_int_equal(lookup("b.example", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "d");
	shp_creds_free(&c);
	assert_int_equal(lookup("c.example", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "c");
	shp_creds_free(&c);
}

static void test_bad_files(void **s)
{
	(void)s;
	struct shp_creds c;
	char *msg;
	/* c2VjcmV0LXB3 is base64 of secret-pw */
	write_file("home/.docker/config.json", "{\"auths\":{\"r.example\":{\"auth\":\"dTpzZWNyZXQtcHc=\"}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), -1);
	assert_non_null(strstr(msg, "/home/.docker/config.json"));
	assert_null(strstr(msg, "secret-pw"));
	assert_null(c.username);
	free(msg);
	write_file("home/.docker/config.json", "[1]", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), -1);
	assert_non_null(strstr(msg, "not a JSON object"));
	free(msg);
	write_file("home/.docker/config.json", "{\"auths\":{\"r.example\":{\"auth\":\"!!notbase64\"}}}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), -1);
	assert_non_null(strstr(msg, "auths.\"r.example\".auth is not base64 of user:password"));
	free(msg);
	/* base64 with no ':' in it */
	write_file("home/.docker/config.json", "{\"auths\":{\"r.example\":{\"auth\":\"c2VjcmV0LXB3\"}}}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), -1);
	assert_null(strstr(msg, "secret-pw"));
	assert_null(strstr(msg, "c2VjcmV0LXB3"));
	free(msg);
	/* a directory where the file should be */
	char *d = in_dir("home/.docker/config.json");
	unlink(d);
	mkdir(d, 0700);
	free(d);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), -1);
	assert_non_null(strstr(msg, "config.json"));
	free(msg);
}

/* A helper script: records its arguments and standard input in DIR/asked, then runs body. */
static void helper(const char *name, const char *body)
{
	char *rel = shp_asprintf("bin/docker-credential-%s", name);
	char *asked = in_dir("asked");
	char *text = shp_asprintf("#!/bin/sh\n{ echo \"$*\"; cat; echo; } > '%s'\n%s\n", asked, body);
	write_file(rel, text, 0755);
	free(rel);
	free(asked);
	free(text);
}

static char *asked(void)
{
	char *p = in_dir("asked");
	FILE *f = fopen(p, "r");
	free(p);
	assert_non_null(f);
	char *buf = shp_xcalloc(1, 4096);
	size_t n = fread(buf, 1, 4095, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_cred_helpers(void **s)
{
	(void)s;
	helper("good", "echo '{\"ServerURL\":\"x\",\"Username\":\"helped\",\"Secret\":\"hs\"}'");
	helper("tok", "echo '{\"ServerURL\":\"x\",\"Username\":\"<token>\",\"Secret\":\"refresh-1\"}'");
	helper("store", "echo '{\"ServerURL\":\"x\",\"Username\":\"stored\",\"Secret\":\"ss\"}'");
	write_file("home/.docker/config.json",
		   "{\"credHelpers\":{\"127.0.0.1:5000\":\"good\",\"docker.io\":\"tok\"},"
		   "\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"dTpw\"},\"s.example\":{}},\"credsStore\":\"store\"}",
		   0600);
	struct shp_creds c;
	char *msg;
	/* credHelpers before auths */
	assert_int_equal(lookup("127.0.0.1:5000", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "helped");
	assert_string_equal(c.password, "hs");
	assert_string_equal(c.source, "credential helper docker-credential-good");
	shp_creds_free(&c);
	char *a = asked();
	assert_string_equal(a, "get\n127.0.0.1:5000\n");
	free(a);
	/* Docker Hub's helper is asked with its historical server address; <token>: identity token */
	assert_int_equal(lookup("docker.io", NULL, &c, &msg), 1);
	assert_string_equal(c.identity_token, "refresh-1");
	assert_null(c.password);
	shp_creds_free(&c);
	a = asked();
	assert_string_equal(a, "get\nhttps://index.docker.io/v1/\n");
	free(a);
	/* the store for hosts with an empty auths entry, and for those with none */
	assert_int_equal(lookup("s.example", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "stored");
	assert_string_equal(c.source, "credential helper docker-credential-store");
	shp_creds_free(&c);
	assert_int_equal(lookup("t.example", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "stored");
	shp_creds_free(&c);
}

static void test_helper_not_found_is_none(void **s)
{
	(void)s;
	/* as the protocol's helpers say it: on standard output, exit 1 */
	helper("empty", "echo 'credentials not found in native keychain'; exit 1");
	write_file("home/.docker/config.json", "{\"credsStore\":\"empty\"}", 0600);
	struct shp_creds c;
	char *msg;
	assert_int_equal(lookup("r.example", NULL, &c, &msg), 0);
	assert_null(msg);
	/* and the next file is still looked in */
	write_file("home/.config/containers/auth.json", "{\"credHelpers\":{\"r.example\":\"empty\"}}", 0600);
	write_file("home/.docker/config.json", "{\"auths\":{\"r.example\":{\"auth\":\"dTpw\"}}}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), 1);
	assert_string_equal(c.username, "u");
	shp_creds_free(&c);
}

static void test_helper_failures(void **s)
{
	(void)s;
	struct shp_creds c;
	char *msg;
	helper("fails", "echo 'keyring locked'; echo 'second line' >&2; exit 3");
	write_file("home/.docker/config.json", "{\"credsStore\":\"fails\"}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), -1);
	assert_non_null(strstr(msg,
			       "config.json: credsStore: credential helper docker-credential-fails: exit status 3: "
			       "keyring locked"));
	free(msg);
	/* not found on PATH */
	write_file("home/.docker/config.json", "{\"credHelpers\":{\"r.example\":\"absent\"}}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), -1);
	assert_non_null(strstr(msg, "docker-credential-absent: not found on PATH"));
	free(msg);
	/* a name that would be a path */
	write_file("home/.docker/config.json", "{\"credsStore\":\"../../bin/sh\"}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), -1);
	assert_non_null(strstr(msg, "is not a helper's name"));
	free(msg);
	/* an answer that is not the protocol's JSON, with a secret in it that must not be said */
	helper("garbled", "echo '{\"Username\":\"u\",\"Secret\":\"leaked-secret\"'");
	write_file("home/.docker/config.json", "{\"credsStore\":\"garbled\"}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), -1);
	assert_non_null(strstr(msg, "docker-credential-garbled: answer is not JSON with a Secret"));
	assert_null(strstr(msg, "leaked-secret"));
	free(msg);
	/* too much */
	helper("chatty", "head -c 300000 /dev/zero | tr '\\0' a");
	write_file("home/.docker/config.json", "{\"credsStore\":\"chatty\"}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), -1);
	assert_non_null(strstr(msg, "docker-credential-chatty: answer over 262144 bytes"));
	free(msg);
	/* a helper that never answers is killed */
	shp_creds_helper_timeout_ms = 300;
	helper("hangs", "exec sleep 60");
	write_file("home/.docker/config.json", "{\"credsStore\":\"hangs\"}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), -1);
	assert_non_null(strstr(msg, "docker-credential-hangs: no answer within 300 ms"));
	free(msg);
	/* nor one that closes its output and stays */
	helper("lingers", "echo '{\"Username\":\"u\",\"Secret\":\"s\"}'; exec sleep 60 >&-");
	write_file("home/.docker/config.json", "{\"credsStore\":\"lingers\"}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), -1);
	assert_non_null(strstr(msg, "docker-credential-lingers: no answer within 300 ms"));
	free(msg);
	/* one that exits without reading its input is no SIGPIPE for us */
	write_file("bin/docker-credential-deaf", "#!/bin/sh\necho '{\"Username\":\"u\",\"Secret\":\"s\"}'\n", 0755);
	write_file("home/.docker/config.json", "{\"credsStore\":\"deaf\"}", 0600);
	assert_int_equal(lookup("r.example", NULL, &c, &msg), 1);
	shp_creds_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flags_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identity_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cred_helpers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_helper_not_found_is_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_helper_failures, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
