/*
 * feed.c — articles read and extracted ahead of the store (see feed.h).
 *
 * The ordered pool (pool.h) does the threading: each of its slots has an
 * extractor and the answer for its article, each worker its read-only
 * connection to the store. What is left here is the one rule of ingest:
 * ask the store first, extract only what it does not have as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "pool.h"

typedef struct {
    sayso_extractor *ex;
    sayso_fed fed;
    char error[512];
} slot;

struct sayso_feed {
    sayso_store *st;    /* the caller's, asked on the caller's thread */
    const char *st_path;
    const sayso_models *models;
    int threaded;
    sayso_pool *pool;
};

static void *slot_new(void *ctx)
{
    sayso_feed *f = ctx;
    slot *sl = calloc(1, sizeof *sl);
    if (sl && !(sl->ex = sayso_extractor_new_with(f->models))) {
        free(sl);
        return NULL;
    }
    return sl;
}

static void slot_free(void *ctx, void *p)
{
    (void)ctx;
    slot *sl = p;
    sayso_extractor_free(sl->ex);
    free(sl);
}

/* A worker's store: its own read-only connection, or the caller's store
 * when the work runs on the caller's thread. */
static void *worker_new(void *ctx)
{
    sayso_feed *f = ctx;
    if (!f->threaded) return f->st;
    char lookup_err[256];
    return sayso_store_open(f->st_path, SAYSO_STORE_LOOKUP, lookup_err, sizeof lookup_err);
}

static void worker_free(void *ctx, void *st)
{
    sayso_feed *f = ctx;
    if (f->threaded) sayso_store_close(st);
}

/* Asks the store about the article and extracts it when the store does
 * not have it as it is. */
static void work_on(slot *sl, const sayso_article *art, sayso_store *st)
{
    sayso_fed *o = &sl->fed;
    o->quotes = NULL;
    o->n = 0;
    o->error = NULL;
    int has = sayso_store_has(st, art);
    if (has == 1) {
        o->status = SAYSO_FED_UNCHANGED;
    } else if (has < 0) {
        snprintf(sl->error, sizeof sl->error, "%s", sayso_store_error(st));
        o->error = sl->error;
        o->status = SAYSO_FED_STORE_ERROR;
    } else if (sayso_extract(sl->ex, art, &o->quotes, &o->n) != 0) {
        o->status = SAYSO_FED_NO_MEMORY;
    } else {
        o->status = SAYSO_FED_EXTRACTED;
    }
}

static void work(void *ctx, void *worker, sayso_pool_item *it)
{
    (void)ctx;
    work_on(it->slot, &it->art, worker);
}

sayso_feed *sayso_feed_new(sayso_reader *r, sayso_store *st, const char *st_path, int threads,
                           const sayso_models *models, char *err, size_t errlen)
{
    sayso_feed *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    f->st = st;
    f->st_path = st_path;
    f->models = models;
    /* A store no second connection can reach (":memory:", "" for a
     * private temporary file) is fed on one thread: the same work, in
     * turn. The writer has opened it, so nothing else can be wrong. */
    if (threads > 1) {
        char lookup_err[256];
        sayso_store *probe = sayso_store_open(st_path, SAYSO_STORE_LOOKUP, lookup_err, sizeof lookup_err);
        f->threaded = probe != NULL;
        sayso_store_close(probe);
    }
    sayso_pool_ops ops = {.ctx = f, .slot_new = slot_new, .slot_free = slot_free, .worker_new = worker_new,
                          .worker_free = worker_free, .work = work};
    if (!(f->pool = sayso_pool_new(r, f->threaded ? threads - 1 : 0, &ops, err, errlen))) {
        free(f);
        return NULL;
    }
    return f;
}

int sayso_feed_next(sayso_feed *f, sayso_fed *out)
{
    sayso_pool_item *it;
    if (!sayso_pool_next(f->pool, &it)) return 0;
    slot *sl = it->slot;
    sayso_fed *o = &sl->fed;
    o->art = it->art;
    o->file = it->file;
    o->line = it->line;
    o->bytes = it->bytes;
    if (it->no_memory) {
        /* Nothing of it could be kept: the caller reports it like an
         * extraction out of memory, by file and line. */
        o->quotes = NULL;
        o->n = 0;
        o->status = SAYSO_FED_NO_MEMORY;
    } else if (f->threaded && o->status == SAYSO_FED_UNCHANGED) {
        /* "Unchanged" was seen in what earlier batches committed. The
         * open batch may have put another version of the same id since
         * ("A", then "B", then "A" again), so the caller's own connection
         * decides, and the article is extracted here when it must be. The
         * slot is ours until the next call: no worker touches it. */
        work_on(sl, &o->art, f->st);
    }
    *out = *o;
    return 1;
}

void sayso_feed_free(sayso_feed *f)
{
    if (!f) return;
    sayso_pool_free(f->pool);
    free(f);
}
