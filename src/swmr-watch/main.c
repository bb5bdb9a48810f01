/* swmr-watch: follow HDF5 datasets as a SWMR writer grows them.
 * This file only turns the command line into struct watch_options; the
 * watching is in watch.c. */
#include "numarg.h"
#include "exit_status.h"
#include "list.h"
#include "report.h"
#include "watch.h"
#include "watch_options.h"
#include "shell_word.h"

#include <argp.h>    /* argp_parse, argp_error */
#include <limits.h>  /* PATH_MAX */
#include <stdint.h>  /* UINT64_MAX */
#include <stdlib.h>  /* malloc */
#include <string.h>  /* strcmp, strndup */
#include <sys/stat.h> /* stat: is FILE/DATASET's FILE a regular file? */

const char *argp_program_version = "swmr-watch (swmr-tools) " SWMR_TOOLS_VERSION;
const char *argp_program_bug_address = NULL;

enum {
    OPT_ONCE = 256,
    OPT_DEBUG,
    OPT_MIN_INTERVAL,
    OPT_INTERVAL,
    OPT_TIMEOUT,
    OPT_FIELDS,
    OPT_LAST,
};

static const struct argp_option options[] = {
    { 0, 0, 0, 0, "Output:", 1 },
    { "format", 'o', "FORMAT", 0,
      "text (default; a live view on a terminal), tsv (a header line, then "
      "tab-separated columns) or json (one object per line)", 1 },
    { "values", 'r', 0, 0,
      "also print the new cells after each change, along any dimension, "
      "each line with its index; compound datasets give JSON objects, and a "
      "fields line naming the columns in text and TSV", 1 },
    { "fields", OPT_FIELDS, "NAMES", 0,
      "with --values, only these fields of a compound dataset, "
      "comma-separated, nested ones as pos.x", 1 },
    { "last", OPT_LAST, "N", 0,
      "first print the last N rows already there (all: every one), like "
      "tail -n; implies --values (default 0; with --once, all)", 1 },
    { "min-interval", OPT_MIN_INTERVAL, "SECONDS", 0,
      "at most one line per dataset per SECONDS; changes in between are "
      "summed into the next line (default 0: every change seen; in a "
      "flood, a refresh sees several flushes)", 1 },

    { 0, 0, 0, 0, "Waking up:", 2 },
    { "interval", OPT_INTERVAL, "SECONDS", 0,
      "poll this often as well as waiting on inotify (fractions allowed, "
      "at least 0.01; default 1)", 2 },
    { "poll", 'p', 0, 0, "poll only, without inotify (the default on "
      "network, FUSE and cluster file systems)", 2 },

    { 0, 0, 0, 0, "Starting and ending:", 3 },
    { "wait", 'w', 0, 0,
      "wait for the file, the datasets and a SWMR writer to appear instead "
      "of failing", 3 },
    { "follow", 'F', 0, 0,
      "stay on when the writer closes the file, when a writer restarts, and "
      "when the file is replaced (like tail -F)", 3 },
    { "once", OPT_ONCE, 0, 0, "print the current shapes (with --values, "
      "every value) and exit", 3 },
    { "list", 'l', 0, 0, "print the absolute path of each dataset that "
      "can grow (what would be watched), one a line, and exit; control "
      "characters and backslashes in names are escaped as C does (\\n, "
      "\\\\)", 3 },
    { "until", 'u', "ROWS", 0,
      "exit 0 once every watched dataset has at least ROWS rows (status 1 "
      "if the writer closes the file first)", 3 },
    { "count", 'n', "N", 0, "exit 0 after N change lines (status 1 if the "
      "writer closes the file first, as for --until)", 3 },
    { "timeout", OPT_TIMEOUT, "SECONDS", 0,
      "exit with status 75 after SECONDS without growth", 3 },

    { 0, 0, 0, 0, "Messages:", 4 },
    { "quiet", 'q', 0, 0, "no notices on stderr, only errors", 4 },
    { "verbose", 'v', 0, 0, "also say what is being waited for", 4 },
    { "debug", OPT_DEBUG, 0, 0, "print HDF5's own error stack on failures, "
      "each change of the watch's phase, and at exit the number of "
      "refreshes", 4 },
    { 0 }
};

/* File name endings of HDF5 files: HDF5's own, NeXus, CXI. */
#define HDF5_SUFFIXES ".h5 .hdf5 .hdf .he5 .nxs .nx5 .cxi"

