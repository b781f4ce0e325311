/* backoff: retry delays after failed cycles (see backoff.h). */
#include "net/backoff.h"

#include <stdlib.h>

#include "net/retry_after.h"

double backoff_delay(double base, int failures, double retry_after, unsigned *seed)
{
    if (base <= 0)
        base = 1;
    if (failures < 1)
        failures = 1;
    double d = base;
    for (int i = 1; i < failures && d < BACKOFF_CAP_S; i++)
        d *= 2;
    if (d > BACKOFF_CAP_S)
        d = BACKOFF_CAP_S;
    double jitter = 0.8 + 0.4 * ((double)rand_r(seed) / (double)RAND_MAX);
    d *= jitter;
    retry_after = retry_after_clamp(retry_after); /* the result is cast later */
    if (retry_after > d)
        d = retry_after; /* the server said when: not sooner, and no later */
    return d;
}
