/*
 * main.c — the `sayso` command line.
 *
 * Owns argument parsing, the help texts and the exit codes; everything else
 * is a library call: read.c turns paths into articles, sayso_extract() finds
 * the quotations, output.c prints them, eval.c scores them.
 *
 *   sayso extract [--format json|text|speakers] [--quiet] [PATH...]
 *   sayso ingest DB [--quiet] [--batch N] [--threads N] [PATH...]
 *   sayso search DB QUERY [--speaker NAME] [--from DATE] [--to DATE] [--channel C] [--limit N] [--format text|json]
 *   sayso speakers DB [--top N] [NAME] | quote DB ID | stats DB | export DB
 *   sayso serve DB [--bind ADDR] [--port N] [--threads N]
 *   sayso eval GOLD_DIR [PRED.jsonl] [--errors] [--json]
 *   sayso help [COMMAND] | --help | --version
 *
 * `sayso PATH...` (no command) means `sayso extract PATH...`, the way jq and
 * grep take their inputs directly.
 *
 * Exit codes: 0 everything read; 1 some inputs or articles skipped; 2 usage
 * error (or, for eval, an unusable gold directory); 3 output not written.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <time.h>

#include "eval.h"
#include "feed.h"
#include "output.h"
#include "pool.h"
#include "read.h"
#include "sayso.h"
#include "server.h"
#include "store.h"
#include "cli.h"


static const char help_main[] =
    "sayso " SAYSO_VERSION " - find the quotations in news text, and who said them\n"
    "\n"
    "Usage:\n"
    "  sayso extract [--format json|text|speakers] [--quiet] [PATH...]\n"
    "                    print the quotations of the articles in PATH (or stdin)\n"
    "  sayso ingest DB [PATH...]\n"
    "                    extract the quotations of PATH (or stdin) into the\n"
    "                    store DB, a SQLite file (created if missing)\n"
    "  sayso search DB QUERY [--speaker NAME] [--from DATE] [--to DATE] ...\n"
    "                    find quotations in the store\n"
    "  sayso speakers DB [--top N] [NAME]   who is quoted most (or NAME...)\n"
    "  sayso quote DB ID      every report of quotation ID\n"
    "  sayso stats DB         what the store holds\n"
    "  sayso export DB        every stored quotation report as JSON lines\n"
    "  sayso serve DB [--bind 127.0.0.1] [--port 8080]\n"
    "                    the store as a JSON API over HTTP\n"
    "  sayso eval GOLD_DIR [PRED.jsonl] [--errors] [--json]\n"
    "                    score quotations against annotated articles\n"
    "  sayso read [--format jsonl|text] [PATH...]\n"
    "                    print the articles of PATH as sayso reads them\n"
    "  sayso train syntax|attribution DATA [--dev DATA] [--out DIR]\n"
    "                    train new models (see 'sayso help train')\n"
    "  sayso help [COMMAND]   detailed help (also: sayso COMMAND --help)\n"
    "  sayso --version\n"
    "\n"
    "'sayso PATH...' without a command is short for 'sayso extract PATH...'.\n"
    "\n"
    "Inputs: PATH is a text file (one article), a JSONL file (*.jsonl or\n"
    "*.jsonl.gz, one JSON object with a \"text\" field per line), a web page\n"
    "(*.html, *.htm), a directory (searched recursively for all of them) or -\n"
    "for stdin.\n"
    "\n"
    "Output: one JSON object per quotation and line: what was said (quote,\n"
    "content), by whom (source, speaker, speaker_descriptors, speaker_age),\n"
    "how (cue, type), where (channel, addressee) and when (said_on); spans\n"
    "are [start, end] in Unicode code points.\n"
    "\n"
    "Examples:\n"
    "  sayso extract article.txt\n"
    "  sayso extract --format text corpus/\n"
    "  zcat news.jsonl.gz | sayso extract > quotes.jsonl\n"
    "  sayso eval polnear/dev quotes.jsonl\n"
    "\n"
    "Exit status: 0 all inputs read; 1 some inputs or articles skipped;\n"
    "2 usage error; 3 output could not be written.\n"
    "\n"
    "Run 'sayso help COMMAND' (extract, ingest, search, store, eval, train) for the details.\n";

static const char help_extract[] =
    "Usage: sayso extract [--format json|text|speakers] [--quiet] [--threads N] [--models DIR | --rules-only] [PATH...]\n"
    "\n"
    "Finds the quotations in news articles, with quotation marks or without\n"
    "(reported speech: \"officials said the bridge would reopen\"), and prints\n"
    "one line per quotation: what was said, the cue (\"said\", \"told\n"
    "reporters\"), the mention of the source and the speaker that mention\n"
    "refers to.\n"
    "\n"
    "Inputs (stdin when no PATH is given):\n"
    "  FILE            one article: the whole file, UTF-8. It may begin with a\n"
    "                  header \" date YYYY-MM-DD \" that sets the article's date.\n"
    "                  The document id is the file name without its directory\n"
    "                  and extension. Gzip-compressed files are decompressed.\n"
    "  FILE.jsonl      one article per line, a JSON object with \"text\" (or\n"
    "  FILE.jsonl.gz   \"content\" or \"body\") and optionally \"id\", \"date\"\n"
    "                  (ISO date or date-time), \"title\", \"url\", \"authors\",\n"
    "                  \"site\" and \"lang\"; other fields are ignored. Without\n"
    "                  \"id\" the id is FILE:LINE. Blank lines are skipped; bad\n"
    "                  lines are reported and skipped.\n"
    "  FILE.html       a web page (also *.htm and their .gz): the article's\n"
    "                  text without menus, ads, share buttons or comments, its\n"
    "                  title, date, authors, site, language and canonical url.\n"
    "                  The id is the file name without extensions, or the\n"
    "                  folder's name for index.html, source.html and the like.\n"
    "                  'sayso read' shows what sayso read in a page.\n"
    "  DIR             every input file below DIR (*.txt, *.jsonl, *.html, ...\n"
    "                  and their .gz), in name order; hidden files and\n"
    "                  directories are left out.\n"
    "  -               stdin: JSONL when its first non-blank character is '{',\n"
    "                  a web page when it is '<' and a tag follows, otherwise\n"
    "                  one text article with the id \"stdin\".\n"
    "Invalid UTF-8 and NUL bytes are replaced by U+FFFD, with a warning.\n"
    "\n"
    "Options (they may also follow the paths):\n"
    "  --format json   JSON lines, one object per quotation (the default)\n"
    "  --format text   one readable line per quotation, under a line\n"
    "                  '# DOC (DATE)' per article:\n"
    "                    SPEAKER — “QUOTE” (CUE; CHANNEL; to ADDRESSEE; SAID_ON)\n"
    "                  reported speech (type mixed, indirect) as the article\n"
    "                  wrote it, in no quotation marks but the article's own:\n"
    "                    SPEAKER — CLAUSE (partly quoted; CUE; ...)\n"
    "                    SPEAKER — CLAUSE (reported speech; CUE; ...)\n"
    "  --format speakers\n"
    "                  per article, each speaker with their number of quotes\n"
    "                  (and how many are partly quoted or reported speech),\n"
    "                  age, descriptors and channels, most quoted first\n"
    "  -q, --quiet     no warnings or messages about skipped inputs\n"
    "  --threads N     extract on N threads (default: one per CPU); the output\n"
    "                  is the same, in input order, whatever N\n"
    "  --models DIR    use the models of DIR (from 'sayso train'): each of\n"
    "                  tagger.model, parser.model, attribution.model and\n"
    "                  entities.model found there replaces the built-in one\n"
    "                  (also: SAYSO_MODELS=DIR)\n"
    "  --rules-only    no trained models: the hand-written rules alone, which\n"
    "                  find quotations in quotation marks and only the clearest\n"
    "                  reported speech, forty times faster\n"
    "  -h, --help      show this help\n"
    "  --              all further arguments are paths\n"
    "\n"
    "Output fields (JSON format), in this order:\n"
    "  doc           document id\n"
    "  date          \"YYYY-MM-DD\" or null\n"
    "  quote         the quoted words without the enclosing quotation marks;\n"
    "                the parts of an interrupted quotation joined by \" … \"\n"
    "  content       [[start, end], ...]: the parts of the quotation, with\n"
    "                their quotation marks\n"
    "  cue           [[start, end]] or null; cue_text: its words or null\n"
    "  source        [[start, end]] or null; source_text: its words or null\n"
    "  speaker       the person or organization the source refers to, under its\n"
    "                fullest name in the article, or null (also for someone\n"
    "                described but never named: see speaker_descriptors)\n"
    "  type          \"direct\" (all inside quotation marks), \"mixed\" (reported\n"
    "                speech quoting some words) or \"indirect\" (no marks)\n"
    "  confidence    0 to 1: how sure the attribution is\n"
    "  speaker_descriptors  [\"41-year-old\", \"singer\"]: how the article\n"
    "                describes the speaker, or null\n"
    "  speaker_age   the speaker's age when the article states it, or null\n"
    "  channel       where it was said: instagram, twitter, facebook, tiktok,\n"
    "                youtube, interview, tv, radio, podcast, statement,\n"
    "                press conference, speech, court, hearing, book, email,\n"
    "                letter, ... (data/channels.txt), or null\n"
    "  addressee     who was told: \"CNN\" in \"told CNN\", or null\n"
    "  said_on       when: \"YYYY-MM-DD\", \"YYYY-MM\" or \"YYYY\", from a time\n"
    "                expression near the cue (\"on Thursday\", \"last month\")\n"
    "                read against the article date; null when the text does\n"
    "                not say or says \"at the time\"\n"
    "  said_on_text  the time expression, or null\n"
    "Spans are half-open and count Unicode code points from the start of the\n"
    "article text, header included: text[start:end] in Python.\n"
    "\n"
    "Examples:\n"
    "  sayso extract article.txt\n"
    "  sayso extract --format text corpus/\n"
    "  sayso extract --format speakers article.txt\n"
    "  sayso extract news.jsonl.gz > quotes.jsonl\n"
    "  sayso extract corpus/ | jq -r '.speaker // empty' | sort | uniq -c\n"
    "  printf ' date 2021-03-04 \"We are ready,\" she said.' | sayso extract\n"
    "\n"
    "Exit status:\n"
    "  0  every input was read\n"
    "  1  some inputs or articles were skipped (unreadable file, malformed JSON\n"
    "     line, out of memory); the rest was processed\n"
    "  2  usage error\n"
    "  3  the output could not be written (for example, disk full)\n";

static const char help_ingest[] =
    "Usage: sayso ingest DB [--quiet] [--batch N] [--threads N] [--models DIR | --rules-only] [PATH...]\n"
    "\n"
    "Extracts the quotations of the articles in PATH (files, directories, JSONL,\n"
    "stdin: as for 'sayso extract') and stores articles, quotations and speakers\n"
    "in DB, a SQLite file, created when missing.\n"
    "\n"
    "Ingesting is idempotent and resumable:\n"
    "  - an article already stored with the same id and the same content is\n"
    "    skipped (without extracting it again);\n"
    "  - an article whose id is stored but whose content changed replaces the\n"
    "    old one and all its quotations;\n"
    "  - each article goes in whole or not at all; articles are committed in\n"
    "    batches, so an interrupted ingest (Ctrl-C, kill -9, a crash) loses at\n"
    "    most its last batch, and running it again completes the store.\n"
    "Readers can use the store while an ingest writes (SQLite WAL).\n"
    "\n"
    "Options:\n"
    "  --batch N     articles per commit (default 10000; each commit rewrites\n"
    "                every index page the batch touched, so bigger batches\n"
    "                are faster on a big store)\n"
    "  --threads N   1: read, extract and store on one thread; N > 1: N - 1\n"
    "                threads read and extract the next articles while one\n"
    "                stores (default: one thread per CPU). The store is the\n"
    "                same either way\n"
    "  --models DIR, --rules-only\n"
    "                the models to extract with, as for 'sayso extract'\n"
    "  -q, --quiet   no progress line, no summary, no warnings\n"
    "  -h, --help    show this help\n"
    "On a terminal, a progress line shows articles, articles/s, quotations,\n"
    "the time so far and, when the input size is known, the time left.\n"
    "\n"
    "Examples:\n"
    "  sayso ingest news.db corpus/\n"
    "  zcat 2016.jsonl.gz | sayso ingest news.db\n"
    "\n"
    "Exit status:\n"
    "  0  every input was read and stored\n"
    "  1  some inputs or articles were skipped; the rest is stored\n"
    "  2  usage error\n"
    "  3  the store could not be opened or written (not a sayso store, a\n"
    "     store from a newer sayso, disk full, ...)\n";

static const char help_search[] =
    "Usage: sayso search DB QUERY [--speaker NAME] [--from DATE] [--to DATE]\n"
    "                    [--channel C] [--limit N] [--format text|json]\n"
    "\n"
    "Finds quotations in the store DB (made by 'sayso ingest') whose words match\n"
    "QUERY, best first (BM25). The same words reported by several articles are\n"
    "one quotation, also when an outlet trimmed them, changed a word or other\n"
    "quotation marks: each hit shows who said it (the speaker most reports\n"
    "name, and the others with their counts), when it was first reported, in\n"
    "how many articles, and its first report with the sentence around it.\n"
    "A hit is in quotation marks when that first report quotes the words; when\n"
    "it reports them in its own sentence, the words are shown as written, with\n"
    "\"(partly quoted)\" or \"(reported speech)\" after them.\n"
    "\n"
    "QUERY (SQLite FTS5): words (all must match), \"a phrase\", prefix*,\n"
    "OR, NOT, NEAR(a b); case and accents do not matter.\n"
    "\n"
    "Options:\n"
    "  --speaker NAME   only quotations attributed to NAME (case and accents\n"
    "                   do not matter)\n"
    "  --from DATE      only in articles dated DATE or later (YYYY, YYYY-MM or\n"
    "  --to DATE        YYYY-MM-DD) / DATE or earlier\n"
    "  --channel C      only quotations said on C (twitter, interview, ...)\n"
    "  --limit N        at most N hits (default 10)\n"
    "  --format json    one JSON object per hit instead of text\n"
    "\n"
    "Examples:\n"
    "  sayso search news.db bridge\n"
    "  sayso search news.db '\"not a day later\"' --format json\n"
    "  sayso search news.db 'tax* NOT income' --speaker 'Gloria Alvarez' --from 2022\n"
    "\n"
    "Exit status:\n"
    "  0  quotations found\n"
    "  1  nothing found\n"
    "  2  usage error, or a bad query, date or speaker\n"
    "  3  the store could not be read\n";

static const char help_store[] =
    "Usage: sayso speakers DB [--top N] [NAME]\n"
    "       sayso quote DB ID\n"
    "       sayso stats DB\n"
    "       sayso export DB\n"
    "\n"
    "Browse a store made by 'sayso ingest':\n"
    "  speakers   the N (default 20) most quoted speakers, or those whose name\n"
    "             starts with NAME (any case, accents optional): quotes,\n"
    "             distinct quotations, articles, first and last date; and from\n"
    "             their latest 2,000 quotes: channels, how articles named them\n"
    "             (aliases) and how they described them\n"
    "  quote      every report of quotation ID (the id 'sayso search' shows):\n"
    "             article, date, url, speaker, channel, when it was said\n"
    "  stats      articles, quotes, quotations, speakers, dates and file size\n"
    "  export     every stored quote as one JSON object per line (fields as in\n"
    "             'sayso extract', with the article's doc, date and url and the\n"
    "             quotation it belongs to)\n"
    "\n"
    "Exit status: 0 done; 1 nothing to show; 2 usage error; 3 the store could\n"
    "not be read.\n";

static const char help_serve[] =
    "Usage: sayso serve DB [--bind ADDR] [--port N] [--threads N] [--budget-ms N]\n"
    "                      [--queue N] [--cache-mb N] [--mmap-mb N]\n"
    "\n"
    "Serves the store DB (made by 'sayso ingest') over HTTP until interrupted\n"
    "(Ctrl-C, SIGTERM). Read-only: an ingest into DB can run at the same time.\n"
    "\n"
    "JSON API (GET; errors are {\"error\": {\"status\": N, \"message\": ...}}):\n"
    "  /api/search?q=QUERY[&speaker=&from=&to=&channel=][&page=1&per_page=10]\n"
    "                        as 'sayso search'; per_page at most 50, page 100\n"
    "  /api/quotes/ID        every report of quotation ID\n"
    "  /api/speakers[?limit=N]  the most quoted, with their profiles\n"
    "  /api/speakers?prefix=NAME[&limit=N]  names starting so (case and accents\n"
    "                        ignored), most quoted first: id, name, quotes\n"
    "  /api/speakers/ID      a speaker's profile, quotes per month, latest quotes\n"
    "  /api/articles/ID      an article's text and its quotes' spans\n"
    "  /api/stats            what the store holds\n"
    "  /healthz              {\"ok\": true}\n"
    "\n"
    "Options:\n"
    "  --bind ADDR   IPv4 address to listen on (default 127.0.0.1: this machine\n"
    "                only; 0.0.0.0 for every network)\n"
    "  --port N      port (default 8080; 0: any free one, printed at start)\n"
    "  --threads N   workers, each with its own store connection (default: two\n"
    "                per CPU, at least 2)\n"
    "  --budget-ms N time a search or report may take before it is stopped with\n"
    "                503 (default 1000; 0: no limit)\n"
    "  --queue N     API requests that may wait for a worker; more get 503 with\n"
    "                Retry-After at once (default 64)\n"
    "  --cache-mb N  SQLite page cache of each worker, private memory (default 16)\n"
    "  --mmap-mb N   of the store mapped into memory, shared by every worker with\n"
    "                the OS page cache (default 65536: all of a store up to\n"
    "                64 GB; 0: none)\n"
    "\n"
    "Examples:\n"
    "  sayso serve news.db\n"
    "  curl 'http://127.0.0.1:8080/api/search?q=bridge&per_page=3'\n"
    "\n"
    "Exit status: 0 stopped by a signal; 2 usage error; 3 the store could not\n"
    "be opened or the address not listened on.\n";

static const char help_eval[] =
    "Usage: sayso eval GOLD_DIR [PRED.jsonl] [--errors] [--json] [--models DIR | --rules-only]\n"
    "\n"
    "Scores quotations against gold data, in one of two layouts:\n"
    "\n"
    "  attributions   GOLD_DIR holds text/ (the articles, *.txt) and\n"
    "                 attributions/ (BRAT standoff, DOC_ANNOTATOR.ann; the first\n"
    "                 annotator in name order counts), as PolNeAR. Prints\n"
    "                 precision, recall and F1 for content, source and cue, by\n"
    "                 exact match and by token overlap, over all attributions\n"
    "                 and over the subset with quotation marks.\n"
    "  quotation lists  GOLD_DIR holds DOC.txt and DOC.json, {\"quotes\": [{\"text\",\n"
    "                 \"speaker\"}]}, as the soft-news set. A gold quote is found\n"
    "                 when one predicted quote covers half its words; prints quotes\n"
    "                 found, precision of the predicted quotes with quotation\n"
    "                 marks, speaker right given found (ignoring case; gold\n"
    "                 UNKNOWN counts for found only) and end to end.\n"
    "\n"
    "PRED.jsonl is the output of 'sayso extract' on the articles; without it\n"
    "the extractor is run on them directly.\n"
    "\n"
    "Options (they may also follow the paths):\n"
    "  --errors     also list every missed gold quotation, false alarm and\n"
    "               (quotation lists) wrong speaker\n"
    "  --json       print the scores as one JSON object\n"
    "  --models DIR, --rules-only\n"
    "               the models the extractor runs with, as for 'sayso extract'\n"
    "  -h, --help   show this help\n"
    "\n"
    "Examples:\n"
    "  sayso eval polnear/dev\n"
    "  sayso extract polnear/dev/text > pred.jsonl\n"
    "  sayso eval polnear/dev pred.jsonl --errors\n"
    "  sayso eval softnews/dev --errors\n"
    "\n"
    "Exit status:\n"
    "  0  scores printed\n"
    "  1  some files could not be read; the scores cover the rest\n"
    "  2  usage error, or GOLD_DIR is not usable\n"
    "  3  the output could not be written\n";

/* Extraction on the pool's threads: an extractor per slot, whose results
 * live until the slot comes round again. */
