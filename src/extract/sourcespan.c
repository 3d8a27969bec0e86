/*
 * sourcespan.c — the extent of a source mention as annotators mark it
 * (sourcespan.h).
 *
 * Each rule looks at a few tokens at the ends of the span, so the cost is
 * a small constant per attribution; the only longer walks (an apposition
 * to the end of its sentence) are bounded by the sentence.
 */
#include "sourcespan.h"

#include "clauses.h"
#include "syntax.h"

/* The longest description a source is extended over ("Tim Ames, a lawyer
 * for the union, who …"): beyond this it is more likely another clause. */
#define MAX_EXTEND 40

static int upos(const doc *d, int32_t k) { return d->has_syn ? d->syn[k].upos : -1; }

static int is_word(const doc *d, int32_t k) { return d->t[k].kind == TK_WORD; }

static int lower_word(const doc *d, int32_t k) { return is_word(d, k) && !(d->t[k].flags & TF_CAP); }

/* "speaking", "adding": a lower-case verb in -ing. */
static int ing_verb(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    if (!lower_word(d, k) || t->e - t->b < 5) return 0;
    const char *e = d->text + t->e;
    if (e[-3] != 'i' || e[-2] != 'n' || e[-1] != 'g') return 0;
    /* "Unions, including the teachers'": a list of members, not an
     * adverbial. */
    if (tok_word_eq(d, k, "including")) return 0;
    int u = upos(d, k);
    return u < 0 || u == SAYSO_VERB || u == SAYSO_AUX;
}

/* A preposition or subordinator that opens an adverbial ("on his last
 * day", "as he left"), not the "of" that continues a noun ("a fellow of
 * the institute"). */
static int adverbial_prep(const doc *d, int32_t k)
{
    int u = upos(d, k);
    return lower_word(d, k) && (u == SAYSO_ADP || u == SAYSO_SCONJ) && !tok_word_eq(d, k, "of");
}

static int relative_word(const doc *d, int32_t k)
{
    return tok_word_eq(d, k, "who") || tok_word_eq(d, k, "whose");
}

/* A token that ends the words an extension may take: quotation marks,
 * another clause's punctuation, a paragraph. */
static int extension_stop(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    /* (an apostrophe glued to a plural, "veterans' families", is a
     * possessive, not a quotation mark) */
    int apostrophe = t->kind == TK_MARK && t->q < 0 && (t->mark == M_RSQ || t->mark == M_SQ) &&
                     !(t->flags & TF_SPACE) && k > 0 && d->t[k - 1].kind == TK_WORD;
    if ((t->kind == TK_MARK && !apostrophe) || (t->flags & (TF_INQUOTE | TF_PARA))) return 1;
    return t->kind == TK_PUNCT && (t->ch == ';' || t->ch == ':' || t->ch == '(' || t->ch == ')' ||
                                   t->ch == 0x2014 || t->ch == 0x2013);
}

/* "In a statement, the union", "But critics", "With party leaders": the
 * words that open the clause are no part of its subject. */
static void trim_opening(const doc *d, int32_t *sf, int32_t sl)
{
    for (int round = 0; round < 3 && *sf < sl; round++) {
        int32_t f = *sf;
        int u = upos(d, f);
        /* ("Both X and Y", "Neither X nor Y" keep the first word of the
         * pair) */
        if (u == SAYSO_CCONJ && is_word(d, f) &&
            !(tok_word_eq(d, f, "both") || tok_word_eq(d, f, "either") || tok_word_eq(d, f, "neither"))) {
            *sf = f + 1;
            continue;
        }
        /* (not the preposition of a number, "At least four senators",
         * whose head is no noun or verb) */
        int uh = d->has_syn && d->syn[f].head >= 0 ? upos(d, d->syn[f].head) : SAYSO_NOUN;
        int head_ok = uh == SAYSO_NOUN || uh == SAYSO_PROPN || uh == SAYSO_PRON || uh == SAYSO_VERB;
        if ((u == SAYSO_ADP || u == SAYSO_SCONJ) && is_word(d, f) && !tok_word_eq(d, f, "according") && head_ok) {
            /* the whole fronted phrase when a comma closes it inside the
             * span ("At first, regulators"), else the word alone */
            int32_t j = f + 1;
            while (j < sl && !tok_is(d, j, ',')) j++;
            *sf = j < sl ? j + 1 : f + 1;
            continue;
        }
        break;
    }
}

