/* fix.c - see fix.h. Each offer becomes one edit (a byte range of the file and what
 * replaces it) only when the file's bytes are what the parsed form says they are there;
 * edits are made in file order, an edit that overlaps an earlier one waits for the next
 * round, and every round starts from a fresh parse of the edited text, so a defect in an
 * edit shows up as a parse error rather than as a broken Dockerfile on disk. */
#include "fix/fix.h"
#include "dockerfile/dockerfile.h"
#include "policy/policy.h"
#include "rules/lint.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct edit {
	size_t at, del;
	char *ins;
	size_t ord; /* offer order: insertions at one place keep it */
	const struct shp_fix *f;
};

/* The file's physical lines, numbered as the parser numbers them. */
struct lines {
	const char *text;
	size_t len;
	size_t *start;
	size_t n;
};

static void lines_init(struct lines *L, const char *text, size_t len)
{
	size_t cap = 0, off = len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3) ? 3 : 0;
	*L = (struct lines){text, len, NULL, 0};
	for (;;) {
		SHP_PUSH(L->start, L->n, cap, off);
		const char *nl = off < len ? memchr(text + off, '\n', len - off) : NULL;
		if (!nl)
			break;
		off = (size_t)(nl - text) + 1;
	}
}

/* Where line (1-based) starts, and where its text ends (before "\r\n" and trailing blanks). */
static int line_span(const struct lines *L, int line, size_t *s, size_t *e)
{
	if (line < 1 || (size_t)line > L->n)
		return -1;
	*s = L->start[line - 1];
	const char *nl = memchr(L->text + *s, '\n', L->len - *s);
	size_t end = nl ? (size_t)(nl - L->text) : L->len;
	while (end > *s && (L->text[end - 1] == '\r' || L->text[end - 1] == ' ' || L->text[end - 1] == '\t'))
		end--;
	*e = end;
	return 0;
}

static int is_top_level(const struct shp_dockerfile *df, const struct shp_df_instr *in)
{
	return in >= df->ins && in < df->ins + df->n;
}

/* The index in df->ins of in, or of the ONBUILD whose trigger in is. */
static size_t instr_index(const struct shp_dockerfile *df, const struct shp_df_instr *in)
{
	if (is_top_level(df, in))
		return (size_t)(in - df->ins);
	for (size_t i = 0; i < df->n; i++)
		if (df->ins[i].sub == in)
			return i;
	return SIZE_MAX;
}

/* The span of word w of command c in the file, when its bytes there are the word as the
 * shell reads it (no quotes, no escapes) and it ends where a word ends. */
static int word_span(const struct lines *L, char esc, const struct shp_sh_cmd *c, size_t w, size_t *at, size_t *end)
{
	if (!c || !c->wfile || w >= c->argc || c->wfile[w] == SIZE_MAX)
		return -1;
	const char *word = c->argv[w];
	size_t n = strlen(word), a = c->wfile[w];
	if (!n || a > L->len || n > L->len - a || memcmp(L->text + a, word, n))
		return -1;
	size_t e = a + n;
	if (e < L->len) {
		char ch = L->text[e];
		if (ch == esc) {
			if (e + 1 >= L->len || (L->text[e + 1] != '\n' && L->text[e + 1] != '\r'))
				return -1;
		} else if (!ch || !strchr(" \t\r\n;&|)", ch)) {
			return -1;
		}
	}
	*at = a;
	*end = e;
	return 0;
}

/* The keyword of an instruction (or of ONBUILD's trigger) where the file has it, and its
 * length. */
static int keyword_span(const struct lines *L, const struct shp_dockerfile *df, const struct shp_df_instr *in,
			size_t *at, size_t *kl)
{
	size_t s, e, idx = instr_index(df, in);
	if (idx == SIZE_MAX || line_span(L, in->line, &s, &e) < 0)
		return -1;
	size_t a = s + (size_t)in->col - 1, n = strlen(in->keyword);
	if (in != &df->ins[idx]) { /* after "ONBUILD" and blanks */
		if (a + 7 >= e || strncasecmp(L->text + a, "ONBUILD", 7) || !isspace((unsigned char)L->text[a + 7]))
			return -1;
		for (a += 7; a < e && isspace((unsigned char)L->text[a]);)
			a++;
	}
	if (a + n > e || strncasecmp(L->text + a, in->keyword, n) ||
	    (a + n < e && !isspace((unsigned char)L->text[a + n])))
		return -1;
	*at = a;
	*kl = n;
	return 0;
}

/* text with its first word in lower case when the file's keyword at kw is. */
static char *in_case_of(const char *kw, const char *text)
{
	char *r = shp_xstrdup(text);
	if (islower((unsigned char)kw[0]))
		for (char *p = r; *p && !isspace((unsigned char)*p); p++)
			*p = (char)tolower((unsigned char)*p);
	return r;
}

