/* share.c - see share.h: the database pushed to and pulled from a registry as an OCI
 * artifact. */
#include "vuln/share.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/json.h"
#include "util/xalloc.h"
#include "vuln/vulndb.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#define OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define OCI_EMPTY "application/vnd.oci.empty.v1+json"
/* the digest of "{}", the empty config every artifact shares */
#define OCI_EMPTY_DIGEST "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

void shp_share_result_free(struct shp_share_result *r)
{
	free(r->digest);
	*r = (struct shp_share_result){0};
}

/* What a database holds, for the annotations and for comparing two. */
struct db_summary {
	char *schema;
	char **names; /* sources, by name */
	long long *modified;
	size_t n;
	long long newest, oldest_complete; /* 0: none */
};

static void summary_free(struct db_summary *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	free(s->modified);
	free(s->schema);
	*s = (struct db_summary){0};
}

static void summary_add(struct db_summary *s, const char *name, long long modified)
{
	s->names = shp_xrealloc(s->names, (s->n + 1) * sizeof *s->names);
	s->modified = shp_xrealloc(s->modified, (s->n + 1) * sizeof *s->modified);
	s->names[s->n] = shp_xstrdup(name);
	s->modified[s->n++] = modified;
	if (modified > s->newest)
		s->newest = modified;
}

/* The schema and sources of the database at path, read directly: a database of another
 * schema still says which it is (then only s->schema is set). -1 with err when path is not a
 * shipshape database. */
static int summarize(const char *path, struct db_summary *s, struct shp_error **err)
{
	*s = (struct db_summary){0};
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int rc = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema'", -1, &q, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		s->schema = shp_xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	q = NULL;
	if (!s->schema) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: not a shipshape vulnerability database (no schema version)",
			      path);
		goto out;
	}
	if (strcmp(s->schema, SHP_VULNDB_SCHEMA)) {
		rc = 0;
		goto out;
	}
	if (sqlite3_prepare_v2(db, "SELECT name, modified, complete FROM sources ORDER BY name", -1, &q, NULL) !=
	    SQLITE_OK)
		goto fail;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		long long m = sqlite3_column_int64(q, 1);
		summary_add(s, (const char *)sqlite3_column_text(q, 0), m);
		if (sqlite3_column_int(q, 2) && m > 0 && (!s->oldest_complete || m < s->oldest_complete))
			s->oldest_complete = m;
	}
	if (step != SQLITE_DONE)
		goto fail;
	rc = 0;
	goto out;
fail:
	if (db && sqlite3_extended_errcode(db) == SQLITE_NOTADB)
		shp_error_set(err, SHP_EXIT_INPUT, "%s: not a shipshape vulnerability database (not an SQLite file)",
			      path);
	else
		shp_error_set(err, SHP_EXIT_INPUT, "%s: not a shipshape vulnerability database (%s)", path,
			      db ? sqlite3_errmsg(db) : "out of memory");
out:
	sqlite3_finalize(q);
	sqlite3_close(db);
	if (rc < 0)
		summary_free(s);
	return rc;
}

/* A reference as db push and pull take it: docker:// is optional, the only transport. */
static int parse_ref(const char *ref, struct shp_docker_ref *out, struct shp_error **err)
{
	const char *s = !strncmp(ref, "docker://", 9) ? ref + 9 : ref;
	if (strstr(s, "://"))
		return shp_error_set(err, SHP_EXIT_USAGE, "%s: expected a registry reference (docker://HOST/NAME:TAG)",
				     ref);
	return shp_docker_ref_parse(s, out, err);
}

/* ---- push ----------------------------------------------------------------------------- */

/* A temporary file nobody else can open: O_TMPFILE where the filesystem has it. */
static int temp_file(struct shp_error **err)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	_cleanup_free_ char *tmpl = shp_asprintf("%s/shipshape-db-XXXXXX", dir);
	fd = mkostemp(tmpl, O_CLOEXEC);
	if (fd < 0)
		return shp_error_errno(err, errno, "%s", tmpl);
	(void)unlink(tmpl);
	return fd;
}

