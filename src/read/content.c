/*
 * content.c — the article body of a web page (htmlint.h).
 *
 * A general method in the manner of Mozilla's Readability, on libxml2's tree:
 *
 *  1. Elements that are never article text are set aside: scripts, styles,
 *     navigation, asides, footers, form controls, hidden elements, and
 *     (first attempt) elements whose class or id says nav, menu, comment,
 *     share, related, cookie, sidebar, ... ("unlikely candidates").
 *  2. Every paragraph-like element (p, pre, td, section, h2-h6, and div
 *     without block children; the loose text of a div with block children
 *     too) of 25 characters or more scores 1 + its commas + one point per
 *     100 characters (at most 3); the score goes to its parent, half to the
 *     grandparent and a third of the level to the levels above (five in
 *     all). Each container starts from its tag (div +5, lists -3, headings
 *     -5) and its class and id (+25 for article, content, story, ..., -25
 *     for comment, footer, share, related, ...), and its score is scaled
 *     by 1 - link density.
 *  3. The best container wins; it gives way to an ancestor that several
 *     near-best candidates share or that scores higher, and its siblings
 *     join it when they score well enough, share its class, or are
 *     paragraphs of prose with few links.
 *  4. Within the winner, what is not article text is cut, children first:
 *     link-heavy lists and divs, blocks with more images or form inputs
 *     than paragraphs, share bars, headings with a negative class, and the
 *     heading that repeats the title.
 *  5. When the text is shorter than 500 characters, the whole is tried
 *     again with first the unlikely-candidate rule, then the class weights,
 *     then the cleaning of step 4 turned off; the longest result wins.
 *
 * Embedded social posts (Twitter/X, Instagram, TikTok, Facebook) are never
 * set aside or cut, and are written as html.h describes.
 *
 * Every pass is an iterative walk (no recursion: pages nest tags 100,000
 * deep) over one array of per-element facts, reached through the nodes'
 * _private pointers; the work is linear in the page.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "htmlint.h"

enum {
    F_EMBED = 1 << 0,     /* an embedded social post */
    F_HAS_EMBED = 1 << 1, /* it or a descendant is one */
    F_LIVE = 1 << 2,      /* not set aside in step 1 (this attempt) */
    F_BLOCKS = 1 << 3,    /* has a block descendant (Readability's test) */
    F_SCORED = 1 << 4,    /* has a candidate score */
    F_CUT = 1 << 5,       /* cut in step 4 */
    F_DATA = 1 << 6,      /* a data table, or contains one */
};

enum { STRIP_UNLIKELY = 1, WEIGHT_CLASSES = 2, CLEAN = 4, ALL_FLAGS = 7 };

/* What an element's class and id say, worked out once per page. */
enum { H_UNLIKELY = 1, H_MAYBE = 2, H_BYLINE = 4, H_SHARE = 8, H_HIDDEN = 16, H_ROLE = 32 };

typedef struct {
    xmlNode *node;
    int32_t parent; /* index, -1 for the body */
    uint8_t tag, flags;
    uint8_t hints; /* H_* from its class and id */
    int8_t weight; /* the class weight: -50 to 50 */
    float score, link;
    uint32_t text, commas, inner, inner_commas;
} info;

/* Facts for step 4, gathered children first over the kept subtree. */
typedef struct {
    uint32_t text, commas, p, img, li, input, embed, head, list, textish;
    float link;
} stats;

typedef struct {
    info *v;
    size_t n, cap;
    stats *st;
    int oom;
    const char *title;
    char *byline;
    const xmlNode *byline_node; /* set aside in every attempt */
    int byline_tries;
    int title_dropped, title_checks; /* the heading repeating the title: found, looked at */
    html_buf out;
    size_t embeds;
} ctx;

#define INDEX(node) ((size_t)(uintptr_t)(node)->_private)

/* ---- Element classes --------------------------------------------------- */

/* Readability's DIV_TO_P_ELEMS: a div holding one of these is no paragraph. */
static int is_block_for_div(int t)
{
    return t == T_BLOCKQUOTE || t == T_DL || t == T_DIV || t == T_IMG || t == T_OL || t == T_P ||
           t == T_PRE || t == T_TABLE || t == T_UL;
}

/* Elements that start a new paragraph when written out. */
static int is_block(int t)
{
    switch (t) {
    case T_ADDRESS: case T_ARTICLE: case T_ASIDE: case T_BLOCKQUOTE: case T_DETAILS: case T_DIALOG:
    case T_DD: case T_DIV: case T_DL: case T_DT: case T_FIELDSET: case T_FIGCAPTION: case T_FIGURE:
    case T_FOOTER: case T_FORM: case T_H1: case T_H2: case T_H3: case T_H4: case T_H5: case T_H6:
    case T_HEADER: case T_HR: case T_LI: case T_MAIN: case T_NAV: case T_OL: case T_P: case T_PRE:
    case T_SECTION: case T_TABLE: case T_UL: case T_TR: case T_CAPTION: case T_SUMMARY: case T_CENTER:
    case T_TBODY: case T_THEAD: case T_TFOOT: case T_BODY: case T_MENU:
        return 1;
    default:
        return 0;
    }
}

static int is_heading(int t)
{
    return t >= T_H1 && t <= T_H6;
}

/* Never article text, whatever the attempt. */
static int is_junk_tag(int t)
{
    switch (t) {
    case T_SCRIPT: case T_STYLE: case T_NOSCRIPT: case T_TEMPLATE: case T_SVG: case T_CANVAS:
    case T_IFRAME: case T_OBJECT: case T_EMBED: case T_BUTTON: case T_INPUT: case T_SELECT: case T_TEXTAREA:
    case T_OPTION: case T_NAV: case T_ASIDE: case T_FOOTER: case T_DIALOG: case T_LINK: case T_META:
    case T_VIDEO: case T_AUDIO: case T_HEAD: case T_TITLE: case T_MENU:
        return 1;
    default:
        return 0;
    }
}

/* ---- Class and id hints ------------------------------------------------ */

static const char *const unlikely_words[] = {
    "-ad-", "ai2html", "banner", "breadcrumbs", "combx", "comment", "community", "cover-wrap", "disqus",
    "extra", "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss",
    "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "supplemental", "ad-break", "agegate",
    "pagination", "pager", "popup", "yom-remote", "cookie", "newsletter", "subscribe", "promo", NULL};
