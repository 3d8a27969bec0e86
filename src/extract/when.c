/*
 * when.c — finding and resolving "when was it said" in news prose.
 *
 * The text is cut into its own small tokens (runs of letters and digits,
 * single punctuation marks) by a lexer that looks at each byte once. The
 * scanner keeps a short window of them — two behind, LOOK ahead — in a ring,
 * so the longest pattern ("on Thursday, Oct. 15, 2019") is matched without
 * ever re-reading text and without allocating: work is linear in the text.
 *
 * Patterns are tried at every word, left to right, so the first expression
 * wins by construction. A pattern yields one of:
 *   M_DATE     a date to resolve (absolute, or relative to the article date);
 *   M_BLOCKED  the time is explicitly another time ("at the time");
 *   M_STOP     a time we cannot resolve ("last week") — it still wins, so the
 *              answer is "no date", not some later date in the sentence;
 *   M_SKIP     the future or a habit ("next Thursday", "every Friday"):
 *              never when something was said, so the scan goes on after it;
 *   M_SPAN     a span ("since 2016", "from May to July"): skipped like the
 *              future, together with its other end.
 *
 * News conventions that shape the rules: AP style writes "Oct. 15" and
 * bare weekdays for the past week; a bare weekday or date in a news story
 * means the most recent one, never a future one. Month and weekday names
 * double as words and names ("May", "March", "Black Friday", "the Sunday
 * Times", "USA Today"), so most of the care below is about not taking those.
 */
#include <string.h>

#include "when.h"

/* ---- calendar ------------------------------------------------------------
 * Our own proleptic Gregorian arithmetic (after Howard Hinnant's
 * days_from_civil / civil_from_days) because mktime and friends depend on
 * the process time zone, and a weekday must not change with TZ. */

static int is_leap(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static int valid_date(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Days since 1970-01-01. Shifting the year to start in March puts the leap
 * day last, so the day of the year is a closed formula. */
static int days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;                                  /* [0, 399] */
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

/* 0 = Sunday; 1970-01-01 was a Thursday. */
static int weekday_from_days(int z) { return z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6; }

int sayso_when_parse_date(const char *s, int *y, int *m, int *d)
{
    if (!s) return 0;
    int v[3] = {0, 0, 0};
    static const int width[3] = {4, 2, 2};
    size_t i = 0;
    for (int f = 0; f < 3; f++) {
        for (int k = 0; k < width[f]; k++, i++) {
            if (s[i] < '0' || s[i] > '9') return 0; /* also stops at the NUL */
            v[f] = v[f] * 10 + (s[i] - '0');
        }
        if (f < 2 && s[i++] != '-') return 0;
    }
    /* Feeds carry date-times; the time of day does not change the date. */
    if (s[i] != '\0' && s[i] != 'T' && s[i] != 't' && s[i] != ' ') return 0;
    if (!valid_date(v[0], v[1], v[2])) return 0;
    if (y) *y = v[0];
    if (m) *m = v[1];
    if (d) *d = v[2];
    return 1;
}

/* ---- lexer ---------------------------------------------------------------- */

enum { WT_WORD, WT_NUM, WT_PUNCT };
enum { C_SPACE, C_WORD, C_PUNCT };

typedef struct {
    size_t s, e;        /* byte range */
    unsigned char kind; /* WT_* */
    unsigned char space; /* whitespace (or the start of the text) before it */
    char ch;            /* WT_PUNCT: the mark, normalised (see classify) */
    unsigned char c0;   /* first byte, ASCII lower-cased: most comparisons
                           end here, and patterns are tried at every word */
} wtok;

/* One character's class at p[i], its length in *n and, for punctuation, a
 * normalised mark in *ch: both apostrophes are '\'', hyphens '-', en and em
 * dashes '~', anything else that is no letter '?'. Bytes of other scripts
 * and invalid UTF-8 count as letters, one byte at a time: that keeps them
 * glued to neighbouring words, so "Mayé" is not "May", and never reads past
 * len. NUL is punctuation, so it separates words but joins no phrase. */
static int classify(const unsigned char *p, size_t len, size_t i, size_t *n, char *ch)
{
    unsigned char c = p[i];
    *n = 1;
    if (c < 0x80) {
        if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) return C_WORD;
        if (c == ' ' || (c >= '\t' && c <= '\r')) return C_SPACE;
        *ch = c >= 0x21 && c < 0x7f ? (char)c : '?';
        return C_PUNCT;
    }
    if (c == 0xC2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0xBF) {
        /* U+0080..U+00BF: no-break space, then Latin-1 signs («, », ¡, °) */
        *n = 2;
        if (p[i + 1] == 0xA0) return C_SPACE;
        *ch = '?';
        return C_PUNCT;
    }
    if (c == 0xE2 && i + 2 < len && (p[i + 1] == 0x80 || p[i + 1] == 0x81) && p[i + 2] >= 0x80 &&
        p[i + 2] <= 0xBF) {
        /* U+2000..U+207F, General Punctuation: the spaces, dashes and curly
         * quotes of typeset news. */
        unsigned cp = 0x2000u + ((unsigned)(p[i + 1] & 0x3F) << 6) + (p[i + 2] & 0x3Fu);
        *n = 3;
        if (cp <= 0x200B || cp == 0x202F || cp == 0x205F) return C_SPACE;
        *ch = cp == 0x2010 || cp == 0x2011 ? '-'
            : cp >= 0x2012 && cp <= 0x2015 ? '~'
            : cp == 0x2018 || cp == 0x2019 ? '\''
            : '?';
        return C_PUNCT;
    }
    if (c == 0xEF && i + 2 < len && p[i + 1] == 0xBB && p[i + 2] == 0xBF) { /* byte order mark */
        *n = 3;
        return C_SPACE;
    }
    return C_WORD;
}

/* LOOK: how far ahead of the current token a pattern may look; the longest,
 * "since last Thursday, Oct. 15, 2019" plus the check that the year is not
 * part of a longer number, needs 11. RING holds those, two tokens of
 * history, and slack. */
#define LOOK 13
#define RING 32

typedef struct {
    const unsigned char *p;
    size_t len, pos; /* lexer: the bytes and where the next token starts */
    size_t base;     /* index of the token patterns are tried at */
    size_t have;     /* tokens lexed so far */
    int after_break; /* the last token was a paragraph break */
    wtok ring[RING];
} scan;

/* A blank line becomes a token of its own ('\n'), so that no phrase runs
 * from one paragraph into the next ("… said on\n\nThursday, …"). */
static int lex(scan *sc, wtok *t)
{
    int space = sc->have == 0 || sc->after_break, newlines = 0;
    size_t ws = sc->pos;
    sc->after_break = 0;
    while (sc->pos < sc->len) {
        size_t n;
        char ch = '?';
        int c = classify(sc->p, sc->len, sc->pos, &n, &ch);
        if (c == C_SPACE) {
            newlines += sc->p[sc->pos] == '\n';
            sc->pos += n;
            space = 1;
            continue;
        }
        if (newlines >= 2 && sc->have > 0) {
            t->s = ws;
            t->e = sc->pos;
            t->kind = WT_PUNCT;
            t->ch = '\n';
            t->c0 = 0;
            t->space = 1;
            sc->after_break = 1;
            return 1;
        }
        t->s = sc->pos;
        t->space = (unsigned char)space;
        t->ch = 0;
        if (c == C_PUNCT) {
            t->kind = WT_PUNCT;
            t->ch = ch;
            sc->pos += n;
        } else {
            int digits = 1;
            while (sc->pos < sc->len && classify(sc->p, sc->len, sc->pos, &n, &ch) == C_WORD) {
                if (sc->p[sc->pos] < '0' || sc->p[sc->pos] > '9') digits = 0;
                sc->pos += n;
            }
            t->kind = digits ? WT_NUM : WT_WORD;
        }
        t->e = sc->pos;
        t->c0 = (unsigned char)(sc->p[t->s] | (t->kind == WT_PUNCT ? 0 : 0x20));
        return 1;
    }
    return 0;
}

/* Token idx, or NULL past the end of the text or outside the window. */
#if defined(__GNUC__)
#define HOT_INLINE static inline __attribute__((always_inline))
#else
#define HOT_INLINE static inline
#endif

HOT_INLINE const wtok *tk(scan *sc, size_t idx)
{
    if (idx > sc->base + LOOK || idx + 2 < sc->base) return NULL;
    while (sc->have <= idx) {
        if (!lex(sc, &sc->ring[sc->have % RING])) return NULL;
        sc->have++;
    }
    return &sc->ring[idx % RING];
}

static const wtok *prev_tok(scan *sc, size_t idx) { return idx == 0 ? NULL : tk(sc, idx - 1); }

static size_t tok_len(const wtok *t) { return t->e - t->s; }

/* Case-insensitive whole-token match against a lower-case ASCII word. */
/* Whether token t is the lower-case ASCII word w, case aside. */
HOT_INLINE int tok_eqi(const scan *sc, const wtok *t, const char *w)
{
    /* The first letter settles most comparisons, before any strlen: this
     * runs for every pattern at every word. */
    if (!t || t->c0 != (unsigned char)w[0] || t->kind == WT_PUNCT) return 0;
    size_t n = strlen(w);
    if (t->e - t->s != n) return 0;
    for (size_t k = 1; k < n; k++)
        if ((sc->p[t->s + k] | 0x20) != (unsigned char)w[k]) return 0;
    return 1;
}

HOT_INLINE int eqi(scan *sc, size_t idx, const char *w)
{
    return tok_eqi(sc, tk(sc, idx), w);
}

/* Exact (case-sensitive) whole-token match: for proper names. */
static int eq_cs(scan *sc, size_t idx, const char *w)
{
    const wtok *t = tk(sc, idx);
    size_t n = strlen(w);
    return t && t->kind != WT_PUNCT && tok_len(t) == n && memcmp(sc->p + t->s, w, n) == 0;
}

/* 1 + the index of the first word of the NULL-terminated list token idx is. */
static int in_list(scan *sc, size_t idx, const char *const *list)
{
    const wtok *t = tk(sc, idx); /* once, not per word of the list */
    if (!t || t->kind == WT_PUNCT) return 0;
    for (int k = 0; list[k]; k++)
        if (tok_eqi(sc, t, list[k])) return k + 1;
    return 0;
}

static int in_list_cs(scan *sc, size_t idx, const char *const *list)
{
    for (int k = 0; list[k]; k++)
        if (eq_cs(sc, idx, list[k])) return k + 1;
    return 0;
}

static int punct(scan *sc, size_t idx, char ch)
{
    const wtok *t = tk(sc, idx);
    return t && t->kind == WT_PUNCT && t->ch == ch;
}

/* Token idx exists and touches the token before it. */
static int glued(scan *sc, size_t idx)
{
    const wtok *t = tk(sc, idx);
    return t && !t->space;
}

static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }

