/* place_plan: which (namespace, mount) pairs a context watches (see
 * place_plan.h). */
#include "net/place_plan.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/strv.h"
#include "model/xalloc.h"
#include "net/vault_client.h"

#define PLACE_TYPE "pki-external-ca"

static bool is_star(const char *s)
{
    return s && strcmp(s, "*") == 0;
}

bool place_plan_fans_out(const struct vault_config *cfg)
{
    return is_star(cfg->namespace_) || is_star(cfg->mount) ||
           (cfg->mount && strchr(cfg->mount, ','));
}

void context_places_free(struct context_place *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].namespace_);
        free(p[i].mount);
    }
    free(p);
}

/* A client of cfg in namespace ns ("" = root). NULL with note set. */
static struct vault_client *client_in(const struct vault_config *cfg, const char *ns,
                                      const atomic_bool *cancel, char *note, size_t note_size)
{
    struct vault_config c = *cfg; /* shallow: only the namespace differs */
    c.namespace_ = ns && *ns ? (char *)ns : NULL;
    if (!c.mount || is_star(c.mount) || strchr(c.mount, ','))
        c.mount = "sys"; /* only sys/ paths are read here */
    struct vault_error err;
    struct vault_client *client = vault_client_new(&c, &err);
    if (!client)
        snprintf(note, note_size, "%s", vault_error_sentence(&err));
    else if (cancel)
        vault_client_set_cancel(client, cancel);
    return client;
}

static void note_once(char *note, size_t size, const char *fmt, const char *a, const char *b)
{
    if (!note[0])
        snprintf(note, size, fmt, a, b);
}

size_t place_plan_namespaces(const struct vault_config *cfg, const atomic_bool *cancel,
                             struct context_place **out, char *note, size_t note_size)
{
    note[0] = '\0';
    size_t n = 1, cap = 16;
    struct context_place *v = xcalloc(cap, sizeof *v);
    v[0].namespace_ = xstrdup("");
    /* breadth first: v[i]'s children are appended as they are found */
    for (size_t i = 0; i < n && n < PLACE_PLAN_MAX; i++) {
        struct vault_client *client = client_in(cfg, v[i].namespace_, cancel, note, note_size);
        if (!client)
            break;
        char **keys = NULL;
        size_t k = 0;
        struct vault_error err;
        if (vault_client_list_keys(client, "sys/namespaces", &keys, &k, &err) != 0) {
            v[i].denied = err.http_status == 403;
            if (!v[i].denied)
                note_once(note, note_size, "the namespaces under \"%s\" could not be listed: %s",
                          v[i].namespace_, vault_error_sentence(&err));
        }
        for (size_t j = 0; j < k && n < PLACE_PLAN_MAX; j++) {
            size_t len = strlen(keys[j]);
            while (len && keys[j][len - 1] == '/')
                len--;
            if (!len)
                continue;
            if (n == cap)
                v = xrealloc(v, (cap *= 2) * sizeof *v);
            memset(&v[n], 0, sizeof v[n]);
            size_t size = strlen(v[i].namespace_) + len + 2;
            v[n].namespace_ = xmalloc(size);
            snprintf(v[n].namespace_, size, "%s%s%.*s", v[i].namespace_,
                     v[i].namespace_[0] ? "/" : "", (int)len, keys[j]);
            n++;
        }
        if (n >= PLACE_PLAN_MAX)
            note_once(note, note_size, "more than %s namespaces: only the first %s are watched",
                      "256", "256");
        strv_free(keys, k);
        vault_client_free(client);
    }
    *out = v;
    return n;
}

/* The mounts of type pki-external-ca in one answer: the object under
 * data.secret (sys/internal/ui/mounts) or data (sys/mounts). */
