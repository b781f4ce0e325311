/* filter_input: the one-line editor behind `/` (the live filter): insert
 * typed characters, delete the last character or word, clear. Keeps valid
 * UTF-8 only and no control characters, so its text can be drawn and
 * matched as is. Pure (no curses): keys arrive as wide characters. */
#ifndef ACMETOP_UI_FILTER_INPUT_H
#define ACMETOP_UI_FILTER_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#define FILTER_INPUT_MAX 128 /* bytes of text, NUL excluded */

struct filter_input {
    char text[FILTER_INPUT_MAX + 1];
    size_t len;
};

void filter_input_clear(struct filter_input *f);
/* Replace the text (cut to the limit at a character boundary). */
void filter_input_set(struct filter_input *f, const char *text);
/* Append one printable character. false if refused (control character,
 * not printable, or no room). */
bool filter_input_insert(struct filter_input *f, wchar_t wc);
/* Delete the last character / the last word (and the spaces after it).
 * false if the text was empty. */
bool filter_input_backspace(struct filter_input *f);
bool filter_input_delete_word(struct filter_input *f);

#endif
