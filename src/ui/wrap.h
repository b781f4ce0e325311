/* wrap: break text into lines of at most `width` display columns, at spaces
 * or after a '/' (paths, URLs) when a word fits, else inside the word (long tokens such as key
 * authorizations), never inside a UTF-8 character; '\n' always breaks.
 * Pure: used for last_error "wrapped in full", dialogs and values. */
#ifndef ACMETOP_UI_WRAP_H
#define ACMETOP_UI_WRAP_H

#include <stddef.h>

/* The next line of s: *len bytes to show, then *skip bytes (>= *len) to
 * advance to the start of the following line (spaces and the '\n' that
 * ended this one are skipped). Returns 0 when s is empty (end of text). */
int wrap_next(const char *s, size_t width, size_t *len, size_t *skip);

/* Number of lines s takes at this width (at least 1). */
size_t wrap_count(const char *s, size_t width);

#endif