static const char *const maybe_words[] = {"and", "article", "body", "column", "content", "main", "mathjax",
                                          "shadow", NULL};
static const char *const negative_words[] = {
    "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr", "masthead", "media",
    "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper", "sponsor",
    "shopping", "tags", "widget", "cookie", "newsletter", NULL};
static const char *const positive_words[] = {"article", "body", "content", "entry", "hentry", "h-entry", "main",
                                             "page", "pagination", "post", "text", "blog", "story", NULL};
static const char *const byline_words[] = {"byline", "author", "dateline", "writtenby", "p-author", NULL};

/* A lower-case copy of an attribute for the word tests (long values are
 * cut: what matters comes first). */
static const char *lower(const char *s, char *buf, size_t cap)
{
    if (!s) return NULL;
    size_t k = 0;
    for (; s[k] && k + 1 < cap; k++) buf[k] = (char)tolower((unsigned char)s[k]);
    buf[k] = 0;
    return buf;
}

/* Readability's "hid" as a whole word of a class. */
static int has_hid(const char *s)
{
    for (const char *p = s; p && (p = strstr(p, "hid")) != NULL; p += 3)
        if ((p == s || p[-1] == ' ') && (p[3] == 0 || p[3] == ' ')) return 1;
    return 0;
}

/* Readability's share regex: "share" or "sharedaddy" as a word or
 * between underscores. */
static int is_share(const char *s)
{
    if (!s) return 0;
    for (const char *p = s; *p; p++) {
        if (p[0] != 's' || strncmp(p, "share", 5) != 0) continue;
        int left = p == s || !isalnum((unsigned char)p[-1]);
        const char *e = p + 5;
        if (strncmp(e, "daddy", 5) == 0) e += 5;
        if (left && !isalnum((unsigned char)*e)) return 1;
    }
    return 0;
}

/* All the hint words in one table, each with the lists it is on, indexed
 * by first byte: one scan of a class finds every list it matches. */
enum { W_NEG = 1, W_POS = 2, W_UNLIKELY = 4, W_MAYBE = 8, W_BYLINE = 16 };
typedef struct {
    const char *w;
    size_t len;
    unsigned lists;
} hint_word;
static hint_word hint_words[128];
static size_t n_hint_words;
static uint8_t hint_start[256], hint_end[256];
static pthread_once_t hint_once = PTHREAD_ONCE_INIT;

static int cmp_hint(const void *a, const void *b)
{
    return strcmp(((const hint_word *)a)->w, ((const hint_word *)b)->w);
}

static void add_hint_words(const char *const *words, unsigned list)
{
    for (size_t i = 0; words[i]; i++) {
        size_t k = 0;
        while (k < n_hint_words && strcmp(hint_words[k].w, words[i]) != 0) k++;
        if (k == n_hint_words) hint_words[n_hint_words++] = (hint_word){words[i], strlen(words[i]), 0};
        hint_words[k].lists |= list;
    }
}

static void init_hint_words(void)
{
    add_hint_words(negative_words, W_NEG);
    add_hint_words(positive_words, W_POS);
    add_hint_words(unlikely_words, W_UNLIKELY);
    add_hint_words(maybe_words, W_MAYBE);
    add_hint_words(byline_words, W_BYLINE);
    qsort(hint_words, n_hint_words, sizeof *hint_words, cmp_hint);
    for (size_t i = n_hint_words; i-- > 0;) {
        unsigned char c = (unsigned char)hint_words[i].w[0];
        hint_start[c] = (uint8_t)i;
        if (!hint_end[c]) hint_end[c] = (uint8_t)(i + 1);
    }
}

/* The lists whose words occur in s (lower-case). */
static unsigned word_lists(const char *s)
{
    unsigned m = 0;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        for (unsigned i = hint_start[c]; i < hint_end[c]; i++)
            if (strncmp(p, hint_words[i].w, hint_words[i].len) == 0) m |= hint_words[i].lists;
    }
    return m;
}

static int is_hidden_style(const char *style)
{
    char buf[256];
    size_t k = 0;
    for (const char *p = style; *p && k + 1 < sizeof buf; p++)
        if (!isspace((unsigned char)*p)) buf[k++] = (char)tolower((unsigned char)*p);
    buf[k] = 0;
    return strstr(buf, "display:none") || strstr(buf, "visibility:hidden");
}

static int is_unlikely_role(const char *r)
{
    static const char *const roles[] = {"menu", "menubar", "complementary", "navigation", "alert", "alertdialog",
                                        "dialog", NULL};
    for (size_t i = 0; roles[i]; i++)
        if (strcmp(r, roles[i]) == 0) return 1;
    return 0;
}

/* One pass over the attributes: class and id words, hidden, role. */
static void set_hints(info *f)
{
    const char *cls = NULL, *id = NULL, *aria = NULL;
    for (const xmlAttr *a = f->node->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        const char *v = a->children && a->children->content ? (const char *)a->children->content : "";
        switch (name[0]) {
        case 'c': if (strcmp(name, "class") == 0) cls = v; break;
        case 'i': if (strcmp(name, "id") == 0) id = v; break;
        case 's': if (strcmp(name, "style") == 0 && is_hidden_style(v)) f->hints |= H_HIDDEN; break;
        case 'h': if (strcmp(name, "hidden") == 0) f->hints |= H_HIDDEN; break;
        case 'a': if (strcmp(name, "aria-hidden") == 0) aria = v; break;
        case 'r': if (strcmp(name, "role") == 0 && is_unlikely_role(v)) f->hints |= H_ROLE; break;
        default: break;
        }
    }
    if (aria && strcmp(aria, "true") == 0 && !(cls && strstr(cls, "fallback-image"))) f->hints |= H_HIDDEN;
    if (!cls && !id) return;
    pthread_once(&hint_once, init_hint_words);
    char cb[256], ib[256];
    const char *attrs[2] = {lower(cls, cb, sizeof cb), lower(id, ib, sizeof ib)};
    int w = 0;
    for (int i = 0; i < 2; i++) {
        const char *s = attrs[i];
        if (!s || !*s) continue;
        unsigned m = word_lists(s);
        if ((m & W_NEG) || (i == 0 && has_hid(s))) w -= 25;
        if (m & W_POS) w += 25;
        if (m & W_UNLIKELY) f->hints |= H_UNLIKELY;
        if (m & W_MAYBE) f->hints |= H_MAYBE;
        if (m & W_BYLINE) f->hints |= H_BYLINE;
        if (is_share(s)) f->hints |= H_SHARE;
    }
    f->weight = (int8_t)w;
}

