#include "options.h"

#include <stdlib.h>
#include <string.h>

#define S_OPT(field) offsetof(hqc_options_t, field)

/* A clerk id goes on the wire and on screen: printable, no spaces, fits the protocol. */
static int s_clerk_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= HQ_CLERK_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)id[i];
        if (ch < 0x21 || ch == 0x7f)
            return 0;
    }
    return 1;
}

static int s_clerk_fail(const char *id, char *why, size_t whylen)
{
    snprintf(why, whylen, "clerk id '%s' must be 1-%d printable characters without spaces", id,
             HQ_CLERK_MAX - 1);
    return -1;
}

static int s_set_clerk(void *field, const char *arg, const ui_option_t *opt, char *why,
                       size_t whylen)
{
    (void)opt;
    if (!s_clerk_ok(arg))
        return s_clerk_fail(arg, why, whylen);
    hq_strlcpy(field, arg, HQ_CLERK_MAX);
    return 0;
}

static int s_check(void *settings, char *why, size_t whylen)
{
    hqc_options_t *o = settings;
    if (o->counter == 0) {
        snprintf(why, whylen, "--counter N is required");
        return -1;
    }
    if (!o->clerk[0]) {
        snprintf(why, whylen, "no clerk: give --clerk ID (or set HALLQ_CLERK)");
        return -1;
    }
    return 0;
}

void hqc_options_defaults(hqc_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->endpoint = ui_env_or("HALLQ_ENDPOINT", HQ_DEFAULT_REQUEST_ENDPOINT);
    o->events = ui_env_or("HALLQ_EVENTS", HQ_DEFAULT_EVENT_ENDPOINT);
    o->timeout_ms = 1500;
    o->lang = UI_LANG_ZH;
    const char *clerk = getenv("HALLQ_CLERK");
    if (!clerk || !*clerk)
        clerk = getenv("USER");
    /* An unusable default is no default: s_check then asks for --clerk. */
    if (clerk && s_clerk_ok(clerk))
        hq_strlcpy(o->clerk, clerk, sizeof o->clerk);
}

static const ui_option_t s_options[] = {
    {.name = "counter",
     .letter = 'c',
     .arg = "N",
     .help = {"窗口号（1-999）", "window number (1-999)"},
     .set = ui_set_int,
     .at = S_OPT(counter),
     .min = 1,
     .max = 999},
    {.name = "clerk",
     .arg = "ID",
     .help = {"柜员编号（默认 $HALLQ_CLERK，否则 $USER）",
              "clerk id (default $HALLQ_CLERK, else $USER)"},
     .set = s_set_clerk,
     .at = S_OPT(clerk)},
    UI_OPTION_ENDPOINT(hqc_options_t, endpoint),
    UI_OPTION_EVENTS(hqc_options_t, events),
    {.name = "timeout",
     .arg = "MS",
     .help = {"操作等待 hallqd 回复的毫秒数（100-60000，默认 1500）",
              "how long an action waits for hallqd's reply, in ms (100-60000, default 1500)"},
     .set = ui_set_int,
     .at = S_OPT(timeout_ms),
     .min = 100,
     .max = 60000},
    {.name = "log",
     .arg = "FILE",
     .help = {"屏幕显示期间的诊断信息追加到此文件（默认不记录）",
              "append diagnostics here while the screen is up (default: none)"},
     .set = ui_set_string,
     .at = S_OPT(log_path)},
    {.name = "verbose",
     .letter = 'v',
     .help = {"记录调试信息", "debug diagnostics"},
     .set = ui_set_flag,
     .at = S_OPT(verbose)},
    UI_OPTION_KEY(hqc_options_t, key),
    UI_OPTION_SERVER_KEY(hqc_options_t, server_key),
    {.name = NULL},
};

const ui_program_t hqc_cli = {
    .name = "hallq-counter",
    .synopsis = {"--counter N [选项]", "--counter N [options]"},
    .about = {"N 号窗口的柜员终端：为柜员登录（或从其他柜员处接管窗口），全屏实时显示本窗口。",
              "The clerk's terminal at window N: logs the clerk in (or takes the window over\n"
              "from another clerk) and shows the window full screen, live."},
    .epilog = {"按键：c 叫号，n 选号，r 重呼，s 开始，f 办结，x 过号，a 过号重排，p 挂起，\n"
               "u 取回，t 转移，b 暂停/恢复，e 评价，d 评价器配对码，l 重新登录，\n"
               "q 退出（先问是否退出登录）。\n"
               "用鼠标点击底行的按键或列表的一行，与按下该键相同。\n"
               "退出状态：0 退出，1 hallqd 拒绝登录或本大厅没有此窗口，2 参数错误或终端不可用，\n"
               "4 其他故障。",
               "Keys: c call next, n call a number, r recall, s start, f finish, x no-show,\n"
               "a put a no-show back in line, p park, u take a parked ticket back, t transfer,\n"
               "b pause/resume, e rating, d the rating tablet's pairing code, l log in again,\n"
               "q quit (asks whether to log out).\n"
               "A click on a key of the bottom row or on a row of a list does what its key\n"
               "does. Exit status: 0 quit, 1 hallqd refused the login or the hall has no such\n"
               "window, 2 bad arguments or no usable terminal, 4 any other failure."},
    .options = s_options,
    .lang_at = S_OPT(lang),
    .check = s_check,
};
