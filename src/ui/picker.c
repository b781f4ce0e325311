/* picker: a cursor over a list of entries (see picker.h). */
#include "ui/picker.h"

#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"

void picker_init(struct picker *p)
{
    memset(p, 0, sizeof *p);
}

void picker_free(struct picker *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free(p->items[i].label);
        free(p->items[i].detail);
    }
    free(p->items);
    picker_init(p);
}

void picker_add(struct picker *p, const char *label, const char *detail)
{
    p->items = xrealloc(p->items, (p->count + 1) * sizeof(*p->items));
    p->items[p->count].label = xstrdup(label ? label : "");
    p->items[p->count].detail = xstrdup(detail);
    p->count++;
}

void picker_set(struct picker *p, size_t index)
{
    if (p->count == 0) {
        p->cursor = p->top = 0;
        return;
    }
    p->cursor = index < p->count ? index : p->count - 1;
}

void picker_move(struct picker *p, long delta)
{
    long v = (long)p->cursor + delta;
    if (v < 0)
        v = 0;
    picker_set(p, (size_t)v);
}

const struct picker_item *picker_current(const struct picker *p)
{
    return p->count ? &p->items[p->cursor] : NULL;
}

void picker_scroll(struct picker *p, size_t rows)
{
    if (rows == 0)
        rows = 1;
    if (p->cursor < p->top)
        p->top = p->cursor;
    else if (p->cursor >= p->top + rows)
        p->top = p->cursor - rows + 1;
    if (p->count <= rows)
        p->top = 0;
    else if (p->top > p->count - rows)
        p->top = p->count - rows;
}
