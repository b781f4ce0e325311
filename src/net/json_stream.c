/* json_stream: the read window over the file, finding where a value ends,
 * and the grammar of the document (an object of fields, one of them the
 * list of records) on top of it. See json_stream.h. */
#include "net/json_stream.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/xalloc.h"

#define WINDOW_START ((size_t)1 << 20) /* the read window; grows for a larger value */

/* A window on the file: bytes [start, end) of buf are read and not consumed. */
struct reader {
    int fd;
    char *buf;
    size_t cap, start, end;
    bool eof;
    long long base; /* file offset of buf[0] */
    const struct json_stream_doc *doc;
    void *arg;
    char *why;
    size_t size;
};

static void fail_cut(struct reader *r)
{
    snprintf(r->why, r->size, "it ends too early (cut at byte %lld)", r->base + (long long)r->end);
}

static void fail_syntax(struct reader *r)
{
    snprintf(r->why, r->size, "it is not valid JSON (at byte %lld)", r->base + (long long)r->start);
}

/* Read more bytes after end (moving the unread part to the front, growing
 * the window when one value fills it). 0, or -1 with why. */
static int reader_more(struct reader *r)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->base += (long long)r->start;
        r->end -= r->start;
        r->start = 0;
    }
    if (r->end == r->cap) {
        r->cap *= 2;
        r->buf = xrealloc(r->buf, r->cap);
    }
    ssize_t got;
    do
        got = read(r->fd, r->buf + r->end, r->cap - r->end);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
        snprintf(r->why, r->size, "it cannot be read (%s)", strerror(errno));
        return -1;
    }
    if (got == 0)
        r->eof = true;
    r->end += (size_t)got;
    if (r->base + (long long)r->end > r->doc->file_max) {
        snprintf(r->why, r->size, "it is larger than %lld MiB", r->doc->file_max >> 20);
        return -1;
    }
    return 0;
}

/* The next byte that is not JSON white space (not consumed); -1 at the end
 * of the file, -2 on a read error (why set). */
static int reader_peek(struct reader *r)
{
    for (;;) {
        while (r->start < r->end) {
            char ch = r->buf[r->start];
            if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t')
                return (unsigned char)ch;
            r->start++;
        }
        if (r->eof)
            return -1;
        if (reader_more(r) != 0)
            return -2;
    }
}

static bool is_delimiter(char ch)
{
    return ch == ',' || ch == '}' || ch == ']' || ch == ':' || ch == ' ' || ch == '\n' ||
           ch == '\r' || ch == '\t' || ch == '\0';
}

/* Index of the '"' that ends the string whose text starts at p[i], or n. */
static size_t string_end(const char *p, size_t i, size_t n)
{
    for (;;) {
        const char *q = memchr(p + i, '"', n - i);
        if (!q)
            return n;
        size_t at = (size_t)(q - p), slashes = 0;
        while (at - slashes > i && p[at - slashes - 1] == '\\')
            slashes++;
        if (slashes % 2 == 0)
            return at;
        i = at + 1;
    }
}

/* Length of the JSON value at p[0..n) if it ends within n bytes, else 0. */
static size_t value_extent(const char *p, size_t n, bool eof)
{
    if (p[0] != '{' && p[0] != '[' && p[0] != '"') {
        for (size_t i = 0; i < n; i++)
            if (is_delimiter(p[i]))
                return i ? i : 1;
        return eof ? n : 0;
    }
    size_t depth = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (ch == '"') {
            i = string_end(p, i + 1, n);
            if (i == n)
                return 0;
            if (depth == 0)
                return i + 1;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if ((ch == '}' || ch == ']') && --depth == 0) {
            return i + 1;
        }
    }
    return 0;
}

/* The next value as a slice of the window (valid until the next read),
 * consumed. 0, or -1 with why. */
static int reader_slice(struct reader *r, const char **p, size_t *len)
{
    int ch = reader_peek(r);
    if (ch == -2)
        return -1;
    if (ch == -1) {
        fail_cut(r);
        return -1;
    }
    size_t max = r->doc->value_max;
    for (;;) {
        size_t avail = r->end - r->start;
        size_t n = value_extent(r->buf + r->start, avail, r->eof);
        if (n > max || (!n && !r->eof && avail > max)) {
            snprintf(r->why, r->size, "it holds a value larger than %zu MiB (at byte %lld)",
                     max >> 20, r->base + (long long)r->start);
            return -1;
        }
        if (n) {
            *p = r->buf + r->start;
            *len = n;
            r->start += n;
            return 0;
        }
        if (r->eof) {
            fail_cut(r);
            return -1;
        }
        if (reader_more(r) != 0)
            return -1;
    }
}

