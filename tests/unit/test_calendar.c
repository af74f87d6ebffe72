/* The hall's calendar (lib/hallq/calendar.c) and the issuing rules built on it
 * (config_issue_check): opening hours with a lunch break, holidays and 调休 working days from
 * the shipped example file, extended hours, issuing hours and quotas with a green reserve. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "config.h"
#include "hq_date.h"

static char s_example[256]; /* lib/hallq/holidays.example, from the command line */

static int s_day(const char *text)
{
    int d = hq_date_parse_days(text);
    assert_true(d >= 0);
    return d;
}

static int s_min(int h, int m)
{
    return h * 60 + m;
}

/* A hall open 08:30-12:00 and 13:30-17:30 Monday to Friday, Friday afternoons to 16:00, with
 * the example's 2026 holidays and a Wednesday evening and Saturday morning service. */
static void s_hall(hallq_config_t *cfg, const char *extra)
{
    char why[400], text[2048];
    assert_int_equal(config_default(cfg, why, sizeof why), 0);
    snprintf(text, sizeof text,
             "[calendar]\nhours = 08:30-12:00, 13:30-17:30\nfriday = 08:30-12:00, 13:30-16:00\n"
             "extended = wed 17:30-19:30, saturday 09:00-11:30\nholidays = %s\n%s",
             s_example, extra);
    if (config_load_text(cfg, text, "t.conf", why, sizeof why) != 0)
        fail_msg("%s", why);
}

