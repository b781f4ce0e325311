/* filter_input: the live filter's line editor (see filter_input.h). */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* wcwidth */
#endif
#include "ui/filter_input.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

void filter_input_clear(struct filter_input *f)
{
    f->text[0] = '\0';
    f->len = 0;
}

void filter_input_set(struct filter_input *f, const char *text)
{
    filter_input_clear(f);
    if (!text)
        return;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t left = strlen(text);
    while (left) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, text, left, &st);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
            break;
        if (!filter_input_insert(f, wc))
            break;
        text += n;
        left -= n;
    }
}

bool filter_input_insert(struct filter_input *f, wchar_t wc)
{
    if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0) || !iswprint((wint_t)wc))
        return false;
    char buf[MB_LEN_MAX];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = wcrtomb(buf, wc, &st);
    if (n == (size_t)-1 || f->len + n > FILTER_INPUT_MAX)
        return false;
    memcpy(f->text + f->len, buf, n);
    f->len += n;
    f->text[f->len] = '\0';
    return true;
}

/* Start of the last UTF-8 character of the text. */
static size_t last_char_start(const struct filter_input *f)
{
    size_t i = f->len;
    while (i > 0) {
        i--;
        if (((unsigned char)f->text[i] & 0xC0) != 0x80)
            break;
    }
    return i;
}

bool filter_input_backspace(struct filter_input *f)
{
    if (f->len == 0)
        return false;
    f->len = last_char_start(f);
    f->text[f->len] = '\0';
    return true;
}

bool filter_input_delete_word(struct filter_input *f)
{
    if (f->len == 0)
        return false;
    while (f->len > 0 && f->text[f->len - 1] == ' ')
        f->len--;
    while (f->len > 0 && f->text[f->len - 1] != ' ')
        f->len = last_char_start(f);
    f->text[f->len] = '\0';
    return true;
}
