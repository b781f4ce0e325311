/* pane_detail: the selected order in full (see pane_detail.h). */
#include "ui/pane_detail.h"

#include <stdio.h>
#include <string.h>

#include "model/reltime.h"
#include "model/renew_index.h"
#include "model/renew_window.h"
#include "model/rfc3339.h"
#include "ui/colors.h"
#include "ui/glyphs.h"
#include "ui/paint.h"

#define LABEL_W 13

static void time_field(struct textbuf *tb, const char *label, time_t t, time_t now,
                       struct tick *tick)
{
    textbuf_time_field(tb, label, LABEL_W, t, now);
    if (t && tick)
        tick_note_reltime(tick, t, now);
}

/* An order in error whose challenges all still say pending: the CA never
 * looked (API.md). */
static bool failed_before_validation(const struct order *o)
{
    if (o->status != ORDER_ERROR || !o->detail_known)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < o->challenge_count; i++)
        for (size_t j = 0; j < o->challenges[i].count; j++, n++)
            if (!o->challenges[i].items[j].status ||
                strcmp(o->challenges[i].items[j].status, "pending") != 0)
                return false;
    return n > 0;
}

/* Who acts now, and in a hybrid order waiting for you, which dns-01
 * challenges Vault does once yours are marked fulfilled. */
static void who_acts(struct textbuf *tb, const struct console_state *c, const struct order *o)
{
    const char *who = order_status_who_acts(o->status);
    textbuf_field(tb, "Who acts", LABEL_W,
                  o->status == ORDER_AWAITING_CHALLENGE ? THEME_STATUS_AWAITING : THEME_NORMAL,
                  who, -1);
    if (o->status != ORDER_AWAITING_CHALLENGE || !o->detail_known)
        return;
    size_t vault = 0;
    for (size_t i = 0; i < o->challenge_count; i++)
        for (size_t j = 0; j < o->challenges[i].count; j++)
            if (console_state_vault_fulfils(c, o->challenges[i].identifier,
                                            o->challenges[i].items[j].type))
                vault++;
    if (vault) {
        char buf[160];
        snprintf(buf, sizeof buf,
                 "then Vault fulfils %zu dns-01 challenge%s itself through its DNS provider",
                 vault, vault == 1 ? "" : "s");
        textbuf_field(tb, "", LABEL_W, THEME_STATUS_VAULT, buf, -1);
    }
}

/* "3f95ab12… (completed)": another order, by its short ID. */
static void order_ref(const struct console_state *c, const char *id, char *buf, size_t size)
{
    const struct order *other = order_store_find(c->store, id);
    snprintf(buf, size, "%.*s%s (%s)", order_short_id_len(id), id,
             glyphs_unicode() ? "\u2026" : "...", other ? order_status_display(other) : "gone");
}

/* When the certificate is due, and the orders of its line of renewals. */
static void renewal_fields(struct textbuf *tb, const struct console_state *c,
                           const struct order *o, time_t now)
{
    char buf[256];
    if (o->status == ORDER_COMPLETED && o->cert_not_after) {
        static const struct renew_at two_thirds = {.fraction = true, .value = 2.0 / 3.0};
        const struct console_config *cfg = c->cfg;
        struct renew_window w =
            renew_window_of(o->cert_not_before, o->cert_not_after,
                            cfg && cfg->renew_at ? cfg->renew_at : &two_thirds,
                            cfg ? cfg->expiry_crit_s : 7 * 86400.0, now);
        char text[RENEW_WINDOW_TEXT_BUF], at[RFC3339_BUF];
        renew_window_text(&w, now, text, sizeof text);
        if (w.state != RENEW_UNKNOWN)
            snprintf(buf, sizeof buf, "%s (due from %s)", text, rfc3339_format(w.opens, at, sizeof at));
        else
            snprintf(buf, sizeof buf, "-");
        textbuf_field(tb, "Renew", LABEL_W,
                      w.state == RENEW_UNKNOWN || w.state == RENEW_LATER ? THEME_NORMAL
                      : w.state == RENEW_DUE || w.state == RENEW_OVERDUE ? THEME_WARNING
                                                                         : THEME_ERROR,
                      buf, -1);
    }
    const struct renew_index *x = c->renewals.index;
    const char *renews = x ? renew_index_renews(x, o->id) : NULL;
    const char *by = x ? renew_index_renewed_by(x, o->id) : NULL;
    if (renews) {
        order_ref(c, renews, buf, sizeof buf);
        textbuf_field(tb, "Renews", LABEL_W, THEME_NORMAL, buf, -1);
    }
    if (by) {
        order_ref(c, by, buf, sizeof buf);
        if (renew_index_superseded(x, o->id))
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ": this certificate is "
                                                                 "superseded (H hides it)");
        textbuf_field(tb, "Renewed by", LABEL_W, THEME_NORMAL, buf, -1);
    }
}

