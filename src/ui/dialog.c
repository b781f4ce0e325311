/* dialog: the confirmation box (see dialog.h). */
#include "ui/dialog.h"

#include <stdio.h>

#include "ui/actions.h"
#include "ui/colors.h"
#include "ui/paint.h"
#include "ui/textbuf.h"

void dialog_draw(const struct console_state *c, int cols, int rows)
{
    if (!c->dialog.open)
        return;
    int w = cols - 4 < 72 ? cols - 4 : 72;
    if (w < 20)
        return;
    struct textbuf tb;
    textbuf_init(&tb, (size_t)(w - 4));
    textbuf_wrap(&tb, 0, THEME_SLOT_COUNT, c->dialog.body, -1);
    size_t n;
    const struct action *table = actions_table(&n);
    const char *label = c->dialog.action >= 0 && (size_t)c->dialog.action < n
                            ? table[c->dialog.action].legend
                            : "Yes";
    int h = (int)tb.count + 5;
    if (h > rows - 2)
        h = rows - 2;
    int y = (rows - h) / 2, x = (cols - w) / 2;
    attr_t a = colors_attr(THEME_DIALOG);
    for (int i = 0; i < h; i++)
        paint_fill(y + i, x, w, a);
    paint_fill(y, x, w, colors_attr(THEME_DIALOG_TITLE));
    paint_text(y, x + 2, w - 4, colors_attr(THEME_DIALOG_TITLE), c->dialog.title);
    struct rect body = {y + 2, x + 2, h - 5, w - 4};
    if (body.h > 0)
        paint_textbuf(&tb, &body, 0, -1, 0, a);
    char answers[128];
    snprintf(answers, sizeof answers, "[y] %s    [n] Cancel", label ? label : "Yes");
    paint_text(y + h - 2, x + 2, w - 4, a | A_BOLD, answers);
    textbuf_free(&tb);
}
