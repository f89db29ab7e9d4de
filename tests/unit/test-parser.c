/* test-parser.c - the Dockerfile parser: directives, continuations, heredocs, forms,
 * flags, key/values, ONBUILD, stages with ARG substitution, pragmas and errors. */
#include "dockerfile/dockerfile.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static struct shp_dockerfile *parse(const char *t)
{
	struct shp_dockerfile *df = NULL;
	struct shp_error *err = NULL;
	if (shp_df_parse("Dockerfile", t, strlen(t), &df, &err) < 0)
		fail_msg("parse failed: %s", err->msg);
	return df;
}

static char *parse_err(const char *t)
{
	struct shp_dockerfile *df = NULL;
	struct shp_error *err = NULL;
	assert_int_equal(shp_df_parse("Dockerfile", t, strlen(t), &df, &err), -1);
	assert_null(df);
	assert_int_equal(err->code, SHP_EXIT_INPUT);
	char *m = strdup(err->msg);
	shp_error_free(err);
	return m;
}

static void test_continuation_and_comments(void **s)
{
	(void)s;
	struct shp_dockerfile *df =
		parse("FROM debian:12\nRUN apt-get update \\\n# comment inside\n\n  && apt-get install -y \\\n"
		      "    curl\nUSER 1000\n");
	assert_int_equal(df->n, 3);
	assert_int_equal(df->ins[1].kind, SHP_DF_RUN);
	assert_int_equal(df->ins[1].line, 2);
	assert_int_equal(df->ins[1].end_line, 6);
	assert_int_equal(df->ins[1].sh.n, 2);
	assert_string_equal(df->ins[1].sh.cmds[1].argv[3], "curl");
	assert_int_equal(df->ins[2].line, 7);
	shp_df_free(df);
}

/* Each command of a RUN knows its own line and column in the Dockerfile: across
 * continuations and comment lines, in $(...), in heredoc bodies, under ONBUILD, and the
 * instruction's own place for the exec form. */
static void test_command_places(void **s)
{
	(void)s;
	struct shp_dockerfile *df = parse("FROM debian:12\n"
					  "RUN apt-get update \\\n"
					  "# comment inside\n"
					  "  && echo $(sudo id) \\\n"
					  "    && apk add x\n"
					  "RUN <<EOF\n"
					  "set -e\n"
					  "  apt-get install y\n"
					  "EOF\n"
					  "RUN cat <<A > /a && \\\n"
					  "    wget q\n"
					  "text\n"
					  "A\n"
					  "  ONBUILD RUN  yum install z\n"
					  "RUN [\"sh\", \"-c\", \"ls\"]\n");
	const struct shp_sh_script *r = &df->ins[1].sh;
	assert_int_equal(r->n, 5); /* apt-get, echo, apk, then sudo and what it runs */
	int want[][2] = {{2, 5}, {4, 6}, {5, 8}, {4, 13}, {4, 13}};
	for (size_t k = 0; k < 5; k++) {
		assert_int_equal(r->cmds[k].line, want[k][0]);
		assert_int_equal(r->cmds[k].col, want[k][1]);
	}
	assert_string_equal(r->cmds[3].prog, "sudo");
	r = &df->ins[2].sh;
	assert_int_equal(r->n, 2);
	assert_int_equal(r->cmds[1].line, 8);
	assert_int_equal(r->cmds[1].col, 3);
	r = &df->ins[3].sh;
	assert_int_equal(r->n, 2);
	assert_int_equal(r->cmds[0].line, 10);
	assert_int_equal(r->cmds[0].col, 5);
	assert_int_equal(r->cmds[1].line, 11);
	assert_int_equal(r->cmds[1].col, 5);
	r = &df->ins[4].sub->sh;
	assert_int_equal(r->n, 1);
	assert_int_equal(r->cmds[0].line, 14);
	assert_int_equal(r->cmds[0].col, 16);
	r = &df->ins[5].sh;
	assert_int_equal(r->cmds[0].line, 15);
	assert_int_equal(r->cmds[0].col, 1);
	assert_int_equal(r->cmds[1].line, 15);
	shp_df_free(df);
}

static void test_escape_directive(void **s)
{
	(void)s;
	struct shp_dockerfile *df =
		parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n"
		      "RUN dir C:\\ `\n  && echo hi\nWORKDIR C:\\app\n");
	assert_int_equal(df->escape, '`');
	assert_string_equal(df->syntax, "docker/dockerfile:1");
	assert_int_equal(df->n, 3);
	assert_string_equal(df->ins[2].argv[0], "C:\\app");
	assert_false(df->ins[1].posix_shell); /* Windows base image: cmd */
	shp_df_free(df);
}

