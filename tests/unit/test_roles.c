/* Roles: what each kind of device key may ask for, cell by cell. The cells are written out
 * here again by hand, as PROTOCOL.md states them (test_requests checks that PROTOCOL.md's
 * table is the request table's roles and scope columns); role_allows and role_allows_ticket
 * read those columns, so each cell is checked against what they do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "roles.h"

/* One cell of the table: what a key of that role may do with the request. */
typedef enum {
    NO,         /* refused */
    YES,        /* allowed, wherever and on whatever */
    OWN_WINDOW, /* a window's key: its "counter" must be its own window */
    OWN_TICKET, /* a window's key: the ticket it names was last at its own window */
    OWN_BOTH,   /* both */
    STAFF_PIN,  /* a kiosk's key in staff mode: with a clerk's name and PIN */
    BOOKER_ID,  /* with the ID number the booking was made with (the hall compares it) */
} s_cell_t;

static const struct {
    hq_req_type_t type;
    s_cell_t manager, kiosk, display, counter, web;
} s_cells[] = {
    {HQ_REQ_PING, YES, YES, YES, YES, YES},
    {HQ_REQ_ISSUE, YES, YES, NO, NO, NO},
    {HQ_REQ_CALL, YES, NO, NO, OWN_WINDOW, NO},
    {HQ_REQ_RECALL, YES, NO, NO, OWN_WINDOW, NO},
    {HQ_REQ_START, YES, NO, NO, OWN_WINDOW, NO},
    {HQ_REQ_FINISH, YES, NO, NO, OWN_WINDOW, NO},
    {HQ_REQ_NO_SHOW, YES, NO, NO, OWN_WINDOW, NO},
    {HQ_REQ_REACTIVATE, YES, STAFF_PIN, NO, OWN_TICKET, NO},
    {HQ_REQ_PARK, YES, NO, NO, OWN_WINDOW, NO},
    {HQ_REQ_UNPARK, YES, NO, NO, OWN_BOTH, NO},
    {HQ_REQ_TRANSFER, YES, NO, NO, OWN_WINDOW, NO},
    {HQ_REQ_RATE, YES, NO, NO, OWN_TICKET, NO},
    {HQ_REQ_PAUSE, YES, NO, NO, OWN_WINDOW, NO},
    {HQ_REQ_RESUME, YES, NO, NO, OWN_WINDOW, NO},
    {HQ_REQ_LOGIN, YES, NO, NO, OWN_WINDOW, NO},
    {HQ_REQ_LOGOUT, YES, NO, NO, OWN_WINDOW, NO},
    {HQ_REQ_STAFF, YES, YES, NO, YES, NO},
    {HQ_REQ_SNAPSHOT, YES, YES, YES, YES, YES},
    {HQ_REQ_CATALOG, YES, YES, YES, YES, YES},
    {HQ_REQ_SLOTS, YES, YES, NO, NO, YES},
    {HQ_REQ_BOOK, YES, YES, NO, NO, YES},
    {HQ_REQ_CANCEL, YES, BOOKER_ID, NO, NO, BOOKER_ID},
    {HQ_REQ_BOOKING, YES, BOOKER_ID, NO, NO, BOOKER_ID},
    {HQ_REQ_CHECK_IN, YES, YES, NO, NO, NO},
    {HQ_REQ_TRACK, YES, NO, NO, NO, YES},
    {HQ_REQ_PAIR, YES, NO, NO, OWN_WINDOW, NO},
    {HQ_REQ_CLAIM, YES, NO, NO, NO, YES},
    {HQ_REQ_TABLET_RATE, YES, NO, NO, NO, YES},
};
#define S_NCELLS (sizeof s_cells / sizeof s_cells[0])

#define S_MINE 4  /* the window of the key "counter:4" */
#define S_OTHER 5 /* another window */

#define S_STAFF 1 /* the request carries a clerk's name and PIN */
#define S_ID 2    /* the request carries an ID number */