/* ---- Embedded posts ---------------------------------------------------- */

static const char *embed_platform(const xmlNode *n, int tag)
{
    if (tag != T_BLOCKQUOTE && tag != T_DIV) return NULL;
    const char *c = html_attr(n, "class");
    if (!c) return NULL;
    if (html_has_word(c, "twitter-tweet") || html_has_word(c, "twitter-video")) return "Twitter";
    if (html_has_word(c, "instagram-media")) return "Instagram";
    if (html_has_word(c, "tiktok-embed")) return "TikTok";
    if (html_has_word(c, "fb-post") || html_has_word(c, "fb-xfbml-parse-ignore") || html_has_word(c, "fb-video"))
        return "Facebook";
    return NULL;
}

/* ---- Text measures ----------------------------------------------------- */

/* Characters (not bytes), whitespace runs counting one, and commas of a
 * text node. */
static void measure(const char *s, uint32_t *chars, uint32_t *commas)
{
    uint32_t c = 0, k = 0;
    int space = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned ch = *p;
        if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f') {
            if (!space) c++;
            space = 1;
            continue;
        }
        space = 0;
        if ((ch & 0xC0) == 0x80) continue;
        c++;
        if (ch == ',') k++;
        else if (ch == 0xEF && p[1] == 0xBC && p[2] == 0x8C) k++; /* U+FF0C fullwidth comma */
        else if (ch == 0xD8 && p[1] == 0x8C) k++;                /* U+060C Arabic comma */
        else if (ch == 0xE3 && p[1] == 0x80 && p[2] == 0x81) k++; /* U+3001 ideographic comma */
    }
    *chars = c;
    *commas = k;
}

/* The text below n, at most cap bytes of it, for short tests: it stops
 * after a few thousand nodes too, so that calling it on each of a chain
 * of nested elements stays linear. */
static void short_text(const xmlNode *n, html_buf *b, size_t cap)
{
    b->len = 0;
    const xmlNode *root = n;
    n = n->children;
    for (int steps = 0; n && b->len < cap && steps < 1024; steps++) {
        if (n->type == XML_TEXT_NODE && n->content) {
            hb_put_collapsed(b, (const char *)n->content, strlen((const char *)n->content));
        } else if (n->type == XML_ELEMENT_NODE && n->children && !is_junk_tag(html_tag(n))) {
            n = n->children;
            continue;
        }
        while (n != root && !n->next && steps++ < 1024) n = n->parent;
        if (n == root || !n->next) break;
        n = n->next;
    }
}

/* ---- Indexing (once per page) ------------------------------------------ */

static int add_node(ctx *c, xmlNode *n, int32_t parent)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        info *v = realloc(c->v, cap * sizeof *v);
        if (!v) return -1;
        c->v = v;
        c->cap = cap;
    }
    info *f = &c->v[c->n];
    memset(f, 0, sizeof *f);
    f->node = n;
    f->parent = parent;
    f->tag = (uint8_t)html_tag(n);
    set_hints(f);
    n->_private = (void *)(uintptr_t)c->n;
    c->n++;
    return 0;
}

/* Pre-order over the body's elements; marks embedded posts and their
 * ancestors. */
static int index_body(ctx *c, xmlNode *body)
{
    if (add_node(c, body, -1) != 0) return -1;
    xmlNode *n = body->children;
    while (n && n != body) {
        if (n->type == XML_ELEMENT_NODE) {
            if (add_node(c, n, (int32_t)INDEX(n->parent)) != 0) return -1;
            info *f = &c->v[c->n - 1];
            if (embed_platform(n, f->tag) && !(c->v[f->parent].flags & F_EMBED)) {
                int inside = 0;
                for (int32_t a = f->parent; a >= 0; a = c->v[a].parent)
                    if (c->v[a].flags & F_EMBED) inside = 1;
                if (!inside) {
                    f->flags |= F_EMBED | F_HAS_EMBED;
                    for (int32_t a = f->parent; a >= 0 && !(c->v[a].flags & F_HAS_EMBED); a = c->v[a].parent)
                        c->v[a].flags |= F_HAS_EMBED;
                }
            }
            if (n->children) {
                n = n->children;
                continue;
            }
        }
        while (n != body && !n->next) n = n->parent;
        if (n == body) break;
        n = n->next;
    }
    return 0;
}

/* ---- Step 1: set aside, and measure what is left ----------------------- */

static int looks_like_byline(ctx *c, const info *f)
{
    if (c->byline || c->byline_tries > 32) return 0;
    const xmlNode *n = f->node;
    const char *rel = html_attr(n, "rel"), *ip = html_attr(n, "itemprop");
    if (!((rel && strcmp(rel, "author") == 0) || (ip && html_has_word(ip, "author")) || (f->hints & H_BYLINE)))
        return 0;
    c->byline_tries++;
    /* a byline is short */
    html_buf b = {0};
    short_text(n, &b, 400);
    char *t = hb_take(&b);
    size_t chars = 0;
    for (const char *p = t; p && *p; p++) chars += ((unsigned char)*p & 0xC0) != 0x80;
    if (!t || chars >= 100) {
        free(t);
        free(b.s);
        return 0;
    }
    /* a more exact name inside: [itemprop~=name] (a bounded search) */
    const xmlNode *k = n->children;
    for (int steps = 0; k && k != n && steps < 200; steps++) {
        const char *kp = k->type == XML_ELEMENT_NODE ? html_attr(k, "itemprop") : NULL;
        if (kp && strstr(kp, "name")) {
            short_text(k, &b, 400);
            char *name = hb_take(&b);
            if (name) {
                free(t);
                t = name;
            }
            break;
        }
        if (k->type == XML_ELEMENT_NODE && k->children) {
            k = k->children;
            continue;
        }
        while (k != n && !k->next) k = k->parent;
        if (k == n) break;
        k = k->next;
    }
    free(b.s);
    c->byline = t;
    return 1;
}

