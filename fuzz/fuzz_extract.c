/*
 * fuzz_extract.c — libFuzzer target: an article through sayso_extract with
 * the built-in models (quotes, attribution, speakers, dates), then printed
 * in every output format. Inputs are repaired to valid UTF-8 first, as the
 * readers do; the first byte picks the article date, or none.
 */
#include "fuzz.h"
#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sayso_extractor *ex;
    static FILE *sink;
    if (!ex && !(ex = sayso_extractor_new())) abort();
    if (!sink && !(sink = fopen("/dev/null", "w"))) abort();
    static const char *const dates[] = {NULL, "2020-10-16", "2000-02-29", "1999-12-31"};
    const char *date = NULL;
    if (size > 0) {
        date = dates[data[0] % 4];
        data++;
        size--;
    }
    char *fixed = NULL;
    size_t len = size;
    const char *text = (const char *)data;
    if (sayso_utf8_repair(text, size, &fixed, &len) != 0) text = fixed;
    char *copy = malloc(len + 1); /* NUL-terminated, as from a reader */
    if (!copy) abort();
    memcpy(copy, text, len);
    copy[len] = 0;
    sayso_article art = {.id = "fuzz", .date = date, .text = copy, .len = len};
    const sayso_quote *q;
    size_t n;
    if (sayso_extract(ex, &art, &q, &n) == 0) {
        for (size_t i = 0; i < n; i++)
            if (q[i].content[0].byte_end > len || q[i].content[0].byte_start > q[i].content[0].byte_end) abort();
        sayso_write_quotes(sink, SAYSO_FORMAT_JSON, &art, q, n);
        sayso_write_quotes(sink, SAYSO_FORMAT_TEXT, &art, q, n);
        sayso_write_quotes(sink, SAYSO_FORMAT_SPEAKERS, &art, q, n);
    }
    free(copy);
    free(fixed);
    return 0;
}
