/*
 * fuzz.h — what the libFuzzer targets share: a scratch file for the
 * readers that take paths, and a reader that drains every article.
 */
#ifndef SAYSO_FUZZ_H
#define SAYSO_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read.h"
#include "sayso.h"

/* Writes data to a scratch file of this process ending in suffix (the
 * readers choose the format by extension) and returns its path. */
static inline const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
    static char path[512];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/sayso-fuzz-%ld%s", dir && *dir ? dir : "/tmp", (long)getpid(), suffix);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    if (fclose(f) != 0) abort();
    return path;
}

/* Reads every article of path, touching every byte handed out, so that a
 * string that is not what the reader promises (NUL-terminated, valid
 * UTF-8, len bytes) shows up under the sanitizers. */
static inline void fuzz_read_all(const char *path)
{
    const char *paths[] = {path};
    sayso_reader *r = sayso_reader_new(paths, 1, NULL);
    if (!r) abort();
    sayso_article a;
    while (sayso_reader_next(r, &a)) {
        if (strlen(a.text) != a.len) abort(); /* no NUL inside, and a terminator */
        char *fixed = NULL;
        size_t fixed_len;
        if (sayso_utf8_repair(a.text, a.len, &fixed, &fixed_len) != 0) abort();
        const char *fields[] = {a.id, a.date, a.title, a.url, a.authors, a.site, a.lang};
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
            if (fields[i]) (void)strlen(fields[i]);
    }
    sayso_reader_free(r);
    unlink(path);
}

#endif
