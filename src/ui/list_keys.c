/* list_keys: the shared list keys on the view on screen (see list_keys.h). */
#include "ui/list_keys.h"

#include <limits.h>

#include "ui/console_state.h"
#include "ui/resource_view.h"
#include "ui/views.h"

struct filter_input *list_keys_filter(struct console_state *c)
{
    const struct view_ops *v = views_current(c);
    return v->resource ? &resource_view_list(c, v->resource)->filter : &c->list.filter;
}

void list_keys_filter_changed(struct console_state *c)
{
    const struct view_ops *v = views_current(c);
    if (v->resource)
        resource_view_filter_changed(c, v->resource);
    else
        console_state_apply_filter(c);
}

size_t list_keys_shown(struct console_state *c)
{
    const struct view_ops *v = views_current(c);
    return v->resource ? resource_view_shown(c, v->resource) : order_store_view_count(c->store);
}

const char *list_keys_noun(struct console_state *c)
{
    const struct view_ops *v = views_current(c);
    return v->resource ? resource_kind_name(v->resource->kind) : "orders";
}

void list_keys_cursor_move(size_t *cursor, size_t n, long delta)
{
    if (!n)
        return;
    long v = delta == LONG_MIN   ? 0
             : delta == LONG_MAX ? (long)n - 1
                                 : (long)*cursor + delta;
    *cursor = v < 0 ? 0 : v >= (long)n ? n - 1 : (size_t)v;
}
