/* colors: theme -> curses colour pairs and attributes (see colors.h). */
#include "ui/colors.h"

#include <stdlib.h>
#include <string.h>

static attr_t slot_attr[THEME_SLOT_COUNT];
static bool in_colour; /* colours_init set colour pairs up */

static attr_t attrs_of(unsigned a)
{
    attr_t r = A_NORMAL;
    if (a & THEME_ATTR_BOLD)
        r |= A_BOLD;
    if (a & THEME_ATTR_DIM)
        r |= A_DIM;
    if (a & THEME_ATTR_REVERSE)
        r |= A_REVERSE;
    if (a & THEME_ATTR_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & THEME_ATTR_STANDOUT)
        r |= A_STANDOUT;
    return r;
}

bool colors_disabled_by_env(void)
{
    const char *v = getenv("NO_COLOR");
    return v && *v;
}

static void use_monochrome(void)
{
    struct theme mono;
    theme_monochrome(&mono);
    for (int i = 0; i < THEME_SLOT_COUNT; i++)
        slot_attr[i] = attrs_of(mono.style[i].attrs);
}

bool colors_init(const struct theme *t)
{
    if (colors_disabled_by_env() || !has_colors() || start_color() == ERR ||
        COLORS < 8 || COLOR_PAIRS < THEME_SLOT_COUNT + 1) {
        use_monochrome();
        return false;
    }
    bool defaults = use_default_colors() == OK;
    for (int i = 0; i < THEME_SLOT_COUNT; i++) {
        const struct theme_style *st = &t->style[i];
        bool bold_fg, bold_bg;
        short fg = theme_color_reduce(st->fg, COLORS, &bold_fg);
        short bg = theme_color_reduce(st->bg, COLORS, &bold_bg);
        if (!defaults) { /* no "default" colour: assume white on black */
            if (fg < 0)
                fg = COLOR_WHITE;
            if (bg < 0)
                bg = COLOR_BLACK;
        }
        init_pair((short)(i + 1), fg, bg);
        slot_attr[i] = COLOR_PAIR(i + 1) | attrs_of(st->attrs) | (bold_fg ? A_BOLD : 0);
    }
    in_colour = true;
    return true;
}

attr_t colors_context_attr(const char *name)
{
    static const char *const names[] = {"black", "red",     "green", "yellow",
                                        "blue",  "magenta", "cyan",  "white"};
    int colour = -1;
    for (int i = 0; name && i < 8; i++)
        if (strcmp(name, names[i]) == 0)
            colour = i; /* COLOR_BLACK .. COLOR_WHITE are 0 .. 7 */
    if (colour < 0)
        return slot_attr[THEME_HEADER] | A_BOLD;
    if (!in_colour || COLOR_PAIRS < THEME_SLOT_COUNT + 10)
        return A_REVERSE | A_BOLD;
    short pair = (short)(THEME_SLOT_COUNT + 1 + colour);
    init_pair(pair, colour == COLOR_BLACK ? COLOR_WHITE : COLOR_BLACK, (short)colour);
    return COLOR_PAIR(pair) | A_BOLD;
}

attr_t colors_attr(enum theme_slot s)
{
    return (unsigned)s < THEME_SLOT_COUNT ? slot_attr[s] : A_NORMAL;
}
