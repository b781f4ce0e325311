/* order_record: one finished order as a record of the order cache
 * (net/order_cache.h): struct order -> one line of compact JSON, and back.
 *
 * A record holds what struct order holds and nothing else (the order has no
 * token, key or key authorization), with the field names of the API's order
 * object (the same as `--once --json`) plus order_id, cert_not_before and
 * cert_not_after:
 *   {"order_id":"…","order_status":"revoked","role_name":"web",
 *    "identifiers":["a.example"],"csr":"","creation_date":"2026-…Z",
 *    "last_update":…,"next_work_date":null,"expires":…,"last_error":"",
 *    "serial_number":"…","challenges":{"a.example":[{"challenge_type":
 *    "http-01","challenge_status":"valid","expires":…}]},
 *    "cert_not_before":…,"cert_not_after":…}
 * NULL strings, arrays and maps are written as null (so "absent" and
 * "empty" survive), unset times (0) as null. What only the running program
 * knows (stale, unverified, detail_known) is not written.
 *
 * Why not order_json.c: that object is for people and scripts (status as
 * displayed, days_left, stale, mount), loses null-vs-empty for identifiers
 * and challenges, and building a cJSON tree per order is several times
 * slower than appending text, which counts at 100,000 orders.
 *
 * Reading is strict where the API parsers are lenient: acmetop wrote the
 * record, so a wrong type, an oversize string or list, a time that is not
 * RFC 3339 or an order ID that is not a clean name means the file was damaged
 * or tampered with, and the record is refused with the field named. Values
 * are taken through json_field's readers (json_string_take, json_string_name),
 * so every string is sanitised for the terminal exactly as in Vault's answers
 * (order_parse.c); unknown fields are ignored, a known field twice refused.
 * Whatever order_record_append() writes, order_record_parse() accepts
 * (strings longer than the caps are cut, lists capped, times outside years
 * 1..9999 are written as null). */
#ifndef ACMETOP_ORDER_RECORD_H
#define ACMETOP_ORDER_RECORD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "model/order.h"
#include "model/parse_error.h"

#define ORDER_RECORD_CHALLENGES_MAX 16 /* challenges per identifier (as order_parse) */

/* Append the record of o (one line, no newline) to the text *buf of *len
 * bytes in *cap allocated (xrealloc'ed as needed; *buf may start NULL).
 * The text is not NUL-terminated unless a byte is appended. */
void order_record_append(const struct order *o, char **buf, size_t *len, size_t *cap);

/* Record -> *out (initialised here; detail_known = true). 0, or -1 with err
 * naming the field ("field 'last_error' is larger than 65536 bytes"); on -1
 * *out is left empty. */
int order_record_parse(const cJSON *rec, struct order *out, struct parse_error *err);

#endif
