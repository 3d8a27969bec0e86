/*
 * test_server.c — the JSON API: a store made from the bundled samples,
 * served on a free loopback port inside this process, asked over plain
 * sockets: results, pagination, the error shape and codes for bad
 * requests, and that the server stays up and keeps answering while a
 * writer holds the store.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include <cJSON.h>
#include "sayso.h"
#include "server.h"
#include "store.h"
#include "testutil.h"

static sayso_server *g_server;
static char g_db[4096];

/* Sends raw bytes, returns the whole response (caller frees), or NULL. */
static char *http_raw(const char *req, size_t len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return NULL;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)sayso_server_port(g_server));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return NULL;
    }
    for (size_t off = 0; off < len;) {
        ssize_t k = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (k <= 0) break; /* the server may answer and close before reading it all */
        off += (size_t)k;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    ssize_t k;
    while (buf && (k = recv(fd, buf + n, cap - n, 0)) > 0) {
        n += (size_t)k;
        if (n == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb) break;
            buf = nb;
            cap *= 2;
        }
    }
    close(fd);
    if (buf) buf[n] = 0;
    return buf;
}

typedef struct {
    int status;
    char *raw;
    cJSON *json; /* the body, when JSON */
} reply;

static reply get(const char *fmt, ...)
{
    char path[2048], req[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", path);
    reply r = { 0, http_raw(req, (size_t)n), NULL };
    if (r.raw) {
        sscanf(r.raw, "HTTP/1.%*d %d", &r.status);
        const char *body = strstr(r.raw, "\r\n\r\n");
        if (body) r.json = cJSON_Parse(body + 4);
    }
    return r;
}

static void drop(reply *r)
{
    free(r->raw);
    cJSON_Delete(r->json);
}

/* An error reply: the status, and the one error shape with the same
 * status in it. */
static void expect_error(reply r, int status)
{
    if (r.status != status) fail_msg("status %d, not %d: %s", r.status, status, r.raw ? r.raw : "(no reply)");
    cJSON *e = cJSON_GetObjectItem(r.json, "error");
    assert_non_null(e);
    assert_int_equal((int)cJSON_GetObjectItem(e, "status")->valuedouble, status);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(e, "message")));
    drop(&r);
}

static void still_up(void)
{
    reply r = get("/healthz");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "ok")));
    drop(&r);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_db, sizeof g_db, "%s/server.db", tu_env("SAYSO_TMP", "."));
    remove(g_db);
    char err[2300], wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", g_db);
    remove(wal);
    sayso_store *st = sayso_store_open(g_db, SAYSO_STORE_WRITE, err, sizeof err);
    assert_non_null(st);
    /* the rules alone: the pages checked here were read from their output */
    sayso_extractor *ex = sayso_extractor_new_with(NULL);
    assert_int_equal(sayso_store_begin(st), 0);
    const char *dir = tu_env("SAYSO_SAMPLES", "samples");
    const char *names[] = { "01_singer_instagram", "02_bridge_vote", "05_brooke_roundup", "06_bridge_followup" };
    for (int i = 0; i < 4; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.txt", dir, names[i]);
        size_t len = 0;
        char *text = tu_read_file(path, &len);
        assert_non_null(text);
        /* The first line is " date YYYY-MM-DD ": read as the reader does. */
        sayso_article a = { 0 };
        char date[11] = "";
        a.id = names[i];
        a.text = text;
        a.len = len;
        a.body = sayso_parse_date_header(text, len, date);
        a.date = date;
        assert_true(a.body > 0);
        const sayso_quote *q;
        size_t n;
        assert_int_equal(sayso_extract(ex, &a, &q, &n), 0);
        assert_int_equal(sayso_store_put(st, &a, path, q, n), SAYSO_PUT_ADDED);
        free(text);
    }
    assert_int_equal(sayso_store_commit(st), 0);
    sayso_store_close(st);
    sayso_extractor_free(ex);
    sayso_serve_opts o = { .db = g_db, .port = 0, .threads = 2 };
    g_server = sayso_server_start(&o, err, sizeof err);
    if (!g_server) fail_msg("server: %s", err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sayso_server_stop(g_server);
    return 0;
}

static void test_health_and_headers(void **state)
{
    (void)state;
    reply r = get("/healthz");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.raw, "X-Content-Type-Options: nosniff"));
    assert_non_null(strstr(r.raw, "Content-Security-Policy: default-src 'self'"));
    assert_non_null(strstr(r.raw, "X-Frame-Options: DENY"));
    assert_non_null(strstr(r.raw, "Content-Type: application/json"));
    drop(&r);
}

