/* pane_challenges: challenges and what to deploy (see pane_challenges.h). */
#include "ui/pane_challenges.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/challenge_value.h"
#include "model/reltime.h"
#include "ui/colors.h"
#include "ui/glyphs.h"
#include "ui/paint.h"
#include "ui/pane_detail.h"

/* The tag of an identifier's line above its challenge rows (challenge rows
 * are tagged with their index, other lines with -1). */
#define IDENTIFIER_TAG (-2)

#define LABEL_W 13

/* The row of one challenge; `by` says who fulfils it (NULL: not known). */
static void challenge_row(struct textbuf *tb, long idx, const struct challenge *ch, time_t now,
                          struct tick *tick, const char *by)
{
    struct tb_line *l = textbuf_line(tb, idx);
    textbuf_add(l, THEME_SLOT_COUNT, "  ");
    textbuf_addf(l, glyph_challenge_status_slot(ch->status), "%s ",
                 glyph_challenge_status(ch->status));
    textbuf_addf(l, THEME_NORMAL, "%-12s", ch->type ? ch->type : "?");
    textbuf_addf(l, glyph_challenge_status_slot(ch->status), "%-11s",
                 ch->status ? ch->status : "?");
    if (ch->expires) {
        char rel[RELTIME_BUF];
        textbuf_addf(l, ch->expires <= now ? THEME_ERROR : THEME_DIM, "expires %s",
                     reltime_format(ch->expires, now, rel, sizeof rel));
        if (tick)
            tick_note_reltime(tick, ch->expires, now);
    }
    if (by)
        textbuf_addf(l, by[0] == 'V' ? THEME_STATUS_VAULT : THEME_DIM, "  by %s", by);
}

static bool served(const struct console_state *c, const char *token)
{
    return responder_running(&c->responder) && responder_identifier_of(&c->responder, token);
}

/* What an http-01 challenge serves, and how (advise: the operator's to
 * deploy now). */
static void deploy_http01(struct textbuf *tb, const struct console_state *c, const char *ident,
                          const struct challenge_detail *d, bool advise)
{
    char *url = challenge_http01_url(ident, d->token);
    char *path = challenge_http01_path(d->token);
    textbuf_field(tb, "URL", LABEL_W, THEME_NORMAL, url, -1);
    textbuf_field(tb, "Path", LABEL_W, THEME_NORMAL, path, -1);
    textbuf_field(tb, "Body", LABEL_W, THEME_VALUE, d->key_authorization, -1);
    if (!advise) {
        free(url);
        free(path);
        return;
    }
    const char *listen = c->cfg && c->cfg->http01_listen ? c->cfg->http01_listen
                                                                : "0.0.0.0:80";
    int port = c->cfg && c->cfg->http01_port ? c->cfg->http01_port
                                                           : 80;
    char how[512];
    if (served(c, d->token))
        snprintf(how, sizeof how, "served by acmetop's HTTP-01 responder on %s; then f",
                 c->responder.address);
    else
        snprintf(how, sizeof how,
                 "w serves it from acmetop's HTTP-01 responder (%s); or answer 200 with exactly "
                 "the body (no newline) at the URL, plain HTTP on port %d; then f",
                 listen, port);
    textbuf_field(tb, "Deploy", LABEL_W, served(c, d->token) ? THEME_OK : THEME_DIM, how, -1);
    free(url);
    free(path);
}

/* The record of a dns-01 challenge, and how to publish it (advise: the
 * operator's to deploy now; not when Vault writes it itself). */
static void deploy_dns01(struct textbuf *tb, const char *ident, const struct challenge_detail *d,
                         bool advise)
{
    char *name = challenge_dns01_record_name(ident);
    char value[CHALLENGE_DNS01_VALUE_BUF];
    bool ok = challenge_dns01_txt_value(d->key_authorization, value, sizeof value) == 0;
    textbuf_field(tb, "TXT name", LABEL_W, THEME_NORMAL, name, -1);
    textbuf_field(tb, "TXT value", LABEL_W, THEME_VALUE, ok ? value : "(cannot compute)", -1);
    if (!advise) {
        free(name);
        return;
    }
    /* `make demo` names its DNS server (pebble-challtestsrv) and the URL
     * that sets records in it: then the exact command is shown */
    const char *dns = getenv("ACMETOP_DEMO_DNS");
    const char *mgmt = getenv("ACMETOP_DEMO_CHALLTESTSRV");
    char how[1024];
    if (mgmt && *mgmt && ok && name)
        snprintf(how, sizeof how,
                 "in another terminal: curl -d '{\"host\":\"%s.\",\"value\":\"%s\"}' "
                 "%s/set-txt ; then f",
                 name, value, mgmt);
    else
        snprintf(how, sizeof how, "publish the TXT record%s%s%s; then f",
                 dns && *dns ? " in the demo's DNS (" : "", dns && *dns ? dns : "",
                 dns && *dns ? ")" : "");
    textbuf_field(tb, "Deploy", LABEL_W, THEME_DIM, how, -1);
    free(name);
}

