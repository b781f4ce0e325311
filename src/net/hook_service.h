/* hook_service: the on_change hook's own thread.  The worker hands it one
 * job per status change (the environment already built, model/hook_env.h)
 * and goes on; the thread runs the jobs one after the other through
 * hook_runner (bounded by hook_timeout) and posts each outcome to the
 * update queue as a notice for the message line:
 *   on_change 3f95ab12 awaiting-challenge-fulfillment → completed: exit 0: deployed
 * At most HOOK_SERVICE_QUEUE_MAX jobs wait; past that a change is dropped
 * with a notice that says so. */
#ifndef ACMETOP_NET_HOOK_SERVICE_H
#define ACMETOP_NET_HOOK_SERVICE_H

#include <stddef.h>

#include "model/queue.h"

#define HOOK_SERVICE_QUEUE_MAX 1000

struct hook_service;

/* command and updates stay the caller's and must outlive the service.
 * NULL when the thread cannot be started. */
struct hook_service *hook_service_start(const char *command, long timeout_ms,
                                        struct queue *updates);

/* Queue a run: env (NULL-terminated, n entries) is taken; what says which
 * change it is ("3f95ab12 awaiting-challenge-fulfillment → completed"). */
void hook_service_submit(struct hook_service *s, char **env, size_t n, const char *what);

/* The running hook finishes (its timeout bounds the wait), the waiting
 * ones are dropped; then the thread ends and s is freed.  NULL is fine. */
void hook_service_stop(struct hook_service *s);

#endif
