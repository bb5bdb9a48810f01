/* The dataset swmr-append writes and its attributes: made in a new file,
 * checked (or made, in a short plain-mode window) in an existing one,
 * opened for appending with its geometry read back from the file. */
#include "h5writer_impl.h"
#include "exit_status.h"
#include "h5err.h"
#include "report.h"
#include "types_h5.h"

#include <stdio.h>    /* snprintf */
#include <stdlib.h>   /* free */
#include <string.h>   /* strcmp, strlen, memcmp */

/* What NAME is in the file: -1 nothing (free to create), else an
 * H5O_type_t; H5O_TYPE_UNKNOWN also for a link that leads nowhere. */
static int object_type(hid_t file, const char *name)
{
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0)
        return -1;
    H5O_info_t info;
    if (H5Oget_info_by_name2(file, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
        return H5O_TYPE_UNKNOWN;
    return info.type;
}

static int write_number_attr(hid_t obj, const char *name, hid_t type,
                             const void *value)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t ok = attr < 0 ? -1 : H5Awrite(attr, type, value);
    if (attr >= 0)
        H5Aclose(attr);
    H5Sclose(space);
    return ok < 0 ? -1 : 0;
}

/* Strings as variable-length UTF-8: what h5py hands back as str. */
static int write_strings_attr(hid_t obj, const char *name,
                              const char *const *values, hsize_t n, bool scalar)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL);
    hid_t attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t ok = attr < 0 ? -1 : H5Awrite(attr, type, values);
    if (attr >= 0)
        H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
    return ok < 0 ? -1 : 0;
}

/* Does OBJ hold attribute A with the very value it would be given? Then a
 * restarted logger's --attr changes nothing, and needs no plain open. */
static bool attr_unchanged(hid_t obj, const struct attr_spec *a)
{
    if (H5Aexists(obj, a->name) <= 0)
        return false;
    hid_t attr = H5Aopen(obj, a->name, H5P_DEFAULT);
    hid_t type = attr >= 0 ? H5Aget_type(attr) : H5I_INVALID_HID;
    hid_t space = attr >= 0 ? H5Aget_space(attr) : H5I_INVALID_HID;
    bool same = type >= 0 && H5Sget_simple_extent_type(space) == H5S_SCALAR;
    if (same && a->kind == ATTR_INT64) {
        int64_t i;
        same = H5Tequal(type, H5T_NATIVE_INT64) > 0 &&
               H5Aread(attr, H5T_NATIVE_INT64, &i) >= 0 && i == a->i;
    } else if (same && a->kind == ATTR_FLOAT64) {
        double d;
        same = H5Tequal(type, H5T_NATIVE_DOUBLE) > 0 &&
               H5Aread(attr, H5T_NATIVE_DOUBLE, &d) >= 0 &&
               memcmp(&d, &a->d, sizeof d) == 0;
    } else if (same) {
        hid_t str = H5Tcopy(H5T_C_S1);
        H5Tset_size(str, H5T_VARIABLE);
        H5Tset_cset(str, H5T_CSET_UTF8);
        char *have = NULL;
        same = H5Tis_variable_str(type) > 0 && H5Aread(attr, str, &have) >= 0 &&
               have && strcmp(have, a->value) == 0;
        if (have)
            H5free_memory(have);
        H5Tclose(str);
    }
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    if (attr >= 0)
        H5Aclose(attr);
    return same;
}

static int write_user_attr(hid_t obj, const struct attr_spec *a)
{
    if (H5Aexists(obj, a->name) > 0 && H5Adelete(obj, a->name) < 0)
        return -1;
    if (a->kind == ATTR_INT64)
        return write_number_attr(obj, a->name, H5T_NATIVE_INT64, &a->i);
    if (a->kind == ATTR_FLOAT64)
        return write_number_attr(obj, a->name, H5T_NATIVE_DOUBLE, &a->d);
    return write_strings_attr(obj, a->name, &a->value, 1, true);
}

