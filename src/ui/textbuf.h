/* textbuf: the content of a scrolling pane as lines of styled segments,
 * built first and drawn second, so a pane knows its length (for scrolling)
 * and which line is which (a tag per line: the challenge index a click on
 * it selects, or -1). Building wraps values by display width (wrap.h).
 * No curses: paint.c draws it. */
#ifndef ACMETOP_UI_TEXTBUF_H
#define ACMETOP_UI_TEXTBUF_H

#include <stddef.h>
#include <time.h>

#include "ui/theme.h"

struct tb_seg {
    char *text;
    enum theme_slot slot;
};

struct tb_line {
    struct tb_seg *segs;
    size_t count;
    long tag;          /* -1 = none */
    int highlight;     /* 0 = none, else a slot + 1 for the whole row */
};

struct textbuf {
    struct tb_line *lines;
    size_t count;
    size_t width;      /* columns to wrap at */
    enum theme_slot label_slot; /* style of textbuf_field labels (THEME_LABEL) */
};

void textbuf_init(struct textbuf *tb, size_t width);
void textbuf_free(struct textbuf *tb);

/* A new empty line. */
struct tb_line *textbuf_line(struct textbuf *tb, long tag);
/* Append a segment to a line (text copied; NULL counts as ""). */
void textbuf_add(struct tb_line *l, enum theme_slot slot, const char *text);
void textbuf_addf(struct tb_line *l, enum theme_slot slot, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "label     value": the label padded to label_w columns, the value wrapped
 * in the remaining width, continuation lines indented under it. */
void textbuf_field(struct textbuf *tb, const char *label, size_t label_w,
                   enum theme_slot slot, const char *value, long tag);
/* A time as a field: "2026-12-02T10:39:09Z  (1m 10s ago)", or a dim "-"
 * when t is 0 (unknown). */
void textbuf_time_field(struct textbuf *tb, const char *label, size_t label_w, time_t t,
                        time_t now);

/* A paragraph wrapped at the width, every line indented by indent. */
void textbuf_wrap(struct textbuf *tb, size_t indent, enum theme_slot slot, const char *text,
                  long tag);

/* Plain text of line i (segments joined), newly allocated (for tests). */
char *textbuf_line_text(const struct textbuf *tb, size_t i);

#endif
