/* refs.c - see pin.h: finding the image references of a file, and the exact bytes where
 * each is written. The parsers (dockerfile/, audit/yaml.h) say what the references are; the
 * file's own bytes are then matched against what they say, so a digest is only ever inserted
 * where the text is the reference as it stands (no quotes to undo, no escapes, not folded over
 * lines). Where that is not so, the reference is reported with the reason instead. */
#include "audit/readers.h"
#include "dockerfile/dockerfile.h"
#include "pin/pin.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char not_plain[] = "written with quotes, escapes or over several lines: not plain enough to edit in place";
static const char templated[] = "a template placeholder ({{ ... }}): render the template and pin what it gives";

void shp_pin_refs_free(struct shp_pin_refs *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].image);
		free(r->v[i].written);
		free(r->v[i].why);
	}
	free(r->v);
	*r = (struct shp_pin_refs){0};
}

static int add_ref(struct shp_pin_refs *out, const char *path, struct shp_pin_ref *r, struct shp_error **err)
{
	if (out->n >= SHP_PIN_MAX_REFS) {
		free(r->image);
		free(r->written);
		free(r->why);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: more than %d image references", path, SHP_PIN_MAX_REFS);
	}
	SHP_PUSH(out->v, out->n, out->cap, *r);
	return 0;
}

/* Where value is in raw (n bytes): raw is value as it is, or value in quotes with nothing in
 * it the quotes would change. [*vs, *ve) in raw, or -1. */
static int value_span(const char *raw, size_t n, const char *value, size_t *vs, size_t *ve)
{
	size_t vl = strlen(value);
	if (!vl)
		return -1;
	if (n == vl && !memcmp(raw, value, n)) {
		*vs = 0;
		*ve = n;
		return 0;
	}
	if (n == vl + 2 && (raw[0] == '"' || raw[0] == '\'') && raw[n - 1] == raw[0] && !memcmp(raw + 1, value, vl) &&
	    !memchr(value, raw[0], vl) && !memchr(value, '\\', vl)) {
		*vs = 1;
		*ve = n - 1;
		return 0;
	}
	return -1;
}

/* ---- Dockerfiles ------------------------------------------------------------------------- */

/* A piece of an instruction's logical line (continuations joined) and where it is in the file. */
struct seg {
	size_t off, at;
};

struct logical {
	struct shp_buf s;
	struct seg *segs;
	size_t n, cap;
};

/* A word of a logical line: [a, b). */
struct word {
	size_t a, b;
};

struct dfx {
	const char *path, *text;
	size_t len;
	size_t *lstart; /* physical lines, numbered as the parser numbers them */
	size_t nlines;
	const struct shp_dockerfile *df;
	struct shp_pin_refs *out;
};

static size_t line_end(const struct dfx *x, size_t li)
{
	const char *nl = memchr(x->text + x->lstart[li], '\n', x->len - x->lstart[li]);
	size_t e = nl ? (size_t)(nl - x->text) : x->len;
	if (e > x->lstart[li] && x->text[e - 1] == '\r')
		e--;
	return e;
}

/* Lines the parser passes over inside a continued instruction: blank, comments, and whole
 * {{ ... }} template lines. */
static int passed_over(const struct dfx *x, size_t li)
{
	size_t s = x->lstart[li], e = line_end(x, li);
	while (s < e && isspace((unsigned char)x->text[s]))
		s++;
	if (s == e || x->text[s] == '#')
		return 1;
	while (e > s && isspace((unsigned char)x->text[e - 1]))
		e--;
	return e - s >= 4 && !memcmp(x->text + s, "{{", 2) && !memcmp(x->text + e - 2, "}}", 2);
}

/* The logical line of in as the parser joins it, with where each piece is in the file. */
static void logical_of(const struct dfx *x, const struct shp_df_instr *in, struct logical *lg)
{
	size_t li = (size_t)in->line - 1;
	size_t start = x->lstart[li] + (size_t)in->col - 1;
	char esc = x->df->escape;
	for (;;) {
		size_t n = line_end(x, li);
		while (n > start && (x->text[n - 1] == ' ' || x->text[n - 1] == '\t'))
			n--;
		int cont = n > start && x->text[n - 1] == esc;
		if (cont)
			n--;
		struct seg sg = {lg->s.len, start};
		SHP_PUSH(lg->segs, lg->n, lg->cap, sg);
		shp_buf_add(&lg->s, x->text + start, n - start);
		li++;
		if (!cont)
			break;
		while (li < x->nlines && passed_over(x, li))
			li++;
		if (li >= x->nlines)
			break;
		start = x->lstart[li];
	}
	shp_buf_puts(&lg->s, "");
}

