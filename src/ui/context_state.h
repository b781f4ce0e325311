/* context_state: the console's side of contexts: UPD_CONTEXT taken in (a
 * new context empties the list, whose orders the engine then seeds from its
 * cache and reads again), the header and detail shown the context's
 * address, namespace and mount, and the last state seen of every context
 * for `:ctx`. */
#ifndef ACMETOP_UI_CONTEXT_STATE_H
#define ACMETOP_UI_CONTEXT_STATE_H

#include <stdbool.h>
#include <time.h>

#include "model/msg.h"

struct console_state;

/* The last connection state seen in one context. */
struct context_seen {
    char *name;
    enum conn_state state;
    time_t at;
};

/* UPD_CONTEXT (m keeps its contents). Returns how many places the old
 * context had when this is another one (its orders must go), else 0. */
size_t context_state_apply(struct console_state *c, const struct msg *m);

/* The namespaces of :ns (c->ns) forgotten. */
void console_state_ns_free(struct console_state *c);

/* UPD_CONNECTION seen: remembered for the context in use. */
void context_state_note_connection(struct console_state *c, enum conn_state state, time_t now);

/* The state last seen of context name, or NULL. */
const struct context_seen *context_state_seen(const struct console_state *c, const char *name);

/* The namespace (or mount) the console watches, "*" when its places differ
 * in it: what the header says. */
const char *context_state_watched(const struct console_state *c, bool mount);

/* The NAMESPACE or MOUNT of an order's place ("" when one place only). */
const char *context_state_namespace(const struct console_state *c, unsigned place);
const char *context_state_mount(const struct console_state *c, unsigned place);

void context_state_free(struct console_state *c);

#endif
