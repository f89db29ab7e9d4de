/* note.h - what shipshape says on stderr that is not an error: notes, warnings and the
 * progress of a scan. -q (--quiet, or quiet: true in .shipshape.yaml) silences all of them
 * at once; an error that explains a non-zero exit is still said. */
#pragma once

/* Silences notes (and progress) for the rest of the run, or not. */
void shp_set_quiet(int quiet);
/* True after shp_set_quiet(1). */
int shp_quiet(void);
/* Says "shipshape: " and the message on stderr, on one line whatever it quotes (control
 * characters and bytes that are not UTF-8 are escaped), unless quiet. */
void shp_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
