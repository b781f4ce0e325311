/* keylegend: the key legend row (see keylegend.h). */
#include "ui/keylegend.h"

#include <string.h>

#include "model/text_width.h"
#include "ui/colors.h"
#include "ui/paint.h"

size_t keylegend_layout(int width, struct legend_item *items)
{
    size_t n_table;
    const struct action *table = actions_table(&n_table);
    bool chosen[64] = {false};
    int used = 0;
    /* pick by rank (lowest first), stable in table order */
    for (int rank = 0; rank < 100; rank++) {
        for (size_t i = 0; i < n_table && i < 64; i++) {
            const struct action *a = &table[i];
            if (!a->legend || a->legend_rank != rank)
                continue;
            size_t klen = strcspn(a->key_label, " ");
            char key[16];
            if (klen >= sizeof key)
                klen = sizeof key - 1;
            memcpy(key, a->key_label, klen);
            key[klen] = '\0';
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
    for (size_t i = 0; i < n_table && i < 64 && n < KEYLEGEND_MAX; i++) {
        if (!chosen[i])
            continue;
        struct legend_item *it = &items[n++];
        it->action = &table[i];
        size_t klen = strcspn(table[i].key_label, " ");
        if (klen >= sizeof it->key)
            klen = sizeof it->key - 1;
        memcpy(it->key, table[i].key_label, klen);
        it->key[klen] = '\0';
        it->key_w = (int)text_width(it->key);
        it->w = it->key_w + (int)text_width(table[i].legend);
        it->x = x;
        x += it->w + 1;
    }
    return n;
}

const struct action *keylegend_hit(int width, int x)
{
    struct legend_item items[KEYLEGEND_MAX];
    size_t n = keylegend_layout(width, items);
    for (size_t i = 0; i < n; i++)
        if (x >= items[i].x && x < items[i].x + items[i].w)
            return items[i].action;
    return NULL;
}

void keylegend_draw(const struct rect *r)
{
    struct legend_item items[KEYLEGEND_MAX];
    size_t n = keylegend_layout(r->w, items);
    paint_fill(r->y, r->x, r->w, colors_attr(THEME_NORMAL));
    for (size_t i = 0; i < n; i++) {
        int x = r->x + items[i].x;
        paint_text(r->y, x, items[i].key_w, colors_attr(THEME_LEGEND_KEY), items[i].key);
        paint_text(r->y, x + items[i].key_w, items[i].w - items[i].key_w,
                   colors_attr(THEME_LEGEND_LABEL), items[i].action->legend);
    }
}