/* "Caddell, speaking of the poll", "Ruiz, at a later briefing", "Ruiz, in
 * particular", "Ruiz (a view others share)": an adverbial or a remark set
 * off after the name describes the saying, not the speaker. Only before a
 * relative clause: inside one, the commas are the clause's own. */
static void trim_adverbial(const doc *d, int32_t sf, int32_t *sl)
{
    for (int32_t j = sf + 1; j < *sl; j++) {
        if (relative_word(d, j)) return;
        int cut = (tok_is(d, j, ',') && (ing_verb(d, j + 1) || adverbial_prep(d, j + 1))) ||
                  (tok_is(d, j, '(') && lower_word(d, j + 1));
        if (cut) {
            *sl = j - 1;
            return;
        }
    }
}

/* "WASHINGTON — Sen. Ana Ruiz", "RENO, Nev. (AP) — Ana Ruiz": a dateline
 * that opens the paragraph, up to its dash, is no part of the source. */
static void trim_dateline(const doc *d, int32_t *sf, int32_t sl)
{
    int32_t f = *sf;
    if (!(d->t[f].flags & TF_PARA)) return;
    for (int32_t j = f + 1; j < sl && j <= f + 8; j++)
        if (tok_is(d, j, 0x2014) || tok_is(d, j, 0x2013) || (tok_is(d, j, '-') && tok_is(d, j + 1, '-'))) {
            int32_t n = j + 1;
            while (n < sl && d->t[n].kind == TK_PUNCT) n++;
            *sf = n;
            return;
        }
}

/* "Ana Ruiz on Sunday": a day after a name dates the saying. */
static void trim_day(const doc *d, int32_t sf, int32_t *sl)
{
    int32_t l = *sl;
    if (l - 2 < sf || !tok_word_eq(d, l - 1, "on") || !(d->t[l].lf & LX_CALENDAR)) return;
    const tok *b = &d->t[l - 2];
    if ((b->kind == TK_WORD && (b->flags & TF_CAP)) || tok_is(d, l - 2, ')')) *sl = l - 2;
}

/* "an arbitration panel in 2009": a year after the noun dates the
 * saying. ("Her show on Friday" is a show, and keeps its day.) */
static void trim_year(const doc *d, int32_t sf, int32_t *sl)
{
    int32_t l = *sl;
    if (l - 2 < sf || !adverbial_prep(d, l - 1)) return;
    /* (In a clause, "who took office in 2011", the year is the clause's.) */
    for (int32_t j = sf + 1; j < l - 1; j++)
        if (relative_word(d, j) || upos(d, j) == SAYSO_VERB) return;
    if (d->t[l].kind == TK_NUM && d->t[l].e - d->t[l].b == 4) *sl = l - 2;
}

/* "A Harbour FM poll released" of "… released in May found": a span that
 * ends on a participle whose own words lie beyond it holds half a clause;
 * the noun it describes is the source. */
static void trim_cut_participle(const doc *d, int32_t sf, int32_t *sl)
{
    int32_t l = *sl;
    if (!d->has_syn || l <= sf || upos(d, l) != SAYSO_VERB || !lower_word(d, l)) return;
    const char *e = d->text + d->t[l].e;
    int participle = d->t[l].e - d->t[l].b > 3 && e[-2] == 'e' && (e[-1] == 'd' || e[-1] == 'n');
    if (participle && d->syn[l].sub_last > l) *sl = l - 1;
}

/* "who said that …", "who told the board": a relative clause that reports
 * a saying of its own is another attribution, not a description. */
