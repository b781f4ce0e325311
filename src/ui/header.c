/* header: the header rows (see header.h). Nothing here walks the orders:
 * the counts per status are the store's kept counters, and the ages of the
 * data are coarse (ui/freshness.h), so an idle header changes once a minute
 * at most. */
#include "ui/header.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/reltime.h"
#include "model/renew_index.h"
#include "model/text_width.h"
#include "ui/colors.h"
#include "ui/freshness.h"
#include "ui/glyphs.h"
#include "ui/paint.h"
#include "ui/resource_view.h"
#include "ui/views.h"

#define SEGS_MAX 32
#define SLOT_CONTEXT THEME_SLOT_COUNT /* a segment in the context's own colour */

struct segs {
    struct {
        char text[256];
        enum theme_slot slot;
    } s[SEGS_MAX];
    int n;
    const char *context_color; /* for SLOT_CONTEXT segments */
};

static attr_t seg_attr(const struct segs *g, int i)
{
    return g->s[i].slot == SLOT_CONTEXT ? colors_context_attr(g->context_color)
                                        : colors_attr(g->s[i].slot);
}

static void seg(struct segs *g, enum theme_slot slot, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seg(struct segs *g, enum theme_slot slot, const char *fmt, ...)
{
    if (g->n >= SEGS_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->s[g->n].text, sizeof g->s[g->n].text, fmt, ap);
    va_end(ap);
    g->s[g->n].slot = slot;
    g->n++;
}

static int segs_width(const struct segs *g)
{
    int w = 0;
    for (int i = 0; i < g->n; i++)
        w += (int)text_width(g->s[i].text);
    return w;
}

/* left segments from x, right segments right-aligned; the left side is cut
 * (with an ellipsis) where the right side begins. */
static void draw_row(int y, int x0, int width, const struct segs *left, const struct segs *right)
{
    attr_t base = colors_attr(THEME_HEADER);
    paint_fill(y, x0, width, base);
    int rw = segs_width(right);
    if (rw > width)
        rw = width;
    int room = width - rw - (rw ? 1 : 0);
    int lw = segs_width(left);
    int x = 0;
    for (int i = 0; i < left->n && x < room; i++) {
        const char *t = left->s[i].text;
        bool last_fit = lw > room && x + (int)text_width(t) > room;
        if (last_fit)
            x += paint_text_cut(y, x0 + x, room - x, seg_attr(left, i), t);
        else
            x += paint_text(y, x0 + x, room - x, seg_attr(left, i), t);
    }
    x = width - rw;
    for (int i = 0; i < right->n && x < width; i++)
        x += paint_text(y, x0 + x, width - x, seg_attr(right, i), right->s[i].text);
}


/* Row 1, left: where and who. verbose adds the program name. */
static void where_segments(struct console_state *c, struct segs *g, bool verbose, time_t now,
                           struct tick *tick)
{
    const struct console_config *cfg = c->cfg;
    char span[RELTIME_BUF];
    g->n = 0;
    seg(g, THEME_HEADER, verbose ? " acmetop  " : " ");
    if (c->context.name && *c->context.name) { /* always: the operator must know where */
        g->context_color = c->context.color;
        seg(g, SLOT_CONTEXT, " %s ", c->context.name);
        seg(g, THEME_HEADER, " ");
    }
    if (c->context.readonly)
        seg(g, THEME_WARNING, "read-only  ");
    seg(g, THEME_HEADER, "%s", cfg && cfg->addr ? cfg->addr : "-");
    const char *ns = context_state_watched(c, false), *mount = context_state_watched(c, true);
    if (*ns) {
        seg(g, THEME_HEADER_LABEL, "  ns ");
        seg(g, THEME_HEADER, "%s", ns);
    }
    seg(g, THEME_HEADER_LABEL, "  mount ");
    seg(g, THEME_HEADER, "%s", *mount ? mount : "-");
    seg(g, THEME_HEADER_LABEL, "  token ");
    if (!c->vault.token_known) {
        seg(g, THEME_HEADER, "...");
        return;
    }
    seg(g, THEME_HEADER, "%s", c->vault.token_name && *c->vault.token_name ? c->vault.token_name : "?");
    if (c->vault.token_ttl == 0) {
        seg(g, THEME_HEADER, " ttl %s", glyphs_unicode() ? "\u221e" : "none");
        return;
    }
    time_t until = c->vault.token_at + (time_t)c->vault.token_ttl;
    long long left_s = (long long)until - (long long)now;
    if (left_s <= 0) {
        seg(g, THEME_ERROR, " expired");
        return;
    }
    seg(g, left_s < 3600 ? THEME_WARNING : THEME_HEADER, " ttl %s",
        reltime_format_span(left_s, span, sizeof span));
    if (tick)
        tick_note_reltime(tick, until, now);
}

static void count_segments(struct console_state *c, struct segs *g, bool words)
{
    static const enum order_status shown_order[] = {
        ORDER_AWAITING_CHALLENGE, ORDER_NEW, ORDER_SUBMITTED, ORDER_VAULT_FULFILLING,
        ORDER_VAULT_PROPAGATING, ORDER_NOTIFYING_CA, ORDER_CA_VALIDATING, ORDER_FETCHING_CERT,
        ORDER_STATUS_UNKNOWN, ORDER_ERROR, ORDER_EXPIRED, ORDER_REVOKED, ORDER_COMPLETED};
    size_t by[ORDER_STATUS_COUNT];
    order_store_count_by_status(c->store, by);
    g->n = 0;
    seg(g, THEME_HEADER, " %zu orders ", order_store_count(c->store));
    for (size_t i = 0; i < sizeof shown_order / sizeof shown_order[0]; i++) {
        enum order_status s = shown_order[i];
        if (!by[s])
            continue;
        seg(g, THEME_HEADER, " %s", glyph_order_status(s));
        if (words)
            seg(g, THEME_HEADER, "%zu %s", by[s], glyph_order_status_short(s));
        else
            seg(g, THEME_HEADER, "%zu", by[s]);
    }
    /* htop-like meters of the certificates' expiry, then those to renew
       (superseded ones left out of both) */
    struct renew_counts rc = renew_index_counts(c->renewals.index);
    char crit[RELTIME_BUF], warn[RELTIME_BUF];
    reltime_format_span(c->cfg && c->cfg->expiry_crit_s > 0 ? (long long)c->cfg->expiry_crit_s
                                                           : 7 * 86400LL, crit, sizeof crit);
    reltime_format_span(c->cfg && c->cfg->expiry_warn_s > 0 ? (long long)c->cfg->expiry_warn_s
                                                           : 30 * 86400LL, warn, sizeof warn);
    if (rc.expired)
        seg(g, THEME_ERROR, "  %s%zu expired", glyph_order_status(ORDER_ERROR), rc.expired);
    if (rc.crit)
        seg(g, THEME_ERROR, "  %zu <%s", rc.crit, crit);
    if (rc.warn)
        seg(g, THEME_WARNING, "  %zu <%s", rc.warn, warn);
    if (rc.due)
        seg(g, THEME_WARNING, "  %zu due", rc.due);
    if (rc.overdue)
        seg(g, rc.urgent ? THEME_ERROR : THEME_WARNING, "  %zu overdue", rc.overdue);
}

void header_draw(struct console_state *c, const struct rect *r, time_t now, struct tick *tick)
{
    struct segs left = {.n = 0}, right = {.n = 0};
    char rel[RELTIME_BUF];

    seg(&right, glyph_connection_slot(c->vault.conn), "%s ", glyph_connection(c->vault.conn));
    seg(&right, THEME_HEADER, "%s", conn_state_name(c->vault.conn));
    if (c->vault.conn == CONN_DISCONNECTED && c->vault.retry_in > 0) {
        time_t at = c->vault.conn_at + c->vault.retry_in;
        if (at > now) {
            seg(&right, THEME_HEADER, ", retry %s", reltime_format(at, now, rel, sizeof rel));
            tick_note_reltime(tick, at, now);
        }
    }
    seg(&right, THEME_HEADER, " ");
    where_segments(c, &left, true, now, tick);
    if (segs_width(&left) + segs_width(&right) + 1 > r->w)
        where_segments(c, &left, false, now, NULL);
    draw_row(r->y, r->x, r->w, &left, &right);
    if (r->h < 2)
        return;

    /* row 2: counts per status, then the view and the last refresh */
    struct segs counts = {.n = 0}, view = {.n = 0};
    if (c->paused)
        seg(&view, THEME_WARNING, "PAUSED (%zu update%s wait, z resumes)  ", c->held_count,
            c->held_count == 1 ? "" : "s");
    if (c->marks.count)
        seg(&view, THEME_WARNING, "%zu marked  ", c->marks.count);
    const struct resource_view *rv = views_current(c)->resource;
    if (rv) { /* another view than the orders: its name, filter and when it was read */
        const struct resource_list *l = &c->resources[rv->kind];
        seg(&view, THEME_HEADER_LABEL, "view ");
        seg(&view, THEME_HEADER, "%s", views_current(c)->title);
        if (l->filter.len) {
            seg(&view, THEME_HEADER_LABEL, "  filter ");
            seg(&view, THEME_HEADER, "%s", l->filter.text);
        }
        char age[FRESHNESS_BUF];
        time_t next = freshness_updated(l->read_at, now, age, sizeof age);
        if (*age) {
            seg(&view, THEME_HEADER_LABEL, "  read ");
            seg(&view, THEME_HEADER, "%s", age);
            tick_note_at(tick, next);
        }
        seg(&view, THEME_HEADER, " ");
        count_segments(c, &counts, true);
        if (segs_width(&counts) + segs_width(&view) + 1 > r->w)
            count_segments(c, &counts, false);
        draw_row(r->y + 1, r->x, r->w, &counts, &view);
        return;
    }
    seg(&view, THEME_HEADER_LABEL, "sort ");
    seg(&view, THEME_HEADER, "%s%s", order_sort_name(c->list.sort), glyph_sort(c->list.sort_reverse));
    if (c->list.preset != PRESET_ALL) {
        seg(&view, THEME_HEADER_LABEL, "  show ");
        seg(&view, THEME_HEADER, "%s", console_state_preset_name(c->list.preset));
    }
    if (c->list.filter.len) {
        seg(&view, THEME_HEADER_LABEL, "  filter ");
        seg(&view, THEME_HEADER, "%s", c->list.filter.text);
    }
    if (c->list.preset != PRESET_ALL || c->list.filter.len)
        seg(&view, THEME_HEADER, "  %zu shown", order_store_view_count(c->store));
    char age[FRESHNESS_BUF];
    time_t next = freshness_updated(c->vault.refreshed_at, now, age, sizeof age);
    if (*age) {
        seg(&view, THEME_HEADER_LABEL, "  updated ");
        seg(&view, THEME_HEADER, "%s", age);
        tick_note_at(tick, next);
    }
    if (c->context.place_count > 1 && c->context.period_s > 0) {
        /* N places share the idle budget: each is listed this often */
        char span[RELTIME_BUF];
        seg(&view, THEME_HEADER_LABEL, "  %zu places, every ", c->context.place_count);
        seg(&view, THEME_HEADER, "%s",
            reltime_format_span((long long)(c->context.period_s + 0.5), span, sizeof span));
    }
    next = freshness_oldest(c->vault.oldest_at, now, age, sizeof age);
    tick_note_at(tick, next);
    if (*age) {
        seg(&view, THEME_HEADER_LABEL, "  oldest data ");
        seg(&view, THEME_HEADER, "%s", age);
    }
    seg(&view, THEME_HEADER, " ");
    count_segments(c, &counts, true);
    if (segs_width(&counts) + segs_width(&view) + 1 > r->w)
        count_segments(c, &counts, false);
    draw_row(r->y + 1, r->x, r->w, &counts, &view);
}
