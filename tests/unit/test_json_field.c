/* test_json_field: typed, capped access to untrusted JSON fields, and the
 * body -> root -> data -> parser step (json_body). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/json_body.h"
#include "model/json_field.h"
#include "model/strv.h"

static cJSON *obj(const char *text)
{
    cJSON *o = cJSON_Parse(text);
    assert_non_null(o);
    return o;
}

static void test_string_rules(void **state)
{
    (void)state;
    cJSON *o = obj("{\"s\":\"a\\u001b[2Jb\",\"n\":5,\"z\":null,\"e\":\"\"}");
    struct parse_error err = {.message = ""};
    char *s;
    assert_int_equal(json_field_string(o, "s", JSON_REQUIRED, JSON_TEXT, &s, &err), 0);
    assert_string_equal(s, "a?[2Jb");
    free(s);
    assert_int_equal(json_field_string(o, "s", JSON_REQUIRED, JSON_BLOB, &s, &err), 0);
    assert_string_equal(s, "a\x1b[2Jb"); /* blobs are exact */
    free(s);
    /* wrong type: optional -> absent, required -> error naming the field */
    assert_int_equal(json_field_string(o, "n", JSON_OPTIONAL, JSON_TEXT, &s, &err), 0);
    assert_null(s);
    assert_int_equal(json_field_string(o, "n", JSON_REQUIRED, JSON_TEXT, &s, &err), -1);
    assert_null(s);
    assert_string_equal(err.message, "field 'n' is not a string");
    /* null and missing */
    assert_int_equal(json_field_string(o, "z", JSON_REQUIRED, JSON_TEXT, &s, &err), -1);
    assert_string_equal(err.message, "field 'z' is missing");
    assert_int_equal(json_field_string(o, "nope", JSON_OPTIONAL, JSON_TEXT, &s, &err), 0);
    assert_null(s);
    /* present but empty stays distinguishable from absent */
    assert_int_equal(json_field_string(o, "e", JSON_OPTIONAL, JSON_TEXT, &s, &err), 0);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    /* not an object at all */
    cJSON *arr = obj("[1]");
    assert_int_equal(json_field_string(arr, "s", JSON_OPTIONAL, JSON_TEXT, &s, &err), 0);
    assert_null(s);
    cJSON_Delete(arr);
    cJSON_Delete(o);
}

static void test_string_caps(void **state)
{
    (void)state;
    size_t big = 1024 * 1024;
    char *text = malloc(big + 1);
    memset(text, 'x', big);
    text[big] = '\0';
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "huge", text);
    struct parse_error err = {.message = ""};
    char *s;
    assert_int_equal(json_field_string(o, "huge", JSON_OPTIONAL, JSON_TEXT, &s, &err), 0);
    assert_int_equal(strlen(s), JSON_STRING_MAX);
    free(s);
    assert_int_equal(json_field_string(o, "huge", JSON_OPTIONAL, JSON_BLOB, &s, &err), -1);
    assert_null(s);
    assert_non_null(strstr(err.message, "'huge' is larger than"));
    cJSON_Delete(o);
    free(text);
}

