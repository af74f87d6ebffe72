/* Role table: what each kind of device key may ask for. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_roles)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
