/* swmr-watch --list. The file is opened as the watcher opens it (probe,
 * then a SWMR reader without HDF5's file lock), so listing never blocks a
 * writer, and refuses what a watch would refuse, with the same words. */
#include "list.h"
#include "exit_status.h"
#include "h5err.h"
#include "report.h"
#include "sink.h"       /* sink_escaped_name */
#include "watcher.h"    /* probe_open, watch_readiness, open_why */

#include <errno.h>      /* errno */
#include <stdio.h>      /* puts, fflush, ferror */
#include <stdlib.h>     /* free */
#include <string.h>     /* strerror */
#include <unistd.h>     /* close */

/* Is PATH ready to be read (a file in HDF5 1.10's format, no plain writer
 * on it)? Says why not and gives the status if not: what a watch without
 * --wait would say. */
static int check_file(const char *path)
{
    int fd;
    struct stat st;
    struct watch_facts facts;
    probe_open(path, NULL, false, &fd, &st, &facts);
    if (fd >= 0)
        close(fd);
    struct ready_verdict v = watch_readiness(&facts, false, false, false);
    if (v.readiness == READY)
        return STATUS_OK;
    char why[1024];
    open_why(path, &facts, v.why, why, sizeof why);
    report_error("%s", why);
    return v.status;
}

/* Print NAMES, escaped; say which datasets HDF5 could not open (they may
 * still be named to a watch, which then says why it fails). */
static void print(const char *path, char **names, size_t n,
                  const struct watch_skip *skips, size_t nskips)
{
    for (size_t i = 0; i < n; i++) {
        char *shown = sink_escaped_name(names[i]);
        puts(shown);
        free(shown);
    }
    for (size_t i = 0; i < nskips; i++)
        report_notice("%s in %s is not listed: HDF5 cannot open it: %s",
                      skips[i].name, path, skips[i].why);
}

int list_run(const char *path)
{
    /* As for a watch (watch.c): no clean-up of HDF5's own at exit, and no
     * stack printed by HDF5; before its first use. */
    H5dont_atexit();
    h5err_silence();
    int status = check_file(path);
    if (status != STATUS_OK)
        return status;
    hid_t file = watch_h5_open(path);
    if (file < 0) {
        report_error("cannot open %s as a SWMR reader: %s", path,
                     h5err_detail());
        return STATUS_DATAERR;
    }
    char **names = NULL;
    size_t n = 0;
    struct watch_skip *skips = NULL;
    size_t nskips = 0;
    if (watch_h5_growing(file, &names, &n, &skips, &nskips)) {
        print(path, names, n, skips, nskips);
        watch_h5_names_free(names, n);
        watch_h5_skips_free(skips, nskips);
    } else {
        report_error("cannot list the datasets of %s: %s", path,
                     h5err_detail());
        status = STATUS_DATAERR;
    }
    H5Fclose(file);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        report_error("cannot write the list: %s", strerror(errno));
        status = STATUS_IOERR;
    }
    return status;
}
