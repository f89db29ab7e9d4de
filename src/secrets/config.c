/* config.c - reads the peers' custom secret rules (see config.h).
 *
 *   trivy-secret.yaml (Trivy)                 .gitleaks.toml (gitleaks)
 *   rules:                                    [extend]
 *     - id: my-token                            useDefault = true
 *       category: general                       disabledRules = ["generic-api-key"]
 *       title: My token                       [[rules]]
 *       severity: HIGH                          id = "my-token"
 *       regex: tok_(?P<secret>[0-9a-f]{32})     regex = '''tok_([0-9a-f]{32})'''
 *       secret-group-name: secret               secretGroup = 1
 *       keywords: [tok_]                        keywords = ["tok_"]
 *       path: \.env$                            entropy = 3.0
 *       allow-rules: [{regex: tok_0+}]          [[rules.allowlists]]
 *       exclude-block: {regexes: [...]}           regexes = ['''tok_0+''']
 *   allow-rules: [{id: x, path: ^tests/}]     [allowlist]
 *   exclude-block: {regexes: [...]}             paths = ['''^tests/''']
 *   enable-builtin-rules: [github-pat]
 *   disable-rules: [aws-access-key-id]
 *   disable-allow-rules: [tests, markdown]
 */
#include "secrets/config.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/toml.h"
#include "util/xalloc.h"
#include "util/yaml-error.h"
#include "util/yaml-limits.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <fcntl.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

static void push(char ***v, size_t *n, const char *s)
{
	*v = shp_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = shp_xstrdup(s);
}

/* Whether re compiles as the scanner compiles it; else *err names where and what. */
static int check_re(const char *re, const char *where, const char *what, struct shp_error **err)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_DUPNAMES, &ec, &eo, NULL);
	if (c) {
		pcre2_code_free(c);
		return 0;
	}
	PCRE2_UCHAR msg[256];
	pcre2_get_error_message(ec, msg, sizeof msg);
	return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: invalid regex at offset %zu: %s", where, what, (size_t)eo,
			     (const char *)msg);
}

/* The capture groups of re (which compiles). */
static unsigned groups(const char *re)
{
	int ec;
	PCRE2_SIZE eo;
	uint32_t n = 0;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_DUPNAMES, &ec, &eo, NULL);
	if (c)
		pcre2_pattern_info(c, PCRE2_INFO_CAPTURECOUNT, &n);
	pcre2_code_free(c);
	return n;
}

/* The peers' ids of their built-in rules that are ours under another id (Trivy's, and
 * gitleaks' where they are the same: github-pat, jwt). Their others that we have are ours
 * under the same id (aws-access-key-id, private-key, generic-api-key, ...). */
static const struct {
	const char *trivy, *ours;
} peer_ids[] = {
	{"github-pat", "github-token"},
	{"github-oauth", "github-token"},
	{"github-app-token", "github-token"},
	{"github-refresh-token", "github-token"},
	{"github-fine-grained-pat", "github-token"},
	{"gitlab-pat", "gitlab-token"},
	{"hugging-face-access-token", "huggingface-access-token"},
	{"slack-access-token", "slack-token"},
	{"slack-web-hook", "slack-webhook"},
	{"stripe-publishable-token", "stripe-key"},
	{"stripe-secret-token", "stripe-key"},
	{"pypi-upload-token", "pypi-token"},
	{"gcp-service-account", "gcp-service-account-key"},
	{"facebook-token", "facebook-access-token"},
	{"dockerconfig-secret", "docker-config-auth"},
	{"dockerconfig-secret", "docker-config-secret"},
	{"jwt-token", "jwt"},
	{"npm-access-token", "npm-token"},
	{"grafana-api-token", "grafana-api-key"},
	{"grafana-api-token", "grafana-cloud-api-token"},
	{"grafana-api-token", "grafana-service-account-token"},
	{"hubspot-api-token", "hubspot-api-key"},
	{"intercom-api-token", "intercom-api-key"},
	{"linear-api-token", "linear-api-key"},
	{"mailgun-token", "mailgun-private-api-token"},
	{"dropbox-api-secret", "dropbox-api-token"},
	{"flutterwave-public-key", "flutterwave-key"},
	{"planetscale-password", "planetscale-token"},
	{"planetscale-api-token", "planetscale-token"},
	{"openai-project-api-key", "openai-key"},
	{"openai-service-account-key", "openai-key"},
	{"openai-admin-api-key", "openai-key"},
	{"openai-legacy-api-key", "openai-key"},
	{"openai-service-api-key", "openai-key"},
	{"openai-realtime-client-secret", "openai-key"},
	{"azure-entra-client-secret", "azure-client-secret"},
	{"azure-container-registry-credential", "azure-container-registry-password"},
	{"maven-settings-passphrase", "maven-settings-password"},
};

