/*
 * eval.c — scoring extracted quotations against PolNeAR-style gold data.
 *
 * Layout of one run:
 *   1. list the .txt files of GOLD_DIR/text and the .ann files of
 *      GOLD_DIR/attributions (sorted), pick the first .ann per document;
 *   2. read the predictions (a JSONL file, grouped by document) or run the
 *      extractor per document;
 *   3. per document: decode the text once (code points, their byte offsets,
 *      \w+ tokens), parse the BRAT file, turn every span into trimmed
 *      fragments and token-index ranges, then score twice (all attributions,
 *      quotation-mark subset) into two tables;
 *   4. print the tables (or one JSON object) and, on request, the error list.
 *
 * All offsets inside this file are code points. Token sets are kept as sorted,
 * disjoint ranges of token indices, so overlaps are linear merges; candidate
 * (gold, predicted) pairs come from a sweep over content token ranges, so the
 * per-document cost is O(n log n) plus the number of overlapping pairs.
 *
 * Metric definitions (see also the README):
 *   exact    per component, fragments trimmed of white space and quotation
 *            marks at both ends and of .,;:!? at the end, compared as sets;
 *            one-to-one (multiset) matching of spans within a document;
 *   tokens   a token belongs to a span when they share a code point; gold and
 *            predicted attributions are paired one-to-one, greedily by
 *            content-token overlap; per component P = overlap / predicted
 *            tokens, R = overlap / gold tokens;
 *   quotes   a gold quote is found when one prediction covers >= 50% of its
 *            content tokens (greedy by coverage, one-to-one); source right =
 *            the sources share a token (case-insensitive) or both are absent.
 */
#include "eval.h"

#include <cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "sayso.h"
#include "brat.h"
#include "quotelist.h"

enum { C_CONTENT, C_SOURCE, C_CUE, N_COMP };
static const char *const comp_name[N_COMP] = {"content", "source", "cue"};

/* ------------------------------------------------------------------------ */
/* small helpers                                                            */

void *sayso_eval_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("sayso eval: out of memory\n", stderr);
        abort();
    }
    return q;
}
#define xrealloc sayso_eval_realloc

sayso_extractor *sayso_eval_extractor(const sayso_eval_options *opt)
{
    return opt->rules_only ? sayso_extractor_new_with(NULL)
           : opt->models   ? sayso_extractor_new_with(opt->models)
                           : sayso_extractor_new();
}

int sayso_eval_extract(sayso_extractor *ex, const char *id, const char *text, size_t len, const char *path,
                        const sayso_quote **q, size_t *n, FILE *err)
{
    sayso_article art;
    char date[11];
    memset(&art, 0, sizeof art);
    art.id = id;
    art.text = text;
    art.len = len;
    art.body = sayso_parse_date_header(text, len, date);
    art.date = date[0] ? date : NULL;
    if (sayso_extract(ex, &art, q, n) != 0) {
        fprintf(err, "%s: extractor failed (out of memory); no predictions\n", path);
        *q = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

#define GROW(arr, n, cap)                                                   \
    do {                                                                    \
        if ((n) == (cap)) {                                                 \
            (cap) = (cap) ? 2 * (cap) : 16;                                 \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));                 \
        }                                                                   \
    } while (0)

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0.0; }
static double f1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

/* ------------------------------------------------------------------------ */
/* spans                                                                    */

typedef struct { uint32_t s, e; } frag; /* half-open; code points or token indices */

typedef struct { frag *v; size_t n, cap; } fragvec;

static uint32_t fv_push(fragvec *fv, uint32_t s, uint32_t e)
{
    GROW(fv->v, fv->n, fv->cap);
    fv->v[fv->n].s = s;
    fv->v[fv->n].e = e;
    return (uint32_t)fv->n++;
}

/* A list of fragments inside a fragvec (by index: the vector may move). */
typedef struct { uint32_t off, n; int present; } sref;

typedef struct {
    sref raw[N_COMP];  /* as annotated or predicted */
    sref trim[N_COMP]; /* trimmed fragments, sorted, deduplicated */
    sref tok[N_COMP];  /* token-index ranges, sorted, merged */
    uint32_t ntok[N_COMP];
    int subset;        /* content touches a quotation mark */
    size_t doc;        /* prediction store: document index */
    size_t line;       /* line in the .ann or .jsonl file */
} attr;

