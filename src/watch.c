/* watch: the engine's updates as JSON lines, headless (see watch.h). */
#include "watch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "model/clock.h"
#include "model/msg.h"
#include "model/queue.h"
#include "model/rfc3339.h"
#include "model/xalloc.h"
#include "net/worker.h"

static int signal_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    if (write(signal_pipe[1], &b, 1) < 0) {
        /* the pipe is full: a signal is already waiting */
    }
    errno = saved;
}

static int signals_catch(void)
{
    if (pipe(signal_pipe) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(signal_pipe[i], F_SETFD, FD_CLOEXEC);
        fcntl(signal_pipe[i], F_SETFL, O_NONBLOCK);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN); /* a closed stdout is an error below, not a death */
    return 0;
}

static void add_time(cJSON *obj, const char *name, time_t t)
{
    char buf[RFC3339_BUF];
    if (t)
        cJSON_AddStringToObject(obj, name, rfc3339_format(t, buf, sizeof buf));
    else
        cJSON_AddNullToObject(obj, name);
}

/* {"time","order_id","role","identifiers","old_status","status","last_error",
 *  "cert_not_after","mount"} on one line. 0, or -1 when out cannot be written. */
static int print_change(const struct msg *m, const char *mount, FILE *out)
{
    const struct order *o = &m->u.status_change.order;
    cJSON *obj = cJSON_CreateObject();
    add_time(obj, "time", clock_wall(clock_system()));
    cJSON_AddStringToObject(obj, "order_id", o->id ? o->id : "");
    cJSON_AddStringToObject(obj, "role", o->role ? o->role : "");
    cJSON *ids = cJSON_AddArrayToObject(obj, "identifiers");
    for (size_t i = 0; i < o->identifier_count; i++)
        cJSON_AddItemToArray(ids, cJSON_CreateString(o->identifiers[i]));
    cJSON_AddStringToObject(obj, "old_status", m->u.status_change.old_status);
    cJSON_AddStringToObject(obj, "status", order_status_display(o));
    cJSON_AddStringToObject(obj, "last_error", o->last_error ? o->last_error : "");
    add_time(obj, "cert_not_after", o->cert_not_after);
    cJSON_AddStringToObject(obj, "mount", mount);
    char *text = cJSON_PrintUnformatted(obj);
    cJSON_Delete(obj);
    int rc = fprintf(out, "%s\n", text) < 0 || fflush(out) != 0 ? -1 : 0;
    cJSON_free(text);
    return rc;
}

/* The connection's state, on stderr when it changes. */
struct conn_seen {
    int state;
    char *text;
};

static void note_connection(struct conn_seen *seen, const struct msg *m, FILE *err)
{
    const char *text = m->u.connection.text ? m->u.connection.text : "";
    if (seen->state == (int)m->u.connection.state && seen->text && strcmp(seen->text, text) == 0)
        return;
    seen->state = (int)m->u.connection.state;
    free(seen->text);
    seen->text = xstrdup(text);
    fprintf(err, "acmetop: %s: %s\n", conn_state_name(m->u.connection.state), text);
    fflush(err);
}

int watch_run(const struct vault_config *cfg, FILE *out, FILE *err)
{
    struct queue *commands = queue_new(), *updates = queue_new();
    if (!commands || !updates || signals_catch() != 0) {
        fprintf(err, "acmetop: cannot start: %s\n", strerror(errno));
        queue_free(commands);
        queue_free(updates);
        return 1;
    }
    struct vault_error verr;
    struct worker *worker = worker_start(cfg, commands, updates, &verr);
    if (!worker) {
        fprintf(err, "acmetop: %s\n", vault_error_sentence(&verr));
        queue_free(commands);
        queue_free(updates);
        return 1;
    }
    int status = 0;
    struct conn_seen seen = {-1, NULL};
    bool stop = false;
    while (!stop) {
        struct pollfd p[2] = {{.fd = queue_wake_fd(updates), .events = POLLIN},
                              {.fd = signal_pipe[0], .events = POLLIN}};
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        if (p[1].revents & POLLIN)
            stop = true;
        struct msg *m;
        while ((m = queue_pop(updates))) {
            if (m->type == UPD_STATUS_CHANGE && !stop && print_change(m, cfg->mount, out) != 0) {
                fprintf(err, "acmetop: cannot write to stdout: %s\n", strerror(errno));
                status = 1;
                stop = true;
            } else if (m->type == UPD_NOTICE) {
                fprintf(err, "acmetop: %s\n", m->u.notice.text);
                fflush(err);
            } else if (m->type == UPD_CONNECTION) {
                note_connection(&seen, m, err);
            }
            msg_free(m);
        }
    }
    worker_stop(worker);
    struct msg *m;
    while ((m = queue_pop(updates))) { /* the last hook's outcome */
        if (m->type == UPD_NOTICE)
            fprintf(err, "acmetop: %s\n", m->u.notice.text);
        msg_free(m);
    }
    free(seen.text);
    queue_free(commands);
    queue_free(updates);
    return status;
}
