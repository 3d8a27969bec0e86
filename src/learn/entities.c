/*
 * entities.c — the entity-type classifier: its features, the run-time call,
 * and training on the named-entity layer CoreNLP put on PolNeAR.
 *
 * One averaged perceptron scores five classes from hashed features of the
 * span's words (each one, the first, the last, the whole name, their shapes,
 * prefixes and suffixes, the length), three words either side, the words
 * that meet the span's edges ("Sen." + first, last + "said"), and whether a
 * possessive 's follows. A possessive is read the same way from both
 * tokenisations: CoreNLP splits "Smith's" into "Smith" "'s", sayso keeps it
 * one word; either way the name is "Smith" and the next word is the one
 * after the 's. Penn Treebank escapes in CoreNLP's words (``, '', -LRB-)
 * are turned back into the characters sayso's tokens hold.
 *
 * Training examples, in file-name order, sentence by sentence:
 *   - each maximal run of tokens with one of PERSON, ORGANIZATION, LOCATION,
 *     MISC, trimmed of edge words without a capital letter ("the Beltway"
 *     becomes "Beltway", "Bank of America" stays whole): the run time hands
 *     the classifier capitalised names;
 *   - each maximal run of capitalised tokens (first character an upper-case
 *     letter, any script) outside those labels (O, dates, numbers): NONE,
 *     which is sentence-initial "The" or "Meet", days, titles alone;
 *   - each entity run once more, stretched over the capitalised non-entity
 *     tokens right beside it (at most two before, one after) when there are
 *     any, with the entity's class: "Former Sen. Smith", "But Smith",
 *     "Smith Jr." are spans the run time will hand it too.
 * Then, article by article, the labels of the first two kinds are made
 * consistent (settle_labels): CoreNLP leaves a fair share of "Trump said
 * Friday ..." as O beside "Trump" PERSON in the same article, and a
 * classifier that learnt those would call the most quoted man of the corpus
 * no one. Held-out scores count the first two kinds only, against the
 * settled labels (CoreNLP's own are reported too); the stretched ones are
 * reported apart.
 *
 * The model ("ENTS" version 1) holds:
 *   meta   number of classes and the constants the features were made with
 *   ent.*  the packed feature table (learn.h), dense, 5 classes, 8-bit
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utf8proc.h>
#include "entities.h"
#include "learn.h"
#include "read.h"
#include "syntax.h"

/* Span words read one by one: the first five and the last (longer names
 * are rare, and their middle says little). */
#define SPAN_WORDS 6
#define LEN_CAP 6
/* Capitalised non-entity tokens a stretched example takes in. */
#define EXT_LEFT 2
#define EXT_RIGHT 1
/* Rows whose int8 weights span less than this are dropped from the file. */
#define PRUNE 3
/* Room for the features of one span. */
#define NFEAT 72
/* Bumped whenever features() changes, so that an old file is refused. */
#define FEATURE_SET 1

const char *const sayso_ent_names[SAYSO_ENT_COUNT] = {"PERSON", "ORG", "LOC", "MISC", "NONE"};

typedef struct {
    uint32_t nclass, span_words, len_cap, feature_set;
    uint32_t pad[4];
} meta;

struct sayso_entities {
    sayso_ptab tab;
};

/* ---- features ------------------------------------------------------------ */