static void test_heredocs(void **s)
{
	(void)s;
	struct shp_dockerfile *df = parse("FROM alpine:3.20\nRUN <<EOF\napk add curl\nEOF\nCOPY <<-\"A\" <<B "
					  "/etc/\n\tone\n\tA\ntwo\nB\nUSER 1\n");
	assert_int_equal(df->n, 4);
	assert_int_equal(df->ins[1].nheredocs, 1);
	assert_string_equal(df->ins[1].heredocs[0].body, "apk add curl\n");
	assert_int_equal(df->ins[1].sh.n, 1);
	assert_string_equal(df->ins[1].sh.cmds[0].argv[0], "apk");
	assert_int_equal(df->ins[2].nheredocs, 2);
	assert_true(df->ins[2].heredocs[0].strip_tabs);
	assert_true(df->ins[2].heredocs[0].quoted);
	assert_string_equal(df->ins[2].heredocs[0].body, "one\n");
	assert_string_equal(df->ins[2].heredocs[1].body, "two\n");
	assert_int_equal(df->ins[3].line, 10);
	shp_df_free(df);
}

static void test_forms_and_flags(void **s)
{
	(void)s;
	struct shp_dockerfile *df =
		parse("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
		      "RUN --mount=type=cache,target=/root/.cache/go-build --network=none go build ./...\n"
		      "COPY --from=build --chown=1:1 --link /out/app /app\n"
		      "CMD [\"/app\", \"--port\", \"8080\"]\nENTRYPOINT ['/app']\nHEALTHCHECK --interval=5s CMD "
		      "[\"/app\", \"-h\"]\n");
	assert_string_equal(df->stages[0].platform, "$BUILDPLATFORM");
	assert_string_equal(df->stages[0].alias, "build");
	assert_string_equal(shp_df_flag(&df->ins[1], "mount"), "type=cache,target=/root/.cache/go-build");
	assert_string_equal(shp_df_flag(&df->ins[1], "network"), "none");
	char *t = shp_df_mount_opt(shp_df_flag(&df->ins[1], "mount"), "target");
	assert_string_equal(t, "/root/.cache/go-build");
	free(t);
	assert_string_equal(shp_df_flag(&df->ins[2], "from"), "build");
	assert_true(shp_df_has_flag(&df->ins[2], "link"));
	assert_int_equal(df->ins[2].argc, 2);
	assert_true(df->ins[3].json);
	assert_int_equal(df->ins[3].argc, 3);
	assert_false(df->ins[4].json);
	assert_true(df->ins[4].json_invalid);
	assert_true(df->ins[5].json);
	assert_string_equal(shp_df_flag(&df->ins[5], "interval"), "5s");
	shp_df_free(df);
}

static void test_kvs_and_onbuild(void **s)
{
	(void)s;
	struct shp_dockerfile *df =
		parse("FROM debian:12\nENV A=1 B=\"two words\" C\\ D=x\nENV LEGACY some value here\n"
		      "ARG NAME\nARG V=3\nLABEL a.b=c\nONBUILD RUN apt-get install -y x\n");
	const struct shp_df_instr *e = &df->ins[1];
	assert_int_equal(e->nkvs, 3);
	assert_string_equal(e->kvs[1].key, "B");
	assert_string_equal(e->kvs[1].value, "two words");
	assert_string_equal(e->kvs[2].key, "C D");
	assert_string_equal(df->ins[2].kvs[0].key, "LEGACY");
	assert_string_equal(df->ins[2].kvs[0].value, "some value here");
	assert_null(df->ins[3].kvs[0].value);
	assert_string_equal(df->ins[4].kvs[0].value, "3");
	const struct shp_df_instr *ob = &df->ins[6];
	assert_int_equal(ob->kind, SHP_DF_ONBUILD);
	assert_non_null(ob->sub);
	assert_int_equal(shp_df_eff(ob)->kind, SHP_DF_RUN);
	assert_int_equal(shp_df_eff(ob)->sh.n, 1);
	shp_df_free(df);
}

static void test_stages_and_args(void **s)
{
	(void)s;
	struct shp_dockerfile *df =
		parse("ARG REG=docker.io\nARG TAG=3.20\nFROM ${REG}/library/alpine:${TAG:-x} AS base\n"
		      "FROM base AS two\nFROM $MISSING\nFROM scratch\n");
	assert_int_equal(df->nstages, 4);
	assert_string_equal(df->stages[0].resolved, "docker.io/library/alpine:3.20");
	assert_int_equal(df->stages[1].parent, 0);
	assert_null(df->stages[2].resolved);
	assert_int_equal(df->stages[3].parent, -1);
	assert_int_equal(df->ins[0].stage, -1);
	assert_int_equal(df->ins[3].stage, 1);
	shp_df_free(df);
}

