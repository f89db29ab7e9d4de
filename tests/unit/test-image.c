/* test-image.c - the image engine's small parts: path normalisation, opening files inside a
 * root (with openat2 and without), digests, the content secret scanner (what it must and must
 * not report), a layer read from memory, the layer cache's records (round trip, truncation,
 * corruption, another build's, other analyzers'), the analyzers reading a tar stream and a
 * root directory alike, and the union's implicit directories. */
#include "image/analyzer.h"
#include "image/cache.h"
#include "image/image.h"
#include "image/progress.h"
#include "image/store.h"
#include "image/union.h"
#include "secret-samples.h"
#include "secrets/scan.h"
#include "util/buf.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/tarw.h"

#include <errno.h>
#include <fcntl.h>
#include <hs/hs.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>
/* cmocka needs setjmp.h and the others before it */
#include <cmocka.h>

static void test_path_normalize(void **s)
{
	(void)s;
	static const struct {
		const char *in, *out;
		int climbed;
	} cases[] = {
		{"./etc/passwd", "etc/passwd", 0},
		{"/abs//x/./y/", "abs/x/y", 0},
		{"a/b/../c", "a/c", 0},
		{"../../etc/shadow", "etc/shadow", 1},
		{"a/../../b", "b", 1},
		{".", "", 0},
		{"a/..", "", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[64];
		int climbed;
		strcpy(buf, cases[i].in);
		shp_path_normalize(buf, &climbed);
		assert_string_equal(buf, cases[i].out);
		assert_int_equal(climbed, cases[i].climbed);
	}
	char esc[] = "../x";
	assert_int_equal(shp_path_clean(esc), -1);
}

/* shp_open_at's cases under root (a directory made by test_open_at); the number that failed. */
static int open_at_cases(int root, const char *outside)
{
	static const struct {
		unsigned how;
		const char *path;
		const char *want; /* the content, or NULL for an error */
		int err;
	} cases[] = {
		{SHP_OPEN_FOUND | SHP_OPEN_IN_ROOT, "etc/real.txt", "inside", 0},
		{SHP_OPEN_FOUND | SHP_OPEN_IN_ROOT, "etc/abs", "inside", 0}, /* -> /etc/real.txt */
		{SHP_OPEN_FOUND | SHP_OPEN_IN_ROOT, "/etc/up", "inside", 0}, /* -> ../../../../etc/real.txt */
		{SHP_OPEN_FOUND | SHP_OPEN_IN_ROOT, "etc/dirlink/real.txt", "inside", 0}, /* -> /etc */
		{SHP_OPEN_FOUND | SHP_OPEN_IN_ROOT, "../../etc/./real.txt", "inside", 0},
		{SHP_OPEN_FOUND | SHP_OPEN_IN_ROOT, "etc/out", NULL, ENOENT}, /* -> the host's file */
		{SHP_OPEN_FOUND | SHP_OPEN_IN_ROOT, "fifo", NULL, EINVAL},    /* refused, not waited on */
		{SHP_OPEN_FOUND | SHP_OPEN_IN_ROOT, "etc/fifolink", NULL, EINVAL},
		{SHP_OPEN_FOUND | SHP_OPEN_IN_ROOT, "loop1", NULL, ELOOP},
		{SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS, "etc/real.txt", "inside", 0},
		{SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS, "etc/abs", NULL, ELOOP},
		{SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS, "etc/dirlink/real.txt", NULL, ELOOP},
		{SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS, "../etc/real.txt", NULL, EXDEV},
		{SHP_OPEN_FOUND | SHP_OPEN_NO_LINKS, "fifo", NULL, EINVAL},
	};
	int failed = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = NULL;
		struct shp_error *err = NULL;
		errno = 0;
		int rc = shp_read_file_at(root, cases[i].path, cases[i].how, NULL, 1024, &text, NULL, &err);
		int e = errno;
		int ok = cases[i].want ? rc == 0 && text && !strcmp(text, cases[i].want) : rc < 0 && e == cases[i].err;
		if (ok && text)
			ok = !strstr(text, outside);
		if (!ok) {
			fprintf(stderr, "case %zu (%s): rc %d errno %d text %s err %s\n", i, cases[i].path, rc, e,
				text ? text : "-", err ? err->msg : "-");
			failed++;
		}
		free(text);
		shp_error_free(err);
	}
	/* the link itself, for fstat */
	int fd = shp_open_at(root, "etc/abs", SHP_OPEN_LSTAT | SHP_OPEN_IN_ROOT, NULL, NULL);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISLNK(st.st_mode)) {
		fprintf(stderr, "SHP_OPEN_LSTAT did not give the link\n");
		failed++;
	}
	if (fd >= 0)
		close(fd);
	return failed;
}

/* A root with links of every kind, a FIFO and a loop; read with openat2 and then, in a child
 * whose seccomp filter makes openat2 ENOSYS, through the component-by-component fallback. */
