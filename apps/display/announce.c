/* announce: see announce.h. */
#include "announce.h"

#include <stdio.h>
#include <string.h>

static const char *const s_zh_digit[10] = {"零", "一", "二", "三", "四",
                                           "五", "六", "七", "八", "九"};
static const char *const s_digit_clip[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

/* Units of a Chinese number, largest first, with the clip that says each. */
static const struct {
    int value;
    const char *zh;
    const char *clip;
} s_units[] = {{10000, "万", "wan"},
               {1000, "千", "qian"},
               {100, "百", "bai"},
               {10, "十", "shi"},
               {1, "", NULL}};

/* Appends src to out (size n, used *len); -1 when it does not fit. */
static int s_cat(char *out, size_t n, size_t *len, const char *src)
{
    size_t add = strlen(src);
    if (*len + add + 1 > n)
        return -1;
    memcpy(out + *len, src, add + 1);
    *len += add;
    return 0;
}

static int s_add_clip(char names[][ANN_CLIP_NAME], int max, int *count, const char *name)
{
    if (*count >= max || strlen(name) >= ANN_CLIP_NAME)
        return -1;
    memcpy(names[*count], name, strlen(name) + 1);
    (*count)++;
    return 0;
}

/* Walks the Chinese reading of n and hands each word to `emit` as (chinese, clip). The one
 * rule that is easy to get wrong: a leading 1 before 十 is not spoken (十二, not 一十二),
 * but inside a larger number it is (一百一十); inner runs of zeros are one 零, trailing
 * zeros are silent. */
typedef int(s_emit_fn)(void *arg, const char *zh, const char *clip);

static int s_walk_number(int n, s_emit_fn *emit, void *arg)
{
    if (n < 0 || n > ANN_WINDOW_MAX)
        return -1;
    if (n == 0)
        return emit(arg, s_zh_digit[0], s_digit_clip[0]);
    int started = 0, zero_pending = 0;
    for (size_t u = 0; u < sizeof s_units / sizeof s_units[0]; u++) {
        int d = (n / s_units[u].value) % 10;
        if (d == 0) {
            if (started)
                zero_pending = 1;
            continue;
        }
        if (zero_pending && emit(arg, s_zh_digit[0], s_digit_clip[0]) != 0)
            return -1;
        zero_pending = 0;
        int silent_one = s_units[u].value == 10 && d == 1 && !started;
        if (!silent_one && emit(arg, s_zh_digit[d], s_digit_clip[d]) != 0)
            return -1;
        if (s_units[u].clip && emit(arg, s_units[u].zh, s_units[u].clip) != 0)
            return -1;
        started = 1;
    }
    return 0;
}

typedef struct {
    char *out;
    size_t n, len;
} s_text_sink_t;

static int s_emit_text(void *arg, const char *zh, const char *clip)
{
    (void)clip;
    s_text_sink_t *t = arg;
    return s_cat(t->out, t->n, &t->len, zh);
}

typedef struct {
    char (*names)[ANN_CLIP_NAME];
    int max, count;
} s_clip_sink_t;

static int s_emit_clip(void *arg, const char *zh, const char *clip)
{
    (void)zh;
    s_clip_sink_t *c = arg;
    return s_add_clip(c->names, c->max, &c->count, clip);
}

int ann_zh_number(int n, char *out, size_t outlen)
{
    if (outlen == 0)
        return -1;
    out[0] = '\0';
    s_text_sink_t t = {out, outlen, 0};
    if (s_walk_number(n, s_emit_text, &t) != 0) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

int ann_label_ok(const char *label)
{
    if (!label || label[0] < 'A' || label[0] > 'Z')
        return -1;
    size_t digits = strlen(label + 1);
    if (digits < 1 || digits > 5)
        return -1;
    for (size_t i = 1; i <= digits; i++)
        if (label[i] < '0' || label[i] > '9')
            return -1;
    return 0;
}

static int s_args_ok(const char *label, int window)
{
    return ann_label_ok(label) == 0 && window >= 1 && window <= ANN_WINDOW_MAX;
}

int ann_text(ui_lang_t lang, const char *label, int window, char *out, size_t outlen)
{
    if (outlen == 0)
        return -1;
    out[0] = '\0';
    if (!s_args_ok(label, window))
        return -1;
    size_t len = 0;
    int rc = 0;
    char letter[2] = {label[0], '\0'};
    if (lang == UI_LANG_EN) {
        rc |= s_cat(out, outlen, &len, "Number ");
        rc |= s_cat(out, outlen, &len, letter);
        for (const char *d = label + 1; *d; d++) {
            char digit[3] = {' ', *d, '\0'};
            rc |= s_cat(out, outlen, &len, digit);
        }
        char tail[64];
        snprintf(tail, sizeof tail, ", please go to window %d", window);
        rc |= s_cat(out, outlen, &len, tail);
    } else {
        rc |= s_cat(out, outlen, &len, "请");
        rc |= s_cat(out, outlen, &len, letter);
        for (const char *d = label + 1; *d; d++)
            rc |= s_cat(out, outlen, &len, s_zh_digit[*d - '0']);
        rc |= s_cat(out, outlen, &len, "号到");
        char number[64];
        rc |= ann_zh_number(window, number, sizeof number);
        rc |= s_cat(out, outlen, &len, number);
        rc |= s_cat(out, outlen, &len, "号窗口办理");
    }
    if (rc != 0) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

int ann_short_text(ui_lang_t lang, const char *label, int window, char *out, size_t outlen)
{
    if (outlen == 0)
        return -1;
    out[0] = '\0';
    if (!s_args_ok(label, window))
        return -1;
    size_t len = 0;
    int rc = 0;
    char letter[2] = {label[0], '\0'};
    rc |= s_cat(out, outlen, &len, letter);
    if (lang == UI_LANG_EN) {
        for (const char *d = label + 1; *d; d++) {
            char digit[3] = {' ', *d, '\0'};
            rc |= s_cat(out, outlen, &len, digit);
        }
        char tail[64];
        snprintf(tail, sizeof tail, ", window %d", window);
        rc |= s_cat(out, outlen, &len, tail);
    } else {
        for (const char *d = label + 1; *d; d++)
            rc |= s_cat(out, outlen, &len, s_zh_digit[*d - '0']);
        /* The comma is a short pause: the number and the window must not run together. */
        rc |= s_cat(out, outlen, &len, "，");
        char number[64];
        rc |= ann_zh_number(window, number, sizeof number);
        rc |= s_cat(out, outlen, &len, number);
        rc |= s_cat(out, outlen, &len, "号窗口");
    }
    if (rc != 0) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

/* What espeak-ng is given for a sentence: Chinese text as `zh_text` writes it (the label's
 * characters spelled as Mandarin words), or SSML of the English `en_format` (%s the label,
 * %d the window) so that the label is spelled character by character. */
typedef int s_text_fn(ui_lang_t lang, const char *label, int window, char *out, size_t outlen);

static int s_speech_input(ui_lang_t lang, const char *label, int window, s_text_fn *zh_text,
                          const char *en_format, char *out, size_t outlen, int *ssml)
{
    *ssml = 0;
    if (lang == UI_LANG_ZH)
        return zh_text(lang, label, window, out, outlen);
    if (outlen == 0)
        return -1;
    out[0] = '\0';
    if (!s_args_ok(label, window))
        return -1;
    int n = snprintf(out, outlen, en_format, label, window);
    if (n < 0 || (size_t)n >= outlen) {
        out[0] = '\0';
        return -1;
    }
    *ssml = 1;
    return 0;
}

int ann_short_speech_input(ui_lang_t lang, const char *label, int window, char *out, size_t outlen,
                           int *ssml)
{
    return s_speech_input(
        lang, label, window, ann_short_text,
        "<speak><say-as interpret-as=\"characters\">%s</say-as>, window %d.</speak>", out, outlen,
        ssml);
}

int ann_speech_input(ui_lang_t lang, const char *label, int window, char *out, size_t outlen,
                     int *ssml)
{
    return s_speech_input(lang, label, window, ann_text,
                          "<speak>Number <say-as interpret-as=\"characters\">%s</say-as>, "
                          "please go to window %d.</speak>",
                          out, outlen, ssml);
}

int ann_clips(const char *label, int window, char names[][ANN_CLIP_NAME], int max)
{
    if (!s_args_ok(label, window))
        return -1;
    s_clip_sink_t c = {names, max, 0};
    char letter[2] = {label[0], '\0'};
    if (s_add_clip(names, max, &c.count, "qing") != 0 ||
        s_add_clip(names, max, &c.count, letter) != 0)
        return -1;
    for (const char *d = label + 1; *d; d++)
        if (s_add_clip(names, max, &c.count, s_digit_clip[*d - '0']) != 0)
            return -1;
    if (s_add_clip(names, max, &c.count, "hao") != 0 ||
        s_add_clip(names, max, &c.count, "dao") != 0)
        return -1;
    if (s_walk_number(window, s_emit_clip, &c) != 0)
        return -1;
    if (s_add_clip(names, max, &c.count, "hao") != 0 ||
        s_add_clip(names, max, &c.count, "chuangkou_banli") != 0)
        return -1;
    return c.count;
}

int ann_short_clips(const char *label, int window, char names[][ANN_CLIP_NAME], int max,
                    int *pause_after)
{
    if (!s_args_ok(label, window))
        return -1;
    s_clip_sink_t c = {names, max, 0};
    char letter[2] = {label[0], '\0'};
    if (s_add_clip(names, max, &c.count, letter) != 0)
        return -1;
    for (const char *d = label + 1; *d; d++)
        if (s_add_clip(names, max, &c.count, s_digit_clip[*d - '0']) != 0)
            return -1;
    *pause_after = c.count;
    if (s_walk_number(window, s_emit_clip, &c) != 0)
        return -1;
    if (s_add_clip(names, max, &c.count, "hao") != 0 ||
        s_add_clip(names, max, &c.count, "chuangkou_banli") != 0)
        return -1;
    return c.count;
}

int ann_clip_vocabulary(int max_window, char names[][ANN_CLIP_NAME], int max)
{
    static const char *const words[] = {"qing", "hao", "dao", "chuangkou_banli"};
    int count = 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (s_add_clip(names, max, &count, words[i]) != 0)
            return count;
    for (int d = 0; d < 10; d++)
        if (s_add_clip(names, max, &count, s_digit_clip[d]) != 0)
            return count;
    /* Smallest unit first, and only those a window up to max_window needs: the list for a
     * small hall is then the start of the list for a large one. */
    size_t nunits = sizeof s_units / sizeof s_units[0];
    for (size_t k = 1; k < nunits; k++) {
        size_t u = nunits - 1 - k;
        if (s_units[u].value <= max_window && s_add_clip(names, max, &count, s_units[u].clip) != 0)
            return count;
    }
    return count;
}
