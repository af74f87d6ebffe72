/* What the clerk's screen shows for a given hall and session, laid out by display width,
 * checked without a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "hq_utf8.h"
#include "view.h"

#include <time.h>

static fx_hall_t s_hall;
static hq_mirror_t s_m;
static hqc_session_t s_s;
static hqc_view_t s_v;

static int s_setup(void **state)
{
    (void)state;
    memset(&s_m, 0, sizeof s_m);
    fx_hall_init(&s_hall);
    fx_session(&s_s, UI_LANG_ZH);
    return 0;
}

static int s_teardown(void **state)
{
    (void)state;
    hq_mirror_free(&s_m);
    hqc_session_free(&s_s);
    return 0;
}

/* Loads the hall and lays the screen out at cols x rows; every row must fit. */
static void s_build(int cols, int rows)
{
    hq_mirror_free(&s_m);
    fx_mirror(&s_m, &s_hall);
    hqc_view_build(&s_v, &s_s, &s_m, FX_MONO, FX_NOW, cols, rows);
    char line[HQC_VIEW_COLS_MAX * 4 + 64];
    for (int r = 0; r < s_v.rows; r++) {
        hqc_view_plain(&s_v, r, line, sizeof line);
        if (hq_text_width(line) > cols)
            fail_msg("row %d is %d columns wide at %dx%d: '%s'", r, hq_text_width(line), cols, rows,
                     line);
    }
    assert_true(s_v.rows <= rows);
}

/* Rebuilds without reloading the mirror (for changes made to the mirror directly). */
static void s_rebuild(int cols, int rows)
{
    hqc_view_build(&s_v, &s_s, &s_m, FX_MONO, FX_NOW, cols, rows);
}

static int s_has(const char *text)
{
    return hqc_view_find(&s_v, text, NULL) >= 0;
}

static void s_expect(const char *text)
{
    if (!s_has(text)) {
        char line[HQC_VIEW_COLS_MAX * 4 + 64];
        for (int r = 0; r < s_v.rows; r++) {
            hqc_view_plain(&s_v, r, line, sizeof line);
            fprintf(stderr, "%2d|%s\n", r, line);
        }
        fail_msg("screen lacks '%s'", text);
    }
}

static hqc_role_t s_role(const char *text)
{
    hqc_role_t role = HQC_R_COUNT_;
    if (hqc_view_find(&s_v, text, &role) < 0)
        fail_msg("screen lacks '%s'", text);
    return role;
}

/* Display column where `text` starts on its row. */
static int s_col(const char *text)
{
    char line[HQC_VIEW_COLS_MAX * 4 + 64];
    int r = hqc_view_find(&s_v, text, NULL);
    assert_true(r >= 0);
    hqc_view_plain(&s_v, r, line, sizeof line);
    *strstr(line, text) = '\0';
    return hq_text_width(line);
}

/* The footer row's role at the column of key `k`. */
static hqc_role_t s_key_role(char k)
{
    char label[16];
    snprintf(label, sizeof label, "%c%s", k,
             hqc_tr(s_s.lang, hqc_key_label((hqc_action_t)hqc_key_action(k), HQ_C_IDLE)));
    int r = hqc_view_find(&s_v, label, NULL);
    if (r < 0)
        fail_msg("footer lacks '%s'", label);
    return hqc_view_role_at(&s_v, r, s_col(label));
}

static void test_idle_window_80x24(void **state)
{
    (void)state;
    fx_add(&s_hall, "A001", 3, 0);
    fx_add(&s_hall, "C001", 10, 1);
    fx_add(&s_hall, "C002", 0, 1);
    s_build(80, 24);
    assert_int_equal(s_v.rows, 24);
    assert_false(s_v.stale);
    assert_int_equal(hqc_view_find(&s_v, "3号窗口", NULL), 0);
    s_expect("柜员 wang");
    s_expect("医保服务大厅");
    s_expect("状态：空闲");
    s_expect("窗口空闲：按 c 叫下一位");
    s_expect("等候中：C001 C002 A001");
    s_expect("本窗口等候人数");
    s_expect("A 参保登记与变更");
    s_expect("G 照护保险");
    s_expect("绿色通道 2");
    s_expect("本窗口今日（即时办结事项）");
    /* The legend: one key each, the ones that make no sense now greyed. */
    /* At 80 columns it takes two rows (as the English one does). */
    s_expect("c叫号 n选号 r重呼 s开始 f办结 x过号 a重排 p挂起 u取回 t转移 b暂停 e评价 d配对");
    assert_int_equal(s_key_role('c'), HQC_R_KEY);
    assert_int_equal(s_key_role('f'), HQC_R_KEY_OFF);
    assert_int_equal(s_key_role('q'), HQC_R_KEY);
    assert_false(s_has("l登录")); /* only offered when needed */
    /* The footer is the last row; the green count is marked green. */
    assert_int_equal(hqc_view_find(&s_v, "q退出", NULL), 23);
    assert_int_equal(s_role("绿色通道 2"), HQC_R_GREEN);
}