/* "'s" or "’s" (either case of s). */
static int is_poss(const char *s, size_t n)
{
    if (n == 2) return s[0] == '\'' && (s[1] == 's' || s[1] == 'S');
    if (n == 4)
        return (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x99 &&
               (s[3] == 's' || s[3] == 'S');
    return 0;
}

/* Bytes of a possessive 's ending the word s[0..n) (not all of it), or 0. */
static size_t poss_tail(const char *s, size_t n)
{
    if (n > 2 && is_poss(s + n - 2, 2)) return 2;
    if (n > 4 && is_poss(s + n - 4, 4)) return 4;
    return 0;
}

/* A word past the sentence's edge. */
static void edge(sayso_wfeat *f, uint64_t v)
{
    f->form = f->lower = f->shape = v;
    f->pre[0] = f->pre[1] = f->pre[2] = v;
    f->suf[0] = f->suf[1] = f->suf[2] = f->suf[3] = v;
    f->flags = 0;
}

#define BOS UINT64_C(0x1111)
#define EOS UINT64_C(0x2222)

static void context_word(const sayso_ent_word *w, size_t n, long i, sayso_wfeat *f)
{
    if (i < 0) edge(f, BOS + (uint64_t)(-i - 1));
    else if ((size_t)i >= n) edge(f, EOS + (uint64_t)i - n);
    else sayso_word_features(w[i].s, w[i].len, f);
}

/* The features of the name w[first..last] of w[0..n) (first <= last < n),
 * at most NFEAT of them: the words of the span (each, up to SPAN_WORDS of
 * them: its lower case, shape, first and last three letters), the first
 * and the last word, the first two together, the whole name, the shapes in
 * a row, the length; three words either side, and the ones that touch the
 * span's edges, alone and with the span's first or last word. */
static size_t features(const sayso_ent_word *w, size_t n, size_t first, size_t last, uint64_t *f)
{
    size_t lastlen = w[last].len, nx = last + 1;
    uint64_t poss = 0;
    size_t tail = poss_tail(w[last].s, lastlen);
    if (tail) {
        lastlen -= tail;
        poss = 1;
    } else if (nx < n && is_poss(w[nx].s, w[nx].len)) {
        poss = 1;
        nx++;
    }
    size_t len = last - first + 1, nsel = len < SPAN_WORDS ? len : SPAN_WORDS;
    uint64_t lenc = len < LEN_CAP ? len : LEN_CAP;
    sayso_wfeat fw, lw, mid, p1, p2, p3, n1, n2, n3;
    uint64_t shapes = UINT64_C(0x51), name = UINT64_C(0x52);
    uint32_t flags = 0;
    size_t k = 0;
    sayso_word_features(w[first].s, first == last ? lastlen : w[first].len, &fw);
    if (first == last) lw = fw;
    else sayso_word_features(w[last].s, lastlen, &lw);
    f[k++] = sayso_f1(1, 0);
    for (size_t j = 0; j < nsel; j++) {
        const sayso_wfeat *x = &mid;
        if (j == 0) x = &fw;
        else if (j + 1 == nsel) x = &lw;
        else sayso_word_features(w[first + j].s, w[first + j].len, &mid);
        f[k++] = sayso_f1(2, x->lower);
        f[k++] = sayso_f1(3, x->shape);
        f[k++] = sayso_f1(4, x->suf[2]);
        f[k++] = sayso_f1(5, x->pre[2]);
        if (j == 1) f[k++] = sayso_f2(6, fw.lower, x->lower);
        shapes = sayso_mix64(shapes ^ x->shape);
        name = sayso_mix64(name ^ x->lower);
        flags |= x->flags & (SAYSO_WF_ALLCAPS | SAYSO_WF_DIGIT | SAYSO_WF_HYPHEN | SAYSO_WF_NONASCII |
                             SAYSO_WF_PUNCT);
    }
    context_word(w, n, (long)first - 1, &p1);
    context_word(w, n, (long)first - 2, &p2);
    context_word(w, n, (long)first - 3, &p3);
    context_word(w, n, (long)nx, &n1);
    context_word(w, n, (long)nx + 1, &n2);
    context_word(w, n, (long)nx + 2, &n3);
    /* the span */
    f[k++] = sayso_f1(10, fw.lower);
    f[k++] = sayso_f1(11, lw.lower);
    f[k++] = sayso_f1(12, name);
    f[k++] = sayso_f1(13, lenc);
    f[k++] = sayso_f1(14, fw.shape);
    f[k++] = sayso_f1(15, lw.shape);
    f[k++] = sayso_f1(16, shapes);
    f[k++] = sayso_f2(17, flags, lenc);
    f[k++] = sayso_f1(18, lw.suf[1]);
    f[k++] = sayso_f1(19, lw.suf[2]);
    f[k++] = sayso_f1(20, lw.suf[3]);
    f[k++] = sayso_f1(21, fw.suf[2]);
    f[k++] = sayso_f1(22, fw.pre[2]);
    f[k++] = sayso_f2(23, first == 0, fw.lower);
    f[k++] = sayso_f2(24, poss, lenc);
    /* before it */
    f[k++] = sayso_f1(30, p1.lower);
    f[k++] = sayso_f1(31, p2.lower);
    f[k++] = sayso_f1(32, p3.lower);
    f[k++] = sayso_f1(33, p1.shape);
    f[k++] = sayso_f1(34, p1.suf[2]);
    f[k++] = sayso_f2(35, p2.lower, p1.lower);
    f[k++] = sayso_f2(36, p1.lower, fw.lower);
    f[k++] = sayso_f3(37, p2.lower, p1.lower, fw.lower);
    f[k++] = sayso_f2(38, p1.lower, fw.shape);
    f[k++] = sayso_f2(39, p1.lower, shapes);
    f[k++] = sayso_f2(40, p1.lower, lenc);
    /* after it */
    f[k++] = sayso_f1(50, n1.lower);
    f[k++] = sayso_f1(51, n2.lower);
    f[k++] = sayso_f1(52, n3.lower);
    f[k++] = sayso_f1(53, n1.shape);
    f[k++] = sayso_f2(54, n1.lower, n2.lower);
    f[k++] = sayso_f2(55, lw.lower, n1.lower);
    f[k++] = sayso_f2(56, lw.suf[2], n1.lower);
    f[k++] = sayso_f2(57, lw.shape, n1.lower);
    f[k++] = sayso_f2(58, poss, n1.lower);
    return k;
}

/* ---- run time ------------------------------------------------------------- */

sayso_entities *sayso_entities_open(const sayso_model *m, char *err, size_t errlen)
{
    const meta *mt = sayso_model_need(m, "meta", sizeof(meta), NULL, err, errlen);
    if (!mt) return NULL;
    if (mt->nclass != SAYSO_ENT_COUNT || mt->span_words != SPAN_WORDS || mt->len_cap != LEN_CAP ||
        mt->feature_set != FEATURE_SET) {
        snprintf(err, errlen, "corrupt entities model: its meta section has the wrong shape (made with other "
                              "features or classes)");
        return NULL;
    }
    sayso_entities *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (sayso_ptab_open(&e->tab, m, "ent", err, errlen) < 0) {
        sayso_entities_free(e);
        return NULL;
    }
    if (e->tab.nclass != SAYSO_ENT_COUNT || e->tab.kind != SAYSO_PTAB_DENSE) {
        snprintf(err, errlen, "corrupt entities model: feature table of the wrong shape (%u classes, not %d)",
                 e->tab.nclass, SAYSO_ENT_COUNT);
        sayso_entities_free(e);
        return NULL;
    }
    return e;
}

void sayso_entities_free(sayso_entities *e)
{
    if (!e) return;
    sayso_ptab_close(&e->tab);
    free(e);
}

int sayso_entities_classify(const sayso_entities *e, const sayso_ent_word *w, size_t n, size_t first, size_t last,
                            float *scores)
{
    if (!e || !w || first > last || last >= n) {
        if (scores)
            for (int c = 0; c < SAYSO_ENT_COUNT; c++) scores[c] = 0;
        return SAYSO_ENT_NONE;
    }
    uint64_t f[NFEAT];
    size_t nf = features(w, n, first, last, f);
    int32_t s[SAYSO_ENT_COUNT] = {0};
    sayso_ptab_score(&e->tab, f, nf, s);
    int best = 0;
    for (int c = 1; c < SAYSO_ENT_COUNT; c++)
        if (s[c] > s[best]) best = c;
    if (scores)
        for (int c = 0; c < SAYSO_ENT_COUNT; c++) scores[c] = (float)s[c] * e->tab.scale;
    return best;
}

/* ---- corpora -------------------------------------------------------------- */

/* The token files of a split, read once: words point into the files'
 * bytes, which are kept. */
typedef struct {
    char **buf;
    size_t nbuf;
    sayso_ent_word *w;
    uint8_t *lab;         /* SAYSO_ENT_*: NONE for O and the numeric labels */
    size_t nw, capw;
    size_t *sent;         /* first word of each sentence; sent[nsent] = nw */
    size_t nsent, caps;
    size_t *doc;          /* first sentence of each file; doc[files] = nsent */
    size_t files;
} corpus;

static void corpus_free(corpus *c)
{
    for (size_t i = 0; i < c->nbuf; i++) free(c->buf[i]);
    free(c->buf);
    free(c->w);
    free(c->lab);
    free(c->sent);
    free(c->doc);
    memset(c, 0, sizeof *c);
}

static int label_of(const char *s, size_t n)
{
    static const struct { const char *name; int c; } map[] = {
        {"PERSON", SAYSO_ENT_PERSON}, {"ORGANIZATION", SAYSO_ENT_ORG},
        {"LOCATION", SAYSO_ENT_LOC},  {"MISC", SAYSO_ENT_MISC},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strlen(map[i].name) == n && memcmp(map[i].name, s, n) == 0) return map[i].c;
    return SAYSO_ENT_NONE;
}

/* Penn Treebank escapes back to the characters sayso's tokens hold;
 * rewritten in place (each is shorter). */
static void unescape(char *s, uint32_t *n)
{
    static const struct { const char *ptb, *c; } map[] = {
        {"``", "\""}, {"''", "\""}, {"-LRB-", "("}, {"-RRB-", ")"}, {"-LSB-", "["},
        {"-RSB-", "]"}, {"-LCB-", "{"}, {"-RCB-", "}"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strlen(map[i].ptb) == *n && memcmp(map[i].ptb, s, *n) == 0) {
            *n = (uint32_t)strlen(map[i].c);
            memcpy(s, map[i].c, *n);
            return;
        }
}

/* Closes the sentence under way, unless it is empty. */
static int end_sentence(corpus *c)
{
    if (c->nw == c->sent[c->nsent]) return 0;
    if (c->nsent + 2 > c->caps) {
        size_t *ns = realloc(c->sent, c->caps * 2 * sizeof *ns);
        if (!ns) return -1;
        c->sent = ns;
        c->caps *= 2;
    }
    c->sent[++c->nsent] = c->nw;
    return 0;
}

/* Parses one file's bytes (kept by c). Returns the number of malformed
 * lines, or -1 when out of memory. */
static long corpus_parse(corpus *c, char *text, size_t len)
{
    long bad = 0;
    size_t line = 0;
    for (size_t at = 0; at < len; line++) {
        char *s = text + at, *nl = memchr(s, '\n', len - at);
        size_t n = nl ? (size_t)(nl - s) : len - at;
        at += n + 1;
        if (n && s[n - 1] == '\r') n--;
        if (line == 0 && n && s[0] == '#') continue; /* the header */
        if (!n) {
            if (end_sentence(c) < 0) return -1;
            continue;
        }
        char *field[5];
        size_t flen[5], nfield = 0;
        char *p = s, *end = s + n;
        while (nfield < 5) {
            char *tab = memchr(p, '\t', (size_t)(end - p));
            field[nfield] = p;
            flen[nfield] = tab ? (size_t)(tab - p) : (size_t)(end - p);
            nfield++;
            if (!tab) break;
            p = tab + 1;
        }
        if (nfield < 5 || !flen[0] || flen[0] > UINT32_MAX) {
            bad++;
            continue;
        }
        if (c->nw == c->capw) {
            size_t nc = c->capw ? c->capw * 2 : 65536;
            sayso_ent_word *nw = realloc(c->w, nc * sizeof *nw);
            if (!nw) return -1;
            c->w = nw;
            uint8_t *nlab = realloc(c->lab, nc);
            if (!nlab) return -1;
            c->lab = nlab;
            c->capw = nc;
        }
        uint32_t wl = (uint32_t)flen[0];
        unescape(field[0], &wl);
        c->w[c->nw] = (sayso_ent_word){field[0], wl};
        c->lab[c->nw] = (uint8_t)label_of(field[4], flen[4]);
        c->nw++;
    }
    return end_sentence(c) < 0 ? -1 : bad;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Reads dir/corenlp-tokens/NAME.tsv (or dir/NAME.tsv) in name order. */
static int corpus_load(const char *dir, corpus *c, FILE *warn, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    char base[4096], path[8192];
    struct stat st;
    snprintf(base, sizeof base, "%s/corenlp-tokens", dir);
    if (stat(base, &st) != 0 || !S_ISDIR(st.st_mode)) snprintf(base, sizeof base, "%s", dir);
    DIR *d = opendir(base);
    if (!d) {
        snprintf(err, errlen, "%s: %s", base, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t nn = 0, capn = 0;
    int rc = 0;
    c->caps = 4096;
    if (!(c->sent = malloc(c->caps * sizeof *c->sent))) rc = -1;
    else c->sent[0] = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".tsv") != 0) continue;
        if (nn == capn) {
            size_t nc = capn ? capn * 2 : 256;
            char **nm = realloc(names, nc * sizeof *nm);
            if (!nm) { rc = -1; break; }
            names = nm;
            capn = nc;
        }
        if (!(names[nn] = strdup(de->d_name))) { rc = -1; break; }
        nn++;
    }
    closedir(d);
    if (rc == 0 && nn) {
        qsort(names, nn, sizeof *names, cmp_str);
        c->buf = calloc(nn, sizeof *c->buf);
        c->doc = calloc(nn + 1, sizeof *c->doc);
        if (!c->buf || !c->doc) rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < nn; i++) {
        snprintf(path, sizeof path, "%s/%s", base, names[i]);
        size_t len = 0;
        char *text = sayso_read_file(path, &len);
        if (!text) {
            if (warn) fprintf(warn, "%s: %s; skipped\n", path, errno ? strerror(errno) : "cannot be read");
            continue;
        }
        c->buf[c->nbuf++] = text;
        long bad = corpus_parse(c, text, len);
        if (bad < 0) rc = -1;
        else if (bad && warn) fprintf(warn, "%s: %ld malformed lines skipped\n", path, bad);
        c->doc[++c->files] = c->nsent;
    }
    for (size_t i = 0; i < nn; i++) free(names[i]);
    free(names);
    if (rc < 0) {
        snprintf(err, errlen, "out of memory");
        corpus_free(c);
        return -1;
    }
    if (!c->files || !c->nw) {
        snprintf(err, errlen, "%s: no CoreNLP token files (NAME.tsv: word, begin, end, POS, NER)", base);
        corpus_free(c);
        return -1;
    }
    return 0;
}

/* ---- examples --------------------------------------------------------------- */

/* First character an upper-case letter, in any script. */
static int capitalised(const char *s, size_t n)
{
    if (!n) return 0;
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) return c >= 'A' && c <= 'Z';
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp) < 0) return 0;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

