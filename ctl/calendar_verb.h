/* hallqctl calendar check FILE: checks a holidays file (lib/hallq/calendar.h) by the rules
 * hallqd reads it with, before the hall restarts with it, and says what it holds. */
#ifndef HALLQ_CALENDAR_VERB_H
#define HALLQ_CALENDAR_VERB_H

#include "ui_options.h"

/* words[0] is "calendar". Prints each year's holidays and make-up working days; returns the
 * exit status (lib/ui's: 2 bad words or a bad line, "FILE:LINE: problem"; 4 unreadable). */
int calendar_verb(ui_lang_t lang, int nwords, const char *const *words);

#endif
