/*
 * read.c — from command-line paths to clean articles.
 *
 * Owns the input side of `sayso extract`:
 *   - the list of inputs: files, directories (walked lazily, one sorted level
 *     at a time, so a huge corpus costs memory per directory, not per file)
 *     and "-" for stdin;
 *   - the input formats: a plain-text file is one article (with an
 *     optional " date YYYY-MM-DD " header), a JSONL file is one article per
 *     line, a web page (*.html, *.htm) is one article made by html.h, a WARC
 *     crawl is read by warc.c; stdin is sniffed;
 *   - byte hygiene: every article handed out is valid UTF-8 without NUL bytes.
 *
 * Every input goes through zlib's gzread, which decompresses gzip and passes
 * plain files through unchanged (reading big requests straight into our
 * buffer), so compressed and plain inputs share one code path.
 *
 * Memory: one read buffer, one repair buffer and one cJSON tree are reused
 * from article to article; they grow to the largest article seen and no
 * further. There is no line or article length limit.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>
#include <zlib.h>

#include "html.h"
#include "read.h"
#include "warc.h"

#define READ_CHUNK ((size_t)1 << 20) /* initial buffer size and read size */
#define GZ_BUFFER (1u << 17)         /* zlib's own buffer, for .gz inputs */
#define MAX_GZREAD ((size_t)1 << 30) /* gzread takes an unsigned int */

typedef struct {
    char *dir;    /* the directory's path, prefix of its entries */
    char **names; /* its entries, sorted by name */
    size_t n, next;
} dir_frame;

typedef enum { IN_NONE, IN_TEXT, IN_JSONL, IN_WARC, IN_HTML } input_kind;

struct sayso_reader {
    char **paths; /* copies of the command-line paths */
    size_t n_paths, next_path;
    FILE *err;

    dir_frame *dirs; /* the directory walk in progress, innermost last */
    size_t n_dirs, cap_dirs;

    /* The current input. name outlives the input itself: messages about
     * the last article of a file still need it. */
    gzFile gz;
    input_kind kind;
    int eof, failed; /* failed: a read error ended the input early */
    char *name;
    size_t line;

    /* Read buffer: unconsumed bytes are buf[beg..end); scan is where the
     * search for the next newline resumes, so a long line is scanned once. */
    char *buf;
    size_t cap, beg, end, scan;

    char *fix; /* repaired copy of the current text or line */
    size_t fix_cap;

    cJSON *json; /* the current JSONL article; its strings are handed out */
    char *id;
    size_t id_cap;
    char date[11];

    /* A WARC input reads its own bytes (warc.c inflates gzip member by
     * member, to resume after a corrupt one): from warc_fd, or, for stdin,
     * through gz after what sniffing left in buf. */
    sayso_warc *warc;
    int warc_fd;

    sayso_page page; /* the current HTML article; its strings are handed out */

    size_t skipped, bytes;
};

/* ---- Messages ---------------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void report(const sayso_reader *r, const char *file, size_t line, const char *fmt, ...)
{
    if (!r->err) return;
    va_list ap;
    if (line)
        fprintf(r->err, "sayso: %s:%zu: ", file, line);
    else
        fprintf(r->err, "sayso: %s: ", file);
    va_start(ap, fmt);
    vfprintf(r->err, fmt, ap);
    va_end(ap);
    putc('\n', r->err);
}

static void report_repairs(const sayso_reader *r, size_t line, size_t n)
{
    report(r, r->name, line, "%zu invalid UTF-8 %s replaced by U+FFFD", n,
           n == 1 ? "sequence or NUL byte" : "sequences or NUL bytes");
}

/* ---- UTF-8 repair ------------------------------------------------------- */

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/*
 * Length of the well-formed UTF-8 sequence at s (n > 0 bytes available), or
 * minus the length of its maximal invalid subpart: the longest prefix that
 * could still have begun a valid sequence, which becomes one U+FFFD (the
 * practice Unicode recommends, and what browsers and Python do). The ranges
 * of the second byte exclude overlongs (E0, F0), surrogates (ED) and code
 * points past U+10FFFF (F4).
 */
