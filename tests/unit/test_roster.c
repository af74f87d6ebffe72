/* The clerk roster (lib/hallq/roster.h) on a temporary folder: names and PINs, the file
 * written and read back, the refusals' words, and a file that cannot be trusted. Each PIN
 * set or checked costs one yescrypt hash (about 30 ms), so the cases use few. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "roster.h"

static char s_dir[64];
static char s_path[128];

static int s_setup(void **state)
{
    (void)state;
    strcpy(s_dir, "/tmp/hallq-roster-XXXXXX");
    if (!mkdtemp(s_dir))
        return -1;
    snprintf(s_path, sizeof s_path, "%s/%s", s_dir, ROSTER_FILE);
    return 0;
}

static int s_teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s'; rm -rf '%s'", s_dir, s_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A roster read from the file as the daemon reads it. */
static roster_t *s_read(int *rc, char *why, size_t whylen)
{
    roster_t *r = roster_new(s_path);
    assert_non_null(r);
    why[0] = '\0';
    *rc = roster_refresh(r, why, whylen);
    return r;
}

static void s_write(const char *text, mode_t mode)
{
    FILE *f = fopen(s_path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(s_path, mode), 0);
}

static void test_names_and_pins(void **state)
{
    (void)state;
    char why[160];
    assert_int_equal(roster_name_valid("wang", why, sizeof why), 0);
    assert_int_equal(roster_name_valid("李四", why, sizeof why), 0);
    assert_int_equal(roster_name_valid("", why, sizeof why), -1);
    assert_int_equal(roster_name_valid("a:b", why, sizeof why), -1);
    assert_int_equal(roster_name_valid("#x", why, sizeof why), -1);
    assert_int_equal(roster_name_valid("a\033[2Jb", why, sizeof why), -1);
    assert_int_equal(roster_name_valid("0123456789012345678901234567890", why, sizeof why), 0);
    assert_int_equal(roster_name_valid("01234567890123456789012345678901", why, sizeof why), -1);
    assert_int_equal(roster_pin_valid("1234", why, sizeof why), 0);
    assert_int_equal(roster_pin_valid("123456789012", why, sizeof why), 0);
    assert_int_equal(roster_pin_valid("123", why, sizeof why), -1);
    assert_string_equal(why, "a PIN is 4 to 12 digits");
    assert_int_equal(roster_pin_valid("1234567890123", why, sizeof why), -1);
    assert_int_equal(roster_pin_valid("12a4", why, sizeof why), -1);
    assert_int_equal(roster_pin_valid("", why, sizeof why), -1);
}

/* No file: no roster, and anyone logs in, with or without a PIN. */
static void test_no_file_no_roster(void **state)
{
    (void)state;
    char why[200];
    int rc;
    roster_t *r = s_read(&rc, why, sizeof why);
    assert_int_equal(rc, 1);
    assert_int_equal(roster_refresh(r, why, sizeof why), 0); /* nothing changed */
    assert_false(roster_active(r));
    assert_int_equal(roster_check(r, "anyone", NULL, why, sizeof why), 0);
    assert_int_equal(roster_check(r, "anyone", "9999", why, sizeof why), 0);
    assert_int_equal(roster_check(NULL, "anyone", NULL, why, sizeof why), 0);
    roster_destroy(&r);
    roster_destroy(&r); /* safe twice */
}

