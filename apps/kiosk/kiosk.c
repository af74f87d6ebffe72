/* kiosk: see kiosk.h.
 *
 * Model and view are kept apart the usual way: keys and timers change the kiosk_t and set
 * `dirty`; the loop redraws the whole screen once per pass when something changed. */
#include "kiosk.h"

#include "catalog.h"
#include "escpos.h"
#include "greenlane.h"
#include "hq_signals.h"
#include "hq_client.h"
#include "hq_text.h"
#include "record.h"
#include "ticketing.h"

#include <curses.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_TICK_MS 250     /* key wait: timers and signals are looked at this often */
#define S_RETRY_MS 5000   /* catalog retry while hallqd cannot be reached */
#define S_RESULT_MS 30000 /* the result screen goes back to the start after this */
#define S_IDLE_MS 90000   /* a half-finished choice is dropped after this */
#define S_LINE_MAX 1024   /* bytes of one drawn line */
#define S_KEY_ESC 27

typedef enum { K_CONNECTING, K_QUEUES, K_SERVICES, K_CONFIRM, K_ID_ENTRY, K_RESULT } k_screen_t;

/* Everything the kiosk says, per language. */
typedef struct {
    const char *title;
    const char *connecting;
    const char *unreachable;
    const char *choose_queue;
    const char *choose_service;
    const char *no_service;
    const char *help_queues;
    const char *help_list;
    const char *help_connecting;
    const char *materials;
    const char *no_materials;
    const char *green_on;
    const char *green_off;
    const char *help_confirm;
    const char *id_prompt;
    const char *id_privacy;
    const char *help_id;
    const char *id_green;
    const char *id_normal;
    const char *issuing;
    const char *issue_failed;
    const char *issue_unreachable;
    const char *your_number;
    const char *green_mark;
    const char *ahead;
    const char *wait;
    const char *wait_under;
    const char *printed;
    const char *reprinted;
    const char *print_failed;
    const char *print_hint;
    const char *help_result;
    const char *no_last;
    const char *stale_last;
    const char *replaced;
    const char *not_kept;
} s_text_t;

static const s_text_t s_zh = {
    .title = "自助取号",
    .connecting = "正在连接叫号服务 %s …",
    .unreachable = "叫号服务暂时无法连接，%d 秒后自动重试（%s）",
    .choose_queue = "请选择业务类别",
    .choose_service = "请选择办理事项",
    .no_service = "不指定具体事项",
    .help_queues = "数字键或↑↓选择，回车确认    R 补打上一张    Q 退出",
    .help_list = "数字键或↑↓选择，回车确认    Esc 返回",
    .help_connecting = "任意键立即重试    Q 退出",
    .materials = "请携带以下材料（一次性告知）：",
    .no_materials = "未指定事项：所需材料请咨询窗口工作人员。",
    .green_on = "老年人绿色通道：是",
    .green_off = "老年人绿色通道：否",
    .help_confirm = "回车 取号    G 绿色通道    I 输入身份证号    Esc 返回",
    .id_prompt = "请输入 18 位身份证号码：",
    .id_privacy = "仅用于判断是否年满 %d 周岁，号码不保存、不上传。",
    .help_id = "回车 确认    退格 删除    Esc 取消",
    .id_green = "已核验：年满 %d 周岁，已选择老年人绿色通道。",
    .id_normal = "已核验：未满 %d 周岁，按普通号办理。",
    .issuing = "正在取号，请稍候…",
    .issue_failed = "取号失败：%s",
    .issue_unreachable = "叫号服务没有应答，未能取号。请稍后再试，或到服务台。",
    .your_number = "您的号码",
    .green_mark = "老年人绿色通道",
    .ahead = "前面等候 %d 人",
    .wait = "预计等候约 %d 分钟",
    .wait_under = "预计等候不足 1 分钟",
    .printed = "号票已打印，请取票。",
    .reprinted = "号票已补打，请取票。",
    .print_failed = "打印失败：%s",
    .print_hint = "号码已生效，不会重复取号。请按 R 重新打印，或到服务台。",
    .help_result = "R 重新打印    回车 返回首页",
    .no_last = "还没有可补打的号票。",
    .stale_last = "上一张号票 %s 是 %s 的，已失效，不能补打。",
    .replaced = "有 %zu 个字符打印机无法打印，已印作“?”。",
    .not_kept = "（补打记录未能保存：%s）",
};

