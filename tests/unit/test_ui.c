/* The UI kit: text tables and their checks, and the options helper every program parses its
 * command line with. The parser writes to memory streams here, so every message it prints
 * is read back and checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hq_signals.h"
#include "ui_exit.h"
#include "ui_i18n.h"
#include "ui_options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small program to parse for ------------------------------------------------------- */

typedef struct {
    ui_lang_t lang;
    int window;
    const char *name;
    int loud;
    char mode; /* 'h' hall, 'c' counter */
} s_settings_t;

enum { S_T_NONE = 0, S_T_MODE_HELP, S_T_COUNT_ };
static const ui_text_t s_texts[S_T_COUNT_] = {
    [S_T_NONE] = {"", ""},
    [S_T_MODE_HELP] = {"屏幕：hall 或 counter", "screen: hall or counter"},
};
static const ui_table_t s_table = {"test", s_texts, S_T_COUNT_, 0};

static int s_set_mode(void *field, const char *arg, const ui_option_t *opt, char *why,
                      size_t whylen)
{
    if (strcmp(arg, "hall") != 0 && strcmp(arg, "counter") != 0) {
        snprintf(why, whylen, "--%s is hall or counter, not '%s'", opt->name, arg);
        return -1;
    }
    *(char *)field = arg[0];
    return 0;
}

static int s_check(void *settings, char *why, size_t whylen)
{
    const s_settings_t *s = settings;
    if (s->mode == 'c' && s->window == 0) {
        snprintf(why, whylen, "--mode counter needs --window N");
        return -1;
    }
    return 0;
}

static const ui_option_t s_options[] = {
    {"window",
     'w',
     "N",
     {"窗口号", "window number"},
     0,
     ui_set_int,
     offsetof(s_settings_t, window),
     1,
     999},
    {"name",
     0,
     "TEXT",
     {"名称\n第二行", "a name\nsecond line"},
     0,
     ui_set_string,
     offsetof(s_settings_t, name),
     0,
     0},
    {"loud", 0, NULL, {"大声", "loud"}, 0, ui_set_flag, offsetof(s_settings_t, loud), 0, 0},
    {"mode",
     'm',
     "hall|counter",
     {NULL, NULL},
     S_T_MODE_HELP,
     s_set_mode,
     offsetof(s_settings_t, mode),
     0,
     0},
    {NULL, 0, NULL, {NULL, NULL}, 0, NULL, 0, 0, 0},
};

static const ui_program_t s_prog = {
    .name = "hallq-test",
    .synopsis = {"[选项]", "[options]"},
    .about = {"测试程序。", "A test program."},
    .epilog = {"退出状态：0 正常", "Exit status: 0 ok"},
    .texts = &s_table,
    .options = s_options,
    .lang_at = offsetof(s_settings_t, lang),
    .check = s_check,
};

/* What one parse printed, and what it returned. */
typedef struct {
    int rc;
    s_settings_t s;
    char *out, *err;
    size_t outlen, errlen;
} s_run_t;

static s_run_t s_last;

/* Parses argv for program p into settings; what it printed and returned go to s_last. */
static int s_parse_into(const ui_program_t *p, void *settings, int argc, char **argv)
{
    free(s_last.out);
    free(s_last.err);
    s_last.out = s_last.err = NULL;
    FILE *out = open_memstream(&s_last.out, &s_last.outlen);
    FILE *err = open_memstream(&s_last.err, &s_last.errlen);
    assert_non_null(out);
    assert_non_null(err);
    s_last.rc = ui_options_parse_to(p, argc, argv, settings, out, err);
    fclose(out);
    fclose(err);
    return s_last.rc;
}

static int s_parse_v(const char *first, va_list ap)
{
    char *argv[32] = {"hallq-test"};
    int argc = 1;
    for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    memset(&s_last.s, 0, sizeof s_last.s);
    s_last.s.mode = 'h';
    return s_parse_into(&s_prog, &s_last.s, argc, argv);
}

/* s_parse(args..., NULL): parses them into s_last. */
static int s_parse(const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    int rc = s_parse_v(first, ap);
    va_end(ap);
    return rc;
}

