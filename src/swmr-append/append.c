/* The work of swmr-append: lines in, rows out, flushed on time and size,
 * closed cleanly whatever ends it (end of input, bad input, a signal). */
#include "append.h"
#include "append_fs.h"
#include "monotonic.h"
#include "exit_status.h"
#include <hdf5.h>   /* H5dont_atexit */
#include "flush_policy.h"
#include "h5err.h"
#include "header.h"
#include "linereader.h"
#include "progress_show.h"
#include "record.h"
#include "report.h"

#include <errno.h>    /* errno */
#include <inttypes.h> /* PRIu64 */
#include <fcntl.h>    /* open */
#include <signal.h>   /* sigaction, sigprocmask */
#include <stdlib.h>   /* malloc, free */
#include <string.h>   /* strerror, strndup */
#include <sys/stat.h> /* fstat */
#include <time.h>     /* clock_gettime */
#include <unistd.h>   /* close */

enum { MAX_LINE = 16 * 1024 * 1024 };
/* The widest row: what --columns and --append accept too. */
enum { MAX_COLUMNS = 1u << 20 };
/* The row buffer is the only memory that grows with the options: cap it. */
static const uint64_t MAX_BUFFER_BYTES = 1024ull * 1024 * 1024;
/* HDF5 holds a whole chunk in memory and allocates it whole on disk. */
static const uint64_t MAX_CHUNK_BYTES = 64ull * 1024 * 1024;

static volatile sig_atomic_t caught_signal;
static const int handled_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

struct appender {
    const struct append_options *opt;
    const char *input_name;       /* "stdin" or the -i path, for messages */
    bool input_terminal;          /* the input is a terminal: typed */
    struct line_reader *reader;
    struct h5writer *writer;

    struct dataset_shape shape;   /* valid once shape_known */
    bool shape_known;
    bool adopted;                 /* the shape is an existing dataset's */
    bool record_seen;             /* a record (not the header) has come */
    bool header_pending;          /* --header and its line not seen yet */
    char *header;                 /* that line, till its names are taken */
    size_t header_len;
    uint64_t header_line;         /* its line number */
    bool data_commas;             /* the first line after it has a comma */
    bool data_seen;               /* ... and that line has come */
    bool header_has_tab;
    uint64_t data_lines;          /* lines that are neither blank nor the
                                     header */
    char **column_names;          /* NULL-terminated: --columns, the header,
                                     the file's fields, or col0, col1, ... */
    bool started;                 /* dataset ready, SWMR writing on */
    size_t time_bytes;            /* --timestamp: the row's leading time */
    const struct value_type *first_type;   /* column 1's, for the quick path */

    struct field_span *spans;
    size_t max_spans;

    unsigned char *rows;          /* pending rows, packed (rows of the
                                     geometry's row_bytes) */
    struct flush_policy policy;
    struct flush_state state;
    uint64_t flush_at;            /* pending rows that make a flush due */
    double block_at;              /* when the block being taken was read */
    double block_time;            /* the same on CLOCK_REALTIME: --timestamp */

    bool output_failed;           /* writing failed: write nothing more */
    uint64_t line_no;
    uint64_t bad_lines;
    uint64_t flushes;
    double last_flush_at;         /* when the last flush was; -1: none */
    uint64_t rows_before;         /* the dataset's length when we started */
    double placed_checked;        /* when FILE was last seen to be ours */
    double started_at;
};

static int out_of_memory(void)
{
    report_error("out of memory");
    return STATUS_OSERR;
}

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

/* The name of one of HANDLED_SIGNALS, as kill -l and the shell say it. */
static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGPIPE: return "SIGPIPE";
    default: return "a signal";
    }
}

static void on_signal(int sig)
{
    caught_signal = sig;
}

/* Signals are blocked except while waiting for input (ppoll unblocks them
 * atomically), so one can never slip in between a check and a wait, nor
 * interrupt HDF5 half-way through a write. */
static void setup_signals(sigset_t *wait_mask)
{
    sigset_t block;
    sigemptyset(&block);
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof handled_signals / sizeof *handled_signals; i++) {
        /* A signal ignored by whoever started us (nohup, a shell's
         * background job) stays ignored. */
        struct sigaction old;
        sigaction(handled_signals[i], NULL, &old);
        if (old.sa_handler == SIG_IGN)
            continue;
        sigaction(handled_signals[i], &sa, NULL);
        sigaddset(&block, handled_signals[i]);
    }
    sigprocmask(SIG_BLOCK, &block, wait_mask);
    for (size_t i = 0; i < sizeof handled_signals / sizeof *handled_signals; i++)
        sigdelset(wait_mask, handled_signals[i]);
    /* Past a file size limit, let write() fail with EFBIG (reported, exit 74,
     * file closed) instead of being killed with the file open. */
    signal(SIGXFSZ, SIG_IGN);
}


/* Rows written to a file that is no longer at FILE reach no reader: say
 * so, at most a second after it happened (a stat per second, not per
 * flush). */
static int check_in_place(struct appender *a, double now)
{
    if (now - a->placed_checked < 1.0)
        return 0;
    a->placed_checked = now;
    if (h5writer_in_place(a->writer))
        return 0;
    uint64_t rows = h5writer_geometry(a->writer)->rows - a->rows_before;
    report_error("%s: moved or removed while being written; %" PRIu64
                 " row%s went to the file that was there", a->opt->file, rows,
                 plural(rows));
    a->output_failed = true;
    return STATUS_MOVED;
}