/* Some upper-case letter anywhere ("iPhone", "McCain", "U.S."). */
static int has_upper(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z') return 1;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            i++;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT) return 1;
        i += (size_t)k;
    }
    return 0;
}

enum { EX_RUN = 0, EX_STRETCHED = 1 };

/* One example of a document, before its label is settled. */
typedef struct {
    uint64_t key;          /* the span's words, lower case (EX_RUN) */
    uint32_t sent, first, last;
    uint32_t of;           /* EX_STRETCHED: the run it stretches */
    uint8_t cls, raw, kind;
} rawex;

typedef struct {
    uint64_t key;
    uint32_t i;
} keyed;

typedef struct {
    rawex *v;
    size_t n, cap;
    keyed *order;          /* scratch: the runs sorted by key */
    size_t ordercap;
} rawset;

static int rawset_add(rawset *r, const rawex *e)
{
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 1024;
        rawex *nv = realloc(r->v, nc * sizeof *nv);
        if (!nv) return -1;
        r->v = nv;
        r->cap = nc;
    }
    r->v[r->n++] = *e;
    return 0;
}

static uint64_t span_key(const sayso_ent_word *w, size_t first, size_t last)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = first; i <= last; i++) {
        for (size_t k = 0; k < w[i].len; k++) {
            unsigned char c = (unsigned char)w[i].s[k];
            if (c >= 'A' && c <= 'Z') c += 32;
            h = (h ^ c) * UINT64_C(0x100000001b3);
        }
        h = (h ^ ' ') * UINT64_C(0x100000001b3);
    }
    return sayso_mix64(h);
}

