/* action: one row of the operator's action table: its keys, the label in
 * the key legend, the line in the `?` help, whether it asks before sending
 * anything, and its handler. The rows live in actions.c (the keys every view
 * has) and in each view's file (the keys it adds); actions.h walks them as
 * one table. A type of its own so that views can declare rows without
 * depending on the dispatcher. */
#ifndef ACMETOP_UI_ACTION_H
#define ACMETOP_UI_ACTION_H

#include <stdbool.h>

#define ACTION_KEYS_MAX 7

struct console_state;

struct action {
    const char *name;            /* stable identifier ("fulfill") */
    int keys[ACTION_KEYS_MAX];   /* 0-terminated (ui/keys.h) */
    const char *key_label;       /* how the keys are written ("j ↓") */
    const char *legend;          /* label in the key legend; NULL = help only */
    int legend_rank;             /* when the legend is too narrow, lower ranks stay */
    const char *help;            /* one line for the help screen */
    bool confirm;                /* run() opens a dialog that asks before anything is sent */
    void (*run)(struct console_state *c, int key);
    unsigned acts;               /* ACTION_ACTS: changes something (the responder, files,
                                    the list): refused while the list is paused (z);
                                    ACTION_WRITES: also writes to Vault: refused in a
                                    read-only context, before anything is built */
};

#define ACTION_ACTS 1u
#define ACTION_WRITES 3u

#endif
