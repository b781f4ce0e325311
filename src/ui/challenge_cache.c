/* challenge_cache: fetched challenge details (see challenge_cache.h). */
#include "ui/challenge_cache.h"

#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"

void challenge_cache_init(struct challenge_cache *c)
{
    c->items = NULL;
    c->count = 0;
}

static void entry_free(struct challenge_entry *e)
{
    free(e->order_id);
    free(e->identifier);
    free(e->type);
    free(e->error);
    free(e->check_text);
    challenge_detail_free(&e->detail);
}

void challenge_cache_free(struct challenge_cache *c)
{
    for (size_t i = 0; i < c->count; i++)
        entry_free(&c->items[i]);
    free(c->items);
    challenge_cache_init(c);
}

struct challenge_entry *challenge_cache_find(struct challenge_cache *c, const char *order_id,
                                             const char *identifier, const char *type)
{
    if (!order_id || !identifier || !type)
        return NULL;
    for (size_t i = 0; i < c->count; i++) {
        struct challenge_entry *e = &c->items[i];
        if (strcmp(e->order_id, order_id) == 0 && strcmp(e->identifier, identifier) == 0 &&
            strcmp(e->type, type) == 0)
            return e;
    }
    return NULL;
}

struct challenge_entry *challenge_cache_by_request(struct challenge_cache *c,
                                                   uint64_t request_id)
{
    for (size_t i = 0; i < c->count && request_id; i++)
        if (c->items[i].request_id == request_id)
            return &c->items[i];
    return NULL;
}

static void remove_at(struct challenge_cache *c, size_t i)
{
    entry_free(&c->items[i]);
    memmove(&c->items[i], &c->items[i + 1], (c->count - i - 1) * sizeof(c->items[0]));
    c->count--;
}

struct challenge_entry *challenge_cache_start(struct challenge_cache *c, const char *order_id,
                                              const char *identifier, const char *type,
                                              uint64_t request_id)
{
    struct challenge_entry *e = challenge_cache_find(c, order_id, identifier, type);
    if (!e) {
        if (c->count == CHALLENGE_CACHE_MAX)
            remove_at(c, 0);
        if (!c->items)
            c->items = xcalloc(CHALLENGE_CACHE_MAX, sizeof(c->items[0]));
        e = &c->items[c->count++];
        memset(e, 0, sizeof *e);
        e->order_id = xstrdup(order_id);
        e->identifier = xstrdup(identifier);
        e->type = xstrdup(type);
        challenge_detail_init(&e->detail);
    }
    e->state = CHALLENGE_FETCHING;
    e->request_id = request_id;
    free(e->error);
    e->error = NULL;
    return e;
}

void challenge_cache_ready(struct challenge_entry *e, const struct challenge_detail *d)
{
    challenge_detail_free(&e->detail);
    challenge_detail_copy(&e->detail, d);
    e->state = CHALLENGE_READY;
    free(e->error);
    e->error = NULL;
}

void challenge_cache_failed(struct challenge_entry *e, const char *why)
{
    e->state = CHALLENGE_FAILED;
    free(e->error);
    e->error = xstrdup(why ? why : "the challenge could not be fetched");
}

void challenge_cache_check_start(struct challenge_entry *e, uint64_t request_id)
{
    e->check_state = CHECK_RUNNING;
    e->check_id = request_id;
}

struct challenge_entry *challenge_cache_check_done(struct challenge_cache *c,
                                                   uint64_t request_id, enum msg_check result,
                                                   const char *text)
{
    for (size_t i = 0; i < c->count && request_id; i++) {
        struct challenge_entry *e = &c->items[i];
        if (e->check_id != request_id)
            continue;
        e->check_state = CHECK_DONE;
        e->check = result;
        free(e->check_text);
        e->check_text = xstrdup(text ? text : "");
        return e;
    }
    return NULL;
}

void challenge_cache_forget_order(struct challenge_cache *c, const char *order_id)
{
    for (size_t i = c->count; i-- > 0;)
        if (strcmp(c->items[i].order_id, order_id) == 0)
            remove_at(c, i);
}