/* "May", "MAY", not "may": month names are verbs and adjectives too
 * ("may", "march", "august"), and news always capitalises the month. */
static int capitalized(scan *sc, size_t idx)
{
    const wtok *t = tk(sc, idx);
    return t && t->kind == WT_WORD && is_upper(sc->p[t->s]);
}

/* "Morning" but not "morning" or "MORNING": a part of a proper name in
 * running text ("This Morning", "Saturday Night Live"). */
static int title_case(scan *sc, size_t idx)
{
    const wtok *t = tk(sc, idx);
    if (!t || t->kind != WT_WORD || tok_len(t) < 2 || !is_upper(sc->p[t->s])) return 0;
    for (size_t k = t->s + 1; k < t->e; k++)
        if (!is_lower(sc->p[k])) return 0;
    return 1;
}

/* The number token idx is continues as a longer number ("15,000", "2016-17",
 * "3.5"), so it is no day or year. */
static int number_goes_on(scan *sc, size_t idx)
{
    const wtok *p = tk(sc, idx + 1);
    if (!p || p->space || p->kind != WT_PUNCT || !strchr(".,:/-", p->ch)) return 0;
    const wtok *q = tk(sc, idx + 2);
    return q && !q->space && q->kind != WT_PUNCT && sc->p[q->s] >= '0' && sc->p[q->s] <= '9';
}

/* Value of a number token of 1..maxdig digits, or -1. */
static int num_value(scan *sc, size_t idx, size_t mindig, size_t maxdig)
{
    const wtok *t = tk(sc, idx);
    if (!t || t->kind != WT_NUM || tok_len(t) < mindig || tok_len(t) > maxdig) return -1;
    int v = 0;
    for (size_t k = t->s; k < t->e; k++) v = v * 10 + (sc->p[k] - '0');
    return v;
}

