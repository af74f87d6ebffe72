/* hallqctl: every hall action from a shell, for operators, managers and scripts.
 *
 * A request verb is a row of the table of requests (lib/hallq/hq_requests.h): its name, its
 * help and the words it takes come from the row's fields, so a new request needs nothing
 * here. The other verbs (watch, backup, restore, keys, stats) are hallqctl's own.
 * Exit statuses are lib/ui's: 0 done, 1 refused by hallqd, 2 bad arguments, 3 unreachable. */
#include "hq_client.h"

#include <czmq.h>
#include "hq_log.h"
#include "hq_proto.h"
#include "hq_security.h"
#include "hq_text.h"
#include "backup.h"
#include "keys.h"
#include "ctl_print.h"
#include "ctl_stats.h"
#include "ctl_watch.h"
#include "ui_exit.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *endpoint; /* request endpoint */
    const char *events;   /* event endpoint */
    int timeout_ms;
    int json; /* print replies as JSON */
    int argc; /* verb arguments after options were taken out */
    char **argv;
    /* verb options */
    int service;
    int elderly;
    const char *id_number;
    const char *reason;
    long count;           /* watch: stop after this many events, 0 never */
    int heartbeats;       /* watch: show heartbeats too */
    const char *role;     /* keys new */
    const char *keys_dir; /* keys: the daemon's keys directory */
    const char *data_dir; /* backup, restore: the daemon's data directory */
    const char *out;      /* backup: the file to write; keys new: where the device's key goes */
} s_opts_t;

/* How hallqctl writes each request field: a word in a fixed place, or an option. The words
 * follow this order in every verb (COUNTER first, RATING last); the token of an issue is the
 * kiosk's and is not offered here. */
static const struct {
    hq_field_t field;
    const char *word;   /* positional word, NULL for an option */
    const char *option; /* the option as the usage shows it */
} s_words[] = {
    {HQ_F_COUNTER, "COUNTER", NULL},      {HQ_F_QUEUE, "QUEUE", NULL},
    {HQ_F_NUMBER, "NUMBER", NULL},        {HQ_F_CLERK, "CLERK", NULL},
    {HQ_F_RATING, "1-5", NULL},           {HQ_F_SERVICE, NULL, "--service NO"},
    {HQ_F_ELDERLY, NULL, "--elderly"},    {HQ_F_ID_NUMBER, NULL, "--id-number ID"},
    {HQ_F_REASON, NULL, "--reason TEXT"},
};
#define S_NWORDS (sizeof s_words / sizeof s_words[0])

/* The verbs that are no request. */
static const struct {
    const char *name;
    const char *args;
    const char *help;
} s_own_verbs[] = {
    {"watch", "[--count N] [--heartbeats]", "print events as they happen"},
    {"backup", "--out FILE [--data DIR]",
     "consistent copy of the live database (SQLite online backup)"},
    {"restore", "FILE [--data DIR]", "put a backup back in place (hallqd stopped)"},
    {"keys", "new NAME --role ROLE --out DIR|- | init | list [--keys DIR]",
     "device keys: ROLE kiosk, counter:N, display or manager; the device's secret goes to --out"},
    {"stats", "export|metric|report|staffing ...",
     "statistics for managers (hallqctl stats --help)"},
};
#define S_NOWN (sizeof s_own_verbs / sizeof s_own_verbs[0])

/* "COUNTER [NUMBER]", "QUEUE [--service NO] ...": the words a request verb takes, the
 * required ones first. --elderly and --id-number exclude each other (the codec's rule). */
static void s_args(const hq_req_info_t *row, char *out, size_t outlen)
{
    size_t used = 0;
    unsigned shown = 0;
    out[0] = '\0';
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < S_NWORDS && used < outlen; i++) {
            hq_field_t f = s_words[i].field;
            const char *w = s_words[i].word ? s_words[i].word : s_words[i].option;
            if (shown & f)
                continue;
            if (pass == 0 && s_words[i].word && (row->required & f))
                used += (size_t)snprintf(out + used, outlen - used, "%s%s", used ? " " : "", w);
            else if ((pass == 1 && s_words[i].word && (row->optional & f)) ||
                     (pass == 2 && !s_words[i].word && ((row->required | row->optional) & f))) {
                const char *alt = f == HQ_F_ELDERLY && (row->optional & HQ_F_ID_NUMBER)
                                      ? " | --id-number ID"
                                      : "";
                used += (size_t)snprintf(out + used, outlen - used, "%s[%s%s]", used ? " " : "", w,
                                         alt);
                shown |= alt[0] ? HQ_F_ID_NUMBER : 0;
            }
        }
}

