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

int once_read_run(const struct vault_config *cfg, struct once_read *r, FILE *err)
{
    memset(r, 0, sizeof *r);
    r->store = order_store_new();
    r->conn_state = -1;
    struct once_deadline deadline;
    deadline_start(&deadline, cfg->once_deadline_ms);
    struct vault_error verr;
    struct vault_client *client = vault_client_new(cfg, &verr);
    if (!client) {
        deadline_stop(&deadline);
        r->failure = xstrdup(vault_error_sentence(&verr));
        return 1;
    }
    vault_client_set_cancel(client, &deadline.passed);
    struct once_sink sink = {.r = r, .deadline_passed = &deadline.passed};
    struct discovery *d = discovery_new(client, cfg, once_apply, &sink);
    struct order_cache *cache = NULL;
    if (cfg->cache) {
        /* the orders of the last run: only what changed since is read */
        cache = order_cache_open(NULL, cfg->addr, cfg->namespace_, cfg->mount, NULL);
        struct order *orders;
        size_t n;
        order_cache_load(cache, &orders, &n);
        if (order_cache_warning(cache))
            fprintf(err, "acmetop: warning: %s\n", order_cache_warning(cache));
        discovery_set_cache(d, cache);
        discovery_seed(d, orders, n, order_cache_current_at(cache));
    }
    int status = 0;
    int rc = discovery_cycle(d, clock_wall(clock_system()), &verr);
    if (rc == 0 && !atomic_load(&deadline.passed))
        discovery_read_unverified(d, clock_wall(clock_system())); /* the output is current */
    r->partial = deadline_stop(&deadline);
    if (rc != 0 && !r->partial) {
        r->failure = xstrdup(vault_error_sentence(&verr));
        status = 1;
    } else {
        /* what was read is saved either way; only a whole run makes the
           cache current as of now */
        if (cache && order_cache_save(cache) == 0 && !r->partial)
            order_cache_mark_current(cache);
        r->known = discovery_order_count(d);
    }
    discovery_free(d);
    order_cache_free(cache);
    vault_client_free(client);
    return status;
}

void once_read_free(struct once_read *r)
{
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