static const s_text_t s_en = {
    .title = "Take a number",
    .connecting = "Connecting to the queue service %s ...",
    .unreachable = "The queue service cannot be reached; retrying in %d s (%s)",
    .choose_queue = "Choose a category",
    .choose_service = "Choose the service",
    .no_service = "No particular service",
    .help_queues = "Number keys or arrows, Enter to choose    R reprint last    Q quit",
    .help_list = "Number keys or arrows, Enter to choose    Esc back",
    .help_connecting = "Any key retries now    Q quit",
    .materials = "Please bring (one-time notice):",
    .no_materials = "No service chosen: ask at the counter which documents you need.",
    .green_on = "Elderly green lane: yes",
    .green_off = "Elderly green lane: no",
    .help_confirm = "Enter take number    G green lane    I enter ID number    Esc back",
    .id_prompt = "Enter the 18-character ID number:",
    .id_privacy = "Used here only to check the age of %d; not stored, not sent.",
    .help_id = "Enter confirm    Backspace delete    Esc cancel",
    .id_green = "Checked: aged %d or over, elderly green lane chosen.",
    .id_normal = "Checked: under %d, a normal ticket.",
    .issuing = "Taking a number, one moment...",
    .issue_failed = "No ticket: %s",
    .issue_unreachable = "The queue service did not answer: no ticket. Please try again, or ask "
                         "at the service desk.",
    .your_number = "Your number",
    .green_mark = "Elderly green lane",
    .ahead = "People ahead: %d",
    .wait = "Estimated wait: about %d min",
    .wait_under = "Estimated wait: under 1 min",
    .printed = "Your ticket is printed. Please take it.",
    .reprinted = "Your ticket is printed again. Please take it.",
    .print_failed = "Printing failed: %s",
    .print_hint = "The number is valid and will not be issued twice. Press R to print again, "
                  "or ask at the service desk.",
    .help_result = "R print again    Enter start over",
    .no_last = "No ticket to print again yet.",
    .stale_last = "The last ticket %s is from %s and no longer valid.",
    .replaced = "%zu characters could not be printed and show as '?'.",
    .not_kept = "(could not keep it for reprinting: %s)",
};

typedef struct {
    options_t *o;        /* command line: output, language, paper */
    const s_text_t *t;   /* words in the chosen language */
    hq_client_t *client; /* requests to hallqd */
    catalog_t cat;       /* queues and services, valid when have_catalog */
    int have_catalog;
    k_screen_t screen;                /* what is shown */
    int cursor;                       /* highlighted row of a list */
    char queue;                       /* chosen queue */
    const catalog_service_t *service; /* chosen service, NULL for none */
    int green;                        /* green lane marked */
    int id_checked;                   /* green decided by an ID number */
    char id[HQ_ID_NUMBER_LEN + 1];    /* being typed; wiped after the check */
    size_t id_len;
    char note[S_LINE_MAX];        /* one line of news under the screen */
    int note_error;               /* note shown as an error */
    json_t *last;                 /* last ticket record, for reprinting */
    int printed;                  /* last print worked */
    int reprinted;                /* last print was a reprint */
    char print_error[S_LINE_MAX]; /* why the last print failed */
    char extra[S_LINE_MAX];       /* extra result line (replacements, keeping failed) */
    int64_t entered_ms;           /* when the screen was entered */
    int64_t input_ms;             /* last key */
    int64_t retry_ms;             /* next catalog attempt while connecting */
    int dirty;                    /* redraw on the next pass */
    int quit;
} kiosk_t;

