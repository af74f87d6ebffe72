/* ticketing: see ticketing.h. */
#include "ticketing.h"
#include "hq_text.h"

#include "record.h"
#include "ticket_layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int ticketing_use_timezone(const char *tz)
{
    char why[160];
    if (!tz || !*tz)
        return 0;
    return hq_text_timezone(tz, why, sizeof why);
}

idnum_date_t ticketing_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    idnum_date_t d = {0, 0, 0};
    if (localtime_r(&now, &tm)) {
        d.year = tm.tm_year + 1900;
        d.month = tm.tm_mon + 1;
        d.day = tm.tm_mday;
    }
    return d;
}

#define S_ATTEMPTS 3 /* sends of one request before hallqd counts as unreachable */

/* Sends one request, asking up to three times when no answer comes: every request the kiosk
 * makes is safe to repeat (an issue carries its token). TK_OK with reply filled,
 * TK_REFUSED, TK_UNREACHABLE. */
static tk_status_t s_request(hq_client_t *client, const hq_request_t *req, hq_reply_t *reply,
                             char *why, size_t whylen)
{
    hq_error_t err = {0};
    int rc = -1;
    for (int attempt = 1; attempt <= S_ATTEMPTS && rc != 0; attempt++) {
        if (attempt > 1)
            fprintf(stderr,
                    "hallq-ticket: no answer to the %s request (%s): asking again%s (%d of %d)\n",
                    hq_req_type_name(req->type), err.message,
                    req->token[0] ? " with the same token" : "", attempt, S_ATTEMPTS);
        rc = hq_client_request(client, req, reply, &err);
    }
    if (rc != 0) {
        snprintf(why, whylen, "hallqd at %s does not answer: %s", hq_client_endpoint(client),
                 err.message);
        return TK_UNREACHABLE;
    }
    if (!reply->ok) {
        snprintf(why, whylen, "hallqd refused the %s request: %s (%s)", hq_req_type_name(req->type),
                 reply->error.message, hq_error_code_name(reply->error.code));
        hq_reply_clear(reply);
        return TK_REFUSED;
    }
    return TK_OK;
}

void ticketing_token_prefix(char *out, size_t outlen)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char host[32] = "kiosk";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = '\0';
    snprintf(out, outlen, "%.12s-%d-%lld%03ld", host, (int)getpid(), (long long)ts.tv_sec,
             ts.tv_nsec / 1000000);
}

void ticketing_issue_request(hq_request_t *req, char queue, int service, int elderly,
                             const char *token)
{
    hq_request_init(req, HQ_REQ_ISSUE);
    req->queue = queue;
    req->service = service;
    req->elderly = elderly ? 1 : 0;
    hq_strlcpy(req->token, token, sizeof req->token);
}

tk_status_t ticketing_catalog(hq_client_t *client, catalog_t *cat, char *why, size_t whylen)
{
    hq_request_t req;
    hq_reply_t reply;
    hq_request_init(&req, HQ_REQ_CATALOG);
    tk_status_t st = s_request(client, &req, &reply, why, whylen);
    if (st != TK_OK)
        return st;
    int rc = catalog_from_json(reply.body, cat, why, whylen);
    hq_reply_clear(&reply);
    return rc == 0 ? TK_OK : TK_REFUSED;
}

tk_status_t ticketing_issue(hq_client_t *client, const catalog_t *cat, char queue, int service,
                            int elderly, json_t **record, char *why, size_t whylen)
{
    hq_request_t req;
    hq_reply_t reply;
    *record = NULL;
    char token[HQ_TOKEN_MAX];
    ticketing_token_prefix(token, sizeof token);
    ticketing_issue_request(&req, queue, service, elderly, token);
    tk_status_t st = s_request(client, &req, &reply, why, whylen);
    if (st != TK_OK)
        return st;
    *record = record_new(reply.body, cat);
    hq_reply_clear(&reply);
    if (!*record) {
        /* The daemon says it issued a ticket we cannot read: report, do not guess. */
        snprintf(why, whylen, "hallqd's issue reply carries no readable ticket");
        return TK_REFUSED;
    }
    return TK_OK;
}