static int write_pending(struct appender *a)
{
    if (a->state.pending == 0)
        return 0;
    int status = h5writer_append(a->writer, a->rows, a->state.pending);
    if (status) {
        a->output_failed = true;
        return status;
    }
    a->state.written = h5writer_geometry(a->writer)->rows;
    a->state.pending = 0;
    a->flush_at = flush_rows_due(&a->policy, &a->state);
    a->flushes++;
    /* The clock read that check_in_place needs anyway dates the flush
     * for --progress. */
    double now = monotonic_seconds();
    a->last_flush_at = now;
    return check_in_place(a, now);
}

/* The flush policy and the row buffer for chunks of CHUNK_ROWS rows of
 * ROW_BYTES (COMPRESSED: a longer default interval; CHUNK_ALIGNED: flushed
 * on chunk boundaries only). */
static int plan_flushes(struct appender *a, uint64_t chunk_rows,
                        bool compressed, bool chunk_aligned, size_t row_bytes)
{
    const struct append_options *opt = a->opt;
    a->policy = (struct flush_policy){
        .interval = flush_interval_for(opt->flush_interval_given
                                       ? opt->flush_interval : -1, compressed),
        .rows = opt->flush_rows ? opt->flush_rows : chunk_rows,
        .chunk_rows = chunk_rows,
        .chunk_aligned = chunk_aligned,
    };
    uint64_t capacity = flush_capacity(&a->policy);
    if (capacity > MAX_BUFFER_BYTES / row_bytes) {
        report_error("%" PRIu64 " rows of %zu bytes would need more than 1 GiB "
                     "of buffer: lower --flush-rows", capacity, row_bytes);
        return STATUS_USAGE;
    }
    free(a->rows);
    a->rows = malloc(capacity * row_bytes);
    return a->rows ? 0 : out_of_memory();
}

/* A copy of the N strings at NAMES, NULL-terminated. */
static char **copy_names(char *const *names, size_t n)
{
    char **copy = calloc(n + 1, sizeof *copy);
    for (size_t i = 0; copy && i < n; i++)
        if (!(copy[i] = strdup(names[i]))) {
            free_list(copy);
            return NULL;
        }
    return copy;
}

/* A compound's fields need names: --columns', the header's, the file's, or
 * "value" for one column and col0, col1, ... for more. */
static int name_columns(struct appender *a)
{
    const struct dataset_shape *s = &a->shape;
    if (a->column_names || !s->compound)
        return 0;
    a->column_names = calloc(s->columns + 1, sizeof *a->column_names);
    if (!a->column_names)
        return out_of_memory();
    for (size_t i = 0; i < s->columns; i++) {
        char name[32];
        snprintf(name, sizeof name, s->columns == 1 ? "value" : "col%zu", i);
        if (!(a->column_names[i] = strdup(name)))
            return out_of_memory();
    }
    return 0;
}

/* The shape is known: create or open the dataset, then start SWMR. */
static int start_writing(struct appender *a)
{
    const struct append_options *opt = a->opt;
    struct dataset_shape *s = &a->shape;
    if (!s->type && !s->compound)
        s->type = opt->type;
    int status = name_columns(a);
    if (status)
        return status;
    size_t type_bytes = s->timestamp ? COMPOUND_FIELD_BYTES + 5 : 0;
    for (size_t i = 0; s->compound && i < s->columns; i++)
        type_bytes += strlen(a->column_names[i]) + 1 + COMPOUND_FIELD_BYTES;
    if (type_bytes > COMPOUND_TYPE_BYTES) {
        report_error("%s: %zu fields with these names make a type of about "
                     "%zu bytes; HDF5 keeps a compound's type in one 64 KiB "
                     "header: shorten the names", opt->file,
                     s->columns + s->timestamp, type_bytes);
        return STATUS_CANTCREAT;
    }
    a->time_bytes = s->timestamp ? TIME_FIELD_BYTES : 0;
    a->first_type = dataset_column_type(s, 0);
    size_t row_bytes = dataset_row_bytes(s);
    if (!s->chunk_rows)
        s->chunk_rows = opt->chunk_rows ? opt->chunk_rows
                                        : h5writer_default_chunk(row_bytes);
    if (opt->compress >= 0)
        s->compressed = true;
    if (a->adopted && opt->chunk_rows && opt->chunk_rows != s->chunk_rows)
        report_notice("%s: dataset %s has chunks of %" PRIu64 " rows; --chunk "
                      "applies only to a new dataset", opt->file, opt->dataset,
                      s->chunk_rows);
    else if (opt->chunk_rows && s->chunk_rows > MAX_CHUNK_BYTES / row_bytes) {
        report_error("--chunk %" PRIu64 ": chunks of rows of %zu bytes would "
                     "be over 64 MiB", s->chunk_rows, row_bytes);
        return STATUS_USAGE;
    }
    /* Planned before the file is made, so that a buffer too large for
     * --flush-rows leaves no file behind. */
    status = plan_flushes(a, s->chunk_rows, s->compressed, false, row_bytes);
    if (status)
        return status;
    if (a->max_spans < s->columns + 1) {
        /* One more than the width, to count a line with too many fields. */
        struct field_span *spans = realloc(a->spans, (s->columns + 1) * sizeof *spans);
        if (!spans)
            return out_of_memory();
        a->spans = spans;
        a->max_spans = s->columns + 1;
    }

    char names_from[96] = "--columns";
    if (!opt->column_names && a->header_line)
        snprintf(names_from, sizeof names_from, "%s: line %" PRIu64,
                 a->input_name, a->header_line);
    struct dataset_spec spec = {
        .name = opt->dataset,
        .shape = *s,
        .compress = opt->compress,
        .column_names = (const char *const *)a->column_names,
        .names_from = names_from,
        .attrs = opt->attrs,
        .nattrs = opt->nattrs,
    };
    status = h5writer_start(a->writer, &spec);
    if (status)
        return status;
    /* Another writer made the dataset meanwhile, with chunks of its own:
     * flush by those. */
    const struct dataset_geometry *g = h5writer_geometry(a->writer);
    if (g->chunk_rows != s->chunk_rows || g->compressed != s->compressed ||
        g->chunk_aligned) {
        status = plan_flushes(a, g->chunk_rows, g->compressed,
                              g->chunk_aligned, g->row_bytes);
        if (status)
            return status;
    }
    a->state.written = a->rows_before = g->rows;
    a->flush_at = flush_rows_due(&a->policy, &a->state);
    a->placed_checked = monotonic_seconds();
    a->started = true;
    report_verbose("%s: writing %s %s, %zu column%s, %" PRIu64 " row%s a "
                   "chunk%s", opt->file, opt->dataset,
                   s->compound ? (s->timestamp ? "compound with time"
                                               : "compound") : s->type->name,
                   s->columns, plural(s->columns), g->chunk_rows,
                   plural(g->chunk_rows), g->compressed ? ", compressed" : "");
    return 0;
}

