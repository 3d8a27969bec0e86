/*
 * text.c — tokeniser and sentence/paragraph segmentation.
 *
 * The tokeniser is a single forward scan. ASCII is classified with a table;
 * other code points go through utf8proc's category lookup, so letters of any
 * script make words and any white space separates them. Quotation marks are
 * decided here only as far as the characters themselves allow: a ’ or '
 * between two letters is an apostrophe inside the word (It’s, O'Brien), one
 * before digits starts the word (’90s); the pairing of the rest is quotes.c's
 * business.
 */
#include <string.h>
#include <utf8proc.h>
#include "text.h"

uint32_t sayso_utf8_next(const char *str, size_t len, size_t *i)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t p = *i;
    unsigned char c = s[p];
    if (c < 0x80) { *i = p + 1; return c; }
    int n; uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; min = 0x10000; }
    else { *i = p + 1; return 0xFFFD; }
    for (int k = 1; k <= n; k++) {
        if (p + (size_t)k >= len || (s[p + k] & 0xC0) != 0x80) { *i = p + 1; return 0xFFFD; }
        cp = (cp << 6) | (s[p + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { *i = p + 1; return 0xFFFD; }
    *i = p + (size_t)n + 1;
    return cp;
}

size_t sayso_utf8_count(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    while (i < len) {
        /* Eight ASCII bytes at a time: most text. */
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & UINT64_C(0x8080808080808080))) { i += 8; n += 8; continue; }
        }
        if ((unsigned char)s[i] < 0x80) { i++; n++; continue; }
        sayso_utf8_next(s, len, &i);
        n++;
    }
    return n;
}

/* Character classes. */
enum { C_SPACE = 1, C_NL, C_LETTER, C_DIGIT, C_PUNCT, C_MARK, C_OTHER };

static int classify(uint32_t cp, int *upper, uint8_t *mark)
{
    *upper = 0;
    *mark = M_NONE;
    if (cp < 0x80) {
        if (cp == '\n') return C_NL;
        if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f' || cp == '\v') return C_SPACE;
        if (cp >= 'a' && cp <= 'z') return C_LETTER;
        if (cp >= 'A' && cp <= 'Z') { *upper = 1; return C_LETTER; }
        if (cp >= '0' && cp <= '9') return C_DIGIT;
        if (cp == '"') { *mark = M_DQ; return C_MARK; }
        if (cp == '\'') { *mark = M_SQ; return C_MARK; }
        if (cp < 0x20 || cp == 0x7F) return C_SPACE;
        return C_PUNCT;
    }
    switch (cp) {
    case 0x201C: case 0x201E: case 0x201F: *mark = M_LDQ; return C_MARK; /* “ „ ‟ */
    case 0x201D: *mark = M_RDQ; return C_MARK;                          /* ” */
    case 0x2018: case 0x201A: case 0x201B: *mark = M_LSQ; return C_MARK; /* ‘ ‚ ‛ */
    case 0x2019: *mark = M_RSQ; return C_MARK;                          /* ’ */
    case 0x00AB: *mark = M_LGU; return C_MARK;                          /* « */
    case 0x00BB: *mark = M_RGU; return C_MARK;                          /* » */
    case 0x2039: *mark = M_LSQ; return C_MARK;                          /* ‹ */
    case 0x203A: *mark = M_RSQ; return C_MARK;                          /* › */
    case 0x2028: case 0x2029: case 0x0085: return C_NL;
    case 0xFEFF: case 0x200B: case 0x200C: case 0x200D: case 0x2060: return C_SPACE;
    default: break;
    }
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: *upper = 1; return C_LETTER;
    case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return C_LETTER;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_ZS: return C_SPACE;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP: return C_NL;
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF: return C_SPACE;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return C_PUNCT;
    default: return C_OTHER;
    }
}

/* A peek at the next code point's class without consuming it. */
static int peek_class(const doc *d, size_t i, int *upper)
{
    uint8_t mk;
    if (i >= d->len) return 0;
    size_t j = i;
    uint32_t cp = sayso_utf8_next(d->text, d->len, &j);
    return classify(cp, upper, &mk);
}

/* Is the article hard-wrapped (lines cut at a fixed width, paragraphs
 * separated by blank lines)? Then a single line break is a space; in every
 * other article it ends a paragraph, as in feeds with a paragraph a line.
 * Looks at the first 200 lines only: wrapping is uniform. */
static int hard_wrapped(const char *s, size_t from, size_t len)
{
    size_t lines = 0, wrapped = 0, blank = 0, i = from;
    while (i < len && lines < 200) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len;
        size_t n = end - i;
        if (n == 0 || (n == 1 && s[i] == '\r')) blank++;
        else {
            lines++;
            /* A full line that the next line continues. */
            if (n >= 40 && n <= 100 && end + 1 < len && s[end + 1] != '\n' && s[end + 1] != '\r') wrapped++;
        }
        if (!nl) break;
        i = end + 1;
    }
    return blank > 0 && lines >= 4 && wrapped * 10 >= lines * 6;
}

