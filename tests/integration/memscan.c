/* memscan: copies of a secret left in memory (see memscan.h). */
#define _GNU_SOURCE /* memmem */
#include "memscan.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

size_t memscan_count(const void *needle, size_t len, const void *skip, size_t skip_len,
                     char *chunk, size_t chunk_size)
{
    static char maps[1 << 20]; /* read whole before the search allocates */
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return (size_t)-1;
    size_t n_maps = 0;
    ssize_t n;
    while (n_maps < sizeof maps - 1 &&
           (n = read(fd, maps + n_maps, sizeof maps - 1 - n_maps)) > 0)
        n_maps += (size_t)n;
    close(fd);
    maps[n_maps] = '\0';
    int mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    if (mem < 0)
        return (size_t)-1;
    uintptr_t skip_lo = (uintptr_t)skip, skip_hi = skip_lo + skip_len;
    size_t hits = 0, step = chunk_size - (len - 1);
    char *save = NULL;
    for (char *line = strtok_r(maps, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' ||
            perms[1] != 'w' || hi - lo > MEMSCAN_SHADOW_MIN || (lo < skip_hi && hi > skip_lo))
            continue;
        for (uintptr_t at = lo; at < hi; at += step) {
            size_t want = hi - at < chunk_size ? hi - at : chunk_size;
            ssize_t got = pread(mem, chunk, want, (off_t)at);
            if (got < (ssize_t)len)
                break;
            /* count a hit in the overlap with the next read only once */
            size_t limit = (size_t)got > step ? step : (size_t)got;
            for (const char *s = chunk;
                 (s = memmem(s, (size_t)got - (size_t)(s - chunk), needle, len)); s++)
                if ((size_t)(s - chunk) < limit)
                    hits++;
        }
    }
    close(mem);
    explicit_bzero(chunk, chunk_size);
    return hits;
}
