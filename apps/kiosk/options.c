/* options: see options.h. */
#include "options.h"

#include "greenlane.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_DEFAULT_TIMEOUT_MS 3000

void options_usage(const char *prog)
{
    printf("usage: %s [options]\n"
           "Issues a queue ticket from hallqd and prints it. Without --queue it runs the\n"
           "interactive kiosk: choose a queue and service, mark the green lane or enter an ID\n"
           "number (checked here, never sent), take the ticket.\n"
           "\n"
           "  -q, --queue A           issue in this queue without asking (non-interactive)\n"
           "  -s, --service NO        the service (catalog item number) the ticket is for\n"
           "  -e, --elderly           elderly green lane (老年人绿色通道)\n"
           "  -i, --id-number ID      decide the green lane from a resident ID number; the\n"
           "                          number stays here. '-' reads it from standard input\n"
           "  -n, --copies N          copies to print, 1-%d (default 1)\n"
           "  -l, --lang zh|en        ticket and screen language (default zh)\n"
           "      --paper 58|80       paper width in mm (default 58)\n"
           "  -p, --printer DEV       printer device (default $HALLQ_PRINTER or %s),\n"
           "                          or tcp://HOST:9100 for a network printer\n"
           "  -o, --out FILE          write the ESC/POS bytes to a file instead\n"
           "      --preview           print the ticket as text on standard output instead\n"
           "  -r, --reprint           print the last ticket again; nothing is issued\n"
           "      --state-dir DIR     where the last ticket is kept (default\n"
           "                          $XDG_STATE_HOME/hallq, else ~/.local/state/hallq)\n"
           "      --endpoint EP       hallqd request endpoint (default $HALLQ_ENDPOINT or %s)\n"
           "      --timeout MS        wait this long for hallqd (default %d)\n"
           "      --key FILE          CURVE: this kiosk's key from `hallqctl keys new NAME\n"
           "                          --role kiosk` (default $HALLQ_KEY; none: plain loopback)\n"
           "      --server-key FILE   CURVE: hallqd's server.key (default $HALLQ_SERVER_KEY)\n"
           "  -V, --version           print the version and exit\n"
           "  -h, --help              this help\n"
           "\n"
           "Exit status: 0 printed, 1 refused by hallqd, 2 bad arguments, 3 hallqd\n"
           "unreachable, 4 issued but not printed (use --reprint).\n",
           prog, OPTIONS_COPIES_MAX, OUTPUT_DEFAULT_DEVICE, HQ_DEFAULT_REQUEST_ENDPOINT,
           S_DEFAULT_TIMEOUT_MS);
}

/* Reads an ID number from standard input (one line), so it never appears in argv. */
static int s_read_id_number(options_t *o)
{
    char line[64];
    if (!fgets(line, sizeof line, stdin)) {
        greenlane_wipe(line, sizeof line);
        return -1;
    }
    line[strcspn(line, "\r\n")] = '\0';
    int rc = hq_strlcpy(o->id_number, line, sizeof o->id_number);
    greenlane_wipe(line, sizeof line);
    return rc;
}

