/*
 * test_output.c — the JSON lines and text output of `sayso extract`, on
 * hand-made quotations (independent of what the extractor finds): escaping,
 * nulls, code point offsets, byte slicing of cue and source, the text form
 * (direct quotes in quotation marks, reported speech as written) and the
 * speakers form.
 */
#include "testutil.h"

#include <cJSON.h>

#include "output.h"

/* Output captured in memory. */
typedef struct {
    FILE *f;
    char *buf;
    size_t len;
} capture;

static void cap_open(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
}

static const char *cap_text(capture *c)
{
    fflush(c->f);
    return c->buf;
}

static void cap_close(capture *c)
{
    fclose(c->f);
    free(c->buf);
}

static void expect_json_string(const char *in, size_t len, const char *want)
{
    capture c;
    cap_open(&c);
    sayso_json_string(c.f, in, len);
    assert_string_equal(cap_text(&c), want);
    cap_close(&c);
}

/* Byte offset of the n-th code point of s. */
static size_t byte_of(const char *s, size_t cp)
{
    size_t b = 0;
    for (size_t k = 0; s[b]; b++) {
        if (((unsigned char)s[b] & 0xC0) == 0x80) continue;
        if (k++ == cp) return b;
    }
    return b;
}

static sayso_span span(const char *text, size_t start, size_t end)
{
    sayso_span s = {start, end, byte_of(text, start), byte_of(text, end)};
    return s;
}

/* The fixture: an article with non-ASCII text before the quote, so code
 * point and byte offsets differ. In code points: source "Zoë Ångström"
 * [0, 12), cue "said" [13, 17), the quotation with its marks [19, 44). */
static const char article_text[] =
    "Zo\xC3\xAB \xC3\x85ngstr\xC3\xB6m said: \xE2\x80\x9CThe vote is \"historic\".\xE2\x80\x9D";

static sayso_quote fixture_quote(void)
{
    sayso_quote q;
    memset(&q, 0, sizeof q);
    q.content[0] = span(article_text, 19, 44);
    q.n_content = 1;
    q.cue = span(article_text, 13, 17);
    q.has_cue = 1;
    q.source = span(article_text, 0, 12);
    q.has_source = 1;
    q.speaker = "Zoë Ångström";
    q.text = "The vote is \"historic\".";
    q.type = SAYSO_DIRECT;
    q.confidence = 0.866;
    return q;
}

static sayso_article fixture_article(void)
{
    sayso_article a;
    memset(&a, 0, sizeof a);
    a.id = "doc-1";
    a.date = "2020-10-16";
    a.text = article_text;
    a.len = sizeof article_text - 1;
    return a;
}

/* ---- JSON --------------------------------------------------------------- */

