/* The service catalog: a TSV file of the hall's services (the columns of lib/hallq/
 * services.tsv), embedded by default or given with [hall] catalog. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int s_copy_field(char *dst, size_t n, const char *src, const char *what, const char *name,
                        int line, char *why, size_t whylen)
{
    if (hq_strlcpy(dst, src, n) != 0)
        return hq_fail(why, whylen, "%s:%d: %s is longer than %zu bytes", name, line, what, n - 1);
    return 0;
}

int config_load_catalog(hallq_config_t *cfg, const char *text, const char *name, char *why,
                        size_t whylen)
{
    cfg_service_t *list = NULL;
    int count = 0, cap = 0, line = 0;
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        line++;
        char buf[4096];
        if (len >= sizeof buf) {
            hq_fail(why, whylen, "%s:%d: line is too long", name, line);
            goto fail;
        }
        memcpy(buf, p, len);
        buf[len] = '\0';
        if (len && buf[len - 1] == '\r')
            buf[len - 1] = '\0';
        p = eol ? eol + 1 : p + len;
        if (line == 1 || buf[0] == '\0' || buf[0] == '#')
            continue; /* header, blank, comment */
        char *cols[10];
        int ncols = 0;
        char *cur = buf;
        while (ncols < 10) {
            cols[ncols++] = cur;
            char *tab = strchr(cur, '\t');
            if (!tab)
                break;
            *tab = '\0';
            cur = tab + 1;
        }
        if (ncols != 10 || strchr(cur, '\t')) {
            hq_fail(why, whylen, "%s:%d: expected 10 tab-separated columns", name, line);
            goto fail;
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 32;
            cfg_service_t *grown = realloc(list, (size_t)cap * sizeof *grown);
            if (!grown) {
                hq_fail(why, whylen, "out of memory");
                goto fail;
            }
            list = grown;
        }
        cfg_service_t *s = &list[count];
        memset(s, 0, sizeof *s);
        if (hq_parse_int(cols[0], 1, 9999, &s->no) != 0) {
            hq_fail(why, whylen, "%s:%d: service number '%s' is not 1-9999", name, line, cols[0]);
            goto fail;
        }
        for (int i = 0; i < count; i++)
            if (list[i].no == s->no) {
                hq_fail(why, whylen, "%s:%d: service number %d appears twice", name, line, s->no);
                goto fail;
            }
        if (strcmp(cols[1], "town") != 0 && strcmp(cols[1], "village") != 0) {
            hq_fail(why, whylen, "%s:%d: level must be town or village", name, line);
            goto fail;
        }
        if (strcmp(cols[2], "direct") != 0 && strcmp(cols[2], "assisted") != 0) {
            hq_fail(why, whylen, "%s:%d: mode must be direct or assisted", name, line);
            goto fail;
        }
        if (strlen(cols[3]) != 1 || !isupper((unsigned char)cols[3][0])) {
            hq_fail(why, whylen, "%s:%d: queue must be one letter A-Z", name, line);
            goto fail;
        }
        if (strcmp(cols[8], "0") != 0 && strcmp(cols[8], "1") != 0) {
            hq_fail(why, whylen, "%s:%d: instant must be 0 or 1", name, line);
            goto fail;
        }
        if (!cols[5][0]) {
            hq_fail(why, whylen, "%s:%d: sub_item is empty", name, line);
            goto fail;
        }
        hq_strlcpy(s->level, cols[1], sizeof s->level);
        hq_strlcpy(s->mode, cols[2], sizeof s->mode);
        s->queue = cols[3][0];
        s->instant = cols[8][0] == '1';
        if (s_copy_field(s->main_item, sizeof s->main_item, cols[4], "main_item", name, line, why,
                         whylen) ||
            s_copy_field(s->sub_item, sizeof s->sub_item, cols[5], "sub_item", name, line, why,
                         whylen) ||
            s_copy_field(s->materials, sizeof s->materials, cols[6], "materials", name, line, why,
                         whylen) ||
            s_copy_field(s->time_limit, sizeof s->time_limit, cols[7], "time_limit", name, line,
                         why, whylen) ||
            s_copy_field(s->steps, sizeof s->steps, cols[9], "steps", name, line, why, whylen))
            goto fail;
        count++;
    }
    if (count == 0) {
        hq_fail(why, whylen, "%s: no services in the catalog", name);
        goto fail;
    }
    free(cfg->services);
    cfg->services = list;
    cfg->nservices = count;
    return 0;
fail:
    free(list);
    return -1;
}
