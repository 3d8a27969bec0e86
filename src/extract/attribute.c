/*
 * attribute.c — links each quotation span to its cue and source.
 *
 * The order of the tests below is the order of how often each construction
 * occurs in news, and how reliable it is: a cue right after the quotation
 * (“…,” she said / said Smith) beats a cue before it (Smith said: “…”),
 * which beats the paragraph-level conventions (a colon closing the previous
 * paragraph, a quotation paragraph continuing an attributed one). Fragments
 * are only quotes when a cue governs them; otherwise they are scare quotes
 * or titles and are dropped.
 */
#include <string.h>
#include <strings.h>
#include "attribute.h"
#include "mentions.h"

static int32_t sent_first(const doc *d, int32_t k) { return d->sent[d->t[k].sent].first; }
static int32_t sent_last(const doc *d, int32_t k) { return d->sent[d->t[k].sent].last; }
static int32_t para_first(const doc *d, int32_t k) { return d->para[d->t[k].para].first; }
static int32_t para_last(const doc *d, int32_t k) { return d->para[d->t[k].para].last; }

static int ends_with(const doc *d, int32_t k, const char *suf)
{
    size_t n = d->t[k].e - d->t[k].b, m = strlen(suf);
    return n > m + 1 && memcmp(d->text + d->t[k].e - m, suf, m) == 0;
}

static int is_det(const doc *d, int32_t k)
{
    uint32_t f = tok_lexflags(d, k);
    return (f & (LX_ARTICLE | LX_POSSDET)) || ((f & LX_DET) && tok_word_eq(d, k, "this"));
}

/* Whether cue word k, in a form that is also a noun ("tweet", "claims",
 * "message"), is used as one: "a Mara Quill tweet", "32% of Republican
 * claims", "chants of", "the campaign message". A person or group right
 * before it is its subject instead ("the mayor says"). */
static int noun_form(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    const char *lemma = sayso_lexicon_lemma(d->lx, tok_lex(d, t)->lemma);
    size_t n = t->e - t->b, ln = strcspn(lemma, " ");
    if (!(n == ln || (n == ln + 1 && d->text[t->e - 1] == 's')) || strncasecmp(d->text + t->b, lemma, ln) != 0)
        return 0; /* "said", "wrote", "tweeted": verbs only */
    if (k > 0 && (tok_lexflags(d, k - 1) & (LX_PERSON | LX_ORGNOUN | LX_PRONOUN))) return 0;
    if (tok_word_eq(d, k + 1, "of") && !sayso_is_name_token(d, k - 1)) return 1;
    for (int32_t j = k - 1; j >= 0 && j >= k - 3; j--) {
        const tok *u = &d->t[j];
        if (u->kind != TK_WORD || (u->flags & TF_INQUOTE)) return 0;
        uint32_t f = tok_lexflags(d, j);
        if (j == k - 1 && (f & (LX_PERSON | LX_ORGNOUN | LX_PRONOUN))) return 0;
        if (is_det(d, j) || tok_word_eq(d, j, "of")) return 1;
        if (f & (LX_FUNC | LX_CUE | LX_PRONOUN)) return 0;
        if (u->flags & TF_SENT) return 0;
    }
    return 0;
}

/* Is token k a cue: a speech verb used as a verb, or "according" (to)? */
static int is_cue(const doc *d, int32_t k)
{
    if (k < 0 || (size_t)k >= d->nt) return 0;
    const tok *t = &d->t[k];
    if (t->kind != TK_WORD || (t->flags & TF_INQUOTE)) return 0;
    if (!(tok_lexflags(d, k) & LX_CUE)) {
        /* Most words are no cue; "according" is the only non-verb one. */
        if (t->e - t->b == 9 && (d->text[t->b] | 0x20) == 'a' && tok_word_eq(d, k, "according") &&
            tok_word_eq(d, k + 1, "to"))
            return 2;
        return 0;
    }
    if ((t->flags & TF_CAP) && !(t->flags & TF_SENT)) return 0; /* "United States" */
    if (k > 0 && is_det(d, k - 1)) return 0;                     /* "a post", "the report" */
    if (noun_form(d, k)) return 0;
    if (tok_word_eq(d, k, "point") || tok_word_eq(d, k, "points") || tok_word_eq(d, k, "pointed") ||
        tok_word_eq(d, k, "pointing"))
        return tok_word_eq(d, k + 1, "out") ? 2 : 0;
    const char *lemma = sayso_lexicon_lemma(d->lx, tok_lex(d, t)->lemma);
    if ((lemma[0] == 's' || lemma[0] == 'f' || lemma[0] == 'h') &&
        (strncmp(lemma, "shoot ", 6) == 0 || strncmp(lemma, "fire ", 5) == 0 || strncmp(lemma, "hit ", 4) == 0 ||
         strncmp(lemma, "strike ", 7) == 0))
        return tok_word_eq(d, k + 1, "back") ? 2 : 0;
    return 1;
}

static int cue_len(const doc *d, int32_t k)
{
    int n = is_cue(d, k);
    return n > 1 ? 2 : 1;
}

static void set_cue(attribution *a, const doc *d, int32_t k)
{
    a->cue_first = k;
    a->cue_last = k + cue_len(d, k) - 1;
}

/* Content token range of a quotation span, marks included. */
static range span_range(const doc *d, const qspan *q)
{
    range r;
    r.first = q->open >= 0 ? q->open : q->first;
    r.last = q->close >= 0 ? q->close : q->last;
    if (r.last < r.first) r.last = r.first;
    (void)d;
    return r;
}

