/* rpmmd.c - rpm-md errata read as a stream (see rpmmd.h): libarchive's raw format undoes
 * whatever compression the bytes carry, expat reports the elements as they come, and one
 * <update> at a time is kept, in an arena emptied after it.
 *
 *   <updates>
 *     <update type="security" ...>
 *       <id>ALAS2023-2023-001</id> <title>...</title> <severity>Important</severity>
 *       <issued date="2023-02-07 19:55"/> <updated date="..."/> <description>...</description>
 *       <references><reference type="cve" id="CVE-2023-0286" href="..."/></references>
 *       <pkglist><collection short="..."><package name="openssl" epoch="1" version="3.0.8"
 *         release="1.amzn2023.0.1" arch="x86_64"><filename>...</filename></package>
 *       </collection></pkglist>
 *     </update>
 *   </updates> */
#include "vuln/rpmmd.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <expat.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* bytes handed to expat at a time */
#define CHUNK 65536

/* The direct children of <update> whose text is kept. */
enum field { F_NONE, F_ID, F_TITLE, F_SEVERITY, F_DESCRIPTION };

struct reader {
	XML_Parser p;
	const char *where;
	shp_rpmmd_fn fn;
	void *arg;
	struct shp_error **err;
	int failed;    /* err is set: the parser was stopped for it */
	int other;     /* the root is not <updates>: stopped, not errata */
	int depth;     /* of the element being read (the root is 1) */
	int in_update; /* inside an <update> (a child of the root) */
	enum field field;
	struct shp_buf text;
	unsigned long long last_event; /* the byte where expat last reported something */
	/* the update being read: its strings in A */
	struct shp_arena A;
	struct shp_rpmmd_update u;
	const char **cves;
	size_t ncves, capc;
	struct shp_rpmmd_pkg *pkgs;
	size_t npkgs, capp;
};

/* Stops the parser with err naming the file and the line. */
__attribute__((format(printf, 2, 3))) static int fail(struct reader *r, const char *fmt, ...)
{
	if (!r->failed) {
		va_list ap;
		va_start(ap, fmt);
		_cleanup_free_ char *msg = shp_vasprintf(fmt, ap);
		va_end(ap);
		shp_error_set(r->err, SHP_EXIT_INPUT, "%s: line %lu: %s", r->where,
			      (unsigned long)XML_GetCurrentLineNumber(r->p), msg);
		r->failed = 1;
	}
	XML_StopParser(r->p, XML_FALSE);
	return -1;
}

static void mark(struct reader *r)
{
	XML_Index at = XML_GetCurrentByteIndex(r->p);
	if (at >= 0)
		r->last_event = (unsigned long long)at;
}

/* The local part of a name ("ns:update" -> "update"): the errata are read whatever prefix a
 * writer gave them. */
static const char *local(const XML_Char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *name)
{
	for (size_t i = 0; atts[i] && atts[i + 1]; i += 2)
		if (!strcmp(local(atts[i]), name))
			return atts[i + 1];
	return NULL;
}

static const char *keep(struct reader *r, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	return shp_arena_strndup(&r->A, s, n < SHP_RPMMD_MAX_TEXT ? n : SHP_RPMMD_MAX_TEXT);
}

static void begin_update(struct reader *r, const XML_Char **atts)
{
	shp_arena_free(&r->A);
	memset(&r->u, 0, sizeof r->u);
	r->ncves = r->npkgs = 0;
	r->in_update = 1;
	r->u.type = keep(r, attr(atts, "type"));
	r->u.line = (size_t)XML_GetCurrentLineNumber(r->p);
}

