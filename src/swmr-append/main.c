/* swmr-append: command line to options; the work is in append.c. */
#include "append.h"
#include "exit_status.h"
#include "numarg.h"
#include "report.h"

#include <argp.h>
#include <ctype.h>    /* isalnum */
#include <stdlib.h>   /* realloc */
#include <string.h>   /* strchr, strcmp */

const char *argp_program_version = "swmr-append (swmr-tools) " SWMR_TOOLS_VERSION;
const char *argp_program_bug_address = NULL;

static const char doc[] =
    "Append numeric records from standard input to an HDF5 dataset in SWMR "
    "mode, so that readers see them live.\v"
    "Each input line is one row: fields separated by whitespace or commas; "
    "blank lines and lines starting with # are skipped. One field per line "
    "gives a dataset of shape (N,), C fields (N, C). A list of types (-t "
    "float64,float32,uint32) or --timestamp gives a compound dataset of "
    "shape (N,) instead, one named field per column. DATASET defaults to "
    "\"data\"; groups in its path are created.\n\n"
    "Rows reach readers at most --flush-interval after their line arrived, "
    "and under a flood every --flush-rows rows. The file is closed cleanly "
    "at end of input, on a bad line, and on SIGINT, SIGTERM, SIGHUP or "
    "SIGPIPE. On NFS, SMB, 9p, FUSE and other file systems that do not "
    "promise the write ordering SWMR needs, a warning says so (-q silences "
    "it).\n\n"
    "Exit status: 0 success, 64 usage error, 65 bad input line (or FILE not "
    "usable HDF5), 66 input missing, 71 out of memory, 72 FILE moved or "
    "removed while being written, 73 FILE cannot be created or appended to as "
    "asked, 74 I/O error, 75 another writer has FILE, 128+N stopped by signal "
    "N after closing FILE. See swmr-append(1).";

static const char args_doc[] = "FILE [DATASET]";

enum {
    OPT_FLUSH_INTERVAL = 0x100,
    OPT_FLUSH_ROWS,
    OPT_CHUNK,
    OPT_COMPRESS,
    OPT_ATTR,
    OPT_SKIP_BAD,
    OPT_DEBUG,
    OPT_COLUMNS,
    OPT_HEADER,
    OPT_DELIMITER,
    OPT_INPUT_FORMAT,
    OPT_TIMESTAMP,
    OPT_ATTR_STRING,
    OPT_PROGRESS,
};

static const struct argp_option options[] = {
    { 0, 0, 0, 0, "Input:", 1 },
    { "input", 'i', "PATH", 0, "Read records from PATH (- is standard input)", 1 },
    { "type", 't', "TYPE[,TYPE...]", 0, "Element type: int8, int16, int32, "
      "int64, uint8, uint16, uint32, uint64, float32, float64 (default "
      "float64); a comma list gives each column its own type (a compound "
      "dataset)", 1 },
    { "columns", OPT_COLUMNS, "N|NAMES", 0, "Fields per line, or their names "
      "(NAME,NAME,...); creates the dataset at start, with --header at the "
      "first data line (default: the first record's count)", 1 },
    { "timestamp", OPT_TIMESTAMP, 0, 0, "Store when each line arrived: a "
      "leading float64 field \"time\", seconds since 1970 (a compound "
      "dataset)", 1 },
    { "header", OPT_HEADER, 0, 0, "The first non-comment line names the "
      "columns (field names, or the \"columns\" attribute); with commas, "
      "commas alone separate names", 1 },
    { "delimiter", OPT_DELIMITER, "CHAR", 0, "Fields are separated by CHAR only "
      "(\"tab\" for a tab, \"space\" for a space; default: whitespace or "
      "commas)", 1 },
    { "skip-bad", OPT_SKIP_BAD, "N", OPTION_ARG_OPTIONAL, "Report bad lines "
      "(the first N, default 10, then a count) and go on instead of stopping; "
      "N needs the = form", 1 },
    { "input-format", OPT_INPUT_FORMAT, "FORMAT", 0, "text (default: one "
      "record a line) or binary (packed little-endian rows of TYPE, --columns "
      "values each, as numpy's tofile writes them)", 1 },

    { 0, 0, 0, 0, "Output:", 2 },
    { "append", 'a', 0, 0, "Continue an existing dataset (FILE and DATASET are "
      "created if missing)", 2 },
    { "force", 'f', 0, 0, "Replace FILE if it exists", 2 },
    { "chunk", OPT_CHUNK, "ROWS", 0, "Rows per chunk (default: about 64 KiB "
      "of rows)", 2 },
    { "compress", OPT_COMPRESS, "LEVEL", 0, "Deflate (0-9) with shuffle; "
      "rows still reach readers within --flush-interval", 2 },
    { "attr", OPT_ATTR, "NAME=VALUE", 0, "Set an attribute on the dataset "
      "(a number if VALUE reads back the same, else a string); may be "
      "repeated", 2 },
    { "attr-string", OPT_ATTR_STRING, "NAME=VALUE", 0, "The same, always a "
      "string", 2 },

    { 0, 0, 0, 0, "Flushing:", 3 },
    { "flush-interval", OPT_FLUSH_INTERVAL, "SECONDS", 0, "Longest time a row "
      "waits before readers can see it (default 0.1, compressed 1; 0: as "
      "soon as the input pauses)", 3 },
    { "flush-rows", OPT_FLUSH_ROWS, "ROWS", 0, "Flush whenever this many rows "
      "are waiting (default: one chunk)", 3 },

    { 0, 0, 0, 0, "Messages:", 4 },
    { "quiet", 'q', 0, 0, "Print errors only", 4 },
    { "verbose", 'v', 0, 0, "Print the dataset's layout at start and a "
      "summary at the end (rows, rows/s, bytes read, flushes, file size)", 4 },
    { "progress", OPT_PROGRESS, 0, 0, "Show rows, rows/s (over the last "
      "5 s), bytes read, flushes and the time since the last flush as they "
      "go (redrawn in place on a terminal while in the foreground, a line "
      "every 5 s into a file or pipe; only the summary when the input is "
      "typed at the terminal), and the summary at exit; also with -q", 4 },
    { "debug", OPT_DEBUG, 0, 0, "Print HDF5's own error stack with errors", 4 },
    { 0 }
};

