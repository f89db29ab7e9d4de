/* image-internal.h - what the image sources share: reading verified JSON from the store,
 * adding layers, and applying the config (diffIDs, history). Not for use outside image/. */
#pragma once
#include "image/image.h"
#include "util/buf.h"
#include "util/digest.h"
#include "util/json.h"

/* Reads name from the image's store (at most SHP_IMG_MAX_JSON bytes), checks its digest
 * against want (if non-NULL) and parses it. Caller frees *out with cJSON_Delete. */
int shp_image_read_json(struct shp_image *img, const char *name, const char *want, cJSON **out,
			struct shp_error **err);
/* Appends a layer stored at blob; digest (owned, may be NULL) is what the blob must hash to. */
int shp_image_add_layer(struct shp_image *img, const char *blob, char *digest, struct shp_error **err);
/* Takes the diffIDs and the history from img->config (after all layers were added). */
int shp_image_apply_config(struct shp_image *img, struct shp_error **err);
