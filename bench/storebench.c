/*
 * storebench — measures the quote store: ingest speed and search latency.
 *
 *   storebench ingest SAYSO STORE CORPUS.jsonl [THREADS]
 *       runs `SAYSO ingest STORE CORPUS --quiet --threads THREADS` (default
 *       1) as a child and prints articles/s, quotes/s and MB/s of wall-clock
 *       time, the CPU time it used (user + system, all threads) with
 *       articles per CPU second, and peak RSS (wait4).
 *   storebench search STORE [QUERIES_PER_KIND]
 *       asks the store (read-only, through the library, as `sayso search`
 *       does) queries made from its own quotations, and prints latency
 *       percentiles per kind of query and over all of them, and the size
 *       of the store per million quotations.
 *   storebench paths STORE N
 *       prints N API requests for bench/serve.sh ("KIND<TAB>PATH"), drawn
 *       from the store as the queries are: searches of each kind, page 2,
 *       autocomplete on a speaker's first letters, speaker and article
 *       pages, stats.
 *
 * Queries are drawn from random stored quotes, so that they look like what
 * people ask: one content word, two words, a two-word phrase, a prefix, a
 * word with the quote's speaker as filter, a word within the quote's month.
 * A content word has five or more letters and is not on a short list of
 * function words. The random sequence is fixed: runs are comparable.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "store.h"

pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage);

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long long scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* ---- ingest ------------------------------------------------------------ */

static int bench_ingest(const char *sayso, const char *store, const char *corpus, const char *threads, const char *opt)
{
    struct stat st;
    if (stat(corpus, &st) != 0) {
        fprintf(stderr, "storebench: %s: %s\n", corpus, strerror(errno));
        return 1;
    }
    FILE *f = fopen(corpus, "rb");
    size_t lines = 0;
    int c;
    while (f && (c = getc(f)) != EOF) lines += c == '\n'; /* also warms the page cache */
    if (f) fclose(f);
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("storebench: fork");
        return 1;
    }
    if (pid == 0) {
        if (opt) execl(sayso, sayso, "ingest", store, "--quiet", "--threads", threads, opt, corpus, (char *)NULL);
        else execl(sayso, sayso, "ingest", store, "--quiet", "--threads", threads, corpus, (char *)NULL);
        perror("storebench: exec");
        _exit(127);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR) {
            perror("storebench: wait4");
            return 1;
        }
    double wall = now() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "storebench: sayso ingest failed (status %d)\n", status);
        return 1;
    }
    sqlite3 *db;
    if (sqlite3_open_v2(store, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) return 1;
    long long quotes = scalar(db, "SELECT count(*) FROM quotes");
    sqlite3_close(db);
    double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    printf("ingest  %-28s %-12s %s thread%s %7zu articles %6.1f s  %6.0f articles/s  %7.0f quotes/s  %5.1f MB/s"
           "  CPU %6.1f s = %5.0f articles per CPU s  peak RSS %.1f MB\n",
           strrchr(corpus, '/') ? strrchr(corpus, '/') + 1 : corpus, opt ? opt : "(models)", threads, strcmp(threads, "1") ? "s" : " ",
           lines, wall, lines / wall, quotes / wall, st.st_size / 1e6 / wall, cpu, cpu > 0 ? lines / cpu : 0.0,
           ru.ru_maxrss / 1024.0);
    return 0;
}

/* ---- search ------------------------------------------------------------ */

static uint64_t rng = 0x853c49e6748fea9bull;
static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Dull;
}

static const char *const FUNCTION_WORDS[] = { "about", "after", "again", "there", "their", "these", "those", "which",
                                              "would", "could", "should", "because", "where", "while", "being",
                                              "other", "every", "going", "think", "really", "people", NULL };

/* Words of 2+ ASCII letters, in order; content marks 5+ letters that are
 * not function words. */
typedef struct {
    char w[64][32];
    int content[64];
    int follows[64]; /* joined to the previous word by a single space */
    int n;
} words;

static void split(const char *t, words *ws)
{
    ws->n = 0;
    const char *p = t;
    int gap_space = 0;
    while (*p && ws->n < 64) {
        if (!isalpha((unsigned char)*p)) {
            gap_space = (*p == ' ' && gap_space == 0) ? 1 : 2;
            p++;
            continue;
        }
        const char *b = p;
        while (isalpha((unsigned char)*p)) p++;
        size_t l = (size_t)(p - b);
        if (*p && ((unsigned char)*p >= 0x80 || *p == '\'')) { /* ’s, n't: skip the word */
            while (*p && *p != ' ') p++;
            gap_space = 2;
            continue;
        }
        if (l < 2 || l > 30) { gap_space = 2; continue; }
        int k = ws->n++;
        for (size_t i = 0; i < l; i++) ws->w[k][i] = (char)tolower((unsigned char)b[i]);
        ws->w[k][l] = 0;
        ws->follows[k] = k > 0 && gap_space == 1;
        ws->content[k] = l >= 5;
        for (int f = 0; ws->content[k] && FUNCTION_WORDS[f]; f++)
            if (strcmp(ws->w[k], FUNCTION_WORDS[f]) == 0) ws->content[k] = 0;
        gap_space = 0;
    }
}

