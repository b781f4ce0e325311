/* order_record: struct order <-> one line of the order cache (see
 * order_record.h). Writing appends escaped text directly (no cJSON tree, no
 * snprintf); reading walks the record's fields once, checks each strictly and
 * takes its value through json_field's value readers, so the sanitising rules
 * stay those of json_field.h. */
#include "model/order_record.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/challenge_word.h"
#include "model/json_field.h"
#include "model/rfc3339.h"
#include "model/text_sanitize.h"
#include "model/xalloc.h"

#define TIME_TEXT_MAX 64 /* longer than any RFC 3339 time acmetop reads */

/* ---- writing ---------------------------------------------------------- */

struct text {
    char **buf;
    size_t *len, *cap;
};

static void reserve(struct text *t, size_t more)
{
    size_t need = *t->len + more;
    if (need <= *t->cap)
        return;
    size_t cap = *t->cap ? *t->cap : 512;
    while (cap < need)
        cap *= 2;
    *t->buf = xrealloc(*t->buf, cap);
    *t->cap = cap;
}

static void put(struct text *t, const char *s, size_t n)
{
    reserve(t, n);
    memcpy(*t->buf + *t->len, s, n);
    *t->len += n;
}

#define PUT_LITERAL(t, lit) put((t), (lit), sizeof(lit) - 1)

/* A JSON string of at most JSON_STRING_MAX bytes of s (null for NULL). */
static void put_string(struct text *t, const char *s)
{
    if (!s) {
        PUT_LITERAL(t, "null");
        return;
    }
    size_t n = strnlen(s, JSON_STRING_MAX);
    reserve(t, 2 + 6 * n);
    char *p = *t->buf + *t->len;
    *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
        } else if (c < 0x20) {
            static const char hex[] = "0123456789abcdef";
            *p++ = '\\';
            switch (c) {
            case '\n': *p++ = 'n'; break;
            case '\t': *p++ = 't'; break;
            case '\r': *p++ = 'r'; break;
            default:
                memcpy(p, "u00", 3);
                p += 3;
                *p++ = hex[c >> 4];
                *p++ = hex[c & 15];
            }
        } else {
            *p++ = (char)c;
        }
    }
    *p++ = '"';
    *t->len = (size_t)(p - *t->buf);
}

/* ,"name": */
static void put_key(struct text *t, const char *name, bool first)
{
    if (!first)
        PUT_LITERAL(t, ",");
    put_string(t, name);
    PUT_LITERAL(t, ":");
}

/* Days since 1970-01-01 -> proleptic Gregorian date (H. Hinnant). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static char *digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + n;
}

/* RFC 3339 in UTC (what rfc3339_parse reads back to the same value), or
 * null when unset or not representable (years outside 1..9999, Go's zero
 * date). Formatted here: snprintf/gmtime_r cost too much at 100,000 orders. */
static void put_time(struct text *t, time_t v)
{
    int64_t days = (int64_t)v / 86400, secs = (int64_t)v % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (v == 0 || y < 1 || y > 9999 || (y == 1 && m == 1 && d == 1 && secs == 0)) {
        PUT_LITERAL(t, "null");
        return;
    }
    char buf[24], *p = buf;
    *p++ = '"';
    p = digits(p, (int)y, 4);
    *p++ = '-';
    p = digits(p, m, 2);
    *p++ = '-';
    p = digits(p, d, 2);
    *p++ = 'T';
    p = digits(p, (int)(secs / 3600), 2);
    *p++ = ':';
    p = digits(p, (int)(secs / 60 % 60), 2);
    *p++ = ':';
    p = digits(p, (int)(secs % 60), 2);
    *p++ = 'Z';
    *p++ = '"';
    put(t, buf, (size_t)(p - buf));
}

static void put_identifiers(struct text *t, const struct order *o)
{
    if (!o->identifiers) {
        PUT_LITERAL(t, "null");
        return;
    }
    size_t n = o->identifier_count < JSON_IDENTIFIERS_MAX ? o->identifier_count
                                                          : JSON_IDENTIFIERS_MAX;
    PUT_LITERAL(t, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            PUT_LITERAL(t, ",");
        put_string(t, o->identifiers[i] ? o->identifiers[i] : "");
    }
    PUT_LITERAL(t, "]");
}