static inline int utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    int need;
    if (c < 0x80) return c ? 1 : -1;
    if (c < 0xC2) return -1;
    if (c < 0xE0) {
        need = 1;
    } else if (c < 0xF0) {
        need = 2;
        if (c == 0xE0) lo = 0xA0;
        else if (c == 0xED) hi = 0x9F;
    } else if (c < 0xF5) {
        need = 3;
        if (c == 0xF0) lo = 0x90;
        else if (c == 0xF4) hi = 0x8F;
    } else {
        return -1;
    }
    if (n < 2 || s[1] < lo || s[1] > hi) return -1;
    for (int k = 2; k <= need; k++)
        if ((size_t)k >= n || (s[k] & 0xC0) != 0x80) return -k;
    return need + 1;
}

/*
 * One pass over buf: counts the replacements and the repaired length and,
 * when out is not NULL, writes the repaired bytes there. Counting and writing
 * share this code so that the size computed for out is exact by construction.
 * Clean stretches are skipped 8 bytes at a time: a word has neither a NUL
 * nor a byte >= 0x80 exactly when (w | (w - ONES)) has no high bit set
 * (a borrow can only start at a zero byte).
 */
static size_t utf8_scan(const char *buf, size_t len, char *out, size_t *out_len)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0, o = 0, run = 0, bad = 0;
    while (i < len) {
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w | (w - ONES)) & HIGHS) break;
            i += 8;
        }
        if (i >= len) break;
        if (s[i] - 1u < 0x7Fu) { /* 0x01..0x7F */
            i++;
            continue;
        }
        int l = utf8_seq(s + i, len - i);
        if (l > 0) {
            i += (size_t)l;
            continue;
        }
        if (out) {
            memcpy(out + o, s + run, i - run);
            memcpy(out + o + (i - run), "\xEF\xBF\xBD", 3);
        }
        o += i - run + 3;
        i += (size_t)-l;
        run = i;
        bad++;
    }
    if (out && bad) memcpy(out + o, s + run, len - run);
    o += len - run;
    *out_len = o;
    return bad;
}

size_t sayso_utf8_repair(const char *buf, size_t len, char **out, size_t *out_len)
{
    size_t n_out;
    size_t bad = utf8_scan(buf, len, NULL, &n_out);
    if (!bad) return 0;
    char *o = malloc(n_out + 1);
    if (!o) return 0;
    utf8_scan(buf, len, o, &n_out);
    o[n_out] = 0;
    *out = o;
    *out_len = n_out;
    return bad;
}

/* Makes room for n bytes plus a terminating NUL in a reusable buffer. */
static int reserve(char **buf, size_t *cap, size_t n)
{
    if (n < *cap) return 0;
    size_t c = *cap ? *cap : READ_CHUNK;
    while (c <= n) c *= 2;
    char *b = realloc(*buf, c);
    if (!b) return -1;
    *buf = b;
    *cap = c;
    return 0;
}

/* Repairs text[0..*len) into r->fix if needed; returns the replacements
 * (or (size_t)-1 when out of memory) and updates *text and *len. */
static size_t repair(sayso_reader *r, const char **text, size_t *len)
{
    size_t n_out, bad = utf8_scan(*text, *len, NULL, &n_out);
    if (!bad) return 0;
    if (reserve(&r->fix, &r->fix_cap, n_out) != 0) return (size_t)-1;
    utf8_scan(*text, *len, r->fix, &n_out);
    r->fix[n_out] = 0;
    *text = r->fix;
    *len = n_out;
    return bad;
}

/* ---- Inputs ------------------------------------------------------------- */

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)s[n - k + i]) != suffix[i]) return 0;
    return 1;
}

static int is_jsonl_name(const char *name)
{
    return has_suffix(name, ".jsonl") || has_suffix(name, ".jsonl.gz");
}

static int is_warc_name(const char *name)
{
    return has_suffix(name, ".warc") || has_suffix(name, ".warc.gz");
}

static int is_html_name(const char *name)
{
    return has_suffix(name, ".html") || has_suffix(name, ".htm") || has_suffix(name, ".html.gz") ||
           has_suffix(name, ".htm.gz");
}

static int is_input_name(const char *name)
{
    return has_suffix(name, ".txt") || is_jsonl_name(name) || is_warc_name(name) || is_html_name(name);
}

