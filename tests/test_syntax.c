/*
 * test_syntax.c — the tagger, the parser and their model files.
 *
 * A dozen original sentences (written for this test, in CoNLL-U) make a
 * tiny treebank the models are trained on in a second: they must tag and
 * parse those sentences back nearly perfectly, and the same data and seed
 * must give the same bytes. Damaged models (truncated, foreign, of another
 * version, with a flipped byte, or rebuilt with a valid checksum around an
 * index that points outside the file) must be refused with a message.
 * Hostile sentences (one word, 32,000 words, empty words, invalid UTF-8,
 * NUL bytes) must parse into trees. Last, the committed models
 * (SAYSO_MODELS) must keep their accuracy on UD English EWT dev, read from
 * ../shared; that test is skipped without it.
 */
#include "testutil.h"
#include "learn.h"
#include "train_syntax.h"

/* The committed models' UAS floor on EWT dev: the 0.85 the project asked
 * for, which these models reach with no room to spare (21,375 of 25,147
 * words, see models/README.md), so any change that makes them worse fails. */
#define SYNTAX_UAS_FLOOR 0.85

/* Original sentences; relations as UD English uses them. */
static const char TINY[] =
    "# text = The minister said the plan would work.\n"
    "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tminister\tminister\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n"
    "3\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "4\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\t_\n"
    "5\tplan\tplan\tNOUN\tNN\t_\t7\tnsubj\t_\t_\n"
    "6\twould\twould\tAUX\tMD\t_\t7\taux\t_\t_\n"
    "7\twork\twork\tVERB\tVB\t_\t3\tccomp\t_\t_\n"
    "8\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
    "\n"
    "1\tShe\tshe\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n"
    "2\ttold\ttell\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\treporters\treporter\tNOUN\tNNS\t_\t2\tobj\t_\t_\n"
    "4\ton\ton\tADP\tIN\t_\t5\tcase\t_\t_\n"
    "5\tMonday\tMonday\tPROPN\tNNP\t_\t2\tobl\t_\t_\n"
    "6\tthat\tthat\tSCONJ\tIN\t_\t9\tmark\t_\t_\n"
    "7\ttalks\ttalk\tNOUN\tNNS\t_\t9\tnsubj\t_\t_\n"
    "8\thad\thave\tAUX\tVBD\t_\t9\taux\t_\t_\n"
    "9\tstalled\tstall\tVERB\tVBN\t_\t2\tccomp\t_\t_\n"
    "10\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n"
    "\n"
    "1\t\xe2\x80\x9c\t\"\tPUNCT\t``\t_\t4\tpunct\t_\t_\n"
    "2\tWe\twe\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n"
    "3\tare\tbe\tAUX\tVBP\t_\t4\tcop\t_\t_\n"
    "4\tready\tready\tADJ\tJJ\t_\t9\tccomp\t_\t_\n"
    "5\t,\t,\tPUNCT\t,\t_\t4\tpunct\t_\t_\n"
    "6\t\xe2\x80\x9d\t\"\tPUNCT\t''\t_\t4\tpunct\t_\t_\n"
    "7\tthe\tthe\tDET\tDT\t_\t8\tdet\t_\t_\n"
    "8\tcoach\tcoach\tNOUN\tNN\t_\t9\tnsubj\t_\t_\n"
    "9\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "10\t.\t.\tPUNCT\t.\t_\t9\tpunct\t_\t_\n"
    "\n"
    "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tcompany\tcompany\tNOUN\tNN\t_\t4\tnsubj:pass\t_\t_\n"
    "3\twas\tbe\tAUX\tVBD\t_\t4\taux:pass\t_\t_\n"
    "4\tfounded\tfound\tVERB\tVBN\t_\t0\troot\t_\t_\n"
    "5\tby\tby\tADP\tIN\t_\t7\tcase\t_\t_\n"
    "6\ttwo\ttwo\tNUM\tCD\t_\t7\tnummod\t_\t_\n"
    "7\tengineers\tengineer\tNOUN\tNNS\t_\t4\tobl:agent\t_\t_\n"
    "8\tin\tin\tADP\tIN\t_\t9\tcase\t_\t_\n"
    "9\t1998\t1998\tNUM\tCD\t_\t4\tobl\t_\t_\n"
    "10\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n"
    "\n"
    "1\tPrices\tprice\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n"
    "2\trose\trise\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\tsharply\tsharply\tADV\tRB\t_\t2\tadvmod\t_\t_\n"
    "4\tlast\tlast\tADJ\tJJ\t_\t5\tamod\t_\t_\n"
    "5\tyear\tyear\tNOUN\tNN\t_\t2\tobl:unmarked\t_\t_\n"
    "6\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n"
    "\n"
    "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tbook\tbook\tNOUN\tNN\t_\t6\tnsubj\t_\t_\n"
    "3\tthat\tthat\tPRON\tWDT\t_\t5\tobj\t_\t_\n"
    "4\tshe\tshe\tPRON\tPRP\t_\t5\tnsubj\t_\t_\n"
    "5\twrote\twrite\tVERB\tVBD\t_\t2\tacl:relcl\t_\t_\n"
    "6\twon\twin\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "7\ta\ta\tDET\tDT\t_\t8\tdet\t_\t_\n"
    "8\tprize\tprize\tNOUN\tNN\t_\t6\tobj\t_\t_\n"
    "9\t.\t.\tPUNCT\t.\t_\t6\tpunct\t_\t_\n"
    "\n"
    "1\tHis\this\tPRON\tPRP$\t_\t2\tnmod:poss\t_\t_\n"
    "2\tbrother\tbrother\tNOUN\tNN\t_\t4\tnmod:poss\t_\t_\n"
    "3\t's\t's\tPART\tPOS\t_\t2\tcase\t_\t_\n"
    "4\tcar\tcar\tNOUN\tNN\t_\t6\tnsubj\t_\t_\n"
    "5\tis\tbe\tAUX\tVBZ\t_\t6\tcop\t_\t_\n"
    "6\tred\tred\tADJ\tJJ\t_\t0\troot\t_\t_\n"
    "7\t.\t.\tPUNCT\t.\t_\t6\tpunct\t_\t_\n"
    "\n"
    "# a multiword token: its range line is skipped, its words kept\n"
    "1\tThey\tthey\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n"
    "2-3\tdidn't\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "2\tdid\tdo\tAUX\tVBD\t_\t4\taux\t_\t_\n"
    "3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n"
    "4\tanswer\tanswer\tVERB\tVB\t_\t0\troot\t_\t_\n"
    "5\tand\tand\tCCONJ\tCC\t_\t6\tcc\t_\t_\n"
    "6\tleft\tleave\tVERB\tVBD\t_\t4\tconj\t_\t_\n"
    "7\tquickly\tquickly\tADV\tRB\t_\t6\tadvmod\t_\t_\n"
    "8\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n"
    "\n"
    "1\tOh\toh\tINTJ\tUH\t_\t4\tdiscourse\t_\t_\n"
    "2\t,\t,\tPUNCT\t,\t_\t4\tpunct\t_\t_\n"
    "3\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n"
    "4\tlove\tlove\tVERB\tVBP\t_\t0\troot\t_\t_\n"
    "5\tthis\tthis\tDET\tDT\t_\t6\tdet\t_\t_\n"
    "6\tcity\tcity\tNOUN\tNN\t_\t4\tobj\t_\t_\n"
    "7\t!\t!\tPUNCT\t.\t_\t4\tpunct\t_\t_\n"
    "\n"
    "1\tPolice\tpolice\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n"
    "2\tarrested\tarrest\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\t12\t12\tNUM\tCD\t_\t4\tnummod\t_\t_\n"
    "4\tpeople\tpeople\tNOUN\tNNS\t_\t2\tobj\t_\t_\n"
    "5\tnear\tnear\tADP\tIN\t_\t7\tcase\t_\t_\n"
    "6\tthe\tthe\tDET\tDT\t_\t7\tdet\t_\t_\n"
    "7\tstation\tstation\tNOUN\tNN\t_\t2\tobl\t_\t_\n"
    "8\ton\ton\tADP\tIN\t_\t9\tcase\t_\t_\n"
    "9\tFriday\tFriday\tPROPN\tNNP\t_\t2\tobl\t_\t_\n"
    "10\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n"
    "\n"
    "1\tIt\tit\tPRON\tPRP\t_\t3\texpl\t_\t_\n"
    "2\tis\tbe\tAUX\tVBZ\t_\t3\tcop\t_\t_\n"
    "3\thard\thard\tADJ\tJJ\t_\t0\troot\t_\t_\n"
    "4\tto\tto\tPART\tTO\t_\t5\tmark\t_\t_\n"
    "5\tsay\tsay\tVERB\tVB\t_\t3\tcsubj\t_\t_\n"
    "6\twhat\twhat\tPRON\tWP\t_\t8\tnsubj\t_\t_\n"
    "7\twill\twill\tAUX\tMD\t_\t8\taux\t_\t_\n"
    "8\thappen\thappen\tVERB\tVB\t_\t5\tccomp\t_\t_\n"
    "9\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
    "\n"
    "1\tJohn\tJohn\tPROPN\tNNP\t_\t8\tnsubj\t_\t_\n"
    "2\tSmith\tSmith\tPROPN\tNNP\t_\t1\tflat\t_\t_\n"
    "3\t,\t,\tPUNCT\t,\t_\t6\tpunct\t_\t_\n"
    "4\ta\ta\tDET\tDT\t_\t6\tdet\t_\t_\n"
    "5\tlocal\tlocal\tADJ\tJJ\t_\t6\tamod\t_\t_\n"
    "6\tfarmer\tfarmer\tNOUN\tNN\t_\t1\tappos\t_\t_\n"
    "7\t,\t,\tPUNCT\t,\t_\t6\tpunct\t_\t_\n"
    "8\twants\twant\tVERB\tVBZ\t_\t0\troot\t_\t_\n"
    "9\tto\tto\tPART\tTO\t_\t10\tmark\t_\t_\n"
    "10\tsell\tsell\tVERB\tVB\t_\t8\txcomp\t_\t_\n"
    "11\this\this\tPRON\tPRP$\t_\t12\tnmod:poss\t_\t_\n"
    "12\tland\tland\tNOUN\tNN\t_\t10\tobj\t_\t_\n"
    "13\t.\t.\tPUNCT\t.\t_\t8\tpunct\t_\t_\n";

