/*
 * pool.c — an ordered pool of workers over a reader's articles (see pool.h).
 *
 * Slot seq % depth holds article seq. claimed counts the articles read so
 * far, returned those the caller has given back: the workers read only
 * while claimed - returned < depth, so a slot is never reused before the
 * caller is done with it, and memory stays bounded by depth articles.
 * Reading is serialised by read_mu, which also makes the order in which
 * articles are claimed the order of the input; the work itself runs
 * unlocked. A web page is read raw and made an article on the worker
 * (sayso_page_article), which is most of what reading one costs; what
 * that says about the page is reported by the caller's thread, in input
 * order. Slot buffers grow to the largest article and stay.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pool.h"

typedef struct {
    sayso_pool_item it;
    char *buf; /* the article's strings and the file name */
    size_t cap;
    int done;
    /* A page still to extract (raw_pending), and the article made of it. */
    int raw_pending;
    sayso_raw_page raw;
    sayso_page page;
    char date[11];
    char msg[320]; /* what extraction said: an error, or a warning */
    int skip;      /* msg is an error: the page is skipped */
} slot;

typedef struct {
    sayso_pool *p;
    void *state;
    pthread_t thread;
    int started;
} worker;

struct sayso_pool {
    sayso_reader *r;
    sayso_pool_ops ops;
    size_t depth;
    slot *slots;
    worker *workers;
    int n_workers;
    void *inline_state; /* the caller's worker state without threads */

    size_t claimed, returned;
    int held, ended, stop;
    pthread_mutex_t mu, read_mu;
    pthread_cond_t space, done;
};

/* Copies n bytes of s (NULL stays NULL) to b + *at, NUL-terminated. */
static const char *put_str(char *b, size_t *at, const char *s, size_t n)
{
    if (!s) return NULL;
    char *d = b + *at;
    memcpy(d, s, n);
    d[n] = 0;
    *at += n + 1;
    return d;
}

static size_t len_of(const char *s)
{
    return s ? strlen(s) : 0;
}

/* Grows the slot's buffer to hold the n strings of src (their lengths
 * into len) and a body of `body` bytes, each with a NUL. -1: no memory. */
static int slot_reserve(slot *sl, const char *const *src, size_t n, size_t *len, size_t body)
{
    size_t need = body + 1;
    for (size_t i = 0; i < n; i++) {
        len[i] = len_of(src[i]);
        need += len[i] + 1;
    }
    if (need <= sl->cap) return 0;
    size_t cap = sl->cap ? sl->cap : 16384;
    while (cap < need) cap *= 2;
    char *b = realloc(sl->buf, cap);
    if (!b) return -1;
    sl->buf = b;
    sl->cap = cap;
    return 0;
}

/* Makes the slot own a copy of art and of the file name. -1: no memory. */
static int own_article(slot *sl, const sayso_article *art, const char *file)
{
    const char *src[] = {art->id, art->date, art->title, art->url, art->authors, art->site, art->lang, file};
    enum { N = sizeof src / sizeof *src };
    size_t len[N];
    if (slot_reserve(sl, src, N, len, art->len) < 0) return -1;
    size_t at = 0;
    sayso_article *a = &sl->it.art;
    a->id = put_str(sl->buf, &at, src[0], len[0]);
    a->date = put_str(sl->buf, &at, src[1], len[1]);
    a->title = put_str(sl->buf, &at, src[2], len[2]);
    a->url = put_str(sl->buf, &at, src[3], len[3]);
    a->authors = put_str(sl->buf, &at, src[4], len[4]);
    a->site = put_str(sl->buf, &at, src[5], len[5]);
    a->lang = put_str(sl->buf, &at, src[6], len[6]);
    sl->it.file = put_str(sl->buf, &at, file ? file : "", len[7]);
    a->text = put_str(sl->buf, &at, art->text ? art->text : "", art->text ? art->len : 0);
    a->len = art->text ? art->len : 0;
    a->body = art->body;
    return 0;
}

