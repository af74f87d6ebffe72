/* escpos: see escpos.h. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* wcwidth, newlocale, uselocale */
#endif

#include "escpos.h"

#include <iconv.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define S_ESC 0x1b
#define S_FS 0x1c
#define S_GS 0x1d
#define S_LF 0x0a

struct escpos_t {
    uint8_t *data;   /* command bytes built so far */
    size_t size;     /* bytes used */
    size_t capacity; /* bytes allocated */
    size_t replaced; /* characters printed as '?' */
    int failed;      /* a command failed; the builder refuses further work */
};

/* One character of input as the printer will print it. */
typedef struct {
    char utf8[4];         /* printable UTF-8 ('?' when replaced) */
    int utf8_len;         /* bytes in utf8 */
    unsigned char gbk[2]; /* the bytes sent to the printer */
    int gbk_len;          /* 1 for ASCII and '?', 2 for Chinese */
    int width;            /* columns on paper and on a terminal, whichever is more */
    int replaced;         /* input could not be printed as it was */
    int newline;          /* '\n': a forced line break, not printed by the text helpers */
    int space;            /* ' ' or a tab: a break opportunity, trimmed at line ends */
    uint32_t cp;          /* code point printed */
} s_unit_t;

int escpos_paper_columns(int paper_mm)
{
    if (paper_mm == 58)
        return ESCPOS_COLUMNS_58;
    if (paper_mm == 80)
        return ESCPOS_COLUMNS_80;
    return -1;
}

/* ---- UTF-8 and GBK ------------------------------------------------------------------- */

/* Decodes one UTF-8 sequence strictly (no overlongs, surrogates or values past U+10FFFF).
 * Returns the bytes consumed, at least 1; *cp is UINT32_MAX for an invalid sequence so the
 * caller replaces exactly one byte and resynchronises on the next. */
static size_t s_utf8_decode(const unsigned char *p, uint32_t *cp)
{
    uint32_t c = p[0];
    size_t need;
    uint32_t min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xe0) == 0xc0) {
        need = 1;
        min = 0x80;
        c &= 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        need = 2;
        min = 0x800;
        c &= 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        need = 3;
        min = 0x10000;
        c &= 0x07;
    } else {
        *cp = UINT32_MAX;
        return 1;
    }
    for (size_t i = 1; i <= need; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            *cp = UINT32_MAX;
            return 1;
        }
        c = (c << 6) | (p[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        *cp = UINT32_MAX;
        return 1;
    }
    *cp = c;
    return need + 1;
}

/* GBK bytes of one non-ASCII character: 2, or 0 when GBK lacks it. glibc maps a few
 * characters (the euro sign) to a single byte above 0x7f that printers read as the first
 * half of a Chinese character, so only double-byte results count. */
static int s_gbk_char(iconv_t cd, const char *utf8, int utf8_len, unsigned char *gbk)
{
    char in[4];
    char out[8];
    memcpy(in, utf8, (size_t)utf8_len);
    char *inp = in;
    char *outp = out;
    size_t inleft = (size_t)utf8_len;
    size_t outleft = sizeof out;
    size_t rc = iconv(cd, &inp, &inleft, &outp, &outleft);
    /* Back to the initial state whatever happened, so one failure cannot taint the next. */
    iconv(cd, NULL, NULL, NULL, NULL);
    if (rc == (size_t)-1 || inleft != 0 || sizeof out - outleft != 2)
        return 0;
    unsigned char lead = (unsigned char)out[0];
    unsigned char trail = (unsigned char)out[1];
    if (lead < 0x81 || lead > 0xfe || trail < 0x40 || trail == 0x7f || trail > 0xfe)
        return 0;
    gbk[0] = lead;
    gbk[1] = trail;
    return 2;
}

/* A locale object used only for wcwidth, so the answer does not depend on whatever locale
 * the process runs in (tests and daemons often run in "C", where wcwidth knows no Chinese).
 * Created once and kept for the life of the process. */
static locale_t s_utf8_locale(void)
{
    static locale_t loc = (locale_t)0;
    static int tried = 0;
    if (!tried) {
        tried = 1;
        loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    }
    return loc;
}

