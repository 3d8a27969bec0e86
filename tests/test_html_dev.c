/*
 * test_html_dev.c — the dev floor of main-content extraction and metadata
 * on Mozilla Readability's test pages (../shared/corpora/web/readability:
 * 130 real pages, each with source.html, expected.txt and
 * expected-metadata.json). Read at run time only; skipped (exit 77) when
 * ../shared is absent.
 *
 * Body text is scored as ../shared/tools/body-score.py does: lower-cased
 * word bags (runs of letters, digits and underscores), precision and recall
 * per page, F1 of their means. The date is right when it equals the date
 * part of publishedTime. The floors sit below the measured figures (README)
 * so that only a real regression fails.
 */
#include <dirent.h>
#include <cJSON.h>
#include <utf8proc.h>

#include "testutil.h"
#include "html.h"

#define BODY_F1_FLOOR 0.95
#define DATE_FLOOR 0.85

typedef struct {
    char **w;
    size_t n, cap;
    char *store; /* the words, NUL-separated */
} bag;

static int is_word_cp(utf8proc_int32_t c)
{
    if (c == '_') return 1;
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
           (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lower-cased words of s, sorted. */
static void make_bag(const char *s, bag *b)
{
    size_t len = strlen(s);
    memset(b, 0, sizeof *b);
    b->store = malloc(len * 2 + 8); /* lower-casing can lengthen a character */
    assert_non_null(b->store);
    char *o = b->store;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s, *end = p + len;
    int in_word = 0;
    while (p < end) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, end - p, &c);
        if (k <= 0) {
            k = 1;
            c = -1;
        }
        p += k;
        if (c >= 0 && is_word_cp(c)) {
            if (!in_word) {
                if (b->n == b->cap) {
                    b->cap = b->cap ? b->cap * 2 : 256;
                    b->w = realloc(b->w, b->cap * sizeof *b->w);
                    assert_non_null(b->w);
                }
                b->w[b->n++] = o;
                in_word = 1;
            }
            o += utf8proc_encode_char(utf8proc_tolower(c), (utf8proc_uint8_t *)o);
        } else if (in_word) {
            *o++ = 0;
            in_word = 0;
        }
    }
    *o = 0;
    if (b->n) qsort(b->w, b->n, sizeof *b->w, cmp_str);
}

static size_t shared_words(const bag *a, const bag *b)
{
    size_t i = 0, j = 0, n = 0;
    while (i < a->n && j < b->n) {
        int c = strcmp(a->w[i], b->w[j]);
        if (c == 0) {
            n++;
            i++;
            j++;
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
    return n;
}

static void free_bag(bag *b)
{
    free(b->w);
    free(b->store);
}

static const char *pages_dir;

static void test_readability_floor(void **state)
{
    (void)state;
    DIR *d = opendir(pages_dir);
    assert_non_null(d);
    struct dirent *e;
    double sum_p = 0, sum_r = 0;
    size_t pages = 0, dates = 0, dates_right = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        size_t hlen = 0, glen = 0, mlen = 0;
        snprintf(path, sizeof path, "%s/%s/source.html", pages_dir, e->d_name);
        char *html = tu_read_file(path, &hlen);
        snprintf(path, sizeof path, "%s/%s/expected.txt", pages_dir, e->d_name);
        char *gold = tu_read_file(path, &glen);
        snprintf(path, sizeof path, "%s/%s/expected-metadata.json", pages_dir, e->d_name);
        char *meta = tu_read_file(path, &mlen);
        if (!html || !gold) {
            free(html);
            free(gold);
            free(meta);
            continue;
        }
        sayso_page p;
        char err[256];
        int rc = sayso_html_extract(html, hlen, NULL, NULL, &p, err, sizeof err);
        if (rc != 0) fprintf(stderr, "%s: %s\n", e->d_name, err);
        bag gb, pb;
        make_bag(gold, &gb);
        make_bag(rc == 0 ? p.text : "", &pb);
        size_t tp = shared_words(&gb, &pb);
        sum_p += pb.n ? (double)tp / pb.n : (gb.n ? 0.0 : 1.0);
        sum_r += gb.n ? (double)tp / gb.n : 1.0;
        pages++;
        cJSON *m = meta ? cJSON_Parse(meta) : NULL;
        const cJSON *pt = m ? cJSON_GetObjectItemCaseSensitive(m, "publishedTime") : NULL;
        if (cJSON_IsString(pt) && pt->valuestring[0]) {
            dates++;
            if (rc == 0 && p.date && strncmp(p.date, pt->valuestring, 10) == 0) dates_right++;
            else fprintf(stderr, "%s: date %s, expected %.10s\n", e->d_name, rc == 0 && p.date ? p.date : "none", pt->valuestring);
        }
        cJSON_Delete(m);
        free_bag(&gb);
        free_bag(&pb);
        if (rc == 0) sayso_page_clear(&p);
        free(html);
        free(gold);
        free(meta);
    }
    closedir(d);
    assert_true(pages >= 100);
    double mp = sum_p / pages, mr = sum_r / pages, f1 = 2 * mp * mr / (mp + mr);
    double date_share = dates ? (double)dates_right / dates : 1.0;
    fprintf(stderr, "readability pages: %zu, body precision %.4f recall %.4f F1 %.4f; dates %zu/%zu\n", pages, mp, mr,
            f1, dates_right, dates);
    assert_true(f1 >= BODY_F1_FLOOR);
    assert_true(date_share >= DATE_FLOOR);
}

int main(void)
{
    pages_dir = tu_shared("corpora/web/readability/pages");
    if (!pages_dir) return TEST_SKIP_CODE;
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s", pages_dir);
    pages_dir = dir;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readability_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
