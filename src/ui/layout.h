/* layout: where each part of the console goes for a terminal size, as pure
 * arithmetic (no curses), so it is unit-tested at every size:
 *
 *   header (2 rows)                 Vault, token, connection, counts, view
 *   order list (column header + rows)
 *   detail | challenges             side by side when wide (>= 120 cols),
 *                                   else one of them below the list (Tab)
 *   responder strip (0..N rows)     while the HTTP-01 responder runs: its
 *                                   address and the last requests answered
 *   message line (1 row; up to LAYOUT_MESSAGE_MAX for a long message),
 *   key legend (1 row)
 *
 * Below LAYOUT_MIN_COLS x LAYOUT_MIN_ROWS the console shows only a "terminal
 * too small" notice. Also the order list's columns: which fit and how wide. */
#ifndef ACMETOP_UI_LAYOUT_H
#define ACMETOP_UI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define LAYOUT_MIN_COLS 60
#define LAYOUT_MIN_ROWS 16
#define LAYOUT_SPLIT_COLS 120 /* from this width detail and challenges sit side by side */
#define LAYOUT_HEADER_ROWS 2
#define LAYOUT_MESSAGE_MAX 3

enum pane { PANE_LIST, PANE_DETAIL, PANE_CHALLENGES, PANE_COUNT };

struct rect {
    int y, x, h, w; /* h == 0 or w == 0: not shown */
};

struct layout {
    int cols, rows;
    bool too_small;
    bool split;         /* detail and challenges side by side */
    struct rect header;
    struct rect list;       /* first row: column titles */
    struct rect detail;     /* first row: pane title */
    struct rect challenges; /* first row: pane title */
    struct rect separator;  /* the column between detail and challenges (split) */
    struct rect responder;  /* the responder strip (h 0 when not asked for) */
    struct rect message;
    struct rect legend;
};

/* Lay out a cols x rows terminal. focus is the pane with the keyboard;
 * bottom is the pane shown under the list when they do not fit side by side
 * (PANE_DETAIL or PANE_CHALLENGES). On a narrow terminal a focused lower
 * pane gets more rows (the list shrinks to a few orders). message_rows: the
 * rows the message needs (clamped to 1..LAYOUT_MESSAGE_MAX). */
void layout_compute(struct layout *l, int cols, int rows, enum pane focus, enum pane bottom,
                    int message_rows);
/* The same with a strip of strip_rows rows above the message line for the
 * responders (one row when the lower pane would be left with fewer than
 * LAYOUT_ROOMY_LOWER rows; none when the panes would be left with less than
 * the list's 5 rows and 6 lower rows), and a list of at most list_want rows
 * (its titles and entries; 0 = no cap, never fewer than 3): blank list rows
 * go to the panes below. */
#define LAYOUT_ROOMY_LOWER 15
void layout_compute_strip(struct layout *l, int cols, int rows, enum pane focus,
                          enum pane bottom, int message_rows, int strip_rows, int list_want);

bool rect_visible(const struct rect *r);
/* The whole area under the header, from the list down to the panes below
 * it (a view with one list of its own draws there). */
struct rect layout_body(const struct layout *l);
bool rect_contains(const struct rect *r, int y, int x);

/* The rect of a pane in l (NULL for an out-of-range pane). */
const struct rect *layout_pane(const struct layout *l, enum pane p);

/* ---- columns ------------------------------------------------------------ */

struct column_spec {
    int min;      /* narrowest useful width */
    int want;     /* width it grows to when there is room */
    int drop;     /* 0 = never dropped; higher numbers are dropped first */
    bool flex;    /* takes whatever room is left after every want is met */
};

/* Widths for n columns separated by `gap` spaces in `width` columns:
 * columns are dropped (width 0) in decreasing `drop` order until the minimum
 * widths fit, then grown towards `want` in column order, then the flex
 * columns share the rest. The result never exceeds width (if even the
 * undroppable columns do not fit at their minimum, the last of them are cut). */
void layout_columns(const struct column_spec *specs, size_t n, int width, int gap,
                    int *widths);

#endif
