/* pane_orders: the order list (see pane_orders.h). A frame reads only the
 * rows on screen (order_store_view_at per row; the count in the title is
 * kept by the store), so its cost does not grow with the number of orders. */
#include "ui/pane_orders.h"
#include "ui/sort_picker.h"

#include <stdio.h>
#include <string.h>

#include "model/cert_expiry.h"
#include "model/reltime.h"
#include "model/renew_window.h"
#include "model/text_width.h"
#include "ui/colors.h"
#include "ui/glyphs.h"
#include "ui/paint.h"

#define ORDER_WARN_SECONDS 86400

static const struct column_spec specs[OCOL_COUNT] = {
    [OCOL_MARK] = {2, 2, 0, false},
    [OCOL_STATUS] = {9, 9, 0, false},
    [OCOL_ID] = {8, 8, 0, false},
    [OCOL_NAMESPACE] = {9, 16, 1, false}, /* only when the context has several places */
    [OCOL_MOUNT] = {6, 14, 3, false},
    [OCOL_ROLE] = {8, 13, 3, false},
    [OCOL_IDENTIFIERS] = {12, 12, 0, true},
    [OCOL_AGE] = {8, 8, 4, false},
    [OCOL_EXPIRES] = {8, 8, 2, false},
    [OCOL_CERT] = {8, 8, 1, false},
    [OCOL_RENEW] = {11, 11, 5, false}, /* below ~92 columns the header's counts say it */
};

static const char *const titles[OCOL_COUNT] = {
    "", "STATUS", "ID", "NAMESPACE", "MOUNT", "ROLE", "IDENTIFIERS", "AGE", "EXPIRES", "CERT",
    "RENEW"};

void pane_orders_columns(int width, bool places, int widths[OCOL_COUNT])
{
    if (places) {
        layout_columns(specs, OCOL_COUNT, width, 1, widths);
        return;
    }
    /* one place: lay out the other columns as if these did not exist */
    struct column_spec one[OCOL_COUNT - 2];
    int w[OCOL_COUNT - 2];
    for (int i = 0, k = 0; i < OCOL_COUNT; i++)
        if (i != OCOL_NAMESPACE && i != OCOL_MOUNT)
            one[k++] = specs[i];
    layout_columns(one, OCOL_COUNT - 2, width, 1, w);
    for (int i = 0, k = 0; i < OCOL_COUNT; i++)
        widths[i] = i == OCOL_NAMESPACE || i == OCOL_MOUNT ? 0 : w[k++];
}

static const struct renew_at default_renew_at = {.fraction = true, .value = 2.0 / 3.0};

static struct renew_window window_of(const struct console_config *cfg, const struct order *o,
                                     time_t now)
{
    if (o->status != ORDER_COMPLETED)
        return (struct renew_window){.state = RENEW_UNKNOWN};
    return renew_window_of(o->cert_not_before, o->cert_not_after,
                           cfg && cfg->renew_at ? cfg->renew_at : &default_renew_at,
                           cfg ? cfg->expiry_crit_s : 7 * 86400.0, now);
}

