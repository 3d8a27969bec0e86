/*
 * read.c — `sayso read`: every article as sayso reads it.
 *
 * Owns the command that shows the reader's side of the pipeline: for each
 * article of each input (text, JSONL, HTML pages, WARC crawls), its id,
 * url, title, date, authors, site, language and text, as one JSON object
 * per line (which `sayso extract` reads back unchanged) or as readable
 * text. It is how a user checks what sayso saw in a page, and how main-
 * content extraction is measured.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "pool.h"
#include "read.h"

static const char help_read[] =
    "Usage: sayso read [--format jsonl|text] [--quiet] [--threads N] [PATH...]\n"
    "\n"
    "Prints every article of PATH (or stdin) as sayso reads it, before any\n"
    "quotation is looked for: for a web page, the article's text without\n"
    "navigation, ads, share buttons or comments, and what the page says\n"
    "about itself.\n"
    "\n"
    "Inputs: text files, JSONL (*.jsonl, *.jsonl.gz), web pages (*.html,\n"
    "*.htm and their .gz), WARC crawls (*.warc, *.warc.gz), directories\n"
    "(searched recursively) and - for stdin (see 'sayso help extract').\n"
    "\n"
    "Options:\n"
    "  --format jsonl  one JSON object per article (the default), with\n"
    "                  id, url, title, date (YYYY-MM-DD), authors (\"A; B\"),\n"
    "                  site, lang and text; absent ones are null. 'sayso\n"
    "                  extract' reads this output back as it is.\n"
    "  --format text   per article a line '# ID (DATE)', the known fields\n"
    "                  as 'field: value', a blank line and the text\n"
    "  -q, --quiet     no warnings or messages about skipped inputs\n"
    "  --threads N     extract web pages on N threads (default: one per CPU);\n"
    "                  the output is the same, in input order, whatever N\n"
    "  -h, --help      show this help\n"
    "  --              all further arguments are paths\n"
    "\n"
    "Examples:\n"
    "  sayso read page.html\n"
    "  sayso read --format text saved-pages/\n"
    "  sayso read crawl.warc.gz > articles.jsonl && sayso extract articles.jsonl\n"
    "\n"
    "Exit status: 0 every input read; 1 some inputs or articles skipped;\n"
    "2 usage error; 3 output could not be written.\n";

static void json_field(const char *name, const char *v, int first)
{
    printf("%s\"%s\": ", first ? "" : ", ", name);
    if (v) sayso_json_string(stdout, v, strlen(v));
    else fputs("null", stdout);
}

static void print_jsonl(const sayso_article *a)
{
    putchar('{');
    json_field("id", a->id, 1);
    json_field("url", a->url, 0);
    json_field("title", a->title, 0);
    json_field("date", a->date, 0);
    json_field("authors", a->authors, 0);
    json_field("site", a->site, 0);
    json_field("lang", a->lang, 0);
    fputs(", \"text\": ", stdout);
    sayso_json_string(stdout, a->text + a->body, a->len - a->body);
    fputs("}\n", stdout);
}

static void text_field(const char *name, const char *v)
{
    if (v && *v) printf("%s: %s\n", name, v);
}

static void print_text(const sayso_article *a)
{
    printf("# %s (%s)\n", a->id ? a->id : "", a->date ? a->date : "no date");
    text_field("title", a->title);
    text_field("authors", a->authors);
    text_field("site", a->site);
    text_field("lang", a->lang);
    text_field("url", a->url);
    putchar('\n');
    fwrite(a->text + a->body, 1, a->len - a->body, stdout);
    fputs("\n\n", stdout);
}

/* Nothing to do on the pool's threads but making pages articles, which
 * the pool does itself. */
static void no_work(void *ctx, void *worker, sayso_pool_item *it)
{
    (void)ctx;
    (void)worker;
    (void)it;
}

int cmd_read(int argc, char **argv)
{
    int text = 0, quiet = 0, options_done = 0, bad_threads = 0;
    long threads = sayso_cpu_count();
    const char **paths = cli_operand_list(argc);
    size_t n_paths = 0;
    if (!paths) return EXIT_OUTPUT;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_operand(a, options_done)) {
            paths[n_paths++] = a;
        } else if (strcmp(a, "--") == 0) {
            options_done = 1;
        } else if (cli_is_flag(a, "-h", "--help")) {
            free(paths);
            return cli_print_help(help_read);
        } else if (cli_is_flag(a, "-q", "--quiet")) {
            quiet = 1;
        } else if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
            const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (v && (strcmp(v, "jsonl") == 0 || strcmp(v, "json") == 0)) {
                text = 0;
            } else if (v && strcmp(v, "text") == 0) {
                text = 1;
            } else {
                free(paths);
                return cli_usage_error("option '--format' takes jsonl or text");
            }
        } else if (cli_threads_option(a, argc, argv, &i, &threads, &bad_threads)) {
            if (bad_threads) {
                free(paths);
                return cli_usage_error("option '--threads' needs a number from 1 to 256");
            }
        } else {
            free(paths);
            return cli_usage_error("unknown option '%s' for read (see 'sayso read --help')", a);
        }
    }
    sayso_reader *r = sayso_reader_new(paths, n_paths, quiet ? NULL : stderr);
    free(paths);
    sayso_pool_ops ops = {.work = no_work};
    char err[256];
    sayso_pool *pool = r ? sayso_pool_new(r, threads > 1 ? (int)threads : 0, &ops, err, sizeof err) : NULL;
    if (!pool) {
        fprintf(stderr, "sayso: %s\n", r ? err : "out of memory");
        sayso_reader_free(r);
        return EXIT_OUTPUT;
    }
    cli_buffer_stdout();
    sayso_pool_item *it;
    int write_errno = 0, failed = 0;
    while (sayso_pool_next(pool, &it)) {
        if (it->no_memory) {
            if (!quiet) fprintf(stderr, "sayso: %s: out of memory, article skipped\n", it->file);
            failed = 1;
            continue;
        }
        if (text) print_text(&it->art);
        else print_jsonl(&it->art);
        if (ferror(stdout)) {
            write_errno = errno ? errno : EIO;
            break;
        }
    }
    sayso_pool_free(pool); /* first: its threads read r */
    int rc = sayso_reader_skipped(r) || failed ? EXIT_SKIPPED : EXIT_OK;
    sayso_reader_free(r);
    return cli_finish_output(rc, write_errno);
}
