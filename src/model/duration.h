/* duration: a length of time as an operator types it in a flag, a variable
 * or the config file: "250ms", "5s", "2m", "1h", "30d", "1.5" (a bare number is
 * seconds, as for VAULT_CLIENT_TIMEOUT).  Pure: no I/O, no state. */
#ifndef ACMETOP_MODEL_DURATION_H
#define ACMETOP_MODEL_DURATION_H

/* Parse text (leading white space allowed, nothing after the unit).
 * Returns 0 and *seconds (>= 0, finite), or -1 and *seconds untouched. */
int duration_parse(const char *text, double *seconds);

#endif
