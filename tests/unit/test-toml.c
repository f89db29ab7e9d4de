/* test-toml.c - the TOML reader (util/toml.h): each construct of TOML 1.0 as the cJSON tree it
 * reads into, each error TOML asks for with its line and column, the limits (size, depth, a
 * table of 10^5 keys), a configuration as gitleaks writes them, and the TOML examples of
 * gitleaks' README in the corpus (its path is the first argument). */
#include "unit.h"
#include "util/cleanup.h"
#include "util/toml.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *corpus;

/* The document (n bytes) as compact JSON, or "ERR <message>". Caller frees. */
static char *parse_n(const char *doc, size_t n)
{
	struct shp_error *err = NULL;
	cJSON *j = shp_toml_parse(doc, n, "t.toml", &err);
	if (!j) {
		assert_non_null(err);
		assert_int_equal(err->code, SHP_EXIT_INPUT);
		char *s = shp_asprintf("ERR %s", err->msg);
		shp_error_free(err);
		return s;
	}
	assert_null(err);
	char *s = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return s;
}

static char *parse(const char *doc) { return parse_n(doc, strlen(doc)); }

struct tcase {
	const char *toml, *want;
};

static void run_cases(const struct tcase *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *got = parse(c[i].toml);
		if (strcmp(got, c[i].want) != 0)
			fail_msg("%s\n  got:  %s\n  want: %s", c[i].toml, got, c[i].want);
	}
}

static void test_keys(void **s)
{
	(void)s;
	static const struct tcase c[] = {
		{"", "{}"},
		{"# a comment only\n\n", "{}"},
		{"a = 1", "{\"a\":1}"},
		{"a=1#c\r\nb = 2 # c\n", "{\"a\":1,\"b\":2}"},
		{"bare_key-1 = 1\n1234 = 2", "{\"bare_key-1\":1,\"1234\":2}"},
		{"\"a b\" = 1\n'c.d' = 2\n\"\" = 3", "{\"a b\":1,\"c.d\":2,\"\":3}"},
		{"\"\\u00e9\" = 1", "{\"\xc3\xa9\":1}"},
		{"a.b.c = 1\na . \"b\" . d = 2", "{\"a\":{\"b\":{\"c\":1,\"d\":2}}}"},
		{"\ta = 1\n  b = 2", "{\"a\":1,\"b\":2}"},
		{"\xef\xbb\xbf"
		 "a = 1",
		 "{\"a\":1}"},
	};
	run_cases(c, SHP_ARRAY_LEN(c));
}

static void test_tables(void **s)
{
	(void)s;
	static const struct tcase c[] = {
		{"[t]\na = 1\n[u]\nb = 2", "{\"t\":{\"a\":1},\"u\":{\"b\":2}}"},
		{"[ a . \"b c\" ]\nx = 1", "{\"a\":{\"b c\":{\"x\":1}}}"},
		/* an implicit table may be defined once later */
		{"[a.b]\nx = 1\n[a]\ny = 2", "{\"a\":{\"b\":{\"x\":1},\"y\":2}}"},
		/* tables under one made by dotted keys */
		{"[a]\nb.c = 1\n[a.b.d]\ne = 2", "{\"a\":{\"b\":{\"c\":1,\"d\":{\"e\":2}}}}"},
		{"  [t]   # c\n  a = 1", "{\"t\":{\"a\":1}}"},
		{"[[r]]\nid = 1\n[[r]]\nid = 2", "{\"r\":[{\"id\":1},{\"id\":2}]}"},
		/* gitleaks' [[rules]] followed by [[rules.allowlists]] and [rules.allowlist]: to the
		 * last rule */
		{"[[rules]]\nid = \"a\"\n[[rules]]\nid = \"b\"\n[[rules.allowlists]]\nx = 1\n"
		 "[[rules.allowlists]]\nx = 2\n[rules.allowlist]\ny = 3\n[[rules]]\nid = \"c\"",
		 "{\"rules\":[{\"id\":\"a\"},{\"id\":\"b\",\"allowlists\":[{\"x\":1},{\"x\":2}],\"allowlist\":{\"y\":3}"
		 "},"
		 "{\"id\":\"c\"}]}"},
		{"[[a.b]]\n[a]\nc = 1", "{\"a\":{\"b\":[{}],\"c\":1}}"},
		{"[[a]]\n[[a.b]]\n[a.b.c]\n[[a.b]]\n[a.b.c]", "{\"a\":[{\"b\":[{\"c\":{}},{\"c\":{}}]}]}"},
		{"[[a]]\nb = 1\n[a.c]\nd = 1\n[a.c.e]", "{\"a\":[{\"b\":1,\"c\":{\"d\":1,\"e\":{}}}]}"},
	};
	run_cases(c, SHP_ARRAY_LEN(c));
}