typedef struct {
    sayso_extractor *ex;
    const sayso_quote *q;
    size_t n;
    int rc;
} extract_slot;

static void *extract_slot_new(void *ctx)
{
    extract_slot *s = calloc(1, sizeof *s);
    if (s && !(s->ex = sayso_extractor_new_with(ctx))) {
        free(s);
        return NULL;
    }
    return s;
}

static void extract_slot_free(void *ctx, void *slot)
{
    (void)ctx;
    extract_slot *s = slot;
    sayso_extractor_free(s->ex);
    free(s);
}

static void extract_work(void *ctx, void *worker, sayso_pool_item *it)
{
    (void)ctx;
    (void)worker;
    extract_slot *s = it->slot;
    s->rc = sayso_extract(s->ex, &it->art, &s->q, &s->n);
}


static int cmd_extract(int argc, char **argv)
{
    sayso_format fmt = SAYSO_FORMAT_JSON;
    const char *models_dir = NULL;
    long threads = sayso_cpu_count();
    int rules_only = 0, mo, bad_threads = 0;
    int quiet = 0, options_done = 0;
    const char **paths = cli_operand_list(argc);
    size_t n_paths = 0;
    if (!paths) return EXIT_SKIPPED;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_operand(a, options_done)) {
            paths[n_paths++] = a;
        } else if (strcmp(a, "--") == 0) {
            options_done = 1;
        } else if (cli_is_flag(a, "-h", "--help")) {
            free(paths);
            return cli_print_help(help_extract);
        } else if (cli_is_flag(a, "-q", "--quiet")) {
            quiet = 1;
        } else if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
            const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) {
                free(paths);
                return cli_usage_error("option '--format' needs an argument: json, text or speakers");
            }
            if (strcmp(v, "json") == 0) fmt = SAYSO_FORMAT_JSON;
            else if (strcmp(v, "text") == 0) fmt = SAYSO_FORMAT_TEXT;
            else if (strcmp(v, "speakers") == 0) fmt = SAYSO_FORMAT_SPEAKERS;
            else {
                free(paths);
                return cli_usage_error("unknown format '%s' (use json, text or speakers)", v);
            }
        } else if ((mo = cli_models_option(a, argc, argv, &i, &models_dir, &rules_only)) != 0) {
            if (mo < 0) {
                free(paths);
                return cli_usage_error("option '--models' needs a directory");
            }
        } else if (cli_threads_option(a, argc, argv, &i, &threads, &bad_threads)) {
            if (bad_threads) {
                free(paths);
                return cli_usage_error("option '--threads' needs a number from 1 to 256");
            }
        } else {
            free(paths);
            return cli_usage_error("unknown option '%s'", a);
        }
    }
    const sayso_models *models;
    sayso_models *owned;
    int mrc = cli_pick_models(models_dir, rules_only, &models, &owned);
    if (mrc) {
        free(paths);
        return mrc;
    }

    if (!quiet && isatty(STDIN_FILENO)) {
        int uses_stdin = n_paths == 0;
        for (size_t i = 0; i < n_paths; i++) uses_stdin |= strcmp(paths[i], "-") == 0;
        if (uses_stdin) fputs("sayso: reading an article from the terminal (end it with Ctrl-D)\n", stderr);
    }

    cli_buffer_stdout();
    sayso_reader *r = sayso_reader_new(paths, n_paths, quiet ? NULL : stderr);
    free(paths);
    /* One thread needs no worker: the caller's thread reads and extracts
     * in turn. With more, the caller only writes what they found. */
    sayso_pool_ops ops = {.ctx = (void *)models, .slot_new = extract_slot_new, .slot_free = extract_slot_free,
                          .work = extract_work};
    char err[256];
    sayso_pool *pool = r ? sayso_pool_new(r, threads > 1 ? (int)threads : 0, &ops, err, sizeof err) : NULL;
    if (!pool) {
        fprintf(stderr, "sayso: %s\n", r ? err : "out of memory");
        sayso_reader_free(r);
        sayso_models_free(owned);
        return EXIT_SKIPPED;
    }

    size_t failed = 0;
    int write_errno = 0;
    sayso_pool_item *it;
    while (sayso_pool_next(pool, &it)) {
        extract_slot *s = it->slot;
        if (it->no_memory || s->rc != 0) {
            if (!quiet) {
                if (it->line)
                    fprintf(stderr, "sayso: %s:%zu: out of memory, article skipped\n", it->file, it->line);
                else
                    fprintf(stderr, "sayso: %s: out of memory, article skipped\n", it->file);
            }
            failed++;
            continue;
        }
        sayso_write_quotes(stdout, fmt, &it->art, s->q, s->n);
        if (ferror(stdout)) { /* no point reading on when nothing can be written */
            write_errno = errno ? errno : EIO;
            break;
        }
    }
    /* The pool first: its threads read r. */
    sayso_pool_free(pool);
    int rc = sayso_reader_skipped(r) || failed ? EXIT_SKIPPED : EXIT_OK;
    sayso_models_free(owned);
    sayso_reader_free(r);
    return cli_finish_output(rc, write_errno);
}