/* Counts line up by display width although the queue names differ in length. */
static void test_columns_line_up_by_display_width(void **state)
{
    (void)state;
    for (int i = 0; i < 12; i++)
        fx_add(&s_hall, "A001", 3, 0)->number = i + 1;
    fx_add(&s_hall, "B001", 6, 0);
    s_build(80, 24);
    int a = s_col("12 人"), b = s_col(" 1 人"), d = s_col(" 0 人");
    assert_int_equal(a, b);
    assert_int_equal(b, d);
    assert_int_equal(s_col("参保登记与变更"), s_col("参保查询与参保凭证"));
    s_expect("合计");
}

static void test_calling_green_ticket_with_materials(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_hall, "C001", 10, 1);
    fx_at_window(&s_hall, t, HQ_T_CALLED, 20000);
    fx_add(&s_hall, "A001", 3, 0);
    s_build(80, 24);
    s_expect("状态：叫号中  C001");
    s_expect("当前号  C001");
    assert_int_equal(s_role("C001  【"), HQC_R_STRONG);
    assert_int_equal(s_role("【绿色通道】"), HQC_R_GREEN);
    s_expect("C 异地就医备案");
    s_expect("事项 10：异地长期居住人员备案");
    s_expect("叫号 1 次");
    s_expect("办理计时 0:20 / 10:00");
    s_expect("叫号依据：绿色通道优先");
    s_expect("一次性告知：本事项所需材料（请一次告知市民）");
    s_expect(" 1. 医保电子凭证或有效身份证件或社保卡");
    s_expect(" 2. 居住证明或个人承诺书");
    /* Waited: issued 15 min before the fixture clock, called 20 s before it. */
    s_expect("已等 14:39");
    assert_int_equal(s_key_role('r'), HQC_R_KEY);
    assert_int_equal(s_key_role('c'), HQC_R_KEY_OFF);
    assert_int_equal(s_key_role('x'), HQC_R_KEY_OFF); /* one call so far */
}

static void test_normal_ticket_without_service(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_hall, "A004", 0, 0);
    fx_at_window(&s_hall, t, HQ_T_CALLED, 1000);
    s_build(80, 24);
    s_expect("当前号  A004  普通");
    assert_false(s_has("绿色通道】"));
    s_expect("取号时未选择事项");
}

static void test_handling_timer_colours(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_hall, "A001", 3, 0);
    fx_at_window(&s_hall, t, HQ_T_SERVING, 5 * FX_MIN);
    s_build(80, 24);
    assert_int_equal(s_role("5:00 /"), HQC_R_TEXT);
    fx_at_window(&s_hall, t, HQ_T_SERVING, 8 * FX_MIN + 30000);
    s_build(80, 24);
    assert_int_equal(s_role("8:30 /"), HQC_R_WARN);
    assert_false(s_has("超时"));
    fx_at_window(&s_hall, t, HQ_T_SERVING, 11 * FX_MIN);
    s_build(80, 24);
    assert_int_equal(s_role("11:00 /"), HQC_R_ALERT);
    assert_int_equal(s_role("超时 1:00"), HQC_R_ALERT);
    /* Parked time is not handling time. */
    s_hall.tickets[0].park_total_ms = 4 * FX_MIN;
    s_build(80, 24);
    assert_int_equal(s_role("7:00 /"), HQC_R_TEXT);
}

/* A non-instant item (零星报销, service 14) shows its own time limit from the catalog; the
 * 10-minute target, its colours and "over by" are the instant items' alone. */
static void test_non_instant_item_has_its_own_time_limit(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_hall, "E001", 14, 0);
    fx_at_window(&s_hall, t, HQ_T_SERVING, 15 * FX_MIN);
    s_build(80, 24);
    s_expect("事项 14：门诊费用报销");
    s_expect("办理计时 15:00  非即时办结，不计入 10 分钟目标");
    s_expect("   办结时限：10个工作日，特殊情况不超过20个工作日");
    assert_int_equal(s_role("15:00  非即时"), HQC_R_TEXT);
    assert_int_equal(s_role("办结时限："), HQC_R_STRONG);
    assert_false(s_has("/ 10:00"));
    assert_false(s_has("超时"));
    s_build(120, 40);
    s_expect("办结时限：10个工作日，特殊情况不超过20个工作日");
    /* A long limit wraps within the width rather than being cut. */
    s_hall.tickets[0].service = 19; /* 照护保险失能评定: 即时受理，20个工作日内完成评定，... */
    s_hall.tickets[0].queue = s_hall.tickets[0].prefix = 'G';
    s_build(50, 24);
    s_expect("办结时限：即时受理，20个工作日内完成评定");
    s_expect("   评定结论书"); /* the rest on a row of its own */
    /* The same time at an instant item is 5 minutes over. */
    s_hall.tickets[0].service = 3;
    s_hall.tickets[0].queue = s_hall.tickets[0].prefix = 'A';
    s_build(80, 24);
    s_expect("办理计时 15:00 / 10:00  超时 5:00");
    assert_false(s_has("办结时限"));
    /* No service chosen: the queue decides (E holds non-instant items only). */
    s_hall.tickets[0].service = 0;
    s_hall.tickets[0].queue = s_hall.tickets[0].prefix = 'E';
    s_build(80, 24);
    s_expect("办理计时 15:00  非即时办结，不计入 10 分钟目标");
}

