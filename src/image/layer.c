/* layer.c - one layer blob, streamed once: the stored bytes are hashed (blob digest),
 * decompressed by what their magic bytes say (gzip with ISA-L, zstd, or none), hashed
 * again (diffID) and counted against the bomb guard, and read as a tar by libarchive from
 * our callback, without a temporary file. Every entry is recorded, and its content handed to
 * the analyzers that want it (analyzers.c). Past its first HASH_INLINE bytes a layer's
 * digests are computed on a thread of their own, while this one decompresses and reads. */
#include "image/analyzer.h"
#include "image/progress.h"
#include "image/store.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <isa-l/igzip_lib.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define IN_BLOCK (256u << 10)
#define OUT_BLOCK (256u << 10)

enum { C_NONE, C_GZIP, C_ZSTD };

/* ---- the digests, on a thread of their own ---- */

/* Bytes hashed on the reading thread before a hasher thread takes over: a small layer (most
 * are) never starts one. SHA-256 runs at about 1.8 GB/s: on a large layer it was the slowest
 * stage, and a core of its own makes it run beside the decompression and the analyzers. */
#define HASH_INLINE (16u << 20)
/* Blocks of input and of output each that the hasher may lag behind by: it reads them where
 * they are, and a block is taken again only once its digests are updated. */
#define HASH_BLOCKS 8
#define HASH_QUEUE (2 * HASH_BLOCKS)

struct hash_job {
	const unsigned char *p;
	size_t n;
	struct shp_sha256 *h;
};

/* The queue between the reading thread and the hasher. The reader waits for job number
 * `want` only when it must (a block it takes again, a full queue), and is woken once, when
 * that job is done, not at each job; it then asks for half the blocks at once. */
struct hasher {
	pthread_t t;
	pthread_mutex_t mu;
	pthread_cond_t work, room;
	struct hash_job q[HASH_QUEUE];
	uint64_t queued;       /* jobs given (the reader's) */
	uint64_t done;	       /* and finished (the hasher's; read by the reader without the lock) */
	uint64_t want;	       /* the job the reader waits for, 0 when it does not */
	uint64_t inline_bytes; /* hashed by the reader before the thread started */
	int on, stop, idle;
};

static void *hasher_run(void *arg)
{
	struct hasher *h = arg;
	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (h->done == h->queued && !h->stop) {
			h->idle = 1;
			pthread_cond_wait(&h->work, &h->mu);
			h->idle = 0;
		}
		if (h->stop)
			break;
		struct hash_job j = h->q[h->done % HASH_QUEUE];
		pthread_mutex_unlock(&h->mu);
		shp_sha256_update(j.h, j.p, j.n);
		pthread_mutex_lock(&h->mu);
		__atomic_store_n(&h->done, h->done + 1, __ATOMIC_RELEASE);
		if (h->want && h->done >= h->want) {
			h->want = 0;
			pthread_cond_signal(&h->room);
		}
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* Waits until the jobs up to number seq are done. */
static void hasher_wait(struct hasher *h, uint64_t seq)
{
	if (!h->on || __atomic_load_n(&h->done, __ATOMIC_ACQUIRE) >= seq)
		return;
	pthread_mutex_lock(&h->mu);
	while (h->done < seq) {
		h->want = seq;
		pthread_cond_wait(&h->room, &h->mu);
	}
	pthread_mutex_unlock(&h->mu);
}

/* Ends the thread, its jobs done (or, with abandon, as they are). */
static void hasher_end(struct hasher *h, int abandon)
{
	if (!h->on)
		return;
	if (!abandon)
		hasher_wait(h, h->queued);
	pthread_mutex_lock(&h->mu);
	h->stop = 1;
	pthread_cond_signal(&h->work);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->t, NULL);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->work);
	pthread_cond_destroy(&h->room);
	h->on = 0;
}

