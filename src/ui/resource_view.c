/* resource_view: the shared behaviour of the resource views (see
 * resource_view.h). */
#include "ui/resource_view.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/xalloc.h"
#include "ui/colors.h"
#include "ui/console_state.h"
#include "ui/glyphs.h"
#include "ui/paint.h"
#include "ui/pane_detail.h"

#define CELL_MAX 512

struct resource_list *resource_view_list(struct console_state *c, const struct resource_view *rv)
{
    return &c->resources[rv->kind];
}

static const void *row_obj(const struct resource_view *rv, struct resource_row *r)
{
    if (!r->parsed) {
        r->parsed = true;
        r->obj = r->item.json ? rv->parse(&r->item) : NULL;
        r->free_obj = rv->free_obj;
    }
    return r->obj;
}

/* The text of a cell; the key for column 0 of an unreadable row. */
static const char *row_cell(const struct console_state *c, const struct resource_view *rv,
                            struct resource_row *r, size_t col, time_t now, char *buf,
                            size_t size, enum theme_slot *slot)
{
    const void *obj = row_obj(rv, r);
    *slot = THEME_NORMAL;
    buf[0] = '\0';
    if (obj) {
        rv->cell(c, obj, col, now, buf, size, slot);
    } else if (col == 0) {
        snprintf(buf, size, "%s", r->item.key ? r->item.key : "?");
    } else if (col == 1) {
        snprintf(buf, size, "(unreadable)");
        *slot = THEME_ERROR;
    }
    return buf;
}

/* ---- filter, sort, selection ----------------------------------------------- */

static bool contains_folded(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return true;
    for (const char *p = hay; *p; p++)
        if (strncasecmp(p, needle, n) == 0)
            return true;
    return false;
}

static bool row_matches(const struct console_state *c, const struct resource_view *rv,
                        struct resource_row *r, const char *needle, time_t now)
{
    if (!*needle || contains_folded(r->item.key ? r->item.key : "", needle))
        return true;
    char buf[CELL_MAX];
    enum theme_slot slot;
    for (size_t col = 0; col < rv->column_count; col++)
        if (contains_folded(row_cell(c, rv, r, col, now, buf, sizeof buf, &slot), needle))
            return true;
    return false;
}

/* Compare cell texts: runs of digits by value ("9" before "10"), the rest
 * without case. */
static int natural_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            char *ea, *eb;
            unsigned long long x = strtoull(a, &ea, 10), y = strtoull(b, &eb, 10);
            if (x != y)
                return x < y ? -1 : 1;
            a = ea;
            b = eb;
            continue;
        }
        int d = tolower((unsigned char)*a) - tolower((unsigned char)*b);
        if (d)
            return d;
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

struct sort_ctx {
    const struct console_state *c;
    const struct resource_view *rv;
    struct resource_list *l;
    time_t now;
};
static struct sort_ctx sort_with; /* qsort has no context argument; the UI thread only */

static int by_column(const void *x, const void *y)
{
    struct resource_row *a = &sort_with.l->rows[*(const size_t *)x];
    struct resource_row *b = &sort_with.l->rows[*(const size_t *)y];
    char ba[CELL_MAX], bb[CELL_MAX];
    enum theme_slot slot;
    size_t col = (size_t)sort_with.l->sort;
    int d = natural_cmp(row_cell(sort_with.c, sort_with.rv, a, col, sort_with.now, ba, sizeof ba, &slot),
                        row_cell(sort_with.c, sort_with.rv, b, col, sort_with.now, bb, sizeof bb, &slot));
    if (d == 0 && col != 0)
        d = natural_cmp(a->item.key ? a->item.key : "", b->item.key ? b->item.key : "");
    return sort_with.l->reverse ? -d : d;
}

/* Keep the view of the list current; the selection stays on its key (or
 * takes the row now at its old place). */
static void reshape(struct console_state *c, const struct resource_view *rv)
{
    struct resource_list *l = resource_view_list(c, rv);
    if (!l->reshape)
        return;
    l->reshape = false;
    time_t now = console_state_now(c);
    free(l->shown);
    l->shown = l->count ? xcalloc(l->count, sizeof(*l->shown)) : NULL;
    l->shown_count = 0;
    for (size_t i = 0; i < l->count; i++)
        if (row_matches(c, rv, &l->rows[i], l->filter.text, now))
            l->shown[l->shown_count++] = i;
    sort_with = (struct sort_ctx){c, rv, l, now};
    if (l->shown_count > 1)
        qsort(l->shown, l->shown_count, sizeof(*l->shown), by_column);
    size_t at = l->selected;
    bool found = false;
    for (size_t i = 0; l->selected_key && i < l->shown_count; i++)
        if (strcmp(l->rows[l->shown[i]].item.key, l->selected_key) == 0) {
            at = i;
            found = true;
            break;
        }
    if (!found && l->shown_count && at >= l->shown_count)
        at = l->shown_count - 1;
    resource_view_select(c, rv, at);
}

