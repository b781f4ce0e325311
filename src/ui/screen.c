/* screen: composes a frame (see screen.h). */
#include "ui/screen.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "model/text_width.h"
#include "ui/colors.h"
#include "ui/dialog.h"
#include "ui/glyphs.h"
#include "ui/header.h"
#include "ui/help.h"
#include "ui/keylegend.h"
#include "ui/list_keys.h"
#include "ui/paint.h"
#include "ui/renewals.h"
#include "ui/pane_responder.h"
#include "ui/textbuf.h"
#include "ui/views.h"
#include "ui/wrap.h"

static void draw_too_small(const struct layout *l)
{
    char need[64], have[64];
    snprintf(need, sizeof need, "need %dx%d", LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
    snprintf(have, sizeof have, "have %dx%d", l->cols, l->rows);
    const char *lines[] = {"terminal too small", need, have, "resize, or q to quit"};
    int n = 4, top = l->rows > n ? (l->rows - n) / 2 : 0;
    for (int i = 0; i < n && top + i < l->rows; i++) {
        int w = (int)text_width(lines[i]);
        int x = l->cols > w ? (l->cols - w) / 2 : 0;
        paint_text(top + i, x, l->cols - x, i == 0 ? colors_attr(THEME_ERROR) | A_BOLD
                                                   : colors_attr(THEME_NORMAL),
                   lines[i]);
    }
}

static void draw_message(struct console_state *c, const struct rect *r)
{
    paint_fill(r->y, r->x, r->w, colors_attr(THEME_MESSAGE));
    if (c->cmdline.editing) {
        attr_t in = colors_attr(THEME_INPUT);
        int x = paint_text(r->y, r->x, r->w, in, ":");
        x += paint_text(r->y, r->x + x, r->w - x, in, c->cmdline.input.text);
        x += paint_text(r->y, r->x + x, r->w - x, in | A_REVERSE, " ");
        char hint[COMMAND_LINE_HINT + 64];
        snprintf(hint, sizeof hint, "   %s",
                 c->cmdline.hint[0] ? c->cmdline.hint
                                    : "Tab completes, \u2191\u2193 history, Enter runs, Esc cancels");
        paint_text(r->y, r->x + x, r->w - x, colors_attr(THEME_DIM), hint);
        return;
    }
    if (c->list.filter_editing) {
        attr_t in = colors_attr(THEME_INPUT);
        int x = paint_text(r->y, r->x, r->w, in, "/");
        x += paint_text(r->y, r->x + x, r->w - x, in, list_keys_filter(c)->text);
        x += paint_text(r->y, r->x + x, r->w - x, in | A_REVERSE, " ");
        char hint[96];
        snprintf(hint, sizeof hint, "   %zu match   Enter keeps, Esc cancels, ^U clears",
                 list_keys_shown(c));
        paint_text(r->y, r->x + x, r->w - x, colors_attr(THEME_DIM), hint);
        return;
    }
    if (c->message) {
        /* as many rows as the layout gave; the last one cut if still longer */
        enum theme_slot slot = c->message_level == MESSAGE_ERROR ? THEME_MESSAGE_ERROR
                                                                 : THEME_MESSAGE;
        struct textbuf tb;
        textbuf_init(&tb, (size_t)r->w);
        textbuf_wrap(&tb, 0, slot, c->message, -1);
        for (int i = 1; i < r->h; i++)
            paint_fill(r->y + i, r->x, r->w, colors_attr(THEME_MESSAGE));
        paint_textbuf(&tb, r, 0, -1, 0, colors_attr(THEME_MESSAGE));
        if (tb.count > (size_t)r->h) /* longer still: the cut shows */
            paint_text(r->y + r->h - 1, r->x + r->w - 1, 1, colors_attr(slot),
                       glyph_ellipsis());
        textbuf_free(&tb);
    } else {
        paint_text(r->y, r->x, r->w, colors_attr(THEME_DIM),
                   views_current(c)->resource
                       ? "? help  : views  / filter  s sort  r read again  :orders back  q quit"
                       : "? help  : views  / filter  n new  w serve  f fulfill  c x t copy  q quit");
    }
}

static void draw_separator(const struct rect *r)
{
    attr_t a = colors_attr(THEME_BORDER);
    for (int i = 0; i < r->h; i++)
        paint_text(r->y + i, r->x, 1, a, glyph_vline());
}

void screen_draw(struct console_state *c, struct layout *l, time_t now, struct tick *tick)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    int message_rows = 1;
    if (c->message && !c->list.filter_editing && !c->cmdline.editing)
        message_rows = (int)wrap_count(c->message, cols > 0 ? (size_t)cols : 1);
    const struct view_ops *shown = views_current(c);
    layout_compute_strip(l, cols, rows, c->panes.focus, c->panes.bottom, message_rows,
                         pane_responder_rows(c), shown->list_rows ? shown->list_rows(c) : 0);
    tick_reset(tick);
    erase();
    if (l->too_small) {
        draw_too_small(l);
        refresh();
        return;
    }
    /* a pane that is not on screen cannot keep the focus */
    if (!rect_visible(layout_pane(l, c->panes.focus)))
        c->panes.focus = PANE_LIST;

    renewals_refresh(c, now, tick);
    header_draw(c, &l->header, now, tick);
    const struct view_ops *view = views_current(c);
    view->draw(c, l, now, tick);
    if (rect_visible(&l->separator) && !view->resource) /* a resource view's detail spans it */
        draw_separator(&l->separator);
    if (rect_visible(&l->responder))
        pane_responder_draw(c, &l->responder);
    draw_message(c, &l->message);
    keylegend_draw(view, c, &l->legend);
    if (c->help_open)
        help_draw(c, cols, rows);
    dialog_draw(c->dialog, cols, rows);
    refresh();
}
