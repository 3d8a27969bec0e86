/*
 * test_cli.c — the sayso binary as users run it: help, usage errors, exit
 * codes, messages on stderr, and stdout that is always valid JSON lines.
 * Nothing here depends on which quotations the extractor finds (that is
 * tested elsewhere); when it finds some, their lines are checked too.
 * Runs $SAYSO_BIN through the shell; scratch files go to $SAYSO_TMP/cli/.
 */
#include "testutil.h"

#include <unistd.h>

#include <cJSON.h>

#include "sayso.h"

static const char *bin;
static char dir[2048];
static char err_path[4096];

/* ---- helpers ------------------------------------------------------------ */

/* Runs `$SAYSO_BIN ARGS` from the scratch directory; returns stdout
 * (malloc'd), the exit status in *status and stderr in *err (malloc'd). */
static char *run(const char *args, int *status, char **err)
{
    char cmd[8192];
    int k = snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s 2>'%s'", dir, bin, args, err_path);
    assert_true(k > 0 && (size_t)k < sizeof cmd);
    char *out = tu_run(cmd, status);
    assert_non_null(out);
    size_t n;
    *err = tu_read_file(err_path, &n);
    assert_non_null(*err);
    return out;
}

static void put(const char *name, const char *data, size_t len)
{
    char path[4096];
    int k = snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_true(k > 0 && (size_t)k < sizeof path);
    assert_int_equal(tu_write_file(path, data, len), 0);
}

static void put_str(const char *name, const char *data)
{
    put(name, data, strlen(data));
}

/* Every line of out is a JSON object with the output fields; when doc is
 * not NULL, it is the document of every line. Returns the line count. */
static size_t check_json_lines(const char *out, const char *doc)
{
    static const char *const fields[] = {"doc", "date", "quote", "content", "cue", "cue_text",
                                         "source", "source_text", "speaker", "type", "confidence"};
    size_t lines = 0;
    const char *p = out;
    while (*p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl); /* every line ends with a newline */
        cJSON *j = cJSON_ParseWithLength(p, (size_t)(nl - p));
        if (!j) fprintf(stderr, "not JSON: %.*s\n", (int)(nl - p), p);
        assert_non_null(j);
        assert_true(cJSON_IsObject(j));
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
            assert_non_null(cJSON_GetObjectItemCaseSensitive(j, fields[i]));
        if (doc) assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "doc")->valuestring, doc);
        cJSON_Delete(j);
        lines++;
        p = nl + 1;
    }
    return lines;
}

static const char article[] =
    " date 2021-06-01 \"We will open the bridge in March,\" the mayor, Ana Ruiz, said on Tuesday.\n"
    "Critics were not convinced. \"It has been promised before,\" said Tom Berg, who runs a bakery "
    "nearby. According to Ruiz, the delay was caused by a shortage of steel.\n";

/* ---- help and usage ----------------------------------------------------- */

static void test_help(void **state)
{
    (void)state;
    int st;
    char *err;
    const char *forms[] = {"--help", "-h", "help"};
    for (size_t i = 0; i < 3; i++) {
        char *out = run(forms[i], &st, &err);
        assert_int_equal(st, 0);
        assert_non_null(strstr(out, "extract"));
        assert_non_null(strstr(out, "eval"));
        assert_non_null(strstr(out, "Exit status"));
        assert_string_equal(err, "");
        free(out);
        free(err);
    }
    const char *extract_forms[] = {"help extract", "extract --help", "extract a.txt -h"};
    for (size_t i = 0; i < 3; i++) {
        char *out = run(extract_forms[i], &st, &err);
        assert_int_equal(st, 0);
        assert_non_null(strstr(out, "--format"));
        assert_non_null(strstr(out, "confidence"));
        assert_non_null(strstr(out, ".jsonl.gz"));
        free(out);
        free(err);
    }
    char *out = run("eval --help", &st, &err);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out, "GOLD_DIR"));
    free(out);
    free(err);

    out = run("--version", &st, &err);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out, SAYSO_VERSION));
    free(out);
    free(err);
}

static void expect_usage_error(const char *args, const char *msg)
{
    int st;
    char *err;
    char *out = run(args, &st, &err);
    assert_int_equal(st, 2);
    assert_string_equal(out, "");
    if (!strstr(err, msg)) fprintf(stderr, "stderr of '%s': %s\n", args, err);
    assert_non_null(strstr(err, msg));
    assert_non_null(strstr(err, "try 'sayso --help'"));
    free(out);
    free(err);
}

static void test_usage_errors(void **state)
{
    (void)state;
    expect_usage_error("--bogus", "unknown option '--bogus'");
    expect_usage_error("extract --bogus a.txt", "unknown option '--bogus'");
    expect_usage_error("extract --format", "needs an argument");
    expect_usage_error("extract --format xml", "unknown format 'xml'");
    expect_usage_error("exract", "'exract'");
    expect_usage_error("help nothing", "'nothing'");
    expect_usage_error("eval", "GOLD_DIR");
    expect_usage_error("eval --bogus gold", "unknown option '--bogus'");
    expect_usage_error("eval gold pred.jsonl extra", "extra");
}

/* ---- extraction runs ---------------------------------------------------- */

static void test_missing_and_good_file(void **state)
{
    (void)state;
    put_str("good.txt", article);
    int st;
    char *err;
    char *out = run("extract nope.txt good.txt", &st, &err);
    assert_int_equal(st, 1);
    assert_non_null(strstr(err, "sayso: nope.txt: No such file or directory"));
    assert_null(strstr(err, "good.txt"));
    check_json_lines(out, "good");
    free(out);
    free(err);

    /* same with --quiet: no message, same exit status and output */
    char *out2 = run("--quiet nope.txt good.txt", &st, &err);
    assert_int_equal(st, 1);
    assert_string_equal(err, "");
    check_json_lines(out2, "good");
    free(out2);
    free(err);
}

