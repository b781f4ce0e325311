/* backoff: how long the worker waits before trying Vault again after a
 * failed cycle — exponential from the poll interval, capped, with jitter so
 * that many consoles do not hammer a recovering Vault in step, and never
 * shorter than the server's Retry-After. */
#ifndef ACMETOP_NET_BACKOFF_H
#define ACMETOP_NET_BACKOFF_H

#define BACKOFF_CAP_S 60.0

/* Delay in seconds after `failures` (>= 1) consecutive failed cycles.
 * base: the poll interval; retry_after: the server's Retry-After (0 = none;
 * cut to RETRY_AFTER_MAX_S, so the result is at most that or the cap);
 * seed: state for rand_r (jitter of +-20 %). */
double backoff_delay(double base, int failures, double retry_after, unsigned *seed);

#endif
