/*
 * learn.c — the averaged perceptron's training table, and the feature
 * tables models ship in: the plain one (int16 rows behind a slot table)
 * and the packed one the tagger and the parser use (8-bit weights in
 * fingerprinted 64-byte buckets; see learn.h).
 *
 * Training rows are kept in the order features were first updated, and the
 * shipped tables are built in an order that depends only on that, so the
 * file depends only on the examples and their order. Weights are doubles
 * while training (the averaging sums grow with the number of examples).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "learn.h"

uint64_t sayso_hash_bytes(const char *s, size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= UINT64_C(0x100000001b3);
    }
    return sayso_mix64(h ^ n);
}

struct sayso_percep {
    uint32_t nclass;
    uint64_t *keys;   /* open addressing; 0 = empty (feature 0 is stored as 1) */
    uint32_t *slot_row;
    size_t mask, nkeys;
    double *w, *u;    /* nrows * nclass */
    uint64_t *rowkey; /* the feature of each row, in order of creation */
    size_t nrows, caprows;
    double clock;     /* examples seen, from 1 */
};

sayso_percep *sayso_percep_new(uint32_t nclass)
{
    sayso_percep *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->nclass = nclass;
    p->mask = (1u << 16) - 1;
    p->keys = calloc(p->mask + 1, sizeof *p->keys);
    p->slot_row = calloc(p->mask + 1, sizeof *p->slot_row);
    p->clock = 1;
    if (!p->keys || !p->slot_row) { sayso_percep_free(p); return NULL; }
    return p;
}

void sayso_percep_free(sayso_percep *p)
{
    if (!p) return;
    free(p->keys);
    free(p->slot_row);
    free(p->w);
    free(p->u);
    free(p->rowkey);
    free(p);
}

uint32_t sayso_percep_nclass(const sayso_percep *p) { return p->nclass; }
size_t sayso_percep_nfeatures(const sayso_percep *p) { return p->nrows; }

static uint64_t key_of(uint64_t f) { return f ? f : 1; }

static long find_row(const sayso_percep *p, uint64_t f)
{
    uint64_t k = key_of(f);
    size_t i = (size_t)(k & p->mask);
    for (;;) {
        if (p->keys[i] == k) return (long)p->slot_row[i];
        if (!p->keys[i]) return -1;
        i = (i + 1) & p->mask;
    }
}

static int rehash(sayso_percep *p)
{
    size_t ncap = (p->mask + 1) * 2;
    uint64_t *nk = calloc(ncap, sizeof *nk);
    uint32_t *nr = calloc(ncap, sizeof *nr);
    if (!nk || !nr) { free(nk); free(nr); return -1; }
    for (size_t i = 0; i <= p->mask; i++) {
        if (!p->keys[i]) continue;
        size_t j = (size_t)(p->keys[i] & (ncap - 1));
        while (nk[j]) j = (j + 1) & (ncap - 1);
        nk[j] = p->keys[i];
        nr[j] = p->slot_row[i];
    }
    free(p->keys);
    free(p->slot_row);
    p->keys = nk;
    p->slot_row = nr;
    p->mask = ncap - 1;
    return 0;
}

static long add_row(sayso_percep *p, uint64_t f)
{
    if ((p->nkeys + 1) * 2 > p->mask + 1 && rehash(p) < 0) return -1;
    if (p->nrows == p->caprows) {
        size_t nc = p->caprows ? p->caprows * 2 : 4096;
        double *nw = realloc(p->w, nc * p->nclass * sizeof *nw);
        if (!nw) return -1;
        p->w = nw;
        double *nu = realloc(p->u, nc * p->nclass * sizeof *nu);
        if (!nu) return -1;
        p->u = nu;
        uint64_t *nk = realloc(p->rowkey, nc * sizeof *nk);
        if (!nk) return -1;
        p->rowkey = nk;
        p->caprows = nc;
    }
    uint64_t k = key_of(f);
    size_t i = (size_t)(k & p->mask);
    while (p->keys[i]) i = (i + 1) & p->mask;
    p->keys[i] = k;
    p->slot_row[i] = (uint32_t)p->nrows;
    p->nkeys++;
    memset(p->w + p->nrows * p->nclass, 0, p->nclass * sizeof *p->w);
    memset(p->u + p->nrows * p->nclass, 0, p->nclass * sizeof *p->u);
    p->rowkey[p->nrows] = k;
    return (long)p->nrows++;
}

void sayso_percep_score(const sayso_percep *p, const uint64_t *f, size_t n, float *scores)
{
    for (size_t i = 0; i < n; i++) {
        long r = find_row(p, f[i]);
        if (r < 0) continue;
        const double *w = p->w + (size_t)r * p->nclass;
        for (uint32_t c = 0; c < p->nclass; c++) scores[c] += (float)w[c];
    }
}