static void put_challenges(struct text *t, const struct order *o)
{
    if (!o->challenges) {
        PUT_LITERAL(t, "null");
        return;
    }
    size_t n = o->challenge_count < JSON_IDENTIFIERS_MAX ? o->challenge_count
                                                         : JSON_IDENTIFIERS_MAX;
    PUT_LITERAL(t, "{");
    for (size_t i = 0; i < n; i++) {
        const struct order_identifier_challenges *ic = &o->challenges[i];
        put_key(t, ic->identifier ? ic->identifier : "", i == 0);
        PUT_LITERAL(t, "[");
        size_t m = ic->count < ORDER_RECORD_CHALLENGES_MAX ? ic->count
                                                           : ORDER_RECORD_CHALLENGES_MAX;
        for (size_t j = 0; j < m; j++) {
            const struct challenge *ch = &ic->items[j];
            if (j)
                PUT_LITERAL(t, ",");
            PUT_LITERAL(t, "{\"challenge_type\":");
            put_string(t, ch->type);
            PUT_LITERAL(t, ",\"challenge_status\":");
            put_string(t, ch->status);
            PUT_LITERAL(t, ",\"expires\":");
            put_time(t, ch->expires);
            PUT_LITERAL(t, "}");
        }
        PUT_LITERAL(t, "]");
    }
    PUT_LITERAL(t, "}");
}

void order_record_append(const struct order *o, char **buf, size_t *len, size_t *cap)
{
    struct text t = {buf, len, cap};
    PUT_LITERAL(&t, "{\"order_id\":");
    put_string(&t, o->id ? o->id : "");
    PUT_LITERAL(&t, ",\"order_status\":");
    put_string(&t, o->status_text ? o->status_text : order_status_name(o->status));
    PUT_LITERAL(&t, ",\"role_name\":");
    put_string(&t, o->role);
    PUT_LITERAL(&t, ",\"identifiers\":");
    put_identifiers(&t, o);
    PUT_LITERAL(&t, ",\"csr\":");
    put_string(&t, o->csr);
    PUT_LITERAL(&t, ",\"creation_date\":");
    put_time(&t, o->created);
    PUT_LITERAL(&t, ",\"last_update\":");
    put_time(&t, o->last_update);
    PUT_LITERAL(&t, ",\"next_work_date\":");
    put_time(&t, o->next_work);
    PUT_LITERAL(&t, ",\"expires\":");
    put_time(&t, o->expires);
    PUT_LITERAL(&t, ",\"last_error\":");
    put_string(&t, o->last_error);
    PUT_LITERAL(&t, ",\"serial_number\":");
    put_string(&t, o->serial);
    PUT_LITERAL(&t, ",\"challenges\":");
    put_challenges(&t, o);
    PUT_LITERAL(&t, ",\"cert_not_before\":");
    put_time(&t, o->cert_not_before);
    PUT_LITERAL(&t, ",\"cert_not_after\":");
    put_time(&t, o->cert_not_after);
    PUT_LITERAL(&t, "}");
}

/* ---- reading ------------------------------------------------------------ */

/* The fields of a record, in the order order_record_append writes them. */
enum field {
    F_ID, F_STATUS, F_ROLE, F_IDENTIFIERS, F_CSR, F_CREATED, F_LAST_UPDATE, F_NEXT_WORK,
    F_EXPIRES, F_LAST_ERROR, F_SERIAL, F_CHALLENGES, F_NOT_BEFORE, F_NOT_AFTER, F_COUNT
};

static const char *const field_names[F_COUNT] = {
    [F_ID] = "order_id",          [F_STATUS] = "order_status",
    [F_ROLE] = "role_name",       [F_IDENTIFIERS] = "identifiers",
    [F_CSR] = "csr",              [F_CREATED] = "creation_date",
    [F_LAST_UPDATE] = "last_update", [F_NEXT_WORK] = "next_work_date",
    [F_EXPIRES] = "expires",      [F_LAST_ERROR] = "last_error",
    [F_SERIAL] = "serial_number", [F_CHALLENGES] = "challenges",
    [F_NOT_BEFORE] = "cert_not_before", [F_NOT_AFTER] = "cert_not_after",
};