/* The examples of sentence w[0..m) (labels lab), number sent, in order. */
static int sentence_examples(const sayso_ent_word *w, const uint8_t *lab, size_t m, uint32_t sent, rawset *r)
{
    for (size_t i = 0; i < m;) {
        if (lab[i] != SAYSO_ENT_NONE) {
            size_t j = i;
            while (j + 1 < m && lab[j + 1] == lab[i]) j++;
            size_t a = i, b = j;
            while (a <= b && !has_upper(w[a].s, w[a].len)) a++;
            while (b > a && !has_upper(w[b].s, w[b].len)) b--;
            if (a <= b) {
                rawex e = {span_key(w, a, b), sent, (uint32_t)a, (uint32_t)b, 0, lab[i], lab[i], EX_RUN};
                if (rawset_add(r, &e) < 0) return -1;
                size_t l = a, rt = b;
                while (a - l < EXT_LEFT && l > 0 && lab[l - 1] == SAYSO_ENT_NONE &&
                       capitalised(w[l - 1].s, w[l - 1].len))
                    l--;
                while (rt - b < EXT_RIGHT && rt + 1 < m && lab[rt + 1] == SAYSO_ENT_NONE &&
                       capitalised(w[rt + 1].s, w[rt + 1].len))
                    rt++;
                if (l < a || rt > b) {
                    rawex x = {0, sent, (uint32_t)l, (uint32_t)rt, (uint32_t)(r->n - 1), lab[i], lab[i],
                               EX_STRETCHED};
                    if (rawset_add(r, &x) < 0) return -1;
                }
            }
            i = j + 1;
        } else if (capitalised(w[i].s, w[i].len)) {
            size_t j = i;
            while (j + 1 < m && lab[j + 1] == SAYSO_ENT_NONE && capitalised(w[j + 1].s, w[j + 1].len)) j++;
            rawex e = {span_key(w, i, j), sent, (uint32_t)i, (uint32_t)j, 0, SAYSO_ENT_NONE, SAYSO_ENT_NONE, EX_RUN};
            if (rawset_add(r, &e) < 0) return -1;
            i = j + 1;
        } else {
            i++;
        }
    }
    return 0;
}

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* One document's labels made consistent: a name CoreNLP gives an entity
 * class at least as often as none, in one article, takes its commonest
 * entity class everywhere in that article. CoreNLP misses names that are
 * also words ("Trump said Friday..." left O beside "Trump" PERSON) and
 * wavers between classes for one name; its guess that most often calls
 * the name an entity is the better one. Names it never calls entities keep
 * their labels. */
