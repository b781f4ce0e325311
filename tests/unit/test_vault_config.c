/* test_vault_config: where acmetop's settings come from.  Each test builds
 * a temporary HOME / XDG_CONFIG_HOME with files in it and an explicit
 * environment array, so the process environment never leaks in.  Checks
 * precedence (flags > environment > config file > defaults), the token
 * sources (VAULT_TOKEN, ~/.vault-token, never the config file), that
 * every bad value is refused naming the flag, variable or file:line, and
 * how repeatable settings combine across sources. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* nftw() to remove the temporary tree */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/settings_table.h"
#include "net/vault_config.h"

#define TOKEN "hvs.TESTtokenDoNotPrint42"

/* Point f at these flags, as main() does after getopt: {"addr", "URL"}, ... */
#define FLAGS(f, ...)                                                                  \
    do {                                                                               \
        static const struct setting_arg flags_given_[] = {__VA_ARGS__};                \
        (f).args = flags_given_;                                                       \
        (f).arg_count = sizeof flags_given_ / sizeof flags_given_[0];                  \
    } while (0)

struct fixture {
    char root[256];  /* temp dir */
    char home[300];  /* root/home */
    char xdg[300];   /* root/xdg */
    char env_home[320], env_xdg[320];
    const char *env[32];
    size_t env_n;
};

static void env_add(struct fixture *fx, const char *kv)
{
    assert_true(fx->env_n + 1 < sizeof fx->env / sizeof fx->env[0]);
    fx->env[fx->env_n++] = kv;
    fx->env[fx->env_n] = NULL;
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->root, sizeof fx->root, "/tmp/acmetop-config-test-XXXXXX");
    if (!mkdtemp(fx->root))
        return -1;
    snprintf(fx->home, sizeof fx->home, "%s/home", fx->root);
    snprintf(fx->xdg, sizeof fx->xdg, "%s/xdg", fx->root);
    mkdir(fx->home, 0700);
    mkdir(fx->xdg, 0700);
    snprintf(fx->env_home, sizeof fx->env_home, "HOME=%s", fx->home);
    snprintf(fx->env_xdg, sizeof fx->env_xdg, "XDG_CONFIG_HOME=%s", fx->xdg);
    env_add(fx, fx->env_home);
    *state = fx;
    return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    nftw(fx->root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Write $dir/acmetop/config. */
static void write_config(const char *dir, const char *text, char *path_out, size_t cap)
{
    char d[512], p[600];
    snprintf(d, sizeof d, "%s/acmetop", dir);
    mkdir(d, 0700);
    snprintf(p, sizeof p, "%s/config", d);
    write_file(p, text);
    if (path_out)
        snprintf(path_out, cap, "%s", p);
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle)) {
        print_error("expected \"%s\" in \"%s\"\n", needle, hay ? hay : "(null)");
        fail();
    }
}

static int load(struct fixture *fx, const struct vault_config_flags *flags, struct vault_config *c,
                struct vault_error *err)
{
    return vault_config_load(c, flags, fx->env, err);
}

static void test_defaults_without_any_file_or_variable(void **state)
{
    struct fixture *fx = *state;
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.addr, "https://127.0.0.1:8200");
    assert_true(c.addr_defaulted); /* the connection error says the default was tried */
    assert_null(c.token);
    assert_null(c.namespace_);
    assert_string_equal(c.mount, "pki-external-ca");
    assert_null(c.cacert);
    assert_false(c.skip_verify);
    assert_int_equal(c.connect_timeout_ms, 5000);
    assert_int_equal(c.timeout_ms, 30000);
    assert_int_equal(c.max_body_bytes, 64 * 1024 * 1024);
    assert_int_equal(c.parallel, 8);
    assert_int_equal(c.role_count, 0);
    assert_true(c.poll_interval_s == 5.0);
    assert_null(c.theme);
    assert_null(c.config_file);
    assert_null(vault_config_warning(&c));
    vault_config_free(&c);
}