static int cmd_eval(int argc, char **argv)
{
    sayso_eval_options opt = {0};
    const char *models_dir = NULL;
    const char *pos[3];
    int n_pos = 0, options_done = 0, mo;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_operand(a, options_done)) {
            if (n_pos == 2) return cli_usage_error("eval takes at most two paths, GOLD_DIR and PRED.jsonl (extra: '%s')", a);
            pos[n_pos++] = a;
        } else if (strcmp(a, "--") == 0) {
            options_done = 1;
        } else if (cli_is_flag(a, "-h", "--help")) {
            return cli_print_help(help_eval);
        } else if (strcmp(a, "--errors") == 0) {
            opt.errors = 1;
        } else if (strcmp(a, "--json") == 0) {
            opt.json = 1;
        } else if ((mo = cli_models_option(a, argc, argv, &i, &models_dir, &opt.rules_only)) != 0) {
            if (mo < 0) return cli_usage_error("option '--models' needs a directory");
        } else {
            return cli_usage_error("unknown option '%s'", a);
        }
    }
    if (n_pos == 0) return cli_usage_error("eval needs GOLD_DIR: text/ and attributions/, or DOC.txt and DOC.json files");
    opt.gold_dir = pos[0];
    opt.pred_path = n_pos > 1 ? pos[1] : NULL;
    sayso_models *owned;
    int mrc = cli_pick_models(models_dir, opt.rules_only, &opt.models, &owned);
    if (mrc) return mrc;
    cli_buffer_stdout();
    int rc = sayso_eval_run(&opt, stdout, stderr);
    sayso_models_free(owned);
    return cli_finish_output(rc, 0);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The bytes the inputs hold, when all are regular files (for an ETA), else 0. */
