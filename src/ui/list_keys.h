/* list_keys: the shared list keys (`/` filter, sort, moving, refresh) on
 * the list of the view on screen: the order store for the orders, the
 * view's resource list for roles, accounts and DNS providers
 * (ui/resource_view.h). */
#ifndef ACMETOP_UI_LIST_KEYS_H
#define ACMETOP_UI_LIST_KEYS_H

#include <stddef.h>

#include "ui/filter_input.h"

struct console_state;

/* The text filter of the list on screen. */
struct filter_input *list_keys_filter(struct console_state *c);
/* Its text changed: filter again. */
void list_keys_filter_changed(struct console_state *c);
/* Rows that pass the filter. */
size_t list_keys_shown(struct console_state *c);
/* What the list holds, in the plural ("orders", "roles"). */
const char *list_keys_noun(struct console_state *c);

/* Move a view's own cursor over n rows by delta (LONG_MIN / LONG_MAX: the
 * first / last row), clamped. */
void list_keys_cursor_move(size_t *cursor, size_t n, long delta);

#endif