/* Adds a range to the content, split at paragraph breaks as PolNeAR does. */
static void add_content(const doc *d, attribution *a, range r)
{
    int32_t k = r.first;
    while (k <= r.last) {
        int32_t pl = para_last(d, k);
        int32_t end = pl < r.last ? pl : r.last;
        if (a->ncontent < SAYSO_MAX_FRAGMENTS) {
            a->content[a->ncontent].first = k;
            a->content[a->ncontent].last = end;
            a->ncontent++;
        } else {
            a->content[SAYSO_MAX_FRAGMENTS - 1].last = end;
        }
        k = end + 1;
    }
}

static int stops_scan(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    if (t->kind == TK_MARK || (t->flags & TF_INQUOTE)) return 1;
    if (t->kind == TK_PUNCT && !(t->flags & TF_NOEND) && (t->ch == ';' || t->ch == ':')) return 1;
    /* A period the sentence splitter let through ("Dana Kim, R-Ore., said") ends
     * nothing. */
    if (t->kind == TK_PUNCT && !(t->flags & TF_NOEND) && (t->ch == '.' || t->ch == '?' || t->ch == '!'))
        return (size_t)k + 1 >= d->nt || (d->t[k + 1].flags & (TF_SENT | TF_PARA)) || d->t[k + 1].kind == TK_MARK;
    return 0;
}

/* When attribution p is a question put to someone ("“…?” David asked
 * her", "asked Ellen"), the mention of who was asked, resolved, and not
 * the asker. Returns 1 and fills *m, else 0. */
static int answer_of(const doc *d, const attribution *p, mention *m)
{
    int32_t c = p->cue_first, last = p->content[p->ncontent - 1].last;
    if (c < 0 || !(tok_word_eq(d, c, "asked") || tok_word_eq(d, c, "asks"))) return 0;
    int32_t q = last;
    while (q > p->content[p->ncontent - 1].first && d->t[q].kind == TK_MARK) q--;
    if (!tok_is(d, q, '?')) return 0;
    int32_t o = p->cue_last + 1;
    if (p->has_src && p->src.first == o) o = p->src.last + 1; /* "asked David her" is not English */
    if ((size_t)o >= d->nt || (d->t[o].flags & TF_INQUOTE)) return 0;
    if (tok_word_eq(d, o, "him") || tok_word_eq(d, o, "her")) {
        memset(m, 0, sizeof *m);
        m->first = m->last = o;
        m->name_first = m->name_last = -1;
        m->kind = MK_PRONOUN;
        m->gender = tok_word_eq(d, o, "him") ? G_MALE : G_FEMALE;
        m->age = -1;
        m->head = -1;
        m->sent = -1;
        m->entity = sayso_resolve(d, m);
    } else if (d->t[o].ment >= 0 && d->m[d->t[o].ment].kind == MK_NAME) {
        *m = d->m[d->t[o].ment];
    } else {
        return 0;
    }
    return m->entity >= 0 && m->entity != p->src.entity;
}

/* The subject of cue c, searched in [floor, c). */
static int subject_of(const doc *d, int32_t c, int32_t floor, mention *m)
{
    /* Participles after a comma ("..., noting how") and infinitives ("took
     * to Instagram to write") take the subject of the clause they hang on. */
    int participle = ends_with(d, c, "ing") && c > floor && tok_is(d, c - 1, ',');
    int infinitive = c > floor && tok_word_eq(d, c - 1, "to") && !tok_word_eq(d, c, "according");
    if (!participle && !infinitive && sayso_np_before(d, c, floor, m)) {
        /* "the board issued a statement calling the fee …", "Kim said
         * in a Facebook message that …": a medium is no speaker; and in
         * "X condemned what he called a breach" the words are X's. Both
         * take the subject of the clause. */
        int32_t h = m->last;
        const sayso_lex *hl = tok_lex(d, &d->t[h]);
        int32_t before = m->first - 1;
        /* (A document that is the subject — "the letter says" — speaks.) */
        int object = ends_with(d, c, "ing") || tok_word_eq(d, before, "in") || tok_word_eq(d, before, "on") ||
                     tok_word_eq(d, before, "via");
        int medium = object && m->kind != MK_NAME && m->kind != MK_PRONOUN &&
                     ((hl && hl->channel && !hl->outlet) || tok_word_eq(d, h, "message") || tok_word_eq(d, h, "post") ||
                      tok_word_eq(d, h, "tweet"));
        int what = m->first > floor && tok_word_eq(d, m->first - 1, "what");
        mention first;
        if (!(medium || what)) return 1;
        if (sayso_np_first(d, floor, m->first - 1 - what, &first) && first.first < m->first) {
            *m = first;
            return 1;
        }
        return !medium;
    }
    /* The clause starts after the last comma-free stretch for infinitives;
     * for participles at the sentence start. */
    int32_t start = floor;
    if (infinitive) {
        /* (a dash ends a clause too: "… Goldman said — Behr cut in to
         * joke, …") */
        for (int32_t j = c - 1; j > floor && j > c - 40; j--)
            if (tok_is(d, j, ',') || tok_is(d, j, ';') ||
                (d->t[j].kind == TK_PUNCT && (d->t[j].ch == 0x2014 || d->t[j].ch == 0x2013))) {
                start = j + 1;
                break;
            }
    }
    if (sayso_np_first(d, start, c - 1, m)) return 1;
    if (start != floor && sayso_np_first(d, floor, c - 1, m)) return 1;
    return 0;
}

