/* status_events: status changes into the console's event log (see
 * status_events.h). */
#include "ui/status_events.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model/msg.h"
#include "model/xalloc.h"
#include "ui/console_state.h"

struct status_seen {
    char *id;
    bool known;        /* the store had it */
    char *status;      /* its status as shown, before */
    char *last_error;  /* before */
};

static void note(const struct console_state *c, struct status_snapshot *s, const char *id)
{
    if (!id)
        return;
    struct status_seen *e = &s->items[s->count++];
    const struct order *o = order_store_find(c->store, id);
    e->id = xstrdup(id);
    e->known = o != NULL;
    e->status = o ? xstrdup(order_status_display(o)) : NULL;
    e->last_error = o && o->last_error ? xstrdup(o->last_error) : NULL;
}

void status_events_before(const struct console_state *c, const struct msg *m,
                          struct status_snapshot *s)
{
    s->count = 0;
    s->items = NULL;
    if (m->type == UPD_ORDERS && m->u.orders.count) {
        s->items = xcalloc(m->u.orders.count, sizeof *s->items);
        for (size_t i = 0; i < m->u.orders.count; i++)
            note(c, s, m->u.orders.items[i].id);
    } else if (m->type == UPD_ORDER_DETAIL) {
        s->items = xcalloc(1, sizeof *s->items);
        note(c, s, m->u.order_detail.order.id);
    }
}

static bool same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

void status_events_after(struct console_state *c, struct status_snapshot *s, time_t now)
{
    for (size_t i = 0; i < s->count; i++) {
        struct status_seen *e = &s->items[i];
        const struct order *o = order_store_find(c->store, e->id);
        const char *to = o ? order_status_display(o) : NULL;
        bool news = o && (e->known ? !same(e->status, to) : c->events_armed);
        bool error_changed = o && o->last_error && *o->last_error &&
                             !same(e->last_error, o->last_error);
        if (news)
            event_log_add(&c->events, now, o->id,
                          o->identifier_count ? o->identifiers[0] : "", e->status, to,
                          error_changed ? o->last_error : NULL);
        else if (error_changed) /* the full order after its summary */
            event_log_attach_error(&c->events, o->id, to, o->last_error);
        free(e->id);
        free(e->status);
        free(e->last_error);
    }
    free(s->items);
    s->items = NULL;
    s->count = 0;
}
