/* dns_provider_read: LIST config/dns + GET each (see dns_provider_read.h). */
#include "net/dns_provider_read.h"

#include <stdlib.h>

#include "model/strv.h"
#include "model/xalloc.h"

/* GET config/dns/:type/:name into *p: 0, 1 when it is gone (404), -1. */
static int read_one(struct vault_client *client, const char *key, struct dns_provider *p,
                    struct vault_error *err)
{
    char *type, *name;
    if (dns_provider_split_key(key, &type, &name) != 0)
        return 1; /* not "<type>/<name>": nothing Vault could use either */
    char *path = vault_client_mount_path_escaped(client, "config/dns/%s/%s", type, name);
    struct vault_response r = {0};
    int rc = vault_client_get(client, path, NULL, &r, err);
    if (rc != 0 && r.status == 404) {
        vault_error_clear(err);
        rc = 1;
    } else if (rc == 0) {
        struct parse_error perr;
        if (dns_provider_parse_response(r.body, r.body_len, type, name, p, &perr) != 0) {
            vault_error_clear(err);
            err->transport = VT_MALFORMED;
            rc = -1;
        }
    }
    vault_response_free(&r);
    free(path);
    free(type);
    free(name);
    return rc;
}

int dns_provider_read_all(struct vault_client *client, struct dns_provider **out, size_t *n,
                          struct vault_error *err)
{
    *out = NULL;
    *n = 0;
    char *path = vault_client_mount_path(client, "config/dns");
    char **keys;
    size_t count;
    int rc = vault_client_list_keys(client, path, &keys, &count, err);
    free(path);
    if (rc != 0)
        return -1;
    size_t want = count > DNS_PROVIDER_READ_MAX ? DNS_PROVIDER_READ_MAX : count;
    struct dns_provider *v = want ? xcalloc(want, sizeof(*v)) : NULL;
    size_t k = 0;
    for (size_t i = 0; i < want && rc == 0; i++) {
        int one = read_one(client, keys[i], &v[k], err);
        if (one == 0)
            k++;
        else if (one < 0)
            rc = -1;
    }
    strv_free(keys, count);
    if (rc != 0 || k == 0) {
        dns_providers_free(v, k);
        return rc;
    }
    *out = v;
    *n = k;
    return 0;
}
