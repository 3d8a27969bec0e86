/*
 * model.c — the model container: checks on open, sections, atomic writes.
 *
 * Integers are read byte by byte as little-endian, so the checks never make
 * an unaligned or out-of-bounds read whatever the file holds. The payload
 * itself (weights) is read in place by the models, which needs a
 * little-endian machine: others are refused at open.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "model.h"

#define HEADER 64
#define SECENT 32
#define NAMELEN 16
#define ALIGN 64

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static void wr64(unsigned char *p, uint64_t v)
{
    wr32(p, (uint32_t)v);
    wr32(p + 4, (uint32_t)(v >> 32));
}

static void fourcc(uint32_t k, char out[5])
{
    for (int i = 0; i < 4; i++) {
        char c = (char)(k >> (8 * i));
        out[i] = c >= 32 && c < 127 ? c : '?';
    }
    out[4] = 0;
}

static uint32_t crc(const unsigned char *p, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);
    while (n) { /* zlib takes uInt lengths */
        uInt k = n > 0x40000000u ? 0x40000000u : (uInt)n;
        c = crc32(c, p, k);
        p += k;
        n -= k;
    }
    return (uint32_t)c;
}

int sayso_model_open_mem(sayso_model *m, const void *data, size_t len, uint32_t kind, uint32_t version,
                         char *err, size_t errlen)
{
    const unsigned char *p = data;
    char want[5], got[5];
    memset(m, 0, sizeof *m);
    const uint16_t one = 1;
    if (*(const unsigned char *)&one != 1) {
        snprintf(err, errlen, "model files need a little-endian machine");
        return -1;
    }
    if (!p || len < HEADER + 4 || memcmp(p, "SAYSOMDL", 8) != 0) {
        snprintf(err, errlen, "not a sayso model (%s)", len < HEADER + 4 ? "too short" : "bad magic");
        return -1;
    }
    if (rd32(p + 8) != SAYSO_MODEL_FORMAT) {
        snprintf(err, errlen, "model format version %u, this sayso reads version %u", rd32(p + 8),
                 SAYSO_MODEL_FORMAT);
        return -1;
    }
    fourcc(kind, want);
    fourcc(rd32(p + 12), got);
    if (rd32(p + 12) != kind) {
        snprintf(err, errlen, "a %s model where a %s model was expected", got, want);
        return -1;
    }
    if (rd32(p + 16) != version) {
        snprintf(err, errlen, "%s model version %u, this sayso reads version %u (retrain it with sayso train)",
                 got, rd32(p + 16), version);
        return -1;
    }
    uint64_t flen = rd64(p + 24);
    if (flen != len) {
        snprintf(err, errlen, "truncated or padded model: %zu bytes, the header says %llu", len,
                 (unsigned long long)flen);
        return -1;
    }
    if (crc(p, len - 4) != rd32(p + len - 4)) {
        snprintf(err, errlen, "corrupt model: checksum mismatch");
        return -1;
    }
    if ((uintptr_t)p % ALIGN) {
        snprintf(err, errlen, "model bytes not aligned to %d", ALIGN);
        return -1;
    }
    uint32_t nsec = rd32(p + 20);
    if (nsec > (len - HEADER - 4) / SECENT) {
        snprintf(err, errlen, "corrupt model: %u sections do not fit", nsec);
        return -1;
    }
    for (uint32_t i = 0; i < nsec; i++) {
        const unsigned char *e = p + HEADER + (size_t)i * SECENT;
        uint64_t off = rd64(e + NAMELEN), n = rd64(e + NAMELEN + 8);
        if (memchr(e, 0, NAMELEN) == NULL || off % ALIGN || off < HEADER + (uint64_t)nsec * SECENT ||
            off > len - 4 || n > len - 4 - off) {
            snprintf(err, errlen, "corrupt model: section %u out of bounds", i);
            return -1;
        }
    }
    m->kind = kind;
    m->version = version;
    m->data = p;
    m->len = len;
    m->nsec = nsec;
    return 0;
}

int sayso_model_open_file(sayso_model *m, const char *path, uint32_t kind, uint32_t version, char *err,
                          size_t errlen)
{
    memset(m, 0, sizeof *m);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 1 << 20;
            void *nb = NULL;
            if (posix_memalign(&nb, ALIGN, nc) != 0) { free(buf); fclose(f); snprintf(err, errlen, "%s: out of memory", path); return -1; }
            if (n) memcpy(nb, buf, n);
            free(buf);
            buf = nb;
            cap = nc;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(err, errlen, "%s: read error", path);
        return -1;
    }
    char why[200];
    if (sayso_model_open_mem(m, buf, n, kind, version, why, sizeof why) < 0) {
        free(buf);
        snprintf(err, errlen, "%s: %s", path, why);
        return -1;
    }
    m->owned = buf;
    return 0;
}