/* A rule id of a peer's list, and the ids of ours it names. */
static void push_peer_id(char ***v, size_t *n, const char *id)
{
	push(v, n, id);
	for (size_t i = 0; i < sizeof peer_ids / sizeof peer_ids[0]; i++)
		if (!strcmp(peer_ids[i].trivy, id))
			push(v, n, peer_ids[i].ours);
}

/* Trivy's built-in allow rules (its builtin-allow-rules.go): paths it never reports
 * secrets in unless disable-allow-rules names them. They apply with Trivy's file. */
static const struct {
	const char *id, *path;
} trivy_allows[] = {
	{"tests", "(^(?i)test|/test|-test|_test|\\.test)"},
	{"examples", "example"},
	{"vendor", "/vendor/"},
	{"usr-dirs", "^usr/(?:share|include|lib)/"},
	{"locale-dir", "/locale/"},
	{"markdown", "\\.md$"},
	{"node.js", "^opt/yarn-v[\\d.]+/"},
	{"golang", "^usr/local/go/"},
	{"python", "^usr/local/lib/python[\\d.]+/"},
	{"rubygems", "^usr/lib/gems/"},
	{"wordpress", "^usr/src/wordpress/"},
	{"anaconda-log", "^var/log/anaconda/"},
};

/* Trivy's format, with libyaml. */

struct tdoc {
	yaml_document_t doc;
	const char *name;
	struct shp_error **err;
};

static yaml_node_t *node(struct tdoc *d, int i) { return yaml_document_get_node(&d->doc, i); }

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* "name:line:col: key" for messages about n */
static char *place(struct tdoc *d, yaml_node_t *n, const char *key)
{
	return shp_asprintf("%s:%zu:%zu: %s", d->name, n ? n->start_mark.line + 1 : 0, n ? n->start_mark.column + 1 : 0,
			    key);
}

static int bad(struct tdoc *d, yaml_node_t *n, const char *key, const char *expected)
{
	_cleanup_free_ char *p = place(d, n, key);
	return shp_error_set(d->err, SHP_EXIT_INPUT, "%s: expected %s", p, expected);
}

/* The value of key in mapping m, or NULL. */
static yaml_node_t *get(struct tdoc *d, yaml_node_t *m, const char *key)
{
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const char *k = scalar(node(d, p->key));
		if (k && !strcmp(k, key))
			return node(d, p->value);
	}
	return NULL;
}

/* A string value (NULL when absent or null). */
static int str(struct tdoc *d, yaml_node_t *m, const char *key, const char **out)
{
	yaml_node_t *v = get(d, m, key);
	*out = NULL;
	if (!v || (v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		   (!strcmp(scalar(v), "") || !strcmp(scalar(v), "null") || !strcmp(scalar(v), "~"))))
		return 0;
	if (!scalar(v))
		return bad(d, v, key, "a string");
	*out = scalar(v);
	return 0;
}

/* A regex value, checked. */
static int regex(struct tdoc *d, yaml_node_t *m, const char *key, const char *what, char **out)
{
	const char *s;
	if (str(d, m, key, &s) < 0)
		return -1;
	if (s) {
		_cleanup_free_ char *p = place(d, get(d, m, key), what);
		if (check_re(s, p, key, d->err) < 0)
			return -1;
		*out = shp_xstrdup(s);
	}
	return 0;
}

/* A list of strings, each a regex when re. */
static int strs(struct tdoc *d, yaml_node_t *m, const char *key, int re, int peer_ids_too, char ***v, size_t *n)
{
	yaml_node_t *l = get(d, m, key);
	if (!l || (scalar(l) && !*scalar(l)))
		return 0;
	if (l->type != YAML_SEQUENCE_NODE)
		return bad(d, l, key, "a list of strings");
	yaml_node_item_t *start = l->data.sequence.items.start, *top = l->data.sequence.items.top;
	for (yaml_node_item_t *it = start; it < top; it++) {
		yaml_node_t *e = node(d, *it);
		if (!scalar(e))
			return bad(d, e, key, "a string");
		if (re) {
			_cleanup_free_ char *p = place(d, e, key);
			if (check_re(scalar(e), p, "regex", d->err) < 0)
				return -1;
		}
		if (peer_ids_too)
			push_peer_id(v, n, scalar(e));
		else
			push(v, n, scalar(e));
	}
	return 0;
}