/* The file offset of byte off of the logical line. */
static size_t file_at(const struct logical *lg, size_t off)
{
	size_t lo = 0, hi = lg->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (lg->segs[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lg->segs[lo].at + (off - lg->segs[lo].off);
}

/* The words of a logical line, split at blanks outside quotes as the parser splits flags. */
static size_t words_of(const struct logical *lg, struct word **w)
{
	const char *s = lg->s.data;
	size_t n = lg->s.len, cnt = 0, cap = 0, i = 0;
	*w = NULL;
	for (;;) {
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i >= n)
			break;
		struct word wd = {i, i};
		char quote = 0;
		while (i < n && (quote || !isspace((unsigned char)s[i]))) {
			if (!quote && (s[i] == '"' || s[i] == '\''))
				quote = s[i];
			else if (quote && s[i] == quote)
				quote = 0;
			i++;
		}
		wd.b = i;
		SHP_PUSH(*w, cnt, cap, wd);
	}
	return cnt;
}

static int is_flag(const struct logical *lg, const struct word *w)
{
	const char *s = lg->s.data + w->a;
	return w->b - w->a > 2 && s[0] == '-' && s[1] == '-' && isalpha((unsigned char)s[2]);
}

static void place(const struct dfx *x, size_t at, struct shp_pin_ref *r)
{
	size_t lo = 0, hi = x->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->lstart[mid] <= at)
			lo = mid;
		else
			hi = mid;
	}
	r->at = at;
	r->line = (int)lo + 1;
	r->col = (int)(at - x->lstart[lo]) + 1;
}

/* Sets r's place and insertion point from value's span [s, e) of the logical line: raw is the
 * word (or the field of it) that holds value. */
static void locate(const struct dfx *x, const struct logical *lg, size_t s, size_t e, const char *value,
		   struct shp_pin_ref *r)
{
	size_t vs, ve;
	if (value_span(lg->s.data + s, e - s, value, &vs, &ve) < 0) {
		place(x, file_at(lg, s), r);
		r->ins = SIZE_MAX;
		r->why = shp_xstrdup(not_plain);
		return;
	}
	place(x, file_at(lg, s + vs), r);
	/* after the value's last byte: a value continued over lines ends where its last piece does */
	r->ins = file_at(lg, s + ve - 1) + 1;
}

/* The global ARG (before the first FROM) that defines name last, or NULL. */
static const struct shp_df_def *global_arg(const struct shp_dockerfile *df, const char *name)
{
	const struct shp_df_def *d = NULL;
	for (size_t i = 0; i < df->ndefs; i++)
		if (df->defs[i].stage == -1 && !strcmp(df->defs[i].name, name) && (!d || df->defs[i].idx > d->idx))
			d = &df->defs[i];
	return d;
}

/* The name of the one variable s is ($NAME or ${NAME}), or NULL. Caller frees. */
static char *single_var(const char *s)
{
	if (s[0] != '$')
		return NULL;
	int brace = s[1] == '{';
	const char *n = s + 1 + brace, *e = n;
	if (!isalpha((unsigned char)*e) && *e != '_')
		return NULL;
	while (isalnum((unsigned char)*e) || *e == '_')
		e++;
	if (brace ? strcmp(e, "}") : *e)
		return NULL;
	return shp_xstrndup(n, (size_t)(e - n));
}

struct lookup {
	const struct shp_dockerfile *df;
	size_t idx; /* SHP_DF_NONE: the global ARGs (FROM), else the stage's variables there */
	struct shp_buf missing;
};

static const char *lookup_var(const char *name, void *arg)
{
	struct lookup *l = arg;
	const char *v;
	if (l->idx == SHP_DF_NONE) {
		const struct shp_df_def *d = global_arg(l->df, name);
		v = d ? d->value : NULL;
	} else {
		v = shp_df_var(l->df, l->idx, name);
	}
	if (!v)
		shp_buf_printf(&l->missing, "%s%s", l->missing.len ? ", " : "", name);
	return v;
}

