/*
 * test_names.c — names, entities and genders: the first-name and person-noun
 * lists as the lexicon compiles them, and the mention stage (text → quotes →
 * mentions, as extract.c runs it) on short invented sentences. Each case
 * looks up a word of its text, the mention that covers it and that
 * mention's entity, and checks the entity's fullest name and gender.
 *
 * Cases the current code gets wrong but a correct system must get right are
 * kept as known_gap_* functions, written like the others but left out of the
 * test list (see main) until mentions.c handles them.
 */
#include "testutil.h"

#include "doc.h"
#include "lexicon.h"
#include "text.h"
#include "quotes.h"
#include "mentions.h"

#include "lists.h" /* the word lists embedded from data/ */

/* One doc for the whole program, reused from case to case as extract.c
 * reuses its own. */
static doc D;
static sayso_lexicon *LX;

static int setup(void **state)
{
    (void)state;
    memset(&D, 0, sizeof D);
    LX = sayso_lexicon_new();
    D.lx = LX;
    D.lexv = sayso_lexicon_values(LX);
    return LX ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sayso_lexicon_free(LX);
    LX = NULL;
    free(D.t);
    free(D.sent);
    free(D.para);
    free(D.qs);
    free(D.m);
    free(D.ent);
    free(D.desc);
    free(D.emap);
    memset(&D, 0, sizeof D);
    return 0;
}

/* Runs the stages up to mentions over text (which must outlive the case). */
static void run(const char *text)
{
    D.text = text;
    D.len = strlen(text);
    D.body = 0;
    D.nt = D.nsent = D.npara = D.nqs = D.nm = D.nent = D.ndesc = 0;
    assert_int_equal(sayso_segment(&D), 0);
    assert_int_equal(sayso_find_quotes(&D), 0);
    assert_int_equal(sayso_find_mentions(&D), 0);
}

/* ---- looking things up -------------------------------------------------- */

/* The token whose text is exactly word, its nth occurrence (from 1), or -1. */
static int32_t find_tok(const char *word, int nth)
{
    size_t n = strlen(word);
    for (size_t k = 0; k < D.nt; k++) {
        const tok *t = &D.t[k];
        if (t->e - t->b == n && memcmp(D.text + t->b, word, n) == 0 && --nth == 0) return (int32_t)k;
    }
    return -1;
}

/* The mention that covers token k, or -1. */
static int32_t mention_at(int32_t k)
{
    if (k < 0) return -1;
    for (size_t i = 0; i < D.nm; i++)
        if (D.m[i].first <= k && k <= D.m[i].last) return (int32_t)i;
    return -1;
}

/* The entity of the mention that covers the nth occurrence of word, or -1. */
static int32_t ent_of(const char *word, int nth)
{
    int32_t mi = mention_at(find_tok(word, nth));
    return mi < 0 ? -1 : D.m[mi].entity;
}

/* Entity e's fullest name, tokens name_first..name_last as in the text. */
static const char *ent_name(int32_t e)
{
    static char buf[256];
    buf[0] = 0;
    if (e < 0 || (size_t)e >= D.nent) return "(no entity)";
    const entity *x = &D.ent[e];
    if (x->name_first < 0 || x->name_last < x->name_first) return "(no name)";
    size_t b = D.t[x->name_first].b, n = D.t[x->name_last].e - b;
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, D.text + b, n);
    buf[n] = 0;
    return buf;
}

/* The fullest name of the entity that the nth occurrence of word belongs
 * to, and its gender through *g (G_UNKNOWN when there is no entity). */
static const char *name_of(const char *word, int nth, uint8_t *g)
{
    int32_t e = ent_of(word, nth);
    if (g) *g = e >= 0 ? D.ent[e].gender : G_UNKNOWN;
    return ent_name(e);
}

/* Whether some entity's name starts at the nth occurrence of word. */
static int entity_named_at(const char *word, int nth)
{
    int32_t k = find_tok(word, nth);
    for (size_t e = 0; e < D.nent && k >= 0; e++)
        if (D.ent[e].name_first == k) return 1;
    return 0;
}

static uint8_t first_name_gender(const char *w)
{
    const sayso_lex *x = sayso_lexicon_get(D.lx, w, strlen(w));
    assert_non_null(x);
    assert_true(x->flags & LX_FIRSTNAME);
    return x->name_gender;
}

