#include "watch_h5.h"
#include "growth.h"
#include "h5err.h"

#include <stdio.h>   /* snprintf */
#include <stdlib.h>  /* malloc, realloc, free */
#include <string.h>  /* strdup, strlen */
#include <sys/stat.h> /* fstat */
#include <time.h>    /* nanosleep */

hid_t watch_h5_open(const char *path)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0) {
        h5err_debug_print();
        return -1;
    }
    /* No flock: a reader holding a shared lock makes a writer that
     * re-opens the file (swmr-append --append) fail with EAGAIN. */
    H5Pset_file_locking(fapl, 0, 1);
    /* A SWMR reader re-reads metadata whose checksum fails, sleeping
     * twice as long each time; HDF5's default of 100 attempts never ends
     * on a damaged file. 20 attempts wait about a millisecond in all; a
     * refresh that still fails is tried again by the caller. */
    H5Pset_metadata_read_attempts(fapl, 20);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, fapl);
    if (f < 0)
        h5err_debug_print();
    H5Pclose(fapl);
    return f;
}

/* Does the VDS with creation properties DCPL map a source without limit
 * (a selection with an unlimited count or block)? Only such a mapping
 * grows it: a VDS declared unlimited with fixed mappings never does. */
static bool virtual_unlimited(hid_t dcpl)
{
    size_t n = 0;
    if (H5Pget_virtual_count(dcpl, &n) < 0)
        return false;
    bool unlimited = false;
    for (size_t i = 0; i < n && !unlimited; i++) {
        hid_t space = H5Pget_virtual_vspace(dcpl, i);
        hsize_t start[WATCH_MAX_RANK], stride[WATCH_MAX_RANK];
        hsize_t count[WATCH_MAX_RANK], block[WATCH_MAX_RANK];
        int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
        if (rank > 0 && H5Sis_regular_hyperslab(space) > 0 &&
            H5Sget_regular_hyperslab(space, start, stride, count, block) >= 0)
            for (int k = 0; k < rank; k++)
                unlimited = unlimited || count[k] == H5S_UNLIMITED ||
                            block[k] == H5S_UNLIMITED;
        if (space >= 0)
            H5Sclose(space);
    }
    return unlimited;
}

/* The dimensions of a dataset with creation properties DCPL, extent DIMS
 * and maximum MAX that are its rows (growth_dims); 0 when it can never grow: only a
 * chunked or a virtual dataset changes its extent, and only below its
 * maximum. A virtual dataset (VDS) with an unlimited mapping grows with its
 * sources: H5Drefresh refreshes them in 1.10, and its extent is what they
 * hold (watch_h5_dset_open). */
static uint32_t rows_of(hid_t dcpl, int rank, const hsize_t *dims,
                        const hsize_t *max)
{
    H5D_layout_t layout = H5Pget_layout(dcpl);
    if ((layout != H5D_CHUNKED && layout != H5D_VIRTUAL) || rank < 1 ||
        (layout == H5D_VIRTUAL && !virtual_unlimited(dcpl)))
        return 0;
    uint64_t d[WATCH_MAX_RANK], m[WATCH_MAX_RANK];
    for (int k = 0; k < rank; k++) {
        d[k] = dims[k];
        m[k] = max[k] == H5S_UNLIMITED ? GROWTH_UNLIMITED : max[k];
    }
    return growth_dims(rank, d, m);
}

/* Why a dataset with LAYOUT that rows_of says can never grow cannot. */
static enum dset_status why_fixed(H5D_layout_t layout)
{
    return layout == H5D_VIRTUAL ? DSET_VIRTUAL_FIXED
         : layout == H5D_CHUNKED ? DSET_AT_MAXIMUM : DSET_NOT_CHUNKED;
}

/* The access properties a dataset is opened with: a VDS shows HDF5's
 * "last available" view, every row that any source has written (cells a
 * slower source has not written yet read as the fill value). The other
 * view, "first missing", stops at the first row a source lacks, but 1.10.8
 * reads the last row of that extent as fill values (tried: sources of 5
 * and 3 rows read "0 1 -1" for both). HDF5 shares one open dataset between
 * opens, so the view is the first open's: set it at every open. */
static hid_t dset_access(void)
{
    hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
    if (dapl >= 0 && H5Pset_virtual_view(dapl, H5D_VDS_LAST_AVAILABLE) < 0) {
        H5Pclose(dapl);
        dapl = -1;
    }
    return dapl;
}

