/* dialog: the box's content and how it is painted (see dialog.h). */
#include "ui/dialog.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "model/text_width.h"
#include "model/xalloc.h"
#include "ui/colors.h"
#include "ui/keys.h"
#include "ui/paint.h"
#include "ui/textbuf.h"

#define DIALOG_MAX_W 78
#define PICKER_MAX_ROWS 10

struct dialog *dialog_new(const struct dialog_ops *ops, size_t size, const char *title)
{
    struct dialog *d = xcalloc(1, size < sizeof *d ? sizeof *d : size);
    d->ops = ops;
    d->title = xstrdup(title ? title : "");
    picker_init(&d->picker);
    filter_input_clear(&d->input);
    return d;
}

void dialog_free(struct dialog *d)
{
    if (!d)
        return;
    if (d->ops && d->ops->close)
        d->ops->close(d);
    free(d->title);
    free(d->body);
    free(d->answers);
    free(d->note);
    free(d->prompt);
    picker_free(&d->picker);
    OPENSSL_cleanse(&d->input, sizeof d->input); /* it may have held a secret */
    free(d);
}

void dialog_body(struct dialog *d, const char *fmt, ...)
{
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(d->body);
    d->body = xstrdup(buf);
    d->scroll = 0;
}

void dialog_answers(struct dialog *d, const char *text)
{
    free(d->answers);
    d->answers = xstrdup(text);
}

void dialog_note(struct dialog *d, bool error, const char *fmt, ...)
{
    free(d->note);
    d->note = NULL;
    d->note_error = error;
    if (!fmt)
        return;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (buf[0])
        d->note = xstrdup(buf);
}

void dialog_title(struct dialog *d, const char *title)
{
    free(d->title);
    d->title = xstrdup(title);
}

void dialog_input(struct dialog *d, const char *prompt)
{
    d->input_on = true;
    d->input_masked = false;
    free(d->prompt);
    d->prompt = xstrdup(prompt);
    filter_input_clear(&d->input);
}

void dialog_input_off(struct dialog *d)
{
    d->input_on = false;
}

bool dialog_scroll_key(struct dialog *d, int key)
{
    if (key == 'j' || key == ACTION_KEY_FN(KEY_DOWN))
        d->scroll++;
    else if (key == 'k' || key == ACTION_KEY_FN(KEY_UP))
        d->scroll = d->scroll ? d->scroll - 1 : 0;
    else
        return false;
    return true;
}

void dialog_draw(struct dialog *d, int cols, int rows)
{
    if (!d)
        return;
    if (d->ops && d->ops->draw)
        d->ops->draw(d, cols, rows);
    else
        dialog_draw_box(d, cols, rows);
}

static void draw_picker(struct dialog *d, int y, int x, int w, int rows)
{
    struct picker *p = &d->picker;
    picker_scroll(p, (size_t)rows);
    attr_t a = colors_attr(THEME_DIALOG), sel = colors_attr(THEME_SELECTED);
    int label_w = 0;
    for (size_t i = 0; i < p->count; i++) {
        int lw = (int)text_width(p->items[i].label);
        if (lw > label_w)
            label_w = lw;
    }
    if (label_w > w / 2)
        label_w = w / 2;
    for (int r = 0; r < rows && p->top + (size_t)r < p->count; r++) {
        size_t i = p->top + (size_t)r;
        attr_t at = i == p->cursor ? sel : a;
        paint_fill(y + r, x, w, at);
        paint_text(y + r, x, 2, at, i == p->cursor ? "> " : "  ");
        paint_text_cut(y + r, x + 2, label_w, at | A_BOLD, p->items[i].label);
        if (p->items[i].detail)
            paint_text_cut(y + r, x + 4 + label_w, w - 4 - label_w, at, p->items[i].detail);
    }
}