void resource_view_select(struct console_state *c, const struct resource_view *rv, size_t idx)
{
    struct resource_list *l = resource_view_list(c, rv);
    char *was = l->selected_key;
    l->selected_key = NULL;
    if (l->shown_count == 0) {
        free(was);
        l->selected = 0;
        l->top = 0;
        return;
    }
    if (idx >= l->shown_count)
        idx = l->shown_count - 1;
    l->selected = idx;
    l->selected_key = xstrdup(l->rows[l->shown[idx]].item.key);
    if (!was || strcmp(was, l->selected_key) != 0)
        c->panes.detail_scroll = 0;
    free(was);
    size_t page = l->page ? l->page : 1;
    if (l->selected < l->top)
        l->top = l->selected;
    else if (l->selected >= l->top + page)
        l->top = l->selected - page + 1;
    c->dirty = true;
}

void resource_view_move(struct console_state *c, const struct resource_view *rv, long delta)
{
    struct resource_list *l = resource_view_list(c, rv);
    reshape(c, rv);
    long v = delta == LONG_MIN ? 0 : delta == LONG_MAX ? (long)l->shown_count
                                                       : (long)l->selected + delta;
    resource_view_select(c, rv, v < 0 ? 0 : (size_t)v);
}

ssize_t resource_view_hit(struct console_state *c, const struct resource_view *rv, int y)
{
    struct resource_list *l = resource_view_list(c, rv);
    if (!l->first_row || y < l->first_row)
        return -1;
    size_t idx = l->top + (size_t)(y - l->first_row);
    return idx < l->shown_count ? (ssize_t)idx : -1;
}

void resource_view_filter_changed(struct console_state *c, const struct resource_view *rv)
{
    resource_view_list(c, rv)->reshape = true;
    reshape(c, rv);
    c->dirty = true;
}

size_t resource_view_shown(struct console_state *c, const struct resource_view *rv)
{
    reshape(c, rv);
    return resource_view_list(c, rv)->shown_count;
}

void resource_view_sort(struct console_state *c, const struct resource_view *rv, bool reverse)
{
    struct resource_list *l = resource_view_list(c, rv);
    if (reverse)
        l->reverse = !l->reverse;
    else
        l->sort = (int)(((size_t)l->sort + 1) % rv->column_count);
    l->reshape = true;
    reshape(c, rv);
    console_state_say(c, MESSAGE_INFO, "%ss sorted by %s%s", rv->noun,
                      rv->titles[l->sort][0] ? rv->titles[l->sort] : "name",
                      l->reverse ? " (reversed)" : "");
}

const void *resource_view_selected(struct console_state *c, const struct resource_view *rv)
{
    reshape(c, rv);
    struct resource_list *l = resource_view_list(c, rv);
    if (!l->selected_key || l->selected >= l->shown_count)
        return NULL;
    return row_obj(rv, &l->rows[l->shown[l->selected]]);
}

const void *resource_view_find(struct console_state *c, const struct resource_view *rv,
                               const char *key)
{
    struct resource_list *l = resource_view_list(c, rv);
    for (size_t i = 0; key && i < l->count; i++)
        if (l->rows[i].item.key && strcmp(l->rows[i].item.key, key) == 0)
            return row_obj(rv, &l->rows[i]);
    return NULL;
}

/* ---- reading ----------------------------------------------------------------- */

void resource_view_read_kind(struct console_state *c, enum resource_kind kind)
{
    struct resource_list *l = &c->resources[kind];
    uint64_t id = console_state_next_request(c);
    l->pending = id;
    l->asked_ms = clock_mono_ms(c->clock);
    if (l->asked_ms == 0)
        l->asked_ms = 1;
    console_state_send(c, msg_new_read_resources(id, kind));
    c->dirty = true;
}

void resource_view_read(struct console_state *c, const struct resource_view *rv)
{
    resource_view_read_kind(c, rv->kind);
}

void resource_view_enter(struct console_state *c, const struct resource_view *rv)
{
    c->panes.focus = PANE_LIST;
    c->panes.bottom = PANE_DETAIL; /* a resource view has one lower pane */
    resource_view_list(c, rv)->reshape = true;
    if (!resource_view_list(c, rv)->pending)
        resource_view_read(c, rv);
}

