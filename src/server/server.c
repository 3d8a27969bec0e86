/*
 * server.c — the JSON API over HTTP (libmicrohttpd).
 *
 * Every route is a GET without a body, answered when the request is
 * complete (the second callback), which keeps connections alive.
 *
 * Requests for the API do not run on libmicrohttpd's thread: it only
 * moves bytes. Each one is suspended and put on a bounded queue; a fixed
 * set of workers, each with a read-only store connection of its own
 * (SQLite connections are opened without their own mutex), takes them in
 * order, answers, and resumes the connection. So:
 *   - a slow request occupies one worker, never the connections of others;
 *   - every search and report has a time budget (the store's progress
 *     handler stops it): past it, 503 with a message;
 *   - when the queue is full, or a request waited there longer than the
 *     budget, 503 with Retry-After at once instead of a timeout;
 *   - memory is the workers' page caches (cache_kb each) and the shared
 *     map of the file (mmap_mb), whatever the load or the store's size.
 * The page and /healthz are answered on libmicrohttpd's thread.
 *
 * What a client may send is bounded before the store sees it: the request
 * line and headers by the connection memory limit (libmicrohttpd answers
 * 414 or 431 itself), each parameter's length, page and page size, and
 * every parameter must be valid UTF-8.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cJSON.h>
#include <microhttpd.h>
#include <sqlite3.h>
#include <utf8proc.h>
#include "server.h"
#include "store.h"
#include "web.h"

#define WORKERS_MAX 64
#define MAX_QUERY 512   /* bytes of q */
#define MAX_NAME 200    /* bytes of speaker, prefix */
#define MAX_PAGE 100
#define MAX_PER_PAGE 50
#define MAX_REPORTS 1000 /* of one quotation, in /api/quotes/ID */
#define MAX_ARGS 16     /* query parameters kept; no route reads more than 8 */

/* An API request on its way through the queue: what it asked (copied: a
 * suspended connection is not to be read from another thread) and, once
 * a worker is done, the answer. */
typedef struct job {
    struct MHD_Connection *c;
    char *url;
    int nargs;
    char *keys[MAX_ARGS], *vals[MAX_ARGS];
    double queued; /* ms, monotonic */
    unsigned status;
    char *body;    /* JSON, owned */
    int retry;     /* send Retry-After: 1 */
    struct job *next;
} job;

struct sayso_server {
    struct MHD_Daemon *daemon;
    char db[4096];
    int port;
    int budget_ms, queue_max;
    pthread_mutex_t mu;
    pthread_cond_t ready[2]; /* [0]: the quick-lane worker waits here, [1]: the others */
    /* Two queues: the quick lane (stats, autocomplete, an article:
     * maintained rows and index seeks, well under a millisecond) and the
     * rest (searches, speaker pages, most quoted, every report of a
     * quotation). Worker 0 takes only quick requests, the others quick
     * ones first: a burst of slow searches never holds up the page's
     * autocomplete or stats. */
    job *head[2], *tail[2];
    int queued[2], stopping; /* each lane holds queue_max at most */
    int n_workers, n_workers_planned;
    pthread_t workers[WORKERS_MAX];
    sayso_store *stores[WORKERS_MAX];
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- responses ---------------------------------------------------------- */

static int valid_utf8(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s);
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, n, &cp);
        if (k <= 0) return 0;
        p += k;
        n -= k;
    }
    return 1;
}

/* Cuts s at its first byte that does not start a valid UTF-8 sequence. */
static void cut_utf8(char *s)
{
    utf8proc_uint8_t *p = (utf8proc_uint8_t *)s;
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s);
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, n, &cp);
        if (k <= 0) {
            *p = 0;
            return;
        }
        p += k;
        n -= k;
    }
}


static void secure(struct MHD_Response *r, const char *type, const char *cache)
{
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
    MHD_add_response_header(r, "Cache-Control", cache);
}

/* A JSON answer for the job (body consumed). */
static void reply_json(job *j, unsigned status, cJSON *body)
{
    j->status = status;
    j->body = body ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
}

