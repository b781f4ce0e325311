/* theme: slots, styles, theme files (see theme.h). The built-in themes are
 * written in the file syntax and parsed like a file, so the built-in default
 * and themes/default.theme cannot drift apart unnoticed (test_theme). */
#include "ui/theme.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/xalloc.h"

#ifndef ACMETOP_DATADIR
#define ACMETOP_DATADIR "/usr/local/share/acmetop"
#endif

#define THEME_FILE_MAX (64 * 1024)

static const char *const slot_names[THEME_SLOT_COUNT] = {
    "normal", "header", "header.label", "title", "title.focus", "selected",
    "selected.unfocused", "label", "value", "dim", "error", "warning", "ok", "stale",
    "status.new", "status.submitted", "status.awaiting", "status.fetching",
    "status.completed", "status.error", "status.expired", "status.revoked",
    "status.unknown", "status.vault", "legend.key", "legend.label", "message", "message.error", "dialog",
    "dialog.title", "input", "border",
};

/* Keep in step with themes/default.theme (test_theme compares them). */
static const char *const default_specs[THEME_SLOT_COUNT] = {
    [THEME_NORMAL] = "default",
    [THEME_HEADER] = "bright-white on blue",
    [THEME_HEADER_LABEL] = "bright-cyan on blue",
    [THEME_TITLE] = "black on white",
    [THEME_TITLE_FOCUS] = "black on green bold",
    [THEME_SELECTED] = "black on cyan",
    [THEME_SELECTED_DIM] = "bright-white on blue",
    [THEME_LABEL] = "cyan",
    [THEME_VALUE] = "yellow bold",
    [THEME_DIM] = "default dim",
    [THEME_ERROR] = "red bold",
    [THEME_WARNING] = "yellow bold",
    [THEME_OK] = "green",
    [THEME_STALE] = "magenta bold",
    [THEME_STATUS_NEW] = "cyan",
    [THEME_STATUS_SUBMITTED] = "cyan bold",
    [THEME_STATUS_AWAITING] = "yellow bold",
    [THEME_STATUS_FETCHING] = "magenta bold",
    [THEME_STATUS_COMPLETED] = "green",
    [THEME_STATUS_ERROR] = "red bold",
    [THEME_STATUS_EXPIRED] = "default dim",
    [THEME_STATUS_REVOKED] = "magenta",
    [THEME_STATUS_UNKNOWN] = "default bold",
    [THEME_STATUS_VAULT] = "blue bold",
    [THEME_LEGEND_KEY] = "bright-white on black bold",
    [THEME_LEGEND_LABEL] = "black on cyan",
    [THEME_MESSAGE] = "default",
    [THEME_MESSAGE_ERROR] = "red bold",
    [THEME_DIALOG] = "black on white",
    [THEME_DIALOG_TITLE] = "bright-white on blue bold",
    [THEME_INPUT] = "yellow bold",
    [THEME_BORDER] = "blue",
};

/* Keep in step with themes/monochrome.theme. */
static const char *const mono_specs[THEME_SLOT_COUNT] = {
    [THEME_NORMAL] = "default",
    [THEME_HEADER] = "reverse",
    [THEME_HEADER_LABEL] = "reverse bold",
    [THEME_TITLE] = "bold underline",
    [THEME_TITLE_FOCUS] = "reverse bold",
    [THEME_SELECTED] = "reverse",
    [THEME_SELECTED_DIM] = "underline",
    [THEME_LABEL] = "bold",
    [THEME_VALUE] = "bold",
    [THEME_DIM] = "dim",
    [THEME_ERROR] = "bold underline",
    [THEME_WARNING] = "bold",
    [THEME_OK] = "default",
    [THEME_STALE] = "bold",
    [THEME_STATUS_NEW] = "default",
    [THEME_STATUS_SUBMITTED] = "default",
    [THEME_STATUS_AWAITING] = "bold",
    [THEME_STATUS_FETCHING] = "default",
    [THEME_STATUS_COMPLETED] = "default",
    [THEME_STATUS_ERROR] = "bold underline",
    [THEME_STATUS_EXPIRED] = "dim",
    [THEME_STATUS_REVOKED] = "dim",
    [THEME_STATUS_UNKNOWN] = "bold",
    [THEME_STATUS_VAULT] = "default",
    [THEME_LEGEND_KEY] = "bold",
    [THEME_LEGEND_LABEL] = "reverse",
    [THEME_MESSAGE] = "default",
    [THEME_MESSAGE_ERROR] = "bold",
    [THEME_DIALOG] = "reverse",
    [THEME_DIALOG_TITLE] = "reverse bold",
    [THEME_INPUT] = "underline",
    [THEME_BORDER] = "default",
};

