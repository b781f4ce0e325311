/* glyphs: the one-column symbols and short words that mark statuses in the
 * console (order status, challenge status, connection state), in Unicode
 * when the locale is UTF-8 and in plain ASCII otherwise. Each status has
 * its own symbol, so statuses stay apart on monochrome terminals too. */
#ifndef ACMETOP_UI_GLYPHS_H
#define ACMETOP_UI_GLYPHS_H

#include <stdbool.h>

#include "model/msg.h"
#include "model/order_status.h"
#include "ui/theme.h"

/* Choose Unicode (true) or ASCII symbols. Default: ASCII. */
void glyphs_use_unicode(bool on);
bool glyphs_unicode(void);

const char *glyph_order_status(enum order_status s);
/* Short status word for the list ("awaiting", "fetching"); the full name is
 * order_status_name(). */
const char *glyph_order_status_short(enum order_status s);
enum theme_slot glyph_order_status_slot(enum order_status s);

/* Challenge statuses: pending, processing, valid, invalid, anything else. */
const char *glyph_challenge_status(const char *status);
enum theme_slot glyph_challenge_status_slot(const char *status);

const char *glyph_connection(enum conn_state s);
enum theme_slot glyph_connection_slot(enum conn_state s);

/* "…" or "~": marks text cut to fit. */
const char *glyph_ellipsis(void);
/* The vertical line between panes. */
const char *glyph_vline(void);
/* Arrows for the sort direction. */
const char *glyph_sort(bool reverse);

#endif