/* The one error shape: {"error": {"status": 400, "message": "..."}}. */
static cJSON *error_body(unsigned status, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* Messages quote what the client sent, maybe cut in the middle of a
     * character: keep them valid UTF-8. */
    cut_utf8(msg);
    cJSON *o = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(o, "error");
    cJSON_AddNumberToObject(e, "status", status);
    cJSON_AddStringToObject(e, "message", msg);
    return o;
}

static void reply_error(job *j, unsigned status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reply_json(j, status, error_body(status, fmt, ap));
    va_end(ap);
}

/* Sends a JSON text (consumed) with status. */
static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, char *txt, int retry)
{
    if (!txt) return MHD_NO; /* out of memory: drop the connection */
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(txt), txt, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(txt);
        return MHD_NO;
    }
    secure(r, "application/json; charset=utf-8", "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(r, "Allow", "GET, HEAD");
    if (retry) MHD_add_response_header(r, "Retry-After", "1");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, cJSON *body, int retry)
{
    char *txt = body ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    return send_text(c, status, txt, retry);
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, int retry, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cJSON *o = error_body(status, fmt, ap);
    va_end(ap);
    return send_json(c, status, o, retry);
}

/* A file of the page, by its exact name: nothing else is served, so no
 * path ("/../etc/passwd", "//x", "/%2e%2e/") reaches the file system. */
static enum MHD_Result send_file(struct MHD_Connection *c, const char *path)
{
    for (const sayso_web_file *f = sayso_web_files; f->path; f++) {
        if (strcmp(f->path, path) != 0) continue;
        struct MHD_Response *r =
            MHD_create_response_from_buffer(f->len, (void *)f->data, MHD_RESPMEM_PERSISTENT);
        if (!r) return MHD_NO;
        secure(r, f->type, "no-cache");
        enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
        MHD_destroy_response(r);
        return ret;
    }
    return send_error(c, MHD_HTTP_NOT_FOUND, 0, "no such page: %.200s", path);
}

/* ---- parameters ----------------------------------------------------------- */

static enum MHD_Result copy_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    job *j = cls;
    if (j->nargs >= MAX_ARGS || !key) return MHD_YES;
    j->keys[j->nargs] = strdup(key);
    j->vals[j->nargs] = value ? strdup(value) : NULL;
    if (j->keys[j->nargs]) j->nargs++;
    else free(j->vals[j->nargs]);
    return MHD_YES;
}

static const char *arg(const job *j, const char *name)
{
    for (int i = 0; i < j->nargs; i++)
        if (strcmp(j->keys[i], name) == 0) return j->vals[i];
    return NULL;
}

static void job_free(job *j)
{
    if (!j) return;
    for (int i = 0; i < j->nargs; i++) {
        free(j->keys[i]);
        free(j->vals[i]);
    }
    free(j->url);
    free(j->body);
    free(j);
}

typedef struct {
    const job *j;
    const char *bad; /* the first parameter that is not acceptable */
    char why[160];
} params;

/* A text parameter, or NULL when absent or empty; sets p->bad when it is
 * too long or not UTF-8. */
static const char *text_param(params *p, const char *name, size_t max)
{
    const char *v = arg(p->j, name);
    if (!v || !*v || p->bad) return NULL;
    if (strlen(v) > max) {
        p->bad = name;
        snprintf(p->why, sizeof p->why, "'%s' is longer than %zu bytes", name, max);
        return NULL;
    }
    if (!valid_utf8(v)) {
        p->bad = name;
        snprintf(p->why, sizeof p->why, "'%s' is not valid UTF-8", name);
        return NULL;
    }
    return v;
}

/* A whole number from lo to hi, or def when absent. */
static long num_param(params *p, const char *name, long lo, long hi, long def)
{
    const char *v = arg(p->j, name);
    if (!v || p->bad) return def;
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi) {
        p->bad = name;
        snprintf(p->why, sizeof p->why, "'%s' must be a whole number from %ld to %ld", name, lo, hi);
        return def;
    }
    return n;
}

/* ---- routes ------------------------------------------------------------------ */

typedef struct {
    cJSON *results;
} hits_out;

static void add_str_or_null(cJSON *o, const char *k, const char *v)
{
    if (v) cJSON_AddStringToObject(o, k, v);
    else cJSON_AddNullToObject(o, k);
}

