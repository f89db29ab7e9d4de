/* ref.c - image references as docker writes them ([HOST[:PORT]/]NAME[:TAG][@DIGEST]), with
 * Docker Hub's normalisation: a first part is a host only when it has a '.' or a ':' or is
 * "localhost", and a single name on Docker Hub is an official image under library/. */
#include "registry/registry.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static int lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* One path component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)*, as distribution's grammar. */
static int component_ok(const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0 || !lower_alnum(s[0]) || !lower_alnum(s[n - 1]))
		return 0;
	while (i < n) {
		if (lower_alnum(s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && !lower_alnum(s[j]))
			j++;
		size_t k = j - i;
		int ok = (k == 1 && (s[i] == '.' || s[i] == '_')) || (k == 2 && s[i] == '_' && s[i + 1] == '_');
		for (size_t m = i; !ok && m < j && s[m] == '-'; m++)
			ok = m + 1 == j;
		if (!ok)
			return 0;
		i = j;
	}
	return 1;
}

/* HOST[:PORT]: DNS labels (letters, digits, '-', '.'), or [IPv6], and digits after ':'. */
static int host_ok(const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0)
		return 0;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close || close == s + 1)
			return 0;
		for (const char *p = s + 1; p < close; p++)
			if (!strchr("0123456789abcdefABCDEF:.", *p))
				return 0;
		i = (size_t)(close - s) + 1;
	} else {
		while (i < n && s[i] != ':') {
			char c = s[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
			      c == '.'))
				return 0;
			i++;
		}
		if (i == 0 || s[0] == '-' || s[0] == '.' || s[i - 1] == '-' || s[i - 1] == '.')
			return 0;
	}
	if (i == n)
		return 1;
	if (s[i] != ':' || i + 1 == n || n - i - 1 > 5)
		return 0;
	for (i++; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} */
static int tag_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 128 || *s == '.' || *s == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

static int bad(struct shp_error **err, const char *s, const char *why)
{
	return shp_error_set(err, SHP_EXIT_USAGE, "%s: not an image reference: %s", s, why);
}

int shp_docker_ref_parse(const char *s, struct shp_docker_ref *out, struct shp_error **err)
{
	*out = (struct shp_docker_ref){0};
	if (!*s)
		return bad(err, s, "empty");
	if (strlen(s) > 4096)
		return bad(err, "(reference)", "longer than 4096 bytes");
	_cleanup_free_ char *work = shp_xstrdup(s);
	_cleanup_free_ char *digest = NULL, *tag = NULL, *host = NULL;
	char *at = strchr(work, '@');
	if (at) {
		*at = 0;
		if (!shp_digest_valid(at + 1))
			return bad(err, s, "a digest is sha256: and 64 lowercase hex digits");
		digest = shp_xstrdup(at + 1);
	}
	char *slash = strrchr(work, '/');
	char *colon = strrchr(slash ? slash : work, ':');
	if (colon) {
		*colon = 0;
		if (!tag_ok(colon + 1))
			return bad(err, s,
				   "a tag is at most 128 letters, digits, '_', '.' and '-', not first '.' or '-'");
		tag = shp_xstrdup(colon + 1);
	}
	/* the first part is a registry host when it looks like one and a name follows */
	char *first = strchr(work, '/');
	const char *name = work;
	if (first) {
		size_t n = (size_t)(first - work);
		if (memchr(work, '.', n) || memchr(work, ':', n) || (n == 9 && !strncmp(work, "localhost", 9)) ||
		    work[0] == '[') {
			if (!host_ok(work, n))
				return bad(err, s, "a malformed registry host");
			host = shp_xstrndup(work, n);
			name = first + 1;
		}
	}
	if (!*name)
		return bad(err, s, "no repository name");
	if (strlen(name) > 255)
		return bad(err, s, "a repository name is at most 255 bytes");
	for (const char *p = name;;) {
		const char *e = strchrnul(p, '/');
		if (!component_ok(p, (size_t)(e - p))) {
			for (const char *q = p; q < e; q++)
				if (*q >= 'A' && *q <= 'Z')
					return bad(err, s, "a repository name is lowercase");
			return bad(err, s,
				   "a repository name is parts of lowercase letters and digits, joined by '.', "
				   "'_', '__' or '-' and separated by '/'");
		}
		if (!*e)
			break;
		p = e + 1;
	}
	if (!host || !strcmp(host, "index.docker.io")) {
		free(host);
		host = shp_xstrdup("docker.io");
	}
	out->host = steal_pointer(&host);
	out->repo = !strcmp(out->host, "docker.io") && !strchr(name, '/') ? shp_asprintf("library/%s", name)
									  : shp_xstrdup(name);
	out->digest = steal_pointer(&digest);
	out->tag = tag ? steal_pointer(&tag) : out->digest ? NULL : shp_xstrdup("latest");
	return 0;
}

char *shp_docker_ref_string(const struct shp_docker_ref *r)
{
	return shp_asprintf("%s/%s%s%s%s%s", r->host, r->repo, r->tag ? ":" : "", r->tag ? r->tag : "",
			    r->digest ? "@" : "", r->digest ? r->digest : "");
}

const char *shp_docker_ref_api_host(const struct shp_docker_ref *r)
{
	return strcmp(r->host, "docker.io") ? r->host : "registry-1.docker.io";
}

void shp_docker_ref_free(struct shp_docker_ref *r)
{
	free(r->host);
	free(r->repo);
	free(r->tag);
	free(r->digest);
	*r = (struct shp_docker_ref){0};
}
