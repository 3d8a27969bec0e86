/*
 * test_fixtures.c — the accuracy spec of the extractor.
 *
 * Every tests/fixtures/NAME.txt is a small invented article built around one
 * phenomenon (cue after the quote, multi-paragraph quote, apostrophes, ...);
 * NAME.expect says what the extractor must find in it, one check a line,
 * fields separated by TABs ('#' starts a comment line, blank lines ignored):
 *
 *   Q  SUBSTRING  SPEAKER  TYPE   some quote's text contains SUBSTRING, and
 *                                 that quote has speaker SPEAKER (exact; '-'
 *                                 for none, '*' for any) and type TYPE
 *                                 (direct, mixed, indirect or '*')
 *   N  SUBSTRING                  no quote's text contains SUBSTRING
 *   C  COUNT                      exactly COUNT quotes
 *   M  COUNT                      exactly COUNT quotes with quotation marks
 *                                 (direct or mixed): the reported speech
 *                                 found besides is not counted
 *   F  SUBSTRING  COUNT           the quote containing SUBSTRING has COUNT
 *                                 content spans
 *   P  SUBSTRING  FIELD  VALUE    the quote containing SUBSTRING (the first
 *                                 one, as for F) has FIELD = VALUE:
 *        speaker        exact speaker name ('-' = NULL)
 *        channel        exact channel ("instagram", "interview", "press
 *                       conference", ...; '-' = NULL)
 *        addressee      exact addressee ("CNN", "reporters"; '-' = NULL)
 *        said_on        exact "YYYY-MM-DD", "YYYY-MM" or "YYYY" ('-' = NULL)
 *        said_on_text   exact words that date it ("on Tuesday"; '-' = NULL)
 *        source         exact words of the source mention ("the board's
 *                       chair, Ana Ruiz"; '-' = none)
 *        age            speaker_age as an integer ('-' = -1, unknown)
 *        descriptor     one of the descriptors equals VALUE, ignoring ASCII
 *                       case ("41-year-old", "former secretary of state")
 *        no_descriptor  none of the descriptors equals VALUE, ignoring case
 *        same_speaker   VALUE is the SUBSTRING of another quote; both have
 *                       the same speaker_id, and it is >= 0
 *        other_speaker  VALUE is the SUBSTRING of another quote; both have a
 *                       speaker_id >= 0, and the ids differ
 *
 * Besides, every quote of every fixture must satisfy the invariants of the
 * API (spans inside the text and in order, code point offsets consistent with
 * byte offsets, cue and source outside the content, confidence in [0,1],
 * direct quote text without its enclosing marks, document order; descriptors
 * non-NULL and non-empty, speaker_age -1 or in 1..129, said_on NULL or one of
 * the three date shapes with said_on_text set exactly when said_on is,
 * speaker_id >= -1 and a speaker name whenever speaker_id >= 0, one name per
 * speaker_id, channel and addressee NULL or non-empty), and the results must
 * not depend on what the extractor processed before.
 *
 * One cmocka test per fixture; each reports ALL its failures as
 * "NAME.expect:LINE: ..." and lists what was found. A summary of passed checks
 * is printed at the end. Usage: test_fixtures [NAME-SUBSTRING...]
 */
#include "testutil.h"
#include "sayso.h"

#include <dirent.h>
#include <math.h>

typedef struct {
    char path[4096];   /* .../NAME.txt */
    char expect[4096]; /* .../NAME.expect */
    char name[256];    /* NAME.txt */
} fixture;

static sayso_extractor *g_shared; /* sees every fixture, in order */
static const sayso_models *g_models; /* $SAYSO_MODELS, or the built-in ones */
static int g_checks, g_passed, g_fixtures_ok;

/* ---------------------------------------------------------------- helpers */