static int add_hit(const sayso_hit *h, void *arg)
{
    hits_out *o = arg;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "id", (double)h->id);
    cJSON_AddStringToObject(j, "quote", h->text ? h->text : "");
    cJSON_AddStringToObject(j, "type", sayso_quote_type_name(h->type));
    add_str_or_null(j, "speaker", h->n_speakers && h->speakers[0].name ? h->speakers[0].name : NULL);
    cJSON *sp = cJSON_AddArrayToObject(j, "speakers");
    for (int i = 0; i < h->n_speakers; i++) {
        cJSON *x = cJSON_CreateObject();
        add_str_or_null(x, "name", h->speakers[i].name);
        cJSON_AddNumberToObject(x, "count", (double)h->speakers[i].count);
        cJSON_AddItemToArray(sp, x);
    }
    add_str_or_null(j, "first_seen", h->first_seen);
    cJSON_AddNumberToObject(j, "articles", (double)h->n_articles);
    cJSON *f = cJSON_AddObjectToObject(j, "first_report");
    const char *fv[6] = { h->doc, h->date, h->url, h->title, h->site, h->context };
    const char *fk[6] = { "doc", "date", "url", "title", "site", "context" };
    for (int i = 0; i < 6; i++) add_str_or_null(f, fk[i], fv[i]);
    cJSON_AddNumberToObject(f, "article", (double)h->article);
    add_str_or_null(j, "channel", h->channel);
    cJSON_AddItemToArray(o->results, j);
    return 0;
}

/* Store errors that are the request's fault start with these words. */
static int user_error(const char *msg)
{
    static const char *const starts[] = { "bad query", "bad date", "bad channel", "no speaker", "empty query",
                                          "date range", NULL };
    for (int i = 0; starts[i]; i++)
        if (strncmp(msg, starts[i], strlen(starts[i])) == 0) return 1;
    return 0;
}

/* A failed search or report: the client's fault (400), its budget spent
 * (503: narrower words or filters will do), or the store's (500). */
static void store_failed(job *j, sayso_store *st)
{
    const char *m = sayso_store_error(st);
    if (sayso_store_over_budget(st)) reply_error(j, MHD_HTTP_SERVICE_UNAVAILABLE, "%s", m);
    else if (user_error(m)) reply_error(j, MHD_HTTP_BAD_REQUEST, "%s", m);
    else reply_error(j, MHD_HTTP_INTERNAL_SERVER_ERROR, "the store could not be read");
}

static void route_search(job *jb, sayso_store *st)
{
    params p = { .j = jb };
    sayso_search_opts o = { 0 };
    o.query = text_param(&p, "q", MAX_QUERY);
    o.speaker = text_param(&p, "speaker", MAX_NAME);
    o.from = text_param(&p, "from", 10);
    o.to = text_param(&p, "to", 10);
    o.channel = text_param(&p, "channel", 40);
    long page = num_param(&p, "page", 1, MAX_PAGE, 1), per = num_param(&p, "per_page", 1, MAX_PER_PAGE, 10);
    if (p.bad) return reply_error(jb, MHD_HTTP_BAD_REQUEST, "%s", p.why);
    if (!o.query) return reply_error(jb, MHD_HTTP_BAD_REQUEST, "'q' is missing: what to search for");
    /* Only this page's hits get their details read; whether another
     * page follows comes from the ranked candidates. */
    int more = 0;
    o.offset = (int)((page - 1) * per);
    o.limit = (int)per;
    o.has_more = &more;
    hits_out h = { cJSON_CreateArray() };
    if (sayso_store_search(st, &o, add_hit, &h) < 0) {
        cJSON_Delete(h.results);
        return store_failed(jb, st);
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "q", o.query);
    cJSON_AddNumberToObject(out, "page", (double)page);
    cJSON_AddNumberToObject(out, "per_page", (double)per);
    cJSON_AddBoolToObject(out, "has_more", more);
    cJSON_AddItemToObject(out, "results", h.results);
    reply_json(jb, MHD_HTTP_OK, out);
}

/* Report rows as JSON objects: counts and ids as numbers, the JSON
 * columns as JSON, the rest as strings. */