long resource_view_timer(struct console_state *c, const struct resource_view *rv,
                         long long now_ms)
{
    struct resource_list *l = resource_view_list(c, rv);
    if (l->pending)
        return -1; /* the answer comes by itself */
    long long due = l->asked_ms + RESOURCE_VIEW_EVERY_S * 1000LL;
    if (l->asked_ms == 0 || now_ms >= due) {
        resource_view_read(c, rv);
        return RESOURCE_VIEW_EVERY_S * 1000L;
    }
    return (long)(due - now_ms);
}

/* ---- drawing ------------------------------------------------------------------- */

static void draw_note(const struct rect *r, int row, enum theme_slot slot, const char *text)
{
    struct textbuf tb;
    textbuf_init(&tb, (size_t)(r->w > 4 ? r->w - 4 : 1));
    textbuf_wrap(&tb, 0, slot, text, -1);
    struct rect body = {r->y + row, r->x + 2, r->h - row, r->w - 2};
    if (body.h > 0)
        paint_textbuf(&tb, &body, 0, -1, 0, colors_attr(THEME_NORMAL));
    textbuf_free(&tb);
}

static void draw_list(struct console_state *c, const struct resource_view *rv,
                      const struct rect *r, bool focused, time_t now)
{
    struct resource_list *l = resource_view_list(c, rv);
    int widths[16] = {0};
    size_t ncol = rv->column_count < 16 ? rv->column_count : 16;
    layout_columns(rv->specs, ncol, r->w, 1, widths);
    l->page = r->h > 1 ? (size_t)(r->h - 1) : 1;
    l->first_row = 0;
    reshape(c, rv);
    if (l->selected < l->top)
        l->top = l->selected;
    else if (l->selected >= l->top + l->page)
        l->top = l->selected - l->page + 1;
    attr_t title = colors_attr(focused ? THEME_TITLE_FOCUS : THEME_TITLE);
    paint_fill(r->y, r->x, r->w, title);
    int x = 0;
    for (size_t col = 0; col < ncol; col++) {
        if (!widths[col])
            continue;
        char t[64];
        snprintf(t, sizeof t, "%s%s", rv->titles[col],
                 (int)col == l->sort ? glyph_sort(l->reverse) : "");
        paint_text(r->y, r->x + x, widths[col], title, t);
        x += widths[col] + 1;
    }
    if (l->shown_count && widths[0]) {
        /* where the selection is, at the end of the name column's title */
        char pos[48];
        snprintf(pos, sizeof pos, "%zu/%zu", l->selected + 1, l->shown_count);
        int pw = (int)strlen(pos);
        if (widths[0] >= pw + (int)strlen(rv->titles[0]) + 3)
            paint_text(r->y, r->x + widths[0] - pw, pw, title, pos);
    }
    for (int row = 1; row < r->h; row++)
        paint_fill(r->y + row, r->x, r->w, colors_attr(THEME_NORMAL));
    char why[1600];
    const char *path = resource_kind_path(rv->kind);
    const char *mount = c->cfg && c->cfg->mount ? c->cfg->mount : "pki-external-ca";
    if (!l->loaded) {
        snprintf(why, sizeof why, "reading the %ss from Vault (LIST %s/%s)...", rv->noun, mount,
                 path);
        draw_note(r, 1, THEME_DIM, why);
        return;
    }
    int first = 1;
    if (!l->listed) {
        snprintf(why, sizeof why, "cannot list the %ss: %s%s", rv->noun,
                 l->error ? l->error : "Vault refused",
                 l->count ? " (showing the last list read)" : "");
        draw_note(r, 1, THEME_ERROR, why);
        if (!l->count)
            return;
        first = r->h > 4 ? 3 : 1;
    }
    if (l->shown_count == 0) {
        if (l->count)
            snprintf(why, sizeof why, "no %s matches the filter (Esc clears it)", rv->noun);
        else
            snprintf(why, sizeof why, "Vault has no %ss under %s/%s", rv->noun, mount, path);
        draw_note(r, first, THEME_DIM, why);
        return;
    }
    attr_t sel = colors_attr(focused ? THEME_SELECTED : THEME_SELECTED_DIM);
    l->first_row = r->y + first;
    for (int row = first; row < r->h; row++) {
        size_t idx = l->top + (size_t)(row - first);
        if (idx >= l->shown_count)
            break;
        struct resource_row *rr = &l->rows[l->shown[idx]];
        bool selected = idx == l->selected;
        int y = r->y + row;
        if (selected)
            paint_fill(y, r->x, r->w, sel);
        x = 0;
        for (size_t col = 0; col < ncol; col++) {
            if (!widths[col])
                continue;
            char buf[CELL_MAX];
            enum theme_slot slot;
            row_cell(c, rv, rr, col, now, buf, sizeof buf, &slot);
            paint_text_cut(y, r->x + x, widths[col], selected ? sel : colors_attr(slot), buf);
            x += widths[col] + 1;
        }
    }
}