static uint32_t lex_flags(const char *w)
{
    const sayso_lex *x = sayso_lexicon_get(D.lx, w, strlen(w));
    return x ? x->flags : 0;
}

/* ---- the lists, as compiled -------------------------------------------- */

/* Calls fn on each space-separated word of each line (as lexicon.c reads
 * the word lists), or on the first word only (the "word gender" lists). */
typedef void (*word_fn)(const char *w, size_t n, void *arg);

static void each_word(const char *const *list, int first_only, word_fn fn, void *arg)
{
    for (size_t li = 0; list[li]; li++) {
        const char *p = list[li];
        while (*p) {
            while (*p == ' ' || *p == '\t') p++;
            const char *w = p;
            while (*p && *p != ' ' && *p != '\t') p++;
            if (p > w) fn(w, (size_t)(p - w), arg);
            if (first_only) break;
        }
    }
}

static void check_present(const char *w, size_t n, void *arg)
{
    (void)arg;
    if (n && w[0] == '+') { w++; n--; } /* cue verbs that also report speech */
    if (n > SAYSO_LEX_MAXLEN) return;    /* never looked up */
    if (!sayso_lexicon_get(D.lx, w, n)) fail_msg("listed word \"%.*s\" is not in the lexicon (table full?)", (int)n, w);
}

/* Every word of every list is in the table: the table is a fixed size and
 * silently drops words once half full, and the lists loaded last (titles,
 * person nouns, pronouns) would be the ones lost. */
static void lists_all_compiled(void **state)
{
    (void)state;
    const char *const *words[] = { sayso_list_cue_verbs, sayso_list_abbreviations, sayso_list_title_cues,
                                   sayso_list_function_words, sayso_list_calendar, sayso_list_org_words,
                                   sayso_list_names_female, sayso_list_names_male };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) each_word(words[i], 0, check_present, NULL);
    each_word(sayso_list_pronouns, 1, check_present, NULL);
    each_word(sayso_list_person_nouns, 1, check_present, NULL);
    each_word(sayso_list_titles, 1, check_present, NULL);
}

/* Collects the words of a list into a NUL-separated buffer for lookups. */
typedef struct { char *buf; size_t n, cap; int count; } wordset;

static void collect(const char *w, size_t n, void *arg)
{
    wordset *s = arg;
    if (s->n + n + 2 > s->cap) {
        s->cap = (s->n + n + 2) * 2;
        s->buf = realloc(s->buf, s->cap);
        assert_non_null(s->buf);
    }
    memcpy(s->buf + s->n, w, n);
    s->n += n;
    s->buf[s->n++] = 0;
    s->count++;
}

static int in_set(const wordset *s, const char *w, size_t n)
{
    for (size_t i = 0; i < s->n; i += strlen(s->buf + i) + 1)
        if (strlen(s->buf + i) == n && memcmp(s->buf + i, w, n) == 0) return 1;
    return 0;
}

typedef struct { const wordset *other; uint8_t alone; } gender_check;

static void check_name_gender(const char *w, size_t n, void *arg)
{
    const gender_check *c = arg;
    const sayso_lex *x = sayso_lexicon_get(D.lx, w, n);
    if (!x || !(x->flags & LX_FIRSTNAME)) fail_msg("first name \"%.*s\" not compiled as one", (int)n, w);
    uint8_t want = in_set(c->other, w, n) ? G_UNKNOWN : c->alone;
    if (x->name_gender != want)
        fail_msg("first name \"%.*s\": gender %d, expected %d", (int)n, w, x->name_gender, want);
    /* A listed name must not be a calendar word (it would become a name
     * token everywhere: "in June"), a title or a person noun (it would stop
     * being read as one: "Prince Harry", "the judge"), or a function word
     * (never a name token anyway). "jun" is the one deliberate exception. */
    uint32_t bad = LX_CALENDAR | LX_TITLE | LX_PERSON | LX_FUNC | LX_PRONOUN | LX_CUE;
    if ((x->flags & bad) && !(n == 3 && memcmp(w, "jun", 3) == 0))
        fail_msg("first name \"%.*s\" is also in another list (flags %#x)", (int)n, w, (unsigned)(x->flags & bad));
}

