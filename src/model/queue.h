/* queue: the multi-producer, single-consumer FIFO of struct msg * that
 * connects the UI thread and the worker thread (one queue each way).
 *  - push takes ownership of the message (also when it fails: a push after
 *    queue_close frees the message);
 *  - the consumer either polls the wake fd (UI: it sleeps in poll() on stdin
 *    and this fd) and then pops without blocking, or blocks in
 *    queue_wait_pop with a timeout (worker: timeout = next scheduled poll);
 *  - the wake fd (eventfd, non-blocking, close-on-exec) is readable exactly
 *    while the queue is non-empty, or once it is closed: a poller never
 *    misses a message and never spins on an empty open queue. Do not read
 *    the fd yourself; queue_pop keeps it in step.
 * FIFO order holds per producer. The only lock of the program lives here. */
#ifndef ACMETOP_QUEUE_H
#define ACMETOP_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/msg.h"

struct queue;

/* Returns NULL only if the wake fd cannot be created (errno set). */
struct queue *queue_new(void);

/* Frees the remaining messages (msg_free) and closes the fd. No other thread
 * may use q any more. q may be NULL. */
void queue_free(struct queue *q);

/* Append m (ownership moves to the queue). Returns false (and frees m) if
 * the queue is closed. m may not be NULL. */
bool queue_push(struct queue *q, struct msg *m);

/* Oldest message, or NULL if empty. Never blocks. */
struct msg *queue_pop(struct queue *q);

/* Oldest message, waiting up to timeout_ms (-1 = forever, 0 = like
 * queue_pop). Returns NULL on timeout, or when the queue is closed and empty. */
struct msg *queue_wait_pop(struct queue *q, int timeout_ms);

/* Close: later pushes fail, waiters wake up, the wake fd becomes readable
 * for good. Messages already queued can still be popped. Idempotent. */
void queue_close(struct queue *q);
bool queue_is_closed(struct queue *q);

/* Number of queued messages (a snapshot). */
size_t queue_length(struct queue *q);

/* The fd to poll() for POLLIN. Owned by the queue. */
int queue_wake_fd(const struct queue *q);

#endif
