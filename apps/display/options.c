/* options: see options.h. */
#include "options.h"

#include "speech.h"

#include <stdlib.h>
#include <string.h>

#define S_OPT(field) offsetof(options_t, field)

static int s_set_mode(void *field, const char *arg, const ui_option_t *opt, char *why,
                      size_t whylen)
{
    options_t *o = (options_t *)((char *)field - S_OPT(mode));
    if (strcmp(arg, "hall") == 0) {
        o->mode = DM_HALL;
    } else if (strcmp(arg, "counter") == 0) {
        o->mode = DM_COUNTER;
    } else {
        snprintf(why, whylen, "--%s is hall or counter, not '%s'", opt->name, arg);
        return -1;
    }
    o->mode_given = 1;
    return 0;
}

/* "A001:3" -> label and window. */
static int s_set_say(void *field, const char *arg, const ui_option_t *opt, char *why, size_t whylen)
{
    options_t *o = (options_t *)((char *)field - S_OPT(say));
    const char *colon = strchr(arg, ':');
    if (colon && (size_t)(colon - arg) < sizeof o->say.label) {
        memcpy(o->say.label, arg, (size_t)(colon - arg));
        o->say.label[colon - arg] = '\0';
        if (o->say.label[0] >= 'a' && o->say.label[0] <= 'z')
            o->say.label[0] = (char)(o->say.label[0] - 'a' + 'A');
        if (ann_label_ok(o->say.label) == 0 &&
            hq_parse_int(colon + 1, 1, ANN_WINDOW_MAX, &o->say.window) == 0) {
            o->say.on = 1;
            return 0;
        }
    }
    snprintf(why, whylen, "--%s takes LABEL:WINDOW such as A001:3, not '%s'", opt->name, arg);
    return -1;
}

static int s_check(void *settings, char *why, size_t whylen)
{
    options_t *o = settings;
    if (o->counter && !o->mode_given)
        o->mode = DM_COUNTER; /* --counter N alone clearly means the screen above N */
    if (o->mode == DM_COUNTER && !o->counter)
        snprintf(why, whylen, "--mode counter needs --counter N");
    else if (o->mode == DM_HALL && o->counter)
        snprintf(why, whylen, "--counter is for --mode counter");
    else if (o->mute && (o->audio_file || o->say.on))
        snprintf(why, whylen, "--mute contradicts %s", o->say.on ? "--say" : "--audio-file");
    else if (o->audio_realtime && !o->audio_file)
        snprintf(why, whylen, "--audio-realtime goes with --audio-file");
    else if (o->audio_realtime && o->say.on)
        snprintf(why, whylen, "--audio-realtime is for the screen's voice, not --say");
    else if (o->audio_file && o->driver)
        snprintf(why, whylen, "--audio-file and --audio-driver exclude each other");
    else if (o->clips && o->lang == UI_LANG_EN)
        snprintf(why, whylen, "--clips holds Mandarin words; it does not go with --lang en");
    else
        return 0;
    return -1;
}

void options_defaults(options_t *o)
{
    memset(o, 0, sizeof *o);
    o->mode = DM_HALL;
    o->lang = UI_LANG_ZH;
    o->volume = OPTIONS_VOLUME_DEFAULT;
    o->repeat = OPTIONS_REPEAT_DEFAULT;
    o->rate = SPEECH_RATE_DEFAULT;
    o->endpoint = ui_env_or("HALLQ_ENDPOINT", HQ_DEFAULT_REQUEST_ENDPOINT);
    o->events = ui_env_or("HALLQ_EVENTS", HQ_DEFAULT_EVENT_ENDPOINT);
}

/* The help states these numbers as text. */
_Static_assert(OPTIONS_VOLUME_DEFAULT == 80 && OPTIONS_REPEAT_DEFAULT == 2 &&
                   OPTIONS_REPEAT_MAX == 5 && OPTIONS_RATE_MIN == 80 && OPTIONS_RATE_MAX == 300 &&
                   SPEECH_RATE_DEFAULT == 150,
               "update the help of --volume, --repeat and --rate");

