/* pin.c - see pin.h: resolving the references of a file (each distinct one asked once per
 * run), inserting their digests, and reading the new text again to make sure it says what was
 * meant before anything is written. */
#include "pin/pin.h"
#include "rules/rule.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct shp_pin_answer {
	char *ref;
	char *digest; /* or NULL, and error */
	char *error;
};

void shp_pin_run_free(struct shp_pin_run *run)
{
	for (size_t i = 0; i < run->ncache; i++) {
		free(run->cache[i].ref);
		free(run->cache[i].digest);
		free(run->cache[i].error);
	}
	free(run->cache);
	run->cache = NULL;
	run->ncache = run->ccache = 0;
	shp_buf_free(&run->notes);
}

void shp_pin_split(const char *ref, struct shp_pin_parts *p)
{
	*p = (struct shp_pin_parts){0};
	const char *at = strchr(ref, '@');
	size_t n = at ? (size_t)(at - ref) : strlen(ref);
	if (at)
		p->digest = at + 1;
	/* a tag is after the last ':' of the last path component (a ':' before a '/' is a port) */
	const char *slash = memrchr(ref, '/', n), *colon = memrchr(ref, ':', n);
	if (colon && (!slash || colon > slash)) {
		p->tag = colon + 1;
		p->tag_len = n - (size_t)(colon + 1 - ref);
		n = (size_t)(colon - ref);
	}
	p->name_len = n;
}

int shp_pin_digest_ok(const char *d)
{
	size_t hex;
	if (!strncmp(d, "sha256:", 7))
		hex = 64;
	else if (!strncmp(d, "sha512:", 7))
		hex = 128;
	else
		return 0;
	return strspn(d + 7, "0123456789abcdef") == hex && !d[7 + hex];
}

/* What ref names now: the digest, or NULL with *error (both owned by the run's cache). */
static const char *resolve(struct shp_pin_run *run, const char *ref, const char **error)
{
	for (size_t i = 0; i < run->ncache; i++)
		if (!strcmp(run->cache[i].ref, ref)) {
			*error = run->cache[i].error;
			return run->cache[i].digest;
		}
	struct shp_pin_answer c = {shp_xstrdup(ref), NULL, NULL};
	struct shp_error *err = NULL;
	if (run->rs->resolve(run->rs->ctx, ref, &c.digest, &err) < 0) {
		c.digest = NULL;
		c.error = shp_xstrdup(err && err->msg ? err->msg : "the registry did not resolve it");
	} else if (!c.digest || !shp_pin_digest_ok(c.digest)) {
		c.error = shp_asprintf("the registry answered a digest that is not one (%.80s)",
				       c.digest ? c.digest : "none");
		free(c.digest);
		c.digest = NULL;
	}
	shp_error_free(err);
	SHP_PUSH(run->cache, run->ncache, run->ccache, c);
	*error = c.error;
	return c.digest;
}

__attribute__((format(printf, 5, 6))) static void finding(struct shp_findings *f, const char *rule_id, const char *path,
							  const struct shp_pin_ref *r, const char *fmt, ...)
{
	const struct shp_rule *rule = shp_rule_find(rule_id);
	va_list ap;
	va_start(ap, fmt);
	struct shp_finding *x = shp_findings_addv(f, rule, rule->severity, path, r->written, fmt, ap);
	va_end(ap);
	x->line = r->line;
	x->col = r->col;
}

/* A registry error (which names the reference) at the place of r. */
static void note_error(struct shp_pin_run *run, const char *path, const struct shp_pin_ref *r, const char *error)
{
	size_t at = run->notes.len;
	shp_buf_printf(&run->notes, "%s:%d:%d: %s", path, r->line, r->col, error);
	for (size_t i = at; i < run->notes.len; i++)
		if (run->notes.data[i] == '\n')
			run->notes.data[i] = ' '; /* one line each */
	shp_buf_putc(&run->notes, '\n');
	run->errors++;
}

/* The name of the image r names, for messages: "FROM $BASE (debian:12)", "FROM debian:12". */
static char *shown(const struct shp_pin_ref *r)
{
	if (r->image && strcmp(r->image, r->written))
		return shp_asprintf("%s%s (%s)", r->what, r->written, r->image);
	return shp_asprintf("%s%s", r->what, r->written);
}

/* Checks one reference that has a digest: is it the one its tag names? */
static void check_digest(struct shp_pin_run *run, const char *path, const struct shp_pin_ref *r,
			 const struct shp_pin_parts *p, struct shp_findings *f)
{
	const char *error, *now;
	if (!p->tag) { /* NAME@DIGEST: only whether the registry has it */
		if (!resolve(run, r->image, &error))
			note_error(run, path, r, error);
		return;
	}
	_cleanup_free_ char *tagged = shp_xstrndup(r->image, (size_t)(p->digest - 1 - r->image));
	if (!(now = resolve(run, tagged, &error))) {
		note_error(run, path, r, error);
		return;
	}
	if (strcmp(now, p->digest)) {
		_cleanup_free_ char *s = shown(r);
		finding(f, "SHP6002", path, r, "%s: the tag %s now names %s, not the digest pinned", s, tagged, now);
	}
}