/* Compresses the file in to a new temporary file, its digest and size in *digest and *size. */
static int compress_file(int in, uint64_t in_size, const char *path, int *out_fd, char digest[72], uint64_t *size,
			 struct shp_error **err)
{
	int out = temp_file(err);
	if (out < 0)
		return -1;
	ZSTD_CCtx *z = ZSTD_createCCtx();
	if (!z || ZSTD_isError(ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, SHP_VULNDB_ZSTD_LEVEL)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 1)) ||
	    ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(z, in_size))) {
		ZSTD_freeCCtx(z);
		close(out);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: cannot start the zstd compressor", path);
	}
	/* several threads where libzstd has them; without, it compresses in this one */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	(void)ZSTD_CCtx_setParameter(z, ZSTD_c_nbWorkers, cpus > 1 ? (int)(cpus < 8 ? cpus : 8) : 0);
	size_t ilen = ZSTD_CStreamInSize(), olen = ZSTD_CStreamOutSize();
	_cleanup_free_ char *ibuf = shp_xmalloc(ilen);
	_cleanup_free_ char *obuf = shp_xmalloc(olen);
	struct shp_sha256 h;
	shp_sha256_init(&h);
	uint64_t got = 0, put = 0;
	int rc = -1;
	for (;;) {
		ssize_t n = read(in, ibuf, ilen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			shp_error_errno(err, errno, "%s", path);
			goto out;
		}
		got += (uint64_t)n;
		ZSTD_EndDirective how = n == 0 ? ZSTD_e_end : ZSTD_e_continue;
		ZSTD_inBuffer ib = {ibuf, (size_t)n, 0};
		size_t left;
		do {
			ZSTD_outBuffer ob = {obuf, olen, 0};
			left = ZSTD_compressStream2(z, &ob, &ib, how);
			if (ZSTD_isError(left)) {
				shp_error_set(err, SHP_EXIT_INPUT, "%s: zstd: %s", path, ZSTD_getErrorName(left));
				goto out;
			}
			if (ob.pos && shp_write_all(out, obuf, ob.pos) < 0) {
				shp_error_errno(err, errno, "%s: writing its compressed copy", path);
				goto out;
			}
			shp_sha256_update(&h, obuf, ob.pos);
			put += ob.pos;
		} while (how == ZSTD_e_end ? left != 0 : ib.pos < ib.size);
		if (n == 0)
			break;
	}
	if (got != in_size) { /* the file is replaced, never written in place: this is not ours */
		shp_error_set(err, SHP_EXIT_INPUT, "%s: changed while it was read", path);
		goto out;
	}
	shp_sha256_final(&h, digest);
	*size = put;
	*out_fd = out;
	out = -1;
	rc = 0;
out:
	shp_sha256_free(&h);
	ZSTD_freeCCtx(z);
	if (out >= 0)
		close(out);
	return rc;
}

/* The manifest: the artifact type, the empty config, the layer and the annotations. */
static void manifest_json(struct shp_buf *b, const struct db_summary *s, const char *digest, uint64_t size,
			  uint64_t db_bytes)
{
	char when[32];
	shp_buf_puts(b, "{\"schemaVersion\":2,\"mediaType\":\"" OCI_MANIFEST
			"\",\"artifactType\":\"" SHP_VULNDB_ARTIFACT_TYPE "\",\"config\":{\"mediaType\":\"" OCI_EMPTY
			"\",\"digest\":\"" OCI_EMPTY_DIGEST
			"\",\"size\":2,\"data\":\"e30=\"},\"layers\":[{\"mediaType\":\"" SHP_VULNDB_LAYER_TYPE
			"\",\"digest\":");
	shp_buf_json_str(b, digest);
	shp_buf_printf(b,
		       ",\"size\":%" PRIu64 ",\"annotations\":{\"org.opencontainers.image.title\":\"vuln.db\"}}],"
		       "\"annotations\":{",
		       size);
	/* created is the data's date, not the push's: the same database pushed twice is the same
	 * manifest */
	shp_timestamp(when, s->newest);
	shp_buf_printf(b, "\"org.opencontainers.image.created\":\"%s\",\"" SHP_VULNDB_ANN_MODIFIED "\":\"%s\",", when,
		       when);
	if (s->oldest_complete) {
		shp_timestamp(when, s->oldest_complete);
		shp_buf_printf(b, "\"" SHP_VULNDB_ANN_OLDEST "\":\"%s\",", when);
	}
	shp_buf_printf(b, "\"" SHP_VULNDB_ANN_SCHEMA "\":\"%s\",\"" SHP_VULNDB_ANN_SIZE "\":\"%" PRIu64 "\",",
		       s->schema, db_bytes);
	struct shp_buf src = {0};
	shp_buf_putc(&src, '{');
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			shp_buf_putc(&src, ',');
		shp_buf_json_str(&src, s->names[i]);
		shp_buf_printf(&src, ":%lld", s->modified[i]);
	}
	shp_buf_putc(&src, '}');
	shp_buf_puts(b, "\"" SHP_VULNDB_ANN_SOURCES "\":");
	shp_buf_json_str(b, src.data);
	shp_buf_puts(b, "}}");
	shp_buf_free(&src);
}

