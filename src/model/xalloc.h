/* xalloc: the one allocation family of acmetop.
 * Running out of memory is not a condition the console can recover from, so
 * every allocation goes through here and aborts with a message on failure;
 * callers never check for NULL. */
#ifndef ACMETOP_XALLOC_H
#define ACMETOP_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);            /* xstrdup(NULL) returns NULL */
char *xstrndup(const char *s, size_t n); /* at most n bytes, always terminated */

#endif