/* role_allows for a request naming window `counter`, as the server asks it; `with`: S_STAFF,
 * S_ID (whether they are right is the hall's to say). */
static int s_may_as(const char *role, hq_req_type_t type, int counter, int with)
{
    hq_request_t req;
    hq_request_init(&req, type);
    req.counter = counter;
    if (with & S_STAFF) {
        strcpy(req.clerk, "wang");
        strcpy(req.pin, "2468");
    }
    if (with & S_ID)
        strcpy(req.id_number, "11010519491231002X");
    char why[160] = "";
    int ok = role_allows(role, &req, why, sizeof why);
    if (!ok)
        assert_true(strlen(why) > 0);
    return ok;
}

static int s_may(const char *role, hq_req_type_t type, int counter)
{
    return s_may_as(role, type, counter, 0);
}

/* role_allows_ticket for a request from `origin` (0: not a window) on a ticket last at window
 * `at` (0: none), as the hall asks it. */
static int s_may_ticket(hq_req_type_t type, int origin, int at, char *why, size_t whylen)
{
    hq_request_t req;
    hq_request_init(&req, type);
    req.origin_window = origin;
    hq_ticket_t t;
    memset(&t, 0, sizeof t);
    strcpy(t.label, "A007");
    t.counter = at;
    why[0] = '\0';
    int ok = role_allows_ticket(&req, &t, why, whylen);
    if (!ok)
        assert_true(strlen(why) > 0);
    return ok;
}

static void test_roles(void **state)
{
    (void)state;
    assert_true(role_valid("kiosk") && role_valid("display") && role_valid("manager"));
    assert_true(role_valid("web"));
    assert_true(role_valid("counter:3") && role_valid("counter:999"));
    assert_false(role_valid("counter:") || role_valid("counter:0") || role_valid("counter:3x"));
    assert_false(role_valid("admin") || role_valid(NULL) || role_valid(""));
    assert_int_equal(role_window("counter:4"), 4);
    assert_int_equal(role_window("counter:999"), 999);
    assert_int_equal(role_window("counter:0"), 0);
    assert_int_equal(role_window("manager"), 0);
    assert_int_equal(role_window("kiosk"), 0);
    assert_int_equal(role_window(""), 0);
    assert_int_equal(role_window(NULL), 0);
    for (int t = 0; t < HQ_REQ_COUNT_; t++) {
        assert_true(s_may(NULL, (hq_req_type_t)t, 1)); /* security off */
        assert_false(s_may("", (hq_req_type_t)t, 1));  /* a CURVE peer without a role */
        assert_false(s_may("janitor", (hq_req_type_t)t, 1));
    }
}