/* The width is known (from the options or the first record): a new
 * dataset's layout follows. -t lists and --timestamp make compounds. */
static int learn_columns(struct appender *a, size_t columns)
{
    const struct append_options *opt = a->opt;
    struct dataset_shape *s = &a->shape;
    s->columns = columns;
    s->compound = opt->ntypes > 0 || opt->timestamp;
    s->timestamp = opt->timestamp;
    s->rank = columns == 1 || s->compound ? 1 : 2;
    a->shape_known = true;
    if (!s->compound) {
        s->type = opt->type;
        return 0;
    }
    if (columns > MAX_COMPOUND_FIELDS) {
        report_error("%zu columns: a compound (a -t list, --timestamp) has at "
                     "most %d", columns, MAX_COMPOUND_FIELDS);
        return STATUS_USAGE;
    }
    s->type = NULL;
    s->column_types = calloc(columns, sizeof *s->column_types);
    if (!s->column_types)
        return out_of_memory();
    for (size_t i = 0; i < columns; i++)
        s->column_types[i] = opt->ntypes ? opt->column_types[i] : opt->type;
    return 0;
}

/* Report a bad line as "stdin: line 3, field 2: ..." or "stdin: line 3:
 * ..."; with --skip-bad, past the limit, it is only counted. */
static int bad_line(struct appender *a, bool names_field, const char *what)
{
    a->bad_lines++;
    if (!a->opt->skip_bad || a->bad_lines <= a->opt->skip_report_limit)
        report_error("%s: line %" PRIu64 "%s%s", a->input_name, a->line_no,
                     names_field ? ", " : ": ", what);
    if (a->opt->skip_bad && a->bad_lines == a->opt->skip_report_limit + 1ull)
        report_error("%s: more bad lines; counting them from now on",
                     a->input_name);
    return a->opt->skip_bad ? 0 : STATUS_DATAERR;
}

/* What a field that is not a number most often means, for the message. */
static void bad_field_hint(const struct appender *a,
                           const struct record_error *err, char *buf,
                           size_t size)
{
    buf[0] = '\0';
    if (err->status != FIELD_NOT_NUMBER)
        return;
    const char *sep = a->opt->delimiter ? NULL : strpbrk(err->text, ";|:");
    if (sep)
        snprintf(buf, size, " (fields separated by '%c'? give --delimiter "
                 "'%c')", *sep, *sep);
    else if (err->text[0] == '"' || err->text[0] == '\'')
        snprintf(buf, size, " (numbers are read bare, without quotes)");
    else if (!a->opt->header && a->data_lines == 1 &&
             !(err->text[0] >= '0' && err->text[0] <= '9') &&
             !strchr("+-.", err->text[0]))
        snprintf(buf, size, " (a header line? give --header)");
}

/* A line of the wrong width that holds ';', '|' or ':' most likely has
 * fields separated by it. */
static const char *width_hint(const struct appender *a, const char *line,
                              size_t len, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; !a->opt->delimiter && i < len; i++)
        if (line[i] == ';' || line[i] == '|' || line[i] == ':') {
            snprintf(buf, size, " (fields separated by '%c'? give "
                     "--delimiter '%c')", line[i], line[i]);
            break;
        }
    return buf;
}

static int bad_record(struct appender *a, const struct record_error *err)
{
    const struct value_type *t = a->opt->type;
    if (a->shape_known && err->field > 0 && err->field <= a->shape.columns)
        t = dataset_column_type(&a->shape, err->field - 1);
    else if (a->opt->ntypes && err->field > 0 && err->field <= a->opt->ntypes)
        t = a->opt->column_types[err->field - 1];
    char text[160], hint[64];
    record_error_text(err, t, text, sizeof text);
    bad_field_hint(a, err, hint, sizeof hint);
    strncat(text, hint, sizeof text - strlen(text) - 1);
    return bad_line(a, err->field > 0, text);
}

/* "1,000.5" read as fields "1" and "000.5": a thousands separator, most
 * likely (a second field of three digits and a fraction; "5,120" may well
 * be two columns). Looked for on the first record only. */
