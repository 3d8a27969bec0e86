/*
 * fuzz_warc.c — libFuzzer target: a WARC stream (plain or gzip) through
 * the WARC reader, from records to articles, read from memory in uneven
 * pieces so that records and gzip members cross read boundaries.
 */
#include <sys/types.h>

#include "fuzz.h"
#include "warc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const uint8_t *p;
    size_t n, at, step;
} source;

static ssize_t from_memory(void *ctx, void *buf, size_t n)
{
    source *s = ctx;
    size_t k = s->n - s->at;
    if (k > n) k = n;
    if (k > s->step) k = s->step;
    memcpy(buf, s->p + s->at, k);
    s->at += k;
    return (ssize_t)k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    source s = {data, size, 0, size % 2 ? 61 : 1 << 20};
    sayso_warc *w = sayso_warc_new(from_memory, &s, "fuzz.warc", NULL);
    if (!w) abort();
    sayso_article a;
    while (sayso_warc_next_article(w, &a)) {
        if (strlen(a.text) != a.len) abort();
        if (a.id) (void)strlen(a.id);
        if (a.date && strlen(a.date) != 10) abort();
    }
    sayso_warc_counts c;
    sayso_warc_get_counts(w, &c);
    if (c.pages > c.records) abort();
    sayso_warc_free(w);
    return 0;
}
