/* test-report.c - reporters: JSON and XML escaping (UTF-8 checked), summary counts, SARIF
 * levels, text summary, the CI formats (checkstyle, junit, gnu, github). */
#include "report/report.h"
#include "rules/rule.h"
#include "unit.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

static void test_json_escape(void **s)
{
	(void)s;
	struct shp_buf b = {0};
	shp_buf_json_str(&b, "a\"b\\c\nd\x01");
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\u0001\"");
	shp_buf_free(&b);
}

static void test_json_utf8(void **s)
{
	(void)s;
	struct shp_buf b = {0};
	/* well-formed UTF-8 stays; a stray byte, an overlong form, a surrogate and a cut
	 * sequence become U+FFFD */
	shp_buf_json_str(&b, "\xc3\xbc-\xf0\x9f\x90\xb3-\xff-\xc0\xaf-\xed\xa0\x80-\xe2\x82");
	assert_string_equal(
		b.data, "\"\xc3\xbc-\xf0\x9f\x90\xb3-\\ufffd-\\ufffd\\ufffd-\\ufffd\\ufffd\\ufffd-\\ufffd\\ufffd\"");
	shp_buf_free(&b);
}

static void test_xml_escape(void **s)
{
	(void)s;
	struct shp_buf b = {0};
	shp_buf_xml_str(&b, "<a href=\"x\">&'\n\t\x01\xc3\xbc\xff\xef\xbf\xbe");
	assert_string_equal(
		b.data, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;&#9;\xef\xbf\xbd\xc3\xbc\xef\xbf\xbd\xef\xbf\xbd");
	shp_buf_reset(&b);
	shp_buf_xml_str(&b, NULL);
	assert_int_equal(b.len, 0);
	shp_buf_free(&b);
	assert_int_equal(shp_utf8_seq((const unsigned char *)"a"), 1);
	assert_int_equal(shp_utf8_seq((const unsigned char *)"\xf4\x8f\xbf\xbf"), 4); /* U+10FFFF */
	assert_int_equal(shp_utf8_seq((const unsigned char *)"\xf4\x90\x80\x80"), 0); /* past it */
	assert_int_equal(shp_utf8_seq((const unsigned char *)"\xe0\x80\x80"), 0);     /* overlong */
	assert_int_equal(shp_utf8_seq((const unsigned char *)"\xc3"), 0);	      /* cut at the NUL */
}

/* What a file name or Dockerfile may hold: C0 (ESC, BEL, a line break), DEL, C1 as UTF-8
 * (U+009B, CSI on some terminals), bytes that are not UTF-8; and what stays (UTF-8, \). */
static const char hostile[] = "a\033]0;t\007\033[2J\nb\t\r\x7f\xc2\x9b\xff\xc3\xbc\\x\xc2\xa0\xe2\x82";

static void test_term_escape(void **s)
{
	(void)s;
	struct shp_buf b = {0};
	shp_buf_term_str(&b, hostile);
	assert_string_equal(b.data, "a\\x1b]0;t\\x07\\x1b[2J\\nb\\t\\r\\x7f\\xc2\\x9b\xef\xbf\xbd\xc3\xbc\\x\xc2\xa0"
				    "\xef\xbf\xbd\xef\xbf\xbd");
	shp_buf_reset(&b);
	shp_buf_term_str(&b, "plain /usr/bin/\xc3\xa9t\xc3\xa9");
	assert_string_equal(b.data, "plain /usr/bin/\xc3\xa9t\xc3\xa9");
	shp_buf_reset(&b);
	shp_buf_term_str(&b, NULL);
	assert_int_equal(b.len, 0);
	shp_buf_term_printf(&b, "%s:%d", "x\ny", 3);
	assert_string_equal(b.data, "x\\ny:3");
	/* JSON and XML keep them exactly, as escapes that are harmless on a terminal */
	shp_buf_reset(&b);
	shp_buf_json_str(&b, "\x7f\xc2\x9b\xc2\xa0");
	assert_string_equal(b.data, "\"\\u007f\\u009b\xc2\xa0\"");
	shp_buf_reset(&b);
	shp_buf_xml_str(&b, "\x7f\xc2\x85\xc2\xa0");
	assert_string_equal(b.data, "&#x7F;&#x85;\xc2\xa0");
	shp_buf_free(&b);
}

/* No format but the text one on a terminal writes a control byte, whatever the file names and
 * messages hold; the text one only its own colours. */
static void test_formats_escape(void **s)
{
	(void)s;
	struct shp_findings f = {0};
	struct shp_finding *x =
		shp_findings_add(&f, shp_rule_find("SHP1020"), SHP_SEV_HIGH, hostile, hostile, strdup(hostile));
	x->layer = 1;
	x->path = strdup(hostile + 1);
	struct shp_report_opts o = {.fail_on = SHP_SEV_HIGH, .files = 1, .command = "image", .color = 1};
	for (int fmt = SHP_FMT_TEXT; fmt <= SHP_FMT_GITHUB; fmt++) {
		struct shp_buf b = {0};
		shp_report(&b, (enum shp_format)fmt, &f, &o);
		for (size_t i = 0; i < b.len; i++) {
			unsigned char c = (unsigned char)b.data[i];
			if (c == 033 && fmt == SHP_FMT_TEXT) { /* ours: SGR, ESC [ digits ; m */
				size_t k = i + 1;
				assert_int_equal(b.data[k], '[');
				while (b.data[++k] == ';' || (b.data[k] >= '0' && b.data[k] <= '9'))
					;
				assert_int_equal(b.data[k], 'm');
				i = k;
				continue;
			}
			if ((c < 0x20 && c != '\n') || c == 0x7f || (c == 0xc2 && (unsigned char)b.data[i + 1] < 0xa0))
				fail_msg("format %d: byte 0x%02x at %zu", fmt, c, i);
			size_t n = shp_utf8_seq((const unsigned char *)b.data + i);
			if (!n)
				fail_msg("format %d: not UTF-8 at %zu", fmt, i);
			i += n - 1;
		}
		shp_buf_free(&b);
	}
	shp_findings_free(&f);
}

static void one(struct shp_findings *f, const char *rule, enum shp_severity sev)
{
	struct shp_finding *x =
		shp_findings_add(f, shp_rule_find(rule), sev, "dir/Dockerfile", "AKIA****", strdup("m \"q\""));
	x->line = 3;
	x->col = 1;
}

static void test_formats(void **s)
{
	(void)s;
	struct shp_findings f = {0};
	one(&f, "DL3002", SHP_SEV_HIGH);
	one(&f, "DL3057", SHP_SEV_INFO);
	struct shp_report_opts o = {.fail_on = SHP_SEV_HIGH, .files = 1, .command = "lint"};
	struct shp_report_summary s1 = {0}, s2 = {0}, s3 = {0};
	shp_report_count(&s1, f.v, f.n, SHP_SEV_HIGH);
	shp_report_count(&s2, f.v, f.n, SHP_SEV_INFO);
	shp_report_count(&s3, f.v, f.n, SHP_SEV_NONE);
	assert_int_equal(s1.failing, 1);
	assert_int_equal(s2.failing, 2);
	assert_int_equal(s3.failing, 0);
	assert_int_equal(s1.total, 2);
	assert_int_equal(s1.by_severity[SHP_SEV_HIGH], 1);
	assert_int_equal(s1.by_severity[SHP_SEV_INFO], 1);
	struct shp_buf b = {0};
	shp_report(&b, SHP_FMT_JSON, &f, &o);
	assert_non_null(strstr(b.data, "\"summary\":{\"total\":2,\"by_severity\":{\"critical\":0,\"high\":1"));
	assert_non_null(strstr(b.data, "\"message\":\"m \\\"q\\\"\""));
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_SARIF, &f, &o);
	assert_non_null(strstr(b.data, "\"version\":\"2.1.0\""));
	assert_non_null(strstr(b.data, "\"ruleId\":\"SHP1020\""));
	assert_non_null(strstr(b.data, "\"level\":\"error\""));
	assert_non_null(strstr(b.data, "\"level\":\"note\""));
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_TEXT, &f, &o);
	assert_non_null(strstr(b.data, "2 findings (1 high, 1 info) in 1 file; 1 at or above high"));
	assert_null(strstr(b.data, "\033[")); /* no colour unless asked */
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_CHECKSTYLE, &f, &o);
	assert_non_null(strstr(b.data, "<file name=\"dir/Dockerfile\">"));
	assert_non_null(strstr(b.data, "<error line=\"3\" column=\"1\" severity=\"error\" message=\"m &quot;q&quot;\" "
				       "source=\"SHP1020\"/>"));
	assert_non_null(strstr(b.data, "severity=\"info\""));
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_JUNIT, &f, &o);
	assert_non_null(strstr(b.data, "<testsuite name=\"dir/Dockerfile\" tests=\"2\" failures=\"1\""));
	assert_non_null(strstr(b.data, "name=\"[high] SHP1020 last-user-root at 3:1\">\n<failure type=\"high\""));
	assert_non_null(strstr(b.data, "at 3:1\">\n<system-out>")); /* the info finding passes */
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_GNU, &f, &o);
	assert_non_null(strstr(b.data, "dir/Dockerfile:3:1: error: m \"q\" [SHP1020 high]\n"));
	assert_non_null(strstr(b.data, "dir/Dockerfile:3:1: note: m \"q\" [SHP1093 info]\n"));
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_GITHUB, &f, &o);
	assert_non_null(strstr(
		b.data, "::error file=dir/Dockerfile,line=3,col=1,title=SHP1020 last-user-root (high)::m \"q\"%0A"));
	assert_non_null(strstr(b.data, "::notice file="));
	shp_buf_free(&b);
	shp_findings_free(&f);
}

