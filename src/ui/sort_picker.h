/* sort_picker: the order list's sort by column. The columns in screen
 * order, each with the sort it means (STATUS = urgency, AGE = newest,
 * EXPIRES = order expiry, CERT = certificate expiry, ...); `s`/`>` and `<`
 * step through them, F6 opens a picker of them (htop's SortBy). */
#ifndef ACMETOP_UI_SORT_PICKER_H
#define ACMETOP_UI_SORT_PICKER_H

#include "model/order_store.h"
#include "ui/dialog.h"

struct console_state;

/* The sort of the column after (step 1) or before (step -1) the current
 * one, wrapping around. */
enum order_sort sort_picker_step(enum order_sort current, int step);
/* The list's column title a sort belongs to ("STATUS", "AGE", ...). */
const char *sort_picker_column(enum order_sort mode);
/* Sort the list by mode (keeping the direction) and say so. */
void sort_picker_apply(struct console_state *c, enum order_sort mode);
/* Open the picker, its cursor on the current sort. */
void sort_picker_open(struct console_state *c);

extern const struct dialog_ops sort_picker_ops;

#endif
