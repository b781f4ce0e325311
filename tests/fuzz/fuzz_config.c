/* fuzz_config: the config file ($XDG_CONFIG_HOME/acmetop/config or
 * --config FILE) through vault_config_load() (net/vault_config.c: lines,
 * comments, quotes) and the value checks of every setting
 * (net/setting_value.c: addresses, Vault paths, HOST:PORT, booleans,
 * numbers, durations via model/duration.c, rates, names, resolve maps).
 * The input is the file, given as an in-memory file by its /proc/self/fd
 * path; no environment, so no other source interferes and no token file
 * is read.
 * Checks: no crash, leak or hang; a file that loads leaves every value
 * inside the limits of its row (timeouts, parallel, interval, idle budget,
 * ports), an address that is http(s):// with a host and no trailing '/',
 * Vault paths without '/' at their ends, a responder address and DNS
 * server that parse as HOST:PORT again, role names without '/', resolve
 * entries with numeric addresses, no token but from a chosen context's
 * token_file, a context in use that is one of the file's [context NAME]
 * sections, each with a name and a colour of the eight; a file that is refused
 * gets a sentence naming the file (but for the client key without its
 * certificate), and leaves nothing to free (zeroed). */
#define _GNU_SOURCE /* memfd_create */
#include <arpa/inet.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "model/host_port.h"
#include "net/vault_config.h"

static bool vault_path_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return !s || (n > 0 && s[0] != '/' && s[n - 1] != '/');
}

static bool host_port_ok(const char *s, int default_port)
{
    struct host_port hp;
    struct parse_error err;
    return !s || host_port_parse(s, default_port, 0, "fuzz", &hp, &err) == 0;
}

static bool numeric_address(const char *s)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static void check_loaded(const struct vault_config *c)
{
    FUZZ_CHECK(c->addr && (strncasecmp(c->addr, "https://", 8) == 0 ||
                           strncasecmp(c->addr, "http://", 7) == 0),
               "addr \"%s\"", c->addr);
    FUZZ_CHECK(c->addr[strlen(c->addr) - 1] != '/', "addr \"%s\" ends in '/'", c->addr);
    FUZZ_CHECK(c->mount && vault_path_ok(c->mount), "mount \"%s\"", c->mount);
    FUZZ_CHECK(vault_path_ok(c->namespace_), "namespace \"%s\"", c->namespace_);
    FUZZ_CHECK(!c->token || c->context, "a token came from the config file");
    bool in_use = !c->context;
    for (size_t i = 0; i < c->context_count; i++) {
        const struct vault_context *x = &c->contexts[i];
        FUZZ_CHECK(x->name && x->name[0] && strlen(x->name) <= 64, "a context without a name");
        char word[80];
        snprintf(word, sizeof word, " %s ", x->color ? x->color : "black");
        FUZZ_CHECK(strstr(" black red green yellow blue magenta cyan white ", word),
                   "colour \"%s\"", x->color);
        FUZZ_CHECK(vault_path_ok(x->mount) && vault_path_ok(x->namespace_),
                   "context paths \"%s\" \"%s\"", x->mount, x->namespace_);
        in_use = in_use || strcmp(x->name, c->context) == 0;
    }
    FUZZ_CHECK(in_use, "context \"%s\" in use is not in the file", c->context);
    FUZZ_CHECK(c->connect_timeout_ms >= 1 && c->connect_timeout_ms <= 3600000,
               "connect_timeout %ld ms", c->connect_timeout_ms);
    FUZZ_CHECK(c->timeout_ms >= 1 && c->timeout_ms <= 3600000, "timeout %ld ms", c->timeout_ms);
    FUZZ_CHECK(c->parallel >= 1 && c->parallel <= 64, "parallel %d", c->parallel);
    FUZZ_CHECK(isfinite(c->poll_interval_s) && c->poll_interval_s >= 0.2 &&
                   c->poll_interval_s <= 3600,
               "interval %g s", c->poll_interval_s);
    FUZZ_CHECK(isfinite(c->idle_budget) && c->idle_budget >= 0.05 && c->idle_budget <= 50,
               "idle_budget %g", c->idle_budget);
    FUZZ_CHECK(c->role_count == 0 || c->roles, "roles: NULL array");
    for (size_t i = 0; i < c->role_count; i++)
        FUZZ_CHECK(c->roles[i] && c->roles[i][0] && !strchr(c->roles[i], '/'),
                   "role \"%s\"", c->roles[i]);
    const struct deploy_config *d = &c->deploy;
    FUZZ_CHECK(host_port_ok(d->http01_listen, -1), "http01_listen \"%s\"", d->http01_listen);
    FUZZ_CHECK(host_port_ok(d->checks.dns_server, 53), "dns_server \"%s\"",
               d->checks.dns_server);
    FUZZ_CHECK(d->checks.timeout_ms >= 100 && d->checks.timeout_ms <= 120000,
               "preflight_timeout %ld ms", d->checks.timeout_ms);
    FUZZ_CHECK(d->checks.http01_port >= 1 && d->checks.http01_port <= 65535, "port %d",
               d->checks.http01_port);
    FUZZ_CHECK(d->checks.tlsalpn01_port >= 1 && d->checks.tlsalpn01_port <= 65535, "port %d",
               d->checks.tlsalpn01_port);
    for (size_t i = 0; i < d->checks.resolve.count; i++) {
        const struct resolve_entry *e = &d->checks.resolve.entries[i];
        FUZZ_CHECK(e->pattern && e->pattern[0], "an empty resolve pattern");
        FUZZ_CHECK(numeric_address(e->address), "resolve address \"%s\"", e->address);
    }
    vault_config_warning(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-config", 0);
    FUZZ_CHECK(fd >= 0, "memfd_create failed");
    FUZZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size, "write failed");
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);

    struct vault_config_flags flags;
    vault_config_flags_init(&flags);
    flags.config_path = path;
    static const char *const envp[] = {NULL};
    struct vault_config c;
    struct vault_error err;
    if (vault_config_load(&c, &flags, envp, &err) == 0) {
        check_loaded(&c);
        vault_config_free(&c);
    } else {
        /* a value refused names file:line; the one check across two settings
           (a client key without a client certificate) names neither */
        const char *sentence = vault_error_sentence(&err);
        FUZZ_CHECK(strstr(sentence, path) || strstr(sentence, "client key"),
                   "a refused file is not named: %s", sentence);
        static const struct vault_config zero;
        FUZZ_CHECK(memcmp(&c, &zero, sizeof c) == 0, "a refused config is not zeroed");
    }
    close(fd);
    return 0;
}
