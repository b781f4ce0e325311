/* layout: pure arithmetic of the console's screen (see layout.h). */
#include "ui/layout.h"

static struct rect rect_make(int y, int x, int h, int w)
{
    struct rect r = {y, x, h > 0 ? h : 0, w > 0 ? w : 0};
    if (r.h == 0 || r.w == 0)
        r.h = r.w = 0;
    return r;
}

struct rect layout_body(const struct layout *l)
{
    const struct rect *low = rect_visible(&l->challenges) && !rect_visible(&l->detail)
                                 ? &l->challenges
                                 : &l->detail;
    int bottom = rect_visible(low) ? low->y + low->h : l->list.y + l->list.h;
    return (struct rect){l->list.y, 0, bottom - l->list.y, l->cols};
}

bool rect_visible(const struct rect *r)
{
    return r && r->h > 0 && r->w > 0;
}

bool rect_contains(const struct rect *r, int y, int x)
{
    return rect_visible(r) && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

const struct rect *layout_pane(const struct layout *l, enum pane p)
{
    switch (p) {
    case PANE_LIST: return &l->list;
    case PANE_DETAIL: return &l->detail;
    case PANE_CHALLENGES: return &l->challenges;
    default: return NULL;
    }
}

void layout_compute(struct layout *l, int cols, int rows, enum pane focus, enum pane bottom,
                    int message_rows)
{
    layout_compute_strip(l, cols, rows, focus, bottom, message_rows, 0, 0);
}

#define STRIP_KEEP_ROWS 11 /* list (5) + a lower pane of 6 rows */

void layout_compute_strip(struct layout *l, int cols, int rows, enum pane focus,
                          enum pane bottom, int message_rows, int strip_rows, int list_want)
{
    struct layout z = {0};
    *l = z;
    l->cols = cols;
    l->rows = rows;
    if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
        l->too_small = true;
        return;
    }
    l->split = cols >= LAYOUT_SPLIT_COLS;
    l->header = rect_make(0, 0, LAYOUT_HEADER_ROWS, cols);
    if (message_rows < 1)
        message_rows = 1;
    if (message_rows > LAYOUT_MESSAGE_MAX)
        message_rows = LAYOUT_MESSAGE_MAX;
    l->legend = rect_make(rows - 1, 0, 1, cols);
    l->message = rect_make(rows - 1 - message_rows, 0, message_rows, cols);

    int top = LAYOUT_HEADER_ROWS;
    int body = rows - LAYOUT_HEADER_ROWS - 1 - message_rows; /* >= 10 */
    int strip = strip_rows < body - STRIP_KEEP_ROWS ? strip_rows : body - STRIP_KEEP_ROWS;
    if (strip > 1 && body - strip - 5 < LAYOUT_ROOMY_LOWER)
        strip = 1; /* short of room: the strip's title line only */
    if (strip > 0) {
        body -= strip;
        l->responder = rect_make(top + body, 0, strip, cols);
    }
    int list_h = body * 2 / 5;
    if (!l->split && focus != PANE_LIST)
        list_h = body / 4; /* the focused lower pane gets the room */
    if (list_h < 5)
        list_h = 5; /* column titles + 4 orders */
    if (list_want > 0 && list_h > (list_want < 3 ? 3 : list_want))
        list_h = list_want < 3 ? 3 : list_want; /* no blank rows while the panes wrap */
    l->list = rect_make(top, 0, list_h, cols);

    int low_y = top + list_h, low_h = body - list_h;
    if (l->split) {
        int left = cols / 2;
        l->detail = rect_make(low_y, 0, low_h, left);
        l->separator = rect_make(low_y, left, low_h, 1);
        l->challenges = rect_make(low_y, left + 1, low_h, cols - left - 1);
    } else if (bottom == PANE_CHALLENGES) {
        l->challenges = rect_make(low_y, 0, low_h, cols);
    } else {
        l->detail = rect_make(low_y, 0, low_h, cols);
    }
}

void layout_columns(const struct column_spec *specs, size_t n, int width, int gap, int *widths)
{
    if (width < 0)
        width = 0;
    for (size_t i = 0; i < n; i++)
        widths[i] = specs[i].min > 0 ? specs[i].min : 1;

    /* drop columns until the minimums (and the gaps between the visible
     * columns) fit */
    for (;;) {
        int total = 0, shown = 0;
        for (size_t i = 0; i < n; i++)
            if (widths[i]) {
                total += widths[i];
                shown++;
            }
        if (shown > 1)
            total += gap * (shown - 1);
        if (total <= width)
            break;
        size_t victim = n;
        for (size_t i = 0; i < n; i++)
            if (widths[i] && specs[i].drop > 0 &&
                (victim == n || specs[i].drop >= specs[victim].drop))
                victim = i;
        if (victim == n) {
            /* only undroppable columns are left: cut from the right */
            int over = total - width;
            for (size_t i = n; i-- > 0 && over > 0;) {
                if (!widths[i])
                    continue;
                int cut = widths[i] < over ? widths[i] : over;
                widths[i] -= cut;
                over -= cut;
                if (widths[i] == 0 && over > 0)
                    over -= gap; /* its gap went with it */
            }
            return;
        }
        widths[victim] = 0;
    }

    int total = 0, shown = 0, flex = 0;
    for (size_t i = 0; i < n; i++)
        if (widths[i]) {
            total += widths[i];
            shown++;
            if (specs[i].flex)
                flex++;
        }
    if (shown > 1)
        total += gap * (shown - 1);
    int room = width - total;
    for (size_t i = 0; i < n && room > 0; i++) {
        if (!widths[i] || specs[i].want <= widths[i])
            continue;
        int grow = specs[i].want - widths[i];
        if (grow > room)
            grow = room;
        widths[i] += grow;
        room -= grow;
    }
    for (size_t i = 0; i < n && room > 0 && flex > 0; i++) {
        if (!widths[i] || !specs[i].flex)
            continue;
        int share = room / flex;
        if (flex == 1)
            share = room;
        widths[i] += share;
        room -= share;
        flex--;
    }
}
