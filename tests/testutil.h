/*
 * testutil.h — small helpers shared by the test programs (header-only so each
 * test stays one file): locating fixtures and ../shared, skipping with a
 * message when data is absent, reading files, running the CLI.
 */
#ifndef SAYSO_TESTUTIL_H
#define SAYSO_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#define TEST_SKIP_CODE 77

static inline const char *tu_env(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

/* Path of the shared data root (../shared beside the checkout), or NULL with
 * a message if it is not there; callers then exit(TEST_SKIP_CODE). */
static inline const char *tu_shared(const char *what)
{
    static char buf[4096];
    const char *root = tu_env("SAYSO_SHARED", "../shared");
    struct stat st;
    snprintf(buf, sizeof buf, "%s/%s", root, what);
    if (stat(buf, &st) != 0) {
        fprintf(stderr, "SKIP: %s not found (needs ../shared beside the checkout)\n", buf);
        return NULL;
    }
    return buf;
}

/* Reads a whole file; returns malloc'd NUL-terminated bytes or NULL. */
static inline char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) { cap *= 2; char *nb = realloc(buf, cap + 1); if (!nb) { free(buf); buf = NULL; } else buf = nb; }
    }
    fclose(f);
    if (!buf) return NULL;
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

static inline int tu_write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t w = fwrite(data, 1, len, f);
    return fclose(f) == 0 && w == len ? 0 : -1;
}

/* Runs a shell command line, captures stdout (malloc'd) and the exit status. */
static inline char *tu_run(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    if (!p) { *status = -1; return NULL; }
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    while ((got = fread(buf + n, 1, cap - n, p)) > 0) {
        n += got;
        if (n == cap) { cap *= 2; buf = realloc(buf, cap + 1); }
    }
    buf[n] = 0;
    int st = pclose(p);
    *status = (st >= 0 && (st & 0x7f) == 0) ? (st >> 8) & 0xff : -1;
    return buf;
}

#endif
