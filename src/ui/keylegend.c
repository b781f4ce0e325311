/* keylegend: the key legend row (see keylegend.h). */
#include "ui/keylegend.h"

#include <string.h>

#include "model/text_width.h"
#include "ui/colors.h"
#include "ui/paint.h"

#define LEGEND_ROWS_MAX 64

/* The key as shown: the first word of the key label. */
static size_t first_key(const struct action *a, char *buf, size_t size)
{
    size_t klen = strcspn(a->key_label, " ");
    if (klen >= size)
        klen = size - 1;
    memcpy(buf, a->key_label, klen);
    buf[klen] = '\0';
    return klen;
}

/* The rank the legend uses for a now (0..99). */
static int rank_of(const struct view_ops *view, const struct console_state *c,
                   const struct action *a)
{
    int r = view && view->legend_rank && c ? view->legend_rank(c, a) : a->legend_rank;
    return r < 0 ? 0 : r > 99 ? 99 : r;
}

size_t keylegend_layout(const struct view_ops *view, const struct console_state *c, int width,
                        struct legend_item *items)
{
    size_t n_table = actions_count(view);
    bool chosen[LEGEND_ROWS_MAX] = {false};
    int used = 0;
    /* pick by rank (lowest first), stable in table order */
    for (int rank = 0; rank < 100; rank++) {
        for (size_t i = 0; i < n_table && i < LEGEND_ROWS_MAX; i++) {
            const struct action *a = actions_at(view, i);
            if (!a->legend || rank_of(view, c, a) != rank)
                continue;
            char key[16];
            first_key(a, key, sizeof key);
            int w = (int)(text_width(key) + text_width(a->legend));
            int need = used ? w + 1 : w;
            if (used + need > width)
                continue;
            used += need;
            chosen[i] = true;
        }
    }
    size_t n = 0;
    int x = 0;
    for (size_t i = 0; i < n_table && i < LEGEND_ROWS_MAX && n < KEYLEGEND_MAX; i++) {
        if (!chosen[i])
            continue;
        const struct action *a = actions_at(view, i);
        struct legend_item *it = &items[n++];
        it->action = a;
        first_key(a, it->key, sizeof it->key);
        it->key_w = (int)text_width(it->key);
        it->w = it->key_w + (int)text_width(a->legend);
        it->x = x;
        x += it->w + 1;
    }
    return n;
}

const struct action *keylegend_hit(const struct view_ops *view, const struct console_state *c,
                                   int width, int x)
{
    struct legend_item items[KEYLEGEND_MAX];
    size_t n = keylegend_layout(view, c, width, items);
    for (size_t i = 0; i < n; i++)
        if (x >= items[i].x && x < items[i].x + items[i].w)
            return items[i].action;
    return NULL;
}

void keylegend_draw(const struct view_ops *view, const struct console_state *c,
                    const struct rect *r)
{
    struct legend_item items[KEYLEGEND_MAX];
    size_t n = keylegend_layout(view, c, r->w, items);
    paint_fill(r->y, r->x, r->w, colors_attr(THEME_NORMAL));
    for (size_t i = 0; i < n; i++) {
        int x = r->x + items[i].x;
        paint_text(r->y, x, items[i].key_w, colors_attr(THEME_LEGEND_KEY), items[i].key);
        paint_text(r->y, x + items[i].key_w, items[i].w - items[i].key_w,
                   colors_attr(THEME_LEGEND_LABEL), items[i].action->legend);
    }
}
