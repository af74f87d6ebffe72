/* stats_texts: every bilingual table of the statistics (lib/ui's ui_table_t) passes
 * ui_table_check: both languages present, the same printf conversions in the same order,
 * and no ambiguous-width characters unless the table is never laid out in columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ctl_stats_text.h"
#include "hq_proto.h"
#include "stats_text.h"

static const ui_table_t *const s_tables[] = {&stats_texts, &report_texts, &ctl_stats_texts};

static void test_tables(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof s_tables / sizeof s_tables[0]; i++) {
        char why[512] = "";
        if (ui_table_check(s_tables[i], why, sizeof why) != 0)
            fail_msg("%s", why);
        /* Every id has its texts: a gap in the designated initialisers is a missing text. */
        for (int id = 1; id < s_tables[i]->count; id++)
            assert_non_null(s_tables[i]->texts[id].zh);
    }
}

/* The check itself catches what it is there for, so a passing table means something. */
static void test_check_catches(void **state)
{
    (void)state;
    static const ui_text_t swapped[] = {{NULL, NULL}, {"%s 件，%.1f%%", "%.1f%% of %s"}};
    static const ui_text_t dash[] = {{NULL, NULL}, {"无—", "none—"}};
    ui_table_t t = {"swapped", swapped, 2, 0};
    char why[512];
    assert_int_equal(ui_table_check(&t, why, sizeof why), -1);
    assert_non_null(strstr(why, "formats differ"));
    t = (ui_table_t){"dash", dash, 2, 0};
    assert_int_equal(ui_table_check(&t, why, sizeof why), -1);
}

/* Keys that are data in English: ticket states in hq_ticket_state_t's order, weekdays. */
static void test_keys(void **state)
{
    (void)state;
    for (int s = 0; s < HQ_T_COUNT_; s++)
        assert_string_equal(ctl_text(UI_LANG_EN, (ctl_text_id_t)(CTL_T_STATE_WAITING + s)),
                            hq_ticket_state_name((hq_ticket_state_t)s));
    assert_int_equal(CTL_T_STATE_WAITING + HQ_T_COUNT_ - 1, CTL_T_STATE_EXPIRED);
    assert_string_equal(ctl_text(UI_LANG_ZH, CTL_T_STATE_NO_SHOW), "过号");
}

static void test_weekdays(void **state)
{
    (void)state;
    assert_string_equal(stats_weekday_name(0, UI_LANG_ZH), "周一");
    assert_string_equal(stats_weekday_name(6, UI_LANG_ZH), "周日");
    assert_string_equal(stats_weekday_name(0, UI_LANG_EN), "Mon"); /* the export key */
    assert_string_equal(stats_weekday_name(6, UI_LANG_EN), "Sun");
    assert_string_equal(stats_weekday_name(7, UI_LANG_EN), "");
    assert_string_equal(stats_weekday_name(-1, UI_LANG_ZH), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_check_catches),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_weekdays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
