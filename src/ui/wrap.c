/* wrap: line breaking by display width (see wrap.h). */
#include "ui/wrap.h"

#include <string.h>

#include "model/text_width.h"

int wrap_next(const char *s, size_t width, size_t *len, size_t *skip)
{
    *len = *skip = 0;
    if (!s || !*s)
        return 0;
    if (width == 0)
        width = 1;
    size_t nl = strcspn(s, "\n");
    /* bytes that fit in width, within this paragraph */
    size_t fit = text_fit_bytes(s, width);
    if (fit >= nl) {
        *len = nl;
        *skip = nl + (s[nl] == '\n' ? 1 : 0);
        return 1;
    }
    if (fit == 0) { /* a character wider than the line: show it anyway */
        fit = 1;
        while (((unsigned char)s[fit] & 0xC0) == 0x80)
            fit++;
    }
    size_t cut = fit;
    if (s[fit] != ' ') {
        /* break after the last space or '/' that fits, if any: paths and
         * URLs break between their parts, not inside an order ID */
        size_t sp = fit;
        while (sp > 0 && s[sp - 1] != ' ' && s[sp - 1] != '/')
            sp--;
        if (sp > 0)
            cut = sp;
    }
    size_t end = cut;
    while (end > 0 && s[end - 1] == ' ')
        end--;
    if (end == 0)
        end = cut;
    *len = end;
    size_t next = cut;
    while (s[next] == ' ')
        next++;
    if (s[next] == '\n' && next == nl && next > cut) {
        /* trailing spaces before the newline: end the paragraph here */
        next++;
    }
    *skip = next;
    return 1;
}

size_t wrap_count(const char *s, size_t width)
{
    size_t lines = 0, len, skip;
    while (wrap_next(s, width, &len, &skip)) {
        lines++;
        s += skip;
    }
    return lines ? lines : 1;
}
