/* clipboard: OSC 52 or a copy command (see clipboard.h). */
#include "ui/clipboard.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "model/xalloc.h"

#define COMMAND_TIMEOUT_MS 3000

char *clipboard_osc52(const char *data, size_t len)
{
    static const char head[] = "\033]52;c;", tail[] = "\a";
    size_t b64 = 4 * ((len + 2) / 3);
    char *out = xmalloc(sizeof head - 1 + b64 + sizeof tail);
    memcpy(out, head, sizeof head - 1);
    size_t k = sizeof head - 1;
    /* EVP_EncodeBlock takes an int length: encode in chunks of 3 KiB */
    for (size_t i = 0; i < len; i += 3072) {
        size_t n = len - i < 3072 ? len - i : 3072;
        k += (size_t)EVP_EncodeBlock((unsigned char *)out + k, (const unsigned char *)data + i,
                                     (int)n);
    }
    memcpy(out + k, tail, sizeof tail);
    return out;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

extern char **environ;

/* The environment for the copy command: ours without VAULT_* (VAULT_TOKEN
 * above all; the clipboard program needs none of them).  The strings stay
 * environ's; the caller frees the array. */
static char **command_environment(void)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **env = xcalloc(n + 1, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "VAULT_", 6) != 0)
            env[k++] = environ[i];
    return env;
}

/* In the child: close every descriptor >= 3 (libcurl's connections, the
 * responder's sockets, the cache file, ...), whether close-on-exec or not.
 * Only async-signal-safe calls here: fd_max was read before the fork. */
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

static int run_command(const char *command, const char *data, size_t len, char *err)
{
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(err, CLIPBOARD_ERROR_MAX, "copy command: cannot create a pipe: %s",
                 strerror(errno));
        return -1;
    }
    char **env = command_environment();
    char *const argv[] = {"sh", "-c", (char *)command, NULL};
    long fd_max = open_max();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, CLIPBOARD_ERROR_MAX, "copy command: cannot fork: %s", strerror(errno));
        free(env);
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(fds[0], STDIN_FILENO);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        close_from_3(fd_max); /* the pipe and /dev/null too */
        signal(SIGPIPE, SIG_DFL);
        execve("/bin/sh", argv, env);
        _exit(127);
    }
    free(env);
    close(fds[0]);
    /* A command that exits without reading the value must not kill the
     * console with SIGPIPE: block it in this thread for the write, and
     * swallow the one it raised (EPIPE is reported below instead). */
    sigset_t pipe_set, old_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
    int wrc = write_all(fds[1], data, len);
    int werr = errno;
    close(fds[1]);
    if (wrc != 0 && werr == EPIPE) {
        const struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &old_set, NULL);

    int status = 0;
    pid_t got = 0;
    for (int waited = 0; waited < COMMAND_TIMEOUT_MS; waited += 10) {
        got = waitpid(pid, &status, WNOHANG);
        if (got != 0)
            break;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (got == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        snprintf(err, CLIPBOARD_ERROR_MAX, "copy command '%.100s' did not finish within %d s",
                 command, COMMAND_TIMEOUT_MS / 1000);
        return -1;
    }
    if (got < 0) {
        snprintf(err, CLIPBOARD_ERROR_MAX, "copy command: %s", strerror(errno));
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        snprintf(err, CLIPBOARD_ERROR_MAX, "copy command '%.100s' not found", command);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, CLIPBOARD_ERROR_MAX, "copy command '%.100s' failed (%s %d)", command,
                 WIFEXITED(status) ? "exit status" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return -1;
    }
    if (wrc != 0) {
        snprintf(err, CLIPBOARD_ERROR_MAX, "copy command '%.100s' did not read the value: %s",
                 command, strerror(werr));
        return -1;
    }
    return 0;
}

int clipboard_copy(const char *copy_command, int tty_fd, const char *data, size_t len,
                   char *err)
{
    err[0] = '\0';
    if (copy_command && *copy_command)
        return run_command(copy_command, data, len, err);
    char *seq = clipboard_osc52(data, len);
    int rc = write_all(tty_fd, seq, strlen(seq));
    if (rc != 0)
        snprintf(err, CLIPBOARD_ERROR_MAX, "cannot write to the terminal: %s", strerror(errno));
    free(seq);
    return rc;
}
