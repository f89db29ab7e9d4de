/* user.c - see user.h. */
#include "util/user.h"

#include <string.h>

static int blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int shp_user_is_root(const char *user, enum shp_user_unset unset)
{
	if (!user)
		return unset == SHP_USER_UNSET_ROOT;
	while (blank(*user))
		user++;
	size_t n = strcspn(user, ":");
	while (n && blank(user[n - 1]))
		n--;
	if (!n)
		return unset == SHP_USER_UNSET_ROOT;
	return (n == 4 && !strncmp(user, "root", 4)) || strspn(user, "0") >= n;
}
