#include "ui_i18n.h"

#include <stdio.h>
#include <string.h>

const char *ui_text(const ui_table_t *table, int id, ui_lang_t lang)
{
    if (!table || id < 0 || id >= table->count)
        return "";
    const char *zh = table->texts[id].zh, *en = table->texts[id].en;
    const char *t = lang == UI_LANG_EN ? en : zh;
    if (!t)
        t = lang == UI_LANG_EN ? zh : en;
    return t ? t : "";
}

int ui_lang_parse(const char *name, ui_lang_t *out)
{
    if (!name)
        return -1;
    if (strcmp(name, "zh") == 0 || strncmp(name, "zh_", 3) == 0 || strcmp(name, "cn") == 0) {
        *out = UI_LANG_ZH;
        return 0;
    }
    if (strcmp(name, "en") == 0 || strncmp(name, "en_", 3) == 0) {
        *out = UI_LANG_EN;
        return 0;
    }
    return -1;
}

const char *ui_lang_name(ui_lang_t lang)
{
    return lang == UI_LANG_EN ? "en" : "zh";
}

/* The printf conversions of a format, as their letters in order ("ds" for "%d ... %s"). */
static int s_conversions(const char *fmt, char *letters, size_t n)
{
    size_t used = 0;
    int count = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        while (*p && strchr("-+ #0123456789.*lhzjt", *p))
            p++;
        if (!*p)
            break;
        if (used + 1 < n)
            letters[used++] = *p;
        count++;
    }
    letters[used] = '\0';
    return count;
}

int ui_table_check(const ui_table_t *table, char *why, size_t whylen)
{
    static const char *const ambiguous[] = {"—", "…", "·", "─", "↑", "↓", "×", "※", "○",
                                            "●", "→", "←", "│", "═", "“", "”", "‘", "’"};
    for (int id = 1; id < table->count; id++) {
        const ui_text_t *t = &table->texts[id];
        if (!t->zh || !t->en) {
            snprintf(why, whylen, "%s: message %d has no %s text", table->name, id,
                     t->zh ? "English" : "Chinese");
            return -1;
        }
        if (!*t->zh || !*t->en) {
            snprintf(why, whylen, "%s: message %d is empty in %s", table->name, id,
                     *t->zh ? "English" : "Chinese");
            return -1;
        }
        char zh[32], en[32];
        s_conversions(t->zh, zh, sizeof zh);
        s_conversions(t->en, en, sizeof en);
        if (strcmp(zh, en) != 0) {
            snprintf(why, whylen, "%s: message %d formats differ: '%s' vs '%s'", table->name, id,
                     t->zh, t->en);
            return -1;
        }
        if (table->allow_ambiguous)
            continue;
        for (size_t a = 0; a < sizeof ambiguous / sizeof ambiguous[0]; a++)
            for (int lang = 0; lang < UI_LANG_COUNT_; lang++) {
                const char *s = lang == UI_LANG_EN ? t->en : t->zh;
                if (strstr(s, ambiguous[a])) {
                    snprintf(why, whylen, "%s: message %d uses the ambiguous-width %s: '%s'",
                             table->name, id, ambiguous[a], s);
                    return -1;
                }
            }
    }
    return 0;
}