static void build_detail(struct textbuf *tb, struct console_state *c,
                         const struct resource_view *rv, size_t width, time_t now)
{
    textbuf_init(tb, width);
    struct resource_list *l = resource_view_list(c, rv);
    reshape(c, rv);
    if (!l->selected_key || l->selected >= l->shown_count) {
        char t[64];
        snprintf(t, sizeof t, "no %s selected", rv->noun);
        textbuf_wrap(tb, 1, THEME_DIM, t, -1);
        return;
    }
    struct resource_row *r = &l->rows[l->shown[l->selected]];
    const void *obj = row_obj(rv, r);
    if (!obj) {
        textbuf_field(tb, "Name", 13, THEME_VALUE, r->item.key, -1);
        textbuf_field(tb, "Unreadable", 13, THEME_ERROR,
                      r->item.error ? r->item.error : "Vault's answer could not be read", -1);
        return;
    }
    rv->detail(tb, c, obj, now);
}

char *resource_view_detail_text(struct console_state *c, const struct resource_view *rv,
                                size_t width, time_t now)
{
    struct textbuf tb;
    build_detail(&tb, c, rv, width, now);
    size_t cap = 1, len = 0;
    char *out = xcalloc(1, 1);
    for (size_t i = 0; i < tb.count; i++) {
        char *line = textbuf_line_text(&tb, i);
        size_t n = strlen(line);
        out = xrealloc(out, cap + n + 1);
        cap += n + 1;
        memcpy(out + len, line, n);
        len += n;
        out[len++] = '\n';
        out[len] = '\0';
        free(line);
    }
    textbuf_free(&tb);
    return out;
}

/* The lower pane: the detail across the whole width under the list (both
 * lower rects and the separator when they sit side by side). */
static void draw_detail(struct console_state *c, const struct resource_view *rv,
                        const struct layout *l, bool focused, time_t now)
{
    struct rect r = l->detail;
    if (l->split && rect_visible(&l->challenges))
        r.w = l->challenges.x + l->challenges.w - r.x;
    else if (!rect_visible(&r))
        r = l->challenges;
    if (!rect_visible(&r))
        return;
    struct resource_list *rl = resource_view_list(c, rv);
    char extra[160] = "";
    if (rl->selected_key)
        snprintf(extra, sizeof extra, "%s %s", rv->noun, rl->selected_key);
    pane_title_draw(&r, focused, false, PANE_DETAIL, extra);
    struct textbuf tb;
    build_detail(&tb, c, rv, (size_t)(r.w > 2 ? r.w - 1 : 1), now);
    struct rect body = {r.y + 1, r.x + 1, r.h - 1, r.w - 1};
    c->panes.detail_lines = tb.count;
    c->panes.detail_rows = (size_t)(body.h > 0 ? body.h : 0);
    size_t max = tb.count > (size_t)body.h ? tb.count - (size_t)body.h : 0;
    if (c->panes.detail_scroll > max)
        c->panes.detail_scroll = max;
    for (int i = 1; i < r.h; i++)
        paint_fill(r.y + i, r.x, r.w, colors_attr(THEME_NORMAL));
    paint_textbuf(&tb, &body, c->panes.detail_scroll, -1, 0, colors_attr(THEME_NORMAL));
    if (max > 0) {
        char more[32];
        snprintf(more, sizeof more, " %s%zu/%zu ", glyphs_unicode() ? "\u2195" : "",
                 c->panes.detail_scroll + 1, max + 1);
        paint_text(r.y, r.x + r.w - 10, 10,
                   colors_attr(focused ? THEME_TITLE_FOCUS : THEME_TITLE), more);
    }
    textbuf_free(&tb);
}

void resource_view_draw(struct console_state *c, const struct resource_view *rv,
                        const struct layout *l, time_t now, struct tick *tick)
{
    (void)tick;
    if (c->panes.focus == PANE_CHALLENGES)
        c->panes.focus = PANE_DETAIL;
    draw_list(c, rv, &l->list, c->panes.focus == PANE_LIST, now);
    draw_detail(c, rv, l, c->panes.focus == PANE_DETAIL, now);
}