/* A row of S in memory: a native type, or for a compound our packed
 * layout (*OWNED: the caller closes it). HDF5 converts it field by field,
 * by name, to whatever layout the file's compound has. */
static hid_t row_type(const struct dataset_shape *s, const char *const *names,
                      bool *owned)
{
    *owned = false;
    if (!s->compound)
        return type_native(s->type);
    hid_t t = H5Tcreate(H5T_COMPOUND, dataset_row_bytes(s));
    size_t at = 0;
    if (t >= 0 && s->timestamp) {
        if (H5Tinsert(t, "time", 0, H5T_NATIVE_DOUBLE) < 0)
            goto fail;
        at = TIME_FIELD_BYTES;
    }
    for (size_t i = 0; t >= 0 && i < s->columns; i++) {
        if (H5Tinsert(t, names[i], at, type_native(s->column_types[i])) < 0)
            goto fail;
        at += s->column_types[i]->size;
    }
    *owned = t >= 0;
    return t;
fail:
    H5Tclose(t);
    return H5I_INVALID_HID;
}

/* The new dataset, not linked anywhere yet (see link_new). */
static hid_t create_dataset(struct h5writer *w, const struct dataset_spec *spec)
{
    const struct dataset_shape *s = &spec->shape;
    bool owned;
    hid_t type = row_type(s, spec->column_names, &owned);
    if (type < 0)
        return H5I_INVALID_HID;
    hsize_t dims[2] = { 0, s->columns };
    hsize_t maxdims[2] = { H5S_UNLIMITED, s->columns };
    hsize_t chunk[2] = { s->chunk_rows, s->columns };

    hid_t space = H5Screate_simple(s->rank, dims, maxdims);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, s->rank, chunk);
    if (spec->compress >= 0) {
        H5Pset_shuffle(dcpl);
        H5Pset_deflate(dcpl, (unsigned)spec->compress);
    }
    hid_t dset = H5Dcreate_anon(w->file, type, space, dcpl, H5P_DEFAULT);
    if (owned)
        H5Tclose(type);
    H5Pclose(dcpl);
    H5Sclose(space);
    return dset;
}

/* Link OBJ (a new dataset, not reachable yet) at NAME, making the missing
 * groups on the way as new objects too. Everything new is flushed before
 * the one link from the existing tree to it is made, and that is flushed
 * at once: a kill at any write leaves the old tree, or the old tree with
 * the new part whole, never a link to an object not written yet (in a
 * plain, non-SWMR open HDF5 writes its metadata in no particular order). */
static int link_new(struct h5writer *w, hid_t obj, const char *name)
{
    char *path = strdup(name);
    if (!path) {
        report_error("out of memory");
        return STATUS_OSERR;
    }
    /* Walk up from the dataset while the parent does not exist yet. */
    hid_t top = obj;
    H5Iinc_ref(top);
    char *slash;
    int status = 0;
    while (status == 0 && (slash = strrchr(path, '/')) && slash != path) {
        *slash = '\0';
        /* (H5Lexists fails, < 0, when a group above is missing too.) */
        if (H5Lexists(w->file, path, H5P_DEFAULT) > 0) {
            *slash = '/';
            break;
        }
        hid_t group = H5Gcreate_anon(w->file, H5P_DEFAULT, H5P_DEFAULT);
        if (group < 0 || H5Olink(top, group, slash + 1, H5P_DEFAULT,
                                 H5P_DEFAULT) < 0)
            status = h5writer_fail(w, h5writer_create_failure(), "cannot create group");
        H5Oclose(top);
        top = group;
    }
    if (status == 0 && H5Fflush(w->file, H5F_SCOPE_LOCAL) < 0)
        status = h5writer_fail(w, h5writer_create_failure(), "cannot create dataset");
    if (status == 0 && (H5Olink(top, w->file, path, H5P_DEFAULT, H5P_DEFAULT) < 0 ||
                        H5Fflush(w->file, H5F_SCOPE_LOCAL) < 0))
        status = h5writer_fail(w, h5writer_create_failure(), "cannot create dataset");
    if (top >= 0)
        H5Oclose(top);
    free(path);
    return status;
}