static int pick_content(const words *ws)
{
    int idx[64], n = 0;
    for (int i = 0; i < ws->n; i++)
        if (ws->content[i]) idx[n++] = i;
    return n ? idx[rnd() % (uint64_t)n] : -1;
}

enum { K_WORD, K_TWO, K_PHRASE, K_PREFIX, K_SPEAKER, K_MONTH, N_KINDS };
static const char *const KIND[N_KINDS] = { "one word", "two words", "\"a phrase\"", "prefix*", "word + --speaker",
                                           "word + --from/--to" };

static int count_hit(const sayso_hit *h, void *arg)
{
    (void)h;
    ++*(long *)arg;
    return 0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, int n, double p)
{
    if (n == 0) return 0;
    int i = (int)(p * (n - 1) + 0.5);
    return v[i];
}

/* Makes one query of kind k from a random quote; 0 if that quote cannot
 * give one (too few words, no speaker, no date). */
static int make_query(sqlite3_stmt *pick, long long maxid, int k, char *q, size_t qn, char *speaker, char *from,
                      char *to)
{
    sqlite3_bind_int64(pick, 1, 1 + (long long)(rnd() % (uint64_t)maxid));
    int ok = 0;
    if (sqlite3_step(pick) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(pick, 0);
        const char *spk = (const char *)sqlite3_column_text(pick, 1);
        const char *date = (const char *)sqlite3_column_text(pick, 2);
        static words ws;
        split(text ? text : "", &ws);
        int i = pick_content(&ws);
        speaker[0] = from[0] = to[0] = 0;
        if (i >= 0) {
            ok = 1;
            switch (k) {
            case K_WORD: snprintf(q, qn, "%s", ws.w[i]); break;
            case K_TWO: {
                int j = pick_content(&ws);
                if (j == i) j = (i + 1) % ws.n;
                snprintf(q, qn, "%s %s", ws.w[i], ws.w[j]);
                break;
            }
            case K_PHRASE: {
                int j = -1;
                for (int t = 0; t < 8 && j < 0; t++) {
                    int c = 1 + (int)(rnd() % (uint64_t)(ws.n > 1 ? ws.n - 1 : 1));
                    if (c < ws.n && ws.follows[c]) j = c;
                }
                if (j < 0) ok = 0;
                else snprintf(q, qn, "\"%s %s\"", ws.w[j - 1], ws.w[j]);
                break;
            }
            case K_PREFIX: snprintf(q, qn, "%.4s*", ws.w[i]); break;
            case K_SPEAKER:
                if (!spk) ok = 0;
                else {
                    snprintf(q, qn, "%s", ws.w[i]);
                    snprintf(speaker, 200, "%s", spk);
                }
                break;
            case K_MONTH:
                if (!date || strlen(date) < 7) ok = 0;
                else {
                    snprintf(q, qn, "%s", ws.w[i]);
                    snprintf(from, 8, "%.7s", date);
                    snprintf(to, 8, "%.7s", date);
                }
                break;
            }
        }
    }
    sqlite3_reset(pick);
    return ok;
}

