/* java.c - Java packages: the Maven artifacts a Java archive (.jar, .war, .ear, .par) holds,
 * as Trivy's jar analyzer finds them: each META-INF/maven/GROUP/ARTIFACT/pom.properties
 * the build put in it (groupId, artifactId, version), in the archive itself and in the
 * archives inside it (a Spring Boot jar's BOOT-INF/lib, a war's WEB-INF/lib), to a depth.
 *
 * An archive is read as a stream (libarchive's streaming zip reader over whatever gives its
 * bytes: a layer's tar entry, a file, an entry of the archive around it), so nothing is
 * extracted or held but one pom.properties at a time. An archive that is not a readable zip
 * is skipped, as a package manifest that does not parse is: it is a file of the image, not a
 * database. Archives without pom.properties (the name and version would have to be guessed
 * from the file name or looked up by digest online) give no package.
 *
 * Every byte inflated counts against a budget, those of entries we only pass over too:
 * skipping a zip entry whose length is at its end means inflating it, and an inner archive
 * multiplies what its outer one inflates (a 1 KB jar can hold 40 GiB of zeros). The budget
 * reached, the archive is left where it is and the caller told so. An archive of known size
 * up to JAR_MAX_BUFFER is read into memory and through its central directory, which gives
 * every entry's length: passing over one is then a seek, not an inflate, so the entries
 * read (pom.properties, inner archives) are all that is inflated. A larger one is read as a
 * stream, each entry to its end. */
#include "pkg/pkg.h"
#include "pkg/text.h"
#include "util/xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define JAR_MAX_DEPTH 3		   /* an archive in an archive in an archive */
#define JAR_MAX_PROPS (64u << 10)  /* one pom.properties */
#define JAR_MAX_BUFFER (32u << 20) /* an archive read into memory, at each depth */

int shp_java_archive_name(const char *path)
{
	size_t n = strlen(path);
	static const char *const ext[] = {".jar", ".war", ".ear", ".par"};
	for (size_t i = 0; i < 4; i++)
		if (n > 4 && !strcasecmp(path + n - 4, ext[i]))
			return 1;
	return 0;
}

/* META-INF/maven/GROUP/ARTIFACT/pom.properties */
static int pom_properties(const char *name)
{
	static const char pre[] = "META-INF/maven/", suf[] = "/pom.properties";
	size_t n = strlen(name);
	if (n <= sizeof pre + sizeof suf || strncmp(name, pre, sizeof pre - 1) ||
	    strcmp(name + n - (sizeof suf - 1), suf))
		return 0;
	int slashes = 0;
	for (const char *p = name + sizeof pre - 1; p < name + n - (sizeof suf - 1); p++)
		slashes += *p == '/';
	return slashes == 1;
}

/* java.util.Properties, the part pom.properties uses: "key=value" or "key: value" lines,
 * '#' and '!' comments. */
static void parse_props(const char *path, const char *data, size_t len, struct shp_pkgs *out)
{
	struct shp_lines L = {.data = data, .len = len};
	struct shp_field g = {0}, a = {0}, v = {0};
	const char *s;
	size_t n;
	while (shp_lines_next(&L, &s, &n)) {
		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (!n || *s == '#' || *s == '!')
			continue;
		size_t k = 0;
		while (k < n && s[k] != '=' && s[k] != ':' && s[k] != ' ' && s[k] != '\t')
			k++;
		size_t e = k;
		while (e < n && (s[e] == ' ' || s[e] == '\t'))
			e++;
		if (e < n && (s[e] == '=' || s[e] == ':'))
			e++;
		struct shp_field f = shp_field_value(s + e, n - e);
		if (k == 7 && !memcmp(s, "groupId", 7))
			g = f;
		else if (k == 10 && !memcmp(s, "artifactId", 10))
			a = f;
		else if (k == 7 && !memcmp(s, "version", 7))
			v = f;
	}
	if (!g.v || !a.v || !v.v || !g.n || !a.n || g.n + a.n + 1 > 400)
		return;
	char name[402];
	memcpy(name, g.v, g.n);
	name[g.n] = ':';
	memcpy(name + g.n + 1, a.v, a.n);
	shp_pkgs_add_lang(out, SHP_PKG_MAVEN, path, name, g.n + 1 + a.n, v.v, v.n, NULL, 0);
}

struct jar {
	const char *path; /* the outermost archive's path: the packages' "database" */
	struct shp_pkgs *out;
	uint64_t inflated; /* bytes inflated so far, at every depth */
	uint64_t max;	   /* what may be: the archive's budget or the layer's rest */
	int stopped;	   /* max was reached: nothing more is read */
};

/* Counts n more inflated bytes; 0, or -1 once the budget is spent. */
static int spend(struct jar *j, size_t n)
{
	j->inflated += n;
	if (j->inflated > j->max)
		j->stopped = 1;
	return j->stopped ? -1 : 0;
}

/* Reads the rest of z's current entry, counting it: what libarchive's skip would inflate
 * unseen. */
static void drain(struct archive *z, struct jar *j)
{
	const void *p;
	size_t n;
	la_int64_t off;
	while (!j->stopped && archive_read_data_block(z, &p, &n, &off) == ARCHIVE_OK)
		spend(j, n);
}

struct pull {
	struct archive *parent;
	struct jar *j;
	int inner;
};

