/* responder: what the console knows of the engine's two responders
 * (HTTP-01, TLS-ALPN-01), for the strip and the challenges pane: whether
 * each runs, the address it is bound to, the challenges they serve (http-01
 * tokens, tls-alpn-01 identifiers; for which order), the last requests the
 * HTTP-01 one answered, the last handshakes of the TLS-ALPN-01 one, and how
 * many idle connections each dropped without an answer. The responders run
 * in the engine (net/deploy_service); this state follows its UPD_RESPONDER
 * answers, its UPD_RESPONDER_HIT and UPD_HANDSHAKE reports and its
 * UPD_RESPONDER_DROPPED totals. Pure data, no I/O. */
#ifndef ACMETOP_UI_RESPONDER_H
#define ACMETOP_UI_RESPONDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/msg.h"

#define RESPONDER_HITS_KEPT 32

struct responder_hit {
    time_t at;
    char *remote, *method, *path, *token;
    char *identifier; /* whose token it was when answered; NULL: unknown */
    int status;
    size_t bytes;
};

struct responder_handshake {
    time_t at;
    char *remote, *sni, *outcome, *detail;
    bool served;
};

struct responder_state {
    bool running;                    /* the HTTP-01 responder */
    char *address;                   /* as bound ("127.0.0.1:5002") */
    struct msg_served_token *served; /* both responders', as the engine said (model/msg.h) */
    size_t served_count;
    struct responder_hit hits[RESPONDER_HITS_KEPT]; /* a ring, newest at hit_next - 1 */
    size_t hit_count, hit_next;
    unsigned long total_hits;
    unsigned long dropped; /* connections closed without an answer, this run */
    /* the TLS-ALPN-01 responder */
    bool tls_running;
    char *tls_address;
    struct responder_handshake handshakes[RESPONDER_HITS_KEPT]; /* a ring, like hits */
    size_t hs_count, hs_next;
    unsigned long tls_total;
    unsigned long tls_dropped;
};

void responder_init(struct responder_state *r);
void responder_free(struct responder_state *r);

/* Either responder runs (u stops both). */
bool responder_running(const struct responder_state *r);

/* An UPD_RESPONDER: the engine's state replaces ours (a start clears the
 * hits of an earlier run). m stays the caller's. */
void responder_apply(struct responder_state *r, const struct msg *m);

/* Record a UPD_RESPONDER_HIT (m stays the caller's). */
void responder_note_hit(struct responder_state *r, const struct msg *m, time_t now);

/* Record a UPD_HANDSHAKE (m stays the caller's). */
void responder_note_handshake(struct responder_state *r, const struct msg *m, time_t now);

/* The i-th most recent handshake (0 = newest), or NULL. */
const struct responder_handshake *responder_handshake_at(const struct responder_state *r,
                                                         size_t i);

/* Whether the TLS-ALPN-01 responder serves identifier (case-insensitive). */
bool responder_serves_tlsalpn01(const struct responder_state *r, const char *identifier);

/* How many served entries are of challenge_type. */
size_t responder_served_of(const struct responder_state *r, const char *challenge_type);

/* Take the dropped total of a UPD_RESPONDER_DROPPED (m stays the caller's). */
void responder_note_dropped(struct responder_state *r, const struct msg *m);

/* The i-th most recent hit (0 = newest), or NULL. */
const struct responder_hit *responder_hit_at(const struct responder_state *r, size_t i);

/* The identifier a served http-01 token belongs to, or NULL. */
const char *responder_identifier_of(const struct responder_state *r, const char *token);

/* Whether a token of this order is served. */
bool responder_serves_order(const struct responder_state *r, const char *order_id);

/* Stop showing the tokens of this order (the console asked the engine to
 * forget them; its answer confirms). */
void responder_drop_order(struct responder_state *r, const char *order_id);

/* How many different orders the served entries of challenge_type belong to. */
size_t responder_order_count(const struct responder_state *r, const char *challenge_type);

#endif
