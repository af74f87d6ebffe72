/* The output of `hallqctl stats`: a file (whole or not at all) or stdout, optionally
 * converted to GBK or GB18030 for older spreadsheet programs, and the CSV and JSON cells
 * every verb writes. */
#include "ctl_stats_verbs.h"

#include "hq_text.h"
#include "hq_utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int ctl_out_open(ctl_out_t *o, const char *path, const char *encoding, ui_lang_t lang)
{
    memset(o, 0, sizeof *o);
    o->line = (hq_buf_t)HQ_BUF_INIT;
    o->lang = lang;
    o->cd = (iconv_t)-1;
    o->encoding = encoding;
    if (encoding) {
        o->cd = iconv_open(encoding, "UTF-8");
        if (o->cd == (iconv_t)-1) {
            fprintf(stderr, "hallqctl stats: this system cannot convert to %s: %s\n", encoding,
                    strerror(errno));
            return -1;
        }
    }
    o->f = stdout;
    if (path && strcmp(path, "-") != 0) {
        o->path = path;
        /* A device or a pipe named with --out is written as it is. */
        struct stat st;
        int regular = stat(path, &st) != 0 || S_ISREG(st.st_mode);
        size_t n = strlen(path) + 32;
        o->partial = regular ? malloc(n) : NULL;
        int fd = -1;
        if (o->partial) {
            snprintf(o->partial, n, "%s.%ld.partial", path, (long)getpid());
            fd = open(o->partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        } else if (!regular) {
            fd = open(path, O_WRONLY | O_CLOEXEC);
        }
        o->f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!o->f) {
            fprintf(stderr, "hallqctl stats: cannot write %s: %s\n", path, strerror(errno));
            if (fd >= 0)
                close(fd);
            if (o->partial)
                unlink(o->partial);
            free(o->partial);
            if (o->cd != (iconv_t)-1)
                iconv_close(o->cd);
            return -1;
        }
    }
    hq_buf_reserve(&o->line, 4096);
    return 0;
}

void ctl_out_printf(ctl_out_t *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hq_buf_vprintf(&o->line, fmt, ap);
    va_end(ap);
}

void ctl_out_puts(ctl_out_t *o, const char *text)
{
    hq_buf_append(&o->line, text, strlen(text));
}

void ctl_out_say(ctl_out_t *o, ctl_text_id_t id, ...)
{
    va_list ap;
    va_start(ap, id);
    hq_buf_vprintf(&o->line, ctl_text(o->lang, id), ap);
    va_end(ap);
}

void ctl_out_pad(ctl_out_t *o, const char *text, int cols)
{
    char buf[256];
    hq_text_fit(text, cols, 1, buf, sizeof buf);
    ctl_out_printf(o, "%s", buf);
}

static long long s_newlines(const char *s, size_t n)
{
    long long lines = 0;
    for (const char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s))) != NULL; p++)
        lines++;
    return lines;
}

/* Converts and writes the built text. A character the encoding has no form for is left out
 * and counted, the first one kept with its line, for ctl_out_close to say. */
static void s_convert(ctl_out_t *o)
{
    char *in = o->line.s;
    size_t inleft = o->line.len;
    while (inleft > 0) {
        char buf[4096], *out = buf;
        size_t outleft = sizeof buf;
        size_t rc = iconv(o->cd, &in, &inleft, &out, &outleft);
        if (fwrite(buf, 1, (size_t)(out - buf), o->f) != (size_t)(out - buf))
            o->failed = 1;
        if (rc == (size_t)-1 && errno != E2BIG) {
            /* Skip one UTF-8 character: its lead byte tells its length. */
            unsigned char c = (unsigned char)*in;
            size_t skip = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            if (skip > inleft)
                skip = inleft;
            if (o->unencodable++ == 0) {
                memcpy(o->first, in, skip);
                o->first[skip] = '\0';
                o->first_line = o->lines + s_newlines(o->line.s, (size_t)(in - o->line.s)) + 1;
            }
            in += skip;
            inleft -= skip;
        }
    }
    o->lines += s_newlines(o->line.s, o->line.len);
}

