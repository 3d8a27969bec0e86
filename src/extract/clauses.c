/*
 * clauses.c — tagging and parsing an article's sentences, and the parse
 * read back onto its tokens (clauses.h).
 *
 * sayso's tokens and the treebank's words differ in two ways, both mended
 * here rather than in the tokeniser, whose tokens every other stage reads:
 * the treebank splits clitics ("Teigen’s" is Teigen + ’s, "don't" is do +
 * n't) and hyphenated compounds ("41-year-old" is 41 - year - old, but
 * "e-mail" stays whole), and it keeps abbreviations whole ("Sen.",
 * "U.S.", "F.B.I."), which the tokeniser cuts at their periods. So a token
 * may give several words and several tokens one word. Each token then takes
 * the syntax of its word whose head lies outside the token; the other
 * tokens of a merged word hang on its first token.
 *
 * A sentence longer than CHUNK words is parsed in pieces: greedy parsing is
 * linear, but the trees of run-on "sentences" (lists, tables, text without
 * punctuation) mean nothing, and the pieces bound the working memory.
 */
#include <stdlib.h>
#include <string.h>
#include "clauses.h"
#include "parser.h"
#include "tagger.h"

#define CHUNK 200

static const char *const rel_names[R_NREL] = {
    "_", "root", "nsubj", "nsubj:pass", "csubj", "obj", "iobj", "ccomp", "xcomp", "obl", "obl:agent",
    "obl:tmod", "advcl", "advmod", "aux", "aux:pass", "cop", "mark", "nmod", "nmod:poss", "appos", "amod",
    "nummod", "acl", "acl:relcl", "det", "case", "conj", "cc", "parataxis", "punct", "compound",
    "compound:prt", "flat", "fixed", "expl", "discourse", "vocative", "list", "dep"};

const char *sayso_rel_name(int r) { return r >= 0 && r < R_NREL ? rel_names[r] : "_"; }

int sayso_rel_of(const char *name)
{
    for (int r = 1; r < R_NREL; r++)
        if (strcmp(rel_names[r], name) == 0) return r;
    size_t n = strcspn(name, ":");
    for (int r = 1; r < R_NREL; r++)
        if (strlen(rel_names[r]) == n && strncmp(rel_names[r], name, n) == 0) return r;
    if (strcmp(name, "csubj:pass") == 0) return R_CSUBJ;
    return R_OTHER;
}

struct sayso_clausework {
    sayso_word *w;   size_t capw;
    int32_t *wtok;   size_t capwtok;  /* word -> its (first) token */
    int32_t *wlast;  size_t capwlast; /* word -> its last token */
    int32_t *tword;  size_t captword; /* token -> the word that speaks for it */
    int32_t *depth;  size_t capdepth;
    int32_t *order;  size_t caporder;
    int32_t *stack;  size_t capstack;
    int32_t *cnt;    size_t capcnt;
    uint8_t relmap[256];              /* parser label id -> R_* */
    const struct sayso_parser *mapped;
    sayso_syntax_ws ws;
};

sayso_clausework *sayso_clausework_new(void) { return calloc(1, sizeof(sayso_clausework)); }

void sayso_clausework_free(sayso_clausework *cw)
{
    if (!cw) return;
    free(cw->w);
    free(cw->wtok);
    free(cw->wlast);
    free(cw->tword);
    free(cw->depth);
    free(cw->order);
    free(cw->stack);
    free(cw->cnt);
    sayso_syntax_ws_free(&cw->ws);
    free(cw);
}

/* ---- tokens to words ---------------------------------------------------- */

static const char *const prefixes[] = {"e", "non", "pre", "mid", "re", "anti", "post", "co", "pro", "multi",
                                       "over", "ex", "semi", "sub", "neo", "cross", "vice", "un", "counter",
                                       "micro", "self", NULL};

static int is_prefix(const char *s, size_t n)
{
    for (int i = 0; prefixes[i]; i++) {
        size_t m = strlen(prefixes[i]);
        if (m != n) continue;
        size_t k = 0;
        while (k < n && (s[k] | 0x20) == prefixes[i][k]) k++;
        if (k == n) return 1;
    }
    return 0;
}

/* Length of an apostrophe at s[i] (' or ’), or 0. */
static size_t apostrophe(const char *s, size_t n, size_t i)
{
    if (i < n && s[i] == '\'') return 1;
    if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98))
        return 3;
    return 0;
}

/* Where the clitic of word s[0..n) starts ('s, n't, 're, 've, 'll, 'd,
 * 'm), or n when it has none. */