static int bench_search(const char *path, int per_kind)
{
    char err[2300];
    sayso_store *st = sayso_store_open(path, SAYSO_STORE_READ, err, sizeof err);
    if (!st) {
        fprintf(stderr, "storebench: %s\n", err);
        return 1;
    }
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) return 1;
    long long maxid = scalar(db, "SELECT max(id) FROM quotes");
    long long quotes = scalar(db, "SELECT count(*) FROM quotes");
    long long quotations = scalar(db, "SELECT count(*) FROM quotations");
    long long articles = scalar(db, "SELECT count(*) FROM articles");
    sqlite3_stmt *pick;
    if (maxid <= 0 ||
        sqlite3_prepare_v2(db,
                           "SELECT q.text, s.name, a.date FROM quotes q JOIN articles a ON a.id = q.article_id"
                           " LEFT JOIN speakers s ON s.id = q.speaker_id WHERE q.id >= ?1 ORDER BY q.id LIMIT 1",
                           -1, &pick, NULL) != SQLITE_OK) {
        fprintf(stderr, "storebench: %s: empty store or not a sayso store\n", path);
        return 1;
    }
    struct stat fs;
    stat(path, &fs);
    printf("store   %s: %lld articles, %lld quotes, %lld quotations, %.2f GB (%.0f MB per million quotations,"
           " %.0f MB per million quotes)\n",
           path, articles, quotes, quotations, fs.st_size / 1e9, fs.st_size / 1e6 / (quotations / 1e6),
           fs.st_size / 1e6 / (quotes / 1e6));

    int total = per_kind * N_KINDS;
    double *all = malloc(sizeof *all * (size_t)total), *lat[N_KINDS];
    int nl[N_KINDS] = { 0 }, na = 0;
    long hits[N_KINDS] = { 0 };
    for (int k = 0; k < N_KINDS; k++) lat[k] = malloc(sizeof(double) * (size_t)per_kind);
    char q[256], speaker[200], from[8], to[8];
    /* Warm-up: the first queries read the index from disk into the page
     * cache; what is measured is a store in use. */
    for (int i = 0; i < 200; i++) {
        if (!make_query(pick, maxid, K_WORD, q, sizeof q, speaker, from, to)) continue;
        sayso_search_opts o = { .query = q, .limit = 10 };
        long h = 0;
        sayso_store_search(st, &o, count_hit, &h);
    }
    int failed = 0;
    for (int i = 0; i < total * 4 && na < total; i++) {
        int k = i % N_KINDS;
        if (nl[k] >= per_kind) continue;
        if (!make_query(pick, maxid, k, q, sizeof q, speaker, from, to)) continue;
        sayso_search_opts o = { .query = q, .limit = 10 };
        if (speaker[0]) o.speaker = speaker;
        if (from[0]) { o.from = from; o.to = to; }
        long h = 0;
        double t0 = now();
        int r = sayso_store_search(st, &o, count_hit, &h);
        double ms = (now() - t0) * 1000;
        if (r < 0) {
            if (failed++ < 5) fprintf(stderr, "storebench: query %s failed: %s\n", q, sayso_store_error(st));
            continue;
        }
        hits[k] += h;
        lat[k][nl[k]++] = ms;
        all[na++] = ms;
    }
    printf("search  %d queries, 10 hits at most each, one thread (ms)\n", na);
    printf("  %-20s %7s %7s %7s %7s %7s %9s\n", "kind", "n", "p50", "p95", "p99", "max", "hits/q");
    for (int k = 0; k < N_KINDS; k++) {
        qsort(lat[k], (size_t)nl[k], sizeof(double), cmp_d);
        printf("  %-20s %7d %7.2f %7.2f %7.2f %7.2f %9.1f\n", KIND[k], nl[k], pct(lat[k], nl[k], 0.5),
               pct(lat[k], nl[k], 0.95), pct(lat[k], nl[k], 0.99), nl[k] ? lat[k][nl[k] - 1] : 0,
               nl[k] ? (double)hits[k] / nl[k] : 0);
        free(lat[k]);
    }
    qsort(all, (size_t)na, sizeof(double), cmp_d);
    printf("  %-20s %7d %7.2f %7.2f %7.2f %7.2f\n", "all", na, pct(all, na, 0.5), pct(all, na, 0.95),
           pct(all, na, 0.99), na ? all[na - 1] : 0);
    free(all);
    sqlite3_finalize(pick);
    sqlite3_close(db);
    sayso_store_close(st);
    return failed ? 1 : 0;
}

/* ---- paths for servebench ------------------------------------------------ */

/* Appends s to out, URL-encoded (letters, digits and -._~ as they are). */
static void url_enc(char *out, size_t cap, const char *s)
{
    size_t k = strlen(out);
    for (const unsigned char *p = (const unsigned char *)s; *p && k + 4 < cap; p++) {
        if (isalnum(*p) || strchr("-._~", *p)) out[k++] = (char)*p;
        else if (*p == ' ') out[k++] = '+';
        else k += (size_t)snprintf(out + k, cap - k, "%%%02X", *p);
    }
    out[k] = 0;
}

/* The request mix of bench/serve.sh, drawn from the store's own quotes as
 * the searches above are: "KIND<TAB>PATH" lines, the kinds in turn. */
enum { P_SEARCH, P_PHRASE, P_PREFIX, P_FILTER_SPEAKER, P_FILTER_MONTH, P_PAGE2, P_SUGGEST, P_SPEAKER, P_ARTICLE,
       P_STATS, N_PATH_KINDS };
