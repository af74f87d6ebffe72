/* hallqd_options: see hallqd_options.h. */
#include "hallqd_options.h"

#include "clock.h"
#include "hq_log.h"
#include "hq_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_OPT(field) offsetof(hallqd_options_t, field)
#define S_STR(x) #x
#define S_XSTR(x) S_STR(x)

static int s_set_log_level(void *field, const char *arg, const ui_option_t *opt, char *why,
                           size_t whylen)
{
    if (hq_log_level_parse(arg) < 0) {
        snprintf(why, whylen, "--%s is error, warn, info or debug, not '%s'", opt->name, arg);
        return -1;
    }
    *(const char **)field = arg;
    return 0;
}

int hallqd_parse_start(const char *text, hallqd_start_t *out, char *why, size_t whylen)
{
    hallqd_start_t st = {.given = 1};
    const char *clock = text;
    if (strlen(text) > 10 && (text[10] == ' ' || text[10] == 'T')) {
        char date[HQ_DATE_TEXT_MAX];
        memcpy(date, text, 10);
        date[10] = '\0';
        if (hq_date_parse(date, &st.date) != 0)
            goto bad;
        st.has_date = 1;
        clock = text + 11;
    }
    /* HH:MM or HH:MM:SS, every digit written. */
    size_t n = strlen(clock);
    if (n != 5 && n != 8)
        goto bad;
    for (size_t i = 0; i < n; i++)
        if (i % 3 == 2 ? clock[i] != ':' : clock[i] < '0' || clock[i] > '9')
            goto bad;
    int h = (clock[0] - '0') * 10 + clock[1] - '0', m = (clock[3] - '0') * 10 + clock[4] - '0';
    int sec = n == 8 ? (clock[6] - '0') * 10 + clock[7] - '0' : 0;
    if (h > 23 || m > 59 || sec > 59)
        goto bad;
    st.hour = h;
    st.second = m * 60 + sec;
    *out = st;
    return 0;
bad:
    return hq_fail(why, whylen,
                   "--simulate takes the hall's time to start at, YYYY-MM-DD HH:MM or HH:MM "
                   "(today), not '%s'",
                   text);
}

int64_t hallqd_start_ms(const hallqd_start_t *start, int64_t now_ms)
{
    hq_date_t day = start->has_date ? start->date : hq_date_local(now_ms);
    return hq_date_local_ms(day, start->hour) + (int64_t)start->second * 1000;
}

static int s_set_start(void *field, const char *arg, const ui_option_t *opt, char *why,
                       size_t whylen)
{
    (void)opt;
    return hallqd_parse_start(arg, field, why, whylen);
}

static int s_set_speed(void *field, const char *arg, const ui_option_t *opt, char *why,
                       size_t whylen)
{
    char *end;
    double v = strtod(arg, &end);
    if (end == arg || *end || !(v >= 1 && v <= HALLCLOCK_SPEED_MAX))
        return hq_fail(why, whylen, "--%s takes a number from 1 to %d, not '%s'", opt->name,
                       HALLCLOCK_SPEED_MAX, arg);
    hallqd_options_t *o = (hallqd_options_t *)((char *)field - offsetof(hallqd_options_t, speed));
    o->speed = v;
    o->speed_given = 1;
    return 0;
}

static int s_check(void *settings, char *why, size_t whylen)
{
    const hallqd_options_t *o = settings;
    if (o->speed_given && !o->simulate.given)
        return hq_fail(why, whylen, "--speed is the simulated clock's: it needs --simulate START");
    return 0;
}

void hallqd_options_defaults(hallqd_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->lang = UI_LANG_ZH;
    o->data_dir = "hallq-data";
    o->speed = 1;
}