static void test_precedence_flags_over_env_over_file(void **state)
{
    struct fixture *fx = *state;
    char path[700];
    env_add(fx, fx->env_xdg);
    write_config(fx->xdg,
                 "# acmetop settings\n"
                 "addr = https://file.example:8200\n"
                 "namespace = /team-file/\n"
                 "mount = file-mount\n"
                 "cacert = /file/ca.pem   # trailing comment\n"
                 "parallel = 3\n"
                 "timeout = 10s\n"
                 "connect_timeout = 1500ms\n"
                 "interval = 2m\n"
                 "role = web\n"
                 "role = api\n"
                 "theme = \"solarized # dark\"\n"
                 "copy_command = wl-copy\n",
                 path, sizeof path);

    /* file over defaults */
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.addr, "https://file.example:8200");
    assert_false(c.addr_defaulted);
    assert_string_equal(c.namespace_, "team-file");
    assert_string_equal(c.mount, "file-mount");
    assert_string_equal(c.cacert, "/file/ca.pem");
    assert_int_equal(c.parallel, 3);
    assert_int_equal(c.timeout_ms, 10000);
    assert_int_equal(c.connect_timeout_ms, 1500);
    assert_true(c.poll_interval_s == 120.0);
    assert_int_equal(c.role_count, 2);
    assert_string_equal(c.roles[0], "web");
    assert_string_equal(c.roles[1], "api");
    assert_string_equal(c.theme, "solarized # dark");
    assert_string_equal(c.copy_command, "wl-copy");
    assert_string_equal(c.config_file, path);
    vault_config_free(&c);

    /* environment over file */
    env_add(fx, "VAULT_ADDR=https://env.example:8200/");
    env_add(fx, "VAULT_NAMESPACE=team-env");
    env_add(fx, "ACMETOP_MOUNT=env-mount");
    env_add(fx, "VAULT_CACERT=/env/ca.pem");
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.addr, "https://env.example:8200"); /* trailing '/' dropped */
    assert_false(c.addr_defaulted);
    assert_string_equal(c.namespace_, "team-env");
    assert_string_equal(c.mount, "env-mount");
    assert_string_equal(c.cacert, "/env/ca.pem");
    assert_int_equal(c.parallel, 3); /* not in env: file still counts */
    vault_config_free(&c);

    /* flags over environment */
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    FLAGS(f, {"addr", "http://127.0.0.1:8201"}, {"namespace", "team-flag"}, {"mount", "/pki/"},
          {"parallel", "12"}, {"interval", "1.5"}, {"role", "only"});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_string_equal(c.addr, "http://127.0.0.1:8201");
    assert_false(c.addr_defaulted);
    assert_string_equal(c.namespace_, "team-flag");
    assert_string_equal(c.mount, "pki");
    assert_string_equal(c.cacert, "/env/ca.pem");
    assert_int_equal(c.parallel, 12);
    assert_true(c.poll_interval_s == 1.5);
    assert_int_equal(c.role_count, 1);
    assert_string_equal(c.roles[0], "only");
    vault_config_free(&c);
}

static void test_config_path_flag_and_home_fallback(void **state)
{
    struct fixture *fx = *state;
    char cfgdir[400];
    /* without XDG_CONFIG_HOME: ~/.config/acmetop/config */
    snprintf(cfgdir, sizeof cfgdir, "%s/.config", fx->home);
    mkdir(cfgdir, 0700);
    write_config(cfgdir, "mount = from-home-config\n", NULL, 0);
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.mount, "from-home-config");
    vault_config_free(&c);

    /* --config replaces it */
    char other[400];
    snprintf(other, sizeof other, "%s/other.conf", fx->root);
    write_file(other, "mount = from-flag-file\n");
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    f.config_path = other;
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_string_equal(c.mount, "from-flag-file");
    vault_config_free(&c);

    /* --config naming a missing file is an error (a silent default would hide a typo) */
    snprintf(other, sizeof other, "%s/missing.conf", fx->root);
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_int_equal(err.transport, VT_CONFIG);
    assert_contains(err.sentence, "missing.conf");
    assert_contains(err.sentence, "No such file");
}

static void test_token_file_trimmed_and_env_wins(void **state)
{
    struct fixture *fx = *state;
    char p[400];
    snprintf(p, sizeof p, "%s/.vault-token", fx->home);
    write_file(p, TOKEN "\n \t\n");
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.token, TOKEN);
    vault_config_free(&c);

    env_add(fx, "VAULT_TOKEN=hvs.fromEnv  ");
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.token, "hvs.fromEnv");
    vault_config_free(&c);
}

/* ~/.vault-token that others may read or change, or that is a link, is
 * used but warned about (like ssh's StrictModes); a private one is not,
 * nor a file VAULT_TOKEN makes unused. */
static void test_token_file_not_private_is_warned(void **state)
{
    struct fixture *fx = *state;
    char p[400], target[400];
    snprintf(p, sizeof p, "%s/.vault-token", fx->home);
    write_file(p, TOKEN "\n");
    struct vault_config c;
    struct vault_error err;

    assert_int_equal(chmod(p, 0600), 0);
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_null(vault_config_warning(&c));
    vault_config_free(&c);

    assert_int_equal(chmod(p, 0644), 0);
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.token, TOKEN); /* still used */
    assert_contains(vault_config_warning(&c), "can be read or changed by others (mode 0644)");
    assert_contains(vault_config_warning(&c), "chmod 600");
    assert_null(strstr(vault_config_warning(&c), TOKEN));
    vault_config_free(&c);

    assert_int_equal(chmod(p, 0620), 0); /* group may write: may swap the token */
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_contains(vault_config_warning(&c), "mode 0620");
    vault_config_free(&c);

    /* a link, even to a private file */
    assert_int_equal(chmod(p, 0600), 0);
    snprintf(target, sizeof target, "%s/real-token", fx->root);
    assert_int_equal(rename(p, target), 0);
    assert_int_equal(symlink(target, p), 0);
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.token, TOKEN);
    assert_contains(vault_config_warning(&c), "is a symbolic link");
    vault_config_free(&c);

    /* another owner (the tests run as root: give it away) */
    if (geteuid() == 0) {
        assert_int_equal(unlink(p), 0);
        assert_int_equal(rename(target, p), 0);
        assert_int_equal(chown(p, 65534, 65534), 0);
        assert_int_equal(load(fx, NULL, &c, &err), 0);
        assert_contains(vault_config_warning(&c), "belongs to uid 65534, not to you (uid 0)");
        vault_config_free(&c);
    }

    /* with a TLS warning too: both are said */
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    FLAGS(f, {"addr", "http://vault.corp:8200"});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_contains(vault_config_warning(&c), "unencrypted");
    assert_contains(vault_config_warning(&c), ".vault-token");
    vault_config_free(&c);

    /* VAULT_TOKEN given: the file is not read, so not judged */
    env_add(fx, "VAULT_TOKEN=hvs.fromEnv");
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_null(vault_config_warning(&c));
    vault_config_free(&c);
}