/* allow-rules: [{id, description, regex, path}] */
static int trivy_allow_rules(struct tdoc *d, yaml_node_t *m, struct shp_secret_allow **a, size_t *n)
{
	yaml_node_t *l = get(d, m, "allow-rules");
	if (!l || (scalar(l) && !*scalar(l)))
		return 0;
	if (l->type != YAML_SEQUENCE_NODE)
		return bad(d, l, "allow-rules", "a list of allow rules");
	for (yaml_node_item_t *it = l->data.sequence.items.start; it < l->data.sequence.items.top; it++) {
		yaml_node_t *e = node(d, *it);
		if (!e || e->type != YAML_MAPPING_NODE)
			return bad(d, e, "allow-rules", "an allow rule (id, description, regex, path)");
		*a = shp_xrealloc(*a, (*n + 1) * sizeof **a);
		struct shp_secret_allow *x = &(*a)[(*n)++];
		*x = (struct shp_secret_allow){.target = SHP_ALLOW_EITHER};
		const char *id;
		char *re = NULL, *path = NULL;
		if (str(d, e, "id", &id) < 0 || regex(d, e, "regex", "allow-rules", &re) < 0 ||
		    regex(d, e, "path", "allow-rules", &path) < 0) {
			free(re);
			return -1;
		}
		x->id = id ? shp_xstrdup(id) : NULL;
		if (re) {
			push(&x->regexes, &x->nregexes, re);
			free(re);
		}
		if (path) {
			push(&x->paths, &x->npaths, path);
			free(path);
		}
	}
	return 0;
}

/* exclude-block: {description, regexes: [...]} */
static int trivy_block(struct tdoc *d, yaml_node_t *m, char ***v, size_t *n)
{
	yaml_node_t *b = get(d, m, "exclude-block");
	if (!b || (scalar(b) && !*scalar(b)))
		return 0;
	if (b->type != YAML_MAPPING_NODE)
		return bad(d, b, "exclude-block", "a mapping (description, regexes)");
	return strs(d, b, "regexes", 1, 0, v, n);
}

