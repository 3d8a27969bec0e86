/*
 * speakers.c — names the speaker of each attribution.
 */
#include <string.h>
#include "speakers.h"
#include "mentions.h"

/* A credit line under an embedded post: "Credit: jo_b on Instagram",
 * "Source: Ray Ortiz / Twitter", "Via @jo_b". Starts its paragraph with
 * credit/source/via and a colon or a handle, names a platform (a channel
 * word) or a handle, and is short. Sets the name's tokens (before "on",
 * "/", "(" or the platform). */
static int credit_line(const doc *d, int32_t p0, int32_t *nf, int32_t *nl)
{
    int32_t n = (int32_t)d->nt, k = p0;
    if (!(tok_word_eq(d, k, "credit") || tok_word_eq(d, k, "source") || tok_word_eq(d, k, "via"))) return 0;
    k++;
    if (tok_is(d, k, ':')) k++;
    else if (!tok_is(d, k, '@')) return 0;
    int32_t first = k, last = -1, end = k;
    int platform = 0, handle = tok_is(d, k, '@');
    for (; end < n && end < p0 + 20; end++) {
        const tok *t = &d->t[end];
        if (end > p0 && (t->flags & TF_PARA)) break;
        if (t->kind == TK_WORD && (t->lf & LX_SETTING) && tok_lex(d, t) && tok_lex(d, t)->channel && end > first) {
            platform = 1;
            if (last < 0) last = end - 1;
        }
        if (last < 0 && end > first && (tok_word_eq(d, end, "on") || tok_is(d, end, '/') || tok_is(d, end, '(') ||
                                        tok_is(d, end, '|')))
            last = end - 1;
    }
    if (end >= p0 + 20 || (!platform && !handle)) return 0;
    if (last < 0) last = end - 1;
    while (last > first && d->t[last].kind == TK_PUNCT) last--;
    if (last < first || d->t[last].kind == TK_PUNCT) return 0;
    *nf = first;
    *nl = last;
    return 1;
}

int sayso_speaker_credit(const doc *d, const attribution *a, int32_t *nf, int32_t *nl)
{
    if (a->ncontent < 1) return 0;
    int32_t k = a->content[a->ncontent - 1].last, n = (int32_t)d->nt;
    /* The paragraph after the quote's, or the one after that when the
     * quote's own paragraph is followed by the post's text. */
    for (int paras = 0, steps = 0; ++k < n && steps < 400; steps++) {
        if (!(d->t[k].flags & TF_PARA)) continue;
        if (credit_line(d, k, nf, nl)) return 1;
        if (++paras >= 1) break;
    }
    return 0;
}

/* "An intern asked Hawks stroke Jon Hollis what ... “...,” he said":
 * the answer is the asked person's. The person a name asked earlier in
 * the quote's paragraph, before the quote, when the source is he or she
 * and the asker is not passive ("Edelman was asked" leaves Edelman the
 * subject, whom the pronoun finds anyway). Returns the entity or -1. */