static void test_empty_token_variable_is_unset(void **state)
{
    struct fixture *fx = *state;
    char p[400];
    snprintf(p, sizeof p, "%s/.vault-token", fx->home);
    write_file(p, TOKEN);
    env_add(fx, "VAULT_TOKEN=");
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.token, TOKEN);
    vault_config_free(&c);
}

static void test_multi_line_token_file_refused_without_showing_it(void **state)
{
    struct fixture *fx = *state;
    char p[400];
    snprintf(p, sizeof p, "%s/.vault-token", fx->home);
    write_file(p, TOKEN "\nsecond-line\n");
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), -1);
    assert_contains(err.sentence, ".vault-token");
    assert_null(strstr(err.sentence, TOKEN));
    assert_null(c.addr); /* nothing left to free */
}

static void test_token_in_config_file_refused_with_file_and_line(void **state)
{
    struct fixture *fx = *state;
    char path[700], want[800];
    env_add(fx, fx->env_xdg);
    write_config(fx->xdg, "addr = https://v:8200\n\n# the token:\ntoken = " TOKEN "\n", path,
                 sizeof path);
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), -1);
    assert_int_equal(err.transport, VT_CONFIG);
    snprintf(want, sizeof want, "%s:4:", path);
    assert_contains(err.sentence, want);
    assert_contains(err.sentence, "tokens belong in VAULT_TOKEN or ~/.vault-token");
    assert_null(strstr(err.sentence, TOKEN));
    assert_null(strstr(err.messages, TOKEN));
}

/* Write text as the XDG config file (adding XDG_CONFIG_HOME to the
 * environment the first time) into path. */
static void context_config(struct fixture *fx, const char *text, char *path, size_t cap)
{
    bool have = false;
    for (size_t i = 0; i < fx->env_n; i++)
        have = have || fx->env[i] == fx->env_xdg;
    if (!have)
        env_add(fx, fx->env_xdg);
    write_config(fx->xdg, text, path, cap);
}

/* A config file that must be refused, the line and the words that say why. */
struct file_error {
    const char *text;
    int line;
    const char *words;
};

/* Each file refused with "FILE:LINE: " and its words, and no secret said. */
static void assert_file_errors(struct fixture *fx, const struct file_error *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char path[700], want[800];
        context_config(fx, cases[i].text, path, sizeof path);
        struct vault_config c;
        struct vault_error err;
        assert_int_equal(load(fx, NULL, &c, &err), -1);
        snprintf(want, sizeof want, "%s:%d: ", path, cases[i].line);
        assert_contains(err.sentence, want);
        assert_contains(err.sentence, cases[i].words);
        assert_null(strstr(err.sentence, "s.secret"));
        assert_int_equal(err.transport, VT_CONFIG);
    }
}

static void test_bad_file_values_name_file_and_line(void **state)
{
    struct fixture *fx = *state;
    static const struct file_error cases[] = {
        {"addr = https://a:1\nadr = https://b\n", 2, "unknown key \"adr\""},
        {"parallel = 0\n", 1, "not a number from 1 to 64"},
        {"\n\nparallel = 65\n", 3, "not a number from 1 to 64"},
        {"parallel = 8x\n", 1, "not a number from 1 to 64"},
        {"timeout = soon\n", 1, "not a duration"},
        {"connect_timeout = -1s\n", 1, "not a duration"},
        {"interval = 0.1s\n", 1, "not an interval"},
        {"skip_verify = maybe\n", 1, "not a yes/no value"},
        {"addr = vault.example.com:8200\n", 1, "must start with https:// or http://"},
        {"addr = ftp://vault\n", 1, "must start with https:// or http://"},
        {"addr = https://\n", 1, "has no host name"},
        {"mount = ///\n", 1, "mount path is empty"},
        {"just words\n", 1, "expected \"key = value\""},
        {"theme = \"dark\n", 1, "unterminated quote"},
        {"theme =\n", 1, "has no value"},
        {"role = a/b\n", 1, "not a role name"},
    };
    assert_file_errors(fx, cases, sizeof cases / sizeof cases[0]);
}

static void test_bad_env_and_flag_values_name_their_source(void **state)
{
    struct fixture *fx = *state;
    struct vault_config c;
    struct vault_error err;
    struct fixture saved = *fx;

    env_add(fx, "VAULT_ADDR=vault:8200");
    assert_int_equal(load(fx, NULL, &c, &err), -1);
    assert_contains(err.sentence, "VAULT_ADDR: address \"vault:8200\" must start with https://");

    *fx = saved;
    env_add(fx, "VAULT_SKIP_VERIFY=perhaps");
    assert_int_equal(load(fx, NULL, &c, &err), -1);
    assert_contains(err.sentence, "VAULT_SKIP_VERIFY: \"perhaps\" is not a yes/no value");

    *fx = saved;
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    FLAGS(f, {"parallel", "100"});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(err.sentence, "--parallel: \"100\" is not a number from 1 to 64");

    vault_config_flags_init(&f);
    FLAGS(f, {"timeout", "5 parsecs"});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(err.sentence, "--timeout: \"5 parsecs\" is not a duration");

    vault_config_flags_init(&f);
    FLAGS(f, {"mount", "/"});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(err.sentence, "--mount: the mount path is empty");
}