static size_t input_size(const char *const *paths, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") == 0 || stat(paths[i], &st) != 0 || !S_ISREG(st.st_mode)) return 0;
        size_t len = strlen(paths[i]);
        if (len > 3 && strcmp(paths[i] + len - 3, ".gz") == 0) return 0; /* its text is bigger */
        total += (size_t)st.st_size;
    }
    return total;
}

static void progress(size_t articles, size_t quotes, double t0, size_t done, size_t total, int last)
{
    double el = now_seconds() - t0;
    fprintf(stderr, "\r%zu articles (%.0f/s), %zu quotations, %.0f s", articles, el > 0 ? articles / el : 0.0,
            quotes, el);
    if (total && done > 0 && done < total && !last) fprintf(stderr, ", about %.0f s left", el * (double)(total - done) / (double)done);
    fputs(last ? "\n" : "   ", stderr);
    fflush(stderr);
}

static int cmd_ingest(int argc, char **argv)
{
    int quiet = 0, options_done = 0, rules_only = 0, mo;
    const char *models_dir = NULL;
    /* Ten thousand: on a store of millions of quotes, every batch touches
     * most leaf pages of the MinHash and key indexes, and each commit
     * writes each touched page twice (log, then checkpoint). A tenth of
     * that was a quarter slower on a 4 GB store, and a crash costs at
     * most one batch of work, which the next run does again. */
    long batch = 10000;
    /* One thread per CPU: the caller's stores, the others read and
     * extract ahead (feed.h). */
    long threads = sayso_cpu_count();
    int bad_threads = 0;
    const char *db = NULL;
    const char **paths = cli_operand_list(argc);
    size_t n_paths = 0;
    if (!paths) return EXIT_SKIPPED;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_operand(a, options_done)) {
            if (!db) db = a;
            else paths[n_paths++] = a;
        } else if (strcmp(a, "--") == 0) {
            options_done = 1;
        } else if (cli_is_flag(a, "-h", "--help")) {
            free(paths);
            return cli_print_help(help_ingest);
        } else if (cli_is_flag(a, "-q", "--quiet")) {
            quiet = 1;
        } else if (cli_number_option(a, "--batch", argc, argv, &i, 1, 1000000, &batch)) {
            if (batch == LONG_MIN) {
                free(paths);
                return cli_usage_error("option '--batch' needs a number of articles from 1 to 1000000");
            }
        } else if (cli_threads_option(a, argc, argv, &i, &threads, &bad_threads)) {
            if (bad_threads) {
                free(paths);
                return cli_usage_error("option '--threads' needs a number from 1 to 256");
            }
        } else if ((mo = cli_models_option(a, argc, argv, &i, &models_dir, &rules_only)) != 0) {
            if (mo < 0) {
                free(paths);
                return cli_usage_error("option '--models' needs a directory");
            }
        } else {
            free(paths);
            return cli_usage_error("unknown option '%s'", a);
        }
    }
    if (!db) {
        free(paths);
        return cli_usage_error("ingest needs a store: sayso ingest DB [PATH...]");
    }
    const sayso_models *models;
    sayso_models *owned;
    int mrc = cli_pick_models(models_dir, rules_only, &models, &owned);
    if (mrc) {
        free(paths);
        return mrc;
    }
    char err[2300];
    sayso_store *st = sayso_store_open(db, SAYSO_STORE_WRITE, err, sizeof err);
    if (!st) {
        sayso_models_free(owned);
        free(paths);
        fprintf(stderr, "sayso: %s\n", err);
        return EXIT_OUTPUT;
    }
    size_t total = input_size(paths, n_paths);
    sayso_reader *r = sayso_reader_new(paths, n_paths, quiet ? NULL : stderr);
    sayso_feed *feed = NULL;
    free(paths);
    int show = !quiet && isatty(STDERR_FILENO);
    int rc = EXIT_OK;
    size_t seen = 0, added = 0, replaced = 0, unchanged = 0, quotes = 0, failed = 0, in_batch = 0, bytes = 0;
    double t0 = now_seconds(), shown = t0;
    if (!r || sayso_store_begin(st) < 0) {
        fprintf(stderr, "sayso: %s\n", r ? sayso_store_error(st) : "out of memory");
        rc = EXIT_OUTPUT;
        goto done;
    }
    if (!(feed = sayso_feed_new(r, st, db, (int)threads, models, err, sizeof err))) {
        fprintf(stderr, "sayso: %s\n", err);
        rc = EXIT_OUTPUT;
        goto done;
    }
    sayso_fed a;
    while (sayso_feed_next(feed, &a)) {
        seen++;
        bytes = a.bytes;
        sayso_put_result res;
        if (a.status == SAYSO_FED_UNCHANGED) {
            res = SAYSO_PUT_UNCHANGED;
        } else if (a.status == SAYSO_FED_STORE_ERROR) {
            fprintf(stderr, "sayso: %s\n", a.error);
            rc = EXIT_OUTPUT;
            goto done;
        } else if (a.status == SAYSO_FED_NO_MEMORY) {
            if (!quiet) fprintf(stderr, "sayso: %s:%zu: out of memory; article skipped\n", a.file, a.line);
            failed++;
            continue;
        } else {
            res = sayso_store_put(st, &a.art, a.file, a.quotes, a.n);
        }
        switch (res) {
        case SAYSO_PUT_ADDED: added++; quotes += a.n; break;
        case SAYSO_PUT_REPLACED: replaced++; quotes += a.n; break;
        case SAYSO_PUT_UNCHANGED: unchanged++; break;
        default:
            fprintf(stderr, "sayso: %s\n", sayso_store_error(st));
            rc = EXIT_OUTPUT;
            goto done;
        }
        if (++in_batch >= (size_t)batch) {
            if (sayso_store_commit(st) < 0 || sayso_store_begin(st) < 0) {
                fprintf(stderr, "sayso: %s\n", sayso_store_error(st));
                rc = EXIT_OUTPUT;
                goto done;
            }
            in_batch = 0;
        }
        if (show && now_seconds() - shown > 0.25) {
            progress(seen, quotes, t0, bytes, total, 0);
            shown = now_seconds();
        }
    }
    if (sayso_store_commit(st) < 0) {
        fprintf(stderr, "sayso: %s\n", sayso_store_error(st));
        rc = EXIT_OUTPUT;
        goto done;
    }
    if (show) progress(seen, quotes, t0, bytes, total, 1);
    if (!quiet) {
        sayso_store_counts c = { 0, 0, 0, 0 };
        sayso_store_count(st, &c);
        fprintf(stderr, "sayso: %zu articles read: %zu added, %zu replaced, %zu unchanged; %zu quotes stored\n",
                seen, added, replaced, unchanged, quotes);
        fprintf(stderr, "sayso: %s now holds %lld articles, %lld quotes of %lld quotations, %lld speakers\n", db,
                c.articles, c.quotes, c.quotations, c.speakers);
    }
    if (failed || sayso_reader_skipped(r)) rc = EXIT_SKIPPED;
