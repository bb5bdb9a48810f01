/* From an HDF5 datatype to the cell --values prints (cell.h) and the
 * memory type HDF5 converts the file's values to: native byte order and
 * sizes (so big-endian values and odd-sized integers read right), float16
 * widened to float, a compound's members laid out for us and picked by
 * --fields (HDF5 converts members by name). Parts we cannot print
 * (opaque, references) get no memory at all: HDF5 skips a member the
 * memory type lacks. */
#include "watch_h5.h"
#include "cell.h"
#include "h5err.h"
#include "types_h5.h"

#include <stdalign.h>  /* alignof */
#include <stdio.h>     /* snprintf */
#include <stdlib.h>    /* calloc, free */
#include <string.h>    /* strchr, strcmp, strdup, strlen */

_Static_assert(sizeof(struct cell_sequence) == sizeof(hvl_t) &&
               offsetof(struct cell_sequence, p) == offsetof(hvl_t, p),
               "struct cell_sequence is hvl_t");

/* The alignment a cell of C needs in memory (HDF5 writes pointers and
 * numbers there as the C types). */
static size_t cell_align(const struct cell *c)
{
    switch (c->kind) {
    case CELL_VSTRING:
    case CELL_SEQUENCE:    return alignof(void *);
    case CELL_LONG_DOUBLE: return alignof(long double);
    case CELL_STRING:      return 1;
    case CELL_ARRAY:       return cell_align(c->elem);
    case CELL_COMPOUND: {
        size_t a = 1;
        for (size_t i = 0; i < c->nfields; i++)
            if (cell_align(c->fields[i].cell) > a)
                a = cell_align(c->fields[i].cell);
        return a;
    }
    default:               return c->size ? c->size : 1;
    }
}

static struct cell *unprintable(hid_t type)
{
    struct cell *c = cell_new(CELL_UNPRINTABLE, 0);
    if (c)
        watch_h5_type_name(type, c->what, sizeof c->what);
    return c;
}

/* The native integer holding TYPE's values (of SIZE bytes, SIGNED), or
 * NULL when none is wide enough. */
static const struct value_type *int_holding(size_t size, bool is_signed)
{
    size_t held = size <= 1 ? 1 : size <= 2 ? 2 : size <= 4 ? 4 : 8;
    if (size > 8)
        return NULL;
    return type_by_kind(is_signed ? KIND_SIGNED : KIND_UNSIGNED, held);
}

static struct cell *number(const struct value_type *t, hid_t *mem)
{
    struct cell *c = cell_new(CELL_NUMBER, t->size);
    if (!c)
        return NULL;
    c->num = t;
    *mem = H5Tcopy(type_native(t));
    return c;
}

/* Is the 16-bit float TYPE IEEE's half (5 exponent, 10 mantissa bits)?
 * bfloat16 is not: it is read as a float32. */
static bool is_half(hid_t type)
{
    size_t spos, epos, esize, mpos, msize;
    return H5Tget_size(type) == 2 &&
           H5Tget_fields(type, &spos, &epos, &esize, &mpos, &msize) >= 0 &&
           esize == 5 && msize == 10;
}

static struct cell *floating(hid_t type, hid_t *mem)
{
    size_t size = H5Tget_size(type);
    if (size == 2 && is_half(type)) {
        struct cell *c = cell_new(CELL_HALF, sizeof(float));
        if (c)
            *mem = H5Tcopy(H5T_NATIVE_FLOAT);
        return c;
    }
    if (size <= 8)
        return number(type_by_kind(KIND_FLOAT, size <= 4 ? 4 : 8), mem);
    struct cell *c = cell_new(CELL_LONG_DOUBLE, sizeof(long double));
    if (c)
        *mem = H5Tcopy(H5T_NATIVE_LDOUBLE);
    return c;
}

/* BYTES (SIZE of them) in the other byte order. */
static void swap_bytes(unsigned char *bytes, size_t size)
{
    for (size_t i = 0; i < size / 2; i++) {
        unsigned char t = bytes[i];
        bytes[i] = bytes[size - 1 - i];
        bytes[size - 1 - i] = t;
    }
}

