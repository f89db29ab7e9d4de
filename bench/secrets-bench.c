/* secrets-bench.c - the content scanner's speed, apart from reading layers: the files named
 * in LIST (one path a line) are read into memory, then searched as `image` searches a file's
 * content (a file with a NUL byte in its first 8 KiB is binary, where only the unmistakable
 * kinds are looked for), RUNS times; prints the best run's MB/s.
 *   secrets-bench LIST [RUNS]
 * Only the scanner's public API is used, so the same source builds against an older tree
 * (bench/secrets.sh BASELINE_SRC=...) for a before-and-after figure. */
#include "secrets/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct file {
	char *path, *data;
	size_t len;
	int binary;
};

static void count(void *arg, int kind, size_t start, size_t end)
{
	(void)kind, (void)start, (void)end;
	++*(size_t *)arg;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	for (size_t r; b && (r = fread(b + n, 1, cap - n, f)) > 0;) {
		n += r;
		if (n == cap) {
			char *nb = realloc(b, cap *= 2);
			if (!nb)
				free(b);
			b = nb;
		}
	}
	fclose(f);
	*len = n;
	return b;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: secrets-bench LIST [RUNS]\n");
		return 2;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 3;
	FILE *l = fopen(argv[1], "r");
	if (!l) {
		perror(argv[1]);
		return 1;
	}
	struct file *files = NULL;
	size_t n = 0, cap = 0, bytes = 0, bin_bytes = 0, nbin = 0;
	char line[4096];
	while (fgets(line, sizeof line, l)) {
		line[strcspn(line, "\n")] = 0;
		size_t len;
		char *d = slurp(line, &len);
		if (!d)
			continue;
		if (n == cap && !(files = realloc(files, (cap = cap ? cap * 2 : 1024) * sizeof *files)))
			return 1;
		int binary = memchr(d, 0, len < 8192 ? len : 8192) != NULL;
		files[n++] = (struct file){strdup(line), d, len, binary};
		bytes += len;
		if (binary) {
			bin_bytes += len;
			nbin++;
		}
	}
	fclose(l);
	double best = 1e9;
	size_t found = 0;
	for (int r = 0; r < runs; r++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		found = 0;
		for (size_t i = 0; i < n; i++) {
			struct shp_secrets_window w = {0, files[i].len, files[i].binary};
			shp_secrets_scan_window(files[i].data, files[i].len, files[i].path, &w, count, &found);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (s < best)
			best = s;
	}
	printf("%zu files, %.1f MB (%zu binary, %.1f MB): %.3f s, %.0f MB/s, %zu secrets\n", n, (double)bytes / 1e6,
	       nbin, (double)bin_bytes / 1e6, best, (double)bytes / 1e6 / best, found);
	for (size_t i = 0; i < n; i++) {
		free(files[i].path);
		free(files[i].data);
	}
	free(files);
	return 0;
}