/* Does an existing "columns" attribute hold exactly NAMES? */
static bool same_columns(hid_t dset, const char *const *names, hsize_t n)
{
    hid_t attr = H5Aopen(dset, "columns", H5P_DEFAULT);
    if (attr < 0)
        return false;
    hid_t space = H5Aget_space(attr);
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    bool same = H5Sget_simple_extent_npoints(space) == (hssize_t)n;
    char **have = same ? calloc(n, sizeof *have) : NULL;
    same = have && H5Aread(attr, type, have) >= 0;
    for (hsize_t i = 0; same && i < n; i++)
        same = have[i] && strcmp(have[i], names[i]) == 0;
    if (have) {
        H5Dvlen_reclaim(type, space, H5P_DEFAULT, have);
        free(have);
    }
    H5Tclose(type);
    H5Sclose(space);
    H5Aclose(attr);
    return same;
}

/* NAME must be free, or a dataset, and each group on its way a group
 * (H5Lexists cannot look past a missing one: walk the path). Say plainly
 * what is in the way. */
static int check_target(struct h5writer *w, const char *name)
{
    char *path = strdup(name);
    if (!path) {
        report_error("out of memory");
        return STATUS_OSERR;
    }
    int status = 0;
    for (char *slash = strchr(path + 1, '/');; slash = strchr(slash + 1, '/')) {
        if (slash)
            *slash = '\0';
        int type = object_type(w->file, path);
        bool last = !slash;
        if (type == -1)
            break;   /* the rest is ours to create */
        if (!last && type != H5O_TYPE_GROUP) {
            report_error("%s: cannot make dataset %s: %s is not a group",
                         w->path, name, path);
            status = STATUS_CANTCREAT;
        } else if (last && type == H5O_TYPE_UNKNOWN) {
            report_error("%s: %s is a link to nothing", w->path, name);
            status = STATUS_CANTCREAT;
        } else if (last && type != H5O_TYPE_DATASET) {
            report_error("%s: %s is a %s, not a dataset", w->path, name,
                         type == H5O_TYPE_GROUP ? "group" : "named datatype");
            status = STATUS_CANTCREAT;
        }
        if (status || last)
            break;
        *slash = '/';
    }
    free(path);
    return status;
}

/* The fields of a compound TYPE into S: its columns, each of a type of
 * ours (else S->type stays NULL and S->compound false: a type we do not
 * write), and a leading float64 "time" noted as a possible timestamp. */
static void read_fields(hid_t type, struct dataset_shape *s)
{
    int n = H5Tget_nmembers(type);
    if (n <= 0 || n > MAX_COMPOUND_FIELDS + 1)   /* and a "time" */
        return;
    s->field_names = calloc((size_t)n + 1, sizeof *s->field_names);
    s->column_types = calloc((size_t)n, sizeof *s->column_types);
    bool ok = s->field_names && s->column_types;
    for (int i = 0; ok && i < n; i++) {
        char *name = H5Tget_member_name(type, (unsigned)i);
        hid_t member = H5Tget_member_type(type, (unsigned)i);
        s->column_types[i] = member >= 0 ? type_from_hdf5(member) : NULL;
        ok = name && (s->field_names[i] = strdup(name)) && s->column_types[i];
        if (name)
            H5free_memory(name);
        if (member >= 0)
            H5Tclose(member);
    }
    if (!ok) {
        dataset_shape_free(s);
        return;
    }
    s->compound = true;
    s->columns = (size_t)n;
    s->timestamp = strcmp(s->field_names[0], "time") == 0 &&
                   s->column_types[0]->kind == KIND_FLOAT &&
                   s->column_types[0]->size == TIME_FIELD_BYTES;
}

/* The first filter of DCPL this libhdf5 cannot apply (h5py's lzf, a
 * plugin not installed), named in S->missing_filter; "" when none. */
