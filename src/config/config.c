/* config.c - reads .shipshape.yaml and .hadolint.yaml with libfyaml.
 *
 *   .shipshape.yaml                     .hadolint.yaml (honoured as is)
 *   ignore: [DL3008, no-healthcheck]    ignored: [DL3008]
 *   severity: {DL3008: high}            override: {error: [DL3008], info: [...]}
 *   trusted-registries: [docker.io]     trustedRegistries: [docker.io] (or a string)
 *   fail-on: medium                     failure-threshold: warning
 *   disable-ignore-pragma: false        disable-ignore-pragma: false
 */
#include "config/config.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <errno.h>
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Sanity limit: configuration files are small. */
#define MAX_CONFIG_FILE (1u << 20)

static void diag_out(struct fy_diag *d, void *user, const char *buf, size_t len)
{
	(void)d;
	struct shp_buf *b = user;
	if (!b->len)
		shp_buf_add(b, buf, len);
}

static int node_line(struct fy_node *n)
{
	struct fy_token *t = fy_node_get_scalar_token(n);
	const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
	return m ? m->line + 1 : 0;
}

static int add_strings(struct fy_node *n, char ***arr, size_t *len, size_t *cap, const char *path, const char *key,
		       struct shp_error **err)
{
	if (fy_node_is_scalar(n)) {
		SHP_PUSH(*arr, *len, *cap, shp_xstrdup(fy_node_get_scalar0(n)));
		return 0;
	}
	if (!fy_node_is_sequence(n))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: expected a list of strings", path, key);
	void *it = NULL;
	struct fy_node *e;
	while ((e = fy_node_sequence_iterate(n, &it))) {
		if (!fy_node_is_scalar(e))
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: expected a string", path, node_line(e), key);
		SHP_PUSH(*arr, *len, *cap, shp_xstrdup(fy_node_get_scalar0(e)));
	}
	return 0;
}

static void add_override(struct shp_config *cfg, const char *rule, enum shp_severity s)
{
	struct shp_override o = {shp_xstrdup(rule), s};
	SHP_PUSH(cfg->overrides, cfg->noverrides, cfg->coverrides, o);
}

static int is_true(struct fy_node *n)
{
	const char *v = fy_node_is_scalar(n) ? fy_node_get_scalar0(n) : "";
	return !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1");
}

static int apply(struct shp_config *cfg, struct fy_node *root, const char *path, struct shp_error **err)
{
	if (!root)
		return 0; /* an empty file */
	if (!fy_node_is_mapping(root))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: expected a mapping at the top level", path);
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(root, &it))) {
		struct fy_node *kn = fy_node_pair_key(p), *v = fy_node_pair_value(p);
		if (!kn || !fy_node_is_scalar(kn) || !v)
			continue;
		const char *k = fy_node_get_scalar0(kn);
		if (!strcmp(k, "ignore") || !strcmp(k, "ignored")) {
			if (add_strings(v, &cfg->ignored, &cfg->nignored, &cfg->cignored, path, k, err) < 0)
				return -1;
		} else if (!strcmp(k, "trusted-registries") || !strcmp(k, "trustedRegistries")) {
			if (add_strings(v, &cfg->trusted, &cfg->ntrusted, &cfg->ctrusted, path, k, err) < 0)
				return -1;
		} else if (!strcmp(k, "severity") || !strcmp(k, "override")) {
			if (!fy_node_is_mapping(v))
				return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: expected a mapping", path,
						     node_line(kn), k);
			void *it2 = NULL;
			struct fy_node_pair *q;
			while ((q = fy_node_mapping_iterate(v, &it2))) {
				struct fy_node *qk = fy_node_pair_key(q), *qv = fy_node_pair_value(q);
				if (!qk || !qv || !fy_node_is_scalar(qk))
					continue;
				const char *name = fy_node_get_scalar0(qk);
				if (!strcmp(k, "severity")) {
					enum shp_severity s = fy_node_is_scalar(qv) ? shp_severity_parse(fy_node_get_scalar0(qv))
										    : SHP_SEV_NONE;
					if (s == SHP_SEV_NONE)
						return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: severity of %s: expected info, "
								     "low, medium, high or critical", path, node_line(qk), name);
					add_override(cfg, name, s);
				} else {
					/* hadolint: override: {error: [ids], warning: [...], info: [...], style: [...]} */
					enum shp_severity s = shp_severity_parse(name);
					if (s == SHP_SEV_NONE)
						return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: override: unknown level %s",
								     path, node_line(qk), name);
					char **ids = NULL;
					size_t n = 0, c = 0;
					if (add_strings(qv, &ids, &n, &c, path, name, err) < 0)
						return -1;
					for (size_t i = 0; i < n; i++) {
						add_override(cfg, ids[i], s);
						free(ids[i]);
					}
					free(ids);
				}
			}
		} else if (!strcmp(k, "fail-on") || !strcmp(k, "failure-threshold")) {
			enum shp_severity s = fy_node_is_scalar(v) ? shp_severity_parse(fy_node_get_scalar0(v)) : SHP_SEV_NONE;
			if (s == SHP_SEV_NONE && !(fy_node_is_scalar(v) && !strcasecmp(fy_node_get_scalar0(v), "none")))
				return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: unknown severity", path, node_line(kn), k);
			cfg->fail_on = s;
		} else if (!strcmp(k, "disable-ignore-pragma")) {
			cfg->disable_pragmas = is_true(v);
		}
		/* Other keys (format, no-color, label-schema, ...) are hadolint's or for later. */
	}
	return 0;
}

