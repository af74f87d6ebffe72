/* The table of requests (lib/hallq/hq_requests.h), walked row by row: every row round-trips
 * through the codec with its fields and refuses every other field, hallqctl --help (argv[1])
 * lists every row's verb and PROTOCOL.md (argv[2]) has a row for it, and its table of who may
 * send what is the roles and scope columns. The cells are walked in test_roles.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hq_proto.h"

static const char *s_hallqctl;
static const char *s_protocol; /* lib/hallq/PROTOCOL.md */

/* A valid value in every field of `fields`. */
static void s_fill(hq_request_t *req, unsigned fields)
{
    if (fields & HQ_F_COUNTER)
        req->counter = 7;
    if (fields & HQ_F_QUEUE)
        req->queue = 'C';
    if (fields & HQ_F_SERVICE)
        req->service = 12;
    if ((fields & HQ_F_ELDERLY) && !(fields & HQ_F_ID_NUMBER))
        req->elderly = 1;
    if (fields & HQ_F_ID_NUMBER)
        strcpy(req->id_number, "11010519491231002X");
    if (fields & HQ_F_NUMBER)
        strcpy(req->number, "B1234");
    if (fields & HQ_F_RATING)
        req->rating = 5;
    if (fields & HQ_F_CLERK)
        strcpy(req->clerk, "李四");
    if (fields & HQ_F_REASON)
        strcpy(req->reason, "午休");
    if (fields & HQ_F_TOKEN)
        strcpy(req->token, "kiosk2-99");
    if (fields & HQ_F_PIN)
        strcpy(req->pin, "0042");
    if (fields & HQ_F_DATE)
        strcpy(req->date, "2026-10-12");
    if (fields & HQ_F_SLOT)
        req->slot = 9 * 60 + 30;
    if (fields & HQ_F_CODE)
        strcpy(req->code, "K7MX3Q");
}

static void test_every_row_round_trips(void **state)
{
    (void)state;
    for (int t = 0; t < HQ_REQ_COUNT_; t++) {
        const hq_req_info_t *row = hq_req_info((hq_req_type_t)t);
        assert_non_null(row);
        assert_int_equal(hq_req_type_parse(row->name), t);
        /* Only the required fields, then every field the row allows. */
        for (int all = 0; all < 2; all++) {
            hq_request_t req, back;
            hq_error_t err;
            hq_request_init(&req, (hq_req_type_t)t);
            snprintf(req.id, sizeof req.id, "row-%d-%d", t, all);
            s_fill(&req, all ? row->required | row->optional : row->required);
            char *text = hq_request_encode(&req);
            assert_non_null(text);
            if (hq_request_decode(text, strlen(text), &back, &err) != HQ_OK)
                fail_msg("%s: %s does not decode: %s", row->name, text, err.message);
            assert_memory_equal(&req, &back, sizeof req);
            free(text);
        }
    }
    assert_null(hq_req_info(HQ_REQ_COUNT_));
}

/* A field outside the row is refused, and so is a row without one of its required fields. */
static void test_rows_are_strict(void **state)
{
    (void)state;
    for (int t = 0; t < HQ_REQ_COUNT_; t++) {
        const hq_req_info_t *row = hq_req_info((hq_req_type_t)t);
        for (int f = 0; f < HQ_FIELD_COUNT; f++) {
            unsigned flag = 1u << f;
            hq_request_t req;
            hq_error_t err;
            char json[256];
            if (!((row->required | row->optional) & flag)) {
                snprintf(json, sizeof json, "{\"type\":\"%s\",\"%s\":1}", row->name,
                         hq_field_name((hq_field_t)flag));
            } else if (row->required & flag) {
                hq_request_init(&req, (hq_req_type_t)t);
                s_fill(&req, row->required);
                char *text = hq_request_encode(&req);
                json_t *obj = json_loads(text, 0, NULL);
                json_object_del(obj, hq_field_name((hq_field_t)flag));
                char *cut = json_dumps(obj, JSON_COMPACT);
                snprintf(json, sizeof json, "%s", cut);
                free(cut);
                free(text);
                json_decref(obj);
            } else {
                continue;
            }
            assert_int_equal(hq_request_decode(json, strlen(json), &req, &err), HQ_MALFORMED);
            if (err.code != HQ_E_BAD_FIELD)
                fail_msg("%s: %s gave %s", row->name, json, hq_error_code_name(err.code));
            assert_int_equal(req.type, t); /* the refusal names the request */
        }
    }
}

