/* Roles: what each kind of device key may ask for, and the request table's roles column
 * (lib/hallq/hq_requests.h) walked row by row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "roles.h"

static int s_may(const char *role, hq_req_type_t type, int counter)
{
    hq_request_t req;
    hq_request_init(&req, type);
    req.counter = counter;
    char why[160] = "";
    int ok = role_allows(role, &req, why, sizeof why);
    if (!ok)
        assert_true(strlen(why) > 0);
    return ok;
}

static void test_roles(void **state)
{
    (void)state;
    assert_true(role_valid("kiosk") && role_valid("display") && role_valid("manager"));
    assert_true(role_valid("counter:3") && role_valid("counter:999"));
    assert_false(role_valid("counter:") || role_valid("counter:0") || role_valid("counter:3x"));
    assert_false(role_valid("admin") || role_valid(NULL) || role_valid(""));
    for (int t = 0; t < HQ_REQ_COUNT_; t++) {
        assert_true(s_may(NULL, (hq_req_type_t)t, 1)); /* security off */
        assert_true(s_may("manager", (hq_req_type_t)t, 1));
    }
    assert_true(s_may("kiosk", HQ_REQ_ISSUE, 0));
    assert_true(s_may("kiosk", HQ_REQ_CATALOG, 0));
    assert_false(s_may("kiosk", HQ_REQ_CALL, 1));
    assert_false(s_may("kiosk", HQ_REQ_LOGIN, 1));
    assert_true(s_may("display", HQ_REQ_SNAPSHOT, 0));
    assert_false(s_may("display", HQ_REQ_ISSUE, 0));
    assert_false(s_may("display", HQ_REQ_RATE, 0));
    assert_true(s_may("counter:3", HQ_REQ_CALL, 3));
    assert_true(s_may("counter:3", HQ_REQ_LOGIN, 3));
    assert_true(s_may("counter:3", HQ_REQ_RATE, 0));
    assert_false(s_may("counter:3", HQ_REQ_CALL, 4));
    assert_false(s_may("counter:3", HQ_REQ_ISSUE, 0));
    assert_false(s_may("janitor", HQ_REQ_ISSUE, 0));
    assert_false(s_may("", HQ_REQ_ISSUE, 0)); /* a CURVE peer without a role */
}

/* Every row says who may send it, the manager always; role_allows follows the column. */
static void test_every_row_has_a_role_rule(void **state)
{
    (void)state;
    for (int t = 0; t < HQ_REQ_COUNT_; t++) {
        const hq_req_info_t *row = hq_req_info((hq_req_type_t)t);
        assert_true(row->roles & HQ_ROLE_MANAGER);
        assert_int_equal(row->roles & ~(unsigned)HQ_ROLE_ANY, 0);
        /* Reading never changes the hall, so a display may do it; nothing else. */
        assert_int_equal(!!(row->roles & HQ_ROLE_DISPLAY), row->changes == HQ_READS);
        assert_true(s_may("manager", (hq_req_type_t)t, 4));
        assert_int_equal(s_may("kiosk", (hq_req_type_t)t, 4), !!(row->roles & HQ_ROLE_KIOSK));
        assert_int_equal(s_may("display", (hq_req_type_t)t, 4), !!(row->roles & HQ_ROLE_DISPLAY));
        assert_int_equal(s_may("counter:4", (hq_req_type_t)t, 4), !!(row->roles & HQ_ROLE_COUNTER));
        int names_window = !!((row->required | row->optional) & HQ_F_COUNTER);
        assert_int_equal(s_may("counter:4", (hq_req_type_t)t, 5),
                         (row->roles & HQ_ROLE_COUNTER) && !names_window);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_roles),
                                       cmocka_unit_test(test_every_row_has_a_role_rule)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