done:
    /* The feed first: its thread reads r and has the store open. */
    sayso_feed_free(feed);
    sayso_reader_free(r);
    sayso_store_close(st);
    sayso_models_free(owned);
    return rc;
}

typedef struct {
    int json;
    int n;
} search_out;

static void put_json_field(const char *name, const char *v, int comma)
{
    printf("%s\"%s\": ", comma ? ", " : "", name);
    if (v) sayso_json_string(stdout, v, strlen(v));
    else fputs("null", stdout);
}

static int print_hit(const sayso_hit *h, void *arg)
{
    search_out *o = arg;
    o->n++;
    const char *who = h->n_speakers && h->speakers[0].name ? h->speakers[0].name : NULL;
    if (o->json) {
        printf("{\"id\": %lld", h->id);
        put_json_field("quote", h->text, 1);
        put_json_field("type", sayso_quote_type_name(h->type), 1);
        put_json_field("speaker", who, 1);
        fputs(", \"speakers\": [", stdout);
        for (int i = 0; i < h->n_speakers; i++) {
            printf("%s{", i ? ", " : "");
            put_json_field("name", h->speakers[i].name, 0);
            printf(", \"count\": %lld}", h->speakers[i].count);
        }
        fputs("]", stdout);
        put_json_field("first_seen", h->first_seen, 1);
        put_json_field("channel", h->channel, 1);
        printf(", \"articles\": %lld, \"first_report\": {", h->n_articles);
        put_json_field("doc", h->doc, 0);
        put_json_field("date", h->date, 1);
        put_json_field("url", h->url, 1);
        put_json_field("title", h->title, 1);
        put_json_field("site", h->site, 1);
        put_json_field("context", h->context, 1);
        printf("}, \"rank\": %.3f}\n", h->rank);
        return 0;
    }
    /* As in `extract --format text`: marks of ours only around words
     * said word for word; reported speech as written, then its kind. */
    const char *kind = sayso_quote_type_label(h->type);
    if (kind) printf("%d. %s (%s)\n", o->n, h->text, kind);
    else printf("%d. \xE2\x80\x9C%s\xE2\x80\x9D\n", o->n, h->text);
    printf("   %s", who ? who : "(unknown speaker)");
    printf(" \xE2\x80\x94 %lld article%s", h->n_articles, h->n_articles == 1 ? "" : "s");
    if (h->first_seen) printf(", first %s", h->first_seen);
    if (h->channel) printf(", %s", h->channel);
    printf(" (quotation %lld)\n", h->id);
    for (int i = 1; i < h->n_speakers; i++)
        printf("   also attributed to %s (%lld)\n", h->speakers[i].name ? h->speakers[i].name : "(unknown)",
               h->speakers[i].count);
    if (h->doc) printf("   %s%s%s%s: %s\n", h->doc, h->date ? " (" : "", h->date ? h->date : "", h->date ? ")" : "",
                       h->context ? h->context : "");
    return 0;
}

