#include "options.h"

#include "hq_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_OPT(field) offsetof(sim_options_t, field)

static int s_set_speed(void *field, const char *arg, const ui_option_t *opt, char *why,
                       size_t whylen)
{
    char *end;
    double v = strtod(arg, &end);
    if (end == arg || *end || !(v > 0 && v <= 100000)) {
        snprintf(why, whylen, "--%s takes a number above 0 (up to 100000), not '%s'", opt->name,
                 arg);
        return -1;
    }
    *(double *)field = v;
    return 0;
}

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
    o->speed = 60;
    o->from = 8 * 60 + 30;
    o->to = 12 * 60;
    o->seed = 1;
    for (int id = 1; id <= 4; id++)
        o->windows[o->nwindows++] = id;
    o->lang = UI_LANG_ZH;
}

static const ui_option_t s_options[] = {
    UI_OPTION_ENDPOINT(sim_options_t, endpoint),
    {.name = "speed",
     .arg = "N",
     .help = {"比实际快 N 倍（默认 60：每秒一模拟分钟）",
              "N times faster than real time (default 60: a simulated minute a second)"},
     .set = s_set_speed,
     .at = S_OPT(speed)},
    {.name = "counters",
     .arg = "1,2,3",
     .help = {"模拟柜员工作的窗口（默认 1,2,3,4）",
              "the windows simulated clerks work (default 1,2,3,4)"},
     .set = s_set_windows,
     .at = S_OPT(windows)},
    {.name = "from",
     .arg = "HH:MM",
     .help = {"模拟开始的时刻（默认 08:30）", "when the simulated morning starts (default 08:30)"},
     .set = s_set_clock,
     .at = S_OPT(from)},
    {.name = "to",
     .arg = "HH:MM",
     .help = {"模拟结束的时刻（默认 12:00）", "when it ends (default 12:00)"},
     .set = s_set_clock,
     .at = S_OPT(to)},
    {.name = "seed",
     .arg = "N",
     .help = {"随机数种子，相同种子重演同一个上午（默认 1）",
              "random seed: the same seed plays the same morning (default 1)"},
     .set = ui_set_int,
     .at = S_OPT(seed),
     .min = 0,
     .max = 2147483647},
    {.name = NULL},
};

const ui_program_t sim_cli = {
    .name = "hallq-sim",
    .synopsis = {"[选项]", "[options]"},
    .about = {"通过 hallqd 模拟一个上午的市民到达和柜员办理，上午 10 点前后最忙。",
              "Drives a morning of arrivals and clerks through hallqd; the morning peaks near "
              "10:00."},
    .epilog = {"退出状态：0 模拟结束，2 参数错误，3 hallqd 未应答（取不到服务目录）。",
               "Exit status: 0 the morning is over, 2 bad arguments, 3 hallqd did not answer\n"
               "(no catalog)."},
    .options = s_options,
    .lang_at = S_OPT(lang),
    .check = s_check,
};
