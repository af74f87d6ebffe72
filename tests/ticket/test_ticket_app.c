/* Tests of hallq-ticket's parts below the kiosk screen: catalog reading, the kept ticket
 * (record and state file), the local green-lane decision from an ID number, options and
 * outputs (file, device, TCP, timeouts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog.h"
#include "greenlane.h"
#include "options.h"
#include "output.h"
#include "record.h"
#include "ticketing.h"
#include "ui_exit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *s_catalog_json =
    "{\"v\":1,\"type\":\"catalog\",\"ok\":true,\"id\":\"c1\","
    "\"hall\":{\"name\":\"医保服务大厅\",\"notice\":\"请按叫号顺序\","
    "\"ticket_footer\":\"当日有效，过号请到服务台\",\"timezone\":\"Asia/Shanghai\"},"
    "\"rules\":{\"elderly_age\":60,\"green_max_in_row\":3},"
    "\"queues\":[{\"prefix\":\"A\",\"name\":\"参保登记与变更\",\"instant\":true},"
    "{\"prefix\":\"B\",\"name\":\"参保查询与参保凭证\",\"instant\":true}],"
    "\"services\":[{\"no\":1,\"queue\":\"A\",\"main_item\":\"基本医疗保险参保和变更登记\","
    "\"sub_item\":\"单位参保登记\",\"materials\":[\"统一社会信用代码证书\",\"登记表\"]},"
    "{\"no\":3,\"queue\":\"A\",\"main_item\":\"基本医疗保险参保和变更登记\","
    "\"sub_item\":\"城乡居民参保登记\",\"materials\":[\"有效身份证件\"]},"
    "{\"no\":21,\"queue\":\"A\",\"main_item\":\"基本医疗保险参保和变更登记\","
    "\"sub_item\":\"城乡居民参保登记\",\"materials\":[\"有效身份证件\"]}],"
    "\"counters\":[{\"id\":1,\"queues\":\"AB\"}]}";

/* 2026-11-23 09:41:00 in Shanghai is 01:41:00 UTC. */
#define S_ISSUED_MS 1795398060000LL

static const char *s_issue_json =
    "{\"v\":1,\"type\":\"issue\",\"ok\":true,\"id\":\"x\",\"ticket\":{\"id\":42,"
    "\"day\":\"2026-11-23\",\"label\":\"A007\",\"prefix\":\"A\",\"number\":7,\"queue\":\"A\","
    "\"service\":3,\"lane\":\"green\",\"age_band\":null,\"state\":\"waiting\","
    "\"issued_ms\":1795398060000,\"called_ms\":null,\"last_called_ms\":null,"
    "\"started_ms\":null,\"finished_ms\":null,\"parked_ms\":null,\"park_total_ms\":0,"
    "\"calls\":0,\"counter\":null,\"clerk\":null,\"reason\":null,\"rating\":null,"
    "\"transfers\":0},\"ahead\":3,\"est_wait_ms\":720000,\"queue_name\":\"参保登记与变更\","
    "\"service_name\":\"城乡居民参保登记\"}";

static json_t *s_load(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    if (!j)
        fail_msg("fixture JSON: %s", err.text);
    return j;
}

static void s_catalog(catalog_t *cat)
{
    char why[256];
    json_t *j = s_load(s_catalog_json);
    assert_int_equal(catalog_from_json(j, cat, why, sizeof why), 0);
    json_decref(j); /* the catalog holds its own reference */
}

