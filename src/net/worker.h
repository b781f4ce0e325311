/* worker: the engine's thread, the one that talks to Vault. It sleeps on
 * its command queue with a timeout equal to the next scheduled poll, runs
 * discovery cycles (discovery.h) at the pace the request budget allows,
 * reads the order on the operator's screen once the cursor rests on it
 * (CMD_FOCUS_ORDER: one request, no listing), carries out the operator's
 * commands one Vault call each, hands the responder and pre-flight commands
 * to the deploy service it owns (deploy_service.h), and posts every result
 * to the update queue: the UI never waits on the network. Each command except
 * CMD_FOCUS_ORDER is answered by one message carrying its request_id
 * (UPD_CHALLENGE_DETAIL, UPD_CERT, UPD_CERT_SAVE, UPD_ROLES, UPD_PREFLIGHT,
 * UPD_RESPONDER or UPD_ACTION_RESULT); a failed write is reported, never
 * retried. Private keys never leave the engine: UPD_CERT comes without its
 * key (had_private_key says there was one), CMD_SAVE_CERT writes it to a
 * file (mode 0600) and wipes it. */
#ifndef ACMETOP_NET_WORKER_H
#define ACMETOP_NET_WORKER_H

#include "model/queue.h"
#include "net/vault_config.h"
#include "net/vault_error.h"

struct worker;

/* Starts the thread. cfg and both queues stay the caller's and must outlive
 * the worker. NULL with err set when the Vault client cannot be built. */
struct worker *worker_start(const struct vault_config *cfg, struct queue *commands,
                            struct queue *updates, struct vault_error *err);

/* worker_start, able to switch contexts (CMD_SWITCH_CONTEXT): the config
 * is loaded again from flags and envp (both the caller's, outliving the
 * worker) with the context asked for. The worker watches the places of a
 * context (net/place.h): one, or every namespace and mount `namespace = *`
 * and `mount = a, b` / `*` ask for, within one idle budget; it posts
 * UPD_CONTEXT at start and after every switch, and refuses every write in
 * a read-only context (the console refuses first). */
struct worker *worker_start_switchable(const struct vault_config *cfg,
                                       const struct vault_config_flags *flags,
                                       const char *const *envp, struct queue *commands,
                                       struct queue *updates, struct vault_error *err);

/* Asks the thread to stop (CMD_QUIT), cancels the Vault requests in flight
 * (so a silent Vault does not hold up the exit for --timeout), waits for the
 * thread, stops the responder, waits for the pre-flight checks under way
 * (deploy_service_free) and frees the worker. */
void worker_stop(struct worker *w);

#endif
