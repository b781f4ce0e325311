/* pane_responder: the responders' strip (see pane_responder.h). */
#include "ui/pane_responder.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui/colors.h"
#include "ui/paint.h"

#define STRIP_HITS 3

enum line_kind { LINE_NONE, LINE_TITLE, LINE_HINT, LINE_GOOD, LINE_BAD };

static int http_rows(const struct responder_state *r)
{
    if (!r->running)
        return 0;
    size_t n = r->hit_count < STRIP_HITS ? r->hit_count : STRIP_HITS;
    return 1 + (n ? (int)n : 1);
}

static int tls_rows(const struct responder_state *r)
{
    if (!r->tls_running)
        return 0;
    size_t n = r->hs_count < STRIP_HITS ? r->hs_count : STRIP_HITS;
    return 1 + (n ? (int)n : 1);
}

int pane_responder_rows(const struct console_state *c)
{
    return http_rows(&c->responder) + tls_rows(&c->responder);
}

static void at_text(time_t t, char *at, size_t size)
{
    struct tm tm;
    snprintf(at, size, "--:--:--");
    if (localtime_r(&t, &tm))
        strftime(at, size, "%H:%M:%S", &tm);
}

static void dropped_text(unsigned long n, char *buf, size_t size)
{
    buf[0] = '\0';
    if (n)
        snprintf(buf, size, "  %lu idle connection%s dropped", n, n == 1 ? "" : "s");
}

static enum line_kind http_line(const struct responder_state *r, int i, char *buf, size_t size)
{
    if (i == 0) {
        size_t tokens = responder_served_of(r, "http-01");
        size_t orders = responder_order_count(r, "http-01");
        char serving[96] = "serving no token";
        if (tokens)
            snprintf(serving, sizeof serving, "serving %zu token%s of %zu order%s", tokens,
                     tokens == 1 ? "" : "s", orders, orders == 1 ? "" : "s");
        char dropped[64];
        dropped_text(r->dropped, dropped, sizeof dropped);
        snprintf(buf, size, "HTTP-01 responder %s  %s  %lu request%s answered%s  (u stops)",
                 r->address ? r->address : "?", serving, r->total_hits,
                 r->total_hits == 1 ? "" : "s", dropped);
        return LINE_TITLE;
    }
    if (i == 1 && r->hit_count == 0) {
        snprintf(buf, size, "  no request yet: the CA fetches the answers once a challenge is "
                            "marked fulfilled");
        return LINE_HINT;
    }
    const struct responder_hit *h = i <= STRIP_HITS ? responder_hit_at(r, (size_t)(i - 1)) : NULL;
    if (!h)
        return LINE_NONE;
    char at[16];
    at_text(h->at, at, sizeof at);
    char what[400];
    if (h->identifier)
        snprintf(what, sizeof what, "%s  token %.12s...", h->identifier, h->token);
    else if (h->token && *h->token)
        snprintf(what, sizeof what, "unknown token %.40s", h->token);
    else
        snprintf(what, sizeof what, "%s %s", h->method && *h->method ? h->method : "?",
                 h->path && *h->path ? h->path : "(unreadable request)");
    snprintf(buf, size, "  %s  %-21s %d  %s  %zu B", at, h->remote ? h->remote : "?", h->status,
             what, h->bytes);
    return h->status == 200 ? LINE_GOOD : LINE_BAD;
}

static enum line_kind tls_line(const struct responder_state *r, int i, char *buf, size_t size)
{
    if (i == 0) {
        size_t names = responder_served_of(r, "tls-alpn-01");
        size_t orders = responder_order_count(r, "tls-alpn-01");
        char serving[96] = "serving no identifier";
        if (names)
            snprintf(serving, sizeof serving, "serving %zu identifier%s of %zu order%s", names,
                     names == 1 ? "" : "s", orders, orders == 1 ? "" : "s");
        char dropped[64];
        dropped_text(r->tls_dropped, dropped, sizeof dropped);
        snprintf(buf, size, "TLS-ALPN-01 responder %s  %s  %lu handshake%s%s  (u stops)",
                 r->tls_address ? r->tls_address : "?", serving, r->tls_total,
                 r->tls_total == 1 ? "" : "s", dropped);
        return LINE_TITLE;
    }
    if (i == 1 && r->hs_count == 0) {
        snprintf(buf, size, "  no handshake yet: the CA connects once a challenge is marked "
                            "fulfilled");
        return LINE_HINT;
    }
    const struct responder_handshake *h =
        i <= STRIP_HITS ? responder_handshake_at(r, (size_t)(i - 1)) : NULL;
    if (!h)
        return LINE_NONE;
    char at[16];
    at_text(h->at, at, sizeof at);
    snprintf(buf, size, "  %s  %-21s SNI %s  %s: %s", at, h->remote ? h->remote : "?",
             h->sni && *h->sni ? h->sni : "(none)", h->outcome ? h->outcome : "?",
             h->detail ? h->detail : "");
    return h->served ? LINE_GOOD : LINE_BAD;
}

static enum line_kind strip_line(const struct console_state *c, int i, char *buf, size_t size)
{
    const struct responder_state *r = &c->responder;
    int h = http_rows(r);
    if (i < 0)
        return LINE_NONE;
    if (i < h)
        return http_line(r, i, buf, size);
    if (i - h < tls_rows(r))
        return tls_line(r, i - h, buf, size);
    return LINE_NONE;
}

bool pane_responder_line(const struct console_state *c, int i, char *buf, size_t size)
{
    return strip_line(c, i, buf, size) != LINE_NONE;
}

void pane_responder_draw(const struct console_state *c, const struct rect *r)
{
    if (!rect_visible(r))
        return;
    char line[1024];
    for (int i = 0; i < r->h; i++) {
        enum line_kind k = strip_line(c, i, line, sizeof line);
        attr_t a = k == LINE_TITLE  ? colors_attr(THEME_TITLE)
                   : k == LINE_GOOD ? colors_attr(THEME_OK)
                   : k == LINE_BAD  ? colors_attr(THEME_ERROR)
                                    : colors_attr(THEME_DIM);
        paint_fill(r->y + i, r->x, r->w, k == LINE_TITLE ? a : colors_attr(THEME_NORMAL));
        if (k != LINE_NONE)
            paint_text_cut(r->y + i, r->x + (k == LINE_TITLE ? 1 : 0), r->w - 1, a, line);
    }
}