/* Makes the slot own a copy of a raw page and of the file name. */
static int own_raw(slot *sl, const sayso_raw_page *raw, const char *file)
{
    const char *src[] = {raw->charset, raw->url, raw->id, raw->date, file};
    enum { N = sizeof src / sizeof *src };
    size_t len[N];
    if (slot_reserve(sl, src, N, len, raw->len) < 0) return -1;
    size_t at = 0;
    sayso_raw_page *r = &sl->raw;
    r->charset = put_str(sl->buf, &at, src[0], len[0]);
    r->url = put_str(sl->buf, &at, src[1], len[1]);
    r->id = put_str(sl->buf, &at, src[2], len[2]);
    r->date = put_str(sl->buf, &at, src[3], len[3]);
    sl->it.file = put_str(sl->buf, &at, file ? file : "", len[4]);
    r->html = put_str(sl->buf, &at, raw->html, raw->len);
    r->len = raw->len;
    return 0;
}

/* Makes the slot's raw page its article (on the thread that works on it). */
static void make_article(slot *sl, const sayso_raw_page *raw)
{
    sl->skip = sayso_page_article(raw, &sl->page, sl->date, &sl->it.art, sl->msg, sizeof sl->msg) != 0;
    sl->raw_pending = 0;
}

/* Reads the next article into its slot; 0 at the end (or when stopped). */
static int claim(sayso_pool *p, slot **out)
{
    /* Wait for a free slot holding mu only: the caller's thread needs
     * read_mu to report a page (page_news) before it can free one, so
     * waiting with read_mu held could wait for ever. Only the holder of
     * read_mu claims, so the room seen once it is held stays. */
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->stop && !p->ended && p->claimed - p->returned >= p->depth) pthread_cond_wait(&p->space, &p->mu);
        pthread_mutex_unlock(&p->mu);
        pthread_mutex_lock(&p->read_mu);
        pthread_mutex_lock(&p->mu);
        if (p->stop || p->ended || p->claimed - p->returned < p->depth) break;
        pthread_mutex_unlock(&p->mu);
        pthread_mutex_unlock(&p->read_mu);
    }
    int go = !p->stop && !p->ended;
    slot *sl = &p->slots[p->claimed % p->depth];
    pthread_mutex_unlock(&p->mu);
    sayso_article art;
    sayso_raw_page raw;
    int got = go ? sayso_reader_next_item(p->r, &art, &raw) : 0;
    if (got) {
        sayso_pool_item *it = &sl->it;
        it->line = sayso_reader_line(p->r);
        it->bytes = sayso_reader_bytes(p->r);
        sl->msg[0] = 0;
        sl->skip = 0;
        sl->raw_pending = got == 2;
        if (got == 2) it->no_memory = own_raw(sl, &raw, sayso_reader_file(p->r)) != 0;
        else it->no_memory = own_article(sl, &art, sayso_reader_file(p->r)) != 0;
        if (it->no_memory) {
            /* Nothing of it can be kept: the caller reports it by the
             * file, which is all that is left. */
            memset(&it->art, 0, sizeof it->art);
            it->art.text = "";
            it->file = "?";
        }
        pthread_mutex_lock(&p->mu);
        sl->done = 0;
        p->claimed++;
        pthread_mutex_unlock(&p->mu);
        pthread_mutex_unlock(&p->read_mu);
        *out = sl;
        return 1;
    }
    pthread_mutex_lock(&p->mu);
    p->ended = 1;
    pthread_cond_broadcast(&p->done);
    pthread_cond_broadcast(&p->space);
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_unlock(&p->read_mu);
    return 0;
}

static void *run(void *arg)
{
    worker *w = arg;
    sayso_pool *p = w->p;
    slot *sl;
    while (claim(p, &sl)) {
        if (!sl->it.no_memory && sl->raw_pending) make_article(sl, &sl->raw);
        if (!sl->it.no_memory && !sl->skip) p->ops.work(p->ops.ctx, w->state, &sl->it);
        pthread_mutex_lock(&p->mu);
        sl->done = 1;
        pthread_cond_broadcast(&p->done);
        pthread_mutex_unlock(&p->mu);
    }
    return NULL;
}

