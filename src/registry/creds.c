/* creds.c - where the credentials for a registry come from: the flags, then containers'
 * auth.json files, then docker's config.json, each file's credHelpers, auths and credsStore
 * in the order docker reads them, helpers run through the docker-credential-helpers
 * protocol. Messages name the file or helper, never a secret. */
#include "registry/creds.h"

#include "util/buf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

unsigned shp_creds_helper_timeout_ms = SHP_CREDS_HELPER_SECONDS * 1000;

/* Docker Hub's names: its credentials are stored under any of them, and helpers are asked
 * for the first (the server address docker login has always used). */
static const char *const docker_hub[] = {"https://index.docker.io/v1/", "index.docker.io", "docker.io",
					 "registry-1.docker.io"};

static void clear_free(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

void shp_creds_free(struct shp_creds *c)
{
	if (!c)
		return;
	free(c->username);
	clear_free(c->password);
	clear_free(c->identity_token);
	clear_free(c->bearer);
	free(c->source);
	memset(c, 0, sizeof *c);
}

static int is_docker_hub(const char *host)
{
	for (size_t i = 1; i < SHP_ARRAY_LEN(docker_hub); i++)
		if (strcasecmp(host, docker_hub[i]) == 0)
			return 1;
	return 0;
}

/* The host a config key names: "https://ghcr.io/v2/" and "ghcr.io/org" are ghcr.io (docker
 * strips scheme and path the same way); the result points into buf. */
static const char *key_host(const char *key, char *buf, size_t size)
{
	if (strncasecmp(key, "https://", 8) == 0)
		key += 8;
	else if (strncasecmp(key, "http://", 7) == 0)
		key += 7;
	size_t n = strcspn(key, "/");
	if (n >= size)
		n = size - 1;
	memcpy(buf, key, n);
	buf[n] = '\0';
	return buf;
}

/* 2 when key is host itself, 1 when it names host with a scheme or path (or is one of
 * Docker Hub's names when host is Docker Hub), 0 when it is another registry. */
static int key_matches(const char *key, const char *host)
{
	if (strcasecmp(key, host) == 0)
		return 2;
	char buf[512];
	const char *h = key_host(key, buf, sizeof buf);
	if (strcasecmp(h, host) == 0)
		return 1;
	return is_docker_hub(host) && is_docker_hub(h);
}

/* The member of object o whose key names host best (an exact key first), or NULL. */
static const cJSON *find_host(const cJSON *o, const char *host)
{
	const cJSON *best = NULL;
	int best_rank = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, o)
	{
		int rank = e->string ? key_matches(e->string, host) : 0;
		if (rank > best_rank) {
			best = e;
			best_rank = rank;
		}
	}
	return best;
}

/* Base64 (standard alphabet, padding optional, no line breaks) into a NUL-terminated string
 * the caller frees, or NULL when s is not base64. */
static char *base64_decode(const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '=')
		n--;
	if (n % 4 == 1 || n > (1u << 20))
		return NULL;
	size_t padded = (n + 3) / 4 * 4;
	_cleanup_free_ char *in = shp_xmalloc(padded + 1);
	memcpy(in, s, n);
	memset(in + n, '=', padded - n);
	in[padded] = '\0';
	char *out = shp_xmalloc(padded / 4 * 3 + 1);
	int got = EVP_DecodeBlock((unsigned char *)out, (const unsigned char *)in, (int)padded);
	if (got < 0) {
		free(out);
		return NULL;
	}
	got -= (int)(padded - n); /* EVP_DecodeBlock counts the padding as zero bytes */
	out[got] = '\0';
	if (memchr(out, '\0', (size_t)got)) { /* a NUL inside: not text, and would cut it */
		clear_free(out);
		return NULL;
	}
	explicit_bzero(in, padded);
	return out;
}

/* A helper name as docker writes them (pass, secretservice, ecr-login, desktop.exe): the
 * program is looked up on PATH, so a name must not be a path. */
