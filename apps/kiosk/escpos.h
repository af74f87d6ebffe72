/* escpos: a pure ESC/POS byte builder for Chinese thermal receipt printers.
 *
 * No I/O: the builder appends commands to a growable buffer that the caller writes wherever
 * the printer is. Text goes in as UTF-8 and comes out as GBK, which is what Chinese printers
 * expect once Chinese mode (FS &) is on. A character GBK lacks is printed as '?' and counted,
 * so a caller can tell the person that something could not be printed instead of it silently
 * vanishing. Control characters in text are replaced the same way: text comes from the
 * catalog and the network and must never be able to smuggle printer commands in.
 *
 * The text helpers (escpos_printable, escpos_text_width, escpos_wrap) measure text the way
 * the printer lays it out: ASCII is one column, every double-byte GBK character two columns.
 */
#ifndef HQ_ESCPOS_H
#define HQ_ESCPOS_H

#include <stddef.h>
#include <stdint.h>

/* Characters per line in the printer's standard font (12x24 ASCII, 24x24 Chinese). */
#define ESCPOS_COLUMNS_58 32
#define ESCPOS_COLUMNS_80 48

/* The largest character magnification GS ! takes, in width and in height. */
#define ESCPOS_SIZE_MAX 8

/* Largest QR payload a model 2 symbol holds (numeric data, version 40, level L). */
#define ESCPOS_QR_MAX_DATA 7089

typedef enum {
    ESCPOS_ALIGN_LEFT = 0,
    ESCPOS_ALIGN_CENTER = 1,
    ESCPOS_ALIGN_RIGHT = 2
} escpos_align_t;

/* QR error correction levels, with the values GS ( k function 169 takes. */
typedef enum {
    ESCPOS_QR_EC_L = 48,
    ESCPOS_QR_EC_M = 49,
    ESCPOS_QR_EC_Q = 50,
    ESCPOS_QR_EC_H = 51
} escpos_qr_ec_t;

/* Columns of a paper width in millimetres (58 -> 32, 80 -> 48); -1 for any other width. */
int escpos_paper_columns(int paper_mm);

/* ---- the byte builder --------------------------------------------------------------- */
typedef struct escpos_t escpos_t;

/* NULL when out of memory or when this C library cannot convert UTF-8 to GBK. */
escpos_t *escpos_new(void);
/* Frees the builder and sets *self_p to NULL; safe to call twice. */
void escpos_destroy(escpos_t **self_p);

/* Every command returns 0, or -1 when memory ran out or an argument is out of range.
 * A failure is sticky: later commands do nothing and return -1, escpos_failed() says so,
 * and the buffer never holds half a command. */
int escpos_init(escpos_t *self);                        /* ESC @ */
int escpos_chinese_mode(escpos_t *self);                /* FS & */
int escpos_align(escpos_t *self, escpos_align_t align); /* ESC a n */
int escpos_bold(escpos_t *self, int on);                /* ESC E n */
int escpos_double_size(escpos_t *self, int on);         /* GS ! 0x11 / GS ! 0x00 */
/* GS ! n: characters `width` times as wide and `height` times as high, each 1 (normal) to
 * ESCPOS_SIZE_MAX, until the next GS ! (ESC @ resets it to 1 x 1). */
int escpos_char_size(escpos_t *self, int width, int height);
/* UTF-8 text converted to GBK. No line feed is added; a '\n' in the text goes out as LF. */
int escpos_text(escpos_t *self, const char *utf8);
int escpos_newline(escpos_t *self); /* LF */
/* Text followed by LF. */
int escpos_line(escpos_t *self, const char *utf8);
/* A rule of `columns` copies of '-' or '=' and LF. Box-drawing bytes would turn into
 * Chinese characters in Chinese mode, hence ASCII only. */
int escpos_rule(escpos_t *self, char ch, int columns);
/* A native QR code (model 2): GS ( k functions 165, 167, 169, 180, 181. module_size 1..16
 * dots, data 1..ESCPOS_QR_MAX_DATA bytes, stored as given (no GBK conversion). */
int escpos_qr(escpos_t *self, const void *data, size_t len, int module_size, escpos_qr_ec_t ec);
int escpos_feed(escpos_t *self, int lines); /* ESC d n, n 0..255 */
int escpos_cut(escpos_t *self);             /* GS V 66 0: feed to the cutter, partial cut */

const uint8_t *escpos_data(const escpos_t *self);
size_t escpos_size(const escpos_t *self);
/* Characters written as '?' because GBK lacks them or they were control characters. */
size_t escpos_replaced(const escpos_t *self);
int escpos_failed(const escpos_t *self);
/* Hands the bytes to the caller (free() them) and empties the builder. NULL on failure;
 * an empty builder gives a valid pointer with *len 0. */
uint8_t *escpos_take(escpos_t *self, size_t *len);

/* ---- text as the printer prints it ---------------------------------------------------- */
/* GBK bytes of UTF-8 text (caller frees *out, NUL-terminated). Invalid UTF-8, control
 * characters and characters GBK lacks become '?', counted in *replaced (may be NULL). */
int escpos_gbk_encode(const char *utf8, char **out, size_t *outlen, size_t *replaced);
/* The same text in UTF-8 with those replacements made: what the paper will show.
 * Caller frees; NULL when out of memory. */
char *escpos_printable(const char *utf8, size_t *replaced);
/* Columns the text takes on paper (see the header comment); -1 on failure. */
int escpos_text_width(const char *utf8);

typedef struct {
    char **line;  /* printable UTF-8 lines, each within the width */
    size_t count; /* number of lines */
} escpos_lines_t;

/* Wraps text into lines of at most `width` columns (width >= 2, so a Chinese character
 * always fits). Breaks at spaces and between Chinese characters, never inside an ASCII
 * word unless the word alone is too wide, and never puts closing punctuation (，。）…) at
 * the start of a line. '\n' forces a break. Lines hold the printable text (replacements
 * counted in *replaced, may be NULL). Empty text gives no lines. 0 ok, -1 failure. */
int escpos_wrap(const char *utf8, int width, escpos_lines_t *lines, size_t *replaced);
void escpos_lines_clear(escpos_lines_t *lines);

#endif
