/* Synthesis of one call: espeak-ng's Mandarin and English, the shape of the announcement
 * (chime, pauses, repeats), volume, and a hall's recorded words with the fallback to
 * synthesis when a word is missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "speech.h"

#define S_MS(n) ((size_t)((int64_t)PCM_RATE * (n) / 1000))

static speech_t *s_new(ui_lang_t lang, int repeat, int volume, const char *clips)
{
    speech_config_t cfg = {lang, SPEECH_RATE_DEFAULT, repeat, volume, clips};
    char why[512] = "";
    speech_t *s = speech_new(&cfg, why, sizeof why);
    if (!s)
        fprintf(stderr, "speech_new: %s\n", why);
    assert_non_null(s);
    return s;
}

static size_t s_sentence_len(speech_t *s, const char *label, int window)
{
    pcm_t p;
    pcm_init(&p, PCM_RATE);
    char why[256];
    assert_int_equal(speech_sentence(s, label, window, &p, why, sizeof why), 0);
    size_t n = p.n;
    pcm_free(&p);
    return n;
}

static void test_mandarin_announcement_shape(void **state)
{
    (void)state;
    speech_t *s = s_new(UI_LANG_ZH, 2, 100, NULL);
    size_t sentence = s_sentence_len(s, "A001", 3);
    /* 请A零零一号到三号窗口办理 at 150 words a minute: a few seconds. */
    assert_true(sentence > S_MS(2500) && sentence < S_MS(7000));
    pcm_t p;
    pcm_init(&p, PCM_RATE);
    char why[256];
    assert_int_equal(speech_announce(s, "A001", 3, &p, why, sizeof why), 0);
    /* chime, pause, sentence, pause, sentence, tail. espeak-ng varies a sentence by a few
     * samples from one synthesis to the next, so the sentence length is read back from the
     * announcement and compared with the one said alone. */
    size_t fixed = S_MS(PCM_CHIME_MS) + S_MS(SPEECH_AFTER_CHIME_MS) + S_MS(SPEECH_BETWEEN_MS) +
                   S_MS(SPEECH_TAIL_MS);
    assert_true(p.n > fixed);
    assert_int_equal((p.n - fixed) % 2, 0);
    size_t said = (p.n - fixed) / 2;
    assert_true(said + S_MS(20) > sentence && said < sentence + S_MS(20));
    /* The same sentence really is there twice, after the chime and the pause. */
    size_t first = S_MS(PCM_CHIME_MS) + S_MS(SPEECH_AFTER_CHIME_MS);
    size_t second = first + said + S_MS(SPEECH_BETWEEN_MS);
    assert_memory_equal(p.s + first, p.s + second, said * sizeof *p.s);
    assert_true(pcm_peak(p.s + first, said) > 32767 / 4);
    assert_true(pcm_peak(p.s + first, S_MS(10)) > 64); /* trimmed: sound at once */
    assert_int_equal(pcm_peak(p.s + first + said, S_MS(SPEECH_BETWEEN_MS)), 0);
    assert_int_equal(pcm_peak(p.s + p.n - S_MS(SPEECH_TAIL_MS), S_MS(SPEECH_TAIL_MS)), 0);
    assert_true(pcm_peak(p.s, S_MS(PCM_CHIME_MS)) > 32767 / 4); /* the chime */
    /* Different windows are different sentences; a longer number is longer. */
    assert_true(s_sentence_len(s, "A001", 12) > sentence);
    assert_true(s_sentence_len(s, "C120", 12) != sentence);
    assert_int_equal(speech_announce(s, "A0x1", 3, &p, why, sizeof why), -1);
    assert_true(strlen(why) > 0);
    pcm_free(&p);
    speech_destroy(&s);
    assert_null(s);
    speech_destroy(&s); /* twice is harmless */
}

/* The parts the paced voice plays: the short form is shorter than the sentence, each at the
 * volume, and the chime alone. */