int sayso_percep_update(sayso_percep *p, const uint64_t *f, size_t n, uint32_t c, float delta)
{
    if (c >= p->nclass) return 0;
    for (size_t i = 0; i < n; i++) {
        long r = find_row(p, f[i]);
        if (r < 0 && (r = add_row(p, f[i])) < 0) return -1;
        size_t k = (size_t)r * p->nclass + c;
        p->w[k] += delta;
        p->u[k] += p->clock * delta;
    }
    return 0;
}

void sayso_percep_tick(sayso_percep *p) { p->clock += 1; }

long sayso_percep_write(const sayso_percep *p, sayso_model_writer *wr, const char *prefix, int prune)
{
    size_t nc = p->nclass, nr = p->nrows;
    double *avg = malloc((nr ? nr : 1) * nc * sizeof *avg);
    if (!avg) return -1;
    double maxabs = 0;
    for (size_t i = 0; i < nr * nc; i++) {
        avg[i] = p->w[i] - p->u[i] / p->clock;
        if (fabs(avg[i]) > maxabs) maxabs = fabs(avg[i]);
    }
    double scale = maxabs > 0 ? maxabs / 32767.0 : 1.0;
    uint32_t stride = (uint32_t)nc;
    int16_t *rows = malloc((nr ? nr : 1) * stride * sizeof *rows);
    uint64_t *keys = malloc((nr ? nr : 1) * sizeof *keys);
    if (!rows || !keys) { free(avg); free(rows); free(keys); return -1; }
    size_t kept = 0;
    for (size_t r = 0; r < nr; r++) {
        int16_t *q = rows + kept * stride;
        int big = 0;
        for (size_t c = 0; c < nc; c++) {
            long v = lrint(avg[r * nc + c] / scale);
            if (v > 32767) v = 32767;
            if (v < -32767) v = -32767;
            q[c] = (int16_t)v;
            if (labs(v) >= prune && v != 0) big = 1;
        }
        if (!big) continue;
        keys[kept++] = p->rowkey[r];
    }
    free(avg);
    size_t nslots = 1024;
    while (nslots < kept * 2 + 1) nslots *= 2;
    /* Inline when a slot (fingerprint and weights) takes 16 bytes at most:
     * half the slots are empty, and wider ones would cost more memory
     * than a row number and a row apart. */
    size_t slotbytes = 8;
    while (slotbytes < 4 + 2 * nc) slotbytes *= 2;
    if (slotbytes > 16) slotbytes = 0;
    size_t slotwords = slotbytes ? slotbytes / 4 : 2;
    uint32_t *slots = calloc(nslots * slotwords, sizeof *slots);
    if (!slots) { free(rows); free(keys); return -1; }
    for (size_t r = 0; r < kept; r++) {
        uint64_t h = keys[r];
        uint32_t fp = (uint32_t)(h >> 32);
        if (!fp) fp = 1;
        size_t i = (size_t)(h & (nslots - 1));
        while (slots[slotwords * i]) i = (i + 1) & (nslots - 1);
        slots[slotwords * i] = fp;
        if (slotbytes) memcpy(slots + slotwords * i + 1, rows + r * stride, nc * sizeof *rows);
        else slots[2 * i + 1] = (uint32_t)r;
    }
    struct { uint32_t nclass, stride, nslots, nrows; float scale; uint32_t slotbytes, pad[2]; } hdr;
    memset(&hdr, 0, sizeof hdr);
    hdr.nclass = (uint32_t)nc;
    hdr.stride = stride;
    hdr.nslots = (uint32_t)nslots;
    hdr.nrows = slotbytes ? 0 : (uint32_t)kept;
    hdr.scale = (float)scale;
    hdr.slotbytes = (uint32_t)slotbytes;
    char name[32];
    int rc = 0;
    snprintf(name, sizeof name, "%s.h", prefix);
    rc |= sayso_model_writer_add(wr, name, &hdr, sizeof hdr);
    snprintf(name, sizeof name, "%s.s", prefix);
    rc |= sayso_model_writer_add(wr, name, slots, nslots * slotwords * sizeof *slots);
    snprintf(name, sizeof name, "%s.w", prefix);
    rc |= sayso_model_writer_add(wr, name, rows, slotbytes ? 0 : kept * stride * sizeof *rows);
    free(slots);
    free(rows);
    free(keys);
    return rc ? -1 : (long)kept;
}