static char *s_tmpdir(void)
{
    char tmpl[] = "/tmp/hallq-ticket-test-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

/* ---- catalog ---------------------------------------------------------------------------- */

static void test_catalog(void **state)
{
    (void)state;
    catalog_t cat;
    s_catalog(&cat);
    assert_string_equal(cat.hall_name, "医保服务大厅");
    assert_string_equal(cat.timezone, "Asia/Shanghai");
    assert_int_equal(cat.elderly_age, 60);
    assert_int_equal(cat.nqueues, 2);
    assert_string_equal(catalog_queue(&cat, 'B')->name, "参保查询与参保凭证");
    assert_null(catalog_queue(&cat, 'C'));
    const catalog_service_t *svc[4];
    /* No. 21 repeats no. 3 for another administrative level: offered once. */
    assert_int_equal(catalog_services_of(&cat, 'A', svc, 4), 2);
    assert_int_equal(svc[1]->no, 3);
    assert_int_equal(catalog_service(&cat, 21)->no, 21);
    assert_int_equal(svc[0]->nmaterials, 2);
    assert_string_equal(svc[0]->materials[1], "登记表");
    assert_int_equal(catalog_services_of(&cat, 'B', svc, 4), 0);
    assert_null(catalog_service(&cat, 2));
    catalog_clear(&cat);
    catalog_clear(&cat); /* safe twice */
}

static void test_catalog_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "[]",
        "{\"queues\":[]}",
        "{\"queues\":[{\"prefix\":\"AB\"}]}",
        "{\"queues\":[{\"prefix\":\"a\"}]}",
        "{\"queues\":[{\"prefix\":\"A\"}],\"services\":{}}",
        "{\"queues\":[{\"prefix\":\"A\"}],\"services\":[{\"no\":0,\"queue\":\"A\"}]}",
        "{\"queues\":[{\"prefix\":\"A\"}],\"rules\":{\"elderly_age\":-3}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        catalog_t cat;
        char why[256] = "";
        json_t *j = s_load(bad[i]);
        if (catalog_from_json(j, &cat, why, sizeof why) != -1)
            fail_msg("catalog %s was accepted", bad[i]);
        assert_true(why[0] != '\0');
        json_decref(j);
    }
    /* No rules: the design's age of 60. */
    catalog_t cat;
    char why[256];
    json_t *j = s_load("{\"queues\":[{\"prefix\":\"A\",\"name\":\"x\"}]}");
    assert_int_equal(catalog_from_json(j, &cat, why, sizeof why), 0);
    assert_int_equal(cat.elderly_age, 60);
    assert_string_equal(cat.hall_name, "");
    catalog_clear(&cat);
    json_decref(j);
}

/* ---- record and state file ---------------------------------------------------------------- */

static json_t *s_record(void)
{
    catalog_t cat;
    s_catalog(&cat);
    json_t *reply = s_load(s_issue_json);
    json_t *record = record_new(reply, &cat);
    assert_non_null(record);
    json_decref(reply);
    catalog_clear(&cat); /* the record must not point into the catalog */
    return record;
}

static void test_record_facts(void **state)
{
    (void)state;
    json_t *record = s_record();
    record_info_t info;
    char why[256];
    assert_int_equal(record_info(record, &info, why, sizeof why), 0);
    assert_string_equal(info.ticket.label, "A007");
    assert_true(info.ticket.green);
    assert_int_equal(info.ahead, 3);
    assert_int_equal(info.est_wait_min, 12);
    assert_string_equal(info.timezone, "Asia/Shanghai");

    /* A POSIX zone string: no tzdata needed for the test. */
    assert_int_equal(ticketing_use_timezone("CST-8"), 0);
    record_print_t rp;
    assert_int_equal(record_facts(record, UI_LANG_ZH, 80, 0, &rp, why, sizeof why), 0);
    assert_string_equal(rp.facts.label, "A007");
    assert_string_equal(rp.facts.hall_name, "医保服务大厅");
    assert_string_equal(rp.facts.queue_name, "参保登记与变更");
    assert_string_equal(rp.facts.service_name, "城乡居民参保登记");
    assert_string_equal(rp.facts.issued_at, "2026-11-23 09:41");
    assert_string_equal(rp.facts.qr_payload, "hallq:2026-11-23:A007:42");
    assert_int_equal(rp.facts.nmaterials, 1);
    assert_string_equal(rp.facts.materials[0], "有效身份证件");
    assert_string_equal(rp.facts.footer, "当日有效，过号请到服务台");
    assert_int_equal(rp.facts.paper_mm, 80);
    assert_true(rp.facts.green);
    assert_false(rp.facts.reprint);
    /* English keeps the English default footer; a reprint is marked. */
    assert_int_equal(record_facts(record, UI_LANG_EN, 58, 1, &rp, why, sizeof why), 0);
    assert_null(rp.facts.footer);
    assert_true(rp.facts.reprint);
    json_decref(record);

    /* A hall with hallq-web: the QR opens the ticket's progress page. */
    catalog_t cat;
    s_catalog(&cat);
    cat.web_base_url = "http://192.168.1.10:8080";
    json_t *reply = s_load(s_issue_json);
    json_object_set_new(reply, "web_token", json_string("q2hVd3lHY0Rtb1pRb2pWdw"));
    record = record_new(reply, &cat);
    json_decref(reply);
    assert_int_equal(record_facts(record, UI_LANG_ZH, 80, 0, &rp, why, sizeof why), 0);
    assert_string_equal(rp.facts.qr_payload, "http://192.168.1.10:8080/t/q2hVd3lHY0Rtb1pRb2pWdw");
    json_decref(record);

    /* An error reply or one without a ticket makes no record. */
    reply = s_load("{\"ok\":true,\"type\":\"issue\",\"ticket\":{\"label\":\"A1\"}}");
    assert_null(record_new(reply, &cat));
    json_decref(reply);
    catalog_clear(&cat);
}