/* Trivy's severities; another word (or none) leaves the finding's rule's own. */
static int trivy_severity(const char *s)
{
	static const char *const names[] = {"INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
	for (int i = 0; s && i < 5; i++)
		if (!strcasecmp(s, names[i]))
			return 1 + i;
	return 0;
}

static int trivy_rule(struct tdoc *d, yaml_node_t *m, size_t idx, struct shp_secret_config *c)
{
	_cleanup_free_ char *at = shp_asprintf("rules[%zu]", idx);
	if (m->type != YAML_MAPPING_NODE)
		return bad(d, m, at, "a rule (id, regex, ...)");
	c->rules = shp_xrealloc(c->rules, (c->nrules + 1) * sizeof *c->rules);
	struct shp_secret_rule *r = &c->rules[c->nrules++];
	*r = (struct shp_secret_rule){0};
	const char *id, *title, *sev, *group;
	if (str(d, m, "id", &id) < 0 || str(d, m, "title", &title) < 0 || str(d, m, "severity", &sev) < 0 ||
	    str(d, m, "secret-group-name", &group) < 0)
		return -1;
	if (!id || !*id)
		return bad(d, m, at, "an id");
	r->id = shp_xstrdup(id);
	r->title = title ? shp_xstrdup(title) : NULL;
	r->severity = trivy_severity(sev);
	r->group_name = group && *group ? shp_xstrdup(group) : NULL;
	r->where = place(d, m, id);
	if (regex(d, m, "regex", at, &r->regex) < 0 || regex(d, m, "path", at, &r->path) < 0 ||
	    strs(d, m, "keywords", 0, 0, &r->keywords, &r->nkeywords) < 0 ||
	    trivy_allow_rules(d, m, &r->allows, &r->nallows) < 0 || trivy_block(d, m, &r->blocks, &r->nblocks) < 0)
		return -1;
	if (!r->regex)
		return bad(d, m, at, "a regex");
	return 0;
}

/* Trivy's built-in allow rules, but those named in off[0..noff) */
static int trivy_builtin_allows(struct shp_secret_config *c, char **off, size_t noff)
{
	for (size_t i = 0; i < sizeof trivy_allows / sizeof trivy_allows[0]; i++) {
		int disabled = 0;
		for (size_t k = 0; k < noff; k++)
			disabled |= !strcmp(off[k], trivy_allows[i].id);
		if (disabled)
			continue;
		c->allows = shp_xrealloc(c->allows, (c->nallows + 1) * sizeof *c->allows);
		struct shp_secret_allow *a = &c->allows[c->nallows++];
		*a = (struct shp_secret_allow){.id = shp_xstrdup(trivy_allows[i].id)};
		push(&a->paths, &a->npaths, trivy_allows[i].path);
	}
	return 0;
}

static int trivy_doc(struct tdoc *d, struct shp_secret_config *c)
{
	yaml_node_t *root = yaml_document_get_root_node(&d->doc);
	if (!root || (root->type == YAML_SCALAR_NODE && !root->data.scalar.length))
		return trivy_builtin_allows(c, NULL, 0); /* an empty file: Trivy's defaults */
	if (root->type != YAML_MAPPING_NODE)
		return bad(d, root, "trivy-secret.yaml", "a mapping at the top level");
	yaml_node_t *rules = get(d, root, "rules");
	if (rules && !(scalar(rules) && !*scalar(rules))) {
		if (rules->type != YAML_SEQUENCE_NODE)
			return bad(d, rules, "rules", "a list of rules");
		size_t i = 0;
		for (yaml_node_item_t *it = rules->data.sequence.items.start; it < rules->data.sequence.items.top;
		     it++, i++)
			if (trivy_rule(d, node(d, *it), i, c) < 0)
				return -1;
	}
	c->only_enabled = get(d, root, "enable-builtin-rules") != NULL;
	char **off = NULL;
	size_t noff = 0;
	int rc = strs(d, root, "enable-builtin-rules", 0, 1, &c->enabled, &c->nenabled) < 0 ||
				 strs(d, root, "disable-rules", 0, 1, &c->disabled, &c->ndisabled) < 0 ||
				 strs(d, root, "disable-allow-rules", 0, 0, &off, &noff) < 0
			 ? -1
			 : 0;
	/* Trivy's built-in allow rules first, then the file's */
	if (!rc)
		trivy_builtin_allows(c, off, noff);
	for (size_t k = 0; k < noff; k++)
		free(off[k]);
	free(off);
	if (rc < 0 || trivy_allow_rules(d, root, &c->allows, &c->nallows) < 0 ||
	    trivy_block(d, root, &c->blocks, &c->nblocks) < 0)
		return -1;
	return 0;
}

static int parse_trivy(struct shp_secret_config *c, const char *name, const char *text, size_t len,
		       struct shp_error **err)
{
	if (shp_yaml_check(name, text, len, "invalid YAML", err) < 0)
		return -1;
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: out of memory", name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	struct tdoc d = {.name = name, .err = err};
	int rc;
	if (!yaml_parser_load(&parser, &d.doc)) {
		rc = shp_yaml_error(err, name, &parser, text, len, "invalid YAML");
	} else {
		rc = trivy_doc(&d, c);
		yaml_document_delete(&d.doc);
	}
	yaml_parser_delete(&parser);
	return rc;
}

/* gitleaks' format: TOML (util/toml.h), read as a cJSON tree. */

struct gdoc {
	const char *name;
	struct shp_error **err;
};

static int gbad(struct gdoc *g, const char *at, const char *expected)
{
	return shp_error_set(g->err, SHP_EXIT_INPUT, "%s: %s: expected %s", g->name, at, expected);
}

/* key's string of object o (NULL when absent). */
static int gstr(struct gdoc *g, const cJSON *o, const char *key, const char *at, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	*out = NULL;
	if (!v)
		return 0;
	if (!cJSON_IsString(v)) {
		_cleanup_free_ char *w = shp_asprintf("%s.%s", at, key);
		return gbad(g, w, "a string");
	}
	*out = v->valuestring;
	return 0;
}

static int gregex(struct gdoc *g, const cJSON *o, const char *key, const char *at, char **out)
{
	const char *s;
	if (gstr(g, o, key, at, &s) < 0)
		return -1;
	if (s && *s) {
		_cleanup_free_ char *w = shp_asprintf("%s: %s", g->name, at);
		if (check_re(s, w, key, g->err) < 0)
			return -1;
		*out = shp_xstrdup(s);
	}
	return 0;
}

/* key's list of strings, each a regex when re */
static int gstrs(struct gdoc *g, const cJSON *o, const char *key, const char *at, int re, char ***v, size_t *n)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(o, key), *e;
	if (!l)
		return 0;
	_cleanup_free_ char *w = shp_asprintf("%s.%s", at, key);
	if (!cJSON_IsArray(l))
		return gbad(g, w, "a list of strings");
	cJSON_ArrayForEach(e, l)
	{
		if (!cJSON_IsString(e))
			return gbad(g, w, "a list of strings");
		if (re) {
			_cleanup_free_ char *p = shp_asprintf("%s: %s", g->name, w);
			if (check_re(e->valuestring, p, "regex", g->err) < 0)
				return -1;
		}
		push(v, n, e->valuestring);
	}
	return 0;
}

