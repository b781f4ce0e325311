/* test_layout: the console's screen arithmetic: where every part goes at
 * 80x24, 160x48 and the minimum size, the "too small" threshold, the order
 * list's columns (dropped in the right order, never wider than the screen),
 * line wrapping by display width, text width and cutting (the ASCII fast
 * path and wide and combining characters), and the redraw clock (when a
 * relative time on screen next reads differently). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "model/reltime.h"
#include "model/text_width.h"
#include "ui/layout.h"
#include "ui/pane_orders.h"
#include "ui/textbuf.h"
#include "ui/tick.h"
#include "ui/wrap.h"

/* Every visible rect inside the screen, no two overlapping, every row of
 * the screen covered exactly once across the full-width bands. */
static void assert_tiles(const struct layout *l)
{
    const struct rect *parts[] = {&l->header, &l->list, &l->detail, &l->challenges,
                                  &l->separator, &l->responder, &l->message, &l->legend};
    const size_t n = sizeof parts / sizeof parts[0];
    int *cells = calloc((size_t)(l->cols * l->rows), sizeof(int));
    for (size_t i = 0; i < n; i++) {
        const struct rect *r = parts[i];
        if (!rect_visible(r))
            continue;
        assert_true(r->y >= 0 && r->x >= 0);
        assert_true(r->y + r->h <= l->rows);
        assert_true(r->x + r->w <= l->cols);
        for (int y = r->y; y < r->y + r->h; y++)
            for (int x = r->x; x < r->x + r->w; x++)
                cells[y * l->cols + x]++;
    }
    for (int i = 0; i < l->cols * l->rows; i++)
        assert_int_equal(cells[i], 1); /* covered once: no gap, no overlap */
    free(cells);
}

static void test_80x24(void **state)
{
    (void)state;
    struct layout l;
    layout_compute(&l, 80, 24, PANE_LIST, PANE_DETAIL, 1);
    assert_false(l.too_small);
    assert_false(l.split);
    assert_int_equal(l.header.y, 0);
    assert_int_equal(l.header.h, 2);
    assert_int_equal(l.legend.y, 23);
    assert_int_equal(l.message.y, 22);
    assert_int_equal(l.list.y, 2);
    assert_true(l.list.h >= 8); /* titles + at least 7 orders */
    assert_true(rect_visible(&l.detail));
    assert_false(rect_visible(&l.challenges));
    assert_true(l.detail.h >= 10);
    assert_tiles(&l);

    /* Tab to the challenges: they replace the detail, and get more rows */
    struct layout f;
    layout_compute(&f, 80, 24, PANE_CHALLENGES, PANE_CHALLENGES, 1);
    assert_false(rect_visible(&f.detail));
    assert_true(rect_visible(&f.challenges));
    assert_true(f.challenges.h > l.detail.h);
    assert_true(f.list.h >= 5); /* still a few orders */
    assert_tiles(&f);
}

static void test_160x48_side_by_side(void **state)
{
    (void)state;
    struct layout l;
    layout_compute(&l, 160, 48, PANE_LIST, PANE_DETAIL, 1);
    assert_true(l.split);
    assert_true(rect_visible(&l.detail));
    assert_true(rect_visible(&l.challenges));
    assert_int_equal(l.detail.y, l.challenges.y);
    assert_int_equal(l.detail.w + 1 + l.challenges.w, 160);
    assert_int_equal(l.separator.x, l.detail.w);
    assert_true(l.list.h >= 16);
    assert_tiles(&l);
    /* side by side the list does not shrink with the focus */
    struct layout f;
    layout_compute(&f, 160, 48, PANE_CHALLENGES, PANE_CHALLENGES, 1);
    assert_int_equal(f.list.h, l.list.h);
    assert_tiles(&f);
}

static void test_minimum_and_too_small(void **state)
{
    (void)state;
    struct layout l;
    layout_compute(&l, LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, PANE_LIST, PANE_DETAIL, 1);
    assert_false(l.too_small);
    assert_true(l.list.h >= 5);
    assert_true(l.detail.h >= 3);
    assert_tiles(&l);
    layout_compute(&l, LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, PANE_DETAIL, PANE_DETAIL, 1);
    assert_tiles(&l);
    layout_compute(&l, LAYOUT_MIN_COLS - 1, 40, PANE_LIST, PANE_DETAIL, 1);
    assert_true(l.too_small);
    layout_compute(&l, 200, LAYOUT_MIN_ROWS - 1, PANE_LIST, PANE_DETAIL, 1);
    assert_true(l.too_small);
    layout_compute(&l, 40, 10, PANE_LIST, PANE_DETAIL, 1);
    assert_true(l.too_small);
    assert_false(rect_visible(&l.list));
    assert_null(layout_pane(&l, PANE_COUNT));
}

