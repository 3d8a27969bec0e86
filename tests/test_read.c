/*
 * test_read.c — the input side: UTF-8 repair, text files and their date
 * header, JSONL fields and errors, directory walks, gzip, stdin sniffing and
 * very large articles. Files are written under $SAYSO_TMP/read/.
 */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include "read.h"

#define FFFD "\xEF\xBF\xBD"

static char tmp_root[2048];

/* ---- helpers ------------------------------------------------------------ */

static void rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            rm_tree(sub);
        }
        if (d) closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* $SAYSO_TMP/read/NAME, in a static buffer (one of a few in rotation). */
static const char *tmp_path(const char *name)
{
    static char bufs[8][4096];
    static int next;
    char *b = bufs[next++ % 8];
    int k = snprintf(b, 4096, "%s/%s", tmp_root, name);
    assert_true(k > 0 && k < 4096);
    return b;
}

static void put_file(const char *name, const char *data, size_t len)
{
    assert_int_equal(tu_write_file(tmp_path(name), data, len), 0);
}

static void put_str(const char *name, const char *data)
{
    put_file(name, data, strlen(data));
}

static void make_dir(const char *name)
{
    mkdir(tmp_path(name), 0777);
}

static void put_gz(const char *name, const char *data)
{
    gzFile gz = gzopen(tmp_path(name), "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, data, (unsigned)strlen(data)), (int)strlen(data));
    assert_int_equal(gzclose(gz), Z_OK);
}

/* A reader whose messages land in a memory buffer. */
typedef struct {
    sayso_reader *r;
    FILE *err;
    char *msg;
    size_t msg_len;
} reading;

static void open_reading(reading *rd, const char *const *names, size_t n)
{
    const char *paths[16];
    assert_true(n <= 16);
    for (size_t i = 0; i < n; i++)
        paths[i] = strcmp(names[i], "-") == 0 ? "-" : strdup(tmp_path(names[i]));
    rd->msg = NULL;
    rd->msg_len = 0;
    rd->err = open_memstream(&rd->msg, &rd->msg_len);
    assert_non_null(rd->err);
    rd->r = sayso_reader_new(paths, n, rd->err);
    assert_non_null(rd->r);
    for (size_t i = 0; i < n; i++)
        if (strcmp(paths[i], "-") != 0) free((char *)paths[i]);
}

static const char *messages(reading *rd)
{
    fflush(rd->err);
    return rd->msg ? rd->msg : "";
}

static void close_reading(reading *rd)
{
    sayso_reader_free(rd->r);
    fclose(rd->err);
    free(rd->msg);
}

static int next(reading *rd, sayso_article *a)
{
    return sayso_reader_next(rd->r, a);
}

/* Repairs s and returns the result (malloc'd) and the count. */
static char *repaired(const char *s, size_t len, size_t *count, size_t *out_len)
{
    char *out = NULL;
    *count = sayso_utf8_repair(s, len, &out, out_len);
    if (*count == 0) {
        out = malloc(len + 1);
        memcpy(out, s, len);
        out[len] = 0;
        *out_len = len;
    }
    return out;
}

static void expect_repair(const char *in, size_t in_len, const char *want, size_t want_count)
{
    size_t n, len;
    char *got = repaired(in, in_len, &n, &len);
    assert_int_equal(n, want_count);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(got, want, len);
    free(got);
}

/* ---- UTF-8 repair ------------------------------------------------------- */

static void test_repair_valid_untouched(void **state)
{
    (void)state;
    const char *s = "plain ASCII, caf\xC3\xA9, \xE2\x80\x9Cquoted\xE2\x80\x9D, "
                    "\xE4\xB8\xAD\xE6\x96\x87, \xF0\x9F\x98\x80 and \xF4\x8F\xBF\xBF.";
    char *out = (char *)"untouched";
    size_t out_len = 123;
    assert_int_equal(sayso_utf8_repair(s, strlen(s), &out, &out_len), 0);
    assert_string_equal(out, "untouched");
    assert_int_equal(out_len, 123);
    assert_int_equal(sayso_utf8_repair("", 0, &out, &out_len), 0);
}

static void test_repair_lone_continuation(void **state)
{
    (void)state;
    expect_repair("a\x80" "b", 3, "a" FFFD "b", 1);
    expect_repair("\xBF\xBF", 2, FFFD FFFD, 2);
}

static void test_repair_truncated(void **state)
{
    (void)state;
    /* a 3-byte sequence cut after 2 bytes: one maximal subpart, one U+FFFD */
    expect_repair("ab\xE2\x80", 4, "ab" FFFD, 1);
    expect_repair("ab\xF0\x9F\x98", 5, "ab" FFFD, 1);
    expect_repair("\xC3", 1, FFFD, 1);
    /* cut in the middle of the text: the next ASCII byte survives */
    expect_repair("x\xE2\x80y", 4, "x" FFFD "y", 1);
}

static void test_repair_overlong(void **state)
{
    (void)state;
    expect_repair("\xC0\xAF", 2, FFFD FFFD, 2);
    expect_repair("\xC1\xBF", 2, FFFD FFFD, 2);
    expect_repair("\xE0\x80\xAF", 3, FFFD FFFD FFFD, 3);
    expect_repair("\xF0\x80\x80\xAF", 4, FFFD FFFD FFFD FFFD, 4);
}

static void test_repair_surrogate_and_range(void **state)
{
    (void)state;
    expect_repair("\xED\xA0\x80", 3, FFFD FFFD FFFD, 3);   /* U+D800 */
    expect_repair("\xED\x9F\xBF", 3, "\xED\x9F\xBF", 0);   /* U+D7FF is fine */
    expect_repair("\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD, 4); /* > U+10FFFF */
    expect_repair("\xF5\xFF", 2, FFFD FFFD, 2);
}

static void test_repair_nul(void **state)
{
    (void)state;
    expect_repair("a\0b\0", 4, "a" FFFD "b" FFFD, 2);
}

/* Bad bytes at every offset around the 8-byte fast path. */
static void test_repair_fast_path_boundaries(void **state)
{
    (void)state;
    char in[64], want[80];
    for (size_t pos = 0; pos < 40; pos++) {
        memset(in, 'x', sizeof in);
        in[pos] = (char)0xFF;
        memset(want, 'x', sizeof want);
        memcpy(want + pos, FFFD, 3);
        size_t n, len;
        char *got = repaired(in, 40, &n, &len);
        assert_int_equal(n, 1);
        assert_int_equal(len, 42);
        assert_memory_equal(got, want, 42);
        free(got);
    }
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 63)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | (cp >> 6 & 63));
        o[2] = (char)(0x80 | (cp & 63));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | (cp >> 12 & 63));
    o[2] = (char)(0x80 | (cp >> 6 & 63)); o[3] = (char)(0x80 | (cp & 63));
    return 4;
}

