/* fuzz_retry_after: the value of a Retry-After header on a 429/503 from
 * Vault or a proxy (as curl_easy_header hands it to the Vault client)
 * through retry_after_seconds() (net/retry_after.c: delay-seconds or an
 * HTTP date), and the delay it leads to through backoff_delay()
 * (net/backoff.c); the first 8 bytes, as a double, also go through
 * retry_after_clamp().
 * Checks: no crash or hang; the wait is within 0..RETRY_AFTER_MAX_S; a
 * plain number (with optional spaces or tabs around) is itself, cut to the
 * cap; the same value gives the same wait, and never a longer one later;
 * the worker's delay is finite, not shorter than the wait, bounded, and
 * fits the casts the worker makes (whole seconds in an int, milliseconds
 * in a long long). */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_check.h"
#include "net/backoff.h"
#include "net/retry_after.h"

#define NOW ((time_t)1780000000) /* 2026-05-28 */

/* The number a plain delay-seconds value says, saturated; -1 if it is not one. */
static long long plain_number(const char *s)
{
    s += strspn(s, " \t");
    if (!isdigit((unsigned char)*s))
        return -1;
    long long n = 0;
    for (; isdigit((unsigned char)*s); s++)
        n = n > 1000000 ? n : n * 10 + (*s - '0');
    s += strspn(s, " \t");
    return *s ? -1 : n;
}

static void check_delay(double base, int failures, int wait)
{
    unsigned seed = 42;
    double d = backoff_delay(base, failures, wait, &seed);
    FUZZ_CHECK(isfinite(d) && d >= wait, "delay %g s for a Retry-After of %d s", d, wait);
    FUZZ_CHECK(d <= BACKOFF_CAP_S * 1.2 + 1e-9 || d <= RETRY_AFTER_MAX_S,
               "delay %g s is over every cap", d);
    FUZZ_CHECK(d + 0.5 < (double)INT_MAX && d * 1000 < (double)LLONG_MAX,
               "delay %g s does not fit the worker's casts", d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= sizeof(double)) {
        double raw;
        memcpy(&raw, data, sizeof raw);
        double c = retry_after_clamp(raw);
        FUZZ_CHECK(c >= 0 && c <= RETRY_AFTER_MAX_S, "clamp(%g) = %g", raw, c);
    }
    char *value = fuzz_cstring(data, size);
    int wait = retry_after_seconds(value, NOW);
    FUZZ_CHECK(wait >= 0 && wait <= RETRY_AFTER_MAX_S, "Retry-After \"%s\" waits %d s", value,
               wait);
    long long n = plain_number(value);
    if (n >= 0) {
        long long want = n > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : n;
        FUZZ_CHECK(wait == want, "Retry-After \"%s\" waits %d s, not %lld", value, wait, want);
    }
    FUZZ_CHECK(retry_after_seconds(value, NOW) == wait, "the same value waits otherwise");
    int later = retry_after_seconds(value, NOW + 100);
    FUZZ_CHECK(later >= 0 && later <= wait, "100 s later \"%s\" waits %d s instead of %d",
               value, later, wait);
    check_delay(5, 1, wait);
    check_delay(0.2, 30, wait);
    check_delay(3600, 2, wait);
    free(value);
    return 0;
}