static void s_usage(FILE *out)
{
    fprintf(out,
            "usage: hallqctl [--endpoint EP] [--events EP] [--timeout MS] [--json] VERB ...\n\n");
    char left[128], args[96];
    for (int t = 0; t < HQ_REQ_COUNT_; t++) {
        const hq_req_info_t *row = hq_req_info((hq_req_type_t)t);
        s_args(row, args, sizeof args);
        snprintf(left, sizeof left, "%s %s", row->verb, args);
        fprintf(out, "  %-52s %s\n", left, row->help);
    }
    for (size_t i = 0; i < S_NOWN; i++) {
        snprintf(left, sizeof left, "%s %s", s_own_verbs[i].name, s_own_verbs[i].args);
        fprintf(out, "  %-52s %s\n", left, s_own_verbs[i].help);
    }
    fprintf(out,
            "\nEndpoints default to $HALLQ_ENDPOINT / $HALLQ_EVENTS, else %s / %s.\n"
            "With CURVE: --key DEVICE.key (or $HALLQ_KEY) and --server-key server.key (or\n"
            "$HALLQ_SERVER_KEY); keys live in --keys DIR (or $HALLQ_KEYS, else hallq-data/keys).\n"
            "Exit status: 0 done, 1 refused by hallqd, 2 bad arguments, 3 hallqd unreachable.\n",
            HQ_DEFAULT_REQUEST_ENDPOINT, HQ_DEFAULT_EVENT_ENDPOINT);
}

static int s_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int s_usage_error(const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    fprintf(stderr, "hallqctl: %s; see hallqctl --help\n", what);
    return UI_EXIT_USAGE;
}

/* Takes options out of argv wherever they stand; what is left are the verb and its words. */
static int s_parse(int argc, char **argv, s_opts_t *o)
{
    o->endpoint = getenv("HALLQ_ENDPOINT") ? getenv("HALLQ_ENDPOINT") : HQ_DEFAULT_REQUEST_ENDPOINT;
    o->events = getenv("HALLQ_EVENTS") ? getenv("HALLQ_EVENTS") : HQ_DEFAULT_EVENT_ENDPOINT;
    o->timeout_ms = 3000;
    o->keys_dir = getenv("HALLQ_KEYS") ? getenv("HALLQ_KEYS") : "hallq-data/keys";
    o->data_dir = getenv("HALLQ_DATA") ? getenv("HALLQ_DATA") : "hallq-data";
    o->argv = calloc((size_t)argc + 1, sizeof *o->argv);
    if (!o->argv)
        return UI_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        long v;
#define S_NEED(what)                                                                               \
    do {                                                                                           \
        if (!next)                                                                                 \
            return s_usage_error("%s needs a value", what);                                        \
        i++;                                                                                       \
    } while (0)
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            s_usage(stdout);
            exit(UI_EXIT_OK);
        } else if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--endpoint") == 0 || strcmp(a, "-e") == 0) {
            S_NEED(a);
            o->endpoint = next;
        } else if (strcmp(a, "--events") == 0) {
            S_NEED(a);
            o->events = next;
        } else if (strcmp(a, "--timeout") == 0) {
            S_NEED(a);
            if (hq_parse_long(next, 1, 600000, &v) != 0)
                return s_usage_error("--timeout takes milliseconds, not '%s'", next);
            o->timeout_ms = (int)v;
        } else if (strcmp(a, "--service") == 0) {
            S_NEED(a);
            if (hq_parse_long(next, 1, 9999, &v) != 0)
                return s_usage_error("--service takes a service number, not '%s'", next);
            o->service = (int)v;
        } else if (strcmp(a, "--elderly") == 0) {
            o->elderly = 1;
        } else if (strcmp(a, "--id-number") == 0) {
            S_NEED(a);
            o->id_number = next;
        } else if (strcmp(a, "--reason") == 0) {
            S_NEED(a);
            o->reason = next;
        } else if (strcmp(a, "--count") == 0) {
            S_NEED(a);
            if (hq_parse_long(next, 1, 100000000, &v) != 0)
                return s_usage_error("--count takes a positive number, not '%s'", next);
            o->count = v;
        } else if (strcmp(a, "--heartbeats") == 0) {
            o->heartbeats = 1;
        } else if (strcmp(a, "--role") == 0) {
            S_NEED(a);
            o->role = next;
        } else if (strcmp(a, "--data") == 0) {
            S_NEED(a);
            o->data_dir = next;
        } else if (strcmp(a, "--out") == 0) {
            S_NEED(a);
            o->out = next;
        } else if (strcmp(a, "--keys") == 0) {
            S_NEED(a);
            o->keys_dir = next;
        } else if (strcmp(a, "--key") == 0) {
            S_NEED(a);
            setenv("HALLQ_KEY", next, 1);
        } else if (strcmp(a, "--server-key") == 0) {
            S_NEED(a);
            setenv("HALLQ_SERVER_KEY", next, 1);
        } else if (a[0] == '-' && a[1] && !isdigit((unsigned char)a[1])) {
            return s_usage_error("unknown option '%s'", a);
        } else {
            o->argv[o->argc++] = argv[i];
        }