static void test_malformed_jsonl(void **state)
{
    (void)state;
    put_str("news.jsonl",
            "{\"id\": \"first\", \"text\": \"\\\"Fine,\\\" she said.\"}\n"
            "{\"id\": \"second\", \"text\": \"cut off\n"
            "{\"id\": \"third\", \"text\": \"\\\"Also fine,\\\" he said.\"}\n");
    int st;
    char *err;
    char *out = run("news.jsonl", &st, &err);
    assert_int_equal(st, 1);
    assert_non_null(strstr(err, "news.jsonl:2: malformed JSON"));
    assert_null(strstr(err, "news.jsonl:1"));
    assert_null(strstr(err, "news.jsonl:3"));
    check_json_lines(out, NULL);
    assert_null(strstr(out, "\"second\""));
    free(out);
    free(err);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char bad[] = "\"Broken \xC3\x28 bytes \xF0\x9F and a NUL \0 here,\" the clerk said.\xFF";
    put("bad.txt", bad, sizeof bad - 1);
    int st;
    char *err;
    char *out = run("bad.txt", &st, &err);
    assert_int_equal(st, 0);
    assert_non_null(strstr(err, "bad.txt: "));
    assert_non_null(strstr(err, "U+FFFD"));
    check_json_lines(out, "bad");
    free(out);
    free(err);

    out = run("-q bad.txt", &st, &err);
    assert_int_equal(st, 0);
    assert_string_equal(err, "");
    free(out);
    free(err);

    /* the same bytes through stdin, and as a JSONL line */
    out = run("< bad.txt", &st, &err);
    assert_int_equal(st, 0);
    assert_non_null(strstr(err, "stdin: "));
    check_json_lines(out, "stdin");
    free(out);
    free(err);
}

static void test_stdout_is_json_lines(void **state)
{
    (void)state;
    put_str("a1.txt", article);
    put_str("a2.jsonl",
            "{\"id\": \"j1\", \"date\": \"2022-01-02T10:00:00Z\", \"text\": \"\\\"Tabs\\there and\\nnewlines,\\\" "
            "wrote the editor. \\\"Backslash \\\\ and \\u00e9,\\\" she added.\"}\n"
            "{\"text\": \"No quotes in this one at all.\"}\n");
    int st;
    char *err;
    char *out = run("a1.txt a2.jsonl", &st, &err);
    assert_int_equal(st, 0);
    assert_string_equal(err, "");
    size_t n = check_json_lines(out, NULL);
    free(out);
    free(err);

    /* JSONL on stdin, and flags after the paths */
    out = run("extract - --format json < a2.jsonl", &st, &err);
    assert_int_equal(st, 0);
    check_json_lines(out, NULL);
    free(out);
    free(err);

    /* the samples shipped with the repository, if any */
    const char *samples = getenv("SAYSO_SAMPLES");
    struct stat sb;
    if (samples && stat(samples, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        char args[4096];
        snprintf(args, sizeof args, "'%s'", samples);
        out = run(args, &st, &err);
        assert_true(st == 0 || st == 1);
        check_json_lines(out, NULL);
        free(out);
        free(err);
    }

    /* when the extractor finds quotations, an unwritable stdout is exit 3 */
    if (n > 0 && access("/dev/full", W_OK) == 0) {
        out = run("a1.txt > /dev/full", &st, &err);
        assert_int_equal(st, 3);
        assert_non_null(strstr(err, "error writing output"));
        free(out);
        free(err);
    }
}

static void test_text_format_and_options(void **state)
{
    (void)state;
    put_str("-dash.txt", article);
    int st;
    char *err;
    char *out = run("--format text -- -dash.txt", &st, &err);
    assert_int_equal(st, 0);
    assert_string_equal(err, "");
    if (*out) assert_non_null(strstr(out, "# -dash (2021-06-01)\n"));
    free(out);
    free(err);

    out = run("extract ./-dash.txt --format=text", &st, &err);
    assert_int_equal(st, 0);
    free(out);
    free(err);

    /* without "--", "-dash.txt" is an unknown option */
    out = run("extract -dash.txt", &st, &err);
    assert_int_equal(st, 2);
    free(out);
    free(err);
}

static void test_output_errors(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0) skip();
    int st;
    char *err;
    char *out = run("--help > /dev/full", &st, &err);
    assert_int_equal(st, 3);
    free(out);
    free(err);
}

static void test_eval_bad_gold(void **state)
{
    (void)state;
    int st;
    char *err;
    char *out = run("eval no-such-gold-dir", &st, &err);
    assert_int_equal(st, 2);
    assert_true(strlen(err) > 0);
    free(out);
    free(err);
}

int main(void)
{
    bin = getenv("SAYSO_BIN");
    if (!bin || !*bin) {
        fprintf(stderr, "SKIP: SAYSO_BIN is not set (run through ctest)\n");
        return TEST_SKIP_CODE;
    }
    snprintf(dir, sizeof dir, "%s/cli", tu_env("SAYSO_TMP", "."));
    mkdir(dir, 0777);
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_missing_and_good_file),
        cmocka_unit_test(test_malformed_jsonl),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_stdout_is_json_lines),
        cmocka_unit_test(test_text_format_and_options),
        cmocka_unit_test(test_output_errors),
        cmocka_unit_test(test_eval_bad_gold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