static void test_skip_verify_values_and_warning(void **state)
{
    struct fixture *fx = *state;
    static const char *const yes[] = {"VAULT_SKIP_VERIFY=1", "VAULT_SKIP_VERIFY=true",
                                      "VAULT_SKIP_VERIFY=yes", "VAULT_SKIP_VERIFY=TRUE"};
    struct fixture saved = *fx;
    struct vault_config c;
    struct vault_error err;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        *fx = saved;
        env_add(fx, yes[i]);
        assert_int_equal(load(fx, NULL, &c, &err), 0);
        assert_true(c.skip_verify);
        assert_contains(vault_config_warning(&c), "TLS verification is OFF");
        vault_config_free(&c);
    }
    *fx = saved;
    env_add(fx, "VAULT_SKIP_VERIFY=0");
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_false(c.skip_verify);
    assert_null(vault_config_warning(&c));
    vault_config_free(&c);

    /* the flag wins over the variable */
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    FLAGS(f, {"tls-skip-verify", NULL});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_true(c.skip_verify);
    vault_config_free(&c);
    /* the variable wins over the file, both ways */
    *fx = saved;
    env_add(fx, fx->env_xdg);
    env_add(fx, "VAULT_SKIP_VERIFY=false");
    write_config(fx->xdg, "skip_verify = yes\n", NULL, 0);
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_false(c.skip_verify);
    vault_config_free(&c);
    fx->env[fx->env_n - 1] = "VAULT_SKIP_VERIFY=on";
    write_config(fx->xdg, "skip_verify = no\n", NULL, 0);
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_true(c.skip_verify);
    vault_config_free(&c);
}

static void test_plain_http_warns_unless_loopback(void **state)
{
    struct fixture *fx = *state;
    struct vault_config c;
    struct vault_error err;
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    FLAGS(f, {"addr", "http://127.0.0.1:8200"});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_null(vault_config_warning(&c));
    vault_config_free(&c);
    FLAGS(f, {"addr", "http://vault.corp:8200"});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_contains(vault_config_warning(&c), "unencrypted");
    vault_config_free(&c);
    FLAGS(f, {"addr", "http://localhost.evil.example:8200"});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_non_null(vault_config_warning(&c));
    vault_config_free(&c);
}

static void test_tls_variables(void **state)
{
    struct fixture *fx = *state;
    env_add(fx, "VAULT_CAPATH=/etc/ca.d");
    env_add(fx, "VAULT_CLIENT_CERT=/c/cert.pem");
    env_add(fx, "VAULT_CLIENT_KEY=/c/key.pem");
    env_add(fx, "VAULT_TLS_SERVER_NAME=vault.internal");
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.capath, "/etc/ca.d");
    assert_string_equal(c.client_cert, "/c/cert.pem");
    assert_string_equal(c.client_key, "/c/key.pem");
    assert_string_equal(c.tls_server_name, "vault.internal");
    vault_config_free(&c);
}

static void test_client_key_without_cert_refused(void **state)
{
    struct fixture *fx = *state;
    env_add(fx, "VAULT_CLIENT_KEY=/c/key.pem");
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), -1);
    assert_contains(err.sentence, "VAULT_CLIENT_CERT");
}

static void test_unreadable_config_file_is_an_error_missing_is_not(void **state)
{
    struct fixture *fx = *state;
    env_add(fx, fx->env_xdg);
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), 0); /* no file at all */
    assert_null(c.config_file);
    vault_config_free(&c);

    /* a directory where the file should be */
    char d[600];
    snprintf(d, sizeof d, "%s/acmetop", fx->xdg);
    mkdir(d, 0700);
    snprintf(d, sizeof d, "%s/acmetop/config", fx->xdg);
    mkdir(d, 0700);
    assert_int_equal(load(fx, NULL, &c, &err), -1);
    assert_contains(err.sentence, d);
}

/* The responder / checks / certificate settings: defaults, the config
 * file's keys, the demo's variables, the flags over both, and
 * --preflight-resolve entries winning over the file's and the demo's. */