/* ---- vocabulary ---------------------------------------------------------- */

static const char *const MONTHS[] = {"january", "february", "march",     "april",   "may",      "june",
                                     "july",    "august",   "september", "october", "november", "december",
                                     NULL};
/* Abbreviations; "sept" maps to September like "sep". */
static const char *const MONTH_ABBR[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul",
                                         "aug", "sep", "oct", "nov", "dec", "sept", NULL};
static const char *const WEEKDAYS[] = {"sunday",   "monday", "tuesday",  "wednesday",
                                       "thursday", "friday", "saturday", NULL};
static const char *const WEEKDAY_ABBR[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat",
                                           "tues", "thur", "thurs", NULL};
static const int WEEKDAY_ABBR_DAY[] = {0, 1, 2, 3, 4, 5, 6, 2, 4, 4};

static const char *const PARTS_OF_DAY[] = {"morning", "afternoon", "evening", "night", NULL};
static const char *const DAYTIME[] = {"morning", "afternoon", "evening", NULL};
static const char *const WEEKS_AND_SEASONS[] = {"week", "weekend", "spring", "summer",
                                                "fall", "autumn", "winter", NULL};
static const char *const NUMBER_WORDS[] = {"one", "two",   "three", "four",   "five",   "six", "seven",
                                           "eight", "nine", "ten", "eleven", "twelve", NULL};
static const char *const VAGUE[] = {"few", "several", "many", "some", "couple", "number", "long", NULL};
static const char *const MODIFIERS[] = {"early", "late", "mid", NULL};

/* Words that make a span of a time: skipped with it ("since 2016"). */
static const char *const SPAN_WORDS[] = {"since", "until",  "till",  "through", "from",
                                         "between", "before", "after", "by",     NULL};
static const char *const SPAN_LINKS[] = {"and", "to", "until", "till", "through", NULL};

/* "Good Friday", "Super Tuesday": holidays and events, not "this week's". */
static const char *const WEEKDAY_EVENTS[] = {"Good",  "Black", "Super",  "Cyber", "Ash",   "Holy",
                                             "Maundy", "Easter", "Palm", "Bloody", "Giving", "Fat",
                                             "Shrove", NULL};
/* "a Friday", "every Friday": some Friday or each Friday, not a date. */
static const char *const NOT_A_PARTICULAR[] = {"a", "an", "every", "each", "one", "some", "any", NULL};
/* "the Sunday Times", "Sunday Mail". */
static const char *const WEEKDAY_TITLES[] = {"Times", "Telegraph", "Mirror", "Express", "Post",
                                             "Herald", "People", "Mail", "Star", "Independent",
                                             "Observer", "Sport", "Record", "Tribune", NULL};
/* "Saturday Night Live", "Sunday Morning Futures". */
static const char *const WEEKDAY_SHOWS[] = {"Live", "Football", "Lights", "Raw", "Futures", NULL};

/* Nouns after a month and day that make the date an event's name. */
static const char *const EVENT_NOUNS[] = {"attack", "attacks", "attackers", "riot", "rioters",
                                          "insurrection", "committee", "commission", "anniversary",
                                          "memorial", "terror", "terrorist", "hijackers", "conspiracy",
                                          "era", "museum", "victims", NULL};

/* Past-tense speech verbs: "once" is only a time in "once said" ("once
 * again", "at once", "once the bill passes" are not); "previously" only
 * blocks the date in "previously said" or "said previously" — "who
 * previously worked at Google, said Tuesday" was said on Tuesday. */
static const char *const SPEECH[] = {
    "said", "told", "wrote", "tweeted", "posted", "stated", "claimed", "called", "described",
    "declared", "remarked", "quipped", "joked", "boasted", "admitted", "argued", "insisted",
    "warned", "predicted", "noted", "suggested", "explained", "promised", "vowed", "testified",
    "spoke", "commented", "mentioned", "observed", "proclaimed", "opined", "lamented",
    "complained", "put", "shared", "revealed", "confessed", "asked", "recalled", "reported",
    "announced", "denounced", "dismissed", "disavowed", "denied", "criticized", "criticised",
    "praised", "endorsed", "defended", "accused", "acknowledged", "addressed", "expressed", NULL};

/* ---- matches ------------------------------------------------------------- */

enum { M_NONE, M_DATE, M_BLOCKED, M_STOP, M_SKIP, M_SPAN };

/* How an M_DATE resolves: R_ABS is a calendar date with its year; the rest
 * need the article date. */
enum { R_ABS, R_MD, R_MONTH, R_WEEKDAY, R_DAYS, R_MONTHS, R_YEARS };

typedef struct {
    int kind;    /* M_* */
    int rel;     /* R_*, for M_DATE */
    int y, m, d; /* R_ABS: y and optionally m, d; R_MD: m, d; R_MONTH: m;
                    R_WEEKDAY: d = weekday; R_DAYS/R_MONTHS/R_YEARS: d = how many back */
    int strict;  /* strictly before the article date ("last Friday") */
    size_t last; /* index of the expression's last token */
    size_t end;  /* when not 0: where the expression ends inside that token
                    ("2020-10-15" of "2020-10-15T09:30") */
} match;

static match mk(int kind, size_t last)
{
    match r = {kind, 0, 0, 0, 0, 0, last, 0};
    return r;
}

static match mk_date(int rel, int y, int m, int d, int strict, size_t last)
{
    match r = {M_DATE, rel, y, m, d, strict, last, 0};
    return r;
}

static match none(void) { return mk(M_NONE, 0); }

static int has_day(const match *m)
{
    return m->kind == M_DATE && (m->rel == R_MD || (m->rel == R_ABS && m->d));
}

/* ---- names: months, weekdays, numbers ------------------------------------ */

/* Month name at idx: *mon 1..12, *last past an abbreviation's period
 * ("Oct. 15"; "Oct 15" is fine too). */
static int month_at(scan *sc, size_t idx, int *mon, size_t *last)
{
    if (!capitalized(sc, idx)) return 0;
    int k = in_list(sc, idx, MONTHS);
    *last = idx;
    if (k) {
        *mon = k;
        return 1;
    }
    k = in_list(sc, idx, MONTH_ABBR);
    if (!k) return 0;
    *mon = k == 13 ? 9 : k;
    if (punct(sc, idx + 1, '.') && glued(sc, idx + 1)) *last = idx + 1;
    return 1;
}