int sayso_ftab_open(sayso_ftab *t, const sayso_model *m, const char *prefix, char *err, size_t errlen)
{
    char name[32];
    memset(t, 0, sizeof *t);
    struct { uint32_t nclass, stride, nslots, nrows; float scale; uint32_t slotbytes, pad[2]; } hdr;
    snprintf(name, sizeof name, "%s.h", prefix);
    const void *h = sayso_model_need(m, name, sizeof hdr, NULL, err, errlen);
    if (!h) return -1;
    memcpy(&hdr, h, sizeof hdr);
    int inl = hdr.slotbytes != 0;
    if (hdr.nclass == 0 || hdr.stride < hdr.nclass || hdr.stride > 4096 || hdr.nslots < 2 ||
        (hdr.nslots & (hdr.nslots - 1)) || hdr.nrows >= hdr.nslots || !(hdr.scale > 0) || !isfinite(hdr.scale) ||
        (inl && (hdr.slotbytes < 8 || hdr.slotbytes > 64 || (hdr.slotbytes & (hdr.slotbytes - 1)) ||
                 hdr.slotbytes < 4 + 2 * hdr.nclass || hdr.nrows != 0))) {
        snprintf(err, errlen, "corrupt model: feature table '%s' has a bad shape", prefix);
        return -1;
    }
    size_t slotwords = inl ? hdr.slotbytes / 4 : 2;
    snprintf(name, sizeof name, "%s.s", prefix);
    const uint32_t *slots = sayso_model_need(m, name, (size_t)hdr.nslots * slotwords * sizeof *slots, NULL, err, errlen);
    if (!slots) return -1;
    snprintf(name, sizeof name, "%s.w", prefix);
    const int16_t *rows = sayso_model_need(m, name, 0, NULL, err, errlen);
    size_t got;
    if (!rows || (sayso_model_section(m, name, &got), got != (size_t)hdr.nrows * hdr.stride * sizeof *rows)) {
        if (rows) snprintf(err, errlen, "corrupt model: feature table '%s' has the wrong number of weights", prefix);
        return -1;
    }
    /* A lookup stops at an empty slot and reads the row a slot names: both
     * must hold whatever the file says. */
    size_t empty = 0;
    for (size_t i = 0; i < hdr.nslots; i++) {
        if (!slots[slotwords * i]) empty++;
        else if (!inl && slots[2 * i + 1] >= hdr.nrows) {
            snprintf(err, errlen, "corrupt model: feature table '%s' points past its weights", prefix);
            return -1;
        }
    }
    if (!empty) {
        snprintf(err, errlen, "corrupt model: feature table '%s' is full", prefix);
        return -1;
    }
    t->nclass = hdr.nclass;
    t->stride = hdr.stride;
    t->mask = hdr.nslots - 1;
    t->nrows = hdr.nrows;
    t->scale = hdr.scale;
    t->slotbytes = hdr.slotbytes;
    t->slots = slots;
    t->rows = rows;
    return 0;
}

void sayso_ftab_score(const sayso_ftab *t, const uint64_t *f, size_t n, int32_t *scores)
{
    if (t->slotbytes) {
        /* The lookups are independent: ask for every slot's cache line
         * first, so that the misses overlap instead of following one
         * another, then read them. */
        const unsigned char *base = (const unsigned char *)t->slots;
        const uint32_t sb = t->slotbytes, mask = t->mask, nc = t->nclass;
        for (size_t i = 0; i < n; i++) __builtin_prefetch(base + (size_t)((uint32_t)f[i] & mask) * sb);
        for (size_t i = 0; i < n; i++) {
            uint32_t fp = (uint32_t)(f[i] >> 32), k = (uint32_t)f[i] & mask;
            if (!fp) fp = 1;
            const uint32_t *s = (const uint32_t *)(const void *)(base + (size_t)k * sb);
            while (*s != fp) {
                if (!*s) goto next;
                k = (k + 1) & mask;
                s = (const uint32_t *)(const void *)(base + (size_t)k * sb);
            }
            {
                const int16_t *w = (const int16_t *)(const void *)(s + 1);
                switch (nc) { /* the common shapes, unrolled */
                case 1: scores[0] += w[0]; break;
                case 3: scores[0] += w[0]; scores[1] += w[1]; scores[2] += w[2]; break;
                case 4: scores[0] += w[0]; scores[1] += w[1]; scores[2] += w[2]; scores[3] += w[3]; break;
                default:
                    for (uint32_t c = 0; c < nc; c++) scores[c] += w[c];
                }
            }
        next:;
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const int16_t *w = sayso_ftab_row(t, f[i]);
        if (!w) continue;
        for (uint32_t c = 0; c < t->nclass; c++) scores[c] += w[c];
    }
}

int sayso_percep_add_averaged(sayso_percep *dst, const sayso_percep *src, double scale)
{
    if (dst->nclass != src->nclass) return -1;
    for (size_t r = 0; r < src->nrows; r++) {
        uint64_t k = src->rowkey[r];
        long d = find_row(dst, k);
        if (d < 0 && (d = add_row(dst, k)) < 0) return -1;
        for (uint32_t c = 0; c < src->nclass; c++) {
            size_t i = r * src->nclass + c;
            dst->w[(size_t)d * dst->nclass + c] += scale * (src->w[i] - src->u[i] / src->clock);
        }
    }
    return 0;
}

/* ---- packed tables ------------------------------------------------------- */

#define PT_BUCKET 64
#define PT_DENSE_SLOTS 30
#define PT_SPARSE_SLOTS 15
#define PT_INLINE_SLOTS 12
#define PT_INLINE_W 24      /* where an inline bucket's weights start */
#define PT_MAXCLASS 256     /* a sparse entry holds its class in 8 bits */
#define PT_LOAD 70          /* buckets filled to about this %, overflow dropped */

typedef struct {
    uint32_t kind, nclass, nbuckets, nrows;
    float scale;
    uint32_t pad[3];
} pt_header;

/* The bucket of feature h among nb: its low 32 bits scaled to [0, nb), so
 * that any number of buckets works (a power of two could waste half the
 * table). */
static inline uint32_t pt_bucket(uint64_t h, uint32_t nb)
{
    return (uint32_t)(((uint64_t)(uint32_t)h * nb) >> 32);
}

static inline uint16_t pt_fp(uint64_t h)
{
    uint16_t f = (uint16_t)(h >> 48);
    return f ? f : 1;
}

static uint32_t rd32le(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4); /* model files are only opened on little-endian machines */
    return v;
}