static void test_values(void **s)
{
	(void)s;
	static const struct tcase c[] = {
		{"a = [1, 2, 3]", "{\"a\":[1,2,3]}"},
		{"a = [\n  1,\n  # a comment\n  2, # another\n]\n", "{\"a\":[1,2]}"},
		{"a = []\nb = [[1], [2, [3]]]", "{\"a\":[],\"b\":[[1],[2,[3]]]}"},
		{"a = [\"x\", 1, {b = 1}, true]", "{\"a\":[\"x\",1,{\"b\":1},true]}"},
		{"a = {}\nb = { c = 1, d.e = \"x\", d.f = 2 }",
		 "{\"a\":{},\"b\":{\"c\":1,\"d\":{\"e\":\"x\",\"f\":2}}}"},
		{"a = {b = {c = {}}}", "{\"a\":{\"b\":{\"c\":{}}}}"},
		{"t = true\nf = false", "{\"t\":true,\"f\":false}"},
		{"a = 0\nb = +7\nc = -0\nd = 1_000\ne = -17", "{\"a\":0,\"b\":7,\"c\":0,\"d\":1000,\"e\":-17}"},
		{"a = 0xdead_BEEF\nb = 0o755\nc = 0b1010", "{\"a\":3735928559,\"b\":493,\"c\":10}"},
		/* past 2^53 as the nearest double */
		{"a = 9223372036854775807\nb = -9223372036854775808",
		 "{\"a\":9.2233720368547758e+18,\"b\":-9.2233720368547758e+18}"},
		{"a = 1.5\nb = -0.25\nc = 5e+2\nd = 1E-2\ne = 6.5e1\nf = 1_0.2_5",
		 "{\"a\":1.5,\"b\":-0.25,\"c\":500,\"d\":0.01,\"e\":65,\"f\":10.25}"},
		/* cJSON writes infinities and NaN as null */
		{"a = inf\nb = -inf\nc = nan\nd = +nan", "{\"a\":null,\"b\":null,\"c\":null,\"d\":null}"},
		{"a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00.999-07:00\nc = 1979-05-27 07:32:00\n"
		 "d = 1979-05-27\ne = 07:32:00.5\nf = 2000-02-29",
		 "{\"a\":\"1979-05-27T07:32:00Z\",\"b\":\"1979-05-27T00:32:00.999-07:00\",\"c\":\"1979-05-27 "
		 "07:32:00\","
		 "\"d\":\"1979-05-27\",\"e\":\"07:32:00.5\",\"f\":\"2000-02-29\"}"},
		{"a = 1979-05-27 # a date, then a comment", "{\"a\":\"1979-05-27\"}"},
	};
	run_cases(c, SHP_ARRAY_LEN(c));
}