static void test_state_file(void **state)
{
    (void)state;
    char *dir = s_tmpdir();
    char sub[512], path[600], why[512];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    assert_int_equal(record_state_path(sub, path, sizeof path), 0);
    assert_non_null(strstr(path, "/a/b/last-ticket.json"));

    json_t *missing = record_load(path, why, sizeof why);
    assert_null(missing);
    assert_non_null(strstr(why, "no ticket"));

    json_t *record = s_record();
    assert_int_equal(record_save(path, record, why, sizeof why), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    json_t *back = record_load(path, why, sizeof why);
    assert_non_null(back);
    assert_true(json_equal(back, record));
    json_decref(back);
    json_decref(record);

    /* A damaged or foreign file is refused, with a reason. */
    FILE *f = fopen(path, "w");
    fputs("{\"v\":1,\"reply\":", f);
    fclose(f);
    assert_null(record_load(path, why, sizeof why));
    assert_non_null(strstr(why, "damaged"));
    f = fopen(path, "w");
    fputs("{\"v\":2,\"reply\":{}}", f);
    fclose(f);
    assert_null(record_load(path, why, sizeof why));

    /* Default places. */
    setenv("XDG_STATE_HOME", "/srv/state", 1);
    assert_int_equal(record_state_path(NULL, path, sizeof path), 0);
    assert_string_equal(path, "/srv/state/hallq/last-ticket.json");
    unsetenv("XDG_STATE_HOME");
    setenv("HOME", "/home/kiosk", 1);
    assert_int_equal(record_state_path("", path, sizeof path), 0);
    assert_string_equal(path, "/home/kiosk/.local/state/hallq/last-ticket.json");

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

/* A copy of s_record() as if issued on `day`, numbered `label`. */
static json_t *s_record_on(const char *day, const char *label)
{
    json_t *record = s_record();
    json_t *t = json_object_get(json_object_get(record, "reply"), "ticket");
    json_object_set_new(t, "day", json_string(day));
    json_object_set_new(t, "label", json_string(label));
    return record;
}

/* Today's tickets printed here: a line each, private, in order; another day's journal is
 * started afresh; a line cut by a power failure is skipped, the others stand. */
static void test_journal(void **state)
{
    (void)state;
    char *dir = s_tmpdir();
    char path[600], why[512];
    assert_int_equal(record_journal_path(dir, path, sizeof path), 0);
    assert_non_null(strstr(path, "/printed-today.jsonl"));
    json_t *none = record_journal_load(path, "2026-11-23", why, sizeof why);
    assert_int_equal(json_array_size(none), 0); /* none yet */
    json_decref(none);
    const char *labels[] = {"A001", "A002", "B001"};
    for (int i = 0; i < 3; i++) {
        json_t *r = s_record_on("2026-11-22", "Z999");
        if (i == 0) /* yesterday's first: it is dropped when today's first comes */
            assert_int_equal(record_journal_add(path, r, why, sizeof why), 0);
        json_decref(r);
        r = s_record_on("2026-11-23", labels[i]);
        assert_int_equal(record_journal_add(path, r, why, sizeof why), 0);
        json_decref(r);
    }
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    FILE *f = fopen(path, "a");
    fputs("{\"v\":1,\"reply\":{\"tick", f); /* cut mid-line */
    fclose(f);
    json_t *today = record_journal_load(path, "2026-11-23", why, sizeof why);
    assert_int_equal(json_array_size(today), 3);
    for (size_t i = 0; i < 3; i++) {
        record_info_t info;
        assert_int_equal(record_info(json_array_get(today, i), &info, why, sizeof why), 0);
        assert_string_equal(info.ticket.label, labels[i]);
    }
    json_decref(today);
    json_t *all = record_journal_load(path, NULL, why, sizeof why);
    assert_int_equal(json_array_size(all), 3);
    json_decref(all);
    json_t *other = record_journal_load(path, "2026-11-24", why, sizeof why);
    assert_int_equal(json_array_size(other), 0);
    json_decref(other);
    /* The next day: afresh. */
    json_t *r = s_record_on("2026-11-24", "A001");
    assert_int_equal(record_journal_add(path, r, why, sizeof why), 0);
    json_decref(r);
    all = record_journal_load(path, NULL, why, sizeof why);
    assert_int_equal(json_array_size(all), 1);
    json_decref(all);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

/* --preview's sample: the catalog's names and materials, numbered A000, marked, and the
 * queue must exist. */
static void test_sample(void **state)
{
    (void)state;
    catalog_t cat;
    s_catalog(&cat);
    assert_null(record_sample(&cat, 'Z', 0, 0, "2026-11-23", 1795398060000));
    json_t *r = record_sample(&cat, 'A', 3, 1, "2026-11-23", 1795398060000);
    assert_non_null(r);
    record_print_t rp;
    char why[256], *text;
    assert_int_equal(record_facts(r, UI_LANG_ZH, 58, 0, &rp, why, sizeof why), 0);
    assert_string_equal(rp.facts.label, "A000");
    assert_true(rp.facts.sample && rp.facts.green);
    assert_string_equal(rp.facts.service_name, "城乡居民参保登记");
    assert_int_equal(rp.facts.nmaterials, 1);
    assert_int_equal(ticket_layout_preview(&rp.facts, &text, NULL), 0);
    assert_non_null(strstr(text, "【样张：未取号，号码无效】"));
    free(text);
    json_decref(r);
    catalog_clear(&cat);
}

static void test_is_today(void **state)
{
    (void)state;
    assert_int_equal(ticketing_use_timezone("CST-8"), 0);
    json_t *record = s_record();
    idnum_date_t d = ticketing_today();
    char today[16];
    snprintf(today, sizeof today, "%04d-%02d-%02d", d.year, d.month, d.day);
    json_t *t = json_object_get(json_object_get(record, "reply"), "ticket");
    json_object_set_new(t, "day", json_string(today));
    assert_true(ticketing_is_today(record));
    json_object_set_new(t, "day", json_string("2001-01-01"));
    assert_false(ticketing_is_today(record));
    json_decref(record);
}

static void test_timezone_names(void **state)
{
    (void)state;
    assert_int_equal(ticketing_use_timezone(""), 0);
    assert_int_equal(ticketing_use_timezone(NULL), 0);
    assert_int_equal(ticketing_use_timezone("/etc/passwd"), -1);
    assert_int_equal(ticketing_use_timezone(":/etc/passwd"), -1);
    assert_int_equal(ticketing_use_timezone("../../etc/passwd"), -1);
    assert_int_equal(ticketing_use_timezone("Nowhere/Atlantis"), -1);
    assert_int_equal(ticketing_use_timezone("CST-8"), 0);
    assert_string_equal(getenv("TZ"), "CST-8");
}

/* Copies go out in one write, the preview separated by a blank line. */
static void test_print_copies(void **state)
{
    (void)state;
    char *dir = s_tmpdir();
    char path[512], why[512];
    json_t *record = s_record();
    kiosk_options_t o;
    memset(&o, 0, sizeof o);
    o.lang = UI_LANG_ZH;
    o.paper_mm = 58;
    snprintf(path, sizeof path, "%s/one.bin", dir);
    assert_int_equal(output_set(&o.output, OUTPUT_FILE, path), 0);
    o.copies = 1;
    size_t replaced = 99;
    assert_int_equal(ticketing_print(record, &o, 0, &replaced, why, sizeof why), TK_OK);
    assert_int_equal(replaced, 0);
    struct stat one, three;
    assert_int_equal(stat(path, &one), 0);
    assert_true(one.st_size > 200);
    snprintf(path, sizeof path, "%s/three.bin", dir);
    assert_int_equal(output_set(&o.output, OUTPUT_FILE, path), 0);
    o.copies = 3;
    assert_int_equal(ticketing_print(record, &o, 0, NULL, why, sizeof why), TK_OK);
    assert_int_equal(stat(path, &three), 0);
    assert_int_equal(three.st_size, 3 * one.st_size);

    /* A failing output is TK_PRINT_FAILED with the reason; a broken record is TK_BAD. */
    snprintf(path, sizeof path, "%s/missing/lp0", dir);
    assert_int_equal(output_parse_printer(path, &o.output, why, sizeof why), 0);
    assert_int_equal(ticketing_print(record, &o, 0, NULL, why, sizeof why), TK_PRINT_FAILED);
    assert_non_null(strstr(why, path));
    json_t *broken = json_pack("{s:i}", "v", 1);
    assert_int_equal(ticketing_print(broken, &o, 0, NULL, why, sizeof why), TK_BAD);
    json_decref(broken);
    json_decref(record);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

/* ---- green lane from an ID number --------------------------------------------------------- */

static void test_greenlane(void **state)
{
    (void)state;
    idnum_date_t today = {2026, 11, 23};
    int green = -1, age = -1;
    char why[256];
    /* Born 1960-01-01: 66. */
    assert_int_equal(greenlane_from_id("320902196001011232", 60, today, UI_LANG_ZH, &green, &age,
                                       why, sizeof why),
                     0);
    assert_int_equal(green, 1);
    assert_int_equal(age, 66);
    /* Born 1966-11-23: 60 today exactly; born a day later: still 59. */
    assert_int_equal(greenlane_from_id("320902196611234564", 60, today, UI_LANG_ZH, &green, &age,
                                       why, sizeof why),
                     0);
    assert_int_equal(green, 1);
    assert_int_equal(age, 60);
    assert_int_equal(greenlane_from_id("32090219661124456x", 60, today, UI_LANG_ZH, &green, &age,
                                       why, sizeof why),
                     0);
    assert_int_equal(green, 0);
    assert_int_equal(age, 59);
    /* The hall's rule decides, not a constant. */
    assert_int_equal(greenlane_from_id("32090219661124456X", 55, today, UI_LANG_ZH, &green, &age,
                                       why, sizeof why),
                     0);
    assert_int_equal(green, 1);

    struct {
        const char *id;
        const char *zh;
    } bad[] = {
        {"3209021960010112", "18 位"},
        {"32090219600101123X9", "18 位"},
        {"3209021960010112A2", "17 位数字"},
        {"32090219600101123Y", "末位"},
        {"320902196001011233", "校验位"},
        {"320902194902301239", "出生日期无效"}, /* 30 February */
        {"320902203001011234", "晚于今天"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* Give the invalid-date and future cases a correct check digit, so only the date is
         * wrong. */
        char id[32];
        snprintf(id, sizeof id, "%s", bad[i].id);
        if (strlen(id) == 18 && (strstr(bad[i].zh, "日期") || strstr(bad[i].zh, "晚于")))
            id[17] = idnum_check_char(id);
        why[0] = '\0';
        if (greenlane_from_id(id, 60, today, UI_LANG_ZH, &green, &age, why, sizeof why) != -1)
            fail_msg("ID %s was accepted", id);
        if (!strstr(why, bad[i].zh))
            fail_msg("ID %s: '%s' does not say '%s'", id, why, bad[i].zh);
        /* The reason never repeats the number. */
        assert_null(strstr(why, "32090219"));
    }
    assert_int_equal(greenlane_from_id("320902196001011233", 60, today, UI_LANG_EN, &green, &age,
                                       why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "check digit"));

    char buf[20] = "320902196001011232";
    greenlane_wipe(buf, sizeof buf);
    for (size_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0);
}

/* ---- options -------------------------------------------------------------------------------- */

/* Parses argv after the defaults, as main does; the one line a refusal prints lands in why. */
static int s_parse_argv(kiosk_options_t *o, char *why, size_t whylen, int argc, char **argv)
{
    kiosk_options_defaults(o);
    memset(why, 0, whylen);
    FILE *out = fopen("/dev/null", "w");
    FILE *err = fmemopen(why, whylen - 1, "w");
    assert_non_null(out);
    assert_non_null(err);
    int rc = ui_options_parse_to(&kiosk_cli, argc, argv, o, out, err);
    fclose(out);
    fclose(err);
    return rc;
}

static int s_parse(kiosk_options_t *o, char *why, int argc, ...)
{
    static char storage[16][128];
    static char *argv[17];
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++) {
        snprintf(storage[i], sizeof storage[i], "%s", va_arg(ap, const char *));
        argv[i] = storage[i];
    }
    va_end(ap);
    argv[argc] = NULL;
    return s_parse_argv(o, why, 256, argc, argv);
}

static void test_options(void **state)
{
    (void)state;
    kiosk_options_t o;
    char why[256];
    unsetenv("HALLQ_PRINTER");
    unsetenv("HALLQ_ENDPOINT");
    unsetenv("HALLQ_LANG");
    assert_int_equal(s_parse(&o, why, 1, "hallq-ticket"), UI_OPTIONS_RUN);
    assert_int_equal(o.queue, 0);
    assert_int_equal(o.copies, 1);
    assert_int_equal(o.paper_mm, 58);
    assert_int_equal(o.lang, UI_LANG_ZH);
    assert_int_equal(o.output.kind, OUTPUT_DEVICE);
    assert_string_equal(o.output.target, OUTPUT_DEFAULT_DEVICE);
    assert_string_equal(o.endpoint, HQ_DEFAULT_REQUEST_ENDPOINT);

    assert_int_equal(s_parse(&o, why, 10, "t", "-q", "a", "--service", "3", "--elderly", "--copies",
                             "2", "--paper", "80"),
                     UI_OPTIONS_RUN);
    assert_int_equal(o.queue, 'A');
    assert_int_equal(o.service, 3);
    assert_true(o.elderly);
    assert_int_equal(o.copies, 2);
    assert_int_equal(o.paper_mm, 80);

    assert_int_equal(s_parse(&o, why, 5, "t", "--queue", "B", "--printer", "tcp://10.0.0.9:9100"),
                     UI_OPTIONS_RUN);
    assert_int_equal(o.output.kind, OUTPUT_TCP);
    assert_string_equal(output_name(&o.output), "10.0.0.9:9100");
    assert_int_equal(s_parse(&o, why, 3, "t", "--printer", "tcp://[::1]:9100"), UI_OPTIONS_RUN);
    assert_int_equal(s_parse(&o, why, 3, "t", "--printer", "tcp://printer"), UI_OPTIONS_RUN);
    assert_int_equal(s_parse(&o, why, 4, "t", "-q", "A", "--preview"), UI_OPTIONS_RUN);
    assert_int_equal(o.output.kind, OUTPUT_PREVIEW);
    assert_int_equal(s_parse(&o, why, 3, "t", "--reprint", "--preview"), UI_OPTIONS_RUN);
    assert_int_equal(s_parse(&o, why, 5, "t", "-r", "--state-dir", "/tmp/x", "--lang=en"),
                     UI_OPTIONS_RUN);
    assert_string_equal(o.state_dir, "/tmp/x");
    assert_int_equal(o.lang, UI_LANG_EN);
    assert_int_equal(o.output.lang, UI_LANG_EN);

    setenv("HALLQ_PRINTER", "tcp://kiosk-printer:9100", 1);
    setenv("HALLQ_ENDPOINT", "tcp://10.1.1.1:5570", 1);
    assert_int_equal(s_parse(&o, why, 1, "t"), UI_OPTIONS_RUN);
    assert_int_equal(o.output.kind, OUTPUT_TCP);
    assert_string_equal(o.endpoint, "tcp://10.1.1.1:5570");
    unsetenv("HALLQ_PRINTER");
    unsetenv("HALLQ_ENDPOINT");

    struct {
        int argc;
        const char *argv[6];
        const char *says;
    } bad[] = {
        {3, {"t", "-q", "AB"}, "one letter"},
        {3, {"t", "-q", "1"}, "one letter"},
        {5, {"t", "-q", "A", "-s", "x"}, "--service"},
        {6, {"t", "-q", "A", "-e", "-i", "110105199003070017"}, "exclude"},
        {5, {"t", "-q", "A", "-n", "10"}, "--copies"},
        {5, {"t", "-q", "A", "--paper", "57"}, "--paper"},
        {5, {"t", "-q", "A", "--lang", "fr"}, "--lang"},
        {6, {"t", "-q", "A", "--preview", "-o", "x"}, "one of"},
        {4, {"t", "-r", "-q", "A"}, "--reprint"},
        {2, {"t", "--elderly"}, "need --queue"},
        {2, {"t", "--preview"}, "--preview needs"},
        {5, {"t", "-q", "A", "-p", "tcp://host:0"}, "tcp://HOST:PORT"},
        {5, {"t", "-q", "A", "-p", "usb://x"}, "only tcp://"},
        {2, {"t", "--bogus"}, "unknown option"},
        {2, {"t", "-q"}, "needs a value"},
        {3, {"t", "-r", "extra"}, "unexpected argument"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *argv[7];
        char storage[6][64];
        for (int k = 0; k < bad[i].argc; k++) {
            snprintf(storage[k], sizeof storage[k], "%s", bad[i].argv[k]);
            argv[k] = storage[k];
        }
        argv[bad[i].argc] = NULL;
        if (s_parse_argv(&o, why, sizeof why, bad[i].argc, argv) != UI_EXIT_USAGE)
            fail_msg("case %zu (%s) was accepted", i, bad[i].says);
        if (!strstr(why, bad[i].says) || strncmp(why, "hallq-ticket: ", 14) != 0)
            fail_msg("case %zu: '%s' does not say '%s'", i, why, bad[i].says);
    }
}

static void test_options_hide_id_number(void **state)
{
    (void)state;
    char a0[] = "hallq-ticket", a1[] = "-q", a2[] = "A", a3[] = "--id-number",
         a4[] = "110105199003070017";
    char *argv[] = {a0, a1, a2, a3, a4, NULL};
    kiosk_options_t o;
    char why[256];
    assert_int_equal(s_parse_argv(&o, why, sizeof why, 5, argv), UI_OPTIONS_RUN);
    assert_true(o.has_id_number);
    assert_string_equal(o.id_number, "110105199003070017");
    /* Gone from argv, hence from /proc/PID/cmdline and ps. */
    assert_null(strstr(a4, "1990"));
    assert_int_equal(a4[0], '\0');
    greenlane_wipe(o.id_number, sizeof o.id_number);
}

/* ---- outputs --------------------------------------------------------------------------------- */

static void test_output_file_and_device(void **state)
{
    (void)state;
    char *dir = s_tmpdir();
    char path[512], why[512];
    output_t out;
    snprintf(path, sizeof path, "%s/ticket.bin", dir);
    assert_int_equal(output_set(&out, OUTPUT_FILE, path), 0);
    assert_int_equal(output_write(&out, "\x1b@abc", 5, why, sizeof why), 0);
    FILE *f = fopen(path, "rb");
    char back[16];
    assert_int_equal(fread(back, 1, sizeof back, f), 5);
    fclose(f);
    assert_memory_equal(back, "\x1b@abc", 5);

    /* An existing file works as a device; a missing device is not created. */
    assert_int_equal(output_parse_printer(path, &out, why, sizeof why), 0);
    assert_int_equal(out.kind, OUTPUT_DEVICE);
    assert_int_equal(output_write(&out, "xy", 2, why, sizeof why), 0);
    snprintf(path, sizeof path, "%s/usb/lp0", dir);
    assert_int_equal(output_parse_printer(path, &out, why, sizeof why), 0);
    assert_int_equal(output_write(&out, "xy", 2, why, sizeof why), -1);
    assert_non_null(strstr(why, path));
    assert_non_null(strstr(why, "找不到打印机"));
    assert_int_equal(access(path, F_OK), -1);
    /* A device that refuses the bytes. */
    assert_int_equal(output_parse_printer("/dev/full", &out, why, sizeof why), 0);
    out.lang = UI_LANG_EN;
    assert_int_equal(output_write(&out, "xy", 2, why, sizeof why), -1);
    assert_non_null(strstr(why, "/dev/full"));
    assert_non_null(strstr(why, "failed"));
    /* A directory is no printer. */
    assert_int_equal(output_parse_printer(dir, &out, why, sizeof why), 0);
    assert_int_equal(output_write(&out, "xy", 2, why, sizeof why), -1);
    assert_non_null(strstr(why, dir));

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

static void test_output_device_timeout(void **state)
{
    (void)state;
    char *dir = s_tmpdir();
    char path[512], why[512];
    snprintf(path, sizeof path, "%s/lp0", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    output_t out;
    assert_int_equal(output_parse_printer(path, &out, why, sizeof why), 0);
    /* No reader at all: like an unplugged printer. */
    assert_int_equal(output_write(&out, "x", 1, why, sizeof why), -1);
    assert_non_null(strstr(why, path));
    /* A reader that never reads: like a printer out of paper. More than a pipe holds. */
    int rd = open(path, O_RDONLY | O_NONBLOCK);
    assert_true(rd >= 0);
    size_t big = 1 << 20;
    char *bytes = calloc(1, big);
    out.timeout_ms = 300;
    int64_t t0 = hq_monotonic_ms();
    assert_int_equal(output_write(&out, bytes, big, why, sizeof why), -1);
    int64_t took = hq_monotonic_ms() - t0;
    assert_true(took >= 250 && took < 3000);
    assert_non_null(strstr(why, "没有响应"));
    free(bytes);
    close(rd);
    unlink(path);
    rmdir(dir);
    free(dir);
}

static int s_listener(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 4), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static void test_output_tcp(void **state)
{
    (void)state;
    int port;
    int lfd = s_listener(&port);
    char spec[64], why[512];
    snprintf(spec, sizeof spec, "tcp://127.0.0.1:%d", port);
    output_t out;
    assert_int_equal(output_parse_printer(spec, &out, why, sizeof why), 0);
    /* The kernel completes the connection from the backlog, so no thread is needed to accept
     * a small job. */
    assert_int_equal(output_write(&out, "\x1b@hello\x1dV\x42\x00", 10, why, sizeof why), 0);
    int cfd = accept(lfd, NULL, NULL);
    assert_true(cfd >= 0);
    char back[32];
    size_t got = 0;
    ssize_t n;
    while ((n = read(cfd, back + got, sizeof back - got)) > 0)
        got += (size_t)n;
    assert_int_equal(got, 10); /* read() saw EOF: the job was closed properly */
    assert_memory_equal(back, "\x1b@hello\x1dV\x42\x00", 10);
    close(cfd);
    close(lfd);

    /* Nobody listening any more. */
    assert_int_equal(output_write(&out, "x", 1, why, sizeof why), -1);
    assert_non_null(strstr(why, "无法连接打印机"));
    char name[32];
    snprintf(name, sizeof name, "127.0.0.1:%d", port);
    assert_non_null(strstr(why, name));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog),
        cmocka_unit_test(test_catalog_malformed),
        cmocka_unit_test(test_record_facts),
        cmocka_unit_test(test_state_file),
        cmocka_unit_test(test_journal),
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_is_today),
        cmocka_unit_test(test_timezone_names),
        cmocka_unit_test(test_print_copies),
        cmocka_unit_test(test_greenlane),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_options_hide_id_number),
        cmocka_unit_test(test_output_file_and_device),
        cmocka_unit_test(test_output_device_timeout),
        cmocka_unit_test(test_output_tcp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
