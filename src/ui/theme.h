/* theme: the console's colours as data. A theme gives every element of the
 * screen (a "slot": header, selected row, each order status...) a style:
 * foreground, background and attributes. Themes are small text files
 * (the files themes/NAME.theme, one `slot = style` per line, see themes/default.theme);
 * this module parses them and finds them by name, and holds the built-in
 * default and monochrome themes. No curses here (colors.c applies a theme to
 * the terminal), so parsing is unit-tested. */
#ifndef ACMETOP_UI_THEME_H
#define ACMETOP_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

enum theme_slot {
    THEME_NORMAL,          /* "normal": pane text */
    THEME_HEADER,          /* "header": the two header rows */
    THEME_HEADER_LABEL,    /* "header.label": words like "mount" in the header */
    THEME_TITLE,           /* "title": pane titles and column titles */
    THEME_TITLE_FOCUS,     /* "title.focus": the title of the focused pane */
    THEME_SELECTED,        /* "selected": selected row of the focused pane */
    THEME_SELECTED_DIM,    /* "selected.unfocused": selected row elsewhere */
    THEME_LABEL,           /* "label": field names in the detail pane */
    THEME_VALUE,           /* "value": values to deploy or copy */
    THEME_DIM,             /* "dim": secondary text */
    THEME_ERROR,           /* "error": last_error and failures */
    THEME_WARNING,         /* "warning": expiring soon, degraded */
    THEME_OK,              /* "ok": connected, valid */
    THEME_STALE,           /* "stale": the stale mark */
    THEME_STATUS_NEW,      /* "status.new" */
    THEME_STATUS_SUBMITTED,/* "status.submitted" */
    THEME_STATUS_AWAITING, /* "status.awaiting" */
    THEME_STATUS_FETCHING, /* "status.fetching" */
    THEME_STATUS_COMPLETED,/* "status.completed" */
    THEME_STATUS_ERROR,    /* "status.error" */
    THEME_STATUS_EXPIRED,  /* "status.expired" */
    THEME_STATUS_REVOKED,  /* "status.revoked" */
    THEME_STATUS_UNKNOWN,  /* "status.unknown" */
    THEME_STATUS_VAULT,    /* "status.vault": Vault fulfils dns-01 itself */
    THEME_LEGEND_KEY,      /* "legend.key": keys in the function bar */
    THEME_LEGEND_LABEL,    /* "legend.label" */
    THEME_MESSAGE,         /* "message": the message line */
    THEME_MESSAGE_ERROR,   /* "message.error" */
    THEME_DIALOG,          /* "dialog": dialogs and the help screen */
    THEME_DIALOG_TITLE,    /* "dialog.title" */
    THEME_INPUT,           /* "input": the filter being typed */
    THEME_BORDER,          /* "border": lines between panes */
    THEME_SLOT_COUNT
};

#define THEME_COLOR_DEFAULT (-1) /* the terminal's own colour */

enum {
    THEME_ATTR_BOLD = 1u << 0,
    THEME_ATTR_DIM = 1u << 1,
    THEME_ATTR_REVERSE = 1u << 2,
    THEME_ATTR_UNDERLINE = 1u << 3,
    THEME_ATTR_STANDOUT = 1u << 4,
};

struct theme_style {
    short fg, bg;    /* THEME_COLOR_DEFAULT or 0..255 (0-7 basic, 8-15 bright) */
    unsigned attrs;  /* THEME_ATTR_* */
};

struct theme {
    char name[64];   /* what it was called (file name without .theme) */
    struct theme_style style[THEME_SLOT_COUNT];
};

#define THEME_ERROR_MAX 600

/* The slot's name in theme files ("status.awaiting"); NULL if out of range. */
const char *theme_slot_name(enum theme_slot s);

/* The built-in themes: "default" (same as themes/default.theme) and
 * "monochrome" (attributes only: used when colours are off). */
void theme_default(struct theme *t);
void theme_monochrome(struct theme *t);

/* Parse a theme text. Starts from the built-in default, so a file only
 * needs the slots it changes. source names the text in messages. Returns 0,
 * or -1 with err = "SOURCE:LINE: what is wrong" (THEME_ERROR_MAX bytes) and
 * t reset to the default. */
int theme_parse(const char *text, const char *source, struct theme *t, char *err);

/* Read and parse a file (at most 64 KiB). Same contract; err names the
 * path (and the line). */
int theme_load_file(const char *path, struct theme *t, char *err);

/* Find a theme: a value containing '/' or ending in ".theme" is a path;
 * otherwise NAME.theme is searched in dirs[0..n) (the first that exists).
 * Returns a newly allocated path, or NULL (err says where it looked). */
char *theme_locate(const char *name, const char *const *dirs, size_t n, char *err);

/* The directories searched for themes by name, in order:
 * $XDG_CONFIG_HOME/acmetop/themes (or ~/.config/acmetop/themes), ./themes
 * (running from the source tree), the executable's ../themes and
 * ../../themes, and ACMETOP_DATADIR/themes (installed). Newly allocated
 * strings in dirs (up to THEME_DIRS_MAX); returns how many. */
#define THEME_DIRS_MAX 6
size_t theme_search_dirs(char **dirs);

/* Everything together, as the console does it: name NULL or "default" with
 * no default.theme found -> built-in default; else locate and load. On any
 * problem t is the default and *notice a sentence for the message line
 * (newly allocated; NULL when all went well). */
void theme_resolve(const char *name, struct theme *t, char **notice);

/* Reduce a colour to a terminal with ncolors colours (8, 16, 88, 256):
 * bright colours on 8-colour terminals become the basic colour (*bold set),
 * 256-palette colours the nearest basic one. */
short theme_color_reduce(short color, int ncolors, bool *bold);

#endif
