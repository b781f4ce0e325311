/* test_queue: the UI <-> worker queue. FIFO per producer with 4 concurrent
 * producers x 10,000 messages, nothing lost, the wake fd readable exactly
 * while something is queued (consumer sleeping in poll()), wait_pop timeout
 * and wake-up, close semantics. Also built with -fsanitize=thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "model/queue.h"

enum { PRODUCERS = 4, PER_PRODUCER = 10000 };

static bool fd_readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void test_fifo_and_fd_level(void **state)
{
    (void)state;
    struct queue *q = queue_new();
    assert_non_null(q);
    int fd = queue_wake_fd(q);
    assert_true(fd >= 0);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
    assert_false(fd_readable(fd));
    assert_null(queue_pop(q));
    assert_true(queue_push(q, msg_new_refresh(1)));
    assert_true(fd_readable(fd));
    assert_true(queue_push(q, msg_new_focus_order(2, "order-2")));
    assert_true(queue_push(q, msg_new_quit()));
    assert_int_equal(queue_length(q), 3);
    struct msg *m = queue_pop(q);
    assert_int_equal(m->type, CMD_REFRESH);
    assert_int_equal(m->request_id, 1);
    msg_free(m);
    assert_true(fd_readable(fd)); /* still two queued */
    m = queue_pop(q);
    assert_int_equal(m->type, CMD_FOCUS_ORDER);
    assert_string_equal(m->u.focus.order_id, "order-2");
    msg_free(m);
    m = queue_pop(q);
    assert_int_equal(m->type, CMD_QUIT);
    msg_free(m);
    assert_false(fd_readable(fd)); /* drained: poll would sleep */
    assert_null(queue_pop(q));
    /* refill after drain raises it again */
    assert_true(queue_push(q, msg_new_refresh(9)));
    assert_true(fd_readable(fd));
    queue_free(q); /* frees the queued message (LeakSanitizer checks) */
    queue_free(NULL);
}

struct producer {
    struct queue *q;
    uint64_t index;
};

static void *produce(void *arg)
{
    struct producer *p = arg;
    for (uint64_t i = 0; i < PER_PRODUCER; i++) {
        uint64_t id = p->index << 32 | i;
        /* every 7th message carries owned data: ownership crosses threads */
        struct msg *m = i % 7 ? msg_new_refresh(id) : msg_new_focus_order(id, "order-x");
        if (!queue_push(p->q, m))
            return (void *)1;
    }
    return NULL;
}

/* Check one received message against the per-producer sequence. */
static void account(struct msg *m, uint64_t next[PRODUCERS], size_t *total)
{
    uint64_t producer = m->request_id >> 32, seq = m->request_id & 0xffffffffu;
    assert_true(producer < PRODUCERS);
    assert_int_equal(seq, next[producer]); /* FIFO per producer, no loss, no dup */
    next[producer]++;
    if (seq % 7 == 0) {
        assert_int_equal(m->type, CMD_FOCUS_ORDER);
        assert_string_equal(m->u.focus.order_id, "order-x");
    }
    msg_free(m);
    (*total)++;
}

static void test_concurrent_producers_poll_consumer(void **state)
{
    (void)state;
    struct queue *q = queue_new();
    pthread_t threads[PRODUCERS];
    struct producer prod[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++) {
        prod[i] = (struct producer){q, (uint64_t)i};
        assert_int_equal(pthread_create(&threads[i], NULL, produce, &prod[i]), 0);
    }
    uint64_t next[PRODUCERS] = {0};
    size_t total = 0, wakeups = 0;
    struct pollfd p = {.fd = queue_wake_fd(q), .events = POLLIN};
    while (total < PRODUCERS * PER_PRODUCER) {
        /* the UI's loop: sleep in poll, then drain without blocking; a lost
         * wake-up would hang here until the 5 s poll timeout fails the test */
        int r = poll(&p, 1, 5000);
        assert_int_equal(r, 1);
        wakeups++;
        struct msg *m;
        while ((m = queue_pop(q)) != NULL)
            account(m, next, &total);
    }
    for (int i = 0; i < PRODUCERS; i++) {
        void *rv;
        pthread_join(threads[i], &rv);
        assert_null(rv);
    }
    assert_int_equal(total, PRODUCERS * PER_PRODUCER);
    for (int i = 0; i < PRODUCERS; i++)
        assert_int_equal(next[i], PER_PRODUCER);
    assert_false(fd_readable(queue_wake_fd(q)));
    assert_true(wakeups >= 1);
    queue_free(q);
}

