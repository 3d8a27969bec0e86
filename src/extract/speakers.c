/*
 * speakers.c — names the speaker of each attribution.
 */
#include <string.h>
#include "speakers.h"
#include "mentions.h"

int32_t sayso_speaker_entity(const doc *d, const attribution *a)
{
    if (!a->has_src) return -1;
    if (a->src.entity >= 0) return a->src.entity;
    if ((a->src.kind == MK_DESC || a->src.kind == MK_ORG) && a->src.gender == G_NEUTER) {
        /* "Kluth's statement read", "Moss's letter says": a document
         * speaks for whose it is. */
        for (int32_t k = a->src.first; k < a->src.last && k >= 0; k++) {
            int32_t x = d->t[k].ment;
            if (x >= 0 && d->m[x].kind == MK_NAME && d->m[x].entity >= 0 && (d->t[d->m[x].last].flags & TF_POSS))
                return d->m[x].entity;
        }
    }
    return sayso_resolve(d, &a->src);
}

/* Copies text[b..e) collapsing runs of white space into one space and
 * dropping a final possessive 's / ’s. */
static size_t copy_name(const doc *d, uint32_t b, uint32_t e, int poss, char *buf, size_t cap)
{
    size_t n = 0;
    int space = 0;
    for (uint32_t i = b; i < e && n + 1 < cap; i++) {
        char c = d->text[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') { space = 1; continue; }
        if (space && n > 0 && n + 2 < cap) buf[n++] = ' ';
        space = 0;
        buf[n++] = c;
    }
    if (poss) {
        if (n >= 2 && buf[n - 1] == 's' && buf[n - 2] == '\'') n -= 2;
        else if (n >= 4 && buf[n - 1] == 's' && (unsigned char)buf[n - 2] == 0x99 &&
                 (unsigned char)buf[n - 3] == 0x80 && (unsigned char)buf[n - 4] == 0xE2)
            n -= 4;
    }
    if (cap) buf[n] = 0;
    return n;
}

size_t sayso_speaker_name(const doc *d, int32_t e, const attribution *a, char *buf, size_t cap)
{
    int32_t nf = -1, nl = -1;
    if (e >= 0) {
        nf = d->ent[e].name_first;
        nl = d->ent[e].name_last;
    } else if (a && a->has_src && (a->src.kind == MK_NAME || a->src.kind == MK_ORG) && a->src.name_first >= 0) {
        nf = a->src.name_first;
        nl = a->src.name_last;
    }
    if (nf < 0 || nl < nf || cap == 0) { if (cap) buf[0] = 0; return 0; }
    /* "Remy Farrell SC" is named Remy Farrell. */
    while (nl > nf && (d->t[nl].flags & TF_ALLCAPS) && (tok_lexflags(d, nl) & LX_POSTNOM)) nl--;
    uint32_t end = d->t[nl].e;
    int32_t hb = nf; /* "@Jordan_Thirkle" may be named by its last piece */
    while (hb >= 2 && d->t[hb - 1].e == d->t[hb].b && d->t[hb - 2].e == d->t[hb - 1].b &&
           (tok_is(d, hb - 1, '_') || tok_is(d, hb - 1, '.')) &&
           (d->t[hb - 2].kind == TK_WORD || d->t[hb - 2].kind == TK_NUM))
        hb -= 2;
    if (hb > 0 && tok_is(d, hb - 1, '@') && d->t[hb - 1].e == d->t[hb].b) {
        /* A handle is named as written, "@" and all, with the underscores
         * and dots the tokens split it at ("@Jordan_Thirkle"). */
        nf = hb;
        int32_t k = nl;
        while ((size_t)k + 2 < d->nt && d->t[k + 1].b == d->t[k].e && d->t[k + 2].b == d->t[k + 1].e &&
               (tok_is(d, k + 1, '_') || tok_is(d, k + 1, '.')) &&
               (d->t[k + 2].kind == TK_WORD || d->t[k + 2].kind == TK_NUM))
            k += 2;
        return copy_name(d, d->t[nf - 1].b, d->t[k].e, 0, buf, cap);
    }
    /* "Harold Benson Jr." keeps the period of its suffix or initial. */
    if ((size_t)nl + 1 < d->nt && tok_is(d, nl + 1, '.') && d->t[nl + 1].b == end &&
        ((d->t[nl + 1].flags & TF_NOEND) || d->t[nl].e - d->t[nl].b == 1))
        end = d->t[nl + 1].e;
    /* Marcus “Bulldog” Reyes is named Marcus Reyes. */
    for (int32_t k = nf + 1; k < nl; k++) {
        if (d->t[k].kind != TK_MARK || d->t[k].q < 0 || d->qs[d->t[k].q].open != k) continue;
        int32_t c = d->qs[d->t[k].q].close;
        if (c <= k || c >= nl) break;
        size_t n = copy_name(d, d->t[nf].b, d->t[k - 1].e, 0, buf, cap);
        if (n + 2 >= cap) return n;
        buf[n++] = ' ';
        return n + copy_name(d, d->t[c + 1].b, end, (d->t[nl].flags & TF_POSS) != 0, buf + n, cap - n);
    }
    return copy_name(d, d->t[nf].b, end, (d->t[nl].flags & TF_POSS) != 0, buf, cap);
}

size_t sayso_desc_text(const doc *d, const edesc *x, char *buf, size_t cap)
{
    if (cap == 0) return 0;
    if (x->first < 0 || x->last < x->first || (size_t)x->last >= d->nt) { buf[0] = 0; return 0; }
    /* "the candidate's campaign" describes the candidate as "candidate". */
    size_t n = copy_name(d, d->t[x->first].b, d->t[x->last].e, (d->t[x->last].flags & TF_POSS) != 0, buf, cap);
    const tok *t = &d->t[x->first];
    if (n && buf[0] >= 'A' && buf[0] <= 'Z' && !(t->flags & TF_ALLCAPS) &&
        (tok_lexflags(d, x->first) & (LX_PERSON | LX_TITLE)))
        buf[0] = (char)(buf[0] + 32);
    return n;
}
