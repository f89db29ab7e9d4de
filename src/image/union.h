/* union.h - the layers stacked as the container runtime stacks them: whiteouts and opaque
 * directories applied in order, so that for every path we know the layer that added it,
 * the layers that changed it, whether it is visible in the final filesystem, and for
 * every version of it which later layer hid it and how. Dive's efficiency figures are
 * computed on the way, with dive's own definitions (reference/anchors.md, section 4). */
#pragma once
#include "image/image.h"
#include "util/arena.h"

#include <stdint.h>

enum shp_end { SHP_END_NONE, SHP_END_OVERWRITTEN, SHP_END_DELETED, SHP_END_REPLACED };

/* One layer's record of a path: an entry that added or changed it, or a whiteout. */
struct shp_uevent {
	uint32_t node, next; /* the node; the node's next event (0 = none; event 0 is unused) */
	uint32_t entry;	     /* index into the layer's scan entries */
	uint16_t layer;
	int16_t end_layer; /* the layer that hid this version, -1 if it is visible at the end */
	uint8_t end_how;   /* enum shp_end */
};

struct shp_unode {
	const char *name; /* last component */
	uint32_t parent, first_child, next_sibling, hnext;
	uint32_t ev_first, ev_last;
	uint32_t vis;	   /* the visible version's event, 0 if none */
	uint32_t implicit; /* 1 + the layer that made it an implicit directory, else 0 */
	/* dive's view */
	uint64_t dive_size, cum, min;
	uint32_t count;
	uint16_t first_layer; /* the layer of the first copy counted (cum is its size while count is 1) */
	uint8_t dive_present, dive_isdir;
};

/* A copy of a path that dive counts, kept for the paths counted more than once (the waste
 * list): a leaf of a layer's tree, a whiteout sized by what it deletes. */
struct shp_ucopy {
	uint64_t size;
	uint32_t node;
	uint16_t layer;
	uint8_t whiteout;
};

struct shp_layer_stats {
	uint64_t size;			/* dive: the sum of the layer's header sizes */
	size_t added, changed, removed; /* paths */
};

struct shp_efficiency {
	double score;
	uint64_t size_bytes, user_size_bytes, wasted_bytes, reclaimable_bytes;
	double wasted_user_percent;
	size_t inefficient_paths;
};

struct shp_union {
	const struct shp_image *img;
	struct shp_unode *nodes; /* node 0 is the root */
	size_t n, cap;
	struct shp_uevent *ev; /* event 0 is unused */
	size_t nev, cev;
	uint32_t *hash;
	size_t hcap;
	struct shp_arena names; /* the nodes' names */
	struct shp_layer_stats *layers;
	struct shp_efficiency eff;
	struct shp_ucopy *copies; /* of the inefficient paths, as counted */
	size_t ncopies, ccopies;
};

/* A path dive counts as inefficient (stored by two layers or more): all its copies are
 * wasted bytes in dive's terms, all but the smallest reclaimable. */
struct shp_waste {
	char *path;
	uint32_t node, count;
	uint64_t size;			/* all copies: dive's cumulative size */
	uint64_t reclaimable;		/* all copies but the smallest */
	const struct shp_ucopy *copies; /* count of them, in layer order */
};

/* The inefficient paths of u, the costliest first (then by path): their sizes add up to
 * u->eff.wasted_bytes. Sorts u->copies. Caller frees with shp_union_waste_free. */
size_t shp_union_waste(struct shp_union *u, struct shp_waste **out);
void shp_union_waste_free(struct shp_waste *w, size_t n);

/* What layer L did to the union: added and changed paths (events of L that put an entry
 * there; in tree order) and removed ones (whiteouts in tree order, then what an opaque
 * directory hid). */
enum shp_change { SHP_CHANGE_ADDED, SHP_CHANGE_CHANGED, SHP_CHANGE_REMOVED };
struct shp_layer_change {
	uint32_t node;
	uint8_t how; /* enum shp_change */
};
/* The changes of layer L, as counted in u->layers[L]; caller frees *out. */
size_t shp_union_layer_changes(const struct shp_union *u, int L, struct shp_layer_change **out);

/* Stacks the scanned layers of img. Caller frees with shp_union_free. */
void shp_union_build(struct shp_union *u, const struct shp_image *img);
void shp_union_free(struct shp_union *u);

/* The node of a path (no symlinks followed), or 0. */
uint32_t shp_union_lookup(const struct shp_union *u, const char *path);
/* The node's visible entry, or NULL. A directory that no entry names but that holds an
 * entry (valid in tar and OCI: "tar -cf l.tar app/prog") is made by the runtime, root's and
 * mode 0755, and is visible too: its entry is shared, with an empty path (take the path from
 * shp_union_path), and *layer is the layer whose entry needed it. */
const struct shp_entry *shp_union_visible(const struct shp_union *u, uint32_t node, int *layer);
/* The event that layer's entry (an index into its scan) made at path, or 0. */
uint32_t shp_union_event(const struct shp_union *u, const char *path, int layer, uint32_t entry);
/* The full path of a node ("/etc/passwd"), written to buf. */
const char *shp_union_path(const struct shp_union *u, uint32_t node, char *buf, size_t size);

/* Resolves path in the final filesystem, following symlinks (at most SHP_IMG_MAX_LINK_DEPTH).
 * Returns the node, 0 if missing; *loop is set when the depth ran out. */
uint32_t shp_union_resolve(const struct shp_union *u, const char *path, int *loop);
/* The same, calling visit (when not NULL) for every node the walk steps on: the directories,
 * the symlinks followed, and the node reached. With follow_last 0 a symlink at the end is
 * the node returned, not followed. */
typedef void (*shp_union_visit_fn)(void *arg, uint32_t node);
uint32_t shp_union_walk(const struct shp_union *u, const char *path, int follow_last, shp_union_visit_fn visit,
			void *arg, int *loop);
