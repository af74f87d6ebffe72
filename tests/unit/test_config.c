/* Configuration: the embedded default, overrides, and bad lines reported with their number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "config.h"
#include "hq_utf8.h"

static void test_embedded_default(void **state)
{
    (void)state;
    hallq_config_t cfg;
    char why[256];
    assert_int_equal(config_default(&cfg, why, sizeof why), 0);
    assert_int_equal(cfg.nqueues, 7);
    assert_int_equal(cfg.ncounters, 4);
    for (int i = 0; i < 4; i++)
        assert_string_equal(cfg.counters[i].queues, "ABCDEFG");
    int offered = 0;
    for (int i = 0; i < cfg.nservices; i++)
        offered += config_service_offered(&cfg, &cfg.services[i]);
    assert_int_equal(offered, 20); /* the town list; 21-26 are the village list */
    assert_string_equal(config_queue(&cfg, 'C')->name, "异地就医备案");
    assert_true(config_queue(&cfg, 'A')->instant);
    assert_false(config_queue(&cfg, 'E')->instant);
    const cfg_service_t *s = config_service(&cfg, 3);
    assert_non_null(s);
    assert_string_equal(s->sub_item, "城乡居民参保登记");
    assert_string_equal(s->materials, "有效身份证件");
    assert_null(config_service(&cfg, 21));
    assert_true(config_is_instant(&cfg, 'A', 0));
    assert_false(config_is_instant(&cfg, 'E', 14));
    assert_int_equal(cfg.elderly_age, 60);
    assert_int_equal(cfg.handling_target_min, 10);
    assert_string_equal(cfg.request_endpoint, "tcp://127.0.0.1:5570");
    config_free(&cfg);
}

static void test_overrides(void **state)
{
    (void)state;
    hallq_config_t cfg;
    char why[256];
    config_default(&cfg, why, sizeof why);
    const char *text = "# a small hall\n"
                       "[hall]\nname = 惠平镇医保服务站\nlevel = village\n\n"
                       "[rules]\nelderly_age = 65\ngreen_max_in_row=2\n"
                       "[network]\nrequest = tcp://127.0.0.1:6000\n"
                       "[counter 1]\nqueues = AB\n"
                       "[counter 7]\n";
    assert_int_equal(config_load_text(&cfg, text, "hall.conf", why, sizeof why), 0);
    assert_string_equal(cfg.hall_name, "惠平镇医保服务站");
    assert_int_equal(cfg.elderly_age, 65);
    assert_int_equal(cfg.green_max_in_row, 2);
    assert_string_equal(cfg.request_endpoint, "tcp://127.0.0.1:6000");
    assert_int_equal(cfg.ncounters, 2);
    assert_string_equal(config_counter(&cfg, 1)->queues, "AB");
    assert_string_equal(config_counter(&cfg, 7)->queues, "ABCDEFG");
    assert_null(config_counter(&cfg, 2));
    assert_non_null(config_service(&cfg, 21)); /* village level now */
    assert_null(config_service(&cfg, 3));
    config_free(&cfg);
}

static void test_queue_override(void **state)
{
    (void)state;
    hallq_config_t cfg;
    char why[256];
    config_default(&cfg, why, sizeof why);
    const char *text = "[queue A]\nname = 综合业务\n[queue C]\nname = 异地备案\n";
    assert_int_equal(config_load_text(&cfg, text, "q.conf", why, sizeof why), 0);
    assert_int_equal(cfg.nqueues, 2);
    assert_string_equal(cfg.counters[0].queues, "AC"); /* default counters follow */
    assert_null(config_service(&cfg, 14));             /* queue E is gone, so is its service */
    assert_non_null(config_service(&cfg, 9));
    config_free(&cfg);
}

static void s_expect_error(const char *text, const char *expected)
{
    hallq_config_t cfg;
    char why[256];
    config_default(&cfg, why, sizeof why);
    char before[sizeof cfg.hall_name];
    strcpy(before, cfg.hall_name);
    assert_int_equal(config_load_text(&cfg, text, "bad.conf", why, sizeof why), -1);
    if (!strstr(why, expected))
        fail_msg("expected '%s' in '%s'", expected, why);
    assert_string_equal(cfg.hall_name, before); /* a bad file changes nothing */
    assert_int_equal(cfg.nqueues, 7);
    config_free(&cfg);
}

