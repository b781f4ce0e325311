/* retry_after: the server's Retry-After header (RFC 9110 §10.2.3), read
 * into a delay the worker can schedule with.  The header is foreign text:
 * a delay in seconds ("120") or an HTTP date ("Fri, 31 Dec 1999 23:59:59
 * GMT").  Whatever it says, the answer is a number of seconds in
 * [0, RETRY_AFTER_MAX_S]: huge numbers and far dates are cut to the cap,
 * dates in the past, negative numbers and garbage read as "not said" (0),
 * so no value can stop polling for good or overflow a later cast. */
#ifndef ACMETOP_NET_RETRY_AFTER_H
#define ACMETOP_NET_RETRY_AFTER_H

#include <time.h>

#define RETRY_AFTER_MAX_S 300

/* Seconds to wait for value (NULL = no header) when the wall clock says
 * now; 0 when absent, unreadable or already past. */
int retry_after_seconds(const char *value, time_t now);

/* d cut to [0, RETRY_AFTER_MAX_S]; NaN and negatives are 0. */
double retry_after_clamp(double d);

#endif
