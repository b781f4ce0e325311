/* renewals: the renew index rebuilt when it must be, and the hidden
 * superseded orders (see renewals.h). */
#include "ui/renewals.h"

#include <stdlib.h>

#include "model/renew_index.h"
#include "model/xalloc.h"
#include "ui/console_state.h"
#include "ui/tick.h"

/* Between two builds that the orders' changes ask for: 200 times what the
 * last build took (it then costs the console at most 0.5 % of a core while
 * orders keep changing), from 1 s to 15 s (100,000 orders). */
#define REBUILD_GAP_FACTOR 200
#define REBUILD_GAP_MIN_MS 1000
#define REBUILD_GAP_MAX_MS 15000
#define TIME_REBUILD_EVERY_S 60

static bool is_superseded(const char *id, void *ctx)
{
    return renew_index_superseded(ctx, id);
}

static const struct renew_at default_at = {.fraction = true, .value = 2.0 / 3.0};

static bool rebuild(struct console_state *c, time_t now)
{
    const struct console_config *cfg = c->cfg;
    long long t0 = clock_mono_ms(c->clock);
    size_t n = order_store_count(c->store);
    const struct order **all = xcalloc(n ? n : 1, sizeof *all);
    for (size_t i = 0; i < n; i++)
        all[i] = order_store_at(c->store, i);
    bool changed = renew_index_build(c->renewals.index, all, n,
                                     cfg && cfg->renew_at ? cfg->renew_at : &default_at,
                                     cfg ? cfg->expiry_warn_s : 30 * 86400.0,
                                     cfg ? cfg->expiry_crit_s : 7 * 86400.0, now);
    free(all);
    /* a window that opens or closes moves a count of the header: at most
       once a minute (with many certificates one does every few seconds) */
    time_t next = renew_index_next_change(c->renewals.index);
    c->renewals.next_change = next && next < now + TIME_REBUILD_EVERY_S
                                  ? now + TIME_REBUILD_EVERY_S : next;
    long long t1 = clock_mono_ms(c->clock);
    long long gap = (t1 - t0) * REBUILD_GAP_FACTOR;
    c->renewals.gap_ms = gap < REBUILD_GAP_MIN_MS   ? REBUILD_GAP_MIN_MS
                         : gap > REBUILD_GAP_MAX_MS ? REBUILD_GAP_MAX_MS
                                                    : gap;
    c->renewals.built_ms = t1;
    return changed;
}

void renewals_refresh(struct console_state *c, time_t now, struct tick *tick)
{
    struct renewals *r = &c->renewals;
    bool changed = r->generation != order_store_renew_generation(c->store);
    bool due = changed || (r->next_change && now >= r->next_change);
    long long since = clock_mono_ms(c->clock) - r->built_ms;
    if (changed && r->built_ms && since < r->gap_ms) {
        if (tick) /* the orders keep coming: the counts follow a little later */
            tick_note_at(tick, now + (time_t)((r->gap_ms - since + 999) / 1000));
        return;
    }
    if (due && rebuild(c, now) && r->hide_superseded) {
        order_store_set_hidden(c->store, is_superseded, r->index);
        console_state_sync(c);
    }
    r->generation = order_store_renew_generation(c->store);
    if (tick && r->next_change)
        tick_note_at(tick, r->next_change);
}

void renewals_set_hide(struct console_state *c, bool hide)
{
    struct renewals *r = &c->renewals;
    r->hide_superseded = hide;
    rebuild(c, console_state_now(c));
    order_store_set_hidden(c->store, hide ? is_superseded : NULL, r->index);
    r->generation = order_store_renew_generation(c->store);
    console_state_sync(c);
    c->dirty = true;
}