static int set_aside(ctx *c, info *f, int flags, int in_table_or_code)
{
    const xmlNode *n = f->node;
    if (f->flags & F_EMBED) return 0;
    if (f->hints & H_HIDDEN) return 1;
    if (n == c->byline_node) return 1;
    if (f->tag != T_BODY && !is_junk_tag(f->tag) && looks_like_byline(c, f)) {
        c->byline_node = n;
        return 1;
    }
    if (is_junk_tag(f->tag)) return 1;
    if (f->tag == T_BODY) return 0;
    if (!(flags & STRIP_UNLIKELY) || (f->flags & F_HAS_EMBED)) return 0;
    if (f->hints & H_ROLE) return 1;
    if (in_table_or_code || f->tag == T_A) return 0;
    return (f->hints & (H_UNLIKELY | H_MAYBE)) == H_UNLIKELY;
}

/* One walk with enter and leave: decides what is set aside, then sums
 * text, links and commas into each live element. */
static void grab(ctx *c, xmlNode *body, int flags)
{
    for (size_t i = 0; i < c->n; i++) {
        info *f = &c->v[i];
        f->flags &= F_EMBED | F_HAS_EMBED;
        f->score = f->link = 0;
        f->text = f->commas = f->inner = f->inner_commas = 0;
    }
    c->v[0].flags |= F_LIVE;
    int table_code = 0;
    xmlNode *n = body->children;
    while (n && n != body) {
        int descend = 0;
        info *p = &c->v[INDEX(n->parent)];
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            uint32_t chars, commas;
            if (n->content) {
                measure((const char *)n->content, &chars, &commas);
                p->text += chars;
                p->commas += commas;
                p->inner += chars;
                p->inner_commas += commas;
            }
        } else if (n->type == XML_ELEMENT_NODE) {
            info *f = &c->v[INDEX(n)];
            if (!set_aside(c, f, flags, table_code > 0)) {
                f->flags |= F_LIVE;
                if (f->tag == T_TABLE || f->tag == T_CODE) table_code++;
                descend = n->children != NULL;
            }
        }
        if (descend) {
            n = n->children;
            continue;
        }
        /* leave n's ancestors that are done, adding each into its parent */
        for (;;) {
            if (n->type == XML_ELEMENT_NODE && (c->v[INDEX(n)].flags & F_LIVE)) {
                info *f = &c->v[INDEX(n)], *up = &c->v[f->parent];
                if (f->tag == T_A) {
                    const char *href = html_attr(n, "href");
                    f->link = (float)f->text * (href && href[0] == '#' ? 0.3f : 1.0f);
                }
                if (f->tag == T_TABLE || f->tag == T_CODE) table_code--;
                up->text += f->text;
                up->commas += f->commas;
                up->link += f->link;
                if (is_block_for_div(f->tag) || (f->flags & F_BLOCKS)) {
                    up->flags |= F_BLOCKS;
                } else if (!is_block(f->tag)) {
                    up->inner += f->text;
                    up->inner_commas += f->commas;
                }
            }
            if (n->next || n->parent == body) break;
            n = n->parent;
        }
        if (!n->next) break;
        n = n->next;
    }
}

/* ---- Step 2: scores ---------------------------------------------------- */

static void init_score(info *f, int flags)
{
    if (f->flags & F_SCORED) return;
    f->flags |= F_SCORED;
    float s = 0;
    switch (f->tag) {
    case T_DIV: s = 5; break;
    case T_PRE: case T_TD: case T_BLOCKQUOTE: s = 3; break;
    case T_ADDRESS: case T_OL: case T_UL: case T_DL: case T_DD: case T_DT: case T_LI: case T_FORM: s = -3; break;
    case T_H1: case T_H2: case T_H3: case T_H4: case T_H5: case T_H6: case T_TH: s = -5; break;
    default: break;
    }
    if (flags & WEIGHT_CLASSES) s += (float)f->weight;
    f->score = s;
}

static int is_scorable(const info *f)
{
    switch (f->tag) {
    case T_P: case T_PRE: case T_TD: case T_SECTION: case T_H2: case T_H3: case T_H4: case T_H5: case T_H6:
        return 1;
    case T_DIV:
        return !(f->flags & F_BLOCKS);
    default:
        return 0;
    }
}

static void add_score(ctx *c, int32_t first, uint32_t len, uint32_t commas, int flags)
{
    float s = 1.0f + (float)(commas + 1) + (float)(len / 100 < 3 ? len / 100 : 3);
    int32_t a = first;
    for (int level = 0; level < 5 && a >= 0; level++, a = c->v[a].parent) {
        info *f = &c->v[a];
        init_score(f, flags);
        f->score += s / (level == 0 ? 1.0f : level == 1 ? 2.0f : (float)level * 3.0f);
    }
}

static float link_density(const info *f)
{
    return f->text ? f->link / (float)f->text : 0.0f;
}

/* ---- Step 4: cleaning -------------------------------------------------- */

static int is_data_table(const xmlNode *t)
{
    const char *role = html_attr(t, "role");
    if (role && strcmp(role, "presentation") == 0) return 0;
    if (html_attr(t, "summary")) return 1;
    size_t rows = 0;
    for (const xmlNode *k = t->children; k; k = k->next) {
        int tag = html_tag(k);
        if (tag == T_CAPTION || tag == T_THEAD || tag == T_TFOOT) return 1;
        if (tag == T_TR) rows++;
        if (tag == T_TBODY)
            for (const xmlNode *r = k->children; r; r = r->next) {
                if (html_tag(r) != T_TR) continue;
                rows++;
                for (const xmlNode *cell = r->children; cell; cell = cell->next)
                    if (html_tag(cell) == T_TH) return 1;
            }
    }
    return rows >= 10;
}

static int similar_to_title(const char *title, const char *h)
{
    if (!title || !h) return 0;
    size_t a = strlen(title), b = strlen(h);
    if (!a || !b) return 0;
    if (a == b && strncasecmp(title, h, a) == 0) return 1;
    /* one contains the other and they are of similar length */
    const char *longer = a >= b ? title : h, *shorter = a >= b ? h : title;
    size_t ls = a >= b ? a : b, ss = a >= b ? b : a;
    if (ss * 4 < ls * 3) return 0;
    for (size_t i = 0; i + ss <= ls; i++)
        if (strncasecmp(longer + i, shorter, ss) == 0) return 1;
    return 0;
}

