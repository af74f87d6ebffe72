#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Designated initialisers keep each id next to its two texts; a missing entry shows up as
 * NULL and hqc_tr falls back to the other language (tests/unit/test_texts.c checks that
 * none is missing). */
static const ui_text_t s_texts[HQC_M_COUNT_] = {
    [HQC_M_NONE] = {"", ""},
    [HQC_M_WINDOW] = {"%d号窗口", "Window %d"},
    [HQC_M_CLERK] = {"柜员", "Clerk"},
    [HQC_M_STATE] = {"状态：", "State: "},
    [HQC_M_ST_CLOSED] = {"未开放", "closed"},
    [HQC_M_ST_IDLE] = {"空闲", "idle"},
    [HQC_M_ST_CALLING] = {"叫号中", "calling"},
    [HQC_M_ST_SERVING] = {"办理中", "serving"},
    [HQC_M_ST_PAUSED] = {"暂停", "paused"},
    [HQC_M_ST_UNKNOWN] = {"未知", "unknown"},
    [HQC_M_ST_LOGIN] = {"登录中", "logging in"},
    [HQC_M_ST_PIN] = {"等待输入密码", "waiting for the PIN"},
    [HQC_M_BANNER_OFFLINE] = {"【离线】与叫号服务器失去连接，以下为 %s 时的状态，正在重连...",
                              "[OFFLINE] hallqd unreachable: state as of %s, reconnecting..."},
    [HQC_M_BANNER_CONNECTING] = {"【连接中】正在连接叫号服务器 %s ...",
                                 "[CONNECTING] waiting for hallqd at %s ..."},
    [HQC_M_BANNER_LOGIN] = {"【登录中】正在登录 %d 号窗口（柜员 %s），服务器未应答，重试中...",
                            "[LOGGING IN] window %d, clerk %s: no answer yet, retrying..."},
    [HQC_M_BANNER_PIN] = {"【输入密码】柜员 %s 登录 %d 号窗口须输入本人密码",
                          "[PIN] clerk %s: type your PIN to log in at window %d"},
    [HQC_M_BANNER_TAKEN] = {"【已被接管】本窗口已由柜员 %s 接管，按 l 重新登录",
                            "[TAKEN OVER] clerk %s now runs this window: press l to log in again"},
    [HQC_M_BANNER_CLOSED] = {"【已关闭】本窗口已退出登录，按 l 重新登录",
                             "[CLOSED] this window was logged out: press l to log in again"},
    [HQC_M_BANNER_QUEUE_WAIT] = {"【排队提醒】%c 队最长已等 %d 分钟（目标 %d 分钟）：%s",
                                 "[Queue alert] queue %c: longest wait %d min (target %d): %s"},
    [HQC_M_BANNER_QUEUE_HANDLING] = {"【办理提醒】%c 队即时办结事项平均办理 %s（目标 %d 分钟）：%s",
                                     "[Queue alert] queue %c: instant items average %s (target "
                                     "%d min): %s"},
    [HQC_M_ADVICE_OPEN] = {"请增开办理该队的窗口", "open another window for it"},
    [HQC_M_ADVICE_TAKE_OVER] = {"可由其他窗口接办该队", "another window could take the queue over"},
    [HQC_M_ADVICE_NONE] = {"请联系值班负责人", "call the duty manager"},
    [HQC_M_BANNER_ALERT] = {"【超时提醒】本窗口今日即时办结事项平均办理 %s，超过 %d 分钟目标",
                            "[ALERT] instant items here average %s today, above the %d-minute "
                            "target"},
    [HQC_M_SMALL] = {"终端太小，请放大窗口", "Terminal too small: please enlarge it"},
    [HQC_M_NOW] = {"当前号", "Now"},
    [HQC_M_GREEN_MARK] = {"【绿色通道】", "[GREEN LANE]"},
    [HQC_M_NORMAL_LANE] = {"普通", "normal"},
    [HQC_M_SERVICE] = {"事项 %d：", "Service %d: "},
    [HQC_M_PARKED_FOR] = {"已挂起 %s", "parked %s"},
    [HQC_M_WAITED] = {"已等", "waited"},
    [HQC_M_CALLS] = {"叫号 %d 次", "called %dx"},
    [HQC_M_HANDLING] = {"办理计时", "handling"},
    [HQC_M_OVER] = {"超时", "over by"},
    [HQC_M_TIME_LIMIT] = {"办结时限：%s", "Time limit: %s"},
    [HQC_M_NOT_INSTANT] = {"非即时办结，不计入 %d 分钟目标", "not instant: no %d-min target"},
    [HQC_M_WHY_PICKED] = {"叫号依据：", "picked: "},
    [HQC_M_TRANSFERRED] = {"由 %c 队列转入", "transferred from queue %c"},
    [HQC_M_MATERIALS] = {"一次性告知：本事项所需材料（请一次告知市民）",
                         "Tell the citizen at once: materials this service needs"},
    [HQC_M_NO_SERVICE] = {"取号时未选择事项：请询问市民办理的具体事项，再一次告知所需材料",
                          "No service chosen at the kiosk: ask which service, then tell all the "
                          "materials at once"},
    [HQC_M_CATALOG_LOADING] = {"材料清单加载中...", "loading the materials list..."},
    [HQC_M_SERVICE_UNKNOWN] = {"事项 %d 不在服务目录中", "service %d is not in the catalog"},
    [HQC_M_MORE_LINES] = {"（另有 %d 行，放大窗口可见）", "(%d more lines: enlarge the terminal)"},
    [HQC_M_IDLE_HINT] = {"窗口空闲：按 c 叫下一位",
                         "Window idle: press c to call the next citizen"},
    [HQC_M_PAUSED_HINT] = {"暂停服务：%s（按 b 恢复）", "Paused: %s (press b to resume)"},
    [HQC_M_CLOSED_HINT] = {"窗口未开放", "Window closed"},
    [HQC_M_NO_DATA] = {"尚未收到服务器数据", "no data from hallqd yet"},
    [HQC_M_PARKED_LIST] = {"挂起待取回：", "Parked: "},
    [HQC_M_NOSHOW_LIST] = {"过号可重排：", "No-shows: "},
    [HQC_M_RATE_HINT] = {"上一位 %s 已办结：按 e 记录评价",
                         "%s finished: press e to record the rating"},
    [HQC_M_PAIR_CODE] = {"评价器配对码：%s（%s 前有效，约 %d 分钟）",
                         "Tablet pairing code: %s (until %s, about %d min)"},
    [HQC_M_WAITING_TITLE] = {"本窗口等候人数", "Waiting for this window"},
    [HQC_M_TOTAL] = {"合计", "Total"},
    [HQC_M_PEOPLE] = {"%d 人", "%d"},
    [HQC_M_GREEN_COUNT] = {"绿色通道 %d", "green %d"},
    [HQC_M_FIGURES_TITLE] = {"本窗口今日（即时办结事项）", "Today (instant items)"},
    [HQC_M_FIG_COUNT] = {"办结 %d 件", "finished %d"},
    [HQC_M_FIG_AVG] = {"平均办理 %s（目标 %s）", "avg %s (target %s)"},
    [HQC_M_FIG_WITHIN] = {"%d 分钟内办结 %d%%", "within %d min: %d%%"},
    [HQC_M_FIG_MAX] = {"最长 %s", "longest %s"},
    [HQC_M_FIG_NONE] = {"今日尚无办结", "nothing finished yet today"},
    [HQC_M_FIG_UNKNOWN] = {"统计加载中...", "loading figures..."},
    [HQC_M_RECENT_TITLE] = {"本窗口最近叫号", "Recent calls here"},
    [HQC_M_K_CALL] = {"叫号", "Call"},
    [HQC_M_K_NUMBER] = {"选号", "Number"},
    [HQC_M_K_RECALL] = {"重呼", "Recall"},
    [HQC_M_K_START] = {"开始", "Start"},
    [HQC_M_K_FINISH] = {"办结", "Finish"},
    [HQC_M_K_NO_SHOW] = {"过号", "No-show"},
    [HQC_M_K_REQUEUE] = {"重排", "Requeue"},
    [HQC_M_K_PARK] = {"挂起", "Park"},
    [HQC_M_K_UNPARK] = {"取回", "Unpark"},
    [HQC_M_K_TRANSFER] = {"转移", "Transfer"},
    [HQC_M_K_PAUSE] = {"暂停", "Pause"},
    [HQC_M_K_RESUME] = {"恢复", "Resume"},
    [HQC_M_K_RATE] = {"评价", "Rate"},
    [HQC_M_K_PAIR] = {"配对", "Pair"},
    [HQC_M_K_LOGIN] = {"登录", "Login"},
    [HQC_M_K_QUIT] = {"退出", "Quit"},
    [HQC_M_K_PICK_HELP] = {"方向键 选择   回车 确认   Esc 取消   或直接按行首的键",
                           "Up/Down choose   Enter confirm   Esc cancel   or press the key shown"},
    [HQC_M_K_ENTRY_HELP] = {"输入号码   回车 叫号   退格 删除   Esc 取消",
                            "type the number   Enter call   Backspace delete   Esc cancel"},
    [HQC_M_K_PIN_HELP] = {"输入密码（数字）   回车 登录   退格 删除   Esc 退出",
                          "type the PIN (digits)   Enter log in   Backspace delete   Esc quit"},
    [HQC_M_PICK_NUMBER] = {"叫指定号码：", "Call number: "},
    [HQC_M_PICK_PIN] = {"密码：", "PIN: "},
    [HQC_M_PICK_WAITING] = {"等候中：", "Waiting: "},
    [HQC_M_PICK_NONE_WAITING] = {"本窗口没有等候的号", "nobody waits for this window"},
    [HQC_M_PICK_PARKED] = {"取回哪个挂起的号？", "Take back which parked ticket?"},
    [HQC_M_PICK_QUEUE] = {"%s 转到哪个队列？（保留原取号时间）",
                          "Transfer %s to which queue? (keeps its issue time)"},
    [HQC_M_PICK_REASON] = {"暂停原因：", "Pause reason:"},
    [HQC_M_PICK_RATING] = {"%s 的市民评价：", "Citizen's rating of %s:"},
    [HQC_M_PICK_NOSHOW] = {"过号重排：哪个号回到队列？（按原取号顺序等候）",
                           "Put which no-show back in line? (it keeps its place)"},
    [HQC_M_NOSHOW_AT] = {"末次叫号 %s", "last called %s"},
    [HQC_M_LOGOUT_TITLE] = {"退出登录？", "Log out?"},
    [HQC_M_LOGOUT_HELD] = {"%s 还在窗口：先处理，再退出登录",
                           "%s is still at the window: deal with it, then log out"},
    [HQC_M_LO_YES] = {"退出登录：关闭 %d 号窗口，停止计时，退出终端",
                      "Log out: close window %d, stop its clock, quit"},
    [HQC_M_LO_KEEP] = {"只退出终端：窗口保持登录（重新启动后继续）",
                       "Quit only: the window stays open (start again to go on)"},
    [HQC_M_LO_KEEP_HELD] = {"只退出终端：%s 留在窗口，计时继续（重新启动后接着办理）",
                            "Quit only: %s stays at the window, its clock running"},
    [HQC_M_LO_BACK] = {"返回，不退出", "Back, stay logged in"},
    [HQC_M_LO_FINISH] = {"办结 %s，然后退出登录", "Finish %s, then log out"},
    [HQC_M_LO_PARK] = {"挂起 %s，然后退出登录（市民补齐材料后在本窗口取回）",
                       "Park %s, then log out (take it back here later)"},
    [HQC_M_LO_TRANSFER] = {"转移 %s 到其他队列，然后退出登录",
                           "Transfer %s to another queue, then log out"},
    [HQC_M_LO_NO_SHOW] = {"%s 过号，然后退出登录", "Mark %s no-show, then log out"},
    [HQC_M_REASON_1] = {"午休", "lunch break"},
    [HQC_M_REASON_2] = {"临时离开", "short absence"},
    [HQC_M_REASON_3] = {"业务学习", "training"},
    [HQC_M_REASON_4] = {"系统故障", "system fault"},
    [HQC_M_REASON_5] = {"其他", "other"},
    [HQC_M_R_OFFLINE] = {"离线：服务器未连接，操作无法发送",
                         "Offline: hallqd is not reachable, nothing sent"},
    [HQC_M_R_BUSY] = {"上一操作还在等待服务器回复",
                      "Still waiting for the reply to the last action"},
    [HQC_M_R_LOGGING_IN] = {"正在登录，请稍候", "Logging in, please wait"},
    [HQC_M_R_NOT_MINE] = {"本窗口不在您的登录下：先按 l 登录",
                          "This window is not yours now: press l to log in"},
    [HQC_M_R_PAUSED] = {"窗口暂停中：先按 b 恢复", "The window is paused: press b to resume first"},
    [HQC_M_R_HELD] = {"%s 还在窗口：先办结、挂起、转移或过号",
                      "%s is still at the window: finish, park, transfer or mark no-show first"},
    [HQC_M_R_EMPTY] = {"窗口没有叫到的号", "Nobody has been called to this window"},
    [HQC_M_R_SERVING] = {"%s 已在办理中", "%s is already being served"},
    [HQC_M_R_NOSHOW_EARLY] = {"%s 只叫了 %d 次：先按 r 重呼（叫满 %d 次可过号）",
                              "%s was called %d time(s): recall with r first (no-show after %d)"},
    [HQC_M_R_NO_PARKED] = {"没有可取回的挂起号", "No parked ticket to take back"},
    [HQC_M_R_NO_NOSHOW] = {"本窗口没有可重排的过号",
                           "No no-show of this window to put back in line"},
    [HQC_M_R_NO_QUEUE] = {"没有可转入的其他队列", "No other queue to transfer to"},
    [HQC_M_R_NO_RATE] = {"没有待评价的号（办结后可评价一次）",
                         "Nothing to rate (rate once after finishing)"},
    [HQC_M_R_LOGGED_IN] = {"您已登录本窗口", "You are already logged in here"},
    [HQC_M_R_UNKNOWN_KEY] = {"按键 %s 无功能，可用按键见底行",
                             "Key %s does nothing: see the keys below"},
    [HQC_M_R_BAD_NUMBER] = {"号码 %s 格式不对（例如 A001）",
                            "'%s' is not a ticket number (e.g. A001)"},
    [HQC_M_R_NOT_WAITING] = {"%s 不在等候中", "%s is not waiting"},
    [HQC_M_R_NOT_SERVED] = {"本窗口不办理 %c 队列（%s）",
                            "This window does not serve queue %c (%s)"},
    [HQC_M_R_WAIT_LOGIN] = {"正在登录，请稍候（q 退出）", "Logging in, please wait (q quits)"},
    [HQC_M_R_PIN_SHORT] = {"密码为 %d 到 %d 位数字", "A PIN has %d to %d digits"},
    [HQC_M_R_OFFLINE_LOGOUT] = {"离线：现在无法退出登录（按 k 只退出终端）",
                                "Offline: cannot log out now (k quits, the window stays open)"},
    [HQC_M_OK_LOGIN] = {"已登录 %d 号窗口", "Logged in at window %d"},
    [HQC_M_OK_TAKEOVER] = {"已接管 %d 号窗口（原柜员 %s）", "Took over window %d from %s"},
    [HQC_M_OK_CALLED] = {"请 %s 号到本窗口（%s）", "Calling %s (%s)"},
    [HQC_M_OK_NONE] = {"没有等候的号", "Nobody is waiting"},
    [HQC_M_OK_RECALLED] = {"已重呼 %s（第 %d 次）", "Recalled %s (call %d)"},
    [HQC_M_OK_STARTED] = {"%s 开始办理", "Serving %s"},
    [HQC_M_OK_FINISHED] = {"%s 已办结，用时 %s；按 e 记录评价",
                           "%s finished in %s: press e to record the rating"},
    [HQC_M_OK_NO_SHOW] = {"%s 已过号", "%s marked no-show"},
    [HQC_M_OK_PARKED] = {"%s 已挂起：市民补齐材料后按 u 取回",
                         "%s parked: press u when the citizen returns"},
    [HQC_M_OK_UNPARKED] = {"已取回 %s，继续办理", "%s taken back, serving"},
    [HQC_M_OK_TRANSFERRED] = {"%s 已转到 %c 队列", "%s transferred to queue %c"},
    [HQC_M_OK_PAUSED] = {"窗口已暂停：%s", "Window paused: %s"},
    [HQC_M_OK_RESUMED] = {"窗口已恢复服务", "Window open again"},
    [HQC_M_OK_RATED] = {"%s 评价已记录：%s", "Rating of %s recorded: %s"},
    [HQC_M_OK_PAIR] = {"已取得评价器配对码 %s，5 分钟内有效",
                       "Tablet pairing code %s: valid 5 minutes"},
    [HQC_M_TABLET_ON] = {"  评价器：已配对", "  rating tablet: paired"},
    [HQC_M_OK_PAIRED] = {"评价器已配对，配对码已失效",
                         "The rating tablet is paired; the code is spent"},
    [HQC_M_OK_REQUEUED] = {"%s 已重新排队（按原取号顺序等候）", "%s is back in line at its place"},
    [HQC_M_OK_LOGGING_OUT] = {"正在退出登录...", "Logging out..."},
    [HQC_M_BYE] = {"已退出登录，%d 号窗口已关闭", "logged out: window %d is closed"},
    [HQC_M_E_TIMEOUT] = {"服务器 %d 毫秒内未回复，操作结果未知，请以屏幕状态为准",
                         "No reply from hallqd within %d ms: the action may not have happened, "
                         "trust the screen"},
    [HQC_M_E_TAKEN] = {"本窗口已由柜员 %s 接管", "Clerk %s took this window over"},
    [HQC_M_E_PIN] = {"密码错误，请重新输入", "Wrong PIN: type it again"},
    [HQC_M_X_MALFORMED] = {"服务器无法读取此请求（终端与服务器版本不一致？），请联系信息管理员",
                           "hallqd could not read the request (versions differ?): ask the IT "
                           "officer"},
    [HQC_M_X_BAD_FIELD] = {"服务器不接受此请求的内容，请联系信息管理员",
                           "hallqd did not accept the request's fields: ask the IT officer"},
    [HQC_M_X_UNKNOWN_QUEUE] = {"本大厅没有这个队列", "This hall has no such queue"},
    [HQC_M_X_UNKNOWN_COUNTER] = {"本大厅没有 %d 号窗口", "This hall has no window %d"},
    [HQC_M_X_UNKNOWN_TICKET] = {"今天没有 %s 号", "There is no ticket %s today"},
    [HQC_M_X_STATE] = {"窗口现在的状态下不能这样操作，请以屏幕为准",
                       "Not possible in the window's state now: trust the screen"},
    [HQC_M_X_STORE] = {"服务器无法保存（磁盘已满或只读），操作未执行，请联系信息管理员",
                       "hallqd could not save (disk full or read-only): nothing happened, ask "
                       "the IT officer"},
    [HQC_M_X_FORBIDDEN] = {"本终端无权这样操作（设备密钥或该号属于其他窗口）",
                           "This terminal may not do that (its key or the ticket belongs to "
                           "another window)"},
    [HQC_M_X_ROSTER] = {"柜员 %s 不能登录：不在本厅柜员名册中，或名册暂不可用，请联系信息管理员",
                        "Clerk %s cannot log in: not on the hall's roster, or the roster is "
                        "unusable; ask the IT officer"},
    [HQC_M_X_RATE_LIMITED] = {"操作太频繁，请 %d 秒后再试", "Too many requests: try again in %d s"},
    [HQC_M_X_INTERNAL] = {"服务器内部出错，操作未执行，请联系信息管理员",
                          "hallqd failed inside: nothing happened, ask the IT officer"},
    [HQC_M_X_OTHER] = {"服务器拒绝了此操作", "hallqd refused the action"},
    [HQC_M_XS_CLOSED] = {"本窗口未登录：先按 l 登录", "This window is not logged in: press l"},
    [HQC_M_XS_TICKET_AT_WINDOW] = {"窗口还有号未处理：先办结、挂起、转移或过号",
                                   "A ticket is still at the window: finish, park, transfer or "
                                   "mark it no-show first"},
    [HQC_M_XS_TICKET_STATE] = {"该号的状态已变（可能已在其他设备上处理），请以屏幕为准",
                               "The ticket changed meanwhile (handled elsewhere?): trust the "
                               "screen"},
    [HQC_M_XS_NOT_SERVED] = {"本窗口不办理该号所在的队列",
                             "This window does not serve that ticket's queue"},
    [HQC_M_XS_TOO_FEW_CALLS] = {"叫号次数不够：先按 r 重呼（叫满 %d 次可过号）",
                                "Not called often enough: recall with r first (no-show after "
                                "%d)"},
    [HQC_M_XS_SAME_QUEUE] = {"该号已在这个队列", "The ticket already waits in that queue"},
    [HQC_M_XS_ALREADY_RATED] = {"该号已评价过", "That ticket has its rating already"},
    [HQC_M_XS_ALREADY_PAUSED] = {"窗口已在暂停中", "The window is paused already"},
    [HQC_M_XS_NOT_PAUSED] = {"窗口没有暂停", "The window is not paused"},
    [HQC_M_XS_QUEUE_FULL] = {"该队列今天的号已发完（每天最多 9999 个）",
                             "The queue issued all 9999 tickets of today"},
    [HQC_M_F_NO_WINDOW] = {"本大厅没有 %d 号窗口（本厅窗口：%s），请检查窗口号设置",
                           "this hall has no window %d (its windows: %s): check --counter"},
    [HQC_M_LIST_SEP] = {"、", ", "},
    [HQC_M_PR_GREEN] = {"绿色通道优先", "green lane first"},
    [HQC_M_PR_OLDEST] = {"先到先办", "first come"},
    [HQC_M_PR_CHOSEN] = {"柜员选号", "chosen by clerk"},
    [HQC_M_PR_MAX_WAIT] = {"普通号已等 %d 分钟", "normal ticket waited %d min"},
    [HQC_M_PR_GREEN_LIMIT] = {"已连叫绿色通道 %d 个，轮到普通号",
                              "%d green in a row, normal's turn"},
    [HQC_M_PR_APPOINTMENT] = {"预约时段已到", "appointment slot begun"},
    [HQC_M_PR_APPOINTMENT_LIMIT] = {"已连叫预约号 %d 个，轮到现场号",
                                    "%d appointments in a row, walk-in's turn"},
};