/* The window's 10-minute alert: its instant items today average above the target. */
static void test_alert_for_this_window(void **state)
{
    (void)state;
    s_s.figures_known = 1;
    s_s.figures = (hqc_figures_t){2, 10 * FX_MIN, 1, 11 * FX_MIN};
    s_build(80, 24);
    assert_false(s_has("超时提醒")); /* at the target is not above it */
    s_s.figures.avg_ms = 10 * FX_MIN + 1;
    s_build(80, 24);
    s_expect("【超时提醒】本窗口今日即时办结事项平均办理 10:00，超过 10 分钟目标");
    s_s.figures.avg_ms = 11 * FX_MIN + 30000;
    s_build(80, 24);
    s_expect("【超时提醒】本窗口今日即时办结事项平均办理 11:30，超过 10 分钟目标");
    assert_int_equal(s_role("【超时提醒】"), HQC_R_ALERT);
    assert_int_equal(hqc_view_find(&s_v, "【超时提醒】", NULL), 1); /* under the header */
    s_build(120, 40);
    s_expect("【超时提醒】");
    s_s.lang = UI_LANG_EN;
    s_build(80, 24);
    s_expect("[ALERT] instant items here average 11:30 today, above the 10-minute target");
    s_s.lang = UI_LANG_ZH;
    /* Being offline or taken over is said first. */
    hq_strlcpy(fx_window(&s_hall)->clerk, "li", HQ_CLERK_MAX);
    s_build(80, 24);
    s_expect("【已被接管】");
    assert_false(s_has("超时提醒"));
}

/* A queue_alert event applied to the mirror: one for a queue this window serves shows what it
 * is and what would help, until it is cleared; one for other windows is not this clerk's. */
static void s_queue_alert(const char *state, int counter, const char *advice)
{
    char json[600];
    snprintf(json, sizeof json,
             "{\"seq\":9,\"ts_ms\":1,\"alert\":{\"queue\":\"A\",\"kind\":\"wait\","
             "\"state\":\"%s\",\"value_ms\":2100000,\"target_ms\":1800000,"
             "\"advice\":\"%s\",\"counters\":[%d]}}",
             state, advice, counter);
    hq_event_t ev;
    assert_int_equal(hq_event_decode("queue_alert", json, strlen(json), &ev), HQ_OK);
    ev.seq = s_m.seq + 1; /* the next event in order */
    assert_int_equal(hq_mirror_apply(&s_m, &ev, 0), HQ_APPLY_OK);
    hq_event_clear(&ev);
}

static void test_queue_alert_banner(void **state)
{
    (void)state;
    s_build(80, 24); /* the mirror as a snapshot left it */
    s_queue_alert("raised", s_s.counter + 1, "open_window");
    s_rebuild(80, 24);
    assert_false(s_has("排队提醒")); /* another window's */
    s_queue_alert("raised", s_s.counter, "take_over");
    s_rebuild(80, 24);
    s_expect("【排队提醒】A 队最长已等 35 分钟（目标 30 分钟）：可由其他窗口接办该队");
    assert_int_equal(s_role("【排队提醒】"), HQC_R_ALERT);
    s_s.lang = UI_LANG_EN;
    s_rebuild(80, 24);
    s_expect("[Queue alert] queue A: longest wait 35 min (target 30)");
    s_s.lang = UI_LANG_ZH;
    s_queue_alert("cleared", s_s.counter, "none");
    s_rebuild(80, 24);
    assert_false(s_has("排队提醒"));
}

static void test_offline_banner_greys_everything(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_hall, "C001", 10, 1);
    fx_at_window(&s_hall, t, HQ_T_SERVING, FX_MIN);
    s_build(80, 24);
    s_m.state = HQ_SYNC_OFFLINE;
    s_rebuild(80, 24);
    assert_true(s_v.stale);
    assert_int_equal(hqc_view_find(&s_v, "【离线】与叫号服务器失去连接", NULL), 1);
    s_expect("以下为 10:00:00 时的状态，正在重连...");
    assert_int_equal(s_role("【离线】"), HQC_R_BANNER);
    /* The last state stays on screen (greyed by the terminal layer), keys are refused. */
    s_expect("当前号  C001");
    assert_int_equal(s_key_role('f'), HQC_R_KEY_OFF);
    assert_int_equal(s_key_role('q'), HQC_R_KEY);
}

