/* once_read: one discovery cycle merged into an order store (see
 * once_read.h). */
#include "once_read.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/clock.h"
#include "model/xalloc.h"
#include "net/discovery.h"
#include "net/order_cache.h"
#include "net/place.h"
#include "net/place_plan.h"
#include "net/vault_client.h"

/* ---- the deadline ---------------------------------------------------- */

/* A thread that sleeps until the deadline, or until the run ends first, and
 * then raises `passed`: the Vault client's cancel flag, so every transfer in
 * flight fails within about a second and no new one starts. */
struct once_deadline {
    long ms;
    atomic_bool passed;
    bool done;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool started;
};

static void *deadline_main(void *arg)
{
    struct once_deadline *dl = arg;
    struct timespec at;
    clock_gettime(CLOCK_MONOTONIC, &at);
    at.tv_sec += dl->ms / 1000;
    at.tv_nsec += (dl->ms % 1000) * 1000000L;
    if (at.tv_nsec >= 1000000000L) {
        at.tv_sec++;
        at.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&dl->lock);
    int rc = 0;
    while (!dl->done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&dl->wake, &dl->lock, &at);
    if (!dl->done)
        atomic_store(&dl->passed, true);
    pthread_mutex_unlock(&dl->lock);
    return NULL;
}

static void deadline_start(struct once_deadline *dl, long ms)
{
    dl->ms = ms;
    atomic_init(&dl->passed, false);
    dl->done = false;
    pthread_mutex_init(&dl->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&dl->wake, &attr);
    pthread_condattr_destroy(&attr);
    dl->started = ms > 0 && pthread_create(&dl->thread, NULL, deadline_main, dl) == 0;
}

/* The run is over: no later deadline can cut it. True when it passed. */
static bool deadline_stop(struct once_deadline *dl)
{
    if (dl->started) {
        pthread_mutex_lock(&dl->lock);
        dl->done = true;
        pthread_cond_signal(&dl->wake);
        pthread_mutex_unlock(&dl->lock);
        pthread_join(dl->thread, NULL);
    }
    pthread_cond_destroy(&dl->wake);
    pthread_mutex_destroy(&dl->lock);
    return atomic_load(&dl->passed);
}

/* "2m", "90s", "2.5s": a duration as --deadline takes it. */
static void deadline_text(long ms, char *buf, size_t size)
{
    if (ms % 60000 == 0)
        snprintf(buf, size, "%ldm", ms / 60000);
    else if (ms % 1000 == 0)
        snprintf(buf, size, "%lds", ms / 1000);
    else
        snprintf(buf, size, "%gs", (double)ms / 1000.0);
}

/* ---- the sink ------------------------------------------------------------ */

struct once_sink {
    struct once_read *r;
    const atomic_bool *deadline_passed;
};

static void once_apply(void *ctx, struct msg *m)
{
    struct once_sink *sink = ctx;
    struct once_read *s = sink->r;
    if (m->type == UPD_ORDER_FAILED && atomic_load(sink->deadline_passed)) {
        msg_free(m); /* cut by the deadline, not failed: left out, not stale */
        return;
    }
    switch (m->type) {
    case UPD_ORDERS:
        order_store_apply_batch_move(s->store, m->u.orders.items, m->u.orders.count,
                                     m->u.orders.complete_list, m->u.orders.place);
        break;
    case UPD_ORDER_DETAIL:
        order_store_apply_move(s->store, &m->u.order_detail.order);
        break;
    case UPD_ORDER_FAILED:
        if (!order_store_find(s->store, m->u.order_failed.order_id)) {
            struct order o;
            order_init(&o);
            o.id = m->u.order_failed.order_id;
            order_store_apply(s->store, &o);
        }
        order_store_mark_stale(s->store, m->u.order_failed.order_id, true);
        s->stale++;
        break;
    case UPD_DNS_PROVIDERS:
        dns_providers_free(s->dns, s->dns_count);
        s->dns_known = m->u.dns_providers.known;
        s->dns = m->u.dns_providers.items; /* taken */
        s->dns_count = m->u.dns_providers.count;
        m->u.dns_providers.items = NULL;
        m->u.dns_providers.count = 0;
        break;
    case UPD_CONNECTION:
        s->conn_state = (int)m->u.connection.state;
        free(s->conn_text);
        s->conn_text = xstrdup(m->u.connection.text);
        break;
    default:
        break;
    }
    msg_free(m);
}

/* ---- the run ------------------------------------------------------------ */

/* Every message of a place's discovery goes to the sink. */
static void place_apply(void *ctx, struct msg *m)
{
    struct place *p = ctx;
    once_apply(p->owner, m);
}

