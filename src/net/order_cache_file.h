/* order_cache_file: the file of the order cache (format in order_cache.h) —
 * its name, reading one as a stream of records after checking its header,
 * a record turned back into an order, and writing a new file record by
 * record. What the file means to the cache (which records to keep, merging
 * a previous file with what changed) is net/order_cache.c; the text of one
 * record is model/order_record.c; the stream is net/json_stream.c. */
#ifndef ACMETOP_NET_ORDER_CACHE_FILE_H
#define ACMETOP_NET_ORDER_CACHE_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/order.h"

#define ORDER_CACHE_FILE_RECORD_MAX ((size_t)8 << 20) /* one record or header value, bytes */
#define ORDER_CACHE_FILE_QUOTE_MAX 200               /* bytes of a file's value in a warning */

/* Whose file it is: the Vault address, namespace and mount, without trailing
 * slashes, as the header records them. */
struct order_cache_scope {
    char *addr, *namespace_, *mount;
};

/* orders-<first 16 hex of SHA-256("addr\nnamespace\nmount")>.json, newly
 * allocated. */
char *order_cache_file_name(const struct order_cache_scope *scope);

/* Called for each record of a file (its text p[0..len), valid during the
 * call, the n-th from 0). 0 to go on; -1 stops with why (size bytes): the
 * file is not usable; another value stops for a reason of the caller's own. */
typedef int (*order_cache_file_record_fn)(void *arg, const char *p, size_t len, size_t n,
                                          char *why, size_t size);

/* Read the cache file at fd (from where it is): its header must be of this
 * version and of scope, then each record goes to fn. 0; -1 with why (the
 * file is not usable: "it is another Vault's file (...)", "it ends too early
 * (...)"); or fn's other stop value. */
int order_cache_file_read(int fd, const struct order_cache_scope *scope,
                          order_cache_file_record_fn fn, void *arg, char *why, size_t size);

/* Record n (from 0) -> *o (initialised here), strictly checked and
 * sanitised. 0, or -1 with why ("it is damaged (order 3: ...)"). */
int order_cache_file_parse(const char *p, size_t len, size_t n, struct order *o, char *why,
                           size_t size);

/* The order ID at the start of a record this cache file wrote (read without
 * parsing the rest), newly allocated; NULL if the record does not start
 * with one. */
char *order_cache_file_record_id(const char *p, size_t len);

/* A value read from a file, fit to quote in a warning: cut to
 * ORDER_CACHE_FILE_QUOTE_MAX bytes and sanitised, into buf. */
void order_cache_file_quote(const char *s, char *buf, size_t size);

/* A new file being written (buffered) to fd; the rest is this module's. */
struct order_cache_file_out {
    int fd;
    int err;          /* errno of a failed write, 0 */
    char *buf;
    size_t len, cap;
    long long total;  /* bytes of the file so far */
    size_t records;
};

/* (Re)start the file at o->fd: emptied, then the header of scope. 0, or -1
 * (o->err). */
int order_cache_file_begin(struct order_cache_file_out *o, const struct order_cache_scope *scope);

/* A record, one per line; false (nothing written) if the file would grow
 * past what a load accepts. */
bool order_cache_file_put(struct order_cache_file_out *o, const char *rec, size_t len);

/* The end of the file, everything written to o->fd (unless o->err), the
 * buffer freed. 0, or -1 (o->err). */
int order_cache_file_end(struct order_cache_file_out *o);

#endif