struct decoder {
	struct shp_src *src;
	const char *name;
	struct shp_layer_budget *budget;
	struct shp_sha256 blob, tar;
	struct hasher hash;
	int comp;
	int hash_tar; /* compressed, and its diffID wanted (else the blob's digest is the tar's) */
	unsigned char *in;
	size_t in_len, in_pos;
	int in_eof;
	unsigned char *out;
	/* the blocks in and out take turns among once the hasher runs (one each before), and the
	 * job that last read each */
	unsigned char *ins[HASH_BLOCKS], *outs[HASH_BLOCKS];
	uint64_t in_job[HASH_BLOCKS], out_job[HASH_BLOCKS];
	unsigned in_i, out_i, nblocks;
	struct inflate_state *isal;
	int member_done;
	ZSTD_DCtx *zstd;
	size_t zstd_last; /* last ZSTD_decompressStream result: 0 at a frame boundary */
	uint64_t blob_bytes, tar_bytes;
	struct shp_error *err;
};

/* Past HASH_INLINE bytes, starts the hasher (and the blocks to take turns among); where no
 * thread can be made, hashing goes on here. */
static void hasher_start(struct decoder *d)
{
	struct hasher *h = &d->hash;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->work, NULL);
	pthread_cond_init(&h->room, NULL);
	if (pthread_create(&h->t, NULL, hasher_run, h) != 0) {
		pthread_mutex_destroy(&h->mu);
		pthread_cond_destroy(&h->work);
		pthread_cond_destroy(&h->room);
		h->inline_bytes = 0; /* and try again after as many */
		return;
	}
	h->on = 1;
	for (unsigned i = 1; i < HASH_BLOCKS; i++) {
		d->ins[i] = shp_xmalloc(IN_BLOCK);
		d->outs[i] = shp_xmalloc(OUT_BLOCK);
	}
	d->nblocks = HASH_BLOCKS;
}

/* Adds n bytes at p (which stay as they are until the block holding them is taken again) to
 * the digest s; the job's number, for the block's turn. */
static uint64_t hash_bytes(struct decoder *d, struct shp_sha256 *s, const unsigned char *p, size_t n)
{
	struct hasher *h = &d->hash;
	if (!h->on) {
		shp_sha256_update(s, p, n);
		if ((h->inline_bytes += n) >= HASH_INLINE)
			hasher_start(d);
		return 0;
	}
	if (h->queued >= HASH_QUEUE) /* a free place in the queue */
		hasher_wait(h, h->queued + 1 - HASH_QUEUE);
	pthread_mutex_lock(&h->mu);
	h->q[h->queued % HASH_QUEUE] = (struct hash_job){p, n, s};
	uint64_t seq = ++h->queued;
	if (h->idle)
		pthread_cond_signal(&h->work);
	pthread_mutex_unlock(&h->mu);
	return seq;
}

/* Block i of ring (jobs: the job that last read each), once the hasher is done with it;
 * when it is not yet, the reader waits for half the ring at once. */
static void block_free(struct decoder *d, const uint64_t *jobs, unsigned i)
{
	struct hasher *h = &d->hash;
	if (!h->on || __atomic_load_n(&h->done, __ATOMIC_ACQUIRE) >= jobs[i])
		return;
	uint64_t seq = jobs[i];
	for (unsigned k = 1; k < d->nblocks / 2; k++)
		seq = jobs[(i + k) % d->nblocks] > seq ? jobs[(i + k) % d->nblocks] : seq;
	hasher_wait(h, seq);
}

/* The next input block, once the hasher is done with it. */
static void next_in(struct decoder *d)
{
	d->in_i = (d->in_i + 1) % d->nblocks;
	block_free(d, d->in_job, d->in_i);
	d->in = d->ins[d->in_i];
}

/* The next output block, likewise. */
static void next_out(struct decoder *d)
{
	d->out_i = (d->out_i + 1) % d->nblocks;
	block_free(d, d->out_job, d->out_i);
	d->out = d->outs[d->out_i];
}