const ui_table_t hqc_texts = {"counter", s_texts, HQC_M_COUNT_, 0};

const char *hqc_tr(ui_lang_t lang, hqc_msg_t id)
{
    return ui_text(&hqc_texts, (int)id, lang);
}

void hqc_pick_reason(ui_lang_t lang, const hq_ticket_t *t, int green_max, char *out, int outlen)
{
    if (outlen <= 0)
        return;
    size_t n = (size_t)outlen;
    switch (t->reason_code) {
    case HQ_REASON_GREEN_LANE:
        snprintf(out, n, "%s", hqc_tr(lang, HQC_M_PR_GREEN));
        break;
    case HQ_REASON_OLDEST:
        snprintf(out, n, "%s", hqc_tr(lang, HQC_M_PR_OLDEST));
        break;
    case HQ_REASON_CHOSEN:
        snprintf(out, n, "%s", hqc_tr(lang, HQC_M_PR_CHOSEN));
        break;
    case HQ_REASON_MAX_WAIT:
        /* The wait the scheduler saw: from the issue to the call. */
        snprintf(out, n, hqc_tr(lang, HQC_M_PR_MAX_WAIT),
                 (int)((t->last_called_ms - t->issued_ms) / 60000));
        break;
    case HQ_REASON_GREEN_LIMIT:
        snprintf(out, n, hqc_tr(lang, HQC_M_PR_GREEN_LIMIT), green_max);
        break;
    case HQ_REASON_APPOINTMENT:
        snprintf(out, n, "%s", hqc_tr(lang, HQC_M_PR_APPOINTMENT));
        break;
    case HQ_REASON_APPOINTMENT_LIMIT: {
        /* The bound the daemon counted is in its own words. */
        const char *digits = strpbrk(t->reason, "0123456789");
        snprintf(out, n, hqc_tr(lang, HQC_M_PR_APPOINTMENT_LIMIT), digits ? atoi(digits) : 0);
        break;
    }
    default: /* a code this terminal does not know: the daemon's own words */
        snprintf(out, n, "%s", t->reason);
        break;
    }
}
