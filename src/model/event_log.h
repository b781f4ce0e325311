/* event_log: the status changes the console saw, newest first, in memory
 * (a ring of the last EVENT_LOG_MAX): when, which order, from and to, and
 * its last_error when that changed with it. A transition that happened
 * while nobody watched the screen is not lost. Pure data. */
#ifndef ACMETOP_MODEL_EVENT_LOG_H
#define ACMETOP_MODEL_EVENT_LOG_H

#include <stddef.h>
#include <time.h>

#define EVENT_LOG_MAX 1000

struct status_event {
    time_t at;
    char *order_id;
    char *identifier;  /* the order's first identifier, "" if none known */
    char *from;        /* the status before ("" when the order was new) */
    char *to;
    char *last_error;  /* the new last_error when it changed, else NULL */
};

struct event_log {
    struct status_event *items; /* a ring of EVENT_LOG_MAX */
    size_t start, count;
    unsigned long total;        /* every event ever added */
};

void event_log_add(struct event_log *l, time_t at, const char *order_id, const char *identifier,
                   const char *from, const char *to, const char *last_error);
/* The order's last_error arrived after its change (a summary carries the
 * status, the full order its error): give it to the newest event of that
 * order when that event is into `to` and has none. */
void event_log_attach_error(struct event_log *l, const char *order_id, const char *to,
                            const char *last_error);
/* The i-th newest event (0 = the last one), or NULL. */
const struct status_event *event_log_at(const struct event_log *l, size_t i);
void event_log_free(struct event_log *l);

#endif
