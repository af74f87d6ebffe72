/* ticket_layout: see ticket_layout.h. */
#include "ticket_layout.h"

#include "hq_utf8.h"
#include "hq_vec.h"

#include "escpos.h"
#include "kiosk_texts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* QR module size in dots: a version 3-4 symbol stays a few centimetres wide on both
 * papers (58 mm prints 384 dots a line, 80 mm 576), big enough for a phone camera. */
#define S_QR_MODULE_58 6
#define S_QR_MODULE_80 8
/* The payload is short; level M leaves room for a smudged or creased ticket. */
#define S_QR_EC ESCPOS_QR_EC_M
/* Longest QR payload the layout accepts: ours is ~35 bytes, this keeps the symbol small. */
#define S_QR_PAYLOAD_MAX 128
/* The ticket number, for elderly eyes: four times as wide and high (a 12x24-dot font gives
 * digits 12 mm high), or the largest size from there down to double that fits the paper
 * (it always does: "A9999" takes 20 columns of 58 mm paper's 32). */
#define S_NUMBER_SIZE 4

typedef enum { S_ITEM_TEXT, S_ITEM_RULE, S_ITEM_QR } s_kind_t;

/* One printed line (or the QR code) with its print mode. */
typedef struct {
    s_kind_t kind;
    escpos_align_t align;
    int bold;
    int size;   /* characters this many times as wide and high: 1 normal, 2 double, ... */
    char *text; /* TEXT: printable UTF-8 within the width; QR: the payload */
    char rule;  /* RULE: '-' or '=' */
} s_item_t;

typedef struct {
    s_item_t *item;  /* the lines, top to bottom */
    size_t count;    /* lines used */
    int columns;     /* paper width in columns */
    size_t replaced; /* characters that will print as '?' */
    int failed;      /* out of memory somewhere: the layout is unusable */
} s_layout_t;

static int s_has(const char *s)
{
    return s && *s;
}

static void s_layout_clear(s_layout_t *L)
{
    for (size_t i = 0; i < L->count; i++)
        free(L->item[i].text);
    free(L->item);
    L->item = NULL;
    L->count = 0;
}

/* Takes ownership of `text` (may be NULL for rules). */
static void s_push(s_layout_t *L, s_kind_t kind, escpos_align_t align, int bold, int size,
                   char *text, char rule)
{
    if (L->failed) {
        free(text);
        return;
    }
    s_item_t *grown = realloc(L->item, (L->count + 1) * sizeof *grown);
    if (!grown) {
        free(text);
        L->failed = 1;
        return;
    }
    L->item = grown;
    L->item[L->count++] = (s_item_t){
        .kind = kind, .align = align, .bold = bold, .size = size, .text = text, .rule = rule};
}

/* Centred text that needs several lines is wrapped as narrow as it can be without taking
 * more lines, so a long hall name reads as two even halves instead of a full line and a
 * lone last character. */
static int s_balance(const char *utf8, int width, escpos_lines_t *lines)
{
    size_t count = lines->count;
    for (int w = width - 1; w >= 2; w--) {
        escpos_lines_t narrower;
        if (escpos_wrap(utf8, w, &narrower, NULL) != 0)
            return -1;
        if (narrower.count != count) {
            escpos_lines_clear(&narrower);
            break;
        }
        escpos_lines_clear(lines);
        *lines = narrower;
    }
    return 0;
}

/* Text as the paper may print it: every fact passes here (from s_text and s_numbered)
 * before it is wrapped. A hall, queue or service name, a material or the footer comes from
 * hallqd or the kept ticket's file; sanitised (hq_utf8_sanitise), it prints as the words
 * it holds, without the rest of an escape sequence the printer's control-character guard
 * (escpos_gbk_encode) would print as "?[31m". NULL when out of memory (L failed). */
static char *s_clean(s_layout_t *L, const char *utf8)
{
    char *clean = hq_utf8_sanitise_dup(utf8);
    if (!clean)
        L->failed = 1;
    return clean;
}

/* Wraps text to the width (a half of it in double size, a quarter in four times) and adds
 * the lines. */
static void s_text(s_layout_t *L, const char *utf8, escpos_align_t align, int bold, int size)
{
    escpos_lines_t lines;
    size_t replaced;
    int width = L->columns / size;
    if (L->failed)
        return;
    char *clean = s_clean(L, utf8);
    if (!clean)
        return;
    if (escpos_wrap(clean, width, &lines, &replaced) != 0) {
        free(clean);
        L->failed = 1;
        return;
    }
    if (align == ESCPOS_ALIGN_CENTER && lines.count > 1 && s_balance(clean, width, &lines) != 0) {
        escpos_lines_clear(&lines);
        free(clean);
        L->failed = 1;
        return;
    }
    free(clean);
    L->replaced += replaced;
    for (size_t i = 0; i < lines.count; i++) {
        s_push(L, S_ITEM_TEXT, align, bold, size, lines.line[i], 0);
        lines.line[i] = NULL;
    }
    escpos_lines_clear(&lines);
}