static void test_strings(void **s)
{
	(void)s;
	static const struct tcase c[] = {
		{"a = \"\\b\\t\\n\\f\\r\\\"\\\\\"", "{\"a\":\"\\b\\t\\n\\f\\r\\\"\\\\\"}"},
		{"a = \"\\u00e9\\U0001F600 \\u20AC\"", "{\"a\":\"\xc3\xa9\xf0\x9f\x98\x80 \xe2\x82\xac\"}"},
		{"a = \"tab\there \xc3\xa9\"", "{\"a\":\"tab\\there \xc3\xa9\"}"},
		{"a = 'C:\\Users\\x' # no escapes", "{\"a\":\"C:\\\\Users\\\\x\"}"},
		{"a = '\"quoted\"'", "{\"a\":\"\\\"quoted\\\"\"}"},
		/* the newline after the opening quotes goes; CRLF is read as LF */
		{"a = \"\"\"\nline1\r\n  line2\"\"\"", "{\"a\":\"line1\\n  line2\"}"},
		{"a = '''\n(?i)\\b(x|y)['\"]\\s*'''", "{\"a\":\"(?i)\\\\b(x|y)['\\\"]\\\\s*\"}"},
		/* line-ending backslash: the blanks and newlines after it go */
		{"a = \"\"\"one \\\n   \n\t two \\  \n three\"\"\"", "{\"a\":\"one two three\"}"},
		/* up to two quotes before the closing ones */
		{"a = \"\"\"x\"\"\"\"\"\nb = '''y''''\nc = ''''''\nd = \"\"\"q\"\"q\"\"\"",
		 "{\"a\":\"x\\\"\\\"\",\"b\":\"y'\",\"c\":\"\",\"d\":\"q\\\"\\\"q\"}"},
		{"a = \"\"\"\\\"\"\"\"", "{\"a\":\"\\\"\"}"},
	};
	run_cases(c, SHP_ARRAY_LEN(c));
}

