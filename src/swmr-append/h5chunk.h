/* The chunks of a compressed dataset, written by swmr-append itself.
 *
 * Under SWMR writing, HDF5 1.10 never frees a chunk's old place in the
 * file when the chunk is rewritten at another size (a reader may still
 * follow the old index to it). Flushing a growing compressed chunk through
 * H5Dwrite therefore leaves one dead copy per flush: a trickle flushed
 * every 0.1 s grew files 100-400 times their data. Here the last, partly
 * filled chunk is compressed by us (shuffle and deflate, as HDF5's own
 * filters would) and written with H5Dwrite_chunk into a slot a little
 * larger than it needs, padded with zeros; while it fits, every flush
 * rewrites that slot in place, and a slot that grows too small is
 * replaced by one sized from the rows so far. See h5chunk_slot. */
#ifndef SWMR_H5CHUNK_H
#define SWMR_H5CHUNK_H

#include <hdf5.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct h5chunk;

/* Get ready to write the chunks of DSET (open, ROWS long, chunks of
 * CHUNK_ROWS rows of COLUMNS values), whose rows come in MEM_TYPE, packed,
 * ROW_BYTES a row. *OUT is NULL when its filters are not deflate with or
 * without shuffle before it, or its chunks split rows: then HDF5 must
 * write them (on chunk boundaries only). A dataset ending mid-chunk has
 * that chunk's rows read back. -1 when HDF5 or memory failed. */
int h5chunk_open(hid_t dset, hid_t mem_type, size_t columns, size_t row_bytes,
                 uint64_t rows, uint64_t chunk_rows, struct h5chunk **out);

/* Write rows FIRST .. FIRST+N-1 (FIRST: the rows the dataset held; the
 * extent already covers them): each chunk they touch, compressed, once.
 * -1 when HDF5 refused a write (its error stack says why). */
int h5chunk_write(struct h5chunk *c, hid_t dset, uint64_t first,
                  const void *rows, uint64_t n);

/* No rows will follow the next write: its last chunk takes no more room
 * than it needs. */
void h5chunk_last(struct h5chunk *c);

void h5chunk_free(struct h5chunk *c);

/* Bytes to write a chunk in: NEED bytes of it are compressed data, its
 * place in the file has SLOT bytes now (0: none yet), HINT is what the last
 * whole chunk took, USED of its CHUNK_ROWS rows are filled, CAP is the
 * most its compressed data can take (zlib's bound for the raw chunk;
 * NEED <= CAP). A slot that fits is kept (rewritten in place, padded). A
 * whole chunk (and with FINAL, the last one) gets exactly what it needs:
 * it is written for the last time. A new partial chunk starts at HINT. A
 * partial chunk outgrowing its slot (the old one is lost for good) gets
 * twice what it needs while under 1/16 full, then the size the whole
 * chunk would take at its rate so far plus 10%, kept between 1.25 and 4
 * times the need; never more than CAP. */
uint64_t h5chunk_slot(uint64_t need, uint64_t slot, uint64_t hint,
                      uint64_t used, uint64_t chunk_rows, uint64_t cap,
                      bool final);

#endif
