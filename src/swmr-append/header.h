/* The --header line: its column names, split as spreadsheets write them.
 *
 * Data lines are numbers, so record_split may cut them at any blank or
 * comma. Names are text: "time (s),temp [°C]" is two names, not four, and
 * a name may be quoted to hold the delimiter. The rules, in order:
 *
 *  0. The line: a leading UTF-8 BOM (spreadsheets on Windows write one) and
 *     one trailing '\r' are removed, then blanks (space, tab) at both ends,
 *     as record_split trims a data line. A NUL byte anywhere: HEADER_NUL.
 *  1. Default delimiter (0): when the line holds a comma outside double
 *     quotes, or the data holds commas (DATA_COMMAS), names are separated by
 *     each comma alone, so they may hold blanks; blanks around a name are
 *     trimmed. "a,,b", a leading or a trailing comma: an empty name.
 *  2. Else, over one column of data (DATA_COLUMNS == 1), the whole line is
 *     one name: "temp [°C]".
 *  3. Else runs of blanks separate names: "time temp" is two.
 *  4. A forced delimiter separates names as it separates data: a tab at
 *     each tab (two tabs: an empty name), a space at each run of spaces
 *     (and blanks), any other character at each occurrence. Blanks around a
 *     name are trimmed, except the delimiter itself. DATA_COMMAS and
 *     DATA_COLUMNS do not matter then.
 *  5. CSV quoting: a name whose first character (after blanks) is a double
 *     quote runs to the closing quote, across delimiters; "" inside stands
 *     for one quote; the outer quotes go. Only blanks may follow the closing
 *     quote before the next delimiter: "a"b is HEADER_AFTER_QUOTE (refused,
 *     not guessed at: a header is written once, and a mangled name would
 *     stay in the file). A quote anywhere else is an ordinary character:
 *     a"b is the name a"b. For rule 1 a quote opens at the line's start or
 *     after a blank or comma, so a "b,c" has no comma outside quotes.
 *     A forced delimiter '"' turns quoting off.
 *  6. Every name a number (field_parse as float64, so "nan", "1e3" and
 *     the overflowing "1e400" count; quoted numbers too):
 *     HEADER_ALL_NUMBERS, the line looks like data. Some numeric names
 *     among others are fine: "x,1,y".
 *  7. An empty or blank line is HEADER_EMPTY_NAME, name 1. Names keep
 *     their bytes exactly: UTF-8 as given, no case change, no sanitising;
 *     only space and tab are blanks (a no-break space is part of a name).
 *  8. No limit on names or their length but memory.
 *
 * Pure: no I/O, no HDF5. */
#ifndef SWMR_HEADER_H
#define SWMR_HEADER_H

#include <stdbool.h>
#include <stddef.h>

struct header_names {
    char **names;    /* COUNT names, each malloc'd, NUL-terminated, bytes
                        kept exactly (UTF-8); names[count] is NULL */
    size_t count;
};

enum header_status {
    HEADER_OK,
    HEADER_NO_MEMORY,
    HEADER_EMPTY_NAME,   /* a name with nothing in it (",," or "" or a
                            trailing comma); *bad is its 1-based index */
    HEADER_OPEN_QUOTE,   /* a double quote that never closes; *bad: name */
    HEADER_ALL_NUMBERS,  /* every name is a number: the line looks like data */
    HEADER_NUL,          /* the line holds a NUL byte */
    HEADER_AFTER_QUOTE,  /* "a"b: text after a closing quote; *bad: name */
};

/* Split LINE (LEN bytes, no '\n') into names by the rules above.
 * DELIMITER: 0 for the default, else the forced --delimiter character.
 * DATA_COMMAS: the first data line holds a comma. DATA_COLUMNS: the data's
 * column count, or 0 when not known yet.
 * *BAD (may be NULL) gets the 1-based index of the name at fault, 0 when
 * none is. On any status but HEADER_OK, OUT is left empty ({NULL, 0}):
 * nothing to free, though header_names_free on it is harmless. */
enum header_status header_split(const char *line, size_t len, char delimiter,
                                bool data_commas, size_t data_columns,
                                struct header_names *out, size_t *bad);

/* Frees the names and empties H; safe on a zeroed or already freed H. */
void header_names_free(struct header_names *h);

/* One short reason for S, naming name BAD where that matters, into BUF:
 * "header name 2 is empty", for "stdin: line 1: <reason>". */
void header_status_text(enum header_status s, size_t bad,
                        char *buf, size_t size);

#endif
