/* preflight_jobs: pre-flight checks on threads of their own, results as
 * messages (see preflight_jobs.h). */
#include "net/preflight_jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/xalloc.h"

/* The longest preflight_jobs_stop() waits beyond the longest timeout. */
#define STOP_GRACE_MS 1000

struct preflight_jobs {
    pthread_mutex_t lock;
    pthread_cond_t idle;
    struct queue *updates; /* NULL once stopped: results are dropped */
    unsigned running;
    long longest_ms;       /* longest timeout of a check started */
    bool orphaned;         /* stop gave up waiting: the last job frees */
};

struct job {
    struct preflight_jobs *owner;
    struct preflight_options options;
    uint64_t request_id;
    char *order_id, *identifier, *type, *token, *key_authorization;
};

struct preflight_jobs *preflight_jobs_new(struct queue *updates)
{
    struct preflight_jobs *j = xcalloc(1, sizeof *j);
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->idle, NULL);
    j->updates = updates;
    return j;
}

static void jobs_destroy(struct preflight_jobs *j)
{
    pthread_cond_destroy(&j->idle);
    pthread_mutex_destroy(&j->lock);
    free(j);
}

static void job_free(struct job *job)
{
    preflight_options_free(&job->options);
    free(job->order_id);
    free(job->identifier);
    free(job->type);
    free(job->token);
    free(job->key_authorization);
    free(job);
}

static enum msg_check check_of(enum preflight_status s)
{
    switch (s) {
    case PREFLIGHT_OK: return MSG_CHECK_OK;
    case PREFLIGHT_MISMATCH: return MSG_CHECK_MISMATCH;
    case PREFLIGHT_UNREACHABLE: break;
    }
    return MSG_CHECK_UNREACHABLE;
}

static struct msg *result_msg(const struct job *job, const struct preflight_result *r)
{
    struct msg *m = msg_new_preflight(job->request_id, job->order_id, job->identifier,
                                      job->type, check_of(r->status), r->expected, r->found,
                                      r->why, r->where);
    char servers[PREFLIGHT_DNS_ROWS_MAX * 2 * PREFLIGHT_TEXT_MAX + PREFLIGHT_TEXT_MAX];
    preflight_dns01_rows_text(r, servers, sizeof servers);
    msg_preflight_set_servers(m, servers);
    return m;
}

/* Hand the result over (or drop it after stop) and leave. */
static void job_finish(struct job *job, struct msg *m)
{
    struct preflight_jobs *j = job->owner;
    pthread_mutex_lock(&j->lock);
    if (j->updates)
        queue_push(j->updates, m);
    else
        msg_free(m);
    j->running--;
    bool last_orphan = j->orphaned && j->running == 0;
    pthread_cond_broadcast(&j->idle);
    pthread_mutex_unlock(&j->lock);
    if (last_orphan)
        jobs_destroy(j);
}

static void *job_main(void *arg)
{
    struct job *job = arg;
    struct preflight_result r;
    preflight_run(&job->options, job->type, job->identifier, job->token,
                  job->key_authorization, &r);
    job_finish(job, result_msg(job, &r));
    job_free(job);
    return NULL;
}

int preflight_jobs_start(struct preflight_jobs *j, const struct preflight_options *o,
                         uint64_t request_id, const char *order_id, const char *identifier,
                         const char *challenge_type, const char *token,
                         const char *key_authorization)
{
    struct job *job = xcalloc(1, sizeof *job);
    job->owner = j;
    preflight_options_copy(&job->options, o);
    job->request_id = request_id;
    job->order_id = xstrdup(order_id);
    job->identifier = xstrdup(identifier);
    job->type = xstrdup(challenge_type);
    job->token = xstrdup(token);
    job->key_authorization = xstrdup(key_authorization);

    pthread_mutex_lock(&j->lock);
    j->running++;
    long t = job->options.timeout_ms > 0 ? job->options.timeout_ms : PREFLIGHT_DEFAULT_TIMEOUT_MS;
    if (t > j->longest_ms)
        j->longest_ms = t;
    pthread_mutex_unlock(&j->lock);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t th;
    int rc = pthread_create(&th, &attr, job_main, job);
    pthread_attr_destroy(&attr);
    if (rc == 0)
        return 0;

    struct preflight_result r;
    memset(&r, 0, sizeof r);
    r.status = PREFLIGHT_UNREACHABLE;
    snprintf(r.why, sizeof r.why, "cannot start a thread for the check: %s", strerror(rc));
    job_finish(job, result_msg(job, &r));
    job_free(job);
    return -1;
}

void preflight_jobs_stop(struct preflight_jobs *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->lock);
    j->updates = NULL;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    long wait_ms = j->longest_ms + STOP_GRACE_MS;
    deadline.tv_sec += wait_ms / 1000;
    deadline.tv_nsec += (wait_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    while (j->running > 0) {
        if (pthread_cond_timedwait(&j->idle, &j->lock, &deadline) == ETIMEDOUT)
            break;
    }
    bool free_now = j->running == 0;
    if (!free_now)
        j->orphaned = true;
    pthread_mutex_unlock(&j->lock);
    if (free_now)
        jobs_destroy(j);
}