static int s_wcwidth(uint32_t cp)
{
    locale_t loc = s_utf8_locale();
    if (loc == (locale_t)0)
        return -1;
    locale_t old = uselocale(loc);
    int w = wcwidth((wchar_t)cp);
    uselocale(old);
    return w;
}

static void s_unit_replace(s_unit_t *u)
{
    u->cp = '?';
    u->utf8[0] = '?';
    u->utf8_len = 1;
    u->gbk[0] = '?';
    u->gbk_len = 1;
    u->width = 1;
    u->replaced = 1;
}

/* Reads one character at *p and advances *p past it. */
static void s_next_unit(iconv_t cd, const char **p, s_unit_t *u)
{
    uint32_t cp;
    size_t used = s_utf8_decode((const unsigned char *)*p, &cp);
    memset(u, 0, sizeof *u);
    if (cp == UINT32_MAX) {
        s_unit_replace(u);
    } else if (cp == '\n') {
        u->cp = '\n';
        u->newline = 1;
    } else if (cp == ' ' || cp == '\t') {
        u->cp = ' ';
        u->utf8[0] = ' ';
        u->utf8_len = 1;
        u->gbk[0] = ' ';
        u->gbk_len = 1;
        u->width = 1;
        u->space = 1;
    } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
        /* Control characters could act as printer commands: print them visibly instead. */
        s_unit_replace(u);
    } else if (cp < 0x80) {
        u->cp = cp;
        u->utf8[0] = (char)cp;
        u->utf8_len = 1;
        u->gbk[0] = (unsigned char)cp;
        u->gbk_len = 1;
        u->width = 1;
    } else {
        u->cp = cp;
        u->utf8_len = (int)used;
        memcpy(u->utf8, *p, used);
        u->gbk_len = s_gbk_char(cd, u->utf8, u->utf8_len, u->gbk);
        if (u->gbk_len == 0) {
            s_unit_replace(u);
        } else {
            /* wcwidth is what a terminal (the preview) uses. The printer, though, prints every
             * double-byte GBK character two columns wide, also those Unicode calls narrow or
             * ambiguous (·, —, “), so take the larger of the two: neither overflows. */
            int w = s_wcwidth(cp);
            u->width = w > u->gbk_len ? w : u->gbk_len;
        }
    }
    *p += used;
}

/* Splits text into units. 0 ok (caller frees *units; *n may be 0), -1 failure. */
static int s_units(const char *utf8, s_unit_t **units, size_t *n)
{
    *units = NULL;
    *n = 0;
    iconv_t cd = iconv_open("GBK", "UTF-8");
    if (cd == (iconv_t)-1)
        return -1;
    size_t len = strlen(utf8);
    /* Never more units than bytes; +1 keeps malloc(0) out of the picture. */
    s_unit_t *u = malloc((len + 1) * sizeof *u);
    if (!u) {
        iconv_close(cd);
        return -1;
    }
    size_t count = 0;
    const char *p = utf8;
    while (*p)
        s_next_unit(cd, &p, &u[count++]);
    iconv_close(cd);
    *units = u;
    *n = count;
    return 0;
}

/* ---- text helpers --------------------------------------------------------------------- */

/* Encodes units into GBK (gbk != 0) or printable UTF-8; '\n' is kept as a line feed. */
static char *s_join(const s_unit_t *u, size_t from, size_t to, int gbk, size_t *outlen)
{
    size_t len = 0;
    for (size_t i = from; i < to; i++)
        len += u[i].newline ? 1 : (size_t)(gbk ? u[i].gbk_len : u[i].utf8_len);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = from; i < to; i++) {
        if (u[i].newline) {
            out[o++] = '\n';
        } else if (gbk) {
            memcpy(out + o, u[i].gbk, (size_t)u[i].gbk_len);
            o += (size_t)u[i].gbk_len;
        } else {
            memcpy(out + o, u[i].utf8, (size_t)u[i].utf8_len);
            o += (size_t)u[i].utf8_len;
        }
    }
    out[o] = '\0';
    if (outlen)
        *outlen = o;
    return out;
}

static size_t s_count_replaced(const s_unit_t *u, size_t n)
{
    size_t r = 0;
    for (size_t i = 0; i < n; i++)
        r += (size_t)u[i].replaced;
    return r;
}