static int is_numeric_column(const char *name)
{
    static const char *const num[] = { "id", "quotes", "quotations", "articles", "speakers", "quotation", "ord",
                                       "speaker_age", "confidence", "bytes", "quotes_without_speaker", "article",
                                       "speaker_id", "cue_start", "cue_end", "source_start", "source_end", NULL };
    for (int i = 0; num[i]; i++)
        if (strcmp(name, num[i]) == 0) return 1;
    return 0;
}

typedef struct {
    cJSON *rows;
    int max, n, more; /* max: rows kept at most (0: all); more: some were left out */
} rows_out;

static int add_row(int nc, const char *const *names, const char *const *vals, void *arg)
{
    rows_out *o = arg;
    if (o->max && o->n >= o->max) {
        o->more = 1;
        return 1;
    }
    o->n++;
    cJSON *r = cJSON_CreateObject();
    for (int i = 0; i < nc; i++) {
        if (!vals[i]) cJSON_AddNullToObject(r, names[i]);
        else if (is_numeric_column(names[i])) cJSON_AddNumberToObject(r, names[i], strtod(vals[i], NULL));
        else if (strcmp(names[i], "content") == 0 || strcmp(names[i], "descriptors") == 0) {
            cJSON *j = cJSON_Parse(vals[i]);
            if (j) cJSON_AddItemToObject(r, names[i], j);
            else cJSON_AddStringToObject(r, names[i], vals[i]);
        } else cJSON_AddStringToObject(r, names[i], vals[i]);
    }
    cJSON_AddItemToArray(o->rows, r);
    return 0;
}

/* The rows of a report as a JSON array, or NULL when the store fails. */
static cJSON *report_rows(sayso_store *st, sayso_report which, long long n)
{
    rows_out o = { cJSON_CreateArray(), 0, 0, 0 };
    if (sayso_store_report(st, which, NULL, n, add_row, &o) < 0) {
        cJSON_Delete(o.rows);
        return NULL;
    }
    return o.rows;
}

/* One object (the first row of `one`) with arrays of other reports in it:
 * a speaker page, an article page. 404 when there is no such row. */
static void route_page(job *jb, sayso_store *st, const char *what, long long id, sayso_report one,
                       const sayso_report *parts, const char *const *keys, int n_parts)
{
    cJSON *rows = report_rows(st, one, id);
    if (!rows) return store_failed(jb, st);
    cJSON *out = cJSON_DetachItemFromArray(rows, 0);
    cJSON_Delete(rows);
    if (!out) return reply_error(jb, MHD_HTTP_NOT_FOUND, "no %s %lld", what, id);
    cJSON *text = cJSON_GetObjectItem(out, "text");
    if (one == SAYSO_REPORT_ARTICLE && cJSON_IsString(text)) {
        /* Where the body starts, after a " date YYYY-MM-DD " first line, in
         * code points as the spans count: the page shows the body only,
         * and the spans stay those of the stored text. */
        char date[11];
        size_t b = sayso_parse_date_header(text->valuestring, strlen(text->valuestring), date), cps = 0;
        for (size_t i = 0; i < b; i++) cps += ((unsigned char)text->valuestring[i] & 0xC0) != 0x80;
        cJSON_AddNumberToObject(out, "body_start", (double)cps);
    }
    for (int i = 0; i < n_parts; i++) {
        cJSON *p = report_rows(st, parts[i], id);
        if (!p) {
            cJSON_Delete(out);
            return store_failed(jb, st);
        }
        cJSON_AddItemToObject(out, keys[i], p);
    }
    reply_json(jb, MHD_HTTP_OK, out);
}

static void route_report(job *jb, sayso_store *st, sayso_report which, const char *param, long long n,
                         const char *key)
{
    /* A quotation reported ten thousand times would be megabytes: its
     * first MAX_REPORTS reports, and "more": true. */
    rows_out o = { cJSON_CreateArray(), which == SAYSO_REPORT_QUOTE ? MAX_REPORTS : 0, 0, 0 };
    long long rows = sayso_store_report(st, which, param, n, add_row, &o);
    if (rows < 0) {
        cJSON_Delete(o.rows);
        return store_failed(jb, st);
    }
    if (which == SAYSO_REPORT_QUOTE && rows == 0) {
        cJSON_Delete(o.rows);
        return reply_error(jb, MHD_HTTP_NOT_FOUND, "no quotation %lld", n);
    }
    cJSON *out;
    if (which == SAYSO_REPORT_STATS) {
        out = cJSON_DetachItemFromArray(o.rows, 0);
        cJSON_Delete(o.rows);
        if (!out) out = cJSON_CreateObject();
    } else {
        out = cJSON_CreateObject();
        if (which == SAYSO_REPORT_QUOTE) {
            cJSON_AddNumberToObject(out, "id", (double)n);
            cJSON_AddBoolToObject(out, "more", o.more);
        }
        cJSON_AddItemToObject(out, key, o.rows);
    }
    reply_json(jb, MHD_HTTP_OK, out);
}

