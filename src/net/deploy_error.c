/* deploy_error: filling the caller-owned error of the deploy modules. */
#include "net/deploy_error.h"

#include <stdarg.h>
#include <stdio.h>

void deploy_error_set(struct deploy_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

void deploy_error_clear(struct deploy_error *err)
{
    if (!err)
        return;
    err->code = 0;
    err->message[0] = '\0';
}

bool deploy_error_is_set(const struct deploy_error *err)
{
    return err && err->message[0] != '\0';
}
