/* resource_list: the console's copy of one kind of resource (see
 * resource_list.h). */
#include "ui/resource_list.h"

#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"

void resource_list_init(struct resource_list *l)
{
    memset(l, 0, sizeof *l);
    filter_input_clear(&l->filter);
}

static void free_rows(struct resource_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].item.key);
        free(rows[i].item.json);
        free(rows[i].item.error);
        if (rows[i].obj && rows[i].free_obj)
            rows[i].free_obj(rows[i].obj);
    }
    free(rows);
}

void resource_list_free(struct resource_list *l)
{
    free_rows(l->rows, l->count);
    free(l->error);
    free(l->shown);
    free(l->selected_key);
    memset(l, 0, sizeof *l);
}

void resource_list_apply(struct resource_list *l, const struct msg *m, time_t now)
{
    if (m->request_id && m->request_id == l->pending)
        l->pending = 0;
    l->loaded = true;
    l->read_at = now;
    l->listed = m->u.resources.listed;
    free(l->error);
    l->error = m->u.resources.error ? xstrdup(m->u.resources.error) : NULL;
    if (!l->listed)
        return; /* keep what was read before: the view says it is not current */
    free_rows(l->rows, l->count);
    l->count = m->u.resources.count;
    l->rows = l->count ? xcalloc(l->count, sizeof(*l->rows)) : NULL;
    struct resource_item *copy = resource_items_copy(m->u.resources.items, l->count);
    for (size_t i = 0; i < l->count; i++)
        l->rows[i].item = copy[i]; /* the strings move from the copy */
    free(copy);
    l->reshape = true;
}

const struct resource_row *resource_list_selected(const struct resource_list *l)
{
    if (!l->selected_key || l->selected >= l->shown_count)
        return NULL;
    return &l->rows[l->shown[l->selected]];
}
