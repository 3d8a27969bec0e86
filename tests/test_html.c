/*
 * test_html.c — web pages: main-content extraction, metadata, charsets,
 * the reader's HTML inputs and `sayso read`.
 *
 * The pages are tests/fixtures/html/: invented news pages written for
 * these tests (a news page with navigation, share buttons, comments and an
 * embedded tweet; one with Instagram, TikTok and Facebook embeds; one in
 * windows-1252; one without metadata), and pages built here (deep nesting,
 * binary bytes).
 */
#include <cJSON.h>
#include <zlib.h>

#include "testutil.h"
#include "html.h"
#include "read.h"

static char *fixture(const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/html/%s", tu_env("SAYSO_FIXTURES", "tests/fixtures"), name);
    char *s = tu_read_file(path, len);
    if (!s) fprintf(stderr, "cannot read %s\n", path);
    assert_non_null(s);
    return s;
}

static void extract(const char *name, const char *charset, const char *url, sayso_page *p)
{
    size_t len;
    char *html = fixture(name, &len);
    char err[256];
    int rc = sayso_html_extract(html, len, charset, url, p, err, sizeof err);
    if (rc != 0) fprintf(stderr, "%s: %s\n", name, err);
    assert_int_equal(rc, 0);
    assert_non_null(p->text);
    assert_int_equal(strlen(p->text), p->len);
    free(html);
}

