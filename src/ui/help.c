/* help: the generated help screen (see help.h). */
#include "ui/help.h"
#include "ui/mouse.h"

#include "model/text_width.h"
#include "ui/actions.h"
#include "ui/views.h"
#include "ui/colors.h"
#include "ui/paint.h"

#define KEY_COL 16

/* A blank line, a title, then text wrapped to the width. */
static void help_section(struct textbuf *tb, const char *title, const char *text)
{
    textbuf_line(tb, -1);
    textbuf_add(textbuf_line(tb, -1), THEME_DIALOG_TITLE, title);
    textbuf_wrap(tb, 0, THEME_DIALOG, text, -1);
}

void help_build(const struct view_ops *view, struct textbuf *tb, size_t width)
{
    textbuf_init(tb, width);
    tb->label_slot = THEME_DIALOG_TITLE;
    if (view && view->help) {
        textbuf_add(textbuf_line(tb, -1), THEME_DIALOG_TITLE, view->title);
        textbuf_wrap(tb, 0, THEME_DIALOG, view->help, -1);
        textbuf_line(tb, -1);
    }
    size_t n = actions_count(view);
    textbuf_add(textbuf_line(tb, -1), THEME_DIALOG_TITLE, "Keys");
    for (size_t i = 0; i < n; i++) {
        const struct action *a = actions_at(view, i);
        char help[512];
        snprintf(help, sizeof help, "%s%s", a->help, a->confirm ? " [asks first]" : "");
        textbuf_field(tb, a->key_label, KEY_COL, THEME_DIALOG, help, -1);
    }
    help_section(tb, "Mouse", mouse_help);
    help_section(tb, "Config",
                 "~/.config/acmetop/config (or $XDG_CONFIG_HOME/acmetop/config): "
                 "theme = default|light|high-contrast|monochrome|PATH, "
                 "copy_command = a command that reads the value on its standard input "
                 "(else OSC 52); the responders, checks and certificate files: "
                 "http01_listen, tlsalpn01_listen, cert_dir, cert_overwrite, preflight, preflight_timeout, "
                 "preflight_http01_port, preflight_tlsalpn01_port, preflight_dns_server, "
                 "preflight_resolve (each also a flag: acmetop --help). "
                 "NO_COLOR=1 turns colours off. See man acmetop.");
    help_section(tb, "Dialogs",
                 "y or Enter answers yes where that is safe, n or Esc cancels. After a failed "
                 "pre-flight check only F and the typed word force fulfill; p checks again. "
                 "Pickers move with j/k; text fields take Backspace, Ctrl-W, Ctrl-U.");
    textbuf_line(tb, -1);
    textbuf_wrap(tb, 0, THEME_DIALOG, "j/k PgUp/PgDn scroll; any other key closes this help.",
                 -1);
}

void help_draw(struct console_state *c, int cols, int rows)
{
    int w = cols - 4 < 100 ? cols - 4 : 100;
    if (w < 20)
        return;
    struct textbuf tb;
    help_build(views_current(c), &tb, (size_t)(w - 4));
    int h = (int)tb.count + 4;
    if (h > rows - 2)
        h = rows - 2;
    int y = (rows - h) / 2, x = (cols - w) / 2;
    attr_t a = colors_attr(THEME_DIALOG);
    for (int i = 0; i < h; i++)
        paint_fill(y + i, x, w, a);
    paint_fill(y, x, w, colors_attr(THEME_DIALOG_TITLE));
    paint_text(y, x + 2, w - 4, colors_attr(THEME_DIALOG_TITLE), " acmetop help ");
    struct rect body = {y + 2, x + 2, h - 3, w - 4};
    size_t max = tb.count > (size_t)body.h ? tb.count - (size_t)body.h : 0;
    if (c->help_scroll > max)
        c->help_scroll = max;
    paint_textbuf(&tb, &body, c->help_scroll, -1, 0, a);
    if (max > 0) {
        char more[32];
        snprintf(more, sizeof more, " %zu/%zu ", c->help_scroll + 1, max + 1);
        paint_text(y + h - 1, x + w - 12, 11, colors_attr(THEME_DIALOG_TITLE), more);
    }
    textbuf_free(&tb);
}