static int reporting_clause(const doc *d, int32_t k, int32_t end)
{
    for (int32_t j = k + 1; j <= end && j <= k + 4; j++) {
        if (upos(d, j) == SAYSO_AUX || upos(d, j) == SAYSO_ADV) continue;
        return (d->t[j].lf & LX_CUE) != 0;
    }
    return 0;
}

/* The end of a parenthesis right after a name that holds only capitalised
 * words ("Sen. Ada Moss (D-Vt.)", "the Harbour Trust (HTT)"), or -1. */
static int32_t name_parenthesis(const doc *d, int32_t l, int32_t end)
{
    if (!(d->t[l].flags & TF_CAP) || l + 2 > end || !tok_is(d, l + 1, '(')) return -1;
    for (int32_t j = l + 2; j <= end && j <= l + 8; j++) {
        if (tok_is(d, j, ')')) return j > l + 2 ? j : -1;
        if (is_word(d, j) ? !(d->t[j].flags & TF_CAP) : !(tok_is(d, j, '.') || tok_is(d, j, '-')))
            return -1;
    }
    return -1;
}

/* The last token of a party label set off after a name ("Sen. Ada Moss,
 * D-Vt., said"): a capital, a hyphen and a capitalised state, or -1. */
static int32_t party_label(const doc *d, int32_t l, int32_t end)
{
    if (!(d->t[l].flags & TF_CAP) || l + 2 > end || !tok_is(d, l + 1, ',') || !tok_party_label(d, l + 2)) return -1;
    int32_t j = l + 2;
    /* "R-S.C.": its abbreviation's pieces */
    while (j + 1 <= end && j < l + 7 && (tok_is(d, j + 1, '.') || (is_word(d, j + 1) && (d->t[j + 1].flags & TF_CAP) &&
                                                                    tok_is(d, j, '.'))))
        j++;
    if (tok_is(d, j, '.') && (j == end || !tok_is(d, j + 1, ','))) j--; /* the sentence's full stop */
    return j;
}

/* How far a description after the source runs: to the sentence's end or
 * the first stop, without trailing punctuation; an adverbial set off by a
 * comma ends it too unless it is part of a relative clause. -1 if it runs
 * into a stop at once or too far. */
static int32_t description_end(const doc *d, int32_t from, int32_t end, int relative)
{
    int32_t j = from;
    for (; j <= end; j++) {
        if (extension_stop(d, j)) break;
        if (!relative && tok_is(d, j, ',') && j + 1 <= end && (ing_verb(d, j + 1) || adverbial_prep(d, j + 1)))
            break;
        if (relative_word(d, j)) relative = 1;
        if (j - from > MAX_EXTEND) return -1;
    }
    j--;
    while (j >= from && d->t[j].kind == TK_PUNCT) j--;
    return j >= from ? j : -1;
}

/* "said Dana Ruiz, a lawyer for the union" chosen as "Dana Ruiz, a lawyer"
 * or "Dana Ruiz", "said Dana Ruiz, who chairs the board" as "Dana Ruiz":
 * after its cue, a source's apposition or relative clause runs to the end
 * of the sentence, and the source with it. */
static void extend_after_cue(const doc *d, int32_t sf, int32_t *sl, int32_t end)
{
    int32_t l = *sl;
    if (l + 2 > end) return;
    int relative = tok_is(d, l + 1, ',') && relative_word(d, l + 2) && !reporting_clause(d, l + 2, end);
    int apposition = 0;
    for (int32_t j = sf + 1; j < l && !apposition; j++) apposition = tok_is(d, j, ',');
    /* a name alone, its apposition not yet begun: "said Ana Ruiz, a
     * lawyer for the union" */
    int32_t x = d->t[sf].ment;
    int name = x >= 0 && d->m[x].kind == MK_NAME && d->m[x].last == l;
    int opens = name && tok_is(d, l + 1, ',') && lower_word(d, l + 2) && upos(d, l + 2) == SAYSO_DET;
    if (!relative && !opens &&
        !(apposition && lower_word(d, l + 1) && (upos(d, l + 1) == SAYSO_ADP || relative_word(d, l + 1))))
        return;
    int32_t e = description_end(d, l + 1, end, relative);
    if (e > l) *sl = e;
}