static const char *const color_names[8] = {"black", "red", "green", "yellow",
                                           "blue", "magenta", "cyan", "white"};

static const struct {
    const char *name;
    unsigned bit;
} attr_names[] = {
    {"bold", THEME_ATTR_BOLD},           {"dim", THEME_ATTR_DIM},
    {"reverse", THEME_ATTR_REVERSE},     {"underline", THEME_ATTR_UNDERLINE},
    {"standout", THEME_ATTR_STANDOUT},
};

const char *theme_slot_name(enum theme_slot s)
{
    return (unsigned)s < THEME_SLOT_COUNT ? slot_names[s] : NULL;
}

/* A colour word: default, black..white, bright-black..bright-white, grey,
 * 0..255, color0..color255. Returns 0 and *out, or -1. */
static int parse_color(const char *w, short *out)
{
    if (strcmp(w, "default") == 0) {
        *out = THEME_COLOR_DEFAULT;
        return 0;
    }
    if (strcmp(w, "grey") == 0 || strcmp(w, "gray") == 0) {
        *out = 8;
        return 0;
    }
    int base = 0;
    if (strncmp(w, "bright-", 7) == 0) {
        base = 8;
        w += 7;
    }
    for (int i = 0; i < 8; i++)
        if (strcmp(w, color_names[i]) == 0) {
            *out = (short)(base + i);
            return 0;
        }
    if (base)
        return -1;
    if (strncmp(w, "color", 5) == 0)
        w += 5;
    if (!*w || strlen(w) > 3)
        return -1;
    for (const char *p = w; *p; p++)
        if (!isdigit((unsigned char)*p))
            return -1;
    int n = atoi(w);
    if (n > 255)
        return -1;
    *out = (short)n;
    return 0;
}

/* "FG [on BG] [ATTR...]" (commas count as spaces; "none" = no attribute).
 * Returns 0, or -1 with why (the offending word). */
static int parse_style(const char *spec, struct theme_style *st, char *why, size_t why_size)
{
    struct theme_style s = {THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT, 0};
    char buf[256];
    if (strlen(spec) >= sizeof buf) {
        snprintf(why, why_size, "style too long");
        return -1;
    }
    strcpy(buf, spec);
    bool have_fg = false, want_bg = false, have_bg = false;
    for (char *save = NULL, *w = strtok_r(buf, " \t,", &save); w;
         w = strtok_r(NULL, " \t,", &save)) {
        for (char *p = w; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (want_bg) {
            if (parse_color(w, &s.bg) != 0) {
                snprintf(why, why_size, "unknown background colour '%.60s'", w);
                return -1;
            }
            want_bg = false;
            have_bg = true;
            continue;
        }
        if (strcmp(w, "on") == 0) {
            if (have_bg) {
                snprintf(why, why_size, "two backgrounds");
                return -1;
            }
            want_bg = true;
            continue;
        }
        if (strcmp(w, "none") == 0 || strcmp(w, "normal") == 0)
            continue;
        bool is_attr = false;
        for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
            if (strcmp(w, attr_names[i].name) == 0) {
                s.attrs |= attr_names[i].bit;
                is_attr = true;
            }
        if (is_attr)
            continue;
        short c;
        if (parse_color(w, &c) != 0) {
            snprintf(why, why_size,
                     "unknown word '%.60s' (colours: default, black, red, green, yellow, blue, "
                     "magenta, cyan, white, bright-NAME, 0-255; attributes: bold, dim, "
                     "reverse, underline, standout)",
                     w);
            return -1;
        }
        if (have_fg || have_bg) {
            snprintf(why, why_size, "colour '%.60s' after the %s (write FG on BG)", w,
                     have_bg ? "background" : "foreground");
            return -1;
        }
        s.fg = c;
        have_fg = true;
    }
    if (want_bg) {
        snprintf(why, why_size, "'on' without a background colour");
        return -1;
    }
    *st = s;
    return 0;
}

static void theme_from_specs(struct theme *t, const char *name, const char *const *specs)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    for (int i = 0; i < THEME_SLOT_COUNT; i++) {
        char why[THEME_ERROR_MAX];
        if (parse_style(specs[i], &t->style[i], why, sizeof why) != 0)
            abort(); /* a broken built-in theme is a programming error */
    }
}

