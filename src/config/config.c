/* config.c - reads .shipshape.yaml, .hadolint.yaml and .dive-ci with libyaml, and
 * .trivyignore.
 *
 *   .shipshape.yaml                     .hadolint.yaml (honoured as is)
 *   ignore: [DL3008, no-healthcheck]    ignored: [DL3008]
 *   severity: {DL3008: high}            override: {error: [DL3008], info: [...]}
 *   trusted-registries: [docker.io]     trustedRegistries: [docker.io] (or a string)
 *   fail-on: medium                     failure-threshold: warning
 *   disable-ignore-pragma: false        disable-ignore-pragma: false
 *   format: json                        format: tty (or json, sarif, checkstyle, gnu, ...)
 *   no-fail: true                       no-fail: true
 *   no-color: true                      no-color: true
 *   quiet: true                         (-q: no progress or notes on stderr)
 *   secret-config: trivy-secret.yaml    (--secret-config: custom secret rules)
 *   skip-files: [test/key.pem]          (Trivy's --skip-files, --skip-dirs)
 *   skip-dirs: [usr/share/doc]
 *   registries:
 *     mirrors: {docker.io: [mirror.example:5000]}
 *   db:                                 (the vulnerability database: README, Vulnerabilities)
 *     max-age: 7d                       (older data is stale: --max-db-age)
 *     mirror: https://feeds.internal    (db update's --mirror)
 *     sources:
 *       osv-npm: false                  dropped
 *       debian-tracker: {url: URL}      re-pointed
 *       rocky-9-baseos: {kind: rpm-md, url: URL, distro: "rocky:9", covers: TEXT}  added
 *   efficiency:                         .dive-ci (honoured as is)
 *     lowest-efficiency: 0.95           rules: {lowest-efficiency: 0.95,
 *     highest-wasted-bytes: 20MB          highest-wasted-bytes: 20MB,
 *     highest-user-wasted-percent: 0.2    highest-user-wasted-percent: 0.2}
 */
#include "config/config.h"
#include "audit/pss.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/glob.h"
#include "util/size.h"
#include "util/trivy.h"
#include "util/xalloc.h"
#include "util/yaml-error.h"
#include "util/yaml-limits.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* Sanity limit: configuration files are small. */
#define MAX_CONFIG_FILE (1u << 20)

struct ydoc {
	yaml_document_t doc;
	const char *path;
	const char *today; /* .trivyignore.yaml: "YYYY-MM-DD" */
};

static yaml_node_t *ynode(struct ydoc *d, int idx) { return yaml_document_get_node(&d->doc, idx); }

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int node_line(yaml_node_t *n) { return n ? (int)n->start_mark.line + 1 : 0; }

static int add_strings(struct ydoc *d, yaml_node_t *n, char ***arr, size_t *len, size_t *cap, const char *key,
		       struct shp_error **err)
{
	if (scalar(n)) {
		SHP_PUSH(*arr, *len, *cap, shp_xstrdup(scalar(n)));
		return 0;
	}
	if (!n || n->type != YAML_SEQUENCE_NODE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: expected a list of strings", d->path,
				     node_line(n), key);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = ynode(d, *it);
		if (!scalar(e))
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: expected a string", d->path, node_line(e),
					     key);
		SHP_PUSH(*arr, *len, *cap, shp_xstrdup(scalar(e)));
	}
	return 0;
}

static void add_override(struct shp_config *cfg, const char *rule, enum shp_severity s)
{
	struct shp_override o = {shp_xstrdup(rule), s};
	SHP_PUSH(cfg->overrides, cfg->noverrides, cfg->coverrides, o);
}

static int is_true(yaml_node_t *n)
{
	const char *v = scalar(n) ? scalar(n) : "";
	return !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1");
}