/* "said Rana Oduya, a spokeswoman for the union" chosen as "a spokeswoman
 * for the union": the apposition of the name right after the cue stands
 * for that name; the source is the name, which extend_after_cue then
 * takes on with all of its apposition. */
static void name_before_apposition(const doc *d, int32_t *sf, int32_t *sl, int32_t cl)
{
    int32_t f = *sf;
    if (f < cl + 3 || !tok_is(d, f - 1, ',') || !lower_word(d, f)) return;
    int32_t x = d->t[cl + 1].ment; /* (a mention is marked on its first token) */
    if (x >= 0 && d->m[x].kind == MK_NAME && d->m[x].first == cl + 1 && d->m[x].last == f - 2) {
        *sf = cl + 1;
        *sl = f - 2;
    }
}

/* "Dana Ruiz, the board's chair, said" chosen as "Dana Ruiz": before its
 * cue, an apposition between the name and the comma before the cue
 * ("Ruiz, 56, …", "Ruiz, chair of the board, …") is part of the source.
 * Not an adverbial (", speaking to reporters,"), an adjective phrase (",
 * eager to reply,") or a relative clause, which annotators leave out
 * before a cue more often than not. */
static void extend_before_cue(const doc *d, int32_t *sl, int32_t cf)
{
    int32_t l = *sl, c = cf - 1;
    while (c > l && upos(d, c) == SAYSO_ADV) c--; /* "…, also said" */
    if (c <= l + 2 || !tok_is(d, l + 1, ',') || !tok_is(d, c, ',') || c - l > MAX_EXTEND ||
        d->t[c].sent != d->t[l].sent)
        return;
    int32_t n = l + 2;
    int u = upos(d, n);
    if (!(u == SAYSO_DET || u == SAYSO_NUM || u == SAYSO_NOUN || u == SAYSO_PROPN) || ing_verb(d, n)) return;
    for (int32_t j = l + 1; j < c; j++)
        if (extension_stop(d, j)) return;
    *sl = c - 1;
}

/* A word of a plain noun phrase before a coordinator: determiners,
 * possessives, adjectives, numbers and nouns, nothing quoted. */
static int conjunct_word(const doc *d, int32_t k)
{
    if (d->t[k].flags & TF_INQUOTE || !(is_word(d, k) || d->t[k].kind == TK_NUM)) return 0;
    int u = upos(d, k);
    return u == SAYSO_DET || u == SAYSO_ADJ || u == SAYSO_NUM || u == SAYSO_NOUN || u == SAYSO_PROPN ||
           (u == SAYSO_PRON && d->syn[k].rel == R_NMOD_POSS);
}

/* "Lena Park" chosen of "Her brother and Lena Park told": before the cue,
 * a subject of two noun phrases joined by "and" or "or" is the source
 * whole, when the first one opens the clause (the sentence, or after a
 * comma: "On Monday, China and Russia said"). Surface words, not the
 * parse's conj: the parser reads such subjects as two. */
static void take_conjunct(const doc *d, int32_t *sf, int32_t l, int32_t lo, int32_t cf)
{
    int32_t f = *sf, k = f - 2;
    if (!d->has_syn || k < lo || l >= cf || !(tok_word_eq(d, f - 1, "and") || tok_word_eq(d, f - 1, "or")))
        return;
    int u = upos(d, k);
    if (!(u == SAYSO_NOUN || u == SAYSO_PROPN || u == SAYSO_PRON) || !conjunct_word(d, k)) return;
    while (k - 1 >= lo && conjunct_word(d, k - 1) && f - k < MAX_EXTEND) k--;
    if (k > lo && !tok_is(d, k - 1, ',')) return;
    *sf = k;
}

