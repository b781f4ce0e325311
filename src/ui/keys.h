/* keys: how a key is written as an int, and the two small editors every
 * dialog shares (a one-line text field, a picker). A character is its
 * Unicode code point; a curses function key (KEY_UP, KEY_F(1)...) is
 * ACTION_KEY_FN(code), beyond Unicode so the two never collide. The action
 * table, the dialogs and the flows all read keys through here, so none of
 * them needs the key dispatcher (actions.c). */
#ifndef ACMETOP_UI_KEYS_H
#define ACMETOP_UI_KEYS_H

#include <stdbool.h>

#include "ui/filter_input.h"
#include "ui/picker.h"

#define ACTION_KEY_FN(k) (0x110000 + (k))
#define ACTION_KEY_CTRL(c) ((c) & 0x1f)
#define ACTION_KEY_ESC 27

/* Enter / Return / the keypad's Enter. */
bool keys_is_enter(int key);
/* n, N, q or Esc: the answers that cancel a dialog. */
bool keys_is_cancel(int key);

/* The one-line editor keys of a dialog's text field: printable characters,
 * Backspace, Ctrl-W (word), Ctrl-U (all). Returns true if the text changed. */
bool keys_edit_input(struct filter_input *f, int key);

/* The list keys of a dialog's picker: j/k and arrows move, g/G and
 * Home/End jump. Returns true if the key was one of them. */
bool keys_move_picker(struct picker *p, int key);

#endif
