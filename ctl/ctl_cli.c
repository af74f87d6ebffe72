/* ctl_cli: see ctl_cli.h. */
#include "ctl_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_OPT(field) offsetof(ctl_opts_t, field)

/* The token of an issue is the kiosk's and is not offered here. */
const ctl_word_t ctl_words[] = {
    {HQ_F_COUNTER, "COUNTER", NULL},
    {HQ_F_QUEUE, "QUEUE", NULL},
    {HQ_F_NUMBER, "NUMBER", NULL},
    {HQ_F_CLERK, "CLERK", NULL},
    {HQ_F_RATING, "1-5", NULL},
    {HQ_F_DATE, "YYYY-MM-DD", NULL},
    {HQ_F_SLOT, "HH:MM", NULL},
    {HQ_F_CODE, "CODE", NULL},
    {HQ_F_SERVICE, NULL, "--service NO"},
    {HQ_F_ELDERLY, NULL, "--elderly"},
    {HQ_F_ID_NUMBER, NULL, "--id-number ID"},
    {HQ_F_REASON, NULL, "--reason TEXT"},
    {HQ_F_PIN, NULL, "--pin"},
};
const size_t ctl_nwords = sizeof ctl_words / sizeof ctl_words[0];

/* --elderly and --id-number exclude each other (the codec's rule): shown as one choice. */
void ctl_verb_args(const hq_req_info_t *row, char *out, size_t outlen)
{
    size_t used = 0;
    unsigned shown = 0;
    out[0] = '\0';
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < ctl_nwords && used < outlen; i++) {
            hq_field_t f = ctl_words[i].field;
            const char *w = ctl_words[i].word ? ctl_words[i].word : ctl_words[i].option;
            if (shown & f)
                continue;
            if (pass == 0 && ctl_words[i].word && (row->required & f))
                used += (size_t)snprintf(out + used, outlen - used, "%s%s", used ? " " : "", w);
            else if ((pass == 1 && ctl_words[i].word && (row->optional & f)) ||
                     (pass == 2 && !ctl_words[i].word && ((row->required | row->optional) & f))) {
                const char *alt = f == HQ_F_ELDERLY && (row->optional & HQ_F_ID_NUMBER)
                                      ? " | --id-number ID"
                                      : "";
                used += (size_t)snprintf(out + used, outlen - used, "%s[%s%s]", used ? " " : "", w,
                                         alt);
                shown |= alt[0] ? HQ_F_ID_NUMBER : 0;
            }
        }
}

/* The verbs that are no request, their help in both languages. */
static const struct {
    const char *name;
    const char *args;
    ui_text_t help;
} s_own_verbs[] = {
    {"watch",
     "[--count N] [--heartbeats] [--alerts]",
     {"事件发生时逐条输出", "print events as they happen"}},
    {"backup",
     "--out FILE [--data DIR]",
     {"在线复制数据库（SQLite 在线备份，服务不停）",
      "consistent copy of the live database (SQLite online backup)"}},
    {"restore",
     "FILE [--data DIR]",
     {"放回一份备份（先停止 hallqd）", "put a backup back in place (hallqd stopped)"}},
    {"keys",
     "new NAME --role ROLE --out DIR|- | init | list [--keys DIR]",
     {"设备密钥：ROLE 为 kiosk、counter:N、display、web 或 manager；设备私钥写到 --out",
      "device keys: ROLE kiosk, counter:N, display, web or manager; the device's secret goes to "
      "--out"}},
    {"clerk",
     "add NAME | remove NAME | list [--data DIR]",
     {"柜员名册：名册中的柜员登录须输入本人密码（只保存密码的散列）",
      "the clerk roster: a listed clerk logs in with their PIN (only its hash is kept)"}},
    {"calendar",
     "check FILE",
     {"检查节假日与调休文件（[calendar] holidays），列出各年放假与调休上班日",
      "check a holidays file ([calendar] holidays): each year's holidays and make-up days"}},
    {"stats",
     "export|metric|report|staffing ...",
     {"经理统计（hallqctl stats --help）", "statistics for managers (hallqctl stats --help)"}},
    {"db",
     "check|recover [FILE] [--data DIR] [--out NEWFILE]",
     {"检查数据库；把损坏的数据库中能读出的内容恢复到新文件（hallqctl db --help）",
      "check the database; recover a damaged one into a new file (hallqctl db --help)"}},
    {"central",
     "migrate|status [--central URL]",
     {"市级中心库：升级结构、查看各厅上报进度（hallqctl central --help）",
      "the city's central store: its schema, each hall's shipping (hallqctl central --help)"}},
};

