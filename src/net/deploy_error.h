/* deploy_error: the caller-owned error of the deploy / verify / collect
 * modules (http01_responder, cert_files, deploy_config): one sentence a
 * person can act on ("binding 0.0.0.0:80 needs root or
 * CAP_NET_BIND_SERVICE (...)", "/srv/certs/a.test.key exists: ..."),
 * ready for the status bar or stderr. Never holds a secret. */
#ifndef ACMETOP_NET_DEPLOY_ERROR_H
#define ACMETOP_NET_DEPLOY_ERROR_H

#include <stdbool.h>

struct deploy_error {
    int code;          /* errno of the failing call, 0 if none / not a system error */
    char message[768]; /* "" when no error; always NUL-terminated */
};

/* Set code and message (printf-style, truncated to fit). err may be NULL. */
void deploy_error_set(struct deploy_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void deploy_error_clear(struct deploy_error *err); /* err may be NULL */

bool deploy_error_is_set(const struct deploy_error *err);

#endif