/* The field a key names (F_COUNT: not one of ours, ignored); *hint is the
 * field expected next, so a record in our order costs one comparison a key. */
static enum field field_of(const char *key, int *hint)
{
    if (*hint < F_COUNT && strcmp(key, field_names[*hint]) == 0)
        return (enum field)(*hint)++;
    for (int f = 0; f < F_COUNT; f++)
        if (strcmp(key, field_names[f]) == 0) {
            *hint = f + 1;
            return (enum field)f;
        }
    return F_COUNT;
}

/* A string of at most max bytes. */
static int check_text(const cJSON *v, const char *name, size_t max, struct parse_error *err)
{
    if (!cJSON_IsString(v) || !v->valuestring) {
        parse_error_set(err, "field '%s' is not a string", name);
        return -1;
    }
    if (strnlen(v->valuestring, max + 1) > max) {
        parse_error_set(err, "field '%s' is larger than %zu bytes", name, max);
        return -1;
    }
    return 0;
}

/* Sanitised text (json_field's rules) of a checked string. */
static int read_text(const cJSON *v, const char *name, enum json_kind kind, char **out,
                     struct parse_error *err)
{
    if (check_text(v, name, JSON_STRING_MAX, err) != 0)
        return -1;
    *out = json_string_take(v, name, kind, NULL, NULL);
    return 0;
}

static int read_time(const cJSON *v, const char *name, time_t *out, struct parse_error *err)
{
    if (cJSON_IsNull(v))
        return 0;
    if (check_text(v, name, TIME_TEXT_MAX, err) != 0)
        return -1;
    if (rfc3339_parse(v->valuestring, out) != 0) {
        parse_error_set(err, "field '%s' is not an RFC 3339 time", name);
        return -1;
    }
    return 0;
}

static int read_identifiers(const cJSON *v, struct order *o, struct parse_error *err)
{
    if (!cJSON_IsArray(v)) {
        parse_error_set(err, "field 'identifiers' is not a list");
        return -1;
    }
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (n > JSON_IDENTIFIERS_MAX) {
        parse_error_set(err, "field 'identifiers' has more than %zu entries",
                        JSON_IDENTIFIERS_MAX);
        return -1;
    }
    o->identifiers = xcalloc(n ? n : 1, sizeof *o->identifiers);
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
    {
        if (read_text(e, "identifiers", JSON_TEXT, &o->identifiers[o->identifier_count],
                      err) != 0)
            return -1;
        o->identifier_count++;
    }
    return 0;
}

static int read_challenge(const cJSON *c, struct challenge *ch, struct parse_error *err)
{
    if (!cJSON_IsObject(c)) {
        parse_error_set(err, "field 'challenges' has a challenge that is not an object");
        return -1;
    }
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(c, "challenge_type");
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(c, "challenge_status");
    const cJSON *expires = cJSON_GetObjectItemCaseSensitive(c, "expires");
    if (type && !cJSON_IsNull(type) &&
        read_text(type, "challenge_type", JSON_TEXT, &ch->type, err) != 0)
        return -1;
    if (status && !cJSON_IsNull(status) &&
        read_text(status, "challenge_status", JSON_TEXT, &ch->status, err) != 0)
        return -1;
    challenge_word_share(&ch->type); /* one copy for every order */
    challenge_word_share(&ch->status);
    return expires ? read_time(expires, "expires", &ch->expires, err) : 0;
}

static int read_identifier_challenges(const cJSON *e, struct order_identifier_challenges *ic,
                                      struct parse_error *err)
{
    if (!e->string || strnlen(e->string, JSON_STRING_MAX + 1) > JSON_STRING_MAX) {
        parse_error_set(err, "field 'challenges' has an identifier larger than %zu bytes",
                        JSON_STRING_MAX);
        return -1;
    }
    ic->identifier = xstrdup(e->string);
    text_sanitize(ic->identifier, false);
    if (!cJSON_IsArray(e)) {
        parse_error_set(err, "field 'challenges' has an entry that is not a list");
        return -1;
    }
    size_t m = (size_t)cJSON_GetArraySize(e);
    if (m > ORDER_RECORD_CHALLENGES_MAX) {
        parse_error_set(err, "field 'challenges' has more than %d challenges for one identifier",
                        ORDER_RECORD_CHALLENGES_MAX);
        return -1;
    }
    ic->items = xcalloc(m ? m : 1, sizeof *ic->items);
    const cJSON *c;
    cJSON_ArrayForEach(c, e)
    {
        if (read_challenge(c, &ic->items[ic->count++], err) != 0)
            return -1;
    }
    return 0;
}

