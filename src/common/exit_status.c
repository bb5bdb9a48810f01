#include "exit_status.h"

#include <signal.h>   /* signal, raise, sigprocmask */

void exit_status_die_of(int sig)
{
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}