static void test_errors(void **s)
{
	(void)s;
	static const struct tcase c[] = {
		/* redefinitions */
		{"a = 1\na = 2", "ERR t.toml:2:1: key a defined twice"},
		{"a.b = 1\na = 2", "ERR t.toml:2:1: key a defined twice"},
		{"a = 1\na.b = 2", "ERR t.toml:2:1: key a already has a value that is not a table"},
		{"\"\\u0041\" = 1\nA = 2", "ERR t.toml:2:1: key A defined twice"},
		{"[t]\na = 1\n[t]", "ERR t.toml:3:2: table [t] defined twice"},
		{"[a]\n[a.b]\n[a.b.c]\n[a.b]", "ERR t.toml:4:4: table [a.b] defined twice"},
		{"a.b = 1\n[a]", "ERR t.toml:2:2: table [a] defined twice"},
		{"[a]\nb.c = 1\n[a.b]", "ERR t.toml:3:4: table [a.b] defined twice"},
		{"[a.b.c]\nz = 9\n[a]\nb.c.t = 1",
		 "ERR t.toml:4:3: cannot add keys to table b.c with a dotted key after its section"},
		{"[[r]]\n[r]", "ERR t.toml:2:2: table [r] is already an array of tables"},
		{"[r]\n[[r]]", "ERR t.toml:2:3: r is a table, not an array of tables"},
		{"r = []\n[[r]]", "ERR t.toml:2:3: key r already has a value that is not a table"},
		{"r = 1\n[r]", "ERR t.toml:2:2: key r already has a value that is not a table"},
		{"a = [{b = 1}]\n[[a]]", "ERR t.toml:2:3: key a already has a value that is not a table"},
		/* inline tables are closed */
		{"r = {}\n[r]", "ERR t.toml:2:2: cannot add a table to inline table r"},
		{"r = {a = 1}\n[r.x]", "ERR t.toml:2:2: cannot add a table to inline table r"},
		{"a = {b = 1}\na.c = 2", "ERR t.toml:2:1: cannot add keys to inline table a"},
		{"a = {b = 1, b = 2}", "ERR t.toml:1:13: key b defined twice"},
		{"a = {b = 1,}", "ERR t.toml:1:12: trailing comma in an inline table"},
		{"a = {b = 1,\nc = 2}", "ERR t.toml:1:12: newline in an inline table"},
		{"a = {b = 1", "ERR t.toml:1:5: unterminated inline table"},
		/* syntax */
		{"a b = 1", "ERR t.toml:1:3: expected '=' after a key, not 'b'"},
		{"= 1", "ERR t.toml:1:1: expected a key, not '='"},
		{"a\n", "ERR t.toml:1:2: expected '=' after a key"},
		{"a = \n", "ERR t.toml:1:5: expected a value, not '\\n'"},
		{"a = 1 b = 2", "ERR t.toml:1:7: expected the end of the line, not 'b'"},
		{"[a]]", "ERR t.toml:1:4: expected the end of the line, not ']'"},
		{"[a", "ERR t.toml:1:3: expected ']' to end a table header"},
		{"[[a] ]", "ERR t.toml:1:4: expected ']]' to end an array of tables header"},
		{"[a..b]", "ERR t.toml:1:4: expected a key, not '.'"},
		{"[]", "ERR t.toml:1:2: expected a key, not ']'"},
		{"a = [1 2]", "ERR t.toml:1:8: expected ',' or ']' in an array"},
		{"a = [1,,2]", "ERR t.toml:1:8: expected a value, not ','"},
		{"a = [\n1,\n", "ERR t.toml:1:5: unterminated array"},
		{"a = 1\rb = 2", "ERR t.toml:1:6: carriage return not followed by a newline in the document"},
		{"a = 1\x01", "ERR t.toml:1:6: unexpected '\\x01' after a value"},
		/* strings */
		{"a = \"x", "ERR t.toml:1:5: unterminated string"},
		{"a = \"x\ny\"", "ERR t.toml:1:5: unterminated string"},
		{"a = '''x''", "ERR t.toml:1:5: unterminated string"},
		{"a = \"\\x41\"", "ERR t.toml:1:6: invalid escape '\\x'"},
		{"a = \"\\e\"", "ERR t.toml:1:6: invalid escape '\\e'"},
		{"a = \"\\u12\"", "ERR t.toml:1:6: \\u needs 4 hexadecimal digits"},
		{"a = \"\\uD800\"", "ERR t.toml:1:6: \\u escape of U+D800, which is not a Unicode scalar value"},
		{"a = \"\\U00110000\"", "ERR t.toml:1:6: \\U escape of U+110000, which is not a Unicode scalar value"},
		{"a = \"\\u0000\"", "ERR t.toml:1:6: U+0000 in a string is not supported"},
		{"a = \"\"\"x\\ y\"\"\"",
		 "ERR t.toml:1:9: invalid escape: a backslash followed by blanks must end the line"},
		{"a = '''x''''''", "ERR t.toml:1:14: too many quotes at the end of a multi-line string"},
		{"a = \"ctl\x01\"", "ERR t.toml:1:9: control character U+0001 in a string"},
		{"a = 'del\x7f'", "ERR t.toml:1:9: control character U+007F in a literal string"},
		{"a = \"\"\"x\ry\"\"\"", "ERR t.toml:1:9: carriage return not followed by a newline in a string"},
		{"# \x01", "ERR t.toml:1:3: control character U+0001 in a comment"},
		/* not UTF-8: a lone lead byte, an overlong form, a surrogate, past U+10FFFF */
		{"a = \"\xc3\"", "ERR t.toml:1:6: invalid UTF-8 in a string"},
		{"a = '\xc0\xaf'", "ERR t.toml:1:6: invalid UTF-8 in a literal string"},
		{"a = \"\xed\xa0\x80\"", "ERR t.toml:1:6: invalid UTF-8 in a string"},
		{"# \xf4\x90\x80\x80", "ERR t.toml:1:3: invalid UTF-8 in a comment"},
		/* numbers, booleans, dates */
		{"a = 01", "ERR t.toml:1:5: leading zero in a number"},
		{"a = 1__0", "ERR t.toml:1:6: '_' must stand between two digits"},
		{"a = 1_", "ERR t.toml:1:6: '_' must stand between two digits"},
		{"a = 0o8", "ERR t.toml:1:7: expected a digit"},
		{"a = +0x1", "ERR t.toml:1:5: a sign before a hexadecimal, octal or binary integer"},
		{"a = 9223372036854775808", "ERR t.toml:1:5: integer out of range"},
		{"a = 0x8000000000000000", "ERR t.toml:1:5: integer out of range"},
		{"a = 1.", "ERR t.toml:1:7: expected a digit after the decimal point"},
		{"a = .5", "ERR t.toml:1:5: expected a value, not '.'"},
		{"a = 1e", "ERR t.toml:1:7: expected the digits of an exponent"},
		{"a = 1e400", "ERR t.toml:1:5: float out of range"},
		{"a = Inf", "ERR t.toml:1:5: expected a value, not 'I'"},
		{"a = truex", "ERR t.toml:1:9: unexpected 'x' after a value"},
		{"a = 1979-02-29", "ERR t.toml:1:5: date out of range"},
		{"a = 1979-13-01", "ERR t.toml:1:5: date out of range"},
		{"a = 1979-05-27T25:00:00", "ERR t.toml:1:16: time out of range"},
		{"a = 07:32", "ERR t.toml:1:5: expected a time as HH:MM:SS"},
		{"a = 1979-05-27T07:32:00+24:00", "ERR t.toml:1:24: time offset out of range"},
	};
	run_cases(c, SHP_ARRAY_LEN(c));
}