static void XMLCALL on_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct reader *r = arg;
	mark(r);
	const char *n = local(name);
	if (++r->depth > SHP_RPMMD_MAX_DEPTH) {
		fail(r, "elements nested deeper than %d", SHP_RPMMD_MAX_DEPTH);
		return;
	}
	if (r->depth == 1) {
		if (strcmp(n, "updates")) {
			r->other = 1;
			XML_StopParser(r->p, XML_FALSE);
		}
		return;
	}
	if (r->depth == 2) {
		if (!strcmp(n, "update"))
			begin_update(r, atts);
		return;
	}
	if (!r->in_update)
		return;
	if (r->depth == 3) {
		r->field = !strcmp(n, "id")	     ? F_ID
			   : !strcmp(n, "title")     ? F_TITLE
			   : !strcmp(n, "severity")    ? F_SEVERITY
			   : !strcmp(n, "description") ? F_DESCRIPTION
						       : F_NONE;
		shp_buf_reset(&r->text);
		if (!strcmp(n, "issued") && !r->u.issued)
			r->u.issued = keep(r, attr(atts, "date"));
		else if (!strcmp(n, "updated") && !r->u.updated)
			r->u.updated = keep(r, attr(atts, "date"));
		return;
	}
	if (!strcmp(n, "reference")) {
		const char *type = attr(atts, "type"), *id = attr(atts, "id");
		if (!type || strcasecmp(type, "cve") || !id || !*id)
			return;
		if (r->ncves >= SHP_RPMMD_MAX_ITEMS) {
			fail(r, "more than %d references in one update", SHP_RPMMD_MAX_ITEMS);
			return;
		}
		SHP_PUSH(r->cves, r->ncves, r->capc, keep(r, id));
	} else if (!strcmp(n, "package")) {
		if (r->npkgs >= SHP_RPMMD_MAX_ITEMS) {
			fail(r, "more than %d packages in one update", SHP_RPMMD_MAX_ITEMS);
			return;
		}
		struct shp_rpmmd_pkg pk = {keep(r, attr(atts, "name")), keep(r, attr(atts, "epoch")),
					   keep(r, attr(atts, "version")), keep(r, attr(atts, "release")),
					   keep(r, attr(atts, "arch"))};
		SHP_PUSH(r->pkgs, r->npkgs, r->capp, pk);
	}
}

/* The text of s with blanks around it taken off, in the arena. */
static const char *trimmed(struct reader *r, const char *s, size_t n)
{
	while (n && strchr(" \t\r\n", *s)) {
		s++;
		n--;
	}
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	return shp_arena_strndup(&r->A, s, n);
}

static void end_update(struct reader *r)
{
	r->in_update = 0;
	if (!r->u.id || !*r->u.id) {
		fail(r, "an <update> without an <id>");
		return;
	}
	r->u.cves = r->cves;
	r->u.ncves = r->ncves;
	r->u.pkgs = r->pkgs;
	r->u.npkgs = r->npkgs;
	if (r->fn(r->arg, &r->u, r->err) < 0) {
		r->failed = 1;
		XML_StopParser(r->p, XML_FALSE);
	}
}

static void XMLCALL on_end(void *arg, const XML_Char *name)
{
	struct reader *r = arg;
	(void)name;
	mark(r);
	if (r->depth == 3 && r->in_update && r->field != F_NONE) {
		const char *t = trimmed(r, r->text.data ? r->text.data : "", r->text.len);
		switch (r->field) {
		case F_ID: r->u.id = t; break;
		case F_TITLE: r->u.title = t; break;
		case F_SEVERITY: r->u.severity = t; break;
		case F_DESCRIPTION: r->u.description = t; break;
		case F_NONE: break;
		}
		r->field = F_NONE;
	} else if (r->depth == 2 && r->in_update)
		end_update(r);
	r->depth--;
}

static void XMLCALL on_text(void *arg, const XML_Char *s, int len)
{
	struct reader *r = arg;
	mark(r);
	if (r->field == F_NONE || len <= 0 || r->text.len >= SHP_RPMMD_MAX_TEXT)
		return;
	size_t room = SHP_RPMMD_MAX_TEXT - r->text.len;
	shp_buf_add(&r->text, s, (size_t)len < room ? (size_t)len : room);
}

static void XMLCALL on_other(void *arg, const XML_Char *s)
{
	(void)s;
	mark(arg);
}

static void XMLCALL on_pi(void *arg, const XML_Char *target, const XML_Char *data)
{
	(void)target;
	(void)data;
	mark(arg);
}

static void XMLCALL on_doctype(void *arg, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
			       int has_internal)
{
	struct reader *r = arg;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	if (strcmp(local(name), "updates")) { /* an HTML page, another XML document */
		r->other = 1;
		XML_StopParser(r->p, XML_FALSE);
		return;
	}
	fail(r, "a document type declaration (<!DOCTYPE>) is refused: rpm-md errata have none");
}

/* A parser that loads nothing from outside (expat reads no external entity without a
 * handler for them) and refuses a DTD, which is where entities are declared. */
static XML_Parser new_parser(struct reader *r)
{
	XML_Parser p = XML_ParserCreate(NULL);
	if (!p)
		abort(); /* out of memory, as shp_xmalloc */
	XML_SetUserData(p, r);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetCommentHandler(p, on_other);
	XML_SetProcessingInstructionHandler(p, on_pi);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	return p;
}

