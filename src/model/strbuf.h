/* strbuf: a string that grows as printf-style pieces are added (the
 * monitoring line of --check, the commands Y copies). Zero-initialise it;
 * s is NULL until the first piece; the caller frees s. */
#ifndef ACMETOP_MODEL_STRBUF_H
#define ACMETOP_MODEL_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *s;
    size_t len, cap;
};

void strbuf_addf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
