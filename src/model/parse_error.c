/* parse_error: filling the caller-owned error of the parsers. */
#include "model/parse_error.h"

#include <stdarg.h>
#include <stdio.h>

void parse_error_set(struct parse_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

void parse_error_clear(struct parse_error *err)
{
    if (err) {
        err->message[0] = '\0';
        err->refused = 0;
    }
}
