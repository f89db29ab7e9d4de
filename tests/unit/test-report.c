/* test-report.c - reporters: JSON escaping, summary counts, SARIF levels, text summary. */
#include "unit.h"
#include "report/report.h"
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

static void one(struct shp_findings *f, const char *rule, enum shp_severity sev)
{
	struct shp_finding *x = shp_findings_add(f, shp_rule_find(rule), sev, "dir/Dockerfile", "AKIA****",
						 strdup("m \"q\""));
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
	shp_buf_free(&b);
	shp_findings_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_formats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
