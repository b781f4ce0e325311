/* check_report: the one line of `acmetop --check`, a monitoring plugin in
 * the Nagios/Icinga/Sensu conventions, from the orders read:
 *   ACMETOP OK|WARNING|CRITICAL - <summary naming the worst> | <perfdata>
 * Certificates (completed orders not superseded by a newer one of their
 * line, model/renew_link.h) expiring within crit or expired are critical,
 * within warn a warning; an order in error that no newer order retried,
 * and an order awaiting the operator whose ACME order expires within crit,
 * are warnings (each can be switched off).  Pure: text from data. */
#ifndef ACMETOP_MODEL_CHECK_REPORT_H
#define ACMETOP_MODEL_CHECK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "model/order.h"

enum check_status { CHECK_OK = 0, CHECK_WARNING = 1, CHECK_CRITICAL = 2, CHECK_UNKNOWN = 3 };

struct check_thresholds {
    double warn_s, crit_s; /* seconds before expiry */
    bool errors;           /* count orders in error */
    bool pending;          /* count orders awaiting the operator that expire within crit_s */
};

/* The line (without newline, allocated in *line) and its status, which is
 * the plugin's exit status. */
enum check_status check_report(const struct order *const *orders, size_t n,
                               const struct check_thresholds *t, time_t now, char **line);

/* "ACMETOP UNKNOWN - <sentence>", allocated: Vault could not be listed, or
 * the run was cut. */
char *check_report_unknown(const char *sentence);

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *check_status_name(enum check_status s);

#endif