static int cmp_frag(const void *a, const void *b)
{
    const frag *x = a, *y = b;
    if (x->s != y->s) return x->s < y->s ? -1 : 1;
    if (x->e != y->e) return x->e < y->e ? -1 : 1;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* documents                                                                */

typedef struct {
    const char *id;
    const char *text;
    size_t len;
    utf8proc_int32_t *cp; /* code points */
    size_t *cpb;          /* byte offset of each code point, ncp + 1 entries */
    size_t ncp;
    frag *tok;            /* \w+ runs, code points */
    size_t ntok, tokcap;
    fragvec fr;           /* every fragment of the document's attributions */
} doc;

/* Python's \w on str: letters, numbers (any N category) and '_'. Combining
 * marks are not word characters there either, so decomposed accents split a
 * word exactly as a Python re.finditer(r"\w+") would. */
int sayso_eval_is_word(int32_t c)
{
    if (c < 128) return c == '_' || isalnum(c);
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

static int is_space(utf8proc_int32_t c)
{
    if (c < 128) return c == ' ' || (c >= '\t' && c <= '\r');
    if (c == 0x85) return 1;
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_ZS || k == UTF8PROC_CATEGORY_ZL || k == UTF8PROC_CATEGORY_ZP;
}

static int is_quote(utf8proc_int32_t c)
{
    return c == '"' || c == '\'' || c == 0x201C || c == 0x201D || c == 0x2018 ||
           c == 0x2019 || c == 0x00AB || c == 0x00BB;
}

static int is_double_quote(utf8proc_int32_t c)
{
    return c == '"' || c == 0x201C || c == 0x201D;
}

static int is_end_punct(utf8proc_int32_t c)
{
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?';
}

/* One pass over the bytes: code points, their byte offsets and the tokens.
 * Invalid bytes count as one code point each (U+FFFD). */
static void doc_decode(doc *d)
{
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)d->text;
    size_t len = d->len;
    d->cp = xrealloc(NULL, (len + 1) * sizeof *d->cp);
    d->cpb = xrealloc(NULL, (len + 1) * sizeof *d->cpb);
    size_t i = 0, n = 0;
    int in_word = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &c);
        if (k <= 0) { c = 0xFFFD; k = 1; }
        d->cp[n] = c;
        d->cpb[n] = i;
        int w = sayso_eval_is_word(c);
        if (w && !in_word) {
            GROW(d->tok, d->ntok, d->tokcap);
            d->tok[d->ntok].s = (uint32_t)n;
        }
        if (!w && in_word) d->tok[d->ntok++].e = (uint32_t)n;
        in_word = w;
        n++;
        i += (size_t)k;
    }
    if (in_word) d->tok[d->ntok++].e = (uint32_t)n;
    d->cpb[n] = len;
    d->ncp = n;
}

static void doc_free(doc *d)
{
    free(d->cp);
    free(d->cpb);
    free(d->tok);
    free(d->fr.v);
    memset(d, 0, sizeof *d);
}

/* Index of the first token whose end is > pos (tokens are sorted, disjoint). */
static size_t tok_end_after(const doc *d, uint32_t pos)
{
    size_t lo = 0, hi = d->ntok;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->tok[mid].e > pos) hi = mid; else lo = mid + 1;
    }
    return lo;
}

/* Index of the first token whose start is >= pos. */
static size_t tok_start_from(const doc *d, uint32_t pos)
{
    size_t lo = 0, hi = d->ntok;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->tok[mid].s >= pos) hi = mid; else lo = mid + 1;
    }
    return lo;
}

/* Sorts, deduplicates (and when merge is set, merges overlapping or touching)
 * the fragments r.off .. r.off+r.n in place; returns the new count. */
static uint32_t normalise(frag *v, uint32_t n, int merge)
{
    if (n < 2) return n;
    qsort(v, n, sizeof *v, cmp_frag);
    uint32_t k = 0;
    for (uint32_t i = 1; i < n; i++) {
        if (merge && v[i].s <= v[k].e) {
            if (v[i].e > v[k].e) v[k].e = v[i].e;
        } else if (!merge && v[i].s == v[k].s && v[i].e == v[k].e) {
            continue;
        } else {
            v[++k] = v[i];
        }
    }
    return k + 1;
}

/* Derives trimmed fragments, token ranges and the subset flag of a. */
static void attr_prepare(doc *d, attr *a)
{
    for (int c = 0; c < N_COMP; c++) {
        sref r = a->raw[c];
        a->trim[c] = (sref){(uint32_t)d->fr.n, 0, r.present};
        for (uint32_t i = 0; i < r.n; i++) {
            frag f = d->fr.v[r.off + i];
            uint32_t s = f.s, e = f.e;
            for (;;) { /* quotes and punctuation may alternate: “Hello.” */
                uint32_t s0 = s, e0 = e;
                while (s < e && (is_space(d->cp[s]) || is_quote(d->cp[s]))) s++;
                while (e > s && (is_space(d->cp[e - 1]) || is_quote(d->cp[e - 1]) ||
                                 is_end_punct(d->cp[e - 1])))
                    e--;
                if (s == s0 && e == e0) break;
            }
            if (s < e) {
                fv_push(&d->fr, s, e);
                a->trim[c].n++;
            }
        }
        a->trim[c].n = normalise(d->fr.v + a->trim[c].off, a->trim[c].n, 0);
        d->fr.n = a->trim[c].off + a->trim[c].n;

        a->tok[c] = (sref){(uint32_t)d->fr.n, 0, r.present};
        for (uint32_t i = 0; i < r.n; i++) {
            frag f = d->fr.v[r.off + i];
            size_t t0 = tok_end_after(d, f.s), t1 = tok_start_from(d, f.e);
            if (t0 < t1) {
                fv_push(&d->fr, (uint32_t)t0, (uint32_t)t1);
                a->tok[c].n++;
            }
        }
        a->tok[c].n = normalise(d->fr.v + a->tok[c].off, a->tok[c].n, 1);
        d->fr.n = a->tok[c].off + a->tok[c].n;
        a->ntok[c] = 0;
        for (uint32_t i = 0; i < a->tok[c].n; i++) {
            frag t = d->fr.v[a->tok[c].off + i];
            a->ntok[c] += t.e - t.s;
        }
    }
    a->subset = 0;
    for (uint32_t i = 0; i < a->raw[C_CONTENT].n && !a->subset; i++) {
        frag f = d->fr.v[a->raw[C_CONTENT].off + i];
        size_t s = f.s ? f.s - 1 : 0, e = f.e < d->ncp ? f.e + 1 : d->ncp;
        for (size_t k = s; k < e; k++)
            if (is_double_quote(d->cp[k])) { a->subset = 1; break; }
    }
}