/* "N. text", continuation lines indented under the text (a hanging indent). */
static void s_numbered(s_layout_t *L, size_t number, const char *utf8)
{
    char prefix[24];
    int plen = snprintf(prefix, sizeof prefix, "%zu. ", number);
    escpos_lines_t lines;
    size_t replaced;
    if (L->failed)
        return;
    char *clean = s_clean(L, utf8);
    if (!clean)
        return;
    int rc = escpos_wrap(clean, L->columns - plen, &lines, &replaced);
    free(clean);
    if (rc != 0) {
        L->failed = 1;
        return;
    }
    L->replaced += replaced;
    for (size_t i = 0; i < lines.count; i++) {
        size_t n = (size_t)plen + strlen(lines.line[i]) + 1;
        char *line = malloc(n);
        if (!line) {
            L->failed = 1;
            break;
        }
        snprintf(line, n, "%*s%s", plen, i == 0 ? prefix : "", lines.line[i]);
        s_push(L, S_ITEM_TEXT, ESCPOS_ALIGN_LEFT, 0, 1, line, 0);
    }
    escpos_lines_clear(&lines);
}

static void s_blank(s_layout_t *L, escpos_align_t align)
{
    char *empty = strdup("");
    if (!empty) {
        L->failed = 1;
        return;
    }
    s_push(L, S_ITEM_TEXT, align, 0, 1, empty, 0);
}

static void s_rule(s_layout_t *L, char ch)
{
    s_push(L, S_ITEM_RULE, ESCPOS_ALIGN_LEFT, 0, 1, NULL, ch);
}

static void s_qr(s_layout_t *L, const char *payload)
{
    char *copy = strdup(payload);
    if (!copy) {
        L->failed = 1;
        return;
    }
    s_push(L, S_ITEM_QR, ESCPOS_ALIGN_CENTER, 0, 1, copy, 0);
}

