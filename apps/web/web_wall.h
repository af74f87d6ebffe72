/* What the wall page in a TV's browser shows: the display model of hallq-display (the call
 * on the big display, the other calls, every window's state, the waiting counts, the
 * notice) as JSON, in the words of hallq-display, and the calls to speak. Pure. */
#ifndef WEB_WALL_H
#define WEB_WALL_H

#include "model.h"
#include "ui_i18n.h"

#include <jansson.h>

/* The wall's state: from the display model dm and the mirror m (its recent calls, recalls
 * included, are what the page speaks: each once, newest last). NULL out of memory. */
json_t *web_wall_view(const dm_t *dm, const hq_mirror_t *m, ui_lang_t lang);

#endif