/* Weekday at idx (0 = Sunday). Abbreviations ("Thu.", "Thurs.") need their
 * period and set *abbr: without context they are too often words ("Sun",
 * "Wed", "sat"). */
static int weekday_at(scan *sc, size_t idx, int *wd, size_t *last, int *abbr)
{
    int k = in_list(sc, idx, WEEKDAYS);
    *last = idx;
    *abbr = 0;
    if (k) {
        *wd = k - 1;
        return 1;
    }
    if (!capitalized(sc, idx) || !(k = in_list(sc, idx, WEEKDAY_ABBR))) return 0;
    if (!punct(sc, idx + 1, '.') || !glued(sc, idx + 1)) return 0;
    *wd = WEEKDAY_ABBR_DAY[k - 1];
    *last = idx + 1;
    *abbr = 1;
    return 1;
}

/* A day of the month: "15", "15th", "1st". */
static int day_at(scan *sc, size_t idx, int *d)
{
    const wtok *t = tk(sc, idx);
    if (!t || t->kind == WT_PUNCT) return 0;
    const unsigned char *s = sc->p + t->s;
    size_t n = tok_len(t), k = 0;
    int v = 0;
    while (k < n && k < 3 && s[k] >= '0' && s[k] <= '9') v = v * 10 + (s[k++] - '0');
    if (k == 0 || k > 2) return 0;
    if (k < n) { /* ordinal suffix */
        if (n - k != 2) return 0;
        char a = (char)(s[k] | 0x20), b = (char)(s[k + 1] | 0x20);
        if (!((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
              (a == 't' && b == 'h')))
            return 0;
    }
    if (v < 1 || v > 31 || number_goes_on(sc, idx)) return 0;
    *d = v;
    return 1;
}

/* A four-digit number that is not part of a longer one, or -1. */
static int year_at(scan *sc, size_t idx)
{
    int y = num_value(sc, idx, 4, 4);
    return y >= 0 && !number_goes_on(sc, idx) ? y : -1;
}

/* Years we take: news is about the 20th and 21st centuries, and anything
 * else written with four digits is likelier a count than a year. */
static int year_ok(int y) { return y >= 1900 && y <= 2099; }

/* A small count: "3", "two". */
static int count_at(scan *sc, size_t idx)
{
    int v = num_value(sc, idx, 1, 3);
    if (v >= 1) return number_goes_on(sc, idx) ? 0 : v;
    int k = in_list(sc, idx, NUMBER_WORDS);
    return k;
}

/* ---- calendar dates --------------------------------------------------------- */

enum {
    CAL_MONTH = 1,  /* a bare month name is licensed ("in May", "last March") */
    CAL_YEAR = 2,   /* a bare year is licensed ("in 2016") */
    CAL_NODAY = 4,  /* month and year forms only (after "in") */
    CAL_STRICT = 8  /* strictly before the article date ("last October") */
};

/* The leading number of a token ("15" in "15T09:30"), when nothing but an
 * ISO time follows it; -1 otherwise. *ndig: its digits. */
static int lead_number(scan *sc, size_t idx, size_t maxdig, size_t *ndig)
{
    const wtok *t = tk(sc, idx);
    if (!t || t->kind == WT_PUNCT) return -1;
    const unsigned char *s = sc->p + t->s;
    size_t n = tok_len(t), k = 0;
    int v = 0;
    while (k < n && s[k] >= '0' && s[k] <= '9') {
        if (k == maxdig) return -1;
        v = v * 10 + (s[k++] - '0');
    }
    if (k == 0) return -1;
    if (k < n && !((s[k] == 'T' || s[k] == 't') && k + 1 < n && s[k + 1] >= '0' && s[k + 1] <= '9'))
        return -1;
    *ndig = k;
    return v;
}

/* "10/15/2020" (US order; day first only when the first number cannot be a
 * month) and ISO "2020-10-15". Always absolute. */
static match numeric_date_at(scan *sc, size_t j)
{
    const wtok *p = prev_tok(sc, j), *t = tk(sc, j);
    if (!t || t->kind != WT_NUM) return none();
    /* Part of something longer: "1/10/15/2020", "v2-2020-10-15". */
    if (p && !t->space && p->kind == WT_PUNCT && strchr("/-.:", p->ch)) return none();
    int y, m, d;
    size_t dlen = 0;
    if (tok_len(t) == 4) {
        if (!punct(sc, j + 1, '-') || !glued(sc, j + 1) || !glued(sc, j + 2) || !punct(sc, j + 3, '-') ||
            !glued(sc, j + 3) || !glued(sc, j + 4))
            return none();
        y = num_value(sc, j, 4, 4);
        m = num_value(sc, j + 2, 1, 2);
        d = lead_number(sc, j + 4, 2, &dlen);
    } else {
        if (!punct(sc, j + 1, '/') || !glued(sc, j + 1) || !glued(sc, j + 2) || !punct(sc, j + 3, '/') ||
            !glued(sc, j + 3) || !glued(sc, j + 4))
            return none();
        int a = num_value(sc, j, 1, 2), b = num_value(sc, j + 2, 1, 2);
        y = num_value(sc, j + 4, 4, 4);
        if (a > 12 && b <= 12) { m = b; d = a; }
        else { m = a; d = b; }
    }
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return none();
    const wtok *dt = tk(sc, j + 4);
    if (dt->kind == WT_NUM && number_goes_on(sc, j + 4)) return none(); /* "…/2020/3" */
    if (!year_ok(y)) return mk(M_STOP, j + 4);
    match r = mk_date(R_ABS, y, m, d, 0, j + 4);
    if (dt->kind != WT_NUM) r.end = dt->s + dlen;
    return r;
}

/* A day and month, then maybe ", 2019". k is the day's token (or the
 * month's, when the day came first). */
static match with_year(scan *sc, size_t k, int mon, int d, int flags)
{
    size_t yk = k + 1;
    if (punct(sc, yk, ',')) yk++;
    int y = year_at(sc, yk);
    if (y >= 0) {
        /* "Oct. 15, 1850": a year we do not take; dropping it would resolve
         * the date to the wrong year. */
        if (!year_ok(y)) return mk(M_STOP, yk);
        return mk_date(R_ABS, y, mon, d, 0, yk);
    }
    /* "the Sept. 11 attacks", "the Jan. 6 committee": a date that names an
     * event is not the time of the sentence, and usually not this year's. */
    if (in_list(sc, k + 1, EVENT_NOUNS)) return mk(M_SKIP, k + 1);
    return mk_date(R_MD, 0, mon, d, (flags & CAL_STRICT) != 0, k);
}

static int possessive_after(scan *sc, size_t idx)
{
    return punct(sc, idx + 1, '\'') && glued(sc, idx + 1) && eqi(sc, idx + 2, "s") && glued(sc, idx + 2);
}

/* A calendar date at j: "Oct. 15", "October 15th, 2019", "15 October 2019",
 * "10/15/2020", "October 2019"; and, when flags license them, "October"
 * and "2016". */
static match calendar_at(scan *sc, size_t j, int flags)
{
    int mon, d, y;
    size_t k;
    if (!(flags & CAL_NODAY)) {
        match r = numeric_date_at(sc, j);
        if (r.kind) return r;
        if (day_at(sc, j, &d)) { /* 15 October, 15th of October */
            k = j + 1;
            if (eqi(sc, k, "of")) k++;
            if (month_at(sc, k, &mon, &k)) return with_year(sc, k, mon, d, flags);
        }
    }
    if (month_at(sc, j, &mon, &k)) {
        if (day_at(sc, k + 1, &d)) {
            /* "in Sept. 11 conspiracy theories", "in Jan. 6 hearings": after
             * "in", a month and day names an event; the date alone, without
             * the "in", gets its own chance. */
            if (flags & CAL_NODAY) return none();
            return with_year(sc, k + 1, mon, d, flags);
        }
        size_t yk = k + 1;
        if (punct(sc, yk, ',')) yk++;
        if ((y = year_at(sc, yk)) >= 0)
            return year_ok(y) ? mk_date(R_ABS, y, mon, 0, 0, yk) : mk(M_STOP, yk);
        /* "in May's government" is Theresa May's. */
        if ((flags & CAL_MONTH) && !possessive_after(sc, k))
            return mk_date(R_MONTH, 0, mon, 0, (flags & CAL_STRICT) != 0, k);
        return none();
    }
    if ((flags & CAL_YEAR) && year_ok(y = year_at(sc, j))) return mk_date(R_ABS, y, 0, 0, 0, j);
    return none();
}

/* "early 2016", "mid-October", "late last year" is left to "last year".
 * With need_modifier, only a modified month or year. */
static match modified_calendar(scan *sc, size_t j, int need_modifier)
{
    size_t k = j;
    if (in_list(sc, k, MODIFIERS)) {
        k++;
        if (punct(sc, k, '-') && glued(sc, k)) k++;
    }
    if (k == j && need_modifier) return none();
    return calendar_at(sc, k, CAL_MONTH | CAL_YEAR | CAL_NODAY);
}

/* ---- weekdays ------------------------------------------------------------ */

/* A weekday at j. strict: "last Friday" (strictly before the article date).
 * after_word: an "on"/"last" before it vouches for an abbreviation. */
static match weekday_expr(scan *sc, size_t j, int strict, int after_word)
{
    int wd, abbr;
    size_t last;
    if (!weekday_at(sc, j, &wd, &last, &abbr)) return none();

    /* The date after it is more precise than the weekday, and settles the
     * year when given: "on Thursday, Oct. 15". When the two disagree we
     * trust the date, which is what an editor checks. */
    size_t k = last + 1;
    if (punct(sc, k, ',')) k++;
    match c = calendar_at(sc, k, 0);
    if (has_day(&c) || c.kind == M_STOP) return c;
    if (abbr && !after_word) return none();

    if (j >= 1 && in_list_cs(sc, j - 1, WEEKDAY_EVENTS)) return none();
    if (j >= 1 && in_list(sc, j - 1, NOT_A_PARTICULAR)) return mk(M_SKIP, last);
    if (j >= 2 && eqi(sc, j - 1, "on") && eq_cs(sc, j - 2, "Mail")) return mk(M_SKIP, last);
    if (in_list_cs(sc, last + 1, WEEKDAY_TITLES)) return mk(M_SKIP, last + 1);
    if ((eq_cs(sc, last + 1, "Night") || eq_cs(sc, last + 1, "Morning")) &&
        in_list_cs(sc, last + 2, WEEKDAY_SHOWS))
        return mk(M_SKIP, last + 2);

    if (in_list(sc, last + 1, PARTS_OF_DAY)) last++;
    /* "Thursday next week" is the future; "Thursday of last week" is some
     * Thursday we cannot tell apart from "last Thursday" reliably. */
    k = last + 1;
    if (eqi(sc, k, "of")) k++;
    if ((eqi(sc, k, "next") && eqi(sc, k + 1, "week")) || (eqi(sc, k, "after") && eqi(sc, k + 1, "next")))
        return mk(M_SKIP, k + 1);
    if (eqi(sc, k, "last") && eqi(sc, k + 1, "week")) return mk(M_STOP, k + 1);
    return mk_date(R_WEEKDAY, 0, 0, wd, strict, last);
}

/* ---- phrases ------------------------------------------------------------- */

/* "a few days ago", "two years ago", "three days later". Recent days
 * resolve; weeks are a precision we do not report; months and more
 * ago is another time altogether, as blocked as "at the time". */
enum { U_MINUTE = 1, U_HOUR, U_DAY, U_NIGHT, U_WEEK, U_MONTH, U_YEAR, U_TIME };
static const char *const UNITS[] = {"minute", "minutes", "hour",    "hours",  "day",    "days",
                                    "night",  "nights",  "week",    "weeks",  "month",  "months",
                                    "year",   "years",   "decade",  "decades", "time", NULL};
static const int UNIT_KIND[] = {U_MINUTE, U_MINUTE, U_HOUR, U_HOUR, U_DAY,  U_DAY,  U_NIGHT, U_NIGHT, U_WEEK,
                                U_WEEK,   U_MONTH,  U_MONTH, U_YEAR, U_YEAR, U_YEAR, U_YEAR, U_TIME};

static match ago_at(scan *sc, size_t i)
{
    if (eqi(sc, i, "long") && eqi(sc, i + 1, "ago")) {
        /* "not (so) long ago" is recent: no date, but not another era */
        int recent = i >= 1 && (eqi(sc, i - 1, "not") || (i >= 2 && eqi(sc, i - 1, "so") && eqi(sc, i - 2, "not")));
        return mk(recent ? M_STOP : M_BLOCKED, i + 1);
    }
    size_t j = i;
    int n = 0, vague = 0;
    if (eqi(sc, j, "a") || eqi(sc, j, "an")) {
        n = 1;
        j++;
    }
    if (in_list(sc, j, VAGUE)) {
        vague = 1;
        n = 0;
        j++;
        if (eqi(sc, j, "of")) j++;
    } else if (!n && (n = count_at(sc, j)) > 0) {
        j++;
    }
    int u = in_list(sc, j, UNITS);
    if (!u) return none();
    u = UNIT_KIND[u - 1];
    if (!n) vague = 1;
    if (!eqi(sc, j + 1, "ago")) {
        /* "two years later": relative to a story's past; "days later" to
         * some event we do not know. */
        if (u == U_TIME || !(eqi(sc, j + 1, "earlier") || eqi(sc, j + 1, "later") ||
                             eqi(sc, j + 1, "before") || eqi(sc, j + 1, "prior")))
            return none();
        return mk(u >= U_MONTH ? M_BLOCKED : M_STOP, j + 1);
    }
    switch (u) {
    case U_MINUTE: return mk_date(R_DAYS, 0, 0, 0, 0, j + 1);
    case U_HOUR: return vague || n <= 12 ? mk_date(R_DAYS, 0, 0, 0, 0, j + 1) : mk(M_STOP, j + 1);
    case U_DAY:
    case U_NIGHT: return vague ? mk(M_STOP, j + 1) : mk_date(R_DAYS, 0, 0, n, 0, j + 1);
    case U_WEEK: return mk(M_STOP, j + 1);
    default: return mk(M_BLOCKED, j + 1);
    }
}

/* "USA Today", "NBC's Today", "the Today show", "The Tonight Show": a
 * capitalised day word right after another word is a title. */
static int day_word_is_title(scan *sc, size_t i)
{
    if (eqi(sc, i + 1, "show") || eqi(sc, i + 1, "programme") || eqi(sc, i + 1, "program")) return 1;
    const wtok *p = prev_tok(sc, i);
    return title_case(sc, i) && p && p->kind != WT_PUNCT;
}

static int quantity_at(scan *sc, size_t idx)
{
    return count_at(sc, idx) || in_list(sc, idx, VAGUE) || in_list(sc, idx, UNITS);
}

/* in 2016, in early 2016, in October (2019), in the past, in the past two
 * years, in recent weeks */
static match in_expr(scan *sc, size_t i)
{
    if (eqi(sc, i + 1, "the") && (eqi(sc, i + 2, "past") || eqi(sc, i + 2, "last"))) {
        /* "in the past two years" spans up to now; "in the past," is
         * another time. "in the last" alone is no time at all. */
        if (quantity_at(sc, i + 3)) return mk(M_SPAN, i + 2);
        return eqi(sc, i + 2, "past") ? mk(M_BLOCKED, i + 2) : none();
    }
    if (eqi(sc, i + 1, "recent") && in_list(sc, i + 2, UNITS)) return mk(M_STOP, i + 2);
    return modified_calendar(sc, i + 1, 0);
}

static match last_expr(scan *sc, size_t i)
{
    size_t j = i + 1;
    if (eqi(sc, j, "night")) return mk_date(R_DAYS, 0, 0, 1, 0, j);
    if (in_list(sc, j, WEEKS_AND_SEASONS)) return mk(M_STOP, j);
    if (eqi(sc, j, "month")) return mk_date(R_MONTHS, 0, 0, 1, 0, j);
    if (eqi(sc, j, "year")) return mk_date(R_YEARS, 0, 0, 1, 0, j);
    match r = weekday_expr(sc, j, 1, 1);
    if (r.kind) return r;
    return calendar_at(sc, j, CAL_MONTH | CAL_STRICT);
}

static int future_target(scan *sc, size_t j, size_t *last)
{
    int x, mon, abbr;
    if (weekday_at(sc, j, &x, last, &abbr) || month_at(sc, j, &mon, last)) return 1;
    *last = j;
    return in_list(sc, j, WEEKS_AND_SEASONS) || eqi(sc, j, "month") || eqi(sc, j, "year");
}

static match this_expr(scan *sc, size_t i)
{
    size_t j = i + 1, last;
    if (in_list(sc, j, DAYTIME)) /* not ITV's "This Morning" */
        return title_case(sc, j) ? none() : mk_date(R_DAYS, 0, 0, 0, 0, j);
    if (in_list(sc, j, WEEKS_AND_SEASONS)) return mk(M_STOP, j);
    if (eqi(sc, j, "month")) return mk_date(R_MONTHS, 0, 0, 0, 0, j);
    if (eqi(sc, j, "year")) return mk_date(R_YEARS, 0, 0, 0, 0, j);
    if (eqi(sc, j, "past")) { /* "this past Sunday" is last Sunday */
        match r = weekday_expr(sc, j + 1, 1, 1);
        if (!r.kind) r = calendar_at(sc, j + 1, CAL_MONTH | CAL_STRICT);
        if (r.kind) return r;
        if (future_target(sc, j + 1, &last)) return mk(M_STOP, last);
        return none();
    }
    if (eqi(sc, j, "coming") && future_target(sc, j + 1, &last)) return mk(M_SKIP, last);
    /* "this Thursday", "this October": news uses them for the coming one. */
    if (future_target(sc, j, &last)) return mk(M_SKIP, last);
    return none();
}

static match earlier_expr(scan *sc, size_t i)
{
    size_t j = i + 1;
    if (eqi(sc, j, "today") || eqi(sc, j, "tonight")) return mk_date(R_DAYS, 0, 0, 0, 0, j);
    if (!eqi(sc, j, "this")) return none();
    if (in_list(sc, j + 1, WEEKS_AND_SEASONS)) return mk(M_STOP, j + 1);
    if (eqi(sc, j + 1, "month")) return mk_date(R_MONTHS, 0, 0, 0, 0, j + 1);
    if (eqi(sc, j + 1, "year")) return mk_date(R_YEARS, 0, 0, 0, 0, j + 1);
    return none();
}

static match later_expr(scan *sc, size_t i)
{
    size_t j = i + 1, last;
    if (eqi(sc, j, "today") || eqi(sc, j, "tonight")) return mk(M_SKIP, j);
    if (eqi(sc, j, "this") && (in_list(sc, j + 1, DAYTIME) || future_target(sc, j + 1, &last)))
        return mk(M_SKIP, j + 1);
    return none();
}

static match the_expr(scan *sc, size_t i)
{
    static const char *const RELATIVE[] = {"previous", "next", "following", "prior", "same", "other", NULL};
    static const char *const PERIODS[] = {"day",  "night",   "morning", "afternoon", "evening",
                                          "week", "weekend", "month",   "year",      NULL};
    size_t j = i + 1;
    if (eqi(sc, j, "day") && eqi(sc, j + 1, "before") && eqi(sc, j + 2, "yesterday"))
        return mk_date(R_DAYS, 0, 0, 2, 0, j + 2);
    if (eqi(sc, j, "day") && eqi(sc, j + 1, "after") && eqi(sc, j + 2, "tomorrow")) return mk(M_SKIP, j + 2);
    /* "the day before", "the next day": relative to an event of the story,
     * which we do not know. */
    if (in_list(sc, j, PARTS_OF_DAY) || eqi(sc, j, "day")) {
        if (eqi(sc, j + 1, "before") || eqi(sc, j + 1, "after") || eqi(sc, j + 1, "earlier") ||
            eqi(sc, j + 1, "prior"))
            return mk(M_STOP, j + 1);
        return none();
    }
    if (in_list(sc, j, RELATIVE) && in_list(sc, j + 1, PERIODS)) return mk(M_STOP, j + 1);
    return none();
}

static match at_expr(scan *sc, size_t i)
{
    static const char *const NOW[] = {"writing", "publication", "publishing", "press", NULL};
    if (eqi(sc, i + 1, "the") && eqi(sc, i + 2, "time")) {
        /* "at the time of writing" is the article's own time. */
        if (eqi(sc, i + 3, "of") && in_list(sc, i + 4, NOW)) return none();
        return mk(M_BLOCKED, i + 2);
    }
    if (eqi(sc, i + 1, "that") && (eqi(sc, i + 2, "time") || eqi(sc, i + 2, "point")))
        return mk(M_BLOCKED, i + 2);
    return none();
}

static int adverb_at(scan *sc, size_t idx)
{
    const wtok *t = tk(sc, idx);
    return t && t->kind == WT_WORD && tok_len(t) > 4 && (sc->p[t->e - 2] | 0x20) == 'l' &&
           (sc->p[t->e - 1] | 0x20) == 'y';
}

/* "once" and "previously", next to a speech verb. */
static match earlier_speech(scan *sc, size_t i)
{
    size_t j = i + 1;
    if (adverb_at(sc, j)) j++; /* "once famously said" */
    if (in_list(sc, j, SPEECH) || (i >= 1 && in_list(sc, i - 1, SPEECH))) return mk(M_BLOCKED, i);
    return none();
}

/* The other end of a span word ("since 2016", "from last May", "before
 * Thursday's vote"): any time expression, with bare months and years. */
static match match_at(scan *sc, size_t i, int nested);

static match span_target(scan *sc, size_t j)
{
    match r = match_at(sc, j, 1); /* first, for the longest date: "since Oct. 15, 2019" */
    return r.kind ? r : modified_calendar(sc, j, 0);
}

/* Every pattern that can start at token i. nested: inside a span, where a
 * second span word is just a word (2: after "recently", which looks one
 * pattern ahead and no further). */
static match match_at(scan *sc, size_t i, int nested)
{
    const wtok *t = tk(sc, i);
    /* No pattern starts with punctuation or with a word longer than
     * "previously": a cheap exit for most of the text. */
    if (!t || t->kind == WT_PUNCT || tok_len(t) > 10) return none();
    match r;

    if (eqi(sc, i, "on")) {
        r = weekday_expr(sc, i + 1, 0, 1);
        return r.kind ? r : calendar_at(sc, i + 1, 0);
    }
    if (eqi(sc, i, "in")) return in_expr(sc, i);
    if (eqi(sc, i, "last")) return last_expr(sc, i);
    if (eqi(sc, i, "this")) return this_expr(sc, i);
    if (eqi(sc, i, "earlier")) return earlier_expr(sc, i);
    if (eqi(sc, i, "later")) return later_expr(sc, i);
    if (eqi(sc, i, "next")) {
        size_t last;
        return future_target(sc, i + 1, &last) ? mk(M_SKIP, last) : none();
    }
    if (in_list(sc, i, SPAN_WORDS)) {
        if (nested) return none();
        r = span_target(sc, i + 1);
        return r.kind ? mk(M_SPAN, r.last) : none();
    }
    if (eqi(sc, i, "today") || eqi(sc, i, "tonight"))
        return day_word_is_title(sc, i) ? none() : mk_date(R_DAYS, 0, 0, 0, 0, i);
    if (eqi(sc, i, "yesterday") || eqi(sc, i, "tomorrow")) {
        if (day_word_is_title(sc, i)) return none();
        size_t last = in_list(sc, i + 1, PARTS_OF_DAY) ? i + 1 : i;
        return eqi(sc, i, "tomorrow") ? mk(M_SKIP, last) : mk_date(R_DAYS, 0, 0, 1, 0, last);
    }
    if (eqi(sc, i, "the")) return the_expr(sc, i);
    if (eqi(sc, i, "over")) {
        if (eqi(sc, i + 1, "the") && eqi(sc, i + 2, "weekend")) return mk(M_STOP, i + 2);
        if (eqi(sc, i + 1, "the") && (eqi(sc, i + 2, "past") || eqi(sc, i + 2, "last")) &&
            quantity_at(sc, i + 3))
            return mk(M_SPAN, i + 2);
        return none();
    }
    if (eqi(sc, i, "at")) return at_expr(sc, i);
    if (eqi(sc, i, "back")) {
        if (eqi(sc, i + 1, "then")) return mk(M_BLOCKED, i + 1);
        if (eqi(sc, i + 1, "in") && eqi(sc, i + 2, "the") && eqi(sc, i + 3, "day")) return mk(M_BLOCKED, i + 3);
        return none();
    }
    if (eqi(sc, i, "once") || eqi(sc, i, "previously")) return earlier_speech(sc, i);
    /* "the upcoming Oct. 20 debate", "Coming September 30th." */
    if (eqi(sc, i, "coming") || eqi(sc, i, "upcoming")) {
        r = weekday_expr(sc, i + 1, 0, 0);
        if (!r.kind) r = calendar_at(sc, i + 1, CAL_MONTH);
        if (r.kind) return mk(M_SKIP, r.last);
    }
    /* "recently said": recent, but no date we could give; "most recently
     * on Monday" gives one. */
    if (eqi(sc, i, "recently"))
        return nested != 2 && match_at(sc, i + 1, 2).kind ? none() : mk(M_STOP, i);
    if (in_list(sc, i, MODIFIERS) && (r = modified_calendar(sc, i, 1)).kind) return r;
    if ((r = ago_at(sc, i)).kind) return r;
    if ((r = weekday_expr(sc, i, 0, 0)).kind) return r;
    return calendar_at(sc, i, 0);
}

/* ---- resolution ---------------------------------------------------------- */

typedef struct {
    int y, m, d, days, wd;
} article;

/* Turns an M_DATE into y/m/d and a precision. Returns M_DATE, M_STOP (no
 * article date, or an impossible date such as Feb. 30) or M_SKIP (a date
 * after the article's: the future, never when it was said). */
static int resolve(const match *mt, const article *a, int *y, int *m, int *d, sayso_when_precision *prec)
{
    *y = *m = *d = 0;
    if (mt->rel == R_ABS) {
        *y = mt->y;
        *m = mt->m;
        *d = mt->d;
        *prec = *d ? SAYSO_WHEN_DAY : *m ? SAYSO_WHEN_MONTH : SAYSO_WHEN_YEAR;
        if (*d && !valid_date(*y, *m, *d)) return M_STOP;
        if (a) {
            int later = *y != a->y ? *y > a->y : !*m ? 0 : *m != a->m ? *m > a->m : *d > a->d;
            if (later) return M_SKIP;
        }
        return M_DATE;
    }
    if (!a) return M_STOP;
    int z;
    switch (mt->rel) {
    case R_MD:
        *m = mt->m;
        *d = mt->d;
        *y = a->y;
        if (*m > a->m || (*m == a->m && (*d > a->d || (mt->strict && *d == a->d)))) --*y;
        *prec = SAYSO_WHEN_DAY;
        if (!valid_date(*y, *m, *d)) return M_STOP; /* Feb. 30; Feb. 29 of a common year */
        return M_DATE;
    case R_MONTH:
        *m = mt->m;
        *y = a->y;
        if (*m > a->m || (mt->strict && *m == a->m)) --*y;
        *prec = SAYSO_WHEN_MONTH;
        break;
    case R_WEEKDAY: {
        int back = (a->wd - mt->d + 7) % 7;
        if (mt->strict && back == 0) back = 7;
        civil_from_days(a->days - back, y, m, d);
        *prec = SAYSO_WHEN_DAY;
        break;
    }
    case R_DAYS:
        z = a->days - mt->d;
        civil_from_days(z, y, m, d);
        *prec = SAYSO_WHEN_DAY;
        break;
    case R_MONTHS:
        z = a->y * 12 + (a->m - 1) - mt->d;
        *y = z / 12;
        *m = z % 12 + 1;
        *prec = SAYSO_WHEN_MONTH;
        break;
    default: /* R_YEARS */
        *y = a->y - mt->d;
        *prec = SAYSO_WHEN_YEAR;
        break;
    }
    return *y >= 1 && *y <= 9999 ? M_DATE : M_STOP;
}

static void put2(char *s, int v)
{
    s[0] = (char)('0' + v / 10 % 10);
    s[1] = (char)('0' + v % 10);
}

static void format_date(char out[11], int y, int m, int d, sayso_when_precision prec)
{
    put2(out, y / 100);
    put2(out + 2, y % 100);
    out[4] = 0;
    if (prec == SAYSO_WHEN_YEAR) return;
    out[4] = '-';
    put2(out + 5, m);
    out[7] = 0;
    if (prec == SAYSO_WHEN_MONTH) return;
    out[7] = '-';
    put2(out + 8, d);
    out[10] = 0;
}

/* ---- the scan ------------------------------------------------------------ */

int sayso_when_find(const char *text, size_t len, const char *article_date, sayso_when *out)
{
    return sayso_when_find_at(text, len, article_date, (size_t)-1, out);
}

int sayso_when_find_at(const char *text, size_t len, const char *article_date, size_t starts, sayso_when *out)
{
    sayso_when scratch;
    if (!out) out = &scratch;
    memset(out, 0, sizeof *out);
    if (!text || len == 0) return 0;

    article art, *a = NULL;
    if (article_date && sayso_when_parse_date(article_date, &art.y, &art.m, &art.d)) {
        art.days = days_from_civil(art.y, art.m, art.d);
        art.wd = weekday_from_days(art.days);
        a = &art;
    }

    scan sc;
    sc.p = (const unsigned char *)text;
    sc.len = len;
    sc.pos = sc.base = sc.have = 0;
    sc.after_break = 0;

    for (;;) {
        if (sc.base >= starts) return 0;
        const wtok *t = tk(&sc, sc.base);
        if (!t) return 0;
        size_t start = t->s;
        match m = match_at(&sc, sc.base, 0);
        switch (m.kind) {
        case M_NONE:
            sc.base++;
            continue;
        case M_SKIP:
            sc.base = m.last + 1;
            continue;
        case M_SPAN:
            /* "from May to July", "between Monday and Wednesday": the
             * other end is part of the span. */
            sc.base = m.last + 1;
            if (in_list(&sc, sc.base, SPAN_LINKS) || punct(&sc, sc.base, '-') || punct(&sc, sc.base, '~')) {
                sc.base++;
                match end = span_target(&sc, sc.base);
                if (end.kind) sc.base = end.last + 1;
            }
            continue;
        case M_STOP:
            out->stopped = 1;
            return 0;
        case M_BLOCKED:
            out->start = start;
            out->end = tk(&sc, m.last)->e;
            out->blocked = 1;
            return 1;
        default: { /* M_DATE */
            int y, mo, d;
            sayso_when_precision prec = SAYSO_WHEN_NONE;
            int k = resolve(&m, a, &y, &mo, &d, &prec);
            if (k == M_SKIP) {
                sc.base = m.last + 1;
                continue;
            }
            if (k == M_STOP) {
                out->stopped = 1;
                return 0;
            }
            out->start = start;
            out->end = m.end ? m.end : tk(&sc, m.last)->e;
            out->precision = prec;
            format_date(out->date, y, mo, d, prec);
            return 1;
        }
        }
    }
}