sayso_pool *sayso_pool_new(sayso_reader *r, int workers, const sayso_pool_ops *ops, char *err, size_t errlen)
{
    sayso_pool *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    p->r = r;
    p->ops = *ops;
    p->n_workers = workers > 0 ? workers : 0;
    /* Per worker: one being worked on and one done, waiting its turn; and
     * the one the caller holds. */
    p->depth = p->n_workers ? 2 * (size_t)p->n_workers + 1 : 1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_mutex_init(&p->read_mu, NULL);
    pthread_cond_init(&p->space, NULL);
    pthread_cond_init(&p->done, NULL);
    p->slots = calloc(p->depth, sizeof *p->slots);
    p->workers = calloc(p->n_workers ? (size_t)p->n_workers : 1, sizeof *p->workers);
    if (!p->slots || !p->workers) goto no_memory;
    for (size_t i = 0; i < p->depth; i++)
        if (ops->slot_new && !(p->slots[i].it.slot = ops->slot_new(ops->ctx))) goto no_memory;
    if (!p->n_workers) {
        if (ops->worker_new && !(p->inline_state = ops->worker_new(ops->ctx))) goto no_worker;
        return p;
    }
    for (int i = 0; i < p->n_workers; i++) {
        worker *w = &p->workers[i];
        w->p = p;
        if (ops->worker_new && !(w->state = ops->worker_new(ops->ctx))) goto no_worker;
    }
    for (int i = 0; i < p->n_workers; i++) {
        worker *w = &p->workers[i];
        if (pthread_create(&w->thread, NULL, run, w) != 0) {
            snprintf(err, errlen, "cannot start a thread");
            sayso_pool_free(p);
            return NULL;
        }
        w->started = 1;
    }
    return p;
no_worker:
    snprintf(err, errlen, "cannot start a worker");
    sayso_pool_free(p);
    return NULL;
no_memory:
    snprintf(err, errlen, "out of memory");
    sayso_pool_free(p);
    return NULL;
}

/* Reports what extraction said about the slot's page; 1 when the page is
 * skipped. Runs on the caller's thread, so messages come in input order. */
static int page_news(sayso_pool *p, slot *sl)
{
    if (!sl->msg[0]) return 0;
    pthread_mutex_lock(&p->read_mu); /* the reader counts and reports */
    sayso_reader_page_message(p->r, sl->it.file, sl->it.line, sl->msg, sl->skip);
    pthread_mutex_unlock(&p->read_mu);
    return sl->skip;
}

/* The next slot in input order, once done; NULL at the end. */
static slot *next_done(sayso_pool *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->held) {
        p->held = 0;
        p->returned++;
        pthread_cond_broadcast(&p->space);
    }
    slot *sl = &p->slots[p->returned % p->depth];
    while (!(p->returned < p->claimed && sl->done) && !(p->ended && p->returned == p->claimed))
        pthread_cond_wait(&p->done, &p->mu);
    int got = p->returned < p->claimed;
    p->held = got;
    pthread_mutex_unlock(&p->mu);
    return got ? sl : NULL;
}

int sayso_pool_next(sayso_pool *p, sayso_pool_item **item)
{
    if (!p->n_workers) {
        /* In turn, without copying: the reader's article or page is good
         * until its next call, which is ours. */
        slot *sl = &p->slots[0];
        sayso_pool_item *it = &sl->it;
        for (;;) {
            sayso_raw_page raw;
            int got = sayso_reader_next_item(p->r, &it->art, &raw);
            if (!got) return 0;
            it->file = sayso_reader_file(p->r);
            it->line = sayso_reader_line(p->r);
            it->bytes = sayso_reader_bytes(p->r);
            it->no_memory = 0;
            sl->msg[0] = 0;
            sl->skip = 0;
            if (got == 2) make_article(sl, &raw);
            if (!page_news(p, sl)) break;
        }
        p->ops.work(p->ops.ctx, p->inline_state, it);
        *item = it;
        return 1;
    }
    slot *sl;
    while ((sl = next_done(p)) != NULL)
        if (sl->it.no_memory || !page_news(p, sl)) {
            *item = &sl->it;
            return 1;
        }
    return 0;
}

void sayso_pool_free(sayso_pool *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->space);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n_workers && p->workers; i++) {
        worker *w = &p->workers[i];
        if (w->started) pthread_join(w->thread, NULL);
        if (p->ops.worker_free && w->state) p->ops.worker_free(p->ops.ctx, w->state);
    }
    if (p->ops.worker_free && p->inline_state) p->ops.worker_free(p->ops.ctx, p->inline_state);
    for (size_t i = 0; i < p->depth && p->slots; i++) {
        if (p->ops.slot_free && p->slots[i].it.slot) p->ops.slot_free(p->ops.ctx, p->slots[i].it.slot);
        sayso_page_clear(&p->slots[i].page);
        free(p->slots[i].buf);
    }
    free(p->slots);
    free(p->workers);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->space);
    pthread_mutex_destroy(&p->read_mu);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

int sayso_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}
