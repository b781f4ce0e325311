/* view_contexts: `:ctx`, the contexts of the config file ([context NAME]):
 * name, address, namespace, mount, read-only (as the section says them: "-"
 * where it leaves the top lines' value), and the last state the console
 * saw in each; the one in use is marked. Enter (or `:ctx NAME`)
 * switches: the engine closes the old places and opens the new ones, the
 * list empties and refills (at once from the cache of orders the engine
 * keeps for each place). */
#include "ui/view.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "model/reltime.h"
#include "ui/colors.h"
#include "ui/console_state.h"
#include "ui/context_switch.h"
#include "ui/keys.h"
#include "ui/list_keys.h"
#include "ui/paint.h"
#include "ui/views.h"


static void state_text(const struct console_state *c, const struct context_row *row,
                       time_t now, char *buf, size_t size)
{
    const struct context_seen *s = context_state_seen(c, row->name);
    bool current = c->context.name && strcmp(c->context.name, row->name) == 0;
    if (!s || !s->at) {
        snprintf(buf, size, "%s", current ? "in use" : "not seen yet");
        return;
    }
    char ago[RELTIME_BUF];
    snprintf(buf, size, "%s%s %s", current ? "in use, " : "", conn_state_name(s->state),
             reltime_format(s->at, now, ago, sizeof ago));
}

static void contexts_draw(struct console_state *c, const struct layout *l, time_t now,
                          struct tick *tick)
{
    (void)tick;
    struct rect r = layout_body(l);
    const struct context_info *x = &c->context;
    if (x->row_count && c->ctx_cursor >= x->row_count)
        c->ctx_cursor = x->row_count - 1;
    attr_t title = colors_attr(THEME_TITLE_FOCUS);
    char line[1024];
    snprintf(line, sizeof line, " Contexts  %zu in the config file; Enter switches", x->row_count);
    paint_fill(r.y, r.x, r.w, title);
    paint_text(r.y, r.x, r.w, title, line);
    paint_fill(r.y + 1, r.x, r.w, colors_attr(THEME_TITLE));
    snprintf(line, sizeof line, "   %-14s %-32s %-14s %-16s %-4s %s", "NAME", "ADDR", "NAMESPACE",
             "MOUNT", "RO", "STATE");
    paint_text(r.y + 1, r.x, r.w, colors_attr(THEME_TITLE), line);
    for (int i = 0; i + 2 < r.h; i++) {
        int y = r.y + 2 + i;
        paint_fill(y, r.x, r.w, colors_attr(THEME_NORMAL));
        if ((size_t)i >= x->row_count) {
            if (i == 0)
                paint_text(y, r.x + 3, r.w - 3, colors_attr(THEME_DIM),
                           "no contexts: add [context NAME] sections to the config file "
                           "(see the README)");
            continue;
        }
        const struct context_row *row = &x->rows[i];
        char state[128];
        state_text(c, row, now, state, sizeof state);
        bool current = x->name && strcmp(x->name, row->name) == 0;
        snprintf(line, sizeof line, " %s %-14.14s %-32.32s %-14.14s %-16.16s %-4s %s",
                 current ? "*" : " ", row->name, *row->addr ? row->addr : "-",
                 *row->namespace_ ? row->namespace_ : "-", *row->mount ? row->mount : "-",
                 row->readonly ? "yes" : "", state);
        bool sel = (size_t)i == c->ctx_cursor;
        attr_t a = sel ? colors_attr(THEME_SELECTED) : colors_attr(THEME_NORMAL);
        if (sel)
            paint_fill(y, r.x, r.w, a);
        paint_text_cut(y, r.x, r.w, a, line);
        if (!sel && *row->color) /* the name in the context's colour, as in the header */
            paint_text(y, r.x + 3, 14, colors_context_attr(row->color), row->name);
    }
}

static void contexts_move(struct console_state *c, long delta)
{
    list_keys_cursor_move(&c->ctx_cursor, c->context.row_count, delta);
}

static void contexts_back(struct console_state *c)
{
    views_switch(c, "orders");
}

static void run_switch(struct console_state *c, int key)
{
    (void)key;
    if (c->ctx_cursor >= c->context.row_count)
        return;
    context_switch(c, c->context.rows[c->ctx_cursor].name, NULL);
    views_switch(c, "orders");
}

#define FN(k) ACTION_KEY_FN(k)
static const struct action actions[] = {
    {"switch-context", {'\n', '\r', FN(KEY_ENTER), 0}, "Enter", "Switch", 1,
     "watch the selected context instead (the list reloads)", false, run_switch, false},
};
#undef FN

const struct view_ops view_contexts = {
    .name = "ctx",
    .title = "Contexts",
    .help = "The contexts of the config file ([context NAME] sections): address, namespace, "
            "mount, read-only, and the last state seen in each. Enter or :ctx NAME switches; "
            "the header always shows the context in use, in its colour. In a read-only "
            "context every write to Vault is refused before it is built.",
    .actions = actions,
    .action_count = sizeof actions / sizeof actions[0],
    .draw = contexts_draw,
    .list_move = contexts_move,
    .back = contexts_back,
};