/* "/api/quotes/123" → 123; -1 when the rest is not a plain positive number. */
static long long id_after(const char *url, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(url, prefix, n) != 0) return -1;
    const char *p = url + n;
    if (!*p || strlen(p) > 18) return -1;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9') return -1;
    long long v = atoll(p);
    return v > 0 ? v : -1;
}

/* Answers an API request with the worker's store connection. */
static void route(job *jb, sayso_store *st)
{
    const char *url = jb->url;
    long long id;
    if (strcmp(url, "/api/search") == 0) {
        route_search(jb, st);
    } else if (strcmp(url, "/api/stats") == 0) {
        route_report(jb, st, SAYSO_REPORT_STATS, NULL, 0, "stats");
    } else if (strcmp(url, "/api/speakers") == 0) {
        /* With a prefix, names and counts only: what the speaker filter
         * suggests as one types. Without, the most quoted, profiled. */
        params p = { .j = jb };
        const char *prefix = text_param(&p, "prefix", MAX_NAME);
        long n = num_param(&p, "limit", 1, MAX_PER_PAGE, 10);
        if (p.bad) reply_error(jb, MHD_HTTP_BAD_REQUEST, "%s", p.why);
        else route_report(jb, st, prefix ? SAYSO_REPORT_NAMES : SAYSO_REPORT_SPEAKERS, prefix, n, "speakers");
    } else if ((id = id_after(url, "/api/quotes/")) > 0) {
        route_report(jb, st, SAYSO_REPORT_QUOTE, NULL, id, "reports");
    } else if ((id = id_after(url, "/api/speakers/")) > 0) {
        static const sayso_report parts[] = { SAYSO_REPORT_SPEAKER_MONTHS, SAYSO_REPORT_SPEAKER_QUOTES };
        static const char *const keys[] = { "months", "latest" };
        route_page(jb, st, "speaker", id, SAYSO_REPORT_SPEAKER, parts, keys, 2);
    } else if ((id = id_after(url, "/api/articles/")) > 0) {
        static const sayso_report parts[] = { SAYSO_REPORT_ARTICLE_QUOTES };
        static const char *const keys[] = { "quotes" };
        route_page(jb, st, "article", id, SAYSO_REPORT_ARTICLE, parts, keys, 1);
    } else if (strncmp(url, "/api/quotes/", 12) == 0 || strncmp(url, "/api/speakers/", 14) == 0 ||
               strncmp(url, "/api/articles/", 14) == 0) {
        reply_error(jb, MHD_HTTP_NOT_FOUND, "no such id '%.40s': ids are positive numbers", strrchr(url, '/') + 1);
    } else {
        reply_error(jb, MHD_HTTP_NOT_FOUND, "no such API: %.200s", url);
    }
}

/* ---- the queue and its workers ------------------------------------------------ */

typedef struct {
    sayso_server *s;
    int i;
} worker_arg;

