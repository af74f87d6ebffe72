/* What a window's rating tablet (服务评价器) shows: the window, its clerk and the ticket at
 * it; after a finish, the ticket to rate and the five ratings. Pure. */
#ifndef WEB_TABLET_H
#define WEB_TABLET_H

#include "ui_i18n.h"
#include "web_state.h"

#include <jansson.h>

#define WEB_TABLET_RATE_MS (3 * 60 * 1000) /* a finished ticket can be rated this long */

/* The tablet's state for window `counter`; `finished` the newest ticket finished there (NULL
 * none); now_ms the daemon's time. NULL out of memory. */
json_t *web_tablet_view(const hq_mirror_t *m, const web_finished_t *finished, int counter,
                        ui_lang_t lang, int64_t now_ms);

#endif