static int is_ad_word(const char *t)
{
    static const char *const words[] = {"ad", "ads", "advertising", "advertisement", "publicité", "werbung",
                                        "anuncio", "loading", "loading...", "loading…", "chargement", "cargando", NULL};
    for (size_t i = 0; words[i]; i++)
        if (strcasecmp(t, words[i]) == 0) return 1;
    return 0;
}

/* Decides, with its kept children already summed in st, whether a kept
 * element of the article goes. */
static int cut(ctx *c, info *f, stats *st, int flags, int guarded, int in_figure)
{
    const xmlNode *n = f->node;
    int t = f->tag;
    if (f->flags & (F_EMBED | F_HAS_EMBED)) return 0;
    if (t == T_FORM && st->input > 0 && st->text < 500 && (flags & CLEAN)) return 1;
    if ((f->hints & H_SHARE) && st->text < 500) return 1;
    if ((t == T_H1 || t == T_H2) && (flags & WEIGHT_CLASSES) && f->weight < 0) return 1;
    if ((t == T_H1 || t == T_H2) && !c->title_dropped && c->title && st->text < 400 && c->title_checks++ < 16) {
        html_buf b = {0};
        short_text(n, &b, 600);
        char *h = hb_take(&b);
        free(b.s);
        int dup = similar_to_title(c->title, h);
        free(h);
        if (dup) {
            c->title_dropped = 1;
            return 1;
        }
    }
    /* an "Advertisement" or "Loading..." label, whatever its element */
    if (!guarded && st->text > 0 && st->text <= 20 && t != T_A && !is_heading(t)) {
        html_buf b = {0};
        short_text(n, &b, 64);
        char *w = hb_take(&b);
        free(b.s);
        int ad = w && is_ad_word(w);
        free(w);
        if (ad) return 1;
    }
    if (!(flags & CLEAN) || guarded) return 0;
    if (!(t == T_DIV || t == T_UL || t == T_OL || t == T_TABLE || t == T_FORM || t == T_FIELDSET ||
          t == T_SECTION || t == T_ASIDE))
        return 0;
    if (f->flags & F_DATA) return 0;
    if (t == T_DIV && !(f->flags & F_BLOCKS)) return 0; /* a paragraph, for Readability */
    int weight = (flags & WEIGHT_CLASSES) ? f->weight : 0;
    if (weight < 0) return 1;
    if (st->commas >= 10) return 0;
    int is_list = t == T_UL || t == T_OL || (st->text && (double)st->list / st->text > 0.9);
    long li = (long)st->li - 100;
    double ld = st->text ? st->link / (double)st->text : 0;
    double head = st->text ? (double)st->head / st->text : 0;
    if (!in_figure && st->img > 1 && (double)st->p / st->img < 0.5) return 1;
    if (!is_list && li > (long)st->p) return 1;
    if (st->input > st->p / 3) return 1;
    if (!is_list && !in_figure && head < 0.9 && st->text < 25 && (st->img == 0 || st->img > 2) && ld > 0) return 1;
    if (!is_list && weight < 25 && ld > 0.2) return 1;
    if (weight >= 25 && ld > 0.5) return 1;
    if ((st->embed == 1 && st->text < 75) || st->embed > 1) return 1;
    if (st->img == 0 && st->textish == 0 && st->text > 0 && t != T_ASIDE) return 1;
    return 0;
}

static int is_textish(int t)
{
    return t == T_SPAN || t == T_LI || t == T_TD || is_block_for_div(t);
}

/* Children first over the live subtree at root: sums stats and cuts. */
static void clean(ctx *c, xmlNode *root, int flags)
{
    int guard = 0, figure = 0; /* inside code/pre or a data table; inside a figure */
    xmlNode *n = root;
    for (;;) {
        int descend = 0;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n != root && n->content) {
                uint32_t chars, commas;
                measure((const char *)n->content, &chars, &commas);
                stats *p = &c->st[INDEX(n->parent)];
                p->text += chars;
                p->commas += commas;
            }
        } else if (n->type == XML_ELEMENT_NODE) {
            info *f = &c->v[INDEX(n)];
            if (f->flags & F_LIVE) {
                memset(&c->st[INDEX(n)], 0, sizeof(stats));
                f->flags &= (uint8_t)~F_CUT;
                if (f->tag == T_TABLE && is_data_table(n)) f->flags |= F_DATA;
                if (f->tag == T_CODE || f->tag == T_PRE || (f->flags & F_DATA)) guard++;
                if (f->tag == T_FIGURE) figure++;
                descend = n->children != NULL && !(f->flags & F_EMBED);
            }
        }
        if (descend) {
            n = n->children;
            continue;
        }
        for (;;) {
            if (n->type == XML_ELEMENT_NODE && (c->v[INDEX(n)].flags & F_LIVE)) {
                info *f = &c->v[INDEX(n)];
                stats *st = &c->st[INDEX(n)];
                int t = f->tag;
                if (t == T_CODE || t == T_PRE || (f->flags & F_DATA)) guard--;
                if (t == T_FIGURE) figure--;
                if (t == T_A) {
                    const char *href = html_attr(n, "href");
                    st->link = (float)st->text * (href && href[0] == '#' ? 0.3f : 1.0f);
                }
                if (t == T_P) st->p++;
                if (t == T_IMG) st->img++;
                if (t == T_LI) st->li++;
                if (t == T_INPUT) st->input++;
                if (t == T_EMBED || t == T_OBJECT || t == T_IFRAME) st->embed++;
                if (f->flags & F_EMBED) {
                    html_buf b = {0};
                    short_text(n, &b, 1 << 16);
                    uint32_t commas;
                    measure(b.s ? b.s : "", &st->text, &commas);
                    free(b.s);
                }
                int gone = f->tag != T_BODY && cut(c, f, st, flags, guard > 0, figure > 0);
                if (gone) f->flags |= F_CUT;
                if (n != root && !gone) {
                    stats *up = &c->st[INDEX(n->parent)];
                    up->text += st->text;
                    up->commas += st->commas;
                    up->link += st->link;
                    up->p += st->p;
                    up->img += st->img;
                    up->li += st->li;
                    up->input += st->input;
                    up->embed += st->embed;
                    up->head += is_heading(t) ? st->text : st->head;
                    up->list += (t == T_UL || t == T_OL) ? st->text : st->list;
                    up->textish += is_textish(t) ? st->text : st->textish;
                    if (f->flags & F_DATA) c->v[INDEX(n->parent)].flags |= F_DATA;
                }
            }
            if (n == root) return;
            if (n->next) break;
            n = n->parent;
        }
        n = n->next;
    }
}