/* One place: its cache seeded, one cycle, what the cache did not vouch for
 * read. 0, or -1 with verr set. */
static int read_place(struct place *p, struct once_read *r, const atomic_bool *passed,
                      FILE *err, struct vault_error *verr)
{
    const char *warning = place_cache_start(p, 0);
    if (warning)
        fprintf(err, "acmetop: warning: %s\n", warning);
    int rc = discovery_cycle(p->discovery, clock_wall(clock_system()), verr);
    if (rc == 0 && !atomic_load(passed))
        discovery_read_unverified(p->discovery, clock_wall(clock_system())); /* current */
    if (rc == 0)
        r->known += discovery_order_count(p->discovery);
    return rc;
}

int once_read_run(const struct vault_config *cfg, struct once_read *r, FILE *err)
{
    memset(r, 0, sizeof *r);
    r->store = order_store_new();
    r->conn_state = -1;
    struct once_deadline deadline;
    deadline_start(&deadline, cfg->once_deadline_ms);
    char note[1200];
    size_t n = place_plan(cfg, &deadline.passed, &r->places, note, sizeof note);
    r->place_count = n;
    r->fan_out = place_plan_fans_out(cfg);
    if (note[0] && n) /* with no place at all, the note is the failure */
        fprintf(err, "acmetop: warning: %s\n", note);
    struct once_sink sink = {.r = r, .deadline_passed = &deadline.passed};
    int status = n ? 0 : 1;
    size_t listed = 0;
    struct vault_error verr;
    for (size_t i = 0; i < n && !atomic_load(&deadline.passed); i++) {
        struct place *p = place_open(cfg, &r->places[i], (unsigned)i, (unsigned)n, place_apply,
                                     &sink, &deadline.passed, &verr);
        int rc = p ? read_place(p, r, &deadline.passed, err, &verr) : -1;
        if (rc == 0) {
            listed++;
        } else if (n > 1 && verr.http_status == 403) {
            r->places[i].denied = true; /* a place of `*` the token may not read */
        } else if (!r->failure) {
            r->failure = xstrdup(vault_error_sentence(&verr));
        }
        if (p && rc == 0) /* only a whole run makes the cache current as of now */
            place_cache_save(p, true, !atomic_load(&deadline.passed), 0);
        place_close(p);
    }
    r->partial = deadline_stop(&deadline);
    if (!n) {
        r->failure = xstrdup(note);
    } else if (r->failure && (listed == 0 || n == 1) && !r->partial) {
        status = 1;
    } else if (r->failure) { /* some places were read: said, not fatal */
        if (!r->partial)
            fprintf(err, "acmetop: warning: %s\n", r->failure);
        free(r->failure);
        r->failure = NULL;
    }
    return status;
}

void once_read_free(struct once_read *r)
{
    context_places_free(r->places, r->place_count);
    order_store_free(r->store);
    free(r->conn_text);
    free(r->failure);
    dns_providers_free(r->dns, r->dns_count);
    memset(r, 0, sizeof *r);
}

const struct order **once_read_orders(struct once_read *r, size_t *n)
{
    order_store_set_sort(r->store, ORDER_SORT_URGENCY, false);
    order_store_set_now(r->store, clock_wall(clock_system()));
    size_t all = order_store_view_count(r->store);
    const struct order **v = xcalloc(all ? all : 1, sizeof *v);
    *n = 0;
    for (size_t i = 0; i < all; i++) {
        const struct order *o = order_store_view_at(r->store, i);
        if (!r->partial || o->stale || (o->detail_known && !o->unverified))
            v[(*n)++] = o;
    }
    return v;
}

const struct context_place *once_read_place(const struct once_read *r, const struct order *o)
{
    return &r->places[o->place < r->place_count ? o->place : 0];
}

void once_read_warn(const struct once_read *r, const struct vault_config *cfg, size_t printed,
                    FILE *err)
{
    if (r->conn_state == CONN_DEGRADED && r->conn_text)
        fprintf(err, "acmetop: warning: %s\n", r->conn_text);
    if (r->stale)
        fprintf(err, "acmetop: warning: %zu order(s) could not be read in full; shown as stale\n",
                r->stale);
    if (r->partial) {
        char limit[32];
        deadline_text(cfg->once_deadline_ms, limit, sizeof limit);
        if (r->known)
            fprintf(err, "acmetop: --deadline %s reached after %zu of %zu orders: the list is "
                         "partial\n", limit, printed, r->known > printed ? r->known : printed);
        else
            fprintf(err, "acmetop: --deadline %s reached before Vault listed the orders: the "
                         "list is empty\n", limit);
    }
}
