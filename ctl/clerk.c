/* hallqctl clerk: see clerk.h. */
#include "clerk.h"

#include "hq_proto.h"
#include "roster.h"
#include "ui_exit.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t s_interrupted;

static void s_on_signal(int sig)
{
    s_interrupted = sig;
}

/* One line of fd into out, without its newline; the read is cut short by a signal. */
static int s_read_line(int fd, char *out, size_t outlen, char *why, size_t whylen)
{
    size_t n = 0;
    for (;;) {
        char c;
        ssize_t got = read(fd, &c, 1);
        if (got < 0 && errno == EINTR && !s_interrupted)
            continue;
        if (got < 0)
            return hq_fail(why, whylen, "%s", s_interrupted ? "interrupted" : strerror(errno));
        if (got == 0 && n == 0)
            return hq_fail(why, whylen, "no PIN given (end of input)");
        if (got == 0 || c == '\n')
            break;
        if (n + 1 >= outlen)
            return hq_fail(why, whylen, "the PIN is too long");
        out[n++] = c;
    }
    if (n > 0 && out[n - 1] == '\r')
        n--;
    out[n] = '\0';
    return 0;
}

int clerk_read_pin(const char *prompt, char *out, size_t outlen, char *why, size_t whylen)
{
    out[0] = '\0';
    struct termios was;
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &was) != 0)
        return s_read_line(STDIN_FILENO, out, outlen, why, whylen);
    /* Echo off while the PIN is typed, and back on whatever happens: Ctrl-C included. */
    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigemptyset(&sa.sa_mask);
    s_interrupted = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    struct termios quiet = was;
    quiet.c_lflag &= (tcflag_t) ~(ECHO | ECHOE | ECHOK | ECHONL);
    fprintf(stderr, "%s", prompt);
    fflush(stderr);
    int rc = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0
                 ? s_read_line(STDIN_FILENO, out, outlen, why, whylen)
                 : hq_fail(why, whylen, "cannot turn the terminal's echo off: %s", strerror(errno));
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &was);
    fprintf(stderr, "\n");
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    if (s_interrupted)
        raise(s_interrupted); /* ends as the signal meant, the terminal as it was */
    return rc;
}

/* The new PIN: twice at a terminal (a typo is not saved), once from a pipe. */
static int s_new_pin(const char *name, char *pin, size_t pinlen)
{
    char why[160], again[64], prompt[96];
    snprintf(prompt, sizeof prompt, "PIN for %s (%d-%d digits): ", name, ROSTER_PIN_MIN,
             ROSTER_PIN_MAX);
    int rc = UI_EXIT_OK;
    if (clerk_read_pin(prompt, pin, pinlen, why, sizeof why) != 0) {
        fprintf(stderr, "hallqctl: %s\n", why);
        rc = UI_EXIT_USAGE;
    } else if (roster_pin_valid(pin, why, sizeof why) != 0) {
        fprintf(stderr, "hallqctl: %s\n", why);
        rc = UI_EXIT_USAGE;
    } else if (isatty(STDIN_FILENO)) {
        if (clerk_read_pin("the same PIN again: ", again, sizeof again, why, sizeof why) != 0) {
            fprintf(stderr, "hallqctl: %s\n", why);
            rc = UI_EXIT_USAGE;
        } else if (strcmp(pin, again) != 0) {
            fprintf(stderr, "hallqctl: the two PINs differ; nothing was changed\n");
            rc = UI_EXIT_USAGE;
        }
    }
    memset(again, 0, sizeof again);
    return rc;
}

static int s_usage(void)
{
    fprintf(stderr, "hallqctl: usage: hallqctl clerk add NAME | remove NAME | list [--data DIR]\n");
    return UI_EXIT_USAGE;
}

int clerk_verb(const char *data_dir, int nwords, const char *const *words)
{
    const char *what = nwords > 1 ? words[1] : "";
    int add = strcmp(what, "add") == 0, remove = strcmp(what, "remove") == 0;
    if (!((add || remove) && nwords == 3) && !(strcmp(what, "list") == 0 && nwords == 2))
        return s_usage();
    char why[400], path[1100];
    if (add && roster_name_valid(words[2], why, sizeof why) != 0) {
        fprintf(stderr, "hallqctl: %s\n", why);
        return UI_EXIT_USAGE;
    }
    snprintf(path, sizeof path, "%s/%s", data_dir, ROSTER_FILE);
    roster_t *r = roster_new(path);
    if (!r) {
        fprintf(stderr, "hallqctl: out of memory\n");
        return UI_EXIT_FAILURE;
    }
    int rc = UI_EXIT_OK;
    if (roster_refresh(r, why, sizeof why) < 0) {
        fprintf(stderr, "hallqctl: %s\n", why);
        rc = UI_EXIT_FAILURE;
    } else if (!add && !remove) {
        for (size_t i = 0; i < roster_count(r); i++)
            printf("%s\n", roster_name(r, i));
    } else if (remove) {
        if (roster_remove(r, words[2]) != 0) {
            fprintf(stderr, "hallqctl: clerk %s is not on the roster %s\n", words[2], path);
            rc = UI_EXIT_FAILURE;
        } else if (roster_save(r, why, sizeof why) != 0) {
            fprintf(stderr, "hallqctl: %s\n", why);
            rc = UI_EXIT_FAILURE;
        } else {
            printf("removed %s from %s (%zu clerk(s) left%s)\n", words[2], path, roster_count(r),
                   roster_count(r) ? "" : ": any clerk logs in again");
        }
    } else {
        char pin[64];
        rc = s_new_pin(words[2], pin, sizeof pin);
        if (rc == UI_EXIT_OK && (roster_set(r, words[2], pin, why, sizeof why) != 0 ||
                                 roster_save(r, why, sizeof why) != 0)) {
            fprintf(stderr, "hallqctl: %s\n", why);
            rc = UI_EXIT_FAILURE;
        }
        memset(pin, 0, sizeof pin);
        if (rc == UI_EXIT_OK)
            printf("%s is on the roster %s (%zu clerk(s)); hallqd asks for the PIN at login\n",
                   words[2], path, roster_count(r));
    }
    roster_destroy(&r);
    return rc;
}