static char tiny_path[4096], dir_a[4096], dir_b[4096];

static const char *tmp(const char *name)
{
    static char buf[4][4096];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tu_env("SAYSO_TMP", "."), name);
    return buf[k];
}

static int train_into(const char *dir, int folds, int parsers, FILE *progress)
{
    mkdir(dir, 0777);
    sayso_syntax_train_opts o = { .train = tiny_path, .out_dir = dir, .seed = 7, .tagger_epochs = 10,
                                  .parser_epochs = 15, .folds = folds, .parsers = parsers };
    char err[512];
    int rc = sayso_syntax_train(&o, progress, err, sizeof err);
    if (rc < 0) fprintf(stderr, "training failed: %s\n", err);
    return rc;
}

/* A model file read into 64-byte aligned memory, as the container wants. */
typedef struct {
    void *bytes;
    size_t len;
} blob;

static blob load(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    blob b = { NULL, 0 };
    char *data = tu_read_file(path, &b.len);
    assert_non_null(data);
    assert_int_equal(posix_memalign(&b.bytes, 64, b.len ? b.len : 1), 0);
    memcpy(b.bytes, data, b.len);
    free(data);
    return b;
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(tiny_path, sizeof tiny_path, "%s", tmp("syntax_tiny.conllu"));
    snprintf(dir_a, sizeof dir_a, "%s", tmp("syntax_a"));
    snprintf(dir_b, sizeof dir_b, "%s", tmp("syntax_b"));
    if (tu_write_file(tiny_path, TINY, sizeof TINY - 1) < 0) return -1;
    return train_into(dir_a, 1, 1, NULL);
}

