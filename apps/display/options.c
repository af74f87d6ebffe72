/* options: see options.h. */
#include "options.h"

#include "speech.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void options_usage(const char *prog)
{
    printf("usage: %s [options]\n"
           "The wall screen of a hallq service hall and the voice that calls citizens to\n"
           "their window. Full screen; q quits.\n"
           "\n"
           "  -m, --mode hall|counter  the hall's wall screen (default), or the small screen\n"
           "                           above one window (needs --counter)\n"
           "  -c, --counter N          the window this screen hangs above (counter mode);\n"
           "                           it then speaks only its own calls\n"
           "  -l, --lang zh|en         screen and voice language (default zh)\n"
           "      --endpoint EP        hallqd requests (default $HALLQ_ENDPOINT or %s)\n"
           "      --events EP          hallqd events (default $HALLQ_EVENTS or %s)\n"
           "\n"
           "Voice: a chime, then 请A零零一号到三号窗口办理 (or \"Number A 0 0 1, please go to\n"
           "window 3\") said --repeat times, synthesized offline by espeak-ng.\n"
           "      --volume 0-100       loudness (default %d)\n"
           "      --repeat N           sayings per call, 1-%d (default %d)\n"
           "      --rate WPM           speech rate, %d-%d words a minute (default %d; slower\n"
           "                           helps elderly listeners)\n"
           "      --mute               no voice\n"
           "      --clips DIR          the hall's own recorded words instead of synthesis\n"
           "                           (Mandarin): qing hao dao chuangkou_banli 0-9 shi\n"
           "                           [bai qian wan A-Z chime] .wav\n"
           "      --audio-file FILE    write what would be played to a WAV file\n"
           "      --audio-driver NAME  libao driver (alsa, pulse, null; default: libao's)\n"
           "      --say LABEL:WINDOW   speak one call (e.g. A001:3) and exit: a speaker test\n"
           "\n"
           "      --log FILE           log here while the screen is shown (default: nowhere\n"
           "                           when standard error is the screen)\n"
           "      --key FILE           CURVE: this display's key (default $HALLQ_KEY)\n"
           "      --server-key FILE    CURVE: hallqd's server.key (default $HALLQ_SERVER_KEY)\n"
           "  -V, --version            print the version and exit\n"
           "  -h, --help               this help\n",
           prog, HQ_DEFAULT_REQUEST_ENDPOINT, HQ_DEFAULT_EVENT_ENDPOINT, OPTIONS_VOLUME_DEFAULT,
           OPTIONS_REPEAT_MAX, OPTIONS_REPEAT_DEFAULT, OPTIONS_RATE_MIN, OPTIONS_RATE_MAX,
           SPEECH_RATE_DEFAULT);
}

static int s_copy(char *dst, size_t n, const char *src, const char *flag, char *why, size_t whylen)
{
    if (*src == '\0' || hq_strlcpy(dst, src, n) != 0) {
        snprintf(why, whylen, "%s: empty or too long", flag);
        return -1;
    }
    return 0;
}

/* "A001:3" -> label and window. */
static int s_say(const char *arg, options_t *o)
{
    const char *colon = strchr(arg, ':');
    if (!colon || (size_t)(colon - arg) >= sizeof o->say_label)
        return -1;
    memcpy(o->say_label, arg, (size_t)(colon - arg));
    o->say_label[colon - arg] = '\0';
    if (o->say_label[0] >= 'a' && o->say_label[0] <= 'z')
        o->say_label[0] = (char)(o->say_label[0] - 'a' + 'A');
    if (ann_label_ok(o->say_label) != 0 ||
        hq_parse_int(colon + 1, 1, ANN_WINDOW_MAX, &o->say_window))
        return -1;
    o->say = 1;
    return 0;
}

