/* The work of swmr-append: lines in, rows out, flushed on time and size,
 * closed cleanly whatever ends it (end of input, bad input, a signal). */
#include "append.h"
#include "monotonic.h"
#include "exit_status.h"
#include <hdf5.h>   /* H5dont_atexit */
#include "flush_policy.h"
#include "h5err.h"
#include "linereader.h"
#include "record.h"
#include "report.h"

#include <errno.h>    /* errno */
#include <inttypes.h> /* PRIu64 */
#include <fcntl.h>    /* open */
#include <signal.h>   /* sigaction, sigprocmask */
#include <stdlib.h>   /* malloc, free */
#include <string.h>   /* strerror, strndup */
#include <sys/stat.h> /* fstat */
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
    struct line_reader *reader;
    struct h5writer *writer;

    struct dataset_shape shape;   /* valid once shape_known */
    bool shape_known;
    bool adopted;                 /* the shape is an existing dataset's */
    bool record_seen;             /* a record (not the header) has come */
    bool header_pending;          /* --header and its line not seen yet */
    char **column_names;          /* from the header line */
    bool started;                 /* dataset ready, SWMR writing on */

    struct field_span *spans;
    size_t max_spans;

    unsigned char *rows;          /* pending rows, packed (rows of the
                                     geometry's row_bytes) */
    struct flush_policy policy;
    struct flush_state state;
    uint64_t flush_at;            /* pending rows that make a flush due */
    double block_at;              /* when the block being taken was read */

    bool output_failed;           /* writing failed: write nothing more */
    uint64_t line_no;
    uint64_t bad_lines;
    uint64_t flushes;
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
    return check_in_place(a, monotonic_seconds());
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

/* The shape is known: create or open the dataset, then start SWMR. */
static int start_writing(struct appender *a)
{
    const struct append_options *opt = a->opt;
    struct dataset_shape *s = &a->shape;
    if (!s->type)
        s->type = opt->type;
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
    int status = plan_flushes(a, s->chunk_rows, s->compressed, false,
                              row_bytes);
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

    struct dataset_spec spec = {
        .name = opt->dataset,
        .shape = *s,
        .compress = opt->compress,
        .column_names = (const char *const *)a->column_names,
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
                   "chunk%s", opt->file, opt->dataset, s->type->name,
                   s->columns, plural(s->columns), g->chunk_rows,
                   plural(g->chunk_rows), g->compressed ? ", compressed" : "");
    return 0;
}