int escpos_gbk_encode(const char *utf8, char **out, size_t *outlen, size_t *replaced)
{
    s_unit_t *u;
    size_t n;
    *out = NULL;
    if (!utf8 || s_units(utf8, &u, &n) != 0)
        return -1;
    *out = s_join(u, 0, n, 1, outlen);
    if (replaced)
        *replaced = s_count_replaced(u, n);
    free(u);
    return *out ? 0 : -1;
}

char *escpos_printable(const char *utf8, size_t *replaced)
{
    s_unit_t *u;
    size_t n;
    if (!utf8 || s_units(utf8, &u, &n) != 0)
        return NULL;
    char *out = s_join(u, 0, n, 0, NULL);
    if (replaced)
        *replaced = s_count_replaced(u, n);
    free(u);
    return out;
}

int escpos_text_width(const char *utf8)
{
    s_unit_t *u;
    size_t n;
    if (!utf8 || s_units(utf8, &u, &n) != 0)
        return -1;
    int w = 0;
    for (size_t i = 0; i < n; i++)
        w += u[i].width;
    free(u);
    return w;
}

/* Kinsoku: characters a line must not start with, and ones it must not end with. */
static int s_no_line_start(uint32_t cp)
{
    static const uint32_t set[] = {',',
                                   '.',
                                   ';',
                                   ':',
                                   '!',
                                   '?',
                                   ')',
                                   ']',
                                   '}',
                                   '%',
                                   0xff0c /* ， */,
                                   0x3002 /* 。 */,
                                   0x3001 /* 、 */,
                                   0xff1b /* ； */,
                                   0xff1a /* ： */,
                                   0xff1f /* ？ */,
                                   0xff01 /* ！ */,
                                   0xff09 /* ） */,
                                   0x300d /* 」 */,
                                   0x300f /* 』 */,
                                   0x300b /* 》 */,
                                   0x3011 /* 】 */,
                                   0x3015 /* 〕 */,
                                   0x3009 /* 〉 */,
                                   0x2026 /* … */,
                                   0x2014 /* — */,
                                   0x201d /* ” */,
                                   0x2019 /* ’ */,
                                   0x00b7 /* · */,
                                   0xff5e /* ～ */,
                                   0xff05 /* ％ */};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == cp)
            return 1;
    return 0;
}

static int s_no_line_end(uint32_t cp)
{
    static const uint32_t set[] = {'(',
                                   '[',
                                   '{',
                                   0xff08 /* （ */,
                                   0x300c /* 「 */,
                                   0x300e /* 『 */,
                                   0x300a /* 《 */,
                                   0x3010 /* 【 */,
                                   0x3014 /* 〔 */,
                                   0x3008 /* 〈 */,
                                   0x201c /* “ */,
                                   0x2018 /* ‘ */};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == cp)
            return 1;
    return 0;
}

/* May a line break go just before u[k] (k > 0)? At spaces always; between wide (Chinese)
 * characters unless punctuation forbids it; never inside a run of ASCII such as "A001". */
static int s_can_break_before(const s_unit_t *u, size_t k)
{
    const s_unit_t *prev = &u[k - 1];
    const s_unit_t *cur = &u[k];
    if (cur->space || prev->space)
        return 1;
    if (s_no_line_start(cur->cp) || s_no_line_end(prev->cp))
        return 0;
    return cur->width >= 2 || prev->width >= 2;
}

static int s_lines_push(escpos_lines_t *lines, char *line)
{
    char **grown = realloc(lines->line, (lines->count + 1) * sizeof *grown);
    if (!grown) {
        free(line);
        return -1;
    }
    lines->line = grown;
    lines->line[lines->count++] = line;
    return 0;
}

/* Adds u[from, to) minus trailing spaces as one line. */
static int s_emit_line(escpos_lines_t *lines, const s_unit_t *u, size_t from, size_t to)
{
    while (to > from && u[to - 1].space)
        to--;
    char *line = s_join(u, from, to, 0, NULL);
    if (!line)
        return -1;
    return s_lines_push(lines, line);
}

