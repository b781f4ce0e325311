/* search_text: what the order list's text filter searches, per order,
 * folded to lower case (ASCII) and laid end to end in one arena:
 * "id\nrole\nidentifier\nidentifier...". A filter keystroke at 100,000
 * orders then reads a few megabytes front to back instead of following four
 * pointers per order into cold memory (which made it ~10x slower). Entries
 * are addressed by the order store's array index; a changed text is
 * appended and the old one left as garbage, compacted away once garbage
 * outweighs the live text. Owned by order_store.c. */
#ifndef ACMETOP_SEARCH_TEXT_H
#define ACMETOP_SEARCH_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "model/order.h"

struct search_text {
    char *arena;
    size_t used, cap, garbage;
    size_t *off;   /* per index: where its text starts */
    size_t *len;   /* per index: its length, without the '\n' after it */
    size_t slots;  /* entries allocated in off and len */
};

void search_text_init(struct search_text *t);
void search_text_free(struct search_text *t);

/* Room for indices [0, n). */
void search_text_reserve(struct search_text *t, size_t n);

/* Index idx holds order o now (new, or its ID, role or identifiers may have
 * changed); count: how many indices are in use (for compaction). */
void search_text_set(struct search_text *t, size_t idx, const struct order *o, size_t count);

/* Index idx's text is gone (its order was removed). */
void search_text_drop(struct search_text *t, size_t idx);

/* Index from's text now belongs to index to (from is no longer used). */
void search_text_move(struct search_text *t, size_t from, size_t to);

/* Does idx's text contain needle (already folded, nlen > 0, no '\n')? */
bool search_text_has(const struct search_text *t, size_t idx, const char *needle, size_t nlen);

/* The folding the texts went through: ASCII upper case to lower case. */
static inline unsigned char search_text_fold(unsigned char c)
{
    return (unsigned char)(c - 'A') < 26u ? (unsigned char)(c | 0x20) : c;
}

#endif
