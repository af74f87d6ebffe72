#include "ui_options.h"

#include "hq_proto.h"
#include "ui_exit.h"

#include <stdlib.h>
#include <string.h>

#define S_HELP_COLUMN_MAX 30 /* option columns wider than this put their help on the next line */

enum { S_M_NONE = 0, S_M_USAGE, S_M_OPTIONS, S_M_LANG, S_M_VERSION, S_M_HELP, S_M_COUNT_ };

static const ui_text_t s_texts[S_M_COUNT_] = {
    [S_M_NONE] = {"", ""},
    [S_M_USAGE] = {"用法：", "usage: "},
    [S_M_OPTIONS] = {"选项：", "Options:"},
    [S_M_LANG] = {"界面语言：zh 中文，en 英文（默认取 $HALLQ_LANG，否则 zh）",
                  "language: zh Chinese, en English (default $HALLQ_LANG, else zh)"},
    [S_M_VERSION] = {"显示版本后退出", "print the version and exit"},
    [S_M_HELP] = {"显示本帮助后退出", "print this help and exit"},
};

const ui_table_t ui_options_texts = {"ui_options", s_texts, S_M_COUNT_, 0};

/* The options every program has. Their help comes from the table above. */
static const ui_option_t s_builtin[] = {
    {"lang", 'l', "zh|en", {NULL, NULL}, S_M_LANG, NULL, 0, 0, 0},
    {"version", 'V', NULL, {NULL, NULL}, S_M_VERSION, NULL, 0, 0, 0},
    {"help", 'h', NULL, {NULL, NULL}, S_M_HELP, NULL, 0, 0, 0},
};
enum { S_LANG = 0, S_VERSION, S_HELP, S_BUILTINS };

static int s_is_builtin(const ui_option_t *opt)
{
    return opt >= s_builtin && opt < s_builtin + S_BUILTINS;
}

static const char *s_help_text(const ui_program_t *p, const ui_option_t *opt, ui_lang_t lang)
{
    if (s_is_builtin(opt))
        return ui_text(&ui_options_texts, opt->help_id, lang);
    if (opt->help.zh || opt->help.en) {
        const ui_text_t *t = &opt->help;
        const char *s = lang == UI_LANG_EN ? t->en : t->zh;
        return s ? s : (t->zh ? t->zh : t->en);
    }
    return ui_text(p->texts, opt->help_id, lang);
}

/* ---- reading argv ------------------------------------------------------------------------ */

typedef struct {
    const ui_program_t *p;
    int argc;
    char **argv;
    int i;     /* next argv index */
    char *why; /* the first problem, one line */
    size_t whylen;
    int words_only; /* past "--": every word is an operand */
} s_scan_t;

enum { S_END = 0, S_OPTION, S_OPERAND, S_BAD = -1 };

