/* header: the two rows at the top. Row 1: where acmetop looks (Vault
 * address, namespace, mount), who it is (the token's display name and
 * remaining TTL; never the token itself), the connection state and the age
 * of the last refresh. Row 2: how many orders per status, and the view
 * (sort, filters, how many are shown). */
#ifndef ACMETOP_UI_HEADER_H
#define ACMETOP_UI_HEADER_H

#include <time.h>

#include "ui/console_state.h"
#include "ui/layout.h"
#include "ui/tick.h"

void header_draw(struct console_state *c, const struct rect *r, time_t now, struct tick *tick);

#endif