static void warn_thousands(struct appender *a, size_t count)
{
    if (a->opt->delimiter)
        return;
    for (size_t i = 0; i + 1 < count && i + 1 < a->max_spans; i++) {
        const struct field_span *x = &a->spans[i], *y = &a->spans[i + 1];
        size_t lead = x->len && (x->start[0] == '-' || x->start[0] == '+');
        size_t xd = x->len - lead;
        if (xd >= 1 && xd <= 3 && strspn(x->start + lead, "0123456789") == xd &&
            y->start == x->start + x->len + 1 && x->start[x->len] == ',' &&
            y->len > 4 && strspn(y->start, "0123456789") == 3 &&
            y->start[3] == '.') {
            report_notice("%s: line %" PRIu64 ": '%.*s' is read as two "
                          "fields, '%.*s' and '%.*s': commas separate fields, "
                          "and thousands separators are not read",
                          a->input_name, a->line_no,
                          (int)(y->start + y->len - x->start), x->start,
                          (int)x->len, x->start, (int)y->len, y->start);
            return;
        }
    }
}

/* An error in the header: reported on its own line, fatal even with
 * --skip-bad (every line after it would be bad). */
static int bad_header(struct appender *a, const char *what)
{
    report_error("%s: line %" PRIu64 ": %s", a->input_name, a->header_line, what);
    return STATUS_DATAERR;
}

/* The header's names, now that the width (COUNT) is known. Names given
 * with --columns win; the header's count must still match. */
static int take_header_names(struct appender *a, size_t count)
{
    struct header_names h = { 0 };
    size_t bad = 0;
    enum header_status st = header_split(a->header, a->header_len,
                                         a->opt->delimiter, a->data_commas,
                                         count, &h, &bad);
    /* Names split at commas only because the data has them. */
    bool commas_from_data = a->data_commas && !memchr(a->header, ',', a->header_len);
    a->header_has_tab = memchr(a->header, '\t', a->header_len) != NULL;
    free(a->header);
    a->header = NULL;
    char why[300];
    if (st == HEADER_NO_MEMORY)
        return out_of_memory();
    if (st != HEADER_OK) {
        header_status_text(st, bad, why, sizeof why);
        return bad_header(a, why);
    }
    int status = 0;
    /* Names given with --columns win: the header's are only counted. */
    bool used = !a->opt->column_names;
    const char *names_bad = used && h.count == count
                            ? columns_names_bad(h.names, h.count) : NULL;
    if (h.count != count) {
        snprintf(why, sizeof why, "the header names %zu column%s, %s %zu%s",
                 h.count, plural(h.count),
                 a->adopted ? "the dataset has" :
                 a->opt->ntypes ? "-t gives types for" :
                 a->opt->columns ? "--columns says" : "the data has", count,
                 commas_from_data ? " (the data is separated by commas, so "
                                    "names are too)" :
                 !a->opt->delimiter && a->header_has_tab
                     ? " (names separated by tabs? give --delimiter=tab)" : "");
        status = bad_header(a, why);
    } else if (names_bad) {
        snprintf(why, sizeof why, "header: %s", names_bad);
        status = bad_header(a, why);
    } else if (used && a->shape.timestamp) {
        for (size_t i = 0; i < count && !status; i++)
            if (strcmp(h.names[i], "time") == 0)
                status = bad_header(a, "header names a column \"time\", "
                                    "which --timestamp adds: rename it "
                                    "with --columns=NAMES");
    }
    /* A restarted logger sends its header again: it must name the fields
     * the file has (the "columns" attribute is checked by the writer). */
    for (size_t i = 0; status == 0 && a->adopted && a->shape.compound &&
                       !a->opt->column_names && i < count; i++)
        if (strcmp(h.names[i], a->column_names[i]) != 0) {
            snprintf(why, sizeof why, "the header names column %zu '%.100s', "
                     "dataset %s calls it '%.100s'", i + 1, h.names[i],
                     a->opt->dataset, a->column_names[i]);
            status = bad_header(a, why);
        }
    if (status == 0 && !a->column_names) {
        a->column_names = h.names;
        h.names = NULL;
    }
    header_names_free(&h);
    return status;
}

/* The header line: kept until the first data line (its names are split
 * by what the data looks like: commas or not, one column or more). */
static int take_header(struct appender *a, const char *line, size_t len)
{
    a->header_pending = false;
    a->header_line = a->line_no;
    if (!(a->header = malloc(len + 1)))
        return out_of_memory();
    memcpy(a->header, line, len);
    a->header[len] = '\0';
    a->header_len = len;
    /* Data taken for a header is said now, not after the data ends. */
    struct header_names h = { 0 };
    enum header_status st = header_split(line, len, a->opt->delimiter,
                                         false, 0, &h, NULL);
    header_names_free(&h);
    if (st == HEADER_ALL_NUMBERS) {
        char why[160];
        header_status_text(st, 0, why, sizeof why);
        return bad_header(a, why);
    }
    return 0;
}

/* The buffer's next free row. */
static unsigned char *next_row(const struct appender *a)
{
    return a->rows + a->state.pending * h5writer_geometry(a->writer)->row_bytes;
}

/* The row at ROW is complete: its time (--timestamp), and it counts. */
static void count_row(struct appender *a, unsigned char *row)
{
    if (a->time_bytes)
        memcpy(row, &a->block_time, sizeof a->block_time);
    if (a->state.pending++ == 0)
        a->state.oldest = a->block_at;
}