typedef struct {
    uint32_t row;
    double imp;
} pt_cand;

static int pt_cand_cmp(const void *a, const void *b)
{
    const pt_cand *x = a, *y = b;
    if (x->imp != y->imp) return x->imp > y->imp ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

long sayso_percep_write_packed(const sayso_percep *p, sayso_model_writer *wr, const char *prefix, int kind,
                               int prune)
{
    size_t nc = p->nclass, nr = p->nrows;
    if ((kind != SAYSO_PTAB_DENSE && kind != SAYSO_PTAB_SPARSE && kind != SAYSO_PTAB_INLINE) || nc == 0 ||
        nc > PT_MAXCLASS || (kind == SAYSO_PTAB_INLINE && nc > 3))
        return -1;
    long result = -1;
    double *avg = malloc((nr ? nr : 1) * nc * sizeof *avg);
    int8_t *q = malloc((nr ? nr : 1) * nc);
    pt_cand *cand = malloc((nr ? nr : 1) * sizeof *cand);
    uint32_t *start = NULL, *sorted = NULL, *fill = NULL;
    uint16_t *entries = NULL;
    unsigned char *buckets = NULL;
    int8_t *rows = NULL;
    pt_cand *bc = NULL;
    if (!avg || !q || !cand) goto done;

    double maxabs = 0;
    for (size_t r = 0; r < nr; r++) {
        double *a = avg + r * nc, mean = 0;
        for (size_t c = 0; c < nc; c++) {
            a[c] = p->w[r * nc + c] - p->u[r * nc + c] / p->clock;
            mean += a[c];
        }
        mean /= (double)nc;
        for (size_t c = 0; c < nc; c++) {
            if (kind != SAYSO_PTAB_SPARSE && nc > 1) a[c] -= mean;
            if (fabs(a[c]) > maxabs) maxabs = fabs(a[c]);
        }
    }
    double scale = maxabs > 0 ? maxabs / 127.0 : 1.0;
    size_t kept = 0, nnz = 0;
    for (size_t r = 0; r < nr; r++) {
        int8_t *row = q + r * nc;
        long lo = 0, hi = 0, imp = 0, rn = 0;
        for (size_t c = 0; c < nc; c++) {
            long v = lrint(avg[r * nc + c] / scale);
            if (v > 127) v = 127;
            if (v < -127) v = -127;
            if (kind == SAYSO_PTAB_SPARSE && labs(v) < prune) v = 0;
            row[c] = (int8_t)v;
            if (c == 0 || v < lo) lo = v;
            if (c == 0 || v > hi) hi = v;
            imp += labs(v);
            rn += v != 0;
        }
        /* Spread of a row's weights is what decides between classes; a
         * single class (a ranker's score) has only its size. */
        long spread = nc == 1 ? labs(hi) : hi - lo;
        int keep = kind != SAYSO_PTAB_SPARSE ? spread >= prune && spread > 0 : rn > 0;
        if (!keep) continue;
        cand[kept].row = (uint32_t)r;
        cand[kept].imp = (double)(kind != SAYSO_PTAB_SPARSE ? spread : imp);
        kept++;
        nnz += (size_t)rn;
    }

    size_t slots = kind == SAYSO_PTAB_DENSE ? PT_DENSE_SLOTS
                 : kind == SAYSO_PTAB_SPARSE ? PT_SPARSE_SLOTS : PT_INLINE_SLOTS;
    size_t nb = (kept * 100 + slots * PT_LOAD - 1) / (slots * PT_LOAD);
    if (nb == 0) nb = 1;
    if (nb > (1u << 26)) goto done;
    start = calloc(nb + 1, sizeof *start);
    fill = malloc(nb * sizeof *fill);
    sorted = malloc((kept ? kept : 1) * sizeof *sorted);
    buckets = calloc(nb, PT_BUCKET);
    if (kind == SAYSO_PTAB_DENSE) rows = calloc((kept + 1) * nc, 1);
    if (kind == SAYSO_PTAB_SPARSE) entries = malloc((nnz ? nnz : 1) * sizeof *entries);
    if (!start || !fill || !sorted || !buckets || (kind == SAYSO_PTAB_DENSE && !rows) ||
        (kind == SAYSO_PTAB_SPARSE && !entries))
        goto done;
    /* Candidates by bucket, in row order. */
    for (size_t k = 0; k < kept; k++) start[pt_bucket(p->rowkey[cand[k].row], (uint32_t)nb) + 1]++;
    for (size_t b = 0; b < nb; b++) start[b + 1] += start[b];
    memcpy(fill, start, nb * sizeof *fill);
    for (size_t k = 0; k < kept; k++) sorted[fill[pt_bucket(p->rowkey[cand[k].row], (uint32_t)nb)]++] = (uint32_t)k;

    size_t nrows = 0, nent = 0, bccap = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t m = start[b + 1] - start[b];
        if (m > bccap) {
            free(bc);
            bccap = m * 2;
            bc = malloc(bccap * sizeof *bc);
            if (!bc) goto done;
        }
        for (size_t k = 0; k < m; k++) bc[k] = cand[sorted[start[b] + k]];
        if (m > 1) qsort(bc, m, sizeof *bc, pt_cand_cmp); /* bc is NULL while no bucket had any */
        unsigned char *bk = buckets + b * PT_BUCKET;
        uint16_t fps[PT_DENSE_SLOTS], ends[PT_SPARSE_SLOTS];
        size_t used = 0;
        uint32_t base = (uint32_t)(kind == SAYSO_PTAB_SPARSE ? nent : nrows);
        for (size_t k = 0; k < m && used < slots; k++) {
            uint16_t fp = pt_fp(p->rowkey[bc[k].row]);
            int dup = 0;
            for (size_t j = 0; j < used && !dup; j++) dup = fps[j] == fp;
            if (dup) continue; /* the more useful of the two is already in */
            fps[used] = fp;
            const int8_t *src = q + (size_t)bc[k].row * nc;
            if (kind == SAYSO_PTAB_INLINE) {
                memcpy(bk + PT_INLINE_W + 3 * used, src, nc);
            } else if (kind == SAYSO_PTAB_DENSE) {
                memcpy(rows + nrows * nc, src, nc);
            } else {
                for (size_t c = 0; c < nc; c++)
                    if (src[c]) entries[nent++] = (uint16_t)(c << 8 | (uint8_t)src[c]);
                ends[used] = (uint16_t)(nent - base);
            }
            nrows++;
            used++;
        }
        for (size_t j = 0; j < used; j++) memcpy(bk + 2 * j, &fps[j], 2);
        if (kind == SAYSO_PTAB_SPARSE) {
            for (size_t j = used; j < slots; j++) ends[j] = used ? ends[used - 1] : 0;
            memcpy(bk + 2 * PT_SPARSE_SLOTS, ends, sizeof ends);
        }
        if (kind != SAYSO_PTAB_INLINE) memcpy(bk + 60, &base, 4);
    }

    pt_header hdr;
    memset(&hdr, 0, sizeof hdr);
    hdr.kind = (uint32_t)kind;
    hdr.nclass = (uint32_t)nc;
    hdr.nbuckets = (uint32_t)nb;
    hdr.nrows = (uint32_t)(kind == SAYSO_PTAB_SPARSE ? nent : nrows);
    hdr.scale = (float)scale;
    char name[32];
    int rc = 0;
    snprintf(name, sizeof name, "%s.h", prefix);
    rc |= sayso_model_writer_add(wr, name, &hdr, sizeof hdr);
    snprintf(name, sizeof name, "%s.b", prefix);
    rc |= sayso_model_writer_add(wr, name, buckets, nb * PT_BUCKET);
    snprintf(name, sizeof name, "%s.r", prefix);
    if (kind == SAYSO_PTAB_DENSE) rc |= sayso_model_writer_add(wr, name, rows, (nrows + 1) * nc);
    else if (kind == SAYSO_PTAB_SPARSE) rc |= sayso_model_writer_add(wr, name, entries, nent * sizeof *entries);
    else rc |= sayso_model_writer_add(wr, name, "", 0);
    result = rc ? -1 : (long)nrows;
done:
    free(avg);
    free(q);
    free(cand);
    free(start);
    free(fill);
    free(sorted);
    free(buckets);
    free(rows);
    free(entries);
    free(bc);
    return result;
}

