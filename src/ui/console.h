/* console: the interactive console (`acmetop` without --once): sets up the
 * terminal (ncurses), starts the engine through the link main.c hands it,
 * and runs the main loop that sleeps in poll() on the keyboard, the
 * engine's update queue and signals until the operator quits. Any exit (q,
 * Ctrl-C, SIGTERM, SIGHUP, a fatal error) leaves the terminal as it was.
 * It knows the engine only as two queues and a start/stop pair: it never
 * sees the token or the Vault client. */
#ifndef ACMETOP_UI_CONSOLE_H
#define ACMETOP_UI_CONSOLE_H

#include <stddef.h>

#include "model/queue.h"
#include "ui/console_config.h"

#define CONSOLE_ENGINE_WHY_MAX 1400

/* How the console reaches the engine (filled by the composition root). */
struct console_engine {
    struct queue *commands;  /* console -> engine */
    struct queue *updates;   /* engine -> console */
    /* Start the engine's threads (called with the console's signals
     * blocked, so they inherit the mask). 0, or -1 with why filled. */
    int (*start)(void *ctx, char *why, size_t why_size);
    /* Stop them (joins; the responder stops, running checks are waited for). */
    void (*stop)(void *ctx);
    void *ctx;
};

/* Runs the console until the operator quits. cfg and engine stay the
 * caller's. Returns the process exit status: 0 after q, 128 + N after
 * signal N, 1 when the engine cannot start, 2 when stdin/stdout is not a
 * terminal. */
int console_run(const struct console_config *cfg, const struct console_engine *engine);

/* The version of the curses library drawing the console ("ncurses 6.4.20221231"). */
const char *console_curses_version(void);

#endif