/* A cue after the quotation: “…,” she said / “…,” said Smith. */
static int cue_after(const doc *d, const qspan *q, attribution *a)
{
    if (q->close < 0) return 0;
    int32_t r = q->close + 1;
    int32_t pl = para_last(d, q->close);
    if (r > pl) return 0;
    /* “…” ― Sonya Herridge: a dash and a name, as under a pull quote. */
    if (d->t[r].kind == TK_PUNCT && (d->t[r].ch == 0x2015 || d->t[r].ch == 0x2014 || d->t[r].ch == 0x2013 ||
                                     d->t[r].ch == '-') && r + 1 <= pl) {
        mention m;
        if (sayso_np_after(d, r + 1, pl, &m) && m.kind == MK_NAME &&
            (m.last + 1 > pl || (d->t[m.last + 1].kind == TK_PUNCT && !tok_is(d, m.last + 1, ',')) ||
             (d->t[m.last + 1].flags & TF_NL))) {
            a->cue_first = a->cue_last = r;
            a->src = m;
            a->has_src = 1;
            return 1;
        }
    }
    if (tok_is(d, r, ',') || (d->t[r].kind == TK_PUNCT && (d->t[r].ch == 0x2014 || d->t[r].ch == 0x2013))) r++;
    if (r > pl) return 0;
    /* "Quill says Rydell’s “plan is reckless.” She says it …": a
     * quotation that ends its sentence after its own cue leaves the next
     * sentence's cue to the next sentence; in "Vantix said: “…,” adding
     * that …" the participle carries on after the quote. */
    if (((d->t[r].flags & TF_SENT) || (ends_with(d, r, "ing") && is_cue(d, r))) && q->open > 0) {
        int32_t s0 = sent_first(d, q->open);
        for (int32_t j = q->open - 1; j >= s0 && j >= q->open - 40; j--)
            if (!(d->t[j].flags & TF_INQUOTE) && is_cue(d, j)) return 0;
    }
    /* Inverted order: said Smith, according to the poll. */
    if (is_cue(d, r)) {
        set_cue(a, d, r);
        int32_t s = a->cue_last + 1;
        mention m;
        if (sayso_np_after(d, s, pl, &m)) { a->src = m; a->has_src = 1; }
        else if (sayso_np_before(d, r, r, &m)) { a->src = m; a->has_src = 1; }
        return 1;
    }
    /* A name with appositions may take a few dozen words before its verb. */
    int32_t reach = d->t[r].ment >= 0 && d->m[d->t[r].ment].kind == MK_NAME ? 32 : 14;
    int32_t limit = r + reach < pl ? r + reach : pl;
    for (int32_t j = r; j <= limit; j++) {
        if (tok_is(d, j, '(')) {
            /* "Rep. Ana Ortiz (D-Ore.) said": parentheses hide their periods. */
            int32_t k = j + 1;
            while (k <= pl && k < j + 12 && !tok_is(d, k, ')')) k++;
            if (tok_is(d, k, ')')) { j = k; if (limit < pl) limit++; continue; }
        }
        if (stops_scan(d, j)) return 0;
        int cue = is_cue(d, j);
        if (!cue) continue;
        if (j == r) return 0;
        mention m;
        if (cue == 2) {
            /* “Bobby!” at a conference last month, according to X. But
             * after a quotation that ends its sentence, "according to"
             * further on sources the next sentence's own claim: “…” Lee has
             * moved on, according to the paper. */
            if ((d->t[r].flags & TF_SENT) && d->t[j].sent != d->t[q->close].sent) return 0;
            if (!sayso_np_after(d, j + 2, pl, &m)) return 0;
            set_cue(a, d, j);
            a->src = m;
            a->has_src = 1;
            return 1;
        }
        if (!sayso_np_before(d, j, r, &m) || (m.first != r && !(m.first == r + 1 && is_det(d, r)))) {
            /* “…,” Tomas Rydell, the state’s attorney general, one of the
             * officials who sued, said / “…,” Ms. Kim of the Harbor Trust
             * said: the name that opens the stretch, when
             * what follows it hangs on it. */
            int32_t x = d->t[r].ment;
            /* "a spokesperson for Vantix said": a description of the pass. */
            if (x >= 0 && d->m[x].kind == MK_DESC && d->m[x].last + 1 == j) {
                set_cue(a, d, j);
                a->src = d->m[x];
                a->has_src = 1;
                return 1;
            }
            if (x < 0 || d->m[x].kind != MK_NAME) return 0;
            int32_t after = d->m[x].last + 1;
            if (!(tok_is(d, after, ',') || tok_is(d, after, '(') || tok_word_eq(d, after, "of") ||
                  tok_word_eq(d, after, "from") || tok_word_eq(d, after, "at")))
                return 0;
            if (!(tok_is(d, j - 1, ',') || tok_is(d, j - 1, ')') || !tok_is(d, after, ','))) return 0;
            m = d->m[x];
        }
        set_cue(a, d, j);
        a->src = m;
        a->has_src = 1;
        return 1;
    }
    return 0;
}

/* The last token of the reported clause that starts at k: the end of the
 * sentence, without its final punctuation. */
static int32_t clause_end(const doc *d, int32_t k)
{
    int32_t e = sent_last(d, k);
    while (e > k && d->t[e].kind == TK_PUNCT && !(d->t[e].flags & TF_INQUOTE)) e--;
    return e;
}

/* Skips what may stand between a cue and its reported clause: time and
 * place adjuncts ("said on Monday", "told reporters Friday", "wrote in a
 * statement"). Never passes 'limit'. */