static int cmd_search(int argc, char **argv)
{
    sayso_search_opts o = { 0 };
    o.limit = 10;
    const char *db = NULL;
    int json = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char **val = NULL;
        if (cli_is_flag(a, "-h", "--help")) return cli_print_help(help_search);
        if (strcmp(a, "--speaker") == 0) val = &o.speaker;
        else if (strcmp(a, "--from") == 0) val = &o.from;
        else if (strcmp(a, "--to") == 0) val = &o.to;
        else if (strcmp(a, "--channel") == 0) val = &o.channel;
        if (val) {
            if (i + 1 >= argc) return cli_usage_error("option '%s' needs a value", a);
            *val = argv[++i];
        } else if (strcmp(a, "--limit") == 0) {
            char *end = NULL;
            long v = i + 1 < argc ? strtol(argv[++i], &end, 10) : 0;
            if (!end || *end || v < 1 || v > 10000) return cli_usage_error("option '--limit' needs a number from 1 to 10000");
            o.limit = (int)v;
        } else if (strcmp(a, "--format") == 0) {
            const char *v = i + 1 < argc ? argv[++i] : NULL;
            if (!v || (strcmp(v, "json") != 0 && strcmp(v, "text") != 0))
                return cli_usage_error("option '--format' needs text or json");
            json = strcmp(v, "json") == 0;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option '%s'", a);
        } else if (!db) {
            db = a;
        } else if (!o.query) {
            o.query = a;
        } else {
            return cli_usage_error("one QUERY only (quote it: sayso search DB 'two words')");
        }
    }
    if (!db || !o.query) return cli_usage_error("search needs a store and a query: sayso search DB QUERY");
    if (strlen(o.query) > 1000) return cli_usage_error("query too long (1000 bytes at most)");
    char err[2300];
    sayso_store *st = sayso_store_open(db, SAYSO_STORE_READ, err, sizeof err);
    if (!st) {
        fprintf(stderr, "sayso: %s\n", err);
        return EXIT_OUTPUT;
    }
    cli_buffer_stdout();
    search_out out = { json, 0 };
    int n = sayso_store_search(st, &o, print_hit, &out);
    int rc = EXIT_OK;
    if (n < 0) {
        fprintf(stderr, "sayso: %s\n", sayso_store_error(st));
        rc = strstr(sayso_store_error(st), "cannot") ? EXIT_OUTPUT : EXIT_USAGE;
    } else if (n == 0) {
        if (!json) fputs("no quotation found\n", stderr);
        rc = EXIT_SKIPPED;
    }
    sayso_store_close(st);
    return cli_finish_output(rc, 0);
}