/* Number of token indices two merged range lists share. */
static uint32_t range_overlap(const frag *a, uint32_t na, const frag *b, uint32_t nb)
{
    uint32_t i = 0, j = 0, sum = 0;
    while (i < na && j < nb) {
        uint32_t s = a[i].s > b[j].s ? a[i].s : b[j].s;
        uint32_t e = a[i].e < b[j].e ? a[i].e : b[j].e;
        if (s < e) sum += e - s;
        if (a[i].e < b[j].e) i++; else j++;
    }
    return sum;
}

static uint32_t attr_overlap(const doc *d, const attr *g, const attr *p, int c)
{
    return range_overlap(d->fr.v + g->tok[c].off, g->tok[c].n,
                         d->fr.v + p->tok[c].off, p->tok[c].n);
}

/* Case-insensitive equality of two tokens (token indices). */
static int token_equal(const doc *d, uint32_t a, uint32_t b)
{
    frag x = d->tok[a], y = d->tok[b];
    if (x.e - x.s != y.e - y.s) return 0;
    for (uint32_t i = 0; i < x.e - x.s; i++)
        if (utf8proc_tolower(d->cp[x.s + i]) != utf8proc_tolower(d->cp[y.s + i])) return 0;
    return 1;
}

/* "Source right": the sources share a token, or neither has any. */
static int source_right(const doc *d, const attr *g, const attr *p)
{
    if (g->ntok[C_SOURCE] == 0 || p->ntok[C_SOURCE] == 0)
        return g->ntok[C_SOURCE] == 0 && p->ntok[C_SOURCE] == 0;
    const frag *gr = d->fr.v + g->tok[C_SOURCE].off, *pr = d->fr.v + p->tok[C_SOURCE].off;
    for (uint32_t i = 0; i < g->tok[C_SOURCE].n; i++)
        for (uint32_t a = gr[i].s; a < gr[i].e; a++)
            for (uint32_t j = 0; j < p->tok[C_SOURCE].n; j++)
                for (uint32_t b = pr[j].s; b < pr[j].e; b++)
                    if (token_equal(d, a, b)) return 1;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* scoring                                                                  */

typedef struct {
    size_t gold, pred, exact;    /* spans present; exact matches */
    size_t gtok, ptok, otok;     /* tokens: gold, predicted, overlapping */
} compacc;

typedef struct {
    size_t gold, pred;           /* attributions */
    size_t found, srcright;      /* per quote */
    compacc c[N_COMP];
} table;

/* Key for exact matching: a pointer to trimmed fragments (stable while one
 * document is scored: nothing is pushed then). */
typedef struct { const frag *f; uint32_t n; } xkey;

static int cmp_xkey(const void *a, const void *b)
{
    const xkey *x = a, *y = b;
    uint32_t n = x->n < y->n ? x->n : y->n;
    for (uint32_t i = 0; i < n; i++) {
        int c = cmp_frag(&x->f[i], &y->f[i]);
        if (c) return c;
    }
    return x->n < y->n ? -1 : x->n > y->n;
}

typedef struct { uint32_t s, e, side, idx; } sweep_item;

static int cmp_sweep(const void *a, const void *b)
{
    const sweep_item *x = a, *y = b;
    if (x->s != y->s) return x->s < y->s ? -1 : 1;
    if (x->side != y->side) return x->side < y->side ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

typedef struct { uint32_t g, p, ov, gt; } pair;

static int cmp_pair_gp(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->g != y->g) return x->g < y->g ? -1 : 1;
    return x->p < y->p ? -1 : x->p > y->p;
}

static int cmp_pair_overlap(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->ov != y->ov) return x->ov > y->ov ? -1 : 1;
    return cmp_pair_gp(a, b);
}

static int cmp_pair_coverage(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    uint64_t l = (uint64_t)x->ov * y->gt, r = (uint64_t)y->ov * x->gt;
    if (l != r) return l > r ? -1 : 1;
    return cmp_pair_overlap(a, b);
}

/* Pairs (gold, predicted) whose contents share a token: a sweep over the
 * content token ranges of both sides. */
