/* freshness: coarse ages for the header (see freshness.h). */
#include "ui/freshness.h"

#include <stdio.h>

/* The unit an age is told in: minutes under an hour, hours under a day,
 * days beyond. */
static long long unit_of(long long age)
{
    return age < 3600 ? 60 : age < 86400 ? 3600 : 86400;
}

/* "7m", "2h", "3d" into buf; returns when it next changes. */
static time_t span(time_t at, long long age, char *buf, size_t size)
{
    long long unit = unit_of(age), n = age / unit;
    snprintf(buf, size, "%lld%c", n, unit == 60 ? 'm' : unit == 3600 ? 'h' : 'd');
    /* the next whole unit; at an hour or a day the unit itself changes too */
    return at + (time_t)((n + 1) * unit);
}

time_t freshness_updated(time_t at, time_t now, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!at)
        return 0;
    long long age = (long long)now - (long long)at;
    if (age < 60) {
        snprintf(buf, size, "just now");
        return at + 60;
    }
    char s[FRESHNESS_BUF];
    time_t next = span(at, age, s, sizeof s);
    snprintf(buf, size, "%s ago", s);
    return next;
}

time_t freshness_oldest(time_t at, time_t now, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!at)
        return 0;
    long long age = (long long)now - (long long)at;
    if (age < FRESHNESS_OLDEST_SHOWN)
        return at + FRESHNESS_OLDEST_SHOWN;
    return span(at, age, buf, size);
}