/* Every cell of the table: the role's own rule, then the window's, then the ticket's. */
static void test_every_cell(void **state)
{
    (void)state;
    int seen[HQ_REQ_COUNT_] = {0};
    for (size_t i = 0; i < S_NCELLS; i++) {
        hq_req_type_t type = s_cells[i].type;
        const char *name = hq_req_type_name(type);
        seen[type]++;
        const struct {
            const char *role;
            s_cell_t cell;
        } roles[] = {{"manager", s_cells[i].manager},
                     {"kiosk", s_cells[i].kiosk},
                     {"display", s_cells[i].display},
                     {"counter:4", s_cells[i].counter},
                     {"web", s_cells[i].web}};
        for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++) {
            s_cell_t cell = roles[r].cell;
            int origin = role_window(roles[r].role);
            int own = cell != NO && cell != STAFF_PIN && cell != BOOKER_ID;
            int other = cell == YES || cell == OWN_TICKET;
            /* In staff mode a kiosk may; the cells that allow without it allow with it too. */
            if (s_may_as(roles[r].role, type, S_MINE, S_STAFF) != (cell != NO && cell != BOOKER_ID))
                fail_msg("%s, %s with a clerk's name and PIN: expected %d", name, roles[r].role,
                         cell != NO && cell != BOOKER_ID);
            /* With the booker's ID number; the cells that allow without it allow with it too. */
            if (s_may_as(roles[r].role, type, S_MINE, S_ID) != (cell != NO && cell != STAFF_PIN))
                fail_msg("%s, %s with an ID number: expected %d", name, roles[r].role,
                         cell != NO && cell != STAFF_PIN);
            if (s_may(roles[r].role, type, S_MINE) != own)
                fail_msg("%s, %s at its own window: expected %d", name, roles[r].role, own);
            if (s_may(roles[r].role, type, S_OTHER) != other)
                fail_msg("%s, %s at window %d: expected %d", name, roles[r].role, S_OTHER, other);
            /* The ticket's rule, for what the role lets through. */
            char why[200];
            int ticket_bound = cell == OWN_TICKET || cell == OWN_BOTH;
            assert_true(s_may_ticket(type, origin, S_MINE, why, sizeof why));
            if (s_may_ticket(type, origin, S_OTHER, why, sizeof why) != !ticket_bound)
                fail_msg("%s, %s on a ticket of window %d: expected %d", name, roles[r].role,
                         S_OTHER, !ticket_bound);
            if (ticket_bound && !strstr(why, "A007 belongs to window 5: a key of window 4 may not"))
                fail_msg("%s: the refusal does not say whose ticket it is: %s", name, why);
            if (s_may_ticket(type, origin, 0, why, sizeof why) != !ticket_bound)
                fail_msg("%s, %s on a ticket of no window: expected %d", name, roles[r].role,
                         !ticket_bound);
        }
        /* Without keys (origin 0 too) every ticket is anyone's. */
        char why[200];
        assert_true(s_may_ticket(type, 0, S_OTHER, why, sizeof why));
    }
    for (int t = 0; t < HQ_REQ_COUNT_; t++)
        if (seen[t] != 1)
            fail_msg("the table here has %s %d times", hq_req_type_name((hq_req_type_t)t), seen[t]);
}

/* The words of a refusal: what the key is for, whose window it is. */
static void test_refusals_say_why(void **state)
{
    (void)state;
    hq_request_t req;
    char why[160];
    hq_request_init(&req, HQ_REQ_CALL);
    req.counter = 5;
    assert_false(role_allows("counter:4", &req, why, sizeof why));
    assert_string_equal(why, "this key belongs to window 4, not window 5");
    assert_false(role_allows("kiosk", &req, why, sizeof why));
    assert_string_equal(why, "a kiosk may only issue tickets and serve bookings, not call");
    hq_request_init(&req, HQ_REQ_ISSUE);
    assert_false(role_allows("counter:4", &req, why, sizeof why));
    assert_string_equal(why, "window 4 may not issue");
    assert_false(role_allows("display", &req, why, sizeof why));
    assert_string_equal(why, "a display may only watch, not issue");
    hq_request_init(&req, HQ_REQ_REACTIVATE);
    strcpy(req.number, "A003");
    assert_false(role_allows("kiosk", &req, why, sizeof why));
    assert_string_equal(why,
                        "a kiosk may reactivate only in staff mode: with a clerk's name and PIN");
    strcpy(req.clerk, "wang"); /* a name alone is not staff mode */
    assert_false(role_allows("kiosk", &req, why, sizeof why));
    strcpy(req.pin, "2468");
    assert_true(role_allows("kiosk", &req, why, sizeof why));
    hq_request_init(&req, HQ_REQ_STAFF);
    assert_false(role_allows("display", &req, why, sizeof why));
    assert_string_equal(why, "a display may only watch, not staff");
    hq_request_init(&req, HQ_REQ_CANCEL);
    strcpy(req.code, "K7MX3Q");
    assert_false(role_allows("web", &req, why, sizeof why));
    assert_string_equal(why, "a web may cancel a booking only with the ID number it was made with");
    assert_true(role_allows("manager", &req, why, sizeof why));
}