/* Random valid text is never touched; random bytes always come out valid,
 * and repairing twice changes nothing more. */
static void test_repair_random(void **state)
{
    (void)state;
    static char buf[4096 * 4];
    unsigned seed = 12345;
    for (int round = 0; round < 300; round++) {
        size_t len = 0;
        int n = (int)(seed % 300);
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned cp;
            switch (seed >> 16 & 3) {
            case 0: cp = 1 + (seed >> 8) % 0x7F; break;
            case 1: cp = 0x80 + (seed >> 4) % 0x780; break;
            case 2: cp = 0x800 + (seed >> 4) % 0xF800; if (cp >= 0xD800 && cp < 0xE000) cp -= 0x800; break;
            default: cp = 0x10000 + (seed >> 2) % 0x100000; break;
            }
            len += put_utf8(buf + len, cp);
        }
        char *out = NULL;
        size_t out_len;
        assert_int_equal(sayso_utf8_repair(buf, len, &out, &out_len), 0);

        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 20) % 7 == 0) buf[i] = (char)(seed >> 8);
        }
        size_t count;
        char *fixed = repaired(buf, len, &count, &out_len);
        char *again = NULL;
        size_t again_len;
        assert_int_equal(sayso_utf8_repair(fixed, out_len, &again, &again_len), 0);
        assert_null(memchr(fixed, 0, out_len));
        free(fixed);
    }
}

