/* preflight_result: filling a struct preflight_result, and reading the
 * timeout of the options, shared by the three checks (preflight_http01.c,
 * preflight_dns01.c, preflight_tlsalpn01.c) and the dispatcher.  Internal
 * to the preflight family: the console uses preflight.h. */
#ifndef ACMETOP_NET_PREFLIGHT_RESULT_H
#define ACMETOP_NET_PREFLIGHT_RESULT_H

#include <stddef.h>

#include "net/preflight_types.h"

/* Empty result (status UNREACHABLE, all texts ""). */
void preflight_result_clear(struct preflight_result *r);

/* Set status and why (printf-style); returns the status. */
enum preflight_status preflight_result_set(struct preflight_result *r, enum preflight_status s,
                                           const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copy len bytes of untrusted text into dst (size bytes): sanitized for the
 * terminal, cut with "..." when too long. */
void preflight_text_copy(char *dst, size_t size, const char *src, size_t len);

/* The timeout of o (default when o is NULL or 0) as "5 s" / "1.5 s". */
long preflight_timeout_ms(const struct preflight_options *o);
void preflight_seconds_text(long ms, char *buf, size_t size);
/* "OK", "mismatch", "unreachable". */
const char *preflight_status_name(enum preflight_status s);

#endif