/* ---- Writing the text out ---------------------------------------------- */

enum { SEP_NONE, SEP_SPACE, SEP_LINE, SEP_PARA };

typedef struct {
    html_buf *b;
    int sep;
    int pre; /* inside <pre>: whitespace kept */
} writer;

static void w_sep(writer *w, int sep)
{
    if (sep > w->sep) w->sep = sep;
}

static void w_text(writer *w, const char *s, size_t n)
{
    html_buf *b = w->b;
    size_t i = 0;
    if (!w->pre) {
        while (i < n && isspace((unsigned char)s[i])) i++;
        if (i > 0) w_sep(w, SEP_SPACE);
        if (i == n) return;
    }
    if (b->len > 0) {
        if (w->sep == SEP_PARA) hb_put(b, "\n\n", 2);
        else if (w->sep == SEP_LINE) hb_put(b, "\n", 1);
        else if (w->sep == SEP_SPACE) hb_put(b, " ", 1);
    }
    w->sep = SEP_NONE;
    if (w->pre) {
        hb_put(b, s + i, n - i);
        return;
    }
    size_t end = n;
    while (end > i && isspace((unsigned char)s[end - 1])) end--;
    /* no-break spaces become spaces: the text is for reading */
    const char *p = s + i, *e = s + end;
    while (p < e) {
        const char *nb = NULL;
        for (const char *q = p; q + 1 < e; q++)
            if ((unsigned char)q[0] == 0xC2 && (unsigned char)q[1] == 0xA0) {
                nb = q;
                break;
            }
        if (!nb) {
            hb_put_collapsed(b, p, (size_t)(e - p));
            break;
        }
        hb_put_collapsed(b, p, (size_t)(nb - p));
        hb_put_collapsed(b, " ", 1);
        p = nb + 2;
    }
    if (end < n) w_sep(w, SEP_SPACE);
}

static void w_string(writer *w, const char *s)
{
    w_text(w, s, strlen(s));
}

/* Text after "(@" up to ")" -> handle; before it -> name. */
static void split_poster(const char *s, char *name, size_t nc, char *handle, size_t hc)
{
    name[0] = handle[0] = 0;
    const char *at = strstr(s, "(@");
    const char *start = s;
    while (*start == ' ' || *start == '-' || (unsigned char)*start == 0xE2) {
        if ((unsigned char)*start == 0xE2 && start[1] && start[2]) start += 3; /* em or en dash */
        else start++;
    }
    const char *name_end = at ? at : start + strlen(start);
    static const char *const stops[] = {" on ", " on\xC2\xA0", " at ", " \xE2\x80\xA2", NULL};
    if (!at)
        for (size_t i = 0; stops[i]; i++) {
            const char *x = strstr(start, stops[i]);
            if (x && x < name_end) name_end = x;
        }
    while (name_end > start && name_end[-1] == ' ') name_end--;
    size_t k = (size_t)(name_end - start);
    if (k > 0 && k < nc && k < 80) {
        memcpy(name, start, k);
        name[k] = 0;
    }
    if (at) {
        const char *h = at + 2, *e = strchr(h, ')');
        if (e && (size_t)(e - h) < hc && e > h) {
            memcpy(handle, h, (size_t)(e - h));
            handle[e - h] = 0;
        }
    }
}

/* The handle in a post's url: twitter.com/HANDLE/status/..,
 * tiktok.com/@HANDLE/.., instagram.com/HANDLE/, facebook.com/HANDLE/posts/.. */
static void handle_from_url(const char *url, char *handle, size_t hc)
{
    static const char *const hosts[] = {"twitter.com/", "x.com/", "tiktok.com/@", "facebook.com/", NULL};
    if (!url || handle[0]) return;
    for (size_t i = 0; hosts[i]; i++) {
        const char *p = strstr(url, hosts[i]);
        if (!p) continue;
        p += strlen(hosts[i]);
        size_t k = 0;
        while (p[k] && (isalnum((unsigned char)p[k]) || p[k] == '_' || p[k] == '.') && k + 1 < hc) k++;
        if (k && strncmp(p, "i/", 2) != 0 && strncmp(p, "p/", 2) != 0 && strncmp(p, "share", 5) != 0) {
            memcpy(handle, p, k);
            handle[k] = 0;
        }
        return;
    }
}

static int starts_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Double quotation marks inside a post that is put in quotation marks
 * become single ones, as nested quotations are written, so that the post
 * stays one quotation: '"' alternately opens and closes. */
static void nest_quotes(html_buf *b)
{
    html_buf o = {0};
    int open = 0;
    for (size_t i = 0; i < b->len; i++) {
        const char *p = b->s + i;
        if (*p == '"') {
            hb_puts(&o, open ? "\xE2\x80\x99" : "\xE2\x80\x98");
            open = !open;
        } else if (b->len - i >= 3 && memcmp(p, "\xE2\x80\x9C", 3) == 0) {
            hb_puts(&o, "\xE2\x80\x98");
            i += 2;
        } else if (b->len - i >= 3 && memcmp(p, "\xE2\x80\x9D", 3) == 0) {
            hb_puts(&o, "\xE2\x80\x99");
            i += 2;
        } else {
            hb_put(&o, p, 1);
        }
    }
    if (o.oom) {
        free(o.s);
        return;
    }
    free(b->s);
    *b = o;
}

/* An embedded post: its words (the <p>s), and its poster from the
 * attribution line ("— Name (@handle) date", "A post shared by Name
 * (@handle)", "Posted by Name on ...") or the post's url. */