static void test_json_string_escaping(void **state)
{
    (void)state;
    expect_json_string("plain", 5, "\"plain\"");
    expect_json_string("", 0, "\"\"");
    expect_json_string("say \"hi\"", 8, "\"say \\\"hi\\\"\"");
    expect_json_string("a\\b", 3, "\"a\\\\b\"");
    expect_json_string("l1\nl2\r\tx\b\f", 10, "\"l1\\nl2\\r\\tx\\b\\f\"");
    expect_json_string("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"");
    expect_json_string("a\0b", 3, "\"a\\u0000b\"");
    expect_json_string("caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D \xF0\x9F\x98\x80", 18,
                       "\"caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D \xF0\x9F\x98\x80\"");
    expect_json_string("/slash/", 7, "\"/slash/\"");
}

static void test_json_long_string(void **state)
{
    (void)state;
    /* longer than the writer's buffer, with escapes spread through it */
    size_t n = 200000;
    char *in = malloc(n);
    for (size_t i = 0; i < n; i++) in[i] = i % 1000 == 0 ? '"' : (char)('a' + i % 26);
    capture c;
    cap_open(&c);
    sayso_json_string(c.f, in, n);
    const char *out = cap_text(&c);
    assert_int_equal(c.len, n + 200 + 2);
    cJSON *j = cJSON_Parse(out);
    assert_true(cJSON_IsString(j));
    assert_int_equal(strlen(j->valuestring), n);
    assert_memory_equal(j->valuestring, in, n);
    cJSON_Delete(j);
    cap_close(&c);
    free(in);
}

/* Every special byte at every offset around the 8-byte scan, among
 * neighbours that must pass through (DEL, UTF-8 bytes, '!' and '#'). */
static void test_json_escape_offsets(void **state)
{
    (void)state;
    static const char specials[] = {'"', '\\', '\n', '\r', '\t', 0x01, 0x1f, 0x00};
    static const char fillers[] = {'a', 0x7f, '!', '#', '[', ']'};
    for (size_t f = 0; f < sizeof fillers; f++)
        for (size_t k = 0; k < sizeof specials; k++)
            for (size_t pos = 0; pos < 20; pos++) {
                char in[24];
                memset(in, fillers[f], sizeof in);
                in[pos] = specials[k];
                capture c;
                cap_open(&c);
                sayso_json_string(c.f, in, sizeof in);
                cJSON *j = cJSON_Parse(cap_text(&c));
                assert_true(cJSON_IsString(j));
                if (specials[k]) {
                    assert_int_equal(strlen(j->valuestring), sizeof in);
                    assert_memory_equal(j->valuestring, in, sizeof in);
                } else { /* cJSON stops its C string at the decoded NUL */
                    assert_non_null(strstr(cap_text(&c), "\\u0000"));
                }
                for (const char *o = cap_text(&c); *o; o++) assert_true((unsigned char)*o >= 0x20);
                cJSON_Delete(j);
                cap_close(&c);
            }
    /* UTF-8 bytes >= 0x80 are never escaped */
    const char utf[] = "\xC2\xA0\xE2\x80\x9C\xE2\x80\x9D\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBD";
    capture c;
    cap_open(&c);
    sayso_json_string(c.f, utf, strlen(utf));
    assert_int_equal(strlen(cap_text(&c)), strlen(utf) + 2);
    cap_close(&c);
}

static void test_json_full_line(void **state)
{
    (void)state;
    sayso_article a = fixture_article();
    sayso_quote q = fixture_quote();
    static const char *const desc[] = {"41-year-old", "singer \"of note\""};
    q.descriptors = desc;
    q.n_descriptors = 2;
    q.speaker_age = 41;
    q.channel = "interview";
    q.addressee = "CNN";
    q.said_on = "2020-10-15";
    q.said_on_text = "on Thursday";
    capture c;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_JSON, &a, &q, 1);
    assert_string_equal(cap_text(&c),
                        "{\"doc\": \"doc-1\", \"date\": \"2020-10-16\", "
                        "\"quote\": \"The vote is \\\"historic\\\".\", "
                        "\"content\": [[19, 44]], "
                        "\"cue\": [[13, 17]], \"cue_text\": \"said\", "
                        "\"source\": [[0, 12]], \"source_text\": \"Zo\xC3\xAB \xC3\x85ngstr\xC3\xB6m\", "
                        "\"speaker\": \"Zo\xC3\xAB \xC3\x85ngstr\xC3\xB6m\", "
                        "\"type\": \"direct\", \"confidence\": 0.87, "
                        "\"speaker_descriptors\": [\"41-year-old\", \"singer \\\"of note\\\"\"], "
                        "\"speaker_age\": 41, \"channel\": \"interview\", \"addressee\": \"CNN\", "
                        "\"said_on\": \"2020-10-15\", \"said_on_text\": \"on Thursday\"}\n");
    cap_close(&c);
}

static void test_json_nulls(void **state)
{
    (void)state;
    sayso_article a;
    memset(&a, 0, sizeof a);
    a.text = "He said it would \"never\" happen.";
    a.len = strlen(a.text);
    sayso_quote q;
    memset(&q, 0, sizeof q);
    q.content[0] = span(a.text, 0, 32);
    q.n_content = 1;
    q.text = "He said it would \"never\" happen.";
    q.type = SAYSO_INDIRECT;
    q.confidence = 0;
    capture c;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_JSON, &a, &q, 1);
    assert_string_equal(cap_text(&c),
                        "{\"doc\": null, \"date\": null, "
                        "\"quote\": \"He said it would \\\"never\\\" happen.\", "
                        "\"content\": [[0, 32]], \"cue\": null, \"cue_text\": null, "
                        "\"source\": null, \"source_text\": null, \"speaker\": null, "
                        "\"type\": \"indirect\", \"confidence\": 0.00, "
                        "\"speaker_descriptors\": null, \"speaker_age\": null, \"channel\": null, "
                        "\"addressee\": null, \"said_on\": null, \"said_on_text\": null}\n");
    cap_close(&c);
}

