/*
 * server.c — the JSON API over HTTP (libmicrohttpd).
 *
 * Every route is a GET without a body, answered when the request is
 * complete (the second callback), which keeps connections alive. Store connections are read-only and pooled: a worker
 * borrows one for the request and gives it back, so there are at most as
 * many as requests in flight, and each is only used by one thread at a
 * time (SQLite connections are opened without their own mutex).
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
#include <unistd.h>
#include <cJSON.h>
#include <microhttpd.h>
#include <utf8proc.h>
#include "server.h"
#include "store.h"
#include "web.h"

#define POOL_MAX 64
#define MAX_QUERY 512   /* bytes of q */
#define MAX_NAME 200    /* bytes of speaker, prefix */
#define MAX_PAGE 100
#define MAX_PER_PAGE 50

struct sayso_server {
    struct MHD_Daemon *daemon;
    char db[4096];
    pthread_mutex_t mu;
    sayso_store *pool[POOL_MAX];
    int n_pool;
    int port;
};

/* ---- store connections ----------------------------------------------- */

static sayso_store *borrow(sayso_server *s, char *err, size_t errlen)
{
    sayso_store *st = NULL;
    pthread_mutex_lock(&s->mu);
    if (s->n_pool > 0) st = s->pool[--s->n_pool];
    pthread_mutex_unlock(&s->mu);
    return st ? st : sayso_store_open(s->db, SAYSO_STORE_READ, err, errlen);
}

static void give_back(sayso_server *s, sayso_store *st)
{
    pthread_mutex_lock(&s->mu);
    if (s->n_pool < POOL_MAX) {
        s->pool[s->n_pool++] = st;
        st = NULL;
    }
    pthread_mutex_unlock(&s->mu);
    sayso_store_close(st);
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

/* Sends body (consumed) with status. */
static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, cJSON *body)
{
    char *txt = body ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    if (!txt) return MHD_NO; /* out of memory: drop the connection */
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(txt), txt, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(txt);
        return MHD_NO;
    }
    secure(r, "application/json; charset=utf-8", "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(r, "Allow", "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* The one error shape: {"error": {"status": 400, "message": "..."}}. */
static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Messages quote what the client sent, maybe cut in the middle of a
     * character: keep them valid UTF-8. */
    cut_utf8(msg);
    cJSON *o = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(o, "error");
    cJSON_AddNumberToObject(e, "status", status);
    cJSON_AddStringToObject(e, "message", msg);
    return send_json(c, status, o);
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
    return send_error(c, MHD_HTTP_NOT_FOUND, "no such page: %.200s", path);
}

/* ---- parameters ----------------------------------------------------------- */

typedef struct {
    struct MHD_Connection *c;
    const char *bad; /* the first parameter that is not acceptable */
    char why[160];
} params;

/* A text parameter, or NULL when absent or empty; sets p->bad when it is
 * too long or not UTF-8. */
static const char *text_param(params *p, const char *name, size_t max)
{
    const char *v = MHD_lookup_connection_value(p->c, MHD_GET_ARGUMENT_KIND, name);
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
    const char *v = MHD_lookup_connection_value(p->c, MHD_GET_ARGUMENT_KIND, name);
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
    int skip, take, seen;
} hits_out;

static int add_hit(const sayso_hit *h, void *arg)
{
    hits_out *o = arg;
    if (o->seen++ < o->skip) return 0;
    if (o->take-- <= 0) return 1; /* one more than the page: there is a next one */
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "id", (double)h->id);
    cJSON_AddStringToObject(j, "quote", h->text ? h->text : "");
    cJSON_AddStringToObject(j, "type", sayso_quote_type_name(h->type));
    const char *who = h->n_speakers && h->speakers[0].name ? h->speakers[0].name : NULL;
    if (who) cJSON_AddStringToObject(j, "speaker", who);
    else cJSON_AddNullToObject(j, "speaker");
    cJSON *sp = cJSON_AddArrayToObject(j, "speakers");
    for (int i = 0; i < h->n_speakers; i++) {
        cJSON *x = cJSON_CreateObject();
        if (h->speakers[i].name) cJSON_AddStringToObject(x, "name", h->speakers[i].name);
        else cJSON_AddNullToObject(x, "name");
        cJSON_AddNumberToObject(x, "count", (double)h->speakers[i].count);
        cJSON_AddItemToArray(sp, x);
    }
    if (h->first_seen) cJSON_AddStringToObject(j, "first_seen", h->first_seen);
    else cJSON_AddNullToObject(j, "first_seen");
    cJSON_AddNumberToObject(j, "articles", (double)h->n_articles);
    cJSON *f = cJSON_AddObjectToObject(j, "first_report");
    const char *fv[4] = { h->doc, h->date, h->url, h->context };
    const char *fk[4] = { "doc", "date", "url", "context" };
    for (int i = 0; i < 4; i++) {
        if (fv[i]) cJSON_AddStringToObject(f, fk[i], fv[i]);
        else cJSON_AddNullToObject(f, fk[i]);
    }
    cJSON_AddNumberToObject(f, "article", (double)h->article);
    if (h->channel) cJSON_AddStringToObject(j, "channel", h->channel);
    else cJSON_AddNullToObject(j, "channel");
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

