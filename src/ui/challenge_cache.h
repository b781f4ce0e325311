/* challenge_cache: the challenge details (token, key authorization) the
 * console has asked the worker for, per order, identifier and challenge
 * type, with the state of each fetch (under way, ready, failed). A key
 * authorization does not change for the life of a challenge, so an entry is
 * fetched once and kept (at most CHALLENGE_CACHE_MAX entries, oldest out).
 * Each entry also keeps the outcome of the last pre-flight check run on it
 * (`p`, or the check before `f`), for the challenges pane. */
#ifndef ACMETOP_UI_CHALLENGE_CACHE_H
#define ACMETOP_UI_CHALLENGE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "model/challenge_detail.h"
#include "model/msg.h"

#define CHALLENGE_CACHE_MAX 256

enum challenge_fetch { CHALLENGE_FETCHING, CHALLENGE_READY, CHALLENGE_FAILED };
enum challenge_check { CHECK_NONE, CHECK_RUNNING, CHECK_DONE };

struct challenge_entry {
    char *order_id, *identifier, *type;
    enum challenge_fetch state;
    uint64_t request_id;          /* of the last CMD_FETCH_CHALLENGE for it */
    struct challenge_detail detail; /* CHALLENGE_READY */
    char *error;                  /* CHALLENGE_FAILED: why, sanitised */
    enum challenge_check check_state; /* the last pre-flight check */
    uint64_t check_id;            /* its request_id */
    enum msg_check check;         /* CHECK_DONE: the outcome */
    char *check_text;             /* CHECK_DONE: one line saying it */
};

struct challenge_cache {
    struct challenge_entry *items;
    size_t count;
};

void challenge_cache_init(struct challenge_cache *c);
void challenge_cache_free(struct challenge_cache *c);

struct challenge_entry *challenge_cache_find(struct challenge_cache *c, const char *order_id,
                                             const char *identifier, const char *type);
struct challenge_entry *challenge_cache_by_request(struct challenge_cache *c,
                                                   uint64_t request_id);

/* The entry for this challenge, (re)set to CHALLENGE_FETCHING under
 * request_id (created if new; the oldest entry goes when full). */
struct challenge_entry *challenge_cache_start(struct challenge_cache *c, const char *order_id,
                                              const char *identifier, const char *type,
                                              uint64_t request_id);

/* Fetch finished: e becomes READY with a copy of d, or FAILED with why. */
void challenge_cache_ready(struct challenge_entry *e, const struct challenge_detail *d);
void challenge_cache_failed(struct challenge_entry *e, const char *why);

/* A pre-flight check of e started under request_id. */
void challenge_cache_check_start(struct challenge_entry *e, uint64_t request_id);
/* The check with this request_id ended (ignored when no entry waits for it,
 * or a newer check replaced it). Returns the entry, or NULL. */
struct challenge_entry *challenge_cache_check_done(struct challenge_cache *c,
                                                   uint64_t request_id, enum msg_check result,
                                                   const char *text);

/* Drop the entries of an order (it vanished). */
void challenge_cache_forget_order(struct challenge_cache *c, const char *order_id);

#endif
