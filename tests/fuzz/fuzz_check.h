/* fuzz_check: the invariants the harnesses assert on what a parser hands
 * to the rest of acmetop, written independently of the code under test.
 * A violation prints what was wrong and abort()s, so libFuzzer reports it
 * as a crash with the input that caused it.  Header-only: each harness is
 * one program. */
#ifndef ACMETOP_FUZZ_CHECK_H
#define ACMETOP_FUZZ_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...)                                                    \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "fuzz invariant violated at %s:%d: ", __FILE__,      \
                    __LINE__);                                                   \
            fprintf(stderr, __VA_ARGS__);                                        \
            fputc('\n', stderr);                                                 \
            abort();                                                             \
        }                                                                        \
    } while (0)

/* Length of a well-formed UTF-8 sequence at s[0..n) (RFC 3629: no
 * overlongs, no surrogates, at most U+10FFFF) and its code point in *cp;
 * 0 if ill-formed. */
static inline size_t fuzz_utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2;
        *cp = s[0] & 0x1Fu;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3;
        *cp = s[0] & 0x0Fu;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4;
        *cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = *cp << 6 | (s[i] & 0x3Fu);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (*cp < min[len] || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

/* Characters that must not reach the terminal from foreign text: C0
 * controls (so ESC), DEL, C1 controls (U+0080..U+009F, 0x9B is CSI), and
 * the invisible format characters text_sanitize.h names (bidi embeddings,
 * overrides, isolates and marks, zero-width ones, line and paragraph
 * separators, U+FEFF). */
static inline bool fuzz_char_is_unsafe(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

/* Is s (n bytes) safe to draw on a terminal: well-formed UTF-8 without an
 * unsafe character?  '\n' and '\t' are allowed only when newlines is true
 * (multi-line texts). */
static inline bool fuzz_text_is_clean_n(const char *s, size_t n, bool newlines)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = fuzz_utf8_len(u + i, n - i, &cp);
        if (len == 0)
            return false;
        if (fuzz_char_is_unsafe(cp) && !(newlines && (cp == '\n' || cp == '\t')))
            return false;
        i += len;
    }
    return true;
}

static inline bool fuzz_text_is_clean(const char *s, bool newlines)
{
    return !s || fuzz_text_is_clean_n(s, strlen(s), newlines);
}

/* Abort unless s (may be NULL) is clean one-line text. */
#define FUZZ_CHECK_TEXT(s, what)                                                 \
    FUZZ_CHECK(fuzz_text_is_clean((s), false), "%s is not clean text: \"%s\"", \
               (what), (s))

/* Abort unless every entry of v[0..n) is clean one-line text. */
#define FUZZ_CHECK_STRV(v, n, what)                                              \
    do {                                                                         \
        for (size_t fuzz_i_ = 0; fuzz_i_ < (n); fuzz_i_++)                       \
            FUZZ_CHECK_TEXT((v)[fuzz_i_], (what));                               \
    } while (0)

/* A NUL-terminated copy of the input (parsers of text want C strings). */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* The input as a parser of HTTP bodies gets it: exactly size bytes in a
 * buffer of their own (no NUL after them), so ASan sees any read past the
 * end. */
static inline char *fuzz_bytes(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    return s;
}

#endif
