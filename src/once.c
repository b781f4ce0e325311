/* once: the orders of one discovery (once_read.c), printed as a table or
 * JSON (see once.h). */
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
#include "once_read.h"

/* ---- table ------------------------------------------------------------- */

enum { COL_STATUS, COL_ID, COL_NAMESPACE, COL_MOUNT, COL_ROLE, COL_IDENTIFIERS, COL_CREATED, COL_EXPIRES, COL_CERT,
       COL_RENEW, COL_ERROR, COL_COUNT };
static const char *const col_titles[COL_COUNT] = {
    "STATUS", "ORDER ID", "NAMESPACE", "MOUNT", "ROLE", "IDENTIFIERS", "CREATED", "ORDER EXPIRES", "CERT EXPIRES",
    "RENEW", "LAST ERROR"};
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

/* "in 12d", "due", "overdue 3d", "expired 2d" for a certificate, else "-" */
static char *cell_renew(const struct order *o, const struct once_renew *r)
{
    char buf[RENEW_WINDOW_TEXT_BUF] = "-";
    if (o->status == ORDER_COMPLETED) {
        struct renew_window w =
            renew_window_of(o->cert_not_before, o->cert_not_after, r->at, r->crit_s, r->now);
        renew_window_text(&w, r->now, buf, sizeof buf);
    }
    return xstrdup(buf);
}

static void fill_row(char **row, const struct order *o, const struct once_renew *r,
                     const struct context_place *where)
{
    row[COL_NAMESPACE] = xstrdup(*where->namespace_ ? where->namespace_ : "(root)");
    row[COL_MOUNT] = xstrdup(where->mount);
    char status[160];
    snprintf(status, sizeof(status), "%s%s", order_status_display(o), o->stale ? " (stale)" : "");
    row[COL_STATUS] = xstrdup(status);
    row[COL_ID] = xstrdup(o->id);
    row[COL_ROLE] = cell_fit(xstrdup(o->role && *o->role ? o->role : "-"), COL_MAX_WIDTH);
    row[COL_IDENTIFIERS] = cell_fit(cell_identifiers(o), COL_MAX_WIDTH);
    row[COL_CREATED] = cell_time(o->created);
    row[COL_EXPIRES] = cell_time(order_status_is_terminal(o->status) ? 0 : o->expires);
    row[COL_CERT] = cell_time(o->cert_not_after);
    row[COL_RENEW] = cell_renew(o, r);
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

/* NAMESPACE and MOUNT only when the orders come from several places. */
static void print_table(const struct order **orders, size_t n, const struct once_renew *r,
                        const struct once_read *read, FILE *out)
{
    char **cells = xcalloc((n + 1) * COL_COUNT, sizeof(*cells));
    size_t width[COL_COUNT];
    for (int c = 0; c < COL_COUNT; c++) {
        cells[c] = xstrdup(col_titles[c]);
        width[c] = text_width(col_titles[c]);
    }
    for (size_t i = 0; i < n; i++) {
        char **row = cells + (i + 1) * COL_COUNT;
        fill_row(row, orders[i], r, once_read_place(read, orders[i]));
        for (int c = 0; c < COL_COUNT; c++) {
            size_t w = text_width(row[c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    for (size_t i = 0; i <= n; i++)
        for (int c = 0; c < COL_COUNT; c++)
            if (read->fan_out || (c != COL_NAMESPACE && c != COL_MOUNT))
                print_cell(out, cells[i * COL_COUNT + c], width[c], c == COL_COUNT - 1);
    for (size_t i = 0; i < (n + 1) * COL_COUNT; i++)
        free(cells[i]);
    free(cells);
}

/* One object at a time: 20,000 orders never sit in memory as one JSON tree. */
static void print_json(const struct order **orders, size_t n, const struct once_read *r,
                       const char *context, const struct order_json_providers *providers,
                       FILE *out)
{
    time_t now = clock_wall(clock_system());
    fputs(n ? "[\n" : "[]\n", out);
    for (size_t i = 0; i < n; i++) {
        const struct context_place *at = once_read_place(r, orders[i]);
        cJSON *obj = order_json_object_with_providers(orders[i], at->mount, now, providers);
        if (*at->namespace_ || r->fan_out) /* where it lives, where that may vary */
            cJSON_AddStringToObject(obj, "namespace", at->namespace_);
        if (context)
            cJSON_AddStringToObject(obj, "context", context);
        char *text = cJSON_Print(obj);
        fputs(text, out);
        fputs(i + 1 < n ? ",\n" : "\n]\n", out);
        cJSON_free(text);
        cJSON_Delete(obj);
    }
}

int once_run(const struct vault_config *cfg, enum once_format format, FILE *out, FILE *err)
{
    struct once_read r;
    if (once_read_run(cfg, &r, err) != 0) {
        fprintf(err, "acmetop: %s\n", r.failure);
        once_read_free(&r);
        return 1;
    }
    size_t n;
    const struct order **orders = once_read_orders(&r, &n);
    once_read_warn(&r, cfg, n, err);
    struct order_json_providers providers = {r.dns_known, r.dns, r.dns_count};
    struct once_renew renew = {&cfg->renew_at, cfg->expiry_crit_s, clock_wall(clock_system())};
    switch (format) {
    case ONCE_JSON: print_json(orders, n, &r, cfg->context, &providers, out); break;
    case ONCE_CSV: once_format_csv(orders, n, &renew, out); break;
    case ONCE_PROMETHEUS: once_format_prometheus(orders, n, cfg->mount, &renew, out); break;
    case ONCE_TABLE: print_table(orders, n, &renew, &r, out); break;
    }
    free(orders);
    int status = r.partial ? ONCE_PARTIAL : 0;
    if (fflush(out) != 0) {
        fprintf(err, "acmetop: cannot write the output\n");
        status = 1;
    }
    once_read_free(&r);
    return status;
}
