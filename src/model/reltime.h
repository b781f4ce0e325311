/* reltime: compact human text for "how far is this time from now",
 * for list columns and countdowns: `in 3d 4h`, `in 12m 5s`, `5m ago`,
 * `2d ago`, `now`, `-` for unset (0). Two units at most (y d, d h, h m, m s),
 * the second one dropped when it is zero; always truncated towards zero. */
#ifndef ACMETOP_RELTIME_H
#define ACMETOP_RELTIME_H

#include <stddef.h>
#include <time.h>

#define RELTIME_BUF 24 /* enough for any output */

/* Write the text for `when` relative to `now` into buf. Returns buf. */
char *reltime_format(time_t when, time_t now, char *buf, size_t size);

/* Same for a span in seconds, without "in"/"ago": `3d 4h`, `45s`, `0s`. */
char *reltime_format_span(long long seconds, char *buf, size_t size);

#endif
