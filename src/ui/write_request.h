/* write_request: what the write forms of the resource views (delete a role,
 * rotate an account key, test a DNS provider) share: the one write they
 * will send (method, path under the mount, JSON body), the sentence that
 * shows it before it is sent, sending it once (CMD_WRITE: the engine never
 * retries it) and knowing its answer (UPD_WRITE). A body may hold a secret:
 * it is wiped when replaced or freed. */
#ifndef ACMETOP_UI_WRITE_REQUEST_H
#define ACMETOP_UI_WRITE_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct console_state;
struct msg;

struct write_request {
    char *method, *path, *body; /* body NULL: none */
    uint64_t pending;           /* the CMD_WRITE under way, 0 = none */
};

void write_request_set(struct write_request *w, const char *method, const char *path,
                       const char *body);
void write_request_free(struct write_request *w);
/* "DELETE pki-external-ca/role/web {"force":true}" into buf. */
const char *write_request_summary(const struct write_request *w, const char *mount, char *buf,
                                  size_t size);
void write_request_send(struct console_state *c, struct write_request *w);
/* Is m the answer to w's write? (It is then no longer pending.) */
bool write_request_answered(struct write_request *w, const struct msg *m);

#endif
