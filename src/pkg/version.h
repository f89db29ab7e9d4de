/* version.h - version order as each package manager defines it.
 *
 * deb: dpkg's (epoch, upstream, revision; '~' before everything, letters before other
 * characters), apk: apk-tools' (digits, letters, _alpha.._p suffixes, -rN), rpm: rpm's
 * rpmvercmp over epoch, version and release ('~' before and '^' after the end; a missing
 * release before any, as librpm's rpmverCmp has it); npm: semver 2.0.0 (pre-releases before
 * the release, their identifiers numeric by value); PyPI: PEP 440 (epoch, release with
 * trailing zeros insignificant, dev < a < b < rc < final < post, local labels); Go modules:
 * semver, with Go's leading 'v'; Maven: Maven 3.9's ComparableVersion. Each returns
 * <0, 0 or >0, and never reads past the strings, whatever they hold. */
#pragma once
#include "pkg/ecosystem.h"

#include <stddef.h>

int shp_vercmp_deb(const char *a, const char *b);
int shp_vercmp_apk(const char *a, const char *b);
int shp_vercmp_rpm(const char *a, const char *b);
int shp_vercmp_semver(const char *a, const char *b);
int shp_vercmp_pep440(const char *a, const char *b);
int shp_vercmp_maven(const char *a, const char *b);
/* Two runs of digits (na and nb bytes, either may be empty: 0) by value: leading zeros
 * skipped, then length, then bytes; any length, no overflow. For the orders of every ecosystem. */
int shp_vercmp_digits(const char *a, size_t na, const char *b, size_t nb);
/* rpmvercmp itself: one version or release string against another, no epoch. */
int shp_rpmvercmp(const char *a, const char *b);

int shp_vercmp(enum shp_pkg_type t, const char *a, const char *b);
/* "deb", "apk", "rpm", "npm", "pypi", "golang", "maven" -> type; -1 if unknown. */
int shp_pkg_type_from_name(const char *s);
const char *shp_pkg_type_name(enum shp_pkg_type t);
