/* lib/ui's curses skeleton, the parts that need no terminal: the checks that come before
 * curses (each refusal one line, with the program's hint), and stderr kept off the screen
 * and put back. The screen itself is exercised by the programs' tmux tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ui_curses.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_checks_before_curses(void **state)
{
    (void)state;
    char why[300];
    unsetenv("TERM");
    assert_int_equal(ui_curses_check(NULL, why, sizeof why), -1);
    assert_true(strncmp(why, "TERM is not set", 15) == 0);
    assert_null(strchr(why, '\n'));
    setenv("TERM", "", 1);
    assert_int_equal(ui_curses_check("or use --say", why, sizeof why), -1);
    assert_non_null(strstr(why, "TERM is not set"));
    assert_non_null(strstr(why, "; or use --say"));
    /* Standard input is no terminal under ctest. */
    setenv("TERM", "xterm-256color", 1);
    int in = dup(STDIN_FILENO);
    int null = open("/dev/null", O_RDONLY);
    assert_true(in >= 0 && null >= 0);
    dup2(null, STDIN_FILENO);
    assert_int_equal(ui_curses_check("or give --queue", why, sizeof why), -1);
    assert_string_equal(why, "standard input and output must be a terminal; or give --queue");
    /* In the language the program sets: the clerk's, for the clerk terminal. */
    ui_curses_lang(UI_LANG_ZH);
    assert_int_equal(ui_curses_check(NULL, why, sizeof why), -1);
    assert_string_equal(why, "标准输入和输出必须是终端");
    ui_curses_lang(UI_LANG_EN);
    dup2(in, STDIN_FILENO);
    close(in);
    close(null);
    assert_false(ui_curses_active());
    assert_false(ui_curses_colours());
    int cols = 0, rows = 0;
    ui_curses_size(&cols, &rows);
    assert_true(cols > 0 && rows > 0);
}

static void test_stderr_goes_to_the_log_and_back(void **state)
{
    (void)state;
    char dir[] = "/tmp/hallq-ui-curses.XXXXXX", path[300], why[300];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/log", dir);
    assert_int_equal(ui_curses_stderr(), STDERR_FILENO);
    snprintf(why, sizeof why, "%s/missing/log", dir);
    char bad[300];
    assert_int_equal(ui_curses_log_to(why, bad, sizeof bad), -1);
    assert_non_null(strstr(bad, "cannot open log"));

    struct stat before;
    assert_int_equal(fstat(STDERR_FILENO, &before), 0);
    assert_int_equal(ui_curses_log_to(path, why, sizeof why), 0);
    assert_int_not_equal(ui_curses_stderr(), STDERR_FILENO);
    fprintf(stderr, "into the log\n");
    fflush(stderr);
    ui_curses_close(); /* no screen was opened: stderr alone comes back */
    ui_curses_close(); /* twice is harmless */
    assert_int_equal(ui_curses_stderr(), STDERR_FILENO);
    struct stat after;
    assert_int_equal(fstat(STDERR_FILENO, &after), 0);
    assert_true(before.st_ino == after.st_ino && before.st_dev == after.st_dev);

    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[64] = "";
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_string_equal(line, "into the log\n");
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checks_before_curses),
        cmocka_unit_test(test_stderr_goes_to_the_log_and_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