/* The page: its files by exact name, nothing else. */
static void test_page_files(void **state)
{
    (void)state;
    reply r = get("/");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.raw, "Content-Type: text/html"));
    assert_non_null(strstr(r.raw, "<script src=\"/app.js\""));
    assert_non_null(strstr(r.raw, "Content-Security-Policy: default-src 'self'"));
    drop(&r);
    r = get("/app.js");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.raw, "Content-Type: text/javascript"));
    drop(&r);
    r = get("/app.css");
    assert_int_equal(r.status, 200);
    drop(&r);
    expect_error(get("/../../etc/passwd"), 404);
    expect_error(get("/%%2e%%2e/%%2e%%2e/etc/passwd"), 404);
    expect_error(get("//app.js"), 404);
    expect_error(get("/app.js/"), 404);
    /* libmicrohttpd decodes %00 and the path ends there: "/index.html". That
     * is the page, not a file of the machine; what matters is that no name
     * outside the table serves anything. */
    r = get("/index.html%%00.js");
    assert_true(r.status == 200 || r.status == 404);
    if (r.status == 200) assert_non_null(strstr(r.raw, "Content-Type: text/html"));
    drop(&r);
}

static void test_search_and_pages(void **state)
{
    (void)state;
    reply r = get("/api/search?q=bridge&per_page=2");
    assert_int_equal(r.status, 200);
    cJSON *res = cJSON_GetObjectItem(r.json, "results");
    assert_int_equal(cJSON_GetArraySize(res), 2);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "has_more")));
    double first[2];
    for (int i = 0; i < 2; i++) {
        cJSON *h = cJSON_GetArrayItem(res, i);
        first[i] = cJSON_GetObjectItem(h, "id")->valuedouble;
        assert_true(cJSON_IsString(cJSON_GetObjectItem(h, "type")));
        assert_non_null(strstr(cJSON_GetObjectItem(h, "quote")->valuestring, "bridge"));
        assert_true(cJSON_IsString(cJSON_GetObjectItem(cJSON_GetObjectItem(h, "first_report"), "doc")));
        assert_true(cJSON_GetObjectItem(cJSON_GetObjectItem(h, "first_report"), "article")->valuedouble >= 1);
    }
    drop(&r);
    /* Page 2 goes on where page 1 stopped. */
    r = get("/api/search?q=bridge&per_page=2&page=2");
    assert_int_equal(r.status, 200);
    res = cJSON_GetObjectItem(r.json, "results");
    assert_true(cJSON_GetArraySize(res) >= 1);
    for (int i = 0; i < cJSON_GetArraySize(res); i++) {
        double id = cJSON_GetObjectItem(cJSON_GetArrayItem(res, i), "id")->valuedouble;
        assert_true(id != first[0] && id != first[1]);
    }
    drop(&r);
    /* A filter, percent-encoded, any case. */
    r = get("/api/search?q=bridge&speaker=DEV%%20OKAFOR");
    assert_int_equal(r.status, 200);
    res = cJSON_GetObjectItem(r.json, "results");
    assert_int_equal(cJSON_GetArraySize(res), 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(res, 0), "speaker")->valuestring, "Dev Okafor");
    /* Two outlets reported it: one quotation with two articles. */
    assert_int_equal((int)cJSON_GetObjectItem(cJSON_GetArrayItem(res, 0), "articles")->valuedouble, 2);
    double okafor = cJSON_GetObjectItem(cJSON_GetArrayItem(res, 0), "id")->valuedouble;
    drop(&r);
    r = get("/api/quotes/%.0f", okafor);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "reports")), 2);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "reports"), 0), "type")->valuestring,
                        "direct");
    drop(&r);
    /* Every hit says what kind of report it is (its first report's): a
     * partly quoted clause, reported speech, a direct quote. */
    static const struct { const char *q, *type; } kinds[] = {
        { "%22fight%20for%20every%20vote%22", "mixed" },
        { "detour%20signposted", "indirect" },
        { "%22simply%20staff%22", "direct" },
    };
    for (int i = 0; i < 3; i++) {
        r = get("/api/search?q=%s", kinds[i].q);
        assert_int_equal(r.status, 200);
        res = cJSON_GetObjectItem(r.json, "results");
        assert_int_equal(cJSON_GetArraySize(res), 1);
        cJSON *type = cJSON_GetObjectItem(cJSON_GetArrayItem(res, 0), "type");
        assert_true(cJSON_IsString(type));
        assert_string_equal(type->valuestring, kinds[i].type);
        drop(&r);
    }
    r = get("/api/search?q=nosuchwordanywhere");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "results")), 0);
    drop(&r);
}

