/* text_width: display width of UTF-8 text (see text_width.h). ASCII, most
 * of what is on screen, takes one column per byte without asking the locale
 * (mbrtowc and wcwidth per character were most of a frame's cost); any other
 * byte goes through mbrtowc and wcwidth. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* wcwidth */
#endif
#include "model/text_width.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Width and length in bytes of the character at s. */
static size_t char_step(const char *s, size_t left, int *cols)
{
    mbstate_t st;
    memset(&st, 0, sizeof(st));
    wchar_t wc;
    size_t n = mbrtowc(&wc, s, left, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *cols = 1;
        return 1;
    }
    int w = wcwidth(wc);
    *cols = w < 0 ? 1 : w;
    return n;
}

/* Length of the run of ASCII bytes at s (each one column: printable ones
 * are, and a control character counts 1 like any non-printable one). */
static size_t ascii_run(const char *s, size_t left)
{
    size_t n = 0;
    while (n < left && (unsigned char)s[n] < 0x80)
        n++;
    return n;
}

size_t text_width(const char *s)
{
    size_t cols = 0, left = s ? strlen(s) : 0;
    while (left) {
        size_t run = ascii_run(s, left);
        cols += run;
        s += run;
        left -= run;
        if (!left)
            break;
        int w;
        size_t n = char_step(s, left, &w);
        cols += (size_t)w;
        s += n;
        left -= n;
    }
    return cols;
}

size_t text_fit_bytes(const char *s, size_t cols)
{
    size_t used = 0, bytes = 0, left = s ? strlen(s) : 0;
    while (left) {
        size_t run = ascii_run(s + bytes, left);
        if (run) {
            bool cut = used + run > cols; /* the next ASCII byte does not fit */
            if (cut)
                run = cols - used;
            used += run;
            bytes += run;
            left -= run;
            if (cut)
                break;
            continue; /* a zero-width character may still follow */
        }
        int w;
        size_t n = char_step(s + bytes, left, &w);
        if (used + (size_t)w > cols)
            break;
        used += (size_t)w;
        bytes += n;
        left -= n;
    }
    return bytes;
}