/* An image finding: no line, a path inside the image that the message does not name. */
static void test_image_finding_formats(void **s)
{
	(void)s;
	struct shp_findings f = {0};
	struct shp_finding *x = shp_findings_add(&f, shp_rule_find("SHP1020"), SHP_SEV_HIGH, "./img.tar", NULL,
						 strdup("a, b: 100%\nsecond line"));
	x->layer = 2;
	x->path = strdup("etc/x,y");
	struct shp_report_opts o = {.fail_on = SHP_SEV_HIGH, .files = 1, .command = "image"};
	struct shp_buf b = {0};
	shp_report(&b, SHP_FMT_GNU, &f, &o);
	assert_string_equal(b.data, "./img.tar: error: a, b: 100%\\nsecond line (etc/x,y) [SHP1020 high]\n");
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_GITHUB, &f, &o);
	assert_non_null(strstr(
		b.data,
		"::error file=img.tar,title=SHP1020 last-user-root (high)::a, b: 100%25\\nsecond line (etc/x,y)%0A"));
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_JUNIT, &f, &o);
	assert_non_null(strstr(b.data, "name=\"[high] SHP1020 last-user-root at layer 2 etc/x,y\""));
	shp_buf_free(&b);
	shp_findings_free(&f);
}

/* Inputs not read: each format that can carry them says which and why; the others do not
 * change. */
