/* fuzz-cache.c - libFuzzer target: the layer cache record reader with its authentication.
 * The input is read as a record body sealed with the right secret (what decodes is encoded
 * again and must decode to the same bytes), as a whole record (its tag is not a right one
 * but by chance, so it must be refused), and with the tag of another secret or one bit of a
 * good record changed: a record whose tag fails must never decode. It is also read as the
 * compressed frame of an authentic record, which is decompressed only within the size it
 * states and SHP_CACHE_MAX_BODY, whatever it claims. */
#include "image/cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char secret[SHP_CACHE_KEY_BYTES] = "fuzz-cache secret: 32 bytes long";
static const unsigned char other[SHP_CACHE_KEY_BYTES] = "fuzz-cache secret: 32 bytes lonG";

/* Decodes rec under key and says whether it decoded. */
static int decodes(const unsigned char *key, const char *rec, size_t n)
{
	struct shp_layer_scan s = {0};
	int rc = shp_cache_decode(key, rec, n, &s);
	shp_layer_scan_free(&s);
	return rc == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct shp_layer_scan body = {0};
	int body_ok = shp_cache_decode_body(in, size, &body) == 0;
	shp_layer_scan_free(&body);

	/* the input as the body of an authentic record: decodes exactly when the body does */
	size_t n;
	char *sealed = shp_cache_seal(secret, in, size, &n);
	struct shp_layer_scan scan = {0};
	if ((shp_cache_decode(secret, sealed, n, &scan) == 0) != body_ok)
		abort();
	if (body_ok) {
		size_t m, k;
		char *rec = shp_cache_encode(secret, &scan, &m);
		struct shp_layer_scan again = {0};
		if (shp_cache_decode(secret, rec, m, &again) != 0)
			abort();
		char *rec2 = shp_cache_encode(secret, &again, &k);
		if (k != m || memcmp(rec, rec2, m))
			abort();
		/* the same record under another secret, and with one bit changed, are refused */
		if (decodes(other, rec, m))
			abort();
		size_t at = size ? data[0] * 257u % m : m / 2;
		rec[at] ^= (char)(1u << (size ? data[size - 1] % 8 : 0));
		if (decodes(secret, rec, m))
			abort();
		free(rec2);
		free(rec);
		shp_layer_scan_free(&again);
	}
	shp_layer_scan_free(&scan);
	/* the sealed input under another secret is refused */
	if (decodes(other, sealed, n))
		abort();
	free(sealed);

	/* the input as the frame of an authentic record: what decodes is written again as a
	 * frame that decodes */
	char *framed = shp_cache_seal_frame(secret, in, size, &n);
	struct shp_layer_scan fs = {0};
	if (shp_cache_decode(secret, framed, n, &fs) == 0) {
		size_t m;
		char *rec = shp_cache_encode(secret, &fs, &m);
		if (!decodes(secret, rec, m))
			abort();
		free(rec);
	}
	shp_layer_scan_free(&fs);
	free(framed);

	/* the input as a whole record: a forger's, whose tag is not made with the secret */
	if (decodes(secret, in, size))
		abort();
	return 0;
}
