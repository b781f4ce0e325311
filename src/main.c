/* main: parse the command line, load the configuration (flags > environment
 * > config file > defaults), then run the requested mode. Short on purpose:
 * everything else lives in model/, net/ and ui/. */
#include <getopt.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"
#include "net/vault_client.h"
#include "net/vault_config.h"
#include "once.h"
#include "ui/console.h"

static const char usage_text[] =
    "Usage: acmetop [OPTIONS]\n"
    "A live console for the certificate orders of Vault's PKI External CA engine.\n"
    "\n"
    "Modes:\n"
    "  --once                 list every order once as a table and exit\n"
    "  --json                 with --once: print a JSON array instead\n"
    "  -h, --help             this text\n"
    "  -V, --version          the version\n"
    "\n"
    "Vault (each also read from the VAULT_* environment and the config file):\n"
    "  --addr URL             Vault address (VAULT_ADDR)\n"
    "  --namespace NS         Enterprise namespace (VAULT_NAMESPACE)\n"
    "  --mount PATH           mount of the engine (default pki-external-ca)\n"
    "  --role NAME            a role to watch when the token may not list\n"
    "                         lookup/orders or roles (repeatable)\n"
    "  --ca-cert FILE         CA file to verify Vault's certificate (VAULT_CACERT)\n"
    "  --ca-path DIR          CA directory (VAULT_CAPATH)\n"
    "  --client-cert FILE     TLS client certificate (VAULT_CLIENT_CERT)\n"
    "  --client-key FILE      TLS client key (VAULT_CLIENT_KEY)\n"
    "  --tls-server-name NAME name to verify in Vault's certificate\n"
    "  --tls-skip-verify      do not verify Vault's certificate (insecure)\n"
    "  --connect-timeout DUR  default 5s;  --timeout DUR  default 30s\n"
    "  --parallel N           detail fetches at once (default 8)\n"
    "  --interval DUR         poll interval (default 5s)\n"
    "  --config FILE          config file (default $XDG_CONFIG_HOME/acmetop/config)\n"
    "\n"
    "Console:\n"
    "  --theme NAME|PATH      default, light, high-contrast, monochrome, or a theme file\n"
    "  --copy-command CMD     copy through CMD's stdin instead of OSC 52\n"
    "\n"
    "Deploy, verify, collect (config keys in brackets):\n"
    "  --http01-listen ADDR:PORT  where the HTTP-01 responder listens\n"
    "                         (default 0.0.0.0:80) [http01_listen]\n"
    "  --cert-dir DIR         where certificates are saved (default\n"
    "                         $XDG_DATA_HOME/acmetop/certs, else\n"
    "                         ~/.local/share/acmetop/certs) [cert_dir]\n"
    "  --cert-overwrite       replace existing certificate files without asking\n"
    "                         [cert_overwrite]\n"
    "  --no-preflight         do not check a challenge before fulfilling it\n"
    "                         [preflight = false]\n"
    "  --preflight-timeout DUR    per check (default 5s) [preflight_timeout]\n"
    "  --preflight-http01-port N  port the http-01 check fetches (default 80)\n"
    "                         [preflight_http01_port]\n"
    "  --preflight-tlsalpn01-port N  port of the tls-alpn-01 check (default 443)\n"
    "                         [preflight_tlsalpn01_port]\n"
    "  --preflight-dns HOST[:PORT]  DNS server of the dns-01 check (default: the\n"
    "                         system resolver) [preflight_dns_server]\n"
    "  --preflight-resolve NAME=ADDR  resolve NAME (or *.domain, *) to ADDR in the\n"
    "                         http-01 and tls-alpn-01 checks; repeatable\n"
    "                         [preflight_resolve]\n"
    "\n"
    "The token comes from VAULT_TOKEN or ~/.vault-token, never from the command line.\n"
    "Keys: press ? in the console; see also man acmetop.\n";

enum {
    OPT_ONCE = 256, OPT_JSON, OPT_ADDR, OPT_NAMESPACE, OPT_MOUNT, OPT_ROLE, OPT_CACERT,
    OPT_CAPATH, OPT_CLIENT_CERT, OPT_CLIENT_KEY, OPT_SERVER_NAME, OPT_SKIP_VERIFY,
    OPT_CONNECT_TIMEOUT, OPT_TIMEOUT, OPT_PARALLEL, OPT_INTERVAL, OPT_CONFIG, OPT_THEME,
    OPT_COPY_COMMAND, OPT_DEPLOY,
};

static const struct option long_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"once", no_argument, NULL, OPT_ONCE},
    {"json", no_argument, NULL, OPT_JSON},
    {"addr", required_argument, NULL, OPT_ADDR},
    {"namespace", required_argument, NULL, OPT_NAMESPACE},
    {"mount", required_argument, NULL, OPT_MOUNT},
    {"role", required_argument, NULL, OPT_ROLE},
    {"ca-cert", required_argument, NULL, OPT_CACERT},
    {"ca-path", required_argument, NULL, OPT_CAPATH},
    {"client-cert", required_argument, NULL, OPT_CLIENT_CERT},
    {"client-key", required_argument, NULL, OPT_CLIENT_KEY},
    {"tls-server-name", required_argument, NULL, OPT_SERVER_NAME},
    {"tls-skip-verify", no_argument, NULL, OPT_SKIP_VERIFY},
    {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"parallel", required_argument, NULL, OPT_PARALLEL},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"theme", required_argument, NULL, OPT_THEME},
    {"copy-command", required_argument, NULL, OPT_COPY_COMMAND},
    /* deploy settings: handed to vault_config as (flag, value) pairs */
    {"http01-listen", required_argument, NULL, OPT_DEPLOY},
    {"cert-dir", required_argument, NULL, OPT_DEPLOY},
    {"cert-overwrite", no_argument, NULL, OPT_DEPLOY},
    {"no-preflight", no_argument, NULL, OPT_DEPLOY},
    {"preflight-timeout", required_argument, NULL, OPT_DEPLOY},
    {"preflight-http01-port", required_argument, NULL, OPT_DEPLOY},
    {"preflight-tlsalpn01-port", required_argument, NULL, OPT_DEPLOY},
    {"preflight-dns", required_argument, NULL, OPT_DEPLOY},
    {"preflight-resolve", required_argument, NULL, OPT_DEPLOY},
    {NULL, 0, NULL, 0},
};