/* "pollster Pat Doe" of "veteran Democratic pollster Pat Doe": the words
 * before the span that modify it (by the parse) belong to the noun phrase,
 * a determiner with them. */
static void extend_premodifiers(const doc *d, int32_t *sf, int32_t sl, int32_t begin, int32_t cf, int32_t cl)
{
    if (!d->has_syn) return;
    int32_t f = *sf;
    while (f - 1 >= begin && *sf - f < 8) {
        int32_t k = f - 1;
        int u = upos(d, k);
        if (!is_word(d, k) || (d->t[k].flags & TF_INQUOTE)) break;
        if (u != SAYSO_ADJ && u != SAYSO_NOUN && u != SAYSO_PROPN && u != SAYSO_DET) break;
        int32_t h = d->syn[k].head;
        int inside = h > k && h <= sl;
        /* "Harbour police's" before the noun of the cue ("… earlier
         * claim"), the parse tying the modifier to that noun */
        int r = d->syn[k].rel;
        inside |= sl == cf - 1 && h >= cf && h <= cl && (r == R_COMPOUND || r == R_AMOD);
        if (!inside) break;
        f = k;
        if (u == SAYSO_DET) break;
    }
    *sf = f;
}

/* "10 registered voters" of "Only about four in 10 registered voters": a
 * proportion is one phrase with its number and the adverbs before it. */
static void extend_ratio(const doc *d, int32_t *sf, int32_t lo)
{
    int32_t f = *sf;
    if (f - 2 < lo || !(d->t[f].kind == TK_NUM || upos(d, f) == SAYSO_NUM) || !tok_word_eq(d, f - 1, "in") ||
        !(d->t[f - 2].kind == TK_NUM || upos(d, f - 2) == SAYSO_NUM))
        return;
    f -= 2;
    /* ("Only about four in 10") */
    int32_t stop = f - 3 > lo ? f - 3 : lo;
    while (f - 1 >= stop && is_word(d, f - 1) && (upos(d, f - 1) == SAYSO_ADV || tok_word_eq(d, f - 1, "about"))) f--;
    *sf = f;
}

/* "House Speaker Paul" of "House Speaker Paul Ryan": a span that stops
 * inside a name mention takes the rest of it. */
static void complete_name(const doc *d, int32_t sf, int32_t *sl, int32_t lim)
{
    for (int32_t k = *sl; k >= sf; k--) {
        int32_t x = d->t[k].ment;
        if (x < 0) continue;
        if (d->m[x].kind == MK_NAME && d->m[x].last > *sl && d->m[x].last <= lim && d->m[x].name_last > *sl)
            *sl = d->m[x].last;
        return;
    }
}

/* "host", "moderator": a lower-case noun for a person, by the word lists
 * or the parse. */
static int role_noun(const doc *d, int32_t k, const mention *name)
{
    if (!lower_word(d, k) || (d->t[k].flags & (TF_POSS | TF_INQUOTE))) return 0;
    if (d->t[k].lf & LX_PERSON) return 1;
    if (upos(d, k) != SAYSO_NOUN) return 0;
    /* a noun the lists do not know, tied to the name by the parse (not
     * "in a radio interview Ana Ruiz said") */
    int32_t h = d->syn[k].head;
    if (h >= name->first && h <= name->last) return 1;
    for (int32_t j = name->first; j <= name->last; j++)
        if (d->syn[j].head == k) return 1;
    return 0;
}

/* Whether the comma at k sets off more of the same noun phrase ("Ana
 * Ruiz, head of the unit, and other scientists"): a noun phrase follows
 * it, not a clause of its own (", and the rest paid 69 percent"), a
 * relative clause or a comparison (", more than twice what …"). */
