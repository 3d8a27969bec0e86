/*
 * test_warc.c — the WARC reader: records, HTTP responses (chunked, gzip),
 * skipped record types and payloads, broken records (a Content-Length that
 * lies either way, a truncated gzip member, a missing header, garbage), in
 * plain, per-record gzip and whole-file gzip WARCs, and the articles that
 * come out of sayso_reader with their url, id and date. The crawl is built
 * here from invented pages; files go under $SAYSO_TMP.
 */
#include "testutil.h"

#include <fcntl.h>
#include <zlib.h>

#include "read.h"
#include "warc.h"

/* ---- Building a crawl --------------------------------------------------- */

typedef struct {
    char *p;
    size_t n, cap;
} bytes;

static void put(bytes *b, const void *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void puts_(bytes *b, const char *s)
{
    put(b, s, strlen(s));
}

/* gzip of s[0..n) as one member. */
static bytes gzip_member(const char *s, size_t n)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    bytes out = {0};
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    out.p = malloc(cap + 1);
    out.cap = cap + 1;
    zs.next_in = (unsigned char *)(uintptr_t)s;
    zs.avail_in = (uInt)n;
    zs.next_out = (unsigned char *)out.p;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out.n = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

/* One record; claimed: the Content-Length to write, or -1 for the true
 * one. With uri NULL the header has no WARC-Target-URI. */
static bytes record(const char *type, const char *uri, const char *ctype, const char *block, size_t len,
                    long claimed, int with_length)
{
    bytes b = {0};
    char h[1024];
    puts_(&b, "WARC/1.1\r\n");
    snprintf(h, sizeof h, "WARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08x-0000-4000-8000-000000000000>\r\n"
             "WARC-Date: 2024-03-05T10:20:30Z\r\n", type, (unsigned)(len * 2654435761u));
    puts_(&b, h);
    if (uri) {
        snprintf(h, sizeof h, "WARC-Target-URI: %s\r\n", uri);
        puts_(&b, h);
    }
    snprintf(h, sizeof h, "Content-Type: %s\r\n", ctype);
    puts_(&b, h);
    if (with_length) {
        snprintf(h, sizeof h, "Content-Length: %ld\r\n", claimed >= 0 ? claimed : (long)len);
        puts_(&b, h);
    }
    puts_(&b, "\r\n");
    put(&b, block, len);
    puts_(&b, "\r\n\r\n");
    return b;
}

static const char page_pier[] =
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>Harbor council votes to rebuild the old pier</title>"
    "<meta property=\"article:published_time\" content=\"2024-03-04T09:00:00Z\"></head>"
    "<body><article><h1>Harbor council votes to rebuild the old pier</h1>"
    "<p>\xE2\x80\x9CWe will rebuild it stronger than before,\xE2\x80\x9D said Mayor Ilsa Varnek after the vote.</p>"
    "<p>The council approved the plan by seven votes to two, and work on the timber deck begins in the spring.</p>"
    "</article></body></html>";

static const char page_lamps[] =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Night market returns to Quayside Row</title></head>"
    "<body><article><h1>Night market returns to Quayside Row</h1>"
    "<p>\xE2\x80\x9CThe lamps are back and so are the crowds,\xE2\x80\x9D stallholder Teodor Brask told reporters.</p>"
    "<p>Organisers expect forty stalls each Friday until the end of the summer season on the quay.</p>"
    "</article></body></html>";

static const char page_ferry[] =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Ferry timetable changes from May</title></head>"
    "<body><article><h1>Ferry timetable changes from May</h1>"
    "<p>\xE2\x80\x9CThe early crossing stays, the late one moves,\xE2\x80\x9D said Wenna Holt, who runs the line.</p>"
    "<p>Passengers were told of the change in a letter that reached every household on the island.</p>"
    "</article></body></html>";

/* An HTTP response around a payload. */
static bytes http(const char *status, const char *headers, const char *body, size_t len)
{
    bytes b = {0};
    puts_(&b, "HTTP/1.1 ");
    puts_(&b, status);
    puts_(&b, "\r\n");
    puts_(&b, headers);
    puts_(&b, "\r\n");
    put(&b, body, len);
    return b;
}

/* The payload gzip-encoded, then sent in chunks of 100 bytes. */
static bytes chunked_gzip(const char *html)
{
    bytes z = gzip_member(html, strlen(html)), b = {0};
    for (size_t i = 0; i < z.n; i += 100) {
        size_t k = z.n - i < 100 ? z.n - i : 100;
        char h[32];
        snprintf(h, sizeof h, "%zx;ext=1\r\n", k);
        puts_(&b, h);
        put(&b, z.p + i, k);
        puts_(&b, "\r\n");
    }
    puts_(&b, "0\r\n\r\n");
    free(z.p);
    return b;
}

enum { N_RECORDS = 11 };

/* The crawl's records, in order: warcinfo, request, response (pier),
 * metadata, response (png), response (chunked + gzip: lamps), response with
 * a Content-Length too short, response 404, response (ferry), response
 * with a Content-Length too long (it runs into the next record), request. */
static void crawl_records(bytes rec[N_RECORDS])
{
    static const char info[] = "software: invented-crawler/0.1\r\nformat: WARC File Format 1.1\r\n";
    static const char req[] = "GET /pier-vote HTTP/1.1\r\nHost: harbor-gazette.example\r\n\r\n";
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    bytes b;
    rec[0] = record("warcinfo", NULL, "application/warc-fields", info, strlen(info), -1, 1);
    rec[1] = record("request", "http://harbor-gazette.example/pier-vote", "application/http; msgtype=request", req,
                    strlen(req), -1, 1);
    b = http("200 OK", "Content-Type: text/html; charset=utf-8\r\n", page_pier, strlen(page_pier));
    rec[2] = record("response", "http://harbor-gazette.example/pier-vote", "application/http; msgtype=response", b.p,
                    b.n, -1, 1);
    free(b.p);
    rec[3] = record("metadata", "http://harbor-gazette.example/pier-vote", "application/warc-fields",
                    "fetchTimeMs: 120\r\n", 18, -1, 1);
    b = http("200 OK", "Content-Type: image/png\r\n", png, sizeof png - 1);
    rec[4] = record("response", "http://harbor-gazette.example/pier.png", "application/http; msgtype=response", b.p,
                    b.n, -1, 1);
    free(b.p);
    bytes body = chunked_gzip(page_lamps);
    b = http("200 OK",
             "Content-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", body.p, body.n);
    rec[5] = record("response", "https://quayside-news.example/night-market", "application/http; msgtype=response",
                    b.p, b.n, -1, 1);
    free(b.p);
    free(body.p);
    b = http("200 OK", "Content-Type: text/html\r\n", page_pier, strlen(page_pier));
    rec[6] = record("response", "http://harbor-gazette.example/liar-short", "application/http; msgtype=response", b.p,
                    b.n, (long)b.n / 2, 1);
    free(b.p);
    b = http("404 Not Found", "Content-Type: text/html\r\n", "<html>gone</html>", 17);
    rec[7] = record("response", "http://harbor-gazette.example/gone", "application/http; msgtype=response", b.p, b.n,
                    -1, 1);
    free(b.p);
    b = http("200 OK", "Content-Type: text/html; charset=\"UTF-8\"\r\n", page_ferry, strlen(page_ferry));
    rec[8] = record("response", "http://island-post.example/ferry", "application/http; msgtype=response", b.p, b.n,
                    -1, 1);
    free(b.p);
    b = http("200 OK", "Content-Type: text/html\r\n", page_lamps, strlen(page_lamps));
    rec[9] = record("response", "http://harbor-gazette.example/liar-long", "application/http; msgtype=response", b.p,
                    b.n, (long)b.n + 400, 1);
    free(b.p);
    rec[10] = record("request", "http://island-post.example/ferry", "application/http; msgtype=request", req,
                     strlen(req), -1, 1);
}

static void free_records(bytes rec[N_RECORDS])
{
    for (int i = 0; i < N_RECORDS; i++) free(rec[i].p);
}

/* A reader over memory. */
typedef struct {
    const char *p;
    size_t n, at;
} mem_src;

static ssize_t from_mem(void *ctx, void *buf, size_t n)
{
    mem_src *m = ctx;
    /* Small, uneven reads: records and gzip members cross read boundaries. */
    size_t k = m->n - m->at < n ? m->n - m->at : n;
    if (k > 777) k = 777;
    memcpy(buf, m->p + m->at, k);
    m->at += k;
    return (ssize_t)k;
}

typedef struct {
    mem_src src;
    sayso_warc *w;
    FILE *err;
    char *msg;
    size_t msg_len;
} warc_run;

static void open_run(warc_run *r, const bytes *data)
{
    memset(r, 0, sizeof *r);
    r->src.p = data->p;
    r->src.n = data->n;
    r->err = open_memstream(&r->msg, &r->msg_len);
    r->w = sayso_warc_new(from_mem, &r->src, "crawl.warc", r->err);
    assert_non_null(r->w);
}

static const char *run_messages(warc_run *r)
{
    fflush(r->err);
    return r->msg ? r->msg : "";
}

static void close_run(warc_run *r)
{
    sayso_warc_free(r->w);
    fclose(r->err);
    free(r->msg);
}

/* The pages of a crawl, their uris joined by spaces. */
static void read_pages(warc_run *r, char *uris, size_t cap)
{
    sayso_warc_page pg;
    uris[0] = 0;
    while (sayso_warc_next_page(r->w, &pg)) {
        size_t at = strlen(uris);
        snprintf(uris + at, cap - at, "%s%s", at ? " " : "", pg.rec.uri);
        /* Every page handed out is the whole HTML, encodings undone. */
        assert_true(pg.len > 20);
        assert_memory_equal(pg.html, "<!DOCTYPE html>", 15);
        assert_memory_equal(pg.html + pg.len - 7, "</html>", 7);
    }
}

static const char want_pages[] = "http://harbor-gazette.example/pier-vote https://quayside-news.example/night-market "
                                 "http://island-post.example/ferry";

static void expect_counts(warc_run *r, size_t other_types, size_t broken)
{
    sayso_warc_counts c;
    sayso_warc_get_counts(r->w, &c);
    assert_int_equal(c.pages, 3);
    assert_int_equal(c.other_types, other_types);
    assert_int_equal(c.not_html, 1);
    assert_int_equal(c.not_ok, 1);
    assert_int_equal(c.broken, broken);
}

/* ---- Tests -------------------------------------------------------------- */

static void test_plain_warc(void **state)
{
    (void)state;
    bytes rec[N_RECORDS], all = {0};
    crawl_records(rec);
    for (int i = 0; i < N_RECORDS; i++) put(&all, rec[i].p, rec[i].n);
    warc_run r;
    open_run(&r, &all);
    char uris[1024];
    read_pages(&r, uris, sizeof uris);
    assert_string_equal(uris, want_pages);
    /* Both liars are reported by number, with their offsets, and the records
     * they ran into are read. The too-long one swallowed record 11 (a
     * request), which is found again after it. */
    sayso_warc_counts c;
    sayso_warc_get_counts(r.w, &c);
    const char *m = run_messages(&r);
    size_t off7 = 0;
    for (int i = 0; i < 6; i++) off7 += rec[i].n;
    char want[128];
    snprintf(want, sizeof want, "sayso: crawl.warc: record 7 (offset %zu): Content-Length", off7);
    assert_non_null(strstr(m, want));
    assert_non_null(strstr(m, "record 10 ("));
    expect_counts(&r, 4, 2); /* warcinfo, two requests, metadata */
    assert_int_equal(c.records, 11);
    close_run(&r);
    free_records(rec);
    free(all.p);
}

/* One gzip member per record, as Common Crawl writes them; member 4 (the
 * metadata record) is cut in half, as a truncated download glued to the
 * next member would be. */
static void test_gzip_per_record(void **state)
{
    (void)state;
    bytes rec[N_RECORDS], all = {0};
    crawl_records(rec);
    size_t off4 = 0;
    for (int i = 0; i < N_RECORDS; i++) {
        bytes z = gzip_member(rec[i].p, rec[i].n);
        if (i == 3) {
            off4 = all.n;
            z.n /= 2;
        }
        put(&all, z.p, z.n);
        free(z.p);
    }
    warc_run r;
    open_run(&r, &all);
    char uris[1024];
    read_pages(&r, uris, sizeof uris);
    assert_string_equal(uris, want_pages);
    const char *m = run_messages(&r);
    char want[128];
    snprintf(want, sizeof want, "record 4 (offset %zu): gzip member at offset %zu", off4, off4);
    assert_non_null(strstr(m, want));
    assert_non_null(strstr(m, "record 7 ("));
    expect_counts(&r, 3, 3);
    close_run(&r);
    free_records(rec);
    free(all.p);
}

/* A gzip member that inflates to nothing usable (a gzip header, then
 * junk) between two good ones: reported by its offset, both neighbours
 * read. */
static void test_gzip_member_of_junk(void **state)
{
    (void)state;
    bytes rec[N_RECORDS], all = {0};
    crawl_records(rec);
    bytes a = gzip_member(rec[2].p, rec[2].n), b = gzip_member(rec[8].p, rec[8].n);
    put(&all, a.p, a.n);
    static const char junk[] = "\x1f\x8b\x08\x00 this is no deflate data at all";
    put(&all, junk, sizeof junk - 1);
    put(&all, b.p, b.n);
    warc_run r;
    open_run(&r, &all);
    char uris[1024], want[128];
    read_pages(&r, uris, sizeof uris);
    assert_string_equal(uris, "http://harbor-gazette.example/pier-vote http://island-post.example/ferry");
    snprintf(want, sizeof want, "crawl.warc: gzip member at offset %zu is corrupt", a.n);
    assert_non_null(strstr(run_messages(&r), want));
    sayso_warc_counts c;
    sayso_warc_get_counts(r.w, &c);
    assert_int_equal(c.broken, 1);
    close_run(&r);
    free(a.p);
    free(b.p);
    free_records(rec);
    free(all.p);
}

/* The whole file as one gzip stream (wget, or gzip crawl.warc). */
static void test_gzip_whole_file(void **state)
{
    (void)state;
    bytes rec[N_RECORDS], all = {0};
    crawl_records(rec);
    for (int i = 0; i < N_RECORDS; i++) put(&all, rec[i].p, rec[i].n);
    bytes z = gzip_member(all.p, all.n);
    warc_run r;
    open_run(&r, &z);
    char uris[1024];
    read_pages(&r, uris, sizeof uris);
    assert_string_equal(uris, want_pages);
    expect_counts(&r, 4, 2);
    close_run(&r);
    free_records(rec);
    free(all.p);
    free(z.p);
}

/* A missing Content-Length, a missing WARC-Type, garbage between records
 * and a crawl that ends inside a record: each is reported, the good records
 * around them are read. */
static void test_missing_headers_and_garbage(void **state)
{
    (void)state;
    bytes rec[N_RECORDS], all = {0};
    crawl_records(rec);
    bytes b = http("200 OK", "Content-Type: text/html\r\n", page_ferry, strlen(page_ferry));
    bytes nolen = record("response", "http://island-post.example/no-length", "application/http; msgtype=response",
                         b.p, b.n, -1, 0);
    free(b.p);
    put(&all, nolen.p, nolen.n);
    put(&all, rec[2].p, rec[2].n);
    put(&all, "\x00\x01\xff\xfe binary junk \x80\x81\r\n", 21);
    put(&all, rec[8].p, rec[8].n - 100); /* the crawl ends inside it */
    warc_run r;
    open_run(&r, &all);
    char uris[1024];
    read_pages(&r, uris, sizeof uris);
    assert_string_equal(uris, "http://harbor-gazette.example/pier-vote");
    const char *m = run_messages(&r);
    assert_non_null(strstr(m, "record 1 (offset 0): no Content-Length header; skipped"));
    assert_non_null(strstr(m, "bytes that are no WARC record skipped"));
    assert_non_null(strstr(m, "record 3 ("));
    assert_non_null(strstr(m, "the input ends after"));
    close_run(&r);
    free(nolen.p);
    free_records(rec);
    free(all.p);
}

/* Every prefix of a small crawl, in gzip and plain: nothing crashes, and
 * the records before the cut are all read. */
static void test_every_cut(void **state)
{
    (void)state;
    bytes rec[N_RECORDS], all = {0};
    crawl_records(rec);
    for (int i = 0; i < 4; i++) put(&all, rec[i].p, rec[i].n);
    for (size_t cut = 0; cut <= all.n; cut += 7) {
        bytes part = {all.p, cut, 0};
        warc_run r;
        open_run(&r, &part);
        sayso_warc_record x;
        size_t n = 0;
        while (sayso_warc_next_record(r.w, &x)) n++;
        size_t whole = 0, end = 0;
        for (int i = 0; i < 4; i++) {
            end += rec[i].n;
            if (end - 4 <= cut) whole++; /* the CRLF CRLF after the last block may be cut */
        }
        assert_int_equal(n, whole);
        close_run(&r);
    }
    free_records(rec);
    free(all.p);
}

/* The articles through sayso_reader: the file is found by its extension,
 * url and id are WARC-Target-URI, the date the page's own or WARC-Date. */
static void test_reader_articles(void **state)
{
    (void)state;
    bytes rec[N_RECORDS], all = {0};
    crawl_records(rec);
    for (int i = 0; i < N_RECORDS; i++) {
        bytes z = gzip_member(rec[i].p, rec[i].n);
        put(&all, z.p, z.n);
        free(z.p);
    }
    char dir[2048], path[2100];
    tu_scratch_dir(dir, sizeof dir, "warc");
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/crawl.warc.gz", dir);
    assert_int_equal(tu_write_file(path, all.p, all.n), 0);
    char *msg = NULL;
    size_t msg_len = 0;
    FILE *err = open_memstream(&msg, &msg_len);
    const char *paths[] = {dir};
    sayso_reader *r = sayso_reader_new(paths, 1, err);
    sayso_article a;
    const char *want_id[] = {"http://harbor-gazette.example/pier-vote", "https://quayside-news.example/night-market",
                             "http://island-post.example/ferry"};
    const char *want_date[] = {"2024-03-04", "2024-03-05", "2024-03-05"};
    const char *want_words[] = {"rebuild it stronger", "lamps are back", "early crossing stays"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(sayso_reader_next(r, &a), 1);
        assert_string_equal(a.id, want_id[i]);
        assert_string_equal(a.url, want_id[i]);
        assert_non_null(a.date);
        assert_string_equal(a.date, want_date[i]);
        assert_non_null(strstr(a.text, want_words[i]));
        assert_null(strstr(a.text, "<p>"));
    }
    assert_int_equal(sayso_reader_next(r, &a), 0);
    assert_int_equal(sayso_reader_skipped(r), 2);
    fflush(err);
    assert_non_null(strstr(msg, "crawl.warc.gz: record 7 ("));
    assert_non_null(strstr(msg, "crawl.warc.gz: 11 records: 3 pages read"));
    sayso_reader_free(r);
    fclose(err);
    free(msg);
    tu_remove_tree(dir);
    free_records(rec);
    free(all.p);
}

/* On stdin, a crawl is known by its first bytes, gzip-compressed or not. */
static void test_stdin_sniffed(void **state)
{
    (void)state;
    bytes rec[N_RECORDS], all = {0};
    crawl_records(rec);
    for (int i = 0; i < N_RECORDS; i++) put(&all, rec[i].p, rec[i].n);
    bytes z = gzip_member(all.p, all.n);
    char dir[2048], path[2100];
    tu_scratch_dir(dir, sizeof dir, "warc-stdin");
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/crawl-without-extension", dir);
    for (int compressed = 0; compressed < 2; compressed++) {
        bytes *b = compressed ? &z : &all;
        assert_int_equal(tu_write_file(path, b->p, b->n), 0);
        int saved = dup(STDIN_FILENO);
        int fd = open(path, O_RDONLY);
        assert_true(fd >= 0);
        dup2(fd, STDIN_FILENO);
        close(fd);
        const char *paths[] = {"-"};
        sayso_reader *r = sayso_reader_new(paths, 1, NULL);
        sayso_article a;
        sayso_raw_page raw;
        /* Raw pages (for the pool) and the page that gives no date. */
        assert_int_equal(sayso_reader_next_item(r, &a, &raw), 2);
        assert_string_equal(raw.id, "http://harbor-gazette.example/pier-vote");
        assert_int_equal(sayso_reader_next_item(r, &a, &raw), 2);
        assert_int_equal(sayso_reader_next(r, &a), 1);
        assert_string_equal(a.id, "http://island-post.example/ferry");
        assert_string_equal(a.date, "2024-03-05");
        assert_int_equal(sayso_reader_next(r, &a), 0);
        assert_int_equal(sayso_reader_skipped(r), 2);
        sayso_reader_free(r);
        dup2(saved, STDIN_FILENO);
        close(saved);
    }
    tu_remove_tree(dir);
    free_records(rec);
    free(all.p);
    free(z.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_warc),
        cmocka_unit_test(test_gzip_per_record),
        cmocka_unit_test(test_gzip_member_of_junk),
        cmocka_unit_test(test_gzip_whole_file),
        cmocka_unit_test(test_missing_headers_and_garbage),
        cmocka_unit_test(test_every_cut),
        cmocka_unit_test(test_reader_articles),
        cmocka_unit_test(test_stdin_sniffed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