/* Whether "script && what" runs what as a command of its own, read as the rules read it:
 * not swallowed by a comment, a quote, a substitution or an expansion left open. */
static int appends_cleanly(const char *script, const char *what)
{
	struct shp_buf t = {0};
	shp_buf_puts(&t, script);
	shp_buf_puts(&t, " && ");
	size_t at = t.len;
	shp_buf_puts(&t, what);
	struct shp_sh_script sh = {0};
	shp_sh_parse(&sh, t.data, t.len);
	int ok = 0;
	for (size_t k = 0; k < sh.n && !ok; k++) {
		const struct shp_sh_cmd *c = &sh.cmds[k];
		if (c->nested || !c->argc || c->woff[0] != at)
			continue;
		struct shp_buf w = {0};
		for (size_t a = 0; a < c->argc; a++) {
			shp_buf_puts(&w, a ? " " : "");
			shp_buf_puts(&w, c->argv[a]);
		}
		ok = w.data && !strcmp(w.data, what);
		shp_buf_free(&w);
	}
	shp_sh_free(&sh);
	shp_buf_free(&t);
	return ok;
}

/* " && text" at the end of a RUN: on a line of its own, indented like the RUN's last line,
 * when the RUN already spans lines. Not after an operator or a word that needs more. */
static int append_edit(const struct lines *L, const struct shp_dockerfile *df, const struct shp_df_instr *in,
		       const char *what, struct edit *ed)
{
	static const char *const open_words[] = {"then", "do", "else", "elif", "{", "in", "!", "time", NULL};
	size_t s, e;
	if (in->kind != SHP_DF_RUN || in->json || in->nheredocs || !appends_cleanly(in->args, what) ||
	    line_span(L, in->end_line, &s, &e) < 0 || e == s)
		return -1;
	const char *t = L->text;
	if (t[e - 1] == df->escape || strchr(";&|(", t[e - 1]))
		return -1;
	size_t b = e;
	while (b > s && !isspace((unsigned char)t[b - 1]))
		b--;
	for (size_t k = 0; open_words[k]; k++)
		if (e - b == strlen(open_words[k]) && !memcmp(t + b, open_words[k], e - b))
			return -1;
	struct shp_buf ins = {0};
	if (in->end_line > in->line) {
		size_t ind = s;
		while (ind < e && (t[ind] == ' ' || t[ind] == '\t'))
			ind++;
		shp_buf_putc(&ins, ' ');
		shp_buf_putc(&ins, df->escape);
		shp_buf_puts(&ins, e < L->len && memchr(t + e, '\r', strcspn(t + e, "\n")) ? "\r\n" : "\n");
		if (ind == s)
			shp_buf_puts(&ins, "    ");
		else
			shp_buf_add(&ins, t + s, ind - s);
		shp_buf_puts(&ins, "&& ");
	} else {
		shp_buf_puts(&ins, " && ");
	}
	shp_buf_puts(&ins, what);
	ed->at = e;
	ed->del = 0;
	ed->ins = ins.data;
	return 0;
}

static int make_edit(const struct lines *L, const struct shp_dockerfile *df, const struct shp_fix *f, struct edit *ed)
{
	const struct shp_df_instr *in = f->in;
	size_t at, end, kl, s, e;
	switch (f->kind) {
	case SHP_FIX_AFTER_WORD:
		if (word_span(L, df->escape, f->c, f->word, &at, &end) < 0)
			return -1;
		ed->at = end;
		ed->del = 0;
		ed->ins = shp_xmalloc(strlen(f->text) + 2);
		ed->ins[0] = ' ';
		strcpy(ed->ins + 1, f->text);
		return 0;
	case SHP_FIX_WORD:
		if (word_span(L, df->escape, f->c, f->word, &at, &end) < 0)
			return -1;
		ed->at = at;
		ed->del = end - at;
		ed->ins = shp_xstrdup(f->text);
		return 0;
	case SHP_FIX_DROP_WORD:
		if (!f->word || word_span(L, df->escape, f->c, f->word, &at, &end) < 0 || at == 0 ||
		    (L->text[at - 1] != ' ' && L->text[at - 1] != '\t'))
			return -1;
		ed->at = at - 1;
		ed->del = end - at + 1;
		ed->ins = shp_xstrdup("");
		return 0;
	case SHP_FIX_APPEND: return append_edit(L, df, in, f->text, ed);
	case SHP_FIX_KEYWORD:
		if (keyword_span(L, df, in, &at, &kl) < 0)
			return -1;
		ed->at = at;
		ed->del = kl;
		ed->ins = in_case_of(L->text + at, f->text);
		return 0;
	case SHP_FIX_INSTR:
		if (in->end_line != in->line || in->nheredocs || keyword_span(L, df, in, &at, &kl) < 0 ||
		    line_span(L, in->line, &s, &e) < 0)
			return -1;
		ed->at = at;
		ed->del = e - at;
		ed->ins = in_case_of(L->text + at, f->text);
		return 0;
	case SHP_FIX_END: {
		if (instr_index(df, in) == SIZE_MAX || in->json || in->nheredocs || !in->argc ||
		    line_span(L, in->end_line, &s, &e) < 0)
			return -1;
		const char *last = in->argv[in->argc - 1];
		size_t b = e;
		while (b > s && !isspace((unsigned char)L->text[b - 1]))
			b--;
		if (e - b != strlen(last) || memcmp(L->text + b, last, e - b))
			return -1;
		ed->at = e;
		ed->del = 0;
		ed->ins = shp_xstrdup(f->text);
		return 0;
	}
	}
	return -1;
}

