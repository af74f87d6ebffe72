/* One way to say things in two languages, for every screen, ticket, voice line and export.
 *
 * A program keeps its texts in tables: an enum of message ids and an array of {zh, en}
 * pairs indexed by it, written with designated initialisers so each id stands next to its
 * two texts. ui_text() picks the language and falls back to the other one when an entry is
 * missing. Every table is registered in tests/unit/test_texts.c, which checks them all: both
 * languages present, the same printf conversions in both, and no East Asian
 * ambiguous-width characters (— · … ─ ↑ ×), which take one column in some terminals and two
 * in others and so break a layout. */
#ifndef HQ_UI_I18N_H
#define HQ_UI_I18N_H

#include <stddef.h>

typedef enum { UI_LANG_ZH = 0, UI_LANG_EN, UI_LANG_COUNT_ } ui_lang_t;

typedef struct {
    const char *zh;
    const char *en;
} ui_text_t;

typedef struct {
    const char *name;       /* for the checks' messages, e.g. "counter" */
    const ui_text_t *texts; /* indexed by the table's message id */
    int count;              /* number of ids, including an unused id 0 */
    int allow_ambiguous;    /* texts that are never laid out in columns (exports, voice) */
} ui_table_t;

/* The text of `id` in `lang`; the other language when that one is missing; "" when the id is
 * out of range or both are missing. Never NULL. */
const char *ui_text(const ui_table_t *table, int id, ui_lang_t lang);

/* "zh" (also "cn" and locale names "zh_CN", "zh_TW.UTF-8" ...) or "en" (also "en_US" ...):
 * 0, else -1 and *out unchanged. */
int ui_lang_parse(const char *name, ui_lang_t *out);
const char *ui_lang_name(ui_lang_t lang);

/* Checks a whole table: every id but 0 has a non-empty text in both languages, with the
 * same printf conversions, and (unless allow_ambiguous) no ambiguous-width character.
 * 0, or -1 with the first problem in why (one line naming the table, the id and the text). */
int ui_table_check(const ui_table_t *table, char *why, size_t whylen);

#endif