/* The first record fixes a new dataset's width for good, so only a valid
 * one may. */
static int first_record(struct appender *a, size_t count)
{
    struct record_error err;
    if (count > MAX_COLUMNS || (a->opt->timestamp && count > MAX_COMPOUND_FIELDS)) {
        /* Only a bad line: a later record may fit. */
        char text[64];
        snprintf(text, sizeof text, "%zu fields, at most %u", count,
                 a->opt->timestamp ? MAX_COMPOUND_FIELDS : MAX_COLUMNS);
        return bad_line(a, false, text);
    }
    void *probe = malloc(count * a->opt->type->size);
    if (!probe)
        return out_of_memory();
    bool ok = record_convert(a->spans, count, a->opt->type, probe, &err);
    free(probe);
    if (!ok)
        return bad_record(a, &err);
    int status = learn_columns(a, count);
    if (status == 0 && a->header)
        status = take_header_names(a, count);
    return status;
}

static int take_line(struct appender *a, const char *line, size_t len)
{
    struct record_error err;
    size_t count;
    /* The common line, one number for a one-column dataset: straight into
     * the buffer, without splitting it into fields. */
    if (a->started && a->shape.columns == 1) {
        unsigned char *row = next_row(a);
        if (record_quick_single(line, len, a->first_type, row + a->time_bytes)) {
            a->record_seen = true;
            count_row(a, row);
            return 0;
        }
    }
    /* Spreadsheets start CSV files with a UTF-8 byte order mark. */
    if (a->line_no == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
        line += 3;
        len -= 3;
    }
    enum line_kind kind = record_split(line, len, a->opt->delimiter, a->spans,
                                       a->max_spans, &count, &err);
    if (kind == LINE_BLANK)
        return 0;
    if (a->header_pending)
        return take_header(a, line, len);
    a->data_lines++;
    int status;
    if (a->header && !a->data_seen) {
        a->data_seen = true;
        a->data_commas = !a->opt->delimiter && memchr(line, ',', len);
        /* A width fixed by the options, or the file's: name it now. */
        if (a->shape_known && (status = take_header_names(a, a->shape.columns)))
            return status;
    }
    if (kind == LINE_BAD)
        return bad_record(a, &err);

    if (count > a->max_spans && !a->shape_known) {
        /* The first line decides the width: make room for all of it. */
        struct field_span *spans = realloc(a->spans, count * sizeof *spans);
        if (!spans)
            return out_of_memory();
        a->spans = spans;
        a->max_spans = count;
        record_split(line, len, a->opt->delimiter, a->spans, a->max_spans,
                     &count, &err);
    }
    if (!a->shape_known && (status = first_record(a, count)))
        return status;
    if (!a->shape_known)
        return 0;   /* a bad first record, skipped */
    if (!a->started && (status = start_writing(a)))
        return status;
    const struct dataset_shape *s = &a->shape;
    char hint[64];
    if (count != s->columns && a->adopted && !a->record_seen) {
        /* Not a bad line: the wrong input, or the wrong dataset. */
        report_error("%s: line %" PRIu64 ": %zu field%s, but dataset %s has "
                     "%zu column%s%s", a->input_name, a->line_no, count,
                     plural(count), a->opt->dataset, s->columns,
                     plural(s->columns),
                     s->compound && !s->timestamp && count + 1 == s->columns &&
                     strcmp(a->column_names[0], "time") == 0
                         ? " (the first is \"time\": give --timestamp?)"
                         : width_hint(a, line, len, hint, sizeof hint));
        return STATUS_CANTCREAT;
    }
    if (!a->record_seen)
        warn_thousands(a, count);
    a->record_seen = true;
    if (count != s->columns) {
        char text[160];
        if (a->adopted)
            snprintf(text, sizeof text, "%zu field%s, but dataset %s has %zu%s",
                     count, plural(count), a->opt->dataset, s->columns,
                     width_hint(a, line, len, hint, sizeof hint));
        else
            snprintf(text, sizeof text, "%zu field%s, expected %zu%s%s", count,
                     plural(count), s->columns,
                     a->opt->ntypes ? " (one per -t type)" :
                     a->opt->columns ? " (--columns)" : "",
                     width_hint(a, line, len, hint, sizeof hint));
        return bad_line(a, false, text);
    }

    unsigned char *row = next_row(a);
    bool ok = s->compound
        ? record_convert_each(a->spans, count, s->column_types,
                              row + a->time_bytes, &err)
        : record_convert(a->spans, count, s->type, row, &err);
    if (!ok)
        return bad_record(a, &err);
    count_row(a, row);
    return 0;
}

/* An existing compound S: its fields are the columns (after its "time"
 * with --timestamp). NULL when it fits the options, else why not. */
