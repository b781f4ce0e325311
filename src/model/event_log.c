/* event_log: the console's status-change history (see event_log.h). */
#include "model/event_log.h"

#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"

static void event_clear(struct status_event *e)
{
    free(e->order_id);
    free(e->identifier);
    free(e->from);
    free(e->to);
    free(e->last_error);
}

void event_log_add(struct event_log *l, time_t at, const char *order_id, const char *identifier,
                   const char *from, const char *to, const char *last_error)
{
    if (!l->items)
        l->items = xcalloc(EVENT_LOG_MAX, sizeof *l->items);
    struct status_event *e;
    if (l->count == EVENT_LOG_MAX) { /* full: the oldest goes */
        e = &l->items[l->start];
        event_clear(e);
        l->start = (l->start + 1) % EVENT_LOG_MAX;
    } else {
        e = &l->items[(l->start + l->count++) % EVENT_LOG_MAX];
    }
    e->at = at;
    e->order_id = xstrdup(order_id ? order_id : "");
    e->identifier = xstrdup(identifier ? identifier : "");
    e->from = xstrdup(from ? from : "");
    e->to = xstrdup(to ? to : "");
    e->last_error = last_error ? xstrdup(last_error) : NULL;
    l->total++;
}

void event_log_attach_error(struct event_log *l, const char *order_id, const char *to,
                            const char *last_error)
{
    for (size_t i = 0; i < l->count; i++) {
        struct status_event *e = &l->items[(l->start + l->count - 1 - i) % EVENT_LOG_MAX];
        if (strcmp(e->order_id, order_id) != 0)
            continue;
        if (!e->last_error && strcmp(e->to, to) == 0)
            e->last_error = xstrdup(last_error);
        return; /* only its newest event */
    }
}

const struct status_event *event_log_at(const struct event_log *l, size_t i)
{
    if (i >= l->count)
        return NULL;
    return &l->items[(l->start + l->count - 1 - i) % EVENT_LOG_MAX];
}

void event_log_free(struct event_log *l)
{
    for (size_t i = 0; i < l->count; i++)
        event_clear(&l->items[(l->start + i) % EVENT_LOG_MAX]);
    free(l->items);
    l->items = NULL;
    l->start = l->count = 0;
}