static size_t count_cp(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

static int on_boundary(const char *s, size_t len, size_t off)
{
    return off == len || ((unsigned char)s[off] & 0xC0) != 0x80;
}

static int starts_with(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

static int ends_with(const char *s, const char *p)
{
    size_t n = strlen(s), m = strlen(p);
    return n >= m && memcmp(s + n - m, p, m) == 0;
}

static int overlaps(const sayso_span *a, const sayso_span *b)
{
    return a->byte_start < b->byte_end && b->byte_start < a->byte_end;
}

static const char *str_or_dash(const char *s) { return s ? s : "-"; }

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD", with a real month and day. */
static int valid_said_on(const char *s)
{
    size_t l = strlen(s);
    if (l != 4 && l != 7 && l != 10) return 0;
    if (!digits(s, 4)) return 0;
    if (l == 4) return 1;
    if (s[4] != '-' || !digits(s + 5, 2)) return 0;
    int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0');
    if (m < 1 || m > 12) return 0;
    if (l == 7) return 1;
    if (s[7] != '-' || !digits(s + 8, 2)) return 0;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = m == 2 && !leap ? 28 : mdays[m - 1];
    return d >= 1 && d <= max;
}

/* Case-insensitive (ASCII) equality. */
static int eq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z') y += 'a' - 'A';
        if (x != y) return 0;
    }
    return *a == *b;
}

static int has_descriptor(const sayso_quote *q, const char *want)
{
    for (size_t k = 0; q->descriptors && k < q->n_descriptors; k++)
        if (q->descriptors[k] && eq_nocase(q->descriptors[k], want)) return 1;
    return 0;
}

/* The descriptors as "a | b | c" (or "-"), for messages. */
static const char *descriptors_str(const sayso_quote *q, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t k = 0; q->descriptors && k < q->n_descriptors && o + 1 < cap; k++) {
        int w = snprintf(buf + o, cap - o, "%s%s", k ? " | " : "", str_or_dash(q->descriptors[k]));
        if (w < 0) break;
        o += (size_t)w;
    }
    if (!buf[0]) snprintf(buf, cap, "-");
    return buf;
}

/* Same string, both NULL included. */
static int same_str(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

typedef struct {
    const char *file; /* NAME.expect or NAME.txt, for messages */
    int failures;
} report;

static void failf(report *r, int line, const char *fmt, ...) CMOCKA_PRINTF_ATTRIBUTE(3, 4);
static void failf(report *r, int line, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0) print_error("%s:%d: %s\n", r->file, line, msg);
    else print_error("%s: %s\n", r->file, msg);
    r->failures++;
}

/* ------------------------------------------------------------- invariants */

static void check_span(report *r, const sayso_article *art, size_t qi, const char *what,
                       const sayso_span *s)
{
    if (s->start > s->end || s->byte_start > s->byte_end || s->byte_end > art->len) {
        failf(r, 0, "quote %zu: %s span [%zu,%zu) bytes [%zu,%zu) is not inside the text (%zu bytes)",
              qi, what, s->start, s->end, s->byte_start, s->byte_end, art->len);
        return;
    }
    if (!on_boundary(art->text, art->len, s->byte_start) || !on_boundary(art->text, art->len, s->byte_end))
        failf(r, 0, "quote %zu: %s bytes [%zu,%zu) split a UTF-8 sequence", qi, what,
              s->byte_start, s->byte_end);
    size_t cs = count_cp(art->text, s->byte_start);
    size_t ce = cs + count_cp(art->text + s->byte_start, s->byte_end - s->byte_start);
    if (cs != s->start || ce != s->end)
        failf(r, 0, "quote %zu: %s code points [%zu,%zu) but its bytes [%zu,%zu) are code points [%zu,%zu)",
              qi, what, s->start, s->end, s->byte_start, s->byte_end, cs, ce);
    if (s->byte_start < art->body)
        failf(r, 0, "quote %zu: %s starts in the date header", qi, what);
    if (s->byte_start == s->byte_end)
        failf(r, 0, "quote %zu: %s span is empty", qi, what);
}

