/* ticketing: the steps the command line and the kiosk share: keep a ticket, print it
 * (again), the hall's time zone and date, the issue request and its token. The command line
 * also fetches the catalog and issues through here, waiting for each reply (the kiosk's
 * session never waits: it sends and is told of the reply); a request without an answer in
 * time is asked again, each retry reported with one line on standard error. */
#ifndef HQ_TICKET_TICKETING_H
#define HQ_TICKET_TICKETING_H

#include "catalog.h"
#include "hq_client.h"
#include "idnum.h"
#include "options.h"
#include "ui_exit.h"

#include <jansson.h>
#include <stddef.h>

/* Outcomes, also the program's exit status (the statuses every hallq program shares). */
typedef enum {
    TK_OK = UI_EXIT_OK,
    TK_REFUSED = UI_EXIT_REFUSED,         /* hallqd answered with an error */
    TK_BAD = UI_EXIT_USAGE,               /* bad input: arguments, ID number, kept ticket */
    TK_UNREACHABLE = UI_EXIT_UNREACHABLE, /* no answer from hallqd in time */
    TK_PRINT_FAILED = UI_EXIT_FAILURE     /* the ticket exists but did not reach the printer */
} tk_status_t;

/* Uses the hall's time zone (IANA name, e.g. Asia/Shanghai, or a POSIX TZ string such as
 * CST-8) for every time this process shows or prints, so the ticket reads like the hall's
 * clock whatever the machine is set to. 0 applied (or nothing to apply: empty name);
 * -1 when the name looks like a path or names a zone this machine has no data for (tzdata
 * missing): the machine's local time stays in use. */
int ticketing_use_timezone(const char *tz);
/* Today's date in that time zone. */
idnum_date_t ticketing_today(void);

/* A name for this process among every kiosk's, for idempotency tokens: host, pid and start
 * time, short enough that "-<count>" still fits HQ_TOKEN_MAX. */
void ticketing_token_prefix(char *out, size_t outlen);
/* Fills an issue request: only the green-lane flag, never an ID number; the token makes a
 * repeat of it safe (hallqd answers a repeat with the ticket it already issued). */
void ticketing_issue_request(hq_request_t *req, char queue, int service, int elderly,
                             const char *token);

tk_status_t ticketing_catalog(hq_client_t *client, catalog_t *cat, char *why, size_t whylen);

/* Sends the issue request (only the green-lane flag: never an ID number) and makes the
 * record of the new ticket (*record, caller owns). */
tk_status_t ticketing_issue(hq_client_t *client, const catalog_t *cat, char queue, int service,
                            int elderly, json_t **record, char *why, size_t whylen);

/* Writes the record to the state file (see record.h). 0 ok, -1 with the reason. */
int ticketing_keep(const json_t *record, const char *state_dir, char *why, size_t whylen);
/* Reads the kept record back; NULL with the reason. */
json_t *ticketing_kept(const char *state_dir, char *why, size_t whylen);
/* Adds the record to today's tickets printed here (record_journal_add). 0, or -1 with why. */
int ticketing_journal_add(const json_t *record, const char *state_dir, char *why, size_t whylen);
/* The tickets of the journal (one day's, whichever day that was: the caller picks today's
 * when the hall's time zone is known), oldest first (an array, empty when none); NULL with
 * why. */
json_t *ticketing_journal(const char *state_dir, char *why, size_t whylen);

/* 1 when the record's ticket was issued today (hall time): only then is it worth printing
 * again, a queue number being valid on its day only. 0 otherwise or when malformed. */
int ticketing_is_today(const json_t *record);
/* The same for a given day (pure). */
int ticketing_is_on(const json_t *record, idnum_date_t day);

/* Prints the record `o->copies` times to o->output in o->lang on o->paper_mm paper;
 * reprint marks the paper as such. *replaced (may be NULL) counts characters printed as
 * '?'. TK_OK, TK_BAD (malformed record) or TK_PRINT_FAILED (why names the printer). */
tk_status_t ticketing_print(const json_t *record, const kiosk_options_t *o, int reprint,
                            size_t *replaced, char *why, size_t whylen);

#endif