static void test_connecting_banner_before_any_state(void **state)
{
    (void)state;
    hq_mirror_init(&s_m, 3000);
    s_s.live_wall_ms = 0;
    s_s.logged_in = 0;
    s_s.state = HQC_S_LOGIN;
    s_rebuild(80, 24);
    assert_true(s_v.stale);
    s_expect("【连接中】正在连接叫号服务器 tcp://127.0.0.1:5570");
    s_expect("状态：登录中");
    s_expect("尚未收到服务器数据");
}

static void test_login_and_takeover_banners(void **state)
{
    (void)state;
    s_s.state = HQC_S_LOGIN;
    s_build(80, 24);
    s_expect("【登录中】正在登录 3 号窗口（柜员 wang）");
    s_s.state = HQC_S_MAIN;
    hq_strlcpy(fx_window(&s_hall)->clerk, "li", HQ_CLERK_MAX);
    s_build(80, 24);
    s_expect("【已被接管】本窗口已由柜员 li 接管，按 l 重新登录");
    s_expect("l登录");
    assert_int_equal(s_key_role('c'), HQC_R_KEY_OFF);
    fx_window(&s_hall)->clerk[0] = '\0';
    fx_window(&s_hall)->state = HQ_C_CLOSED;
    s_build(80, 24);
    s_expect("【已关闭】本窗口已退出登录");
    s_expect("状态：未开放");
}

static void test_paused_window(void **state)
{
    (void)state;
    hq_counter_t *c = fx_window(&s_hall);
    c->state = HQ_C_PAUSED;
    hq_strlcpy(c->pause_reason, "午休", sizeof c->pause_reason);
    s_build(80, 24);
    s_expect("状态：暂停（午休）");
    s_expect("暂停服务：午休（按 b 恢复）");
    s_expect("b恢复");
    assert_int_equal(s_role("暂停（午休）"), HQC_R_WARN);
}

/* A window with its rating tablet paired says so on its state line; one without, nothing. */
static void test_tablet_on_state_line(void **state)
{
    (void)state;
    s_build(80, 24);
    assert_false(s_has("评价器"));
    fx_window(&s_hall)->tablet = 1;
    s_build(80, 24);
    s_expect("评价器：已配对");
    assert_int_equal(s_role("评价器：已配对"), HQC_R_DIM);
}

static void test_english(void **state)
{
    (void)state;
    hqc_session_free(&s_s);
    fx_session(&s_s, UI_LANG_EN);
    hq_ticket_t *t = fx_add(&s_hall, "C001", 10, 1);
    fx_at_window(&s_hall, t, HQ_T_CALLED, 20000);
    s_build(80, 24);
    s_expect("Window 3");
    s_expect("Clerk wang");
    s_expect("State: calling  C001");
    s_expect("[GREEN LANE]");
    s_expect("Tell the citizen at once");
    s_expect("picked: green lane first");
    s_expect("c Call");
    s_expect("q Quit");
    assert_false(s_has("叫号"));
}

/* A wide terminal gives the counts their own column and the materials the full height. */
static void test_wide_and_tall_layout(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_hall, "C001", 10, 1);
    fx_at_window(&s_hall, t, HQ_T_CALLED, 20000);
    s_build(140, 45);
    assert_int_equal(s_v.rows, 45);
    assert_true(s_col("本窗口等候人数") >= 140 - 44);
    assert_true(s_col("本窗口今日") >= 140 - 44);
    assert_int_equal(hqc_view_find(&s_v, "本窗口等候人数", NULL),
                     hqc_view_find(&s_v, "当前号", NULL));
    s_expect(" 2. 居住证明或个人承诺书");
    assert_int_equal(hqc_view_find(&s_v, "q退出", NULL), 44);
}

/* A short terminal keeps the counts and says how many material lines it could not show. */
static void test_short_terminal_truncates_materials(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_hall, "A001", 15, 0); /* four materials */
    t->queue = 'E';
    fx_at_window(&s_hall, t, HQ_T_CALLED, 20000);
    s_build(60, 18);
    s_expect("当前号  A001");
    s_expect("合计");
    s_expect("另有");
    s_build(80, 30);
    assert_false(s_has("另有"));
    s_expect(" 4. 诊断证明或出院小结");
}