void theme_default(struct theme *t)
{
    theme_from_specs(t, "default", default_specs);
}

void theme_monochrome(struct theme *t)
{
    theme_from_specs(t, "monochrome", mono_specs);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

int theme_parse(const char *text, const char *source, struct theme *t, char *err)
{
    theme_default(t);
    err[0] = '\0';
    char *copy = xstrdup(text ? text : "");
    int line_no = 0, rc = 0;
    char *line = copy;
    while (line && rc == 0) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        line_no++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        line = next;
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, THEME_ERROR_MAX, "%s:%d: expected 'element = style'", source, line_no);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        int slot = -1;
        for (int i = 0; i < THEME_SLOT_COUNT; i++)
            if (strcmp(key, slot_names[i]) == 0)
                slot = i;
        if (slot < 0) {
            snprintf(err, THEME_ERROR_MAX,
                     "%s:%d: unknown element '%.60s' (see themes/default.theme for the list)",
                     source, line_no, key);
            rc = -1;
            break;
        }
        if (!*value) {
            snprintf(err, THEME_ERROR_MAX, "%s:%d: '%s' has no style", source, line_no, key);
            rc = -1;
            break;
        }
        char why[THEME_ERROR_MAX - 100];
        if (parse_style(value, &t->style[slot], why, sizeof why) != 0) {
            snprintf(err, THEME_ERROR_MAX, "%s:%d: %s: %s", source, line_no, key, why);
            rc = -1;
        }
    }
    free(copy);
    if (rc != 0)
        theme_default(t);
    return rc;
}

int theme_load_file(const char *path, struct theme *t, char *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, THEME_ERROR_MAX, "%s: %s", path, strerror(errno));
        theme_default(t);
        return -1;
    }
    char *buf = xmalloc(THEME_FILE_MAX + 1);
    size_t n = fread(buf, 1, THEME_FILE_MAX + 1, f);
    bool failed = ferror(f);
    fclose(f);
    if (failed || n > THEME_FILE_MAX || memchr(buf, '\0', n)) {
        snprintf(err, THEME_ERROR_MAX, "%s: %s", path,
                 failed ? "cannot be read" : n > THEME_FILE_MAX ? "larger than 64 KiB"
                                                                : "not a text file");
        free(buf);
        theme_default(t);
        return -1;
    }
    buf[n] = '\0';
    int rc = theme_parse(buf, path, t, err);
    free(buf);
    if (rc == 0) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t len = strlen(base);
        if (len > 6 && strcmp(base + len - 6, ".theme") == 0)
            len -= 6;
        if (len >= sizeof t->name)
            len = sizeof t->name - 1;
        memcpy(t->name, base, len);
        t->name[len] = '\0';
    }
    return rc;
}

static bool is_path(const char *name)
{
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 6 && strcmp(name + n - 6, ".theme") == 0);
}

