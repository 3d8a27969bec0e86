/*
 * eval.h — scoring extracted quotations against PolNeAR-style gold data.
 *
 * Owns reading BRAT standoff annotations (first annotator file per article,
 * in sorted order), the matching rules (exact after trimming; token overlap;
 * the per-quote "found" rule) and the two score tables of `sayso eval`
 * (all attributions, and the quotation-mark subset). See the README.
 */
#ifndef SAYSO_EVAL_H
#define SAYSO_EVAL_H

#include <stdio.h>
#include <stdint.h>
#include "sayso.h"

typedef struct {
    const char *gold_dir;  /* has text/ and attributions/ */
    const char *pred_path; /* JSON lines from `sayso extract`, or NULL to run
                              the extractor on gold_dir/text */
    int errors;            /* list misses and false alarms */
    int json;              /* print the scores as one JSON object */
    const sayso_models *models; /* the extractor's models: NULL, the built-in ones */
    int rules_only;        /* the extractor without models */
} sayso_eval_options;

/* Prints the tables to out, diagnostics to err. Returns 0 on success,
 * 1 if some files could not be read (scores cover the rest), 2 if the gold
 * directory (or the prediction file) is unusable; nothing is printed to out
 * then. */
int sayso_eval_run(const sayso_eval_options *opt, FILE *out, FILE *err);

/* Shared by both gold layouts. The extractor opt asks for (built-in
 * models, opt->models, or the rules alone); NULL when out of memory. */
sayso_extractor *sayso_eval_extractor(const sayso_eval_options *opt);

/* Runs ex on a gold article's whole text (its " date " header read).
 * Returns 0, or -1 after saying so on err, naming path, with no quotes. */
int sayso_eval_extract(sayso_extractor *ex, const char *id, const char *text, size_t len, const char *path,
                       const sayso_quote **q, size_t *n, FILE *err);

/* realloc that aborts with a message when memory runs out (the scorer has
 * nothing sensible to go on with). */
void *sayso_eval_realloc(void *p, size_t n);

/* Python's \w: letters, numbers (any N category) and '_'; the words both
 * gold formats count are runs of these. */
int sayso_eval_is_word(int32_t c);

#endif