static int fill(struct decoder *d)
{
	if (d->in_pos < d->in_len || d->in_eof)
		return 0;
	next_in(d);
	ssize_t k = shp_src_read(d->src, d->in, IN_BLOCK);
	if (k < 0)
		return shp_error_set(&d->err, SHP_EXIT_INPUT, "%s: %s", d->name, d->src->error);
	d->in_pos = 0;
	d->in_len = (size_t)k;
	if (k == 0)
		d->in_eof = 1;
	d->in_job[d->in_i] = hash_bytes(d, &d->blob, d->in, (size_t)k);
	d->blob_bytes += (uint64_t)k;
	shp_progress_read(d->budget->progress, (uint64_t)k);
	return 0;
}

/* Reads the first bytes (at least 4, or all there is) and picks the decompressor. */
static int detect(struct decoder *d)
{
	while (d->in_len < 4 && !d->in_eof) {
		ssize_t k = shp_src_read(d->src, d->in + d->in_len, IN_BLOCK - d->in_len);
		if (k < 0)
			return shp_error_set(&d->err, SHP_EXIT_INPUT, "%s: %s", d->name, d->src->error);
		if (k == 0)
			d->in_eof = 1;
		d->in_job[d->in_i] = hash_bytes(d, &d->blob, d->in + d->in_len, (size_t)k);
		d->in_len += (size_t)k;
		d->blob_bytes += (uint64_t)k;
		shp_progress_read(d->budget->progress, (uint64_t)k);
	}
	const unsigned char *m = d->in;
	if (d->in_len >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
		d->comp = C_GZIP;
		d->isal = shp_xcalloc(1, sizeof *d->isal);
		isal_inflate_init(d->isal);
		d->isal->crc_flag = ISAL_GZIP;
	} else if (d->in_len >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
		d->comp = C_ZSTD;
		d->zstd = ZSTD_createDCtx();
		ZSTD_DCtx_setParameter(d->zstd, ZSTD_d_windowLogMax, 27); /* bounded window memory */
	} else
		d->comp = C_NONE;
	return 0;
}

static int count_out(struct decoder *d, const void *p, size_t n)
{
	struct shp_layer_budget *b = d->budget;
	d->tar_bytes += n;
	if (d->tar_bytes > b->max_layer_bytes)
		return shp_error_set(&d->err, SHP_EXIT_INPUT,
				     "%s: more than %llu bytes after decompression (a decompression bomb?); "
				     "raise --max-layer-bytes if the layer is genuine",
				     d->name, (unsigned long long)b->max_layer_bytes);
	if (atomic_fetch_add(&b->bytes, n) + n > b->max_image_bytes)
		return shp_error_set(&d->err, SHP_EXIT_INPUT,
				     "%s: the layers hold more than %llu bytes after decompression together; "
				     "raise --max-image-bytes if the image is genuine",
				     d->name, (unsigned long long)b->max_image_bytes);
	if (d->hash_tar)
		d->out_job[d->out_i] = hash_bytes(d, &d->tar, p, n);
	return 0;
}