static void test_time_bool_int(void **state)
{
    (void)state;
    cJSON *o = obj("{\"t\":\"2026-06-29T08:45:22-04:00\",\"bad\":\"soon\",\"zero\":"
                   "\"0001-01-01T00:00:00Z\",\"num\":17,\"b\":true,\"bs\":\"false\","
                   "\"i\":2764790,\"is\":\"42\",\"neg\":-5,\"huge\":1e300,\"f\":\"4x\"}");
    struct parse_error err = {.message = ""};
    time_t t;
    assert_int_equal(json_field_time(o, "t", JSON_REQUIRED, &t, &err), 0);
    assert_int_equal(t, 1782737122);
    assert_int_equal(json_field_time(o, "bad", JSON_OPTIONAL, &t, &err), 0);
    assert_int_equal(t, 0);
    assert_int_equal(json_field_time(o, "bad", JSON_REQUIRED, &t, &err), -1);
    assert_string_equal(err.message, "field 'bad' is not an RFC 3339 time");
    assert_int_equal(json_field_time(o, "zero", JSON_REQUIRED, &t, &err), 0);
    assert_int_equal(t, 0);
    assert_int_equal(json_field_time(o, "num", JSON_OPTIONAL, &t, &err), 0);
    assert_int_equal(t, 0);

    bool b;
    assert_int_equal(json_field_bool(o, "b", JSON_REQUIRED, &b, &err), 0);
    assert_true(b);
    assert_int_equal(json_field_bool(o, "bs", JSON_REQUIRED, &b, &err), 0);
    assert_false(b);
    assert_int_equal(json_field_bool(o, "num", JSON_REQUIRED, &b, &err), -1);
    assert_int_equal(json_field_bool(o, "num", JSON_OPTIONAL, &b, &err), 0);
    assert_false(b);

    int64_t i;
    assert_int_equal(json_field_int(o, "i", JSON_REQUIRED, 0, INT64_MAX, &i, &err), 0);
    assert_int_equal(i, 2764790);
    assert_int_equal(json_field_int(o, "is", JSON_REQUIRED, 0, INT64_MAX, &i, &err), 0);
    assert_int_equal(i, 42);
    assert_int_equal(json_field_int(o, "neg", JSON_OPTIONAL, 0, INT64_MAX, &i, &err), 0);
    assert_int_equal(i, 0); /* clamped */
    assert_int_equal(json_field_int(o, "huge", JSON_OPTIONAL, 0, 1000, &i, &err), 0);
    assert_int_equal(i, 1000);
    assert_int_equal(json_field_int(o, "f", JSON_REQUIRED, 0, 1000, &i, &err), -1);
    assert_string_equal(err.message, "field 'f' is not an integer");
    cJSON_Delete(o);
}

static void test_strv(void **state)
{
    (void)state;
    cJSON *o = obj("{\"a\":[\"x\",1,null,\"y\\u0007\",{\"k\":1},\"z\"],\"c\":\" p , q,,r \","
                   "\"e\":[],\"n\":3}");
    struct parse_error err = {.message = ""};
    char **v;
    size_t n;
    assert_int_equal(json_field_strv(o, "a", JSON_REQUIRED, 100, &v, &n, &err), 0);
    assert_int_equal(n, 3); /* non-strings skipped */
    assert_string_equal(v[0], "x");
    assert_string_equal(v[1], "y?");
    assert_string_equal(v[2], "z");
    strv_free(v, n);
    assert_int_equal(json_field_strv(o, "a", JSON_REQUIRED, 2, &v, &n, &err), 0);
    assert_int_equal(n, 2); /* capped */
    assert_string_equal(v[1], "y?");
    strv_free(v, n);
    assert_int_equal(json_field_strv(o, "c", JSON_REQUIRED, 100, &v, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "p");
    assert_string_equal(v[1], "q");
    assert_string_equal(v[2], "r");
    strv_free(v, n);
    assert_int_equal(json_field_strv(o, "e", JSON_REQUIRED, 100, &v, &n, &err), 0);
    assert_non_null(v); /* present but empty */
    assert_int_equal(n, 0);
    strv_free(v, n);
    assert_int_equal(json_field_strv(o, "missing", JSON_OPTIONAL, 100, &v, &n, &err), 0);
    assert_null(v);
    assert_int_equal(json_field_strv(o, "n", JSON_REQUIRED, 100, &v, &n, &err), -1);
    assert_string_equal(err.message, "field 'n' is not a list of strings");
    cJSON_Delete(o);
}

static void test_names(void **state)
{
    (void)state;
    assert_true(json_name_is_clean("7d0a2c4e-9b1f-4e6a-8c3d-2f5e7a9b1c0d"));
    assert_false(json_name_is_clean(""));
    assert_false(json_name_is_clean(NULL));
    assert_false(json_name_is_clean("id\x1b[2J"));
    assert_false(json_name_is_clean("bad\xff"));
    /* invisible characters would be typed into paths and prompts unseen */
    assert_false(json_name_is_clean("web\xe2\x80\xae" "servers"));    /* RLO */
    assert_false(json_name_is_clean("7d0a2c4e\xe2\x80\x8b"));         /* zero-width space */
    assert_false(json_name_is_clean("\xef\xbb\xbf" "7d0a2c4e"));        /* BOM */
    assert_false(json_name_is_clean("a\xe2\x81\xa6" "b"));              /* LRI */
    assert_true(json_name_is_clean("b\xc3\xbc" "cher-\xe2\x9c\x93"));    /* visible UTF-8 stays */
    char longname[JSON_NAME_MAX + 2];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_false(json_name_is_clean(longname));
    longname[JSON_NAME_MAX] = '\0';
    assert_true(json_name_is_clean(longname));
}

static void test_body(void **state)
{
    (void)state;
    struct parse_error err = {.message = ""};
    const char ok[] = "{\"data\":{\"a\":1}}  \n";
    cJSON *root = json_body_parse(ok, strlen(ok), &err);
    assert_non_null(root);
    assert_non_null(json_body_data(root, &err));
    cJSON_Delete(root);

    assert_null(json_body_parse("", 0, &err));
    assert_string_equal(err.message, "empty answer (expected a JSON object)");
    assert_null(json_body_parse(" \n", 2, &err));
    assert_null(json_body_parse(NULL, 0, &err));
    assert_null(json_body_parse("{\"data\":", 8, &err));
    assert_non_null(strstr(err.message, "not valid JSON"));
    assert_null(json_body_parse("[1,2]", 5, &err));
    assert_string_equal(err.message, "answer is not a JSON object");
    assert_null(json_body_parse("{} {}", 5, &err));
    assert_non_null(strstr(err.message, "trailing data"));
    assert_null(json_body_parse("<html>502 Bad Gateway</html>", 28, &err));
    /* length bounds the parse: no read past len even without a NUL */
    char unterminated[2] = {'{', '}'};
    root = json_body_parse(unterminated, 2, &err);
    assert_non_null(root);
    assert_null(json_body_data(root, &err));
    assert_string_equal(err.message, "answer has no 'data' object");
    cJSON_Delete(root);
    root = json_body_parse("{\"data\":[]}", 11, &err);
    assert_null(json_body_data(root, &err));
    assert_string_equal(err.message, "answer's 'data' is not an object");
    cJSON_Delete(root);
    /* a deeply nested body is refused by cJSON's nesting limit, not a crash */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 1);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = '\0';
    assert_null(json_body_parse(deep, 2 * depth, &err));
    free(deep);
}

