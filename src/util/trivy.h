/* trivy.h - Trivy's ignore conventions, shared by the Dockerfile parser, the audit readers
 * and the configuration: dates as "YYYY-MM-DD" compared as text, and the inline comment
 * "trivy:ignore:ID" with an optional ":exp:YYYY-MM-DD" after which it no longer counts. */
#pragma once
#include <stddef.h>

/* Today, UTC, as "YYYY-MM-DD". */
void shp_today(char out[16]);

/* In comment text c..end (after the '#' and blanks): the id of "trivy:ignore:ID" (its span,
 * length in *n; "*" names every rule), or NULL when c is not one or its date has passed. */
const char *shp_trivy_ignore(const char *c, const char *end, size_t *n);