static int32_t skip_adjuncts(const doc *d, int32_t k, int32_t limit)
{
    for (int guard = 0; k < limit && guard < 4; guard++) {
        uint32_t f = tok_lexflags(d, k);
        if ((f & LX_CALENDAR) || tok_word_eq(d, k, "yesterday") || tok_word_eq(d, k, "today") ||
            tok_word_eq(d, k, "tonight") || tok_word_eq(d, k, "earlier") || tok_word_eq(d, k, "later")) {
            k++;
            continue;
        }
        if ((tok_word_eq(d, k, "on") || tok_word_eq(d, k, "last") || tok_word_eq(d, k, "this") ||
             tok_word_eq(d, k, "late") || tok_word_eq(d, k, "early")) && k + 1 < limit &&
            (tok_lexflags(d, k + 1) & LX_CALENDAR)) {
            k += 2;
            continue;
        }
        break;
    }
    if (tok_is(d, k, ',') && k + 1 < limit) k++;
    /* "said in a statement that", "told reporters on Friday that": the
     * reported clause starts at "that" when it comes soon. */
    for (int32_t j = k; j < limit && j < k + 14; j++) {
        if ((d->t[j].kind != TK_WORD && d->t[j].kind != TK_NUM && !(tok_is(d, j, '.') && (d->t[j].flags & TF_NOEND))) ||
            (d->t[j].flags & TF_INQUOTE))
            break;
        if (tok_word_eq(d, j, "that")) return j;
    }
    return k;
}

/* A cue before the quotation, in the same sentence: Smith said: “…” or,
 * with more words in between, a mixed quote. */
static int cue_before(const doc *d, const qspan *q, attribution *a, int *mixed_from, int32_t *mixed_to)
{
    *mixed_to = -1;
    int32_t open = q->open >= 0 ? q->open : q->first;
    int32_t s0 = sent_first(d, open);
    *mixed_from = -1;
    if (open <= s0) return 0;
    int32_t c = -1;
    /* A cue governs a quotation within a few dozen words, not across a
     * whole run-on sentence; the bound also keeps the scan linear. */
    for (int32_t j = open - 1; j >= s0 && j >= open - 60; j--) {
        if (d->t[j].flags & TF_INQUOTE) continue;
        if (is_cue(d, j)) { c = j; break; }
    }
    if (c < 0) return 0;
    set_cue(a, d, c);
    mention m;
    if (tok_word_eq(d, c, "according")) {
        if (sayso_np_after(d, c + 2, open - 1, &m)) { a->src = m; a->has_src = 1; }
    } else if (subject_of(d, c, s0, &m)) {
        a->src = m;
        a->has_src = 1;
        /* "Lynch said she recalled thinking, “…”": a pronoun subject of a
         * clause reported by its own speaker; the report's subject, named,
         * is the source. */
        int32_t r = m.first - 1;
        if (m.kind == MK_PRONOUN && r > s0 && tok_word_eq(d, r, "that")) r--;
        mention outer;
        if (m.kind == MK_PRONOUN && r > s0 && (tok_lexflags(d, r) & LX_REPORT) && is_cue(d, r) == 1 &&
            subject_of(d, r, s0, &outer) && outer.kind == MK_NAME && outer.entity >= 0 && outer.entity == m.entity) {
            set_cue(a, d, r);
            a->src = outer;
        }
    } else if ((c == s0 || d->t[c - 1].kind == TK_MARK || tok_is(d, c - 1, ',')) &&
               sayso_np_after(d, a->cue_last + 1, open - 1, &m) && m.kind == MK_NAME) {
        /* "Said Smith: “…”" */
        a->src = m;
        a->has_src = 1;
    }
    /* What stands between the cue and the mark decides direct or mixed. */
    int words = 0;
    for (int32_t j = a->cue_last + 1; j < open && words <= 4; j++) {
        if (d->t[j].flags & TF_INQUOTE) continue;
        if (d->t[j].kind == TK_WORD || d->t[j].kind == TK_NUM) words++;
    }
    int32_t before = open - 1;
    int introduced = tok_is(d, before, ':') || tok_is(d, before, ',') || before == a->cue_last;
    if (!((q->flags & QF_FULL) && introduced && words <= 4)) *mixed_from = skip_adjuncts(d, a->cue_last + 1, open);
    if (tok_word_eq(d, c, "according")) *mixed_from = -1;
    /* "Rydell said the wave of closures demands that every town do
     * “more planning”": the words quoted are reported by the
     * outer speech verb of the sentence, and so by its subject. */
    if (*mixed_from >= 0) {
        for (int32_t j = s0; j < c && j >= c - 40; j++) {
            if (tok_is(d, j, ';')) break;
            if ((d->t[j].flags & TF_INQUOTE) || d->t[j].kind == TK_MARK) continue;
            if (!(tok_lexflags(d, j) & LX_REPORT) || is_cue(d, j) != 1) continue;
            mention om;
            if (!subject_of(d, j, s0, &om)) continue;
            set_cue(a, d, j);
            a->src = om;
            a->has_src = 1;
            *mixed_from = skip_adjuncts(d, a->cue_last + 1, open);
            break;
        }
    }
    /* "Calling the closure “a slap in the face,” Okonjo voted against it":
     * a participle opening the sentence reports what the main clause's
     * subject said; the clause ends at the comma after the quotation. */
    if (c == s0 && ends_with(d, c, "ing") && q->close >= 0 &&
        (tok_is(d, q->close + 1, ',') || tok_is(d, q->close - 1, ',')) && !(q->flags & QF_FULL)) {
        mention sm;
        int32_t subj = q->close + 1 + tok_is(d, q->close + 1, ',');
        if (sayso_np_after(d, subj, sent_last(d, q->close), &sm)) { a->src = sm; a->has_src = 1; }
        *mixed_from = a->cue_last + 1;
        *mixed_to = q->close;
    }
    return 1;
}

