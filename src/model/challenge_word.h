/* challenge_word: the few words a challenge's type and status take
 * ("http-01", "dns-01", "tls-alpn-01"; "pending", "processing", "valid",
 * "invalid"), held once for every order instead of once per challenge: at
 * 100,000 orders of a few identifiers each, the copies were a third of the
 * memory of an order. A struct challenge's type and status either own their
 * text or point at one of these shared words; order_clear and order_copy
 * tell them apart with challenge_word_is_shared(). Any other text (a new
 * challenge type, hostile input) stays an owned copy. */
#ifndef ACMETOP_MODEL_CHALLENGE_WORD_H
#define ACMETOP_MODEL_CHALLENGE_WORD_H

#include <stdbool.h>

/* If *text (owned, may be NULL) is one of the words, free it and point it
 * at the shared word. */
void challenge_word_share(char **text);

/* Is p one of the shared words (not to be freed)? */
bool challenge_word_is_shared(const char *p);

/* Free an owned text; leave a shared word alone. */
void challenge_word_free(char *p);

/* A copy the caller may free with challenge_word_free (the shared word
 * itself, or an owned duplicate). */
char *challenge_word_copy(const char *p);

#endif
