/* stats_db_unit: the reader of the hall's database counts each ticket by the configuration
 * hallqd recorded as in force when it was issued: the handling target, the hall's name and
 * its time zone of that day, not today's; a configuration given instead overrides them all;
 * a database without records counts by the embedded default. The database is built here
 * with SQLite, in the daemon's layout (server/store.c), schema 2 (no reason codes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config_record.h"
#include "hq_db.h"
#include "stats.h"

/* 2026-11-23 09:00 in Shanghai (UTC+8) and 2026-11-24 09:00 in Tokyo (UTC+9). */
#define S_DAY1_9H 1795395600000LL
#define S_DAY2_9H 1795478400000LL
#define S_MIN 60000LL

static char s_dir[64];

static void s_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
}

static void s_record(sqlite3 *db, int64_t since_ms, const char *day, const char *conf)
{
    hallq_config_t cfg;
    char why[256];
    assert_int_equal(config_default(&cfg, why, sizeof why), 0);
    assert_int_equal(config_load_text(&cfg, conf, "hall.conf", why, sizeof why), 0);
    char *text = config_record_text(&cfg);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO config(since_ms, day, body) VALUES(?,?,?)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, since_ms);
    sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    free(text);
    config_free(&cfg);
}

/* A finished instant ticket of queue A issued at `issued`, called a minute later and handled
 * for `handling` milliseconds. */
static void s_ticket(sqlite3 *db, int id, const char *day, int64_t issued, int64_t handling)
{
    char sql[512];
    int64_t called = issued + S_MIN;
    snprintf(sql, sizeof sql,
             "INSERT INTO tickets(id, day, prefix, number, label, queue, service, green, state,"
             " issued_ms, called_ms, last_called_ms, started_ms, finished_ms, park_total_ms,"
             " calls, counter, clerk, reason, transfers) VALUES(%d, '%s', 'A', %d, 'A%03d', 'A',"
             " 1, 0, 'finished', %lld, %lld, %lld, %lld, %lld, 0, 1, 1, 'wang', 'oldest', 0)",
             id, day, id, id, (long long)issued, (long long)called, (long long)called,
             (long long)called, (long long)(called + handling));
    s_exec(db, sql);
}

static int s_setup(void **state)
{
    (void)state;
    snprintf(s_dir, sizeof s_dir, "/tmp/hallq-statsdb.XXXXXX");
    assert_non_null(mkdtemp(s_dir));
    char path[128];
    snprintf(path, sizeof path, "%s/%s", s_dir, STORE_FILE);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char pragmas[128];
    snprintf(pragmas, sizeof pragmas, "PRAGMA application_id=%d; PRAGMA user_version=2;",
             STORE_APPLICATION_ID);
    s_exec(db, pragmas);
    s_exec(db, "CREATE TABLE tickets(id INTEGER PRIMARY KEY, day TEXT NOT NULL, prefix TEXT NOT"
               " NULL, number INTEGER NOT NULL, label TEXT NOT NULL, queue TEXT NOT NULL, service"
               " INTEGER, green INTEGER NOT NULL, age_band TEXT, state TEXT NOT NULL, issued_ms"
               " INTEGER NOT NULL, called_ms INTEGER, last_called_ms INTEGER, started_ms INTEGER,"
               " finished_ms INTEGER, parked_ms INTEGER, park_total_ms INTEGER NOT NULL DEFAULT"
               " 0, calls INTEGER NOT NULL DEFAULT 0, counter INTEGER, clerk TEXT, reason TEXT,"
               " rating INTEGER, transfers INTEGER NOT NULL DEFAULT 0, token TEXT,"
               " UNIQUE(day, prefix, number));"
               "CREATE TABLE metrics(id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, day TEXT NOT"
               " NULL, scope TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL, avg_ms"
               " INTEGER NOT NULL, within INTEGER NOT NULL, max_ms INTEGER NOT NULL, target_ms"
               " INTEGER NOT NULL, above INTEGER NOT NULL);"
               "CREATE TABLE config(id INTEGER PRIMARY KEY, since_ms INTEGER NOT NULL, day TEXT"
               " NOT NULL, body TEXT NOT NULL);");
    /* Day 1: the hall set a 1-minute target; day 2 it restarted with another name, the
     * default 10 minutes and another time zone. */
    s_record(db, S_DAY1_9H - 30 * S_MIN, "2026-11-23",
             "[hall]\nname = 甲镇医保服务站\n[rules]\nhandling_target_min = 1\n");
    s_record(db, S_DAY2_9H - 30 * S_MIN, "2026-11-24",
             "[hall]\nname = 乙镇医保服务站\ntimezone = Asia/Tokyo\n");
    s_ticket(db, 1, "2026-11-23", S_DAY1_9H, 30000);
    s_ticket(db, 2, "2026-11-23", S_DAY1_9H + 5 * S_MIN, 2 * S_MIN);
    s_ticket(db, 3, "2026-11-24", S_DAY2_9H, 2 * S_MIN);
    s_ticket(db, 4, "2026-11-24", S_DAY2_9H + 5 * S_MIN, 5 * S_MIN);
    sqlite3_close(db);
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    return 0;
}

static int s_teardown(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/%s", s_dir, STORE_FILE);
    unlink(path);
    rmdir(s_dir);
    return 0;
}

static stats_db_t *s_open(void)
{
    char why[512];
    stats_db_t *db = stats_db_open(s_dir, why, sizeof why);
    if (!db)
        fail_msg("%s", why);
    return db;
}

