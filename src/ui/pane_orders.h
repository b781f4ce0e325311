/* pane_orders: the order list. One row per order of the view: stale mark
 * and status glyph, status, short ID, role, identifiers (first one + "+N"),
 * age, order expiry countdown, certificate expiry countdown, when it is due
 * for renewal (model/renew_window.h: `in 12d`, `due`, `overdue 3d`); columns are
 * dropped and sized by layout_columns(), text is cut by display width.
 * The first row holds the column titles (highlighted when focused). */
#ifndef ACMETOP_UI_PANE_ORDERS_H
#define ACMETOP_UI_PANE_ORDERS_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "ui/console_state.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/tick.h"

enum order_column { OCOL_MARK, OCOL_STATUS, OCOL_ID, OCOL_NAMESPACE, OCOL_MOUNT, OCOL_ROLE,
                    OCOL_IDENTIFIERS, OCOL_AGE, OCOL_EXPIRES, OCOL_CERT, OCOL_RENEW, OCOL_COUNT };

/* The column widths for a list `width` columns wide (0 = column hidden). */
/* places: the context watches several places (NAMESPACE and MOUNT shown). */
void pane_orders_columns(int width, bool places, int widths[OCOL_COUNT]);

/* Text of one cell, into buf (for tests and drawing); *slot gets its style.
 * cfg gives the renewal window (NULL: the defaults). */
const char *pane_orders_cell(const struct console_config *cfg, const struct order *o,
                             enum order_column col, time_t now, char *buf, size_t size,
                             enum theme_slot *slot);

void pane_orders_draw(struct console_state *c, const struct rect *r, bool focused, time_t now,
                      struct tick *tick);

/* The view index at screen row y, or -1. */
ssize_t pane_orders_hit(const struct console_state *c, const struct rect *r, int y);

#endif
