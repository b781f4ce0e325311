/* order_cache: the finished orders of one Vault mount kept across runs (see
 * order_cache.h). In this file: what the cache knows of each order (an
 * entry under the order's number in an ID index), loading, noting and
 * forgetting, and saving (the previous file merged with what changed, into
 * a new file put in its place). Elsewhere: the directory and its files
 * handled safely (cache_dir.c); the file's name, header, records, reading
 * and writing (order_cache_file.c, reading through json_stream.c); the text
 * of one record (model/order_record.c); the index (model/id_index.c). */
#include "net/order_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/hash64.h"
#include "model/id_index.h"
#include "model/json_field.h"
#include "model/order_record.h"
#include "model/order_status.h"
#include "model/xalloc.h"
#include "net/cache_dir.h"
#include "net/order_cache_file.h"

#define WHY_MAX 768 /* one sentence of why a file or directory cannot be used */
#define NONE ID_INDEX_NONE

/* What the cache knows of an order: c->e[k] for the ID of number k in c->ix. */
struct entry {
    uint64_t text_hash; /* hash of the record as in the file (or as it will be) */
    char *pending;      /* the record to write at the next save (changed since), or NULL */
    size_t pending_len;
    time_t last_update;
    enum order_status status;
    bool forgotten; /* forgotten since the last save: kept until then to drop it */
    bool written;   /* scratch of a save: already in the new file */
    bool seen;      /* scratch of a load: already in the file */
};

#define ORDER_CACHE_PENDING_MAX ((size_t)4 * 1024 * 1024) /* bytes of new records held */

struct order_cache {
    struct order_cache_scope scope; /* as recorded in the file */
    char *dir;                      /* NULL: memory only */
    char *name;                     /* orders-<hex>.json */
    char *path;                     /* dir/name; NULL when no directory could be named */
    struct id_index ix;             /* order ID -> number of its entry */
    struct entry *e;                /* ix.n entries */
    size_t cap;                     /* entries allocated */
    size_t forgotten;               /* entries with forgotten set */
    bool dirty;                     /* something to write */
    size_t pending_bytes;           /* record text held for the next save (about) */
    struct cache_dir_stamp saved;   /* the file as our last save or load left it */
    time_t current_at;              /* the loaded file's time: current as of then */
    char *warning;
    char *scratch; /* a record being built */
    size_t scratch_len, scratch_cap;
};

static void warn(struct order_cache *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct order_cache *c, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(c->warning);
    c->warning = xstrdup(buf);
}

/* ---- entries ---------------------------------------------------------------- */

/* A new, empty entry for id (not held yet): its number. */
static size_t entry_add(struct order_cache *c, const char *id)
{
    size_t k = id_index_add(&c->ix, id);
    if (k >= c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->e = xrealloc(c->e, c->cap * sizeof *c->e);
    }
    memset(&c->e[k], 0, sizeof c->e[k]);
    return k;
}

/* Drop entry k: the last one takes its number, as in the index. */
static void entry_remove(struct order_cache *c, size_t k)
{
    free(c->e[k].pending);
    id_index_remove(&c->ix, k);
    c->e[k] = c->e[c->ix.n];
}

/* ---- loading ---------------------------------------------------------------- */

struct load {
    struct order_cache *c;
    size_t first; /* the first entry the load added */
    struct order *orders;
    size_t n, cap;
};

static int load_record(void *arg, const char *p, size_t len, size_t n, char *why, size_t size)
{
    struct load *l = arg;
    struct order_cache *c = l->c;
    struct order o;
    if (order_cache_file_parse(p, len, n, &o, why, size) != 0)
        return -1;
    size_t k = id_index_find(&c->ix, o.id);
    if (k != NONE && c->e[k].seen) {
        char shown[ORDER_CACHE_FILE_QUOTE_MAX + 1];
        order_cache_file_quote(o.id, shown, sizeof shown);
        snprintf(why, size, "it is damaged (order %s appears twice)", shown);
        order_clear(&o);
        return -1;
    }
    if (k == NONE) { /* an order noted before the load keeps the noted version */
        k = entry_add(c, o.id);
        /* a file of ours holds records as note() makes them */
        c->e[k].text_hash = hash64_bytes(p, len);
        c->e[k].status = o.status;
        c->e[k].last_update = o.last_update;
    }
    c->e[k].seen = true;
    o.unverified = true;
    o.detail_known = true;
    o.stale = false;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->orders = xrealloc(l->orders, l->cap * sizeof *l->orders);
    }
    l->orders[l->n++] = o;
    return 0;
}