static int apply_severities(struct shp_config *cfg, struct ydoc *d, const char *k, yaml_node_t *kn, yaml_node_t *v,
			    struct shp_error **err)
{
	if (v->type != YAML_MAPPING_NODE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: expected a mapping", d->path, node_line(kn), k);
	for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
		yaml_node_t *qk = ynode(d, q->key), *qv = ynode(d, q->value);
		const char *name = scalar(qk);
		if (!name || !qv)
			continue;
		if (!strcmp(k, "severity")) {
			enum shp_severity s = scalar(qv) ? shp_severity_parse(scalar(qv)) : SHP_SEV_NONE;
			if (s == SHP_SEV_NONE)
				return shp_error_set(
					err, SHP_EXIT_INPUT,
					"%s:%d: severity of %s: expected info, low, medium, high or critical", d->path,
					node_line(qk), name);
			add_override(cfg, name, s);
			continue;
		}
		/* hadolint: override: {error: [ids], warning: [...], info: [...], style: [...]} */
		enum shp_severity s = shp_severity_parse(name);
		if (s == SHP_SEV_NONE)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: override: unknown level %s", d->path,
					     node_line(qk), name);
		char **ids = NULL;
		size_t n = 0, c = 0;
		int r = add_strings(d, qv, &ids, &n, &c, name, err);
		for (size_t i = 0; i < n; i++) {
			if (r == 0)
				add_override(cfg, ids[i], s);
			free(ids[i]);
		}
		free(ids);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* dive's rules: {lowest-efficiency, highest-wasted-bytes, highest-user-wasted-percent}, its
 * older camelCase names too; "disabled", "off", "false" or empty turn one off. */
static int apply_waste(struct shp_config *cfg, struct ydoc *d, const char *k, yaml_node_t *kn, yaml_node_t *v,
		       struct shp_error **err)
{
	static const struct {
		const char *name, *legacy;
		unsigned bit;
	} keys[] = {{"lowest-efficiency", "lowestEfficiency", SHP_WASTE_EFFICIENCY},
		    {"highest-wasted-bytes", "highestWastedBytes", SHP_WASTE_BYTES},
		    {"highest-user-wasted-percent", "highestUserWastedPercent", SHP_WASTE_USER_PERCENT}};
	if (v->type != YAML_MAPPING_NODE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: expected a mapping", d->path, node_line(kn), k);
	struct shp_waste_limits *w = &cfg->waste;
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *qk = ynode(d, p->key), *qv = ynode(d, p->value);
		const char *name = scalar(qk), *val = qv ? scalar(qv) : NULL;
		if (!name)
			continue;
		unsigned bit = 0;
		for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !bit; i++)
			if (!strcmp(name, keys[i].name) || !strcmp(name, keys[i].legacy))
				bit = keys[i].bit;
		if (!bit)
			continue; /* dive may grow rules; ours to ignore */
		if (!val)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: expected a value", d->path, node_line(qk),
					     name);
		w->set |= bit;
		if (!*val || !strcasecmp(val, "disabled") || !strcasecmp(val, "off") || !strcasecmp(val, "false")) {
			w->off |= bit;
			continue;
		}
		w->off &= ~bit;
		int ok;
		if (bit == SHP_WASTE_BYTES)
			ok = shp_parse_size(val, SHP_SIZE_SI, &w->highest_wasted_bytes) == 0;
		else {
			char *end;
			double f = strtod(val, &end);
			ok = end != val && !*end && f >= 0 && f <= 1;
			if (bit == SHP_WASTE_EFFICIENCY)
				w->lowest_efficiency = f;
			else
				w->highest_user_wasted = f;
		}
		if (!ok)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: \"%s\" is not %s", d->path, node_line(qv),
					     name, val,
					     bit == SHP_WASTE_BYTES ? "a size such as 20MB" : "a number from 0 to 1");
	}
	return 0;
}

struct shp_waste_limits shp_config_waste(const struct shp_config *cfg)
{
	struct shp_waste_limits w = cfg ? cfg->waste : (struct shp_waste_limits){0};
	if (!(w.set & SHP_WASTE_EFFICIENCY))
		w.lowest_efficiency = 0.9;
	if (!(w.set & SHP_WASTE_USER_PERCENT))
		w.highest_user_wasted = 0.1;
	/* in force: the two with defaults unless turned off, bytes only when given */
	w.set = ((w.set & SHP_WASTE_BYTES) | SHP_WASTE_EFFICIENCY | SHP_WASTE_USER_PERCENT) & ~w.off;
	return w;
}

int shp_config_add_skip(struct shp_config *cfg, const char *pattern, int as_dir, struct shp_error **err)
{
	struct shp_glob *g = shp_glob_new(pattern, as_dir, err);
	if (!g)
		return -1;
	SHP_PUSH(cfg->skip, cfg->nskip, cfg->cskip, g);
	return 0;
}