static int read_challenges(const cJSON *v, struct order *o, struct parse_error *err)
{
    if (!cJSON_IsObject(v)) {
        parse_error_set(err, "field 'challenges' is not an object");
        return -1;
    }
    size_t n = (size_t)cJSON_GetArraySize(v);
    if (n > JSON_IDENTIFIERS_MAX) {
        parse_error_set(err, "field 'challenges' has more than %zu identifiers",
                        JSON_IDENTIFIERS_MAX);
        return -1;
    }
    o->challenges = xcalloc(n ? n : 1, sizeof *o->challenges);
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
    {
        if (read_identifier_challenges(e, &o->challenges[o->challenge_count++], err) != 0)
            return -1;
    }
    return 0;
}

static int read_field(enum field f, const cJSON *v, struct order *o, struct parse_error *err)
{
    const char *name = field_names[f];
    if (cJSON_IsNull(v) && f != F_ID && f != F_STATUS)
        return 0; /* absent */
    switch (f) {
    case F_ID:
        o->id = json_string_name(v);
        if (o->id)
            return 0;
        parse_error_set(err, "field 'order_id' is not a usable order ID");
        return -1;
    case F_STATUS:
        if (read_text(v, name, JSON_TEXT, &o->status_text, err) != 0)
            return -1;
        o->status = order_status_from_string(o->status_text);
        return 0;
    case F_ROLE: /* it goes into API paths: kept only if it is a clean name */
        if (check_text(v, name, JSON_STRING_MAX, err) != 0)
            return -1;
        o->role = v->valuestring[0] ? json_string_name(v) : xstrdup("");
        return 0;
    case F_CSR: /* PEM: exact, not sanitised */
        return read_text(v, name, JSON_BLOB, &o->csr, err);
    case F_LAST_ERROR:
        return read_text(v, name, JSON_TEXT, &o->last_error, err);
    case F_SERIAL:
        return read_text(v, name, JSON_TEXT, &o->serial, err);
    case F_IDENTIFIERS:
        return read_identifiers(v, o, err);
    case F_CHALLENGES:
        return read_challenges(v, o, err);
    case F_CREATED:
        return read_time(v, name, &o->created, err);
    case F_LAST_UPDATE:
        return read_time(v, name, &o->last_update, err);
    case F_NEXT_WORK:
        return read_time(v, name, &o->next_work, err);
    case F_EXPIRES:
        return read_time(v, name, &o->expires, err);
    case F_NOT_BEFORE:
        return read_time(v, name, &o->cert_not_before, err);
    case F_NOT_AFTER:
        return read_time(v, name, &o->cert_not_after, err);
    case F_COUNT:
        break;
    }
    return 0;
}

/* One pass over the record's fields: each is checked strictly and read
 * with json_field's value readers (json_string_take, json_string_name), so
 * the sanitising is the API parsers'. */
int order_record_parse(const cJSON *rec, struct order *out, struct parse_error *err)
{
    order_init(out);
    if (!cJSON_IsObject(rec)) {
        parse_error_set(err, "an order is not an object");
        return -1;
    }
    unsigned seen = 0;
    int hint = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, rec)
    {
        enum field f = v->string ? field_of(v->string, &hint) : F_COUNT;
        if (f == F_COUNT)
            continue; /* a field of no use here */
        if (seen & (1u << f)) {
            parse_error_set(err, "field '%s' appears twice", field_names[f]);
            goto fail;
        }
        seen |= 1u << f;
        if (read_field(f, v, out, err) != 0)
            goto fail;
    }
    if (!out->id || !out->status_text) {
        parse_error_set(err, "field '%s' is missing", out->id ? "order_status" : "order_id");
        goto fail;
    }
    out->detail_known = true;
    return 0;
fail:
    order_clear(out);
    return -1;
}
