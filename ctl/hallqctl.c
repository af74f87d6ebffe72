/* hallqctl: every hall action from a shell, for operators, managers and scripts.
 *
 * A request verb is a row of the table of requests (lib/hallq/hq_requests.h): its name, its
 * help and the words it takes come from the row's fields, so a new request needs nothing
 * here. The other verbs (watch, backup, restore, keys, clerk, calendar, stats, db, central) are
 * hallqctl's own. Exit statuses are lib/ui's: 0 done, 1 refused by hallqd, 2 bad arguments, 3
 * unreachable. */
#include "calendar.h"
#include "hq_client.h"
#include "hq_date.h"

#include <czmq.h>
#include "hq_log.h"
#include "hq_proto.h"
#include "hq_security.h"
#include "hq_text.h"
#include "hq_utf8.h"
#include "backup.h"
#include "calendar_verb.h"
#include "central_verb.h"
#include "clerk.h"
#include "keys.h"
#include "ctl_cli.h"
#include "ctl_print.h"
#include "db.h"
#include "ctl_stats.h"
#include "ctl_watch.h"
#include "ui_exit.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define s_usage_error(...) ui_usage_error("hallqctl", __VA_ARGS__)

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
    case HQ_F_DATE: {
        hq_date_t d;
        if (hq_date_parse(word, &d) != 0)
            return s_usage_error("'%s' is not a day YYYY-MM-DD", word);
        hq_date_format(d, req->date);
        return 0;
    }
    case HQ_F_SLOT: {
        cal_spans_t span;
        char text[32], why[120];
        snprintf(text, sizeof text, "%.10s-24:00", word);
        if (strlen(word) != 5 || cal_spans_parse(text, &span, why, sizeof why) != 0)
            return s_usage_error("'%s' is not a time HH:MM", word);
        req->slot = span.span[0].from;
        return 0;
    }
    case HQ_F_CODE:
        if (!word[0] || strlen(word) >= sizeof req->code)
            return s_usage_error("'%s' is not a booking code", word);
        for (size_t i = 0; word[i]; i++)
            req->code[i] = (char)toupper((unsigned char)word[i]);
        return 0;
    default:
        return s_usage_error("%s", "a word hallqctl cannot place");
    }
}

/* Sets the fields given as options; each must be one the request takes. */
static int s_options(const hq_req_info_t *row, const ctl_opts_t *o, hq_request_t *req)
{
    unsigned allowed = row->required | row->optional;
    const struct {
        hq_field_t field;
        int given;
        const char *name;
    } given[] = {{HQ_F_SERVICE, o->service != 0, "--service"},
                 {HQ_F_ELDERLY, o->elderly, "--elderly"},
                 {HQ_F_ID_NUMBER, o->id_number != NULL, "--id-number"},
                 {HQ_F_REASON, o->reason != NULL, "--reason"},
                 {HQ_F_PIN, o->pin, "--pin"}};
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
    char why[160];
    /* Read, never given on the command line: other users see a process's arguments. */
    if (o->pin && clerk_read_pin("PIN: ", req->pin, sizeof req->pin, why, sizeof why) != 0)
        return s_usage_error("%s", why);
    return 0;
}

/* Builds the request from the verb's words: the row's word fields in ctl_words' order, the
 * optional ones last. */
static int s_build(const hq_req_info_t *row, hq_req_type_t type, const ctl_opts_t *o,
                   hq_request_t *req)
{
    const char *const *a = o->words + 1;
    int n = o->nwords - 1, need = 0, may = 0;
    for (size_t i = 0; i < ctl_nwords; i++)
        if (ctl_words[i].word) {
            need += (row->required & ctl_words[i].field) != 0;
            may += (row->optional & ctl_words[i].field) != 0;
        }
    if (n < need || n > need + may) {
        char args[96];
        ctl_verb_args(row, args, sizeof args);
        fprintf(stderr, "hallqctl: usage: hallqctl %s %s\n", row->verb, args);
        return UI_EXIT_USAGE;
    }
    hq_request_init(req, type);
    int rc = s_options(row, o, req), next = 0;
    for (int pass = 0; pass < 2 && rc == 0; pass++)
        for (size_t i = 0; i < ctl_nwords && rc == 0 && next < n; i++)
            if (ctl_words[i].word && ((pass ? row->optional : row->required) & ctl_words[i].field))
                rc = s_word(ctl_words[i].field, a[next++], req);
    return rc;
}