static int cmp_edit(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	/* at a script's end, what goes after its last word comes before what goes after the script */
	int xa = x->f->kind == SHP_FIX_APPEND, ya = y->f->kind == SHP_FIX_APPEND;
	if (xa != ya)
		return xa - ya;
	return (x->ord > y->ord) - (x->ord < y->ord);
}

/* What identifies an offer across rounds: the same one offered again did not take. */
struct offer_key {
	const struct shp_rule *rule;
	enum shp_fix_kind kind;
	size_t idx, cmd, word;
};

static struct offer_key key_of(const struct shp_dockerfile *df, const struct shp_fix *f)
{
	struct offer_key k = {f->rule, f->kind, instr_index(df, f->in), SIZE_MAX, f->word};
	if (f->c)
		k.cmd = (size_t)(f->c - f->in->sh.cmds);
	return k;
}

static int key_in(const struct offer_key *v, size_t n, const struct offer_key *k)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].rule == k->rule && v[i].kind == k->kind && v[i].idx == k->idx && v[i].cmd == k->cmd &&
		    v[i].word == k->word)
			return 1;
	return 0;
}

static void count_rule(struct shp_fix_result *r, const struct shp_rule *rule)
{
	size_t i = 0;
	while (i < r->nrules && strcmp(r->by_rule[i].rule->id, rule->id) < 0)
		i++;
	if (i < r->nrules && r->by_rule[i].rule == rule) {
		r->by_rule[i].n++;
		return;
	}
	r->by_rule = shp_xgrow(r->by_rule, &r->cap, r->nrules + 1, sizeof *r->by_rule);
	memmove(r->by_rule + i + 1, r->by_rule + i, (r->nrules - i) * sizeof *r->by_rule);
	r->by_rule[i] = (struct shp_fix_count){rule, 1};
	r->nrules++;
}

static void decline(struct shp_fix_result *r, const struct shp_fix *f)
{
	struct shp_fix_left l = {f->rule, f->c && f->c->line ? f->c->line : f->in->line};
	SHP_PUSH(r->declined, r->ndeclined, r->cdeclined, l);
}

static int cmp_left(const void *a, const void *b)
{
	const struct shp_fix_left *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

void shp_fix_result_free(struct shp_fix_result *r)
{
	free(r->declined);
	free(r->by_rule);
	*r = (struct shp_fix_result){0};
}

/* An edit made that added lines: its round, the line it starts on in that round's text, and
 * how many lines it added; so a line of the last text can be named by its line in the first. */
struct shift {
	int round, line, added;
};

/* The state of one file's fixing, across rounds. */
struct fixer {
	const char *path;
	const struct shp_config *cfg;
	int unsafe;
	char *cur; /* the text as the rounds so far left it */
	size_t len;
	struct offer_key *done; /* the offers made into edits */
	size_t ndone, cdone;
	struct shift *shifts;
	size_t nshifts, cshifts;
	struct shp_fix_result *res;
};

static int count_lines(const char *s, size_t n)
{
	int k = 0;
	for (const char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s))); p++)
		k++;
	return k;
}

/* Line l of the text after round r, as a line of the text before it. */
static int line_before(const struct fixer *fx, int r, int l)
{
	int cum = 0;
	for (size_t i = 0; i < fx->nshifts; i++) {
		const struct shift *sh = &fx->shifts[i];
		if (sh->round != r)
			continue;
		int at = sh->line + cum; /* where the edit starts in the text after the round */
		if (l <= at)
			break;
		if (l <= at + sh->added)
			return sh->line; /* a line the edit added: named by the line it was added to */
		cum += sh->added;
	}
	return l - cum;
}

/* One round: the offers of a fresh parse of the text become edits; those that fit are made.
 * The last round (last) only counts what is left. 1 if edits were made, 0 if not, -1 on a
 * parse error. */