static struct cell *enumeration(hid_t type, hid_t *mem)
{
    /* Read as the file holds it, not converted: HDF5 converts an enum by
     * its names, and a value without one (h5py writes any integer) would
     * come out as all ones. So its integers are ours to put in our byte
     * order. */
    hid_t super = H5Tget_super(type);
    int n = H5Tget_nmembers(type);
    size_t size = H5Tget_size(type);
    const struct value_type *base =
        super >= 0 ? int_holding(size, H5Tget_sign(super) != H5T_SGN_NONE)
                   : NULL;
    if (super >= 0)
        H5Tclose(super);
    if (n < 0 || !base || base->size != size)
        return unprintable(type);
    struct cell *c = cell_new(CELL_ENUM, size);
    if (c) {
        c->num = base;
        c->swapped = H5Tget_order(type) != H5Tget_order(H5T_NATIVE_INT);
        c->names = calloc((size_t)n + 1, sizeof *c->names);
        c->values = calloc((size_t)n + 1, sizeof *c->values);
    }
    if (!c || !c->names || !c->values) {
        cell_free(c);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        unsigned char v[8] = { 0 };
        char *name = H5Tget_member_name(type, (unsigned)i);
        if (!name || H5Tget_member_value(type, (unsigned)i, v) < 0) {
            H5free_memory(name);
            continue;
        }
        c->names[c->nnames] = strdup(name);
        H5free_memory(name);
        if (!c->names[c->nnames])
            break;
        if (c->swapped)
            swap_bytes(v, size);
        c->values[c->nnames++] = cell_int(base, v);
    }
    /* h5py's bool: an int8 enum of FALSE = 0 and TRUE = 1. */
    if (base->size == 1 && c->nnames == 2) {
        int f = strcmp(c->names[0], "FALSE") == 0 ? 0 : 1;
        if (strcmp(c->names[f], "FALSE") == 0 && c->values[f] == 0 &&
            strcmp(c->names[1 - f], "TRUE") == 0 && c->values[1 - f] == 1)
            c->kind = CELL_BOOL;
    }
    *mem = H5Tcopy(type);
    return c;
}

static struct cell *build(hid_t type, const char *where,
                          const char *const *paths, size_t npaths, hid_t *mem,
                          char *why, size_t size);

/* The cell of the elements of an array or a sequence, of type SUPER
 * (closed here), and their memory type into *MEM; an element that cannot
 * be printed makes the whole unprintable (its memory type is not kept). */
static struct cell *element(hid_t super, hid_t *mem, char *why, size_t size)
{
    struct cell *elem = build(super, "", NULL, 0, mem, why, size);
    H5Tclose(super);
    if ((!elem || elem->kind == CELL_UNPRINTABLE) && *mem >= 0) {
        H5Tclose(*mem);
        *mem = -1;
    }
    return elem;
}

static struct cell *array(hid_t type, hid_t *mem, char *why, size_t size)
{
    int rank = H5Tget_array_ndims(type);
    hsize_t dims[H5S_MAX_RANK];
    hid_t super = H5Tget_super(type);
    if (rank < 1 || super < 0 || H5Tget_array_dims2(type, dims) < 0) {
        if (super >= 0)
            H5Tclose(super);
        return unprintable(type);
    }
    hid_t elem_mem = -1;
    struct cell *elem = element(super, &elem_mem, why, size);
    if (!elem || elem->kind == CELL_UNPRINTABLE)
        return elem;
    struct cell *c = cell_new(CELL_ARRAY, 0);
    if (c)
        c->dims = calloc((size_t)rank, sizeof *c->dims);
    if (!c || !c->dims) {
        cell_free(c);
        cell_free(elem);
        H5Tclose(elem_mem);
        return NULL;
    }
    c->elem = elem;
    c->rank = rank;
    c->count = 1;
    for (int k = 0; k < rank; k++) {
        c->dims[k] = dims[k];
        c->count *= dims[k];
    }
    c->size = (size_t)c->count * elem->size;
    *mem = H5Tarray_create2(elem_mem, (unsigned)rank, dims);
    H5Tclose(elem_mem);
    return c;
}

static struct cell *sequence(hid_t type, hid_t *mem, char *why, size_t size)
{
    hid_t super = H5Tget_super(type);
    if (super < 0)
        return unprintable(type);
    hid_t elem_mem = -1;
    struct cell *elem = element(super, &elem_mem, why, size);
    if (!elem || elem->kind == CELL_UNPRINTABLE)
        return elem;
    struct cell *c = cell_new(CELL_SEQUENCE, sizeof(hvl_t));
    if (!c) {
        cell_free(elem);
        H5Tclose(elem_mem);
        return NULL;
    }
    c->elem = elem;
    *mem = H5Tvlen_create(elem_mem);
    H5Tclose(elem_mem);
    return c;
}

