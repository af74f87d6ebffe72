#include "options.h"

#include "hq_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_OPT(field) offsetof(sim_options_t, field)

/* "HH:MM" as minutes since midnight. */
static int s_set_clock(void *field, const char *arg, const ui_option_t *opt, char *why,
                       size_t whylen)
{
    int h, m;
    char tail;
    if (sscanf(arg, "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59) {
        snprintf(why, whylen, "--%s takes a time HH:MM, not '%s'", opt->name, arg);
        return -1;
    }
    *(double *)field = h * 60 + m;
    return 0;
}

/* "1,2,3": the windows, each once. */
static int s_set_windows(void *field, const char *arg, const ui_option_t *opt, char *why,
                         size_t whylen)
{
    sim_options_t *o = (sim_options_t *)((char *)field - S_OPT(windows));
    int n = 0;
    for (const char *p = arg;; p++) {
        char item[16];
        size_t len = strcspn(p, ",");
        int id;
        if (len >= sizeof item) {
            snprintf(why, whylen, "--%s: '%.*s' is not a window number", opt->name, (int)len, p);
            return -1;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        if (hq_parse_int(item, 1, 999, &id) != 0) {
            snprintf(why, whylen, "--%s: '%s' is not a window number 1-999", opt->name, item);
            return -1;
        }
        for (int i = 0; i < n; i++)
            if (o->windows[i] == id) {
                snprintf(why, whylen, "--%s names window %d twice", opt->name, id);
                return -1;
            }
        if (n == SIM_WINDOWS_MAX) {
            snprintf(why, whylen, "--%s: at most %d windows", opt->name, SIM_WINDOWS_MAX);
            return -1;
        }
        o->windows[n++] = id;
        p += len;
        if (!*p)
            break;
    }
    o->nwindows = n;
    return 0;
}

static int s_check(void *settings, char *why, size_t whylen)
{
    const sim_options_t *o = settings;
    if (o->to <= o->from) {
        snprintf(why, whylen, "--to must be after --from");
        return -1;
    }
    return 0;
}

void sim_options_defaults(sim_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->endpoint = ui_env_or("HALLQ_ENDPOINT", HQ_DEFAULT_REQUEST_ENDPOINT);
    o->from = 8 * 60 + 30;
    o->to = 17 * 60 + 30;
    o->days = 1;
    o->seed = 1;
    for (int id = 1; id <= 4; id++)
        o->windows[o->nwindows++] = id;
    o->lang = UI_LANG_ZH;
}

static const ui_option_t s_options[] = {
    UI_OPTION_ENDPOINT(sim_options_t, endpoint),
    {.name = "counters",
     .arg = "1,2,3",
     .help = {"模拟柜员工作的窗口（默认 1,2,3,4）",
              "the windows simulated clerks work (default 1,2,3,4)"},
     .set = s_set_windows,
     .at = S_OPT(windows)},
    {.name = "from",
     .arg = "HH:MM",
     .help = {"市民开始到达的时刻（默认 08:30）", "when citizens start to arrive (default 08:30)"},
     .set = s_set_clock,
     .at = S_OPT(from)},
    {.name = "to",
     .arg = "HH:MM",
     .help = {"停止取号的时刻，排队的市民仍会办完（默认 17:30）",
              "when arrivals stop; the line is still served to its end (default 17:30)"},
     .set = s_set_clock,
     .at = S_OPT(to)},
    {.name = "seed",
     .arg = "N",
     .help = {"随机数种子，相同种子重演同样的一天（默认 1）",
              "random seed: the same seed plays the same day (default 1)"},
     .set = ui_set_int,
     .at = S_OPT(seed),
     .min = 0,
     .max = 2147483647},
    {.name = "days",
     .arg = "N",
     .help = {"连续模拟 N 个营业日（默认 1）",
              "business days played one after the other (default 1)"},
     .set = ui_set_int,
     .at = S_OPT(days),
     .min = 1,
     .max = 366},
    {.name = "summary",
     .arg = "FILE",
     .help = {"把模拟的到达与办理时间写成 JSON（供核对统计）",
              "write what was played as JSON: arrivals by hour, handling times\n"
              "(to check the hall's statistics against)"},
     .set = ui_set_string,
     .at = S_OPT(summary)},
    {.name = NULL},
};

const ui_program_t sim_cli = {
    .name = "hallq-sim",
    .synopsis = {"[选项]", "[options]"},
    .about = {"通过 hallqd 模拟整天的市民到达和柜员办理（上午 10 点、下午 3 点前后最忙）。\n"
              "只在模拟时钟的大厅上运行（hallqd --simulate），按大厅时钟的速度进行，\n"
              "所以统计数据和真实的一天一样：办理时间按模拟的分钟计，每模拟 10 分钟\n"
              "一条指标，模拟的午夜换日。",
              "Drives whole days of arrivals and clerks through hallqd (busiest near 10:00 and\n"
              "15:00). It runs only on a hall with a simulated clock (hallqd --simulate), at\n"
              "that clock's speed, so the statistics it leaves are a real day's: handling in\n"
              "simulated minutes, a metric entry every simulated 10 minutes, the rollover at\n"
              "simulated midnight."},
    .epilog = {"退出状态：0 模拟结束，1 hallqd 使用真实时钟（拒绝模拟），2 参数错误，\n"
               "3 hallqd 未应答（取不到服务目录），4 写不了 --summary 文件。",
               "Exit status: 0 the days are over, 1 hallqd keeps real time (no simulation\n"
               "there), 2 bad arguments, 3 hallqd did not answer (no catalog), 4 the --summary\n"
               "file could not be written."},
    .options = s_options,
    .lang_at = S_OPT(lang),
    .check = s_check,
};