static int32_t asked_person(const doc *d, const attribution *a)
{
    if (a->src.kind != MK_PRONOUN || (a->src.gender != G_MALE && a->src.gender != G_FEMALE) || a->ncontent < 1)
        return -1;
    int32_t q = a->content[0].first, floor = q - 80 < 0 ? 0 : q - 80;
    for (int32_t k = q - 1; k > floor; k--) {
        if (d->t[k].flags & TF_INQUOTE) continue;
        if (!(tok_word_eq(d, k, "asked") || tok_word_eq(d, k, "asks"))) {
            if (d->t[k].flags & TF_PARA) break;
            continue;
        }
        if (tok_word_eq(d, k - 1, "was") || tok_word_eq(d, k - 1, "were") || tok_word_eq(d, k - 1, "been") ||
            tok_word_eq(d, k - 1, "being") || tok_word_eq(d, k - 1, "is"))
            return -1;
        /* The name right after "asked" (past a team or title that
         * modifies it), then the question: "what", "if", "about" ... ("asked
         * the journal to list Pierce" is a request, and Pierce no answerer). */
        for (int32_t j = k + 1; j < q && j <= k + 6; j++) {
            int32_t x = d->t[j].ment;
            if (x < 0) return -1;
            const mention *m = &d->m[x];
            if (m->kind != MK_NAME || m->entity < 0) return -1;
            const entity *e = &d->ent[m->entity];
            if (sayso_modifies_person(d, m) || e->org) {
                /* "Rams punter Jon Hollis": on to the name after the noun. */
                j = m->last + 1;
                while (j < q && d->t[j].ment < 0 && j <= k + 6) j++;
                j--;
                continue;
            }
            static const char *const asks[] = { "what", "how", "why", "when", "where", "who", "whom", "which",
                                                "whether", "if", "about", NULL };
            int question = tok_is(d, m->last + 1, ':');
            for (int w = 0; asks[w] && !question; w++) question = tok_word_eq(d, m->last + 1, asks[w]);
            if (!question) return -1;
            if (e->gender != a->src.gender && (e->gender == G_MALE || e->gender == G_FEMALE)) return -1;
            return m->entity;
        }
        return -1;
    }
    return -1;
}

/* The document noun at k ("statement", "letter", "post"...), or NULL. */
static const char *document_word(const doc *d, int32_t k)
{
    static const char *const docs[] = { "statement", "letter", "post", "video", "email", "memo", "message", NULL };
    for (int i = 0; docs[i]; i++)
        if (tok_word_eq(d, k, docs[i])) return docs[i];
    return NULL;
}