/* "time, value, pos": TYPE's member names, for a message. */
static void member_list(hid_t type, char *buf, size_t size)
{
    int n = H5Tget_nmembers(type);
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < size; i++) {
        char *name = H5Tget_member_name(type, (unsigned)i);
        used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                 i ? ", " : "", name ? name : "?");
        H5free_memory(name);
    }
}

/* The member of compound TYPE that PATH ("pos.x") starts with: its index,
 * and in *REST what is left of PATH after it (NULL: the whole member). A
 * member whose own name holds the dot wins. -1 when there is none. */
static int member_of(hid_t type, const char *path, const char **rest)
{
    *rest = NULL;
    h5err_clear();
    int i = H5Tget_member_index(type, path);
    if (i >= 0)
        return i;
    for (const char *dot = strchr(path, '.'); dot; dot = strchr(dot + 1, '.')) {
        char *head = strndup(path, (size_t)(dot - path));
        i = head ? H5Tget_member_index(type, head) : -1;
        free(head);
        if (i >= 0) {
            *rest = dot + 1;
            return i;
        }
    }
    h5err_clear();
    return -1;
}

/* The members of compound TYPE (the field WHERE, "" at the top) that PATHS
 * pick (all when NPATHS is 0), in the order PATHS first names them. */
static struct cell *compound(hid_t type, const char *where,
                             const char *const *paths, size_t npaths,
                             hid_t *mem, char *why, size_t size)
{
    int n = H5Tget_nmembers(type);
    if (n < 0)
        return unprintable(type);
    size_t want = npaths ? npaths : (size_t)n;
    struct cell *c = cell_new(CELL_COMPOUND, 0);
    hid_t *mems = calloc(want + 1, sizeof *mems);
    const char **sub = calloc(npaths + 1, sizeof *sub);
    if (c)
        c->fields = calloc(want + 1, sizeof *c->fields);
    if (!c || !c->fields || !mems || !sub)
        goto fail_memory;
    bool *taken = calloc((size_t)n + 1, sizeof *taken);
    if (!taken)
        goto fail_memory;
    for (size_t p = 0; p < want; p++) {
        const char *rest = NULL;
        int m = npaths ? member_of(type, paths[p], &rest) : (int)p;
        if (m < 0) {
            char names[512];
            member_list(type, names, sizeof names);
            snprintf(why, size, "it has no field '%s%s%s' (the fields of %s: "
                     "%s)", where, *where ? "." : "", paths[p],
                     *where ? where : "its records", names);
            free(taken);
            goto fail;
        }
        if (taken[m])
            continue;
        taken[m] = true;
        /* Every path into this member: the member whole if one names it
         * whole, else the fields below it that they name. */
        size_t nsub = 0;
        bool whole = !npaths;
        for (size_t q = p; q < npaths && !whole; q++) {
            const char *r;
            if (member_of(type, paths[q], &r) != m)
                continue;
            if (!r)
                whole = true;
            else
                sub[nsub++] = r;
        }
        hid_t mtype = H5Tget_member_type(type, (unsigned)m);
        char *name = H5Tget_member_name(type, (unsigned)m);
        if (mtype < 0 || !name) {
            if (mtype >= 0)
                H5Tclose(mtype);
            H5free_memory(name);
            free(taken);
            snprintf(why, size, "cannot read its type: %s", h5err_detail());
            goto fail;
        }
        if (!whole && H5Tget_class(mtype) != H5T_COMPOUND) {
            /* An array of compounds has fields, but not one a column:
             * --fields names members, not elements. */
            snprintf(why, size, "its field '%s%s%s' %s", where,
                     *where ? "." : "", name,
                     H5Tget_class(mtype) == H5T_ARRAY
                         ? "is an array: --fields picks it whole, not its "
                           "elements or their fields"
                         : "has no fields (it is not a compound)");
            H5Tclose(mtype);
            H5free_memory(name);
            free(taken);
            goto fail;
        }
        hid_t fmem = -1;
        size_t len = strlen(where) + strlen(name) + 2;
        char *path = malloc(len);
        if (path)
            snprintf(path, len, "%s%s%s", where, *where ? "." : "", name);
        struct cell *f = path ? build(mtype, path, whole ? NULL : sub,
                                      whole ? 0 : nsub, &fmem, why, size)
                              : NULL;
        free(path);
        H5Tclose(mtype);
        struct cell_field *field = &c->fields[c->nfields];
        field->name = strdup(name);
        field->cell = f;
        mems[c->nfields] = fmem;
        c->nfields++;
        H5free_memory(name);
        if (!f || !field->name) {
            free(taken);
            if (f && !field->name)
                goto fail_memory;
            goto fail;
        }
    }
    free(taken);
    /* Our layout: each printable member at its alignment. */
    size_t offset = 0, align = 1;
    for (size_t i = 0; i < c->nfields; i++) {
        struct cell *f = c->fields[i].cell;
        if (f->kind == CELL_UNPRINTABLE)
            continue;
        size_t a = cell_align(f);
        offset = (offset + a - 1) / a * a;
        c->fields[i].offset = offset;
        offset += f->size;
        if (a > align)
            align = a;
    }
    c->size = (offset + align - 1) / align * align;
    if (c->size == 0) {
        /* Nothing in it can be printed: the compound as a whole cannot. */
        for (size_t i = 0; i < c->nfields; i++)
            if (mems[i] >= 0)
                H5Tclose(mems[i]);
        free(mems);
        free(sub);
        cell_free(c);
        c = unprintable(type);
        if (c)
            snprintf(c->what, sizeof c->what, "compound, no field printable");
        return c;
    }
    *mem = H5Tcreate(H5T_COMPOUND, c->size);
    for (size_t i = 0; i < c->nfields; i++) {
        if (mems[i] >= 0 && *mem >= 0)
            H5Tinsert(*mem, c->fields[i].name, c->fields[i].offset, mems[i]);
        if (mems[i] >= 0)
            H5Tclose(mems[i]);
    }
    free(mems);
    free(sub);
    return c;
fail_memory:
    snprintf(why, size, "out of memory");
fail:
    for (size_t i = 0; mems && c && i < c->nfields; i++)
        if (mems[i] >= 0)
            H5Tclose(mems[i]);
    free(mems);
    free(sub);
    cell_free(c);
    return NULL;
}

