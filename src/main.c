/* main: parse the command line, load the configuration (flags > environment
 * > config file > defaults), then run the requested mode. Short on purpose:
 * everything else lives in model/, net/ and ui/.  It is also the
 * composition root: it starts the engine (net/worker, which owns the Vault
 * client, the token and the deploy service) and hands the console two
 * queues and a display config without secrets.  The flags are the mode
 * flags below and one per row of the settings table (net/settings_table.c);
 * getopt's option list and --help are built from those two tables. */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model/duration.h"
#include "model/queue.h"
#include "model/xalloc.h"
#include "net/library_versions.h"
#include "net/process_guard.h"
#include "net/settings_doc.h"
#include "net/settings_table.h"
#include "net/vault_client.h"
#include "net/vault_config.h"
#include "net/wiping_alloc.h"
#include "net/worker.h"
#include "once.h"
#include "once_resources.h"
#include "ui/console.h"
#include "watch.h"

enum { OPT_ONCE = 256, OPT_JSON, OPT_CONFIG, OPT_SETTING, OPT_CHECK, OPT_WARN, OPT_CRIT,
       OPT_IGNORE_ERRORS, OPT_IGNORE_PENDING, OPT_FORMAT, OPT_WATCH };

/* The flags that are not settings: what to run, and which config file. */
static const struct mode_flag {
    const char *name;
    int has_arg, val;
    const char *usage, *help;
} mode_flags[] = {
    {"once", no_argument, OPT_ONCE, "--once [WHAT]",
     "list every order (or WHAT: roles, accounts, dns) once as a table and exit"},
    {"json", no_argument, OPT_JSON, "--json", "with --once: print a JSON array instead"},
    {"format", required_argument, OPT_FORMAT, "--format FORMAT",
     "with --once: table, json, csv (RFC 4180) or prometheus (node_exporter's textfile "
     "collector)"},
    {"watch", no_argument, OPT_WATCH, "--watch",
     "no console: one JSON line per status change on stdout, and the on_change hook "
     "(for systemd)"},
    {"check", no_argument, OPT_CHECK, "--check",
     "a monitoring plugin (Nagios, Icinga, Sensu): one line, exit 0 OK, 1 WARNING, "
     "2 CRITICAL, 3 UNKNOWN"},
    {"warn", required_argument, OPT_WARN, "--warn DUR",
     "with --check: a certificate expiring within DUR is a warning (default: expiry_warn)"},
    {"crit", required_argument, OPT_CRIT, "--crit DUR",
     "with --check: a certificate expiring within DUR is critical (default: expiry_crit)"},
    {"ignore-errors", no_argument, OPT_IGNORE_ERRORS, "--ignore-errors",
     "with --check: orders in error do not count"},
    {"ignore-pending", no_argument, OPT_IGNORE_PENDING, "--ignore-pending",
     "with --check: orders awaiting the operator do not count"},
    {"config", required_argument, OPT_CONFIG, "--config FILE",
     "read FILE instead of the default config file"},
    {"help", no_argument, 'h', "-h, --help", "this text"},
    {"version", no_argument, 'V', "-V, --version", "the version"},
};
#define MODE_FLAGS (sizeof mode_flags / sizeof mode_flags[0])