int order_cache_load(struct order_cache *c, struct order **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!c->dir)
        return 0;
    char why[WHY_MAX] = "";
    int dirfd = cache_dir_open(c->dir, why, sizeof why);
    if (dirfd < 0) {
        warn(c, "the order cache %s was not read: %s", c->path, why);
        return -1;
    }
    int fd;
    struct stat st;
    int found =
        cache_dir_file_open(dirfd, c->name, ORDER_CACHE_FILE_MAX, &fd, &st, why, sizeof why);
    close(dirfd);
    if (found == 0)
        return 0;
    for (size_t k = 0; k < c->ix.n; k++)
        c->e[k].seen = false;
    struct load l = {.c = c, .first = c->ix.n};
    int rc = found < 0 ? -1
                       : order_cache_file_read(fd, &c->scope, load_record, &l, why, sizeof why);
    if (fd >= 0)
        close(fd);
    if (rc != 0) {
        warn(c, "the order cache %s was ignored: %s; the next save replaces it", c->path, why);
        for (size_t i = 0; i < l.n; i++)
            order_clear(&l.orders[i]);
        free(l.orders);
        while (c->ix.n > l.first)
            entry_remove(c, c->ix.n - 1);
        c->dirty = true; /* replace it even if nothing else changes */
        return -1;
    }
    /* every record of it was checked: the next save may copy them as they are */
    c->saved = cache_dir_stamp_of(&st);
    c->current_at = st.st_mtime;
    if (l.n == 0) {
        free(l.orders);
        l.orders = NULL;
    } else if (l.n < l.cap) {
        l.orders = xrealloc(l.orders, l.n * sizeof *l.orders);
    }
    *out = l.orders;
    *n = l.n;
    return 0;
}

/* ---- noting and forgetting ---------------------------------------------- */

static void entry_forget(struct order_cache *c, size_t k)
{
    struct entry *e = &c->e[k];
    if (e->forgotten)
        return;
    c->dirty = true;
    if (!c->dir) { /* no file to drop it from */
        entry_remove(c, k);
        return;
    }
    c->pending_bytes -= e->pending ? e->pending_len : 0;
    free(e->pending);
    e->pending = NULL;
    e->forgotten = true;
    c->forgotten++;
}

void order_cache_forget(struct order_cache *c, const char *order_id)
{
    if (!c || !order_id)
        return;
    size_t k = id_index_find(&c->ix, order_id);
    if (k != NONE)
        entry_forget(c, k);
}

void order_cache_note(struct order_cache *c, const struct order *o)
{
    if (!c || !o || !json_name_is_clean(o->id))
        return;
    size_t k = id_index_find(&c->ix, o->id);
    if (!o->detail_known) {
        /* list data only: confirms what the cache holds, or makes it outdated */
        if (k != NONE && !c->e[k].forgotten &&
            (c->e[k].status != o->status ||
             (o->last_update && c->e[k].last_update != o->last_update)))
            entry_forget(c, k);
        return;
    }
    c->scratch_len = 0;
    order_record_append(o, &c->scratch, &c->scratch_len, &c->scratch_cap);
    uint64_t th = hash64_bytes(c->scratch, c->scratch_len);
    if (c->scratch_len > ORDER_CACHE_FILE_RECORD_MAX) { /* could not be read back: do not keep it */
        if (k != NONE)
            entry_forget(c, k);
        return;
    }
    if (k == NONE) {
        k = entry_add(c, o->id);
    } else {
        if (!c->e[k].forgotten && c->e[k].text_hash == th)
            return; /* a repeat */
        if (c->e[k].forgotten) {
            c->e[k].forgotten = false;
            c->forgotten--;
        }
    }
    struct entry *e = &c->e[k];
    e->text_hash = th;
    e->status = o->status;
    e->last_update = o->last_update;
    c->pending_bytes -= e->pending ? e->pending_len : 0;
    free(e->pending);
    e->pending = NULL;
    e->pending_len = 0;
    if (c->dir) {
        e->pending = xmalloc(c->scratch_len);
        memcpy(e->pending, c->scratch, c->scratch_len);
        e->pending_len = c->scratch_len;
        c->pending_bytes += c->scratch_len;
    }
    c->dirty = true;
    /* a first discovery of 100,000 orders would hold the text of every
     * record until the next save: write it out in slices instead */
    if (c->pending_bytes > ORDER_CACHE_PENDING_MAX)
        order_cache_save(c);
}

/* ---- saving ------------------------------------------------------------------ */

struct merge {
    struct order_cache *c;
    struct order_cache_file_out *out;
};