/* Each first name has the gender of its list, unknown when in both. */
static void names_gender_by_list(void **state)
{
    (void)state;
    wordset f = { 0 }, m = { 0 };
    each_word(sayso_list_names_female, 0, collect, &f);
    each_word(sayso_list_names_male, 0, collect, &m);
    /* Lists of a real size: a lexicon built from a truncated file would
     * pass the checks below. */
    assert_true(f.count >= 1000);
    assert_true(m.count >= 1000);
    gender_check cf = { &m, G_FEMALE }, cm = { &f, G_MALE };
    each_word(sayso_list_names_female, 0, check_name_gender, &cf);
    each_word(sayso_list_names_male, 0, check_name_gender, &cm);
    free(f.buf);
    free(m.buf);
}

static void names_spot_checks(void **state)
{
    (void)state;
    assert_int_equal(first_name_gender("hillary"), G_FEMALE);
    assert_int_equal(first_name_gender("Hillary"), G_FEMALE); /* ASCII case folds */
    assert_int_equal(first_name_gender("mark"), G_MALE);
    assert_int_equal(first_name_gender("bill"), G_MALE);
    assert_int_equal(first_name_gender("chrissy"), G_FEMALE);
    /* Both spellings, since "é" does not fold to "e". */
    assert_int_equal(first_name_gender("josé"), G_MALE);
    assert_int_equal(first_name_gender("jose"), G_MALE);
    assert_int_equal(first_name_gender("zoë"), G_FEMALE);
    assert_int_equal(first_name_gender("Zoë"), G_FEMALE);
    /* A non-ASCII capital is not folded: listed capitalised. */
    assert_int_equal(first_name_gender("Élodie"), G_FEMALE);
    assert_null(sayso_lexicon_get(D.lx, "élodie", strlen("élodie")));
    /* Names of both genders carry none. */
    const char *both[] = { "taylor", "jordan", "alex", "sam", "chris", "pat", "jamie", "casey", "morgan",
                           "kelly", "robin", "leslie", "dana", "kim", NULL };
    for (int i = 0; both[i]; i++) assert_int_equal(first_name_gender(both[i]), G_UNKNOWN);
    /* Left out on purpose: calendar words, function words, places. */
    const char *out[] = { "may", "june", "april", "august", "will", "virginia", "georgia", "paris",
                          "christie", "warren", NULL };
    for (int i = 0; out[i]; i++) assert_false(lex_flags(out[i]) & LX_FIRSTNAME);
}

static void person_noun(const char *w, uint8_t g)
{
    const sayso_lex *x = sayso_lexicon_get(D.lx, w, strlen(w));
    if (!x || !(x->flags & LX_PERSON)) fail_msg("\"%s\" is not a person noun", w);
    if (x->noun_gender != g) fail_msg("person noun \"%s\": gender %d, expected %d", w, x->noun_gender, g);
}

static void person_nouns_gendered(void **state)
{
    (void)state;
    const char *f[] = { "wife", "mother", "mom", "mum", "momma", "mama", "daughter", "sister", "aunt", "niece",
                        "grandmother", "grandma", "girlfriend", "fiancée", "fiancee", "widow", "bride",
                        "actress", "queen", "princess", "duchess", "heiress", "waitress", "hostess",
                        "businesswoman", "congresswoman", "chairwoman", "spokeswoman", "anchorwoman",
                        "sportswoman", "policewoman", "lady", "girl", "woman", NULL };
    const char *m[] = { "husband", "father", "dad", "daddy", "poppa", "papa", "son", "brother", "uncle",
                        "nephew", "grandfather", "grandpa", "boyfriend", "fiancé", "fiance", "widower",
                        "groom", "king", "prince", "businessman", "congressman", "chairman", "spokesman",
                        "anchorman", "policeman", "gentleman", "boy", "man", NULL };
    const char *any[] = { "actor", "mogul", "star", "singer", "rapper", "model", "supermodel", "influencer",
                          "socialite", "designer", "chef", "comedian", "host", "presenter", "musician",
                          "songwriter", "producer", "director", "player", "coach", "athlete", "quarterback",
                          "striker", NULL };
    const char *plural[] = { "women", "men", "wives", "husbands", "daughters", "sons", "stars", "players", NULL };
    for (int i = 0; f[i]; i++) person_noun(f[i], G_FEMALE);
    for (int i = 0; m[i]; i++) person_noun(m[i], G_MALE);
    for (int i = 0; any[i]; i++) person_noun(any[i], G_UNKNOWN);
    for (int i = 0; plural[i]; i++) person_noun(plural[i], G_PLURAL);
    /* "reality star" cannot be listed: only "star" is the noun. */
    assert_false(lex_flags("reality") & LX_PERSON);
    /* A word in several lists keeps each list's meaning. */
    assert_true(lex_flags("queen") & LX_TITLE);
    assert_int_equal(sayso_lexicon_get(D.lx, "queen", 5)->noun_gender, G_FEMALE);
}

