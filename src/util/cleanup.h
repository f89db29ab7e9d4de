/* cleanup.h - scope-bound ownership helpers (the bubblewrap/crun idiom).
 * A variable declared _cleanup_free_ is freed when it leaves scope; steal_pointer()
 * hands the value on and leaves NULL behind so nothing is freed twice. */
#pragma once
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void shp_freep(void *p) { free(*(void **)p); }
static inline void shp_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
static inline void shp_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(shp_freep)
#define _cleanup_fclose_ _cleanup_(shp_fclosep)
#define _cleanup_close_ _cleanup_(shp_closep)

static inline void *shp_steal_ptr(void *pp)
{
	void **p = pp;
	void *v = *p;
	*p = NULL;
	return v;
}
#define steal_pointer(pp) ((__typeof__(*(pp)))shp_steal_ptr(pp))

#define SHP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