static void test_parts(void **state)
{
    (void)state;
    speech_t *s = s_new(UI_LANG_ZH, 2, 50, NULL);
    pcm_t full, brief, chime;
    pcm_init(&full, PCM_RATE);
    pcm_init(&brief, PCM_RATE);
    pcm_init(&chime, PCM_RATE);
    char why[256];
    assert_int_equal(speech_say(s, SPEECH_FULL, "A001", 3, &full, why, sizeof why), 0);
    assert_int_equal(speech_say(s, SPEECH_SHORT, "A001", 3, &brief, why, sizeof why), 0);
    assert_int_equal(speech_chime(s, &chime), 0);
    size_t sentence = s_sentence_len(s, "A001", 3);
    assert_true(full.n + S_MS(20) > sentence && full.n < sentence + S_MS(20));
    /* 「A零零一，三号窗口」 leaves out 请, 号到 and 办理. */
    assert_true(brief.n > S_MS(1500) && brief.n + S_MS(800) < full.n);
    assert_int_equal(chime.n, S_MS(PCM_CHIME_MS));
    /* At volume 50 nothing is louder than half of full scale. */
    assert_true(pcm_peak(full.s, full.n) <= 32767 / 2 + 1);
    assert_true(pcm_peak(brief.s, brief.n) <= 32767 / 2 + 1);
    assert_true(pcm_peak(chime.s, chime.n) > 32767 / 8);
    size_t before = brief.n;
    assert_int_equal(speech_say(s, SPEECH_SHORT, "A0x1", 3, &brief, why, sizeof why), -1);
    assert_int_equal(brief.n, before); /* nothing appended on failure */
    pcm_free(&full);
    pcm_free(&brief);
    pcm_free(&chime);
    speech_destroy(&s);
}

static void test_repeat_and_volume(void **state)
{
    (void)state;
    speech_t *loud = s_new(UI_LANG_ZH, 3, 100, NULL);
    size_t sentence = s_sentence_len(loud, "B010", 10);
    pcm_t a;
    pcm_init(&a, PCM_RATE);
    char why[256];
    assert_int_equal(speech_announce(loud, "B010", 10, &a, why, sizeof why), 0);
    size_t fixed = S_MS(PCM_CHIME_MS) + S_MS(SPEECH_AFTER_CHIME_MS) + 2 * S_MS(SPEECH_BETWEEN_MS) +
                   S_MS(SPEECH_TAIL_MS);
    assert_int_equal((a.n - fixed) % 3, 0);
    size_t said = (a.n - fixed) / 3;
    assert_true(said + S_MS(20) > sentence && said < sentence + S_MS(20));
    int peak = pcm_peak(a.s, a.n);
    speech_destroy(&loud);
    speech_t *soft = s_new(UI_LANG_ZH, 3, 25, NULL);
    pcm_t b;
    pcm_init(&b, PCM_RATE);
    assert_int_equal(speech_announce(soft, "B010", 10, &b, why, sizeof why), 0);
    assert_true(b.n + S_MS(60) > a.n && b.n < a.n + S_MS(60));
    /* The chime is the same samples in both: a quarter of the volume, a quarter as loud. */
    size_t chime = S_MS(PCM_CHIME_MS);
    assert_true(abs(pcm_peak(b.s, chime) - pcm_peak(a.s, chime) / 4) <= 1);
    assert_true(pcm_peak(b.s, b.n) < peak / 3);
    speech_destroy(&soft);
    pcm_free(&a);
    pcm_free(&b);
}

static void test_english(void **state)
{
    (void)state;
    speech_t *s = s_new(UI_LANG_EN, 1, 100, NULL);
    size_t n = s_sentence_len(s, "A001", 3);
    /* "Number A 0 0 1, please go to window 3". */
    assert_true(n > S_MS(2000) && n < S_MS(6000));
    speech_destroy(&s);
}

/* ---- recorded words --------------------------------------------------------------------- */

#define S_WORD_MS 200
#define S_PAD_MS 100
#define S_CLIP_RATE 44100

/* Writes a stereo 44.1 kHz clip: padding, a tone of `ms`, padding. */
static void s_write_clip(const char *dir, const char *name, double freq, int ms)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.wav", dir, name);
    SF_INFO info = {0};
    info.samplerate = S_CLIP_RATE;
    info.channels = 2;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    assert_non_null(f);
    size_t pad = (size_t)S_CLIP_RATE * S_PAD_MS / 1000, tone = (size_t)S_CLIP_RATE * ms / 1000;
    size_t n = 2 * pad + tone;
    float *frames = calloc(2 * n, sizeof *frames);
    assert_non_null(frames);
    for (size_t i = 0; i < tone; i++) {
        /* A square-ish tone: loud from its first sample, so trimming finds its edges. */
        float v = sin(2 * M_PI * freq * (double)i / S_CLIP_RATE) >= 0 ? 0.5f : -0.5f;
        frames[2 * (pad + i)] = frames[2 * (pad + i) + 1] = v;
    }
    assert_int_equal(sf_writef_float(f, frames, (sf_count_t)n), (sf_count_t)n);
    sf_close(f);
    free(frames);
}

