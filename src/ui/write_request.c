/* write_request: one confirmed write and its answer (see write_request.h). */
#include "ui/write_request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "model/msg.h"
#include "model/xalloc.h"
#include "ui/console_state.h"

static void wipe_body(struct write_request *w)
{
    if (w->body)
        OPENSSL_cleanse(w->body, strlen(w->body));
    free(w->body);
    w->body = NULL;
}

void write_request_set(struct write_request *w, const char *method, const char *path,
                       const char *body)
{
    free(w->method);
    free(w->path);
    wipe_body(w);
    w->method = xstrdup(method);
    w->path = xstrdup(path);
    w->body = body ? xstrdup(body) : NULL;
}

void write_request_free(struct write_request *w)
{
    free(w->method);
    free(w->path);
    wipe_body(w);
    memset(w, 0, sizeof *w);
}

const char *write_request_summary(const struct write_request *w, const char *mount, char *buf,
                                  size_t size)
{
    snprintf(buf, size, "%s %s/%s%s%s", w->method ? w->method : "?", mount,
             w->path ? w->path : "", w->body ? " " : "", w->body ? w->body : "");
    return buf;
}

void write_request_send(struct console_state *c, struct write_request *w)
{
    w->pending = console_state_next_request(c);
    console_state_send(c, msg_new_write(w->pending, w->method, w->path, w->body));
}

bool write_request_answered(struct write_request *w, const struct msg *m)
{
    if (m->type != UPD_WRITE || !w->pending || m->request_id != w->pending)
        return false;
    w->pending = 0;
    return true;
}