static enum MHD_Result route_search(struct MHD_Connection *c, sayso_store *st)
{
    params p = { .c = c };
    sayso_search_opts o = { 0 };
    o.query = text_param(&p, "q", MAX_QUERY);
    o.speaker = text_param(&p, "speaker", MAX_NAME);
    o.from = text_param(&p, "from", 10);
    o.to = text_param(&p, "to", 10);
    o.channel = text_param(&p, "channel", 40);
    long page = num_param(&p, "page", 1, MAX_PAGE, 1), per = num_param(&p, "per_page", 1, MAX_PER_PAGE, 10);
    if (p.bad) return send_error(c, MHD_HTTP_BAD_REQUEST, "%s", p.why);
    if (!o.query) return send_error(c, MHD_HTTP_BAD_REQUEST, "'q' is missing: what to search for");
    o.limit = (int)(page * per + 1);
    hits_out h = { cJSON_CreateArray(), (int)((page - 1) * per), (int)per, 0 };
    if (sayso_store_search(st, &o, add_hit, &h) < 0) {
        cJSON_Delete(h.results);
        const char *m = sayso_store_error(st);
        if (user_error(m)) return send_error(c, MHD_HTTP_BAD_REQUEST, "%s", m);
        return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "the store could not be read");
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "q", o.query);
    cJSON_AddNumberToObject(out, "page", (double)page);
    cJSON_AddNumberToObject(out, "per_page", (double)per);
    cJSON_AddBoolToObject(out, "has_more", h.take < 0);
    cJSON_AddItemToObject(out, "results", h.results);
    return send_json(c, MHD_HTTP_OK, out);
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
} rows_out;

static int add_row(int nc, const char *const *names, const char *const *vals, void *arg)
{
    rows_out *o = arg;
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
    rows_out o = { cJSON_CreateArray() };
    if (sayso_store_report(st, which, NULL, n, add_row, &o) < 0) {
        cJSON_Delete(o.rows);
        return NULL;
    }
    return o.rows;
}

/* One object (the first row of `one`) with arrays of other reports in it:
 * a speaker page, an article page. 404 when there is no such row. */
static enum MHD_Result route_page(struct MHD_Connection *c, sayso_store *st, const char *what, long long id,
                                  sayso_report one, const sayso_report *parts, const char *const *keys, int n_parts)
{
    cJSON *rows = report_rows(st, one, id);
    if (!rows) return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "the store could not be read");
    cJSON *out = cJSON_DetachItemFromArray(rows, 0);
    cJSON_Delete(rows);
    if (!out) return send_error(c, MHD_HTTP_NOT_FOUND, "no %s %lld", what, id);
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
            return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "the store could not be read");
        }
        cJSON_AddItemToObject(out, keys[i], p);
    }
    return send_json(c, MHD_HTTP_OK, out);
}