/* ---- text files --------------------------------------------------------- */

static void test_text_header(void **state)
{
    (void)state;
    put_str("2020_story.txt", " date 2020-10-16 \"Nothing changes,\" the mayor said.\n");
    put_str("plain.txt", "No header here.\r\nSecond line.");
    const char *names[] = {"2020_story.txt", "plain.txt"};
    reading rd;
    sayso_article a;
    open_reading(&rd, names, 2);

    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.id, "2020_story");
    assert_non_null(a.date);
    assert_string_equal(a.date, "2020-10-16");
    assert_int_equal(a.body, 17);
    assert_int_equal(a.len, strlen(" date 2020-10-16 \"Nothing changes,\" the mayor said.\n"));
    assert_memory_equal(a.text + a.body, "\"Nothing", 8);
    assert_int_equal(sayso_reader_line(rd.r), 0);
    assert_non_null(strstr(sayso_reader_file(rd.r), "2020_story.txt"));

    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.id, "plain");
    assert_null(a.date);
    assert_int_equal(a.body, 0);
    assert_int_equal(a.len, strlen("No header here.\r\nSecond line.")); /* CRLF kept */

    assert_int_equal(next(&rd, &a), 0);
    assert_int_equal(sayso_reader_skipped(rd.r), 0);
    assert_int_equal(sayso_reader_bytes(rd.r),
                     strlen(" date 2020-10-16 \"Nothing changes,\" the mayor said.\n") +
                         strlen("No header here.\r\nSecond line."));
    assert_string_equal(messages(&rd), "");
    close_reading(&rd);
}

static void test_text_empty_and_missing(void **state)
{
    (void)state;
    put_str("empty.txt", "");
    const char *names[] = {"does-not-exist.txt", "empty.txt"};
    reading rd;
    sayso_article a;
    open_reading(&rd, names, 2);
    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.id, "empty");
    assert_int_equal(a.len, 0);
    assert_non_null(a.text);
    assert_int_equal(next(&rd, &a), 0);
    assert_int_equal(sayso_reader_skipped(rd.r), 1);
    assert_non_null(strstr(messages(&rd), "does-not-exist.txt: No such file or directory"));
    close_reading(&rd);
}

static void test_text_invalid_utf8(void **state)
{
    (void)state;
    put_file("bytes.txt", "ok \xFF\xFE and \0 end", 15);
    const char *names[] = {"bytes.txt"};
    reading rd;
    sayso_article a;
    open_reading(&rd, names, 1);
    assert_int_equal(next(&rd, &a), 1);
    assert_int_equal(a.len, strlen("ok " FFFD FFFD " and " FFFD " end"));
    assert_memory_equal(a.text, "ok " FFFD FFFD " and " FFFD " end", a.len);
    assert_int_equal(next(&rd, &a), 0);
    assert_int_equal(sayso_reader_skipped(rd.r), 0);
    const char *m = messages(&rd);
    assert_non_null(strstr(m, "bytes.txt: 3 invalid UTF-8 sequences or NUL bytes replaced by U+FFFD"));
    assert_null(strchr(strchr(m, '\n') + 1, '\n')); /* one warning only */
    close_reading(&rd);
}

/* ---- JSONL -------------------------------------------------------------- */

