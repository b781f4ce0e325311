/* test_secret_text: the token is redacted from foreign text wherever it
 * appears, and a cut never leaves its start behind (model/secret_text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model/secret_text.h"

#define TOKEN "hvs.CAESIJsecret18"

static void test_every_occurrence_is_redacted(void **state)
{
    (void)state;
    size_t n;
    char *s = secret_text_redacted(TOKEN TOKEN "x" TOKEN, 3 * 18 + 1, TOKEN, &n);
    assert_string_equal(s, "[redacted][redacted]x[redacted]");
    assert_int_equal(n, strlen(s));
    free(s);
    s = secret_text_redacted("no secret here", 14, "", NULL);
    assert_string_equal(s, "no secret here");
    free(s);
    s = secret_text_redacted("a\0" TOKEN, 20, TOKEN, NULL); /* a NUL ends the text */
    assert_string_equal(s, "a");
    free(s);
}

static void test_redact_in_place_cuts_what_no_longer_fits(void **state)
{
    (void)state;
    char buf[16] = "ab hvs.x";
    secret_text_redact_in(buf, sizeof buf, "hvs.x");
    assert_string_equal(buf, "ab [redacted]");
    strcpy(buf, "abcdefg hvs.x");
    secret_text_redact_in(buf, sizeof buf, "hvs.x");
    assert_string_equal(buf, "abcdefg [redact");
}

static void test_cut_drops_a_trailing_token_start(void **state)
{
    (void)state;
    const char *text = "error: hvs.CAESIJsecret1"; /* 17 of 18 characters */
    size_t n = strlen(text);
    assert_int_equal(secret_text_cut(text, n, TOKEN), strlen("error: "));
    /* 4 characters are enough to be dropped, 3 are not */
    assert_int_equal(secret_text_cut("x hvs.", 6, TOKEN), 2);
    assert_int_equal(secret_text_cut("x hvs", 5, TOKEN), 5);
    /* only a start of the token counts, not any piece of it */
    assert_int_equal(secret_text_cut("x CAESIJ", 8, TOKEN), 8);
    assert_int_equal(secret_text_cut("x hvs.C", 7, NULL), 7);
    assert_int_equal(secret_text_cut("", 0, TOKEN), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_occurrence_is_redacted),
        cmocka_unit_test(test_redact_in_place_cuts_what_no_longer_fits),
        cmocka_unit_test(test_cut_drops_a_trailing_token_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