static void test_every_size_tiles(void **state)
{
    (void)state;
    for (int cols = LAYOUT_MIN_COLS; cols <= 260; cols += 7)
        for (int rows = LAYOUT_MIN_ROWS; rows <= 90; rows += 5)
            for (int f = 0; f < PANE_COUNT; f++) {
                struct layout l;
                for (int m = 1; m <= LAYOUT_MESSAGE_MAX; m++) {
                    layout_compute(&l, cols, rows, (enum pane)f,
                                   f == PANE_CHALLENGES ? PANE_CHALLENGES : PANE_DETAIL, m);
                    assert_false(l.too_small);
                    assert_int_equal(l.message.h, m);
                    assert_true(l.list.h >= 5);
                    assert_true(rect_visible(&l.detail) || rect_visible(&l.challenges));
                    assert_tiles(&l);
                }
            }
}

/* The HTTP-01 responder's strip sits above the message line and takes rows
 * from the panes, never so many that the list or the lower pane vanish. */
static void test_responder_strip(void **state)
{
    (void)state;
    struct layout plain, l;
    layout_compute(&plain, 80, 24, PANE_LIST, PANE_DETAIL, 1);
    assert_false(rect_visible(&plain.responder));
    /* 80x24 is short of room: the strip keeps its title line only */
    layout_compute_strip(&l, 80, 24, PANE_LIST, PANE_DETAIL, 1, 4, 0);
    assert_int_equal(l.responder.h, 1);
    assert_int_equal(l.responder.w, 80);
    assert_int_equal(l.responder.y + l.responder.h, l.message.y);
    assert_int_equal(l.list.h + l.detail.h, plain.list.h + plain.detail.h - 1);
    assert_tiles(&l);
    /* with room, the whole strip */
    layout_compute_strip(&l, 100, 40, PANE_LIST, PANE_DETAIL, 1, 4, 0);
    assert_int_equal(l.responder.h, 4);
    assert_tiles(&l);
    /* the smallest screen: one row of it at most */
    layout_compute_strip(&l, LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, PANE_LIST, PANE_DETAIL, 1, 4, 0);
    assert_int_equal(l.responder.h, 1);
    assert_true(l.list.h >= 5);
    assert_true(l.detail.h >= 6);
    assert_tiles(&l);
    layout_compute_strip(&l, LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, PANE_LIST, PANE_DETAIL, 3, 4, 0);
    assert_false(rect_visible(&l.responder));
    assert_tiles(&l);
    for (int rows = LAYOUT_MIN_ROWS; rows <= 60; rows += 3)
        for (int strip = 0; strip <= 6; strip++) {
            layout_compute_strip(&l, 100, rows, PANE_CHALLENGES, PANE_CHALLENGES, 2, strip, 0);
            assert_true(l.responder.h <= strip);
            assert_true(l.list.h >= 5);
            assert_tiles(&l);
        }
}

/* A short list leaves its blank rows to the panes below. */
static void test_short_list_gives_its_rows_away(void **state)
{
    (void)state;
    struct layout full, few;
    layout_compute_strip(&full, 200, 60, PANE_LIST, PANE_DETAIL, 1, 0, 0);
    layout_compute_strip(&few, 200, 60, PANE_LIST, PANE_DETAIL, 1, 0, 6); /* 5 orders */
    assert_int_equal(few.list.h, 6);
    assert_true(full.list.h > 6);
    assert_int_equal(few.detail.h, full.detail.h + full.list.h - 6);
    assert_int_equal(few.challenges.h, few.detail.h);
    assert_tiles(&few);
    layout_compute_strip(&few, 80, 24, PANE_LIST, PANE_DETAIL, 1, 0, 1); /* no order */
    assert_int_equal(few.list.h, 3); /* titles + the "no orders" line + one */
    assert_tiles(&few);
    layout_compute_strip(&few, 80, 24, PANE_LIST, PANE_DETAIL, 1, 0, 500); /* many: as before */
    layout_compute(&full, 80, 24, PANE_LIST, PANE_DETAIL, 1);
    assert_int_equal(few.list.h, full.list.h);
}