static void *worker(void *arg)
{
    sayso_server *s = ((worker_arg *)arg)->s;
    sayso_store *st = s->stores[((worker_arg *)arg)->i];
    int quick_only = ((worker_arg *)arg)->i == 0 && s->n_workers_planned > 1;
    free(arg);
    for (;;) {
        pthread_mutex_lock(&s->mu);
        int lanes = quick_only ? 1 : 2;
        for (;;) {
            if (s->head[0] || (lanes > 1 && s->head[1]) || s->stopping) break;
            pthread_cond_wait(&s->ready[quick_only ? 0 : 1], &s->mu);
        }
        int lane = s->head[0] ? 0 : 1;
        job *j = lane < lanes ? s->head[lane] : NULL;
        if (!j) { /* stopping, and nothing left */
            pthread_mutex_unlock(&s->mu);
            return NULL;
        }
        s->head[lane] = j->next;
        if (!s->head[lane]) s->tail[lane] = NULL;
        s->queued[lane]--;
        int stopping = s->stopping;
        pthread_mutex_unlock(&s->mu);
        /* A request that waited its whole budget would answer too late to
         * matter: the client is told to come back instead. */
        if (stopping) {
            reply_error(j, MHD_HTTP_SERVICE_UNAVAILABLE, "the server is stopping");
        } else if (s->budget_ms > 0 && now_ms() - j->queued > s->budget_ms) {
            reply_error(j, MHD_HTTP_SERVICE_UNAVAILABLE, "busy: too many requests at once; try again");
            j->retry = 1;
        } else {
            /* One snapshot per request: a page of hits, has_more and each
             * hit's details agree with each other while an ingest writes. */
            sayso_store_snapshot_begin(st);
            route(j, st);
            sayso_store_snapshot_end(st);
        }
        MHD_resume_connection(j->c);
    }
}

/* What *req points to once the headers are in and no job is pending. */
static int headers_seen;

/* A connection that closed while its request was queued never comes back
 * to on_request: its job is freed here. */
static void on_completed(void *cls, struct MHD_Connection *c, void **req, enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)c;
    (void)why;
    if (*req && *req != &headers_seen) job_free(*req);
    *req = NULL;
}

/* Requests answered from maintained rows or a few index seeks: the quick
 * lane. */
static int quick(const job *j)
{
    return strcmp(j->url, "/api/stats") == 0 || (strcmp(j->url, "/api/speakers") == 0 && arg(j, "prefix")) ||
           strncmp(j->url, "/api/articles/", 14) == 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **req)
{
    (void)version;
    (void)upload_data;
    sayso_server *s = cls;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        *upload_data_size = 0; /* the body is not read: the answer is the same */
        return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, 0, "only GET and HEAD");
    }
    /* The first call comes with the headers; answering then would be an
     * early answer, after which libmicrohttpd closes the connection. The
     * second comes when the (empty) request is complete: answering then
     * keeps the connection alive for the next request. A third comes
     * when a worker has answered a queued request and resumed it. */
    if (*req == NULL) {
        *req = &headers_seen;
        return MHD_YES;
    }
    if (*req != &headers_seen) {
        job *j = *req;
        *req = &headers_seen;
        char *body = j->body;
        j->body = NULL;
        enum MHD_Result ret = send_text(c, j->status, body, j->retry);
        job_free(j);
        return ret;
    }
    if (!valid_utf8(url)) return send_error(c, MHD_HTTP_BAD_REQUEST, 0, "the path is not valid UTF-8");
    if (strcmp(url, "/healthz") == 0) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "ok", 1);
        return send_json(c, MHD_HTTP_OK, o, 0);
    }
    if (strncmp(url, "/api/", 5) != 0) return send_file(c, strcmp(url, "/") == 0 ? "/index.html" : url);

    job *j = calloc(1, sizeof *j);
    if (!j || !(j->url = strdup(url))) {
        free(j);
        return MHD_NO;
    }
    j->c = c;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, copy_arg, j);
    j->queued = now_ms();
    int lane = quick(j) ? 0 : 1;
    pthread_mutex_lock(&s->mu);
    if (s->queued[lane] >= s->queue_max || s->stopping) {
        pthread_mutex_unlock(&s->mu);
        job_free(j);
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, 1, "busy: too many requests at once; try again");
    }
    /* Suspended before a worker can see it, so that its resume always
     * comes after. */
    MHD_suspend_connection(c);
    if (s->tail[lane]) s->tail[lane]->next = j;
    else s->head[lane] = j;
    s->tail[lane] = j;
    s->queued[lane]++;
    /* One worker wakes, not all of them to fight for the lock: one of
     * the others, and for a quick job the quick lane's own too, which may
     * be the only one idle. */
    pthread_cond_signal(&s->ready[1]);
    if (lane == 0) pthread_cond_signal(&s->ready[0]);
    pthread_mutex_unlock(&s->mu);
    *req = j;
    return MHD_YES;
}

