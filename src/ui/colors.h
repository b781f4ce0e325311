/* colors: the active theme applied to the terminal: one colour pair per
 * theme slot, reduced to what the terminal can show (8, 16 or 256 colours),
 * or attributes only (the monochrome theme) when colours are off: NO_COLOR
 * set and not empty, a terminal without colours, or too few colour pairs.
 * Call after initscr(). */
#ifndef ACMETOP_UI_COLORS_H
#define ACMETOP_UI_COLORS_H

#include <stdbool.h>

#include <curses.h>

#include "ui/theme.h"

/* Set up the pairs for t. Returns true when colours are in use. */
bool colors_init(const struct theme *t);

/* The curses attributes (pair included) of a slot. */
attr_t colors_attr(enum theme_slot s);

/* The attributes of a context's name in the header: its colour ("red",
 * one of the eight ANSI names) as the background, bold; reverse video when
 * colours are off; the header's own when name is NULL or unknown. */
attr_t colors_context_attr(const char *name);

/* NO_COLOR is set to a non-empty value (https://no-color.org). */
bool colors_disabled_by_env(void);

#endif
