/* preflight_jobs: the engine's pre-flight checks (started by
 * net/deploy_service on CMD_PREFLIGHT), each on a thread of its own, so
 * the worker never waits for a host that does not answer (a check takes up
 * to its timeout, 5 s by default).  A job gets
 * copies of everything it needs (options, identifier, token, key
 * authorization); its result leaves as one UPD_PREFLIGHT message (request_id
 * as given) pushed on the update queue, which wakes the UI.
 *
 * Shutdown: preflight_jobs_stop() stops accepting results, waits for the
 * checks under way (each ends within its timeout; the wait is capped) and
 * frees what it can; a check still running past the cap finishes on its own,
 * pushes nothing, and frees the shared state when it is the last one. */
#ifndef ACMETOP_NET_PREFLIGHT_JOBS_H
#define ACMETOP_NET_PREFLIGHT_JOBS_H

#include <stdint.h>

#include "model/queue.h"
#include "net/preflight.h"

struct preflight_jobs;

/* updates: where results go (must outlive preflight_jobs_stop()). */
struct preflight_jobs *preflight_jobs_new(struct queue *updates);

/* Start a check (challenge_type http-01, dns-01 or tls-alpn-01; token only
 * matters for http-01).  Returns 0, or -1 when no thread could be started
 * (then a UPD_PREFLIGHT "unreachable" saying so is pushed at once). */
int preflight_jobs_start(struct preflight_jobs *j, const struct preflight_options *o,
                         uint64_t request_id, const char *order_id, const char *identifier,
                         const char *challenge_type, const char *token,
                         const char *key_authorization);

/* See the top of the file.  j may be NULL. */
void preflight_jobs_stop(struct preflight_jobs *j);

#endif
