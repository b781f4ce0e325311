/* renew_window: renew_at parsing, the window's arithmetic and its column
 * text (see renew_window.h). */
#include "model/renew_window.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/duration.h"
#include "model/reltime.h"

static bool is_fraction(double v)
{
    return isfinite(v) && v > 0 && v < 1;
}

int renew_at_parse(const char *text, struct renew_at *out)
{
    if (!text)
        return -1;
    while (isspace((unsigned char)*text))
        text++;
    if (!isdigit((unsigned char)*text) && *text != '.')
        return -1;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || !isfinite(v))
        return -1;
    if (*end == '/') {
        const char *den_text = end + 1;
        if (!isdigit((unsigned char)*den_text))
            return -1;
        double den = strtod(den_text, &end);
        if (*end || !(den > 0) || !is_fraction(v / den))
            return -1;
        *out = (struct renew_at){.fraction = true, .value = v / den};
        return 0;
    }
    if (strcmp(end, "%") == 0) {
        if (!is_fraction(v / 100))
            return -1;
        *out = (struct renew_at){.fraction = true, .value = v / 100};
        return 0;
    }
    if (*end == '\0') { /* a bare number: a fraction, or nothing */
        if (!is_fraction(v))
            return -1;
        *out = (struct renew_at){.fraction = true, .value = v};
        return 0;
    }
    double seconds;
    if (duration_parse(text, &seconds) != 0 || !(seconds > 0))
        return -1;
    *out = (struct renew_at){.fraction = false, .value = seconds};
    return 0;
}

struct renew_window renew_window_of(time_t not_before, time_t not_after,
                                    const struct renew_at *at, double crit_s, time_t now)
{
    struct renew_window w = {.state = RENEW_UNKNOWN, .not_after = not_after};
    if (not_after == 0 || !at)
        return w;
    double opens;
    if (at->fraction) {
        if (not_before == 0 || not_before >= not_after)
            return w;
        opens = (double)not_before + at->value * ((double)not_after - (double)not_before);
    } else {
        opens = (double)not_after - at->value;
        if (not_before != 0 && opens < (double)not_before)
            opens = (double)not_before;
    }
    w.opens = (time_t)opens; /* truncated: times here are positive */
    w.closes = w.opens + (not_after - w.opens) / 2;
    if (now >= not_after)
        w.state = RENEW_EXPIRED;
    else if ((double)not_after - (double)now <= crit_s)
        w.state = RENEW_URGENT;
    else if (now >= w.closes)
        w.state = RENEW_OVERDUE;
    else if (now >= w.opens)
        w.state = RENEW_DUE;
    else
        w.state = RENEW_LATER;
    return w;
}

/* The first unit of a span: "12d" of "12d 4h". */
static void span_one_unit(long long seconds, char *buf, size_t size)
{
    reltime_format_span(seconds, buf, size);
    char *space = strchr(buf, ' ');
    if (space)
        *space = '\0';
}

char *renew_window_text(const struct renew_window *w, time_t now, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    char span[RELTIME_BUF];
    if (w->state == RENEW_UNKNOWN) {
        snprintf(buf, size, "-");
    } else if (w->state == RENEW_EXPIRED) {
        span_one_unit((long long)now - (long long)w->not_after, span, sizeof span);
        snprintf(buf, size, "expired %s", span);
    } else if (now < w->opens) { /* later, or urgent by a tight expiry_crit */
        span_one_unit((long long)w->opens - (long long)now, span, sizeof span);
        snprintf(buf, size, "in %s", span);
    } else if (now < w->closes) {
        snprintf(buf, size, "due");
    } else {
        span_one_unit((long long)now - (long long)w->opens, span, sizeof span);
        snprintf(buf, size, "overdue %s", span);
    }
    return buf;
}

bool renew_window_wanted(const struct renew_window *w)
{
    return w->state == RENEW_DUE || w->state == RENEW_OVERDUE || w->state == RENEW_URGENT ||
           w->state == RENEW_EXPIRED;
}