/* The next decompressed chunk: returns its length (0 at the end) or -1 with d->err. */
static ssize_t decode(struct decoder *d, const void **buf)
{
	for (;;) {
		if (fill(d) < 0)
			return -1;
		size_t avail = d->in_len - d->in_pos;
		if (d->comp == C_NONE) {
			if (!avail)
				return 0;
			*buf = d->in + d->in_pos;
			d->in_pos = d->in_len;
			return count_out(d, *buf, avail) < 0 ? -1 : (ssize_t)avail;
		}
		if (d->comp == C_GZIP) {
			if (d->member_done) {
				if (!avail)
					return 0;
				const unsigned char *p = d->in + d->in_pos;
				if (p[0] != 0x1f || (avail > 1 && p[1] != 0x8b))
					return shp_error_set(&d->err, SHP_EXIT_INPUT,
							     "%s: data after the end of the gzip stream", d->name);
				isal_inflate_reset(d->isal);
				d->isal->crc_flag = ISAL_GZIP;
				d->member_done = 0;
			}
			if (!avail)
				return shp_error_set(&d->err, SHP_EXIT_INPUT, "%s: truncated gzip stream", d->name);
			next_out(d);
			d->isal->next_in = d->in + d->in_pos;
			d->isal->avail_in = (uint32_t)avail;
			d->isal->next_out = d->out;
			d->isal->avail_out = OUT_BLOCK;
			int r = isal_inflate(d->isal);
			d->in_pos = d->in_len - d->isal->avail_in;
			if (r < 0)
				return shp_error_set(
					&d->err, SHP_EXIT_INPUT, "%s: invalid gzip data (%s at byte %llu)", d->name,
					r == ISAL_INCORRECT_CHECKSUM ? "checksum mismatch" : "corrupt deflate stream",
					(unsigned long long)(d->blob_bytes - (d->in_len - d->in_pos)));
			if (d->isal->block_state == ISAL_BLOCK_FINISH)
				d->member_done = 1;
			size_t n = OUT_BLOCK - d->isal->avail_out;
			if (n) {
				*buf = d->out;
				return count_out(d, d->out, n) < 0 ? -1 : (ssize_t)n;
			}
			continue;
		}
		/* zstd */
		if (!avail) {
			if (d->zstd_last != 0)
				return shp_error_set(&d->err, SHP_EXIT_INPUT, "%s: truncated zstd stream", d->name);
			return 0;
		}
		next_out(d);
		ZSTD_inBuffer in = {d->in + d->in_pos, avail, 0};
		ZSTD_outBuffer out = {d->out, OUT_BLOCK, 0};
		size_t r = ZSTD_decompressStream(d->zstd, &out, &in);
		d->in_pos += in.pos;
		if (ZSTD_isError(r))
			return shp_error_set(&d->err, SHP_EXIT_INPUT, "%s: invalid zstd data (%s)", d->name,
					     ZSTD_getErrorName(r));
		d->zstd_last = r;
		if (out.pos) {
			*buf = d->out;
			return count_out(d, d->out, out.pos) < 0 ? -1 : (ssize_t)out.pos;
		}
	}
}

static la_ssize_t read_cb(struct archive *a, void *ud, const void **buf)
{
	struct decoder *d = ud;
	ssize_t n = decode(d, buf);
	if (n < 0) {
		archive_set_error(a, EIO, "%s", d->err->msg);
		return -1;
	}
	return n;
}

/* ---- entries ---- */

const struct shp_unscanned_reason shp_unscanned_reasons[SHP_UNSCANNED_NWHY] = {
	[SHP_UNSCANNED_JAVA_ARCHIVE] = {"java-archive-inflate", "SHP_JAVA_MAX_INFLATE"},
	[SHP_UNSCANNED_JAVA_LAYER] = {"java-layer-inflate", "SHP_JAVA_MAX_LAYER_INFLATE"},
	[SHP_UNSCANNED_PKGDB_SIZE] = {"package-database-size", "SHP_PKGDB_MAX_BYTES"},
	[SHP_UNSCANNED_UNREADABLE] = {"unreadable", NULL},
	[SHP_UNSCANNED_CRED_FILE] = {"credential-file-size", "SHP_CRED_FILE_MAX_BYTES"},
};

void shp_layer_unscanned(struct shp_layer_scan *scan, size_t idx, enum shp_unscanned_why why)
{
	struct shp_unscanned u = {.entry = (uint32_t)idx, .why = (uint8_t)why};
	SHP_PUSH(scan->unscanned, scan->nunscanned, scan->cunscanned, u);
}