/* What split_file_dataset allocates, freed at the end of the run. */
static char *split_file;
static const char **split_names;

static bool regular_file(const char *path, void *unused)
{
    (void)unused;
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* h5watch's FILE/DATASET: "run.h5/data" is FILE run.h5, DATASET data (the
 * first of the datasets, before any named after it), when run.h5 is a
 * regular file. */
static void split_file_dataset(struct watch_options *o,
                               struct argp_state *state)
{
    size_t at = watch_split_file_dataset(o->file, regular_file, NULL);
    /* Before the file exists nothing can be split: "run.h5/data" would be
     * waited for as a file in a folder run.h5 that does not exist, and
     * fail with "Not a directory" once run.h5 appears. Say so now, when
     * the missing folder is named like an HDF5 file (a folder yet to be
     * made, "later/run.h5", is waited for as before). */
    const char *slash = strrchr(o->file, '/');
    struct stat st;
    if (!at && slash && slash != o->file) {
        char *parent = strndup(o->file, (size_t)(slash - o->file));
        const char *dot = parent ? strrchr(parent, '.') : NULL;
        char ending[16] = "";
        if (dot && !strchr(dot, '/') && strlen(dot) < 8)
            snprintf(ending, sizeof ending, "%s ", dot);
        bool missing = parent && stat(parent, &st) != 0 && *ending &&
                       strstr(HDF5_SUFFIXES " ", ending);
        free(parent);
        if (missing && o->wait)
            argp_error(state, "%s: with --wait before the file exists, give "
                       "FILE and DATASET apart (swmr-watch --wait %.*s %s)",
                       o->file, (int)(slash - o->file), o->file, slash + 1);
        /* Without --wait, the error that the file is missing says so. */
        static char form[2 * PATH_MAX + 64];
        if (missing) {
            char *file = strndup(o->file, (size_t)(slash - o->file));
            char fw[PATH_MAX + 8], dw[PATH_MAX + 8];
            if (file)
                snprintf(form, sizeof form, "swmr-watch --wait %s %s",
                         shell_word(file, fw, sizeof fw),
                         shell_word(slash + 1, dw, sizeof dw));
            free(file);
            o->wait_form = file ? form : NULL;
        }
    }
    if (!at)
        return;
    split_names = malloc((o->ndatasets + 1) * sizeof *split_names);
    split_file = strndup(o->file, at);
    if (!split_names || !split_file)
        argp_failure(state, STATUS_OSERR, 0, "out of memory");
    split_names[0] = o->file + at + 1;
    for (size_t i = 0; i < o->ndatasets; i++)
        split_names[i + 1] = o->datasets[i];
    o->datasets = split_names;
    o->ndatasets++;
    o->file = split_file;
}

/* The long name of the option KEY when only a watch uses it (every one
 * but --list and the messages ones), for --list to refuse; else NULL. */
static const char *watch_option_name(int key)
{
    if (key == 'l' || key == 'q' || key == 'v' || key == OPT_DEBUG)
        return NULL;
    for (const struct argp_option *opt = options; opt->name || opt->doc;
         opt++)
        if (opt->key == key && opt->name)
            return opt->name;
    return NULL;   /* not an option: an argument, or argp's own keys */
}

/* A seconds argument in [MIN, MAX], or a usage error naming the option. */
static double seconds_arg(struct argp_state *state, const char *opt,
                          const char *arg, double min)
{
    double v;
    if (!numarg_seconds(arg, min, 1e9, &v))
        argp_error(state, "%s: '%s' is not a number of seconds from %g to "
                   "1000000000", opt, arg, min);
    return v;
}

