/* progress.c - the progress line of a scan (progress.h). */
#include "image/progress.h"
#include "util/size.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void shp_progress_line(const struct shp_progress *p, char *buf, size_t n)
{
	uint64_t down = atomic_load_explicit(&p->downloaded, memory_order_relaxed);
	uint64_t read = atomic_load_explicit(&p->read, memory_order_relaxed);
	unsigned cached = atomic_load_explicit(&p->cached, memory_order_relaxed);
	char size[32];
	shp_size_human(size, sizeof size, down ? down : read);
	unsigned done = atomic_load_explicit(&p->done, memory_order_relaxed),
		 layers = atomic_load_explicit(&p->layers, memory_order_relaxed);
	/* layers 0: not known yet (a stream read in one pass) */
	int k = layers ? snprintf(buf, n, "layers %u/%u  %s %s", done, layers, size, down ? "downloaded" : "read")
		       : snprintf(buf, n, "layers %u  %s %s", done, size, down ? "downloaded" : "read");
	if (cached && k > 0 && (size_t)k < n)
		snprintf(buf + k, n - (size_t)k, "  (%u cached)", cached);
}

static void put(int fd, const char *s)
{
	/* a terminal that stops taking bytes must not stop the scan: what cannot be written at
	 * once is dropped, the next line redraws it all */
	size_t len = strlen(s);
	while (len) {
		ssize_t w = write(fd, s, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		len -= (size_t)w;
	}
}

static void *draw(void *arg)
{
	struct shp_progress *p = arg;
	struct timespec start, t;
	clock_gettime(CLOCK_MONOTONIC, &start);
	t = start;
	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		t.tv_nsec += SHP_PROGRESS_INTERVAL_MS * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		while (!p->stop && pthread_cond_timedwait(&p->wake, &p->lock, &t) != ETIMEDOUT)
			;
		if (p->stop)
			break;
		long ms = (t.tv_sec - start.tv_sec) * 1000 + (t.tv_nsec - start.tv_nsec) / 1000000;
		if (ms < SHP_PROGRESS_DELAY_MS)
			continue;
		char line[160] = "\r";
		shp_progress_line(p, line + 1, sizeof line - 8);
		strcat(line, "\033[K"); /* the rest of a longer line drawn before */
		put(p->fd, line);
		p->drawn = 1;
	}
	if (p->drawn)
		put(p->fd, "\r\033[K");
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

void shp_progress_start(struct shp_progress *p, unsigned layers, int fd, int show)
{
	atomic_store(&p->read, 0);
	atomic_store(&p->downloaded, 0);
	atomic_store(&p->layers, layers);
	atomic_store(&p->done, 0);
	atomic_store(&p->cached, 0);
	p->fd = fd;
	p->stop = p->drawn = p->running = 0;
	if (!show || !isatty(fd))
		return;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&p->lock, NULL);
	if (pthread_create(&p->thread, NULL, draw, p) == 0)
		p->running = 1;
	else {
		/* no progress is no reason to fail a scan */
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
	}
}

void shp_progress_stop(struct shp_progress *p)
{
	if (!p->running)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	p->running = 0;
}