static void test_jsonl_fields(void **state)
{
    (void)state;
    put_str("fields.jsonl",
            "{\"id\": \"n1\", \"text\": \"First \\\"story\\\".\", \"date\": \"2019-05-06T07:08:09Z\","
            " \"title\": \"A title\", \"url\": \"https://example.org/1\", \"extra\": [1, {\"x\": 2}]}\n"
            "\n"
            "   \n"
            "{\"content\": \"from content\", \"date\": \"yesterday\"}\n"
            "{\"body\": \"from body\", \"id\": 42}\r\n"
            "{\"id\": null, \"text\": null, \"content\": \"caf\\u00e9 \\ud83d\\ude00\"}");
    const char *names[] = {"fields.jsonl"};
    reading rd;
    sayso_article a;
    open_reading(&rd, names, 1);

    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.id, "n1");
    assert_string_equal(a.text, "First \"story\".");
    assert_int_equal(a.len, strlen("First \"story\"."));
    assert_string_equal(a.date, "2019-05-06");
    assert_string_equal(a.title, "A title");
    assert_string_equal(a.url, "https://example.org/1");
    assert_int_equal(a.body, 0);
    assert_int_equal(sayso_reader_line(rd.r), 1);

    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.text, "from content");
    assert_null(a.date);
    assert_null(a.title);
    assert_null(a.url);
    assert_int_equal(sayso_reader_line(rd.r), 4);
    char want_id[8192];
    snprintf(want_id, sizeof want_id, "%s:4", tmp_path("fields.jsonl"));
    assert_string_equal(a.id, want_id);

    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.text, "from body");
    assert_string_equal(a.id, "42");

    assert_int_equal(next(&rd, &a), 1); /* last line, no final newline */
    assert_string_equal(a.text, "caf\xC3\xA9 \xF0\x9F\x98\x80");
    snprintf(want_id, sizeof want_id, "%s:6", tmp_path("fields.jsonl"));
    assert_string_equal(a.id, want_id);

    assert_int_equal(next(&rd, &a), 0);
    assert_int_equal(sayso_reader_skipped(rd.r), 0);
    assert_string_equal(messages(&rd), "");
    close_reading(&rd);
}

static void test_jsonl_errors(void **state)
{
    (void)state;
    put_str("bad.jsonl",
            "{\"id\": \"ok1\", \"text\": \"one\"}\n"
            "{\"id\": \"broken\", \"text\": \"unterminated\n"
            "{\"id\": \"notext\"}\n"
            "[1, 2]\n"
            "{\"text\": 17}\n"
            "{\"text\": \"x\"} trailing\n"
            "{\"id\": \"ok2\", \"text\": \"two\"}\n");
    const char *names[] = {"bad.jsonl"};
    reading rd;
    sayso_article a;
    open_reading(&rd, names, 1);
    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.id, "ok1");
    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.id, "ok2");
    assert_int_equal(sayso_reader_line(rd.r), 7);
    assert_int_equal(next(&rd, &a), 0);
    assert_int_equal(sayso_reader_skipped(rd.r), 5);
    const char *m = messages(&rd);
    assert_non_null(strstr(m, "bad.jsonl:2: malformed JSON"));
    assert_non_null(strstr(m, "bad.jsonl:3: no text field"));
    assert_non_null(strstr(m, "bad.jsonl:4: malformed JSON"));
    assert_non_null(strstr(m, "bad.jsonl:5: no text field"));
    assert_non_null(strstr(m, "bad.jsonl:6: malformed JSON"));
    assert_null(strstr(m, "bad.jsonl:1:"));
    assert_null(strstr(m, "bad.jsonl:7:"));
    close_reading(&rd);
}

static void test_jsonl_bad_bytes(void **state)
{
    (void)state;
    /* a raw invalid byte, a raw NUL, an escaped NUL and a lone surrogate;
     * an escaped backslash before "u0000" is text, not an escape */
    static const char line[] =
        "\xEF\xBB\xBF{\"id\": \"b\", \"text\": \"x\xFFy\0z \\u0000 \\udc00 \\\\u0000\"}\n";
    put_file("bytes.jsonl", line, sizeof line - 1);
    const char *names[] = {"bytes.jsonl"};
    reading rd;
    sayso_article a;
    open_reading(&rd, names, 1);
    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.id, "b");
    assert_string_equal(a.text, "x" FFFD "y" FFFD "z " FFFD " " FFFD " \\u0000");
    assert_int_equal(a.len, strlen(a.text));
    assert_int_equal(next(&rd, &a), 0);
    assert_int_equal(sayso_reader_skipped(rd.r), 0);
    assert_non_null(strstr(messages(&rd), "bytes.jsonl:1: 4 invalid UTF-8 sequences"));
    close_reading(&rd);
}

