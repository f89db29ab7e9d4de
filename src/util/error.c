/* error.c - see error.h. */
#include "util/error.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 4, 0))) static int set_v(struct shp_error **err, enum shp_exit code, const char *suffix,
						       const char *fmt, va_list ap)
{
	if (!err || *err)
		return -1;
	char *msg = shp_vasprintf(fmt, ap);
	if (suffix) {
		char *m2 = shp_asprintf("%s: %s", msg, suffix);
		free(msg);
		msg = m2;
	}
	struct shp_error *e = shp_xcalloc(1, sizeof *e);
	e->code = code;
	e->msg = msg;
	*err = e;
	return -1;
}

int shp_error_set(struct shp_error **err, enum shp_exit code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_v(err, code, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int shp_error_errno(struct shp_error **err, int errno_, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_v(err, SHP_EXIT_INPUT, strerror(errno_), fmt, ap);
	va_end(ap);
	return -1;
}

int shp_error_wrap(struct shp_error **err, const char *fmt, ...)
{
	if (!err || !*err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	char *ctx = shp_vasprintf(fmt, ap);
	va_end(ap);
	char *m = shp_asprintf("%s: %s", ctx, (*err)->msg);
	free(ctx);
	free((*err)->msg);
	(*err)->msg = m;
	return -1;
}

void shp_error_free(struct shp_error *err)
{
	if (!err)
		return;
	free(err->msg);
	free(err);
}
