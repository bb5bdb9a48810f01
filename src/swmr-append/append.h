/* swmr-append's one entry point. main.c fills the options from the
 * command line; append.c does the work and knows nothing of argv. */
#ifndef SWMR_APPEND_H
#define SWMR_APPEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "append_options.h"

/* Run swmr-append; returns the exit status (exit_status.h). A fatal signal
 * is re-raised after the file is closed, so callers never see it return. */
int append_run(const struct append_options *opt);

#endif