options_result_t options_parse(int argc, char **argv, options_t *o, char *why, size_t whylen)
{
    enum {
        O_ENDPOINT = 256,
        O_EVENTS,
        O_VOLUME,
        O_REPEAT,
        O_RATE,
        O_MUTE,
        O_CLIPS,
        O_AUDIO_FILE,
        O_DRIVER,
        O_SAY,
        O_LOG,
        O_KEY,
        O_SERVER_KEY
    };
    static const struct option longopts[] = {
        {"mode", required_argument, NULL, 'm'},
        {"counter", required_argument, NULL, 'c'},
        {"lang", required_argument, NULL, 'l'},
        {"endpoint", required_argument, NULL, O_ENDPOINT},
        {"events", required_argument, NULL, O_EVENTS},
        {"volume", required_argument, NULL, O_VOLUME},
        {"repeat", required_argument, NULL, O_REPEAT},
        {"rate", required_argument, NULL, O_RATE},
        {"mute", no_argument, NULL, O_MUTE},
        {"clips", required_argument, NULL, O_CLIPS},
        {"audio-file", required_argument, NULL, O_AUDIO_FILE},
        {"audio-driver", required_argument, NULL, O_DRIVER},
        {"say", required_argument, NULL, O_SAY},
        {"log", required_argument, NULL, O_LOG},
        {"key", required_argument, NULL, O_KEY},
        {"server-key", required_argument, NULL, O_SERVER_KEY},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->mode = DM_HALL;
    o->lang = ANN_ZH;
    o->volume = OPTIONS_VOLUME_DEFAULT;
    o->repeat = OPTIONS_REPEAT_DEFAULT;
    o->rate = SPEECH_RATE_DEFAULT;
    const char *env = getenv("HALLQ_ENDPOINT");
    hq_strlcpy(o->endpoint, env && *env ? env : HQ_DEFAULT_REQUEST_ENDPOINT, sizeof o->endpoint);
    env = getenv("HALLQ_EVENTS");
    hq_strlcpy(o->events, env && *env ? env : HQ_DEFAULT_EVENT_ENDPOINT, sizeof o->events);
    const char *prog = argc > 0 ? argv[0] : "hallq-display";
    int mode_given = 0;

    opterr = 0;
    optind = 0; /* glibc: 0, not 1, also forgets where an earlier parse stopped */
    int c;
    while ((c = getopt_long(argc, argv, ":m:c:l:Vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (strcmp(optarg, "hall") == 0) {
                o->mode = DM_HALL;
            } else if (strcmp(optarg, "counter") == 0) {
                o->mode = DM_COUNTER;
            } else {
                snprintf(why, whylen, "--mode is hall or counter, not '%s'", optarg);
                return OPTIONS_BAD;
            }
            mode_given = 1;
            break;
        case 'c':
            if (hq_parse_int(optarg, 1, 9999, &o->counter) != 0) {
                snprintf(why, whylen, "--counter takes a window number, not '%s'", optarg);
                return OPTIONS_BAD;
            }
            break;
        case 'l':
            if (strcmp(optarg, "zh") == 0) {
                o->lang = ANN_ZH;
            } else if (strcmp(optarg, "en") == 0) {
                o->lang = ANN_EN;
            } else {
                snprintf(why, whylen, "--lang is zh or en, not '%s'", optarg);
                return OPTIONS_BAD;
            }
            break;
        case O_ENDPOINT:
            if (s_copy(o->endpoint, sizeof o->endpoint, optarg, "--endpoint", why, whylen))
                return OPTIONS_BAD;
            break;
        case O_EVENTS:
            if (s_copy(o->events, sizeof o->events, optarg, "--events", why, whylen))
                return OPTIONS_BAD;
            break;
        case O_VOLUME:
            if (hq_parse_int(optarg, 0, 100, &o->volume) != 0) {
                snprintf(why, whylen, "--volume takes 0 to 100, not '%s'", optarg);
                return OPTIONS_BAD;
            }
            break;
        case O_REPEAT:
            if (hq_parse_int(optarg, 1, OPTIONS_REPEAT_MAX, &o->repeat) != 0) {
                snprintf(why, whylen, "--repeat takes 1 to %d, not '%s'", OPTIONS_REPEAT_MAX,
                         optarg);
                return OPTIONS_BAD;
            }
            break;
        case O_RATE:
            if (hq_parse_int(optarg, OPTIONS_RATE_MIN, OPTIONS_RATE_MAX, &o->rate) != 0) {
                snprintf(why, whylen, "--rate takes %d to %d words a minute, not '%s'",
                         OPTIONS_RATE_MIN, OPTIONS_RATE_MAX, optarg);
                return OPTIONS_BAD;
            }
            break;
        case O_MUTE:
            o->mute = 1;
            break;
        case O_CLIPS:
            if (s_copy(o->clips, sizeof o->clips, optarg, "--clips", why, whylen))
                return OPTIONS_BAD;
            break;
        case O_AUDIO_FILE:
            if (s_copy(o->audio_file, sizeof o->audio_file, optarg, "--audio-file", why, whylen))
                return OPTIONS_BAD;
            break;
        case O_DRIVER:
            if (s_copy(o->driver, sizeof o->driver, optarg, "--audio-driver", why, whylen))
                return OPTIONS_BAD;
            break;
        case O_SAY:
            if (s_say(optarg, o) != 0) {
                snprintf(why, whylen, "--say takes LABEL:WINDOW such as A001:3, not '%s'", optarg);
                return OPTIONS_BAD;
            }
            break;
        case O_LOG:
            if (s_copy(o->log_file, sizeof o->log_file, optarg, "--log", why, whylen))
                return OPTIONS_BAD;
            break;
        case O_KEY:
            if (s_copy(o->key, sizeof o->key, optarg, "--key", why, whylen))
                return OPTIONS_BAD;
            break;
        case O_SERVER_KEY:
            if (s_copy(o->server_key, sizeof o->server_key, optarg, "--server-key", why, whylen))
                return OPTIONS_BAD;
            break;
        case 'V':
            printf("hallq-display %s\n", HALLQ_VERSION);
            return OPTIONS_EXIT_OK;
        case 'h':
            options_usage(prog);
            return OPTIONS_EXIT_OK;
        case ':':
            snprintf(why, whylen, "%s needs a value", argv[optind - 1]);
            return OPTIONS_BAD;
        default:
            snprintf(why, whylen, "unknown option '%s' (see --help)", argv[optind - 1]);
            return OPTIONS_BAD;
        }
    }
    if (optind < argc) {
        snprintf(why, whylen, "unexpected argument '%s' (see --help)", argv[optind]);
        return OPTIONS_BAD;
    }
    if (o->counter && !mode_given)
        o->mode = DM_COUNTER; /* --counter N alone clearly means the screen above N */
    if (o->mode == DM_COUNTER && !o->counter) {
        snprintf(why, whylen, "--mode counter needs --counter N");
        return OPTIONS_BAD;
    }
    if (o->mode == DM_HALL && o->counter) {
        snprintf(why, whylen, "--counter is for --mode counter");
        return OPTIONS_BAD;
    }
    if (o->mute && (o->audio_file[0] || o->say)) {
        snprintf(why, whylen, "--mute contradicts %s", o->say ? "--say" : "--audio-file");
        return OPTIONS_BAD;
    }
    if (o->audio_file[0] && o->driver[0]) {
        snprintf(why, whylen, "--audio-file and --audio-driver exclude each other");
        return OPTIONS_BAD;
    }
    if (o->clips[0] && o->lang == ANN_EN) {
        snprintf(why, whylen, "--clips holds Mandarin words; it does not go with --lang en");
        return OPTIONS_BAD;
    }
    return OPTIONS_RUN;
}