/* ---- full names --------------------------------------------------------- */

static void full_names_titles_particles(void **state)
{
    (void)state;
    uint8_t g;
    run("Sen. Elizabeth Warren said the bill was dead on arrival.");
    assert_string_equal(name_of("Warren", 1, &g), "Elizabeth Warren");
    assert_int_equal(g, G_FEMALE);
    /* The title is part of the mention, not of the name. */
    assert_int_equal(D.m[mention_at(find_tok("Warren", 1))].first, find_tok("Sen", 1));

    run("The crowd waited for hours before President Barack Obama spoke in Chicago.");
    assert_string_equal(name_of("Obama", 1, &g), "Barack Obama");
    assert_int_equal(g, G_MALE);

    run("On Monday, Mayor Bill de Blasio visited the flooded school in Queens.");
    assert_string_equal(name_of("Blasio", 1, &g), "Bill de Blasio");
    assert_int_equal(g, G_MALE);

    run("A small orchestra in Bonn played pieces by Ludwig van Beethoven all night.");
    assert_string_equal(name_of("Beethoven", 1, NULL), "Ludwig van Beethoven");

    run("The choir sang for Martin Luther King Jr. at the memorial on Sunday.");
    const char *mlk = name_of("King", 1, &g);
    assert_true(strncmp(mlk, "Martin Luther King Jr", 21) == 0);
    assert_int_equal(g, G_MALE);
}

static void full_names_diacritics_hyphens(void **state)
{
    (void)state;
    uint8_t g;
    run("The striker José Ramírez-Ortega scored twice in the final minutes.");
    assert_string_equal(name_of("Ramírez-Ortega", 1, &g), "José Ramírez-Ortega");
    assert_int_equal(g, G_MALE);

    run("The film stars Zoë Kravitz as a detective with a past.");
    assert_string_equal(name_of("Kravitz", 1, &g), "Zoë Kravitz");
    assert_int_equal(g, G_FEMALE);

    run("The curator Élodie Marchand opened the show in Lyon.");
    assert_string_equal(name_of("Marchand", 1, &g), "Élodie Marchand");
    assert_int_equal(g, G_FEMALE);
}

static void possessives_join_full_name(void **state)
{
    (void)state;
    run("Chrissy Teigen posted a photo from the hospital on Tuesday. Fans flooded Teigen’s "
        "comments with messages of support.\n\nEarlier, Barack Obama spoke at the school. "
        "The crowd cheered Obama's remarks.");
    int32_t e = ent_of("Chrissy", 1);
    assert_true(e >= 0);
    assert_int_equal(ent_of("Teigen’s", 1), e);
    assert_string_equal(ent_name(e), "Chrissy Teigen");
    int32_t o = ent_of("Barack", 1);
    assert_true(o >= 0);
    assert_int_equal(ent_of("Obama's", 1), o);
    assert_string_equal(ent_name(o), "Barack Obama");
    assert_true(o != e);
}

/* ---- short forms -------------------------------------------------------- */

