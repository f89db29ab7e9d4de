/* output.h - where a command may write, in one place for every command: "-" is stdout, a
 * target that exists must be something the write cannot destroy, and an output is never one
 * of the command's inputs. A file is made beside its target and renamed over it only when that
 * keeps the target what it was (owner, group, mode, its other hard links); else it is copied
 * into the target. */
#pragma once
#include "util/error.h"
#include <stddef.h>
#include <sys/types.h>

/* How a target is written. */
enum shp_out_kind {
	SHP_OUT_STREAM,	 /* opened and written (reports): a regular file, a character device
			  * (/dev/null, a terminal) or a FIFO; never a block device */
	SHP_OUT_REPLACE, /* made anew and put in place (fix, slim): a regular file or nothing */
};

/* How an input is read, which says what an output may not be. */
enum shp_in_kind {
	SHP_IN_FILE, /* a file read by name: not the output (same device and inode) */
	SHP_IN_TREE, /* a file, or a directory read as one input (an OCI layout, a root
		      * filesystem): nothing below it may be the output either */
};

struct shp_input {
	char *path;
	enum shp_in_kind kind;
};
struct shp_inputs {
	struct shp_input *v;
	size_t n, cap;
};

/* Notes path (copied; "-" is stdin and is never an output) as an input of the command. */
void shp_inputs_add(struct shp_inputs *in, const char *path, enum shp_in_kind kind);
void shp_inputs_free(struct shp_inputs *in);

/* 1 when path means stdout ("-"). */
int shp_output_is_stdout(const char *path);

/* Checks that out may be written as kind says, and is none of in (NULL: no inputs): -1 with
 * err (SHP_EXIT_INPUT) naming the output and, when it is one, the input. "-" passes. */
int shp_output_check(const char *out, enum shp_out_kind kind, const struct shp_inputs *in, struct shp_error **err);

/* A file being written in place of a target (SHP_OUT_REPLACE). */
struct shp_outfile {
	int fd;	       /* write here */
	int to_stdout; /* fd is stdout: nothing to put in place */
	char *target;  /* the file replaced: links followed to the file itself */
	char *tmp;     /* the new file beside it */
};

/* Opens a new file beside path's target (links followed; path checked as shp_output_check()
 * does with no inputs), or stdout for "-". -1 with err. */
int shp_outfile_open(struct shp_outfile *f, const char *path, struct shp_error **err);
/* Puts the finished file in place: renamed over the target when the target is new or has one
 * link and its owner and group can be given to the new file (its mode is), else copied into
 * the target (the same inode: its links, owner, mode and attributes stay). Then closes f, and
 * on an error removes the new file. -1 with err. */
int shp_outfile_commit(struct shp_outfile *f, struct shp_error **err);
/* Closes f and removes the new file (after an error; harmless after a commit). */
void shp_outfile_abort(struct shp_outfile *f);

/* An unnamed temporary file (gone when closed) in the directory of near, or in $TMPDIR (else
 * /tmp) when near is NULL. -1 with err. */
int shp_temp_fd(const char *near, struct shp_error **err);