static char *join_path(const char *dir, const char *name)
{
    size_t d = strlen(dir), n = strlen(name);
    while (d > 1 && dir[d - 1] == '/') d--;
    char *p = malloc(d + 1 + n + 1);
    if (!p) return NULL;
    memcpy(p, dir, d);
    p[d] = '/';
    memcpy(p + d + 1, name, n + 1);
    return p;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pop_dir(sayso_reader *r)
{
    dir_frame *f = &r->dirs[--r->n_dirs];
    for (size_t i = f->next; i < f->n; i++) free(f->names[i]);
    free(f->names);
    free(f->dir);
}

/* Reads and sorts one directory level and pushes it; takes path. Hidden
 * entries (".git", ".DS_Store", editor droppings) are never inputs. */
static void push_dir(sayso_reader *r, char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        report(r, path, 0, "%s", strerror(errno));
        r->skipped++;
        free(path);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int oom = 0;
    while (!oom && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            size_t c = cap ? cap * 2 : 64;
            char **nn = realloc(names, c * sizeof *names);
            if (!nn) { oom = 1; break; }
            names = nn;
            cap = c;
        }
        if (!(names[n] = strdup(e->d_name))) oom = 1;
        else n++;
    }
    closedir(d);
    if (!oom && r->n_dirs == r->cap_dirs) {
        size_t c = r->cap_dirs ? r->cap_dirs * 2 : 8;
        dir_frame *nd = realloc(r->dirs, c * sizeof *nd);
        if (nd) { r->dirs = nd; r->cap_dirs = c; }
        else oom = 1;
    }
    if (oom) {
        report(r, path, 0, "out of memory");
        r->skipped++;
        for (size_t i = 0; i < n; i++) free(names[i]);
        free(names);
        free(path);
        return;
    }
    if (n > 1) qsort(names, n, sizeof *names, cmp_names);
    r->dirs[r->n_dirs++] = (dir_frame){path, names, n, 0};
}

/* The next file of the directory walk, or NULL when the walk is over.
 * Symbolic links to files are followed, links to directories are not: that
 * is what keeps the walk finite. */
static char *walk_next(sayso_reader *r)
{
    while (r->n_dirs) {
        dir_frame *f = &r->dirs[r->n_dirs - 1];
        if (f->next == f->n) {
            pop_dir(r);
            continue;
        }
        char *name = f->names[f->next++];
        char *path = join_path(f->dir, name);
        free(name);
        if (!path) {
            report(r, f->dir, 0, "out of memory");
            r->skipped++;
            continue;
        }
        struct stat st;
        if (lstat(path, &st) != 0) {
            report(r, path, 0, "%s", strerror(errno));
            r->skipped++;
            free(path);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            push_dir(r, path); /* invalidates f */
            continue;
        }
        if (S_ISLNK(st.st_mode) && stat(path, &st) != 0) st.st_mode = 0; /* dangling */
        if (S_ISREG(st.st_mode) && is_input_name(path)) return path;
        free(path); /* a pipe or device named *.txt could block the walk */
    }
    return NULL;
}

static void close_input(sayso_reader *r)
{
    if (r->warc) {
        sayso_warc_counts c;
        sayso_warc_get_counts(r->warc, &c);
        r->skipped += c.broken;
        sayso_warc_report_counts(r->warc);
        sayso_warc_free(r->warc);
        r->warc = NULL;
    }
    if (r->warc_fd >= 0) close(r->warc_fd);
    r->warc_fd = -1;
    if (r->gz) gzclose(r->gz);
    r->gz = NULL;
    r->kind = IN_NONE;
}

/* ---- WARC --------------------------------------------------------------- */

static ssize_t warc_from_fd(void *ctx, void *buf, size_t n)
{
    return read(((sayso_reader *)ctx)->warc_fd, buf, n);
}

/* stdin: first what sniffing read, then the rest through zlib (which has
 * undone gzip already: a corrupt member ends the input there). */
static ssize_t warc_from_stdin(void *ctx, void *buf, size_t n)
{
    sayso_reader *r = ctx;
    if (r->beg < r->end) {
        size_t k = r->end - r->beg < n ? r->end - r->beg : n;
        memcpy(buf, r->buf + r->beg, k);
        r->beg += k;
        return (ssize_t)k;
    }
    int got = gzread(r->gz, buf, (unsigned)(n < MAX_GZREAD ? n : MAX_GZREAD));
    if (got < 0) {
        int errnum;
        const char *msg = gzerror(r->gz, &errnum);
        report(r, r->name, 0, "read error (%s)", errnum == Z_ERRNO ? strerror(errno) : msg);
        return 0;
    }
    return got;
}

