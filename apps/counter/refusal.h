/* refusal: hallqd's refusals in the clerk's language. The daemon's error replies carry a
 * code and English words for logs; the clerk reads a line chosen by the code, by the detail
 * of a bad_state refusal (PROTOCOL.md), and by the request refused, with what the terminal
 * knows filled in (the window, the number, the clerk, the rules). A detail or code this
 * terminal does not know (a newer daemon's) gets the line of its code, or a general one:
 * never the daemon's English. Pure. */
#ifndef HQC_REFUSAL_H
#define HQC_REFUSAL_H

#include "catalog.h"
#include "i18n.h"

#include <stddef.h>

/* The refusal `r` of request `sent`, as one line in `lang`. */
void hqc_refusal_text(ui_lang_t lang, const hq_reply_t *r, const hq_request_t *sent,
                      const hqc_catalog_t *cat, char *out, size_t outlen);
/* Why the program ends when hallqd refuses the login of window `counter` for good (a window
 * the hall does not have: its windows listed from the catalog). */
void hqc_refusal_fatal(ui_lang_t lang, const hq_reply_t *r, const hq_request_t *sent,
                       const hqc_catalog_t *cat, char *out, size_t outlen);
/* The line for a window the hall does not have, with the windows it has (from the catalog,
 * when it lists them). */
void hqc_refusal_no_window(ui_lang_t lang, int counter, const hqc_catalog_t *cat, char *out,
                           size_t outlen);

#endif
