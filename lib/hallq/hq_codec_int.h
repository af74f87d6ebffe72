/* What the codec's files share and nothing else uses: error values and the readers of
 * optional JSON fields. Not part of the codec's interface (hq_proto.h is). */
#ifndef HQ_CODEC_INT_H
#define HQ_CODEC_INT_H

#include "hq_proto.h"

/* Sets err (when not NULL) to code and a printf-style message. */
void hq_codec_error(hq_error_t *err, hq_error_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Readers of optional fields: missing or null gives 0 or "". HQ_MALFORMED (and err) when
 * the field has the wrong type, is out of range or does not fit. */
int hq_codec_opt_int64(const json_t *j, const char *key, int64_t *out, hq_error_t *err);
int hq_codec_opt_int(const json_t *j, const char *key, int *out, hq_error_t *err);
int hq_codec_opt_str(const json_t *j, const char *key, char *out, size_t n, hq_error_t *err);
/* A required upper-case queue letter. */
int hq_codec_letter(const json_t *j, const char *key, char *out, hq_error_t *err);

/* The index of name in names[count], -1 when absent. */
int hq_codec_lookup(const char *const *names, int count, const char *name);

#endif
