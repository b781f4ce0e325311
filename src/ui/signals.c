/* signals: flags + self-pipe for the main loop (see signals.h). */
#include "ui/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t quit_sig, winched;
static int pipe_fds[2] = {-1, -1};
static const int handled[] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH};
#define NHANDLED (sizeof handled / sizeof handled[0])
static struct sigaction old_actions[NHANDLED], old_pipe;

static void on_signal(int sig)
{
    int saved = errno;
    if (sig == SIGWINCH)
        winched = 1;
    else
        quit_sig = sig;
    if (pipe_fds[1] >= 0) {
        char b = 1;
        ssize_t w = write(pipe_fds[1], &b, 1); /* full pipe: a wake-up is pending anyway */
        (void)w;
    }
    errno = saved;
}

int signals_install(void)
{
    if (pipe(pipe_fds) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(pipe_fds[i], F_SETFL, fcntl(pipe_fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(pipe_fds[i], F_SETFD, FD_CLOEXEC);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NHANDLED; i++)
        sigaction(handled[i], &sa, &old_actions[i]);
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old_pipe);
    return 0;
}

void signals_restore(void)
{
    for (size_t i = 0; i < NHANDLED; i++)
        sigaction(handled[i], &old_actions[i], NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    for (int i = 0; i < 2; i++) {
        if (pipe_fds[i] >= 0)
            close(pipe_fds[i]);
        pipe_fds[i] = -1;
    }
}

void signals_block(bool block)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < NHANDLED; i++)
        sigaddset(&set, handled[i]);
    pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

int signals_fd(void)
{
    return pipe_fds[0];
}

void signals_take(int *quit_signal, bool *resized)
{
    char buf[64];
    while (pipe_fds[0] >= 0 && read(pipe_fds[0], buf, sizeof buf) > 0)
        ;
    *quit_signal = quit_sig;
    *resized = winched != 0;
    winched = 0;
}
