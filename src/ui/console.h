/* console: the interactive console (`acmetop` without --once): starts the
 * worker thread, sets up the terminal (ncurses), and runs the main loop that
 * sleeps in poll() on the keyboard, the worker's update queue and signals
 * until the operator quits. Any exit (q, Ctrl-C, SIGTERM, SIGHUP, a fatal
 * error) leaves the terminal as it was. */
#ifndef ACMETOP_UI_CONSOLE_H
#define ACMETOP_UI_CONSOLE_H

#include "net/vault_config.h"

/* Runs the console until the operator quits. cfg stays the caller's.
 * Returns the process exit status: 0 after q, 128 + N after signal N,
 * 1 when the worker cannot start, 2 when stdin/stdout is not a terminal. */
int console_run(const struct vault_config *cfg);

#endif
