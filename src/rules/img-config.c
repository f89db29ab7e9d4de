/* img-config.c - rules on the image config: the user it runs as, secrets in Env and in
 * the history (build args leak into created_by), EXPOSE 22, HEALTHCHECK, remote ADD. */
#include "rules/families.h"
#include "rules/image.h"
#include "secrets/scan.h"
#include "secrets/tokens.h"
#include "util/cleanup.h"
#include "util/user.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <string.h>

static void check_user(struct shp_image_ctx *ctx)
{
	if (!ctx->img->config)
		return;
	const char *u = shp_image_user(ctx->img);
	if (!u || !*u) {
		shp_image_report(ctx, -1, NULL, "User: \"\"", "the image sets no user, so it runs as root");
		return;
	}
	if (shp_user_is_root(u, SHP_USER_UNSET_ROOT))
		shp_image_report(ctx, -1, NULL, u, "the image runs as root (User \"%s\")", u);
}

/* "KEY=value" whose name says secret and whose value is a literal, or any known token. */
static int env_secret(const char *kv, char **evidence)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv)
		return 0;
	_cleanup_free_ char *name = shp_xstrndup(kv, (size_t)(eq - kv));
	const char *v = eq + 1;
	struct shp_token_match m;
	if (shp_token_find(v, &m) || (shp_secret_name(name) && shp_secret_literal(v))) {
		_cleanup_free_ char *r = shp_redact(v);
		*evidence = shp_asprintf("%s=%s", name, r);
		return 1;
	}
	return 0;
}

static void check_env(struct shp_image_ctx *ctx)
{
	const cJSON *env = shp_image_config_field(ctx->img, "Env"), *e;
	cJSON_ArrayForEach(e, env)
	{
		if (!cJSON_IsString(e))
			continue;
		_cleanup_free_ char *ev = NULL;
		if (env_secret(e->valuestring, &ev))
			shp_image_report(ctx, -1, NULL, ev,
					 "the config's Env holds a secret (%.*s): anyone who pulls the image "
					 "can read it",
					 (int)strcspn(e->valuestring, "="), e->valuestring);
	}
}

static int in_env(const struct shp_image *img, const char *kv, size_t n)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, shp_image_config_field(img, "Env")) if (cJSON_IsString(e) &&
								      strlen(e->valuestring) == n &&
								      !strncmp(e->valuestring, kv, n)) return 1;
	return 0;
}

struct hist_hit {
	struct shp_image_ctx *ctx;
	size_t h;
	const char *cmd;
	int found;
};

static void on_hist_secret(void *arg, int kind, size_t start, size_t end)
{
	struct hist_hit *hh = arg;
	size_t nk;
	const struct shp_secret_kind *k = shp_secret_kinds(&nk);
	_cleanup_free_ char *secret = shp_xstrndup(hh->cmd + start, end - start);
	_cleanup_free_ char *r = shp_redact(secret);
	int layer = hh->ctx->img->history[hh->h].layer;
	struct shp_finding *f =
		shp_image_report(hh->ctx, layer, NULL, r, "history step %zu holds a %s in its command: %s", hh->h + 1,
				 k[kind].title, "build arguments and RUN lines are kept in the image history");
	if (k[kind].severity) /* the secret's rule's */
		f->severity = (enum shp_severity)(k[kind].severity - 1);
	hh->found = 1;
}

static void check_history(struct shp_image_ctx *ctx)
{
	const struct shp_image *img = ctx->img;
	for (size_t h = 0; h < img->nhistory; h++) {
		const char *cmd = img->history[h].created_by;
		struct hist_hit hh = {ctx, h, cmd, 0};
		shp_secrets_scan(cmd, strlen(cmd), NULL, on_hist_secret, &hh);
		if (hh.found)
			continue;
		/* NAME=value words: "|2 TOKEN=abc /bin/sh -c ..." (build args) and ENV steps */
		for (const char *p = cmd; *p;) {
			while (*p && isspace((unsigned char)*p))
				p++;
			const char *w = p;
			char quote = 0;
			while (*p && (quote || !isspace((unsigned char)*p))) {
				if (*p == '"' || *p == '\'')
					quote = quote == *p ? 0 : quote ? quote : *p;
				p++;
			}
			size_t n = (size_t)(p - w);
			if (!n)
				continue;
			_cleanup_free_ char *word = shp_xstrndup(w, n);
			_cleanup_free_ char *ev = NULL;
			if (strchr(word, '=') && env_secret(word, &ev) && !in_env(img, word, n)) {
				shp_image_report(
					ctx, img->history[h].layer, NULL, ev,
					"history step %zu sets %.*s: build arguments and ENV values are kept in the "
					"image history; use a secret mount",
					h + 1, (int)strcspn(word, "="), word);
				break;
			}
		}
	}
}