static void missing_filter(hid_t dcpl, struct dataset_shape *s)
{
    s->missing_filter[0] = '\0';
    int n = H5Pget_nfilters(dcpl);
    for (int i = 0; i < n; i++) {
        unsigned flags, cd[8];
        size_t ncd = 8;
        char name[48] = "";
        H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd,
                                         sizeof name, name, NULL);
        if (id >= 0 && H5Zfilter_avail(id) <= 0) {
            snprintf(s->missing_filter, sizeof s->missing_filter, "%s%s%d",
                     name, *name ? ", id " : "id ", (int)id);
            return;
        }
    }
}

bool h5writer_find(struct h5writer *w, const char *name,
                   struct dataset_shape *shape)
{
    if (w->file < 0 || w->temp)
        return false;
    hid_t file = w->file;
    /* Anything else in the way is reported by h5writer_start. */
    hid_t dset = object_type(file, name) == H5O_TYPE_DATASET
                     ? H5Dopen2(file, name, H5P_DEFAULT) : H5I_INVALID_HID;
    if (dset < 0)
        return false;
    hid_t type = H5Dget_type(dset);
    hid_t space = H5Dget_space(dset);
    hid_t dcpl = H5Dget_create_plist(dset);
    hsize_t dims[H5S_MAX_RANK], maxdims[H5S_MAX_RANK], chunk[H5S_MAX_RANK];
    int rank = H5Sget_simple_extent_dims(space, dims, maxdims);

    *shape = (struct dataset_shape){ 0 };
    shape->type = type_from_hdf5(type);
    shape->rank = rank;
    shape->columns = rank == 2 ? dims[1] : 1;
    if (H5Tget_class(type) == H5T_COMPOUND && rank == 1)
        read_fields(type, shape);
    shape->rows = rank > 0 ? dims[0] : 0;
    if (H5Pget_layout(dcpl) == H5D_CHUNKED && rank > 0 &&
        H5Pget_chunk(dcpl, rank, chunk) == rank)
        shape->chunk_rows = chunk[0];
    /* Not extendible along rows: report it as "no chunks", the caller
     * refuses it either way. */
    if (rank > 0 && maxdims[0] != H5S_UNLIMITED)
        shape->chunk_rows = 0;
    shape->compressed = H5Pget_nfilters(dcpl) > 0;
    missing_filter(dcpl, shape);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(dset);
    return true;
}

/* "time float64, temp float32, n uint32": a compound's fields for a
 * message, with NAMES[i] for column i (after a "time" with TIMESTAMP). */
static void describe_fields(const struct dataset_shape *s,
                            const char *const *names, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    if (s->timestamp)
        at = (size_t)snprintf(buf, size, "time float64");
    for (size_t i = 0; i < s->columns && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s %s", at ? ", " : "",
                               names[i], s->column_types[i]->name);
}

/* Does the compound HAVE (h5writer_find's) hold exactly the fields SPEC
 * would write, in order? */
static bool same_fields(const struct dataset_shape *have,
                        const struct dataset_spec *spec)
{
    const struct dataset_shape *want = &spec->shape;
    size_t lead = want->timestamp ? 1 : 0;
    if (!have->compound || have->columns != want->columns + lead ||
        (lead && !have->timestamp))
        return false;
    for (size_t i = 0; i < want->columns; i++)
        if (strcmp(have->field_names[i + lead], spec->column_names[i]) != 0 ||
            have->column_types[i + lead] != want->column_types[i])
            return false;
    return true;
}

/* The dataset at SPEC->name exists: is it the one SPEC describes? Checked
 * before the first write, whoever made the dataset (another writer may
 * have, between our look and now). */