int ticketing_keep(const json_t *record, const char *state_dir, char *why, size_t whylen)
{
    char path[1024];
    if (record_state_path(state_dir, path, sizeof path) != 0) {
        snprintf(why, whylen,
                 "no place to keep the ticket: set --state-dir, XDG_STATE_HOME "
                 "or HOME");
        return -1;
    }
    return record_save(path, record, why, whylen);
}

json_t *ticketing_kept(const char *state_dir, char *why, size_t whylen)
{
    char path[1024];
    if (record_state_path(state_dir, path, sizeof path) != 0) {
        snprintf(why, whylen, "no kept ticket: set --state-dir, XDG_STATE_HOME or HOME");
        return NULL;
    }
    return record_load(path, why, whylen);
}

int ticketing_journal_add(const json_t *record, const char *state_dir, char *why, size_t whylen)
{
    char path[1024];
    if (record_journal_path(state_dir, path, sizeof path) != 0) {
        snprintf(why, whylen,
                 "no place to keep today's tickets: set --state-dir, XDG_STATE_HOME "
                 "or HOME");
        return -1;
    }
    return record_journal_add(path, record, why, whylen);
}

json_t *ticketing_journal(const char *state_dir, char *why, size_t whylen)
{
    char path[1024];
    if (record_journal_path(state_dir, path, sizeof path) != 0) {
        snprintf(why, whylen, "no kept tickets: set --state-dir, XDG_STATE_HOME or HOME");
        return NULL;
    }
    return record_journal_load(path, NULL, why, whylen);
}

int ticketing_is_today(const json_t *record)
{
    return ticketing_is_on(record, ticketing_today());
}

int ticketing_is_on(const json_t *record, idnum_date_t day)
{
    record_info_t info;
    char why[128], want[16];
    snprintf(want, sizeof want, "%04d-%02d-%02d", day.year, day.month, day.day);
    return record_info(record, &info, why, sizeof why) == 0 && strcmp(info.ticket.day, want) == 0;
}

tk_status_t ticketing_print(const json_t *record, const kiosk_options_t *o, int reprint,
                            size_t *replaced, char *why, size_t whylen)
{
    record_print_t rp;
    if (record_facts(record, o->lang, o->paper_mm, reprint, &rp, why, whylen) != 0)
        return TK_BAD;
    uint8_t *one = NULL;
    size_t len = 0;
    char *text = NULL;
    int rc;
    if (o->output.kind == OUTPUT_PREVIEW) {
        rc = ticket_layout_preview(&rp.facts, &text, replaced);
        one = (uint8_t *)text;
        len = text ? strlen(text) : 0;
    } else {
        rc = ticket_layout_escpos(&rp.facts, &one, &len, replaced);
    }
    if (rc != 0) {
        snprintf(why, whylen, "the kept ticket cannot be laid out (out of memory or damaged)");
        return TK_BAD;
    }
    /* All copies in one write: one open of the device, one job for a network printer. */
    size_t sep = o->output.kind == OUTPUT_PREVIEW ? 1 : 0;
    size_t total = len * (size_t)o->copies + sep * (size_t)(o->copies - 1);
    uint8_t *all = malloc(total + 1);
    if (!all) {
        free(one);
        snprintf(why, whylen, "out of memory");
        return TK_BAD;
    }
    size_t off = 0;
    for (int i = 0; i < o->copies; i++) {
        if (i > 0 && sep)
            all[off++] = '\n';
        memcpy(all + off, one, len);
        off += len;
    }
    free(one);
    rc = output_write(&o->output, all, total, why, whylen);
    free(all);
    return rc == 0 ? TK_OK : TK_PRINT_FAILED;
}