/* A list of path patterns (or one) compiled onto *arr; a bad one is named with its line. */
static int add_globs(struct ydoc *d, yaml_node_t *v, const char *k, int as_dir, struct shp_glob ***arr, size_t *n,
		     size_t *cap, struct shp_error **err)
{
	char **pats = NULL;
	size_t np = 0, c = 0;
	int r = add_strings(d, v, &pats, &np, &c, k, err);
	for (size_t i = 0; i < np; i++) {
		struct shp_error *e = NULL;
		struct shp_glob *g = r ? NULL : shp_glob_new(pats[i], as_dir, &e);
		if (g)
			SHP_PUSH(*arr, *n, *cap, g);
		else if (!r) {
			r = shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: %s", d->path, node_line(v), k, e->msg);
			shp_error_free(e);
		}
		free(pats[i]);
	}
	free(pats);
	return r;
}

/* registries: {mirrors: {HOST: [MIRROR, ...]}} */
static int apply_registries(struct shp_config *cfg, struct ydoc *d, yaml_node_t *kn, yaml_node_t *v,
			    struct shp_error **err)
{
	if (v->type != YAML_MAPPING_NODE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: registries: expected a mapping", d->path,
				     node_line(kn));
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(d, p->key), *m = ynode(d, p->value);
		if (!scalar(k) || strcmp(scalar(k), "mirrors"))
			continue;
		if (!m || m->type != YAML_MAPPING_NODE)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s:%d: registries: mirrors: expected a mapping of "
					     "registry hosts to lists of mirrors",
					     d->path, node_line(k));
		for (yaml_node_pair_t *q = m->data.mapping.pairs.start; q < m->data.mapping.pairs.top; q++) {
			yaml_node_t *hk = ynode(d, q->key);
			if (!scalar(hk))
				return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: registries: mirrors: expected a host",
						     d->path, node_line(hk));
			struct shp_mirror mi = {.host = shp_xstrdup(scalar(hk))};
			SHP_PUSH(cfg->mirrors, cfg->nmirrors, cfg->cmirrors, mi);
			struct shp_mirror *last = &cfg->mirrors[cfg->nmirrors - 1];
			if (add_strings(d, ynode(d, q->value), &last->to, &last->nto, &last->cto, "mirrors", err) < 0)
				return -1;
		}
	}
	return 0;
}

static void db_source_free(struct shp_db_source_cfg *e)
{
	free(e->name);
	free(e->kind);
	free(e->url);
	free(e->mirror_list);
	free(e->distro);
	free(e->covers);
	free(e->at);
}

/* db: sources: {NAME: false | true | {kind, url, mirror-list, distro, covers}} */
static int apply_db_sources(struct shp_config *cfg, struct ydoc *d, yaml_node_t *kn, yaml_node_t *v,
			    struct shp_error **err)
{
	static const char *const keys[] = {"kind", "url", "mirror-list", "distro", "covers"};
	if (v->type != YAML_MAPPING_NODE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: db: sources: expected a mapping of source names",
				     d->path, node_line(kn));
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(d, p->key), *e = ynode(d, p->value);
		if (!scalar(k) || !*scalar(k) || !e)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: db: sources: expected a source name", d->path,
					     node_line(k));
		struct shp_db_source_cfg x = {.name = shp_xstrdup(scalar(k)),
					      .at = shp_asprintf("%s:%d", d->path, node_line(k))};
		if (scalar(e)) {
			const char *b = scalar(e);
			if (strcasecmp(b, "false") && strcasecmp(b, "no") && strcasecmp(b, "off") && !is_true(e)) {
				db_source_free(&x);
				return shp_error_set(err, SHP_EXIT_INPUT,
						     "%s:%d: db: sources: %s: expected false (dropped), true, or a "
						     "mapping (url, kind, mirror-list, distro, covers)",
						     d->path, node_line(e), scalar(k));
			}
			x.drop = !is_true(e);
			SHP_PUSH(cfg->db_sources, cfg->ndb_sources, cfg->cdb_sources, x);
			continue;
		}
		int bad = e->type != YAML_MAPPING_NODE;
		for (yaml_node_pair_t *q = bad ? NULL : e->data.mapping.pairs.start;
		     !bad && q < e->data.mapping.pairs.top; q++) {
			const char *f = scalar(ynode(d, q->key)), *val = scalar(ynode(d, q->value));
			size_t i = 0;
			while (f && i < sizeof keys / sizeof keys[0] && strcmp(f, keys[i]))
				i++;
			if (!f || !val || i == sizeof keys / sizeof keys[0]) {
				bad = 1;
				break;
			}
			char **slot[] = {&x.kind, &x.url, &x.mirror_list, &x.distro, &x.covers};
			free(*slot[i]);
			*slot[i] = shp_xstrdup(val);
		}
		if (bad) {
			int line = node_line(e);
			db_source_free(&x);
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s:%d: db: sources: %s: expected false (dropped), or a mapping of "
					     "strings: url, kind, mirror-list, distro, covers",
					     d->path, line, scalar(k));
		}
		SHP_PUSH(cfg->db_sources, cfg->ndb_sources, cfg->cdb_sources, x);
	}
	return 0;
}