/* ---- life cycle --------------------------------------------------------------- */

sayso_server *sayso_server_start(const sayso_serve_opts *o, char *err, size_t errlen)
{
    sayso_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(s->db, sizeof s->db, "%s", o->db);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->ready[0], NULL);
    pthread_cond_init(&s->ready[1], NULL);
    /* SQLite keeps memory statistics under one lock for the whole
     * process, taken on every allocation: with several workers, a few per
     * cent of the server's time went to that lock. sayso reads none of
     * them. (Settable only before SQLite's first use in the process;
     * later, it fails and changes nothing.) */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int workers = o->threads > 0 ? o->threads : cpus > 1 ? (int)cpus * 2 : 2;
    if (workers > WORKERS_MAX) workers = WORKERS_MAX;
    s->budget_ms = o->budget_ms > 0 ? o->budget_ms : o->budget_ms < 0 ? 0 : SAYSO_SERVE_BUDGET_MS;
    s->queue_max = o->queue > 0 ? o->queue : SAYSO_SERVE_QUEUE;
    long long cache_kb = o->cache_mb > 0 ? (long long)o->cache_mb * 1024 : SAYSO_SERVE_CACHE_MB * 1024LL;
    long long mmap = o->mmap_mb > 0 ? (long long)o->mmap_mb << 20 : o->mmap_mb < 0 ? 0 : (long long)SAYSO_SERVE_MMAP_MB << 20;
    /* Every worker's connection, opened now: a wrong path or a file that
     * is no store is an error at start, not a 500 on every request. */
    for (int i = 0; i < workers; i++) {
        sayso_store *st = sayso_store_open(s->db, SAYSO_STORE_READ, err, errlen);
        if (!st) {
            sayso_server_stop(s);
            return NULL;
        }
        s->stores[i] = st;
        if (sayso_store_set_memory(st, cache_kb, mmap) < 0) {
            snprintf(err, errlen, "%s", sayso_store_error(st));
            sayso_server_stop(s);
            return NULL;
        }
        sayso_store_set_budget(st, s->budget_ms);
    }

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    const char *bind = o->bind ? o->bind : "127.0.0.1";
    if (inet_pton(AF_INET, bind, &addr.sin_addr) != 1) {
        snprintf(err, errlen, "bad address '%.100s' for --bind: an IPv4 address such as 127.0.0.1", bind);
        sayso_server_stop(s);
        return NULL;
    }
    s->n_workers_planned = workers;
    for (int i = 0; i < workers; i++) {
        worker_arg *a = malloc(sizeof *a);
        if (!a) break;
        a->s = s;
        a->i = i;
        if (pthread_create(&s->workers[i], NULL, worker, a) != 0) {
            free(a);
            break;
        }
        s->n_workers++;
    }
    if (s->n_workers == 0) {
        snprintf(err, errlen, "cannot start worker threads");
        sayso_server_stop(s);
        return NULL;
    }
    /* One thread moves the bytes of every connection (epoll): the work is
     * the workers'. */
    s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME, 0, NULL,
                                 NULL, on_request, s,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                                 MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
                                 MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, errlen, "cannot listen on %s:%d (in use, or not an address of this machine)", bind, o->port);
        sayso_server_stop(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : o->port;
    return s;
}

int sayso_server_port(const sayso_server *s)
{
    return s->port;
}

void sayso_server_stop(sayso_server *s)
{
    if (!s) return;
    /* The workers answer what is queued ("stopping") and resume those
     * connections; then the daemon can close them all. */
    pthread_mutex_lock(&s->mu);
    s->stopping = 1;
    pthread_cond_broadcast(&s->ready[0]);
    pthread_cond_broadcast(&s->ready[1]);
    pthread_mutex_unlock(&s->mu);
    for (int i = 0; i < s->n_workers; i++) pthread_join(s->workers[i], NULL);
    if (s->daemon) MHD_stop_daemon(s->daemon);
    for (int i = 0; i < WORKERS_MAX; i++) sayso_store_close(s->stores[i]);
    pthread_cond_destroy(&s->ready[0]);
    pthread_cond_destroy(&s->ready[1]);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