static void test_deploy_settings(void **state)
{
    struct fixture *fx = *state;
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.deploy.http01_listen, "0.0.0.0:80");
    assert_true(c.deploy.preflight);
    assert_false(c.deploy.cert_overwrite);
    char want[600];
    snprintf(want, sizeof want, "%s/.local/share/acmetop/certs", fx->home);
    assert_string_equal(c.deploy.cert_dir, want);
    assert_int_equal(c.deploy.checks.timeout_ms, 5000);
    vault_config_free(&c);

    env_add(fx, fx->env_xdg);
    write_config(fx->xdg,
                 "http01_listen = 127.0.0.1:8080\n"
                 "cert_dir = /srv/certs\n"
                 "preflight = false\n"
                 "preflight_timeout = 2s\n"
                 "preflight_dns_server = 127.0.0.1:5353\n"
                 "preflight_resolve = shop.test=10.0.0.1\n",
                 NULL, 0);
    env_add(fx, "ACMETOP_DEMO_HTTP01_PORT=5002");
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.deploy.http01_listen, "127.0.0.1:5002"); /* the demo's, over the file */
    assert_int_equal(c.deploy.checks.http01_port, 5002);
    assert_string_equal(c.deploy.cert_dir, "/srv/certs");
    assert_false(c.deploy.preflight);
    assert_int_equal(c.deploy.checks.timeout_ms, 2000);
    assert_string_equal(c.deploy.checks.dns_server, "127.0.0.1:5353");
    assert_string_equal(resolve_map_lookup(&c.deploy.checks.resolve, "shop.test"), "10.0.0.1");
    assert_string_equal(resolve_map_lookup(&c.deploy.checks.resolve, "other.test"), "127.0.0.1");
    vault_config_free(&c);

    struct vault_config_flags f;
    vault_config_flags_init(&f);
    FLAGS(f, {"http01-listen", "127.0.0.1:9999"}, {"cert-overwrite", NULL},
          {"preflight-resolve", "*.test=192.0.2.7"}, {"no-preflight", NULL});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_string_equal(c.deploy.http01_listen, "127.0.0.1:9999");
    assert_true(c.deploy.cert_overwrite);
    assert_false(c.deploy.preflight);
    /* the flag's entry first: it wins over the file's and the demo's */
    assert_string_equal(resolve_map_lookup(&c.deploy.checks.resolve, "shop.test"), "192.0.2.7");
    assert_string_equal(resolve_map_lookup(&c.deploy.checks.resolve, "x.org"), "127.0.0.1");
    vault_config_free(&c);

    /* bad values name their source */
    FLAGS(f, {"preflight-timeout", "9h"});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(vault_error_sentence(&err), "--preflight-timeout");
    write_config(fx->xdg, "cert_dir = /x\npreflight_http01_port = 99999\n", NULL, 0);
    assert_int_equal(load(fx, NULL, &c, &err), -1);
    assert_contains(vault_error_sentence(&err), "config:2");
    assert_contains(vault_error_sentence(&err), "port");
    write_config(fx->xdg, "http01_listn = 1.2.3.4:80\n", NULL, 0);
    assert_int_equal(load(fx, NULL, &c, &err), -1);
    assert_contains(vault_error_sentence(&err), "unknown key \"http01_listn\"");
    assert_contains(vault_error_sentence(&err), "http01_listen");
}

/* Flags come from the settings table: a flag it lacks, a value given to a
 * flag without argument or missing from one that needs it are refused,
 * naming the flag. */
static void test_flag_mistakes_name_the_flag(void **state)
{
    struct fixture *fx = *state;
    struct vault_config c;
    struct vault_error err;
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    FLAGS(f, {"adress", "https://v:8200"});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(err.sentence, "--adress is not an option of acmetop");
    FLAGS(f, {"no-preflight", "yes"});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(err.sentence, "--no-preflight takes no value");
    FLAGS(f, {"addr", NULL});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(err.sentence, "--addr: a value is missing");
    FLAGS(f, {"role", "web"}, {"role", ""});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(err.sentence, "--role: \"\" is not a role name");
    assert_null(c.addr); /* nothing left to free */
}

/* Repeatable settings: a source's roles replace a weaker source's; its
 * resolve entries go before them, in the order given. */
static void test_repeatable_settings_per_source(void **state)
{
    struct fixture *fx = *state;
    env_add(fx, fx->env_xdg);
    write_config(fx->xdg,
                 "role = web\nrole = api\n"
                 "preflight_resolve = a.test=10.0.0.1\n"
                 "preflight_resolve = *.test=10.0.0.2, b.test=10.0.0.3\n",
                 NULL, 0);
    struct vault_config c;
    struct vault_error err;
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    FLAGS(f, {"preflight-resolve", "b.test=192.0.2.1"}, {"role", "db"},
          {"preflight-resolve", "c.test=192.0.2.2"}, {"role", "mail"});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_int_equal(c.role_count, 2);
    assert_string_equal(c.roles[0], "db");
    assert_string_equal(c.roles[1], "mail");
    const struct resolve_map *m = &c.deploy.checks.resolve;
    assert_int_equal(m->count, 5);
    static const char *const order[] = {"b.test", "c.test", "a.test", "*.test", "b.test"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(m->entries[i].pattern, order[i]);
    assert_string_equal(resolve_map_lookup(m, "b.test"), "192.0.2.1");
    assert_string_equal(resolve_map_lookup(m, "a.test"), "10.0.0.1");
    assert_string_equal(resolve_map_lookup(m, "z.test"), "10.0.0.2");
    vault_config_free(&c);

    /* without flags the file's own order stands */
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_int_equal(c.role_count, 2);
    assert_string_equal(c.deploy.checks.resolve.entries[0].pattern, "a.test");
    vault_config_free(&c);
}

/* Every variable of the table, and an empty flag value unsetting what has
 * no default. */
static void test_more_variables_and_unsetting(void **state)
{
    struct fixture *fx = *state;
    env_add(fx, "VAULT_CLIENT_TIMEOUT=45");
    env_add(fx, "VAULT_NAMESPACE=team-env");
    struct vault_config c;
    struct vault_error err;
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    FLAGS(f, {"namespace", ""}, {"theme", "light"}, {"theme", ""});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_int_equal(c.timeout_ms, 45000);
    assert_null(c.namespace_);
    assert_null(c.theme);
    vault_config_free(&c);

    /* what has a default cannot be unset */
    FLAGS(f, {"cert-dir", ""});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(err.sentence, "--cert-dir: the certificate directory is empty");
    FLAGS(f, {"addr", ""});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(err.sentence, "--addr: the address is empty (default: https://127.0.0.1:8200)");
}

/* The unknown-key message lists every key of the table. */
static void test_unknown_key_lists_every_key(void **state)
{
    struct fixture *fx = *state;
    env_add(fx, fx->env_xdg);
    write_config(fx->xdg, "colour = blue\n", NULL, 0);
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), -1);
    assert_contains(err.sentence, "unknown key \"colour\" (known: addr, namespace, mount, ");
    size_t n;
    const struct setting *rows = settings_table(&n);
    for (size_t i = 0; i < n; i++) {
        char want[80];
        snprintf(want, sizeof want, " %s%s", rows[i].key, i + 1 < n ? "," : ")");
        assert_contains(err.sentence, want);
    }
}

