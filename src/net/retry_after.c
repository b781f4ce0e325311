/* retry_after: Retry-After header values to a bounded delay (see
 * retry_after.h).  Dates are read by libcurl's curl_getdate(). */
#include "net/retry_after.h"

#include <ctype.h>
#include <string.h>

#include <curl/curl.h>

#define OWS " \t"

double retry_after_clamp(double d)
{
    if (!(d > 0)) /* also NaN */
        return 0;
    return d > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : d;
}

/* "120" with optional spaces around: the number, saturated at the cap;
 * -1 when value is not a plain run of digits. */
static int delay_seconds(const char *value)
{
    const char *p = value + strspn(value, OWS);
    if (!isdigit((unsigned char)*p))
        return -1;
    int n = 0;
    for (; isdigit((unsigned char)*p); p++)
        if (n < RETRY_AFTER_MAX_S)
            n = n * 10 + (*p - '0');
    p += strspn(p, OWS);
    if (*p != '\0')
        return -1;
    return n > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : n;
}

int retry_after_seconds(const char *value, time_t now)
{
    if (value == NULL)
        return 0;
    int n = delay_seconds(value);
    if (n >= 0)
        return n;
    /* an HTTP date: unreadable (-1) or past means "not said" */
    time_t at = curl_getdate(value, NULL);
    if (at == (time_t)-1 || at <= now)
        return 0;
    return (int)retry_after_clamp(difftime(at, now));
}
