/* hallq-web's pages and files, carried in the binary (assets/, embedded at build time). */
#ifndef WEB_PAGE_H
#define WEB_PAGE_H

#include "hq_vec.h"

#include <stddef.h>

/* The embedded file `name` ("style.css"), NULL when there is none; its MIME type. */
const unsigned char *web_asset(const char *name, size_t *len, const char **mime);

/* Renders template `name`: each {{key}} becomes the value of that key in kv (key, value,
 * key, value, ..., NULL), escaped for HTML; a key kv lacks becomes "". 0, or -1 when there
 * is no such template or memory ran out. */
int web_page_render(const char *name, const char *const *kv, hq_buf_t *out);

#endif
