/* search_text: the filter's folded texts in one arena (see search_text.h). */
#include "model/search_text.h"

#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"

#define COMPACT_MIN (64 * 1024) /* bytes of garbage worth a compaction */

void search_text_init(struct search_text *t)
{
    memset(t, 0, sizeof *t);
}

void search_text_free(struct search_text *t)
{
    free(t->arena);
    free(t->off);
    free(t->len);
    memset(t, 0, sizeof *t);
}

void search_text_reserve(struct search_text *t, size_t n)
{
    if (n <= t->slots)
        return;
    t->off = xrealloc(t->off, n * sizeof *t->off);
    t->len = xrealloc(t->len, n * sizeof *t->len);
    memset(t->len + t->slots, 0, (n - t->slots) * sizeof *t->len);
    memset(t->off + t->slots, 0, (n - t->slots) * sizeof *t->off);
    t->slots = n;
}

static void room(struct search_text *t, size_t more)
{
    if (t->used + more <= t->cap)
        return;
    while (t->used + more > t->cap)
        t->cap = t->cap ? t->cap * 2 : 4096;
    t->arena = xrealloc(t->arena, t->cap);
}

static void append_folded(struct search_text *t, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    room(t, n + 1);
    for (size_t i = 0; i < n; i++)
        t->arena[t->used + i] = (char)search_text_fold((unsigned char)s[i]);
    t->used += n;
}

/* The texts of indices [0, count) again, in index order, without garbage. */
static void compact(struct search_text *t, size_t count)
{
    size_t live = 0;
    for (size_t i = 0; i < count; i++)
        live += t->len[i] + 1;
    char *fresh = xmalloc(live ? live : 1);
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
        memcpy(fresh + at, t->arena + t->off[i], t->len[i] + 1);
        t->off[i] = at;
        at += t->len[i] + 1;
    }
    free(t->arena);
    t->arena = fresh;
    t->used = at;
    t->cap = live ? live : 1;
    t->garbage = 0;
}

void search_text_set(struct search_text *t, size_t idx, const struct order *o, size_t count)
{
    size_t start = t->used;
    append_folded(t, o->id);
    t->arena[t->used++] = '\n';
    append_folded(t, o->role);
    for (size_t i = 0; i < o->identifier_count; i++) {
        t->arena[t->used++] = '\n';
        append_folded(t, o->identifiers[i]);
    }
    room(t, 1);
    t->arena[t->used] = '\n'; /* after every text: compaction copies it along */
    size_t len = t->used - start;
    t->used++;
    bool had = t->len[idx] != 0; /* every text has at least the ID and a '\n' */
    if (had && t->len[idx] == len && memcmp(t->arena + t->off[idx], t->arena + start, len) == 0) {
        t->used = start; /* the same text: keep the old one */
        return;
    }
    if (had)
        t->garbage += t->len[idx] + 1;
    t->off[idx] = start;
    t->len[idx] = len;
    if (t->garbage > COMPACT_MIN && t->garbage > t->used / 2)
        compact(t, count);
}

void search_text_drop(struct search_text *t, size_t idx)
{
    t->garbage += t->len[idx] + 1;
    t->len[idx] = 0;
    t->off[idx] = 0;
}

void search_text_move(struct search_text *t, size_t from, size_t to)
{
    t->off[to] = t->off[from];
    t->len[to] = t->len[from];
    t->len[from] = 0;
    t->off[from] = 0;
}

bool search_text_has(const struct search_text *t, size_t idx, const char *needle, size_t nlen)
{
    size_t len = t->len[idx];
    if (len < nlen)
        return false;
    const char *h = t->arena + t->off[idx], *end = h + len - nlen + 1;
    while (h < end) {
        const char *p = memchr(h, needle[0], (size_t)(end - h));
        if (!p)
            return false;
        if (memcmp(p + 1, needle + 1, nlen - 1) == 0)
            return true;
        h = p + 1;
    }
    return false;
}
