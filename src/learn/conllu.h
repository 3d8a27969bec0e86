/*
 * conllu.h — reading treebanks in the CoNLL-U format, for training and
 * measuring the tagger and the parser.
 *
 * Owns what counts as a usable sentence: comment lines are skipped, so are
 * multiword token ranges ("2-3 didn't": the words that follow are kept) and
 * empty nodes ("8.1"). A malformed line (wrong number of columns, ids out
 * of sequence, an unknown tag, a head out of range), a sentence whose heads
 * do not form a tree with one root, or one longer than the parser takes, is
 * reported as FILE:LINE and the sentence is dropped; the rest is read.
 */
#ifndef SAYSO_CONLLU_H
#define SAYSO_CONLLU_H

#include <stdio.h>
#include "syntax.h"

typedef struct {
    char *buf;              /* the file's bytes: words and relations point here */
    sayso_word *w;          /* every word; s/n its form, upos and head the gold ones */
    const char **rel;       /* gold relation of each word (DEPREL), NUL-terminated */
    size_t nw;
    size_t *sent;           /* sentence i is w[sent[i] .. sent[i + 1]) */
    size_t nsent;
    size_t dropped;         /* malformed sentences skipped */
} sayso_conllu;

/* Reads path into tb. Problems inside the file are reported to err (may be
 * NULL) and skipped. Returns 0, or -1 when the file cannot be read or
 * memory runs out (with a message in err). */
int sayso_conllu_read(sayso_conllu *tb, const char *path, FILE *err);

void sayso_conllu_free(sayso_conllu *tb);

#endif