char *theme_locate(const char *name, const char *const *dirs, size_t n, char *err)
{
    err[0] = '\0';
    if (!name || !*name) {
        snprintf(err, THEME_ERROR_MAX, "empty theme name");
        return NULL;
    }
    if (is_path(name)) {
        if (access(name, R_OK) == 0)
            return xstrdup(name);
        snprintf(err, THEME_ERROR_MAX, "theme file %s: %s", name, strerror(errno));
        return NULL;
    }
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.') {
            snprintf(err, THEME_ERROR_MAX,
                     "theme name '%.60s': use letters, digits, '-', '_' or a path", name);
            return NULL;
        }
    size_t used = 0;
    int len = snprintf(err, THEME_ERROR_MAX, "no theme '%s' (looked for %s.theme in", name, name);
    used = len > 0 ? (size_t)len : 0;
    for (size_t i = 0; i < n; i++) {
        size_t sz = strlen(dirs[i]) + strlen(name) + 8;
        char *path = xmalloc(sz);
        snprintf(path, sz, "%s/%s.theme", dirs[i], name);
        if (access(path, R_OK) == 0)
            return path;
        free(path);
        if (used < THEME_ERROR_MAX) {
            len = snprintf(err + used, THEME_ERROR_MAX - used, "%s %s", i ? "," : "", dirs[i]);
            used += len > 0 ? (size_t)len : 0;
        }
    }
    if (used < THEME_ERROR_MAX)
        snprintf(err + used, THEME_ERROR_MAX - used, ")");
    return NULL;
}

size_t theme_search_dirs(char **dirs)
{
    size_t n = 0;
    char buf[PATH_MAX + 32];
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg) {
        snprintf(buf, sizeof buf, "%s/acmetop/themes", xdg);
        dirs[n++] = xstrdup(buf);
    } else if (home && *home) {
        snprintf(buf, sizeof buf, "%s/.config/acmetop/themes", home);
        dirs[n++] = xstrdup(buf);
    }
    dirs[n++] = xstrdup("./themes");
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, sizeof buf, "%s/../themes", exe);
            dirs[n++] = xstrdup(buf);
            snprintf(buf, sizeof buf, "%s/../../themes", exe);
            dirs[n++] = xstrdup(buf);
        }
    }
    dirs[n++] = xstrdup(ACMETOP_DATADIR "/themes");
    return n;
}

void theme_resolve(const char *name, struct theme *t, char **notice)
{
    *notice = NULL;
    theme_default(t);
    const char *want = name && *name ? name : "default";
    char *dirs[THEME_DIRS_MAX];
    size_t n = theme_search_dirs(dirs);
    char err[THEME_ERROR_MAX];
    char *path = theme_locate(want, (const char *const *)dirs, n, err);
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    if (!path) {
        if (strcmp(want, "default") != 0) {
            size_t sz = strlen(err) + 40;
            *notice = xmalloc(sz);
            snprintf(*notice, sz, "using the default theme: %s", err);
        }
        return;
    }
    if (theme_load_file(path, t, err) != 0) {
        size_t sz = strlen(err) + 40;
        *notice = xmalloc(sz);
        snprintf(*notice, sz, "using the default theme: %s", err);
    }
    free(path);
}

short theme_color_reduce(short color, int ncolors, bool *bold)
{
    *bold = false;
    if (color < 0 || color < ncolors)
        return color;
    if (color < 16) { /* bright on an 8-colour terminal */
        *bold = true;
        return (short)(color - 8);
    }
    if (ncolors >= 16 && color >= 232) /* grey ramp */
        return color < 244 ? 8 : 7;
    if (color >= 232) {
        if (color >= 244)
            *bold = color >= 250;
        return color < 244 ? 0 : 7;
    }
    /* the 6x6x6 cube: nearest of the 8 (or 16) basic colours */
    int c = color - 16, r = c / 36, g = (c / 6) % 6, b = c % 6;
    int hi = r > g ? r : g;
    hi = hi > b ? hi : b;
    if (hi == 0)
        return 0;
    int mask = (r * 2 >= hi ? 1 : 0) | (g * 2 >= hi ? 2 : 0) | (b * 2 >= hi ? 4 : 0);
    bool bright = hi >= 4;
    if (bright && ncolors >= 16)
        return (short)(8 + mask);
    *bold = bright;
    return (short)mask;
}