/* Inserts each suffix (NULL: none) at its reference's insertion point, in file order; one
 * place named twice (an ARG default two FROMs use) takes it once. Caller frees. */
static char *insert(const char *text, size_t len, const struct shp_pin_refs *refs, char *const *suffix, size_t *outlen)
{
	size_t *ord = shp_xcalloc(refs->n ? refs->n : 1, sizeof *ord), n = 0;
	for (size_t i = 0; i < refs->n; i++)
		if (suffix[i]) {
			size_t k = n++; /* insertion sort by offset: the references are nearly in order */
			while (k > 0 && refs->v[ord[k - 1]].ins > refs->v[i].ins) {
				ord[k] = ord[k - 1];
				k--;
			}
			ord[k] = i;
		}
	struct shp_buf b = {0};
	size_t pos = 0, last = SIZE_MAX;
	for (size_t k = 0; k < n; k++) {
		const struct shp_pin_ref *r = &refs->v[ord[k]];
		if (r->ins == last || r->ins > len)
			continue;
		shp_buf_add(&b, text + pos, r->ins - pos);
		shp_buf_puts(&b, suffix[ord[k]]);
		pos = last = r->ins;
	}
	shp_buf_add(&b, text + pos, len - pos);
	shp_buf_puts(&b, "");
	free(ord);
	*outlen = b.len;
	return shp_buf_steal(&b);
}

/* Whether the new text reads as the old one with the digests: the same references, in the
 * same order, each the image it was with its suffix. 0, or -1 with err naming the first that
 * is not. */
static int verify(const char *path, const char *text, size_t len, int named, const struct shp_pin_refs *old,
		  char *const *suffix, struct shp_error **err)
{
	struct shp_pin_refs now;
	_cleanup_error_ struct shp_error *e = NULL;
	int rc = shp_pin_find(path, text, len, named, &now, &e);
	int bad = rc != 0 || now.kind != old->kind || now.n != old->n ? 0 : -1;
	for (size_t i = 0; bad < 0 && i < old->n; i++) {
		const char *a = old->v[i].image, *b = now.v[i].image;
		if (!a || !b) {
			if (a != b)
				bad = (int)i;
			continue;
		}
		size_t al = strlen(a), sl = suffix[i] ? strlen(suffix[i]) : 0;
		if (strlen(b) != al + sl || memcmp(b, a, al) || (sl && memcmp(b + al, suffix[i], sl)))
			bad = (int)i;
	}
	shp_pin_refs_free(&now);
	if (bad < 0)
		return 0;
	return shp_error_set(err, SHP_EXIT_INPUT,
			     "%s:%d: pinning made the file read differently (a defect of shipshape's); nothing was "
			     "written",
			     path, old->n ? old->v[bad].line : 1);
}

int shp_pin_file(struct shp_pin_run *run, const char *path, const char *text, size_t len, int dockerfile_named,
		 char **out, size_t *outlen, size_t *pinned, struct shp_findings *f, struct shp_error **err)
{
	struct shp_pin_refs refs;
	*pinned = 0;
	int rc = shp_pin_find(path, text, len, dockerfile_named, &refs, err);
	if (rc != 0)
		return rc;
	char **suffix = shp_xcalloc(refs.n ? refs.n : 1, sizeof *suffix);
	for (size_t i = 0; i < refs.n; i++) {
		const struct shp_pin_ref *r = &refs.v[i];
		_cleanup_free_ char *s = shown(r);
		if (!r->image) {
			finding(f, "SHP6003", path, r, "%s: %s", s, r->why);
			continue;
		}
		struct shp_pin_parts p;
		shp_pin_split(r->image, &p);
		if (p.digest) {
			if (run->check)
				check_digest(run, path, r, &p, f);
			continue; /* pinned already: left as it is */
		}
		if (run->check) {
			finding(f, "SHP6001", path, r, "%s is not pinned to a digest", s);
			continue;
		}
		if (r->ins == SIZE_MAX) {
			finding(f, "SHP6001", path, r, "%s is not pinned: %s", s, r->why);
			continue;
		}
		const char *error, *digest = resolve(run, r->image, &error);
		if (!digest) {
			note_error(run, path, r, error);
			finding(f, "SHP6001", path, r, "%s is not pinned: the registry did not resolve it", s);
			continue;
		}
		suffix[i] = shp_asprintf("%s@%s", p.tag ? "" : ":latest", digest);
		(*pinned)++;
	}
	size_t n = 0;
	char *t = insert(text, len, &refs, suffix, &n);
	if (*pinned && verify(path, t, n, dockerfile_named, &refs, suffix, err) < 0)
		rc = -1;
	for (size_t i = 0; i < refs.n; i++)
		free(suffix[i]);
	free(suffix);
	shp_pin_refs_free(&refs);
	if (rc < 0) {
		free(t);
		*pinned = 0;
		return -1;
	}
	*out = t;
	*outlen = n;
	return 0;
}