static void test_speakers_and_stats(void **state)
{
    (void)state;
    reply r = get("/api/speakers?prefix=tal");
    assert_int_equal(r.status, 200);
    cJSON *sp = cJSON_GetObjectItem(r.json, "speakers");
    assert_int_equal(cJSON_GetArraySize(sp), 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(sp, 0), "name")->valuestring, "Talia Brooke");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(cJSON_GetArrayItem(sp, 0), "quotes")));
    drop(&r);
    r = get("/api/stats");
    assert_int_equal(r.status, 200);
    assert_int_equal((int)cJSON_GetObjectItem(r.json, "articles")->valuedouble, 4);
    drop(&r);
}

/* Code point offset cp of UTF-8 text, as a byte offset. */
static size_t cp_byte(const char *t, long cp)
{
    size_t i = 0;
    for (long c = 0; t[i] && c < cp; c++) {
        i++;
        while (((unsigned char)t[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

static void test_speaker_and_article_pages(void **state)
{
    (void)state;
    reply r = get("/api/speakers?prefix=owen");
    assert_int_equal(r.status, 200);
    cJSON *one = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "speakers"), 0);
    int id = (int)cJSON_GetObjectItem(one, "id")->valuedouble, quotes = (int)cJSON_GetObjectItem(one, "quotes")->valuedouble;
    drop(&r);
    r = get("/api/speakers/%d", id);
    assert_int_equal(r.status, 200);
    assert_string_equal(cJSON_GetObjectItem(r.json, "name")->valuestring, "Owen Castell");
    /* The timeline adds up to the quote count; the latest quotes are his. */
    cJSON *months = cJSON_GetObjectItem(r.json, "months");
    int sum = 0;
    for (int i = 0; i < cJSON_GetArraySize(months); i++)
        sum += (int)cJSON_GetObjectItem(cJSON_GetArrayItem(months, i), "quotes")->valuedouble;
    assert_int_equal(sum, quotes);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(months, 0), "month")->valuestring, "2023-04");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "latest")), quotes);
    for (int i = 0; i < quotes; i++) {
        cJSON *t = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "latest"), i), "type");
        assert_true(cJSON_IsString(t));
        assert_true(strcmp(t->valuestring, "direct") == 0 || strcmp(t->valuestring, "mixed") == 0 ||
                    strcmp(t->valuestring, "indirect") == 0);
    }
    int article = (int)cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "latest"), 0), "article")->valuedouble;
    drop(&r);

    /* The article: its text, and spans that point into it. */
    r = get("/api/articles/%d", article);
    assert_int_equal(r.status, 200);
    const char *text = cJSON_GetObjectItem(r.json, "text")->valuestring;
    /* The samples begin with " date YYYY-MM-DD ": the body starts after it. */
    assert_true(strncmp(text, " date 20", 8) == 0);
    size_t body = cp_byte(text, (long)cJSON_GetObjectItem(r.json, "body_start")->valuedouble);
    assert_true(body >= 16 && body <= 18);
    assert_true(strncmp(text + body - 1, " ", 1) == 0 && text[body] != ' ');
    cJSON *qs = cJSON_GetObjectItem(r.json, "quotes");
    assert_true(cJSON_GetArraySize(qs) >= 3);
    int his = 0;
    for (int i = 0; i < cJSON_GetArraySize(qs); i++) {
        cJSON *q = cJSON_GetArrayItem(qs, i);
        assert_true(cJSON_IsString(cJSON_GetObjectItem(q, "type")));
        cJSON *span = cJSON_GetArrayItem(cJSON_GetObjectItem(q, "content"), 0);
        size_t b = cp_byte(text, (long)cJSON_GetArrayItem(span, 0)->valuedouble);
        size_t e = cp_byte(text, (long)cJSON_GetArrayItem(span, 1)->valuedouble);
        assert_true(e > b);
        cJSON *sp = cJSON_GetObjectItem(q, "speaker");
        if (cJSON_IsString(sp) && strcmp(sp->valuestring, "Owen Castell") == 0) {
            his++;
            size_t sb = cp_byte(text, (long)cJSON_GetObjectItem(q, "source_start")->valuedouble);
            assert_true(strncmp(text + sb, "Castell", 7) == 0 || strncmp(text + sb, "Owen", 4) == 0 ||
                        strncmp(text + sb, "he", 2) == 0 || strncmp(text + sb, "Her husband", 11) == 0);
        }
    }
    assert_true(his >= 1);
    drop(&r);
    /* A speaker page's latest quotes say which are reported speech: Helen
     * Marsh has a quote in marks, reported by two articles, and a partly
     * quoted clause. */
    r = get("/api/speakers?prefix=helen");
    assert_int_equal(r.status, 200);
    id = (int)cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "speakers"), 0), "id")->valuedouble;
    drop(&r);
    r = get("/api/speakers/%d", id);
    assert_int_equal(r.status, 200);
    cJSON *latest = cJSON_GetObjectItem(r.json, "latest");
    assert_int_equal(cJSON_GetArraySize(latest), 3);
    int direct = 0, mixed = 0;
    for (int i = 0; i < 3; i++) {
        const char *t = cJSON_GetObjectItem(cJSON_GetArrayItem(latest, i), "type")->valuestring;
        direct += strcmp(t, "direct") == 0;
        mixed += strcmp(t, "mixed") == 0;
    }
    assert_int_equal(direct, 2);
    assert_int_equal(mixed, 1);
    drop(&r);
    expect_error(get("/api/speakers/999999"), 404);
    expect_error(get("/api/articles/999999"), 404);
    expect_error(get("/api/articles/x1"), 404);
}

