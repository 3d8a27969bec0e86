/*
 * quotes.c — pairs quotation marks into spans, one paragraph at a time.
 *
 * Why per paragraph: news paragraphs almost never contain a quotation that
 * is left open, so an unbalanced mark is best closed at the paragraph's end
 * instead of swallowing the rest of the article. The one exception is the
 * multi-paragraph quotation, recognised by the convention that every
 * continued paragraph opens with a mark again.
 */
#include <string.h>
#include "quotes.h"

enum { R_NONE = 0, R_OPEN, R_CLOSE };
enum { FAM_DOUBLE = 1, FAM_GUIL, FAM_SINGLE };

static int space_before(const doc *d, size_t k)
{
    return k == 0 || (d->t[k].flags & (TF_SPACE | TF_PARA)) ||
           (d->t[k - 1].kind == TK_PUNCT && (d->t[k - 1].ch == '(' || d->t[k - 1].ch == '[' ||
                                             d->t[k - 1].ch == 0x2014 || d->t[k - 1].ch == 0x2013));
}

static int space_after(const doc *d, size_t k)
{
    if (k + 1 >= d->nt) return 1;
    const tok *n = &d->t[k + 1];
    if (n->flags & (TF_SPACE | TF_PARA)) return 1;
    return n->kind == TK_PUNCT || n->kind == TK_MARK;
}

/* The family (double, guillemet, single) and role of a mark, from its shape
 * and the characters around it; 'open' says whether a span of the family is
 * pending, which settles the ambiguous straight marks. */
static int mark_role(const doc *d, size_t k, int *fam, int open_double, int open_single)
{
    const tok *t = &d->t[k];
    int sb = space_before(d, k), sa = space_after(d, k);
    switch (t->mark) {
    case M_LDQ: *fam = FAM_DOUBLE; return R_OPEN;
    case M_RDQ:
        *fam = FAM_DOUBLE;
        /* ”Word at the start of a paragraph or after a space: a wrong mark
         * used as an opener. */
        if (sb && !sa && !open_double) return R_OPEN;
        return R_CLOSE;
    case M_DQ:
        *fam = FAM_DOUBLE;
        /* 6'4" and 12" records: inch marks, not quotation marks. */
        if (!sb && k > 0 && d->t[k - 1].kind == TK_NUM) return R_NONE;
        if (sb && !sa) return R_OPEN;
        if (!sb && sa) return R_CLOSE;
        return open_double ? R_CLOSE : R_OPEN;
    case M_LGU: *fam = FAM_GUIL; return R_OPEN;
    case M_RGU: *fam = FAM_GUIL; return R_CLOSE;
    case M_LSQ: *fam = FAM_SINGLE; return sb || !open_single ? R_OPEN : R_CLOSE;
    case M_RSQ: case M_SQ:
        *fam = FAM_SINGLE;
        if (!sb && k > 0 && d->t[k - 1].kind == TK_NUM) return R_NONE; /* feet: 6' */
        if (sb && !sa && t->mark == M_SQ) return R_OPEN;
        if (!sb && sa) {
            /* babies’ and Jones' are apostrophes unless a single quotation is open. */
            return open_single ? R_CLOSE : R_NONE;
        }
        return R_NONE;
    default: return R_NONE;
    }
}

/* A transcript line: "NAME: words — the speaker label opens a new turn. */
static int transcript_label(const doc *d, size_t k)
{
    size_t j = k + 1, n = 0;
    while (j < d->nt && d->t[j].kind == TK_WORD && (d->t[j].flags & TF_ALLCAPS) && n < 4) { j++; n++; }
    return n > 0 && tok_is(d, (int32_t)j, ':');
}

static int word_is_minor(const doc *d, size_t k)
{
    return tok_lexflags(d, (int32_t)k) & LX_FUNC;
}

