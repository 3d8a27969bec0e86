/*
 * mkcorpus — builds a JSONL benchmark corpus from a directory of plain-text
 * articles (the *.txt files of PolNeAR's train/text).
 *
 *   mkcorpus SRC_DIR OUT.jsonl MEGABYTES
 *
 * Writes one JSON object a line, {"id","date","text"}, going over the sorted
 * *.txt files again and again until OUT holds at least MEGABYTES MB (10^6
 * bytes). Ids are the file name without .txt plus ".rN", N the pass number;
 * date is the YYYY-MM-DD found in the file name (omitted if none). The corpus
 * is written to OUT.tmp and renamed at the end, so a present OUT is complete.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>

typedef struct {
    char *stem;   /* file name without .txt */
    char date[11];
    char *text;
} article;

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 14, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
            cap *= 2;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (!buf || err) { free(buf); return NULL; }
    buf[n] = 0; /* NUL bytes inside would cut the text short: fine for a bench */
    return buf;
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

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: mkcorpus SRC_DIR OUT.jsonl MEGABYTES\n");
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
        char *text = read_all(path);
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
            if (!o || !cJSON_AddStringToObject(o, "id", id) ||
                (arts[i].date[0] && !cJSON_AddStringToObject(o, "date", arts[i].date)) ||
                !cJSON_AddStringToObject(o, "text", arts[i].text)) {
                fprintf(stderr, "mkcorpus: out of memory\n");
                return 1;
            }
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