static void short_forms_join(void **state)
{
    (void)state;
    /* Surname and first name after the full name. */
    run("Mara Quill opened the festival on Friday night. The crowd stayed late for Quill, "
        "and later Mara thanked the volunteers.");
    int32_t e = ent_of("Mara", 1);
    assert_true(e >= 0);
    assert_int_equal(ent_of("Quill", 2), e);
    assert_int_equal(ent_of("Mara", 2), e);
    assert_string_equal(ent_name(e), "Mara Quill");
    assert_int_equal(D.ent[e].gender, G_FEMALE);

    /* A surname alone at the start of a sentence, confirmed by the full name. */
    run("Hal Becket runs the ferry. Becket has crossed the lake every day since 1994.");
    e = ent_of("Hal", 1);
    assert_true(e >= 0);
    assert_int_equal(ent_of("Becket", 2), e);

    /* The short form first: the entity takes the fullest form. */
    run("The jury thanked Okonjo for her work. Later, Adaeze Okonjo spoke to reporters.");
    e = ent_of("Okonjo", 1);
    assert_true(e >= 0);
    assert_int_equal(ent_of("Adaeze", 1), e);
    assert_string_equal(ent_name(e), "Adaeze Okonjo");

    run("Reporters waited for Colm outside. Colm Devereux arrived after noon.");
    e = ent_of("Colm", 1);
    assert_true(e >= 0);
    assert_int_equal(ent_of("Devereux", 1), e);
    assert_string_equal(ent_name(e), "Colm Devereux");
}

static void same_surname_two_people(void **state)
{
    (void)state;
    uint8_t g;
    run("Bill Clinton campaigned in Ohio on Monday. Hillary Clinton spoke in Florida the same day.");
    int32_t b = ent_of("Bill", 1), h = ent_of("Hillary", 1);
    assert_true(b >= 0 && h >= 0);
    assert_true(b != h);
    assert_string_equal(name_of("Bill", 1, &g), "Bill Clinton");
    assert_int_equal(g, G_MALE);
    assert_string_equal(name_of("Hillary", 1, &g), "Hillary Clinton");
    assert_int_equal(g, G_FEMALE);
}

/* ---- gender ------------------------------------------------------------- */

static void gender_from_first_name(void **state)
{
    (void)state;
    uint8_t g;
    run("Priya Raman chaired the meeting.");
    name_of("Raman", 1, &g);
    assert_int_equal(g, G_FEMALE);

    run("Tomasz Nowak chaired the meeting.");
    name_of("Nowak", 1, &g);
    assert_int_equal(g, G_MALE);

    /* A name of both genders, and nothing else in the article: unknown. */
    run("Jordan Ellery chaired the meeting.");
    assert_string_equal(name_of("Ellery", 1, &g), "Jordan Ellery");
    assert_int_equal(g, G_UNKNOWN);
    assert_true(D.ent[ent_of("Ellery", 1)].person);
}

static void gender_from_title(void **state)
{
    (void)state;
    uint8_t g;
    run("The committee heard from Mrs. Alvarez on Thursday.");
    assert_string_equal(name_of("Alvarez", 1, &g), "Alvarez");
    assert_int_equal(g, G_FEMALE);

    run("The committee heard from Mr. Okafor on Thursday.");
    name_of("Okafor", 1, &g);
    assert_int_equal(g, G_MALE);

    /* The title outweighs an ambiguous first name. */
    run("The committee heard from Ms. Casey Lindgren on Thursday.");
    name_of("Lindgren", 1, &g);
    assert_int_equal(g, G_FEMALE);
}

static void gender_from_following_pronoun(void **state)
{
    (void)state;
    uint8_t g;
    run("Dr. Okafor arrived at the clinic before dawn. She said the waiting room was already full.");
    name_of("Okafor", 1, &g);
    assert_int_equal(g, G_FEMALE);

    run("Dr. Okafor arrived at the clinic before dawn. He said the waiting room was already full.");
    name_of("Okafor", 1, &g);
    assert_int_equal(g, G_MALE);
}

static void gendered_noun_is_not_the_subject(void **state)
{
    (void)state;
    uint8_t g;
    /* "his wife" is someone else: it makes the subject male if anything. */
    run("Okoro Brandt arrived at the gala with his wife, a surgeon.");
    name_of("Brandt", 1, &g);
    assert_int_not_equal(g, G_FEMALE);
    assert_int_equal(g, G_MALE);

    /* "her husband" after a woman's name: she stays female. */
    run("Priya Raman thanked her husband for his patience.");
    name_of("Raman", 1, &g);
    assert_int_equal(g, G_FEMALE);
}