static void test_var_and_alias_index(void **s)
{
	(void)s;
	struct shp_dockerfile *df = parse("ARG G=global\nARG V=1\nFROM a:1 AS Base\nENV V=2\nARG G\nRUN x\nENV V=3\n"
					  "FROM base AS two\nRUN y\nFROM c:1 AS base\nRUN z\nFROM BASE\n");
	/* instructions: 0 ARG 1 ARG 2 FROM 3 ENV 4 ARG 5 RUN 6 ENV 7 FROM 8 RUN 9 FROM 10 RUN 11 FROM */
	assert_null(shp_df_var(df, 3, "V")); /* the global V is not visible without ARG V */
	assert_string_equal(shp_df_var(df, 5, "V"), "2");
	assert_string_equal(shp_df_var(df, 5, "G"), "global"); /* re-declared: the global default */
	assert_string_equal(shp_df_var(df, 8, "V"), "3");      /* inherited from the whole parent stage */
	assert_null(shp_df_var(df, 10, "V"));
	assert_string_equal(shp_df_var(df, 1, "G"), "global");
	assert_int_equal(df->stages[1].parent, 0);
	assert_int_equal(df->stages[3].parent, 2); /* the latest "base" before it, case-insensitive */
	assert_int_equal(shp_df_stage_by_alias(df, "BASE", 2), 0);
	assert_int_equal(shp_df_stage_by_alias(df, "base", 4), 2);
	assert_int_equal(shp_df_stage_by_alias(df, "nope", 4), -1);
	assert_int_equal(df->stages[0].first_workdir, SHP_DF_NONE);
	shp_df_free(df);
}

static const char *lookup(const char *name, void *arg)
{
	(void)arg;
	return !strcmp(name, "A") ? "a" : !strcmp(name, "E") ? "" : NULL;
}

static void test_expand(void **s)
{
	(void)s;
	static const struct {
		const char *in, *out;
		int unres;
	} c[] = {
		{"$A-${A}", "a-a", 0},	     {"${B:-def}", "def", 0}, {"${A:+alt}", "alt", 0}, {"${B:+alt}", "", 0},
		{"${E:-d}", "d", 0},	     {"${E-d}", "", 0},	      {"x$B", "x", 1},	       {"\\$A", "$A", 0},
		{"${A:-${B:-n}}x", "ax", 0}, {"$", "$", 0},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		int u = 0;
		char *r = shp_df_expand(c[i].in, lookup, NULL, &u);
		if (strcmp(r, c[i].out) || u != c[i].unres)
			fail_msg("%s -> %s (%d)", c[i].in, r, u);
		free(r);
	}
}

static void test_pragmas_and_templates(void **s)
{
	(void)s;
	struct shp_dockerfile *df =
		parse("# hadolint global ignore=DL3006\n{{ if .x -}}\nFROM a\n{{ end -}}\n"
		      "# hadolint ignore=DL3008, DL3015 # why\nRUN true \\\n{{ template }}\n && false\n"
		      "# hadolint stage ignore=DL3002\nFROM b\nUSER root\n");
	assert_true(df->templated);
	assert_int_equal(df->nglobal_ignores, 1);
	assert_string_equal(df->global_ignores[0], "DL3006");
	assert_int_equal(df->ins[1].nignores, 2);
	assert_string_equal(df->ins[1].ignores[1], "DL3015");
	assert_int_equal(df->ins[1].sh.n, 2);
	assert_int_equal(df->stages[1].nignores, 1);
	shp_df_free(df);
}

static void test_errors(void **s)
{
	(void)s;
	static const struct {
		const char *in, *msg;
	} c[] = {
		{"", "Dockerfile:1:1: empty file"},
		{"# only\n", "Dockerfile:1:1: no instructions"},
		{"FROM a\nFROOM b\n", "Dockerfile:2:1: unknown instruction \"FROOM\""},
		{"FROM a\n  RUN <<EOF\nx\n", "Dockerfile:2:7: unterminated heredoc"},
		{"FROM a\nRUN\n", "Dockerfile:2:4: RUN requires an argument"},
		{"# escape=x\nFROM a\n", "Dockerfile:1:"},
		{"FROM a\nRUN x\0y\n", "Dockerfile:2:6: binary data"},
		{"FROM a\nONBUILD BOGUS x\n", "Dockerfile:2:"},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		size_t len = i == 6 ? 17 : strlen(c[i].in);
		struct shp_dockerfile *df = NULL;
		struct shp_error *err = NULL;
		if (shp_df_parse("Dockerfile", c[i].in, len, &df, &err) != -1)
			fail_msg("case %zu parsed", i);
		if (strncmp(err->msg, c[i].msg, strlen(c[i].msg)))
			fail_msg("case %zu: %s", i, err->msg);
		shp_error_free(err);
	}
	free(parse_err("FROM a\nCOPY <<EOF /x\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_continuation_and_comments),
		cmocka_unit_test(test_escape_directive),
		cmocka_unit_test(test_heredocs),
		cmocka_unit_test(test_forms_and_flags),
		cmocka_unit_test(test_kvs_and_onbuild),
		cmocka_unit_test(test_stages_and_args),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_pragmas_and_templates),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_var_and_alias_index),
		cmocka_unit_test(test_command_places),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