static void check_invariants(report *r, const sayso_article *art, const sayso_quote *q, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const sayso_quote *x = &q[i];
        if (!x->text || !*x->text) {
            failf(r, 0, "quote %zu: empty or NULL text", i);
            continue;
        }
        if ((int)x->type < SAYSO_DIRECT || (int)x->type > SAYSO_INDIRECT)
            failf(r, 0, "quote %zu: bad type %d", i, (int)x->type);
        if (x->n_content < 1 || x->n_content > SAYSO_MAX_FRAGMENTS) {
            failf(r, 0, "quote %zu: n_content %d out of range", i, x->n_content);
            continue;
        }
        for (int k = 0; k < x->n_content; k++) {
            check_span(r, art, i, "content", &x->content[k]);
            if (k > 0 && x->content[k - 1].byte_end > x->content[k].byte_start)
                failf(r, 0, "quote %zu: content spans %d and %d overlap or are out of order", i, k - 1, k);
        }
        if (x->has_cue) {
            check_span(r, art, i, "cue", &x->cue);
            for (int k = 0; k < x->n_content; k++)
                if (overlaps(&x->cue, &x->content[k]))
                    failf(r, 0, "quote %zu: cue overlaps content span %d", i, k);
        }
        if (x->has_source) {
            check_span(r, art, i, "source", &x->source);
            for (int k = 0; k < x->n_content; k++)
                if (overlaps(&x->source, &x->content[k]))
                    failf(r, 0, "quote %zu: source overlaps content span %d", i, k);
        }
        if (x->speaker && !*x->speaker)
            failf(r, 0, "quote %zu: speaker is an empty string (use NULL)", i);
        if (!(x->confidence >= 0.0 && x->confidence <= 1.0))
            failf(r, 0, "quote %zu: confidence %g outside [0,1]", i, x->confidence);
        if (x->type == SAYSO_DIRECT) {
            static const char *const open[] = {"\xe2\x80\x9c", "\xc2\xab", "\"", NULL};  /* “ « " */
            static const char *const close[] = {"\xe2\x80\x9d", "\xc2\xbb", "\"", NULL}; /* ” » " */
            for (int k = 0; open[k]; k++)
                if (starts_with(x->text, open[k]) || ends_with(x->text, close[k]))
                    failf(r, 0, "quote %zu: direct quote text keeps its enclosing marks: %s", i, x->text);
        }
        if (i > 0 && q[i - 1].n_content > 0 && q[i - 1].content[0].byte_start > x->content[0].byte_start)
            failf(r, 0, "quote %zu: not in document order", i);

        /* The speaker profile, channel and date. */
        if (x->n_descriptors > 0 && !x->descriptors)
            failf(r, 0, "quote %zu: n_descriptors %zu but descriptors is NULL", i, x->n_descriptors);
        for (size_t k = 0; x->descriptors && k < x->n_descriptors; k++)
            if (!x->descriptors[k] || !*x->descriptors[k])
                failf(r, 0, "quote %zu: descriptor %zu is %s", i, k, x->descriptors[k] ? "empty" : "NULL");
        if (x->speaker_age != -1 && (x->speaker_age <= 0 || x->speaker_age >= 130))
            failf(r, 0, "quote %zu: speaker_age %d is neither -1 nor in 1..129", i, x->speaker_age);
        if (x->said_on && !valid_said_on(x->said_on))
            failf(r, 0, "quote %zu: said_on \"%s\" is not a valid YYYY-MM-DD, YYYY-MM or YYYY", i, x->said_on);
        if (!x->said_on != !x->said_on_text)
            failf(r, 0, "quote %zu: said_on %s but said_on_text %s (both or neither)", i,
                  str_or_dash(x->said_on), str_or_dash(x->said_on_text));
        if (x->said_on_text && !*x->said_on_text)
            failf(r, 0, "quote %zu: said_on_text is an empty string (use NULL)", i);
        if (x->channel && !*x->channel)
            failf(r, 0, "quote %zu: channel is an empty string (use NULL)", i);
        if (x->addressee && !*x->addressee)
            failf(r, 0, "quote %zu: addressee is an empty string (use NULL)", i);
        if (x->speaker_id < -1)
            failf(r, 0, "quote %zu: speaker_id %d < -1", i, x->speaker_id);
        /* Someone the article describes but never names ("a spokesperson
         * for Vantix") has an id and descriptors, and no name. */
        if (x->speaker_id >= 0 && !x->speaker && x->n_descriptors == 0)
            failf(r, 0, "quote %zu: speaker_id %d but neither a name nor descriptors", i, x->speaker_id);
        for (size_t j = 0; j < i; j++)
            if (x->speaker_id >= 0 && q[j].speaker_id == x->speaker_id && !same_str(q[j].speaker, x->speaker)) {
                failf(r, 0, "quotes %zu and %zu: speaker_id %d named both %s and %s", j, i, x->speaker_id,
                      str_or_dash(q[j].speaker), str_or_dash(x->speaker));
                break;
            }
    }
}

