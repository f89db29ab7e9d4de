/* fuzz-dockerfile.c - libFuzzer target: parse and lint arbitrary bytes as a Dockerfile.
 * Every rule runs, so the shell splitter, substitution and rule helpers are fuzzed too; then
 * the findings (their evidence cut from the input) are rendered in every format, and the JSON
 * and XML ones must be UTF-8 without raw control bytes whatever the input held. What parses
 * is fixed (shipshape fix --unsafe): the result must parse, and fixing it again must change
 * nothing; the diff between the two texts is written too. */
#include "fix/fix.h"
#include "report/report.h"
#include "rules/lint.h"
#include "util/buf.h"
#include "util/diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* UTF-8 throughout, and no control byte but the line break a document's layout puts in. */
static void check_clean(const struct shp_buf *b)
{
	const unsigned char *p = (const unsigned char *)(b->data ? b->data : "");
	while (*p) {
		size_t n = shp_utf8_seq(p);
		if (!n || (*p < 0x20 && *p != '\n'))
			abort();
		p += n;
	}
	if ((size_t)(p - (const unsigned char *)(b->data ? b->data : "")) != b->len)
		abort(); /* a NUL inside */
}

static void check_fix(const char *text, size_t size, const struct shp_config *cfg)
{
	char *fixed = NULL, *again = NULL;
	size_t flen = 0, alen = 0;
	struct shp_fix_result res, res2;
	struct shp_error *err = NULL;
	if (shp_fix_text("fuzz", text, size, cfg, 1, &fixed, &flen, &res, &err) < 0)
		abort(); /* it parsed, so an edit broke it */
	if (shp_fix_text("fuzz", fixed, flen, cfg, 1, &again, &alen, &res2, &err) < 0)
		abort();
	if (res.rounds < SHP_FIX_ROUNDS && (alen != flen || memcmp(again, fixed, flen)))
		abort(); /* an offer that did not take, made again */
	struct shp_buf d = {0};
	if (!shp_diff_unified(&d, "fuzz", text, size, fixed, flen) != !(flen != size || memcmp(text, fixed, size)))
		abort(); /* hunks exactly when the texts differ */
	shp_buf_free(&d);
	shp_fix_result_free(&res);
	shp_fix_result_free(&res2);
	free(fixed);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	struct shp_config cfg = {.fail_on = SHP_SEV_NONE};
	char *trusted = "docker.io";
	cfg.trusted = &trusted;
	cfg.ntrusted = 1;
	struct shp_findings f = {0};
	struct shp_error *err = NULL;
	if (shp_lint_buffer("fuzz", text, size, &cfg, &f, &err) < 0)
		shp_error_free(err);
	else
		check_fix(text, size, &cfg);
	static const enum shp_format fmts[] = {SHP_FMT_TEXT,	   SHP_FMT_JSON,  SHP_FMT_SARIF, SHP_FMT_CODECLIMATE,
					       SHP_FMT_CHECKSTYLE, SHP_FMT_JUNIT, SHP_FMT_GNU,	 SHP_FMT_GITHUB};
	struct shp_report_opts ro = {.fail_on = SHP_SEV_HIGH, .files = 1, .command = "lint"};
	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		struct shp_buf b = {0};
		shp_report(&b, fmts[i], &f, &ro);
		if (fmts[i] == SHP_FMT_JSON || fmts[i] == SHP_FMT_SARIF || fmts[i] == SHP_FMT_CODECLIMATE ||
		    fmts[i] == SHP_FMT_CHECKSTYLE || fmts[i] == SHP_FMT_JUNIT)
			check_clean(&b);
		shp_buf_free(&b);
	}
	shp_findings_free(&f);
	free(text);
	return 0;
}