void shp_layer_scan_free(struct shp_layer_scan *s)
{
	shp_arena_free(&s->arena);
	free(s->entries);
	for (size_t k = 0; k < SHP_NANALYZERS; k++) {
		struct shp_layer_found *f = &s->found[k];
		const struct shp_analyzer *a = shp_analyzers[k];
		for (size_t i = 0; a->free && i < f->n; i++)
			a->free((char *)f->v + i * a->rec_size);
		free(f->v);
		*f = (struct shp_layer_found){0};
	}
	free(s->unscanned);
	s->entries = NULL;
	s->unscanned = NULL;
	s->nentries = s->centries = 0;
	s->nunscanned = s->cunscanned = 0;
}

size_t shp_layer_add_entry(struct shp_layer_scan *scan, const struct shp_entry *e)
{
	struct shp_entry c = *e;
	c.path = shp_arena_strndup(&scan->arena, e->path, strlen(e->path));
	c.link = e->link ? shp_arena_strndup(&scan->arena, e->link, strlen(e->link)) : NULL;
	SHP_PUSH(scan->entries, scan->nentries, scan->centries, c);
	return scan->nentries - 1;
}

static int ftype_of(struct archive_entry *ae)
{
	if (archive_entry_hardlink(ae))
		return SHP_FT_HARDLINK;
	switch (archive_entry_filetype(ae)) {
	case AE_IFDIR: return SHP_FT_DIR;
	case AE_IFLNK: return SHP_FT_SYMLINK;
	case AE_IFCHR: return SHP_FT_CHAR;
	case AE_IFBLK: return SHP_FT_BLOCK;
	case AE_IFIFO: return SHP_FT_FIFO;
	case AE_IFSOCK: return SHP_FT_SOCKET;
	default: return SHP_FT_FILE;
	}
}

/* Turns a tar header into an entry: normalised path, whiteouts recognised. The path is
 * written into buf (of SHP_IMG_MAX_PATH + 8 bytes). */
static int make_entry(struct archive_entry *ae, char *buf, char *lbuf, struct shp_entry *e)
{
	const char *raw = archive_entry_pathname(ae);
	if (!raw)
		raw = "";
	size_t n = strlen(raw);
	if (n > SHP_IMG_MAX_PATH)
		return -1;
	memcpy(buf, raw, n + 1);
	int climbed;
	shp_path_normalize(buf, &climbed);
	*e = (struct shp_entry){.path = buf,
				.size = (uint64_t)(archive_entry_size(ae) > 0 ? archive_entry_size(ae) : 0),
				.mode = (uint32_t)archive_entry_mode(ae) & 07777,
				.uid = (uint32_t)archive_entry_uid(ae),
				.gid = (uint32_t)archive_entry_gid(ae),
				.type = (uint8_t)ftype_of(ae)};
	if (climbed)
		e->flags |= SHP_EF_ESCAPE;
	if (raw[0] == '/')
		e->flags |= SHP_EF_ABSOLUTE;
	char *base = strrchr(buf, '/');
	base = base ? base + 1 : buf;
	if (!strncmp(base, ".wh.", 4)) {
		if (!strcmp(base, ".wh..wh..opq")) {
			e->type = SHP_FT_OPAQUE;
			base[base > buf ? -1 : 0] = 0; /* the directory itself */
		} else {
			e->type = SHP_FT_WHITEOUT;
			memmove(base, base + 4, strlen(base + 4) + 1);
		}
	}
	if (e->type == SHP_FT_HARDLINK) {
		const char *l = archive_entry_hardlink(ae);
		size_t ln = strlen(l);
		if (ln > SHP_IMG_MAX_PATH)
			return -1;
		memcpy(lbuf, l, ln + 1);
		shp_path_normalize(lbuf, &climbed);
		if (climbed)
			e->flags |= SHP_EF_LINK_ESCAPE;
		e->link = lbuf;
	} else if (e->type == SHP_FT_SYMLINK) {
		e->link = archive_entry_symlink(ae);
	}
	const char *xname;
	const void *xval;
	size_t xsize;
	archive_entry_xattr_reset(ae);
	while (archive_entry_xattr_next(ae, &xname, &xval, &xsize) == ARCHIVE_OK)
		if (!strcmp(xname, "security.capability") && xsize > 0)
			e->flags |= SHP_EF_CAPS;
	return 0;
}