/* Several quotes and fragments; every line parses and its fields agree. */
static void test_json_parses_back(void **state)
{
    (void)state;
    sayso_article a = fixture_article();
    sayso_quote q[3];
    q[0] = fixture_quote();
    q[1] = fixture_quote();
    q[1].content[1] = span(article_text, 45, 47);
    q[1].content[2] = span(article_text, 47, 48);
    q[1].n_content = 3;
    q[1].type = SAYSO_MIXED;
    q[1].confidence = 1.0;
    q[1].speaker = NULL;
    q[2] = fixture_quote();
    q[2].has_cue = 0;
    q[2].confidence = 0.125;
    q[2].text = "tab\there\nnewline \x01 ctl";

    capture c;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_JSON, &a, q, 3);
    char *out = strdup(cap_text(&c));
    cap_close(&c);

    const char *want_type[] = {"direct", "mixed", "direct"};
    const double want_conf[] = {0.87, 1.0, 0.13};
    const int want_frags[] = {1, 3, 1};
    size_t lines = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        assert_true(lines < 3);
        cJSON *j = cJSON_Parse(line);
        assert_non_null(j);
        assert_string_equal(cJSON_GetObjectItem(j, "doc")->valuestring, "doc-1");
        assert_string_equal(cJSON_GetObjectItem(j, "type")->valuestring, want_type[lines]);
        double conf = cJSON_GetObjectItem(j, "confidence")->valuedouble;
        assert_true(conf > want_conf[lines] - 1e-9 && conf < want_conf[lines] + 1e-9);
        cJSON *content = cJSON_GetObjectItem(j, "content");
        assert_int_equal(cJSON_GetArraySize(content), want_frags[lines]);
        cJSON *first = cJSON_GetArrayItem(content, 0);
        assert_int_equal(cJSON_GetArrayItem(first, 0)->valueint, 19);
        assert_int_equal(cJSON_GetArrayItem(first, 1)->valueint, 44);
        assert_string_equal(cJSON_GetObjectItem(j, "quote")->valuestring, q[lines].text);
        if (lines == 1) assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "speaker")));
        if (lines == 2) {
            assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "cue")));
            assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "cue_text")));
        }
        cJSON_Delete(j);
    }
    assert_int_equal(lines, 3);
    free(out);
}

static void test_bad_spans_clamped(void **state)
{
    (void)state;
    sayso_article a = fixture_article();
    sayso_quote q = fixture_quote();
    q.cue.byte_start = 5;
    q.cue.byte_end = 100000; /* past the end: sliced to the end of the text */
    q.source.byte_start = 10;
    q.source.byte_end = 3; /* reversed: empty */
    capture c;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_JSON, &a, &q, 1);
    cJSON *j = cJSON_Parse(cap_text(&c));
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "cue_text")->valuestring, article_text + 5);
    assert_string_equal(cJSON_GetObjectItem(j, "source_text")->valuestring, "");
    cJSON_Delete(j);
    cap_close(&c);
}

static void test_no_quotes_no_output(void **state)
{
    (void)state;
    sayso_article a = fixture_article();
    capture c;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_JSON, &a, NULL, 0);
    sayso_write_quotes(c.f, SAYSO_FORMAT_TEXT, &a, NULL, 0);
    assert_int_equal(strlen(cap_text(&c)), 0);
    cap_close(&c);
}

/* ---- text --------------------------------------------------------------- */

/* Per article, one block per speaker by number of quotes; descriptors
 * from the speaker's first quote, channels gathered from all of them,
 * quotes without a speaker counted last. */
