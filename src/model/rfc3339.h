/* rfc3339: the timestamps of the Vault API (RFC 3339) to and from time_t.
 * Accepts `Z` or numeric offsets (`-04:00`), optional fractional seconds
 * (dropped), `T`/`t`/space as separator. The zero date Go writes for "not set"
 * (`0001-01-01T00:00:00Z`, any offset) parses to 0, and 0 means "unset"
 * everywhere in acmetop. */
#ifndef ACMETOP_RFC3339_H
#define ACMETOP_RFC3339_H

#include <stddef.h>
#include <time.h>

#define RFC3339_BUF 32 /* enough for rfc3339_format() */

/* Parse s into *out (seconds since the epoch, UTC). Returns 0, or -1 on
 * garbage / out-of-range fields (then *out is left untouched). Years before
 * 1970 other than the zero date are accepted only if time_t can hold them. */
int rfc3339_parse(const char *s, time_t *out);

/* Format t as `2026-06-29T12:45:22Z` into buf. t == 0 gives "-".
 * Returns buf. */
char *rfc3339_format(time_t t, char *buf, size_t size);

#endif