#undef S_NEED
    }
    if (o->elderly && o->id_number)
        return s_usage_error("%s", "give --elderly or --id-number, not both");
    return 0;
}

static int s_counter_arg(const char *s, int *out)
{
    long v;
    if (hq_parse_long(s, 1, 999, &v) != 0)
        return s_usage_error("'%s' is not a counter number (1-999)", s);
    *out = (int)v;
    return 0;
}

static int s_queue_arg(const char *s, char *out)
{
    if (strlen(s) != 1 || !isalpha((unsigned char)s[0]))
        return s_usage_error("'%s' is not a queue letter", s);
    *out = (char)toupper((unsigned char)s[0]);
    return 0;
}

static int s_number_arg(const char *s, char *out)
{
    char prefix;
    int number;
    if (hq_label_parse(s, &prefix, &number) != 0)
        return s_usage_error("'%s' is not a ticket number like A001", s);
    hq_label_format(prefix, number, out, HQ_LABEL_MAX);
    return 0;
}

static int s_clerk_arg(const char *s, char *out)
{
    if (!s[0] || hq_strlcpy(out, s, HQ_CLERK_MAX) != 0)
        return s_usage_error("a clerk id is 1 to %s characters", "31");
    return 0;
}

static int s_rating_arg(const char *s, int *out)
{
    long r;
    if (hq_parse_long(s, 1, 5, &r) != 0)
        return s_usage_error("a rating is 1 (very dissatisfied) to 5 (very satisfied), not '%s'",
                             s);
    *out = (int)r;
    return 0;
}

/* Reads one positional word into its field of the request. */
static int s_word(hq_field_t field, const char *word, hq_request_t *req)
{
    switch (field) {
    case HQ_F_COUNTER:
        return s_counter_arg(word, &req->counter);
    case HQ_F_QUEUE:
        return s_queue_arg(word, &req->queue);
    case HQ_F_NUMBER:
        return s_number_arg(word, req->number);
    case HQ_F_CLERK:
        return s_clerk_arg(word, req->clerk);
    case HQ_F_RATING:
        return s_rating_arg(word, &req->rating);
    default:
        return s_usage_error("%s", "a word hallqctl cannot place");
    }
}

/* Sets the fields given as options; each must be one the request takes. */
static int s_options(const hq_req_info_t *row, const s_opts_t *o, hq_request_t *req)
{
    unsigned allowed = row->required | row->optional;
    const struct {
        hq_field_t field;
        int given;
        const char *name;
    } given[] = {{HQ_F_SERVICE, o->service != 0, "--service"},
                 {HQ_F_ELDERLY, o->elderly, "--elderly"},
                 {HQ_F_ID_NUMBER, o->id_number != NULL, "--id-number"},
                 {HQ_F_REASON, o->reason != NULL, "--reason"}};
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
        if (given[i].given && !(allowed & given[i].field)) {
            fprintf(stderr, "hallqctl: %s does not go with '%s'; see hallqctl --help\n",
                    given[i].name, row->verb);
            return UI_EXIT_USAGE;
        }
    req->service = o->service;
    req->elderly = o->elderly;
    if (o->id_number && hq_strlcpy(req->id_number, o->id_number, sizeof req->id_number) != 0)
        return s_usage_error("%s", "an ID number has 18 characters");
    if (o->reason && hq_strlcpy(req->reason, o->reason, sizeof req->reason) != 0)
        return s_usage_error("%s", "the pause reason is too long");
    return 0;
}

/* Builds the request from the verb's words: the row's word fields in s_words' order, the
 * optional ones last. */