static size_t clitic_at(const char *s, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        size_t a = apostrophe(s, n, i);
        if (!a) continue;
        const char *r = s + i + a;
        size_t rn = n - i - a;
        if ((rn == 1 && ((r[0] | 0x20) == 's' || (r[0] | 0x20) == 'd' || (r[0] | 0x20) == 'm')) ||
            (rn == 2 && (((r[0] | 0x20) == 'r' && (r[1] | 0x20) == 'e') || ((r[0] | 0x20) == 'v' && (r[1] | 0x20) == 'e') ||
                         ((r[0] | 0x20) == 'l' && (r[1] | 0x20) == 'l'))))
            return i;
        if (rn == 1 && (r[0] | 0x20) == 't' && i >= 2 && (s[i - 1] | 0x20) == 'n') return i - 1; /* n't */
        return n;
    }
    return n;
}

static int push_word(sayso_clausework *cw, size_t *nw, const char *s, size_t n, int32_t first, int32_t last)
{
    if (sayso_grow((void **)&cw->w, &cw->capw, *nw + 1, sizeof *cw->w) < 0 ||
        sayso_grow((void **)&cw->wtok, &cw->capwtok, *nw + 1, sizeof *cw->wtok) < 0 ||
        sayso_grow((void **)&cw->wlast, &cw->capwlast, *nw + 1, sizeof *cw->wlast) < 0)
        return -1;
    memset(&cw->w[*nw], 0, sizeof cw->w[*nw]);
    cw->w[*nw].s = s;
    cw->w[*nw].n = (uint32_t)n;
    cw->wtok[*nw] = first;
    cw->wlast[*nw] = last;
    (*nw)++;
    return 0;
}

/* The words of tokens [f, l]. */
static int make_words(sayso_clausework *cw, const doc *d, int32_t f, int32_t l, size_t *nw)
{
    *nw = 0;
    for (int32_t k = f; k <= l; k++) {
        const tok *t = &d->t[k];
        const char *s = d->text + t->b;
        size_t n = t->e - t->b;
        /* An abbreviation or initials: "Sen." / "U.S." / "F.B.I." */
        if (t->kind == TK_WORD && k < l && (d->t[k + 1].flags & TF_NOEND) && !(d->t[k + 1].flags & TF_SPACE) &&
            d->t[k + 1].ch == '.') {
            int32_t e = k + 1;
            while (e + 2 <= l && d->t[e + 1].kind == TK_WORD && !(d->t[e + 1].flags & TF_SPACE) &&
                   d->t[e + 1].e - d->t[e + 1].b <= 2 && d->t[e + 2].ch == '.' && !(d->t[e + 2].flags & TF_SPACE))
                e += 2;
            if (push_word(cw, nw, s, d->t[e].e - t->b, k, e) < 0) return -1;
            k = e;
            continue;
        }
        if (t->kind != TK_WORD || n < 2) {
            if (push_word(cw, nw, s, n, k, k) < 0) return -1;
            continue;
        }
        size_t c = clitic_at(s, n);
        /* hyphens: split unless after a prefix */
        size_t start = 0;
        if (t->flags & TF_HYPHEN) {
            for (size_t i = 1; i + 1 < c; i++) {
                if (s[i] != '-') continue;
                if (start == 0 && is_prefix(s, i)) continue;
                if (push_word(cw, nw, s + start, i - start, k, k) < 0 || push_word(cw, nw, s + i, 1, k, k) < 0) return -1;
                start = i + 1;
            }
        }
        if (push_word(cw, nw, s + start, c - start, k, k) < 0) return -1;
        if (c < n && push_word(cw, nw, s + c, n - c, k, k) < 0) return -1;
    }
    return 0;
}

/* ---- words back to tokens ----------------------------------------------- */

static void map_rels(sayso_clausework *cw, const struct sayso_parser *p)
{
    if (cw->mapped == p) return;
    memset(cw->relmap, R_OTHER, sizeof cw->relmap);
    unsigned n = sayso_parser_nlabels(p);
    for (unsigned i = 0; i < n && i < 256; i++) {
        const char *name = sayso_parser_label(p, i);
        cw->relmap[i] = (uint8_t)(name ? sayso_rel_of(name) : R_OTHER);
    }
    cw->mapped = p;
}

/* Token-level syntax of tokens [f, l] from the words [0, nw). A token
 * speaks through its word whose head lies outside the token (the first,
 * if several); the later tokens of a merged word hang on its first. */
