/* Every text table and every command line of the hall's programs, checked by the same rules
 * (lib/ui): both languages present and not empty, the same printf conversions in both, no
 * ambiguous-width characters in anything laid out in columns, and option tables without
 * clashing names or letters. A program's tables join the lists below when they move onto
 * lib/ui; nothing else is needed for them to be checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ui_curses.h"
#include "ui_i18n.h"
#include "ui_options.h"

/* apps/counter, apps/display, apps/kiosk, apps/sim: each folder has an options.h, so they
 * are named by path. */
#include "../../apps/counter/i18n.h"
#include "../../apps/counter/options.h"
#include "../../apps/display/options.h"
#include "../../apps/display/texts.h"
#include "../../apps/kiosk/kiosk_texts.h"
#include "../../apps/kiosk/options.h"
#include "../../apps/sim/options.h"
#include "../../apps/sim/texts.h"
#include "../../apps/web/web_options.h"
#include "../../apps/web/web_texts.h"
#include "../../ctl/ctl_cli.h"
#include "../../ctl/ctl_stats_verbs.h"
#include "../../ctl/central_verb.h"
#include "../../ctl/db.h"
#include "../../server/hallqd_options.h"

static const ui_table_t *const s_tables[] = {
    &ui_options_texts, /* lib/ui: the help's own parts */
    &ui_curses_texts,  /* lib/ui: the problems before a screen starts */
    &hqc_texts,        /* apps/counter: the clerk terminal */
    &display_texts,    /* apps/display: the wall screen */
    &sim_texts,        /* apps/sim: the simulated day's story */
    &kiosk_texts,      /* apps/kiosk: screen, printed ticket, printer errors */
    &web_texts,        /* apps/web: the citizen's pages */
    /* stats: add the statistics' tables (report, exports, hallqctl stats) here. */
};

static const ui_program_t *const s_programs[] = {
    &hqc_cli,         /* hallq-counter */
    &display_cli,     /* hallq-display */
    &sim_cli,         /* hallq-sim */
    &kiosk_cli,       /* hallq-ticket */
    &web_cli,         /* hallq-web */
    &hallqd_cli,      /* hallqd */
    &ctl_cli,         /* hallqctl */
    &ctl_stats_cli,   /* hallqctl stats */
    &ctl_db_cli,      /* hallqctl db */
    &ctl_central_cli, /* hallqctl central */
};

static void test_every_table_passes(void **state)
{
    (void)state;
    char why[600];
    for (size_t i = 0; i < sizeof s_tables / sizeof s_tables[0]; i++) {
        if (ui_table_check(s_tables[i], why, sizeof why) != 0)
            fail_msg("%s", why);
        /* The id past the end is "", never a crash. */
        assert_string_equal(ui_text(s_tables[i], s_tables[i]->count, UI_LANG_ZH), "");
    }
}

static void test_every_command_line_passes(void **state)
{
    (void)state;
    char why[600];
    for (size_t i = 0; i < sizeof s_programs / sizeof s_programs[0]; i++)
        if (ui_options_check(s_programs[i], why, sizeof why) != 0)
            fail_msg("%s", why);
}

/* The check is not vacuous: a table with a flaw of each kind fails it. */
static void test_the_check_finds_flaws(void **state)
{
    (void)state;
    char why[600];
    static const ui_text_t flawed[][2] = {
        {{"", ""}, {"%d 人", "%s waiting"}},
        {{"", ""}, {"正在连接…", "connecting..."}},
        {{"", ""}, {"空闲", NULL}},
        {{"", ""}, {"", "idle"}},
    };
    for (size_t i = 0; i < sizeof flawed / sizeof flawed[0]; i++) {
        ui_table_t t = {"flawed", flawed[i], 2, 0};
        assert_int_equal(ui_table_check(&t, why, sizeof why), -1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_table_passes),
        cmocka_unit_test(test_every_command_line_passes),
        cmocka_unit_test(test_the_check_finds_flaws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