static volatile sig_atomic_t s_signal;
static int s_curses_on;

static void s_on_signal(int sig)
{
    s_signal = sig;
}

/* Runs at exit too, so the terminal is given back however the process ends. */
static void s_restore_terminal(void)
{
    if (s_curses_on) {
        s_curses_on = 0;
        curs_set(1);
        endwin();
    }
}

/* ---- drawing ------------------------------------------------------------------------------ */

enum { S_PAIR_GREEN = 1, S_PAIR_ERROR, S_PAIR_TITLE };

static void s_put(int y, int x, const char *text, attr_t attr)
{
    char buf[S_LINE_MAX];
    if (y < 0 || y >= LINES || x >= COLS)
        return;
    if (x < 0)
        x = 0;
    hq_text_fit(text, COLS - x, 0, buf, sizeof buf);
    attron(attr);
    mvaddstr(y, x, buf);
    attroff(attr);
}

static void s_center(int y, const char *text, attr_t attr)
{
    int w = hq_text_width(text);
    s_put(y, w < COLS ? (COLS - w) / 2 : 0, text, attr);
}

static attr_t s_color(int pair)
{
    return has_colors() ? COLOR_PAIR(pair) : A_BOLD;
}

/* Word-wrapped text from row y, indented; returns the next free row. */
static int s_paragraph(int y, int indent, const char *text, attr_t attr, int last_row)
{
    escpos_lines_t lines;
    int width = COLS - indent - 2;
    if (width < 4 || escpos_wrap(text, width, &lines, NULL) != 0)
        return y;
    for (size_t i = 0; i < lines.count && y <= last_row; i++)
        s_put(y++, indent, lines.line[i], attr);
    escpos_lines_clear(&lines);
    return y;
}

/* A scrolling list with the cursor row reversed. */
static void s_list(kiosk_t *k, int top, const char *const *items, int n)
{
    int rows = LINES - top - 4;
    if (rows < 1)
        rows = 1;
    int first = k->cursor >= rows ? k->cursor - rows + 1 : 0;
    for (int i = first; i < n && i - first < rows; i++)
        s_put(top + i - first, 4, items[i], i == k->cursor ? A_REVERSE | A_BOLD : A_NORMAL);
}

static int s_queue_items(const kiosk_t *k, char items[][S_LINE_MAX], const char **ptrs, int max)
{
    int n = 0;
    for (size_t i = 0; i < k->cat.nqueues && n < max; i++, n++) {
        snprintf(items[n], S_LINE_MAX, "%d  %c  %s", n + 1, k->cat.queue[i].prefix,
                 k->cat.queue[i].name);
        ptrs[n] = items[n];
    }
    return n;
}

static int s_service_items(const kiosk_t *k, char items[][S_LINE_MAX], const char **ptrs,
                           const catalog_service_t **svc, int max)
{
    size_t n = catalog_services_of(&k->cat, k->queue, svc + 1, (size_t)max - 1);
    if (n > (size_t)max - 1)
        n = (size_t)max - 1;
    svc[0] = NULL;
    snprintf(items[0], S_LINE_MAX, "0  %s", k->t->no_service);
    ptrs[0] = items[0];
    for (size_t i = 1; i <= n; i++) {
        snprintf(items[i], S_LINE_MAX, "%zu  %s", i, svc[i]->sub_item);
        ptrs[i] = items[i];
    }
    return (int)n + 1;
}

static const char *s_queue_name(const kiosk_t *k)
{
    const catalog_queue_t *q = catalog_queue(&k->cat, k->queue);
    return q ? q->name : "";
}

