/* renewals_state: what the console keeps of renewals between frames (the
 * index of model/renew_index.h and when it was built); ui/renewals.c
 * keeps it current. Plain data in the console state; no console calls. */
#ifndef ACMETOP_UI_RENEWALS_STATE_H
#define ACMETOP_UI_RENEWALS_STATE_H

#include <stdbool.h>
#include <time.h>

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

#endif