/* NAME (relative to the root) as an absolute path, "/run/t". */
static char *absolute(const char *name)
{
    char *abs = malloc(strlen(name) + 2);
    if (abs) {
        abs[0] = '/';
        strcpy(abs + 1, name);
    }
    return abs;
}

struct growing {
    char **names;
    size_t n;
    struct watch_skip *skips;
    size_t nskips;
    bool failed;
};

/* HDF5 cannot open the dataset NAME: pass it over, keeping HDF5's reason
 * for the caller to say, rather than fail the others with it. */
static void skip(struct growing *g, const char *name)
{
    h5err_debug_print();
    struct watch_skip *more = realloc(g->skips,
                                      (g->nskips + 1) * sizeof *more);
    char *abs = absolute(name);
    char *why = strdup(h5err_detail());
    if (!more || !abs || !why) {
        free(abs);
        free(why);
        if (more)
            g->skips = more;
        g->failed = true;
        return;
    }
    g->skips = more;
    g->skips[g->nskips++] = (struct watch_skip){ .name = abs, .why = why };
}

static herr_t visit(hid_t obj, const char *name, const H5O_info_t *info,
                    void *data)
{
    struct growing *g = data;
    if (info->type != H5O_TYPE_DATASET)
        return 0;
    hid_t dapl = dset_access();
    hid_t d = dapl >= 0 ? H5Dopen2(obj, name, dapl) : -1;
    if (dapl >= 0)
        H5Pclose(dapl);
    if (d < 0) {
        /* A damaged dataset, or a VDS whose mapping this libhdf5 cannot
         * decode ("bad version # of encoded VDS heap information"). */
        skip(g, name);
        return g->failed ? -1 : 0;
    }
    hid_t space = H5Dget_space(d);
    hid_t dcpl = H5Dget_create_plist(d);
    hsize_t dims[WATCH_MAX_RANK], max[WATCH_MAX_RANK];
    int rank = space >= 0 ? H5Sget_simple_extent_dims(space, dims, max) : -1;
    /* Any dimension, not only the first: HDF5's own SWMR test writer
     * grows (1, N) datasets along the second. */
    if (dcpl >= 0 && rank >= 1 &&
        rows_of(dcpl, rank, dims, max)) {
        char **more = realloc(g->names, (g->n + 1) * sizeof *more);
        char *abs = absolute(name);
        if (!more || !abs) {
            free(abs);
            if (more)
                g->names = more;
            g->failed = true;
        } else {
            g->names = more;
            g->names[g->n++] = abs;
        }
    }
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(d);
    return g->failed ? -1 : 0;
}

bool watch_h5_growing(hid_t file, char ***names, size_t *n,
                      struct watch_skip **skips, size_t *nskips)
{
    struct growing g = { 0 };
    herr_t r = H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, visit, &g,
                         H5O_INFO_BASIC);
    if (r < 0 || g.failed) {
        h5err_debug_print();
        watch_h5_names_free(g.names, g.n);
        watch_h5_skips_free(g.skips, g.nskips);
        return false;
    }
    *names = g.names;
    *n = g.n;
    *skips = g.skips;
    *nskips = g.nskips;
    return true;
}

void watch_h5_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

void watch_h5_skips_free(struct watch_skip *skips, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(skips[i].name);
        free(skips[i].why);
    }
    free(skips);
}

void watch_h5_type_name(hid_t type, char *buf, size_t size)
{
    size_t bits = H5Tget_size(type) * 8;
    switch (H5Tget_class(type)) {
    case H5T_INTEGER:
        snprintf(buf, size, "%sint%zu",
                 H5Tget_sign(type) == H5T_SGN_NONE ? "u" : "", bits);
        break;
    case H5T_FLOAT:     snprintf(buf, size, "float%zu", bits); break;
    case H5T_STRING:    snprintf(buf, size, "string"); break;
    case H5T_COMPOUND:  snprintf(buf, size, "compound"); break;
    case H5T_ENUM:      snprintf(buf, size, "enum"); break;
    case H5T_ARRAY:     snprintf(buf, size, "array"); break;
    case H5T_VLEN:      snprintf(buf, size, "variable-length"); break;
    case H5T_OPAQUE:    snprintf(buf, size, "opaque"); break;
    case H5T_REFERENCE: snprintf(buf, size, "reference"); break;
    case H5T_BITFIELD:  snprintf(buf, size, "bitfield%zu", bits); break;
    case H5T_TIME:      snprintf(buf, size, "time"); break;
    default:            snprintf(buf, size, "unknown"); break;
    }
}