void shp_layer_budget_init(struct shp_layer_budget *b, uint64_t max_layer_bytes, uint64_t max_image_bytes)
{
	b->max_layer_bytes = max_layer_bytes ? max_layer_bytes : SHP_IMG_DEFAULT_MAX_LAYER_BYTES;
	b->max_image_bytes = max_image_bytes ? max_image_bytes : SHP_IMG_DEFAULT_MAX_IMAGE_BYTES;
	b->max_names = SHP_IMG_MAX_NAME_BYTES;
	atomic_init(&b->bytes, 0);
	atomic_init(&b->names, 0);
	atomic_init(&b->entries, 0);
	b->progress = NULL;
	b->diff_ids = 1;
}

/* Adds a batch of entries and name bytes to the image's totals (a batch, not each entry:
 * threads reading layers at once would contend for the counters). */
static int spend_names(struct shp_layer_budget *b, const char *name, size_t *entries, size_t *names,
		       struct shp_error **err)
{
	uint64_t e = atomic_fetch_add(&b->entries, *entries) + *entries;
	uint64_t n = atomic_fetch_add(&b->names, *names) + *names;
	*entries = *names = 0;
	if (e > SHP_IMG_MAX_ENTRIES)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: more than %u entries in all layers (SHP_IMG_MAX_ENTRIES)", name,
				     SHP_IMG_MAX_ENTRIES);
	if (n > b->max_names)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "%s: more than %llu bytes of entry names in all layers (SHP_IMG_MAX_NAME_BYTES)",
				     name, (unsigned long long)b->max_names);
	return 0;
}

/* Entries and name bytes a walk adds up before it spends them from the image's budget. */
#define NAME_BATCH_ENTRIES 1024
#define NAME_BATCH_BYTES (256u << 10)

int shp_layer_walk(struct shp_src *src, const char *name, struct shp_layer_budget *b, shp_layer_entry_fn fn, void *arg,
		   struct shp_layer_sums *sums, struct shp_error **err)
{
	struct decoder d = {.src = src, .name = name, .budget = b, .nblocks = 1};
	size_t batch_entries = 0, batch_names = 0;
	d.in = d.ins[0] = shp_xmalloc(IN_BLOCK);
	d.out = d.outs[0] = shp_xmalloc(OUT_BLOCK);
	shp_sha256_init(&d.blob);
	shp_sha256_init(&d.tar);
	char *pbuf = shp_xmalloc(SHP_IMG_MAX_PATH + 8), *lbuf = shp_xmalloc(SHP_IMG_MAX_PATH + 8);
	struct archive *a = NULL;
	size_t count = 0;
	int rc = 0;
	if (detect(&d) < 0)
		goto out;
	sums->compression = d.comp == C_GZIP ? "gzip" : d.comp == C_ZSTD ? "zstd" : "none";
	d.hash_tar = d.comp != C_NONE && b->diff_ids;
	a = archive_read_new();
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_empty(a);
	if (archive_read_open(a, &d, NULL, read_cb, NULL) != ARCHIVE_OK) {
		if (!d.err)
			shp_error_set(&d.err, SHP_EXIT_INPUT, "%s: not a tar layer (%s)", name,
				      archive_error_string(a));
		goto out;
	}
	struct archive_entry *ae;
	for (;; count++) {
		int r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			if (!d.err)
				shp_error_set(&d.err, SHP_EXIT_INPUT, "%s: tar entry %zu: %s", name, count + 1,
					      archive_error_string(a));
			goto out;
		}
		if (count >= SHP_IMG_MAX_ENTRIES) {
			shp_error_set(&d.err, SHP_EXIT_INPUT, "%s: more than %u entries", name, SHP_IMG_MAX_ENTRIES);
			goto out;
		}
		struct shp_entry e;
		if (make_entry(ae, pbuf, lbuf, &e) < 0) {
			shp_error_set(&d.err, SHP_EXIT_INPUT, "%s: tar entry %zu: name longer than %d bytes", name,
				      count + 1, SHP_IMG_MAX_PATH);
			goto out;
		}
		batch_entries++;
		batch_names += strlen(e.path) + (e.link ? strlen(e.link) : 0);
		if ((batch_entries >= NAME_BATCH_ENTRIES || batch_names >= NAME_BATCH_BYTES) &&
		    spend_names(b, name, &batch_entries, &batch_names, &d.err) < 0)
			goto out;
		if (fn(arg, a, ae, &e, count, &d.err) < 0) {
			if (!d.err)
				shp_error_set(&d.err, SHP_EXIT_INPUT, "%s: %s: %s", name, e.path,
					      archive_error_string(a));
			goto out;
		}
	}
	if (spend_names(b, name, &batch_entries, &batch_names, &d.err) < 0)
		goto out;
	/* The rest of the blob (tar padding) belongs to both digests. */
	const void *p;
	ssize_t k;
	while ((k = decode(&d, &p)) > 0)
		;
	if (k < 0)
		goto out;
	/* the stored bytes after the compressed stream (if any) are hashed too */
	while (!d.in_eof) {
		d.in_pos = d.in_len;
		if (fill(&d) < 0)
			goto out;
		if (d.in_len && d.comp != C_NONE) {
			shp_error_set(&d.err, SHP_EXIT_INPUT, "%s: data after the end of the compressed stream", name);
			goto out;
		}
	}
