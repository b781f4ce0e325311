/* view: one kind of thing the console lists (the orders today; the roles,
 * ACME accounts and DNS providers are the next ones), as htop's PanelClass
 * or k9s's views: a module with an ops table that says what the view is
 * called, how it draws its panes (the list and the panes below or beside
 * it) from the model, which keys it adds to the action table, its help,
 * and what it asks the engine for. The views are listed in views.c; the
 * console shows one at a time (c->view) and switches with views_switch(). */
#ifndef ACMETOP_UI_VIEW_H
#define ACMETOP_UI_VIEW_H

#include <stddef.h>
#include <time.h>

#include "ui/action.h"
#include "ui/layout.h"
#include "ui/tick.h"

struct console_state;
struct resource_view;

struct view_ops {
    const char *name;            /* "orders": what :NAME will switch to */
    const char *title;           /* "Orders" */
    const char *help;            /* a paragraph for the help screen */
    const struct action *actions; /* the keys this view adds */
    size_t action_count;
    /* Draw the view's panes into l's list, detail and challenges rects. */
    void (*draw)(struct console_state *c, const struct layout *l, time_t now,
                 struct tick *tick);
    /* The view came on screen: what it asks the engine for first. */
    void (*enter)(struct console_state *c);
    /* After each round of input: what the engine should know of what the
     * operator looks at (CMD_FOCUS_ORDER for the orders). */
    void (*after_input)(struct console_state *c);
    /* Work the view plans without input (a debounced fetch): do it when due;
     * milliseconds until it wants to run again, or -1. now_ms: monotonic. */
    long (*timer)(struct console_state *c, const struct layout *l, long long now_ms);
    /* Optional: the rows the list needs (titles + entries), so that a short
     * list leaves its blank rows to the panes below; 0 or NULL = no cap. */
    int (*list_rows)(const struct console_state *c);
    /* Optional: an action's legend rank now (lower shows first when the row
     * is too narrow), e.g. the focused pane's keys first; NULL = its own. */
    int (*legend_rank)(const struct console_state *c, const struct action *a);
    /* Optional, for a view with one list of its own: the shared moving keys
     * (j k, pages, Home End) move its cursor by delta rows (a page is
     * `page` rows; LONG_MIN/LONG_MAX: the first/last), and Esc calls back;
     * NULL = the order list's panes. */
    void (*list_move)(struct console_state *c, long delta);
    void (*back)(struct console_state *c);
    /* A view of roles, accounts or DNS providers (ui/resource_view.h): the
     * shared list keys (move, filter, sort, refresh) act on its list; NULL
     * for the orders. */
    const struct resource_view *resource;
};

#endif
