/* The store: what is committed comes back exactly; what fails is rolled back; a foreign or
 * corrupt file is refused with a clear reason and left untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

static char s_dir[64];

static int s_setup(void **state)
{
    (void)state;
    strcpy(s_dir, "/tmp/hallq-store-XXXXXX");
    return mkdtemp(s_dir) ? 0 : -1;
}

static int s_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", s_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static hq_ticket_t s_ticket(int64_t id, const char *day, char prefix, int number)
{
    hq_ticket_t t;
    memset(&t, 0, sizeof t);
    t.id = id;
    strcpy(t.day, day);
    t.prefix = t.queue = prefix;
    t.number = number;
    hq_label_format(prefix, number, t.label, sizeof t.label);
    t.state = HQ_T_WAITING;
    t.issued_ms = 1000 * id;
    return t;
}

static void test_round_trip_and_numbering(void **state)
{
    (void)state;
    char why[256];
    hallq_config_t cfg;
    config_default(&cfg, why, sizeof why);
    store_t *st = store_open(s_dir, 1, why, sizeof why);
    assert_non_null(st);
    assert_int_equal(store_begin(st), 0);
    hq_ticket_t a = s_ticket(1, "2026-11-22", 'A', 1); /* yesterday, still waiting */
    hq_ticket_t b = s_ticket(2, "2026-11-23", 'A', 1);
    hq_ticket_t c = s_ticket(3, "2026-11-23", 'A', 2);
    c.state = HQ_T_CALLED;
    c.counter = 2;
    c.green = 1;
    strcpy(c.age_band, "70-79");
    strcpy(c.clerk, "李");
    strcpy(c.token, "kiosk1-000417");
    strcpy(c.device, "kiosk1");
    hq_ticket_t d = s_ticket(4, "2026-11-21", 'B', 5);
    d.state = HQ_T_FINISHED; /* closed and old: not loaded */
    assert_int_equal(store_put_ticket(st, &a), 0);
    assert_int_equal(store_put_ticket(st, &b), 0);
    assert_int_equal(store_put_ticket(st, &c), 0);
    assert_int_equal(store_put_ticket(st, &d), 0);
    hq_counter_t counter = {.id = 2, .current = 3, .since_ms = 7};
    strcpy(counter.clerk, "li");
    assert_int_equal(store_put_counter(st, &counter, 0), 0);
    assert_int_equal(store_append_event(st, 1, 5, "issued", "{}"), 0);
    assert_int_equal(store_append_event(st, 2, 6, "called", "{}"), 0);
    assert_int_equal(store_commit(st), 0);

    hall_t *hall = hall_new(&cfg);
    assert_int_equal(store_load(st, hall, "2026-11-23"), 0);
    assert_int_equal(hall_seq(hall), 2);
    assert_non_null(hall_ticket(hall, 1));
    assert_null(hall_ticket(hall, 4));
    const hq_ticket_t *back = hall_ticket(hall, 3);
    assert_non_null(back);
    assert_memory_equal(back, &c, sizeof c);
    const hq_counter_t *hc = hall_counter(hall, 2);
    assert_string_equal(hc->clerk, "li");
    assert_int_equal(hc->current, 3);
    assert_int_equal(hc->state, HQ_C_CALLING);
    /* numbering continues after A002; ids after 4 */
    hall_result_t r;
    hall_result_init(&r);
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = 'A';
    hall_handle(hall, &req, 99999, &r);
    assert_int_equal(r.ticket, 5);
    assert_string_equal(hall_ticket(hall, r.ticket)->label, "A003");
    hall_result_clear(&r);
    /* the stale ticket of yesterday expires */
    assert_int_equal(hall_rollover(hall, "2026-11-23", 99999, &r), 1);
    assert_int_equal(hall_ticket(hall, 1)->state, HQ_T_EXPIRED);
    hall_result_clear(&r);
    hall_destroy(&hall);
    store_close(&st);
    store_close(&st); /* safe twice */
    config_free(&cfg);
}

static void test_failed_write_rolls_back(void **state)
{
    (void)state;
    char why[256];
    store_t *st = store_open(s_dir, 1, why, sizeof why);
    assert_non_null(st);
    hq_ticket_t a = s_ticket(1, "2026-11-23", 'A', 1);
    hq_ticket_t b = s_ticket(2, "2026-11-23", 'A', 2);
    store_fail_after(st, 1);
    assert_int_equal(store_begin(st), 0);
    assert_int_equal(store_put_ticket(st, &a), 0);
    assert_int_equal(store_put_ticket(st, &b), -1);
    assert_string_equal(store_errmsg(st), "injected write failure");
    assert_int_equal(store_commit(st), -1);
    store_rollback(st);
    store_fail_after(st, -1);
    hallq_config_t cfg;
    config_default(&cfg, why, sizeof why);
    hall_t *hall = hall_new(&cfg);
    assert_int_equal(store_load(st, hall, "2026-11-23"), 0);
    assert_null(hall_ticket(hall, 1)); /* neither write survived */
    assert_int_equal(hall_ticket_count(hall), 0);
    hall_destroy(&hall);
    config_free(&cfg);
    store_close(&st);
}

