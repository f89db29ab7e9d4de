/* scan.h - secrets in file content: our patterns compiled once into one Hyperscan
 * database that detects which kinds occur, then PCRE2 (JIT) extracts each match exactly
 * so it can be located and redacted. */
#pragma once
#include <stddef.h>

struct shp_secret_kind {
	const char *id;	   /* "aws-access-key-id" */
	const char *title; /* "AWS access key ID" */
	int severity;	   /* the rule's, 1 + enum shp_severity (0: the reporting rule's own): a
			      built-in one's critical for a usable credential on its own, high or
			      medium for a password or a part of one; a custom one's as its file says */
};

/* The kinds, indexed by the `kind` passed to callbacks: the built-in ones, then the custom
 * rules of shp_secrets_configure(). Do not free. */
const struct shp_secret_kind *shp_secret_kinds(size_t *n);
/* The PCRE2 pattern of kind k (static), for the suite's check of SHP_SECRET_MAX_MATCH. */
const char *shp_secret_pattern(size_t k);
/* The files built-in kind k is looked for in ("any text", or the one format whose syntax it
 * is), and *binary whether programs' strings too; NULL if k is not a built-in kind. For the
 * rule list of docs/rules.md. */
const char *shp_secret_where(size_t k, int *binary);

/* True if the Hyperscan databases are the ones compiled at build time (gen-hsdb.c), false if
 * this machine or library refused them and they were compiled at run time (50 ms). */
int shp_secrets_built_in(void);

/* The longest match of any pattern, in bytes: every repeat in them is bounded (the longest,
 * a PEM private key with its headers, is about 26 KB). A text scanned in windows that
 * overlap by this much has each of its secrets whole in one window. */
#define SHP_SECRET_MAX_MATCH (32u << 10)

/* Calls cb(arg, kind, start, end) for each secret in data[0..len), where [start, end) is the
 * secret itself (the part to redact). path (may be NULL) enables the KEY=value rules for
 * env and properties files. Thread-safe; scratch space is per thread. Returns the number
 * of secrets reported. */
size_t shp_secrets_scan(const char *data, size_t len, const char *path,
			void (*cb)(void *arg, int kind, size_t start, size_t end), void *arg);

/* One window of a larger text: data[0..len) is searched, but only the matches that start
 * in [from, to) are reported (a window reports up to where the next one takes over, and
 * bytes before from are there for look-behinds). binary: only the kinds whose form is
 * unmistakable (keys, cloud keys, tokens with a known prefix) are looked for. */
struct shp_secrets_window {
	size_t from, to;
	int binary;
};
size_t shp_secrets_scan_window(const char *data, size_t len, const char *path, const struct shp_secrets_window *w,
			       void (*cb)(void *arg, int kind, size_t start, size_t end), void *arg);

/* Whether secret s[0..n), found as kind, carries a checksum that holds: 1 it does, 0 it does
 * not (a made-up or mistyped token: a sample, a test's), -1 the kind has none. GitHub's
 * classic tokens (ghp_, gho_, ghu_, ghs_, ghr_) and npm's (npm_) end in the CRC32 of their 30
 * random characters, in base62, 6 digits. */
int shp_secret_checksum(int kind, const char *s, size_t n);

/* True if the base name of path is a file that holds credentials by its nature
 * (id_rsa, .netrc, credentials.json, .env ...); *what names it. */
int shp_secret_file_name(const char *path, const char **what);

/* Custom rules and allowlists, from Trivy's trivy-secret.yaml or gitleaks' .gitleaks.toml
 * (secrets/config.h reads them). Regexes are PCRE2 (Go's RE2 syntax is a subset but for
 * details: (?P<name>...) works, and a name may be given to several groups). */
enum shp_allow_target {
	SHP_ALLOW_SECRET, /* gitleaks' default: the secret (the rule's group) */
	SHP_ALLOW_MATCH,  /* the whole match */
	SHP_ALLOW_LINE,	  /* the line(s) the match is on */
	SHP_ALLOW_EITHER, /* Trivy's: the whole match, or the secret */
};
struct shp_secret_allow {
	char *id;			      /* Trivy's allow rule id (NULL: none) */
	char **regexes, **paths, **stopwords; /* paths: regexes of the file's path */
	size_t nregexes, npaths, nstopwords;
	enum shp_allow_target target;
	int all;      /* gitleaks' condition = "AND": every kind given must hold (else any one) */
	char **rules; /* a global one's targetRules: it applies to these rules alone */
	size_t nrules;
};
struct shp_secret_rule {
	char *id, *title;
	char *where;	  /* "file:line:col" or "file: rules[3]", for messages */
	int severity;	  /* 1 + enum shp_severity; 0: the reporting rule's own */
	char *regex;	  /* NULL: a rule of path alone, which is not supported (refused) */
	char *group_name; /* the secret is each group of this name (Trivy) */
	int group;	  /* or this group (gitleaks' secretGroup) */
	int first_group;  /* or the first group that matched, else the match (gitleaks) */
	double entropy;	  /* the secret's Shannon entropy must be over this (0: any) */
	char **keywords;  /* one of them (in any case) must be in the text (none: no such test) */
	size_t nkeywords;
	char *path; /* a regex the file's path must match (NULL: any file, and text not in a file) */
	struct shp_secret_allow *allows;
	size_t nallows;
	char **blocks; /* Trivy's exclude-block regexes: no secret inside their matches */
	size_t nblocks;
};
struct shp_secret_config {
	char *name; /* the file it was read from */
	struct shp_secret_rule *rules;
	size_t nrules;
	struct shp_secret_allow *allows; /* for every rule, the built-in ones too */
	size_t nallows;
	char **blocks;
	size_t nblocks;
	char **disabled; /* rules not run, by id: built-in or custom (unknown ids: none) */
	size_t ndisabled;
	char **enabled; /* Trivy's enable-builtin-rules: only these built-in ones run */
	size_t nenabled;
	int only_enabled; /* enabled is given (even empty) */
	int no_builtins;  /* gitleaks' config without [extend] useDefault: its rules replace ours */
	char digest[72];  /* of the file's text (the layer cache's records depend on it) */
};
void shp_secret_config_free(struct shp_secret_config *c);
void shp_secret_rule_free(struct shp_secret_rule *r);

/* Compiles c's rules and makes them part of every scan of this process, the built-in
 * rules it disables out of them. Called once, before any scan (not thread-safe; the scans
 * after it are). -1 and *err (exit 3, naming c->name and the rule's where) for a regex
 * that does not compile. A custom rule whose id is a built-in one's replaces it. */
struct shp_error;
int shp_secrets_configure(const struct shp_secret_config *c, struct shp_error **err);
/* The digest of the configuration in effect (shp_secret_config.digest), or NULL without one. */
const char *shp_secrets_config_digest(void);