/* Not every queue fits: those with people waiting are kept, and the total. */
static void test_short_terminal_keeps_busy_queues(void **state)
{
    (void)state;
    fx_add(&s_hall, "G001", 19, 0);
    fx_add(&s_hall, "G002", 19, 1);
    s_build(80, 16);
    s_expect("G 照护保险");
    s_expect("绿色通道 1");
    s_expect("合计");
    assert_false(s_has("F 生育保险"));
    assert_int_equal(hqc_view_find(&s_v, "合计", NULL), 12); /* above the message row */
}

static void test_too_small(void **state)
{
    (void)state;
    s_build(30, 8);
    s_expect("终端太小");
}

static void test_lists(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_hall, "A001", 3, 0);
    fx_at_window(&s_hall, t, HQ_T_SERVING, FX_MIN);
    s_s.state = HQC_S_QUEUE;
    s_s.pick = 1;
    s_build(80, 24);
    s_expect("A001 转到哪个队列？（保留原取号时间）");
    assert_false(s_has(" A  参保登记与变更"));
    s_expect(" B  参保查询与参保凭证");
    assert_int_equal(s_role(" C  异地就医备案"), HQC_R_SELECTED);
    s_expect("方向键 选择");
    assert_false(s_has("q退出"));

    fx_hall_init(&s_hall);
    s_s.state = HQC_S_REASON;
    s_s.pick = 0;
    s_build(80, 24);
    s_expect("暂停原因：");
    assert_int_equal(s_role(" 1  午休"), HQC_R_SELECTED);
    s_expect(" 4  系统故障");

    s_s.state = HQC_S_RATING;
    hq_strlcpy(s_s.rate_label, "A001", sizeof s_s.rate_label);
    s_build(80, 24);
    s_expect("A001 的市民评价：");
    s_expect(" 5  非常满意");
    s_expect(" 1  非常不满意");

    t = fx_add(&s_hall, "B002", 6, 1);
    fx_park(t, 3 * FX_MIN);
    s_s.state = HQC_S_PARKED;
    s_build(80, 24);
    s_expect("取回哪个挂起的号？");
    s_expect(" 1  B002   已挂起 3:00");

    s_s.state = HQC_S_NUMBER;
    hq_strlcpy(s_s.entry, "A1", sizeof s_s.entry);
    fx_add(&s_hall, "A003", 3, 0);
    s_build(80, 24);
    s_expect("叫指定号码：A1_");
    s_expect("等候中：A003");
    s_expect("回车 叫号");
}

static void test_idle_shows_parked_and_rating_hint(void **state)
{
    (void)state;
    hq_ticket_t *t = fx_add(&s_hall, "B002", 6, 0);
    fx_park(t, 2 * FX_MIN);
    hq_strlcpy(s_s.rate_label, "A001", sizeof s_s.rate_label);
    s_build(80, 24);
    s_expect("挂起待取回：B002（2:00）");
    s_expect("上一位 A001 已办结：按 e 记录评价");
    assert_int_equal(s_key_role('u'), HQC_R_KEY);
    assert_int_equal(s_key_role('e'), HQC_R_KEY);
}

/* The no-shows marked at this window: a line on the main view, a list behind 'a'. */
static void test_noshows(void **state)
{
    (void)state;
    hq_ticket_t *a = fx_add(&s_hall, "A003", 5, 0);
    fx_at_window(&s_hall, a, HQ_T_CALLED, 3 * FX_MIN);
    a->state = HQ_T_NO_SHOW;
    a->calls = 2;
    hq_ticket_t *b = fx_add(&s_hall, "C002", 9, 1);
    fx_at_window(&s_hall, b, HQ_T_CALLED, FX_MIN);
    b->state = HQ_T_NO_SHOW;
    hq_ticket_t *other = fx_add(&s_hall, "B001", 6, 0); /* marked at window 2 */
    other->state = HQ_T_NO_SHOW;
    other->counter = 2;
    fx_window(&s_hall)->current = 0;
    fx_window(&s_hall)->current_label[0] = '\0';
    fx_window(&s_hall)->state = HQ_C_IDLE;
    s_build(80, 24);
    s_expect("   过号可重排：C002 A003");
    assert_false(s_has("B001"));
    assert_int_equal(s_key_role('a'), HQC_R_KEY);
    s_s.state = HQC_S_NOSHOWS;
    s_build(80, 24);
    s_expect(" 过号重排：哪个号回到队列？（按原取号顺序等候）");
    s_expect("    1  C002   末次叫号 ");
    s_expect("    2  A003   末次叫号 ");
    assert_int_equal(s_role("1  C002"), HQC_R_SELECTED);
    assert_int_equal(s_role("2  A003"), HQC_R_TEXT);
    assert_false(s_has("过号可重排")); /* the list says it */
    s_s.state = HQC_S_MAIN;
    s_hall.tickets[0].state = s_hall.tickets[1].state = HQ_T_WAITING;
    s_build(80, 24);
    assert_false(s_has("过号可重排"));
    assert_int_equal(s_key_role('a'), HQC_R_KEY_OFF);
}

