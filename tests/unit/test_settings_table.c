/* test_settings_table: the one table of settings and what comes from it.
 * The rows are well formed (unique keys and flags, limits where the type
 * needs them, defaults the row's own type accepts); each type checks its
 * values with its sentence; --help fits 79 columns and lists every flag;
 * doc/acmetop.1 holds the generated settings list verbatim, and it and
 * README.md name every flag, config key and variable.
 *
 * Run with --man or --markdown it prints the manual's settings list or
 * README's settings table instead (to paste after changing the table). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/deploy_config.h"
#include "net/setting_value.h"
#include "net/settings_doc.h"
#include "net/settings_table.h"
#include "net/vault_config.h"

/* A file of the repository (tests run from its root, or from their build
 * directory), NUL-terminated. */
static char *repo_file(const char *name)
{
    static const char *const dirs[] = {".", "..", "../..", "../../.."};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dirs[i], name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        char *buf = calloc(1, 400000);
        size_t n = fread(buf, 1, 399999, f);
        fclose(f);
        buf[n] = '\0';
        return buf;
    }
    fail_msg("%s not found (run from the repository root)", name);
    return NULL;
}

/* What a doc function printed, NUL-terminated. */
static char *doc_text(void (*print)(FILE *))
{
    char *text = NULL;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    print(f);
    fclose(f);
    return text;
}

static bool all_of(const char *s, const char *allowed)
{
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && !strchr(allowed, *s))
            return false;
    return true;
}

static void test_rows_are_well_formed(void **state)
{
    (void)state;
    size_t n;
    const struct setting *rows = settings_table(&n);
    assert_true(n > 20);
    for (size_t i = 0; i < n; i++) {
        const struct setting *s = &rows[i];
        if (!s->key || !s->flag || !s->help || !s->help[0])
            fail_msg("row %zu lacks a key, a flag or its help line", i);
        if (!all_of(s->key, "_") || !all_of(s->flag, "-"))
            fail_msg("%s: keys are lower_case, flags lower-case", s->key);
        if (s->env && strspn(s->env, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") != strlen(s->env))
            fail_msg("%s: variables are UPPER_CASE", s->key);
        if ((s->flag_sets != NULL) == (s->arg != NULL))
            fail_msg("%s: a flag takes an argument (arg) or sets a value (flag_sets)", s->key);
        if (s->flag_sets && s->type != SETTING_BOOL)
            fail_msg("%s: only a yes/no setting has a flag without argument", s->key);
        bool limited = s->type == SETTING_INT || s->type == SETTING_DURATION_MS ||
                       s->type == SETTING_DURATION_S || s->type == SETTING_RATE;
        if (limited != (s->min && s->max))
            fail_msg("%s: numbers and durations have limits, nothing else", s->key);
        if (s->type == SETTING_NAMES && s->count_offset == 0)
            fail_msg("%s: a list of names needs its count's offset", s->key);
        if (s->def && s->def_doc)
            fail_msg("%s: a default is applied (def) or described (def_doc), not both", s->key);
        assert_true(s->scope < SETTING_SCOPES);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(rows[j].key, s->key) == 0 || strcmp(rows[j].flag, s->flag) == 0 ||
                (s->env && rows[j].env && strcmp(rows[j].env, s->env) == 0))
                fail_msg("%s: key, flag and variable must be unique", s->key);
        }
        assert_ptr_equal(settings_table_find_key(s->key), s);
        assert_ptr_equal(settings_table_find_flag(s->flag), s);
    }
    assert_null(settings_table_find_key("token"));
    assert_null(settings_table_find_key("vault_token"));
    assert_null(settings_table_find_flag("token"));
    assert_null(settings_table_find_key(NULL));
    assert_null(settings_table_find_flag("once")); /* mode flags are main's */
}

/* Every default goes through its own row's checks (else _defaults aborts),
 * and the result is what the rest of the program has always assumed. */
