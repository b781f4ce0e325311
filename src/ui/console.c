/* console: setup, main loop and teardown of the interactive console (see
 * console.h). The loop: apply the worker's updates, read every pending key
 * and mouse event, send the focus hint, draw if anything on screen is out
 * of date (input, a resize, an update that changed what is shown, or a
 * relative time whose text changes: the tick), then sleep in poll() on
 * stdin, the update queue's wake fd and the signal pipe, with a timeout
 * only while something on screen counts (tick) or a debounced challenge
 * fetch is planned. An idle console whose updates change nothing draws
 * nothing. */
#include "ui/console.h"

#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "model/queue.h"
#include "model/clock.h"
#include "ui/actions.h"
#include "ui/colors.h"
#include "ui/console_state.h"
#include "ui/glyphs.h"
#include "ui/layout.h"
#include "ui/mouse.h"
#include "ui/screen.h"
#include "ui/signals.h"
#include "ui/term_guard.h"
#include "ui/theme.h"
#include "ui/tick.h"
#include "ui/views.h"

#define ESC_DELAY_MS 25

struct console {
    struct console_state state;
    struct queue *updates;
    struct layout layout;
    struct tick tick;
};

static bool locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static void terminal_start(void)
{
    set_escdelay(ESC_DELAY_MS);
    initscr();
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    mouseinterval(0);
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
}

static void terminal_resize(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    clearok(curscr, TRUE);
}

static void handle_mouse(struct console *con)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return;
    enum mouse_kind kind;
    if (ev.bstate & BUTTON4_PRESSED)
        kind = MOUSE_WHEEL_UP;
    else if (ev.bstate & BUTTON5_PRESSED)
        kind = MOUSE_WHEEL_DOWN;
    else if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
        kind = MOUSE_CLICK;
    else
        return;
    mouse_handle(&con->state, &con->layout, kind, ev.y, ev.x, console_state_now(&con->state));
}

/* Every key and mouse event ncurses has for us; true if there was any. */
static bool read_input(struct console *con)
{
    bool any = false;
    for (;;) {
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR)
            return any;
        any = true;
        int key;
        if (r == KEY_CODE_YES) {
            if (wc == KEY_MOUSE) {
                handle_mouse(con);
                continue;
            }
            if (wc == KEY_RESIZE)
                continue; /* pushed by our own resizeterm(): the size is known */
            key = ACTION_KEY_FN((int)wc);
        } else {
            key = (int)wc;
        }
        if (key == ACTION_KEY_CTRL('l'))
            clearok(curscr, TRUE);
        if (con->layout.too_small) {
            /* only quitting makes sense on the notice */
            if (key == 'q' || key == ACTION_KEY_FN(KEY_F(10)))
                con->state.quit = true;
            continue;
        }
        actions_handle_key(&con->state, key);
        if (con->state.quit)
            return any;
    }
}

static void drain_updates(struct console *con)
{
    struct msg *m;
    while ((m = queue_pop(con->updates)) != NULL)
        console_state_apply(&con->state, m, console_state_now(&con->state));
}

static int poll_timeout(struct console *con, long autofetch_ms)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int t = tick_timeout_ms(&con->tick, &now);
    if (autofetch_ms >= 0 && (t < 0 || autofetch_ms < t))
        t = (int)autofetch_ms;
    return t;
}

static int run_loop(struct console *con)
{
    struct console_state *c = &con->state;
    int quit_signal = 0;
    bool input_closed = false;
    while (!c->quit) {
        bool resized = false;
        signals_take(&quit_signal, &resized);
        if (quit_signal)
            break;
        if (resized) {
            terminal_resize();
            c->dirty = true;
        }
        drain_updates(con);
        if (read_input(con))
            c->dirty = true;
        if (c->quit)
            break;
        const struct view_ops *view = views_current(c);
        if (view->after_input)
            view->after_input(c);
        time_t now = console_state_now(c);
        console_state_set_now(c, now);
        if (c->dirty || tick_due(&con->tick, now)) {
            c->dirty = false;
            screen_draw(c, &con->layout, now, &con->tick);
        }
        long fetch_ms = view->timer ? view->timer(c, &con->layout, clock_mono_ms(c->clock)) : -1;
        if (c->dirty) /* the timer changed what is shown: draw it at once */
            fetch_ms = 0;

        struct pollfd fds[3] = {
            {.fd = STDIN_FILENO, .events = POLLIN},
            {.fd = queue_wake_fd(con->updates), .events = POLLIN},
            {.fd = signals_fd(), .events = POLLIN},
        };
        int rc = poll(fds, 3, poll_timeout(con, fetch_ms));
        if (rc < 0 && errno != EINTR)
            break;
        if (rc > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) &&
            !(fds[0].revents & POLLIN)) {
            input_closed = true; /* the terminal went away */
            break;
        }
    }
    if (input_closed)
        return 129; /* as if SIGHUP */
    return quit_signal ? 128 + quit_signal : 0;
}

int console_run(const struct console_config *cfg, const struct console_engine *engine)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fputs("acmetop: the console needs a terminal on stdin and stdout; "
              "for scripts use --once (or --once --json)\n",
              stderr);
        return 2;
    }
    struct theme theme;
    char *theme_notice = NULL;
    theme_resolve(cfg->theme, &theme, &theme_notice);
    if (theme_notice) /* also on the shell's screen, readable after quitting */
        fprintf(stderr, "acmetop: %s\n", theme_notice);

    struct console con;
    memset(&con, 0, sizeof con);
    con.updates = engine->updates;
    if (signals_install() != 0) {
        fprintf(stderr, "acmetop: cannot set up signal handling: %s\n", strerror(errno));
        free(theme_notice);
        return 1;
    }
    /* the engine's threads inherit a mask without our signals: they all come
     * to this thread and interrupt its poll() */
    signals_block(true);
    char why[CONSOLE_ENGINE_WHY_MAX] = "";
    int started = engine->start(engine->ctx, why, sizeof why);
    signals_block(false);
    if (started != 0) {
        fprintf(stderr, "acmetop: %s\n", why);
        signals_restore();
        free(theme_notice);
        return 1;
    }

    console_state_init(&con.state, cfg, engine->commands);
    glyphs_use_unicode(locale_is_utf8());
    term_guard_save(STDIN_FILENO);
    terminal_start();
    term_guard_arm();
    colors_init(&theme);
    if (theme_notice)
        console_state_say(&con.state, MESSAGE_ERROR, "%s", theme_notice);
    else if (cfg->warning)
        console_state_say(&con.state, MESSAGE_ERROR, "warning: %s", cfg->warning);
    free(theme_notice);

    int status = run_loop(&con);

    endwin();
    term_guard_disarm();
    signals_restore();
    engine->stop(engine->ctx); /* stops the responder, waits for running checks */
    console_state_free(&con.state);
    return status;
}

const char *console_curses_version(void)
{
    return curses_version();
}