/* A parser for json_body_parse_data: counts its calls, reads data.a. */
static int parse_a(const cJSON *data, void *out, struct parse_error *err)
{
    int *calls_and_a = out;
    calls_and_a[0]++;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(data, "a");
    if (!cJSON_IsNumber(a)) {
        parse_error_set(err, "field 'a' is missing");
        return -1;
    }
    calls_and_a[1] = a->valueint;
    return 0;
}

static void test_body_parse_data(void **state)
{
    (void)state;
    struct parse_error err = {.message = ""};
    int got[2] = {0, 0};
    const char ok[] = "{\"data\":{\"a\":7}}";
    assert_int_equal(json_body_parse_data(ok, strlen(ok), parse_a, got, &err), 0);
    assert_int_equal(got[0], 1);
    assert_int_equal(got[1], 7);
    /* the parser's own error comes back as it set it */
    const char no_a[] = "{\"data\":{}}";
    assert_int_equal(json_body_parse_data(no_a, strlen(no_a), parse_a, got, &err), -1);
    assert_int_equal(got[0], 2);
    assert_string_equal(err.message, "field 'a' is missing");
    /* body and data errors: the parser is not called */
    assert_int_equal(json_body_parse_data("", 0, parse_a, got, &err), -1);
    assert_string_equal(err.message, "empty answer (expected a JSON object)");
    assert_int_equal(json_body_parse_data("{}", 2, parse_a, got, &err), -1);
    assert_string_equal(err.message, "answer has no 'data' object");
    assert_int_equal(json_body_parse_data("{\"data\":1}", 10, parse_a, got, &err), -1);
    assert_string_equal(err.message, "answer's 'data' is not an object");
    assert_int_equal(json_body_parse_data("[]", 2, parse_a, got, NULL), -1);
    assert_int_equal(got[0], 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_string_rules),
        cmocka_unit_test(test_string_caps),
        cmocka_unit_test(test_time_bool_int),
        cmocka_unit_test(test_strv),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_body),
        cmocka_unit_test(test_body_parse_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
