/* options: see options.h. */
#include "options.h"

#include "greenlane.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_OPT(field) offsetof(kiosk_options_t, field)
/* The settings a setter's field belongs to. */
#define S_SETTINGS(field, member) ((kiosk_options_t *)((char *)(field)-S_OPT(member)))

static int s_set_queue(void *field, const char *arg, const ui_option_t *opt, char *why,
                       size_t whylen)
{
    if (strlen(arg) != 1 ||
        !((arg[0] >= 'A' && arg[0] <= 'Z') || (arg[0] >= 'a' && arg[0] <= 'z'))) {
        snprintf(why, whylen, "--%s takes one letter A-Z, not '%s'", opt->name, arg);
        return -1;
    }
    *(char *)field = (char)(arg[0] & ~0x20);
    return 0;
}

static int s_set_paper(void *field, const char *arg, const ui_option_t *opt, char *why,
                       size_t whylen)
{
    if (strcmp(arg, "58") != 0 && strcmp(arg, "80") != 0) {
        snprintf(why, whylen, "--%s takes 58 or 80, not '%s'", opt->name, arg);
        return -1;
    }
    *(int *)field = atoi(arg);
    return 0;
}

/* Reads an ID number from standard input (one line), so it never appears in argv. */
static int s_read_id_number(kiosk_options_t *o)
{
    char line[64];
    if (!fgets(line, sizeof line, stdin)) {
        greenlane_wipe(line, sizeof line);
        return -1;
    }
    line[strcspn(line, "\r\n")] = '\0';
    int rc = hq_strlcpy(o->id_number, line, sizeof o->id_number);
    greenlane_wipe(line, sizeof line);
    return rc;
}

static int s_set_id_number(void *field, const char *arg, const ui_option_t *opt, char *why,
                           size_t whylen)
{
    kiosk_options_t *o = S_SETTINGS(field, id_number);
    int rc = strcmp(arg, "-") == 0 ? s_read_id_number(o)
                                   : hq_strlcpy(o->id_number, arg, sizeof o->id_number);
    /* Gone from the process list from here on: argv's strings are the program's to change. */
    greenlane_wipe((char *)arg, strlen(arg));
    if (rc != 0) {
        greenlane_wipe(o->id_number, sizeof o->id_number);
        snprintf(why, whylen, "--%s: an ID number has 18 characters", opt->name);
        return -1;
    }
    o->has_id_number = 1;
    return 0;
}

/* --printer, --out and --preview each name where the ticket goes; s_check allows one. */
static int s_set_printer(void *field, const char *arg, const ui_option_t *opt, char *why,
                         size_t whylen)
{
    (void)opt;
    (void)why;
    (void)whylen;
    kiosk_options_t *o = S_SETTINGS(field, printer);
    o->printer = arg;
    o->outputs++;
    return 0;
}

static int s_set_out(void *field, const char *arg, const ui_option_t *opt, char *why, size_t whylen)
{
    kiosk_options_t *o = S_SETTINGS(field, output);
    if (output_set(&o->output, OUTPUT_FILE, arg) != 0) {
        snprintf(why, whylen, "--%s needs a file name", opt->name);
        return -1;
    }
    o->outputs++;
    return 0;
}

static int s_set_preview(void *field, const char *arg, const ui_option_t *opt, char *why,
                         size_t whylen)
{
    (void)arg;
    (void)opt;
    (void)why;
    (void)whylen;
    kiosk_options_t *o = S_SETTINGS(field, output);
    output_set(&o->output, OUTPUT_PREVIEW, NULL);
    o->outputs++;
    return 0;
}

/* The options that exclude or need each other, then the output completed: the printer
 * from $HALLQ_PRINTER when none was chosen, the language and timeout of its messages. */
static int s_check(void *settings, char *why, size_t whylen)
{
    kiosk_options_t *o = settings;
    if (o->outputs > 1)
        snprintf(why, whylen, "choose one of --printer, --out and --preview");
    else if (o->elderly && o->has_id_number)
        snprintf(why, whylen, "--elderly and --id-number exclude each other");
    else if (o->reprint && (o->queue || o->service || o->elderly || o->has_id_number))
        snprintf(why, whylen,
                 "--reprint prints the kept ticket: it takes no queue, service or "
                 "green-lane options");
    else if (!o->queue && !o->reprint && (o->service || o->elderly || o->has_id_number))
        snprintf(why, whylen, "--service, --elderly and --id-number need --queue");
    else if (!o->queue && !o->reprint && o->output.kind == OUTPUT_PREVIEW)
        snprintf(why, whylen, "--preview needs --queue or --reprint (the kiosk owns the screen)");
    else
        why[0] = '\0';
    if (why[0])
        return -1;
    if (o->outputs == 0)
        o->printer = ui_env_or("HALLQ_PRINTER", OUTPUT_DEFAULT_DEVICE);
    if (o->printer && output_parse_printer(o->printer, &o->output, why, whylen) != 0)
        return -1;
    o->output.lang = o->lang;
    o->output.timeout_ms =
        o->timeout_ms > OUTPUT_DEFAULT_TIMEOUT_MS ? o->timeout_ms : OUTPUT_DEFAULT_TIMEOUT_MS;
    return 0;
}

void kiosk_options_defaults(kiosk_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->copies = 1;
    o->lang = UI_LANG_ZH;
    o->paper_mm = 58;
    o->timeout_ms = OPTIONS_TIMEOUT_DEFAULT_MS;
    o->endpoint = ui_env_or("HALLQ_ENDPOINT", HQ_DEFAULT_REQUEST_ENDPOINT);
}

