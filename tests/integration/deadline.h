/* deadline: the monotonic clock the integration tests time and bound their
 * waits with, reading one line of a child process's output before a
 * deadline (the simulator's VAULT_ADDR=, a helper's READY), starting a
 * server child with its output in a log file, and reaping a child within a
 * deadline. */
#ifndef ACMETOP_TESTS_DEADLINE_H
#define ACMETOP_TESTS_DEADLINE_H

#include <stddef.h>
#include <sys/types.h>

/* Seconds on CLOCK_MONOTONIC. */
double now_s(void);

/* Read one line from fd (byte by byte, so nothing past it is consumed),
 * waiting until `deadline` (now_s() time). The newline (and a '\r' before
 * it) is dropped; a longer line is cut to cap - 1 bytes. Returns 0, or -1
 * on EOF or timeout. */
int read_line(int fd, char *buf, size_t cap, double deadline);

/* Start argv[0] (a path) with argv as a child in a process group of its
 * own: stdin /dev/null, stdout and stderr to log_path (0600, truncated); it
 * gets SIGTERM when the calling thread ends, so a failed test leaves no
 * orphan.  Returns its pid, or -1. */
pid_t spawn_logged(char *const argv[], const char *log_path);

/* Wait up to `seconds` for child pid to exit (after the caller asked it
 * to: SIGTERM, or EOF on its input), then SIGKILL it; it is reaped either
 * way.  pid <= 0 does nothing. */
void reap_child(pid_t pid, double seconds);

#endif