/* Transcript turns: "WALLACE: Let's start ... */
static int transcript_turn(const doc *d, const qspan *q, attribution *a, range *content)
{
    int32_t k = q->first, n = 0;
    while (k <= q->last && d->t[k].kind == TK_WORD && (d->t[k].flags & TF_ALLCAPS) && n < 4) { k++; n++; }
    if (n == 0 || !tok_is(d, k, ':') || k + 1 > q->last) return 0;
    a->cue_first = a->cue_last = k;
    memset(&a->src, 0, sizeof a->src);
    a->src.first = a->src.name_first = q->first;
    a->src.last = a->src.name_last = k - 1;
    a->src.kind = MK_NAME;
    a->src.entity = -1;
    a->has_src = 1;
    content->first = k + 1;
    content->last = q->close >= 0 ? q->close : q->last;
    return 1;
}

/* A colon closing the previous paragraph: "Legend continued:" */
static int colon_paragraph(const doc *d, const qspan *q, attribution *a)
{
    int32_t open = q->open >= 0 ? q->open : q->first;
    if (open == 0) return 0;
    int32_t prev_last = open - 1;
    /* Also within a paragraph: "Tate took a gentler line in a LinkedIn
     * post: “…”" has no speech verb, but the colon speaks for one. */
    if (!tok_is(d, prev_last, ':') || (d->t[prev_last].flags & TF_INQUOTE)) return 0;
    if (!(d->t[open].flags & TF_PARA) && !(q->flags & QF_FULL)) return 0;
    int32_t s0 = sent_first(d, prev_last);
    mention m;
    for (int32_t j = prev_last - 1; j >= s0; j--) {
        if (d->t[j].flags & TF_INQUOTE) continue;
        if (!is_cue(d, j)) continue;
        set_cue(a, d, j);
        if (tok_word_eq(d, j, "according")) {
            if (sayso_np_after(d, j + 2, prev_last - 1, &m)) { a->src = m; a->has_src = 1; }
        } else if (subject_of(d, j, s0, &m)) {
            a->src = m;
            a->has_src = 1;
        }
        return 1;
    }
    a->cue_first = a->cue_last = prev_last;
    if (sayso_np_first(d, s0, prev_last - 1, &m) && (m.kind == MK_NAME || m.kind == MK_PRONOUN || m.kind == MK_DESC)) {
        a->src = m;
        a->has_src = 1;
    }
    return 1;
}

/* The previous paragraph, narrative, ends with a speech verb sentence:
 * "He also acknowledged how their pain isn't unique to them." */
static int narrative_lead(const doc *d, const qspan *q, attribution *a)
{
    int32_t open = q->open >= 0 ? q->open : q->first;
    if (open == 0) return 0;
    int32_t pl = open - 1;
    int32_t s0 = sent_first(d, pl);
    if (d->t[open].flags & TF_PARA) {
        for (int32_t j = para_first(d, pl); j <= pl; j++)
            if (d->t[j].flags & TF_INQUOTE) return 0;
    } else {
        /* Or the sentence just before in the same paragraph, ended by a
         * period or colon: "Quill addressed the rumours. “Hello
         * everyone, …”" */
        if (!(tok_is(d, pl, '.') || tok_is(d, pl, ':')) || d->t[pl].para != d->t[open].para) return 0;
        for (int32_t j = s0; j <= pl; j++)
            if ((d->t[j].flags & TF_INQUOTE) || d->t[j].kind == TK_MARK) return 0;
    }
    /* In the same paragraph a verb of the attribution lexicon leads too
     * ("addressed the rumours", "hit back"). */
    int same_para = !(d->t[open].flags & TF_PARA);
    for (int32_t j = s0; j <= pl; j++) {
        if (!is_cue(d, j) && !(same_para && (tok_lexflags(d, j) & LX_ATTR))) continue;
        mention m;
        if (subject_of(d, j, s0, &m) && (m.kind == MK_NAME || m.kind == MK_PRONOUN || m.kind == MK_DESC)) {
            set_cue(a, d, j);
            a->src = m;
            a->has_src = 1;
            return 1;
        }
        return 0;
    }
    return 0;
}

/* ---- round-ups: the quote first, its speaker in the paragraph after ---- */

/* A paragraph that is one quotation and nothing else (bar the closing
 * punctuation). Returns its paragraph index, or -1. */
static int32_t quote_paragraph(const doc *d, const qspan *q)
{
    if (q->flags & (QF_TITLE | QF_NOOPEN | QF_MULTIPARA) || q->open < 0 || q->close < 0) return -1;
    if (!(d->t[q->open].flags & TF_PARA)) return -1;
    int32_t p = d->t[q->open].para;
    for (int32_t k = q->close + 1; k <= d->para[p].last; k++)
        if (d->t[k].kind != TK_PUNCT) return -1;
    return p;
}

/* The person a short narrative paragraph names: the agent after "according
 * to" or "by" when there is one ("… was entertained by X"), else the first
 * name taken for a person that does not only modify a noun ("Dublin
 * centre-back X"). No quotation marks, at most two sentences, few words:
 * an introduction, not a story. -1 when the paragraph is none of these. */
static int32_t intro_person(const doc *d, int32_t p)
{
    if (p < 0 || (size_t)p >= d->npara) return -1;
    int32_t f = d->para[p].first, l = d->para[p].last;
    if (l - f > 60 || d->t[l].sent - d->t[f].sent > 1) return -1;
    int32_t first = -1;
    for (int32_t k = f; k <= l; k++) {
        if ((d->t[k].flags & TF_INQUOTE) || d->t[k].kind == TK_MARK) return -1;
        if (d->t[k].ment < 0) continue;
        const mention *x = &d->m[d->t[k].ment];
        if (x->kind != MK_NAME || x->modifier || x->entity < 0) continue;
        const entity *e = &d->ent[x->entity];
        if (!e->person || e->org) continue;
        if (k >= f + 1 && (tok_word_eq(d, k - 1, "by") ||
                           (k >= f + 2 && tok_word_eq(d, k - 1, "to") && tok_word_eq(d, k - 2, "according"))))
            return d->t[k].ment;
        if (first < 0) first = d->t[k].ment;
    }
    return first;
}