static void test_bad_lines(void **state)
{
    (void)state;
    s_expect_error("[hall]\nname = x\n[hal]\n", "bad.conf:3: unknown section [hal]");
    s_expect_error("name = x\n", "bad.conf:1: 'name' is outside any [section]");
    s_expect_error("[hall]\nname x\n", "bad.conf:2: expected 'key = value'");
    s_expect_error("[rules]\nelderly_age = sixty\n",
                   "bad.conf:2: elderly_age must be a whole number");
    s_expect_error("[rules]\nelderly_age = 200\n", "from 40 to 120");
    s_expect_error("[rules]\nfoo = 1\n", "bad.conf:2: unknown key 'foo'");
    s_expect_error("[counter 0]\n", "bad.conf:1: counter section must be [counter N]");
    s_expect_error("[counter 2]\nqueues = AZ\n",
                   "bad.conf:2: counter 2 serves queue Z, which is not defined");
    s_expect_error("[queue A]\nname = a\n[counter 1]\n\nqueues = B\n[queue C]\n",
                   "bad.conf:5: counter 1 serves queue B");
    s_expect_error("[queue A]\n[counter 3]\nqueues = AC\n",
                   "bad.conf:3: counter 3 serves queue C, which is not defined (the hall's "
                   "queues are A)");
    s_expect_error("[counter 2]\nqueues = AA\n", "bad.conf:2: queues must be distinct letters");
    s_expect_error("[queue a]\n", "bad.conf:1: queue section must be [queue X]");
    s_expect_error("[queue B]\n[queue B]\n", "bad.conf:2: queue B is defined twice");
    s_expect_error("[log]\nlevel = loud\n", "bad.conf:2: log level must be");
    s_expect_error("[hall]\nlevel = city\n", "bad.conf:2: level must be town or village");
    s_expect_error("[hall\n", "bad.conf:1: section header");
    s_expect_error("[hall]\ncatalog = /nonexistent/services.tsv\n", "bad.conf:2: catalog");
}

/* A time zone the C library cannot read would silently be UTC: refused with its line. */
static void test_timezones(void **state)
{
    (void)state;
    s_expect_error("[hall]\nname = x\ntimezone = Asia/Shanghia\n",
                   "bad.conf:3: timezone 'Asia/Shanghia' is no zone the C library knows");
    s_expect_error("[hall]\ntimezone = Shanghai\n", "bad.conf:2: timezone 'Shanghai' is no zone");
    s_expect_error("[hall]\ntimezone = Asia\n", "bad.conf:2: timezone 'Asia' is no zone");
    s_expect_error("[hall]\ntimezone = Asia/\n", "bad.conf:2:");
    s_expect_error("[hall]\ntimezone = ../etc/passwd\n", "bad.conf:2: timezone");
    s_expect_error("[hall]\ntimezone = /etc/localtime\n", "bad.conf:2: timezone");
    s_expect_error("[hall]\ntimezone = CST-25\n", "bad.conf:2:");
    s_expect_error("[hall]\ntimezone = CS-8\n", "bad.conf:2:");
    static const char *const good[] = {
        "Asia/Shanghai",          "UTC", "CST-8",           "<+08>-8", "Etc/GMT-8",
        "EST5EDT,M3.2.0,M11.1.0", "PRC", "America/New_York"};
    char why[256];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (config_timezone_check(good[i], why, sizeof why) != 0)
            fail_msg("%s refused: %s", good[i], why);
}

/* Offered is what the hall's level lists: the town hall's 20, not the catalog's 26 rows. */
static void test_services_offered(void **state)
{
    (void)state;
    hallq_config_t cfg;
    char why[256];
    config_default(&cfg, why, sizeof why);
    assert_int_equal(cfg.nservices, 26);
    assert_int_equal(config_services_offered(&cfg), 20);
    assert_int_equal(config_load_text(&cfg, "[hall]\nlevel = village\n", "v.conf", why, sizeof why),
                     0);
    assert_int_equal(config_services_offered(&cfg), 6);
    assert_int_equal(config_load_text(&cfg, "[queue A]\nname = x\n", "q.conf", why, sizeof why), 0);
    int in_a = 0;
    for (int i = 0; i < cfg.nservices; i++)
        in_a += cfg.services[i].queue == 'A' && strcmp(cfg.services[i].level, "village") == 0;
    assert_int_equal(config_services_offered(&cfg), in_a);
    config_free(&cfg);
}