/* ---- training ----------------------------------------------------------- */

static void test_learns_tiny_treebank(void **state)
{
    (void)state;
    sayso_model tm, pm;
    char err[512], path[4200];
    snprintf(path, sizeof path, "%s/tagger.model", dir_a);
    assert_int_equal(sayso_model_open_file(&tm, path, SAYSO_TAGGER_KIND, SAYSO_TAGGER_VERSION, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/parser.model", dir_a);
    assert_int_equal(sayso_model_open_file(&pm, path, SAYSO_PARSER_KIND, SAYSO_PARSER_VERSION, err, sizeof err), 0);
    sayso_tagger *t = sayso_tagger_open(&tm, err, sizeof err);
    sayso_parser *p = sayso_parser_open(&pm, err, sizeof err);
    assert_non_null(t);
    assert_non_null(p);
    sayso_syntax_scores sc;
    assert_int_equal(sayso_syntax_eval(t, p, tiny_path, &sc, stderr), 0);
    fprintf(stderr, "tiny treebank, its own sentences: UPOS %.3f UAS %.3f LAS %.3f\n", sc.upos, sc.uas, sc.las);
    assert_int_equal((int)sc.sentences, 12);
    assert_int_equal((int)sc.words, 107);
    assert_true(sc.upos >= 0.98);
    assert_true(sc.uas >= 0.95);
    assert_true(sc.las >= 0.93);
    /* The relation inventory is the training data's, names both ways. */
    int id = sayso_parser_label_id(p, "nsubj:pass");
    assert_true(id >= 0);
    assert_string_equal(sayso_parser_label(p, (unsigned)id), "nsubj:pass");
    assert_int_equal(sayso_parser_label_id(p, "no-such-relation"), -1);
    assert_null(sayso_parser_label(p, sayso_parser_nlabels(p)));
    assert_int_equal((int)sayso_parser_nlabels(p), 28);
    sayso_parser_free(p);
    sayso_tagger_free(t);
    sayso_model_close(&tm);
    sayso_model_close(&pm);
}

static void test_deterministic(void **state)
{
    (void)state;
    /* Jackknifing and a mean of two parsers: every random path is taken. */
    char *out = NULL;
    size_t outlen = 0;
    FILE *progress = open_memstream(&out, &outlen);
    assert_non_null(progress);
    assert_int_equal(train_into(dir_b, 3, 2, progress), 0);
    fclose(progress);
    assert_non_null(strstr(out, "parser 2/2 parser epoch 15/15"));
    assert_non_null(strstr(out, "jackknife fold 3/3"));
    free(out);
    char again[4200];
    snprintf(again, sizeof again, "%s_again", dir_b);
    assert_int_equal(train_into(again, 3, 2, NULL), 0);
    const char *names[] = { "tagger.model", "parser.model" };
    for (int i = 0; i < 2; i++) {
        blob x = load(dir_b, names[i]), y = load(again, names[i]);
        assert_int_equal(x.len, y.len);
        assert_memory_equal(x.bytes, y.bytes, x.len);
        free(x.bytes);
        free(y.bytes);
    }
}

/* ---- damaged models ----------------------------------------------------- */

static uint64_t rd64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* The model b rebuilt through the writer (so its checksum is valid), with
 * section name's bytes replaced by data (or the section left out when data
 * is NULL), and kind and version as given. */
static blob rebuild(blob b, uint32_t kind, uint32_t version, const char *name, const void *data, size_t len)
{
    const unsigned char *p = b.bytes;
    uint32_t nsec = (uint32_t)p[20] | (uint32_t)p[21] << 8 | (uint32_t)p[22] << 16 | (uint32_t)p[23] << 24;
    sayso_model_writer *w = sayso_model_writer_new(kind, version);
    assert_non_null(w);
    for (uint32_t i = 0; i < nsec; i++) {
        const unsigned char *e = p + 64 + 32 * (size_t)i;
        char sec[17] = { 0 };
        memcpy(sec, e, 16);
        if (name && strcmp(sec, name) == 0) {
            if (data) assert_int_equal(sayso_model_writer_add(w, sec, data, len), 0);
            continue;
        }
        assert_int_equal(sayso_model_writer_add(w, sec, p + rd64(e + 16), (size_t)rd64(e + 24)), 0);
    }
    size_t n;
    const void *bytes = sayso_model_writer_bytes(w, &n);
    blob out = { NULL, n };
    assert_int_equal(posix_memalign(&out.bytes, 64, n), 0);
    memcpy(out.bytes, bytes, n);
    sayso_model_writer_free(w);
    return out;
}

/* A copy of section name of b (a model of the given kind), to be changed
 * and put back. */
static unsigned char *section_copy(blob b, uint32_t kind, const char *name, size_t *len)
{
    sayso_model m;
    char err[256];
    assert_int_equal(sayso_model_open_mem(&m, b.bytes, b.len, kind, 1, err, sizeof err), 0);
    const void *s = sayso_model_section(&m, name, len);
    assert_non_null(s);
    unsigned char *c = malloc(*len ? *len : 1);
    memcpy(c, s, *len);
    return c;
}

/* Opens b as a tagger (kind TAGR) or a parser; returns whether it worked,
 * with the message in err. */
static int opens(blob b, int parser, char *err, size_t errlen)
{
    sayso_model m;
    uint32_t kind = parser ? SAYSO_PARSER_KIND : SAYSO_TAGGER_KIND;
    err[0] = 0;
    if (sayso_model_open_mem(&m, b.bytes, b.len, kind, 1, err, errlen) < 0) return 0;
    int ok;
    if (parser) {
        sayso_parser *p = sayso_parser_open(&m, err, errlen);
        ok = p != NULL;
        sayso_parser_free(p);
    } else {
        sayso_tagger *t = sayso_tagger_open(&m, err, errlen);
        ok = t != NULL;
        sayso_tagger_free(t);
    }
    sayso_model_close(&m);
    return ok;
}

static void expect_refused(blob b, int parser, const char *what)
{
    char err[512];
    assert_false(opens(b, parser, err, sizeof err));
    fprintf(stderr, "refused (%s): %s\n", what, err);
    assert_true(err[0] != 0);
}

static void test_container_damage(void **state)
{
    (void)state;
    char err[512];
    blob t = load(dir_a, "tagger.model"), p = load(dir_a, "parser.model");
    assert_true(opens(t, 0, err, sizeof err));
    assert_true(opens(p, 1, err, sizeof err));

    blob cut = { t.bytes, t.len - 100 };
    assert_false(opens(cut, 0, err, sizeof err));
    assert_non_null(strstr(err, "truncated"));
    blob tiny = { t.bytes, 10 };
    expect_refused(tiny, 0, "ten bytes");

    ((unsigned char *)t.bytes)[0] ^= 0x20;
    expect_refused(t, 0, "magic");
    ((unsigned char *)t.bytes)[0] ^= 0x20;

    unsigned char *mid = (unsigned char *)p.bytes + p.len / 2;
    *mid ^= 0x01;
    expect_refused(p, 1, "flipped byte");
    assert_false(opens(p, 1, err, sizeof err));
    assert_non_null(strstr(err, "checksum"));
    *mid ^= 0x01;

    blob v2 = rebuild(t, SAYSO_TAGGER_KIND, 2, NULL, NULL, 0);
    assert_false(opens(v2, 0, err, sizeof err));
    assert_non_null(strstr(err, "version 2"));
    free(v2.bytes);

    /* A tagger where a parser is wanted. */
    assert_false(opens(t, 1, err, sizeof err));
    assert_non_null(strstr(err, "TAGR"));

    blob nosec = rebuild(p, SAYSO_PARSER_KIND, 1, "labels", NULL, 0);
    expect_refused(nosec, 1, "no labels section");
    free(nosec.bytes);
    free(t.bytes);
    free(p.bytes);
}

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }

