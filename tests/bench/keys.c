/* keys: the console's cost per key and per update at 100, 20,000 and
 * 100,000 orders, without the engine: a console_state fed with orders as
 * one UPD_ORDERS, drawn into a 200x60 ncurses screen that writes to
 * /dev/null; then, each with a full frame after it as the console draws it:
 * a filter keystroke (typing narrows, Backspace widens), `j`, and one order
 * whose status changes (UPD_ORDERS of one order). Prints the mean time of
 * each, in microseconds. Each step is a function of its own (bench_load,
 * bench_type, bench_backspace, bench_j, bench_update), so that callgrind
 * counts the instructions of each:
 *   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg build/hU/bench-keys 100000
 *   callgrind_annotate --inclusive=yes /tmp/cg | grep bench_
 * (divide by the calls: 6 typed keys, 6 backspaces, 200 j, 200 updates).
 * Not part of the Makefile; build it against a build directory's objects:
 *   make BUILD=build/hU all
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc \
 *      $(pkg-config --cflags ncursesw) tests/bench/keys.c build/hU/obj/model/\*.o \
 *      build/hU/obj/net/\*.o build/hU/obj/ui/\*.o \
 *      $(pkg-config --libs ncursesw libcurl libcjson openssl) -pthread -o build/hU/bench-keys
 *   build/hU/bench-keys [N...]            (default: 100 20000 100000) */
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/msg.h"
#include "model/xalloc.h"
#include "ui/actions.h"
#include "ui/console_state.h"
#include "ui/layout.h"
#include "ui/screen.h"
#include "ui/tick.h"
#include "ui/view.h"
#include "ui/views.h"

#define NOW ((time_t)1800000000)

static unsigned long long rng = 88172645463325252ULL;

static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

static const enum order_status statuses[] = {
    ORDER_COMPLETED, ORDER_COMPLETED, ORDER_COMPLETED, ORDER_COMPLETED, ORDER_AWAITING_CHALLENGE,
    ORDER_NEW, ORDER_SUBMITTED, ORDER_ERROR, ORDER_EXPIRED, ORDER_REVOKED};

static struct order make_order(size_t i)
{
    struct order o;
    order_init(&o);
    char buf[96];
    snprintf(buf, sizeof buf, "%08x-%04x-4%03x-8%03x-%012zx", next_rand(), next_rand() & 0xffff,
             next_rand() & 0xfff, next_rand() & 0xfff, i);
    o.id = xstrdup(buf);
    o.status = statuses[next_rand() % (sizeof statuses / sizeof statuses[0])];
    o.status_text = xstrdup(order_status_name(o.status));
    snprintf(buf, sizeof buf, "role-%u", next_rand() % 7);
    o.role = xstrdup(buf);
    o.identifier_count = 1 + next_rand() % 2;
    o.identifiers = xcalloc(o.identifier_count, sizeof(char *));
    for (size_t k = 0; k < o.identifier_count; k++) {
        snprintf(buf, sizeof buf, "host%u.site%u.example.com", next_rand() % 100000,
                 next_rand() % 50);
        o.identifiers[k] = xstrdup(buf);
    }
    o.created = NOW - 86400 * 90 + (time_t)(next_rand() % (86400 * 90));
    o.last_update = o.created + 60;
    o.expires = o.created + 7 * 86400;
    if (o.status == ORDER_COMPLETED)
        o.cert_not_after = o.created + 90 * 86400;
    return o;
}

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

struct rig {
    struct console_state c;
    struct layout l;
    struct tick tick;
};

static void frame(struct rig *r)
{
    screen_draw(&r->c, &r->l, NOW, &r->tick);
}

static void key(struct rig *r, int k)
{
    actions_handle_key(&r->c, k);
    const struct view_ops *v = views_current(&r->c);
    if (v->after_input)
        v->after_input(&r->c);
    frame(r);
}

__attribute__((noinline)) static void bench_load(struct rig *r, struct order *batch, size_t n)
{
    console_state_apply(&r->c, msg_new_orders_take(0, batch, n, true), NOW);
    frame(r);
}

__attribute__((noinline)) static void bench_type(struct rig *r, int k)
{
    key(r, k);
}

__attribute__((noinline)) static void bench_backspace(struct rig *r)
{
    key(r, 127);
}

__attribute__((noinline)) static void bench_j(struct rig *r)
{
    key(r, 'j');
}

__attribute__((noinline)) static void bench_update(struct rig *r, struct order *one)
{
    console_state_apply(&r->c, msg_new_orders_take(0, one, 1, false), NOW);
    frame(r);
}

static void run(size_t n)
{
    struct rig r;
    memset(&r, 0, sizeof r);
    console_state_init(&r.c, NULL, NULL);
    struct order *batch = xcalloc(n, sizeof *batch);
    for (size_t i = 0; i < n; i++)
        batch[i] = make_order(i);
    double t0 = now_us();
    bench_load(&r, batch, n);
    double load = now_us() - t0;

    /* filter: type a hostname fragment, then take it back */
    const char *typed = "host12";
    key(&r, '/');
    t0 = now_us();
    for (const char *p = typed; *p; p++)
        bench_type(&r, (unsigned char)*p);
    double type_us = (now_us() - t0) / (double)strlen(typed);
    size_t shown = order_store_view_count(r.c.store);
    t0 = now_us();
    for (size_t i = 0; i < strlen(typed); i++)
        bench_backspace(&r);
    double back_us = (now_us() - t0) / (double)strlen(typed);
    key(&r, 27); /* Esc */

    /* j, 200 times */
    enum { MOVES = 200 };
    t0 = now_us();
    for (int i = 0; i < MOVES; i++)
        bench_j(&r);
    double j_us = (now_us() - t0) / MOVES;

    /* one order changes status (an update as the worker sends it), and a frame */
    enum { UPDATES = 200 };
    double upd = 0;
    for (int i = 0; i < UPDATES; i++) {
        const struct order *o = order_store_view_at(r.c.store, next_rand() % n);
        struct order *one = xcalloc(1, sizeof *one);
        order_init(one);
        one->id = xstrdup(o->id);
        one->status = o->status == ORDER_COMPLETED ? ORDER_REVOKED : ORDER_COMPLETED;
        one->status_text = xstrdup(order_status_name(one->status));
        one->last_update = o->last_update + 1;
        t0 = now_us();
        bench_update(&r, one);
        upd += now_us() - t0;
    }
    printf("%7zu orders: load+frame %8.1f ms | filter key %8.1f us (%zu shown) | "
           "backspace %8.1f us | j %7.1f us | one update %7.1f us\n",
           n, load / 1e3, type_us, shown, back_us, j_us, upd / UPDATES);
    fflush(stdout);
    console_state_free(&r.c);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C.UTF-8");
    FILE *out = fopen("/dev/null", "w");
    SCREEN *scr = newterm("xterm-256color", out, stdin);
    if (!scr) {
        fprintf(stderr, "bench-keys: no terminal description for xterm-256color\n");
        return 1;
    }
    set_term(scr);
    resizeterm(60, 200);
    size_t sizes[] = {100, 20000, 100000};
    if (argc > 1) {
        for (int i = 1; i < argc && i <= 3; i++)
            sizes[i - 1] = (size_t)strtoul(argv[i], NULL, 10);
    }
    size_t count = argc > 1 ? (size_t)(argc - 1 < 3 ? argc - 1 : 3) : 3;
    for (size_t i = 0; i < count; i++)
        run(sizes[i]);
    endwin();
    delscreen(scr);
    fclose(out);
    return 0;
}