/* Round-ups ("what they said") open with a bare quotation and name each
 * speaker in the short paragraph after the quote; read as usual, each quote
 * would go to the person named before it, who is the previous quote's
 * speaker. The layout is the article's, so it is recognised once: the body
 * opens with a quotation paragraph, and at least three quotation paragraphs,
 * two in three of them, are followed by such an introduction. */
static int quote_first_layout(const doc *d)
{
    int n = 0, intro = 0, opens = 0;
    for (size_t qi = 0; qi < d->nqs; qi++) {
        int32_t p = quote_paragraph(d, &d->qs[qi]);
        if (p < 0) continue;
        if (n == 0) {
            /* The first quotation paragraph must be the body's first. */
            int32_t k = d->para[p].first;
            opens = 1;
            for (int32_t j = 0; j < k && opens; j++)
                if (d->t[j].kind == TK_WORD && d->t[j].b >= d->body) opens = 0;
            if (!opens) return 0;
        }
        n++;
        intro += intro_person(d, p + 1) >= 0;
    }
    return opens && intro >= 3 && 3 * intro >= 2 * n;
}

/* In that layout, the quotation paragraph's speaker is the one the next
 * paragraph introduces. */
static int trailing_intro(const doc *d, const qspan *q, attribution *a)
{
    int32_t p = quote_paragraph(d, q);
    int32_t mi = p >= 0 ? intro_person(d, p + 1) : -1;
    if (mi < 0) return 0;
    a->src = d->m[mi];
    a->has_src = 1;
    return 1;
}

static void init_attr(attribution *a, int32_t qi)
{
    memset(a, 0, sizeof *a);
    a->cue_first = a->cue_last = -1;
    a->q0 = qi;
    a->src.entity = -1;
}

/* After an attribution that ends at token x (cue or source), a quotation
 * that starts right after a comma or period and has no cue of its own is
 * the same quote going on: “A,” he said, “B.” */
static void merge_continuation(doc *d, attribution *a, int32_t x, size_t qi)
{
    for (size_t n = qi + 1; n < d->nqs; n++) {
        qspan *q2 = &d->qs[n];
        if (q2->flags & (QF_USED | QF_TITLE) || q2->open < 0) return;
        int32_t k = x + 1, guard = 0;
        while (k < q2->open && guard < 10) {
            /* Words after the cue ("said Thursday on Fox") and titles in them. */
            if (d->t[k].kind == TK_WORD && !(d->t[k].flags & TF_INQUOTE)) { k++; guard++; continue; }
            if (d->t[k].q >= 0 && (d->qs[d->t[k].q].flags & QF_TITLE) && d->qs[d->t[k].q].close >= 0) {
                k = d->qs[d->t[k].q].close + 1;
                guard++;
                continue;
            }
            break;
        }
        if (d->t[k - 1].q >= 0 && (d->qs[d->t[k - 1].q].flags & QF_TITLE) && k == q2->open) {
            /* “Fox and Friends.” ends with its own period. */
        } else
        if (!(tok_is(d, k, ',') || tok_is(d, k, '.') || tok_is(d, k, ':') || tok_is(d, k, ';'))) return;
        if (k + 1 != q2->open) return;
        if (d->t[q2->open].para != d->t[x].para) return;
        attribution probe;
        init_attr(&probe, (int32_t)n);
        if (cue_after(d, q2, &probe)) return;
        add_content(d, a, span_range(d, q2));
        q2->flags |= QF_USED;
        if (q2->close < 0) return;
        x = q2->close;
        /* Only one interruption is common; a second needs the same shape. */
    }
}

static int32_t attr_end(const attribution *a)
{
    int32_t x = a->cue_last;
    if (a->has_src && a->src.last > x) x = a->src.last;
    return x;
}

/* ---- reported speech without quotation marks -------------------------- */

/* Words in [a, b], counted up to 'enough': callers only ask "at least n?",
 * and stopping early keeps a sentence of a million words linear. */
static int words_in(const doc *d, int32_t a, int32_t b)
{
    const int enough = 8;
    int n = 0;
    for (int32_t k = a; k <= b && n < enough; k++) n += d->t[k].kind == TK_WORD || d->t[k].kind == TK_NUM;
    return n;
}

/* Does a clause start at k: "that", a pronoun, a determiner, a name or a
 * number? ("said the plan", "said he would", "told reporters that") */
static int clause_starts(const doc *d, int32_t k)
{
    if ((size_t)k >= d->nt) return 0;
    if (tok_word_eq(d, k, "that")) return 1;
    uint32_t f = tok_lexflags(d, k);
    if (f & LX_PRONOUN) return !tok_word_eq(d, k, "him") && !tok_word_eq(d, k, "them") && !tok_word_eq(d, k, "me") &&
                               !tok_word_eq(d, k, "us");
    if (is_det(d, k) || d->t[k].kind == TK_NUM) return 1;
    if (sayso_is_name_token(d, k)) return 1;
    return tok_word_eq(d, k, "there") || tok_word_eq(d, k, "it") || tok_word_eq(d, k, "if") ||
           tok_word_eq(d, k, "some") || tok_word_eq(d, k, "many") || tok_word_eq(d, k, "most") ||
           tok_word_eq(d, k, "no") || tok_word_eq(d, k, "all");
}

/* One sentence without quotation marks: "Officials said (that) CLAUSE",
 * "CLAUSE, she said.", "According to the poll, CLAUSE." */
