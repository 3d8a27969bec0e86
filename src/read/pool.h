/*
 * pool.h — the articles of a reader, worked on by N threads, handed back in
 * input order.
 *
 * Owns the parallelism of `sayso extract`, `sayso read` and `sayso ingest`:
 * a ring of slots (a bounded number of articles in flight, twice the
 * workers and one), each with its own copy of an article and whatever state
 * the caller gives it (an extractor, whose results live until its next
 * call). A worker takes the next article from the reader (one at a time:
 * the reader is not thread-safe), works on it in its slot, and marks it
 * done; the caller takes the slots in input order, so the output is the
 * same whatever the number of threads. A web page (an HTML file, a WARC
 * response) is taken raw and made an article by the worker, since that is
 * most of what reading it costs; what the HTML reader says about it is
 * reported, and a page it cannot use skipped, by sayso_pool_next. With no
 * worker thread, the same calls read and work in turn on the caller's
 * thread.
 */
#ifndef SAYSO_POOL_H
#define SAYSO_POOL_H

#include <stddef.h>
#include "read.h"
#include "sayso.h"

typedef struct sayso_pool sayso_pool;

/* One article in flight. Everything in it lives until the next call of
 * sayso_pool_next. */
typedef struct {
    sayso_article art;
    const char *file; /* where it was read, and the line or record */
    size_t line;
    size_t bytes;     /* article bytes read up to this one (progress) */
    int no_memory;    /* the article could not be copied: art is empty */
    void *slot;       /* the caller's state for this slot (slot_new) */
} sayso_pool_item;

typedef struct {
    void *ctx; /* passed to every callback */
    /* State per slot, e.g. an extractor; NULL: out of memory. */
    void *(*slot_new)(void *ctx);
    void (*slot_free)(void *ctx, void *slot);
    /* State per worker thread (may be NULL callbacks), e.g. a connection.
     * worker_new returning NULL stops the pool from starting. */
    void *(*worker_new)(void *ctx);
    void (*worker_free)(void *ctx, void *worker);
    /* The work on one article, on a worker thread (on the caller's when
     * there is none). Not called when item->no_memory. */
    void (*work)(void *ctx, void *worker, sayso_pool_item *item);
} sayso_pool_ops;

/* Works on the articles of r, which the pool then uses alone until it is
 * freed, on `workers` threads (0: on the caller's thread). NULL with a
 * message in err when out of memory or a thread or worker cannot start. */
sayso_pool *sayso_pool_new(sayso_reader *r, int workers, const sayso_pool_ops *ops, char *err, size_t errlen);

/* The next article, worked on: 1 (and *item), or 0 at the end. */
int sayso_pool_next(sayso_pool *p, sayso_pool_item **item);

/* Stops the workers (articles read ahead are dropped) and frees. */
void sayso_pool_free(sayso_pool *p);

/* The number of CPUs online (at least 1): the default thread count. */
int sayso_cpu_count(void);

#endif