static int settle_labels(rawset *r)
{
    if (r->n > r->ordercap) {
        keyed *no = realloc(r->order, r->n * sizeof *no);
        if (!no) return -1;
        r->order = no;
        r->ordercap = r->n;
    }
    size_t m = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].kind == EX_RUN) r->order[m++] = (keyed){r->v[i].key, (uint32_t)i};
    if (m > 1) qsort(r->order, m, sizeof *r->order, cmp_keyed);
    for (size_t a = 0; a < m;) {
        size_t b = a;
        size_t count[SAYSO_ENT_COUNT] = {0};
        while (b < m && r->order[b].key == r->order[a].key) count[r->v[r->order[b++].i].raw]++;
        int best = SAYSO_ENT_PERSON;
        for (int c = 1; c < SAYSO_ENT_NONE; c++)
            if (count[c] > count[best]) best = c;
        if (count[best] && count[best] >= count[SAYSO_ENT_NONE])
            for (size_t k = a; k < b; k++) r->v[r->order[k].i].cls = (uint8_t)best;
        a = b;
    }
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].kind == EX_STRETCHED) r->v[i].cls = r->v[r->v[i].of].cls;
    return 0;
}

/* Calls fn for each example of the corpus, in order, with its settled
 * class and CoreNLP's. Returns fn's first non-zero return, or -1 when out
 * of memory. */
