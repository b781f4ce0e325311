/* order: lifetime of struct order (init, clear, deep copy, move) and small
 * read-only helpers. Parsing lives in order_parse.c, merging in order_store.c. */
#include "model/order.h"

#include <stdlib.h>
#include <string.h>

#include "model/challenge_word.h"
#include "model/strv.h"
#include "model/text_width.h"
#include "model/xalloc.h"

void order_init(struct order *o)
{
    memset(o, 0, sizeof *o);
    o->status = ORDER_STATUS_UNKNOWN;
}

static void challenges_free(struct order_identifier_challenges *c, size_t n)
{
    if (!c)
        return;
    for (size_t i = 0; i < n; i++) {
        free(c[i].identifier);
        for (size_t j = 0; j < c[i].count; j++) {
            challenge_word_free(c[i].items[j].type);
            challenge_word_free(c[i].items[j].status);
        }
        free(c[i].items);
    }
    free(c);
}

void order_clear(struct order *o)
{
    if (!o)
        return;
    free(o->id);
    free(o->status_text);
    free(o->role);
    strv_free(o->identifiers, o->identifier_count);
    free(o->csr);
    free(o->last_error);
    free(o->serial);
    challenges_free(o->challenges, o->challenge_count);
    order_init(o);
}

void order_free(struct order *o)
{
    order_clear(o);
}

void order_copy(struct order *dst, const struct order *src)
{
    *dst = *src; /* scalars; every pointer is replaced below */
    dst->id = xstrdup(src->id);
    dst->status_text = xstrdup(src->status_text);
    dst->role = xstrdup(src->role);
    dst->identifiers = strv_copy((const char *const *)src->identifiers,
                                 src->identifier_count);
    dst->csr = xstrdup(src->csr);
    dst->last_error = xstrdup(src->last_error);
    dst->serial = xstrdup(src->serial);
    dst->challenges = NULL;
    if (src->challenges) {
        size_t n = src->challenge_count;
        dst->challenges = xcalloc(n ? n : 1, sizeof *dst->challenges);
        for (size_t i = 0; i < n; i++) {
            const struct order_identifier_challenges *s = &src->challenges[i];
            struct order_identifier_challenges *d = &dst->challenges[i];
            d->identifier = xstrdup(s->identifier);
            d->count = s->count;
            d->items = xcalloc(s->count ? s->count : 1, sizeof *d->items);
            for (size_t j = 0; j < s->count; j++) {
                d->items[j].type = challenge_word_copy(s->items[j].type);
                d->items[j].status = challenge_word_copy(s->items[j].status);
                d->items[j].expires = s->items[j].expires;
            }
        }
    }
}

void order_move(struct order *dst, struct order *src)
{
    if (dst == src)
        return;
    order_clear(dst);
    *dst = *src;
    order_init(src);
}

const struct order_identifier_challenges *
order_find_challenges(const struct order *o, const char *identifier)
{
    if (!o || !identifier)
        return NULL;
    for (size_t i = 0; i < o->challenge_count; i++)
        if (o->challenges[i].identifier &&
            strcmp(o->challenges[i].identifier, identifier) == 0)
            return &o->challenges[i];
    return NULL;
}

const char *order_status_display(const struct order *o)
{
    if (o->status != ORDER_STATUS_UNKNOWN)
        return order_status_name(o->status);
    if (o->status_text && o->status_text[0])
        return o->status_text;
    return order_status_name(ORDER_STATUS_UNKNOWN);
}

int order_short_id_len(const char *id)
{
    return id ? (int)text_fit_bytes(id, ORDER_SHORT_ID_COLS) : 0;
}