static void s_draw_confirm(kiosk_t *k, int y)
{
    char line[S_LINE_MAX];
    snprintf(line, sizeof line, "%c  %s", k->queue, s_queue_name(k));
    s_put(y++, 2, line, A_BOLD);
    if (k->service)
        s_put(y++, 5, k->service->sub_item, A_BOLD);
    y++;
    int last_row = LINES - 6;
    if (k->service && k->service->nmaterials > 0) {
        s_put(y++, 2, k->t->materials, A_NORMAL);
        for (size_t i = 0; i < k->service->nmaterials && y <= last_row; i++) {
            snprintf(line, sizeof line, "%zu. %s", i + 1, k->service->materials[i]);
            y = s_paragraph(y, 4, line, A_NORMAL, last_row);
        }
    } else {
        y = s_paragraph(y, 2, k->t->no_materials, A_NORMAL, last_row);
    }
    y++;
    s_put(y, 2, k->green ? k->t->green_on : k->t->green_off,
          k->green ? s_color(S_PAIR_GREEN) | A_BOLD : A_NORMAL);
}

static void s_draw_id_entry(kiosk_t *k, int y)
{
    char line[S_LINE_MAX];
    s_put(y++, 2, k->t->id_prompt, A_BOLD);
    /* Masked but for the last four characters: a kiosk screen is seen by the queue. */
    char field[HQ_ID_NUMBER_LEN + 1];
    for (size_t i = 0; i < HQ_ID_NUMBER_LEN; i++)
        field[i] = i < k->id_len ? (i + 4 >= k->id_len ? k->id[i] : '*') : '_';
    field[HQ_ID_NUMBER_LEN] = '\0';
    y++;
    s_put(y++, 4, field, A_BOLD | A_UNDERLINE);
    y++;
    snprintf(line, sizeof line, k->t->id_privacy, k->cat.elderly_age);
    s_paragraph(y, 2, line, A_DIM, LINES - 5);
}

static void s_draw_result(kiosk_t *k, int y)
{
    record_info_t info;
    char why[256], line[S_LINE_MAX];
    if (!k->last || record_info(k->last, &info, why, sizeof why) != 0)
        return;
    s_center(y++, k->t->your_number, A_NORMAL);
    y++;
    /* The number as a reversed block: letters spaced out to read from a step away. */
    char big[64] = "";
    size_t o = 0;
    big[o++] = ' ';
    big[o++] = ' ';
    for (const char *p = info.ticket.label; *p && o + 4 < sizeof big; p++) {
        big[o++] = *p;
        big[o++] = ' ';
    }
    big[o++] = ' ';
    big[o] = '\0';
    char pad[64];
    memset(pad, ' ', o);
    pad[o] = '\0';
    s_center(y++, pad, A_REVERSE | A_BOLD);
    s_center(y++, big, A_REVERSE | A_BOLD);
    s_center(y++, pad, A_REVERSE | A_BOLD);
    y++;
    if (info.ticket.green)
        s_center(y++, k->t->green_mark, s_color(S_PAIR_GREEN) | A_BOLD);
    snprintf(line, sizeof line, "%s%s%s", info.queue_name, info.service_name[0] ? "  " : "",
             info.service_name);
    s_center(y++, line, A_NORMAL);
    if (info.ahead >= 0) {
        snprintf(line, sizeof line, k->t->ahead, info.ahead);
        s_center(y++, line, A_NORMAL);
    }
    if (info.est_wait_min == 0) {
        s_center(y++, k->t->wait_under, A_NORMAL);
    } else if (info.est_wait_min > 0) {
        snprintf(line, sizeof line, k->t->wait, info.est_wait_min);
        s_center(y++, line, A_NORMAL);
    }
    y++;
    if (k->printed) {
        s_center(y++, k->reprinted ? k->t->reprinted : k->t->printed, A_BOLD);
    } else {
        snprintf(line, sizeof line, k->t->print_failed, k->print_error);
        y = s_paragraph(y, 2, line, s_color(S_PAIR_ERROR) | A_BOLD, LINES - 5);
        y = s_paragraph(y, 2, k->t->print_hint, A_BOLD, LINES - 5);
    }
    if (k->extra[0])
        s_paragraph(y, 2, k->extra, A_DIM, LINES - 5);
}