static int fix_round(struct fixer *fx, int round, int last, struct shp_error **err)
{
	struct shp_fix_result *res = fx->res;
	struct shp_dockerfile *df = NULL;
	if (shp_df_parse(fx->path, fx->cur, fx->len, &df, err) < 0)
		return -1;
	struct shp_findings fs = {0};
	struct shp_fixes offers = {0};
	shp_lint_dockerfile_fix(df, fx->cfg, &fs, &offers);
	struct lines L;
	lines_init(&L, fx->cur, fx->len);
	struct edit *ed = NULL;
	size_t ne = 0, ce = 0;
	res->ndeclined = res->unsafe = 0;
	for (size_t i = 0; i < offers.n; i++) {
		const struct shp_fix *f = &offers.v[i];
		if (!shp_policy_keep(fx->cfg, &fs.v[f->finding], SHP_POLICY_IGNORE | SHP_POLICY_PRAGMA))
			continue; /* what is ignored is not fixed */
		if (f->rule->fixable == SHP_FIX_CHANGES_BUILD && !fx->unsafe) {
			res->unsafe++;
			continue;
		}
		struct offer_key k = key_of(df, f);
		struct edit e = {.ord = i, .f = f};
		if (last || key_in(fx->done, fx->ndone, &k) || make_edit(&L, df, f, &e) < 0) {
			decline(res, f);
			continue;
		}
		SHP_PUSH(ed, ne, ce, e);
	}
	if (ne)
		qsort(ed, ne, sizeof *ed, cmp_edit);
	struct shp_buf out = {0};
	size_t pos = 0, made = 0;
	for (size_t i = 0; i < ne; i++) {
		if (ed[i].at < pos) {
			decline(res, ed[i].f); /* overlaps an edit made: offered again next round */
			continue;
		}
		shp_buf_add(&out, fx->cur + pos, ed[i].at - pos);
		shp_buf_puts(&out, ed[i].ins);
		pos = ed[i].at + ed[i].del;
		struct offer_key k = key_of(df, ed[i].f);
		SHP_PUSH(fx->done, fx->ndone, fx->cdone, k);
		int added = count_lines(ed[i].ins, strlen(ed[i].ins)) - count_lines(fx->cur + ed[i].at, ed[i].del);
		if (added) {
			size_t lo = 0, hi = L.n; /* the line holding ed[i].at */
			while (hi - lo > 1) {
				size_t mid = lo + (hi - lo) / 2;
				if (L.start[mid] <= ed[i].at)
					lo = mid;
				else
					hi = mid;
			}
			struct shift sh = {round, (int)lo + 1, added};
			SHP_PUSH(fx->shifts, fx->nshifts, fx->cshifts, sh);
		}
		count_rule(res, ed[i].f->rule);
		made++;
	}
	if (made) {
		shp_buf_add(&out, fx->cur + pos, fx->len - pos);
		free(fx->cur);
		fx->cur = out.data;
		fx->len = out.len;
		res->applied += made;
	} else {
		shp_buf_free(&out);
	}
	for (size_t i = 0; i < ne; i++)
		free(ed[i].ins);
	free(ed);
	free(L.start);
	shp_fixes_free(&offers);
	shp_findings_free(&fs);
	shp_df_free(df);
	return made ? 1 : 0;
}

int shp_fix_text(const char *path, const char *text, size_t len, const struct shp_config *cfg, int unsafe, char **out,
		 size_t *outlen, struct shp_fix_result *res, struct shp_error **err)
{
	*res = (struct shp_fix_result){0};
	struct fixer fx = {
		.path = path, .cfg = cfg, .unsafe = unsafe, .cur = shp_xstrndup(text, len), .len = len, .res = res};
	int rc = 0, round;
	for (round = 0; round <= SHP_FIX_ROUNDS; round++) {
		rc = fix_round(&fx, round, round == SHP_FIX_ROUNDS, err);
		if (rc < 0 && round > 0)
			shp_error_wrap(err, "a fix made %s unparsable, a defect of shipshape's; nothing was written",
				       path);
		if (rc <= 0)
			break;
		res->rounds++;
	}
	/* the offers left were read off the last text: name their lines in the text given */
	for (size_t i = 0; rc == 0 && i < res->ndeclined; i++)
		for (int r = round - 1; r >= 0; r--)
			res->declined[i].line = line_before(&fx, r, res->declined[i].line);
	if (res->ndeclined)
		qsort(res->declined, res->ndeclined, sizeof *res->declined, cmp_left);
	free(fx.done);
	free(fx.shifts);
	if (rc < 0) {
		free(fx.cur);
		shp_fix_result_free(res);
		return -1;
	}
	*out = fx.cur;
	*outlen = fx.len;
	return 0;
}
