/* web_options: see web_options.h. */
#include "web_options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_OPT(field) offsetof(web_options_t, field)

/* ADDRESS:PORT, or PORT alone (every address). */
static int s_set_listen(void *field, const char *arg, const ui_option_t *opt, char *why,
                        size_t whylen)
{
    web_options_t *o = (web_options_t *)((char *)field - S_OPT(address));
    const char *colon = strrchr(arg, ':');
    const char *port = colon ? colon + 1 : arg;
    size_t alen = colon ? (size_t)(colon - arg) : 0;
    if (alen >= sizeof o->address || hq_parse_int(port, 0, 65535, &o->port) != 0) {
        snprintf(why, whylen, "--%s takes ADDRESS:PORT or PORT (0: any free port), not '%s'",
                 opt->name, arg);
        return -1;
    }
    if (colon) {
        memcpy(o->address, arg, alen);
        o->address[alen] = '\0';
    } else {
        snprintf(o->address, sizeof o->address, "0.0.0.0");
    }
    return 0;
}

static int s_set_rate(void *field, const char *arg, const ui_option_t *opt, char *why,
                      size_t whylen)
{
    char reason[160];
    if (hq_rate_parse(arg, field, reason, sizeof reason) == 0)
        return 0;
    snprintf(why, whylen, "--%s: %s", opt->name, reason);
    return -1;
}

void web_options_defaults(web_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->lang = UI_LANG_ZH;
    o->endpoint = ui_env_or("HALLQ_ENDPOINT", HQ_DEFAULT_REQUEST_ENDPOINT);
    o->events = ui_env_or("HALLQ_EVENTS", HQ_DEFAULT_EVENT_ENDPOINT);
    snprintf(o->address, sizeof o->address, "0.0.0.0");
    o->port = WEB_PORT_DEFAULT;
    o->per_address = (hq_rate_t){600, 120};
    o->guesses = (hq_rate_t){20, 10};
    o->max_connections = WEB_MAX_CONNECTIONS_DEFAULT;
}

_Static_assert(WEB_PORT_DEFAULT == 8080 && WEB_MAX_CONNECTIONS_DEFAULT == 4000,
               "update the help of --listen and --max-connections");

static const ui_option_t s_options[] = {
    {.name = "listen",
     .arg = "ADDR:PORT",
     .help = {"网页服务的地址和端口（默认 0.0.0.0:8080；端口 0 为任一空闲端口）",
              "where the pages are served (default 0.0.0.0:8080;\n"
              "port 0: any free port, which the log names)"},
     .set = s_set_listen,
     .at = S_OPT(address)},
    UI_OPTION_ENDPOINT(web_options_t, endpoint),
    UI_OPTION_EVENTS(web_options_t, events),
    {.name = "limit",
     .arg = "RATE",
     .help = {"每个客户端地址的请求额度（默认 600/min, burst 120；unlimited 不限）",
              "requests of one client address (default\n"
              "\"600/min, burst 120\"; unlimited for none)"},
     .set = s_set_rate,
     .at = S_OPT(per_address)},
    {.name = "guess-limit",
     .arg = "RATE",
     .help = {"每个客户端地址查询新号票链接的额度，限制猜测（默认 20/min, burst 10）",
              "links of tickets not followed yet, per client address:\n"
              "bounds guessing (default \"20/min, burst 10\")"},
     .set = s_set_rate,
     .at = S_OPT(guesses)},
    {.name = "max-connections",
     .arg = "N",
     .help = {"同时连接数上限（默认 4000）", "connections at once at most (default 4000)"},
     .set = ui_set_int,
     .at = S_OPT(max_connections),
     .min = 1,
     .max = 60000},
    {.name = "api-keys",
     .arg = "FILE",
     .help = {"开放 JSON 接口（/api/v1）：API 密钥文件，每行 名称 角色 密钥 [设备密钥]",
              "open the JSON API (/api/v1): its keys, a line each:\n"
              "NAME ROLE SECRET [DEVICE_KEY] (README)"},
     .set = ui_set_string,
     .at = S_OPT(api_keys)},
    {.name = "tls-cert",
     .arg = "FILE",
     .help = {"以 HTTPS 提供网页：证书（PEM，需同时给 --tls-key）",
              "serve HTTPS: the certificate (PEM; with --tls-key)"},
     .set = ui_set_string,
     .at = S_OPT(tls_cert)},
    {.name = "tls-key",
     .arg = "FILE",
     .help = {"HTTPS 证书的私钥（PEM）", "the certificate's private key (PEM)"},
     .set = ui_set_string,
     .at = S_OPT(tls_key)},
    {.name = "notify-hook",
     .arg = "EXE|URL",
     .help = {"页面关闭后的提醒和队列告警：可执行程序（参数 号码 文字，告警为 alert 文字），"
              "或 http:// 地址（POST JSON）",
              "messages after the page is closed, and queue alerts: an\n"
              "executable (run as EXE TICKET TEXT, EXE alert TEXT) or\n"
              "an http:// URL (a JSON POST)"},
     .set = ui_set_string,
     .at = S_OPT(notify_hook)},
    {.name = "verbose",
     .letter = 'v',
     .help = {"调试日志", "debug log"},
     .set = ui_set_flag,
     .at = S_OPT(verbose)},
    UI_OPTION_KEY(web_options_t, key),
    UI_OPTION_SERVER_KEY(web_options_t, server_key),
    {.name = NULL},
};

const ui_program_t web_cli = {
    .name = "hallq-web",
    .synopsis = {"[选项]", "[options]"},
    .about = {"医保服务大厅的网页：市民扫号票上的二维码查看排队进度（/t/令牌），\n"
              "在手机上预约办理（/book）。页面和文件都在程序内，大厅不联网也能使用。",
              "The hall's web pages: a citizen scans the ticket's QR code and follows the\n"
              "ticket (/t/TOKEN), or books an appointment (/book). Pages and files are\n"
              "built in: no internet needed."},
    .epilog = {"退出状态：0 正常退出，2 参数错误，4 其他故障（端口被占用等）。",
               "Exit status: 0 done, 2 bad arguments, 4 any other failure (the port in use,\n"
               "...)."},
    .options = s_options,
    .lang_at = S_OPT(lang),
};
