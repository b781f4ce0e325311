/* rfc3339: RFC 3339 timestamps <-> time_t, without the C library's timegm
 * (not in C11/POSIX) or TZ: the civil-date arithmetic is done here. */
#include "model/rfc3339.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Read exactly n decimal digits. */
static bool read_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int rfc3339_parse(const char *s, time_t *out)
{
    if (!s)
        return -1;
    const char *p = s;
    int year, mon, day, hour, min, sec;
    if (!read_digits(&p, 4, &year) || *p++ != '-' || !read_digits(&p, 2, &mon) ||
        *p++ != '-' || !read_digits(&p, 2, &day))
        return -1;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return -1;
    p++;
    if (!read_digits(&p, 2, &hour) || *p++ != ':' || !read_digits(&p, 2, &min) ||
        *p++ != ':' || !read_digits(&p, 2, &sec))
        return -1;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    int offset = 0; /* seconds east of UTC */
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (!read_digits(&p, 2, &oh) || *p++ != ':' || !read_digits(&p, 2, &om))
            return -1;
        if (oh > 23 || om > 59)
            return -1;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    if (year < 1 || mon < 1 || mon > 12 || day < 1 ||
        day > days_in_month(year, mon) || hour > 23 || min > 59 || sec > 60)
        return -1;

    /* Go's zero time.Time: "not set" */
    if (year == 1 && mon == 1 && day == 1 && hour == 0 && min == 0 && sec == 0) {
        *out = 0;
        return 0;
    }
    int64_t t = days_from_civil(year, mon, day) * 86400 + hour * 3600 +
                min * 60 + sec - offset; /* sec 60 (leap) rolls over */
    time_t tt = (time_t)t;
    if ((int64_t)tt != t)
        return -1; /* does not fit a 32-bit time_t */
    *out = tt;
    return 0;
}

char *rfc3339_format(time_t t, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    struct tm tm;
    if (t == 0 || !gmtime_r(&t, &tm)) {
        snprintf(buf, size, "-");
        return buf;
    }
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}
