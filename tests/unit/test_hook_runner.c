/* test_hook_runner: an on_change command as the hook thread runs it: its
 * exit status and first line of output, exactly the environment given
 * (not the process's VAULT_TOKEN), no descriptor of acmetop's left open in
 * it, and a command that outlives hook_timeout killed with its children. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/clock.h"
#include "net/hook_runner.h"

static char *env_path[] = {"PATH=/usr/bin:/bin", NULL};

static void test_status_and_first_line(void **state)
{
    (void)state;
    struct hook_outcome o;
    hook_runner_run("echo 'deployed \033[31mwww'; echo second; exit 3", env_path, 5000, &o);
    assert_true(o.started);
    assert_false(o.timed_out);
    assert_int_equal(o.exit_status, 3);
    assert_string_equal(o.line, "deployed ?[31mwww"); /* sanitised for the message line */
    char text[300];
    hook_outcome_text(&o, 5000, text, sizeof text);
    assert_string_equal(text, "exit 3");
    hook_runner_run("echo to stderr >&2", env_path, 5000, &o);
    assert_int_equal(o.exit_status, 0);
    assert_string_equal(o.line, "to stderr");
    hook_runner_run("kill -9 $$", env_path, 5000, &o);
    assert_int_equal(o.signal, 9);
    hook_outcome_text(&o, 5000, text, sizeof text);
    assert_string_equal(text, "killed by signal 9");
}

static void test_environment_and_descriptors(void **state)
{
    (void)state;
    setenv("VAULT_TOKEN", "s.must-not-leak", 1);
    int fd = open("/dev/null", O_RDONLY); /* not close-on-exec */
    assert_true(fd >= 3);
    char cmd[200];
    snprintf(cmd, sizeof cmd,
             "printf '%%s|%%s|' \"$ACMETOP_STATUS\" \"$VAULT_TOKEN\"; "
             "[ -e /proc/$$/fd/%d ] && echo open || echo closed", fd);
    char *env[] = {"PATH=/usr/bin:/bin", "ACMETOP_STATUS=completed", NULL};
    struct hook_outcome o;
    hook_runner_run(cmd, env, 5000, &o);
    assert_int_equal(o.exit_status, 0);
    assert_string_equal(o.line, "completed||closed");
    close(fd);
    unsetenv("VAULT_TOKEN");
}

/* The process is gone (or a zombie waiting for whoever inherited it). */
static bool gone(int pid)
{
    assert_true(pid > 1);
    for (int i = 0; i < 100; i++) {
        char path[64], buf[512] = "";
        snprintf(path, sizeof path, "/proc/%d/stat", pid);
        FILE *f = fopen(path, "r");
        if (!f)
            return true;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        const char *close_paren = strrchr(buf, ')');
        if (close_paren && close_paren[1] == ' ' && close_paren[2] == 'Z')
            return true;
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return false;
}

static void test_timeout_kills_the_group(void **state)
{
    (void)state;
    long long t0 = clock_mono_ms(clock_system());
    struct hook_outcome o;
    /* the shell's child goes with it: the whole group is killed */
    hook_runner_run("sleep 30 & echo $!; wait", env_path, 300, &o);
    long long took = clock_mono_ms(clock_system()) - t0;
    assert_true(o.timed_out);
    assert_true(took >= 300 && took < 2500);
    assert_true(gone(atoi(o.line)));
    char text[100];
    hook_outcome_text(&o, 300, text, sizeof text);
    assert_string_equal(text, "timed out after 0.3s");
    /* a shell that ignores SIGTERM is killed a second later */
    t0 = clock_mono_ms(clock_system());
    hook_runner_run("trap '' TERM; while :; do sleep 0.05; done", env_path, 200, &o);
    took = clock_mono_ms(clock_system()) - t0;
    assert_true(o.timed_out);
    assert_int_equal(o.signal, 9);
    assert_true(took >= 1200 && took < 4000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_and_first_line),
        cmocka_unit_test(test_environment_and_descriptors),
        cmocka_unit_test(test_timeout_kills_the_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