static void write_embed(ctx *c, writer *w, const xmlNode *e, const char *platform)
{
    html_buf words = {0}, line = {0}, tail = {0};
    char name[128] = "", handle[64] = "";
    const xmlNode *n = e->children;
    while (n && n != e) {
        int tag = n->type == XML_ELEMENT_NODE ? html_tag(n) : T_OTHER;
        if (tag == T_P) {
            line.len = 0;
            html_text(n, &line);
            const char *s = line.s ? line.s : "";
            const char *by = strstr(s, "shared by ");
            if (by || starts_ci(s, "posted by ")) {
                split_poster(by ? by + 10 : s + 10, name, sizeof name, handle, sizeof handle);
            } else if (*s && !starts_ci(s, "view this post") && !starts_ci(s, "view more on")) {
                if (words.len) hb_put(&words, " ", 1);
                hb_put(&words, s, line.len);
            }
        } else if (n->type == XML_TEXT_NODE && n->content) {
            /* outside the <p>s: the attribution line */
            hb_put_collapsed(&tail, (const char *)n->content, strlen((const char *)n->content));
        } else if (tag == T_A) {
            const char *title = html_attr(n, "title");
            if (title && title[0] == '@' && !handle[0]) snprintf(handle, sizeof handle, "%s", title + 1);
        }
        if (n->type == XML_ELEMENT_NODE && tag != T_P && n->children && !is_junk_tag(tag)) {
            n = n->children;
            continue;
        }
        while (n != e && !n->next) n = n->parent;
        if (n == e) break;
        n = n->next;
    }
    if (!words.len && tail.len) { /* no <p>: the loose text, less the attribution */
        const char *t = tail.s;
        const char *cut_at = strstr(t, "\xE2\x80\x94 ");
        if (!cut_at) cut_at = strstr(t, "Posted by ");
        if (!cut_at) cut_at = strstr(t, "A post shared by");
        size_t k = cut_at ? (size_t)(cut_at - t) : tail.len;
        if (!starts_ci(t, "view this post")) hb_put(&words, t, k);
        while (words.len && words.s[words.len - 1] == ' ') words.s[--words.len] = 0;
    }
    if (!name[0] && !handle[0] && tail.len) {
        const char *t = tail.s, *by = strstr(t, "Posted by ");
        const char *dash = strstr(t, "\xE2\x80\x94 ");
        if (by) split_poster(by + 10, name, sizeof name, handle, sizeof handle);
        else if (dash && strstr(dash, "(@")) split_poster(dash, name, sizeof name, handle, sizeof handle);
        else if (strstr(t, "(@")) split_poster(t, name, sizeof name, handle, sizeof handle);
    }
    if (!handle[0]) handle_from_url(html_attr(e, "cite"), handle, sizeof handle);
    if (!handle[0]) handle_from_url(html_attr(e, "data-href"), handle, sizeof handle);
    if (words.len && !words.oom) {
        w_sep(w, SEP_PARA);
        if (name[0] || handle[0]) {
            char intro[300];
            if (name[0] && handle[0]) snprintf(intro, sizeof intro, "%s (@%s) posted on %s:", name, handle, platform);
            else snprintf(intro, sizeof intro, "%s%s posted on %s:", handle[0] ? "@" : "", name[0] ? name : handle, platform);
            w_string(w, intro);
            w_sep(w, SEP_PARA);
            w_string(w, "\xE2\x80\x9C");
            w->sep = SEP_NONE;
            nest_quotes(&words);
            w_text(w, words.s, words.len);
            w->sep = SEP_NONE;
            w_string(w, "\xE2\x80\x9D");
        } else {
            w_text(w, words.s, words.len);
        }
        w_sep(w, SEP_PARA);
        c->embeds++;
    }
    free(words.s);
    free(line.s);
    free(tail.s);
}

static int kept(const ctx *c, const xmlNode *n)
{
    if (n->type != XML_ELEMENT_NODE) return 1;
    const info *f = &c->v[INDEX(n)];
    return (f->flags & F_LIVE) && !(f->flags & F_CUT);
}

static void write_tree(ctx *c, writer *w, xmlNode *root)
{
    xmlNode *n = root;
    int pre = 0;
    for (;;) {
        int descend = 0;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content) {
                w->pre = pre > 0;
                w_text(w, (const char *)n->content, strlen((const char *)n->content));
            }
        } else if (n->type == XML_ELEMENT_NODE && kept(c, n)) {
            info *f = &c->v[INDEX(n)];
            const char *platform = (f->flags & F_EMBED) ? embed_platform(n, f->tag) : NULL;
            if (platform) {
                write_embed(c, w, n, platform);
            } else {
                if (f->tag == T_BR) {
                    w_sep(w, w->sep == SEP_LINE ? SEP_PARA : SEP_LINE);
                } else if (is_block(f->tag)) {
                    w_sep(w, SEP_PARA);
                } else if (f->tag == T_TD || f->tag == T_TH) {
                    w_sep(w, SEP_SPACE);
                }
                if (f->tag == T_PRE) pre++;
                descend = n->children != NULL;
            }
        }
        if (descend) {
            n = n->children;
            continue;
        }
        for (;;) {
            if (n->type == XML_ELEMENT_NODE && kept(c, n)) {
                int t = c->v[INDEX(n)].tag;
                if (t == T_PRE) pre--;
                if (is_block(t)) w_sep(w, SEP_PARA);
                else if (t == T_TD || t == T_TH) w_sep(w, SEP_SPACE);
            }
            if (n == root) return;
            if (n->next) break;
            n = n->parent;
        }
        n = n->next;
    }
}

/* ---- Steps 2, 3 and the attempt as a whole ----------------------------- */

#define TOP_N 5

