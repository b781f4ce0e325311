/* hook_service: a thread that runs on_change jobs in order (see
 * hook_service.h). */
#include "net/hook_service.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "model/msg.h"
#include "model/strv.h"
#include "model/xalloc.h"
#include "net/hook_runner.h"

struct hook_job {
    struct hook_job *next;
    char **env;
    size_t env_n;
    char *what;
};

struct hook_service {
    const char *command;
    long timeout_ms;
    struct queue *updates;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct hook_job *head, *tail;
    size_t waiting;
    size_t dropped; /* since the last notice about it */
    bool stopping;
};

static void job_free(struct hook_job *j)
{
    strv_free(j->env, j->env_n);
    free(j->what);
    free(j);
}

static void run_job(struct hook_service *s, struct hook_job *j)
{
    struct hook_outcome out;
    hook_runner_run(s->command, j->env, s->timeout_ms, &out);
    char how[HOOK_LINE_MAX + 64];
    hook_outcome_text(&out, s->timeout_ms, how, sizeof how);
    char text[2 * HOOK_LINE_MAX + 400];
    snprintf(text, sizeof text, "on_change %.200s: %s%s%s", j->what, how,
             out.started && out.line[0] ? ": " : "", out.started ? out.line : "");
    bool ok = out.started && !out.timed_out && !out.signal && out.exit_status == 0;
    queue_push(s->updates, msg_new_notice(!ok, text));
}

static void *service_main(void *arg)
{
    struct hook_service *s = arg;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (!s->head && !s->stopping)
            pthread_cond_wait(&s->wake, &s->lock);
        if (s->stopping)
            break;
        struct hook_job *j = s->head;
        s->head = j->next;
        if (!s->head)
            s->tail = NULL;
        s->waiting--;
        size_t dropped = s->dropped;
        s->dropped = 0;
        pthread_mutex_unlock(&s->lock);
        if (dropped) {
            char text[160];
            snprintf(text, sizeof text, "on_change: %zu change(s) dropped: more than %d waited "
                                        "for the hook", dropped, HOOK_SERVICE_QUEUE_MAX);
            queue_push(s->updates, msg_new_notice(true, text));
        }
        run_job(s, j);
        job_free(j);
        pthread_mutex_lock(&s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

struct hook_service *hook_service_start(const char *command, long timeout_ms,
                                        struct queue *updates)
{
    struct hook_service *s = xcalloc(1, sizeof *s);
    s->command = command;
    s->timeout_ms = timeout_ms;
    s->updates = updates;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (pthread_create(&s->thread, NULL, service_main, s) != 0) {
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    return s;
}

void hook_service_submit(struct hook_service *s, char **env, size_t n, const char *what)
{
    struct hook_job *j = xcalloc(1, sizeof *j);
    j->env = env;
    j->env_n = n;
    j->what = xstrdup(what);
    pthread_mutex_lock(&s->lock);
    if (s->waiting >= HOOK_SERVICE_QUEUE_MAX || s->stopping) {
        s->dropped++;
        pthread_mutex_unlock(&s->lock);
        job_free(j);
        return;
    }
    if (s->tail)
        s->tail->next = j;
    else
        s->head = j;
    s->tail = j;
    s->waiting++;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
}

void hook_service_stop(struct hook_service *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    while (s->head) {
        struct hook_job *j = s->head;
        s->head = j->next;
        job_free(j);
    }
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
