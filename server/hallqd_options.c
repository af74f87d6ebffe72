/* hallqd_options: see hallqd_options.h. */
#include "hallqd_options.h"

#include "hq_log.h"
#include "hq_proto.h"

#include <stdio.h>
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

void hallqd_options_defaults(hallqd_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->lang = UI_LANG_ZH;
    o->data_dir = "hallq-data";
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
};
