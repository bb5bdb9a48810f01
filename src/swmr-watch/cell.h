/* One cell of a dataset as --values holds it in memory, whatever its HDF5
 * type: a number, a boolean, an enum's name, a string, an array, a
 * variable-length sequence, a compound of named fields (nested as deep as
 * HDF5 allows). cell_h5.c builds the tree from an HDF5 type and reads
 * cells into this layout; here it is printed, with no HDF5 calls, so that
 * unit tests drive every kind from plain bytes. */
#ifndef SWMR_WATCH_CELL_H
#define SWMR_WATCH_CELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>   /* FILE */

#include "types.h"

enum cell_kind {
    CELL_NUMBER,       /* an integer or a float32/float64: num */
    CELL_HALF,         /* float16, held as a float */
    CELL_LONG_DOUBLE,  /* numpy's longdouble, held as a long double */
    CELL_BOOL,         /* h5py's bool (an int8 enum FALSE=0, TRUE=1; also
                          uint8), held as that integer, num */
    CELL_ENUM,         /* held as its integer, num; shown by name */
    CELL_STRING,       /* fixed size: SIZE bytes, padded */
    CELL_VSTRING,      /* variable length: a char * (NULL: never written,
                          shown as "", as h5py reads it) */
    CELL_ARRAY,        /* COUNT elements of ELEM, one after the other */
    CELL_SEQUENCE,     /* variable length: a struct cell_sequence of ELEM */
    CELL_COMPOUND,     /* FIELDS at their offsets */
    CELL_UNPRINTABLE,  /* not read at all (opaque, reference, ...): no
                          bytes; JSON null, "?" in text and TSV */
};

/* How HDF5 lays out a variable-length sequence in memory (hvl_t). */
struct cell_sequence {
    size_t len;
    void *p;
};

/* How a fixed string ends (HDF5's string padding). */
enum cell_pad {
    PAD_NUL_TERMINATED,   /* at its first NUL */
    PAD_NULS,             /* its trailing NULs are padding: a NUL inside
                             is kept (h5py's "S" strings) */
    PAD_SPACES,           /* its trailing blanks are padding */
};

struct cell;

struct cell_field {
    char *name;
    size_t offset;
    struct cell *cell;
};

struct cell {
    enum cell_kind kind;
    size_t size;                    /* bytes in memory */
    const struct value_type *num;   /* NUMBER, ENUM: its integer or float */
    bool swapped;                   /* ENUM: held in the other byte order
                                       than ours (read as the file has it) */
    enum cell_pad pad;              /* STRING: how it ends */
    int rank;                       /* ARRAY: its dimensions */
    uint64_t *dims;
    uint64_t count;                 /* ARRAY: elements in all */
    struct cell *elem;              /* ARRAY, SEQUENCE */
    size_t nfields;                 /* COMPOUND */
    struct cell_field *fields;
    size_t nnames;                  /* ENUM: member VALUES[i] is NAMES[i] */
    int64_t *values;                /* (unsigned ones cast) */
    char **names;
    char what[32];                  /* the HDF5 type, "opaque", for notices */
};

/* A fresh cell of KIND with SIZE bytes (the rest zero), or NULL. */
struct cell *cell_new(enum cell_kind kind, size_t size);
void cell_free(struct cell *c);

/* The integer of type T (signed or unsigned, 1 to 8 bytes) at P; unsigned
 * ones above INT64_MAX come out negative, as the same bits. */
int64_t cell_int(const struct value_type *t, const void *p);

/* Does C hold variable-length parts (memory HDF5 allocated per read)? */
bool cell_has_vlen(const struct cell *c);

/* The first part of C that cannot be printed, as "field 'blob' (opaque)"
 * or "its type (opaque)", into BUF; false when every part can be. */
bool cell_unprintable_part(const struct cell *c, char *buf, size_t size);

/* Does C have names to show in a fields line (a compound)? */
bool cell_has_names(const struct cell *c);

/* The names of the columns text and TSV print for a cell of C, each after
 * SEP: a compound's fields, nested ones joined by dots ("pos.x"), arrays'
 * elements by index ("a[2]", "m[0,1]"); escaped as strings are, and with
 * QUOTE (text) in quotes when a name holds a blank or a quote. */
void cell_names(FILE *out, const struct cell *c, char sep, bool quote);

/* The cell at P for text or TSV: each leaf value after SEP (a compound's
 * fields, an array's elements, in order); a sequence as one value,
 * "[1,2,3]". Strings and enum names escaped as C does (\t \n \\, \xNN),
 * QUOTE: strings in double quotes (text, for people), else bare (TSV). */
void cell_plain(FILE *out, const struct cell *c, const void *p, char sep,
                bool quote);

/* The cell at P as one JSON value: numbers (floats always with a point or
 * an exponent, 1.0; NaN and infinities as the strings "nan", "inf",
 * "-inf"), true/false, enum names and strings as
 * JSON strings, arrays and sequences as arrays, compounds as objects
 * keyed by field name; null for what cannot be printed. */
void cell_json(FILE *out, const struct cell *c, const void *p);

/* S (LEN bytes, or up to a NUL when LEN is SIZE_MAX) as a JSON string:
 * quotes, backslashes and control characters escaped, bytes that are not
 * UTF-8 as U+FFFD, so that the line stays valid JSON. */
void cell_json_string(FILE *out, const char *s, size_t len);

#endif