/* The help states these numbers as text. */
_Static_assert(OPTIONS_COPIES_MAX == 9 && OPTIONS_TIMEOUT_DEFAULT_MS == 3000,
               "update the help of --copies and --timeout");

static const ui_option_t s_options[] = {
    {.name = "queue",
     .letter = 'q',
     .arg = "A",
     .help = {"不经询问，直接在此队列取号（非交互）",
              "issue in this queue without asking (non-interactive)"},
     .set = s_set_queue,
     .at = S_OPT(queue)},
    {.name = "service",
     .letter = 's',
     .arg = "NO",
     .help = {"号票所办的业务（服务目录中的事项编号）",
              "the service (catalog item number) the ticket is for"},
     .set = ui_set_int,
     .at = S_OPT(service),
     .min = 1,
     .max = 9999},
    {.name = "elderly",
     .letter = 'e',
     .help = {"老年人绿色通道", "elderly green lane"},
     .set = ui_set_flag,
     .at = S_OPT(elderly)},
    {.name = "id-number",
     .letter = 'i',
     .arg = "ID",
     .help = {"按居民身份证号决定是否走绿色通道；号码只在本机核对，\n"
              "不会发出。'-' 表示从标准输入读取",
              "decide the green lane from a resident ID number; the\n"
              "number stays here. '-' reads it from standard input"},
     .set = s_set_id_number,
     .at = S_OPT(id_number)},
    {.name = "copies",
     .letter = 'n',
     .arg = "N",
     .help = {"打印份数，1-9（默认 1）", "copies to print, 1-9 (default 1)"},
     .set = ui_set_int,
     .at = S_OPT(copies),
     .min = 1,
     .max = OPTIONS_COPIES_MAX},
    {.name = "paper",
     .arg = "58|80",
     .help = {"纸宽，单位毫米（默认 58）", "paper width in mm (default 58)"},
     .set = s_set_paper,
     .at = S_OPT(paper_mm)},
    {.name = "printer",
     .letter = 'p',
     .arg = "DEV",
     .help = {"打印机设备（默认 $HALLQ_PRINTER，否则 " OUTPUT_DEFAULT_DEVICE "），\n"
              "或网络打印机 tcp://HOST:9100",
              "printer device (default $HALLQ_PRINTER, else " OUTPUT_DEFAULT_DEVICE "),\n"
              "or tcp://HOST:9100 for a network printer"},
     .set = s_set_printer,
     .at = S_OPT(printer)},
    {.name = "out",
     .letter = 'o',
     .arg = "FILE",
     .help = {"把 ESC/POS 字节写入文件，不打印", "write the ESC/POS bytes to a file instead"},
     .set = s_set_out,
     .at = S_OPT(output)},
    {.name = "preview",
     .help = {"在标准输出以文字显示号票样张：不取号，不打印",
              "show a sample ticket as text on standard output: nothing\nis issued or printed"},
     .set = s_set_preview,
     .at = S_OPT(output)},
    {.name = "reprint",
     .letter = 'r',
     .help = {"重新打印上一张号票；不取新号", "print the last ticket again; nothing is issued"},
     .set = ui_set_flag,
     .at = S_OPT(reprint)},
    {.name = "state-dir",
     .arg = "DIR",
     .help = {"保存上一张号票的目录（默认 $XDG_STATE_HOME/hallq，\n"
              "否则 ~/.local/state/hallq）",
              "where the last ticket is kept (default\n"
              "$XDG_STATE_HOME/hallq, else ~/.local/state/hallq)"},
     .set = ui_set_string,
     .at = S_OPT(state_dir)},
    UI_OPTION_ENDPOINT(kiosk_options_t, endpoint),
    {.name = "timeout",
     .arg = "MS",
     .help = {"等待 hallqd 回复的毫秒数（100-600000，默认 3000）",
              "how long to wait for hallqd, in ms (100-600000, default 3000)"},
     .set = ui_set_int,
     .at = S_OPT(timeout_ms),
     .min = 100,
     .max = 600000},
    UI_OPTION_KEY(kiosk_options_t, key),
    UI_OPTION_SERVER_KEY(kiosk_options_t, server_key),
    {.name = NULL},
};

const ui_program_t kiosk_cli = {
    .name = "hallq-ticket",
    .synopsis = {"[选项]", "[options]"},
    .about = {"从 hallqd 取一张排队号票并打印。不带 --queue 时运行交互式取号机（键盘或触摸屏）：\n"
              "选择队列和业务，标记绿色通道或输入身份证号（在本机核对，不会发出），取票。\n"
              "工作人员凭柜员密码进入工作人员模式：补打、过号重排、代取绿色通道号、退出程序；\n"
              "也可按 hallqd 配置 [kiosk] exit_keys 设定的组合键退出。",
              "Issues a queue ticket from hallqd and prints it. Without --queue it runs the\n"
              "interactive kiosk (keys or a touch screen): choose a queue and service, mark the\n"
              "green lane or enter an ID number (checked here, never sent), take the ticket.\n"
              "Staff sign in with their clerk PIN for staff mode: reprints, a missed number back\n"
              "in line, a green-lane ticket, leaving the program; the keys of hallqd's [kiosk]\n"
              "exit_keys leave it too."},
    .epilog =
        {"退出状态：0 已打印（取号机：工作人员退出），1 hallqd 拒绝，\n"
         "2 参数错误或终端不可用，3 hallqd 无法连接，4 已取号但未打印（用 --reprint 重新打印）。",
         "Exit status: 0 printed (the kiosk: left by staff), 1 refused by hallqd, 2 bad\n"
         "arguments or no usable terminal, 3 hallqd unreachable, 4 issued but not printed\n"
         "(use --reprint)."},
    .options = s_options,
    .lang_at = S_OPT(lang),
    .check = s_check,
};