static int check_fits(struct h5writer *w, const struct dataset_spec *spec)
{
    struct dataset_shape have;
    const struct dataset_shape *want = &spec->shape;
    if (!h5writer_find(w, spec->name, &have))
        return h5writer_fail(w, STATUS_CANTCREAT, "cannot open dataset");
    bool fits = have.chunk_rows &&
                (want->compound ? same_fields(&have, spec)
                                : !have.compound && have.type == want->type &&
                                  have.rank == want->rank &&
                                  have.columns == want->columns);
    if (!fits && want->compound) {
        char wanted[512];
        describe_fields(want, spec->column_names, wanted, sizeof wanted);
        report_error("%s: dataset %s is not a growing compound of the fields "
                     "this input has (%s)", w->path, spec->name, wanted);
    } else if (!fits) {
        report_error("%s: dataset %s holds %s values in %zu column%s; this "
                     "input has %s values in %zu", w->path, spec->name,
                     have.type ? have.type->name : "other", have.columns,
                     have.columns == 1 ? "" : "s", want->type->name,
                     want->columns);
    }
    dataset_shape_free(&have);
    return fits ? 0 : STATUS_CANTCREAT;
}

static bool has_attr(hid_t file, const char *dset_name, const char *attr)
{
    hid_t dset = H5Dopen2(file, dset_name, H5P_DEFAULT);
    bool has = dset >= 0 && H5Aexists(dset, attr) > 0;
    if (dset >= 0)
        H5Dclose(dset);
    return has;
}

/* Create the dataset (or open the existing one) and write its attributes:
 * only possible before SWMR writing starts. */
int h5objects_make(struct h5writer *w, const struct dataset_spec *spec)
{
    bool existed = object_type(w->file, spec->name) == H5O_TYPE_DATASET;
    hid_t dset = existed ? H5Dopen2(w->file, spec->name, H5P_DEFAULT)
                         : create_dataset(w, spec);
    if (dset < 0)
        return h5writer_fail(w, h5writer_create_failure(), "cannot create dataset");
    int failed = 0;
    if (spec->column_names && !spec->shape.compound &&
        !(existed && H5Aexists(dset, "columns") > 0))
        failed |= write_strings_attr(dset, "columns", spec->column_names,
                                     spec->shape.columns, false);
    for (size_t i = 0; i < spec->nattrs; i++)
        if (!(existed && attr_unchanged(dset, &spec->attrs[i])))
            failed |= write_user_attr(dset, &spec->attrs[i]);
    int status = failed ? h5writer_fail(w, h5writer_create_failure(), "cannot write attributes") : 0;
    if (status == 0 && !existed)
        status = link_new(w, dset, spec->name);
    /* H5Fstart_swmr_write re-opens open datasets with default access
     * properties, dropping our chunk cache: close first, re-open after. */
    H5Dclose(dset);
    if (status)
        return status;
    if (H5Fstart_swmr_write(w->file) < 0)
        return h5writer_fail(w, h5writer_create_failure(), "cannot start SWMR writing");
    w->swmr = true;
    return 0;
}

/* Would starting on SPEC's existing dataset change anything in the file? */
static bool attrs_unchanged(struct h5writer *w, const struct dataset_spec *spec)
{
    hid_t dset = H5Dopen2(w->file, spec->name, H5P_DEFAULT);
    bool same = dset >= 0;
    for (size_t i = 0; same && i < spec->nattrs; i++)
        same = attr_unchanged(dset, &spec->attrs[i]);
    if (dset >= 0)
        H5Dclose(dset);
    return same;
}

/* --append to a file that exists (opened in SWMR mode already). */
int h5objects_start_existing(struct h5writer *w, const struct dataset_spec *spec)
{
    int status = check_target(w, spec->name);
    if (status)
        return status;
    bool exists = object_type(w->file, spec->name) == H5O_TYPE_DATASET;
    if (exists && (status = check_fits(w, spec)))
        return status;
    /* A compound's names are its fields, checked above. */
    const char *const *names = spec->shape.compound ? NULL : spec->column_names;
    bool has_columns = exists && has_attr(w->file, spec->name, "columns");
    if (names && has_columns) {
        /* A restarted logger sends its header again: fine if it matches. */
        hid_t dset = H5Dopen2(w->file, spec->name, H5P_DEFAULT);
        bool same = same_columns(dset, spec->column_names, spec->shape.columns);
        H5Dclose(dset);
        if (!same) {
            report_error("%s: the column names differ from the \"columns\" "
                         "attribute of dataset %s in %s", spec->names_from,
                         spec->name, w->path);
            return STATUS_DATAERR;
        }
    }
    if (exists && (!names || has_columns) &&
        attrs_unchanged(w, spec))
        return 0;   /* nothing to create: SWMR writing all along */
    /* HDF5 1.10 creates objects only before SWMR writing starts: close and
     * open again plainly, make them, start SWMR. A kill in between leaves a
     * file SWMR readers refuse until the next --append recovers it; every
     * name and value is ready before, to keep that window short. */
    h5file_close_hdf5(w);
    status = h5file_open_hdf5(w, false);
    return status ? status : h5objects_make(w, spec);
}