/* db: {sources: ..., max-age: DURATION, mirror: URL} */
static int apply_db(struct shp_config *cfg, struct ydoc *d, yaml_node_t *kn, yaml_node_t *v, struct shp_error **err)
{
	if (v->type != YAML_MAPPING_NODE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: db: expected a mapping", d->path, node_line(kn));
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(d, p->key), *m = ynode(d, p->value);
		const char *name = scalar(k);
		if (!name || !m)
			continue;
		if (!strcmp(name, "sources") && apply_db_sources(cfg, d, k, m, err) < 0)
			return -1;
		const char *text = scalar(m);
		if (!strcmp(name, "mirror")) {
			if (!text || (strncmp(text, "http://", 7) && strncmp(text, "https://", 8)))
				return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: db: mirror: expected an http(s) URL",
						     d->path, node_line(m));
			free(cfg->db_mirror);
			free(cfg->db_mirror_at);
			cfg->db_mirror = shp_xstrdup(text);
			cfg->db_mirror_at = shp_asprintf("%s:%d", d->path, node_line(k));
			continue;
		}
		if (strcmp(name, "max-age"))
			continue;
		if (!text || shp_parse_duration(text, &cfg->db_max_age) < 0)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s:%d: db: max-age: expected a span of time such as 7d or 36h (0: never "
					     "stale)",
					     d->path, node_line(m));
		cfg->db_max_age_set = 1;
	}
	return 0;
}