static int indirect_in_sentence(const doc *d, int32_t sf, int32_t sl, attribution *a)
{
    int32_t end = sl;
    while (end > sf && d->t[end].kind == TK_PUNCT) end--;
    if (words_in(d, sf, end) < 5) return 0;
    for (int32_t c = sf; c <= end; c++) {
        int n = is_cue(d, c);
        if (!n) continue;
        mention m;
        if (n == 2 && tok_word_eq(d, c, "according")) {
            /* According to X, CLAUSE  /  CLAUSE, according to X. */
            int32_t comma = -1;
            for (int32_t j = c + 2; j <= end && j < c + 14; j++)
                if (tok_is(d, j, ',')) { comma = j; break; }
            if (c == sf && comma > 0 && sayso_np_after(d, c + 2, comma - 1, &m) && words_in(d, comma + 1, end) >= 4) {
                range r = { comma + 1, end };
                add_content(d, a, r);
            } else if (c > sf + 3 && tok_is(d, c - 1, ',') && sayso_np_after(d, c + 2, end, &m)) {
                range r = { sf, c - 2 };
                add_content(d, a, r);
            } else {
                return 0;
            }
            set_cue(a, d, c);
            a->src = m;
            a->has_src = 1;
            return 1;
        }
        if (!(tok_lexflags(d, c) & LX_REPORT) || ends_with(d, c, "ing")) continue;
        /* CLAUSE, SUBJ said.  /  CLAUSE, said SUBJ. */
        int32_t after = c + 1;
        while (after <= end && d->t[after].kind == TK_WORD && after < c + 4 &&
               ((tok_lexflags(d, after) & LX_CALENDAR) || tok_word_eq(d, after, "on") ||
                tok_word_eq(d, after, "last") || tok_word_eq(d, after, "in") || tok_word_eq(d, after, "a") ||
                tok_word_eq(d, after, "an") || tok_word_eq(d, after, "statement") || tok_word_eq(d, after, "interview")))
            after++;
        if (after > end) {
            int32_t comma = -1;
            for (int32_t j = c - 1; j > sf && j > c - 14; j--)
                if (tok_is(d, j, ',')) { comma = j; break; }
            if (comma < 0 || words_in(d, sf, comma - 1) < 4) return 0;
            if (sayso_np_before(d, c, comma + 1, &m) && m.first == comma + 1) {
                /* subject before the cue */
            } else if (sayso_np_after(d, c + 1, end, &m) && c == comma + 1) {
                /* inverted */
            } else {
                return 0;
            }
            range r = { sf, comma - 1 };
            add_content(d, a, r);
            set_cue(a, d, c);
            a->src = m;
            a->has_src = 1;
            return 1;
        }
        /* SUBJ said [adjuncts] [that] CLAUSE. */
        if (!subject_of(d, c, sf, &m)) continue;
        int32_t k = skip_adjuncts(d, c + 1, end);
        if (tok_word_eq(d, c, "told") || tok_word_eq(d, c, "tells") || tok_word_eq(d, c, "tell") ||
            tok_word_eq(d, c, "telling")) {
            /* told reporters that / told CNN that: the addressee first */
            int32_t j = k;
            while (j <= end && j < k + 5 && !tok_word_eq(d, j, "that") && d->t[j].kind == TK_WORD) j++;
            if (!tok_word_eq(d, j, "that")) continue;
            k = j;
        }
        /* Only "say" takes a bare clause ("said the plan would fail"); other
         * verbs take an object too ("confirmed the date"), so they need
         * "that" to report speech. */
        int say = tok_word_eq(d, c, "said") || tok_word_eq(d, c, "says") || tok_word_eq(d, c, "say");
        if (!(say ? clause_starts(d, k) : tok_word_eq(d, k, "that")) || words_in(d, k, end) < 4) continue;
        range r = { k, end };
        add_content(d, a, r);
        set_cue(a, d, c);
        a->src = m;
        a->has_src = 1;
        return 1;
    }
    return 0;
}

static int add_indirect(doc *d, attributions *out)
{
    for (size_t s = 0; s < d->nsent; s++) {
        int32_t sf = d->sent[s].first, sl = d->sent[s].last;
        int marks = 0;
        for (int32_t k = sf; k <= sl && !marks; k++)
            marks = d->t[k].kind == TK_MARK || (d->t[k].flags & TF_INQUOTE);
        if (marks) continue;
        attribution a;
        init_attr(&a, -1);
        if (!indirect_in_sentence(d, sf, sl, &a)) continue;
        a.type = SAYSO_INDIRECT;
        a.confidence = 0.6f;
        attribution *slot = DOC_PUSH(out->a, out->n, out->cap);
        if (!slot) return -1;
        *slot = a;
    }
    return 0;
}

