/* test_fuzz_regressions: what the libFuzzer harnesses (tests/fuzz) found,
 * each input cut down to what shows the fault:
 *   - a challenge word's "is it shared" test pointed past the first word's
 *     array (undefined behaviour; clang's UBSan stopped every order with a
 *     challenge: fuzz_order_json) -- this one shows only under clang's
 *     -fsanitize=undefined, gcc's does not check that arithmetic;
 *   - the new-order form's refusal cut a role's domains, or the typed name,
 *     inside a UTF-8 character, so the sentence drawn ended in a broken
 *     byte (fuzz_vault_answer);
 *   - "1e308h" was a duration of infinite seconds, though duration.h
 *     promises a finite one (fuzz_time). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/challenge_word.h"
#include "model/duration.h"
#include "model/order_parse.h"
#include "model/role_info.h"
#include "model/role_rules.h"

/* Well-formed UTF-8 (no overlongs, surrogates, or code points past U+10FFFF). */
static bool utf8_valid(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        size_t n = *s < 0x80 ? 1 : (*s & 0xE0) == 0xC0 ? 2 : (*s & 0xF0) == 0xE0 ? 3
                 : (*s & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0)
            return false;
        uint32_t cp = n == 1 ? *s : *s & (0x7Fu >> n);
        for (size_t i = 1; i < n; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i] & 0x3Fu);
        }
        static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        s += n;
    }
    return true;
}

static void test_challenge_words_of_a_parsed_order(void **state)
{
    (void)state;
    static const char body[] =
        "{\"data\":{\"order_status\":\"new\",\"challenges\":{\"a.example\":["
        "{\"challenge_type\":\"http-01\",\"challenge_status\":\"pending\"},"
        "{\"challenge_type\":\"custom-01\",\"challenge_status\":\"invalid\"}]}}}";
    struct order o;
    struct parse_error err;
    assert_int_equal(order_parse_response(body, sizeof body - 1, "o1", &o, &err), 0);
    assert_int_equal(o.challenge_count, 1);
    assert_int_equal(o.challenges[0].count, 2);
    const struct challenge *http = &o.challenges[0].items[0], *custom = &o.challenges[0].items[1];
    assert_string_equal(http->type, "http-01");
    assert_true(challenge_word_is_shared(http->type));
    assert_true(challenge_word_is_shared(custom->status)); /* "invalid" */
    assert_string_equal(custom->type, "custom-01");
    assert_false(challenge_word_is_shared(custom->type)); /* an owned copy */
    struct order copy;
    order_copy(&copy, &o);
    assert_string_equal(copy.challenges[0].items[1].type, "custom-01");
    order_clear(&copy);
    order_clear(&o);
}

static void test_role_refusal_is_not_cut_inside_a_character(void **state)
{
    (void)state;
    /* 149 ASCII bytes, then "é": the 150 bytes quoted end inside it */
    char body[512];
    snprintf(body, sizeof body,
             "{\"data\":{\"name\":\"web\",\"allowed_domains\":[\"%0149d\xc3\xa9.example\"]}}", 0);
    struct role_info r;
    struct parse_error err;
    role_info_init(&r);
    assert_int_equal(role_info_parse_response(body, strlen(body), &r, &err), 0);
    char why[ROLE_RULES_WHY_MAX];
    assert_int_equal(role_rules_check(&r, "www.example.com", why, sizeof why), ROLE_RULE_DENIED);
    assert_non_null(strstr(why, "role web does not allow www.example.com: it allows 000"));
    assert_true(utf8_valid(why));

    /* the typed name, quoted to 200 bytes: "x" and 150 "é" end inside one */
    char typed[512] = "x";
    for (int i = 0; i < 150; i++)
        strcat(typed, "\xc3\xa9");
    assert_int_equal(role_rules_check(&r, typed, why, sizeof why), ROLE_RULE_INVALID);
    assert_non_null(strstr(why, "is not a DNS name"));
    assert_true(utf8_valid(why));
    role_info_free(&r);
}

static void test_duration_that_overflows_is_refused(void **state)
{
    (void)state;
    double s = 42;
    assert_int_equal(duration_parse("1e308h", &s), -1);
    assert_int_equal(duration_parse("1e307m", &s), -1);
    assert_true(s == 42); /* untouched */
    assert_int_equal(duration_parse("1e307", &s), 0); /* large, but finite */
    assert_true(s == 1e307);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_challenge_words_of_a_parsed_order),
        cmocka_unit_test(test_role_refusal_is_not_cut_inside_a_character),
        cmocka_unit_test(test_duration_that_overflows_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
