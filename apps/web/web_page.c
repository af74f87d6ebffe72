/* web_page: see web_page.h. */
#include "web_page.h"

#include <string.h>

/* The table embed_assets.cmake generates. */
extern const struct {
    const char *name;
    const unsigned char *data;
    size_t len;
} web_assets[];

static const struct {
    const char *ext;
    const char *mime;
} s_mimes[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".wav", "audio/wav"},
    {".png", "image/png"},
};

const unsigned char *web_asset(const char *name, size_t *len, const char **mime)
{
    for (size_t i = 0; web_assets[i].name; i++)
        if (strcmp(web_assets[i].name, name) == 0) {
            *len = web_assets[i].len;
            *mime = "application/octet-stream";
            const char *dot = strrchr(name, '.');
            for (size_t m = 0; dot && m < sizeof s_mimes / sizeof s_mimes[0]; m++)
                if (strcmp(dot, s_mimes[m].ext) == 0)
                    *mime = s_mimes[m].mime;
            return web_assets[i].data;
        }
    return NULL;
}

static const char *s_value(const char *const *kv, const char *key, size_t keylen)
{
    for (size_t i = 0; kv[i] && kv[i + 1]; i += 2)
        if (strlen(kv[i]) == keylen && memcmp(kv[i], key, keylen) == 0)
            return kv[i + 1];
    return "";
}

int web_page_render(const char *name, const char *const *kv, hq_buf_t *out)
{
    size_t len;
    const char *mime;
    const char *p = (const char *)web_asset(name, &len, &mime);
    if (!p)
        return -1;
    for (;;) {
        const char *open = strstr(p, "{{");
        const char *close = open ? strstr(open + 2, "}}") : NULL;
        if (!close) {
            hq_buf_append(out, p, strlen(p));
            break;
        }
        hq_buf_append(out, p, (size_t)(open - p));
        hq_buf_append_html(out, s_value(kv, open + 2, (size_t)(close - open - 2)));
        p = close + 2;
    }
    return out->failed ? -1 : 0;
}