void pane_detail_build(struct textbuf *tb, const struct console_state *c, const struct order *o,
                       size_t width, time_t now, struct tick *tick)
{
    textbuf_init(tb, width);
    if (!o) {
        textbuf_wrap(tb, 1, THEME_DIM, "no order selected", -1);
        return;
    }
    char buf[2048];
    const char *mount = c->cfg && c->cfg->mount ? c->cfg->mount : "pki-external-ca";
    if (*context_state_mount(c, o->place)) /* the order's own place */
        mount = context_state_mount(c, o->place);

    textbuf_field(tb, "Order", LABEL_W, THEME_VALUE, o->id, -1);
    if (*context_state_namespace(c, o->place))
        textbuf_field(tb, "Namespace", LABEL_W, THEME_NORMAL, context_state_namespace(c, o->place),
                      -1);
    snprintf(buf, sizeof buf, "%s/role/%s/order/%s", mount, o->role && *o->role ? o->role : "?",
             o->id);
    textbuf_field(tb, "Reference", LABEL_W, THEME_NORMAL, buf, -1);

    struct tb_line *l = textbuf_line(tb, -1);
    textbuf_add(l, THEME_LABEL, "Status");
    textbuf_add(l, THEME_SLOT_COUNT, "       ");
    textbuf_addf(l, glyph_order_status_slot(o->status), "%s %s", glyph_order_status(o->status),
                 order_status_display(o));
    who_acts(tb, c, o);
    if (o->stale) {
        const char *why = console_state_stale_why(c, o->id);
        snprintf(buf, sizeof buf, "the last fetch failed, showing the last known data%s%s",
                 why && *why ? ": " : "", why ? why : "");
        textbuf_field(tb, "Stale", LABEL_W, THEME_STALE, buf, -1);
    }
    if (o->unverified)
        textbuf_field(tb, "Unverified", LABEL_W, THEME_DIM,
                      "from the cache of an earlier run; not confirmed by Vault yet", -1);
    /* the error right under the status: it is what an operator looks for */
    if (o->last_error && *o->last_error)
        textbuf_field(tb, "Last error", LABEL_W, THEME_ERROR, o->last_error, -1);
    else
        textbuf_field(tb, "Last error", LABEL_W, THEME_DIM, o->detail_known ? "none" : "-", -1);
    if (failed_before_validation(o))
        textbuf_field(tb, "CA", LABEL_W, THEME_WARNING,
                      "the CA never looked: the order failed before Vault asked the CA to "
                      "validate (its challenges still say pending); see Last error",
                      -1);
    textbuf_field(tb, "Role", LABEL_W, THEME_NORMAL, o->role, -1);
    if (o->identifier_count == 0) {
        textbuf_field(tb, "Identifiers", LABEL_W, THEME_DIM, "-", -1);
    } else {
        for (size_t i = 0; i < o->identifier_count; i++)
            textbuf_field(tb, i == 0 ? "Identifiers" : "", LABEL_W, THEME_NORMAL,
                          o->identifiers[i], -1);
    }
    if (!o->detail_known) {
        textbuf_field(tb, "Workflow", LABEL_W, THEME_DIM, "(loading the full order...)", -1);
    } else {
        textbuf_field(tb, "Workflow", LABEL_W, THEME_NORMAL,
                      o->csr && *o->csr ? "CSR (the operator holds the private key)"
                                        : "identifiers (Vault generates the key)",
                      -1);
    }
    time_field(tb, "Created", o->created, now, tick);
    time_field(tb, "Updated", o->last_update, now, tick);
    time_field(tb, "Next work", o->next_work, now, tick);
    time_field(tb, "Expires", order_status_is_terminal(o->status) ? 0 : o->expires, now, tick);
    if (order_status_is_terminal(o->status) && o->expires) {
        char abs[RFC3339_BUF];
        snprintf(buf, sizeof buf, "%s (order finished)", rfc3339_format(o->expires, abs, sizeof abs));
        textbuf_field(tb, "", LABEL_W, THEME_DIM, buf, -1);
    }
    textbuf_field(tb, "Serial", LABEL_W, o->serial && *o->serial ? THEME_NORMAL : THEME_DIM,
                  o->serial && *o->serial ? o->serial : "-", -1);
    time_field(tb, "Cert from", o->cert_not_before, now, NULL);
    time_field(tb, "Cert until", o->cert_not_after, now, tick);
    renewal_fields(tb, c, o, now);
}