static void test_catalog_file(void **state)
{
    (void)state;
    hallq_config_t cfg;
    char why[256];
    config_default(&cfg, why, sizeof why);
    assert_int_equal(
        config_load_catalog(&cfg, "header\n1\ttown\tdirect\tA\tm\ts\tx;y\t即时办结\t1\tsteps\n",
                            "t.tsv", why, sizeof why),
        0);
    assert_int_equal(cfg.nservices, 1);
    assert_int_equal(
        config_load_catalog(&cfg, "header\n1\ttown\tdirect\tA\tm\ts\n", "t.tsv", why, sizeof why),
        -1);
    assert_string_equal(why, "t.tsv:2: expected 10 tab-separated columns");
    assert_int_equal(config_load_catalog(&cfg, "h\n1\ttown\tdirect\tA\tm\ts\tx\tt\t2\tst\n",
                                         "t.tsv", why, sizeof why),
                     -1);
    assert_string_equal(why, "t.tsv:2: instant must be 0 or 1");
    assert_int_equal(config_load_catalog(&cfg,
                                         "h\n1\ttown\tdirect\tA\tm\ts\tx\tt\t1\tst\n"
                                         "1\ttown\tdirect\tA\tm\ts\tx\tt\t1\tst\n",
                                         "t.tsv", why, sizeof why),
                     -1);
    assert_string_equal(why, "t.tsv:3: service number 1 appears twice");
    assert_int_equal(cfg.nservices, 1); /* kept the last good catalog */

    char path[] = "/tmp/hallq-config-XXXXXX";
    int fd = mkstemp(path);
    const char *text = "[hall]\nname = 文件\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(config_load_file(&cfg, path, why, sizeof why), 0);
    assert_string_equal(cfg.hall_name, "文件");
    unlink(path);
    assert_int_equal(config_load_file(&cfg, path, why, sizeof why), -1);
    assert_non_null(strstr(why, "No such file"));

    /* A hall's own catalog saved from a spreadsheet in GBK is read; one with a control
     * character is refused at the catalog's own line. */
    static const char gbk[] = "h\n7\ttown\tdirect\tA\tm\t\xd2\xbd\xb1\xa3\tx\tt\t1\ts\n";
    strcpy(path, "/tmp/hallq-config-XXXXXX");
    fd = mkstemp(path);
    assert_int_equal(write(fd, gbk, sizeof gbk - 1), (ssize_t)sizeof gbk - 1);
    close(fd);
    char conf[400];
    snprintf(conf, sizeof conf, "[hall]\ncatalog = %s\n", path);
    if (config_load_text(&cfg, conf, "c.conf", why, sizeof why) != 0)
        fail_msg("GBK catalog: %s", why);
    assert_string_equal(config_service(&cfg, 7)->sub_item, "医保");
    static const char ctl[] =
        "h\n7\ttown\tdirect\tA\tm\ts\tx\tt\t1\ts\n8\ttown\tdirect\tA\t\x1b\ts\tx\tt\t1\ts\n";
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_int_equal(write(fd, ctl, sizeof ctl - 1), (ssize_t)sizeof ctl - 1);
    close(fd);
    assert_int_equal(config_load_text(&cfg, conf, "c.conf", why, sizeof why), -1);
    char expected[300];
    snprintf(expected, sizeof expected, "%s:3: contains a control character", path);
    assert_ptr_equal(strstr(why, expected), why);
    unlink(path);
    config_free(&cfg);
}

/* Bytes as read from a file: the file name and line come first in every refusal. */
static void s_expect_bytes(const char *data, size_t len, const char *expected)
{
    hallq_config_t cfg;
    char why[256];
    config_default(&cfg, why, sizeof why);
    assert_int_equal(config_load_buffer(&cfg, data, len, "bad.conf", why, sizeof why), -1);
    if (!strstr(why, expected))
        fail_msg("expected '%s' in '%s'", expected, why);
    assert_string_equal(cfg.hall_name, "医保服务大厅");
    config_free(&cfg);
}

static void s_expect_hall(const char *data, size_t len, const char *name)
{
    hallq_config_t cfg;
    char why[256];
    config_default(&cfg, why, sizeof why);
    if (config_load_buffer(&cfg, data, len, "good.conf", why, sizeof why) != 0)
        fail_msg("refused: %s", why);
    assert_string_equal(cfg.hall_name, name);
    config_free(&cfg);
}

#define S_BYTES(lit) lit, sizeof lit - 1

/* What Windows Notepad saves: UTF-8 with a BOM, or on a Chinese Windows GBK (read as
 * GB18030, which contains it). Anything else that is not UTF-8 is refused at its line. */