/* q: whether to log out; with a ticket at the window, how to deal with it first. */
static void test_logout_question(void **state)
{
    (void)state;
    s_s.state = HQC_S_LOGOUT;
    s_build(80, 24);
    s_expect(" 退出登录？");
    s_expect("    y  退出登录：关闭 3 号窗口，停止计时，退出终端");
    s_expect("    k  只退出终端：窗口保持登录（重新启动后继续）");
    s_expect("    n  返回，不退出");
    s_expect("方向键 选择   回车 确认   Esc 取消");
    hq_ticket_t *t = fx_add(&s_hall, "A001", 3, 0);
    fx_at_window(&s_hall, t, HQ_T_SERVING, FX_MIN);
    s_build(80, 24);
    s_expect(" A001 还在窗口：先处理，再退出登录");
    s_expect("    f  办结 A001，然后退出登录");
    s_expect("    p  挂起 A001，然后退出登录");
    s_expect("    t  转移 A001 到其他队列，然后退出登录");
    s_expect("    k  只退出终端：A001 留在窗口，计时继续（重新启动后接着办理）");
    s_expect("    n  返回，不退出");
    assert_false(s_has("y  退出登录")); /* not with a ticket at the window */
    assert_false(s_has("A001 过号"));   /* being served: no no-show */
    fx_at_window(&s_hall, t, HQ_T_CALLED, FX_MIN);
    s_hall.tickets[0].calls = 2;
    s_build(80, 24);
    s_expect("    x  A001 过号，然后退出登录");
    s_s.lang = UI_LANG_EN;
    s_build(80, 24);
    s_expect(" A001 is still at the window: deal with it, then log out");
    s_expect("    f  Finish A001, then log out");
}

/* A click stands for the key drawn where it lands: the legend's keys, a list's rows, the
 * hints that name a key, the banner that says to log in again. */
static void test_clicks_stand_for_keys(void **state)
{
    (void)state;
    s_build(80, 24);
    int footer = hqc_view_find(&s_v, "c叫号", NULL);
    assert_true(footer >= 0);
    assert_int_equal(hqc_view_key_at(&s_v, footer, s_col("c叫号")), 'c');
    assert_int_equal(hqc_view_key_at(&s_v, footer, s_col("c叫号") + 4), 'c');
    assert_int_equal(hqc_view_key_at(&s_v, footer, s_col("n选号") + 2), 'n');
    assert_int_equal(hqc_view_key_at(&s_v, hqc_view_find(&s_v, "q退出", NULL), s_col("q退出")),
                     'q');
    assert_int_equal(hqc_view_key_at(&s_v, footer, 0), -1);
    int hint = hqc_view_find(&s_v, "窗口空闲：按 c 叫下一位", NULL);
    assert_int_equal(hqc_view_key_at(&s_v, hint, s_col("窗口空闲") + 6), 'c');
    assert_int_equal(hqc_view_key_at(&s_v, 0, 10), -1); /* the header */
    /* A list: each row stands for its key. */
    hq_ticket_t *t = fx_add(&s_hall, "B002", 6, 0);
    fx_park(t, 2 * FX_MIN);
    s_s.state = HQC_S_PARKED;
    s_build(80, 24);
    int row = hqc_view_find(&s_v, "1  B002", NULL);
    assert_int_equal(hqc_view_key_at(&s_v, row, s_col("1  B002") + 8), '1');
    s_s.state = HQC_S_LOGOUT;
    s_build(80, 24);
    row = hqc_view_find(&s_v, "k  只退出终端", NULL);
    assert_int_equal(hqc_view_key_at(&s_v, row, s_col("k  只退出终端") + 10), 'k');
    /* Taken over: the banner logs in again. */
    s_s.state = HQC_S_MAIN;
    hq_strlcpy(fx_window(&s_hall)->clerk, "li", HQ_CLERK_MAX);
    s_build(80, 24);
    row = hqc_view_find(&s_v, "【已被接管】", NULL);
    assert_int_equal(hqc_view_key_at(&s_v, row, 30), 'l');
    /* Rows a short screen leaves out answer to nothing. */
    s_s.state = HQC_S_RATING;
    hq_strlcpy(s_s.rate_label, "A001", sizeof s_s.rate_label);
    s_build(80, 12);
    for (int r = 0; r < s_v.rows; r++)
        for (int c = 0; c < s_v.cols; c++) {
            int k = hqc_view_key_at(&s_v, r, c);
            if (k >= '1' && k <= '5') {
                char label[8];
                snprintf(label, sizeof label, "%c  ", k);
                char line[HQC_VIEW_COLS_MAX * 4 + 64];
                hqc_view_plain(&s_v, r, line, sizeof line);
                if (!strstr(line, label))
                    fail_msg("row %d stands for '%c' but shows '%s'", r, k, line);
            }
        }
}

