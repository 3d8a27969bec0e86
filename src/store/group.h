/*
 * group.h — one quotation, many reports: how two reports of the same words
 * are recognised, without any SQL.
 *
 * Owns the normalisation of quotation text (case folded, diacritics,
 * punctuation, quotation marks and spacing removed), the exact key built on
 * it, and the sketch used for partial and lightly edited reports: 4-word
 * shingles, a MinHash signature of SAYSO_NEAR_HASHES values (each one an LSH
 * band of one row: two reports sharing any value are candidates) and the
 * containment test that decides whether a candidate is the same quotation.
 * store.c keeps the keys and signatures in the store and asks these
 * functions.
 */
#ifndef SAYSO_GROUP_H
#define SAYSO_GROUP_H

#include <stddef.h>
#include <stdint.h>

/* Signature values per quotation. Four one-row bands find a report that
 * keeps half of the words (Jaccard 0.5) with probability 1 - 0.5^4 = 0.94,
 * one that keeps a third with 0.80, while each band costs one index entry. */
#define SAYSO_NEAR_HASHES 4

/* Fewer normalised words than this: exact grouping only. Short quotations
 * ("fake news", "no comment") are common phrases, not one person's words. */
#define SAYSO_NEAR_MIN_WORDS 6

/* Words considered for near-duplicates: a longer quotation is sketched by
 * its first SAYSO_NEAR_MAX_WORDS. */
#define SAYSO_NEAR_MAX_WORDS 400

/* Share of the shorter report's shingles that must be in the longer one:
 * a trimmed report scores 1; one word changed in a 20-word quotation
 * costs four of its 17 shingles (0.76); "The bridge will open in June"
 * against "… in May, not a day later" scores 2/3 and stays apart. */
#define SAYSO_NEAR_CONTAINMENT 0.75

/* The key quotations are grouped by: a hash of their words, case folded,
 * without diacritics, punctuation, quotation marks or spacing. Positive. */
long long sayso_quote_key(const char *text, size_t len);

/* A quotation's sketch: its shingles (sorted, distinct) and signature. */
typedef struct {
    uint64_t words[SAYSO_NEAR_MAX_WORDS + 2]; /* hashes of the first words */
    uint64_t shingles[SAYSO_NEAR_MAX_WORDS];
    int n_shingles;
    int n_words;
    long long key;                       /* sayso_quote_key of the text */
    long long sig[SAYSO_NEAR_HASHES];    /* valid when n_words >= SAYSO_NEAR_MIN_WORDS */
} sayso_sketch;

/* Fills sk's shingles from text, not its signature: enough for
 * sayso_containment, for a candidate whose signature is known. */
void sayso_sketch_shingles(const char *text, size_t len, sayso_sketch *sk);

/* Fills sk from text (len bytes). Returns 1 when the text is long enough
 * for near-duplicate matching, else 0 (sk->key is set either way). */
int sayso_sketch_of(const char *text, size_t len, sayso_sketch *sk);

/* sayso_sketch_of in two steps, for a caller that needs the key first and
 * the rest only when the key is new: start walks the words once and
 * returns the key (sayso_quote_key), finish makes the shingles and the
 * signature from them. */
long long sayso_sketch_start(const char *text, size_t len, sayso_sketch *sk);
int sayso_sketch_finish(sayso_sketch *sk);

/* |A ∩ B| / min(|A|, |B|) over the two sketches' shingles, 0 to 1. */
double sayso_containment(const sayso_sketch *a, const sayso_sketch *b);

#endif
