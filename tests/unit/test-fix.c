/* test-fix.c - the fixer's edits (where insertions go, what is declined, how lines added
 * are counted back), the word offsets the parser gives it, and the unified diff writer. */
#include "dockerfile/dockerfile.h"
#include "fix/fix.h"
#include "unit.h"
#include "util/diff.h"

#include <stdlib.h>
#include <string.h>

/* The text fixed (unsafe fixes too when unsafe), which must be what want says. */
static void fixes_to(const char *in, int unsafe, const char *want)
{
	char *out = NULL;
	size_t n = 0;
	struct shp_fix_result res;
	struct shp_error *err = NULL;
	assert_int_equal(shp_fix_text("Dockerfile", in, strlen(in), NULL, unsafe, &out, &n, &res, &err), 0);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
	shp_fix_result_free(&res);
	free(out);
}

static void test_word_offsets(void **s)
{
	(void)s;
	const char *t = "FROM a\nRUN x=1 sudo \\\n  apt-get 'install' \\\n# c\n  -y  jq\n";
	struct shp_dockerfile *df = NULL;
	struct shp_error *err = NULL;
	assert_int_equal(shp_df_parse("D", t, strlen(t), &df, &err), 0);
	const struct shp_df_instr *in = &df->ins[1];
	assert_int_equal(in->sh.n, 2); /* sudo ..., and the apt-get it runs */
	const struct shp_sh_cmd *c = &in->sh.cmds[1];
	assert_string_equal(c->argv[0], "apt-get");
	assert_non_null(c->wfile);
	/* each word's first byte in the file, quotes included, across continuation lines and
	 * the comment between them */
	assert_memory_equal(t + c->wfile[0], "apt-get", 7);
	assert_memory_equal(t + c->wfile[1], "'install'", 9);
	assert_memory_equal(t + c->wfile[2], "-y", 2);
	assert_memory_equal(t + c->wfile[3], "jq", 2);
	shp_df_free(df);
	/* a heredoc script is not the file's text as it stands */
	t = "FROM a\nRUN <<EOF\napk add x\nEOF\n";
	assert_int_equal(shp_df_parse("D", t, strlen(t), &df, &err), 0);
	assert_null(df->ins[1].sh.cmds[0].wfile);
	shp_df_free(df);
}

static void test_edits(void **s)
{
	(void)s;
	/* insertions after one word keep the rules' order; the cleanup goes after them */
	fixes_to("FROM a\nRUN apt-get install curl\n", 1,
		 "FROM a\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n");
	/* without --unsafe only the safe ones */
	fixes_to("FROM a\nRUN apt-get install curl\n", 0,
		 "FROM a\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n");
	/* a word at the script's end: the word's flag first, then the cleanup */
	fixes_to("FROM a\nRUN echo x | xargs apk add\n", 0, "FROM a\nRUN echo x | xargs apk add --no-cache\n");
	/* apt -> apt-get, a path kept, and then apt-get's own fixes in the next round */
	fixes_to("FROM a\nRUN /usr/bin/apt install -y x && rm -rf /var/lib/apt/lists/*\n", 0,
		 "FROM a\nRUN /usr/bin/apt-get install -y x && rm -rf /var/lib/apt/lists/*\n");
	/* apt's own commands stay */
	fixes_to("FROM a\nRUN apt list --installed\n", 0, "FROM a\nRUN apt list --installed\n");
	/* a RUN over several lines gets its cleanup on a line of its own, indented alike */
	fixes_to("FROM a\nRUN yum -y install \\\n\t  x-1 \\\n\t  y-2\n", 0,
		 "FROM a\nRUN yum -y install \\\n\t  x-1 \\\n\t  y-2 \\\n\t  && yum clean all\n");
	/* lower-case keywords stay lower case */
	fixes_to("from a\nadd a.txt /a/\nmaintainer me\n", 0, "from a\ncopy a.txt /a/\nlabel maintainer=\"me\"\n");
	/* LABEL's value escapes what LABEL would read */
	fixes_to("FROM a\nMAINTAINER \"x\" $HOME \\ y\n", 0, "FROM a\nLABEL maintainer=\"\\\"x\\\" \\$HOME \\\\ y\"\n");
	/* ADD of a URL, an archive, a glob or a variable is not COPY's to do */
	const char *adds = "FROM a\nADD https://x/y.txt /a/\nADD y.tar.gz /a/\nADD *.txt /a/\nADD $X /a/\n";
	fixes_to(adds, 0, adds);
	/* exec form only where no shell is needed */
	fixes_to("FROM a\nCMD run.sh -v 'a b'\n", 1, "FROM a\nCMD [\"run.sh\", \"-v\", \"a b\"]\n");
	const char *shelly = "FROM a\nCMD run.sh $X\nENTRYPOINT a && b\nCMD a > /log\n";
	fixes_to(shelly, 1, shelly);
	/* ONBUILD's trigger */
	fixes_to("FROM a\nONBUILD ADD a.txt /a/\n", 0, "FROM a\nONBUILD COPY a.txt /a/\n");
	/* COPY's destination: a slash */
	fixes_to("FROM a\nCOPY a b \\\n  /d\n", 0, "FROM a\nCOPY a b \\\n  /d/\n");
	/* an install inside `...` comes before a cleanup at the end of the text, whatever the
	 * order the shell parser lists nested commands in: one cleanup, and a second pass
	 * finds nothing to do */
	const char *nested = "FROM a\nRUN yum install -y a && echo `yum install -y b`\n";
	const char *done = "FROM a\nRUN yum install -y a && echo `yum install -y b` && yum clean all\n";
	fixes_to(nested, 0, done);
	fixes_to(done, 0, done);
}

