/* json_field: typed, capped, NULL-safe access to fields of untrusted cJSON
 * objects. Every parser in src/model reads the server's answers only through
 * these functions, so the rules live in one place:
 *   - missing field or JSON null           -> absent (NULL / 0 / false), no error
 *     unless the field is JSON_REQUIRED;
 *   - wrong type                           -> JSON_REQUIRED: error naming the
 *     field; JSON_OPTIONAL: treated as absent;
 *   - strings longer than the cap          -> JSON_TEXT: truncated and
 *     sanitised (for people); JSON_BLOB: error (PEM, keys, tokens must be exact);
 *   - arrays longer than the cap           -> the first `max_items` entries are
 *     kept; non-string entries are skipped. */
#ifndef ACMETOP_JSON_FIELD_H
#define ACMETOP_JSON_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "model/parse_error.h"

#define JSON_STRING_MAX ((size_t)64 * 1024)    /* default cap for one string */
#define JSON_IDENTIFIERS_MAX ((size_t)1000)    /* identifiers of one order */
#define JSON_KEYS_MAX ((size_t)100000)         /* entries of one LIST answer */
#define JSON_LIST_MAX ((size_t)1000)           /* other lists (policies, chain) */

enum json_need { JSON_OPTIONAL, JSON_REQUIRED };
enum json_kind { JSON_TEXT, JSON_BLOB };

/* String field. *out is a new string or NULL when absent. Returns 0 or -1. */
int json_field_string(const cJSON *obj, const char *name, enum json_need need,
                      enum json_kind kind, char **out, struct parse_error *err);

/* RFC 3339 time field; absent, unparsable (optional) or the zero date -> 0. */
int json_field_time(const cJSON *obj, const char *name, enum json_need need,
                    time_t *out, struct parse_error *err);

/* Boolean field; also accepts the strings "true"/"false". Absent -> false. */
int json_field_bool(const cJSON *obj, const char *name, enum json_need need,
                    bool *out, struct parse_error *err);

/* Integer field (a JSON number, or a string of digits as Vault sometimes
 * sends); clamped to [min, max]. Absent -> 0 (clamped). */
int json_field_int(const cJSON *obj, const char *name, enum json_need need,
                   int64_t min, int64_t max, int64_t *out,
                   struct parse_error *err);

/* List of strings: a JSON array of strings, or one comma-separated string
 * (Vault echoes some list inputs that way). Entries are sanitised text,
 * at most max_items kept, non-strings skipped.
 * *out is NULL with *count 0 when absent; when present (even empty) *out is
 * a non-NULL array so callers can tell "absent" from "empty". */
int json_field_strv(const cJSON *obj, const char *name, enum json_need need,
                    size_t max_items, char ***out, size_t *count,
                    struct parse_error *err);

#define JSON_NAME_MAX ((size_t)1024) /* IDs, role names, list keys */

/* A name the program will both show and put into an API path (order ID,
 * role name, LIST key): a copy if v is a non-empty string of at most
 * JSON_NAME_MAX bytes that is already clean text (no control characters,
 * valid UTF-8), else NULL. Sanitising would change it, so it is refused. */
char *json_string_name(const cJSON *v);
/* Same check for a C string (e.g. a map key). */
bool json_name_is_clean(const char *s);

/* Copy of a JSON string value with the same rules as json_field_string
 * (used for array entries and map keys). NULL if v is not a string; for an
 * oversize JSON_BLOB also NULL, with *failed = 1 and err set. */
char *json_string_take(const cJSON *v, const char *what, enum json_kind kind,
                       struct parse_error *err, int *failed);

#endif
