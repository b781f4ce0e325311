/* challenge_cache: the challenge details (token, key authorization) the
 * console has asked the worker for, per order, identifier and challenge
 * type, with the state of each fetch (under way, ready, failed). A key
 * authorization does not change for the life of a challenge, so an entry is
 * fetched once and kept (at most CHALLENGE_CACHE_MAX entries, oldest out). */
#ifndef ACMETOP_UI_CHALLENGE_CACHE_H
#define ACMETOP_UI_CHALLENGE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "model/challenge_detail.h"

#define CHALLENGE_CACHE_MAX 256

enum challenge_fetch { CHALLENGE_FETCHING, CHALLENGE_READY, CHALLENGE_FAILED };

struct challenge_entry {
    char *order_id, *identifier, *type;
    enum challenge_fetch state;
    uint64_t request_id;          /* of the last CMD_FETCH_CHALLENGE for it */
    struct challenge_detail detail; /* CHALLENGE_READY */
    char *error;                  /* CHALLENGE_FAILED: why, sanitised */
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

/* Drop the entries of an order (it vanished). */
void challenge_cache_forget_order(struct challenge_cache *c, const char *order_id);

#endif
