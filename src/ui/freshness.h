/* freshness: the header's coarse ages of the data: "updated just now",
 * "updated 3m ago" (the last word from the engine) and "oldest data 7m" (the
 * order known current the longest time ago). Minutes, hours, days: the text
 * changes at most once a minute, so an idle console wakes once a minute for
 * it at most, not every second. Each function returns the wall time at
 * which its text next reads differently (for the tick), 0 for never. */
#ifndef ACMETOP_UI_FRESHNESS_H
#define ACMETOP_UI_FRESHNESS_H

#include <stddef.h>
#include <time.h>

#define FRESHNESS_BUF 32
#define FRESHNESS_OLDEST_SHOWN 120 /* seconds: younger oldest data is not worth a word */

/* "just now" under a minute, then "3m ago", "5h ago", "2d ago"; "" when at
 * is 0 (nothing heard yet). */
time_t freshness_updated(time_t at, time_t now, char *buf, size_t size);

/* "7m", "2h", "3d" once at is FRESHNESS_OLDEST_SHOWN old; "" before that and
 * when at is 0 (no orders). */
time_t freshness_oldest(time_t at, time_t now, char *buf, size_t size);

#endif