/* A sparse table's long rows, unpacked: a row of wstride int8 (every
 * class, 0 where the file has no entry, 64-byte aligned) for each feature
 * with more than PT_WIDE_OVER entries. The file stays compact (a relation
 * row holds 2.5 of 51 classes on average), but the features looked up most
 * are the ones with long rows (11 entries a lookup on average), and adding
 * 11 entries one by one is a chain of scattered read-modify-writes where a
 * whole row is a few vector additions. The scores are the same, and the
 * parser (EWT dev, syntaxbench) about a sixth faster, for about 1 MB of
 * memory; unpacking every row took 11 MB and was no faster. Per bucket,
 * wmask says which slots are unpacked, and wbase where the bucket's first
 * unpacked row is; the others are read from the file as before. */
#define PT_WIDE_OVER 4

static int pt_widen(sayso_ptab *t)
{
    size_t rows = 0;
    t->wstride = (t->nclass + 15) / 16 * 16;
    t->wbase = malloc((size_t)t->nbuckets * sizeof *t->wbase);
    t->wmask = malloc((size_t)t->nbuckets * sizeof *t->wmask);
    if (!t->wbase || !t->wmask) goto oom;
    for (size_t k = 0; k < t->nbuckets; k++) {
        const unsigned char *bk = t->b + k * PT_BUCKET;
        t->wbase[k] = (uint32_t)rows;
        t->wmask[k] = 0;
        for (size_t j = 0; j < PT_SPARSE_SLOTS; j++) {
            uint16_t a = 0, z;
            if (j) memcpy(&a, bk + 2 * PT_SPARSE_SLOTS + 2 * (j - 1), 2);
            memcpy(&z, bk + 2 * PT_SPARSE_SLOTS + 2 * j, 2);
            if (z - a > PT_WIDE_OVER) {
                t->wmask[k] |= (uint16_t)(1u << j);
                rows++;
            }
        }
    }
    size_t bytes = (rows * t->wstride + 63) / 64 * 64 + 64;
    t->wide = aligned_alloc(64, bytes);
    if (!t->wide) goto oom;
    memset(t->wide, 0, bytes);
    for (size_t k = 0; k < t->nbuckets; k++) {
        const unsigned char *bk = t->b + k * PT_BUCKET;
        const uint16_t *e = t->sparse + rd32le(bk + 60);
        int8_t *row = t->wide + (size_t)t->wbase[k] * t->wstride;
        for (size_t j = 0; j < PT_SPARSE_SLOTS; j++) {
            if (!(t->wmask[k] >> j & 1)) continue;
            uint16_t a = 0, z;
            if (j) memcpy(&a, bk + 2 * PT_SPARSE_SLOTS + 2 * (j - 1), 2);
            memcpy(&z, bk + 2 * PT_SPARSE_SLOTS + 2 * j, 2);
            for (uint16_t x = a; x < z; x++) row[e[x] >> 8] = (int8_t)(uint8_t)e[x];
            row += t->wstride;
        }
    }
    return 0;
oom:
    sayso_ptab_close(t);
    return -1;
}