static void test_crafted_indices(void **state)
{
    (void)state;
    blob t = load(dir_a, "tagger.model"), p = load(dir_a, "parser.model");
    size_t len;
    unsigned char *s;
    blob bad;

    /* The id of "root" past the relations. */
    s = section_copy(p, SAYSO_PARSER_KIND, "pmeta", &len);
    put32(s + 4, 200);
    bad = rebuild(p, SAYSO_PARSER_KIND, 1, "pmeta", s, len);
    expect_refused(bad, 1, "root id out of range");
    free(bad.bytes);
    free(s);

    /* Relation names without their terminating NUL. */
    s = section_copy(p, SAYSO_PARSER_KIND, "labels", &len);
    for (size_t i = 0; i < len; i++)
        if (!s[i]) s[i] = 'x';
    bad = rebuild(p, SAYSO_PARSER_KIND, 1, "labels", s, len);
    expect_refused(bad, 1, "relation names");
    free(bad.bytes);
    free(s);

    /* A relation weight whose class is past the relations. */
    s = section_copy(p, SAYSO_PARSER_KIND, "lab.r", &len);
    assert_true(len >= 2);
    s[1] = 250;
    bad = rebuild(p, SAYSO_PARSER_KIND, 1, "lab.r", s, len);
    expect_refused(bad, 1, "relation class out of range");
    free(bad.bytes);
    free(s);

    /* A bucket whose rows start past the end of the weights. */
    s = section_copy(p, SAYSO_PARSER_KIND, "lab.b", &len);
    put32(s + 60, 0x7fffffffu);
    bad = rebuild(p, SAYSO_PARSER_KIND, 1, "lab.b", s, len);
    expect_refused(bad, 1, "sparse bucket base");
    free(bad.bytes);
    free(s);

    /* A table header promising more buckets than there are. */
    s = section_copy(p, SAYSO_PARSER_KIND, "act.h", &len);
    put32(s + 8, 1u << 20);
    bad = rebuild(p, SAYSO_PARSER_KIND, 1, "act.h", s, len);
    expect_refused(bad, 1, "bucket count");
    free(bad.bytes);
    free(s);

    /* The tagger's dense rows: a used slot pointing past them. */
    s = section_copy(t, SAYSO_TAGGER_KIND, "tag.b", &len);
    size_t k = 0;
    while (k + 64 <= len && !(s[k] | s[k + 1])) k += 64; /* a bucket with a first slot */
    assert_true(k + 64 <= len);
    put32(s + k + 60, 0x7ffffff0u);
    bad = rebuild(t, SAYSO_TAGGER_KIND, 1, "tag.b", s, len);
    expect_refused(bad, 0, "dense row index");
    free(bad.bytes);
    free(s);

    /* A word list entry with a tag past the 17. */
    s = section_copy(t, SAYSO_TAGGER_KIND, "lex", &len);
    for (k = 0; k + 8 <= len && !(s[k] | s[k + 1] | s[k + 2] | s[k + 3]); k += 8) {}
    assert_true(k + 8 <= len);
    put32(s + k + 4, 30u << 24);
    bad = rebuild(t, SAYSO_TAGGER_KIND, 1, "lex", s, len);
    expect_refused(bad, 0, "word list tag");
    free(bad.bytes);
    free(s);

    free(t.bytes);
    free(p.bytes);
}