static void usage_print(FILE *out)
{
    fputs("Usage: acmetop [OPTIONS]\n"
          "       acmetop --once [--json] [orders|roles|accounts|dns] [OPTIONS]\n"
          "A live console for the certificate orders of Vault's PKI External CA engine.\n"
          "\n"
          "Modes:\n",
          out);
    for (size_t i = 0; i < MODE_FLAGS; i++)
        settings_doc_option(out, mode_flags[i].usage, mode_flags[i].help);
    settings_doc_help(out);
    fputs("\nEnvironment (besides the variables named above):\n"
          "  VAULT_TOKEN                the token; else ~/.vault-token (never a flag)\n"
          "  XDG_CONFIG_HOME            the config file is $XDG_CONFIG_HOME/acmetop/config\n"
          "  XDG_CACHE_HOME             the order cache is $XDG_CACHE_HOME/acmetop/\n"
          "  XDG_DATA_HOME              the default cert_dir is $XDG_DATA_HOME/acmetop/certs\n"
          "  NO_COLOR                   no colours\n"
          "  LANG, LC_ALL, LC_CTYPE     a UTF-8 locale gives Unicode symbols\n"
          "  ACMETOP_DEMO_*             set by make demo (see man acmetop)\n"
          "\nExit status:\n"
          "  0    after q; with --once, the orders were listed\n"
          "  1    Vault could not be reached or listed, or the worker could not start\n"
          "  2    a configuration error, or the console has no terminal\n"
          "  3    with --once, --deadline passed first: the orders read so far are printed\n"
          "  128+N  ended by signal N (130 Ctrl-C, 143 SIGTERM)\n"
          "\nKeys: press ? in the console; see also man acmetop.\n",
          out);
}

/* getopt's list: the mode flags, then every setting that has a flag. */
static struct option *long_options_build(void)
{
    size_t n, k = 0;
    const struct setting *rows = settings_table(&n);
    struct option *o = xcalloc(MODE_FLAGS + n + 1, sizeof *o);
    for (size_t i = 0; i < MODE_FLAGS; i++)
        o[k++] = (struct option){mode_flags[i].name, mode_flags[i].has_arg, NULL,
                                 mode_flags[i].val};
    for (size_t i = 0; i < n; i++)
        if (rows[i].flag)
            o[k++] = (struct option){rows[i].flag,
                                     rows[i].flag_sets ? no_argument : required_argument, NULL,
                                     OPT_SETTING};
    return o;
}

struct cli {
    struct vault_config_flags flags;
    struct setting_arg *args; /* the settings' flags in the order given */
    struct option *long_options;
    bool once, json;
    int kind; /* --once roles|accounts|dns: a resource_kind; -1: the orders */
    const char *format; /* --format as given */
    bool check, ignore_errors, ignore_pending, watch;
    const char *warn, *crit; /* --warn, --crit as given; NULL: the settings' */
};

static void cli_free(struct cli *cli)
{
    free(cli->args);
    free(cli->long_options);
}

/* 0 to go on, or an exit status + 1. */
static int cli_parse(struct cli *cli, int argc, char **argv)
{
    struct vault_config_flags *f = &cli->flags;
    cli->long_options = long_options_build();
    int c, index = 0;
    while ((c = getopt_long(argc, argv, "hV", cli->long_options, &index)) != -1) {
        switch (c) {
        case 'h': usage_print(stdout); return 1;
        case 'V':
            printf("acmetop %s\n%s\n", ACMETOP_VERSION, console_curses_version());
            library_versions_print(stdout);
            return 1;
        case OPT_ONCE: cli->once = true; break;
        case OPT_JSON: cli->json = true; break;
        case OPT_FORMAT: cli->format = optarg; break;
        case OPT_CHECK: cli->check = true; break;
        case OPT_WATCH: cli->watch = true; break;
        case OPT_WARN: cli->warn = optarg; break;
        case OPT_CRIT: cli->crit = optarg; break;
        case OPT_IGNORE_ERRORS: cli->ignore_errors = true; break;
        case OPT_IGNORE_PENDING: cli->ignore_pending = true; break;
        case OPT_CONFIG: f->config_path = optarg; break;
        case OPT_SETTING:
            cli->args = xrealloc(cli->args, (f->arg_count + 1) * sizeof *cli->args);
            cli->args[f->arg_count++] =
                (struct setting_arg){cli->long_options[index].name, optarg};
            f->args = cli->args;
            break;
        default:
            fputs("Try 'acmetop --help'.\n", stderr);
            return 3;
        }
    }
    cli->kind = -1;
    /* --once [--json] orders|roles|accounts|dns */
    if (optind + 1 == argc && (strcmp(argv[optind], "orders") == 0 ||
                               resource_kind_find(argv[optind]) >= 0)) {
        if (!cli->once) {
            fprintf(stderr, "acmetop: '%s' goes with --once (the console shows it with :%s)\n",
                    argv[optind], argv[optind]);
            return 3;
        }
        cli->kind = resource_kind_find(argv[optind]);
        optind++;
    }
    if (optind < argc) {
        /* not echoed: it may be a token pasted by mistake */
        fprintf(stderr, "acmetop: unexpected argument #%d (--once takes orders, roles, "
                        "accounts or dns; a token is never given on the command line: use "
                        "VAULT_TOKEN or ~/.vault-token)\n", optind);
        return 3;
    }
    if ((cli->json || cli->format) && !cli->once) {
        fprintf(stderr, "acmetop: %s goes with --once\n", cli->json ? "--json" : "--format");
        return 3;
    }
    enum once_format format;
    if (cli->format && once_format_parse(cli->format, &format) != 0) {
        fprintf(stderr, "acmetop: --format \"%.100s\" is not table, json, csv or prometheus\n",
                cli->format);
        return 3;
    }
    if (cli->json && cli->format && format != ONCE_JSON) {
        fprintf(stderr, "acmetop: --json and --format %s: give one\n", cli->format);
        return 3;
    }
    if (!cli->check && (cli->warn || cli->crit || cli->ignore_errors || cli->ignore_pending)) {
        fputs("acmetop: --warn, --crit, --ignore-errors and --ignore-pending go with --check\n",
              stderr);
        return 3;
    }
    if (cli->check + cli->once + cli->watch > 1) {
        fputs("acmetop: --once, --check and --watch are modes: give one\n", stderr);
        return 3;
    }
    return 0;
}

