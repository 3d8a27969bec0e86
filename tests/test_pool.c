/*
 * test_pool.c — the ordered worker pool: articles come back in input order
 * and each with its own work, whatever the number of workers and however
 * long each article takes; stopping early is clean. Then the commands: the
 * thread count changes nothing in what `sayso extract` prints or what
 * `sayso ingest` stores (samples, a JSONL file and a WARC crawl, all
 * written here). Files go under $SAYSO_TMP.
 */
#include "testutil.h"

#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "pool.h"
#include "read.h"

#define N_ARTICLES 300

static char dir[2048];

static void make_jsonl(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < N_ARTICLES; i++) {
        /* Lengths vary a lot, so that slot buffers grow and are reused. */
        fprintf(f, "{\"id\": \"a%03d\", \"title\": \"T%d\", \"text\": \"", i, i);
        for (int k = 0; k < 1 + (i * 37) % 97; k++) fprintf(f, "word%d ", (i + k) % 13);
        fprintf(f, "\"}\n");
    }
    fclose(f);
}

/* The work: a checksum of the text, after a pause that depends on the
 * article, so that workers finish out of order. */
typedef struct {
    unsigned long sum;
    int calls;
} slot_state;

static void *slot_new(void *ctx)
{
    (void)ctx;
    return calloc(1, sizeof(slot_state));
}

static void slot_free(void *ctx, void *slot)
{
    (void)ctx;
    free(slot);
}

static unsigned long checksum(const char *s, size_t n)
{
    unsigned long h = 5381;
    for (size_t i = 0; i < n; i++) h = h * 33 + (unsigned char)s[i];
    return h;
}

static void work(void *ctx, void *worker, sayso_pool_item *it)
{
    (void)ctx;
    (void)worker;
    slot_state *s = it->slot;
    s->sum = checksum(it->art.text, it->art.len);
    s->calls++;
    struct timespec ts = {0, (long)(s->sum % 7) * 100000};
    nanosleep(&ts, NULL);
}

static void run_pool(int workers, size_t stop_after)
{
    char path[2100];
    snprintf(path, sizeof path, "%s/articles.jsonl", dir);
    const char *paths[] = {path};
    sayso_reader *r = sayso_reader_new(paths, 1, NULL);
    assert_non_null(r);
    sayso_pool_ops ops = {.slot_new = slot_new, .slot_free = slot_free, .work = work};
    char err[128];
    sayso_pool *p = sayso_pool_new(r, workers, &ops, err, sizeof err);
    assert_non_null(p);
    sayso_pool_item *it;
    size_t n = 0;
    while (n < stop_after && sayso_pool_next(p, &it)) {
        char want[32];
        snprintf(want, sizeof want, "a%03zu", n);
        assert_string_equal(it->art.id, want);
        assert_int_equal(it->no_memory, 0);
        slot_state *s = it->slot;
        assert_int_equal(s->sum, checksum(it->art.text, it->art.len));
        assert_true(it->art.title != NULL && atoi(it->art.title + 1) == (int)n);
        assert_non_null(strstr(it->file, "articles.jsonl"));
        assert_int_equal(it->line, n + 1);
        n++;
    }
    if (stop_after >= N_ARTICLES) {
        assert_int_equal(n, N_ARTICLES);
        assert_int_equal(sayso_pool_next(p, &it), 0);
        assert_int_equal(sayso_pool_next(p, &it), 0); /* and stays at the end */
    }
    sayso_pool_free(p);
    sayso_reader_free(r);
}

static void test_order_any_workers(void **state)
{
    (void)state;
    int counts[] = {0, 1, 2, 3, 8};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) run_pool(counts[i], N_ARTICLES);
}

static void test_stop_early(void **state)
{
    (void)state;
    run_pool(3, 0);
    run_pool(3, 5);
    run_pool(0, 5);
}

/* Pages that each come with a message (an unknown charset, read as UTF-8),
 * taken slowly, so that the workers fill every slot and wait while the
 * caller reports: a worker that waited for room holding the reader's lock
 * would stop the caller from reporting, and both would wait for ever (the
 * alarm turns that into a failure). */
