/* fuzz_text: the small text functions every foreign string passes through
 * before it is drawn or logged: text_sanitize() (model/text_sanitize.c),
 * text_width() and text_fit_bytes() (model/text_width.c, in a UTF-8
 * locale), and the token redaction of model/secret_text.c.
 * Input: byte 0 is a column count and a buffer size, the rest the text.
 * Checks: no crash or read past the text; sanitised text is clean for the
 * terminal (no control byte, no escape sequence, no invisible format
 * character, valid UTF-8; newlines and tabs only when kept), not longer
 * than it was, unchanged if it was clean already, and the same when
 * sanitised again; a cut to N columns is a
 * prefix on a character boundary at most N columns wide; redaction leaves
 * no token behind, and a cut drops only a start of the token. */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "model/secret_text.h"
#include "model/text_sanitize.h"
#include "model/text_width.h"

#define TOKEN "hvs.CAESIFuzzTokenAbCdEf0123456789"

static void sanitize(const char *text, bool keep)
{
    size_t len = strlen(text);
    char *s = strdup(text);
    FUZZ_CHECK(s, "out of memory");
    text_sanitize(s, keep);
    FUZZ_CHECK(strlen(s) <= len, "sanitising made %zu bytes into %zu", len, strlen(s));
    FUZZ_CHECK(fuzz_text_is_clean(s, keep), "sanitised text is not clean: \"%s\"", s);
    FUZZ_CHECK(!strchr(s, '\r'), "a carriage return survived");
    if (fuzz_text_is_clean(text, keep))
        FUZZ_CHECK(strcmp(s, text) == 0, "clean text was changed: \"%s\" -> \"%s\"", text, s);
    char *again = strdup(s);
    FUZZ_CHECK(again, "out of memory");
    text_sanitize(again, keep);
    FUZZ_CHECK(strcmp(again, s) == 0, "sanitising twice changes the text");
    free(again);
    free(s);
}

static void width(const char *text, size_t cols)
{
    char *s = strdup(text);
    FUZZ_CHECK(s, "out of memory");
    text_sanitize(s, false);
    size_t len = strlen(s);
    text_width(s);
    size_t fit = text_fit_bytes(s, cols);
    FUZZ_CHECK(fit <= len, "%zu bytes fit of %zu", fit, len);
    FUZZ_CHECK(((unsigned char)s[fit] & 0xC0) != 0x80, "the cut at %zu is inside a character",
               fit);
    s[fit] = '\0';
    FUZZ_CHECK(text_width(s) <= cols, "the cut is %zu columns for %zu", text_width(s), cols);
    free(s);
}

static void redact(const char *text, size_t len, size_t cap)
{
    size_t out_len = 0;
    char *r = secret_text_redacted(text, len, TOKEN, &out_len);
    FUZZ_CHECK(r && strlen(r) == out_len, "redacted length %zu", out_len);
    FUZZ_CHECK(!strstr(r, TOKEN), "the token survived redaction");
    free(r);

    char *buf = malloc(cap);
    FUZZ_CHECK(buf, "out of memory");
    snprintf(buf, cap, "%.*s", (int)len, text);
    secret_text_redact_in(buf, cap, TOKEN);
    FUZZ_CHECK(memchr(buf, '\0', cap), "the redacted buffer is not terminated");
    FUZZ_CHECK(!strstr(buf, TOKEN), "the token survived redaction in place");
    free(buf);

    size_t n = strnlen(text, len);
    size_t keep = secret_text_cut(text, n, TOKEN);
    FUZZ_CHECK(keep <= n, "keep %zu of %zu", keep, n);
    size_t dropped = n - keep;
    FUZZ_CHECK(dropped == 0 || (dropped >= SECRET_TEXT_FRAGMENT_MIN && dropped <= strlen(TOKEN) &&
                                memcmp(text + keep, TOKEN, dropped) == 0),
               "the cut dropped %zu bytes that are not a start of the token", dropped);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool locale;
    if (!locale) {
        setlocale(LC_ALL, "C.UTF-8");
        locale = true;
    }
    if (size < 1)
        return 0;
    size_t cols = data[0] % 80;
    size_t cap = (size_t)data[0] + 1;
    char *text = fuzz_cstring(data + 1, size - 1);
    sanitize(text, false);
    sanitize(text, true);
    width(text, cols);
    redact((const char *)data + 1, size - 1, cap);
    free(text);
    return 0;
}