/* The next value, parsed: it must be exactly one JSON value. NULL with why. */
static cJSON *reader_value(struct reader *r)
{
    const char *p;
    size_t len;
    if (reader_slice(r, &p, &len) != 0)
        return NULL;
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(p, len, &end, 0);
    if (v && end == p + len)
        return v;
    cJSON_Delete(v);
    long long at = r->base + (long long)(p - r->buf);
    at += end && end >= p && end <= p + len ? (long long)(end - p) : 0;
    snprintf(r->why, r->size, "it is not valid JSON (at byte %lld)", at);
    return NULL;
}

/* The list: each record to doc->record. */
static int read_records(struct reader *r)
{
    int ch = reader_peek(r);
    if (ch != '[') {
        if (ch != -2)
            snprintf(r->why, r->size, "it is damaged (field '%s' is not a list)", r->doc->list);
        return -1;
    }
    r->start++;
    if (reader_peek(r) == ']') {
        r->start++;
        return 0;
    }
    for (size_t n = 0;; n++) {
        const char *p;
        size_t len;
        if (reader_slice(r, &p, &len) != 0)
            return -1;
        int rc = r->doc->record(r->arg, p, len, n, r->why, r->size);
        if (rc != 0)
            return rc;
        ch = reader_peek(r);
        if (ch == ']' || ch == ',')
            r->start++;
        if (ch == ']')
            return 0;
        if (ch == -1)
            fail_cut(r);
        else if (ch != ',' && ch != -2)
            fail_syntax(r);
        if (ch != ',')
            return -1;
    }
}

/* The next key of the object (its ':' consumed), or NULL: at its closing
 * brace (*end set), or with why. */
static char *read_key(struct reader *r, bool first, bool *end)
{
    *end = false;
    int ch = reader_peek(r);
    if (ch == '}') {
        r->start++;
        *end = true;
        return NULL;
    }
    if (!first && ch == ',') {
        r->start++;
        ch = reader_peek(r);
    } else if (!first && ch >= 0) {
        fail_syntax(r);
        return NULL;
    }
    if (ch == -2)
        return NULL;
    if (ch == -1) {
        fail_cut(r);
        return NULL;
    }
    cJSON *k = reader_value(r);
    if (!k)
        return NULL;
    char *key = cJSON_IsString(k) && k->valuestring ? xstrdup(k->valuestring) : NULL;
    cJSON_Delete(k);
    ch = reader_peek(r);
    if (key && ch == ':') {
        r->start++;
        return key;
    }
    free(key);
    if (first)
        snprintf(r->why, r->size, "%s", r->doc->not_ours);
    else if (ch != -2)
        fail_syntax(r);
    return NULL;
}

/* The object: each field, the list when it comes, then the end. */
static int read_object(struct reader *r)
{
    const struct json_stream_doc *doc = r->doc;
    int ch = reader_peek(r);
    if (ch != '{') {
        if (ch != -2)
            snprintf(r->why, r->size, "%s", ch == -1 ? "it is empty" : doc->not_ours);
        return -1;
    }
    r->start++;
    bool list_seen = false, end = false;
    for (bool first = true;; first = false) {
        char *key = read_key(r, first, &end);
        if (!key) {
            if (end && first)
                snprintf(r->why, r->size, "%s", doc->not_ours);
            if (!end || first)
                return -1;
            break;
        }
        if (!first && !list_seen && strcmp(key, doc->list) == 0) {
            free(key);
            list_seen = true;
            if (doc->list_start(r->arg, r->why, r->size) != 0)
                return -1;
            int rc = read_records(r);
            if (rc != 0)
                return rc;
            continue;
        }
        cJSON *v = reader_value(r);
        int rc = v ? doc->field(r->arg, key, v, r->why, r->size) : -1;
        cJSON_Delete(v);
        free(key);
        if (rc != 0)
            return -1;
    }
    if (!list_seen) {
        snprintf(r->why, r->size, "it is damaged (field '%s' is missing)", doc->list);
        return -1;
    }
    ch = reader_peek(r);
    if (ch == -1)
        return 0;
    if (ch != -2)
        snprintf(r->why, r->size, "it is not valid JSON (text after the end, at byte %lld)",
                 r->base + (long long)r->start);
    return -1;
}

int json_stream_read(int fd, const struct json_stream_doc *doc, void *arg, char *why,
                     size_t size)
{
    struct reader r = {
        .fd = fd, .cap = WINDOW_START, .doc = doc, .arg = arg, .why = why, .size = size};
    r.buf = xmalloc(r.cap);
    int rc = read_object(&r);
    free(r.buf);
    return rc;
}
