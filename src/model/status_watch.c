/* status_watch: the last status of each order, and its changes (see
 * status_watch.h).  The IDs live in an id_index; their statuses in an
 * array under the same numbers. */
#include "model/status_watch.h"

#include <stdlib.h>
#include <string.h>

#include "model/id_index.h"
#include "model/xalloc.h"

struct seen {
    char *status;
    time_t last_update;
};

struct status_watch {
    struct id_index ids;
    struct seen *seen; /* ids.n of them */
    size_t cap;
    bool listed;
    char *old; /* the status the last change came from */
};

struct status_watch *status_watch_new(void)
{
    return xcalloc(1, sizeof(struct status_watch));
}

void status_watch_free(struct status_watch *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->ids.n; i++)
        free(w->seen[i].status);
    free(w->seen);
    id_index_free(&w->ids);
    free(w->old);
    free(w);
}

void status_watch_listed(struct status_watch *w)
{
    w->listed = true;
}

bool status_watch_see(struct status_watch *w, const struct order *o, const char **old_status)
{
    if (!o->id)
        return false;
    const char *now = order_status_display(o);
    size_t k = id_index_find(&w->ids, o->id);
    if (k == ID_INDEX_NONE) {
        k = id_index_add(&w->ids, o->id);
        if (k >= w->cap) {
            w->cap = w->cap ? w->cap * 2 : 64;
            w->seen = xrealloc(w->seen, w->cap * sizeof *w->seen);
        }
        w->seen[k] = (struct seen){xstrdup(now), o->last_update};
        if (!w->listed)
            return false;
        free(w->old);
        w->old = xstrdup("");
        *old_status = w->old;
        return true;
    }
    struct seen *s = &w->seen[k];
    if (o->last_update && s->last_update && o->last_update < s->last_update)
        return false; /* an older answer than the one we have */
    if (o->last_update)
        s->last_update = o->last_update;
    if (strcmp(s->status, now) == 0)
        return false;
    free(w->old);
    w->old = s->status;
    s->status = xstrdup(now);
    *old_status = w->old;
    return true;
}