/* s with its variables expanded, or NULL with *why naming those that have no value. */
static char *expand(const struct shp_dockerfile *df, size_t idx, const char *s, char **why)
{
	struct lookup l = {df, idx, {0}};
	int unres = 0;
	char *r = shp_df_expand(s, lookup_var, &l, &unres);
	if (unres || strchr(r, '$')) {
		*why = l.missing.len
			       ? shp_asprintf("%s %s no default value (only --build-arg sets it): the image cannot "
					      "be known here, so it is not pinned",
					      l.missing.data, strchr(l.missing.data, ',') ? "have" : "has")
			       : shp_xstrdup("an ARG default is itself made of variables: the image cannot be "
					     "known here, so it is not pinned");
		free(r);
		r = NULL;
	}
	shp_buf_free(&l.missing);
	return r;
}

/* Whether s refers to variable var ($VAR, ${VAR...}). */
static int uses_var(const char *s, const char *var)
{
	size_t vl = strlen(var);
	for (const char *p = strchr(s, '$'); p; p = strchr(p + 1, '$')) {
		const char *n = p + 1 + (p[1] == '{');
		if (!strncmp(n, var, vl) && !isalnum((unsigned char)n[vl]) && n[vl] != '_')
			return 1;
	}
	return 0;
}

/* The line of an image or --from that uses var otherwise than as the whole reference (a
 * digest in var's default would change what it names), or 0. */
static int used_within(const struct shp_dockerfile *df, const char *var)
{
	for (size_t k = 0; k < df->nstages; k++) {
		const char *img = df->stages[k].image;
		_cleanup_free_ char *alone = single_var(img);
		if (uses_var(img, var) && !(alone && !strcmp(alone, var)))
			return df->ins[df->stages[k].from].line;
	}
	for (size_t i = 0; i < df->n; i++)
		for (size_t f = 0; f < df->ins[i].nflags; f++) {
			const struct shp_df_flag *fl = &df->ins[i].flags[f];
			if ((!strcmp(fl->name, "from") || !strcmp(fl->name, "mount")) && fl->value &&
			    uses_var(fl->value, var))
				return df->ins[i].line;
		}
	return 0;
}

/* The insertion point for a FROM $NAME: in the default of the global ARG NAME, when that is
 * the image as it is (no variables of its own) and no other reference is made with it. */
static void in_arg_default(const struct dfx *x, const char *var, struct shp_pin_ref *r)
{
	const struct shp_df_def *d = global_arg(x->df, var);
	r->ins = SIZE_MAX;
	if (!d || !d->value || strchr(d->value, '$')) {
		r->why = shp_asprintf("%s's default is made of variables: pin it where they are set", var);
		return;
	}
	int other = used_within(x->df, var);
	if (other) {
		r->why = shp_asprintf("%s is also part of the reference on line %d, which a digest in its default "
				      "would break: pin them by hand",
				      var, other);
		return;
	}
	struct logical lg = {0};
	struct word *w = NULL;
	logical_of(x, &x->df->ins[d->idx], &lg);
	size_t nw = words_of(&lg, &w), vl = strlen(var);
	for (size_t k = 1; k < nw && r->ins == SIZE_MAX; k++) {
		const char *s = lg.s.data + w[k].a;
		if (w[k].b - w[k].a <= vl || memcmp(s, var, vl) || s[vl] != '=')
			continue;
		size_t vs, ve, a = w[k].a + vl + 1;
		if (value_span(lg.s.data + a, w[k].b - a, d->value, &vs, &ve) == 0)
			r->ins = file_at(&lg, a + ve - 1) + 1;
	}
	if (r->ins == SIZE_MAX)
		r->why = shp_asprintf("%s's default is %s", var, not_plain);
	free(w);
	free(lg.segs);
	shp_buf_free(&lg.s);
}

static int df_from(const struct dfx *x, size_t i, const struct logical *lg, const struct word *w, size_t nw,
		   struct shp_error **err)
{
	const struct shp_df_instr *in = &x->df->ins[i];
	const struct shp_df_stage *st = &x->df->stages[in->stage];
	size_t k = 1;
	while (k < nw && is_flag(lg, &w[k]))
		k++;
	if (k >= nw || st->parent >= 0)
		return 0; /* FROM a stage */
	if (st->resolved && !strcasecmp(st->resolved, "scratch"))
		return 0;
	struct shp_pin_ref r = {.what = "FROM ", .ins = SIZE_MAX};
	r.written = shp_xstrndup(lg->s.data + w[k].a, w[k].b - w[k].a);
	_cleanup_free_ char *var = single_var(st->image);
	if (strstr(st->image, "{{")) {
		place(x, file_at(lg, w[k].a), &r);
		r.why = shp_xstrdup(templated);
		return add_ref(x->out, x->path, &r, err);
	}
	if (!strchr(st->image, '$')) {
		r.image = shp_xstrdup(st->image);
		locate(x, lg, w[k].a, w[k].b, st->image, &r);
		return add_ref(x->out, x->path, &r, err);
	}
	place(x, file_at(lg, w[k].a), &r);
	r.image = expand(x->df, SHP_DF_NONE, st->image, &r.why);
	if (r.image && var)
		in_arg_default(x, var, &r);
	else if (r.image)
		r.why = shp_xstrdup("made of several variables: pin it where they are set");
	return add_ref(x->out, x->path, &r, err);
}

