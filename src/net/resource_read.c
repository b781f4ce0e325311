/* resource_read: LIST + GET each of one kind (see resource_read.h). */
#include "net/resource_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/dns_provider.h"
#include "model/strv.h"
#include "model/xalloc.h"

/* GET path of one key: "<kind path>/<key>", each segment escaped. */
static char *item_path(struct vault_client *client, enum resource_kind kind, const char *key)
{
    if (kind == RESOURCE_DNS) {
        char *type, *name;
        if (dns_provider_split_key(key, &type, &name) != 0)
            return NULL;
        char *p = vault_client_mount_path_escaped(client, "config/dns/%s/%s", type, name);
        free(type);
        free(name);
        return p;
    }
    char fmt[64];
    snprintf(fmt, sizeof fmt, "%s/%%s", resource_kind_path(kind));
    return vault_client_mount_path_escaped(client, fmt, key, NULL);
}

struct msg *resource_read(struct vault_client *client, uint64_t request_id,
                          enum resource_kind kind)
{
    char *path = vault_client_mount_path(client, resource_kind_path(kind));
    struct vault_error err;
    char **keys = NULL;
    size_t n = 0;
    if (vault_client_list_keys(client, path, &keys, &n, &err) != 0) {
        struct msg *m = msg_new_resources_take(request_id, kind, NULL, 0, false,
                                               vault_error_sentence(&err));
        free(path);
        return m;
    }
    free(path);
    if (n > RESOURCE_READ_MAX) {
        for (size_t i = RESOURCE_READ_MAX; i < n; i++)
            free(keys[i]);
        n = RESOURCE_READ_MAX;
    }
    struct vault_request *reqs = n ? xcalloc(n, sizeof(*reqs)) : NULL;
    for (size_t i = 0; i < n; i++) {
        reqs[i].method = "GET";
        reqs[i].path = item_path(client, kind, keys[i]);
    }
    /* a key that is no path (a DNS key without '/') is not asked for */
    size_t asked = 0;
    for (size_t i = 0; i < n; i++)
        if (reqs[i].path)
            asked++;
    if (asked == n)
        vault_client_batch(client, reqs, n);
    else
        for (size_t i = 0; i < n; i++)
            if (reqs[i].path)
                vault_client_batch(client, &reqs[i], 1);
    struct resource_item *items = n ? xcalloc(n, sizeof(*items)) : NULL;
    size_t k = 0;
    char note[1200] = "";
    for (size_t i = 0; i < n; i++) {
        if (!reqs[i].path)
            continue;
        if (reqs[i].rc != 0 && reqs[i].response.status == 404) {
            /* gone between the LIST and its GET: left out */
        } else {
            struct resource_item *it = &items[k++];
            it->key = xstrdup(keys[i]);
            if (reqs[i].rc != 0) {
                it->error = xstrdup(vault_error_sentence(&reqs[i].error));
            } else {
                it->json = resource_data_json(reqs[i].response.body, reqs[i].response.body_len);
                if (!it->json)
                    it->error = xstrdup("Vault's answer is not {\"data\":{...}}");
            }
            if (it->error && !note[0])
                snprintf(note, sizeof note, "%s", it->error);
        }
        free((char *)reqs[i].path);
        vault_response_free(&reqs[i].response);
    }
    free(reqs);
    strv_free(keys, n);
    if (k == 0) {
        free(items);
        items = NULL;
    }
    return msg_new_resources_take(request_id, kind, items, k, true, note[0] ? note : NULL);
}
