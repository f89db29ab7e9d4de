/* test-version.c - each ecosystem's version order. */
#include "pkg/version.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static int sgn(int x) { return (x > 0) - (x < 0); }

#define LT(f, a, b)                                                                                                    \
	do {                                                                                                           \
		assert_int_equal(sgn(f(a, b)), -1);                                                                    \
		assert_int_equal(sgn(f(b, a)), 1);                                                                     \
	} while (0)
#define EQ(f, a, b) assert_int_equal(f(a, b), 0)

static void test_deb(void **s)
{
	(void)s;
	LT(shp_vercmp_deb, "1.0~rc1", "1.0");
	LT(shp_vercmp_deb, "1.0", "1.0+b1");
	LT(shp_vercmp_deb, "1.0-1", "1:0.1");
	LT(shp_vercmp_deb, "2.30-1", "2.30-1+deb12u1");
	LT(shp_vercmp_deb, "1.2.3-1~deb7u1", "1.2.3-1");
	LT(shp_vercmp_deb, "1.0a", "1.0+");					   /* letters before other characters */
	LT(shp_vercmp_deb, "99999999999999999999999", "100000000000000000000000"); /* no overflow */
	EQ(shp_vercmp_deb, "1.0", "1.0-0");
	EQ(shp_vercmp_deb, "0:1.0", "1.0");
	EQ(shp_vercmp_deb, "1.01", "1.1");
	EQ(shp_vercmp_deb, "", "");
}

static void test_rpm(void **s)
{
	(void)s;
	LT(shp_vercmp_rpm, "1.0~rc1", "1.0");
	LT(shp_vercmp_rpm, "1.0", "1.0^git1");
	LT(shp_vercmp_rpm, "1.0^git1", "1.0.1");
	LT(shp_vercmp_rpm, "1.0", "1.0-1");  /* a missing release is older, as rpm.vercmp has it */
	LT(shp_vercmp_rpm, "1.0a", "1.0.1"); /* a number beats letters */
	LT(shp_vercmp_rpm, "7.76.0-6.cm2", "7.76.0-16.cm2");
	LT(shp_vercmp_rpm, "9:1", "10:0");
	EQ(shp_vercmp_rpm, "1.0", "1_0");
	EQ(shp_vercmp_rpm, "10.0001", "10.1");
	EQ(shp_vercmp_rpm, ":1", "0:1");
	EQ(shp_rpmvercmp, "a+", "a_");
}

static void test_apk(void **s)
{
	(void)s;
	LT(shp_vercmp_apk, "1.2.3_rc1", "1.2.3");
	LT(shp_vercmp_apk, "1.2.3", "1.2.3_p1");
	LT(shp_vercmp_apk, "1.2.3-r9", "1.2.3-r10");
	LT(shp_vercmp_apk, "1.2.3_alpha", "1.2.3_beta");
	LT(shp_vercmp_apk, "1.2", "1.2a");
	LT(shp_vercmp_apk, "1.01", "1.1"); /* a leading zero makes a fraction */
	LT(shp_vercmp_apk, "2.9.10-r0", "2.9.10-r1");
	EQ(shp_vercmp_apk, "1-r1", "1-r01");
	EQ(shp_vercmp_apk, "1.2.3", "1.2.3");
}

static void test_semver(void **s)
{
	(void)s;
	LT(shp_vercmp_semver, "1.0.0-alpha", "1.0.0-alpha.1");
	LT(shp_vercmp_semver, "1.0.0-alpha.1", "1.0.0-alpha.beta");
	LT(shp_vercmp_semver, "1.0.0-beta.2", "1.0.0-beta.11");
	LT(shp_vercmp_semver, "1.0.0-rc.1", "1.0.0");
	LT(shp_vercmp_semver, "1.9.0", "1.10.0");
	LT(shp_vercmp_semver, "4.17.20", "4.17.21");
	EQ(shp_vercmp_semver, "v1.2.3", "1.2.3+build.5");
	EQ(shp_vercmp_semver, "1.2", "1.2.0");
}