static int apply(struct shp_config *cfg, struct ydoc *d, struct shp_error **err)
{
	yaml_node_t *root = yaml_document_get_root_node(&d->doc);
	if (!root || (root->type == YAML_SCALAR_NODE && !root->data.scalar.length))
		return 0; /* an empty file */
	if (root->type != YAML_MAPPING_NODE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: expected a mapping at the top level", d->path,
				     node_line(root));
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = ynode(d, p->key), *v = ynode(d, p->value);
		const char *k = scalar(kn);
		if (!k || !v)
			continue;
		if (!strcmp(k, "ignore") || !strcmp(k, "ignored")) {
			if (add_strings(d, v, &cfg->ignored, &cfg->nignored, &cfg->cignored, k, err) < 0)
				return -1;
		} else if (!strcmp(k, "trusted-registries") || !strcmp(k, "trustedRegistries")) {
			if (add_strings(d, v, &cfg->trusted, &cfg->ntrusted, &cfg->ctrusted, k, err) < 0)
				return -1;
		} else if (!strcmp(k, "severity") || !strcmp(k, "override")) {
			if (apply_severities(cfg, d, k, kn, v, err) < 0)
				return -1;
		} else if (!strcmp(k, "fail-on") || !strcmp(k, "failure-threshold")) {
			enum shp_severity s = scalar(v) ? shp_severity_parse(scalar(v)) : SHP_SEV_NONE;
			if (s == SHP_SEV_NONE && !(scalar(v) && !strcasecmp(scalar(v), "none")))
				return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: unknown severity", d->path,
						     node_line(kn), k);
			cfg->fail_on = s;
		} else if (!strcmp(k, "disable-ignore-pragma")) {
			cfg->disable_pragmas = is_true(v);
		} else if (!strcmp(k, "no-fail")) {
			cfg->no_fail = is_true(v);
		} else if (!strcmp(k, "no-color")) {
			cfg->no_color = is_true(v);
		} else if (!strcmp(k, "quiet")) {
			cfg->quiet = is_true(v);
		} else if (!strcmp(k, "secret-config")) {
			if (!scalar(v) || !*scalar(v))
				return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: secret-config: expected a file name",
						     d->path, node_line(kn));
			free(cfg->secret_config);
			cfg->secret_config = shp_xstrdup(scalar(v));
		} else if (!strcmp(k, "format")) {
			if (!scalar(v) || !*scalar(v))
				return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: format: expected a format name",
						     d->path, node_line(kn));
			free(cfg->format);
			free(cfg->format_at);
			cfg->format = shp_xstrdup(scalar(v));
			cfg->format_at = shp_asprintf("%s:%d", d->path, node_line(v));
		} else if (!strcmp(k, "skip-files") || !strcmp(k, "skip-dirs")) {
			if (add_globs(d, v, k, !strcmp(k, "skip-dirs"), &cfg->skip, &cfg->nskip, &cfg->cskip, err) < 0)
				return -1;
		} else if (!strcmp(k, "registries")) {
			if (apply_registries(cfg, d, kn, v, err) < 0)
				return -1;
		} else if (!strcmp(k, "db")) {
			if (apply_db(cfg, d, kn, v, err) < 0)
				return -1;
		} else if (!strcmp(k, "pss")) {
			int l = scalar(v) ? shp_pss_parse_level(scalar(v)) : -1;
			if (l < 0)
				return shp_error_set(err, SHP_EXIT_INPUT,
						     "%s:%d: pss: expected baseline, restricted or privileged", d->path,
						     node_line(v));
			cfg->pss_level = l;
		} else if (!strcmp(k, "pss-version")) {
			int m = scalar(v) ? shp_pss_parse_version(scalar(v)) : -1;
			if (m < 0)
				return shp_error_set(err, SHP_EXIT_INPUT,
						     "%s:%d: pss-version: expected latest or a version such as v1.30",
						     d->path, node_line(v));
			cfg->pss_minor = m;
			free(cfg->pss_version);
			cfg->pss_version = shp_xstrdup(scalar(v));
		} else if (!strcmp(k, "rules") || !strcmp(k, "efficiency")) {
			if (apply_waste(cfg, d, k, kn, v, err) < 0)
				return -1;
		} else if (!strcmp(k, "db")) {
			if (apply_db(cfg, d, kn, v, err) < 0)
				return -1;
		}
		/* Other keys (label-schema, strict-labels, ...) are hadolint's or for later. */
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

/* YAML is UTF-8 text; say where it is not, with a position, before parsing. */
static int check_text(const char *path, const unsigned char *s, size_t len, struct shp_error **err)
{
	int line = 1, col = 1;
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		int ok = n && i + n <= len;
		for (size_t k = 1; ok && k < n; k++)
			ok = (s[i + k] & 0xc0) == 0x80;
		if (ok && n == 1 && c < 0x20 && c != '\n' && c != '\t' &&
		    !(c == '\r' && i + 1 < len && s[i + 1] == '\n'))
			ok = 0;
		if (!ok)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d:%d: not UTF-8 text (byte 0x%02x)", path, line,
					     col, c);
		if (c == '\n') {
			line++;
			col = 1;
		} else
			col++;
		i += n;
	}
	return 0;
}

static int parse_yaml(struct shp_config *cfg, struct ydoc d, const char *text, size_t len,
		      int (*apply_doc)(struct shp_config *, struct ydoc *, struct shp_error **), struct shp_error **err)
{
	const char *path = d.path;
	if (check_text(path, (const unsigned char *)text, len, err) < 0 ||
	    shp_yaml_check(path, text, len, "invalid YAML", err) < 0)
		return -1;
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: out of memory", path);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	int rc;
	if (!yaml_parser_load(&parser, &d.doc)) {
		rc = shp_yaml_error(err, path, &parser, text, len, "invalid YAML");
	} else {
		rc = apply_doc(cfg, &d, err);
		yaml_document_delete(&d.doc);
	}
	yaml_parser_delete(&parser);
	return rc;
}

int shp_config_parse(struct shp_config *cfg, const char *path, const char *text, size_t len, struct shp_error **err)
{
	return parse_yaml(cfg, (struct ydoc){.path = path}, text, len, apply, err);
}

/* Sanity limit: path patterns and purls in one ignore file (anchors could repeat a list). */
#define MAX_SCOPED_ITEMS 10000

