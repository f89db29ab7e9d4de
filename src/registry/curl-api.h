/* curl-api.h - libcurl, loaded on first use. The binary links its heavy libraries statically
 * to start fast; libcurl brings some twenty shared libraries (libssl, nghttp2, GSSAPI,
 * LDAP...) that cost more than a whole lint run to load, and libssl would bind to our
 * static libcrypto. So commands that never talk to a registry never load it: the calls go
 * through this table, filled by dlopen("libcurl.so.4"). Not for use outside registry/. */
#pragma once
#define CURL_DISABLE_TYPECHECK 1
#include "util/error.h"

#include <curl/curl.h>

struct shp_curl {
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	void (*easy_reset)(CURL *);
	CURLcode (*easy_pause)(CURL *, int);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLcode (*global_init)(long);
	curl_version_info_data *(*version_info)(CURLversion);
};

/* The table, loaded once (thread-safe); NULL with err (exit 3) when libcurl cannot be loaded. */
const struct shp_curl *shp_curl(struct shp_error **err);
