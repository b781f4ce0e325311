/* strv: owned arrays of owned strings, (char **items, size_t count) pairs.
 * Used wherever an answer carries a list of names (identifiers, keys,
 * policies, CA chain, denied paths). A NULL array with count 0 is a valid
 * empty list. */
#ifndef ACMETOP_STRV_H
#define ACMETOP_STRV_H

#include <stddef.h>

/* Deep copy of n strings (NULL entries are copied as ""). Returns NULL if
 * n == 0 and v == NULL; otherwise a new array (never NULL when v != NULL). */
char **strv_copy(const char *const *v, size_t n);

/* Free n strings and the array. v may be NULL. */
void strv_free(char **v, size_t n);

/* Append a copy of s to *v (count *n), growing the array. */
void strv_push(char ***v, size_t *n, const char *s);

/* Join with sep into a new string ("" for an empty list). */
char *strv_join(const char *const *v, size_t n, const char *sep);

#endif
