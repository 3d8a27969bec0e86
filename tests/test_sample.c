/*
 * test_sample.c — the motivating article: ../shared/samples/000_153c19312460578d.txt
 * (third-party text, so it is not in the repo: the test skips with exit 77
 * when it is absent).
 *
 * It holds 8 quotations: five of John Legend's (the partial "challenging
 * moments" and the four paragraphs of his Instagram post and tribute, each a
 * whole paragraph after a colon or after an attributed paragraph) and three
 * of Chrissy Teigen's (the partial "super weak" and her two statements after
 * colons). The song title "Never Break" is not a quotation. Besides, his
 * acknowledgement, in reported speech, that their loss is not theirs alone
 * (the words "unique to them") is an indirect quote of his. Quotes are
 * recognised by a few distinctive words each; every expected quote must be
 * matched by a different extracted quote.
 *
 * Where and when: the Instagram post ("he took to Instagram to write:",
 * the sentence before placing it "on Thursday" in an article dated Friday
 * 2020-10-16) is instagram, 2020-10-15, and so is its "Legend continued:"
 * part; Chrissy Teigen's two statements were made "at the time" and carry
 * no date. Each speaker is one entity with the age and the epithets the
 * article gives ("The 41-year-old", "the 34-year-old model", "The momma of
 * two").
 */
#include "testutil.h"
#include "sayso.h"

typedef struct {
    const char *has;     /* the quote text contains this */
    const char *not_has; /* ...but not this (tells the partial from the post) */
    const char *speaker;
    const char *channel; /* "-": none; NULL: not checked */
    const char *said_on; /* "-": none; NULL: not checked */
} expected;

static const expected EXPECTED[] = {
    {"challenging moments", "most challenging", "John Legend", NULL, "2020-10-15"},
    {"This is for Chrissy", NULL, "John Legend", "instagram", "2020-10-15"},
    {"I wrote this song because", NULL, "John Legend", NULL, NULL},
    {"Thank you to everyone who", NULL, "John Legend", "instagram", "2020-10-15"},
    {"so many other families", NULL, "John Legend", NULL, NULL},
    {"super weak", NULL, "Chrissy Teigen", NULL, NULL},
    {"We are shocked and in", NULL, "Chrissy Teigen", NULL, "-"},
    {"We never decide on our", NULL, "Chrissy Teigen", NULL, "-"},
};

/* Compares an optional field with its expectation ("-" for NULL). */
static int field_ok(const char *got, const char *want)
{
    if (!want) return 1;
    if (strcmp(want, "-") == 0) return got == NULL;
    return got && strcmp(got, want) == 0;
}

static int has_descriptor(const sayso_quote *q, const char *d)
{
    for (size_t i = 0; i < q->n_descriptors; i++)
        if (strcmp(q->descriptors[i], d) == 0) return 1;
    return 0;
}
#define N_EXPECTED (sizeof EXPECTED / sizeof EXPECTED[0])

static char *g_text;
static size_t g_len;