/* hallqctl's help lists every row's verb, with the words its fields take. */
static void test_hallqctl_lists_every_verb(void **state)
{
    (void)state;
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s' --help", s_hallqctl);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    static char help[16384];
    size_t n = fread(help, 1, sizeof help - 1, p);
    help[n] = '\0';
    assert_int_equal(pclose(p), 0);
    for (int t = 0; t < HQ_REQ_COUNT_; t++) {
        const hq_req_info_t *row = hq_req_info((hq_req_type_t)t);
        char start[64], line[512];
        snprintf(start, sizeof start, "\n  %s ", row->verb);
        const char *at = strstr(help, start);
        if (!at)
            fail_msg("hallqctl --help lacks the verb %s:\n%s", row->verb, help);
        const char *end = strchr(at + 1, '\n');
        snprintf(line, sizeof line, "%.*s", (int)(end ? end - at : (long)strlen(at)), at);
        if (!strstr(line, row->help))
            fail_msg("hallqctl --help: %s lacks its help: %s", row->verb, line);
        if ((row->required & HQ_F_COUNTER) && !strstr(line, "COUNTER"))
            fail_msg("hallqctl --help: %s does not name its COUNTER: %s", row->verb, line);
    }
}

static char s_md[65536]; /* PROTOCOL.md */

static void s_load_md(void)
{
    FILE *f = fopen(s_protocol, "r");
    assert_non_null(f);
    size_t n = fread(s_md, 1, sizeof s_md - 1, f);
    s_md[n] = '\0';
    fclose(f);
}

/* Fails unless PROTOCOL.md holds `name` as the first cell of a table row (row) or anywhere. */
static void s_md_names(const char *what, const char *name, int row)
{
    char cell[80];
    snprintf(cell, sizeof cell, row ? "\n| `%s` |" : "`%s`", name);
    if (!strstr(s_md, cell))
        fail_msg("PROTOCOL.md does not list the %s %s", what, name);
}

/* The written protocol has a row for every request and reason code, and names every event
 * topic and error code. */
static void test_protocol_md_lists_every_row(void **state)
{
    (void)state;
    s_load_md();
    for (int t = 0; t < HQ_REQ_COUNT_; t++)
        s_md_names("request", hq_req_type_name((hq_req_type_t)t), 1);
    for (int r = HQ_REASON_NONE + 1; r < HQ_REASON_COUNT_; r++)
        s_md_names("reason code", hq_reason_name((hq_reason_t)r), 1);
    for (int e = 0; e < HQ_EV_COUNT_; e++)
        s_md_names("event", hq_event_type_name((hq_event_type_t)e), 0);
    for (int c = HQ_E_NONE + 1; c < HQ_E_COUNT_; c++)
        s_md_names("error", hq_error_code_name((hq_error_code_t)c), 0);
}

/* A cell of PROTOCOL.md's table of who may send what, as the columns say it. */
static const char *s_cell(unsigned roles, unsigned role, unsigned scope)
{
    if (!(roles & role))
        return "no";
    if (role == HQ_ROLE_KIOSK && (scope & HQ_SCOPE_STAFF))
        return "staff PIN";
    if ((role == HQ_ROLE_KIOSK || role == HQ_ROLE_WEB) && (scope & HQ_SCOPE_PERSON))
        return "booker's ID number";
    if (role != HQ_ROLE_COUNTER)
        return "yes";
    switch (scope & (HQ_SCOPE_WINDOW | HQ_SCOPE_TICKET)) {
    case HQ_SCOPE_HALL:
        return "yes";
    case HQ_SCOPE_WINDOW:
        return "own window";
    case HQ_SCOPE_TICKET:
        return "own ticket";
    default:
        return "own window, own ticket";
    }
}

/* PROTOCOL.md's table of who may send what has a row per request whose cells are the request
 * table's roles and scope columns, in the request table's order. */
static void test_protocol_md_role_table(void **state)
{
    (void)state;
    s_load_md();
    const char *head = "| request | `manager` | `kiosk` | `display` | `counter:N` | `web` |\n"
                       "|---|---|---|---|---|---|\n";
    const char *at = strstr(s_md, head);
    if (!at)
        fail_msg("PROTOCOL.md lacks the table of who may send what");
    at += strlen(head);
    for (int t = 0; t < HQ_REQ_COUNT_; t++) {
        const hq_req_info_t *row = hq_req_info((hq_req_type_t)t);
        char want[200];
        snprintf(want, sizeof want, "| `%s` | %s | %s | %s | %s | %s |\n", row->name,
                 s_cell(row->roles, HQ_ROLE_MANAGER, row->scope),
                 s_cell(row->roles, HQ_ROLE_KIOSK, row->scope),
                 s_cell(row->roles, HQ_ROLE_DISPLAY, row->scope),
                 s_cell(row->roles, HQ_ROLE_COUNTER, row->scope),
                 s_cell(row->roles, HQ_ROLE_WEB, row->scope));
        const char *end = strchr(at, '\n');
        if (strncmp(at, want, strlen(want)) != 0)
            fail_msg("PROTOCOL.md's role table: expected\n%sgot\n%.*s", want,
                     end ? (int)(end - at + 1) : 80, at);
        at += strlen(want);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_requests HALLQCTL PROTOCOL.md\n");
        return 2;
    }
    s_hallqctl = argv[1];
    s_protocol = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_row_round_trips),
        cmocka_unit_test(test_rows_are_strict),
        cmocka_unit_test(test_hallqctl_lists_every_verb),
        cmocka_unit_test(test_protocol_md_lists_every_row),
        cmocka_unit_test(test_protocol_md_role_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