static void test_defaults(void **state)
{
    (void)state;
    struct vault_config c;
    memset(&c, 0, sizeof c);
    settings_table_defaults(SETTING_VAULT, &c);
    settings_table_defaults(SETTING_CONSOLE, &c);
    settings_table_defaults(SETTING_MONITOR, &c);
    const char *env[] = {"HOME=/home/op", NULL};
    deploy_config_init(&c.deploy, env);
    assert_string_equal(c.addr, "https://127.0.0.1:8200");
    assert_string_equal(c.mount, "pki-external-ca");
    assert_null(c.namespace_);
    assert_int_equal(c.connect_timeout_ms, 5000);
    assert_int_equal(c.timeout_ms, 30000);
    assert_int_equal(c.parallel, 8);
    assert_true(c.poll_interval_s == 5.0);
    assert_true(c.idle_budget == 0.3);
    assert_true(c.cache);
    assert_int_equal(c.once_deadline_ms, 120000); /* --once ends within 2 minutes */
    assert_false(c.skip_verify);
    assert_string_equal(c.deploy.http01_listen, "0.0.0.0:80");
    assert_true(c.deploy.preflight);
    assert_int_equal(c.deploy.checks.timeout_ms, 5000);
    assert_int_equal(c.deploy.checks.http01_port, 80);
    assert_int_equal(c.deploy.checks.tlsalpn01_port, 443);
    assert_true(c.renew_at.fraction); /* due after two thirds of the lifetime */
    assert_true(c.renew_at.value > 0.6666 && c.renew_at.value < 0.6667);
    assert_true(c.expiry_warn_s == 30 * 86400.0);
    assert_true(c.expiry_crit_s == 7 * 86400.0);
    vault_config_free(&c);
}