int escpos_wrap(const char *utf8, int width, escpos_lines_t *lines, size_t *replaced)
{
    s_unit_t *u;
    size_t n;
    lines->line = NULL;
    lines->count = 0;
    if (replaced)
        *replaced = 0;
    if (!utf8 || width < 2 || s_units(utf8, &u, &n) != 0)
        return -1;
    int rc = 0;
    size_t i0 = 0;
    while (i0 < n && u[i0].space)
        i0++;
    while (i0 < n) {
        int w = 0;
        size_t j = i0;
        while (j < n && !u[j].newline && w + u[j].width <= width)
            w += u[j++].width;
        size_t brk;
        if (j == n || u[j].newline) {
            brk = j;
        } else {
            /* u[j] does not fit: break at the last opportunity in the line, or hard at j.
             * j > i0 always, since every unit is at most 2 columns and width >= 2. */
            brk = j;
            for (size_t k = j; k > i0; k--) {
                if (s_can_break_before(u, k)) {
                    brk = k;
                    break;
                }
            }
        }
        if (s_emit_line(lines, u, i0, brk) != 0) {
            rc = -1;
            break;
        }
        i0 = brk;
        if (i0 < n && u[i0].newline)
            i0++;
        while (i0 < n && u[i0].space)
            i0++;
    }
    if (rc == 0 && replaced)
        *replaced = s_count_replaced(u, n);
    free(u);
    if (rc != 0)
        escpos_lines_clear(lines);
    return rc;
}

void escpos_lines_clear(escpos_lines_t *lines)
{
    if (!lines)
        return;
    for (size_t i = 0; i < lines->count; i++)
        free(lines->line[i]);
    free(lines->line);
    lines->line = NULL;
    lines->count = 0;
}

/* ---- the builder ----------------------------------------------------------------------- */

escpos_t *escpos_new(void)
{
    /* Fail here, once, rather than on every text command, when the C library has no GBK. */
    iconv_t cd = iconv_open("GBK", "UTF-8");
    if (cd == (iconv_t)-1)
        return NULL;
    iconv_close(cd);
    escpos_t *self = calloc(1, sizeof *self);
    return self;
}

void escpos_destroy(escpos_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->data);
    free(*self_p);
    *self_p = NULL;
}

/* Appends whole commands only: either all of `len` bytes go in or none do. */
static int s_append(escpos_t *self, const void *bytes, size_t len)
{
    if (self->failed)
        return -1;
    if (self->size + len > self->capacity) {
        size_t cap = self->capacity ? self->capacity : 256;
        while (cap < self->size + len)
            cap *= 2;
        uint8_t *grown = realloc(self->data, cap);
        if (!grown) {
            self->failed = 1;
            return -1;
        }
        self->data = grown;
        self->capacity = cap;
    }
    memcpy(self->data + self->size, bytes, len);
    self->size += len;
    return 0;
}

static int s_fail(escpos_t *self)
{
    self->failed = 1;
    return -1;
}

int escpos_init(escpos_t *self)
{
    const uint8_t cmd[] = {S_ESC, '@'};
    return s_append(self, cmd, sizeof cmd);
}

int escpos_chinese_mode(escpos_t *self)
{
    const uint8_t cmd[] = {S_FS, '&'};
    return s_append(self, cmd, sizeof cmd);
}

int escpos_align(escpos_t *self, escpos_align_t align)
{
    if (align != ESCPOS_ALIGN_LEFT && align != ESCPOS_ALIGN_CENTER && align != ESCPOS_ALIGN_RIGHT)
        return s_fail(self);
    const uint8_t cmd[] = {S_ESC, 'a', (uint8_t)align};
    return s_append(self, cmd, sizeof cmd);
}

int escpos_bold(escpos_t *self, int on)
{
    const uint8_t cmd[] = {S_ESC, 'E', on ? 1 : 0};
    return s_append(self, cmd, sizeof cmd);
}

int escpos_char_size(escpos_t *self, int width, int height)
{
    if (width < 1 || width > ESCPOS_SIZE_MAX || height < 1 || height > ESCPOS_SIZE_MAX)
        return s_fail(self);
    /* Bits 4-6 the width, bits 0-2 the height, each the magnification less one. */
    const uint8_t cmd[] = {S_GS, '!', (uint8_t)((width - 1) << 4 | (height - 1))};
    return s_append(self, cmd, sizeof cmd);
}

int escpos_double_size(escpos_t *self, int on)
{
    return on ? escpos_char_size(self, 2, 2) : escpos_char_size(self, 1, 1);
}

