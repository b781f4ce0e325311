/* deploy_service: the engine's service that deploys and checks challenges
 * for the operator, beside the worker: the two responders, HTTP-01
 * (net/http01_responder.h) and TLS-ALPN-01 (net/tlsalpn01_responder.h),
 * with the table of what they serve (http-01 tokens, tls-alpn-01
 * identifiers; for which order) and the count of requests answered and
 * handshakes seen, and the pre-flight checks (net/preflight_jobs.h).  The
 * worker hands it four commands; each is answered by exactly one update
 * with its request_id:
 *   CMD_PREFLIGHT       -> UPD_PREFLIGHT, later, from the check's own thread
 *                          (options: cfg->checks)
 *   CMD_SERVE           -> UPD_RESPONDER (http-01: starts the HTTP-01
 *                          responder on cfg->http01_listen first if it is not
 *                          running; tls-alpn-01: the TLS-ALPN-01 one on
 *                          cfg->tlsalpn01_listen, after refusing a wildcard or
 *                          a name that is not a DNS name before starting it;
 *                          one certificate per identifier, the latest wins)
 *   CMD_STOP_RESPONDER  -> UPD_RESPONDER (both stopped, everything forgotten,
 *                          every challenge key freed)
 *   CMD_FORGET_ORDER    -> UPD_RESPONDER (the order's challenges served no
 *                          more, its challenge keys freed)
 * None of them blocks: a check runs on a thread of its own, starting and
 * stopping a responder take milliseconds.  Every request the HTTP-01
 * responder answers becomes an unsolicited UPD_RESPONDER_HIT, every
 * handshake of the TLS-ALPN-01 one an unsolicited UPD_HANDSHAKE; the
 * connections either drops without an answer (idle, evicted) an
 * unsolicited UPD_RESPONDER_DROPPED with its running total (tlsalpn01 says
 * which), at most once a second.
 *
 * Threads and ownership: new, handle and free are called from one thread
 * (the worker's).  The responders' threads only count (atomics) and push
 * UPD_RESPONDER_HIT, UPD_HANDSHAKE and UPD_RESPONDER_DROPPED; check threads
 * only push UPD_PREFLIGHT.  Key authorizations and challenge keys stay in
 * the engine: copied into the responders (wiped when they stop or the order
 * is forgotten) and into the check jobs; the updates carry tokens and
 * identifiers, never key authorizations or keys. */
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

/* Stop both responders (threads joined, key authorizations and keys wiped), wait
 * for the checks under way as preflight_jobs_stop() does, free s.  NULL is
 * fine. */
void deploy_service_free(struct deploy_service *s);

#endif