/* Does every link on PATH exist? H5Lexists fails, rather than saying no,
 * when a group in the middle is missing, so walk it one step at a time. */
static bool path_exists(hid_t file, const char *path)
{
    char *buf = strdup(path);
    if (!buf)
        return false;
    size_t len = strlen(path);
    bool exists = true;
    for (size_t i = 1; exists && i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char saved = buf[i];
        buf[i] = '\0';
        bool root = strcmp(buf, "/") == 0 || buf[0] == '\0';
        htri_t e = root ? 1 : H5Lexists(file, buf, H5P_DEFAULT);
        buf[i] = saved;
        exists = e > 0;
    }
    free(buf);
    return exists;
}

enum dset_status watch_h5_dset_open(hid_t file, const char *path,
                                    struct watch_dset *d)
{
    *d = (struct watch_dset){ .id = -1, .mem_type = -1 };
    if (!path_exists(file, path))
        return DSET_MISSING;
    H5O_info_t info;
    if (H5Oget_info_by_name2(file, path, &info, H5O_INFO_BASIC,
                             H5P_DEFAULT) < 0) {
        h5err_debug_print();
        return DSET_ERROR;
    }
    if (info.type != H5O_TYPE_DATASET)
        return DSET_NOT_DATASET;
    hid_t dapl = dset_access();
    d->id = dapl >= 0 ? H5Dopen2(file, path, dapl) : -1;
    if (dapl >= 0)
        H5Pclose(dapl);
    if (d->id < 0) {
        h5err_debug_print();
        return DSET_ERROR;
    }

    enum dset_status status = DSET_ERROR;
    hid_t dcpl = H5Dget_create_plist(d->id);
    hid_t space = H5Dget_space(d->id);
    hid_t type = H5Dget_type(d->id);
    hsize_t dims[WATCH_MAX_RANK], max[WATCH_MAX_RANK];
    int rank = space >= 0 ? H5Sget_simple_extent_dims(space, dims, max) : -1;
    if (dcpl < 0 || rank < 0 || type < 0) {
        h5err_debug_print();
        goto out;
    }
    d->rank = rank;
    for (int i = 0; i < rank; i++)
        d->dims[i] = dims[i];
    H5D_layout_t layout = H5Pget_layout(dcpl);
    d->grows = rows_of(dcpl, rank, dims, max);
    if (!d->grows) {
        status = why_fixed(layout);
        goto out;
    }
    watch_h5_type_name(type, d->type_name, sizeof d->type_name);
    status = DSET_OK;
out:
    if (type >= 0)
        H5Tclose(type);
    if (space >= 0)
        H5Sclose(space);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (status != DSET_OK)
        watch_h5_dset_close(d);
    return status;
}

bool watch_h5_refresh(struct watch_dset *d)
{
    if (H5Drefresh(d->id) < 0) {
        h5err_debug_print();
        return false;
    }
    hid_t space = H5Dget_space(d->id);
    hsize_t dims[WATCH_MAX_RANK];
    int rank = space >= 0 ? H5Sget_simple_extent_dims(space, dims, NULL) : -1;
    if (space >= 0)
        H5Sclose(space);
    if (rank < 0 || rank != d->rank) {
        h5err_debug_print();
        return false;
    }
    for (int i = 0; i < rank; i++)
        d->dims[i] = dims[i];
    return true;
}

enum { READ_TRIES = 4 };

/* Let the reader of OBJ's file read up to the file's end. HDF5 1.10 takes
 * a SWMR reader's end of allocation from the superblock at open and never
 * moves it: metadata a writer adds later (the global heap that holds
 * variable-length strings and sequences) is refused as "past end of
 * allocation", while raw data is not checked (h5py readers fail there for
 * good). The heap is not SWMR-safe in 1.10 either: a read that still
 * fails is retried, then reported, never guessed at. */
static void catch_up(hid_t obj)
{
    hid_t f = H5Iget_file_id(obj);
    haddr_t eoa;
    hsize_t have;   /* the larger of HDF5's end of allocation and of file */
    int *fd = NULL;
    struct stat st;
    /* H5Fincrement_filesize sets the end of allocation to the larger of
     * the two plus the increment: up to the file's size, not past it. */
    if (f >= 0 && H5Fget_eoa(f, &eoa) >= 0 && H5Fget_filesize(f, &have) >= 0 &&
        H5Fget_vfd_handle(f, H5P_DEFAULT, (void **)&fd) >= 0 && fd &&
        fstat(*fd, &st) == 0 && (haddr_t)st.st_size > eoa)
        H5Fincrement_filesize(f, (hsize_t)st.st_size > have
                                     ? (hsize_t)st.st_size - have : 0);
    if (f >= 0)
        H5Fclose(f);
}