int shp_vulndb_push(const char *path, const char *ref, const struct shp_registry_opts *ro, struct shp_share_result *res,
		    struct shp_error **err)
{
	*res = (struct shp_share_result){0};
	struct shp_docker_ref to;
	if (parse_ref(ref, &to, err) < 0)
		return -1;
	if (to.digest) {
		shp_docker_ref_free(&to);
		return shp_error_set(err, SHP_EXIT_USAGE, "%s: push by tag (the digest is known once it is pushed)",
				     ref);
	}
	int rc = -1, fd = -1, zfd = -1;
	struct db_summary s = {0};
	struct shp_registry *r = NULL;
	struct shp_buf m = {0};
	/* The file read is the one summarized: an update renames a new one into place, so the
	 * open file is compared with what path names after the summary. */
	struct stat st, now;
	for (int tries = 0;; tries++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			shp_error_errno(err, errno, "%s", path);
			goto out;
		}
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s: not a regular file", path);
			goto out;
		}
		if (summarize(path, &s, err) < 0)
			goto out;
		if (stat(path, &now) == 0 && now.st_ino == st.st_ino && now.st_dev == st.st_dev)
			break;
		summary_free(&s);
		close(fd);
		fd = -1;
		if (tries == 3) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s: replaced again and again while it was read", path);
			goto out;
		}
	}
	if (strcmp(s.schema, SHP_VULNDB_SCHEMA)) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: schema version %s, this shipshape writes %s (db update first)",
			      path, s.schema, SHP_VULNDB_SCHEMA);
		goto out;
	}
	char digest[72];
	uint64_t zsize = 0;
	if (compress_file(fd, (uint64_t)st.st_size, path, &zfd, digest, &zsize, err) < 0)
		goto out;
	r = shp_registry_new(&to, ro);
	struct shp_push_blob config = {.digest = OCI_EMPTY_DIGEST, .size = 2, .data = "{}", .fd = -1};
	struct shp_push_blob layer = {.digest = digest, .size = zsize, .fd = zfd};
	enum shp_push_how how;
	manifest_json(&m, &s, digest, zsize, (uint64_t)st.st_size);
	if (shp_registry_blob_push(r, &config, NULL, &how, err) < 0 ||
	    shp_registry_blob_push(r, &layer, NULL, &how, err) < 0 ||
	    shp_registry_manifest_put(r, to.tag, OCI_MANIFEST, m.data, m.len, err) < 0)
		goto out;
	res->digest = shp_xstrdup(digest);
	res->blob_bytes = zsize;
	res->db_bytes = (uint64_t)st.st_size;
	res->modified = s.newest;
	res->sources = s.n;
	rc = 0;
out:
	shp_buf_free(&m);
	shp_registry_free(r);
	summary_free(&s);
	if (fd >= 0)
		close(fd);
	if (zfd >= 0)
		close(zfd);
	shp_docker_ref_free(&to);
	return rc;
}