void dialog_draw_box(struct dialog *d, int cols, int rows)
{
    int w = cols - 4 < DIALOG_MAX_W ? cols - 4 : DIALOG_MAX_W;
    if (w < 20 || rows < 8)
        return;
    int inner = w - 4;
    struct textbuf body, note;
    textbuf_init(&body, (size_t)inner);
    textbuf_wrap(&body, 0, THEME_SLOT_COUNT, d->body ? d->body : "", -1);
    textbuf_init(&note, (size_t)inner);
    if (d->note)
        textbuf_wrap(&note, 0, d->note_error ? THEME_ERROR : THEME_DIM, d->note,
                     -1);

    int picker_rows = 0;
    if (d->picker_on)
        picker_rows = d->picker.count < PICKER_MAX_ROWS ? (int)d->picker.count
                                                               : PICKER_MAX_ROWS;
    /* title + gap, gap + answers + bottom row, the input, the note */
    int base = 5 + (d->input_on ? 2 : 0) + (note.count ? (int)note.count + 1 : 0);
    int max_h = rows - 2;
    int room = max_h - base;
    if (picker_rows > 0) {
        int most = room - 1 - (body.count ? 1 : 0); /* keep a body row */
        if (picker_rows > most)
            picker_rows = most > 1 ? most : 1;
        room -= picker_rows + 1;
    }
    int body_rows = (int)body.count < room ? (int)body.count : room;
    if (body_rows < 0)
        body_rows = 0;
    int h = base + (picker_rows ? picker_rows + 1 : 0) + body_rows;
    if (h > max_h)
        h = max_h;
    size_t max_scroll = body.count > (size_t)body_rows ? body.count - (size_t)body_rows : 0;
    if (d->scroll > max_scroll)
        d->scroll = max_scroll;

    int y = (rows - h) / 2, x = (cols - w) / 2;
    attr_t a = colors_attr(THEME_DIALOG);
    for (int i = 0; i < h; i++)
        paint_fill(y + i, x, w, a);
    paint_fill(y, x, w, colors_attr(THEME_DIALOG_TITLE));
    paint_text(y, x + 2, w - 4, colors_attr(THEME_DIALOG_TITLE), d->title);
    int row = y + 2;
    if (body_rows > 0) {
        struct rect r = {row, x + 2, body_rows, inner};
        paint_textbuf(&body, &r, d->scroll, -1, 0, a);
        if (max_scroll > 0) {
            char more[32];
            snprintf(more, sizeof more, " j/k %zu/%zu ", d->scroll + 1, max_scroll + 1);
            paint_text(y, x + w - 14, 13, colors_attr(THEME_DIALOG_TITLE), more);
        }
        row += body_rows;
    }
    if (picker_rows > 0 && row + picker_rows < y + h - 2) {
        row++;
        draw_picker(d, row, x + 2, inner, picker_rows);
        row += picker_rows;
    }
    if (d->input_on && row + 2 < y + h - 1) {
        row++;
        attr_t in = colors_attr(THEME_INPUT);
        int px = paint_text(row, x + 2, inner, a | A_BOLD, d->prompt ? d->prompt : "");
        paint_fill(row, x + 2 + px, inner - px, in);
        /* the end of a long text stays visible */
        const char *text = d->input.text;
        int room = inner - px - 1;
        while (room > 0 && (int)text_width(text) > room && *text) {
            text++;
            while ((*text & 0xC0) == 0x80)
                text++;
        }
        char stars[FILTER_INPUT_MAX + 1];
        if (d->input_masked) { /* a secret: its length only */
            size_t n = 0;
            for (const char *p = d->input.text; *p && n < FILTER_INPUT_MAX; p++)
                if (((unsigned char)*p & 0xC0) != 0x80)
                    stars[n++] = '*';
            stars[n] = '\0';
            text = stars;
            while (room > 0 && (int)strlen(text) > room)
                text++;
        }
        int tx = paint_text(row, x + 2 + px, room, in, text);
        paint_text(row, x + 2 + px + tx, 1, in | A_REVERSE, " ");
        row++;
    }
    if (note.count && row + 1 < y + h - 2) {
        row++;
        int nrows = (int)note.count;
        if (row + nrows > y + h - 2)
            nrows = y + h - 2 - row;
        struct rect r = {row, x + 2, nrows, inner};
        paint_textbuf(&note, &r, 0, -1, 0, a);
    }
    paint_text(y + h - 2, x + 2, inner, a | A_BOLD, d->answers ? d->answers : "[Esc] Close");
    textbuf_free(&body);
    textbuf_free(&note);
}