static void test_long_message_takes_rows(void **state)
{
    (void)state;
    struct layout one, three;
    layout_compute(&one, 80, 24, PANE_LIST, PANE_DETAIL, 1);
    layout_compute(&three, 80, 24, PANE_LIST, PANE_DETAIL, 3);
    assert_int_equal(three.message.y, 20);
    assert_int_equal(three.message.h, 3);
    assert_int_equal(three.legend.y, 23);
    assert_int_equal(three.detail.h + three.list.h, one.detail.h + one.list.h - 2);
    layout_compute(&three, 80, 24, PANE_LIST, PANE_DETAIL, 9); /* clamped */
    assert_int_equal(three.message.h, LAYOUT_MESSAGE_MAX);
    layout_compute(&three, 80, 24, PANE_LIST, PANE_DETAIL, 0);
    assert_int_equal(three.message.h, 1);
}

static void test_rect_contains(void **state)
{
    (void)state;
    struct rect r = {2, 3, 4, 5};
    assert_true(rect_contains(&r, 2, 3));
    assert_true(rect_contains(&r, 5, 7));
    assert_false(rect_contains(&r, 6, 3));
    assert_false(rect_contains(&r, 2, 8));
    assert_false(rect_contains(&r, 1, 3));
    struct rect z = {0, 0, 0, 0};
    assert_false(rect_contains(&z, 0, 0));
}

static int sum_widths(const int *w, size_t n, int gap)
{
    int total = 0, shown = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i]) {
            total += w[i];
            shown++;
        }
    return total + (shown > 1 ? gap * (shown - 1) : 0);
}

static void test_columns(void **state)
{
    (void)state;
    const struct column_spec specs[] = {
        {5, 5, 0, false}, {4, 10, 2, false}, {6, 6, 0, true}, {3, 3, 1, false}};
    int w[4];
    layout_columns(specs, 4, 40, 1, w);
    assert_int_equal(w[0], 5);
    assert_int_equal(w[1], 10);     /* grown to want */
    assert_int_equal(w[3], 3);
    assert_int_equal(sum_widths(w, 4, 1), 40); /* the flex column took the rest */
    assert_int_equal(w[2], 40 - 5 - 10 - 3 - 3);

    layout_columns(specs, 4, 19, 1, w); /* 5+4+6+3 + 3 gaps = 21 > 19 */
    assert_int_equal(w[1], 0);          /* the highest drop goes first */
    assert_int_equal(w[3], 3);
    assert_true(sum_widths(w, 4, 1) <= 19);

    layout_columns(specs, 4, 13, 1, w); /* only the undroppable ones */
    assert_int_equal(w[1], 0);
    assert_int_equal(w[3], 0);
    assert_int_equal(w[0], 5);
    assert_int_equal(w[2], 7);

    layout_columns(specs, 4, 8, 1, w); /* not even those: cut, never wider */
    assert_true(sum_widths(w, 4, 1) <= 8);
}

static void test_order_list_columns(void **state)
{
    (void)state;
    int w[OCOL_COUNT];
    pane_orders_columns(100, false, w);
    for (int i = 0; i < OCOL_COUNT; i++) /* 100 columns show every column of one place */
        assert_true(i == OCOL_NAMESPACE || i == OCOL_MOUNT ? w[i] == 0 : w[i] > 0);
    assert_true(w[OCOL_RENEW] >= 11); /* "overdue 15d" */
    assert_true(w[OCOL_IDENTIFIERS] >= 16);
    pane_orders_columns(80, false, w);
    for (int i = 0; i < OCOL_COUNT; i++) /* 80: every column but RENEW (the header counts) */
        assert_true(i == OCOL_RENEW || i == OCOL_NAMESPACE || i == OCOL_MOUNT ? w[i] == 0
                                                                              : w[i] > 0);
    assert_true(w[OCOL_IDENTIFIERS] >= 16);
    assert_int_equal(sum_widths(w, OCOL_COUNT, 1), 80);

    /* several places (namespace = *): NAMESPACE and MOUNT come, the ID and
       the identifiers stay */
    pane_orders_columns(120, true, w);
    assert_true(w[OCOL_NAMESPACE] >= 9 && w[OCOL_MOUNT] >= 6);
    assert_true(w[OCOL_ID] > 0 && w[OCOL_IDENTIFIERS] >= 12);
    assert_int_equal(sum_widths(w, OCOL_COUNT, 1), 120);

    pane_orders_columns(60, false, w);
    assert_int_equal(w[OCOL_AGE], 0); /* the age goes first, after RENEW */
    assert_true(w[OCOL_STATUS] > 0 && w[OCOL_ID] > 0 && w[OCOL_IDENTIFIERS] > 0);
    assert_true(sum_widths(w, OCOL_COUNT, 1) <= 60);

    pane_orders_columns(160, false, w);
    assert_true(w[OCOL_IDENTIFIERS] > 80);
    assert_int_equal(sum_widths(w, OCOL_COUNT, 1), 160);
}