static void scoped_free(struct shp_scoped_ignore *e)
{
	free(e->id);
	for (size_t k = 0; k < e->npaths; k++)
		shp_glob_free(e->paths[k]);
	free(e->paths);
	for (size_t k = 0; k < e->npurls; k++)
		free(e->purls[k]);
	free(e->purls);
}

static int scoped_entry(struct shp_config *cfg, struct ydoc *d, yaml_node_t *e, const char *section, size_t *items,
			struct shp_error **err)
{
	if (e->type != YAML_MAPPING_NODE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: expected entries with an id", d->path,
				     node_line(e), section);
	const char *id = NULL, *expired = NULL;
	yaml_node_t *paths = NULL, *purls = NULL;
	for (yaml_node_pair_t *p = e->data.mapping.pairs.start; p < e->data.mapping.pairs.top; p++) {
		const char *k = scalar(ynode(d, p->key));
		yaml_node_t *v = ynode(d, p->value);
		if (!k || !v)
			continue;
		if (!strcmp(k, "id"))
			id = scalar(v);
		else if (!strcmp(k, "expired_at"))
			expired = scalar(v);
		else if (!strcmp(k, "paths"))
			paths = v;
		else if (!strcmp(k, "purls"))
			purls = v;
	}
	if (!id || !*id || strlen(id) > 128)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: an entry without an id", d->path, node_line(e),
				     section);
	if (expired && (strlen(expired) < 10 || expired[4] != '-' || expired[7] != '-'))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: expired_at: expected a date (YYYY-MM-DD)", d->path,
				     node_line(e));
	if (expired && d->today && memcmp(expired, d->today, 10) < 0)
		return 0; /* past its date: counts no more */
	struct shp_scoped_ignore x = {0};
	int rc = 0;
	if (paths && add_globs(d, paths, "paths", 1, &x.paths, &x.npaths, &x.cpaths, err) < 0)
		rc = -1;
	if (!rc && purls && add_strings(d, purls, &x.purls, &x.npurls, &x.cpurls, "purls", err) < 0)
		rc = -1;
	*items += x.npaths + x.npurls;
	if (!rc && *items > MAX_SCOPED_ITEMS)
		rc = shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: more than %d paths and purls", d->path, node_line(e),
				   MAX_SCOPED_ITEMS);
	if (!rc && !x.npaths && !x.npurls) {
		SHP_PUSH(cfg->ignored, cfg->nignored, cfg->cignored, shp_xstrdup(id)); /* everywhere */
	} else if (!rc) {
		x.id = shp_xstrdup(id);
		SHP_PUSH(cfg->scoped, cfg->nscoped, cfg->cscoped, x);
		return 0;
	}
	scoped_free(&x);
	return rc;
}

static int apply_trivy(struct shp_config *cfg, struct ydoc *d, struct shp_error **err)
{
	yaml_node_t *root = yaml_document_get_root_node(&d->doc);
	if (!root || (root->type == YAML_SCALAR_NODE && !root->data.scalar.length))
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: expected a mapping at the top level", d->path,
				     node_line(root));
	size_t items = 0;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		const char *k = scalar(ynode(d, p->key));
		yaml_node_t *v = ynode(d, p->value);
		if (!k || !v || (v->type == YAML_SCALAR_NODE && !v->data.scalar.length))
			continue;
		if (strcmp(k, "vulnerabilities") && strcmp(k, "misconfigurations") && strcmp(k, "secrets") &&
		    strcmp(k, "licenses"))
			continue;
		if (v->type != YAML_SEQUENCE_NODE)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s:%d: %s: expected a list", d->path, node_line(v),
					     k);
		for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
			if (scoped_entry(cfg, d, ynode(d, *it), k, &items, err) < 0)
				return -1;
	}
	return 0;
}

int shp_config_parse_trivyignore_yaml(struct shp_config *cfg, const char *path, const char *text, size_t len,
				      const char *today, struct shp_error **err)
{
	return parse_yaml(cfg, (struct ydoc){.path = path, .today = today}, text, len, apply_trivy, err);
}

