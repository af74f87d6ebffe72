/* hallqctl calendar: see calendar_verb.h. */
#include "calendar_verb.h"

#include "calendar.h"
#include "config.h"
#include "hq_date.h"
#include "ui_exit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file, NUL-terminated, up to 1 MiB (a holidays file is a few kilobytes). */
static char *s_read(const char *path, size_t *len, char *why, size_t whylen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        hq_fail(why, whylen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    enum { MAX = 1024 * 1024 };
    char *buf = malloc(MAX + 1);
    size_t n = buf ? fread(buf, 1, MAX + 1, f) : 0;
    int bad = !buf || ferror(f) || n > MAX;
    fclose(f);
    if (bad) {
        hq_fail(why, whylen, "%s: %s", path,
                !buf      ? "out of memory"
                : n > MAX ? "larger than 1 MiB"
                          : "read error");
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int calendar_verb(ui_lang_t lang, int nwords, const char *const *words)
{
    int en = lang == UI_LANG_EN;
    if (nwords != 3 || strcmp(words[1], "check") != 0) {
        fprintf(stderr, "hallqctl: usage: hallqctl calendar check FILE\n");
        return UI_EXIT_USAGE;
    }
    const char *path = words[2];
    char why[400];
    size_t len, textlen;
    char *bytes = s_read(path, &len, why, sizeof why), *text = NULL;
    if (!bytes) {
        fprintf(stderr, "hallqctl: %s\n", why);
        return UI_EXIT_FAILURE;
    }
    int rc = config_source_text(bytes, len, path, &text, &textlen, why, sizeof why);
    free(bytes);
    cal_t *cal = calloc(1, sizeof *cal);
    if (rc == 0 && !cal)
        rc = hq_fail(why, sizeof why, "out of memory");
    if (rc == 0)
        rc = cal_dates_parse(cal, text, path, why, sizeof why);
    free(text);
    if (rc != 0) {
        fprintf(stderr, "hallqctl: %s\n", why);
        free(cal);
        return UI_EXIT_USAGE;
    }
    if (cal->ndates == 0) {
        printf(en ? "%s: no dates (the hall then follows its weekly hours alone)\n"
                  : "%s：没有日期（大厅只按每周营业时间办理）\n",
               path);
        free(cal);
        return UI_EXIT_OK;
    }
    char first[HQ_DATE_TEXT_MAX], last[HQ_DATE_TEXT_MAX];
    hq_date_format(hq_date_from_days(cal->dates[0].days), first);
    hq_date_format(hq_date_from_days(cal->dates[cal->ndates - 1].days), last);
    printf(en ? "%s: %d dates, %s to %s\n" : "%s：共 %d 个日期，%s 至 %s\n", path, cal->ndates,
           first, last);
    for (int i = 0; i < cal->ndates;) {
        int year = hq_date_from_days(cal->dates[i].days).year, holidays = 0, workdays = 0;
        for (; i < cal->ndates && hq_date_from_days(cal->dates[i].days).year == year; i++) {
            if (cal->dates[i].kind == CAL_HOLIDAY)
                holidays++;
            else
                workdays++;
        }
        printf(en ? "%d: %d holiday(s), %d make-up working day(s)\n"
                  : "%d 年：节假日 %d 天，调休上班 %d 天\n",
               year, holidays, workdays);
    }
    for (int i = 0; i < cal->ndates; i++) {
        const cal_date_t *d = &cal->dates[i];
        char day[HQ_DATE_TEXT_MAX];
        hq_date_format(hq_date_from_days(d->days), day);
        static const char *const zh_week[7] = {"周一", "周二", "周三", "周四",
                                               "周五", "周六", "周日"};
        static const char *const en_week[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        int wd = hq_date_weekday(d->days);
        printf("  %s %s  %s  %s\n", day, en ? en_week[wd] : zh_week[wd],
               d->kind == CAL_HOLIDAY ? (en ? "holiday" : "放假") : (en ? "workday" : "上班"),
               d->name);
    }
    free(cal);
    return UI_EXIT_OK;
}
