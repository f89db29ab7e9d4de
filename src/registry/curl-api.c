/* curl-api.c - libcurl's functions, looked up once with dlopen (see curl-api.h). */
#include "registry/curl-api.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

static struct shp_curl table;
static const char *load_error;
static pthread_once_t once = PTHREAD_ONCE_INIT;

struct sym {
	const char *name;
	size_t off;
};

#define SYM(field, fn)                                                                                                 \
	{                                                                                                              \
#fn, offsetof(struct shp_curl, field)                                                                  \
	}
static const struct sym syms[] = {
	SYM(easy_init, curl_easy_init),
	SYM(easy_setopt, curl_easy_setopt),
	SYM(easy_getinfo, curl_easy_getinfo),
	SYM(easy_cleanup, curl_easy_cleanup),
	SYM(easy_reset, curl_easy_reset),
	SYM(easy_pause, curl_easy_pause),
	SYM(easy_strerror, curl_easy_strerror),
	SYM(easy_escape, curl_easy_escape),
	SYM(free, curl_free),
	SYM(multi_init, curl_multi_init),
	SYM(multi_add_handle, curl_multi_add_handle),
	SYM(multi_remove_handle, curl_multi_remove_handle),
	SYM(multi_perform, curl_multi_perform),
	SYM(multi_poll, curl_multi_poll),
	SYM(multi_info_read, curl_multi_info_read),
	SYM(multi_cleanup, curl_multi_cleanup),
	SYM(slist_append, curl_slist_append),
	SYM(slist_free_all, curl_slist_free_all),
	SYM(global_init, curl_global_init),
	SYM(version_info, curl_version_info),
};

static void load(void)
{
	/* RTLD_LOCAL: libcurl's libssl binds to the shared libcrypto it needs, never to ours */
	void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		load_error = dlerror();
		return;
	}
	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		void *f = dlsym(h, syms[i].name);
		if (!f) {
			load_error = "libcurl.so.4 lacks a function we call (libcurl older than 7.66?)";
			return;
		}
		*(void **)((char *)&table + syms[i].off) = f;
	}
	if (table.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		load_error = "libcurl did not initialise";
		return;
	}
}

const struct shp_curl *shp_curl(struct shp_error **err)
{
	pthread_once(&once, load);
	if (load_error) {
		shp_error_set(err, SHP_EXIT_INPUT, "cannot load libcurl (needed for registries and engine APIs): %s",
			      load_error);
		return NULL;
	}
	return &table;
}