/* Makes the current input a WARC; takes name when fd >= 0 (a file). */
static int open_warc(sayso_reader *r, int fd, char *name)
{
    if (fd >= 0) {
        free(r->name);
        r->name = name;
        r->line = 0;
        r->warc_fd = fd;
    }
    r->warc = sayso_warc_new(fd >= 0 ? warc_from_fd : warc_from_stdin, r, r->name, r->err);
    if (!r->warc) {
        report(r, r->name, 0, "out of memory");
        r->skipped++;
        close_input(r);
        return -1;
    }
    r->kind = IN_WARC;
    return 0;
}

/* Opens fd as the current input; takes name. */
static int open_fd(sayso_reader *r, int fd, char *name, input_kind kind)
{
    free(r->name);
    r->name = name;
    r->line = 0;
    r->eof = r->failed = 0;
    r->beg = r->end = r->scan = 0;
    r->gz = gzdopen(fd, "rb");
    if (!r->gz) {
        close(fd);
        report(r, name, 0, "out of memory");
        r->skipped++;
        return -1;
    }
    gzbuffer(r->gz, GZ_BUFFER);
    r->kind = kind;
    return 0;
}

/* Reads more input after buf[end]; returns the bytes read, 0 at the end of
 * the input (with r->eof set). Read errors end the input with a message. */
static size_t fill(sayso_reader *r)
{
    if (r->eof) return 0;
    if (r->end + 1 >= r->cap &&
        reserve(&r->buf, &r->cap, r->cap ? r->cap * 2 : READ_CHUNK) != 0) {
        report(r, r->name, 0, "out of memory");
        r->skipped++;
        r->eof = r->failed = 1;
        return 0;
    }
    size_t want = r->cap - 1 - r->end; /* keep room for a NUL */
    if (want > MAX_GZREAD) want = MAX_GZREAD;
    int got = gzread(r->gz, r->buf + r->end, (unsigned)want);
    if (got > 0) {
        r->end += (size_t)got;
        return (size_t)got;
    }
    r->eof = 1;
    int errnum = Z_OK;
    const char *msg = gzerror(r->gz, &errnum);
    if (got < 0 || (errnum != Z_OK && errnum != Z_STREAM_END)) {
        if (errnum == Z_ERRNO) msg = strerror(errno);
        else if (strncmp(msg, "<fd:", 4) == 0 && strstr(msg, ": ")) /* we name the file ourselves */
            msg = strstr(msg, ": ") + 2;
        report(r, r->name, 0, "read error (%s)", msg);
        r->skipped++;
        r->failed = 1;
    }
    return 0;
}

/* After blanks: "<!doctype html", "<html", or a tag or comment of the
 * kind that starts pages ("<head", "<meta", "<!--"); a text article rarely
 * starts with '<' followed by a letter or '!'. */
