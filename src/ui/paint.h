/* paint: the few ways the console puts text on the screen (stdscr), all
 * cut by display width so nothing spills into a neighbouring pane or wraps
 * to the next row: a string, a filled row, a textbuf in a rect with a
 * scroll offset. Text is sanitised again on the way out (defence in depth:
 * whatever reaches the terminal holds no control character). */
#ifndef ACMETOP_UI_PAINT_H
#define ACMETOP_UI_PAINT_H

#include <stddef.h>

#include <curses.h>

#include "ui/layout.h"
#include "ui/textbuf.h"

/* Draw text at (y, x) in at most w columns with attr. Returns the columns
 * used. */
int paint_text(int y, int x, int w, attr_t attr, const char *text);

/* Like paint_text, but when text does not fit, its end is replaced by an
 * ellipsis so the cut shows. */
int paint_text_cut(int y, int x, int w, attr_t attr, const char *text);

/* Spaces over w columns. */
void paint_fill(int y, int x, int w, attr_t attr);

/* Lines scroll .. scroll + r->h - 1 of tb into r on a background of base.
 * A line whose tag equals mark_tag (>= 0) is drawn in mark_attr across the
 * whole row. Segments styled THEME_SLOT_COUNT take the row's style. */
void paint_textbuf(const struct textbuf *tb, const struct rect *r, size_t scroll,
                   long mark_tag, attr_t mark_attr, attr_t base);

#endif
