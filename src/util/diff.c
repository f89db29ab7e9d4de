/* diff.c - see diff.h. The texts `fix` compares differ in a few places, each a line
 * changed or a line added, so a greedy walk that, where the lines part, looks for the
 * nearest pair of lines that agree again (fewest lines skipped on both sides, within
 * SHP_DIFF_WINDOW) finds the same hunks as Myers' algorithm at a bounded cost per line.
 * Whatever it finds, the diff it writes turns a into b. */
#include "util/diff.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define CONTEXT 3

struct line {
	const char *s;
	size_t n; /* with its '\n', if it has one */
};

static struct line *split(const char *t, size_t len, size_t *n)
{
	struct line *v = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(t + off, '\n', len - off);
		size_t e = nl ? (size_t)(nl - t) + 1 : len;
		struct line l = {t + off, e - off};
		SHP_PUSH(v, *n, cap, l);
		off = e;
	}
	return v;
}

static int same(const struct line *x, const struct line *y) { return x->n == y->n && !memcmp(x->s, y->s, x->n); }

/* One step of the edit script: a line kept, removed (from a) or added (from b). */
struct op {
	char kind; /* ' ', '-', '+' */
	size_t i;  /* index in a (' ', '-') or b ('+') */
};

static void put_line(struct shp_buf *out, char kind, const struct line *l)
{
	shp_buf_putc(out, kind);
	shp_buf_add(out, l->s, l->n);
	if (!l->n || l->s[l->n - 1] != '\n')
		shp_buf_puts(out, "\n\\ No newline at end of file\n");
}

/* "start,count" as diff writes it: a range of no lines starts at the line before it. */
static void put_range(struct shp_buf *out, size_t start, size_t count)
{
	shp_buf_long(out, (long)(count ? start + 1 : start));
	if (count != 1) {
		shp_buf_putc(out, ',');
		shp_buf_long(out, (long)count);
	}
}

size_t shp_diff_unified(struct shp_buf *out, const char *name, const char *a, size_t alen, const char *b, size_t blen)
{
	size_t na, nb;
	struct line *A = split(a, alen, &na), *B = split(b, blen, &nb);
	struct op *ops = NULL;
	size_t nops = 0, cops = 0;
	size_t i = 0, j = 0;
	while (i < na || j < nb) {
		if (i < na && j < nb && same(&A[i], &B[j])) {
			struct op o = {' ', i++};
			j++;
			SHP_PUSH(ops, nops, cops, o);
			continue;
		}
		/* the nearest place both agree again: x lines of a and y of b skipped, x + y least */
		size_t bx = 1, by = 1;
		int found = 0;
		for (size_t s = 1; s <= 2 * SHP_DIFF_WINDOW && !found; s++)
			for (size_t x = s > SHP_DIFF_WINDOW ? s - SHP_DIFF_WINDOW : 0; x <= s && x <= SHP_DIFF_WINDOW;
			     x++) {
				size_t y = s - x;
				if (i + x > na || j + y > nb)
					continue;
				if ((i + x == na && j + y == nb) ||
				    (i + x < na && j + y < nb && same(&A[i + x], &B[j + y]))) {
					bx = x;
					by = y;
					found = 1;
					break;
				}
			}
		if (!found) { /* one line each way, or what is left of the longer side */
			bx = i < na ? 1 : 0;
			by = j < nb ? 1 : 0;
		}
		for (size_t k = 0; k < bx; k++) {
			struct op o = {'-', i++};
			SHP_PUSH(ops, nops, cops, o);
		}
		for (size_t k = 0; k < by; k++) {
			struct op o = {'+', j++};
			SHP_PUSH(ops, nops, cops, o);
		}
	}
	size_t hunks = 0, qpos = 0, a0 = 0, b0 = 0;
	/* hunks: changes with CONTEXT kept lines around them, joined when the context meets */
	for (size_t k = 0; k < nops;) {
		if (ops[k].kind == ' ') {
			k++;
			continue;
		}
		size_t start = k >= CONTEXT ? k - CONTEXT : 0, end = k;
		for (;;) {
			while (end < nops && ops[end].kind != ' ')
				end++;
			size_t run = end;
			while (run < nops && ops[run].kind == ' ' && run - end < 2 * CONTEXT + 1)
				run++;
			if (run < nops && ops[run].kind != ' ' && run - end <= 2 * CONTEXT) {
				end = run;
				continue;
			}
			end = end + CONTEXT < nops ? end + CONTEXT : nops;
			break;
		}
		/* the hunk's first line in a and in b, counted on from the last hunk's */
		for (; qpos < start; qpos++) {
			a0 += ops[qpos].kind != '+';
			b0 += ops[qpos].kind != '-';
		}
		size_t ac = 0, bc = 0;
		for (size_t q = start; q < end; q++) {
			ac += ops[q].kind != '+';
			bc += ops[q].kind != '-';
		}
		if (!hunks) {
			/* the name escaped as in every message; the lines are the file's, for patch */
			for (int side = 0; side < 2; side++) {
				shp_buf_puts(out, side ? "+++ " : "--- ");
				shp_buf_term_str(out, name);
				shp_buf_putc(out, '\n');
			}
		}
		shp_buf_puts(out, "@@ -");
		put_range(out, a0, ac);
		shp_buf_puts(out, " +");
		put_range(out, b0, bc);
		shp_buf_puts(out, " @@\n");
		for (size_t q = start; q < end; q++)
			put_line(out, ops[q].kind, ops[q].kind == '+' ? &B[ops[q].i] : &A[ops[q].i]);
		hunks++;
		k = end;
	}
	free(ops);
	free(A);
	free(B);
	return hunks;
}