static int apposition_after(const doc *d, int32_t k, int32_t hi)
{
    int32_t n = k + 1;
    if (n > hi) return 0;
    int u = upos(d, n);
    if (u == SAYSO_DET || u == SAYSO_NOUN || u == SAYSO_PROPN || u == SAYSO_NUM) return 1;
    if (u != SAYSO_CCONJ) return 0;
    for (int32_t j = n + 1; j <= hi && !tok_is(d, j, ','); j++)
        if (upos(d, j) == SAYSO_VERB || upos(d, j) == SAYSO_AUX) return 0;
    return 1;
}

/* "according to a poll released last week", "according to an analysis by
 * Ana Ruiz, a former aide": the words after "according to" are its source
 * up to the end of the sentence, or, when they open the sentence
 * ("According to the data, …"), up to the comma that ends them; not a
 * relative clause set off by a comma, nor a quotation. */
static void according_extent(const doc *d, int32_t f, int32_t *sl, int32_t cf, int32_t begin, int32_t hi)
{
    int fronted = 1;
    for (int32_t k = begin; k < cf && fronted; k++) fronted = d->t[k].kind == TK_MARK || d->t[k].kind == TK_PUNCT;
    int32_t j = f;
    for (; j <= hi; j++) {
        if (extension_stop(d, j) || (tok_is(d, j, ',') && (fronted || !apposition_after(d, j, hi)))) break;
        if (j - f > MAX_EXTEND) return;
    }
    j--;
    while (j > f && d->t[j].kind == TK_PUNCT) j--;
    if (j >= f) *sl = j;
}

/* "said Harbour FM host Ana Ruiz" taken as "Harbour FM", "Harbour FM host
 * Ana Ruiz asked" as "Ana Ruiz": an organisation's name, a noun for a
 * person and a name are one noun phrase, whichever part was chosen. */
static void join_role_name(const doc *d, int32_t *sf, int32_t *sl, int32_t lo, int32_t hi)
{
    int32_t f = *sf, l = *sl, j = l + 1;
    if (d->t[l].flags & TF_CAP) {
        while (j <= hi && j <= l + 3 && lower_word(d, j)) j++;
        int32_t x = j > l + 1 && j <= hi ? d->t[j].ment : -1;
        int roles = x >= 0 && d->m[x].kind == MK_NAME && d->m[x].last <= hi;
        for (int32_t k = l + 1; k < j && roles; k++) roles = role_noun(d, k, &d->m[x]);
        if (roles) *sl = d->m[x].last;
    }
    int32_t x = d->t[f].ment;
    if (x < 0 || d->m[x].kind != MK_NAME) return;
    /* Before the name, any lower-case noun ("frontrunner", "neurosurgeon")
     * and the adjectives before it ("presidential"), then capitalised
     * words ("GOP", "Retired") ... */
    j = f - 1;
    int nouns = 0;
    while (j >= lo && j >= f - 4 && lower_word(d, j) && !(d->t[j].flags & (TF_POSS | TF_INQUOTE)) &&
           ((d->t[j].lf & LX_PERSON) || upos(d, j) == SAYSO_NOUN || (nouns && upos(d, j) == SAYSO_ADJ))) {
        nouns += upos(d, j) != SAYSO_ADJ;
        j--;
    }
    if (!nouns) return;
    while (j >= lo && j >= f - 8 && is_word(d, j) && (d->t[j].flags & TF_CAP) && !(d->t[j].lf & LX_FUNC) &&
           !(d->t[j].flags & (TF_POSS | TF_INQUOTE)))
        j--;
    /* ... unless they are a preposition's ("in a radio interview Ana Ruiz
     * said") */
    int32_t b = j;
    while (b >= lo && upos(d, b) == SAYSO_DET) b--;
    if (b >= lo && (upos(d, b) == SAYSO_ADP || upos(d, b) == SAYSO_SCONJ)) return;
    *sf = j + 1;
}

/* "The board's new chair, Ana Ruiz, said" taken as "Ana Ruiz": a noun
 * phrase that opens the sentence, set off by a comma right before the name,
 * is the description the name stands in apposition to, and the source is
 * both. Only a plain noun phrase ("The chair", "Ruiz's niece", "The head of
 * the board"), not a fronted adverbial ("On Tuesday,", "In a statement,"). */
