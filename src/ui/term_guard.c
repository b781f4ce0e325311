/* term_guard: restore the terminal on fatal signals (see term_guard.h). */
#include "ui/term_guard.h"

#include <curses.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

static const int fatal[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
#define NFATAL (sizeof fatal / sizeof fatal[0])
static struct sigaction old_actions[NFATAL];
static struct termios saved;
static int saved_fd = -1;
static bool armed;
static char reset[512];
static size_t reset_len;

void term_guard_save(int fd)
{
    if (tcgetattr(fd, &saved) == 0)
        saved_fd = fd;
}

static void append(const char *s)
{
    if (!s || s == (char *)-1)
        return;
    size_t n = strlen(s);
    if (reset_len + n < sizeof reset) {
        memcpy(reset + reset_len, s, n);
        reset_len += n;
    }
}

static void on_fatal(int sig)
{
    if (saved_fd >= 0)
        tcsetattr(saved_fd, TCSANOW, &saved);
    if (reset_len) {
        ssize_t w = write(STDOUT_FILENO, reset, reset_len);
        (void)w;
    }
    for (size_t i = 0; i < NFATAL; i++)
        if (fatal[i] == sig)
            sigaction(sig, &old_actions[i], NULL);
    raise(sig); /* delivered when this handler returns */
}

void term_guard_arm(void)
{
    reset_len = 0;
    append("\033[?1000l\033[?1002l\033[?1006l"); /* mouse reports off */
    append(tigetstr("sgr0"));
    append(tigetstr("cnorm"));
    append(tigetstr("rmkx"));
    append(tigetstr("rmcup"));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NFATAL; i++)
        sigaction(fatal[i], &sa, &old_actions[i]);
    armed = true;
}

void term_guard_disarm(void)
{
    if (!armed)
        return;
    for (size_t i = 0; i < NFATAL; i++)
        sigaction(fatal[i], &old_actions[i], NULL);
    armed = false;
}
