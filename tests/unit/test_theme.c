/* test_theme: theme files: the style syntax, errors that name file and line
 * (and leave the default theme in place), the shipped themes (default and
 * monochrome identical to the built-in ones, light and high-contrast valid
 * and complete), finding a theme by name or path, and reducing colours for
 * 8- and 16-colour terminals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ui/theme.h"

/* The shipped themes, from the repository root or a build directory. */
static const char *themes_dir(void)
{
    static const char *const dirs[] = {"themes", "../themes", "../../themes",
                                       "../../../themes"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/default.theme", dirs[i]);
        if (access(p, R_OK) == 0)
            return dirs[i];
    }
    fail_msg("themes/default.theme not found (run from the repository root)");
    return NULL;
}

static void test_style_syntax(void **state)
{
    (void)state;
    struct theme t;
    char err[THEME_ERROR_MAX];
    assert_int_equal(theme_parse("# comment\n\n"
                                 "selected = black on cyan   # trailing comment\n"
                                 "header = bright-white on 4, bold underline\n"
                                 "dim = DIM\n"
                                 "  error=color196 reverse\n"
                                 "normal = none\n",
                                 "t.theme", &t, err),
                     0);
    const struct theme_style *s = &t.style[THEME_SELECTED];
    assert_int_equal(s->fg, 0);
    assert_int_equal(s->bg, 6);
    assert_int_equal(s->attrs, 0);
    s = &t.style[THEME_HEADER];
    assert_int_equal(s->fg, 15);
    assert_int_equal(s->bg, 4);
    assert_int_equal(s->attrs, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE);
    s = &t.style[THEME_DIM];
    assert_int_equal(s->fg, THEME_COLOR_DEFAULT);
    assert_int_equal(s->attrs, THEME_ATTR_DIM);
    s = &t.style[THEME_ERROR];
    assert_int_equal(s->fg, 196);
    assert_int_equal(s->attrs, THEME_ATTR_REVERSE);
    s = &t.style[THEME_NORMAL];
    assert_int_equal(s->fg, THEME_COLOR_DEFAULT);
    assert_int_equal(s->bg, THEME_COLOR_DEFAULT);
    assert_int_equal(s->attrs, 0);

    /* slots the file leaves out keep the default theme's style */
    struct theme d;
    theme_default(&d);
    assert_memory_equal(&t.style[THEME_STATUS_ERROR], &d.style[THEME_STATUS_ERROR],
                        sizeof(struct theme_style));
}

static void assert_bad(const char *text, const char *expect_in_error)
{
    struct theme t, d;
    char err[THEME_ERROR_MAX];
    assert_int_equal(theme_parse(text, "themes/broken.theme", &t, err), -1);
    if (!strstr(err, expect_in_error))
        fail_msg("error '%s' lacks '%s'", err, expect_in_error);
    theme_default(&d);
    /* the default is used, nothing of the broken file */
    assert_memory_equal(t.style, d.style, sizeof t.style);
}

static void test_errors_name_file_and_line(void **state)
{
    (void)state;
    assert_bad("normal = default\nselected = purple on cyan\n",
               "themes/broken.theme:2: selected: unknown word 'purple'");
    assert_bad("# ok\n\n\nheadr = red\n", "themes/broken.theme:4: unknown element 'headr'");
    assert_bad("header red\n", "themes/broken.theme:1: expected 'element = style'");
    assert_bad("header = red on\n", "themes/broken.theme:1: header: 'on' without a background");
    assert_bad("header = red on blue on green\n", ":1: header: two backgrounds");
    assert_bad("header = red blue\n", ":1: header: colour 'blue' after the foreground");
    assert_bad("header =\n", ":1: 'header' has no style");
    assert_bad("header = 256\n", ":1: header: unknown word '256'");
    assert_bad("header = bright-purple\n", ":1: header: unknown word 'bright-purple'");
    assert_bad("header = red on mauve\n", ":1: header: unknown background colour 'mauve'");
}

static void test_shipped_themes(void **state)
{
    (void)state;
    const char *dir = themes_dir();
    char path[512], err[THEME_ERROR_MAX];
    struct theme t, builtin;

    snprintf(path, sizeof path, "%s/default.theme", dir);
    assert_int_equal(theme_load_file(path, &t, err), 0);
    theme_default(&builtin);
    assert_memory_equal(t.style, builtin.style, sizeof t.style);
    assert_string_equal(t.name, "default");

    snprintf(path, sizeof path, "%s/monochrome.theme", dir);
    assert_int_equal(theme_load_file(path, &t, err), 0);
    theme_monochrome(&builtin);
    assert_memory_equal(t.style, builtin.style, sizeof t.style);
    for (int i = 0; i < THEME_SLOT_COUNT; i++) { /* attributes only */
        assert_int_equal(t.style[i].fg, THEME_COLOR_DEFAULT);
        assert_int_equal(t.style[i].bg, THEME_COLOR_DEFAULT);
    }
    /* the selected row stands out without colour */
    assert_true(t.style[THEME_SELECTED].attrs & THEME_ATTR_REVERSE);

    const char *others[] = {"light", "high-contrast"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s.theme", dir, others[i]);
        if (theme_load_file(path, &t, err) != 0)
            fail_msg("%s", err);
        assert_string_equal(t.name, others[i]);
        /* every slot is set in the file itself: read it line by line */
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        char line[256];
        int seen[THEME_SLOT_COUNT] = {0};
        while (fgets(line, sizeof line, f))
            for (int s = 0; s < THEME_SLOT_COUNT; s++) {
                size_t n = strlen(theme_slot_name(s));
                if (strncmp(line, theme_slot_name(s), n) == 0 &&
                    (line[n] == ' ' || line[n] == '='))
                    seen[s]++;
            }
        fclose(f);
        for (int s = 0; s < THEME_SLOT_COUNT; s++)
            if (seen[s] != 1)
                fail_msg("%s: element %s set %d times", path, theme_slot_name(s), seen[s]);
    }
}