/* Whether v names a stage for an instruction of stage `stage`: its index, or the name of a
 * stage up to this one (--from of its own stage is an error of the build, not an image). */
static int names_stage(const struct shp_dockerfile *df, const char *v, int stage)
{
	size_t n = strspn(v, "0123456789");
	return (n && !v[n]) || shp_df_stage_by_alias(df, v, stage + 1) >= 0;
}

/* A --from=VALUE or a mount's from=VALUE at [s, e) of the logical line. */
static int df_from_flag(const struct dfx *x, size_t i, const struct logical *lg, size_t s, size_t e, const char *what,
			struct shp_error **err)
{
	const struct shp_df_instr *in = &x->df->ins[i];
	_cleanup_free_ char *v = shp_xstrndup(lg->s.data + s, e - s);
	/* the value as the parser reads a flag: quotes dropped */
	size_t vl = 0;
	for (char *c = v; *c; c++)
		if (*c != '"' && *c != '\'')
			v[vl++] = *c;
	v[vl] = 0;
	if (!vl)
		return 0;
	struct shp_pin_ref r = {.what = what, .ins = SIZE_MAX};
	if (strstr(v, "{{")) {
		r.written = shp_xstrndup(lg->s.data + s, e - s);
		place(x, file_at(lg, s), &r);
		r.why = shp_xstrdup(templated);
		return add_ref(x->out, x->path, &r, err);
	}
	if (!strchr(v, '$')) {
		if (names_stage(x->df, v, in->stage) || !strcasecmp(v, "scratch"))
			return 0;
		r.written = shp_xstrndup(lg->s.data + s, e - s);
		r.image = shp_xstrdup(v);
		locate(x, lg, s, e, v, &r);
		return add_ref(x->out, x->path, &r, err);
	}
	r.image = expand(x->df, i, v, &r.why);
	if (r.image && names_stage(x->df, r.image, in->stage)) {
		free(r.image);
		return 0;
	}
	if (r.image)
		r.why = shp_xstrdup("written with variables: pin it where they are set");
	r.written = shp_xstrndup(lg->s.data + s, e - s);
	place(x, file_at(lg, s), &r);
	return add_ref(x->out, x->path, &r, err);
}

static int df_flags(const struct dfx *x, size_t i, const struct logical *lg, const struct word *w, size_t nw,
		    struct shp_error **err)
{
	const struct shp_df_instr *in = &x->df->ins[i];
	const char *t = lg->s.data;
	for (size_t k = 1; k < nw && is_flag(lg, &w[k]); k++) {
		size_t a = w[k].a, b = w[k].b;
		if (in->kind == SHP_DF_COPY && b - a > 7 && !memcmp(t + a, "--from=", 7)) {
			if (df_from_flag(x, i, lg, a + 7, b, "COPY --from=", err) < 0)
				return -1;
		} else if (in->kind == SHP_DF_RUN && b - a > 8 && !memcmp(t + a, "--mount=", 8)) {
			/* type=bind,from=IMAGE,target=...: the from= field */
			for (size_t f = a + 8; f < b;) {
				const char *comma = memchr(t + f, ',', b - f);
				size_t fe = comma ? (size_t)(comma - t) : b;
				if (fe - f > 5 && !memcmp(t + f, "from=", 5) &&
				    df_from_flag(x, i, lg, f + 5, fe, "RUN --mount=...,from=", err) < 0)
					return -1;
				f = fe + 1;
			}
		}
	}
	return 0;
}