static void lines_of(const char *s, size_t width, char out[][128], size_t *n)
{
    size_t len, skip;
    *n = 0;
    while (wrap_next(s, width, &len, &skip)) {
        assert_true(len <= skip);
        memcpy(out[*n], s, len);
        out[*n][len] = '\0';
        assert_true(text_width(out[*n]) <= width);
        (*n)++;
        s += skip;
    }
}

static void test_wrap(void **state)
{
    (void)state;
    char l[16][128];
    size_t n;
    lines_of("acme: error: 403 :: urn:ietf:params:acme:error:unauthorized", 20, l, &n);
    assert_int_equal(n, 3);
    assert_string_equal(l[0], "acme: error: 403 ::");
    assert_string_equal(l[1], "urn:ietf:params:acme");
    assert_string_equal(l[2], ":error:unauthorized");

    /* a long token is cut inside, nothing is lost */
    const char *tok = "abcdefghijklmnopqrstuvwxyz0123456789";
    lines_of(tok, 10, l, &n);
    assert_int_equal(n, 4);
    assert_string_equal(l[2], "uvwxyz0123");
    assert_string_equal(l[3], "456789");

    lines_of("one\n\ntwo", 10, l, &n);
    assert_int_equal(n, 3);
    assert_string_equal(l[0], "one");
    assert_string_equal(l[1], "");
    assert_string_equal(l[2], "two");

    /* a path breaks after a '/', so the order ID stays whole */
    lines_of("pki-external-ca/role/web/order/4661df92-7baa-4e29-972c-c0ffc088ea4e", 46, l, &n);
    assert_int_equal(n, 2);
    assert_string_equal(l[0], "pki-external-ca/role/web/order/");
    assert_string_equal(l[1], "4661df92-7baa-4e29-972c-c0ffc088ea4e");

    assert_int_equal(wrap_count("", 10), 1);
    assert_int_equal(wrap_count("abc def", 3), 2);
}

static void test_wrap_wide_characters(void **state)
{
    (void)state;
    if (!setlocale(LC_ALL, "C.UTF-8"))
        fail_msg("the C.UTF-8 locale is needed to measure wide characters");
    char l[16][128];
    size_t n;
    /* 漢字 are 2 columns each: 5 of them need 10 columns */
    lines_of("\u6f22\u5b57\u6f22\u5b57\u6f22", 5, l, &n);
    assert_int_equal(n, 3);
    assert_int_equal(text_width(l[0]), 4);
    assert_string_equal(l[0], "\u6f22\u5b57");
    lines_of("b\u00fccher.example", 6, l, &n);
    assert_string_equal(l[0], "b\u00fccher");
    setlocale(LC_ALL, "C");
}

/* ASCII takes one column a byte without the locale; wide characters two,
 * combining ones none, also right after an ASCII run; a cut never splits a
 * character and keeps a combining mark with its letter. */
static void test_text_width(void **state)
{
    (void)state;
    assert_int_equal(text_width(NULL), 0);
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width("api.example.com"), 15);
    assert_int_equal(text_width("tab\there"), 8); /* a control character counts 1 */
    assert_int_equal(text_fit_bytes("api.example.com", 3), 3);
    assert_int_equal(text_fit_bytes("api", 10), 3);
    assert_int_equal(text_fit_bytes("api", 0), 0);
    if (!setlocale(LC_ALL, "C.UTF-8"))
        fail_msg("the C.UTF-8 locale is needed to measure wide characters");
    const char *mixed = "ab\u6f22\u5b57cd"; /* a b 漢 字 c d: 1+1+2+2+1+1 */
    assert_int_equal(text_width(mixed), 8);
    assert_int_equal(text_fit_bytes(mixed, 2), 2);
    assert_int_equal(text_fit_bytes(mixed, 3), 2);  /* 漢 does not fit half */
    assert_int_equal(text_fit_bytes(mixed, 4), 5);  /* a b 漢 */
    assert_int_equal(text_fit_bytes(mixed, 7), 9);  /* a b 漢 字 c */
    assert_int_equal(text_fit_bytes(mixed, 99), strlen(mixed));
    const char *combining = "cafe\u0301s"; /* café with a combining acute: 5 columns */
    assert_int_equal(text_width(combining), 5);
    assert_int_equal(text_fit_bytes(combining, 4), 6); /* the accent stays with its e */
    assert_int_equal(text_fit_bytes(combining, 3), 3);
    assert_int_equal(text_width("b\u00fccher"), 6);
    assert_int_equal(text_fit_bytes("b\u00fccher", 2), 3);
    assert_int_equal(text_width("\xff\xfe"), 2); /* invalid UTF-8: a column a byte */
    setlocale(LC_ALL, "C");
}