typedef int (*example_fn)(void *ctx, const sayso_ent_word *w, size_t m, size_t first, size_t last, int cls, int raw,
                          int kind);

static int corpus_examples(const corpus *c, example_fn fn, void *ctx)
{
    rawset r = {0};
    int rc = 0;
    for (size_t d = 0; d < c->files && !rc; d++) {
        r.n = 0;
        for (size_t s = c->doc[d]; s < c->doc[d + 1] && !rc; s++)
            rc = sentence_examples(c->w + c->sent[s], c->lab + c->sent[s], c->sent[s + 1] - c->sent[s], (uint32_t)s,
                                   &r);
        if (!rc) rc = settle_labels(&r);
        for (size_t i = 0; i < r.n && !rc; i++) {
            const rawex *e = &r.v[i];
            rc = fn(ctx, c->w + c->sent[e->sent], c->sent[e->sent + 1] - c->sent[e->sent], e->first, e->last, e->cls,
                    e->raw, e->kind);
        }
    }
    free(r.v);
    free(r.order);
    return rc;
}

/* ---- scores ------------------------------------------------------------------ */

typedef struct {
    const sayso_entities *e;
    sayso_entities_scores *runs, *stretched;
} eval_ctx;

static int eval_one(void *ctx, const sayso_ent_word *w, size_t m, size_t first, size_t last, int cls, int raw,
                    int kind)
{
    eval_ctx *ec = ctx;
    int got = sayso_entities_classify(ec->e, w, m, first, last, NULL);
    sayso_entities_scores *s = kind == EX_RUN ? ec->runs : ec->stretched;
    s->confusion[cls][got]++;
    s->n++;
    s->relabelled += cls != raw;
    s->right_raw += got == raw;
    return 0;
}

static void finish_scores(sayso_entities_scores *s)
{
    size_t right = 0;
    for (int c = 0; c < SAYSO_ENT_COUNT; c++) right += s->confusion[c][c];
    s->accuracy = s->n ? (double)right / (double)s->n : 0;
    s->accuracy_raw = s->n ? (double)s->right_raw / (double)s->n : 0;
}

static int eval_corpus(const sayso_entities *e, const corpus *c, sayso_entities_scores *runs,
                       sayso_entities_scores *stretched)
{
    memset(runs, 0, sizeof *runs);
    memset(stretched, 0, sizeof *stretched);
    eval_ctx ec = {e, runs, stretched};
    if (corpus_examples(c, eval_one, &ec) != 0) return -1;
    finish_scores(runs);
    finish_scores(stretched);
    return 0;
}

int sayso_entities_eval(const sayso_entities *e, const char *dir, sayso_entities_scores *out, FILE *warn, char *err,
                        size_t errlen)
{
    corpus c;
    if (corpus_load(dir, &c, warn, err, errlen) < 0) return -1;
    sayso_entities_scores stretched;
    int rc = eval_corpus(e, &c, out, &stretched);
    corpus_free(&c);
    if (rc < 0) snprintf(err, errlen, "out of memory");
    return rc;
}

void sayso_entities_scores_print(const sayso_entities_scores *s, FILE *out)
{
    fprintf(out, "accuracy %.4f (%zu names; %zu of them relabelled for consistency within their article; "
                 "against CoreNLP's labels as they are: %.4f)\n",
            s->accuracy, s->n, s->relabelled, s->accuracy_raw);
    fprintf(out, "%-8s %9s %9s %9s %8s %8s\n", "class", "precision", "recall", "F1", "gold", "found");
    for (int c = 0; c < SAYSO_ENT_COUNT; c++) {
        size_t gold = 0, found = 0, right = s->confusion[c][c];
        for (int d = 0; d < SAYSO_ENT_COUNT; d++) {
            gold += s->confusion[c][d];
            found += s->confusion[d][c];
        }
        double p = found ? (double)right / (double)found : 0, r = gold ? (double)right / (double)gold : 0;
        double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
        fprintf(out, "%-8s %9.4f %9.4f %9.4f %8zu %8zu\n", sayso_ent_names[c], p, r, f1, gold, found);
    }
    fprintf(out, "confusion (rows: gold, columns: found)\n%-8s", "");
    for (int c = 0; c < SAYSO_ENT_COUNT; c++) fprintf(out, " %7s", sayso_ent_names[c]);
    fputc('\n', out);
    for (int c = 0; c < SAYSO_ENT_COUNT; c++) {
        fprintf(out, "%-8s", sayso_ent_names[c]);
        for (int d = 0; d < SAYSO_ENT_COUNT; d++) fprintf(out, " %7zu", s->confusion[c][d]);
        fputc('\n', out);
    }
}

