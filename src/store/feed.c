/*
 * feed.c — articles read and extracted ahead of the store (see feed.h).
 *
 * A ring of FEED_DEPTH slots, each with its own extractor and its own copy
 * of an article (the reader's strings live only until its next article,
 * an extraction's until its extractor's next one). The thread fills slots
 * in input order; the caller takes them in the same order and gives each
 * back by asking for the next. Slot buffers grow to the largest article
 * and stay: no allocation per article once they have.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"

/* Three: the one being stored, the one ready next, and the one being
 * extracted, so that neither side waits for the other's slowest article. */
#define FEED_DEPTH 3

typedef struct {
    sayso_extractor *ex;
    sayso_fed fed;
    char *buf;   /* the article's strings and the file name */
    size_t cap;
    char error[512];
} slot;

struct sayso_feed {
    sayso_reader *r;
    sayso_store *st;    /* the caller's, asked on the caller's thread */
    sayso_store *ro;    /* read-only, asked on the feed's thread */
    int threaded;
    slot slots[FEED_DEPTH];
    /* Slots filled and slots given back since the start: the thread fills
     * slots[filled % FEED_DEPTH] while filled - returned < FEED_DEPTH. */
    size_t filled, returned;
    int held;           /* the caller holds slots[returned % FEED_DEPTH] */
    int ended, stop, started;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t changed;
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

static size_t len_or_0(const char *s) { return s ? strlen(s) + 1 : 0; }

/* Makes the slot own a copy of art and of the file name. -1: no memory. */
static int own_article(slot *sl, const sayso_article *art, const char *file)
{
    size_t il = art->id ? strlen(art->id) : 0, dl = art->date ? strlen(art->date) : 0;
    size_t tl = art->title ? strlen(art->title) : 0, ul = art->url ? strlen(art->url) : 0;
    size_t fl = file ? strlen(file) : 0;
    size_t need = len_or_0(art->id) + len_or_0(art->date) + len_or_0(art->title) + len_or_0(art->url) +
                  art->len + 1 + fl + 1;
    if (need > sl->cap) {
        size_t cap = sl->cap ? sl->cap : 16384;
        while (cap < need) cap *= 2;
        char *b = realloc(sl->buf, cap);
        if (!b) return -1;
        sl->buf = b;
        sl->cap = cap;
    }
    size_t at = 0;
    sayso_article *a = &sl->fed.art;
    a->id = put_str(sl->buf, &at, art->id, il);
    a->date = put_str(sl->buf, &at, art->date, dl);
    a->title = put_str(sl->buf, &at, art->title, tl);
    a->url = put_str(sl->buf, &at, art->url, ul);
    a->text = put_str(sl->buf, &at, art->text ? art->text : "", art->text ? art->len : 0);
    a->len = art->text ? art->len : 0;
    a->body = art->body;
    sl->fed.file = put_str(sl->buf, &at, file ? file : "", fl);
    return 0;
}

/* Asks the store about the article in the slot's fed.art and extracts it
 * when the store does not have it as it is. */
static void work(slot *sl, sayso_store *st)
{
    sayso_fed *o = &sl->fed;
    o->quotes = NULL;
    o->n = 0;
    o->error = NULL;
    int has = sayso_store_has(st, &o->art);
    if (has == 1) {
        o->status = SAYSO_FED_UNCHANGED;
    } else if (has < 0) {
        snprintf(sl->error, sizeof sl->error, "%s", sayso_store_error(st));
        o->error = sl->error;
        o->status = SAYSO_FED_STORE_ERROR;
    } else if (sayso_extract(sl->ex, &o->art, &o->quotes, &o->n) != 0) {
        o->status = SAYSO_FED_NO_MEMORY;
    } else {
        o->status = SAYSO_FED_EXTRACTED;
    }
}

static void *run(void *arg)
{
    sayso_feed *f = arg;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        while (!f->stop && f->filled - f->returned >= FEED_DEPTH) pthread_cond_wait(&f->changed, &f->mu);
        int stop = f->stop;
        slot *sl = &f->slots[f->filled % FEED_DEPTH];
        pthread_mutex_unlock(&f->mu);
        if (stop) break;
        sayso_article art;
        if (!sayso_reader_next(f->r, &art)) break;
        sayso_fed *o = &sl->fed;
        o->line = sayso_reader_line(f->r);
        o->bytes = sayso_reader_bytes(f->r);
        if (own_article(sl, &art, sayso_reader_file(f->r)) < 0) {
            /* Nothing of it can be kept: the caller reports it like an
             * extraction out of memory, by file and line. */
            memset(&o->art, 0, sizeof o->art);
            o->file = "?";
            o->quotes = NULL;
            o->n = 0;
            o->status = SAYSO_FED_NO_MEMORY;
        } else {
            work(sl, f->ro);
        }
        pthread_mutex_lock(&f->mu);
        f->filled++;
        pthread_cond_broadcast(&f->changed);
        pthread_mutex_unlock(&f->mu);
    }
    pthread_mutex_lock(&f->mu);
    f->ended = 1;
    pthread_cond_broadcast(&f->changed);
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

sayso_feed *sayso_feed_new(sayso_reader *r, sayso_store *st, const char *st_path, int threaded,
                           const sayso_models *models, char *err, size_t errlen)
{
    sayso_feed *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    f->r = r;
    f->st = st;
    f->threaded = threaded;
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->changed, NULL);
    int nslots = threaded ? FEED_DEPTH : 1;
    for (int i = 0; i < nslots; i++) {
        if (!(f->slots[i].ex = sayso_extractor_new_with(models))) {
            snprintf(err, errlen, "out of memory");
            sayso_feed_free(f);
            return NULL;
        }
    }
    if (!threaded) return f;
    /* A store no second connection can reach (":memory:", "" for a
     * private temporary file) is fed on one thread: the same work, in
     * turn. The writer has opened it, so nothing else can be wrong. */
    char lookup_err[256];
    if (!(f->ro = sayso_store_open(st_path, SAYSO_STORE_LOOKUP, lookup_err, sizeof lookup_err))) {
        f->threaded = 0;
        return f;
    }
    if (pthread_create(&f->thread, NULL, run, f) != 0) {
        snprintf(err, errlen, "cannot start a thread");
        sayso_feed_free(f);
        return NULL;
    }
    f->started = 1;
    return f;
}

