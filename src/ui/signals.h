/* signals: the console's signals as events for poll(). SIGINT, SIGTERM and
 * SIGHUP ask to quit, SIGWINCH says the terminal was resized; the handlers
 * only set a flag and write a byte to a self-pipe whose read end the main
 * loop polls, so no curses call ever runs in a signal handler. SIGPIPE is
 * ignored (a copy command that exits early must not kill the console). */
#ifndef ACMETOP_UI_SIGNALS_H
#define ACMETOP_UI_SIGNALS_H

#include <stdbool.h>
#include <signal.h>

/* Install the handlers (before initscr, so ncurses keeps its hands off).
 * Returns 0 or -1 (errno set). */
int signals_install(void);
/* Put the previous handlers back and close the pipe. */
void signals_restore(void);

/* Block / unblock the console's signals in the calling thread (block them
 * around starting the worker, so only the main thread receives them). */
void signals_block(bool block);

/* The fd to poll for POLLIN. */
int signals_fd(void);

/* Read and clear what arrived: the quit signal number (0 = none) and
 * whether a resize happened. */
void signals_take(int *quit_signal, bool *resized);

#endif