int shp_vulndb_manifest(const char *path, const char *digest, uint64_t size, struct shp_buf *out,
			struct shp_error **err)
{
	struct db_summary s;
	struct stat st;
	if (stat(path, &st) < 0)
		return shp_error_errno(err, errno, "%s", path);
	if (summarize(path, &s, err) < 0)
		return -1;
	manifest_json(out, &s, digest, size, (uint64_t)st.st_size);
	summary_free(&s);
	return 0;
}

/* ---- pull ----------------------------------------------------------------------------- */

/* What the manifest says of the artifact. */
struct artifact {
	char *digest;
	uint64_t size, db_bytes;
	struct db_summary s;
};

static void artifact_free(struct artifact *a)
{
	free(a->digest);
	summary_free(&a->s);
}

/* Reads a manifest as a shipshape database's; -1 with err (naming ref) when it is not one. */
static int read_manifest(const char *ref, const char *body, size_t len, const char *media_type, struct artifact *a,
			 struct shp_error **err)
{
	*a = (struct artifact){0};
	const char *not_db = "not a shipshape vulnerability database";
	if (media_type && strcmp(media_type, OCI_MANIFEST))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s (a %s)", ref, not_db,
				     strstr(media_type, "index") || strstr(media_type, "list") ? "multi-platform index"
											       : "container image");
	_cleanup_(shp_json_freep) cJSON *j = shp_json_parse(ref, body, len, err);
	if (!j)
		return -1;
	const char *type = shp_json_str(j, "artifactType");
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(j, "config");
	const char *cfg_type = shp_json_str(cfg, "mediaType");
	if (!(type && !strcmp(type, SHP_VULNDB_ARTIFACT_TYPE)) &&
	    !(cfg_type && !strcmp(cfg_type, SHP_VULNDB_ARTIFACT_TYPE)))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s (%s %s)", ref, not_db,
				     type ? "artifactType" : "config media type",
				     type	? type
				     : cfg_type ? cfg_type
						: "none: a container image");
	const cJSON *layers = cJSON_GetObjectItemCaseSensitive(j, "layers");
	const cJSON *l = cJSON_GetArrayItem(layers, 0);
	const char *lt = shp_json_str(l, "mediaType"), *ld = shp_json_str(l, "digest");
	const cJSON *lsize = cJSON_GetObjectItemCaseSensitive(l, "size");
	if (cJSON_GetArraySize(layers) != 1 || !lt || strcmp(lt, SHP_VULNDB_LAYER_TYPE) || !ld ||
	    !shp_digest_valid(ld) || !cJSON_IsNumber(lsize) || lsize->valuedouble < 0)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s (expected one layer of %s)", ref, not_db,
				     SHP_VULNDB_LAYER_TYPE);
	if (lsize->valuedouble > (double)SHP_VULNDB_MAX_BLOB)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: a database of %.0f compressed bytes (at most %llu)", ref,
				     lsize->valuedouble, (unsigned long long)SHP_VULNDB_MAX_BLOB);
	const cJSON *ann = cJSON_GetObjectItemCaseSensitive(j, "annotations");
	const char *schema = shp_json_str(ann, SHP_VULNDB_ANN_SCHEMA);
	const char *sources = shp_json_str(ann, SHP_VULNDB_ANN_SOURCES);
	const char *size = shp_json_str(ann, SHP_VULNDB_ANN_SIZE);
	if (!schema)
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: no %s annotation", ref, SHP_VULNDB_ANN_SCHEMA);
	if (strcmp(schema, SHP_VULNDB_SCHEMA))
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: a database of schema version %s, this shipshape reads %s (push it again with "
				     "this version, or use the one that pushed it)",
				     ref, schema, SHP_VULNDB_SCHEMA);
	_cleanup_(shp_json_freep) cJSON *src = sources ? cJSON_Parse(sources) : NULL;
	if (!cJSON_IsObject(src))
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: its %s annotation is not a JSON object", ref,
				     SHP_VULNDB_ANN_SOURCES);
	a->s.schema = shp_xstrdup(schema);
	for (const cJSON *e = src->child; e; e = e->next)
		if (e->string && cJSON_IsNumber(e))
			summary_add(&a->s, e->string, (long long)e->valuedouble);
	a->digest = shp_xstrdup(ld);
	a->size = (uint64_t)lsize->valuedouble;
	a->db_bytes = size ? strtoull(size, NULL, 10) : 0;
	return 0;
}

