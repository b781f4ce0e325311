/* fuzz_order: the invariants of a struct order that a parser built from
 * foreign bytes (Vault's order answers, a record of the order cache),
 * shared by fuzz_order_json and fuzz_order_cache:
 *   - every text a person will see is clean (no control bytes, no escape
 *     sequence, valid UTF-8), the counts are within the parsers' caps;
 *   - order_copy gives an order order_same() calls equal;
 *   - the `--once --json` object builds and prints as JSON that parses;
 *   - a fully read order survives the order cache: order_record_append()
 *     then order_record_parse() gives the same order back (times the
 *     record cannot hold, outside years 1..9999, come back unset), and
 *     writing that order again gives the same record text. */
#ifndef ACMETOP_FUZZ_ORDER_H
#define ACMETOP_FUZZ_ORDER_H

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "fuzz_check.h"
#include "model/json_field.h"
#include "model/order.h"
#include "model/order_json.h"
#include "model/order_merge.h"
#include "model/order_record.h"

/* What a time becomes in a record: itself, or 0 when the record writes null
 * (years outside 1..9999, and Go's zero date 0001-01-01T00:00:00Z). */
static inline time_t fuzz_record_time(time_t t)
{
    const long long first = -62135596800LL; /* 0001-01-01T00:00:00Z */
    const long long last = 253402300799LL;  /* 9999-12-31T23:59:59Z */
    return (long long)t <= first || (long long)t > last ? 0 : t;
}

static inline void fuzz_record_times(struct order *o)
{
    o->created = fuzz_record_time(o->created);
    o->last_update = fuzz_record_time(o->last_update);
    o->next_work = fuzz_record_time(o->next_work);
    o->expires = fuzz_record_time(o->expires);
    o->cert_not_before = fuzz_record_time(o->cert_not_before);
    o->cert_not_after = fuzz_record_time(o->cert_not_after);
    for (size_t i = 0; i < o->challenge_count; i++)
        for (size_t j = 0; j < o->challenges[i].count; j++)
            o->challenges[i].items[j].expires =
                fuzz_record_time(o->challenges[i].items[j].expires);
}

static inline void fuzz_order_check_text(const struct order *o)
{
    FUZZ_CHECK_TEXT(o->id, "order_id");
    FUZZ_CHECK_TEXT(o->status_text, "order_status");
    FUZZ_CHECK_TEXT(o->role, "role_name");
    FUZZ_CHECK_TEXT(o->last_error, "last_error");
    FUZZ_CHECK_TEXT(o->serial, "serial_number");
    FUZZ_CHECK_TEXT(order_status_display(o), "the status shown");
    FUZZ_CHECK(o->identifier_count <= JSON_IDENTIFIERS_MAX, "%zu identifiers",
               o->identifier_count);
    FUZZ_CHECK(o->identifier_count == 0 || o->identifiers, "identifiers: NULL array");
    FUZZ_CHECK_STRV(o->identifiers, o->identifier_count, "identifier");
    FUZZ_CHECK(o->challenge_count <= JSON_IDENTIFIERS_MAX, "%zu challenge identifiers",
               o->challenge_count);
    for (size_t i = 0; i < o->challenge_count; i++) {
        const struct order_identifier_challenges *ic = &o->challenges[i];
        FUZZ_CHECK_TEXT(ic->identifier, "challenge identifier");
        FUZZ_CHECK(ic->count <= ORDER_RECORD_CHALLENGES_MAX, "%zu challenges", ic->count);
        for (size_t j = 0; j < ic->count; j++) {
            FUZZ_CHECK_TEXT(ic->items[j].type, "challenge_type");
            FUZZ_CHECK_TEXT(ic->items[j].status, "challenge_status");
        }
    }
}

static inline void fuzz_order_check_json(const struct order *o)
{
    cJSON *obj = order_json_object(o, "pki-external-ca", (time_t)1780000000);
    FUZZ_CHECK(obj, "order_json_object gave NULL");
    char *text = cJSON_PrintUnformatted(obj);
    FUZZ_CHECK(text, "the --json object does not print");
    cJSON *back = cJSON_Parse(text);
    FUZZ_CHECK(cJSON_IsObject(back), "the --json text does not parse: %.200s", text);
    cJSON_Delete(back);
    free(text);
    cJSON_Delete(obj);
}

/* o must be fully read (detail_known) and carry a clean ID. */
static inline void fuzz_order_check_record(const struct order *o)
{
    char *rec = NULL;
    size_t len = 0, cap = 0;
    order_record_append(o, &rec, &len, &cap);
    cJSON *tree = cJSON_ParseWithLength(rec, len);
    FUZZ_CHECK(tree, "the record written is not JSON: %.*s", (int)(len < 300 ? len : 300), rec);
    struct order back;
    struct parse_error err = {.message = ""};
    FUZZ_CHECK(order_record_parse(tree, &back, &err) == 0,
               "a record acmetop wrote is refused: %s", err.message);
    cJSON_Delete(tree);

    struct order want;
    order_copy(&want, o);
    fuzz_record_times(&want);
    want.stale = back.stale;
    want.unverified = back.unverified;
    FUZZ_CHECK(order_same(&want, &back), "the order read back from its record differs: %.*s",
               (int)(len < 300 ? len : 300), rec);
    order_clear(&want);

    char *again = NULL;
    size_t len2 = 0, cap2 = 0;
    order_record_append(&back, &again, &len2, &cap2);
    FUZZ_CHECK(len2 == len && memcmp(again, rec, len) == 0,
               "writing the order read back gives another record");
    free(again);
    order_clear(&back);
    free(rec);
}

static inline void fuzz_order_check(const struct order *o)
{
    fuzz_order_check_text(o);
    struct order copy;
    order_copy(&copy, o);
    FUZZ_CHECK(order_same(o, &copy), "order_copy gives another order");
    order_clear(&copy);
    fuzz_order_check_json(o);
    if (o->detail_known && o->id && json_name_is_clean(o->id))
        fuzz_order_check_record(o);
}

#endif
