/* cert_expiry: how close a certificate is to its expiry, in the classes the
 * header's meters, the list's colours and `acmetop --check` share: more than
 * expiry_warn left, within expiry_warn, within expiry_crit, expired.  Pure
 * arithmetic on times: no I/O. */
#ifndef ACMETOP_MODEL_CERT_EXPIRY_H
#define ACMETOP_MODEL_CERT_EXPIRY_H

#include <time.h>

enum cert_expiry_class {
    CERT_EXPIRY_UNKNOWN, /* not_after unknown (0) */
    CERT_EXPIRY_OK,      /* more than warn_s left */
    CERT_EXPIRY_WARN,    /* crit_s < left <= warn_s */
    CERT_EXPIRY_CRIT,    /* 0 < left <= crit_s */
    CERT_EXPIRY_EXPIRED, /* not_after <= now */
};

/* The class of a certificate valid until not_after, at now, with the
 * thresholds warn_s and crit_s (seconds before expiry; a crit_s above
 * warn_s wins: the certificate is critical from crit_s on). */
enum cert_expiry_class cert_expiry_class(time_t not_after, time_t now, double warn_s,
                                         double crit_s);

/* "ok", "warning", "critical", "expired", "unknown". Static string. */
const char *cert_expiry_class_name(enum cert_expiry_class c);

/* Days from now until not_after as a fraction (negative once expired), for
 * perfdata and sorting: 12.5 for twelve and a half days. */
double cert_expiry_days(time_t not_after, time_t now);

#endif