/* ---- pronouns ----------------------------------------------------------- */

static int32_t pronoun_entity(const char *word, int nth)
{
    int32_t mi = mention_at(find_tok(word, nth));
    assert_true(mi >= 0);
    assert_int_equal(D.m[mi].kind, MK_PRONOUN);
    return D.m[mi].entity;
}

static void pronouns_resolve_by_gender(void **state)
{
    (void)state;
    run("Marcus Bell and Ruth Adeyemi met the council on Tuesday. He asked for more money for "
        "the depot. She said the budget was closed.");
    int32_t marcus = ent_of("Marcus", 1), ruth = ent_of("Ruth", 1);
    assert_true(marcus >= 0 && ruth >= 0 && marcus != ruth);
    assert_int_equal(pronoun_entity("He", 1), marcus);
    assert_int_equal(pronoun_entity("She", 1), ruth);

    /* The other way round, the woman first. */
    run("Ruth Adeyemi met Marcus Bell at the depot. She wanted the buses moved. He did not.");
    marcus = ent_of("Marcus", 1);
    ruth = ent_of("Ruth", 1);
    assert_int_equal(pronoun_entity("She", 1), ruth);
    assert_int_equal(pronoun_entity("He", 1), marcus);

    /* The subject wins over a later mention of the same gender. */
    run("Neil Osgood questioned Tomasz Nowak for an hour. He then asked for a recess.");
    assert_int_equal(pronoun_entity("He", 1), ent_of("Osgood", 1));
}

/* ---- words that are names only sometimes -------------------------------- */

static void sentence_start_words(void **state)
{
    (void)state;
    /* "Will" is a function word: never a name, even at a sentence start. */
    run("Will the council vote before the summer? Winter is coming to the valley, and the "
        "roads are not ready.");
    assert_false(entity_named_at("Will", 1));
    assert_int_equal(mention_at(find_tok("Will", 1)), -1);
    /* A capitalised common word that is no listed name waits for the
     * article to use it as a name. */
    assert_false(entity_named_at("Winter", 1));

    /* ... and is one when it does. */
    run("Lenny Winter played in Dunmore last night. Winter said the piano was out of tune.");
    int32_t e = ent_of("Lenny", 1);
    assert_true(e >= 0);
    assert_int_equal(ent_of("Winter", 2), e);

    /* A listed first name at a sentence start is a name. */
    uint8_t g;
    run("Mark said he would run again next year.");
    assert_string_equal(name_of("Mark", 1, &g), "Mark");
    assert_int_equal(g, G_MALE);
}

static void organisations_are_not_people(void **state)
{
    (void)state;
    run("Northfold Rail Company said fares would rise in March. The company blamed fuel costs.");
    int32_t e = ent_of("Northfold", 1);
    assert_true(e >= 0);
    assert_true(D.ent[e].org);
    assert_false(D.ent[e].person);
    assert_int_equal(D.ent[e].gender, G_UNKNOWN);

    run("The singer Mara Quill won twice at the Billboard Music Awards last year.");
    e = ent_of("Billboard", 1);
    assert_true(e >= 0);
    assert_false(D.ent[e].person);
    assert_true(ent_of("Quill", 1) != e);
    assert_true(D.ent[ent_of("Quill", 1)].person);
}

/* ---- known gaps --------------------------------------------------------- */

/* A listed first name that starts a sentence as an ordinary word ("Mark the
 * date", "Hope is not a plan") becomes a person: pass 1 of
 * sayso_find_mentions takes any listed name at a sentence start without
 * waiting for the article to confirm it. */
static void known_gap_sentence_start_first_names(void **state)
{
    (void)state;
    run("Mark the date: the vote is on Tuesday. Hope is not a plan, the mayor said. Grace periods "
        "end in May.");
    assert_false(entity_named_at("Mark", 1));
    assert_false(entity_named_at("Hope", 1));
    assert_false(entity_named_at("Grace", 1));
}

/* "Legend" and "King" are person nouns ("the legend", "the king"), so alone
 * they are "descriptive only" and never become mentions in passes 1 and 2,
 * even when the article has named "John Legend". */
