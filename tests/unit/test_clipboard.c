/* test_clipboard: the OSC 52 sequence (ESC ] 52 ; c ; base64 BEL, checked
 * against known base64, also for values longer than one encoding chunk),
 * what reaches the terminal, and the copy command (value on its stdin, its
 * failure reported with the exit status, no VAULT_* variable and no
 * descriptor beyond 0-2 inherited). */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "model/xalloc.h"
#include "ui/clipboard.h"

static void test_osc52_sequence(void **state)
{
    (void)state;
    char *s = clipboard_osc52("hello", 5);
    assert_string_equal(s, "\033]52;c;aGVsbG8=\a");
    free(s);
    s = clipboard_osc52("", 0);
    assert_string_equal(s, "\033]52;c;\a");
    free(s);
    /* the key authorization of API.md */
    const char *ka = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA."
                     "9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";
    s = clipboard_osc52(ka, strlen(ka));
    assert_string_equal(s, "\033]52;c;ZXZhR3hmQURzNnBTUmIyTEF2OUlaZjE3RHQzanV4R0otUEN0OTJ3ci1"
                           "vQS45amc0NldCM3JSX0FIRC1FQlhkTjdjQmtIMVdPdTB0QTNNOWZtMjFtcVRJ\a");
    free(s);
}

static void test_osc52_long_value_decodes_back(void **state)
{
    (void)state;
    size_t n = 10000; /* several 3 KiB chunks, not a multiple of 3 */
    char *data = xmalloc(n);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)('A' + (i * 7) % 26);
    char *s = clipboard_osc52(data, n);
    size_t len = strlen(s);
    assert_memory_equal(s, "\033]52;c;", 7);
    assert_int_equal(s[len - 1], '\a');
    size_t b64 = len - 8;
    assert_int_equal(b64, 4 * ((n + 2) / 3));
    unsigned char *back = xmalloc(b64);
    int got = EVP_DecodeBlock(back, (const unsigned char *)s + 7, (int)b64);
    assert_true(got >= (int)n); /* DecodeBlock counts the padding bytes too */
    assert_memory_equal(back, data, n);
    free(back);
    free(s);
    free(data);
}

static void test_copy_to_terminal(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    char err[CLIPBOARD_ERROR_MAX];
    assert_int_equal(clipboard_copy(NULL, fds[1], "tok.en", 6, err), 0);
    assert_int_equal(clipboard_copy("", fds[1], "x", 1, err), 0); /* empty = OSC 52 */
    close(fds[1]);
    char buf[128] = {0};
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    assert_true(n > 0);
    assert_string_equal(buf, "\033]52;c;dG9rLmVu\a\033]52;c;eA==\a");
}

static void test_copy_command(void **state)
{
    (void)state;
    char path[64], cmd[128], err[CLIPBOARD_ERROR_MAX];
    snprintf(path, sizeof path, "/tmp/acmetop-clip-%d", (int)getpid());
    snprintf(cmd, sizeof cmd, "cat > %s", path);
    const char *value = "value with 'quotes' and $(no expansion)";
    assert_int_equal(clipboard_copy(cmd, -1, value, strlen(value), err), 0);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char buf[128] = {0};
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    unlink(path);
    assert_int_equal(n, strlen(value));
    assert_string_equal(buf, value);

    assert_int_equal(clipboard_copy("exit 4", -1, "v", 1, err), -1);
    assert_non_null(strstr(err, "exit status 4"));
    assert_int_equal(clipboard_copy("/nonexistent/xclip", -1, "v", 1, err), -1);
    assert_non_null(strstr(err, "not found"));
}

/* A copy command that exits without reading: an error message, and the
 * process is not killed by SIGPIPE (SIGPIPE is left at its default here, as
 * in any program that embeds the console). */
static void test_command_that_does_not_read(void **state)
{
    (void)state;
    char err[CLIPBOARD_ERROR_MAX];
    size_t n = 1 << 20; /* far beyond a pipe's buffer: the write must fail */
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'a', n);
    signal(SIGPIPE, SIG_DFL);
    assert_int_equal(clipboard_copy("exit 0", -1, big, n, err), -1);
    assert_non_null(strstr(err, "did not read the value"));
    free(big);
}

static void read_file(const char *dir, const char *name, char *buf, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0';
}

/* The copy command (xclip, wl-copy: programs that may stay behind to serve
 * the selection after acmetop exits) gets neither the token nor acmetop's
 * descriptors: here a socket pair, a pipe and a file opened without
 * close-on-exec, like libcurl's connections.  The command saves its
 * environment and `ls -l /proc/self/fd` (ls's descriptors: what the
 * command inherited, plus ls's own directory of /proc/PID/fd). */
static void test_copy_command_inherits_no_secret(void **state)
{
    (void)state;
    char dir[] = "/tmp/acmetop-clip-env-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(setenv("VAULT_TOKEN", "s.clipboard-test-secret", 1), 0);
    assert_int_equal(setenv("VAULT_ADDR", "http://127.0.0.1:8200", 1), 0);
    assert_int_equal(setenv("DISPLAY", ":42", 1), 0); /* what xclip needs stays */
    int sv[2], pfd[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(pipe(pfd), 0);
    int file = open("/dev/null", O_RDONLY);
    assert_true(file >= 3);

    char cmd[512], err[CLIPBOARD_ERROR_MAX];
    snprintf(cmd, sizeof cmd, "env > %s/env; ls -l /proc/self/fd/ > %s/fd; cat > %s/value",
             dir, dir, dir);
    int rc = clipboard_copy(cmd, -1, "v", 1, err);
    close(sv[0]);
    close(sv[1]);
    close(pfd[0]);
    close(pfd[1]);
    close(file);
    unsetenv("VAULT_TOKEN");
    unsetenv("VAULT_ADDR");
    unsetenv("DISPLAY");
    assert_int_equal(rc, 0);

    /* read everything, remove the directory, then look */
    static char value[16], env[65536], text[65536];
    read_file(dir, "value", value, sizeof value);
    read_file(dir, "env", env, sizeof env);
    read_file(dir, "fd", text, sizeof text);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    assert_string_equal(value, "v");
    assert_null(strstr(env, "s.clipboard-test-secret"));
    assert_null(strstr(env, "VAULT_"));
    assert_non_null(strstr(env, "DISPLAY=:42\n"));
    assert_non_null(strstr(env, "PATH="));
    /* lines "lr-x------ 1 root root 64 Dec  2 08:00 0 -> pipe:[123]" */
    int fds = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *arrow = strstr(line, " -> ");
        if (!arrow)
            continue; /* "total 0" */
        char *num = arrow;
        while (num > line && num[-1] != ' ')
            num--;
        int fd = atoi(num);
        const char *target = arrow + 4;
        bool ls_own = fd >= 3 && strncmp(target, "/proc/", 6) == 0 &&
                      strcmp(target + strlen(target) - 3, "/fd") == 0;
        if (fd >= 3 && !ls_own)
            print_error("inherited descriptor %s\n", num);
        assert_true(fd < 3 || ls_own);
        fds++;
    }
    assert_int_equal(fds, 4); /* 0, 1, 2 and ls's own */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_osc52_sequence),
        cmocka_unit_test(test_osc52_long_value_decodes_back),
        cmocka_unit_test(test_copy_to_terminal),
        cmocka_unit_test(test_copy_command),
        cmocka_unit_test(test_command_that_does_not_read),
        cmocka_unit_test(test_copy_command_inherits_no_secret),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