static void s_write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void test_foreign_and_corrupt_files_refused(void **state)
{
    (void)state;
    char path[128], why[256], cmd[256];
    snprintf(path, sizeof path, "%s/hallq.db", s_dir);
    /* a database of some other program */
    snprintf(cmd, sizeof cmd, "sqlite3 %s 'CREATE TABLE payroll(x)'", path);
    assert_int_equal(system(cmd), 0);
    assert_null(store_open(s_dir, 1, why, sizeof why));
    assert_non_null(strstr(why, "not a hallq database"));
    /* garbage where the database should be */
    char junk[4096];
    memset(junk, 'x', sizeof junk);
    s_write_file(path, junk, sizeof junk);
    assert_null(store_open(s_dir, 1, why, sizeof why));
    assert_non_null(strstr(why, "hallq.db"));
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, sizeof junk); /* left as it was */
    /* a data "directory" that is a file */
    snprintf(path, sizeof path, "%s/plain", s_dir);
    s_write_file(path, "x", 1);
    assert_null(store_open(path, 1, why, sizeof why));
    assert_non_null(strstr(why, "is not a directory"));
}

/* What the sqlite3 shell prints for one query on the test database. */
static long s_query(const char *sql)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "sqlite3 %s/hallq.db \"%s\"", s_dir, sql);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    long v = -1;
    if (fscanf(p, "%ld", &v) != 1)
        v = -1;
    pclose(p);
    return v;
}

/* Schemas 1 and 2: the index on issued_ms goes, reason_code is added, and a row that kept only
 * the English words of its reason gets its code back from them. */