static int gallow(struct gdoc *g, const cJSON *o, const char *at, int global, struct shp_secret_allow **a, size_t *n)
{
	if (!cJSON_IsObject(o))
		return gbad(g, at, "a table (an allowlist)");
	*a = shp_xrealloc(*a, (*n + 1) * sizeof **a);
	struct shp_secret_allow *x = &(*a)[(*n)++];
	*x = (struct shp_secret_allow){.target = SHP_ALLOW_SECRET};
	const char *cond, *target;
	if (gstr(g, o, "condition", at, &cond) < 0 || gstr(g, o, "regexTarget", at, &target) < 0)
		return -1;
	if (cond && strcasecmp(cond, "OR") && strcasecmp(cond, "AND")) {
		_cleanup_free_ char *w = shp_asprintf("%s.condition", at);
		return gbad(g, w, "\"OR\" or \"AND\"");
	}
	x->all = cond && !strcasecmp(cond, "AND");
	if (target && !strcmp(target, "match"))
		x->target = SHP_ALLOW_MATCH;
	else if (target && !strcmp(target, "line"))
		x->target = SHP_ALLOW_LINE;
	else if (target && *target && strcmp(target, "secret")) {
		_cleanup_free_ char *w = shp_asprintf("%s.regexTarget", at);
		return gbad(g, w, "\"secret\", \"match\" or \"line\"");
	}
	if (gstrs(g, o, "regexes", at, 1, &x->regexes, &x->nregexes) < 0 ||
	    gstrs(g, o, "paths", at, 1, &x->paths, &x->npaths) < 0 ||
	    gstrs(g, o, "stopwords", at, 0, &x->stopwords, &x->nstopwords) < 0 ||
	    (global && gstrs(g, o, "targetRules", at, 0, &x->rules, &x->nrules) < 0))
		return -1;
	/* commits: a git history's, and an image has none: the allowlist allows nothing more */
	return 0;
}

/* [rules.allowlist] (older) and [[rules.allowlists]] of a rule, or [allowlist] and
 * [[allowlists]] at the top */
static int gallows(struct gdoc *g, const cJSON *o, const char *at, int global, struct shp_secret_allow **a, size_t *n)
{
	const cJSON *one = cJSON_GetObjectItemCaseSensitive(o, "allowlist");
	const cJSON *many = cJSON_GetObjectItemCaseSensitive(o, "allowlists"), *e;
	_cleanup_free_ char *w1 = shp_asprintf("%s%sallowlist", at, *at ? "." : "");
	if (one && gallow(g, one, w1, global, a, n) < 0)
		return -1;
	if (!many)
		return 0;
	_cleanup_free_ char *w = shp_asprintf("%s%sallowlists", at, *at ? "." : "");
	if (!cJSON_IsArray(many))
		return gbad(g, w, "a list of tables ([[allowlists]])");
	size_t i = 0;
	cJSON_ArrayForEach(e, many)
	{
		_cleanup_free_ char *wi = shp_asprintf("%s[%zu]", w, i++);
		if (gallow(g, e, wi, global, a, n) < 0)
			return -1;
	}
	return 0;
}

