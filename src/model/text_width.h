/* text_width: how many terminal columns a UTF-8 string takes, and cutting it
 * to a number of columns (never in the middle of a character). Needs the
 * process locale set (setlocale(LC_ALL, "")) to know wide characters;
 * without a UTF-8 locale every byte counts as one column. */
#ifndef ACMETOP_TEXT_WIDTH_H
#define ACMETOP_TEXT_WIDTH_H

#include <stddef.h>

/* Columns of s (non-printable characters count 1). */
size_t text_width(const char *s);

/* Number of bytes of s that fit in `cols` columns, whole characters only. */
size_t text_fit_bytes(const char *s, size_t cols);

#endif