static void test_spans(void **state)
{
    (void)state;
    cal_spans_t s;
    char why[200], text[CAL_SPANS_TEXT];
    assert_int_equal(cal_spans_parse("08:30-12:00, 13:30-17:30", &s, why, sizeof why), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.span[0].from, s_min(8, 30));
    assert_int_equal(s.span[1].to, s_min(17, 30));
    cal_spans_format(&s, text, sizeof text);
    assert_string_equal(text, "08:30-12:00, 13:30-17:30");
    assert_int_equal(cal_spans_parse("closed", &s, why, sizeof why), 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(cal_spans_parse("8:00-24:00", &s, why, sizeof why), 0);
    assert_int_equal(s.span[0].to, 1440);
    assert_int_equal(cal_spans_parse("12:00-08:30", &s, why, sizeof why), -1);
    assert_non_null(strstr(why, "end after it starts"));
    assert_int_equal(cal_spans_parse("08:30-12:00, 11:00-17:30", &s, why, sizeof why), -1);
    assert_non_null(strstr(why, "in order"));
    assert_int_equal(cal_spans_parse("08:30-12:00 13:30-17:30", &s, why, sizeof why), -1);
    assert_int_equal(cal_spans_parse("8.30-12", &s, why, sizeof why), -1);
    assert_int_equal(cal_spans_parse("08:30-25:00", &s, why, sizeof why), -1);
    assert_int_equal(cal_weekday_parse("Sat"), 5);
    assert_int_equal(cal_weekday_parse("sunday"), 6);
    assert_int_equal(cal_weekday_parse("su"), -1);
}

/* Working days across National Day (10-01..10-07) and the 调休 Saturday 10-10. */
static void test_working_days(void **state)
{
    (void)state;
    hallq_config_t *cfg = malloc(sizeof *cfg);
    s_hall(cfg, "");
    const cal_t *cal = &cfg->calendar;
    assert_int_equal(cal->ndates, 39);
    assert_true(cal_working_day(cal, s_day("2026-09-30")));  /* a Wednesday */
    assert_false(cal_working_day(cal, s_day("2026-10-01"))); /* National Day */
    assert_false(cal_working_day(cal, s_day("2026-10-03"))); /* a Saturday inside it */
    assert_true(cal_working_day(cal, s_day("2026-10-10")));  /* 调休: a Saturday at work */
    assert_false(cal_working_day(cal, s_day("2026-10-17"))); /* an ordinary Saturday */
    assert_true(cal_working_day(cal, s_day("2026-09-20")));  /* 调休 Sunday */
    assert_string_equal(cal_date(cal, s_day("2026-10-10"))->name, "国庆节调休上班");
    /* The working day after 09-30 is 10-08; two after 10-09 (Fri) is 10-12, over 10-10. */
    assert_int_equal(cal_add_working_days(cal, s_day("2026-09-30"), 1), s_day("2026-10-08"));
    assert_int_equal(cal_add_working_days(cal, s_day("2026-10-09"), 1), s_day("2026-10-10"));
    assert_int_equal(cal_add_working_days(cal, s_day("2026-10-09"), 2), s_day("2026-10-12"));
    assert_int_equal(cal_add_working_days(cal, s_day("2026-09-24"), 3), s_day("2026-09-30"));
    assert_int_equal(cal_add_working_days(cal, s_day("2026-09-24"), 0), s_day("2026-09-24"));
    /* 09-19 (Sat) to 10-11: 09-20, 21-24 (Mon-Thu), 28-30, 10-08, 09, 10: 11 working days. */
    assert_int_equal(cal_working_days_between(cal, s_day("2026-09-19"), s_day("2026-10-11")), 11);
    assert_int_equal(cal_working_days_between(cal, s_day("2026-10-11"), s_day("2026-10-01")), 0);
    /* The 3-working-day hand-up of a village point (004) from 09-30: 10-08, 09, 10. */
    assert_int_equal(cal_add_working_days(cal, s_day("2026-09-30"), 3), s_day("2026-10-10"));
    /* A calendar that never opens gives no working day. */
    cal_t *never = calloc(1, sizeof *never);
    never->set = 1;
    assert_int_equal(cal_add_working_days(never, s_day("2026-09-30"), 1), -1);
    free(never);
    config_free(cfg);
    free(cfg);
}

static void test_hours(void **state)
{
    (void)state;
    hallq_config_t *cfg = malloc(sizeof *cfg);
    s_hall(cfg, "");
    const cal_t *cal = &cfg->calendar;
    int wed = s_day("2026-10-14"), fri = s_day("2026-10-16"), sat = s_day("2026-10-17");
    int workday_sat = s_day("2026-10-10"), holiday_sat = s_day("2026-10-03");
    assert_true(cal_open_at(cal, wed, s_min(8, 30)));
    assert_false(cal_open_at(cal, wed, s_min(8, 29)));
    assert_false(cal_open_at(cal, wed, s_min(12, 0))); /* lunch */
    assert_true(cal_open_at(cal, wed, s_min(13, 30)));
    assert_false(cal_extended_at(cal, wed, s_min(17, 29)));
    assert_true(cal_extended_at(cal, wed, s_min(17, 30))); /* Wednesday evening */
    assert_false(cal_open_at(cal, wed, s_min(19, 30)));
    assert_true(cal_open_at(cal, fri, s_min(15, 59)));
    assert_false(cal_open_at(cal, fri, s_min(16, 0))); /* Friday's own line */
    assert_false(cal_working_day(cal, sat));
    assert_true(cal_extended_at(cal, sat, s_min(9, 0))); /* Saturday morning service */
    assert_false(cal_open_at(cal, sat, s_min(14, 0)));
    /* A 调休 Saturday opens by `hours`; its morning is regular, not extended. */
    assert_true(cal_open_at(cal, workday_sat, s_min(16, 0)));
    assert_false(cal_extended_at(cal, workday_sat, s_min(9, 0)));
    /* A holiday has no extended period either. */
    assert_false(cal_open_at(cal, holiday_sat, s_min(9, 0)));
    /* Without a [calendar] the hall keeps no hours. */
    char why[200];
    config_free(cfg);
    assert_int_equal(config_default(cfg, why, sizeof why), 0);
    assert_true(cal_open_at(&cfg->calendar, holiday_sat, s_min(3, 0)));
    assert_false(cal_extended_at(&cfg->calendar, holiday_sat, s_min(3, 0)));
    /* Nor with a [calendar] whose lines are all commented out (the packaged file). */
    assert_int_equal(
        config_load_text(cfg, "[calendar]\n; hours = 08:30-12:00\n", "t.conf", why, sizeof why), 0);
    assert_false(cfg->calendar.set);
    assert_true(cal_open_at(&cfg->calendar, holiday_sat, s_min(3, 0)));
    config_free(cfg);
    free(cfg);
}

static void test_issue_rules(void **state)
{
    (void)state;
    hallq_config_t *cfg = malloc(sizeof *cfg);
    s_hall(cfg, "[queue A]\nname = 参保登记\nissue_hours = 08:30-11:30, 13:30-16:30\nquota = 5\n"
                "green_reserve = 2\n[queue B]\nname = 查询\n");
    const cfg_queue_t *a = config_queue(cfg, 'A'), *b = config_queue(cfg, 'B');
    int wed = s_day("2026-10-14");
    cal_spans_t hours;
    char text[CAL_SPANS_TEXT];
    assert_int_equal(config_issue_check(cfg, a, wed, s_min(8, 30), 0, 0, &hours), CFG_ISSUE_OK);
    cal_spans_format(&hours, text, sizeof text);
    assert_string_equal(text, "08:30-11:30, 13:30-16:30, 17:30-19:30");
    assert_int_equal(config_issue_check(cfg, a, wed, s_min(11, 30), 0, 0, NULL), CFG_ISSUE_HOURS);
    assert_int_equal(config_issue_check(cfg, b, wed, s_min(11, 30), 0, 0, NULL), CFG_ISSUE_OK);
    assert_int_equal(config_issue_check(cfg, a, wed, s_min(18, 0), 0, 0, NULL), CFG_ISSUE_OK);
    assert_int_equal(config_issue_check(cfg, a, s_day("2026-10-02"), s_min(9, 0), 0, 0, &hours),
                     CFG_ISSUE_CLOSED_DAY);
    assert_int_equal(hours.n, 0);
    /* Quota 5, 2 of them for the green lane: normal tickets stop after 3, green after 5. */
    assert_int_equal(config_issue_check(cfg, a, wed, s_min(9, 0), 0, 2, NULL), CFG_ISSUE_OK);
    assert_int_equal(config_issue_check(cfg, a, wed, s_min(9, 0), 0, 3, NULL), CFG_ISSUE_QUOTA);
    assert_int_equal(config_issue_check(cfg, a, wed, s_min(9, 0), 1, 4, NULL), CFG_ISSUE_OK);
    assert_int_equal(config_issue_check(cfg, a, wed, s_min(9, 0), 1, 5, NULL), CFG_ISSUE_QUOTA);
    assert_int_equal(config_issue_check(cfg, b, wed, s_min(9, 0), 0, 9000, NULL), CFG_ISSUE_OK);
    /* An appointment reserve of 1 besides: walk-ins stop one earlier, green too. */
    ((cfg_queue_t *)a)->appointment_reserve = 1;
    assert_int_equal(config_issue_check(cfg, a, wed, s_min(9, 0), 0, 2, NULL), CFG_ISSUE_QUOTA);
    assert_int_equal(config_issue_check(cfg, a, wed, s_min(9, 0), 1, 3, NULL), CFG_ISSUE_OK);
    assert_int_equal(config_issue_check(cfg, a, wed, s_min(9, 0), 1, 4, NULL), CFG_ISSUE_QUOTA);
    config_free(cfg);
    free(cfg);
}

/* Each wrong line is refused at its line, with what is wrong. */
static void test_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text, *why;
    } cases[] = {
        {"[calendar]\nsaturday = 09:00-12:00\n", "t.conf:2: [calendar] needs an hours line"},
        {"[calendar]\nhours = closed\n", "t.conf:2: hours cannot be closed"},
        {"[calendar]\nhours = 08:30-12:00\nfunday = 09:00-10:00\n", "t.conf:3: unknown key"},
        {"[calendar]\nhours = 08:30-12:00\nextended = fri-mon 18:00-19:00\n",
         "t.conf:3: extended: weekdays fri-mon run backwards"},
        {"[calendar]\nhours = 08:30-12:00\nholidays = /nonexistent/h.txt\n",
         "t.conf:3: holidays /nonexistent/h.txt: No such file"},
        {"[queue A]\ngreen_reserve = 3\n", "t.conf:2: queue A: a reserve needs a quota"},
        {"[queue A]\nquota = 3\ngreen_reserve = 3\n", "t.conf:2: queue A: green_reserve 3"},
        {"[queue A]\nquota = 5\ngreen_reserve = 2\nappointment_reserve = 3\n",
         "t.conf:2: queue A: green_reserve 2 and appointment_reserve 3 leave nothing"},
        {"[queue A]\nquota = 5\nappointment_reserve = 2\n",
         "t.conf:2: queue A: appointment_reserve needs [slots A]"},
        {"[queue A]\nissue_hours = 9-10\n", "t.conf:2: issue_hours: '9-10' is not a period"},
    };
    hallq_config_t *cfg = malloc(sizeof *cfg);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char why[400];
        assert_int_equal(config_default(cfg, why, sizeof why), 0);
        assert_int_equal(config_load_text(cfg, cases[i].text, "t.conf", why, sizeof why), -1);
        if (strncmp(why, cases[i].why, strlen(cases[i].why)) != 0)
            fail_msg("case %zu: '%s' does not start with '%s'", i, why, cases[i].why);
        config_free(cfg);
    }
    free(cfg);
    static const struct {
        const char *text, *why;
    } files[] = {
        {"2026-10-01 holiday\n", "h:1: expected 'DATE holiday NAME'"},
        {"# x\n2026-10-32 holiday 国庆\n", "h:2: '2026-10-32' is no date"},
        {"2026-10-07..2026-10-01 holiday 国庆\n", "h:1: 2026-10-07..2026-10-01 runs backwards"},
        {"2026-10-01..2026-11-15 holiday 国庆\n", "h:1: 2026-10-01..2026-11-15 is longer than 31"},
        {"2026-10-09 workday 调休\n", "h:1: 2026-10-09 is a friday: a make-up working day"},
        {"2026-10-01..2026-10-07 holiday 国庆\n\n2026-10-05 holiday 中秋\n",
         "h:3: 2026-10-05 is named twice (first on line 1)"},
        {"2026-10-01 closed 国庆\n", "h:1: 'closed' must be holiday or workday"},
    };
    cal_t *cal = calloc(1, sizeof *cal);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char why[400];
        assert_int_equal(cal_dates_parse(cal, files[i].text, "h", why, sizeof why), -1);
        if (strncmp(why, files[i].why, strlen(files[i].why)) != 0)
            fail_msg("file %zu: '%s' does not start with '%s'", i, why, files[i].why);
    }
    free(cal);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s HOLIDAYS_EXAMPLE\n", argv[0]);
        return 2;
    }
    snprintf(s_example, sizeof s_example, "%s", argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans),   cmocka_unit_test(test_working_days),
        cmocka_unit_test(test_hours),   cmocka_unit_test(test_issue_rules),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
