/* process_guard: keep the process's secrets (the Vault token, private keys)
 * out of core files and out of reach of other processes of the same user. */
#ifndef ACMETOP_NET_PROCESS_GUARD_H
#define ACMETOP_NET_PROCESS_GUARD_H

/* No core file at all (RLIMIT_CORE 0, soft and hard, so nothing can raise it
 * again) and not dumpable (PR_SET_DUMPABLE 0: no core through a
 * core_pattern pipe either, and /proc/PID/environ, mem, maps and ptrace
 * become root's only).  Call first thing in main().  Returns 0, or -1 with
 * errno when the kernel refused. */
int process_guard_secrets(void);

#endif
