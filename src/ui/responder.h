/* responder: the console's HTTP-01 responder (net/http01_responder.h) and
 * what the console shows about it: the address it listens on, the tokens it
 * serves (for which order and identifier), and the last requests it
 * answered.  The responder answers on its own thread; each answer there
 * becomes a UPD_RESPONDER_HIT message on the console's update queue (the
 * callback only copies and pushes: it never touches curses or this state),
 * and the UI thread records it here (responder_note_hit).  Also the
 * challenge fetches whose answers are to be served once they arrive (`w`
 * on a challenge not fetched yet). */
#ifndef ACMETOP_UI_RESPONDER_H
#define ACMETOP_UI_RESPONDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/msg.h"
#include "model/queue.h"

#define RESPONDER_HITS_KEPT 32
#define RESPONDER_ERROR_MAX 1200

struct http01_responder;

struct responder_served {
    char *order_id, *identifier, *token;
};

struct responder_hit {
    time_t at;
    char *remote, *method, *path, *token;
    char *identifier; /* whose token it was when answered; NULL: unknown */
    int status;
    size_t bytes;
};

struct responder_state {
    struct http01_responder *server; /* NULL: not running */
    char *address;                   /* as bound ("127.0.0.1:5002") */
    struct responder_served *served;
    size_t served_count;
    struct responder_hit hits[RESPONDER_HITS_KEPT]; /* a ring, newest at hit_next - 1 */
    size_t hit_count, hit_next;
    unsigned long total_hits;
    uint64_t *pending;               /* CMD_FETCH_CHALLENGE ids to serve when ready */
    size_t pending_count;
};

void responder_init(struct responder_state *r);
/* Stops the server (if running) and frees everything. */
void responder_free(struct responder_state *r);

bool responder_running(const struct responder_state *r);

/* Start listening on listen ("0.0.0.0:80", "127.0.0.1:0") with hits going
 * to updates.  Already running: nothing happens, 0.  -1 with why (the
 * engine's sentence: "binding 0.0.0.0:80 needs root or
 * CAP_NET_BIND_SERVICE ...") when it cannot. */
int responder_start(struct responder_state *r, const char *listen, struct queue *updates,
                    char why[RESPONDER_ERROR_MAX]);

/* Serve key_authorization for token (an order's identifier).  Returns 1
 * when newly served, 0 when it already was, -1 with why. */
int responder_serve(struct responder_state *r, const char *order_id, const char *identifier,
                    const char *token, const char *key_authorization,
                    char why[RESPONDER_ERROR_MAX]);

/* Stop serving (the tokens and the pending fetches are forgotten; the hits
 * stay on screen until the next start). */
void responder_stop(struct responder_state *r);

/* Stop serving the tokens of this order (it finished: the CA will not
 * fetch them again). */
void responder_forget_order(struct responder_state *r, const char *order_id);

/* Record a UPD_RESPONDER_HIT (m stays the caller's). */
void responder_note_hit(struct responder_state *r, const struct msg *m, time_t now);

/* The i-th most recent hit (0 = newest), or NULL. */
const struct responder_hit *responder_hit_at(const struct responder_state *r, size_t i);

/* The identifier a served token belongs to, or NULL. */
const char *responder_identifier_of(const struct responder_state *r, const char *token);

/* How many different orders the served tokens belong to. */
size_t responder_order_count(const struct responder_state *r);

/* Pending fetches: remember one; take one (true if it was pending). */
void responder_pending_add(struct responder_state *r, uint64_t request_id);
bool responder_pending_take(struct responder_state *r, uint64_t request_id);

#endif