int sayso_feed_next(sayso_feed *f, sayso_fed *out)
{
    if (!f->threaded) {
        slot *sl = &f->slots[0];
        sayso_fed *o = &sl->fed;
        if (!sayso_reader_next(f->r, &o->art)) return 0;
        o->file = sayso_reader_file(f->r);
        o->line = sayso_reader_line(f->r);
        o->bytes = sayso_reader_bytes(f->r);
        work(sl, f->st);
        *out = *o;
        return 1;
    }
    pthread_mutex_lock(&f->mu);
    if (f->held) {
        f->held = 0;
        f->returned++;
        pthread_cond_broadcast(&f->changed);
    }
    while (f->filled == f->returned && !f->ended) pthread_cond_wait(&f->changed, &f->mu);
    int got = f->filled > f->returned;
    slot *sl = &f->slots[f->returned % FEED_DEPTH];
    if (got) f->held = 1;
    pthread_mutex_unlock(&f->mu);
    if (!got) return 0;
    /* "Unchanged" was seen in what earlier batches committed. The open
     * batch may have put another version of the same id since ("A", then
     * "B", then "A" again), so the caller's own connection decides, and
     * the article is extracted here when it must be. The slot is ours
     * until the next call: the thread does not touch it. */
    if (sl->fed.status == SAYSO_FED_UNCHANGED) work(sl, f->st);
    *out = sl->fed;
    return 1;
}

void sayso_feed_free(sayso_feed *f)
{
    if (!f) return;
    if (f->started) {
        pthread_mutex_lock(&f->mu);
        f->stop = 1;
        pthread_cond_broadcast(&f->changed);
        pthread_mutex_unlock(&f->mu);
        pthread_join(f->thread, NULL);
    }
    for (int i = 0; i < FEED_DEPTH; i++) {
        sayso_extractor_free(f->slots[i].ex);
        free(f->slots[i].buf);
    }
    sayso_store_close(f->ro);
    pthread_cond_destroy(&f->changed);
    pthread_mutex_destroy(&f->mu);
    free(f);
}