static const ui_option_t s_options[] = {
    {.name = "mode",
     .letter = 'm',
     .arg = "hall|counter",
     .help = {"大厅主屏（默认），或挂在某个窗口上方的小屏（需 --counter）",
              "the hall's wall screen (default), or the small screen\n"
              "above one window (needs --counter)"},
     .set = s_set_mode,
     .at = S_OPT(mode)},
    {.name = "counter",
     .letter = 'c',
     .arg = "N",
     .help = {"本屏所在的窗口（窗口模式），只播报本窗口的呼叫",
              "the window this screen hangs above (counter mode);\n"
              "it then speaks only its own calls"},
     .set = ui_set_int,
     .at = S_OPT(counter),
     .min = 1,
     .max = 9999},
    UI_OPTION_ENDPOINT(options_t, endpoint),
    UI_OPTION_EVENTS(options_t, events),
    {.name = "volume",
     .arg = "0-100",
     .help = {"音量（默认 80）", "loudness (default 80)"},
     .set = ui_set_int,
     .at = S_OPT(volume),
     .min = 0,
     .max = 100},
    {.name = "repeat",
     .arg = "N",
     .help = {"每次呼叫播报的遍数，1-5（默认 2）", "sayings per call, 1-5 (default 2)"},
     .set = ui_set_int,
     .at = S_OPT(repeat),
     .min = 1,
     .max = OPTIONS_REPEAT_MAX},
    {.name = "rate",
     .arg = "WPM",
     .help = {"语速，每分钟 80-300 词（默认 150；放慢些老年人更易听清）",
              "speech rate, 80-300 words a minute (default 150;\n"
              "slower helps elderly listeners)"},
     .set = ui_set_int,
     .at = S_OPT(rate),
     .min = OPTIONS_RATE_MIN,
     .max = OPTIONS_RATE_MAX},
    {.name = "mute", .help = {"不播报", "no voice"}, .set = ui_set_flag, .at = S_OPT(mute)},
    {.name = "clips",
     .arg = "DIR",
     .help = {"用本厅录制的词语代替合成语音（普通话）：\n"
              "qing hao dao chuangkou_banli 0-9 shi [bai qian wan A-Z chime] .wav",
              "the hall's own recorded words instead of synthesis\n"
              "(Mandarin): qing hao dao chuangkou_banli 0-9 shi\n"
              "[bai qian wan A-Z chime] .wav"},
     .set = ui_set_string,
     .at = S_OPT(clips)},
    {.name = "audio-file",
     .arg = "FILE",
     .help = {"把要播放的声音写入 WAV 文件", "write what would be played to a WAV file"},
     .set = ui_set_string,
     .at = S_OPT(audio_file)},
    {.name = "audio-realtime",
     .help = {"以声卡的速度写 WAV 文件（含呼叫之间的静音），\n"
              "文件的第 N 秒即大厅在第 N 秒听到的声音：用于测量播报延迟",
              "write the WAV file at a sound card's pace, silences\n"
              "included: second N of the file is what the hall heard\n"
              "N s after the start (to measure how far the voice lags)"},
     .set = ui_set_flag,
     .at = S_OPT(audio_realtime)},
    {.name = "audio-driver",
     .arg = "NAME",
     .help = {"libao 驱动（alsa、pulse、null；默认由 libao 决定）",
              "libao driver (alsa, pulse, null; default: libao's)"},
     .set = ui_set_string,
     .at = S_OPT(driver)},
    {.name = "say",
     .arg = "LABEL:WINDOW",
     .help = {"播报一次呼叫（如 A001:3）后退出：用于测试音箱",
              "speak one call (e.g. A001:3) and exit: a speaker test"},
     .set = s_set_say,
     .at = S_OPT(say)},
    {.name = "log",
     .arg = "FILE",
     .help = {"屏幕显示期间的日志写到此文件（默认：标准错误就是屏幕时不记录）",
              "log here while the screen is shown (default: nowhere\n"
              "when standard error is the screen)"},
     .set = ui_set_string,
     .at = S_OPT(log_file)},
    UI_OPTION_KEY(options_t, key),
    UI_OPTION_SERVER_KEY(options_t, server_key),
    {.name = NULL},
};

const ui_program_t display_cli = {
    .name = "hallq-display",
    .synopsis = {"[选项]", "[options]"},
    .about = {"医保服务大厅的叫号大屏，以及呼叫市民到窗口的语音。全屏显示；按 q 退出。",
              "The wall screen of a hallq service hall and the voice that calls citizens to\n"
              "their window. Full screen; q quits."},
    .epilog = {"语音：提示音后，用 espeak-ng 离线合成「请A零零一号到三号窗口办理」，\n"
               "按 --repeat 播报若干遍；呼叫密集时先去掉重复，再改为简短播报\n"
               "「A零零一，三号窗口」，保证每次呼叫在 15 秒内播出。\n"
               "退出状态：0 正常退出，2 参数错误或终端不可用，4 其他故障（声音、套接字）。",
               "Voice: a chime, then 请A零零一号到三号窗口办理 (or \"Number A 0 0 1, please go to\n"
               "window 3\") said --repeat times, synthesized offline by espeak-ng. When calls\n"
               "pile up, repeats go first, then calls are said short (A零零一，三号窗口), so\n"
               "that each is said within 15 s.\n"
               "Exit status: 0 done, 2 bad arguments or no usable terminal, 4 any other\n"
               "failure (sound, sockets)."},
    .options = s_options,
    .lang_at = S_OPT(lang),
    .check = s_check,
};