/* Properties of a finished span: words, whole utterance or fragment, title. */
static void classify_span(doc *d, qspan *q)
{
    int words = 0, caps = 0, minor_lower = 0, lower = 0;
    for (int32_t k = q->first; k <= q->last; k++) {
        tok *t = &d->t[k];
        if (t->kind == TK_WORD || t->kind == TK_NUM) {
            words++;
            if (t->flags & TF_CAP) caps++;
            else if (word_is_minor(d, (size_t)k)) minor_lower++;
            else lower++;
        }
    }
    q->nwords = words;
    if (words == 0) return;
    const tok *f = &d->t[q->first];
    int32_t last = q->last;
    while (last > q->first && d->t[last].kind == TK_MARK) last--;
    const tok *l = &d->t[last];
    int ends = l->kind == TK_PUNCT && (l->ch == '.' || l->ch == ',' || l->ch == '?' || l->ch == '!' ||
                                       l->ch == 0x2026 || l->ch == 0x2014 || l->ch == ':' || l->ch == ';');
    int terminal = l->kind == TK_PUNCT && (l->ch == '.' || l->ch == '?' || l->ch == '!' || l->ch == 0x2026);
    int starts_sentence = (d->t[q->open >= 0 ? q->open : q->first].flags & TF_SENT) != 0;
    int cap_start = (f->flags & TF_CAP) || f->kind == TK_NUM || f->ch == 0x2026 || f->ch == '.';
    /* Short Title Case mid-sentence: the name of a show, song or book, even
     * with a period ("on Fox News’s “Fox and Friends.”", "his show “My
     * Next Guest Needs No Introduction.”"). */
    if (!starts_sentence && words <= 8 && lower == 0 && caps >= 2 && (words <= 5 || caps >= words - 1) &&
        !(q->flags & QF_MULTIPARA) &&
        q->open >= 0 && d->t[q->open].para == d->t[q->first].para) {
        int32_t b = q->open - 1;
        if (b >= 0 && d->t[b].kind == TK_WORD) { q->flags |= QF_TITLE; return; }
    }
    if ((q->flags & (QF_MULTIPARA | QF_NOOPEN)) || (q->flags & QF_UNCLOSED && words >= 4) ||
        (cap_start && ends && words >= 3) || (cap_start && words >= 6) || words >= 12 ||
        (starts_sentence && words >= 3) || (terminal && words >= 4))
        q->flags |= QF_FULL;
    if (q->flags & QF_FULL) return;

    /* Titles and names of works: a title cue right before ("the song"), or
     * short Title Case words that do not end a sentence, mid-sentence. */
    int32_t before = q->open - 1;
    if (before >= 0 && (tok_lexflags(d, before) & LX_TITLECUE)) { q->flags |= QF_TITLE; return; }
    if (!starts_sentence && words <= 6 && caps >= 1 && lower == 0 && !terminal &&
        caps + minor_lower == words && (caps >= 2 || words == 1))
        q->flags |= QF_TITLE;
}

static qspan *new_span(doc *d, int32_t open, int32_t first)
{
    qspan *q = DOC_PUSH(d->qs, d->nqs, d->capqs);
    if (!q) return NULL;
    memset(q, 0, sizeof *q);
    q->open = open;
    q->close = -1;
    q->first = first;
    q->last = first - 1;
    q->para_first = q->para_last = d->t[open >= 0 ? open : first].para;
    return q;
}