/* ---- backup and restore ------------------------------------------------------------------ */
static int s_backup(const ctl_opts_t *o, int restore)
{
    char why[600];
    backup_info_t info;
    int rc;
    if (restore) {
        if (o->nwords != 2) {
            fprintf(stderr, "hallqctl: usage: hallqctl restore FILE [--data DIR]\n");
            return UI_EXIT_USAGE;
        }
        rc = backup_restore(o->words[1], o->data_dir, &info, why, sizeof why);
    } else {
        if (!o->out || o->nwords != 1) {
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
static int s_keys(const ctl_opts_t *o)
{
    char why[300];
    const char *what = o->nwords > 1 ? o->words[1] : "";
    if (strcmp(what, "new") == 0 && o->nwords == 3) {
        if (!o->role)
            return s_usage_error("%s", "keys new needs --role kiosk|counter:N|display|web|manager");
        if (!o->out)
            return s_usage_error("%s", "keys new needs --out DIR or --out - (standard output): "
                                       "the device's secret goes there, never into the keys "
                                       "folder");
        if (keys_new_device(o->keys_dir, o->words[2], o->role, o->out, why, sizeof why) != 0) {
            fprintf(stderr, "hallqctl: %s\n", why);
            return UI_EXIT_REFUSED;
        }
        if (strcmp(o->out, "-") == 0) {
            fprintf(stderr,
                    "registered %s as %s in %s/clients (the daemon picks it up at once)\n"
                    "the device's certificate went to standard output: keep it on the device "
                    "as %s.key_secret (mode 600), with %s/server.key\n",
                    o->words[2], o->role, o->keys_dir, o->words[2], o->keys_dir);
            return 0;
        }
        printf("%s/%s.key\n", o->out, o->words[2]);
        printf("registered %s as %s in %s/clients (the daemon picks it up at once)\n"
               "install on the device: %s/%s.key, %s/%s.key_secret (mode 600) and "
               "%s/server.key; then delete them here\n",
               o->words[2], o->role, o->keys_dir, o->out, o->words[2], o->out, o->words[2],
               o->keys_dir);
        return 0;
    }
    if (strcmp(what, "init") == 0 && o->nwords == 2) {
        if (keys_init_dir(o->keys_dir, why, sizeof why) != 0) {
            fprintf(stderr, "hallqctl: %s\n", why);
            return UI_EXIT_REFUSED;
        }
        printf("%s/server.key\n", o->keys_dir);
        return 0;
    }
    if (strcmp(what, "list") == 0 && o->nwords == 2) {
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
static int s_request(const ctl_opts_t *o, hq_req_type_t type)
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
    int sent = hq_client_request(client, &req, &reply, &err);
    memset(req.pin, 0, sizeof req.pin);
    if (sent != 0) {
        fprintf(stderr, "hallqctl: %s\n", err.message);
        hq_client_destroy(&client);
        return UI_EXIT_UNREACHABLE;
    }
    if (o->json) {
        char *text = json_dumps(reply.body, JSON_COMPACT);
        printf("%s\n", text ? text : "{}");
        free(text);
    } else if (reply.ok) {
        if (type == HQ_REQ_SNAPSHOT)
            ctl_follow_hall_timezone(client); /* its times are the hall's */
        ctl_print_reply(type, reply.body);
    }
    if (!reply.ok) {
        hq_utf8_sanitise_field(reply.error.message, sizeof reply.error.message); /* a terminal */
        fprintf(stderr, "hallqctl: %s refused: %s (%s)\n", row->verb, reply.error.message,
                hq_error_code_name(reply.error.code));
    }
    rc = reply.ok ? UI_EXIT_OK : UI_EXIT_REFUSED;
    hq_reply_clear(&reply);
    hq_client_destroy(&client);
    return rc;
}

/* The verbs that are no request. -1 when the word is none of them. */
static int s_own_verb(const ctl_opts_t *o)
{
    const char *verb = o->words[0];
    if (strcmp(verb, "keys") == 0)
        return s_keys(o);
    if (strcmp(verb, "clerk") == 0)
        return clerk_verb(o->data_dir, o->nwords, o->words);
    if (strcmp(verb, "calendar") == 0)
        return calendar_verb(o->lang, o->nwords, o->words);
    if (strcmp(verb, "backup") == 0 || strcmp(verb, "restore") == 0)
        return s_backup(o, strcmp(verb, "restore") == 0);
    if (strcmp(verb, "watch") == 0) {
        ctl_watch_opts_t w = {o->endpoint, o->events,     o->timeout_ms, o->json,
                              o->count,    o->heartbeats, o->alerts};
        return ctl_watch(&w);
    }
    return -1;
}

int main(int argc, char **argv)
{
    hq_log_set_program("hallqctl");
    hq_log_set_level(HQ_LOG_WARN);
    hq_text_locale();
    /* `stats` and `db` read the database itself (no daemon), `central` the city's store;
     * each has its own options, and flags given before the word go along with it. */
    int sv = 1;
    while (sv < argc && argv[sv][0] == '-')
        sv++;
    if (sv < argc && (strcmp(argv[sv], "stats") == 0 || strcmp(argv[sv], "db") == 0 ||
                      strcmp(argv[sv], "central") == 0)) {
        char *word = argv[sv];
        memmove(argv + 2, argv + 1, (size_t)(sv - 1) * sizeof *argv);
        argv[1] = word;
        return strcmp(word, "db") == 0        ? hallqctl_db_main(argc - 1, argv + 1)
               : strcmp(word, "central") == 0 ? hallqctl_central_main(argc - 1, argv + 1)
                                              : hallqctl_stats_main(argc - 1, argv + 1);
    }
    ctl_opts_t o;
    ctl_opts_defaults(&o);
    int rc = ui_options_parse(&ctl_cli, argc, argv, &o);
    if (rc != UI_OPTIONS_RUN)
        return rc;
    if (o.nwords == 0) {
        ui_options_help(&ctl_cli, o.lang, stderr);
        return UI_EXIT_USAGE;
    }
    /* Keys given here win over $HALLQ_KEY / $HALLQ_SERVER_KEY. */
    hq_security_set(o.key, o.server_key);
    rc = s_own_verb(&o);
    if (rc < 0) {
        int type = -1;
        for (int t = 0; t < HQ_REQ_COUNT_ && type < 0; t++)
            if (strcmp(o.words[0], hq_req_info((hq_req_type_t)t)->verb) == 0)
                type = t;
        rc = type < 0 ? s_usage_error("unknown verb '%s'", o.words[0])
                      : s_request(&o, (hq_req_type_t)type);
    }
    hq_zmq_shutdown();
    return rc;
}