static enum MHD_Result route_report(struct MHD_Connection *c, sayso_store *st, sayso_report which,
                                    const char *param, long long n, const char *key)
{
    rows_out o = { cJSON_CreateArray() };
    long long rows = sayso_store_report(st, which, param, n, add_row, &o);
    if (rows < 0) {
        cJSON_Delete(o.rows);
        return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "the store could not be read");
    }
    if (which == SAYSO_REPORT_QUOTE && rows == 0) {
        cJSON_Delete(o.rows);
        return send_error(c, MHD_HTTP_NOT_FOUND, "no quotation %lld", n);
    }
    cJSON *out;
    if (which == SAYSO_REPORT_STATS) {
        out = cJSON_DetachItemFromArray(o.rows, 0);
        cJSON_Delete(o.rows);
        if (!out) out = cJSON_CreateObject();
    } else {
        out = cJSON_CreateObject();
        if (which == SAYSO_REPORT_QUOTE) cJSON_AddNumberToObject(out, "id", (double)n);
        cJSON_AddItemToObject(out, key, o.rows);
    }
    return send_json(c, MHD_HTTP_OK, out);
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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **req)
{
    (void)version;
    (void)upload_data;
    sayso_server *s = cls;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        *upload_data_size = 0; /* the body is not read: the answer is the same */
        return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD");
    }
    /* The first call comes with the headers; answering then would be an
     * early answer, after which libmicrohttpd closes the connection. The
     * second comes when the (empty) request is complete: answering then
     * keeps the connection alive for the next request. */
    static int headers_seen;
    if (*req == NULL) {
        *req = &headers_seen;
        return MHD_YES;
    }
    if (!valid_utf8(url)) return send_error(c, MHD_HTTP_BAD_REQUEST, "the path is not valid UTF-8");
    if (strcmp(url, "/healthz") == 0) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "ok", 1);
        return send_json(c, MHD_HTTP_OK, o);
    }
    if (strncmp(url, "/api/", 5) != 0) return send_file(c, strcmp(url, "/") == 0 ? "/index.html" : url);

    char err[2300];
    sayso_store *st = borrow(s, err, sizeof err);
    if (!st) {
        fprintf(stderr, "sayso: %s\n", err);
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the store cannot be opened");
    }
    enum MHD_Result ret;
    long long id;
    if (strcmp(url, "/api/search") == 0) {
        ret = route_search(c, st);
    } else if (strcmp(url, "/api/stats") == 0) {
        ret = route_report(c, st, SAYSO_REPORT_STATS, NULL, 0, "stats");
    } else if (strcmp(url, "/api/speakers") == 0) {
        params p = { .c = c };
        const char *prefix = text_param(&p, "prefix", MAX_NAME);
        long n = num_param(&p, "limit", 1, MAX_PER_PAGE, 10);
        ret = p.bad ? send_error(c, MHD_HTTP_BAD_REQUEST, "%s", p.why)
                    : route_report(c, st, SAYSO_REPORT_SPEAKERS, prefix, n, "speakers");
    } else if ((id = id_after(url, "/api/quotes/")) > 0) {
        ret = route_report(c, st, SAYSO_REPORT_QUOTE, NULL, id, "reports");
    } else if ((id = id_after(url, "/api/speakers/")) > 0) {
        static const sayso_report parts[] = { SAYSO_REPORT_SPEAKER_MONTHS, SAYSO_REPORT_SPEAKER_QUOTES };
        static const char *const keys[] = { "months", "latest" };
        ret = route_page(c, st, "speaker", id, SAYSO_REPORT_SPEAKER, parts, keys, 2);
    } else if ((id = id_after(url, "/api/articles/")) > 0) {
        static const sayso_report parts[] = { SAYSO_REPORT_ARTICLE_QUOTES };
        static const char *const keys[] = { "quotes" };
        ret = route_page(c, st, "article", id, SAYSO_REPORT_ARTICLE, parts, keys, 1);
    } else if (strncmp(url, "/api/quotes/", 12) == 0 || strncmp(url, "/api/speakers/", 14) == 0 ||
               strncmp(url, "/api/articles/", 14) == 0) {
        ret = send_error(c, MHD_HTTP_NOT_FOUND, "no such id '%.40s': ids are positive numbers", strrchr(url, '/') + 1);
    } else {
        ret = send_error(c, MHD_HTTP_NOT_FOUND, "no such API: %.200s", url);
    }
    give_back(s, st);
    return ret;
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
    /* Open once now: a wrong path or a file that is no store is an error
     * at start, not a 503 on every request. */
    sayso_store *st = sayso_store_open(s->db, SAYSO_STORE_READ, err, errlen);
    if (!st) {
        pthread_mutex_destroy(&s->mu);
        free(s);
        return NULL;
    }
    s->pool[s->n_pool++] = st;

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
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = o->threads > 0 ? (unsigned)o->threads : cpus > 2 ? (unsigned)cpus : 2;
    s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL, on_request, s,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_THREAD_POOL_SIZE, threads,
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
    if (s->daemon) MHD_stop_daemon(s->daemon);
    for (int i = 0; i < s->n_pool; i++) sayso_store_close(s->pool[i]);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
