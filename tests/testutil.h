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
#include <unistd.h>
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

/* Files a and b hold the same bytes (a model trained twice). */
static inline void tu_expect_same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *x = tu_read_file(a, &na), *y = tu_read_file(b, &nb);
    assert_non_null(x);
    assert_non_null(y);
    assert_int_equal(na, nb);
    assert_memory_equal(x, y, na);
    free(x);
    free(y);
}

/* A scratch directory for this process under $SAYSO_TMP (or /tmp):
 * DIR/NAME-PID, written to buf; the test creates what it needs in it. */
static inline void tu_scratch_dir(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s-%ld", tu_env("SAYSO_TMP", "/tmp"), name, (long)getpid());
}

/* Removes a scratch directory and all in it; says so when it cannot. */
static inline void tu_remove_tree(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

#endif
