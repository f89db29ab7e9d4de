/* tokens.h - secrets in short strings already isolated by a parser (a Dockerfile value, a
 * RUN word, a compose or Kubernetes environment value): the content scanner's rules on the
 * string (scan.h: the same rules as files), and variable names that say "password",
 * "token", "secret". */
#pragma once
#include <stddef.h>

struct shp_token_match {
	const char *kind; /* the rule's title: "AWS access key ID", "GitHub token", ... */
	size_t off, len;  /* the match within the scanned string */
};

/* Finds the first secret in s (at least 15 bytes) that a rule of the content scanner finds,
 * as in a text that is not a file; returns 1 and fills m, or 0. */
int shp_token_find(const char *s, struct shp_token_match *m);

/* True if the variable name says it holds a secret (PASSWORD, API_KEY, TOKEN, ...),
 * and is not a pointer to one (…_FILE, …_PATH, …_DIR). */
int shp_secret_name(const char *name);

/* True if value is a literal worth reporting: non-empty, not a $reference, not a path
 * or a placeholder such as "changeme" (those are reported too, but never "" or $X). */
int shp_secret_literal(const char *value);

/* True if value is a file path ("/creds/key.json", "./k", "~/.config/x"): a pointer to a
 * secret, such as GOOGLE_APPLICATION_CREDENTIALS holds, not one. */
int shp_secret_path(const char *value);

/* Redacts a secret for display: keeps at most 4 leading characters, then "****".
 * Caller frees. */
char *shp_redact(const char *secret);