static void test_errors(void **s)
{
	(void)s;
	struct shp_findings f = {0};
	one(&f, "DL3002", SHP_SEV_HIGH);
	struct shp_report_error e[] = {{"a,b:c.tar", "a,b:c.tar: more than 2 entries (SHP_X)\n\033]0;t"}};
	struct shp_report_opts o = {.fail_on = SHP_SEV_HIGH, .files = 1, .command = "image", .errors = e, .nerrors = 1};
	struct shp_buf b = {0};
	shp_report(&b, SHP_FMT_JSON, &f, &o);
	assert_non_null(strstr(b.data, ",\"errors\":[{\"input\":\"a,b:c.tar\",\"message\":\"a,b:c.tar: more than 2 "
				       "entries (SHP_X)\\n\\u001b]0;t\"}],\"findings\":["));
	assert_non_null(strstr(b.data, "\"files\":1,\"errors\":1,\"fail_on\""));
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_SARIF, &f, &o);
	assert_non_null(strstr(b.data,
			       "\"invocations\":[{\"executionSuccessful\":false,\"toolExecutionNotifications\":[{"
			       "\"level\":\"error\",\"message\":{\"text\":\"a,b:c.tar: more"));
	assert_non_null(strstr(b.data, "\"artifactLocation\":{\"uri\":\"a,b:c.tar\"}"));
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_TEXT, &f, &o);
	assert_non_null(strstr(b.data, "in 1 file; 1 input could not be read; 1 at or above high"));
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_GITHUB, &f, &o);
	/* the runner's escapes (file's , and :, the message's line break) after the terminal's */
	assert_non_null(strstr(b.data,
			       "::error file=a%2Cb%3Ac.tar,title=input not read::a,b:c.tar: more than 2 entries "
			       "(SHP_X)\\n\\x1b]0;t\n"));
	o.nerrors = 0;
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_JSON, &f, &o);
	assert_null(strstr(b.data, "errors"));
	shp_buf_reset(&b);
	shp_report(&b, SHP_FMT_SARIF, &f, &o);
	assert_null(strstr(b.data, "invocations"));
	shp_buf_free(&b);
	shp_findings_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_utf8),
		cmocka_unit_test(test_xml_escape),
		cmocka_unit_test(test_term_escape),
		cmocka_unit_test(test_formats_escape),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_image_finding_formats),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