static int grule(struct gdoc *g, const cJSON *o, size_t idx, struct shp_secret_config *c)
{
	_cleanup_free_ char *at = shp_asprintf("rules[%zu]", idx);
	if (!cJSON_IsObject(o))
		return gbad(g, at, "a table ([[rules]])");
	const char *id, *desc;
	if (gstr(g, o, "id", at, &id) < 0 || gstr(g, o, "description", at, &desc) < 0)
		return -1;
	if (!id || !*id)
		return gbad(g, at, "an id");
	free(at);
	at = shp_asprintf("rules[%zu] (%s)", idx, id);
	if (cJSON_GetObjectItemCaseSensitive(o, "required"))
		return shp_error_set(g->err, SHP_EXIT_INPUT, "%s: %s.required: composite rules are not supported",
				     g->name, at);
	const cJSON *regex = cJSON_GetObjectItemCaseSensitive(o, "regex");
	struct shp_secret_rule *r = NULL;
	for (size_t i = 0; i < c->nrules && !r; i++)
		if (!strcmp(c->rules[i].id, id))
			r = &c->rules[i]; /* the extended file's rule of the same id */
	if (!regex && r) {
		/* an extended file's rule extended: its allowlists are added to it */
		return gallows(g, o, at, 0, &r->allows, &r->nallows);
	}
	if (!regex && !c->no_builtins) {
		/* a default rule extended: its allowlists are added to it */
		size_t first = c->nallows;
		if (gallows(g, o, at, 0, &c->allows, &c->nallows) < 0)
			return -1;
		for (size_t i = first; i < c->nallows; i++)
			push_peer_id(&c->allows[i].rules, &c->allows[i].nrules, id);
		return 0;
	}
	if (r) {
		shp_secret_rule_free(r); /* replaced */
	} else {
		c->rules = shp_xrealloc(c->rules, (c->nrules + 1) * sizeof *c->rules);
		r = &c->rules[c->nrules++];
	}
	*r = (struct shp_secret_rule){.first_group = 1};
	r->id = shp_xstrdup(id);
	r->title = desc && *desc ? shp_xstrdup(desc) : NULL;
	r->where = shp_asprintf("%s: %s", g->name, at);
	const cJSON *grp = cJSON_GetObjectItemCaseSensitive(o, "secretGroup");
	const cJSON *ent = cJSON_GetObjectItemCaseSensitive(o, "entropy");
	if (grp && (!cJSON_IsNumber(grp) || grp->valuedouble < 0 || grp->valuedouble > 1000)) {
		_cleanup_free_ char *w = shp_asprintf("%s.secretGroup", at);
		return gbad(g, w, "a group number");
	}
	if (ent && (!cJSON_IsNumber(ent) || !(ent->valuedouble >= 0 && ent->valuedouble <= 64))) {
		_cleanup_free_ char *w = shp_asprintf("%s.entropy", at);
		return gbad(g, w, "a number of bits (0 to 8)");
	}
	r->group = grp ? (int)grp->valuedouble : 0;
	r->entropy = ent ? ent->valuedouble : 0;
	if (gregex(g, o, "regex", at, &r->regex) < 0 || gregex(g, o, "path", at, &r->path) < 0 ||
	    gstrs(g, o, "keywords", at, 0, &r->keywords, &r->nkeywords) < 0 ||
	    gallows(g, o, at, 0, &r->allows, &r->nallows) < 0)
		return -1;
	if (!r->regex)
		return shp_error_set(g->err, SHP_EXIT_INPUT,
				     "%s: %s: no regex (rules of a path alone are not supported)", g->name, at);
	if ((unsigned)r->group > groups(r->regex))
		return shp_error_set(g->err, SHP_EXIT_INPUT, "%s: %s.secretGroup: %d, but the regex has %u groups",
				     g->name, at, r->group, groups(r->regex));
	return 0;
}

/* gitleaks chains configurations to a depth of 2: a file, the one it extends, and that one's. */
#define GITLEAKS_MAX_EXTEND 2

static int parse_gitleaks(struct shp_secret_config *c, const char *name, const char *text, size_t len, int depth,
			  struct shp_error **err);

/* [extend] path: the configuration extended is read first, into c; this file's text is then
 * part of the digest too. */
