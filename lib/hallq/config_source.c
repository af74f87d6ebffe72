/* A configuration file's bytes made into the UTF-8 text the parsers read. Halls edit their
 * files in Windows Notepad: it writes a byte-order mark before UTF-8, and on a Chinese
 * Windows it saves GBK unless told otherwise. Both are read as meant; what cannot be read as
 * text is refused with the line where it stands. */
#include "config.h"

#include "hq_utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

static int s_line_at(const char *data, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset; i++)
        line += data[i] == '\n';
    return line;
}

/* GB18030 (GBK's successor, which contains it) to UTF-8 through iconv. 0 when every byte
 * converts; -1 with errno (EILSEQ, EINVAL: not GB18030; others: iconv cannot help). */
static int s_from_gb18030(const char *data, size_t len, char **out, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return -1;
    size_t cap = len * 2 + 1; /* 2 bytes become at most 3, 4 at most 4 */
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        errno = ENOMEM;
        return -1;
    }
    char *in = (char *)data, *to = buf;
    size_t inleft = len, toleft = cap - 1;
    int rc = iconv(cd, &in, &inleft, &to, &toleft) == (size_t)-1 ||
                     iconv(cd, NULL, NULL, &to, &toleft) == (size_t)-1
                 ? -1
                 : 0;
    int saved = errno;
    iconv_close(cd);
    if (rc != 0) {
        free(buf);
        errno = saved;
        return -1;
    }
    *to = '\0';
    *out = buf;
    *outlen = (size_t)(to - buf);
    return 0;
}

/* Control characters other than tab and line ends would reach screens and tickets as
 * commands; a carriage return counts as a line end only before a newline. */
static int s_check_controls(const char *text, size_t len, const char *name, char *why,
                            size_t whylen)
{
    size_t at;
    if (hq_utf8_check(text, len, 1, "\t\n\r", &at) == HQ_UTF8_OK) {
        const char *cr = text, *end = text + len;
        at = len;
        while ((cr = memchr(cr, '\r', (size_t)(end - cr))) != NULL) {
            if (cr + 1 < end && cr[1] != '\n') {
                at = (size_t)(cr - text);
                break;
            }
            cr++;
        }
        if (at == len)
            return 0;
    }
    return hq_fail(why, whylen,
                   "%s:%d: contains a control character (only tab and line ends are text)", name,
                   s_line_at(text, at));
}

int config_source_text(const char *data, size_t len, const char *name, char **text, size_t *textlen,
                       char *why, size_t whylen)
{
    if (len >= 2 &&
        ((data[0] == '\xff' && data[1] == '\xfe') || (data[0] == '\xfe' && data[1] == '\xff')))
        return hq_fail(why, whylen,
                       "%s:1: the file is UTF-16 (Notepad's \"Unicode\"): save it as UTF-8", name);
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        data += 3;
        len -= 3;
    }
    const char *nul = memchr(data, '\0', len);
    if (nul)
        return hq_fail(why, whylen, "%s:%d: contains a NUL byte", name,
                       s_line_at(data, (size_t)(nul - data)));
    char *out = NULL;
    size_t outlen = 0, bad;
    if (hq_utf8_check(data, len, 0, NULL, &bad) == HQ_UTF8_OK) {
        out = malloc(len + 1);
        if (!out)
            return hq_fail(why, whylen, "%s: out of memory", name);
        memcpy(out, data, len);
        out[len] = '\0';
        outlen = len;
    } else if (s_from_gb18030(data, len, &out, &outlen) != 0) {
        int line = s_line_at(data, bad);
        if (errno == EILSEQ || errno == EINVAL)
            return hq_fail(why, whylen,
                           "%s:%d: not valid UTF-8 (nor GB18030, as Chinese Windows saves "
                           "text): save the file as UTF-8",
                           name, line);
        return hq_fail(why, whylen,
                       "%s:%d: not valid UTF-8, and GB18030 cannot be read here (iconv: %s): "
                       "save the file as UTF-8",
                       name, line, strerror(errno));
    }
    if (s_check_controls(out, outlen, name, why, whylen) != 0) {
        free(out);
        return -1;
    }
    *text = out;
    *textlen = outlen;
    return 0;
}