static void test_load_file_errors(void **state)
{
    (void)state;
    struct theme t;
    char err[THEME_ERROR_MAX];
    assert_int_equal(theme_load_file("/nonexistent/x.theme", &t, err), -1);
    assert_non_null(strstr(err, "/nonexistent/x.theme: No such file"));
    char tmpl[] = "/tmp/acmetop-theme-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    const char *text = "normal = default\nlabel = cyan\nvalue = yelow bold\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(theme_load_file(tmpl, &t, err), -1);
    char want[128];
    snprintf(want, sizeof want, "%s:3: value: unknown word 'yelow'", tmpl);
    assert_non_null(strstr(err, want));
    unlink(tmpl);
}

static void test_locate(void **state)
{
    (void)state;
    const char *dir = themes_dir();
    const char *dirs[] = {"/nonexistent-a", dir};
    char err[THEME_ERROR_MAX];
    char *p = theme_locate("light", dirs, 2, err);
    assert_non_null(p);
    char want[256];
    snprintf(want, sizeof want, "%s/light.theme", dir);
    assert_string_equal(p, want);
    free(p);

    /* a path is taken as is */
    p = theme_locate(want, dirs, 2, err);
    assert_string_equal(p, want);
    free(p);

    assert_null(theme_locate("solarized", dirs, 2, err));
    assert_non_null(strstr(err, "no theme 'solarized'"));
    assert_non_null(strstr(err, "/nonexistent-a"));
    assert_null(theme_locate("../etc/passwd x", dirs, 2, err));
    assert_null(theme_locate("x;rm", dirs, 2, err));
    assert_non_null(strstr(err, "use letters"));
    assert_null(theme_locate("/nonexistent/dark.theme", dirs, 2, err));
    assert_non_null(strstr(err, "/nonexistent/dark.theme"));
}

static void test_color_reduce(void **state)
{
    (void)state;
    bool bold;
    assert_int_equal(theme_color_reduce(THEME_COLOR_DEFAULT, 8, &bold), THEME_COLOR_DEFAULT);
    assert_false(bold);
    assert_int_equal(theme_color_reduce(3, 8, &bold), 3);
    assert_false(bold);
    assert_int_equal(theme_color_reduce(11, 8, &bold), 3); /* bright-yellow -> yellow bold */
    assert_true(bold);
    assert_int_equal(theme_color_reduce(11, 16, &bold), 11);
    assert_false(bold);
    assert_int_equal(theme_color_reduce(196, 256, &bold), 196);
    assert_int_equal(theme_color_reduce(196, 8, &bold), 1); /* pure red */
    assert_true(bold);
    assert_int_equal(theme_color_reduce(196, 16, &bold), 9);
    assert_int_equal(theme_color_reduce(21, 8, &bold), 4); /* blue */
    assert_int_equal(theme_color_reduce(16, 8, &bold), 0); /* black */
    assert_int_equal(theme_color_reduce(231, 8, &bold), 7); /* white */
    assert_int_equal(theme_color_reduce(233, 8, &bold), 0); /* dark grey */
    assert_int_equal(theme_color_reduce(250, 16, &bold), 7);
    for (int c = 0; c < 256; c++) {
        short r = theme_color_reduce((short)c, 8, &bold);
        assert_true(r >= 0 && r < 8);
        r = theme_color_reduce((short)c, 16, &bold);
        assert_true(r >= 0 && r < 16);
    }
}

static void test_resolve_falls_back(void **state)
{
    (void)state;
    struct theme t, d;
    char *notice = NULL;
    theme_default(&d);
    theme_resolve("no-such-theme-here", &t, &notice);
    assert_non_null(notice);
    assert_non_null(strstr(notice, "no theme 'no-such-theme-here'"));
    assert_non_null(strstr(notice, "using the default theme: "));
    assert_memory_equal(t.style, d.style, sizeof t.style);
    free(notice);
    theme_resolve(NULL, &t, &notice);
    assert_null(notice);
    assert_memory_equal(t.style, d.style, sizeof t.style);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_style_syntax),
        cmocka_unit_test(test_errors_name_file_and_line),
        cmocka_unit_test(test_shipped_themes),
        cmocka_unit_test(test_load_file_errors),
        cmocka_unit_test(test_locate),
        cmocka_unit_test(test_color_reduce),
        cmocka_unit_test(test_resolve_falls_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
