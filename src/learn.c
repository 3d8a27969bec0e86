/*
 * learn.c — the averaged perceptron's training table, and the feature
 * tables models ship in.
 *
 * Training rows are kept in the order features were first updated, and the
 * shipped table is built in that order, so the file depends only on the
 * examples and their order. Weights are doubles while training (the
 * averaging sums grow with the number of examples); the file holds int16.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