static pair *content_pairs(const doc *d, const attr *g, size_t ng, const attr *p,
                           size_t np, size_t *npairs)
{
    sweep_item *it = NULL;
    size_t n = 0, cap = 0;
    for (int side = 0; side < 2; side++) {
        const attr *v = side ? p : g;
        size_t nv = side ? np : ng;
        for (size_t i = 0; i < nv; i++)
            for (uint32_t k = 0; k < v[i].tok[C_CONTENT].n; k++) {
                frag f = d->fr.v[v[i].tok[C_CONTENT].off + k];
                GROW(it, n, cap);
                it[n++] = (sweep_item){f.s, f.e, (uint32_t)side, (uint32_t)i};
            }
    }
    if (n) qsort(it, n, sizeof *it, cmp_sweep);
    sweep_item *act[2] = {NULL, NULL};
    size_t nact[2] = {0, 0}, capact[2] = {0, 0};
    pair *out = NULL;
    size_t no = 0, capo = 0;
    for (size_t i = 0; i < n; i++) {
        int other = !it[i].side;
        size_t k = 0;
        for (size_t j = 0; j < nact[other]; j++) {
            if (act[other][j].e <= it[i].s) continue; /* expired for good */
            act[other][k++] = act[other][j];
            GROW(out, no, capo);
            uint32_t gi = it[i].side ? act[other][j].idx : it[i].idx;
            uint32_t pi = it[i].side ? it[i].idx : act[other][j].idx;
            out[no++] = (pair){gi, pi, 0, 0};
        }
        nact[other] = k;
        int side = (int)it[i].side;
        GROW(act[side], nact[side], capact[side]);
        act[side][nact[side]++] = it[i];
    }
    free(act[0]);
    free(act[1]);
    free(it);
    if (no) qsort(out, no, sizeof *out, cmp_pair_gp);
    size_t k = 0;
    for (size_t i = 0; i < no; i++)
        if (k == 0 || out[k - 1].g != out[i].g || out[k - 1].p != out[i].p) out[k++] = out[i];
    for (size_t i = 0; i < k; i++) {
        out[i].ov = attr_overlap(d, &g[out[i].g], &p[out[i].p], C_CONTENT);
        out[i].gt = g[out[i].g].ntok[C_CONTENT];
    }
    *npairs = k;
    return out;
}

/* The text of a span list for messages: fragments joined by " … ", white
 * space as single spaces, at most max code points. */
static void put_span_text(FILE *out, const doc *d, const frag *f, uint32_t n, size_t max)
{
    size_t written = 0;
    int space = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i) { fputs(" … ", out); written += 3; }
        for (uint32_t k = f[i].s; k < f[i].e; k++) {
            if (written >= max) { fputs("…", out); return; }
            if (is_space(d->cp[k])) {
                if (!space) { fputc(' ', out); written++; }
                space = 1;
                continue;
            }
            space = 0;
            fwrite(d->text + d->cpb[k], 1, d->cpb[k + 1] - d->cpb[k], out);
            written++;
        }
    }
}

static void put_sref_text(FILE *out, const doc *d, sref r, size_t max)
{
    if (!r.present || r.n == 0) { fputs("(none)", out); return; }
    fputc('"', out);
    put_span_text(out, d, d->fr.v + r.off, r.n, max);
    fputc('"', out);
}

static void put_offsets(FILE *out, const doc *d, sref r)
{
    for (uint32_t i = 0; i < r.n; i++)
        fprintf(out, "%s%u-%u", i ? ";" : "", d->fr.v[r.off + i].s, d->fr.v[r.off + i].e);
}

typedef struct { uint32_t pos; int kind; uint32_t g, p; } err_item; /* kind: 0 miss, 1 false, 2 source */

static int cmp_err(const void *a, const void *b)
{
    const err_item *x = a, *y = b;
    if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
    return x->kind - y->kind;
}

static uint32_t first_start(const doc *d, sref r)
{
    uint32_t m = UINT32_MAX;
    for (uint32_t i = 0; i < r.n; i++)
        if (d->fr.v[r.off + i].s < m) m = d->fr.v[r.off + i].s;
    return r.n ? m : 0;
}

