/*
 * group.c — normalised keys and near-duplicate sketches of quotation text.
 *
 * Two reports of one quotation differ in what does not matter (“It’s OK,”
 * against it's ok) and sometimes in what does a little: one outlet trims
 * the quote, another fixes a word. The first kind gets one exact key; the
 * second is caught by MinHash over 4-word shingles and confirmed by
 * containment, which, unlike Jaccard similarity, does not punish a report
 * for quoting only half of the words.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "group.h"

#define FNV_BASIS 1469598103934665603ull
#define FNV_PRIME 1099511628211ull
/* FNV_PRIME to the fourth, modulo 2^64: an ASCII character goes into the
 * key as four bytes of which three are zero, and xor with zero changes
 * nothing, so its four steps are one xor and this one product. */
#define FNV_PRIME_4 0x9ffaac085635bc91ull

/* The finaliser of splitmix64: every input bit moves every output bit, so
 * the minimum under each seed is an independent draw. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

/* Walks the normalised words of text: returns the key, and when w is not
 * NULL stores up to cap word hashes there and the word count in *nw.
 *
 * Words are runs of letters and digits, case folded and without
 * diacritics; apostrophes inside words go, so that ’ and ' agree. The key
 * is FNV-1a over the words one space apart, with each character as the four
 * bytes of its code point: stores carry these keys, so this must not
 * change. */
static long long walk(const char *text, size_t len, uint64_t *w, int cap, int *nw)
{
    uint64_t h = FNV_BASIS, wh = FNV_BASIS;
    utf8proc_int32_t c;
    utf8proc_ssize_t i = 0, n = (utf8proc_ssize_t)len;
    int space = 0, any = 0, words = 0;
#define END_WORD()                                   \
    do {                                             \
        if (w && words < cap) w[words] = wh;         \
        words++;                                     \
        wh = FNV_BASIS;                              \
    } while (0)
    while (i < n) {
        unsigned char a = (unsigned char)text[i];
        if (a < 0x80) { /* ASCII, most of it: no decoding */
            i++;
            int alnum = (a >= 'a' && a <= 'z') || (a >= '0' && a <= '9') || (a >= 'A' && a <= 'Z');
            if (!alnum) {
                if (a != '\'' && any && !space) { space = 1; END_WORD(); }
                continue;
            }
            if (space) h = (h ^ ' ') * FNV_PRIME;
            space = 0;
            any = 1;
            uint32_t v = (uint32_t)(a >= 'A' && a <= 'Z' ? a + 32 : a); /* as the decomposition gives it */
            wh = (wh ^ v) * FNV_PRIME;
            h = (h ^ v) * FNV_PRIME_4;
            continue;
        }
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + i, n - i, &c);
        if (k <= 0) { i++; continue; }
        i += k;
        utf8proc_category_t cat = utf8proc_category(c);
        int letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
        int digit = cat == UTF8PROC_CATEGORY_ND;
        if (!letter && !digit) {
            if (c != '\'' && c != 0x2019 && any && !space) { space = 1; END_WORD(); }
            continue;
        }
        utf8proc_int32_t out[8];
        utf8proc_ssize_t m = utf8proc_decompose_char(c, out, 8, UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_COMPAT, NULL);
        if (space) h = (h ^ ' ') * FNV_PRIME;
        space = 0;
        any = 1;
        for (utf8proc_ssize_t j = 0; j < m && j < 8; j++) {
            uint32_t v = (uint32_t)out[j];
            wh = (wh ^ v) * FNV_PRIME;
            for (int b = 0; b < 4; b++, v >>= 8) h = (h ^ (v & 0xff)) * FNV_PRIME;
        }
    }
    if (any && !space) END_WORD();
#undef END_WORD
    if (nw) *nw = words;
    return (long long)(h >> 1); /* positive: friendlier in SQL */
}

long long sayso_quote_key(const char *text, size_t len)
{
    return walk(text, len, NULL, 0, NULL);
}

