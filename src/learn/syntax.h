/*
 * syntax.h — what the part-of-speech tagger and the dependency parser share:
 * the 17 universal tags, the word they work on, the caller's workspace, and
 * the per-word hashes their features are built from.
 *
 * Features never read a word's bytes as they are: curly quotes and
 * apostrophes become their ASCII forms, dashes become "-" or "--", "…"
 * becomes "...", digits become 0, so news text from sayso's tokeniser looks
 * like the treebank the models learned from. The words themselves are never
 * changed.
 */
#ifndef SAYSO_SYNTAX_H
#define SAYSO_SYNTAX_H

#include <stddef.h>
#include <stdint.h>

/* The Universal Dependencies part-of-speech tags, in the order of their
 * names (sayso_upos_name). */
enum {
    SAYSO_ADJ, SAYSO_ADP, SAYSO_ADV, SAYSO_AUX, SAYSO_CCONJ, SAYSO_DET, SAYSO_INTJ, SAYSO_NOUN,
    SAYSO_NUM, SAYSO_PART, SAYSO_PRON, SAYSO_PROPN, SAYSO_PUNCT, SAYSO_SCONJ, SAYSO_SYM, SAYSO_VERB,
    SAYSO_X,
    SAYSO_NUPOS
};

extern const char *const sayso_upos_names[SAYSO_NUPOS];

/* The tag named by s[0..n), or -1. */
int sayso_upos_id(const char *s, size_t n);

/* Longest sentence the parser takes: heads are int16. */
#define SAYSO_SYNTAX_MAXWORDS 32000

/* One word of a sentence. The caller fills s and n; the tagger fills upos
 * (and lex), the parser head and rel. 24 bytes: callers keep arrays of
 * these. */
typedef struct {
    const char *s;   /* the word's bytes: not NUL-terminated, any bytes */
    uint32_t n;
    uint8_t upos;    /* out, tagger: SAYSO_ADJ..SAYSO_X */
    uint8_t rel;     /* out, parser: relation id (sayso_parser_label) */
    int16_t head;    /* out, parser: index of the head word, -1 for the root */
    uint32_t lex;    /* private: hash of the normalised lower-case form, set
                        by the tagger (or sayso_syntax_prepare), read by the
                        parser */
} sayso_word;

/* Sets lex for words the tagger did not see (e.g. gold tags). */
void sayso_syntax_prepare(sayso_word *w, size_t n);

/* Scratch memory for tagging and parsing: zero it before first use, pass
 * it to any number of calls (one thread at a time), free it with
 * sayso_syntax_ws_free. It only grows, so steady-state calls allocate
 * nothing. */
typedef struct {
    void *tag;   size_t tagcap;
    void *parse; size_t parsecap;
} sayso_syntax_ws;

void sayso_syntax_ws_free(sayso_syntax_ws *ws);

/* ---- internal: shared by tagger.c, parser.c and their training ---------- */

/* Makes *buf hold at least need bytes (64-byte aligned, contents not
 * kept). Returns 0, or -1 when out of memory. */
int sayso_syntax_reserve(void **buf, size_t *cap, size_t need);

/* Per-word hashes for the tagger's features. */
typedef struct {
    uint64_t form;     /* normalised form, case kept */
    uint64_t lower;    /* normalised form, lower case */
    uint64_t shape;    /* classes of characters, runs collapsed: "Xx", "d.d" */
    uint64_t pre[3];   /* first 1..3 bytes of lower */
    uint64_t suf[4];   /* last 1..4 bytes of lower */
    uint32_t flags;    /* SAYSO_WF_* */
} sayso_wfeat;

enum {
    SAYSO_WF_UPPER = 1u << 0,    /* some upper-case letter */
    SAYSO_WF_TITLE = 1u << 1,    /* starts with an upper-case letter */
    SAYSO_WF_ALLCAPS = 1u << 2,  /* letters, all upper case */
    SAYSO_WF_DIGIT = 1u << 3,
    SAYSO_WF_HYPHEN = 1u << 4,
    SAYSO_WF_ALPHA = 1u << 5,    /* some letter */
    SAYSO_WF_NONASCII = 1u << 6,
    SAYSO_WF_PUNCT = 1u << 7     /* no letter or digit at all */
};

void sayso_word_features(const char *s, size_t n, sayso_wfeat *f);

/* Feature hashes: template t reading one, two or three values. Cheaper
 * than learn.h's (two multiplications), which matters at 100 features a
 * word; the low bits index a table, the high 32 are its fingerprint. */
static inline uint64_t sayso_fx(uint64_t x)
{
    x ^= x >> 32;
    x *= UINT64_C(0xd6e8feb86659fd93);
    x ^= x >> 32;
    return x;
}
static inline uint64_t sayso_f1(uint32_t t, uint64_t a)
{
    return sayso_fx(a * UINT64_C(0x9e3779b97f4a7c15) + (uint64_t)t * UINT64_C(0xc2b2ae3d27d4eb4f));
}
static inline uint64_t sayso_f2(uint32_t t, uint64_t a, uint64_t b)
{
    return sayso_fx(a * UINT64_C(0x9e3779b97f4a7c15) + b * UINT64_C(0xbf58476d1ce4e5b9) +
                    (uint64_t)t * UINT64_C(0xc2b2ae3d27d4eb4f));
}
static inline uint64_t sayso_f3(uint32_t t, uint64_t a, uint64_t b, uint64_t c)
{
    return sayso_fx(a * UINT64_C(0x9e3779b97f4a7c15) + b * UINT64_C(0xbf58476d1ce4e5b9) +
                    c * UINT64_C(0x94d049bb133111eb) + (uint64_t)t * UINT64_C(0xc2b2ae3d27d4eb4f));
}

/* Deterministic pseudo-random numbers for training (splitmix64). */
static inline uint64_t sayso_rand(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

#endif