static void test_file_encodings(void **state)
{
    (void)state;
    s_expect_hall(S_BYTES("\xef\xbb\xbf[hall]\r\nname = 记事本\r\n"), "记事本");
    /* 惠平镇医保服务站 in GBK, and a four-byte GB18030 character (U+1F600: 94 39 FC 36) */
    s_expect_hall(S_BYTES("; \xbb\xdd\xc6\xbd\n[hall]\nname = \xbb\xdd\xc6\xbd\xd5\xf2\xd2\xbd"
                          "\xb1\xa3\xb7\xfe\xce\xf1\xd5\xbe \x94\x39\xfc\x36\n"),
                  "惠平镇医保服务站 😀");
    s_expect_bytes(S_BYTES("[hall]\nname = ok\nnotice = caf\xe9\n"),
                   "bad.conf:3: not valid UTF-8 (nor GB18030");
    s_expect_bytes(S_BYTES("[hall]\n\n\nname = \xff\n"), "bad.conf:4: not valid UTF-8");
    s_expect_bytes(S_BYTES("[hall]\nname = \xbb\xdd\xc6\n"), "bad.conf:2: not valid UTF-8");
    s_expect_bytes(S_BYTES("\xff\xfe[\0h\0"), "bad.conf:1: the file is UTF-16");
    s_expect_bytes(S_BYTES("\xfe\xff\0[\0h"), "bad.conf:1: the file is UTF-16");
    s_expect_bytes(S_BYTES("[hall]\nname = a\0b\n"), "bad.conf:2: contains a NUL byte");
    s_expect_bytes(S_BYTES("[hall]\n\0"), "bad.conf:2: contains a NUL byte");
    s_expect_bytes(S_BYTES("[hall]\nname = \x1b[2J\n"), "bad.conf:2: contains a control character");
    s_expect_bytes(S_BYTES("[hall]\nnotice = a\xc2\x9b"
                           "2J\n"),
                   "bad.conf:2: contains a control character");
    s_expect_bytes(S_BYTES("[hall]\nname = a\rb\n"), "bad.conf:2: contains a control character");
    s_expect_hall(S_BYTES("[hall]\nname =\ta\tb \r\n"), "a\tb");
    /* the same through the C-string entry point */
    s_expect_error("\xef\xbb\xbf[hall]\nname = \x7f\n", "bad.conf:2: contains a control character");
    /* the checker itself: overlong forms, surrogates, past U+10FFFF, cut off */
    static const char *const invalid[] = {"\xc0\xaf",         "\xe0\x80\xaf", "\xed\xa0\x80",
                                          "\xf4\x90\x80\x80", "\xe4\xb8",     "\x80",
                                          "\xf8\x88\x80"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        assert_int_equal(hq_utf8_check(invalid[i], strlen(invalid[i]), 0, NULL, NULL),
                         HQ_UTF8_INVALID);
    size_t at;
    assert_int_equal(hq_utf8_check("ab\xe4\xb8\xad\x1b", 6, 1, NULL, &at), HQ_UTF8_CONTROL);
    assert_int_equal(at, 5);
    assert_int_equal(hq_utf8_check("\xf4\x8f\xbf\xbf\t", 5, 1, "\t", &at), HQ_UTF8_OK);
}

/* A key given twice in a section would leave one of them unused without a word. */
static void test_duplicate_keys(void **state)
{
    (void)state;
    s_expect_error("[hall]\nname = a\nnotice = n\nname = b\n",
                   "bad.conf:4: 'name' is set twice in [hall] (first on line 2)");
    s_expect_error("[hall]\ntimezone = UTC\n[rules]\nelderly_age = 65\n[hall]\ntimezone = UTC\n",
                   "bad.conf:6: 'timezone' is set twice in [hall] (first on line 2)");
    s_expect_error("[rules]\nsync_full = 1\nsync_full=0\n", "bad.conf:3: 'sync_full' is set twice");
    s_expect_error("[counter 1]\nqueues = A\n[counter 2]\nqueues = B\nqueues = C\n",
                   "bad.conf:5: 'queues' is set twice in [counter 2] (first on line 4)");
    hallq_config_t cfg;
    char why[256];
    config_default(&cfg, why, sizeof why);
    assert_int_equal(config_load_text(&cfg, "[counter 1]\nqueues = A\n[counter 2]\nqueues = A\n",
                                      "ok.conf", why, sizeof why),
                     0);
    config_free(&cfg);
}

/* What the daemon would refuse at its bind is refused here, at its line: the transport, the
 * address, and listening beyond loopback without keys. */
static void test_endpoints(void **state)
{
    (void)state;
    s_expect_error("[network]\nrequest = foo://bar\n",
                   "bad.conf:2: request endpoint 'foo://bar' is not tcp://, ipc:// or inproc://");
    s_expect_error("[network]\n\nevents = tcp://127.0.0.1\n", "bad.conf:3: events endpoint");
    s_expect_error("[network]\nrequest = tcp://127.0.0.1:70000\n", "bad.conf:2: request endpoint");
    s_expect_error("[network]\nrequest = tcp://127.0.0.1:x\n", "bad.conf:2: request endpoint");
    s_expect_error(
        "[network]\nrequest = tcp://localhost:5570\n",
        "bad.conf:2: request endpoint 'tcp://localhost:5570' names 'localhost', neither");
    s_expect_error("[network]\nrequest = tcp://[::1]:5570\n", "bad.conf:2: request endpoint");
    s_expect_error("[network]\nrequest = ipc://\n", "bad.conf:2: request endpoint");
    s_expect_error("[network]\nrequest = tcp://0.0.0.0:5570\n",
                   "bad.conf:2: request endpoint tcp://0.0.0.0:5570 is beyond loopback");
    s_expect_error("[network]\nevents = tcp://*:5571\n[log]\nlevel = info\n",
                   "bad.conf:2: events endpoint tcp://*:5571 is beyond loopback");
    s_expect_error("[network]\nrequest = tcp://127.0.0.1:7000\nevents = tcp://127.0.0.1:7000\n",
                   "bad.conf:3: events endpoint is the request endpoint");
    static const char *const good[] = {
        "[network]\nrequest = tcp://127.0.0.1:*\nevents = tcp://127.0.0.1:*\n",
        "[network]\nrequest = ipc:///run/hallq/req\nevents = inproc://ev\n",
        "[network]\nrequest = tcp://lo:5570\nevents = tcp://0.0.0.0:5571\n[security]\nkeys = k\n",
        "[security]\nkeys = /etc/hallq/keys\n[network]\nrequest = tcp://*:5570\n",
        "[network]\nrequest = tcp://127.0.0.1:5570 ; clients' requests\n",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        hallq_config_t cfg;
        char why[256];
        config_default(&cfg, why, sizeof why);
        if (config_load_text(&cfg, good[i], "ok.conf", why, sizeof why) != 0)
            fail_msg("refused %s: %s", good[i], why);
        config_free(&cfg);
    }
}

/* The packaged file and the README write comments after values and section headers. */
static void test_inline_comments(void **state)
{
    (void)state;
    hallq_config_t cfg;
    char why[256];
    config_default(&cfg, why, sizeof why);
    const char *text = "[hall]\t; the hall\nlevel = village     ; or town\nname = a;b ;c\n"
                       "[queue A]                    ; naming any queue\nname = 综合 ;x\n";
    if (config_load_text(&cfg, text, "c.conf", why, sizeof why) != 0)
        fail_msg("refused: %s", why);
    assert_string_equal(cfg.level, "village");
    assert_string_equal(cfg.hall_name, "a;b");
    assert_string_equal(config_queue(&cfg, 'A')->name, "综合");
    config_free(&cfg);
}

/* [kiosk] exit_keys: a combination of keys a terminal can tell apart from typing, in one
 * written form; anything else is refused at its line with what a key may be. */
static void test_kiosk_exit_keys(void **state)
{
    (void)state;
    hallq_config_t cfg;
    char why[256];
    assert_int_equal(config_default(&cfg, why, sizeof why), 0);
    assert_string_equal(cfg.kiosk_exit_keys, ""); /* none: staff leave with their PIN */
    assert_int_equal(config_load_text(&cfg, "[kiosk]\nexit_keys = Ctrl-X  ctrl-q F12\n", "k.conf",
                                      why, sizeof why),
                     0);
    assert_string_equal(cfg.kiosk_exit_keys, "ctrl-x ctrl-q F12");
    static const struct {
        const char *value, *says;
    } bad[] = {
        {"ctrl-x", "give 2 to 8 keys"},
        {"ctrl-x ctrl-h", "ctrl-h is Backspace, Tab or Enter"},
        {"ctrl-m ctrl-q", "ctrl-m is Backspace, Tab or Enter"},
        {"q ctrl-q", "'q' is no key: write ctrl-A to ctrl-Z or F1 to F12"},
        {"F13 F1", "'f13' is no key"},
        {"ctrl-1 F1", "'ctrl-1' is no key"},
        {"F1 F2 F3 F4 F5 F6 F7 F8 F9", "at most 8 keys"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[128], want[128];
        snprintf(text, sizeof text, "[kiosk]\n\nexit_keys = %s\n", bad[i].value);
        snprintf(want, sizeof want, "k.conf:3: exit_keys");
        assert_int_equal(config_load_text(&cfg, text, "k.conf", why, sizeof why), -1);
        if (strncmp(why, want, strlen(want)) != 0 || !strstr(why, bad[i].says))
            fail_msg("exit_keys = %s: %s", bad[i].value, why);
    }
    assert_string_equal(cfg.kiosk_exit_keys, "ctrl-x ctrl-q F12"); /* a bad file changes nothing */
    assert_int_equal(config_load_text(&cfg, "[kiosk]\nbell = 1\n", "k.conf", why, sizeof why), -1);
    assert_string_equal(why, "k.conf:2: unknown key 'bell' in this section");
    config_free(&cfg);
}

/* [web] base_url: where phones reach hallq-web, kept without trailing slashes. */
static void test_web_base_url(void **state)
{
    (void)state;
    hallq_config_t cfg;
    char why[256];
    assert_int_equal(config_default(&cfg, why, sizeof why), 0);
    assert_string_equal(cfg.web_base_url, ""); /* none: the QR holds the ticket's payload */
    assert_int_equal(config_load_text(&cfg, "[web]\nbase_url = https://hall.example.cn/q//\n",
                                      "w.conf", why, sizeof why),
                     0);
    assert_string_equal(cfg.web_base_url, "https://hall.example.cn/q");
    static const struct {
        const char *value, *says;
    } bad[] = {
        {"192.168.1.10:8080", "must start with http:// or https://"},
        {"http://a b", "holds a space"},
        {"http://大厅", "beyond ASCII"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "[web]\nbase_url = %s\n", bad[i].value);
        assert_int_equal(config_load_text(&cfg, text, "w.conf", why, sizeof why), -1);
        if (strncmp(why, "w.conf:2: base_url", 18) != 0 || !strstr(why, bad[i].says))
            fail_msg("base_url = %s: %s", bad[i].value, why);
    }
    config_free(&cfg);
}

/* [central]: where hallq-sync ships; ids the city store takes, a level it knows. */
static void test_central(void **state)
{
    (void)state;
    hallq_config_t cfg;
    char why[512];
    assert_int_equal(config_default(&cfg, why, sizeof why), 0);
    assert_string_equal(cfg.central.url, "");
    assert_int_equal(config_load_text(&cfg,
                                      "[central]\nurl = postgresql://city.example/hallq\n"
                                      "hall = 32-0982.v07\nname = 张村服务点\nlevel = village\n"
                                      "parent = 32-0982\n",
                                      "c.conf", why, sizeof why),
                     0);
    assert_string_equal(cfg.central.url, "postgresql://city.example/hallq");
    assert_string_equal(cfg.central.hall, "32-0982.v07");
    assert_string_equal(cfg.central.name, "张村服务点");
    assert_string_equal(cfg.central.level, "village");
    assert_string_equal(cfg.central.parent, "32-0982");
    config_free(&cfg);
    s_expect_error("[central]\nhall = 张村\n", "bad.conf:2: hall '张村' is no hall id");
    s_expect_error("[central]\nhall = -x\n", "bad.conf:2: hall '-x' is no hall id");
    s_expect_error("[central]\nparent = a b\n", "bad.conf:2: parent 'a b' is no hall id");
    s_expect_error("[central]\nlevel = county\n", "bad.conf:2: level must be town or village");
    s_expect_error("[central]\nport = 5432\n", "bad.conf:2: unknown key 'port'");
    assert_true(config_hall_id_ok("a"));
    assert_true(
        config_hall_id_ok("0123456789012345678901234567890123456789012345678901234567890123"));
    assert_false(
        config_hall_id_ok("01234567890123456789012345678901234567890123456789012345678901234"));
    assert_false(config_hall_id_ok(""));
    assert_false(config_hall_id_ok("a/b"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedded_default), cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_queue_override),   cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_catalog_file),     cmocka_unit_test(test_timezones),
        cmocka_unit_test(test_services_offered), cmocka_unit_test(test_file_encodings),
        cmocka_unit_test(test_duplicate_keys),   cmocka_unit_test(test_endpoints),
        cmocka_unit_test(test_inline_comments),  cmocka_unit_test(test_kiosk_exit_keys),
        cmocka_unit_test(test_web_base_url),     cmocka_unit_test(test_central),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
