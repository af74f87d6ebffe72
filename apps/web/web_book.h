/* Appointments for citizens (预约办理): the one place that turns a booking request from the
 * phone's booking page (/book) or the JSON API (/api/v1/slots, /api/v1/bookings) into
 * hallqd's slots, book, cancel and booking requests, and hallqd's answer into HTTP: the
 * status, the answer's JSON, and for a refusal its own code (slot_full, too_soon,
 * person_limit, wrong_id_number, ...) with a one-line message in Chinese or English. The
 * booking rules (days ahead, lead time, per person a day, capacity) are hallqd's alone. */
#ifndef WEB_BOOK_H
#define WEB_BOOK_H

#include "hq_client.h"
#include "ui_i18n.h"

#include <jansson.h>
#include <stddef.h>

typedef struct {
    int status;        /* HTTP */
    json_t *body;      /* the answer, or {"error": {"code", "message"}} (owned) */
    int retry_after_s; /* 429: when to try again, else 0 */
} web_book_answer_t;

void web_book_answer_clear(web_book_answer_t *a);

/* GET: the day's slots of a queue (or one of its services) with the places left. queue,
 * date: as the query gave them (NULL absent); service NULL or "" none. */
void web_book_slots(hq_client_t *c, const char *queue, const char *service, const char *date,
                    ui_lang_t lang, web_book_answer_t *out);
/* POST {"queue", "service"?, "date", "slot", "id_number"}: a booking (201). With a token
 * (NULL none), hallqd keeps it with the booking: the same person asking again with it gets
 * that booking again, "repeat" true in the answer, after a restart of either side too. */
void web_book_make(hq_client_t *c, const char *body, size_t len, const char *token, ui_lang_t lang,
                   web_book_answer_t *out);
/* POST {"code", "id_number"} (code may also come from the address: `code` non-NULL): the
 * booking as it is (lookup) or cancelled (cancel). The ID number it was made with is needed:
 * a code alone, overheard on the phone, names no booking here. */
void web_book_named(hq_client_t *c, int cancel, const char *code, const char *body, size_t len,
                    ui_lang_t lang, web_book_answer_t *out);

/* The one-line message of a refusal's code in lang; NULL for a code it does not know. */
const char *web_book_message(const char *code, ui_lang_t lang);

#endif
