/*
 * syntaxbench.c — speed and accuracy of a tagger and parser pair on a
 * CoNLL-U file: trains nothing.
 *
 *   syntaxbench TAGGER.model PARSER.model FILE.conllu [REPEATS]
 *
 * Reads the file once, then tags and parses every sentence REPEATS times
 * (default 5) and reports the best time of each stage, so the figures are
 * of the hot path alone: reading, model loading and scoring are not timed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "train_syntax.h"

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s TAGGER.model PARSER.model FILE.conllu [REPEATS]\n", argv[0]);
        return 2;
    }
    int repeats = argc > 4 ? atoi(argv[4]) : 5;
    if (repeats < 1) repeats = 1;
    char err[512];
    sayso_model tm, pm;
    if (sayso_model_open_file(&tm, argv[1], SAYSO_TAGGER_KIND, SAYSO_TAGGER_VERSION, err, sizeof err) < 0) {
        fprintf(stderr, "syntaxbench: %s\n", err);
        return 1;
    }
    if (sayso_model_open_file(&pm, argv[2], SAYSO_PARSER_KIND, SAYSO_PARSER_VERSION, err, sizeof err) < 0) {
        fprintf(stderr, "syntaxbench: %s\n", err);
        sayso_model_close(&tm);
        return 1;
    }
    sayso_tagger *t = sayso_tagger_open(&tm, err, sizeof err);
    sayso_parser *p = t ? sayso_parser_open(&pm, err, sizeof err) : NULL;
    sayso_conllu tb;
    int rc = 1;
    if (!t || !p) {
        fprintf(stderr, "syntaxbench: %s\n", err);
        goto done;
    }
    if (sayso_conllu_read(&tb, argv[3], stderr) < 0) goto done;
    sayso_syntax_scores best = { 0 }, sc;
    for (int r = 0; r < repeats; r++) {
        if (sayso_syntax_eval_tb(t, p, &tb, &sc) < 0) {
            fprintf(stderr, "syntaxbench: out of memory\n");
            sayso_conllu_free(&tb);
            goto done;
        }
        if (r == 0 || sc.tag_seconds < best.tag_seconds) best.tag_seconds = sc.tag_seconds;
        if (r == 0 || sc.parse_seconds < best.parse_seconds) best.parse_seconds = sc.parse_seconds;
    }
    printf("%s: %zu sentences, %zu words\n", argv[3], sc.sentences, sc.words);
    printf("UPOS %.4f\n", sc.upos);
    printf("UAS %.4f  LAS %.4f  LAS (universal relations) %.4f\n", sc.uas, sc.las, sc.las_universal);
    printf("without punctuation: UAS %.4f  LAS %.4f\n", sc.uas_nopunct, sc.las_nopunct);
    printf("tagger %.2f M words/s, parser %.2f M words/s (best of %d; %.0f + %.0f ns a word)\n",
           (double)sc.words / best.tag_seconds / 1e6, (double)sc.words / best.parse_seconds / 1e6, repeats,
           best.tag_seconds / (double)sc.words * 1e9, best.parse_seconds / (double)sc.words * 1e9);
    printf("models: tagger %ld bytes, parser %ld bytes\n", file_size(argv[1]), file_size(argv[2]));
    sayso_conllu_free(&tb);
    rc = 0;
done:
    sayso_parser_free(p);
    sayso_tagger_free(t);
    sayso_model_close(&tm);
    sayso_model_close(&pm);
    return rc;
}