/* Scores one document's attributions into t; lists errors on errs if set. */
static void score_doc(const doc *d, const attr *g, size_t ng, const attr *p, size_t np,
                      table *t, FILE *errs)
{
    t->gold += ng;
    t->pred += np;

    /* exact, per component: multiset intersection of trimmed fragment sets */
    xkey *kg = xrealloc(NULL, (ng + 1) * sizeof *kg), *kp = xrealloc(NULL, (np + 1) * sizeof *kp);
    for (int c = 0; c < N_COMP; c++) {
        size_t a = 0, b = 0;
        for (size_t i = 0; i < ng; i++) {
            if (!g[i].raw[c].present) continue;
            kg[a++] = (xkey){d->fr.v + g[i].trim[c].off, g[i].trim[c].n};
            t->c[c].gtok += g[i].ntok[c];
        }
        for (size_t i = 0; i < np; i++) {
            if (!p[i].raw[c].present) continue;
            kp[b++] = (xkey){d->fr.v + p[i].trim[c].off, p[i].trim[c].n};
            t->c[c].ptok += p[i].ntok[c];
        }
        t->c[c].gold += a;
        t->c[c].pred += b;
        if (a) qsort(kg, a, sizeof *kg, cmp_xkey);
        if (b) qsort(kp, b, sizeof *kp, cmp_xkey);
        size_t i = 0, j = 0;
        while (i < a && j < b) {
            int r = cmp_xkey(&kg[i], &kp[j]);
            if (r == 0) { t->c[c].exact++; i++; j++; }
            else if (r < 0) i++;
            else j++;
        }
    }
    free(kg);
    free(kp);

    size_t npairs;
    pair *pairs = content_pairs(d, g, ng, p, np, &npairs);
    unsigned char *gu = xrealloc(NULL, ng + 1), *pu = xrealloc(NULL, np + 1);

    /* token overlap: one-to-one pairing by content overlap, largest first */
    memset(gu, 0, ng + 1);
    memset(pu, 0, np + 1);
    if (npairs) qsort(pairs, npairs, sizeof *pairs, cmp_pair_overlap);
    for (size_t i = 0; i < npairs; i++) {
        const pair *q = &pairs[i];
        if (gu[q->g] || pu[q->p]) continue;
        gu[q->g] = pu[q->p] = 1;
        for (int c = 0; c < N_COMP; c++)
            t->c[c].otok += c == C_CONTENT ? q->ov : attr_overlap(d, &g[q->g], &p[q->p], c);
    }

    /* quotes: found when one prediction covers >= 50% of the content tokens */
    memset(gu, 0, ng + 1);
    memset(pu, 0, np + 1);
    size_t k = 0;
    for (size_t i = 0; i < npairs; i++)
        if (pairs[i].gt > 0 && 2 * (uint64_t)pairs[i].ov >= pairs[i].gt) pairs[k++] = pairs[i];
    if (k) qsort(pairs, k, sizeof *pairs, cmp_pair_coverage);
    uint32_t *gp = xrealloc(NULL, (ng + 1) * sizeof *gp); /* gold -> matched prediction */
    for (size_t i = 0; i < k; i++) {
        const pair *q = &pairs[i];
        if (gu[q->g] || pu[q->p]) continue;
        gu[q->g] = pu[q->p] = 1;
        gp[q->g] = q->p;
        t->found++;
        if (source_right(d, &g[q->g], &p[q->p])) t->srcright++;
    }

    if (errs) {
        err_item *e = NULL;
        size_t ne = 0, cap = 0;
        for (size_t i = 0; i < ng; i++) {
            if (!gu[i]) {
                GROW(e, ne, cap);
                e[ne++] = (err_item){first_start(d, g[i].raw[C_CONTENT]), 0, (uint32_t)i, 0};
            } else if (!source_right(d, &g[i], &p[gp[i]])) {
                GROW(e, ne, cap);
                e[ne++] = (err_item){first_start(d, g[i].raw[C_CONTENT]), 2, (uint32_t)i, gp[i]};
            }
        }
        for (size_t i = 0; i < np; i++)
            if (!pu[i]) {
                GROW(e, ne, cap);
                e[ne++] = (err_item){first_start(d, p[i].raw[C_CONTENT]), 1, 0, (uint32_t)i};
            }
        if (ne) qsort(e, ne, sizeof *e, cmp_err);
        static const char *const label[3] = {"MISS  ", "FALSE ", "SOURCE"};
        for (size_t i = 0; i < ne; i++) {
            const attr *a = e[i].kind == 1 ? &p[e[i].p] : &g[e[i].g];
            fprintf(errs, "%s %s ", label[e[i].kind], d->id);
            put_offsets(errs, d, a->raw[C_CONTENT]);
            if (e[i].kind == 2) {
                fputs("  gold source ", errs);
                put_sref_text(errs, d, g[e[i].g].raw[C_SOURCE], 60);
                fputs(" | predicted ", errs);
                put_sref_text(errs, d, p[e[i].p].raw[C_SOURCE], 60);
            } else {
                fputs("  source ", errs);
                put_sref_text(errs, d, a->raw[C_SOURCE], 60);
            }
            fputs("  ", errs);
            put_span_text(errs, d, d->fr.v + a->raw[C_CONTENT].off, a->raw[C_CONTENT].n, 160);
            fputc('\n', errs);
        }
        free(e);
    }
    free(gp);
    free(gu);
    free(pu);
    free(pairs);
}

/* ------------------------------------------------------------------------ */
/* gold                                                                     */

/* Reads the gold attributions of d (brat.c) into *out, their fragments
 * into d's vector. Returns the number of problems, or -1. */
static long read_gold(const char *path, doc *d, attr **out, size_t *nout, FILE *err)
{
    brat_file bf;
    memset(&bf, 0, sizeof bf);
    long problems = sayso_brat_read(path, d->ncp, &bf, err);
    *out = NULL;
    *nout = 0;
    if (problems < 0) return -1;
    attr *v = xrealloc(NULL, (bf.na + 1) * sizeof *v);
    static const int role[N_COMP] = {BR_CONTENT, BR_SOURCE, BR_CUE};
    for (size_t i = 0; i < bf.na; i++) {
        attr a;
        memset(&a, 0, sizeof a);
        a.line = bf.a[i].line;
        for (int c = 0; c < N_COMP; c++) {
            int r = role[c];
            if (!bf.a[i].present[r]) continue;
            a.raw[c] = (sref){(uint32_t)d->fr.n, bf.a[i].n[r], 1};
            for (uint32_t k = 0; k < bf.a[i].n[r]; k++)
                fv_push(&d->fr, bf.fr[bf.a[i].off[r] + k].s, bf.fr[bf.a[i].off[r] + k].e);
        }
        v[i] = a;
    }
    *out = v;
    *nout = bf.na;
    sayso_brat_file_free(&bf);
    return problems;
}

/* ------------------------------------------------------------------------ */
/* predictions                                                              */

typedef struct {
    char **docs;      /* sorted gold document ids */
    size_t ndocs;
    attr *v;          /* predictions from the JSONL file, raw[] into fr */
    size_t n, cap;
    fragvec fr;
    size_t *first;    /* per doc: first index into v (v sorted by doc) */
    size_t unknown;   /* predictions for documents not in gold */
} predstore;

static int cmp_attr_doc(const void *a, const void *b)
{
    const attr *x = a, *y = b;
    if (x->doc != y->doc) return x->doc < y->doc ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static long find_doc(const predstore *ps, const char *id)
{
    size_t lo = 0, hi = ps->ndocs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ps->docs[mid], id);
        if (c == 0) return (long)mid;
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return -1;
}