/* ---- robustness --------------------------------------------------------- */

typedef struct {
    sayso_model tm, pm;
    sayso_tagger *t;
    sayso_parser *p;
} pair;

static void pair_open(pair *x)
{
    char err[512], path[4200];
    snprintf(path, sizeof path, "%s/tagger.model", dir_a);
    assert_int_equal(sayso_model_open_file(&x->tm, path, SAYSO_TAGGER_KIND, 1, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/parser.model", dir_a);
    assert_int_equal(sayso_model_open_file(&x->pm, path, SAYSO_PARSER_KIND, 1, err, sizeof err), 0);
    x->t = sayso_tagger_open(&x->tm, err, sizeof err);
    x->p = sayso_parser_open(&x->pm, err, sizeof err);
    assert_non_null(x->t);
    assert_non_null(x->p);
}

static void pair_close(pair *x)
{
    sayso_tagger_free(x->t);
    sayso_parser_free(x->p);
    sayso_model_close(&x->tm);
    sayso_model_close(&x->pm);
}

/* Tags and parses w[0..n) and checks the result is a tree. */
static void check_tree(pair *x, sayso_syntax_ws *ws, sayso_word *w, size_t n)
{
    assert_int_equal(sayso_tagger_tag(x->t, ws, w, n), 0);
    assert_int_equal(sayso_parser_parse(x->p, ws, w, n), 0);
    size_t roots = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(w[i].upos < SAYSO_NUPOS);
        assert_true(w[i].rel < sayso_parser_nlabels(x->p));
        assert_true(w[i].head >= -1 && w[i].head < (int)n);
        assert_true(w[i].head != (int)i);
        if (w[i].head < 0) {
            roots++;
            assert_string_equal(sayso_parser_label(x->p, w[i].rel), "root");
        }
    }
    assert_int_equal(roots, 1);
    /* No cycles: from any word, the root within n steps. */
    for (size_t i = 0; i < n; i++) {
        int h = (int)i;
        size_t steps = 0;
        while (h >= 0 && steps <= n) {
            h = w[h].head;
            steps++;
        }
        assert_true(h < 0);
    }
}

static void set_word(sayso_word *w, const char *s, size_t n)
{
    memset(w, 0, sizeof *w);
    w->s = s;
    w->n = (uint32_t)n;
}

static void test_hostile_sentences(void **state)
{
    (void)state;
    pair x;
    pair_open(&x);
    sayso_syntax_ws ws = { 0 };
    sayso_word one[1];
    set_word(&one[0], "Hello", 5);
    check_tree(&x, &ws, one, 1);
    assert_int_equal(sayso_parser_parse(x.p, &ws, one, 0), 0);
    assert_int_equal(sayso_tagger_tag(x.t, &ws, one, 0), 0);

    static const char *pieces[] = {
        "the", "minister", "said", ",", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x99s", "n't", "\xe2\x80\x94",
        "", "\xff\xfe", "\xc3", "\x80\x80", "a\0b", "\0", "1998", "...", "(", ")", "Smith", "\xe2\x80\xa6", "-",
    };
    const size_t np = sizeof pieces / sizeof pieces[0];
    static const size_t lens[] = { 3, 8, 4, 1, 3, 3, 4, 3, 3, 0, 2, 1, 2, 3, 1, 4, 3, 1, 1, 5, 3, 1 };
    size_t n = SAYSO_SYNTAX_MAXWORDS;
    sayso_word *w = malloc(n * sizeof *w);
    assert_non_null(w);
    uint64_t r = 12345;
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)(sayso_rand(&r) % np);
        set_word(&w[i], pieces[k], lens[k]);
    }
    check_tree(&x, &ws, w, 2000);
    check_tree(&x, &ws, w, n); /* the longest sentence there can be */
    /* Empty words only, and one word of 100 KB. */
    for (size_t i = 0; i < 50; i++) set_word(&w[i], "", 0);
    check_tree(&x, &ws, w, 50);
    char *big = malloc(100000);
    memset(big, 'a', 100000);
    big[500] = '\0';
    big[501] = '\xff';
    set_word(&w[0], big, 100000);
    check_tree(&x, &ws, w, 3);
    /* Too long for int16 heads: refused, not cut. */
    sayso_word *more = realloc(w, (n + 1) * sizeof *w);
    assert_non_null(more);
    w = more;
    set_word(&w[n], "x", 1);
    sayso_syntax_prepare(w, n + 1);
    assert_int_equal(sayso_parser_parse(x.p, &ws, w, n + 1), -1);
    free(big);
    free(w);
    sayso_syntax_ws_free(&ws);
    pair_close(&x);
}