static void test_motivating_article(void **state)
{
    (void)state;
    char date[11];
    sayso_article art = {0};
    art.id = "000_153c19312460578d";
    art.text = g_text;
    art.len = g_len;
    art.body = sayso_parse_date_header(g_text, g_len, date);
    art.date = date;
    assert_string_equal(date, "2020-10-16");

    sayso_extractor *ex = sayso_extractor_new();
    assert_non_null(ex);
    const sayso_quote *q = NULL;
    size_t n = 0;
    if (sayso_extract(ex, &art, &q, &n) != 0) {
        sayso_extractor_free(ex);
        fail_msg("sayso_extract failed");
    }

    int failures = 0;
    size_t used[N_EXPECTED];
    size_t n_quoted = 0; /* direct and mixed: the ones with quotation marks */
    for (size_t i = 0; i < n; i++)
        if (q[i].type != SAYSO_INDIRECT) n_quoted++;

    for (size_t e = 0; e < N_EXPECTED; e++) {
        const expected *x = &EXPECTED[e];
        size_t hit = n;
        for (size_t i = 0; i < n && hit == n; i++)
            if (q[i].text && strstr(q[i].text, x->has) && !(x->not_has && strstr(q[i].text, x->not_has)))
                hit = i;
        used[e] = hit;
        if (hit == n) {
            print_error("missing: the quote with \"%s\" (%s)\n", x->has, x->speaker);
            failures++;
            continue;
        }
        for (size_t p = 0; p < e; p++)
            if (used[p] == hit) {
                print_error("quote %zu holds both \"%s\" and \"%s\": they are separate quotations\n", hit,
                            EXPECTED[p].has, x->has);
                failures++;
            }
        if (!q[hit].speaker || strcmp(q[hit].speaker, x->speaker) != 0) {
            print_error("the quote with \"%s\": speaker %s, expected %s\n", x->has,
                        q[hit].speaker ? q[hit].speaker : "(none)", x->speaker);
            failures++;
        }
        if (!field_ok(q[hit].channel, x->channel)) {
            print_error("the quote with \"%s\": channel %s, expected %s\n", x->has,
                        q[hit].channel ? q[hit].channel : "-", x->channel);
            failures++;
        }
        if (!field_ok(q[hit].said_on, x->said_on)) {
            print_error("the quote with \"%s\": said_on %s, expected %s\n", x->has,
                        q[hit].said_on ? q[hit].said_on : "-", x->said_on);
            failures++;
        }
        if (q[hit].said_on && strcmp(q[hit].said_on, "2020-10-16") == 0 && x->speaker[0] == 'C') {
            print_error("the quote with \"%s\" is dated the article's date\n", x->has);
            failures++;
        }
    }
    /* One person each, with the age and epithets the article gives. */
    if (used[1] < n && used[4] < n && used[6] < n && used[7] < n) {
        const sayso_quote *john = &q[used[1]], *chrissy = &q[used[6]];
        if (john->speaker_id < 0 || john->speaker_id != q[used[4]].speaker_id ||
            chrissy->speaker_id != q[used[7]].speaker_id || john->speaker_id == chrissy->speaker_id) {
            print_error("speaker ids: John %d and %d, Chrissy %d and %d\n", john->speaker_id,
                        q[used[4]].speaker_id, chrissy->speaker_id, q[used[7]].speaker_id);
            failures++;
        }
        if (john->speaker_age != 41 || chrissy->speaker_age != 34) {
            print_error("ages: John %d, Chrissy %d; expected 41 and 34\n", john->speaker_age, chrissy->speaker_age);
            failures++;
        }
        if (!has_descriptor(john, "41-year-old") || !has_descriptor(chrissy, "momma of two") ||
            has_descriptor(john, "momma of two") || has_descriptor(chrissy, "41-year-old")) {
            print_error("descriptors are mixed up between the two speakers\n");
            failures++;
        }
    }
    /* The song title is no quotation; a report without marks may name it
     * (the sentence that calls his wife the song's inspiration). */
    for (size_t i = 0; i < n; i++)
        if (q[i].text && q[i].type != SAYSO_INDIRECT && strstr(q[i].text, "Never Break")) {
            print_error("quote %zu contains the song title \"Never Break\": %s\n", i, q[i].text);
            failures++;
        }
    /* Reported speech: his acknowledgement, without quotation marks, that
     * other families share their loss (the words "unique to them") is an
     * indirect quote of his. */
    size_t rep = n;
    for (size_t i = 0; i < n && rep == n; i++)
        if (q[i].text && strstr(q[i].text, "unique to them")) rep = i;
    if (rep == n || q[rep].type != SAYSO_INDIRECT || !q[rep].speaker || strcmp(q[rep].speaker, "John Legend") != 0) {
        print_error("the reported \"unique to them\": %s\n",
                    rep == n ? "missing" : "not an indirect quote of John Legend's");
        failures++;
    }
    if (n_quoted != N_EXPECTED) {
        print_error("%zu direct or mixed quotes found, expected %zu\n", n_quoted, N_EXPECTED);
        failures++;
    }
    if (failures) {
        print_error("found %zu quotes:\n", n);
        for (size_t i = 0; i < n; i++) {
            const char *t = q[i].text ? q[i].text : "(null)";
            int cut = (int)strlen(t);
            if (cut > 80) { /* shorten, but not inside a UTF-8 sequence */
                cut = 80;
                while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80) cut--;
            }
            print_error("  [%zu] %-8s speaker=%s channel=%s said_on=%s text=%.*s%s\n", i,
                        sayso_quote_type_name(q[i].type), q[i].speaker ? q[i].speaker : "-",
                        q[i].channel ? q[i].channel : "-", q[i].said_on ? q[i].said_on : "-", cut, t,
                        t[cut] ? "..." : "");
        }
    }
    sayso_extractor_free(ex);
    if (failures) fail_msg("%d problem%s in the motivating article", failures, failures == 1 ? "" : "s");
}

int main(void)
{
    const char *path = tu_shared("samples/000_153c19312460578d.txt");
    if (!path) return TEST_SKIP_CODE;
    g_text = tu_read_file(path, &g_len);
    if (!g_text) {
        fprintf(stderr, "test_sample: cannot read %s\n", path);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_motivating_article),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(g_text);
    return rc;
}
