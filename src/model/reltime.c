/* reltime: "in 3d 4h" / "5m ago" texts for countdowns and list columns. */
#include "model/reltime.h"

#include <limits.h>
#include <stdio.h>

char *reltime_format_span(long long seconds, char *buf, size_t size)
{
    static const struct {
        long long secs;
        char unit;
    } units[] = {{365LL * 86400, 'y'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
    const size_t nunits = sizeof units / sizeof units[0];
    if (!buf || size == 0)
        return buf;
    unsigned long long v = seconds < 0 ? 0ULL - (unsigned long long)seconds
                                       : (unsigned long long)seconds;
    size_t i = 0;
    while (i + 1 < nunits && v < (unsigned long long)units[i].secs)
        i++;
    unsigned long long big = v / (unsigned long long)units[i].secs;
    unsigned long long rest = v % (unsigned long long)units[i].secs;
    if (i + 1 < nunits && rest / (unsigned long long)units[i + 1].secs > 0)
        snprintf(buf, size, "%llu%c %llu%c", big, units[i].unit,
                 rest / (unsigned long long)units[i + 1].secs, units[i + 1].unit);
    else
        snprintf(buf, size, "%llu%c", big, units[i].unit);
    return buf;
}

char *reltime_format(time_t when, time_t now, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    if (when == 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    long long d;
    if (__builtin_sub_overflow((long long)when, (long long)now, &d))
        d = when > now ? LLONG_MAX : LLONG_MIN;
    if (d == 0) {
        snprintf(buf, size, "now");
        return buf;
    }
    char span[RELTIME_BUF];
    reltime_format_span(d, span, sizeof span);
    if (d > 0)
        snprintf(buf, size, "in %s", span);
    else
        snprintf(buf, size, "%s ago", span);
    return buf;
}
