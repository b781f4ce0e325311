/* fuzz_theme: theme files (themes/NAME.theme, or any file an operator
 * names with --theme) through ui/theme.c: theme_parse() on the text and
 * theme_load_file() on the same bytes as a file (an in-memory file opened
 * by its /proc/self/fd path), then theme_color_reduce() on every colour.
 * Checks: no crash, leak or hang; a theme that loads has every colour in
 * -1..255 and only known attributes, and each colour reduces into the
 * terminal's range (8, 16, 88, 256 colours); a refused theme is exactly the
 * built-in default and its error names the source and fits THEME_ERROR_MAX;
 * the file and the text give the same answer (a file with a NUL byte or
 * over 64 KiB is refused as such). */
#define _GNU_SOURCE /* memfd_create */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "ui/theme.h"

#define ATTR_ALL                                                                   \
    (THEME_ATTR_BOLD | THEME_ATTR_DIM | THEME_ATTR_REVERSE | THEME_ATTR_UNDERLINE | \
     THEME_ATTR_STANDOUT)

static void check_color(short c)
{
    FUZZ_CHECK(c >= THEME_COLOR_DEFAULT && c <= 255, "colour %d", c);
    static const int terms[] = {8, 16, 88, 256};
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        bool bold;
        short r = theme_color_reduce(c, terms[i], &bold);
        FUZZ_CHECK(r >= THEME_COLOR_DEFAULT && r < terms[i],
                   "colour %d reduces to %d on a %d-colour terminal", c, r, terms[i]);
    }
}

static void check_theme(int rc, const struct theme *t, const char *err, const char *source)
{
    FUZZ_CHECK(memchr(err, '\0', THEME_ERROR_MAX), "the error is not terminated");
    if (rc == 0) {
        for (int i = 0; i < THEME_SLOT_COUNT; i++) {
            check_color(t->style[i].fg);
            check_color(t->style[i].bg);
            FUZZ_CHECK((t->style[i].attrs & ~(unsigned)ATTR_ALL) == 0, "attributes %#x",
                       t->style[i].attrs);
        }
        return;
    }
    FUZZ_CHECK(strncmp(err, source, strlen(source)) == 0 && err[strlen(source)] == ':',
               "the error does not name its source: %s", err);
    struct theme def;
    theme_default(&def);
    FUZZ_CHECK(memcmp(def.style, t->style, sizeof def.style) == 0,
               "a refused theme is not the default");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);
    struct theme t;
    char err[THEME_ERROR_MAX];
    int fd = memfd_create("fuzz.theme", 0);
    FUZZ_CHECK(fd >= 0, "memfd_create failed");
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);

    int rc = theme_parse(text, path, &t, err);
    check_theme(rc, &t, err, path);

    FUZZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size, "write failed");
    struct theme tf;
    char errf[THEME_ERROR_MAX];
    int rcf = theme_load_file(path, &tf, errf);
    check_theme(rcf, &tf, errf, path);
    if (!memchr(data, '\0', size) && size <= 64 * 1024) {
        FUZZ_CHECK(rc == rcf, "the text gives %d, the file %d", rc, rcf);
        FUZZ_CHECK(memcmp(t.style, tf.style, sizeof t.style) == 0,
                   "the text and the file give other styles");
        FUZZ_CHECK(strcmp(err, errf) == 0, "the text says \"%s\", the file \"%s\"", err, errf);
    } else {
        FUZZ_CHECK(rcf == -1, "a file with a NUL byte or over 64 KiB is accepted");
    }
    close(fd);
    free(text);
    return 0;
}
