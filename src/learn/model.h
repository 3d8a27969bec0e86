/*
 * model.h — trained model files: the container format, its checks, loading
 * and writing.
 *
 * Owns how a trained model is stored on disk and in the binary: a
 * little-endian file with a magic, a format version, the model's kind and
 * its own version, named sections aligned to 64 bytes, and a CRC-32 of
 * everything before it. Loading never trusts the bytes: a truncated,
 * corrupt, foreign or wrong-version file is refused with a message naming
 * what is wrong, and every section is bounds-checked before anyone reads
 * it. A loaded model points into its bytes (no copy), so a model compiled
 * into the library costs memory only for the pages that are read.
 *
 *   offset  size  field
 *   0       8     magic "SAYSOMDL"
 *   8       4     format version (SAYSO_MODEL_FORMAT)
 *   12      4     kind: four characters ("TAGR", "PARS", "ATTR")
 *   16      4     the kind's own version
 *   20      4     number of sections
 *   24      8     file length in bytes, CRC included
 *   32      32    zero
 *   64      32*n  sections: name (16 bytes, NUL-padded), offset (8), length (8)
 *   ...           section bytes, each starting at a multiple of 64
 *   len-4   4     CRC-32 (zlib's) of bytes [0, len-4)
 */
#ifndef SAYSO_MODEL_H
#define SAYSO_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define SAYSO_MODEL_FORMAT 1
#define SAYSO_MODEL_FOURCC(a, b, c, d) \
    ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

typedef struct {
    uint32_t kind, version;
    const unsigned char *data; /* the whole file */
    size_t len;
    uint32_t nsec;
    void *owned;               /* heap copy when read from a file, else NULL */
} sayso_model;

/* Opens a model held in memory (it must stay valid and unchanged while the
 * model is used, and start at a multiple of 64 bytes so that sections are
 * aligned). kind and version are what the caller can read: anything else is
 * refused. Returns 0, or -1 with a message in err. */
int sayso_model_open_mem(sayso_model *m, const void *data, size_t len, uint32_t kind, uint32_t version,
                         char *err, size_t errlen);

/* Reads a model file into memory and opens it; the message names the file. */
int sayso_model_open_file(sayso_model *m, const char *path, uint32_t kind, uint32_t version, char *err,
                          size_t errlen);

void sayso_model_close(sayso_model *m);

/* The bytes of section name, or NULL when the model has none. Sections
 * start at a multiple of 64 bytes from the start of the model. */
const void *sayso_model_section(const sayso_model *m, const char *name, size_t *len);

/* A section that must be there with exactly len bytes (or, when len is 0,
 * any length, returned in *got): NULL and a message otherwise. */
const void *sayso_model_need(const sayso_model *m, const char *name, size_t len, size_t *got, char *err,
                             size_t errlen);

/* ---- writing ------------------------------------------------------------ */

typedef struct sayso_model_writer sayso_model_writer;

sayso_model_writer *sayso_model_writer_new(uint32_t kind, uint32_t version);
/* Copies len bytes as section name (at most 15 characters, unique). */
int sayso_model_writer_add(sayso_model_writer *w, const char *name, const void *data, size_t len);
/* Writes the file: to path.tmp, then renamed over path, so that a reader
 * never sees half a model. Returns 0, or -1 with a message. */
int sayso_model_writer_save(sayso_model_writer *w, const char *path, char *err, size_t errlen);
/* The whole file in memory (for tests), owned by the writer. */
const void *sayso_model_writer_bytes(sayso_model_writer *w, size_t *len);
void sayso_model_writer_free(sayso_model_writer *w);

#endif
