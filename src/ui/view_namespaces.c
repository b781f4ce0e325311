/* view_namespaces: `:ns`, the namespaces the token can reach (LIST
 * sys/namespaces from the root down, read by the engine when the view
 * opens); one it may not list below is marked denied, not an error. The
 * first row is "*", every namespace in one list. Enter (or `:ns PATH`)
 * watches the selected one. */
#include "ui/view.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"
#include "ui/colors.h"
#include "ui/console_state.h"
#include "ui/context_switch.h"
#include "ui/keys.h"
#include "ui/list_keys.h"
#include "ui/paint.h"
#include "ui/views.h"


/* Row i: 0 is "*", then the namespaces as read. */
static const char *row_path(const struct console_state *c, size_t i)
{
    if (i == 0)
        return "*";
    return i - 1 < c->ns.count ? c->ns.items[i - 1].namespace_ : NULL;
}

static void namespaces_draw(struct console_state *c, const struct layout *l, time_t now,
                            struct tick *tick)
{
    (void)tick;
    (void)now;
    struct rect r = layout_body(l);
    size_t rows_n = c->ns.count + 1;
    if (c->ns_cursor >= rows_n)
        c->ns_cursor = rows_n - 1;
    attr_t title = colors_attr(THEME_TITLE_FOCUS);
    char line[1024];
    snprintf(line, sizeof line, " Namespaces  %s%s%s", c->ns.loading ? "reading..." : "",
             c->ns.error ? "  " : "", c->ns.error ? c->ns.error : "");
    paint_fill(r.y, r.x, r.w, title);
    paint_text_cut(r.y, r.x, r.w, title, line);
    paint_fill(r.y + 1, r.x, r.w, colors_attr(THEME_TITLE));
    paint_text(r.y + 1, r.x, r.w, colors_attr(THEME_TITLE), "   NAMESPACE                        LIST");
    const char *current = context_state_watched(c, false);
    for (int i = 0; i + 2 < r.h; i++) {
        int y = r.y + 2 + i;
        paint_fill(y, r.x, r.w, colors_attr(THEME_NORMAL));
        const char *path = row_path(c, (size_t)i);
        if (!path)
            continue;
        bool denied = i > 0 && c->ns.items[i - 1].denied;
        snprintf(line, sizeof line, " %s %-32.200s %s", strcmp(path, current) == 0 ? "*" : " ",
                 i == 0 ? "* (every namespace, one list)" : *path ? path : "(root)",
                 i == 0 ? "" : denied ? "denied: its children are not listed" : "");
        bool sel = (size_t)i == c->ns_cursor;
        attr_t a = sel ? colors_attr(THEME_SELECTED)
                       : colors_attr(denied ? THEME_DIM : THEME_NORMAL);
        if (sel)
            paint_fill(y, r.x, r.w, a);
        paint_text_cut(y, r.x, r.w, a, line);
    }
}

static bool namespaces_read(struct console_state *c, const struct msg *m, long arg)
{
    (void)arg;
    if (m->type != UPD_NAMESPACES)
        return false;
    console_state_ns_free(c);
    c->ns.loading = false;
    c->ns.count = m->u.namespaces.count;
    c->ns.items = xcalloc(c->ns.count ? c->ns.count : 1, sizeof *c->ns.items);
    for (size_t i = 0; i < c->ns.count; i++) {
        c->ns.items[i].namespace_ = xstrdup(m->u.namespaces.items[i].namespace_);
        c->ns.items[i].denied = m->u.namespaces.items[i].denied;
    }
    c->ns.error = m->u.namespaces.error ? xstrdup(m->u.namespaces.error) : NULL;
    c->dirty = true;
    return true;
}

static void namespaces_enter(struct console_state *c)
{
    c->ns.loading = true;
    uint64_t id = console_state_next_request(c);
    console_state_on_reply(c, id, namespaces_read, 0);
    console_state_send(c, msg_new_list_namespaces(id));
}

static void namespaces_move(struct console_state *c, long delta)
{
    list_keys_cursor_move(&c->ns_cursor, c->ns.count + 1, delta);
}

static void namespaces_back(struct console_state *c)
{
    views_switch(c, "orders");
}

static void run_switch(struct console_state *c, int key)
{
    (void)key;
    const char *path = row_path(c, c->ns_cursor);
    if (!path)
        return;
    context_switch(c, NULL, path);
    views_switch(c, "orders");
}

#define FN(k) ACTION_KEY_FN(k)
static const struct action actions[] = {
    {"switch-namespace", {'\n', '\r', FN(KEY_ENTER), 0}, "Enter", "Switch", 1,
     "watch the selected namespace (* : every one, with a NAMESPACE column)", false, run_switch,
     false},
};
#undef FN

const struct view_ops view_namespaces = {
    .name = "ns",
    .title = "Namespaces",
    .help = "The namespaces the token can reach, read from Vault (LIST sys/namespaces, "
            "recursively) when the view opens; a namespace whose children the token may not "
            "list says denied. Enter or :ns PATH watches one; :ns * watches every one in one "
            "list with a NAMESPACE column.",
    .actions = actions,
    .action_count = sizeof actions / sizeof actions[0],
    .draw = namespaces_draw,
    .enter = namespaces_enter,
    .list_move = namespaces_move,
    .back = namespaces_back,
};
