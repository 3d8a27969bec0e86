/*
 * conllu.c — the CoNLL-U reader: the whole file in memory, lines cut in
 * place, one pass.
 *
 * A sentence is only kept when all of its lines are well formed and its
 * heads make a tree, so the trainers can rely on that (the oracle of the
 * parser would loop or read out of bounds on a cycle).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "conllu.h"

typedef struct {
    sayso_conllu *tb;
    const char *path;
    FILE *err;
    size_t wcap, scap;
    unsigned char *mark; /* cycle check */
    size_t markcap;
} reader;

static int grow_words(reader *r)
{
    sayso_conllu *tb = r->tb;
    if (tb->nw < r->wcap) return 0;
    size_t nc = r->wcap ? r->wcap * 2 : 4096;
    sayso_word *nw = realloc(tb->w, nc * sizeof *nw);
    if (!nw) return -1;
    tb->w = nw;
    const char **nr = realloc(tb->rel, nc * sizeof *nr);
    if (!nr) return -1;
    tb->rel = nr;
    r->wcap = nc;
    return 0;
}

static int add_sentence_start(reader *r, size_t start)
{
    sayso_conllu *tb = r->tb;
    if (tb->nsent + 2 > r->scap) {
        size_t nc = r->scap ? r->scap * 2 : 1024;
        size_t *ns = realloc(tb->sent, nc * sizeof *ns);
        if (!ns) return -1;
        tb->sent = ns;
        r->scap = nc;
    }
    tb->sent[tb->nsent] = start;
    return 0;
}

/* A whole non-negative decimal number of at most 9 digits, or -1. */
static long number(const char *s)
{
    long v = 0;
    size_t i = 0;
    for (; s[i]; i++) {
        if (s[i] < '0' || s[i] > '9' || i >= 9) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return i ? v : -1;
}

static void complain(reader *r, size_t line, const char *what)
{
    if (r->err) fprintf(r->err, "%s:%zu: %s; sentence skipped\n", r->path, line, what);
}

/* Checks the sentence w[start..nw) whose heads are still 1-based (0 for
 * the root) and makes them 0-based (-1). Returns NULL, or what is wrong. */
static const char *finish_tree(reader *r, size_t start)
{
    sayso_conllu *tb = r->tb;
    size_t n = tb->nw - start;
    sayso_word *w = tb->w + start;
    if (n > SAYSO_SYNTAX_MAXWORDS) return "sentence too long";
    size_t roots = 0;
    for (size_t i = 0; i < n; i++) {
        if ((size_t)w[i].head > n) return "head out of range";
        if (w[i].head == 0) roots++;
        w[i].head--;
    }
    if (roots != 1) return "not exactly one root";
    if (n > r->markcap) {
        unsigned char *m = realloc(r->mark, n);
        if (!m) return "out of memory";
        r->mark = m;
        r->markcap = n;
    }
    /* 0: not seen, 1: on the path being walked, 2: reaches the root. */
    memset(r->mark, 0, n);
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        while (w[j].head >= 0 && r->mark[j] == 0) {
            r->mark[j] = 1;
            j = (size_t)w[j].head;
        }
        if (w[j].head >= 0 && r->mark[j] == 1) return "heads form a cycle";
        for (j = i; r->mark[j] != 2; j = (size_t)w[j].head) {
            r->mark[j] = 2;
            if (w[j].head < 0) break;
        }
    }
    return NULL;
}

int sayso_conllu_read(sayso_conllu *tb, const char *path, FILE *err)
{
    memset(tb, 0, sizeof *tb);
    reader r = { .tb = tb, .path = path, .err = err };
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err) fprintf(err, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t len = 0, cap = 1 << 20;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (!buf) break;
        size_t k = fread(buf + len, 1, cap - len, f);
        len += k;
        if (len < cap) break;
        char *nb = realloc(buf, cap * 2 + 1);
        if (!nb) { free(buf); buf = NULL; break; }
        buf = nb;
        cap *= 2;
    }
    int bad_read = ferror(f);
    fclose(f);
    if (!buf || bad_read) {
        free(buf);
        if (err) fprintf(err, "%s: %s\n", path, buf ? "read error" : "out of memory");
        return -1;
    }
    buf[len] = 0;
    tb->buf = buf;

    size_t start = 0, lineno = 0;
    long expect = 1;
    const char *problem = NULL; /* first problem in the current sentence */
    size_t problem_line = 0;
    char *p = buf, *end = buf + len;
    while (p < end || tb->nw > start || problem) {
        char *line = p, *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        char *eol = nl ? nl : end;
        p = nl ? nl + 1 : end;
        lineno++;
        if (eol > line && eol[-1] == '\r') eol--;
        *eol = 0;
        size_t ll = (size_t)(eol - line);
        int blank = 1;
        for (size_t i = 0; i < ll && blank; i++) blank = line[i] == ' ' || line[i] == '\t';
        if (blank) {
            const char *why = problem ? problem : (tb->nw > start ? finish_tree(&r, start) : NULL);
            if (why) {
                complain(&r, problem ? problem_line : lineno - 1, why);
                tb->nw = start;
                tb->dropped++;
            } else if (tb->nw > start) {
                if (add_sentence_start(&r, start) < 0) goto oom;
                tb->nsent++;
                start = tb->nw;
            }
            problem = NULL;
            expect = 1;
            if (p >= end && !nl) break;
            continue;
        }
        if (line[0] == '#' || problem) continue;
        char *col[10];
        size_t nc = 0;
        col[nc++] = line;
        for (char *c = line; *c; c++) {
            if (*c != '\t') continue;
            *c = 0;
            if (nc == 10) { nc++; break; }
            col[nc++] = c + 1;
        }
        if (nc != 10) {
            problem = "not 10 tab-separated columns";
            problem_line = lineno;
            continue;
        }
        if (strchr(col[0], '-') || strchr(col[0], '.')) continue; /* multiword token, empty node */
        long id = number(col[0]);
        long head = number(col[6]);
        int upos = sayso_upos_id(col[3], strlen(col[3]));
        if (id != expect) problem = "word id out of sequence";
        else if (upos < 0) problem = "unknown UPOS tag";
        else if (head < 0) problem = "head is not a number";
        else if (head > SAYSO_SYNTAX_MAXWORDS) problem = "head out of range";
        else if (!col[7][0] || strcmp(col[7], "_") == 0) problem = "no relation";
        else if (!col[1][0]) problem = "empty form";
        else if (id > SAYSO_SYNTAX_MAXWORDS) problem = "sentence too long";
        if (problem) {
            problem_line = lineno;
            continue;
        }
        expect++;
        if (grow_words(&r) < 0) goto oom;
        sayso_word *w = &tb->w[tb->nw];
        memset(w, 0, sizeof *w);
        w->s = col[1];
        w->n = (uint32_t)strlen(col[1]);
        w->upos = (uint8_t)upos;
        w->head = (int16_t)head; /* 1-based until the sentence ends */
        tb->rel[tb->nw] = col[7];
        tb->nw++;
    }
    if (add_sentence_start(&r, tb->nw) < 0) goto oom;
    free(r.mark);
    sayso_syntax_prepare(tb->w, tb->nw);
    return 0;
oom:
    free(r.mark);
    if (err) fprintf(err, "%s: out of memory\n", path);
    sayso_conllu_free(tb);
    return -1;
}

void sayso_conllu_free(sayso_conllu *tb)
{
    if (!tb) return;
    free(tb->buf);
    free(tb->w);
    free(tb->rel);
    free(tb->sent);
    memset(tb, 0, sizeof *tb);
}
