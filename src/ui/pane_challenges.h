/* pane_challenges: the challenges of the selected order, per identifier:
 * each challenge type with its status and expiry, and for the one under the
 * cursor what to deploy: the token and key authorization (fetched from
 * Vault through the worker), the http-01 URL, path and body, the dns-01
 * record name and TXT value, the tls-alpn-01 requirements. */
#ifndef ACMETOP_UI_PANE_CHALLENGES_H
#define ACMETOP_UI_PANE_CHALLENGES_H

#include <stdbool.h>
#include <time.h>

#include "ui/console_state.h"
#include "ui/layout.h"
#include "ui/textbuf.h"
#include "ui/tick.h"

/* The content at a width (pure; tick may be NULL). Challenge rows carry
 * their index as tag. */
void pane_challenges_build(struct textbuf *tb, struct console_state *c, size_t width,
                           time_t now, struct tick *tick);

void pane_challenges_draw(struct console_state *c, const struct rect *r, bool focused,
                          bool tabs, time_t now, struct tick *tick);

/* The challenge index on screen row y of pane r, or -1. */
long pane_challenges_hit(struct console_state *c, const struct rect *r, int y, time_t now);

#endif