static int sniff_html(const char *s, size_t n)
{
    if (n < 2) return 0;
    unsigned char c = (unsigned char)s[1];
    return c == '!' || c == '?' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* stdin is JSONL when its first non-blank byte (after a BOM) is '{', HTML
 * when it is '<' and a tag follows. */
static input_kind sniff(sayso_reader *r)
{
    size_t i = 0;
    for (;;) {
        for (; i < r->end; i++) {
            unsigned char c = (unsigned char)r->buf[i];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
            if (i == 0 && r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
                i = 2;
                continue;
            }
            if (c == '{') return IN_JSONL;
            return c == '<' && sniff_html(r->buf + i, r->end - i) ? IN_HTML : IN_TEXT;
        }
        if (!fill(r)) return IN_TEXT;
    }
}

/* Opens the next input, walking directories; returns 0 when none is left. */
static int next_input(sayso_reader *r)
{
    for (;;) {
        char *path = walk_next(r);
        if (!path) {
            if (r->next_path >= r->n_paths) return 0;
            const char *arg = r->paths[r->next_path++];
            if (strcmp(arg, "-") == 0) {
                int fd = dup(STDIN_FILENO);
                char *name = strdup("stdin");
                if (fd < 0 || !name) {
                    report(r, "stdin", 0, "%s", fd < 0 ? strerror(errno) : "out of memory");
                    r->skipped++;
                    if (fd >= 0) close(fd);
                    free(name);
                    continue;
                }
                if (open_fd(r, fd, name, IN_TEXT) != 0) continue;
                r->kind = sniff(r);
                if (r->kind == IN_TEXT && sayso_warc_sniff(r->buf + r->beg, r->end - r->beg) &&
                    open_warc(r, -1, NULL) != 0)
                    continue;
                return 1;
            }
            struct stat st;
            if (stat(arg, &st) != 0) {
                report(r, arg, 0, "%s", strerror(errno));
                r->skipped++;
                continue;
            }
            if (!(path = strdup(arg))) {
                report(r, arg, 0, "out of memory");
                r->skipped++;
                continue;
            }
            if (S_ISDIR(st.st_mode)) {
                push_dir(r, path);
                continue;
            }
        }
        int fd = open(path, O_RDONLY);
        if (fd < 0) {
            report(r, path, 0, "%s", strerror(errno));
            r->skipped++;
            free(path);
            continue;
        }
        if (is_warc_name(path)) {
            if (open_warc(r, fd, path) != 0) continue;
            return 1;
        }
        /* A text file is read whole: size the buffer for it up front. */
        struct stat st;
        if (!is_jsonl_name(path) && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            reserve(&r->buf, &r->cap, (size_t)st.st_size + 1) != 0) {
            report(r, path, 0, "out of memory");
            r->skipped++;
            close(fd);
            free(path);
            continue;
        }
        if (open_fd(r, fd, path, is_jsonl_name(path) ? IN_JSONL : is_html_name(path) ? IN_HTML : IN_TEXT) != 0)
            continue;
        return 1;
    }
}

/* ---- Plain text --------------------------------------------------------- */

/* "dir/0042_ab.txt" -> "0042_ab"; a ".gz" goes with the extension before it. */
static int set_id_from_name(sayso_reader *r)
{
    const char *base = strrchr(r->name, '/');
    base = base ? base + 1 : r->name;
    size_t n = strlen(base);
    if (has_suffix(base, ".gz")) n -= 3;
    for (size_t i = n; i > 1; i--)
        if (base[i - 1] == '.') {
            n = i - 1;
            break;
        }
    if (reserve(&r->id, &r->id_cap, n) != 0) return -1;
    memcpy(r->id, base, n);
    r->id[n] = 0;
    return 0;
}

/* The whole input is one article. */
static int read_text(sayso_reader *r, sayso_article *art)
{
    cJSON_Delete(r->json); /* a JSONL article from an earlier input */
    r->json = NULL;
    while (fill(r) > 0) {}
    if (r->failed) return 0;
    r->buf[r->end] = 0;
    const char *text = r->buf + r->beg;
    size_t len = r->end - r->beg;
    size_t bad = repair(r, &text, &len);
    if (bad == (size_t)-1 || set_id_from_name(r) != 0) {
        report(r, r->name, 0, "out of memory, article skipped");
        r->skipped++;
        return 0;
    }
    if (bad) report_repairs(r, 0, bad);
    memset(art, 0, sizeof *art);
    art->id = r->id;
    art->text = text;
    art->len = len;
    art->body = sayso_parse_date_header(text, len, r->date);
    art->date = r->date[0] ? r->date : NULL;
    return 1;
}

/* ---- HTML --------------------------------------------------------------- */

/* A saved page's file name often says nothing ("index.html", or
 * "source.html" in a folder per page): then the folder names it. */
static int set_page_id(sayso_reader *r)
{
    if (set_id_from_name(r) != 0) return -1;
    static const char *const generic[] = {"index", "default", "source", "page", "article", "content", "main"};
    int is_generic = 0;
    for (size_t i = 0; i < sizeof generic / sizeof *generic; i++)
        if (strcmp(r->id, generic[i]) == 0) is_generic = 1;
    const char *slash = strrchr(r->name, '/');
    if (!is_generic || !slash || slash == r->name) return 0;
    const char *dir = slash;
    while (dir > r->name && dir[-1] != '/') dir--;
    size_t n = (size_t)(slash - dir);
    if (n == 0 || (n == 1 && dir[0] == '.') || (n == 2 && dir[0] == '.' && dir[1] == '.')) return 0;
    if (reserve(&r->id, &r->id_cap, n) != 0) return -1;
    memcpy(r->id, dir, n);
    r->id[n] = 0;
    return 0;
}

/* The whole input is one web page. */
static int read_html(sayso_reader *r, sayso_article *art)
{
    cJSON_Delete(r->json);
    r->json = NULL;
    sayso_page_clear(&r->page);
    while (fill(r) > 0) {}
    if (r->failed) return 0;
    char err[256];
    if (sayso_html_extract(r->buf + r->beg, r->end - r->beg, NULL, NULL, &r->page, err, sizeof err) != 0) {
        report(r, r->name, 0, "%s, page skipped", err);
        r->skipped++;
        return 0;
    }
    if (err[0]) report(r, r->name, 0, "%s", err);
    if (set_page_id(r) != 0) {
        report(r, r->name, 0, "out of memory, page skipped");
        r->skipped++;
        return 0;
    }
    memset(art, 0, sizeof *art);
    art->id = r->id;
    art->text = r->page.text;
    art->len = r->page.len;
    art->title = r->page.title;
    art->date = r->page.date;
    art->url = r->page.url;
    art->authors = r->page.authors;
    art->site = r->page.site;
    art->lang = r->page.lang;
    return 1;
}

/* ---- JSONL -------------------------------------------------------------- */

/* The next line of the input without its '\n', in place in the read buffer
 * (so the caller may modify it). Returns 0 at the end of the input; an
 * unterminated last line counts, unless a read error cut it short. */
static int read_line(sayso_reader *r, char **line, size_t *len)
{
    for (;;) {
        char *nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
        if (nl) {
            *line = r->buf + r->beg;
            *len = (size_t)(nl - *line);
            r->beg = r->scan = (size_t)(nl - r->buf) + 1;
            return 1;
        }
        r->scan = r->end;
        if (r->eof) {
            size_t beg = r->beg;
            r->beg = r->end;
            if (beg == r->end || r->failed) return 0;
            *line = r->buf + beg;
            *len = r->end - beg;
            return 1;
        }
        if (r->beg > 0) {
            memmove(r->buf, r->buf + r->beg, r->end - r->beg);
            r->end -= r->beg;
            r->scan -= r->beg;
            r->beg = 0;
        }
        fill(r);
    }
}

static int is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int hex4(const char *p, unsigned *v)
{
    unsigned x = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        x <<= 4;
        if (c >= '0' && c <= '9') x |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') x |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') x |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *v = x;
    return 1;
}

