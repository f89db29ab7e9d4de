/* test-user.c - shp_user_is_root (util/user.h): a table of the ways users are written, and
 * what an unset user means to each kind of caller. */
#include "unit.h"
#include "util/user.h"

#include <stdio.h>

static void test_root_forms(void **state)
{
	(void)state;
	static const char *const root[] = {"root",    "0",	   "00", "000", "0:0",	  "00:00",    "root:root",
					   "0:wheel", "root:1000", " 0", "0 ",	"\t00\n", " root :0", "0:"};
	for (size_t i = 0; i < sizeof root / sizeof root[0]; i++) {
		printf("root: \"%s\"\n", root[i]);
		assert_true(shp_user_is_root(root[i], SHP_USER_UNSET_UNKNOWN));
		assert_true(shp_user_is_root(root[i], SHP_USER_UNSET_ROOT));
	}
}

static void test_not_root(void **state)
{
	(void)state;
	static const char *const other[] = {"1000",   "10",   "01",	  "100:0",    "65534:65534",
					    "nobody", "Root", "rootless", "roo",      "0x0",
					    "0.0",    "-1",   "0 0",	  "app:root", "ContainerAdministrator"};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		printf("not root: \"%s\"\n", other[i]);
		assert_false(shp_user_is_root(other[i], SHP_USER_UNSET_UNKNOWN));
		assert_false(shp_user_is_root(other[i], SHP_USER_UNSET_ROOT));
	}
}

/* An empty user part is the default user: root in an image config, unknown in a compose file. */
static void test_unset(void **state)
{
	(void)state;
	static const char *const unset[] = {"", " ", ":0", ":1000", " :root"};
	for (size_t i = 0; i < sizeof unset / sizeof unset[0]; i++) {
		printf("unset: \"%s\"\n", unset[i]);
		assert_true(shp_user_is_root(unset[i], SHP_USER_UNSET_ROOT));
		assert_false(shp_user_is_root(unset[i], SHP_USER_UNSET_UNKNOWN));
	}
	assert_true(shp_user_is_root(NULL, SHP_USER_UNSET_ROOT));
	assert_false(shp_user_is_root(NULL, SHP_USER_UNSET_UNKNOWN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_forms),
		cmocka_unit_test(test_not_root),
		cmocka_unit_test(test_unset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