void pane_title_draw(const struct rect *r, bool focused, bool tabs, enum pane which,
                     const char *extra)
{
    attr_t title = colors_attr(focused ? THEME_TITLE_FOCUS : THEME_TITLE);
    paint_fill(r->y, r->x, r->w, title);
    int x = 1;
    if (tabs) {
        const char *names[] = {"Detail", "Challenges"};
        for (int i = 0; i < 2; i++) {
            bool on = (i == 0) == (which == PANE_DETAIL);
            char t[32];
            snprintf(t, sizeof t, on ? "[%s]" : " %s ", names[i]);
            x += paint_text(r->y, r->x + x, r->w - x, on ? title | A_BOLD : title, t) + 1;
        }
    } else {
        x += paint_text(r->y, r->x + x, r->w - x, title,
                        which == PANE_DETAIL ? "Detail" : "Challenges") + 1;
    }
    if (extra && *extra)
        paint_text_cut(r->y, r->x + x + 1, r->w - x - 2, title, extra);
}

void pane_detail_draw(struct console_state *c, const struct rect *r, bool focused, bool tabs,
                      time_t now, struct tick *tick)
{
    const struct order *o = console_state_selected(c);
    char extra[64] = "";
    if (o)
        snprintf(extra, sizeof extra, "order %.*s", order_short_id_len(o->id), o->id);
    pane_title_draw(r, focused, tabs, PANE_DETAIL, extra);
    struct textbuf tb;
    pane_detail_build(&tb, c, o, (size_t)(r->w > 2 ? r->w - 1 : 1), now, tick);
    struct rect body = {r->y + 1, r->x + 1, r->h - 1, r->w - 1};
    c->panes.detail_lines = tb.count;
    c->panes.detail_rows = (size_t)body.h;
    size_t max = tb.count > (size_t)body.h ? tb.count - (size_t)body.h : 0;
    if (c->panes.detail_scroll > max)
        c->panes.detail_scroll = max;
    paint_fill(r->y + 1, r->x, 1, colors_attr(THEME_NORMAL));
    for (int i = 1; i < r->h; i++)
        paint_fill(r->y + i, r->x, 1, colors_attr(THEME_NORMAL));
    paint_textbuf(&tb, &body, c->panes.detail_scroll, -1, 0, colors_attr(THEME_NORMAL));
    if (max > 0) {
        char more[32];
        snprintf(more, sizeof more, " %s%zu/%zu ", glyphs_unicode() ? "\u2195" : "", c->panes.detail_scroll + 1,
                 max + 1);
        paint_text(r->y, r->x + r->w - 10, 10, colors_attr(focused ? THEME_TITLE_FOCUS : THEME_TITLE), more);
    }
    textbuf_free(&tb);
}