static void to_tokens(sayso_clausework *cw, doc *d, int32_t f, int32_t l, size_t nw)
{
    for (int32_t k = f; k <= l; k++) cw->tword[k - f] = -1;
    for (size_t i = 0; i < nw; i++) {
        int32_t t = cw->wtok[i];
        for (int32_t x = t + 1; x <= cw->wlast[i]; x++) cw->tword[x - f] = (int32_t)i;
        int32_t cur = cw->tword[t - f];
        int16_t h = cw->w[i].head;
        int out = h < 0 || cw->wtok[h] != t;
        int cur_out = cur >= 0 && (cw->w[cur].head < 0 || cw->wtok[cw->w[cur].head] != t);
        if (cur < 0 || (out && !cur_out)) cw->tword[t - f] = (int32_t)i;
    }
    for (int32_t k = f; k <= l; k++) {
        int32_t i = cw->tword[k - f];
        tsyn *s = &d->syn[k];
        s->nkids = 0;
        s->sub_first = s->sub_last = k;
        if (i < 0) { s->head = -1; s->rel = R_ROOT; s->upos = SAYSO_X; continue; }
        s->upos = cw->w[i].upos;
        if (cw->wtok[i] != k) { /* a later token of a merged word */
            s->head = cw->wtok[i];
            s->rel = R_FLAT;
            continue;
        }
        int32_t h = cw->w[i].head;
        s->head = h < 0 ? -1 : cw->wtok[h];
        if (s->head == k) s->head = -1;
        s->rel = h < 0 ? R_ROOT : cw->relmap[cw->w[i].rel];
    }
}

/* Subtree extents and dependent counts, in O(n): the depth of every
 * token (each walk up stops at a token whose depth is known), then each
 * token, deepest first, widens its head's extent. */
static int extents(sayso_clausework *cw, doc *d, int32_t f, int32_t l)
{
    size_t n = (size_t)(l - f + 1);
    if (sayso_grow((void **)&cw->depth, &cw->capdepth, n, sizeof *cw->depth) < 0 ||
        sayso_grow((void **)&cw->order, &cw->caporder, n, sizeof *cw->order) < 0 ||
        sayso_grow((void **)&cw->stack, &cw->capstack, n, sizeof *cw->stack) < 0 ||
        sayso_grow((void **)&cw->cnt, &cw->capcnt, n + 1, sizeof *cw->cnt) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) cw->depth[i] = -1;
    for (int32_t k = f; k <= l; k++) {
        size_t p = 0;
        int32_t x = k;
        /* the parser makes trees; the bound only guards against a cycle */
        while (x >= f && x <= l && cw->depth[x - f] < 0 && p < n) { cw->stack[p++] = x; x = d->syn[x].head; }
        int32_t dd = x >= f && x <= l && cw->depth[x - f] >= 0 ? cw->depth[x - f] : -1;
        while (p) cw->depth[cw->stack[--p] - f] = ++dd < (int32_t)n ? dd : (int32_t)n - 1;
    }
    for (size_t i = 0; i <= n; i++) cw->cnt[i] = 0;
    for (size_t i = 0; i < n; i++) cw->cnt[cw->depth[i]]++;
    int32_t pos = 0;
    for (size_t dd = n; dd-- > 0;) { int32_t c = cw->cnt[dd]; cw->cnt[dd] = pos; pos += c; }
    for (int32_t k = f; k <= l; k++) cw->order[cw->cnt[cw->depth[k - f]]++] = k;
    for (size_t i = 0; i < n; i++) {
        int32_t k = cw->order[i], h = d->syn[k].head;
        if (h < f || h > l) continue;
        tsyn *hs = &d->syn[h];
        if (d->syn[k].sub_first < hs->sub_first) hs->sub_first = d->syn[k].sub_first;
        if (d->syn[k].sub_last > hs->sub_last) hs->sub_last = d->syn[k].sub_last;
        hs->nkids++;
    }
    return 0;
}

int sayso_clauses(doc *d, const struct sayso_tagger *tg, const struct sayso_parser *ps, sayso_clausework *cw)
{
    d->has_syn = 0;
    if (!tg || !ps || d->nt == 0) return 0;
    if (sayso_grow((void **)&d->syn, &d->capsyn, d->nt, sizeof *d->syn) < 0) return -1;
    map_rels(cw, ps);
    for (size_t s = 0; s < d->nsent; s++) {
        for (int32_t f = d->sent[s].first, l; f <= d->sent[s].last; f = l + 1) {
            l = d->sent[s].last;
            if (l - f + 1 > CHUNK) l = f + CHUNK - 1;
            size_t nw;
            if (sayso_grow((void **)&cw->tword, &cw->captword, (size_t)(l - f + 1), sizeof *cw->tword) < 0 ||
                make_words(cw, d, f, l, &nw) < 0)
                return -1;
            if (sayso_tagger_tag(tg, &cw->ws, cw->w, nw) < 0 || sayso_parser_parse(ps, &cw->ws, cw->w, nw) < 0)
                return -1;
            to_tokens(cw, d, f, l, nw);
            if (extents(cw, d, f, l) < 0) return -1;
        }
    }
    d->has_syn = 1;
    return 0;
}
