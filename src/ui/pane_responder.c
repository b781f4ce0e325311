/* pane_responder: the HTTP-01 responder strip (see pane_responder.h). */
#include "ui/pane_responder.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui/colors.h"
#include "ui/paint.h"

#define STRIP_HITS 3

int pane_responder_rows(const struct console_state *c)
{
    if (!responder_running(&c->responder))
        return 0;
    size_t n = c->responder.hit_count < STRIP_HITS ? c->responder.hit_count : STRIP_HITS;
    return 1 + (n ? (int)n : 1);
}

bool pane_responder_line(const struct console_state *c, int i, char *buf, size_t size)
{
    const struct responder_state *r = &c->responder;
    if (i == 0) {
        size_t orders = responder_order_count(r);
        char serving[96] = "serving no token";
        if (r->served_count)
            snprintf(serving, sizeof serving, "serving %zu token%s of %zu order%s",
                     r->served_count, r->served_count == 1 ? "" : "s", orders,
                     orders == 1 ? "" : "s");
        char dropped[64] = "";
        if (r->dropped)
            snprintf(dropped, sizeof dropped, "  %lu idle connection%s dropped", r->dropped,
                     r->dropped == 1 ? "" : "s");
        snprintf(buf, size, "HTTP-01 responder %s  %s  %lu request%s answered%s  (u stops)",
                 r->address ? r->address : "?", serving, r->total_hits,
                 r->total_hits == 1 ? "" : "s", dropped);
        return true;
    }
    if (i == 1 && r->hit_count == 0) {
        snprintf(buf, size, "  no request yet: the CA fetches the answers once a challenge is "
                            "marked fulfilled");
        return true;
    }
    const struct responder_hit *h = responder_hit_at(r, (size_t)(i - 1));
    if (!h || i > STRIP_HITS)
        return false;
    struct tm tm;
    char at[16] = "--:--:--";
    if (localtime_r(&h->at, &tm))
        strftime(at, sizeof at, "%H:%M:%S", &tm);
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
    return true;
}

void pane_responder_draw(const struct console_state *c, const struct rect *r)
{
    if (!rect_visible(r))
        return;
    char line[1024];
    for (int i = 0; i < r->h; i++) {
        const struct responder_hit *h = i > 0 ? responder_hit_at(&c->responder, (size_t)(i - 1))
                                              : NULL;
        attr_t a = i == 0 ? colors_attr(THEME_TITLE)
                   : h    ? colors_attr(h->status == 200 ? THEME_OK : THEME_ERROR)
                          : colors_attr(THEME_DIM);
        paint_fill(r->y + i, r->x, r->w, i == 0 ? a : colors_attr(THEME_NORMAL));
        if (pane_responder_line(c, i, line, sizeof line))
            paint_text_cut(r->y + i, r->x + (i == 0 ? 1 : 0), r->w - 1, a, line);
    }
}