/* Hands len bytes (final: the last) to expat: 0, or -1 with err (ours or expat's). */
static int feed(struct reader *r, const char *buf, size_t len, int final)
{
	if (XML_Parse(r->p, buf, (int)len, final) == XML_STATUS_OK)
		return 0;
	if (r->failed || r->other)
		return -1;
	enum XML_Error e = XML_GetErrorCode(r->p);
	int early = final && (e == XML_ERROR_NO_ELEMENTS || e == XML_ERROR_UNCLOSED_TOKEN ||
			      e == XML_ERROR_PARTIAL_CHAR || e == XML_ERROR_UNCLOSED_CDATA_SECTION);
	shp_error_set(r->err, SHP_EXIT_INPUT, "%s: line %lu, column %lu: %s%s", r->where,
		      (unsigned long)XML_GetCurrentLineNumber(r->p),
		      (unsigned long)XML_GetCurrentColumnNumber(r->p) + 1, XML_ErrorString(e),
		      early ? " (the document ends early: truncated?)" : "");
	r->failed = 1;
	return -1;
}

/* 1 when the decompressed text starts like XML: a '<' after an optional byte order mark and
 * blanks (or UTF-16's order mark); 0 when it is something else; -1: only blanks so far. */
static int xml_start(const unsigned char *s, size_t n, int first)
{
	size_t i = 0;
	if (first && n >= 2 && ((s[0] == 0xfe && s[1] == 0xff) || (s[0] == 0xff && s[1] == 0xfe)))
		return 1;
	if (first && n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < n && s[i] && strchr(" \t\r\n", s[i]))
		i++;
	return i == n ? -1 : s[i] == '<';
}

/* libarchive's reason, which a truncated compressed stream may leave unset */
static const char *why(struct archive *a)
{
	const char *s = archive_error_string(a);
	return s ? s : "truncated or corrupt compressed data";
}

static int read_archive(struct archive *a, const char *where, shp_rpmmd_fn fn, void *arg, struct shp_error **err)
{
	struct reader r = {.where = where, .fn = fn, .arg = arg, .err = err};
	int rc = -1, looked = 0, xml = -1;
	unsigned long long total = 0;
	char *buf = NULL;
	struct archive_entry *ae;
	int h = archive_read_next_header(a, &ae);
	if (h == ARCHIVE_EOF) {
		rc = 1; /* empty: not errata */
		goto out;
	}
	if (h < ARCHIVE_WARN) {
		shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", where, why(a));
		goto out;
	}
	r.p = new_parser(&r);
	buf = shp_xmalloc(CHUNK);
	for (;;) {
		la_ssize_t got = archive_read_data(a, buf, CHUNK);
		if (got < 0) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", where, why(a));
			goto out;
		}
		if (xml < 0 && got > 0) {
			xml = xml_start((const unsigned char *)buf, (size_t)got, !looked);
			looked = 1;
			if (xml == 0) {
				rc = 1;
				goto out;
			}
		}
		total += (unsigned long long)got;
		if (total > SHP_RPMMD_MAX_BYTES) {
			shp_error_set(err, SHP_EXIT_INPUT, "%s: more than %u MiB of XML (once decompressed): past the limit",
				      where, SHP_RPMMD_MAX_BYTES >> 20);
			goto out;
		}
		if (xml < 0 && got == 0) {
			rc = 1; /* blanks only */
			goto out;
		}
		if (feed(&r, buf, (size_t)got, got == 0) < 0) {
			rc = r.other ? 1 : -1;
			goto out;
		}
		if (got == 0)
			break;
		if (total - r.last_event > SHP_RPMMD_MAX_TOKEN) {
			fail(&r, "a tag, attribute or comment longer than %u MiB", SHP_RPMMD_MAX_TOKEN >> 20);
			goto out;
		}
	}
	rc = r.other ? 1 : 0;
out:
	if (r.p)
		XML_ParserFree(r.p);
	free(buf);
	shp_buf_free(&r.text);
	shp_arena_free(&r.A);
	free(r.cves);
	free(r.pkgs);
	return rc;
}

/* A reader of one stream, compressed or not. Only the decompressors linked in are allowed:
 * no filter that would run an outside program on a stranger's bytes. */
static struct archive *raw_reader(void)
{
	struct archive *a = archive_read_new();
	if (!a)
		abort();
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_format_raw(a);
	return a;
}

int shp_rpmmd_read_fd(int fd, const char *where, shp_rpmmd_fn fn, void *arg, struct shp_error **err)
{
	struct archive *a = raw_reader();
	int rc;
	if (archive_read_open_fd(a, fd, CHUNK) != ARCHIVE_OK)
		rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", where, why(a));
	else
		rc = read_archive(a, where, fn, arg, err);
	archive_read_free(a);
	return rc;
}

