/* fuzz_time: the two readers of times and lengths of time: rfc3339_parse()
 * (model/rfc3339.c: every date in Vault's answers and the order cache)
 * and duration_parse() (model/duration.c: durations in flags, variables
 * and the config file).  The input is the text, given to both.
 * Checks: no crash or read past the text; a time that parses and lies in
 * years 1..9999 is written by rfc3339_format() as text that parses back to
 * the same time, and a failed parse leaves the output alone; a duration
 * that parses is finite and not negative (as duration.h promises). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_check.h"
#include "model/duration.h"
#include "model/rfc3339.h"

#define FIRST_SECOND (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define LAST_SECOND 253402300799LL    /* 9999-12-31T23:59:59Z */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);

    time_t t = (time_t)12345;
    if (rfc3339_parse(text, &t) == 0) {
        if (t != 0 && (long long)t > FIRST_SECOND && (long long)t <= LAST_SECOND) {
            char buf[RFC3339_BUF];
            rfc3339_format(t, buf, sizeof buf);
            time_t back = 0;
            FUZZ_CHECK(rfc3339_parse(buf, &back) == 0 && back == t,
                       "\"%s\" is %lld, written \"%s\", read back %lld", text, (long long)t, buf,
                       (long long)back);
        }
    } else {
        FUZZ_CHECK(t == (time_t)12345, "a failed parse changed the output");
    }

    double seconds = -1;
    if (duration_parse(text, &seconds) == 0)
        FUZZ_CHECK(isfinite(seconds) && seconds >= 0, "duration \"%s\" is %g s", text, seconds);
    else
        FUZZ_CHECK(seconds == -1, "a failed duration parse changed the output");

    free(text);
    return 0;
}