static void test_figures(void **state)
{
    (void)state;
    s_build(80, 24);
    s_expect("统计加载中...");
    s_s.figures_known = 1;
    s_build(80, 24);
    s_expect("今日尚无办结");
    s_s.figures = (hqc_figures_t){12, 9 * FX_MIN, 9, 14 * FX_MIN};
    s_build(80, 24);
    s_expect("办结 12 件");
    s_expect("平均办理 9:00（目标 10:00）");
    assert_int_equal(s_role("平均办理 9:00"), HQC_R_WARN);
    s_expect("10 分钟内办结 75%");
    s_expect("最长 14:00");
    assert_int_equal(s_role("最长 14:00"), HQC_R_ALERT);
}

static void test_message_line(void **state)
{
    (void)state;
    hq_mirror_free(&s_m);
    fx_mirror(&s_m, &s_hall);
    hqc_session_key(&s_s, &s_m, 'f', FX_MONO);
    s_rebuild(80, 24);
    assert_int_equal(hqc_view_find(&s_v, "窗口没有叫到的号", NULL), 21);
    assert_int_equal(s_role("窗口没有叫到的号"), HQC_R_ERROR);
}

/* The tablet's pairing code: asked for with d, shown with its expiry until it lapses, in
 * either language; a click on it asks for a new one. */