/*
 * The escapes "\u0000" and lone surrogates ("\ud800" without its pair) would
 * decode to a NUL that cuts cJSON's C string short, or be rejected so that the
 * whole article is lost. Rewriting them to "\ufffd" keeps the line's length,
 * so it is done in place before parsing. Backslashes only occur in strings in
 * valid JSON, and stepping over each escape pair keeps "\\u0000" (an escaped
 * backslash before "u0000") intact.
 */
static size_t fix_escapes(char *s, size_t len)
{
    char *p = s, *end = s + len;
    size_t n = 0;
    while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
        unsigned v, w;
        if (end - p < 6 || p[1] != 'u' || !hex4(p + 2, &v)) {
            if (end - p < 2) break;
            p += 2;
            continue;
        }
        if (v >= 0xD800 && v <= 0xDBFF && end - p >= 12 && p[6] == '\\' && p[7] == 'u' &&
            hex4(p + 8, &w) && w >= 0xDC00 && w <= 0xDFFF) {
            p += 12;
            continue;
        }
        if (v == 0 || (v >= 0xD800 && v <= 0xDFFF)) {
            memcpy(p + 2, "fffd", 4);
            n++;
        }
        p += 6;
    }
    return n;
}

static int looks_like_date(const char *s)
{
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-') return 0;
        } else if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

static const char *string_field(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The article's id: the "id" field (a string, or a number as written in
 * most datasets), else FILE:LINE so that every article stays findable. */
static const char *json_id(sayso_reader *r)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, "id");
    if (cJSON_IsString(v)) return v->valuestring;
    size_t need = strlen(r->name) + 32;
    if (reserve(&r->id, &r->id_cap, need) != 0) return NULL;
    double d = cJSON_IsNumber(v) ? v->valuedouble : 0;
    if (cJSON_IsNumber(v) && d >= -9e15 && d <= 9e15 && d == (double)(long long)d)
        snprintf(r->id, r->id_cap, "%lld", (long long)d);
    else if (cJSON_IsNumber(v))
        snprintf(r->id, r->id_cap, "%.17g", d);
    else
        snprintf(r->id, r->id_cap, "%s:%zu", r->name, r->line);
    return r->id;
}

