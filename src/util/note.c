/* note.c - notes on stderr, and the one switch that silences them (note.h). */
#include "util/note.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

/* Set once by the command line before any thread starts; read from the scan's threads. */
static atomic_int quiet;

void shp_set_quiet(int q) { atomic_store_explicit(&quiet, q != 0, memory_order_relaxed); }

int shp_quiet(void) { return atomic_load_explicit(&quiet, memory_order_relaxed); }

void shp_note(const char *fmt, ...)
{
	if (shp_quiet())
		return;
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *msg = shp_vasprintf(fmt, ap);
	va_end(ap);
	_cleanup_buf_ struct shp_buf line = {0};
	shp_buf_puts(&line, "shipshape: ");
	shp_buf_term_str(&line, msg);
	shp_buf_putc(&line, '\n');
	fputs(line.data, stderr);
}