/* ---- [context NAME] sections ------------------------------------------ */


static void test_context_errors_name_file_and_line(void **state)
{
    struct fixture *fx = *state;
    static const struct file_error cases[] = {
        {"[context]\n", 1, "[context] needs a name: [context NAME]"},
        {"mount = m\n[context a b]\n", 2,
         "malformed section header \"[context a b]\": a context name is one word"},
        {"[foo]\n", 1, "unknown section \"[foo]\": the only section is [context NAME]"},
        {"[context prod\n", 1, "malformed section header \"[context prod\": no closing ']'"},
        {"[context pr/od]\n", 1, "\"pr/od\" is not a context name: 1 to 64 letters"},
        {"[context "
         "a123456789b123456789c123456789d123456789e123456789f123456789g1234]\n",
         1, "is not a context name"},
        {"[context p]\nfoo = 1\n", 2, "unknown key \"foo\" in [context p] (known: addr, "},
        {"[context p]\n# the token\ntoken = s.secret\n", 3, "must not hold a token"},
        {"[context p]\nVAULT_TOKEN = s.secret\n", 2, "must not hold a token"},
        {"[context p]\ncolor = purple\n", 2,
         "\"purple\" is not a colour: use black, red, green, yellow, blue, magenta, cyan or "
         "white"},
        {"[context p]\ntimeout = soon\n", 2, "not a duration"}, /* checked though not chosen */
        {"[context p]\ncontext = q\n", 2, "it cannot be set inside [context p]"},
        {"[context p]\ntoken_file =\n", 2, "\"token_file\" has no value"},
        {"color = red\n", 1, "token_file and color belong in a [context NAME] section"},
        {"mount = a,,b\n", 1, "\"a,,b\": \"\" is not a mount path"},
        {"mount = /a, b\n", 1, "\"/a, b\": \"/a\" is not a mount path"},
        {"mount = a, b/\n", 1, "\"b/\" is not a mount path"},
        {"mount = a, x y\n", 1, "\"x y\" is not a mount path"},
        {"mount = a, *\n", 1, "\"*\" is not a mount path"},
        {"mount = a, b, a\n", 1, "\"a, b, a\" names \"a\" twice"},
        {"[context p]\nmount = a,,b\n", 2, "is not a mount path"},
    };
    assert_file_errors(fx, cases, sizeof cases / sizeof cases[0]);

    char path[700], want[1600];
    context_config(fx, "[context prod]\naddr = https://a:1\n\n[context prod]\n", path,
                   sizeof path);
    struct vault_config c;
    struct vault_error err;
    assert_int_equal(load(fx, NULL, &c, &err), -1);
    snprintf(want, sizeof want, "%s:4: context \"prod\" is defined twice (first at %s:1)", path,
             path);
    assert_string_equal(err.sentence, want);
}

static void test_unknown_context_lists_the_known_ones(void **state)
{
    struct fixture *fx = *state;
    struct fixture saved = *fx;
    char path[700], want[1600];
    struct vault_config c;
    struct vault_error err;
    struct vault_config_flags f;
    vault_config_flags_init(&f);

    context_config(fx, "mount = m\n[context prod]\n[context staging]\n", path, sizeof path);
    FLAGS(f, {"context", "x"});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    snprintf(want, sizeof want, "--context: no context \"x\" in %s (known: prod, staging)", path);
    assert_string_equal(err.sentence, want);

    saved = *fx;
    env_add(fx, "ACMETOP_CONTEXT=y");
    assert_int_equal(load(fx, NULL, &c, &err), -1);
    snprintf(want, sizeof want, "ACMETOP_CONTEXT: no context \"y\" in %s (known: prod, staging)",
             path);
    assert_string_equal(err.sentence, want);
    *fx = saved;

    context_config(fx, "mount = m\ncontext = z\n[context prod]\n", path, sizeof path);
    assert_int_equal(load(fx, NULL, &c, &err), -1);
    snprintf(want, sizeof want, "%s:2: no context \"z\" in %s (known: prod)", path, path);
    assert_string_equal(err.sentence, want);

    context_config(fx, "mount = m\n", path, sizeof path);
    FLAGS(f, {"context", "x"});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    snprintf(want, sizeof want, "--context: no context \"x\" in %s (no contexts are defined)",
             path);
    assert_string_equal(err.sentence, want);

    remove(path);
    assert_int_equal(load(fx, &f, &c, &err), -1);
    snprintf(want, sizeof want, "--context: no context \"x\": there is no config file (%s)", path);
    assert_string_equal(err.sentence, want);
}

static const char *const ctx_file =
    "mount = top-mount\n"
    "timeout = 10s\n"
    "[context prod]\n"
    "addr = https://prod.example:8200/\n"
    "mount = prod-mount\n"
    "namespace = team-prod\n"
    "[context staging]\n"
    "mount = staging-mount\n";