/* A document id as written by `sayso extract`: tolerate a path and a .txt. */
static long find_doc_lenient(const predstore *ps, const char *id)
{
    long i = find_doc(ps, id);
    if (i >= 0) return i;
    const char *base = strrchr(id, '/');
    base = base ? base + 1 : id;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".txt") == 0) n -= 4;
    char *tmp = xrealloc(NULL, n + 1);
    memcpy(tmp, base, n);
    tmp[n] = 0;
    i = find_doc(ps, tmp);
    free(tmp);
    return i;
}

/* [[s,e],...] (or a single [s,e]) -> fragments; null/absent -> not present.
 * Returns 0 if malformed. */
static int json_spans(const cJSON *j, fragvec *fr, sref *r, int required)
{
    *r = (sref){(uint32_t)fr->n, 0, 0};
    if (!j || cJSON_IsNull(j)) return !required;
    if (!cJSON_IsArray(j)) return 0;
    int n = cJSON_GetArraySize(j);
    const cJSON *first = cJSON_GetArrayItem(j, 0);
    int flat = n == 2 && cJSON_IsNumber(first);
    if (n == 0) return !required;
    for (int i = 0; i < (flat ? 1 : n); i++) {
        const cJSON *pr = flat ? j : cJSON_GetArrayItem(j, i);
        if (!cJSON_IsArray(pr) || cJSON_GetArraySize(pr) != 2) return 0;
        const cJSON *ja = cJSON_GetArrayItem(pr, 0), *jb = cJSON_GetArrayItem(pr, 1);
        if (!cJSON_IsNumber(ja) || !cJSON_IsNumber(jb)) return 0;
        double a = ja->valuedouble, b = jb->valuedouble;
        if (!(a >= 0 && b >= a && b <= 4294967295.0) || a != (double)(uint32_t)a ||
            b != (double)(uint32_t)b)
            return 0;
        fv_push(fr, (uint32_t)a, (uint32_t)b);
        r->n++;
    }
    r->present = 1;
    return 1;
}

/* Reads the JSONL predictions; returns the number of malformed lines, or -1
 * if the file cannot be opened. */
static long read_preds(const char *path, predstore *ps, FILE *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(err, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    long bad = 0;
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t i = 0;
        while (i < (size_t)got && isspace((unsigned char)line[i])) i++;
        if (i == (size_t)got) continue;
        cJSON *j = cJSON_ParseWithLength(line, (size_t)got);
        const char *why = NULL;
        const cJSON *jd = j ? cJSON_GetObjectItemCaseSensitive(j, "doc") : NULL;
        if (!j) why = "not valid JSON";
        else if (!cJSON_IsObject(j)) why = "not a JSON object";
        else if (!cJSON_IsString(jd)) why = "\"doc\" missing or not a string";
        long di = why ? -1 : find_doc_lenient(ps, jd->valuestring);
        if (!why && di < 0) {
            ps->unknown++;
            cJSON_Delete(j);
            continue;
        }
        attr a;
        memset(&a, 0, sizeof a);
        size_t mark = ps->fr.n;
        if (!why && !json_spans(cJSON_GetObjectItemCaseSensitive(j, "content"), &ps->fr,
                                &a.raw[C_CONTENT], 1))
            why = "\"content\" must be a non-empty list of [start, end] code point pairs";
        if (!why && !json_spans(cJSON_GetObjectItemCaseSensitive(j, "cue"), &ps->fr,
                                &a.raw[C_CUE], 0))
            why = "\"cue\" must be null or a list of [start, end] pairs";
        if (!why && !json_spans(cJSON_GetObjectItemCaseSensitive(j, "source"), &ps->fr,
                                &a.raw[C_SOURCE], 0))
            why = "\"source\" must be null or a list of [start, end] pairs";
        cJSON_Delete(j);
        if (why) {
            fprintf(err, "%s:%zu: %s; line skipped\n", path, lineno, why);
            ps->fr.n = mark;
            bad++;
            continue;
        }
        a.doc = (size_t)di;
        a.line = lineno;
        GROW(ps->v, ps->n, ps->cap);
        ps->v[ps->n++] = a;
    }
    if (ferror(f)) {
        fprintf(err, "%s: read error\n", path);
        bad++;
    }
    free(line);
    fclose(f);
    if (ps->n) qsort(ps->v, ps->n, sizeof *ps->v, cmp_attr_doc);
    ps->first = xrealloc(NULL, (ps->ndocs + 1) * sizeof *ps->first);
    size_t k = 0;
    for (size_t di = 0; di <= ps->ndocs; di++) {
        while (k < ps->n && ps->v[k].doc < di) k++;
        ps->first[di] = k;
    }
    return bad;
}

/* Copies a span list from one fragment vector into the document's. */
static sref copy_sref(fragvec *to, const fragvec *from, sref r)
{
    sref o = {(uint32_t)to->n, r.n, r.present};
    for (uint32_t i = 0; i < r.n; i++) fv_push(to, from->v[r.off + i].s, from->v[r.off + i].e);
    return o;
}

static sref span_from_lib(fragvec *to, const sayso_span *s, int n, int present)
{
    sref o = {(uint32_t)to->n, 0, present};
    for (int i = 0; present && i < n; i++) {
        fv_push(to, (uint32_t)s[i].start, (uint32_t)s[i].end);
        o.n++;
    }
    return o;
}

/* ------------------------------------------------------------------------ */
/* output                                                                   */