/* Uncompressed chunks get no chunk cache: each H5Dwrite then goes straight
 * to its place in the file, and a flush of a few rows writes those rows
 * and the metadata, not the whole chunk again (a trickle flushed row by
 * row wrote 58 KB a row through a cache, 0.46 KB without; a flood writes
 * the same bytes at the same CPU cost: scripts/bench). Filtered chunks are
 * written whole: they keep a cache of the chunk being filled and the one
 * before it, so a flush never reads a partial chunk back. */
static hid_t make_dapl(const struct dataset_shape *s)
{
    size_t chunk_bytes = s->chunk_rows * dataset_row_bytes(s);
    size_t cache = 4 * 1024 * 1024;
    if (cache < 2 * chunk_bytes)
        cache = 2 * chunk_bytes;
    if (!s->compressed)
        cache = 0;
    hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
    H5Pset_chunk_cache(dapl, 521, cache, 1.0);
    return dapl;
}

int h5objects_open_dataset(struct h5writer *w, const struct dataset_spec *spec)
{
    const struct dataset_shape *s = &spec->shape;
    hid_t dapl = make_dapl(s);
    w->dset = H5Dopen2(w->file, spec->name, dapl);
    H5Pclose(dapl);
    if (w->dset < 0)
        return h5writer_fail(w, STATUS_CANTCREAT, "cannot open dataset");
    hid_t space = H5Dget_space(w->dset);
    hsize_t dims[2];
    H5Sget_simple_extent_dims(space, dims, NULL);
    H5Sclose(space);
    w->g.rows = dims[0];
    w->rank = s->rank;
    /* Values of the row type in a row: a compound row is one value. */
    w->columns = s->rank == 2 ? s->columns : 1;
    w->mem_type = row_type(s, spec->column_names, &w->mem_type_owned);
    if (w->mem_type < 0)
        return h5writer_fail(w, STATUS_CANTCREAT, "cannot make the row type");
    w->g.row_bytes = dataset_row_bytes(s);
    /* The dataset's own chunks, not the ones SPEC asked for: another
     * writer may have made it (--append losing the race to create FILE). */
    w->g.chunk_rows = s->chunk_rows;
    w->g.compressed = s->compressed;
    hid_t dcpl = H5Dget_create_plist(w->dset);
    hsize_t chunk[2];
    if (dcpl >= 0 && H5Pget_chunk(dcpl, s->rank, chunk) == s->rank && chunk[0] > 0) {
        w->g.chunk_rows = chunk[0];
        w->g.compressed = H5Pget_nfilters(dcpl) > 0;
    }
    if (dcpl >= 0)
        H5Pclose(dcpl);
    w->g.chunk_bytes = w->g.chunk_rows * w->g.row_bytes;
    if (w->g.compressed != s->compressed || w->g.chunk_rows != s->chunk_rows) {
        /* The chunk cache is set at open: open it again with the one its
         * own chunks and filters want. */
        struct dataset_shape own = *s;
        own.chunk_rows = w->g.chunk_rows;
        own.compressed = w->g.compressed;
        hid_t again = make_dapl(&own);
        H5Dclose(w->dset);
        w->dset = H5Dopen2(w->file, spec->name, again);
        H5Pclose(again);
        if (w->dset < 0)
            return h5writer_fail(w, STATUS_CANTCREAT, "cannot open dataset");
    }
    return 0;
}
