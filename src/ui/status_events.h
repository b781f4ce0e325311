/* status_events: what the console records into its event log (model/
 * event_log.h) as Vault's order updates arrive: each order's status before
 * an update is noted, and every order whose status the update changed
 * becomes an event (new orders too, once the first complete listing is in:
 * the orders already there at start are not news). */
#ifndef ACMETOP_UI_STATUS_EVENTS_H
#define ACMETOP_UI_STATUS_EVENTS_H

#include <stddef.h>
#include <time.h>

struct console_state;
struct msg;

struct status_snapshot {
    size_t count;
    struct status_seen *items;
};

/* Before m (UPD_ORDERS, UPD_ORDER_DETAIL) is applied: the statuses it may change. */
void status_events_before(const struct console_state *c, const struct msg *m,
                          struct status_snapshot *s);
/* After: the changes into c->events; frees s. */
void status_events_after(struct console_state *c, struct status_snapshot *s, time_t now);

#endif