static void check_expose_ssh(struct shp_image_ctx *ctx)
{
	const cJSON *ports = shp_image_config_field(ctx->img, "ExposedPorts"), *p;
	cJSON_ArrayForEach(p, ports) if (p->string && (!strcmp(p->string, "22") || !strncmp(p->string, "22/", 3)))
		shp_image_report(ctx, -1, NULL, p->string, "the image exposes port 22 (SSH)");
}

static void check_healthcheck(struct shp_image_ctx *ctx)
{
	if (!ctx->img->config)
		return;
	const cJSON *hc = shp_image_config_field(ctx->img, "Healthcheck");
	const cJSON *test = cJSON_GetObjectItemCaseSensitive(hc, "Test");
	const cJSON *first = cJSON_GetArrayItem(test, 0);
	if (!hc || (cJSON_IsString(first) && !strcmp(first->valuestring, "NONE")))
		shp_image_report(ctx, -1, NULL, NULL, "the image defines no HEALTHCHECK");
}

static void check_add_remote(struct shp_image_ctx *ctx)
{
	const struct shp_image *img = ctx->img;
	for (size_t h = 0; h < img->nhistory; h++) {
		const char *cmd = img->history[h].created_by;
		const char *add = strstr(cmd, "ADD ");
		if (!add || (add != cmd && add[-1] != ' '))
			continue;
		const char *url = strstr(add, "http://");
		const char *url2 = strstr(add, "https://");
		if (!url || (url2 && url2 < url))
			url = url2;
		if (url)
			shp_image_report(
				ctx, img->history[h].layer, NULL, add,
				"history step %zu ADDs a remote URL: the download is neither verified nor cached "
				"predictably",
				h + 1);
	}
}

const struct shp_rule shp_rules_img_config[] = {
	{.id = "SHP2001",
	 .slug = "image-user-root",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Image runs as root",
	 .rationale = "The config's User is empty, root or 0, so the container's process is root; a breakout "
		      "or a writable mount then acts as root on the host's kernel.",
	 .remediation = "Build with USER <uid>:<gid> of an unprivileged user in the final stage.",
	 .aliases = {"CIS-DI-0001", "CIS-4.1", "DS002"},
	 .check_image = check_user},
	{.id = "SHP2002",
	 .slug = "image-env-secret",
	 .severity = SHP_SEV_CRITICAL,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Secret in the image's environment",
	 .rationale = "Env is part of the image config: every registry, cache and `docker inspect` shows it.",
	 .remediation = "Pass secrets at run time (secret mounts, orchestrator secrets), never as ENV.",
	 .aliases = {"CIS-DI-0010", "CIS-4.10"},
	 .check_image = check_env},
	{.id = "SHP2003",
	 .slug = "image-history-secret",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Secret in the image history",
	 .rationale = "Build arguments used by RUN, and ENV values, are recorded in each history entry's "
		      "created_by, which ships with the image even when the variable was later unset.",
	 .remediation = "Use RUN --mount=type=secret for build-time credentials and rebuild the image.",
	 .aliases = {"CIS-DI-0010"},
	 .check_image = check_history},
	{.id = "SHP2004",
	 .slug = "image-expose-ssh",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Image exposes SSH (port 22)",
	 .rationale = "An SSH server in a container is a second way in, with its own keys to manage.",
	 .remediation = "Remove EXPOSE 22 and the SSH server; use `docker exec` or `kubectl exec`.",
	 .aliases = {"DS004"},
	 .check_image = check_expose_ssh},
	{.id = "SHP2005",
	 .slug = "image-no-healthcheck",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Image has no HEALTHCHECK",
	 .rationale = "Without a health check the engine cannot tell a hung service from a working one.",
	 .remediation = "Add HEALTHCHECK CMD <probe> (or rely on the orchestrator's probes and ignore this rule).",
	 .aliases = {"CIS-DI-0006", "CIS-4.6", "DS026"},
	 .check_image = check_healthcheck},
	{.id = "SHP2006",
	 .slug = "image-add-remote",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Image history ADDs a remote URL",
	 .rationale = "ADD <url> downloads without a checksum; what was fetched cannot be verified afterwards.",
	 .remediation = "Download with curl and verify a checksum in the same RUN, or COPY a vendored file.",
	 .aliases = {"CIS-DI-0009", "CIS-4.9"},
	 .check_image = check_add_remote},
	{0},
};