static int contains(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

static void expect_valid_utf8(const char *s, size_t len)
{
    char *fixed = NULL;
    size_t n;
    assert_int_equal(sayso_utf8_repair(s, len, &fixed, &n), 0);
    assert_null(fixed);
}

/* ---- Content ------------------------------------------------------------ */

static void test_news_page(void **state)
{
    (void)state;
    sayso_page p;
    extract("news.html", NULL, NULL, &p);
    const char *t = p.text;
    /* the article, in order, paragraphs apart */
    const char *a = strstr(t, "The ferry between Calloway Point");
    const char *b = strstr(t, "\xE2\x80\x9CWe are ready, and the boat is ready,\xE2\x80\x9D said harbor master");
    const char *c = strstr(t, "The county will review the landing again in April");
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_true(a < b && b < c);
    assert_true(t == a); /* nothing before the first paragraph: no menu, no byline */
    assert_true(contains(t, "moorings, the county said on Thursday.\n\nCrews worked"));
    /* inline markup joined without stray spaces */
    assert_true(contains(t, "tore the landing ramp"));
    /* headings, list items and the pull quote are kept as paragraphs */
    assert_true(contains(t, "\n\nFares stay the same\n\n"));
    assert_true(contains(t, "\n\nThe island cannot wait another month for its groceries.\n\n"));
    assert_true(contains(t, "\n\nWeekday departures resume at 7:10 and every ninety minutes after that.\n\n"
                            "Weekend departures begin at 8:40"));
    /* the title is not repeated, and none of the page's furniture is there */
    static const char *const junk[] = {"Ferry service to resume", "cookies", "Accept all", "Sports", "Share on",
                                       "Email this", "Storm closes harbor road", "comments", "cousin",
                                       "Lighthouse sale", "All rights reserved", "Privacy", "Advertisement",
                                       "font-family", "By Mirela"};
    for (size_t i = 0; i < sizeof junk / sizeof *junk; i++) {
        if (contains(t, junk[i])) fprintf(stderr, "unexpected: %s\n", junk[i]);
        assert_false(contains(t, junk[i]));
    }
    /* the embedded tweet, attributed to its poster */
    assert_int_equal(p.embeds, 1);
    assert_true(contains(t, "\n\nCalloway County Ferries (@CallowayFerries) posted on Twitter:\n\n"
                            "\xE2\x80\x9C" "First crossing Monday at 7:10. Bring a coat, the deck is still cold!"));
    assert_false(contains(t, "March 7, 2024"));
    /* no blank runs, no spaces at paragraph edges */
    assert_false(contains(t, "\n\n\n"));
    assert_false(contains(t, " \n"));
    assert_false(contains(t, "\n "));
    expect_valid_utf8(p.text, p.len);
    sayso_page_clear(&p);
    assert_null(p.text);
}

static void test_news_metadata(void **state)
{
    (void)state;
    sayso_page p;
    extract("news.html", NULL, NULL, &p);
    assert_string_equal(p.title, "Ferry service to resume after storm repairs");
    /* JSON-LD's datePublished, as written (its own time zone), before the
     * Open Graph modified time and the meta author */
    assert_string_equal(p.date, "2024-03-07");
    assert_string_equal(p.authors, "Mirela Oduya; Tobias Renwick");
    assert_string_equal(p.site, "The Harbor Ledger");
    assert_string_equal(p.lang, "en-GB");
    assert_string_equal(p.url, "https://harborledger.example/local/2024/03/07/ferry-service-resumes");
    sayso_page_clear(&p);
}

static void test_embeds(void **state)
{
    (void)state;
    sayso_page p;
    extract("embeds.html", NULL, NULL, &p);
    const char *t = p.text;
    assert_int_equal(p.embeds, 3);
    assert_true(contains(t, "\n\nOdessa Vantreight (@odessavsings) posted on Instagram:\n\n"
                            "\xE2\x80\x9CMeet Arlo and Wren. Two very small reasons we have not slept since Tuesday."
                            "\xE2\x80\x9D\n\n"));
    assert_true(contains(t, "\n\n@wrenfieldband posted on TikTok:\n\n"
                            "\xE2\x80\x9CPractising the lullaby set for the new fans\xE2\x80\x9D"));
    assert_true(contains(t, "\n\nOdessa Vantreight (@odessavantreight) posted on Facebook:\n\n"
                            "\xE2\x80\x9CThank you for every kind word."));
    /* the embeds' own furniture is not text */
    assert_false(contains(t, "View this post"));
    assert_false(contains(t, "original sound"));
    assert_false(contains(t, "A post shared by"));
    assert_false(contains(t, "Posted by"));
    /* the article around them is whole */
    assert_true(contains(t, "Folk singer Odessa Vantreight has introduced her twin boys"));
    assert_true(contains(t, "according to a short statement shared with the magazine."));
    assert_string_equal(p.title, "Singer shares first photo of twins");
    assert_string_equal(p.site, "Daily Tuneful");
    assert_string_equal(p.date, "2023-11-02");
    sayso_page_clear(&p);

    /* quotation marks inside a post are nested as single ones; a post
     * whose poster cannot be read stays a plain paragraph */
    const char page[] =
        "<html><body><div class=\"article-body\"><p>The mayor answered a critic of the new tram line on Sunday, "
        "in a post that was shared thousands of times before the evening.</p>"
        "<blockquote class=\"twitter-tweet\"><p>Call it \"the slow tram\" if you like. It still beats the "
        "\xE2\x80\x9C" "fast bus\xE2\x80\x9D.</p>&mdash; Mayor Ilse Brandvold (@MayorIlse) "
        "<a href=\"https://twitter.com/MayorIlse/status/1\">May 5, 2024</a></blockquote>"
        "<blockquote class=\"twitter-tweet\"><p>No poster here, just words about trams.</p></blockquote>"
        "<p>The line opens in June, with six stops between the station and the harbour, the council said.</p>"
        "</div></body></html>";
    char err[256];
    assert_int_equal(sayso_html_extract(page, sizeof page - 1, NULL, NULL, &p, err, sizeof err), 0);
    assert_true(contains(p.text, "Mayor Ilse Brandvold (@MayorIlse) posted on Twitter:\n\n"
                                 "\xE2\x80\x9C" "Call it \xE2\x80\x98the slow tram\xE2\x80\x99 if you like. "
                                 "It still beats the \xE2\x80\x98" "fast bus\xE2\x80\x99." "\xE2\x80\x9D"));
    assert_true(contains(p.text, "\n\nNo poster here, just words about trams.\n\n"));
    assert_int_equal(p.embeds, 2);
    sayso_page_clear(&p);
}

/* ---- Character sets ----------------------------------------------------- */

static void test_windows_1252(void **state)
{
    (void)state;
    sayso_page p;
    extract("cp1252.html", NULL, NULL, &p);
    expect_valid_utf8(p.text, p.len);
    assert_true(contains(p.text, "Caf\xC3\xA9 Brindlemoor, a na\xC3\xAFve little place"));
    assert_true(contains(p.text, "two years \xE2\x80\x94 and that"));
    assert_true(contains(p.text, "\xE2\x80\x9CWe pay on time, every time,\xE2\x80\x9D said co-owner Ad\xC3\xA8le"));
    assert_true(contains(p.text, "landlord\xE2\x80\x99s agent"));
    assert_true(contains(p.text, "in the autumn\xE2\x80\xA6"));
    assert_string_equal(p.title, "Caf\xC3\xA9 owners call for a fair rent review");
    /* the <h1> repeats the title: not in the text */
    assert_false(contains(p.text, "call for a fair rent review"));
    sayso_page_clear(&p);

    /* the HTTP header's charset wins over the page's own; ISO-8859-1 is
     * read as windows-1252, as browsers do */
    extract("cp1252.html", "text/html; charset=ISO-8859-1", NULL, &p);
    assert_true(contains(p.text, "\xE2\x80\x9CWe pay on time"));
    sayso_page_clear(&p);
}

static void test_charset_sources(void **state)
{
    (void)state;
    char err[256];
    sayso_page p;
    /* a byte-order mark, and undeclared windows-1252 */
    const char bom[] = "\xEF\xBB\xBF<html><body><p>Na\xC3\xAFve text, with an accent and more words to it.</p></body></html>";
    assert_int_equal(sayso_html_extract(bom, sizeof bom - 1, NULL, NULL, &p, err, sizeof err), 0);
    assert_true(contains(p.text, "Na\xC3\xAFve text"));
    sayso_page_clear(&p);
    const char latin[] = "<html><body><p>\x93Quoted,\x94 na\xEFve and caf\xE9, all in windows-1252.</p></body></html>";
    assert_int_equal(sayso_html_extract(latin, sizeof latin - 1, NULL, NULL, &p, err, sizeof err), 0);
    assert_true(contains(p.text, "\xE2\x80\x9CQuoted,\xE2\x80\x9D na\xC3\xAFve and caf\xC3\xA9"));
    sayso_page_clear(&p);
    /* UTF-16 with its byte-order mark; a <meta> claiming UTF-16 on a page
     * readable as ASCII is wrong, and ignored */
    const char u16[] = "\xFF\xFE<\0p\0>\0H\0\xE9\0!\0<\0/\0p\0>\0";
    assert_int_equal(sayso_html_extract(u16, sizeof u16 - 1, NULL, NULL, &p, err, sizeof err), 0);
    assert_string_equal(p.text, "H\xC3\xA9!");
    sayso_page_clear(&p);
    const char fake16[] = "<html><head><meta charset=\"utf-16\"></head><body><p>Caf\xC3\xA9</p></body></html>";
    assert_int_equal(sayso_html_extract(fake16, sizeof fake16 - 1, NULL, NULL, &p, err, sizeof err), 0);
    assert_string_equal(p.text, "Caf\xC3\xA9");
    assert_int_equal(err[0], 0);
    sayso_page_clear(&p);
    /* <meta charset> of another family, through iconv */
    const char koi[] = "<html><head><meta charset=\"koi8-r\"></head><body><p>\xF0\xD2\xC9\xD7\xC5\xD4 world</p></body></html>";
    assert_int_equal(sayso_html_extract(koi, sizeof koi - 1, NULL, NULL, &p, err, sizeof err), 0);
    assert_true(contains(p.text, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 world"));
    sayso_page_clear(&p);
    /* an unknown charset: read as UTF-8, with a warning */
    const char odd[] = "<html><head><meta charset=\"x-no-such-charset\"></head><body><p>Plain words \xFF here.</p></body></html>";
    assert_int_equal(sayso_html_extract(odd, sizeof odd - 1, NULL, NULL, &p, err, sizeof err), 0);
    assert_true(contains(err, "x-no-such-charset"));
    assert_true(contains(p.text, "Plain words"));
    expect_valid_utf8(p.text, p.len);
    sayso_page_clear(&p);
}

/* ---- Metadata ----------------------------------------------------------- */

static void test_no_metadata(void **state)
{
    (void)state;
    sayso_page p;
    extract("nometa.html", NULL, NULL, &p);
    assert_string_equal(p.title, "Allotment society plants its hundredth tree"); /* from the <h1> */
    assert_null(p.date);
    assert_null(p.authors);
    assert_null(p.site);
    assert_null(p.lang);
    assert_null(p.url);
    assert_true(contains(p.text, "The Wexley Allotment Society planted"));
    assert_true(contains(p.text, "take home a cutting of their own."));
    assert_false(contains(p.text, "Contact"));
    assert_false(contains(p.text, "volunteers"));
    sayso_page_clear(&p);

    /* the url gives the date, and is the page's url */
    extract("nometa.html", NULL, "https://wexley.example/news/2021/05/09/orchard", &p);
    assert_string_equal(p.date, "2021-05-09");
    assert_string_equal(p.url, "https://wexley.example/news/2021/05/09/orchard");
    sayso_page_clear(&p);
}

static void test_metadata_sources(void **state)
{
    (void)state;
    char err[256];
    sayso_page p;
    const char page[] =
        "<html><head><title>Night market returns - Riverside Post</title>"
        "<meta name=\"DC.creator\" content=\"By Lena Harcourt\">"
        "<meta property=\"og:site_name\" content=\"Riverside Post\">"
        "<link rel=\"canonical\" href=\"../markets/night-market\"></head>"
        "<body><time datetime=\"2022-08-19T21:00\">Friday</time>"
        "<p>The night market returns to the river steps this Friday, with forty stalls and a brass band.</p>"
        "</body></html>";
    assert_int_equal(sayso_html_extract(page, sizeof page - 1, NULL, "https://post.example/city/today/x.html", &p,
                                        err, sizeof err), 0);
    assert_string_equal(p.title, "Night market returns"); /* the site's name trimmed */
    assert_string_equal(p.authors, "Lena Harcourt");
    assert_string_equal(p.date, "2022-08-19");
    assert_string_equal(p.url, "https://post.example/city/markets/night-market");
    sayso_page_clear(&p);
}

/* ---- Bad input ---------------------------------------------------------- */

static void test_deep_nesting(void **state)
{
    (void)state;
    const int depth = 100000;
    size_t cap = (size_t)depth * 14 + 256, n = 0; /* "<span>" and "</span>" */
    char *html = malloc(cap);
    assert_non_null(html);
    n += (size_t)sprintf(html + n, "<html><body>");
    for (int i = 0; i < depth; i++) n += (size_t)sprintf(html + n, i % 2 ? "<div>" : "<span>");
    n += (size_t)sprintf(html + n, "Words at the very bottom, still found.");
    for (int i = depth - 1; i >= 0; i--) n += (size_t)sprintf(html + n, i % 2 ? "</div>" : "</span>");
    n += (size_t)sprintf(html + n, "</body></html>");
    char err[256];
    sayso_page p;
    assert_int_equal(sayso_html_extract(html, n, NULL, NULL, &p, err, sizeof err), 0);
    assert_true(contains(p.text, "Words at the very bottom, still found."));
    sayso_page_clear(&p);
    free(html);
}

static void test_binary_bytes(void **state)
{
    (void)state;
    uint32_t x = 12345;
    for (int round = 0; round < 20; round++) {
        size_t n = 1000 + (size_t)round * 5000;
        char *buf = malloc(n + 64);
        assert_non_null(buf);
        size_t k = (size_t)sprintf(buf, round % 2 ? "<html><body><p>" : "");
        for (; k < n; k++) {
            x = x * 1103515245u + 12345u;
            buf[k] = (char)(x >> 16);
        }
        char err[256];
        sayso_page p;
        int rc = sayso_html_extract(buf, n, round % 3 ? NULL : "text/html; charset=utf-8", NULL, &p, err, sizeof err);
        if (rc == 0) {
            expect_valid_utf8(p.text, p.len);
            if (p.title) expect_valid_utf8(p.title, strlen(p.title));
            sayso_page_clear(&p);
        } else {
            assert_true(err[0] != 0);
        }
        free(buf);
    }
}

static void test_empty_page(void **state)
{
    (void)state;
    char err[256];
    sayso_page p;
    assert_int_equal(sayso_html_extract("", 0, NULL, NULL, &p, err, sizeof err), -1);
    assert_true(err[0] != 0);
    assert_null(p.text);
    /* a page with no article: success, empty text */
    const char bare[] = "<html><head><title>Nothing here</title></head><body></body></html>";
    assert_int_equal(sayso_html_extract(bare, sizeof bare - 1, NULL, NULL, &p, err, sizeof err), 0);
    assert_int_equal(p.len, 0);
    assert_string_equal(p.title, "Nothing here");
    sayso_page_clear(&p);
}

/* ---- The reader and `sayso read` ---------------------------------------- */

static char scratch[4096];

static void write_gz(const char *path, const char *data, size_t len)
{
    gzFile g = gzopen(path, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(g), Z_OK);
}

static void test_reader_html_files(void **state)
{
    (void)state;
    char dir[4200], sub[4300], path[4400];
    snprintf(dir, sizeof dir, "%s/pages", scratch);
    snprintf(sub, sizeof sub, "%s/orchard-story", dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(mkdir(sub, 0777), 0);
    size_t len;
    char *news = fixture("news.html", &len);
    snprintf(path, sizeof path, "%s/a-ferry.htm.gz", dir);
    write_gz(path, news, len);
    free(news);
    char *nometa = fixture("nometa.html", &len);
    snprintf(path, sizeof path, "%s/index.html", sub); /* named by its folder */
    assert_int_equal(tu_write_file(path, nometa, len), 0);
    free(nometa);
    snprintf(path, sizeof path, "%s/notes.md", dir); /* not an input */
    assert_int_equal(tu_write_file(path, "# notes\n", 8), 0);

    const char *paths[] = {dir};
    sayso_reader *r = sayso_reader_new(paths, 1, stderr);
    assert_non_null(r);
    sayso_article art;
    assert_int_equal(sayso_reader_next(r, &art), 1);
    assert_string_equal(art.id, "a-ferry");
    assert_string_equal(art.date, "2024-03-07");
    assert_string_equal(art.title, "Ferry service to resume after storm repairs");
    assert_string_equal(art.authors, "Mirela Oduya; Tobias Renwick");
    assert_string_equal(art.site, "The Harbor Ledger");
    assert_string_equal(art.lang, "en-GB");
    assert_non_null(art.url);
    assert_int_equal(art.body, 0);
    assert_true(strncmp(art.text, "The ferry between", 17) == 0);
    assert_int_equal(sayso_reader_next(r, &art), 1);
    assert_string_equal(art.id, "orchard-story");
    assert_null(art.date);
    assert_int_equal(sayso_reader_next(r, &art), 0);
    assert_int_equal(sayso_reader_skipped(r), 0);
    sayso_reader_free(r);
}

static cJSON *parse_line(const char *line)
{
    cJSON *j = cJSON_Parse(line);
    assert_non_null(j);
    return j;
}

static const char *field(const cJSON *j, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, k);
    assert_non_null(v);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void test_read_command(void **state)
{
    (void)state;
    const char *bin = tu_env("SAYSO_BIN", "sayso");
    const char *fx = tu_env("SAYSO_FIXTURES", "tests/fixtures");
    char cmd[16384];
    int status;

    /* JSON lines, every field */
    snprintf(cmd, sizeof cmd, "'%s' read '%s/html/news.html' '%s/html/nometa.html'", bin, fx, fx);
    char *out = tu_run(cmd, &status);
    assert_int_equal(status, 0);
    char *nl = strchr(out, '\n');
    assert_non_null(nl);
    *nl = 0;
    cJSON *j = parse_line(out);
    assert_string_equal(field(j, "id"), "news");
    assert_string_equal(field(j, "url"), "https://harborledger.example/local/2024/03/07/ferry-service-resumes");
    assert_string_equal(field(j, "title"), "Ferry service to resume after storm repairs");
    assert_string_equal(field(j, "date"), "2024-03-07");
    assert_string_equal(field(j, "authors"), "Mirela Oduya; Tobias Renwick");
    assert_string_equal(field(j, "site"), "The Harbor Ledger");
    assert_string_equal(field(j, "lang"), "en-GB");
    assert_true(contains(field(j, "text"), "posted on Twitter:"));
    cJSON_Delete(j);
    j = parse_line(nl + 1);
    assert_string_equal(field(j, "id"), "nometa");
    assert_null(field(j, "date"));
    assert_null(field(j, "authors"));
    cJSON_Delete(j);
    free(out);

    /* the output reads back as JSONL, unchanged */
    char jsonl[4400];
    snprintf(jsonl, sizeof jsonl, "%s/round.jsonl", scratch);
    snprintf(cmd, sizeof cmd, "'%s' read '%s/html/news.html' > '%s' && '%s' read '%s'", bin, fx, jsonl, bin, jsonl);
    out = tu_run(cmd, &status);
    assert_int_equal(status, 0);
    size_t len;
    char *first = tu_read_file(jsonl, &len);
    assert_non_null(first);
    assert_string_equal(out, first);
    free(first);
    free(out);

    /* stdin is sniffed: a page, not a text article */
    snprintf(cmd, sizeof cmd, "'%s' read --format text < '%s/html/cp1252.html'", bin, fx);
    out = tu_run(cmd, &status);
    assert_int_equal(status, 0);
    assert_true(strncmp(out, "# stdin (no date)\ntitle: Caf\xC3\xA9 owners call for a fair rent review\n", 57) == 0);
    assert_true(contains(out, "\n\nThe owners of the Caf\xC3\xA9 Brindlemoor"));
    assert_false(contains(out, "<p>"));
    free(out);

    /* a page that cannot be read is named, and the rest goes on */
    char empty[4400];
    snprintf(empty, sizeof empty, "%s/empty.html", scratch);
    assert_int_equal(tu_write_file(empty, "", 0), 0);
    snprintf(cmd, sizeof cmd, "'%s' read '%s' '%s/html/nometa.html' 2>&1", bin, empty, fx);
    out = tu_run(cmd, &status);
    assert_int_equal(status, 1);
    assert_true(contains(out, "empty.html"));
    assert_true(contains(out, "\"id\": \"nometa\""));
    free(out);

    snprintf(cmd, sizeof cmd, "'%s' read --format yaml x 2>&1", bin);
    out = tu_run(cmd, &status);
    assert_int_equal(status, 2);
    free(out);
}

int main(void)
{
    tu_scratch_dir(scratch, sizeof scratch, "html");
    tu_remove_tree(scratch);
    if (mkdir(scratch, 0777) != 0) {
        fprintf(stderr, "cannot create %s\n", scratch);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_news_page),
        cmocka_unit_test(test_news_metadata),
        cmocka_unit_test(test_embeds),
        cmocka_unit_test(test_windows_1252),
        cmocka_unit_test(test_charset_sources),
        cmocka_unit_test(test_no_metadata),
        cmocka_unit_test(test_metadata_sources),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_binary_bytes),
        cmocka_unit_test(test_empty_page),
        cmocka_unit_test(test_reader_html_files),
        cmocka_unit_test(test_read_command),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (rc == 0) tu_remove_tree(scratch);
    return rc;
}
