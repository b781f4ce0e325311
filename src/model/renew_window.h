/* renew_window: when a certificate should be renewed.  The engine never
 * renews by itself (no ARI), so acmetop works it out from the certificate's
 * validity and the `renew_at` setting: a fraction of the lifetime ("2/3",
 * "66%", "0.66": due once that much has passed) or a duration before
 * expiry ("30d").  The window opens then and closes halfway to expiry
 * (like an ARI window); after it the renewal is overdue, within
 * expiry_crit of the end it is urgent.  Pure arithmetic: no I/O. */
#ifndef ACMETOP_MODEL_RENEW_WINDOW_H
#define ACMETOP_MODEL_RENEW_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct renew_at {
    bool fraction;  /* true: value is a fraction of the lifetime in (0, 1);
                       false: value is seconds before expiry (> 0) */
    double value;
};

/* Parse "2/3", "66%", "0.66" (a fraction: more than 0, less than 1) or a
 * duration with its unit ("30d", "720h": before expiry, more than 0).  A
 * bare number of 1 or more is refused: it would be neither.  Returns 0,
 * or -1 with *out untouched. */
int renew_at_parse(const char *text, struct renew_at *out);

enum renew_state {
    RENEW_UNKNOWN, /* validity unknown: no certificate, or not looked up yet */
    RENEW_LATER,   /* the window has not opened */
    RENEW_DUE,     /* inside the window */
    RENEW_OVERDUE, /* past the window */
    RENEW_URGENT,  /* within expiry_crit of expiry (whatever the window says) */
    RENEW_EXPIRED, /* not_after has passed */
};

struct renew_window {
    enum renew_state state;
    time_t opens;     /* due from here; 0 when unknown */
    time_t closes;    /* overdue from here */
    time_t not_after;
};

/* The window of a certificate valid from not_before to not_after (0:
 * unknown) at now.  A fraction needs both ends (else RENEW_UNKNOWN); a
 * duration before expiry longer than the lifetime opens the window at
 * not_before.  crit_s: seconds before expiry that make it urgent. */
struct renew_window renew_window_of(time_t not_before, time_t not_after,
                                    const struct renew_at *at, double crit_s, time_t now);

/* The RENEW column: "in 12d", "due", "overdue 3d" (since the window
 * opened), "expired 2d", "-" when unknown; one unit, truncated.  The words follow
 * the clock (an urgent window reads like the others); the state gives the
 * colour.  Returns buf. */
#define RENEW_WINDOW_TEXT_BUF 24
char *renew_window_text(const struct renew_window *w, time_t now, char *buf, size_t size);

/* True for the states that ask for a renewal now: due, overdue, urgent,
 * expired. */
bool renew_window_wanted(const struct renew_window *w);

#endif