/* Rows of a report: "name: value" lines (stats), a tab-separated table
 * with a header (speakers, quote), or JSON objects (export), where the
 * columns that hold JSON already (content, descriptors) go in as they are
 * and numbers as numbers. */
typedef struct {
    int mode; /* 0 name: value, 1 table, 2 json */
    long long rows;
} rows_out;

static int is_number(const char *v)
{
    if (!v || !*v) return 0;
    char *end;
    strtod(v, &end);
    return *end == 0;
}

static int print_row(int nc, const char *const *names, const char *const *vals, void *arg)
{
    rows_out *o = arg;
    if (o->mode == 0) {
        for (int i = 0; i < nc; i++) printf("%s: %s\n", names[i], vals[i] ? vals[i] : "-");
    } else if (o->mode == 1) {
        if (o->rows == 0)
            for (int i = 0; i < nc; i++) printf("%s%s", names[i], i + 1 < nc ? "\t" : "\n");
        for (int i = 0; i < nc; i++) printf("%s%s", vals[i] ? vals[i] : "-", i + 1 < nc ? "\t" : "\n");
    } else {
        fputc('{', stdout);
        for (int i = 0; i < nc; i++) {
            printf("%s\"%s\": ", i ? ", " : "", names[i]);
            int raw = vals[i] && (strcmp(names[i], "content") == 0 || strcmp(names[i], "descriptors") == 0);
            if (!vals[i]) fputs("null", stdout);
            else if (raw || (is_number(vals[i]) && strcmp(names[i], "doc") != 0 && strcmp(names[i], "quote") != 0))
                fputs(vals[i], stdout);
            else sayso_json_string(stdout, vals[i], strlen(vals[i]));
        }
        fputs("}\n", stdout);
    }
    o->rows++;
    return 0;
}

static int cmd_store(const char *cmd, int argc, char **argv)
{
    const char *db = NULL, *arg = NULL;
    long long n = 20;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_flag(a, "-h", "--help")) return cli_print_help(help_store);
        if (strcmp(a, "--top") == 0 && strcmp(cmd, "speakers") == 0) {
            char *end = NULL;
            n = i + 1 < argc ? strtoll(argv[++i], &end, 10) : 0;
            if (!end || *end || n < 1 || n > 1000000) return cli_usage_error("option '--top' needs a number from 1 to 1000000");
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option '%s'", a);
        } else if (!db) {
            db = a;
        } else if (!arg && (strcmp(cmd, "speakers") == 0 || strcmp(cmd, "quote") == 0)) {
            arg = a;
        } else {
            return cli_usage_error("too many arguments for '%s' (see sayso help %s)", cmd, cmd);
        }
    }
    if (!db) return cli_usage_error("'%s' needs a store: sayso %s DB", cmd, cmd);
    sayso_report which = SAYSO_REPORT_STATS;
    rows_out o = { 0, 0 };
    if (strcmp(cmd, "speakers") == 0) {
        which = SAYSO_REPORT_SPEAKERS;
        o.mode = 1;
        if (arg) n = 100;
    } else if (strcmp(cmd, "quote") == 0) {
        char *end = NULL;
        if (!arg) return cli_usage_error("quote needs an id: sayso quote DB ID (ids come from 'sayso search')");
        n = strtoll(arg, &end, 10);
        if (!end || *end || n < 1) return cli_usage_error("'%s' is no quotation id (a positive number)", arg);
        which = SAYSO_REPORT_QUOTE;
        o.mode = 1;
    } else if (strcmp(cmd, "export") == 0) {
        which = SAYSO_REPORT_EXPORT;
        o.mode = 2;
    }
    char err[2300];
    sayso_store *st = sayso_store_open(db, SAYSO_STORE_READ, err, sizeof err);
    if (!st) {
        fprintf(stderr, "sayso: %s\n", err);
        return EXIT_OUTPUT;
    }
    cli_buffer_stdout();
    long long rows = sayso_store_report(st, which, arg, n, print_row, &o);
    int rc = EXIT_OK;
    if (rows < 0) {
        fprintf(stderr, "sayso: %s\n", sayso_store_error(st));
        rc = EXIT_OUTPUT;
    } else if (rows == 0 && which != SAYSO_REPORT_EXPORT) {
        fprintf(stderr, "sayso: nothing found\n");
        rc = EXIT_SKIPPED;
    }
    sayso_store_close(st);
    return cli_finish_output(rc, 0);
}