static void test_bad_requests(void **state)
{
    (void)state;
    expect_error(get("/api/search"), 400);                       /* no q */
    expect_error(get("/api/search?q=%%22unclosed"), 400);        /* FTS syntax */
    expect_error(get("/api/search?q=%%FF%%FE"), 400);            /* not UTF-8 */
    expect_error(get("/api/search?q=x&page=0"), 400);
    expect_error(get("/api/search?q=x&per_page=51"), 400);
    expect_error(get("/api/search?q=x&page=abc"), 400);
    expect_error(get("/api/search?q=x&from=2023-13"), 400);
    expect_error(get("/api/search?q=x&speaker=Nobody%%20Here"), 400);
    expect_error(get("/api/search?q=x&channel=a%%3Bb"), 400);
    {
        /* Over the 512 bytes a query may have, yet short enough for
         * libmicrohttpd's buffer: our 400, in our shape. */
        char path[700];
        int k = snprintf(path, sizeof path, "/api/search?q=");
        memset(path + k, 'a', 600);
        path[k + 600] = 0;
        expect_error(get("%s", path), 400);
    }
    expect_error(get("/api/quotes/999999999"), 404);
    expect_error(get("/api/quotes/abc"), 404);
    expect_error(get("/api/quotes/-1"), 404);
    expect_error(get("/api/nothing"), 404);
    expect_error(get("/api/speakers?limit=1000"), 400);
    still_up();

    /* Other methods. */
    const char post[] = "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nq=a";
    char *raw = http_raw(post, sizeof post - 1);
    assert_non_null(raw);
    assert_non_null(strstr(raw, " 405 "));
    assert_non_null(strstr(raw, "Allow: GET, HEAD"));
    free(raw);

    /* A 100 KB URL, a request line that is no HTTP, bytes that are no text:
     * 4xx or a closed connection, and the server goes on. */
    size_t big = 100000;
    char *huge = malloc(big + 64);
    assert_non_null(huge);
    int k = snprintf(huge, 64, "GET /api/search?q=");
    memset(huge + k, 'a', big);
    memcpy(huge + k + big, " HTTP/1.1\r\n\r\n", 14);
    raw = http_raw(huge, (size_t)k + big + 13);
    if (raw && *raw) assert_non_null(strstr(raw, " 414 "));
    free(raw);
    free(huge);
    const char junk[] = "BLAH\r\n\r\n\x01\x02\xff\xfe";
    raw = http_raw(junk, sizeof junk - 1);
    if (raw && *raw) assert_non_null(strstr(raw, " 400 "));
    free(raw);
    still_up();
}

/* Readers do not wait for a writer: with an ingest's batch open (the write
 * lock held), search still answers. */
static void test_serves_during_ingest(void **state)
{
    (void)state;
    char err[2300];
    sayso_store *w = sayso_store_open(g_db, SAYSO_STORE_WRITE, err, sizeof err);
    assert_non_null(w);
    assert_int_equal(sayso_store_begin(w), 0);
    reply r = get("/api/search?q=staff");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "results")), 1);
    drop(&r);
    assert_int_equal(sayso_store_commit(w), 0);
    sayso_store_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_and_headers),
        cmocka_unit_test(test_page_files),
        cmocka_unit_test(test_search_and_pages),
        cmocka_unit_test(test_speakers_and_stats),
        cmocka_unit_test(test_speaker_and_article_pages),
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_serves_during_ingest),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
