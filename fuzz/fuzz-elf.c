/* fuzz-elf.c - libFuzzer target: the ELF dynamic-section reader slim follows libraries with.
 * Every string it returns must lie in what it read (ASan), and a parse of the same bytes
 * must give the same answer. */
#include "slim/elf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *b = malloc(size ? size : 1);
	if (!b)
		return 0;
	memcpy(b, data, size);
	struct shp_arena a = {0};
	struct shp_elf e, f;
	int r = shp_elf_parse(b, size, &a, &e);
	if (shp_elf_parse(b, size, &a, &f) != r || (r == 0 && e.nneeded != f.nneeded))
		abort();
	for (size_t i = 0; r == 0 && i < e.nneeded; i++)
		if (strcmp(e.needed[i], f.needed[i]))
			abort();
	shp_arena_free(&a);
	free(b);
	return 0;
}