static void test_context_precedence(void **state)
{
    struct fixture *fx = *state;
    char path[700];
    struct vault_config c;
    struct vault_error err;
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    context_config(fx, ctx_file, path, sizeof path);

    /* no context chosen: the sections are read, nothing of them applies */
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_null(c.context);
    assert_string_equal(c.mount, "top-mount");
    assert_true(c.addr_defaulted);
    assert_null(c.namespace_);
    vault_config_free(&c);

    /* the context beats the top-level lines, keeps what it does not set */
    FLAGS(f, {"context", "prod"});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_string_equal(c.context, "prod");
    assert_string_equal(c.mount, "prod-mount");
    assert_string_equal(c.addr, "https://prod.example:8200");
    assert_false(c.addr_defaulted);
    assert_string_equal(c.namespace_, "team-prod");
    assert_int_equal(c.timeout_ms, 10000);
    vault_config_free(&c);

    /* the environment beats the context, a flag beats the environment */
    struct fixture saved = *fx;
    env_add(fx, "ACMETOP_MOUNT=env-mount");
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_string_equal(c.mount, "env-mount");
    assert_string_equal(c.namespace_, "team-prod");
    /* and says so: whoever switches to prod must know the environment wins */
    assert_non_null(vault_config_warning(&c));
    assert_contains(vault_config_warning(&c),
                    "ACMETOP_MOUNT in the environment overrides context prod's settings");
    vault_config_free(&c);
    FLAGS(f, {"context", "prod"}, {"mount", "flag-mount"});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_string_equal(c.mount, "flag-mount");
    vault_config_free(&c);
    *fx = saved;

    /* context = picks one; ACMETOP_CONTEXT beats it; --context beats both */
    char text[1024];
    snprintf(text, sizeof text, "context = staging\n%s", ctx_file);
    context_config(fx, text, path, sizeof path);
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.context, "staging");
    assert_string_equal(c.mount, "staging-mount");
    vault_config_free(&c);
    env_add(fx, "ACMETOP_CONTEXT=prod");
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.context, "prod");
    assert_string_equal(c.mount, "prod-mount");
    vault_config_free(&c);
    FLAGS(f, {"context", "staging"});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_string_equal(c.context, "staging");
    assert_string_equal(c.mount, "staging-mount");
    vault_config_free(&c);
    /* an empty --context chooses none */
    FLAGS(f, {"context", ""});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_null(c.context);
    assert_string_equal(c.mount, "top-mount");
    vault_config_free(&c);
}

static void test_context_token_file(void **state)
{
    struct fixture *fx = *state;
    char path[700], tok[400], home_tok[400], text[1200], want[2400];
    struct vault_config c;
    struct vault_error err;
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    FLAGS(f, {"context", "prod"});
    snprintf(tok, sizeof tok, "%s/prod-token", fx->root);
    snprintf(home_tok, sizeof home_tok, "%s/.vault-token", fx->home);
    write_file(home_tok, "hvs.home-token\n");
    chmod(home_tok, 0600);
    snprintf(text, sizeof text, "[context prod]\n\ntoken_file = %s\n[context dev]\n", tok);
    context_config(fx, text, path, sizeof path);

    /* missing: an error naming the context and the path */
    assert_int_equal(load(fx, &f, &c, &err), -1);
    snprintf(want, sizeof want, "%s:3: context \"prod\": the token file %s does not exist", path,
             tok);
    assert_string_equal(err.sentence, want);

    /* read instead of ~/.vault-token */
    write_file(tok, TOKEN "\n");
    chmod(tok, 0600);
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_string_equal(c.token, TOKEN);
    assert_null(vault_config_warning(&c));
    vault_config_free(&c);

    /* another context, or none, uses ~/.vault-token */
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.token, "hvs.home-token");
    vault_config_free(&c);

    /* others may read it: warned */
    chmod(tok, 0640);
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_string_equal(c.token, TOKEN);
    assert_contains(vault_config_warning(&c), tok);
    assert_contains(vault_config_warning(&c), "can be read or changed by others (mode 0640)");
    vault_config_free(&c);

    /* more than one line: refused without showing it */
    write_file(tok, TOKEN "\nsecond line\n");
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(err.sentence, "context \"prod\": the token file ");
    assert_contains(err.sentence, "holds more than one line");
    assert_null(strstr(err.sentence, TOKEN));

    /* VAULT_TOKEN still wins, and the file is not read at all */
    remove(tok);
    env_add(fx, "VAULT_TOKEN=hvs.from-env");
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_string_equal(c.token, "hvs.from-env");
    vault_config_free(&c);
}

static void test_readonly_and_color(void **state)
{
    struct fixture *fx = *state;
    char path[700];
    struct vault_config c;
    struct vault_error err;
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    context_config(fx,
                   "readonly = true\n"
                   "[context prod]\nreadonly = yes\ncolor = Red\n"
                   "[context dev]\nreadonly = false\n"
                   "[context plain]\n",
                   path, sizeof path);

    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_true(c.readonly); /* the top-level line */
    assert_null(c.context_color);
    vault_config_free(&c);

    FLAGS(f, {"context", "prod"});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_true(c.readonly);
    assert_string_equal(c.context_color, "red");
    vault_config_free(&c);

    FLAGS(f, {"context", "dev"}); /* the context beats the top-level line */
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_false(c.readonly);
    assert_null(c.context_color);
    vault_config_free(&c);

    FLAGS(f, {"context", "dev"}, {"readonly", NULL}); /* --readonly turns it on for any */
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_true(c.readonly);
    vault_config_free(&c);

    context_config(fx, "[context plain]\n", path, sizeof path);
    FLAGS(f, {"context", "plain"});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_false(c.readonly); /* the default */
    vault_config_free(&c);
    FLAGS(f, {"readonly", NULL});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_true(c.readonly);
    assert_null(c.context);
    vault_config_free(&c);
    FLAGS(f, {"readonly", "false"});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(err.sentence, "--readonly takes no value");
}