int sayso_find_quotes(doc *d)
{
    d->nqs = 0;
    int32_t carry = -1; /* index of a span continuing into the next paragraph */
    int carry_fam = FAM_DOUBLE;
    for (size_t p = 0; p < d->npara; p++) {
        int32_t pf = d->para[p].first, pl = d->para[p].last;
        int32_t cur = -1, depth = 0, fam_open = 0;
        int32_t sq = -1;     /* pending single-mark opener */
        int seen_span = 0;
        int32_t k = pf;

        if (carry >= 0) {
            /* The continued paragraph's opening mark is part of the quotation. */
            cur = carry;
            depth = 1;
            fam_open = carry_fam;
            d->qs[cur].para_last = (int32_t)p;
            k = pf + 1;
            carry = -1;
        }
        for (; k <= pl; k++) {
            tok *t = &d->t[k];
            if (t->kind != TK_MARK) continue;
            /* Markup left in scraped text: tweet-id="7834…" is an attribute
             * value, not a quotation; skip to its closing mark. */
            if (t->mark == M_DQ && k > pf && tok_is(d, k - 1, '=') && !(t->flags & TF_SPACE)) {
                int32_t j = k + 1;
                while (j <= pl && d->t[j].mark != M_DQ) j++;
                k = j;
                continue;
            }
            int fam = 0;
            int in_single = cur >= 0 && fam_open == FAM_SINGLE;
            int role = mark_role(d, (size_t)k, &fam, cur >= 0 && fam_open == FAM_DOUBLE, sq >= 0 || in_single);
            if (role == R_NONE) continue;
            if (fam == FAM_SINGLE && in_single) {
                /* A single-quoted quotation running over paragraphs ends
                 * at its first closing mark. */
                if (role != R_CLOSE) continue;
                d->qs[cur].close = k;
                d->qs[cur].last = k - 1;
                cur = -1;
                seen_span = 1;
                continue;
            }
            if (fam == FAM_SINGLE) {
                if (cur >= 0) continue; /* nested inside a double quotation: part of it */
                if (role == R_OPEN) { if (sq < 0) sq = k; continue; }
                if (sq >= 0) {
                    qspan *q = new_span(d, sq, sq + 1);
                    if (!q) return -1;
                    q->close = k;
                    q->last = k - 1;
                    sq = -1;
                    seen_span = 1;
                }
                continue;
            }
            if (cur >= 0 && fam != fam_open) continue; /* other family nested inside */
            if (role == R_OPEN) {
                if (cur >= 0) { depth++; continue; }
                qspan *q = new_span(d, k, k + 1);
                if (!q) return -1;
                cur = (int32_t)(q - d->qs);
                depth = 1;
                fam_open = fam;
                sq = -1;
                continue;
            }
            /* R_CLOSE */
            if (cur >= 0) {
                if (--depth > 0) continue;
                d->qs[cur].close = k;
                d->qs[cur].last = k - 1;
                cur = -1;
                seen_span = 1;
                continue;
            }
            if (!seen_span && k > pf) {
                /* A closing mark with no opening one, first in its paragraph:
                 * the quotation most likely started with the paragraph. */
                qspan *q = new_span(d, -1, pf);
                if (!q) return -1;
                q->close = k;
                q->last = k - 1;
                q->flags |= QF_NOOPEN;
                seen_span = 1;
            }
        }
        if (cur >= 0) {
            qspan *q = &d->qs[cur];
            q->last = pl;
            int32_t nf = p + 1 < d->npara ? d->para[p + 1].first : -1;
            int fam2 = 0;
            if (nf >= 0 && d->t[nf].kind == TK_MARK && (fam_open == FAM_DOUBLE || fam_open == FAM_SINGLE) &&
                mark_role(d, (size_t)nf, &fam2, 0, 0) == R_OPEN && fam2 == fam_open &&
                !transcript_label(d, (size_t)nf)) {
                q->flags |= QF_MULTIPARA;
                carry = cur;
                carry_fam = fam_open;
            } else {
                q->flags |= QF_UNCLOSED;
            }
        } else if (sq >= 0 && (sq == pf || tok_is(d, sq - 1, ':'))) {
            /* 'Hi guys, ... (paragraph) 'I haven't seen ... (paragraph)
             * 'It's not okay ...': single marks in the house style that
             * opens every paragraph of a long quotation and closes only the
             * last. An opener never closed in its paragraph, at its start or
             * after a colon, begins such a quotation when the next
             * paragraph opens with a single mark too. */
            int32_t nf = p + 1 < d->npara ? d->para[p + 1].first : -1;
            int fam2 = 0;
            if (nf >= 0 && d->t[nf].kind == TK_MARK && mark_role(d, (size_t)nf, &fam2, 0, 0) == R_OPEN &&
                fam2 == FAM_SINGLE) {
                qspan *q = new_span(d, sq, sq + 1);
                if (!q) return -1;
                q->last = pl;
                q->flags |= QF_MULTIPARA;
                carry = (int32_t)(q - d->qs);
                carry_fam = FAM_SINGLE;
            }
        }
    }

    /* Mark the tokens inside each span; classify the spans. */
    for (size_t i = 0; i < d->nqs; i++) {
        qspan *q = &d->qs[i];
        for (int32_t k = q->first; k <= q->last; k++) {
            d->t[k].flags |= TF_INQUOTE;
            d->t[k].q = (int32_t)i;
        }
        if (q->open >= 0) d->t[q->open].q = (int32_t)i;
        if (q->close >= 0) d->t[q->close].q = (int32_t)i;
        classify_span(d, q);
    }
    return 0;
}