/* A string of n copies of s. Caller frees. */
static char *repeat(const char *pre, const char *s, size_t n, const char *post)
{
	size_t ls = strlen(s), lp = strlen(pre), lq = strlen(post);
	char *b = shp_xmalloc(lp + ls * n + lq + 1);
	memcpy(b, pre, lp);
	for (size_t i = 0; i < n; i++)
		memcpy(b + lp + i * ls, s, ls);
	memcpy(b + lp + ls * n, post, lq + 1);
	return b;
}

static void expect_depth_error(const char *doc, const char *where)
{
	_cleanup_free_ char *got = parse(doc);
	_cleanup_free_ char *want = shp_asprintf("ERR t.toml:%s: nesting deeper than 128 (SHP_TOML_MAX_DEPTH)", where);
	assert_string_equal(got, want);
}

static void test_limits(void **s)
{
	(void)s;
	/* 128 arrays deep are read; 129 are not */
	_cleanup_free_ char *ok = repeat("a = ", "[", 128, "");
	_cleanup_free_ char *ok2 = repeat(ok, "]", 128, "");
	_cleanup_free_ char *got = parse(ok2);
	assert_int_equal(strncmp(got, "{\"a\":[[[", 8), 0);
	_cleanup_free_ char *deep = repeat("a = ", "[", 129, "");
	expect_depth_error(deep, "1:133");
	/* inline tables, and a value's depth counts from its table's */
	_cleanup_free_ char *inl = repeat("[x.y]\na = ", "{b = ", 127, "");
	expect_depth_error(inl, "2:635");
	/* dotted keys and headers */
	_cleanup_free_ char *dot = repeat("[x.y]\na", ".a", 127, " = 1");
	expect_depth_error(dot, "2:253");
	_cleanup_free_ char *dot2 = repeat("a", ".a", 200, " = 1");
	_cleanup_free_ char *got2 = parse(dot2);
	assert_string_equal(got2, "ERR t.toml:1:257: key of more than 128 parts (SHP_TOML_MAX_DEPTH)");
	_cleanup_free_ char *hdr = repeat("[a", ".a", 127, "]\n");
	_cleanup_free_ char *got3 = parse(hdr);
	assert_int_equal(strncmp(got3, "{\"a\":{\"a\"", 9), 0);
	_cleanup_free_ char *aot = repeat("[[a", ".a", 127, "]]\n");
	expect_depth_error(aot, "1:257");

	/* the size limit */
	size_t big = SHP_TOML_MAX_BYTES + 1;
	_cleanup_free_ char *doc = shp_xmalloc(big);
	memset(doc, '\n', big);
	_cleanup_free_ char *got4 = parse_n(doc, big);
	assert_string_equal(got4, "ERR t.toml: larger than the 1 MiB limit (SHP_TOML_MAX_BYTES)");
	_cleanup_free_ char *got5 = parse_n(doc, big - 1);
	assert_string_equal(got5, "{}");
}

