/* hook_runner: run an operator's hook command (`on_change`) the way
 * cron would, but bounded: `/bin/sh -c COMMAND` with exactly the
 * environment given (the caller builds it: model/hook_env.h), stdin from
 * /dev/null, stdout and stderr into one pipe of which the first line is
 * kept, every other descriptor closed (libcurl's connections, the
 * responder's sockets), in a process group of its own that is killed
 * (SIGTERM, then SIGKILL a second later) when the timeout passes.
 * Blocks the calling thread until the command ends: call it from a thread
 * of its own (net/hook_service.h). */
#ifndef ACMETOP_NET_HOOK_RUNNER_H
#define ACMETOP_NET_HOOK_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#define HOOK_LINE_MAX 200 /* bytes of the first line kept */

struct hook_outcome {
    bool started;    /* false: fork or pipe failed (line says why) */
    bool timed_out;  /* killed after the timeout */
    int exit_status; /* when it exited: 0..255; -1 when killed by a signal */
    int signal;      /* the signal that ended it, 0 when it exited */
    char line[HOOK_LINE_MAX + 1]; /* the first line of its output, sanitised, "" if none */
};

void hook_runner_run(const char *command, char *const *env, long timeout_ms,
                     struct hook_outcome *out);

/* "exit 0", "exit 3", "killed by signal 9", "timed out after 10s", "could not
 * start: ..." into buf. */
void hook_outcome_text(const struct hook_outcome *o, long timeout_ms, char *buf, size_t size);

#endif
