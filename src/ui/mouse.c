/* mouse: pointer events -> console operations (see mouse.h). */
#include "ui/mouse.h"

#include <sys/types.h>

#include "ui/actions.h"
#include "ui/keylegend.h"
#include "ui/pane_challenges.h"
#include "ui/pane_orders.h"
#include "ui/resource_view.h"
#include "ui/views.h"

const char mouse_help[] =
    "A click selects an order or a challenge and focuses its pane; a click on the title "
    "\"Detail / Challenges\" of the lower pane switches it; the wheel scrolls the pane under "
    "the pointer; a click on the key legend runs that key.";

#define WHEEL_STEP 3

static void scroll_pane(struct console_state *c, enum pane p, long delta)
{
    long v;
    const struct resource_view *rv = views_current(c)->resource;
    if (rv && p == PANE_CHALLENGES)
        p = PANE_DETAIL; /* a resource view's detail spans the lower panes */
    switch (p) {
    case PANE_LIST:
        if (rv)
            resource_view_move(c, rv, delta);
        else
            console_state_move(c, delta);
        break;
    case PANE_DETAIL:
        v = (long)c->panes.detail_scroll + delta;
        if (v > (long)c->panes.detail_lines - (long)c->panes.detail_rows)
            v = (long)c->panes.detail_lines - (long)c->panes.detail_rows;
        c->panes.detail_scroll = v > 0 ? (size_t)v : 0;
        break;
    case PANE_CHALLENGES:
        v = (long)c->panes.chal_scroll + delta;
        if (v > (long)c->panes.chal_lines - (long)c->panes.chal_rows)
            v = (long)c->panes.chal_lines - (long)c->panes.chal_rows;
        c->panes.chal_scroll = v > 0 ? (size_t)v : 0;
        c->panes.chal_follow = false;
        break;
    default:
        break;
    }
}

bool mouse_handle(struct console_state *c, const struct layout *l, enum mouse_kind kind, int y,
                  int x, time_t now)
{
    if (l->too_small || c->dialog || c->help_open || c->list.filter_editing)
        return false;
    enum pane under = PANE_COUNT;
    for (int p = 0; p < PANE_COUNT; p++)
        if (rect_contains(layout_pane(l, (enum pane)p), y, x))
            under = (enum pane)p;

    if (kind != MOUSE_CLICK) {
        if (under == PANE_COUNT)
            return false;
        scroll_pane(c, under, kind == MOUSE_WHEEL_UP ? -WHEEL_STEP : WHEEL_STEP);
        return true;
    }
    if (rect_contains(&l->legend, y, x)) {
        const struct action *a = keylegend_hit(views_current(c), c, l->legend.w, x - l->legend.x);
        if (a)
            actions_trigger(c, a);
        return a != NULL;
    }
    if (under == PANE_COUNT)
        return false;
    const struct rect *r = layout_pane(l, under);
    const struct resource_view *rv = views_current(c)->resource;
    if (rv) { /* roles, accounts, DNS providers: a row, or the detail */
        c->panes.focus = under == PANE_LIST ? PANE_LIST : PANE_DETAIL;
        ssize_t idx = under == PANE_LIST ? resource_view_hit(c, rv, y) : -1;
        if (idx >= 0)
            resource_view_select(c, rv, (size_t)idx);
        return true;
    }
    if (under == PANE_LIST) {
        c->panes.focus = PANE_LIST;
        ssize_t idx = pane_orders_hit(c, r, y);
        if (idx >= 0 && (size_t)idx < order_store_view_count(c->store))
            console_state_select(c, (size_t)idx);
        return true;
    }
    if (y == r->y && !l->split) {
        /* the tab title of the shared lower pane: "[Detail]  Challenges" */
        enum pane want = x - r->x < 10 ? PANE_DETAIL : PANE_CHALLENGES;
        c->panes.bottom = want;
        c->panes.focus = want;
        return true;
    }
    c->panes.focus = under;
    if (under == PANE_CHALLENGES) {
        long tag = pane_challenges_hit(c, r, y, now);
        if (tag >= 0) {
            c->panes.chal_cursor = (size_t)tag;
            c->panes.chal_follow = false;
        }
    }
    return true;
}
