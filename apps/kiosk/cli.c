/* cli: see cli.h. */
#include "cli.h"

#include "greenlane.h"
#include "hq_client.h"
#include "hq_utf8.h"
#include "kiosk_texts.h"
#include "record.h"
#include "ticketing.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void kiosk_error(const char *fmt, ...)
{
    /* The message may quote hallqd (a refusal, a name): a terminal gets it sanitised. */
    char msg[2048], clean[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hq_utf8_sanitise(msg, strlen(msg), clean, sizeof clean);
    fprintf(stderr, "hallq-ticket: %s\n", clean);
}

/* Text of a record printed on standard output, a terminal too: sanitised. */
static void s_out(const char *text)
{
    char clean[1024];
    hq_utf8_sanitise(text, strlen(text), clean, sizeof clean);
    fputs(clean, stdout);
}

static void s_timezone(const char *tz)
{
    if (ticketing_use_timezone(tz) != 0)
        kiosk_error("warning: time zone %s is unknown here (tzdata missing?): times are the "
                    "machine's local time",
                    tz);
}

/* The ticket number first (like hallqctl issue), then one line a person reads. */
static void s_summary(const json_t *record, const kiosk_options_t *o)
{
    record_info_t info;
    char why[256];
    if (record_info(record, &info, why, sizeof why) != 0)
        return;
    s_out(info.ticket.label);
    fputc('\n', stdout);
    if (o->output.kind == OUTPUT_PREVIEW)
        return; /* the preview itself follows on standard output */
    s_out(info.queue_name);
    if (info.service_name[0]) {
        fputs(" / ", stdout);
        s_out(info.service_name);
    }
    if (info.ticket.green)
        fputs(kiosk_tr(o->lang, KT_CLI_GREEN), stdout);
    if (info.ahead >= 0)
        printf(kiosk_tr(o->lang, KT_CLI_AHEAD), info.ahead);
    if (info.est_wait_min > 0)
        printf(kiosk_tr(o->lang, KT_CLI_WAIT), info.est_wait_min);
    printf("\n");
}

static void s_print_warnings(size_t replaced)
{
    if (replaced)
        fprintf(stderr,
                "hallq-ticket: %zu characters could not be printed (GBK lacks them) and "
                "show as '?'\n",
                replaced);
}

int kiosk_cli_issue(kiosk_options_t *o)
{
    char why[1024];
    catalog_t cat;
    json_t *record = NULL;
    int elderly = o->elderly;
    tk_status_t st;
    hq_client_t *client = hq_client_new(o->endpoint, o->timeout_ms);
    if (!client) {
        greenlane_wipe(o->id_number, sizeof o->id_number);
        kiosk_error("cannot use endpoint %s", o->endpoint);
        return TK_BAD;
    }
    st = ticketing_catalog(client, &cat, why, sizeof why);
    if (st != TK_OK) {
        greenlane_wipe(o->id_number, sizeof o->id_number);
        kiosk_error("%s", why);
        hq_client_destroy(&client);
        return st;
    }
    s_timezone(cat.timezone);
    if (o->has_id_number) {
        int green = 0, age = 0;
        int rc = greenlane_from_id(o->id_number, cat.elderly_age, ticketing_today(), o->lang,
                                   &green, &age, why, sizeof why);
        /* Decided: the number goes now, before anything is sent. */
        greenlane_wipe(o->id_number, sizeof o->id_number);
        o->has_id_number = 0;
        if (rc != 0) {
            kiosk_error("%s", why);
            st = TK_BAD;
            goto done;
        }
        elderly = green;
    }
    st = ticketing_issue(client, &cat, o->queue, o->service, elderly, &record, why, sizeof why);
    if (st != TK_OK) {
        kiosk_error("%s", why);
        goto done;
    }
    /* Keep it before printing, so a printer failure leaves a ticket to print again. */
    if (ticketing_keep(record, o->state_dir, why, sizeof why) != 0)
        kiosk_error("warning: %s (--reprint will not find this ticket)", why);
    s_summary(record, o);
    fflush(stdout);
    size_t replaced = 0;
    st = ticketing_print(record, o, 0, &replaced, why, sizeof why);
    if (st != TK_OK) {
        record_info_t info;
        char ignored[128];
        record_info(record, &info, ignored, sizeof ignored);
        kiosk_error(kiosk_tr(o->lang, KT_CLI_PRINT_FAILED), why, info.ticket.label);
        goto done;
    }
    s_print_warnings(replaced);
done:
    json_decref(record);
    catalog_clear(&cat);
    hq_client_destroy(&client);
    return st;
}

int kiosk_cli_preview(kiosk_options_t *o)
{
    char why[1024], day[16];
    catalog_t cat;
    hq_client_t *client = hq_client_new(o->endpoint, o->timeout_ms);
    if (!client) {
        greenlane_wipe(o->id_number, sizeof o->id_number);
        kiosk_error("cannot use endpoint %s", o->endpoint);
        return TK_BAD;
    }
    /* Read-only: the catalog, for the names and materials a ticket of this hall shows. */
    tk_status_t st = ticketing_catalog(client, &cat, why, sizeof why);
    hq_client_destroy(&client);
    if (st != TK_OK) {
        greenlane_wipe(o->id_number, sizeof o->id_number);
        kiosk_error("%s", why);
        return st;
    }
    s_timezone(cat.timezone);
    idnum_date_t today = ticketing_today();
    snprintf(day, sizeof day, "%04d-%02d-%02d", today.year, today.month, today.day);
    int green = o->elderly;
    if (o->has_id_number) {
        int age = 0;
        int rc = greenlane_from_id(o->id_number, cat.elderly_age, today, o->lang, &green, &age, why,
                                   sizeof why);
        greenlane_wipe(o->id_number, sizeof o->id_number);
        o->has_id_number = 0;
        if (rc != 0) {
            kiosk_error("%s", why);
            catalog_clear(&cat);
            return TK_BAD;
        }
    }
    const catalog_service_t *svc = o->service ? catalog_service(&cat, o->service) : NULL;
    json_t *record = NULL;
    if (!catalog_queue(&cat, o->queue)) {
        kiosk_error("this hall has no queue %c", o->queue);
        st = TK_BAD;
    } else if (o->service && (!svc || svc->queue != o->queue)) {
        kiosk_error("this hall has no service %d in queue %c", o->service, o->queue);
        st = TK_BAD;
    } else if (!(record = record_sample(&cat, o->queue, o->service, green, day, hq_now_ms()))) {
        kiosk_error("out of memory");
        st = TK_BAD;
    } else {
        size_t replaced = 0;
        st = ticketing_print(record, o, 0, &replaced, why, sizeof why);
        if (st != TK_OK)
            kiosk_error("%s", why);
    }
    json_decref(record);
    catalog_clear(&cat);
    return st;
}

int kiosk_cli_reprint(const kiosk_options_t *o)
{
    char why[1024];
    json_t *record = ticketing_kept(o->state_dir, why, sizeof why);
    if (!record) {
        kiosk_error("nothing to print again: %s", why);
        return TK_BAD;
    }
    record_info_t info;
    record_info(record, &info, why, sizeof why);
    s_timezone(info.timezone);
    if (!ticketing_is_today(record)) {
        kiosk_error("the kept ticket %s is from %s: a number is valid on its day only",
                    info.ticket.label, info.ticket.day);
        json_decref(record);
        return TK_BAD;
    }
    s_summary(record, o);
    fflush(stdout);
    size_t replaced = 0;
    tk_status_t st = ticketing_print(record, o, 1, &replaced, why, sizeof why);
    if (st != TK_OK)
        kiosk_error("%s", why);
    else
        s_print_warnings(replaced);
    json_decref(record);
    return st;
}