static volatile sig_atomic_t stop_serving;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_serving = 1;
}

static int cmd_serve(int argc, char **argv)
{
    sayso_serve_opts o = { 0 };
    o.port = 8080;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_flag(a, "-h", "--help")) return cli_print_help(help_serve);
        /* Numbers: the option, its field, the least and most it takes. */
        static const struct { const char *name; long lo, hi; } nums[] = {
            { "--port", 0, 65535 }, { "--threads", 1, 64 }, { "--budget-ms", 0, 600000 },
            { "--queue", 1, 100000 }, { "--cache-mb", 1, 65536 }, { "--mmap-mb", 0, 1048576 },
        };
        int *fields[] = { &o.port, &o.threads, &o.budget_ms, &o.queue, &o.cache_mb, &o.mmap_mb };
        int num = -1;
        for (int k = 0; k < 6; k++)
            if (strcmp(a, nums[k].name) == 0) num = k;
        if (strcmp(a, "--bind") == 0 || num >= 0) {
            if (i + 1 >= argc) return cli_usage_error("option '%s' needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "--bind") == 0) {
                o.bind = v;
                continue;
            }
            char *end;
            long n = strtol(v, &end, 10);
            if (!*v || *end || n < nums[num].lo || n > nums[num].hi)
                return cli_usage_error("option '%s' needs a number from %ld to %ld, not '%s'", a, nums[num].lo,
                                       nums[num].hi, v);
            /* 0 turns the budget and the map off; in the options, 0 is
             * the default and a negative number is off. */
            *fields[num] = (n == 0 && num >= 2) ? -1 : (int)n;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option '%s' for serve (see 'sayso serve --help')", a);
        } else if (!o.db) {
            o.db = a;
        } else {
            return cli_usage_error("serve takes one store, not '%s' as well", a);
        }
    }
    if (!o.db) return cli_usage_error("serve needs a store: sayso serve DB");
    char err[2300];
    sayso_server *s = sayso_server_start(&o, err, sizeof err);
    if (!s) {
        fprintf(stderr, "sayso: %s\n", err);
        return EXIT_OUTPUT;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* The URL on stdout, flushed: scripts and tests read the port there. */
    printf("sayso: serving %s on http://%s:%d/\n", o.db, o.bind ? o.bind : "127.0.0.1", sayso_server_port(s));
    fflush(stdout);
    while (!stop_serving) pause();
    sayso_server_stop(s);
    return EXIT_OK;
}

static int cmd_help(int argc, char **argv)
{
    if (argc == 0 || strcmp(argv[0], "help") == 0 || cli_is_flag(argv[0], "-h", "--help"))
        return cli_print_help(help_main);
    if (strcmp(argv[0], "extract") == 0) return cli_print_help(help_extract);
    if (strcmp(argv[0], "eval") == 0) return cli_print_help(help_eval);
    if (strcmp(argv[0], "train") == 0) return cmd_train(1, (char *[]){(char *)"--help", NULL});
    if (strcmp(argv[0], "ingest") == 0) return cli_print_help(help_ingest);
    if (strcmp(argv[0], "read") == 0) return cmd_read(1, (char *[]){(char *)"--help", NULL});
    if (strcmp(argv[0], "search") == 0) return cli_print_help(help_search);
    if (strcmp(argv[0], "serve") == 0) return cli_print_help(help_serve);
    if (strcmp(argv[0], "store") == 0 || strcmp(argv[0], "speakers") == 0 || strcmp(argv[0], "quote") == 0 ||
        strcmp(argv[0], "stats") == 0 || strcmp(argv[0], "export") == 0)
        return cli_print_help(help_store);
    return cli_usage_error("no help for '%s': the commands are extract, ingest, search, speakers, quote, stats, "
                       "export, serve, eval, read and train", argv[0]);
}

/* A first argument like "exract" is more likely a mistyped command than a
 * text file without extension: say so instead of "No such file". */
static int looks_like_command(const char *a)
{
    struct stat st;
    if (stat(a, &st) == 0) return 0;
    for (const char *p = a; *p; p++)
        if (!(*p >= 'a' && *p <= 'z') && *p != '-') return 0;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        if (isatty(STDIN_FILENO)) { /* nothing to read: the user wants to know how */
            fputs(help_main, stderr);
            return EXIT_USAGE;
        }
        return cmd_extract(0, NULL);
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "extract") == 0) return cmd_extract(argc - 2, argv + 2);
    if (strcmp(cmd, "eval") == 0) return cmd_eval(argc - 2, argv + 2);
    if (strcmp(cmd, "ingest") == 0) return cmd_ingest(argc - 2, argv + 2);
    if (strcmp(cmd, "search") == 0) return cmd_search(argc - 2, argv + 2);
    if (strcmp(cmd, "serve") == 0) return cmd_serve(argc - 2, argv + 2);
    if (strcmp(cmd, "speakers") == 0 || strcmp(cmd, "quote") == 0 || strcmp(cmd, "stats") == 0 ||
        strcmp(cmd, "export") == 0)
        return cmd_store(cmd, argc - 2, argv + 2);
    if (strcmp(cmd, "train") == 0) return cmd_train(argc - 2, argv + 2);
    if (strcmp(cmd, "read") == 0) return cmd_read(argc - 2, argv + 2);
    if (strcmp(cmd, "help") == 0) return cmd_help(argc - 2, argv + 2);
    if (cli_is_flag(cmd, "-h", "--help")) return cli_print_help(help_main);
    if (cli_is_flag(cmd, "-V", "--version")) {
        fputs("sayso " SAYSO_VERSION "\n", stdout);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_OUTPUT;
    }
    if (cmd[0] != '-' && looks_like_command(cmd))
        return cli_usage_error("'%s' is neither a command nor a file", cmd);
    return cmd_extract(argc - 1, argv + 1);
}