/* An order of the previous file (entry k, NONE if the cache does not hold
 * it) at a save: write what the cache holds for it (its changed record, or
 * rec as it is), or nothing if the cache does not hold it (any more). */
static int merge_put(struct merge *m, size_t k, const char *rec, size_t len)
{
    if (k == NONE)
        return 0;
    struct entry *e = &m->c->e[k];
    if (e->forgotten || e->written)
        return 0;
    if (e->pending)
        e->written = order_cache_file_put(m->out, e->pending, e->pending_len);
    else
        e->written = order_cache_file_put(m->out, rec, len);
    return m->out->err ? -2 : 0;
}

/* The previous file is the one our last save wrote (or our last load
 * checked): records are copied as they are. */
static int merge_trusted(void *arg, const char *p, size_t len, size_t n, char *why, size_t size)
{
    struct merge *m = arg;
    (void)n;
    char *id = order_cache_file_record_id(p, len);
    if (!id) {
        snprintf(why, size, "a record does not start with its order ID");
        return -1;
    }
    int rc = merge_put(m, id_index_find(&m->c->ix, id), p, len);
    free(id);
    return rc;
}

/* The previous file changed since our last save or load (another acmetop
 * wrote it): each record is checked before it is copied. For an order the
 * cache holds unchanged, and for one it never heard of, the file's version
 * is kept (and now held); what the cache changed or forgot wins. */
static int merge_checked(void *arg, const char *p, size_t len, size_t n, char *why, size_t size)
{
    struct merge *m = arg;
    struct order_cache *c = m->c;
    struct order ord;
    if (order_cache_file_parse(p, len, n, &ord, why, size) != 0)
        return -1;
    size_t k = id_index_find(&c->ix, ord.id);
    if (k == NONE)
        k = entry_add(c, ord.id);
    struct entry *e = &c->e[k];
    if (!e->pending && !e->forgotten && !e->written) {
        e->text_hash = hash64_bytes(p, len);
        e->status = ord.status;
        e->last_update = ord.last_update;
    }
    order_clear(&ord);
    return merge_put(m, k, p, len);
}

enum merge_mode { MERGE_TRUSTED, MERGE_CHECKED, MERGE_FRESH };

/* The new file's content into o: the previous file (oldfd, -1 if none)
 * merged with the changes. A previous file that turns out unusable is
 * dropped and the write starts over without it. 0, or -1 (o->err). */
static int write_merged(struct order_cache *c, struct order_cache_file_out *o, int oldfd,
                        enum merge_mode mode)
{
    struct merge m = {c, o};
    for (;; mode = mode == MERGE_TRUSTED ? MERGE_CHECKED : MERGE_FRESH) {
        for (size_t k = 0; k < c->ix.n; k++)
            c->e[k].written = false;
        if (order_cache_file_begin(o, &c->scope) != 0 || mode == MERGE_FRESH)
            break;
        char why[WHY_MAX];
        int rc = lseek(oldfd, 0, SEEK_SET) != 0
                     ? -1
                     : order_cache_file_read(oldfd, &c->scope,
                                             mode == MERGE_TRUSTED ? merge_trusted : merge_checked,
                                             &m, why, sizeof why);
        if (rc == 0 || o->err)
            break;
    }
    for (size_t k = 0; k < c->ix.n && !o->err; k++) {
        struct entry *e = &c->e[k];
        if (e->pending && !e->forgotten && !e->written)
            e->written = order_cache_file_put(o, e->pending, e->pending_len);
    }
    return order_cache_file_end(o);
}

/* After a save: the cache holds exactly what the file holds. */
static void entries_settle(struct order_cache *c)
{
    for (size_t k = c->ix.n; k-- > 0;) {
        struct entry *e = &c->e[k];
        if (e->forgotten || !e->written) {
            entry_remove(c, k);
            continue;
        }
        free(e->pending);
        e->pending = NULL;
        e->pending_len = 0;
    }
    c->forgotten = 0;
    c->pending_bytes = 0;
}

static int save_failed(struct order_cache *c, const char *why)
{
    warn(c,
         "the order cache %s could not be written: %s; finished orders stay in memory and the "
         "next save tries again",
         c->path, why);
    return -1;
}