static void test_contexts_list(void **state)
{
    struct fixture *fx = *state;
    char path[700];
    struct vault_config c;
    struct vault_error err;
    context_config(fx,
                   "mount = top\n"
                   "[context prod]\n"
                   "addr = https://prod.example:8200/\n"
                   "namespace = /team/\n"
                   "mount = a, b\n"
                   "color = cyan\n"
                   "readonly = true\n"
                   "[context staging]  # no settings\n",
                   path, sizeof path);
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_int_equal(c.context_count, 2);
    const struct vault_context *p = &c.contexts[0], *s = &c.contexts[1];
    assert_string_equal(p->name, "prod");
    assert_int_equal(p->line, 2);
    assert_string_equal(p->addr, "https://prod.example:8200");
    assert_string_equal(p->namespace_, "team");
    assert_string_equal(p->mount, "a,b");
    assert_string_equal(p->color, "cyan");
    assert_true(p->readonly);
    assert_string_equal(s->name, "staging");
    assert_int_equal(s->line, 8);
    assert_null(s->addr);
    assert_null(s->namespace_);
    assert_null(s->mount);
    assert_null(s->color);
    assert_false(s->readonly);
    assert_string_equal(c.mount, "top"); /* none chosen */
    vault_config_free(&c);
    assert_null(c.contexts);
    assert_int_equal(c.context_count, 0);
}

static void test_load_context_switches(void **state)
{
    struct fixture *fx = *state;
    char path[700], want[1600];
    struct vault_config c;
    struct vault_error err;
    struct vault_config_flags f;
    vault_config_flags_init(&f);
    char text[1024];
    snprintf(text, sizeof text, "context = prod\n%s", ctx_file);
    context_config(fx, text, path, sizeof path);
    env_add(fx, "ACMETOP_CONTEXT=prod");
    FLAGS(f, {"context", "prod"}, {"timeout", "20s"});

    assert_int_equal(vault_config_load_context(&c, &f, fx->env, NULL, &err), 0);
    assert_string_equal(c.context, "prod");
    assert_string_equal(c.mount, "prod-mount");
    vault_config_free(&c);

    /* beats the flag, the variable and context = */
    assert_int_equal(vault_config_load_context(&c, &f, fx->env, "staging", &err), 0);
    assert_string_equal(c.context, "staging");
    assert_string_equal(c.mount, "staging-mount");
    assert_null(c.namespace_);
    assert_int_equal(c.timeout_ms, 20000); /* the other flags still apply */
    assert_int_equal(c.context_count, 2);
    vault_config_free(&c);

    assert_int_equal(vault_config_load_context(&c, &f, fx->env, "nope", &err), -1);
    snprintf(want, sizeof want, "no context \"nope\" in %s (known: prod, staging)", path);
    assert_string_equal(err.sentence, want);
}

static void test_fan_out_values(void **state)
{
    struct fixture *fx = *state;
    char path[700];
    struct vault_config c;
    struct vault_error err;
    struct vault_config_flags f;
    vault_config_flags_init(&f);

    context_config(fx, "namespace = *\nmount = a, b/c ,d\n", path, sizeof path);
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.namespace_, "*");
    assert_string_equal(c.mount, "a,b/c,d");
    vault_config_free(&c);

    context_config(fx, "mount = *\n", path, sizeof path);
    assert_int_equal(load(fx, NULL, &c, &err), 0);
    assert_string_equal(c.mount, "*");
    vault_config_free(&c);

    FLAGS(f, {"mount", "x,y"}, {"namespace", "*"});
    assert_int_equal(load(fx, &f, &c, &err), 0);
    assert_string_equal(c.mount, "x,y");
    assert_string_equal(c.namespace_, "*");
    vault_config_free(&c);

    FLAGS(f, {"mount", "x,"});
    assert_int_equal(load(fx, &f, &c, &err), -1);
    assert_contains(err.sentence, "--mount: \"x,\": \"\" is not a mount path");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_defaults_without_any_file_or_variable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_precedence_flags_over_env_over_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_path_flag_and_home_fallback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_file_trimmed_and_env_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_file_not_private_is_warned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_token_variable_is_unset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multi_line_token_file_refused_without_showing_it,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_in_config_file_refused_with_file_and_line, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_file_values_name_file_and_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_env_and_flag_values_name_their_source, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_skip_verify_values_and_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plain_http_warns_unless_loopback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tls_variables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_client_key_without_cert_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_config_file_is_an_error_missing_is_not,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_deploy_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flag_mistakes_name_the_flag, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repeatable_settings_per_source, setup, teardown),
        cmocka_unit_test_setup_teardown(test_more_variables_and_unsetting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_key_lists_every_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_context_errors_name_file_and_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_context_lists_the_known_ones, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_context_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_context_token_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_and_color, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contexts_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_context_switches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fan_out_values, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