static int s_build(const hq_req_info_t *row, hq_req_type_t type, const s_opts_t *o,
                   hq_request_t *req)
{
    char **a = o->argv + 1;
    int n = o->argc - 1, need = 0, may = 0;
    for (size_t i = 0; i < S_NWORDS; i++)
        if (s_words[i].word) {
            need += (row->required & s_words[i].field) != 0;
            may += (row->optional & s_words[i].field) != 0;
        }
    if (n < need || n > need + may) {
        char args[96];
        s_args(row, args, sizeof args);
        fprintf(stderr, "hallqctl: usage: hallqctl %s %s\n", row->verb, args);
        return UI_EXIT_USAGE;
    }
    hq_request_init(req, type);
    int rc = s_options(row, o, req), next = 0;
    for (int pass = 0; pass < 2 && rc == 0; pass++)
        for (size_t i = 0; i < S_NWORDS && rc == 0 && next < n; i++)
            if (s_words[i].word && ((pass ? row->optional : row->required) & s_words[i].field))
                rc = s_word(s_words[i].field, a[next++], req);
    return rc;
}

/* ---- backup and restore ------------------------------------------------------------------ */
static int s_backup(const s_opts_t *o, int restore)
{
    char why[600];
    backup_info_t info;
    int rc;
    if (restore) {
        if (o->argc != 2) {
            fprintf(stderr, "hallqctl: usage: hallqctl restore FILE [--data DIR]\n");
            return UI_EXIT_USAGE;
        }
        rc = backup_restore(o->argv[1], o->data_dir, &info, why, sizeof why);
    } else {
        if (!o->out || o->argc != 1) {
            fprintf(stderr, "hallqctl: usage: hallqctl backup --out FILE [--data DIR]\n");
            return UI_EXIT_USAGE;
        }
        rc = backup_take(o->data_dir, o->out, &info, why, sizeof why);
    }
    if (rc != 0) {
        fprintf(stderr, "hallqctl: %s\n", why);
        return UI_EXIT_REFUSED;
    }
    printf("%s %s: %lld tickets, %lld events, %lld bytes, integrity ok\n",
           restore ? "restored into" : "backed up to", restore ? o->data_dir : o->out,
           (long long)info.tickets, (long long)info.events, (long long)info.bytes);
    return 0;
}

/* ---- keys ------------------------------------------------------------------------------ */
static int s_keys(const s_opts_t *o)
{
    char why[300];
    const char *what = o->argc > 1 ? o->argv[1] : "";
    if (strcmp(what, "new") == 0 && o->argc == 3) {
        if (!o->role)
            return s_usage_error("%s", "keys new needs --role kiosk|counter:N|display|manager");
        if (!o->out)
            return s_usage_error("%s", "keys new needs --out DIR or --out - (standard output): "
                                       "the device's secret goes there, never into the keys "
                                       "folder");
        if (keys_new_device(o->keys_dir, o->argv[2], o->role, o->out, why, sizeof why) != 0) {
            fprintf(stderr, "hallqctl: %s\n", why);
            return UI_EXIT_REFUSED;
        }
        if (strcmp(o->out, "-") == 0) {
            fprintf(stderr,
                    "registered %s as %s in %s/clients (the daemon picks it up at once)\n"
                    "the device's certificate went to standard output: keep it on the device "
                    "as %s.key_secret (mode 600), with %s/server.key\n",
                    o->argv[2], o->role, o->keys_dir, o->argv[2], o->keys_dir);
            return 0;
        }
        printf("%s/%s.key\n", o->out, o->argv[2]);
        printf("registered %s as %s in %s/clients (the daemon picks it up at once)\n"
               "install on the device: %s/%s.key, %s/%s.key_secret (mode 600) and "
               "%s/server.key; then delete them here\n",
               o->argv[2], o->role, o->keys_dir, o->out, o->argv[2], o->out, o->argv[2],
               o->keys_dir);
        return 0;
    }
    if (strcmp(what, "init") == 0 && o->argc == 2) {
        if (keys_init_dir(o->keys_dir, why, sizeof why) != 0) {
            fprintf(stderr, "hallqctl: %s\n", why);
            return UI_EXIT_REFUSED;
        }
        printf("%s/server.key\n", o->keys_dir);
        return 0;
    }
    if (strcmp(what, "list") == 0 && o->argc == 2) {
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "%s/clients", o->keys_dir);
        zdir_t *dir = zdir_new(cmd, NULL);
        if (!dir) {
            fprintf(stderr, "hallqctl: no keys in %s\n", o->keys_dir);
            return UI_EXIT_REFUSED;
        }
        zfile_t **files = zdir_flatten(dir);
        for (int i = 0; files[i]; i++) {
            zcert_t *cert = zcert_load(zfile_filename(files[i], NULL));
            if (cert)
                printf("%-20s %-12s %s\n",
                       zcert_meta(cert, "name") ? zcert_meta(cert, "name") : "?",
                       zcert_meta(cert, "role") ? zcert_meta(cert, "role") : "?",
                       zcert_public_txt(cert));
            zcert_destroy(&cert);
        }
        zdir_flatten_free(&files);
        zdir_destroy(&dir);
        return 0;
    }
    fprintf(stderr, "hallqctl: usage: hallqctl keys new NAME --role ROLE --out DIR|- | init | list "
                    "[--keys DIR]\n");
    return UI_EXIT_USAGE;
}

