/* creds-flags.c - credentials from the command line only: --username/--password and
 * --registry-token. Stands in for the full lookup (config.json, auth.json, credential
 * helpers) until it lands. */
#include "registry/creds.h"
#include "util/xalloc.h"

#include <stdlib.h>

int shp_creds_lookup(const char *host, const struct shp_creds_flags *flags, struct shp_creds *out,
		     struct shp_error **err)
{
	(void)host;
	(void)err;
	*out = (struct shp_creds){0};
	if (flags && flags->registry_token) {
		out->bearer = shp_xstrdup(flags->registry_token);
		out->source = shp_xstrdup("--registry-token");
		return 1;
	}
	if (flags && flags->username && flags->password) {
		out->username = shp_xstrdup(flags->username);
		out->password = shp_xstrdup(flags->password);
		out->source = shp_xstrdup("--username/--password");
		return 1;
	}
	return 0;
}

void shp_creds_free(struct shp_creds *c)
{
	free(c->username);
	free(c->password);
	free(c->identity_token);
	free(c->bearer);
	free(c->source);
	*c = (struct shp_creds){0};
}
