/* text_sanitize: untrusted text -> text that cannot drive the terminal.
 * Walks the bytes once, validating UTF-8 (no overlongs, no surrogates, at
 * most U+10FFFF); every C0/C1 control, DEL and every byte of an invalid
 * sequence is replaced by '?'. Replacement is byte for byte, so the string
 * never grows and the work is done in place. */
#include "model/text_sanitize.h"

#include <stddef.h>

/* Length of the valid UTF-8 sequence starting at s (1..4), or 0 if invalid. */
static size_t utf8_sequence_length(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        if (c == 0xED)
            hi = 0x9F; /* surrogates */
        if (s[1] < lo || s[1] > hi)
            return 0;
        return (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        if (c == 0xF4)
            hi = 0x8F; /* > U+10FFFF */
        if (s[1] < lo || s[1] > hi)
            return 0;
        if ((s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

void text_sanitize(char *text, bool keep_newlines)
{
    if (!text)
        return;
    unsigned char *s = (unsigned char *)text;
    while (*s) {
        unsigned char c = *s;
        if (c < 0x80) {
            if (c == '\n' || c == '\t')
                *s = keep_newlines ? c : ' ';
            else if (c == '\r')
                *s = ' ';
            else if (c < 0x20 || c == 0x7F)
                *s = '?';
            s++;
            continue;
        }
        /* the NUL terminator fails every continuation test, so reading
         * s[1..3] never goes past it */
        size_t n = utf8_sequence_length(s);
        if (n == 0) {
            *s++ = '?';
        } else if (n == 2 && c == 0xC2 && s[1] < 0xA0) {
            /* U+0080..U+009F: C1 controls (0x9B is CSI on some terminals) */
            s[0] = '?';
            s[1] = '?';
            s += 2;
        } else {
            s += n;
        }
    }
}
