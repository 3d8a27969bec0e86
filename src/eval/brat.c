/*
 * brat.c — reading BRAT standoff attributions and corpus directories.
 *
 * An .ann file is read in two passes over its lines: T records (spans) are
 * collected and sorted by number, then each E record looks its arguments up
 * by binary search, so a file with thousands of spans stays n log n. Span
 * text after the second TAB may run over several lines; those continuation
 * lines start with no record tag and are ignored (the offsets are what
 * counts).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "brat.h"

static const char *const role_name[BR_NROLES] = {"content", "source", "cue"};

#define PUSH(arr, n, cap, fail)                                              \
    do {                                                                     \
        if ((n) == (cap)) {                                                  \
            size_t nc_ = (cap) ? 2 * (cap) : 16;                             \
            void *p_ = realloc((arr), nc_ * sizeof *(arr));                  \
            if (!p_) fail;                                                   \
            (arr) = p_;                                                      \
            (cap) = nc_;                                                     \
        }                                                                    \
    } while (0)

typedef struct { uint32_t num, off, n; int valid; } tspan;

static int cmp_tspan(const void *a, const void *b)
{
    const tspan *x = a, *y = b;
    return x->num < y->num ? -1 : x->num > y->num;
}

static int parse_u32(const char **p, uint32_t *v)
{
    const char *s = *p;
    uint64_t x = 0;
    if (!isdigit((unsigned char)*s)) return 0;
    while (isdigit((unsigned char)*s)) {
        x = x * 10 + (uint64_t)(*s - '0');
        if (x > UINT32_MAX) return 0;
        s++;
    }
    *p = s;
    *v = (uint32_t)x;
    return 1;
}

/* Does the line start a standoff record ([TERA#]digits TAB)? */
static int is_record(const char *s)
{
    if (!*s || !strchr("TERA#", *s)) return 0;
    s++;
    if (!isdigit((unsigned char)*s)) return 0;
    while (isdigit((unsigned char)*s)) s++;
    return *s == '\t';
}

void sayso_brat_file_free(brat_file *f)
{
    free(f->fr);
    free(f->a);
    memset(f, 0, sizeof *f);
}

long sayso_brat_read(const char *path, size_t ncp, brat_file *f, FILE *err)
{
    sayso_brat_file_free(f);
    size_t len;
    char *buf = sayso_read_file(path, &len);
    if (!buf) {
        fprintf(err, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    long problems = 0;
    tspan *ts = NULL;
    size_t nt = 0, capt = 0;
    struct eline { const char *s; size_t line; } *es = NULL;
    size_t ne = 0, cape = 0;
    size_t lineno = 0;
    for (char *line = buf; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        lineno++;
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r') line[ll - 1] = 0;
        if (is_record(line) && line[0] == 'T') {
            const char *s = line + 1;
            uint32_t num;
            parse_u32(&s, &num);
            s++; /* TAB */
            while (*s && *s != ' ' && *s != '\t') s++; /* the type */
            tspan t = {num, (uint32_t)f->nfr, 0, 1};
            int ok = *s == ' ';
            while (ok) {
                uint32_t a, b;
                s++;
                if (!parse_u32(&s, &a) || *s != ' ') { ok = 0; break; }
                s++;
                if (!parse_u32(&s, &b)) { ok = 0; break; }
                if (a > b || b > ncp) {
                    fprintf(err, "%s:%zu: span %u-%u outside the text (%zu code points)\n", path, lineno, a, b, ncp);
                    problems++;
                    t.valid = 0;
                }
                PUSH(f->fr, f->nfr, f->capfr, goto oom);
                f->fr[f->nfr++] = (brat_frag){a, b};
                t.n++;
                if (*s == ';') continue;
                if (*s != '\t' && *s != 0) ok = 0;
                break;
            }
            if (!ok) {
                fprintf(err, "%s:%zu: malformed span line\n", path, lineno);
                problems++;
                t.valid = 0;
            }
            PUSH(ts, nt, capt, goto oom);
            ts[nt++] = t;
        } else if (is_record(line) && line[0] == 'E') {
            PUSH(es, ne, cape, goto oom);
            es[ne].s = strchr(line, '\t') + 1;
            es[ne++].line = lineno;
        }
        /* R, A, # records and continuation lines of span text: ignored */
        line = nl ? nl + 1 : NULL;
    }
    if (nt) qsort(ts, nt, sizeof *ts, cmp_tspan);

    for (size_t i = 0; i < ne; i++) {
        brat_attr a;
        memset(&a, 0, sizeof a);
        a.line = es[i].line;
        const char *s = es[i].s;
        while (*s) {
            while (*s == ' ' || *s == '\t') s++;
            if (!*s) break;
            const char *role = s;
            while (*s && *s != ':' && *s != ' ' && *s != '\t') s++;
            size_t rl = (size_t)(s - role);
            int c = -1;
            if (rl == 7 && memcmp(role, "Content", 7) == 0) c = BR_CONTENT;
            else if (rl == 6 && memcmp(role, "Source", 6) == 0) c = BR_SOURCE;
            else if (rl == 3 && memcmp(role, "Cue", 3) == 0) c = BR_CUE;
            if (*s != ':') {
                fprintf(err, "%s:%zu: malformed event argument\n", path, es[i].line);
                problems++;
                while (*s && *s != ' ' && *s != '\t') s++;
                continue;
            }
            s++;
            const char *ref = s;
            while (*s && *s != ' ' && *s != '\t') s++;
            if (c < 0) continue; /* Attribution, Attribution-no-source, unknown */
            uint32_t num;
            const char *q = ref + 1;
            tspan key, *hit = NULL;
            if (*ref == 'T' && parse_u32(&q, &num) && q == s) {
                key.num = num;
                hit = nt ? bsearch(&key, ts, nt, sizeof *ts, cmp_tspan) : NULL;
            }
            if (!hit || !hit->valid) {
                fprintf(err, "%s:%zu: %s argument %.*s: no valid span\n", path, es[i].line, role_name[c],
                        (int)(s - ref), ref);
                problems++;
                continue;
            }
            if (!a.present[c]) {
                a.present[c] = 1;
                a.off[c] = hit->off;
                a.n[c] = hit->n;
            }
        }
        PUSH(f->a, f->na, f->capa, goto oom);
        f->a[f->na++] = a;
    }
    free(ts);
    free(es);
    free(buf);
    return problems;
oom:
    fprintf(err, "%s: out of memory\n", path);
    free(ts);
    free(es);
    free(buf);
    sayso_brat_file_free(f);
    return -1;
}

/* ---- corpus directories ------------------------------------------------- */

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

/* Sorted names of dir's entries ending with suffix; -1 when dir cannot be
 * opened (errno set). */
static long list_dir(const char *dir, const char *suffix, char ***out)
{
    DIR *d = opendir(dir);
    *out = NULL;
    if (!d) return -1;
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !has_suffix(de->d_name, suffix)) continue;
        PUSH(v, n, cap, break);
        if (n == cap || !(v[n] = strdup(de->d_name))) break;
        n++;
    }
    closedir(d);
    if (n) qsort(v, n, sizeof *v, cmp_str);
    *out = v;
    return (long)n;
}