static void test_open_at(void **s)
{
	(void)s;
	char dir[] = "/tmp/shipshape-openat-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char p[700], q[700];
	snprintf(p, sizeof p, "%s/outside.txt", dir);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("OUTSIDE", f);
	fclose(f);
	snprintf(p, sizeof p, "%s/root/etc", dir);
	assert_int_equal(shp_mkdirs(p), 0);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/root/etc/real.txt", dir);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("inside", f);
	fclose(f);
	static const char *const links[][2] = {{"etc/abs", "/etc/real.txt"}, {"etc/up", "../../../../etc/real.txt"},
					       {"etc/dirlink", "/etc"},	     {"etc/fifolink", "/fifo"},
					       {"loop1", "loop2"},	     {"loop2", "/loop1"}};
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		snprintf(p, sizeof p, "%s/root/%s", dir, links[i][0]);
		assert_int_equal(symlink(links[i][1], p), 0);
	}
	snprintf(p, sizeof p, "%s/root/etc/out", dir);
	snprintf(q, sizeof q, "%s/outside.txt", dir);
	assert_int_equal(symlink(q, p), 0);
	snprintf(p, sizeof p, "%s/root/fifo", dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	snprintf(p, sizeof p, "%s/root", dir);
	int root = open(p, O_PATH | O_DIRECTORY);
	assert_true(root >= 0);
	assert_int_equal(open_at_cases(root, "OUTSIDE"), 0);
#ifdef __NR_openat2
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sock_filter filter[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_openat2, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = {.len = sizeof filter / sizeof filter[0], .filter = filter};
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
			_exit(100); /* no seccomp here: nothing to check */
		if (syscall(__NR_openat2, root, "etc", NULL, 0) >= 0 || errno != ENOSYS)
			_exit(101);
		_exit(open_at_cases(root, "OUTSIDE"));
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 100)
		assert_int_equal(WEXITSTATUS(status), 0);
#endif
	close(root);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_digest(void **s)
{
	(void)s;
	char d[72];
	shp_sha256_buf("", 0, d);
	assert_string_equal(d, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_true(shp_digest_valid(d));
	assert_false(shp_digest_valid("sha256:E3B0"));
	assert_false(shp_digest_valid("sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

struct hits {
	char kinds[8][40];
	size_t n;
};

static void on_hit(void *arg, int kind, size_t start, size_t end)
{
	(void)start, (void)end;
	struct hits *h = arg;
	size_t nk;
	const struct shp_secret_kind *k = shp_secret_kinds(&nk);
	if (h->n < 8)
		strcpy(h->kinds[h->n++], k[kind].id);
}

static const char *first_kind(const char *text, const char *path)
{
	static struct hits h;
	memset(&h, 0, sizeof h);
	shp_secrets_scan(text, strlen(text), path, on_hit, &h);
	return h.n ? h.kinds[0] : "";
}

/* Every pattern's longest match (as Hyperscan measures it, look-arounds dropped) fits in
 * the overlap of the scan's windows: no secret can be cut in two. */
static void test_secret_max_match(void **s)
{
	(void)s;
	size_t nk;
	shp_secret_kinds(&nk);
	for (size_t k = 0; k < nk; k++) {
		hs_expr_info_t *info = NULL;
		hs_compile_error_t *e = NULL;
		if (hs_expression_info(shp_secret_pattern(k), HS_FLAG_PREFILTER, &info, &e) != HS_SUCCESS)
			fail_msg("pattern %zu: %s", k, e->message);
		if (info->max_width > SHP_SECRET_MAX_MATCH)
			fail_msg("pattern %zu: matches up to %u bytes", k, info->max_width);
		free(info);
	}
}

/* The detectors' Hyperscan databases are the ones compiled at build time, not compiled again
 * by every process that scans (50 ms): a database this build's Hyperscan refuses would fall
 * back to that silently. They are compiled for AVX2, so a machine without it does compile. */
static void test_secrets_built_in(void **s)
{
	(void)s;
#if defined(__x86_64__) || defined(__i386__)
	if (!__builtin_cpu_supports("avx2"))
		skip();
#endif
	assert_true(shp_secrets_built_in());
}

static void test_secrets(void **s)
{
	(void)s;
	/* must be reported */
	assert_string_equal(first_kind("AWS_ACCESS_KEY_ID=AKIA0123456789ABCDEF\n", NULL), "aws-access-key-id");
	assert_string_equal(first_kind("'AWS_secret_KEY'=\"12ASD34qwe56CXZ78tyH10Tna543VBokN85RHCas\"", NULL),
			    "aws-secret-access-key");
	assert_string_equal(first_kind("token ghp_Zq8LmX2vN5bR7tY1cK4wH9sD3fG6jA0pE2uI", NULL), "github-token");
	assert_string_equal(first_kind("\"bot\": \"xoxb-781236542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD\"", NULL),
			    "slack-token");
	assert_string_equal(first_kind("postgres://app:s3cr3t-Pass@db:5432/app", NULL), "database-connection-string");
	assert_string_equal(first_kind("DB_PASSWORD=Tr0ub4dor-and-3\n", "srv/.env"), "env-password");
	assert_string_equal(first_kind("machine api.corp.internal login bot password Hunter2Hunter2\n", NULL),
			    "netrc-password");
	assert_string_equal(first_kind("-----BEGIN RSA PRIVATE "
				       "KEY-----\nMIIEpQIBAAKCAQEAn6/O8li+SX4m98LLYt/PKSzEmQ++ZBD7Loh9P13f4yQ92EF3\n"
				       "-----END RSA PRIVATE KEY-----\n",
				       NULL),
			    "private-key");
	/* must not be reported: placeholders, examples, public material, values outside KEY=value files */
	assert_string_equal(first_kind("aws_access_key: AKIAIOSFODNN7EXAMPLE", NULL), "");
	assert_string_equal(first_kind("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL), "");
	assert_string_equal(first_kind("-----BEGIN PRIVATE KEY-----\nanything\n-----END PRIVATE KEY-----", NULL), "");
	assert_string_equal(first_kind("curl https://user:${PASSWORD}@host/x", NULL), "");
	assert_string_equal(first_kind("DB_PASSWORD=Tr0ub4dor-and-3\n", "src/settings.py"), "");
	assert_string_equal(first_kind("ABCFLWSECK_TEST123456789012 ask_live_superlive1", NULL), "");
}

/* The patterns of one file format run on that format only (and on command lines, path NULL,
 * where the format's text is written inline), not on every file that says the same words. */
static void test_secrets_formats(void **s)
{
	(void)s;
	static const char npmrc[] = "registry=https://npm.corp.internal/\n_auth=ZGVwbG95OnMzY3IzdFBhc3M=\n";
	assert_string_equal(first_kind(npmrc, "root/.npmrc"), "npmrc-auth");
	assert_string_equal(first_kind(npmrc, "app/project.npmrc"), "npmrc-auth");
	assert_string_equal(first_kind(npmrc, "usr/share/doc/npm/config.md"), "");
	assert_string_equal(first_kind("        proxy_auth = base64.b64encode(user_pass).decode()\n",
				       "usr/lib/python3.11/urllib/request.py"),
			    "");
	static const char netrc[] = "machine git.corp.internal login deploy password Zx9vQ2mLp7Rt\n";
	assert_string_equal(first_kind(netrc, "root/.netrc"), "netrc-password");
	assert_string_equal(first_kind(netrc, "home/u/_netrc"), "netrc-password");
	assert_string_equal(first_kind(netrc, "usr/lib/python3.11/zipfile.py"), "");
	static const char docker[] = "{\"auths\": {\"r.corp.internal\": {\"auth\": \"ZGVwbG95OnMzY3IzdFBhc3M=\"}}}";
	assert_string_equal(first_kind(docker, "root/.docker/config.json"), "docker-config-auth");
	assert_string_equal(first_kind(docker, "run/containers/0/auth.json"), "docker-config-auth");
	assert_string_equal(first_kind(docker, "usr/share/doc/registry/example-auths.json"), "");
	/* a command line that writes the format's text inline */
	assert_string_equal(first_kind("echo _auth=ZGVwbG95OnMzY3IzdFBhc3M= > ~/.npmrc", NULL), "npmrc-auth");
}

/* Placeholders and references are not secrets: the list, each next to a value of the
 * same shape that is one. */
static void test_secrets_placeholders(void **s)
{
	(void)s;
	assert_string_equal(first_kind("DB_PASSWORD=Summer2024.Pass\n", "app/.env"), "env-password");
	assert_string_equal(first_kind("DB_PASSWORD=hunter2hunter\n", "app/.env"), "env-password");
	assert_string_equal(first_kind("postgres://app:s3cr3t-Pass@db.corp.internal:5432/app", NULL),
			    "database-connection-string");
	static const char *const quiet[] = {
		"DB_PASSWORD=${DB_PASSWORD}\n",
		"DB_PASSWORD=$(cat /run/secrets/db)\n",
		"DB_PASSWORD={{ .Values.db.password }}\n",
		"DB_PASSWORD=/run/secrets/db_password\n",
		"GOOGLE_APPLICATION_CREDENTIALS=/creds/x.json\n",
		"DB_PASSWORD=./secrets/db.txt\n",
		"DB_PASSWORD=vault:secret/data/db#password\n",
		"API_TOKEN=arn:aws:secretsmanager:us-east-1:123456789012:secret:tok-AbCdEf\n",
		"API_TOKEN=changeme\n",
		"API_TOKEN=<your-token>\n",
		"API_TOKEN=xxxxxxxxxxxx\n",
		"API_TOKEN=REDACTED\n",
		"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
		"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
		"DB_PASSWORD=os.getenv(\"DB_PASSWORD\")\n",
		"SECRET_KEY=settings.SECRET_KEY\n",
		"NPM_TOKEN=process.env.NPM_TOKEN\n",
		"DB_PASSWORD=DB_PASSWORD_VALUE\n",
		"url=https://abc:xyz12345@example.com/path\n",
		"url=https://abc:xyz12345@api.example.org/path\n",
	};
	for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++)
		if (*first_kind(quiet[i], "app/.env"))
			fail_msg("reported: %s", quiet[i]);
}

static int reports(const char *text, const char *path, const char *id)
{
	struct hits h = {0};
	shp_secrets_scan(text, strlen(text), path, on_hit, &h);
	for (size_t i = 0; i < h.n; i++)
		if (!strcmp(h.kinds[i], id))
			return 1;
	return 0;
}

/* Every rule has a text it reports and the same text with a placeholder for the secret,
 * which it does not (secret-samples.h); and every rule of the table is there. */
static void test_secret_rules(void **s)
{
	(void)s;
	size_t nk;
	const struct shp_secret_kind *k = shp_secret_kinds(&nk);
	size_t ns = sizeof secret_samples / sizeof secret_samples[0];
	for (size_t i = 0; i < nk; i++) {
		size_t j = 0;
		while (j < ns && strcmp(secret_samples[j].id, k[i].id))
			j++;
		if (j == ns)
			fail_msg("rule %s has no sample", k[i].id);
		if (!reports(secret_samples[j].fire, secret_samples[j].path, k[i].id))
			fail_msg("rule %s does not report %s", k[i].id, secret_samples[j].fire);
		if (reports(secret_samples[j].quiet, secret_samples[j].path, k[i].id))
			fail_msg("rule %s reports %s", k[i].id, secret_samples[j].quiet);
	}
	assert_int_equal(ns, nk);
}

/* The generic rule: a random-looking quoted value under a credential's name, not a list of
 * names nor the OAuth RFC's example token; a keyword rule's keyword starts a word. */
static void test_secret_generic(void **s)
{
	(void)s;
	assert_true(reports("conf = {\"client_secret\": \"6da89121079f83b2eb6a"
			    "cccf8219ea982c3d79bccc3e9c\"}\n",
			    "app/settings.py", "generic-api-key"));
	assert_false(reports("    'sodium_crypto_box_secretkey',\n    'sodium_crypto_box_publickey',\n",
			     "usr/lib/python3/dist-packages/pygments/lexers/_php_builtins.py", "generic-api-key"));
	assert_false(reports("    \"access_token\":\"2YotnFZFEjr1zCsicMWpAA\",\n", "oauthlib/parameters.py",
			     "generic-api-key"));
	assert_true(reports("MAILGUN_API_KEY = \"key-3ax6xnjp29jd6fds4gc37"
			    "3sgvjxteol0\"\n",
			    "app/conf.py", "mailgun-private-api-token"));
	assert_false(reports("ReactNativeCameraKit: f15a5a04b0f6dc6073e6db0296e6ef2d8b8d2522\n", "Podfile.lock",
			     "meraki-api-key"));
}

static int kind_index(const char *id)
{
	size_t nk;
	const struct shp_secret_kind *k = shp_secret_kinds(&nk);
	for (size_t i = 0; i < nk; i++)
		if (!strcmp(k[i].id, id))
			return (int)i;
	fail_msg("no kind %s", id);
	return -1;
}

/* GitHub's classic tokens and npm's end in a CRC32 of their random part: a token whose
 * checksum holds, the same with one character changed, and kinds without a checksum. (The
 * tokens are cut in two here so that no scanner takes this file for a leak.) */
static void test_secret_checksum(void **s)
{
	(void)s;
	char gh[] = "ghp_"
		    "Ky9Pf34qY6Nb3wWD25RQ4F5ZR3qa7y3gm1IL";
	char npm[] = "npm_"
		     "ENzO8Cj258FpWDPf1TVTOVaCvrP5VE3IZO7c";
	int ghk = kind_index("github-token"), npmk = kind_index("npm-token");
	assert_int_equal(shp_secret_checksum(ghk, gh, strlen(gh)), 1);
	assert_int_equal(shp_secret_checksum(npmk, npm, strlen(npm)), 1);
	gh[10] ^= 1; /* the random part */
	assert_int_equal(shp_secret_checksum(ghk, gh, strlen(gh)), 0);
	gh[10] ^= 1;
	gh[39] = gh[39] == 'L' ? 'M' : 'L'; /* the checksum */
	assert_int_equal(shp_secret_checksum(ghk, gh, strlen(gh)), 0);
	assert_int_equal(shp_secret_checksum(ghk, "github_pat_11ABC", 16), -1); /* fine-grained: none known */
	assert_int_equal(shp_secret_checksum(kind_index("aws-access-key-id"), "AKIA2OGYBAH6STMMNXNQ", 20), -1);
	/* still found either way: the rule says whether the checksum holds */
	assert_string_equal(first_kind(gh, NULL), "github-token");
}

static void test_layer_from_memory(void **s)
{
	(void)s;
	/* a 2-entry tar (ustar header for "x", 3 bytes, then the end) made byte by byte */
	unsigned char tar[2048] = {0};
	memcpy(tar, "x", 1);
	memcpy(tar + 100, "0000644", 7);
	memcpy(tar + 108, "0000000", 7);
	memcpy(tar + 116, "0000000", 7);
	memcpy(tar + 124, "00000000003", 11);
	memcpy(tar + 136, "00000000000", 11);
	tar[156] = '0';
	memcpy(tar + 257, "ustar", 6);
	memcpy(tar + 263, "00", 2);
	memset(tar + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += tar[i];
	snprintf((char *)tar + 148, 8, "%06o", sum);
	memcpy(tar + 512, "hi\n", 3);
	struct shp_layer_scan scan = {0};
	struct shp_src src = shp_src_memory(tar, sizeof tar);
	struct shp_error *err = NULL;
	struct shp_layer_budget b;
	shp_layer_budget_init(&b, 1 << 20, 0);
	assert_int_equal(shp_layer_read(&src, "mem", &b, &scan, &err), 0);
	assert_int_equal(scan.nentries, 1);
	assert_string_equal(scan.entries[0].path, "x");
	assert_string_equal(scan.sums.compression, "none");
	char want[72];
	shp_sha256_buf(tar, sizeof tar, want);
	assert_string_equal(scan.sums.diff_id, want);
	assert_string_equal(scan.sums.blob_digest, want);
	shp_layer_scan_free(&scan);
	/* a bomb guard smaller than the tar */
	struct shp_layer_scan s2 = {0};
	src = shp_src_memory(tar, sizeof tar);
	shp_layer_budget_init(&b, 1000, 0);
	assert_int_equal(shp_layer_read(&src, "mem", &b, &s2, &err), -1);
	assert_non_null(strstr(err->msg, "more than 1000 bytes"));
	shp_error_free(err);
	err = NULL;
	shp_layer_scan_free(&s2);
	/* the image's budget is shared by its layers: the tar fits once, not twice */
	shp_layer_budget_init(&b, 1 << 20, sizeof tar + sizeof tar / 2);
	for (int i = 0; i < 2; i++) {
		src = shp_src_memory(tar, sizeof tar);
		assert_int_equal(shp_layer_read(&src, "mem", &b, &s2, &err), i ? -1 : 0);
		shp_layer_scan_free(&s2);
	}
	assert_non_null(strstr(err->msg, "raise --max-image-bytes"));
	shp_error_free(err);
}

/* The body of a record: its frame, decompressed; caller frees. */
static char *record_body(const char *rec, size_t n, size_t *blen)
{
	size_t at = 8 + 4 + (size_t)(unsigned char)rec[8], flen = n - 32 - at;
	unsigned long long size = ZSTD_getFrameContentSize(rec + at, flen);
	assert_true(size < SHP_CACHE_MAX_BODY);
	char *b = malloc(size ? size : 1);
	assert_int_equal(ZSTD_decompress(b, size, rec + at, flen), size);
	*blen = size;
	return b;
}

static void test_cache_record(void **s)
{
	(void)s;
	struct shp_layer_scan scan = {.sums = {.compression = "gzip", .blob_bytes = 1234, .tar_bytes = 5120}};
	shp_sha256_buf("blob", 4, scan.sums.blob_digest);
	shp_sha256_buf("tar", 3, scan.sums.diff_id);
	struct shp_entry es[] = {
		{.path = "etc/alpine-release", .size = 7, .mode = 0644, .type = SHP_FT_FILE},
		{.path = "lib/apk/db/installed", .size = 80, .mode = 0644, .type = SHP_FT_FILE},
		{.path = "bin/sh", .link = "/bin/busybox", .type = SHP_FT_SYMLINK},
		{.path = "usr/bin/su",
		 .size = 9,
		 .mode = 04755,
		 .uid = 0,
		 .gid = 0,
		 .type = SHP_FT_FILE,
		 .flags = SHP_EF_CAPS},
		{.path = "app/old", .type = SHP_FT_WHITEOUT},
	};
	for (size_t i = 0; i < sizeof es / sizeof es[0]; i++)
		shp_layer_add_entry(&scan, &es[i]);
	shp_layer_pkgdb(&scan, 0, SHP_DB_ALPINE_RELEASE, "3.18.4\n", 7);
	static const char apk[] = "P:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\n\nP:curl\nV:8.4.0-r0\nA:x86_64\n\n";
	shp_layer_pkgdb(&scan, 1, shp_pkgdb_kind("lib/apk/db/installed"), apk, sizeof apk - 1);
	struct shp_secret_hit *hit = shp_layer_found_add(&scan, SHP_ANALYZER_SECRETS);
	*hit = (struct shp_secret_hit){.entry = 3, .line = 2, .kind = 1, .evidence = "key=AK****"};
	shp_layer_unscanned(&scan, 1, SHP_UNSCANNED_JAVA_ARCHIVE);
	assert_int_equal(shp_layer_npkgdbs(&scan), 2);
	assert_int_equal(shp_layer_pkgdb_at(&scan, 1)->pkgs.n, 2);

	size_t n, m;
	unsigned char secret[SHP_CACHE_KEY_BYTES], other[SHP_CACHE_KEY_BYTES];
	memset(secret, 's', sizeof secret);
	memset(other, 's', sizeof other);
	other[31] = 't';
	char *rec = shp_cache_encode(secret, &scan, &n);
	struct shp_layer_scan back = {0};
	assert_int_equal(shp_cache_decode(secret, rec, n, &back), 0);
	assert_int_equal(back.nentries, 5);
	assert_string_equal(back.entries[2].link, "/bin/busybox");
	assert_null(back.entries[0].link);
	assert_int_equal(back.entries[3].mode, 04755);
	assert_int_equal(back.entries[3].flags, SHP_EF_CAPS);
	assert_int_equal(back.entries[4].type, SHP_FT_WHITEOUT);
	size_t nhits;
	assert_string_equal(shp_layer_secrets(&back, &nhits)[0].evidence, "key=AK****");
	assert_int_equal(nhits, 1);
	assert_string_equal(back.sums.compression, "gzip");
	assert_string_equal(back.sums.blob_digest, scan.sums.blob_digest);
	assert_int_equal(back.nunscanned, 1);
	assert_int_equal(back.unscanned[0].entry, 1);
	assert_int_equal(back.unscanned[0].why, SHP_UNSCANNED_JAVA_ARCHIVE);
	const struct shp_layer_pkgdb *db0 = shp_layer_pkgdb_at(&back, 0), *db1 = shp_layer_pkgdb_at(&back, 1);
	assert_true(db0->has_os);
	assert_string_equal(db0->os.id, "alpine");
	assert_string_equal(db1->pkgs.v[1].name, "curl");
	assert_string_equal(db1->pkgs.v[0].license, "MIT");
	assert_null(db1->pkgs.v[1].license);
	char *again = shp_cache_encode(secret, &back, &m);
	assert_int_equal(m, n);
	assert_memory_equal(again, rec, n);
	free(again);
	shp_layer_scan_free(&back);

	/* every truncation, and a changed byte anywhere, make the record unusable */
	for (size_t len = 0; len < n; len++) {
		struct shp_layer_scan t = {0};
		assert_int_equal(shp_cache_decode(secret, rec, len, &t), -1);
		shp_layer_scan_free(&t);
	}
	for (size_t i = 0; i < n; i += 3) {
		rec[i] ^= 0x20;
		struct shp_layer_scan t = {0};
		assert_int_equal(shp_cache_decode(secret, rec, n, &t), -1);
		shp_layer_scan_free(&t);
		rec[i] ^= 0x20;
	}
	/* the record under another user's secret is not authentic under ours */
	struct shp_layer_scan t = {0};
	assert_int_equal(shp_cache_decode(other, rec, n, &t), -1);
	shp_layer_scan_free(&t);
	/* another build's record, authentic, is not this build's */
	unsigned char tag[32];
	unsigned int tlen = 0;
	rec[12] ^= 1;
	assert_non_null(HMAC(EVP_sha256(), secret, sizeof secret, (unsigned char *)rec, n - 32, tag, &tlen));
	memcpy(rec + n - 32, tag, 32);
	assert_int_equal(shp_cache_decode(secret, rec, n, &t), -1);
	shp_layer_scan_free(&t);
	rec[12] ^= 1;
	assert_non_null(HMAC(EVP_sha256(), secret, sizeof secret, (unsigned char *)rec, n - 32, tag, &tlen));
	memcpy(rec + n - 32, tag, 32);
	assert_int_equal(shp_cache_decode(secret, rec, n, &t), 0);
	shp_layer_scan_free(&t);
	/* a body sealed with the secret is what the reader reads */
	size_t blen, sealed_len;
	char *body = record_body(rec, n, &blen);
	char *sealed = shp_cache_seal(secret, body, blen, &sealed_len);
	assert_int_equal(sealed_len, n);
	assert_memory_equal(sealed, rec, n);
	free(sealed);
	free(body);
	free(rec);
	shp_layer_scan_free(&scan);
}

/* ---- the analyzers: one loop for tar streams and root directories ---- */

static int buf_write(void *arg, const void *p, size_t n)
{
	shp_buf_add(arg, p, n);
	return 0;
}

/* Files the analyzers read: a manifest holding a token (read whole once, for the package
 * reader and the secret search alike), a text file with a key (streamed), an empty Java
 * archive, an executable that is not an ELF file, a file over no analyzer's bound. */
static const struct {
	const char *path;
	uint32_t mode;
	const char *data;
} an_files[] = {
	{"app/node_modules/left-pad/package.json", 0644,
	 "{\"name\":\"left-pad\",\"version\":\"1.3.0\",\"token\":\"ghp_Zq8LmX2vN5bR7tY1cK4wH9sD3fG6jA0pE2uI\"}\n"},
	{"app/.env", 0600, "# settings\nAWS_ACCESS_KEY_ID=AKIA0123456789ABCDEF\n"},
	{"app/empty.jar", 0644, ""},
	{"usr/bin/tool", 0755,
	 "#!/bin/sh\n# a script, not a program: the programs analyzer stops at its first block\n"},
	{"etc/os-release", 0644, "ID=alpine\nVERSION_ID=3.18.4\n"},
};
#define N_AN_FILES (sizeof an_files / sizeof an_files[0])

/* The scan's findings as sorted lines ("path kind line"), whichever order its source gave. */
static char *found_lines(const struct shp_layer_scan *s)
{
	struct shp_buf b = {0};
	size_t n;
	const struct shp_secret_hit *h = shp_layer_secrets(s, &n);
	char line[512];
	char *lines[64];
	size_t k = 0;
	for (size_t i = 0; i < n && k < 64; i++) {
		snprintf(line, sizeof line, "secret %s %u %u", s->entries[h[i].entry].path, h[i].kind, h[i].line);
		lines[k++] = strdup(line);
	}
	for (size_t i = 0; i < shp_layer_npkgdbs(s) && k < 64; i++) {
		const struct shp_layer_pkgdb *d = shp_layer_pkgdb_at(s, i);
		snprintf(line, sizeof line, "pkgdb %s %s %zu %d", s->entries[d->entry].path, shp_pkgdb_kind_id(d->kind),
			 d->pkgs.n, d->has_os);
		lines[k++] = strdup(line);
	}
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++)
			if (strcmp(lines[j], lines[i]) < 0) {
				char *t = lines[i];
				lines[i] = lines[j];
				lines[j] = t;
			}
	for (size_t i = 0; i < k; i++) {
		shp_buf_add(&b, lines[i], strlen(lines[i]));
		shp_buf_add(&b, "\n", 1);
		free(lines[i]);
	}
	return shp_buf_steal(&b);
}

static void test_analyzers_stream_and_root(void **s)
{
	(void)s;
	struct shp_buf tar = {0};
	struct shp_tarw w = {.write = buf_write, .arg = &tar};
	for (size_t i = 0; i < N_AN_FILES; i++) {
		struct shp_tar_hdr h = {.path = an_files[i].path,
					.type = '0',
					.mode = an_files[i].mode,
					.size = strlen(an_files[i].data)};
		assert_int_equal(shp_tarw_header(&w, &h), 0);
		assert_int_equal(shp_tarw_data(&w, an_files[i].data, h.size), 0);
	}
	assert_int_equal(shp_tarw_finish(&w), 0);
	struct shp_layer_scan scan = {0};
	struct shp_src src = shp_src_memory(tar.data, tar.len);
	struct shp_error *err = NULL;
	struct shp_layer_budget b;
	shp_layer_budget_init(&b, 1 << 20, 0);
	assert_int_equal(shp_layer_read(&src, "mem", &b, &scan, &err), 0);
	char *from_tar = found_lines(&scan);
	/* the manifest was read once, for both analyzers; the empty archive gave nothing */
	assert_non_null(strstr(from_tar, "pkgdb app/node_modules/left-pad/package.json npm-package 1 0\n"));
	assert_non_null(strstr(from_tar, "secret app/node_modules/left-pad/package.json"));
	assert_non_null(strstr(from_tar, "secret app/.env"));
	assert_non_null(strstr(from_tar, "pkgdb etc/os-release os-release 0 1\n"));
	assert_null(strstr(from_tar, "empty.jar"));
	assert_null(strstr(from_tar, "usr/bin/tool"));

	/* the same files as a root directory: the same findings */
	char dir[] = "/tmp/shp-an-XXXXXX";
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < N_AN_FILES; i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/%s", dir, an_files[i].path);
		assert_int_equal(shp_mkdirs(path), 0);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, an_files[i].mode);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, an_files[i].data, strlen(an_files[i].data)),
				 (ssize_t)strlen(an_files[i].data));
		close(fd);
	}
	struct shp_image *img = calloc(1, sizeof *img);
	img->input = strdup(dir);
	assert_int_equal(shp_source_rootfs_scan(img, 0, &err), 0);
	char *from_root = found_lines(&img->scans[0]);
	assert_string_equal(from_root, from_tar);
	/* packages only: no secret search, the package readers as before */
	struct shp_image *po = calloc(1, sizeof *po);
	po->input = strdup(dir);
	assert_int_equal(shp_source_rootfs_scan(po, 1, &err), 0);
	size_t nhits;
	shp_layer_secrets(&po->scans[0], &nhits);
	assert_int_equal(nhits, 0);
	assert_int_equal(shp_layer_npkgdbs(&po->scans[0]), shp_layer_npkgdbs(&scan));
	shp_image_free(po);
	/* a file that cannot be opened is said to be unscanned, by the analyzers that wanted it */
	if (geteuid() != 0) {
		char path[256];
		snprintf(path, sizeof path, "%s/app/.env", dir);
		chmod(path, 0);
		struct shp_image *un = calloc(1, sizeof *un);
		un->input = strdup(dir);
		assert_int_equal(shp_source_rootfs_scan(un, 0, &err), 0);
		assert_int_equal(un->scans[0].nunscanned, 1);
		assert_int_equal(un->scans[0].unscanned[0].why, SHP_UNSCANNED_UNREADABLE);
		shp_image_free(un);
	}
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(from_root);
	free(from_tar);
	shp_image_free(img);
	shp_layer_scan_free(&scan);
	free(tar.data);
}

/* A record whose analyzers are not this build's (another version of one, one more or less)
 * is stale: read as none. */
static void test_cache_analyzer_versions(void **s)
{
	(void)s;
	struct shp_layer_scan scan = {.sums = {.compression = "none"}};
	shp_sha256_buf("blob", 4, scan.sums.blob_digest);
	shp_sha256_buf("tar", 3, scan.sums.diff_id);
	struct shp_entry e = {.path = "app/.env", .size = 9, .mode = 0600, .type = SHP_FT_FILE};
	shp_layer_add_entry(&scan, &e);
	struct shp_secret_hit *hit = shp_layer_found_add(&scan, SHP_ANALYZER_SECRETS);
	*hit = (struct shp_secret_hit){.entry = 0, .line = 1, .kind = 0, .evidence = "k=AK****"};
	unsigned char secret[SHP_CACHE_KEY_BYTES];
	memset(secret, 's', sizeof secret);
	size_t n;
	char *rec = shp_cache_encode(secret, &scan, &n);
	size_t blen;
	char *b = record_body(rec, n, &blen);
	/* each analyzer's section: its name, then its version */
	for (size_t k = 0; k < SHP_NANALYZERS; k++) {
		const char *name = shp_analyzers[k]->name;
		size_t nl = strlen(name);
		char *at = NULL;
		uint32_t len32 = (uint32_t)nl;
		for (size_t i = 0; i + 4 + nl + 4 <= blen && !at; i++)
			if (!memcmp(b + i, &len32, 4) && !memcmp(b + i + 4, name, nl))
				at = b + i + 4 + nl;
		assert_non_null(at);
		uint32_t v;
		memcpy(&v, at, 4);
		assert_int_equal(v, shp_analyzers[k]->version);
		for (int bump = 1; bump >= 0; bump--) {
			uint32_t w = v + (uint32_t)bump;
			memcpy(at, &w, 4);
			size_t m;
			char *sealed = shp_cache_seal(secret, b, blen, &m);
			struct shp_layer_scan t = {0};
			assert_int_equal(shp_cache_decode(secret, sealed, m, &t), bump ? -1 : 0);
			shp_layer_scan_free(&t);
			free(sealed);
		}
	}
	free(b);
	free(rec);
	shp_layer_scan_free(&scan);
}

/* A zstd frame written by hand: body as one raw block, under a Frame_Content_Size of stated
 * (which zstd's own writer always makes the body's length). */
static char *raw_frame(const char *body, size_t n, uint64_t stated, size_t *len)
{
	char *f = malloc(4 + 1 + 8 + 3 + n);
	memcpy(f, "\x28\xb5\x2f\xfd", 4);
	f[4] = (char)0xe0; /* an 8-byte content size, one segment */
	memcpy(f + 5, &stated, 8);
	uint32_t block = (uint32_t)n << 3 | 1; /* raw, the last */
	memcpy(f + 13, &block, 3);
	memcpy(f + 16, body, n);
	*len = 16 + n;
	return f;
}

static int decodes_frame(const unsigned char *secret, const char *frame, size_t n)
{
	size_t m;
	char *rec = shp_cache_seal_frame(secret, frame, n, &m);
	struct shp_layer_scan t = {0};
	int rc = shp_cache_decode(secret, rec, m, &t);
	shp_layer_scan_free(&t);
	free(rec);
	return rc;
}

/* The tag is checked over the compressed bytes before they are decompressed, and an
 * authentic frame is decompressed only within the size it states, itself bounded by
 * SHP_CACHE_MAX_BODY: a frame that states more, none, or less than it holds is read as no
 * record, as is anything after the frame. */
static void test_cache_frame_bounds(void **s)
{
	(void)s;
	struct shp_layer_scan scan = {.sums = {.compression = "none"}};
	shp_sha256_buf("blob", 4, scan.sums.blob_digest);
	shp_sha256_buf("tar", 3, scan.sums.diff_id);
	for (int i = 0; i < 200; i++) {
		char path[32];
		snprintf(path, sizeof path, "usr/share/doc/file-%d", i);
		struct shp_entry e = {.path = path, .size = 9, .mode = 0644, .type = SHP_FT_FILE};
		shp_layer_add_entry(&scan, &e);
	}
	unsigned char secret[SHP_CACHE_KEY_BYTES];
	memset(secret, 's', sizeof secret);
	size_t n, blen;
	char *rec = shp_cache_encode(secret, &scan, &n);
	char *body = record_body(rec, n, &blen);
	size_t at = 8 + 4 + (size_t)(unsigned char)rec[8];
	assert_true(n - 32 - at < blen / 2); /* the body is compressed */

	/* a changed compressed byte fails the tag; signed again, it fails to decompress */
	struct shp_layer_scan t = {0};
	rec[at + (n - 32 - at) / 2] ^= 0x55;
	assert_int_equal(shp_cache_decode(secret, rec, n, &t), -1);
	shp_layer_scan_free(&t);
	assert_int_equal(decodes_frame(secret, rec + at, n - 32 - at), -1);
	rec[at + (n - 32 - at) / 2] ^= 0x55;
	assert_int_equal(decodes_frame(secret, rec + at, n - 32 - at), 0);

	/* the hand-made frame is one the reader takes when it states the body's length */
	size_t flen;
	char *f = raw_frame(body, blen, blen, &flen);
	assert_int_equal(decodes_frame(secret, f, flen), 0);
	free(f);
	/* over the limit: not decompressed, though authentic */
	f = raw_frame(body, blen, SHP_CACHE_MAX_BODY + 1, &flen);
	assert_int_equal(decodes_frame(secret, f, flen), -1);
	free(f);
	f = raw_frame(body, blen, UINT64_MAX - 2, &flen);
	assert_int_equal(decodes_frame(secret, f, flen), -1);
	free(f);
	/* less than it holds: decompressing stops at the stated size */
	f = raw_frame(body, blen, blen - 1, &flen);
	assert_int_equal(decodes_frame(secret, f, flen), -1);
	free(f);
	/* a frame that states no size */
	ZSTD_CCtx *z = ZSTD_createCCtx();
	ZSTD_CCtx_setParameter(z, ZSTD_c_contentSizeFlag, 0);
	size_t cap = ZSTD_compressBound(blen);
	f = malloc(cap);
	flen = ZSTD_compress2(z, f, cap, body, blen);
	assert_false(ZSTD_isError(flen));
	assert_int_equal(ZSTD_getFrameContentSize(f, flen), ZSTD_CONTENTSIZE_UNKNOWN);
	assert_int_equal(decodes_frame(secret, f, flen), -1);
	free(f);
	ZSTD_freeCCtx(z);
	/* a byte after the frame, and a second frame */
	f = malloc(2 * (n - 32 - at) + 1);
	memcpy(f, rec + at, n - 32 - at);
	f[n - 32 - at] = 0;
	assert_int_equal(decodes_frame(secret, f, n - 32 - at + 1), -1);
	memcpy(f + (n - 32 - at), rec + at, n - 32 - at);
	assert_int_equal(decodes_frame(secret, f, 2 * (n - 32 - at)), -1);
	free(f);
	free(body);
	free(rec);
	shp_layer_scan_free(&scan);
}

/* The union of layers given as entries: "d:path" a directory, "f:path" a file, "l:path" a
 * symlink to "app", "w:path" a whiteout, "o:path" an opaque directory's marker. */
static void union_of(struct shp_union *u, struct shp_image *img, const char *const *const *layers, size_t n)
{
	memset(img, 0, sizeof *img);
	img->layers = calloc(n, sizeof *img->layers);
	img->scans = calloc(n, sizeof *img->scans);
	img->nlayers = img->nscans = n;
	for (size_t L = 0; L < n; L++) {
		img->layers[L].scan = L;
		size_t k = 0;
		while (layers[L][k])
			k++;
		struct shp_entry *e = calloc(k, sizeof *e);
		for (size_t i = 0; i < k; i++) {
			const char *spec = layers[L][i];
			e[i].path = spec + 2;
			e[i].mode = 0700;
			e[i].type = spec[0] == 'd'   ? SHP_FT_DIR
				    : spec[0] == 'l' ? SHP_FT_SYMLINK
				    : spec[0] == 'w' ? SHP_FT_WHITEOUT
				    : spec[0] == 'o' ? SHP_FT_OPAQUE
						     : SHP_FT_FILE;
			e[i].link = spec[0] == 'l' ? "app" : NULL;
		}
		img->scans[L].entries = e;
		img->scans[L].nentries = k;
	}
	shp_union_build(u, img);
}

static void union_free(struct shp_union *u, struct shp_image *img)
{
	shp_union_free(u);
	for (size_t L = 0; L < img->nscans; L++)
		free(img->scans[L].entries);
	free(img->scans);
	free(img->layers);
}

/* The type of what path resolves to ('d', 'f', 'l'), with the layer that made it; '-' if
 * nothing does. */
static char kind_at(const struct shp_union *u, const char *path, int *layer)
{
	int loop;
	uint32_t n = shp_union_walk(u, path, 0, NULL, NULL, &loop);
	const struct shp_entry *e = n ? shp_union_visible(u, n, layer) : NULL;
	if (!e)
		return '-';
	return e->type == SHP_FT_DIR ? 'd' : e->type == SHP_FT_SYMLINK ? 'l' : 'f';
}

static void test_union_implicit_dirs(void **s)
{
	(void)s;
	/* "tar -cf l.tar app/bin/prog": no entry for app or app/bin, which the runtime makes
	 * (root's, 0755) and later layers can replace, delete or make opaque */
	static const char *const l0[] = {"f:app/bin/prog", "f:top", NULL};
	static const char *const l1[] = {"d:app", "f:srv/x", "w:gone", NULL};
	static const char *const l2[] = {"w:srv", "o:opq", "f:opq/sub/y", NULL};
	static const char *const l3[] = {"f:app/bin", NULL};
	static const char *const *const layers[] = {l0, l1, l2, l3};
	struct shp_image img;
	struct shp_union u;
	int layer = -1;

	union_of(&u, &img, layers, 1);
	assert_int_equal(kind_at(&u, "/app", &layer), 'd');
	assert_int_equal(layer, 0);
	const struct shp_entry *e = shp_union_visible(&u, shp_union_lookup(&u, "app/bin"), NULL);
	assert_non_null(e);
	assert_int_equal(e->mode, 0755);
	assert_int_equal(e->uid, 0);
	assert_string_equal(e->path, "");
	assert_int_equal(kind_at(&u, "/app/bin/prog", &layer), 'f');
	assert_int_equal(u.layers[0].added, 2); /* the entries; implicit directories are not */
	union_free(&u, &img);

	union_of(&u, &img, layers, 4);
	/* layer 1's entry for app replaces the implicit one, its file the program stays */
	assert_int_equal(kind_at(&u, "/app", &layer), 'd');
	assert_int_equal(layer, 1);
	assert_int_equal(shp_union_visible(&u, shp_union_lookup(&u, "app"), NULL)->mode, 0700);
	/* layer 2 deletes srv (implicit in layer 1) and what is in it */
	assert_int_equal(kind_at(&u, "/srv", NULL), '-');
	assert_int_equal(kind_at(&u, "/srv/x", NULL), '-');
	/* the opaque marker's directory is there, and so is the implicit one below it */
	assert_int_equal(kind_at(&u, "/opq", &layer), 'd');
	assert_int_equal(layer, 2);
	assert_int_equal(kind_at(&u, "/opq/sub/y", NULL), 'f');
	/* layer 3 replaces the implicit app/bin with a file: prog is gone */
	assert_int_equal(kind_at(&u, "/app/bin", &layer), 'f');
	assert_int_equal(layer, 3);
	assert_int_equal(kind_at(&u, "/app/bin/prog", NULL), '-');
	assert_int_equal(kind_at(&u, "/top", NULL), 'f');
	union_free(&u, &img);
}

/* Dive's inefficient paths, each with its copies (a whiteout is one, sized by what it
 * deletes: 0 for a file), adding up to the efficiency's wasted bytes; and each layer's
 * added, changed and removed paths, as many as its counts (an opaque directory removes what
 * it hides). */
static void test_union_waste_and_changes(void **s)
{
	(void)s;
	static const char *const l0[] = {"f:a", "f:b", "d:d", "f:d/x", NULL};
	static const char *const l1[] = {"f:a", "w:b", "f:c", NULL};
	static const char *const l2[] = {"f:a", "o:d", "f:d/y", NULL};
	static const char *const *const layers[] = {l0, l1, l2};
	static const uint64_t sizes[3][4] = {{100, 50, 0, 10}, {120, 0, 5}, {100, 0, 7}};
	struct shp_image img;
	struct shp_union u;
	union_of(&u, &img, layers, 3);
	/* again with sizes: union_of makes every entry empty */
	shp_union_free(&u);
	for (size_t L = 0; L < 3; L++)
		for (size_t i = 0; i < img.scans[L].nentries; i++)
			((struct shp_entry *)img.scans[L].entries)[i].size = sizes[L][i];
	shp_union_build(&u, &img);
	assert_int_equal(u.eff.wasted_bytes, 370);
	assert_int_equal(u.eff.reclaimable_bytes, 270);
	struct shp_waste *w;
	size_t n = shp_union_waste(&u, &w);
	assert_int_equal(n, 2);
	assert_string_equal(w[0].path, "/a");
	assert_int_equal(w[0].count, 3);
	assert_int_equal(w[0].size, 320);
	assert_int_equal(w[0].reclaimable, 220);
	assert_int_equal(w[0].copies[1].layer, 1);
	assert_int_equal(w[0].copies[1].size, 120);
	assert_string_equal(w[1].path, "/b");
	assert_int_equal(w[1].size, 50);
	assert_int_equal(w[1].copies[0].whiteout, 0);
	assert_int_equal(w[1].copies[1].whiteout, 1);
	assert_int_equal(w[1].copies[1].size, 0);
	shp_union_waste_free(w, n);

	static const char *const want[3][3] = {{"/a /b /d /d/x", "", ""}, {"/c", "/a", "/b"}, {"/d/y", "/a", "/d/x"}};
	for (int L = 0; L < 3; L++) {
		struct shp_layer_change *v;
		size_t nc = shp_union_layer_changes(&u, L, &v);
		size_t counts[3] = {u.layers[L].added, u.layers[L].changed, u.layers[L].removed};
		for (int how = 0; how < 3; how++) {
			char got[256] = "", buf[64];
			size_t k = 0;
			for (size_t i = 0; i < nc; i++)
				if (v[i].how == how) {
					snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k++ ? " " : "",
						 shp_union_path(&u, v[i].node, buf, sizeof buf));
				}
			assert_string_equal(got, want[L][how]);
			assert_int_equal(k, counts[how]);
		}
		free(v);
	}
	union_free(&u, &img);
}

/* The progress line says layers done of all, bytes read (or downloaded, when a remote store
 * counted some) and the layers the cache answered for; the counters take no lock. */
static void test_progress_line(void **s)
{
	(void)s;
	struct shp_progress p;
	shp_progress_start(&p, 7, -1, 1); /* not a terminal: counts, draws nothing */
	assert_int_equal(p.running, 0);
	char line[128];
	shp_progress_line(&p, line, sizeof line);
	assert_string_equal(line, "layers 0/7  0 B read");
	shp_progress_read(&p, 412000000);
	shp_progress_layer_done(&p, 0);
	shp_progress_layer_done(&p, 1);
	shp_progress_layer_done(&p, 1);
	shp_progress_line(&p, line, sizeof line);
	assert_string_equal(line, "layers 3/7  412.0 MB read  (2 cached)");
	shp_progress_downloaded(&p, 1500);
	shp_progress_line(&p, line, sizeof line);
	assert_string_equal(line, "layers 3/7  1.5 kB downloaded  (2 cached)");
	/* cut, never overrun */
	shp_progress_line(&p, line, 12);
	assert_string_equal(line, "layers 3/7 ");
	shp_progress_stop(&p);
	/* no scan counting: the readers' calls do nothing */
	shp_progress_read(NULL, 1);
	shp_progress_layer_done(NULL, 1);
	shp_progress_downloaded(NULL, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_normalize),
		cmocka_unit_test(test_open_at),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_secrets),
		cmocka_unit_test(test_secrets_formats),
		cmocka_unit_test(test_secrets_placeholders),
		cmocka_unit_test(test_secret_rules),
		cmocka_unit_test(test_secret_generic),
		cmocka_unit_test(test_secret_checksum),
		cmocka_unit_test(test_secret_max_match),
		cmocka_unit_test(test_secrets_built_in),
		cmocka_unit_test(test_layer_from_memory),
		cmocka_unit_test(test_cache_record),
		cmocka_unit_test(test_cache_analyzer_versions),
		cmocka_unit_test(test_cache_frame_bounds),
		cmocka_unit_test(test_analyzers_stream_and_root),
		cmocka_unit_test(test_union_implicit_dirs),
		cmocka_unit_test(test_union_waste_and_changes),
		cmocka_unit_test(test_progress_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