int shp_vulndb_manifest_check(const char *ref, const char *body, size_t len, const char *media_type,
			      struct shp_error **err)
{
	struct artifact a;
	int rc = read_manifest(ref, body, len, media_type, &a, err);
	artifact_free(&a);
	return rc;
}

/* Whether the artifact has data the local copy lacks: a source it does not have, or newer
 * data for one. */
static int artifact_newer(const struct db_summary *remote, const struct db_summary *local)
{
	for (size_t i = 0; i < remote->n; i++) {
		size_t k = 0;
		while (k < local->n && strcmp(local->names[k], remote->names[i]))
			k++;
		if (k == local->n || local->modified[k] < remote->modified[i])
			return 1;
	}
	return 0;
}

static uint64_t max_db_bytes(void)
{
	const char *e = getenv("SHIPSHAPE_DB_MAX_BYTES");
	unsigned long long v = e && *e ? strtoull(e, NULL, 10) : 0;
	return v && v < SHP_VULNDB_MAX_BYTES ? v : SHP_VULNDB_MAX_BYTES;
}

/* Streams the blob into the file out: hashed, decompressed, bounded. A blob that does not
 * decompress is read to its end all the same, so that one altered in transit or in the
 * registry is told by its digest. */
static int fetch_blob(struct shp_registry *r, const char *ref, const struct artifact *a, int out, const char *tmp,
		      uint64_t *written, struct shp_error **err)
{
	struct shp_registry_blob *b = NULL;
	if (shp_registry_blob_open(r, a->digest, a->size, &b, err) < 0)
		return -1;
	ZSTD_DCtx *z = ZSTD_createDCtx();
	size_t ilen = ZSTD_DStreamInSize(), olen = ZSTD_DStreamOutSize();
	_cleanup_free_ char *ibuf = shp_xmalloc(ilen);
	_cleanup_free_ char *obuf = shp_xmalloc(olen);
	_cleanup_free_ char *zerr = NULL;
	struct shp_sha256 h;
	shp_sha256_init(&h);
	uint64_t limit = max_db_bytes(), put = 0;
	size_t last = 1; /* ZSTD_decompressStream's: 0 at the end of a frame */
	int rc = -1;
	for (;;) {
		char *why = NULL;
		ssize_t n = shp_registry_blob_read(b, ibuf, ilen, &why);
		if (n < 0) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s", why);
			free(why);
			goto out;
		}
		if (n == 0)
			break;
		shp_sha256_update(&h, ibuf, (size_t)n);
		ZSTD_inBuffer ib = {ibuf, (size_t)n, 0};
		while (!zerr && ib.pos < ib.size) {
			ZSTD_outBuffer ob = {obuf, olen, 0};
			last = ZSTD_decompressStream(z, &ob, &ib);
			if (ZSTD_isError(last))
				zerr = shp_asprintf("%s: layer %s does not decompress: zstd: %s", ref, a->digest,
						    ZSTD_getErrorName(last));
			else if (put + ob.pos > limit)
				zerr = shp_asprintf("%s: layer %s decompresses to more than %llu bytes (a zstd bomb?)",
						    ref, a->digest, (unsigned long long)limit);
			else if (ob.pos && shp_write_all(out, obuf, ob.pos) < 0) {
				shp_error_errno(err, errno, "%s", tmp);
				goto out;
			} else
				put += ob.pos;
		}
	}
	char got[72];
	shp_sha256_final(&h, got);
	if (strcmp(got, a->digest))
		shp_error_set(err, SHP_EXIT_INPUT, "%s: layer %s: digest mismatch, the registry sent %s", ref,
			      a->digest, got);
	else if (zerr)
		shp_error_set(err, SHP_EXIT_INPUT, "%s", zerr);
	else if (last != 0) /* a frame cut short, and nothing more came */
		shp_error_set(err, SHP_EXIT_INPUT, "%s: layer %s: the zstd stream is truncated", ref, a->digest);
	else {
		*written = put;
		rc = 0;
	}
