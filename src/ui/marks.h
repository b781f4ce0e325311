/* marks: the orders the operator marked with Space (htop's tag), by ID, so
 * that w, x and e act on all of them; the list shows them with a `+`.
 * Marks of orders that leave the store are dropped (marks_prune). */
#ifndef ACMETOP_UI_MARKS_H
#define ACMETOP_UI_MARKS_H

#include <stdbool.h>
#include <stddef.h>

struct order_store;

struct marks {
    char **ids;
    size_t count;
};

/* Mark id, or unmark it when marked; true when it is marked now. */
bool marks_toggle(struct marks *m, const char *id);
bool marks_has(const struct marks *m, const char *id);
void marks_clear(struct marks *m);
/* Drop the marks of orders the store no longer has. */
void marks_prune(struct marks *m, const struct order_store *s);

#endif
