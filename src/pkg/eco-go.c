/* eco-go.c - Go modules, as a Go 1.18+ program's build information names them (gobin.c):
 * found in the program's bytes as they stream by, or through its ELF section headers;
 * semver order with Go's leading 'v'; OSV's "Go". */
#include "pkg/pkg.h"

static void init(void *state) { shp_gobin_init(state); }
static int feed(void *state, const void *data, size_t n) { return shp_gobin_feed(state, data, n); }
static const char *blob(void *state, size_t *len) { return shp_gobin_blob(state, len); }
static void done(void *state) { shp_gobin_free(state); }

static const struct shp_prog_reader program = {
	.state_size = sizeof(struct shp_gobin),
	.init = init,
	.feed = feed,
	.blob = blob,
	.free = done,
	.read_fd = shp_gobin_read_elf,
};

static int parse(const char *path, const char *data, size_t len, struct shp_pkgs *out, struct shp_error **err)
{
	(void)err;
	return shp_pkg_parse_gobin(path, data, len, out);
}

static const struct shp_pkg_reader readers[] = {
	{.id = "go-binary", .parse = parse, .program = &program, .counts_as = "programs"},
};

/* purl-spec: a module's path segments stay segments (pkg:golang/golang.org/x/text@v0.3.7) */
const struct shp_ecosystem shp_eco_go = {
	.type = "golang",
	.title = "Go modules",
	.purl_type = "golang",
	.osv = "Go",
	.vercmp = shp_vercmp_semver,
	.purl_ns_sep = '/',
	.readers = readers,
	.nreaders = sizeof readers / sizeof readers[0],
};
