/* test-output.c - where a command may write (util/output.h): a table of targets and inputs,
 * and a file put in place over a new name, a link, a hard-linked file; and the directory
 * walk that follows links inside the tree once (util/file.h). */
#include "unit.h"
#include "util/file.h"
#include "util/output.h"
#include "util/xalloc.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/shp-output-XXXXXX";

static char *at(const char *name) { return shp_asprintf("%s/%s", dir, name); }

static void put(const char *name, const char *text)
{
	char *p = at(name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	put("in", "input\n");
	put("other", "other\n");
	char *p = at("img"), *q = at("img/index.json"), *f = at("fifo"), *l = at("dangling"), *s = at("in.link");
	mkdir(p, 0755);
	put("img/index.json", "{}\n");
	mkfifo(f, 0600);
	assert_int_equal(symlink("nowhere", l), 0);
	assert_int_equal(symlink("in", s), 0);
	free(p);
	free(q);
	free(f);
	free(l);
	free(s);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = shp_asprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static void check_table(void **state)
{
	(void)state;
	static const struct {
		const char *out;
		enum shp_out_kind kind;
		int ok;
		const char *says;
	} cases[] = {
		{"-", SHP_OUT_REPLACE, 1, NULL},
		{"new", SHP_OUT_REPLACE, 1, NULL},
		{"other", SHP_OUT_REPLACE, 1, NULL},
		{"img", SHP_OUT_STREAM, 0, "is a directory"},
		{"fifo", SHP_OUT_REPLACE, 0, "is a FIFO, not a regular file: refusing to replace it"},
		{"fifo", SHP_OUT_STREAM, 1, NULL},
		{"dangling", SHP_OUT_STREAM, 0, "a symbolic link to nothing"},
		{"in", SHP_OUT_STREAM, 0, "the output is the input"},
		{"in.link", SHP_OUT_REPLACE, 0, "the output is the input"},
		{"img/index.json", SHP_OUT_REPLACE, 0, "the output is inside the input"},
		{"img/new", SHP_OUT_STREAM, 0, "the output is inside the input"},
	};
	struct shp_inputs in = {0};
	char *p = at("in"), *img = at("img");
	shp_inputs_add(&in, p, SHP_IN_FILE);
	shp_inputs_add(&in, img, SHP_IN_TREE);
	shp_inputs_add(&in, "-", SHP_IN_FILE); /* stdin: never an output */
	assert_int_equal(in.n, 2);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = strcmp(cases[i].out, "-") ? at(cases[i].out) : shp_xstrdup("-");
		struct shp_error *err = NULL;
		int rc = shp_output_check(out, cases[i].kind, &in, &err);
		if (cases[i].ok != (rc == 0) || (cases[i].says && (!err || !strstr(err->msg, cases[i].says))))
			fail_msg("%s: %s", cases[i].out, err ? err->msg : "passed");
		shp_error_free(err);
		free(out);
	}
	/* a directory searched for files is no obstacle by itself: only the files it gave */
	struct shp_inputs searched = {0};
	shp_inputs_add(&searched, img, SHP_IN_FILE);
	char *out = at("img/report.json");
	assert_int_equal(shp_output_check(out, SHP_OUT_STREAM, &searched, NULL), 0);
	shp_inputs_free(&searched);
	shp_inputs_free(&in);
	free(out);
	free(p);
	free(img);
}

static void write_through(const char *path, const char *text)
{
	struct shp_outfile f;
	struct shp_error *err = NULL;
	assert_int_equal(shp_outfile_open(&f, path, &err), 0);
	assert_int_equal(write(f.fd, text, strlen(text)), (ssize_t)strlen(text));
	if (shp_outfile_commit(&f, &err) < 0)
		fail_msg("%s", err->msg);
}

static void outfile_keeps_links_and_mode(void **state)
{
	(void)state;
	char *in = at("in"), *sym = at("in.link"), *h1 = at("h1"), *h2 = at("h2"), *n = at("fresh");
	struct stat a, b;
	chmod(in, 0640);
	write_through(sym, "replaced\n");
	assert_int_equal(lstat(sym, &a), 0);
	assert_true(S_ISLNK(a.st_mode));
	assert_int_equal(stat(in, &a), 0);
	assert_int_equal(a.st_mode & 07777, 0640);
	assert_int_equal(a.st_size, 9);
	/* hard links: the same inode is written, every name sees it */
	put("h1", "a longer first version\n");
	assert_int_equal(link(h1, h2), 0);
	assert_int_equal(stat(h1, &a), 0);
	write_through(h2, "short\n");
	assert_int_equal(stat(h1, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	assert_int_equal(b.st_nlink, 2);
	assert_int_equal(b.st_size, 6);
	/* a new file: made with the usual mode */
	mode_t mask = umask(022);
	write_through(n, "new\n");
	umask(mask);
	assert_int_equal(stat(n, &a), 0);
	assert_int_equal(a.st_mode & 0777, 0644);
	/* aborted: nothing left, the target as it was */
	struct shp_outfile f;
	assert_int_equal(shp_outfile_open(&f, n, NULL), 0);
	char *tmp = shp_xstrdup(f.tmp);
	shp_outfile_abort(&f);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(stat(n, &a), 0);
	assert_int_equal(a.st_size, 4);
	free(tmp);
	free(in);
	free(sym);
	free(h1);
	free(h2);
	free(n);
}

static int found_n;
static char found[8][512];
static int any(const char *b) { return !strcmp(b, "Dockerfile"); }
static int note(const char *path, void *arg)
{
	(void)arg;
	if (found_n < 8)
		snprintf(found[found_n++], sizeof found[0], "%s", path + strlen(dir));
	return 0;
}

static void walk_follows_links_once(void **state)
{
	(void)state;
	char *t = at("t"), *a = at("t/a"), *b = at("t/b"), *la = at("t/b/Dockerfile"), *loop = at("t/b/up"),
	     *lc = at("t/c");
	mkdir(t, 0755);
	mkdir(a, 0755);
	mkdir(b, 0755);
	put("t/a/Dockerfile", "FROM x\n");
	assert_int_equal(symlink("../a/Dockerfile", la), 0); /* a second name */
	assert_int_equal(symlink("..", loop), 0);	     /* a loop */
	assert_int_equal(symlink("a", lc), 0);		     /* a directory met twice */
	found_n = 0;
	struct shp_error *err = NULL;
	assert_int_equal(shp_walk_dir(t, any, note, NULL, &err), 0);
	assert_int_equal(found_n, 1);
	assert_string_equal(found[0], "/t/a/Dockerfile");
	free(t);
	free(a);
	free(b);
	free(la);
	free(loop);
	free(lc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_table),
		cmocka_unit_test(outfile_keeps_links_and_mode),
		cmocka_unit_test(walk_follows_links_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
