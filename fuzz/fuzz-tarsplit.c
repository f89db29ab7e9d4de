/* fuzz-tarsplit.c - libFuzzer target: arbitrary bytes as the JSON lines of a tar-split
 * (gzip'd here, as containers/storage stores them), rebuilt into a tar; a file entry's
 * content is its own name, so a record whose size and CRC-64 fit it is read through. */
#include "image/tarsplit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int open_name(void *arg, const char *name, struct shp_error **err)
{
	(void)arg;
	int fd = memfd_create("file", MFD_CLOEXEC);
	if (fd < 0 || write(fd, name, strlen(name)) != (ssize_t)strlen(name) || lseek(fd, 0, SEEK_SET) < 0) {
		if (fd >= 0)
			close(fd);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: cannot be made", name);
	}
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	z_stream z = {0};
	if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	size_t cap = deflateBound(&z, size);
	unsigned char *gz = malloc(cap);
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)size;
	z.next_out = gz;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	size_t n = cap - z.avail_out;
	deflateEnd(&z);
	struct shp_tarsplit *t = shp_tarsplit_new(shp_src_memory(gz, n), "fuzz", open_name, NULL);
	struct shp_src src = shp_src_function(shp_tarsplit_read, t);
	char buf[4096];
	while (shp_src_read(&src, buf, sizeof buf) > 0)
		;
	free(src.error);
	shp_tarsplit_free(t);
	free(gz);
	return 0;
}