static const char *compound_misfit(const struct append_options *opt,
                                   const struct dataset_shape *s,
                                   bool time_first, char *text, size_t size)
{
    if (s->rank != 1)
        return "is not 1-dimensional";
    if (opt->timestamp && !s->timestamp)
        return "has no leading float64 field \"time\" for --timestamp";
    if (s->columns == 0)
        return "has no field but time";
    /* The types said (a -t list, or one -t for every field; binary input
     * always says one, float64 by default) must be the file's. */
    bool said = opt->ntypes || opt->type_given || opt->binary;
    bool same = !opt->ntypes || opt->ntypes == s->columns;
    for (size_t i = 0; said && same && i < s->columns; i++)
        same = s->column_types[i] == (opt->ntypes ? opt->column_types[i]
                                                  : opt->type);
    char *const *names = s->field_names + (s->timestamp ? 1 : 0);
    if (said && !same) {
        size_t at = (size_t)snprintf(text, size, "has fields ");
        for (size_t i = 0; i < s->columns && at < size; i++)
            at += (size_t)snprintf(text + at, size - at, "%s%s",
                                   i ? "," : "", s->column_types[i]->name);
        if (at < size)
            snprintf(text + at, size - at, "%s: give -t with those types%s",
                     opt->binary ? " and binary input is read as said" : "",
                     s->timestamp ? " (after time)" :
                     time_first ? " (the first is \"time\": give --timestamp?)"
                                : "");
        return text;
    }
    if (opt->columns && opt->columns != s->columns) {
        snprintf(text, size, "has %zu field%s to read, not %zu", s->columns,
                 s->columns == 1 ? "" : "s", opt->columns);
        return text;
    }
    for (size_t i = 0; opt->column_names && i < s->columns; i++)
        if (strcmp(opt->column_names[i], names[i]) != 0) {
            snprintf(text, size, "names field %zu '%.100s', not '%.100s'",
                     i + 1, names[i], opt->column_names[i]);
            return text;
        }
    return NULL;
}

/* An existing compound's columns: with --timestamp, the fields after its
 * "time" (when it has one), else every field. */
static void take_time_field(const struct append_options *opt,
                            struct dataset_shape *s)
{
    if (opt->timestamp && s->timestamp) {
        s->columns--;
        memmove(s->column_types, s->column_types + 1,
                s->columns * sizeof *s->column_types);
    } else if (!opt->timestamp) {
        s->timestamp = false;
    }
}

/* With --append and the dataset there, its type and width rule; a -t or
 * --columns that disagrees is refused rather than converted. */
static int adopt_existing(struct appender *a)
{
    const struct append_options *opt = a->opt;
    struct dataset_shape *s = &a->shape;
    if (!h5writer_find(a->writer, opt->dataset, s))
        return 0;
    const char *why = NULL;
    char text[320];
    bool time_first = s->compound && s->timestamp;
    if (s->compound)
        take_time_field(opt, s);
    if (!s->type && !s->compound)
        why = "holds values of a type swmr-append does not write";
    else if (!s->chunk_rows)
        why = "is not chunked with an unlimited first dimension: it cannot grow";
    else if (s->missing_filter[0]) {
        snprintf(text, sizeof text, "uses a filter this libhdf5 does not have "
                 "(%s): its chunks cannot be written", s->missing_filter);
        why = text;
    }
    else if (opt->compress >= 0 && !s->compressed)
        why = "is not compressed, and --compress cannot change that";
    else if (s->compound)
        why = compound_misfit(opt, s, time_first, text, sizeof text);
    else if (opt->ntypes || opt->timestamp)
        why = "holds values of one type, not a compound: a -t list and "
              "--timestamp make compound datasets";
    else if (s->rank < 1 || s->rank > 2)
        why = "is not 1- or 2-dimensional";
    else if (s->columns == 0 || s->columns > MAX_COLUMNS)
        why = "has no columns, or more than 1048576";
    else if (opt->type_given && s->type != opt->type) {
        snprintf(text, sizeof text, "holds %s values, not %s", s->type->name,
                 opt->type->name);
        why = text;
    } else if (opt->columns && opt->columns != s->columns) {
        snprintf(text, sizeof text, "has %zu column%s, not %zu", s->columns,
                 s->columns == 1 ? "" : "s", opt->columns);
        why = text;
    } else if (opt->binary && s->type != opt->type) {
        /* Text is parsed into the dataset's type; bytes are not: their
         * type must be said, not guessed (-t float64 is the default). */
        snprintf(text, sizeof text, "holds %s values; binary input is read "
                 "as %s: give -t %s if that is what it holds", s->type->name,
                 opt->type->name, s->type->name);
        why = text;
    } else if (opt->binary && !opt->columns && s->columns != 1) {
        snprintf(text, sizeof text, "has %zu columns; binary input is read "
                 "as rows of 1 value: give --columns %zu if that is what it "
                 "holds", s->columns, s->columns);
        why = text;
    }
    if (why) {
        report_error("%s: dataset %s %s", opt->file, opt->dataset, why);
        return STATUS_CANTCREAT;
    }
    if (s->compound && !opt->column_names &&
        !(a->column_names = copy_names(s->field_names + (s->timestamp ? 1 : 0),
                                       s->columns)))
        return out_of_memory();
    a->shape_known = a->adopted = true;
    return 0;
}