/* ---- training ---------------------------------------------------------------- */

/* The training examples as feature lists, made once: the features do not
 * depend on the weights. */
typedef struct {
    uint64_t *f;
    size_t nf, capf;
    uint32_t *off;     /* example i: f[off[i] .. off[i + 1]) */
    uint8_t *cls;
    size_t n, cap;
    size_t count[2][SAYSO_ENT_COUNT]; /* by kind and class */
    size_t relabelled;
} exset;

static void exset_free(exset *x)
{
    free(x->f);
    free(x->off);
    free(x->cls);
    memset(x, 0, sizeof *x);
}

static int collect_one(void *ctx, const sayso_ent_word *w, size_t m, size_t first, size_t last, int cls, int raw,
                       int kind)
{

    exset *x = ctx;
    if (x->nf + NFEAT > x->capf) {
        size_t nc = x->capf ? x->capf * 2 : (size_t)1 << 20;
        if (nc > UINT32_MAX) return -1;
        uint64_t *nfp = realloc(x->f, nc * sizeof *nfp);
        if (!nfp) return -1;
        x->f = nfp;
        x->capf = nc;
    }
    if (x->n + 2 > x->cap) {
        size_t nc = x->cap ? x->cap * 2 : 65536;
        uint32_t *no = realloc(x->off, nc * sizeof *no);
        if (!no) return -1;
        x->off = no;
        uint8_t *ncl = realloc(x->cls, nc);
        if (!ncl) return -1;
        x->cls = ncl;
        x->cap = nc;
    }
    if (!x->n) x->off[0] = 0;
    x->nf += features(w, m, first, last, x->f + x->nf);
    x->cls[x->n] = (uint8_t)cls;
    x->off[++x->n] = (uint32_t)x->nf;
    x->count[kind][cls]++;
    x->relabelled += kind == EX_RUN && cls != raw;
    return 0;
}

