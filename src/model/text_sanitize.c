/* text_sanitize: untrusted text -> text that cannot drive the terminal.
 * Walks the bytes once, validating UTF-8 (no overlongs, no surrogates, at
 * most U+10FFFF); every C0 control and DEL, every byte of an invalid
 * sequence, and every C1 control or invisible format character (one '?'
 * per character) is replaced by '?'.  The string never grows, so the work
 * is done in place. */
#include "model/text_sanitize.h"

#include <stdbool.h>
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

/* Invisible format characters that reorder or hide text: bidi embeddings,
 * overrides and isolates (U+202A..U+202E, U+2066..U+2069, U+061C, U+200E,
 * U+200F), zero-width ones (U+200B..U+200D, U+2060..U+2064, U+FEFF) and the
 * line/paragraph separators U+2028, U+2029.  cp is the code point of a
 * valid sequence. */
static bool is_format_character(unsigned cp)
{
    return cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

static unsigned code_point(const unsigned char *s, size_t n)
{
    switch (n) {
    case 2: return (s[0] & 0x1Fu) << 6 | (s[1] & 0x3Fu);
    case 3: return (s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
    case 4:
        return (s[0] & 0x07u) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu);
    default: return s[0];
    }
}

void text_sanitize(char *text, bool keep_newlines)
{
    if (!text)
        return;
    const unsigned char *s = (const unsigned char *)text;
    unsigned char *out = (unsigned char *)text; /* never ahead of s */
    while (*s) {
        unsigned char c = *s;
        if (c < 0x80) {
            if (c == '\n' || c == '\t')
                *out++ = keep_newlines ? c : ' ';
            else if (c == '\r')
                *out++ = ' ';
            else if (c < 0x20 || c == 0x7F)
                *out++ = '?';
            else
                *out++ = c;
            s++;
            continue;
        }
        /* the NUL terminator fails every continuation test, so reading
         * s[1..3] never goes past it */
        size_t n = utf8_sequence_length(s);
        if (n == 0) {
            *out++ = '?';
            s++;
            continue;
        }
        unsigned cp = code_point(s, n);
        if ((cp >= 0x80 && cp <= 0x9F) || is_format_character(cp)) {
            /* C1 controls (0x9B is CSI on some terminals) and invisible
             * format characters: one visible '?' each */
            *out++ = '?';
            s += n;
            continue;
        }
        for (size_t i = 0; i < n; i++)
            *out++ = *s++;
    }
    *out = '\0';
}