static void free_list(char **v, long n)
{
    for (long i = 0; i < n; i++) free(v[i]);
    free(v);
}

static char *join(const char *a, const char *b, const char *ext)
{
    size_t n = strlen(a) + strlen(b) + strlen(ext) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s%s", a, b, ext);
    return p;
}

void sayso_brat_corpus_free(brat_corpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->d[i].id);
        free(c->d[i].text);
        free(c->d[i].ann);
    }
    free(c->d);
    free(c->text_dir);
    free(c->ann_dir);
    memset(c, 0, sizeof *c);
}

int sayso_brat_corpus(const char *dir, brat_corpus *c, FILE *err)
{
    memset(c, 0, sizeof *c);
    c->text_dir = join(dir, "text", "");
    c->ann_dir = join(dir, "attributions", "");
    if (!c->text_dir || !c->ann_dir) goto oom;
    char **txt, **ann;
    long nt = list_dir(c->text_dir, ".txt", &txt);
    if (nt < 0) {
        fprintf(err, "%s: %s\n", c->text_dir, strerror(errno));
        sayso_brat_corpus_free(c);
        return -1;
    }
    long na = list_dir(c->ann_dir, ".ann", &ann);
    if (na < 0 || nt == 0) {
        fprintf(err, "%s: %s\n", na < 0 ? c->ann_dir : c->text_dir, na < 0 ? strerror(errno) : "no .txt files");
        free_list(txt, nt);
        free_list(ann, na);
        sayso_brat_corpus_free(c);
        return -1;
    }
    c->d = calloc((size_t)nt, sizeof *c->d);
    if (!c->d) { free_list(txt, nt); free_list(ann, na); goto oom; }
    /* Each document's annotation files are the names that start with
     * "ID_": found by binary search in the sorted list. */
    for (long i = 0; i < nt; i++) {
        brat_doc *bd = &c->d[c->n];
        size_t idn = strlen(txt[i]) - 4;
        bd->id = strndup(txt[i], idn);
        bd->text = join(c->text_dir, txt[i], "");
        char *key = bd->id ? join(bd->id, "", "") : NULL; /* "ID/" */
        if (!bd->id || !bd->text || !key) { free(key); c->n++; free_list(txt, nt); free_list(ann, na); goto oom; }
        key[idn] = '_';
        long lo = 0, hi = na;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (strcmp(ann[mid], key) < 0) lo = mid + 1;
            else hi = mid;
        }
        free(key);
        /* DOC_ANN.ann, ANN without '_': the first such name in sorted order. */
        for (long k = lo; k < na && strncmp(ann[k], bd->id, idn) == 0; k++) {
            const char *rest = ann[k] + idn;
            if (rest[0] != '_' || strchr(rest + 1, '_') || strlen(rest) <= 5) continue;
            bd->ann = join(c->ann_dir, ann[k], "");
            if (!bd->ann) { c->n++; free_list(txt, nt); free_list(ann, na); goto oom; }
            break;
        }
        c->n++;
    }
    free_list(txt, nt);
    free_list(ann, na);
    return 0;
oom:
    fprintf(err, "%s: out of memory\n", dir);
    sayso_brat_corpus_free(c);
    return -1;
}
