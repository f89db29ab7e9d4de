/* user.h - the one answer to "is this user root?", for every place a user is written: a
 * Dockerfile's USER, an image config's User, a compose service's user, a Kubernetes
 * runAsUser, `docker run -u`, and the user slim keeps or replaces. */
#pragma once

/* What an empty (or absent) user means where the caller reads it. */
enum shp_user_unset {
	SHP_USER_UNSET_UNKNOWN, /* someone else decides (a compose service without user: its image): not root */
	SHP_USER_UNSET_ROOT,	/* the default, which is root (an image config's empty User) */
};

/* 1 if user, written "USER[:GROUP]" as the engines take it, runs as root: the name root, or
 * UID 0 however many zeros spell it ("0", "00", "0:0", "0:wheel"; the engines read the UID
 * as a number). Blanks around the user part are ignored; the group does not matter. An
 * empty user part, or user NULL, is root only when unset says so. Names are not looked up:
 * "toor" with UID 0 in the image's /etc/passwd is not caught here. */
int shp_user_is_root(const char *user, enum shp_user_unset unset);
