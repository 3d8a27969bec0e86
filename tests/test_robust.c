/*
 * test_robust.c — the library on hostile input, called directly (no reader
 * in front to repair it): random mixes of quotation marks, names, cues,
 * line breaks, invalid UTF-8 and NUL bytes, and pathological shapes (only
 * marks, one huge paragraph, deep nesting). Every result must keep the
 * invariants callers rely on: spans inside the text and on code point
 * boundaries that agree with the byte offsets, content in document order,
 * confidence in [0, 1], and strings that are valid C strings.
 */
#include "testutil.h"
#include "sayso.h"

static const char *const PIECES[] = {
    "“", "”", "\"", "'", "‘", "’", "«", "»", " ", "\n", "\n\n", ",", ".", ":", "said", "he", "she",
    "Smith", "John Smith", "the singer", "Mr.", "(", ")", "—", "according to", "told", "that", "\xff",
    "\xc3", "\xe2\x80", "\0", "é", "6'4\"", "=", "<tweet/>", "Sen.", "Legend", "wrote:", "“A,”", "“B.”",
};
#define NPIECES (sizeof PIECES / sizeof PIECES[0])

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

/* Length of the character at s[i], the way the library decodes: a valid
 * UTF-8 sequence, or one invalid byte. */
static size_t char_len(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    size_t len = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
               : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    int ok = len > 0 && i + len <= n;
    for (size_t k = 1; ok && k < len; k++) ok = ((unsigned char)s[i + k] & 0xC0) == 0x80;
    if (ok && len == 3) {
        unsigned cpv = ((c & 0x0Fu) << 12) | (((unsigned char)s[i + 1] & 0x3Fu) << 6);
        ok = cpv >= 0x800 && !(cpv >= 0xD800 && cpv <= 0xDFFF);
    }
    if (ok && len == 4) {
        unsigned cpv = ((c & 0x07u) << 18) | (((unsigned char)s[i + 1] & 0x3Fu) << 12);
        ok = cpv >= 0x10000 && cpv <= 0x10FFFF;
    }
    return ok ? len : 1;
}

/* cp_at[b]: code points before byte b, or SIZE_MAX inside a character;
 * built once per article so that checking every span stays linear. */
static size_t *cp_at;

static void build_cp_index(const char *text, size_t len)
{
    free(cp_at);
    cp_at = malloc((len + 1) * sizeof *cp_at);
    assert_non_null(cp_at);
    for (size_t i = 0; i <= len; i++) cp_at[i] = SIZE_MAX;
    size_t cp = 0;
    for (size_t i = 0; i < len;) {
        cp_at[i] = cp;
        i += char_len(text, len, i);
        cp++;
    }
    cp_at[len] = cp;
}

static void check_span(const char *text, size_t len, sayso_span s)
{
    (void)text;
    assert_true(s.byte_start <= s.byte_end);
    assert_true(s.byte_end <= len);
    assert_true(s.start <= s.end);
    assert_int_equal(s.start, cp_at[s.byte_start]);
    assert_int_equal(s.end, cp_at[s.byte_end]);
}

static void check_result(const char *text, size_t len, const sayso_quote *q, size_t n)
{
    size_t prev = 0;
    build_cp_index(text, len);
    for (size_t i = 0; i < n; i++) {
        assert_true(q[i].n_content >= 1 && q[i].n_content <= SAYSO_MAX_FRAGMENTS);
        for (int k = 0; k < q[i].n_content; k++) check_span(text, len, q[i].content[k]);
        assert_true(q[i].content[0].byte_start >= prev);
        prev = q[i].content[0].byte_start;
        if (q[i].has_cue) check_span(text, len, q[i].cue);
        if (q[i].has_source) check_span(text, len, q[i].source);
        assert_non_null(q[i].text);
        assert_true(strlen(q[i].text) <= len * 2 + 16);
        if (q[i].speaker) assert_true(strlen(q[i].speaker) > 0);
        assert_true(q[i].confidence >= 0.0 && q[i].confidence <= 1.0);
        assert_true(q[i].type == SAYSO_DIRECT || q[i].type == SAYSO_MIXED || q[i].type == SAYSO_INDIRECT);
        /* The speaker's profile and the setting: well-formed whatever the
         * input (descriptors are bounded per speaker, dates are dates). */
        assert_true(q[i].speaker_id >= -1);
        assert_true(q[i].n_descriptors <= 12);
        for (size_t k = 0; k < q[i].n_descriptors; k++) {
            assert_non_null(q[i].descriptors[k]);
            assert_true(strlen(q[i].descriptors[k]) > 0 && strlen(q[i].descriptors[k]) < 256);
        }
        assert_true(q[i].speaker_age == -1 || (q[i].speaker_age > 0 && q[i].speaker_age <= 125));
        if (q[i].channel) assert_true(strlen(q[i].channel) > 0);
        if (q[i].addressee) assert_true(strlen(q[i].addressee) > 0);
        assert_true((q[i].said_on == NULL) == (q[i].said_on_text == NULL));
        if (q[i].said_on) {
            size_t dl = strlen(q[i].said_on);
            assert_true(dl == 4 || dl == 7 || dl == 10);
            for (size_t k = 0; k < dl; k++)
                assert_true(k == 4 || k == 7 ? q[i].said_on[k] == '-' : (q[i].said_on[k] >= '0' && q[i].said_on[k] <= '9'));
        }
    }
}