static void collect_mounts(const char *body, size_t len, char ***names, size_t *n)
{
    cJSON *root = cJSON_ParseWithLength(body, len);
    cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    cJSON *secret = cJSON_GetObjectItemCaseSensitive(data, "secret");
    cJSON *table = cJSON_IsObject(secret) ? secret : data;
    cJSON *m;
    cJSON_ArrayForEach(m, table)
    {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(m, "type");
        if (!m->string || !cJSON_IsString(type) || strcmp(type->valuestring, PLACE_TYPE) != 0)
            continue;
        size_t k = strlen(m->string);
        while (k && m->string[k - 1] == '/')
            k--;
        if (!k || memchr(m->string, '\n', k))
            continue;
        char *name = xstrndup(m->string, k);
        strv_push(names, n, name);
        free(name);
    }
    cJSON_Delete(root);
}

/* Every mount of the engine in namespace ns; -1 when neither path may be
 * read (denied: *denied set). */
static int find_mounts(const struct vault_config *cfg, const char *ns, const atomic_bool *cancel,
                       char ***names, size_t *n, bool *denied, char *note, size_t note_size)
{
    struct vault_client *client = client_in(cfg, ns, cancel, note, note_size);
    if (!client)
        return -1;
    static const char *const paths[] = {"sys/internal/ui/mounts", "sys/mounts"};
    int rc = -1;
    *denied = false;
    for (size_t i = 0; i < 2 && rc != 0; i++) {
        struct vault_response r = {0};
        struct vault_error err;
        if (vault_client_get(client, paths[i], NULL, &r, &err) == 0) {
            collect_mounts(r.body, r.body_len, names, n);
            rc = 0;
        } else {
            *denied = err.http_status == 403;
        }
        vault_response_free(&r);
    }
    vault_client_free(client);
    return rc;
}

static void add_place(struct context_place **v, size_t *n, size_t *cap, const char *ns,
                      const char *mount, bool denied)
{
    if (*n == *cap)
        *v = xrealloc(*v, (*cap = *cap ? *cap * 2 : 8) * sizeof **v);
    (*v)[*n].namespace_ = xstrdup(ns ? ns : "");
    (*v)[*n].mount = xstrdup(mount);
    (*v)[*n].denied = denied;
    (*n)++;
}

size_t place_plan(const struct vault_config *cfg, const atomic_bool *cancel,
                  struct context_place **out, char *note, size_t note_size)
{
    note[0] = '\0';
    struct context_place *spaces;
    size_t ns_count;
    if (is_star(cfg->namespace_)) {
        ns_count = place_plan_namespaces(cfg, cancel, &spaces, note, note_size);
    } else {
        ns_count = 1;
        spaces = xcalloc(1, sizeof *spaces);
        spaces[0].namespace_ = xstrdup(cfg->namespace_ ? cfg->namespace_ : "");
    }
    struct context_place *v = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < ns_count && n < PLACE_PLAN_MAX; i++) {
        char **mounts = NULL;
        size_t m = 0;
        bool denied = false;
        if (is_star(cfg->mount)) {
            if (find_mounts(cfg, spaces[i].namespace_, cancel, &mounts, &m, &denied, note,
                            note_size) != 0 && !denied)
                note_once(note, note_size, "the mounts of namespace \"%s\" could not be %s",
                          spaces[i].namespace_, "read");
        } else {
            char *list = xstrdup(cfg->mount ? cfg->mount : "");
            for (char *save = NULL, *t = strtok_r(list, ", ", &save); t;
                 t = strtok_r(NULL, ", ", &save))
                strv_push(&mounts, &m, t);
            free(list);
        }
        for (size_t j = 0; j < m && n < PLACE_PLAN_MAX; j++)
            add_place(&v, &n, &cap, spaces[i].namespace_, mounts[j], false);
        strv_free(mounts, m);
    }
    context_places_free(spaces, ns_count);
    if (n == 0)
        note_once(note, note_size, "no mount of type %s was found%s", PLACE_TYPE,
                  is_star(cfg->namespace_) ? " in any namespace the token can reach" : "");
    *out = v;
    return n;
}
