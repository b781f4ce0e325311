/* check: --check's run: read, judge, one line (see check.h). */
#include "check.h"

#include <stdlib.h>

#include "model/clock.h"
#include "once_read.h"

int check_unknown(const char *sentence, FILE *out)
{
    char *line = check_report_unknown(sentence);
    fprintf(out, "%s\n", line);
    free(line);
    fflush(out);
    return CHECK_UNKNOWN;
}

int check_run(const struct vault_config *cfg, const struct check_thresholds *t, FILE *out,
              FILE *err)
{
    struct once_read r;
    if (once_read_run(cfg, &r, err) != 0) {
        int st = check_unknown(r.failure, out);
        once_read_free(&r);
        return st;
    }
    if (r.partial) {
        /* judging part of the orders could miss the one that expires */
        once_read_free(&r);
        return check_unknown("--deadline passed before every order was read: raise --deadline "
                             "or --parallel", out);
    }
    once_read_warn(&r, cfg, 0, err);
    size_t n;
    const struct order **orders = once_read_orders(&r, &n);
    char *line;
    enum check_status st = check_report(orders, n, t, clock_wall(clock_system()), &line);
    fprintf(out, "%s\n", line);
    free(line);
    free(orders);
    once_read_free(&r);
    if (fflush(out) != 0)
        return CHECK_UNKNOWN;
    return (int)st;
}
