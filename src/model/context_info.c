/* context_info: copies and labels of the console's view of its Vault (see
 * context_info.h). */
#include "model/context_info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

void context_info_copy(struct context_info *dst, const struct context_info *src)
{
    *dst = *src;
    dst->name = dup_or_empty(src->name);
    dst->color = dup_or_empty(src->color);
    dst->addr = dup_or_empty(src->addr);
    dst->places = xcalloc(src->place_count ? src->place_count : 1, sizeof *dst->places);
    for (size_t i = 0; i < src->place_count; i++) {
        dst->places[i].namespace_ = dup_or_empty(src->places[i].namespace_);
        dst->places[i].mount = dup_or_empty(src->places[i].mount);
        dst->places[i].denied = src->places[i].denied;
    }
    dst->rows = xcalloc(src->row_count ? src->row_count : 1, sizeof *dst->rows);
    for (size_t i = 0; i < src->row_count; i++) {
        const struct context_row *s = &src->rows[i];
        struct context_row *d = &dst->rows[i];
        d->name = dup_or_empty(s->name);
        d->addr = dup_or_empty(s->addr);
        d->namespace_ = dup_or_empty(s->namespace_);
        d->mount = dup_or_empty(s->mount);
        d->color = dup_or_empty(s->color);
        d->readonly = s->readonly;
    }
}

void context_info_free(struct context_info *c)
{
    if (!c)
        return;
    free(c->name);
    free(c->color);
    free(c->addr);
    for (size_t i = 0; i < c->place_count; i++) {
        free(c->places[i].namespace_);
        free(c->places[i].mount);
    }
    free(c->places);
    for (size_t i = 0; i < c->row_count; i++) {
        free(c->rows[i].name);
        free(c->rows[i].addr);
        free(c->rows[i].namespace_);
        free(c->rows[i].mount);
        free(c->rows[i].color);
    }
    free(c->rows);
    memset(c, 0, sizeof *c);
}

void context_place_label(const struct context_info *c, unsigned place, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    if (!c || place >= c->place_count)
        return;
    const struct context_place *p = &c->places[place];
    if (p->namespace_ && p->namespace_[0])
        snprintf(buf, size, "%s/%s", p->namespace_, p->mount ? p->mount : "");
    else
        snprintf(buf, size, "%s", p->mount ? p->mount : "");
}
