/* view_events: the status changes the console saw (model/event_log.h),
 * newest first, one row each: time, order, from -> to, first identifier;
 * the selected one's last_error under the list when it changed with it.
 * E on the orders opens it (and :events), Enter jumps to the order, Esc or
 * E goes back. --once is not concerned: it sees one moment. */
#include "ui/view.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "model/order.h"
#include "ui/colors.h"
#include "ui/keys.h"
#include "ui/list_keys.h"
#include "ui/console_state.h"
#include "ui/paint.h"
#include "ui/views.h"

#define ERROR_ROWS 3


static void events_draw(struct console_state *c, const struct layout *l, time_t now,
                        struct tick *tick)
{
    (void)tick;
    struct rect r = layout_body(l);
    const struct event_log *log = &c->events;
    if (log->count && c->events_cursor >= log->count)
        c->events_cursor = log->count - 1;
    const struct status_event *cur = event_log_at(log, c->events_cursor);
    int err_rows = cur && cur->last_error && r.h > ERROR_ROWS + 4 ? ERROR_ROWS : 0;
    attr_t title = colors_attr(THEME_TITLE_FOCUS);
    char line[512];
    snprintf(line, sizeof line, " Events  %zu status change%s seen since acmetop started%s",
             log->count, log->count == 1 ? "" : "s",
             log->total > log->count ? " (the oldest are dropped)" : "");
    paint_fill(r.y, r.x, r.w, title);
    paint_text(r.y, r.x, r.w, title, line);
    paint_fill(r.y + 1, r.x, r.w, colors_attr(THEME_TITLE));
    paint_text(r.y + 1, r.x, r.w, colors_attr(THEME_TITLE),
               "   TIME      ID        FROM -> TO                                     IDENTIFIER");
    int rows = r.h - 2 - err_rows;
    size_t top = c->events_cursor >= (size_t)(rows > 0 ? rows : 1)
                     ? c->events_cursor - (size_t)rows + 1
                     : 0;
    for (int i = 0; i < rows; i++) {
        int y = r.y + 2 + i;
        paint_fill(y, r.x, r.w, colors_attr(THEME_NORMAL));
        const struct status_event *e = event_log_at(log, top + (size_t)i);
        if (!e) {
            if (i == 0)
                paint_text(y, r.x + 3, r.w - 3, colors_attr(THEME_DIM),
                           "no status change yet: they appear here as Vault's updates arrive");
            continue;
        }
        struct tm tm;
        localtime_r(&e->at, &tm);
        char change[160];
        snprintf(change, sizeof change, "%s -> %s", *e->from ? e->from : "(new)", e->to);
        snprintf(line, sizeof line, "   %02d:%02d:%02d  %.*s  %-45.45s  %s", tm.tm_hour,
                 tm.tm_min, tm.tm_sec, order_short_id_len(e->order_id), e->order_id, change,
                 e->identifier);
        bool sel = top + (size_t)i == c->events_cursor;
        attr_t a = sel ? colors_attr(THEME_SELECTED) : colors_attr(THEME_NORMAL);
        if (sel)
            paint_fill(y, r.x, r.w, a);
        paint_text_cut(y, r.x, r.w, a, line);
    }
    for (int i = 0; i < err_rows; i++) {
        int y = r.y + r.h - err_rows + i;
        paint_fill(y, r.x, r.w, colors_attr(THEME_NORMAL));
        if (i == 0) {
            snprintf(line, sizeof line, " Last error  %s", cur->last_error);
            paint_text_cut(y, r.x, r.w, colors_attr(THEME_ERROR), line);
        }
    }
    (void)now;
}

/* j k, pages, Home End (the shared keys): the event cursor. */
static void events_move(struct console_state *c, long delta)
{
    list_keys_cursor_move(&c->events_cursor, c->events.count, delta);
}

static void run_event_order(struct console_state *c, int key)
{
    (void)key;
    const struct status_event *e = event_log_at(&c->events, c->events_cursor);
    views_switch(c, "orders");
    if (!e)
        return;
    if (!order_store_find(c->store, e->order_id)) {
        console_state_say(c, MESSAGE_ERROR, "order %.*s is no longer listed",
                          order_short_id_len(e->order_id), e->order_id);
        return;
    }
    console_state_select_id(c, e->order_id);
}

static void events_back(struct console_state *c)
{
    views_switch(c, "orders");
}

static void run_events_back(struct console_state *c, int key)
{
    (void)key;
    events_back(c);
}

#define FN(k) ACTION_KEY_FN(k)
static const struct action actions[] = {
    {"event-order", {'\n', '\r', FN(KEY_ENTER), 0}, "Enter", "Order", 1,
     "show the event's order in the order list", false, run_event_order, false},
    {"events-back", {'E', 0}, "E", "Back", 1, "back to the orders (Esc too)", false,
     run_events_back, false},
};
#undef FN

const struct view_ops view_events = {
    .name = "events",
    .title = "Events",
    .help = "Every status change of an order the console saw since it started, newest first "
            "(the last 1000): when, which order, from and to, and the order's last error when "
            "it changed with it. A transition that happened while nobody watched is here. "
            "Enter shows the order; Esc goes back.",
    .actions = actions,
    .action_count = sizeof actions / sizeof actions[0],
    .draw = events_draw,
    .list_move = events_move,
    .back = events_back,
};