struct cli {
    struct vault_config_flags flags;
    const char **roles;
    const char **deploy;   /* (flag, value) pairs, see vault_config_flags */
    char **deploy_names;   /* the "--name" strings of those flags */
    size_t deploy_names_count;
    bool once, json;
};

static void cli_free(struct cli *cli)
{
    free(cli->roles);
    free(cli->deploy);
    for (size_t i = 0; i < cli->deploy_names_count; i++)
        free(cli->deploy_names[i]);
    free(cli->deploy_names);
}

static void cli_add_deploy(struct cli *cli, const char *name, const char *value)
{
    struct vault_config_flags *f = &cli->flags;
    size_t len = strlen(name) + 3;
    char *flag = xmalloc(len);
    snprintf(flag, len, "--%s", name);
    cli->deploy_names = xrealloc(cli->deploy_names,
                                 (cli->deploy_names_count + 1) * sizeof(*cli->deploy_names));
    cli->deploy_names[cli->deploy_names_count++] = flag;
    cli->deploy = xrealloc(cli->deploy, (f->deploy_count + 1) * 2 * sizeof(*cli->deploy));
    cli->deploy[2 * f->deploy_count] = flag;
    cli->deploy[2 * f->deploy_count + 1] = value;
    f->deploy_count++;
    f->deploy = cli->deploy;
}

/* 0 to go on, or an exit status + 1. */
static int cli_parse(struct cli *cli, int argc, char **argv)
{
    struct vault_config_flags *f = &cli->flags;
    int c, index = 0;
    while ((c = getopt_long(argc, argv, "hV", long_options, &index)) != -1) {
        switch (c) {
        case 'h': fputs(usage_text, stdout); return 1;
        case 'V': printf("acmetop %s\n", ACMETOP_VERSION); return 1;
        case OPT_ONCE: cli->once = true; break;
        case OPT_JSON: cli->json = true; break;
        case OPT_ADDR: f->addr = optarg; break;
        case OPT_NAMESPACE: f->namespace_ = optarg; break;
        case OPT_MOUNT: f->mount = optarg; break;
        case OPT_ROLE:
            cli->roles = xrealloc(cli->roles, (f->role_count + 1) * sizeof(*cli->roles));
            cli->roles[f->role_count++] = optarg;
            f->roles = cli->roles;
            break;
        case OPT_CACERT: f->cacert = optarg; break;
        case OPT_CAPATH: f->capath = optarg; break;
        case OPT_CLIENT_CERT: f->client_cert = optarg; break;
        case OPT_CLIENT_KEY: f->client_key = optarg; break;
        case OPT_SERVER_NAME: f->tls_server_name = optarg; break;
        case OPT_SKIP_VERIFY: f->skip_verify = 1; break;
        case OPT_CONNECT_TIMEOUT: f->connect_timeout = optarg; break;
        case OPT_TIMEOUT: f->timeout = optarg; break;
        case OPT_PARALLEL: f->parallel = optarg; break;
        case OPT_INTERVAL: f->interval = optarg; break;
        case OPT_CONFIG: f->config_path = optarg; break;
        case OPT_THEME: f->theme = optarg; break;
        case OPT_COPY_COMMAND: f->copy_command = optarg; break;
        case OPT_DEPLOY: cli_add_deploy(cli, long_options[index].name, optarg); break;
        default:
            fputs("Try 'acmetop --help'.\n", stderr);
            return 3;
        }
    }
    if (optind < argc) {
        /* not echoed: it may be a token pasted by mistake */
        fprintf(stderr, "acmetop: unexpected argument #%d (a token is never given on the "
                        "command line: use VAULT_TOKEN or ~/.vault-token)\n", optind);
        return 3;
    }
    if (cli->json && !cli->once) {
        fputs("acmetop: --json goes with --once\n", stderr);
        return 3;
    }
    return 0;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    struct cli cli = {0};
    vault_config_flags_init(&cli.flags);
    int rc = cli_parse(&cli, argc, argv);
    if (rc) {
        cli_free(&cli);
        return rc - 1;
    }

    struct vault_config cfg;
    struct vault_error err;
    if (vault_config_load(&cfg, &cli.flags, NULL, &err) != 0) {
        fprintf(stderr, "acmetop: %s\n", vault_error_sentence(&err));
        cli_free(&cli);
        return 2;
    }
    cli_free(&cli);
    const char *warning = vault_config_warning(&cfg);
    if (warning)
        fprintf(stderr, "acmetop: warning: %s\n", warning);
    if (vault_client_global_init() != 0) {
        fputs("acmetop: cannot initialise libcurl\n", stderr);
        vault_config_free(&cfg);
        return 1;
    }

    int status;
    if (cli.once) {
        status = once_run(&cfg, cli.json, stdout, stderr);
    } else {
        status = console_run(&cfg);
    }
    vault_config_free(&cfg);
    vault_client_global_cleanup();
    return status;
}