static int df_find(const char *path, const char *text, size_t len, const struct shp_dockerfile *df,
		   struct shp_pin_refs *out, struct shp_error **err)
{
	struct dfx x = {path, text, len, NULL, 0, df, out};
	size_t cap = 0, off = len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3) ? 3 : 0;
	for (;;) {
		SHP_PUSH(x.lstart, x.nlines, cap, off);
		const char *nl = off < len ? memchr(text + off, '\n', len - off) : NULL;
		if (!nl)
			break;
		off = (size_t)(nl - text) + 1;
	}
	out->kind = SHP_PIN_DOCKERFILE;
	int rc = 0;
	for (size_t i = 0; i < df->n && rc == 0; i++) {
		const struct shp_df_instr *in = &df->ins[i];
		if (in->kind != SHP_DF_FROM && in->kind != SHP_DF_COPY && in->kind != SHP_DF_RUN)
			continue;
		if (in->kind == SHP_DF_FROM ? in->stage < 0 : !in->nflags)
			continue;
		struct logical lg = {0};
		struct word *w = NULL;
		logical_of(&x, in, &lg);
		size_t nw = words_of(&lg, &w);
		rc = in->kind == SHP_DF_FROM ? df_from(&x, i, &lg, w, nw, err) : df_flags(&x, i, &lg, w, nw, err);
		free(w);
		free(lg.segs);
		shp_buf_free(&lg.s);
	}
	free(x.lstart);
	return rc;
}

/* ---- compose files and Kubernetes manifests ---------------------------------------------- */

struct yx {
	const char *path, *text;
	size_t len;
	size_t bom;
	size_t ci, bi; /* a character index and its byte offset: marks are looked up in order */
	yaml_document_t *d;
	struct shp_pin_refs *out;
};

/* The byte offset of character ci (libyaml's marks count characters, without a byte order
 * mark; an input that is not UTF-8 gives offsets whose bytes do not match, and no edit). */
static size_t byte_at(struct yx *x, size_t ci)
{
	if (ci < x->ci) {
		x->ci = 0;
		x->bi = x->bom;
	}
	while (x->ci < ci && x->bi < x->len) {
		x->bi++;
		while (x->bi < x->len && ((unsigned char)x->text[x->bi] & 0xc0) == 0x80)
			x->bi++;
		x->ci++;
	}
	return x->bi;
}

static int y_image(struct yx *x, ynode *n, int compose, struct shp_error **err)
{
	const char *v = shp_y_str(n);
	if (!v || !*v)
		return 0;
	size_t s = byte_at(x, n->start_mark.index), e = byte_at(x, n->end_mark.index);
	if (e < s)
		e = s;
	/* a node's marks include its properties: &anchor, !tag */
	size_t p = s, chars = 0;
	while (p < e && (x->text[p] == '&' || x->text[p] == '!')) {
		while (p < e && !isspace((unsigned char)x->text[p]))
			p++;
		while (p < e && isspace((unsigned char)x->text[p]))
			p++;
	}
	for (size_t q = s; q < p; q++)
		chars += ((unsigned char)x->text[q] & 0xc0) != 0x80;
	for (size_t i = 0; i < x->out->n; i++)
		if (x->out->v[i].at == p || (x->out->v[i].at == p + 1 && p < e && strchr("\"'", x->text[p])))
			return 0; /* one node met twice: an alias, a merge key */
	struct shp_pin_ref r = {.what = "image: ", .ins = SIZE_MAX};
	r.written = shp_xstrdup(v); /* the scalar's value: its quotes are the file's, not the reference's */
	r.at = p;
	r.line = (int)n->start_mark.line + 1;
	r.col = (int)(n->start_mark.column + chars) + 1;
	if (strstr(v, "{{")) {
		r.why = shp_xstrdup(templated);
		return add_ref(x->out, x->path, &r, err);
	}
	if (strchr(v, '$')) {
		r.why = shp_xstrdup(compose ? "interpolated from variables (${...}): pin it where they are set"
					    : "not an image name ($)");
		return add_ref(x->out, x->path, &r, err);
	}
	r.image = shp_xstrdup(v);
	size_t vs, ve;
	yaml_scalar_style_t style = n->data.scalar.style;
	int inline_style = style == YAML_PLAIN_SCALAR_STYLE || style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
			   style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	if (inline_style && value_span(x->text + p, e - p, v, &vs, &ve) == 0) {
		r.at = p + vs;
		r.col += (int)vs;
		r.ins = p + ve;
	} else {
		r.why = shp_xstrdup(inline_style ? not_plain
						 : "a block scalar (| or >): not plain enough to edit in place");
	}
	return add_ref(x->out, x->path, &r, err);
}