static void test_page_messages_with_full_pool(void **state)
{
    (void)state;
    char pages[2100], path[2200];
    snprintf(pages, sizeof pages, "%s/pages", dir);
    mkdir(pages, 0777);
    enum { N_PAGES = 40 };
    for (int i = 0; i < N_PAGES; i++) {
        snprintf(path, sizeof path, "%s/p%03d.html", pages, i);
        char html[512];
        int n = snprintf(html, sizeof html,
                         "<html><head><meta charset=\"x-no-such-charset-%d\"><title>Notice %d</title></head>"
                         "<body><article><p>The harbour office said on Tuesday that berth %d would reopen "
                         "after repairs to the quay wall were finished.</p></article></body></html>",
                         i, i, i);
        assert_int_equal(tu_write_file(path, html, (size_t)n), 0);
    }
    const char *paths[] = {pages};
    FILE *err = tmpfile();
    assert_non_null(err);
    sayso_reader *r = sayso_reader_new(paths, 1, err);
    assert_non_null(r);
    sayso_pool_ops ops = {.slot_new = slot_new, .slot_free = slot_free, .work = work};
    char msg[128];
    sayso_pool *p = sayso_pool_new(r, 2, &ops, msg, sizeof msg);
    assert_non_null(p);
    alarm(120);
    sayso_pool_item *it;
    int n = 0;
    while (sayso_pool_next(p, &it)) {
        char want[32];
        snprintf(want, sizeof want, "p%03d", n);
        assert_string_equal(it->art.id, want);
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
        n++;
    }
    alarm(0);
    assert_int_equal(n, N_PAGES);
    sayso_pool_free(p);
    sayso_reader_free(r);
    /* every page's warning was reported, once */
    rewind(err);
    char line[1024];
    int warned = 0;
    while (fgets(line, sizeof line, err)) warned += strstr(line, "x-no-such-charset") != NULL;
    fclose(err);
    assert_int_equal(warned, N_PAGES);
}

/* ---- The commands ------------------------------------------------------- */

static char *run_cli(const char *args, int *status)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s 2>/dev/null", dir, tu_env("SAYSO_BIN", ""), args);
    return tu_run(cmd, status);
}

/* A small crawl of invented pages, one gzip member per record. */
static void make_warc(const char *path)
{
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    static const char *const who[] = {"Mara Quell", "Ivo Stenberg", "Lena Okafor", "Piet Varga"};
    for (int i = 0; i < 8; i++) {
        char html[1024], http[1400], head[512];
        snprintf(html, sizeof html,
                 "<!DOCTYPE html><html><head><title>Council story %d</title></head><body><article>"
                 "<p>\xE2\x80\x9CThe budget for year %d is settled,\xE2\x80\x9D %s said on Monday.</p>"
                 "<p>%s told reporters that the vote was close and that the library would stay open.</p>"
                 "</article></body></html>",
                 i, 2000 + i, who[i % 4], who[(i + 1) % 4]);
        snprintf(http, sizeof http, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n%s", html);
        snprintf(head, sizeof head,
                 "WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2023-0%d-1%dT00:00:00Z\r\n"
                 "WARC-Target-URI: http://town-herald.example/story-%d\r\n"
                 "Content-Type: application/http; msgtype=response\r\nContent-Length: %zu\r\n\r\n",
                 1 + i % 9, i % 10, i, strlen(http));
        gzprintf(gz, "%s%s\r\n\r\n", head, http);
        gzflush(gz, Z_FINISH); /* ends the member */
    }
    gzclose(gz);
}

static void test_threads_change_nothing(void **state)
{
    (void)state;
    if (!*tu_env("SAYSO_BIN", "")) {
        fprintf(stderr, "SKIP: SAYSO_BIN is not set (run through ctest)\n");
        return;
    }
    char path[2100], args[4600];
    snprintf(path, sizeof path, "%s/crawl.warc.gz", dir);
    make_warc(path);
    const char *samples = tu_env("SAYSO_SAMPLES", "../samples");
    const char *formats[] = {"json", "text", "speakers"};
    for (int f = 0; f < 3; f++) {
        char *out[2];
        int threads[2] = {1, 3};
        for (int k = 0; k < 2; k++) {
            int status;
            snprintf(args, sizeof args, "extract --format %s --threads %d '%s' articles.jsonl crawl.warc.gz",
                     formats[f], threads[k], samples);
            out[k] = run_cli(args, &status);
            assert_int_equal(status, 0);
        }
        assert_true(strlen(out[0]) > 1000);
        assert_string_equal(out[0], out[1]);
        free(out[0]);
        free(out[1]);
    }
    /* The crawl's quotations are there, with the pages' urls as ids. */
    int status;
    char *one = run_cli("extract --threads 2 crawl.warc.gz", &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(one, "\"doc\": \"http://town-herald.example/story-7\""));
    free(one);

    /* The same store, whatever the threads. */
    char *exported[2];
    for (int k = 0; k < 2; k++) {
        snprintf(args, sizeof args, "ingest t%d.db --quiet --threads %d '%s' articles.jsonl crawl.warc.gz && '%s' export t%d.db",
                 k, k ? 4 : 1, samples, tu_env("SAYSO_BIN", ""), k);
        exported[k] = run_cli(args, &status);
        assert_int_equal(status, 0);
    }
    assert_true(strlen(exported[0]) > 1000);
    assert_string_equal(exported[0], exported[1]);
    free(exported[0]);
    free(exported[1]);
}

static int setup(void **state)
{
    (void)state;
    tu_scratch_dir(dir, sizeof dir, "pool");
    mkdir(dir, 0777);
    char path[2100];
    snprintf(path, sizeof path, "%s/articles.jsonl", dir);
    make_jsonl(path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_remove_tree(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_any_workers),
        cmocka_unit_test(test_stop_early),
        cmocka_unit_test(test_page_messages_with_full_pool),
        cmocka_unit_test(test_threads_change_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