static int open_input(struct appender *a, int *fd)
{
    const char *in = a->opt->input;
    if (!in || strcmp(in, "-") == 0) {
        a->input_name = "stdin";
        *fd = 0;
    } else {
        a->input_name = in;
        *fd = open(in, O_RDONLY | O_CLOEXEC);
        if (*fd < 0) {
            report_error("%s: %s", in, strerror(errno));
            return STATUS_NOINPUT;
        }
        struct stat st;
        if (fstat(*fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            report_error("%s: %s", in, strerror(EISDIR));
            close(*fd);
            return STATUS_NOINPUT;
        }
    }
    a->input_terminal = isatty(*fd);
    /* A terminal delivers what is typed a line at a time, newline
     * included: packed binary values cannot be typed. Said before FILE is
     * made, as a usage error: most likely the pipe was forgotten. */
    if (a->input_terminal && a->opt->binary) {
        report_error("%s is a terminal: binary input cannot be typed; pipe "
                     "a producer into swmr-append or give -i FILE",
                     a->input_name);
        if (*fd > 0)
            close(*fd);
        return STATUS_USAGE;
    }
    return 0;
}

/* Every line already read, one after another: nothing per line but the
 * line itself and a count compare for the flush by size. *END: the input
 * ended. */
static int take_block(struct appender *a, bool *end)
{
    const char *line;
    size_t len;
    for (;;) {
        int status;
        switch (line_reader_take(a->reader, &line, &len)) {
        case READ_LINE:
            a->line_no++;
            status = take_line(a, line, len);
            break;
        case READ_TOO_LONG:
            a->line_no++;
            status = bad_line(a, false, "longer than 16 MiB");
            break;
        case READ_END:
            *end = true;
            return 0;
        default:   /* READ_MORE: no complete line left */
            return 0;
        }
        if (status)
            return status;
        if (a->started && a->state.pending >= a->flush_at &&
            (status = write_pending(a)))
            return status;
    }
}

/* Binary values are little-endian: swap each one on a big-endian host.
 * N rows of the input columns of S at P. */
static void from_little_endian(const struct dataset_shape *s, void *p,
                               size_t n, size_t row)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    unsigned char *b = p;
    for (size_t r = 0; r < n; r++, b += row)
        for (size_t c = 0, at = 0; c < s->columns; c++) {
            size_t size = dataset_column_type(s, c)->size;
            for (size_t i = 0; i < size / 2; i++) {
                unsigned char t = b[at + i];
                b[at + i] = b[at + size - 1 - i];
                b[at + size - 1 - i] = t;
            }
            at += size;
        }
#else
    (void)s, (void)p, (void)n, (void)row;
#endif
}

/* --input-format=binary: every whole row read so far, copied straight into
 * the row buffer (after its time with --timestamp), flushed by size as
 * text rows are. A partial last row is an error that keeps every whole
 * row. */
static int take_binary(struct appender *a, bool *end)
{
    const struct dataset_shape *s = &a->shape;
    size_t row = dataset_row_bytes(s) - (s->timestamp ? TIME_FIELD_BYTES : 0);
    for (;;) {
        const char *p;
        size_t n, left;
        int status;
        switch (line_reader_take_rows(a->reader, row, &p, &n, &left)) {
        case READ_LINE:
            break;
        case READ_PARTIAL:
            report_error("%s: %zu byte%s after row %" PRIu64 ": not a whole row "
                         "of %zu bytes (%zu %s value%s)", a->input_name, left,
                         plural(left), a->line_no, row, s->columns,
                         s->compound ? "packed" : s->type->name,
                         plural(s->columns));
            return STATUS_DATAERR;
        case READ_END:
            *end = true;
            return 0;
        default:
            return 0;
        }
        if (!a->started && (status = start_writing(a)))
            return status;
        while (n > 0) {
            uint64_t room = a->flush_at - a->state.pending;
            size_t k = n < room ? n : (size_t)room;
            unsigned char *to = next_row(a);
            if (a->time_bytes) {
                size_t full = row + a->time_bytes;
                for (size_t i = 0; i < k; i++) {
                    memcpy(to + i * full + a->time_bytes, p + i * row, row);
                    memcpy(to + i * full, &a->block_time, a->time_bytes);
                    from_little_endian(s, to + i * full + a->time_bytes, 1, row);
                }
            } else {
                memcpy(to, p, k * row);
                from_little_endian(s, to, k, row);
            }
            if (a->state.pending == 0)
                a->state.oldest = a->block_at;
            a->state.pending += k;
            a->line_no += k;
            p += k * row;
            n -= k;
            if (a->state.pending >= a->flush_at && (status = write_pending(a)))
                return status;
        }
    }
}

/* The wall-clock time of the read just done: --timestamp's. */
static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* What --progress and -v tell: rows taken by this run so far, flushed or
 * waiting, and what it read and flushed. */
static struct progress_counts counts(const struct appender *a)
{
    return (struct progress_counts){
        .rows = a->started ? a->state.written + a->state.pending - a->rows_before
                           : 0,
        .bytes = line_reader_bytes_read(a->reader),
        .flushes = a->flushes,
        .last_flush = a->last_flush_at,
    };
}

/* The nearer of two waits; a negative one is no deadline. */
static double sooner(double x, double y)
{
    if (x < 0)
        return y;
    if (y < 0)
        return x;
    return x < y ? x : y;
}

static int run_loop(struct appender *a)
{
    for (;;) {
        bool end = false;
        int status = a->opt->binary ? take_binary(a, &end)
                                    : take_block(a, &end);
        if (status || end)
            return status;
        if (caught_signal)
            return 0;
        /* The clock once a block: rows due by age (with --flush-interval 0
         * every row, now that the input has paused), and the wait for
         * more. */
        double now = monotonic_seconds();
        if (a->started && flush_due(&a->policy, &a->state, now) &&
            (status = write_pending(a)))
            return status;
        double wait = a->started ? flush_wait(&a->policy, &a->state, now) : -1;
        /* --progress: on that same clock read, so a flood pays a compare a
         * block; a quiet input is woken for the update, so that the line
         * shows the time since the last flush grow. */
        if (a->opt->progress) {
            struct progress_counts c = counts(a);
            progress_show_tick(&c, now);
            wait = sooner(wait, progress_show_wait(now));
        }
        switch (line_reader_fill(a->reader, wait)) {
        case READ_MORE:
            a->block_at = monotonic_seconds();
            if (a->opt->timestamp)
                a->block_time = wall_seconds();
            break;
        case READ_IO_ERROR:
            report_error("%s: read error: %s", a->input_name, strerror(errno));
            return STATUS_IOERR;
        case READ_NO_MEMORY:
            return out_of_memory();
        default:   /* timed out (a flush is due), or a signal */
            break;
        }
    }
}