static void test_declined(void **s)
{
	(void)s;
	/* nothing appended into a comment, an open quote, an open expansion */
	const char *keep[] = {
		"FROM a\nRUN yum -y install x-1 # tools\n",
		"FROM a\nRUN yum -y install x-1 'y\n",
		"FROM a\nRUN yum -y install x-1 ${X\n",
		"FROM a\nRUN yum -y install x-1 \"$(echo\n",
		"FROM a\nRUN yum -y \"install\" x-1 && yum -y \"install\" y-1 ;\n",
	};
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		char *out = NULL;
		size_t n = 0;
		struct shp_fix_result res;
		struct shp_error *err = NULL;
		assert_int_equal(shp_fix_text("Dockerfile", keep[i], strlen(keep[i]), NULL, 1, &out, &n, &res, &err),
				 0);
		assert_string_equal(out, keep[i]);
		assert_int_equal(res.applied, 0);
		assert_true(res.ndeclined >= 1);
		assert_int_equal(res.declined[0].line, 2);
		shp_fix_result_free(&res);
		free(out);
	}
	/* apt lists stay when a later RUN installs from them */
	const char *later = "FROM a\nRUN apt-get update && apt-get install -y x\nRUN apt-get install -y y\n";
	char *out = NULL;
	size_t n = 0;
	struct shp_fix_result res;
	struct shp_error *err = NULL;
	assert_int_equal(shp_fix_text("D", later, strlen(later), NULL, 0, &out, &n, &res, &err), 0);
	assert_string_equal(out, "FROM a\nRUN apt-get update && apt-get install -y x\n"
				 "RUN apt-get install -y y && rm -rf /var/lib/apt/lists/*\n"); /* the last may */
	shp_fix_result_free(&res);
	free(out);
	/* a declined offer's line is the line in the text given, not in the fixed one */
	const char *t = "FROM a\nRUN yum install \\\n  x-1\nRUN apk add y # z\nRUN apt-get \"install\" q && rm -rf "
			"/var/lib/apt/lists/*\n";
	assert_int_equal(shp_fix_text("D", t, strlen(t), NULL, 0, &out, &n, &res, &err), 0);
	assert_string_equal(
		out, "FROM a\nRUN yum -y install \\\n  x-1 \\\n  && yum clean all\nRUN apk add --no-cache y # z\n"
		     "RUN apt-get \"install\" q && rm -rf /var/lib/apt/lists/*\n");
	assert_int_equal(res.applied, 3);
	assert_int_equal(res.ndeclined, 1);
	assert_int_equal(res.declined[0].line, 5); /* DL3014 at the quoted install: line 5, not 6 */
	shp_fix_result_free(&res);
	free(out);
	/* a text that does not parse is an error */
	const char *bad = "FROM a\nRUN <<E\nx\n";
	assert_int_equal(shp_fix_text("D", bad, strlen(bad), NULL, 0, &out, &n, &res, &err), -1);
	assert_non_null(err);
	shp_error_free(err);
}

static char *diff_of(const char *a, const char *b)
{
	struct shp_buf out = {0};
	shp_diff_unified(&out, "f", a, strlen(a), b, strlen(b));
	return out.data ? out.data : strdup("");
}

static void test_diff(void **s)
{
	(void)s;
	char *d = diff_of("a\nb\n", "a\nb\n");
	assert_string_equal(d, "");
	free(d);
	d = diff_of("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n",
		    "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n");
	assert_string_equal(d, "--- f\n+++ f\n@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n"
			       "@@ -11,3 +11,4 @@\n 11\n 12\n 13\n+14\n");
	free(d);
	/* changes less than seven lines apart share a hunk */
	d = diff_of("a\nb\nc\nd\ne\nf\ng\nh\n", "A\nb\nc\nd\ne\nf\ng\nH\n");
	assert_string_equal(d, "--- f\n+++ f\n@@ -1,8 +1,8 @@\n-a\n+A\n b\n c\n d\n e\n f\n g\n-h\n+H\n");
	free(d);
	/* a line added, from nothing, and the last line without its newline */
	d = diff_of("", "x\n");
	assert_string_equal(d, "--- f\n+++ f\n@@ -0,0 +1 @@\n+x\n");
	free(d);
	d = diff_of("a\nb", "a\nb\nc\n");
	assert_string_equal(d, "--- f\n+++ f\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_offsets),
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_declined),
		cmocka_unit_test(test_diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
