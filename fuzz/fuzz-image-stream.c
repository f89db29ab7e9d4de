/* fuzz-image-stream.c - libFuzzer target: arbitrary bytes as an image tarball read once, from
 * a pipe, as an engine's docker-save stream is: the one pass that keeps the metadata and scans
 * every other entry as a layer while it passes, the sources over what it kept, the scans taken
 * from it in layer order, the union view and the image rules. A thread writes the input into
 * the pipe; the budgets are small, as in fuzz-image.c. */
#include "image/image.h"
#include "image/union.h"
#include "rules/image.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct feed {
	int fd;
	const uint8_t *p;
	size_t n;
};

/* Writes the input, then closes: the reader sees its end. Stops when the reader has gone. */
static void *writer(void *arg)
{
	struct feed *f = arg;
	while (f->n) {
		ssize_t k = write(f->fd, f->p, f->n);
		if (k <= 0)
			break;
		f->p += k;
		f->n -= (size_t)k;
	}
	close(f->fd);
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	if (!once++)
		signal(SIGPIPE, SIG_IGN); /* a reader that stops early is no crash of the writer's */
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return 0;
	struct feed f = {.fd = p[1], .p = data, .n = size};
	pthread_t t;
	if (pthread_create(&t, NULL, writer, &f) != 0) {
		close(p[0]);
		close(p[1]);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
	struct shp_image_opts o = {.max_layer_bytes = 64u << 20,
				   .max_image_bytes = 16u << 20,
				   .max_archive_entries = 64,
				   .max_archive_name_bytes = 4096,
				   .max_name_bytes = 64u << 10,
				   .jobs = 1,
				   .no_cache = 1};
	struct shp_image *img = NULL;
	struct shp_error *err = NULL;
	if (shp_image_open(path, &o, &img, &err) == 0 && shp_image_scan(img, &o, &err) == 0) {
		struct shp_union u;
		struct shp_findings fs = {0};
		shp_union_build(&u, img);
		shp_image_check(img, &u, NULL, &fs);
		shp_findings_free(&fs);
		shp_union_free(&u);
	}
	shp_error_free(err);
	shp_image_free(img);
	close(p[0]); /* a writer still writing gets EPIPE and ends */
	pthread_join(t, NULL);
	return 0;
}