static int s_lines(const char *text)
{
    int n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

/* The parse failed with exactly one line on stderr that holds `what`, nothing on stdout. */
static void s_expect_usage(const char *what)
{
    assert_int_equal(s_last.rc, UI_EXIT_USAGE);
    assert_int_equal(s_lines(s_last.err), 1);
    assert_int_equal(s_last.outlen, 0);
    if (!strstr(s_last.err, what))
        fail_msg("'%s' does not say '%s'", s_last.err, what);
    assert_true(strncmp(s_last.err, "hallq-test: ", 12) == 0);
    assert_non_null(strstr(s_last.err, "see hallq-test --help"));
}

static int s_setup(void **state)
{
    (void)state;
    unsetenv("HALLQ_LANG");
    return 0;
}

static int s_teardown(void **state)
{
    (void)state;
    free(s_last.out);
    free(s_last.err);
    memset(&s_last, 0, sizeof s_last);
    unsetenv("HALLQ_LANG");
    return 0;
}

/* ---- parsing ------------------------------------------------------------------------------ */

static void test_every_form_of_an_option(void **state)
{
    (void)state;
    assert_int_equal(s_parse("--window", "3", "--name=li", "--loud", "-m", "counter", NULL),
                     UI_OPTIONS_RUN);
    assert_int_equal(s_last.s.window, 3);
    assert_string_equal(s_last.s.name, "li");
    assert_int_equal(s_last.s.loud, 1);
    assert_int_equal(s_last.s.mode, 'c');
    assert_int_equal(s_last.s.lang, UI_LANG_ZH);
    assert_int_equal(s_last.outlen + s_last.errlen, 0);

    assert_int_equal(s_parse("-w12", "--window=7", "-mhall", "--lang=en", NULL), UI_OPTIONS_RUN);
    assert_int_equal(s_last.s.window, 7); /* the later one counts */
    assert_int_equal(s_last.s.mode, 'h');
    assert_int_equal(s_last.s.lang, UI_LANG_EN);
    assert_int_equal(s_parse("-l", "en", NULL), UI_OPTIONS_RUN);
    assert_int_equal(s_last.s.lang, UI_LANG_EN);
    assert_int_equal(s_parse("--", NULL), UI_OPTIONS_RUN);
    assert_int_equal(s_parse(NULL), UI_OPTIONS_RUN);
    assert_null(s_last.s.name);
}

static void test_bad_arguments_are_one_line_naming_them(void **state)
{
    (void)state;
    s_parse("--bogus", "1", NULL);
    s_expect_usage("unknown option '--bogus'");
    s_parse("-z", NULL);
    s_expect_usage("unknown option '-z'");
    s_parse("--win", "3", NULL); /* no abbreviations */
    s_expect_usage("unknown option '--win'");
    s_parse("--window", NULL);
    s_expect_usage("--window needs a value");
    s_parse("-w", NULL);
    s_expect_usage("--window needs a value");
    s_parse("--loud=yes", NULL);
    s_expect_usage("--loud takes no value");
    s_parse("--window", "0", NULL);
    s_expect_usage("--window takes a whole number from 1 to 999, not '0'");
    s_parse("--window", "3x", NULL);
    s_expect_usage("not '3x'");
    s_parse("--name", "", NULL);
    s_expect_usage("--name must not be empty");
    s_parse("extra", NULL);
    s_expect_usage("unexpected argument 'extra'");
    s_parse("--", "extra", NULL);
    s_expect_usage("unexpected argument 'extra'");
    s_parse("--mode", "wall", NULL);
    s_expect_usage("--mode is hall or counter, not 'wall'");
    s_parse("--lang", "fr", NULL);
    s_expect_usage("--lang takes zh or en, not 'fr'");
    s_parse("--mode", "counter", NULL);
    s_expect_usage("--mode counter needs --window N"); /* the program's own check */
}

static void test_environment_language(void **state)
{
    (void)state;
    setenv("HALLQ_LANG", "en_US.UTF-8", 1);
    assert_int_equal(s_parse(NULL), UI_OPTIONS_RUN);
    assert_int_equal(s_last.s.lang, UI_LANG_EN);
    assert_int_equal(s_parse("--lang", "zh", NULL), UI_OPTIONS_RUN); /* the option wins */
    assert_int_equal(s_last.s.lang, UI_LANG_ZH);
    setenv("HALLQ_LANG", "xx", 1);
    s_parse("--window", "3", NULL);
    s_expect_usage("HALLQ_LANG must be zh or en, not 'xx'");
    setenv("HALLQ_LANG", "", 1); /* empty: as if unset */
    assert_int_equal(s_parse(NULL), UI_OPTIONS_RUN);
    assert_int_equal(s_last.s.lang, UI_LANG_ZH);
}

/* ---- help and version ------------------------------------------------------------------- */

static void test_help_in_the_chosen_language(void **state)
{
    (void)state;
    assert_int_equal(s_parse("--help", NULL), UI_EXIT_OK);
    assert_int_equal(s_last.errlen, 0);
    assert_true(
        strncmp(s_last.out, "用法：hallq-test [选项]\n", strlen("用法：hallq-test [选项]\n")) == 0);
    assert_non_null(strstr(s_last.out, "\n测试程序。\n"));
    assert_non_null(strstr(s_last.out, "\n  -w, --window N"));
    assert_non_null(strstr(s_last.out, "\n      --loud"));
    assert_non_null(strstr(s_last.out, "屏幕：hall 或 counter\n")); /* from the table */
    assert_non_null(strstr(s_last.out, "  -l, --lang zh|en"));
    assert_non_null(strstr(s_last.out, "显示本帮助后退出"));
    assert_non_null(strstr(s_last.out, "\n退出状态：0 正常\n"));
    assert_null(strstr(s_last.out, "window number"));

    /* --lang after --help still chooses the language; so does $HALLQ_LANG. */
    assert_int_equal(s_parse("-h", "--lang", "en", NULL), UI_EXIT_OK);
    assert_true(strncmp(s_last.out, "usage: hallq-test [options]\n", 28) == 0);
    assert_non_null(strstr(s_last.out, "window number"));
    assert_non_null(strstr(s_last.out, "screen: hall or counter"));
    assert_null(strstr(s_last.out, "窗口号"));
    setenv("HALLQ_LANG", "en", 1);
    assert_int_equal(s_parse("--help", NULL), UI_EXIT_OK);
    assert_true(strncmp(s_last.out, "usage: ", 7) == 0);
}

static void test_help_lines_line_up(void **state)
{
    (void)state;
    s_parse("--help", "--lang", "en", NULL);
    /* Every help text starts in the same column; a continued line starts there too. */
    const char *window = strstr(s_last.out, "  -w, --window N");
    const char *name = strstr(s_last.out, "      --name TEXT");
    assert_non_null(window);
    assert_non_null(name);
    long col_window = strstr(window, "window number") - window;
    long col_name = strstr(name, "a name") - name;
    assert_int_equal(col_window, col_name);
    const char *second = strstr(name, "\n") + 1;
    assert_int_equal(strspn(second, " "), (size_t)col_name);
    assert_true(strncmp(second + col_name, "second line\n", 12) == 0);
}

static void test_help_and_version_win_over_errors(void **state)
{
    (void)state;
    assert_int_equal(s_parse("--window", "0", "--help", NULL), UI_EXIT_OK);
    assert_int_equal(s_last.errlen, 0);
    assert_non_null(strstr(s_last.out, "--window N"));
    assert_int_equal(s_parse("--version", NULL), UI_EXIT_OK);
    assert_string_equal(s_last.out, "hallq-test " HALLQ_VERSION "\n");
    assert_int_equal(s_parse("--mode", "wall", "-V", NULL), UI_EXIT_OK);
    assert_int_equal(s_last.errlen, 0);
    /* A mistake before --help that hides what follows is still reported. */
    s_parse("--window", NULL);
    s_expect_usage("--window needs a value");
}

/* ---- operands, a program's own -l, its version and more help ------------------------------ */

typedef struct {
    ui_lang_t lang;
    const char *level; /* -l, --log-level */
    const char *words[4];
    int nwords;
} s_words_t;

static int s_operand(void *settings, const char *word, char *why, size_t whylen)
{
    s_words_t *w = settings;
    if (w->nwords == 4) {
        snprintf(why, whylen, "too many words at '%s'", word);
        return -1;
    }
    w->words[w->nwords++] = word;
    return 0;
}

static void s_more_help(FILE *out, ui_lang_t lang)
{
    fprintf(out, "\n%s\n  call COUNTER\n", lang == UI_LANG_EN ? "Verbs:" : "动作：");
}

static const ui_option_t s_words_options[] = {
    {"log-level",
     'l',
     "LEVEL",
     {"日志级别", "log level"},
     0,
     ui_set_string,
     offsetof(s_words_t, level),
     0,
     0},
    {NULL, 0, NULL, {NULL, NULL}, 0, NULL, 0, 0, 0},
};

static const ui_program_t s_words_prog = {
    .name = "hallq-words",
    .version = "1.2 (protocol 3)",
    .synopsis = {"[选项] 动作 ...", "[options] VERB ..."},
    .about = {"测试程序。", "A test program."},
    .options = s_words_options,
    .lang_at = offsetof(s_words_t, lang),
    .keeps_l = 1,
    .operand = s_operand,
    .more_help = s_more_help,
};

static int s_parse_words(s_words_t *w, int argc, char **argv)
{
    memset(w, 0, sizeof *w);
    return s_parse_into(&s_words_prog, w, argc, argv);
}

static void test_operands_and_a_programs_own_l(void **state)
{
    (void)state;
    s_words_t w;
    char *a1[] = {"hallq-words", "call", "-l", "debug", "3", "--lang", "en", "--", "-x", NULL};
    assert_int_equal(s_parse_words(&w, 9, a1), UI_OPTIONS_RUN);
    assert_int_equal(w.nwords, 3); /* in order, wherever they stand; after "--" all are words */
    assert_string_equal(w.words[0], "call");
    assert_string_equal(w.words[1], "3");
    assert_string_equal(w.words[2], "-x");
    assert_string_equal(w.level, "debug"); /* -l is the program's own */
    assert_int_equal(w.lang, UI_LANG_EN);

    char *a2[] = {"hallq-words", "a", "b", "c", "d", "e", NULL};
    assert_int_equal(s_parse_words(&w, 6, a2), UI_EXIT_USAGE);
    assert_string_equal(s_last.err, "hallq-words: too many words at 'e'; see hallq-words --help\n");

    char *a3[] = {"hallq-words", "--version", NULL};
    assert_int_equal(s_parse_words(&w, 2, a3), UI_EXIT_OK);
    assert_string_equal(s_last.out, "hallq-words 1.2 (protocol 3)\n");

    /* The help: --lang without a letter, the program's more help before the epilog. */
    char *a4[] = {"hallq-words", "call", "--help", NULL};
    assert_int_equal(s_parse_words(&w, 3, a4), UI_EXIT_OK);
    assert_non_null(strstr(s_last.out, "\n  -l, --log-level LEVEL"));
    assert_non_null(strstr(s_last.out, "\n      --lang zh|en"));
    assert_non_null(strstr(s_last.out, "\n动作：\n  call COUNTER\n"));
    assert_int_equal(w.nwords, 0); /* nothing is stored when the help is asked for */

    char why[400];
    assert_int_equal(ui_options_check(&s_words_prog, why, sizeof why), 0);
    ui_program_t p = s_words_prog;
    p.keeps_l = 0;
    assert_int_equal(ui_options_check(&p, why, sizeof why), -1);
    assert_non_null(strstr(why, "--log-level takes a built-in option's name or letter"));
}

/* ---- checking tables --------------------------------------------------------------------- */

static void test_option_table_check(void **state)
{
    (void)state;
    char why[400];
    assert_int_equal(ui_options_check(&s_prog, why, sizeof why), 0);

    ui_option_t opts[3];
    memcpy(opts, s_options, sizeof opts[0] * 2);
    opts[2] = s_options[4]; /* the end row */
    ui_program_t p = s_prog;
    p.options = opts;

    opts[1].name = "window";
    assert_int_equal(ui_options_check(&p, why, sizeof why), -1);
    assert_non_null(strstr(why, "--window is declared twice"));
    opts[1] = s_options[1];
    opts[1].letter = 'w';
    assert_int_equal(ui_options_check(&p, why, sizeof why), -1);
    assert_non_null(strstr(why, "--name repeats another option's letter"));
    opts[1].letter = 'h';
    assert_int_equal(ui_options_check(&p, why, sizeof why), -1);
    assert_non_null(strstr(why, "built-in"));
    opts[1] = s_options[1];
    opts[1].help.en = NULL;
    assert_int_equal(ui_options_check(&p, why, sizeof why), -1);
    assert_non_null(strstr(why, "no English text"));
    opts[1].help.en = "a name — with a dash";
    assert_int_equal(ui_options_check(&p, why, sizeof why), -1);
    assert_non_null(strstr(why, "ambiguous-width"));
    opts[1] = s_options[1];
    opts[1].set = NULL;
    assert_int_equal(ui_options_check(&p, why, sizeof why), -1);
    assert_non_null(strstr(why, "--name has no setter"));
}

static void test_text_table_check(void **state)
{
    (void)state;
    char why[400];
    ui_text_t texts[3] = {{"", ""}, {"%d 人", "%d waiting"}, {"窗口 %s", "window %s"}};
    ui_table_t t = {"t", texts, 3, 0};
    assert_int_equal(ui_table_check(&t, why, sizeof why), 0);
    texts[2].en = "window %d";
    assert_int_equal(ui_table_check(&t, why, sizeof why), -1);
    assert_non_null(strstr(why, "t: message 2 formats differ"));
    texts[2].en = NULL;
    assert_int_equal(ui_table_check(&t, why, sizeof why), -1);
    assert_non_null(strstr(why, "message 2 has no English text"));
    texts[2].en = "";
    assert_int_equal(ui_table_check(&t, why, sizeof why), -1);
    assert_non_null(strstr(why, "message 2 is empty in English"));
    texts[2] = (ui_text_t){"正在连接…", "connecting..."};
    assert_int_equal(ui_table_check(&t, why, sizeof why), -1);
    assert_non_null(strstr(why, "ambiguous-width …"));
    texts[2] = (ui_text_t){"“请”", "please"}; /* curly quotes: use 「」 in Chinese */
    assert_int_equal(ui_table_check(&t, why, sizeof why), -1);
    assert_non_null(strstr(why, "ambiguous-width “"));
    t.allow_ambiguous = 1;
    assert_int_equal(ui_table_check(&t, why, sizeof why), 0);
}

static void test_text_lookup_and_languages(void **state)
{
    (void)state;
    ui_text_t texts[3] = {{"", ""}, {"只有中文", NULL}, {NULL, NULL}};
    ui_table_t t = {"t", texts, 3, 0};
    assert_string_equal(ui_text(&t, 1, UI_LANG_EN), "只有中文"); /* falls back */
    assert_string_equal(ui_text(&t, 2, UI_LANG_ZH), "");
    assert_string_equal(ui_text(&t, 3, UI_LANG_ZH), "");
    assert_string_equal(ui_text(&t, -1, UI_LANG_ZH), "");
    assert_string_equal(ui_text(NULL, 1, UI_LANG_ZH), "");
    ui_lang_t l = UI_LANG_EN;
    assert_int_equal(ui_lang_parse("zh_CN.UTF-8", &l), 0);
    assert_int_equal(l, UI_LANG_ZH);
    assert_int_equal(ui_lang_parse("en", &l), 0);
    assert_int_equal(l, UI_LANG_EN);
    assert_int_equal(ui_lang_parse("fr", &l), -1);
    assert_int_equal(ui_lang_parse("", &l), -1);
    assert_int_equal(ui_lang_parse(NULL, &l), -1);
    assert_int_equal(l, UI_LANG_EN);
    assert_string_equal(ui_lang_name(UI_LANG_ZH), "zh");
}

/* ---- stop signals ------------------------------------------------------------------------- */

/* Every stop signal lands in the one flag, and the set hallqd blocks is the same four. */
static void test_stop_signals_set_the_flag(void **state)
{
    (void)state;
    hq_signals_catch();
    const int stops[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    sigset_t set;
    hq_signals_stop_set(&set);
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        hq_signal_stop = 0;
        assert_int_equal(raise(stops[i]), 0);
        assert_int_equal(hq_signal_stop, stops[i]);
        assert_int_equal(sigismember(&set, stops[i]), 1);
    }
    assert_int_equal(sigismember(&set, SIGPIPE), 0);
    assert_int_equal(raise(SIGPIPE), 0); /* ignored: a closed pipe is an error, not death */
    hq_signal_stop = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_form_of_an_option, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments_are_one_line_naming_them, s_setup,
                                        s_teardown),
        cmocka_unit_test_setup_teardown(test_environment_language, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_help_in_the_chosen_language, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_help_lines_line_up, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_help_and_version_win_over_errors, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_operands_and_a_programs_own_l, s_setup, s_teardown),
        cmocka_unit_test(test_option_table_check),
        cmocka_unit_test(test_text_table_check),
        cmocka_unit_test(test_text_lookup_and_languages),
        cmocka_unit_test(test_stop_signals_set_the_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
