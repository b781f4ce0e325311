/* fixture.h: load a file of tests/fixtures for the cmocka unit tests.
 * The directory is $ACMETOP_FIXTURES, else the first of tests/fixtures,
 * ../fixtures, ../../tests/fixtures that exists (tests run from the
 * repository root or from their build directory). Header-only so every
 * test program can include it without a shared object file. */
#ifndef ACMETOP_TEST_FIXTURE_H
#define ACMETOP_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixture's bytes, NUL-terminated, length in *len; aborts the test
 * program if it cannot be read (a missing fixture is a broken test). */
static inline char *fixture_load(const char *name, size_t *len)
{
    const char *env = getenv("ACMETOP_FIXTURES");
    const char *dirs[] = {env, "tests/fixtures", "../fixtures", "../../tests/fixtures"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (!dirs[i])
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dirs[i], name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *buf = malloc((size_t)size + 1);
        if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
            fprintf(stderr, "fixture %s: read error\n", path);
            abort();
        }
        fclose(f);
        buf[size] = '\0';
        if (len)
            *len = (size_t)size;
        return buf;
    }
    fprintf(stderr, "fixture %s not found (set ACMETOP_FIXTURES)\n", name);
    abort();
}

#endif
