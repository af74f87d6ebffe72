/* kiosk_texts: see kiosk_texts.h. Arrows, middle dots and ellipses are left out on purpose
 * (ambiguous width): "Up/Down" is spelt out and "please wait" replaces "...". */
#include "kiosk_texts.h"

#include "ticket_layout.h"

static const ui_text_t s_texts[KT_COUNT_] = {
    [KT_TITLE] = {"自助取号", "Take a number"},
    [KT_HELP_WAIT] = {"请稍候", "Please wait"},

    [KT_CONNECTING] = {"正在连接叫号服务 %s，请稍候", "Connecting to the queue service %s"},
    [KT_UNREACHABLE] = {"叫号服务暂时无法连接，%d 秒后自动重试（%s）",
                        "The queue service cannot be reached; retrying in %d s (%s)"},
    [KT_HELP_CONNECTING] = {"任意键立即重试    Q 退出", "Any key retries now    Q quit"},

    [KT_CHOOSE_QUEUE] = {"请选择业务类别", "Choose a category"},
    [KT_CHOOSE_SERVICE] = {"请选择办理事项", "Choose the service"},
    [KT_NO_SERVICE] = {"不指定具体事项", "No particular service"},
    [KT_HELP_QUEUES] = {"数字键或上下键选择，回车确认    R 补打上一张    Q 退出",
                        "Number keys or Up/Down, Enter to choose    R reprint last    Q quit"},
    [KT_HELP_LIST] = {"数字键或上下键选择，回车确认    Esc 返回",
                      "Number keys or Up/Down, Enter to choose    Esc back"},

    [KT_MATERIALS] = {"请携带以下材料（一次性告知）：", "Please bring (one-time notice):"},
    [KT_NO_MATERIALS] = {"未指定事项：所需材料请咨询窗口工作人员。",
                         "No service chosen: ask at the counter which documents you need."},
    [KT_GREEN_ON] = {"老年人绿色通道：是", "Elderly green lane: yes"},
    [KT_GREEN_OFF] = {"老年人绿色通道：否", "Elderly green lane: no"},
    [KT_HELP_CONFIRM] = {"回车 取号    G 绿色通道    I 输入身份证号    Esc 返回",
                         "Enter take number    G green lane    I enter ID number    Esc back"},

    [KT_ID_PROMPT] = {"请输入 18 位身份证号码：", "Enter the 18-character ID number:"},
    [KT_ID_PRIVACY] = {"仅用于判断是否年满 %d 周岁，号码不保存、不上传。",
                       "Used here only to check the age of %d; not stored, not sent."},
    [KT_HELP_ID] = {"回车 确认    退格 删除    Esc 取消",
                    "Enter confirm    Backspace delete    Esc cancel"},
    [KT_ID_GREEN] = {"已核验：年满 %d 周岁，已选择老年人绿色通道。",
                     "Checked: aged %d or over, elderly green lane chosen."},
    [KT_ID_NORMAL] = {"已核验：未满 %d 周岁，按普通号办理。",
                      "Checked: under %d, a normal ticket."},
    [KT_ID_LENGTH] = {"身份证号码应为 18 位，现为 %zu 位",
                      "An ID number has 18 characters, this one has %zu"},
    [KT_ID_CHARACTERS] = {"身份证号码应为 17 位数字，末位为数字或 X",
                          "An ID number is 17 digits, then a digit or X"},
    [KT_ID_BIRTH_DATE] = {"身份证号码中的出生日期无效",
                          "The birth date in the ID number is not a real date"},
    [KT_ID_CHECK_DIGIT] = {"身份证号码校验位不符，请核对",
                           "The ID number's check digit does not match (mistyped?)"},
    [KT_ID_FUTURE] = {"身份证号码中的出生日期晚于今天",
                      "The birth date in the ID number lies in the future"},

    [KT_ISSUING] = {"正在取号，请稍候", "Taking a number, one moment"},
    [KT_RETRYING] = {"叫号服务未及时应答，正在重试（第 %d 次，共 %d 次）",
                     "The queue service did not answer in time: asking again (%d of %d)"},
    [KT_ISSUE_FAILED] = {"取号失败：%s", "No ticket: %s"},
    [KT_ISSUE_UNREACHABLE] = {"叫号服务没有应答，未能取号。请稍后再试，或到服务台。",
                              "The queue service did not answer: no ticket. Please try again, "
                              "or ask at the service desk."},
    [KT_BAD_REPLY] = {"叫号服务的答复无法识别", "the queue service's answer cannot be read"},
    [KT_REFUSED_SERVICE] = {"该业务已调整，请返回重新选择",
                            "this service has changed, please choose again"},
    [KT_REFUSED_STATE] = {"该业务今日暂停取号", "no more numbers for this today"},
    [KT_REFUSED_FORBIDDEN] = {"本机未获准取号，请联系工作人员",
                              "this kiosk may not issue numbers, please call staff"},
    [KT_REFUSED_STORE] = {"叫号服务暂时无法保存号码，请稍后再试",
                          "the queue service could not save the number, please try again"},
    [KT_REFUSED_BUSY] = {"本机取号过于频繁，请稍候再试", "this kiosk issued too many tickets "
                                                         "at once, please try again shortly"},
    [KT_REFUSED_OTHER] = {"叫号服务拒绝了取号", "the queue service refused"},

    [KT_PRINTING] = {"正在打印号票，请稍候", "Printing your ticket, one moment"},
    [KT_YOUR_NUMBER] = {"您的号码", "Your number"},
    [KT_GREEN_MARK] = {"老年人绿色通道", "Elderly green lane"},
    [KT_AHEAD] = {"前面等候 %d 人", "People ahead: %d"},
    [KT_WAIT] = {"预计等候约 %d 分钟", "Estimated wait: about %d min"},
    [KT_WAIT_UNDER] = {"预计等候不足 1 分钟", "Estimated wait: under 1 min"},
    [KT_PRINTED] = {"号票已打印，请取票。", "Your ticket is printed. Please take it."},
    [KT_REPRINTED] = {"号票已补打，请取票。", "Your ticket is printed again. Please take it."},
    [KT_PRINT_FAILED] = {"打印失败：%s", "Printing failed: %s"},
    [KT_PRINT_HINT] = {"号码已生效，不会重复取号。请按 R 重新打印，或到服务台。",
                       "The number is valid and will not be issued twice. Press R to print "
                       "again, or ask at the service desk."},
    [KT_HELP_RESULT] = {"R 重新打印    回车 返回首页", "R print again    Enter start over"},
    [KT_NO_LAST] = {"还没有可补打的号票。", "No ticket to print again yet."},
    [KT_STALE_LAST] = {"上一张号票 %s 是 %s 的，已失效，不能补打。",
                       "The last ticket %s is from %s and no longer valid."},
    [KT_REPLACED] = {"有 %zu 个字符打印机无法打印，已印作问号 ?。",
                     "%zu characters could not be printed and show as '?'."},
    [KT_NOT_KEPT] = {"（补打记录未能保存：%s）", "(could not keep it for reprinting: %s)"},

    [KT_TICKET_GREEN] = {"【老年人绿色通道】", "[Elderly green lane]"},
    [KT_TICKET_REPRINT] = {"（补打）", "(Reprint)"},
    [KT_TICKET_SAMPLE] = {"【样张：未取号，号码无效】", "[Sample: no ticket was issued]"},
    [KT_TICKET_AHEAD] = {"前面等候：%d 人", "People ahead: %d"},
    [KT_TICKET_WAIT] = {"预计等候：约 %d 分钟", "Estimated wait: about %d min"},
    [KT_TICKET_WAIT_UNDER] = {"预计等候：不足 1 分钟", "Estimated wait: under 1 min"},
    [KT_TICKET_ISSUED] = {"取号时间：%s", "Issued: %s"},
    [KT_TICKET_MATERIALS] = {"请携带以下材料（一次性告知）：", "Please bring (one-time notice):"},
    [KT_TICKET_FOOTER] = {TICKET_FOOTER_ZH, TICKET_FOOTER_EN},

    [KT_OUT_OPEN_FAILED] = {"打印机 %s 无法打开：%s", "printer %s cannot be opened: %s"},
    [KT_OUT_WRITE_FAILED] = {"打印机 %s 写入失败：%s", "printer %s failed to take the ticket: %s"},
    [KT_OUT_TIMED_OUT] = {"打印机 %s %d 秒内没有响应，请检查电源、纸张和连线",
                          "printer %s did not respond within %d s: check power, paper and cable"},
    [KT_OUT_CONNECT] = {"无法连接打印机 %s：%s", "cannot connect to printer %s: %s"},
    [KT_OUT_FILE] = {"无法写入文件 %s：%s", "cannot write file %s: %s"},
    [KT_OUT_NO_SUCH] = {"找不到打印机 %s，请检查是否连接",
                        "printer %s not found: is it connected?"},

    [KT_CLI_GREEN] = {"，老年人绿色通道", ", elderly green lane"},
    [KT_CLI_AHEAD] = {"，前面 %d 人", ", %d ahead"},
    [KT_CLI_WAIT] = {"，预计约 %d 分钟", ", about %d min"},
    [KT_CLI_PRINT_FAILED] = {"%s；号票 %s 已取号，可用 --reprint 重新打印",
                             "%s; ticket %s is issued: print it again with --reprint"},
};

const ui_table_t kiosk_texts = {"kiosk", s_texts, KT_COUNT_, 0};

const char *kiosk_tr(ui_lang_t lang, kiosk_text_t id)
{
    return ui_text(&kiosk_texts, (int)id, lang);
}