/* --check's thresholds: the settings, then --warn and --crit.  0, or -1
 * with the sentence in why. */
static int check_thresholds_of(const struct cli *cli, const struct vault_config *cfg,
                               struct check_thresholds *t, char *why, size_t why_size)
{
    *t = (struct check_thresholds){.warn_s = cfg->expiry_warn_s, .crit_s = cfg->expiry_crit_s,
                                   .errors = !cli->ignore_errors,
                                   .pending = !cli->ignore_pending};
    const char *flag[2] = {"--warn", "--crit"}, *value[2] = {cli->warn, cli->crit};
    double *field[2] = {&t->warn_s, &t->crit_s};
    for (int i = 0; i < 2; i++)
        if (value[i] && duration_parse(value[i], field[i]) != 0) {
            snprintf(why, why_size, "%s \"%.100s\" is not a duration (e.g. 30d, 12h)", flag[i],
                     value[i]);
            return -1;
        }
    return 0;
}

/* ---- the console: the engine behind two queues -------------------------- */

struct engine {
    const struct vault_config *cfg;
    const struct vault_config_flags *flags; /* to load another context (:ctx) */
    struct queue *commands, *updates;
    struct worker *worker;
};

static int engine_start(void *ctx, char *why, size_t why_size)
{
    struct engine *e = ctx;
    struct vault_error err;
    e->worker = worker_start_switchable(e->cfg, e->flags, NULL, e->commands, e->updates, &err);
    if (!e->worker) {
        snprintf(why, why_size, "%s", vault_error_sentence(&err));
        return -1;
    }
    return 0;
}

static void engine_stop(void *ctx)
{
    struct engine *e = ctx;
    worker_stop(e->worker); /* the responder and the checks stop with it */
    e->worker = NULL;
}

/* What the console may know of the settings: no token, no key. */
static struct console_config console_config_of(const struct vault_config *cfg)
{
    return (struct console_config){
        .addr = cfg->addr,
        .namespace_ = cfg->namespace_,
        .mount = cfg->mount,
        .theme = cfg->theme,
        .copy_command = cfg->copy_command,
        .warning = vault_config_warning(cfg),
        .preflight = cfg->deploy.preflight,
        .preflight_timeout_ms = cfg->deploy.checks.timeout_ms,
        .http01_port = cfg->deploy.checks.http01_port,
        .tlsalpn01_port = cfg->deploy.checks.tlsalpn01_port,
        .dns_server = cfg->deploy.checks.dns_server,
        .http01_listen = cfg->deploy.http01_listen,
        .tlsalpn01_listen = cfg->deploy.tlsalpn01_listen,
        .cert_dir = cfg->deploy.cert_dir,
        .account_key_max_age_days = cfg->account_key_max_age_days,
        .renew_at = &cfg->renew_at,
        .expiry_warn_s = cfg->expiry_warn_s,
        .expiry_crit_s = cfg->expiry_crit_s,
    };
}