int escpos_text(escpos_t *self, const char *utf8)
{
    if (self->failed)
        return -1;
    char *gbk;
    size_t len, replaced;
    if (escpos_gbk_encode(utf8, &gbk, &len, &replaced) != 0)
        return s_fail(self);
    int rc = s_append(self, gbk, len);
    free(gbk);
    if (rc == 0)
        self->replaced += replaced;
    return rc;
}

int escpos_newline(escpos_t *self)
{
    const uint8_t cmd[] = {S_LF};
    return s_append(self, cmd, sizeof cmd);
}

int escpos_line(escpos_t *self, const char *utf8)
{
    if (escpos_text(self, utf8) != 0)
        return -1;
    return escpos_newline(self);
}

int escpos_rule(escpos_t *self, char ch, int columns)
{
    if ((ch != '-' && ch != '=') || columns < 1 || columns > 255)
        return s_fail(self);
    uint8_t cmd[256];
    memset(cmd, ch, (size_t)columns);
    cmd[columns] = S_LF;
    return s_append(self, cmd, (size_t)columns + 1);
}

int escpos_qr(escpos_t *self, const void *data, size_t len, int module_size, escpos_qr_ec_t ec)
{
    if (self->failed)
        return -1;
    if (!data || len == 0 || len > ESCPOS_QR_MAX_DATA || module_size < 1 || module_size > 16 ||
        ec < ESCPOS_QR_EC_L || ec > ESCPOS_QR_EC_H)
        return s_fail(self);
    /* GS ( k pL pH cn fn ...: pL + 256 * pH counts the bytes after pH; cn 49 is QR. */
    const uint8_t model[] = {S_GS, '(', 'k', 4, 0, 49, 65, 50, 0}; /* fn 165: model 2 */
    const uint8_t size[] = {S_GS, '(', 'k', 3, 0, 49, 67, (uint8_t)module_size}; /* fn 167 */
    const uint8_t level[] = {S_GS, '(', 'k', 3, 0, 49, 69, (uint8_t)ec};         /* fn 169 */
    size_t stored = len + 3;
    const uint8_t store[] = {S_GS, '(', 'k', (uint8_t)(stored & 0xff), (uint8_t)(stored >> 8),
                             49,   80,  48}; /* fn 180: store data in the symbol area */
    const uint8_t print[] = {S_GS, '(', 'k', 3, 0, 49, 81, 48}; /* fn 181: print it */
    size_t total = sizeof model + sizeof size + sizeof level + sizeof store + len + sizeof print;
    uint8_t *cmd = malloc(total);
    if (!cmd)
        return s_fail(self);
    size_t o = 0;
    memcpy(cmd + o, model, sizeof model);
    o += sizeof model;
    memcpy(cmd + o, size, sizeof size);
    o += sizeof size;
    memcpy(cmd + o, level, sizeof level);
    o += sizeof level;
    memcpy(cmd + o, store, sizeof store);
    o += sizeof store;
    memcpy(cmd + o, data, len);
    o += len;
    memcpy(cmd + o, print, sizeof print);
    int rc = s_append(self, cmd, total);
    free(cmd);
    return rc;
}

int escpos_feed(escpos_t *self, int lines)
{
    if (lines < 0 || lines > 255)
        return s_fail(self);
    const uint8_t cmd[] = {S_ESC, 'd', (uint8_t)lines};
    return s_append(self, cmd, sizeof cmd);
}

int escpos_cut(escpos_t *self)
{
    const uint8_t cmd[] = {S_GS, 'V', 66, 0};
    return s_append(self, cmd, sizeof cmd);
}

const uint8_t *escpos_data(const escpos_t *self)
{
    return self->data;
}

size_t escpos_size(const escpos_t *self)
{
    return self->size;
}

size_t escpos_replaced(const escpos_t *self)
{
    return self->replaced;
}

int escpos_failed(const escpos_t *self)
{
    return self->failed;
}

uint8_t *escpos_take(escpos_t *self, size_t *len)
{
    if (self->failed)
        return NULL;
    uint8_t *out = self->data;
    if (!out) {
        out = malloc(1);
        if (!out)
            return NULL;
    }
    *len = self->size;
    self->data = NULL;
    self->size = 0;
    self->capacity = 0;
    self->replaced = 0;
    return out;
}
