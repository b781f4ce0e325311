/* keylegend: the function bar on the last row, like htop's: the actions of
 * view's table (ui/actions.h) that have a legend label, as "KEYLabel" items. When the row is
 * too narrow, the items with the highest legend rank are left out (the
 * view may rank the focused pane's keys first: view_ops.legend_rank); the
 * others keep the table's order. The arithmetic is pure (tested); a click
 * on an item runs its action. */
#ifndef ACMETOP_UI_KEYLEGEND_H
#define ACMETOP_UI_KEYLEGEND_H

#include <stddef.h>

#include "ui/actions.h"
#include "ui/layout.h"

#define KEYLEGEND_MAX 24

struct legend_item {
    const struct action *action;
    char key[16];  /* the key as shown: the first word of key_label */
    int x;         /* first column */
    int key_w;     /* columns of the key */
    int w;         /* columns of key + label */
};

/* Items that fit in width columns (one space between items). Returns the
 * count written to items (at most KEYLEGEND_MAX). */
size_t keylegend_layout(const struct view_ops *view, const struct console_state *c, int width,
                        struct legend_item *items);

/* The action under column x of a legend `width` wide, or NULL. */
const struct action *keylegend_hit(const struct view_ops *view, const struct console_state *c,
                                   int width, int x);

void keylegend_draw(const struct view_ops *view, const struct console_state *c,
                    const struct rect *r);

#endif