static void test_pairing_code(void **state)
{
    (void)state;
    hq_mirror_free(&s_m);
    fx_mirror(&s_m, &s_hall);
    hqc_session_key(&s_s, &s_m, 'd', FX_MONO);
    hq_request_t req;
    assert_int_equal(hqc_session_next(&s_s, FX_MONO, &req), 1);
    assert_int_equal(req.type, HQ_REQ_PAIR);
    assert_int_equal(req.counter, 3);
    char json[200];
    snprintf(json, sizeof json,
             "{\"v\":1,\"type\":\"pair\",\"ok\":true,\"counter\":3,\"code\":\"042917\","
             "\"expires_ms\":%lld}",
             (long long)(FX_NOW + HQC_PAIR_MS));
    hq_reply_t r;
    assert_int_equal(hq_reply_decode(json, strlen(json), &r), HQ_OK);
    hqc_session_reply(&s_s, &r, FX_MONO);
    hq_reply_clear(&r);
    char clock[16], want[200];
    time_t t = (time_t)((FX_NOW + HQC_PAIR_MS) / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(clock, sizeof clock, "%H:%M:%S", &tm);
    snprintf(want, sizeof want, "评价器配对码：042917（%s 前有效，约 5 分钟）", clock);
    s_rebuild(80, 24);
    s_expect(want);
    assert_int_equal(s_role("评价器配对码：042917"), HQC_R_STRONG);
    s_expect("已取得评价器配对码 042917，5 分钟内有效");
    int row = hqc_view_find(&s_v, want, NULL);
    assert_int_equal(hqc_view_key_at(&s_v, row, s_col("评价器配对码") + 4), 'd');
    assert_int_equal(s_key_role('d'), HQC_R_KEY);
    /* The key legend's button does what d does. */
    assert_int_equal(hqc_view_key_at(&s_v, hqc_view_find(&s_v, "d配对", NULL), s_col("d配对") + 2),
                     'd');
    /* Two minutes on, fewer minutes left; in English too. */
    s_s.lang = UI_LANG_EN;
    hqc_view_build(&s_v, &s_s, &s_m, FX_MONO + 2 * FX_MIN + 1, FX_NOW + 2 * FX_MIN, 120, 30);
    snprintf(want, sizeof want, "Tablet pairing code: 042917 (until %s, about 3 min)", clock);
    s_expect(want);
    s_expect("d Pair");
    /* Lapsed: gone. */
    hqc_view_build(&s_v, &s_s, &s_m, FX_MONO + HQC_PAIR_MS, FX_NOW + HQC_PAIR_MS, 120, 30);
    assert_false(s_has("042917"));
}

/* No row of the view holds a control byte, bytes that are not UTF-8, or the visible rest of
 * an escape sequence. */
static void s_expect_harmless(void)
{
    char line[HQC_VIEW_COLS_MAX * 4 + 64];
    for (int r = 0; r < s_v.rows; r++) {
        int n = hqc_view_plain(&s_v, r, line, sizeof line);
        if (hq_utf8_check(line, (size_t)n, 1, NULL, NULL) != HQ_UTF8_OK || strstr(line, "[3") ||
            strstr(line, "]0;") || strstr(line, "pwned") || strstr(line, "\xE2\x80\xAE"))
            fail_msg("row %d: '%s'", r, line);
    }
}

/* Text the daemon sends is drawn without what would drive the terminal (a clerk's name, a
 * pause reason, the hall's and a queue's name, a material, the message line), and the words
 * around the sequences stay. */
static void test_hostile_text_drawn_harmless(void **state)
{
    (void)state;
    hq_counter_t *c = fx_window(&s_hall);
    c->state = HQ_C_PAUSED;
    hq_strlcpy(c->clerk, "li\x1b[31m", sizeof c->clerk);
    hq_strlcpy(c->pause_reason, "\x1b[2J\x1b]0;pwned\x07午\xE2\x80\xAE休\x1b[?1049h",
               sizeof c->pause_reason);
    json_t *snap = fx_snapshot(&s_hall);
    json_object_set_new(json_object_get(snap, "hall"), "name",
                        json_string("大厅\x1b]0;pwned\x1b\\\xC2\x9B"
                                    "31m"));
    json_object_set_new(json_array_get(json_object_get(snap, "queues"), 0), "name",
                        json_string("参保\x1b[31m登记\x7f"));
    hq_mirror_free(&s_m);
    hq_mirror_init(&s_m, 3000);
    assert_int_equal(hq_mirror_load_snapshot(&s_m, snap, FX_MONO), HQ_OK);
    json_decref(snap);
    hq_strlcpy(s_s.message, "拒绝\x1b[31m：\x1b]0;pwned\x07请重试", sizeof s_s.message);
    s_s.message_at = FX_MONO;
    s_s.message_error = 1;
    s_rebuild(120, 30);
    s_expect("状态：暂停（午休）");
    s_expect("本窗口已由柜员 li 接管");
    s_expect("大厅");
    s_expect("A 参保登记");
    s_expect("拒绝：请重试");
    s_expect_harmless();

    /* A material is wrapped over rows: made safe before it is cut, no half survives. */
    json_t *cat = fx_catalog();
    json_t *service = json_array_get(json_object_get(cat, "services"), 0);
    json_array_set_new(json_object_get(service, "materials"), 0,
                       json_string("统一社会信用代码\x1b[31m证书或单位批准成立的文件\x1b]0;"
                                   "pwned\x07（实现联办建立登记的企业\x1b[0m可不提供）"));
    assert_int_equal(hqc_catalog_load(&s_s.catalog, cat), 0);
    json_decref(cat);
    c->state = HQ_C_IDLE;
    hq_ticket_t *t = fx_add(&s_hall, "A001", 1, 0);
    fx_at_window(&s_hall, t, HQ_T_SERVING, 60000);
    for (int cols = 60; cols <= 100; cols += 7) {
        s_build(cols, 30);
        s_expect_harmless();
        /* The rows of material 1 read as the material without its sequences. */
        int first = hqc_view_find(&s_v, " 1. 统一社会信用代码", NULL);
        int next = hqc_view_find(&s_v, " 2. ", NULL);
        assert_true(first > 0 && next > first);
        char joined[2048] = "", line[HQC_VIEW_COLS_MAX * 4 + 64];
        for (int r = first; r < next; r++) {
            hqc_view_plain(&s_v, r, line, sizeof line);
            const char *p = line + strspn(line, " ");
            if (r == first)
                p += strlen("1. ");
            strcat(joined, p);
        }
        assert_string_equal(joined, "统一社会信用代码证书或单位批准成立的文件（实现联办建立登记的"
                                    "企业可不提供）");
    }
}

int main(void)
{
    hq_text_locale();
    setenv("TZ", "UTC", 1); /* clock times on screen are local: fix the zone */
    tzset();
#define T(f) cmocka_unit_test_setup_teardown(f, s_setup, s_teardown)
    const struct CMUnitTest tests[] = {
        T(test_idle_window_80x24),
        T(test_columns_line_up_by_display_width),
        T(test_calling_green_ticket_with_materials),
        T(test_normal_ticket_without_service),
        T(test_handling_timer_colours),
        T(test_non_instant_item_has_its_own_time_limit),
        T(test_alert_for_this_window),
        T(test_queue_alert_banner),
        T(test_offline_banner_greys_everything),
        T(test_connecting_banner_before_any_state),
        T(test_login_and_takeover_banners),
        T(test_paused_window),
        T(test_tablet_on_state_line),
        T(test_english),
        T(test_wide_and_tall_layout),
        T(test_short_terminal_truncates_materials),
        T(test_short_terminal_keeps_busy_queues),
        T(test_too_small),
        T(test_lists),
        T(test_idle_shows_parked_and_rating_hint),
        T(test_noshows),
        T(test_logout_question),
        T(test_clicks_stand_for_keys),
        T(test_figures),
        T(test_pairing_code),
        T(test_message_line),
        T(test_hostile_text_drawn_harmless),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
