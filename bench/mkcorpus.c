/*
 * mkcorpus — builds a JSONL benchmark corpus from a directory of plain-text
 * articles (the *.txt files of PolNeAR's train/text).
 *
 *   mkcorpus [--vary] SRC_DIR OUT.jsonl MEGABYTES
 *
 * Writes one JSON object a line, {"id","date","text"}, going over the sorted
 * *.txt files again and again until OUT holds at least MEGABYTES MB (10^6
 * bytes). Ids are the file name without .txt plus ".rN", N the pass number;
 * date is the YYYY-MM-DD found in the file name (omitted if none). The corpus
 * is written to OUT.tmp and renamed at the end, so a present OUT is complete.
 *
 * With --vary, every pass after the first is another news day rather than
 * a copy: dates move three days per pass, and about one word in sixteen
 * is swapped for another word of the same article, so that quotations come
 * back as the same words, as lightly edited ones, or as new ones, the way
 * outlets re-report them. This builds the store benchmark's million
 * quotations. Deterministic: the same arguments give the same file.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "read.h"

typedef struct {
    char *stem;   /* file name without .txt */
    char date[11];
    char *text;
} article;

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Finds the first YYYY-MM-DD in s. */
static void find_date(const char *s, char out[11])
{
    out[0] = 0;
    for (size_t n = strlen(s), i = 0; i + 10 <= n; i++) {
        int ok = 1;
        for (int k = 0; k < 10 && ok; k++)
            ok = (k == 4 || k == 7) ? s[i + k] == '-' : isdigit((unsigned char)s[i + k]);
        if (ok && (i + 10 == n || !isdigit((unsigned char)s[i + 10]))) {
            memcpy(out, s + i, 10);
            out[10] = 0;
            return;
        }
    }
}

/* xorshift64*: a fixed, portable sequence. */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1Dull;
}

/* date (YYYY-MM-DD) plus days, into out: days from 1970 and back, by
 * the civil-calendar formulas (no timegm, which is not C11). */
static void add_days(const char *date, int days, char out[11])
{
    long y = atol(date), m = atol(date + 5), d = atol(date + 8);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long z = era * 146097 + doe + days;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    unsigned yy = (unsigned)(y % 10000 + 10000) % 10000, mm = (unsigned)m % 13, dd = (unsigned)d % 32;
    out[0] = (char)('0' + yy / 1000); out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10); out[3] = (char)('0' + yy % 10); out[4] = '-';
    out[5] = (char)('0' + mm / 10); out[6] = (char)('0' + mm % 10); out[7] = '-';
    out[8] = (char)('0' + dd / 10); out[9] = (char)('0' + dd % 10); out[10] = 0;
}

/* text with about one word in sixteen replaced by another word of text
 * (words: runs of ASCII letters of three or more). Caller frees. */
static char *vary(const char *text, uint64_t seed)
{
    size_t n = strlen(text), nw = 0, cap = 1024;
    size_t *ws = malloc(cap * sizeof *ws), *wl = malloc(cap * sizeof *wl);
    char *out = malloc(n * 2 + 64);
    if (!ws || !wl || !out) { free(ws); free(wl); free(out); return NULL; }
    for (size_t i = 0; i < n;) {
        if (!isalpha((unsigned char)text[i])) { i++; continue; }
        size_t j = i;
        while (j < n && isalpha((unsigned char)text[j])) j++;
        if (j - i >= 3) {
            if (nw == cap) {
                cap *= 2;
                size_t *a = realloc(ws, cap * sizeof *ws), *b = a ? realloc(wl, cap * sizeof *wl) : NULL;
                if (a) ws = a;
                if (b) wl = b;
                if (!a || !b) { free(ws); free(wl); free(out); return NULL; }
            }
            ws[nw] = i;
            wl[nw++] = j - i;
        }
        i = j;
    }
    uint64_t r = seed * 0x9E3779B97F4A7C15ull + 1;
    size_t k = 0, from = 0;
    for (size_t w = 0; w < nw; w++) {
        if (next_rand(&r) % 16 != 0) continue;
        size_t o = (size_t)(next_rand(&r) % nw);
        memcpy(out + k, text + from, ws[w] - from);
        k += ws[w] - from;
        memcpy(out + k, text + ws[o], wl[o]);
        k += wl[o];
        from = ws[w] + wl[w];
        if (k + (n - from) + 64 > n * 2) break; /* cannot happen with words of >= 3 letters; keep it safe */
    }
    memcpy(out + k, text + from, n - from);
    k += n - from;
    out[k] = 0;
    free(ws);
    free(wl);
    return out;
}

