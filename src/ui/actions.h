/* actions: THE table of operator actions. One row per action: its keys,
 * the label in the key legend, the line in the `?` help, whether it asks
 * for confirmation first, and its handler. The key legend (keylegend.c),
 * the help screen (help.c), the dispatch of keys and the man page's key
 * list all come from this table, so they cannot disagree.
 *
 * Keys are ints: a character is its Unicode code point, a curses function
 * key (KEY_UP, KEY_F(1)...) is ACTION_KEY_FN(code), beyond Unicode so the
 * two never collide. Handlers work on the console state only (no curses
 * calls), except the copy actions, which write OSC 52 to the state's tty. */
#ifndef ACMETOP_UI_ACTIONS_H
#define ACMETOP_UI_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/console_state.h"

#define ACTION_KEY_FN(k) (0x110000 + (k))
#define ACTION_KEY_CTRL(c) ((c) & 0x1f)
#define ACTION_KEY_ESC 27
#define ACTION_KEYS_MAX 7

struct action {
    const char *name;            /* stable identifier ("fulfill") */
    int keys[ACTION_KEYS_MAX];   /* 0-terminated */
    const char *key_label;       /* how the keys are written ("j ↓") */
    const char *legend;          /* label in the key legend; NULL = help only */
    int legend_rank;             /* when the legend is too narrow, lower ranks stay */
    const char *help;            /* one line for the help screen */
    bool confirm;                /* prepare() opens a dialog; run() on a plain "yes"
                                    (NULL when the action's own dialog decides) */
    bool (*prepare)(struct console_state *c);
    void (*run)(struct console_state *c, int key);
};

/* The table and its length. */
const struct action *actions_table(size_t *count);

/* The action bound to key, or NULL. */
const struct action *actions_find(int key);

/* Handle one key with whatever is open (dialog, help, filter input) taking
 * it first. Returns true if the key did something. */
bool actions_handle_key(struct console_state *c, int key);

/* Run the action as if its first key was pressed (legend clicks). */
void actions_trigger(struct console_state *c, const struct action *a);

/* After updates were applied: finish a copy that waited for its challenge
 * to be fetched. */
void actions_after_updates(struct console_state *c);

/* Fetch the challenge under the cursor when it has rested there for a
 * moment (debounced) and the challenges pane is visible. now_ms: monotonic.
 * Returns milliseconds until it wants to be called again, or -1. */
long actions_autofetch(struct console_state *c, bool challenges_visible, long long now_ms);

/* Ask the worker for the challenge under the cursor (again). */
void actions_fetch_challenge(struct console_state *c);

/* The one-line editor keys of a dialog's text field: printable characters,
 * Backspace, Ctrl-W (word), Ctrl-U (all). Returns true if the text changed. */
bool actions_edit_input(struct filter_input *f, int key);

/* The list keys of a dialog's picker: j/k and arrows move, g/G and
 * Home/End jump. Returns true if the key was one of them. */
struct picker;
bool actions_move_picker(struct picker *p, int key);

/* The file descriptor OSC 52 is written to (default: standard output). */
void actions_set_tty(int fd);

#endif