static double seconds_since(struct timespec t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

/* The model as it stands: averaged, quantised, pruned. */
static sayso_model_writer *make_model(const sayso_percep *pc, long *rows)
{
    sayso_model_writer *w = sayso_model_writer_new(SAYSO_ENTITIES_KIND, SAYSO_ENTITIES_VERSION);
    if (!w) return NULL;
    meta mt = {SAYSO_ENT_COUNT, SPAN_WORDS, LEN_CAP, FEATURE_SET, {0, 0, 0, 0}};
    long kept = -1;
    if (sayso_model_writer_add(w, "meta", &mt, sizeof mt) < 0 ||
        (kept = sayso_percep_write_packed(pc, w, "ent", SAYSO_PTAB_DENSE, PRUNE)) < 0) {
        sayso_model_writer_free(w);
        return NULL;
    }
    if (rows) *rows = kept;
    return w;
}

/* Scores the model of writer mw on the held-out corpus (from an aligned
 * copy of its bytes: models are read in place). */
static int score_model(sayso_model_writer *mw, const corpus *dev, sayso_entities_scores *runs,
                       sayso_entities_scores *stretched, char *err, size_t errlen)
{
    size_t len;
    const void *bytes = sayso_model_writer_bytes(mw, &len);
    void *buf = NULL;
    if (!bytes || posix_memalign(&buf, 64, len) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(buf, bytes, len);
    sayso_model m;
    sayso_entities *e = NULL;
    if (sayso_model_open_mem(&m, buf, len, SAYSO_ENTITIES_KIND, SAYSO_ENTITIES_VERSION, err, errlen) < 0) {
        free(buf);
        return -1;
    }
    int rc = -1;
    if ((e = sayso_entities_open(&m, err, errlen))) {
        rc = eval_corpus(e, dev, runs, stretched);
        if (rc < 0) snprintf(err, errlen, "out of memory");
    }
    sayso_entities_free(e);
    sayso_model_close(&m);
    free(buf);
    return rc;
}

int sayso_entities_train(const sayso_entities_train_opts *o, FILE *progress, sayso_entities_scores *dev_out,
                         char *err, size_t errlen)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (dev_out) memset(dev_out, 0, sizeof *dev_out);
    int epochs = o->epochs > 0 ? o->epochs : SAYSO_ENTITIES_EPOCHS;
    corpus train, dev;
    memset(&dev, 0, sizeof dev);
    exset x;
    memset(&x, 0, sizeof x);
    sayso_percep *pc = NULL;
    size_t *order = NULL;
    sayso_model_writer *mw = NULL;
    int rc = -1;
    if (corpus_load(o->train_dir, &train, progress, err, errlen) < 0) return -1;
    if (corpus_examples(&train, collect_one, &x) != 0) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    if (progress) {
        fprintf(progress, "entities: %zu files, %zu sentences, %zu names:", train.files, train.nsent, x.n);
        for (int c = 0; c < SAYSO_ENT_COUNT; c++)
            fprintf(progress, " %s %zu%s", sayso_ent_names[c], x.count[EX_RUN][c], c + 1 < SAYSO_ENT_COUNT ? "," : "");
        size_t st = 0;
        for (int c = 0; c < SAYSO_ENT_COUNT; c++) st += x.count[EX_STRETCHED][c];
        fprintf(progress, "; %zu stretched over a capitalised word beside them; %zu relabelled for consistency within "
                          "their article\n", st, x.relabelled);
    }
    corpus_free(&train);
    if (!x.n) {
        snprintf(err, errlen, "%s: no names to learn from", o->train_dir);
        goto done;
    }
    if (o->dev_dir && corpus_load(o->dev_dir, &dev, progress, err, errlen) < 0) goto done;
    pc = sayso_percep_new(SAYSO_ENT_COUNT);
    order = malloc(x.n * sizeof *order);
    if (!pc || !order) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < x.n; i++) order[i] = i;
    uint64_t rng = o->seed;
    sayso_entities_scores runs, stretched;
    for (int ep = 1; ep <= epochs; ep++) {
        for (size_t i = x.n; i > 1; i--) {
            size_t j = (size_t)(sayso_rand(&rng) % i), t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        size_t right = 0;
        for (size_t k = 0; k < x.n; k++) {
            size_t i = order[k];
            const uint64_t *f = x.f + x.off[i];
            size_t nf = x.off[i + 1] - x.off[i];
            float sc[SAYSO_ENT_COUNT] = {0};
            sayso_percep_score(pc, f, nf, sc);
            uint32_t got = 0, want = x.cls[i];
            for (uint32_t c = 1; c < SAYSO_ENT_COUNT; c++)
                if (sc[c] > sc[got]) got = c;
            if (got != want) {
                if (sayso_percep_update(pc, f, nf, want, 1.0f) < 0 || sayso_percep_update(pc, f, nf, got, -1.0f) < 0) {
                    snprintf(err, errlen, "out of memory");
                    goto done;
                }
            } else {
                right++;
            }
            sayso_percep_tick(pc);
        }
        if (progress) {
            fprintf(progress, "entities epoch %d/%d  %6.1fs  train %.4f  features %zu", ep, epochs,
                    seconds_since(t0), (double)right / (double)x.n, sayso_percep_nfeatures(pc));
            if (o->dev_dir && ep < epochs) {
                sayso_model_writer *w = make_model(pc, NULL);
                if (!w) {
                    snprintf(err, errlen, "out of memory");
                    goto done;
                }
                int r = score_model(w, &dev, &runs, &stretched, err, errlen);
                sayso_model_writer_free(w);
                if (r < 0) goto done;
                fprintf(progress, "  dev %.4f", runs.accuracy);
            }
            fputc('\n', progress);
            fflush(progress);
        }
    }
    long rows = 0;
    if (!(mw = make_model(pc, &rows))) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    if (o->dev_dir) {
        if (score_model(mw, &dev, &runs, &stretched, err, errlen) < 0) goto done;
        if (dev_out) *dev_out = runs;
        if (progress) {
            fprintf(progress, "entities held out (%s):\n", o->dev_dir);
            sayso_entities_scores_print(&runs, progress);
            fprintf(progress, "stretched over a capitalised word beside them: accuracy %.4f (%zu names)\n",
                    stretched.accuracy, stretched.n);
        }
    }
    size_t len = 0;
    sayso_model_writer_bytes(mw, &len);
    if (progress)
        fprintf(progress, "entities model: %ld of %zu features kept, %zu bytes  %.1fs\n", rows,
                sayso_percep_nfeatures(pc), len, seconds_since(t0));
    if (sayso_model_writer_save(mw, o->out, err, errlen) < 0) goto done;
    rc = 0;
done:
    sayso_model_writer_free(mw);
    free(order);
    sayso_percep_free(pc);
    exset_free(&x);
    corpus_free(&dev);
    corpus_free(&train);
    return rc;
}
