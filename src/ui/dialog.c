/* dialog: the modal box (see dialog.h). */
#include "ui/dialog.h"

#include <stdio.h>

#include "model/text_width.h"
#include "ui/actions.h"
#include "ui/colors.h"
#include "ui/paint.h"
#include "ui/textbuf.h"

#define DIALOG_MAX_W 78
#define PICKER_MAX_ROWS 10

static const char *default_answers(const struct console_state *c, char *buf, size_t size)
{
    size_t n;
    const struct action *table = actions_table(&n);
    const char *label = c->dialog.action >= 0 && (size_t)c->dialog.action < n
                            ? table[c->dialog.action].legend
                            : NULL;
    snprintf(buf, size, "[y] %s    [n] Cancel", label ? label : "Yes");
    return buf;
}

static void draw_picker(struct console_state *c, int y, int x, int w, int rows)
{
    struct picker *p = &c->dialog.picker;
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

void dialog_draw(struct console_state *c, int cols, int rows)
{
    if (!c->dialog.open)
        return;
    int w = cols - 4 < DIALOG_MAX_W ? cols - 4 : DIALOG_MAX_W;
    if (w < 20 || rows < 8)
        return;
    int inner = w - 4;
    struct textbuf body, note;
    textbuf_init(&body, (size_t)inner);
    textbuf_wrap(&body, 0, THEME_SLOT_COUNT, c->dialog.body ? c->dialog.body : "", -1);
    textbuf_init(&note, (size_t)inner);
    if (c->dialog.note)
        textbuf_wrap(&note, 0, c->dialog.note_error ? THEME_ERROR : THEME_DIM, c->dialog.note,
                     -1);

    int picker_rows = 0;
    if (c->dialog.picker_on)
        picker_rows = c->dialog.picker.count < PICKER_MAX_ROWS ? (int)c->dialog.picker.count
                                                               : PICKER_MAX_ROWS;
    /* title + gap, gap + answers + bottom row, the input, the note */
    int base = 5 + (c->dialog.input_on ? 2 : 0) + (note.count ? (int)note.count + 1 : 0);
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
    if (c->dialog.scroll > max_scroll)
        c->dialog.scroll = max_scroll;

    int y = (rows - h) / 2, x = (cols - w) / 2;
    attr_t a = colors_attr(THEME_DIALOG);
    for (int i = 0; i < h; i++)
        paint_fill(y + i, x, w, a);
    paint_fill(y, x, w, colors_attr(THEME_DIALOG_TITLE));
    paint_text(y, x + 2, w - 4, colors_attr(THEME_DIALOG_TITLE), c->dialog.title);
    int row = y + 2;
    if (body_rows > 0) {
        struct rect r = {row, x + 2, body_rows, inner};
        paint_textbuf(&body, &r, c->dialog.scroll, -1, 0, a);
        if (max_scroll > 0) {
            char more[32];
            snprintf(more, sizeof more, " j/k %zu/%zu ", c->dialog.scroll + 1, max_scroll + 1);
            paint_text(y, x + w - 14, 13, colors_attr(THEME_DIALOG_TITLE), more);
        }
        row += body_rows;
    }
    if (picker_rows > 0 && row + picker_rows < y + h - 2) {
        row++;
        draw_picker(c, row, x + 2, inner, picker_rows);
        row += picker_rows;
    }
    if (c->dialog.input_on && row + 2 < y + h - 1) {
        row++;
        attr_t in = colors_attr(THEME_INPUT);
        int px = paint_text(row, x + 2, inner, a | A_BOLD, c->dialog.prompt ? c->dialog.prompt : "");
        paint_fill(row, x + 2 + px, inner - px, in);
        /* the end of a long text stays visible */
        const char *text = c->dialog.input.text;
        int room = inner - px - 1;
        while (room > 0 && (int)text_width(text) > room && *text) {
            text++;
            while ((*text & 0xC0) == 0x80)
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
    char buf[128];
    const char *answers = c->dialog.answers ? c->dialog.answers
                                            : default_answers(c, buf, sizeof buf);
    paint_text(y + h - 2, x + 2, inner, a | A_BOLD, answers);
    textbuf_free(&body);
    textbuf_free(&note);
}
