/* picker: a list to choose one entry from, inside a dialog (the roles of
 * the new-order form, the revocation reasons): entries with a label and a
 * detail line, a cursor that stays in range, and the first row shown so the
 * cursor stays visible in however many rows the dialog has.  Pure (no
 * curses): dialog.c draws it, the flows move it. */
#ifndef ACMETOP_UI_PICKER_H
#define ACMETOP_UI_PICKER_H

#include <stddef.h>

struct picker_item {
    char *label;   /* what is chosen ("web", "key_compromise") */
    char *detail;  /* one line about it, may be NULL */
};

struct picker {
    struct picker_item *items;
    size_t count;
    size_t cursor;
    size_t top;    /* first item shown (picker_scroll keeps the cursor in view) */
};

void picker_init(struct picker *p);
void picker_free(struct picker *p); /* contents; re-inits */
/* Append an entry (strings copied; detail may be NULL). */
void picker_add(struct picker *p, const char *label, const char *detail);
/* Move the cursor by delta (clamped); absolute: to delta itself (clamped,
 * so (size_t)-1 or a big number means the last entry). */
void picker_move(struct picker *p, long delta);
void picker_set(struct picker *p, size_t index);
/* The entry under the cursor, or NULL when empty. */
const struct picker_item *picker_current(const struct picker *p);
/* Make the cursor visible in `rows` rows (adjusts top). */
void picker_scroll(struct picker *p, size_t rows);

#endif