const char *pane_orders_cell(const struct console_config *cfg, const struct order *o,
                             enum order_column col, time_t now, char *buf, size_t size,
                             enum theme_slot *slot)
{
    char span[RELTIME_BUF];
    *slot = THEME_NORMAL;
    buf[0] = '\0';
    switch (col) {
    case OCOL_MARK:
        *slot = glyph_order_status_slot(o->status);
        snprintf(buf, size, "%s%s", o->stale ? "!" : o->unverified ? "?" : " ",
                 glyph_order_status(o->status));
        break;
    case OCOL_STATUS:
        *slot = glyph_order_status_slot(o->status);
        snprintf(buf, size, "%s",
                 o->status == ORDER_STATUS_UNKNOWN ? order_status_display(o)
                                                   : glyph_order_status_short(o->status));
        break;
    case OCOL_ID:
        snprintf(buf, size, "%.*s", order_short_id_len(o->id), o->id ? o->id : "");
        *slot = THEME_DIM;
        break;
    case OCOL_NAMESPACE:
        if (cfg && cfg->context && o->place < cfg->context->place_count) {
            const char *ns = cfg->context->places[o->place].namespace_;
            snprintf(buf, size, "%s", *ns ? ns : "(root)");
        }
        *slot = THEME_DIM;
        break;
    case OCOL_MOUNT:
        if (cfg && cfg->context && o->place < cfg->context->place_count)
            snprintf(buf, size, "%s", cfg->context->places[o->place].mount);
        *slot = THEME_DIM;
        break;
    case OCOL_ROLE:
        snprintf(buf, size, "%s", o->role && *o->role ? o->role : "-");
        break;
    case OCOL_IDENTIFIERS:
        if (o->identifier_count == 0)
            snprintf(buf, size, "-");
        else
            snprintf(buf, size, "%s", o->identifiers[0]);
        break;
    case OCOL_AGE:
        if (o->created)
            reltime_format_span((long long)now - (long long)o->created, buf, size);
        else
            snprintf(buf, size, "-");
        *slot = THEME_DIM;
        break;
    case OCOL_EXPIRES:
        if (order_status_is_terminal(o->status) || o->expires == 0) {
            snprintf(buf, size, "-");
            *slot = THEME_DIM;
        } else if (o->expires <= now) {
            snprintf(buf, size, "passed");
            *slot = THEME_ERROR;
        } else {
            reltime_format_span((long long)o->expires - (long long)now, span, sizeof span);
            snprintf(buf, size, "%s", span);
            if (o->expires - now < ORDER_WARN_SECONDS)
                *slot = THEME_WARNING;
        }
        break;
    case OCOL_CERT:
        if (o->cert_not_after == 0) {
            snprintf(buf, size, "-");
            *slot = THEME_DIM;
        } else if (o->status == ORDER_REVOKED) { /* its validity no longer counts */
            snprintf(buf, size, "revoked");
            *slot = THEME_DIM;
        } else if (o->cert_not_after <= now) {
            snprintf(buf, size, "expired");
            *slot = THEME_ERROR;
        } else {
            reltime_format_span((long long)o->cert_not_after - (long long)now, span, sizeof span);
            snprintf(buf, size, "%s", span);
            /* the colours of the header's meters: expiry_crit, expiry_warn */
            enum cert_expiry_class k = cert_expiry_class(
                o->cert_not_after, now, cfg && cfg->expiry_warn_s > 0 ? cfg->expiry_warn_s
                                                                      : 30 * 86400.0,
                cfg && cfg->expiry_crit_s > 0 ? cfg->expiry_crit_s : 7 * 86400.0);
            if (k == CERT_EXPIRY_CRIT)
                *slot = THEME_ERROR;
            else if (k == CERT_EXPIRY_WARN)
                *slot = THEME_WARNING;
        }
        break;
    case OCOL_RENEW: {
        struct renew_window w = window_of(cfg, o, now);
        renew_window_text(&w, now, buf, size);
        *slot = w.state == RENEW_UNKNOWN || w.state == RENEW_LATER ? THEME_DIM
                : w.state == RENEW_DUE || w.state == RENEW_OVERDUE ? THEME_WARNING
                                                                   : THEME_ERROR;
        break;
    }
    default:
        break;
    }
    return buf;
}

/* The identifiers cell: as many whole identifiers as fit, then "+N" for the
 * others; when not even the first fits, it is cut so that "+N" stays. */
static void draw_identifiers(int y, int x, int w, attr_t attr, const struct order *o)
{
    size_t n = o->identifier_count;
    if (n == 0) {
        paint_text(y, x, w, attr, "-");
        return;
    }
    char joined[1024] = "";
    size_t shown = 0, jw = 0;
    for (size_t i = 0; i < n; i++) {
        char more[32] = "";
        if (n - 1 - i > 0)
            snprintf(more, sizeof more, " +%zu", n - 1 - i);
        size_t add = text_width(o->identifiers[i]) + (i ? 2 : 0);
        if (jw + add + strlen(more) > (size_t)w ||
            strlen(joined) + strlen(o->identifiers[i]) + 3 > sizeof joined)
            break;
        if (i)
            strcat(joined, ", ");
        strcat(joined, o->identifiers[i]);
        jw += add;
        shown = i + 1;
    }
    char more[32] = "";
    if (n - (shown ? shown : 1) > 0)
        snprintf(more, sizeof more, " +%zu", n - (shown ? shown : 1));
    int mw = (int)strlen(more);
    if (shown == 0) {
        if (mw >= w) {
            paint_text_cut(y, x, w, attr, o->identifiers[0]);
            return;
        }
        int used = paint_text_cut(y, x, w - mw, attr, o->identifiers[0]);
        paint_text(y, x + used, w - used, attr, more);
        return;
    }
    int used = paint_text(y, x, w, attr, joined);
    paint_text(y, x + used, w - used, attr, more);
}

static void note_ticks(const struct console_config *cfg, const struct order *o, time_t now,
                       struct tick *tick)
{
    struct renew_window w = window_of(cfg, o, now);
    if (w.state == RENEW_LATER)
        tick_note_reltime(tick, w.opens, now);
    else if (w.state != RENEW_UNKNOWN)
        tick_note_reltime(tick, w.state == RENEW_EXPIRED ? w.not_after : w.opens, now);
    if (o->created)
        tick_note_reltime(tick, o->created, now);
    if (!order_status_is_terminal(o->status) && o->expires > now)
        tick_note_reltime(tick, o->expires, now);
    if (o->cert_not_after > now && o->status != ORDER_REVOKED)
        tick_note_reltime(tick, o->cert_not_after, now);
}