/* The variable-length memory HDF5 allocates during one read: kept track
 * of, so that a read that fails half-way (its pointers are then in
 * HDF5's conversion buffer, out of our reach) leaks none of it. */
struct vlen_memory {
    void **blocks;
    size_t n, room;
};

static void *vlen_alloc(size_t size, void *data)
{
    struct vlen_memory *m = data;
    if (m->n == m->room) {
        size_t room = m->room ? 2 * m->room : 64;
        void **more = realloc(m->blocks, room * sizeof *more);
        if (!more)
            return NULL;
        m->blocks = more;
        m->room = room;
    }
    void *p = malloc(size);
    if (p)
        m->blocks[m->n++] = p;
    return p;
}

static void vlen_free(void *p, void *data)
{
    struct vlen_memory *m = data;
    for (size_t i = m->n; i-- > 0;)
        if (m->blocks[i] == p) {
            m->blocks[i] = m->blocks[--m->n];
            break;
        }
    free(p);
}

/* Free what a failed read allocated (FAILED), or hand it to the cells
 * (watch_h5_reclaim frees it with free()); start afresh. */
static void vlen_settle(struct vlen_memory *m, bool failed)
{
    for (size_t i = 0; failed && i < m->n; i++)
        free(m->blocks[i]);
    m->n = 0;
}

bool watch_h5_read_block(const struct watch_dset *d, const uint64_t *first,
                         const uint64_t *n, void *buf)
{
    hsize_t start[WATCH_MAX_RANK], count[WATCH_MAX_RANK];
    for (int i = 0; i < d->rank; i++) {
        start[i] = first[i];
        count[i] = n[i];
    }
    bool ok = false;
    bool vlen = cell_has_vlen(d->cell);
    struct vlen_memory memory = { 0 };
    hid_t dxpl = H5P_DEFAULT;
    if (vlen) {
        dxpl = H5Pcreate(H5P_DATASET_XFER);
        if (dxpl >= 0)
            H5Pset_vlen_mem_manager(dxpl, vlen_alloc, &memory, vlen_free,
                                    &memory);
    }
    hid_t file_space = H5Dget_space(d->id);
    hid_t mem_space = H5Screate_simple(d->rank, count, NULL);
    bool selected = dxpl >= 0 && file_space >= 0 && mem_space >= 0 &&
                    H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start,
                                        NULL, count, NULL) >= 0;
    /* swmr-append rewrites a compressed last chunk in place: read at that
     * very moment, it fails its checksum, and a moment later it reads
     * whole. A few tries, then the failure is real. */
    for (int tries = 0; selected && !ok && tries < READ_TRIES; tries++) {
        if (tries)
            nanosleep(&(struct timespec){ .tv_nsec = 2000000 }, NULL);
        /* Variable-length values live in metadata the writer added after
         * we opened the file. */
        if (vlen)
            catch_up(d->id);
        ok = H5Dread(d->id, d->mem_type, mem_space, file_space, dxpl,
                     buf) >= 0;
        vlen_settle(&memory, !ok);
    }
    if (!ok)
        h5err_debug_print();
    free(memory.blocks);
    if (vlen && dxpl >= 0)
        H5Pclose(dxpl);
    if (mem_space >= 0)
        H5Sclose(mem_space);
    if (file_space >= 0)
        H5Sclose(file_space);
    return ok;
}

void watch_h5_reclaim(const struct watch_dset *d, const uint64_t *n,
                      void *buf)
{
    if (!cell_has_vlen(d->cell))
        return;
    hsize_t count[WATCH_MAX_RANK];
    for (int i = 0; i < d->rank; i++)
        count[i] = n[i];
    hid_t space = H5Screate_simple(d->rank, count, NULL);
    if (space >= 0) {
        H5Dvlen_reclaim(d->mem_type, space, H5P_DEFAULT, buf);
        H5Sclose(space);
    }
}

void watch_h5_dset_close(struct watch_dset *d)
{
    if (d->id >= 0)
        H5Dclose(d->id);
    d->id = -1;
    if (d->mem_type >= 0)
        H5Tclose(d->mem_type);
    d->mem_type = -1;
    cell_free(d->cell);
    d->cell = NULL;
}