/* Write the new file beside the cache file and put it in its place. */
static int save_to(struct order_cache *c, int dirfd)
{
    char why[WHY_MAX];
    struct cache_dir_replace rp;
    if (cache_dir_replace_begin(&rp, dirfd, c->name, why, sizeof why) != 0)
        return save_failed(c, why);
    int oldfd = -1;
    struct stat st;
    enum merge_mode mode = MERGE_FRESH;
    if (cache_dir_file_open(dirfd, c->name, ORDER_CACHE_FILE_MAX, &oldfd, &st, why, sizeof why) > 0)
        mode = cache_dir_stamp_matches(&c->saved, &st) ? MERGE_TRUSTED : MERGE_CHECKED;
    struct order_cache_file_out o = {.fd = rp.fd};
    int rc = write_merged(c, &o, oldfd, mode);
    if (oldfd >= 0)
        close(oldfd);
    if (rc != 0) {
        cache_dir_replace_abandon(&rp);
        snprintf(why, sizeof why, "cannot write it (%s)", strerror(o.err ? o.err : EIO));
        return save_failed(c, why);
    }
    if (cache_dir_replace_commit(&rp, &c->saved, why, sizeof why) != 0)
        return save_failed(c, why);
    entries_settle(c);
    c->dirty = false;
    return 0;
}

int order_cache_save(struct order_cache *c)
{
    if (!c || !c->dir || !c->dirty)
        return 0;
    char why[WHY_MAX];
    int dirfd = cache_dir_open(c->dir, why, sizeof why);
    if (dirfd < 0)
        return save_failed(c, why);
    int rc = save_to(c, dirfd);
    close(dirfd);
    return rc;
}

/* ---- the rest of the API ------------------------------------------------- */

/* A copy without trailing slashes ("" for NULL). */
static char *normalised(const char *s)
{
    size_t len = s ? strlen(s) : 0;
    while (len > 1 && s[len - 1] == '/')
        len--;
    return xstrndup(s ? s : "", len);
}

struct order_cache *order_cache_open(const char *dir, const char *addr, const char *namespace_,
                                     const char *mount, const char *const *envp)
{
    struct order_cache *c = xcalloc(1, sizeof *c);
    c->scope = (struct order_cache_scope){normalised(addr), normalised(namespace_),
                                          normalised(mount)};
    c->name = order_cache_file_name(&c->scope);
    char *d = dir && dir[0] ? normalised(dir) : cache_dir_default(envp);
    if (!d) {
        warn(c, "the order cache is off for this run: neither XDG_CACHE_HOME nor HOME names an "
                "absolute directory; finished orders are kept in memory only");
        return c;
    }
    size_t len = strlen(d) + strlen(c->name) + 2;
    c->path = xmalloc(len);
    snprintf(c->path, len, "%s/%s", strcmp(d, "/") == 0 ? "" : d, c->name);
    char why[WHY_MAX];
    int dirfd = cache_dir_open(d, why, sizeof why);
    if (dirfd < 0) {
        warn(c, "the order cache is off for this run: %s; finished orders are kept in memory only",
             why);
        free(d);
        return c;
    }
    close(dirfd);
    c->dir = d;
    return c;
}

time_t order_cache_current_at(const struct order_cache *c)
{
    return c->current_at;
}

int order_cache_mark_current(struct order_cache *c)
{
    if (!c->dir || c->dirty)
        return c->dir ? -1 : 0;
    char why[WHY_MAX] = "";
    int dirfd = cache_dir_open(c->dir, why, sizeof why);
    if (dirfd < 0)
        return -1;
    struct stat st;
    int rc = -1;
    /* only the file this cache wrote or read last: another acmetop's is not
     * vouched for by this one */
    if (fstatat(dirfd, c->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        cache_dir_stamp_matches(&c->saved, &st) &&
        utimensat(dirfd, c->name, NULL, AT_SYMLINK_NOFOLLOW) == 0 &&
        fstatat(dirfd, c->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        c->saved = cache_dir_stamp_of(&st);
        rc = 0;
    }
    close(dirfd);
    return rc;
}

const char *order_cache_warning(const struct order_cache *c)
{
    return c ? c->warning : NULL;
}

const char *order_cache_path(const struct order_cache *c)
{
    return c ? c->path : NULL;
}

size_t order_cache_count(const struct order_cache *c)
{
    return c ? c->ix.n - c->forgotten : 0;
}

void order_cache_free(struct order_cache *c)
{
    if (!c)
        return;
    for (size_t k = 0; k < c->ix.n; k++)
        free(c->e[k].pending);
    free(c->e);
    id_index_free(&c->ix);
    free(c->scope.addr);
    free(c->scope.namespace_);
    free(c->scope.mount);
    free(c->dir);
    free(c->name);
    free(c->path);
    free(c->warning);
    free(c->scratch);
    free(c);
}