static void test_jsonl_gz(void **state)
{
    (void)state;
    put_gz("packed.jsonl.gz", "{\"id\": \"g1\", \"text\": \"zipped one\"}\n"
                              "{\"id\": \"g2\", \"text\": \"zipped two\"}\n");
    const char *names[] = {"packed.jsonl.gz"};
    reading rd;
    sayso_article a;
    open_reading(&rd, names, 1);
    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.id, "g1");
    assert_string_equal(a.text, "zipped one");
    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.id, "g2");
    assert_int_equal(next(&rd, &a), 0);
    assert_int_equal(sayso_reader_skipped(rd.r), 0);
    close_reading(&rd);
}

/* ---- directories -------------------------------------------------------- */

static void test_directory_walk(void **state)
{
    (void)state;
    rm_tree(tmp_path("tree"));
    make_dir("tree");
    make_dir("tree/c_sub");
    make_dir("tree/c_sub/deeper");
    make_dir("tree/.git");
    put_str("tree/b.txt", "b text");
    put_str("tree/a.jsonl", "{\"id\": \"a1\", \"text\": \"a one\"}\n{\"id\": \"a2\", \"text\": \"a two\"}\n");
    put_str("tree/c_sub/x.txt", "x text");
    put_str("tree/c_sub/deeper/w.txt", "w text");
    put_str("tree/c_sub/y.TXT", "y text");
    put_str("tree/.hidden.txt", "hidden");
    put_str("tree/.git/config.txt", "hidden too");
    put_str("tree/notes.md", "not an input");
    put_str("tree/data.json", "{\"text\": \"not an input either\"}");
    put_gz("tree/z.jsonl.gz", "{\"id\": \"z1\", \"text\": \"z one\"}\n");

    const char *names[] = {"tree/"};
    const char *want[] = {"a1", "a2", "b", "w", "x", "y", "z1"};
    reading rd;
    sayso_article a;
    open_reading(&rd, names, 1);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        assert_int_equal(next(&rd, &a), 1);
        assert_string_equal(a.id, want[i]);
    }
    assert_int_equal(next(&rd, &a), 0);
    assert_int_equal(sayso_reader_skipped(rd.r), 0);
    assert_string_equal(messages(&rd), "");
    close_reading(&rd);
}

static void test_explicit_file_any_name(void **state)
{
    (void)state;
    /* named on the command line, a file is read whatever its extension */
    put_str("README", "Text without extension.");
    const char *names[] = {"README"};
    reading rd;
    sayso_article a;
    open_reading(&rd, names, 1);
    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.id, "README");
    assert_string_equal(a.text, "Text without extension.");
    assert_int_equal(next(&rd, &a), 0);
    close_reading(&rd);
}

/* ---- stdin -------------------------------------------------------------- */

static void read_as_stdin(const char *name, void (*check)(reading *))
{
    int saved = dup(STDIN_FILENO);
    int fd = open(tmp_path(name), O_RDONLY);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, STDIN_FILENO);
    close(fd);
    reading rd;
    open_reading(&rd, NULL, 0);
    check(&rd);
    close_reading(&rd);
    dup2(saved, STDIN_FILENO);
    close(saved);
}

static void check_stdin_jsonl(reading *rd)
{
    sayso_article a;
    assert_int_equal(next(rd, &a), 1);
    assert_string_equal(a.id, "s1");
    assert_int_equal(next(rd, &a), 1);
    assert_string_equal(a.id, "stdin:3");
    assert_int_equal(next(rd, &a), 0);
}

static void check_stdin_text(reading *rd)
{
    sayso_article a;
    assert_int_equal(next(rd, &a), 1);
    assert_string_equal(a.id, "stdin");
    assert_string_equal(a.date, "2001-02-03");
    assert_string_equal(a.text + a.body, "Plain text {not json}.");
    assert_int_equal(next(rd, &a), 0);
}

static void test_stdin_sniff(void **state)
{
    (void)state;
    put_str("in.jsonl", "  \n {\"id\": \"s1\", \"text\": \"one\"}\n{\"text\": \"two\"}\n");
    read_as_stdin("in.jsonl", check_stdin_jsonl);
    put_str("in.txt", "date 2001-02-03 Plain text {not json}.");
    read_as_stdin("in.txt", check_stdin_text);
}

