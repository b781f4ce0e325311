/* textbuf: styled, tagged lines of a pane (see textbuf.h). */
#include "ui/textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/reltime.h"
#include "model/rfc3339.h"
#include "model/text_width.h"
#include "model/xalloc.h"
#include "ui/wrap.h"

void textbuf_init(struct textbuf *tb, size_t width)
{
    tb->lines = NULL;
    tb->count = 0;
    tb->width = width ? width : 1;
    tb->label_slot = THEME_LABEL;
}

void textbuf_free(struct textbuf *tb)
{
    for (size_t i = 0; i < tb->count; i++) {
        for (size_t j = 0; j < tb->lines[i].count; j++)
            free(tb->lines[i].segs[j].text);
        free(tb->lines[i].segs);
    }
    free(tb->lines);
    tb->lines = NULL;
    tb->count = 0;
}

struct tb_line *textbuf_line(struct textbuf *tb, long tag)
{
    tb->lines = xrealloc(tb->lines, (tb->count + 1) * sizeof(*tb->lines));
    struct tb_line *l = &tb->lines[tb->count++];
    l->segs = NULL;
    l->count = 0;
    l->tag = tag;
    l->highlight = 0;
    return l;
}

static void add_bytes(struct tb_line *l, enum theme_slot slot, const char *text, size_t n)
{
    l->segs = xrealloc(l->segs, (l->count + 1) * sizeof(*l->segs));
    l->segs[l->count].text = xstrndup(text ? text : "", text ? n : 0);
    l->segs[l->count].slot = slot;
    l->count++;
}

void textbuf_add(struct tb_line *l, enum theme_slot slot, const char *text)
{
    add_bytes(l, slot, text, text ? strlen(text) : 0);
}

void textbuf_addf(struct tb_line *l, enum theme_slot slot, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    textbuf_add(l, slot, buf);
}

static void pad(struct tb_line *l, size_t cols)
{
    char spaces[128];
    if (cols >= sizeof spaces)
        cols = sizeof spaces - 1;
    memset(spaces, ' ', cols);
    spaces[cols] = '\0';
    if (cols)
        textbuf_add(l, THEME_SLOT_COUNT, spaces); /* no style: the row's */
}

void textbuf_field(struct textbuf *tb, const char *label, size_t label_w,
                   enum theme_slot slot, const char *value, long tag)
{
    if (label_w + 8 > tb->width) /* too narrow for a column: value below */
        label_w = tb->width > 8 ? tb->width - 8 : 0;
    struct tb_line *l = textbuf_line(tb, tag);
    size_t lw = text_width(label);
    if (lw > label_w) {
        size_t n = text_fit_bytes(label, label_w);
        add_bytes(l, tb->label_slot, label, n);
        lw = label_w;
    } else {
        textbuf_add(l, tb->label_slot, label);
    }
    pad(l, label_w - lw);
    size_t width = tb->width - label_w;
    const char *s = value && *value ? value : "-";
    size_t len, skip;
    bool first = true;
    while (wrap_next(s, width, &len, &skip)) {
        if (!first) {
            l = textbuf_line(tb, tag);
            pad(l, label_w);
        }
        add_bytes(l, slot, s, len);
        first = false;
        s += skip;
    }
}

void textbuf_wrap(struct textbuf *tb, size_t indent, enum theme_slot slot, const char *text,
                  long tag)
{
    size_t width = tb->width > indent ? tb->width - indent : 1;
    const char *s = text ? text : "";
    size_t len, skip;
    bool any = false;
    while (wrap_next(s, width, &len, &skip)) {
        struct tb_line *l = textbuf_line(tb, tag);
        pad(l, indent);
        add_bytes(l, slot, s, len);
        s += skip;
        any = true;
    }
    if (!any)
        textbuf_line(tb, tag);
}

char *textbuf_line_text(const struct textbuf *tb, size_t i)
{
    if (i >= tb->count)
        return NULL;
    size_t n = 1;
    for (size_t j = 0; j < tb->lines[i].count; j++)
        n += strlen(tb->lines[i].segs[j].text);
    char *out = xmalloc(n);
    out[0] = '\0';
    for (size_t j = 0; j < tb->lines[i].count; j++)
        strcat(out, tb->lines[i].segs[j].text);
    return out;
}

void textbuf_time_field(struct textbuf *tb, const char *label, size_t label_w, time_t t,
                        time_t now)
{
    char abs[RFC3339_BUF], rel[RELTIME_BUF], text[96];
    if (!t) {
        textbuf_field(tb, label, label_w, THEME_DIM, "-", -1);
        return;
    }
    snprintf(text, sizeof text, "%s  (%s)", rfc3339_format(t, abs, sizeof abs),
             reltime_format(t, now, rel, sizeof rel));
    textbuf_field(tb, label, label_w, THEME_NORMAL, text, -1);
}