static void test_pep440(void **s)
{
	(void)s;
	LT(shp_vercmp_pep440, "1.0.dev1", "1.0a1");
	LT(shp_vercmp_pep440, "1.0a1", "1.0b1");
	LT(shp_vercmp_pep440, "1.0b2", "1.0rc1");
	LT(shp_vercmp_pep440, "1.0rc1", "1.0");
	LT(shp_vercmp_pep440, "1.0", "1.0.post1");
	LT(shp_vercmp_pep440, "1.0.post1.dev1", "1.0.post1");
	LT(shp_vercmp_pep440, "2.0", "1!0.1");
	LT(shp_vercmp_pep440, "1.0", "1.0+local");
	LT(shp_vercmp_pep440, "1.0+abc", "1.0+1");
	EQ(shp_vercmp_pep440, "1.0", "1.0.0");
	EQ(shp_vercmp_pep440, "1.0-1", "1.0.post1");
	EQ(shp_vercmp_pep440, "1.0c1", "1.0RC1");
	EQ(shp_vercmp_pep440, "v1.0alpha2", "1.0a2");
	LT(shp_vercmp_pep440, "not-pep440", "0.1"); /* an invalid version before any valid one */
}

static void test_types(void **s)
{
	(void)s;
	assert_int_equal(shp_pkg_type_from_name("deb"), SHP_PKG_DEB);
	assert_int_equal(shp_pkg_type_from_name("rpm"), SHP_PKG_RPM);
	assert_int_equal(shp_pkg_type_from_name("pip"), -1);
	assert_int_equal(shp_pkg_type_from_name("pypi"), SHP_PKG_PYPI);
	assert_string_equal(shp_pkg_type_name(SHP_PKG_NPM), "npm");
	assert_int_equal(sgn(shp_vercmp(SHP_PKG_NPM, "1.0.0-rc.1", "1.0.0")), -1);
	assert_int_equal(sgn(shp_vercmp(SHP_PKG_PYPI, "1.0rc1", "1.0")), -1);
	assert_string_equal(shp_pkg_type_name(SHP_PKG_APK), "apk");
	assert_int_equal(sgn(shp_vercmp(SHP_PKG_DEB, "1~", "1")), -1);
	assert_int_equal(shp_pkg_type_from_name("golang"), SHP_PKG_GO);
	assert_int_equal(shp_pkg_type_from_name("maven"), SHP_PKG_MAVEN);
	assert_int_equal(sgn(shp_vercmp(SHP_PKG_GO, "v0.0.0-20210101000000-abcdef", "v0.1.0")), -1);
}

/* Maven's ComparableVersion, the cases its documentation and tests name. Every pair here was
 * checked against Maven 3.9.9's own class. */