/* Turns one non-blank line into an article; 0 (after a message) if it is
 * not one. */
static int parse_line(sayso_reader *r, char *line, size_t len, sayso_article *art)
{
    const char *clean = line;
    size_t n = len;
    size_t bad = repair(r, &clean, &n);
    if (bad == (size_t)-1) {
        report(r, r->name, r->line, "out of memory, article skipped");
        return 0;
    }
    char *json = bad ? r->fix : line;
    bad += fix_escapes(json, n);

    cJSON_Delete(r->json);
    const char *end = NULL;
    r->json = cJSON_ParseWithLengthOpts(json, n, &end, 0);
    if (!r->json) {
        report(r, r->name, r->line, "malformed JSON (at column %zu)",
               end ? (size_t)(end - json) + 1 : (size_t)1);
        return 0;
    }
    while (end < json + n && is_json_space(*end)) end++;
    if (end < json + n) {
        report(r, r->name, r->line, "malformed JSON (unexpected text at column %zu)",
               (size_t)(end - json) + 1);
        return 0;
    }
    if (!cJSON_IsObject(r->json)) {
        report(r, r->name, r->line, "malformed JSON (not an object)");
        return 0;
    }

    static const char *const text_keys[] = {"text", "content", "body"};
    const cJSON *text = NULL, *first = NULL;
    for (size_t i = 0; i < sizeof text_keys / sizeof *text_keys && !text; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, text_keys[i]);
        if (v && !first) first = v;
        if (cJSON_IsString(v)) text = v;
    }
    if (!text) {
        if (first)
            report(r, r->name, r->line, "no text field (\"%s\" is not a string)", first->string);
        else
            report(r, r->name, r->line, "no text field");
        return 0;
    }

    memset(art, 0, sizeof *art);
    if (!(art->id = json_id(r))) {
        report(r, r->name, r->line, "out of memory, article skipped");
        return 0;
    }
    const char *date = string_field(r->json, "date");
    r->date[0] = 0;
    if (date && looks_like_date(date)) {
        memcpy(r->date, date, 10);
        r->date[10] = 0;
        art->date = r->date;
    }
    art->title = string_field(r->json, "title");
    art->url = string_field(r->json, "url");
    art->authors = string_field(r->json, "authors");
    art->site = string_field(r->json, "site");
    art->lang = string_field(r->json, "lang");
    art->text = text->valuestring;
    art->len = strlen(text->valuestring);
    if (bad) report_repairs(r, r->line, bad);
    return 1;
}

static int read_jsonl(sayso_reader *r, sayso_article *art)
{
    char *line;
    size_t len;
    while (read_line(r, &line, &len)) {
        r->line++;
        /* A BOM starts some files saved on Windows; it belongs to no article. */
        if (r->line == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
            line += 3;
            len -= 3;
        }
        size_t i = 0;
        while (i < len && is_json_space(line[i])) i++;
        if (i == len) continue;
        if (parse_line(r, line, len, art)) return 1;
        r->skipped++;
    }
    return 0;
}

/* ---- Web pages handed out raw ------------------------------------------- */

/* The whole input is one web page, extracted later. */
static int raw_html(sayso_reader *r, sayso_raw_page *raw)
{
    cJSON_Delete(r->json);
    r->json = NULL;
    while (fill(r) > 0) {}
    if (r->failed) return 0;
    if (set_page_id(r) != 0) {
        report(r, r->name, 0, "out of memory, page skipped");
        r->skipped++;
        return 0;
    }
    memset(raw, 0, sizeof *raw);
    raw->html = r->buf + r->beg;
    raw->len = r->end - r->beg;
    raw->id = r->id;
    return 1;
}

/* The next page of a crawl, extracted later. */
static int raw_warc(sayso_reader *r, sayso_raw_page *raw)
{
    sayso_warc_page pg;
    if (!sayso_warc_next_page(r->warc, &pg)) return 0;
    r->line = pg.rec.number;
    memset(raw, 0, sizeof *raw);
    raw->html = pg.html;
    raw->len = pg.len;
    raw->charset = pg.charset;
    raw->url = pg.rec.uri[0] ? pg.rec.uri : NULL;
    raw->id = raw->url;
    raw->date = pg.rec.date[0] ? pg.rec.date : NULL;
    return 1;
}