/* The verbs, after the options: one line each, its words derived from the request's row.
 * A request's line is English like the table of requests it comes from; hallqctl's own
 * verbs speak the help's language. */
static void s_verbs_help(FILE *out, ui_lang_t lang)
{
    fprintf(out, "\n%s\n", lang == UI_LANG_EN ? "Verbs:" : "动作：");
    char left[128], args[96];
    for (int t = 0; t < HQ_REQ_COUNT_; t++) {
        const hq_req_info_t *row = hq_req_info((hq_req_type_t)t);
        ctl_verb_args(row, args, sizeof args);
        snprintf(left, sizeof left, "%s %s", row->verb, args);
        fprintf(out, "  %-52s %s\n", left, row->help);
    }
    for (size_t i = 0; i < sizeof s_own_verbs / sizeof s_own_verbs[0]; i++) {
        snprintf(left, sizeof left, "%s %s", s_own_verbs[i].name, s_own_verbs[i].args);
        fprintf(out, "  %-52s %s\n", left,
                lang == UI_LANG_EN ? s_own_verbs[i].help.en : s_own_verbs[i].help.zh);
    }
}

static int s_word(void *settings, const char *word, char *why, size_t whylen)
{
    ctl_opts_t *o = settings;
    if (o->nwords == CTL_WORDS_MAX) {
        snprintf(why, whylen, "too many words at '%s'", word);
        return -1;
    }
    o->words[o->nwords++] = word;
    return 0;
}

/* Any text, the empty one too ("--reason ''" is no reason). */
static int s_set_text(void *field, const char *arg, const ui_option_t *opt, char *why,
                      size_t whylen)
{
    (void)opt;
    (void)why;
    (void)whylen;
    *(const char **)field = arg;
    return 0;
}

static int s_check(void *settings, char *why, size_t whylen)
{
    const ctl_opts_t *o = settings;
    if (o->elderly && o->id_number) {
        snprintf(why, whylen, "give --elderly or --id-number, not both");
        return -1;
    }
    return 0;
}

void ctl_opts_defaults(ctl_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->lang = UI_LANG_ZH;
    o->endpoint = ui_env_or("HALLQ_ENDPOINT", HQ_DEFAULT_REQUEST_ENDPOINT);
    o->events = ui_env_or("HALLQ_EVENTS", HQ_DEFAULT_EVENT_ENDPOINT);
    o->timeout_ms = 3000;
    o->keys_dir = ui_env_or("HALLQ_KEYS", "hallq-data/keys");
    o->data_dir = ctl_default_data_dir();
}

const char *ctl_default_data_dir(void)
{
    const char *env = getenv("HALLQ_DATA");
    if (env && env[0])
        return env;
    if (access(CTL_LOCAL_DATA_DIR, F_OK) != 0 && access(CTL_INSTALLED_DATA_DIR, F_OK) == 0)
        return CTL_INSTALLED_DATA_DIR;
    return CTL_LOCAL_DATA_DIR;
}

