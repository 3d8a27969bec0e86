/*
 * feed.h — the articles an ingest stores: read, checked against the store
 * and extracted, ahead of the store on threads of their own.
 *
 * Owns the split of an ingest over several cores. The store has one
 * writer, the caller's thread; the other threads (the ordered pool of
 * pool.h) read the next articles, skip those the store already has as
 * they are, and extract the others, while the caller puts the previous
 * ones in. Articles come out in input order, so a threaded ingest makes
 * the same store as one on a single thread. Without threads (one CPU, or
 * asked for) the same calls do the same work in turn.
 */
#ifndef SAYSO_FEED_H
#define SAYSO_FEED_H

#include <stddef.h>
#include "read.h"
#include "sayso.h"
#include "store.h"

typedef struct sayso_feed sayso_feed;

typedef enum {
    SAYSO_FED_EXTRACTED = 0, /* quotes and n hold the extraction */
    SAYSO_FED_UNCHANGED = 1, /* the store has it with this content: not extracted */
    SAYSO_FED_NO_MEMORY = 2, /* extraction ran out of memory: skip it */
    SAYSO_FED_STORE_ERROR = 3 /* the store could not be asked: error says why */
} sayso_fed_status;

/* One article, as sayso_feed_next() hands it over. Everything in it lives
 * until the next call on the feed. */
typedef struct {
    sayso_article art;
    const sayso_quote *quotes;
    size_t n;
    sayso_fed_status status;
    const char *file;   /* where it was read, for messages and the store */
    size_t line;
    size_t bytes;       /* article bytes read up to this one (progress) */
    const char *error;  /* with SAYSO_FED_STORE_ERROR */
} sayso_fed;

/*
 * Feeds the articles of r, which the feed then uses alone until it is
 * freed. st: the store being written, asked whether it has an article
 * already. threads: 1, everything on the caller's thread; N > 1, N - 1
 * threads read and extract, each asking the store through a read-only
 * connection of its own to st_path. Those see only what earlier batches
 * committed: an article they find unchanged is asked again on st when
 * handed over (another version of it may be in the open batch), and one
 * they extract may still be found unchanged by sayso_store_put.
 * When that connection cannot be opened (a store in memory), the feed
 * works on the caller's thread. models: what its extractors run with
 * (sayso_extractor_new_with), which must outlive the feed. Returns NULL
 * and a message in err when out of memory.
 */
sayso_feed *sayso_feed_new(sayso_reader *r, sayso_store *st, const char *st_path, int threads,
                           const sayso_models *models, char *err, size_t errlen);

/* The next article: 1, or 0 at the end of the input. */
int sayso_feed_next(sayso_feed *f, sayso_fed *out);

/* Stops the threads (the articles they read ahead are dropped) and frees. */
void sayso_feed_free(sayso_feed *f);

#endif
