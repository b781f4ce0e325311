/* renewals: the console's view of renewals (model/renew_index.h) kept
 * current: rebuilt from every order when the store changed or a renewal
 * window opened or closed since the last frame; the header's due/overdue
 * counts, the detail's "renews"/"renewed by" lines and `H` (hide the
 * certificates a newer order superseded) read it. */
#ifndef ACMETOP_UI_RENEWALS_H
#define ACMETOP_UI_RENEWALS_H

#include <stdbool.h>
#include <time.h>

struct console_state;
struct tick;

struct renewals {
    struct renew_index *index;
    unsigned long generation; /* the store's data generation when last built */
    time_t next_change;       /* rebuild at this wall time too */
    long long built_ms;       /* monotonic time of the last build, 0: never */
    long long gap_ms;         /* the least time to the next build the orders ask for */
    bool hide_superseded;     /* `H` */
};

void renewals_init(struct renewals *r);
void renewals_free(struct renewals *r);

/* Before a frame: rebuild when needed (the orders changed: after a gap of
 * 200 times the last build's time, 1 s to 15 s, as 20,000 orders take
 * about 20 ms; or a window opened or closed, at most once a minute),
 * hide what is superseded when asked (the selection is kept when it can
 * be), and note on tick when the counts change next. */
void renewals_refresh(struct console_state *c, time_t now, struct tick *tick);

/* `H`: hide or show superseded certificates. */
void renewals_set_hide(struct console_state *c, bool hide);

#endif
