/* Opening the watched file and its datasets, deciding whether it is ready
 * (a SWMR writer on it, or news since we last let go), and closing it. */
#include "watcher.h"
#include "exit_status.h"
#include "h5err.h"
#include "report.h"
#include "file_users.h"
#include "shell_word.h"

#include <errno.h>     /* errno, ENOENT */
#include <fcntl.h>     /* open */
#include <limits.h>    /* PATH_MAX */
#include <stdio.h>     /* snprintf, sprintf */
#include <stdlib.h>    /* malloc, realloc, calloc, free */
#include <string.h>    /* strerror, strcmp, strlen */
#include <sys/stat.h>  /* S_ISDIR, S_ISFIFO, S_ISCHR, S_ISBLK, S_ISSOCK */
#include <unistd.h>    /* close */

void open_close(struct watcher *w)
{
    for (size_t i = 0; i < w->nds; i++)
        watch_h5_dset_close(&w->ds[i].d);
    if (w->file >= 0)
        H5Fclose(w->file);
    w->file = -1;
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
}

void open_unpin(struct watcher *w)
{
    if (w->pin_fd >= 0)
        close(w->pin_fd);
    w->pin_fd = -1;
}

void open_let_go(struct watcher *w)
{
    /* The file we had open, not whatever the name holds by now. */
    w->seen_exists = w->fd >= 0 ? fstat(w->fd, &w->seen) == 0
                                : stat(w->o->file, &w->seen) == 0;
    w->renewed = false;
    /* Our descriptor keeps the inode, and so its number, ours: a file
     * made at the name after this one is removed gets another. */
    open_unpin(w);
    w->pin_fd = w->fd;
    w->fd = -1;
    open_close(w);
}

/* NAME as one absolute path: "grp//x", "grp/x/", "./grp/x" and "/grp/x"
 * are the same dataset, "/grp/x". A fresh string, or NULL. */
