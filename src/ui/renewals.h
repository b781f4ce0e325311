/* renewals: the console's view of renewals (model/renew_index.h) kept
 * current: rebuilt from every order when the store changed or a renewal
 * window opened or closed since the last frame; the header's due/overdue
 * counts, the detail's "renews"/"renewed by" lines and `H` (hide the
 * certificates a newer order superseded) read it. */
#ifndef ACMETOP_UI_RENEWALS_H
#define ACMETOP_UI_RENEWALS_H

#include <stdbool.h>
#include <time.h>

#include "ui/renewals_state.h"

struct console_state;
struct tick;

/* Before a frame: rebuild when needed (the orders changed: after a gap of
 * 200 times the last build's time, 1 s to 15 s, as 20,000 orders take
 * about 20 ms; or a window opened or closed, at most once a minute),
 * hide what is superseded when asked (the selection is kept when it can
 * be), and note on tick when the counts change next. */
void renewals_refresh(struct console_state *c, time_t now, struct tick *tick);

/* `H`: hide or show superseded certificates. */
void renewals_set_hide(struct console_state *c, bool hide);

#endif