/* Results must not depend on the extractor's history. */
static void check_same(report *r, const sayso_quote *a, size_t na, const sayso_quote *b, size_t nb)
{
    if (na != nb) {
        failf(r, 0, "a fresh extractor found %zu quotes, the shared one %zu", na, nb);
        return;
    }
    for (size_t i = 0; i < na; i++) {
        int same = a[i].n_content == b[i].n_content && a[i].type == b[i].type &&
                   a[i].has_cue == b[i].has_cue && a[i].has_source == b[i].has_source &&
                   strcmp(a[i].text ? a[i].text : "", b[i].text ? b[i].text : "") == 0 &&
                   strcmp(a[i].speaker ? a[i].speaker : "-", b[i].speaker ? b[i].speaker : "-") == 0 &&
                   a[i].speaker_id == b[i].speaker_id && a[i].speaker_age == b[i].speaker_age &&
                   same_str(a[i].channel, b[i].channel) && same_str(a[i].addressee, b[i].addressee) &&
                   same_str(a[i].said_on, b[i].said_on) && same_str(a[i].said_on_text, b[i].said_on_text) &&
                   a[i].n_descriptors == b[i].n_descriptors;
        for (size_t k = 0; same && k < a[i].n_descriptors; k++)
            same = a[i].descriptors && b[i].descriptors &&
                   same_str(a[i].descriptors[k], b[i].descriptors[k]);
        for (int k = 0; same && k < a[i].n_content && k < SAYSO_MAX_FRAGMENTS; k++)
            same = a[i].content[k].byte_start == b[i].content[k].byte_start &&
                   a[i].content[k].byte_end == b[i].content[k].byte_end;
        if (!same) failf(r, 0, "quote %zu differs between a fresh and a shared extractor", i);
    }
}

/* ------------------------------------------------------------ expectations */

static int type_from_name(const char *s, int *t)
{
    if (!strcmp(s, "*")) { *t = -1; return 0; }
    for (int k = SAYSO_DIRECT; k <= SAYSO_INDIRECT; k++)
        if (!strcmp(s, sayso_quote_type_name((sayso_quote_type)k))) { *t = k; return 0; }
    return -1;
}

/* Splits line at TABs into at most max fields; returns the count. */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') { *p = 0; f[n++] = p + 1; }
    return n;
}

static const sayso_quote *find_quote(const sayso_quote *q, size_t n, const char *sub)
{
    for (size_t i = 0; i < n; i++)
        if (q[i].text && strstr(q[i].text, sub)) return &q[i];
    return NULL;
}

/* A string field against VALUE ('-' = NULL). */
static void check_str_field(report *r, int ln, const char *sub, const char *field, const char *got,
                            const char *want)
{
    int ok = !strcmp(want, "-") ? got == NULL : got && !strcmp(got, want);
    if (!ok) failf(r, ln, "quote with \"%s\": %s %s%s%s, expected %s", sub, field, got ? "\"" : "",
                   str_or_dash(got), got ? "\"" : "", want);
}