static void add_attr(struct argp_state *state, char *arg, bool as_string)
{
    struct append_options *opt = state->input;
    struct attr_spec *attrs = realloc(opt->attrs, (opt->nattrs + 1) * sizeof *attrs);
    if (!attrs)
        argp_failure(state, STATUS_OSERR, ENOMEM, "--attr");
    opt->attrs = attrs;
    char why[300];
    if (!append_attr_parse(arg, as_string, &attrs[opt->nattrs], why, sizeof why))
        argp_error(state, "%s", why);
    opt->nattrs++;
}

/* The options that take a number: each checked, with its range named. */
static void parse_number(int key, char *arg, struct argp_state *state)
{
    struct append_options *opt = state->input;
    uint64_t n;
    switch (key) {
    case OPT_CHUNK:
        if (!numarg_u64(arg, 1, UINT32_MAX, &n))
            argp_error(state, "--chunk wants a row count from 1 to %u, not '%s'",
                       UINT32_MAX, arg);
        opt->chunk_rows = n;
        break;
    case OPT_COMPRESS:
        if (!numarg_u64(arg, 0, 9, &n))
            argp_error(state, "--compress wants a level from 0 to 9, not '%s'", arg);
        opt->compress = (int)n;
        break;
    case OPT_FLUSH_INTERVAL:
        if (!numarg_seconds(arg, 0, 86400, &opt->flush_interval))
            argp_error(state, "--flush-interval wants seconds from 0 to 86400, "
                       "not '%s'", arg);
        opt->flush_interval_given = true;
        break;
    case OPT_FLUSH_ROWS:
        if (!numarg_u64(arg, 1, UINT32_MAX, &n))
            argp_error(state, "--flush-rows wants a row count from 1 to %u, "
                       "not '%s'", UINT32_MAX, arg);
        opt->flush_rows = n;
        break;
    }
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
    struct append_options *opt = state->input;
    uint64_t n;
    char why[300];
    const char *why_not;
    switch (key) {
    case 'i':
        opt->input = arg;
        break;
    case 't':
        if (!append_types_parse(arg, opt, why, sizeof why))
            argp_error(state, "%s", why);
        opt->type_given = true;
        break;
    case OPT_COLUMNS:
        if (!append_columns_parse(arg, opt, why, sizeof why))
            argp_error(state, "%s", why);
        break;
    case OPT_TIMESTAMP:
        opt->timestamp = true;
        break;
    case OPT_CHUNK:
    case OPT_COMPRESS:
    case OPT_FLUSH_INTERVAL:
    case OPT_FLUSH_ROWS:
        parse_number(key, arg, state);
        break;
    case OPT_HEADER:
        opt->header = true;
        break;
    case OPT_INPUT_FORMAT:
        if (!append_input_format_by_name(arg, &opt->binary))
            argp_error(state, "--input-format wants text or binary, not '%s'",
                       arg);
        break;
    case OPT_DELIMITER:
        opt->delimiter_given = true;
        if (!append_delimiter_by_name(arg, &opt->delimiter))
            argp_error(state, "--delimiter wants one character that cannot be "
                       "part of a number, not '%s'", arg);
        break;
    case OPT_SKIP_BAD:
        opt->skip_bad = true;
        if (arg && !numarg_u64(arg, 0, 1u << 30, &n))
            argp_error(state, "--skip-bad wants a count, not '%s'", arg);
        if (arg)
            opt->skip_report_limit = (unsigned)n;
        opt->skip_count_given = arg != NULL;
        break;
    case 'a':
        opt->append = true;
        break;
    case 'f':
        opt->force = true;
        break;
    case OPT_ATTR:
    case OPT_ATTR_STRING:
        add_attr(state, arg, key == OPT_ATTR_STRING);
        break;
    case 'q':
    case 'v':
        if ((why_not = report_level_option(key)))
            argp_error(state, "%s", why_not);
        break;
    case OPT_PROGRESS:
        opt->progress = true;
        break;
    case OPT_DEBUG:
        report.debug = true;
        break;
    case ARGP_KEY_ARG:
        if (state->arg_num == 0)
            opt->file = arg;
        else if (state->arg_num == 1) {
            opt->dataset = arg;
            opt->dataset_given = true;
        }
        else
            argp_error(state, "too many arguments: one FILE and one DATASET");
        break;
    case ARGP_KEY_END:
        if (!append_options_check(opt, why, sizeof why))
            argp_error(state, "%s", why);
        break;
    default:
        return ARGP_ERR_UNKNOWN;
    }
    return 0;
}

int main(int argc, char **argv)
{
    report_init("swmr-append");
    struct append_options opt;
    append_options_defaults(&opt);
    struct argp argp = { options, parse_opt, args_doc, doc, 0, 0, 0 };
    argp_parse(&argp, argc, argv, 0, NULL, &opt);
    int status = append_run(&opt);
    append_options_free(&opt);
    return status;
}