int sayso_attribute(doc *d, attributions *out)
{
    out->n = 0;
    int quote_first = quote_first_layout(d);
    for (size_t qi = 0; qi < d->nqs; qi++) {
        qspan *q = &d->qs[qi];
        if (q->flags & (QF_USED | QF_TITLE) || q->nwords == 0) continue;
        attribution a;
        init_attr(&a, (int32_t)qi);
        range r = span_range(d, q);
        int mixed_from = -1;
        int32_t mixed_to = -1;
        int32_t open = q->open >= 0 ? q->open : q->first;
        range tr;

        if ((q->flags & QF_NOOPEN) && !cue_after(d, q, &a)) {
            continue; /* a stray closing mark, unless a cue confirms the quote */
        } else if (transcript_turn(d, q, &a, &tr)) {
            add_content(d, &a, tr);
            a.type = SAYSO_DIRECT;
            a.confidence = 0.8f;
        } else if (cue_after(d, q, &a)) {
            int32_t s0 = sent_first(d, open);
            int words_before = 0;
            for (int32_t j = open - 1; j >= s0 && words_before < 2; j--)
                words_before += d->t[j].kind == TK_WORD && !(d->t[j].flags & TF_INQUOTE);
            if (!(q->flags & QF_FULL) && words_before >= 2) {
                range mr = { s0, r.last };
                add_content(d, &a, mr);
                a.type = SAYSO_MIXED;
                a.confidence = 0.7f;
            } else {
                add_content(d, &a, r);
                a.type = SAYSO_DIRECT;
                a.confidence = a.has_src ? 0.9f : 0.6f;
            }
            q->flags |= QF_USED;
            merge_continuation(d, &a, attr_end(&a), qi);
        } else if (cue_before(d, q, &a, &mixed_from, &mixed_to)) {
            if (mixed_from >= 0) {
                range mr = { mixed_from, mixed_to >= 0 ? mixed_to : clause_end(d, r.last) };
                if (mr.last < r.last) mr.last = r.last;
                /* "… that Machado was “disgusting” and encouraged Americans to
                 * “check out” …": a second cue coordinated after the quote
                 * starts another attribution. */
                for (int32_t j = r.last + 1; j < mr.last && j < r.last + 60; j++) {
                    if ((d->t[j].flags & TF_INQUOTE) || !is_cue(d, j)) continue;
                    if (tok_word_eq(d, j - 1, "and") || tok_is(d, j - 1, ',')) {
                        mr.last = j - 2;
                        while (mr.last > r.last && d->t[mr.last].kind == TK_PUNCT) mr.last--;
                        break;
                    }
                }
                add_content(d, &a, mr);
                a.type = SAYSO_MIXED;
                a.confidence = 0.7f;
                /* Other fragments in the clause belong to this quote. */
                for (size_t n = qi + 1; n < d->nqs && d->qs[n].first <= mr.last; n++) d->qs[n].flags |= QF_USED;
            } else {
                add_content(d, &a, r);
                a.type = SAYSO_DIRECT;
                a.confidence = 0.85f;
                if (q->close >= 0) merge_continuation(d, &a, q->close, qi);
            }
        } else if (!(q->flags & QF_FULL)) {
            /* A fragment with no speech verb, in a sentence whose subject is
             * a person: "Quill openly admires Rydell as a “true leader,”".
             * Readers (and PolNeAR) attribute the words to the subject; on
             * PolNeAR train 3 in 4 of these are real quotes. Single quoted
             * words ("luxury") stay scare quotes. */
            int32_t s0 = sent_first(d, open);
            mention m;
            if (q->nwords < 2 || open <= s0 || !sayso_np_first(d, s0, open - 1, &m) ||
                !(m.kind == MK_NAME || m.kind == MK_PRONOUN) || m.last + 2 > open - 1 ||
                (d->t[m.last + 1].kind != TK_WORD))
                continue;
            a.src = m;
            a.has_src = 1;
            /* The verb: the first plain word after the subject and what
             * hangs on it ("Judge Lowell of the Superior Court ruled",
             * "Quill openly admires"). */
            int32_t v = m.last + 1;
            for (int32_t j = m.last + 1; j < open - 1 && j < m.last + 12; j++) {
                const tok *u = &d->t[j];
                if (u->kind != TK_WORD || (u->flags & TF_CAP) || (u->lf & LX_FUNC) || ends_with(d, j, "ly")) continue;
                v = j;
                break;
            }
            a.cue_first = a.cue_last = v;
            range mr = { v + 1, clause_end(d, r.last) };
            if (mr.last < r.last) mr.last = r.last;
            add_content(d, &a, mr);
            a.type = SAYSO_MIXED;
            a.confidence = 0.4f;
            for (size_t n = qi + 1; n < d->nqs && d->qs[n].first <= mr.last; n++) d->qs[n].flags |= QF_USED;
        } else if (colon_paragraph(d, q, &a)) {
            add_content(d, &a, r);
            a.type = SAYSO_DIRECT;
            a.confidence = 0.8f;
        } else {
            /* A quotation paragraph that carries on the previous attributed
             * quote, or follows a narrative sentence with a speech verb. */
            attribution *prev = out->n ? &out->a[out->n - 1] : NULL;
            int32_t prev_para = prev ? d->t[prev->content[prev->ncontent - 1].last].para : -2;
            int32_t this_para = d->t[open].para;
            if (quote_first && trailing_intro(d, q, &a)) {
                a.confidence = 0.6f;
            } else if (!(d->t[open].flags & TF_PARA) && narrative_lead(d, q, &a)) {
                /* led by the sentence before it in its own paragraph: that
                 * says more than the quote of the paragraph before */
                a.confidence = 0.6f;
            } else if (prev && prev->has_src && (prev_para == this_para || prev_para == this_para - 1) &&
                       (prev->type == SAYSO_DIRECT)) {
                a.src = prev->src;
                a.has_src = 1;
                a.confidence = 0.65f;
                /* "“Will this make me look foolish?” Larkin asked her. (paragraph)
                 * “If it goes right, yes.”": the answer is the asked one's. */
                mention who;
                if (answer_of(d, prev, &who)) a.src = who;
            } else if (narrative_lead(d, q, &a)) {
                a.confidence = 0.6f;
            } else {
                a.confidence = 0.3f;
            }
            add_content(d, &a, r);
            a.type = SAYSO_DIRECT;
        }
        q->flags |= QF_USED;
        attribution *slot = DOC_PUSH(out->a, out->n, out->cap);
        if (!slot) return -1;
        *slot = a;
    }
    return add_indirect(d, out);
}