out:
	hasher_end(&d.hash, d.err != NULL);
	if (d.err) {
		rc = -1;
		*err = d.err;
		shp_sha256_free(&d.blob);
		shp_sha256_free(&d.tar);
	} else {
		shp_sha256_final(&d.blob, sums->blob_digest);
		shp_sha256_final(&d.tar, sums->diff_id);
		if (d.comp == C_NONE) /* the tar is the blob, hashed once (a docker save's layers) */
			memcpy(sums->diff_id, sums->blob_digest, sizeof sums->diff_id);
		else if (!d.hash_tar)
			sums->diff_id[0] = 0; /* not known */
		sums->blob_bytes = d.blob_bytes;
		sums->tar_bytes = d.tar_bytes;
	}
	if (a)
		archive_read_free(a);
	if (d.zstd)
		ZSTD_freeDCtx(d.zstd);
	free(d.isal);
	for (unsigned i = 0; i < d.nblocks; i++) {
		free(d.ins[i]);
		free(d.outs[i]);
	}
	free(pbuf);
	free(lbuf);
	return rc;
}

/* The content of the tar entry at hand, for the analyzers. */
static int tar_read(struct shp_an_source *s, const void **p, size_t *n, uint64_t *off)
{
	la_int64_t o;
	int r = archive_read_data_block(s->archive, p, n, &o);
	if (r == ARCHIVE_EOF)
		return 0;
	if (r < ARCHIVE_WARN)
		return -1;
	*off = (uint64_t)o;
	return 1;
}

/* Records an entry of the layer and hands its content to the analyzers that want it. */
static int read_entry(void *arg, struct archive *a, struct archive_entry *ae, const struct shp_entry *e, size_t n,
		      struct shp_error **err)
{
	(void)ae, (void)n, (void)err;
	struct shp_analysis *an = arg;
	size_t idx = shp_layer_add_entry(an->scan, e);
	struct shp_an_source src = {.read = tar_read, .archive = a, .fd = -1};
	return shp_analysis_entry(an, idx, &src);
}

int shp_layer_read(struct shp_src *src, const char *name, struct shp_layer_budget *b, struct shp_layer_scan *scan,
		   struct shp_error **err)
{
	struct shp_analysis an;
	shp_analysis_begin(&an, scan);
	int rc = shp_layer_walk(src, name, b, read_entry, &an, &scan->sums, err);
	shp_analysis_end(&an);
	return rc;
}