/* The cell of TYPE, the field WHERE ("pos.x", "" at the top; for
 * messages) (PATHS: the compound members to keep) and its memory
 * type into *MEM (left alone for an unprintable cell). NULL, with WHY,
 * when PATHS names what TYPE lacks or memory ran out. */
static struct cell *build(hid_t type, const char *where,
                          const char *const *paths, size_t npaths, hid_t *mem,
                          char *why, size_t size)
{
    struct cell *c;
    switch (H5Tget_class(type)) {
    case H5T_INTEGER: {
        const struct value_type *t =
            int_holding(H5Tget_size(type), H5Tget_sign(type) != H5T_SGN_NONE);
        c = t ? number(t, mem) : unprintable(type);
        break;
    }
    case H5T_FLOAT:
        c = floating(type, mem);
        break;
    case H5T_STRING: {
        bool variable = H5Tis_variable_str(type) > 0;
        c = cell_new(variable ? CELL_VSTRING : CELL_STRING,
                     variable ? sizeof(char *) : H5Tget_size(type));
        if (c) {
            H5T_str_t pad = variable ? H5T_STR_NULLTERM : H5Tget_strpad(type);
            c->pad = pad == H5T_STR_SPACEPAD ? PAD_SPACES
                   : pad == H5T_STR_NULLPAD ? PAD_NULS : PAD_NUL_TERMINATED;
            *mem = H5Tcopy(type);
        }
        break;
    }
    case H5T_ENUM:     c = enumeration(type, mem); break;
    case H5T_ARRAY:    c = array(type, mem, why, size); break;
    case H5T_VLEN:     c = sequence(type, mem, why, size); break;
    case H5T_COMPOUND:
        c = compound(type, where, paths, npaths, mem, why, size);
        break;
    default:           c = unprintable(type); break;
    }
    if (!c && !*why)
        snprintf(why, size, "out of memory");
    return c;
}

enum cell_status watch_h5_dset_cell(struct watch_dset *d,
                                    const char *const *fields, size_t n,
                                    char *why, size_t size)
{
    why[0] = '\0';
    hid_t type = H5Dget_type(d->id);
    if (type < 0) {
        h5err_debug_print();
        snprintf(why, size, "cannot read its type: %s", h5err_detail());
        return CELL_FAILED;
    }
    bool compound = H5Tget_class(type) == H5T_COMPOUND;
    hid_t mem = -1;
    d->cell = build(type, "", compound ? fields : NULL, compound ? n : 0,
                    &mem, why, size);
    H5Tclose(type);
    if (!d->cell)
        return CELL_FAILED;
    d->mem_type = mem;
    return n && !compound ? CELL_NOT_COMPOUND : CELL_READY;
}
