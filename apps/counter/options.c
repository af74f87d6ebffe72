#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void hqc_options_usage(FILE *out)
{
    fprintf(out,
            "usage: hallq-counter --counter N [--clerk ID] [--endpoint EP] [--events EP]\n"
            "                     [--lang zh|en] [--timeout MS] [--log FILE] [--verbose]\n"
            "                     [--key DEVICE.key --server-key server.key]\n\n"
            "The clerk's terminal at window N: logs the clerk in (or takes the window over\n"
            "from another clerk) and shows the window full screen, live.\n\n"
            "  --counter N      window number (1-999)\n"
            "  --clerk ID       clerk id (default $HALLQ_CLERK, else $USER)\n"
            "  --endpoint EP    hallqd requests (default $HALLQ_ENDPOINT, else %s)\n"
            "  --events EP      hallqd events (default $HALLQ_EVENTS, else %s)\n"
            "  --lang zh|en     language (default $HALLQ_LANG, else zh)\n"
            "  --timeout MS     how long an action waits for hallqd's reply (default 1500)\n"
            "  --log FILE       append diagnostics here while the screen is up (default: none)\n"
            "  --verbose        debug diagnostics\n"
            "  --key, --server-key  CURVE keys (default $HALLQ_KEY, $HALLQ_SERVER_KEY)\n\n"
            "Keys: c call next, n call a number, r recall, s start, f finish, x no-show,\n"
            "p park, u take a parked ticket back, t transfer, b pause/resume, e rating,\n"
            "l log in again, q quit. Exit status: 0 quit, 1 hallqd refused the login,\n"
            "2 bad arguments or no usable terminal.\n",
            HQ_DEFAULT_REQUEST_ENDPOINT, HQ_DEFAULT_EVENT_ENDPOINT);
}

static int s_fail(char *why, size_t whylen, const char *fmt, const char *arg)
{
    snprintf(why, whylen, fmt, arg);
    return -1;
}

/* A clerk id goes on the wire and on screen: printable, no spaces, fits the protocol. */
static int s_clerk_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= HQ_CLERK_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)id[i];
        if (ch < 0x21 || ch == 0x7f)
            return 0;
    }
    return 1;
}

int hqc_options_parse(int argc, char **argv, hqc_options_t *o, char *why, size_t whylen)
{
    memset(o, 0, sizeof *o);
    o->endpoint = getenv("HALLQ_ENDPOINT") ? getenv("HALLQ_ENDPOINT") : HQ_DEFAULT_REQUEST_ENDPOINT;
    o->events = getenv("HALLQ_EVENTS") ? getenv("HALLQ_EVENTS") : HQ_DEFAULT_EVENT_ENDPOINT;
    o->timeout_ms = 1500;
    o->lang = HQC_LANG_ZH;
    const char *lang = getenv("HALLQ_LANG");
    if (lang && *lang && hqc_lang_parse(lang, &o->lang) != 0)
        return s_fail(why, whylen, "HALLQ_LANG must be zh or en, not '%s'", lang);
    const char *clerk = getenv("HALLQ_CLERK");
    if (!clerk || !*clerk)
        clerk = getenv("USER");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        long v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = 1;
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            o->version = 1;
            return 0;
        }
        if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
            o->verbose = 1;
            continue;
        }
        if (a[0] != '-')
            return s_fail(why, whylen, "unexpected argument '%s'", a);
        if (!next)
            return s_fail(why, whylen, "%s needs a value", a);
        i++;
        if (strcmp(a, "--counter") == 0 || strcmp(a, "-c") == 0) {
            if (hq_parse_long(next, 1, 999, &v) != 0)
                return s_fail(why, whylen, "--counter takes a window number 1-999, not '%s'", next);
            o->counter = (int)v;
        } else if (strcmp(a, "--clerk") == 0) {
            clerk = next;
        } else if (strcmp(a, "--endpoint") == 0 || strcmp(a, "-e") == 0) {
            o->endpoint = next;
        } else if (strcmp(a, "--events") == 0) {
            o->events = next;
        } else if (strcmp(a, "--lang") == 0) {
            if (hqc_lang_parse(next, &o->lang) != 0)
                return s_fail(why, whylen, "--lang takes zh or en, not '%s'", next);
        } else if (strcmp(a, "--timeout") == 0) {
            if (hq_parse_long(next, 100, 60000, &v) != 0)
                return s_fail(why, whylen, "--timeout takes milliseconds 100-60000, not '%s'",
                              next);
            o->timeout_ms = (int)v;
        } else if (strcmp(a, "--log") == 0) {
            o->log_path = next;
        } else if (strcmp(a, "--key") == 0) {
            o->key = next;
        } else if (strcmp(a, "--server-key") == 0) {
            o->server_key = next;
        } else {
            return s_fail(why, whylen, "unknown option '%s'", a);
        }
    }
    if (o->counter == 0)
        return s_fail(why, whylen, "%s", "--counter N is required");
    if (!clerk || !*clerk)
        return s_fail(why, whylen, "%s", "no clerk: give --clerk ID (or set HALLQ_CLERK)");
    if (!s_clerk_ok(clerk))
        return s_fail(why, whylen, "clerk id '%s' must be 1-31 printable characters without spaces",
                      clerk);
    hq_strlcpy(o->clerk, clerk, sizeof o->clerk);
    if (!*o->endpoint || !*o->events)
        return s_fail(why, whylen, "%s", "endpoints must not be empty");
    return 0;
}
