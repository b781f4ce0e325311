/* once: one discovery cycle, merged into an order store, printed (see
 * once.h). The same discovery code as the console's worker, run on the
 * main thread with a sink that applies each message at once. */
#include "once.h"

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

struct once_sink {
    struct order_store *store;
    size_t stale;
    int conn_state;
    char *conn_text;
};

static void once_apply(void *ctx, struct msg *m)
{
    struct once_sink *s = ctx;
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

static void print_table(struct order_store *store, FILE *out)
{
    size_t n = order_store_view_count(store);
    char **cells = xcalloc((n + 1) * COL_COUNT, sizeof(*cells));
    size_t width[COL_COUNT];
    for (int c = 0; c < COL_COUNT; c++) {
        cells[c] = xstrdup(col_titles[c]);
        width[c] = text_width(col_titles[c]);
    }
    for (size_t i = 0; i < n; i++) {
        char **row = cells + (i + 1) * COL_COUNT;
        fill_row(row, order_store_view_at(store, i));
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
static void print_json(struct order_store *store, const char *mount, FILE *out)
{
    time_t now = clock_wall(clock_system());
    size_t n = order_store_view_count(store);
    fputs(n ? "[\n" : "[]\n", out);
    for (size_t i = 0; i < n; i++) {
        cJSON *obj = order_json_object(order_store_view_at(store, i), mount, now);
        char *text = cJSON_Print(obj);
        fputs(text, out);
        fputs(i + 1 < n ? ",\n" : "\n]\n", out);
        cJSON_free(text);
        cJSON_Delete(obj);
    }
}

int once_run(const struct vault_config *cfg, bool json, FILE *out, FILE *err)
{
    struct vault_error verr;
    struct vault_client *client = vault_client_new(cfg, &verr);
    if (!client) {
        fprintf(err, "acmetop: %s\n", vault_error_sentence(&verr));
        return 1;
    }
    struct once_sink sink = {.store = order_store_new(), .conn_state = -1};
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
    if (discovery_cycle(d, clock_wall(clock_system()), &verr) != 0) {
        fprintf(err, "acmetop: %s\n", vault_error_sentence(&verr));
        status = 1;
    } else {
        discovery_read_unverified(d, clock_wall(clock_system())); /* the output is current */
        if (cache && order_cache_save(cache) == 0)
            order_cache_mark_current(cache);
        if (sink.conn_state == CONN_DEGRADED && sink.conn_text)
            fprintf(err, "acmetop: warning: %s\n", sink.conn_text);
        if (sink.stale)
            fprintf(err, "acmetop: warning: %zu order(s) could not be read in full; shown as stale\n",
                    sink.stale);
        order_store_set_sort(sink.store, ORDER_SORT_URGENCY, false);
        if (json)
            print_json(sink.store, cfg->mount, out);
        else
            print_table(sink.store, out);
        if (fflush(out) != 0) {
            fprintf(err, "acmetop: cannot write the output\n");
            status = 1;
        }
    }
    discovery_free(d);
    order_cache_free(cache);
    vault_client_free(client);
    order_store_free(sink.store);
    free(sink.conn_text);
    return status;
}