/* Feature hashing reads the normalised word: news typography must look
 * like the treebank's ASCII. */
static void test_normalisation(void **state)
{
    (void)state;
    sayso_wfeat a, b;
    sayso_word_features("\xe2\x80\x99s", 4, &a);
    sayso_word_features("'s", 2, &b);
    assert_true(a.form == b.form && a.lower == b.lower && a.shape == b.shape);
    sayso_word_features("\xe2\x80\x9c", 3, &a);
    sayso_word_features("\"", 1, &b);
    assert_true(a.form == b.form);
    sayso_word_features("\xe2\x80\x94", 3, &a);
    sayso_word_features("--", 2, &b);
    assert_true(a.form == b.form);
    sayso_word_features("1998", 4, &a);
    sayso_word_features("2024", 4, &b);
    assert_true(a.form == b.form);
    sayso_word_features("Obama", 5, &a);
    sayso_word_features("obama", 5, &b);
    assert_true(a.lower == b.lower && a.form != b.form);
    sayso_word w[2];
    set_word(&w[0], "Don\xe2\x80\x99t", 7);
    set_word(&w[1], "don't", 5);
    sayso_syntax_prepare(w, 2);
    assert_int_equal(w[0].lex, w[1].lex);
}

/* ---- reading CoNLL-U ---------------------------------------------------- */

