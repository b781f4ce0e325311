/* duration: "250ms", "5s", "2m", "1h", "30d", "1.5" into seconds (see duration.h). */
#include "model/duration.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int duration_parse(const char *text, double *seconds)
{
    if (!text)
        return -1;
    while (isspace((unsigned char)*text))
        text++;
    if (!isdigit((unsigned char)*text) && *text != '.')
        return -1;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || !isfinite(v) || v < 0)
        return -1;
    static const struct {
        const char *suffix;
        double unit;
    } units[] = {{"", 1}, {"s", 1}, {"ms", 0.001}, {"m", 60}, {"h", 3600}, {"d", 86400}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(end, units[i].suffix) == 0) {
            double s = v * units[i].unit; /* "1e308h" overflows to infinity */
            if (!isfinite(s))
                return -1;
            *seconds = s;
            return 0;
        }
    return -1;
}