/* Sends one request and prints its reply. Returns the exit status. */
static int s_request(const s_opts_t *o, hq_req_type_t type)
{
    const hq_req_info_t *row = hq_req_info(type);
    hq_request_t req;
    int rc = s_build(row, type, o, &req);
    if (rc != 0)
        return rc;
    hq_client_t *client = hq_client_new(o->endpoint, o->timeout_ms);
    if (!client) {
        fprintf(stderr, "hallqctl: cannot use endpoint '%s'\n", o->endpoint);
        return UI_EXIT_USAGE;
    }
    hq_reply_t reply;
    hq_error_t err;
    if (hq_client_request(client, &req, &reply, &err) != 0) {
        fprintf(stderr, "hallqctl: %s\n", err.message);
        hq_client_destroy(&client);
        return UI_EXIT_UNREACHABLE;
    }
    if (o->json) {
        char *text = json_dumps(reply.body, JSON_COMPACT);
        printf("%s\n", text ? text : "{}");
        free(text);
    } else if (reply.ok) {
        ctl_print_reply(type, reply.body);
    }
    if (!reply.ok)
        fprintf(stderr, "hallqctl: %s refused: %s (%s)\n", row->verb, reply.error.message,
                hq_error_code_name(reply.error.code));
    rc = reply.ok ? UI_EXIT_OK : UI_EXIT_REFUSED;
    hq_reply_clear(&reply);
    hq_client_destroy(&client);
    return rc;
}

/* The verbs that are no request. -1 when the word is none of them. */
static int s_own_verb(const s_opts_t *o)
{
    const char *verb = o->argv[0];
    if (strcmp(verb, "keys") == 0)
        return s_keys(o);
    if (strcmp(verb, "backup") == 0 || strcmp(verb, "restore") == 0)
        return s_backup(o, strcmp(verb, "restore") == 0);
    if (strcmp(verb, "watch") == 0) {
        ctl_watch_opts_t w = {o->endpoint, o->events, o->timeout_ms,
                              o->json,     o->count,  o->heartbeats};
        return ctl_watch(&w);
    }
    return -1;
}

int main(int argc, char **argv)
{
    hq_log_set_program("hallqctl");
    hq_log_set_level(HQ_LOG_WARN);
    hq_text_locale();
    /* `stats` reads the database itself (no daemon) and has its own options; flags given
     * before the word go along with it. */
    int sv = 1;
    while (sv < argc && argv[sv][0] == '-')
        sv++;
    if (sv < argc && strcmp(argv[sv], "stats") == 0) {
        char *word = argv[sv];
        memmove(argv + 2, argv + 1, (size_t)(sv - 1) * sizeof *argv);
        argv[1] = word;
        return hallqctl_stats_main(argc - 1, argv + 1);
    }
    s_opts_t o;
    memset(&o, 0, sizeof o);
    int rc = s_parse(argc, argv, &o);
    if (rc != 0)
        return rc;
    if (o.argc == 0) {
        s_usage(stderr);
        free(o.argv);
        return UI_EXIT_USAGE;
    }
    rc = s_own_verb(&o);
    if (rc < 0) {
        int type = -1;
        for (int t = 0; t < HQ_REQ_COUNT_ && type < 0; t++)
            if (strcmp(o.argv[0], hq_req_info((hq_req_type_t)t)->verb) == 0)
                type = t;
        rc = type < 0 ? s_usage_error("unknown verb '%s'", o.argv[0])
                      : s_request(&o, (hq_req_type_t)type);
    }
    free(o.argv);
    hq_zmq_shutdown();
    return rc;
}