int sayso_ptab_open(sayso_ptab *t, const sayso_model *m, const char *prefix, char *err, size_t errlen)
{
    char name[32];
    pt_header hdr;
    memset(t, 0, sizeof *t);
    snprintf(name, sizeof name, "%s.h", prefix);
    const void *h = sayso_model_need(m, name, sizeof hdr, NULL, err, errlen);
    if (!h) return -1;
    memcpy(&hdr, h, sizeof hdr);
    if ((hdr.kind != SAYSO_PTAB_DENSE && hdr.kind != SAYSO_PTAB_SPARSE && hdr.kind != SAYSO_PTAB_INLINE) ||
        hdr.nclass == 0 || hdr.nclass > PT_MAXCLASS || (hdr.kind == SAYSO_PTAB_INLINE && hdr.nclass > 3) ||
        hdr.nbuckets == 0 || hdr.nbuckets > (1u << 26) || !(hdr.scale > 0) || !isfinite(hdr.scale)) {
        snprintf(err, errlen, "corrupt model: feature table '%s' has a bad shape", prefix);
        return -1;
    }
    snprintf(name, sizeof name, "%s.b", prefix);
    const unsigned char *b = sayso_model_need(m, name, (size_t)hdr.nbuckets * PT_BUCKET, NULL, err, errlen);
    if (!b) return -1;
    snprintf(name, sizeof name, "%s.r", prefix);
    size_t len;
    const void *r = sayso_model_need(m, name, 0, &len, err, errlen);
    if (!r) return -1;
    size_t want = hdr.kind == SAYSO_PTAB_DENSE    ? ((size_t)hdr.nrows + 1) * hdr.nclass
                : hdr.kind == SAYSO_PTAB_SPARSE ? (size_t)hdr.nrows * 2 : 0;
    if (len != want) {
        snprintf(err, errlen, "corrupt model: feature table '%s' has the wrong number of weights", prefix);
        return -1;
    }
    /* A lookup reads the row its bucket names: every bucket must name rows
     * inside the table, whatever the file says. (Inline weights are in the
     * buckets: any bytes are safe there.) */
    int bad = 0;
    if (hdr.kind == SAYSO_PTAB_DENSE) {
        const int8_t *rows = r;
        for (uint32_t c = 0; c < hdr.nclass; c++) bad |= rows[(size_t)hdr.nrows * hdr.nclass + c] != 0;
        for (size_t k = 0; k < hdr.nbuckets && !bad; k++) {
            const unsigned char *bk = b + k * PT_BUCKET;
            uint64_t base = rd32le(bk + 60);
            for (size_t j = 0; j < PT_DENSE_SLOTS; j++) {
                uint16_t fp;
                memcpy(&fp, bk + 2 * j, 2);
                if (fp && base + j >= hdr.nrows) bad = 1;
            }
        }
    } else if (hdr.kind == SAYSO_PTAB_SPARSE) {
        const uint16_t *e = r;
        for (size_t k = 0; k < hdr.nrows && !bad; k++) bad = (e[k] >> 8) >= hdr.nclass;
        for (size_t k = 0; k < hdr.nbuckets && !bad; k++) {
            const unsigned char *bk = b + k * PT_BUCKET;
            uint64_t base = rd32le(bk + 60), prev = 0;
            for (size_t j = 0; j < PT_SPARSE_SLOTS; j++) {
                uint16_t end;
                memcpy(&end, bk + 2 * PT_SPARSE_SLOTS + 2 * j, 2);
                if (end < prev || end - prev > hdr.nclass) bad = 1;
                prev = end;
            }
            if (base + prev > hdr.nrows) bad = 1;
        }
    }
    if (bad) {
        snprintf(err, errlen, "corrupt model: feature table '%s' points outside its weights", prefix);
        return -1;
    }
    t->kind = hdr.kind;
    t->nclass = hdr.nclass;
    t->nbuckets = hdr.nbuckets;
    t->nrows = hdr.nrows;
    t->scale = hdr.scale;
    t->b = b;
    t->dense = hdr.kind == SAYSO_PTAB_DENSE ? r : NULL;
    t->sparse = hdr.kind == SAYSO_PTAB_SPARSE ? r : NULL;
    if (hdr.kind == SAYSO_PTAB_SPARSE && pt_widen(t) < 0) {
        snprintf(err, errlen, "out of memory for feature table '%s'", prefix);
        return -1;
    }
    return 0;
}