static void s_draw(kiosk_t *k)
{
    char items[64][S_LINE_MAX];
    const char *ptrs[64];
    char line[S_LINE_MAX];
    erase();
    const char *hall = k->have_catalog && k->cat.hall_name[0] ? k->cat.hall_name : "hallq";
    snprintf(line, sizeof line, "%s · %s", hall, k->t->title);
    s_center(0, line, s_color(S_PAIR_TITLE) | A_BOLD);
    if (LINES > 1)
        mvhline(1, 0, ACS_HLINE, COLS);
    const char *help = "";
    int y = 3;
    switch (k->screen) {
    case K_CONNECTING:
        snprintf(line, sizeof line, k->t->connecting, k->o->endpoint);
        s_put(y, 2, line, A_NORMAL);
        help = k->t->help_connecting;
        break;
    case K_QUEUES: {
        s_put(y, 2, k->t->choose_queue, A_BOLD);
        int n = s_queue_items(k, items, ptrs, 64);
        s_list(k, y + 2, ptrs, n);
        help = k->t->help_queues;
        break;
    }
    case K_SERVICES: {
        const catalog_service_t *svc[64];
        snprintf(line, sizeof line, "%c  %s  ·  %s", k->queue, s_queue_name(k),
                 k->t->choose_service);
        s_put(y, 2, line, A_BOLD);
        int n = s_service_items(k, items, ptrs, svc, 64);
        s_list(k, y + 2, ptrs, n);
        help = k->t->help_list;
        break;
    }
    case K_CONFIRM:
        s_draw_confirm(k, y);
        help = k->t->help_confirm;
        break;
    case K_ID_ENTRY:
        s_draw_id_entry(k, y);
        help = k->t->help_id;
        break;
    case K_RESULT:
        s_draw_result(k, y);
        help = k->t->help_result;
        break;
    }
    if (k->note[0])
        s_put(LINES - 3, 2, k->note, k->note_error ? s_color(S_PAIR_ERROR) | A_BOLD : A_BOLD);
    s_put(LINES - 1, 1, help, A_DIM);
    refresh();
}

/* ---- actions ------------------------------------------------------------------------------ */

static void s_note(kiosk_t *k, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void s_note(kiosk_t *k, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k->note, sizeof k->note, fmt, ap);
    va_end(ap);
    k->note_error = error;
}

static void s_forget_id(kiosk_t *k)
{
    greenlane_wipe(k->id, sizeof k->id);
    k->id_len = 0;
}

static void s_enter(kiosk_t *k, k_screen_t screen)
{
    k->screen = screen;
    k->cursor = 0;
    k->entered_ms = hq_monotonic_ms();
    k->dirty = 1;
}

static void s_home(kiosk_t *k)
{
    s_forget_id(k);
    k->queue = 0;
    k->service = NULL;
    k->green = 0;
    k->id_checked = 0;
    k->note[0] = '\0';
    s_enter(k, k->have_catalog ? K_QUEUES : K_CONNECTING);
}

static void s_connect(kiosk_t *k)
{
    char why[512];
    catalog_t cat;
    if (ticketing_catalog(k->client, &cat, why, sizeof why) != TK_OK) {
        s_note(k, 1, k->t->unreachable, S_RETRY_MS / 1000, why);
        k->retry_ms = hq_monotonic_ms() + S_RETRY_MS;
        k->dirty = 1;
        return;
    }
    catalog_clear(&k->cat);
    k->cat = cat;
    k->have_catalog = 1;
    ticketing_use_timezone(k->cat.timezone);
    if (k->screen == K_CONNECTING)
        s_home(k);
}

