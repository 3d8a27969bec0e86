/*
 * learn.h — what the trained stages share: hashed features, the averaged
 * perceptron that trains their weights, and the compact table they ship in.
 *
 * A feature is a 64-bit hash of a template number and the values it reads
 * (a word, a tag, a label...). Training keeps a dense row of class weights
 * per feature seen in an update; averaging (Daumé's trick: w - u/c) and
 * quantisation to 16 bits happen when the model is written, and rows too
 * small to change a decision are pruned. At run time a feature is looked up
 * in an open-addressing table of 32-bit fingerprints that lives in the model
 * file as it is (no copy, no parsing), and its row of int16 weights is added
 * to the scores.
 *
 * Everything here is deterministic: the same examples in the same order
 * give the same bytes.
 */
#ifndef SAYSO_LEARN_H
#define SAYSO_LEARN_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

/* ---- hashing ------------------------------------------------------------ */

static inline uint64_t sayso_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

/* A feature of template t reading value v (v itself a hash or a small
 * number), and of two or three values: odd multipliers spread each value,
 * one multiply-xorshift mixes the sum. Cheap on purpose: a token costs
 * dozens of these. */
static inline uint64_t sayso_fmix(uint64_t x)
{
    x ^= x >> 32;
    x *= UINT64_C(0xd6e8feb86659fd93);
    x ^= x >> 32;
    return x;
}
static inline uint64_t sayso_feat(uint32_t t, uint64_t v)
{
    return sayso_fmix(v * UINT64_C(0x9e3779b97f4a7c15) + ((uint64_t)t + 1) * UINT64_C(0xc2b2ae3d27d4eb4f));
}
static inline uint64_t sayso_feat2(uint32_t t, uint64_t a, uint64_t b)
{
    return sayso_fmix(a * UINT64_C(0x9e3779b97f4a7c15) + b * UINT64_C(0xbf58476d1ce4e5b9) +
                      ((uint64_t)t + 1) * UINT64_C(0xc2b2ae3d27d4eb4f));
}
static inline uint64_t sayso_feat3(uint32_t t, uint64_t a, uint64_t b, uint64_t c)
{
    return sayso_fmix(a * UINT64_C(0x9e3779b97f4a7c15) + b * UINT64_C(0xbf58476d1ce4e5b9) +
                      c * UINT64_C(0x94d049bb133111eb) + ((uint64_t)t + 1) * UINT64_C(0xc2b2ae3d27d4eb4f));
}

/* Hash of a byte string (FNV-1a, then mixed). */
uint64_t sayso_hash_bytes(const char *s, size_t n);

/* ---- training ----------------------------------------------------------- */

typedef struct sayso_percep sayso_percep;

sayso_percep *sayso_percep_new(uint32_t nclass);
void sayso_percep_free(sayso_percep *p);
uint32_t sayso_percep_nclass(const sayso_percep *p);
size_t sayso_percep_nfeatures(const sayso_percep *p);

/* Adds the current (not averaged) weights of features f[0..n) to
 * scores[0..nclass). Features never updated add nothing. */
void sayso_percep_score(const sayso_percep *p, const uint64_t *f, size_t n, float *scores);

/* Adds delta to the weight of class c for each feature (creating rows).
 * Returns 0, or -1 when out of memory. */
int sayso_percep_update(sayso_percep *p, const uint64_t *f, size_t n, uint32_t c, float delta);

/* Counts one training example: the clock the averaging runs on. Call it
 * once per example, updated or not. */
void sayso_percep_tick(sayso_percep *p);

/* Adds scale times the averaged weights of src to the weights of dst, so
 * that a fresh dst (never ticked) ends up holding a weighted mean of
 * several trained models: averaging perceptrons trained on different
 * orders is a cheap ensemble. Returns 0, or -1 when out of memory or the
 * classes differ. */
int sayso_percep_add_averaged(sayso_percep *dst, const sayso_percep *src, double scale);

/* Writes the averaged weights as a feature table named prefix (at most 12
 * characters) into w: quantised to int16 over the largest weight, rows
 * whose largest quantised weight is below prune dropped. Returns the
 * number of rows kept, or -1 when out of memory. */
long sayso_percep_write(const sayso_percep *p, sayso_model_writer *w, const char *prefix, int prune);

/* ---- run time ----------------------------------------------------------- */

/* Two layouts. Tables with few classes keep each feature's weights in its
 * slot, after its fingerprint, in 8 to 64 bytes: a lookup then reads one
 * cache line, which is what scoring costs (a table is larger than the
 * cache; its lookups miss). Tables with many classes keep fingerprints and
 * row numbers in the slots and the weights apart. */
typedef struct {
    uint32_t nclass, stride;   /* weights per row; stride >= nclass */
    uint32_t mask;             /* slots - 1 */
    uint32_t nrows;
    float scale;               /* a weight is int16 * scale */
    uint32_t slotbytes;        /* inline: bytes per slot; 0: rows apart */
    const uint32_t *slots;     /* fingerprint, then the row number or the
                                  weights; fingerprint 0: empty */
    const int16_t *rows;
} sayso_ftab;