int shp_rpmmd_read_buffer(const void *data, size_t len, const char *where, shp_rpmmd_fn fn, void *arg,
			  struct shp_error **err)
{
	if (!len)
		return 1;
	struct archive *a = raw_reader();
	int rc;
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK)
		rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: %s", where, why(a));
	else
		rc = read_archive(a, where, fn, arg, err);
	archive_read_free(a);
	return rc;
}

int shp_rpmmd_sniff(const void *head, size_t n)
{
	const unsigned char *s = head;
	static const struct {
		const char *magic;
		size_t n;
	} compressed[] = {
		{"\x1f\x8b", 2},		 /* gzip */
		{"\xfd" "7zXZ\0", 6},		 /* xz */
		{"\x28\xb5\x2f\xfd", 4},	 /* zstd */
		{"BZh", 3},			 /* bzip2 */
	};
	for (size_t i = 0; i < sizeof compressed / sizeof compressed[0]; i++)
		if (n >= compressed[i].n && !memcmp(s, compressed[i].magic, compressed[i].n))
			return 1;
	return n && xml_start(s, n, 1) == 1;
}

/* ---- repomd.xml ---------------------------------------------------------------------- */

struct repomd {
	XML_Parser p;
	int depth, in_updateinfo; /* the depth of <data type="updateinfo">, or 0 */
	char *href;
	int bad_depth;
};

static void XMLCALL md_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct repomd *m = arg;
	const char *n = local(name);
	if (++m->depth > SHP_RPMMD_MAX_DEPTH) {
		m->bad_depth = 1;
		XML_StopParser(m->p, XML_FALSE);
		return;
	}
	if (m->depth == 2 && !strcmp(n, "data")) {
		const char *type = attr(atts, "type");
		if (type && !strcmp(type, "updateinfo"))
			m->in_updateinfo = m->depth;
	} else if (m->in_updateinfo && m->depth == m->in_updateinfo + 1 && !strcmp(n, "location") && !m->href) {
		const char *href = attr(atts, "href");
		if (href)
			m->href = shp_xstrdup(href);
	}
}

static void XMLCALL md_end(void *arg, const XML_Char *name)
{
	struct repomd *m = arg;
	(void)name;
	if (m->in_updateinfo == m->depth)
		m->in_updateinfo = 0;
	m->depth--;
}

static void XMLCALL md_doctype(void *arg, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
			       int has_internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	struct repomd *m = arg;
	m->bad_depth = 2;
	XML_StopParser(m->p, XML_FALSE);
}

/* A location a repository may give: a relative path below its root, printable, no "..". */
static int inside_repository(const char *href)
{
	if (!*href || *href == '/' || strchr(href, ':') || strchr(href, '\\') || strchr(href, '?') ||
	    strchr(href, '#'))
		return 0;
	for (const unsigned char *c = (const unsigned char *)href; *c; c++)
		if (*c <= 0x20 || *c == 0x7f)
			return 0;
	for (const char *s = href; *s;) {
		size_t n = strcspn(s, "/");
		if (n == 2 && !memcmp(s, "..", 2))
			return 0;
		s += n;
		s += *s == '/';
	}
	return 1;
}

int shp_rpmmd_updateinfo_href(const char *repomd, size_t len, char **href, struct shp_error **err)
{
	*href = NULL;
	if (len > SHP_RPMMD_MAX_REPOMD)
		return shp_error_set(err, SHP_EXIT_INPUT, "repomd.xml: larger than %u MiB",
				     SHP_RPMMD_MAX_REPOMD >> 20);
	struct repomd m = {0};
	m.p = XML_ParserCreate(NULL);
	if (!m.p)
		abort();
	XML_SetUserData(m.p, &m);
	XML_SetElementHandler(m.p, md_start, md_end);
	XML_SetStartDoctypeDeclHandler(m.p, md_doctype);
	XML_SetParamEntityParsing(m.p, XML_PARAM_ENTITY_PARSING_NEVER);
	int rc = 0;
	if (XML_Parse(m.p, repomd, (int)len, 1) != XML_STATUS_OK) {
		const char *why = m.bad_depth == 1   ? "elements nested too deep"
				  : m.bad_depth == 2 ? "a document type declaration is refused"
						     : XML_ErrorString(XML_GetErrorCode(m.p));
		rc = shp_error_set(err, SHP_EXIT_INPUT, "repomd.xml: line %lu: %s",
				   (unsigned long)XML_GetCurrentLineNumber(m.p), why);
	} else if (m.href && !inside_repository(m.href)) {
		rc = shp_error_set(err, SHP_EXIT_INPUT,
				   "repomd.xml: the errata's location is not a path inside the repository");
	} else if (m.href) {
		*href = m.href;
		m.href = NULL;
		rc = 1;
	}
	free(m.href);
	XML_ParserFree(m.p);
	return rc;
}
