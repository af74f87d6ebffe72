/* output: where ticket bytes go. A printer device file (/dev/usb/lp0), a network printer's
 * raw port (tcp://HOST:9100), an ordinary file, or standard output for --preview text.
 *
 * Every write is bounded in time: a printer that is off, out of paper or unplugged gives a
 * one-line error naming it instead of a kiosk that hangs. */
#ifndef HQ_TICKET_OUTPUT_H
#define HQ_TICKET_OUTPUT_H

#include "ticket_layout.h"

#include <stddef.h>

typedef enum {
    OUTPUT_DEVICE = 0, /* an existing device or file, opened for writing, never created */
    OUTPUT_TCP,        /* raw TCP (JetDirect / AppSocket), usually port 9100 */
    OUTPUT_FILE,       /* created or truncated */
    OUTPUT_PREVIEW     /* plain text on standard output */
} output_kind_t;

#define OUTPUT_TARGET_MAX 512
#define OUTPUT_DEFAULT_DEVICE "/dev/usb/lp0"
#define OUTPUT_DEFAULT_TIMEOUT_MS 5000

typedef struct {
    output_kind_t kind;
    char target[OUTPUT_TARGET_MAX]; /* device path, file path, or tcp://host:port */
    int timeout_ms;                 /* connect and write limit for devices and TCP */
    ui_lang_t lang;                 /* language of error messages */
} output_t;

/* Sets *out to a kind and target with the default timeout, messages in Chinese.
 * -1 when the target is empty or too long. */
int output_set(output_t *out, output_kind_t kind, const char *target);

/* Reads a --printer value: "tcp://HOST:PORT" (PORT defaults to 9100; [v6]:port works) or a
 * device path. 0 ok, -1 malformed (why says how). */
int output_parse_printer(const char *spec, output_t *out, char *why, size_t whylen);

/* Writes all bytes. 0 ok; -1 with a one-line reason that names the printer or file. */
int output_write(const output_t *out, const void *bytes, size_t len, char *why, size_t whylen);

/* How the output is called in messages: the path, or host:port. */
const char *output_name(const output_t *out);

#endif
