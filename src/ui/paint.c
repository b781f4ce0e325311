/* paint: width-safe text output on stdscr (see paint.h). */
#include "ui/paint.h"

#include <stdlib.h>
#include <string.h>

#include "model/text_sanitize.h"
#include "model/text_width.h"
#include "model/xalloc.h"
#include "ui/colors.h"
#include "ui/glyphs.h"

/* Does s hold anything text_sanitize would change? (C0, DEL, C1, bad UTF-8
 * are all outside printable ASCII: scan for bytes that need a closer look.) */
static bool needs_sanitize(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p >= 0x7f)
            return true;
    return false;
}

int paint_text(int y, int x, int w, attr_t attr, const char *text)
{
    if (w <= 0 || !text || !*text)
        return 0;
    char *copy = NULL;
    if (needs_sanitize(text)) {
        copy = xstrdup(text);
        text_sanitize(copy, false);
        text = copy;
    }
    size_t n = text_fit_bytes(text, (size_t)w);
    int used = (int)text_width(copy ? copy : text);
    if (n < strlen(text)) {
        char *tmp = xstrndup(text, n);
        used = (int)text_width(tmp);
        free(tmp);
    }
    attr_set(attr, PAIR_NUMBER(attr), NULL);
    mvaddnstr(y, x, text, (int)n);
    attr_set(A_NORMAL, 0, NULL);
    free(copy);
    return used;
}

int paint_text_cut(int y, int x, int w, attr_t attr, const char *text)
{
    if (w <= 0 || !text)
        return 0;
    if (text_width(text) <= (size_t)w)
        return paint_text(y, x, w, attr, text);
    int used = paint_text(y, x, w - 1, attr, text);
    return used + paint_text(y, x + used, 1, attr, glyph_ellipsis());
}

void paint_fill(int y, int x, int w, attr_t attr)
{
    if (w <= 0)
        return;
    attr_set(attr, PAIR_NUMBER(attr), NULL);
    mvhline(y, x, ' ', w);
    attr_set(A_NORMAL, 0, NULL);
}

void paint_textbuf(const struct textbuf *tb, const struct rect *r, size_t scroll,
                   long mark_tag, attr_t mark_attr, attr_t base_attr)
{
    for (int row = 0; row < r->h; row++) {
        size_t i = scroll + (size_t)row;
        int y = r->y + row;
        const struct tb_line *l = i < tb->count ? &tb->lines[i] : NULL;
        bool mark = l && mark_tag >= 0 && l->tag == mark_tag;
        attr_t base = mark ? mark_attr
                      : l && l->highlight ? colors_attr((enum theme_slot)(l->highlight - 1))
                                          : base_attr;
        paint_fill(y, r->x, r->w, base);
        if (!l)
            continue;
        int x = 0;
        for (size_t s = 0; s < l->count && x < r->w; s++) {
            enum theme_slot slot = l->segs[s].slot;
            attr_t a = mark || l->highlight || slot == THEME_SLOT_COUNT ? base : colors_attr(slot);
            x += paint_text(y, r->x + x, r->w - x, a, l->segs[s].text);
        }
    }
}