int sayso_page_article(const sayso_raw_page *raw, sayso_page *page, char date[11], sayso_article *art,
                       char *err, size_t errlen)
{
    sayso_page_clear(page);
    err[0] = 0;
    if (sayso_html_extract(raw->html, raw->len, raw->charset, raw->url, page, err, errlen) != 0) return -1;
    memset(art, 0, sizeof *art);
    art->text = page->text ? page->text : "";
    art->len = page->text ? page->len : 0;
    art->id = raw->id ? raw->id : page->url;
    art->url = raw->url ? raw->url : page->url;
    art->title = page->title;
    art->authors = page->authors;
    art->site = page->site;
    art->lang = page->lang;
    art->date = page->date;
    date[0] = 0;
    if (!art->date && raw->date && strlen(raw->date) >= 10 && looks_like_date(raw->date)) {
        memcpy(date, raw->date, 10);
        date[10] = 0;
        art->date = date;
    }
    return 0;
}

void sayso_reader_page_message(sayso_reader *r, const char *file, size_t line, const char *msg, int skipped)
{
    if (line)
        report(r, file, 0, "record %zu: %s%s", line, msg, skipped ? "; skipped" : "");
    else
        report(r, file, 0, "%s%s", msg, skipped ? ", page skipped" : "");
    if (skipped) r->skipped++;
}

/* ---- Public interface --------------------------------------------------- */

sayso_reader *sayso_reader_new(const char *const *paths, size_t n, FILE *err)
{
    static const char *const just_stdin[] = {"-"};
    if (n == 0 || !paths) {
        paths = just_stdin;
        n = 1;
    }
    sayso_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->err = err;
    r->warc_fd = -1;
    r->paths = calloc(n, sizeof *r->paths);
    r->buf = malloc(READ_CHUNK);
    r->cap = READ_CHUNK;
    if (!r->paths || !r->buf) {
        sayso_reader_free(r);
        return NULL;
    }
    for (; r->n_paths < n; r->n_paths++)
        if (!(r->paths[r->n_paths] = strdup(paths[r->n_paths]))) {
            sayso_reader_free(r);
            return NULL;
        }
    return r;
}

void sayso_reader_free(sayso_reader *r)
{
    if (!r) return;
    close_input(r);
    while (r->n_dirs) pop_dir(r);
    free(r->dirs);
    for (size_t i = 0; i < r->n_paths; i++) free(r->paths[i]);
    free(r->paths);
    cJSON_Delete(r->json);
    sayso_page_clear(&r->page);
    free(r->buf);
    free(r->fix);
    free(r->id);
    free(r->name);
    free(r);
}

int sayso_reader_next(sayso_reader *r, sayso_article *art)
{
    return sayso_reader_next_item(r, art, NULL);
}

int sayso_reader_next_item(sayso_reader *r, sayso_article *art, sayso_raw_page *raw)
{
    for (;;) {
        if (raw && r->kind == IN_HTML) {
            int ok = raw_html(r, raw);
            close_input(r);
            if (ok) {
                r->bytes += raw->len;
                return 2;
            }
        } else if (raw && r->kind == IN_WARC) {
            if (raw_warc(r, raw)) {
                r->bytes += raw->len;
                return 2;
            }
            close_input(r);
        } else if (r->kind == IN_JSONL) {
            if (read_jsonl(r, art)) break;
            close_input(r);
        } else if (r->kind == IN_TEXT) {
            int ok = read_text(r, art);
            close_input(r);
            if (ok) break;
        } else if (r->kind == IN_HTML) {
            int ok = read_html(r, art);
            close_input(r);
            if (ok) break;
        } else if (r->kind == IN_WARC) {
            if (sayso_warc_next_article(r->warc, art)) {
                r->line = sayso_warc_record_number(r->warc);
                break;
            }
            close_input(r);
        }
        if (!next_input(r)) return 0;
    }
    r->bytes += art->len;
    return 1;
}

const char *sayso_reader_file(const sayso_reader *r)
{
    return r->name ? r->name : "";
}

size_t sayso_reader_line(const sayso_reader *r)
{
    return r->line;
}

size_t sayso_reader_skipped(const sayso_reader *r)
{
    return r->skipped;
}

size_t sayso_reader_bytes(const sayso_reader *r)
{
    return r->bytes;
}

char *sayso_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f) || !buf;
    fclose(f);
    if (bad) {
        int e = buf ? EIO : ENOMEM;
        free(buf);
        errno = e;
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}
