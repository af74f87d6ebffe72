/* web_texts: see web_texts.h. */
#include "web_texts.h"

static const ui_text_t s_texts[WT_COUNT_] = {
    [WT_TITLE] = {"排队进度", "Your place in line"},
    [WT_AHEAD] = {"前面还有 %d 人", "%d people ahead of you"},
    [WT_AHEAD_NONE] = {"前面没有人了", "Nobody ahead of you"},
    [WT_WAIT_MIN] = {"预计等候约 %d 分钟", "About %d minutes to wait"},
    [WT_WAIT_SOON] = {"马上就到您，请留意叫号", "Your turn is coming: listen for the call"},
    [WT_WAITING] = {"排队中", "Waiting"},
    [WT_CALLED] = {"请到 %d 号窗口", "Please go to window %d"},
    [WT_CALLED_DETAIL] = {"正在叫您的号，请带齐材料前往办理",
                          "Your number is being called: bring your documents"},
    [WT_SERVING] = {"正在 %d 号窗口办理", "Being served at window %d"},
    [WT_PARKED] = {"%d 号窗口暂挂", "Set aside at window %d"},
    [WT_PARKED_DETAIL] = {"补齐材料后请回到该窗口",
                          "Come back to the window with the missing document"},
    [WT_NO_SHOW] = {"已过号", "Your call was missed"},
    [WT_NO_SHOW_DETAIL] = {"请到服务台重新排队",
                           "Please ask at the service desk to rejoin the line"},
    [WT_FINISHED] = {"已办结", "Done"},
    [WT_FINISHED_DETAIL] = {"感谢您的耐心等候", "Thank you for your patience"},
    [WT_EXPIRED] = {"号票已过期（仅当日有效）", "This ticket has expired (valid on its day only)"},
    [WT_OFFLINE] = {"叫号系统暂时离线，以下信息可能不是最新",
                    "The calling system is offline: this may not be up to date"},
    [WT_LOST] = {"网络中断，正在重新连接", "Connection lost, reconnecting"},
    [WT_PRIVACY] = {"本页只显示您这张号票的信息", "This page shows your ticket only"},
    [WT_OTHER_LANG] = {"English", "中文"},
    [WT_SOUND_ON] = {"点此开启叫号提示音", "Tap to hear a sound when called"},
    [WT_SOUND_READY] = {"叫号时将响铃并振动", "A sound and vibration when called"},
    [WT_UNKNOWN_TITLE] = {"号票无效或已过期", "Unknown or expired ticket"},
    [WT_UNKNOWN_TEXT] = {"这个链接不是今天的号票。号票只在取号当天有效，请重新取号或咨询服务台。",
                         "This link is not a ticket of today. A ticket is valid on the day it "
                         "was issued: take a new one, or ask at the service desk."},
    [WT_BUSY_TITLE] = {"请求过于频繁", "Too many requests"},
    [WT_BUSY_TEXT] = {"请稍等 %d 秒后再刷新。", "Please wait %d seconds, then reload."},
    [WT_DOWN_TITLE] = {"暂时无法查询", "Not available right now"},
    [WT_DOWN_TEXT] = {"叫号系统暂时无法连接，请稍后刷新本页。",
                      "The calling system cannot be reached: reload this page in a moment."},
    [WT_NOT_FOUND] = {"没有这个页面", "No such page"},
};

const ui_table_t web_texts = {"web", s_texts, WT_COUNT_, 0};