static void extend_apposed_head(const doc *d, int32_t *sf, int32_t l, int32_t begin, int32_t cf)
{
    int32_t f = *sf, x = d->t[f].ment;
    if (!d->has_syn || f - 2 < begin || f - begin > MAX_EXTEND || !tok_is(d, f - 1, ',') || x < 0 ||
        d->m[x].kind != MK_NAME)
        return;
    if (!(l + 1 == cf || (l + 2 == cf && tok_is(d, l + 1, ',')))) return;
    int u0 = upos(d, begin);
    if (!(u0 == SAYSO_DET || (d->t[begin].flags & TF_POSS))) return;
    int noun = 0;
    for (int32_t k = begin; k < f - 1; k++) {
        int u = upos(d, k);
        if (!is_word(d, k) && !tok_is(d, k, '.')) return;
        if (u == SAYSO_ADP && !tok_word_eq(d, k, "of")) return;
        if (u == SAYSO_VERB || u == SAYSO_AUX || u == SAYSO_PRON || u == SAYSO_ADV || u == SAYSO_SCONJ) return;
        noun |= u == SAYSO_NOUN;
    }
    if (noun) *sf = begin;
}

/* The token of [f, l] whose head lies outside it (the parse's head of the
 * span), or -1. */
static int32_t span_head(const doc *d, int32_t f, int32_t l)
{
    for (int32_t k = f; k <= l; k++)
        if (d->syn[k].head < f || d->syn[k].head > l) return k;
    return -1;
}

/* Whether tokens [f, l] may join a noun phrase: words, numbers and the
 * punctuation inside names ("Reuters/Ipsos", "D.C."), nothing quoted. */
static int phrase_tokens(const doc *d, int32_t f, int32_t l)
{
    for (int32_t k = f; k <= l; k++) {
        const tok *t = &d->t[k];
        if (t->flags & TF_INQUOTE) return 0;
        if (t->kind == TK_WORD || t->kind == TK_NUM) continue;
        if (!(tok_is(d, k, '.') || tok_is(d, k, '/') || tok_is(d, k, '-') || tok_is(d, k, '&'))) return 0;
    }
    return 1;
}

/* "Congress" of "A number of members of Congress echo", "their" of
 * "according to their lawyers", "Ana Ruiz's" of "Ana Ruiz's campaign
 * said": a span that only modifies a noun of the phrase around it (by the
 * parse) stands for that noun's whole phrase, up to it or from its start.
 * A possessive of the cue's own noun ("the council's claim") stays. */
static void climb_phrase(const doc *d, int32_t *sf, int32_t *sl, int32_t cf, int32_t cl, int32_t lo, int32_t hi)
{
    if (!d->has_syn) return;
    int32_t f = *sf, l = *sl;
    int32_t ch = span_head(d, cf, cl);
    for (int hop = 0; hop < 3; hop++) {
        int32_t h = span_head(d, f, l);
        if (h < 0 || (d->syn[h].rel != R_NMOD && d->syn[h].rel != R_NMOD_POSS)) break;
        int32_t n = d->syn[h].head;
        int un = upos(d, n);
        /* (a quantifier too, in "Many of his supporters", "One of the
         * lawyers") */
        int part = n == f - 2 && tok_word_eq(d, f - 1, "of") &&
                   (un == SAYSO_ADJ || un == SAYSO_NUM || un == SAYSO_PRON || un == SAYSO_DET);
        if (n < lo || n > hi || (n >= cf && n <= cl) || (un != SAYSO_NOUN && un != SAYSO_PROPN && !part)) break;
        /* "footage of Ana Ruiz saying …": a participle of the noun shows
         * the span saying it */
        if (ch >= 0 && d->syn[ch].head == n && d->syn[ch].rel == R_ACL && ing_verb(d, ch)) break;
        int32_t nf = n < f ? d->syn[n].sub_first : f, nl = n > l ? n : l;
        if (nf < lo || (nf <= cl && nl >= cf) || f - nf > MAX_EXTEND) break;
        if (!phrase_tokens(d, nf, f - 1) || !phrase_tokens(d, l + 1, nl)) break;
        f = nf;
        l = nl;
    }
    *sf = f;
    *sl = l;
}

