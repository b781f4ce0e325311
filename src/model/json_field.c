/* json_field: the one place that decides how untrusted JSON fields are read
 * (type checks, caps, sanitising, defaults). See json_field.h for the rules. */
#include "model/json_field.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/rfc3339.h"
#include "model/text_sanitize.h"
#include "model/xalloc.h"

/* The field, or NULL when obj is not an object, the field is missing or null. */
static const cJSON *field_get(const cJSON *obj, const char *name)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsNull(v) ? NULL : v;
}

/* Common handling of "not usable": error if required, absent otherwise. */
static int field_absent(const cJSON *v, const char *name, enum json_need need,
                        const char *expected, struct parse_error *err)
{
    if (need == JSON_OPTIONAL)
        return 0;
    if (!v)
        parse_error_set(err, "field '%s' is missing", name);
    else
        parse_error_set(err, "field '%s' is not %s", name, expected);
    return -1;
}

char *json_string_take(const cJSON *v, const char *what, enum json_kind kind,
                       struct parse_error *err, int *failed)
{
    if (!cJSON_IsString(v) || !v->valuestring)
        return NULL;
    size_t len = strlen(v->valuestring);
    if (len > JSON_STRING_MAX) {
        if (kind == JSON_BLOB) {
            parse_error_set(err, "field '%s' is larger than %zu bytes", what,
                            JSON_STRING_MAX);
            if (failed)
                *failed = 1;
            return NULL;
        }
        len = JSON_STRING_MAX;
    }
    char *s = xstrndup(v->valuestring, len);
    if (kind == JSON_TEXT)
        text_sanitize(s, false);
    return s;
}

int json_field_string(const cJSON *obj, const char *name, enum json_need need,
                      enum json_kind kind, char **out, struct parse_error *err)
{
    *out = NULL;
    const cJSON *v = field_get(obj, name);
    if (!cJSON_IsString(v) || !v->valuestring)
        return field_absent(v, name, need, "a string", err);
    int failed = 0;
    *out = json_string_take(v, name, kind, err, &failed);
    return failed ? -1 : 0;
}

int json_field_time(const cJSON *obj, const char *name, enum json_need need,
                    time_t *out, struct parse_error *err)
{
    *out = 0;
    const cJSON *v = field_get(obj, name);
    if (!cJSON_IsString(v) || !v->valuestring)
        return field_absent(v, name, need, "an RFC 3339 time string", err);
    time_t t;
    if (rfc3339_parse(v->valuestring, &t) != 0) {
        if (need == JSON_OPTIONAL)
            return 0;
        parse_error_set(err, "field '%s' is not an RFC 3339 time", name);
        return -1;
    }
    *out = t;
    return 0;
}

int json_field_bool(const cJSON *obj, const char *name, enum json_need need,
                    bool *out, struct parse_error *err)
{
    *out = false;
    const cJSON *v = field_get(obj, name);
    if (cJSON_IsBool(v)) {
        *out = cJSON_IsTrue(v);
        return 0;
    }
    if (cJSON_IsString(v) && v->valuestring) {
        if (strcmp(v->valuestring, "true") == 0) {
            *out = true;
            return 0;
        }
        if (strcmp(v->valuestring, "false") == 0)
            return 0;
    }
    return field_absent(v, name, need, "a boolean", err);
}

int json_field_int(const cJSON *obj, const char *name, enum json_need need,
                   int64_t min, int64_t max, int64_t *out,
                   struct parse_error *err)
{
    int64_t value = 0;
    const cJSON *v = field_get(obj, name);
    bool ok = false;
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
        double d = v->valuedouble;
        /* compare as doubles before converting: out-of-range conversion is UB */
        if (d <= (double)INT64_MIN)
            value = INT64_MIN;
        else if (d >= 9223372036854775807.0)
            value = INT64_MAX;
        else
            value = (int64_t)d;
        ok = true;
    } else if (cJSON_IsString(v) && v->valuestring && v->valuestring[0]) {
        char *end;
        errno = 0;
        long long ll = strtoll(v->valuestring, &end, 10);
        if (*end == '\0') { /* ERANGE gives LLONG_MIN/MAX: clamped below */
            value = ll;
            ok = true;
        }
    }
    if (!ok) {
        int rc = field_absent(v, name, need, "an integer", err);
        value = 0;
        if (rc != 0) {
            *out = value < min ? min : value > max ? max : value;
            return rc;
        }
    }
    *out = value < min ? min : value > max ? max : value;
    return 0;
}

/* Split a comma-separated string into trimmed, non-empty entries. */
static void strv_from_commas(const char *s, size_t max_items, char ***out,
                             size_t *count)
{
    size_t n = 0, cap = 8;
    char **v = xcalloc(cap, sizeof *v);
    while (*s && n < max_items) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        const char *a = s, *b = s + len;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b > a) {
            if (n == cap) {
                cap *= 2;
                v = xrealloc(v, cap * sizeof *v);
            }
            size_t l = (size_t)(b - a);
            v[n] = xstrndup(a, l < JSON_STRING_MAX ? l : JSON_STRING_MAX);
            text_sanitize(v[n], false);
            n++;
        }
        if (!end)
            break;
        s = end + 1;
    }
    *out = v;
    *count = n;
}

int json_field_strv(const cJSON *obj, const char *name, enum json_need need,
                    size_t max_items, char ***out, size_t *count,
                    struct parse_error *err)
{
    *out = NULL;
    *count = 0;
    const cJSON *v = field_get(obj, name);
    if (cJSON_IsString(v) && v->valuestring) {
        if (strlen(v->valuestring) > JSON_STRING_MAX * 16) {
            if (need == JSON_OPTIONAL)
                return 0;
            parse_error_set(err, "field '%s' is too long", name);
            return -1;
        }
        strv_from_commas(v->valuestring, max_items, out, count);
        return 0;
    }
    if (!cJSON_IsArray(v))
        return field_absent(v, name, need, "a list of strings", err);

    /* size the array by the entries actually kept (counted in one pass) */
    size_t strings = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
    {
        if (cJSON_IsString(e) && e->valuestring && ++strings == max_items)
            break;
    }
    char **items = xcalloc(strings ? strings : 1, sizeof *items);
    size_t n = 0;
    cJSON_ArrayForEach(e, v)
    {
        if (n == strings)
            break;
        char *s = json_string_take(e, name, JSON_TEXT, NULL, NULL);
        if (s)
            items[n++] = s;
    }
    *out = items;
    *count = n;
    return 0;
}

bool json_name_is_clean(const char *s)
{
    if (!s || !s[0])
        return false;
    size_t len = strnlen(s, JSON_NAME_MAX + 1);
    if (len > JSON_NAME_MAX)
        return false;
    char buf[JSON_NAME_MAX + 1];
    memcpy(buf, s, len + 1);
    text_sanitize(buf, false);
    return strcmp(buf, s) == 0;
}

char *json_string_name(const cJSON *v)
{
    if (!cJSON_IsString(v) || !json_name_is_clean(v->valuestring))
        return NULL;
    return xstrdup(v->valuestring);
}