/* U+XXXX of a UTF-8 character, or its first byte when it is none. */
static void s_code_point(const char *utf8, char *out, size_t n)
{
    const unsigned char *u = (const unsigned char *)utf8;
    size_t len = strlen(utf8);
    unsigned long cp = 0;
    if (len == 2 && u[0] >= 0xc0)
        cp = (u[0] & 0x1fu) << 6 | (u[1] & 0x3fu);
    else if (len == 3 && u[0] >= 0xe0)
        cp = (u[0] & 0x0fu) << 12 | (u[1] & 0x3fu) << 6 | (u[2] & 0x3fu);
    else if (len == 4 && u[0] >= 0xf0)
        cp = (u[0] & 0x07ul) << 18 | (u[1] & 0x3fu) << 12 | (u[2] & 0x3fu) << 6 | (u[3] & 0x3fu);
    if (cp && hq_utf8_check(utf8, len, 0, NULL, NULL) == HQ_UTF8_OK)
        snprintf(out, n, "'%s' (U+%04lX)", utf8, cp);
    else
        snprintf(out, n, "byte 0x%02X", u[0]);
}

void ctl_out_flush(ctl_out_t *o)
{
    if (o->line.failed)
        o->failed = 1;
    if (!o->line.len)
        return;
    if (o->cd == (iconv_t)-1) {
        if (fwrite(o->line.s, 1, o->line.len, o->f) != o->line.len)
            o->failed = 1;
    } else {
        s_convert(o);
    }
    hq_buf_clear(&o->line);
}

int ctl_out_close(ctl_out_t *o)
{
    ctl_out_flush(o);
    if (o->cd != (iconv_t)-1) {
        char buf[64], *out = buf;
        size_t left = sizeof buf;
        iconv(o->cd, NULL, NULL, &out, &left);
        fwrite(buf, 1, (size_t)(out - buf), o->f);
        iconv_close(o->cd);
    }
    int err = 0;
    if (fflush(o->f) != 0 || ferror(o->f)) {
        o->failed = 1;
        err = errno;
    }
    if (o->path && fclose(o->f) != 0 && !o->failed) {
        o->failed = 1;
        err = errno;
    }
    hq_buf_free(&o->line);
    if (o->failed)
        fprintf(stderr, "hallqctl stats: writing %s failed: %s\n", o->path ? o->path : "the output",
                strerror(err ? err : EIO));
    if (o->unencodable) {
        char what[64];
        s_code_point(o->first, what, sizeof what);
        fprintf(stderr,
                "hallqctl stats: %lld character(s) have no %s form, the first %s on line %lld; "
                "%s: use --encoding gb18030 (it has every character) or utf-8\n",
                o->unencodable, o->encoding, what, o->first_line,
                o->partial ? "nothing written" : "the output lacks them");
    }
    int rc = o->failed || o->unencodable ? -1 : 0;
    if (o->partial) {
        if (rc == 0 && rename(o->partial, o->path) != 0) {
            fprintf(stderr, "hallqctl stats: cannot write %s: %s\n", o->path, strerror(errno));
            rc = -1;
        }
        if (rc != 0)
            unlink(o->partial);
        free(o->partial);
        o->partial = NULL;
    }
    return rc;
}

/* ---- cells ------------------------------------------------------------------------------- */

void ctl_csv_text(ctl_out_t *o, const char *s, int guard)
{
    s = s ? s : "";
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    const char *lead = guard && strchr("=+-@", s[0]) && s[0] ? "'" : "";
    if (!quote) {
        ctl_out_printf(o, "%s%s", lead, s);
        return;
    }
    ctl_out_printf(o, "\"%s", lead);
    for (; *s; s++)
        ctl_out_printf(o, *s == '"' ? "\"\"" : "%c", *s);
    ctl_out_printf(o, "\"");
}

void ctl_csv_min(ctl_out_t *o, int64_t n, double ms)
{
    if (n > 0)
        ctl_out_printf(o, ",%.2f", ms / 60000.0);
    else
        ctl_out_puts(o, ",");
}

double ctl_round(double v, double unit)
{
    return round(v / unit) * unit;
}

json_t *ctl_json_min(int64_t n, double ms)
{
    return n > 0 ? json_real(ctl_round(ms / 60000.0, 0.01)) : json_null();
}

json_t *ctl_json_pct(int64_t part, int64_t whole)
{
    return whole > 0 ? json_real(ctl_round(100.0 * (double)part / (double)whole, 0.1))
                     : json_null();
}

void ctl_local_time(int64_t ms, const char *format, char *out, size_t n)
{
    if (!ms) {
        out[0] = '\0';
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, n, format, &tm);
}
