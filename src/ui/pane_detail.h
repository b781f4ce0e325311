/* pane_detail: every field of the selected order: IDs and its canonical
 * reference, status, role, identifiers, workflow, every date absolute (UTC)
 * and relative, serial and certificate validity, last_error wrapped in full,
 * why the data is stale when it is. Scrolls when longer than the pane. */
#ifndef ACMETOP_UI_PANE_DETAIL_H
#define ACMETOP_UI_PANE_DETAIL_H

#include <stdbool.h>
#include <time.h>

#include "ui/console_state.h"
#include "ui/layout.h"
#include "ui/textbuf.h"
#include "ui/tick.h"

/* The content for order o at a width (pure; tick may be NULL). */
void pane_detail_build(struct textbuf *tb, const struct console_state *c, const struct order *o,
                       size_t width, time_t now, struct tick *tick);

/* Draw in r (first row: title; with tabs when the lower pane is shared). */
void pane_detail_draw(struct console_state *c, const struct rect *r, bool focused, bool tabs,
                      time_t now, struct tick *tick);

/* The title row of the shared lower pane: "Detail | Challenges", the
 * visible one marked. Clicks on it switch (see mouse.c). */
void pane_title_draw(const struct rect *r, bool focused, bool tabs, enum pane which,
                     const char *extra);

#endif