static void print_table(FILE *out, const char *title, const table *t)
{
    fprintf(out, "%s (gold %zu, predicted %zu)\n", title, t->gold, t->pred);
    fprintf(out, "               exact P  exact R exact F1    tok P    tok R   tok F1"
                 "     gold     pred    exact\n");
    for (int c = 0; c < N_COMP; c++) {
        const compacc *a = &t->c[c];
        double ep = ratio(a->exact, a->pred), er = ratio(a->exact, a->gold);
        double tp = ratio(a->otok, a->ptok), tr = ratio(a->otok, a->gtok);
        fprintf(out, "  %-10s %9.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8zu %8zu %8zu\n", comp_name[c],
                ep, er, f1(ep, er), tp, tr, f1(tp, tr), a->gold, a->pred, a->exact);
    }
    fprintf(out, "  quotes found %.3f (%zu/%zu)  precision %.3f (%zu/%zu)"
                 "  source right | found %.3f (%zu/%zu)\n",
            ratio(t->found, t->gold), t->found, t->gold, ratio(t->found, t->pred), t->found,
            t->pred, ratio(t->srcright, t->found), t->srcright, t->found);
}

static cJSON *table_json(const table *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "gold", (double)t->gold);
    cJSON_AddNumberToObject(o, "pred", (double)t->pred);
    for (int c = 0; c < N_COMP; c++) {
        const compacc *a = &t->c[c];
        cJSON *x = cJSON_AddObjectToObject(o, comp_name[c]);
        double ep = ratio(a->exact, a->pred), er = ratio(a->exact, a->gold);
        double tp = ratio(a->otok, a->ptok), tr = ratio(a->otok, a->gtok);
        cJSON_AddNumberToObject(x, "gold", (double)a->gold);
        cJSON_AddNumberToObject(x, "pred", (double)a->pred);
        cJSON_AddNumberToObject(x, "exact", (double)a->exact);
        cJSON_AddNumberToObject(x, "exact_p", ep);
        cJSON_AddNumberToObject(x, "exact_r", er);
        cJSON_AddNumberToObject(x, "exact_f1", f1(ep, er));
        cJSON_AddNumberToObject(x, "gold_tokens", (double)a->gtok);
        cJSON_AddNumberToObject(x, "pred_tokens", (double)a->ptok);
        cJSON_AddNumberToObject(x, "overlap_tokens", (double)a->otok);
        cJSON_AddNumberToObject(x, "tok_p", tp);
        cJSON_AddNumberToObject(x, "tok_r", tr);
        cJSON_AddNumberToObject(x, "tok_f1", f1(tp, tr));
    }
    cJSON *q = cJSON_AddObjectToObject(o, "quotes");
    cJSON_AddNumberToObject(q, "found", (double)t->found);
    cJSON_AddNumberToObject(q, "found_rate", ratio(t->found, t->gold));
    cJSON_AddNumberToObject(q, "precision", ratio(t->found, t->pred));
    cJSON_AddNumberToObject(q, "source_right", (double)t->srcright);
    cJSON_AddNumberToObject(q, "source_right_rate", ratio(t->srcright, t->found));
    return o;
}

/* ------------------------------------------------------------------------ */
/* the run                                                                  */