static void test_maven(void **s)
{
	(void)s;
	static const char *const lt[][2] = {
		{"1-alpha", "1-beta"},
		{"1-beta", "1-milestone"},
		{"1-milestone", "1-rc"},
		{"1-rc", "1-snapshot"},
		{"1-snapshot", "1"},
		{"1", "1-sp"},
		{"1-sp", "1-foo"},
		{"1-a1", "1-b1"},
		{"1-m1", "1-rc1"},
		{"1-1", "1.1"},
		{"1-sp", "1-1"},
		{"1.9", "1.10"},
		{"1.0-rc1", "1.0"},
		{"2.14.1-rc1", "2.14.1"},
		{"1-bar", "1-foo"},
		{"9999999999", "10000000000"},
		{"1.0.0.Alpha2", "1"},
		{"1-foo", "1-foo1"},
		{"2.0-beta9", "2.3.1"},
		{"1.0.0-SNAPSHOT", "1.0.0"},
		/* the classics */
		{"1-SNAPSHOT", "1"},
		{"1.0-alpha1", "1.0-beta1"},
		{"1.0", "1.0-sp"},
		{"1.0-sp", "1.0.1"},
		{"1-foo2", "1-foo10"},
		{"1.foo", "1-1"},
		{"2.0-1", "2.0.1"},
		{"2.0.1", "2.0.1-xyz"},
		{"2.0.1-xyz", "2.0.1-123"},
		{"1.0-alpha-1-SNAPSHOT", "1.0-alpha-1"},
		{"1.0.0.ALPHA1", "1.0.0.alpha2"},
		{"2.3", "2.3-pfd"}, /* other words after the release */
		{"9.4.1.jre16", "9.4.1.jre16-preview"},
		{"1.0.0.Final", "1.0.0.sp"},
		{"99999999999999999999", "100000000000000000000"},
		{"9223372036854775807", "9223372036854775808"},
		/* "a", "b" and "m" stand for alpha, beta and milestone only before digits */
		{"1-alpha", "1-a"},
		{"1-alpha", "1a"},
		{"1-beta-1", "1-b-1"},
		{"1-milestone", "1-m"},
		/* ga, final and release are empty words a list sheds: "1-ga-1" is 1-[[1]] */
		{"1-sp-1", "1-ga-1"},
		{"1-ga-1", "1-1"},
		{"1-ga.1", "1-sp.1"},
		/* Maven 3.9's order where the older class (Maven 3.6.3's) differs. A word after
		 * '.' opens a sub-list as after '-' (MNG-7644): */
		{"1.0.0.RC8-beta", "1.0.0-RC16"},
		{"1.1.31_noneautotype", "1.1.31.sec10"},
		{"1.0.0.RC1", "1.0.0-RC2"},
		{"1.0.0.alpha1", "1.0.0-alpha2"},
		{"1.0.0.abc1", "1.0.0-abc2"},
		{"1.0.0-RC16", "1.x1"},
		/* a list against nothing weighs every item, not its first alone (MNG-6964) */
		{"1-0.alpha", "1"},
		{"1", "1-0.1"},
		{"1", "1-0.sp"},
	};
	for (size_t i = 0; i < sizeof lt / sizeof lt[0]; i++) {
		assert_int_equal(sgn(shp_vercmp_maven(lt[i][0], lt[i][1])), -1);
		assert_int_equal(sgn(shp_vercmp_maven(lt[i][1], lt[i][0])), 1);
	}
	static const char *const eq[][2] = {
		{"1", "1.0.0"},
		{"1-ga", "1"},
		{"1-final", "1.0"},
		{"1-cr1", "1-rc1"},
		{"1.0-1", "1-1"},
		{"01.002", "1.2"},
		{"1.0.RELEASE", "1"},
		{"1-RC2", "1-rc-2"},
		{"1.0.0.CR3", "1-rc-3"},
		{"0", "0.0"},
		{"1.0", "1-ga"},
		{"1.0.0.Final", "1.0.0"},
		{"1-a1", "1-alpha-1"},
		{"1.0a1", "1.0-alpha-1"},
		{"1-rc", "1-cr"},
		{"1..", "1"},
		{"1--1", "1-0-1"},
		{"1-1.foo-bar-1-baz-0.1", "1-1.foo-bar1baz-.1"},
		/* 3.9: ".X" is "-X" (before: "2-x" < "2.0.x" < "2.0.0.x") */
		{"2-x", "2.0.x"},
		{"2-x", "2.0.0.x"},
		{"2-rc1", "2.0.rc1"},
		{"1.foo", "1-foo"},
	};
	for (size_t i = 0; i < sizeof eq / sizeof eq[0]; i++) {
		assert_int_equal(shp_vercmp_maven(eq[i][0], eq[i][1]), 0);
		assert_int_equal(shp_vercmp_maven(eq[i][1], eq[i][0]), 0);
	}
	/* past the bounds (items, children, length): compared on what fits, nothing overrun */
	static char dots[4001], words[4001];
	for (size_t i = 0; i < 4000; i++) {
		dots[i] = i % 2 ? '.' : '1';
		words[i] = "1-a."[i % 4];
	}
	assert_int_equal(shp_vercmp_maven(dots, dots), 0);
	assert_int_equal(sgn(shp_vercmp_maven("1", dots)), -1);
	assert_int_equal(shp_vercmp_maven(words, words), 0);
	assert_int_equal(sgn(shp_vercmp_maven(words, "2")), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deb),   cmocka_unit_test(test_maven),  cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_apk),   cmocka_unit_test(test_semver), cmocka_unit_test(test_pep440),
		cmocka_unit_test(test_types),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
