/* error.h - errors that carry a message and gain context on the way up.
 * A fallible function takes struct shp_error **err, returns -1 and sets *err;
 * callers may prefix context with shp_error_wrap(); main prints it once. */
#pragma once
#include <stdarg.h>

/* The process exit codes; one documented enum (see DESIGN.md). */
enum shp_exit {
	SHP_EXIT_OK = 0,       /* nothing at or above --fail-on */
	SHP_EXIT_FINDINGS = 1, /* findings at or above --fail-on */
	SHP_EXIT_USAGE = 2,    /* bad command line */
	SHP_EXIT_INPUT = 3,    /* unreadable or invalid input, I/O error */
};

struct shp_error {
	enum shp_exit code;
	char *msg;
};

/* Sets *err (if err is non-NULL and *err is NULL) and returns -1. */
int shp_error_set(struct shp_error **err, enum shp_exit code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Like shp_error_set, appending ": strerror(errno_)". */
int shp_error_errno(struct shp_error **err, int errno_, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prefixes "context: " to an existing error; returns -1. */
int shp_error_wrap(struct shp_error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void shp_error_free(struct shp_error *err);
static inline void shp_error_freep(struct shp_error **e) { shp_error_free(*e); }
#define _cleanup_error_ __attribute__((cleanup(shp_error_freep)))
