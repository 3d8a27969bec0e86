/*
 * syntax.c — the tag names, the workspace, and the normalised views of a
 * word that the tagger's and the parser's features read.
 *
 * A word is normalised once into a small buffer (quotes, apostrophes,
 * dashes and digits folded: see syntax.h) and every hash is taken from that
 * buffer in one or two passes: the prefix hashes are the states of the
 * forward hash after one, two and three bytes, the suffix hashes those of a
 * backward hash, so a word costs a few multiplications per byte.
 */
#include <stdlib.h>
#include <string.h>
#include "learn.h"
#include "syntax.h"

const char *const sayso_upos_names[SAYSO_NUPOS] = {
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM",
    "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X",
};

int sayso_upos_id(const char *s, size_t n)
{
    for (int i = 0; i < SAYSO_NUPOS; i++)
        if (strlen(sayso_upos_names[i]) == n && memcmp(sayso_upos_names[i], s, n) == 0) return i;
    return -1;
}

void sayso_syntax_ws_free(sayso_syntax_ws *ws)
{
    if (!ws) return;
    free(ws->tag);
    free(ws->parse);
    memset(ws, 0, sizeof *ws);
}

int sayso_syntax_reserve(void **buf, size_t *cap, size_t need)
{
    if (need <= *cap && *buf) return 0;
    size_t nc = *cap ? *cap : 4096;
    while (nc < need) {
        if (nc > SIZE_MAX / 2) return -1;
        nc *= 2;
    }
    void *p = NULL;
    if (posix_memalign(&p, 64, nc) != 0) return -1;
    free(*buf);
    *buf = p;
    *cap = nc;
    return 0;
}

/* Longest normalised prefix hashed: longer words are URLs and junk, and
 * are told apart by their length as well. */
#define NORMCAP 96

/* Folds s[0..n) into out (at most NORMCAP bytes); returns the length. */
static size_t normalise(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 3 <= NORMCAP; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c >= '0' && c <= '9') c = '0';
            else if (c == '`') c = '\'';
            out[o++] = (char)c;
            continue;
        }
        unsigned char c1 = i + 1 < n ? (unsigned char)s[i + 1] : 0;
        unsigned char c2 = i + 2 < n ? (unsigned char)s[i + 2] : 0;
        if (c == 0xC2 && (c1 == 0xAB || c1 == 0xBB)) { /* « » */
            out[o++] = '"';
            i += 1;
            continue;
        }
        if (c == 0xE2 && c1 == 0x80) {
            const char *rep = NULL;
            switch (c2) {
            case 0x98: case 0x99: case 0x9A: case 0x9B: case 0xB2: rep = "'"; break;
            case 0x9C: case 0x9D: case 0x9E: case 0x9F: case 0xB3: rep = "\""; break;
            case 0x90: case 0x91: case 0x92: case 0x93: rep = "-"; break;
            case 0x94: case 0x95: rep = "--"; break;
            case 0xA6: rep = "..."; break;
            default: break;
            }
            if (rep) {
                size_t k = strlen(rep);
                memcpy(out + o, rep, k);
                o += k;
                i += 2;
                continue;
            }
        }
        if (c == 0xE2 && c1 == 0x88 && c2 == 0x92) { /* minus sign */
            out[o++] = '-';
            i += 2;
            continue;
        }
        out[o++] = (char)c;
    }
    return o;
}

#define FNV_BASIS UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

static uint64_t fnv(const char *s, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
    return h;
}

static uint64_t lower_hash(const char *s, size_t n)
{
    uint64_t h = FNV_BASIS;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') c += 32;
        h = (h ^ c) * FNV_PRIME;
    }
    return h;
}

void sayso_syntax_prepare(sayso_word *w, size_t n)
{
    char buf[NORMCAP];
    for (size_t i = 0; i < n; i++) {
        size_t k = normalise(w[i].s, w[i].n, buf);
        uint64_t extra = k + 3 > NORMCAP ? (uint64_t)w[i].n : 0;
        w[i].lex = (uint32_t)sayso_mix64(lower_hash(buf, k) ^ extra); /* as sayso_word_features */
    }
}

void sayso_word_features(const char *s, size_t n, sayso_wfeat *f)
{
    char buf[NORMCAP];
    size_t k = normalise(s, n, buf);
    /* A truncated word is told apart by its length. */
    uint64_t extra = k + 3 > NORMCAP ? (uint64_t)n : 0;
    uint32_t flags = 0;
    char shape[16];
    size_t ns = 0;
    char prev = 0;
    uint64_t lo = FNV_BASIS;
    int letters = 0, uppers = 0;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)buf[i];
        char cls;
        if (c >= 'A' && c <= 'Z') {
            cls = 'X';
            flags |= SAYSO_WF_UPPER | SAYSO_WF_ALPHA;
            if (i == 0) flags |= SAYSO_WF_TITLE;
            letters++;
            uppers++;
            c += 32;
        } else if (c >= 'a' && c <= 'z') {
            cls = 'x';
            flags |= SAYSO_WF_ALPHA;
            letters++;
        } else if (c == '0') {
            cls = 'd';
            flags |= SAYSO_WF_DIGIT;
        } else if (c >= 0x80) {
            /* Any letter outside ASCII counts as a lower-case one; the
             * continuation bytes of a character add nothing to the shape. */
            cls = (c & 0xC0) == 0x80 ? prev : 'u';
            flags |= SAYSO_WF_NONASCII | SAYSO_WF_ALPHA;
        } else {
            cls = (char)c;
            if (c == '-') flags |= SAYSO_WF_HYPHEN;
        }
        if (cls != prev && ns < sizeof shape) shape[ns++] = cls;
        prev = cls;
        lo = (lo ^ c) * FNV_PRIME;
        if (i < 3) f->pre[i] = sayso_mix64(lo + 1);
    }
    for (size_t i = k; i < 3; i++) f->pre[i] = 0;
    if (letters && letters == uppers) flags |= SAYSO_WF_ALLCAPS;
    if (!(flags & (SAYSO_WF_ALPHA | SAYSO_WF_DIGIT))) flags |= SAYSO_WF_PUNCT;
    f->lower = sayso_mix64(lo ^ extra);
    f->form = sayso_mix64(fnv(buf, k, FNV_BASIS) ^ extra ^ UINT64_C(0x5bd1e995));
    f->shape = sayso_mix64(fnv(shape, ns, FNV_BASIS) + 7);
    uint64_t h = FNV_BASIS;
    for (size_t i = 0; i < 4; i++) {
        if (i < k) {
            unsigned char c = (unsigned char)buf[k - 1 - i];
            if (c >= 'A' && c <= 'Z') c += 32;
            h = (h ^ c) * FNV_PRIME;
            f->suf[i] = sayso_mix64(h + 2);
        } else {
            f->suf[i] = 0;
        }
    }
    f->flags = flags;
}