int sayso_eval_run(const sayso_eval_options *opt, FILE *out, FILE *err)
{
    if (!opt || !opt->gold_dir) {
        fputs("sayso eval: no gold directory given\n", err);
        return 2;
    }
    if (sayso_quotelist_is_gold(opt->gold_dir)) return sayso_quotelist_run(opt, out, err);
    brat_corpus corpus;
    if (sayso_brat_corpus(opt->gold_dir, &corpus, err) < 0) return 2;
    size_t ntxt = corpus.n;

    predstore ps;
    memset(&ps, 0, sizeof ps);
    ps.ndocs = ntxt;
    ps.docs = xrealloc(NULL, ntxt * sizeof *ps.docs);
    for (size_t i = 0; i < ntxt; i++) ps.docs[i] = corpus.d[i].id; /* sorted by name */

    int rc = 0;
    sayso_extractor *ex = NULL;
    if (opt->pred_path) {
        long bad = read_preds(opt->pred_path, &ps, err);
        if (bad < 0) rc = 2;
        else if (bad > 0) rc = 1;
        if (ps.unknown)
            fprintf(err, "%s: %zu predictions for documents not in %s ignored\n",
                    opt->pred_path, ps.unknown, opt->gold_dir);
    } else if (!(ex = sayso_eval_extractor(opt))) {
        fputs("sayso eval: out of memory\n", err);
        rc = 2;
    }

    table tab[2];
    memset(tab, 0, sizeof tab);
    size_t scored = 0;
    FILE *errs = NULL;
    char *errbuf = NULL;
    size_t errlen = 0;
    if (opt->errors && rc != 2) {
        errs = open_memstream(&errbuf, &errlen);
        if (!errs) fprintf(err, "sayso eval: cannot list errors: %s\n", strerror(errno));
    }

    for (size_t di = 0; rc != 2 && di < ntxt; di++) {
        const char *id = ps.docs[di];
        const char *tpath = corpus.d[di].text, *apath = corpus.d[di].ann;
        if (!apath) {
            fprintf(err, "%s: no annotation file in %s; skipped\n", tpath, corpus.ann_dir);
            rc = 1;
            continue;
        }
        doc d;
        memset(&d, 0, sizeof d);
        d.id = id;
        char *text = sayso_read_file(tpath, &d.len);
        if (!text) {
            fprintf(err, "%s: %s; skipped\n", tpath, strerror(errno));
            rc = 1;
            continue;
        }
        d.text = text;
        doc_decode(&d);

        attr *g = NULL, *p = NULL;
        size_t ng = 0, np = 0;
        long prob = read_gold(apath, &d, &g, &ng, err);
        if (prob < 0) {
            free(text);
            doc_free(&d);
            rc = 1;
            continue;
        }
        if (prob > 0) rc = 1;

        if (ex) {
            const sayso_quote *q;
            size_t nq;
            if (sayso_eval_extract(ex, id, text, d.len, tpath, &q, &nq, err) < 0) rc = 1;
            p = xrealloc(NULL, (nq + 1) * sizeof *p);
            for (size_t i = 0; i < nq; i++) {
                attr a;
                memset(&a, 0, sizeof a);
                int nc = q[i].n_content < 0 ? 0
                         : q[i].n_content > SAYSO_MAX_FRAGMENTS ? SAYSO_MAX_FRAGMENTS
                                                                 : q[i].n_content;
                a.raw[C_CONTENT] = span_from_lib(&d.fr, q[i].content, nc, 1);
                a.raw[C_CUE] = span_from_lib(&d.fr, &q[i].cue, 1, q[i].has_cue);
                a.raw[C_SOURCE] = span_from_lib(&d.fr, &q[i].source, 1, q[i].has_source);
                a.line = i + 1;
                p[np++] = a;
            }
        } else {
            size_t a0 = ps.first[di], a1 = ps.first[di + 1];
            p = xrealloc(NULL, (a1 - a0 + 1) * sizeof *p);
            for (size_t i = a0; i < a1; i++) {
                attr a = ps.v[i];
                for (int c = 0; c < N_COMP; c++) a.raw[c] = copy_sref(&d.fr, &ps.fr, a.raw[c]);
                p[np++] = a;
            }
        }
        /* predicted spans must lie inside the text */
        size_t k = 0;
        for (size_t i = 0; i < np; i++) {
            int ok = 1;
            for (int c = 0; c < N_COMP && ok; c++)
                for (uint32_t f = 0; f < p[i].raw[c].n; f++)
                    if (d.fr.v[p[i].raw[c].off + f].e > d.ncp ||
                        d.fr.v[p[i].raw[c].off + f].s > d.fr.v[p[i].raw[c].off + f].e)
                        ok = 0;
            if (!ok) {
                if (ex) fprintf(err, "%s: quote %zu: span outside the text; skipped\n", tpath, p[i].line);
                else fprintf(err, "%s:%zu: span outside the text of %s (%zu code points); line skipped\n",
                             opt->pred_path, p[i].line, id, d.ncp);
                rc = 1;
                continue;
            }
            p[k++] = p[i];
        }
        np = k;

        for (size_t i = 0; i < ng; i++) attr_prepare(&d, &g[i]);
        for (size_t i = 0; i < np; i++) attr_prepare(&d, &p[i]);
        score_doc(&d, g, ng, p, np, &tab[0], NULL);
        /* the quotation-mark subset: compact both lists in place */
        size_t sg = 0, sp = 0;
        for (size_t i = 0; i < ng; i++) if (g[i].subset) g[sg++] = g[i];
        for (size_t i = 0; i < np; i++) if (p[i].subset) p[sp++] = p[i];
        score_doc(&d, g, sg, p, sp, &tab[1], errs);
        scored++;

        free(g);
        free(p);
        free(text);
        doc_free(&d);
    }

    if (errs) fclose(errs);
    if (rc != 2) {
        if (opt->json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "gold_dir", opt->gold_dir);
            cJSON_AddStringToObject(o, "predictions", opt->pred_path ? opt->pred_path : "extractor");
            cJSON_AddNumberToObject(o, "docs", (double)scored);
            cJSON_AddNumberToObject(o, "skipped_docs", (double)(ntxt - scored));
            cJSON_AddItemToObject(o, "all", table_json(&tab[0]));
            cJSON_AddItemToObject(o, "subset", table_json(&tab[1]));
            if (errbuf) { /* the error lines, one string each */
                cJSON *a = cJSON_AddArrayToObject(o, "errors");
                for (char *l = errbuf; *l; ) {
                    char *nl = strchr(l, '\n');
                    if (nl) *nl = 0;
                    cJSON_AddItemToArray(a, cJSON_CreateString(l));
                    l = nl ? nl + 1 : l + strlen(l);
                }
            }
            char *s = cJSON_Print(o);
            if (s) fprintf(out, "%s\n", s);
            free(s);
            cJSON_Delete(o);
        } else {
            fprintf(out, "%zu documents scored (gold %s, predictions %s)\n\n", scored,
                    opt->gold_dir, opt->pred_path ? opt->pred_path : "from the extractor");
            print_table(out, "All attributions", &tab[0]);
            fputc('\n', out);
            print_table(out, "Quotation-mark subset", &tab[1]);
        }
        if (errbuf && !opt->json) {
            fprintf(out, "\nErrors in the quotation-mark subset"
                         " (MISS: gold quote not found, FALSE: false alarm,"
                         " SOURCE: found with a wrong source)\n");
            fwrite(errbuf, 1, errlen, out);
        }
    }
    free(errbuf);

    if (ex) sayso_extractor_free(ex);
    free(ps.docs);
    free(ps.v);
    free(ps.fr.v);
    free(ps.first);
    sayso_brat_corpus_free(&corpus);
    return rc;
}