static void test_textbuf_field(void **state)
{
    (void)state;
    struct textbuf tb;
    textbuf_init(&tb, 32);
    textbuf_field(&tb, "Last error", 12, THEME_ERROR,
                  "acme: error: 403 :: urn:ietf:params:acme:error:unauthorized", 7);
    assert_int_equal(tb.count, 3);
    char *l0 = textbuf_line_text(&tb, 0), *l1 = textbuf_line_text(&tb, 1),
         *l2 = textbuf_line_text(&tb, 2);
    assert_string_equal(l0, "Last error  acme: error: 403 ::");
    assert_string_equal(l1, "            urn:ietf:params:acme");
    assert_string_equal(l2, "            :error:unauthorized");
    assert_int_equal(tb.lines[1].tag, 7);
    assert_true(text_width(l0) <= 32 && text_width(l1) <= 32);
    free(l0);
    free(l1);
    free(l2);
    /* an empty value shows "-" */
    textbuf_field(&tb, "Serial", 12, THEME_NORMAL, "", -1);
    char *l3 = textbuf_line_text(&tb, 3);
    assert_string_equal(l3, "Serial      -");
    free(l3);
    textbuf_free(&tb);
}

static void test_tick(void **state)
{
    (void)state;
    const time_t now = 1800000000;
    struct tick t;
    tick_reset(&t);
    struct timespec ts = {now, 0};
    assert_int_equal(tick_timeout_ms(&t, &ts), -1); /* nothing counts: sleep */
    tick_note_reltime(&t, 0, now);                  /* "-" never changes */
    assert_int_equal(t.next, 0);

    tick_note_reltime(&t, now + 3 * 86400 + 5 * 3600 + 120, now); /* "in 3d 5h" */
    assert_int_equal(t.next, now + 121);            /* "in 3d 4h" then */
    char a[RELTIME_BUF], b[RELTIME_BUF];
    reltime_format(now + 3 * 86400 + 5 * 3600 + 120, t.next - 1, a, sizeof a);
    reltime_format(now + 3 * 86400 + 5 * 3600 + 120, t.next, b, sizeof b);
    assert_string_not_equal(a, b);

    tick_note_reltime(&t, now - 5, now); /* "5s ago": every second */
    assert_int_equal(t.next, now + 1);
    ts.tv_nsec = 400 * 1000 * 1000;
    int ms = tick_timeout_ms(&t, &ts);
    assert_true(ms >= 600 && ms <= 610);

    /* every kind of span: the text really changes at t.next, not before */
    const long long spans[] = {7, 59, 61, 3599, 3600, 3661, 7259, 86399, 86400 + 59,
                               90 * 86400 + 3599, 400 * 86400LL};
    for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++)
        for (int sign = -1; sign <= 1; sign += 2) {
            time_t when = now + (time_t)(sign * spans[i]);
            tick_reset(&t);
            tick_note_reltime(&t, when, now);
            assert_true(t.next > now);
            reltime_format(when, now, a, sizeof a);
            for (time_t x = now + 1; x < t.next && x < now + 4000; x++) {
                reltime_format(when, x, b, sizeof b);
                assert_string_equal(a, b); /* no change is missed */
            }
            reltime_format(when, t.next, b, sizeof b);
            if (t.next - now < 4000)
                assert_string_not_equal(a, b);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_80x24),
        cmocka_unit_test(test_160x48_side_by_side),
        cmocka_unit_test(test_minimum_and_too_small),
        cmocka_unit_test(test_every_size_tiles),
        cmocka_unit_test(test_short_list_gives_its_rows_away),
        cmocka_unit_test(test_long_message_takes_rows),
        cmocka_unit_test(test_responder_strip),
        cmocka_unit_test(test_rect_contains),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_order_list_columns),
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_wrap_wide_characters),
        cmocka_unit_test(test_text_width),
        cmocka_unit_test(test_textbuf_field),
        cmocka_unit_test(test_tick),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