void pane_orders_draw(struct console_state *c, const struct rect *r, bool focused, time_t now,
                      struct tick *tick)
{
    int widths[OCOL_COUNT];
    pane_orders_columns(r->w, c->context.place_count > 1, widths);
    console_state_set_list_rows(c, r->h > 1 ? (size_t)(r->h - 1) : 1);

    /* column titles */
    attr_t title = colors_attr(focused ? THEME_TITLE_FOCUS : THEME_TITLE);
    paint_fill(r->y, r->x, r->w, title);
    int x = 0, ident_end = 0, ident_title_end = 0;
    for (int col = 0; col < OCOL_COUNT; col++) {
        if (!widths[col])
            continue;
        int tw = paint_text(r->y, r->x + x, widths[col], title, titles[col]);
        if (strcmp(titles[col], sort_picker_column(c->list.sort)) == 0) /* sorted by it */
            tw += paint_text(r->y, r->x + x + tw, widths[col] - tw, title,
                             glyph_sort(c->list.sort_reverse));
        if (col == OCOL_IDENTIFIERS) {
            ident_title_end = x + tw;
            ident_end = x + widths[col];
        }
        x += widths[col] + 1;
    }
    /* where the selection is, at the end of the identifiers' title (the
     * columns fill the width): rows scrolled out of view are not a mystery */
    size_t n = order_store_view_count(c->store);
    if (n) {
        char pos[48];
        snprintf(pos, sizeof pos, "%zu/%zu", c->list.selected_index + 1, n);
        int pw = (int)strlen(pos);
        if (ident_end - pw > ident_title_end)
            paint_text(r->y, r->x + ident_end - pw, pw, title, pos);
    }

    for (int row = 1; row < r->h; row++) {
        int y = r->y + row;
        size_t idx = c->list.top + (size_t)(row - 1);
        paint_fill(y, r->x, r->w, colors_attr(THEME_NORMAL));
        if (idx >= n) {
            if (idx == 0 && row == 1) {
                const char *why = c->list.filter.len || c->list.preset != PRESET_ALL
                                      ? "no order matches the filter (Esc clears it)"
                                  : c->vault.conn == CONN_CONNECTING ? "asking Vault for orders..."
                                  : c->vault.conn == CONN_DISCONNECTED
                                      ? "no orders read: Vault cannot be reached (the message "
                                        "line says why, the header when it retries)"
                                      : "no orders";
                paint_text(y, r->x + 2, r->w - 2, colors_attr(THEME_DIM), why);
            }
            continue;
        }
        const struct order *o = order_store_view_at(c->store, idx);
        bool selected = c->list.selected_id && strcmp(o->id, c->list.selected_id) == 0;
        attr_t sel = colors_attr(focused ? THEME_SELECTED : THEME_SELECTED_DIM);
        if (selected)
            paint_fill(y, r->x, r->w, sel);
        note_ticks(c->cfg, o, now, tick);
        x = 0;
        for (int col = 0; col < OCOL_COUNT; col++) {
            if (!widths[col])
                continue;
            char buf[512];
            enum theme_slot slot;
            pane_orders_cell(c->cfg, o, (enum order_column)col, now, buf, sizeof buf, &slot);
            attr_t a = selected ? sel : colors_attr(slot);
            if (col == OCOL_MARK && (o->stale || o->unverified) && !selected) {
                /* stale: the last fetch failed; "?": from the cache of an
                 * earlier run, not confirmed by Vault yet (quietly) */
                if (o->stale)
                    paint_text(y, r->x + x, 1, colors_attr(THEME_STALE), "!");
                else
                    paint_text(y, r->x + x, 1, colors_attr(THEME_DIM), "?");
                paint_text(y, r->x + x + 1, widths[col] - 1, a, glyph_order_status(o->status));
            } else if (col == OCOL_IDENTIFIERS) {
                draw_identifiers(y, r->x + x, widths[col], a, o);
            } else {
                paint_text_cut(y, r->x + x, widths[col], a, buf);
            }
            if (col == OCOL_MARK && marks_has(&c->marks, o->id)) /* Space marked it */
                paint_text(y, r->x + x, 1, selected ? sel : colors_attr(THEME_WARNING) | A_BOLD,
                           "+");
            x += widths[col] + 1;
        }
    }
}

ssize_t pane_orders_hit(const struct console_state *c, const struct rect *r, int y)
{
    if (y <= r->y || y >= r->y + r->h)
        return -1;
    return (ssize_t)(c->list.top + (size_t)(y - r->y - 1));
}
