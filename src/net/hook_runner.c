/* hook_runner: /bin/sh -c with a given environment, a timeout and the
 * first line of output (see hook_runner.h). */
#include "net/hook_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/clock.h"
#include "model/text_sanitize.h"

#define KILL_GRACE_MS 1000

/* In the child: close every descriptor >= 3, close-on-exec or not.  Only
 * async-signal-safe calls: fd_max was read before the fork. */
static void close_from_3(long fd_max)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3u, ~0u, 0u) == 0)
        return;
#endif
    for (long fd = 3; fd < fd_max; fd++)
        close((int)fd);
}

static long open_max(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur == RLIM_INFINITY)
        return 65536;
    return (long)r.rlim_cur;
}

static long long mono_ms(void)
{
    return clock_mono_ms(clock_system());
}

/* Keep the first line of what the hook writes; read (and drop) the rest
 * so that it never blocks on a full pipe.  True at the end of the output. */
static bool take_output(int fd, struct hook_outcome *out, size_t *len, bool *line_done)
{
    char buf[4096];
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < r && !*line_done; i++) {
            if (buf[i] == '\n') {
                *line_done = true;
                break;
            }
            if (*len < HOOK_LINE_MAX)
                out->line[(*len)++] = buf[i];
        }
    }
    out->line[*len] = '\0';
    return r == 0;
}

void hook_runner_run(const char *command, char *const *env, long timeout_ms,
                     struct hook_outcome *out)
{
    memset(out, 0, sizeof *out);
    out->exit_status = -1;
    int fds[2];
    if (pipe(fds) != 0) { /* the child closes what it does not need: close_from_3 */
        snprintf(out->line, sizeof out->line, "cannot create a pipe: %s", strerror(errno));
        return;
    }
    char *const argv[] = {"sh", "-c", (char *)command, NULL};
    long fd_max = open_max();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(out->line, sizeof out->line, "cannot fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        setpgid(0, 0); /* its own group: a timeout ends its children too */
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, STDIN_FILENO);
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close_from_3(fd_max);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        execve("/bin/sh", argv, env);
        _exit(127);
    }
    setpgid(pid, pid); /* also here: no race with the kill below */
    out->started = true;
    close(fds[1]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    size_t len = 0;
    bool line_done = false, eof = false;
    long long deadline = mono_ms() + timeout_ms, kill_at = 0;
    int status = 0;
    for (;;) {
        pid_t got = waitpid(pid, &status, WNOHANG);
        if (got == pid)
            break;
        if (got < 0 && errno != EINTR)
            break;
        long long now = mono_ms();
        if (!out->timed_out && now >= deadline) {
            out->timed_out = true;
            kill(-pid, SIGTERM);
            kill_at = now + KILL_GRACE_MS;
        } else if (kill_at && now >= kill_at) {
            kill(-pid, SIGKILL);
            kill_at = 0;
        }
        if (!eof) {
            struct pollfd p = {.fd = fds[0], .events = POLLIN};
            if (poll(&p, 1, 20) > 0)
                eof = take_output(fds[0], out, &len, &line_done);
        } else { /* its output closed (or handed to a child): wait for the exit */
            struct timespec ts = {0, 20 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    if (!eof)
        take_output(fds[0], out, &len, &line_done);
    close(fds[0]);
    if (WIFEXITED(status)) {
        out->exit_status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        out->signal = WTERMSIG(status);
    }
    text_sanitize(out->line, false);
}

void hook_outcome_text(const struct hook_outcome *o, long timeout_ms, char *buf, size_t size)
{
    if (!o->started)
        snprintf(buf, size, "could not start: %s", o->line);
    else if (o->timed_out)
        snprintf(buf, size, "timed out after %gs", (double)timeout_ms / 1000.0);
    else if (o->signal)
        snprintf(buf, size, "killed by signal %d", o->signal);
    else if (o->exit_status == 127)
        snprintf(buf, size, "exit 127 (command not found?)");
    else
        snprintf(buf, size, "exit %d", o->exit_status);
}