/* Prints the last ticket; the result screen shows how it went. k->extra may already hold a
 * remark from issuing, which is kept. */
static void s_print(kiosk_t *k, int reprint)
{
    char why[S_LINE_MAX];
    size_t replaced = 0;
    tk_status_t st = ticketing_print(k->last, k->o, reprint, &replaced, why, sizeof why);
    k->printed = st == TK_OK;
    k->reprinted = reprint;
    hq_strlcpy(k->print_error, st == TK_OK ? "" : why, sizeof k->print_error);
    if (replaced) {
        char remark[256];
        size_t used = strlen(k->extra);
        snprintf(remark, sizeof remark, k->t->replaced, replaced);
        snprintf(k->extra + used, sizeof k->extra - used, "%s%s", used ? " " : "", remark);
    }
    s_enter(k, K_RESULT);
    k->note[0] = '\0';
}

static void s_issue(kiosk_t *k)
{
    char why[S_LINE_MAX];
    json_t *record = NULL;
    s_note(k, 0, "%s", k->t->issuing);
    s_draw(k);
    tk_status_t st = ticketing_issue(k->client, &k->cat, k->queue, k->service ? k->service->no : 0,
                                     k->green, &record, why, sizeof why);
    if (st == TK_UNREACHABLE) {
        s_note(k, 1, "%s", k->t->issue_unreachable);
        k->dirty = 1;
        return;
    }
    if (st != TK_OK) {
        s_note(k, 1, k->t->issue_failed, why);
        k->dirty = 1;
        return;
    }
    json_decref(k->last);
    k->last = record;
    k->extra[0] = '\0';
    /* Keep before printing: if the printer fails, the ticket can still be printed again. */
    if (ticketing_keep(record, k->o->state_dir, why, sizeof why) != 0)
        snprintf(k->extra, sizeof k->extra, k->t->not_kept, why);
    s_forget_id(k);
    k->green = 0;
    k->id_checked = 0;
    s_print(k, 0);
}

static void s_reprint(kiosk_t *k)
{
    char why[S_LINE_MAX];
    if (!k->last) {
        k->last = ticketing_kept(k->o->state_dir, why, sizeof why);
        if (!k->last) {
            s_note(k, 1, "%s", k->t->no_last);
            k->dirty = 1;
            return;
        }
    }
    if (!ticketing_is_today(k->last)) {
        record_info_t info;
        if (record_info(k->last, &info, why, sizeof why) == 0)
            s_note(k, 1, k->t->stale_last, info.ticket.label, info.ticket.day);
        else
            s_note(k, 1, "%s", k->t->no_last);
        json_decref(k->last);
        k->last = NULL;
        k->dirty = 1;
        return;
    }
    k->extra[0] = '\0';
    s_print(k, 1);
}

static void s_choose_queue(kiosk_t *k, int index)
{
    if (index < 0 || (size_t)index >= k->cat.nqueues)
        return;
    k->queue = k->cat.queue[index].prefix;
    k->service = NULL;
    k->note[0] = '\0';
    const catalog_service_t *svc[1];
    /* A queue without listed services goes straight to confirming. */
    s_enter(k, catalog_services_of(&k->cat, k->queue, svc, 1) ? K_SERVICES : K_CONFIRM);
}

static void s_choose_service(kiosk_t *k, int index)
{
    char items[64][S_LINE_MAX];
    const char *ptrs[64];
    const catalog_service_t *svc[64];
    int n = s_service_items(k, items, ptrs, svc, 64);
    if (index < 0 || index >= n)
        return;
    k->service = svc[index];
    s_enter(k, K_CONFIRM);
}

static int s_list_len(const kiosk_t *k)
{
    if (k->screen == K_QUEUES)
        return (int)k->cat.nqueues;
    const catalog_service_t *svc[1];
    size_t n = catalog_services_of(&k->cat, k->queue, svc, 1) + 1;
    return n > 64 ? 64 : (int)n; /* as many rows as s_service_items lists */
}

