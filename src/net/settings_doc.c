/* settings_doc: --help, manual and README text from the settings table
 * (see settings_doc.h). */
#include "net/settings_doc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "net/settings_table.h"

#define HELP_INDENT 29
#define HELP_WIDTH 79

enum style { PLAIN, ROFF, MARKDOWN };

static const char *const scope_titles[SETTING_SCOPES] = {
    [SETTING_VAULT] = "Vault connection",
    [SETTING_CONSOLE] = "Console",
    [SETTING_DEPLOY] = "Deploy, verify, collect",
    [SETTING_MONITOR] = "Renewal and monitoring",
};

/* text, escaped for the style: roff's '-' and '\', Markdown's '|'. */
static void put(FILE *out, enum style style, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (style == ROFF && (*p == '-' || *p == '\\'))
            fputs(*p == '-' ? "\\-" : "\\e", out);
        else if (style == MARKDOWN && *p == '|')
            fputs("\\|", out);
        else
            fputc(*p, out);
    }
}

/* A roff font change (B, I, R); nothing in the other styles. */
static void font(FILE *out, enum style style, char f)
{
    if (style == ROFF)
        fprintf(out, "\\f%c", f);
}

static bool repeatable(const struct setting *s)
{
    return s->type == SETTING_NAMES || s->type == SETTING_RESOLVE;
}

/* "--addr URL", "--tls-skip-verify" */
static void put_usage(FILE *out, enum style style, const struct setting *s)
{
    put(out, style, "--");
    put(out, style, s->flag);
    if (!s->flag_sets) {
        fputc(' ', out);
        put(out, style, s->arg);
    }
}

/* The help line with what bounds the value: "order details fetched at
 * once (1 to 64, default 8)".  A flag without argument turns the
 * non-default behaviour on: its default goes without saying; so does the
 * default where a column of its own shows it (with_default false). */
static void put_help(FILE *out, enum style style, const struct setting *s, bool with_default)
{
    const char *def = s->flag_sets || !with_default ? NULL : s->def ? s->def : s->def_doc;
    put(out, style, s->help);
    if ((s->min && s->max) || def) {
        put(out, style, " (");
        if (s->min && s->max) {
            put(out, style, s->min);
            put(out, style, " to ");
            put(out, style, s->max);
            put(out, style, def ? ", " : "");
        }
        if (def) {
            put(out, style, "default ");
            put(out, style, def);
        }
        put(out, style, ")");
    }
    if (repeatable(s))
        put(out, style, " (repeatable)");
}

/* Where else the setting is read: "[addr = URL; VAULT_ADDR]"; in roff
 * "config file: \fBaddr\fR = \fIURL\fR", then on a line of its own
 * "environment: \fBVAULT_ADDR\fR". */
static void put_sources(FILE *out, enum style style, const struct setting *s)
{
    put(out, style, style == ROFF ? "config file: " : "[");
    font(out, style, 'B');
    put(out, style, s->key);
    font(out, style, 'R');
    put(out, style, " = ");
    font(out, style, 'I');
    put(out, style, s->type == SETTING_BOOL ? "true|false" : s->arg);
    font(out, style, 'R');
    if (s->env) {
        if (style == ROFF)
            fputs("\n.br\n", out);
        put(out, style, style == ROFF ? "environment: " : "; ");
        font(out, style, 'B');
        put(out, style, s->env);
        font(out, style, 'R');
    }
    if (style != ROFF)
        put(out, style, "]");
}

void settings_doc_option(FILE *out, const char *usage, const char *text)
{
    int col = fprintf(out, "  %s", usage);
    if (col >= HELP_INDENT - 1) {
        fputc('\n', out);
        col = 0;
    }
    fprintf(out, "%*s", HELP_INDENT - col, "");
    col = HELP_INDENT;
    bool line_start = true;
    for (const char *p = text; *p;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        size_t w = strcspn(p, " \n");
        if (*p == '\n' || (!line_start && col + 1 + (int)w > HELP_WIDTH)) {
            fprintf(out, "\n%*s", HELP_INDENT, "");
            col = HELP_INDENT;
            line_start = true;
            if (*p == '\n') {
                p++;
                continue;
            }
        }
        if (!line_start) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, w, out);
        col += (int)w;
        line_start = false;
        p += w;
    }
    fputc('\n', out);
}

void settings_doc_help(FILE *out)
{
    size_t n;
    const struct setting *rows = settings_table(&n);
    fputs("\nSettings: each flag, then [its line in the config file; its environment\n"
          "variable]. A flag overrides the environment, which overrides the config file\n"
          "($XDG_CONFIG_HOME/acmetop/config, else ~/.config/acmetop/config).\n",
          out);
    for (int scope = 0; scope < SETTING_SCOPES; scope++) {
        fprintf(out, "\n%s:\n", scope_titles[scope]);
        for (size_t i = 0; i < n; i++) {
            if ((int)rows[i].scope != scope || !rows[i].flag)
                continue;
            char *usage = NULL, *text = NULL;
            size_t usage_len, text_len;
            FILE *u = open_memstream(&usage, &usage_len);
            FILE *t = open_memstream(&text, &text_len);
            if (!u || !t) {
                fputs("acmetop: out of memory\n", stderr);
                abort();
            }
            put_usage(u, PLAIN, &rows[i]);
            put_help(t, PLAIN, &rows[i], true);
            fputc('\n', t);
            put_sources(t, PLAIN, &rows[i]);
            fclose(u);
            fclose(t);
            settings_doc_option(out, usage, text);
            free(usage);
            free(text);
        }
    }
}

void settings_doc_man(FILE *out)
{
    size_t n;
    const struct setting *rows = settings_table(&n);
    for (int scope = 0; scope < SETTING_SCOPES; scope++) {
        fprintf(out, ".SS %s\n", scope_titles[scope]);
        for (size_t i = 0; i < n; i++) {
            if ((int)rows[i].scope != scope || !rows[i].flag)
                continue;
            fputs(".TP\n", out);
            if (rows[i].flag_sets) {
                fputs(".B ", out);
                put_usage(out, ROFF, &rows[i]);
            } else {
                fputs(".BI ", out);
                put(out, ROFF, "--");
                put(out, ROFF, rows[i].flag);
                fputs(" \" ", out);
                put(out, ROFF, rows[i].arg);
                fputc('"', out);
            }
            fputc('\n', out);
            put_help(out, ROFF, &rows[i], true);
            fputs("\n.br\n", out);
            put_sources(out, ROFF, &rows[i]);
            fputc('\n', out);
        }
    }
}

void settings_doc_markdown(FILE *out)
{
    size_t n;
    const struct setting *rows = settings_table(&n);
    fputs("| flag | config key | environment | default | meaning |\n", out);
    fputs("|---|---|---|---|---|\n", out);
    for (int scope = 0; scope < SETTING_SCOPES; scope++)
        for (size_t i = 0; i < n; i++) {
            const struct setting *s = &rows[i];
            if ((int)s->scope != scope || !s->flag)
                continue;
            fputs("| `", out);
            put_usage(out, MARKDOWN, s);
            fputs("` | `", out);
            put(out, MARKDOWN, s->key);
            fputs("` | ", out);
            if (s->env)
                fprintf(out, "`%s`", s->env);
            fputs(" | ", out);
            if (s->def || s->def_doc) {
                fputc('`', out);
                put(out, MARKDOWN, s->def ? s->def : s->def_doc);
                fputc('`', out);
            }
            fputs(" | ", out);
            put_help(out, MARKDOWN, s, false);
            fputs(" |\n", out);
        }
}