int32_t sayso_speaker_entity(const doc *d, const attribution *a)
{
    if (!a->has_src) return -1;
    int32_t asked = asked_person(d, a);
    if (asked >= 0) return asked;
    if (a->src.entity >= 0) return a->src.entity;
    /* "Mara Quill, who called the plan reckless": a relative pronoun
     * speaks for the name it follows. */
    int32_t f0 = a->src.first;
    if (f0 > 0 && f0 == a->src.last && tok_word_eq(d, f0, "who")) {
        int32_t k = tok_is(d, f0 - 1, ',') ? f0 - 2 : f0 - 1;
        int32_t x = k >= 0 ? sayso_name_ending(d, k) : -1;
        if (x >= 0) return d->m[x].entity;
    }
    if ((a->src.kind == MK_DESC || a->src.kind == MK_ORG) && a->src.gender == G_NEUTER) {
        /* "Moss's statement read", "Moss's letter says": a document
         * speaks for whose it is. */
        for (int32_t k = a->src.first; k < a->src.last && k >= 0; k++) {
            int32_t x = d->t[k].ment;
            if (x >= 0 && d->m[x].kind == MK_NAME && d->m[x].entity >= 0 && (d->t[d->m[x].last].flags & TF_POSS))
                return d->m[x].entity;
        }
        /* "… took to X to issue a statement. The statement read:": the
         * document the sentence before, in the same paragraph, issued is
         * its subject's. */
        int32_t f = a->src.first;
        if (f >= 0 && (tok_word_eq(d, f, "the") || tok_word_eq(d, f, "this")) && f + 1 == a->src.last) {
            int32_t sent = d->t[f].sent, para = d->t[f].para;
            for (int32_t k = f - 1, n = 0; k >= 0 && n < 200 && d->t[k].para == para && d->t[k].sent >= sent - 1; k--, n++) {
                int32_t x = d->t[k].ment;
                if (x < 0 || d->t[k].sent != sent - 1 || !d->m[x].subject || d->m[x].entity < 0) continue;
                /* (it must have issued one: the noun is in its sentence) */
                const char *w = document_word(d, f + 1);
                for (int32_t j = k; w && j < f && d->t[j].sent == sent - 1; j++)
                    if (tok_word_eq(d, j, w)) return d->m[x].entity;
                break;
            }
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
    /* "Alan Reyes QC" is named Alan Reyes. */
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
    /* "Prince Harry": a royal title stays with a one-word name. */
    if (e >= 0 && d->ent[e].royal > 0 && nf == nl && cap > 2) {
        const tok *rt = &d->t[d->ent[e].royal - 1];
        size_t n = copy_name(d, rt->b, rt->e, 0, buf, cap);
        if (n + 2 >= cap) return n;
        buf[n++] = ' ';
        return n + copy_name(d, d->t[nf].b, end, (d->t[nl].flags & TF_POSS) != 0, buf + n, cap - n);
    }
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

int sayso_cue_replies(const doc *d, const attribution *a)
{
    int32_t c = a->cue_first;
    if (c < 0) return 0;
    static const char *const replies[] = { "retorted", "retorts", "replied", "replies", "responded", "responds",
                                           "answered", "answers", "countered", "counters", "snapped", "snaps", NULL };
    for (int i = 0; replies[i]; i++)
        if (tok_word_eq(d, c, replies[i])) return 1;
    static const char *const backs[] = { "shot", "shoots", "fired", "fires", "hit", "hits", "struck", "strikes", NULL };
    if (!tok_word_eq(d, c + 1, "back")) return 0;
    for (int i = 0; backs[i]; i++)
        if (tok_word_eq(d, c, backs[i])) return 1;
    return 0;
}

/* The person whose name ends at token k, or -1. */
static int32_t name_entity_ending(const doc *d, int32_t k)
{
    int32_t x = sayso_name_ending(d, k);
    return x >= 0 && d->ent[d->m[x].entity].person ? d->m[x].entity : -1;
}

int sayso_joint_speakers(const doc *d, const attribution *a, int32_t *e1, int32_t *e2)
{
    if (!a->has_src || a->src.first < 0) return 0;
    int32_t f = a->src.first, l = a->src.last;
    /* "Lorde and Affrey said": two names joined by "and" at the source. */
    int32_t x = d->t[f].ment >= 0 ? f : -1;
    if (x >= 0 && d->m[d->t[f].ment].kind == MK_NAME) {
        const mention *m = &d->m[d->t[f].ment];
        if (m->entity >= 0 && d->ent[m->entity].person && m->last + 2 <= l && tok_word_eq(d, m->last + 1, "and")) {
            int32_t other = name_entity_ending(d, l);
            if (other >= 0 && other != m->entity) { *e1 = m->entity; *e2 = other; return 1; }
        }
    }
    if (f >= 2 && tok_word_eq(d, f - 1, "and") && a->src.kind == MK_NAME && a->src.entity >= 0 &&
        d->ent[a->src.entity].person) {
        int32_t other = name_entity_ending(d, f - 2);
        if (other >= 0 && other != a->src.entity) { *e1 = other; *e2 = a->src.entity; return 1; }
    }
    /* "The couple added", "the pair said": the last two people joined by
     * "and" in the three paragraphs before. */
    if (!(tok_word_eq(d, f, "the") && f + 1 == l &&
          (tok_word_eq(d, l, "couple") || tok_word_eq(d, l, "pair") || tok_word_eq(d, l, "duo") ||
           tok_word_eq(d, l, "newlyweds") || tok_word_eq(d, l, "spouses"))))
        return 0;
    int32_t para = d->t[f].para;
    for (int32_t k = f - 1, n = 0; k > 1 && n < 600 && d->t[k].para >= para - 3; k--, n++) {
        if (!tok_word_eq(d, k, "and") || (d->t[k].flags & TF_INQUOTE)) continue;
        int32_t b = name_entity_ending(d, k - 1);
        int32_t c = -1;
        if (d->t[k + 1].ment >= 0 && d->m[d->t[k + 1].ment].kind == MK_NAME) c = d->m[d->t[k + 1].ment].entity;
        if (b >= 0 && c >= 0 && b != c && d->ent[c].person) { *e1 = b; *e2 = c; return 1; }
    }
    return 0;
}