/* 10^5 keys in one table, in one inline table, and as many tables: each found through the
 * index (a linear scan of cJSON's list per key would take minutes), the last duplicate too. */
static void test_many_keys(void **s)
{
	(void)s;
	enum { N = 100000 };
	struct text {
		char *p;
		size_t len;
	} b = {shp_xmalloc(SHP_TOML_MAX_BYTES), 0};
	for (int i = 0; i < N; i++)
		b.len += (size_t)sprintf(b.p + b.len, "k%x=%d\n", i, i % 10);
	assert_true(b.len < SHP_TOML_MAX_BYTES - 16);
	struct shp_error *err = NULL;
	cJSON *j = shp_toml_parse(b.p, b.len, "t.toml", &err);
	assert_non_null(j);
	assert_int_equal(cJSON_GetArraySize(j), N);
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(j, "k1869f")->valueint, 9);
	cJSON_Delete(j);
	b.len += (size_t)sprintf(b.p + b.len, "k4242 = 1\n");
	assert_null(shp_toml_parse(b.p, b.len, "t.toml", &err));
	assert_string_equal(err->msg, "t.toml:100001:1: key k4242 defined twice");
	shp_error_free(err);
	err = NULL;

	b.len = (size_t)sprintf(b.p, "t={");
	for (int i = 0; i < N; i++)
		b.len += (size_t)sprintf(b.p + b.len, "%sk%x=1", i ? "," : "", i);
	b.len += (size_t)sprintf(b.p + b.len, "}\n");
	assert_true(b.len < SHP_TOML_MAX_BYTES);
	j = shp_toml_parse(b.p, b.len, "t.toml", &err);
	assert_non_null(j);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "t")), N);
	cJSON_Delete(j);

	b.len = 0;
	for (int i = 0; i < N; i++)
		b.len += (size_t)sprintf(b.p + b.len, "[t%x]\n", i);
	assert_true(b.len < SHP_TOML_MAX_BYTES);
	j = shp_toml_parse(b.p, b.len, "t.toml", &err);
	assert_non_null(j);
	assert_int_equal(cJSON_GetArraySize(j), N);
	cJSON_Delete(j);
	free(b.p);
}

/* A custom configuration as gitleaks' documentation writes them. */
static const char gitleaks[] = "title = \"custom\"\n"
			       "\n"
			       "[extend]\n"
			       "useDefault = true\n"
			       "disabledRules = [ \"generic-api-key\"]\n"
			       "\n"
			       "[[rules]]\n"
			       "id = \"corp-token\"\n"
			       "description = \"Corp API token\"\n"
			       "regex = '''(?i)\\b(corp_[a-z0-9]{32})(?:['|\\\"|\\n|\\r|\\s|\\x60|;]|$)'''\n"
			       "secretGroup = 1\n"
			       "entropy = 3.5\n"
			       "keywords = [\n"
			       "    \"corp_\",\n"
			       "]\n"
			       "tags = [\"tag\",\"another tag\"]\n"
			       "\n"
			       "    [[rules.allowlists]]\n"
			       "    description = \"ignore tests\"\n"
			       "    condition = \"AND\"\n"
			       "    paths = [\n"
			       "      '''go\\.mod''',\n"
			       "      '''(.*?)(jpg|gif|doc)'''\n"
			       "    ]\n"
			       "    regexTarget = \"line\"\n"
			       "    regexes = [ '''MY-glpat-''' ]\n"
			       "\n"
			       "[[rules]]\n"
			       "id = \"old-style\"\n"
			       "regex = '''x'''\n"
			       "[rules.allowlist]\n"
			       "stopwords = [ '''client''', '''endpoint''', ]\n"
			       "\n"
			       "[allowlist]\n"
			       "description = \"global\"\n"
			       "commits = [ \"commit-A\", \"commit-B\"]\n";