static void test_speakers_format(void **state)
{
    (void)state;
    sayso_article a = fixture_article();
    sayso_quote q[5];
    static const char *const desc[] = {"singer", "41-year-old"};
    static const char *const anon[] = {"spokeswoman"};
    for (int i = 0; i < 5; i++) {
        q[i] = fixture_quote();
        q[i].speaker_age = -1;
    }
    q[0].speaker = "Mara Quill";
    q[0].speaker_id = 3;
    q[1].speaker = "John Legend";
    q[1].speaker_id = 1;
    q[1].descriptors = desc;
    q[1].n_descriptors = 2;
    q[1].speaker_age = 41;
    q[1].channel = "instagram";
    q[2].speaker = "John Legend";
    q[2].speaker_id = 1;
    q[2].channel = "tv";
    q[3].speaker = NULL;
    q[3].speaker_id = -1;
    q[4].speaker = NULL; /* described, never named */
    q[4].speaker_id = 7;
    q[4].descriptors = anon;
    q[4].n_descriptors = 1;
    capture c;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_SPEAKERS, &a, q, 5);
    assert_string_equal(cap_text(&c), "# doc-1 (2020-10-16)\n"
                                      "John Legend \xE2\x80\x94 2 quotes, age 41\n"
                                      "  descriptors: singer, 41-year-old\n"
                                      "  channels: instagram, tv\n"
                                      "Mara Quill \xE2\x80\x94 1 quote\n"
                                      "(unnamed spokeswoman) \xE2\x80\x94 1 quote\n"
                                      "  descriptors: spokeswoman\n"
                                      "(unknown) \xE2\x80\x94 1 quote\n");
    cap_close(&c);
    /* How many are reported speech, when any are: one kind, then both. */
    q[2].type = SAYSO_MIXED;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_SPEAKERS, &a, q, 5);
    assert_non_null(strstr(cap_text(&c), "John Legend \xE2\x80\x94 2 quotes (1 partly quoted), age 41\n"));
    assert_non_null(strstr(cap_text(&c), "Mara Quill \xE2\x80\x94 1 quote\n"));
    cap_close(&c);
    q[1].type = SAYSO_INDIRECT;
    q[0].type = SAYSO_INDIRECT;
    q[3].type = SAYSO_INDIRECT; /* no speaker: counted, not broken down */
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_SPEAKERS, &a, q, 5);
    assert_non_null(strstr(cap_text(&c),
                           "John Legend \xE2\x80\x94 2 quotes (1 partly quoted, 1 reported speech), age 41\n"));
    assert_non_null(strstr(cap_text(&c), "Mara Quill \xE2\x80\x94 1 quote (1 reported speech)\n"));
    assert_non_null(strstr(cap_text(&c), "(unknown) \xE2\x80\x94 1 quote\n"));
    cap_close(&c);
    for (int i = 0; i < 5; i++) q[i].type = SAYSO_DIRECT;

    /* Plural, and the line ends even when it is the article's last. */
    q[0].speaker_id = q[1].speaker_id = -1;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_SPEAKERS, &a, q, 2);
    assert_string_equal(cap_text(&c), "# doc-1 (2020-10-16)\n"
                                      "(unknown) \xE2\x80\x94 2 quotes\n");
    cap_close(&c);
}

/* An article quoting more people than the speakers table holds (256)
 * lists them all the same, the rest counted on one line. */
static void test_speakers_format_many(void **state)
{
    (void)state;
    sayso_article a = fixture_article();
    enum { N = 300 };
    static sayso_quote q[N];
    for (int i = 0; i < N; i++) {
        q[i] = fixture_quote();
        q[i].speaker_id = i;
        q[i].speaker_age = -1;
    }
    capture c;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_SPEAKERS, &a, q, N);
    const char *out = cap_text(&c);
    size_t lines = 0;
    for (const char *p = out; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 1 + 256 + 1); /* header, 256 speakers, the rest */
    assert_non_null(strstr(out, "(other speakers) \xE2\x80\x94 44 quotes\n"));
    assert_null(strstr(out, "(unknown)"));
    cap_close(&c);
}

static void test_text_format(void **state)
{
    (void)state;
    sayso_article a = fixture_article();
    sayso_quote q[3];
    q[0] = fixture_quote();
    q[1] = fixture_quote(); /* no speaker: the source text stands in */
    q[1].speaker = NULL;
    q[1].text = "Line one\nline two,\r\n  spaced   out ";
    q[2] = fixture_quote(); /* nothing known about the speaker, no cue */
    q[2].speaker = NULL;
    q[2].has_source = 0;
    q[2].has_cue = 0;
    capture c;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_TEXT, &a, q, 3);
    assert_string_equal(cap_text(&c),
                        "# doc-1 (2020-10-16)\n"
                        "Zoë Ångström — “The vote is \"historic\".” (said)\n"
                        "Zoë Ångström — “Line one line two, spaced out” (said)\n"
                        "(unknown) — “The vote is \"historic\".” (no cue)\n");
    cap_close(&c);

    a.date = NULL;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_TEXT, &a, q, 1);
    assert_string_equal(cap_text(&c), "# doc-1\nZoë Ångström — “The vote is \"historic\".” (said)\n");
    cap_close(&c);
}

/* Reported speech is written as the article wrote it: no marks of ours
 * around it (the article's own inside a mixed quote stay), its kind named
 * first in the parenthesis; a direct quote beside it is unchanged. */