void sayso_ptab_close(sayso_ptab *t)
{
    if (!t) return;
    free(t->wide);
    free(t->wbase);
    free(t->wmask);
    t->wide = NULL;
    t->wbase = NULL;
    t->wmask = NULL;
}

static unsigned pt_popcount(uint32_t m)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_popcount(m);
#else
    unsigned n = 0;
    for (; m; m &= m - 1) n++;
    return n;
#endif
}

static unsigned pt_ctz(uint32_t m)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctz(m);
#else
    unsigned i = 0;
    while (!(m & 1)) {
        m >>= 1;
        i++;
    }
    return i;
#endif
}

/* The slot of bucket bk whose fingerprint is fp, as a bit mask over the
 * first nslots (at most one bit: fingerprints are unique in a bucket). */
static inline uint32_t pt_match(const unsigned char *bk, uint16_t fp, unsigned nslots)
{
#if defined(__SSE2__)
    __m128i k = _mm_set1_epi16((short)fp);
    __m128i a = _mm_cmpeq_epi16(_mm_load_si128((const __m128i *)(const void *)bk), k);
    __m128i c = _mm_cmpeq_epi16(_mm_load_si128((const __m128i *)(const void *)(bk + 16)), k);
    uint32_t m = (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(a, c));
    if (nslots > 16) {
        __m128i d = _mm_cmpeq_epi16(_mm_load_si128((const __m128i *)(const void *)(bk + 32)), k);
        __m128i e = _mm_cmpeq_epi16(_mm_load_si128((const __m128i *)(const void *)(bk + 48)), k);
        m |= (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(d, e)) << 16;
    }
    return m & ((1u << nslots) - 1);
#else
    uint32_t m = 0;
    for (unsigned j = 0; j < nslots; j++) {
        uint16_t x;
        memcpy(&x, bk + 2 * j, 2);
        m |= (uint32_t)(x == fp) << j;
    }
    return m;
#endif
}

#if defined(__GNUC__)
#define PT_PREFETCH(p) __builtin_prefetch(p)
#else
#define PT_PREFETCH(p) ((void)(p))
#endif

/* Lookups miss the cache (tables are megabytes), so they are made in
 * passes over a batch of features: prefetch every bucket, then read the
 * buckets (and prefetch every row), then add the rows. The misses of a
 * batch overlap instead of following one another. */
#define PT_BATCH 64

/* scores[0..nc) += the sum of rows[0..m), each of nc int8. The sums are
 * made in 16 bits, 16 classes at a time: at most PT_BATCH rows of weights
 * within [-128, 127] cannot overflow them. */