/* P SUBSTRING FIELD VALUE */
static void check_property(report *r, int ln, const char *sub, const char *field, const char *want,
                           const sayso_article *art, const sayso_quote *q, size_t n)
{
    const sayso_quote *x = find_quote(q, n, sub);
    if (!x) { failf(r, ln, "no quote contains \"%s\"", sub); return; }
    char buf[1024];

    if (!strcmp(field, "speaker")) {
        check_str_field(r, ln, sub, field, x->speaker, want);
    } else if (!strcmp(field, "channel")) {
        check_str_field(r, ln, sub, field, x->channel, want);
    } else if (!strcmp(field, "addressee")) {
        check_str_field(r, ln, sub, field, x->addressee, want);
    } else if (!strcmp(field, "said_on")) {
        check_str_field(r, ln, sub, field, x->said_on, want);
        if (strcmp(want, "-") != 0 && !valid_said_on(want))
            failf(r, ln, "bad said_on value '%s' in the .expect file", want);
    } else if (!strcmp(field, "said_on_text")) {
        check_str_field(r, ln, sub, field, x->said_on_text, want);
    } else if (!strcmp(field, "source")) {
        size_t len = x->has_source ? x->source.byte_end - x->source.byte_start : 0;
        if (len >= sizeof buf) len = sizeof buf - 1;
        if (x->has_source) memcpy(buf, art->text + x->source.byte_start, len);
        buf[len] = 0;
        check_str_field(r, ln, sub, field, x->has_source ? buf : NULL, want);
    } else if (!strcmp(field, "age")) {
        char *end = NULL;
        long age = !strcmp(want, "-") ? -1 : strtol(want, &end, 10);
        if (strcmp(want, "-") != 0 && (end == want || *end)) { failf(r, ln, "bad age '%s'", want); return; }
        if (x->speaker_age != age)
            failf(r, ln, "quote with \"%s\": age %d (speaker %s), expected %s", sub, x->speaker_age,
                  str_or_dash(x->speaker), want);
    } else if (!strcmp(field, "descriptor")) {
        if (!has_descriptor(x, want))
            failf(r, ln, "quote with \"%s\": descriptors [%s] (speaker %s), expected one to be \"%s\"", sub,
                  descriptors_str(x, buf, sizeof buf), str_or_dash(x->speaker), want);
    } else if (!strcmp(field, "no_descriptor")) {
        if (has_descriptor(x, want))
            failf(r, ln, "quote with \"%s\": descriptors [%s] (speaker %s) include \"%s\"", sub,
                  descriptors_str(x, buf, sizeof buf), str_or_dash(x->speaker), want);
    } else if (!strcmp(field, "same_speaker") || !strcmp(field, "other_speaker")) {
        const sayso_quote *y = find_quote(q, n, want);
        if (!y) { failf(r, ln, "no quote contains \"%s\"", want); return; }
        int same = !strcmp(field, "same_speaker");
        int ok = x->speaker_id >= 0 && y->speaker_id >= 0 && (x->speaker_id == y->speaker_id) == same;
        if (!ok)
            failf(r, ln, "quote with \"%s\": speaker_id %d (%s), quote with \"%s\": speaker_id %d (%s); "
                  "expected %s speaker, both ids >= 0", sub, x->speaker_id, str_or_dash(x->speaker), want,
                  y->speaker_id, str_or_dash(y->speaker), same ? "the same" : "a different");
    } else {
        failf(r, ln, "unknown P field '%s'", field);
    }
}