/* ---- large articles ----------------------------------------------------- */

#define BIG ((size_t)50 << 20)

static char *big_text(void)
{
    char *t = malloc(BIG + 1);
    assert_non_null(t);
    static const char plain[] = "The committee said the report was \"late\" again. ";
    for (size_t i = 0; i < BIG; i++) t[i] = plain[i % (sizeof plain - 1)];
    memcpy(t + BIG - 4, "END.", 4);
    t[BIG] = 0;
    return t;
}

static void test_big_text_file(void **state)
{
    (void)state;
    char *t = big_text();
    put_file("big.txt", t, BIG);
    const char *names[] = {"big.txt"};
    reading rd;
    sayso_article a;
    open_reading(&rd, names, 1);
    assert_int_equal(next(&rd, &a), 1);
    assert_int_equal(a.len, BIG);
    assert_memory_equal(a.text, t, BIG);
    assert_int_equal(next(&rd, &a), 0);
    close_reading(&rd);
    unlink(tmp_path("big.txt"));
    free(t);
}

static void test_big_jsonl_line(void **state)
{
    (void)state;
    char *t = big_text();
    /* JSON-escape the text: every '"' becomes '\"' */
    size_t quotes = 0;
    for (size_t i = 0; i < BIG; i++) quotes += t[i] == '"';
    size_t cap = BIG + quotes + 256;
    char *line = malloc(cap);
    assert_non_null(line);
    size_t n = (size_t)sprintf(line, "{\"id\": \"huge\", \"text\": \"");
    for (size_t i = 0; i < BIG; i++) {
        if (t[i] == '"') line[n++] = '\\';
        line[n++] = t[i];
    }
    n += (size_t)sprintf(line + n, "\"}\n{\"id\": \"after\", \"text\": \"small\"}\n");
    put_file("big.jsonl", line, n);
    free(line);

    const char *names[] = {"big.jsonl"};
    reading rd;
    sayso_article a;
    open_reading(&rd, names, 1);
    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.id, "huge");
    assert_int_equal(a.len, BIG);
    assert_memory_equal(a.text, t, BIG);
    assert_int_equal(next(&rd, &a), 1);
    assert_string_equal(a.id, "after");
    assert_string_equal(a.text, "small");
    assert_int_equal(next(&rd, &a), 0);
    assert_int_equal(sayso_reader_skipped(rd.r), 0);
    assert_int_equal(sayso_reader_bytes(rd.r), BIG + 5);
    close_reading(&rd);
    unlink(tmp_path("big.jsonl"));
    free(t);
}

int main(void)
{
    snprintf(tmp_root, sizeof tmp_root, "%s/read", tu_env("SAYSO_TMP", "."));
    rm_tree(tmp_root);
    if (mkdir(tmp_root, 0777) != 0) {
        fprintf(stderr, "cannot create %s\n", tmp_root);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repair_valid_untouched),
        cmocka_unit_test(test_repair_lone_continuation),
        cmocka_unit_test(test_repair_truncated),
        cmocka_unit_test(test_repair_overlong),
        cmocka_unit_test(test_repair_surrogate_and_range),
        cmocka_unit_test(test_repair_nul),
        cmocka_unit_test(test_repair_fast_path_boundaries),
        cmocka_unit_test(test_repair_random),
        cmocka_unit_test(test_text_header),
        cmocka_unit_test(test_text_empty_and_missing),
        cmocka_unit_test(test_text_invalid_utf8),
        cmocka_unit_test(test_jsonl_fields),
        cmocka_unit_test(test_jsonl_errors),
        cmocka_unit_test(test_jsonl_bad_bytes),
        cmocka_unit_test(test_jsonl_gz),
        cmocka_unit_test(test_directory_walk),
        cmocka_unit_test(test_explicit_file_any_name),
        cmocka_unit_test(test_stdin_sniff),
        cmocka_unit_test(test_big_text_file),
        cmocka_unit_test(test_big_jsonl_line),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (!failed) rm_tree(tmp_root);
    return failed;
}
