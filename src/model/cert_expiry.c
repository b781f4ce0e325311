/* cert_expiry: ok / warning / critical / expired by the thresholds (see
 * cert_expiry.h). */
#include "model/cert_expiry.h"

enum cert_expiry_class cert_expiry_class(time_t not_after, time_t now, double warn_s,
                                         double crit_s)
{
    if (not_after == 0)
        return CERT_EXPIRY_UNKNOWN;
    double left = (double)not_after - (double)now;
    if (left <= 0)
        return CERT_EXPIRY_EXPIRED;
    if (left <= crit_s)
        return CERT_EXPIRY_CRIT;
    if (left <= warn_s)
        return CERT_EXPIRY_WARN;
    return CERT_EXPIRY_OK;
}

const char *cert_expiry_class_name(enum cert_expiry_class c)
{
    switch (c) {
    case CERT_EXPIRY_OK: return "ok";
    case CERT_EXPIRY_WARN: return "warning";
    case CERT_EXPIRY_CRIT: return "critical";
    case CERT_EXPIRY_EXPIRED: return "expired";
    case CERT_EXPIRY_UNKNOWN: break;
    }
    return "unknown";
}

double cert_expiry_days(time_t not_after, time_t now)
{
    return ((double)not_after - (double)now) / 86400.0;
}