static void learn_columns(struct appender *a, size_t columns)
{
    a->shape.columns = columns;
    a->shape.rank = columns == 1 ? 1 : 2;
    a->shape_known = true;
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

static int bad_record(struct appender *a, const struct record_error *err)
{
    char text[160];
    record_error_text(err, a->shape.type ? a->shape.type : a->opt->type,
                      text, sizeof text);
    return bad_line(a, err->field > 0, text);
}

static int take_header(struct appender *a, size_t count)
{
    a->header_pending = false;
    if (a->shape_known && count != a->shape.columns) {
        char text[96];
        snprintf(text, sizeof text, "header names %zu columns, the dataset "
                 "has %zu", count, a->shape.columns);
        /* Fatal even with --skip-bad: every line after it would be bad. */
        report_error("%s: line %" PRIu64 ": %s", a->input_name, a->line_no, text);
        return STATUS_DATAERR;
    }
    a->column_names = calloc(count + 1, sizeof *a->column_names);
    if (!a->column_names)
        return out_of_memory();
    for (size_t i = 0; i < count; i++)
        if (!(a->column_names[i] = strndup(a->spans[i].start, a->spans[i].len)))
            return out_of_memory();
    if (!a->shape_known)
        learn_columns(a, count);
    return start_writing(a);
}

/* The buffer's next free row. */
static void *next_row(const struct appender *a)
{
    return a->rows + a->state.pending * h5writer_geometry(a->writer)->row_bytes;
}

static void count_row(struct appender *a)
{
    if (a->state.pending++ == 0)
        a->state.oldest = a->block_at;
}

static int take_line(struct appender *a, const char *line, size_t len)
{
    struct record_error err;
    size_t count;
    /* The common line, one number for a one-column dataset: straight into
     * the buffer, without splitting it into fields. */
    if (a->started && a->shape.columns == 1 &&
        record_quick_single(line, len, a->shape.type, next_row(a))) {
        a->record_seen = true;
        count_row(a);
        return 0;
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
    if (kind == LINE_BAD)
        return bad_record(a, &err);

    if (count > a->max_spans && (!a->shape_known || a->header_pending)) {
        /* The first line decides the width: make room for all of it. */
        struct field_span *spans = realloc(a->spans, count * sizeof *spans);
        if (!spans)
            return out_of_memory();
        a->spans = spans;
        a->max_spans = count;
        record_split(line, len, a->opt->delimiter, a->spans, a->max_spans,
                     &count, &err);
    }
    if (a->header_pending)
        return take_header(a, count);
    if (!a->shape_known && count > MAX_COLUMNS) {
        char text[64];
        snprintf(text, sizeof text, "%zu fields, at most %u", count, MAX_COLUMNS);
        return bad_line(a, false, text);
    }
    if (!a->shape_known) {
        /* Only a valid record may decide the width, for good. */
        void *probe = malloc(count * a->opt->type->size);
        if (!probe)
            return out_of_memory();
        bool ok = record_convert(a->spans, count, a->opt->type, probe, &err);
        free(probe);
        if (!ok)
            return bad_record(a, &err);
        learn_columns(a, count);
    }
    if (!a->started) {
        int status = start_writing(a);
        if (status)
            return status;
    }
    if (count != a->shape.columns && a->adopted && !a->record_seen) {
        /* Not a bad line: the wrong input, or the wrong dataset. */
        report_error("%s: line %" PRIu64 ": %zu field%s, but dataset %s has "
                     "%zu column%s", a->input_name, a->line_no, count,
                     plural(count), a->opt->dataset, a->shape.columns,
                     plural(a->shape.columns));
        return STATUS_CANTCREAT;
    }
    a->record_seen = true;
    if (count != a->shape.columns) {
        char text[64];
        snprintf(text, sizeof text, "%zu field%s, expected %zu", count,
                 count == 1 ? "" : "s", a->shape.columns);
        return bad_line(a, false, text);
    }

    if (!record_convert(a->spans, count, a->shape.type, next_row(a), &err))
        return bad_record(a, &err);
    count_row(a);
    return 0;
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
    char text[160];
    if (!s->type)
        why = "holds values of a type swmr-append does not write";
    else if (s->rank < 1 || s->rank > 2)
        why = "is not 1- or 2-dimensional";
    else if (s->columns == 0 || s->columns > MAX_COLUMNS)
        why = "has no columns, or more than 1048576";
    else if (!s->chunk_rows)
        why = "is not chunked with an unlimited first dimension: it cannot grow";
    else if (opt->type_given && s->type != opt->type) {
        snprintf(text, sizeof text, "holds %s values, not %s", s->type->name,
                 opt->type->name);
        why = text;
    } else if (opt->columns && opt->columns != s->columns) {
        snprintf(text, sizeof text, "has %zu column%s, not %zu", s->columns,
                 s->columns == 1 ? "" : "s", opt->columns);
        why = text;
    } else if (opt->compress >= 0 && !s->compressed)
        why = "is not compressed, and --compress cannot change that";
    else if (opt->binary && s->type != opt->type) {
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
    a->shape_known = a->adopted = true;
    return 0;
}

static int open_input(struct appender *a, int *fd)
{
    const char *in = a->opt->input;
    if (!in || strcmp(in, "-") == 0) {
        a->input_name = "stdin";
        *fd = 0;
        return 0;
    }
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

/* Binary values are little-endian: swap each one on a big-endian host. */
static void from_little_endian(void *p, size_t bytes, size_t size)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    unsigned char *b = p;
    for (size_t at = 0; at + size <= bytes; at += size)
        for (size_t i = 0; i < size / 2; i++) {
            unsigned char t = b[at + i];
            b[at + i] = b[at + size - 1 - i];
            b[at + size - 1 - i] = t;
        }
#else
    (void)p, (void)bytes, (void)size;
#endif
}

/* --input-format=binary: every whole row read so far, copied straight into
 * the row buffer, flushed by size as text rows are. A partial last row is
 * an error that keeps every whole row. */
static int take_binary(struct appender *a, bool *end)
{
    const struct value_type *t = a->shape.type ? a->shape.type : a->opt->type;
    size_t row = a->shape.columns * t->size;
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
                         plural(left), a->line_no, row, a->shape.columns,
                         t->name, plural(a->shape.columns));
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
            void *to = next_row(a);
            memcpy(to, p, k * row);
            from_little_endian(to, k * row, t->size);
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
        switch (line_reader_fill(a->reader, wait)) {
        case READ_MORE:
            a->block_at = monotonic_seconds();
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

static void summary(const struct appender *a)
{
    double secs = monotonic_seconds() - a->started_at;
    uint64_t rows = a->started
                    ? h5writer_geometry(a->writer)->rows - a->rows_before : 0;
    report_verbose("%s: %" PRIu64 " row%s appended in %.3f s (%.0f rows/s), "
                   "%" PRIu64 " flush%s, file %" PRIu64 " bytes", a->opt->file,
                   rows, plural(rows), secs, secs > 0 ? (double)rows / secs : 0.0,
                   a->flushes, a->flushes == 1 ? "" : "es",
                   a->writer ? h5writer_file_size(a->writer) : 0);
}

static void free_appender(struct appender *a)
{
    if (a->column_names)
        for (char **n = a->column_names; *n; n++)
            free(*n);
    free(a->column_names);
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

    status = h5writer_open(opt->file, opt->append, opt->force, &a.writer);
    if (status == 0 && opt->append)
        status = adopt_existing(&a);
    if (status == 0 && opt->columns && !a.shape_known)
        learn_columns(&a, opt->columns);
    if (status == 0 && a.shape_known && !a.header_pending)
        status = start_writing(&a);
    /* Binary rows have no fields to count: one value a row unless
     * --columns says otherwise. The file comes with the first whole row. */
    if (status == 0 && opt->binary && !a.shape_known)
        learn_columns(&a, 1);
    if (status == 0)
        status = run_loop(&a);

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