/* Each type's checks and sentences, straight on a row. */
static void test_values_by_type(void **state)
{
    (void)state;
    struct vault_config c;
    memset(&c, 0, sizeof c);
    deploy_config_init(&c.deploy, NULL);
    struct parse_error err;
    static const struct {
        const char *key, *value, *error; /* error NULL: accepted */
    } cases[] = {
        {"parallel", "64", NULL},
        {"parallel", "65", "\"65\" is not a number from 1 to 64"},
        {"parallel", " 7x", "\" 7x\" is not a number from 1 to 64"},
        {"preflight_http01_port", "0", "\"0\" is not a port number from 1 to 65535"},
        {"interval", "0.1s", "\"0.1s\" is not an interval from 0.2s to 1h (e.g. 5s, 500ms, 2m)"},
        {"interval", "1h", NULL},
        {"timeout", "2h", "\"2h\" is not a duration from 1ms to 1h"},
        {"preflight_timeout", "500ms", NULL},
        {"skip_verify", "maybe", "\"maybe\" is not a yes/no value (use true or false)"},
        {"skip_verify", "Y", NULL},
        {"addr", "vault:8200", "address \"vault:8200\" must start with https:// or http://"},
        {"addr", "https://v a", "address contains a space or control character"},
        {"mount", "//", "the mount path is empty (default: pki-external-ca)"},
        {"mount", "a,,b", "\"a,,b\": \"\" is not a mount path"},
        {"mount", "a, /b", "\"a, /b\": \"/b\" is not a mount path"},
        {"namespace", "*", NULL},
        {"namespace", "a, b", NULL}, /* not a list: one path, as before */
        {"role", "*", NULL},         /* not "every role": a name like any other */
        {"readonly", "yes", NULL},
        {"context", "prod", NULL},
        {"role", "a/b", "\"a/b\" is not a role name"},
        {"http01_listen", "127.0.0.1", "http01_listen \"127.0.0.1\": the port is missing"},
        {"preflight_dns_server", "127.0.0.1", NULL}, /* port 53 */
        {"preflight_resolve", "x=nowhere", "numeric"},
        {"cert_dir", "", "the certificate directory is empty"},
        {"idle_budget", "0.01", "\"0.01\" is not a number of requests per second from 0.05 to 50"},
        {"idle_budget", "nan", "is not a number of requests per second"},
        {"idle_budget", "1/s", "is not a number of requests per second"},
        {"idle_budget", "2.5", NULL},
        {"cache", "off", NULL},
        {"expiry_warn", "3651d", "\"3651d\" is not a duration from 0s to 3650d"},
        {"expiry_warn", "45d", NULL},
        {"renew_at", "1.5", "\"1.5\" is neither a fraction of the lifetime (2/3, 66%, 0.66) "
                            "nor a duration before expiry (30d, 720h)"},
        {"renew_at", "21d", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct setting *s = settings_table_find_key(cases[i].key);
        assert_non_null(s);
        void *base = s->scope == SETTING_DEPLOY ? (void *)&c.deploy : (void *)&c;
        int rc = setting_value_apply(s, base, cases[i].value, NULL, &err);
        if (!cases[i].error && rc != 0)
            fail_msg("%s = %s refused: %s", cases[i].key, cases[i].value, err.message);
        if (cases[i].error && (rc != -1 || !strstr(err.message, cases[i].error)))
            fail_msg("%s = %s: expected \"%s\", got \"%s\"", cases[i].key, cases[i].value,
                     cases[i].error, rc ? err.message : "(accepted)");
    }
    assert_int_equal(c.parallel, 64);
    assert_true(c.expiry_warn_s == 45 * 86400.0);
    assert_true(!c.renew_at.fraction && c.renew_at.value == 21 * 86400.0);
    assert_true(c.idle_budget == 2.5);
    assert_false(c.cache);
    assert_true(c.poll_interval_s == 3600);
    assert_true(c.skip_verify);
    assert_int_equal(c.deploy.checks.timeout_ms, 500);
    assert_string_equal(c.deploy.checks.dns_server, "127.0.0.1");
    assert_null(c.mount); /* refused values change nothing */
    vault_config_free(&c);
}

static void test_help_lists_every_flag_within_79_columns(void **state)
{
    (void)state;
    char *help = doc_text(settings_doc_help);
    size_t n;
    const struct setting *rows = settings_table(&n);
    for (size_t i = 0; i < n; i++) {
        char want[120];
        snprintf(want, sizeof want, "\n  --%s%s%s", rows[i].flag, rows[i].arg ? " " : "",
                 rows[i].arg ? rows[i].arg : "");
        if (!strstr(help, want))
            fail_msg("--help lacks %s", want + 1);
        snprintf(want, sizeof want, "[%s = ", rows[i].key);
        assert_non_null(strstr(help, want));
    }
    for (const char *line = help; *line;) {
        size_t len = strcspn(line, "\n");
        if (len > 79)
            fail_msg("--help line over 79 columns: %.*s", (int)len, line);
        line += len + (line[len] == '\n');
    }
    free(help);
}

/* The manual holds the generated list verbatim: a row added, changed or
 * removed shows here until doc/acmetop.1 is updated (--man prints it). */
static void test_man_page_holds_the_generated_list(void **state)
{
    (void)state;
    char *man = repo_file("doc/acmetop.1");
    char *list = doc_text(settings_doc_man);
    if (!strstr(man, list))
        fail_msg("doc/acmetop.1 lacks the settings list of the table, or it is out of date: "
                 "paste the output of `build/tests/test_settings_table --man` into its "
                 "OPTIONS section");
    free(list);
    free(man);
}

/* "--flag" as a whole word (not the start of a longer flag). */
static bool mentions_flag(const char *text, const char *flag)
{
    char want[80];
    snprintf(want, sizeof want, "--%s", flag);
    for (const char *p = strstr(text, want); p; p = strstr(p + 1, want)) {
        char next = p[strlen(want)];
        if (!isalnum((unsigned char)next) && next != '-' && next != '_')
            return true;
    }
    return false;
}

static void check_mentions(const char *file, const char *text, const char *flag_prefix,
                           const char *quote)
{
    size_t n;
    const struct setting *rows = settings_table(&n);
    for (size_t i = 0; i < n; i++) {
        char want[120];
        if (!mentions_flag(text, rows[i].flag))
            fail_msg("%s does not mention %s%s", file, flag_prefix, rows[i].flag);
        snprintf(want, sizeof want, "%s%s%s", quote, rows[i].key, quote[0] == '`' ? "`" : "");
        if (!strstr(text, want))
            fail_msg("%s does not mention the config key %s", file, want);
        if (rows[i].env) {
            snprintf(want, sizeof want, "%s%s", quote, rows[i].env);
            if (!strstr(text, want))
                fail_msg("%s does not mention the variable %s", file, rows[i].env);
        }
    }
}

static void test_readme_and_man_page_mention_every_setting(void **state)
{
    (void)state;
    char *readme = repo_file("README.md");
    check_mentions("README.md", readme, "--", "`");
    free(readme);
    /* roff writes "-" as "\-": turn it back before looking */
    char *man = repo_file("doc/acmetop.1");
    size_t k = 0;
    for (size_t i = 0; man[i]; i++) {
        if (man[i] == '\\' && man[i + 1] == '-')
            i++;
        man[k++] = man[i];
    }
    man[k] = '\0';
    check_mentions("doc/acmetop.1", man, "--", "\\fB");
    free(man);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--man") == 0) {
        settings_doc_man(stdout);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--markdown") == 0) {
        settings_doc_markdown(stdout);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_are_well_formed),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values_by_type),
        cmocka_unit_test(test_help_lists_every_flag_within_79_columns),
        cmocka_unit_test(test_man_page_holds_the_generated_list),
        cmocka_unit_test(test_readme_and_man_page_mention_every_setting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
