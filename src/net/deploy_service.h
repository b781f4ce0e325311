/* deploy_service: the engine's service that deploys and checks challenges
 * for the operator, beside the worker: the HTTP-01 responder
 * (net/http01_responder.h) with the table of tokens it serves (for which
 * order and identifier) and the count of requests it answered, and the
 * pre-flight checks (net/preflight_jobs.h).  The worker hands it four
 * commands; each is answered by exactly one update with its request_id:
 *   CMD_PREFLIGHT       -> UPD_PREFLIGHT, later, from the check's own thread
 *                          (options: cfg->checks)
 *   CMD_SERVE_HTTP01    -> UPD_RESPONDER (starts the responder on
 *                          cfg->http01_listen first if it is not running)
 *   CMD_STOP_RESPONDER  -> UPD_RESPONDER (stopped, every token forgotten)
 *   CMD_FORGET_HTTP01   -> UPD_RESPONDER (the order's tokens served no more)
 * None of them blocks: a check runs on a thread of its own, starting and
 * stopping the responder take milliseconds.  Every request the responder
 * answers becomes an unsolicited UPD_RESPONDER_HIT; the connections it
 * drops without an answer (idle, evicted: see net/http01_responder.h) an
 * unsolicited UPD_RESPONDER_DROPPED with the running total, at most once a
 * second.
 *
 * Threads and ownership: new, handle and free are called from one thread
 * (the worker's).  The responder's thread only counts its answers (an
 * atomic) and pushes UPD_RESPONDER_HIT and UPD_RESPONDER_DROPPED; check
 * threads only push UPD_PREFLIGHT.  Key authorizations stay in the engine: copied into the
 * responder (wiped when it stops) and into the check jobs; the updates
 * carry tokens, never key authorizations. */
#ifndef ACMETOP_NET_DEPLOY_SERVICE_H
#define ACMETOP_NET_DEPLOY_SERVICE_H

#include <stdbool.h>

#include "model/msg.h"
#include "model/queue.h"
#include "net/deploy_config.h"

struct deploy_service;

/* cfg and updates stay the caller's and must outlive the service. */
struct deploy_service *deploy_service_new(const struct deploy_config *cfg,
                                          struct queue *updates);

/* Carry out cmd (it stays the caller's) if it is one of the four commands
 * above and answer it; false (nothing done) for any other message. */
bool deploy_service_handle(struct deploy_service *s, const struct msg *cmd);

/* Stop the responder (its thread joined, key authorizations wiped), wait
 * for the checks under way as preflight_jobs_stop() does, free s.  NULL is
 * fine. */
void deploy_service_free(struct deploy_service *s);

#endif
