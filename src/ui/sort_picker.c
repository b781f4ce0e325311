/* sort_picker: sort the order list by column (see sort_picker.h). */
#include "ui/sort_picker.h"

#include <stdio.h>

#include "ui/action.h"
#include "ui/console_state.h"
#include "ui/keys.h"

/* The list's columns left to right, with the sort each one means. */
static const struct {
    const char *column;
    enum order_sort mode;
    const char *what;
} columns[] = {
    {"STATUS", ORDER_SORT_URGENCY,
     "urgency: the operator's turn first, then the nearest deadline"},
    {"ID", ORDER_SORT_ID, "order ID"},
    {"ROLE", ORDER_SORT_ROLE, "role name"},
    {"IDENTIFIERS", ORDER_SORT_IDENTIFIER, "first identifier"},
    {"AGE", ORDER_SORT_CREATED, "newest first"},
    {"EXPIRES", ORDER_SORT_ORDER_EXPIRY, "the ACME order expiring first"},
    {"CERT", ORDER_SORT_CERT_EXPIRY, "the certificate expiring first"},
    {"RENEW", ORDER_SORT_RENEW, "the renewal due first"},
};
#define COLUMNS (sizeof columns / sizeof columns[0])

static size_t column_of(enum order_sort mode)
{
    for (size_t i = 0; i < COLUMNS; i++)
        if (columns[i].mode == mode)
            return i;
    return 0;
}

enum order_sort sort_picker_step(enum order_sort current, int step)
{
    size_t i = (column_of(current) + COLUMNS + (size_t)(step % (int)COLUMNS)) % COLUMNS;
    return columns[i].mode;
}

const char *sort_picker_column(enum order_sort mode)
{
    return columns[column_of(mode)].column;
}

void sort_picker_apply(struct console_state *c, enum order_sort mode)
{
    console_state_set_sort(c, mode, c->list.sort_reverse);
    console_state_say(c, MESSAGE_INFO, "sorted by %s (%s)%s: S reverses",
                      sort_picker_column(mode), order_sort_name(mode),
                      c->list.sort_reverse ? ", reversed" : "");
}

static bool picker_key(struct console_state *c, struct dialog *d, int key)
{
    if (key == ACTION_KEY_ESC || key == 'q') {
        console_state_dialog_close(c);
        return true;
    }
    if (keys_move_picker(&d->picker, key))
        return true;
    if (keys_is_enter(key)) {
        enum order_sort mode = columns[d->picker.cursor < COLUMNS ? d->picker.cursor : 0].mode;
        console_state_dialog_close(c);
        sort_picker_apply(c, mode);
    }
    return true;
}

static void picker_close(struct dialog *d)
{
    picker_free(&d->picker);
}

const struct dialog_ops sort_picker_ops = {
    .name = "sort",
    .key = picker_key,
    .close = picker_close,
};

void sort_picker_open(struct console_state *c)
{
    struct dialog *d = dialog_new(&sort_picker_ops, sizeof *d, "Sort by");
    dialog_body(d, "Sort the order list by the column (S reverses it):");
    d->picker_on = true;
    picker_init(&d->picker);
    for (size_t i = 0; i < COLUMNS; i++)
        picker_add(&d->picker, columns[i].column, columns[i].what);
    picker_set(&d->picker, column_of(c->list.sort));
    dialog_answers(d, "Enter sorts  Esc cancels");
    console_state_dialog_show(c, d);
}
