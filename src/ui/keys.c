/* keys: key predicates and the text-field and picker editors (see keys.h). */
#include "ui/keys.h"

#include <curses.h>

bool keys_is_enter(int key)
{
    return key == '\n' || key == '\r' || key == ACTION_KEY_FN(KEY_ENTER);
}

bool keys_is_cancel(int key)
{
    return key == 'n' || key == 'N' || key == 'q' || key == ACTION_KEY_ESC;
}

bool keys_move_picker(struct picker *p, int key)
{
    if (key == 'j' || key == ACTION_KEY_FN(KEY_DOWN))
        picker_move(p, 1);
    else if (key == 'k' || key == ACTION_KEY_FN(KEY_UP))
        picker_move(p, -1);
    else if (key == 'g' || key == ACTION_KEY_FN(KEY_HOME))
        picker_set(p, 0);
    else if (key == 'G' || key == ACTION_KEY_FN(KEY_END))
        picker_set(p, (size_t)-1);
    else
        return false;
    return true;
}

bool keys_edit_input(struct filter_input *f, int key)
{
    switch (key) {
    case ACTION_KEY_FN(KEY_BACKSPACE):
    case 127:
    case 8:
        return filter_input_backspace(f);
    case ACTION_KEY_CTRL('w'):
        return filter_input_delete_word(f);
    case ACTION_KEY_CTRL('u'):
        if (!f->len)
            return false;
        filter_input_clear(f);
        return true;
    default:
        return key > 0 && key < 0x110000 && filter_input_insert(f, (wchar_t)key);
    }
}