static int compose_refs(struct yx *x, ynode *services, struct shp_error **err)
{
	for (size_t i = 0; i < shp_y_npairs(services); i++) {
		ynode *svc = shp_y_val(x->d, services, i);
		if (shp_y_is_map(svc) && y_image(x, shp_y_get(x->d, svc, "image"), 1, err) < 0)
			return -1;
	}
	return 0;
}

/* A Kubernetes object (a List's items too): 1 if it is one, 0 if not, -1 with err. */
static int k8s_refs(struct yx *x, ynode *obj, int depth, struct shp_error **err)
{
	const char *kind = shp_y_str(shp_y_get(x->d, obj, "kind"));
	if (!kind || !shp_y_get(x->d, obj, "apiVersion"))
		return 0;
	size_t kl = strlen(kind);
	if (kl >= 4 && !strcmp(kind + kl - 4, "List")) {
		ynode *items = shp_y_get(x->d, obj, "items");
		for (size_t i = 0; depth < 4 && i < shp_y_len(items); i++)
			if (k8s_refs(x, shp_y_item(x->d, items, i), depth + 1, err) < 0)
				return -1;
		return 1;
	}
	ynode *meta;
	ynode *spec = shp_k8s_pod_spec(x->d, obj, kind, &meta);
	static const char *const lists[] = {"initContainers", "containers", "ephemeralContainers"};
	for (size_t l = 0; shp_y_is_map(spec) && l < 3; l++) {
		ynode *cs = shp_y_get(x->d, spec, lists[l]);
		for (size_t i = 0; i < shp_y_len(cs); i++)
			if (y_image(x, shp_y_get(x->d, shp_y_item(x->d, cs, i), "image"), 0, err) < 0)
				return -1;
	}
	return 1;
}

/* 1 with the references of a stream of compose files or Kubernetes objects, 0 when no
 * document is either, -1 with err. */
static int yaml_find(const char *path, const char *text, size_t len, struct shp_ystream *ys, struct shp_pin_refs *out,
		     struct shp_error **err)
{
	struct yx x = {path, text, len, 0, 0, 0, NULL, out};
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		x.bom = x.bi = 3;
	for (size_t i = 0; i < ys->n; i++) {
		x.d = &ys->docs[i];
		ynode *root = shp_y_root(x.d), *services = shp_y_get(x.d, root, "services");
		int rc;
		if (shp_y_is_map(services)) {
			rc = compose_refs(&x, services, err);
			if (rc == 0 && out->kind == SHP_PIN_NONE)
				out->kind = SHP_PIN_COMPOSE;
		} else {
			rc = k8s_refs(&x, root, 0, err);
			if (rc > 0 && out->kind == SHP_PIN_NONE)
				out->kind = SHP_PIN_K8S;
		}
		if (rc < 0)
			return -1;
	}
	return out->kind != SHP_PIN_NONE;
}

/* Whether text that is not YAML may have been meant as a compose file or a manifest. */
static int may_be_yaml(const char *text, size_t len)
{
	return memmem(text, len, "services:", 9) || memmem(text, len, "apiVersion", 10);
}

int shp_pin_find(const char *path, const char *text, size_t len, int dockerfile_named, struct shp_pin_refs *out,
		 struct shp_error **err)
{
	*out = (struct shp_pin_refs){0};
	struct shp_dockerfile *df = NULL;
	int rc;
	if (!dockerfile_named) {
		struct shp_ystream ys;
		_cleanup_error_ struct shp_error *yerr = NULL;
		if (shp_ystream_parse(&ys, path, text, len, &yerr) == 0) {
			rc = yaml_find(path, text, len, &ys, out, err);
			shp_ystream_free(&ys);
			if (rc != 0) {
				if (rc < 0)
					shp_pin_refs_free(out);
				return rc < 0 ? -1 : 0;
			}
			shp_pin_refs_free(out);
		}
		/* not ours as YAML: a Dockerfile by another name, when it parses as one */
		_cleanup_error_ struct shp_error *derr = NULL;
		if (shp_df_parse(path, text, len, &df, &derr) < 0 || !df->nstages) {
			shp_df_free(df);
			if (yerr && may_be_yaml(text, len)) {
				*err = steal_pointer(&yerr);
				return -1;
			}
			return 1;
		}
	} else if (shp_df_parse(path, text, len, &df, err) < 0) {
		return -1;
	}
	rc = df_find(path, text, len, df, out, err);
	shp_df_free(df);
	if (rc < 0)
		shp_pin_refs_free(out);
	return rc;
}