static void test_schema_1_is_migrated(void **state)
{
    (void)state;
    char why[256], cmd[512];
    store_t *st = store_open(s_dir, 1, why, sizeof why);
    assert_non_null(st);
    hq_ticket_t a = s_ticket(1, "2026-11-23", 'A', 1);
    assert_int_equal(store_begin(st), 0);
    assert_int_equal(store_put_ticket(st, &a), 0);
    assert_int_equal(store_commit(st), 0);
    store_close(&st);
    /* Back to what schema 1 looked like: its index on issued_ms, no reason_code column, a
     * called ticket's reason in words, user_version 1. */
    snprintf(cmd, sizeof cmd,
             "sqlite3 %s/hallq.db 'CREATE INDEX tickets_issued ON tickets(issued_ms);"
             " ALTER TABLE tickets DROP COLUMN reason_code;"
             " UPDATE tickets SET reason = \"normal waited 31 min\";"
             " PRAGMA user_version=1;'",
             s_dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(s_query("SELECT count(*) FROM sqlite_master WHERE name='tickets_issued'"), 1);

    st = store_open(s_dir, 1, why, sizeof why);
    assert_non_null(st);
    hallq_config_t cfg;
    config_default(&cfg, why, sizeof why);
    hall_t *h = hall_new(&cfg);
    assert_int_equal(store_load(st, h, "2026-11-23"), 0);
    assert_int_equal(hall_ticket_count(h), 1);
    assert_int_equal(hall_ticket(h, 1)->reason_code, HQ_REASON_MAX_WAIT);
    hall_destroy(&h);
    config_free(&cfg);
    store_close(&st);
    assert_int_equal(s_query("SELECT count(*) FROM sqlite_master WHERE name='tickets_issued'"), 0);
    assert_int_equal(s_query("PRAGMA user_version"), STORE_SCHEMA);
}

/* Schema 3: tickets gain the device that issued them; a ticket of before has none (""), and
 * new tickets keep theirs. */
static void test_schema_3_gains_the_device(void **state)
{
    (void)state;
    char why[256], cmd[512];
    store_t *st = store_open(s_dir, 1, why, sizeof why);
    assert_non_null(st);
    hq_ticket_t a = s_ticket(1, "2026-11-23", 'A', 1);
    strcpy(a.token, "kiosk1-1");
    assert_int_equal(store_begin(st), 0);
    assert_int_equal(store_put_ticket(st, &a), 0);
    assert_int_equal(store_commit(st), 0);
    store_close(&st);
    snprintf(cmd, sizeof cmd,
             "sqlite3 %s/hallq.db 'ALTER TABLE tickets DROP COLUMN device;"
             " PRAGMA user_version=3;'",
             s_dir);
    assert_int_equal(system(cmd), 0);
    const char *has = "SELECT count(*) FROM pragma_table_info('tickets') WHERE name='device'";
    assert_int_equal(s_query(has), 0);

    st = store_open(s_dir, 1, why, sizeof why);
    assert_non_null(st);
    assert_int_equal(s_query(has), 1);
    assert_int_equal(s_query("PRAGMA user_version"), STORE_SCHEMA);
    hq_ticket_t b = s_ticket(2, "2026-11-23", 'A', 2);
    strcpy(b.device, "kiosk2");
    assert_int_equal(store_begin(st), 0);
    assert_int_equal(store_put_ticket(st, &b), 0);
    assert_int_equal(store_commit(st), 0);
    hallq_config_t cfg;
    config_default(&cfg, why, sizeof why);
    hall_t *h = hall_new(&cfg);
    assert_int_equal(store_load(st, h, "2026-11-23"), 0);
    assert_string_equal(hall_ticket(h, 1)->device, "");
    assert_string_equal(hall_ticket(h, 1)->token, "kiosk1-1");
    assert_string_equal(hall_ticket(h, 2)->device, "kiosk2");
    hall_destroy(&h);
    config_free(&cfg);
    store_close(&st);
}

/* Schema 5: the open-ticket index listed the open states; schema 6 names the closed ones
 * (an upsert of a ticket then builds no temporary b-tree). The old index is replaced on open,
 * and a ticket left open on an older day is still loaded through the new one. */
static void test_schema_5_open_index_rebuilt(void **state)
{
    (void)state;
    char why[256], cmd[512];
    store_t *st = store_open(s_dir, 1, why, sizeof why);
    assert_non_null(st);
    hq_ticket_t old = s_ticket(1, "2026-11-21", 'A', 1); /* two days ago, still waiting */
    hq_ticket_t done = s_ticket(2, "2026-11-21", 'A', 2);
    done.state = HQ_T_FINISHED;
    hq_ticket_t last = s_ticket(3, "2026-11-22", 'A', 1); /* the day the hall was in */
    assert_int_equal(store_begin(st), 0);
    assert_int_equal(store_put_ticket(st, &old), 0);
    assert_int_equal(store_put_ticket(st, &done), 0);
    assert_int_equal(store_put_ticket(st, &last), 0);
    assert_int_equal(store_commit(st), 0);
    store_close(&st);
    snprintf(cmd, sizeof cmd,
             "sqlite3 %s/hallq.db \"DROP INDEX tickets_open; CREATE INDEX tickets_open ON"
             " tickets(state) WHERE state IN ('waiting','called','serving','parked','no_show');"
             " PRAGMA user_version=5;\"",
             s_dir);
    assert_int_equal(system(cmd), 0);
    const char *def = "SELECT count(*) FROM sqlite_master WHERE name='tickets_open'"
                      " AND sql LIKE '%NOT IN (''finished'',''expired'')'";
    assert_int_equal(s_query(def), 0);

    st = store_open(s_dir, 1, why, sizeof why);
    assert_non_null(st);
    assert_int_equal(s_query(def), 1);
    assert_int_equal(s_query("PRAGMA user_version"), STORE_SCHEMA);
    hallq_config_t cfg;
    config_default(&cfg, why, sizeof why);
    hall_t *h = hall_new(&cfg);
    assert_int_equal(store_load(st, h, "2026-11-23"), 0);
    assert_int_equal(hall_ticket_count(h), 2);
    assert_non_null(hall_ticket(h, 1));
    assert_null(hall_ticket(h, 2));
    assert_non_null(hall_ticket(h, 3));
    hall_destroy(&h);
    config_free(&cfg);
    store_close(&st);
}

/* Schema 7: bookings kept no idempotency token; schema 8 adds the column, and the bookings
 * already made stay as they were, without one. */
static void test_schema_7_bookings_gain_a_token(void **state)
{
    (void)state;
    char why[256], cmd[768];
    store_t *st = store_open(s_dir, 1, why, sizeof why);
    assert_non_null(st);
    store_close(&st);
    snprintf(cmd, sizeof cmd,
             "sqlite3 %s/hallq.db \"INSERT INTO bookings(id, code, queue, day, slot, person, state,"
             " booked_ms) VALUES(1, 'ACDEFH', 'A', '2026-11-23', 600, 'p', 'booked', 0);"
             " ALTER TABLE bookings DROP COLUMN token; PRAGMA user_version=7;\"",
             s_dir);
    assert_int_equal(system(cmd), 0);
    const char *has = "SELECT count(*) FROM pragma_table_info('bookings') WHERE name='token'";
    assert_int_equal(s_query(has), 0);

    st = store_open(s_dir, 1, why, sizeof why);
    assert_non_null(st);
    assert_int_equal(s_query(has), 1);
    assert_int_equal(s_query("PRAGMA user_version"), STORE_SCHEMA);
    assert_int_equal(s_query("SELECT count(*) FROM bookings WHERE code = 'ACDEFH'"
                             " AND token IS NULL"),
                     1);
    store_close(&st);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, s_setup, s_teardown)
    const struct CMUnitTest tests[] = {
        T(test_round_trip_and_numbering),          T(test_failed_write_rolls_back),
        T(test_foreign_and_corrupt_files_refused), T(test_schema_1_is_migrated),
        T(test_schema_3_gains_the_device),         T(test_schema_5_open_index_rebuilt),
        T(test_schema_7_bookings_gain_a_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