void sayso_source_span(const doc *d, int32_t cf, int32_t cl, range room, int32_t *sf, int32_t *sl)
{
    int32_t f = *sf, l = *sl;
    if (f > l || f < 0 || (size_t)l >= d->nt) return;
    int32_t begin = d->sent[d->t[f].sent].first, end = d->sent[d->t[f].sent].last;
    while (f < l && d->t[f].kind == TK_PUNCT) f++; /* ", Ana Ruiz" */
    trim_opening(d, &f, l);
    trim_adverbial(d, f, &l);
    trim_year(d, f, &l);
    trim_dateline(d, &f, l);
    trim_day(d, f, &l);
    trim_cut_participle(d, f, &l);
    /* what it may grow over: its sentence, on its side of the cue, outside
     * the content */
    int32_t lo = f > cl ? cl + 1 : begin, hi = f > cl ? end : cf - 1;
    if (hi > end) hi = end;
    if (lo < room.first) lo = room.first;
    if (hi > room.last) hi = room.last;
    complete_name(d, f, &l, hi);
    int32_t p = name_parenthesis(d, l, hi);
    if (p < 0) p = party_label(d, l, hi);
    if (p > l) l = p;
    if (f == cl + 1 && cl == cf + 1 && tok_word_eq(d, cf, "according") && tok_word_eq(d, cl, "to")) {
        according_extent(d, f, &l, cf, begin, hi);
        p = name_parenthesis(d, l, hi);
        if (p > l) l = p;
    } else if (f > cl) {
        if (f - 2 >= lo) name_before_apposition(d, &f, &l, cl);
        extend_after_cue(d, f, &l, hi);
    } else if (l < cf && cf - 1 <= room.last) {
        extend_before_cue(d, &l, cf);
        if (begin >= room.first) extend_apposed_head(d, &f, l, begin, cf);
    }
    join_role_name(d, &f, &l, lo, hi);
    climb_phrase(d, &f, &l, cf, cl, lo, hi);
    take_conjunct(d, &f, l, lo, cf);
    trim_opening(d, &f, l);
    extend_premodifiers(d, &f, l, lo, cf, cl);
    extend_ratio(d, &f, lo);
    if (f <= l) {
        *sf = f;
        *sl = l;
    }
}

/* A word that names a time: a day or a month, or a lower-case noun of
 * the time words ("afternoon", "week", "yesterday"), not one of their
 * anchors ("this", "last", "ago"), not "time" ("a time", Time magazine)
 * and not a title's capitalised word ("This Week", "13 Hours"). */
static int time_noun(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    if (t->lf & LX_CALENDAR) return 1;
    int u = upos(d, k);
    return (t->lf & LX_TIME) && lower_word(d, k) && (u == SAYSO_NOUN || u == SAYSO_ADV) && !tok_word_eq(d, k, "time") &&
           !tok_word_eq(d, k, "then") && !tok_word_eq(d, k, "ago") && !tok_word_eq(d, k, "once") &&
           !tok_word_eq(d, k, "earlier") && !tok_word_eq(d, k, "previously");
}

int sayso_source_is_time(const doc *d, int32_t f, int32_t l)
{
    int time = 0;
    for (int32_t k = f; k <= l; k++) {
        const tok *t = &d->t[k];
        if (t->kind == TK_PUNCT || t->kind == TK_NUM) continue;
        if (t->kind != TK_WORD || (t->flags & TF_POSS)) return 0;
        if (time_noun(d, k)) time = 1;
        else if (!(t->lf & (LX_DET | LX_ARTICLE | LX_FUNC | LX_TIME))) return 0;
    }
    return time;
}
