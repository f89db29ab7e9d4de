/* progress.h - how far a scan has come, on stderr when it is a terminal: layers done of all,
 * bytes read (or downloaded from a registry or engine), layers the cache answered for.
 * The readers bump atomic counters once per block (256 KiB) or per layer, never per tar
 * entry; one thread draws them at most ten times a second, from one second into the scan
 * (a quick scan shows nothing), in place with \r, and clears its line at the end. */
#pragma once
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* How often the line is redrawn, and how long a scan runs before it is shown. */
#define SHP_PROGRESS_INTERVAL_MS 100
#define SHP_PROGRESS_DELAY_MS 1000

struct shp_progress {
	atomic_uint_least64_t read;	  /* blob bytes read, as stored (compressed) */
	atomic_uint_least64_t downloaded; /* bytes a remote store received (registry, engine) */
	atomic_uint layers;		  /* blobs to read */
	atomic_uint done, cached;	  /* blobs dealt with; of them, answered by the layer cache */
	/* the drawing thread's */
	int fd, running, stop, drawn;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
};

/* Resets the counters for a scan of `layers` blobs and, when fd is a terminal and show is
 * set (not -q), starts the thread that draws them on fd. Always paired with
 * shp_progress_stop. */
void shp_progress_start(struct shp_progress *p, unsigned layers, int fd, int show);
/* Stops the thread (at once: it is woken) and clears the line it drew. */
void shp_progress_stop(struct shp_progress *p);
/* The line as it is drawn, into buf (for the thread and for tests). */
void shp_progress_line(const struct shp_progress *p, char *buf, size_t n);

/* The counters, for the readers; p may be NULL (no scan is counting). */
static inline void shp_progress_read(struct shp_progress *p, uint64_t n)
{
	if (p)
		atomic_fetch_add_explicit(&p->read, n, memory_order_relaxed);
}
static inline void shp_progress_downloaded(struct shp_progress *p, uint64_t n)
{
	if (p)
		atomic_fetch_add_explicit(&p->downloaded, n, memory_order_relaxed);
}
/* For a source that learns how many layers there are only as it scans (a root filesystem,
 * an engine's stream). */
static inline void shp_progress_layers(struct shp_progress *p, unsigned n)
{
	if (p)
		atomic_store_explicit(&p->layers, n, memory_order_relaxed);
}
static inline void shp_progress_layer_done(struct shp_progress *p, int cached)
{
	if (!p)
		return;
	atomic_fetch_add_explicit(&p->done, 1, memory_order_relaxed);
	if (cached)
		atomic_fetch_add_explicit(&p->cached, 1, memory_order_relaxed);
}
