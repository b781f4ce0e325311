/* fuzz_order_cache: the order cache file (orders-<hash>.json, written by an
 * earlier run, or damaged, or planted) through order_cache_file_read()
 * (net/order_cache_file.c: the header, its version and scope) over
 * net/json_stream.c (the streamed reading), and each record through
 * order_cache_file_record_id() and order_cache_file_parse() (model/
 * order_record.c).  The input is the file, read from an in-memory file.
 * Checks: no crash, leak or hang; a refused file or record gets a
 * sentence that is clean text (it goes to the message line); every record
 * that parses is an order with clean text and capped lists that survives
 * being written and read again (fuzz_order.h), and when the record starts
 * as acmetop writes it, the ID read without parsing is the order's ID (a
 * save copies such records by that ID). */
#define _GNU_SOURCE /* memfd_create */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "fuzz_order.h"
#include "net/order_cache_file.h"

static int record(void *arg, const char *p, size_t len, size_t n, char *why, size_t size)
{
    (void)arg;
    char *id = order_cache_file_record_id(p, len);
    struct order o;
    char mine[512];
    if (order_cache_file_parse(p, len, n, &o, mine, sizeof mine) != 0) {
        FUZZ_CHECK(mine[0], "a record refused without a reason");
        FUZZ_CHECK_TEXT(mine, "why a record is refused");
        free(id);
        snprintf(why, size, "%s", mine);
        return -1;
    }
    FUZZ_CHECK(o.detail_known, "a record is not a fully read order");
    FUZZ_CHECK(o.id && json_name_is_clean(o.id), "a record without a clean order ID");
    if (id)
        FUZZ_CHECK(strcmp(id, o.id) == 0, "the record's ID \"%s\" read ahead is not its order's "
                   "\"%s\"", id, o.id);
    fuzz_order_check(&o);
    order_clear(&o);
    free(id);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-cache", 0);
    FUZZ_CHECK(fd >= 0, "memfd_create failed");
    FUZZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size, "write failed");
    FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek failed");
    struct order_cache_scope scope = {(char *)"https://127.0.0.1:8200", (char *)"",
                                      (char *)"pki-external-ca"};
    char why[1024] = "";
    int rc = order_cache_file_read(fd, &scope, record, NULL, why, sizeof why);
    FUZZ_CHECK(rc == 0 || rc == -1, "read returned %d", rc);
    if (rc != 0) {
        FUZZ_CHECK(why[0], "a file refused without a reason");
        FUZZ_CHECK_TEXT(why, "why the file is refused");
    }
    close(fd);
    return 0;
}
