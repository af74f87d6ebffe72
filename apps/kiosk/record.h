/* record: one issued ticket with everything needed to print it (again).
 *
 * A record is JSON: the daemon's issue reply as it came, plus what the paper needs from the
 * catalog (hall name, footer, time zone, the service's materials):
 *   {"v":1,"reply":{...issue reply...},"print":{"hall":..,"footer":..,"timezone":..,
 *    "materials":[..]}}
 * The last record is kept in a small state file (mode 0600) so a ticket whose printing
 * failed can be printed again without issuing a second one, even with the daemon down; the
 * day's records are kept in a journal beside it, for staff to reprint any of them.
 * It never holds an ID number: the issue request carries only the green-lane flag. */
#ifndef HQ_TICKET_RECORD_H
#define HQ_TICKET_RECORD_H

#include "catalog.h"
#include "hq_proto.h"
#include "ticket_layout.h"

#include <jansson.h>
#include <stddef.h>

#define RECORD_MATERIALS_MAX 32
#define RECORD_FILE_NAME "last-ticket.json"
#define RECORD_JOURNAL_NAME "printed-today.jsonl"

/* A new record from a successful issue reply and the catalog it was issued against.
 * NULL when the reply carries no valid ticket. */
json_t *record_new(const json_t *issue_reply, const catalog_t *cat);

/* A record of a ticket nobody was issued, for --preview: what a ticket of `queue` (and
 * `service`, 0 none; green lane or not) would look like on `day` ("YYYY-MM-DD") at now_ms,
 * numbered <queue>000 (no queue ever issues that number) and marked as a sample when
 * printed. NULL when the catalog has no such queue or out of memory. */
json_t *record_sample(const catalog_t *cat, char queue, int service, int green, const char *day,
                      int64_t now_ms);

/* The parts of a record a person reads back (for summaries and the kiosk screen). */
typedef struct {
    hq_ticket_t ticket;     /* the ticket as the daemon returned it */
    int ahead;              /* people before it when issued, -1 unknown */
    int est_wait_min;       /* estimated wait when issued, -1 unknown */
    const char *queue_name; /* points into the record */
    const char *service_name;
    const char *timezone; /* "" when unknown */
    char slot[6];         /* a checked-in appointment: its slot "HH:MM" (local), else "" */
} record_info_t;

/* 0 ok, -1 when the record is malformed (why says what). */
int record_info(const json_t *record, record_info_t *info, char *why, size_t whylen);

/* Facts for ticket_layout with the storage they point into; strings not held here point
 * into the record, which must outlive the facts. */
typedef struct {
    ticket_facts_t facts;
    const char *materials[RECORD_MATERIALS_MAX];
    char label[HQ_LABEL_MAX];
    char issued_at[32];
    char slot[6];
    char qr[200]; /* BASE_URL/t/TOKEN, or the ticket's own payload */
} record_print_t;

/* Fills the facts for printing: time shown in the process's local time zone (TZ; callers
 * apply the record's time zone first). 0 ok, -1 malformed record. */
int record_facts(const json_t *record, ui_lang_t lang, int paper_mm, int reprint,
                 record_print_t *out, char *why, size_t whylen);

/* Where the state file lives: DIR/last-ticket.json for a given dir, else
 * $XDG_STATE_HOME/hallq/…, else $HOME/.local/state/hallq/…. -1 when neither is set. */
int record_state_path(const char *dir, char *out, size_t outlen);
/* Writes the record atomically (temporary file, fsync, rename), mode 0600, creating the
 * directory (0700) when needed. 0 ok, -1 with the reason. */
int record_save(const char *path, const json_t *record, char *why, size_t whylen);
/* NULL with the reason when there is no kept ticket or it cannot be read. */
json_t *record_load(const char *path, char *why, size_t whylen);

/* Today's tickets printed here, so staff can print any of them again: a journal beside the
 * kept ticket (RECORD_JOURNAL_NAME), one record a line, mode 0600, holding one day. */
int record_journal_path(const char *dir, char *out, size_t outlen);
/* Appends the record (fsynced before it returns); a journal of another day than the
 * record's is started afresh. 0, or -1 with the reason. */
int record_journal_add(const char *path, const json_t *record, char *why, size_t whylen);
/* The journal's records of `day` ("YYYY-MM-DD"; NULL: every one), oldest first, as a new
 * array (empty when there is no journal); a line that is no record (cut by a power failure)
 * is skipped. NULL with the reason when the file cannot be read. */
json_t *record_journal_load(const char *path, const char *day, char *why, size_t whylen);

#endif