void sayso_model_close(sayso_model *m)
{
    if (!m) return;
    free(m->owned);
    memset(m, 0, sizeof *m);
}

const void *sayso_model_section(const sayso_model *m, const char *name, size_t *len)
{
    if (len) *len = 0;
    if (!m->data) return NULL;
    for (uint32_t i = 0; i < m->nsec; i++) {
        const unsigned char *e = m->data + HEADER + (size_t)i * SECENT;
        if (strncmp((const char *)e, name, NAMELEN) != 0) continue;
        if (len) *len = (size_t)rd64(e + NAMELEN + 8);
        return m->data + rd64(e + NAMELEN);
    }
    return NULL;
}

const void *sayso_model_need(const sayso_model *m, const char *name, size_t len, size_t *got, char *err,
                             size_t errlen)
{
    size_t n;
    const void *p = sayso_model_section(m, name, &n);
    if (!p) {
        snprintf(err, errlen, "corrupt model: no section '%s'", name);
        return NULL;
    }
    if (len && n != len) {
        snprintf(err, errlen, "corrupt model: section '%s' has %zu bytes, not %zu", name, n, len);
        return NULL;
    }
    if (got) *got = n;
    return p;
}

/* ---- writing ------------------------------------------------------------ */

typedef struct {
    char name[NAMELEN];
    unsigned char *data;
    size_t len;
} wsec;

struct sayso_model_writer {
    uint32_t kind, version;
    wsec *sec;
    size_t nsec;
    unsigned char *out;
    size_t outlen;
};

sayso_model_writer *sayso_model_writer_new(uint32_t kind, uint32_t version)
{
    sayso_model_writer *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->kind = kind;
    w->version = version;
    return w;
}

int sayso_model_writer_add(sayso_model_writer *w, const char *name, const void *data, size_t len)
{
    if (strlen(name) >= NAMELEN) return -1;
    for (size_t i = 0; i < w->nsec; i++)
        if (strcmp(w->sec[i].name, name) == 0) return -1;
    wsec *ns = realloc(w->sec, (w->nsec + 1) * sizeof *ns);
    if (!ns) return -1;
    w->sec = ns;
    wsec *s = &w->sec[w->nsec];
    memset(s, 0, sizeof *s);
    memcpy(s->name, name, strlen(name));
    s->data = malloc(len ? len : 1);
    if (!s->data) return -1;
    if (len) memcpy(s->data, data, len);
    s->len = len;
    w->nsec++;
    return 0;
}

static size_t up(size_t n) { return (n + ALIGN - 1) / ALIGN * ALIGN; }

const void *sayso_model_writer_bytes(sayso_model_writer *w, size_t *len)
{
    size_t total = up(HEADER + w->nsec * SECENT);
    for (size_t i = 0; i < w->nsec; i++) total = up(total + w->sec[i].len);
    total += 4;
    free(w->out);
    w->out = calloc(1, total);
    if (!w->out) return NULL;
    unsigned char *p = w->out;
    memcpy(p, "SAYSOMDL", 8);
    wr32(p + 8, SAYSO_MODEL_FORMAT);
    wr32(p + 12, w->kind);
    wr32(p + 16, w->version);
    wr32(p + 20, (uint32_t)w->nsec);
    wr64(p + 24, total);
    size_t off = up(HEADER + w->nsec * SECENT);
    for (size_t i = 0; i < w->nsec; i++) {
        unsigned char *e = p + HEADER + i * SECENT;
        memcpy(e, w->sec[i].name, NAMELEN);
        wr64(e + NAMELEN, off);
        wr64(e + NAMELEN + 8, w->sec[i].len);
        memcpy(p + off, w->sec[i].data, w->sec[i].len);
        off = up(off + w->sec[i].len);
    }
    wr32(p + total - 4, crc(p, total - 4));
    w->outlen = total;
    *len = total;
    return w->out;
}

int sayso_model_writer_save(sayso_model_writer *w, const char *path, char *err, size_t errlen)
{
    size_t len;
    const void *bytes = sayso_model_writer_bytes(w, &len);
    if (!bytes) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    size_t n = strlen(path);
    char *tmp = malloc(n + 5);
    if (!tmp) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp", 5);
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(bytes, 1, len, f) == len;
    if (f && fclose(f) != 0) ok = 0;
    if (ok && rename(tmp, path) != 0) ok = 0;
    if (!ok) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        remove(tmp);
    }
    free(tmp);
    return ok ? 0 : -1;
}

void sayso_model_writer_free(sayso_model_writer *w)
{
    if (!w) return;
    for (size_t i = 0; i < w->nsec; i++) free(w->sec[i].data);
    free(w->sec);
    free(w->out);
    free(w);
}