static int helper_name_ok(const char *name)
{
	if (!*name || strlen(name) > 64)
		return 0;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			return 0;
	return 1;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for pid until the deadline, then kills it; its exit status, or -1 when it had to be
 * killed. */
static int reap(pid_t pid, long long deadline)
{
	int st;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ms() >= deadline) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		struct timespec pause = {0, 10 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
}

/* The first line of a helper's output, short, for a message (a helper that fails says why
 * there; it is never the secret, which only a successful answer carries). */
static char *first_line(const char *s, size_t len)
{
	size_t n = 0;
	while (n < len && n < 200 && s[n] != '\n' && s[n] != '\r')
		n++;
	struct shp_buf b = {0};
	for (size_t i = 0; i < n; i++)
		shp_buf_putc(&b, isprint((unsigned char)s[i]) ? s[i] : '?');
	return shp_buf_steal(&b);
}

/* Runs docker-credential-NAME get with server on its standard input, no shell between, its
 * standard error discarded (as docker does), within shp_creds_helper_timeout_ms and
 * SHP_CREDS_HELPER_MAX_OUTPUT. 1 with out filled, 0 when it has none for server, -1 with err. */
static int run_helper(const char *name, const char *server, struct shp_creds *out, struct shp_error **err)
{
	if (!helper_name_ok(name))
		return shp_error_set(err, SHP_EXIT_INPUT, "credential helper name \"%.64s\" is not a helper's name",
				     name);
	_cleanup_free_ char *prog = shp_asprintf("docker-credential-%s", name);
	int in[2], outp[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0)
		return shp_error_errno(err, errno, "credential helper %s", prog);
	if (pipe2(outp, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return shp_error_errno(err, errno, "credential helper %s", prog);
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[1], 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	char *argv[] = {prog, "get", NULL};
	pid_t pid;
	int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[1]);
	close(outp[1]);
	if (rc != 0) {
		close(in[0]);
		close(outp[0]);
		if (rc == ENOENT)
			return shp_error_set(err, SHP_EXIT_INPUT, "credential helper %s: not found on PATH", prog);
		return shp_error_errno(err, rc, "credential helper %s", prog);
	}
	long long deadline = now_ms() + shp_creds_helper_timeout_ms;
	/* a socket, not a pipe: a helper that exits without reading gives EPIPE, not SIGPIPE */
	(void)!send(in[0], server, strlen(server), MSG_NOSIGNAL);
	close(in[0]);

	struct shp_buf b = {0};
	int too_big = 0, timed_out = 0;
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0) {
			timed_out = 1;
			break;
		}
		struct pollfd p = {.fd = outp[0], .events = POLLIN};
		int n = poll(&p, 1, (int)(left > 1000 ? 1000 : left));
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0)
			continue;
		char chunk[4096];
		ssize_t got = read(outp[0], chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (b.len + (size_t)got > SHP_CREDS_HELPER_MAX_OUTPUT) {
			too_big = 1;
			break;
		}
		shp_buf_add(&b, chunk, (size_t)got);
	}
	close(outp[0]);
	int st = reap(pid, too_big || timed_out ? 0 : deadline);
	if (timed_out || (st < 0 && !too_big))
		rc = shp_error_set(err, SHP_EXIT_INPUT, "credential helper %s: no answer within %u ms", prog,
				   shp_creds_helper_timeout_ms);
	else if (too_big)
		rc = shp_error_set(err, SHP_EXIT_INPUT, "credential helper %s: answer over %u bytes", prog,
				   SHP_CREDS_HELPER_MAX_OUTPUT);
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		/* the protocol's "no credentials for this server" (credentials.ErrCredentialsNotFound) */
		if (b.data && strstr(b.data, "credentials not found"))
			rc = 0;
		else {
			_cleanup_free_ char *why = first_line(b.data ? b.data : "", b.len);
			if (WIFEXITED(st))
				rc = shp_error_set(err, SHP_EXIT_INPUT, "credential helper %s: exit status %d%s%s",
						   prog, WEXITSTATUS(st), *why ? ": " : "", why);
			else
				rc = shp_error_set(err, SHP_EXIT_INPUT, "credential helper %s: killed by signal %d",
						   prog, WTERMSIG(st));
		}
	} else {
		_cleanup_free_ char *where = shp_asprintf("credential helper %s", prog);
		struct shp_error *perr = NULL;
		cJSON *j = shp_json_parse(where, b.data ? b.data : "", b.len, &perr);
		const char *user = j ? shp_json_str(j, "Username") : NULL;
		const char *secret = j ? shp_json_str(j, "Secret") : NULL;
		if (!j || !cJSON_IsObject(j) || !secret) {
			/* the parser's message may quote the answer, which holds the secret */
			shp_error_free(perr);
			rc = shp_error_set(err, SHP_EXIT_INPUT,
					   "credential helper %s: answer is not JSON with a Secret", prog);
		} else if (!*secret && (!user || !*user)) {
			rc = 0; /* an empty answer: some helpers say "none" this way */
		} else {
			if (user && strcmp(user, "<token>") == 0)
				out->identity_token = shp_xstrdup(secret);
			else {
				out->username = shp_xstrdup(user ? user : "");
				out->password = shp_xstrdup(secret);
			}
			out->source = shp_asprintf("credential helper %s", prog);
			rc = 1;
		}
		cJSON_Delete(j);
	}
	if (b.data)
		explicit_bzero(b.data, b.len);
	shp_buf_free(&b);
	return rc;
}

/* An auths entry: auth (base64 of user:password), username and password (older files),
 * identitytoken. 1 with out filled, 0 when it holds none (docker writes {} for hosts whose
 * credentials are in a credsStore), -1 with err. */
