/* test_text_sanitize: server text cannot reach the terminal with control
 * characters, escape sequences or invalid UTF-8; valid UTF-8 survives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/text_sanitize.h"

static const char *clean(const char *in, bool keep_newlines)
{
    static char buf[256];
    strcpy(buf, in);
    text_sanitize(buf, keep_newlines);
    return buf;
}

static void test_plain_and_utf8_kept(void **state)
{
    (void)state;
    assert_string_equal(clean("example.com", false), "example.com");
    assert_string_equal(clean("b\xc3\xbc" "cher.example \xe2\x9c\x93 \xf0\x9f\x94\x92", false),
                        "b\xc3\xbc" "cher.example \xe2\x9c\x93 \xf0\x9f\x94\x92");
}

static void test_escape_sequences_removed(void **state)
{
    (void)state;
    /* CSI colour, OSC 52 clipboard write with BEL, DEL */
    assert_string_equal(clean("a\x1b[31mred", false), "a?[31mred");
    assert_string_equal(clean("\x1b]52;c;ZXZpbA==\x07x", false), "?]52;c;ZXZpbA==?x");
    assert_string_equal(clean("del\x7f", false), "del?");
    /* C1 CSI (U+009B) encoded in UTF-8 */
    assert_string_equal(clean("x\xc2\x9b" "2J", false), "x?2J"); /* C1 CSI: one '?' */
}

static void test_newlines(void **state)
{
    (void)state;
    assert_string_equal(clean("one\ntwo\tthree\r\n", false), "one two three  ");
    assert_string_equal(clean("one\ntwo\tthree\r\n", true), "one\ntwo\tthree \n");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    assert_string_equal(clean("\xff\xfe", false), "??");
    assert_string_equal(clean("\xc0\xaf", false), "??");         /* overlong '/' */
    assert_string_equal(clean("\xed\xa0\x80", false), "???");    /* surrogate */
    assert_string_equal(clean("\xf4\x90\x80\x80", false), "????"); /* > U+10FFFF */
    assert_string_equal(clean("cut\xe2\x9c", false), "cut??");   /* truncated sequence */
    assert_string_equal(clean("\x80x", false), "?x");
}

/* Bidi overrides and isolates, zero-width characters and U+FEFF reorder or
 * hide text: each is shown as one visible '?'; look-alike letters and
 * other marks stay. */
static void test_invisible_format_characters_shown(void **state)
{
    (void)state;
    /* "example.com" with a right-to-left override: would draw as "moc.elpmaxe" */
    assert_string_equal(clean("\xe2\x80\xae" "example.com", false), "?example.com");
    assert_string_equal(clean("a\xe2\x80\xaa" "b\xe2\x80\xab" "c\xe2\x80\xac" "d\xe2\x80\xad", false),
                        "a?b?c?d?");
    assert_string_equal(clean("\xe2\x81\xa6" "x\xe2\x81\xa7" "y\xe2\x81\xa8" "z\xe2\x81\xa9", false),
                        "?x?y?z?");
    assert_string_equal(clean("ab\xe2\x80\x8b" "cd\xe2\x80\x8c" "e\xe2\x80\x8d" "f", false),
                        "ab?cd?e?f");
    assert_string_equal(clean("\xe2\x80\x8e" "\xe2\x80\x8f" "\xef\xbb\xbf" "id", false), "???id");
    assert_string_equal(clean("line\xe2\x80\xa8" "sep", false), "line?sep");
    /* neighbours that are visible stay: U+2010 hyphen, U+2070 superscript zero */
    assert_string_equal(clean("a\xe2\x80\x90" "b\xe2\x81\xb0", false), "a\xe2\x80\x90" "b\xe2\x81\xb0");
}

static void test_null_is_fine(void **state)
{
    (void)state;
    text_sanitize(NULL, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_utf8_kept),
        cmocka_unit_test(test_escape_sequences_removed),
        cmocka_unit_test(test_newlines),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_invisible_format_characters_shown),
        cmocka_unit_test(test_null_is_fine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