/* Shell sort with Ciura's gaps: a quotation has tens of shingles, where
 * qsort's calls through a comparison function cost more than the sort. */
static void sort_u64(uint64_t *v, int n)
{
    static const int gaps[] = { 301, 132, 57, 23, 10, 4, 1 };
    for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        int gap = gaps[g];
        for (int i = gap; i < n; i++) {
            uint64_t x = v[i];
            int j = i;
            for (; j >= gap && v[j - gap] > x; j -= gap) v[j] = v[j - gap];
            v[j] = x;
        }
    }
}

long long sayso_sketch_start(const char *text, size_t len, sayso_sketch *sk)
{
    int nw = 0;
    sk->key = walk(text, len, sk->words, SAYSO_NEAR_MAX_WORDS + 2, &nw);
    sk->n_words = nw;
    return sk->key;
}

int sayso_sketch_of(const char *text, size_t len, sayso_sketch *sk)
{
    sayso_sketch_start(text, len, sk);
    return sayso_sketch_finish(sk);
}

/* The sorted, distinct shingles of sk's words. */
static void make_shingles(sayso_sketch *sk)
{
    const uint64_t *w = sk->words;
    int nw = sk->n_words;
    if (nw > SAYSO_NEAR_MAX_WORDS + 2) nw = SAYSO_NEAR_MAX_WORDS + 2;
    int ns = 0;
    /* Four words: three-word shingles ("one of the", "I don't think")
     * are common enough across unrelated quotations that, being someone's
     * minimum, they make false candidates by the hundred. */
    for (int i = 0; i + 3 < nw && ns < SAYSO_NEAR_MAX_WORDS; i++)
        sk->shingles[ns++] = mix(w[i] ^ mix(w[i + 1] ^ mix(w[i + 2] ^ mix(w[i + 3]))));
    if (ns == 0 && nw > 0) { /* up to three words: the whole as one shingle */
        uint64_t h = 0;
        for (int i = 0; i < nw; i++) h = mix(w[i] ^ h);
        sk->shingles[ns++] = h;
    }
    sort_u64(sk->shingles, ns);
    int k = 0;
    for (int i = 0; i < ns; i++)
        if (k == 0 || sk->shingles[i] != sk->shingles[k - 1]) sk->shingles[k++] = sk->shingles[i];
    sk->n_shingles = k;
}

void sayso_sketch_shingles(const char *text, size_t len, sayso_sketch *sk)
{
    sayso_sketch_start(text, len, sk);
    make_shingles(sk);
}

int sayso_sketch_finish(sayso_sketch *sk)
{
    make_shingles(sk);
    int k = sk->n_shingles;
    if (sk->n_words < SAYSO_NEAR_MIN_WORDS) {
        memset(sk->sig, 0, sizeof sk->sig);
        return 0;
    }
    static const uint64_t seed[SAYSO_NEAR_HASHES] = {
        0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull, 0xd6e8feb86659fd93ull,
    };
    for (int j = 0; j < SAYSO_NEAR_HASHES; j++) {
        uint64_t m = UINT64_MAX;
        for (int i = 0; i < k; i++) {
            uint64_t v = mix(sk->shingles[i] ^ seed[j]);
            if (v < m) m = v;
        }
        /* Positive, and tagged with its band: equal values in two
         * different bands mean nothing. */
        sk->sig[j] = (long long)(((m >> 3) << 2) | (uint64_t)j);
    }
    return 1;
}

double sayso_containment(const sayso_sketch *a, const sayso_sketch *b)
{
    int i = 0, j = 0, both = 0;
    while (i < a->n_shingles && j < b->n_shingles) {
        if (a->shingles[i] == b->shingles[j]) { both++; i++; j++; }
        else if (a->shingles[i] < b->shingles[j]) i++;
        else j++;
    }
    int small = a->n_shingles < b->n_shingles ? a->n_shingles : b->n_shingles;
    return small ? (double)both / small : 0.0;
}