out:
	shp_sha256_free(&h);
	ZSTD_freeDCtx(z);
	shp_registry_blob_close(b);
	return rc;
}

/* Checks the file just pulled: a database of this schema that passes quick_check. */
static int check_pulled(const char *tmp, const char *ref, struct shp_error **err)
{
	struct shp_vulndb *db = NULL;
	if (shp_vulndb_open(tmp, 0, &db, err) < 0 || shp_vulndb_check(db, err) < 0) {
		shp_vulndb_close(db);
		return shp_error_wrap(err, "%s", ref);
	}
	shp_vulndb_close(db);
	return 0;
}

int shp_vulndb_pull(const char *path_in, const char *ref, const struct shp_registry_opts *ro, int force,
		    struct shp_share_result *res, struct shp_error **err)
{
	*res = (struct shp_share_result){0};
	struct shp_docker_ref from;
	if (parse_ref(ref, &from, err) < 0)
		return -1;
	int rc = -1, lock_fd = -1, out = -1;
	struct shp_registry *r = shp_registry_new(&from, ro);
	char *body = NULL, *media_type = NULL, *mdigest = NULL, *path = NULL, *tmp = NULL;
	size_t len;
	struct artifact a = {0};
	struct db_summary local = {0};
	if (shp_registry_manifest(r, from.digest ? from.digest : from.tag, &body, &len, &media_type, &mdigest, err) <
		    0 ||
	    read_manifest(shp_registry_name(r), body, len, media_type, &a, err) < 0)
		goto out;
	res->digest = shp_xstrdup(a.digest);
	res->blob_bytes = a.size;
	res->db_bytes = a.db_bytes;
	res->modified = a.s.newest;
	res->sources = a.s.n;
	if (shp_mkdirs(path_in) < 0) {
		shp_error_errno(err, errno, "%s", path_in);
		goto out;
	}
	/* the importer's lock: an import and a pull replace the database one at a time, and the
	 * comparison is with what is there once it is ours */
	if ((lock_fd = shp_vulndb_lock(path_in, &path, err)) < 0)
		goto out;
	struct stat st;
	int have = lstat(path, &st) == 0;
	if (have && !S_ISREG(st.st_mode)) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: not a regular file (a database is written in its place)", path);
		goto out;
	}
	if (have) {
		/* a file that is not a database of ours is never replaced; one of another schema is
		 * (this shipshape cannot read it anyway) */
		if (summarize(path, &local, err) < 0)
			goto out;
		if (!force && !strcmp(local.schema, SHP_VULNDB_SCHEMA) && !artifact_newer(&a.s, &local)) {
			res->local_newer = local.newest > a.s.newest;
			rc = 0;
			goto out;
		}
	}
	tmp = shp_asprintf("%s.pull", path);
	(void)unlink(tmp); /* under the lock, one left there is a killed pull's */
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, have ? st.st_mode & 07777 : 0644);
	if (out < 0) {
		shp_error_errno(err, errno, "%s", tmp);
		goto out;
	}
	uint64_t written = 0;
	if (fetch_blob(r, shp_registry_name(r), &a, out, tmp, &written, err) < 0)
		goto out;
	if ((have && fchmod(out, st.st_mode & 07777) < 0) || fsync(out) < 0) {
		shp_error_errno(err, errno, "%s", tmp);
		goto out;
	}
	close(out);
	out = -1;
	if (check_pulled(tmp, shp_registry_name(r), err) < 0)
		goto out;
	if (rename(tmp, path) < 0) {
		shp_error_errno(err, errno, "%s: renaming %s into place", path, tmp);
		goto out;
	}
	free(tmp);
	tmp = NULL;
	shp_fsync_dir_of(path);
	res->db_bytes = written;
	res->pulled = 1;
	rc = 0;
out:
	if (out >= 0)
		close(out);
	if (tmp)
		(void)unlink(tmp);
	if (lock_fd >= 0)
		close(lock_fd);
	free(tmp);
	free(path);
	free(body);
	free(media_type);
	free(mdigest);
	artifact_free(&a);
	summary_free(&local);
	shp_registry_free(r);
	shp_docker_ref_free(&from);
	return rc;
}
