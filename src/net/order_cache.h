/* order_cache: the orders of one Vault mount remembered across runs, so that
 * a restart shows the list at once and reads in full only what changed.
 *
 * One file per Vault address + namespace + mount:
 *   $XDG_CACHE_HOME/acmetop/orders-<16 hex>.json (else $HOME/.cache/acmetop/),
 * the hex being the start of SHA-256("addr\nnamespace\nmount") (trailing
 * slashes of each value dropped). The directory is created 0700 (with its
 * missing parents, 0700 too) and tightened to 0700 if it is ours and looser;
 * the file is 0600 and written atomically (a temporary file in the same
 * directory opened O_CREAT|O_EXCL, fsync, rename, fsync of the directory).
 *
 * Every order read in full is kept (list data alone is not). The engine
 * trusts none of them blindly (net/discovery.h): the file's time says when
 * they were current, and the first recent listing of the next run vouches
 * for them only when it reaches back that far; otherwise error, expired and
 * revoked ones (they never change) are vouched for by the complete listing,
 * completed ones (they can only become revoked) re-checked within the idle
 * budget, and unfinished ones read again at once. A record holds what
 * struct order holds (model/order_record.h): no token, no key, no key
 * authorization, no challenge token.
 *
 * File format (version 1), one record per line:
 *   {"acmetop_cache":1,"addr":"https://vault:8200","namespace":"",
 *    "mount":"pki-external-ca","written":"2026-07-01T09:00:00Z","orders":[
 *   {"order_id":"…","order_status":"completed",…},
 *   …
 *   ]}
 * (the header is one line). The file is never trusted blindly. It is ignored,
 * with one warning sentence, when it is: a symbolic link or not a regular
 * file, owned by another user, writable by group or others, larger than
 * 256 MiB, not JSON, not of version 1 ("acmetop_cache" must be its first
 * field), written for another address/namespace/mount (a copied file or a
 * hash collision: "another Vault's file"), or when any record has a wrong
 * type, an oversize string or list, a bad time, an unclean order ID, or an
 * ID seen twice. An ignored file is replaced by the next save. Every string
 * read is sanitised like Vault's answers.
 *
 * Memory: the cache does not keep the orders. Per order it keeps the ID, a
 * hash of the record, the status and last_update (to tell a change from a
 * repeat), and the record text only of what changed since the last save;
 * a save streams the previous file into the new one, replacing what changed
 * (records of a file this cache last loaded or wrote are copied as they
 * are; a file another acmetop wrote since is checked record by record, and
 * its orders are kept unless this cache changed or forgot them). Loading
 * streams the file record by record through a window of about 1 MiB, never
 * a cJSON tree of the whole file. 100,000 orders: about 5 MB held.
 *
 * Not thread-safe: one thread (the engine's worker) uses a cache. */
#ifndef ACMETOP_ORDER_CACHE_H
#define ACMETOP_ORDER_CACHE_H

#include <stddef.h>

#include "model/order.h"

#define ORDER_CACHE_VERSION 1
#define ORDER_CACHE_FILE_MAX ((long long)256 * 1024 * 1024) /* bytes */

struct order_cache;

/* The cache for this Vault address + namespace (NULL/"" = none) + mount. dir: the cache directory,
 * NULL = $XDG_CACHE_HOME/acmetop or $HOME/.cache/acmetop (envp NULL: the process environment;
 * otherwise a NULL-terminated "NAME=value" array, for tests). Never fails: without a usable
 * directory it works in memory only and says why in order_cache_warning(). */
struct order_cache *order_cache_open(const char *dir, const char *addr, const char *namespace_,
                                     const char *mount, const char *const *envp);

/* The orders of the file, marked unverified (order.unverified = true,
 * detail_known = true), newly allocated (*out: xmalloc'ed array of *n orders; free each with
 * order_free and the array with free). 0 with *n = 0 when there is no file yet; -1 when the
 * file was ignored (corrupt, foreign, unsafe permissions, other version): the reason in
 * order_cache_warning(). *out is NULL when *n is 0. In memory-only mode: 0 with *n = 0.
 * Call it once, before noting; an order
 * noted before the load keeps the noted version in the cache (the file's is still returned). */
int order_cache_load(struct order_cache *c, struct order **out, size_t *n);

/* Remember o (copied) as read in full. Cheap: in memory.
 * An order with only list data (detail_known false) is not stored; if the cache holds that ID
 * with another status or last_update, it is forgotten (the full order will be noted later).
 * An order whose ID is not a clean name (model/json_field.h) is ignored. */
void order_cache_note(struct order_cache *c, const struct order *o);

/* Forget an order (it vanished from Vault). */
void order_cache_forget(struct order_cache *c, const char *order_id);

/* Write the file if something changed since the last write (atomically). 0, or -1 with the
 * reason in order_cache_warning(). In memory-only mode: 0, nothing written. After a failure
 * the changes are kept and the next save tries again. */
int order_cache_save(struct order_cache *c);

/* The time of the file load read (its modification time): every order in
 * it was current as of then. 0 when nothing was loaded. */
time_t order_cache_current_at(const struct order_cache *c);

/* Everything written is still current now (the engine has watched every
 * change since the last save): the file's time moves to now, so the next
 * run knows how far back its first listing must reach. Only the file this
 * cache last wrote or read, and only when nothing is left to write (save
 * first). 0, or -1 when it could not. */
int order_cache_mark_current(struct order_cache *c);

/* The last warning sentence ("the order cache /x/y was ignored: it is not a cache file of this
 * version (...)"), or NULL. */
const char *order_cache_warning(const struct order_cache *c);

/* Where the file is (for messages and tests); NULL when no directory could be named at all
 * (neither XDG_CACHE_HOME nor HOME set). */
const char *order_cache_path(const struct order_cache *c);

/* Finished orders the cache holds now. */
size_t order_cache_count(const struct order_cache *c);

void order_cache_free(struct order_cache *c);

#endif
