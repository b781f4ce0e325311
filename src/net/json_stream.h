/* json_stream: a JSON file read as a stream, never as one tree. The file is
 * one object whose fields are small values, except one list whose elements
 * (the records) are handed out one at a time, each as a slice of a read
 * window of about 1 MiB that grows only for a larger value. However many
 * records the file holds, memory stays at about one window.
 *
 * Here is only where a value ends (strings, escapes, nesting); its syntax
 * is cJSON's when it is parsed. A field's value is parsed here; a record is
 * handed over as text, for the caller to parse or to copy as it is. Every
 * failure is one sentence about the file ("it ends too early (cut at byte
 * 812)"), for the caller to put into a warning. Used by the order cache
 * (net/order_cache_file.c). */
#ifndef ACMETOP_NET_JSON_STREAM_H
#define ACMETOP_NET_JSON_STREAM_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* What the file must look like, and who hears of its parts. Each callback
 * gets the arg of json_stream_read() and, to explain a failure, why (size
 * bytes). */
struct json_stream_doc {
    const char *list;     /* the key of the list of records ("orders") */
    const char *not_ours; /* the sentence when the file is not such a document */
    long long file_max;   /* bytes the file may hold */
    size_t value_max;     /* bytes one field value or record may hold */
    /* A field other than the list, parsed. The first field always comes here (it
     * says what the file is), even with the list's key. 0, or -1 with why. */
    int (*field)(void *arg, const char *key, const cJSON *value, char *why, size_t size);
    /* The list starts (the fields before it were all seen). 0, or -1 with why. */
    int (*list_start)(void *arg, char *why, size_t size);
    /* Record n (from 0) as text p[0..len), valid during the call. 0 to go on;
     * -1 stops with why (the file is not usable); another value stops too. */
    int (*record)(void *arg, const char *p, size_t len, size_t n, char *why, size_t size);
};

/* Read the file at fd (from where it is) as doc: the fields to doc->field,
 * the list's records to doc->record; after the object only white space may
 * follow. 0; -1 with why (not usable: unreadable, not JSON, cut, too large,
 * not such a document, or a callback said so); or a record callback's other
 * stop value. */
int json_stream_read(int fd, const struct json_stream_doc *doc, void *arg, char *why,
                     size_t size);

#endif