static void s_check_id(kiosk_t *k)
{
    char why[256];
    int green = 0, age = 0;
    k->id[k->id_len] = '\0';
    int rc = greenlane_from_id(k->id, k->cat.elderly_age, ticketing_today(), k->o->lang, &green,
                               &age, why, sizeof why);
    s_forget_id(k); /* decided, right or wrong: the number goes */
    if (rc != 0) {
        s_note(k, 1, "%s", why);
        k->dirty = 1;
        return;
    }
    k->green = green;
    k->id_checked = 1;
    s_note(k, 0, green ? k->t->id_green : k->t->id_normal, k->cat.elderly_age);
    s_enter(k, K_CONFIRM);
}

static int s_is_enter(int ch)
{
    return ch == '\n' || ch == '\r' || ch == KEY_ENTER;
}

static int s_is_back(int ch)
{
    return ch == S_KEY_ESC || ch == KEY_BACKSPACE || ch == 127 || ch == '\b' || ch == KEY_LEFT;
}

static void s_key(kiosk_t *k, int ch)
{
    k->dirty = 1;
    switch (k->screen) {
    case K_CONNECTING:
        if (ch == 'q' || ch == 'Q' || ch == KEY_F(10))
            k->quit = 1;
        else
            s_connect(k);
        return;
    case K_QUEUES:
    case K_SERVICES: {
        int n = s_list_len(k);
        int services = k->screen == K_SERVICES;
        if (ch == KEY_UP && k->cursor > 0)
            k->cursor--;
        else if (ch == KEY_DOWN && k->cursor + 1 < n)
            k->cursor++;
        else if (s_is_enter(ch) || ch == KEY_RIGHT)
            services ? s_choose_service(k, k->cursor) : s_choose_queue(k, k->cursor);
        else if (ch >= '0' && ch <= '9')
            services ? s_choose_service(k, ch - '0') : s_choose_queue(k, ch - '1');
        else if (!services && (ch == 'r' || ch == 'R'))
            s_reprint(k);
        else if (!services && (ch == 'q' || ch == 'Q' || ch == KEY_F(10)))
            k->quit = 1;
        else if (services && s_is_back(ch))
            s_home(k);
        return;
    }
    case K_CONFIRM:
        if (s_is_enter(ch)) {
            s_issue(k);
        } else if (ch == 'g' || ch == 'G') {
            k->green = !k->green;
            k->id_checked = 0;
            k->note[0] = '\0';
        } else if (ch == 'i' || ch == 'I') {
            s_forget_id(k);
            k->note[0] = '\0';
            s_enter(k, K_ID_ENTRY);
        } else if (s_is_back(ch)) {
            k->note[0] = '\0';
            const catalog_service_t *svc[1];
            if (catalog_services_of(&k->cat, k->queue, svc, 1))
                s_enter(k, K_SERVICES);
            else
                s_home(k);
        }
        return;
    case K_ID_ENTRY:
        if (s_is_enter(ch)) {
            s_check_id(k);
        } else if (ch == S_KEY_ESC) {
            s_forget_id(k);
            k->note[0] = '\0';
            s_enter(k, K_CONFIRM);
        } else if (ch == KEY_BACKSPACE || ch == 127 || ch == '\b') {
            if (k->id_len > 0)
                k->id[--k->id_len] = '\0';
        } else if (k->id_len < HQ_ID_NUMBER_LEN &&
                   ((ch >= '0' && ch <= '9') ||
                    ((ch == 'x' || ch == 'X') && k->id_len == HQ_ID_NUMBER_LEN - 1))) {
            k->id[k->id_len++] = (char)(ch == 'x' ? 'X' : ch);
        }
        return;
    case K_RESULT:
        if (ch == 'r' || ch == 'R') {
            k->extra[0] = '\0';
            s_print(k, 1);
        } else {
            /* Quietly pick up catalog changes between citizens; keep the old one on failure. */
            catalog_t cat;
            char why[256];
            if (ticketing_catalog(k->client, &cat, why, sizeof why) == TK_OK) {
                catalog_clear(&k->cat);
                k->cat = cat;
            }
            s_home(k);
        }
        return;
    }
}