static void check_expect_line(report *r, int ln, char *line, const sayso_article *art, const sayso_quote *q,
                              size_t n)
{
    char *f[5];
    int nf = split_tabs(line, f, 5);
    const char *kind = f[0];
    g_checks++;
    int before = r->failures;

    if (!strcmp(kind, "Q") && nf == 4) {
        int want_type;
        if (type_from_name(f[3], &want_type) != 0) { failf(r, ln, "bad type '%s'", f[3]); return; }
        const sayso_quote *first = NULL;
        int ok = 0;
        for (size_t i = 0; i < n && !ok; i++) {
            if (!strstr(q[i].text, f[1])) continue;
            if (!first) first = &q[i];
            int sp_ok = !strcmp(f[2], "*") ||
                        (!strcmp(f[2], "-") ? q[i].speaker == NULL
                                            : q[i].speaker && !strcmp(q[i].speaker, f[2]));
            int ty_ok = want_type < 0 || (int)q[i].type == want_type;
            ok = sp_ok && ty_ok;
        }
        if (!first)
            failf(r, ln, "no quote contains \"%s\"", f[1]);
        else if (!ok)
            failf(r, ln, "quote with \"%s\": speaker %s, type %s; expected speaker %s, type %s", f[1],
                  str_or_dash(first->speaker), sayso_quote_type_name(first->type), f[2], f[3]);
    } else if (!strcmp(kind, "N") && nf == 2) {
        for (size_t i = 0; i < n; i++)
            if (strstr(q[i].text, f[1]))
                failf(r, ln, "quote %zu contains \"%s\", which is not a quotation: %s", i, f[1], q[i].text);
    } else if (!strcmp(kind, "C") && nf == 2) {
        size_t want = (size_t)strtoul(f[1], NULL, 10);
        if (n != want) failf(r, ln, "%zu quotes found, expected %zu", n, want);
    } else if (!strcmp(kind, "M") && nf == 2) {
        size_t want = (size_t)strtoul(f[1], NULL, 10), marked = 0;
        for (size_t i = 0; i < n; i++) marked += q[i].type != SAYSO_INDIRECT;
        if (marked != want) failf(r, ln, "%zu quotes with quotation marks found, expected %zu", marked, want);
    } else if (!strcmp(kind, "F") && nf == 3) {
        int want = atoi(f[2]);
        const sayso_quote *hit = NULL;
        for (size_t i = 0; i < n && !hit; i++)
            if (strstr(q[i].text, f[1])) hit = &q[i];
        if (!hit) failf(r, ln, "no quote contains \"%s\"", f[1]);
        else if (hit->n_content != want)
            failf(r, ln, "quote with \"%s\" has %d content spans, expected %d", f[1], hit->n_content, want);
    } else if (!strcmp(kind, "P") && nf == 4) {
        check_property(r, ln, f[1], f[2], f[3], art, q, n);
    } else {
        failf(r, ln, "malformed line (kind '%s', %d fields)", kind, nf);
    }
    if (r->failures == before) g_passed++;
}

static void dump_quotes(const sayso_quote *q, size_t n)
{
    print_error("    found %zu quote%s:\n", n, n == 1 ? "" : "s");
    char buf[1024];
    for (size_t i = 0; i < n; i++) {
        const sayso_quote *x = &q[i];
        print_error("    [%zu] %-8s speaker=%s id=%d spans=%d text=%s\n", i, sayso_quote_type_name(x->type),
                    str_or_dash(x->speaker), x->speaker_id, x->n_content, x->text ? x->text : "(null)");
        print_error("         age=%d descriptors=[%s] channel=%s addressee=%s said_on=%s (%s)\n",
                    x->speaker_age, descriptors_str(x, buf, sizeof buf), str_or_dash(x->channel),
                    str_or_dash(x->addressee), str_or_dash(x->said_on), str_or_dash(x->said_on_text));
    }
}

/* ------------------------------------------------------------------ tests */