static char *normal_path(const char *name)
{
    char *out = malloc(strlen(name) + 2);
    if (!out)
        return NULL;
    size_t o = 0;
    for (const char *p = name; *p;) {
        while (*p == '/')
            p++;
        const char *end = strchrnul(p, '/');
        size_t len = (size_t)(end - p);
        if (len && !(len == 1 && p[0] == '.')) {
            out[o++] = '/';
            memcpy(out + o, p, len);
            o += len;
        }
        p = end;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    return out;
}

/* The dataset NAME ("data" or "/data") in the list, added if new. */
static struct tracked *track(struct watcher *w, const char *name)
{
    char *path = normal_path(name);
    if (!path)
        return NULL;
    for (size_t i = 0; i < w->nds; i++)
        if (strcmp(w->ds[i].name, path) == 0) {
            free(path);
            return &w->ds[i];
        }
    struct tracked *more = realloc(w->ds, (w->nds + 1) * sizeof *more);
    if (!more) {
        free(path);
        return NULL;
    }
    w->ds = more;
    struct tracked *t = &w->ds[w->nds];
    *t = (struct tracked){ .d = { .id = -1 } };
    t->name = path;   /* absolute, as HDF5 tools print paths */
    w->nds++;
    return t;
}

void open_why(const char *path, const struct watch_facts *f,
              enum ready_reason why, char *buf, size_t size)
{
    char word[PATH_MAX + 8];   /* PATH as typed in a command suggested */
    const char *q = shell_word(path, word, sizeof word);
    switch (why) {
    case WHY_NONE:
        buf[0] = '\0';
        break;
    case WHY_CANNOT_OPEN:
        snprintf(buf, size, "cannot open %s: %s", path,
                 strerror(f->open_errno));
        break;
    case WHY_NOT_REGULAR:
        if (S_ISDIR(f->not_regular))
            snprintf(buf, size, "%s is a directory", path);
        else
            snprintf(buf, size, "%s is %s, not a regular file", path,
                     S_ISFIFO(f->not_regular) ? "a FIFO"
                     : S_ISCHR(f->not_regular) ? "a character device"
                     : S_ISBLK(f->not_regular) ? "a block device"
                     : S_ISSOCK(f->not_regular) ? "a socket"
                     : "of an unknown type");
        break;
    case WHY_EMPTY:
        snprintf(buf, size, "%s is empty or still being created: not an "
                 "HDF5 file yet", path);
        break;
    case WHY_NOT_HDF5:
        snprintf(buf, size, "%s is not an HDF5 file", path);
        break;
    case WHY_TOO_OLD:
        snprintf(buf, size, "%s uses a format older than HDF5 1.10 "
                 "(superblock version %u): SWMR needs a file written for "
                 "HDF5 1.10 or later (libver v110 or latest)", path,
                 f->sb_version);
        break;
    case WHY_NOT_SWMR_YET:
        if (f->writer_asked && f->writer == WRITER_ABSENT)
            snprintf(buf, size, "%s is marked open for writing, not in SWMR "
                     "mode, and no process has it open: its writer was "
                     "killed (swmr-append --append %s </dev/null, or h5clear "
                     "-s --increment %s, closes it)", path, q, q);
        else if (f->writer_asked && f->writer == WRITER_PRESENT)
            snprintf(buf, size, "%s is open for writing but not in SWMR "
                     "mode: its writer has not started SWMR yet", path);
        else
            snprintf(buf, size, "%s is open for writing but not in SWMR "
                     "mode: its writer has not started SWMR yet (or was "
                     "killed: swmr-append --append %s </dev/null, or h5clear "
                     "-s --increment %s, closes it)", path, q, q);
        break;
    case WHY_NO_NEW_WRITER:
        snprintf(buf, size, "no new writer has %s open", path);
        break;
    case WHY_NO_WRITER:
        if (watch_sb_swmr_writing(f->flags) && f->writer_asked &&
            f->writer == WRITER_ABSENT)
            snprintf(buf, size, "the writer of %s went away without closing "
                     "it (killed?): waiting for a new one (swmr-append "
                     "--append %s </dev/null closes it)", path, q);
        else
            snprintf(buf, size, "no SWMR writer has %s open", path);
        break;
    }
}

/* How --values reads and prints T's cells (--fields applied). false, with
 * w->why and *STATUS, when the fields named are not all in it. */
static bool values_cell(struct watcher *w, struct tracked *t, int *status)
{
    const struct watch_options *o = w->o;
    char why[768];
    t->names_shown = false;
    switch (watch_h5_dset_cell(&t->d, (const char *const *)o->fields,
                               o->nfields, why, sizeof why)) {
    case CELL_READY:
        return true;
    case CELL_NOT_COMPOUND:
        if (!t->fields_said) {
            sink_msg_begin(w->sink, false);
            report_notice("--fields: %s is not a compound (%s): all of its "
                          "values are shown", t->name, t->d.type_name);
            sink_msg_end(w->sink, false);
            t->fields_said = true;
        }
        return true;
    case CELL_FAILED:
        break;
    }
    snprintf(w->why, sizeof w->why, "%sdataset %s in %s: %s",
             o->nfields ? "--fields: " : "", t->name, o->file, why);
    *status = o->nfields ? STATUS_USAGE : STATUS_DATAERR;
    return false;
}

/* Open the datasets NAMES in the open file, tracking each. */
static enum open_result open_each(struct watcher *w, char *const *names,
                                  size_t n, int *status)
{
    const char *path = w->o->file;
    for (size_t i = 0; i < n; i++) {
        struct tracked *t = track(w, names[i]);
        if (!t) {
            snprintf(w->why, sizeof w->why, "out of memory");
            *status = STATUS_OSERR;
            return OPEN_FAIL;
        }
        if (t->d.id >= 0)
            continue;   /* named twice ("g/x" and "g//x") */
        switch (watch_h5_dset_open(w->file, t->name, &t->d)) {
        case DSET_OK:
            break;
        case DSET_MISSING:
            char word[PATH_MAX + 8];
            snprintf(w->why, sizeof w->why, "%s has no dataset %s "
                     "(swmr-watch --list %s lists those it has)", path,
                     t->name, shell_word(path, word, sizeof word));
            w->wait_remedy = "for it to be made";
            return OPEN_WAIT;
        case DSET_NOT_DATASET:
            snprintf(w->why, sizeof w->why, "%s in %s is not a dataset",
                     t->name, path);
            return OPEN_FAIL;
        case DSET_NOT_CHUNKED:
            snprintf(w->why, sizeof w->why, "dataset %s in %s cannot grow: "
                     "it is not chunked (contiguous or compact)", t->name,
                     path);
            return OPEN_FAIL;
        case DSET_AT_MAXIMUM:
            snprintf(w->why, sizeof w->why, "dataset %s in %s cannot grow: "
                     "it is already at its maximum shape", t->name, path);
            return OPEN_FAIL;
        case DSET_VIRTUAL_FIXED:
            snprintf(w->why, sizeof w->why, "dataset %s in %s cannot grow: "
                     "it is a virtual dataset with no unlimited mapping",
                     t->name, path);
            return OPEN_FAIL;
        case DSET_ERROR:
            snprintf(w->why, sizeof w->why, "cannot open dataset %s in %s: "
                     "%s", t->name, path, h5err_detail());
            w->h5_refused = true;
            return OPEN_WAIT;
        }
        if (w->o->values && !values_cell(w, t, status))
            return OPEN_FAIL;
    }
    return OPEN_OK;
}

/* Every dataset is open: say which ones a new file lacks (--follow: once,
 * rather than stop reporting one in silence), and tell the sink what it
 * shows. */
static void note_datasets(struct watcher *w)
{
    for (size_t i = 0; i < w->nds; i++) {
        struct tracked *t = &w->ds[i];
        if (t->d.id >= 0) {
            t->missing_said = false;
        } else if (t->shown && !t->missing_said) {
            sink_msg_begin(w->sink, false);
            report_notice("%s has no dataset %s any more: not reported "
                          "until a file has it again", w->o->file, t->name);
            sink_msg_end(w->sink, false);
            t->missing_said = true;
        }
    }
    const char **names = calloc(w->nds, sizeof *names);
    if (names) {
        for (size_t i = 0; i < w->nds; i++)
            names[i] = w->ds[i].name;
        sink_datasets(w->sink, names, w->nds);
        free(names);
    }
    for (size_t i = 0; i < w->nds; i++) {
        const struct watch_dset *d = &w->ds[i].d;
        sink_shape(w->sink, i, d->rank, d->dims,
                   watch_rows(d->rank, d->dims, d->grows));
    }
}

/* Say once in a run which datasets the search passed over, and why: one
 * that HDF5 cannot open is no reason not to watch the others. */
static void say_skips(struct watcher *w, const struct watch_skip *skips,
                      size_t n)
{
    if (w->skips_said || n == 0)
        return;
    sink_msg_begin(w->sink, false);
    for (size_t i = 0; i < n; i++)
        report_notice("%s in %s is not watched: HDF5 cannot open it: %s",
                      skips[i].name, w->o->file, skips[i].why);
    sink_msg_end(w->sink, false);
    w->skips_said = true;
}

/* The file is open in HDF5: open the datasets named, or every growing
 * one. */
static enum open_result open_datasets(struct watcher *w, int *status)
{
    const struct watch_options *o = w->o;
    const char *path = o->file;
    char **names = NULL;
    size_t n = 0;
    struct watch_skip *skips = NULL;
    size_t nskips = 0;
    bool listed = o->ndatasets ||
                  watch_h5_growing(w->file, &names, &n, &skips, &nskips);
    say_skips(w, skips, nskips);
    watch_h5_skips_free(skips, nskips);
    if (o->ndatasets) {
        names = (char **)o->datasets;
        n = o->ndatasets;
    } else if (!listed) {
        snprintf(w->why, sizeof w->why, "cannot list the datasets of %s: %s",
                 path, h5err_detail());
        w->h5_refused = true;
        open_close(w);
        return OPEN_WAIT;
    } else if (n == 0) {
        snprintf(w->why, sizeof w->why, "%s has no dataset that can grow "
                 "(chunked or virtual, with a dimension unlimited or "
                 "below its maximum)", path);
        w->wait_remedy = "for one to be made";
        free(names);
        open_close(w);
        return OPEN_WAIT;
    }
    enum open_result r = open_each(w, names, n, status);
    if (!o->ndatasets)
        watch_h5_names_free(names, n);
    if (r != OPEN_OK) {
        open_close(w);
        return r;
    }
    note_datasets(w);
    return OPEN_OK;
}

enum open_result open_file(struct watcher *w, bool need_writer, int *status)
{
    const struct watch_options *o = w->o;
    const char *path = o->file;
    struct stat st;

    w->h5_refused = false;
    wake_watch_file(&w->wake);   /* before reading: miss no event */
    probe_open(path, w->seen_exists ? &w->seen : NULL, need_writer, &w->fd,
               &st, &w->facts);
    /* While we hold a file let go of: the name was found empty, or
     * smaller than that file (a writer only adds to a file), or missing,
     * so whatever it holds next is another file, even in the same inode. */
    if (w->pin_fd >= 0 &&
        (w->facts.open_errno == ENOENT ||
         (w->fd >= 0 && (w->facts.sb == SB_SHORT ||
                         (w->seen_exists && st.st_size < w->seen.st_size)))))
        w->renewed = true;
    /* Removed, whenever it happened: whatever comes is new, and the
     * removed file's space is not ours to keep (a log rotated often). */
    struct stat pinned;
    if (w->pin_fd >= 0 && fstat(w->pin_fd, &pinned) == 0 &&
        pinned.st_nlink == 0) {
        w->renewed = true;
        open_unpin(w);
    }
    struct ready_verdict v = watch_readiness(&w->facts, need_writer,
                                             w->phase == PHASE_WRITER_GONE,
                                             o->until_set);
    *status = v.status;
    /* Not in SWMR mode yet, or never to be: only the kernel can tell. */
    if (v.why == WHY_NOT_SWMR_YET && !w->facts.writer_asked && w->fd >= 0)
        probe_writer(w->fd, true, &w->facts);
    open_why(path, &w->facts, v.why, w->why, sizeof w->why);
    bool killed = w->facts.writer_asked && w->facts.writer == WRITER_ABSENT &&
                  (v.why == WHY_NOT_SWMR_YET ||
                   (v.why == WHY_NO_WRITER &&
                    watch_sb_swmr_writing(w->facts.flags)));
    /* What a writer yet to come may change (not a damaged file, nor one
     * whose writer was killed: it needs closing first). */
    w->wait_remedy = killed ? NULL
        : v.why == WHY_CANNOT_OPEN && w->facts.open_errno == ENOENT
        ? "for it to appear"
        : v.why == WHY_EMPTY || v.why == WHY_NOT_SWMR_YET
        ? "until it is ready"
        : v.why == WHY_NO_WRITER || v.why == WHY_NO_NEW_WRITER
        ? "for a writer" : NULL;
    /* --wait says this one without -v: the file needs someone's hand. */
    w->why_notice = killed;
    if (w->fd >= 0) {
        w->dev = st.st_dev;
        w->ino = st.st_ino;
    }
    if (v.readiness == NOT_YET || v.readiness == NEVER) {
        open_close(w);
        return v.readiness == NEVER ? OPEN_FAIL : OPEN_WAIT;
    }
    w->provisional = v.readiness == READY_PROVISIONAL;
    *status = STATUS_DATAERR;

    w->file = watch_h5_open(path);
    if (w->file < 0) {
        snprintf(w->why, sizeof w->why, "cannot open %s as a SWMR reader: %s",
                 path, h5err_detail());
        w->h5_refused = true;
        open_close(w);
        return OPEN_WAIT;
    }

    return open_datasets(w, status);
}