static void test_gitleaks(void **s)
{
	(void)s;
	struct shp_error *err = NULL;
	cJSON *j = shp_toml_parse(gitleaks, sizeof gitleaks - 1, "t.toml", &err);
	assert_non_null(j);
	const cJSON *rules = cJSON_GetObjectItemCaseSensitive(j, "rules");
	assert_int_equal(cJSON_GetArraySize(rules), 2);
	const cJSON *r0 = cJSON_GetArrayItem(rules, 0);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(r0, "regex")->valuestring,
			    "(?i)\\b(corp_[a-z0-9]{32})(?:['|\\\"|\\n|\\r|\\s|\\x60|;]|$)");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(r0, "secretGroup")->valueint, 1);
	assert_true(cJSON_GetObjectItemCaseSensitive(r0, "entropy")->valuedouble == 3.5);
	const cJSON *al = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r0, "allowlists"), 0);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(al, "paths"), 0)->valuestring,
			    "go\\.mod");
	const cJSON *r1 = cJSON_GetArrayItem(rules, 1);
	const cJSON *sw =
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r1, "allowlist"), "stopwords");
	assert_int_equal(cJSON_GetArraySize(sw), 2);
	assert_true(cJSON_IsTrue(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "extend"), "useDefault")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
				 cJSON_GetObjectItemCaseSensitive(j, "allowlist"), "commits")),
			 2);
	cJSON_Delete(j);
}

/* Every ```toml block of the README of gitleaks in the corpus parses; the configuration
 * example there has its rules and allowlists where gitleaks reads them. */
static void test_corpus(void **s)
{
	(void)s;
	char path[4096];
	snprintf(path, sizeof path, "%s/secrets/gitleaks/README.md", corpus ? corpus : "../shared/corpus");
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("skip: %s not found\n", path);
		skip();
	}
	char line[4096];
	size_t lineno = 0, blocks = 0;
	struct {
		char *p;
		size_t len, cap;
	} b = {0};
	int in = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (!in && strncmp(line, "```toml", 7) == 0) {
			in = 1;
			b.len = 0;
			continue;
		}
		if (in && strncmp(line, "```", 3) == 0) {
			in = 0;
			blocks++;
			struct shp_error *err = NULL;
			cJSON *j = shp_toml_parse(b.p, b.len, path, &err);
			if (!j)
				fail_msg("block ending at line %zu: %s", lineno, err->msg);
			const cJSON *rules = cJSON_GetObjectItemCaseSensitive(j, "rules");
			if (rules) {
				const cJSON *r0 = cJSON_GetArrayItem(rules, 0);
				assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r0, "allowlists")),
						 2);
				assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "allowlists")),
						 2);
			}
			cJSON_Delete(j);
			continue;
		}
		if (in) {
			size_t n = strlen(line);
			if (b.len + n > b.cap)
				b.p = shp_xgrow(b.p, &b.cap, b.len + n, 1);
			memcpy(b.p + b.len, line, n);
			b.len += n;
		}
	}
	fclose(f);
	free(b.p);
	printf("%zu TOML blocks of %s parsed\n", blocks, path);
	assert_true(blocks >= 1);
}

int main(int argc, char **argv)
{
	corpus = argc > 1 ? argv[1] : NULL;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),	  cmocka_unit_test(test_tables),   cmocka_unit_test(test_values),
		cmocka_unit_test(test_strings),	  cmocka_unit_test(test_errors),   cmocka_unit_test(test_limits),
		cmocka_unit_test(test_many_keys), cmocka_unit_test(test_gitleaks), cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