static int read_entry(const char *path, const cJSON *e, struct shp_creds *out, struct shp_error **err)
{
	if (!cJSON_IsObject(e))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: auths.\"%s\" is not an object", path, e->string);
	const char *auth = shp_json_str(e, "auth");
	const char *idtoken = shp_json_str(e, "identitytoken");
	const char *user = shp_json_str(e, "username");
	const char *password = shp_json_str(e, "password");
	if (auth && *auth) {
		char *plain = base64_decode(auth);
		char *colon = plain ? strchr(plain, ':') : NULL;
		if (!colon) {
			clear_free(plain);
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: auths.\"%s\".auth is not base64 of user:password", path, e->string);
		}
		*colon = '\0';
		out->username = shp_xstrdup(plain);
		out->password = shp_xstrdup(colon + 1);
		clear_free(plain);
	} else if (user && password && *user) {
		out->username = shp_xstrdup(user);
		out->password = shp_xstrdup(password);
	}
	if (idtoken && *idtoken)
		out->identity_token = shp_xstrdup(idtoken);
	if (!out->password && !out->identity_token) {
		shp_creds_free(out);
		return 0;
	}
	out->source = shp_xstrdup(path);
	return 1;
}

/* Credentials for host in one auth.json or config.json: credHelpers[host], else auths[host],
 * else credsStore. 1 found, 0 none (the file absent too), -1 with err naming the file. */
static int lookup_file(const char *path, const char *host, struct shp_creds *out, struct shp_error **err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	struct shp_error *rerr = NULL;
	if (shp_read_file_at(AT_FDCWD, path, SHP_OPEN_FOUND, NULL, SHP_CREDS_MAX_FILE, &text, &len, &rerr) < 0) {
		int absent = errno == ENOENT || errno == ENOTDIR;
		if (absent || !err) {
			shp_error_free(rerr);
			return absent ? 0 : -1;
		}
		*err = rerr;
		return -1;
	}
	_cleanup_(shp_json_freep) cJSON *j = shp_json_parse(path, text, len, err);
	explicit_bzero(text, len);
	if (!j)
		return -1;
	if (!cJSON_IsObject(j))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: not a JSON object", path);
	const char *server = is_docker_hub(host) ? docker_hub[0] : host;

	const cJSON *helpers = cJSON_GetObjectItemCaseSensitive(j, "credHelpers");
	const cJSON *h = cJSON_IsObject(helpers) ? find_host(helpers, host) : NULL;
	if (h && cJSON_IsString(h)) {
		int rc = run_helper(h->valuestring, server, out, err);
		if (rc != 0)
			return rc < 0 ? shp_error_wrap(err, "%s: credHelpers", path) : 1;
	}
	const cJSON *auths = cJSON_GetObjectItemCaseSensitive(j, "auths");
	const cJSON *e = cJSON_IsObject(auths) ? find_host(auths, host) : NULL;
	if (e) {
		int rc = read_entry(path, e, out, err);
		if (rc != 0)
			return rc;
	}
	const char *store = shp_json_str(j, "credsStore");
	if (store && *store) {
		int rc = run_helper(store, server, out, err);
		if (rc < 0)
			return shp_error_wrap(err, "%s: credsStore", path);
		return rc;
	}
	return 0;
}

/* The files looked in, in order; *n set, each string freed by the caller. */
static size_t config_files(char *files[4])
{
	size_t n = 0;
	const char *v = getenv("REGISTRY_AUTH_FILE");
	if (v && *v)
		files[n++] = shp_xstrdup(v);
	v = getenv("XDG_RUNTIME_DIR");
	if (v && *v)
		files[n++] = shp_asprintf("%s/containers/auth.json", v);
	const char *home = getenv("HOME");
	if (home && *home)
		files[n++] = shp_asprintf("%s/.config/containers/auth.json", home);
	v = getenv("DOCKER_CONFIG");
	if (v && *v)
		files[n++] = shp_asprintf("%s/config.json", v);
	else if (home && *home)
		files[n++] = shp_asprintf("%s/.docker/config.json", home);
	return n;
}

int shp_creds_lookup(const char *host, const struct shp_creds_flags *flags, struct shp_creds *out,
		     struct shp_error **err)
{
	memset(out, 0, sizeof *out);
	if (flags && (flags->username || flags->password || flags->registry_token)) {
		if (flags->username || flags->password) {
			out->username = shp_xstrdup(flags->username ? flags->username : "");
			out->password = shp_xstrdup(flags->password ? flags->password : "");
		}
		if (flags->registry_token)
			out->bearer = shp_xstrdup(flags->registry_token);
		out->source = shp_xstrdup(!flags->registry_token ? "--username/--password"
					  : out->password	 ? "--registry-token, --username/--password"
								 : "--registry-token");
		return 1;
	}
	char *files[4];
	size_t n = config_files(files);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = lookup_file(files[i], host, out, err);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	if (rc < 0)
		shp_creds_free(out);
	return rc;
}