static void known_gap_surname_that_is_a_person_noun(void **state)
{
    (void)state;
    run("John Legend sang at the gala. The crowd cheered for Legend, and John waved back.");
    int32_t e = ent_of("John", 1);
    assert_true(e >= 0);
    assert_int_equal(ent_of("John", 2), e);
    assert_int_equal(ent_of("Legend", 2), e);

    run("The choir sang for Martin Luther King Jr. at the memorial. King had spoken there in 1963.");
    e = ent_of("Martin", 1);
    assert_true(e >= 0);
    assert_int_equal(ent_of("King", 2), e);
}

/* A capitalised sentence opener that is no name joins the name after it:
 * "Later Quill thanked the crowd" makes a new person "Later Quill" instead
 * of a mention of Mara Quill. */
static void known_gap_sentence_opener_joins_name(void **state)
{
    (void)state;
    run("Mara Quill opened the festival on Friday. Later Quill thanked the volunteers.");
    int32_t e = ent_of("Mara", 1);
    assert_true(e >= 0);
    assert_int_equal(ent_of("Quill", 2), e);
    assert_string_equal(ent_name(e), "Mara Quill");
    assert_false(entity_named_at("Later", 1));
}

/* The article outweighs the first-name list: "Andrea" is listed female, but
 * the pronoun right after this Andrea is "He". The list's guess is set when
 * the name is linked and the pronoun vote only fills an unknown gender, so
 * "He" finds nobody. */
static void known_gap_pronoun_overrides_first_name(void **state)
{
    (void)state;
    run("Andrea Bellini arrived at the theatre early. He said the hall was cold.");
    int32_t e = ent_of("Andrea", 1);
    assert_true(e >= 0);
    assert_int_equal(D.ent[e].gender, G_MALE);
    assert_int_equal(pronoun_entity("He", 1), e);
}

/* The fullest name keeps a possessive 's when its fullest mention is the
 * possessive one ("Chrissy Teigen’s husband"); speakers.c strips it when
 * printing, but the entity's name tokens end on "Teigen’s". */
static void known_gap_possessive_fullest_name(void **state)
{
    (void)state;
    run("Chrissy Teigen’s husband sang at the gala. Teigen said she cried.");
    int32_t e = ent_of("Chrissy", 1);
    assert_true(e >= 0);
    assert_int_equal(ent_of("Teigen", 1), e);
    assert_string_equal(ent_name(e), "Chrissy Teigen");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lists_all_compiled),
        cmocka_unit_test(names_gender_by_list),
        cmocka_unit_test(names_spot_checks),
        cmocka_unit_test(person_nouns_gendered),
        cmocka_unit_test(full_names_titles_particles),
        cmocka_unit_test(full_names_diacritics_hyphens),
        cmocka_unit_test(possessives_join_full_name),
        cmocka_unit_test(short_forms_join),
        cmocka_unit_test(same_surname_two_people),
        cmocka_unit_test(gender_from_first_name),
        cmocka_unit_test(gender_from_title),
        cmocka_unit_test(gender_from_following_pronoun),
        cmocka_unit_test(gendered_noun_is_not_the_subject),
        cmocka_unit_test(pronouns_resolve_by_gender),
        cmocka_unit_test(sentence_start_words),
        cmocka_unit_test(organisations_are_not_people),
        /* Known gaps: enable when mentions.c handles them.
         * cmocka_unit_test(known_gap_sentence_start_first_names),   listed names at a sentence start are always names
         * cmocka_unit_test(known_gap_surname_that_is_a_person_noun), "Legend" alone never becomes a mention
         * cmocka_unit_test(known_gap_possessive_fullest_name),       the fullest name can end on "Teigen’s"
         * cmocka_unit_test(known_gap_sentence_opener_joins_name),    "Later Quill" becomes a new person
         * cmocka_unit_test(known_gap_pronoun_overrides_first_name),  a list gender is never corrected by "He"
         */
    };
    (void)known_gap_sentence_start_first_names;
    (void)known_gap_surname_that_is_a_person_noun;
    (void)known_gap_possessive_fullest_name;
    (void)known_gap_sentence_opener_joins_name;
    (void)known_gap_pronoun_overrides_first_name;
    return cmocka_run_group_tests(tests, setup, teardown);
}