static void test_conllu_reader(void **state)
{
    (void)state;
    const char *path = tmp("syntax_bad.conllu");
    static const char bad[] =
        "# ok\n"
        "1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\n"
        "2\tb\tb\tNOUN\tNN\t_\t0\troot\t_\t_\n"
        "\n"
        "1\tx\tx\tNOUN\tNN\t_\t0\troot\t_\t_\n"
        "2\ty\ty\tNOTATAG\tX\t_\t1\tdep\t_\t_\n" /* line 6 */
        "\n"
        "1\tx\tx\tNOUN\tNN\t_\t2\tnsubj\t_\t_\n"
        "2\ty\ty\tVERB\tVB\t_\t1\tccomp\t_\t_\n" /* a cycle, no root */
        "\n"
        "1\tonly\tfour\tcolumns\n" /* line 11 */
        "\n"
        "1\ta\ta\tDET\tDT\t_\t9\tdet\t_\t_\n" /* head out of range */
        "2\tb\tb\tNOUN\tNN\t_\t0\troot\t_\t_\n"
        "\r\n"
        "1\tWe\twe\tPRON\tPRP\t_\t2\tnsubj\t_\t_\r\n"
        "1.1\tempty\t_\t_\t_\t_\t_\t_\t_\t_\n"
        "2-3\tgo'n\t_\t_\t_\t_\t_\t_\t_\t_\n"
        "2\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n"
        "3\tn\tnot\tPART\tRB\t_\t2\tadvmod\t_\t_\n"
        "\n"
        "1\tx\tx\tNOUN\tNN\t_\t0\troot\t_\t_\n"
        "3\ty\ty\tNOUN\tNN\t_\t1\tdep\t_\t_\n" /* id out of sequence */
        "\n"
        "1\tlast\tlast\tADJ\tJJ\t_\t0\troot\t_\t_"; /* no final newline */
    assert_int_equal(tu_write_file(path, bad, sizeof bad - 1), 0);
    char *msgs = NULL;
    size_t mlen = 0;
    FILE *err = open_memstream(&msgs, &mlen);
    sayso_conllu tb;
    assert_int_equal(sayso_conllu_read(&tb, path, err), 0);
    fclose(err);
    fprintf(stderr, "%s", msgs);
    assert_int_equal((int)tb.nsent, 3);
    assert_int_equal((int)tb.dropped, 5);
    assert_int_equal((int)(tb.sent[2] - tb.sent[1]), 3); /* multiword token: its words kept */
    assert_int_equal(tb.w[tb.sent[1] + 1].head, -1);
    assert_string_equal(tb.rel[tb.sent[1] + 2], "advmod");
    assert_non_null(strstr(msgs, "syntax_bad.conllu:6: unknown UPOS tag"));
    assert_non_null(strstr(msgs, "syntax_bad.conllu:11: not 10 tab-separated columns"));
    assert_non_null(strstr(msgs, "not exactly one root"));
    assert_non_null(strstr(msgs, "head out of range"));
    assert_non_null(strstr(msgs, "out of sequence"));
    sayso_conllu_free(&tb);
    free(msgs);
    assert_int_equal(sayso_conllu_read(&tb, tmp("no-such-file.conllu"), NULL), -1);
}

/* ---- packed tables ------------------------------------------------------ */

/* A feature hash that lands in bucket k of nb with fingerprint fp, as
 * learn.h documents the lookup: the low 32 bits scaled to the buckets, the
 * top 16 bits the fingerprint. */
static uint64_t feature_in(uint32_t k, uint32_t nb, uint16_t fp)
{
    uint64_t low = (((uint64_t)k << 32) + nb - 1) / nb;
    return (uint64_t)fp << 48 | low;
}

/* The committed parser's relation table is sparse in the file, and looked
 * up partly through rows unpacked in memory (the long ones). Every row the
 * file holds, read here straight from its documented layout, must score
 * the same through sayso_ptab_score, alone and summed in batches, and
 * features the file does not hold must add nothing. */
