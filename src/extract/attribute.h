/*
 * attribute.h — attribution: from quotation spans to quotes with cue and source.
 *
 * Owns the decisions that make a quotation a quote of someone: finding the
 * cue ("said", "told", "wrote on Instagram:", "according to") before, after
 * or around the quotation; choosing the source mention it governs (subject,
 * inverted "said Rydell", apposition); whole-paragraph quotations opened
 * by a colon at the end of the previous paragraph; paragraphs that carry on
 * an attributed quotation with no cue of their own; quotations interrupted
 * by their cue ("“A,” he said, “B.”" is one quote); and mixed quotes, whose
 * content is the whole reported clause around a quoted fragment.
 */
#ifndef SAYSO_ATTRIBUTE_H
#define SAYSO_ATTRIBUTE_H

#include "doc.h"
#include "sayso.h"

typedef struct {
    range content[SAYSO_MAX_FRAGMENTS]; /* token ranges, marks included */
    int ncontent;
    int32_t cue_first, cue_last;        /* -1 when no cue */
    mention src;
    int has_src;
    sayso_quote_type type;
    float confidence;
    int32_t q0;                         /* first quotation span */
} attribution;

typedef struct {
    attribution *a;
    size_t n, cap;
} attributions;

/* Attributes every quotation span of d; appends to out in document order.
 * Returns 0, or -1 when out of memory. */
int sayso_attribute(doc *d, attributions *out);

#endif