int shp_config_load(struct shp_config *cfg, const char *path, struct shp_error **err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (shp_read_file(path, MAX_CONFIG_FILE, &text, &len, err) < 0)
		return shp_error_wrap(err, "config");
	return shp_config_parse(cfg, path, text, len, err);
}

int shp_config_parse(struct shp_config *cfg, const char *path, const char *text, size_t len, struct shp_error **err)
{
	struct shp_buf msg = {0};
	struct fy_diag_cfg dc;
	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	dc.output_fn = diag_out;
	dc.user = &msg;
	dc.colorize = false;
	dc.show_source = false;
	dc.show_position = true;
	dc.show_type = false;
	dc.show_module = false;
	struct fy_diag *diag = fy_diag_create(&dc);
	struct fy_parse_cfg pc = {.flags = FYPCF_QUIET | FYPCF_DEFAULT_PARSE, .diag = diag};
	struct fy_document *doc = fy_document_build_from_string(&pc, text, len);
	int rc;
	if (!doc) {
		char *m = msg.data ? msg.data : "invalid YAML";
		/* libfyaml names an in-memory input "<memory-@0x...>:"; we name the file. */
		if (m[0] == '<' && strstr(m, ">:"))
			m = strstr(m, ">:") + 2;
		size_t ml = strlen(m);
		while (ml && (m[ml - 1] == '\n' || m[ml - 1] == ' '))
			m[--ml] = 0;
		rc = shp_error_set(err, SHP_EXIT_INPUT, "%s:%s", path, m);
	} else {
		rc = apply(cfg, fy_document_root(doc), path, err);
		fy_document_destroy(doc);
	}
	if (diag)
		fy_diag_destroy(diag);
	shp_buf_free(&msg);
	return rc;
}

int shp_config_load_default(struct shp_config *cfg, struct shp_error **err)
{
	static const char *const names[] = {".shipshape.yaml", ".shipshape.yml", ".hadolint.yaml", ".hadolint.yml"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (access(names[i], R_OK) == 0 && shp_config_load(cfg, names[i], err) < 0)
			return -1;
	return 0;
}

void shp_config_free(struct shp_config *cfg)
{
	for (size_t i = 0; i < cfg->nignored; i++)
		free(cfg->ignored[i]);
	free(cfg->ignored);
	for (size_t i = 0; i < cfg->noverrides; i++)
		free(cfg->overrides[i].rule);
	free(cfg->overrides);
	for (size_t i = 0; i < cfg->ntrusted; i++)
		free(cfg->trusted[i]);
	free(cfg->trusted);
	memset(cfg, 0, sizeof *cfg);
	cfg->fail_on = SHP_SEV_NONE;
}

int shp_config_is_ignored(const struct shp_config *cfg, const struct shp_rule *r)
{
	for (size_t i = 0; cfg && i < cfg->nignored; i++)
		if (shp_rule_matches(r, cfg->ignored[i]))
			return 1;
	return 0;
}

enum shp_severity shp_config_severity(const struct shp_config *cfg, const struct shp_rule *r)
{
	enum shp_severity s = r->severity;
	for (size_t i = 0; cfg && i < cfg->noverrides; i++)
		if (shp_rule_matches(r, cfg->overrides[i].rule))
			s = cfg->overrides[i].severity;
	return s;
}

int shp_config_registry_trusted(const struct shp_config *cfg, const char *reg)
{
	for (size_t i = 0; cfg && i < cfg->ntrusted; i++) {
		const char *t = cfg->trusted[i];
		if (!strcmp(t, "*") || !strcasecmp(t, reg))
			return 1;
		if (t[0] == '*' && t[1] == '.') {
			size_t tl = strlen(t + 1), rl = strlen(reg);
			if (rl > tl && !strcasecmp(reg + rl - tl, t + 1))
				return 1;
		}
		if ((!strcmp(t, "docker.io") || !strcmp(t, "hub.docker.com") || !strcmp(t, "index.docker.io")) &&
		    !strcmp(reg, "docker.io"))
			return 1;
	}
	return 0;
}