static int run_console(const struct vault_config *cfg, const struct vault_config_flags *flags)
{
    struct engine e = {.cfg = cfg, .flags = flags, .commands = queue_new(), .updates = queue_new()};
    if (!e.commands || !e.updates) {
        fprintf(stderr, "acmetop: cannot create the message queues: %s\n", strerror(errno));
        queue_free(e.commands);
        queue_free(e.updates);
        return 1;
    }
    struct console_config shown = console_config_of(cfg);
    struct console_engine link = {.commands = e.commands, .updates = e.updates,
                                  .start = engine_start, .stop = engine_stop, .ctx = &e};
    int status = console_run(&shown, &link);
    queue_free(e.commands);
    queue_free(e.updates);
    return status;
}

int main(int argc, char **argv)
{
    /* before anything holds a secret, and before OpenSSL's first allocation */
    if (process_guard_secrets() != 0) {
        fprintf(stderr, "acmetop: cannot keep secrets out of core files: %s\n", strerror(errno));
        return 1;
    }
    if (wiping_alloc_install() != 0) {
        fputs("acmetop: cannot make OpenSSL wipe the memory it frees\n", stderr);
        return 1;
    }
    /* Large blocks (a big answer, its parse) are mapped on their own and go
     * back to the system when freed; glibc's sliding threshold would keep
     * the memory of one 50 MiB answer for the rest of the run. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    setlocale(LC_ALL, "");
    struct cli cli = {0};
    vault_config_flags_init(&cli.flags);
    int rc = cli_parse(&cli, argc, argv);
    if (rc) {
        if (rc == 3 && cli.check) { /* the plugin's line and status, even for this */
            cli_free(&cli);
            return check_unknown("the command line is wrong: see acmetop --help", stdout);
        }
        cli_free(&cli);
        return rc - 1;
    }

    struct vault_config cfg;
    struct vault_error err;
    if (vault_config_load(&cfg, &cli.flags, NULL, &err) != 0) {
        fprintf(stderr, "acmetop: %s\n", vault_error_sentence(&err));
        cli_free(&cli);
        return cli.check ? check_unknown(vault_error_sentence(&err), stdout) : 2;
    }
    /* cli lives on: the console loads another context from its flags */
    const char *warning = vault_config_warning(&cfg);
    if (warning)
        fprintf(stderr, "acmetop: warning: %s\n", warning);
    if (vault_client_global_init() != 0) {
        fputs("acmetop: cannot initialise libcurl\n", stderr);
        vault_config_free(&cfg);
        cli_free(&cli);
        return 1;
    }

    int status;
    struct check_thresholds thresholds;
    char why[200];
    if (cli.check && check_thresholds_of(&cli, &cfg, &thresholds, why, sizeof why) != 0) {
        fprintf(stderr, "acmetop: %s\n", why);
        status = check_unknown(why, stdout);
    } else if (cli.check) {
        status = check_run(&cfg, &thresholds, stdout, stderr);
    } else if (cli.watch) {
        cfg.report_changes = true;
        status = watch_run(&cfg, stdout, stderr);
    } else if (cli.once && cli.kind >= 0) {
        status = once_resources_run(&cfg, (enum resource_kind)cli.kind, cli.json, stdout,
                                    stderr);
    } else if (cli.once) {
        enum once_format format = cli.json ? ONCE_JSON : ONCE_TABLE;
        if (cli.format)
            once_format_parse(cli.format, &format);
        status = once_run(&cfg, format, stdout, stderr);
    } else {
        status = run_console(&cfg, &cli.flags);
    }
    vault_config_free(&cfg);
    cli_free(&cli);
    vault_client_global_cleanup();
    return status;
}
