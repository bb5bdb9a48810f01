/* How long this process has waited for a CPU while it was ready to run:
 * the kernel's run delay. A watcher that waits for the CPU at every flush
 * shares the machine with too many others (pace.h). */
#ifndef SWMR_WATCH_CPU_WAIT_H
#define SWMR_WATCH_CPU_WAIT_H

/* Seconds in all since the process started, or < 0 where the kernel does
 * not say (no /proc, or a kernel without scheduler statistics). */
double cpu_wait_seconds(void);

#endif