static void deploy_tlsalpn01(struct textbuf *tb, const struct console_state *c,
                             const char *ident, const struct challenge_detail *d)
{
    char hex[CHALLENGE_SHA256_HEX_BUF], buf[512];
    bool ok = challenge_tlsalpn01_digest_hex(d->key_authorization, hex, sizeof hex) == 0;
    int port = c->cfg && c->cfg->tlsalpn01_port ? c->cfg->tlsalpn01_port : 443;
    snprintf(buf, sizeof buf, "TLS on %s:%d answering ALPN \"acme-tls/1\"", ident, port);
    textbuf_field(tb, "Serve", LABEL_W, THEME_NORMAL, buf, -1);
    snprintf(buf, sizeof buf,
             "self-signed, SAN %s, with the critical extension id-pe-acmeIdentifier "
             "(1.3.6.1.5.5.7.1.31) holding the OCTET STRING of SHA-256(key authorization)",
             ident);
    textbuf_field(tb, "Certificate", LABEL_W, THEME_NORMAL, buf, -1);
    textbuf_field(tb, "SHA-256", LABEL_W, THEME_VALUE, ok ? hex : "(cannot compute)", -1);
    bool on = c->responder.tls_running && responder_serves_tlsalpn01(&c->responder, ident);
    const char *listen = c->cfg && c->cfg->tlsalpn01_listen ? c->cfg->tlsalpn01_listen
                                                            : "0.0.0.0:443";
    if (on)
        snprintf(buf, sizeof buf, "served by acmetop's TLS-ALPN-01 responder on %s; then f",
                 c->responder.tls_address);
    else if (strncmp(ident, "*.", 2) == 0)
        snprintf(buf, sizeof buf, "a wildcard cannot be proved with tls-alpn-01: use dns-01");
    else
        snprintf(buf, sizeof buf,
                 "w serves it from acmetop's TLS-ALPN-01 responder (%s); or present that "
                 "certificate yourself; then f", listen);
    textbuf_field(tb, "Deploy", LABEL_W, on ? THEME_OK : THEME_DIM, buf, -1);
}