options_result_t options_parse(int argc, char **argv, options_t *o, char *why, size_t whylen)
{
    enum { O_PAPER = 256, O_PREVIEW, O_STATE_DIR, O_ENDPOINT, O_TIMEOUT, O_KEY, O_SERVER_KEY };
    static const struct option longopts[] = {
        {"queue", required_argument, NULL, 'q'},
        {"service", required_argument, NULL, 's'},
        {"elderly", no_argument, NULL, 'e'},
        {"id-number", required_argument, NULL, 'i'},
        {"copies", required_argument, NULL, 'n'},
        {"lang", required_argument, NULL, 'l'},
        {"paper", required_argument, NULL, O_PAPER},
        {"printer", required_argument, NULL, 'p'},
        {"out", required_argument, NULL, 'o'},
        {"preview", no_argument, NULL, O_PREVIEW},
        {"reprint", no_argument, NULL, 'r'},
        {"state-dir", required_argument, NULL, O_STATE_DIR},
        {"endpoint", required_argument, NULL, O_ENDPOINT},
        {"timeout", required_argument, NULL, O_TIMEOUT},
        {"key", required_argument, NULL, O_KEY},
        {"server-key", required_argument, NULL, O_SERVER_KEY},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->copies = 1;
    o->lang = UI_LANG_ZH;
    o->paper_mm = 58;
    o->timeout_ms = S_DEFAULT_TIMEOUT_MS;
    const char *env_ep = getenv("HALLQ_ENDPOINT");
    hq_strlcpy(o->endpoint, env_ep && *env_ep ? env_ep : HQ_DEFAULT_REQUEST_ENDPOINT,
               sizeof o->endpoint);
    int outputs = 0;
    const char *printer = NULL;
    const char *prog = argc > 0 ? argv[0] : "hallq-ticket";

    opterr = 0;
    optind = 0; /* glibc: 0, not 1, also forgets where an earlier parse stopped */
    int c;
    while ((c = getopt_long(argc, argv, ":q:s:ei:n:l:p:o:rVh", longopts, NULL)) != -1) {
        switch (c) {
        case 'q':
            if (strlen(optarg) != 1 || !((optarg[0] >= 'A' && optarg[0] <= 'Z') ||
                                         (optarg[0] >= 'a' && optarg[0] <= 'z'))) {
                snprintf(why, whylen, "--queue takes one letter A-Z, not '%s'", optarg);
                return OPTIONS_BAD;
            }
            o->queue = (char)(optarg[0] & ~0x20);
            break;
        case 's':
            if (hq_parse_int(optarg, 1, 9999, &o->service) != 0) {
                snprintf(why, whylen, "--service takes a catalog item number, not '%s'", optarg);
                return OPTIONS_BAD;
            }
            break;
        case 'e':
            o->elderly = 1;
            break;
        case 'i': {
            int rc = strcmp(optarg, "-") == 0
                         ? s_read_id_number(o)
                         : hq_strlcpy(o->id_number, optarg, sizeof o->id_number);
            /* Gone from the process list from here on. */
            greenlane_wipe(optarg, strlen(optarg));
            if (rc != 0) {
                greenlane_wipe(o->id_number, sizeof o->id_number);
                snprintf(why, whylen, "--id-number: an ID number has 18 characters");
                return OPTIONS_BAD;
            }
            o->has_id_number = 1;
            break;
        }
        case 'n':
            if (hq_parse_int(optarg, 1, OPTIONS_COPIES_MAX, &o->copies) != 0) {
                snprintf(why, whylen, "--copies takes 1 to %d, not '%s'", OPTIONS_COPIES_MAX,
                         optarg);
                return OPTIONS_BAD;
            }
            break;
        case 'l':
            if (ui_lang_parse(optarg, &o->lang) != 0) {
                snprintf(why, whylen, "--lang takes zh or en, not '%s'", optarg);
                return OPTIONS_BAD;
            }
            break;
        case O_PAPER:
            if (hq_parse_int(optarg, 0, 1000, &o->paper_mm) != 0 ||
                (o->paper_mm != 58 && o->paper_mm != 80)) {
                snprintf(why, whylen, "--paper takes 58 or 80, not '%s'", optarg);
                return OPTIONS_BAD;
            }
            break;
        case 'p':
            printer = optarg;
            outputs++;
            break;
        case 'o':
            if (output_set(&o->output, OUTPUT_FILE, optarg) != 0) {
                snprintf(why, whylen, "--out needs a file name");
                return OPTIONS_BAD;
            }
            outputs++;
            break;
        case O_PREVIEW:
            output_set(&o->output, OUTPUT_PREVIEW, NULL);
            outputs++;
            break;
        case 'r':
            o->reprint = 1;
            break;
        case O_STATE_DIR:
            if (!*optarg || hq_strlcpy(o->state_dir, optarg, sizeof o->state_dir) != 0) {
                snprintf(why, whylen, "--state-dir needs a folder name");
                return OPTIONS_BAD;
            }
            break;
        case O_ENDPOINT:
            if (!*optarg || hq_strlcpy(o->endpoint, optarg, sizeof o->endpoint) != 0) {
                snprintf(why, whylen, "--endpoint needs an endpoint such as %s",
                         HQ_DEFAULT_REQUEST_ENDPOINT);
                return OPTIONS_BAD;
            }
            break;
        case O_TIMEOUT:
            if (hq_parse_int(optarg, 100, 600000, &o->timeout_ms) != 0) {
                snprintf(why, whylen, "--timeout takes milliseconds, 100 to 600000");
                return OPTIONS_BAD;
            }
            break;
        case O_KEY:
        case O_SERVER_KEY: {
            char *dst = c == O_KEY ? o->key : o->server_key;
            if (!*optarg || hq_strlcpy(dst, optarg, sizeof o->key) != 0) {
                snprintf(why, whylen, "%s needs a key file", c == O_KEY ? "--key" : "--server-key");
                return OPTIONS_BAD;
            }
            break;
        }
        case 'V':
            printf("hallq-ticket %s\n", HALLQ_VERSION);
            return OPTIONS_EXIT_OK;
        case 'h':
            options_usage(prog);
            return OPTIONS_EXIT_OK;
        case ':':
            snprintf(why, whylen, "option %s needs a value", argv[optind - 1]);
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
    if (outputs > 1) {
        snprintf(why, whylen, "choose one of --printer, --out and --preview");
        return OPTIONS_BAD;
    }
    if (o->elderly && o->has_id_number) {
        snprintf(why, whylen, "--elderly and --id-number exclude each other");
        return OPTIONS_BAD;
    }
    if (o->reprint && (o->queue || o->service || o->elderly || o->has_id_number)) {
        snprintf(why, whylen,
                 "--reprint prints the kept ticket: it takes no queue, service "
                 "or green-lane options");
        return OPTIONS_BAD;
    }
    if (!o->queue && !o->reprint && (o->service || o->elderly || o->has_id_number)) {
        snprintf(why, whylen, "--service, --elderly and --id-number need --queue");
        return OPTIONS_BAD;
    }
    if (!o->queue && !o->reprint && o->output.kind == OUTPUT_PREVIEW) {
        snprintf(why, whylen, "--preview needs --queue or --reprint (the kiosk owns the screen)");
        return OPTIONS_BAD;
    }
    if (outputs == 0) {
        const char *env = getenv("HALLQ_PRINTER");
        printer = env && *env ? env : OUTPUT_DEFAULT_DEVICE;
    }
    if (printer && output_parse_printer(printer, &o->output, why, whylen) != 0)
        return OPTIONS_BAD;
    o->output.lang = o->lang;
    o->output.timeout_ms =
        o->timeout_ms > OUTPUT_DEFAULT_TIMEOUT_MS ? o->timeout_ms : OUTPUT_DEFAULT_TIMEOUT_MS;
    return OPTIONS_RUN;
}
