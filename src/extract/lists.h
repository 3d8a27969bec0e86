/*
 * lists.h — the word lists of data/, as cmake/embed.cmake compiles them in.
 *
 * Each data/NAME.txt becomes sayso_list_NAME: its lines, comments and
 * blank lines dropped, NULL-terminated. lexicon.c builds the word table
 * from them; tests read them to check that every word made it in.
 */
#ifndef SAYSO_LISTS_H
#define SAYSO_LISTS_H

extern const char *const sayso_list_cue_verbs[];
extern const char *const sayso_list_pronouns[];
extern const char *const sayso_list_abbreviations[];
extern const char *const sayso_list_titles[];
extern const char *const sayso_list_person_nouns[];
extern const char *const sayso_list_title_cues[];
extern const char *const sayso_list_function_words[];
extern const char *const sayso_list_calendar[];
extern const char *const sayso_list_names_female[];
extern const char *const sayso_list_names_male[];
extern const char *const sayso_list_org_words[];
extern const char *const sayso_list_channels[];
extern const char *const sayso_list_time_words[];
extern const char *const sayso_list_determiners[];
extern const char *const sayso_list_name_parts[];
extern const char *const sayso_list_attribution_words[];
extern const char *const sayso_list_nicknames[];

#endif
