/* term_guard: the last line of defence for the terminal. If the process
 * dies of a fatal signal (SIGSEGV, SIGABRT from an assertion or an
 * allocation failure, SIGBUS, SIGFPE, SIGILL) while the console owns the
 * terminal, the handler puts back the terminal modes saved at start
 * (tcsetattr) and writes the terminal's own "leave full-screen mode, show
 * the cursor, reset colours, stop mouse reports" strings, prepared in
 * advance: only async-signal-safe calls. Then the previous handler (the
 * default, or a sanitizer's) runs as before. */
#ifndef ACMETOP_UI_TERM_GUARD_H
#define ACMETOP_UI_TERM_GUARD_H

/* Save the terminal modes of fd (before initscr). */
void term_guard_save(int fd);
/* Prepare the reset strings (after initscr: needs the terminfo entry) and
 * install the handlers. */
void term_guard_arm(void);
/* Remove the handlers (after endwin). */
void term_guard_disarm(void);

#endif
