/* ticket_layout: what a queue ticket says and where, rendered two ways from one layout.
 *
 * Pure: facts in, bytes out. ticket_layout_escpos() gives the ESC/POS bytes for the printer,
 * ticket_layout_preview() the same lines as plain UTF-8 text for --preview and tests. Both
 * walk the same list of laid-out lines, so the preview is the paper. Every text fact is
 * sanitised (hq_utf8_sanitise) before it is laid out: names and materials come from hallqd
 * or the kept ticket's file, and no escape sequence of theirs is printed.
 *
 * Content, top to bottom: hall name; queue and service name; the number four times as wide
 * and high (as large as the paper takes, never less than double);
 * the green-lane mark; people ahead and estimated wait; issue time; the required materials
 * (一次性告知) as a numbered list; a QR code with the ticket's identity; the footer.
 */
#ifndef HQ_TICKET_LAYOUT_H
#define HQ_TICKET_LAYOUT_H

#include "ui_i18n.h"

#include <stddef.h>
#include <stdint.h>

/* Footer printed when the hall configures none. */
#define TICKET_FOOTER_ZH "当日有效，过号请到服务台"
#define TICKET_FOOTER_EN "Valid today only. Missed your number? Please ask at the service desk."

typedef struct {
    const char *hall_name;        /* "" or NULL: line left out */
    const char *queue_name;       /* e.g. 参保登记与变更 */
    const char *service_name;     /* NULL or "" when no service was chosen */
    const char *label;            /* "A001", required */
    int green;                    /* elderly green lane */
    const char *slot;             /* an appointment's slot "09:30"; NULL or "": a walk-in */
    int reprint;                  /* printed again from the kept copy: marked 补打 / Reprint */
    int sample;                   /* a preview of a ticket nobody was issued: marked as such */
    int ahead;                    /* people waiting before this ticket; < 0 unknown (left out) */
    int est_wait_min;             /* estimated wait in minutes; < 0 unknown (left out) */
    const char *issued_at;        /* "2026-11-23 09:41" as the hall's clock reads; NULL left out */
    const char *const *materials; /* required materials, printed as a numbered list */
    size_t nmaterials;
    const char *qr_payload; /* ASCII, NULL or "" for no QR code */
    const char *footer;     /* NULL or "": TICKET_FOOTER_ZH / _EN by language */
    ui_lang_t lang;         /* labels in Chinese (default) or English */
    int paper_mm;           /* 58 or 80 */
} ticket_facts_t;

/* The ESC/POS bytes of the ticket, ending in a cut. *out is the caller's to free.
 * *replaced (may be NULL) counts characters printed as '?' because GBK lacks them.
 * 0 ok; -1 on bad facts (no label, paper not 58/80, non-ASCII or oversized QR payload)
 * or out of memory. */
int ticket_layout_escpos(const ticket_facts_t *facts, uint8_t **out, size_t *len, size_t *replaced);

/* The same ticket as UTF-8 text, one line per printed line, none wider than the paper,
 * centred lines padded with spaces. Enlarged text is shown as wide as on paper (full-width
 * letters, then blank: the number takes four times its columns) on one line, and the QR code
 * as "[QR] payload".
 * Caller frees *out. 0 ok, -1 as above. */
int ticket_layout_preview(const ticket_facts_t *facts, char **out, size_t *replaced);

/* The QR payload identifying a ticket: "hallq:<day>:<label>:<id>". 0 ok, -1 when it does
 * not fit or the parts are malformed (day not YYYY-MM-DD, label not printable ASCII). */
int ticket_qr_payload(const char *day, const char *label, int64_t id, char *out, size_t n);

/* Minutes shown for an estimated wait given in milliseconds: rounded up, so a citizen is
 * never told less than the daemon expects; -1 for a negative (unknown) estimate. */
int ticket_wait_minutes(int64_t est_wait_ms);

#endif