int shp_config_parse_trivyignore(struct shp_config *cfg, const char *text, size_t len, const char *today)
{
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		const char *hash = memchr(p, '#', (size_t)(le - p)), *e = hash ? hash : le;
		while (p < e && strchr(" \t\r", *p))
			p++;
		const char *id = p;
		while (p < e && !strchr(" \t\r", *p))
			p++;
		size_t n = (size_t)(p - id);
		/* "exp:2024-12-31": ignored until then */
		const char *exp = NULL;
		for (const char *q = p; q + 14 <= e; q++)
			if (!memcmp(q, "exp:", 4)) {
				exp = q + 4;
				break;
			}
		int expired = exp && today && memcmp(exp, today, 10) < 0;
		if (n && n < 128 && !expired) /* AVD-DS-0002: the rules know Trivy's long forms */
			SHP_PUSH(cfg->ignored, cfg->nignored, cfg->cignored, shp_xstrndup(id, n));
		p = nl ? nl + 1 : end;
	}
	return 0;
}

/* A default file is read only when it is a regular file (a FIFO would be waited on). */
static int present(const char *name)
{
	struct stat st;
	return stat(name, &st) == 0 && S_ISREG(st.st_mode) && access(name, R_OK) == 0;
}

/* An ignore file: Trivy's YAML form, or ids one per line (.trivyignore, .dockleignore). */
static int load_ids(struct shp_config *cfg, const char *path, const char *today, struct shp_error **err)
{
	_cleanup_free_ char *text = NULL;
	size_t len, n = strlen(path);
	if (shp_read_file(path, MAX_CONFIG_FILE, &text, &len, err) < 0)
		return -1;
	if ((n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml")))
		return shp_config_parse_trivyignore_yaml(cfg, path, text, len, today, err);
	return shp_config_parse_trivyignore(cfg, text, len, today);
}

int shp_config_load_default(struct shp_config *cfg, int no_trivyignore, struct shp_error **err)
{
	static const char *const names[] = {".shipshape.yaml", ".shipshape.yml", ".hadolint.yaml", ".hadolint.yml",
					    ".dive-ci"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (present(names[i]) && shp_config_load(cfg, names[i], err) < 0)
			return -1;
	/* Trivy's and Dockle's ignore files (dockle's ids: CIS-DI-0001, DKL-DI-0005) */
	static const char *const id_files[] = {".trivyignore", ".trivyignore.yaml", ".dockleignore"};
	char today[16];
	shp_today(today);
	for (size_t i = no_trivyignore ? 2 : 0; i < sizeof id_files / sizeof id_files[0]; i++)
		if (present(id_files[i]) && load_ids(cfg, id_files[i], today, err) < 0)
			return -1;
	return 0;
}

int shp_config_load_user(struct shp_config *cfg, struct shp_error **err)
{
	_cleanup_free_ char *path = shp_config_path(NULL, "config.yaml");
	return present(path) ? shp_config_load(cfg, path, err) : 0;
}

int shp_config_load_ignorefile(struct shp_config *cfg, const char *path, struct shp_error **err)
{
	char today[16];
	shp_today(today);
	return load_ids(cfg, path, today, err);
}

void shp_config_free(struct shp_config *cfg)
{
	free(cfg->secret_config);
	for (size_t i = 0; i < cfg->nignored; i++)
		free(cfg->ignored[i]);
	free(cfg->ignored);
	for (size_t i = 0; i < cfg->noverrides; i++)
		free(cfg->overrides[i].rule);
	free(cfg->overrides);
	for (size_t i = 0; i < cfg->ntrusted; i++)
		free(cfg->trusted[i]);
	free(cfg->trusted);
	for (size_t i = 0; i < cfg->nskip; i++)
		shp_glob_free(cfg->skip[i]);
	free(cfg->skip);
	free(cfg->format);
	free(cfg->format_at);
	for (size_t i = 0; i < cfg->nscoped; i++)
		scoped_free(&cfg->scoped[i]);
	free(cfg->scoped);
	for (size_t i = 0; i < cfg->nmirrors; i++) {
		free(cfg->mirrors[i].host);
		for (size_t j = 0; j < cfg->mirrors[i].nto; j++)
			free(cfg->mirrors[i].to[j]);
		free(cfg->mirrors[i].to);
	}
	free(cfg->mirrors);
	for (size_t i = 0; i < cfg->ndb_sources; i++)
		db_source_free(&cfg->db_sources[i]);
	free(cfg->db_sources);
	free(cfg->pss_version);
	free(cfg->db_mirror);
	free(cfg->db_mirror_at);
	memset(cfg, 0, sizeof *cfg);
	cfg->fail_on = SHP_SEV_NONE;
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