static int gitleaks_base(struct shp_secret_config *c, struct gdoc *g, const char *path, int depth)
{
	if (depth >= GITLEAKS_MAX_EXTEND)
		return shp_error_set(g->err, SHP_EXIT_INPUT, "%s: extend.path: %s: extends deeper than %d files",
				     g->name, path, GITLEAKS_MAX_EXTEND);
	_cleanup_free_ char *text = NULL;
	size_t len;
	/* named inside a file: a regular file only, never stdin ("-") nor a FIFO that blocks */
	if (shp_read_file_at(AT_FDCWD, strcmp(path, "-") ? path : "./-", SHP_OPEN_FOUND, path, SHP_SECRET_CONFIG_MAX,
			     &text, &len, g->err) < 0)
		return shp_error_wrap(g->err, "%s: extend.path", g->name);
	if (memchr(text, 0, len))
		return shp_error_set(g->err, SHP_EXIT_INPUT, "%s: not a text file (a NUL byte)", path);
	if (parse_gitleaks(c, path, text, len, depth + 1, g->err) < 0)
		return -1;
	char sum[72];
	shp_sha256_buf(text, len, sum);
	_cleanup_free_ char *both = shp_asprintf("%s %s", c->digest, sum);
	shp_sha256_buf(both, strlen(both), c->digest);
	return 0;
}

static int parse_gitleaks(struct shp_secret_config *c, const char *name, const char *text, size_t len, int depth,
			  struct shp_error **err)
{
	cJSON *root = shp_toml_parse(text, len, name, err);
	if (!root)
		return -1;
	struct gdoc g = {name, err};
	int rc = 0;
	const cJSON *ext = cJSON_GetObjectItemCaseSensitive(root, "extend");
	const cJSON *use = ext ? cJSON_GetObjectItemCaseSensitive(ext, "useDefault") : NULL;
	const cJSON *base = ext ? cJSON_GetObjectItemCaseSensitive(ext, "path") : NULL;
	const cJSON *rules = cJSON_GetObjectItemCaseSensitive(root, "rules"), *e;
	if (ext && !cJSON_IsObject(ext))
		rc = gbad(&g, "extend", "a table ([extend])");
	else if (use && !cJSON_IsBool(use))
		rc = gbad(&g, "extend.useDefault", "true or false");
	else if (base && !cJSON_IsString(base))
		rc = gbad(&g, "extend.path", "a file name");
	else if (base && use && cJSON_IsTrue(use))
		rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: extend: useDefault and path cannot both be used", name);
	else if (rules && !cJSON_IsArray(rules))
		rc = gbad(&g, "rules", "a list of tables ([[rules]])");
	if (!rc && base)
		rc = gitleaks_base(c, &g, base->valuestring, depth);
	else
		c->no_builtins = !(use && cJSON_IsTrue(use));
	char **off = NULL;
	size_t noff = 0;
	if (!rc && ext)
		rc = gstrs(&g, ext, "disabledRules", "extend", 0, &off, &noff);
	for (size_t k = 0; k < noff; k++) {
		push_peer_id(&c->disabled, &c->ndisabled, off[k]);
		free(off[k]);
	}
	free(off);
	size_t i = 0;
	if (!rc && rules)
		cJSON_ArrayForEach(e, rules) if ((rc = grule(&g, e, i++, c)) < 0) break;
	if (!rc)
		rc = gallows(&g, root, "", 1, &c->allows, &c->nallows);
	cJSON_Delete(root);
	return rc;
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), l = strlen(end);
	return n >= l && !strcasecmp(s + n - l, end);
}

int shp_secret_config_parse(struct shp_secret_config *c, const char *name, const char *text, size_t len,
			    struct shp_error **err)
{
	*c = (struct shp_secret_config){.name = shp_xstrdup(name)};
	shp_sha256_buf(text, len, c->digest);
	if (memchr(text, 0, len)) {
		shp_secret_config_free(c);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: not a text file (a NUL byte)", name);
	}
	int rc = ends_with(name, ".toml") ? parse_gitleaks(c, name, text, len, 0, err)
					  : parse_trivy(c, name, text, len, err);
	if (rc < 0)
		shp_secret_config_free(c);
	return rc;
}

int shp_secret_config_load(struct shp_secret_config *c, const char *path, struct shp_error **err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	if (shp_read_file(path, SHP_SECRET_CONFIG_MAX, &text, &len, err) < 0)
		return shp_error_wrap(err, "secret configuration");
	return shp_secret_config_parse(c, path, text, len, err);
}

int shp_secret_config_load_default(struct shp_secret_config *c, struct shp_error **err)
{
	static const char *const names[] = {"trivy-secret.yaml", ".gitleaks.toml"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (access(names[i], F_OK) == 0)
			return shp_secret_config_load(c, names[i], err) < 0 ? -1 : 1;
	return 0;
}