/* libarchive's read callback: the parent archive's current entry, block by block. */
static la_ssize_t pull_cb(struct archive *a, void *ud, const void **buf)
{
	struct pull *p = ud;
	size_t n;
	la_int64_t off;
	int r = archive_read_data_block(p->parent, buf, &n, &off);
	if (r == ARCHIVE_EOF)
		return 0;
	if (r < ARCHIVE_WARN) {
		archive_set_error(a, EIO, "%s", archive_error_string(p->parent));
		return -1;
	}
	if (p->inner && spend(p->j, n) < 0) {
		archive_set_error(a, EFBIG, "inflate budget spent");
		return -1;
	}
	return (la_ssize_t)n;
}

static void read_zip(struct archive *z, struct jar *j, int depth, int seekable);

/* Reads the zip in data[0..len) through its central directory. */
static void read_buffer(const void *data, size_t len, struct jar *j, int depth)
{
	struct archive *z = archive_read_new();
	archive_read_support_format_zip_seekable(z);
	if (archive_read_open_memory(z, data, len) == ARCHIVE_OK)
		read_zip(z, j, depth, 1);
	archive_read_free(z);
}

/* The zip whose bytes are parent's current entry, of size bytes (-1: unknown). */
static void read_nested(struct archive *parent, struct jar *j, int depth, int inner, int64_t size)
{
	if (size >= 0 && size <= JAR_MAX_BUFFER) {
		char *buf = shp_xmalloc(size ? (size_t)size : 1);
		size_t got = 0;
		la_ssize_t k;
		while (got < (size_t)size && (k = archive_read_data(parent, buf + got, (size_t)size - got)) > 0)
			got += (size_t)k;
		if (!inner || spend(j, got) == 0)
			read_buffer(buf, got, j, depth);
		free(buf);
		return;
	}
	struct archive *z = archive_read_new();
	archive_read_support_format_zip_streamable(z);
	struct pull p = {parent, j, inner};
	if (archive_read_open(z, &p, NULL, pull_cb, NULL) == ARCHIVE_OK)
		read_zip(z, j, depth, 0);
	archive_read_free(z);
}

static void read_zip(struct archive *z, struct jar *j, int depth, int seekable)
{
	struct archive_entry *e;
	char *props = NULL;
	int r;
	while (!j->stopped && ((r = archive_read_next_header(z, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		const char *name = archive_entry_pathname(e);
		if (!name || archive_entry_filetype(e) != AE_IFREG) {
			if (!seekable)
				drain(z, j);
			continue;
		}
		if (pom_properties(name)) {
			if (!props)
				props = shp_xmalloc(JAR_MAX_PROPS);
			la_ssize_t k;
			size_t got = 0;
			while (got < JAR_MAX_PROPS && (k = archive_read_data(z, props + got, JAR_MAX_PROPS - got)) > 0)
				got += (size_t)k;
			if (spend(j, got) == 0 && got < JAR_MAX_PROPS)
				parse_props(j->path, props, got, j->out);
		} else if (depth < JAR_MAX_DEPTH && shp_java_archive_name(name)) {
			read_nested(z, j, depth + 1, 1, archive_entry_size_is_set(e) ? archive_entry_size(e) : -1);
		}
		if (!seekable)
			drain(z, j); /* the rest: what a nested reader left, or all of it */
	}
	free(props);
}

/* The budget of one archive: SHP_JAVA_MAX_INFLATE, or less when the layer has less left. */
static struct jar budget(const char *path, struct shp_pkgs *out, const uint64_t *layer_left)
{
	struct jar j = {shp_arena_strndup(&out->arena, path, strlen(path)), out, 0, SHP_JAVA_MAX_INFLATE, 0};
	if (layer_left && *layer_left < j.max)
		j.max = *layer_left;
	return j;
}

static enum shp_java_stop settle(const struct jar *j, uint64_t *layer_left)
{
	enum shp_java_stop why = SHP_JAVA_WHOLE;
	if (j->stopped)
		why = layer_left && *layer_left < SHP_JAVA_MAX_INFLATE ? SHP_JAVA_LAYER_LIMIT : SHP_JAVA_ARCHIVE_LIMIT;
	if (layer_left)
		*layer_left -= j->inflated < *layer_left ? j->inflated : *layer_left;
	return why;
}

enum shp_java_stop shp_java_archive_read(struct archive *parent, int64_t size, const char *path, struct shp_pkgs *out,
					 uint64_t *layer_left)
{
	struct jar j = budget(path, out, layer_left);
	read_nested(parent, &j, 1, 0, size);
	return settle(&j, layer_left);
}

enum shp_java_stop shp_java_archive_read_fd(int fd, const char *path, struct shp_pkgs *out, uint64_t *layer_left)
{
	struct jar j = budget(path, out, layer_left);
	struct archive *z = archive_read_new();
	archive_read_support_format_zip_seekable(z); /* a file: its central directory is there */
	if (archive_read_open_fd(z, fd, 64 << 10) == ARCHIVE_OK)
		read_zip(z, &j, 1, 1);
	archive_read_free(z);
	return settle(&j, layer_left);
}

enum shp_java_stop shp_java_archive_read_memory(const void *data, size_t len, const char *path, struct shp_pkgs *out)
{
	struct jar j = budget(path, out, NULL);
	read_buffer(data, len, &j, 1);
	return settle(&j, NULL);
}