static const char *const PATH_KIND[N_PATH_KINDS] = { "search", "phrase", "prefix", "filter-speaker", "filter-month",
                                                     "page-2", "autocomplete", "speaker-page", "article-page",
                                                     "stats" };

static int bench_paths(const char *path, int n)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "storebench: %s: cannot open\n", path);
        return 1;
    }
    long long maxid = scalar(db, "SELECT max(id) FROM quotes");
    sqlite3_stmt *pick, *who;
    if (maxid <= 0 ||
        sqlite3_prepare_v2(db,
                           "SELECT q.text, s.name, a.date FROM quotes q JOIN articles a ON a.id = q.article_id"
                           " LEFT JOIN speakers s ON s.id = q.speaker_id WHERE q.id >= ?1 ORDER BY q.id LIMIT 1",
                           -1, &pick, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT speaker_id, article_id FROM quotes WHERE id >= ?1 ORDER BY id LIMIT 1", -1,
                           &who, NULL) != SQLITE_OK) {
        fprintf(stderr, "storebench: %s: empty store or not a sayso store\n", path);
        return 1;
    }
    static const int as_query[N_PATH_KINDS] = { K_WORD, K_PHRASE, K_PREFIX, K_SPEAKER, K_MONTH, K_WORD, -1, -1, -1, -1 };
    char q[256], speaker[200], from[8], to[8], out[1024];
    int made = 0;
    for (int i = 0; made < n && i < n * 20; i++) {
        int k = made % N_PATH_KINDS;
        out[0] = 0;
        if (as_query[k] >= 0) {
            if (!make_query(pick, maxid, as_query[k], q, sizeof q, speaker, from, to)) continue;
            snprintf(out, sizeof out, "/api/search?q=");
            url_enc(out, sizeof out, q);
            if (speaker[0]) {
                snprintf(out + strlen(out), sizeof out - strlen(out), "&speaker=");
                url_enc(out, sizeof out, speaker);
            }
            if (from[0]) snprintf(out + strlen(out), sizeof out - strlen(out), "&from=%s&to=%s", from, to);
            if (k == P_PAGE2) snprintf(out + strlen(out), sizeof out - strlen(out), "&page=2");
        } else if (k == P_STATS) {
            snprintf(out, sizeof out, "/api/stats");
        } else {
            sqlite3_bind_int64(who, 1, 1 + (long long)(rnd() % (uint64_t)maxid));
            long long sp = -1, art = -1;
            if (sqlite3_step(who) == SQLITE_ROW) {
                if (sqlite3_column_type(who, 0) != SQLITE_NULL) sp = sqlite3_column_int64(who, 0);
                art = sqlite3_column_int64(who, 1);
            }
            sqlite3_reset(who);
            if (k == P_ARTICLE) {
                if (art < 0) continue;
                snprintf(out, sizeof out, "/api/articles/%lld", art);
            } else if (k == P_SPEAKER) {
                if (sp < 0) continue;
                snprintf(out, sizeof out, "/api/speakers/%lld", sp);
            } else { /* the first letters of a quoted speaker, as one types them */
                if (!make_query(pick, maxid, K_SPEAKER, q, sizeof q, speaker, from, to)) continue;
                size_t len = 2 + (size_t)(rnd() % 3);
                while (len < strlen(speaker) && ((unsigned char)speaker[len] & 0xC0) == 0x80) len++; /* whole characters */
                speaker[len] = 0;
                snprintf(out, sizeof out, "/api/speakers?limit=8&prefix=");
                url_enc(out, sizeof out, speaker);
            }
        }
        printf("%s\t%s\n", PATH_KIND[k], out);
        made++;
    }
    sqlite3_finalize(pick);
    sqlite3_finalize(who);
    sqlite3_close(db);
    return made == n ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && argc <= 7 && strcmp(argv[1], "ingest") == 0)
        return bench_ingest(argv[2], argv[3], argv[4], argc >= 6 ? argv[5] : "1", argc == 7 ? argv[6] : NULL);
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "search") == 0)
        return bench_search(argv[2], argc == 4 ? atoi(argv[3]) > 0 ? atoi(argv[3]) : 200 : 200);
    if (argc == 4 && strcmp(argv[1], "paths") == 0) return bench_paths(argv[2], atoi(argv[3]));
    fprintf(stderr, "usage: storebench ingest SAYSO STORE CORPUS.jsonl [THREADS [OPTION]]\n"
                    "       storebench search STORE [QUERIES_PER_KIND]\n"
                    "       storebench paths STORE N   (the request mix of bench/serve.sh)\n");
    return 2;
}