static const ui_option_t s_options[] = {
    {.name = "config",
     .letter = 'c',
     .arg = "FILE",
     .help = {"配置文件（默认：内置配置）", "configuration file (default: the embedded one)"},
     .set = ui_set_string,
     .at = S_OPT(config)},
    {.name = "data",
     .letter = 'd',
     .arg = "DIR",
     .help = {"存放 hallq.db 的数据目录（默认 ./hallq-data）",
              "data directory holding hallq.db (default ./hallq-data)"},
     .set = ui_set_string,
     .at = S_OPT(data_dir)},
    {.name = "request",
     .arg = "EP",
     .help = {"请求地址（默认 " HQ_DEFAULT_REQUEST_ENDPOINT "）",
              "request endpoint (default " HQ_DEFAULT_REQUEST_ENDPOINT ")"},
     .set = ui_set_string,
     .at = S_OPT(request)},
    {.name = "events",
     .arg = "EP",
     .help = {"事件地址（默认 " HQ_DEFAULT_EVENT_ENDPOINT "）",
              "event endpoint (default " HQ_DEFAULT_EVENT_ENDPOINT ")"},
     .set = ui_set_string,
     .at = S_OPT(events)},
    {.name = "keys",
     .arg = "DIR",
     .help = {"CURVE 密钥和设备白名单（hallqctl keys）；\n没有密钥时只在本机回环地址上监听",
              "CURVE keys and device allow-list (hallqctl keys);\n"
              "without keys the daemon listens on loopback only"},
     .set = ui_set_string,
     .at = S_OPT(keys)},
    {.name = "log-level",
     .letter = 'l',
     .arg = "LEVEL",
     .help = {"日志级别：error、warn、info 或 debug（默认 info）",
              "error, warn, info or debug (default info)"},
     .set = s_set_log_level,
     .at = S_OPT(log_level)},
    {.name = "simulate",
     .arg = "START",
     .help = {"模拟时钟：大厅的时间从 START 开始（YYYY-MM-DD\n"
              "HH:MM，或当天的 HH:MM）；只用于模拟和培训大厅，\n"
              "须用模拟专用的数据目录；有密钥或监听回环以外的\n"
              "地址时拒绝",
              "a simulated clock from START (YYYY-MM-DD HH:MM, or\n"
              "HH:MM today), for simulation and training halls only,\n"
              "in a data folder of their own; refused with keys or\n"
              "an endpoint beyond loopback"},
     .set = s_set_start,
     .at = S_OPT(simulate)},
    {.name = "speed",
     .arg = "N",
     .help = {"模拟时钟比实际快 N 倍（1 到 3600，默认 1）",
              "the simulated clock runs N times as fast as real\ntime (1 to 3600, default 1)"},
     .set = s_set_speed,
     .at = S_OPT(speed)},
    {.name = "check-config",
     .help = {"检查配置后退出", "check the configuration and exit"},
     .set = ui_set_flag,
     .at = S_OPT(check_only)},
    {.name = "print-catalog",
     .help = {"列出所提供的业务后退出", "print the services offered and exit"},
     .set = ui_set_flag,
     .at = S_OPT(print_catalog)},
    {.name = NULL},
};

const ui_program_t hallqd_cli = {
    .name = "hallqd",
    .version = HALLQ_VERSION " (protocol " S_XSTR(HQ_PROTOCOL_VERSION) ")",
    .synopsis = {"[选项]", "[options]"},
    .about = {"医保服务大厅的排队守护进程。在前台运行，日志写到标准错误。",
              "Runs the hall's queue daemon in the foreground, logging to stderr."},
    .epilog = {"信号：SIGINT、SIGTERM、SIGHUP、SIGQUIT 让守护进程按顺序停止。\n"
               "退出状态：0 正常停止，2 参数或配置错误，4 其他故障（数据库、套接字）。",
               "Signals: SIGINT, SIGTERM, SIGHUP and SIGQUIT stop the daemon in order.\n"
               "Exit status: 0 stopped, 2 bad arguments or configuration, 4 any other failure\n"
               "(database, sockets)."},
    .options = s_options,
    .lang_at = S_OPT(lang),
    .keeps_l = 1,
    .check = s_check,
};