static void pt_add_rows(const int8_t *const *rows, size_t m, uint32_t nc, int32_t *scores)
{
    uint32_t c = 0;
#if defined(__SSE2__)
    int16_t acc[16];
    for (; c + 16 <= nc; c += 16) {
        __m128i lo = _mm_setzero_si128(), hi = _mm_setzero_si128();
        for (size_t i = 0; i < m; i++) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(rows[i] + c));
            /* sign-extend the bytes to 16 bits: each byte doubled, shifted down */
            lo = _mm_add_epi16(lo, _mm_srai_epi16(_mm_unpacklo_epi8(x, x), 8));
            hi = _mm_add_epi16(hi, _mm_srai_epi16(_mm_unpackhi_epi8(x, x), 8));
        }
        _mm_storeu_si128((__m128i *)(void *)acc, lo);
        _mm_storeu_si128((__m128i *)(void *)(acc + 8), hi);
        for (uint32_t j = 0; j < 16; j++) scores[c + j] += acc[j];
    }
#endif
    for (; c < nc; c++) {
        int32_t sum = 0;
        for (size_t i = 0; i < m; i++) sum += rows[i][c];
        scores[c] += sum;
    }
}

void sayso_ptab_prefetch(const sayso_ptab *t, const uint64_t *f, size_t n)
{
    for (size_t i = 0; i < n; i++) PT_PREFETCH(t->b + (size_t)pt_bucket(f[i], t->nbuckets) * PT_BUCKET);
}

void sayso_ptab_score(const sayso_ptab *t, const uint64_t *f, size_t n, int32_t *scores)
{
    static const int8_t zero[4];
    const uint32_t nc = t->nclass;
    const unsigned char *bk[PT_BATCH];
    for (size_t at = 0; at < n; at += PT_BATCH) {
        size_t m = n - at < PT_BATCH ? n - at : PT_BATCH;
        const uint64_t *g = f + at;
        for (size_t i = 0; i < m; i++) {
            bk[i] = t->b + (size_t)pt_bucket(g[i], t->nbuckets) * PT_BUCKET;
            PT_PREFETCH(bk[i]);
        }
        if (t->kind == SAYSO_PTAB_INLINE) {
            int32_t s0 = 0, s1 = 0, s2 = 0;
            for (size_t i = 0; i < m; i++) {
                uint32_t hit = pt_match(bk[i], pt_fp(g[i]), PT_INLINE_SLOTS);
                /* An unknown feature reads zeros: no branch to mispredict. */
                const int8_t *w = hit ? (const int8_t *)(bk[i] + PT_INLINE_W + 3 * pt_ctz(hit)) : zero;
                s0 += w[0];
                s1 += w[1];
                s2 += w[2];
            }
            scores[0] += s0;
            if (nc > 1) scores[1] += s1;
            if (nc > 2) scores[2] += s2;
            continue;
        }
        if (t->kind == SAYSO_PTAB_DENSE) {
            const int8_t *row[PT_BATCH];
            for (size_t i = 0; i < m; i++) {
                uint32_t hit = pt_match(bk[i], pt_fp(g[i]), PT_DENSE_SLOTS);
                uint32_t r = hit ? rd32le(bk[i] + 60) + pt_ctz(hit) : t->nrows; /* the zero row */
                row[i] = t->dense + (size_t)r * nc;
                PT_PREFETCH(row[i]);
            }
            pt_add_rows(row, m, nc, scores);
            continue;
        }
        const int8_t *row[PT_BATCH];
        const uint16_t *lo[PT_BATCH], *hi[PT_BATCH];
        size_t nrow = 0, nrun = 0;
        for (size_t i = 0; i < m; i++) {
            uint32_t hit = pt_match(bk[i], pt_fp(g[i]), PT_SPARSE_SLOTS);
            if (!hit) continue;
            size_t k = (size_t)(bk[i] - t->b) / PT_BUCKET;
            unsigned j = pt_ctz(hit);
            uint32_t wm = t->wmask[k];
            if (wm >> j & 1) {
                unsigned before = pt_popcount(wm & ((1u << j) - 1));
                row[nrow] = t->wide + (size_t)(t->wbase[k] + before) * t->wstride;
                PT_PREFETCH(row[nrow]);
                nrow++;
                continue;
            }
            uint16_t a = 0, z = 0;
            if (j) memcpy(&a, bk[i] + 2 * PT_SPARSE_SLOTS + 2 * (j - 1), 2);
            memcpy(&z, bk[i] + 2 * PT_SPARSE_SLOTS + 2 * j, 2);
            const uint16_t *e = t->sparse + rd32le(bk[i] + 60);
            lo[nrun] = e + a;
            hi[nrun] = e + z;
            PT_PREFETCH(lo[nrun]);
            nrun++;
        }
        for (size_t i = 0; i < nrun; i++)
            for (const uint16_t *e = lo[i]; e < hi[i]; e++) scores[*e >> 8] += (int8_t)(uint8_t)*e;
        if (nrow) pt_add_rows(row, nrow, t->nclass, scores);
    }
}