int main(int argc, char **argv)
{
    int vary_passes = argc > 1 && strcmp(argv[1], "--vary") == 0;
    if (vary_passes) {
        argv++;
        argc--;
    }
    if (argc != 4) {
        fprintf(stderr, "usage: mkcorpus [--vary] SRC_DIR OUT.jsonl MEGABYTES\n");
        return 2;
    }
    const char *src = argv[1], *out = argv[2];
    double mb = atof(argv[3]);
    if (mb <= 0) {
        fprintf(stderr, "mkcorpus: bad size '%s'\n", argv[3]);
        return 2;
    }
    size_t target = (size_t)(mb * 1e6);

    DIR *d = opendir(src);
    if (!d) {
        fprintf(stderr, "mkcorpus: cannot open %s: %s\n", src, strerror(errno));
        return 1;
    }
    size_t n = 0, cap = 256;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while (names && (e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0) continue;
        if (n == cap) {
            char **nn = realloc(names, 2 * cap * sizeof *names);
            if (!nn) break;
            names = nn;
            cap *= 2;
        }
        names[n] = strdup(e->d_name);
        if (names[n]) n++;
    }
    closedir(d);
    if (!names || n == 0) {
        fprintf(stderr, "mkcorpus: no *.txt files in %s\n", src);
        return 1;
    }
    qsort(names, n, sizeof *names, cmp_name);

    article *arts = calloc(n, sizeof *arts);
    size_t na = 0;
    char path[4096];
    for (size_t i = 0; arts && i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", src, names[i]);
        size_t text_len;
        char *text = sayso_read_file(path, &text_len);
        if (!text) {
            fprintf(stderr, "mkcorpus: cannot read %s (skipped)\n", path);
            continue;
        }
        names[i][strlen(names[i]) - 4] = 0;
        arts[na].stem = names[i];
        arts[na].text = text;
        find_date(names[i], arts[na].date);
        na++;
    }
    if (!arts || na == 0) {
        fprintf(stderr, "mkcorpus: nothing readable in %s\n", src);
        return 1;
    }

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "mkcorpus: cannot write %s: %s\n", tmp, strerror(errno));
        return 1;
    }
    size_t written = 0, lines = 0;
    unsigned pass = 0;
    char id[4200];
    while (written < target) {
        pass++;
        for (size_t i = 0; i < na && written < target; i++) {
            cJSON *o = cJSON_CreateObject();
            snprintf(id, sizeof id, "%s.r%u", arts[i].stem, pass);
            char date[11];
            snprintf(date, sizeof date, "%s", arts[i].date);
            char *text = arts[i].text, *varied = NULL;
            if (vary_passes && pass > 1) {
                if (date[0]) add_days(arts[i].date, 3 * (int)(pass - 1), date);
                varied = vary(text, (uint64_t)pass * 1000003u + i);
                if (varied) text = varied;
            }
            if (!o || !cJSON_AddStringToObject(o, "id", id) ||
                (date[0] && !cJSON_AddStringToObject(o, "date", date)) ||
                !cJSON_AddStringToObject(o, "text", text)) {
                fprintf(stderr, "mkcorpus: out of memory\n");
                return 1;
            }
            free(varied);
            char *js = cJSON_PrintUnformatted(o);
            cJSON_Delete(o);
            if (!js) {
                fprintf(stderr, "mkcorpus: out of memory\n");
                return 1;
            }
            size_t l = strlen(js);
            if (fwrite(js, 1, l, f) != l || fputc('\n', f) == EOF) {
                fprintf(stderr, "mkcorpus: write error on %s\n", tmp);
                return 1;
            }
            cJSON_free(js);
            written += l + 1;
            lines++;
        }
    }
    if (fclose(f) != 0 || rename(tmp, out) != 0) {
        fprintf(stderr, "mkcorpus: cannot finish %s: %s\n", out, strerror(errno));
        unlink(tmp);
        return 1;
    }
    fprintf(stderr, "mkcorpus: %s: %zu articles, %.1f MB (%u pass%s over %zu files)\n", out, lines,
            written / 1e6, pass, pass == 1 ? "" : "es", na);
    for (size_t i = 0; i < na; i++) free(arts[i].text);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(arts);
    free(names);
    return 0;
}