static void s_tick(kiosk_t *k)
{
    int64_t now = hq_monotonic_ms();
    switch (k->screen) {
    case K_CONNECTING:
        if (now >= k->retry_ms)
            s_connect(k);
        break;
    case K_RESULT:
        if (now - k->entered_ms >= S_RESULT_MS && now - k->input_ms >= S_RESULT_MS)
            s_home(k);
        break;
    case K_SERVICES:
    case K_CONFIRM:
    case K_ID_ENTRY:
        if (now - k->input_ms >= S_IDLE_MS)
            s_home(k);
        break;
    case K_QUEUES:
        break;
    }
}

/* ---- setup and loop ------------------------------------------------------------------------ */

static int s_terminal_ok(void)
{
    const char *term = getenv("TERM");
    if (!term || !*term) {
        fprintf(stderr, "hallq-ticket: TERM is not set: the kiosk needs a terminal "
                        "(or give --queue to issue one ticket)\n");
        return 0;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "hallq-ticket: the kiosk needs a terminal on standard input and output "
                        "(or give --queue to issue one ticket)\n");
        return 0;
    }
    if (hq_text_locale() != 0) {
        fprintf(stderr, "hallq-ticket: no UTF-8 locale (not even C.UTF-8): Chinese cannot be "
                        "shown\n");
        return 0;
    }
    return 1;
}

int kiosk_run(options_t *o)
{
    if (!s_terminal_ok())
        return TK_BAD;
    kiosk_t k;
    memset(&k, 0, sizeof k);
    k.o = o;
    k.t = o->lang == UI_LANG_EN ? &s_en : &s_zh;
    k.client = hq_client_new(o->endpoint, o->timeout_ms);
    if (!k.client) {
        fprintf(stderr, "hallq-ticket: cannot use endpoint %s\n", o->endpoint);
        return TK_BAD;
    }
    SCREEN *screen = newterm(NULL, stdout, stdin);
    if (!screen) {
        fprintf(stderr, "hallq-ticket: terminal type '%s' is unknown here\n", getenv("TERM"));
        hq_client_destroy(&k.client);
        return TK_BAD;
    }
    s_curses_on = 1;
    atexit(s_restore_terminal);
    hq_signals_catch(s_on_signal);
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    timeout(S_TICK_MS);
    curs_set(0);
    if (has_colors()) {
        start_color();
        use_default_colors();
        init_pair(S_PAIR_GREEN, COLOR_GREEN, -1);
        init_pair(S_PAIR_ERROR, COLOR_RED, -1);
        init_pair(S_PAIR_TITLE, COLOR_CYAN, -1);
    }

    k.input_ms = hq_monotonic_ms();
    s_enter(&k, K_CONNECTING);
    s_draw(&k);
    s_connect(&k);
    while (!k.quit && !s_signal) {
        if (k.dirty) {
            k.dirty = 0;
            s_draw(&k);
        }
        int ch = getch();
        if (ch == ERR) {
            s_tick(&k);
            continue;
        }
        if (ch == KEY_RESIZE) {
            k.dirty = 1;
            continue;
        }
        k.input_ms = hq_monotonic_ms();
        s_key(&k, ch);
    }

    /* Shutdown: the screen first (so the terminal is usable whatever follows), then the
     * number if one was half typed, then the connection. */
    s_restore_terminal();
    delscreen(screen);
    s_forget_id(&k);
    json_decref(k.last);
    catalog_clear(&k.cat);
    hq_client_destroy(&k.client);
    return 0;
}