static int32_t pick_top(ctx *c, int flags, uint8_t *marks)
{
    for (size_t i = 1; i < c->n; i++) {
        info *f = &c->v[i];
        if (!(f->flags & F_LIVE)) continue; /* set aside, or below something that is */
        if (is_scorable(f) && f->text >= 25) add_score(c, f->parent, f->text, f->commas, flags);
        else if (f->tag == T_DIV && (f->flags & F_BLOCKS) && f->inner >= 25)
            add_score(c, (int32_t)i, f->inner, f->inner_commas, flags);
    }
    int32_t top[TOP_N];
    int n_top = 0;
    for (size_t i = 0; i < c->n; i++) {
        info *f = &c->v[i];
        if (!(f->flags & F_SCORED) || !(f->flags & F_LIVE)) continue;
        f->score *= 1.0f - link_density(f);
        int k = n_top < TOP_N ? n_top++ : TOP_N;
        if (k == TOP_N && f->score <= c->v[top[TOP_N - 1]].score) continue;
        if (k == TOP_N) k = TOP_N - 1;
        while (k > 0 && c->v[top[k - 1]].score < f->score) {
            top[k] = top[k - 1];
            k--;
        }
        top[k] = (int32_t)i;
    }
    if (!n_top || top[0] == 0) return 0;
    int32_t best = top[0];
    float best_score = c->v[best].score;

    /* an ancestor that three near-best candidates share */
    int alts = 0;
    memset(marks, 0, c->n);
    for (int i = 1; i < n_top; i++) {
        if (c->v[top[i]].score < best_score * 0.75f) continue;
        alts++;
        for (int32_t a = c->v[top[i]].parent; a >= 0; a = c->v[a].parent)
            if (marks[a] < 255) marks[a]++;
    }
    if (alts >= 3)
        for (int32_t a = c->v[best].parent; a > 0; a = c->v[a].parent)
            if (marks[a] >= 3) {
                best = a;
                break;
            }
    init_score(&c->v[best], flags);

    /* climb while the parent scores as well */
    float last = c->v[best].score, threshold = last / 3;
    for (int32_t a = c->v[best].parent; a > 0; a = c->v[a].parent) {
        if (!(c->v[a].flags & F_SCORED)) continue;
        float s = c->v[a].score;
        if (s < threshold) break;
        if (s > last) {
            best = a;
            break;
        }
        last = s;
    }
    /* and while it is an only child */
    for (;;) {
        int32_t p = c->v[best].parent;
        if (p <= 0) break;
        int kids = 0;
        for (xmlNode *k = c->v[p].node->children; k && kids < 2; k = k->next)
            if (k->type == XML_ELEMENT_NODE && (c->v[INDEX(k)].flags & F_LIVE)) kids++;
        if (kids != 1) break;
        best = p;
    }
    init_score(&c->v[best], flags);
    return best;
}

static int sentence_end(const xmlNode *n)
{
    html_buf b = {0};
    short_text(n, &b, 200);
    int yes = b.s && (strstr(b.s, ". ") || (b.len && b.s[b.len - 1] == '.'));
    free(b.s);
    return yes;
}

/* One attempt: the text of the article into c->out; its length in
 * characters. */
static size_t attempt(ctx *c, xmlNode *body, int flags, uint8_t *marks)
{
    c->out.len = 0;
    c->embeds = 0;
    c->title_dropped = c->title_checks = 0;
    grab(c, body, flags);
    int32_t best = pick_top(c, flags, marks);
    writer w = {&c->out, SEP_NONE, 0};
    info *top = &c->v[best];
    xmlNode *parent = best > 0 ? top->node->parent : NULL;
    if (!parent) {
        clean(c, body, flags);
        write_tree(c, &w, body);
    } else {
        float threshold = top->score * 0.2f > 10 ? top->score * 0.2f : 10;
        const char *top_class = html_attr(top->node, "class");
        for (xmlNode *s = parent->children; s; s = s->next) {
            if (s->type != XML_ELEMENT_NODE) continue;
            info *f = &c->v[INDEX(s)];
            if (!(f->flags & F_LIVE)) continue;
            int join = s == top->node;
            if (!join) {
                float bonus = 0;
                const char *cls = html_attr(s, "class");
                if (cls && top_class && *cls && strcmp(cls, top_class) == 0) bonus = top->score * 0.2f;
                if ((f->flags & F_SCORED) && f->score + bonus >= threshold) {
                    join = 1;
                } else if (f->tag == T_P || (f->tag == T_DIV && !(f->flags & F_BLOCKS))) {
                    float ld = link_density(f);
                    if (f->text > 80 && ld < 0.25f) join = 1;
                    else if (f->text < 80 && f->text > 0 && ld == 0 && sentence_end(s)) join = 1;
                } else if ((f->flags & F_HAS_EMBED) && (f->hints & (H_UNLIKELY | H_MAYBE)) != H_UNLIKELY) {
                    join = 1; /* a post embedded beside the text, not a sidebar's feed */
                }
            }
            if (!join) continue;
            clean(c, s, flags);
            w_sep(&w, SEP_PARA);
            write_tree(c, &w, s);
        }
    }
    size_t chars = 0;
    for (size_t i = 0; i < c->out.len; i++) chars += ((unsigned char)c->out.s[i] & 0xC0) != 0x80;
    return chars;
}

static xmlNode *find_body(xmlDoc *doc)
{
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root) return NULL;
    for (xmlNode *k = root->children; k; k = k->next)
        if (html_tag(k) == T_BODY) return k;
    return root;
}

int html_content(xmlDoc *doc, const char *title, sayso_page *page, char **byline)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.title = title;
    *byline = NULL;
    xmlNode *body = find_body(doc);
    if (!body) return 0;
    if (index_body(&c, body) != 0) {
        free(c.v);
        return -1;
    }
    c.st = malloc(c.n * sizeof *c.st);
    uint8_t *marks = malloc(c.n);
    if (!c.st || !marks) {
        free(c.v);
        free(c.st);
        free(marks);
        return -1;
    }
    static const int tries[] = {ALL_FLAGS, ALL_FLAGS & ~STRIP_UNLIKELY, CLEAN, 0};
    char *best = NULL;
    size_t best_len = 0, best_chars = 0, best_embeds = 0;
    int rc = 0;
    for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
        size_t chars = attempt(&c, body, tries[i], marks);
        if (c.out.oom) {
            rc = -1;
            break;
        }
        if (!best || chars > best_chars) {
            free(best);
            best = c.out.s;
            best_len = c.out.len;
            best_chars = chars;
            best_embeds = c.embeds;
            c.out.s = NULL;
            c.out.cap = 0;
        }
        c.out.len = 0;
        if (chars >= 500) break;
    }
    if (rc == 0) {
        page->text = best ? best : calloc(1, 1);
        page->len = best ? best_len : 0;
        page->embeds = best_embeds;
        if (!page->text) rc = -1;
        best = NULL;
    }
    /* the tree is the caller's again */
    for (size_t i = 0; i < c.n; i++) c.v[i].node->_private = NULL;
    free(best);
    free(c.out.s);
    free(c.v);
    free(c.st);
    free(marks);
    *byline = c.byline;
    return rc;
}