static void test_text_reported_speech(void **state)
{
    (void)state;
    static const char text[] =
        "Wardens said the dunes would stay shut until the terns had nested. "
        "Ada Brisk said the trust would \xE2\x80\x9Cguard every last egg\xE2\x80\x9D this year. "
        "\xE2\x80\x9CWe count them twice a day,\xE2\x80\x9D Brisk told the Gazette.";
    sayso_article a;
    memset(&a, 0, sizeof a);
    a.id = "dunes";
    a.date = "2024-05-02";
    a.text = text;
    a.len = sizeof text - 1;
    sayso_quote q[3];
    memset(q, 0, sizeof q);
    q[0].type = SAYSO_INDIRECT;
    q[0].text = "the dunes would stay shut until the terns had nested";
    q[0].source = span(text, 0, 7);
    q[0].has_source = 1;
    q[0].cue = span(text, 8, 12);
    q[0].has_cue = 1;
    q[0].speaker_id = -1;
    q[1].type = SAYSO_MIXED;
    q[1].text = "the trust would \xE2\x80\x9Cguard every last egg\xE2\x80\x9D this year";
    q[1].speaker = "Ada Brisk";
    q[1].cue = span(text, 77, 81);
    q[1].has_cue = 1;
    q[1].channel = "interview";
    q[1].said_on = "2024-05-01";
    q[2].type = SAYSO_DIRECT;
    q[2].text = "We count them twice a day,";
    q[2].speaker = "Ada Brisk";
    q[2].addressee = "the Gazette";
    capture c;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_TEXT, &a, q, 3);
    assert_string_equal(cap_text(&c),
                        "# dunes (2024-05-02)\n"
                        "Wardens \xE2\x80\x94 the dunes would stay shut until the terns had nested "
                        "(reported speech; said)\n"
                        "Ada Brisk \xE2\x80\x94 the trust would \xE2\x80\x9Cguard every last egg\xE2\x80\x9D this year "
                        "(partly quoted; said; interview; 2024-05-01)\n"
                        "Ada Brisk \xE2\x80\x94 \xE2\x80\x9CWe count them twice a day,\xE2\x80\x9D "
                        "(no cue; to the Gazette)\n");
    cap_close(&c);

    /* A long report is cut like a long quote, with no closing mark after
     * the "…": there was no opening one. */
    char longq[60 * 7];
    size_t n = 0;
    for (int i = 0; i < 60; i++) n += (size_t)sprintf(longq + n, "%sterns", i ? " " : "");
    q[0].text = longq;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_TEXT, &a, q, 1);
    const char *line = strchr(cap_text(&c), '\n') + 1;
    assert_true(strncmp(line, "Wardens \xE2\x80\x94 terns terns ", 18) == 0);
    assert_non_null(strstr(line, " terns\xE2\x80\xA6 (reported speech; said)\n"));
    assert_null(strstr(line, "\xE2\x80\x9C"));
    assert_null(strstr(line, "\xE2\x80\x9D"));
    cap_close(&c);
}

static void test_text_long_quote_cut(void **state)
{
    (void)state;
    sayso_article a = fixture_article();
    sayso_quote q = fixture_quote();
    /* 60 words "wörd" (4 code points, 5 bytes) and 59 spaces: 299 code points */
    char longq[60 * 7];
    size_t n = 0;
    for (int i = 0; i < 60; i++) n += (size_t)sprintf(longq + n, "%sw\xC3\xB6rd", i ? " " : "");
    q.text = longq;
    capture c;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_TEXT, &a, &q, 1);
    const char *out = strchr(cap_text(&c), '\n') + 1;
    const char *open = strstr(out, "“") + 3, *close = strstr(open, "…”");
    assert_non_null(close);
    /* cut at a word boundary, at most 200 code points */
    size_t cps = 0;
    for (const char *p = open; p < close; p++) cps += ((unsigned char)*p & 0xC0) != 0x80;
    assert_true(cps <= 200 && cps >= 150);
    assert_memory_equal(close - 5, "w\xC3\xB6rd", 5);
    cap_close(&c);

    /* a 200-code-point quote is not cut */
    char exact[201];
    memset(exact, 'x', 200);
    exact[200] = 0;
    q.text = exact;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_TEXT, &a, &q, 1);
    assert_null(strstr(cap_text(&c), "…"));
    cap_close(&c);

    /* one endless word is cut inside it rather than dropped */
    char word[400];
    memset(word, 'y', 399);
    word[399] = 0;
    q.text = word;
    cap_open(&c);
    sayso_write_quotes(c.f, SAYSO_FORMAT_TEXT, &a, &q, 1);
    assert_non_null(strstr(cap_text(&c), "yyy…”"));
    cap_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_string_escaping),
        cmocka_unit_test(test_json_long_string),
        cmocka_unit_test(test_json_escape_offsets),
        cmocka_unit_test(test_json_full_line),
        cmocka_unit_test(test_json_nulls),
        cmocka_unit_test(test_json_parses_back),
        cmocka_unit_test(test_bad_spans_clamped),
        cmocka_unit_test(test_no_quotes_no_output),
        cmocka_unit_test(test_text_format),
        cmocka_unit_test(test_text_reported_speech),
        cmocka_unit_test(test_speakers_format),
        cmocka_unit_test(test_speakers_format_many),
        cmocka_unit_test(test_text_long_quote_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