static error_t parse(int key, char *arg, struct argp_state *state)
{
    struct watch_options *o = state->input;
    uint64_t n;
    char why[256];
    const char *why_not;

    if (!o->watch_option)
        o->watch_option = watch_option_name(key);
    switch (key) {
    case 'o':
        if (!watch_format_by_name(arg, &o->format))
            argp_error(state, "--format: '%s' is not text, tsv or json", arg);
        break;
    case 'r': o->values = true; break;
    case OPT_FIELDS:
        watch_fields_free(o->fields, o->nfields);
        o->fields = NULL;
        o->nfields = 0;
        if (!watch_split_fields(arg, &o->fields, &o->nfields, why,
                                sizeof why))
            argp_error(state, "%s", why);
        break;
    case OPT_LAST:
        if (strcmp(arg, "all") == 0)
            n = WATCH_LAST_ALL;
        else if (!numarg_u64(arg, 0, UINT64_MAX, &n))
            argp_error(state, "--last: '%s' is not a number of rows or all",
                       arg);
        o->last = n;
        o->last_set = true;
        /* As tail -n: asking for the last rows is asking for values. */
        o->values = true;
        break;
    case OPT_MIN_INTERVAL:
        o->min_interval = seconds_arg(state, "--min-interval", arg, 0);
        break;
    case OPT_INTERVAL:
        o->interval = seconds_arg(state, "--interval", arg, 0.01);
        break;
    case 'p': o->poll_only = true; break;
    case 'w': o->wait = true; break;
    case 'F': o->follow = true; break;
    case OPT_ONCE: o->once = true; break;
    case 'l': o->list = true; break;
    case 'u':
        if (!numarg_u64(arg, 0, UINT64_MAX, &n))
            argp_error(state, "--until: '%s' is not a number of rows", arg);
        o->until = n;
        o->until_set = true;
        break;
    case 'n':
        if (!numarg_u64(arg, 1, UINT64_MAX, &n))
            argp_error(state, "--count: '%s' is not a count of at least 1",
                       arg);
        o->count = n;
        break;
    case OPT_TIMEOUT:
        o->timeout = seconds_arg(state, "--timeout", arg, 0.01);
        break;
    case 'q':
    case 'v':
        if ((why_not = report_level_option(key)))
            argp_error(state, "%s", why_not);
        break;
    case OPT_DEBUG: report.debug = true; break;
    case ARGP_KEY_ARG:
        if (!o->file) {
            o->file = arg;
        } else {
            /* The datasets are the rest of argv, in place. */
            o->datasets = (const char **)&state->argv[state->next - 1];
            o->ndatasets = (size_t)(state->argc - state->next + 1);
            state->next = state->argc;
        }
        break;
    case ARGP_KEY_END:
        if (o->file)
            split_file_dataset(o, state);
        if (!watch_options_check(o, why, sizeof why))
            argp_error(state, "%s", why);
        break;
    default:
        return ARGP_ERR_UNKNOWN;
    }
    return 0;
}

static const struct argp argp = {
    .options = options, .parser = parse,
    .args_doc = "FILE [DATASET...]\nFILE/DATASET [DATASET...]\n--list FILE",
    .doc = "Follow datasets of an HDF5 file as a SWMR writer grows them: a line for "
    "every change of shape, with the time, the rows added and the rate.\n"
    "Without DATASET, every dataset that can grow, along any dimension. "
    "Rows are the product of the unlimited dimensions (the first dimension "
    "for the usual (N, ...) dataset).\n"
    "FILE/DATASET (run.h5/data, as h5watch takes it) is split at the longest "
    "prefix that is a regular file; before the file exists (--wait), only "
    "FILE DATASET is understood.\n"
    "\v"
    "Exit status: 0 when the writer closed the file, --until, --count, "
    "--once or --list ended it; 1 when the file was closed before --until or "
    "--count was reached; 2 when --values could not read new rows (without "
    "--follow); "
    "64 usage error; 65 not an HDF5 1.10 file, no such dataset, or "
    "a dataset that cannot grow; 66 file missing (without --wait), unreadable, "
    "not a regular file (a directory, FIFO, device, socket) or removed; 69 the writer went away without closing the file; "
    "71 system error; 74 cannot write the output; 75 --timeout expired; "
    "128+N ended by signal N (141: the reader of a pipe went away).\n"
    "See swmr-watch(1).",
};

int main(int argc, char **argv)
{
    struct watch_options o;
    watch_options_defaults(&o);
    report_init("swmr-watch");
    argp_parse(&argp, argc, argv, 0, NULL, &o);
    int status = o.list ? list_run(o.file) : watch_run(&o);
    free(split_file);
    free(split_names);
    watch_fields_free(o.fields, o.nfields);
    /* Stopped by a signal (or our pipe's reader went away, as `tail -f |
     * head -1` ends): with the output complete, die of it. */
    if (status > STATUS_SIGNAL)
        exit_status_die_of(status - STATUS_SIGNAL);
    return status;
}