static void s_by_day(stats_db_t *db, stats_group_t **g, size_t *n)
{
    char why[512];
    stats_hist_t *h = stats_db_load(db, NULL, NULL, why, sizeof why);
    assert_non_null(h);
    assert_int_equal(stats_group(h, STATS_BY_DAY, g, n), 0);
    stats_hist_destroy(&h);
}

static void test_each_day_by_its_own(void **state)
{
    (void)state;
    stats_db_t *db = s_open();
    char why[512];
    assert_int_equal(stats_db_set_config(db, NULL, why, sizeof why), 2);
    /* Labels: the configuration in force at the end of each day. */
    assert_string_equal(stats_db_config(db, "2026-11-23")->hall_name, "甲镇医保服务站");
    assert_string_equal(stats_db_config(db, "2026-11-24")->hall_name, "乙镇医保服务站");
    assert_string_equal(stats_db_config(db, "2026-11-01")->hall_name, "甲镇医保服务站");
    assert_string_equal(stats_db_config(db, NULL)->hall_name, "乙镇医保服务站");
    assert_string_equal(stats_db_period_config(db, "2026-11-23")->hall_name, "甲镇医保服务站");
    assert_int_equal(stats_db_period_config(db, NULL)->handling_target_min, 10);

    /* Day 1 counts by its 1-minute target (30 s in, 2 min out: 50 %), day 2 by 10 minutes. */
    stats_group_t *g;
    size_t n;
    s_by_day(db, &g, &n);
    assert_int_equal(n, 2);
    assert_int_equal(g[0].instant.n, 2);
    assert_int_equal(g[0].instant_within, 1);
    assert_int_equal(g[1].instant_within, 2);
    free(g);

    /* Each ticket's local hour in the zone it was issued under: 09 in Shanghai and 09 in
     * Tokyo are one hour of the day; the caller's zone is back after. */
    char hist_why[512];
    stats_hist_t *h = stats_db_load(db, NULL, NULL, hist_why, sizeof hist_why);
    assert_int_equal(stats_group(h, STATS_BY_HOUR, &g, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(g[0].key, "09");
    assert_int_equal(g[0].issued, 4);
    free(g);
    stats_hist_destroy(&h);
    assert_string_equal(getenv("TZ"), "Asia/Shanghai");

    /* The period of day 1 alone is labelled with day 1's target. */
    h = stats_db_load(db, "2026-11-23", "2026-11-23", hist_why, sizeof hist_why);
    assert_int_equal(stats_hist_target_ms(h), S_MIN);
    stats_hist_destroy(&h);
    stats_db_close(&db);
}

typedef struct {
    int n;
    const char *names[4];
    hq_reason_t codes[4];
} s_seen_t;

static int s_record_seen(const stats_record_t *r, void *arg)
{
    s_seen_t *seen = arg;
    seen->names[seen->n] = r->cfg->hall_name;
    seen->codes[seen->n] = r->reason_code;
    seen->n++;
    return 0;
}

static void test_records_carry_their_config(void **state)
{
    (void)state;
    stats_db_t *db = s_open();
    char why[512];
    assert_int_equal(stats_db_set_config(db, NULL, why, sizeof why), 2);
    s_seen_t seen = {0};
    assert_int_equal(stats_db_records(db, NULL, NULL, s_record_seen, &seen, why, sizeof why), 0);
    assert_int_equal(seen.n, 4);
    assert_string_equal(seen.names[1], "甲镇医保服务站");
    assert_string_equal(seen.names[2], "乙镇医保服务站");
    /* Schema 2 has no reason codes: they are read from the daemon's words. */
    assert_int_equal(seen.codes[0], HQ_REASON_OLDEST);
    stats_db_close(&db);
}

static void test_override_and_none(void **state)
{
    (void)state;
    stats_db_t *db = s_open();
    hallq_config_t file;
    char why[512];
    assert_int_equal(config_default(&file, why, sizeof why), 0);
    assert_int_equal(
        config_load_text(&file, "[rules]\nhandling_target_min = 3\n", "f.conf", why, sizeof why),
        0);
    /* --config: every ticket by the file, whatever was recorded. */
    assert_int_equal(stats_db_set_config(db, &file, why, sizeof why), 0);
    assert_ptr_equal(stats_db_config(db, "2026-11-23"), &file);
    stats_group_t *g;
    size_t n;
    s_by_day(db, &g, &n);
    assert_int_equal(g[0].instant_within, 2); /* 30 s and 2 min against 3 */
    assert_int_equal(g[1].instant_within, 1); /* 2 and 5 min */
    free(g);
    stats_db_close(&db);
    config_free(&file);

    /* Before stats_db_set_config (and for a database without records): the default. */
    db = s_open();
    assert_string_equal(stats_db_config(db, NULL)->hall_name, "医保服务大厅");
    s_by_day(db, &g, &n);
    assert_int_equal(g[0].instant_within, 2);
    free(g);
    stats_db_close(&db);
}

static void test_damaged_record(void **state)
{
    (void)state;
    char path[128], why[512];
    snprintf(path, sizeof path, "%s/%s", s_dir, STORE_FILE);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    s_exec(raw,
           "INSERT INTO config(since_ms, day, body) VALUES(1, '2026-12-01', '{\"version\": 9}')");
    sqlite3_close(raw);
    stats_db_t *db = s_open();
    assert_int_equal(stats_db_set_config(db, NULL, why, sizeof why), -1);
    assert_non_null(strstr(why, "2026-12-01"));
    assert_non_null(strstr(why, "--config"));
    stats_db_close(&db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_day_by_its_own),
        cmocka_unit_test(test_records_carry_their_config),
        cmocka_unit_test(test_override_and_none),
        cmocka_unit_test(test_damaged_record),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