static void test_sparse_rows(void **state)
{
    (void)state;
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/parser.model", tu_env("SAYSO_MODELS", "../models"));
    sayso_model m;
    if (sayso_model_open_file(&m, path, SAYSO_PARSER_KIND, SAYSO_PARSER_VERSION, err, sizeof err) < 0)
        fail_msg("%s", err);
    sayso_ptab t;
    assert_int_equal(sayso_ptab_open(&t, &m, "lab", err, sizeof err), 0);
    assert_int_equal(t.kind, SAYSO_PTAB_SPARSE);
    size_t blen, rlen;
    const unsigned char *b = sayso_model_section(&m, "lab.b", &blen);
    const uint16_t *e = sayso_model_section(&m, "lab.r", &rlen);
    assert_non_null(b);
    assert_non_null(e);
    enum { BATCH = 97 }; /* more than a lookup batch, and not a multiple of one */
    uint64_t f[BATCH];
    int32_t want[256], got[256], sum_want[256], sum_got[256];
    size_t nf = 0, rows = 0, long_rows = 0;
    memset(sum_want, 0, sizeof sum_want);
    memset(sum_got, 0, sizeof sum_got);
    for (uint32_t k = 0; k < t.nbuckets; k++) {
        const unsigned char *bk = b + (size_t)k * 64;
        uint32_t base;
        memcpy(&base, bk + 60, 4);
        for (unsigned j = 0; j < 15; j++) {
            uint16_t fp, a = 0, z;
            memcpy(&fp, bk + 2 * j, 2);
            if (j) memcpy(&a, bk + 30 + 2 * (j - 1), 2);
            memcpy(&z, bk + 30 + 2 * j, 2);
            if (!fp) continue;
            memset(want, 0, sizeof want);
            for (uint16_t x = a; x < z; x++) want[e[base + x] >> 8] += (int8_t)(uint8_t)e[base + x];
            memset(got, 0, sizeof got);
            uint64_t h = feature_in(k, t.nbuckets, fp);
            sayso_ptab_score(&t, &h, 1, got);
            if (memcmp(want, got, t.nclass * sizeof *got) != 0) fail_msg("bucket %u slot %u scores differ", k, j);
            rows++;
            long_rows += z - a > 4;
            for (uint32_t c = 0; c < t.nclass; c++) sum_want[c] += want[c];
            f[nf++] = h;
            /* and one the bucket does not hold: fingerprints are unique in it */
            if (nf < BATCH && j == 0) {
                uint16_t other = (uint16_t)(fp ^ 0x8000u);
                int held = 0;
                for (unsigned i = 0; i < 15; i++) {
                    uint16_t x;
                    memcpy(&x, bk + 2 * i, 2);
                    held |= x == other;
                }
                if (!held) f[nf++] = feature_in(k, t.nbuckets, other);
            }
            if (nf == BATCH) {
                sayso_ptab_score(&t, f, nf, sum_got);
                if (memcmp(sum_want, sum_got, t.nclass * sizeof *sum_got) != 0)
                    fail_msg("a batch ending at bucket %u scores differently", k);
                nf = 0;
            }
        }
    }
    fprintf(stderr, "relation table: %zu rows, %zu of them unpacked\n", rows, long_rows);
    assert_true(rows > 1000);
    assert_true(long_rows > 100 && long_rows < rows);
    sayso_ptab_close(&t);
    sayso_model_close(&m);
}

/* ---- the committed models on EWT dev ------------------------------------ */

static void test_ewt_dev_floors(void **state)
{
    (void)state;
    const char *dev = tu_shared("corpora/ud-ewt/dev.conllu");
    if (!dev) {
        skip();
    }
    char devpath[4096], path[4096], err[512];
    snprintf(devpath, sizeof devpath, "%s", dev);
    const char *models = tu_env("SAYSO_MODELS", "../models");
    sayso_model tm, pm;
    snprintf(path, sizeof path, "%s/tagger.model", models);
    if (sayso_model_open_file(&tm, path, SAYSO_TAGGER_KIND, SAYSO_TAGGER_VERSION, err, sizeof err) < 0)
        fail_msg("%s", err);
    snprintf(path, sizeof path, "%s/parser.model", models);
    if (sayso_model_open_file(&pm, path, SAYSO_PARSER_KIND, SAYSO_PARSER_VERSION, err, sizeof err) < 0)
        fail_msg("%s", err);
    sayso_tagger *t = sayso_tagger_open(&tm, err, sizeof err);
    sayso_parser *p = sayso_parser_open(&pm, err, sizeof err);
    assert_non_null(t);
    assert_non_null(p);
    sayso_syntax_scores sc;
    assert_int_equal(sayso_syntax_eval(t, p, devpath, &sc, stderr), 0);
    fprintf(stderr, "EWT dev, predicted tags: UPOS %.4f UAS %.4f LAS %.4f (universal relations %.4f)\n", sc.upos,
            sc.uas, sc.las, sc.las_universal);
    assert_int_equal((int)sc.words, 25147);
    assert_true(sc.upos >= 0.94);
    assert_true(sc.uas >= SYNTAX_UAS_FLOOR);
    assert_true(sc.las >= 0.80);
    sayso_parser_free(p);
    sayso_tagger_free(t);
    sayso_model_close(&tm);
    sayso_model_close(&pm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learns_tiny_treebank),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_container_damage),
        cmocka_unit_test(test_crafted_indices),
        cmocka_unit_test(test_hostile_sentences),
        cmocka_unit_test(test_normalisation),
        cmocka_unit_test(test_conllu_reader),
        cmocka_unit_test(test_sparse_rows),
        cmocka_unit_test(test_ewt_dev_floors),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