/* ASCII letters (1) and digits (2) that make up words. */
#define L1(c) [c] = 1
static const uint8_t ASCII_WORD[256] = {
    L1('a'), L1('b'), L1('c'), L1('d'), L1('e'), L1('f'), L1('g'), L1('h'), L1('i'), L1('j'), L1('k'), L1('l'),
    L1('m'), L1('n'), L1('o'), L1('p'), L1('q'), L1('r'), L1('s'), L1('t'), L1('u'), L1('v'), L1('w'), L1('x'),
    L1('y'), L1('z'), L1('A'), L1('B'), L1('C'), L1('D'), L1('E'), L1('F'), L1('G'), L1('H'), L1('I'), L1('J'),
    L1('K'), L1('L'), L1('M'), L1('N'), L1('O'), L1('P'), L1('Q'), L1('R'), L1('S'), L1('T'), L1('U'), L1('V'),
    L1('W'), L1('X'), L1('Y'), L1('Z'),
    ['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2, ['5'] = 2, ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
};
#undef L1

static void finish_word(doc *d, tok *t)
{
    const char *w = d->text + t->b;
    size_t n = t->e - t->b;
    /* Possessive 's / ’s: the lexicon and name matching see the bare word. */
    size_t lookup = n;
    if (n > 2 && w[n - 1] == 's' && w[n - 2] == '\'') { t->flags |= TF_POSS; lookup = n - 2; }
    else if (n > 4 && w[n - 1] == 's' && (unsigned char)w[n - 2] == 0x99 &&
             (unsigned char)w[n - 3] == 0x80 && (unsigned char)w[n - 4] == 0xE2) {
        t->flags |= TF_POSS; lookup = n - 4;
    }
    t->li = sayso_lexicon_find_in(d->lx, w, lookup, d->len - t->b);
    t->lf = t->li ? d->lexv[t->li - 1].flags : 0;
    if (t->flags & TF_CAP) {
        size_t caps = 0, letters = 0;
        for (size_t k = 0; k < n; k++) {
            unsigned char c = (unsigned char)w[k];
            if (c >= 'A' && c <= 'Z') { caps++; letters++; }
            else if (c >= 'a' && c <= 'z') letters++;
        }
        if (letters >= 2 && caps == letters) t->flags |= TF_ALLCAPS;
    }
}

int sayso_segment(doc *d)
{
    const char *s = d->text;
    size_t len = d->len, i = d->body;
    size_t cp = sayso_utf8_count(s, d->body);
    int blank = hard_wrapped(s, d->body, len);
    uint16_t pending = TF_PARA | TF_SENT;
    int newlines = 0;

    d->nt = d->nsent = d->npara = 0;
    while (i < len) {
        /* ASCII white space fast path. */
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r') { i++; cp++; pending |= TF_SPACE; continue; }
        if (c == '\n') {
            i++; cp++;
            pending |= TF_SPACE | TF_NL;
            if (++newlines >= 2 || !blank) pending |= TF_PARA;
            continue;
        }
        size_t start = i, startcp = cp;
        int upper;
        uint8_t mark;
        uint32_t ch = sayso_utf8_next(s, len, &i);
        cp++;
        int cls = classify(ch, &upper, &mark);
        if (cls == C_SPACE) { pending |= TF_SPACE; continue; }
        if (cls == C_NL) {
            pending |= TF_SPACE | TF_NL;
            if (++newlines >= 2 || !blank) pending |= TF_PARA;
            continue;
        }
        newlines = 0;
        tok *t = DOC_PUSH(d->t, d->nt, d->capt);
        if (!t) return -1;
        memset(t, 0, sizeof *t);
        t->b = (uint32_t)start;
        t->cb = (uint32_t)startcp;
        t->ch = ch;
        t->flags = pending;
        t->q = -1;
        t->ment = -1;
        pending = 0;

        int up2;
        /* '' (two apostrophes, the typewriter's double quotation mark, as
         * in wire copy and newspaper archives: ''It's anti-reform,'' he
         * said): one double mark, not two single ones. */
        if (mark == M_SQ && ch == '\'' && i < len && s[i] == '\'') {
            i++;
            cp++;
            mark = M_DQ;
        }
        /* ’90s, 'til: an apostrophe that opens a word. */
        if ((mark == M_RSQ || mark == M_SQ) && peek_class(d, i, &up2) == C_DIGIT) {
            size_t j = i;
            int k = 0;
            while (j < len && s[j] >= '0' && s[j] <= '9') { j++; k++; }
            if (k == 2) { cls = C_LETTER; upper = 0; }
        }
        if (cls == C_LETTER || cls == C_DIGIT) {
            t->kind = cls == C_DIGIT ? TK_NUM : TK_WORD;
            if (upper) t->flags |= TF_CAP;
            for (;;) {
                /* ASCII letters and digits: the common case, a run at a
                 * time through a table, no decoding. */
                size_t r = i;
                unsigned seen = 0;
                while (r < len && ASCII_WORD[(unsigned char)s[r]]) seen |= ASCII_WORD[(unsigned char)s[r++]];
                if (r > i) {
                    if ((seen & 1) && t->kind == TK_NUM) t->kind = TK_WORD;
                    cp += r - i;
                    i = r;
                }
                if (i >= len) break;
                size_t j = i;
                uint8_t mk;
                int u;
                uint32_t c2 = sayso_utf8_next(s, len, &j);
                int k2 = classify(c2, &u, &mk);
                if (k2 == C_LETTER || k2 == C_DIGIT) {
                    if (k2 == C_LETTER && t->kind == TK_NUM) t->kind = TK_WORD; /* 41st, 1990s */
                    i = j; cp++;
                    continue;
                }
                /* Inside-word joiners: apostrophes, hyphens, and the
                 * separators of numbers (1,000 and 3.5). */
                int joiner = (mk == M_SQ || mk == M_RSQ) || c2 == '-' || c2 == 0x2011 ||
                             ((c2 == ',' || c2 == '.') && t->kind == TK_NUM);
                if (!joiner) break;
                int u3;
                int next = peek_class(d, j, &u3);
                int ok = (c2 == ',' || c2 == '.') ? next == C_DIGIT
                         : (c2 == '-' || c2 == 0x2011) ? (next == C_LETTER || next == C_DIGIT)
                         : next == C_LETTER;
                if (ok) {
                    if (c2 == '-' || c2 == 0x2011) t->flags |= TF_HYPHEN;
                    i = j; cp++;
                    continue;
                }
                break;
            }
            t->e = (uint32_t)i;
            t->ce = (uint32_t)cp;
            if (t->kind == TK_WORD) finish_word(d, t);
            continue;
        }
        t->e = (uint32_t)i;
        t->ce = (uint32_t)cp;
        if (cls == C_MARK) { t->kind = TK_MARK; t->mark = mark; }
        else if (cls == C_PUNCT) t->kind = TK_PUNCT;
        else t->kind = TK_OTHER;
        /* A period after an abbreviation or an initial does not end a sentence. */
        if (ch == '.' && d->nt >= 2 && !(t->flags & TF_SPACE)) {
            tok *p = &d->t[d->nt - 2];
            if (p->kind == TK_WORD) {
                size_t n = p->e - p->b;
                if (((p->lf & LX_ABBREV)) ||
                    (n == 1 && (p->flags & TF_CAP)) ||
                    (d->nt >= 3 && d->t[d->nt - 3].ch == '.' && d->t[d->nt - 3].e == p->b && n <= 2))
                    t->flags |= TF_NOEND;
            }
        }
    }

    /* Paragraphs and sentences in one pass over the tokens. */
    for (size_t k = 0; k < d->nt; k++) {
        tok *t = &d->t[k];
        if (k == 0) t->flags |= TF_PARA;
        if (t->flags & TF_PARA) {
            t->flags |= TF_SENT;
            range *r = DOC_PUSH(d->para, d->npara, d->cappara);
            if (!r) return -1;
            r->first = r->last = (int32_t)k;
        }
        if (k > 0 && !(t->flags & TF_SENT)) {
            /* Sentence end: . ! ? … (not an abbreviation's period), possibly
             * followed by closing marks or brackets, then a token that does
             * not continue the sentence in lower case. */
            /* At most three closing marks or brackets between the ender and
             * here (”’) is already a lot); an unbounded walk back would make
             * a run of marks quadratic. */
            size_t p = k - 1;
            for (int back = 0; back < 3 && p > 0 && (d->t[p].kind == TK_MARK || d->t[p].ch == ')') &&
                               !(d->t[p].flags & TF_SPACE) && d->t[p].mark != M_LDQ && d->t[p].mark != M_LSQ;
                 back++)
                p--;
            tok *e = &d->t[p];
            int ender = e->kind == TK_PUNCT && !(e->flags & TF_NOEND) &&
                        (e->ch == '.' || e->ch == '!' || e->ch == '?' || e->ch == 0x2026);
            if (ender && (t->flags & TF_SPACE)) {
                int lower_word = t->kind == TK_WORD && !(t->flags & TF_CAP);
                if (!lower_word) t->flags |= TF_SENT;
            }
        }
        if (t->flags & TF_SENT) {
            range *r = DOC_PUSH(d->sent, d->nsent, d->capsent);
            if (!r) return -1;
            r->first = r->last = (int32_t)k;
        }
        t->para = (int32_t)d->npara - 1;
        t->sent = (int32_t)d->nsent - 1;
        d->para[d->npara - 1].last = (int32_t)k;
        d->sent[d->nsent - 1].last = (int32_t)k;
    }
    return 0;
}
