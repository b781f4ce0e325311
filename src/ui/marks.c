/* marks: the marked orders (see marks.h). A handful of IDs: a plain array. */
#include "ui/marks.h"

#include <stdlib.h>
#include <string.h>

#include "model/order_store.h"
#include "model/xalloc.h"

static size_t find(const struct marks *m, const char *id)
{
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->ids[i], id) == 0)
            return i;
    return m->count;
}

static void drop(struct marks *m, size_t i)
{
    free(m->ids[i]);
    m->ids[i] = m->ids[--m->count];
}

bool marks_toggle(struct marks *m, const char *id)
{
    size_t i = find(m, id);
    if (i < m->count) {
        drop(m, i);
        return false;
    }
    m->ids = xrealloc(m->ids, (m->count + 1) * sizeof *m->ids);
    m->ids[m->count++] = xstrdup(id);
    return true;
}

bool marks_has(const struct marks *m, const char *id)
{
    return id && find(m, id) < m->count;
}

void marks_clear(struct marks *m)
{
    while (m->count)
        drop(m, m->count - 1);
    free(m->ids);
    m->ids = NULL;
}

void marks_prune(struct marks *m, const struct order_store *s)
{
    for (size_t i = m->count; i-- > 0;)
        if (!order_store_find(s, m->ids[i]))
            drop(m, i);
}