static const ui_option_t *s_find_long(const ui_program_t *p, const char *name, size_t len)
{
    for (const ui_option_t *o = p->options; o && o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    for (int b = 0; b < S_BUILTINS; b++)
        if (strlen(s_builtin[b].name) == len && strncmp(s_builtin[b].name, name, len) == 0)
            return &s_builtin[b];
    return NULL;
}

static const ui_option_t *s_find_short(const ui_program_t *p, char letter)
{
    for (const ui_option_t *o = p->options; o && o->name; o++)
        if (o->letter && o->letter == letter)
            return o;
    for (int b = 0; b < S_BUILTINS; b++)
        if (s_builtin[b].letter == letter && !(p->keeps_l && b == S_LANG))
            return &s_builtin[b];
    return NULL;
}

/* A word that is no option: S_OPERAND when the program takes operands. */
static int s_word(s_scan_t *sc, const char *word, const char **arg)
{
    if (!sc->p->operand) {
        snprintf(sc->why, sc->whylen, "unexpected argument '%s'", word);
        return S_BAD;
    }
    *arg = word;
    return S_OPERAND;
}

/* The next option and its value (S_OPTION), or a word that is no option with *opt NULL
 * (S_OPERAND); S_END at the end, S_BAD with the problem in sc->why. */
static int s_next(s_scan_t *sc, const ui_option_t **opt, const char **arg)
{
    *opt = NULL;
    if (sc->i >= sc->argc)
        return S_END;
    const char *a = sc->argv[sc->i++];
    if (sc->words_only)
        return s_word(sc, a, arg);
    if (strcmp(a, "--") == 0) {
        sc->words_only = 1;
        return s_next(sc, opt, arg);
    }
    const char *inline_arg = NULL;
    if (a[0] == '-' && a[1] == '-' && a[2]) {
        const char *eq = strchr(a + 2, '=');
        size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        *opt = s_find_long(sc->p, a + 2, len);
        inline_arg = eq ? eq + 1 : NULL;
    } else if (a[0] == '-' && a[1] && a[1] != '-') {
        *opt = s_find_short(sc->p, a[1]);
        inline_arg = a[2] ? a + 2 : NULL;
        if (*opt && !(*opt)->arg && inline_arg)
            *opt = NULL; /* "-vx": no clustered flags */
    } else {
        return s_word(sc, a, arg);
    }
    if (!*opt) {
        snprintf(sc->why, sc->whylen, "unknown option '%s'", a);
        return S_BAD;
    }
    if (!(*opt)->arg) {
        if (inline_arg) {
            snprintf(sc->why, sc->whylen, "--%s takes no value", (*opt)->name);
            return S_BAD;
        }
        *arg = NULL;
        return S_OPTION;
    }
    if (!inline_arg) {
        if (sc->i >= sc->argc) {
            snprintf(sc->why, sc->whylen, "--%s needs a value", (*opt)->name);
            return S_BAD;
        }
        inline_arg = sc->argv[sc->i++];
    }
    *arg = inline_arg;
    return S_OPTION;
}

static int s_lang(const char *value, const char *what, ui_lang_t *lang, char *why, size_t whylen)
{
    if (ui_lang_parse(value, lang) == 0)
        return 0;
    snprintf(why, whylen, "%s zh or en, not '%s'", what, value);
    return -1;
}

static int s_usage_error(const ui_program_t *p, const char *why, FILE *err)
{
    fprintf(err, "%s: %s; see %s --help\n", p->name, why, p->name);
    return UI_EXIT_USAGE;
}

int ui_options_parse_to(const ui_program_t *p, int argc, char **argv, void *settings, FILE *out,
                        FILE *err)
{
    char why[512] = "";
    ui_lang_t *lang = (ui_lang_t *)((char *)settings + p->lang_at);
    int bad = 0, help = 0, version = 0;

    const char *env = getenv("HALLQ_LANG");
    if (env && *env && s_lang(env, "HALLQ_LANG must be", lang, why, sizeof why) != 0)
        bad = 1;

    /* First pass: the language, --help and --version, which win over everything else. */
    s_scan_t sc = {p, argc, argv, 1, why, sizeof why, 0};
    const ui_option_t *opt;
    const char *arg;
    for (int rc; !bad && (rc = s_next(&sc, &opt, &arg)) != S_END;) {
        if (rc == S_BAD)
            bad = 1;
        else if (opt == &s_builtin[S_HELP])
            help = 1;
        else if (opt == &s_builtin[S_VERSION])
            version = 1;
        else if (opt == &s_builtin[S_LANG] &&
                 s_lang(arg, "--lang takes", lang, why, sizeof why) != 0)
            bad = 1;
    }
    if (help) {
        ui_options_help(p, *lang, out);
        return UI_EXIT_OK;
    }
    if (version) {
        fprintf(out, "%s %s\n", p->name, p->version ? p->version : HALLQ_VERSION);
        return UI_EXIT_OK;
    }
    if (bad)
        return s_usage_error(p, why, err);

    /* Second pass: every option in the order given, so a later one overrides. */
    sc.i = 1;
    sc.words_only = 0;
    for (int rc; (rc = s_next(&sc, &opt, &arg)) != S_END;) {
        if (rc == S_OPERAND ? p->operand(settings, arg, why, sizeof why) != 0
                            : !s_is_builtin(opt) && opt->set((char *)settings + opt->at, arg, opt,
                                                             why, sizeof why) != 0)
            return s_usage_error(p, why, err);
    }
    if (p->check && p->check(settings, why, sizeof why) != 0)
        return s_usage_error(p, why, err);
    return UI_OPTIONS_RUN;
}

int ui_options_parse(const ui_program_t *p, int argc, char **argv, void *settings)
{
    return ui_options_parse_to(p, argc, argv, settings, stdout, stderr);
}

/* ---- the help ---------------------------------------------------------------------------- */

/* The option as the help's left column shows it: "  -c, --counter N". */
static int s_left(const ui_program_t *p, const ui_option_t *o, char *buf, size_t n)
{
    char letter[8] = "    ";
    if (o->letter && !(p->keeps_l && o == &s_builtin[S_LANG]))
        snprintf(letter, sizeof letter, "-%c, ", o->letter);
    return snprintf(buf, n, "  %s--%s%s%s", letter, o->name, o->arg ? " " : "",
                    o->arg ? o->arg : "");
}

/* Text with its later lines indented by `indent` columns. */
static void s_indented(FILE *out, const char *text, int indent)
{
    for (const char *p = text; *p; p++) {
        fputc(*p, out);
        if (*p == '\n' && p[1])
            fprintf(out, "%*s", indent, "");
    }
    fputc('\n', out);
}

static void s_option_help(FILE *out, const ui_program_t *p, const ui_option_t *o, ui_lang_t lang,
                          int column)
{
    char left[128];
    int w = s_left(p, o, left, sizeof left);
    if (w + 2 > column)
        fprintf(out, "%s\n%*s", left, column, "");
    else
        fprintf(out, "%-*s", column, left);
    s_indented(out, s_help_text(p, o, lang), column);
}

static void s_paragraph(FILE *out, const ui_text_t *t, ui_lang_t lang)
{
    const char *s = lang == UI_LANG_EN ? t->en : t->zh;
    if (s && *s)
        fprintf(out, "\n%s\n", s);
}

void ui_options_help(const ui_program_t *p, ui_lang_t lang, FILE *out)
{
    const char *synopsis = lang == UI_LANG_EN ? p->synopsis.en : p->synopsis.zh;
    fprintf(out, "%s%s%s%s\n", ui_text(&ui_options_texts, S_M_USAGE, lang), p->name,
            synopsis && *synopsis ? " " : "", synopsis ? synopsis : "");
    s_paragraph(out, &p->about, lang);

    int column = 0;
    char left[128];
    for (const ui_option_t *o = p->options; o && o->name; o++) {
        int w = s_left(p, o, left, sizeof left) + 2;
        if (w > column && w <= S_HELP_COLUMN_MAX)
            column = w;
    }
    for (int b = 0; b < S_BUILTINS; b++) {
        int w = s_left(p, &s_builtin[b], left, sizeof left) + 2;
        if (w > column && w <= S_HELP_COLUMN_MAX)
            column = w;
    }
    fprintf(out, "\n%s\n", ui_text(&ui_options_texts, S_M_OPTIONS, lang));
    for (const ui_option_t *o = p->options; o && o->name; o++)
        s_option_help(out, p, o, lang, column);
    for (int b = 0; b < S_BUILTINS; b++)
        s_option_help(out, p, &s_builtin[b], lang, column);
    if (p->more_help)
        p->more_help(out, lang);
    s_paragraph(out, &p->epilog, lang);
}

/* ---- checking a table -------------------------------------------------------------------- */

static int s_fail(char *why, size_t whylen, const char *program, const char *fmt, const char *name)
{
    size_t n = (size_t)snprintf(why, whylen, "%s: ", program);
    if (n < whylen)
        snprintf(why + n, whylen - n, fmt, name);
    return -1;
}

int ui_options_check(const ui_program_t *p, char *why, size_t whylen)
{
    for (const ui_option_t *o = p->options; o && o->name; o++) {
        for (const ui_option_t *q = o + 1; q->name; q++) {
            if (strcmp(o->name, q->name) == 0)
                return s_fail(why, whylen, p->name, "--%s is declared twice", o->name);
            if (o->letter && o->letter == q->letter)
                return s_fail(why, whylen, p->name, "--%s repeats another option's letter",
                              q->name);
        }
        for (int b = 0; b < S_BUILTINS; b++)
            if (strcmp(o->name, s_builtin[b].name) == 0 ||
                (o->letter == s_builtin[b].letter && !(p->keeps_l && b == S_LANG)))
                return s_fail(why, whylen, p->name, "--%s takes a built-in option's name or letter",
                              o->name);
        if (!o->set)
            return s_fail(why, whylen, p->name, "--%s has no setter", o->name);
        /* The help line passes the rules of every text table. */
        ui_text_t line[2] = {{"", ""}, {NULL, NULL}};
        if (o->help.zh || o->help.en)
            line[1] = o->help;
        else if (p->texts && o->help_id > 0 && o->help_id < p->texts->count)
            line[1] = p->texts->texts[o->help_id];
        ui_table_t table = {o->name, line, 2, 0};
        char inner[400];
        if (ui_table_check(&table, inner, sizeof inner) != 0)
            return s_fail(why, whylen, p->name, "help of --%s", inner);
    }
    ui_text_t parts[4] = {{"", ""}, p->synopsis, p->about, p->epilog};
    ui_table_t table = {p->name, parts, p->epilog.zh || p->epilog.en ? 4 : 3, 0};
    return ui_table_check(&table, why, whylen);
}

int ui_usage_error(const char *prog, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s; see %s --help\n", prog, what, prog);
    return UI_EXIT_USAGE;
}

const char *ui_env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

/* ---- ready setters ----------------------------------------------------------------------- */

int ui_set_flag(void *field, const char *arg, const ui_option_t *opt, char *why, size_t whylen)
{
    (void)arg;
    (void)opt;
    (void)why;
    (void)whylen;
    *(int *)field = 1;
    return 0;
}

int ui_set_string(void *field, const char *arg, const ui_option_t *opt, char *why, size_t whylen)
{
    if (!*arg) {
        snprintf(why, whylen, "--%s must not be empty", opt->name);
        return -1;
    }
    *(const char **)field = arg;
    return 0;
}

int ui_set_int(void *field, const char *arg, const ui_option_t *opt, char *why, size_t whylen)
{
    long v;
    if (hq_parse_long(arg, opt->min, opt->max, &v) != 0) {
        snprintf(why, whylen, "--%s takes a whole number from %ld to %ld, not '%s'", opt->name,
                 opt->min, opt->max, arg);
        return -1;
    }
    *(int *)field = (int)v;
    return 0;
}