static void selected_section(struct textbuf *tb, struct console_state *c, const struct order *o,
                             const char *ident, const struct challenge *ch)
{
    textbuf_line(tb, -1);
    struct tb_line *l = textbuf_line(tb, -1);
    textbuf_addf(l, THEME_LABEL, "%s %s", ch->type ? ch->type : "?", ident);
    char by[600], text[700];
    /* Vault proves an identifier its DNS provider covers with dns-01: that
     * challenge is Vault's, the identifier's other ones are not used */
    bool vault_dns = console_state_vault_fulfils(c, ident, ch->type) != NULL;
    bool unused = !vault_dns && console_state_vault_fulfils(c, ident, "dns-01") != NULL;
    if (vault_dns) {
        snprintf(text, sizeof text, "%s: Vault writes the TXT record itself; nothing to deploy",
                 console_state_fulfiller(c, ident, ch->type, by, sizeof by));
        textbuf_field(tb, "Fulfilled by", LABEL_W, THEME_STATUS_VAULT, text, -1);
    } else if (unused) {
        snprintf(text, sizeof text, "%s: this challenge is not used",
                 console_state_fulfiller(c, ident, ch->type, by, sizeof by));
        textbuf_field(tb, "Fulfilled by", LABEL_W, THEME_STATUS_VAULT, text, -1);
        return;
    } else if (console_state_fulfiller(c, ident, ch->type, by, sizeof by)) {
        bool yours_now = o->status == ORDER_AWAITING_CHALLENGE && ch->status &&
                         strcmp(ch->status, "pending") == 0;
        textbuf_field(tb, "Fulfilled by", LABEL_W, THEME_NORMAL,
                      yours_now ? "you: deploy it, then f marks it fulfilled" : "you", -1);
    }
    const struct challenge_entry *e =
        challenge_cache_find(&c->challenges, o->id, ident, ch->type ? ch->type : "");
    if (!e) {
        textbuf_wrap(tb, 0, THEME_DIM,
                     o->status == ORDER_AWAITING_CHALLENGE
                         ? "fetching the token and key authorization..."
                         : "Enter fetches the token and key authorization",
                     -1);
        return;
    }
    if (e->state == CHALLENGE_FETCHING) {
        textbuf_wrap(tb, 0, THEME_DIM, "fetching the token and key authorization...", -1);
        return;
    }
    if (e->state == CHALLENGE_FAILED) {
        textbuf_field(tb, "Not fetched", LABEL_W, THEME_ERROR, e->error, -1);
        textbuf_wrap(tb, 0, THEME_DIM, "Enter tries again", -1);
        return;
    }
    const struct challenge_detail *d = &e->detail;
    textbuf_field(tb, "Token", LABEL_W, THEME_VALUE, d->token, -1);
    textbuf_field(tb, "Key auth", LABEL_W, THEME_VALUE, d->key_authorization, -1);
    /* deploy advice only while it is the operator's to deploy: never on a
     * revoked, failed or finished order, nor once the CA has the challenge */
    bool deployable = !vault_dns && o->status == ORDER_AWAITING_CHALLENGE &&
                      (!ch->status || strcmp(ch->status, "pending") == 0);
    if (ch->type && strcmp(ch->type, "http-01") == 0)
        deploy_http01(tb, c, ident, d, deployable);
    else if (ch->type && strcmp(ch->type, "dns-01") == 0)
        deploy_dns01(tb, ident, d, deployable);
    else if (ch->type && strcmp(ch->type, "tls-alpn-01") == 0)
        deploy_tlsalpn01(tb, c, ident, d);
    if (e->check_state == CHECK_RUNNING)
        textbuf_field(tb, "Pre-flight", LABEL_W, THEME_DIM, "checking...", -1);
    else if (e->check_state == CHECK_DONE)
        textbuf_field(tb, "Pre-flight", LABEL_W,
                      e->check == MSG_CHECK_OK ? THEME_OK : THEME_ERROR, e->check_text, -1);
    if (!deployable && !vault_dns) {
        if (o->status != ORDER_AWAITING_CHALLENGE)
            snprintf(text, sizeof text, "nothing to deploy: the order is %s",
                     order_status_display(o));
        else
            snprintf(text, sizeof text, "nothing to deploy: the CA has this challenge (%s)",
                     ch->status);
        textbuf_field(tb, "Deploy", LABEL_W, THEME_DIM, text, -1);
    }
    bool dns01 = ch->type && strcmp(ch->type, "dns-01") == 0;
    textbuf_field(tb, "Keys", LABEL_W, THEME_DIM,
                  vault_dns ? "x copy TXT value, p check the record Vault writes"
                  : !deployable ? (dns01 ? "x copy TXT value, c copy key auth, t token"
                                         : "c copy key auth, t token")
                  : dns01 ? "x copy TXT value, c key auth, t token, p check, f check+fulfill"
                  : ch->type && strcmp(ch->type, "http-01") == 0
                      ? "w serve, c copy key auth, t token, p check, f check+fulfill"
                      : "c copy key auth, t token, p check, f check+fulfill",
                  -1);
}

void pane_challenges_build(struct textbuf *tb, struct console_state *c, size_t width,
                           time_t now, struct tick *tick)
{
    textbuf_init(tb, width);
    const struct order *o = console_state_selected(c);
    if (!o) {
        textbuf_wrap(tb, 1, THEME_DIM, "no order selected", -1);
        return;
    }
    if (!o->detail_known) {
        textbuf_wrap(tb, 1, THEME_DIM, "loading the order's challenges...", -1);
        return;
    }
    console_state_challenge_sync(c);
    long idx = 0;
    /* rows in the store's challenge order, so the tags match
     * console_state_challenge_at() and the cursor */
    for (size_t i = 0; i < o->challenge_count; i++) {
        const struct order_identifier_challenges *set = &o->challenges[i];
        struct tb_line *l = textbuf_line(tb, IDENTIFIER_TAG);
        textbuf_add(l, THEME_NORMAL, set->identifier);
        for (size_t j = 0; j < set->count; j++, idx++) {
            char by[600];
            challenge_row(tb, idx, &set->items[j], now, tick,
                          console_state_fulfiller(c, set->identifier, set->items[j].type, by,
                                                  sizeof by));
            if ((size_t)idx == c->panes.chal_cursor) {
                /* the selected challenge's values right under its row: on a
                 * short screen they are never below the fold */
                selected_section(tb, c, o, set->identifier, &set->items[j]);
                if (j + 1 < set->count || i + 1 < o->challenge_count)
                    textbuf_line(tb, -1);
            }
        }
        if (set->count == 0)
            textbuf_wrap(tb, 2, THEME_DIM, "no challenges", -1);
    }
    for (size_t i = 0; i < o->identifier_count; i++) {
        if (order_find_challenges(o, o->identifiers[i]))
            continue;
        struct tb_line *l = textbuf_line(tb, -1);
        textbuf_add(l, THEME_NORMAL, o->identifiers[i]);
        textbuf_wrap(tb, 2, THEME_DIM,
                     o->status == ORDER_NEW ? "no challenges yet (order is new)" : "no challenges",
                     -1);
    }
    if (idx == 0 && o->identifier_count == 0)
        textbuf_wrap(tb, 1, THEME_DIM, "this order has no challenges", -1);
}

