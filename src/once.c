/* once: one discovery cycle, merged into an order store, printed (see
 * once.h). The same discovery code as the console's worker, run on the
 * main thread with a sink that applies each message at once, under a
 * deadline watched by a thread of its own. */
#include "once.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "model/clock.h"
#include "model/order_json.h"
#include "model/order_store.h"
#include "model/rfc3339.h"
#include "model/text_width.h"
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
    struct order_store *store;
    size_t stale;
    int conn_state;
    char *conn_text;
    const atomic_bool *deadline_passed;
    bool dns_known;              /* Vault's DNS providers could be read */
    struct dns_provider *dns;    /* dns_count of them */
    size_t dns_count;
};

static void once_apply(void *ctx, struct msg *m)
{
    struct once_sink *s = ctx;
    if (m->type == UPD_ORDER_FAILED && atomic_load(s->deadline_passed)) {
        msg_free(m); /* cut by the deadline, not failed: left out, not stale */
        return;
    }
    switch (m->type) {
    case UPD_ORDERS:
        order_store_apply_batch_move(s->store, m->u.orders.items, m->u.orders.count,
                                     m->u.orders.complete_list);
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

/* ---- table ------------------------------------------------------------- */

enum { COL_STATUS, COL_ID, COL_ROLE, COL_IDENTIFIERS, COL_CREATED, COL_EXPIRES, COL_CERT,
       COL_ERROR, COL_COUNT };
static const char *const col_titles[COL_COUNT] = {
    "STATUS", "ORDER ID", "ROLE", "IDENTIFIERS", "CREATED", "ORDER EXPIRES", "CERT EXPIRES",
    "LAST ERROR"};
#define COL_MAX_WIDTH 48   /* role and identifiers are cut beyond this */
#define ERROR_MAX_WIDTH 100

static char *cell_identifiers(const struct order *o)
{
    if (o->identifier_count == 0)
        return xstrdup("-");
    char buf[1200];
    if (o->identifier_count == 1)
        snprintf(buf, sizeof(buf), "%s", o->identifiers[0]);
    else
        snprintf(buf, sizeof(buf), "%s +%zu", o->identifiers[0], o->identifier_count - 1);
    return xstrdup(buf);
}

static char *cell_time(time_t t)
{
    char buf[RFC3339_BUF];
    return xstrdup(rfc3339_format(t, buf, sizeof(buf)));
}

static char *cell_fit(char *s, size_t cols)
{
    if (text_width(s) <= cols)
        return s;
    size_t n = text_fit_bytes(s, cols - 1);
    memcpy(s + n, "~", 2); /* the cut is visible */
    return s;
}

static void fill_row(char **row, const struct order *o)
{
    char status[160];
    snprintf(status, sizeof(status), "%s%s", order_status_display(o), o->stale ? " (stale)" : "");
    row[COL_STATUS] = xstrdup(status);
    row[COL_ID] = xstrdup(o->id);
    row[COL_ROLE] = cell_fit(xstrdup(o->role && *o->role ? o->role : "-"), COL_MAX_WIDTH);
    row[COL_IDENTIFIERS] = cell_fit(cell_identifiers(o), COL_MAX_WIDTH);
    row[COL_CREATED] = cell_time(o->created);
    row[COL_EXPIRES] = cell_time(order_status_is_terminal(o->status) ? 0 : o->expires);
    row[COL_CERT] = cell_time(o->cert_not_after);
    row[COL_ERROR] = cell_fit(xstrdup(o->last_error && *o->last_error ? o->last_error : "-"),
                              ERROR_MAX_WIDTH);
}

static void print_cell(FILE *out, const char *s, size_t width, bool last)
{
    fputs(s, out);
    if (last) {
        fputc('\n', out);
        return;
    }
    for (size_t w = text_width(s); w < width + 2; w++)
        fputc(' ', out);
}

/* The orders to print, most urgent first: every one, or when the deadline
 * cut the run, those read in full in this run (not summaries from the
 * recent list, not the earlier run's cache) and those whose read failed
 * before it (stale, as in a whole run). */
static const struct order **orders_to_print(struct order_store *store, bool partial, size_t *n)
{
    size_t all = order_store_view_count(store);
    const struct order **v = xcalloc(all ? all : 1, sizeof *v);
    *n = 0;
    for (size_t i = 0; i < all; i++) {
        const struct order *o = order_store_view_at(store, i);
        if (!partial || o->stale || (o->detail_known && !o->unverified))
            v[(*n)++] = o;
    }
    return v;
}

static void print_table(const struct order **orders, size_t n, FILE *out)
{
    char **cells = xcalloc((n + 1) * COL_COUNT, sizeof(*cells));
    size_t width[COL_COUNT];
    for (int c = 0; c < COL_COUNT; c++) {
        cells[c] = xstrdup(col_titles[c]);
        width[c] = text_width(col_titles[c]);
    }
    for (size_t i = 0; i < n; i++) {
        char **row = cells + (i + 1) * COL_COUNT;
        fill_row(row, orders[i]);
        for (int c = 0; c < COL_COUNT; c++) {
            size_t w = text_width(row[c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    for (size_t i = 0; i <= n; i++)
        for (int c = 0; c < COL_COUNT; c++)
            print_cell(out, cells[i * COL_COUNT + c], width[c], c == COL_COUNT - 1);
    for (size_t i = 0; i < (n + 1) * COL_COUNT; i++)
        free(cells[i]);
    free(cells);
}

/* One object at a time: 20,000 orders never sit in memory as one JSON tree. */
static void print_json(const struct order **orders, size_t n, const char *mount,
                       const struct order_json_providers *providers, FILE *out)
{
    time_t now = clock_wall(clock_system());
    fputs(n ? "[\n" : "[]\n", out);
    for (size_t i = 0; i < n; i++) {
        cJSON *obj = order_json_object_with_providers(orders[i], mount, now, providers);
        char *text = cJSON_Print(obj);
        fputs(text, out);
        fputs(i + 1 < n ? ",\n" : "\n]\n", out);
        cJSON_free(text);
        cJSON_Delete(obj);
    }
}

/* The output, and the warnings before it. 0, or 1 when it cannot be written. */
static int print_orders(struct once_sink *sink, const struct vault_config *cfg, bool json,
                        bool partial, size_t known, FILE *out, FILE *err)
{
    if (sink->conn_state == CONN_DEGRADED && sink->conn_text)
        fprintf(err, "acmetop: warning: %s\n", sink->conn_text);
    if (sink->stale)
        fprintf(err, "acmetop: warning: %zu order(s) could not be read in full; shown as stale\n",
                sink->stale);
    order_store_set_sort(sink->store, ORDER_SORT_URGENCY, false);
    order_store_set_now(sink->store, clock_wall(clock_system()));
    size_t n;
    const struct order **orders = orders_to_print(sink->store, partial, &n);
    if (partial) {
        char limit[32];
        deadline_text(cfg->once_deadline_ms, limit, sizeof limit);
        if (known)
            fprintf(err, "acmetop: --deadline %s reached after %zu of %zu orders: the list is "
                         "partial\n", limit, n, known > n ? known : n);
        else
            fprintf(err, "acmetop: --deadline %s reached before Vault listed the orders: the "
                         "list is empty\n", limit);
    }
    struct order_json_providers providers = {sink->dns_known, sink->dns, sink->dns_count};
    if (json)
        print_json(orders, n, cfg->mount, &providers, out);
    else
        print_table(orders, n, out);
    free(orders);
    if (fflush(out) != 0) {
        fprintf(err, "acmetop: cannot write the output\n");
        return 1;
    }
    return 0;
}

int once_run(const struct vault_config *cfg, bool json, FILE *out, FILE *err)
{
    struct once_deadline deadline;
    deadline_start(&deadline, cfg->once_deadline_ms);
    struct vault_error verr;
    struct vault_client *client = vault_client_new(cfg, &verr);
    if (!client) {
        deadline_stop(&deadline);
        fprintf(err, "acmetop: %s\n", vault_error_sentence(&verr));
        return 1;
    }
    vault_client_set_cancel(client, &deadline.passed);
    struct once_sink sink = {.store = order_store_new(), .conn_state = -1,
                             .deadline_passed = &deadline.passed};
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
    bool partial = deadline_stop(&deadline);
    if (rc != 0 && !partial) {
        fprintf(err, "acmetop: %s\n", vault_error_sentence(&verr));
        status = 1;
    } else {
        /* what was read is saved either way; only a whole run makes the
           cache current as of now */
        if (cache && order_cache_save(cache) == 0 && !partial)
            order_cache_mark_current(cache);
        status = print_orders(&sink, cfg, json, partial, discovery_order_count(d), out, err);
        if (partial && status == 0)
            status = ONCE_PARTIAL;
    }
    discovery_free(d);
    order_cache_free(cache);
    vault_client_free(client);
    order_store_free(sink.store);
    free(sink.conn_text);
    dns_providers_free(sink.dns, sink.dns_count);
    return status;
}
