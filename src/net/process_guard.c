/* process_guard: no core files, not dumpable (see process_guard.h). */
#include "net/process_guard.h"

#include <sys/prctl.h>
#include <sys/resource.h>

int process_guard_secrets(void)
{
    const struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0)
        return -1;
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 ? 0 : -1;
}