/* The identifier line the challenge row at `line` belongs to, or -1. */
static long identifier_above(const struct textbuf *tb, size_t line)
{
    while (line-- > 0)
        if (tb->lines[line].tag == IDENTIFIER_TAG)
            return (long)line;
    return -1;
}

static size_t line_of_tag(const struct textbuf *tb, long tag)
{
    for (size_t i = 0; i < tb->count; i++)
        if (tb->lines[i].tag == tag)
            return i;
    return 0;
}

void pane_challenges_draw(struct console_state *c, const struct rect *r, bool focused,
                          bool tabs, time_t now, struct tick *tick)
{
    const struct order *o = console_state_selected(c);
    size_t n = console_state_challenge_count(c);
    char extra[64] = "";
    if (o && n)
        snprintf(extra, sizeof extra, "%zu/%zu", c->panes.chal_cursor + 1, n);
    pane_title_draw(r, focused, tabs, PANE_CHALLENGES, extra);
    struct textbuf tb;
    pane_challenges_build(&tb, c, (size_t)(r->w > 2 ? r->w - 1 : 1), now, tick);
    struct rect body = {r->y + 1, r->x + 1, r->h - 1, r->w - 1};
    c->panes.chal_lines = tb.count;
    c->panes.chal_rows = (size_t)body.h;
    size_t max = tb.count > (size_t)body.h ? tb.count - (size_t)body.h : 0;
    if (c->panes.chal_follow && n) {
        /* the cursor's row one below the top: the row above it is its
         * identifier, or the identifier is pinned there (below) */
        size_t cl = line_of_tag(&tb, (long)c->panes.chal_cursor);
        c->panes.chal_scroll = cl > 0 ? cl - 1 : 0;
        if (c->panes.chal_scroll > max)
            c->panes.chal_scroll = max;
    }
    if (c->panes.chal_scroll > max)
        c->panes.chal_scroll = max;
    for (int i = 1; i < r->h; i++)
        paint_fill(r->y + i, r->x, 1, colors_attr(THEME_NORMAL));
    attr_t sel = colors_attr(focused ? THEME_SELECTED : THEME_SELECTED_DIM);
    long cursor = n ? (long)c->panes.chal_cursor : -1;
    size_t top = c->panes.chal_scroll;
    long pin = top < tb.count && tb.lines[top].tag >= 0 ? identifier_above(&tb, top) : -1;
    if (pin >= 0 && body.h > 1) {
        /* scrolled into an identifier's challenges: its name stays on top */
        struct rect head = {body.y, body.x, 1, body.w};
        struct rect rest = {body.y + 1, body.x, body.h - 1, body.w};
        paint_textbuf(&tb, &head, (size_t)pin, -1, sel, colors_attr(THEME_NORMAL));
        paint_textbuf(&tb, &rest, top + 1, cursor, sel, colors_attr(THEME_NORMAL));
    } else {
        paint_textbuf(&tb, &body, top, cursor, sel, colors_attr(THEME_NORMAL));
    }
    textbuf_free(&tb);
}

long pane_challenges_hit(struct console_state *c, const struct rect *r, int y, time_t now)
{
    if (y <= r->y || y >= r->y + r->h)
        return -1;
    struct textbuf tb;
    pane_challenges_build(&tb, c, (size_t)(r->w > 2 ? r->w - 1 : 1), now, NULL);
    size_t line = c->panes.chal_scroll + (size_t)(y - r->y - 1);
    long tag = line < tb.count ? tb.lines[line].tag : -1;
    textbuf_free(&tb);
    return tag;
}