static void test_written_read_and_checked(void **state)
{
    (void)state;
    char why[200];
    int rc;
    roster_t *w = s_read(&rc, why, sizeof why);
    assert_int_equal(roster_set(w, "wang", "2468", why, sizeof why), 0);
    assert_int_equal(roster_set(w, "李四", "13579", why, sizeof why), 0);
    assert_int_equal(roster_set(w, "bad", "12", why, sizeof why), -1);
    assert_int_equal(roster_save(w, why, sizeof why), 0);
    struct stat sb;
    assert_int_equal(stat(s_path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* Only hashes reach the file. */
    char text[1024] = "";
    FILE *f = fopen(s_path, "r");
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    assert_non_null(strstr(text, "\nwang:$y$"));
    assert_null(strstr(text, "2468"));
    assert_null(strstr(text, "13579"));

    roster_t *r = s_read(&rc, why, sizeof why);
    assert_int_equal(rc, 1);
    assert_true(roster_active(r));
    assert_int_equal(roster_count(r), 2);
    assert_string_equal(roster_name(r, 0), "wang");
    assert_string_equal(roster_name(r, 1), "李四");
    assert_null(roster_name(r, 2));
    assert_int_equal(roster_check(r, "wang", "2468", why, sizeof why), 0);
    assert_int_equal(roster_check(r, "李四", "13579", why, sizeof why), 0);
    assert_int_equal(roster_check(r, "wang", "13579", why, sizeof why), -1);
    assert_string_equal(why, "wrong PIN for clerk wang");
    assert_int_equal(roster_check(r, "wang", "", why, sizeof why), -1);
    assert_string_equal(why, "a PIN is needed for clerk wang (the hall has a clerk roster)");
    assert_int_equal(roster_check(r, "wang", NULL, why, sizeof why), -1);
    assert_int_equal(roster_check(r, "zhao", "2468", why, sizeof why), -1);
    assert_string_equal(why, "clerk zhao is not on the hall's roster");

    /* Changed by another writer: the next refresh reads it again. */
    assert_int_equal(roster_set(w, "wang", "1111", why, sizeof why), 0);
    assert_int_equal(roster_remove(w, "李四"), 0);
    assert_int_equal(roster_remove(w, "李四"), -1);
    assert_int_equal(roster_save(w, why, sizeof why), 0);
    assert_int_equal(roster_refresh(r, why, sizeof why), 1);
    assert_int_equal(roster_count(r), 1);
    assert_int_equal(roster_check(r, "wang", "2468", why, sizeof why), -1);
    assert_int_equal(roster_check(r, "wang", "1111", why, sizeof why), 0);
    /* Everyone taken off: no roster any more. */
    assert_int_equal(roster_remove(w, "wang"), 0);
    assert_int_equal(roster_save(w, why, sizeof why), 0);
    assert_int_equal(roster_refresh(r, why, sizeof why), 1);
    assert_false(roster_active(r));
    assert_int_equal(roster_check(r, "zhao", NULL, why, sizeof why), 0);
    roster_destroy(&r);
    roster_destroy(&w);
}

/* A file others may read or write, or in a folder others may write, or not a roster at all:
 * refused with the path and the problem, and no login passes until it is fixed. */
static void test_untrusted_file_refuses_every_login(void **state)
{
    (void)state;
    char why[300];
    int rc;
    roster_t *w = s_read(&rc, why, sizeof why);
    assert_int_equal(roster_set(w, "wang", "2468", why, sizeof why), 0);
    assert_int_equal(roster_save(w, why, sizeof why), 0);
    roster_t *r = s_read(&rc, why, sizeof why);
    assert_int_equal(rc, 1);

    assert_int_equal(chmod(s_path, 0644), 0);
    assert_int_equal(roster_refresh(r, why, sizeof why), -1);
    char want[300];
    snprintf(want, sizeof want, "%s is readable by others (mode 644): chmod 600 it", s_path);
    assert_string_equal(why, want);
    assert_true(roster_active(r));
    assert_int_equal(roster_check(r, "wang", "2468", why, sizeof why), -1);
    assert_non_null(strstr(why, "the clerk roster cannot be used"));
    assert_int_equal(roster_refresh(r, why, sizeof why), 0); /* said once, not at every look */
    assert_int_equal(chmod(s_path, 0600), 0);
    assert_int_equal(roster_refresh(r, why, sizeof why), 1);
    assert_int_equal(roster_check(r, "wang", "2468", why, sizeof why), 0);

    assert_int_equal(chmod(s_path, 0620), 0);
    assert_int_equal(roster_refresh(r, why, sizeof why), -1);
    assert_non_null(strstr(why, "is writable by group or others (mode 620): chmod 600 it"));
    assert_int_equal(chmod(s_path, 0600), 0);
    assert_int_equal(chmod(s_dir, 0777), 0);
    assert_int_equal(roster_refresh(r, why, sizeof why), -1);
    snprintf(want, sizeof want, "%s is writable by group or others (mode 777): chmod go-w it",
             s_dir);
    assert_string_equal(why, want);
    assert_int_equal(chmod(s_dir, 0700), 0); /* the folder's change is seen too */
    assert_int_equal(roster_refresh(r, why, sizeof why), 1);
    assert_int_equal(roster_check(r, "wang", "2468", why, sizeof why), 0);

    s_write("wang:$y$abc\nlisi\n", 0600);
    assert_int_equal(roster_refresh(r, why, sizeof why), -1);
    snprintf(want, sizeof want, "%s:2: not NAME:HASH", s_path);
    assert_string_equal(why, want);
    assert_int_equal(roster_check(r, "wang", "2468", why, sizeof why), -1);
    s_write("# comment\n\nwang:$y$abc\nwang:$y$def\n", 0600);
    assert_int_equal(roster_refresh(r, why, sizeof why), -1);
    assert_non_null(strstr(why, ":4: clerk wang is listed twice"));
    s_write("wang:plain-text-pin\n", 0600);
    assert_int_equal(roster_refresh(r, why, sizeof why), -1);
    assert_non_null(strstr(why, ":1: the PIN hash is not a crypt(3) hash"));
    /* A broken roster is not written over: what is wrong must be seen first. */
    assert_int_equal(roster_save(r, why, sizeof why), -1);

    /* A link is not followed: whoever made it chose what it points to. */
    char target[160];
    snprintf(target, sizeof target, "%s/elsewhere", s_dir);
    assert_int_equal(rename(s_path, target), 0);
    assert_int_equal(symlink(target, s_path), 0);
    assert_int_equal(roster_refresh(r, why, sizeof why), -1);
    assert_non_null(strstr(why, s_path));
    roster_destroy(&r);
    roster_destroy(&w);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, s_setup, s_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_pins),
        T(test_no_file_no_roster),
        T(test_written_read_and_checked),
        T(test_untrusted_file_refuses_every_login),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