/* The last line: with --progress always (in place of its status line),
 * with -v when a file was written. The rows are those the file holds. */
static void summary(const struct appender *a)
{
    bool progress = progress_show_on();
    if (!progress && !a->started)
        return;
    struct progress_counts c = counts(a);
    c.rows = a->started
             ? h5writer_geometry(a->writer)->rows - a->rows_before : 0;
    char text[4096];
    progress_summary(a->opt->file, &c, monotonic_seconds() - a->started_at,
                     a->started ? (int64_t)h5writer_file_size(a->writer) : -1,
                     text, sizeof text);
    if (progress)
        progress_show_end(text);
    else
        report_verbose("%s", text);
}

static void free_appender(struct appender *a)
{
    free_list(a->column_names);
    free(a->header);
    dataset_shape_free(&a->shape);
    free(a->spans);
    free(a->rows);
    line_reader_free(a->reader);
}

int append_run(const struct append_options *opt)
{
    struct appender a = {
        .opt = opt,
        .header_pending = opt->header,
        .started_at = monotonic_seconds(),
        .last_flush_at = -1,
    };
    a.block_at = a.started_at;
    /* The input first: opening a FIFO waits for its writer, and until a
     * file of ours exists a signal may simply end us. */
    int fd;
    int status = open_input(&a, &fd);
    if (status)
        return status;
    sigset_t wait_mask;
    setup_signals(&wait_mask);
    /* After a failed H5Fclose (disk full), HDF5's own clean-up at exit()
     * crashes closing that file again; we close what we open ourselves.
     * Must come before the library's first use. */
    H5dont_atexit();
    h5err_silence();

    a.max_spans = opt->columns ? opt->columns + 1 : 64;
    a.spans = malloc(a.max_spans * sizeof *a.spans);
    a.reader = line_reader_new(fd, MAX_LINE, &wait_mask);
    if (!a.spans || !a.reader) {
        free_appender(&a);
        return out_of_memory();
    }

    /* Once, before anything is written to FILE (a recovery included). */
    append_fs_check(opt->file);
    status = h5writer_open(opt->file, opt->append, opt->force, &a.writer);
    if (status == 0 && opt->append)
        status = adopt_existing(&a);
    if (status == 0 && opt->column_names && !a.column_names &&
        !(a.column_names = copy_names(opt->column_names, opt->columns)))
        status = out_of_memory();
    size_t fixed = opt->ntypes ? opt->ntypes : opt->columns;
    if (status == 0 && fixed && !a.shape_known)
        status = learn_columns(&a, fixed);
    if (status == 0 && a.shape_known && !a.header_pending)
        status = start_writing(&a);
    /* Binary rows have no fields to count: one value a row unless
     * --columns says otherwise. The file comes with the first whole row. */
    if (status == 0 && opt->binary && !a.shape_known)
        status = learn_columns(&a, 1);
    if (status == 0) {
        /* Someone who ran it without a pipe sees a silent wait otherwise.
         * Said once FILE is ready to take rows: an existing FILE, or any
         * other error, is all there is to say. */
        if (a.input_terminal)
            report_notice("reading records from the terminal, one a line: "
                          "Ctrl-D ends the input and closes %s (or pipe a "
                          "producer into swmr-append)", opt->file);
        if (opt->progress)
            progress_show_start(monotonic_seconds(), a.input_terminal);
        status = run_loop(&a);
    }

    /* Whatever ended the loop, keep every row accepted so far. A dataset
     * whose width no record showed is not created: a later --append will
     * create it with the width its input has. */
    if (a.started && !a.output_failed) {
        a.placed_checked = -1e9;   /* the last word on where the rows went */
        h5writer_last_rows(a.writer);
        int s = write_pending(&a);
        if (s == 0)
            s = check_in_place(&a, monotonic_seconds());
        status = status ? status : s;
    }
    if (status && !a.started)
        h5writer_abandon(a.writer);
    if (status == 0 && !a.started && !opt->append)
        /* The width comes from the first record: without one there is no
         * dataset to make, and a file appears only with its dataset. */
        report_notice("%s: no record in the input; not created", opt->file);
    /* Read from the input, but no whole line (or row) yet: not stored. */
    size_t unread = line_reader_unread(a.reader);
    if (caught_signal && unread)
        report_notice("%s: stopped by %s; an unfinished %s of %zu byte%s "
                      "was read but not stored", a.input_name,
                      signal_name(caught_signal), opt->binary ? "row" : "line",
                      unread, plural(unread));
    if (a.bad_lines && opt->skip_bad)
        report_notice("%s: %" PRIu64 " bad line%s skipped", a.input_name,
                      a.bad_lines, a.bad_lines == 1 ? "" : "s");
    summary(&a);
    int s = h5writer_close(a.writer);
    status = status ? status : s;
    if (fd > 0)
        close(fd);
    free_appender(&a);
    if (caught_signal)
        exit_status_die_of(caught_signal);   /* the file is closed */
    return status;
}