static const ui_option_t s_options[] = {
    UI_OPTION_ENDPOINT_LETTER(ctl_opts_t, endpoint, 'e'),
    UI_OPTION_EVENTS(ctl_opts_t, events),
    {.name = "timeout",
     .arg = "MS",
     .help = {"等待 hallqd 回复的毫秒数（1-600000，默认 3000）",
              "how long to wait for hallqd's reply, in ms (1-600000,\ndefault 3000)"},
     .set = ui_set_int,
     .at = S_OPT(timeout_ms),
     .min = 1,
     .max = 600000},
    {.name = "json",
     .help = {"把 hallqd 的完整回复输出为一行 JSON", "print hallqd's whole reply as one JSON line"},
     .set = ui_set_flag,
     .at = S_OPT(json)},
    UI_OPTION_KEY(ctl_opts_t, key),
    UI_OPTION_SERVER_KEY(ctl_opts_t, server_key),
    {.name = "service",
     .arg = "NO",
     .help = {"issue：业务编号", "issue: the service number"},
     .set = ui_set_int,
     .at = S_OPT(service),
     .min = 1,
     .max = 9999},
    {.name = "elderly",
     .help = {"issue：老年人绿色通道", "issue: the elderly green lane"},
     .set = ui_set_flag,
     .at = S_OPT(elderly)},
    {.name = "id-number",
     .arg = "ID",
     .help = {"issue：由身份证号决定是否走绿色通道（号码不保存）",
              "issue: the green lane from an ID number (never stored)"},
     .set = ui_set_string,
     .at = S_OPT(id_number)},
    {.name = "reason",
     .arg = "TEXT",
     .help = {"pause：暂停的原因", "pause: why the counter pauses"},
     .set = s_set_text,
     .at = S_OPT(reason)},
    {.name = "count",
     .arg = "N",
     .help = {"watch：输出 N 个事件后停止", "watch: stop after N events"},
     .set = ui_set_int,
     .at = S_OPT(count),
     .min = 1,
     .max = 100000000},
    {.name = "heartbeats",
     .help = {"watch：心跳也显示", "watch: show heartbeats too"},
     .set = ui_set_flag,
     .at = S_OPT(heartbeats)},
    {.name = "alerts",
     .help = {"watch：只显示告警（排队超时、办理超标）及其解除",
              "watch: alerts only (waits and handling over target), raised and cleared"},
     .set = ui_set_flag,
     .at = S_OPT(alerts)},
    {.name = "pin",
     .help = {"login：从终端读取柜员密码（不回显），非终端时读标准输入的一行",
              "login: read the clerk's PIN from the terminal (no echo), or\none line of standard "
              "input when it is no terminal"},
     .set = ui_set_flag,
     .at = S_OPT(pin)},
    {.name = "role",
     .arg = "ROLE",
     .help = {"keys new：kiosk、counter:N、display、web 或 manager",
              "keys new: kiosk, counter:N, display, web or manager"},
     .set = ui_set_string,
     .at = S_OPT(role)},
    {.name = "keys",
     .arg = "DIR",
     .help = {"keys：密钥目录（默认 $HALLQ_KEYS，否则 hallq-data/keys）",
              "keys: the keys directory (default $HALLQ_KEYS,\nelse hallq-data/keys)"},
     .set = ui_set_string,
     .at = S_OPT(keys_dir)},
    {.name = "data",
     .arg = "DIR",
     .help =
         {"backup、restore、clerk：数据目录（默认 $HALLQ_DATA，否则 ./hallq-data，\n"
          "没有它而有 /var/lib/hallq 时用后者）",
          "backup, restore, clerk: the data directory (default\n$HALLQ_DATA, else ./hallq-data, "
          "else the\ninstalled /var/lib/hallq)"},
     .set = ui_set_string,
     .at = S_OPT(data_dir)},
    {.name = "out",
     .arg = "PATH",
     .help = {"backup：写入的文件；keys new：设备密钥写入的目录（- 为标准输出）",
              "backup: the file to write; keys new: the folder for the device's key (- for\n"
              "standard output)"},
     .set = ui_set_string,
     .at = S_OPT(out)},
    {.name = NULL},
};

const ui_program_t ctl_cli = {
    .name = "hallqctl",
    .synopsis = {"[选项] 动作 [参数...]", "[options] VERB [ARGS...]"},
    .about = {"在命令行上完成大厅的每个操作，供管理员、经理和脚本使用。\n"
              "选项可以写在动作之前或之后。",
              "Every hall action from a shell, for operators, managers and scripts.\n"
              "Options may stand before or after the verb."},
    .epilog = {"退出状态：0 完成，1 hallqd 拒绝，2 参数错误，3 无法连接 hallqd。",
               "Exit status: 0 done, 1 refused by hallqd, 2 bad arguments, 3 hallqd unreachable."},
    .options = s_options,
    .lang_at = S_OPT(lang),
    .operand = s_word,
    .more_help = s_verbs_help,
    .check = s_check,
};
