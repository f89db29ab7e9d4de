/* test-shell.c - the RUN body splitter, table-driven: script -> commands joined by " | ". */
#include "dockerfile/shell.h"
#include "unit.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

static char *render(const char *script)
{
	struct shp_sh_script s = {0};
	shp_sh_parse(&s, script, strlen(script));
	struct shp_buf b = {0};
	shp_buf_puts(&b, "");
	for (size_t i = 0; i < s.n; i++) {
		if (i)
			shp_buf_puts(&b, " ; ");
		for (size_t a = 0; a < s.cmds[i].argc; a++)
			shp_buf_printf(&b, "%s%s", a ? " " : "", s.cmds[i].argv[a]);
		if (s.cmds[i].pipe_out)
			shp_buf_puts(&b, " |");
	}
	shp_sh_free(&s);
	return shp_buf_steal(&b);
}

static const struct {
	const char *in, *out;
} cases[] = {
	{"apt-get update && apt-get install -y curl", "apt-get update ; apt-get install -y curl"},
	{"a || b; c & d", "a ; b ; c ; d"},
	{"curl -fsSL https://x | sh -", "curl -fsSL https://x | ; sh -"},
	{"echo 'a && b' \"c; d\" e\\ f", "echo a && b c; d e f"},
	{"FOO=1 BAR=\"x y\" make install", "make install"},
	{"if [ -f x ]; then rm x; else touch x; fi", "[ -f x ] ; rm x ; touch x"},
	{"for p in a b; do pip install $p; done", "pip install $p"},
	{"case \"$arch\" in amd64) A=x ;; arm64) wget -q y ;; esac; echo ok", "wget -q y ; echo ok"},
	{"(cd /src && make) > log 2>&1", "cd /src ; make"},
	{"x=\"$(dpkg --print-architecture)\"; echo $x", "echo $x ; dpkg --print-architecture"},
	{"cat <<EOF > /etc/x\nsudo rm -rf /\nEOF\necho done", "cat ; echo done"},
	{"sudo -u app npm install express", "sudo -u app npm install express ; npm install express"},
	{"env A=1 nice -n 5 make", "env A=1 nice -n 5 make ; nice -n 5 make ; make"},
	{"ls | xargs -rt -n 1 apt-get install -y", "ls | ; xargs -rt -n 1 apt-get install -y ; apt-get install -y"},
	{"apt-get install \\\n  curl \\\n  git # trailing comment", "apt-get install curl git"},
	{"echo `id -u`", "echo `id -u` ; id -u"},
	{"while read l; do echo $l; done < f", "read l ; echo $l"},
	{"! grep -q x f", "grep -q x f"},
	{"", ""},
	{"'unterminated", "unterminated"},
};

static void test_split(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = render(cases[i].in);
		if (strcmp(got, cases[i].out))
			fail_msg("case %zu: %s\n  got:  %s\n  want: %s", i, cases[i].in, got, cases[i].out);
		free(got);
	}
}

static void test_flags(void **state)
{
	(void)state;
	struct shp_sh_script s = {0};
	const char *t = "apt-get -qy --no-install-recommends install curl=1 --target-release=x";
	shp_sh_parse(&s, t, strlen(t));
	assert_int_equal(s.n, 1);
	assert_true(shp_sh_has_flag(&s.cmds[0], "-y"));
	assert_true(shp_sh_has_flag(&s.cmds[0], "-q"));
	assert_false(shp_sh_has_flag(&s.cmds[0], "-x"));
	assert_true(shp_sh_has_flag(&s.cmds[0], "--no-install-recommends"));
	assert_true(shp_sh_has_flag(&s.cmds[0], "--target-release"));
	assert_string_equal(shp_sh_prog(&s.cmds[0]), "apt-get");
	assert_int_equal(shp_sh_next_arg(&s.cmds[0], 1), 3);
	shp_sh_free(&s);
}

static void test_pipes(void **state)
{
	(void)state;
	struct shp_sh_script s = {0};
	const char *t = "wget -qO- u | tar -xz && ls";
	shp_sh_parse(&s, t, strlen(t));
	assert_int_equal(s.n, 3);
	assert_true(s.has_pipe);
	assert_true(s.cmds[0].pipe_out);
	assert_true(s.cmds[1].pipe_in);
	assert_false(s.cmds[2].pipe_in);
	shp_sh_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_pipes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