/* Formats one labelled line and adds it, left aligned. */
static void s_fact(s_layout_t *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void s_fact(s_layout_t *L, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s_text(L, line, ESCPOS_ALIGN_LEFT, 0, 1);
}

/* The ticket number as large as the paper takes it, from S_NUMBER_SIZE down to double. */
static void s_number(s_layout_t *L, const char *label)
{
    int width = escpos_text_width(label), size = S_NUMBER_SIZE;
    while (size > 2 && width * size > L->columns)
        size--;
    s_text(L, label, ESCPOS_ALIGN_CENTER, 1, size);
}

static int s_payload_ok(const char *p)
{
    size_t n = strlen(p);
    if (n > S_QR_PAYLOAD_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7e)
            return 0;
    return 1;
}

/* Lays out the ticket. 0 ok, -1 bad facts or out of memory (L cleared). */
static int s_build(const ticket_facts_t *f, s_layout_t *L)
{
    memset(L, 0, sizeof *L);
    if (!f || !s_has(f->label))
        return -1;
    L->columns = escpos_paper_columns(f->paper_mm);
    if (L->columns < 0)
        return -1;
    if (s_has(f->qr_payload) && !s_payload_ok(f->qr_payload))
        return -1;
    ui_lang_t lang = f->lang;

    if (s_has(f->hall_name)) {
        s_text(L, f->hall_name, ESCPOS_ALIGN_CENTER, 1, 1);
        s_rule(L, '=');
    }
    if (s_has(f->queue_name))
        s_text(L, f->queue_name, ESCPOS_ALIGN_CENTER, 0, 1);
    if (s_has(f->service_name))
        s_text(L, f->service_name, ESCPOS_ALIGN_CENTER, 0, 1);
    s_blank(L, ESCPOS_ALIGN_CENTER);
    s_number(L, f->label);
    if (f->green)
        s_text(L, kiosk_tr(lang, KT_TICKET_GREEN), ESCPOS_ALIGN_CENTER, 1, 1);
    if (s_has(f->slot)) {
        char line[80];
        snprintf(line, sizeof line, kiosk_tr(lang, KT_TICKET_SLOT), f->slot);
        s_text(L, line, ESCPOS_ALIGN_CENTER, 1, 1);
    }
    /* A reprint says so, so two papers with one number can be told apart at the counter. */
    if (f->reprint)
        s_text(L, kiosk_tr(lang, KT_TICKET_REPRINT), ESCPOS_ALIGN_CENTER, 0, 1);
    if (f->sample)
        s_text(L, kiosk_tr(lang, KT_TICKET_SAMPLE), ESCPOS_ALIGN_CENTER, 1, 1);
    s_blank(L, ESCPOS_ALIGN_CENTER);
    s_rule(L, '-');
    if (f->ahead >= 0)
        s_fact(L, kiosk_tr(lang, KT_TICKET_AHEAD), f->ahead);
    if (f->est_wait_min == 0)
        s_text(L, kiosk_tr(lang, KT_TICKET_WAIT_UNDER), ESCPOS_ALIGN_LEFT, 0, 1);
    else if (f->est_wait_min > 0)
        s_fact(L, kiosk_tr(lang, KT_TICKET_WAIT), f->est_wait_min);
    if (s_has(f->issued_at))
        s_fact(L, kiosk_tr(lang, KT_TICKET_ISSUED), f->issued_at);
    if (f->nmaterials > 0 && f->materials) {
        s_rule(L, '-');
        s_text(L, kiosk_tr(lang, KT_TICKET_MATERIALS), ESCPOS_ALIGN_LEFT, 1, 1);
        for (size_t i = 0; i < f->nmaterials; i++)
            if (s_has(f->materials[i]))
                s_numbered(L, i + 1, f->materials[i]);
    }
    s_rule(L, '-');
    if (s_has(f->qr_payload))
        s_qr(L, f->qr_payload);
    s_text(L, s_has(f->footer) ? f->footer : kiosk_tr(lang, KT_TICKET_FOOTER), ESCPOS_ALIGN_CENTER,
           0, 1);

    if (L->failed) {
        s_layout_clear(L);
        return -1;
    }
    return 0;
}

int ticket_layout_escpos(const ticket_facts_t *facts, uint8_t **out, size_t *len, size_t *replaced)
{
    s_layout_t L;
    *out = NULL;
    *len = 0;
    if (s_build(facts, &L) != 0)
        return -1;
    escpos_t *p = escpos_new();
    if (!p) {
        s_layout_clear(&L);
        return -1;
    }
    /* ESC @ resets the print modes, so track them from their defaults and send a mode
     * command only where a line needs a different one. */
    escpos_align_t align = ESCPOS_ALIGN_LEFT;
    int bold = 0, size = 1;
    escpos_init(p);
    escpos_chinese_mode(p);
    for (size_t i = 0; i < L.count; i++) {
        const s_item_t *it = &L.item[i];
        int want_bold = it->kind == S_ITEM_TEXT && it->bold;
        int want_size = it->kind == S_ITEM_TEXT ? it->size : 1;
        if (it->align != align) {
            escpos_align(p, it->align);
            align = it->align;
        }
        if (want_bold != bold) {
            escpos_bold(p, want_bold);
            bold = want_bold;
        }
        if (want_size != size) {
            escpos_char_size(p, want_size, want_size);
            size = want_size;
        }
        switch (it->kind) {
        case S_ITEM_TEXT:
            escpos_line(p, it->text);
            break;
        case S_ITEM_RULE:
            escpos_rule(p, it->rule, L.columns);
            break;
        case S_ITEM_QR:
            escpos_qr(p, it->text, strlen(it->text),
                      L.columns == ESCPOS_COLUMNS_58 ? S_QR_MODULE_58 : S_QR_MODULE_80, S_QR_EC);
            break;
        }
    }
    escpos_cut(p);
    int rc = -1;
    if (!escpos_failed(p)) {
        *out = escpos_take(p, len);
        rc = *out ? 0 : -1;
    }
    if (rc == 0 && replaced)
        *replaced = L.replaced;
    escpos_destroy(&p);
    s_layout_clear(&L);
    return rc;
}

/* The preview is a growable text (hq_buf_t); this pads it for alignment. */
static void s_str_spaces(hq_buf_t *b, int n)
{
    for (int i = 0; i < n; i++)
        hq_buf_append(b, " ", 1);
}

/* `columns` more columns of blank: ideographic spaces (two columns each), one ASCII space
 * for an odd one. */
static void s_blank_columns(hq_buf_t *b, int columns)
{
    for (; columns >= 2; columns -= 2)
        hq_buf_append(b, "\xe3\x80\x80", 3); /* U+3000 */
    if (columns)
        hq_buf_append(b, " ", 1);
}

/* Enlarged text as a terminal can show it, as wide as on paper: ASCII becomes its full-width
 * form (two columns, like a double-width letter on paper), a Chinese character stays (two
 * columns), and blank follows each to take the columns it takes on paper (size times its
 * width). The height cannot be shown: one line. */
static char *s_enlarged(const char *printable, int size)
{
    hq_buf_t b = {0};
    const unsigned char *p = (const unsigned char *)printable;
    hq_buf_append(&b, "", 0);
    while (*p) {
        if (*p == ' ') {
            s_blank_columns(&b, size);
            p++;
        } else if (*p < 0x80) {
            unsigned cp = 0xfee0u + *p; /* U+FF01..U+FF5E */
            char u[3] = {(char)(0xe0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3f)),
                         (char)(0x80 | (cp & 0x3f))};
            hq_buf_append(&b, u, 3);
            s_blank_columns(&b, size - 2);
            p++;
        } else {
            size_t n = (*p & 0xf0) == 0xf0 ? 4 : (*p & 0xe0) == 0xe0 ? 3 : 2;
            hq_buf_append(&b, (const char *)p, n);
            s_blank_columns(&b, 2 * size - 2);
            p += n;
        }
    }
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static void s_preview_line(hq_buf_t *b, const char *text, escpos_align_t align, int columns)
{
    int w = escpos_text_width(text);
    if (w < 0) {
        b->failed = 1;
        return;
    }
    /* Empty lines stay empty: padding them would only leave trailing spaces. */
    if (w > 0 && w < columns) {
        if (align == ESCPOS_ALIGN_CENTER)
            s_str_spaces(b, (columns - w) / 2);
        else if (align == ESCPOS_ALIGN_RIGHT)
            s_str_spaces(b, columns - w);
    }
    hq_buf_append(b, text, strlen(text));
    hq_buf_append(b, "\n", 1);
}

int ticket_layout_preview(const ticket_facts_t *facts, char **out, size_t *replaced)
{
    s_layout_t L;
    *out = NULL;
    if (s_build(facts, &L) != 0)
        return -1;
    hq_buf_t b = {0};
    hq_buf_append(&b, "", 0);
    for (size_t i = 0; i < L.count && !b.failed; i++) {
        const s_item_t *it = &L.item[i];
        switch (it->kind) {
        case S_ITEM_TEXT:
            if (it->size > 1) {
                char *wide = s_enlarged(it->text, it->size);
                if (!wide) {
                    b.failed = 1;
                    break;
                }
                s_preview_line(&b, wide, it->align, L.columns);
                free(wide);
            } else {
                s_preview_line(&b, it->text, it->align, L.columns);
            }
            break;
        case S_ITEM_RULE: {
            char rule[256];
            memset(rule, it->rule, (size_t)L.columns);
            rule[L.columns] = '\0';
            s_preview_line(&b, rule, ESCPOS_ALIGN_LEFT, L.columns);
            break;
        }
        case S_ITEM_QR: {
            size_t n = strlen(it->text) + 6;
            char *tag = malloc(n);
            escpos_lines_t lines;
            if (!tag) {
                b.failed = 1;
                break;
            }
            snprintf(tag, n, "[QR] %s", it->text);
            if (escpos_wrap(tag, L.columns, &lines, NULL) != 0) {
                free(tag);
                b.failed = 1;
                break;
            }
            for (size_t k = 0; k < lines.count; k++)
                s_preview_line(&b, lines.line[k], it->align, L.columns);
            escpos_lines_clear(&lines);
            free(tag);
            break;
        }
        }
    }
    size_t r = L.replaced;
    s_layout_clear(&L);
    if (b.failed) {
        free(b.s);
        return -1;
    }
    *out = b.s;
    if (replaced)
        *replaced = r;
    return 0;
}

int ticket_qr_payload(const char *day, const char *label, int64_t id, char *out, size_t n)
{
    if (!day || !label || !out || strlen(day) != 10 || day[4] != '-' || day[7] != '-' || !*label ||
        id < 0)
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (day[i] < '0' || day[i] > '9'))
            return -1;
    for (const char *p = label; *p; p++)
        if (*p <= ' ' || *p > '~' || *p == ':')
            return -1;
    int len = snprintf(out, n, "hallq:%s:%s:%lld", day, label, (long long)id);
    return len < 0 || (size_t)len >= n ? -1 : 0;
}

int ticket_wait_minutes(int64_t est_wait_ms)
{
    if (est_wait_ms < 0)
        return -1;
    int64_t min = (est_wait_ms + 59999) / 60000;
    return min > 100000 ? 100000 : (int)min;
}