/* The clips folder lives from setup to teardown, so a failing check leaves nothing behind. */
static char s_dir[64];

static int s_make_clips(void **state)
{
    (void)state;
    snprintf(s_dir, sizeof s_dir, "/tmp/hallq-clips.XXXXXX");
    if (!mkdtemp(s_dir))
        return -1;
    const char *words[] = {
        "qing", "hao", "dao", "chuangkou_banli", "0", "1", "2", "3", "4", "5", "6", "7", "8",
        "9",    "shi", "A"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        s_write_clip(s_dir, words[i], 300 + 40 * (double)i, S_WORD_MS);
    return 0;
}

static int s_remove_clips(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_clips(void **state)
{
    (void)state;
    const char *dir = s_dir;
    speech_t *s = s_new(UI_LANG_ZH, 2, 100, dir);
    /* qing A 0 0 1 hao dao 3 hao chuangkou_banli: ten words, each trimmed to the tone plus
     * a 20 ms margin either side, joined by 60 ms. */
    size_t per_word = S_MS(S_WORD_MS) + 2 * S_MS(20);
    size_t expect = 10 * per_word + 9 * S_MS(60);
    size_t got = s_sentence_len(s, "A001", 3);
    assert_true(got + 20 >= expect && got <= expect + 20);
    /* Window 12 = shi 2: one word more. */
    size_t twelve = s_sentence_len(s, "A001", 12);
    assert_true(twelve > got + per_word / 2);
    /* No B.wav: that call is synthesized instead (much longer than the clip sentence). */
    size_t b = s_sentence_len(s, "B001", 3);
    assert_true(b > got + S_MS(500));
    /* Window 100 needs bai.wav, which this set lacks: synthesized too. */
    assert_true(s_sentence_len(s, "A001", 100) > got + S_MS(500));
    speech_destroy(&s);

    /* A chime.wav replaces the synthesized chime. */
    s_write_clip(dir, "chime", 880, 300);
    s = s_new(UI_LANG_ZH, 1, 100, dir);
    pcm_t p;
    pcm_init(&p, PCM_RATE);
    char why[512];
    assert_int_equal(speech_announce(s, "A001", 3, &p, why, sizeof why), 0);
    size_t chime = S_MS(300) + 2 * S_MS(20);
    assert_true(p.n + 40 >= chime + S_MS(SPEECH_AFTER_CHIME_MS) + got + S_MS(SPEECH_TAIL_MS));
    assert_true(p.n <= chime + S_MS(SPEECH_AFTER_CHIME_MS) + got + S_MS(SPEECH_TAIL_MS) + 40);
    pcm_free(&p);
    speech_destroy(&s);

    /* A word every call needs is missing: refused at start, naming the file. */
    char path[1024];
    snprintf(path, sizeof path, "%s/qing.wav", dir);
    assert_int_equal(unlink(path), 0);
    speech_config_t cfg = {UI_LANG_ZH, SPEECH_RATE_DEFAULT, 2, 100, dir};
    s = speech_new(&cfg, why, sizeof why);
    assert_null(s);
    assert_non_null(strstr(why, "qing.wav"));
    /* A file that is not audio is refused too. */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("not a wav", f);
    fclose(f);
    assert_null(speech_new(&cfg, why, sizeof why));
    assert_non_null(strstr(why, "qing.wav"));
}

static int s_teardown(void **state)
{
    (void)state;
    speech_shutdown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mandarin_announcement_shape),
        cmocka_unit_test(test_parts),
        cmocka_unit_test(test_repeat_and_volume),
        cmocka_unit_test(test_english),
        cmocka_unit_test_setup_teardown(test_clips, s_make_clips, s_remove_clips),
    };
    return cmocka_run_group_tests(tests, NULL, s_teardown);
}