static void run_fixture(void **state)
{
    const fixture *fx = *state;
    size_t len = 0, elen = 0;
    char *text = tu_read_file(fx->path, &len);
    char *exp = tu_read_file(fx->expect, &elen);
    if (!text) fail_msg("cannot read %s", fx->path);
    if (!exp) { free(text); fail_msg("%s has no .expect file (%s)", fx->name, fx->expect); }

    char date[11];
    sayso_article art = {0};
    art.id = fx->name;
    art.text = text;
    art.len = len;
    art.body = sayso_parse_date_header(text, len, date);
    art.date = date[0] ? date : NULL;

    sayso_extractor *fresh = sayso_extractor_new_with(g_models);
    const sayso_quote *q = NULL, *qs = NULL;
    size_t n = 0, ns = 0;
    if (!fresh || sayso_extract(fresh, &art, &q, &n) != 0 || sayso_extract(g_shared, &art, &qs, &ns) != 0 ||
        (n > 0 && !q) || (ns > 0 && !qs)) {
        sayso_extractor_free(fresh);
        free(text);
        free(exp);
        fail_msg("%s: sayso_extract failed", fx->name);
    }

    const char *base = strrchr(fx->expect, '/');
    report inv = {fx->name, 0}, ex = {base ? base + 1 : fx->expect, 0};
    check_invariants(&inv, &art, q, n);
    check_same(&inv, q, n, qs, ns);
    g_checks++;
    if (inv.failures == 0) g_passed++;

    int ln = 0;
    for (char *line = exp, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        ln++;
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r') line[--l] = 0;
        if (l == 0 || line[0] == '#') continue;
        check_expect_line(&ex, ln, line, &art, q, n);
    }

    int failures = inv.failures + ex.failures;
    if (failures) dump_quotes(q, n);
    else g_fixtures_ok++;
    sayso_extractor_free(fresh);
    free(text);
    free(exp);
    if (failures) fail_msg("%s: %d check%s failed", fx->name, failures, failures == 1 ? "" : "s");
}

static int cmp_fixture(const void *a, const void *b)
{
    return strcmp(((const fixture *)a)->name, ((const fixture *)b)->name);
}

static int wanted(const char *name, int argc, char **argv)
{
    if (argc < 2) return 1;
    for (int i = 1; i < argc; i++)
        if (strstr(name, argv[i])) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = tu_env("SAYSO_FIXTURES", "tests/fixtures");
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "test_fixtures: cannot open fixture directory %s (set SAYSO_FIXTURES)\n", dir);
        return 1;
    }
    size_t n = 0, cap = 64;
    fixture *fx = malloc(cap * sizeof *fx);
    struct dirent *e;
    while (fx && (e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || l >= sizeof fx->name || strcmp(e->d_name + l - 4, ".txt") != 0) continue;
        if (!wanted(e->d_name, argc, argv)) continue;
        if (n == cap) {
            fixture *nf = realloc(fx, 2 * cap * sizeof *fx);
            if (!nf) break;
            fx = nf;
            cap *= 2;
        }
        fixture *f = &fx[n++];
        snprintf(f->name, sizeof f->name, "%s", e->d_name);
        snprintf(f->path, sizeof f->path, "%s/%s", dir, e->d_name);
        snprintf(f->expect, sizeof f->expect, "%s/%.*s.expect", dir, (int)(l - 4), e->d_name);
    }
    closedir(d);
    if (!fx || n == 0) {
        fprintf(stderr, "test_fixtures: no *.txt fixtures in %s\n", dir);
        free(fx);
        return 1;
    }
    qsort(fx, n, sizeof *fx, cmp_fixture);

    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    /* SAYSO_MODELS=DIR runs the spec against models trained elsewhere
     * (sayso train), as `sayso extract --models DIR` would. */
    sayso_models *owned = NULL;
    char err[512];
    if (getenv("SAYSO_MODELS") && *getenv("SAYSO_MODELS")) {
        if (!(owned = sayso_models_load(getenv("SAYSO_MODELS"), err, sizeof err))) {
            fprintf(stderr, "test_fixtures: %s\n", err);
            return 1;
        }
        g_models = owned;
    } else {
        g_models = sayso_models_builtin(NULL, 0);
    }
    g_shared = sayso_extractor_new_with(g_models);
    if (!tests || !g_shared) return 1;
    for (size_t i = 0; i < n; i++) {
        tests[i].name = fx[i].name;
        tests[i].test_func = run_fixture;
        tests[i].initial_state = &fx[i];
    }
    int rc = _cmocka_run_group_tests("fixtures", tests, n, NULL, NULL);
    printf("fixture summary: %d/%d checks passed, %d/%zu fixtures fully passing\n",
           g_passed, g_checks, g_fixtures_ok, n);
    sayso_extractor_free(g_shared);
    sayso_models_free(owned);
    free(tests);
    free(fx);
    return rc;
}