static void test_concurrent_producers_wait_consumer(void **state)
{
    (void)state;
    /* the worker's side: blocking wait_pop */
    struct queue *q = queue_new();
    pthread_t threads[PRODUCERS];
    struct producer prod[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++) {
        prod[i] = (struct producer){q, (uint64_t)i};
        assert_int_equal(pthread_create(&threads[i], NULL, produce, &prod[i]), 0);
    }
    uint64_t next[PRODUCERS] = {0};
    size_t total = 0;
    while (total < PRODUCERS * PER_PRODUCER) {
        struct msg *m = queue_wait_pop(q, 5000);
        assert_non_null(m);
        account(m, next, &total);
    }
    for (int i = 0; i < PRODUCERS; i++)
        pthread_join(threads[i], NULL);
    assert_null(queue_pop(q));
    queue_free(q);
}

static void test_wait_pop_timeout(void **state)
{
    (void)state;
    struct queue *q = queue_new();
    double t0 = now_ms();
    assert_null(queue_wait_pop(q, 0)); /* like pop */
    assert_true(now_ms() - t0 < 20);
    t0 = now_ms();
    assert_null(queue_wait_pop(q, 80));
    double waited = now_ms() - t0;
    assert_true(waited >= 75);
    assert_true(waited < 1000);
    queue_push(q, msg_new_refresh(5));
    t0 = now_ms();
    struct msg *m = queue_wait_pop(q, 5000); /* already there: no wait */
    assert_true(now_ms() - t0 < 100);
    assert_int_equal(m->request_id, 5);
    msg_free(m);
    queue_free(q);
}

struct delayed {
    struct queue *q;
    int delay_ms;
    bool close_instead;
};

static void *push_later(void *arg)
{
    struct delayed *d = arg;
    struct timespec ts = {0, (long)d->delay_ms * 1000000L};
    nanosleep(&ts, NULL);
    if (d->close_instead)
        queue_close(d->q);
    else
        queue_push(d->q, msg_new_refresh(77));
    return NULL;
}

static void test_wait_pop_woken_by_push(void **state)
{
    (void)state;
    struct queue *q = queue_new();
    struct delayed d = {q, 50, false};
    pthread_t t;
    pthread_create(&t, NULL, push_later, &d);
    double t0 = now_ms();
    struct msg *m = queue_wait_pop(q, -1);
    double waited = now_ms() - t0;
    pthread_join(t, NULL);
    assert_non_null(m);
    assert_int_equal(m->request_id, 77);
    assert_true(waited < 2000);
    msg_free(m);
    queue_free(q);
}

static void test_close(void **state)
{
    (void)state;
    struct queue *q = queue_new();
    /* a waiter blocked forever is woken by close */
    struct delayed d = {q, 50, true};
    pthread_t t;
    pthread_create(&t, NULL, push_later, &d);
    assert_null(queue_wait_pop(q, -1));
    pthread_join(t, NULL);
    assert_true(queue_is_closed(q));
    /* the fd is readable for good, so a poller learns about it */
    assert_true(fd_readable(queue_wake_fd(q)));
    /* pushes fail and free the message (ASan/LSan would see a leak) */
    assert_false(queue_push(q, msg_new_focus_order(1, "after-close")));
    assert_int_equal(queue_length(q), 0);
    queue_close(q); /* idempotent */
    assert_null(queue_wait_pop(q, 1000)); /* closed and empty: no wait */
    queue_free(q);

    /* messages queued before close can still be drained */
    q = queue_new();
    queue_push(q, msg_new_refresh(1));
    queue_push(q, msg_new_refresh(2));
    queue_close(q);
    struct msg *m = queue_wait_pop(q, -1);
    assert_int_equal(m->request_id, 1);
    msg_free(m);
    m = queue_pop(q);
    assert_int_equal(m->request_id, 2);
    msg_free(m);
    assert_null(queue_pop(q));
    assert_true(fd_readable(queue_wake_fd(q)));
    queue_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_and_fd_level),
        cmocka_unit_test(test_concurrent_producers_poll_consumer),
        cmocka_unit_test(test_concurrent_producers_wait_consumer),
        cmocka_unit_test(test_wait_pop_timeout),
        cmocka_unit_test(test_wait_pop_woken_by_push),
        cmocka_unit_test(test_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