static void run_one(sayso_extractor *ex, const char *text, size_t len)
{
    /* A leap day: relative dates ("last year", "yesterday") must land on real days. */
    sayso_article art = { .id = "t", .date = "2020-02-29", .text = text, .len = len };
    const sayso_quote *q;
    size_t n;
    assert_int_equal(sayso_extract(ex, &art, &q, &n), 0);
    check_result(text, len, q, n);
}

static void test_random_mixes(void **state)
{
    (void)state;
    sayso_extractor *ex = sayso_extractor_new();
    assert_non_null(ex);
    char *buf = malloc(1 << 16);
    size_t total_quotes = 0;
    for (int doc = 0; doc < 2000; doc++) {
        size_t len = 0, pieces = next_rand() % 300;
        for (size_t p = 0; p < pieces; p++) {
            const char *s = PIECES[next_rand() % NPIECES];
            size_t n = s[0] ? strlen(s) : 1; /* the "\0" piece is one NUL byte */
            if (len + n >= (1 << 16)) break;
            memcpy(buf + len, s, n);
            len += n;
        }
        run_one(ex, buf, len);
        sayso_article art = { .text = buf, .len = len };
        const sayso_quote *q;
        size_t n;
        sayso_extract(ex, &art, &q, &n);
        total_quotes += n;
    }
    /* The mixes do contain quotations: a library that found none would
     * pass the invariants trivially. */
    assert_true(total_quotes > 100);
    free(buf);
    sayso_extractor_free(ex);
}

static void test_pathological_shapes(void **state)
{
    (void)state;
    sayso_extractor *ex = sayso_extractor_new();
    size_t big = 2 << 20;
    char *buf = malloc(big * 3 + 16);
    size_t len;

    /* Only opening marks, then only closing marks, then alternating. */
    const char *shapes[] = { "“", "”", "\"", "“ ”", "«", "’", "\n" };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t n = strlen(shapes[s]);
        for (len = 0; len + n < big; len += n) memcpy(buf + len, shapes[s], n);
        run_one(ex, buf, len);
    }
    /* One paragraph of a million words with a mark every few words. */
    len = 0;
    while (len + 40 < big) {
        int r = (int)(next_rand() % 6);
        const char *w = r == 0 ? "“Yes,” " : r == 1 ? "Smith said " : r == 2 ? "and he " : "words go on ";
        memcpy(buf + len, w, strlen(w));
        len += strlen(w);
    }
    run_one(ex, buf, len);
    /* Fifty thousand different people of one surname, each quoted. */
    len = 0;
    for (int i = 0; i < 50000; i++) {
        char w[64];
        int n = snprintf(w, sizeof w, "Ab%c%c%c Smith said “Yes, %d.” ", 'a' + i % 26, 'a' + (i / 26) % 26,
                         'a' + (i / 676) % 26, i);
        memcpy(buf + len, w, (size_t)n);
        len += (size_t)n;
    }
    run_one(ex, buf, len);
    /* Empty and one-byte articles; an article that is only a date header. */
    run_one(ex, "", 0);
    run_one(ex, "\"", 1);
    run_one(ex, " date 2020-01-01 ", 17);
    free(buf);
    sayso_extractor_free(ex);
}

static void test_date_header(void **state)
{
    (void)state;
    char date[11];
    assert_int_equal(sayso_parse_date_header(" date 2020-10-16 It was", 23, date), 17);
    assert_string_equal(date, "2020-10-16");
    assert_int_equal(sayso_parse_date_header("date 2020-10-16\nText", 20, date), 15);
    assert_int_equal(sayso_parse_date_header(" date 2020-13-16 x", 18, date), 0);
    assert_string_equal(date, "");
    assert_int_equal(sayso_parse_date_header(" date 2020-10-1", 15, date), 0);
    assert_int_equal(sayso_parse_date_header("updated 2020-10-16", 18, date), 0);
    assert_int_equal(sayso_parse_date_header(" date 2020-10-16x", 17, date), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_mixes),
        cmocka_unit_test(test_pathological_shapes),
        cmocka_unit_test(test_date_header),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    free(cp_at);
    return failed;
}