/* The columns stay consistent: every row says who may send it, the manager always; a row that
 * names a window binds a window's key to it; a ticket rule needs a ticket number. */
static void test_every_row_has_a_role_rule(void **state)
{
    (void)state;
    for (int t = 0; t < HQ_REQ_COUNT_; t++) {
        const hq_req_info_t *row = hq_req_info((hq_req_type_t)t);
        unsigned fields = row->required | row->optional;
        assert_true(row->roles & HQ_ROLE_MANAGER);
        assert_int_equal(row->roles & ~(unsigned)HQ_ROLE_ANY, 0);
        /* A display may only read; it reads everything but a PIN check (staff), a ticket by
         * its web token (track), which is hallq-web's, and the appointments a citizen looks at
         * (slots, booking), which it never books. */
        if (row->roles & HQ_ROLE_DISPLAY)
            assert_int_equal(row->changes, HQ_READS);
        assert_int_equal(!!(row->roles & HQ_ROLE_DISPLAY),
                         row->changes == HQ_READS && t != HQ_REQ_STAFF && t != HQ_REQ_TRACK &&
                             t != HQ_REQ_SLOTS && t != HQ_REQ_BOOKING);
        /* hallq-web reads too: what a display reads, and tickets by their web token; and it
         * relays a rating tablet's pairing and ratings, which the tablet's secret binds to
         * its window. */
        int booking =
            t == HQ_REQ_SLOTS || t == HQ_REQ_BOOK || t == HQ_REQ_CANCEL || t == HQ_REQ_BOOKING;
        assert_int_equal(!!(row->roles & HQ_ROLE_WEB), t == HQ_REQ_TRACK || t == HQ_REQ_CLAIM ||
                                                           t == HQ_REQ_TABLET_RATE || booking ||
                                                           (row->roles & HQ_ROLE_DISPLAY));
        /* Appointments are served to citizens by the kiosk and hallq-web alike. */
        if (booking)
            assert_int_equal(row->roles, HQ_ROLE_BOOKING);
        assert_int_equal(row->scope & ~(unsigned)(HQ_SCOPE_WINDOW | HQ_SCOPE_TICKET |
                                                  HQ_SCOPE_STAFF | HQ_SCOPE_PERSON),
                         0);
        /* The booker's ID number names a booking by its code, and is the request's to carry. */
        if ((row->scope & HQ_SCOPE_PERSON) &&
            (!(row->required & HQ_F_CODE) || !(row->optional & HQ_F_ID_NUMBER)))
            fail_msg("%s: a booker's rule without a code or an ID number", row->name);
        /* Staff mode is a kiosk's, and what it carries is a clerk's name and PIN. */
        if ((row->scope & HQ_SCOPE_STAFF) &&
            (!(row->roles & HQ_ROLE_KIOSK) || !((row->required | row->optional) & HQ_F_CLERK) ||
             !((row->required | row->optional) & HQ_F_PIN)))
            fail_msg("%s: a staff rule without a kiosk, a clerk or a PIN", row->name);
        if (!!(row->scope & HQ_SCOPE_WINDOW) != !!(fields & HQ_F_COUNTER))
            fail_msg("%s: names a window %d, bound to it %d", row->name, !!(fields & HQ_F_COUNTER),
                     !!(row->scope & HQ_SCOPE_WINDOW));
        if ((row->scope & HQ_SCOPE_TICKET) && !(row->required & HQ_F_NUMBER))
            fail_msg("%s: a ticket rule without a ticket number", row->name);
        if ((row->scope & (HQ_SCOPE_WINDOW | HQ_SCOPE_TICKET)) && !(row->roles & HQ_ROLE_COUNTER))
            fail_msg("%s: a window rule for a request no window may send", row->name);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_every_cell),
        cmocka_unit_test(test_refusals_say_why),
        cmocka_unit_test(test_every_row_has_a_role_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
