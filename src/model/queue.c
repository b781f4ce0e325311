/* queue: mutex + condition variable FIFO with an eventfd that mirrors
 * "non-empty or closed", so one thread can sleep in poll() and another in
 * queue_wait_pop. The fd's state changes only under the mutex, together
 * with the list, which is what rules out lost or spurious wake-ups:
 *   push onto an empty queue  -> write 1 (fd readable)
 *   pop of the last message   -> read   (fd not readable), unless closed
 *   close                     -> write 1 (fd readable for good). */
#include "model/queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "model/xalloc.h"

struct queue_node {
    struct msg *msg;
    struct queue_node *next;
};

struct queue {
    pthread_mutex_t lock;
    pthread_cond_t nonempty; /* signalled on push and close */
    struct queue_node *head, *tail;
    size_t length;
    bool closed;
    bool fd_signalled; /* the eventfd counter is non-zero */
    int fd;
};

struct queue *queue_new(void)
{
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct queue *q = xcalloc(1, sizeof *q);
    q->fd = fd;
    pthread_mutex_init(&q->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* immune to clock jumps */
    pthread_cond_init(&q->nonempty, &attr);
    pthread_condattr_destroy(&attr);
    return q;
}

void queue_free(struct queue *q)
{
    if (!q)
        return;
    struct queue_node *n = q->head;
    while (n) {
        struct queue_node *next = n->next;
        msg_free(n->msg);
        free(n);
        n = next;
    }
    close(q->fd);
    pthread_cond_destroy(&q->nonempty);
    pthread_mutex_destroy(&q->lock);
    free(q);
}

/* Both called with the lock held. */
static void fd_raise(struct queue *q)
{
    if (q->fd_signalled)
        return;
    uint64_t one = 1;
    /* cannot block or fail: the counter is 0 here (non-blocking fd anyway) */
    ssize_t r = write(q->fd, &one, sizeof one);
    (void)r;
    q->fd_signalled = true;
}

static void fd_lower(struct queue *q)
{
    if (!q->fd_signalled || q->closed)
        return;
    uint64_t v;
    ssize_t r = read(q->fd, &v, sizeof v);
    (void)r;
    q->fd_signalled = false;
}

bool queue_push(struct queue *q, struct msg *m)
{
    struct queue_node *n = xmalloc(sizeof *n);
    n->msg = m;
    n->next = NULL;
    pthread_mutex_lock(&q->lock);
    if (q->closed) {
        pthread_mutex_unlock(&q->lock);
        free(n);
        msg_free(m);
        return false;
    }
    if (q->tail)
        q->tail->next = n;
    else
        q->head = n;
    q->tail = n;
    q->length++;
    fd_raise(q);
    pthread_cond_signal(&q->nonempty);
    pthread_mutex_unlock(&q->lock);
    return true;
}

/* Called with the lock held and the queue non-empty. */
static struct msg *take_head(struct queue *q)
{
    struct queue_node *n = q->head;
    q->head = n->next;
    if (!q->head)
        q->tail = NULL;
    q->length--;
    if (q->length == 0)
        fd_lower(q);
    struct msg *m = n->msg;
    free(n);
    return m;
}

struct msg *queue_pop(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    struct msg *m = q->head ? take_head(q) : NULL;
    pthread_mutex_unlock(&q->lock);
    return m;
}

struct msg *queue_wait_pop(struct queue *q, int timeout_ms)
{
    struct timespec deadline;
    if (timeout_ms > 0) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += timeout_ms / 1000;
        deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&q->lock);
    while (!q->head && !q->closed && timeout_ms != 0) {
        if (timeout_ms < 0) {
            pthread_cond_wait(&q->nonempty, &q->lock);
        } else if (pthread_cond_timedwait(&q->nonempty, &q->lock, &deadline) ==
                   ETIMEDOUT) {
            break;
        }
    }
    struct msg *m = q->head ? take_head(q) : NULL;
    pthread_mutex_unlock(&q->lock);
    return m;
}

void queue_close(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    if (!q->closed) {
        fd_raise(q); /* before setting closed: fd_lower is a no-op after */
        q->closed = true;
        pthread_cond_broadcast(&q->nonempty);
    }
    pthread_mutex_unlock(&q->lock);
}

bool queue_is_closed(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    bool closed = q->closed;
    pthread_mutex_unlock(&q->lock);
    return closed;
}

size_t queue_length(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    size_t n = q->length;
    pthread_mutex_unlock(&q->lock);
    return n;
}

int queue_wake_fd(const struct queue *q)
{
    return q->fd;
}