/* Opens the feature table prefix of model m, checking its shape. */
int sayso_ftab_open(sayso_ftab *t, const sayso_model *m, const char *prefix, char *err, size_t errlen);

/* The weights of feature h, or NULL when the model does not know it. */
static inline const int16_t *sayso_ftab_row(const sayso_ftab *t, uint64_t h)
{
    uint32_t fp = (uint32_t)(h >> 32);
    if (!fp) fp = 1;
    uint32_t i = (uint32_t)h & t->mask;
    if (t->slotbytes) {
        const unsigned char *base = (const unsigned char *)t->slots;
        for (;;) {
            const uint32_t *s = (const uint32_t *)(const void *)(base + (size_t)i * t->slotbytes);
            if (*s == fp) return (const int16_t *)(const void *)(s + 1);
            if (!*s) return NULL;
            i = (i + 1) & t->mask;
        }
    }
    for (;;) {
        uint32_t s = t->slots[2 * (size_t)i];
        if (s == fp) return t->rows + (size_t)t->slots[2 * (size_t)i + 1] * t->stride;
        if (!s) return NULL;
        i = (i + 1) & t->mask;
    }
}

/* Adds the weights of features f[0..n) to scores[0..nclass). */
void sayso_ftab_score(const sayso_ftab *t, const uint64_t *f, size_t n, int32_t *scores);

/* ---- packed tables ---------------------------------------------------------
 *
 * The layout the tagger and the parser ship, built for lookups that cost
 * one or two cache lines and no branch on whether the feature is known.
 * A feature goes to one bucket of 64 bytes (its low 32 bits scaled to the
 * number of buckets) and is told apart there by a 16-bit fingerprint (its
 * top bits). Buckets are filled to about 70%; one that would overflow keeps
 * its most useful features (largest spread of weights) and drops the
 * rest, which is pruning by another name.
 *
 *   inline  u16 fingerprint[12], int8 weight[12][3]: the weights sit beside
 *           their fingerprints, one cache line per lookup. At most 3
 *           classes (the parser's transitions).
 *   dense   u16 fingerprint[30], u32 base: slot j's weights are row
 *           base + j of nclass int8; one more all-zero row at the end is
 *           what an unknown feature reads (the tagger).
 *   sparse  u16 fingerprint[15], u16 end[15], u32 base: slot j's weights are
 *           entries [base + end[j-1], base + end[j]) (end[-1] = 0), each
 *           class << 8 | (uint8_t)weight. For many classes and rows that
 *           touch a few of them (relations: about 3 of 50).
 *
 * Weights are 8 bits: measured on the tagger and the parser, int8 over the
 * largest weight of a table loses nothing that int16 keeps, and halves the
 * bytes that must come from memory. Rows of several classes are centred
 * first (a feature that adds the same to every class changes no
 * decision), except sparse ones.
 * Sections: prefix.h (header), prefix.b (buckets), prefix.r (rows; empty
 * for inline). Opening checks every bucket, so no file can make a lookup
 * read outside its sections. */

enum { SAYSO_PTAB_DENSE = 1, SAYSO_PTAB_SPARSE = 2, SAYSO_PTAB_INLINE = 3 };

typedef struct {
    uint32_t kind, nclass;
    uint32_t nbuckets;
    uint32_t nrows;             /* dense: rows (not counting the zero row); sparse: entries */
    float scale;                /* a weight is int8 * scale */
    const unsigned char *b;     /* buckets, 64 bytes each */
    const int8_t *dense;
    const uint16_t *sparse;
    int8_t *wide;               /* sparse: the long rows unpacked (pt_widen), owned */
    uint32_t *wbase;            /* sparse: bucket -> its first row in wide, owned */
    uint16_t *wmask;            /* sparse: bucket -> its slots that are in wide, owned */
    uint32_t wstride;           /* bytes per row of wide */
} sayso_ptab;

/* Writes p's averaged weights as a packed table named prefix (at most 12
 * characters; at most 256 classes, 3 for inline). Dense and inline: rows
 * whose largest quantised weight minus the smallest (the weight itself,
 * for one class) is below prune are dropped. Sparse: quantised weights below prune are dropped, and rows left
 * empty. Returns the number of rows kept, or -1 when out of memory. */
long sayso_percep_write_packed(const sayso_percep *p, sayso_model_writer *w, const char *prefix, int kind,
                               int prune);

/* Opens the packed table prefix of model m, checking its shape and every
 * bucket. Returns 0, or -1 with a message. A sparse table is unpacked into
 * memory the table owns: sayso_ptab_close frees it (and does nothing for
 * the other kinds, which point into the model). */
int sayso_ptab_open(sayso_ptab *t, const sayso_model *m, const char *prefix, char *err, size_t errlen);
void sayso_ptab_close(sayso_ptab *t);

/* Asks the CPU to start fetching the buckets of features f[0..n), which
 * a sayso_ptab_score of the same features soon after will read: work done
 * meanwhile overlaps the cache misses. Changes nothing else. */
void sayso_ptab_prefetch(const sayso_ptab *t, const uint64_t *f, size_t n);

/* Adds the weights of features f[0..n) to scores[0..nclass). */
void sayso_ptab_score(const sayso_ptab *t, const uint64_t *f, size_t n, int32_t *scores);

#endif
